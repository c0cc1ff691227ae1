//! Syscalls on file descriptors: reading and writing, closing and
//! duplicating, fcntl, pipes, ioctl, poll/select, sendfile, truncation and
//! syncing. What an fd refers to is in `files.rs`.

use super::dispatch::Args;
use super::files::{self, FdEntry, FileKind, IoBuf, OpenFile};
use super::host::{self, werr};
use super::{process, signal, Runtime};
use crate::errno::*;
use crate::linux::{self, *};
use crate::pipe::{Pipe, PIPE_CAPACITY};
use std::cell::RefCell;
use std::rc::Rc;

/// Linux caps one read/write at this many bytes (MAX_RW_COUNT).
pub const MAX_RW: u64 = 0x7fff_f000;
/// Linux's UIO_MAXIOV.
const IOV_MAX: u64 = 1024;

/// The register holding a C `int` argument: only the low 32 bits count
/// (aarch64 leaves the upper half unspecified).
pub fn int(a: u64) -> i32 {
    a as i32
}

/// The open file behind a guest fd (a new reference, so the runtime can
/// be borrowed mutably while it is used).
pub fn file(r: &Runtime, fd: u64) -> Result<Rc<OpenFile>, Errno> {
    Ok(r.fds.get(int(fd))?.file.clone())
}

/// One checked guest buffer.
fn guest_buf(r: &Runtime, addr: u64, len: u64) -> Result<Vec<IoBuf>, Errno> {
    let len = len.min(MAX_RW);
    Ok(vec![(r.mem().ptr(addr, len)?, len as usize)])
}

/// Reads a guest `struct iovec[cnt]` and checks every buffer.
fn guest_iovecs(r: &Runtime, addr: u64, cnt: u64) -> Result<Vec<IoBuf>, Errno> {
    if cnt > IOV_MAX {
        return Err(EINVAL);
    }
    let m = r.mem();
    let raw = m.read_vec(addr, cnt * 16)?;
    let mut total = 0u64;
    let mut out = Vec::with_capacity(cnt as usize);
    for v in raw.chunks_exact(16) {
        let base = u64::from_le_bytes(v[0..8].try_into().unwrap());
        let len = u64::from_le_bytes(v[8..16].try_into().unwrap());
        if (len as i64) < 0 {
            return Err(EINVAL);
        }
        // Like Linux, transfer at most MAX_RW bytes in total.
        let len = len.min(MAX_RW - total);
        total += len;
        out.push((m.ptr(base, len)?, len as usize));
    }
    Ok(out)
}

/// A file offset argument: negative is EINVAL.
fn offset(v: u64) -> Result<u64, Errno> {
    if (v as i64) < 0 {
        Err(EINVAL)
    } else {
        Ok(v)
    }
}

pub fn read(r: &mut Runtime, a: &Args) -> SysResult {
    let f = file(r, a[0])?;
    let bufs = guest_buf(r, a[1], a[2])?;
    files::read(&f, &bufs, None)
}

pub fn write(r: &mut Runtime, a: &Args) -> SysResult {
    let f = file(r, a[0])?;
    let bufs = guest_buf(r, a[1], a[2])?;
    files::write(r, &f, &bufs, None)
}

pub fn pread64(r: &mut Runtime, a: &Args) -> SysResult {
    let f = file(r, a[0])?;
    let at = offset(a[3])?;
    let bufs = guest_buf(r, a[1], a[2])?;
    files::read(&f, &bufs, Some(at))
}

pub fn pwrite64(r: &mut Runtime, a: &Args) -> SysResult {
    let f = file(r, a[0])?;
    let at = offset(a[3])?;
    let bufs = guest_buf(r, a[1], a[2])?;
    files::write(r, &f, &bufs, Some(at))
}

pub fn readv(r: &mut Runtime, a: &Args) -> SysResult {
    let f = file(r, a[0])?;
    let bufs = guest_iovecs(r, a[1], int(a[2]) as u64)?;
    files::read(&f, &bufs, None)
}

pub fn writev(r: &mut Runtime, a: &Args) -> SysResult {
    let f = file(r, a[0])?;
    let bufs = guest_iovecs(r, a[1], int(a[2]) as u64)?;
    files::write(r, &f, &bufs, None)
}

/// preadv(fd, iov, iovcnt, pos_l, pos_h): on LP64 the offset is pos_l.
pub fn preadv(r: &mut Runtime, a: &Args) -> SysResult {
    let f = file(r, a[0])?;
    let at = offset(a[3])?;
    let bufs = guest_iovecs(r, a[1], int(a[2]) as u64)?;
    files::read(&f, &bufs, Some(at))
}

pub fn pwritev(r: &mut Runtime, a: &Args) -> SysResult {
    let f = file(r, a[0])?;
    let at = offset(a[3])?;
    let bufs = guest_iovecs(r, a[1], int(a[2]) as u64)?;
    files::write(r, &f, &bufs, Some(at))
}

/// preadv2/pwritev2 with no flags; offset -1 means the current position.
fn v2_offset(a: &Args) -> Result<Option<u64>, Errno> {
    if a[5] as u32 != 0 {
        return Err(EOPNOTSUPP);
    }
    match a[3] as i64 {
        -1 => Ok(None),
        o => offset(o as u64).map(Some),
    }
}

pub fn preadv2(r: &mut Runtime, a: &Args) -> SysResult {
    let f = file(r, a[0])?;
    let at = v2_offset(a)?;
    let bufs = guest_iovecs(r, a[1], int(a[2]) as u64)?;
    files::read(&f, &bufs, at)
}

pub fn pwritev2(r: &mut Runtime, a: &Args) -> SysResult {
    let f = file(r, a[0])?;
    let at = v2_offset(a)?;
    let bufs = guest_iovecs(r, a[1], int(a[2]) as u64)?;
    files::write(r, &f, &bufs, at)
}

pub fn lseek(r: &mut Runtime, a: &Args) -> SysResult {
    let f = file(r, a[0])?;
    files::seek(&f, a[1] as i64, a[2] as u32)
}

/// sendfile and copy_file_range: copies through a bounce buffer.
/// `in_at`/`out_at` are explicit offsets (the files' own stay put).
fn copy_between(
    r: &mut Runtime,
    from: &OpenFile,
    mut in_at: Option<u64>,
    to: &OpenFile,
    mut out_at: Option<u64>,
    count: u64,
) -> Result<(u64, Option<u64>, Option<u64>), Errno> {
    from.check_readable()?;
    to.check_writable()?;
    let mut done = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    while done < count {
        let want = ((count - done) as usize).min(buf.len());
        let got = match files::read(from, &[(buf.as_mut_ptr(), want)], in_at) {
            Ok(n) => n as usize,
            // Some data moved already: report it rather than the error.
            Err(_) if done > 0 => break,
            Err(e) => return Err(e),
        };
        if got == 0 {
            break;
        }
        let mut written = 0usize;
        while written < got {
            let chunk = [(buf[written..].as_mut_ptr(), got - written)];
            match files::write(r, to, &chunk, out_at.map(|o| o + written as u64)) {
                Ok(0) => break,
                Ok(n) => written += n as usize,
                Err(_) if done + written as u64 > 0 => break,
                Err(e) => return Err(e),
            }
        }
        done += written as u64;
        in_at = in_at.map(|o| o + written as u64);
        out_at = out_at.map(|o| o + written as u64);
        if written < got {
            // The output is full; the input already moved too far unless
            // it was read at an explicit offset.
            break;
        }
    }
    Ok((done, in_at, out_at))
}

/// sendfile(out_fd, in_fd, offset*, count).
pub fn sendfile(r: &mut Runtime, a: &Args) -> SysResult {
    let out = file(r, a[0])?;
    let input = file(r, a[1])?;
    let off_ptr = a[2];
    let in_at = if off_ptr != 0 {
        Some(offset(r.mem().read_u64(off_ptr)?)?)
    } else {
        None
    };
    let (n, in_after, _) = copy_between(r, &input, in_at, &out, None, a[3].min(MAX_RW))?;
    if let Some(pos) = in_after {
        r.mem().write_u64(off_ptr, pos)?;
    }
    Ok(n)
}

/// copy_file_range(fd_in, off_in*, fd_out, off_out*, len, flags).
pub fn copy_file_range(r: &mut Runtime, a: &Args) -> SysResult {
    if a[5] != 0 {
        return Err(EINVAL);
    }
    let input = file(r, a[0])?;
    let out = file(r, a[2])?;
    if input.is_dir() || out.is_dir() {
        return Err(EISDIR);
    }
    if out.status.get() & O_APPEND != 0 {
        return Err(EBADF);
    }
    let m = r.mem();
    let read_off = |p: u64| -> Result<Option<u64>, Errno> {
        if p == 0 {
            Ok(None)
        } else {
            offset(m.read_u64(p)?).map(Some)
        }
    };
    let (in_at, out_at) = (read_off(a[1])?, read_off(a[3])?);
    let (n, in_after, out_after) = copy_between(r, &input, in_at, &out, out_at, a[4].min(MAX_RW))?;
    if let Some(p) = in_after {
        r.mem().write_u64(a[1], p)?;
    }
    if let Some(p) = out_after {
        r.mem().write_u64(a[3], p)?;
    }
    Ok(n)
}

// ---- closing and duplicating ----

pub fn close(r: &mut Runtime, a: &Args) -> SysResult {
    r.fds.remove(int(a[0]))?;
    Ok(0)
}

/// close_range(first, last, flags).
pub fn close_range(r: &mut Runtime, a: &Args) -> SysResult {
    const CLOSE_RANGE_UNSHARE: u32 = 2;
    const CLOSE_RANGE_CLOEXEC: u32 = 4;
    let (first, last, flags) = (a[0] as u32, a[1] as u32, a[2] as u32);
    if flags & !(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) != 0 || first > last {
        return Err(EINVAL);
    }
    let open: Vec<i32> = r
        .fds
        .iter()
        .map(|(fd, _)| fd)
        .filter(|&fd| (first..=last).contains(&(fd as u32)))
        .collect();
    for fd in open {
        if flags & CLOSE_RANGE_CLOEXEC != 0 {
            r.fds.get_mut(fd)?.cloexec = true;
        } else {
            r.fds.remove(fd)?;
        }
    }
    Ok(0)
}

/// dup and friends share the open file description, as on Linux.
fn dup_to(r: &mut Runtime, old: i32, min: usize, cloexec: bool) -> SysResult {
    let entry = FdEntry {
        file: r.fds.get(old)?.file.clone(),
        cloexec,
    };
    Ok(r.fds.insert_from(min, entry)? as u64)
}

pub fn dup(r: &mut Runtime, a: &Args) -> SysResult {
    dup_to(r, int(a[0]), 0, false)
}

pub fn dup3(r: &mut Runtime, a: &Args) -> SysResult {
    let (old, new, flags) = (int(a[0]), int(a[1]), a[2] as u32);
    if flags & !O_CLOEXEC != 0 {
        return Err(EINVAL);
    }
    let file = r.fds.get(old)?.file.clone();
    if old == new {
        return Err(EINVAL);
    }
    if new < 0 || new as u64 >= process::NOFILE_LIMIT {
        return Err(EBADF);
    }
    let entry = FdEntry {
        file,
        cloexec: flags & O_CLOEXEC != 0,
    };
    // The replaced description (if any) is dropped here, closing it.
    r.fds.insert_at(new, entry)?;
    Ok(new as u64)
}

pub fn fcntl(r: &mut Runtime, a: &Args) -> SysResult {
    const F_DUPFD: u32 = 0;
    const F_GETFD: u32 = 1;
    const F_SETFD: u32 = 2;
    const F_GETFL: u32 = 3;
    const F_SETFL: u32 = 4;
    const F_GETLK: u32 = 5;
    const F_SETLK: u32 = 6;
    const F_SETLKW: u32 = 7;
    const F_SETOWN: u32 = 8;
    const F_GETOWN: u32 = 9;
    const F_OFD_GETLK: u32 = 36;
    const F_OFD_SETLK: u32 = 37;
    const F_OFD_SETLKW: u32 = 38;
    const F_DUPFD_CLOEXEC: u32 = 1030;
    const F_SETPIPE_SZ: u32 = 1031;
    const F_GETPIPE_SZ: u32 = 1032;
    const FD_CLOEXEC: u64 = 1;
    const F_UNLCK: u16 = 2;
    let fd = int(a[0]);
    let cmd = a[1] as u32;
    let f = file(r, a[0])?;
    match cmd {
        F_DUPFD | F_DUPFD_CLOEXEC => {
            let min = int(a[2]);
            if min < 0 || min as u64 >= process::NOFILE_LIMIT {
                return Err(EINVAL);
            }
            dup_to(r, fd, min as usize, cmd == F_DUPFD_CLOEXEC)
        }
        F_GETFD => Ok(if r.fds.get(fd)?.cloexec {
            FD_CLOEXEC
        } else {
            0
        }),
        F_SETFD => {
            r.fds.get_mut(fd)?.cloexec = a[2] & FD_CLOEXEC != 0;
            Ok(0)
        }
        F_GETFL => Ok((f.status.get() | linux::arch_open_flags(r.arch).largefile) as u64),
        F_SETFL => set_status(&f, a[2] as u32),
        // Record locks: this is the only process, so every lock is granted
        // and no other process ever holds one.
        F_SETLK | F_SETLKW | F_OFD_SETLK | F_OFD_SETLKW => {
            let l_type = r.mem().read_vec(a[2], 2)?;
            if u16::from_le_bytes([l_type[0], l_type[1]]) > F_UNLCK {
                return Err(EINVAL);
            }
            Ok(0)
        }
        F_GETLK | F_OFD_GETLK => {
            r.mem().write(a[2], &F_UNLCK.to_le_bytes())?;
            Ok(0)
        }
        F_GETOWN => Ok(0),
        F_SETOWN => Ok(0),
        F_GETPIPE_SZ | F_SETPIPE_SZ => match f.kind {
            FileKind::Pipe { .. } => Ok(PIPE_CAPACITY as u64),
            _ => Err(EBADF),
        },
        _ => Err(EINVAL),
    }
}

/// F_SETFL: only O_APPEND and O_NONBLOCK can change, as on Linux.
fn set_status(f: &OpenFile, requested: u32) -> SysResult {
    let changeable = O_APPEND | O_NONBLOCK;
    let old = f.status.get();
    let status = (old & !changeable) | (requested & changeable);
    if status == old {
        return Ok(0);
    }
    if let Some(wfd) = f.wasi_fd() {
        let mut fdflags: wasi::Fdflags = 0;
        if status & O_APPEND != 0 {
            fdflags |= wasi::FDFLAGS_APPEND;
        }
        if status & O_NONBLOCK != 0 {
            fdflags |= wasi::FDFLAGS_NONBLOCK;
        }
        // SAFETY: plain WASI call. Not every runtime can change the flags
        // of stdio; the guest still sees what it set.
        let res = unsafe { wasi::fd_fdstat_set_flags(wfd, fdflags) };
        if wfd > 2 {
            res.map_err(werr)?;
        }
    }
    f.status.set(status);
    Ok(0)
}

/// flock(fd, op): the only process gets every lock.
pub fn flock(r: &mut Runtime, a: &Args) -> SysResult {
    const LOCK_SH: u32 = 1;
    const LOCK_EX: u32 = 2;
    const LOCK_NB: u32 = 4;
    const LOCK_UN: u32 = 8;
    file(r, a[0])?;
    match a[1] as u32 & !LOCK_NB {
        LOCK_SH | LOCK_EX | LOCK_UN => Ok(0),
        _ => Err(EINVAL),
    }
}

/// Pipe inode numbers, so that fstat tells pipes apart.
static NEXT_PIPE_INO: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0x5000);

/// pipe2(fds[2], flags): an in-process pipe.
pub fn pipe2(r: &mut Runtime, a: &Args) -> SysResult {
    let flags = a[1] as u32;
    if flags & !(O_CLOEXEC | O_NONBLOCK | O_DIRECT_PIPE) != 0 {
        return Err(EINVAL);
    }
    // Check the output first, so a bad pointer leaks no fds.
    r.mem().check(a[0], 8)?;
    let pipe = Rc::new(RefCell::new(Pipe::new()));
    let ino = NEXT_PIPE_INO.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let link = format!("pipe:[{ino}]").into_bytes();
    let end = |write_end: bool| {
        let status = if write_end { O_WRONLY } else { O_RDONLY } | (flags & O_NONBLOCK);
        FdEntry {
            file: Rc::new(OpenFile::new(
                FileKind::Pipe {
                    pipe: pipe.clone(),
                    write_end,
                    ino,
                },
                status,
                link.clone(),
            )),
            cloexec: flags & O_CLOEXEC != 0,
        }
    };
    let read_fd = r.fds.insert(end(false))?;
    let write_fd = match r.fds.insert(end(true)) {
        Ok(fd) => fd,
        Err(e) => {
            r.fds.remove(read_fd)?;
            return Err(e);
        }
    };
    let mut out = [0u8; 8];
    out[..4].copy_from_slice(&read_fd.to_le_bytes());
    out[4..].copy_from_slice(&write_fd.to_le_bytes());
    r.mem().write(a[0], &out)?;
    Ok(0)
}

/// O_DIRECT as pipe2 takes it ("packet mode"); accepted and ignored.
const O_DIRECT_PIPE: u32 = 0o40000;

// ---- terminals and misc ----

pub fn ioctl(r: &mut Runtime, a: &Args) -> SysResult {
    const FIONREAD: u32 = 0x541b;
    const FIONBIO: u32 = 0x5421;
    const FIONCLEX: u32 = 0x5450;
    const FIOCLEX: u32 = 0x5451;
    let fd = int(a[0]);
    let f = file(r, a[0])?;
    let request = a[1] as u32;
    match request {
        FIONBIO => {
            let on = r.mem().read_u32(a[2])? != 0;
            let status = f.status.get();
            let wanted = if on {
                status | O_NONBLOCK
            } else {
                status & !O_NONBLOCK
            };
            set_status(&f, wanted)?;
            return Ok(0);
        }
        FIOCLEX | FIONCLEX => {
            r.fds.get_mut(fd)?.cloexec = request == FIOCLEX;
            return Ok(0);
        }
        FIONREAD => {
            if let FileKind::Pipe { pipe, .. } = &f.kind {
                let n = pipe.borrow().buffered() as u32;
                r.mem().write_u32(a[2], n)?;
                return Ok(0);
            }
        }
        _ => {}
    }
    let tty = f.wasi_fd().is_some_and(host::is_tty);
    if !tty {
        return Err(ENOTTY);
    }
    match request {
        TCGETS => r.mem().write(a[2], &default_termios())?,
        TIOCGWINSZ => r.mem().write(a[2], &default_winsize())?,
        TIOCGPGRP => r.mem().write_u32(a[2], super::identity::PID)?,
        // Changing terminal modes has no WASI equivalent; accept it so
        // programs that tweak the terminal keep going.
        TCSETS | TCSETSW | TCSETSF | TIOCSWINSZ => {}
        _ => return Err(ENOTTY),
    }
    Ok(0)
}

// ---- poll and select ----

const POLLIN: u16 = 0x1;
const POLLPRI: u16 = 0x2;
const POLLOUT: u16 = 0x4;
const POLLERR: u16 = 0x8;
const POLLHUP: u16 = 0x10;
const POLLNVAL: u16 = 0x20;
const POLLRDNORM: u16 = 0x40;
const POLLWRNORM: u16 = 0x100;

/// One fd being waited on.
struct Waiter {
    file: Option<Rc<OpenFile>>,
    want_read: bool,
    want_write: bool,
    readable: bool,
    writable: bool,
}

impl Waiter {
    fn ready(&self) -> bool {
        self.file.is_none() || self.readable && self.want_read || self.writable && self.want_write
    }
}

/// A WASI fd whose readiness only the host knows (a terminal, a pipe or
/// socket on stdio); files and directories never block.
fn host_stream(f: &OpenFile) -> Option<u32> {
    let wfd = f.wasi_fd()?;
    // SAFETY: plain WASI call.
    let st = unsafe { wasi::fd_fdstat_get(wfd) }.ok()?;
    let blocks =
        st.fs_filetype != wasi::FILETYPE_REGULAR_FILE && st.fs_filetype != wasi::FILETYPE_DIRECTORY;
    blocks.then_some(wfd)
}

/// Fills in readiness, waiting up to `timeout_ns` (None: forever) for at
/// least one to be ready. Returns how many are ready; EINTR when a timer's
/// signal interrupts the wait.
fn wait_ready(
    r: &mut Runtime,
    waiters: &mut [Waiter],
    timeout_ns: Option<u64>,
) -> Result<usize, Errno> {
    let end = timeout_ns.map(|t| host::monotonic_ns().saturating_add(t));
    loop {
        let mut host_subs: Vec<(usize, bool, u32)> = Vec::new();
        for (i, w) in waiters.iter_mut().enumerate() {
            let Some(f) = &w.file else { continue };
            match host_stream(f) {
                Some(wfd) => {
                    if w.want_read {
                        host_subs.push((i, false, wfd));
                    }
                    if w.want_write {
                        host_subs.push((i, true, wfd));
                    }
                }
                None => {
                    w.readable = files::poll_readable(f);
                    w.writable = files::poll_writable(f);
                }
            }
        }
        let ready_now = waiters.iter().filter(|w| w.ready()).count();
        let left = end.map(|e| e.saturating_sub(host::monotonic_ns()));
        if host_subs.is_empty() && (ready_now > 0 || left == Some(0)) {
            return Ok(ready_now);
        }
        // Wait no longer than until the next timer fires.
        let (budget, timer_first) = super::timers::wait_budget(r, left);
        let budget = if ready_now > 0 { Some(0) } else { budget };
        if host_subs.is_empty() {
            match budget {
                Some(ns) => host::sleep_ns(ns)?,
                None => process::deadlock(
                    "poll with no timeout on fds only this thread could make ready",
                ),
            }
        } else {
            let ready = poll_host(waiters, &host_subs, budget)?;
            if ready > 0 || budget == Some(0) {
                return Ok(ready);
            }
        }
        if timer_first {
            super::timers::fire(r);
            if signal::interrupting(r) {
                return Err(EINTR);
            }
        } else if left.is_some() {
            return Ok(0); // the timeout passed
        }
    }
}

/// Asks the host which of `host_subs` (waiter index, for writing, WASI fd)
/// are ready, waiting up to `wait` (None: forever). Returns how many
/// waiters are ready.
fn poll_host(
    waiters: &mut [Waiter],
    host_subs: &[(usize, bool, u32)],
    wait: Option<u64>,
) -> Result<usize, Errno> {
    let mut subs: Vec<wasi::Subscription> = host_subs
        .iter()
        .enumerate()
        .map(|(k, &(_, write, wfd))| wasi::Subscription {
            userdata: k as u64,
            u: wasi::SubscriptionU {
                tag: if write {
                    wasi::EVENTTYPE_FD_WRITE.raw()
                } else {
                    wasi::EVENTTYPE_FD_READ.raw()
                },
                u: wasi::SubscriptionUU {
                    fd_read: wasi::SubscriptionFdReadwrite {
                        file_descriptor: wfd,
                    },
                },
            },
        })
        .collect();
    if let Some(ns) = wait {
        subs.push(wasi::Subscription {
            userdata: u64::MAX,
            u: wasi::SubscriptionU {
                tag: wasi::EVENTTYPE_CLOCK.raw(),
                u: wasi::SubscriptionUU {
                    clock: wasi::SubscriptionClock {
                        id: wasi::CLOCKID_MONOTONIC,
                        timeout: ns,
                        precision: 0,
                        flags: 0,
                    },
                },
            },
        });
    }
    let mut events: Vec<wasi::Event> = Vec::with_capacity(subs.len());
    // SAFETY: room for one event per subscription.
    let n = unsafe { wasi::poll_oneoff(subs.as_ptr(), events.as_mut_ptr(), subs.len()) }
        .map_err(werr)?;
    // SAFETY: poll_oneoff wrote `n` events.
    unsafe { events.set_len(n) };
    for ev in &events {
        let Some(&(i, write, _)) = host_subs.get(ev.userdata as usize) else {
            continue;
        };
        // An error on the fd (e.g. the runtime cannot poll it) counts as
        // ready, as Linux reports POLLERR: the next read/write tells more.
        if write {
            waiters[i].writable = true;
        } else {
            waiters[i].readable = true;
        }
    }
    Ok(waiters.iter().filter(|w| w.ready()).count())
}

/// Reads an optional timeout: None = wait forever.
fn read_timeout(r: &Runtime, addr: u64) -> Result<Option<u64>, Errno> {
    if addr == 0 {
        return Ok(None);
    }
    let mut b = [0u8; 16];
    r.mem().read(addr, &mut b)?;
    Timespec::from_bytes(&b).to_nanos().ok_or(EINVAL).map(Some)
}

/// ppoll(fds, nfds, timeout*, sigmask*, sigsetsize). The signal mask
/// would only matter for signals arriving while waiting, and none can.
pub fn ppoll(r: &mut Runtime, a: &Args) -> SysResult {
    let (addr, nfds) = (a[0], a[1]);
    if nfds > process::NOFILE_LIMIT {
        return Err(EINVAL);
    }
    let timeout = read_timeout(r, a[2])?;
    let mut out = r.mem().read_vec(addr, nfds * 8)?;
    // (index in the array, requested events) of every entry with fd >= 0;
    // negative fds are skipped (revents 0), unknown ones get POLLNVAL.
    let mut polled: Vec<(usize, u16)> = Vec::new();
    let mut waiters = Vec::new();
    for (i, p) in out.chunks_exact_mut(8).enumerate() {
        let fd = i32::from_le_bytes(p[0..4].try_into().unwrap());
        let events = u16::from_le_bytes([p[4], p[5]]);
        p[6..8].copy_from_slice(&[0, 0]);
        if fd < 0 {
            continue;
        }
        polled.push((i, events));
        waiters.push(Waiter {
            file: r.fds.get(fd).ok().map(|e| e.file.clone()),
            want_read: events & (POLLIN | POLLRDNORM | POLLPRI) != 0,
            want_write: events & (POLLOUT | POLLWRNORM) != 0,
            readable: false,
            writable: false,
        });
    }
    wait_ready(r, &mut waiters, timeout)?;
    let mut count = 0u64;
    for (w, &(i, events)) in waiters.iter().zip(&polled) {
        let revents = match &w.file {
            None => POLLNVAL,
            Some(f) => {
                let mut rev = 0;
                if w.readable {
                    rev |= events & (POLLIN | POLLRDNORM);
                }
                if w.writable {
                    rev |= events & (POLLOUT | POLLWRNORM);
                }
                if let FileKind::Pipe {
                    pipe, write_end, ..
                } = &f.kind
                {
                    let p = pipe.borrow();
                    if !write_end && p.writers() == 0 {
                        rev |= POLLHUP;
                    }
                    if *write_end && p.readers() == 0 {
                        rev |= POLLERR;
                    }
                }
                rev
            }
        };
        out[i * 8 + 6..i * 8 + 8].copy_from_slice(&revents.to_le_bytes());
        if revents != 0 {
            count += 1;
        }
    }
    r.mem().write(addr, &out)?;
    Ok(count)
}

/// pselect6(nfds, readfds*, writefds*, exceptfds*, timeout*, sigmask*).
pub fn pselect6(r: &mut Runtime, a: &Args) -> SysResult {
    let nfds = int(a[0]);
    if nfds < 0 || nfds as u64 > process::NOFILE_LIMIT {
        return Err(EINVAL);
    }
    let nfds = nfds as usize;
    let words = nfds.div_ceil(64) as u64;
    let m = r.mem();
    let read_set = |p: u64| -> Result<Vec<u64>, Errno> {
        if p == 0 {
            return Ok(vec![0; words as usize]);
        }
        let raw = m.read_vec(p, words * 8)?;
        Ok(raw
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
            .collect())
    };
    let (rd, wr, ex) = (read_set(a[1])?, read_set(a[2])?, read_set(a[3])?);
    let timeout = read_timeout(r, a[4])?;
    let is_set = |set: &[u64], fd: usize| set[fd / 64] >> (fd % 64) & 1 != 0;
    let mut fds = Vec::new();
    let mut waiters = Vec::new();
    for fd in 0..nfds {
        let (want_read, want_write) = (is_set(&rd, fd), is_set(&wr, fd));
        if !(want_read || want_write || is_set(&ex, fd)) {
            continue;
        }
        let file = r.fds.get(fd as i32).map_err(|_| EBADF)?.file.clone();
        fds.push(fd);
        waiters.push(Waiter {
            file: Some(file),
            want_read,
            want_write,
            readable: false,
            writable: false,
        });
    }
    let start = host::monotonic_ns();
    wait_ready(r, &mut waiters, timeout)?;
    let (mut rd_out, mut wr_out) = (vec![0u64; words as usize], vec![0u64; words as usize]);
    let mut count = 0u64;
    for (w, &fd) in waiters.iter().zip(&fds) {
        if w.want_read && w.readable {
            rd_out[fd / 64] |= 1 << (fd % 64);
            count += 1;
        }
        if w.want_write && w.writable {
            wr_out[fd / 64] |= 1 << (fd % 64);
            count += 1;
        }
    }
    let m = r.mem();
    let to_bytes = |v: &[u64]| v.iter().flat_map(|w| w.to_le_bytes()).collect::<Vec<u8>>();
    for (p, set) in [
        (a[1], &rd_out),
        (a[2], &wr_out),
        (a[3], &vec![0u64; words as usize]),
    ] {
        if p != 0 {
            m.write(p, &to_bytes(set))?;
        }
    }
    // Linux writes back the time that was left.
    if let Some(total) = timeout {
        let left = total.saturating_sub(host::monotonic_ns().saturating_sub(start));
        m.write(a[4], &Timespec::from_nanos(left).to_bytes())?;
    }
    Ok(count)
}

// ---- size and syncing ----

/// Sets the size of an open WASI file.
pub fn set_size(f: &OpenFile, len: u64) -> Result<(), Errno> {
    match f.kind {
        FileKind::Wasi { ref fd, is_dir, .. } => {
            if is_dir {
                return Err(EISDIR);
            }
            // SAFETY: plain WASI call.
            unsafe { wasi::fd_filestat_set_size(fd.0, len) }.map_err(werr)
        }
        _ => Err(EINVAL),
    }
}

pub fn ftruncate(r: &mut Runtime, a: &Args) -> SysResult {
    let f = file(r, a[0])?;
    let len = a[1] as i64;
    // Linux: EINVAL for a negative length or a file not open for writing.
    if len < 0 || f.check_writable().is_err() {
        return Err(EINVAL);
    }
    match set_size(&f, len as u64) {
        Err(EISDIR) => Err(EINVAL),
        other => other.map(|()| 0),
    }
}

/// fallocate(fd, mode, offset, len): only mode 0 (allocate, extending the
/// size) has a WASI equivalent.
pub fn fallocate(r: &mut Runtime, a: &Args) -> SysResult {
    let f = file(r, a[0])?;
    let (mode, off, len) = (a[1] as u32, a[2] as i64, a[3] as i64);
    if off < 0 || len <= 0 {
        return Err(EINVAL);
    }
    f.check_writable()?;
    if mode != 0 {
        return Err(EOPNOTSUPP);
    }
    match f.kind {
        FileKind::Wasi {
            ref fd,
            is_dir: false,
            ..
        } => {
            // SAFETY: plain WASI call.
            unsafe { wasi::fd_allocate(fd.0, off as u64, len as u64) }.map_err(werr)?;
            Ok(0)
        }
        FileKind::Wasi { is_dir: true, .. } => Err(EISDIR),
        FileKind::Pipe { .. } => Err(ESPIPE),
        _ => Err(ENODEV),
    }
}

fn sync(r: &Runtime, a: &Args, data_only: bool) -> SysResult {
    let f = file(r, a[0])?;
    match f.kind {
        // Directories: WASI cannot sync them and some runtimes refuse;
        // their entries are written by the calls that changed them.
        FileKind::Wasi { is_dir: true, .. } => Ok(0),
        FileKind::Wasi { ref fd, .. } => {
            // SAFETY: plain WASI calls.
            let res = unsafe {
                if data_only {
                    wasi::fd_datasync(fd.0)
                } else {
                    wasi::fd_sync(fd.0)
                }
            };
            match res {
                Ok(()) => Ok(0),
                // stdio and terminals cannot be synced: Linux says EINVAL.
                Err(_) if fd.0 <= 2 => Err(EINVAL),
                // A read-only open has no right to sync (see fs::rights_for).
                // Linux syncs the file anyway; nothing was written through
                // this fd, and what other fds wrote is already with the host.
                Err(_) if f.check_writable().is_err() => Ok(0),
                Err(e) => Err(werr(e)),
            }
        }
        _ => Err(EINVAL),
    }
}

pub fn fsync(r: &mut Runtime, a: &Args) -> SysResult {
    sync(r, a, false)
}

pub fn fdatasync(r: &mut Runtime, a: &Args) -> SysResult {
    sync(r, a, true)
}

/// sync and syncfs: every write already went to the host.
pub fn sync_all(_r: &mut Runtime, _a: &Args) -> SysResult {
    Ok(0)
}

pub fn syncfs(r: &mut Runtime, a: &Args) -> SysResult {
    file(r, a[0])?;
    Ok(0)
}

/// fadvise64(fd, offset, len, advice): advice only; pipes refuse it.
pub fn fadvise64(r: &mut Runtime, a: &Args) -> SysResult {
    let f = file(r, a[0])?;
    if a[3] > 5 || (a[2] as i64) < 0 {
        return Err(EINVAL);
    }
    match f.kind {
        FileKind::Pipe { .. } => Err(ESPIPE),
        _ => Ok(0),
    }
}

/// readahead(fd, offset, count): nothing to prefetch into.
pub fn readahead(r: &mut Runtime, a: &Args) -> SysResult {
    let f = file(r, a[0])?;
    f.check_readable().map_err(|_| EBADF)?;
    match f.kind {
        FileKind::Wasi { is_dir: false, .. } => Ok(0),
        _ => Err(EINVAL),
    }
}
