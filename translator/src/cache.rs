//! The translation cache used by `elfconv2 run`: keyed by the ELF's hash,
//! the optimisation level and the translator build, so a second run of the
//! same program neither translates nor compiles again. The lifter also keeps
//! compiled objects here, keyed by what it read (see `Options::object_cache`).

use anyhow::Result;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Identifies this translator build (version plus the embedded syscall layer).
pub fn translator_id() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok());
    let stamp = exe
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{}-{}", env!("CARGO_PKG_VERSION"), stamp)
}

/// Identifies the code generator (the lifter's sources and the ABI), for
/// the object cache: unlike [`translator_id`] it stays the same when only
/// the syscall layer or the CLI changed (see translator/build.rs).
pub fn codegen_id() -> String {
    format!(
        "{}-{}",
        env!("CARGO_PKG_VERSION"),
        env!("ELFCONV2_CODEGEN_DIGEST")
    )
}

pub fn key(elf: &[u8], opt_level: u8) -> String {
    let mut h = Sha256::new();
    h.update(elf);
    h.update([opt_level]);
    h.update(translator_id().as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub fn dir() -> PathBuf {
    if let Some(d) = std::env::var_os("ELFCONV2_CACHE_DIR") {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(d).join("elfconv2");
    }
    match std::env::var_os("HOME") {
        Some(h) => PathBuf::from(h).join(".cache").join("elfconv2"),
        None => std::env::temp_dir().join("elfconv2-cache"),
    }
}

/// The cached module for `key`, translating (and caching) on a miss.
/// Cache write failures are not fatal: the run goes on uncached.
pub fn get_or_insert(key: &str, translate: impl FnOnce() -> Result<Vec<u8>>) -> Result<Vec<u8>> {
    let path = dir().join(format!("{key}.wasm"));
    if let Ok(bytes) = std::fs::read(&path) {
        return Ok(bytes);
    }
    let module = translate()?;
    insert(key, &module);
    Ok(module)
}

/// Stores a module under `key` (best effort).
pub fn insert(key: &str, module: &[u8]) {
    let path = dir().join(format!("{key}.wasm"));
    if std::fs::create_dir_all(dir()).is_ok() {
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&tmp, module).is_ok() {
            let _ = std::fs::rename(&tmp, &path);
        }
    }
}
