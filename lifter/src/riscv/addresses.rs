//! Code addresses formed by instructions: `auipc` followed by `addi`
//! (`la`/`lla` of a function: `main` handed to `__libc_start_main`, a
//! callback handed to `qsort`), and `jalr` through such a register (a call
//! too far for `jal`). In a stripped binary these are the only trace of
//! functions that are never called directly.
//!
//! `lui`-built values are ignored: Linux code is position-independent
//! (medany), so `lui` builds plain numbers, and gcc merges small stores into
//! one such number that may look like a code address.

use super::decode::{Insn, Op};
use super::jump_table::writes_rd;

/// Values formed in `run` (instructions in address order, possibly with
/// gaps) that may be code addresses. Constants are tracked through
/// consecutive instructions only; a gap forgets them. Callers check that
/// each value really is code.
pub fn formed_addresses(run: &[(u64, Insn)]) -> Vec<u64> {
    let mut known: [Option<u64>; 32] = [None; 32];
    let mut out = Vec::new();
    let mut expected_pc = None;
    for &(pc, i) in run {
        if expected_pc != Some(pc) {
            known = [None; 32];
        }
        expected_pc = Some(pc + i.len as u64);
        let base = if i.rs1 == 0 {
            Some(0)
        } else {
            known[i.rs1 as usize]
        };
        let value = match i.op {
            Op::Auipc => Some(pc.wrapping_add(i.imm as u64)),
            Op::Addi => base.map(|b| b.wrapping_add(i.imm as u64)),
            Op::Jalr => {
                if let Some(b) = base {
                    out.push(b.wrapping_add(i.imm as u64) & !1);
                }
                None
            }
            _ => None,
        };
        if i.op == Op::Addi {
            out.extend(value);
        }
        if i.rd != 0 && writes_rd(i.op) {
            known[i.rd as usize] = value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insn(op: Op, rd: u8, rs1: u8, imm: i64) -> Insn {
        let mut i = Insn::new(op);
        i.rd = rd;
        i.rs1 = rs1;
        i.imm = imm;
        i.len = 4;
        i
    }

    #[test]
    fn auipc_addi_forms_an_address() {
        let run = [
            (0x1000, insn(Op::Auipc, 10, 0, 0x2000)),
            (0x1004, insn(Op::Addi, 10, 10, -16)),
        ];
        assert_eq!(formed_addresses(&run), vec![0x2ff0]);
    }

    #[test]
    fn far_call_through_jalr() {
        let run = [
            (0x1000, insn(Op::Auipc, 6, 0, 0x10_0000)),
            (0x1004, insn(Op::Jalr, 1, 6, 0x24)),
        ];
        assert_eq!(formed_addresses(&run), vec![0x10_1024]);
    }

    #[test]
    fn a_gap_forgets_constants() {
        let run = [
            (0x1000, insn(Op::Auipc, 10, 0, 0x2000)),
            (0x1010, insn(Op::Addi, 10, 10, 8)),
        ];
        assert!(formed_addresses(&run).is_empty());
    }

    #[test]
    fn lui_builds_numbers_not_addresses() {
        let run = [
            (0x1000, insn(Op::Lui, 15, 0, 0x22000)),
            (0x1004, insn(Op::Addi, 15, 15, -1772)),
        ];
        assert!(formed_addresses(&run).is_empty());
    }

    #[test]
    fn an_overwrite_forgets_constants() {
        let run = [
            (0x1000, insn(Op::Auipc, 10, 0, 0x12000)),
            (0x1004, insn(Op::Add, 10, 11, 0)),
            (0x1008, insn(Op::Addi, 10, 10, 8)),
        ];
        assert!(formed_addresses(&run).is_empty());
    }
}
