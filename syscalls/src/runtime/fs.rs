//! Files and directories: guest fds are entries of `Runtime::fds`, each
//! backed by a WASI fd; paths go through `Runtime::paths` onto preopens.

use super::dispatch::Args;
use super::host::{self, werr};
use super::{identity, OpenFile, Runtime};
use crate::errno::*;
use crate::linux::{self, *};

/// Linux caps one read/write at this many bytes (MAX_RW_COUNT).
const MAX_RW: u64 = 0x7fff_f000;
/// Linux's UIO_MAXIOV.
const IOV_MAX: u64 = 1024;

/// The register holding a C `int` argument: only the low 32 bits count
/// (aarch64 leaves the upper half unspecified).
fn int(a: u64) -> i32 {
    a as i32
}

fn read_path(r: &Runtime, addr: u64) -> Result<Vec<u8>, Errno> {
    r.mem().read_cstr(addr, PATH_MAX - 1)
}

/// Resolves an *at() path to (WASI directory fd, path relative to it).
fn resolve_at(r: &Runtime, dirfd: i32, path: &[u8]) -> Result<(u32, String), Errno> {
    if path.starts_with(b"/") || dirfd == AT_FDCWD {
        return r.paths.resolve(path, None);
    }
    let dir = r.fds.get(dirfd)?;
    if !dir.is_dir {
        return Err(ENOTDIR);
    }
    r.paths.resolve(path, Some(dir.wasi_fd))
}

fn lookup_flags(follow: bool) -> wasi::Lookupflags {
    if follow {
        wasi::LOOKUPFLAGS_SYMLINK_FOLLOW
    } else {
        0
    }
}

fn readable(f: &OpenFile) -> Result<(), Errno> {
    if f.status & O_ACCMODE == O_WRONLY || f.status & O_PATH != 0 {
        return Err(EBADF);
    }
    if f.is_dir {
        return Err(EISDIR);
    }
    Ok(())
}

fn writable(f: &OpenFile) -> Result<(), Errno> {
    if f.status & O_ACCMODE == O_RDONLY || f.status & O_PATH != 0 {
        return Err(EBADF);
    }
    Ok(())
}

// ---- reading and writing ----

pub fn read(r: &mut Runtime, a: &Args) -> SysResult {
    let f = r.fds.get(int(a[0]))?;
    readable(f)?;
    let len = a[2].min(MAX_RW);
    let iov = [wasi::Iovec {
        buf: r.mem().ptr(a[1], len)?,
        buf_len: len as usize,
    }];
    // SAFETY: the iovec covers checked guest memory.
    unsafe { wasi::fd_read(f.wasi_fd, &iov) }
        .map(|n| n as u64)
        .map_err(werr)
}

/// Guest data goes straight to WASI: nothing is buffered here.
pub fn write(r: &mut Runtime, a: &Args) -> SysResult {
    let f = r.fds.get(int(a[0]))?;
    writable(f)?;
    let len = a[2].min(MAX_RW);
    let iov = [wasi::Ciovec {
        buf: r.mem().ptr(a[1], len)?,
        buf_len: len as usize,
    }];
    // SAFETY: as in `read`.
    unsafe { wasi::fd_write(f.wasi_fd, &iov) }
        .map(|n| n as u64)
        .map_err(werr)
}

pub fn pread64(r: &mut Runtime, a: &Args) -> SysResult {
    let f = r.fds.get(int(a[0]))?;
    readable(f)?;
    if (a[3] as i64) < 0 {
        return Err(EINVAL);
    }
    let len = a[2].min(MAX_RW);
    let iov = [wasi::Iovec {
        buf: r.mem().ptr(a[1], len)?,
        buf_len: len as usize,
    }];
    // SAFETY: as in `read`.
    unsafe { wasi::fd_pread(f.wasi_fd, &iov, a[3]) }
        .map(|n| n as u64)
        .map_err(werr)
}

pub fn pwrite64(r: &mut Runtime, a: &Args) -> SysResult {
    let f = r.fds.get(int(a[0]))?;
    writable(f)?;
    if (a[3] as i64) < 0 {
        return Err(EINVAL);
    }
    let len = a[2].min(MAX_RW);
    let iov = [wasi::Ciovec {
        buf: r.mem().ptr(a[1], len)?,
        buf_len: len as usize,
    }];
    // SAFETY: as in `read`.
    unsafe { wasi::fd_pwrite(f.wasi_fd, &iov, a[3]) }
        .map(|n| n as u64)
        .map_err(werr)
}

/// Reads a guest `struct iovec[cnt]` and turns it into (host pointer, len)
/// pairs, checking every buffer.
fn guest_iovecs(r: &Runtime, addr: u64, cnt: u64) -> Result<Vec<(*mut u8, usize)>, Errno> {
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

pub fn readv(r: &mut Runtime, a: &Args) -> SysResult {
    let f = r.fds.get(int(a[0]))?;
    readable(f)?;
    let iovs: Vec<wasi::Iovec> = guest_iovecs(r, a[1], int(a[2]) as u64)?
        .into_iter()
        .map(|(buf, buf_len)| wasi::Iovec { buf, buf_len })
        .collect();
    // SAFETY: every iovec covers checked guest memory.
    unsafe { wasi::fd_read(f.wasi_fd, &iovs) }
        .map(|n| n as u64)
        .map_err(werr)
}

pub fn writev(r: &mut Runtime, a: &Args) -> SysResult {
    let f = r.fds.get(int(a[0]))?;
    writable(f)?;
    let iovs: Vec<wasi::Ciovec> = guest_iovecs(r, a[1], int(a[2]) as u64)?
        .into_iter()
        .map(|(buf, buf_len)| wasi::Ciovec { buf, buf_len })
        .collect();
    // SAFETY: as in `readv`.
    unsafe { wasi::fd_write(f.wasi_fd, &iovs) }
        .map(|n| n as u64)
        .map_err(werr)
}

pub fn lseek(r: &mut Runtime, a: &Args) -> SysResult {
    let off = a[1] as i64;
    let whence = a[2] as u32;
    let f = r.fds.get_mut(int(a[0]))?;
    if f.is_dir {
        // Directory offsets are getdents64 cookies (what telldir returns).
        return match whence {
            SEEK_SET if off >= 0 => {
                f.dir_cookie = off as u64;
                Ok(off as u64)
            }
            SEEK_CUR if off == 0 => Ok(f.dir_cookie),
            _ => Err(EINVAL),
        };
    }
    let whence = match whence {
        SEEK_SET => wasi::WHENCE_SET,
        SEEK_CUR => wasi::WHENCE_CUR,
        SEEK_END => wasi::WHENCE_END,
        _ => return Err(EINVAL),
    };
    // SAFETY: plain WASI call.
    unsafe { wasi::fd_seek(f.wasi_fd, off, whence) }.map_err(werr)
}

// ---- opening and closing ----

/// Rights to ask WASI for: everything the directory may hand out, minus
/// reading or writing when the guest did not ask for them. Asking for more
/// than the directory's inheriting rights fails on some runtimes (node's
/// uvwasi), so the request is trimmed to them.
fn rights_for(dir_inheriting: wasi::Rights, readable: bool, writable: bool) -> wasi::Rights {
    const READ: wasi::Rights = wasi::RIGHTS_FD_READ | wasi::RIGHTS_FD_READDIR;
    const WRITE: wasi::Rights = wasi::RIGHTS_FD_WRITE
        | wasi::RIGHTS_FD_DATASYNC
        | wasi::RIGHTS_FD_SYNC
        | wasi::RIGHTS_FD_ALLOCATE
        | wasi::RIGHTS_FD_FILESTAT_SET_SIZE;
    let mut rights = dir_inheriting & !(READ | WRITE);
    if readable {
        rights |= dir_inheriting & READ;
    }
    if writable {
        rights |= dir_inheriting & WRITE;
    }
    rights
}

pub fn openat(r: &mut Runtime, a: &Args) -> SysResult {
    let path = read_path(r, a[1])?;
    let flags = a[2] as u32;
    let af = linux::arch_open_flags(r.arch);
    if flags & O_TMPFILE_BIT != 0 {
        return Err(EOPNOTSUPP);
    }
    let acc = flags & O_ACCMODE;
    if acc == O_ACCMODE {
        return Err(EINVAL);
    }
    let (dir, rel) = resolve_at(r, int(a[0]), &path)?;

    let mut oflags: wasi::Oflags = 0;
    for (bit, of) in [
        (O_CREAT, wasi::OFLAGS_CREAT),
        (O_EXCL, wasi::OFLAGS_EXCL),
        (O_TRUNC, wasi::OFLAGS_TRUNC),
        (af.directory, wasi::OFLAGS_DIRECTORY),
    ] {
        if flags & bit != 0 {
            oflags |= of;
        }
    }
    let mut fdflags: wasi::Fdflags = 0;
    for (bit, ff) in [
        (O_APPEND, wasi::FDFLAGS_APPEND),
        (O_NONBLOCK, wasi::FDFLAGS_NONBLOCK),
        (O_DSYNC, wasi::FDFLAGS_DSYNC),
        (O_SYNC_BIT, wasi::FDFLAGS_SYNC),
    ] {
        if flags & bit != 0 {
            fdflags |= ff;
        }
    }
    let path_only = flags & O_PATH != 0;
    // SAFETY: plain WASI calls.
    let inheriting = unsafe { wasi::fd_fdstat_get(dir) }
        .map_err(werr)?
        .fs_rights_inheriting;
    let rights = rights_for(
        inheriting,
        !path_only && acc != O_WRONLY,
        !path_only && acc != O_RDONLY,
    );
    let follow = flags & af.nofollow == 0;
    let wfd = unsafe {
        wasi::path_open(
            dir,
            lookup_flags(follow),
            &rel,
            oflags,
            rights,
            inheriting,
            fdflags,
        )
    }
    .map_err(werr)?;
    // SAFETY: plain WASI call on the fd just opened.
    let is_dir = unsafe { wasi::fd_fdstat_get(wfd) }
        .is_ok_and(|s| s.fs_filetype == wasi::FILETYPE_DIRECTORY);
    let file = OpenFile {
        wasi_fd: wfd,
        status: flags & (O_ACCMODE | O_APPEND | O_NONBLOCK | O_PATH),
        cloexec: flags & O_CLOEXEC != 0,
        is_dir,
        dir_cookie: 0,
    };
    match r.fds.insert(file) {
        Ok(fd) => Ok(fd as u64),
        Err(e) => {
            // SAFETY: closing the fd we own.
            let _ = unsafe { wasi::fd_close(wfd) };
            Err(e)
        }
    }
}

/// Closes the WASI fd behind a guest fd that was just dropped, unless
/// another guest fd (a dup) still uses it. WASI 0-2 always stay open: the
/// layer still reports faults on stderr even if the guest closed its fd 2.
fn release_wasi_fd(r: &Runtime, wasi_fd: u32) -> Result<(), Errno> {
    if wasi_fd > 2 && !r.fds.iter().any(|(_, o)| o.wasi_fd == wasi_fd) {
        // SAFETY: the fd is no longer referenced.
        unsafe { wasi::fd_close(wasi_fd) }.map_err(werr)?;
    }
    Ok(())
}

pub fn close(r: &mut Runtime, a: &Args) -> SysResult {
    let f = r.fds.remove(int(a[0]))?;
    release_wasi_fd(r, f.wasi_fd)?;
    Ok(0)
}

/// dup and friends share the WASI fd (and so the file offset, as dup'd
/// Linux fds share their open file description).
fn dup_to(r: &mut Runtime, old: i32, min: usize, cloexec: bool) -> SysResult {
    let mut f = r.fds.get(old)?.clone();
    f.cloexec = cloexec;
    Ok(r.fds.insert_from(min, f)? as u64)
}

pub fn dup(r: &mut Runtime, a: &Args) -> SysResult {
    dup_to(r, int(a[0]), 0, false)
}

pub fn dup3(r: &mut Runtime, a: &Args) -> SysResult {
    let (old, new, flags) = (int(a[0]), int(a[1]), a[2] as u32);
    if flags & !O_CLOEXEC != 0 || old == new {
        return Err(EINVAL);
    }
    let mut f = r.fds.get(old)?.clone();
    f.cloexec = flags & O_CLOEXEC != 0;
    if new < 0 || new as u64 >= super::process::NOFILE_LIMIT {
        return Err(EBADF);
    }
    if let Some(replaced) = r.fds.insert_at(new, f)? {
        release_wasi_fd(r, replaced.wasi_fd)?;
    }
    Ok(new as u64)
}

pub fn fcntl(r: &mut Runtime, a: &Args) -> SysResult {
    const F_DUPFD: u32 = 0;
    const F_GETFD: u32 = 1;
    const F_SETFD: u32 = 2;
    const F_GETFL: u32 = 3;
    const F_SETFL: u32 = 4;
    const F_DUPFD_CLOEXEC: u32 = 1030;
    const FD_CLOEXEC: u64 = 1;
    let fd = int(a[0]);
    match a[1] as u32 {
        F_DUPFD | F_DUPFD_CLOEXEC => {
            let min = int(a[2]);
            if min < 0 || min as u64 >= super::process::NOFILE_LIMIT {
                return Err(EINVAL);
            }
            dup_to(r, fd, min as usize, a[1] as u32 == F_DUPFD_CLOEXEC)
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
        F_GETFL => {
            let f = r.fds.get(fd)?;
            Ok((f.status | linux::arch_open_flags(r.arch).largefile) as u64)
        }
        F_SETFL => {
            // Only O_APPEND and O_NONBLOCK can change, as on Linux.
            let f = r.fds.get_mut(fd)?;
            let changeable = O_APPEND | O_NONBLOCK;
            let status = (f.status & !changeable) | (a[2] as u32 & changeable);
            if status == f.status {
                return Ok(0);
            }
            let mut fdflags: wasi::Fdflags = 0;
            if status & O_APPEND != 0 {
                fdflags |= wasi::FDFLAGS_APPEND;
            }
            if status & O_NONBLOCK != 0 {
                fdflags |= wasi::FDFLAGS_NONBLOCK;
            }
            // SAFETY: plain WASI call.
            unsafe { wasi::fd_fdstat_set_flags(f.wasi_fd, fdflags) }.map_err(werr)?;
            f.status = status;
            Ok(0)
        }
        _ => Err(EINVAL),
    }
}

// ---- metadata ----

fn to_stat(s: &wasi::Filestat) -> Stat {
    Stat {
        dev: s.dev,
        ino: s.ino,
        mode: mode_for_filetype(s.filetype.raw()),
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

fn stat_wasi_fd(wfd: u32) -> Result<Stat, Errno> {
    // SAFETY: plain WASI calls.
    match unsafe { wasi::fd_filestat_get(wfd) } {
        Ok(s) => Ok(to_stat(&s)),
        // Some runtimes cannot stat stdio; its type is still known.
        Err(e) => match unsafe { wasi::fd_fdstat_get(wfd) } {
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

pub fn fstat(r: &mut Runtime, a: &Args) -> SysResult {
    let st = stat_wasi_fd(r.fds.get(int(a[0]))?.wasi_fd)?;
    r.mem().write(a[1], &st.to_bytes())?;
    Ok(0)
}

/// The WASI fd behind `dirfd` for AT_EMPTY_PATH operations.
fn empty_path_fd(r: &Runtime, dirfd: i32) -> Result<u32, Errno> {
    if dirfd == AT_FDCWD {
        r.paths.cwd_fd().ok_or(ENOENT)
    } else {
        Ok(r.fds.get(dirfd)?.wasi_fd)
    }
}

pub fn newfstatat(r: &mut Runtime, a: &Args) -> SysResult {
    let flags = a[3] as u32;
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT) != 0 {
        return Err(EINVAL);
    }
    let path = read_path(r, a[1])?;
    let st = if path.is_empty() {
        if flags & AT_EMPTY_PATH == 0 {
            return Err(ENOENT);
        }
        stat_wasi_fd(empty_path_fd(r, int(a[0]))?)?
    } else {
        let (dir, rel) = resolve_at(r, int(a[0]), &path)?;
        let follow = flags & AT_SYMLINK_NOFOLLOW == 0;
        // SAFETY: plain WASI call.
        to_stat(&unsafe { wasi::path_filestat_get(dir, lookup_flags(follow), &rel) }.map_err(werr)?)
    };
    r.mem().write(a[2], &st.to_bytes())?;
    Ok(0)
}

/// access(2) checks existence only: WASI has no permission bits, and what
/// the sandbox allows shows up when the file is actually used.
fn access(r: &Runtime, dirfd: i32, path_addr: u64, mode: u32, flags: u32) -> SysResult {
    if mode & !(R_OK | W_OK | X_OK) != 0 {
        return Err(EINVAL);
    }
    if flags & !(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(EINVAL);
    }
    let path = read_path(r, path_addr)?;
    if path.is_empty() {
        if flags & AT_EMPTY_PATH == 0 {
            return Err(ENOENT);
        }
        empty_path_fd(r, dirfd)?;
        return Ok(0);
    }
    let (dir, rel) = resolve_at(r, dirfd, &path)?;
    let follow = flags & AT_SYMLINK_NOFOLLOW == 0;
    // SAFETY: plain WASI call.
    unsafe { wasi::path_filestat_get(dir, lookup_flags(follow), &rel) }.map_err(werr)?;
    Ok(0)
}

pub fn faccessat(r: &mut Runtime, a: &Args) -> SysResult {
    access(r, int(a[0]), a[1], a[2] as u32, 0)
}

pub fn faccessat2(r: &mut Runtime, a: &Args) -> SysResult {
    access(r, int(a[0]), a[1], a[2] as u32, a[3] as u32)
}

pub fn getcwd(r: &mut Runtime, a: &Args) -> SysResult {
    let mut name = r.paths.cwd_display().into_bytes();
    name.push(0);
    if (a[1] as usize) < name.len() {
        return Err(ERANGE);
    }
    r.mem().write(a[0], &name)?;
    Ok(name.len() as u64)
}

pub fn readlinkat(r: &mut Runtime, a: &Args) -> SysResult {
    let bufsiz = a[3] as i32;
    if bufsiz <= 0 {
        return Err(EINVAL);
    }
    let path = read_path(r, a[1])?;
    let target = if is_proc_self_exe(&path) {
        r.exe_path.clone()
    } else {
        let (dir, rel) = resolve_at(r, int(a[0]), &path)?;
        let mut buf = vec![0u8; PATH_MAX];
        // SAFETY: the buffer is PATH_MAX bytes long.
        let n =
            unsafe { wasi::path_readlink(dir, &rel, buf.as_mut_ptr(), buf.len()) }.map_err(werr)?;
        buf.truncate(n);
        buf
    };
    let n = target.len().min(bufsiz as usize);
    r.mem().write(a[2], &target[..n])?;
    Ok(n as u64)
}

fn is_proc_self_exe(path: &[u8]) -> bool {
    let pid = identity::PID.to_string();
    path == b"/proc/self/exe" || path == format!("/proc/{pid}/exe").as_bytes()
}

// ---- directories ----

pub fn mkdirat(r: &mut Runtime, a: &Args) -> SysResult {
    let path = read_path(r, a[1])?;
    let (dir, rel) = resolve_at(r, int(a[0]), &path)?;
    // SAFETY: plain WASI call. (WASI has no modes; a[2] is ignored.)
    unsafe { wasi::path_create_directory(dir, &rel) }.map_err(werr)?;
    Ok(0)
}

pub fn unlinkat(r: &mut Runtime, a: &Args) -> SysResult {
    let flags = a[2] as u32;
    if flags & !AT_REMOVEDIR != 0 {
        return Err(EINVAL);
    }
    let path = read_path(r, a[1])?;
    let (dir, rel) = resolve_at(r, int(a[0]), &path)?;
    // SAFETY: plain WASI calls.
    if flags & AT_REMOVEDIR != 0 {
        unsafe { wasi::path_remove_directory(dir, &rel) }.map_err(werr)?;
    } else {
        unsafe { wasi::path_unlink_file(dir, &rel) }.map_err(werr)?;
    }
    Ok(0)
}

/// renameat2 flags Linux defines; WASI can do the first two.
const RENAME_NOREPLACE: u32 = 1;
const RENAME_EXCHANGE: u32 = 2;

/// renameat2(olddirfd, oldpath, newdirfd, newpath, flags). riscv64 and
/// aarch64 have no plain renameat/rename: glibc's rename() lands here.
pub fn renameat2(r: &mut Runtime, a: &Args) -> SysResult {
    let flags = a[4] as u32;
    if flags & !(RENAME_NOREPLACE | RENAME_EXCHANGE) != 0
        || flags == RENAME_NOREPLACE | RENAME_EXCHANGE
    {
        return Err(EINVAL);
    }
    if flags & RENAME_EXCHANGE != 0 {
        // WASI has no atomic exchange; refuse rather than fake it.
        return Err(EINVAL);
    }
    let old = read_path(r, a[1])?;
    let new = read_path(r, a[3])?;
    let (old_dir, old_rel) = resolve_at(r, int(a[0]), &old)?;
    let (new_dir, new_rel) = resolve_at(r, int(a[2]), &new)?;
    if flags & RENAME_NOREPLACE != 0 {
        // SAFETY: plain WASI call.
        if unsafe { wasi::path_filestat_get(new_dir, 0, &new_rel) }.is_ok() {
            return Err(EEXIST);
        }
    }
    // SAFETY: plain WASI call.
    unsafe { wasi::path_rename(old_dir, &old_rel, new_dir, &new_rel) }.map_err(werr)?;
    Ok(0)
}

/// Size of a WASI `dirent` header (d_next, d_ino, d_namlen, d_type).
const WASI_DIRENT_SIZE: usize = 24;

pub fn getdents64(r: &mut Runtime, a: &Args) -> SysResult {
    let fd = int(a[0]);
    let count = a[2].min(MAX_RW) as usize;
    r.mem().check(a[1], count as u64)?;
    let f = r.fds.get(fd)?;
    if !f.is_dir {
        return Err(ENOTDIR);
    }
    let (wfd, mut cookie) = (f.wasi_fd, f.dir_cookie);
    let mut out: Vec<u8> = Vec::new();
    let mut buf = vec![0u8; 16 * 1024];
    'fill: loop {
        // SAFETY: buf is a live, writable buffer of its length.
        let n =
            unsafe { wasi::fd_readdir(wfd, buf.as_mut_ptr(), buf.len(), cookie) }.map_err(werr)?;
        let mut off = 0;
        let mut consumed = false;
        while off + WASI_DIRENT_SIZE <= n {
            let h = &buf[off..off + WASI_DIRENT_SIZE];
            let next = u64::from_le_bytes(h[0..8].try_into().unwrap());
            let ino = u64::from_le_bytes(h[8..16].try_into().unwrap());
            let namlen = u32::from_le_bytes(h[16..20].try_into().unwrap()) as usize;
            let ftype = h[20];
            let name_at = off + WASI_DIRENT_SIZE;
            if name_at + namlen > n {
                break; // cut off at the buffer's end; reread from `cookie`
            }
            if out.len() + dirent64_reclen(namlen) > count {
                if out.is_empty() {
                    return Err(EINVAL); // not even one entry fits
                }
                break 'fill;
            }
            push_dirent64(
                &mut out,
                ino,
                next,
                dtype_for_filetype(ftype),
                &buf[name_at..name_at + namlen],
            );
            cookie = next;
            off = name_at + namlen;
            consumed = true;
        }
        // A short read means the end of the directory.
        if n < buf.len() {
            break;
        }
        if !consumed {
            // One entry is larger than the buffer: make room and retry.
            let bigger = buf.len() * 2;
            buf.resize(bigger, 0);
        }
    }
    r.mem().write(a[1], &out)?;
    r.fds.get_mut(fd)?.dir_cookie = cookie;
    Ok(out.len() as u64)
}

// ---- terminals and misc ----

pub fn ioctl(r: &mut Runtime, a: &Args) -> SysResult {
    let f = r.fds.get(int(a[0]))?;
    let tty = host::is_tty(f.wasi_fd);
    if !tty {
        return Err(ENOTTY);
    }
    match a[1] as u32 {
        TCGETS => r.mem().write(a[2], &default_termios())?,
        TIOCGWINSZ => r.mem().write(a[2], &default_winsize())?,
        TIOCGPGRP => r.mem().write_u32(a[2], identity::PID)?,
        // Changing terminal modes has no WASI equivalent; accept it so
        // programs that tweak the terminal keep going.
        TCSETS | TCSETSW | TCSETSF | TIOCSWINSZ => {}
        _ => return Err(ENOTTY),
    }
    Ok(0)
}

pub fn umask(r: &mut Runtime, a: &Args) -> SysResult {
    let old = r.umask;
    r.umask = a[0] as u32 & 0o777;
    Ok(old as u64)
}
