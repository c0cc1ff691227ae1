//! The F and D extensions. FP registers are 64-bit integers in the register
//! file; single-precision values are NaN-boxed (upper 32 bits all ones) and
//! an improperly boxed single reads as the canonical NaN. Arithmetic that
//! yields a NaN yields the canonical NaN, as RISC-V requires.
//!
//! Canonical NaNs cost a compare and a select per result, so they are made
//! lazily: an arithmetic result is written as Wasm computed it and listed in
//! `cx.deferred`. Further arithmetic on it is unaffected (any NaN input
//! gives a NaN), and the fix-up happens only where the bits become visible:
//! stores, moves to integer registers, sign injection, and the end of the
//! guest block (`settle_all`). LLVM deletes fix-ups of values that die.
//!
//! Not yet modelled (tracked for the RISC-V completeness issue): fflags
//! accumulation, and the dynamic rounding mode (frm), which is taken to be
//! round-to-nearest-even. Static rounding modes are honoured where they
//! matter most: float-to-integer conversions.

use super::decode::{Insn, Op};
use super::{set_x, x, F0};
use crate::arch::Unsupported;
use crate::emit::LiftCx;
use inkwell::values::{BasicValueEnum, FloatValue, IntValue};
use inkwell::{FloatPredicate, IntPredicate};

type V<'ctx> = IntValue<'ctx>;

const CANONICAL_NAN_32: u64 = 0x7fc0_0000;
const CANONICAL_NAN_64: u64 = 0x7ff8_0000_0000_0000;

fn f_reg(r: u8) -> usize {
    F0 + r as usize
}

/// Raw bits of an FP register operand of the given format (unboxed for .S).
fn read_bits<'ctx>(cx: &mut LiftCx<'_, 'ctx>, r: u8, width: u32) -> V<'ctx> {
    let raw = cx.read(f_reg(r));
    if width == 64 {
        return raw;
    }
    let upper = cx.lshr(raw, cx.c64(32));
    let boxed = cx.icmp(IntPredicate::EQ, upper, cx.c64(0xffff_ffff));
    let low = cx.trunc(raw, 32);
    cx.select(boxed, low, cx.c32(CANONICAL_NAN_32 as u32))
}

/// Writes raw bits of the given format (NaN-boxing singles).
fn write_bits<'ctx>(cx: &mut LiftCx<'_, 'ctx>, r: u8, width: u32, bits: V<'ctx>) {
    let v = if width == 64 {
        bits
    } else {
        cx.or(cx.zext(bits, 64), cx.c64(0xffff_ffff_0000_0000))
    };
    cx.write(f_reg(r), v);
}

fn float_type<'ctx>(cx: &LiftCx<'_, 'ctx>, width: u32) -> inkwell::types::FloatType<'ctx> {
    if width == 64 {
        cx.ctx.f64_type()
    } else {
        cx.ctx.f32_type()
    }
}

fn to_float<'ctx>(cx: &LiftCx<'_, 'ctx>, bits: V<'ctx>, width: u32) -> FloatValue<'ctx> {
    cx.bitcast(bits.into(), float_type(cx, width).into())
        .into_float_value()
}

fn to_bits<'ctx>(cx: &LiftCx<'_, 'ctx>, f: FloatValue<'ctx>, width: u32) -> V<'ctx> {
    let t = crate::emit::int_type(cx.ctx, width);
    cx.bitcast(f.into(), t.into()).into_int_value()
}

fn read_f<'ctx>(cx: &mut LiftCx<'_, 'ctx>, r: u8, width: u32) -> FloatValue<'ctx> {
    let bits = read_bits(cx, r, width);
    to_float(cx, bits, width)
}

fn is_nan<'ctx>(cx: &LiftCx<'_, 'ctx>, f: FloatValue<'ctx>) -> V<'ctx> {
    cx.b.build_float_compare(FloatPredicate::UNO, f, f, "")
        .unwrap()
}

/// Bits of `f` with any NaN replaced by the canonical NaN.
fn canonical<'ctx>(cx: &LiftCx<'_, 'ctx>, f: FloatValue<'ctx>, width: u32) -> V<'ctx> {
    let nan = if width == 64 {
        CANONICAL_NAN_64
    } else {
        CANONICAL_NAN_32
    };
    let bits = to_bits(cx, f, width);
    cx.select(is_nan(cx, f), cx.cint(width, nan), bits)
}

/// Writes an arithmetic result whose NaN (if any) is not yet canonical.
fn write_result<'ctx>(cx: &mut LiftCx<'_, 'ctx>, rd: u8, width: u32, f: FloatValue<'ctx>) {
    let bits = to_bits(cx, f, width);
    write_bits(cx, rd, width, bits);
    cx.deferred.push((f_reg(rd), width));
}

/// Makes register `r`'s NaN canonical if its value is a deferred result.
fn settle<'ctx>(cx: &mut LiftCx<'_, 'ctx>, r: u8) {
    let Some(&(_, width)) = cx.deferred.iter().find(|&&(d, _)| d == f_reg(r)) else {
        return;
    };
    let f = read_f(cx, r, width);
    let bits = canonical(cx, f, width);
    write_bits(cx, r, width, bits);
}

/// Settles every deferred result (the end of a guest block).
pub fn settle_all(cx: &mut LiftCx<'_, '_>) {
    while let Some(&(reg, _)) = cx.deferred.first() {
        settle(cx, (reg - F0) as u8);
    }
}

fn fp_intrinsic<'ctx>(
    cx: &LiftCx<'_, 'ctx>,
    name: &str,
    width: u32,
    args: &[FloatValue<'ctx>],
) -> FloatValue<'ctx> {
    let args: Vec<BasicValueEnum> = args.iter().map(|&a| a.into()).collect();
    cx.intrinsic(name, &[float_type(cx, width).into()], &args)
        .into_float_value()
}

pub fn lift<'ctx>(i: &Insn, cx: &mut LiftCx<'_, 'ctx>) -> Result<bool, Unsupported> {
    use Op::*;
    let w = i.width;
    match i.op {
        Flw | Fld => {
            let base = x(cx, i.rs1);
            let v = cx.load(base, i.imm, w);
            write_bits(cx, i.rd, w, v);
        }
        Fsw | Fsd => {
            settle(cx, i.rs2);
            let base = x(cx, i.rs1);
            let raw = cx.read(f_reg(i.rs2));
            let v = cx.trunc(raw, w);
            cx.store(base, i.imm, v);
        }
        Fadd | Fsub | Fmul | Fdiv => {
            let (a, b) = (read_f(cx, i.rs1, w), read_f(cx, i.rs2, w));
            let r = match i.op {
                Fadd => cx.b.build_float_add(a, b, ""),
                Fsub => cx.b.build_float_sub(a, b, ""),
                Fmul => cx.b.build_float_mul(a, b, ""),
                _ => cx.b.build_float_div(a, b, ""),
            }
            .unwrap();
            write_result(cx, i.rd, w, r);
        }
        Fsqrt => {
            let a = read_f(cx, i.rs1, w);
            let r = fp_intrinsic(cx, "llvm.sqrt", w, &[a]);
            write_result(cx, i.rd, w, r);
        }
        // Fused multiply-add with one rounding: ±(a*b) ± c.
        Fmadd | Fmsub | Fnmsub | Fnmadd => {
            let (a, b, c) = (
                read_f(cx, i.rs1, w),
                read_f(cx, i.rs2, w),
                read_f(cx, i.rs3, w),
            );
            let neg =
                |cx: &LiftCx<'_, 'ctx>, v: FloatValue<'ctx>| cx.b.build_float_neg(v, "").unwrap();
            let (a, c) = match i.op {
                Fmadd => (a, c),
                Fmsub => (a, neg(cx, c)),
                Fnmsub => (neg(cx, a), c),
                _ => (neg(cx, a), neg(cx, c)),
            };
            let r = fp_intrinsic(cx, "llvm.fma", w, &[a, b, c]);
            write_result(cx, i.rd, w, r);
        }
        // Sign injection works on bits (of canonical NaNs).
        Fsgnj | Fsgnjn | Fsgnjx => {
            settle(cx, i.rs1);
            settle(cx, i.rs2);
            let (a, b) = (read_bits(cx, i.rs1, w), read_bits(cx, i.rs2, w));
            let sign = cx.cint(w, 1u64 << (w - 1));
            let magnitude = cx.and(a, cx.not(sign));
            let b_sign = cx.and(b, sign);
            let new_sign = match i.op {
                Fsgnj => b_sign,
                Fsgnjn => cx.and(cx.not(b), sign),
                _ => cx.xor(cx.and(a, sign), b_sign),
            };
            let r = cx.or(magnitude, new_sign);
            write_bits(cx, i.rd, w, r);
        }
        // IEEE 754-2019 minimumNumber/maximumNumber: a NaN operand loses to
        // a number; both NaN gives the canonical NaN; -0 < +0.
        Fmin | Fmax => {
            let (ab, bb) = (read_bits(cx, i.rs1, w), read_bits(cx, i.rs2, w));
            let (a, b) = (to_float(cx, ab, w), to_float(cx, bb, w));
            let a_nan = is_nan(cx, a);
            let b_nan = is_nan(cx, b);
            let pred = if i.op == Fmin {
                FloatPredicate::OLT
            } else {
                FloatPredicate::OGT
            };
            let a_wins = cx.b.build_float_compare(pred, a, b, "").unwrap();
            let equal =
                cx.b.build_float_compare(FloatPredicate::OEQ, a, b, "")
                    .unwrap();
            // Equal values differ only in the sign of zero: min ORs the sign, max ANDs it.
            let tie = if i.op == Fmin {
                cx.or(ab, bb)
            } else {
                cx.and(ab, bb)
            };
            let ordered = cx.select(a_wins, ab, bb);
            let ordered = cx.select(equal, tie, ordered);
            let nan = cx.cint(
                w,
                if w == 64 {
                    CANONICAL_NAN_64
                } else {
                    CANONICAL_NAN_32
                },
            );
            let one_nan = cx.select(a_nan, bb, ab);
            let both_nan = cx.and(a_nan, b_nan);
            let any_nan = cx.or(a_nan, b_nan);
            let r = cx.select(any_nan, cx.select(both_nan, nan, one_nan), ordered);
            write_bits(cx, i.rd, w, r);
        }
        FcvtFF => {
            let a = read_f(cx, i.rs1, i.src_width);
            let t = float_type(cx, w);
            let r = if w > i.src_width {
                cx.b.build_float_ext(a, t, "")
            } else {
                cx.b.build_float_trunc(a, t, "")
            }
            .unwrap();
            write_result(cx, i.rd, w, r);
        }
        FcvtIF => {
            let a = read_f(cx, i.rs1, w);
            let r = float_to_int(cx, a, w, i.int_bits, i.signed, i.rm)?;
            set_x(cx, i.rd, r);
        }
        FcvtFI => {
            let src = x(cx, i.rs1);
            let src = if i.int_bits == 32 {
                let low = cx.trunc(src, 32);
                if i.signed {
                    cx.sext(low, 64)
                } else {
                    cx.zext(low, 64)
                }
            } else {
                src
            };
            let t = float_type(cx, w);
            let f = if i.signed {
                cx.b.build_signed_int_to_float(src, t, "")
            } else {
                cx.b.build_unsigned_int_to_float(src, t, "")
            }
            .unwrap();
            let bits = to_bits(cx, f, w);
            write_bits(cx, i.rd, w, bits);
        }
        FmvXF => {
            settle(cx, i.rs1);
            let raw = cx.read(f_reg(i.rs1));
            let v = if w == 32 {
                cx.sext(cx.trunc(raw, 32), 64)
            } else {
                raw
            };
            set_x(cx, i.rd, v);
        }
        FmvFX => {
            let v = x(cx, i.rs1);
            let v = cx.trunc(v, w);
            write_bits(cx, i.rd, w, v);
        }
        Feq | Flt | Fle => {
            let (a, b) = (read_f(cx, i.rs1, w), read_f(cx, i.rs2, w));
            let pred = match i.op {
                Feq => FloatPredicate::OEQ,
                Flt => FloatPredicate::OLT,
                _ => FloatPredicate::OLE,
            };
            let c = cx.b.build_float_compare(pred, a, b, "").unwrap();
            let v = cx.zext(c, 64);
            set_x(cx, i.rd, v);
        }
        Fclass => {
            let bits = read_bits(cx, i.rs1, w);
            let v = classify(cx, bits, w);
            set_x(cx, i.rd, v);
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// fcvt to integer: round per `rm`, saturate, NaN gives the largest value.
/// 32-bit results are sign-extended into the 64-bit register.
fn float_to_int<'ctx>(
    cx: &LiftCx<'_, 'ctx>,
    a: FloatValue<'ctx>,
    w: u32,
    int_bits: u32,
    signed: bool,
    rm: u8,
) -> Result<V<'ctx>, Unsupported> {
    let rounded = match rm {
        0 | 7 => fp_intrinsic(cx, "llvm.roundeven", w, &[a]),
        1 => a, // toward zero: the conversion itself truncates
        2 => fp_intrinsic(cx, "llvm.floor", w, &[a]),
        3 => fp_intrinsic(cx, "llvm.ceil", w, &[a]),
        4 => fp_intrinsic(cx, "llvm.round", w, &[a]),
        _ => return Err(Unsupported(format!("reserved rounding mode {rm}"))),
    };
    let it = crate::emit::int_type(cx.ctx, int_bits);
    let name = if signed {
        "llvm.fptosi.sat"
    } else {
        "llvm.fptoui.sat"
    };
    let sat = cx
        .intrinsic(
            name,
            &[it.into(), float_type(cx, w).into()],
            &[rounded.into()],
        )
        .into_int_value();
    let max = if signed {
        (1u64 << (int_bits - 1)) - 1
    } else if int_bits == 64 {
        u64::MAX
    } else {
        (1u64 << int_bits) - 1
    };
    let r = cx.select(is_nan(cx, a), cx.cint(int_bits, max), sat);
    Ok(cx.sext(r, 64))
}

/// fclass: one bit set, by category (see the RISC-V spec's table).
fn classify<'ctx>(cx: &LiftCx<'_, 'ctx>, bits: V<'ctx>, w: u32) -> V<'ctx> {
    use IntPredicate::*;
    let (exp_bits, man_bits) = if w == 64 { (11, 52) } else { (8, 23) };
    let sign = cx.icmp(NE, cx.lshr(bits, cx.cint(w, (w - 1) as u64)), cx.cint(w, 0));
    let exp = cx.and(
        cx.lshr(bits, cx.cint(w, man_bits)),
        cx.cint(w, (1 << exp_bits) - 1),
    );
    let man = cx.and(bits, cx.cint(w, (1u64 << man_bits) - 1));
    let exp_zero = cx.icmp(EQ, exp, cx.cint(w, 0));
    let exp_max = cx.icmp(EQ, exp, cx.cint(w, (1 << exp_bits) - 1));
    let man_zero = cx.icmp(EQ, man, cx.cint(w, 0));
    let quiet = cx.icmp(
        NE,
        cx.and(man, cx.cint(w, 1u64 << (man_bits - 1))),
        cx.cint(w, 0),
    );
    let pos = cx.not(sign);
    let man_nonzero = cx.not(man_zero);
    let normal = cx.and(cx.not(exp_zero), cx.not(exp_max));
    let classes = [
        cx.and(sign, cx.and(exp_max, man_zero)),     // 0: -inf
        cx.and(sign, normal),                        // 1: negative normal
        cx.and(sign, cx.and(exp_zero, man_nonzero)), // 2: negative subnormal
        cx.and(sign, cx.and(exp_zero, man_zero)),    // 3: -0
        cx.and(pos, cx.and(exp_zero, man_zero)),     // 4: +0
        cx.and(pos, cx.and(exp_zero, man_nonzero)),  // 5: positive subnormal
        cx.and(pos, normal),                         // 6: positive normal
        cx.and(pos, cx.and(exp_max, man_zero)),      // 7: +inf
        cx.and(exp_max, cx.and(man_nonzero, cx.not(quiet))), // 8: signaling NaN
        cx.and(exp_max, cx.and(man_nonzero, quiet)), // 9: quiet NaN
    ];
    let mut r = cx.c64(0);
    for (bit, c) in classes.iter().enumerate() {
        let v = cx.shl(cx.zext(*c, 64), cx.c64(bit as u64));
        r = cx.or(r, v);
    }
    r
}
