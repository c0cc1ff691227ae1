//! The A extension. Guest programs run on one host thread, so an atomic
//! read-modify-write is a load and a store; LR/SC use a reservation kept
//! in `CpuState` (SC succeeds only on the reserved address, writing 0 to rd).
//! Word forms sign-extend the loaded value into rd.

use super::decode::{Insn, Op};
use super::{set_x, x};
use crate::emit::LiftCx;
use elfconv2_syscalls::abi::state_offset;
use inkwell::IntPredicate::*;

pub fn lift<'ctx>(i: &Insn, cx: &mut LiftCx<'_, 'ctx>) -> bool {
    use Op::*;
    if !matches!(
        i.op,
        Lr | Sc | AmoSwap | AmoAdd | AmoXor | AmoAnd | AmoOr | AmoMin | AmoMax | AmoMinu | AmoMaxu
    ) {
        return false;
    }
    let addr = x(cx, i.rs1);
    let w = i.width;
    match i.op {
        Lr => {
            let v = cx.load(addr, 0, w);
            cx.state_store(state_offset::RESERVATION, addr);
            let v64 = cx.sext(v, 64);
            set_x(cx, i.rd, v64);
        }
        Sc => {
            let reserved = cx.state_load(state_offset::RESERVATION, 64);
            let ok = cx.icmp(EQ, reserved, addr);
            let store_bb = cx.new_block("sc_store");
            let done_bb = cx.new_block("sc_done");
            cx.b.build_conditional_branch(ok, store_bb, done_bb)
                .unwrap();
            cx.b.position_at_end(store_bb);
            let v = x(cx, i.rs2);
            let v = cx.trunc(v, w);
            cx.store(addr, 0, v);
            cx.b.build_unconditional_branch(done_bb).unwrap();
            cx.b.position_at_end(done_bb);
            cx.state_store(state_offset::RESERVATION, cx.c64(u64::MAX));
            let failed = cx.zext(cx.not(ok), 64);
            set_x(cx, i.rd, failed);
        }
        _ => {
            let old = cx.load(addr, 0, w);
            let src = x(cx, i.rs2);
            let src = cx.trunc(src, w);
            let new = match i.op {
                AmoSwap => src,
                AmoAdd => cx.add(old, src),
                AmoXor => cx.xor(old, src),
                AmoAnd => cx.and(old, src),
                AmoOr => cx.or(old, src),
                AmoMin => cx.select(cx.icmp(SLT, old, src), old, src),
                AmoMax => cx.select(cx.icmp(SGT, old, src), old, src),
                AmoMinu => cx.select(cx.icmp(ULT, old, src), old, src),
                AmoMaxu => cx.select(cx.icmp(UGT, old, src), old, src),
                _ => unreachable!(),
            };
            cx.store(addr, 0, new);
            let old64 = cx.sext(old, 64);
            set_x(cx, i.rd, old64);
        }
    }
    true
}
