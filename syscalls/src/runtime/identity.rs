//! Who the guest is. A WASI program has no real process or user identity,
//! so these are fixed, plausible values: an ordinary user (not root, so
//! programs do not take privileged paths) in a process that is not init.

use super::dispatch::Args;
use super::Runtime;
use crate::errno::SysResult;

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
