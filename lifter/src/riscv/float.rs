//! The F and D extensions. FP registers are 64-bit integers in the register
//! file; single-precision values are NaN-boxed (upper 32 bits all ones) and
//! an improperly boxed single reads as the canonical NaN. Arithmetic that
//! yields a NaN yields the canonical NaN, as RISC-V requires.
//!
//! Canonical NaNs cost a compare and a select per result, so they are made
//! lazily: an arithmetic result is written as Wasm computed it, and the
//! fix-up happens only where its bits become visible: stores, moves to
//! integer registers, sign injection, and spills to `CpuState` (so the
//! dispatcher, the syscall layer and other functions see only canonical
//! NaNs). Further arithmetic on it is unaffected (any NaN input gives a
//! NaN). Within a guest block `cx.deferred` says which registers hold such a
//! result; from block to block each FP register's fix-up slot says so (0,
//! or the width of the pending result), and LLVM folds the slot to a
//! constant wherever the paths agree, as in most loops.
//!
//! Rounding modes and exception flags follow the model of `fp_env.rs`:
//! results are computed inline under RNE, and the soft-float helpers of the
//! syscall layer are called only for other modes and when flags may differ
//! from what the inline tests prove.

use super::decode::{Insn, Op};
use super::fp_env::{self, ExactResult, FpFacts, Rounding, NV, NX};
use super::{set_x, x, F0};
use crate::arch::Unsupported;
use crate::emit::LiftCx;
use inkwell::values::{BasicValueEnum, FloatValue, IntValue};
use inkwell::{FloatPredicate, IntPredicate};

type V<'ctx> = IntValue<'ctx>;

const CANONICAL_NAN_32: u64 = 0x7fc0_0000;
const CANONICAL_NAN_64: u64 = 0x7ff8_0000_0000_0000;
/// The upper half of a NaN-boxed single.
const BOX: u64 = 0xffff_ffff_0000_0000;

fn f_reg(r: u8) -> usize {
    F0 + r as usize
}

/// Raw bits of an FP register operand of the given format (unboxed for .S).
fn read_bits<'ctx>(cx: &mut LiftCx<'_, 'ctx>, r: u8, width: u32) -> V<'ctx> {
    let raw = cx.read(f_reg(r));
    unbox(cx, raw, width)
}

/// The operand of the given format in register contents `raw`: an
/// improperly boxed single reads as the canonical NaN.
fn unbox<'ctx>(cx: &LiftCx<'_, 'ctx>, raw: V<'ctx>, width: u32) -> V<'ctx> {
    if width == 64 {
        return raw;
    }
    let upper = cx.lshr(raw, cx.c64(32));
    let boxed = cx.icmp(IntPredicate::EQ, upper, cx.c64(0xffff_ffff));
    let low = cx.trunc(raw, 32);
    cx.select(boxed, low, cx.c32(CANONICAL_NAN_32 as u32))
}

/// Writes raw bits of the given format (NaN-boxing singles), with no
/// fix-up pending.
fn write_bits<'ctx>(cx: &mut LiftCx<'_, 'ctx>, r: u8, width: u32, bits: V<'ctx>) {
    let v = if width == 64 {
        bits
    } else {
        cx.or(cx.zext(bits, 64), cx.c64(BOX))
    };
    cx.write(f_reg(r), v);
    cx.set_pending_fixup(f_reg(r), 0);
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

fn canonical_nan(width: u32) -> u64 {
    if width == 64 {
        CANONICAL_NAN_64
    } else {
        CANONICAL_NAN_32
    }
}

/// Bits of `f` with any NaN replaced by the canonical NaN.
fn canonical<'ctx>(cx: &LiftCx<'_, 'ctx>, f: FloatValue<'ctx>, width: u32) -> V<'ctx> {
    let bits = to_bits(cx, f, width);
    cx.select(is_nan(cx, f), cx.cint(width, canonical_nan(width)), bits)
}

/// Does register `r` hold a deferred result of this width?
fn is_deferred(cx: &LiftCx<'_, '_>, r: u8, width: u32) -> bool {
    cx.deferred
        .iter()
        .any(|&(d, w)| d == f_reg(r) && w == width)
}

/// Writes an arithmetic result whose NaN (if any) is not yet canonical.
fn write_result<'ctx>(cx: &mut LiftCx<'_, 'ctx>, rd: u8, width: u32, f: FloatValue<'ctx>) {
    let bits = to_bits(cx, f, width);
    write_bits(cx, rd, width, bits);
    cx.deferred.push((f_reg(rd), width));
    cx.set_pending_fixup(f_reg(rd), width as u8);
}

/// The contents of FP register `r` with any pending NaN made canonical.
fn settled_bits<'ctx>(cx: &mut LiftCx<'_, 'ctx>, r: u8) -> V<'ctx> {
    if let Some(&(_, width)) = cx.deferred.iter().find(|&&(d, _)| d == f_reg(r)) {
        // Known in this block: settle the register itself.
        let f = read_f(cx, r, width);
        let bits = canonical(cx, f, width);
        write_bits(cx, r, width, bits);
        return cx.read(f_reg(r));
    }
    let raw = cx.read(f_reg(r));
    let pending = cx.pending_fixup(f_reg(r));
    settle_pending(cx, raw, pending)
}

/// Register contents `raw` with the NaN of a `pending` result (0, 32 or
/// 64: the fix-up slot) made canonical.
fn settle_pending<'ctx>(cx: &LiftCx<'_, 'ctx>, raw: V<'ctx>, pending: V<'ctx>) -> V<'ctx> {
    let i8t = cx.ctx.i8_type();
    let is = |w: u64| cx.icmp(IntPredicate::EQ, pending, i8t.const_int(w, false));
    let nan64 = is_nan(cx, to_float(cx, raw, 64));
    let nan32 = is_nan(cx, to_float(cx, cx.trunc(raw, 32), 32));
    let fix64 = cx.and(is(64), nan64);
    let fix32 = cx.and(is(32), nan32);
    let boxed_nan32 = cx.c64(BOX | CANONICAL_NAN_32);
    let v = cx.select(fix32, boxed_nan32, raw);
    cx.select(fix64, cx.c64(CANONICAL_NAN_64), v)
}

/// The value an FP register is spilled with: settled, so `CpuState` holds
/// only canonical NaNs (and the slot is clear for the reload that follows).
pub fn spill_value<'ctx>(cx: &mut LiftCx<'_, 'ctx>, r: usize, v: V<'ctx>) -> V<'ctx> {
    if !(F0..F0 + 32).contains(&r) {
        return v;
    }
    let pending = cx.pending_fixup(r);
    let settled = settle_pending(cx, v, pending);
    cx.set_pending_fixup(r, 0);
    settled
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

/// The format letter of the helpers' names.
fn fmt(width: u32) -> &'static str {
    if width == 64 {
        "d"
    } else {
        "s"
    }
}

/// The integer letters of the helpers' names.
fn int_fmt(int_bits: u32, signed: bool) -> &'static str {
    match (int_bits, signed) {
        (32, true) => "w",
        (32, false) => "wu",
        (64, true) => "l",
        _ => "lu",
    }
}

pub fn lift<'ctx>(
    i: &Insn,
    cx: &mut LiftCx<'_, 'ctx>,
    facts: FpFacts,
) -> Result<bool, Unsupported> {
    use Op::*;
    let w = i.width;
    match i.op {
        Flw | Fld => {
            let base = x(cx, i.rs1);
            let v = cx.load(base, i.imm, w);
            write_bits(cx, i.rd, w, v);
        }
        Fsw | Fsd if is_deferred(cx, i.rs2, w) => {
            // Store the canonical value as a float: Wasm then selects in
            // float registers and stores them, with no move to an integer
            // register. The register itself stays deferred.
            let f = read_f(cx, i.rs2, w);
            let nan = to_float(cx, cx.cint(w, canonical_nan(w)), w);
            let canon = cx.b.build_select(is_nan(cx, f), nan, f, "").unwrap();
            let base = x(cx, i.rs1);
            let p = cx.guest_ptr(base, i.imm, w / 8);
            let s = cx.b.build_store(p, canon).unwrap();
            s.set_alignment(1).unwrap();
            cx.tag_guest(s);
        }
        Fsw | Fsd => {
            let raw = settled_bits(cx, i.rs2);
            let base = x(cx, i.rs1);
            let v = cx.trunc(raw, w);
            cx.store(base, i.imm, v);
        }
        Fadd | Fsub | Fmul | Fdiv => {
            let rounding = Rounding::of(cx, facts, i.rm)?;
            let (ab, bb) = (read_bits(cx, i.rs1, w), read_bits(cx, i.rs2, w));
            let (a, b) = (to_float(cx, ab, w), to_float(cx, bb, w));
            let (inline, name) = match i.op {
                Fadd => (cx.b.build_float_add(a, b, ""), "add"),
                Fsub => (cx.b.build_float_sub(a, b, ""), "sub"),
                Fmul => (cx.b.build_float_mul(a, b, ""), "mul"),
                _ => (cx.b.build_float_div(a, b, ""), "div"),
            };
            let name = format!("elfconv_fp_{name}_{}", fmt(w));
            arithmetic_result(cx, facts, i, &rounding, inline.unwrap(), &name, &[ab, bb]);
        }
        Fsqrt => {
            let rounding = Rounding::of(cx, facts, i.rm)?;
            let ab = read_bits(cx, i.rs1, w);
            let a = to_float(cx, ab, w);
            let inline = fp_intrinsic(cx, "llvm.sqrt", w, &[a]);
            let name = format!("elfconv_fp_sqrt_{}", fmt(w));
            arithmetic_result(cx, facts, i, &rounding, inline, &name, &[ab]);
        }
        // Fused multiply-add with one rounding: ±(a*b) ± c.
        Fmadd | Fmsub | Fnmsub | Fnmadd => {
            let rounding = Rounding::of(cx, facts, i.rm)?;
            let (ab, bb, cb) = (
                read_bits(cx, i.rs1, w),
                read_bits(cx, i.rs2, w),
                read_bits(cx, i.rs3, w),
            );
            // Negating flips the sign bit (NaNs stay NaNs of the same kind).
            let sign = cx.cint(w, 1u64 << (w - 1));
            let (ab, cb) = match i.op {
                Fmadd => (ab, cb),
                Fmsub => (ab, cx.xor(cb, sign)),
                Fnmsub => (cx.xor(ab, sign), cb),
                _ => (cx.xor(ab, sign), cx.xor(cb, sign)),
            };
            let (a, b, c) = (
                to_float(cx, ab, w),
                to_float(cx, bb, w),
                to_float(cx, cb, w),
            );
            let inline = fp_intrinsic(cx, "llvm.fma", w, &[a, b, c]);
            let name = format!("elfconv_fp_fma_{}", fmt(w));
            arithmetic_result(cx, facts, i, &rounding, inline, &name, &[ab, bb, cb]);
        }
        // Sign injection works on bits (of canonical NaNs).
        Fsgnj | Fsgnjn | Fsgnjx => {
            let (a, b) = (settled_bits(cx, i.rs1), settled_bits(cx, i.rs2));
            let (a, b) = (unbox(cx, a, w), unbox(cx, b, w));
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
        // a number; both NaN gives the canonical NaN; -0 < +0. Signaling
        // NaN operands raise NV.
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
            if facts.flags_read {
                raise_invalid_for_signaling(cx, ab, bb, w);
            }
        }
        // Widening is exact: only a signaling NaN raises (NV).
        FcvtFF if w > i.src_width => {
            let ab = read_bits(cx, i.rs1, i.src_width);
            let a = to_float(cx, ab, i.src_width);
            let r = cx.b.build_float_ext(a, float_type(cx, w), "").unwrap();
            write_result(cx, i.rd, w, r);
            if facts.flags_read {
                let signaling = fp_env::is_signaling_nan(cx, ab, i.src_width);
                let flags = cx.select(signaling, cx.c64(NV), cx.c64(0));
                fp_env::raise(cx, flags);
            }
        }
        FcvtFF => {
            let rounding = Rounding::of(cx, facts, i.rm)?;
            let ab = read_bits(cx, i.rs1, i.src_width);
            let a = to_float(cx, ab, i.src_width);
            let inline = cx.b.build_float_trunc(a, float_type(cx, w), "").unwrap();
            let name = format!("elfconv_fp_cvt_{}_{}", fmt(w), fmt(i.src_width));
            let inline_bits = to_bits(cx, inline, w);
            let bits = fp_env::rounded(cx, &rounding, inline_bits, None, &name, &[ab]);
            let r = to_float(cx, bits, w);
            if facts.flags_read {
                // A result that widens back to the operand was exact (in any mode).
                let src_type = float_type(cx, i.src_width);
                let exact = move |cx: &LiftCx<'_, 'ctx>| {
                    let back = cx.b.build_float_ext(r, src_type, "").unwrap();
                    cx.b.build_float_compare(FloatPredicate::OEQ, back, a, "")
                        .unwrap()
                };
                let nearest = rounding.is_nearest(cx);
                let quiet =
                    move |cx: &LiftCx<'_, 'ctx>| cx.and(nearest, fp_env::is_comfortable(cx, r));
                let name = format!("{name}_flags");
                fp_env::defer(
                    cx,
                    &rounding,
                    Box::new(exact),
                    Box::new(quiet),
                    &name,
                    &[ab],
                );
            }
            write_result(cx, i.rd, w, r);
        }
        FcvtIF => {
            let rounding = Rounding::of(cx, facts, i.rm)?;
            let ab = read_bits(cx, i.rs1, w);
            let v = float_to_int(cx, facts, ab, w, i.int_bits, i.signed, &rounding);
            set_x(cx, i.rd, v);
        }
        FcvtFI => {
            let rounding = Rounding::of(cx, facts, i.rm)?;
            let raw = x(cx, i.rs1);
            let bits = int_to_float(cx, facts, raw, w, i.int_bits, i.signed, &rounding);
            write_bits(cx, i.rd, w, bits);
        }
        FmvXF => {
            let raw = settled_bits(cx, i.rs1);
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
        // feq is quiet (NV only for signaling NaNs); flt and fle signal NV
        // for any NaN operand.
        Feq | Flt | Fle => {
            let (ab, bb) = (read_bits(cx, i.rs1, w), read_bits(cx, i.rs2, w));
            let (a, b) = (to_float(cx, ab, w), to_float(cx, bb, w));
            let pred = match i.op {
                Feq => FloatPredicate::OEQ,
                Flt => FloatPredicate::OLT,
                _ => FloatPredicate::OLE,
            };
            let c = cx.b.build_float_compare(pred, a, b, "").unwrap();
            let v = cx.zext(c, 64);
            set_x(cx, i.rd, v);
            if facts.flags_read {
                if i.op == Feq {
                    raise_invalid_for_signaling(cx, ab, bb, w);
                } else {
                    let unordered =
                        cx.b.build_float_compare(FloatPredicate::UNO, a, b, "")
                            .unwrap();
                    let flags = cx.select(unordered, cx.c64(NV), cx.c64(0));
                    fp_env::raise(cx, flags);
                }
            }
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

/// Writes the result of add, sub, mul, div, sqrt or fma: `inline` (the Wasm
/// operation) or the soft-float `name(args.., mode)`, with the operation's
/// flags left for the end of the block.
fn arithmetic_result<'ctx>(
    cx: &mut LiftCx<'_, 'ctx>,
    facts: FpFacts,
    i: &Insn,
    rounding: &Rounding<'ctx>,
    inline: FloatValue<'ctx>,
    name: &str,
    args: &[V<'ctx>],
) {
    let w = i.width;
    let inline_bits = to_bits(cx, inline, w);
    let bits = fp_env::rounded(cx, rounding, inline_bits, None, name, args);
    let r = to_float(cx, bits, w);
    if facts.flags_read {
        // Both tests presume RNE; another mode always takes the slow path.
        let nearest = rounding.is_nearest(cx);
        let test = ExactResult::of(i.op);
        let (a, b) = (args[0], args.get(1).copied().unwrap_or(args[0]));
        let exact = move |cx: &LiftCx<'_, 'ctx>| cx.and(nearest, test.emit(cx, a, b, r, w));
        let quiet = move |cx: &LiftCx<'_, 'ctx>| cx.and(nearest, fp_env::is_comfortable(cx, r));
        let name = format!("{name}_flags");
        fp_env::defer(cx, rounding, Box::new(exact), Box::new(quiet), &name, args);
    }
    write_result(cx, i.rd, w, r);
}

/// Raises NV if either operand is a signaling NaN (feq, fmin, fmax).
fn raise_invalid_for_signaling<'ctx>(cx: &mut LiftCx<'_, 'ctx>, a: V<'ctx>, b: V<'ctx>, w: u32) {
    let signaling = cx.or(
        fp_env::is_signaling_nan(cx, a, w),
        fp_env::is_signaling_nan(cx, b, w),
    );
    let flags = cx.select(signaling, cx.c64(NV), cx.c64(0));
    fp_env::raise(cx, flags);
}

/// fcvt to a float of `w` bits from the integer register value `raw`
/// (`int_bits` wide, `signed` or not); returns the result bits. Integers up
/// to [`fp_env::exact_int_limit`] in magnitude convert exactly, so neither
/// the rounding mode nor flags matter for them; beyond it only NX can be
/// raised.
fn int_to_float<'ctx>(
    cx: &mut LiftCx<'_, 'ctx>,
    facts: FpFacts,
    raw: V<'ctx>,
    w: u32,
    int_bits: u32,
    signed: bool,
    rounding: &Rounding<'ctx>,
) -> V<'ctx> {
    let src = if int_bits == 32 {
        let low = cx.trunc(raw, 32);
        if signed {
            cx.sext(low, 64)
        } else {
            cx.zext(low, 64)
        }
    } else {
        raw
    };
    let t = float_type(cx, w);
    let f = if signed {
        cx.b.build_signed_int_to_float(src, t, "")
    } else {
        cx.b.build_unsigned_int_to_float(src, t, "")
    }
    .unwrap();
    let inline = to_bits(cx, f, w);
    if int_bits == 32 && w == 64 {
        return inline;
    }
    let limit = fp_env::exact_int_limit(w);
    let exact = if signed {
        // -limit <= src <= limit
        let shifted = cx.add(src, cx.c64(limit));
        cx.icmp(IntPredicate::ULE, shifted, cx.c64(2 * limit))
    } else {
        cx.icmp(IntPredicate::ULE, src, cx.c64(limit))
    };
    let name = format!("elfconv_fp_cvt_{}_{}", fmt(w), int_fmt(int_bits, signed));
    let bits = fp_env::rounded(cx, rounding, inline, Some(exact), &name, &[raw]);
    if facts.flags_read {
        // Beyond the exact range only NX can be raised.
        let always = |cx: &LiftCx<'_, 'ctx>| cx.m.i1.const_int(1, false);
        let name = format!("{name}_flags");
        fp_env::defer(
            cx,
            rounding,
            Box::new(move |_| exact),
            Box::new(always),
            &name,
            &[raw],
        );
    }
    bits
}

/// fcvt to integer: round per the mode, saturate, NaN gives the largest
/// value; 32-bit results are sign-extended into the 64-bit register. The
/// flags are computed inline: NV for NaN or a rounded value out of range,
/// else NX if rounding changed the value.
fn float_to_int<'ctx>(
    cx: &mut LiftCx<'_, 'ctx>,
    facts: FpFacts,
    a_bits: V<'ctx>,
    w: u32,
    int_bits: u32,
    signed: bool,
    rounding: &Rounding<'ctx>,
) -> V<'ctx> {
    let a = to_float(cx, a_bits, w);
    // Static modes round inline; the dynamic one does when frm is RNE.
    let inline_mode = match *rounding {
        Rounding::Static(m) => m,
        _ => 0,
    };
    let name = match inline_mode {
        0 => "llvm.roundeven",
        1 => "llvm.trunc",
        2 => "llvm.floor",
        3 => "llvm.ceil",
        _ => "llvm.round", // RMM: ties away from zero
    };
    // Toward zero is what the conversion itself does; the flags need the
    // rounded value, though (to compare it with the operand and the range).
    let rounded = if inline_mode == 1 && !facts.flags_read {
        a
    } else {
        fp_intrinsic(cx, name, w, &[a])
    };
    let it = crate::emit::int_type(cx.ctx, int_bits);
    let saturating = if signed {
        "llvm.fptosi.sat"
    } else {
        "llvm.fptoui.sat"
    };
    let sat = cx
        .intrinsic(
            saturating,
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
    let value = cx.sext(r, 64);
    let flags = facts.flags_read.then(|| {
        let (lower, upper) = fp_env::int_bounds(int_bits, signed);
        let t = float_type(cx, w);
        let compare = |p, b: f64| {
            cx.b.build_float_compare(p, rounded, t.const_float(b), "")
                .unwrap()
        };
        let in_range = cx.and(
            compare(FloatPredicate::OGE, lower),
            compare(FloatPredicate::OLT, upper),
        );
        let changed =
            cx.b.build_float_compare(FloatPredicate::ONE, rounded, a, "")
                .unwrap();
        let nx = cx.select(changed, cx.c64(NX), cx.c64(0));
        cx.select(in_range, nx, cx.c64(NV))
    });
    let name = format!("elfconv_fp_cvt_{}_{}", int_fmt(int_bits, signed), fmt(w));
    let (value, flags) = match *rounding {
        Rounding::Dynamic(frm) => {
            let not_nearest = cx.icmp(IntPredicate::NE, frm, cx.c32(0));
            let mut fast = vec![value];
            fast.extend(flags);
            let merged = fp_env::unless_slow(cx, not_nearest, &fast, |cx| {
                fp_env::trap_if_invalid(cx, frm);
                let args = [a_bits, frm];
                let f = fp_env::helper(cx, &name, 64, &args);
                let mut slow = vec![cx.call(f, &args)];
                if facts.flags_read {
                    let f = fp_env::helper(cx, &format!("{name}_flags"), 32, &args);
                    let flags = cx.call(f, &args);
                    slow.push(cx.zext(flags, 64));
                }
                slow
            });
            (merged[0], merged.get(1).copied())
        }
        _ => (value, flags),
    };
    if let Some(flags) = flags {
        fp_env::raise(cx, flags);
    }
    value
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
