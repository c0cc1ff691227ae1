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

pub fn sysinfo(r: &mut Runtime, a: &Args) -> SysResult {
    // "RAM" is the guest address space; what is not yet backed is free.
    let used = super::guest_limit();
    let uptime = host::monotonic_ns() / 1_000_000_000;
    let b = sysinfo_bytes(
        uptime,
        GUEST_ADDR_LIMIT,
        GUEST_ADDR_LIMIT.saturating_sub(used),
        1,
    );
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
