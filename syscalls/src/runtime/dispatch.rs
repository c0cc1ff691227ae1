//! The syscall entry point and the central table: number -> name, how to
//! trace it, and the handler. Numbers are the asm-generic ones, shared by
//! riscv64 and aarch64.

use super::{fs, host, identity, mem, process, rt, signal, state, system, time, Runtime};
use crate::errno::{SysResult, ENOSYS};
use crate::strace::{self, Arg::*, Ret};

/// Syscall arguments, as the six argument registers.
pub type Args = [u64; 6];
pub type Handler = fn(&mut Runtime, &Args) -> SysResult;

pub struct Syscall {
    pub nr: u16,
    pub name: &'static str,
    pub args: &'static [strace::Arg],
    pub ret: Ret,
    pub handler: Handler,
}

const fn sys(
    nr: u16,
    name: &'static str,
    args: &'static [strace::Arg],
    handler: Handler,
) -> Syscall {
    Syscall {
        nr,
        name,
        args,
        ret: Ret::Dec,
        handler,
    }
}

/// Same, for calls whose result is an address (shown in hex).
const fn sys_addr(
    nr: u16,
    name: &'static str,
    args: &'static [strace::Arg],
    handler: Handler,
) -> Syscall {
    Syscall {
        nr,
        name,
        args,
        ret: Ret::Hex,
        handler,
    }
}

/// Same, for calls that do not return.
const fn sys_exit(
    nr: u16,
    name: &'static str,
    args: &'static [strace::Arg],
    handler: Handler,
) -> Syscall {
    Syscall {
        nr,
        name,
        args,
        ret: Ret::Never,
        handler,
    }
}

/// Every syscall the layer implements. Anything else is -ENOSYS.
pub static SYSCALLS: &[Syscall] = &[
    // files and directories (fs.rs)
    sys(17, "getcwd", &[Ptr, Size], fs::getcwd),
    sys(23, "dup", &[Int], fs::dup),
    sys(24, "dup3", &[Int, Int, OpenFlags], fs::dup3),
    sys(25, "fcntl", &[Int, Int, Hex], fs::fcntl),
    sys(29, "ioctl", &[Int, Hex, Hex], fs::ioctl),
    sys(34, "mkdirat", &[DirFd, Path, Mode], fs::mkdirat),
    sys(35, "unlinkat", &[DirFd, Path, Hex], fs::unlinkat),
    sys(
        276,
        "renameat2",
        &[DirFd, Path, DirFd, Path, Hex],
        fs::renameat2,
    ),
    sys(48, "faccessat", &[DirFd, Path, Hex], fs::faccessat),
    sys(56, "openat", &[DirFd, Path, OpenFlags, Mode], fs::openat),
    sys(57, "close", &[Int], fs::close),
    sys(61, "getdents64", &[Int, Ptr, Size], fs::getdents64),
    sys(62, "lseek", &[Int, Off, Whence], fs::lseek),
    sys(63, "read", &[Int, Ptr, Size], fs::read),
    sys(64, "write", &[Int, InBuf(2), Size], fs::write),
    sys(65, "readv", &[Int, Ptr, Int], fs::readv),
    sys(66, "writev", &[Int, Ptr, Int], fs::writev),
    sys(67, "pread64", &[Int, Ptr, Size, Off], fs::pread64),
    sys(68, "pwrite64", &[Int, InBuf(2), Size, Off], fs::pwrite64),
    sys(78, "readlinkat", &[DirFd, Path, Ptr, Size], fs::readlinkat),
    sys(79, "newfstatat", &[DirFd, Path, Ptr, Hex], fs::newfstatat),
    sys(80, "fstat", &[Int, Ptr], fs::fstat),
    sys(166, "umask", &[Mode], fs::umask),
    sys(439, "faccessat2", &[DirFd, Path, Hex, Hex], fs::faccessat2),
    // memory (mem.rs)
    sys_addr(214, "brk", &[Ptr], mem::brk),
    sys(215, "munmap", &[Ptr, Size], mem::munmap),
    sys_addr(216, "mremap", &[Ptr, Size, Size, Hex, Ptr], mem::mremap),
    sys_addr(
        222,
        "mmap",
        &[Ptr, Size, Prot, MapFlags, Int, Hex],
        mem::mmap,
    ),
    sys(226, "mprotect", &[Ptr, Size, Prot], mem::mprotect),
    sys(233, "madvise", &[Ptr, Size, Int], mem::madvise),
    // process lifetime, threads, limits (process.rs)
    sys_exit(93, "exit", &[Int], process::exit),
    sys_exit(94, "exit_group", &[Int], process::exit_group),
    sys(96, "set_tid_address", &[Ptr], process::set_tid_address),
    sys(98, "futex", &[Ptr, Int, Int, Ptr, Ptr, Int], process::futex),
    sys(
        99,
        "set_robust_list",
        &[Ptr, Size],
        process::set_robust_list,
    ),
    sys(163, "getrlimit", &[Int, Ptr], process::getrlimit),
    sys(164, "setrlimit", &[Int, Ptr], process::setrlimit),
    sys(167, "prctl", &[Int, Hex, Hex, Hex, Hex], process::prctl),
    sys(261, "prlimit64", &[Int, Int, Ptr, Ptr], process::prlimit64),
    sys(293, "rseq", &[Ptr, Size, Hex, Hex], process::rseq),
    // clocks and sleeping (time.rs)
    sys(101, "nanosleep", &[Ptr, Ptr], time::nanosleep),
    sys(113, "clock_gettime", &[Clock, Ptr], time::clock_gettime),
    sys(114, "clock_getres", &[Clock, Ptr], time::clock_getres),
    sys(
        115,
        "clock_nanosleep",
        &[Clock, Hex, Ptr, Ptr],
        time::clock_nanosleep,
    ),
    sys(169, "gettimeofday", &[Ptr, Ptr], time::gettimeofday),
    // signals (signal.rs)
    sys(129, "kill", &[Int, Signal], signal::kill),
    sys(130, "tkill", &[Int, Signal], signal::tkill),
    sys(131, "tgkill", &[Int, Int, Signal], signal::tgkill),
    sys(132, "sigaltstack", &[Ptr, Ptr], signal::sigaltstack),
    sys(
        134,
        "rt_sigaction",
        &[Signal, Ptr, Ptr, Size],
        signal::rt_sigaction,
    ),
    sys(
        135,
        "rt_sigprocmask",
        &[Int, Ptr, Ptr, Size],
        signal::rt_sigprocmask,
    ),
    // who we are (identity.rs)
    sys(172, "getpid", &[], identity::getpid),
    sys(173, "getppid", &[], identity::getppid),
    sys(174, "getuid", &[], identity::getuid),
    sys(175, "geteuid", &[], identity::geteuid),
    sys(176, "getgid", &[], identity::getgid),
    sys(177, "getegid", &[], identity::getegid),
    sys(178, "gettid", &[], identity::gettid),
    // the machine (system.rs)
    sys(
        123,
        "sched_getaffinity",
        &[Int, Size, Ptr],
        system::sched_getaffinity,
    ),
    sys(124, "sched_yield", &[], system::sched_yield),
    sys(160, "uname", &[Ptr], system::uname),
    sys(179, "sysinfo", &[Ptr], system::sysinfo),
    sys(278, "getrandom", &[Ptr, Size, Hex], system::getrandom),
    sys(283, "membarrier", &[Int, Hex, Int], system::membarrier),
];

/// Number -> table position + 1, so a syscall costs one array lookup.
pub fn build_index() -> Vec<u16> {
    let max = SYSCALLS.iter().map(|s| s.nr as usize).max().unwrap_or(0);
    let mut index = vec![0u16; max + 1];
    for (i, s) in SYSCALLS.iter().enumerate() {
        assert!(index[s.nr as usize] == 0, "syscall {} listed twice", s.nr);
        index[s.nr as usize] = i as u16 + 1;
    }
    index
}

fn lookup(r: &Runtime, nr: u64) -> Option<&'static Syscall> {
    let i = *r.dispatch_index.get(usize::try_from(nr).ok()?)?;
    (i != 0).then(|| &SYSCALLS[i as usize - 1])
}

/// Performs the syscall described by `elfconv_state` (called by lifted code
/// at an `ecall` / `svc`). Number and arguments come from the architecture's
/// registers; the result (or -errno) goes back to the return register.
#[no_mangle]
pub extern "C" fn elfconv_syscall(_pc: u64) {
    let r = rt();
    let (nr_reg, arg0, ret_reg) = if r.is_aarch64() {
        (8, 0, 0)
    } else {
        (17, 10, 10)
    };
    let (nr, args) = {
        let st = state();
        let mut a = [0u64; 6];
        a.copy_from_slice(&st.x[arg0..arg0 + 6]);
        (st.x[nr_reg], a)
    };
    let entry = lookup(r, nr);
    let trace_call = r.strace.then(|| match entry {
        Some(e) => strace::format_call(e.name, e.args, &args, r.arch, &r.mem()),
        None => strace::format_unknown_call(nr, &args),
    });
    if let (Some(call), Some(e)) = (&trace_call, entry) {
        if e.ret == Ret::Never {
            host::eprintln(&(call.clone() + &strace::format_result(0, Ret::Never)));
        }
    }
    let ret = match entry {
        Some(e) => match (e.handler)(r, &args) {
            Ok(v) => v,
            Err(e) => e.to_ret(),
        },
        None => ENOSYS.to_ret(),
    };
    if let Some(call) = trace_call {
        let kind = entry.map_or(Ret::Dec, |e| e.ret);
        host::eprintln(&(call + &strace::format_result(ret, kind)));
    }
    state().x[ret_reg] = ret;
}
