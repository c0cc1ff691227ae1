//! WASI preview 1 over Rust std, for the native build.
//!
//! The guest sees stdin/stdout/stderr as fds 0-2 and the `--dir` preopens from fd 3 on, as
//! under wasmtime. Paths are resolved inside a preopen: absolute paths and `..` that would
//! leave it are refused with ENOTCAPABLE. (Symbolic links inside a preopen are followed by
//! the host and are not confined; see the README.)

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::errno::*;
use super::mem::GuestMem;
use super::{arg32, arg64, Backend, WasiFn};
use crate::store::Val;
use crate::trap::Trap;

// filetype
const FT_UNKNOWN: u8 = 0;
const FT_CHARACTER_DEVICE: u8 = 2;
const FT_DIRECTORY: u8 = 3;
const FT_REGULAR_FILE: u8 = 4;
const FT_SYMBOLIC_LINK: u8 = 7;
// oflags
const O_CREAT: u32 = 1;
const O_DIRECTORY: u32 = 2;
const O_EXCL: u32 = 4;
const O_TRUNC: u32 = 8;
// fdflags
const FDFLAG_APPEND: u16 = 1;
// rights
const RIGHT_FD_READ: u64 = 1 << 1;
const RIGHT_FD_WRITE: u64 = 1 << 6;
const RIGHTS_ALL: u64 = (1 << 30) - 1;
// lookupflags
const LOOKUP_SYMLINK_FOLLOW: u32 = 1;

enum Entry {
    Stdin,
    Stdout,
    Stderr,
    /// A preopened directory: its host path and the name the guest sees.
    Preopen {
        host: PathBuf,
        name: String,
    },
    Dir {
        host: PathBuf,
    },
    File {
        file: File,
        append: bool,
    },
}

pub struct Native {
    fds: BTreeMap<u32, Entry>,
    start: Instant,
}

fn filetype_of(ft: &fs::FileType) -> u8 {
    if ft.is_dir() {
        FT_DIRECTORY
    } else if ft.is_file() {
        FT_REGULAR_FILE
    } else if ft.is_symlink() {
        FT_SYMBOLIC_LINK
    } else {
        FT_UNKNOWN
    }
}

fn nanos(t: std::io::Result<SystemTime>) -> u64 {
    t.ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

/// Writes a WASI `filestat` (64 bytes).
fn write_filestat(mem: &mut GuestMem, at: u32, md: &fs::Metadata) -> Result<(), Errno> {
    #[cfg(unix)]
    let (dev, ino, nlink) = {
        use std::os::unix::fs::MetadataExt;
        (md.dev(), md.ino(), md.nlink())
    };
    #[cfg(not(unix))]
    let (dev, ino, nlink) = (0, 0, 1);
    mem.slice_mut(at, 64)?.fill(0);
    mem.write_u64(at, dev)?;
    mem.write_u64(at + 8, ino)?;
    mem.write_u8(at + 16, filetype_of(&md.file_type()))?;
    mem.write_u64(at + 24, nlink)?;
    mem.write_u64(at + 32, md.len())?;
    mem.write_u64(at + 40, nanos(md.accessed()))?;
    mem.write_u64(at + 48, nanos(md.modified()))?;
    mem.write_u64(at + 56, nanos(md.modified()))
}

fn io<T>(r: std::io::Result<T>) -> Result<T, Errno> {
    r.map_err(|e| from_io(&e))
}

/// Resolves a guest path relative to a directory inside a preopen; refuses escapes.
fn confine(dir: &Path, path: &str) -> Result<PathBuf, Errno> {
    let mut out = PathBuf::new();
    let mut depth = 0usize;
    for c in Path::new(path).components() {
        match c {
            Component::Normal(n) => {
                out.push(n);
                depth += 1;
            }
            Component::CurDir => {}
            Component::ParentDir => {
                if depth == 0 {
                    return Err(ENOTCAPABLE);
                }
                out.pop();
                depth -= 1;
            }
            Component::RootDir | Component::Prefix(_) => return Err(ENOTCAPABLE),
        }
    }
    Ok(dir.join(out))
}

impl Native {
    pub fn new(dirs: &[(String, String)]) -> Result<Self, String> {
        let mut fds = BTreeMap::new();
        fds.insert(0, Entry::Stdin);
        fds.insert(1, Entry::Stdout);
        fds.insert(2, Entry::Stderr);
        for (i, (host, name)) in dirs.iter().enumerate() {
            let md = fs::metadata(host).map_err(|e| format!("--dir {host}: {e}"))?;
            if !md.is_dir() {
                return Err(format!("--dir {host}: not a directory"));
            }
            fds.insert(
                3 + i as u32,
                Entry::Preopen {
                    host: PathBuf::from(host),
                    name: name.clone(),
                },
            );
        }
        Ok(Native {
            fds,
            start: Instant::now(),
        })
    }

    fn add(&mut self, e: Entry) -> u32 {
        let fd = (3..).find(|fd| !self.fds.contains_key(fd)).unwrap();
        self.fds.insert(fd, e);
        fd
    }

    fn dir_of(&self, fd: u32) -> Result<&Path, Errno> {
        match self.fds.get(&fd) {
            Some(Entry::Preopen { host, .. }) | Some(Entry::Dir { host }) => Ok(host),
            Some(_) => Err(ENOTDIR),
            None => Err(EBADF),
        }
    }

    fn path(&self, mem: &GuestMem, fd: u32, ptr: u32, len: u32) -> Result<PathBuf, Errno> {
        let p = mem.str(ptr, len)?;
        confine(self.dir_of(fd)?, p)
    }

    fn file(&mut self, fd: u32) -> Result<&mut File, Errno> {
        match self.fds.get_mut(&fd) {
            Some(Entry::File { file, .. }) => Ok(file),
            Some(Entry::Preopen { .. } | Entry::Dir { .. }) => Err(EISDIR),
            Some(_) => Err(ESPIPE),
            None => Err(EBADF),
        }
    }

    fn write(&mut self, fd: u32, bufs: &[&[u8]]) -> Result<usize, Errno> {
        let mut n = 0;
        match self.fds.get_mut(&fd) {
            Some(Entry::Stdout) => {
                let mut out = std::io::stdout().lock();
                for b in bufs {
                    io(out.write_all(b))?;
                    n += b.len();
                }
                io(out.flush())?;
            }
            Some(Entry::Stderr) => {
                let mut out = std::io::stderr().lock();
                for b in bufs {
                    io(out.write_all(b))?;
                    n += b.len();
                }
            }
            Some(Entry::File { file, append }) => {
                if *append {
                    io(file.seek(SeekFrom::End(0)))?;
                }
                for b in bufs {
                    io(file.write_all(b))?;
                    n += b.len();
                }
            }
            Some(Entry::Stdin) => return Err(EBADF),
            Some(_) => return Err(EISDIR),
            None => return Err(EBADF),
        }
        Ok(n)
    }

    fn read(&mut self, fd: u32, buf: &mut [u8]) -> Result<usize, Errno> {
        match self.fds.get_mut(&fd) {
            Some(Entry::Stdin) => io(std::io::stdin().lock().read(buf)),
            Some(Entry::File { file, .. }) => io(file.read(buf)),
            Some(Entry::Stdout | Entry::Stderr) => Err(EBADF),
            Some(_) => Err(EISDIR),
            None => Err(EBADF),
        }
    }

    fn fd_read(&mut self, mem: &mut GuestMem, args: &[Val]) -> Result<(), Errno> {
        let (fd, iovs, n, out) = (
            arg32(args, 0),
            arg32(args, 1),
            arg32(args, 2),
            arg32(args, 3),
        );
        let mut total = 0u32;
        for (buf, len) in mem.iovecs(iovs, n)? {
            let dst = mem.slice_mut(buf, len)?;
            let got = self.read(fd, dst)?;
            total += got as u32;
            if got < len as usize {
                break;
            }
        }
        mem.write_u32(out, total)
    }

    fn fd_write(&mut self, mem: &mut GuestMem, args: &[Val]) -> Result<(), Errno> {
        let (fd, iovs, n, out) = (
            arg32(args, 0),
            arg32(args, 1),
            arg32(args, 2),
            arg32(args, 3),
        );
        let vecs = mem.iovecs(iovs, n)?;
        let bufs = vecs
            .iter()
            .map(|&(b, l)| mem.slice(b, l))
            .collect::<Result<Vec<_>, _>>()?;
        let total = self.write(fd, &bufs)?;
        mem.write_u32(out, total as u32)
    }

    #[cfg(unix)]
    fn fd_pread(&mut self, mem: &mut GuestMem, args: &[Val]) -> Result<(), Errno> {
        use std::os::unix::fs::FileExt;
        let (fd, iovs, n, mut off, out) = (
            arg32(args, 0),
            arg32(args, 1),
            arg32(args, 2),
            arg64(args, 3),
            arg32(args, 4),
        );
        let mut total = 0u32;
        for (buf, len) in mem.iovecs(iovs, n)? {
            let dst = mem.slice_mut(buf, len)?;
            let got = io(self.file(fd)?.read_at(dst, off))?;
            total += got as u32;
            off += got as u64;
            if got < len as usize {
                break;
            }
        }
        mem.write_u32(out, total)
    }

    #[cfg(unix)]
    fn fd_pwrite(&mut self, mem: &mut GuestMem, args: &[Val]) -> Result<(), Errno> {
        use std::os::unix::fs::FileExt;
        let (fd, iovs, n, mut off, out) = (
            arg32(args, 0),
            arg32(args, 1),
            arg32(args, 2),
            arg64(args, 3),
            arg32(args, 4),
        );
        let mut total = 0u32;
        for (buf, len) in mem.iovecs(iovs, n)? {
            let src = mem.slice(buf, len)?;
            io(self.file(fd)?.write_all_at(src, off))?;
            total += len;
            off += len as u64;
        }
        mem.write_u32(out, total)
    }

    fn fd_seek(&mut self, mem: &mut GuestMem, args: &[Val]) -> Result<(), Errno> {
        let (fd, off, whence, out) = (
            arg32(args, 0),
            arg64(args, 1) as i64,
            arg32(args, 2),
            arg32(args, 3),
        );
        let pos = match whence {
            0 => SeekFrom::Start(u64::try_from(off).map_err(|_| EINVAL)?),
            1 => SeekFrom::Current(off),
            2 => SeekFrom::End(off),
            _ => return Err(EINVAL),
        };
        let at = io(self.file(fd)?.seek(pos))?;
        mem.write_u64(out, at)
    }

    fn fd_fdstat_get(&mut self, mem: &mut GuestMem, args: &[Val]) -> Result<(), Errno> {
        let (fd, out) = (arg32(args, 0), arg32(args, 1));
        let (ft, flags) = match self.fds.get(&fd).ok_or(EBADF)? {
            Entry::Stdin | Entry::Stdout | Entry::Stderr => (FT_CHARACTER_DEVICE, 0),
            Entry::Preopen { .. } | Entry::Dir { .. } => (FT_DIRECTORY, 0),
            Entry::File { append, .. } => {
                (FT_REGULAR_FILE, if *append { FDFLAG_APPEND } else { 0 })
            }
        };
        mem.slice_mut(out, 24)?.fill(0);
        mem.write_u8(out, ft)?;
        mem.write_u16(out + 2, flags)?;
        mem.write_u64(out + 8, RIGHTS_ALL)?;
        mem.write_u64(out + 16, RIGHTS_ALL)
    }

    fn fd_filestat_get(&mut self, mem: &mut GuestMem, args: &[Val]) -> Result<(), Errno> {
        let (fd, out) = (arg32(args, 0), arg32(args, 1));
        match self.fds.get(&fd).ok_or(EBADF)? {
            Entry::Stdin | Entry::Stdout | Entry::Stderr => {
                mem.slice_mut(out, 64)?.fill(0);
                mem.write_u8(out + 16, FT_CHARACTER_DEVICE)
            }
            Entry::Preopen { host, .. } | Entry::Dir { host } => {
                let md = io(fs::metadata(host))?;
                write_filestat(mem, out, &md)
            }
            Entry::File { file, .. } => {
                let md = io(file.metadata())?;
                write_filestat(mem, out, &md)
            }
        }
    }

    fn path_open(&mut self, mem: &mut GuestMem, args: &[Val]) -> Result<(), Errno> {
        let (dirfd, path, len, oflags) = (
            arg32(args, 0),
            arg32(args, 2),
            arg32(args, 3),
            arg32(args, 4),
        );
        let (rights, fdflags, out) = (arg64(args, 5), arg32(args, 7) as u16, arg32(args, 8));
        let host = self.path(mem, dirfd, path, len)?;
        let is_dir = fs::metadata(&host).map(|m| m.is_dir()).unwrap_or(false);
        if oflags & O_DIRECTORY != 0 || (is_dir && oflags & O_CREAT == 0) {
            if !is_dir {
                return Err(if host.exists() { ENOTDIR } else { ENOENT });
            }
            let fd = self.add(Entry::Dir { host });
            return mem.write_u32(out, fd);
        }
        let append = fdflags & FDFLAG_APPEND != 0;
        let write = rights & RIGHT_FD_WRITE != 0 || append;
        let mut o = OpenOptions::new();
        o.read(rights & RIGHT_FD_READ != 0 || !write)
            .write(write)
            .append(append);
        if oflags & O_CREAT != 0 {
            if oflags & O_EXCL != 0 {
                o.create_new(true);
            } else {
                o.create(true);
            }
            if !write {
                o.write(true);
            }
        }
        if oflags & O_TRUNC != 0 {
            o.truncate(true).write(true);
        }
        let file = io(o.open(&host))?;
        let fd = self.add(Entry::File { file, append });
        mem.write_u32(out, fd)
    }

    fn fd_readdir(&mut self, mem: &mut GuestMem, args: &[Val]) -> Result<(), Errno> {
        let (fd, buf, len, cookie, out) = (
            arg32(args, 0),
            arg32(args, 1),
            arg32(args, 2),
            arg64(args, 3),
            arg32(args, 4),
        );
        let dir = self.dir_of(fd)?.to_path_buf();
        let mut names: Vec<(String, u8, u64)> = vec![
            (".".into(), FT_DIRECTORY, 0),
            ("..".into(), FT_DIRECTORY, 0),
        ];
        let mut rest = Vec::new();
        for e in io(fs::read_dir(&dir))? {
            let e = io(e)?;
            let ft = e.file_type().map(|t| filetype_of(&t)).unwrap_or(FT_UNKNOWN);
            #[cfg(unix)]
            let ino = std::os::unix::fs::DirEntryExt::ino(&e);
            #[cfg(not(unix))]
            let ino = 0;
            rest.push((e.file_name().to_string_lossy().into_owned(), ft, ino));
        }
        rest.sort();
        names.extend(rest);
        // Serialise entries from `cookie` on; a truncated last entry tells the guest to grow
        // its buffer, as the WASI ABI specifies.
        let mut bytes = Vec::new();
        for (i, (name, ft, ino)) in names.iter().enumerate().skip(cookie as usize) {
            bytes.extend_from_slice(&(i as u64 + 1).to_le_bytes());
            bytes.extend_from_slice(&ino.to_le_bytes());
            bytes.extend_from_slice(&(name.len() as u32).to_le_bytes());
            bytes.extend_from_slice(&[*ft, 0, 0, 0]);
            bytes.extend_from_slice(name.as_bytes());
            if bytes.len() >= len as usize {
                break;
            }
        }
        let n = bytes.len().min(len as usize);
        mem.slice_mut(buf, n as u32)?.copy_from_slice(&bytes[..n]);
        mem.write_u32(out, n as u32)
    }

    fn poll_oneoff(&mut self, mem: &mut GuestMem, args: &[Val]) -> Result<(), Errno> {
        let (inp, outp, n, nevents) = (
            arg32(args, 0),
            arg32(args, 1),
            arg32(args, 2),
            arg32(args, 3),
        );
        // Clock subscriptions sleep for the shortest timeout; fd subscriptions are ready.
        let mut sleep: Option<u64> = None;
        let mut events = Vec::new();
        for i in 0..n {
            let s = inp + i * 48;
            let userdata = mem.read_u64(s)?;
            let tag = mem.slice(s + 8, 1)?[0];
            if tag == 0 {
                let clock = mem.read_u32(s + 16)?;
                let timeout = mem.read_u64(s + 24)?;
                let flags = mem.slice(s + 40, 2)?[0];
                let rel = if flags & 1 != 0 {
                    let now = self.now(clock).ok_or(EINVAL)?;
                    timeout.saturating_sub(now)
                } else {
                    timeout
                };
                sleep = Some(sleep.map_or(rel, |t| t.min(rel)));
                events.push((userdata, 0u16, tag));
            } else {
                events.push((userdata, 0u16, tag));
            }
        }
        let only_clocks = events.iter().all(|e| e.2 == 0);
        if only_clocks {
            if let Some(ns) = sleep {
                std::thread::sleep(Duration::from_nanos(ns));
            }
        }
        let mut count = 0;
        for (userdata, err, tag) in events {
            if !only_clocks && tag == 0 {
                continue;
            }
            let e = outp + count * 32;
            mem.slice_mut(e, 32)?.fill(0);
            mem.write_u64(e, userdata)?;
            mem.write_u16(e + 8, err)?;
            mem.write_u8(e + 10, tag)?;
            count += 1;
        }
        mem.write_u32(nevents, count)
    }

    fn now(&self, clock: u32) -> Option<u64> {
        match clock {
            0 => Some(nanos(Ok(SystemTime::now()))),
            1..=3 => Some(self.start.elapsed().as_nanos() as u64),
            _ => None,
        }
    }

    fn random(buf: &mut [u8]) -> Result<(), Errno> {
        let mut f = io(File::open("/dev/urandom"))?;
        io(f.read_exact(buf))
    }

    fn dispatch(&mut self, f: WasiFn, mem: &mut GuestMem, a: &[Val]) -> Result<(), Errno> {
        use WasiFn::*;
        match f {
            ClockResGet => {
                self.now(arg32(a, 0)).ok_or(EINVAL)?;
                mem.write_u64(arg32(a, 1), 1)
            }
            ClockTimeGet => {
                let t = self.now(arg32(a, 0)).ok_or(EINVAL)?;
                mem.write_u64(arg32(a, 2), t)
            }
            FdAdvise => self.fds.get(&arg32(a, 0)).map(|_| ()).ok_or(EBADF),
            FdAllocate => {
                let want = arg64(a, 1).saturating_add(arg64(a, 2));
                let file = self.file(arg32(a, 0))?;
                if io(file.metadata())?.len() < want {
                    io(file.set_len(want))?;
                }
                Ok(())
            }
            FdClose => {
                let fd = arg32(a, 0);
                match self.fds.get(&fd) {
                    None => Err(EBADF),
                    Some(Entry::Preopen { .. }) => Err(ENOTCAPABLE),
                    Some(_) => {
                        self.fds.remove(&fd);
                        Ok(())
                    }
                }
            }
            FdDatasync => io(self.file(arg32(a, 0))?.sync_data()),
            FdSync => io(self.file(arg32(a, 0))?.sync_all()),
            FdFdstatGet => self.fd_fdstat_get(mem, a),
            FdFdstatSetFlags => Err(ENOSYS),
            // Rights are not enforced beyond the host's own checks; narrowing them is accepted.
            FdFdstatSetRights => self.fds.get(&arg32(a, 0)).map(|_| ()).ok_or(EBADF),
            FdFilestatGet => self.fd_filestat_get(mem, a),
            FdFilestatSetSize => io(self.file(arg32(a, 0))?.set_len(arg64(a, 1))),
            FdFilestatSetTimes | PathFilestatSetTimes => Err(ENOSYS),
            #[cfg(unix)]
            FdPread => self.fd_pread(mem, a),
            #[cfg(unix)]
            FdPwrite => self.fd_pwrite(mem, a),
            #[cfg(not(unix))]
            FdPread | FdPwrite => Err(ENOSYS),
            FdPrestatGet => match self.fds.get(&arg32(a, 0)) {
                Some(Entry::Preopen { name, .. }) => {
                    let out = arg32(a, 1);
                    mem.slice_mut(out, 8)?.fill(0);
                    mem.write_u32(out + 4, name.len() as u32)
                }
                Some(_) => Err(EBADF),
                None => Err(EBADF),
            },
            FdPrestatDirName => match self.fds.get(&arg32(a, 0)) {
                Some(Entry::Preopen { name, .. }) => {
                    let (ptr, len) = (arg32(a, 1), arg32(a, 2));
                    if (len as usize) < name.len() {
                        return Err(ENAMETOOLONG);
                    }
                    mem.slice_mut(ptr, name.len() as u32)?
                        .copy_from_slice(name.as_bytes());
                    Ok(())
                }
                _ => Err(EBADF),
            },
            FdRead => self.fd_read(mem, a),
            FdReaddir => self.fd_readdir(mem, a),
            FdRenumber => {
                let (from, to) = (arg32(a, 0), arg32(a, 1));
                if !self.fds.contains_key(&to) {
                    return Err(EBADF);
                }
                let e = self.fds.remove(&from).ok_or(EBADF)?;
                self.fds.insert(to, e);
                Ok(())
            }
            FdSeek => self.fd_seek(mem, a),
            FdTell => {
                let at = io(self.file(arg32(a, 0))?.stream_position())?;
                mem.write_u64(arg32(a, 1), at)
            }
            FdWrite => self.fd_write(mem, a),
            PathCreateDirectory => io(fs::create_dir(self.path(
                mem,
                arg32(a, 0),
                arg32(a, 1),
                arg32(a, 2),
            )?)),
            PathFilestatGet => {
                let p = self.path(mem, arg32(a, 0), arg32(a, 2), arg32(a, 3))?;
                let md = if arg32(a, 1) & LOOKUP_SYMLINK_FOLLOW != 0 {
                    io(fs::metadata(&p))?
                } else {
                    io(fs::symlink_metadata(&p))?
                };
                write_filestat(mem, arg32(a, 4), &md)
            }
            PathLink => {
                let from = self.path(mem, arg32(a, 0), arg32(a, 2), arg32(a, 3))?;
                let to = self.path(mem, arg32(a, 4), arg32(a, 5), arg32(a, 6))?;
                io(fs::hard_link(from, to))
            }
            PathOpen => self.path_open(mem, a),
            PathReadlink => {
                let p = self.path(mem, arg32(a, 0), arg32(a, 1), arg32(a, 2))?;
                let target = io(fs::read_link(p))?;
                let t = target.to_string_lossy();
                let n = t.len().min(arg32(a, 4) as usize);
                mem.slice_mut(arg32(a, 3), n as u32)?
                    .copy_from_slice(&t.as_bytes()[..n]);
                mem.write_u32(arg32(a, 5), n as u32)
            }
            PathRemoveDirectory => io(fs::remove_dir(self.path(
                mem,
                arg32(a, 0),
                arg32(a, 1),
                arg32(a, 2),
            )?)),
            PathRename => {
                let from = self.path(mem, arg32(a, 0), arg32(a, 1), arg32(a, 2))?;
                let to = self.path(mem, arg32(a, 3), arg32(a, 4), arg32(a, 5))?;
                io(fs::rename(from, to))
            }
            #[cfg(unix)]
            PathSymlink => {
                let target = mem.str(arg32(a, 0), arg32(a, 1))?.to_string();
                // The link's target must not point outside the preopen either.
                if Path::new(&target).is_absolute() {
                    return Err(ENOTCAPABLE);
                }
                let link = self.path(mem, arg32(a, 2), arg32(a, 3), arg32(a, 4))?;
                io(std::os::unix::fs::symlink(target, link))
            }
            #[cfg(not(unix))]
            PathSymlink => Err(ENOSYS),
            PathUnlinkFile => {
                let p = self.path(mem, arg32(a, 0), arg32(a, 1), arg32(a, 2))?;
                if io(fs::symlink_metadata(&p))?.is_dir() {
                    return Err(EISDIR);
                }
                io(fs::remove_file(p))
            }
            PollOneoff => self.poll_oneoff(mem, a),
            SchedYield => {
                std::thread::yield_now();
                Ok(())
            }
            RandomGet => Self::random(mem.slice_mut(arg32(a, 0), arg32(a, 1))?),
            ProcRaise | SockAccept | SockRecv | SockSend | SockShutdown => Err(ENOSYS),
            ArgsGet | ArgsSizesGet | EnvironGet | EnvironSizesGet | ProcExit => {
                unreachable!("served by Wasi")
            }
        }
    }
}

impl Backend for Native {
    fn call(&mut self, f: WasiFn, mem: &mut GuestMem, args: &[Val]) -> Result<Errno, Trap> {
        Ok(self.dispatch(f, mem, args).err().unwrap_or(SUCCESS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_preopen() {
        let root = Path::new("/data");
        assert_eq!(confine(root, "a/./b").unwrap(), Path::new("/data/a/b"));
        assert_eq!(confine(root, "a/../b").unwrap(), Path::new("/data/b"));
        assert_eq!(confine(root, "../etc/passwd"), Err(ENOTCAPABLE));
        assert_eq!(confine(root, "a/../../x"), Err(ENOTCAPABLE));
        assert_eq!(confine(root, "/etc/passwd"), Err(ENOTCAPABLE));
    }

    #[test]
    fn write_read_seek_a_file() {
        let dir =
            std::env::temp_dir().join(format!("elfconv2-runtime-wasi-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let mut w = Native::new(&[(dir.to_string_lossy().into_owned(), ".".into())]).unwrap();
        let mut buf = vec![0u8; 256];
        let mut m = GuestMem(&mut buf);
        m.slice_mut(100, 5).unwrap().copy_from_slice(b"f.txt");
        let open = [3, 0, 100, 5, O_CREAT | O_TRUNC, 0, 0, 0, 0];
        let mut args: Vec<Val> = open.iter().map(|&x| Val::I32(x as i32)).collect();
        args[5] = Val::I64((RIGHT_FD_READ | RIGHT_FD_WRITE) as i64);
        args[6] = Val::I64(0);
        args[8] = Val::I32(200);
        assert_eq!(w.call(WasiFn::PathOpen, &mut m, &args).unwrap(), SUCCESS);
        let fd = m.read_u32(200).unwrap();
        m.slice_mut(120, 3).unwrap().copy_from_slice(b"abc");
        m.write_u32(16, 120).unwrap();
        m.write_u32(20, 3).unwrap();
        let wr = [fd, 16, 1, 24].map(|x| Val::I32(x as i32));
        assert_eq!(w.call(WasiFn::FdWrite, &mut m, &wr).unwrap(), SUCCESS);
        assert_eq!(m.read_u32(24).unwrap(), 3);
        let seek = [Val::I32(fd as i32), Val::I64(1), Val::I32(0), Val::I32(32)];
        assert_eq!(w.call(WasiFn::FdSeek, &mut m, &seek).unwrap(), SUCCESS);
        m.write_u32(16, 140).unwrap();
        let rd = [fd, 16, 1, 24].map(|x| Val::I32(x as i32));
        assert_eq!(w.call(WasiFn::FdRead, &mut m, &rd).unwrap(), SUCCESS);
        assert_eq!(m.read_u32(24).unwrap(), 2);
        assert_eq!(m.slice(140, 2).unwrap(), b"bc");
        fs::remove_dir_all(&dir).unwrap();
    }
}
