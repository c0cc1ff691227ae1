//! Process lifetime and per-process settings: exit, thread bookkeeping that
//! glibc sets up at start (tid address, robust list, rseq), futexes for a
//! single thread, resource limits and the process name.

use super::dispatch::Args;
use super::host;
use super::identity::{PID, TID};
use super::Runtime;
use crate::errno::*;
use crate::linux::*;

/// RLIMIT_NOFILE, and the size of the guest fd table.
pub const NOFILE_LIMIT: u64 = 1024;

pub struct ProcessState {
    /// set_tid_address: where a thread's exit would clear its tid.
    pub clear_child_tid: u64,
    /// (soft, hard) for each RLIMIT_*.
    pub rlimits: [(u64, u64); RLIM_NLIMITS as usize],
    /// The thread name (prctl PR_SET_NAME), NUL-padded.
    pub comm: [u8; 16],
    /// The nice value (setpriority).
    pub nice: i32,
}

impl ProcessState {
    pub fn new(argv0: &[u8]) -> Self {
        let mut rlimits = [(RLIM_INFINITY, RLIM_INFINITY); RLIM_NLIMITS as usize];
        rlimits[RLIMIT_STACK as usize] = (crate::abi::GUEST_STACK_SIZE, RLIM_INFINITY);
        rlimits[RLIMIT_NOFILE as usize] = (NOFILE_LIMIT, NOFILE_LIMIT);
        // Linux names a process after the basename of the file it runs.
        let base = argv0.rsplit(|&b| b == b'/').next().unwrap_or(b"");
        let mut comm = [0u8; 16];
        let n = base.len().min(15);
        comm[..n].copy_from_slice(&base[..n]);
        ProcessState {
            clear_child_tid: 0,
            rlimits,
            comm,
            nice: 0,
        }
    }
}

/// Ends the process with `status & 0xff`, as strace reports it.
fn exit_process(r: &Runtime, status: u64) -> ! {
    let code = status as u32 & 0xff;
    if r.strace {
        host::eprintln(&format!("+++ exited with {code} +++"));
    }
    host::exit(code)
}

pub fn exit(r: &mut Runtime, a: &Args) -> SysResult {
    // The only thread exiting ends the process.
    exit_process(r, a[0])
}

pub fn exit_group(r: &mut Runtime, a: &Args) -> SysResult {
    exit_process(r, a[0])
}

pub fn set_tid_address(r: &mut Runtime, a: &Args) -> SysResult {
    r.process.clear_child_tid = a[0];
    Ok(TID as u64)
}

pub fn set_robust_list(_r: &mut Runtime, a: &Args) -> SysResult {
    // The list only matters when a thread dies holding a lock.
    if a[1] != 24 {
        return Err(EINVAL); // sizeof(struct robust_list_head)
    }
    Ok(0)
}

/// Restartable sequences need kernel help on preemption; glibc copes with
/// ENOSYS by not using them.
pub fn rseq(_r: &mut Runtime, _a: &Args) -> SysResult {
    Err(ENOSYS)
}

/// Ends the program when the only thread waits for something only another
/// thread could do: Linux would hang forever; a clear report is better.
pub fn deadlock(what: &str) -> ! {
    host::eprintln(&format!(
        "elfconv2: guest deadlock: {what}, and there is no other thread"
    ));
    host::exit(128 + SIGABRT)
}

/// Futexes with exactly one thread: nobody else can be waiting (wakes
/// wake no one) and nobody else can wake us (a wait without timeout whose
/// value matches is a deadlock).
pub fn futex(r: &mut Runtime, a: &Args) -> SysResult {
    let (uaddr, op, val) = (a[0], a[1] as u32, a[2] as u32);
    let cmd = op & !(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    let m = r.mem();
    if uaddr & 3 != 0 {
        return Err(EINVAL);
    }
    match cmd {
        FUTEX_WAIT | FUTEX_WAIT_BITSET => {
            if cmd == FUTEX_WAIT_BITSET && a[5] as u32 == 0 {
                return Err(EINVAL);
            }
            if m.read_u32(uaddr)? != val {
                return Err(EAGAIN);
            }
            if a[3] == 0 {
                // Only a timer's signal can end this wait.
                let what = format!("futex wait on {uaddr:#x} with no timeout");
                return Err(super::timers::wait_for_signal(r, &what));
            }
            let mut b = [0u8; 16];
            m.read(a[3], &mut b)?;
            let ns = Timespec::from_bytes(&b).to_nanos().ok_or(EINVAL)?;
            // FUTEX_WAIT takes a relative timeout, WAIT_BITSET an absolute one.
            let wait = if cmd == FUTEX_WAIT {
                ns
            } else {
                let now = if op & FUTEX_CLOCK_REALTIME != 0 {
                    host::realtime_ns()
                } else {
                    host::monotonic_ns()
                };
                ns.saturating_sub(now)
            };
            match super::timers::sleep(r, wait) {
                Ok(()) => Err(ETIMEDOUT),
                Err((e, _)) => Err(e),
            }
        }
        FUTEX_WAKE | FUTEX_WAKE_BITSET | FUTEX_REQUEUE => Ok(0),
        FUTEX_CMP_REQUEUE => {
            if m.read_u32(uaddr)? != a[5] as u32 {
                return Err(EAGAIN);
            }
            Ok(0)
        }
        FUTEX_WAKE_OP => {
            let uaddr2 = a[4];
            if uaddr2 & 3 != 0 {
                return Err(EINVAL);
            }
            let old = m.read_u32(uaddr2)?;
            let (new, _) = futex_wake_op(a[5] as u32, old);
            m.write_u32(uaddr2, new)?;
            Ok(0)
        }
        _ => Err(ENOSYS),
    }
}

fn rlimit_index(resource: u64) -> Result<usize, Errno> {
    let res = resource as u32;
    if res >= RLIM_NLIMITS {
        return Err(EINVAL);
    }
    Ok(res as usize)
}

fn read_rlimit(r: &Runtime, addr: u64) -> Result<(u64, u64), Errno> {
    let m = r.mem();
    let (cur, max) = (m.read_u64(addr)?, m.read_u64(addr + 8)?);
    if cur > max {
        return Err(EINVAL);
    }
    Ok((cur, max))
}

/// Limits are recorded so the guest reads back what it set; nothing
/// enforces them beyond the fd table's fixed size.
pub fn prlimit64(r: &mut Runtime, a: &Args) -> SysResult {
    let pid = a[0] as i32;
    if pid != 0 && pid != PID as i32 {
        return Err(ESRCH);
    }
    let i = rlimit_index(a[1])?;
    let new = if a[2] != 0 {
        Some(read_rlimit(r, a[2])?)
    } else {
        None
    };
    if a[3] != 0 {
        let (cur, max) = r.process.rlimits[i];
        r.mem().write(a[3], &rlimit_bytes(cur, max))?;
    }
    if let Some(v) = new {
        r.process.rlimits[i] = v;
    }
    Ok(0)
}

pub fn getrlimit(r: &mut Runtime, a: &Args) -> SysResult {
    let i = rlimit_index(a[0])?;
    let (cur, max) = r.process.rlimits[i];
    r.mem().write(a[1], &rlimit_bytes(cur, max))?;
    Ok(0)
}

pub fn setrlimit(r: &mut Runtime, a: &Args) -> SysResult {
    let i = rlimit_index(a[0])?;
    r.process.rlimits[i] = read_rlimit(r, a[1])?;
    Ok(0)
}

pub fn prctl(r: &mut Runtime, a: &Args) -> SysResult {
    match a[0] as u32 {
        PR_SET_NAME => {
            // Like the kernel: at most 15 bytes, the rest cut off.
            let m = r.mem();
            let mut comm = [0u8; 16];
            for (i, slot) in comm.iter_mut().take(15).enumerate() {
                let mut b = [0u8; 1];
                m.read(a[1] + i as u64, &mut b)?;
                if b[0] == 0 {
                    break;
                }
                *slot = b[0];
            }
            r.process.comm = comm;
            Ok(0)
        }
        PR_GET_NAME => {
            r.mem().write(a[1], &r.process.comm)?;
            Ok(0)
        }
        _ => Err(EINVAL),
    }
}
