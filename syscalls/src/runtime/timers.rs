//! Interval timers (setitimer, getitimer, and so alarm) and the sleeps
//! they can interrupt.
//!
//! A timer's signal is raised when the layer next looks: at every syscall
//! exit, and while it waits (sleeps, poll, sigsuspend, futex waits), which
//! it cuts short at the next ITIMER_REAL expiry. A wait that the signal
//! interrupts ends with EINTR, as on Linux. A loop that makes no syscalls
//! sees its signal only at its next syscall: nothing can interrupt lifted
//! code.

use super::dispatch::Args;
use super::{host, process, signal, time, Runtime};
use crate::errno::*;
use crate::linux::*;

const ITIMER_REAL: usize = 0;
const ITIMER_VIRTUAL: usize = 1;
const ITIMER_PROF: usize = 2;

/// One armed timer: its next expiry on its clock, and the reload interval.
#[derive(Clone, Copy, Debug)]
pub struct Timer {
    deadline: u64,
    interval: u64,
}

/// The three timers of setitimer, by `which`.
#[derive(Default)]
pub struct Timers([Option<Timer>; 3]);

/// The signal each timer sends.
const SIGNALS: [u32; 3] = [SIGALRM, SIGVTALRM, SIGPROF];

/// The clock a timer runs on: wall time for ITIMER_REAL, CPU time for the
/// others (one thread: user and system time are not told apart).
fn clock(r: &Runtime, which: usize) -> u64 {
    if which == ITIMER_REAL {
        host::monotonic_ns()
    } else {
        time::now(r, ClockKind::CpuTime)
    }
}

/// Raises the signals of the timers that expired, and re-arms or disarms
/// them.
pub fn fire(r: &mut Runtime) {
    for which in 0..3 {
        let Some(t) = r.timers.0[which] else { continue };
        let now = clock(r, which);
        if now < t.deadline {
            continue;
        }
        signal::raise_from_kernel(r, SIGNALS[which]);
        r.timers.0[which] = (t.interval > 0).then(|| {
            // Expiries missed while nobody looked coalesce into one signal.
            let missed = (now - t.deadline) / t.interval + 1;
            Timer {
                deadline: t.deadline + missed * t.interval,
                interval: t.interval,
            }
        });
    }
}

/// Time until ITIMER_REAL fires, if it is armed (CPU timers do not advance
/// while the process waits).
fn until_real_timer(r: &Runtime) -> Option<u64> {
    r.timers.0[ITIMER_REAL].map(|t| t.deadline.saturating_sub(host::monotonic_ns()))
}

/// Sleeps `ns` nanoseconds, or until a timer's signal interrupts the
/// sleep: then EINTR, with the time that was left.
pub fn sleep(r: &mut Runtime, ns: u64) -> Result<(), (Errno, u64)> {
    let end = host::monotonic_ns().saturating_add(ns);
    loop {
        let now = host::monotonic_ns();
        if now >= end {
            return Ok(());
        }
        match until_real_timer(r) {
            Some(t) if now + t < end => {
                host::sleep_ns(t).map_err(|e| (e, end - now))?;
                fire(r);
                if signal::interrupting(r) {
                    return Err((EINTR, end.saturating_sub(host::monotonic_ns())));
                }
            }
            // Checked again: a host may wake early (node:wasi's poll_oneoff
            // does), and the guest must sleep at least the time it asked.
            _ => host::sleep_ns(end - now).map_err(|e| (e, end - now))?,
        }
    }
}

/// Waits for a signal that only a timer can send (pause, sigsuspend, a
/// futex wait without timeout); a deadlock if no timer is armed.
pub fn wait_for_signal(r: &mut Runtime, what: &str) -> Errno {
    loop {
        fire(r);
        if signal::interrupting(r) {
            return EINTR;
        }
        match until_real_timer(r) {
            Some(t) => {
                if let Err(e) = host::sleep_ns(t) {
                    return e;
                }
            }
            None => process::deadlock(what),
        }
    }
}

/// How long a wait with a timeout (`None`: forever) may last before it must
/// look at the timers; the flag says the timer comes first.
pub fn wait_budget(r: &Runtime, timeout: Option<u64>) -> (Option<u64>, bool) {
    match (until_real_timer(r), timeout) {
        (Some(t), Some(limit)) if t < limit => (Some(t), true),
        (Some(t), None) => (Some(t), true),
        (_, limit) => (limit, false),
    }
}

/// `struct itimerval` (interval, then value; each a timeval).
fn itimerval_bytes(interval: u64, value: u64) -> [u8; 32] {
    let mut b = [0u8; 32];
    b[..16].copy_from_slice(&timeval_bytes(interval));
    b[16..].copy_from_slice(&timeval_bytes(value));
    b
}

/// A guest timeval as nanoseconds; EINVAL unless 0 <= usec < 1e6.
fn timeval_ns(b: &[u8]) -> Result<u64, Errno> {
    let sec = i64::from_le_bytes(b[0..8].try_into().unwrap());
    let usec = i64::from_le_bytes(b[8..16].try_into().unwrap());
    if sec < 0 || !(0..1_000_000).contains(&usec) {
        return Err(EINVAL);
    }
    Ok((sec as u64).saturating_mul(1_000_000_000) + usec as u64 * 1000)
}

fn current(r: &Runtime, which: usize) -> [u8; 32] {
    match r.timers.0[which] {
        Some(t) => {
            // An armed timer never reads as 0 left (that would mean off).
            let left = t.deadline.saturating_sub(clock(r, which)).max(1000);
            itimerval_bytes(t.interval, left)
        }
        None => [0; 32],
    }
}

fn which_timer(a: u64) -> Result<usize, Errno> {
    match a as u32 as usize {
        w @ (ITIMER_REAL | ITIMER_VIRTUAL | ITIMER_PROF) => Ok(w),
        _ => Err(EINVAL),
    }
}

pub fn getitimer(r: &mut Runtime, a: &Args) -> SysResult {
    let which = which_timer(a[0])?;
    r.mem().write(a[1], &current(r, which))?;
    Ok(0)
}

/// setitimer(which, new, old): a value of 0 disarms.
pub fn setitimer(r: &mut Runtime, a: &Args) -> SysResult {
    let which = which_timer(a[0])?;
    // A NULL new value disarms, as Linux still accepts for old programs.
    let (interval, value) = if a[1] != 0 {
        let b = r.mem().read_vec(a[1], 32)?;
        (timeval_ns(&b[..16])?, timeval_ns(&b[16..])?)
    } else {
        (0, 0)
    };
    if a[2] != 0 {
        r.mem().write(a[2], &current(r, which))?;
    }
    r.timers.0[which] = (value > 0).then(|| Timer {
        deadline: clock(r, which).saturating_add(value),
        interval,
    });
    Ok(0)
}
