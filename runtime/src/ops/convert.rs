//! Float-to-integer truncation: trapping (MVP) forms. The saturating forms are Rust's `as`.

use crate::trap::Trap;

macro_rules! trunc {
    ($name:ident, $f:ty, $i:ty, $lo:expr, $hi:expr) => {
        /// Truncates toward zero; traps on NaN or when the result does not fit.
        /// `$lo` is the largest float that is too small, `$hi` the smallest that is too big.
        pub fn $name(x: $f) -> Result<$i, Trap> {
            if x.is_nan() {
                return Err(Trap::InvalidConversion);
            }
            if x <= $lo || x >= $hi {
                return Err(Trap::IntegerOverflow);
            }
            Ok(x as $i)
        }
    };
}

trunc!(i32_trunc_f32_s, f32, i32, -2147483904.0f32, 2147483648.0f32);
trunc!(i32_trunc_f32_u, f32, u32, -1.0f32, 4294967296.0f32);
trunc!(i32_trunc_f64_s, f64, i32, -2147483649.0f64, 2147483648.0f64);
trunc!(i32_trunc_f64_u, f64, u32, -1.0f64, 4294967296.0f64);
trunc!(
    i64_trunc_f32_s,
    f32,
    i64,
    -9223373136366403584.0f32,
    9223372036854775808.0f32
);
trunc!(
    i64_trunc_f32_u,
    f32,
    u64,
    -1.0f32,
    18446744073709551616.0f32
);
trunc!(
    i64_trunc_f64_s,
    f64,
    i64,
    -9223372036854777856.0f64,
    9223372036854775808.0f64
);
trunc!(
    i64_trunc_f64_u,
    f64,
    u64,
    -1.0f64,
    18446744073709551616.0f64
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trapping_bounds() {
        assert_eq!(i32_trunc_f32_s(-2147483648.0).unwrap(), i32::MIN);
        assert!(i32_trunc_f32_s(2147483648.0).is_err());
        assert_eq!(i32_trunc_f64_s(-2147483648.9).unwrap(), i32::MIN);
        assert!(i32_trunc_f64_s(-2147483649.0).is_err());
        assert_eq!(i32_trunc_f64_u(-0.9).unwrap(), 0);
        assert!(i32_trunc_f64_u(-1.0).is_err());
        assert_eq!(i64_trunc_f64_s(-9223372036854775808.0).unwrap(), i64::MIN);
        assert!(matches!(
            i64_trunc_f32_u(f32::NAN),
            Err(Trap::InvalidConversion)
        ));
        assert_eq!(
            i64_trunc_f32_u(18446742974197923840.0).unwrap(),
            18446742974197923840
        );
    }
}
