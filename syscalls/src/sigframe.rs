//! The signal frame a handler runs on, and the kernel `struct sigaction`,
//! byte for byte as Linux lays them out. Pure logic, unit-tested on the
//! host; `runtime/signal.rs` decides when signals are delivered.
//!
//! **Per-architecture:** this is the one place where the signal ABI of
//! each guest architecture lives: the frame ([`build`], [`restore`]) and
//! the registers a delivery sets ([`SignalRegs`]).
//!
//! riscv64 (`arch/riscv/kernel/signal.c`, glibc's `ucontext_t`):
//!
//! ```text
//! frame +0    siginfo_t (128 bytes): si_signo, si_errno, si_code, pad,
//!             then si_pid, si_uid for signals sent by a process
//! frame +128  ucontext: uc_flags, uc_link, uc_stack (24 bytes),
//!             uc_sigmask at +40 (8 bytes, room for 128),
//!             uc_mcontext at +176: pc, x1..x31, then f0..f31 and fcsr
//! ```
//!
//! aarch64 (`arch/arm64/kernel/signal.c`, `asm/sigcontext.h`), without SVE
//! or SME, as the hwcaps we report promise:
//!
//! ```text
//! frame +0    siginfo_t (128 bytes), as on riscv64
//! frame +128  ucontext: uc_flags, uc_link, uc_stack, uc_sigmask at +40
//!             (room for 1024 signals), uc_mcontext at +176: fault_address,
//!             x0..x30, sp, pc, pstate, then __reserved (4096 bytes) at
//!             +288 holding records: fpsimd_context (magic 0x46508001,
//!             528 bytes: fpsr, fpcr, v0..v31), then a zero terminator
//! frame +4688 frame record {x29, x30} of the interrupted code; the
//!             handler's x29 points at it, so unwinders walk through
//! ```

use crate::abi::{CpuState, ARCH_AARCH64, ARCH_RISCV64};

/// Where a handler "returns" to. Linux points the return address at a
/// sigreturn trampoline; the layer uses this address, which holds no code
/// (it is below every image), and the dispatch loop recognises it.
pub const SIGRETURN_PC: u64 = 0xf00;

/// si_code values.
pub const SI_USER: i32 = 0;
/// Sent by the kernel itself (interval timers).
pub const SI_KERNEL: i32 = 0x80;
pub const SI_TKILL: i32 = -6;

/// sa_flags bits.
pub const SA_SIGINFO: u64 = 4;
pub const SA_ONSTACK: u64 = 0x0800_0000;
pub const SA_RESTART: u64 = 0x1000_0000;
pub const SA_NODEFER: u64 = 0x4000_0000;
pub const SA_RESETHAND: u64 = 0x8000_0000;
pub const SA_RESTORER: u64 = 0x0400_0000;

/// Offsets and sizes of one architecture's signal frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameLayout {
    pub size: u64,
    pub ucontext: u64,
    pub sigmask: u64,
    pub mcontext: u64,
}

/// The frame layout of `arch`, or `None` for an unknown architecture.
pub fn layout(arch: u64) -> Option<FrameLayout> {
    match arch {
        ARCH_RISCV64 => Some(FrameLayout {
            size: 128 + 960,
            ucontext: 128,
            sigmask: 128 + 40,
            mcontext: 128 + 176,
        }),
        // rt_sigframe (siginfo + a 4560-byte ucontext), then the frame record.
        ARCH_AARCH64 => Some(FrameLayout {
            size: AARCH64_FRAME_RECORD + 16,
            ucontext: 128,
            sigmask: 128 + 40,
            mcontext: 128 + 176,
        }),
        _ => None,
    }
}

/// aarch64: where the frame record follows `struct rt_sigframe`.
const AARCH64_FRAME_RECORD: u64 = 128 + 4560;
/// aarch64: `__reserved` within the mcontext, and the fpsimd record's magic.
const AARCH64_RESERVED: u64 = 288;
const FPSIMD_MAGIC: u32 = 0x4650_8001;
const FPSIMD_SIZE: u32 = 528;

/// The CPU-state registers a signal delivery reads and sets (indices into
/// `CpuState::x`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignalRegs {
    pub sp: usize,
    /// The return address the handler returns through (ra / x30).
    pub link: usize,
    /// The first argument and return-value register (a0 / x0).
    pub arg0: usize,
    /// aarch64's frame pointer, pointed at the frame record.
    pub frame_pointer: Option<usize>,
}

pub fn signal_regs(arch: u64) -> SignalRegs {
    if arch == ARCH_AARCH64 {
        SignalRegs {
            sp: 31,
            link: 30,
            arg0: 0,
            frame_pointer: Some(29),
        }
    } else {
        SignalRegs {
            sp: 2,
            link: 1,
            arg0: 10,
            frame_pointer: None,
        }
    }
}

/// A kernel `struct sigaction`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Action {
    pub handler: u64,
    pub flags: u64,
    /// arm64 only (riscv64 has no SA_RESTORER).
    pub restorer: u64,
    pub mask: u64,
}

/// Size of the kernel's `struct sigaction` as rt_sigaction reads it:
/// arm64 has `sa_restorer`, riscv does not.
pub fn sigaction_size(arch: u64) -> usize {
    if arch == ARCH_AARCH64 {
        32
    } else {
        24
    }
}

fn u64_at(b: &[u8], off: usize) -> u64 {
    u64::from_le_bytes(b[off..off + 8].try_into().unwrap())
}

impl Action {
    /// riscv64: handler, flags, mask. arm64: handler, flags, restorer, mask.
    pub fn decode(arch: u64, b: &[u8]) -> Action {
        if arch == ARCH_AARCH64 {
            Action {
                handler: u64_at(b, 0),
                flags: u64_at(b, 8),
                restorer: u64_at(b, 16),
                mask: u64_at(b, 24),
            }
        } else {
            Action {
                handler: u64_at(b, 0),
                flags: u64_at(b, 8),
                restorer: 0,
                mask: u64_at(b, 16),
            }
        }
    }

    pub fn encode(&self, arch: u64) -> Vec<u8> {
        let words: &[u64] = if arch == ARCH_AARCH64 {
            &[self.handler, self.flags, self.restorer, self.mask]
        } else {
            &[self.handler, self.flags, self.mask]
        };
        words.iter().flat_map(|w| w.to_le_bytes()).collect()
    }
}

/// What the handler's siginfo says about where the signal came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigInfo {
    pub signo: u32,
    pub code: i32,
    pub pid: u32,
    pub uid: u32,
    /// si_addr, for a fault (SIGILL, SIGSEGV): where in place of who.
    pub addr: Option<u64>,
}

/// `stack_t`: the alternate signal stack as ucontext records it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AltStack {
    pub sp: u64,
    pub flags: u32,
    pub size: u64,
}

/// Builds the riscv64 frame bytes for a handler: siginfo, then the
/// ucontext saving `state` (with `resume_pc` as the pc to return to) and
/// `mask` (the signal mask to restore).
pub fn build_riscv64(
    state: &CpuState,
    resume_pc: u64,
    info: SigInfo,
    mask: u64,
    stack: AltStack,
) -> Vec<u8> {
    let l = layout(ARCH_RISCV64).unwrap();
    let mut b = new_frame(&l, info, mask, stack);
    let mut put = |off: u64, bytes: &[u8]| put(&mut b, off, bytes);
    let mc = l.mcontext;
    put(mc, &resume_pc.to_le_bytes());
    for i in 1..32 {
        put(mc + 8 * i as u64, &state.x[i].to_le_bytes());
    }
    for i in 0..32 {
        put(mc + 256 + 8 * i as u64, &state.f[i].lo.to_le_bytes());
    }
    put(mc + 512, &(state.fcsr as u32).to_le_bytes());
    b
}

/// Builds the frame bytes of `arch` (see [`build_riscv64`] and
/// [`build_aarch64`]).
pub fn build(
    arch: u64,
    state: &CpuState,
    resume_pc: u64,
    info: SigInfo,
    mask: u64,
    stack: AltStack,
) -> Vec<u8> {
    if arch == ARCH_AARCH64 {
        build_aarch64(state, resume_pc, info, mask, stack)
    } else {
        build_riscv64(state, resume_pc, info, mask, stack)
    }
}

/// Reads a frame of `arch` back into `state`; `None` if the frame is
/// malformed (Linux then kills the process with SIGSEGV).
pub fn restore(arch: u64, frame: &[u8], state: &mut CpuState) -> Option<Restored> {
    if arch == ARCH_AARCH64 {
        restore_aarch64(frame, state)
    } else {
        Some(restore_riscv64(frame, state))
    }
}

/// Writes `bytes` into the frame at `off`.
fn put(b: &mut [u8], off: u64, bytes: &[u8]) {
    b[off as usize..off as usize + bytes.len()].copy_from_slice(bytes);
}

/// A zeroed frame of layout `l` with what both architectures lay out
/// alike filled in: siginfo, uc_stack and uc_sigmask.
fn new_frame(l: &FrameLayout, info: SigInfo, mask: u64, stack: AltStack) -> Vec<u8> {
    let mut b = vec![0u8; l.size as usize];
    put(&mut b, 0, &info.signo.to_le_bytes());
    put(&mut b, 8, &info.code.to_le_bytes());
    match info.addr {
        Some(addr) => put(&mut b, 16, &addr.to_le_bytes()),
        None => {
            put(&mut b, 16, &info.pid.to_le_bytes());
            put(&mut b, 20, &info.uid.to_le_bytes());
        }
    }
    let uc = l.ucontext;
    put(&mut b, uc + 16, &stack.sp.to_le_bytes());
    put(&mut b, uc + 24, &stack.flags.to_le_bytes());
    put(&mut b, uc + 32, &stack.size.to_le_bytes());
    put(&mut b, l.sigmask, &mask.to_le_bytes());
    b
}

fn stack_at(frame: &[u8], l: &FrameLayout) -> AltStack {
    let uc = l.ucontext as usize;
    AltStack {
        sp: u64_at(frame, uc + 16),
        flags: u32_at(frame, uc + 24),
        size: u64_at(frame, uc + 32),
    }
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes(b[off..off + 4].try_into().unwrap())
}

/// Builds the aarch64 frame: siginfo, the ucontext saving `state` (x0..x30,
/// sp, `resume_pc`, NZCV in pstate, and an fpsimd record with v0..v31,
/// fpsr and fpcr) and `mask`, then the frame record. For a fault the
/// mcontext's fault_address is si_addr.
pub fn build_aarch64(
    state: &CpuState,
    resume_pc: u64,
    info: SigInfo,
    mask: u64,
    stack: AltStack,
) -> Vec<u8> {
    let l = layout(ARCH_AARCH64).unwrap();
    let mut b = new_frame(&l, info, mask, stack);
    let mut put = |off: u64, bytes: &[u8]| put(&mut b, off, bytes);
    let mc = l.mcontext;
    put(mc, &info.addr.unwrap_or(0).to_le_bytes());
    for i in 0..31 {
        put(mc + 8 + 8 * i as u64, &state.x[i].to_le_bytes());
    }
    put(mc + 256, &state.x[31].to_le_bytes());
    put(mc + 264, &resume_pc.to_le_bytes());
    put(mc + 272, &(state.nzcv & 0xf000_0000).to_le_bytes());
    let fp = mc + AARCH64_RESERVED;
    put(fp, &FPSIMD_MAGIC.to_le_bytes());
    put(fp + 4, &FPSIMD_SIZE.to_le_bytes());
    put(fp + 8, &(state.fpsr as u32).to_le_bytes());
    put(fp + 12, &(state.fcsr as u32).to_le_bytes());
    for (i, v) in state.f.iter().enumerate() {
        put(fp + 16 + 16 * i as u64, &v.lo.to_le_bytes());
        put(fp + 24 + 16 * i as u64, &v.hi.to_le_bytes());
    }
    // The terminator record after it is already zero.
    put(AARCH64_FRAME_RECORD, &state.x[29].to_le_bytes());
    put(AARCH64_FRAME_RECORD + 8, &state.x[30].to_le_bytes());
    b
}

/// Reads an aarch64 frame back into `state`: x0..x30, sp, NZCV, and the
/// FP registers from the fpsimd record, found by walking the records as
/// the kernel does. A frame without one is malformed.
pub fn restore_aarch64(frame: &[u8], state: &mut CpuState) -> Option<Restored> {
    let l = layout(ARCH_AARCH64).unwrap();
    let mc = l.mcontext as usize;
    let reserved = mc + AARCH64_RESERVED as usize;
    let end = reserved + 4096;
    let mut at = reserved;
    let fpsimd = loop {
        if at + 8 > end {
            return None;
        }
        let (magic, size) = (u32_at(frame, at), u32_at(frame, at + 4) as usize);
        match magic {
            0 => return None,
            FPSIMD_MAGIC if size == FPSIMD_SIZE as usize => break at,
            _ if size < 8 || size % 16 != 0 => return None,
            _ => at += size,
        }
    };
    for i in 0..31 {
        state.x[i] = u64_at(frame, mc + 8 + 8 * i);
    }
    state.x[31] = u64_at(frame, mc + 256);
    state.nzcv = u64_at(frame, mc + 272) & 0xf000_0000;
    state.fpsr = u32_at(frame, fpsimd + 8) as u64;
    state.fcsr = u32_at(frame, fpsimd + 12) as u64;
    for (i, v) in state.f.iter_mut().enumerate() {
        v.lo = u64_at(frame, fpsimd + 16 + 16 * i);
        v.hi = u64_at(frame, fpsimd + 24 + 16 * i);
    }
    Some(Restored {
        pc: u64_at(frame, mc + 264),
        mask: u64_at(frame, l.sigmask as usize),
        stack: stack_at(frame, &l),
    })
}

/// What rt_sigreturn takes back from a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Restored {
    pub pc: u64,
    pub mask: u64,
    pub stack: AltStack,
}

/// Reads a riscv64 frame back into `state` (x1..x31, f0..f31, fcsr) and
/// returns the pc, mask and alternate stack it holds.
pub fn restore_riscv64(frame: &[u8], state: &mut CpuState) -> Restored {
    let l = layout(ARCH_RISCV64).unwrap();
    let at = |off: u64| u64_at(frame, off as usize);
    let mc = l.mcontext;
    for i in 1..32 {
        state.x[i] = at(mc + 8 * i as u64);
    }
    for i in 0..32 {
        state.f[i].lo = at(mc + 256 + 8 * i as u64);
    }
    let fcsr = u32_at(frame, (mc + 512) as usize);
    state.fcsr = fcsr as u64 & 0xff;
    Restored {
        pc: at(mc),
        mask: at(l.sigmask),
        stack: stack_at(frame, &l),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigaction_layouts() {
        let a = Action {
            handler: 0x1234,
            flags: SA_SIGINFO | SA_RESTART,
            restorer: 0x99,
            mask: 1 << 9,
        };
        let rv = a.encode(ARCH_RISCV64);
        assert_eq!(rv.len(), sigaction_size(ARCH_RISCV64));
        assert_eq!(u64_at(&rv, 16), 1 << 9, "riscv: mask right after flags");
        assert_eq!(
            Action::decode(ARCH_RISCV64, &rv),
            Action { restorer: 0, ..a }
        );
        let arm = a.encode(ARCH_AARCH64);
        assert_eq!(arm.len(), sigaction_size(ARCH_AARCH64));
        assert_eq!(u64_at(&arm, 16), 0x99, "arm64: restorer before mask");
        assert_eq!(Action::decode(ARCH_AARCH64, &arm), a);
    }

    /// Offsets checked against glibc's headers for riscv64
    /// (offsetof(ucontext_t, uc_mcontext) = 176, sizeof = 960, and
    /// sizeof(siginfo_t) = 128, with si_pid at 16).
    #[test]
    fn riscv64_frame_round_trip() {
        let mut st = CpuState::zeroed();
        for i in 0..32 {
            st.x[i] = 0x1000 + i as u64;
            st.f[i].lo = 0xf000 + i as u64;
        }
        st.fcsr = 0x65;
        let info = SigInfo {
            signo: 10,
            code: SI_TKILL,
            pid: 100,
            uid: 1000,
            addr: None,
        };
        let stack = AltStack {
            sp: 0x8000,
            flags: 2,
            size: 0x4000,
        };
        let b = build_riscv64(&st, 0x10abc, info, 0b1010, stack);
        let l = layout(ARCH_RISCV64).unwrap();
        assert_eq!(b.len() as u64, l.size);
        assert_eq!(u32::from_le_bytes(b[0..4].try_into().unwrap()), 10);
        assert_eq!(i32::from_le_bytes(b[8..12].try_into().unwrap()), -6);
        assert_eq!(u32::from_le_bytes(b[16..20].try_into().unwrap()), 100);
        assert_eq!(u32::from_le_bytes(b[20..24].try_into().unwrap()), 1000);
        assert_eq!(u64_at(&b, 128 + 176), 0x10abc, "gregs[0] is the pc");
        assert_eq!(u64_at(&b, 128 + 176 + 8 * 10), 0x100a, "gregs[10] is a0");
        assert_eq!(u64_at(&b, 128 + 40), 0b1010);
        assert_eq!(u64_at(&b, 128 + 176 + 256), 0xf000, "f0");
        assert_eq!(
            u32::from_le_bytes(b[128 + 176 + 512..128 + 176 + 516].try_into().unwrap()),
            0x65
        );

        let mut back = CpuState::zeroed();
        let r = restore_riscv64(&b, &mut back);
        assert_eq!(r.pc, 0x10abc);
        assert_eq!(r.mask, 0b1010);
        assert_eq!(r.stack, stack);
        assert_eq!(back.x[0], 0, "x0 stays zero");
        assert_eq!(&back.x[1..], &st.x[1..]);
        assert_eq!(back.f[31].lo, 0xf01f);
        assert_eq!(back.fcsr, 0x65);
    }

    /// Offsets checked against glibc's and the kernel's headers for aarch64
    /// (sizeof(ucontext_t) = 4560, uc_mcontext at 176; in mcontext_t regs
    /// at 8, sp 256, pc 264, pstate 272, __reserved 288; fpsimd_context 528
    /// bytes with fpsr at 8, fpcr 12, vregs 16), and against the frame
    /// qemu-aarch64 gives a handler: the interrupted sp 4704 bytes above
    /// siginfo, and the frame record {x29, x30} at siginfo + 4688.
    #[test]
    fn aarch64_frame_round_trip() {
        let mut st = CpuState::zeroed();
        for i in 0..32 {
            st.x[i] = 0x2000 + i as u64;
            st.f[i].lo = 0xa000 + i as u64;
            st.f[i].hi = 0xb000 + i as u64;
        }
        st.nzcv = 0x6000_0000;
        st.fcsr = 0x0300_0000;
        st.fpsr = 0x10;
        let info = SigInfo {
            signo: 11,
            code: 1,
            pid: 0,
            uid: 0,
            addr: Some(0x28),
        };
        let stack = AltStack {
            sp: 0,
            flags: 2,
            size: 0,
        };
        let b = build_aarch64(&st, 0x400abc, info, 1 << 10, stack);
        let l = layout(ARCH_AARCH64).unwrap();
        assert_eq!(l.size, 4704);
        assert_eq!(b.len() as u64, l.size);
        assert_eq!(u64_at(&b, 16), 0x28, "si_addr");
        let mc = 128 + 176;
        assert_eq!(u64_at(&b, mc), 0x28, "fault_address");
        assert_eq!(u64_at(&b, mc + 8), 0x2000, "regs[0]");
        assert_eq!(u64_at(&b, mc + 8 + 8 * 30), 0x201e, "regs[30]");
        assert_eq!(u64_at(&b, mc + 256), 0x201f, "sp");
        assert_eq!(u64_at(&b, mc + 264), 0x400abc, "pc");
        assert_eq!(u64_at(&b, mc + 272), 0x6000_0000, "pstate");
        assert_eq!(u64_at(&b, 128 + 40), 1 << 10, "uc_sigmask");
        let fp = mc + 288;
        assert_eq!(u32_at(&b, fp), 0x4650_8001);
        assert_eq!(u32_at(&b, fp + 4), 528);
        assert_eq!(u32_at(&b, fp + 8), 0x10, "fpsr");
        assert_eq!(u32_at(&b, fp + 12), 0x0300_0000, "fpcr");
        assert_eq!(u64_at(&b, fp + 16 + 16 * 3 + 8), 0xb003, "v3 high half");
        assert_eq!(u64_at(&b, fp + 528), 0, "terminator");
        assert_eq!((u64_at(&b, 4688), u64_at(&b, 4696)), (0x201d, 0x201e));

        let mut back = CpuState::zeroed();
        let r = restore_aarch64(&b, &mut back).unwrap();
        assert_eq!((r.pc, r.mask, r.stack), (0x400abc, 1 << 10, stack));
        assert_eq!(back.x, st.x);
        assert_eq!(
            (back.nzcv, back.fcsr, back.fpsr),
            (st.nzcv, st.fcsr, st.fpsr)
        );
        assert_eq!((back.f[31].lo, back.f[31].hi), (0xa01f, 0xb01f));

        // Records before the fpsimd one are skipped; a frame without one,
        // or with a broken record, is refused.
        let mut moved = b.clone();
        let rec = fp;
        moved.copy_within(rec..rec + 528, rec + 32);
        moved[rec..rec + 32].fill(0);
        moved[rec..rec + 4].copy_from_slice(&0x5450_4902u32.to_le_bytes());
        moved[rec + 4..rec + 8].copy_from_slice(&32u32.to_le_bytes());
        assert_eq!(restore_aarch64(&moved, &mut back), Some(r));
        let mut none = b.clone();
        none[rec..rec + 8].fill(0);
        assert_eq!(restore_aarch64(&none, &mut back), None);
        none[rec..rec + 4].copy_from_slice(&1u32.to_le_bytes());
        none[rec + 4..rec + 8].copy_from_slice(&3u32.to_le_bytes());
        assert_eq!(restore_aarch64(&none, &mut back), None);
    }

    #[test]
    fn both_architectures_deliver() {
        assert!(layout(ARCH_RISCV64).is_some());
        assert!(layout(ARCH_AARCH64).is_some());
        assert_eq!(signal_regs(ARCH_AARCH64).sp, 31);
        assert_eq!(signal_regs(ARCH_RISCV64).arg0, 10);
        const { assert!(SIGRETURN_PC < 0x10000, "below every image") };
    }
}
