//! Loads, stores and the A extension. Guest programs run on one host
//! thread, so an atomic read-modify-write is a load and a store, as in
//! translated code; LR/SC use the reservation in `CpuState` (SC succeeds
//! only on the reserved address, writing 0 to rd). Word forms sign-extend.

use super::Trap;
use crate::abi::CpuState;
use crate::interp::Machine;
use crate::isa::riscv::decode::{Insn, Op};

fn sext(v: u64, bits: u32) -> u64 {
    let shift = 64 - bits;
    (((v << shift) as i64) >> shift) as u64
}

/// Executes `i` if it is a memory operation (`None` otherwise).
pub(super) fn execute(
    st: &mut CpuState,
    m: &mut impl Machine,
    i: &Insn,
) -> Option<Result<(), Trap>> {
    use Op::*;
    let a = st.x[i.rs1 as usize];
    let b = st.x[i.rs2 as usize];
    let size = i.width / 8;
    let mut load = |at: u64| m.load(at, size).ok_or(Trap::Fault(at));
    let rd = i.rd as usize;
    Some(match i.op {
        Lb | Lh | Lw | Ld => {
            load(a.wrapping_add(i.imm as u64)).map(|v| st.x[rd] = sext(v, i.width))
        }
        Lbu | Lhu | Lwu => load(a.wrapping_add(i.imm as u64)).map(|v| st.x[rd] = v),
        Lr => load(a).map(|v| {
            st.reservation = a;
            st.x[rd] = sext(v, i.width);
        }),
        Sb | Sh | Sw | Sd => {
            let at = a.wrapping_add(i.imm as u64);
            m.store(at, size, b).ok_or(Trap::Fault(at))
        }
        Sc => {
            let ok = st.reservation == a;
            let stored = if ok {
                m.store(a, size, b).ok_or(Trap::Fault(a))
            } else {
                Ok(())
            };
            stored.map(|()| {
                st.reservation = u64::MAX;
                st.x[rd] = (!ok) as u64;
            })
        }
        AmoSwap | AmoAdd | AmoXor | AmoAnd | AmoOr | AmoMin | AmoMax | AmoMinu | AmoMaxu => {
            let old = match load(a) {
                Ok(v) => v,
                Err(e) => return Some(Err(e)),
            };
            let (so, sb) = (sext(old, i.width) as i64, sext(b, i.width) as i64);
            let ub = if i.width == 32 { b as u32 as u64 } else { b };
            let new = match i.op {
                AmoSwap => b,
                AmoAdd => old.wrapping_add(b),
                AmoXor => old ^ b,
                AmoAnd => old & b,
                AmoOr => old | b,
                AmoMin => so.min(sb) as u64,
                AmoMax => so.max(sb) as u64,
                AmoMinu => old.min(ub),
                _ => old.max(ub),
            };
            m.store(a, size, new)
                .ok_or(Trap::Fault(a))
                .map(|()| st.x[rd] = sext(old, i.width))
        }
        _ => return None,
    })
}
