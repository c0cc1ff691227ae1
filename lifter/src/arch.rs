//! The architecture-neutral interface between the lifter core and one
//! guest instruction set. An architecture supplies three things:
//! - a register file (which guest registers exist and where they live in
//!   `CpuState`), so the core can promote them to SSA values;
//! - a decoder that reports each instruction's length and static control
//!   flow, which is all code discovery needs;
//! - semantics that emit LLVM IR for one instruction through [`LiftCx`].

use crate::emit::LiftCx;
use inkwell::values::IntValue;

/// Index into an architecture's register file.
pub type Reg = usize;

/// One promotable guest register.
#[derive(Clone, Copy, Debug)]
pub struct RegDesc {
    pub name: &'static str,
    /// Byte offset in `CpuState`.
    pub offset: usize,
    /// Width in bits (64 for integer registers, 128 for vector registers).
    pub bits: u32,
    /// Held as an `f64` inside a lifted function (64-bit FP registers):
    /// values then cross guest blocks and loops in Wasm's float locals,
    /// with no int<->float move at every block boundary. Reads and writes
    /// still see the register's bits as an integer; loads, stores and phis
    /// of an `f64` keep every bit (NaN payloads and NaN-boxed singles too).
    pub float: bool,
}

/// Static control flow of one instruction, known without executing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Continues with the next instruction.
    Next,
    /// Always continues at `target`.
    Jump { target: u64 },
    /// Continues at `target` if a condition holds, else with the next instruction.
    Branch { target: u64 },
    /// Calls `target`; the guest expects to come back to the next instruction.
    Call { target: u64 },
    /// Calls a computed address; the guest expects to come back to the next instruction.
    IndirectCall,
    /// Continues at a computed address (switches, computed goto, tail calls).
    IndirectJump,
    /// Returns to the address in the link register.
    Return,
    /// A system call; continues with the next instruction.
    Syscall,
    /// Never continues (a trap, or an instruction that cannot be lifted).
    Stop,
}

/// A decoded instruction: its length, its control flow and an
/// architecture-specific payload the semantics use.
#[derive(Clone, Debug)]
pub struct Decoded<I> {
    pub len: u64,
    pub flow: Flow,
    pub insn: I,
}

/// What an instruction's semantics hand back to the core, beyond their
/// effect on registers and memory.
#[derive(Clone, Copy, Debug, Default)]
pub struct Outcome<'ctx> {
    /// For `Flow::Branch`: the i1 condition under which the branch is taken.
    pub condition: Option<IntValue<'ctx>>,
    /// For indirect flows: the i64 target address.
    pub target: Option<IntValue<'ctx>>,
}

/// Why an instruction could not be lifted.
pub use elfconv2_syscalls::isa::Unsupported;

/// One guest instruction set.
pub trait Arch: Default {
    type Insn: Clone + std::fmt::Debug + Send + Sync;

    fn guest(&self) -> crate::elf::GuestArch;
    /// Every promotable register; semantics refer to them by index.
    fn registers(&self) -> &[RegDesc];
    /// Minimum instruction alignment in bytes (2 for RVC, 4 for AArch64).
    fn insn_align(&self) -> u64;
    /// Length of the instruction at the start of `bytes`, even if it cannot
    /// be decoded (used to sweep code linearly).
    fn insn_len(&self, bytes: &[u8]) -> u64;
    /// Decodes the instruction at the start of `bytes` (guest address `pc`).
    /// Returns `Err` with a reason when the bytes are not an instruction we
    /// can lift; its length is then `insn_align` for reporting purposes.
    fn decode(&self, bytes: &[u8], pc: u64) -> Result<Decoded<Self::Insn>, Unsupported>;
    /// Called once with the whole discovered program before any function is
    /// lifted, for semantics that depend on program-wide facts (RISC-V:
    /// whether any instruction can change the rounding mode or read the
    /// FP exception flags).
    fn prepare(&mut self, _program: &crate::discover::Program<Self::Insn>) {}
    /// Emits the semantics of one instruction.
    fn lift<'ctx>(
        &self,
        d: &Decoded<Self::Insn>,
        pc: u64,
        cx: &mut LiftCx<'_, 'ctx>,
    ) -> Result<Outcome<'ctx>, Unsupported>;
    /// Called after the last instruction of a guest block, before control
    /// leaves it (for another guest block or the outside).
    fn end_block(&self, _cx: &mut LiftCx<'_, '_>) {}
    /// The value to store when register `r`, holding `v`, is spilled to
    /// `CpuState`: `v` in its architectural form, with any fix-up still
    /// pending on it applied (see `LiftCx::deferred`). Emitted in the spill
    /// block, after the guest block's code.
    fn spill_value<'ctx>(
        &self,
        _cx: &mut LiftCx<'_, 'ctx>,
        _r: usize,
        v: IntValue<'ctx>,
    ) -> IntValue<'ctx> {
        v
    }
    /// Possible targets of the indirect jump `jump` at `pc`, recovered from a
    /// jump table. `before` holds the straight-line instructions leading to
    /// it, oldest first; `function` the whole function's instructions in
    /// address order (as far as known). Returning too many targets is harmless (they only
    /// become extra blocks); missing one sends that case through the
    /// dispatcher, which reports it if it has no code.
    fn jump_table_targets(
        &self,
        _image: &crate::elf::GuestImage,
        _pc: u64,
        _jump: &Self::Insn,
        _before: &[(u64, Self::Insn)],
        _function: &[(u64, Self::Insn)],
    ) -> Vec<u64> {
        Vec::new()
    }
    /// Values that `run` (a function's instructions in address order)
    /// forms and that may be code addresses: function pointers taken in
    /// code, far-call targets. Extra values are harmless (discovery checks
    /// them); a missed one loses a function in stripped binaries.
    fn formed_addresses(&self, _run: &[(u64, Self::Insn)]) -> Vec<u64> {
        Vec::new()
    }
    /// Human-readable disassembly for diagnostics.
    fn disassemble(&self, bytes: &[u8], pc: u64) -> String;
}
