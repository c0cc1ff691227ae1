//! The bit-manipulation extensions Zba (address generation), Zbb (basic
//! bit manipulation) and Zbs (single-bit instructions), RV64 forms.
//!
//! They live in encodings the base ISA leaves free in OP, OP-32, OP-IMM
//! and OP-IMM-32, so the base decoder hands those to [`decode`].
//! Semantics: one row per operation, its value as a function of the
//! operands. Bit counts, rotates, byte swap and min/max are LLVM
//! intrinsics, so Wasm gets `i64.clz`, `i64.rotl` and friends.
//! `*W` operations compute on the low 32 bits and sign-extend the result;
//! register shift amounts use their low 6 (5 for W) bits.

use super::decode::{bits, Insn, Op};
use super::integer::{shamt, word};
use super::{set_x, x};
use crate::emit::LiftCx;
use inkwell::values::{BasicValueEnum, IntValue};

type V<'ctx> = IntValue<'ctx>;

/// Decodes a Zba/Zbb/Zbs instruction word (None if it is none of them).
pub fn decode(w: u32) -> Option<Insn> {
    use Op::*;
    let opcode = bits(w, 6, 0);
    let rd = bits(w, 11, 7) as u8;
    let funct3 = bits(w, 14, 12);
    let rs1 = bits(w, 19, 15) as u8;
    let rs2 = bits(w, 24, 20) as u8;
    let funct7 = bits(w, 31, 25);
    // Unary forms keep a sub-opcode in the whole 12-bit immediate field;
    // shift-immediate forms a 6-bit funct6 and a 6-bit (5 for W) amount.
    let imm12 = bits(w, 31, 20);
    let funct6 = bits(w, 31, 26);
    let reg = |op: Op| Insn {
        rd,
        rs1,
        rs2,
        ..Insn::new(op)
    };
    let unary = |op: Op| Insn {
        rd,
        rs1,
        ..Insn::new(op)
    };
    let shift_imm = |op: Op, amount: u32| Insn {
        rd,
        rs1,
        imm: amount as i64,
        ..Insn::new(op)
    };
    Some(match (opcode, funct3) {
        // OP
        (0x33, _) => reg(match (funct7, funct3) {
            (0x10, 2) => Sh1add,
            (0x10, 4) => Sh2add,
            (0x10, 6) => Sh3add,
            (0x20, 4) => Xnor,
            (0x20, 6) => Orn,
            (0x20, 7) => Andn,
            (0x05, 4) => Min,
            (0x05, 5) => Minu,
            (0x05, 6) => Max,
            (0x05, 7) => Maxu,
            (0x30, 1) => Rol,
            (0x30, 5) => Ror,
            (0x24, 1) => Bclr,
            (0x24, 5) => Bext,
            (0x34, 1) => Binv,
            (0x14, 1) => Bset,
            _ => return None,
        }),
        // OP-32
        (0x3b, 4) if funct7 == 0x04 && rs2 == 0 => unary(ZextH),
        (0x3b, _) => reg(match (funct7, funct3) {
            (0x04, 0) => AddUw,
            (0x10, 2) => Sh1addUw,
            (0x10, 4) => Sh2addUw,
            (0x10, 6) => Sh3addUw,
            (0x30, 1) => Rolw,
            (0x30, 5) => Rorw,
            _ => return None,
        }),
        // OP-IMM
        (0x13, 1) => match (imm12, funct6) {
            (0x600, _) => unary(Clz),
            (0x601, _) => unary(Ctz),
            (0x602, _) => unary(Cpop),
            (0x604, _) => unary(SextB),
            (0x605, _) => unary(SextH),
            (_, 0x12) => shift_imm(Bclri, bits(w, 25, 20)),
            (_, 0x1a) => shift_imm(Binvi, bits(w, 25, 20)),
            (_, 0x0a) => shift_imm(Bseti, bits(w, 25, 20)),
            _ => return None,
        },
        (0x13, 5) => match (imm12, funct6) {
            (0x287, _) => unary(OrcB),
            (0x6b8, _) => unary(Rev8),
            (_, 0x18) => shift_imm(Rori, bits(w, 25, 20)),
            (_, 0x12) => shift_imm(Bexti, bits(w, 25, 20)),
            _ => return None,
        },
        // OP-IMM-32
        (0x1b, 1) => match (imm12, funct6) {
            (0x600, _) => unary(Clzw),
            (0x601, _) => unary(Ctzw),
            (0x602, _) => unary(Cpopw),
            (_, 0x02) => shift_imm(SlliUw, bits(w, 25, 20)),
            _ => return None,
        },
        (0x1b, 5) if funct7 == 0x30 => shift_imm(Roriw, bits(w, 24, 20)),
        _ => return None,
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use Op::*;

    /// Operation, rd, rs1, rs2, immediate.
    type Expected = (Op, u8, u8, u8, i64);

    /// Encodings from GNU as (a0 = x10, a1 = x11, a2 = x12).
    #[test]
    fn decodes_every_instruction() {
        let reg = |op| (op, 10, 11, 12, 0);
        let un = |op| (op, 10, 11, 0, 0);
        let imm = |op, k| (op, 10, 11, 0, k);
        let cases: &[(u32, Expected)] = &[
            (0x08c5853b, reg(AddUw)),
            (0x20c5a533, reg(Sh1add)),
            (0x20c5c533, reg(Sh2add)),
            (0x20c5e533, reg(Sh3add)),
            (0x20c5a53b, reg(Sh1addUw)),
            (0x20c5c53b, reg(Sh2addUw)),
            (0x20c5e53b, reg(Sh3addUw)),
            (0x0a15951b, imm(SlliUw, 33)),
            (0x40c5f533, reg(Andn)),
            (0x40c5e533, reg(Orn)),
            (0x40c5c533, reg(Xnor)),
            (0x60059513, un(Clz)),
            (0x6005951b, un(Clzw)),
            (0x60159513, un(Ctz)),
            (0x6015951b, un(Ctzw)),
            (0x60259513, un(Cpop)),
            (0x6025951b, un(Cpopw)),
            (0x0ac5e533, reg(Max)),
            (0x0ac5f533, reg(Maxu)),
            (0x0ac5c533, reg(Min)),
            (0x0ac5d533, reg(Minu)),
            (0x60459513, un(SextB)),
            (0x60559513, un(SextH)),
            (0x0805c53b, un(ZextH)),
            (0x60c59533, reg(Rol)),
            (0x60c5953b, reg(Rolw)),
            (0x60c5d533, reg(Ror)),
            (0x63f5d513, imm(Rori, 63)),
            (0x61f5d51b, imm(Roriw, 31)),
            (0x60c5d53b, reg(Rorw)),
            (0x2875d513, un(OrcB)),
            (0x6b85d513, un(Rev8)),
            (0x48c59533, reg(Bclr)),
            (0x4bf59513, imm(Bclri, 63)),
            (0x48c5d533, reg(Bext)),
            (0x4a85d513, imm(Bexti, 40)),
            (0x68c59533, reg(Binv)),
            (0x68559513, imm(Binvi, 5)),
            (0x28c59533, reg(Bset)),
            (0x28059513, imm(Bseti, 0)),
        ];
        for &(w, (op, rd, rs1, rs2, imm)) in cases {
            let i = crate::riscv::decode::decode32(w).unwrap_or_else(|e| panic!("{w:#x}: {}", e.0));
            assert_eq!(
                (i.op, i.rd, i.rs1, i.rs2, i.imm, i.len),
                (op, rd, rs1, rs2, imm, 4),
                "{w:#010x}"
            );
        }
    }

    /// Neighbours of the encodings that are reserved, not some other instruction.
    #[test]
    fn rejects_reserved_neighbours() {
        for w in [
            0x60359513, // clz's OP-IMM group, sub-opcode 3
            0x6035951b, // clzw's group, sub-opcode 3
            0x0815c53b, // zext.h with rs2 != 0 (RV32 pack)
            0x2885d513, // orc.b with another shift amount
            0x6985d513, // rev8 of RV32
            0x63f5d51b, // roriw with a 6-bit amount
            0x0ac5953b, // OP-32 funct7 5 (no W min/max)
        ] {
            assert!(decode(w).is_none(), "{w:#010x}");
            assert!(crate::riscv::decode::decode32(w).is_err(), "{w:#010x}");
        }
    }
}
