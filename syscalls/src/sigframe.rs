//! The signal frame a handler runs on, and the kernel `struct sigaction`,
//! byte for byte as Linux lays them out. Pure logic, unit-tested on the
//! host; `runtime/signal.rs` decides when signals are delivered.
//!
//! **Per-architecture:** this is the one place where the signal ABI of
//! each guest architecture lives. riscv64 is implemented; aarch64's frame
//! (`struct rt_sigframe` with its `__reserved` records) is not yet, and
//! [`layout`] says so.
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

/// The frame layout of `arch`, or `None` where delivery is not implemented.
pub fn layout(arch: u64) -> Option<FrameLayout> {
    match arch {
        ARCH_RISCV64 => Some(FrameLayout {
            size: 128 + 960,
            ucontext: 128,
            sigmask: 128 + 40,
            mcontext: 128 + 176,
        }),
        _ => None,
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
    let mut b = vec![0u8; l.size as usize];
    let mut put = |off: u64, bytes: &[u8]| {
        b[off as usize..off as usize + bytes.len()].copy_from_slice(bytes);
    };
    put(0, &info.signo.to_le_bytes());
    put(8, &info.code.to_le_bytes());
    match info.addr {
        Some(addr) => put(16, &addr.to_le_bytes()),
        None => {
            put(16, &info.pid.to_le_bytes());
            put(20, &info.uid.to_le_bytes());
        }
    }
    let uc = l.ucontext;
    put(uc + 16, &stack.sp.to_le_bytes());
    put(uc + 24, &stack.flags.to_le_bytes());
    put(uc + 32, &stack.size.to_le_bytes());
    put(l.sigmask, &mask.to_le_bytes());
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
    let fcsr = u32::from_le_bytes(
        frame[(mc + 512) as usize..(mc + 516) as usize]
            .try_into()
            .unwrap(),
    );
    state.fcsr = fcsr as u64 & 0xff;
    let uc = l.ucontext;
    Restored {
        pc: at(mc),
        mask: at(l.sigmask),
        stack: AltStack {
            sp: at(uc + 16),
            flags: u32::from_le_bytes(
                frame[(uc + 24) as usize..(uc + 28) as usize]
                    .try_into()
                    .unwrap(),
            ),
            size: at(uc + 32),
        },
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

    #[test]
    fn only_riscv64_delivers_yet() {
        assert!(layout(ARCH_RISCV64).is_some());
        assert!(layout(ARCH_AARCH64).is_none());
        const { assert!(SIGRETURN_PC < 0x10000, "below every image") };
    }
}
