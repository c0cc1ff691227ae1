//! Integer semantics: RV64I arithmetic, M, Zba, Zbb and Zbs. One row per
//! operation: rd's new value from rs1 (`a`), rs2 (`b`) and the immediate.
//! `*W` operations compute on the low 32 bits and sign-extend the result;
//! register shift amounts use their low 6 (5 for W) bits.

use crate::abi::CpuState;
use crate::isa::riscv::decode::{Insn, Op};

/// Sign-extends the low 32 bits.
fn w(v: u64) -> u64 {
    v as u32 as i32 as i64 as u64
}

/// Executes `i` if it is an integer operation (`None` otherwise).
pub(super) fn execute(st: &mut CpuState, i: &Insn) -> Option<()> {
    let v = value(i, st.x[i.rs1 as usize], st.x[i.rs2 as usize])?;
    st.x[i.rd as usize] = v;
    Some(())
}

#[rustfmt::skip]
fn value(i: &Insn, a: u64, b: u64) -> Option<u64> {
    use Op::*;
    let imm = i.imm as u64;
    let (sa, sb) = (a as i64, b as i64);
    let (a32, b32) = (a as u32, b as u32);
    Some(match i.op {
        Addi => a.wrapping_add(imm),
        Slti => (sa < i.imm) as u64,
        Sltiu => (a < imm) as u64,
        Xori => a ^ imm,
        Ori => a | imm,
        Andi => a & imm,
        Slli => a << (imm & 63),
        Srli => a >> (imm & 63),
        Srai => (sa >> (imm & 63)) as u64,
        Add => a.wrapping_add(b),
        Sub => a.wrapping_sub(b),
        Sll => a << (b & 63),
        Slt => (sa < sb) as u64,
        Sltu => (a < b) as u64,
        Xor => a ^ b,
        Srl => a >> (b & 63),
        Sra => (sa >> (b & 63)) as u64,
        Or => a | b,
        And => a & b,
        Addiw => w(a.wrapping_add(imm)),
        Slliw => w(((a32) << (imm & 31)) as u64),
        Srliw => w((a32 >> (imm & 31)) as u64),
        Sraiw => ((a32 as i32) >> (imm & 31)) as i64 as u64,
        Addw => w(a.wrapping_add(b)),
        Subw => w(a.wrapping_sub(b)),
        Sllw => w((a32 << (b & 31)) as u64),
        Srlw => w((a32 >> (b & 31)) as u64),
        Sraw => ((a32 as i32) >> (b & 31)) as i64 as u64,
        // M: division by zero and overflow give RISC-V's defined results, not traps.
        Mul => a.wrapping_mul(b),
        Mulh => ((sa as i128 * sb as i128) >> 64) as u64,
        Mulhsu => ((sa as i128 * b as i128) >> 64) as u64,
        Mulhu => ((a as u128 * b as u128) >> 64) as u64,
        Div => if b == 0 { u64::MAX } else { sa.wrapping_div(sb) as u64 },
        Divu => a.checked_div(b).unwrap_or(u64::MAX),
        Rem => if b == 0 { a } else { sa.wrapping_rem(sb) as u64 },
        Remu => if b == 0 { a } else { a % b },
        Mulw => w(a.wrapping_mul(b)),
        Divw => if b32 == 0 { u64::MAX } else { (a32 as i32).wrapping_div(b32 as i32) as i64 as u64 },
        Divuw => a32.checked_div(b32).map_or(u64::MAX, |q| w(q as u64)),
        Remw => if b32 == 0 { w(a) } else { (a32 as i32).wrapping_rem(b32 as i32) as i64 as u64 },
        Remuw => if b32 == 0 { w(a) } else { w((a32 % b32) as u64) },
        // Zba
        AddUw => b.wrapping_add(a32 as u64),
        Sh1add => b.wrapping_add(a << 1),
        Sh2add => b.wrapping_add(a << 2),
        Sh3add => b.wrapping_add(a << 3),
        Sh1addUw => b.wrapping_add((a32 as u64) << 1),
        Sh2addUw => b.wrapping_add((a32 as u64) << 2),
        Sh3addUw => b.wrapping_add((a32 as u64) << 3),
        SlliUw => (a32 as u64) << (imm & 63),
        // Zbb
        Andn => a & !b,
        Orn => a | !b,
        Xnor => !(a ^ b),
        Clz => a.leading_zeros() as u64,
        Clzw => a32.leading_zeros() as u64,
        Ctz => a.trailing_zeros() as u64,
        Ctzw => a32.trailing_zeros() as u64,
        Cpop => a.count_ones() as u64,
        Cpopw => a32.count_ones() as u64,
        Max => sa.max(sb) as u64,
        Maxu => a.max(b),
        Min => sa.min(sb) as u64,
        Minu => a.min(b),
        SextB => a as i8 as i64 as u64,
        SextH => a as i16 as i64 as u64,
        ZextH => a as u16 as u64,
        Rol => a.rotate_left((b & 63) as u32),
        Rolw => w(a32.rotate_left((b & 31) as u32) as u64),
        Ror => a.rotate_right((b & 63) as u32),
        Rori => a.rotate_right((imm & 63) as u32),
        Roriw => w(a32.rotate_right((imm & 31) as u32) as u64),
        Rorw => w(a32.rotate_right((b & 31) as u32) as u64),
        OrcB => (0..8).fold(0, |r, k| if (a >> (8 * k)) & 0xff != 0 { r | 0xff << (8 * k) } else { r }),
        Rev8 => a.swap_bytes(),
        // Zbs
        Bclr => a & !(1 << (b & 63)),
        Bclri => a & !(1 << (imm & 63)),
        Bext => (a >> (b & 63)) & 1,
        Bexti => (a >> (imm & 63)) & 1,
        Binv => a ^ (1 << (b & 63)),
        Binvi => a ^ (1 << (imm & 63)),
        Bset => a | (1 << (b & 63)),
        Bseti => a | (1 << (imm & 63)),
        _ => return None,
    })
}
