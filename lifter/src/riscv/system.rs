//! System instructions: fences, ebreak and the CSRs user code can reach
//! (fflags/frm/fcsr, and the cycle/time/instret counters). `ecall` needs
//! no semantics here: the core spills state and calls the syscall layer.

use super::decode::{Insn, Op};
use super::fp_env::{self, FCSR_REG};
use super::{set_x, x};
use crate::arch::Unsupported;
use crate::emit::LiftCx;
use inkwell::values::IntValue;

pub(super) const CSR_FFLAGS: u16 = 0x001;
pub(super) const CSR_FRM: u16 = 0x002;
pub(super) const CSR_FCSR: u16 = 0x003;
const CSR_CYCLE: u16 = 0xc00;
const CSR_TIME: u16 = 0xc01;
const CSR_INSTRET: u16 = 0xc02;

pub fn lift<'ctx>(i: &Insn, cx: &mut LiftCx<'_, 'ctx>) -> Result<bool, Unsupported> {
    use Op::*;
    match i.op {
        Ecall | Fence | FenceI => {}
        Ebreak => cx.trap_sigill("ebreak (breakpoint trap, SIGTRAP)"),
        // Not a gap in the translator, but it raises SIGILL the way one does:
        // at the end of its block, registers spilled, so a guest handler runs.
        Unimp => {
            return Err(Unsupported(
                "unimp (the defined illegal instruction)".into(),
            ))
        }
        Csrrw | Csrrs | Csrrc | Csrrwi | Csrrsi | Csrrci => csr(i, cx)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// (shift, mask) of each FP CSR inside fcsr.
fn fp_field(csr: u16) -> Option<(u64, u64)> {
    match csr {
        CSR_FFLAGS => Some((0, 0x1f)),
        CSR_FRM => Some((5, 0x7)),
        CSR_FCSR => Some((0, 0xff)),
        _ => None,
    }
}

fn csr<'ctx>(i: &Insn, cx: &mut LiftCx<'_, 'ctx>) -> Result<(), Unsupported> {
    use Op::*;
    let operand: IntValue = match i.op {
        Csrrwi | Csrrsi | Csrrci => cx.c64(i.rs1 as u64),
        _ => x(cx, i.rs1),
    };
    // csrrs/csrrc with x0 (or uimm 0) only read.
    let writes = matches!(i.op, Csrrw | Csrrwi) || i.rs1 != 0;
    if let Some((shift, mask)) = fp_field(i.csr) {
        // fcsr is a promoted register; flags still pending from this block
        // must be in it before it is read or overwritten.
        fp_env::settle_flags(cx);
        let fcsr = cx.read(FCSR_REG);
        let old = cx.and(cx.lshr(fcsr, cx.c64(shift)), cx.c64(mask));
        if writes {
            let new = match i.op {
                Csrrw | Csrrwi => operand,
                Csrrs | Csrrsi => cx.or(old, operand),
                _ => cx.and(old, cx.not(operand)),
            };
            let new = cx.and(new, cx.c64(mask));
            let cleared = cx.and(fcsr, cx.c64(!(mask << shift)));
            let updated = cx.or(cleared, cx.shl(new, cx.c64(shift)));
            cx.write(FCSR_REG, updated);
        }
        set_x(cx, i.rd, old);
        return Ok(());
    }
    let kind = match i.csr {
        CSR_CYCLE => 0,
        CSR_TIME => 1,
        CSR_INSTRET => 2,
        _ => return Err(Unsupported(format!("unsupported CSR {:#x}", i.csr))),
    };
    if writes {
        return Err(Unsupported(format!("write to read-only CSR {:#x}", i.csr)));
    }
    let v = cx.read_counter(kind);
    set_x(cx, i.rd, v);
    Ok(())
}
