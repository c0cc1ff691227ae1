//! Bit-exact RISC-V "F" / "D" floating-point arithmetic with rounding modes
//! and exception flags, for the translator's slow path.
//!
//! Wasm floating point always rounds to nearest-even and has no exception
//! flags; RISC-V code can select a rounding mode (`frm`, or the static `rm`
//! field) and read the accrued flags (`fflags`). Everything here is integer
//! soft-float: an operand is unpacked into sign, integer significand and
//! exponent, the operation is carried out exactly (or exactly up to a sticky
//! bit) in `u128`, and one routine, [`round_pack`], rounds that to the
//! destination format under the requested mode and derives the flags.
//! No host floating-point arithmetic is used, so the results are the same on
//! every host, wasm32 included.
//!
//! Values are passed as raw bits: `u32` for binary32, `u64` for binary64.
//! `rm` is a *resolved* RISC-V rounding mode ([`RNE`], [`RTZ`], [`RDN`],
//! [`RUP`], [`RMM`]); the dynamic mode 7 must be replaced by `frm` by the
//! caller, and any other value is treated as RNE. Flags are the RISC-V
//! `fflags` bits ([`NV`], [`DZ`], [`OF`], [`UF`], [`NX`]).
//!
//! | function                         | RISC-V instruction(s)          | returns            |
//! |----------------------------------|--------------------------------|--------------------|
//! | `add32/add64(a, b, rm)`          | fadd.s / fadd.d                | (bits, flags)      |
//! | `sub32/sub64(a, b, rm)`          | fsub.s / fsub.d                | (bits, flags)      |
//! | `mul32/mul64(a, b, rm)`          | fmul.s / fmul.d                | (bits, flags)      |
//! | `div32/div64(a, b, rm)`          | fdiv.s / fdiv.d                | (bits, flags)      |
//! | `sqrt32/sqrt64(a, rm)`           | fsqrt.s / fsqrt.d              | (bits, flags)      |
//! | `fma32/fma64(a, b, c, rm)`       | fmadd (a*b+c, one rounding); fmsub/fnmsub/fnmadd by flipping input signs | (bits, flags) |
//! | `f64_to_f32(a, rm)`              | fcvt.s.d                       | (bits, flags)      |
//! | `f32_to_f64(a)`                  | fcvt.d.s (exact)               | (bits, flags)      |
//! | `{i32,u32,i64,u64}_to_f{32,64}(x, rm)` | fcvt.{s,d}.{w,wu,l,lu}   | (bits, flags)      |
//! | `f{32,64}_to_{i32,u32,i64,u64}(a, rm)` | fcvt.{w,wu,l,lu}.{s,d}   | (u64 register value, flags) |
//! | `feq/flt/fle{32,64}(a, b)`       | feq / flt / fle                | (bool, flags)      |
//! | `min/max{32,64}(a, b)`           | fmin / fmax                    | (bits, flags)      |
//! | `class32/class64(a)`             | fclass                         | 10-bit class mask  |
//!
//! Semantics follow the RISC-V unprivileged spec (F/D chapters, IEEE 754-2008
//! /2019): every NaN result is the canonical NaN; NV for signaling-NaN inputs
//! and invalid operations (inf-inf, 0*inf, 0/0, inf/inf, sqrt of a negative,
//! and fma with 0*inf even when the addend is a quiet NaN); DZ for finite
//! nonzero / 0; OF (with NX) when the rounded result overflows; UF when the
//! result is tiny *after rounding* (as if the exponent range were unbounded)
//! and inexact; NX whenever the delivered result is not the exact one.
//! Integer conversions saturate: NaN and too-large values give the maximum,
//! too-negative values the minimum, with NV and no NX; an in-range inexact
//! conversion raises NX. 32-bit integer results are returned sign-extended
//! to 64 bits (fcvt.wu included, as RISC-V RV64 writes them).

/// Invalid operation.
pub const NV: u8 = 0x10;
/// Divide by zero.
pub const DZ: u8 = 0x08;
/// Overflow.
pub const OF: u8 = 0x04;
/// Underflow.
pub const UF: u8 = 0x02;
/// Inexact.
pub const NX: u8 = 0x01;

/// Round to nearest, ties to even.
pub const RNE: u8 = 0;
/// Round towards zero.
pub const RTZ: u8 = 1;
/// Round down (towards -inf).
pub const RDN: u8 = 2;
/// Round up (towards +inf).
pub const RUP: u8 = 3;
/// Round to nearest, ties away from zero.
pub const RMM: u8 = 4;

/// The canonical quiet NaN of binary32.
pub const CANONICAL_NAN32: u32 = 0x7fc0_0000;
/// The canonical quiet NaN of binary64.
pub const CANONICAL_NAN64: u64 = 0x7ff8_0000_0000_0000;

/// An IEEE 754 binary interchange format.
#[derive(Clone, Copy)]
struct Fmt {
    /// Stored significand bits (23 or 52).
    mbits: u32,
    /// Exponent bits (8 or 11).
    ebits: u32,
}

const F32: Fmt = Fmt {
    mbits: 23,
    ebits: 8,
};
const F64: Fmt = Fmt {
    mbits: 52,
    ebits: 11,
};

impl Fmt {
    const fn bias(self) -> i32 {
        (1 << (self.ebits - 1)) - 1
    }
    /// Precision p in bits (24 or 53).
    const fn prec(self) -> i32 {
        self.mbits as i32 + 1
    }
    /// Exponent of the smallest normal number.
    const fn emin(self) -> i32 {
        1 - self.bias()
    }
    const fn emax(self) -> i32 {
        self.bias()
    }
    const fn sign_bit(self) -> u64 {
        1 << (self.mbits + self.ebits)
    }
    const fn exp_all_ones(self) -> u64 {
        (1 << self.ebits) - 1
    }
    const fn man_mask(self) -> u64 {
        (1 << self.mbits) - 1
    }
    const fn quiet_bit(self) -> u64 {
        1 << (self.mbits - 1)
    }
    const fn sign(self, neg: bool) -> u64 {
        if neg {
            self.sign_bit()
        } else {
            0
        }
    }
    const fn inf(self, neg: bool) -> u64 {
        self.sign(neg) | self.exp_all_ones() << self.mbits
    }
    const fn zero(self, neg: bool) -> u64 {
        self.sign(neg)
    }
    const fn max_finite(self, neg: bool) -> u64 {
        self.sign(neg) | ((self.exp_all_ones() - 1) << self.mbits) | self.man_mask()
    }
    const fn nan(self) -> u64 {
        self.exp_all_ones() << self.mbits | self.quiet_bit()
    }
}

/// What an operand is, with finite nonzero values normalised so that the
/// significand has bit 63 set: value = sig * 2^exp.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Zero,
    Finite { sig: u64, exp: i32 },
    Inf,
    QNaN,
    SNaN,
}

#[derive(Clone, Copy, Debug)]
struct Val {
    neg: bool,
    class: Class,
}

impl Val {
    fn is_nan(self) -> bool {
        matches!(self.class, Class::QNaN | Class::SNaN)
    }
    fn is_snan(self) -> bool {
        self.class == Class::SNaN
    }
}

fn unpack(f: Fmt, bits: u64) -> Val {
    let neg = bits & f.sign_bit() != 0;
    let be = (bits >> f.mbits) & f.exp_all_ones();
    let man = bits & f.man_mask();
    let class = if be == f.exp_all_ones() {
        if man == 0 {
            Class::Inf
        } else if man & f.quiet_bit() != 0 {
            Class::QNaN
        } else {
            Class::SNaN
        }
    } else if be == 0 && man == 0 {
        Class::Zero
    } else {
        let (sig, exp) = if be == 0 {
            (man, f.emin() - f.mbits as i32)
        } else {
            (man | 1 << f.mbits, be as i32 - f.bias() - f.mbits as i32)
        };
        let lz = sig.leading_zeros();
        Class::Finite {
            sig: sig << lz,
            exp: exp - lz as i32,
        }
    };
    Val { neg, class }
}

/// Rounds `sig` (an integer) to a multiple of 2^shift under `rm`, for a value
/// of sign `neg`. Returns `sig / 2^shift` rounded (which may have carried into
/// a new top bit) and whether anything was discarded.
fn round_shift(sig: u128, shift: i32, neg: bool, rm: u8) -> (u128, bool) {
    if shift <= 0 {
        return (sig << (-shift) as u32, false);
    }
    let (m, rem_cmp_half, inexact) = if shift > 128 {
        // Everything is below half of the unit.
        (0u128, core::cmp::Ordering::Less, sig != 0)
    } else {
        let s = shift as u32;
        let m = if s == 128 { 0 } else { sig >> s };
        let rem = if s == 128 {
            sig
        } else {
            sig & ((1u128 << s) - 1)
        };
        let half = 1u128 << (s - 1);
        (m, rem.cmp(&half), rem != 0)
    };
    use core::cmp::Ordering::*;
    let up = match rm {
        RTZ => false,
        RDN => inexact && neg,
        RUP => inexact && !neg,
        RMM => rem_cmp_half != Less,
        // RNE (and anything unresolved).
        _ => rem_cmp_half == Greater || (rem_cmp_half == Equal && m & 1 == 1),
    };
    (m + up as u128, inexact)
}

/// Rounds the exact value `(-1)^neg * (sig + d) * 2^exp` to format `f`, where
/// `d` is 0 if `!sticky` and some unknown number strictly between 0 and 1 if
/// `sticky`. With `sticky`, `sig` must carry at least `p` significant bits
/// (the caller's responsibility). Returns the result bits and the flags.
fn round_pack(f: Fmt, neg: bool, mut exp: i32, mut sig: u128, sticky: bool, rm: u8) -> (u64, u8) {
    if sticky {
        // Jam the sticky bit two places below the available bits: it then
        // lies strictly below the rounding position and makes the value
        // compare correctly against the half-way point.
        if sig.leading_zeros() >= 2 {
            sig = (sig << 2) | 1;
            exp -= 2;
        } else {
            sig |= 1;
        }
    }
    if sig == 0 {
        return (f.zero(neg), 0);
    }
    let p = f.prec();
    let n = 128 - sig.leading_zeros() as i32;
    // Exponent of the leading bit of the exact value.
    let e_lead = exp + n - 1;
    // Exponent of the result's last place: p bits below the leading bit, but
    // never below the subnormal quantum.
    let mut q = e_lead.max(f.emin()) - (p - 1);
    debug_assert!(
        !sticky || q - exp >= 2,
        "round_pack: too few bits with sticky"
    );
    let (mut m, inexact) = round_shift(sig, q - exp, neg, rm);
    if m == 1u128 << p {
        m >>= 1;
        q += 1;
    }
    let mut flags = if inexact { NX } else { 0 };
    // Overflow: the rounded result's leading exponent exceeds emax.
    if m >> (p - 1) != 0 && q + p - 1 > f.emax() {
        let to_inf = match rm {
            RTZ => false,
            RDN => neg,
            RUP => !neg,
            _ => true,
        };
        let bits = if to_inf {
            f.inf(neg)
        } else {
            f.max_finite(neg)
        };
        return (bits, OF | NX);
    }
    // Underflow: tiny after rounding (to p bits with an unbounded exponent
    // range) and inexact.
    if inexact && e_lead < f.emin() {
        let tiny = if e_lead < f.emin() - 1 {
            true
        } else {
            let (m2, _) = round_shift(sig, e_lead - (p - 1) - exp, neg, rm);
            m2 < 1u128 << p
        };
        if tiny {
            flags |= UF;
        }
    }
    let m = m as u64;
    let bits = if m >> (p - 1) != 0 {
        let be = (q + p - 1 + f.bias()) as u64;
        f.sign(neg) | be << f.mbits | (m & f.man_mask())
    } else {
        // Subnormal or zero: q is the subnormal quantum, biased exponent 0.
        f.sign(neg) | m
    };
    (bits, flags)
}

/// Adds two exact magnitudes given as `mx * 2^ex` and `my * 2^ey` with signs.
/// Both must be below 2^126 with their leading bit at 124 or 125, and each
/// must be exact under right shifts up to (at least) 20 places.
#[allow(clippy::too_many_arguments)]
fn add_aligned(
    f: Fmt,
    nx: bool,
    mx: u128,
    ex: i32,
    ny: bool,
    my: u128,
    ey: i32,
    rm: u8,
) -> (u64, u8) {
    let (nx, mx, ex, ny, my, ey) = if ex >= ey {
        (nx, mx, ex, ny, my, ey)
    } else {
        (ny, my, ey, nx, mx, ex)
    };
    let d = (ex - ey) as u32;
    // Shift the smaller-exponent operand into place, jamming lost bits into
    // bit 0. Bits are lost only when d is large, and then that operand is
    // below 2^105 while the other is at least 2^124, so the jammed bit stays
    // far below the rounding position even after cancellation.
    let my = if d == 0 {
        my
    } else if d < 128 {
        (my >> d) | ((my << (128 - d)) != 0) as u128
    } else {
        (my != 0) as u128
    };
    if nx == ny {
        round_pack(f, nx, ex, mx + my, false, rm)
    } else if mx > my {
        round_pack(f, nx, ex, mx - my, false, rm)
    } else if my > mx {
        round_pack(f, ny, ex, my - mx, false, rm)
    } else {
        // Exact cancellation: +0, or -0 when rounding down.
        (f.zero(rm == RDN), 0)
    }
}

fn nan_result(f: Fmt, any_snan: bool) -> (u64, u8) {
    (f.nan(), if any_snan { NV } else { 0 })
}

fn add(f: Fmt, a: u64, b: u64, rm: u8) -> (u64, u8) {
    let x = unpack(f, a);
    let y = unpack(f, b);
    if x.is_nan() || y.is_nan() {
        return nan_result(f, x.is_snan() || y.is_snan());
    }
    match (x.class, y.class) {
        (Class::Inf, Class::Inf) if x.neg != y.neg => (f.nan(), NV),
        (Class::Inf, _) => (f.inf(x.neg), 0),
        (_, Class::Inf) => (f.inf(y.neg), 0),
        (Class::Zero, Class::Zero) => {
            let neg = if x.neg == y.neg { x.neg } else { rm == RDN };
            (f.zero(neg), 0)
        }
        (Class::Zero, _) => (b, 0),
        (_, Class::Zero) => (a, 0),
        (Class::Finite { sig: sa, exp: ea }, Class::Finite { sig: sb, exp: eb }) => {
            // Leading bits at 125; the 62 zero bits below make shifts by up
            // to 62 exact.
            add_aligned(
                f,
                x.neg,
                (sa as u128) << 62,
                ea - 62,
                y.neg,
                (sb as u128) << 62,
                eb - 62,
                rm,
            )
        }
        _ => unreachable!(),
    }
}

fn mul(f: Fmt, a: u64, b: u64, rm: u8) -> (u64, u8) {
    let x = unpack(f, a);
    let y = unpack(f, b);
    let neg = x.neg != y.neg;
    if x.is_nan() || y.is_nan() {
        return nan_result(f, x.is_snan() || y.is_snan());
    }
    match (x.class, y.class) {
        (Class::Inf, Class::Zero) | (Class::Zero, Class::Inf) => (f.nan(), NV),
        (Class::Inf, _) | (_, Class::Inf) => (f.inf(neg), 0),
        (Class::Zero, _) | (_, Class::Zero) => (f.zero(neg), 0),
        (Class::Finite { sig: sa, exp: ea }, Class::Finite { sig: sb, exp: eb }) => {
            round_pack(f, neg, ea + eb, sa as u128 * sb as u128, false, rm)
        }
        _ => unreachable!(),
    }
}

fn div(f: Fmt, a: u64, b: u64, rm: u8) -> (u64, u8) {
    let x = unpack(f, a);
    let y = unpack(f, b);
    let neg = x.neg != y.neg;
    if x.is_nan() || y.is_nan() {
        return nan_result(f, x.is_snan() || y.is_snan());
    }
    match (x.class, y.class) {
        (Class::Inf, Class::Inf) | (Class::Zero, Class::Zero) => (f.nan(), NV),
        (Class::Inf, _) => (f.inf(neg), 0),
        (_, Class::Inf) => (f.zero(neg), 0),
        (Class::Zero, _) => (f.zero(neg), 0),
        (_, Class::Zero) => (f.inf(neg), DZ),
        (Class::Finite { sig: sa, exp: ea }, Class::Finite { sig: sb, exp: eb }) => {
            // sa, sb in [2^63, 2^64): the quotient is in (2^63, 2^65), i.e.
            // at least 64 bits, and the remainder decides the sticky bit.
            let num = (sa as u128) << 64;
            let quo = num / sb as u128;
            let rem = num % sb as u128;
            round_pack(f, neg, ea - 64 - eb, quo, rem != 0, rm)
        }
        _ => unreachable!(),
    }
}

/// Integer square root: (floor(sqrt(n)), whether it was inexact).
fn isqrt(n: u128) -> (u128, bool) {
    let mut rem = n;
    let mut root = 0u128;
    let mut bit = 1u128 << 126;
    while bit > n {
        bit >>= 2;
    }
    while bit != 0 {
        if rem >= root + bit {
            rem -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    (root, rem != 0)
}

fn sqrt(f: Fmt, a: u64, rm: u8) -> (u64, u8) {
    let x = unpack(f, a);
    if x.is_nan() {
        return nan_result(f, x.is_snan());
    }
    match x.class {
        Class::Zero => (a, 0),
        _ if x.neg => (f.nan(), NV),
        Class::Inf => (a, 0),
        Class::Finite { sig, exp } => {
            // Make the exponent even; the radicand is then >= 2^125 and its
            // root has at least 63 bits.
            let k = if (exp - 62).rem_euclid(2) == 0 {
                62
            } else {
                63
            };
            let (root, inexact) = isqrt((sig as u128) << k);
            round_pack(f, false, (exp - k) / 2, root, inexact, rm)
        }
        _ => unreachable!(),
    }
}

fn fma(f: Fmt, a: u64, b: u64, c: u64, rm: u8) -> (u64, u8) {
    let x = unpack(f, a);
    let y = unpack(f, b);
    let z = unpack(f, c);
    let inf_times_zero = matches!(
        (x.class, y.class),
        (Class::Inf, Class::Zero) | (Class::Zero, Class::Inf)
    );
    if x.is_nan() || y.is_nan() || z.is_nan() {
        let nv = x.is_snan() || y.is_snan() || z.is_snan() || inf_times_zero;
        return nan_result(f, nv);
    }
    if inf_times_zero {
        return (f.nan(), NV);
    }
    let np = x.neg != y.neg;
    if x.class == Class::Inf || y.class == Class::Inf {
        if z.class == Class::Inf && z.neg != np {
            return (f.nan(), NV);
        }
        return (f.inf(np), 0);
    }
    if z.class == Class::Inf {
        return (c, 0);
    }
    let (sa, ea, sb, eb) = match (x.class, y.class) {
        (Class::Finite { sig: sa, exp: ea }, Class::Finite { sig: sb, exp: eb }) => {
            (sa, ea, sb, eb)
        }
        _ => {
            // The product is an exact zero of sign np.
            if z.class == Class::Zero {
                let neg = if np == z.neg { np } else { rm == RDN };
                return (f.zero(neg), 0);
            }
            return (c, 0);
        }
    };
    let prod = sa as u128 * sb as u128; // in [2^126, 2^128), >= 22 low zero bits
    match z.class {
        Class::Zero => round_pack(f, np, ea + eb, prod, false, rm),
        Class::Finite { sig: sc, exp: ec } => add_aligned(
            f,
            np,
            prod >> 2,
            ea + eb + 2,
            z.neg,
            (sc as u128) << 62,
            ec - 62,
            rm,
        ),
        _ => unreachable!(),
    }
}

fn convert(from: Fmt, to: Fmt, a: u64, rm: u8) -> (u64, u8) {
    let x = unpack(from, a);
    match x.class {
        Class::QNaN => (to.nan(), 0),
        Class::SNaN => (to.nan(), NV),
        Class::Inf => (to.inf(x.neg), 0),
        Class::Zero => (to.zero(x.neg), 0),
        Class::Finite { sig, exp } => round_pack(to, x.neg, exp, sig as u128, false, rm),
    }
}

fn from_int(f: Fmt, neg: bool, mag: u64, rm: u8) -> (u64, u8) {
    round_pack(f, neg, 0, mag as u128, false, rm)
}

/// Float to integer of `width` bits (32 or 64), signed or not, returned as
/// the RV64 register value (32-bit results sign-extended).
fn to_int(f: Fmt, a: u64, rm: u8, signed: bool, width: u32) -> (u64, u8) {
    let x = unpack(f, a);
    let (max, min): (u64, u64) = match (signed, width) {
        (true, 32) => (i32::MAX as u64, i32::MIN as i64 as u64),
        (true, _) => (i64::MAX as u64, i64::MIN as u64),
        (false, 32) => (u32::MAX as i32 as i64 as u64, 0),
        (false, _) => (u64::MAX, 0),
    };
    let (sig, exp) = match x.class {
        Class::QNaN | Class::SNaN => return (max, NV),
        Class::Inf => return (if x.neg { min } else { max }, NV),
        Class::Zero => return (0, 0),
        Class::Finite { sig, exp } => (sig, exp),
    };
    // Round to an integer magnitude. sig has 64 bits, so exp > 0 means the
    // magnitude is at least 2^64: out of range for every width.
    if exp > 0 {
        return (if x.neg { min } else { max }, NV);
    }
    let (mag, inexact) = round_shift(sig as u128, -exp, x.neg, rm);
    let flags = if inexact { NX } else { 0 };
    let limit_pos: u128 = if signed {
        (1 << (width - 1)) - 1
    } else {
        (1 << width) - 1
    };
    let limit_neg: u128 = if signed { 1 << (width - 1) } else { 0 };
    if x.neg {
        if mag > limit_neg {
            return (min, NV);
        }
        let v = (mag as i128).wrapping_neg() as i64 as u64;
        (v, flags)
    } else {
        if mag > limit_pos {
            return (max, NV);
        }
        let v = mag as u64;
        let v = if width == 32 {
            v as u32 as i32 as i64 as u64
        } else {
            v
        };
        (v, flags)
    }
}

/// Order key for non-NaN bits: monotonic in the value, with -0 < +0.
fn order_key(f: Fmt, bits: u64) -> i128 {
    let mag = (bits & !f.sign_bit()) as i128;
    if bits & f.sign_bit() != 0 {
        -mag - 1
    } else {
        mag
    }
}

fn is_zero(f: Fmt, bits: u64) -> bool {
    bits & !f.sign_bit() == 0
}

fn feq(f: Fmt, a: u64, b: u64) -> (bool, u8) {
    let x = unpack(f, a);
    let y = unpack(f, b);
    if x.is_nan() || y.is_nan() {
        return (false, if x.is_snan() || y.is_snan() { NV } else { 0 });
    }
    (a == b || (is_zero(f, a) && is_zero(f, b)), 0)
}

fn flt(f: Fmt, a: u64, b: u64) -> (bool, u8) {
    let x = unpack(f, a);
    let y = unpack(f, b);
    if x.is_nan() || y.is_nan() {
        return (false, NV);
    }
    if is_zero(f, a) && is_zero(f, b) {
        return (false, 0);
    }
    (order_key(f, a) < order_key(f, b), 0)
}

fn fle(f: Fmt, a: u64, b: u64) -> (bool, u8) {
    let x = unpack(f, a);
    let y = unpack(f, b);
    if x.is_nan() || y.is_nan() {
        return (false, NV);
    }
    if is_zero(f, a) && is_zero(f, b) {
        return (true, 0);
    }
    (order_key(f, a) <= order_key(f, b), 0)
}

fn minmax(f: Fmt, a: u64, b: u64, want_max: bool) -> (u64, u8) {
    let x = unpack(f, a);
    let y = unpack(f, b);
    let flags = if x.is_snan() || y.is_snan() { NV } else { 0 };
    let bits = match (x.is_nan(), y.is_nan()) {
        (true, true) => f.nan(),
        (true, false) => b,
        (false, true) => a,
        (false, false) => {
            let a_less = order_key(f, a) < order_key(f, b);
            if a_less != want_max {
                a
            } else {
                b
            }
        }
    };
    (bits, flags)
}

/// fclass: bit 0 -inf, 1 negative normal, 2 negative subnormal, 3 -0, 4 +0,
/// 5 positive subnormal, 6 positive normal, 7 +inf, 8 sNaN, 9 qNaN.
fn class(f: Fmt, a: u64) -> u32 {
    let x = unpack(f, a);
    let be = (a >> f.mbits) & f.exp_all_ones();
    let bit = match (x.class, x.neg) {
        (Class::Inf, true) => 0,
        (Class::Finite { .. }, true) if be != 0 => 1,
        (Class::Finite { .. }, true) => 2,
        (Class::Zero, true) => 3,
        (Class::Zero, false) => 4,
        (Class::Finite { .. }, false) if be == 0 => 5,
        (Class::Finite { .. }, false) => 6,
        (Class::Inf, false) => 7,
        (Class::SNaN, _) => 8,
        (Class::QNaN, _) => 9,
    };
    1 << bit
}

// ---- the public, per-format entry points ----

macro_rules! narrow {
    ($e:expr) => {{
        let (bits, flags) = $e;
        (bits as u32, flags)
    }};
}

pub fn add32(a: u32, b: u32, rm: u8) -> (u32, u8) {
    narrow!(add(F32, a as u64, b as u64, rm))
}
pub fn add64(a: u64, b: u64, rm: u8) -> (u64, u8) {
    add(F64, a, b, rm)
}
pub fn sub32(a: u32, b: u32, rm: u8) -> (u32, u8) {
    // a - b = a + (-b): negating a NaN keeps it a NaN of the same kind.
    add32(a, b ^ 0x8000_0000, rm)
}
pub fn sub64(a: u64, b: u64, rm: u8) -> (u64, u8) {
    add64(a, b ^ (1 << 63), rm)
}
pub fn mul32(a: u32, b: u32, rm: u8) -> (u32, u8) {
    narrow!(mul(F32, a as u64, b as u64, rm))
}
pub fn mul64(a: u64, b: u64, rm: u8) -> (u64, u8) {
    mul(F64, a, b, rm)
}
pub fn div32(a: u32, b: u32, rm: u8) -> (u32, u8) {
    narrow!(div(F32, a as u64, b as u64, rm))
}
pub fn div64(a: u64, b: u64, rm: u8) -> (u64, u8) {
    div(F64, a, b, rm)
}
pub fn sqrt32(a: u32, rm: u8) -> (u32, u8) {
    narrow!(sqrt(F32, a as u64, rm))
}
pub fn sqrt64(a: u64, rm: u8) -> (u64, u8) {
    sqrt(F64, a, rm)
}
/// `a * b + c` with a single rounding.
pub fn fma32(a: u32, b: u32, c: u32, rm: u8) -> (u32, u8) {
    narrow!(fma(F32, a as u64, b as u64, c as u64, rm))
}
/// `a * b + c` with a single rounding.
pub fn fma64(a: u64, b: u64, c: u64, rm: u8) -> (u64, u8) {
    fma(F64, a, b, c, rm)
}

pub fn f64_to_f32(a: u64, rm: u8) -> (u32, u8) {
    narrow!(convert(F64, F32, a, rm))
}
pub fn f32_to_f64(a: u32) -> (u64, u8) {
    convert(F32, F64, a as u64, RNE)
}

pub fn i32_to_f32(x: i32, rm: u8) -> (u32, u8) {
    narrow!(from_int(F32, x < 0, x.unsigned_abs() as u64, rm))
}
pub fn u32_to_f32(x: u32, rm: u8) -> (u32, u8) {
    narrow!(from_int(F32, false, x as u64, rm))
}
pub fn i64_to_f32(x: i64, rm: u8) -> (u32, u8) {
    narrow!(from_int(F32, x < 0, x.unsigned_abs(), rm))
}
pub fn u64_to_f32(x: u64, rm: u8) -> (u32, u8) {
    narrow!(from_int(F32, false, x, rm))
}
pub fn i32_to_f64(x: i32, rm: u8) -> (u64, u8) {
    from_int(F64, x < 0, x.unsigned_abs() as u64, rm)
}
pub fn u32_to_f64(x: u32, rm: u8) -> (u64, u8) {
    from_int(F64, false, x as u64, rm)
}
pub fn i64_to_f64(x: i64, rm: u8) -> (u64, u8) {
    from_int(F64, x < 0, x.unsigned_abs(), rm)
}
pub fn u64_to_f64(x: u64, rm: u8) -> (u64, u8) {
    from_int(F64, false, x, rm)
}

/// fcvt.w.s: the result sign-extended to 64 bits.
pub fn f32_to_i32(a: u32, rm: u8) -> (u64, u8) {
    to_int(F32, a as u64, rm, true, 32)
}
/// fcvt.wu.s: the 32-bit result sign-extended to 64 bits, as RV64 does.
pub fn f32_to_u32(a: u32, rm: u8) -> (u64, u8) {
    to_int(F32, a as u64, rm, false, 32)
}
pub fn f32_to_i64(a: u32, rm: u8) -> (u64, u8) {
    to_int(F32, a as u64, rm, true, 64)
}
pub fn f32_to_u64(a: u32, rm: u8) -> (u64, u8) {
    to_int(F32, a as u64, rm, false, 64)
}
/// fcvt.w.d: the result sign-extended to 64 bits.
pub fn f64_to_i32(a: u64, rm: u8) -> (u64, u8) {
    to_int(F64, a, rm, true, 32)
}
/// fcvt.wu.d: the 32-bit result sign-extended to 64 bits, as RV64 does.
pub fn f64_to_u32(a: u64, rm: u8) -> (u64, u8) {
    to_int(F64, a, rm, false, 32)
}
pub fn f64_to_i64(a: u64, rm: u8) -> (u64, u8) {
    to_int(F64, a, rm, true, 64)
}
pub fn f64_to_u64(a: u64, rm: u8) -> (u64, u8) {
    to_int(F64, a, rm, false, 64)
}

pub fn feq32(a: u32, b: u32) -> (bool, u8) {
    feq(F32, a as u64, b as u64)
}
pub fn flt32(a: u32, b: u32) -> (bool, u8) {
    flt(F32, a as u64, b as u64)
}
pub fn fle32(a: u32, b: u32) -> (bool, u8) {
    fle(F32, a as u64, b as u64)
}
pub fn feq64(a: u64, b: u64) -> (bool, u8) {
    feq(F64, a, b)
}
pub fn flt64(a: u64, b: u64) -> (bool, u8) {
    flt(F64, a, b)
}
pub fn fle64(a: u64, b: u64) -> (bool, u8) {
    fle(F64, a, b)
}

/// fmin.s: IEEE 754-2019 minimumNumber with -0 < +0.
pub fn min32(a: u32, b: u32) -> (u32, u8) {
    narrow!(minmax(F32, a as u64, b as u64, false))
}
/// fmax.s: IEEE 754-2019 maximumNumber with -0 < +0.
pub fn max32(a: u32, b: u32) -> (u32, u8) {
    narrow!(minmax(F32, a as u64, b as u64, true))
}
/// fmin.d: IEEE 754-2019 minimumNumber with -0 < +0.
pub fn min64(a: u64, b: u64) -> (u64, u8) {
    minmax(F64, a, b, false)
}
/// fmax.d: IEEE 754-2019 maximumNumber with -0 < +0.
pub fn max64(a: u64, b: u64) -> (u64, u8) {
    minmax(F64, a, b, true)
}

pub fn class32(a: u32) -> u32 {
    class(F32, a as u64)
}
pub fn class64(a: u64) -> u32 {
    class(F64, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// xorshift64* generator.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
        fn range(&mut self, lo: i64, hi: i64) -> i64 {
            lo + self.below((hi - lo + 1) as u64) as i64
        }
    }

    fn specials(f: Fmt) -> Vec<u64> {
        let one = (f.bias() as u64) << f.mbits;
        let min_normal = 1u64 << f.mbits;
        let mut v = vec![
            0,
            1,            // min subnormal
            f.man_mask(), // max subnormal
            min_normal,   // min normal
            min_normal + 1,
            f.max_finite(false),
            f.max_finite(false) - 1,
            f.inf(false),
            f.nan(),          // quiet NaN
            f.nan() | 1,      // quiet NaN with payload
            f.inf(false) | 1, // signaling NaN
            f.inf(false) | (f.quiet_bit() - 1),
            one,                                             // 1.0
            one - 1,                                         // just below 1
            one + 1,                                         // just above 1
            one + (1 << f.mbits),                            // 2.0
            one + (1 << (f.mbits - 1)),                      // 1.5
            (f.bias() as u64 - 1) << f.mbits,                // 0.5
            ((f.bias() + f.mbits as i32) as u64) << f.mbits, // 2^p-1
            (((f.bias() + f.mbits as i32) as u64) << f.mbits) - 1,
            (((f.bias() + f.mbits as i32 + 1) as u64) << f.mbits) + 1,
            ((f.bias() + 31) as u64) << f.mbits, // 2^31
            ((f.bias() + 32) as u64) << f.mbits, // 2^32
            ((f.bias() + 63) as u64) << f.mbits, // 2^63
            ((f.bias() + 64) as u64) << f.mbits, // 2^64
            (((f.bias() + 31) as u64) << f.mbits) - 1,
            (((f.bias() + 32) as u64) << f.mbits) - 1,
            (((f.bias() + 63) as u64) << f.mbits) - 1,
            (((f.bias() + 64) as u64) << f.mbits) - 1,
        ];
        let n = v.len();
        for i in 0..n {
            v.push(v[i] | f.sign_bit());
        }
        v
    }

    /// Random operand bits of format `f`, biased towards interesting values.
    fn gen(r: &mut Rng, f: Fmt, sp: &[u64]) -> u64 {
        let sign = f.sign(r.below(2) == 1);
        let width = f.mbits + f.ebits + 1;
        let all = if width == 64 {
            u64::MAX
        } else {
            (1u64 << width) - 1
        };
        let emax_b = f.exp_all_ones() as i64 - 1;
        let bias = f.bias() as i64;
        let mant = |r: &mut Rng| -> u64 {
            match r.below(4) {
                // Few significant bits: exact results and ties.
                0 => r.next() & f.man_mask() & !((1u64 << r.below(f.mbits as u64 + 1)) - 1),
                // Many trailing ones.
                1 => f.man_mask() >> r.below(f.mbits as u64 + 1),
                _ => r.next() & f.man_mask(),
            }
        };
        let with_exp = |e: i64, m: u64| sign | ((e as u64) << f.mbits) | m;
        match r.below(16) {
            0 | 1 => sp[r.below(sp.len() as u64) as usize],
            2 => sp[r.below(sp.len() as u64) as usize].wrapping_add(r.range(-3, 3) as u64) & all,
            3 | 4 => r.next() & all,
            5 => with_exp(r.range(0, 3), mant(r)), // subnormal and smallest normals
            6 => with_exp(r.range(emax_b - 3, emax_b), mant(r)), // near overflow
            7 => with_exp(r.range(bias - 2, bias + 66), mant(r)), // integer-sized
            _ => with_exp(r.range(bias - 40, bias + 40), mant(r)),
        }
    }

    /// A second operand related to `a`: nearby values (cancellation), values
    /// a few binades away (ties, sticky bits), or unrelated ones.
    fn gen_related(r: &mut Rng, f: Fmt, sp: &[u64], a: u64) -> u64 {
        let width = f.mbits + f.ebits + 1;
        let all = if width == 64 {
            u64::MAX
        } else {
            (1u64 << width) - 1
        };
        match r.below(6) {
            0 => (a.wrapping_add(r.range(-4, 4) as u64) & all) ^ f.sign(r.below(2) == 1),
            1 | 2 => {
                let e = ((a >> f.mbits) & f.exp_all_ones()) as i64;
                let shift = r.range(-(f.prec() as i64 + 3), f.prec() as i64 + 3);
                let e2 = (e + shift).clamp(0, f.exp_all_ones() as i64 - 1) as u64;
                let m = if r.below(2) == 0 {
                    a & f.man_mask()
                } else {
                    r.next() & f.man_mask() & !((1u64 << r.below(f.mbits as u64 + 1)) - 1)
                };
                f.sign(r.below(2) == 1) | e2 << f.mbits | m
            }
            _ => gen(r, f, sp),
        }
    }

    fn gen_int(r: &mut Rng) -> u64 {
        match r.below(6) {
            0 => r.next(),
            1 => r.next() >> r.below(64),
            // 2^k + small: ties and near-ties for 24/53-bit precision.
            2 => (1u64 << r.below(64)).wrapping_add(r.range(-3, 3) as u64),
            // Few significant bits at the top.
            3 => {
                let x = r.next() >> r.below(64);
                x & !((1u64 << r.below(40)) - 1) | (r.below(2) << r.below(64))
            }
            4 => r.range(-1000, 1000) as u64,
            _ => (r.next() >> r.below(64)).wrapping_neg(),
        }
    }

    fn gen_for_int(r: &mut Rng, f: Fmt, sp: &[u64]) -> u64 {
        match r.below(3) {
            0 => gen(r, f, sp),
            _ => {
                // Exponents 2^-3 .. 2^66, many with fractional halves.
                let e = r.range(f.bias() as i64 - 3, f.bias() as i64 + 66) as u64;
                let m = r.next() & f.man_mask();
                let m = if r.below(2) == 0 {
                    m & !((1u64 << r.below(f.mbits as u64)) - 1)
                } else {
                    m
                };
                f.sign(r.below(2) == 1) | e << f.mbits | m
            }
        }
    }

    fn is_nan_bits(f: Fmt, b: u64) -> bool {
        unpack(f, b).is_nan()
    }

    #[derive(Default)]
    struct Report {
        count: u64,
        /// RMM cases that differed from RNE (exact ties).
        ties: u64,
        failures: Vec<String>,
    }
    impl Report {
        /// `fmt_res`: the result is a float of that format (NaN results only
        /// need to be NaN on the oracle side; ours must be canonical).
        fn check(&mut self, what: &str, fmt_res: Option<Fmt>, ours: (u64, u8), want: (u64, u8)) {
            self.count += 1;
            let bits_ok = match fmt_res {
                Some(f) if is_nan_bits(f, want.0) => ours.0 == f.nan(),
                _ => ours.0 == want.0,
            };
            if (!bits_ok || ours.1 != want.1) && self.failures.len() < 30 {
                self.failures.push(format!(
                    "{what}: ours {:#x} flags {:#04x}, want {:#x} flags {:#04x}",
                    ours.0, ours.1, want.0, want.1
                ));
            }
        }
        fn finish(self, name: &str) {
            eprintln!("{name}: {} cases", self.count);
            assert!(
                self.failures.is_empty(),
                "{name}: mismatches:\n{}",
                self.failures.join("\n")
            );
        }
    }

    const RMS: [u8; 4] = [RNE, RTZ, RDN, RUP];
    const N: usize = 60_000;

    // ---- hand-computed cases (independent of any host FPU) ----

    const ONE: u64 = 0x3ff0_0000_0000_0000;
    const MIN_NORMAL: u64 = 0x0010_0000_0000_0000;

    fn f(x: f64) -> u64 {
        x.to_bits()
    }

    #[test]
    fn hand_add_rounding_modes() {
        let tiny = f(2f64.powi(-53)); // half an ulp of 1.0
                                      // 1 + 2^-53 is a tie between 1 and 1 + 2^-52.
        assert_eq!(add64(ONE, tiny, RNE), (ONE, NX));
        assert_eq!(add64(ONE, tiny, RMM), (ONE + 1, NX));
        assert_eq!(add64(ONE, tiny, RTZ), (ONE, NX));
        assert_eq!(add64(ONE, tiny, RDN), (ONE, NX));
        assert_eq!(add64(ONE, tiny, RUP), (ONE + 1, NX));
        // (1 + 2^-52) + 2^-53: tie, RNE goes to even (up), RMM up as well.
        assert_eq!(add64(ONE + 1, tiny, RNE), (ONE + 2, NX));
        assert_eq!(add64(ONE + 1, tiny, RMM), (ONE + 2, NX));
        // Negative ties: RMM goes away from zero.
        let n = 1 << 63;
        assert_eq!(add64(ONE | n, tiny | n, RMM), ((ONE + 1) | n, NX));
        assert_eq!(add64(ONE | n, tiny | n, RNE), (ONE | n, NX));
        assert_eq!(add64(ONE | n, tiny | n, RDN), ((ONE + 1) | n, NX));
        assert_eq!(add64(ONE | n, tiny | n, RUP), (ONE | n, NX));
        // Just above a tie: everything nearest rounds up.
        let above = f(2f64.powi(-53) + 2f64.powi(-80));
        assert_eq!(add64(ONE, above, RNE), (ONE + 1, NX));
        assert_eq!(add64(ONE, above, RMM), (ONE + 1, NX));
        // x - x is +0, or -0 when rounding down.
        assert_eq!(sub64(ONE, ONE, RNE), (0, 0));
        assert_eq!(sub64(ONE, ONE, RDN), (n, 0));
        assert_eq!(add64(0, n, RNE), (0, 0));
        assert_eq!(add64(0, n, RDN), (n, 0));
        assert_eq!(add64(n, n, RNE), (n, 0));
        // inf - inf.
        assert_eq!(
            sub64(f(f64::INFINITY), f(f64::INFINITY), RNE),
            (CANONICAL_NAN64, NV)
        );
        // Overflow by rounding mode.
        let max = f(f64::MAX);
        let big = f(2f64.powi(971)); // one ulp of max: exactly 2^1024
        assert_eq!(add64(max, big, RNE), (f(f64::INFINITY), OF | NX));
        assert_eq!(add64(max, big, RMM), (f(f64::INFINITY), OF | NX));
        assert_eq!(add64(max, big, RTZ), (max, OF | NX));
        assert_eq!(add64(max, big, RDN), (max, OF | NX));
        assert_eq!(add64(max, big, RUP), (f(f64::INFINITY), OF | NX));
        assert_eq!(
            add64(max | n, big | n, RDN),
            (f(f64::NEG_INFINITY), OF | NX)
        );
        assert_eq!(add64(max | n, big | n, RUP), (max | n, OF | NX));
        // max + half ulp: a tie at the overflow threshold.
        let half_ulp = f(2f64.powi(970));
        assert_eq!(add64(max, half_ulp, RNE), (f(f64::INFINITY), OF | NX));
        assert_eq!(add64(max, half_ulp, RMM), (f(f64::INFINITY), OF | NX));
        assert_eq!(add64(max, half_ulp, RUP), (f(f64::INFINITY), OF | NX));
        // Rounded with an unbounded exponent this is max itself: no overflow.
        assert_eq!(add64(max, half_ulp, RTZ), (max, NX));
        assert_eq!(add64(max, half_ulp, RDN), (max, NX));
        // Slightly less than half an ulp: no overflow.
        assert_eq!(add64(max, f(2f64.powi(969)), RNE), (max, NX));
        // Subnormal results are exact sums: no UF.
        assert_eq!(add64(1, 1, RNE), (2, 0));
        assert_eq!(sub64(MIN_NORMAL, 1, RNE), (MIN_NORMAL - 1, 0));
        // f32: 1 + 2^-24 tie.
        let tiny32 = 2f32.powi(-24).to_bits();
        assert_eq!(add32(0x3f80_0000, tiny32, RNE), (0x3f80_0000, NX));
        assert_eq!(add32(0x3f80_0000, tiny32, RMM), (0x3f80_0001, NX));
        assert_eq!(add32(0x3f80_0000, tiny32, RUP), (0x3f80_0001, NX));
    }

    #[test]
    fn hand_underflow_after_rounding() {
        // fma(-2^-1000, 2^-77, 2^-1022) = 2^-1022 - 2^-1077: tiny before
        // rounding, but rounding to 53 bits with an unbounded exponent gives
        // 2^-1022, so RISC-V (tininess after rounding) raises no UF.
        let a = f(-(2f64.powi(-1000)));
        let b = f(2f64.powi(-77));
        let c = MIN_NORMAL;
        assert_eq!(fma64(a, b, c, RNE), (MIN_NORMAL, NX));
        assert_eq!(fma64(a, b, c, RMM), (MIN_NORMAL, NX));
        assert_eq!(fma64(a, b, c, RUP), (MIN_NORMAL, NX));
        // Rounding down: the unbounded result is below 2^-1022: tiny.
        assert_eq!(fma64(a, b, c, RTZ), (MIN_NORMAL - 1, UF | NX));
        assert_eq!(fma64(a, b, c, RDN), (MIN_NORMAL - 1, UF | NX));
        // (1 - 2^-53) * 2^-1022 = 2^-1022 - 2^-1075: representable with 53
        // bits at an unbounded exponent, so tiny; the subnormal rounding is
        // a tie that RNE resolves up to 2^-1022, still with UF.
        let a = f(1.0 - 2f64.powi(-53));
        assert_eq!(mul64(a, MIN_NORMAL, RNE), (MIN_NORMAL, UF | NX));
        assert_eq!(mul64(a, MIN_NORMAL, RMM), (MIN_NORMAL, UF | NX));
        assert_eq!(mul64(a, MIN_NORMAL, RTZ), (MIN_NORMAL - 1, UF | NX));
        // Exact tiny results raise nothing.
        assert_eq!(mul64(f(0.5), MIN_NORMAL, RNE), (MIN_NORMAL >> 1, 0));
        // Underflow to zero.
        assert_eq!(mul64(1, f(0.25), RNE), (0, UF | NX));
        assert_eq!(mul64(1, f(0.25), RUP), (1, UF | NX));
        assert_eq!(mul64(1, f(0.5), RMM), (1, UF | NX));
        assert_eq!(mul64(1, f(0.5), RNE), (0, UF | NX));
        assert_eq!(mul64(1 | 1 << 63, f(0.25), RDN), (1 | 1 << 63, UF | NX));
        // f32 version of the fma case: 2^-126 - 2^-152.
        let a = (-(2f32.powi(-100))).to_bits();
        let b = 2f32.powi(-52).to_bits();
        assert_eq!(fma32(a, b, 0x0080_0000, RNE), (0x0080_0000, NX));
        assert_eq!(fma32(a, b, 0x0080_0000, RTZ), (0x007f_ffff, UF | NX));
    }

    #[test]
    fn hand_special_cases() {
        let inf = f(f64::INFINITY);
        let n = 1u64 << 63;
        let snan = 0x7ff0_0000_0000_0001;
        let qnan = 0x7ff8_0000_0000_1234;
        // Any NaN result is canonical; sNaN raises NV.
        assert_eq!(add64(qnan, ONE, RNE), (CANONICAL_NAN64, 0));
        assert_eq!(add64(snan, ONE, RNE), (CANONICAL_NAN64, NV));
        assert_eq!(mul64(0, inf, RNE), (CANONICAL_NAN64, NV));
        assert_eq!(div64(0, 0, RNE), (CANONICAL_NAN64, NV));
        assert_eq!(div64(inf, inf | n, RNE), (CANONICAL_NAN64, NV));
        assert_eq!(div64(ONE, 0, RNE), (inf, DZ));
        assert_eq!(div64(ONE, n, RNE), (inf | n, DZ));
        assert_eq!(div64(inf, 0, RNE), (inf, 0));
        assert_eq!(sqrt64(ONE | n, RNE), (CANONICAL_NAN64, NV));
        assert_eq!(sqrt64(n, RNE), (n, 0));
        assert_eq!(sqrt64(inf | n, RNE), (CANONICAL_NAN64, NV));
        assert_eq!(sqrt64(f(2.0), RNE), (f(2f64.sqrt()), NX));
        assert_eq!(sqrt64(f(4.0), RNE), (f(2.0), 0));
        // fma: 0*inf + qNaN still raises NV.
        assert_eq!(fma64(0, inf, qnan, RNE), (CANONICAL_NAN64, NV));
        assert_eq!(fma64(ONE, ONE, qnan, RNE), (CANONICAL_NAN64, 0));
        assert_eq!(fma64(inf, ONE, inf | n, RNE), (CANONICAL_NAN64, NV));
        assert_eq!(fma64(inf, ONE, inf, RNE), (inf, 0));
        // fma zero signs.
        assert_eq!(fma64(0, ONE, n, RNE), (0, 0));
        assert_eq!(fma64(0, ONE, n, RDN), (n, 0));
        assert_eq!(fma64(n, ONE, n, RNE), (n, 0));
        assert_eq!(fma64(ONE, ONE, ONE | n, RNE), (0, 0));
        assert_eq!(fma64(ONE, ONE, ONE | n, RDN), (n, 0));
        // fma single rounding: (1+2^-52)^2 - (1+2^-51) = 2^-104 exactly.
        let x = ONE + 1;
        assert_eq!(fma64(x, x, (ONE + 2) | n, RNE), (f(2f64.powi(-104)), 0));
        // Conversions.
        assert_eq!(f64_to_f32(snan, RNE), (CANONICAL_NAN32, NV));
        assert_eq!(f32_to_f64(0x7f80_0001), (CANONICAL_NAN64, NV));
        assert_eq!(f32_to_f64(0x7fc0_0001), (CANONICAL_NAN64, 0));
        assert_eq!(f32_to_f64(1), (f(2f64.powi(-149)), 0));
        assert_eq!(f64_to_f32(f(1e300), RNE), (0x7f80_0000, OF | NX));
        assert_eq!(f64_to_f32(f(1e300), RTZ), (0x7f7f_ffff, OF | NX));
        assert_eq!(f64_to_f32(f(1e-300), RNE), (0, UF | NX));
        assert_eq!(f64_to_f32(f(1e-300), RUP), (1, UF | NX));
        assert_eq!(f64_to_f32(f(1.0 + 2f64.powi(-24)), RMM), (0x3f80_0001, NX));
        assert_eq!(f64_to_f32(f(1.0 + 2f64.powi(-24)), RNE), (0x3f80_0000, NX));
        // Comparisons.
        assert_eq!(feq64(qnan, ONE), (false, 0));
        assert_eq!(feq64(snan, ONE), (false, NV));
        assert_eq!(flt64(qnan, ONE), (false, NV));
        assert_eq!(fle64(ONE, qnan), (false, NV));
        assert_eq!(feq64(0, n), (true, 0));
        assert_eq!(flt64(n, 0), (false, 0));
        assert_eq!(fle64(n, 0), (true, 0));
        assert_eq!(flt64(ONE | n, 0), (true, 0));
        assert_eq!(flt64(inf | n, ONE | n), (true, 0));
        assert_eq!(fle64(ONE, ONE), (true, 0));
        assert_eq!(flt64(ONE, ONE), (false, 0));
        assert_eq!(flt32(0xbf80_0000, 0x3f80_0000), (true, 0));
        assert_eq!(feq32(0x7f80_0001, 0x7f80_0001), (false, NV));
        assert_eq!(fle32(0x7fc0_0000, 0), (false, NV));
        // fmin / fmax.
        assert_eq!(min64(0, n), (n, 0));
        assert_eq!(min64(n, 0), (n, 0));
        assert_eq!(max64(0, n), (0, 0));
        assert_eq!(max64(n, 0), (0, 0));
        assert_eq!(min64(qnan, ONE), (ONE, 0));
        assert_eq!(max64(ONE, qnan), (ONE, 0));
        assert_eq!(min64(snan, ONE), (ONE, NV));
        assert_eq!(max64(snan, qnan), (CANONICAL_NAN64, NV));
        assert_eq!(min64(qnan, qnan), (CANONICAL_NAN64, 0));
        assert_eq!(min64(ONE | n, ONE), (ONE | n, 0));
        assert_eq!(max64(inf | n, ONE | n), (ONE | n, 0));
        assert_eq!(min32(0x7f80_0001, 0x3f80_0000), (0x3f80_0000, NV));
        assert_eq!(max32(0x8000_0000, 0), (0, 0));
        assert_eq!(min32(0x7fc0_0000, 0xffc0_0000), (CANONICAL_NAN32, 0));
        // fclass.
        assert_eq!(class64(inf | n), 1 << 0);
        assert_eq!(class64(ONE | n), 1 << 1);
        assert_eq!(class64(1 | n), 1 << 2);
        assert_eq!(class64(n), 1 << 3);
        assert_eq!(class64(0), 1 << 4);
        assert_eq!(class64(1), 1 << 5);
        assert_eq!(class64(ONE), 1 << 6);
        assert_eq!(class64(inf), 1 << 7);
        assert_eq!(class64(snan), 1 << 8);
        assert_eq!(class64(qnan | n), 1 << 9);
        assert_eq!(class32(0x0000_0001), 1 << 5);
        assert_eq!(class32(0xff80_0000), 1 << 0);
        assert_eq!(class32(0x7f80_0001), 1 << 8);
    }

    #[test]
    fn hand_int_conversions() {
        let n = 1u64 << 63;
        let m = |x: f64| x.to_bits();
        // RMM and RNE on halves.
        assert_eq!(f64_to_i64(m(2.5), RNE), (2, NX));
        assert_eq!(f64_to_i64(m(2.5), RMM), (3, NX));
        assert_eq!(f64_to_i64(m(-2.5), RMM), (-3i64 as u64, NX));
        assert_eq!(f64_to_i64(m(-2.5), RNE), (-2i64 as u64, NX));
        assert_eq!(f64_to_i64(m(3.5), RNE), (4, NX));
        assert_eq!(f64_to_i64(m(0.5), RMM), (1, NX));
        assert_eq!(f64_to_i64(m(0.5), RNE), (0, NX));
        assert_eq!(f64_to_i64(m(-0.5), RDN), (-1i64 as u64, NX));
        assert_eq!(f64_to_i64(m(-0.5), RUP), (0, NX));
        assert_eq!(f64_to_i64(m(2.4), RMM), (2, NX));
        assert_eq!(f64_to_i64(m(-7.0), RMM), (-7i64 as u64, 0));
        // Saturation.
        assert_eq!(f64_to_i32(m(f64::NAN), RNE), (0x7fff_ffff, NV));
        assert_eq!(f64_to_i32(m(3e9), RNE), (0x7fff_ffff, NV));
        assert_eq!(f64_to_i32(m(-3e9), RNE), (0xffff_ffff_8000_0000, NV));
        assert_eq!(
            f64_to_i32(m(-2147483648.4), RNE),
            (0xffff_ffff_8000_0000, NX)
        );
        assert_eq!(
            f64_to_i32(m(-2147483648.6), RNE),
            (0xffff_ffff_8000_0000, NV)
        );
        assert_eq!(
            f64_to_i32(m(-2147483648.6), RUP),
            (0xffff_ffff_8000_0000, NX)
        );
        assert_eq!(f64_to_i32(m(2147483647.5), RNE), (0x7fff_ffff, NV));
        assert_eq!(f64_to_i32(m(2147483647.5), RTZ), (0x7fff_ffff, NX));
        assert_eq!(f64_to_i32(m(-1.0), RNE), (u64::MAX, 0));
        assert_eq!(f64_to_u32(m(f64::NAN), RNE), (u64::MAX, NV));
        assert_eq!(f64_to_u32(m(4294967295.0), RNE), (u64::MAX, 0));
        assert_eq!(f64_to_u32(m(4294967295.5), RNE), (u64::MAX, NV));
        assert_eq!(f64_to_u32(m(2147483648.0), RNE), (0xffff_ffff_8000_0000, 0));
        assert_eq!(f64_to_u32(m(-1.0), RNE), (0, NV));
        assert_eq!(f64_to_u32(m(-0.4), RNE), (0, NX));
        assert_eq!(f64_to_u32(m(-0.5), RMM), (0, NV));
        assert_eq!(f64_to_u32(m(-0.5), RNE), (0, NX));
        assert_eq!(f64_to_u32(m(f64::NEG_INFINITY), RNE), (0, NV));
        assert_eq!(f64_to_u32(n, RNE), (0, 0));
        assert_eq!(f64_to_i64(m(f64::INFINITY), RNE), (i64::MAX as u64, NV));
        assert_eq!(f64_to_i64(m(f64::NEG_INFINITY), RNE), (i64::MIN as u64, NV));
        assert_eq!(
            f64_to_i64(m(-9223372036854775808.0), RNE),
            (i64::MIN as u64, 0)
        );
        assert_eq!(
            f64_to_i64(m(9223372036854775808.0), RNE),
            (i64::MAX as u64, NV)
        );
        assert_eq!(
            f64_to_u64(m(18446744073709549568.0), RNE),
            (18446744073709549568, 0)
        );
        assert_eq!(f64_to_u64(m(18446744073709551616.0), RNE), (u64::MAX, NV));
        assert_eq!(f64_to_u64(m(-1e-300), RDN), (0, NV));
        assert_eq!(f64_to_u64(m(-1e-300), RNE), (0, NX));
        assert_eq!(f32_to_u32(0x4f80_0000, RNE), (u64::MAX, NV)); // 2^32
        assert_eq!(f32_to_u32(0x4f7f_ffff, RNE), (0xffff_ffff_ffff_ff00, 0));
        assert_eq!(f32_to_i32(0x3fc0_0000, RMM), (2, NX)); // 1.5
        assert_eq!(f32_to_i64(0xdf00_0000, RNE), (i64::MIN as u64, 0)); // -2^63
                                                                        // Integer to float.
        assert_eq!(i64_to_f64(0, RNE), (0, 0));
        assert_eq!(i64_to_f64(-1, RNE), (m(-1.0), 0));
        assert_eq!(i64_to_f64(i64::MIN, RNE), (m(-9223372036854775808.0), 0));
        // 2^53 + 1: a tie.
        let t = (1i64 << 53) + 1;
        assert_eq!(i64_to_f64(t, RNE), (m(9007199254740992.0), NX));
        assert_eq!(i64_to_f64(t, RMM), (m(9007199254740994.0), NX));
        assert_eq!(i64_to_f64(-t, RMM), (m(-9007199254740994.0), NX));
        assert_eq!(i64_to_f64(-t, RDN), (m(-9007199254740994.0), NX));
        assert_eq!(i64_to_f64(-t, RUP), (m(-9007199254740992.0), NX));
        assert_eq!(u64_to_f64(u64::MAX, RNE), (m(18446744073709551616.0), NX));
        assert_eq!(u64_to_f64(u64::MAX, RTZ), (m(18446744073709549568.0), NX));
        assert_eq!(u64_to_f32(u64::MAX, RNE), (0x5f80_0000, NX));
        assert_eq!(i32_to_f32((1 << 24) + 1, RMM), (0x4b80_0001, NX));
        assert_eq!(i32_to_f32((1 << 24) + 1, RNE), (0x4b80_0000, NX));
        assert_eq!(u32_to_f32(u32::MAX, RTZ), (0x4f7f_ffff, NX));
        assert_eq!(i32_to_f64(i32::MIN, RNE), (m(-2147483648.0), 0));
        assert_eq!(u32_to_f64(u32::MAX, RUP), (m(4294967295.0), 0));
    }

    /// The x86-64 SSE unit as an oracle: every operation runs in one asm
    /// block that loads MXCSR with the rounding mode and clear flags, does
    /// the operation, and stores MXCSR back (so the compiler can neither fold
    /// nor reorder the arithmetic around the mode change).
    #[cfg(target_arch = "x86_64")]
    mod x86 {
        use super::super::*;
        use core::arch::asm;

        const DEFAULT_MXCSR: u32 = 0x1f80;

        fn mxcsr(rm: u8) -> u32 {
            let rc = match rm {
                RNE => 0,
                RDN => 1,
                RUP => 2,
                RTZ => 3,
                _ => panic!("x86 has no rounding mode {rm}"),
            };
            DEFAULT_MXCSR | rc << 13
        }

        /// MXCSR status bits to fflags (the denormal-operand bit has no
        /// RISC-V counterpart and is dropped).
        fn flags(st: u32) -> u8 {
            let mut fl = 0;
            if st & 0x01 != 0 {
                fl |= NV;
            }
            if st & 0x04 != 0 {
                fl |= DZ;
            }
            if st & 0x08 != 0 {
                fl |= OF;
            }
            if st & 0x10 != 0 {
                fl |= UF;
            }
            if st & 0x20 != 0 {
                fl |= NX;
            }
            fl
        }

        macro_rules! sse_bin {
            ($name:ident, $fty:ty, $bits:ty, $ins:literal) => {
                pub fn $name(a: $bits, b: $bits, rm: u8) -> ($bits, u8) {
                    let mut x = <$fty>::from_bits(a);
                    let y = <$fty>::from_bits(b);
                    let cw = mxcsr(rm);
                    let mut st = 0u32;
                    // SAFETY: only touches xmm registers, MXCSR (restored)
                    // and the two u32 locals.
                    unsafe {
                        asm!(
                            "ldmxcsr [{cw}]",
                            concat!($ins, " {x}, {y}"),
                            "stmxcsr [{st}]",
                            "ldmxcsr [{def}]",
                            cw = in(reg) &cw,
                            st = in(reg) &mut st,
                            def = in(reg) &DEFAULT_MXCSR,
                            x = inout(xmm_reg) x,
                            y = in(xmm_reg) y,
                            options(nostack),
                        );
                    }
                    (x.to_bits(), flags(st))
                }
            };
        }
        sse_bin!(add64, f64, u64, "addsd");
        sse_bin!(sub64, f64, u64, "subsd");
        sse_bin!(mul64, f64, u64, "mulsd");
        sse_bin!(div64, f64, u64, "divsd");
        sse_bin!(sqrt64_, f64, u64, "sqrtsd");
        sse_bin!(add32, f32, u32, "addss");
        sse_bin!(sub32, f32, u32, "subss");
        sse_bin!(mul32, f32, u32, "mulss");
        sse_bin!(div32, f32, u32, "divss");
        sse_bin!(sqrt32_, f32, u32, "sqrtss");
        sse_bin!(cvtsd2ss_, f64, u64, "cvtsd2ss");

        pub fn sqrt64(a: u64, rm: u8) -> (u64, u8) {
            sqrt64_(0, a, rm)
        }
        pub fn sqrt32(a: u32, rm: u8) -> (u32, u8) {
            sqrt32_(0, a, rm)
        }
        /// cvtsd2ss writes the low f32 lane of the destination.
        pub fn f64_to_f32(a: u64, rm: u8) -> (u32, u8) {
            let (r, fl) = cvtsd2ss_(0, a, rm);
            (r as u32, fl)
        }
        pub fn f32_to_f64(a: u32) -> (u64, u8) {
            let mut x = 0f64;
            let y = f32::from_bits(a);
            let cw = mxcsr(RNE);
            let mut st = 0u32;
            // SAFETY: as in sse_bin.
            unsafe {
                asm!(
                    "ldmxcsr [{cw}]",
                    "cvtss2sd {x}, {y}",
                    "stmxcsr [{st}]",
                    "ldmxcsr [{def}]",
                    cw = in(reg) &cw,
                    st = in(reg) &mut st,
                    def = in(reg) &DEFAULT_MXCSR,
                    x = inout(xmm_reg) x,
                    y = in(xmm_reg) y,
                    options(nostack),
                );
            }
            (x.to_bits(), flags(st))
        }

        macro_rules! sse_fma {
            ($name:ident, $fty:ty, $bits:ty, $ins:literal) => {
                pub fn $name(a: $bits, b: $bits, c: $bits, rm: u8) -> ($bits, u8) {
                    let x = <$fty>::from_bits(a);
                    let y = <$fty>::from_bits(b);
                    let mut z = <$fty>::from_bits(c);
                    let cw = mxcsr(rm);
                    let mut st = 0u32;
                    // SAFETY: as in sse_bin; the caller checked for FMA.
                    unsafe {
                        asm!(
                            "ldmxcsr [{cw}]",
                            concat!($ins, " {z}, {x}, {y}"),
                            "stmxcsr [{st}]",
                            "ldmxcsr [{def}]",
                            cw = in(reg) &cw,
                            st = in(reg) &mut st,
                            def = in(reg) &DEFAULT_MXCSR,
                            x = in(xmm_reg) x,
                            y = in(xmm_reg) y,
                            z = inout(xmm_reg) z,
                            options(nostack),
                        );
                    }
                    (z.to_bits(), flags(st))
                }
            };
        }
        sse_fma!(fma64, f64, u64, "vfmadd231sd");
        sse_fma!(fma32, f32, u32, "vfmadd231ss");

        /// cvtsi2sd/cvtsi2ss from a 64-bit integer.
        macro_rules! sse_from_i64 {
            ($name:ident, $fty:ty, $bits:ty, $ins:literal) => {
                pub fn $name(v: i64, rm: u8) -> ($bits, u8) {
                    let mut x: $fty = 0.0;
                    let cw = mxcsr(rm);
                    let mut st = 0u32;
                    // SAFETY: as in sse_bin.
                    unsafe {
                        asm!(
                            "ldmxcsr [{cw}]",
                            concat!($ins, " {x}, {v}"),
                            "stmxcsr [{st}]",
                            "ldmxcsr [{def}]",
                            cw = in(reg) &cw,
                            st = in(reg) &mut st,
                            def = in(reg) &DEFAULT_MXCSR,
                            x = inout(xmm_reg) x,
                            v = in(reg) v,
                            options(nostack),
                        );
                    }
                    (x.to_bits(), flags(st))
                }
            };
        }
        sse_from_i64!(i64_to_f64, f64, u64, "cvtsi2sd");
        sse_from_i64!(i64_to_f32, f32, u32, "cvtsi2ss");

        /// u64 -> float: values >= 2^63 are halved with the lost bit jammed
        /// into bit 0 (far below the rounding position), converted, and
        /// doubled exactly.
        macro_rules! sse_from_u64 {
            ($name:ident, $fty:ty, $bits:ty, $cvt:literal, $add:literal) => {
                pub fn $name(v: u64, rm: u8) -> ($bits, u8) {
                    let mut x: $fty = 0.0;
                    let cw = mxcsr(rm);
                    let mut st = 0u32;
                    let h = ((v >> 1) | (v & 1)) as i64;
                    // SAFETY: as in sse_bin.
                    unsafe {
                        asm!(
                            "ldmxcsr [{cw}]",
                            concat!($cvt, " {x}, {v}"),
                            concat!($add, " {x}, {x}"),
                            "stmxcsr [{st}]",
                            "ldmxcsr [{def}]",
                            cw = in(reg) &cw,
                            st = in(reg) &mut st,
                            def = in(reg) &DEFAULT_MXCSR,
                            x = inout(xmm_reg) x,
                            v = in(reg) h,
                            options(nostack),
                        );
                    }
                    (x.to_bits(), flags(st))
                }
            };
        }
        sse_from_u64!(big_u64_to_f64, f64, u64, "cvtsi2sd", "addsd");
        sse_from_u64!(big_u64_to_f32, f32, u32, "cvtsi2ss", "addss");

        /// cvtsd2si / cvtss2si (rounding per MXCSR) to 64 or 32 bits.
        macro_rules! sse_to_int {
            ($name:ident, $fty:ty, $bits:ty, $ity:ty, $ins:literal) => {
                pub fn $name(a: $bits, rm: u8) -> ($ity, u8) {
                    let x = <$fty>::from_bits(a);
                    let r: $ity;
                    let cw = mxcsr(rm);
                    let mut st = 0u32;
                    // SAFETY: as in sse_bin.
                    unsafe {
                        asm!(
                            "ldmxcsr [{cw}]",
                            $ins,
                            "stmxcsr [{st}]",
                            "ldmxcsr [{def}]",
                            cw = in(reg) &cw,
                            st = in(reg) &mut st,
                            def = in(reg) &DEFAULT_MXCSR,
                            x = in(xmm_reg) x,
                            r = out(reg) r,
                            options(nostack),
                        );
                    }
                    (r, flags(st))
                }
            };
        }
        sse_to_int!(cvtsd2si64, f64, u64, i64, "cvtsd2si {r}, {x}");
        sse_to_int!(cvtsd2si32, f64, u64, i32, "cvtsd2si {r:e}, {x}");
        sse_to_int!(cvtss2si64, f32, u32, i64, "cvtss2si {r}, {x}");
        sse_to_int!(cvtss2si32, f32, u32, i32, "cvtss2si {r:e}, {x}");

        /// comisd/comiss (signal on any NaN) and ucomisd/ucomiss (signal on
        /// sNaN only): only the flags are of interest.
        macro_rules! sse_cmp_flags {
            ($name:ident, $fty:ty, $bits:ty, $ins:literal) => {
                pub fn $name(a: $bits, b: $bits) -> u8 {
                    let x = <$fty>::from_bits(a);
                    let y = <$fty>::from_bits(b);
                    let cw = mxcsr(RNE);
                    let mut st = 0u32;
                    // SAFETY: as in sse_bin (clobbers EFLAGS only).
                    unsafe {
                        asm!(
                            "ldmxcsr [{cw}]",
                            concat!($ins, " {x}, {y}"),
                            "stmxcsr [{st}]",
                            "ldmxcsr [{def}]",
                            cw = in(reg) &cw,
                            st = in(reg) &mut st,
                            def = in(reg) &DEFAULT_MXCSR,
                            x = in(xmm_reg) x,
                            y = in(xmm_reg) y,
                            options(nostack),
                        );
                    }
                    flags(st)
                }
            };
        }
        sse_cmp_flags!(comisd, f64, u64, "comisd");
        sse_cmp_flags!(ucomisd, f64, u64, "ucomisd");
        sse_cmp_flags!(comiss, f32, u32, "comiss");
        sse_cmp_flags!(ucomiss, f32, u32, "ucomiss");

        // ---- randomised comparisons against the oracle ----

        use super::{
            gen, gen_for_int, gen_int, gen_related, is_nan_bits, specials, Report, Rng, N, RMS,
        };

        type Bin = fn(u64, u64, u8) -> (u64, u8);

        fn w32(op: fn(u32, u32, u8) -> (u32, u8), a: u64, b: u64, rm: u8) -> (u64, u8) {
            let (r, fl) = op(a as u32, b as u32, rm);
            (r as u64, fl)
        }

        fn run_bin(name: &str, f: Fmt, seed: u64, ours: Bin, theirs: Bin) {
            let sp = specials(f);
            let mut r = Rng(seed);
            let mut rep = Report::default();
            // Every pair of special values, then random pairs.
            for &rm in &RMS {
                for &a in &sp {
                    for &b in &sp {
                        let what = format!("{name}({a:#x}, {b:#x}, rm {rm})");
                        rep.check(&what, Some(f), ours(a, b, rm), theirs(a, b, rm));
                    }
                }
                for _ in 0..N {
                    let a = gen(&mut r, f, &sp);
                    let b = if r.below(2) == 0 {
                        gen_related(&mut r, f, &sp, a)
                    } else {
                        gen(&mut r, f, &sp)
                    };
                    let what = format!("{name}({a:#x}, {b:#x}, rm {rm})");
                    rep.check(&what, Some(f), ours(a, b, rm), theirs(a, b, rm));
                }
            }
            rep.finish(name);
        }

        #[test]
        fn rand_add64() {
            run_bin("add64", F64, 1, super::super::add64, add64);
        }
        #[test]
        fn rand_sub64() {
            run_bin("sub64", F64, 2, super::super::sub64, sub64);
        }
        #[test]
        fn rand_mul64() {
            run_bin("mul64", F64, 3, super::super::mul64, mul64);
        }
        #[test]
        fn rand_div64() {
            run_bin("div64", F64, 4, super::super::div64, div64);
        }
        #[test]
        fn rand_sqrt64() {
            run_bin(
                "sqrt64",
                F64,
                5,
                |_, b, rm| super::super::sqrt64(b, rm),
                |_, b, rm| sqrt64(b, rm),
            );
        }
        #[test]
        fn rand_add32() {
            run_bin(
                "add32",
                F32,
                6,
                |a, b, rm| w32(super::super::add32, a, b, rm),
                |a, b, rm| w32(add32, a, b, rm),
            );
        }
        #[test]
        fn rand_sub32() {
            run_bin(
                "sub32",
                F32,
                7,
                |a, b, rm| w32(super::super::sub32, a, b, rm),
                |a, b, rm| w32(sub32, a, b, rm),
            );
        }
        #[test]
        fn rand_mul32() {
            run_bin(
                "mul32",
                F32,
                8,
                |a, b, rm| w32(super::super::mul32, a, b, rm),
                |a, b, rm| w32(mul32, a, b, rm),
            );
        }
        #[test]
        fn rand_div32() {
            run_bin(
                "div32",
                F32,
                9,
                |a, b, rm| w32(super::super::div32, a, b, rm),
                |a, b, rm| w32(div32, a, b, rm),
            );
        }
        #[test]
        fn rand_sqrt32() {
            run_bin(
                "sqrt32",
                F32,
                10,
                |_, b, rm| {
                    let (r, fl) = super::super::sqrt32(b as u32, rm);
                    (r as u64, fl)
                },
                |_, b, rm| {
                    let (r, fl) = sqrt32(b as u32, rm);
                    (r as u64, fl)
                },
            );
        }

        type Tern = fn(u64, u64, u64, u8) -> (u64, u8);

        /// IEEE 754 leaves it to the implementation whether 0*inf + qNaN
        /// signals invalid; x86 does not, RISC-V does.
        fn riscv_fma_fixup(f: Fmt, a: u64, b: u64, c: u64, x86: (u64, u8)) -> (u64, u8) {
            let (x, y, z) = (unpack(f, a), unpack(f, b), unpack(f, c));
            let zero_inf = matches!(
                (x.class, y.class),
                (Class::Zero, Class::Inf) | (Class::Inf, Class::Zero)
            );
            if zero_inf && z.class == Class::QNaN {
                (f.nan(), NV)
            } else {
                x86
            }
        }

        fn run_fma(name: &str, f: Fmt, seed: u64, ours: Tern, theirs: Tern, mul: Bin) {
            if !std::arch::is_x86_feature_detected!("fma") {
                eprintln!("{name}: host has no FMA, skipped");
                return;
            }
            let sp = specials(f);
            let mut r = Rng(seed);
            let mut rep = Report::default();
            let mut sp3 = sp.clone();
            sp3.truncate(24);
            for &rm in &RMS {
                for &a in &sp3 {
                    for &b in &sp3 {
                        for &c in &sp3 {
                            let what = format!("{name}({a:#x}, {b:#x}, {c:#x}, rm {rm})");
                            let want = riscv_fma_fixup(f, a, b, c, theirs(a, b, c, rm));
                            rep.check(&what, Some(f), ours(a, b, c, rm), want);
                        }
                    }
                }
                for _ in 0..N {
                    let a = gen(&mut r, f, &sp);
                    let b = if r.below(3) == 0 {
                        gen_related(&mut r, f, &sp, a)
                    } else {
                        gen(&mut r, f, &sp)
                    };
                    let c = match r.below(4) {
                        // Near -(a*b): heavy cancellation.
                        0 | 1 => {
                            let p = mul(a, b, RNE).0 ^ f.sign_bit();
                            gen_related(&mut r, f, &sp, p)
                        }
                        _ => gen(&mut r, f, &sp),
                    };
                    let what = format!("{name}({a:#x}, {b:#x}, {c:#x}, rm {rm})");
                    let want = riscv_fma_fixup(f, a, b, c, theirs(a, b, c, rm));
                    rep.check(&what, Some(f), ours(a, b, c, rm), want);
                }
            }
            rep.finish(name);
        }

        #[test]
        fn rand_fma64() {
            run_fma(
                "fma64",
                F64,
                11,
                super::super::fma64,
                fma64,
                super::super::mul64,
            );
        }
        #[test]
        fn rand_fma32() {
            run_fma(
                "fma32",
                F32,
                12,
                |a, b, c, rm| {
                    let (r, fl) = super::super::fma32(a as u32, b as u32, c as u32, rm);
                    (r as u64, fl)
                },
                |a, b, c, rm| {
                    let (r, fl) = fma32(a as u32, b as u32, c as u32, rm);
                    (r as u64, fl)
                },
                |a, b, rm| w32(super::super::mul32, a, b, rm),
            );
        }

        #[test]
        fn rand_f64_to_f32() {
            let sp = specials(F64);
            let mut r = Rng(13);
            let mut rep = Report::default();
            for &rm in &RMS {
                for i in 0..N + sp.len() {
                    let a = if i < sp.len() {
                        sp[i]
                    } else {
                        match r.below(4) {
                            // Around the binary32 range: exponents -160..130.
                            0 | 1 => {
                                let e = r.range(1023 - 160, 1023 + 130) as u64;
                                let m = r.next() & F64.man_mask();
                                let m = m & !((1u64 << r.below(53)) - 1);
                                F64.sign(r.below(2) == 1) | e << 52 | m
                            }
                            _ => gen(&mut r, F64, &sp),
                        }
                    };
                    let what = format!("f64_to_f32({a:#x}, rm {rm})");
                    let (o, of) = super::super::f64_to_f32(a, rm);
                    let (t, tf) = f64_to_f32(a, rm);
                    rep.check(&what, Some(F32), (o as u64, of), (t as u64, tf));
                }
            }
            // f32 -> f64 is exact.
            let sp = specials(F32);
            for i in 0..N + sp.len() {
                let a = if i < sp.len() {
                    sp[i]
                } else {
                    gen(&mut r, F32, &sp)
                } as u32;
                let what = format!("f32_to_f64({a:#x})");
                rep.check(&what, Some(F64), super::super::f32_to_f64(a), f32_to_f64(a));
            }
            rep.finish("f64_to_f32/f32_to_f64");
        }

        #[test]
        fn rand_int_to_float() {
            let mut r = Rng(14);
            let mut rep = Report::default();
            for &rm in &RMS {
                for _ in 0..N {
                    let v = gen_int(&mut r);
                    let c = |rep: &mut Report, what: &str, f: Fmt, o: (u64, u8), t: (u64, u8)| {
                        rep.check(&format!("{what}({v:#x}, rm {rm})"), Some(f), o, t)
                    };
                    let n32 = |x: (u32, u8)| (x.0 as u64, x.1);
                    // i64
                    c(
                        &mut rep,
                        "i64_to_f64",
                        F64,
                        super::super::i64_to_f64(v as i64, rm),
                        i64_to_f64(v as i64, rm),
                    );
                    c(
                        &mut rep,
                        "i64_to_f32",
                        F32,
                        n32(super::super::i64_to_f32(v as i64, rm)),
                        n32(i64_to_f32(v as i64, rm)),
                    );
                    // u64
                    let t64 = if (v as i64) < 0 {
                        big_u64_to_f64(v, rm)
                    } else {
                        i64_to_f64(v as i64, rm)
                    };
                    let t32 = if (v as i64) < 0 {
                        big_u64_to_f32(v, rm)
                    } else {
                        i64_to_f32(v as i64, rm)
                    };
                    c(
                        &mut rep,
                        "u64_to_f64",
                        F64,
                        super::super::u64_to_f64(v, rm),
                        t64,
                    );
                    c(
                        &mut rep,
                        "u64_to_f32",
                        F32,
                        n32(super::super::u64_to_f32(v, rm)),
                        n32(t32),
                    );
                    // i32 / u32 (low half of v)
                    let w = v as i32;
                    let u = v as u32;
                    c(
                        &mut rep,
                        "i32_to_f64",
                        F64,
                        super::super::i32_to_f64(w, rm),
                        i64_to_f64(w as i64, rm),
                    );
                    c(
                        &mut rep,
                        "i32_to_f32",
                        F32,
                        n32(super::super::i32_to_f32(w, rm)),
                        n32(i64_to_f32(w as i64, rm)),
                    );
                    c(
                        &mut rep,
                        "u32_to_f64",
                        F64,
                        super::super::u32_to_f64(u, rm),
                        i64_to_f64(u as i64, rm),
                    );
                    c(
                        &mut rep,
                        "u32_to_f32",
                        F32,
                        n32(super::super::u32_to_f32(u, rm)),
                        n32(i64_to_f32(u as i64, rm)),
                    );
                }
            }
            rep.finish("int_to_float");
        }

        /// The RISC-V result expected for float -> integer, built from the
        /// host's signed conversions (which return "integer indefinite" with
        /// IE on NaN / overflow) and range checks.
        fn expect_to_int(
            f: Fmt,
            a: u64,
            rm: u8,
            signed: bool,
            width: u32,
            cvt64: &dyn Fn(u64, u8) -> (i64, u8),
            cvt32: &dyn Fn(u64, u8) -> (i32, u8),
        ) -> (u64, u8) {
            let x = unpack(f, a);
            let (max, min): (u64, u64) = match (signed, width) {
                (true, 32) => (i32::MAX as u64, i32::MIN as i64 as u64),
                (true, _) => (i64::MAX as u64, i64::MIN as u64),
                (false, 32) => (u64::MAX, 0),
                (false, _) => (u64::MAX, 0),
            };
            if x.is_nan() {
                return (max, NV);
            }
            let sat = if x.neg { min } else { max };
            match (signed, width) {
                (true, 32) => {
                    let (v, fl) = cvt32(a, rm);
                    if fl & NV != 0 {
                        (sat, NV)
                    } else {
                        (v as i64 as u64, fl)
                    }
                }
                (true, _) => {
                    let (v, fl) = cvt64(a, rm);
                    if fl & NV != 0 {
                        (sat, NV)
                    } else {
                        (v as u64, fl)
                    }
                }
                (false, 32) => {
                    let (v, fl) = cvt64(a, rm);
                    if fl & NV != 0 || v < 0 {
                        (sat, NV)
                    } else if v > u32::MAX as i64 {
                        (max, NV)
                    } else {
                        (v as u32 as i32 as i64 as u64, fl)
                    }
                }
                (false, _) => {
                    // Magnitudes >= 2^63 are integers already.
                    let big = matches!(x.class, Class::Finite { exp, .. } if exp >= 0)
                        || x.class == Class::Inf;
                    if big && !x.neg {
                        return match x.class {
                            Class::Finite { sig, exp: 0 } => (sig, 0),
                            _ => (max, NV),
                        };
                    }
                    let (v, fl) = cvt64(a, rm);
                    if fl & NV != 0 || v < 0 {
                        (sat, NV)
                    } else {
                        (v as u64, fl)
                    }
                }
            }
        }

        #[test]
        fn rand_float_to_int() {
            let mut r = Rng(15);
            let mut rep = Report::default();
            for &rm in &RMS {
                // binary64 sources
                let sp = specials(F64);
                let c64 = |a: u64, rm: u8| cvtsd2si64(a, rm);
                let c32 = |a: u64, rm: u8| cvtsd2si32(a, rm);
                for i in 0..N + sp.len() {
                    let a = if i < sp.len() {
                        sp[i]
                    } else {
                        gen_for_int(&mut r, F64, &sp)
                    };
                    let cases: [(&str, (u64, u8), bool, u32); 4] = [
                        ("f64_to_i32", super::super::f64_to_i32(a, rm), true, 32),
                        ("f64_to_u32", super::super::f64_to_u32(a, rm), false, 32),
                        ("f64_to_i64", super::super::f64_to_i64(a, rm), true, 64),
                        ("f64_to_u64", super::super::f64_to_u64(a, rm), false, 64),
                    ];
                    for (name, ours, signed, width) in cases {
                        let want = expect_to_int(F64, a, rm, signed, width, &c64, &c32);
                        rep.check(&format!("{name}({a:#x}, rm {rm})"), None, ours, want);
                    }
                }
                // binary32 sources
                let sp = specials(F32);
                let c64 = |a: u64, rm: u8| cvtss2si64(a as u32, rm);
                let c32 = |a: u64, rm: u8| cvtss2si32(a as u32, rm);
                for i in 0..N + sp.len() {
                    let a = if i < sp.len() {
                        sp[i]
                    } else {
                        gen_for_int(&mut r, F32, &sp)
                    };
                    let a32 = a as u32;
                    let cases: [(&str, (u64, u8), bool, u32); 4] = [
                        ("f32_to_i32", super::super::f32_to_i32(a32, rm), true, 32),
                        ("f32_to_u32", super::super::f32_to_u32(a32, rm), false, 32),
                        ("f32_to_i64", super::super::f32_to_i64(a32, rm), true, 64),
                        ("f32_to_u64", super::super::f32_to_u64(a32, rm), false, 64),
                    ];
                    for (name, ours, signed, width) in cases {
                        let want = expect_to_int(F32, a, rm, signed, width, &c64, &c32);
                        rep.check(&format!("{name}({a:#x}, rm {rm})"), None, ours, want);
                    }
                }
            }
            rep.finish("float_to_int");
        }

        #[test]
        fn rand_compare() {
            let mut r = Rng(16);
            let mut rep = Report::default();
            for (f, seed) in [(F64, 0u64), (F32, 1)] {
                let sp = specials(f);
                let _ = seed;
                let mut pairs: Vec<(u64, u64)> = Vec::new();
                for &a in &sp {
                    for &b in &sp {
                        pairs.push((a, b));
                    }
                }
                for _ in 0..N {
                    let a = gen(&mut r, f, &sp);
                    let b = gen_related(&mut r, f, &sp, a);
                    pairs.push((a, b));
                }
                for (a, b) in pairs {
                    let (eq, lt, le, q_fl, s_fl) = if f.mbits == 52 {
                        let (x, y) = (f64::from_bits(a), f64::from_bits(b));
                        (x == y, x < y, x <= y, ucomisd(a, b), comisd(a, b))
                    } else {
                        let (x, y) = (f32::from_bits(a as u32), f32::from_bits(b as u32));
                        (
                            x == y,
                            x < y,
                            x <= y,
                            ucomiss(a as u32, b as u32),
                            comiss(a as u32, b as u32),
                        )
                    };
                    let (o_eq, o_lt, o_le) = if f.mbits == 52 {
                        (feq64(a, b), flt64(a, b), fle64(a, b))
                    } else {
                        let (a, b) = (a as u32, b as u32);
                        (feq32(a, b), flt32(a, b), fle32(a, b))
                    };
                    let w = |x: (bool, u8)| (x.0 as u64, x.1);
                    rep.check(
                        &format!("feq({a:#x}, {b:#x})"),
                        None,
                        w(o_eq),
                        (eq as u64, q_fl),
                    );
                    rep.check(
                        &format!("flt({a:#x}, {b:#x})"),
                        None,
                        w(o_lt),
                        (lt as u64, s_fl),
                    );
                    rep.check(
                        &format!("fle({a:#x}, {b:#x})"),
                        None,
                        w(o_le),
                        (le as u64, s_fl),
                    );
                    // fmin / fmax: flags as feq's; values by definition.
                    let (mn, mx) = if f.mbits == 52 {
                        (min64(a, b), max64(a, b))
                    } else {
                        let (x, y) = (min32(a as u32, b as u32), max32(a as u32, b as u32));
                        ((x.0 as u64, x.1), (y.0 as u64, y.1))
                    };
                    let (an, bn) = (unpack(f, a).is_nan(), unpack(f, b).is_nan());
                    let (want_mn, want_mx) = match (an, bn) {
                        (true, true) => (f.nan(), f.nan()),
                        (true, false) => (b, b),
                        (false, true) => (a, a),
                        _ => {
                            // lt/eq from the host; -0 < +0 by the sign bit.
                            let a_lt = lt || (eq && a & f.sign_bit() != 0 && b & f.sign_bit() == 0);
                            if a == b || a_lt {
                                (a, b)
                            } else {
                                (b, a)
                            }
                        }
                    };
                    rep.check(&format!("fmin({a:#x}, {b:#x})"), None, mn, (want_mn, q_fl));
                    rep.check(&format!("fmax({a:#x}, {b:#x})"), None, mx, (want_mx, q_fl));
                }
            }
            rep.finish("compare/min/max");
        }

        // ---- RMM (no x86 equivalent) ----

        /// Checks an RMM result against RNE: equal, or else the exact value
        /// must be a tie: RNE went to the even neighbour towards zero (the
        /// host's RTZ result) and RMM to the odd one away from zero (the
        /// host's RUP/RDN result). `tie` is an independent exact answer to
        /// "is the exact value a midpoint", where one is cheap to get.
        #[allow(clippy::too_many_arguments)]
        fn rmm_check(
            rep: &mut Report,
            what: &str,
            f: Fmt,
            rne: (u64, u8),
            rmm: (u64, u8),
            tz: (u64, u8),
            away: (u64, u8),
            tie: Option<bool>,
        ) {
            rep.count += 1;
            rep.ties += (rne != rmm) as u64;
            let ok = if rne == rmm {
                // On a tie RNE may round away too (to an even neighbour).
                tie != Some(true) || rmm.0 == away.0
            } else {
                rne.1 == rmm.1
                    && rne.0 == tz.0
                    && rmm.0 == away.0
                    && rne.0 & 1 == 0
                    && !is_nan_bits(f, rne.0)
                    && tie != Some(false)
            };
            if !ok && rep.failures.len() < 30 {
                rep.failures.push(format!(
                    "{what}: rne {:#x}/{:#04x} rmm {:#x}/{:#04x} rtz {:#x} away {:#x} tie {tie:?}",
                    rne.0, rne.1, rmm.0, rmm.1, tz.0, away.0
                ));
            }
        }

        /// Host TwoSum error term of an f64 addition (exact when finite).
        fn two_sum_err(a: f64, b: f64) -> f64 {
            let s = a + b;
            let bb = s - a;
            (a - (s - bb)) + (b - bb)
        }

        /// Half the (signed) distance from `lo` to its neighbour `hi`, both
        /// normal: exact.
        fn half_step(lo: f64, hi: f64) -> f64 {
            (hi - lo) / 2.0
        }

        #[test]
        fn rand_rmm() {
            let mut r = Rng(17);
            let mut rep = Report::default();
            let has_fma = std::arch::is_x86_feature_detected!("fma");
            let sp64 = specials(F64);
            let sp32 = specials(F32);
            let is_normal64 = |x: u64| {
                let e = (x >> 52) & 0x7ff;
                e != 0 && e != 0x7ff
            };
            for _ in 0..4 * N {
                let a = gen(&mut r, F64, &sp64);
                let b = gen_related(&mut r, F64, &sp64, a);
                let c = gen_related(&mut r, F64, &sp64, a);
                let away = |res: u64, x: &dyn Fn(u8) -> (u64, u8)| {
                    if res & F64.sign_bit() != 0 {
                        x(RDN)
                    } else {
                        x(RUP)
                    }
                };
                // add64 with an exact tie test by TwoSum.
                {
                    let rne = super::super::add64(a, b, RNE);
                    let rmm = super::super::add64(a, b, RMM);
                    let tie = if is_normal64(rne.0) && is_normal64(rmm.0) && rne.0 != rmm.0 {
                        let e = two_sum_err(f64::from_bits(a), f64::from_bits(b));
                        Some(e == half_step(f64::from_bits(rne.0), f64::from_bits(rmm.0)))
                    } else {
                        None
                    };
                    let x = |rm| add64(a, b, rm);
                    rmm_check(
                        &mut rep,
                        &format!("add64({a:#x}, {b:#x})"),
                        F64,
                        rne,
                        rmm,
                        x(RTZ),
                        away(rmm.0, &x),
                        tie,
                    );
                }
                // mul64 with an exact tie test by fma.
                {
                    let rne = super::super::mul64(a, b, RNE);
                    let rmm = super::super::mul64(a, b, RMM);
                    let tie = if has_fma
                        && rne.1 & UF == 0
                        && is_normal64(rne.0)
                        && is_normal64(rmm.0)
                        && rne.0 != rmm.0
                    {
                        let e = f64::from_bits(fma64(a, b, rne.0 ^ F64.sign_bit(), RNE).0);
                        Some(e == half_step(f64::from_bits(rne.0), f64::from_bits(rmm.0)))
                    } else {
                        None
                    };
                    let x = |rm| mul64(a, b, rm);
                    rmm_check(
                        &mut rep,
                        &format!("mul64({a:#x}, {b:#x})"),
                        F64,
                        rne,
                        rmm,
                        x(RTZ),
                        away(rmm.0, &x),
                        tie,
                    );
                }
                // div64 / sqrt64: a normal result is never a tie.
                {
                    let rne = super::super::div64(a, b, RNE);
                    let rmm = super::super::div64(a, b, RMM);
                    let tie = if rne.1 & UF == 0 && rmm.1 & UF == 0 {
                        Some(false)
                    } else {
                        None
                    };
                    let x = |rm| div64(a, b, rm);
                    rmm_check(
                        &mut rep,
                        &format!("div64({a:#x}, {b:#x})"),
                        F64,
                        rne,
                        rmm,
                        x(RTZ),
                        away(rmm.0, &x),
                        tie,
                    );
                    let rne = super::super::sqrt64(a, RNE);
                    let rmm = super::super::sqrt64(a, RMM);
                    let x = |rm| sqrt64(a, rm);
                    rmm_check(
                        &mut rep,
                        &format!("sqrt64({a:#x})"),
                        F64,
                        rne,
                        rmm,
                        x(RTZ),
                        away(rmm.0, &x),
                        Some(false),
                    );
                }
                if has_fma {
                    let rne = super::super::fma64(a, b, c, RNE);
                    let rmm = super::super::fma64(a, b, c, RMM);
                    let x = |rm| riscv_fma_fixup(F64, a, b, c, fma64(a, b, c, rm));
                    rmm_check(
                        &mut rep,
                        &format!("fma64({a:#x}, {b:#x}, {c:#x})"),
                        F64,
                        rne,
                        rmm,
                        x(RTZ),
                        away(rmm.0, &x),
                        None,
                    );
                }
                // f64 -> f32: the midpoint of two binary32 values is exact in binary64.
                {
                    let n = |x: (u32, u8)| (x.0 as u64, x.1);
                    let rne = n(super::super::f64_to_f32(a, RNE));
                    let rmm = n(super::super::f64_to_f32(a, RMM));
                    let tie = if rne.0 != rmm.0 && rmm.1 & OF == 0 {
                        let lo = f32::from_bits(rne.0 as u32) as f64;
                        let hi = f32::from_bits(rmm.0 as u32) as f64;
                        Some(f64::from_bits(a) == lo + (hi - lo) / 2.0)
                    } else {
                        None
                    };
                    let x = |rm| n(f64_to_f32(a, rm));
                    let away = if rmm.0 & F32.sign_bit() != 0 {
                        x(RDN)
                    } else {
                        x(RUP)
                    };
                    rmm_check(
                        &mut rep,
                        &format!("f64_to_f32({a:#x})"),
                        F32,
                        rne,
                        rmm,
                        x(RTZ),
                        away,
                        tie,
                    );
                }
                // f32 ops; products and most sums of binary32 are exact in binary64.
                {
                    let (a, b, c) = (
                        gen(&mut r, F32, &sp32) as u32,
                        gen_related(&mut r, F32, &sp32, a & 0xffff_ffff) as u32,
                        gen(&mut r, F32, &sp32) as u32,
                    );
                    let n = |x: (u32, u8)| (x.0 as u64, x.1);
                    let away32 = |res: u64, x: &dyn Fn(u8) -> (u64, u8)| {
                        if res & F32.sign_bit() != 0 {
                            x(RDN)
                        } else {
                            x(RUP)
                        }
                    };
                    let (fa, fb) = (f32::from_bits(a) as f64, f32::from_bits(b) as f64);
                    let mid_tie = |rne: (u64, u8), rmm: (u64, u8), exact: f64| {
                        if rne.0 != rmm.0 && rmm.1 & (OF | UF) == 0 && exact.is_finite() {
                            let lo = f32::from_bits(rne.0 as u32) as f64;
                            let hi = f32::from_bits(rmm.0 as u32) as f64;
                            Some(exact == lo + (hi - lo) / 2.0)
                        } else {
                            None
                        }
                    };
                    let rne = n(super::super::mul32(a, b, RNE));
                    let rmm = n(super::super::mul32(a, b, RMM));
                    let x = |rm| n(mul32(a, b, rm));
                    let tie = mid_tie(rne, rmm, fa * fb);
                    rmm_check(
                        &mut rep,
                        &format!("mul32({a:#x}, {b:#x})"),
                        F32,
                        rne,
                        rmm,
                        x(RTZ),
                        away32(rmm.0, &x),
                        tie,
                    );
                    let rne = n(super::super::add32(a, b, RNE));
                    let rmm = n(super::super::add32(a, b, RMM));
                    let x = |rm| n(add32(a, b, rm));
                    // fa + fb is exact in binary64 when the exponents are close.
                    let close = (((a >> 23) & 0xff) as i32 - ((b >> 23) & 0xff) as i32).abs() < 25;
                    let tie = if close {
                        mid_tie(rne, rmm, fa + fb)
                    } else {
                        None
                    };
                    rmm_check(
                        &mut rep,
                        &format!("add32({a:#x}, {b:#x})"),
                        F32,
                        rne,
                        rmm,
                        x(RTZ),
                        away32(rmm.0, &x),
                        tie,
                    );
                    let rne = n(super::super::div32(a, b, RNE));
                    let rmm = n(super::super::div32(a, b, RMM));
                    let x = |rm| n(div32(a, b, rm));
                    let tie = if rne.1 & UF == 0 && rmm.1 & UF == 0 {
                        Some(false)
                    } else {
                        None
                    };
                    rmm_check(
                        &mut rep,
                        &format!("div32({a:#x}, {b:#x})"),
                        F32,
                        rne,
                        rmm,
                        x(RTZ),
                        away32(rmm.0, &x),
                        tie,
                    );
                    let rne = n(super::super::sqrt32(a, RNE));
                    let rmm = n(super::super::sqrt32(a, RMM));
                    let x = |rm| n(sqrt32(a, rm));
                    rmm_check(
                        &mut rep,
                        &format!("sqrt32({a:#x})"),
                        F32,
                        rne,
                        rmm,
                        x(RTZ),
                        away32(rmm.0, &x),
                        Some(false),
                    );
                    if has_fma {
                        let rne = n(super::super::fma32(a, b, c, RNE));
                        let rmm = n(super::super::fma32(a, b, c, RMM));
                        let x = |rm| {
                            riscv_fma_fixup(
                                F32,
                                a as u64,
                                b as u64,
                                c as u64,
                                n(fma32(a, b, c, rm)),
                            )
                        };
                        rmm_check(
                            &mut rep,
                            &format!("fma32({a:#x}, {b:#x}, {c:#x})"),
                            F32,
                            rne,
                            rmm,
                            x(RTZ),
                            away32(rmm.0, &x),
                            None,
                        );
                    }
                }
                // Integer -> float: the tie test is exact in i128.
                {
                    let v = gen_int(&mut r) as i64;
                    let rne = super::super::i64_to_f64(v, RNE);
                    let rmm = super::super::i64_to_f64(v, RMM);
                    let tie = (rne.0 != rmm.0).then(|| {
                        let lo = f64::from_bits(rne.0) as i128;
                        let hi = f64::from_bits(rmm.0) as i128;
                        2 * v as i128 == lo + hi
                    });
                    let x = |rm| i64_to_f64(v, rm);
                    rmm_check(
                        &mut rep,
                        &format!("i64_to_f64({v:#x})"),
                        F64,
                        rne,
                        rmm,
                        x(RTZ),
                        away(rmm.0, &x),
                        tie,
                    );
                    let u = v as u64;
                    let n = |x: (u32, u8)| (x.0 as u64, x.1);
                    let rne = n(super::super::u64_to_f32(u, RNE));
                    let rmm = n(super::super::u64_to_f32(u, RMM));
                    let tie = (rne.0 != rmm.0).then(|| {
                        let lo = f32::from_bits(rne.0 as u32) as i128;
                        let hi = f32::from_bits(rmm.0 as u32) as i128;
                        2 * u as i128 == lo + hi
                    });
                    let x = |rm| {
                        if (u as i64) < 0 {
                            n(big_u64_to_f32(u, rm))
                        } else {
                            n(i64_to_f32(u as i64, rm))
                        }
                    };
                    rmm_check(
                        &mut rep,
                        &format!("u64_to_f32({u:#x})"),
                        F32,
                        rne,
                        rmm,
                        x(RTZ),
                        x(RUP),
                        tie,
                    );
                }
                // Float -> integer: RMM differs from RNE exactly on halves.
                {
                    let a = gen_for_int(&mut r, F64, &sp64);
                    let x = f64::from_bits(a);
                    let half = x.is_finite() && (x - x.trunc()).abs() == 0.5;
                    for (name, op) in [
                        (
                            "f64_to_i64",
                            super::super::f64_to_i64 as fn(u64, u8) -> (u64, u8),
                        ),
                        ("f64_to_i32", super::super::f64_to_i32),
                        ("f64_to_u32", super::super::f64_to_u32),
                    ] {
                        let rne = op(a, RNE);
                        let rmm = op(a, RMM);
                        rep.count += 1;
                        let ok = if half && rne.1 & NV == 0 && rmm.1 & NV == 0 {
                            // Away from zero, i.e. |rmm| = |trunc(x)| + 1.
                            let t = x.trunc();
                            let want = if x < 0.0 { t - 1.0 } else { t + 1.0 };
                            let got = if name == "f64_to_u32" {
                                rmm.0 as u32 as f64
                            } else {
                                rmm.0 as i64 as f64
                            };
                            got == want && rmm.1 == NX
                        } else {
                            half || rne == rmm
                        };
                        rep.ties += (rne != rmm) as u64;
                        if !ok && rep.failures.len() < 30 {
                            rep.failures
                                .push(format!("{name}({a:#x}) RMM: rne {rne:x?} rmm {rmm:x?}"));
                        }
                    }
                }
            }
            eprintln!("rmm: {} ties", rep.ties);
            assert!(rep.ties > 1000, "too few ties exercised: {}", rep.ties);
            rep.finish("rmm");
        }
    }

    /// Cross-check against qemu-riscv64 (the real instruction semantics,
    /// RMM and NaN rules included) when `riscv64-linux-gnu-gcc` and
    /// `qemu-riscv64` are installed; skipped otherwise.
    mod qemu {
        use super::super::*;
        use super::{gen, gen_for_int, gen_int, gen_related, specials, Rng};
        use std::io::Write;
        use std::process::{Command, Stdio};

        /// Reads "op rm a b c" lines (hex operands), runs the instruction
        /// with frm = rm, prints "result fflags".
        const DRIVER: &str = r#"
#include <stdio.h>
#include <stdint.h>
#include <string.h>
static double D(uint64_t x) { double d; memcpy(&d, &x, 8); return d; }
static float S(uint64_t x) { uint32_t w = (uint32_t)x; float f; memcpy(&f, &w, 4); return f; }
static uint64_t UD(double d) { uint64_t x; memcpy(&x, &d, 8); return x; }
static uint64_t US(float f) { uint32_t x; memcpy(&x, &f, 4); return x; }
#define D2(i) { double r; __asm__ volatile(i " %0,%1,%2,dyn" : "=f"(r) : "f"(D(a)), "f"(D(b))); res = UD(r); } break;
#define S2(i) { float r; __asm__ volatile(i " %0,%1,%2,dyn" : "=f"(r) : "f"(S(a)), "f"(S(b))); res = US(r); } break;
#define D3(i) { double r; __asm__ volatile(i " %0,%1,%2,%3,dyn" : "=f"(r) : "f"(D(a)), "f"(D(b)), "f"(D(c))); res = UD(r); } break;
#define S3(i) { float r; __asm__ volatile(i " %0,%1,%2,%3,dyn" : "=f"(r) : "f"(S(a)), "f"(S(b)), "f"(S(c))); res = US(r); } break;
#define DI(i) { int64_t r; __asm__ volatile(i " %0,%1,dyn" : "=r"(r) : "f"(D(a))); res = (uint64_t)r; } break;
#define SI(i) { int64_t r; __asm__ volatile(i " %0,%1,dyn" : "=r"(r) : "f"(S(a))); res = (uint64_t)r; } break;
#define ID(i) { double r; __asm__ volatile(i " %0,%1,dyn" : "=f"(r) : "r"(a)); res = UD(r); } break;
#define ID0(i) { double r; __asm__ volatile(i " %0,%1" : "=f"(r) : "r"(a)); res = UD(r); } break;
#define IS(i) { float r; __asm__ volatile(i " %0,%1,dyn" : "=f"(r) : "r"(a)); res = US(r); } break;
#define DC(i) { int64_t r; __asm__ volatile(i " %0,%1,%2" : "=r"(r) : "f"(D(a)), "f"(D(b))); res = (uint64_t)r; } break;
#define SC(i) { int64_t r; __asm__ volatile(i " %0,%1,%2" : "=r"(r) : "f"(S(a)), "f"(S(b))); res = (uint64_t)r; } break;
#define DM(i) { double r; __asm__ volatile(i " %0,%1,%2" : "=f"(r) : "f"(D(a)), "f"(D(b))); res = UD(r); } break;
#define SM(i) { float r; __asm__ volatile(i " %0,%1,%2" : "=f"(r) : "f"(S(a)), "f"(S(b))); res = US(r); } break;
int main(void) {
    int op, rm; unsigned long long a, b, c;
    while (scanf("%d %d %llx %llx %llx", &op, &rm, &a, &b, &c) == 5) {
        uint64_t res = 0; unsigned fl;
        __asm__ volatile("fsrm %0" :: "r"(rm));
        __asm__ volatile("fsflags zero");
        switch (op) {
        case 0: D2("fadd.d") case 1: D2("fsub.d") case 2: D2("fmul.d") case 3: D2("fdiv.d")
        case 4: { double r; __asm__ volatile("fsqrt.d %0,%1,dyn" : "=f"(r) : "f"(D(a))); res = UD(r); } break;
        case 5: D3("fmadd.d")
        case 6: S2("fadd.s") case 7: S2("fsub.s") case 8: S2("fmul.s") case 9: S2("fdiv.s")
        case 10: { float r; __asm__ volatile("fsqrt.s %0,%1,dyn" : "=f"(r) : "f"(S(a))); res = US(r); } break;
        case 11: S3("fmadd.s")
        case 12: { float r; __asm__ volatile("fcvt.s.d %0,%1,dyn" : "=f"(r) : "f"(D(a))); res = US(r); } break;
        case 13: { double r; __asm__ volatile("fcvt.d.s %0,%1" : "=f"(r) : "f"(S(a))); res = UD(r); } break;
        case 14: DI("fcvt.w.d") case 15: DI("fcvt.wu.d") case 16: DI("fcvt.l.d") case 17: DI("fcvt.lu.d")
        case 18: SI("fcvt.w.s") case 19: SI("fcvt.wu.s") case 20: SI("fcvt.l.s") case 21: SI("fcvt.lu.s")
        case 22: ID0("fcvt.d.w") case 23: ID0("fcvt.d.wu") case 24: ID("fcvt.d.l") case 25: ID("fcvt.d.lu")
        case 26: IS("fcvt.s.w") case 27: IS("fcvt.s.wu") case 28: IS("fcvt.s.l") case 29: IS("fcvt.s.lu")
        case 30: DC("feq.d") case 31: DC("flt.d") case 32: DC("fle.d") case 33: DM("fmin.d") case 34: DM("fmax.d")
        case 35: SC("feq.s") case 36: SC("flt.s") case 37: SC("fle.s") case 38: SM("fmin.s") case 39: SM("fmax.s")
        case 40: D3("fmsub.d") case 41: D3("fnmsub.d") case 42: D3("fnmadd.d")
        case 43: S3("fmsub.s") case 44: S3("fnmsub.s") case 45: S3("fnmadd.s")
        }
        __asm__ volatile("frflags %0" : "=r"(fl));
        printf("%llx %x\n", (unsigned long long)res, fl);
    }
    return 0;
}
"#;

        const OPS: usize = 46;

        /// Our answer for driver op `op`.
        fn ours(op: usize, rm: u8, a: u64, b: u64, c: u64) -> (u64, u8) {
            let (a32, b32, c32) = (a as u32, b as u32, c as u32);
            let s = |x: (u32, u8)| (x.0 as u64, x.1);
            let bo = |x: (bool, u8)| (x.0 as u64, x.1);
            const N64: u64 = 1 << 63;
            const N32: u32 = 1 << 31;
            match op {
                0 => add64(a, b, rm),
                1 => sub64(a, b, rm),
                2 => mul64(a, b, rm),
                3 => div64(a, b, rm),
                4 => sqrt64(a, rm),
                5 => fma64(a, b, c, rm),
                6 => s(add32(a32, b32, rm)),
                7 => s(sub32(a32, b32, rm)),
                8 => s(mul32(a32, b32, rm)),
                9 => s(div32(a32, b32, rm)),
                10 => s(sqrt32(a32, rm)),
                11 => s(fma32(a32, b32, c32, rm)),
                12 => s(f64_to_f32(a, rm)),
                13 => f32_to_f64(a32),
                14 => f64_to_i32(a, rm),
                15 => f64_to_u32(a, rm),
                16 => f64_to_i64(a, rm),
                17 => f64_to_u64(a, rm),
                18 => f32_to_i32(a32, rm),
                19 => f32_to_u32(a32, rm),
                20 => f32_to_i64(a32, rm),
                21 => f32_to_u64(a32, rm),
                22 => i32_to_f64(a as i32, rm),
                23 => u32_to_f64(a as u32, rm),
                24 => i64_to_f64(a as i64, rm),
                25 => u64_to_f64(a, rm),
                26 => s(i32_to_f32(a as i32, rm)),
                27 => s(u32_to_f32(a as u32, rm)),
                28 => s(i64_to_f32(a as i64, rm)),
                29 => s(u64_to_f32(a, rm)),
                30 => bo(feq64(a, b)),
                31 => bo(flt64(a, b)),
                32 => bo(fle64(a, b)),
                33 => min64(a, b),
                34 => max64(a, b),
                35 => bo(feq32(a32, b32)),
                36 => bo(flt32(a32, b32)),
                37 => bo(fle32(a32, b32)),
                38 => s(min32(a32, b32)),
                39 => s(max32(a32, b32)),
                // The negated forms, by flipping input signs as the lifter does.
                40 => fma64(a, b, c ^ N64, rm),
                41 => fma64(a ^ N64, b, c, rm),
                42 => fma64(a ^ N64, b, c ^ N64, rm),
                43 => s(fma32(a32, b32, c32 ^ N32, rm)),
                44 => s(fma32(a32 ^ N32, b32, c32, rm)),
                45 => s(fma32(a32 ^ N32, b32, c32 ^ N32, rm)),
                _ => unreachable!(),
            }
        }

        fn operands(r: &mut Rng, op: usize, sp64: &[u64], sp32: &[u64]) -> (u64, u64, u64) {
            let f = match op {
                6..=11 | 13 | 18..=21 | 35..=39 | 43..=45 => F32,
                _ => F64,
            };
            let sp = if f.mbits == 23 { sp32 } else { sp64 };
            match op {
                14..=21 => (gen_for_int(r, f, sp), 0, 0),
                22..=29 => (gen_int(r), 0, 0),
                _ => {
                    let a = gen(r, f, sp);
                    let b = gen_related(r, f, sp, a);
                    let c = if r.below(2) == 0 {
                        let p = if f.mbits == 23 {
                            mul32(a as u32, b as u32, RNE).0 as u64
                        } else {
                            mul64(a, b, RNE).0
                        };
                        gen_related(r, f, sp, p ^ f.sign_bit())
                    } else {
                        gen(r, f, sp)
                    };
                    (a, b, c)
                }
            }
        }

        #[test]
        fn qemu_riscv64() {
            let have = |tool: &str| {
                Command::new(tool)
                    .arg("--version")
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok()
            };
            if !have("riscv64-linux-gnu-gcc") || !have("qemu-riscv64") {
                eprintln!("qemu_riscv64: riscv64-linux-gnu-gcc or qemu-riscv64 missing, skipped");
                return;
            }
            let dir = std::env::temp_dir().join(format!("elfconv2-fpu-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let src = dir.join("driver.c");
            let exe = dir.join("driver");
            std::fs::write(&src, DRIVER).unwrap();
            let st = Command::new("riscv64-linux-gnu-gcc")
                .args(["-O1", "-static", "-march=rv64gc", "-o"])
                .arg(&exe)
                .arg(&src)
                .status()
                .unwrap();
            if !st.success() {
                let _ = std::fs::remove_dir_all(&dir);
                panic!("compiling the riscv64 driver failed");
            }

            let sp64 = specials(F64);
            let sp32 = specials(F32);
            let mut r = Rng(99);
            let mut cases = Vec::new();
            const PER: usize = 2500;
            for op in 0..OPS {
                for rm in 0..5u8 {
                    for i in 0..PER {
                        let (a, b, c) = if i < 64 && op < 12 {
                            // Some special-value pairs first.
                            let sp = if (6..12).contains(&op) { &sp32 } else { &sp64 };
                            (
                                sp[i % sp.len()],
                                sp[(i * 7 + 3) % sp.len()],
                                sp[(i * 5 + 1) % sp.len()],
                            )
                        } else {
                            operands(&mut r, op, &sp64, &sp32)
                        };
                        cases.push((op, rm, a, b, c));
                    }
                }
            }
            let mut input = String::new();
            for &(op, rm, a, b, c) in &cases {
                input.push_str(&format!("{op} {rm} {a:x} {b:x} {c:x}\n"));
            }
            let mut child = Command::new("qemu-riscv64")
                .arg(&exe)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
            let out = child.wait_with_output().unwrap();
            writer.join().unwrap();
            let _ = std::fs::remove_dir_all(&dir);
            let text = String::from_utf8(out.stdout).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(lines.len(), cases.len(), "driver output truncated");
            let mut failures = Vec::new();
            for (&(op, rm, a, b, c), line) in cases.iter().zip(&lines) {
                let mut it = line.split(' ');
                let res = u64::from_str_radix(it.next().unwrap(), 16).unwrap();
                let fl = u8::from_str_radix(it.next().unwrap(), 16).unwrap();
                let got = ours(op, rm, a, b, c);
                if got != (res, fl) && failures.len() < 40 {
                    failures.push(format!(
                        "op {op} rm {rm} ({a:#x}, {b:#x}, {c:#x}): ours {:#x}/{:#04x}, qemu {res:#x}/{fl:#04x}",
                        got.0, got.1
                    ));
                }
            }
            eprintln!("qemu_riscv64: {} cases", cases.len());
            assert!(failures.is_empty(), "mismatches:\n{}", failures.join("\n"));
        }
    }
}
