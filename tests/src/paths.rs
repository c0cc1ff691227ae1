//! Locations of the workspace, its target directory, helper scripts and the elfconv2 binary.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The Cargo workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` if set; else the directory above the running
/// executable that holds Cargo's `CACHEDIR.TAG` (so a `build.target-dir` setting is honoured too);
/// else `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
            let dir = PathBuf::from(dir);
            return if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            };
        }
        std::env::current_exe()
            .ok()
            .and_then(|exe| {
                exe.ancestors()
                    .skip(1)
                    .take(4)
                    .find(|d| d.join("CACHEDIR.TAG").is_file())
                    .map(Path::to_path_buf)
            })
            .unwrap_or_else(|| workspace_root().join("target"))
    })
    .clone()
}

/// `<workspace>/scripts/<name>`.
pub fn script(name: &str) -> PathBuf {
    workspace_root().join("scripts").join(name)
}

/// Where compiled guest programs are cached across runs.
pub fn guest_cache_dir() -> PathBuf {
    target_dir().join("guest-programs")
}

/// The elfconv2 binary: `$ELFCONV2` if set, else `<target>/release/elfconv2`.
/// Fails with a message that says how to get it.
pub fn elfconv2_bin() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("ELFCONV2").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!(
                "ELFCONV2={} does not name an existing file: point it at the elfconv2 binary or unset it",
                p.display()
            ))
        };
    }
    let p = target_dir().join("release").join("elfconv2");
    if p.is_file() {
        Ok(p)
    } else {
        Err(format!(
            "elfconv2 binary not found at {}: run `cargo build --release` (or set ELFCONV2=/path/to/elfconv2)",
            p.display()
        ))
    }
}
