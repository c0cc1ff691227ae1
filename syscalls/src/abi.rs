//! The contract between lifted code (emitted by `elfconv2-lifter`) and this
//! syscall layer. Both sides compile this file: the lifter on the host, to
//! compute offsets, and the syscall layer inside the Wasm module. Changing
//! anything here changes the translator version (and so invalidates caches).

use core::mem::offset_of;

/// Wasm linear-memory address of guest address 0. Everything below it
/// belongs to the syscall layer (its data, shadow stack and malloc arena);
/// guest address `a` lives at Wasm address `GUEST_BASE + a`. Lifted code
/// folds this constant into the `offset` immediate of Wasm loads and stores.
///
/// It must stay well under the guard region host runtimes place after a
/// 4 GiB memory reservation: wasmtime's default guard is 32 MiB, and an
/// access whose `offset` (plus its size) reaches past the guard gets an
/// explicit bounds check and a Spectre mask on every load and store (at
/// 32 MiB that made matmul 1.6x slower). At 16 MiB wasmtime checks nothing.
pub const GUEST_BASE: u32 = 16 << 20;

/// Size of a Wasm page; guest memory grows in these units.
pub const WASM_PAGE_SIZE: u64 = 65536;

/// Guest page size reported to the guest (AT_PAGESZ) and used for mmap.
pub const GUEST_PAGE_SIZE: u64 = 4096;

/// One past the highest guest address that can ever be backed: the Wasm
/// memory is at most 4 GiB and the first `GUEST_BASE` bytes are ours.
pub const GUEST_ADDR_LIMIT: u64 = (1u64 << 32) - GUEST_BASE as u64;

/// Lifted code checks an access at `base + imm` (with `0 <= imm` and
/// `imm + size <= ACCESS_SLACK`) by checking `base` alone against
/// `elfconv_guest_limit - ACCESS_SLACK`, so every access through one base
/// register value shares one check. In exchange the syscall layer keeps at
/// least this much Wasm memory above the highest guest mapping, so no valid
/// access can fail that check.
pub const ACCESS_SLACK: u64 = 4096;

/// Size of the guest's main stack (the Linux default `ulimit -s`).
pub const GUEST_STACK_SIZE: u64 = 8 << 20;

/// Virtual room reserved for brk above the stack before mmap placements begin.
pub const GUEST_BRK_RESERVE: u64 = 256 << 20;

/// Lifted code turns a guest call into a native Wasm call only while fewer
/// than this many lifted frames are on the Wasm stack; past it, the call goes
/// through the dispatcher loop instead, so guest recursion depth is bounded
/// by guest memory, not by the host runtime's Wasm stack.
pub const MAX_NATIVE_CALL_DEPTH: u32 = 384;

/// Guest architectures, as stored in [`ImageInfo::arch`].
pub const ARCH_RISCV64: u64 = 1;
pub const ARCH_AARCH64: u64 = 2;

/// The guest CPU state. Lifted code keeps registers in SSA values and
/// touches this struct only at function boundaries, calls, syscalls and
/// traps. One layout serves both architectures:
/// - riscv64: `x[0..32]` are x0..x31 (x0 is always 0), `f[i].lo` holds the
///   64-bit FP register (single precision NaN-boxed), `fcsr` is fcsr.
/// - aarch64: `x[0..31]` are x0..x30, `x[31]` is sp, `f` are v0..v31,
///   `nzcv` holds the flags in bits 31..28, `fpcr`/`fpsr` the FP control.
#[repr(C, align(16))]
#[derive(Clone, Copy, Debug)]
pub struct CpuState {
    pub x: [u64; 32],
    pub f: [V128; 32],
    /// Program counter; valid whenever control is outside lifted code.
    pub pc: u64,
    /// riscv: fcsr (frm in bits 7..5, fflags in 4..0). aarch64: fpcr.
    pub fcsr: u64,
    /// aarch64 fpsr (cumulative exception bits).
    pub fpsr: u64,
    /// aarch64 NZCV flags in bits 31..28.
    pub nzcv: u64,
    /// Thread pointer: aarch64 TPIDR_EL0 (riscv uses x4 directly).
    pub tpidr: u64,
    /// Address reserved by the last LR / LDXR; `u64::MAX` when none.
    pub reservation: u64,
    /// Value loaded by the last LR / LDXR, compared by SC / STXR.
    pub reservation_value: u64,
}

#[repr(C, align(16))]
#[derive(Clone, Copy, Debug, Default)]
pub struct V128 {
    pub lo: u64,
    pub hi: u64,
}

impl CpuState {
    pub const fn zeroed() -> Self {
        CpuState {
            x: [0; 32],
            f: [V128 { lo: 0, hi: 0 }; 32],
            pc: 0,
            fcsr: 0,
            fpsr: 0,
            nzcv: 0,
            tpidr: 0,
            reservation: u64::MAX,
            reservation_value: 0,
        }
    }
}

/// Byte offsets into [`CpuState`], for the lifter.
pub mod state_offset {
    use super::*;
    pub const X: usize = offset_of!(CpuState, x);
    pub const F: usize = offset_of!(CpuState, f);
    pub const PC: usize = offset_of!(CpuState, pc);
    pub const FCSR: usize = offset_of!(CpuState, fcsr);
    pub const FPSR: usize = offset_of!(CpuState, fpsr);
    pub const NZCV: usize = offset_of!(CpuState, nzcv);
    pub const TPIDR: usize = offset_of!(CpuState, tpidr);
    pub const RESERVATION: usize = offset_of!(CpuState, reservation);
    pub const RESERVATION_VALUE: usize = offset_of!(CpuState, reservation_value);
    pub const SIZE: usize = core::mem::size_of::<CpuState>();
}

/// Facts about the guest image, emitted by the translator as the constant
/// global [`sym::IMAGE_INFO`] (an array of u64 in this field order).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ImageInfo {
    pub arch: u64,
    pub entry: u64,
    /// Guest address of the program headers (AT_PHDR), their count and size.
    pub phdr: u64,
    pub phnum: u64,
    pub phent: u64,
    /// Lowest guest address of the image (page aligned): accesses below it fault.
    pub image_start: u64,
    /// One past the highest guest address of the image (page aligned).
    pub image_end: u64,
}

/// Number of u64 fields in [`ImageInfo`].
pub const IMAGE_INFO_WORDS: usize = core::mem::size_of::<ImageInfo>() / 8;

/// Symbol names shared by the lifter and the syscall layer.
pub mod sym {
    /// `CpuState` (defined by the syscall layer).
    pub const STATE: &str = "elfconv_state";
    /// u64: one past the highest guest address backed by Wasm memory
    /// (defined by the syscall layer, read by every guest memory access).
    pub const GUEST_LIMIT: &str = "elfconv_guest_limit";
    /// u32: lifted frames currently on the Wasm stack.
    pub const CALL_DEPTH: &str = "elfconv_call_depth";
    /// `[u64; IMAGE_INFO_WORDS]` (defined by the lifted module).
    pub const IMAGE_INFO: &str = "elfconv_image_info";
    /// `fn(pc: u64) -> u64`: runs guest code from `pc` until lifted code
    /// cannot continue natively; returns the next guest pc (defined by the
    /// lifted module).
    pub const DISPATCH: &str = "elfconv_dispatch";
    /// `fn(pc: u64) -> u64`: performs the syscall described by the state
    /// (layer) and returns the guest pc to continue at: `pc + 4` normally,
    /// another pc when a signal handler is to run or rt_sigreturn restored
    /// a context. Lifted code continues natively only at `pc + 4`.
    pub const SYSCALL: &str = "elfconv_syscall";
    /// `fn(pc: u64, addr: u64) -> !`: bad guest memory access (layer).
    pub const SEGV: &str = "elfconv_segv";
    /// `fn(pc: u64, what: *const u8) -> !`: an instruction that could not be
    /// lifted was reached; `what` is a NUL-terminated description (layer).
    pub const SIGILL: &str = "elfconv_sigill";
    /// `fn(pc: u64, what: *const u8) -> u64`: as SIGILL, at an instruction
    /// that ends its block with the registers spilled: returns the pc of the
    /// guest's SIGILL handler when one is installed (layer).
    pub const SIGILL_HANDLED: &str = "elfconv_sigill_handled";
    /// `fn(from_pc: u64, target: u64) -> !`: control reached a guest address
    /// that has no translated code (layer).
    pub const BAD_JUMP: &str = "elfconv_bad_jump";
    /// `fn(pc: u64) -> u64`: control reached `pc` through the dispatcher and
    /// no translated code starts there: interprets the guest from `pc` (or
    /// reports a jump to non-code) and returns the next pc (layer).
    pub const FALLBACK: &str = "elfconv_fallback";
    /// `fn(pc: u64, kind: u32) -> u64`: reads a clock/counter CSR (layer).
    pub const READ_COUNTER: &str = "elfconv_read_counter";
}
