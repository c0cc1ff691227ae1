//! What a whole program does with fcsr, decided once over every discovered
//! instruction before lifting: can frm become a mode other than RNE, and
//! can the program see the accrued exception flags? When the answer is no,
//! the lifted code models less (see `fp_env.rs`) and ordinary FP code runs
//! at full speed.
//!
//! Reading fflags does not by itself let a program see them. GCC and glibc
//! read them mostly to put them back: GCC's quiet comparison (`isless`, the
//! `x < 0` test before an inline `sqrt`) and glibc's `floor`, `ceil`,
//! `trunc`, `round`, `nearbyint`, `fmod`, `printf` save the flags in a
//! register and restore them from it. A read whose value provably goes
//! nowhere else does not count (the lifted code still executes it; it
//! reads whatever fcsr holds, which then nobody can tell apart).

use super::decode::{Insn, Op};
use super::system::{CSR_FCSR, CSR_FFLAGS, CSR_FRM};
use crate::arch::Flow;
use std::collections::{BTreeMap, BTreeSet};

/// What the whole program can do with fcsr, from its instructions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FpFacts {
    /// Some instruction may set frm to a mode other than RNE.
    pub frm_may_change: bool,
    /// Some instruction reads fflags (directly or as part of fcsr) in a way
    /// that may let the program see them.
    pub flags_read: bool,
}

impl FpFacts {
    /// The facts of a program given as its instructions by address. With
    /// `ELFCONV2_DEBUG_FP` set, says on stderr which instructions decided them.
    pub fn of(insns: &BTreeMap<u64, Insn>) -> FpFacts {
        // Said once per translation, not once per code-generation thread.
        static SAID: std::sync::Once = std::sync::Once::new();
        let (facts, frm_writer, flags_reader) = Self::with_witnesses(insns);
        if std::env::var_os("ELFCONV2_DEBUG_FP").is_some() {
            SAID.call_once(|| {
                eprintln!(
                    "fp facts: frm may change: {} (first at {frm_writer:x?}); flags read: {} (first at {flags_reader:x?})",
                    facts.frm_may_change, facts.flags_read
                )
            });
        }
        facts
    }

    /// The facts, and the first instruction that may change frm and the
    /// first that may let the program see the flags.
    fn with_witnesses(insns: &BTreeMap<u64, Insn>) -> (FpFacts, Option<u64>, Option<u64>) {
        use Op::*;
        let mut facts = FpFacts::default();
        let (mut frm_writer, mut flags_reader) = (None, None);
        for (&pc, i) in insns {
            if !matches!(i.op, Csrrw | Csrrs | Csrrc | Csrrwi | Csrrsi | Csrrci) {
                continue;
            }
            // csrrw/csrrs/csrrc with rd = x0 do not read the CSR.
            let reads_flags = i.rd != 0 && matches!(i.csr, CSR_FFLAGS | CSR_FCSR);
            if reads_flags
                && !(i.csr == CSR_FFLAGS
                    && (is_quiet_compare(insns, pc) || !saved_flags_escape(insns, pc)))
            {
                facts.flags_read = true;
                flags_reader.get_or_insert(pc);
            }
            // Only writing or setting a nonzero value can make frm nonzero:
            // clearing bits cannot, and a 5-bit immediate reaches only the
            // fflags part of fcsr. (The immediate is kept in rs1.)
            let sets_frm = match (i.op, i.csr) {
                (Csrrw | Csrrs, CSR_FRM | CSR_FCSR) => i.rs1 != 0,
                (Csrrwi | Csrrsi, CSR_FRM) => i.rs1 != 0,
                _ => false,
            };
            if sets_frm {
                facts.frm_may_change = true;
                frm_writer.get_or_insert(pc);
            }
        }
        (facts, frm_writer, flags_reader)
    }
}

/// Whether `pc` starts GCC's quiet comparison: `frflags t; flt/fle/feq rd,
/// fa, fb; fsflags t`. GCC emits it as one pattern whose scratch register
/// `t` it clobbers for this sequence only, so `t` holds nothing anyone
/// reads afterwards.
fn is_quiet_compare(insns: &BTreeMap<u64, Insn>, pc: u64) -> bool {
    use Op::*;
    let (Some(save), Some(compare), Some(restore)) =
        (insns.get(&pc), insns.get(&(pc + 4)), insns.get(&(pc + 8)))
    else {
        return false;
    };
    let scratch = save.rd;
    is_flags_read(save)
        && save.len == 4
        && matches!(compare.op, Feq | Flt | Fle)
        && compare.rd != scratch
        && compare.len == 4
        && is_flags_restore(restore, scratch)
}

/// `frflags rd` (`csrrs rd, fflags, x0`).
fn is_flags_read(i: &Insn) -> bool {
    i.op == Op::Csrrs && i.csr == CSR_FFLAGS && i.rs1 == 0 && i.rd != 0
}

/// `fsflags r` (`csrrw x0, fflags, r`).
fn is_flags_restore(i: &Insn, r: u8) -> bool {
    i.op == Op::Csrrw && i.csr == CSR_FFLAGS && i.rd == 0 && i.rs1 == r
}

/// How many instructions the search below may visit from one read.
const SEARCH_BUDGET: usize = 256;

/// Whether the flags that the instruction at `pc` reads into its rd may be
/// seen: follows every path onward until the register is overwritten, and
/// answers yes if some path first uses it other than to restore the flags
/// (`fsflags`), or leaves for code the search cannot follow (an indirect
/// jump, a return with the register still meaningful to the caller, more
/// than `SEARCH_BUDGET` instructions).
///
/// Direct calls are followed into the callee. At a return, the standard
/// calling convention is assumed: of the caller-saved registers, only a0
/// and a1 carry results, so a temporary or a2..a7 holding the flags dies
/// there (compilers never read those after a call without writing them).
fn saved_flags_escape(insns: &BTreeMap<u64, Insn>, pc: u64) -> bool {
    let Some(read) = insns.get(&pc) else {
        return true;
    };
    let r = read.rd;
    let mut todo = vec![pc + read.len as u64];
    let mut seen = BTreeSet::new();
    while let Some(pc) = todo.pop() {
        if !seen.insert(pc) {
            continue;
        }
        if seen.len() > SEARCH_BUDGET {
            return true;
        }
        let Some(i) = insns.get(&pc) else {
            return true;
        };
        if is_flags_restore(i, r) {
            todo.push(pc + i.len as u64);
            continue;
        }
        if reads_x(i, r) {
            return true;
        }
        if writes_x(i) == Some(r) {
            continue;
        }
        match super::flow(i, pc) {
            Flow::Next | Flow::Syscall => todo.push(pc + i.len as u64),
            Flow::Branch { target } => todo.extend([target, pc + i.len as u64]),
            Flow::Jump { target } | Flow::Call { target } => todo.push(target),
            Flow::Return if dies_at_return(r) => {}
            Flow::Stop => {}
            Flow::Return | Flow::IndirectCall | Flow::IndirectJump => return true,
        }
    }
    false
}

/// Caller-saved registers that carry no result: t0..t2, a2..a7, t3..t6.
fn dies_at_return(r: u8) -> bool {
    matches!(r, 5..=7 | 12..=17 | 28..=31)
}

/// Whether `i` may read integer register `r` (over-approximated: any rs1
/// or rs2 field that names `r`, unless the field is an FP register or an
/// immediate). `ecall` reads a0..a7.
fn reads_x(i: &Insn, r: u8) -> bool {
    use Op::*;
    match i.op {
        // Only FP registers as sources.
        Fmadd | Fmsub | Fnmsub | Fnmadd | Fadd | Fsub | Fmul | Fdiv | Fsqrt | Fsgnj | Fsgnjn
        | Fsgnjx | Fmin | Fmax | FcvtFF | FcvtIF | FmvXF | Feq | Flt | Fle | Fclass => false,
        // An x register base (Fsw/Fsd store an FP register) or x source.
        Flw | Fld | Fsw | Fsd | FcvtFI | FmvFX => i.rs1 == r,
        Csrrwi | Csrrsi | Csrrci | Lui | Auipc | Jal => false,
        Ecall => (10..=17).contains(&r),
        _ => i.rs1 == r || i.rs2 == r,
    }
}

/// The integer register `i` writes, if any (exact: a wrong answer here
/// would end a search too early).
fn writes_x(i: &Insn) -> Option<u8> {
    use Op::*;
    let writes = matches!(
        i.op,
        Lui | Auipc
            | Jal
            | Jalr
            | Lb
            | Lh
            | Lw
            | Ld
            | Lbu
            | Lhu
            | Lwu
            | Addi
            | Slti
            | Sltiu
            | Xori
            | Ori
            | Andi
            | Slli
            | Srli
            | Srai
            | Add
            | Sub
            | Sll
            | Slt
            | Sltu
            | Xor
            | Srl
            | Sra
            | Or
            | And
            | Addiw
            | Slliw
            | Srliw
            | Sraiw
            | Addw
            | Subw
            | Sllw
            | Srlw
            | Sraw
            | Csrrw
            | Csrrs
            | Csrrc
            | Csrrwi
            | Csrrsi
            | Csrrci
            | Mul
            | Mulh
            | Mulhsu
            | Mulhu
            | Div
            | Divu
            | Rem
            | Remu
            | Mulw
            | Divw
            | Divuw
            | Remw
            | Remuw
            | Lr
            | Sc
            | AmoSwap
            | AmoAdd
            | AmoXor
            | AmoAnd
            | AmoOr
            | AmoMin
            | AmoMax
            | AmoMinu
            | AmoMaxu
            | FcvtIF
            | FmvXF
            | Feq
            | Flt
            | Fle
            | Fclass
            | AddUw
            | Sh1add
            | Sh2add
            | Sh3add
            | Sh1addUw
            | Sh2addUw
            | Sh3addUw
            | SlliUw
            | Andn
            | Orn
            | Xnor
            | Clz
            | Clzw
            | Ctz
            | Ctzw
            | Cpop
            | Cpopw
            | Max
            | Maxu
            | Min
            | Minu
            | SextB
            | SextH
            | ZextH
            | Rol
            | Rolw
            | Ror
            | Rori
            | Roriw
            | Rorw
            | OrcB
            | Rev8
            | Bclr
            | Bclri
            | Bext
            | Bexti
            | Binv
            | Binvi
            | Bset
            | Bseti
    );
    (writes && i.rd != 0).then_some(i.rd)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::riscv::decode::decode;

    /// Decodes machine code (16- and 32-bit instructions) placed at 0x1000.
    fn program(code: &[u8]) -> BTreeMap<u64, Insn> {
        let mut insns = BTreeMap::new();
        let mut at = 0;
        while at < code.len() {
            let i = decode(&code[at..]).expect("decodes");
            insns.insert(0x1000 + at as u64, i);
            at += i.len as usize;
        }
        insns
    }

    /// Little-endian bytes of 32-bit instruction words.
    fn words(words: &[u32]) -> Vec<u8> {
        words.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    fn facts_of(code: &[u8]) -> FpFacts {
        FpFacts::of(&program(code))
    }

    const NONE: FpFacts = FpFacts {
        frm_may_change: false,
        flags_read: false,
    };
    const READS: FpFacts = FpFacts {
        frm_may_change: false,
        flags_read: true,
    };
    const CHANGES: FpFacts = FpFacts {
        frm_may_change: true,
        flags_read: false,
    };

    #[test]
    fn single_csr_instructions() {
        assert_eq!(
            facts_of(&words(&[0x002027f3])),
            NONE,
            "frrm a5 only reads frm"
        );
        assert_eq!(
            facts_of(&words(&[0x00186073])),
            NONE,
            "csrs fflags,16 writes"
        );
        assert_eq!(
            facts_of(&words(&[0x00171073])),
            NONE,
            "fsflags a4 only writes"
        );
        // A lone read falls off the known code: it may be seen.
        assert_eq!(facts_of(&words(&[0x00102773])), READS, "frflags a4");
        assert_eq!(facts_of(&words(&[0x003027f3])), READS, "frcsr a5");
        assert_eq!(facts_of(&words(&[0x00251073])), CHANGES, "fsrm a0");
        assert_eq!(facts_of(&words(&[0x0020d073])), CHANGES, "fsrmi 1");
        assert_eq!(
            facts_of(&words(&[0x00201073])),
            NONE,
            "fsrm zero writes RNE"
        );
        assert_eq!(
            facts_of(&words(&[0x0020f073])),
            NONE,
            "csrci frm, 1 only clears"
        );
        assert_eq!(
            facts_of(&words(&[0x0030e073])),
            NONE,
            "csrsi fcsr, 1 sets NX only"
        );
        let both = FpFacts {
            frm_may_change: true,
            flags_read: true,
        };
        assert_eq!(facts_of(&words(&[0x003517f3])), both, "fscsr a5, a0 swaps");
        assert_eq!(facts_of(&words(&[0x02b57553])), NONE, "fadd.d");
    }

    #[test]
    fn quiet_compare() {
        // Then `mv a0, a4; ret`: reads the register the flags were saved in.
        let mut use_a4 = 0x853au16.to_le_bytes().to_vec();
        use_a4.extend(0x8082u16.to_le_bytes());
        let with_use = |insns: &[u32]| {
            let mut code = words(insns);
            code.extend(&use_a4);
            facts_of(&code)
        };
        // From __printf_fp: frflags a4; flt.d a5,fa4,fa5; fsflags a4. The
        // scratch a4 is dead after GCC's pattern, whatever follows.
        assert_eq!(with_use(&[0x00102773, 0xa2f717d3, 0x00171073]), NONE);
        // Something else between save and restore: not the pattern.
        assert_eq!(with_use(&[0x00102773, 0x02b57553, 0x00171073]), READS);
        // Restored from another register: not the pattern.
        assert_eq!(with_use(&[0x00102773, 0xa2f717d3, 0x00179073]), READS);
        // The compare overwrites the saved flags: they are never used.
        assert_eq!(with_use(&[0x00102773, 0xa2f71753, 0x00171073]), NONE);
    }

    /// glibc 2.36's `floor` for RV64: frflags on entry, fsflags on the path
    /// that rounds, a return with the saved register dead on the others;
    /// `before_ret` is an instruction placed just before the final return.
    fn floor_code(read: u32, restore: u32, before_ret: Option<u16>) -> Vec<u8> {
        let mut code = words(&[read, 0xa2a527d3, 0x22a527d3]); // feq.d a5,fa0,fa0; fabs.d fa5,fa0
        code.extend(0xc38du16.to_le_bytes()); // 0x100c: beqz a5, 0x102e (the return)
        code.extend(words(&[
            0x00000797, // auipc a5, 0 (the constant's page)
            0xd587b707, // fld fa4,-680(a5)
            0xa2e797d3, // flt.d a5,fa5,fa4
        ]));
        code.extend(0xcb89u16.to_le_bytes()); // 0x101a: beqz a5, 0x102c
        code.extend(words(&[0xc22527d3, 0xd227a7d3, 0x22a78553, restore])); // fcvt.l.d, fcvt.d.l, fsgnj.d
        code.extend(before_ret.unwrap_or(0x0001).to_le_bytes()); // 0x102c (c.nop)
        code.extend(0x8082u16.to_le_bytes()); // 0x102e: ret
        code
    }

    #[test]
    fn save_and_restore_around_code() {
        let (frflags_a4, fsflags_a4) = (0x00102773, 0x00171073);
        assert_eq!(facts_of(&floor_code(frflags_a4, fsflags_a4, None)), NONE);
        // The saved flags copied to a0, which a return hands to the caller.
        let mv_a0_a4 = 0x853a;
        assert_eq!(
            facts_of(&floor_code(frflags_a4, fsflags_a4, Some(mv_a0_a4))),
            READS
        );
        // Saved in a0 itself (the result register).
        let (frflags_a0, fsflags_a0) = (0x00102573, 0x00151073);
        assert_eq!(facts_of(&floor_code(frflags_a0, fsflags_a0, None)), READS);
        // Saved in a callee-saved register, which the caller keeps.
        let (frflags_s1, fsflags_s1) = (0x001024f3, 0x00149073);
        assert_eq!(facts_of(&floor_code(frflags_s1, fsflags_s1, None)), READS);
    }

    #[test]
    fn search_follows_calls_and_stops_at_indirect_jumps() {
        // frflags a4; jal ra, callee; fsflags a4; ret; callee: li a4, 0; ret
        let call = words(&[0x00102773, 0x00a000ef, 0x00171073]);
        let mut code = call.clone();
        code.extend(0x8082u16.to_le_bytes());
        code.extend(0x4701u16.to_le_bytes()); // li a4, 0 (overwrites)
        code.extend(0x8082u16.to_le_bytes());
        assert_eq!(facts_of(&code), NONE);
        // The callee passes a4 on: mv a0, a4.
        let mut code = call;
        code.extend(0x8082u16.to_le_bytes());
        code.extend(0x853au16.to_le_bytes());
        code.extend(0x8082u16.to_le_bytes());
        assert_eq!(facts_of(&code), READS);
        // frflags a4; jr a5
        let mut code = words(&[0x00102773]);
        code.extend(0x8782u16.to_le_bytes());
        assert_eq!(facts_of(&code), READS);
    }
}
