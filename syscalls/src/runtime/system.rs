//! The machine as the guest sees it: uname, memory, CPUs, randomness.

use super::dispatch::Args;
use super::host;
use super::Runtime;
use crate::abi::GUEST_ADDR_LIMIT;
use crate::errno::*;
use crate::linux::*;

/// The kernel release reported by uname: a current LTS, so glibc's
/// minimum-kernel checks pass.
pub const KERNEL_RELEASE: &str = "6.1.0";

pub fn uname(r: &mut Runtime, a: &Args) -> SysResult {
    let b = utsname_bytes([
        "Linux",
        "localhost",
        KERNEL_RELEASE,
        "#1 SMP elfconv2",
        machine_name(r.arch),
        "(none)",
    ]);
    r.mem().write(a[0], &b)?;
    Ok(0)
}

/// Processors the guest sees: it has one thread, and Wasm runs it on one
/// core (sched_getaffinity, /proc/cpuinfo, sysinfo agree).
pub const CPUS: u32 = 1;

/// (total, free) "RAM" in bytes, for sysinfo, /proc/meminfo and statfs:
/// the guest address space; what is not yet backed is free.
pub fn memory(_r: &Runtime) -> (u64, u64) {
    let used = super::guest_limit();
    (GUEST_ADDR_LIMIT, GUEST_ADDR_LIMIT.saturating_sub(used))
}

pub fn sysinfo(r: &mut Runtime, a: &Args) -> SysResult {
    let (total, free) = memory(r);
    let uptime = host::monotonic_ns() / 1_000_000_000;
    let b = sysinfo_bytes(uptime, total, free, 1);
    r.mem().write(a[0], &b)?;
    Ok(0)
}

/// One CPU: the guest has one thread and Wasm runs it on one core.
pub fn sched_getaffinity(r: &mut Runtime, a: &Args) -> SysResult {
    let pid = a[0] as i32;
    if pid != 0 && pid != super::identity::PID as i32 {
        return Err(ESRCH);
    }
    let len = a[1];
    if len < 8 || len & 7 != 0 {
        return Err(EINVAL);
    }
    r.mem().write(a[2], &1u64.to_le_bytes())?;
    Ok(8)
}

pub fn sched_yield(_r: &mut Runtime, _a: &Args) -> SysResult {
    // SAFETY: plain WASI call.
    let _ = unsafe { wasi::sched_yield() };
    Ok(0)
}

pub fn getrandom(r: &mut Runtime, a: &Args) -> SysResult {
    const GRND_NONBLOCK: u32 = 1;
    const GRND_RANDOM: u32 = 2;
    const GRND_INSECURE: u32 = 4;
    let flags = a[2] as u32;
    if flags & !(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) != 0 {
        return Err(EINVAL);
    }
    // Linux returns at most 32 MiB - 1 per call.
    let len = a[1].min((32 << 20) - 1);
    let p = r.mem().ptr(a[0], len)?;
    host::random_fill(p, len as usize)?;
    Ok(len)
}

/// With one thread every barrier is trivially complete.
pub fn membarrier(_r: &mut Runtime, a: &Args) -> SysResult {
    const QUERY: u32 = 0;
    const GLOBAL: u64 = 1;
    const PRIVATE_EXPEDITED: u64 = 8;
    const REGISTER_PRIVATE_EXPEDITED: u64 = 16;
    match a[0] as u32 {
        QUERY => Ok(GLOBAL | PRIVATE_EXPEDITED | REGISTER_PRIVATE_EXPEDITED),
        1 | 8 | 16 => Ok(0),
        _ => Err(EINVAL),
    }
}

fn check_self(pid: u64) -> Result<(), Errno> {
    let pid = pid as i32;
    if pid < 0 {
        return Err(EINVAL);
    }
    if pid != 0 && pid != super::identity::PID as i32 {
        return Err(ESRCH);
    }
    Ok(())
}

/// sched_setaffinity: any mask that includes the one CPU is fine.
pub fn sched_setaffinity(r: &mut Runtime, a: &Args) -> SysResult {
    check_self(a[0])?;
    if a[1] == 0 {
        return Err(EINVAL);
    }
    let first = r.mem().read_vec(a[2], 1)?;
    if first[0] & 1 == 0 {
        return Err(EINVAL);
    }
    Ok(0)
}

const SCHED_OTHER: u64 = 0;
const SCHED_BATCH: u64 = 3;
const SCHED_IDLE: u64 = 5;

/// The process runs under SCHED_OTHER with static priority 0; the
/// real-time policies need privileges the guest does not have.
pub fn sched_getscheduler(_r: &mut Runtime, a: &Args) -> SysResult {
    check_self(a[0])?;
    Ok(SCHED_OTHER)
}

pub fn sched_setscheduler(r: &mut Runtime, a: &Args) -> SysResult {
    check_self(a[0])?;
    let priority = r.mem().read_u32(a[2])?;
    match a[1] & 0xff {
        SCHED_OTHER | SCHED_BATCH | SCHED_IDLE if priority == 0 => Ok(0),
        SCHED_OTHER | SCHED_BATCH | SCHED_IDLE => Err(EINVAL),
        1 | 2 => Err(EPERM), // SCHED_FIFO, SCHED_RR
        _ => Err(EINVAL),
    }
}

pub fn sched_getparam(r: &mut Runtime, a: &Args) -> SysResult {
    check_self(a[0])?;
    r.mem().write_u32(a[1], 0)?;
    Ok(0)
}

pub fn sched_setparam(r: &mut Runtime, a: &Args) -> SysResult {
    check_self(a[0])?;
    if r.mem().read_u32(a[1])? != 0 {
        return Err(EINVAL);
    }
    Ok(0)
}

/// Priority range of a policy: 1..99 for the real-time ones, 0 otherwise.
pub fn sched_get_priority_max(_r: &mut Runtime, a: &Args) -> SysResult {
    match a[0] {
        1 | 2 => Ok(99),
        SCHED_OTHER | SCHED_BATCH | SCHED_IDLE => Ok(0),
        _ => Err(EINVAL),
    }
}

pub fn sched_get_priority_min(_r: &mut Runtime, a: &Args) -> SysResult {
    match a[0] {
        1 | 2 => Ok(1),
        SCHED_OTHER | SCHED_BATCH | SCHED_IDLE => Ok(0),
        _ => Err(EINVAL),
    }
}

/// getcpu(cpu*, node*, cache): always CPU 0 of node 0.
pub fn getcpu(r: &mut Runtime, a: &Args) -> SysResult {
    let m = r.mem();
    if a[0] != 0 {
        m.write_u32(a[0], 0)?;
    }
    if a[1] != 0 {
        m.write_u32(a[1], 0)?;
    }
    Ok(0)
}

/// personality: plain Linux (PER_LINUX) is the only one.
pub fn personality(_r: &mut Runtime, a: &Args) -> SysResult {
    const QUERY: u32 = 0xffff_ffff;
    match a[0] as u32 {
        QUERY | 0 => Ok(0),
        _ => Err(EINVAL),
    }
}

/// riscv_flush_icache: translated code never changes, so there is nothing
/// to flush (self-modifying code is not supported at all).
pub fn riscv_flush_icache(_r: &mut Runtime, a: &Args) -> SysResult {
    if a[2] & !1 != 0 {
        return Err(EINVAL);
    }
    Ok(0)
}
