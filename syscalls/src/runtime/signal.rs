//! Signals a process sends itself (kill, tgkill, raise, abort, SIGPIPE).
//!
//! A signal becomes pending when it is sent and is delivered when the
//! syscall that sent or unblocked it returns, exactly where Linux delivers
//! it: the default action (terminate with exit status 128 + N, or ignore)
//! or the guest's handler. For a handler, [`deliver`] writes a Linux signal
//! frame on the guest stack (`crate::sigframe`), points the registers at
//! the handler and returns the handler's address; lifted code sees a pc
//! other than the one after the syscall and returns to the dispatch loop,
//! which runs the handler. The handler returns to `SIGRETURN_PC`, where the
//! dispatch loop calls [`return_from_handler`] (the rt_sigreturn the
//! kernel's trampoline would make).
//!
//! Faults go to handlers through [`fault`]: SIGILL from a block that ends
//! with its registers spilled, and SIGSEGV from a bad access, where the
//! registers in the frame are those of the last call or syscall boundary
//! (see `hooks::elfconv_segv`).

use super::dispatch::Args;
use super::host;
use super::identity::{PID, TID, UID};
use super::{state, Runtime};
use crate::errno::*;
use crate::linux::*;
use crate::sigframe::{
    self, Action, AltStack, SigInfo, SIGRETURN_PC, SI_KERNEL, SI_TKILL, SI_USER,
};

const SS_ONSTACK: u32 = 1;
const SS_AUTODISARM: u32 = 1 << 31;

pub struct SignalState {
    actions: [Action; NSIG as usize + 1],
    /// Blocked signals (bit n-1 for signal n).
    mask: u64,
    /// Sent, not yet delivered.
    pending: u64,
    /// si_code of each pending signal (how it was sent).
    pending_code: [i32; NSIG as usize + 1],
    /// The sigaltstack; flags SS_DISABLE when there is none.
    altstack: AltStack,
    /// rt_sigsuspend: the mask to restore once a signal was handled.
    suspend_mask: Option<u64>,
    /// Handler frames entered and not yet returned from.
    frames: u32,
    /// SIGSEGV handlers entered from lifted code, each in a dispatch loop
    /// above the fault's abandoned Wasm frames (`hooks::elfconv_segv`).
    pub caught_faults: u32,
}

impl SignalState {
    pub fn new() -> Self {
        SignalState {
            actions: [Action::default(); NSIG as usize + 1],
            mask: 0,
            pending: 0,
            pending_code: [SI_USER; NSIG as usize + 1],
            altstack: AltStack {
                flags: SS_DISABLE,
                ..AltStack::default()
            },
            suspend_mask: None,
            frames: 0,
            caught_faults: 0,
        }
    }
}

fn bit(sig: u32) -> u64 {
    1u64 << (sig - 1)
}

const UNBLOCKABLE: u64 = (1 << (SIGKILL - 1)) | (1 << (SIGSTOP - 1));

fn valid_signal(sig: u64) -> Result<u32, Errno> {
    match sig {
        1..=64 => Ok(sig as u32),
        _ => Err(EINVAL),
    }
}

fn sig_name(sig: u32) -> String {
    signal_name(sig).map_or_else(
        || format!("SIGRT_{}", sig.saturating_sub(32)),
        str::to_string,
    )
}

fn terminate(r: &Runtime, sig: u32) -> ! {
    if r.strace {
        host::eprintln(&format!("+++ killed by {} +++", sig_name(sig)));
    }
    host::exit(128 + sig)
}

/// Makes `sig` pending, as sent by this process (`code` says how).
fn send(r: &mut Runtime, sig: u32, code: i32) {
    let s = &mut r.signals;
    let handler = s.actions[sig as usize].handler;
    // An ignored signal that is not blocked is discarded at once; a
    // blocked one stays pending, since the action may change meanwhile.
    let ignored = handler == SIG_IGN
        || (handler == SIG_DFL && default_action(sig) != DefaultAction::Terminate);
    if ignored && s.mask & bit(sig) == 0 && sig != SIGKILL {
        return;
    }
    s.pending |= bit(sig);
    s.pending_code[sig as usize] = code;
}

/// A signal the layer raises on the process's own behalf (SIGPIPE: as
/// Linux reports it, sent by the process itself).
pub fn raise(r: &mut Runtime, sig: u32) {
    send(r, sig, SI_USER);
}

/// A signal from "the kernel" (interval timers).
pub fn raise_from_kernel(r: &mut Runtime, sig: u32) {
    send(r, sig, SI_KERNEL);
}

/// A synchronous fault at `pc` (an instruction that could not be
/// translated: SIGILL). As on Linux, a handler runs only if one is installed
/// and the signal is not blocked; then the guest's registers (already in
/// the CPU state) are saved in its frame, with `pc` as the pc to return to,
/// and the handler's address is returned. Otherwise `None`: the caller
/// reports the fault and ends the process.
pub fn fault(r: &mut Runtime, sig: u32, code: i32, pc: u64, addr: u64) -> Option<u64> {
    let act = r.signals.actions[sig as usize];
    let usable = act.handler != SIG_DFL && act.handler != SIG_IGN;
    if !usable || r.signals.mask & bit(sig) != 0 || sigframe::layout(r.arch).is_none() {
        return None;
    }
    if r.strace {
        let name = sig_name(sig);
        host::eprintln(&format!(
            "--- {name} {{si_signo={name}, si_code={}, si_addr={addr:#x}}} ---",
            fault_code_name(sig, code)
        ));
    }
    Some(enter_handler(r, sig, code, Some(addr), act, pc))
}

/// strace's name for a fault's si_code.
fn fault_code_name(sig: u32, code: i32) -> String {
    match (sig, code) {
        (SIGILL, ILL_ILLOPC) => "ILL_ILLOPC".into(),
        (SIGSEGV, SEGV_MAPERR) => "SEGV_MAPERR".into(),
        _ => code.to_string(),
    }
}

/// Whether a pending, unblocked signal would interrupt a wait: one with a
/// handler, or one whose default action ends the process.
pub fn interrupting(r: &Runtime) -> bool {
    let s = &r.signals;
    let ready = s.pending & !s.mask;
    (1..=NSIG).any(|sig| {
        let h = s.actions[sig as usize].handler;
        ready & bit(sig) != 0
            && h != SIG_IGN
            && (h != SIG_DFL || default_action(sig) == DefaultAction::Terminate)
    })
}

/// Delivers the pending signals that are not blocked, as the kernel does
/// on the way back to user mode at `resume_pc`. Returns the pc to continue
/// at: `resume_pc`, or the handler of the last signal a frame was set up
/// for (frames nest, so that handler runs first, as on Linux).
pub fn deliver(r: &mut Runtime, resume_pc: u64) -> u64 {
    super::timers::fire(r);
    let mut pc = resume_pc;
    loop {
        let ready = r.signals.pending & !r.signals.mask;
        if ready == 0 {
            break;
        }
        let sig = ready.trailing_zeros() + 1;
        r.signals.pending &= !bit(sig);
        let code = r.signals.pending_code[sig as usize];
        if r.strace {
            host::eprintln(&signal_line(sig, code));
        }
        let act = r.signals.actions[sig as usize];
        if sig == SIGKILL || act.handler == SIG_DFL {
            if sig == SIGKILL || default_action(sig) == DefaultAction::Terminate {
                terminate(r, sig);
            }
            continue;
        }
        if act.handler == SIG_IGN {
            continue;
        }
        pc = enter_handler(r, sig, code, None, act, pc);
    }
    // A signal ended rt_sigsuspend without a handler frame to restore the
    // mask from: restore it now.
    if let Some(m) = r.signals.suspend_mask.take() {
        r.signals.mask = m;
    }
    pc
}

/// strace's line for a delivered signal.
fn signal_line(sig: u32, code: i32) -> String {
    let name = sig_name(sig);
    let sender = match code {
        SI_KERNEL => return format!("--- {name} {{si_signo={name}, si_code=SI_KERNEL}} ---"),
        SI_TKILL => "SI_TKILL",
        _ => "SI_USER",
    };
    format!("--- {name} {{si_signo={name}, si_code={sender}, si_pid={PID}, si_uid={UID}}} ---")
}

/// Whether `sp` lies on the alternate signal stack.
fn on_altstack(alt: &AltStack, sp: u64) -> bool {
    alt.flags & SS_DISABLE == 0 && sp > alt.sp && sp - alt.sp <= alt.size
}

/// Writes the signal frame for `sig` and points the registers at its
/// handler. Returns the handler's address.
fn enter_handler(
    r: &mut Runtime,
    sig: u32,
    code: i32,
    fault_addr: Option<u64>,
    act: Action,
    resume_pc: u64,
) -> u64 {
    let layout = sigframe::layout(r.arch).expect("startup accepts only known architectures");
    let regs = sigframe::signal_regs(r.arch);
    let st = state();
    let alt = r.signals.altstack;
    let mut sp = st.x[regs.sp];
    let switch = act.flags & sigframe::SA_ONSTACK != 0
        && alt.flags & SS_DISABLE == 0
        && !on_altstack(&alt, sp);
    if switch {
        sp = alt.sp + alt.size;
    }
    let frame = (sp.wrapping_sub(layout.size)) & !15;
    let saved_mask = r.signals.suspend_mask.take().unwrap_or(r.signals.mask);
    let uc_stack = AltStack {
        flags: if alt.flags & SS_DISABLE != 0 {
            SS_DISABLE
        } else if on_altstack(&alt, frame + layout.size) {
            SS_ONSTACK
        } else {
            0
        },
        ..alt
    };
    // The kernel names no sender for its own signals.
    let (pid, uid) = if code == SI_KERNEL {
        (0, 0)
    } else {
        (PID, UID)
    };
    let info = SigInfo {
        signo: sig,
        code,
        pid,
        uid,
        addr: fault_addr,
    };
    let bytes = sigframe::build(r.arch, st, resume_pc, info, saved_mask, uc_stack);
    if r.mem().write(frame, &bytes).is_err() {
        // Linux forces SIGSEGV when the frame cannot be written.
        host::eprintln(&format!(
            "elfconv2: guest SIGSEGV: cannot write the signal frame for {} at {frame:#x} (stack overflow?)",
            sig_name(sig)
        ));
        host::exit(128 + 11)
    }
    if switch && alt.flags & SS_AUTODISARM != 0 {
        r.signals.altstack = AltStack {
            flags: SS_DISABLE,
            ..AltStack::default()
        };
    }
    st.x[regs.arg0] = sig as u64;
    st.x[regs.arg0 + 1] = frame;
    st.x[regs.arg0 + 2] = frame + layout.ucontext;
    st.x[regs.sp] = frame;
    // arm64 returns through the guest's own restorer when it names one (the
    // rt_sigreturn syscall); otherwise, as riscv64 always does, through the
    // address the dispatch loop turns into rt_sigreturn.
    st.x[regs.link] = if act.flags & sigframe::SA_RESTORER != 0 && act.restorer != 0 {
        act.restorer
    } else {
        SIGRETURN_PC
    };
    if let Some(fp) = regs.frame_pointer {
        // The frame record after the frame, so unwinders walk through.
        st.x[fp] = frame + layout.size - 16;
    }
    st.pc = act.handler;
    let s = &mut r.signals;
    let mut blocked = s.mask | act.mask;
    if act.flags & sigframe::SA_NODEFER == 0 {
        blocked |= bit(sig);
    }
    s.mask = blocked & !UNBLOCKABLE;
    if act.flags & sigframe::SA_RESETHAND != 0 {
        s.actions[sig as usize].handler = SIG_DFL;
    }
    s.frames += 1;
    act.handler
}

/// rt_sigreturn's work: takes the registers, mask and alternate stack back
/// from the frame at sp. Returns the pc to continue at.
fn restore_frame(r: &mut Runtime) -> u64 {
    let layout = sigframe::layout(r.arch).expect("no signal frames without a layout");
    let frame = state().x[sigframe::signal_regs(r.arch).sp];
    let Ok(bytes) = r.mem().read_vec(frame, layout.size) else {
        host::eprintln(&format!(
            "elfconv2: guest SIGSEGV: rt_sigreturn with no signal frame at sp {frame:#x}"
        ));
        host::exit(128 + 11)
    };
    let Some(restored) = sigframe::restore(r.arch, &bytes, state()) else {
        host::eprintln(&format!(
            "elfconv2: guest SIGSEGV: rt_sigreturn with a malformed signal frame at sp {frame:#x}"
        ));
        host::exit(128 + 11)
    };
    let s = &mut r.signals;
    s.mask = restored.mask & !UNBLOCKABLE;
    // Like Linux, the alternate stack is taken back from uc_stack too.
    s.altstack = if restored.stack.flags & SS_DISABLE != 0 {
        AltStack {
            flags: SS_DISABLE,
            ..AltStack::default()
        }
    } else {
        AltStack {
            flags: restored.stack.flags & SS_AUTODISARM,
            ..restored.stack
        }
    };
    s.frames = s.frames.saturating_sub(1);
    restored.pc
}

/// The dispatch loop reached `SIGRETURN_PC`: a handler returned.
pub fn return_from_handler(r: &mut Runtime) -> u64 {
    if r.signals.frames == 0 || sigframe::layout(r.arch).is_none() {
        host::eprintln(&format!(
            "elfconv2: guest SIGSEGV: jump to {SIGRETURN_PC:#x} outside a signal handler"
        ));
        host::exit(128 + 11)
    }
    let pc = restore_frame(r);
    if r.strace {
        host::eprintln(&format!(
            "rt_sigreturn({{mask={}}}) = {}",
            crate::strace::sigset(r.signals.mask),
            state().x[sigframe::signal_regs(r.arch).arg0] as i64
        ));
    }
    deliver(r, pc)
}

/// The rt_sigreturn syscall (a guest's own restorer). The result is the
/// restored a0, so writing it back changes nothing.
pub fn rt_sigreturn(r: &mut Runtime, _a: &Args) -> SysResult {
    if r.signals.frames == 0 || sigframe::layout(r.arch).is_none() {
        host::eprintln("elfconv2: guest SIGSEGV: rt_sigreturn outside a signal handler");
        host::exit(128 + 11)
    }
    r.resume_pc = restore_frame(r);
    Ok(state().x[sigframe::signal_regs(r.arch).arg0])
}

pub fn kill(r: &mut Runtime, a: &Args) -> SysResult {
    let pid = a[0] as i32;
    let sig = a[1] as u32;
    if sig > NSIG {
        return Err(EINVAL);
    }
    match pid {
        // Ourselves, or our process group.
        p if p == PID as i32 || p == 0 || p == -(PID as i32) => {
            if sig != 0 {
                send(r, sig, SI_USER);
            }
            Ok(0)
        }
        // "Every process we may signal" excludes the caller on Linux; the
        // others are outside the sandbox, so there is nothing to do.
        -1 => Ok(0),
        _ => Err(ESRCH),
    }
}

pub fn tkill(r: &mut Runtime, a: &Args) -> SysResult {
    let tid = a[0] as i32;
    let sig = a[1] as u32;
    if tid <= 0 || sig > NSIG {
        return Err(EINVAL);
    }
    if tid != TID as i32 {
        return Err(ESRCH);
    }
    if sig != 0 {
        send(r, sig, SI_TKILL);
    }
    Ok(0)
}

pub fn tgkill(r: &mut Runtime, a: &Args) -> SysResult {
    let (tgid, tid, sig) = (a[0] as i32, a[1] as i32, a[2] as u32);
    if tgid <= 0 || tid <= 0 || sig > NSIG {
        return Err(EINVAL);
    }
    if tgid != PID as i32 || tid != TID as i32 {
        return Err(ESRCH);
    }
    if sig != 0 {
        send(r, sig, SI_TKILL);
    }
    Ok(0)
}

pub fn rt_sigaction(r: &mut Runtime, a: &Args) -> SysResult {
    let (act, oldact, setsize) = (a[1], a[2], a[3]);
    if setsize != 8 {
        return Err(EINVAL);
    }
    let sig = valid_signal(a[0] as u32 as u64)?;
    let size = sigframe::sigaction_size(r.arch);
    let m = r.mem();
    let new = if act != 0 {
        if sig == SIGKILL || sig == SIGSTOP {
            return Err(EINVAL);
        }
        let mut b = [0u8; 32];
        m.read(act, &mut b[..size])?;
        let mut action = Action::decode(r.arch, &b);
        action.mask &= !UNBLOCKABLE;
        Some(action)
    } else {
        None
    };
    if oldact != 0 {
        m.write(oldact, &r.signals.actions[sig as usize].encode(r.arch))?;
    }
    if let Some(action) = new {
        r.signals.actions[sig as usize] = action;
        let h = action.handler;
        // Setting SIG_IGN (or SIG_DFL for an ignored-by-default signal)
        // discards a pending instance, as POSIX requires.
        if h == SIG_IGN || (h == SIG_DFL && default_action(sig) != DefaultAction::Terminate) {
            r.signals.pending &= !bit(sig);
        }
    }
    Ok(0)
}

pub fn rt_sigprocmask(r: &mut Runtime, a: &Args) -> SysResult {
    let (how, set, oldset, setsize) = (a[0] as u32, a[1], a[2], a[3]);
    if setsize != 8 {
        return Err(EINVAL);
    }
    let m = r.mem();
    let old = r.signals.mask;
    let new = if set != 0 {
        let s = m.read_u64(set)?;
        Some(match how {
            SIG_BLOCK => old | s,
            SIG_UNBLOCK => old & !s,
            SIG_SETMASK => s,
            _ => return Err(EINVAL),
        })
    } else {
        None
    };
    if oldset != 0 {
        m.write_u64(oldset, old)?;
    }
    if let Some(mask) = new {
        // Newly unblocked pending signals are delivered as this returns.
        r.signals.mask = mask & !UNBLOCKABLE;
    }
    Ok(0)
}

pub fn rt_sigpending(r: &mut Runtime, a: &Args) -> SysResult {
    if a[1] > 8 {
        return Err(EINVAL);
    }
    let bytes = r.signals.pending.to_le_bytes();
    r.mem().write(a[0], &bytes[..a[1] as usize])?;
    Ok(0)
}

/// rt_sigsuspend(mask, size): waits for a signal with `mask` in place.
/// One thread cannot be signalled while it waits, so only a signal that is
/// already pending can end the wait.
pub fn rt_sigsuspend(r: &mut Runtime, a: &Args) -> SysResult {
    if a[1] != 8 {
        return Err(EINVAL);
    }
    let mask = r.mem().read_u64(a[0])? & !UNBLOCKABLE;
    r.signals.suspend_mask = Some(r.signals.mask);
    r.signals.mask = mask;
    // Only a pending signal or a timer can end the wait.
    Err(super::timers::wait_for_signal(
        r,
        "rt_sigsuspend waits for a signal no one can send",
    ))
}

/// rt_sigtimedwait(set, info, timeout, size): takes a pending signal of
/// `set` without running its handler.
pub fn rt_sigtimedwait(r: &mut Runtime, a: &Args) -> SysResult {
    if a[3] != 8 {
        return Err(EINVAL);
    }
    let m = r.mem();
    let set = m.read_u64(a[0])? & !UNBLOCKABLE;
    let timeout = if a[2] != 0 {
        let mut b = [0u8; 16];
        m.read(a[2], &mut b)?;
        Some(Timespec::from_bytes(&b).to_nanos().ok_or(EINVAL)?)
    } else {
        None
    };
    let end = timeout.map(|t| host::monotonic_ns().saturating_add(t));
    loop {
        super::timers::fire(r);
        let ready = r.signals.pending & set;
        if ready != 0 {
            let sig = ready.trailing_zeros() + 1;
            r.signals.pending &= !bit(sig);
            if a[1] != 0 {
                let code = r.signals.pending_code[sig as usize];
                let (pid, uid) = if code == SI_KERNEL {
                    (0, 0)
                } else {
                    (PID, UID)
                };
                let mut info = [0u8; 128];
                info[0..4].copy_from_slice(&sig.to_le_bytes());
                info[8..12].copy_from_slice(&code.to_le_bytes());
                info[16..20].copy_from_slice(&pid.to_le_bytes());
                info[20..24].copy_from_slice(&uid.to_le_bytes());
                r.mem().write(a[1], &info)?;
            }
            return Ok(sig as u64);
        }
        // Another signal with a handler ends the wait too.
        if interrupting(r) {
            return Err(EINTR);
        }
        let left = end.map(|e| e.saturating_sub(host::monotonic_ns()));
        if left == Some(0) {
            return Err(EAGAIN);
        }
        match super::timers::wait_budget(r, left).0 {
            Some(ns) => host::sleep_ns(ns)?,
            None => super::process::deadlock("rt_sigtimedwait waits for a signal no one can send"),
        }
    }
}

pub fn sigaltstack(r: &mut Runtime, a: &Args) -> SysResult {
    let (ss, old) = (a[0], a[1]);
    let m = r.mem();
    let sp = state().x[sigframe::signal_regs(r.arch).sp];
    let cur = r.signals.altstack;
    let on_it = on_altstack(&cur, sp);
    let new = if ss != 0 {
        let mut b = [0u8; 24];
        m.read(ss, &mut b)?;
        let flags = u32::from_le_bytes(b[8..12].try_into().unwrap());
        let size = u64::from_le_bytes(b[16..24].try_into().unwrap());
        let mode = flags & !SS_AUTODISARM;
        if mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK {
            return Err(EINVAL);
        }
        if on_it {
            return Err(EPERM);
        }
        if mode == SS_DISABLE {
            Some(AltStack {
                flags: SS_DISABLE,
                ..AltStack::default()
            })
        } else {
            if size < crate::stack::min_sigstksz(r.arch) {
                return Err(ENOMEM);
            }
            Some(AltStack {
                sp: u64::from_le_bytes(b[0..8].try_into().unwrap()),
                flags: flags & SS_AUTODISARM,
                size,
            })
        }
    } else {
        None
    };
    if old != 0 {
        let mut d = [0u8; 24];
        let flags = if cur.flags & SS_DISABLE != 0 {
            SS_DISABLE
        } else if on_it {
            SS_ONSTACK | (cur.flags & SS_AUTODISARM)
        } else {
            cur.flags & SS_AUTODISARM
        };
        d[0..8].copy_from_slice(&cur.sp.to_le_bytes());
        d[8..12].copy_from_slice(&flags.to_le_bytes());
        d[16..24].copy_from_slice(&cur.size.to_le_bytes());
        m.write(old, &d)?;
    }
    if let Some(v) = new {
        r.signals.altstack = v;
    }
    Ok(0)
}
