//! Compiling C and C++ programs for the guest architectures (and the host, and wasm32-wasi),
//! cached under `target/guest-programs/` by a hash of source, flags and compiler version.
//! Stripped variants are a stripped copy of the unstripped build, cached under their own path.

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

    /// The C++ compiler driver.
    pub const fn cxx(self) -> &'static str {
        match self {
            Arch::Riscv64 => "riscv64-linux-gnu-g++",
            Arch::Aarch64 => "aarch64-linux-gnu-g++",
            Arch::X86_64 => "g++",
            Arch::Wasm32Wasi => "clang++-19",
        }
    }

    /// The compiler driver for `lang`.
    pub const fn compiler(self, lang: Lang) -> &'static str {
        match lang {
            Lang::C => self.cc(),
            Lang::Cxx => self.cxx(),
        }
    }

    /// The `strip` that understands this target's executables.
    pub const fn strip(self) -> &'static str {
        match self {
            Arch::Riscv64 => "riscv64-linux-gnu-strip",
            Arch::Aarch64 => "aarch64-linux-gnu-strip",
            Arch::X86_64 => "strip",
            Arch::Wasm32Wasi => "llvm-strip-19",
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

/// The source language of a program, from its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// `*.c`
    C,
    /// `*.cpp`, `*.cc`, `*.cxx`
    Cxx,
}

impl Lang {
    /// The language of `source` by its extension, or `None` if it is not a C or C++ file.
    pub fn of(source: &Path) -> Option<Lang> {
        match source.extension()?.to_str()? {
            "c" => Some(Lang::C),
            "cpp" | "cc" | "cxx" => Some(Lang::Cxx),
            _ => None,
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

    /// The same build, unstripped (what a stripped variant strips a copy of).
    pub const fn unstripped(self) -> Self {
        Variant {
            stripped: false,
            ..self
        }
    }

    /// Compiler flags that go before the source file. Stripping is not a compiler flag: a
    /// stripped variant is the unstripped build run through [`Arch::strip`].
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
        f
    }
}

/// Compiles `source` (C or C++, by its extension; see [`Lang::of`]) for `variant` (with `extra`
/// flags after the source, e.g. `-lm`) and returns the executable's path,
/// `<cache>/<arch>/<name>-<label>-<hash>/<name>[.wasm]`. A cached build with the same source,
/// flags and compiler version is reused. A stripped variant is the unstripped build's executable
/// copied and run through the target's `strip`, cached in its own directory keyed by the
/// unstripped build's and the strip tool's version. Safe to call concurrently from threads and
/// processes.
pub fn compile(
    name: &str,
    source: &Path,
    variant: &Variant,
    extra: &[String],
) -> Result<PathBuf, String> {
    if variant.stripped {
        let full = compile(name, source, &variant.unstripped(), extra)?;
        return strip_copy(name, &full, variant);
    }
    let lang = Lang::of(source).ok_or_else(|| {
        format!(
            "{}: not a C (.c) or C++ (.cpp, .cc, .cxx) source file",
            source.display()
        )
    })?;
    let cc = variant.arch.compiler(lang);
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
    let dir = cache_dir(name, variant, h);
    let exe_name = format!("{name}{}", variant.arch.exe_suffix());
    cached(&dir, &exe_name, |exe| {
        let out = Cmd::new(&cc_path)
            .args(&flags)
            .arg(source)
            .args(extra)
            .arg("-o")
            .arg(exe)
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
        Ok(())
    })
}

/// A stripped copy of the executable `full` (the unstripped build of `variant`), cached.
fn strip_copy(name: &str, full: &Path, variant: &Variant) -> Result<PathBuf, String> {
    let strip = variant.arch.strip();
    let strip_path = tools::require(strip)?;
    let version = tools::version_line(strip)?;
    let mut h = Sha256::new();
    h.update(version.as_bytes());
    h.update(b"\0");
    // The unstripped build's cache path names its source, flags and compiler.
    h.update(full.as_os_str().as_encoded_bytes());
    let dir = cache_dir(name, variant, h);
    let exe_name = full
        .file_name()
        .ok_or_else(|| format!("{}: no file name", full.display()))?
        .to_owned();
    cached(&dir, &exe_name.to_string_lossy(), |exe| {
        std::fs::copy(full, exe)
            .map_err(|e| format!("copying {} to {}: {e}", full.display(), exe.display()))?;
        let out = Cmd::new(&strip_path).arg(exe).run()?;
        if !out.status.success() {
            return Err(format!(
                "`{strip} {}` failed: {}",
                exe.display(),
                out.summary()
            ));
        }
        Ok(())
    })
}

/// `<cache>/<arch>/<name>-<label>-<first 8 bytes of the hash>`.
fn cache_dir(name: &str, variant: &Variant, h: Sha256) -> PathBuf {
    let hash: String = h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    crate::paths::guest_cache_dir()
        .join(variant.arch.name())
        .join(format!("{name}-{}-{hash}", variant.label()))
}

/// Returns `dir/exe_name` if it exists; else lets `build` write it inside a private directory and
/// moves that directory into place as `dir` in one rename (another thread or process may win the
/// race with an identical build; then that one is used).
fn cached(
    dir: &Path,
    exe_name: &str,
    build: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<PathBuf, String> {
    let exe = dir.join(exe_name);
    if exe.is_file() {
        return Ok(exe);
    }
    let parent = dir.parent().expect("cache dir has a parent");
    std::fs::create_dir_all(parent).map_err(|e| format!("creating {}: {e}", parent.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{exe_name}-"))
        .tempdir_in(parent)
        .map_err(|e| format!("creating a temp dir in {}: {e}", parent.display()))?;
    build(&tmp.path().join(exe_name))?;
    let tmp_path = tmp.keep();
    if let Err(e) = std::fs::rename(&tmp_path, dir) {
        let _ = std::fs::remove_dir_all(&tmp_path);
        if !exe.is_file() {
            return Err(format!("moving build into {}: {e}", dir.display()));
        }
    }
    Ok(exe)
}
