//! Signals. Handlers are recorded but cannot run yet; what matters now is
//! that a program signalling itself dies the way Linux would make it die
//! (abort() -> SIGABRT -> exit status 134), including signals that were
//! blocked when sent and are delivered when unblocked.

use super::dispatch::Args;
use super::host;
use super::identity::{PID, TID};
use super::Runtime;
use crate::errno::*;
use crate::linux::*;

pub struct SignalState {
    /// The kernel `struct sigaction` bytes per signal (1..=64), in the
    /// architecture's layout (24 or 32 bytes used).
    actions: [[u8; 32]; NSIG as usize + 1],
    /// Blocked signals (bit n-1 for signal n).
    mask: u64,
    /// Sent while blocked, not yet delivered.
    pending: u64,
    /// The sigaltstack `stack_t`, if one was set.
    altstack: Option<[u8; 24]>,
}

impl SignalState {
    pub fn new() -> Self {
        SignalState {
            actions: [[0; 32]; NSIG as usize + 1],
            mask: 0,
            pending: 0,
            altstack: None,
        }
    }

    fn handler(&self, sig: u32) -> u64 {
        u64::from_le_bytes(self.actions[sig as usize][0..8].try_into().unwrap())
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

fn terminate(r: &Runtime, sig: u32) -> ! {
    if r.strace {
        let name = signal_name(sig).map_or_else(|| format!("signal {sig}"), str::to_string);
        host::eprintln(&format!("+++ killed by {name} +++"));
    }
    host::exit(128 + sig)
}

/// Acts on a signal that is not blocked.
fn deliver(r: &Runtime, sig: u32) {
    let handler = r.signals.handler(sig);
    if sig == SIGKILL || handler == SIG_DFL {
        if default_action(sig) == DefaultAction::Terminate || sig == SIGKILL {
            terminate(r, sig);
        }
        return;
    }
    if handler == SIG_IGN {
        return;
    }
    // A user handler: running it needs a signal frame and re-entry into
    // the lifted code, which this version does not do.
    let name = signal_name(sig).map_or_else(|| format!("signal {sig}"), str::to_string);
    host::eprintln(&format!(
        "elfconv2: guest {name} has a handler at {handler:#x}, but running signal handlers is not supported; terminating"
    ));
    host::exit(128 + sig)
}

/// Delivers the pending signals that are no longer blocked.
fn deliver_pending(r: &mut Runtime) {
    let ready = r.signals.pending & !r.signals.mask;
    for sig in 1..=NSIG {
        if ready & bit(sig) != 0 {
            r.signals.pending &= !bit(sig);
            deliver(r, sig);
        }
    }
}

/// Sends `sig` to ourselves.
fn send(r: &mut Runtime, sig: u32) -> SysResult {
    if sig == 0 {
        return Ok(0); // existence check only
    }
    if r.signals.mask & bit(sig) != 0 {
        r.signals.pending |= bit(sig);
    } else {
        deliver(r, sig);
    }
    Ok(0)
}

pub fn kill(r: &mut Runtime, a: &Args) -> SysResult {
    let pid = a[0] as i32;
    let sig = a[1] as u32;
    if sig > NSIG {
        return Err(EINVAL);
    }
    match pid {
        // Ourselves, or our process group.
        p if p == PID as i32 || p == 0 || p == -(PID as i32) => send(r, sig),
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
    send(r, sig)
}

pub fn tgkill(r: &mut Runtime, a: &Args) -> SysResult {
    let (tgid, tid, sig) = (a[0] as i32, a[1] as i32, a[2] as u32);
    if tgid <= 0 || tid <= 0 || sig > NSIG {
        return Err(EINVAL);
    }
    if tgid != PID as i32 || tid != TID as i32 {
        return Err(ESRCH);
    }
    send(r, sig)
}

pub fn rt_sigaction(r: &mut Runtime, a: &Args) -> SysResult {
    let (act, oldact, setsize) = (a[1], a[2], a[3]);
    if setsize != 8 {
        return Err(EINVAL);
    }
    let sig = valid_signal(a[0] as u32 as u64)?;
    let size = kernel_sigaction_size(r.arch);
    let m = r.mem();
    let new = if act != 0 {
        if sig == SIGKILL || sig == SIGSTOP {
            return Err(EINVAL);
        }
        let mut b = [0u8; 32];
        m.read(act, &mut b[..size])?;
        Some(b)
    } else {
        None
    };
    if oldact != 0 {
        m.write(oldact, &r.signals.actions[sig as usize][..size])?;
    }
    if let Some(b) = new {
        r.signals.actions[sig as usize] = b;
        let h = r.signals.handler(sig);
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
    if set != 0 {
        let s = m.read_u64(set)?;
        let mask = match how {
            SIG_BLOCK => old | s,
            SIG_UNBLOCK => old & !s,
            SIG_SETMASK => s,
            _ => return Err(EINVAL),
        };
        r.signals.mask = mask & !UNBLOCKABLE;
    }
    if oldset != 0 {
        m.write_u64(oldset, old)?;
    }
    deliver_pending(r);
    Ok(0)
}

pub fn sigaltstack(r: &mut Runtime, a: &Args) -> SysResult {
    const SS_AUTODISARM: u32 = 1 << 31;
    const MINSIGSTKSZ: u64 = 2048;
    let (ss, old) = (a[0], a[1]);
    let m = r.mem();
    let new = if ss != 0 {
        let mut b = [0u8; 24];
        m.read(ss, &mut b)?;
        let flags = u32::from_le_bytes(b[8..12].try_into().unwrap());
        let size = u64::from_le_bytes(b[16..24].try_into().unwrap());
        if flags & !(SS_DISABLE | SS_AUTODISARM) != 0 {
            return Err(EINVAL);
        }
        if flags & SS_DISABLE == 0 && size < MINSIGSTKSZ {
            return Err(ENOMEM);
        }
        Some(if flags & SS_DISABLE != 0 {
            None
        } else {
            Some(b)
        })
    } else {
        None
    };
    if old != 0 {
        let cur = r.signals.altstack.unwrap_or_else(|| {
            let mut d = [0u8; 24];
            d[8..12].copy_from_slice(&SS_DISABLE.to_le_bytes());
            d
        });
        m.write(old, &cur)?;
    }
    if let Some(v) = new {
        r.signals.altstack = v;
    }
    Ok(0)
}
