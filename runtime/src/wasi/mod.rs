//! WASI preview 1 (`wasi_snapshot_preview1`) for the guest module.
//!
//! Natively the calls are implemented over Rust std (`native.rs`). Built for wasm32-wasip1,
//! the runtime passes them through to its own host's WASI imports (`passthrough.rs`),
//! rebasing guest pointers onto the runtime's memory. Arguments and the environment are
//! the runtime's to decide (they come from its command line), so both serve them here.

pub mod errno;
pub mod mem;
#[cfg(not(target_os = "wasi"))]
pub mod native;
#[cfg(target_os = "wasi")]
pub mod passthrough;

use std::cell::RefCell;
use std::rc::Rc;

use wasmparser::{FuncType, ValType};

use crate::instantiate::Linker;
use crate::store::{Extern, Store, Val};
use crate::trap::Trap;
use errno::{Errno, EFAULT, SUCCESS};
use mem::GuestMem;

macro_rules! wasi_functions {
    ($($variant:ident $name:literal ($($p:ident),*) $(-> $r:ident)?;)*) => {
        /// Every function of wasi_snapshot_preview1.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum WasiFn { $($variant,)* }

        /// (function, import name, parameter types, whether it returns an errno)
        pub const FUNCTIONS: &[(WasiFn, &str, &[ValType], bool)] = &[
            $((WasiFn::$variant, $name, &[$(ValType::$p),*], wasi_functions!(@has $($r)?)),)*
        ];
    };
    (@has $r:ident) => { true };
    (@has) => { false };
}

wasi_functions! {
    ArgsGet "args_get" (I32, I32) -> I32;
    ArgsSizesGet "args_sizes_get" (I32, I32) -> I32;
    EnvironGet "environ_get" (I32, I32) -> I32;
    EnvironSizesGet "environ_sizes_get" (I32, I32) -> I32;
    ClockResGet "clock_res_get" (I32, I32) -> I32;
    ClockTimeGet "clock_time_get" (I32, I64, I32) -> I32;
    FdAdvise "fd_advise" (I32, I64, I64, I32) -> I32;
    FdAllocate "fd_allocate" (I32, I64, I64) -> I32;
    FdClose "fd_close" (I32) -> I32;
    FdDatasync "fd_datasync" (I32) -> I32;
    FdFdstatGet "fd_fdstat_get" (I32, I32) -> I32;
    FdFdstatSetFlags "fd_fdstat_set_flags" (I32, I32) -> I32;
    FdFdstatSetRights "fd_fdstat_set_rights" (I32, I64, I64) -> I32;
    FdFilestatGet "fd_filestat_get" (I32, I32) -> I32;
    FdFilestatSetSize "fd_filestat_set_size" (I32, I64) -> I32;
    FdFilestatSetTimes "fd_filestat_set_times" (I32, I64, I64, I32) -> I32;
    FdPread "fd_pread" (I32, I32, I32, I64, I32) -> I32;
    FdPrestatGet "fd_prestat_get" (I32, I32) -> I32;
    FdPrestatDirName "fd_prestat_dir_name" (I32, I32, I32) -> I32;
    FdPwrite "fd_pwrite" (I32, I32, I32, I64, I32) -> I32;
    FdRead "fd_read" (I32, I32, I32, I32) -> I32;
    FdReaddir "fd_readdir" (I32, I32, I32, I64, I32) -> I32;
    FdRenumber "fd_renumber" (I32, I32) -> I32;
    FdSeek "fd_seek" (I32, I64, I32, I32) -> I32;
    FdSync "fd_sync" (I32) -> I32;
    FdTell "fd_tell" (I32, I32) -> I32;
    FdWrite "fd_write" (I32, I32, I32, I32) -> I32;
    PathCreateDirectory "path_create_directory" (I32, I32, I32) -> I32;
    PathFilestatGet "path_filestat_get" (I32, I32, I32, I32, I32) -> I32;
    PathFilestatSetTimes "path_filestat_set_times" (I32, I32, I32, I32, I64, I64, I32) -> I32;
    PathLink "path_link" (I32, I32, I32, I32, I32, I32, I32) -> I32;
    PathOpen "path_open" (I32, I32, I32, I32, I32, I64, I64, I32, I32) -> I32;
    PathReadlink "path_readlink" (I32, I32, I32, I32, I32, I32) -> I32;
    PathRemoveDirectory "path_remove_directory" (I32, I32, I32) -> I32;
    PathRename "path_rename" (I32, I32, I32, I32, I32, I32) -> I32;
    PathSymlink "path_symlink" (I32, I32, I32, I32, I32) -> I32;
    PathUnlinkFile "path_unlink_file" (I32, I32, I32) -> I32;
    PollOneoff "poll_oneoff" (I32, I32, I32, I32) -> I32;
    ProcExit "proc_exit" (I32);
    ProcRaise "proc_raise" (I32) -> I32;
    SchedYield "sched_yield" () -> I32;
    RandomGet "random_get" (I32, I32) -> I32;
    SockAccept "sock_accept" (I32, I32, I32) -> I32;
    SockRecv "sock_recv" (I32, I32, I32, I32, I32, I32) -> I32;
    SockSend "sock_send" (I32, I32, I32, I32, I32) -> I32;
    SockShutdown "sock_shutdown" (I32, I32) -> I32;
}

/// What the guest is given.
#[derive(Debug, Clone, Default)]
pub struct WasiConfig {
    /// argv, including argv[0].
    pub args: Vec<String>,
    /// `NAME=value` strings.
    pub env: Vec<String>,
    /// Preopened directories: (host path, guest name), as wasmtime's `--dir HOST::GUEST`.
    pub dirs: Vec<(String, String)>,
}

/// A WASI implementation: everything but args and environment.
pub trait Backend {
    fn call(&mut self, f: WasiFn, mem: &mut GuestMem, args: &[Val]) -> Result<Errno, Trap>;
}

pub struct Wasi {
    config: WasiConfig,
    backend: Box<dyn Backend>,
}

/// Argument `i` as u32 (WASI pointers, sizes and fds).
pub fn arg32(args: &[Val], i: usize) -> u32 {
    match args[i] {
        Val::I32(x) => x as u32,
        _ => 0,
    }
}

pub fn arg64(args: &[Val], i: usize) -> u64 {
    match args[i] {
        Val::I64(x) => x as u64,
        _ => 0,
    }
}

/// Writes a list of strings as argv/environ do: pointers into a NUL-separated buffer.
fn write_strings(mem: &mut GuestMem, list: &[String], ptrs: u32, buf: u32) -> Result<(), Errno> {
    let mut at = buf;
    for (i, s) in list.iter().enumerate() {
        mem.write_u32(ptrs.checked_add(4 * i as u32).ok_or(EFAULT)?, at)?;
        let n = s.len() as u32 + 1;
        let dst = mem.slice_mut(at, n)?;
        dst[..s.len()].copy_from_slice(s.as_bytes());
        dst[s.len()] = 0;
        at += n;
    }
    Ok(())
}

fn write_sizes(mem: &mut GuestMem, list: &[String], count: u32, size: u32) -> Result<(), Errno> {
    mem.write_u32(count, list.len() as u32)?;
    mem.write_u32(size, list.iter().map(|s| s.len() as u32 + 1).sum())
}

impl Wasi {
    pub fn new(config: WasiConfig) -> Result<Self, String> {
        #[cfg(not(target_os = "wasi"))]
        let backend: Box<dyn Backend> = Box::new(native::Native::new(&config.dirs)?);
        #[cfg(target_os = "wasi")]
        let backend: Box<dyn Backend> = Box::new(passthrough::Passthrough::new(&config.dirs)?);
        Ok(Wasi { config, backend })
    }

    fn call(&mut self, f: WasiFn, mem: &mut GuestMem, args: &[Val]) -> Result<Errno, Trap> {
        let r = match f {
            WasiFn::ArgsGet => {
                write_strings(mem, &self.config.args, arg32(args, 0), arg32(args, 1))
            }
            WasiFn::ArgsSizesGet => {
                write_sizes(mem, &self.config.args, arg32(args, 0), arg32(args, 1))
            }
            WasiFn::EnvironGet => {
                write_strings(mem, &self.config.env, arg32(args, 0), arg32(args, 1))
            }
            WasiFn::EnvironSizesGet => {
                write_sizes(mem, &self.config.env, arg32(args, 0), arg32(args, 1))
            }
            WasiFn::ProcExit => return Err(Trap::Exit(arg32(args, 0) as i32)),
            _ => return self.backend.call(f, mem, args),
        };
        Ok(r.err().unwrap_or(SUCCESS))
    }
}

/// Defines every wasi_snapshot_preview1 function in the linker.
pub fn define(store: &mut Store, linker: &mut Linker, wasi: Wasi) {
    let wasi = Rc::new(RefCell::new(wasi));
    for &(f, name, params, has_result) in FUNCTIONS {
        let results: &[ValType] = if has_result { &[ValType::I32] } else { &[] };
        let ty = FuncType::new(params.iter().copied(), results.iter().copied());
        let wasi = wasi.clone();
        let func = store.add_host_func(
            ty,
            Rc::new(move |caller, args| {
                let mut empty = Vec::new();
                let memory = match caller.memory.as_deref_mut() {
                    Some(m) => m,
                    None => &mut empty,
                };
                let errno = wasi.borrow_mut().call(f, &mut GuestMem(memory), args)?;
                Ok(if has_result {
                    vec![Val::I32(errno as i32)]
                } else {
                    vec![]
                })
            }),
        );
        linker.define("wasi_snapshot_preview1", name, Extern::Func(func));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_preview1_functions_are_listed_once() {
        assert_eq!(FUNCTIONS.len(), 46);
        let mut names: Vec<_> = FUNCTIONS.iter().map(|f| f.1).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 46);
    }

    #[test]
    fn argv_layout() {
        let mut buf = vec![0u8; 64];
        let mut m = GuestMem(&mut buf);
        let args = vec!["prog".to_string(), "x".to_string()];
        write_sizes(&mut m, &args, 0, 4).unwrap();
        assert_eq!((m.read_u32(0).unwrap(), m.read_u32(4).unwrap()), (2, 7));
        write_strings(&mut m, &args, 8, 16).unwrap();
        assert_eq!(m.read_u32(8).unwrap(), 16);
        assert_eq!(m.read_u32(12).unwrap(), 21);
        assert_eq!(&buf[16..23], b"prog\0x\0");
    }
}
