//! The bit-manipulation extensions Zba (address generation), Zbb (basic
//! bit manipulation) and Zbs (single-bit instructions), RV64 forms.
//!
//! Their decoder is `elfconv2_syscalls::isa::riscv::bitmanip` (shared with
//! the syscall layer's interpreter).
//! Semantics: one row per operation, its value as a function of the
//! operands. Bit counts, rotates, byte swap and min/max are LLVM
//! intrinsics, so Wasm gets `i64.clz`, `i64.rotl` and friends.
//! `*W` operations compute on the low 32 bits and sign-extend the result;
//! register shift amounts use their low 6 (5 for W) bits.

use super::decode::{Insn, Op};
use super::integer::{shamt, word};
use super::{set_x, x};
use crate::emit::LiftCx;
use inkwell::values::{BasicValueEnum, IntValue};

type V<'ctx> = IntValue<'ctx>;

/// Where the second operand comes from.
enum Form {
    /// rs2
    Reg,
    /// the immediate (a shift amount or bit index)
    Imm,
    /// none: rs1 is the only operand
    Unary,
}

fn form(op: Op) -> Option<Form> {
    use Op::*;
    Some(match op {
        AddUw | Sh1add | Sh2add | Sh3add | Sh1addUw | Sh2addUw | Sh3addUw | Andn | Orn | Xnor
        | Max | Maxu | Min | Minu | Rol | Rolw | Ror | Rorw | Bclr | Bext | Binv | Bset => {
            Form::Reg
        }
        SlliUw | Rori | Roriw | Bclri | Bexti | Binvi | Bseti => Form::Imm,
        Clz | Clzw | Ctz | Ctzw | Cpop | Cpopw | SextB | SextH | ZextH | OrcB | Rev8 => Form::Unary,
        _ => return None,
    })
}

pub fn lift<'ctx>(i: &Insn, cx: &mut LiftCx<'_, 'ctx>) -> bool {
    use Op::*;
    let Some(form) = form(i.op) else {
        return false;
    };
    let a = x(cx, i.rs1);
    let b = match form {
        Form::Reg => x(cx, i.rs2),
        Form::Imm => cx.c64(i.imm as u64),
        Form::Unary => cx.c64(0),
    };
    let value: V<'ctx> = match i.op {
        // Zba: rs2 + (rs1 << n), with .uw taking only the low word of rs1.
        AddUw => cx.add(b, low_word(cx, a)),
        Sh1add => cx.add(b, cx.shl(a, cx.c64(1))),
        Sh2add => cx.add(b, cx.shl(a, cx.c64(2))),
        Sh3add => cx.add(b, cx.shl(a, cx.c64(3))),
        Sh1addUw => cx.add(b, cx.shl(low_word(cx, a), cx.c64(1))),
        Sh2addUw => cx.add(b, cx.shl(low_word(cx, a), cx.c64(2))),
        Sh3addUw => cx.add(b, cx.shl(low_word(cx, a), cx.c64(3))),
        SlliUw => cx.shl(low_word(cx, a), b),
        // Zbb: logic with negate, counts, min/max, extensions, rotates, bytes.
        Andn => cx.and(a, cx.not(b)),
        Orn => cx.or(a, cx.not(b)),
        Xnor => cx.not(cx.xor(a, b)),
        Clz => count(cx, "llvm.ctlz", a),
        Ctz => count(cx, "llvm.cttz", a),
        Cpop => call(cx, "llvm.ctpop", &[a]),
        Clzw => word(cx, a, b, |cx, a, _| count(cx, "llvm.ctlz", a)),
        Ctzw => word(cx, a, b, |cx, a, _| count(cx, "llvm.cttz", a)),
        Cpopw => word(cx, a, b, |cx, a, _| call(cx, "llvm.ctpop", &[a])),
        Max => call(cx, "llvm.smax", &[a, b]),
        Maxu => call(cx, "llvm.umax", &[a, b]),
        Min => call(cx, "llvm.smin", &[a, b]),
        Minu => call(cx, "llvm.umin", &[a, b]),
        SextB => cx.sext(cx.trunc(a, 8), 64),
        SextH => cx.sext(cx.trunc(a, 16), 64),
        ZextH => cx.zext(cx.trunc(a, 16), 64),
        // Funnel shifts of a value with itself are rotates; LLVM takes the
        // amount modulo the width, which is the RISC-V masking.
        Rol => call(cx, "llvm.fshl", &[a, a, b]),
        Ror | Rori => call(cx, "llvm.fshr", &[a, a, b]),
        Rolw => word(cx, a, b, |cx, a, b| call(cx, "llvm.fshl", &[a, a, b])),
        Rorw | Roriw => word(cx, a, b, |cx, a, b| call(cx, "llvm.fshr", &[a, a, b])),
        OrcB => or_combine_bytes(cx, a),
        Rev8 => call(cx, "llvm.bswap", &[a]),
        // Zbs: the bit at index rs2 (or the immediate) modulo 64.
        Bclr | Bclri => cx.and(a, cx.not(bit(cx, b))),
        Bext | Bexti => cx.and(cx.lshr(a, shamt(cx, b, 63)), cx.c64(1)),
        Binv | Binvi => cx.xor(a, bit(cx, b)),
        Bset | Bseti => cx.or(a, bit(cx, b)),
        _ => return false,
    };
    set_x(cx, i.rd, value);
    true
}

/// The low 32 bits, zero-extended.
fn low_word<'ctx>(cx: &LiftCx<'_, 'ctx>, a: V<'ctx>) -> V<'ctx> {
    cx.zext(cx.trunc(a, 32), 64)
}

/// `1 << (index mod 64)`.
fn bit<'ctx>(cx: &LiftCx<'_, 'ctx>, index: V<'ctx>) -> V<'ctx> {
    cx.shl(cx.c64(1), shamt(cx, index, 63))
}

/// An integer intrinsic overloaded on its first argument's type.
fn call<'ctx>(cx: &LiftCx<'_, 'ctx>, name: &str, args: &[V<'ctx>]) -> V<'ctx> {
    let ty = args[0].get_type();
    let args: Vec<BasicValueEnum<'ctx>> = args.iter().map(|&v| v.into()).collect();
    cx.intrinsic(name, &[ty.into()], &args).into_int_value()
}

/// ctlz/cttz defined at zero (the result is then the bit width).
fn count<'ctx>(cx: &LiftCx<'_, 'ctx>, name: &str, a: V<'ctx>) -> V<'ctx> {
    let zero_is_poison = cx.cint(1, 0);
    call(cx, name, &[a, zero_is_poison])
}

/// orc.b: each byte becomes 0xff if it was non-zero, else 0x00.
/// Adding 0x7f to the low seven bits of a byte carries into its top bit
/// iff they are non-zero (and never into the next byte); or-ing the byte
/// back in covers its own top bit. Top bits * 0xff fill their bytes.
fn or_combine_bytes<'ctx>(cx: &LiftCx<'_, 'ctx>, a: V<'ctx>) -> V<'ctx> {
    let low7 = cx.c64(0x7f7f_7f7f_7f7f_7f7f);
    let carried = cx.add(cx.and(a, low7), low7);
    let top = cx.and(cx.or(carried, a), cx.c64(0x8080_8080_8080_8080));
    cx.mul(cx.lshr(top, cx.c64(7)), cx.c64(0xff))
}
