//! The RV64GC (+ Zba, Zbb, Zbs) interpreter. It decodes with the lifter's
//! own decoder (`crate::isa::riscv`), so an instruction means the same here
//! as in translated code, and keeps every register in `CpuState`.
//!
//! It runs straight-line code and direct jumps and branches, and stops at
//! calls, returns and indirect jumps (`jal` with a link register, `jalr`):
//! those are where translated code is most likely to be found again.
//! Semantics are split by family: `integer.rs` (I, M, Zba/Zbb/Zbs),
//! `memory.rs` (loads, stores, A), `float.rs` (F, D); control flow and the
//! system instructions are here.

mod float;
mod integer;
mod memory;

use super::{Machine, Stop};
use crate::abi::CpuState;
use crate::isa::riscv::decode::{decode, Insn, Op};

const CSR_FFLAGS: u16 = 0x001;
const CSR_FRM: u16 = 0x002;
const CSR_FCSR: u16 = 0x003;
const CSR_CYCLE: u16 = 0xc00;
const CSR_TIME: u16 = 0xc01;
const CSR_INSTRET: u16 = 0xc02;

/// Runs the guest from `st.pc` until it stops (see [`Stop`]), at most
/// `budget` instructions; `None` when the budget ran out first (the state
/// is then at the next instruction to run, and running on is correct).
pub fn run(st: &mut CpuState, m: &mut impl Machine, budget: u64) -> Option<Stop> {
    let mut from = None;
    for _ in 0..budget {
        let at = st.pc;
        let stop = step(st, m);
        st.x[0] = 0;
        match stop {
            None => from = Some(at),
            Some(Stop::NotCode { pc, .. }) => return Some(Stop::NotCode { pc, from }),
            Some(stop) => return Some(stop),
        }
    }
    None
}

/// Runs one instruction at `st.pc`; `Some` when it stops the interpreter
/// (then `st.pc` is the stop's pc: the target of a jump, the instruction
/// of a syscall, fault or SIGILL).
pub fn step(st: &mut CpuState, m: &mut impl Machine) -> Option<Stop> {
    let pc = st.pc;
    let Some(bytes) = m.fetch(pc) else {
        return Some(Stop::NotCode { pc, from: None });
    };
    let i = match decode(&bytes) {
        Ok(i) => i,
        Err(e) => return Some(Stop::Illegal { pc, what: e.0 }),
    };
    let next = pc.wrapping_add(i.len as u64);
    match execute(st, m, &i, pc) {
        Flow::Next => st.pc = next,
        Flow::Goto(target) => st.pc = target,
        Flow::Stop(stop) => {
            st.pc = match stop {
                Stop::Jump(target) => target,
                _ => pc,
            };
            return Some(stop);
        }
    }
    None
}

/// What one instruction does to control.
enum Flow {
    Next,
    /// A direct jump or taken branch: the interpreter goes on there.
    Goto(u64),
    Stop(Stop),
}

fn execute(st: &mut CpuState, m: &mut impl Machine, i: &Insn, pc: u64) -> Flow {
    use Op::*;
    let a = st.x[i.rs1 as usize];
    let b = st.x[i.rs2 as usize];
    let link = pc.wrapping_add(i.len as u64);
    let illegal = |what: &str| {
        Flow::Stop(Stop::Illegal {
            pc,
            what: what.into(),
        })
    };
    match i.op {
        Jal => {
            let target = pc.wrapping_add(i.imm as u64);
            st.x[i.rd as usize] = link;
            if i.rd == 0 {
                Flow::Goto(target)
            } else {
                Flow::Stop(Stop::Jump(target))
            }
        }
        Jalr => {
            let target = a.wrapping_add(i.imm as u64) & !1;
            st.x[i.rd as usize] = link;
            Flow::Stop(Stop::Jump(target))
        }
        Beq | Bne | Blt | Bge | Bltu | Bgeu => {
            let taken = match i.op {
                Beq => a == b,
                Bne => a != b,
                Blt => (a as i64) < (b as i64),
                Bge => (a as i64) >= (b as i64),
                Bltu => a < b,
                _ => a >= b,
            };
            if taken {
                Flow::Goto(pc.wrapping_add(i.imm as u64))
            } else {
                Flow::Next
            }
        }
        Lui => {
            st.x[i.rd as usize] = i.imm as u64;
            Flow::Next
        }
        Auipc => {
            st.x[i.rd as usize] = pc.wrapping_add(i.imm as u64);
            Flow::Next
        }
        Ecall => Flow::Stop(Stop::Syscall(pc)),
        Ebreak => illegal("ebreak (breakpoint trap, SIGTRAP)"),
        Unimp => illegal("unimp (the defined illegal instruction)"),
        Fence | FenceI => Flow::Next,
        Csrrw | Csrrs | Csrrc | Csrrwi | Csrrsi | Csrrci => match csr(st, m, i) {
            Ok(()) => Flow::Next,
            Err(what) => illegal(&what),
        },
        _ => {
            let done = integer::execute(st, i)
                .map(|()| Ok(()))
                .or_else(|| memory::execute(st, m, i))
                .or_else(|| float::execute(st, m, i));
            match done {
                Some(Ok(())) => Flow::Next,
                Some(Err(stop)) => Flow::Stop(stop.at(pc)),
                None => illegal(&format!("{:?} has no interpreter semantics", i.op)),
            }
        }
    }
}

/// A stop found inside a family's semantics, before the pc is known.
pub(super) enum Trap {
    Fault(u64),
    Illegal(String),
}

impl Trap {
    fn at(self, pc: u64) -> Stop {
        match self {
            Trap::Fault(addr) => Stop::Fault { pc, addr },
            Trap::Illegal(what) => Stop::Illegal { pc, what },
        }
    }
}

/// The CSR instructions: the FP CSRs (views of fcsr) and the counters.
fn csr(st: &mut CpuState, m: &mut impl Machine, i: &Insn) -> Result<(), String> {
    use Op::*;
    let operand = match i.op {
        Csrrwi | Csrrsi | Csrrci => i.rs1 as u64,
        _ => st.x[i.rs1 as usize],
    };
    // csrrs/csrrc with x0 (or uimm 0) only read.
    let writes = matches!(i.op, Csrrw | Csrrwi) || i.rs1 != 0;
    let field = match i.csr {
        CSR_FFLAGS => Some((0, 0x1f)),
        CSR_FRM => Some((5, 0x7)),
        CSR_FCSR => Some((0, 0xff)),
        _ => None,
    };
    if let Some((shift, mask)) = field {
        let old = (st.fcsr >> shift) & mask;
        if writes {
            let new = match i.op {
                Csrrw | Csrrwi => operand,
                Csrrs | Csrrsi => old | operand,
                _ => old & !operand,
            } & mask;
            st.fcsr = (st.fcsr & !(mask << shift)) | (new << shift);
        }
        st.x[i.rd as usize] = old;
        return Ok(());
    }
    let kind = match i.csr {
        CSR_CYCLE => 0,
        CSR_TIME => 1,
        CSR_INSTRET => 2,
        c => return Err(format!("unsupported CSR {c:#x}")),
    };
    if writes {
        return Err(format!("write to read-only CSR {:#x}", i.csr));
    }
    st.x[i.rd as usize] = m.counter(kind);
    Ok(())
}

#[cfg(test)]
mod tests;
