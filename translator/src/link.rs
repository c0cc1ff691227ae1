//! Linking a lifted object with the embedded syscall layer and wasi-libc.

use anyhow::{bail, Context, Result};
use elfconv2_syscalls::abi;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The syscall layer and the wasi-libc pieces, embedded at build time.
const SYSCALLS_LIB: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/libelfconv2_syscalls.a"));
const CRT1: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/crt1-command.o"));
const LIBC: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/libc.a"));

/// Stack of the syscall layer (the Wasm shadow stack), below `GUEST_BASE`.
const SHADOW_STACK_SIZE: u32 = 1 << 20;

/// Finds wasm-ld: `--linker`, then `wasm-ld` and `wasm-ld-19` on PATH,
/// then the Debian LLVM 19 location.
pub fn find_wasm_ld(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = explicit {
        if p.is_file() {
            return Ok(p.to_path_buf());
        }
        bail!(
            "the linker given with --linker does not exist: {}",
            p.display()
        );
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in ["wasm-ld", "wasm-ld-19"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    let debian = Path::new("/usr/lib/llvm-19/bin/wasm-ld");
    if debian.is_file() {
        return Ok(debian.to_path_buf());
    }
    bail!("wasm-ld not found (looked for wasm-ld and wasm-ld-19 on PATH and /usr/lib/llvm-19/bin/wasm-ld); install lld-19 or pass --linker PATH")
}

/// Links `object` into a complete WASI command module.
pub fn link(wasm_ld: &Path, objects: &[Vec<u8>], work: &Path) -> Result<Vec<u8>> {
    let write = |name: &str, bytes: &[u8]| -> Result<PathBuf> {
        let p = work.join(name);
        std::fs::write(&p, bytes).with_context(|| format!("cannot write {}", p.display()))?;
        Ok(p)
    };
    let mut lifted = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        lifted.push(write(&format!("lifted{i}.o"), object)?);
    }
    let syscalls = write("libelfconv2_syscalls.a", SYSCALLS_LIB)?;
    let crt1 = write("crt1-command.o", CRT1)?;
    write("libc.a", LIBC)?;
    let out = work.join("linked.wasm");
    let output = Command::new(wasm_ld)
        .arg("-o")
        .arg(&out)
        .arg(&crt1)
        .args(&lifted)
        .arg(&syscalls)
        .arg("-L")
        .arg(work)
        .arg("-lc")
        .arg("--gc-sections")
        .arg(format!("-zstack-size={SHADOW_STACK_SIZE}"))
        .arg("--stack-first")
        .arg(format!("--initial-memory={}", abi::GUEST_BASE))
        .arg(format!("--max-memory={}", 1u64 << 32))
        .output()
        .with_context(|| format!("cannot run the linker {}", wasm_ld.display()))?;
    if !output.status.success() {
        let msg = String::from_utf8_lossy(&output.stderr);
        bail!(
            "linking failed: {}",
            msg.lines()
                .next()
                .unwrap_or("wasm-ld reported an error")
                .trim()
        );
    }
    std::fs::read(&out).context("cannot read the linked module")
}
