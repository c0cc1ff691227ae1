//! Float operations whose Wasm semantics differ from Rust's defaults.

/// Wasm `min`: NaN if either operand is NaN, and -0 is less than +0.
pub fn fmin32(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        return f32::NAN;
    }
    if a == b {
        // Distinguishes the zeros: the result is -0 if either is.
        return f32::from_bits(a.to_bits() | b.to_bits());
    }
    if a < b {
        a
    } else {
        b
    }
}

pub fn fmax32(a: f32, b: f32) -> f32 {
    if a.is_nan() || b.is_nan() {
        return f32::NAN;
    }
    if a == b {
        return f32::from_bits(a.to_bits() & b.to_bits());
    }
    if a > b {
        a
    } else {
        b
    }
}

pub fn fmin64(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::NAN;
    }
    if a == b {
        return f64::from_bits(a.to_bits() | b.to_bits());
    }
    if a < b {
        a
    } else {
        b
    }
}

pub fn fmax64(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::NAN;
    }
    if a == b {
        return f64::from_bits(a.to_bits() & b.to_bits());
    }
    if a > b {
        a
    } else {
        b
    }
}

/// The canonical NaNs' bits (positive, quiet, payload only the top mantissa bit).
pub const CANONICAL_NAN32: u32 = 0x7fc0_0000;
pub const CANONICAL_NAN64: u64 = 0x7ff8_0000_0000_0000;

/// Rounding ops must return a quiet NaN for a NaN input; libm may pass a signalling
/// one through unchanged.
pub fn quiet32(x: f32) -> f32 {
    if x.is_nan() {
        f32::from_bits(x.to_bits() | 0x0040_0000)
    } else {
        x
    }
}

pub fn quiet64(x: f64) -> f64 {
    if x.is_nan() {
        f64::from_bits(x.to_bits() | 0x0008_0000_0000_0000)
    } else {
        x
    }
}

/// Wasm `nearest`: round half to even.
pub fn nearest32(a: f32) -> f32 {
    a.round_ties_even()
}

pub fn nearest64(a: f64) -> f64 {
    a.round_ties_even()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_max_order_signed_zeros() {
        assert!(fmin32(0.0, -0.0).is_sign_negative());
        assert!(fmax32(-0.0, 0.0).is_sign_positive());
        assert!(fmin64(-0.0, 0.0).is_sign_negative());
        assert!(fmax64(0.0, -0.0).is_sign_positive());
        assert!(fmin32(f32::NAN, 1.0).is_nan());
        assert_eq!(fmax64(1.0, 2.0), 2.0);
    }

    #[test]
    fn nearest_rounds_half_to_even() {
        assert_eq!(nearest32(2.5), 2.0);
        assert_eq!(nearest64(3.5), 4.0);
        assert_eq!(nearest64(-0.5).to_bits(), (-0.0f64).to_bits());
    }
}
