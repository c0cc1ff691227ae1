//! Open file descriptions: what a guest fd refers to, and reading,
//! writing, seeking and stat-ing it whatever it is (a WASI file, directory
//! or stream, an in-process pipe, a device such as /dev/null, or a
//! generated /proc file).
//!
//! As on Linux, `dup` shares one description (offset, status flags)
//! between fds: the fd table holds `Rc<OpenFile>`, and dropping the last
//! reference closes what is behind it.

use super::host::{self, werr};
use super::{identity, process, signal, Runtime};
use crate::errno::*;
use crate::linux::*;
use crate::paths::Location;
use crate::pipe::{Pipe, PipeError};
use crate::special::{makedev, Device};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// A WASI fd owned by the layer; closed when the last user goes. WASI
/// 0-2 are never closed: the layer keeps reporting faults on stderr even
/// if the guest closed its fd 2.
#[derive(Debug)]
pub struct WasiFd(pub u32);

impl Drop for WasiFd {
    fn drop(&mut self) {
        if self.0 > 2 {
            // SAFETY: nobody else uses the fd any more. A failing close
            // (EIO on some file systems) cannot be reported to anyone.
            let _ = unsafe { wasi::fd_close(self.0) };
        }
    }
}

pub enum FileKind {
    /// A file, directory, terminal or stream behind a WASI fd.
    Wasi {
        fd: Rc<WasiFd>,
        is_dir: bool,
        /// Where writes go instead of `fd`: /dev/tty opened for reading and
        /// writing, when the host gives its stdin terminal no write right
        /// (wasmtime) and so writes must go to the stdout or stderr one.
        output: Option<Rc<WasiFd>>,
    },
    /// One end of an in-process pipe.
    Pipe {
        pipe: Rc<RefCell<Pipe>>,
        write_end: bool,
        ino: u64,
    },
    Device(Device),
    /// A generated read-only file (/proc/cpuinfo, /proc/meminfo).
    Generated(Vec<u8>),
}

/// One open file description.
pub struct OpenFile {
    pub kind: FileKind,
    /// O_ACCMODE bits and the status flags the guest set (O_APPEND,
    /// O_NONBLOCK, O_PATH).
    pub status: Cell<u32>,
    /// getdents64 position (a WASI cookie) for directories; the read
    /// offset of a generated file.
    pub offset: Cell<u64>,
    /// What readlink(/proc/self/fd/N) shows.
    pub link: Vec<u8>,
    /// Where a directory opened by path lies (for fchdir).
    pub location: Option<Location>,
}

impl Drop for OpenFile {
    fn drop(&mut self) {
        if let FileKind::Pipe {
            pipe, write_end, ..
        } = &self.kind
        {
            pipe.borrow_mut().close_end(*write_end);
        }
    }
}

/// A guest fd: a shared description plus the per-fd close-on-exec flag.
#[derive(Clone)]
pub struct FdEntry {
    pub file: Rc<OpenFile>,
    pub cloexec: bool,
}

/// A checked range of guest memory as a host pointer and length.
pub type IoBuf = (*mut u8, usize);

impl OpenFile {
    pub fn new(kind: FileKind, status: u32, link: Vec<u8>) -> OpenFile {
        OpenFile {
            kind,
            status: Cell::new(status),
            offset: Cell::new(0),
            link,
            location: None,
        }
    }

    /// A description of a WASI fd the layer did not open (stdio).
    pub fn stdio(fd: u32) -> OpenFile {
        let link = if host::is_tty(fd) {
            b"/dev/tty".to_vec()
        } else {
            format!("pipe:[{}]", 4000 + fd).into_bytes()
        };
        OpenFile::new(
            FileKind::Wasi {
                fd: Rc::new(WasiFd(fd)),
                is_dir: false,
                output: None,
            },
            O_RDWR,
            link,
        )
    }

    pub fn is_dir(&self) -> bool {
        matches!(self.kind, FileKind::Wasi { is_dir: true, .. })
    }

    /// The WASI fd behind this description, if there is one.
    pub fn wasi_fd(&self) -> Option<u32> {
        match &self.kind {
            FileKind::Wasi { fd, .. } => Some(fd.0),
            _ => None,
        }
    }

    fn path_only(&self) -> bool {
        self.status.get() & O_PATH != 0
    }

    pub fn nonblocking(&self) -> bool {
        self.status.get() & O_NONBLOCK != 0
    }

    /// EBADF unless the file was opened for reading; EISDIR for directories.
    pub fn check_readable(&self) -> Result<(), Errno> {
        if self.status.get() & O_ACCMODE == O_WRONLY || self.path_only() {
            return Err(EBADF);
        }
        if self.is_dir() {
            return Err(EISDIR);
        }
        Ok(())
    }

    /// EBADF unless the file was opened for writing.
    pub fn check_writable(&self) -> Result<(), Errno> {
        if self.status.get() & O_ACCMODE == O_RDONLY || self.path_only() {
            return Err(EBADF);
        }
        Ok(())
    }

    /// Whether the file has a position (lseek works, pread is allowed).
    fn seekable(&self) -> bool {
        match &self.kind {
            FileKind::Pipe { .. } => false,
            // Terminals and stdio streams: WASI says whether it can seek.
            FileKind::Wasi { fd, .. } => {
                // SAFETY: plain WASI call.
                unsafe { wasi::fd_fdstat_get(fd.0) }
                    .is_ok_and(|s| s.fs_rights_base & wasi::RIGHTS_FD_SEEK != 0)
            }
            _ => true,
        }
    }
}

/// Linux's verdict on a pipe operation that cannot complete: EAGAIN for a
/// non-blocking file; otherwise the single guest thread would wait forever.
fn pipe_blocked(file: &OpenFile, what: &str) -> Errno {
    if file.nonblocking() {
        return EAGAIN;
    }
    process::deadlock(what)
}

/// read/readv/pread: fills `bufs` in order; `at` is pread's offset.
pub fn read(file: &OpenFile, bufs: &[IoBuf], at: Option<u64>) -> SysResult {
    file.check_readable()?;
    if at.is_some() && !file.seekable() {
        return Err(ESPIPE);
    }
    let total: usize = bufs.iter().map(|b| b.1).sum();
    match &file.kind {
        FileKind::Wasi { fd, .. } => {
            // One buffer at a time: some runtimes (wasmtime) fill only the
            // first buffer of a vector. Like the kernel, stop at a short read.
            let mut done = 0u64;
            for &(buf, buf_len) in bufs.iter().filter(|b| b.1 > 0) {
                let iov = [wasi::Iovec { buf, buf_len }];
                // SAFETY: the iovec covers checked guest memory.
                let res = match at {
                    Some(off) => unsafe { wasi::fd_pread(fd.0, &iov, off + done) },
                    None => unsafe { wasi::fd_read(fd.0, &iov) },
                };
                match res {
                    Ok(n) => {
                        done += n as u64;
                        if n < buf_len {
                            break;
                        }
                    }
                    Err(_) if done > 0 => break,
                    Err(e) => return Err(werr(e)),
                }
            }
            Ok(done)
        }
        FileKind::Pipe { pipe, .. } => {
            let mut tmp = vec![0u8; total];
            let n = match pipe.borrow_mut().read(&mut tmp) {
                Ok(n) => n,
                Err(_) => {
                    return Err(pipe_blocked(
                        file,
                        "read from an empty pipe that only this thread can write",
                    ))
                }
            };
            scatter(bufs, &tmp[..n]);
            Ok(n as u64)
        }
        FileKind::Device(Device::Null) => Ok(0),
        FileKind::Device(Device::Zero | Device::Full) => {
            for &(p, len) in bufs {
                // SAFETY: checked guest memory.
                unsafe { core::ptr::write_bytes(p, 0, len) };
            }
            Ok(total as u64)
        }
        FileKind::Device(Device::Random | Device::Urandom) => {
            for &(p, len) in bufs {
                host::random_fill(p, len)?;
            }
            Ok(total as u64)
        }
        FileKind::Generated(data) => {
            let pos = at.unwrap_or(file.offset.get()).min(data.len() as u64) as usize;
            let n = total.min(data.len() - pos);
            scatter(bufs, &data[pos..pos + n]);
            if at.is_none() {
                file.offset.set((pos + n) as u64);
            }
            Ok(n as u64)
        }
    }
}

/// Copies `data` into the buffers in order.
fn scatter(bufs: &[IoBuf], mut data: &[u8]) {
    for &(p, len) in bufs {
        let n = len.min(data.len());
        // SAFETY: checked guest memory, never overlapping a Rust buffer.
        unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), p, n) };
        data = &data[n..];
        if data.is_empty() {
            break;
        }
    }
}

/// write/writev/pwrite. Guest data goes straight to WASI: nothing is
/// buffered in the layer.
pub fn write(r: &mut Runtime, file: &OpenFile, bufs: &[IoBuf], at: Option<u64>) -> SysResult {
    file.check_writable()?;
    if at.is_some() && !file.seekable() {
        return Err(ESPIPE);
    }
    let total: usize = bufs.iter().map(|b| b.1).sum();
    match &file.kind {
        FileKind::Wasi { fd, output, .. } => {
            let fd = output.as_ref().unwrap_or(fd);
            // One buffer at a time, as for reads; a short write ends it.
            let mut done = 0u64;
            for &(buf, buf_len) in bufs.iter().filter(|b| b.1 > 0) {
                let iov = [wasi::Ciovec { buf, buf_len }];
                // SAFETY: the iovec covers checked guest memory.
                let res = match at {
                    Some(off) => unsafe { wasi::fd_pwrite(fd.0, &iov, off + done) },
                    None => unsafe { wasi::fd_write(fd.0, &iov) },
                };
                match res {
                    Ok(n) => {
                        done += n as u64;
                        if n < buf_len {
                            break;
                        }
                    }
                    Err(_) if done > 0 => break,
                    Err(e) if is_broken_stream(fd.0, e) => {
                        signal::raise(r, SIGPIPE);
                        return Err(EPIPE);
                    }
                    Err(e) => return Err(werr(e)),
                }
            }
            Ok(done)
        }
        FileKind::Pipe { pipe, .. } => {
            let mut tmp = Vec::with_capacity(total);
            for &(p, len) in bufs {
                // SAFETY: checked guest memory.
                tmp.extend_from_slice(unsafe { core::slice::from_raw_parts(p, len) });
            }
            let result = pipe.borrow_mut().write(&tmp);
            match result {
                Ok(n) => Ok(n as u64),
                Err(PipeError::BrokenPipe) => {
                    signal::raise(r, SIGPIPE);
                    Err(EPIPE)
                }
                Err(PipeError::WouldDeadlock) => Err(pipe_blocked(
                    file,
                    "write to a full pipe that only this thread can read",
                )),
            }
        }
        FileKind::Device(Device::Full) => Err(ENOSPC),
        FileKind::Device(_) => Ok(total as u64),
        FileKind::Generated(_) => Err(EBADF),
    }
}

/// Whether a failed WASI write means the reader has gone: Linux's broken
/// pipe, which sends SIGPIPE. Node says EPIPE; wasmtime says EIO for a
/// closed stdout pipe, so EIO on a stream (not a file) counts as well, or
/// a `yes | head` would write into the void for ever.
fn is_broken_stream(fd: wasi::Fd, e: wasi::Errno) -> bool {
    if e == wasi::ERRNO_PIPE {
        return true;
    }
    if e != wasi::ERRNO_IO {
        return false;
    }
    // SAFETY: fd_fdstat_get only writes its result.
    match unsafe { wasi::fd_fdstat_get(fd) } {
        Ok(st) => !matches!(
            st.fs_filetype,
            wasi::FILETYPE_REGULAR_FILE | wasi::FILETYPE_DIRECTORY | wasi::FILETYPE_BLOCK_DEVICE
        ),
        Err(_) => false,
    }
}

/// lseek.
pub fn seek(file: &OpenFile, off: i64, whence: u32) -> SysResult {
    match &file.kind {
        FileKind::Wasi { is_dir: true, .. } => {
            // Directory offsets are getdents64 cookies (what telldir returns).
            match whence {
                SEEK_SET if off >= 0 => {
                    file.offset.set(off as u64);
                    Ok(off as u64)
                }
                SEEK_CUR if off == 0 => Ok(file.offset.get()),
                _ => Err(EINVAL),
            }
        }
        FileKind::Wasi { fd, .. } => {
            let whence = match whence {
                SEEK_SET => wasi::WHENCE_SET,
                SEEK_CUR => wasi::WHENCE_CUR,
                SEEK_END => wasi::WHENCE_END,
                _ => return Err(EINVAL),
            };
            // SAFETY: plain WASI call.
            match unsafe { wasi::fd_seek(fd.0, off, whence) } {
                Ok(pos) => Ok(pos),
                // A stream the runtime will not seek (node says NOTCAPABLE
                // for pipes): ESPIPE, as Linux says for pipes and terminals
                // (glibc's fdopen/dprintf give up on any other error).
                Err(_) if !file.seekable() => Err(ESPIPE),
                Err(e) => Err(werr(e)),
            }
        }
        FileKind::Pipe { .. } => Err(ESPIPE),
        // Linux accepts any seek on these devices and stays at 0.
        FileKind::Device(_) => match whence {
            SEEK_SET | SEEK_CUR | SEEK_END => Ok(0),
            _ => Err(EINVAL),
        },
        FileKind::Generated(data) => {
            let base = match whence {
                SEEK_SET => 0,
                SEEK_CUR => file.offset.get() as i64,
                SEEK_END => data.len() as i64,
                _ => return Err(EINVAL),
            };
            let new = base.checked_add(off).filter(|&p| p >= 0).ok_or(EINVAL)?;
            file.offset.set(new as u64);
            Ok(new as u64)
        }
    }
}

/// Permission bits the guest gave files and directories it created or
/// chmod-ed, by (dev, ino). WASI has no permissions, so without this every
/// file would read back as 0644; the kernel would remember what was set.
#[derive(Default)]
pub struct Modes(std::collections::BTreeMap<(u64, u64), u32>);

impl Modes {
    pub fn set(&mut self, st: &wasi::Filestat, perm: u32) {
        if st.ino != 0 {
            self.0.insert((st.dev, st.ino), perm & 0o7777);
        }
    }

    fn get(&self, st: &wasi::Filestat) -> Option<u32> {
        self.0.get(&(st.dev, st.ino)).copied()
    }
}

/// The Linux stat of a WASI filestat.
pub fn stat_of(r: &Runtime, s: &wasi::Filestat) -> Stat {
    let mut mode = mode_for_filetype(s.filetype.raw());
    if let Some(perm) = r.modes.get(s) {
        mode = (mode & S_IFMT) | perm;
    }
    Stat {
        dev: s.dev,
        ino: s.ino,
        mode,
        nlink: s.nlink.clamp(1, u32::MAX as u64) as u32,
        uid: identity::UID,
        gid: identity::GID,
        rdev: 0,
        size: s.size as i64,
        blksize: 4096,
        blocks: s.size.div_ceil(512) as i64,
        atime: Timespec::from_nanos(s.atim),
        mtime: Timespec::from_nanos(s.mtim),
        ctime: Timespec::from_nanos(s.ctim),
    }
}

/// A made-up file system for what the layer implements itself (pipes,
/// devices, /proc), so their st_dev differs from real files'.
const LAYER_DEV: u64 = 0x0e1f;

/// The stat of a special path or non-WASI file.
pub fn stat_device(dev: Device) -> Stat {
    let (major, minor) = dev.numbers();
    Stat {
        dev: LAYER_DEV,
        ino: 0x100 + minor as u64,
        mode: S_IFCHR | 0o666,
        nlink: 1,
        uid: 0,
        gid: 0,
        rdev: makedev(major, minor),
        blksize: 4096,
        ..Stat::default()
    }
}

/// fstat.
pub fn stat(r: &Runtime, file: &OpenFile) -> Result<Stat, Errno> {
    match &file.kind {
        FileKind::Wasi { fd, .. } => stat_wasi_fd(r, fd.0),
        FileKind::Pipe { ino, .. } => Ok(Stat {
            dev: LAYER_DEV,
            ino: *ino,
            mode: S_IFIFO | 0o600,
            nlink: 1,
            uid: identity::UID,
            gid: identity::GID,
            blksize: 4096,
            ..Stat::default()
        }),
        FileKind::Device(d) => Ok(stat_device(*d)),
        // /proc files say size 0, as on Linux.
        FileKind::Generated(_) => Ok(Stat {
            dev: LAYER_DEV,
            ino: 0x200,
            mode: S_IFREG | 0o444,
            nlink: 1,
            blksize: 1024,
            ..Stat::default()
        }),
    }
}

pub fn stat_wasi_fd(r: &Runtime, wfd: u32) -> Result<Stat, Errno> {
    // SAFETY: plain WASI calls.
    match unsafe { wasi::fd_filestat_get(wfd) } {
        // Node reports a pipe on stdio as a stream socket; a pipe is far
        // more likely there, and what Linux would say.
        Ok(s) if wfd <= 2 && s.filetype == wasi::FILETYPE_SOCKET_STREAM => Ok(Stat {
            mode: S_IFIFO | 0o600,
            ..stat_of(r, &s)
        }),
        Ok(s) => Ok(stat_of(r, &s)),
        // Some runtimes cannot stat stdio; its type is still known.
        Err(e) => match unsafe { wasi::fd_fdstat_get(wfd) } {
            Ok(st) if wfd <= 2 && st.fs_filetype == wasi::FILETYPE_SOCKET_STREAM => Ok(Stat {
                mode: S_IFIFO | 0o600,
                nlink: 1,
                uid: identity::UID,
                gid: identity::GID,
                blksize: 4096,
                ..Stat::default()
            }),
            Ok(st) => Ok(Stat {
                mode: mode_for_filetype(st.fs_filetype.raw()),
                nlink: 1,
                uid: identity::UID,
                gid: identity::GID,
                blksize: 4096,
                ..Stat::default()
            }),
            Err(_) => Err(werr(e)),
        },
    }
}

/// Whether a read would not block (poll's POLLIN).
pub fn poll_readable(file: &OpenFile) -> bool {
    match &file.kind {
        FileKind::Pipe { pipe, .. } => pipe.borrow().readable(),
        _ => true,
    }
}

/// Whether a write would not block (poll's POLLOUT).
pub fn poll_writable(file: &OpenFile) -> bool {
    match &file.kind {
        FileKind::Pipe { pipe, .. } => pipe.borrow().writable(),
        _ => true,
    }
}
