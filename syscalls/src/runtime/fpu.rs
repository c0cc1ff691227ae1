//! `extern "C"` entry points for lifted code: RISC-V F/D operations with
//! rounding modes and exception flags, wrapping the pure functions of
//! [`crate::fpu`] (which documents the exact semantics).
//!
//! # Conventions
//!
//! - Naming: `elfconv_fp_<op>_<fmt>` with the RISC-V mnemonic and format
//!   letters (`s` = binary32, `d` = binary64, `w`/`wu`/`l`/`lu` = i32 / u32 /
//!   i64 / u64).
//! - Values: binary32 operands and results are raw bits in `u32` (i32 in
//!   LLVM IR); the caller unboxes NaN-boxed registers before the call (an
//!   improperly boxed value must be passed as the canonical NaN 0x7fc00000)
//!   and NaN-boxes the result. binary64 values are raw bits in `u64`.
//!   Integer operands are the 64-bit `x` register value (`w`/`wu` sources use
//!   its low 32 bits); integer results are the 64-bit value to write to `rd`
//!   (32-bit results already sign-extended, `wu` included, as RV64 does).
//!   Comparison results are 0 or 1; fclass results are the 10-bit mask.
//! - `rm: u32` is the instruction's rounding-mode field: 0 RNE, 1 RTZ,
//!   2 RDN, 3 RUP, 4 RMM, 7 = dynamic (read from `frm`, bits 7..5 of
//!   `elfconv_state.fcsr`). 5, 6 and an invalid `frm` are illegal on RISC-V;
//!   here they act as RNE.
//! - Flags: every call ORs the RISC-V flags it raises (NV 0x10, DZ 0x08,
//!   OF 0x04, UF 0x02, NX 0x01) into `elfconv_state.fcsr` (bits 4..0 are
//!   fflags; `abi::state_offset::FCSR`), and also stores them, not ORed, in
//!   `elfconv_fp_last_flags: u32`. So lifted code that keeps fcsr in an SSA
//!   value must either write it back before the call and reload it after,
//!   or OR `elfconv_fp_last_flags` into its copy after the call. Nothing
//!   else is read or written.
//!
//! # Exports
//!
//! ```text
//! elfconv_fp_add_s (a: u32, b: u32, rm: u32) -> u32    elfconv_fp_add_d (a: u64, b: u64, rm: u32) -> u64
//! elfconv_fp_sub_s (a: u32, b: u32, rm: u32) -> u32    elfconv_fp_sub_d (a: u64, b: u64, rm: u32) -> u64
//! elfconv_fp_mul_s (a: u32, b: u32, rm: u32) -> u32    elfconv_fp_mul_d (a: u64, b: u64, rm: u32) -> u64
//! elfconv_fp_div_s (a: u32, b: u32, rm: u32) -> u32    elfconv_fp_div_d (a: u64, b: u64, rm: u32) -> u64
//! elfconv_fp_sqrt_s(a: u32, rm: u32) -> u32            elfconv_fp_sqrt_d(a: u64, rm: u32) -> u64
//! elfconv_fp_fma_s (a: u32, b: u32, c: u32, rm: u32) -> u32   a*b+c, one rounding
//! elfconv_fp_fma_d (a: u64, b: u64, c: u64, rm: u32) -> u64   (fmsub: c^sign; fnmsub: a^sign;
//!                                                              fnmadd: a^sign and c^sign)
//! elfconv_fp_cvt_s_d(a: u64, rm: u32) -> u32           elfconv_fp_cvt_d_s(a: u32) -> u64
//! elfconv_fp_cvt_s_w (x: u64, rm: u32) -> u32          elfconv_fp_cvt_d_w (x: u64, rm: u32) -> u64
//! elfconv_fp_cvt_s_wu(x: u64, rm: u32) -> u32          elfconv_fp_cvt_d_wu(x: u64, rm: u32) -> u64
//! elfconv_fp_cvt_s_l (x: u64, rm: u32) -> u32          elfconv_fp_cvt_d_l (x: u64, rm: u32) -> u64
//! elfconv_fp_cvt_s_lu(x: u64, rm: u32) -> u32          elfconv_fp_cvt_d_lu(x: u64, rm: u32) -> u64
//! elfconv_fp_cvt_w_s (a: u32, rm: u32) -> u64          elfconv_fp_cvt_w_d (a: u64, rm: u32) -> u64
//! elfconv_fp_cvt_wu_s(a: u32, rm: u32) -> u64          elfconv_fp_cvt_wu_d(a: u64, rm: u32) -> u64
//! elfconv_fp_cvt_l_s (a: u32, rm: u32) -> u64          elfconv_fp_cvt_l_d (a: u64, rm: u32) -> u64
//! elfconv_fp_cvt_lu_s(a: u32, rm: u32) -> u64          elfconv_fp_cvt_lu_d(a: u64, rm: u32) -> u64
//! elfconv_fp_feq_s(a: u32, b: u32) -> u64              elfconv_fp_feq_d(a: u64, b: u64) -> u64
//! elfconv_fp_flt_s(a: u32, b: u32) -> u64              elfconv_fp_flt_d(a: u64, b: u64) -> u64
//! elfconv_fp_fle_s(a: u32, b: u32) -> u64              elfconv_fp_fle_d(a: u64, b: u64) -> u64
//! elfconv_fp_fmin_s(a: u32, b: u32) -> u32             elfconv_fp_fmin_d(a: u64, b: u64) -> u64
//! elfconv_fp_fmax_s(a: u32, b: u32) -> u32             elfconv_fp_fmax_d(a: u64, b: u64) -> u64
//! elfconv_fp_fclass_s(a: u32) -> u64                   elfconv_fp_fclass_d(a: u64) -> u64
//!     (fclass raises nothing and leaves both flag locations untouched)
//! elfconv_fp_last_flags: u32   (static: the flags of the most recent call)
//! ```

use crate::fpu;

/// The flags raised by the most recent `elfconv_fp_*` call (not cumulative).
#[no_mangle]
pub static mut elfconv_fp_last_flags: u32 = 0;

fn raise(flags: u8) {
    // SAFETY: single-threaded; lifted code is suspended in this call.
    unsafe {
        elfconv_fp_last_flags = flags as u32;
        super::elfconv_state.fcsr |= flags as u64;
    }
}

/// Resolves the dynamic rounding mode (7) from frm.
fn rm(rm: u32) -> u8 {
    let rm = if rm == 7 {
        // SAFETY: plain read of a single-threaded static.
        let fcsr = unsafe { super::elfconv_state.fcsr };
        ((fcsr >> 5) & 7) as u32
    } else {
        rm
    };
    if rm <= 4 {
        rm as u8
    } else {
        fpu::RNE
    }
}

fn take<T>((value, flags): (T, u8)) -> T {
    raise(flags);
    value
}

macro_rules! bin {
    ($name:ident, $f:path, $t:ty) => {
        #[no_mangle]
        pub extern "C" fn $name(a: $t, b: $t, mode: u32) -> $t {
            take($f(a, b, rm(mode)))
        }
    };
}
bin!(elfconv_fp_add_s, fpu::add32, u32);
bin!(elfconv_fp_add_d, fpu::add64, u64);
bin!(elfconv_fp_sub_s, fpu::sub32, u32);
bin!(elfconv_fp_sub_d, fpu::sub64, u64);
bin!(elfconv_fp_mul_s, fpu::mul32, u32);
bin!(elfconv_fp_mul_d, fpu::mul64, u64);
bin!(elfconv_fp_div_s, fpu::div32, u32);
bin!(elfconv_fp_div_d, fpu::div64, u64);

#[no_mangle]
pub extern "C" fn elfconv_fp_sqrt_s(a: u32, mode: u32) -> u32 {
    take(fpu::sqrt32(a, rm(mode)))
}
#[no_mangle]
pub extern "C" fn elfconv_fp_sqrt_d(a: u64, mode: u32) -> u64 {
    take(fpu::sqrt64(a, rm(mode)))
}
#[no_mangle]
pub extern "C" fn elfconv_fp_fma_s(a: u32, b: u32, c: u32, mode: u32) -> u32 {
    take(fpu::fma32(a, b, c, rm(mode)))
}
#[no_mangle]
pub extern "C" fn elfconv_fp_fma_d(a: u64, b: u64, c: u64, mode: u32) -> u64 {
    take(fpu::fma64(a, b, c, rm(mode)))
}

#[no_mangle]
pub extern "C" fn elfconv_fp_cvt_s_d(a: u64, mode: u32) -> u32 {
    take(fpu::f64_to_f32(a, rm(mode)))
}
#[no_mangle]
pub extern "C" fn elfconv_fp_cvt_d_s(a: u32) -> u64 {
    take(fpu::f32_to_f64(a))
}

macro_rules! from_int {
    ($name:ident, $f:path, $conv:expr, $t:ty) => {
        #[no_mangle]
        pub extern "C" fn $name(x: u64, mode: u32) -> $t {
            take($f($conv(x), rm(mode)))
        }
    };
}
from_int!(elfconv_fp_cvt_s_w, fpu::i32_to_f32, |x: u64| x as i32, u32);
from_int!(elfconv_fp_cvt_s_wu, fpu::u32_to_f32, |x: u64| x as u32, u32);
from_int!(elfconv_fp_cvt_s_l, fpu::i64_to_f32, |x: u64| x as i64, u32);
from_int!(elfconv_fp_cvt_s_lu, fpu::u64_to_f32, |x: u64| x, u32);
from_int!(elfconv_fp_cvt_d_w, fpu::i32_to_f64, |x: u64| x as i32, u64);
from_int!(elfconv_fp_cvt_d_wu, fpu::u32_to_f64, |x: u64| x as u32, u64);
from_int!(elfconv_fp_cvt_d_l, fpu::i64_to_f64, |x: u64| x as i64, u64);
from_int!(elfconv_fp_cvt_d_lu, fpu::u64_to_f64, |x: u64| x, u64);

macro_rules! to_int {
    ($name:ident, $f:path, $t:ty) => {
        #[no_mangle]
        pub extern "C" fn $name(a: $t, mode: u32) -> u64 {
            take($f(a, rm(mode)))
        }
    };
}
to_int!(elfconv_fp_cvt_w_s, fpu::f32_to_i32, u32);
to_int!(elfconv_fp_cvt_wu_s, fpu::f32_to_u32, u32);
to_int!(elfconv_fp_cvt_l_s, fpu::f32_to_i64, u32);
to_int!(elfconv_fp_cvt_lu_s, fpu::f32_to_u64, u32);
to_int!(elfconv_fp_cvt_w_d, fpu::f64_to_i32, u64);
to_int!(elfconv_fp_cvt_wu_d, fpu::f64_to_u32, u64);
to_int!(elfconv_fp_cvt_l_d, fpu::f64_to_i64, u64);
to_int!(elfconv_fp_cvt_lu_d, fpu::f64_to_u64, u64);

macro_rules! cmp {
    ($name:ident, $f:path, $t:ty) => {
        #[no_mangle]
        pub extern "C" fn $name(a: $t, b: $t) -> u64 {
            take($f(a, b)) as u64
        }
    };
}
cmp!(elfconv_fp_feq_s, fpu::feq32, u32);
cmp!(elfconv_fp_flt_s, fpu::flt32, u32);
cmp!(elfconv_fp_fle_s, fpu::fle32, u32);
cmp!(elfconv_fp_feq_d, fpu::feq64, u64);
cmp!(elfconv_fp_flt_d, fpu::flt64, u64);
cmp!(elfconv_fp_fle_d, fpu::fle64, u64);

macro_rules! minmax {
    ($name:ident, $f:path, $t:ty) => {
        #[no_mangle]
        pub extern "C" fn $name(a: $t, b: $t) -> $t {
            take($f(a, b))
        }
    };
}
minmax!(elfconv_fp_fmin_s, fpu::min32, u32);
minmax!(elfconv_fp_fmax_s, fpu::max32, u32);
minmax!(elfconv_fp_fmin_d, fpu::min64, u64);
minmax!(elfconv_fp_fmax_d, fpu::max64, u64);

#[no_mangle]
pub extern "C" fn elfconv_fp_fclass_s(a: u32) -> u64 {
    fpu::class32(a) as u64
}
#[no_mangle]
pub extern "C" fn elfconv_fp_fclass_d(a: u64) -> u64 {
    fpu::class64(a) as u64
}
