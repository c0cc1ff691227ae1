//! The RISC-V decoder against GNU objdump, on real compiler output: every
//! instruction objdump disassembles in a static glibc program must decode,
//! with the same length, and every direct branch/jump/call must have the
//! target objdump prints.

use elfconv2_lifter::arch::{Arch, Flow};
use elfconv2_lifter::riscv::Riscv64;
use elfconv2_lifter::GuestImage;
use std::path::PathBuf;
use std::process::Command;

fn tool(name: &str) -> String {
    match Command::new(name).arg("--version").output() {
        Ok(o) if o.status.success() => name.to_string(),
        _ => panic!("{name} is missing: run scripts/setup.sh"),
    }
}

/// A static riscv64 program built from C that exercises integer, FP,
/// atomics and switch statements (plus all of glibc's start-up code).
fn build_program() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("decode_vs_objdump");
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join("prog.c");
    std::fs::write(
        &src,
        r#"#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <stdatomic.h>
static atomic_long counter;
int pick(int x) { switch (x) { case 0: return 3; case 1: return 7; case 2: return 11; case 3: return 19; case 4: return 23; default: return -1; } }
int main(int argc, char **argv) {
    double d = argc * 1.5; float f = (float)d / 3.0f;
    atomic_fetch_add(&counter, argc);
    long v = strtol(argc > 1 ? argv[1] : "42", 0, 10);
    printf("%d %f %f %ld %ld %g\n", pick(argc), d, f, v / (argc + 1), (long)atomic_load(&counter), sqrt(d) + fma(d, d, f));
    return 0;
}
"#,
    )
    .unwrap();
    let out = dir.join("prog");
    let status = Command::new(tool("riscv64-linux-gnu-gcc"))
        .args(["-O2", "-static", "-o"])
        .arg(&out)
        .arg(&src)
        .arg("-lm")
        .status()
        .expect("run riscv64-linux-gnu-gcc");
    assert!(status.success(), "riscv64-linux-gnu-gcc failed");
    out
}

#[test]
fn decoder_agrees_with_objdump() {
    let prog = build_program();
    let bytes = std::fs::read(&prog).unwrap();
    let image = GuestImage::parse(&bytes).unwrap();
    let arch = Riscv64::new();
    let dump = Command::new(tool("riscv64-linux-gnu-objdump"))
        .args(["-d", "--no-show-raw-insn"])
        .arg(&prog)
        .output()
        .unwrap();
    assert!(dump.status.success());
    let text = String::from_utf8_lossy(&dump.stdout);
    let mut checked = 0;
    let mut targets_checked = 0;
    let mut failures = Vec::new();
    // (address, text, index of the output line): objdump elides zero
    // padding as "...", so lengths are compared only between adjacent lines.
    let lines: Vec<(u64, String, usize)> = text
        .lines()
        .enumerate()
        .filter_map(|(n, l)| {
            let (addr, rest) = l.trim_start().split_once(":\t")?;
            let addr = u64::from_str_radix(addr.trim(), 16).ok()?;
            Some((addr, rest.trim().to_string(), n))
        })
        .collect();
    for (i, (addr, asm, n)) in lines.iter().enumerate() {
        // objdump's own length: distance to the next instruction in the same run.
        let next = lines.get(i + 1).filter(|l| l.2 == n + 1).map(|l| l.0);
        let Some(code) = image.code_bytes(*addr) else {
            continue;
        };
        let mnemonic = asm.split_whitespace().next().unwrap_or("");
        if mnemonic.starts_with('.') || asm.contains("unknown") {
            continue;
        }
        match arch.decode(code, *addr) {
            Err(e) => failures.push(format!("{addr:#x} `{asm}`: not decoded: {}", e.0)),
            Ok(d) => {
                checked += 1;
                if let Some(n) = next {
                    if n > *addr && n - addr <= 4 && d.len != n - addr {
                        failures.push(format!(
                            "{addr:#x} `{asm}`: length {} but objdump says {}",
                            d.len,
                            n - addr
                        ));
                    }
                }
                // Direct targets: objdump prints them as a hex address before `<sym>`.
                let target = match d.flow {
                    Flow::Jump { target } | Flow::Branch { target } | Flow::Call { target } => {
                        Some(target)
                    }
                    _ => None,
                };
                if let Some(t) = target {
                    let printed = asm
                        .split(|c: char| c == ',' || c.is_whitespace())
                        .filter_map(|w| u64::from_str_radix(w, 16).ok())
                        .last();
                    if let Some(p) = printed {
                        targets_checked += 1;
                        if p != t {
                            failures.push(format!(
                                "{addr:#x} `{asm}`: target {t:#x} but objdump says {p:#x}"
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 50_000, "too few instructions checked: {checked}");
    assert!(
        targets_checked > 5_000,
        "too few branch targets checked: {targets_checked}"
    );
    assert!(
        failures.is_empty(),
        "{} disagreements, first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
