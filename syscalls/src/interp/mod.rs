//! Interpreters of guest machine code: the safety net for code that
//! discovery missed. When control reaches a guest address that has no
//! translated code but lies in an executable segment, the layer runs the
//! guest from there with an interpreter (`runtime/fallback.rs`) until the
//! guest makes a call, a return or an indirect jump, and hands the target
//! back to the dispatcher, which runs translated code again if it has any.
//!
//! The semantics here are written against [`Machine`], so the host's unit
//! tests run them without Wasm.

pub mod riscv;

/// What the interpreter needs from the world around it.
pub trait Machine {
    /// `size` bytes (1, 2, 4 or 8) at guest `addr`, little-endian, zero-extended;
    /// `None` if the address is not guest memory.
    fn load(&mut self, addr: u64, size: u32) -> Option<u64>;
    /// Stores the low `size` bytes of `value`; `None` if not guest memory.
    fn store(&mut self, addr: u64, size: u32, value: u64) -> Option<()>;
    /// The instruction bytes at `pc` (up to 4), or `None` if `pc` is not in
    /// an executable segment.
    fn fetch(&mut self, pc: u64) -> Option<[u8; 4]>;
    /// A clock counter (0 = cycle, 1 = time, 2 = instret).
    fn counter(&mut self, kind: u32) -> u64;
}

/// Why the interpreter stopped. The state holds every register, with the
/// pc of the stop in `CpuState::pc`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// A call, return or indirect jump to this pc: the dispatcher takes over.
    Jump(u64),
    /// A system call instruction at this pc; nothing of it has run yet.
    Syscall(u64),
    /// A load or store at `pc` touched `addr`, which is not guest memory.
    Fault { pc: u64, addr: u64 },
    /// Control ran to `pc`, which is not in an executable segment, from the
    /// instruction at `from` (`None`: the interpreter started there).
    NotCode { pc: u64, from: Option<u64> },
    /// An instruction that raises SIGILL (or one the decoder does not know).
    Illegal { pc: u64, what: String },
}
