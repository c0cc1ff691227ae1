//! `extern "C"` entry points for lifted code: the RISC-V F/D operations
//! whose result or exception flags Wasm cannot give, wrapping the pure
//! functions of [`crate::fpu`] (which documents the exact semantics).
//!
//! Lifted code computes FP results inline (Wasm rounds to nearest-even) and
//! calls these only on its slow paths: for a rounding mode other than RNE,
//! and to learn the exact exception flags of an operation (see the lifter's
//! `riscv/fp_env.rs`).
//!
//! # Conventions
//!
//! - Every function is **pure**: it reads and writes no memory, so the
//!   lifter declares them `memory(none)` and LLVM keeps the guest state of
//!   the caller in registers across the call. The caller ORs the flags into
//!   its copy of fcsr itself.
//! - Each operation has two exports: `elfconv_fp_<op>_<fmt>` returns the
//!   result, `elfconv_fp_<op>_<fmt>_flags` the RISC-V flags it raises
//!   (NV 0x10, DZ 0x08, OF 0x04, UF 0x02, NX 0x01) as a `u32`.
//! - Naming: RISC-V mnemonic and format letters (`s` = binary32,
//!   `d` = binary64, `w`/`wu`/`l`/`lu` = i32 / u32 / i64 / u64).
//! - Values: binary32 operands and results are raw bits in `u32` (i32 in
//!   LLVM IR; the caller unboxes and NaN-boxes), binary64 raw bits in `u64`.
//!   Integer operands are the 64-bit `x` register value (`w`/`wu` sources
//!   use its low 32 bits); integer results are the 64-bit value for `rd`
//!   (32-bit results sign-extended, `wu` included, as RV64 does).
//! - `rm: u32` is a resolved rounding mode: 0 RNE, 1 RTZ, 2 RDN, 3 RUP,
//!   4 RMM. The caller resolves the dynamic mode (7) from frm and traps on
//!   an invalid frm before calling; any other value acts as RNE.
//!
//! # Exports (each also with a `_flags` twin returning `u32`)
//!
//! ```text
//! elfconv_fp_{add,sub,mul,div}_s(a: u32, b: u32, rm: u32) -> u32
//! elfconv_fp_{add,sub,mul,div}_d(a: u64, b: u64, rm: u32) -> u64
//! elfconv_fp_sqrt_s(a: u32, rm: u32) -> u32     elfconv_fp_sqrt_d(a: u64, rm: u32) -> u64
//! elfconv_fp_fma_s(a, b, c: u32, rm: u32) -> u32   a*b+c with one rounding; the caller flips
//! elfconv_fp_fma_d(a, b, c: u64, rm: u32) -> u64   signs for fmsub (c), fnmsub (a), fnmadd (a, c)
//! elfconv_fp_cvt_s_d(a: u64, rm: u32) -> u32
//! elfconv_fp_cvt_{s,d}_{w,wu,l,lu}(x: u64, rm: u32) -> u32 / u64
//! elfconv_fp_cvt_{w,wu,l,lu}_s(a: u32, rm: u32) -> u64
//! elfconv_fp_cvt_{w,wu,l,lu}_d(a: u64, rm: u32) -> u64
//! ```
//!
//! Compares, min/max, fclass, sign injection and fcvt.d.s need no helper:
//! their flags are simple enough to compute inline.

use crate::fpu;

/// The soft-float rounding mode for a resolved RISC-V `rm`.
fn mode(rm: u32) -> u8 {
    if rm <= 4 {
        rm as u8
    } else {
        fpu::RNE
    }
}

/// Exports `$value` (the result) and `$flags` (the flags) of `$f`, whose
/// operands are `$arg: $t` and which takes a rounding mode last.
macro_rules! exports {
    ($value:ident, $flags:ident, $f:expr, ($($arg:ident: $t:ty),+) -> $ret:ty) => {
        #[no_mangle]
        pub extern "C" fn $value($($arg: $t,)+ rm: u32) -> $ret {
            $f($($arg,)+ mode(rm)).0
        }
        #[no_mangle]
        pub extern "C" fn $flags($($arg: $t,)+ rm: u32) -> u32 {
            $f($($arg,)+ mode(rm)).1 as u32
        }
    };
}

exports!(elfconv_fp_add_s, elfconv_fp_add_s_flags, fpu::add32, (a: u32, b: u32) -> u32);
exports!(elfconv_fp_add_d, elfconv_fp_add_d_flags, fpu::add64, (a: u64, b: u64) -> u64);
exports!(elfconv_fp_sub_s, elfconv_fp_sub_s_flags, fpu::sub32, (a: u32, b: u32) -> u32);
exports!(elfconv_fp_sub_d, elfconv_fp_sub_d_flags, fpu::sub64, (a: u64, b: u64) -> u64);
exports!(elfconv_fp_mul_s, elfconv_fp_mul_s_flags, fpu::mul32, (a: u32, b: u32) -> u32);
exports!(elfconv_fp_mul_d, elfconv_fp_mul_d_flags, fpu::mul64, (a: u64, b: u64) -> u64);
exports!(elfconv_fp_div_s, elfconv_fp_div_s_flags, fpu::div32, (a: u32, b: u32) -> u32);
exports!(elfconv_fp_div_d, elfconv_fp_div_d_flags, fpu::div64, (a: u64, b: u64) -> u64);
exports!(elfconv_fp_sqrt_s, elfconv_fp_sqrt_s_flags, fpu::sqrt32, (a: u32) -> u32);
exports!(elfconv_fp_sqrt_d, elfconv_fp_sqrt_d_flags, fpu::sqrt64, (a: u64) -> u64);
exports!(elfconv_fp_fma_s, elfconv_fp_fma_s_flags, fpu::fma32, (a: u32, b: u32, c: u32) -> u32);
exports!(elfconv_fp_fma_d, elfconv_fp_fma_d_flags, fpu::fma64, (a: u64, b: u64, c: u64) -> u64);
exports!(elfconv_fp_cvt_s_d, elfconv_fp_cvt_s_d_flags, fpu::f64_to_f32, (a: u64) -> u32);

// Integer to float: the operand is the x register; `w`/`wu` use its low half.
exports!(elfconv_fp_cvt_s_w, elfconv_fp_cvt_s_w_flags, |x: u64, rm| fpu::i32_to_f32(x as i32, rm), (x: u64) -> u32);
exports!(elfconv_fp_cvt_s_wu, elfconv_fp_cvt_s_wu_flags, |x: u64, rm| fpu::u32_to_f32(x as u32, rm), (x: u64) -> u32);
exports!(elfconv_fp_cvt_s_l, elfconv_fp_cvt_s_l_flags, |x: u64, rm| fpu::i64_to_f32(x as i64, rm), (x: u64) -> u32);
exports!(elfconv_fp_cvt_s_lu, elfconv_fp_cvt_s_lu_flags, fpu::u64_to_f32, (x: u64) -> u32);
exports!(elfconv_fp_cvt_d_w, elfconv_fp_cvt_d_w_flags, |x: u64, rm| fpu::i32_to_f64(x as i32, rm), (x: u64) -> u64);
exports!(elfconv_fp_cvt_d_wu, elfconv_fp_cvt_d_wu_flags, |x: u64, rm| fpu::u32_to_f64(x as u32, rm), (x: u64) -> u64);
exports!(elfconv_fp_cvt_d_l, elfconv_fp_cvt_d_l_flags, |x: u64, rm| fpu::i64_to_f64(x as i64, rm), (x: u64) -> u64);
exports!(elfconv_fp_cvt_d_lu, elfconv_fp_cvt_d_lu_flags, fpu::u64_to_f64, (x: u64) -> u64);

// Float to integer: the 64-bit register value.
exports!(elfconv_fp_cvt_w_s, elfconv_fp_cvt_w_s_flags, fpu::f32_to_i32, (a: u32) -> u64);
exports!(elfconv_fp_cvt_wu_s, elfconv_fp_cvt_wu_s_flags, fpu::f32_to_u32, (a: u32) -> u64);
exports!(elfconv_fp_cvt_l_s, elfconv_fp_cvt_l_s_flags, fpu::f32_to_i64, (a: u32) -> u64);
exports!(elfconv_fp_cvt_lu_s, elfconv_fp_cvt_lu_s_flags, fpu::f32_to_u64, (a: u32) -> u64);
exports!(elfconv_fp_cvt_w_d, elfconv_fp_cvt_w_d_flags, fpu::f64_to_i32, (a: u64) -> u64);
exports!(elfconv_fp_cvt_wu_d, elfconv_fp_cvt_wu_d_flags, fpu::f64_to_u32, (a: u64) -> u64);
exports!(elfconv_fp_cvt_l_d, elfconv_fp_cvt_l_d_flags, fpu::f64_to_i64, (a: u64) -> u64);
exports!(elfconv_fp_cvt_lu_d, elfconv_fp_cvt_lu_d_flags, fpu::f64_to_u64, (a: u64) -> u64);
