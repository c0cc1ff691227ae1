//! Who the guest is. A WASI program has no real process or user identity,
//! so these are fixed, plausible values: an ordinary user (not root, so
//! programs do not take privileged paths) in a process that is not init.

use super::dispatch::Args;
use super::Runtime;
use crate::errno::*;

/// Process id; with a single thread it is also the thread id.
pub const PID: u32 = 100;
pub const TID: u32 = PID;
pub const PPID: u32 = 1;
pub const UID: u32 = 1000;
pub const GID: u32 = 1000;

pub fn getpid(_r: &mut Runtime, _a: &Args) -> SysResult {
    Ok(PID as u64)
}

pub fn getppid(_r: &mut Runtime, _a: &Args) -> SysResult {
    Ok(PPID as u64)
}

pub fn gettid(_r: &mut Runtime, _a: &Args) -> SysResult {
    Ok(TID as u64)
}

pub fn getuid(_r: &mut Runtime, _a: &Args) -> SysResult {
    Ok(UID as u64)
}

pub fn geteuid(_r: &mut Runtime, _a: &Args) -> SysResult {
    Ok(UID as u64)
}

pub fn getgid(_r: &mut Runtime, _a: &Args) -> SysResult {
    Ok(GID as u64)
}

pub fn getegid(_r: &mut Runtime, _a: &Args) -> SysResult {
    Ok(GID as u64)
}

/// The process group and session: the process leads both, as a program
/// started by a shell with job control does.
pub const PGID: u32 = PID;
pub const SID: u32 = PID;

/// getgroups(size, list): the one supplementary group is the primary one.
pub fn getgroups(r: &mut Runtime, a: &Args) -> SysResult {
    let size = a[0] as i32;
    if size < 0 {
        return Err(EINVAL);
    }
    if size == 0 {
        return Ok(1);
    }
    r.mem().write_u32(a[1], GID)?;
    Ok(1)
}

/// Changing identity needs privileges the guest does not have: only
/// "changes" to the ids it already has succeed (as for a non-root user).
fn only_own(ids: &[u64], own: u32) -> SysResult {
    if ids
        .iter()
        .all(|&id| id as u32 == u32::MAX || id as u32 == own)
    {
        Ok(0)
    } else {
        Err(EPERM)
    }
}

pub fn setuid(_r: &mut Runtime, a: &Args) -> SysResult {
    only_own(&a[..1], UID)
}

pub fn setgid(_r: &mut Runtime, a: &Args) -> SysResult {
    only_own(&a[..1], GID)
}

pub fn setreuid(_r: &mut Runtime, a: &Args) -> SysResult {
    only_own(&a[..2], UID)
}

pub fn setregid(_r: &mut Runtime, a: &Args) -> SysResult {
    only_own(&a[..2], GID)
}

pub fn setresuid(_r: &mut Runtime, a: &Args) -> SysResult {
    only_own(&a[..3], UID)
}

pub fn setresgid(_r: &mut Runtime, a: &Args) -> SysResult {
    only_own(&a[..3], GID)
}

/// setfsuid/setfsgid return the previous id and never fail.
pub fn setfsuid(_r: &mut Runtime, _a: &Args) -> SysResult {
    Ok(UID as u64)
}

pub fn setfsgid(_r: &mut Runtime, _a: &Args) -> SysResult {
    Ok(GID as u64)
}

pub fn setgroups(_r: &mut Runtime, _a: &Args) -> SysResult {
    Err(EPERM)
}

fn write_triple(r: &Runtime, a: &Args, id: u32) -> SysResult {
    let m = r.mem();
    for &p in &a[..3] {
        m.write_u32(p, id)?;
    }
    Ok(0)
}

pub fn getresuid(r: &mut Runtime, a: &Args) -> SysResult {
    write_triple(r, a, UID)
}

pub fn getresgid(r: &mut Runtime, a: &Args) -> SysResult {
    write_triple(r, a, GID)
}

fn is_self(pid: u64) -> bool {
    let pid = pid as i32;
    pid == 0 || pid == PID as i32
}

pub fn getpgid(_r: &mut Runtime, a: &Args) -> SysResult {
    if is_self(a[0]) {
        Ok(PGID as u64)
    } else {
        Err(ESRCH)
    }
}

pub fn getsid(_r: &mut Runtime, a: &Args) -> SysResult {
    if is_self(a[0]) {
        Ok(SID as u64)
    } else {
        Err(ESRCH)
    }
}

/// setpgid(pid, pgid): the process already leads its own group.
pub fn setpgid(_r: &mut Runtime, a: &Args) -> SysResult {
    if (a[1] as i32) < 0 {
        return Err(EINVAL);
    }
    if !is_self(a[0]) {
        return Err(ESRCH);
    }
    if a[1] as i32 == 0 || a[1] as u32 == PGID {
        Ok(0)
    } else {
        Err(EPERM)
    }
}

/// setsid: a process group leader may not start a new session.
pub fn setsid(_r: &mut Runtime, _a: &Args) -> SysResult {
    Err(EPERM)
}

/// getpriority(which, who) returns 20 - nice (the raw syscall's
/// convention); setpriority may only lower the priority (raise nice).
pub fn getpriority(r: &mut Runtime, a: &Args) -> SysResult {
    check_priority_target(a)?;
    Ok((20 - r.process.nice) as u64)
}

pub fn setpriority(r: &mut Runtime, a: &Args) -> SysResult {
    check_priority_target(a)?;
    let nice = (a[2] as i32).clamp(-20, 19);
    if nice < r.process.nice {
        return Err(EACCES);
    }
    r.process.nice = nice;
    Ok(0)
}

fn check_priority_target(a: &Args) -> Result<(), Errno> {
    const PRIO_PROCESS: u32 = 0;
    const PRIO_PGRP: u32 = 1;
    const PRIO_USER: u32 = 2;
    let who = a[1] as u32;
    let target = match a[0] as u32 {
        PRIO_PROCESS | PRIO_PGRP => who == 0 || who == PID,
        PRIO_USER => who == 0 || who == UID,
        _ => return Err(EINVAL),
    };
    if target {
        Ok(())
    } else {
        Err(ESRCH)
    }
}
