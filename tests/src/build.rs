//! Compiling C programs for the guest architectures (and the host, and wasm32-wasi),
//! cached under `target/guest-programs/` by a hash of source, flags and compiler version.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

use crate::process::Cmd;
use crate::tools;

/// A target a C program can be compiled for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arch {
    Riscv64,
    Aarch64,
    /// The build machine itself (native benchmarks, "wrong architecture" inputs).
    X86_64,
    /// Straight to WASI with clang and wasi-libc (benchmark baseline).
    Wasm32Wasi,
}

impl Arch {
    pub const fn name(self) -> &'static str {
        match self {
            Arch::Riscv64 => "riscv64",
            Arch::Aarch64 => "aarch64",
            Arch::X86_64 => "x86_64",
            Arch::Wasm32Wasi => "wasm32-wasi",
        }
    }

    /// The C compiler driver.
    pub const fn cc(self) -> &'static str {
        match self {
            Arch::Riscv64 => "riscv64-linux-gnu-gcc",
            Arch::Aarch64 => "aarch64-linux-gnu-gcc",
            Arch::X86_64 => "gcc",
            Arch::Wasm32Wasi => "clang-19",
        }
    }

    /// Flags every compile for this target gets before the variant's own.
    pub const fn base_flags(self) -> &'static [&'static str] {
        match self {
            Arch::Wasm32Wasi => &["--target=wasm32-wasi", "--sysroot=/usr"],
            _ => &[],
        }
    }

    /// The qemu user-mode emulator that runs this target's Linux programs (the oracle).
    pub const fn qemu(self) -> Option<&'static str> {
        match self {
            Arch::Riscv64 => Some("qemu-riscv64"),
            Arch::Aarch64 => Some("qemu-aarch64"),
            _ => None,
        }
    }

    const fn exe_suffix(self) -> &'static str {
        match self {
            Arch::Wasm32Wasi => ".wasm",
            _ => "",
        }
    }
}

/// One way of compiling a program: target, optimisation level, static or not, stripped or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Variant {
    pub arch: Arch,
    /// `"-O0"`, `"-O2"`, `"-O3"`, `"-Os"` ...
    pub opt: &'static str,
    pub static_link: bool,
    pub stripped: bool,
}

impl Variant {
    /// A static, unstripped build.
    pub const fn new(arch: Arch, opt: &'static str) -> Self {
        Variant {
            arch,
            opt,
            static_link: true,
            stripped: false,
        }
    }
    pub const fn stripped(self) -> Self {
        Variant {
            stripped: true,
            ..self
        }
    }
    pub const fn dynamic(self) -> Self {
        Variant {
            static_link: false,
            ..self
        }
    }

    /// A short label: `O2`, `O2-stripped`, `O0-dynamic`.
    pub fn label(&self) -> String {
        let mut s = self.opt.trim_start_matches('-').to_string();
        if !self.static_link {
            s.push_str("-dynamic");
        }
        if self.stripped {
            s.push_str("-stripped");
        }
        s
    }

    /// Compiler flags that go before the source file.
    pub fn cflags(&self) -> Vec<String> {
        let mut f: Vec<String> = self
            .arch
            .base_flags()
            .iter()
            .map(|s| s.to_string())
            .collect();
        f.push(self.opt.to_string());
        if self.static_link && self.arch != Arch::Wasm32Wasi {
            f.push("-static".into());
        }
        if self.stripped {
            f.push("-s".into());
        }
        f
    }
}

/// Compiles `source` for `variant` (with `extra` flags after the source, e.g. `-lm`) and returns the
/// executable's path, `<cache>/<arch>/<name>-<label>-<hash>/<name>[.wasm]`. A cached build with the
/// same source, flags and compiler version is reused. Safe to call concurrently from threads and
/// processes.
pub fn compile(
    name: &str,
    source: &Path,
    variant: &Variant,
    extra: &[String],
) -> Result<PathBuf, String> {
    let cc = variant.arch.cc();
    let cc_path = tools::require(cc)?;
    let version = tools::version_line(cc)?;
    let src = std::fs::read(source).map_err(|e| format!("reading {}: {e}", source.display()))?;
    let flags = variant.cflags();

    let mut h = Sha256::new();
    for part in [version.as_bytes(), b"\0"] {
        h.update(part);
    }
    for f in flags
        .iter()
        .chain(std::iter::once(&"--".to_string()))
        .chain(extra)
    {
        h.update(f.as_bytes());
        h.update(b"\0");
    }
    h.update(&src);
    let hash: String = h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();

    let dir = crate::paths::guest_cache_dir()
        .join(variant.arch.name())
        .join(format!("{name}-{}-{hash}", variant.label()));
    let exe_name = format!("{name}{}", variant.arch.exe_suffix());
    let exe = dir.join(&exe_name);
    if exe.is_file() {
        return Ok(exe);
    }

    // Build in a private directory, then move it into place in one rename.
    let parent = dir.parent().expect("cache dir has a parent");
    std::fs::create_dir_all(parent).map_err(|e| format!("creating {}: {e}", parent.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}-"))
        .tempdir_in(parent)
        .map_err(|e| format!("creating a temp dir in {}: {e}", parent.display()))?;
    let out = Cmd::new(&cc_path)
        .args(&flags)
        .arg(source)
        .args(extra)
        .arg("-o")
        .arg(tmp.path().join(&exe_name))
        .run()?;
    if !out.status.success() {
        return Err(format!(
            "compiling {} with `{cc} {}` failed ({}):\n{}",
            source.display(),
            flags.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let tmp_path = tmp.keep();
    if let Err(e) = std::fs::rename(&tmp_path, &dir) {
        // Another thread or process won the race; use its identical build.
        let _ = std::fs::remove_dir_all(&tmp_path);
        if !exe.is_file() {
            return Err(format!("moving build into {}: {e}", dir.display()));
        }
    }
    Ok(exe)
}
