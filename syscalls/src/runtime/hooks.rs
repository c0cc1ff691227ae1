//! Hooks the lifted code calls when the guest does something that is not a
//! syscall: faults, unliftable instructions, wild jumps, counter reads.

use super::{host, signal, startup};
use crate::linux::{ILL_ILLOPC, SEGV_MAPERR, SIGILL, SIGSEGV};
use core::ffi::{c_char, CStr};

/// Exit status of a process killed by signal `sig`, as a shell reports it.
pub fn killed_by(sig: u32) -> u32 {
    128 + sig
}

/// How many SIGSEGV handlers may be entered from lifted code in one run.
/// Each leaves the fault's Wasm frames behind (see [`elfconv_segv`]); this
/// keeps them well inside the smallest Wasm stack of the host runtimes we
/// support, so the program gets a clear report instead of a host stack
/// overflow.
pub const MAX_CAUGHT_FAULTS: u32 = 1000;

/// A guest load or store outside backed guest memory.
///
/// With a SIGSEGV handler installed and SIGSEGV not blocked, the handler
/// runs with a Linux frame: si_code SEGV_MAPERR, si_addr and the saved pc
/// are exact; the other registers are those of the last call or syscall
/// boundary, because lifted code keeps registers in Wasm locals between
/// boundaries and spilling them at every access would cost every program
/// (docs/SYSCALLS-STATUS.md has the measurements). That is what probes
/// (`sigsetjmp`, touch, `siglongjmp` out) and crash reporters need.
///
/// The lifted frames of the fault cannot be unwound without Wasm
/// exceptions, and returning through them would slow down every loop with
/// a memory access, so they are abandoned: a new dispatch loop runs the
/// handler above them, and the rest of the program (after its siglongjmp)
/// runs in that loop. The frames stay on the Wasm stack until exit; the
/// loop's call depth counts them, and [`MAX_CAUGHT_FAULTS`] bounds how many
/// loops pile up. A handler that returns resumes at the faulting
/// instruction, which is no entry of the translated code: that ends in the
/// "no translated code" report (on Linux it would fault again for ever).
#[no_mangle]
pub extern "C" fn elfconv_segv(pc: u64, addr: u64) -> ! {
    let r = super::rt();
    if r.signals.caught_faults < MAX_CAUGHT_FAULTS {
        if let Some(handler) = signal::fault(r, SIGSEGV, SEGV_MAPERR, pc, addr) {
            r.signals.caught_faults += 1;
            // The new loop's call depth counts the abandoned lifted frames:
            // the faulting function and the `depth` calls below it.
            // SAFETY: single-threaded static, read between lifted frames.
            let depth = unsafe { *(&raw const super::elfconv_call_depth) };
            startup::dispatch_loop(handler, depth + 1);
        }
    }
    let why = if r.signals.caught_faults >= MAX_CAUGHT_FAULTS {
        format!(" after {MAX_CAUGHT_FAULTS} faults went to the SIGSEGV handler, the most one run can catch")
    } else {
        String::new()
    };
    host::eprintln(&format!(
        "elfconv2: guest SIGSEGV: invalid memory access at {addr:#x} (pc {pc:#x}){why}"
    ));
    host::exit(killed_by(SIGSEGV))
}

/// The guest reached an instruction the translator could not lift, in the
/// middle of semantics (registers not spilled): the report and exit 132.
/// `what` is the translator's NUL-terminated description.
#[no_mangle]
pub extern "C" fn elfconv_sigill(pc: u64, what: *const u8) -> ! {
    report_sigill(pc, &describe(what))
}

/// The guest reached an instruction the translator could not lift, which
/// ends its block with the registers spilled: with a SIGILL handler
/// installed (a CPU-feature probe's `sigsetjmp`, try, `siglongjmp`), the
/// handler runs and this returns its address for the dispatcher; else as
/// `elfconv_sigill`.
#[no_mangle]
pub extern "C" fn elfconv_sigill_handled(pc: u64, what: *const u8) -> u64 {
    sigill(pc, &describe(what))
}

/// SIGILL at `pc` with every register in the state (spilled lifted code, or
/// the interpreter's): the guest's handler pc when one is installed, else
/// the report and exit.
pub fn sigill(pc: u64, what: &str) -> u64 {
    match signal::fault(super::rt(), SIGILL, ILL_ILLOPC, pc, pc) {
        Some(handler) => handler,
        None => report_sigill(pc, what),
    }
}

/// The translator's NUL-terminated description of an instruction.
fn describe(what: *const u8) -> String {
    if what.is_null() {
        "(no description)".into()
    } else {
        // SAFETY: the lifted module passes a NUL-terminated constant string.
        unsafe { CStr::from_ptr(what as *const c_char) }
            .to_string_lossy()
            .into_owned()
    }
}

fn report_sigill(pc: u64, desc: &str) -> ! {
    host::eprintln(&format!(
        "elfconv2: guest SIGILL: unsupported instruction at pc {pc:#x}: {desc}"
    ));
    host::exit(killed_by(SIGILL))
}

/// Control flow reached a guest address that has no translated code.
/// `from_pc` is 0 when the jump came through the dispatcher (an indirect
/// jump, call or return), which does not know where it was reached from.
#[no_mangle]
pub extern "C" fn elfconv_bad_jump(from_pc: u64, target: u64) -> ! {
    let from = if from_pc == 0 {
        "by an indirect jump, call or return".to_string()
    } else {
        format!("from pc {from_pc:#x}")
    };
    host::eprintln(&format!(
        "elfconv2: guest SIGSEGV: jump to {target:#x}, which holds no translated code ({from})"
    ));
    host::exit(killed_by(SIGSEGV))
}

/// rdcycle / rdtime / rdinstret (and the aarch64 counter reads).
/// kind 0 = cycle, 1 = time, 2 = instret.
#[no_mangle]
pub extern "C" fn elfconv_read_counter(_pc: u64, kind: u32) -> u64 {
    let ns = host::monotonic_ns();
    match kind {
        // The time CSR ticks at 10 MHz, the timebase of qemu's riscv virt
        // machine, so guest code that divides by it gets real seconds.
        1 => ns / 100,
        // Cycles and retired instructions are not observable here; a
        // nanosecond count is monotonic and of a plausible magnitude.
        _ => ns,
    }
}
