//! Integer loads and stores: address = rs1 + imm; loads sign- or
//! zero-extend to 64 bits, stores write the low `width` bits of rs2.

use super::decode::{Insn, Op};
use super::{set_x, x};
use crate::emit::LiftCx;

pub fn lift<'ctx>(i: &Insn, cx: &mut LiftCx<'_, 'ctx>) -> bool {
    use Op::*;
    let (signed, is_load) = match i.op {
        Lb | Lh | Lw | Ld => (true, true),
        Lbu | Lhu | Lwu => (false, true),
        Sb | Sh | Sw | Sd => (false, false),
        _ => return false,
    };
    let base = x(cx, i.rs1);
    if is_load {
        let v = cx.load(base, i.imm, i.width);
        let v = if signed {
            cx.sext(v, 64)
        } else {
            cx.zext(v, 64)
        };
        set_x(cx, i.rd, v);
    } else {
        let v = x(cx, i.rs2);
        let v = cx.trunc(v, i.width);
        cx.store(base, i.imm, v);
    }
    true
}
