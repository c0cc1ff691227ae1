//! The RISC-V decoder against GNU objdump, on real compiler output: every
//! instruction objdump disassembles in a static glibc program must decode,
//! with the same length, and every direct branch/jump/call must have the
//! target objdump prints. A second program is built with the
//! bit-manipulation extensions (Zba, Zbb, Zbs); for those instructions the
//! decoded operation and operands must also be the ones objdump names.

use elfconv2_lifter::arch::{Arch, Flow};
use elfconv2_lifter::riscv::decode::{Insn, Op};
use elfconv2_lifter::riscv::Riscv64;
use elfconv2_lifter::GuestImage;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

fn tool(name: &str) -> String {
    match Command::new(name).arg("--version").output() {
        Ok(o) if o.status.success() => name.to_string(),
        _ => panic!("{name} is missing: run scripts/setup.sh"),
    }
}

/// Compiles `source` into a static riscv64 program with `-O2 flags`.
fn build_program(name: &str, source: &str, flags: &[&str]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("decode_vs_objdump");
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join(format!("{name}.c"));
    std::fs::write(&src, source).unwrap();
    let out = dir.join(name);
    let status = Command::new(tool("riscv64-linux-gnu-gcc"))
        .args(["-O2", "-static"])
        .args(flags)
        .arg("-o")
        .arg(&out)
        .arg(&src)
        .arg("-lm")
        .status()
        .expect("run riscv64-linux-gnu-gcc");
    assert!(status.success(), "riscv64-linux-gnu-gcc failed");
    out
}

/// A program that exercises integer, FP, atomics and switch statements
/// (plus all of glibc's start-up code).
const BASE_PROGRAM: &str = r#"#include <stdio.h>
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
"#;

/// Every Zba/Zbb/Zbs instruction written out once, plus C that gcc turns
/// into them (bit counts, rotates, min/max, single bits, scaled indexing,
/// a switch whose table index is scaled with shNadd).
const BITMANIP_PROGRAM: &str = r#"#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
void every_insn(void) {
    __asm__ volatile(
        "add.uw a0,a1,a2\n sh1add a3,a4,a5\n sh2add s1,s2,s3\n sh3add t0,t1,t2\n"
        "sh1add.uw a0,a1,a2\n sh2add.uw a3,a4,a5\n sh3add.uw t3,t4,t5\n slli.uw a0,a1,33\n"
        "andn a0,a1,a2\n orn a3,a4,a5\n xnor s4,s5,s6\n"
        "clz a0,a1\n clzw a2,a3\n ctz a4,a5\n ctzw a6,a7\n cpop s2,s3\n cpopw s4,s5\n"
        "max a0,a1,a2\n maxu a3,a4,a5\n min s7,s8,s9\n minu s10,s11,t6\n"
        "sext.b a0,a1\n sext.h a2,a3\n zext.h a4,a5\n"
        "rol a0,a1,a2\n rolw a3,a4,a5\n ror a6,a7,t0\n rori a0,a1,63\n roriw a2,a3,31\n rorw a4,a5,a6\n"
        "orc.b a0,a1\n rev8 a2,a3\n"
        "bclr a0,a1,a2\n bclri a3,a4,63\n bext a5,a6,a7\n bexti t0,t1,40\n"
        "binv t2,t3,t4\n binvi t5,t6,5\n bset s1,s2,s3\n bseti s4,s5,0\n"
        "add.uw a0,a1,zero\n"
        ::: "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "t0", "t1", "t2", "t3", "t4", "t5",
            "t6", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "memory");
}
static int table[64];
int pick(int x) { switch (x) { case 0: return 3; case 1: return 7; case 2: return 11; case 3: return 19; case 4: return 23; case 5: return 29; default: return -1; } }
int main(int argc, char **argv) {
    uint64_t v = strtoull(argc > 1 ? argv[1] : "12345678901", 0, 0);
    unsigned i = (unsigned)v & 63;
    uint32_t w = (uint32_t)v;
    table[i] = argc;
    if (argc > 5) every_insn();
    printf("%d %d %d %d %d %d\n", __builtin_clzl(v | 1), __builtin_ctzl(v | 8), __builtin_popcountl(v),
           __builtin_clz(w | 1), __builtin_ctz(w | 2), __builtin_popcount(w));
    printf("%lx %lx %x %x\n", (v << 13) | (v >> 51), (v >> 7) | (v << 57), (w << 9) | (w >> 23), (w >> 3) | (w << 29));
    printf("%ld %lu %ld %lu\n", (long)v > argc ? (long)v : argc, v < (uint64_t)argc ? v : argc,
           (long)v < -argc ? (long)v : -argc, v > (uint64_t)argc ? v : (uint64_t)argc);
    printf("%lx %lx %lx %lx\n", v & ~(1ul << i), v | (1ul << i), v ^ (1ul << i), (v >> i) & 1);
    printf("%lx %lx %lx %lx\n", v & ~(uint64_t)argc, v | ~(uint64_t)argc, ~(v ^ argc), __builtin_bswap64(v));
    printf("%ld %ld %lu %lu\n", (long)(signed char)v, (long)(short)v, (unsigned long)(uint16_t)v, (unsigned long)w);
    printf("%d %d %lx\n", table[i], pick(argc + (int)i), (uint64_t)w << 5);
    return 0;
}
"#;

/// The Zba/Zbb/Zbs mnemonics objdump prints; immediate forms print under
/// the register form's name (`bext a0,a1,0x28` for bexti), `add.uw rd,
/// rs1, zero` as `zext.w`.
const BITMANIP_MNEMONICS: &[&str] = &[
    "add.uw",
    "zext.w",
    "sh1add",
    "sh2add",
    "sh3add",
    "sh1add.uw",
    "sh2add.uw",
    "sh3add.uw",
    "slli.uw",
    "andn",
    "orn",
    "xnor",
    "clz",
    "clzw",
    "ctz",
    "ctzw",
    "cpop",
    "cpopw",
    "max",
    "maxu",
    "min",
    "minu",
    "sext.b",
    "sext.h",
    "zext.h",
    "rol",
    "rolw",
    "ror",
    "rorw",
    "orc.b",
    "rev8",
    "bclr",
    "bext",
    "binv",
    "bset",
];

#[derive(Default)]
struct Comparison {
    checked: usize,
    targets_checked: usize,
    failures: Vec<String>,
    /// objdump lines `(mnemonic, register or immediate form)` of bit-manipulation
    /// instructions whose operation and operands were checked.
    bitmanip_seen: BTreeSet<(String, bool)>,
}

impl Comparison {
    fn assert_no_failures(&self) {
        assert!(
            self.failures.is_empty(),
            "{} disagreements, first ones:\n{}",
            self.failures.len(),
            self.failures
                .iter()
                .take(20)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// The name objdump would give a decoded bit-manipulation operation and
/// its operands, e.g. `("bext", ["t0", "t1", "0x28"])`.
fn objdump_form(arch: &Riscv64, insn: &Insn) -> (String, Vec<String>) {
    use Op::*;
    let reg = |r: u8| arch.registers()[r as usize].name.to_string();
    let name = match insn.op {
        AddUw if insn.rs2 == 0 => return ("zext.w".into(), vec![reg(insn.rd), reg(insn.rs1)]),
        AddUw => "add.uw",
        Sh1addUw => "sh1add.uw",
        Sh2addUw => "sh2add.uw",
        Sh3addUw => "sh3add.uw",
        SlliUw => "slli.uw",
        SextB => "sext.b",
        SextH => "sext.h",
        ZextH => "zext.h",
        OrcB => "orc.b",
        Rori => "ror",
        Roriw => "rorw",
        Bclri => "bclr",
        Bexti => "bext",
        Binvi => "binv",
        Bseti => "bset",
        op => return (format!("{op:?}").to_lowercase(), operands(arch, insn)),
    };
    (name.to_string(), operands(arch, insn))
}

/// rd, rs1, then rs2 or the immediate (none for unary operations).
fn operands(arch: &Riscv64, insn: &Insn) -> Vec<String> {
    use Op::*;
    let reg = |r: u8| arch.registers()[r as usize].name.to_string();
    let mut ops = vec![reg(insn.rd), reg(insn.rs1)];
    match insn.op {
        SlliUw | Rori | Roriw | Bclri | Bexti | Binvi | Bseti => {
            ops.push(format!("{:#x}", insn.imm))
        }
        Clz | Clzw | Ctz | Ctzw | Cpop | Cpopw | SextB | SextH | ZextH | OrcB | Rev8 => {}
        _ => ops.push(reg(insn.rs2)),
    }
    ops
}

fn compare_with_objdump(prog: &PathBuf) -> Comparison {
    let bytes = std::fs::read(prog).unwrap();
    let image = GuestImage::parse(&bytes).unwrap();
    let arch = Riscv64::new();
    let dump = Command::new(tool("riscv64-linux-gnu-objdump"))
        .args(["-d", "--no-show-raw-insn"])
        .arg(prog)
        .output()
        .unwrap();
    assert!(dump.status.success());
    let text = String::from_utf8_lossy(&dump.stdout);
    let mut c = Comparison::default();
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
            Err(e) => c
                .failures
                .push(format!("{addr:#x} `{asm}`: not decoded: {}", e.0)),
            Ok(d) => {
                c.checked += 1;
                if let Some(n) = next {
                    if n > *addr && n - addr <= 4 && d.len != n - addr {
                        c.failures.push(format!(
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
                        .next_back();
                    if let Some(p) = printed {
                        c.targets_checked += 1;
                        if p != t {
                            c.failures.push(format!(
                                "{addr:#x} `{asm}`: target {t:#x} but objdump says {p:#x}"
                            ));
                        }
                    }
                }
                if BITMANIP_MNEMONICS.contains(&mnemonic) {
                    let operands: Vec<String> = asm[mnemonic.len()..]
                        .trim()
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .collect();
                    let imm_form = operands.last().is_some_and(|o| o.starts_with("0x"));
                    let expected = (mnemonic.to_string(), operands);
                    let got = objdump_form(&arch, &d.insn);
                    if got == expected {
                        c.bitmanip_seen.insert((mnemonic.to_string(), imm_form));
                    } else {
                        c.failures.push(format!(
                            "{addr:#x} `{asm}`: decoded as {:?} = `{} {}`",
                            d.insn,
                            got.0,
                            got.1.join(",")
                        ));
                    }
                }
            }
        }
    }
    c
}

#[test]
fn decoder_agrees_with_objdump() {
    let prog = build_program("prog", BASE_PROGRAM, &[]);
    let c = compare_with_objdump(&prog);
    assert!(
        c.checked > 50_000,
        "too few instructions checked: {}",
        c.checked
    );
    assert!(
        c.targets_checked > 5_000,
        "too few branch targets checked: {}",
        c.targets_checked
    );
    c.assert_no_failures();
}

#[test]
fn bitmanip_decoder_agrees_with_objdump() {
    let prog = build_program("bitmanip", BITMANIP_PROGRAM, &["-march=rv64gc_zba_zbb_zbs"]);
    let c = compare_with_objdump(&prog);
    assert!(
        c.checked > 50_000,
        "too few instructions checked: {}",
        c.checked
    );
    c.assert_no_failures();
    // Every instruction of the three extensions was among them: 35 names,
    // six of which (ror, rorw, bclr, bext, binv, bset) also in immediate form.
    let mut missing = Vec::new();
    for m in BITMANIP_MNEMONICS {
        if !c.bitmanip_seen.contains(&(m.to_string(), m == &"slli.uw")) {
            missing.push(m.to_string());
        }
    }
    for m in ["ror", "rorw", "bclr", "bext", "binv", "bset"] {
        if !c.bitmanip_seen.contains(&(m.to_string(), true)) {
            missing.push(format!("{m} (immediate)"));
        }
    }
    assert!(
        missing.is_empty(),
        "not seen in objdump output: {missing:?}"
    );
}
