//! F and D semantics through the soft-float (`crate::fpu`), which gives
//! RISC-V's results bit for bit in every rounding mode, with the exception
//! flags: slow, but this path only runs code discovery missed.
//!
//! FP registers are `CpuState::f[i].lo`; a single-precision value is
//! NaN-boxed (upper 32 bits all ones), and a read of one that is not boxed
//! gives the canonical NaN, as the spec requires.

use super::Trap;
use crate::abi::CpuState;
use crate::fpu;
use crate::interp::Machine;
use crate::isa::riscv::decode::{Insn, Op};

const CANONICAL_NAN32: u32 = 0x7fc0_0000;

fn unbox(v: u64) -> u32 {
    if v >> 32 == 0xffff_ffff {
        v as u32
    } else {
        CANONICAL_NAN32
    }
}

fn boxed(v: u32) -> u64 {
    0xffff_ffff_0000_0000 | v as u64
}

/// The rounding mode of `i`: its own, or frm for the dynamic mode (7).
fn rounding(st: &CpuState, i: &Insn) -> Result<u8, Trap> {
    let rm = if i.rm == 7 {
        ((st.fcsr >> 5) & 7) as u8
    } else {
        i.rm
    };
    if rm > fpu::RMM {
        return Err(Trap::Illegal(format!(
            "invalid rounding mode {rm} (frm {:#x})",
            (st.fcsr >> 5) & 7
        )));
    }
    Ok(rm)
}

/// Executes `i` if it is an F or D operation (`None` otherwise).
pub(super) fn execute(
    st: &mut CpuState,
    m: &mut impl Machine,
    i: &Insn,
) -> Option<Result<(), Trap>> {
    use Op::*;
    let f = |st: &CpuState, r: u8| st.f[r as usize].lo;
    let xa = st.x[i.rs1 as usize];
    match i.op {
        Flw | Fld => {
            let at = xa.wrapping_add(i.imm as u64);
            let size = i.width / 8;
            return Some(m.load(at, size).ok_or(Trap::Fault(at)).map(|v| {
                st.f[i.rd as usize].lo = if size == 4 { boxed(v as u32) } else { v };
            }));
        }
        Fsw | Fsd => {
            let at = xa.wrapping_add(i.imm as u64);
            let v = f(st, i.rs2);
            return Some(m.store(at, i.width / 8, v).ok_or(Trap::Fault(at)));
        }
        _ => {}
    }
    let single = i.width == 32;
    let (a, b, c) = (f(st, i.rs1), f(st, i.rs2), f(st, i.rs3));
    let (a32, b32, c32) = (unbox(a), unbox(b), unbox(c));
    // Results: to an FP register (boxed if single) or to an integer register.
    enum Out {
        F(u64),
        X(u64),
    }
    let fp = |v32: u32, v64: u64| Out::F(if single { boxed(v32) } else { v64 });
    let needs_rm = matches!(
        i.op,
        Fadd | Fsub
            | Fmul
            | Fdiv
            | Fsqrt
            | Fmadd
            | Fmsub
            | Fnmsub
            | Fnmadd
            | FcvtFF
            | FcvtIF
            | FcvtFI
    );
    let rm = if needs_rm {
        match rounding(st, i) {
            Ok(rm) => rm,
            Err(e) => return Some(Err(e)),
        }
    } else {
        0
    };
    // (value, flags) of a binary operation in the instruction's format.
    let bin = |op32: fn(u32, u32, u8) -> (u32, u8), op64: fn(u64, u64, u8) -> (u64, u8)| {
        if single {
            let (v, fl) = op32(a32, b32, rm);
            (fp(v, 0), fl)
        } else {
            let (v, fl) = op64(a, b, rm);
            (fp(0, v), fl)
        }
    };
    // Fused forms: (negate the product, negate the addend).
    let fused = |neg_product: bool, neg_addend: bool| {
        if single {
            let s = 1u32 << 31;
            let a = if neg_product { a32 ^ s } else { a32 };
            let c = if neg_addend { c32 ^ s } else { c32 };
            let (v, fl) = fpu::fma32(a, b32, c, rm);
            (fp(v, 0), fl)
        } else {
            let s = 1u64 << 63;
            let a = if neg_product { a ^ s } else { a };
            let c = if neg_addend { c ^ s } else { c };
            let (v, fl) = fpu::fma64(a, b, c, rm);
            (fp(0, v), fl)
        }
    };
    let sign_inject = |take: fn(u64, u64) -> u64| {
        if single {
            let s = 1u64 << 31;
            let v = (a32 as u64 & !s) | (take(a32 as u64, b32 as u64) & s);
            (fp(v as u32, 0), 0)
        } else {
            let s = 1u64 << 63;
            (fp(0, (a & !s) | (take(a, b) & s)), 0)
        }
    };
    let compare = |op32: fn(u32, u32) -> (bool, u8), op64: fn(u64, u64) -> (bool, u8)| {
        let (r, fl) = if single { op32(a32, b32) } else { op64(a, b) };
        (Out::X(r as u64), fl)
    };
    let (out, flags) = match i.op {
        Fadd => bin(fpu::add32, fpu::add64),
        Fsub => bin(fpu::sub32, fpu::sub64),
        Fmul => bin(fpu::mul32, fpu::mul64),
        Fdiv => bin(fpu::div32, fpu::div64),
        Fsqrt => {
            if single {
                let (v, fl) = fpu::sqrt32(a32, rm);
                (fp(v, 0), fl)
            } else {
                let (v, fl) = fpu::sqrt64(a, rm);
                (fp(0, v), fl)
            }
        }
        Fmadd => fused(false, false),
        Fmsub => fused(false, true),
        Fnmsub => fused(true, false),
        Fnmadd => fused(true, true),
        Fsgnj => sign_inject(|_, b| b),
        Fsgnjn => sign_inject(|_, b| !b),
        Fsgnjx => sign_inject(|a, b| a ^ b),
        Fmin => bin(|a, b, _| fpu::min32(a, b), |a, b, _| fpu::min64(a, b)),
        Fmax => bin(|a, b, _| fpu::max32(a, b), |a, b, _| fpu::max64(a, b)),
        FcvtFF => {
            if single {
                let (v, fl) = fpu::f64_to_f32(a, rm);
                (fp(v, 0), fl)
            } else {
                let (v, fl) = fpu::f32_to_f64(a32);
                (fp(0, v), fl)
            }
        }
        FcvtIF => {
            let (v, fl) = match (single, i.int_bits, i.signed) {
                (true, 32, true) => fpu::f32_to_i32(a32, rm),
                (true, 32, false) => fpu::f32_to_u32(a32, rm),
                (true, _, true) => fpu::f32_to_i64(a32, rm),
                (true, _, false) => fpu::f32_to_u64(a32, rm),
                (false, 32, true) => fpu::f64_to_i32(a, rm),
                (false, 32, false) => fpu::f64_to_u32(a, rm),
                (false, _, true) => fpu::f64_to_i64(a, rm),
                (false, _, false) => fpu::f64_to_u64(a, rm),
            };
            (Out::X(v), fl)
        }
        FcvtFI => {
            if single {
                let (v, fl) = match (i.int_bits, i.signed) {
                    (32, true) => fpu::i32_to_f32(xa as i32, rm),
                    (32, false) => fpu::u32_to_f32(xa as u32, rm),
                    (_, true) => fpu::i64_to_f32(xa as i64, rm),
                    (_, false) => fpu::u64_to_f32(xa, rm),
                };
                (fp(v, 0), fl)
            } else {
                let (v, fl) = match (i.int_bits, i.signed) {
                    (32, true) => fpu::i32_to_f64(xa as i32, rm),
                    (32, false) => fpu::u32_to_f64(xa as u32, rm),
                    (_, true) => fpu::i64_to_f64(xa as i64, rm),
                    (_, false) => fpu::u64_to_f64(xa, rm),
                };
                (fp(0, v), fl)
            }
        }
        // The raw bits, boxed or not: fmv.x.w sign-extends the low word.
        FmvXF if single => (Out::X(a as u32 as i32 as i64 as u64), 0),
        FmvXF => (Out::X(a), 0),
        FmvFX => (fp(xa as u32, xa), 0),
        Feq => compare(fpu::feq32, fpu::feq64),
        Flt => compare(fpu::flt32, fpu::flt64),
        Fle => compare(fpu::fle32, fpu::fle64),
        Fclass => {
            let class = if single {
                fpu::class32(a32)
            } else {
                fpu::class64(a)
            };
            (Out::X(class as u64), 0)
        }
        _ => return None,
    };
    st.fcsr |= flags as u64 & 0x1f;
    match out {
        Out::F(v) => st.f[i.rd as usize].lo = v,
        Out::X(v) => st.x[i.rd as usize] = v,
    }
    Some(Ok(()))
}
