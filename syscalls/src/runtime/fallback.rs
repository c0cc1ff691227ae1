//! The safety net for code discovery missed: `elfconv_dispatch` calls
//! [`elfconv_fallback`] for a pc that has no translated code. If the pc is
//! in an executable segment, the guest runs from there in the interpreter
//! (`crate::interp`) until it makes a call, a return or an indirect jump,
//! and the target goes back to the dispatcher, which runs translated code
//! again if it has any (and comes back here if not). Every register is in
//! `CpuState` whenever the dispatcher runs, so the interpreter starts from
//! the exact state. A pc outside the executable segments is a wild jump:
//! SIGSEGV, as on Linux.
//!
//! The interpreter is slow (a decode and the soft-float per instruction);
//! it is meant for the rare path. `--strace` reports the first entry at
//! each address, so that missed targets can be found and fixed in discovery.

use super::{hooks, host, rt, state, Runtime};
use crate::interp::{riscv, Machine, Stop};
use crate::linux::SIGILL;

/// `PT_LOAD` and `PF_X`, to find the executable segments.
const PT_LOAD: u32 = 1;
const PF_X: u32 = 1;

/// What the fallback keeps between entries.
pub struct FallbackState {
    /// The executable segments `[start, end)`, read from the program
    /// headers in guest memory on first use.
    exec: Option<Vec<(u64, u64)>>,
    /// Addresses already reported under `--strace`.
    reported: Vec<u64>,
    /// False under `ELFCONV_INTERPRET=0`: reaching such code ends the program.
    enabled: bool,
}

impl FallbackState {
    pub fn new(enabled: bool) -> FallbackState {
        FallbackState {
            exec: None,
            reported: Vec::new(),
            enabled,
        }
    }
}

/// The executable segments, from the program headers the image maps
/// (AT_PHDR); none if it maps none.
fn exec_ranges(r: &mut Runtime) -> &[(u64, u64)] {
    if r.fallback.exec.is_none() {
        let mem = r.mem();
        let info = r.image;
        let mut ranges = Vec::new();
        for k in 0..info.phnum {
            let at = info.phdr + k * info.phent;
            let mut ph = [0u8; 56];
            if info.phdr == 0 || info.phent < 56 || mem.read(at, &mut ph).is_err() {
                break;
            }
            let word = |o: usize| u64::from_le_bytes(ph[o..o + 8].try_into().unwrap());
            let p_type = u32::from_le_bytes(ph[0..4].try_into().unwrap());
            let p_flags = u32::from_le_bytes(ph[4..8].try_into().unwrap());
            if p_type == PT_LOAD && p_flags & PF_X != 0 {
                ranges.push((word(16), word(16).saturating_add(word(40))));
            }
        }
        r.fallback.exec = Some(ranges);
    }
    r.fallback.exec.as_deref().unwrap_or(&[])
}

/// Guest memory and the executable segments, for the interpreter.
struct Layer<'a> {
    mem: crate::guest_mem::GuestMemory,
    exec: &'a [(u64, u64)],
}

impl Machine for Layer<'_> {
    fn load(&mut self, addr: u64, size: u32) -> Option<u64> {
        let mut b = [0u8; 8];
        self.mem.read(addr, &mut b[..size as usize]).ok()?;
        Some(u64::from_le_bytes(b))
    }

    fn store(&mut self, addr: u64, size: u32, value: u64) -> Option<()> {
        self.mem
            .write(addr, &value.to_le_bytes()[..size as usize])
            .ok()
    }

    fn fetch(&mut self, pc: u64) -> Option<[u8; 4]> {
        let &(_, end) = self.exec.iter().find(|&&(lo, hi)| pc >= lo && pc < hi)?;
        let mut b = [0u8; 4];
        // A compressed instruction may end its segment: fetch what is there.
        let n = (end - pc).min(4) as usize;
        self.mem.read(pc, &mut b[..n]).ok()?;
        Some(b)
    }

    fn counter(&mut self, kind: u32) -> u64 {
        hooks::elfconv_read_counter(0, kind)
    }
}

/// Runs the guest from `pc`, which has no translated code; returns the pc
/// for the dispatcher to continue at.
#[no_mangle]
pub extern "C" fn elfconv_fallback(pc: u64) -> u64 {
    let r = rt();
    if r.is_aarch64() || !exec_ranges(r).iter().any(|&(lo, hi)| pc >= lo && pc < hi) {
        hooks::elfconv_bad_jump(0, pc);
    }
    if !r.fallback.enabled {
        host::eprintln(&format!(
            "elfconv2: guest SIGILL: no translated code at {pc:#x} (code discovery missed it), \
             and ELFCONV_INTERPRET=0 (--no-interpret) forbids interpreting it"
        ));
        host::exit(hooks::killed_by(SIGILL));
    }
    if r.strace && !r.fallback.reported.contains(&pc) {
        r.fallback.reported.push(pc);
        host::eprintln(&format!(
            "--- elfconv2: no translated code at {pc:#x}; interpreting from there ---"
        ));
    }
    let st = state();
    st.pc = pc;
    loop {
        let stop = {
            let r = rt();
            let mem = r.mem();
            let mut layer = Layer {
                mem,
                exec: exec_ranges(r),
            };
            riscv::run(st, &mut layer, u64::MAX)
        };
        match stop {
            Some(Stop::Jump(target)) => return target,
            Some(Stop::Syscall(at)) => {
                let next = super::dispatch::elfconv_syscall(at);
                if next != at + 4 {
                    // A signal handler to run, or a context restored.
                    return next;
                }
                state().pc = next;
            }
            Some(Stop::Fault { pc, addr }) => hooks::elfconv_segv(pc, addr),
            Some(Stop::NotCode { pc, from }) => hooks::elfconv_bad_jump(from.unwrap_or(0), pc),
            Some(Stop::Illegal { pc, what }) => return hooks::sigill(pc, &what),
            None => {}
        }
    }
}
