//! The part of the layer that runs inside the Wasm module: start-up, the
//! shared statics and hooks the lifted code uses, and the syscalls
//! (one family per module).

mod dispatch;
mod fallback;
mod files;
mod fpu;
mod fs;
mod hooks;
mod host;
mod identity;
mod io;
mod mem;
mod process;
mod signal;
mod startup;
mod system;
mod time;
mod timers;

use crate::abi::{CpuState, ImageInfo, ARCH_AARCH64, GUEST_BASE};
use crate::fdtable::FdTable;
use crate::guest_mem::GuestMemory;
use crate::layout::AddressSpace;
use crate::paths::PathResolver;
use core::cell::UnsafeCell;

// ---- statics shared with the lifted code (names in abi::sym) ----

/// The guest CPU state.
#[no_mangle]
pub static mut elfconv_state: CpuState = CpuState::zeroed();

/// One past the highest guest address backed by Wasm memory; lifted code
/// compares every guest access against it.
#[no_mangle]
pub static mut elfconv_guest_limit: u64 = 0;

/// Lifted frames currently on the Wasm stack (reset by the dispatch loop).
#[no_mangle]
pub static mut elfconv_call_depth: u32 = 0;

/// All layer state besides the statics above. There is one guest thread,
/// so one instance, reached through [`rt`].
pub struct Runtime {
    pub arch: u64,
    pub image: ImageInfo,
    pub space: AddressSpace,
    pub fds: FdTable<files::FdEntry>,
    pub paths: PathResolver,
    /// Permission bits set by the guest (WASI has none), for stat.
    pub modes: files::Modes,
    /// What /proc/self/exe reads as.
    pub exe_path: Vec<u8>,
    pub signals: signal::SignalState,
    pub timers: timers::Timers,
    pub process: process::ProcessState,
    pub umask: u32,
    pub strace: bool,
    /// WASI monotonic time at start-up (for uptime and CPU-time fallbacks).
    pub start_ns: u64,
    /// Where the current syscall returns to: the instruction after it,
    /// unless the syscall changes control flow (rt_sigreturn).
    pub resume_pc: u64,
    /// Syscall number -> index into the dispatch table + 1 (0 = unknown).
    pub dispatch_index: Vec<u16>,
    /// The interpreter for code without translated code (fallback.rs).
    pub fallback: fallback::FallbackState,
}

impl Runtime {
    /// Checked view of the guest memory as it is backed right now.
    pub fn mem(&self) -> GuestMemory {
        // SAFETY: [GUEST_BASE + image_start, GUEST_BASE + limit) is Wasm
        // memory that exists (limit only grows).
        unsafe {
            GuestMemory::new(
                GUEST_BASE as usize as *mut u8,
                self.image.image_start,
                guest_limit(),
            )
        }
    }

    pub fn is_aarch64(&self) -> bool {
        self.arch == ARCH_AARCH64
    }
}

/// Single-threaded global cell: the module has exactly one thread, and the
/// layer never re-enters itself (handlers do not call guest code).
struct Global<T>(UnsafeCell<Option<T>>);
// SAFETY: wasm32-wasip1 modules are single-threaded.
unsafe impl<T> Sync for Global<T> {}

static RUNTIME: Global<Runtime> = Global(UnsafeCell::new(None));

fn install(r: Runtime) {
    // SAFETY: called once at start-up, before any other access.
    unsafe { *RUNTIME.0.get() = Some(r) };
}

/// The runtime state. Each entry point (syscall, hook) takes it once and
/// passes it down, so no two `&mut` are live at the same time.
fn rt() -> &'static mut Runtime {
    // SAFETY: see `Global`; installed before the guest runs.
    unsafe {
        (*RUNTIME.0.get())
            .as_mut()
            .expect("elfconv2 runtime used before start-up")
    }
}

pub fn guest_limit() -> u64 {
    // SAFETY: plain read of a single-threaded static.
    unsafe { *(&raw const elfconv_guest_limit) }
}

fn state() -> &'static mut CpuState {
    // SAFETY: single-threaded; lifted code is not running while the layer
    // holds this reference.
    unsafe { &mut *(&raw mut elfconv_state) }
}
