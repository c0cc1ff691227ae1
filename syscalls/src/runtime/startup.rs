//! Program start: the layer's own heap (`sbrk`), and `__main_void`, which
//! wasi-libc's `_start` calls. It builds the guest's address space and
//! initial stack, then runs the guest through the lifted dispatcher.

use super::files::{FdEntry, Modes, OpenFile};
use super::host::{self, WasmMemory};
use super::{dispatch, identity, install, process, signal, state, Runtime};
use crate::abi::{ImageInfo, ARCH_AARCH64, ARCH_RISCV64, GUEST_BASE, IMAGE_INFO_WORDS};
use crate::fdtable::FdTable;
use crate::layout::{AddressSpace, Layout};
use crate::paths::{self, PathResolver};
use crate::sigframe;
use crate::stack;
use core::ffi::c_void;

extern "C" {
    /// Facts about the guest image (defined by the lifted module).
    static elfconv_image_info: [u64; IMAGE_INFO_WORDS];
    /// Runs guest code from `pc`; returns the next pc (lifted module).
    fn elfconv_dispatch(pc: u64) -> u64;
    /// First byte after the linker's data and stack (wasm-ld).
    static __heap_base: u8;
    /// wasi-libc's errno (a plain global in the single-threaded libc).
    static mut errno: i32;
}

/// Current end of the layer's heap; 0 until the first call.
static mut HEAP_BREAK: usize = 0;

/// The layer's heap for wasi-libc's malloc (and so for Rust's allocator):
/// a bump break between `__heap_base` and `GUEST_BASE`. Replacing libc's
/// sbrk keeps malloc from calling `memory.grow` and so from ever placing
/// its data on guest pages.
#[no_mangle]
pub extern "C" fn sbrk(incr: isize) -> *mut c_void {
    const ENOMEM: i32 = 48; // wasi-libc's ENOMEM (WASI numbering)
                            // SAFETY: single-threaded statics; __heap_base is linker-provided.
    unsafe {
        let start = ((&raw const __heap_base) as usize + 15) & !15;
        let brk = &mut *(&raw mut HEAP_BREAK);
        if *brk == 0 {
            *brk = start;
        }
        let old = *brk;
        match old.checked_add_signed(incr) {
            Some(new) if new >= start && new <= GUEST_BASE as usize => {
                *brk = new;
                old as *mut c_void
            }
            _ => {
                *(&raw mut errno) = ENOMEM;
                usize::MAX as *mut c_void
            }
        }
    }
}

fn fatal(msg: &str) -> ! {
    host::eprintln(&format!("elfconv2: {msg}"));
    host::exit(1)
}

fn image_info() -> ImageInfo {
    // SAFETY: the lifted module defines the array with this many words.
    let w = unsafe { &*(&raw const elfconv_image_info) };
    ImageInfo {
        arch: w[0],
        entry: w[1],
        phdr: w[2],
        phnum: w[3],
        phent: w[4],
        image_start: w[5],
        image_end: w[6],
    }
}

/// Works out the absolute name of the `.` preopen: an absolute preopen that
/// is the same directory (same device and inode), else `$PWD`.
fn cwd_name(
    preopens: &[(u32, String)],
    resolver: &PathResolver,
    envs: &[Vec<u8>],
) -> Option<String> {
    let cwd_fd = resolver.dot_fd()?;
    // SAFETY: plain WASI calls.
    if let Ok(cwd) = unsafe { wasi::fd_filestat_get(cwd_fd) } {
        for (fd, name) in preopens {
            if *fd == cwd_fd || !name.starts_with('/') {
                continue;
            }
            if let Ok(st) = unsafe { wasi::fd_filestat_get(*fd) } {
                if st.dev == cwd.dev && st.ino == cwd.ino {
                    return Some(name.clone());
                }
            }
        }
    }
    envs.iter()
        .find_map(|e| e.strip_prefix(b"PWD="))
        .filter(|v| v.starts_with(b"/"))
        .and_then(|v| String::from_utf8(v.to_vec()).ok())
}

/// Entry point called by wasi-libc's `_start`. Never returns: the guest
/// ends through exit/exit_group (or a fatal signal).
///
/// The guest's argv comes from WASI's args, except that a trailing `.wasm`
/// is removed from `argv[0]`, so `wasmtime run ./prog.wasm` looks to the
/// program like `./prog` (see [`stack::guest_argv0`]); the environment is
/// passed through unchanged.
#[no_mangle]
pub extern "C" fn __main_void() -> i32 {
    let image = image_info();
    if image.arch != ARCH_RISCV64 && image.arch != ARCH_AARCH64 {
        fatal(&format!(
            "unknown guest architecture {} in elfconv_image_info",
            image.arch
        ));
    }
    host::refresh_guest_limit();
    let start_ns = host::monotonic_ns();

    let layout = Layout::new(image.image_start, image.image_end);
    let space = AddressSpace::new(layout);
    if space.back_initial(&mut WasmMemory).is_err() {
        fatal("cannot grow Wasm memory for the guest stack");
    }

    let mut args = host::args();
    let envs = host::environ();
    if let Some(a0) = args.first_mut() {
        *a0 = stack::guest_argv0(a0);
    }
    let strace = envs.iter().any(|e| e == b"ELFCONV_STRACE=1");
    // `ELFCONV_INTERPRET=0` (`elfconv2 run --no-interpret`): code without translated code is a
    // fatal error instead of being interpreted. It controls the layer, not the program, so the
    // guest does not see it.
    let interpret = !envs.iter().any(|e| e == b"ELFCONV_INTERPRET=0");
    let envs: Vec<Vec<u8>> = envs
        .into_iter()
        .filter(|e| !e.starts_with(b"ELFCONV_INTERPRET="))
        .collect();

    let preopens = host::preopens();
    let mut resolver = PathResolver::new(&preopens);
    if let Some(name) = cwd_name(&preopens, &resolver, &envs) {
        resolver.set_cwd_name(&name);
    }
    let cwd_display = resolver.cwd_display();
    let argv0 = args.first().cloned().unwrap_or_default();
    // Linux always gives an absolute /proc/self/exe (glibc asserts it); with
    // no known directory name, resolve against what getcwd reports.
    let exe_path = paths::exe_path(&argv0, Some(cwd_display.as_str()));

    let mut fds = FdTable::new(process::NOFILE_LIMIT as usize);
    for fd in 0..3 {
        let entry = FdEntry {
            file: std::rc::Rc::new(OpenFile::stdio(fd as u32)),
            cloexec: false,
        };
        let _ = fds.insert_at(fd, entry);
    }

    let mut random = [0u8; 16];
    if host::random_fill(random.as_mut_ptr(), 16).is_err() {
        fatal("WASI random_get failed");
    }
    let params = stack::StackParams {
        arch: image.arch,
        args: &args,
        envs: &envs,
        execfn: &argv0,
        random,
        entry: image.entry,
        phdr: image.phdr,
        phnum: image.phnum,
        phent: image.phent,
        uid: identity::UID,
        gid: identity::GID,
    };
    let Ok(initial) = stack::build(layout.stack_top, &params) else {
        fatal("arguments and environment are too large for the guest stack (E2BIG)");
    };

    let runtime = Runtime {
        arch: image.arch,
        image,
        space,
        fds,
        paths: resolver,
        modes: Modes::default(),
        exe_path,
        signals: signal::SignalState::new(),
        timers: Default::default(),
        process: process::ProcessState::new(&argv0),
        umask: 0o022,
        strace,
        start_ns,
        resume_pc: 0,
        dispatch_index: dispatch::build_index(),
        fallback: super::fallback::FallbackState::new(interpret),
    };
    if runtime.mem().write(initial.sp, &initial.bytes).is_err() {
        fatal("guest stack is not backed by memory");
    }
    install(runtime);

    let st = state();
    *st = crate::abi::CpuState::zeroed();
    if image.arch == ARCH_AARCH64 {
        st.x[31] = initial.sp;
    } else {
        st.x[2] = initial.sp;
    }
    dispatch_loop(image.entry, 0)
}

/// Runs guest code from `pc` for ever (the guest ends by exit or a fatal
/// signal): `elfconv_dispatch` returns whenever a lifted function cannot go
/// on natively, and this loop enters the next one. `base_depth` is the
/// count of lifted frames already on the Wasm stack below this loop: 0 at
/// start-up, more in the loop that runs a SIGSEGV handler above the
/// abandoned frames of the fault (`hooks::elfconv_segv`).
pub(super) fn dispatch_loop(mut pc: u64, base_depth: u32) -> ! {
    loop {
        if pc == sigframe::SIGRETURN_PC {
            // A signal handler returned (see runtime/signal.rs).
            pc = signal::return_from_handler(super::rt());
            continue;
        }
        // SAFETY: single-threaded statics; the lifted dispatcher is the
        // only other user and is not running between iterations.
        unsafe {
            *(&raw mut super::elfconv_call_depth) = base_depth;
            (*(&raw mut super::elfconv_state)).pc = pc;
            pc = elfconv_dispatch(pc);
        }
    }
}
