//! Builds the syscall layer (`syscalls/`) for wasm32-wasip1 and stages it,
//! with wasi-libc's start file and libc, for embedding in the `elfconv2`
//! binary: an installed elfconv2 then needs nothing beside itself but wasm-ld.
//! It also builds the self-hosted runtime (`runtime/`) as runtime.wasm and embeds it.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

const WASI_SYSROOT_LIB: &str = "/usr/lib/wasm32-wasi";

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.parent().unwrap().to_path_buf();
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    // Outside the host build's target dirs so the two cargo runs never contend for a lock.
    let target_dir = root.join("target").join("wasm-syscalls");

    println!(
        "cargo:rerun-if-changed={}",
        root.join("syscalls/src").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        root.join("syscalls/Cargo.toml").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        root.join("Cargo.lock").display()
    );

    codegen_digest(&root);

    let (mut cmd, _) = wasm_cargo();
    cmd.args(["build", "--release", "--lib", "--target", "wasm32-wasip1"])
        .arg("--manifest-path")
        .arg(root.join("syscalls/Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir);
    clean_env(&mut cmd);
    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("cannot run cargo for the wasm32 syscall layer: {e}"));
    if !status.success() {
        panic!("building the syscall layer for wasm32-wasip1 failed (run scripts/setup.sh to install rustc-web, cargo-web, rust-web-src and wasi-libc)");
    }

    let lib = target_dir.join("wasm32-wasip1/release/libelfconv2_syscalls.a");
    stage(&lib, &out_dir.join("libelfconv2_syscalls.a"));
    for file in ["crt1-command.o", "libc.a"] {
        let src = Path::new(WASI_SYSROOT_LIB).join(file);
        println!("cargo:rerun-if-changed={}", src.display());
        stage(&src, &out_dir.join(file));
    }

    build_runtime_wasm(&root, &out_dir);
}

/// Builds the self-hosted runtime (`runtime/`) as runtime.wasm, the way
/// `runtime/build-wasm.sh` does (same target dir and settings, so they share the build).
fn build_runtime_wasm(root: &Path, out_dir: &Path) {
    for p in ["runtime/src", "runtime/Cargo.toml"] {
        println!("cargo:rerun-if-changed={}", root.join(p).display());
    }
    let target_dir = root.join("target").join("runtime-wasm");
    let (mut cmd, debian) = wasm_cargo();
    cmd.args([
        "build",
        "--release",
        "--bin",
        "runtime",
        "--target",
        "wasm32-wasip1",
    ])
    .arg("--manifest-path")
    .arg(root.join("runtime/Cargo.toml"))
    .arg("--target-dir")
    .arg(&target_dir);
    clean_env(&mut cmd);
    for (k, v) in [
        ("CARGO_PROFILE_RELEASE_LTO", "true"),
        ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1"),
        ("CARGO_PROFILE_RELEASE_PANIC", "abort"),
        ("CARGO_PROFILE_RELEASE_DEBUG", "false"),
    ] {
        cmd.env(k, v);
    }
    if debian {
        // A command module: link wasi-libc's start file, as rustup's target would.
        cmd.env(
            "RUSTFLAGS",
            format!("-C linker=/usr/lib/llvm-19/bin/wasm-ld -C link-self-contained=no -L {WASI_SYSROOT_LIB} -C link-arg={WASI_SYSROOT_LIB}/crt1-command.o"),
        );
    }
    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("cannot run cargo for runtime.wasm: {e}"));
    if !status.success() {
        panic!("building runtime.wasm for wasm32-wasip1 failed (run scripts/setup.sh)");
    }
    let wasm = target_dir.join("wasm32-wasip1/release/runtime.wasm");
    stage(&wasm, &out_dir.join("runtime.wasm"));
}

/// Removes the host build's settings so they do not leak into a wasm build.
fn clean_env(cmd: &mut Command) {
    for var in [
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_BUILD_TARGET",
        "CARGO_TARGET_DIR",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_MAKEFLAGS",
        "MAKEFLAGS",
        "MFLAGS",
        "CARGO_PROFILE_RELEASE_DEBUG",
        "DEBUG",
        "OPT_LEVEL",
        "PROFILE",
        "TARGET",
        "HOST",
    ] {
        cmd.env_remove(var);
    }
}

/// Sets `ELFCONV2_CODEGEN_DIGEST`, a digest of everything that decides the
/// code the lifter generates (its sources, the ABI and the decoders it
/// shares with the syscall layer, the locked dependencies). Compiled objects are cached
/// under it, so changing only the syscall layer or the CLI keeps them.
fn codegen_digest(root: &Path) {
    use std::hash::{Hash, Hasher};
    let mut files = Vec::new();
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    walk(&root.join("lifter/src"), &mut files);
    // The instruction decoders the lifter shares with the layer's interpreter.
    walk(&root.join("syscalls/src/isa"), &mut files);
    files.sort();
    files.push(root.join("lifter/Cargo.toml"));
    files.push(root.join("syscalls/src/abi.rs"));
    files.push(root.join("Cargo.lock"));
    // DefaultHasher::new() has fixed keys: the same inputs give the same
    // digest in every build with this toolchain.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        f.strip_prefix(root).unwrap_or(f).hash(&mut h);
        std::fs::read(f).unwrap_or_default().hash(&mut h);
    }
    println!(
        "cargo:rerun-if-changed={}",
        root.join("lifter/src").display()
    );
    println!(
        "cargo:rustc-env=ELFCONV2_CODEGEN_DIGEST={:016x}",
        h.finish()
    );
}

fn stage(from: &Path, to: &Path) {
    std::fs::copy(from, to)
        .unwrap_or_else(|e| panic!("cannot copy {} (run scripts/setup.sh): {e}", from.display()));
}

/// The cargo that can build for wasm32-wasip1: rustup's when it has the
/// target installed, else Debian's rustc-web, which builds std from source
/// (then the second value is true).
fn wasm_cargo() -> (Command, bool) {
    let rustup_has_target = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == "wasm32-wasip1")
        })
        .unwrap_or(false);
    if rustup_has_target {
        return (
            Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into())),
            false,
        );
    }
    let debian_cargo = Path::new("/usr/bin/cargo");
    let debian_rustc = Path::new("/usr/bin/rustc");
    let std_src = Path::new("/usr/lib/rustlib/src/rust");
    if !debian_cargo.exists() || !debian_rustc.exists() || !std_src.exists() {
        panic!("no Rust toolchain for wasm32-wasip1: run scripts/setup.sh (installs rustc-web, cargo-web, rust-web-src, wasi-libc)");
    }
    let mut cmd = Command::new(debian_cargo);
    cmd.env("RUSTC", debian_rustc)
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTDOC")
        .arg("-Zbuild-std=std,panic_abort");
    (cmd, true)
}
