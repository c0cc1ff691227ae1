//! The syscall entry point and the central table: number -> name, how to
//! trace it, and the handler. Numbers are the asm-generic ones, shared by
//! riscv64 and aarch64.

use super::{
    fs, host, identity, io, mem, process, rt, signal, state, system, time, timers, Runtime,
};
use crate::errno::{SysResult, ENOSYS};
use crate::strace::{self, Arg::*, Ret};
use crate::syscall_names;

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
///
/// The README's list of supported syscalls is generated from this table
/// (`scripts/syscall-list.sh`; a test fails when they differ), and a test
/// checks each name against its number (`crate::syscall_names`).
pub static SYSCALLS: &[Syscall] = &[
    // files and directories by path (fs.rs)
    sys(17, "getcwd", &[Ptr, Size], fs::getcwd),
    sys(34, "mkdirat", &[DirFd, Path, Mode], fs::mkdirat),
    sys(35, "unlinkat", &[DirFd, Path, AtFlags], fs::unlinkat),
    sys(36, "symlinkat", &[Path, DirFd, Path], fs::symlinkat),
    sys(
        37,
        "linkat",
        &[DirFd, Path, DirFd, Path, AtFlags],
        fs::linkat,
    ),
    sys(38, "renameat", &[DirFd, Path, DirFd, Path], fs::renameat),
    sys(43, "statfs", &[Path, Ptr], fs::statfs),
    sys(44, "fstatfs", &[Int, Ptr], fs::fstatfs),
    sys(45, "truncate", &[Path, Off], fs::truncate),
    sys(48, "faccessat", &[DirFd, Path, Hex], fs::faccessat),
    sys(49, "chdir", &[Path], fs::chdir),
    sys(50, "fchdir", &[Int], fs::fchdir),
    sys(52, "fchmod", &[Int, Mode], fs::fchmod),
    sys(53, "fchmodat", &[DirFd, Path, Mode], fs::fchmodat),
    sys(
        54,
        "fchownat",
        &[DirFd, Path, Int, Int, AtFlags],
        fs::fchownat,
    ),
    sys(55, "fchown", &[Int, Int, Int], fs::fchown),
    sys(
        56,
        "openat",
        &[DirFd, Path, OpenFlags, CreateMode(2)],
        fs::openat,
    ),
    sys(61, "getdents64", &[Int, Ptr, Size], fs::getdents64),
    sys(
        78,
        "readlinkat",
        &[DirFd, Path, OutBuf, Size],
        fs::readlinkat,
    ),
    sys(
        79,
        "newfstatat",
        &[DirFd, Path, StatBuf, AtFlags],
        fs::newfstatat,
    ),
    sys(80, "fstat", &[Int, StatBuf], fs::fstat),
    sys(88, "utimensat", &[DirFd, Path, Ptr, AtFlags], fs::utimensat),
    sys(166, "umask", &[Mode], fs::umask),
    sys(
        276,
        "renameat2",
        &[DirFd, Path, DirFd, Path, Hex],
        fs::renameat2,
    ),
    sys(291, "statx", &[DirFd, Path, AtFlags, Hex, Ptr], fs::statx),
    sys(
        439,
        "faccessat2",
        &[DirFd, Path, Hex, AtFlags],
        fs::faccessat2,
    ),
    // file descriptors (io.rs)
    sys(23, "dup", &[Int], io::dup),
    sys(24, "dup3", &[Int, Int, FdFlags], io::dup3),
    sys(25, "fcntl", &[Int, Int, Hex], io::fcntl),
    sys(29, "ioctl", &[Int, Hex, Hex], io::ioctl),
    sys(32, "flock", &[Int, Int], io::flock),
    sys(46, "ftruncate", &[Int, Off], io::ftruncate),
    sys(47, "fallocate", &[Int, Int, Off, Off], io::fallocate),
    sys(57, "close", &[Int], io::close),
    sys(59, "pipe2", &[FdPair, FdFlags], io::pipe2),
    sys(62, "lseek", &[Int, Off, Whence], io::lseek),
    sys(63, "read", &[Int, OutBuf, Size], io::read),
    sys(64, "write", &[Int, InBuf(2), Size], io::write),
    sys(65, "readv", &[Int, Ptr, Int], io::readv),
    sys(66, "writev", &[Int, Ptr, Int], io::writev),
    sys(67, "pread64", &[Int, OutBuf, Size, Off], io::pread64),
    sys(68, "pwrite64", &[Int, InBuf(2), Size, Off], io::pwrite64),
    sys(69, "preadv", &[Int, Ptr, Int, Off], io::preadv),
    sys(70, "pwritev", &[Int, Ptr, Int, Off], io::pwritev),
    sys(71, "sendfile", &[Int, Int, Ptr, Size], io::sendfile),
    sys(
        72,
        "pselect6",
        &[Int, Ptr, Ptr, Ptr, Ptr, Ptr],
        io::pselect6,
    ),
    sys(73, "ppoll", &[Ptr, Int, Ptr, Ptr, Size], io::ppoll),
    sys(81, "sync", &[], io::sync_all),
    sys(82, "fsync", &[Int], io::fsync),
    sys(83, "fdatasync", &[Int], io::fdatasync),
    sys(213, "readahead", &[Int, Off, Size], io::readahead),
    sys(223, "fadvise64", &[Int, Off, Off, Int], io::fadvise64),
    sys(267, "syncfs", &[Int], io::syncfs),
    sys(
        285,
        "copy_file_range",
        &[Int, Ptr, Int, Ptr, Size, Hex],
        io::copy_file_range,
    ),
    sys(286, "preadv2", &[Int, Ptr, Int, Off, Off, Hex], io::preadv2),
    sys(
        287,
        "pwritev2",
        &[Int, Ptr, Int, Off, Off, Hex],
        io::pwritev2,
    ),
    sys(436, "close_range", &[Int, Int, Hex], io::close_range),
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
    sys(227, "msync", &[Ptr, Size, Hex], mem::msync),
    sys(228, "mlock", &[Ptr, Size], mem::mlock),
    sys(229, "munlock", &[Ptr, Size], mem::mlock),
    sys(230, "mlockall", &[Hex], mem::mlockall),
    sys(231, "munlockall", &[], mem::mlock),
    sys(232, "mincore", &[Ptr, Size, Ptr], mem::mincore),
    sys(233, "madvise", &[Ptr, Size, Int], mem::madvise),
    sys(284, "mlock2", &[Ptr, Size, Hex], mem::mlock),
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
    sys(102, "getitimer", &[Int, Ptr], timers::getitimer),
    sys(103, "setitimer", &[Int, Ptr, Ptr], timers::setitimer),
    sys(113, "clock_gettime", &[Clock, Ptr], time::clock_gettime),
    sys(114, "clock_getres", &[Clock, Ptr], time::clock_getres),
    sys(
        115,
        "clock_nanosleep",
        &[Clock, Hex, Ptr, Ptr],
        time::clock_nanosleep,
    ),
    sys(153, "times", &[Ptr], time::times),
    sys(165, "getrusage", &[Int, Ptr], time::getrusage),
    sys(169, "gettimeofday", &[Ptr, Ptr], time::gettimeofday),
    // signals (signal.rs)
    sys(129, "kill", &[Int, Signal], signal::kill),
    sys(130, "tkill", &[Int, Signal], signal::tkill),
    sys(131, "tgkill", &[Int, Int, Signal], signal::tgkill),
    sys(132, "sigaltstack", &[Ptr, Ptr], signal::sigaltstack),
    sys(133, "rt_sigsuspend", &[Ptr, Size], signal::rt_sigsuspend),
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
    sys(136, "rt_sigpending", &[Ptr, Size], signal::rt_sigpending),
    sys(
        137,
        "rt_sigtimedwait",
        &[Ptr, Ptr, Ptr, Size],
        signal::rt_sigtimedwait,
    ),
    sys(139, "rt_sigreturn", &[], signal::rt_sigreturn),
    // who we are (identity.rs)
    sys(140, "setpriority", &[Int, Int, Int], identity::setpriority),
    sys(141, "getpriority", &[Int, Int], identity::getpriority),
    sys(143, "setregid", &[Int, Int], identity::setregid),
    sys(144, "setgid", &[Int], identity::setgid),
    sys(145, "setreuid", &[Int, Int], identity::setreuid),
    sys(146, "setuid", &[Int], identity::setuid),
    sys(147, "setresuid", &[Int, Int, Int], identity::setresuid),
    sys(148, "getresuid", &[Ptr, Ptr, Ptr], identity::getresuid),
    sys(149, "setresgid", &[Int, Int, Int], identity::setresgid),
    sys(150, "getresgid", &[Ptr, Ptr, Ptr], identity::getresgid),
    sys(151, "setfsuid", &[Int], identity::setfsuid),
    sys(152, "setfsgid", &[Int], identity::setfsgid),
    sys(154, "setpgid", &[Int, Int], identity::setpgid),
    sys(155, "getpgid", &[Int], identity::getpgid),
    sys(156, "getsid", &[Int], identity::getsid),
    sys(157, "setsid", &[], identity::setsid),
    sys(158, "getgroups", &[Int, Ptr], identity::getgroups),
    sys(159, "setgroups", &[Int, Ptr], identity::setgroups),
    sys(172, "getpid", &[], identity::getpid),
    sys(173, "getppid", &[], identity::getppid),
    sys(174, "getuid", &[], identity::getuid),
    sys(175, "geteuid", &[], identity::geteuid),
    sys(176, "getgid", &[], identity::getgid),
    sys(177, "getegid", &[], identity::getegid),
    sys(178, "gettid", &[], identity::gettid),
    // the machine (system.rs)
    sys(92, "personality", &[Hex], system::personality),
    sys(118, "sched_setparam", &[Int, Ptr], system::sched_setparam),
    sys(
        119,
        "sched_setscheduler",
        &[Int, Int, Ptr],
        system::sched_setscheduler,
    ),
    sys(
        120,
        "sched_getscheduler",
        &[Int],
        system::sched_getscheduler,
    ),
    sys(121, "sched_getparam", &[Int, Ptr], system::sched_getparam),
    sys(
        122,
        "sched_setaffinity",
        &[Int, Size, Ptr],
        system::sched_setaffinity,
    ),
    sys(
        123,
        "sched_getaffinity",
        &[Int, Size, Ptr],
        system::sched_getaffinity,
    ),
    sys(124, "sched_yield", &[], system::sched_yield),
    sys(
        125,
        "sched_get_priority_max",
        &[Int],
        system::sched_get_priority_max,
    ),
    sys(
        126,
        "sched_get_priority_min",
        &[Int],
        system::sched_get_priority_min,
    ),
    sys(160, "uname", &[Ptr], system::uname),
    sys(168, "getcpu", &[Ptr, Ptr, Ptr], system::getcpu),
    sys(179, "sysinfo", &[Ptr], system::sysinfo),
    sys(
        259,
        "riscv_flush_icache",
        &[Ptr, Ptr, Hex],
        system::riscv_flush_icache,
    ),
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

/// Length of the syscall instruction (`ecall`, `svc`): the syscall returns
/// to the instruction after it.
const SYSCALL_INSN_LEN: u64 = 4;

/// Performs the syscall described by `elfconv_state` (called by lifted code
/// at an `ecall` / `svc` at `pc`). Number and arguments come from the
/// architecture's registers; the result (or -errno) goes back to the return
/// register. Returns the guest pc to continue at: normally the next
/// instruction, but a signal handler (or rt_sigreturn's saved pc) when the
/// syscall delivered a signal; lifted code then returns that pc to the
/// dispatch loop instead of continuing.
#[no_mangle]
pub extern "C" fn elfconv_syscall(pc: u64) -> u64 {
    let r = rt();
    r.resume_pc = pc.wrapping_add(SYSCALL_INSN_LEN);
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
    // A call that does not return is traced before it runs; the others
    // after, so that what they wrote can be shown (as strace does).
    if let Some(e) = entry.filter(|e| r.strace && e.ret == Ret::Never) {
        let call = strace::format_call(e.name, e.args, &args, None, r.arch, &r.mem());
        host::eprintln(&(call + &strace::format_result(0, Ret::Never)));
    }
    let ret = match entry {
        Some(e) => match (e.handler)(r, &args) {
            Ok(v) => v,
            Err(e) => e.to_ret(),
        },
        None => ENOSYS.to_ret(),
    };
    if r.strace {
        let call = match entry {
            Some(e) => strace::format_call(e.name, e.args, &args, Some(ret), r.arch, &r.mem()),
            None => strace::format_unknown_call(nr, syscall_names::name(nr), &args),
        };
        let kind = entry.map_or(Ret::Dec, |e| e.ret);
        host::eprintln(&(call + &strace::format_result(ret, kind)));
        if entry.is_none() && syscall_names::creates_processes(nr) {
            host::eprintln(
                "elfconv2: creating processes and threads is not supported yet (ENOSYS)",
            );
        }
    }
    state().x[ret_reg] = ret;
    let resume = r.resume_pc;
    signal::deliver(r, resume)
}
