//! RISC-V 64 (RV64GC + Zba/Zbb/Zbs): decoding, control flow and semantics.
//!
//! Register file indices: 0..32 are x0..x31, 32..64 are f0..f31, 64 is
//! fcsr (see `fp_env.rs`).
//! Semantics are split by instruction family, one file each.

mod addresses;
mod atomic;
mod bitmanip;
mod control;
mod float;
mod fp_env;
mod fp_facts;
mod integer;
mod jump_table;
mod memory;
mod reaching_constants;
mod system;

use crate::arch::{Arch, Decoded, Flow, Outcome, RegDesc, Unsupported};
use crate::elf::GuestArch;
use crate::emit::LiftCx;
use decode::{Insn, Op};
use elfconv2_syscalls::abi::state_offset;
pub use elfconv2_syscalls::isa::riscv::decode;
use inkwell::values::IntValue;

/// Index of FP register `i` in the register file.
pub const F0: usize = 32;
/// The link register (ra) and the alternate link register (t0).
const RA: u8 = 1;
const T0: u8 = 5;

pub struct Riscv64 {
    registers: Vec<RegDesc>,
    capstone: Option<capstone::Capstone>,
    /// What the program being lifted does with fcsr (set by `prepare`).
    fp_facts: fp_env::FpFacts,
}

const X_NAMES: [&str; 32] = [
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4",
    "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4",
    "t5", "t6",
];
const F_NAMES: [&str; 32] = [
    "ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0", "fa1", "fa2",
    "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9",
    "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
];

impl Default for Riscv64 {
    fn default() -> Self {
        Self::new()
    }
}

impl Riscv64 {
    pub fn new() -> Self {
        let mut registers = Vec::new();
        for (i, name) in X_NAMES.iter().enumerate() {
            registers.push(RegDesc {
                name,
                offset: state_offset::X + 8 * i,
                bits: 64,
                float: false,
            });
        }
        for (i, name) in F_NAMES.iter().enumerate() {
            registers.push(RegDesc {
                name,
                offset: state_offset::F + 16 * i,
                bits: 64,
                float: true,
            });
        }
        debug_assert_eq!(registers.len(), fp_env::FCSR_REG);
        registers.push(RegDesc {
            name: "fcsr",
            offset: state_offset::FCSR,
            bits: 64,
            float: false,
        });
        use capstone::prelude::*;
        let capstone = Capstone::new()
            .riscv()
            .mode(capstone::arch::riscv::ArchMode::RiscV64)
            .extra_mode([capstone::arch::riscv::ArchExtraMode::RiscVC].into_iter())
            .build()
            .ok();
        Riscv64 {
            registers,
            capstone,
            fp_facts: fp_env::FpFacts::default(),
        }
    }
}

/// Reads integer register `r` (x0 reads as zero).
pub(crate) fn x<'ctx>(cx: &mut LiftCx<'_, 'ctx>, r: u8) -> IntValue<'ctx> {
    if r == 0 {
        cx.c64(0)
    } else {
        cx.read(r as usize)
    }
}

/// Writes integer register `r` (writes to x0 are dropped).
pub(crate) fn set_x<'ctx>(cx: &mut LiftCx<'_, 'ctx>, r: u8, v: IntValue<'ctx>) {
    if r != 0 {
        cx.write(r as usize, v);
    }
}

/// Static control flow of a decoded instruction.
pub(super) fn flow(i: &Insn, pc: u64) -> Flow {
    let target = pc.wrapping_add(i.imm as u64);
    let is_link = |r: u8| r == RA || r == T0;
    match i.op {
        Op::Jal if is_link(i.rd) => Flow::Call { target },
        Op::Jal => Flow::Jump { target },
        Op::Jalr if i.rd == 0 && is_link(i.rs1) && i.imm == 0 => Flow::Return,
        Op::Jalr if is_link(i.rd) => Flow::IndirectCall,
        Op::Jalr => Flow::IndirectJump,
        Op::Beq | Op::Bne | Op::Blt | Op::Bge | Op::Bltu | Op::Bgeu => Flow::Branch { target },
        Op::Ecall => Flow::Syscall,
        Op::Ebreak | Op::Unimp => Flow::Stop,
        _ => Flow::Next,
    }
}

impl Arch for Riscv64 {
    type Insn = Insn;

    fn guest(&self) -> GuestArch {
        GuestArch::Riscv64
    }

    fn registers(&self) -> &[RegDesc] {
        &self.registers
    }

    fn insn_align(&self) -> u64 {
        2
    }

    fn insn_len(&self, bytes: &[u8]) -> u64 {
        match bytes.first() {
            Some(b) if b & 3 == 3 => 4,
            _ => 2,
        }
    }

    fn decode(&self, bytes: &[u8], pc: u64) -> Result<Decoded<Insn>, Unsupported> {
        let insn = decode::decode(bytes)?;
        Ok(Decoded {
            len: insn.len as u64,
            flow: flow(&insn, pc),
            insn,
        })
    }

    fn prepare(&mut self, program: &crate::discover::Program<Insn>) {
        let insns = program
            .insns
            .iter()
            .filter_map(|(&pc, d)| Some((pc, d.as_ref().ok()?.insn)))
            .collect();
        self.fp_facts = fp_env::FpFacts::of(&insns);
    }

    fn lift<'ctx>(
        &self,
        d: &Decoded<Insn>,
        pc: u64,
        cx: &mut LiftCx<'_, 'ctx>,
    ) -> Result<Outcome<'ctx>, Unsupported> {
        let i = &d.insn;
        if let Some(o) = control::lift(i, pc, cx) {
            return Ok(o);
        }
        if integer::lift(i, pc, cx)
            || bitmanip::lift(i, cx)
            || memory::lift(i, cx)
            || atomic::lift(i, cx)
            || float::lift(i, cx, self.fp_facts)?
            || system::lift(i, cx)?
        {
            return Ok(Outcome::default());
        }
        Err(Unsupported(format!("no semantics for {:?}", i.op)))
    }

    fn end_block(&self, cx: &mut LiftCx<'_, '_>) {
        fp_env::settle_flags(cx);
    }

    fn spill_value<'ctx>(
        &self,
        cx: &mut LiftCx<'_, 'ctx>,
        r: usize,
        v: inkwell::values::IntValue<'ctx>,
    ) -> inkwell::values::IntValue<'ctx> {
        float::spill_value(cx, r, v)
    }

    fn jump_table_targets(
        &self,
        image: &crate::elf::GuestImage,
        pc: u64,
        jump: &Insn,
        before: &[(u64, Insn)],
        function: &[(u64, Insn)],
    ) -> Vec<u64> {
        jump_table::targets(image, pc, jump, before, function)
    }

    fn formed_addresses(&self, run: &[(u64, Insn)]) -> Vec<u64> {
        addresses::formed_addresses(run)
    }

    fn disassemble(&self, bytes: &[u8], pc: u64) -> String {
        let len = match bytes.first() {
            Some(b) if b & 3 != 3 => 2,
            _ => 4,
        }
        .min(bytes.len());
        let hex: Vec<String> = bytes[..len]
            .iter()
            .rev()
            .map(|b| format!("{b:02x}"))
            .collect();
        let text = self
            .capstone
            .as_ref()
            .and_then(|cs| cs.disasm_count(&bytes[..len], pc, 1).ok())
            .and_then(|insns| {
                insns.iter().next().map(|i| {
                    format!(
                        "{} {}",
                        i.mnemonic().unwrap_or("?"),
                        i.op_str().unwrap_or("")
                    )
                })
            })
            .unwrap_or_else(|| "(unknown)".to_string());
        format!("{pc:#x}: {} {}", hex.join(""), text.trim())
    }
}
