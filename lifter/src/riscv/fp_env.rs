//! The RISC-V FP environment, fcsr: the dynamic rounding mode frm (bits
//! 7..5) and the accrued exception flags fflags (bits 4..0: NV DZ OF UF NX).
//!
//! Wasm rounds to nearest-even (RNE) and has no exception flags, so inline FP
//! arithmetic is right only under RNE and says nothing about flags. The
//! syscall layer has a bit-exact soft-float (`elfconv_fp_*`, pure functions)
//! for every rounding mode with exact flags, but each use costs a call. The
//! model keeps ordinary FP code inline and calls the soft-float only when
//! the answer can differ:
//!
//! - **fcsr is a promoted register** ([`FCSR_REG`]): an SSA value inside a
//!   function like the x and f registers, reloaded and spilled with them.
//!   CSR instructions read and write it; FP operations OR their flags into it.
//! - **Program-wide facts** ([`FpFacts`], `fp_facts.rs`) decide what is
//!   modelled at all. If no instruction can set frm to a mode other than
//!   RNE, frm is RNE for the whole run and dynamic-mode operations are plain
//!   Wasm operations. If the program never reads fflags in a way that lets
//!   it see them, no flags are computed: the usual case, as the flag reads
//!   of glibc and GCC save and restore the flags around an operation.
//! - **Rounding** ([`Rounding`]): RNE is the inline operation. A static mode
//!   other than RNE calls the soft-float. The dynamic mode, when frm can
//!   change, tests frm == RNE and otherwise calls the soft-float (an invalid
//!   frm raises SIGILL, as on hardware).
//! - **Flags**: compares, min/max, fcvt.d.s and float-to-integer conversions
//!   compute theirs inline, exactly. Arithmetic (add, sub, mul, div, sqrt,
//!   fma, fcvt.s.d, integer-to-float) records a [`LazyFlags`] with two cheap
//!   tests, and the end of the guest block settles them all: if NX is set,
//!   it tests that each operation raised nothing but NX; if NX is clear, that
//!   each was exact. Only when that one branch fails are the `_flags` helpers
//!   called and their exact flags ORed into fcsr. Once NX is set (most
//!   programs set it early, and it stays set), an RNE operation whose result
//!   is comfortably inside the normal range cannot raise a new flag
//!   ([`is_comfortable`]: a shift and a subtraction, ORed over the block);
//!   while NX is clear, sums, products and quotients of values with short
//!   significands are recognised as exact ([`ExactResult`]), so code whose
//!   arithmetic is exact (integers or dyadic fractions in doubles) stays off
//!   the slow path too. Pending flags are also settled before any
//!   instruction that accesses an FP CSR. (Checking after each operation
//!   instead was measured slower: a branch per operation costs more than
//!   keeping the operands alive to the end of the block.)

use super::decode::Op;
pub use super::fp_facts::FpFacts;
use crate::arch::Unsupported;
use crate::emit::{LazyFlags, LazyTest, LiftCx};
use inkwell::types::BasicMetadataTypeEnum;
use inkwell::values::{FloatValue, FunctionValue, IntValue};
use inkwell::{FloatPredicate, IntPredicate};

/// Index of fcsr in the RISC-V register file (after x0..x31 and f0..f31).
pub const FCSR_REG: usize = 64;

/// The fflags bits.
pub const NV: u64 = 0x10;
pub const NX: u64 = 0x01;
const ALL_FLAGS: u64 = 0x1f;

/// How an operation with a rounding-mode field rounds at run time.
pub enum Rounding<'ctx> {
    /// Round to nearest, ties to even: the inline Wasm operation.
    Nearest,
    /// A static mode other than RNE (1 RTZ, 2 RDN, 3 RUP, 4 RMM).
    Static(u8),
    /// The dynamic mode in a program that may change it: frm (an i32).
    Dynamic(IntValue<'ctx>),
}

impl<'ctx> Rounding<'ctx> {
    /// Resolves an instruction's rm field (reserved modes 5 and 6 are
    /// illegal instructions).
    pub fn of(cx: &mut LiftCx<'_, 'ctx>, facts: FpFacts, rm: u8) -> Result<Self, Unsupported> {
        Ok(match rm {
            0 => Rounding::Nearest,
            1..=4 => Rounding::Static(rm),
            7 if facts.frm_may_change => {
                let fcsr = cx.read(FCSR_REG);
                let frm = cx.and(cx.lshr(fcsr, cx.c64(5)), cx.c64(7));
                Rounding::Dynamic(cx.trunc(frm, 32))
            }
            7 => Rounding::Nearest,
            _ => return Err(Unsupported(format!("reserved rounding mode {rm}"))),
        })
    }

    /// The mode as the soft-float helpers take it (an i32).
    pub fn mode(&self, cx: &LiftCx<'_, 'ctx>) -> IntValue<'ctx> {
        match *self {
            Rounding::Nearest => cx.c32(0),
            Rounding::Static(m) => cx.c32(m as u32),
            Rounding::Dynamic(frm) => frm,
        }
    }

    /// An i1: the mode is RNE at run time.
    pub fn is_nearest(&self, cx: &LiftCx<'_, 'ctx>) -> IntValue<'ctx> {
        match *self {
            Rounding::Nearest => cx.m.i1.const_int(1, false),
            Rounding::Static(_) => cx.m.i1.const_zero(),
            Rounding::Dynamic(frm) => cx.icmp(IntPredicate::EQ, frm, cx.c32(0)),
        }
    }
}

/// The pure soft-float helper `name` taking `args` (their types give the
/// parameters) and returning an integer of `ret_bits`.
pub fn helper<'ctx>(
    cx: &LiftCx<'_, 'ctx>,
    name: &str,
    ret_bits: u32,
    args: &[IntValue<'ctx>],
) -> FunctionValue<'ctx> {
    let params: Vec<BasicMetadataTypeEnum> = args.iter().map(|a| a.get_type().into()).collect();
    let ty = crate::emit::int_type(cx.ctx, ret_bits).fn_type(&params, false);
    cx.m.pure_runtime_function(name, ty)
}

/// `slow(cx)` when `cond` holds at run time, else `fast`: the values of
/// both paths merged after a branch that LLVM is told is rarely taken.
pub fn unless_slow<'ctx>(
    cx: &mut LiftCx<'_, 'ctx>,
    cond: IntValue<'ctx>,
    fast: &[IntValue<'ctx>],
    slow: impl FnOnce(&mut LiftCx<'_, 'ctx>) -> Vec<IntValue<'ctx>>,
) -> Vec<IntValue<'ctx>> {
    let cond = cx
        .intrinsic(
            "llvm.expect",
            &[cx.m.i1.into()],
            &[cond.into(), cx.m.i1.const_zero().into()],
        )
        .into_int_value();
    let fast_end = cx.b.get_insert_block().unwrap();
    let slow_bb = cx.new_block("fp_slow");
    let join = cx.new_block("fp_join");
    cx.b.build_conditional_branch(cond, slow_bb, join).unwrap();
    cx.b.position_at_end(slow_bb);
    let slow_values = slow(cx);
    assert_eq!(
        slow_values.len(),
        fast.len(),
        "both paths give the same values"
    );
    let slow_end = cx.b.get_insert_block().unwrap();
    cx.b.build_unconditional_branch(join).unwrap();
    cx.b.position_at_end(join);
    fast.iter()
        .zip(slow_values)
        .map(|(&f, s)| {
            let phi = cx.b.build_phi(f.get_type(), "").unwrap();
            phi.add_incoming(&[(&f, fast_end), (&s, slow_end)]);
            phi.as_basic_value().into_int_value()
        })
        .collect()
}

/// Stops with SIGILL if `frm` is not a valid rounding mode: a dynamic-mode
/// operation under an invalid frm is an illegal instruction.
pub fn trap_if_invalid<'ctx>(cx: &mut LiftCx<'_, 'ctx>, frm: IntValue<'ctx>) {
    let invalid = cx.icmp(IntPredicate::UGT, frm, cx.c32(4));
    let trap = cx.new_block("invalid_frm");
    let valid = cx.new_block("valid_frm");
    cx.b.build_conditional_branch(invalid, trap, valid).unwrap();
    cx.b.position_at_end(trap);
    cx.trap_sigill("FP operation with the dynamic rounding mode while frm holds an invalid mode");
    cx.b.build_unreachable().unwrap();
    cx.b.position_at_end(valid);
}

/// The result of an operation Wasm computes exactly only under RNE:
/// `inline` (its RNE result) when the mode is RNE at run time or when
/// `exact` holds (the result needs no rounding), else the soft-float helper
/// `name(args.., mode)`.
pub fn rounded<'ctx>(
    cx: &mut LiftCx<'_, 'ctx>,
    rounding: &Rounding<'ctx>,
    inline: IntValue<'ctx>,
    exact: Option<IntValue<'ctx>>,
    name: &str,
    args: &[IntValue<'ctx>],
) -> IntValue<'ctx> {
    let bits = inline.get_type().get_bit_width();
    let soft = |cx: &mut LiftCx<'_, 'ctx>, mode: IntValue<'ctx>| {
        let mut with_mode = args.to_vec();
        with_mode.push(mode);
        let f = helper(cx, name, bits, &with_mode);
        cx.call(f, &with_mode)
    };
    let (needs_soft, frm) = match *rounding {
        Rounding::Nearest => return inline,
        Rounding::Static(m) => {
            let mode = cx.c32(m as u32);
            let Some(exact) = exact else {
                return soft(cx, mode);
            };
            (cx.not(exact), mode)
        }
        Rounding::Dynamic(frm) => {
            let not_nearest = cx.icmp(IntPredicate::NE, frm, cx.c32(0));
            let needs = match exact {
                Some(exact) => cx.and(not_nearest, cx.not(exact)),
                None => not_nearest,
            };
            (needs, frm)
        }
    };
    let dynamic = matches!(rounding, Rounding::Dynamic(_));
    unless_slow(cx, needs_soft, &[inline], |cx| {
        if dynamic {
            trap_if_invalid(cx, frm);
        }
        vec![soft(cx, frm)]
    })[0]
}

/// ORs `flags` (an i64 of fflags bits) into fcsr.
pub fn raise<'ctx>(cx: &mut LiftCx<'_, 'ctx>, flags: IntValue<'ctx>) {
    let fcsr = cx.read(FCSR_REG);
    let v = cx.or(fcsr, flags);
    cx.write(FCSR_REG, v);
}

/// Records an operation whose flags the end of the block settles: the
/// tests that prove it raised nothing (while NX is clear) or nothing but NX
/// (once NX is set), and its `_flags` helper `name`, called with `args` and
/// the mode if a test fails.
pub fn defer<'ctx>(
    cx: &mut LiftCx<'_, 'ctx>,
    rounding: &Rounding<'ctx>,
    raised_none: LazyTest<'ctx>,
    raised_at_most_inexact: LazyTest<'ctx>,
    name: &str,
    args: &[IntValue<'ctx>],
) {
    let mut args = args.to_vec();
    args.push(rounding.mode(cx));
    let helper = helper(cx, name, 32, &args);
    cx.lazy_flags.push(LazyFlags {
        raised_none,
        raised_at_most_inexact,
        helper,
        args,
    });
}

/// Settles the flags of the block's lazily checked operations. Depending on
/// NX, one of the two tests of every operation is emitted (so each path
/// computes only its own), ANDed into one branch; only if that fails are
/// the helpers called and their exact flags ORed into fcsr.
pub fn settle_flags(cx: &mut LiftCx<'_, '_>) {
    let pending = std::mem::take(&mut cx.lazy_flags);
    if pending.is_empty() {
        return;
    }
    let fcsr = cx.read(FCSR_REG);
    let inexact_set = cx.icmp(IntPredicate::NE, cx.and(fcsr, cx.c64(NX)), cx.c64(0));
    let after_inexact = cx.new_block("fp_flags_nx_set");
    let before_inexact = cx.new_block("fp_flags_nx_clear");
    let slow = cx.new_block("fp_flags_slow");
    let join = cx.new_block("fp_flags_done");
    cx.b.build_conditional_branch(inexact_set, after_inexact, before_inexact)
        .unwrap();
    for (block, nx_set) in [(after_inexact, true), (before_inexact, false)] {
        cx.b.position_at_end(block);
        let mut quiet = cx.m.i1.const_int(1, false);
        for p in &pending {
            let test = if nx_set {
                (p.raised_at_most_inexact)(cx)
            } else {
                (p.raised_none)(cx)
            };
            quiet = cx.and(quiet, test);
        }
        let quiet = cx
            .intrinsic(
                "llvm.expect",
                &[cx.m.i1.into()],
                &[quiet.into(), cx.m.i1.const_int(1, false).into()],
            )
            .into_int_value();
        cx.b.build_conditional_branch(quiet, join, slow).unwrap();
    }
    cx.b.position_at_end(slow);
    let mut flags = cx.c64(0);
    for p in &pending {
        let f = cx.call(p.helper, &p.args);
        flags = cx.or(flags, cx.zext(f, 64));
    }
    let flags = cx.and(flags, cx.c64(ALL_FLAGS));
    let v = cx.or(fcsr, flags);
    cx.write(FCSR_REG, v);
    cx.b.build_unconditional_branch(join).unwrap();
    cx.b.position_at_end(join);
}

/// A cheap test that an RNE result of add, sub, mul or div was exact, so
/// that the operation raised no flag at all. It lets code whose arithmetic
/// is exact (integers or dyadic fractions held in doubles) stay on the fast
/// path while NX is still clear.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExactResult {
    /// No cheap test (fsqrt, fma): assume it may have raised a flag.
    Unknown,
    /// fadd r = a + b: exact iff r - a == b and r - b == a (for RNE, the
    /// subtraction from the operand of larger magnitude is exact, so an
    /// inexact sum fails one of the two; a NaN or infinity fails both).
    Sum,
    /// fsub r = a - b: the same test for a + (-b): a - r == b and r + b == a.
    Difference,
    /// fmul: both significands together have at most the format's precision
    /// in significant bits, and the result is comfortable (so not rounded
    /// by underflow or overflow).
    Product,
    /// fdiv: the divisor is a power of two and the result comfortable.
    Quotient,
}

impl ExactResult {
    pub fn of(op: Op) -> ExactResult {
        match op {
            Op::Fadd => ExactResult::Sum,
            Op::Fsub => ExactResult::Difference,
            Op::Fmul => ExactResult::Product,
            Op::Fdiv => ExactResult::Quotient,
            _ => ExactResult::Unknown,
        }
    }

    /// Whether the test passes for `width`-bit operands `a`, `b` and RNE
    /// result `r` (the host-side twin of [`ExactResult::emit`], for tests).
    #[cfg(test)]
    pub fn holds(self, a: u64, b: u64, r: u64, width: u32) -> bool {
        let (precision, mantissa) = precision(width);
        let trailing = |x: u64| (x | (1 << (precision - 1))).trailing_zeros();
        let comfortable = comfortable(r, width);
        let sum_checks = |a: u64, b: u64, r: u64, subtract: bool| {
            if width == 64 {
                let (a, b, r) = (f64::from_bits(a), f64::from_bits(b), f64::from_bits(r));
                if subtract {
                    a - r == b && r + b == a
                } else {
                    r - a == b && r - b == a
                }
            } else {
                let f = |x: u64| f32::from_bits(x as u32);
                let (a, b, r) = (f(a), f(b), f(r));
                if subtract {
                    a - r == b && r + b == a
                } else {
                    r - a == b && r - b == a
                }
            }
        };
        match self {
            ExactResult::Unknown => false,
            ExactResult::Sum => sum_checks(a, b, r, false),
            ExactResult::Difference => sum_checks(a, b, r, true),
            ExactResult::Product => comfortable && trailing(a) + trailing(b) >= precision,
            ExactResult::Quotient => comfortable && b & mantissa == 0,
        }
    }

    /// An i1: the test passes for operand bits `a`, `b` and the result `r`
    /// (all `w` bits wide).
    pub fn emit<'ctx>(
        self,
        cx: &LiftCx<'_, 'ctx>,
        a: IntValue<'ctx>,
        b: IntValue<'ctx>,
        r: FloatValue<'ctx>,
        w: u32,
    ) -> IntValue<'ctx> {
        let (precision, mantissa) = precision(w);
        let t = r.get_type();
        let float = |bits: IntValue<'ctx>| cx.bitcast(bits.into(), t.into()).into_float_value();
        let equal = |x, y| {
            cx.b.build_float_compare(FloatPredicate::OEQ, x, y, "")
                .unwrap()
        };
        let trailing = |x: IntValue<'ctx>| {
            let with_implicit_bit = cx.or(x, cx.cint(w, 1 << (precision - 1)));
            cx.intrinsic(
                "llvm.cttz",
                &[x.get_type().into()],
                &[with_implicit_bit.into(), cx.m.i1.const_int(1, false).into()],
            )
            .into_int_value()
        };
        match self {
            ExactResult::Unknown => cx.m.i1.const_zero(),
            ExactResult::Sum | ExactResult::Difference => {
                let (fa, fb) = (float(a), float(b));
                let (first, second) = if self == ExactResult::Sum {
                    let r_minus_a = cx.b.build_float_sub(r, fa, "").unwrap();
                    let r_minus_b = cx.b.build_float_sub(r, fb, "").unwrap();
                    (equal(r_minus_a, fb), equal(r_minus_b, fa))
                } else {
                    let a_minus_r = cx.b.build_float_sub(fa, r, "").unwrap();
                    let r_plus_b = cx.b.build_float_add(r, fb, "").unwrap();
                    (equal(a_minus_r, fb), equal(r_plus_b, fa))
                };
                cx.and(first, second)
            }
            ExactResult::Product => {
                let bits = cx.add(trailing(a), trailing(b));
                let fits = cx.icmp(IntPredicate::UGE, bits, cx.cint(w, precision as u64));
                cx.and(fits, is_comfortable(cx, r))
            }
            ExactResult::Quotient => {
                let fraction = cx.and(b, cx.cint(w, mantissa));
                let power_of_two = cx.icmp(IntPredicate::EQ, fraction, cx.cint(w, 0));
                cx.and(power_of_two, is_comfortable(cx, r))
            }
        }
    }
}

/// (precision in bits, mask of the stored fraction) of a binary format.
fn precision(width: u32) -> (u32, u64) {
    if width == 64 {
        (53, (1 << 52) - 1)
    } else {
        (24, (1 << 23) - 1)
    }
}

/// The test that lets an RNE operation's flags be skipped once NX is set:
/// its result is a comfortable number, with a magnitude in [2^-512, 2^512)
/// for binary64 or [2^-64, 2^64) for binary32. Such a result is finite and
/// far above the smallest normal, so the operation raised no flag but NX:
/// NV gives a NaN, DZ and OF an infinity, and UF a result no larger than the
/// smallest normal (tininess is detected after rounding).
///
/// The range spans a power-of-two number of exponents (half of them), so
/// the test is `(bits << 1) - offset` having its sign bit clear: a shift and
/// a subtraction, and the tests of a whole block fold into one OR and one
/// sign test.
fn comfortable_offset(width: u32) -> u64 {
    // The lowest accepted biased exponent, just above the dropped sign bit.
    if width == 64 {
        0x1ff << 53
    } else {
        0x3f << 24
    }
}

/// The host-side twin of [`is_comfortable`], for tests.
#[cfg(test)]
pub fn comfortable(bits: u64, width: u32) -> bool {
    let mask = if width == 64 {
        u64::MAX
    } else {
        u32::MAX as u64
    };
    let v = ((bits << 1) & mask).wrapping_sub(comfortable_offset(width)) & mask;
    v >> (width - 1) == 0
}

/// An i1: the result `r` is a comfortable number (see [`comfortable_offset`]).
pub fn is_comfortable<'ctx>(cx: &LiftCx<'_, 'ctx>, r: FloatValue<'ctx>) -> IntValue<'ctx> {
    let width = if r.get_type() == cx.ctx.f64_type() {
        64
    } else {
        32
    };
    let int_type = crate::emit::int_type(cx.ctx, width);
    let bits = cx.bitcast(r.into(), int_type.into()).into_int_value();
    let shifted = cx.shl(bits, cx.cint(width, 1));
    let v = cx.sub(shifted, cx.cint(width, comfortable_offset(width)));
    cx.icmp(IntPredicate::SGT, v, int_type.const_all_ones())
}

/// The bits of infinity in a binary format.
fn infinity(width: u32) -> u64 {
    if width == 64 {
        0x7ff0_0000_0000_0000
    } else {
        0x7f80_0000
    }
}

/// Signaling NaNs are the magnitudes strictly between infinity and
/// infinity + the quiet bit: `magnitude - first < count`, unsigned.
/// Returns (first, count).
fn signaling_nan_range(width: u32) -> (u64, u64) {
    let quiet_bit = if width == 64 { 1u64 << 51 } else { 1u64 << 22 };
    (infinity(width) + 1, quiet_bit - 1)
}

/// The host-side twin of [`is_signaling_nan`], for tests.
#[cfg(test)]
fn signaling_nan(bits: u64, width: u32) -> bool {
    let (first, count) = signaling_nan_range(width);
    let magnitude = bits & ((1u64 << (width - 1)) - 1);
    magnitude.wrapping_sub(first) < count
}

/// An i1: `bits` (of a `width`-bit format) is a signaling NaN.
pub fn is_signaling_nan<'ctx>(
    cx: &LiftCx<'_, 'ctx>,
    bits: IntValue<'ctx>,
    width: u32,
) -> IntValue<'ctx> {
    let (first, count) = signaling_nan_range(width);
    let magnitude = cx.and(bits, cx.cint(width, (1u64 << (width - 1)) - 1));
    let offset = cx.sub(magnitude, cx.cint(width, first));
    cx.icmp(IntPredicate::ULT, offset, cx.cint(width, count))
}

/// The largest magnitude an integer-to-float conversion of `int_bits`
/// (a signed or unsigned value) into a `width`-bit format always represents
/// exactly: 2^24 for binary32, 2^53 for binary64.
pub fn exact_int_limit(width: u32) -> u64 {
    if width == 64 {
        1 << 53
    } else {
        1 << 24
    }
}

/// [lower, upper) bounds of the rounded value of a float-to-integer
/// conversion that is in range (both exact in binary32 and binary64).
pub fn int_bounds(int_bits: u32, signed: bool) -> (f64, f64) {
    if signed {
        let half = (2.0f64).powi(int_bits as i32 - 1);
        (-half, half)
    } else {
        (0.0, (2.0f64).powi(int_bits as i32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use elfconv2_syscalls::fpu;

    /// A small deterministic generator of interesting operands.
    struct Operands(u64);
    impl Operands {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        /// Raw bits biased towards the edges: specials, tiny, huge, near 1.
        fn value(&mut self, width: u32) -> u64 {
            let r = self.next();
            let (man_bits, exp_max) = if width == 64 { (52, 0x7ff) } else { (23, 0xff) };
            let sign = (r >> 63) << (width - 1);
            let man = r & ((1u64 << man_bits) - 1);
            let exp = match (r >> 56) % 8 {
                0 => 0,
                1 => exp_max,
                2 => 1 + (r >> 40) % 3,
                3 => exp_max - 1 - (r >> 40) % 3,
                4 => exp_max / 2 + (r >> 40) % 5,
                _ => (r >> 40) % exp_max,
            };
            let man = if (r >> 50).is_multiple_of(4) {
                man & !0xffff
            } else {
                man
            };
            sign | (exp << man_bits) | man
        }
    }

    #[test]
    fn comfortable_range() {
        let p = |e: i32| 2f64.powi(e);
        let below = |x: f64| f64::from_bits(x.to_bits() - 1);
        let below32 = |x: f32| f32::from_bits(x.to_bits() - 1);
        let f64_bits = |x: f64| x.to_bits();
        for (x, expected) in [
            (1.0, true),
            (-1.0, true),
            (p(-512), true),
            (-below(p(512)), true),
            (below(p(-512)), false),
            (p(512), false),
            (0.0, false),
            (-0.0, false),
            (f64::INFINITY, false),
            (f64::NAN, false),
            (f64::MIN_POSITIVE, false),
        ] {
            assert_eq!(comfortable(f64_bits(x), 64), expected, "{x:e}");
        }
        let f32_bits = |x: f32| x.to_bits() as u64;
        for (x, expected) in [
            (1.0f32, true),
            (-p(-64) as f32, true),
            (below32(p(64) as f32), true),
            (p(64) as f32, false),
            (below32(p(-64) as f32), false),
            (0.0, false),
            (f32::INFINITY, false),
            (f32::NAN, false),
        ] {
            assert_eq!(comfortable(f32_bits(x), 32), expected, "{x:e}");
        }
    }

    /// The claim the fast path rests on once NX is set: an RNE operation
    /// with a comfortable result raised no flag but NX.
    #[test]
    fn comfortable_results_raise_at_most_inexact() {
        let mut g = Operands(0x9e37_79b9_7f4a_7c15);
        let mut seen = 0usize;
        let mut check = |op: &str, width: u32, (bits, flags): (u64, u8), what: &str| {
            if comfortable(bits, width) {
                seen += 1;
                assert_eq!(flags & !(fpu::NX), 0, "{op} {what} -> {bits:#x}");
            }
        };
        let rne = fpu::RNE;
        for _ in 0..200_000 {
            let (a, b, c) = (g.value(64), g.value(64), g.value(64));
            let what = format!("{a:#x} {b:#x} {c:#x}");
            check("add", 64, fpu::add64(a, b, rne), &what);
            check("sub", 64, fpu::sub64(a, b, rne), &what);
            check("mul", 64, fpu::mul64(a, b, rne), &what);
            check("div", 64, fpu::div64(a, b, rne), &what);
            check("sqrt", 64, fpu::sqrt64(a, rne), &what);
            check("fma", 64, fpu::fma64(a, b, c, rne), &what);
            let (r, f) = fpu::f64_to_f32(a, rne);
            check("fcvt.s.d", 32, (r as u64, f), &what);
            let (a, b, c) = (g.value(32) as u32, g.value(32) as u32, g.value(32) as u32);
            let what = format!("{a:#x} {b:#x} {c:#x}");
            let wide = |(r, f): (u32, u8)| (r as u64, f);
            check("add", 32, wide(fpu::add32(a, b, rne)), &what);
            check("sub", 32, wide(fpu::sub32(a, b, rne)), &what);
            check("mul", 32, wide(fpu::mul32(a, b, rne)), &what);
            check("div", 32, wide(fpu::div32(a, b, rne)), &what);
            check("sqrt", 32, wide(fpu::sqrt32(a, rne)), &what);
            check("fma", 32, wide(fpu::fma32(a, b, c, rne)), &what);
        }
        assert!(seen > 100_000, "{seen}");
        // An edge the range keeps clear of: the smallest normal itself can
        // carry UF (3*2^-540 * -2^-537 + 2^-1022 is tiny before rounding).
        let (r, f) = fpu::fma64(
            0x1e48_0000_0000_0000,
            0x9e60_0000_0000_0000,
            0x0010_0000_0000_0000,
            fpu::RNE,
        );
        assert_eq!((r, f), (0x0010_0000_0000_0000, fpu::UF | fpu::NX));
        assert!(!comfortable(r, 64));
    }

    /// The claim the fast path rests on while NX is clear: an RNE result
    /// that passes its operation's [`ExactResult`] test raised nothing.
    #[test]
    fn exact_results_raise_nothing() {
        let mut g = Operands(0x2545_f491_4f6c_dd1d);
        let mut passed = [0usize; 4];
        let ops = [Op::Fadd, Op::Fsub, Op::Fmul, Op::Fdiv];
        for round in 0..400_000 {
            let width = if round % 2 == 0 { 64 } else { 32 };
            // Short significands make exact results common.
            let short = |x: u64| {
                if round % 3 == 0 {
                    x & !((1 << (width / 2)) - 1)
                } else {
                    x
                }
            };
            let (a, b) = (short(g.value(width)), short(g.value(width)));
            for (k, op) in ops.into_iter().enumerate() {
                let (r, flags) = if width == 64 {
                    match op {
                        Op::Fadd => fpu::add64(a, b, fpu::RNE),
                        Op::Fsub => fpu::sub64(a, b, fpu::RNE),
                        Op::Fmul => fpu::mul64(a, b, fpu::RNE),
                        _ => fpu::div64(a, b, fpu::RNE),
                    }
                } else {
                    let (a, b) = (a as u32, b as u32);
                    let (r, f) = match op {
                        Op::Fadd => fpu::add32(a, b, fpu::RNE),
                        Op::Fsub => fpu::sub32(a, b, fpu::RNE),
                        Op::Fmul => fpu::mul32(a, b, fpu::RNE),
                        _ => fpu::div32(a, b, fpu::RNE),
                    };
                    (r as u64, f)
                };
                if ExactResult::of(op).holds(a, b, r, width) {
                    passed[k] += 1;
                    assert_eq!(flags, 0, "{op:?} {a:#x} {b:#x} -> {r:#x} ({width} bits)");
                }
            }
        }
        // The tests are not vacuous: each op passed them many times.
        assert!(passed.iter().all(|&n| n > 100), "{passed:?}");
    }

    /// Integer-to-float conversions within the exact limit raise nothing in
    /// any mode, and past it can raise only NX.
    #[test]
    fn integer_to_float_flags() {
        let limit32 = exact_int_limit(32) as i64;
        let limit64 = exact_int_limit(64) as i64;
        for rm in 0..5 {
            for x in [0i64, 1, -1, limit32, -limit32, limit64, -limit64, 12345, -7] {
                assert_eq!(fpu::i64_to_f64(x, rm).1, 0, "{x} rm {rm}");
                assert_eq!(fpu::u64_to_f64(x.unsigned_abs(), rm).1, 0, "{x} rm {rm}");
                if x.abs() <= limit32 {
                    assert_eq!(fpu::i64_to_f32(x, rm).1, 0, "{x} rm {rm}");
                    assert_eq!(fpu::i32_to_f32(x as i32, rm).1, 0, "{x} rm {rm}");
                }
            }
            for x in [limit64 + 1, -limit64 - 1, i64::MAX, i64::MIN + 1] {
                assert_eq!(fpu::i64_to_f64(x, rm).1, fpu::NX, "{x} rm {rm}");
            }
            assert_eq!(fpu::u64_to_f32(u64::MAX, rm).1, fpu::NX);
            assert_eq!(fpu::i32_to_f32(i32::MAX, rm).1, fpu::NX);
            assert_eq!(fpu::u32_to_f32(limit32 as u32 + 1, rm).1, fpu::NX);
        }
    }

    /// The inline flags of float-to-integer conversions (NV outside
    /// [`int_bounds`] or for NaN, else NX when rounding changed the value),
    /// computed here as the lifted code does, against the soft-float.
    #[test]
    fn float_to_integer_flags() {
        let round = |a: f64, rm: u8| match rm {
            0 => a.round_ties_even(),
            1 => a.trunc(),
            2 => a.floor(),
            3 => a.ceil(),
            _ => a.round(),
        };
        let inline_flags = |a: f64, rm: u8, int_bits: u32, signed: bool| {
            let (lower, upper) = int_bounds(int_bits, signed);
            let r = round(a, rm);
            if !(r >= lower && r < upper) {
                fpu::NV
            } else if r != a {
                fpu::NX
            } else {
                0
            }
        };
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            -0.7,
            -1.0,
            0.999,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e300,
            -1e300,
            4294967295.5,
            4294967296.0,
            -2147483648.5,
            -2147483649.0,
            2147483647.5,
            2147483648.0,
            9.223372036854775e18,
            -9.223372036854776e18,
            1.8446744073709552e19,
            1.844_674_407_370_955e19,
        ];
        let mut g = Operands(12345);
        values.extend((0..20_000).map(|_| f64::from_bits(g.value(64))));
        for &a in &values {
            for rm in 0..5 {
                let bits = a.to_bits();
                let cases: [(u32, bool, u8); 4] = [
                    (32, true, fpu::f64_to_i32(bits, rm).1),
                    (32, false, fpu::f64_to_u32(bits, rm).1),
                    (64, true, fpu::f64_to_i64(bits, rm).1),
                    (64, false, fpu::f64_to_u64(bits, rm).1),
                ];
                for (int_bits, signed, expected) in cases {
                    assert_eq!(
                        inline_flags(a, rm, int_bits, signed),
                        expected,
                        "{a:e} rm {rm} to {int_bits} bits signed {signed}"
                    );
                }
                // binary32 sources, through the same formula.
                let f = a as f32;
                let fb = f.to_bits();
                let cases: [(u32, bool, u8); 4] = [
                    (32, true, fpu::f32_to_i32(fb, rm).1),
                    (32, false, fpu::f32_to_u32(fb, rm).1),
                    (64, true, fpu::f32_to_i64(fb, rm).1),
                    (64, false, fpu::f32_to_u64(fb, rm).1),
                ];
                for (int_bits, signed, expected) in cases {
                    assert_eq!(
                        inline_flags(f as f64, rm, int_bits, signed),
                        expected,
                        "{f:e}f rm {rm} to {int_bits} bits signed {signed}"
                    );
                }
            }
        }
    }

    #[test]
    fn signaling_nan_test() {
        let mut g = Operands(777);
        let mut edges = vec![
            0x7ff0_0000_0000_0001,
            0x7ff7_ffff_ffff_ffff,
            0x7ff8_0000_0000_0000,
        ];
        edges.extend([
            0x7ff0_0000_0000_0000,
            0xfff4_0000_0000_0000,
            0xfff0_0000_0000_0000,
        ]);
        for bits in edges.into_iter().chain((0..50_000).map(|_| g.value(64))) {
            let expected = fpu::class64(bits) & (1 << 8) != 0;
            assert_eq!(signaling_nan(bits, 64), expected, "{bits:#x}");
            let narrow = (bits >> 32) as u32;
            let expected = fpu::class32(narrow) & (1 << 8) != 0;
            assert_eq!(signaling_nan(narrow as u64, 32), expected, "{narrow:#x}");
        }
    }
}
