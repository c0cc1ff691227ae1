//! RV64I integer computation and the M extension (multiply/divide).
//! Each row: the operation, then its value as a function of the operands.
//! `*W` operations compute on the low 32 bits and sign-extend the result.

use super::decode::{Insn, Op};
use super::{set_x, x};
use crate::emit::LiftCx;
use inkwell::values::IntValue;
use inkwell::IntPredicate::*;

type V<'ctx> = IntValue<'ctx>;

pub fn lift<'ctx>(i: &Insn, pc: u64, cx: &mut LiftCx<'_, 'ctx>) -> bool {
    use Op::*;
    let imm = cx.c64(i.imm as u64);
    let value: V<'ctx> = match i.op {
        Lui => imm,
        Auipc => cx.c64(pc.wrapping_add(i.imm as u64)),
        _ => {
            let a = x(cx, i.rs1);
            // Second operand: rs2 for register forms, the immediate otherwise.
            let reg_form = matches!(
                i.op,
                Add | Sub
                    | Sll
                    | Slt
                    | Sltu
                    | Xor
                    | Srl
                    | Sra
                    | Or
                    | And
                    | Addw
                    | Subw
                    | Sllw
                    | Srlw
                    | Sraw
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
            );
            let b = if reg_form { x(cx, i.rs2) } else { imm };
            match i.op {
                Addi | Add => cx.add(a, b),
                Sub => cx.sub(a, b),
                Slti | Slt => bool64(cx, cx.icmp(SLT, a, b)),
                Sltiu | Sltu => bool64(cx, cx.icmp(ULT, a, b)),
                Xori | Xor => cx.xor(a, b),
                Ori | Or => cx.or(a, b),
                Andi | And => cx.and(a, b),
                Slli | Sll => cx.shl(a, shamt(cx, b, 63)),
                Srli | Srl => cx.lshr(a, shamt(cx, b, 63)),
                Srai | Sra => cx.ashr(a, shamt(cx, b, 63)),
                Addiw | Addw => word(cx, a, b, |cx, a, b| cx.add(a, b)),
                Subw => word(cx, a, b, |cx, a, b| cx.sub(a, b)),
                Slliw | Sllw => word(cx, a, b, |cx, a, b| cx.shl(a, shamt(cx, b, 31))),
                Srliw | Srlw => word(cx, a, b, |cx, a, b| cx.lshr(a, shamt(cx, b, 31))),
                Sraiw | Sraw => word(cx, a, b, |cx, a, b| cx.ashr(a, shamt(cx, b, 31))),
                Mul => cx.mul(a, b),
                Mulh => mul_high(cx, a, b, true, true),
                Mulhsu => mul_high(cx, a, b, true, false),
                Mulhu => mul_high(cx, a, b, false, false),
                Div => divide(cx, a, b, Division::Quotient, true),
                Divu => divide(cx, a, b, Division::Quotient, false),
                Rem => divide(cx, a, b, Division::Remainder, true),
                Remu => divide(cx, a, b, Division::Remainder, false),
                Mulw => word(cx, a, b, |cx, a, b| cx.mul(a, b)),
                Divw => word(cx, a, b, |cx, a, b| {
                    divide(cx, a, b, Division::Quotient, true)
                }),
                Divuw => word(cx, a, b, |cx, a, b| {
                    divide(cx, a, b, Division::Quotient, false)
                }),
                Remw => word(cx, a, b, |cx, a, b| {
                    divide(cx, a, b, Division::Remainder, true)
                }),
                Remuw => word(cx, a, b, |cx, a, b| {
                    divide(cx, a, b, Division::Remainder, false)
                }),
                _ => return false,
            }
        }
    };
    set_x(cx, i.rd, value);
    true
}

fn bool64<'ctx>(cx: &LiftCx<'_, 'ctx>, c: V<'ctx>) -> V<'ctx> {
    cx.zext(c, 64)
}

/// Shift amounts use only the low 6 (or 5 for W forms) bits.
pub(super) fn shamt<'ctx>(cx: &LiftCx<'_, 'ctx>, b: V<'ctx>, mask: u64) -> V<'ctx> {
    let bits = b.get_type().get_bit_width();
    cx.and(b, cx.cint(bits, mask))
}

/// Applies a 32-bit operation to the low words and sign-extends the result.
pub(super) fn word<'ctx>(
    cx: &LiftCx<'_, 'ctx>,
    a: V<'ctx>,
    b: V<'ctx>,
    f: impl Fn(&LiftCx<'_, 'ctx>, V<'ctx>, V<'ctx>) -> V<'ctx>,
) -> V<'ctx> {
    let (a, b) = (cx.trunc(a, 32), cx.trunc(b, 32));
    let r = f(cx, a, b);
    cx.sext(r, 64)
}

/// Upper half of the double-width product.
fn mul_high<'ctx>(
    cx: &LiftCx<'_, 'ctx>,
    a: V<'ctx>,
    b: V<'ctx>,
    a_signed: bool,
    b_signed: bool,
) -> V<'ctx> {
    let a = if a_signed {
        cx.sext(a, 128)
    } else {
        cx.zext(a, 128)
    };
    let b = if b_signed {
        cx.sext(b, 128)
    } else {
        cx.zext(b, 128)
    };
    let p = cx.mul(a, b);
    cx.trunc(cx.lshr(p, cx.cint(128, 64)), 64)
}

#[derive(Clone, Copy, PartialEq)]
enum Division {
    Quotient,
    Remainder,
}

/// RISC-V division never traps: x/0 = all ones, x%0 = x,
/// MIN/-1 = MIN and MIN%-1 = 0 (signed overflow).
fn divide<'ctx>(
    cx: &LiftCx<'_, 'ctx>,
    a: V<'ctx>,
    b: V<'ctx>,
    kind: Division,
    signed: bool,
) -> V<'ctx> {
    let bits = a.get_type().get_bit_width();
    let zero = cx.cint(bits, 0);
    let one = cx.cint(bits, 1);
    let all_ones = cx.cint(bits, u64::MAX);
    let by_zero = cx.icmp(EQ, b, zero);
    let mut unsafe_divisor = by_zero;
    let mut overflow = None;
    if signed {
        let min = cx.cint(bits, 1u64 << (bits - 1));
        let o = cx.and(cx.icmp(EQ, a, min), cx.icmp(EQ, b, all_ones));
        unsafe_divisor = cx.or(unsafe_divisor, o);
        overflow = Some(o);
    }
    let divisor = cx.select(unsafe_divisor, one, b);
    let (q, on_zero, on_overflow) = match (kind, signed) {
        (Division::Quotient, true) => (cx.sdiv(a, divisor), all_ones, a),
        (Division::Quotient, false) => (cx.udiv(a, divisor), all_ones, a),
        (Division::Remainder, true) => (cx.srem(a, divisor), a, zero),
        (Division::Remainder, false) => (cx.urem(a, divisor), a, zero),
    };
    let r = match overflow {
        Some(o) => cx.select(o, on_overflow, q),
        None => q,
    };
    cx.select(by_zero, on_zero, r)
}
