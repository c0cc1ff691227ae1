//! Clocks and sleeping, on the WASI realtime and monotonic clocks.

use super::dispatch::Args;
use super::host;
use super::identity::PID;
use super::{timers, Runtime};
use crate::errno::*;
use crate::linux::*;

/// Current time of a Linux clock class, in nanoseconds.
pub fn now(r: &Runtime, kind: ClockKind) -> u64 {
    match kind {
        ClockKind::Realtime => host::realtime_ns(),
        ClockKind::Monotonic => host::monotonic_ns(),
        // Not every runtime has a CPU-time clock; with one thread that
        // never blocks for long, time since start-up is a fair stand-in.
        ClockKind::CpuTime => host::clock_ns(wasi::CLOCKID_PROCESS_CPUTIME_ID)
            .unwrap_or_else(|_| host::monotonic_ns().saturating_sub(r.start_ns)),
    }
}

fn read_timespec(r: &Runtime, addr: u64) -> Result<u64, Errno> {
    let mut b = [0u8; 16];
    r.mem().read(addr, &mut b)?;
    Timespec::from_bytes(&b).to_nanos().ok_or(EINVAL)
}

pub fn clock_gettime(r: &mut Runtime, a: &Args) -> SysResult {
    let kind = clock_kind(a[0] as i32, PID).ok_or(EINVAL)?;
    let ns = now(r, kind);
    r.mem().write(a[1], &Timespec::from_nanos(ns).to_bytes())?;
    Ok(0)
}

pub fn clock_getres(r: &mut Runtime, a: &Args) -> SysResult {
    let id = a[0] as i32;
    clock_kind(id, PID).ok_or(EINVAL)?;
    if a[1] != 0 {
        // Linux: 1 ns for high-resolution clocks, one tick (4 ms at
        // HZ=250) for the coarse ones.
        let coarse = id == CLOCK_REALTIME_COARSE as i32 || id == CLOCK_MONOTONIC_COARSE as i32;
        let res = if coarse { 4_000_000 } else { 1 };
        r.mem().write(a[1], &Timespec::from_nanos(res).to_bytes())?;
    }
    Ok(0)
}

pub fn gettimeofday(r: &mut Runtime, a: &Args) -> SysResult {
    let m = r.mem();
    if a[0] != 0 {
        m.write(a[0], &timeval_bytes(host::realtime_ns()))?;
    }
    if a[1] != 0 {
        m.write(a[1], &[0u8; 8])?; // struct timezone: UTC, no DST
    }
    Ok(0)
}

/// Sleeps `ns`; when a timer's signal interrupts the sleep, EINTR, with the
/// time left written to `rem` (if not NULL).
fn sleep_or_eintr(r: &mut Runtime, ns: u64, rem: u64) -> SysResult {
    match timers::sleep(r, ns) {
        Ok(()) => Ok(0),
        Err((EINTR, left)) => {
            if rem != 0 {
                r.mem().write(rem, &Timespec::from_nanos(left).to_bytes())?;
            }
            Err(EINTR)
        }
        Err((e, _)) => Err(e),
    }
}

pub fn nanosleep(r: &mut Runtime, a: &Args) -> SysResult {
    let ns = read_timespec(r, a[0])?;
    sleep_or_eintr(r, ns, a[1])
}

pub fn clock_nanosleep(r: &mut Runtime, a: &Args) -> SysResult {
    let id = a[0] as i32;
    let kind = clock_kind(id, PID).ok_or(EINVAL)?;
    if id == CLOCK_THREAD_CPUTIME_ID as i32 {
        return Err(EINVAL); // Linux refuses to sleep on the thread's CPU clock
    }
    let ns = read_timespec(r, a[2])?;
    if a[1] as u32 & TIMER_ABSTIME != 0 {
        // An absolute sleep has no time "left" to report.
        sleep_or_eintr(r, ns.saturating_sub(now(r, kind)), 0)
    } else {
        sleep_or_eintr(r, ns, a[3])
    }
}

/// This process's CPU time so far (user time; system time is not measured).
fn cpu_ns(r: &Runtime) -> u64 {
    now(r, ClockKind::CpuTime)
}

/// times(buf): CPU times in clock ticks (AT_CLKTCK = 100 per second); the
/// result is ticks since an arbitrary point (here: the host's monotonic
/// clock), as Linux counts from boot.
pub fn times(r: &mut Runtime, a: &Args) -> SysResult {
    const NS_PER_TICK: u64 = 10_000_000;
    if a[0] != 0 {
        let mut b = [0u8; 32];
        b[0..8].copy_from_slice(&(cpu_ns(r) / NS_PER_TICK).to_le_bytes());
        // tms_stime, tms_cutime, tms_cstime: no system time, no children.
        r.mem().write(a[0], &b)?;
    }
    Ok(host::monotonic_ns() / NS_PER_TICK)
}

/// getrusage(who, usage).
pub fn getrusage(r: &mut Runtime, a: &Args) -> SysResult {
    const RUSAGE_SELF: i32 = 0;
    const RUSAGE_THREAD: i32 = 1;
    const RUSAGE_CHILDREN: i32 = -1;
    let mut b = [0u8; 144];
    match a[0] as i32 {
        RUSAGE_SELF | RUSAGE_THREAD => {
            b[0..16].copy_from_slice(&timeval_bytes(cpu_ns(r)));
            // ru_maxrss in KiB: the guest memory backed so far.
            let rss_kib = super::guest_limit().saturating_sub(r.image.image_start) / 1024;
            b[32..40].copy_from_slice(&rss_kib.to_le_bytes());
        }
        RUSAGE_CHILDREN => {}
        _ => return Err(EINVAL),
    }
    r.mem().write(a[1], &b)?;
    Ok(0)
}
