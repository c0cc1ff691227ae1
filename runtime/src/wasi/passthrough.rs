//! WASI pass-through for runtime.wasm: every call goes to the host runtime's own
//! `wasi_snapshot_preview1` import.
//!
//! The guest's memory is a byte vector inside the runtime's own linear memory, so a guest
//! pointer becomes a host pointer by adding the vector's address, after a bounds check
//! (a bad pointer is EFAULT). Only iovec arrays, which hold pointers themselves, are copied
//! and rebased. Guest fds are the host's fds: the guest sees exactly the preopens the host
//! granted to runtime.wasm.

use super::errno::{Errno, EFAULT, EINVAL};
use super::mem::GuestMem;
use super::{arg32, arg64, Backend, WasiFn};
use crate::store::Val;
use crate::trap::Trap;

#[link(wasm_import_module = "wasi_snapshot_preview1")]
extern "C" {
    fn environ_get(environ: i32, buf: i32) -> i32;
    fn environ_sizes_get(count: i32, size: i32) -> i32;
    fn clock_res_get(id: i32, out: i32) -> i32;
    fn clock_time_get(id: i32, precision: i64, out: i32) -> i32;
    fn fd_advise(fd: i32, offset: i64, len: i64, advice: i32) -> i32;
    fn fd_allocate(fd: i32, offset: i64, len: i64) -> i32;
    fn fd_close(fd: i32) -> i32;
    fn fd_datasync(fd: i32) -> i32;
    fn fd_fdstat_get(fd: i32, out: i32) -> i32;
    fn fd_fdstat_set_flags(fd: i32, flags: i32) -> i32;
    fn fd_fdstat_set_rights(fd: i32, base: i64, inheriting: i64) -> i32;
    fn fd_filestat_get(fd: i32, out: i32) -> i32;
    fn fd_filestat_set_size(fd: i32, size: i64) -> i32;
    fn fd_filestat_set_times(fd: i32, atim: i64, mtim: i64, flags: i32) -> i32;
    fn fd_pread(fd: i32, iovs: i32, n: i32, offset: i64, out: i32) -> i32;
    fn fd_prestat_get(fd: i32, out: i32) -> i32;
    fn fd_prestat_dir_name(fd: i32, path: i32, len: i32) -> i32;
    fn fd_pwrite(fd: i32, iovs: i32, n: i32, offset: i64, out: i32) -> i32;
    fn fd_read(fd: i32, iovs: i32, n: i32, out: i32) -> i32;
    fn fd_readdir(fd: i32, buf: i32, len: i32, cookie: i64, out: i32) -> i32;
    fn fd_renumber(fd: i32, to: i32) -> i32;
    fn fd_seek(fd: i32, offset: i64, whence: i32, out: i32) -> i32;
    fn fd_sync(fd: i32) -> i32;
    fn fd_tell(fd: i32, out: i32) -> i32;
    fn fd_write(fd: i32, iovs: i32, n: i32, out: i32) -> i32;
    fn path_create_directory(fd: i32, path: i32, len: i32) -> i32;
    fn path_filestat_get(fd: i32, flags: i32, path: i32, len: i32, out: i32) -> i32;
    fn path_filestat_set_times(
        fd: i32,
        flags: i32,
        path: i32,
        len: i32,
        atim: i64,
        mtim: i64,
        fst: i32,
    ) -> i32;
    fn path_link(fd: i32, flags: i32, path: i32, len: i32, fd2: i32, path2: i32, len2: i32) -> i32;
    fn path_open(
        fd: i32,
        dirflags: i32,
        path: i32,
        len: i32,
        oflags: i32,
        base: i64,
        inheriting: i64,
        fdflags: i32,
        out: i32,
    ) -> i32;
    fn path_readlink(fd: i32, path: i32, len: i32, buf: i32, buflen: i32, out: i32) -> i32;
    fn path_remove_directory(fd: i32, path: i32, len: i32) -> i32;
    fn path_rename(fd: i32, path: i32, len: i32, fd2: i32, path2: i32, len2: i32) -> i32;
    fn path_symlink(old: i32, oldlen: i32, fd: i32, path: i32, len: i32) -> i32;
    fn path_unlink_file(fd: i32, path: i32, len: i32) -> i32;
    fn poll_oneoff(subs: i32, events: i32, n: i32, out: i32) -> i32;
    fn proc_raise(sig: i32) -> i32;
    fn sched_yield() -> i32;
    fn random_get(buf: i32, len: i32) -> i32;
    fn sock_accept(fd: i32, flags: i32, out: i32) -> i32;
    fn sock_recv(fd: i32, iovs: i32, n: i32, flags: i32, out: i32, out_flags: i32) -> i32;
    fn sock_send(fd: i32, iovs: i32, n: i32, flags: i32, out: i32) -> i32;
    fn sock_shutdown(fd: i32, how: i32) -> i32;
}

pub struct Passthrough;

impl Passthrough {
    pub fn new(dirs: &[(String, String)]) -> Result<Self, String> {
        if !dirs.is_empty() {
            return Err("--dir: inside runtime.wasm the guest sees the directories the host runtime granted \
                        to runtime.wasm (e.g. `wasmtime run --dir . runtime.wasm ...`)"
                .to_string());
        }
        Ok(Passthrough)
    }
}

/// The environment the host gave runtime.wasm (`NAME=value` strings), read through the
/// host's own `environ_get` so it is exactly what the host passes.
pub fn host_environ() -> Vec<String> {
    let (mut count, mut size) = (0u32, 0u32);
    // SAFETY: the host writes two u32s, then `count` pointers and `size` bytes into buffers
    // of those sizes.
    unsafe {
        if environ_sizes_get(&mut count as *mut u32 as i32, &mut size as *mut u32 as i32) != 0 {
            return Vec::new();
        }
        let mut ptrs = vec![0u32; count as usize];
        let mut buf = vec![0u8; size as usize];
        if environ_get(ptrs.as_mut_ptr() as i32, buf.as_mut_ptr() as i32) != 0 {
            return Vec::new();
        }
        buf.split(|&b| b == 0)
            .take(count as usize)
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect()
    }
}

/// Closes the host's last preopen, which must be the directory `module` was read from, so
/// the guest never sees it: an embedder (`elfconv2 run --self-hosted`) hands us the module
/// through a preopen of its own that is no business of the guest's. It must be the last one
/// because WASI programs enumerate preopens from fd 3 up to the first EBADF.
pub fn hide_module_preopen(module: &std::path::Path) -> Result<(), String> {
    let mut last = None;
    for fd in 3.. {
        let mut prestat = [0u32; 2];
        // SAFETY: the host writes an 8-byte prestat into the buffer.
        if unsafe { fd_prestat_get(fd, prestat.as_mut_ptr() as i32) } != 0 {
            break;
        }
        last = Some((fd, prestat[1]));
    }
    let Some((fd, len)) = last else {
        return Err("--hide-module-preopen: the host granted no directories".into());
    };
    let mut name = vec![0u8; len as usize];
    // SAFETY: the host writes `len` bytes into a buffer of that size.
    if unsafe { fd_prestat_dir_name(fd, name.as_mut_ptr() as i32, len as i32) } != 0 {
        return Err("--hide-module-preopen: cannot read the last preopen's name".into());
    }
    let name = String::from_utf8_lossy(&name);
    let dir = name.trim_end_matches('/');
    if module.parent() != Some(std::path::Path::new(dir)) {
        return Err(format!(
            "--hide-module-preopen: the last preopen is `{name}`, not the directory of {}",
            module.display()
        ));
    }
    // SAFETY: a plain host call on an fd we own.
    if unsafe { fd_close(fd) } != 0 {
        return Err(format!("--hide-module-preopen: cannot close `{name}`"));
    }
    Ok(())
}

/// The host address of `len` guest bytes at `ptr`.
fn p(mem: &GuestMem, ptr: u32, len: u32) -> Result<i32, Errno> {
    let r = mem.range(ptr, len)?;
    Ok(mem.0.as_ptr() as usize as i32 + r.start as i32)
}

/// A copy of a guest iovec array with host addresses, kept alive during the call.
fn iovecs(mem: &GuestMem, iovs: u32, n: u32) -> Result<Vec<[u32; 2]>, Errno> {
    mem.iovecs(iovs, n)?
        .into_iter()
        .map(|(buf, len)| Ok([p(mem, buf, len)? as u32, len]))
        .collect()
}

fn dispatch(f: WasiFn, mem: &mut GuestMem, a: &[Val]) -> Result<i32, Errno> {
    use WasiFn::*;
    let i = |k: usize| arg32(a, k) as i32;
    let l = |k: usize| arg64(a, k) as i64;
    let m = &*mem;
    // SAFETY: every pointer passed below was bounds-checked against the guest memory by `p`.
    unsafe {
        Ok(match f {
            ClockResGet => clock_res_get(i(0), p(m, arg32(a, 1), 8)?),
            ClockTimeGet => clock_time_get(i(0), l(1), p(m, arg32(a, 2), 8)?),
            FdAdvise => fd_advise(i(0), l(1), l(2), i(3)),
            FdAllocate => fd_allocate(i(0), l(1), l(2)),
            FdClose => fd_close(i(0)),
            FdDatasync => fd_datasync(i(0)),
            FdFdstatGet => fd_fdstat_get(i(0), p(m, arg32(a, 1), 24)?),
            FdFdstatSetFlags => fd_fdstat_set_flags(i(0), i(1)),
            FdFdstatSetRights => fd_fdstat_set_rights(i(0), l(1), l(2)),
            FdFilestatGet => fd_filestat_get(i(0), p(m, arg32(a, 1), 64)?),
            FdFilestatSetSize => fd_filestat_set_size(i(0), l(1)),
            FdFilestatSetTimes => fd_filestat_set_times(i(0), l(1), l(2), i(3)),
            FdPread | FdPwrite => {
                let v = iovecs(m, arg32(a, 1), arg32(a, 2))?;
                let out = p(m, arg32(a, 4), 4)?;
                let call = if f == FdPread { fd_pread } else { fd_pwrite };
                call(i(0), v.as_ptr() as i32, v.len() as i32, l(3), out)
            }
            FdPrestatGet => fd_prestat_get(i(0), p(m, arg32(a, 1), 8)?),
            FdPrestatDirName => fd_prestat_dir_name(i(0), p(m, arg32(a, 1), arg32(a, 2))?, i(2)),
            FdRead | FdWrite => {
                let v = iovecs(m, arg32(a, 1), arg32(a, 2))?;
                let out = p(m, arg32(a, 3), 4)?;
                let call = if f == FdRead { fd_read } else { fd_write };
                call(i(0), v.as_ptr() as i32, v.len() as i32, out)
            }
            FdReaddir => fd_readdir(
                i(0),
                p(m, arg32(a, 1), arg32(a, 2))?,
                i(2),
                l(3),
                p(m, arg32(a, 4), 4)?,
            ),
            FdRenumber => fd_renumber(i(0), i(1)),
            FdSeek => fd_seek(i(0), l(1), i(2), p(m, arg32(a, 3), 8)?),
            FdSync => fd_sync(i(0)),
            FdTell => fd_tell(i(0), p(m, arg32(a, 1), 8)?),
            PathCreateDirectory => {
                path_create_directory(i(0), p(m, arg32(a, 1), arg32(a, 2))?, i(2))
            }
            PathFilestatGet => path_filestat_get(
                i(0),
                i(1),
                p(m, arg32(a, 2), arg32(a, 3))?,
                i(3),
                p(m, arg32(a, 4), 64)?,
            ),
            PathFilestatSetTimes => path_filestat_set_times(
                i(0),
                i(1),
                p(m, arg32(a, 2), arg32(a, 3))?,
                i(3),
                l(4),
                l(5),
                i(6),
            ),
            PathLink => path_link(
                i(0),
                i(1),
                p(m, arg32(a, 2), arg32(a, 3))?,
                i(3),
                i(4),
                p(m, arg32(a, 5), arg32(a, 6))?,
                i(6),
            ),
            PathOpen => path_open(
                i(0),
                i(1),
                p(m, arg32(a, 2), arg32(a, 3))?,
                i(3),
                i(4),
                l(5),
                l(6),
                i(7),
                p(m, arg32(a, 8), 4)?,
            ),
            PathReadlink => path_readlink(
                i(0),
                p(m, arg32(a, 1), arg32(a, 2))?,
                i(2),
                p(m, arg32(a, 3), arg32(a, 4))?,
                i(4),
                p(m, arg32(a, 5), 4)?,
            ),
            PathRemoveDirectory => {
                path_remove_directory(i(0), p(m, arg32(a, 1), arg32(a, 2))?, i(2))
            }
            PathRename => path_rename(
                i(0),
                p(m, arg32(a, 1), arg32(a, 2))?,
                i(2),
                i(3),
                p(m, arg32(a, 4), arg32(a, 5))?,
                i(5),
            ),
            PathSymlink => path_symlink(
                p(m, arg32(a, 0), arg32(a, 1))?,
                i(1),
                i(2),
                p(m, arg32(a, 3), arg32(a, 4))?,
                i(4),
            ),
            PathUnlinkFile => path_unlink_file(i(0), p(m, arg32(a, 1), arg32(a, 2))?, i(2)),
            PollOneoff => {
                let n = arg32(a, 2);
                let subs = p(m, arg32(a, 0), n.checked_mul(48).ok_or(EFAULT)?)?;
                let events = p(m, arg32(a, 1), n.checked_mul(32).ok_or(EFAULT)?)?;
                poll_oneoff(subs, events, i(2), p(m, arg32(a, 3), 4)?)
            }
            ProcRaise => proc_raise(i(0)),
            SchedYield => sched_yield(),
            RandomGet => random_get(p(m, arg32(a, 0), arg32(a, 1))?, i(1)),
            SockAccept => sock_accept(i(0), i(1), p(m, arg32(a, 2), 4)?),
            SockRecv => {
                let v = iovecs(m, arg32(a, 1), arg32(a, 2))?;
                sock_recv(
                    i(0),
                    v.as_ptr() as i32,
                    v.len() as i32,
                    i(3),
                    p(m, arg32(a, 4), 4)?,
                    p(m, arg32(a, 5), 2)?,
                )
            }
            SockSend => {
                let v = iovecs(m, arg32(a, 1), arg32(a, 2))?;
                sock_send(
                    i(0),
                    v.as_ptr() as i32,
                    v.len() as i32,
                    i(3),
                    p(m, arg32(a, 4), 4)?,
                )
            }
            SockShutdown => sock_shutdown(i(0), i(1)),
            ArgsGet | ArgsSizesGet | EnvironGet | EnvironSizesGet | ProcExit => return Err(EINVAL),
        })
    }
}

impl Backend for Passthrough {
    fn call(&mut self, f: WasiFn, mem: &mut GuestMem, args: &[Val]) -> Result<Errno, Trap> {
        Ok(dispatch(f, mem, args).map_or_else(|e| e, |errno| errno as Errno))
    }
}
