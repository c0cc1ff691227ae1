//! Control transfer: jumps, calls, returns and conditional branches.
//! The core turns the returned outcome and the static flow into Wasm
//! control flow; here we only compute link values, targets and conditions.

use super::decode::{Insn, Op};
use super::{set_x, x};
use crate::arch::Outcome;
use crate::emit::LiftCx;
use inkwell::IntPredicate::*;

pub fn lift<'ctx>(i: &Insn, pc: u64, cx: &mut LiftCx<'_, 'ctx>) -> Option<Outcome<'ctx>> {
    let next = pc + i.len as u64;
    let branch = |cx: &mut LiftCx<'_, 'ctx>, p| {
        let (a, b) = (x(cx, i.rs1), x(cx, i.rs2));
        Outcome {
            condition: Some(cx.icmp(p, a, b)),
            target: None,
        }
    };
    Some(match i.op {
        // rd = pc + len; continue at pc + imm (the target is static).
        Op::Jal => {
            let link = cx.c64(next);
            set_x(cx, i.rd, link);
            Outcome::default()
        }
        // target = (rs1 + imm) & !1, read before rd is written.
        Op::Jalr => {
            let base = x(cx, i.rs1);
            let sum = cx.add(base, cx.c64(i.imm as u64));
            let target = cx.and(sum, cx.c64(!1));
            let link = cx.c64(next);
            set_x(cx, i.rd, link);
            Outcome {
                condition: None,
                target: Some(target),
            }
        }
        Op::Beq => branch(cx, EQ),
        Op::Bne => branch(cx, NE),
        Op::Blt => branch(cx, SLT),
        Op::Bge => branch(cx, SGE),
        Op::Bltu => branch(cx, ULT),
        Op::Bgeu => branch(cx, UGE),
        _ => return None,
    })
}
