//! Linux user ABI facts for riscv64 and aarch64 (little-endian, LP64): flag
//! values, signal and clock numbers, and byte encoders for the structs that
//! syscalls fill in. Pure data, so it is unit-tested on the host.

use crate::abi::{ARCH_AARCH64, ARCH_RISCV64};

// ---- *at() conventions ----
pub const AT_FDCWD: i32 = -100;
pub const AT_SYMLINK_NOFOLLOW: u32 = 0x100;
pub const AT_REMOVEDIR: u32 = 0x200;
pub const AT_EACCESS: u32 = 0x200;
pub const AT_SYMLINK_FOLLOW: u32 = 0x400;
pub const AT_NO_AUTOMOUNT: u32 = 0x800;
pub const AT_EMPTY_PATH: u32 = 0x1000;

pub const PATH_MAX: usize = 4096;

// ---- open(2) flags ----
pub const O_ACCMODE: u32 = 3;
pub const O_RDONLY: u32 = 0;
pub const O_WRONLY: u32 = 1;
pub const O_RDWR: u32 = 2;
pub const O_CREAT: u32 = 0o100;
pub const O_EXCL: u32 = 0o200;
pub const O_NOCTTY: u32 = 0o400;
pub const O_TRUNC: u32 = 0o1000;
pub const O_APPEND: u32 = 0o2000;
pub const O_NONBLOCK: u32 = 0o4000;
pub const O_DSYNC: u32 = 0o10000;
pub const O_ASYNC: u32 = 0o20000;
pub const O_NOATIME: u32 = 0o1000000;
pub const O_CLOEXEC: u32 = 0o2000000;
/// The kernel's `__O_SYNC`; userspace `O_SYNC` is this plus `O_DSYNC`.
pub const O_SYNC_BIT: u32 = 0o4000000;
pub const O_PATH: u32 = 0o10000000;
/// The kernel's `__O_TMPFILE` (userspace `O_TMPFILE` adds `O_DIRECTORY`).
pub const O_TMPFILE_BIT: u32 = 0o20000000;

/// The four open flags whose values differ between the asm-generic layout
/// (riscv64) and arm64's own `asm/fcntl.h`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArchOpenFlags {
    pub directory: u32,
    pub nofollow: u32,
    pub direct: u32,
    pub largefile: u32,
}

pub fn arch_open_flags(arch: u64) -> ArchOpenFlags {
    if arch == ARCH_AARCH64 {
        ArchOpenFlags {
            directory: 0o40000,
            nofollow: 0o100000,
            direct: 0o200000,
            largefile: 0o400000,
        }
    } else {
        ArchOpenFlags {
            directory: 0o200000,
            nofollow: 0o400000,
            direct: 0o40000,
            largefile: 0o100000,
        }
    }
}

/// `O_*` names for strace output, in the order strace prints them
/// (the access mode is printed separately).
pub fn open_flag_names(arch: u64) -> [(u32, &'static str); 16] {
    let a = arch_open_flags(arch);
    [
        (O_CREAT, "O_CREAT"),
        (O_EXCL, "O_EXCL"),
        (O_NOCTTY, "O_NOCTTY"),
        (O_TRUNC, "O_TRUNC"),
        (O_APPEND, "O_APPEND"),
        (O_NONBLOCK, "O_NONBLOCK"),
        (O_SYNC_BIT | O_DSYNC, "O_SYNC"),
        (O_DSYNC, "O_DSYNC"),
        (O_ASYNC, "O_ASYNC"),
        (a.direct, "O_DIRECT"),
        (a.largefile, "O_LARGEFILE"),
        (a.directory, "O_DIRECTORY"),
        (a.nofollow, "O_NOFOLLOW"),
        (O_NOATIME, "O_NOATIME"),
        (O_CLOEXEC, "O_CLOEXEC"),
        (O_PATH, "O_PATH"),
    ]
}

// ---- lseek ----
pub const SEEK_SET: u32 = 0;
pub const SEEK_CUR: u32 = 1;
pub const SEEK_END: u32 = 2;

// ---- access(2) ----
pub const F_OK: u32 = 0;
pub const X_OK: u32 = 1;
pub const W_OK: u32 = 2;
pub const R_OK: u32 = 4;

// ---- mmap ----
pub const PROT_READ: u32 = 1;
pub const PROT_WRITE: u32 = 2;
pub const PROT_EXEC: u32 = 4;
pub const MAP_SHARED: u32 = 0x01;
pub const MAP_PRIVATE: u32 = 0x02;
pub const MAP_SHARED_VALIDATE: u32 = 0x03;
pub const MAP_TYPE: u32 = 0x0f;
pub const MAP_FIXED: u32 = 0x10;
pub const MAP_ANONYMOUS: u32 = 0x20;
pub const MAP_FIXED_NOREPLACE: u32 = 0x100000;
pub const MREMAP_MAYMOVE: u32 = 1;
pub const MREMAP_FIXED: u32 = 2;
pub const MREMAP_DONTUNMAP: u32 = 4;
pub const MADV_DONTNEED: u32 = 4;

pub const MMAP_FLAG_NAMES: [(u32, &str); 13] = [
    (MAP_FIXED, "MAP_FIXED"),
    (MAP_ANONYMOUS, "MAP_ANONYMOUS"),
    (0x100, "MAP_GROWSDOWN"),
    (0x800, "MAP_DENYWRITE"),
    (0x1000, "MAP_EXECUTABLE"),
    (0x2000, "MAP_LOCKED"),
    (0x4000, "MAP_NORESERVE"),
    (0x8000, "MAP_POPULATE"),
    (0x10000, "MAP_NONBLOCK"),
    (0x20000, "MAP_STACK"),
    (0x40000, "MAP_HUGETLB"),
    (0x80000, "MAP_SYNC"),
    (MAP_FIXED_NOREPLACE, "MAP_FIXED_NOREPLACE"),
];

pub const PROT_NAMES: [(u32, &str); 3] = [
    (PROT_READ, "PROT_READ"),
    (PROT_WRITE, "PROT_WRITE"),
    (PROT_EXEC, "PROT_EXEC"),
];

// ---- file types (st_mode and d_type) ----
pub const S_IFMT: u32 = 0o170000;
pub const S_IFSOCK: u32 = 0o140000;
pub const S_IFLNK: u32 = 0o120000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFBLK: u32 = 0o060000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFCHR: u32 = 0o020000;
pub const S_IFIFO: u32 = 0o010000;

pub const DT_UNKNOWN: u8 = 0;
pub const DT_FIFO: u8 = 1;
pub const DT_CHR: u8 = 2;
pub const DT_DIR: u8 = 4;
pub const DT_BLK: u8 = 6;
pub const DT_REG: u8 = 8;
pub const DT_LNK: u8 = 10;
pub const DT_SOCK: u8 = 12;

/// WASI preview1 filetype codes (`wasi::Filetype::raw()`).
pub mod wasi_filetype {
    pub const UNKNOWN: u8 = 0;
    pub const BLOCK_DEVICE: u8 = 1;
    pub const CHARACTER_DEVICE: u8 = 2;
    pub const DIRECTORY: u8 = 3;
    pub const REGULAR_FILE: u8 = 4;
    pub const SOCKET_DGRAM: u8 = 5;
    pub const SOCKET_STREAM: u8 = 6;
    pub const SYMBOLIC_LINK: u8 = 7;
}

/// `st_mode` for a WASI filetype. WASI has no permission bits, so each type
/// gets the mode a freshly created object of that type usually has. WASI
/// also has no FIFO type: runtimes report pipes as `UNKNOWN`, which is
/// what a pipe on stdin/stdout looks like, hence `S_IFIFO`.
pub fn mode_for_filetype(ft: u8) -> u32 {
    use wasi_filetype::*;
    match ft {
        BLOCK_DEVICE => S_IFBLK | 0o660,
        CHARACTER_DEVICE => S_IFCHR | 0o620,
        DIRECTORY => S_IFDIR | 0o755,
        REGULAR_FILE => S_IFREG | 0o644,
        SOCKET_DGRAM | SOCKET_STREAM => S_IFSOCK | 0o777,
        SYMBOLIC_LINK => S_IFLNK | 0o777,
        _ => S_IFIFO | 0o600,
    }
}

/// `d_type` for a WASI filetype (directory entries say unknown honestly).
pub fn dtype_for_filetype(ft: u8) -> u8 {
    use wasi_filetype::*;
    match ft {
        BLOCK_DEVICE => DT_BLK,
        CHARACTER_DEVICE => DT_CHR,
        DIRECTORY => DT_DIR,
        REGULAR_FILE => DT_REG,
        SOCKET_DGRAM | SOCKET_STREAM => DT_SOCK,
        SYMBOLIC_LINK => DT_LNK,
        _ => DT_UNKNOWN,
    }
}

// ---- clocks ----
pub const CLOCK_REALTIME: u32 = 0;
pub const CLOCK_MONOTONIC: u32 = 1;
pub const CLOCK_PROCESS_CPUTIME_ID: u32 = 2;
pub const CLOCK_THREAD_CPUTIME_ID: u32 = 3;
pub const CLOCK_MONOTONIC_RAW: u32 = 4;
pub const CLOCK_REALTIME_COARSE: u32 = 5;
pub const CLOCK_MONOTONIC_COARSE: u32 = 6;
pub const CLOCK_BOOTTIME: u32 = 7;
pub const CLOCK_REALTIME_ALARM: u32 = 8;
pub const CLOCK_BOOTTIME_ALARM: u32 = 9;
pub const CLOCK_TAI: u32 = 11;
pub const TIMER_ABSTIME: u32 = 1;

/// Which host clock serves a Linux clock id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockKind {
    Realtime,
    Monotonic,
    CpuTime,
}

/// Classifies a Linux clock id; `None` means EINVAL. Negative ids are the
/// per-process/per-thread CPU clocks glibc builds for `clock_getcpuclockid`
/// (`~pid << 3 | type`, bit 2 = per thread): with one process and one thread
/// they all measure our own CPU time, when they name us (pid 0 or `self_pid`).
pub fn clock_kind(id: i32, self_pid: u32) -> Option<ClockKind> {
    if id < 0 {
        // Low 2 bits: 0 PROF, 1 VIRT, 2 SCHED; 3 is not a valid type.
        let pid = !(id >> 3);
        return if id & 3 == 3 || (pid != 0 && pid != self_pid as i32) {
            None
        } else {
            Some(ClockKind::CpuTime)
        };
    }
    match id as u32 {
        CLOCK_REALTIME | CLOCK_REALTIME_COARSE | CLOCK_REALTIME_ALARM | CLOCK_TAI => {
            Some(ClockKind::Realtime)
        }
        CLOCK_MONOTONIC
        | CLOCK_MONOTONIC_RAW
        | CLOCK_MONOTONIC_COARSE
        | CLOCK_BOOTTIME
        | CLOCK_BOOTTIME_ALARM => Some(ClockKind::Monotonic),
        CLOCK_PROCESS_CPUTIME_ID | CLOCK_THREAD_CPUTIME_ID => Some(ClockKind::CpuTime),
        _ => None,
    }
}

pub fn clock_name(id: i32) -> Option<&'static str> {
    Some(match u32::try_from(id).ok()? {
        CLOCK_REALTIME => "CLOCK_REALTIME",
        CLOCK_MONOTONIC => "CLOCK_MONOTONIC",
        CLOCK_PROCESS_CPUTIME_ID => "CLOCK_PROCESS_CPUTIME_ID",
        CLOCK_THREAD_CPUTIME_ID => "CLOCK_THREAD_CPUTIME_ID",
        CLOCK_MONOTONIC_RAW => "CLOCK_MONOTONIC_RAW",
        CLOCK_REALTIME_COARSE => "CLOCK_REALTIME_COARSE",
        CLOCK_MONOTONIC_COARSE => "CLOCK_MONOTONIC_COARSE",
        CLOCK_BOOTTIME => "CLOCK_BOOTTIME",
        CLOCK_REALTIME_ALARM => "CLOCK_REALTIME_ALARM",
        CLOCK_BOOTTIME_ALARM => "CLOCK_BOOTTIME_ALARM",
        CLOCK_TAI => "CLOCK_TAI",
        _ => return None,
    })
}

// ---- signals ----
pub const NSIG: u32 = 64;
pub const SIGILL: u32 = 4;
pub const SIGKILL: u32 = 9;
pub const SIGSEGV: u32 = 11;
pub const SIGSTOP: u32 = 19;
pub const SIGABRT: u32 = 6;
pub const SIGPIPE: u32 = 13;
/// si_code of a SIGILL for an illegal opcode.
pub const ILL_ILLOPC: i32 = 1;
/// si_code of a SIGSEGV for an address with no mapping.
pub const SEGV_MAPERR: i32 = 1;
pub const SIGALRM: u32 = 14;
pub const SIGVTALRM: u32 = 26;
pub const SIGPROF: u32 = 27;
pub const SIG_DFL: u64 = 0;
pub const SIG_IGN: u64 = 1;
pub const SIG_BLOCK: u32 = 0;
pub const SIG_UNBLOCK: u32 = 1;
pub const SIG_SETMASK: u32 = 2;
pub const SS_DISABLE: u32 = 2;

const SIGNAL_NAMES: [&str; 31] = [
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGILL",
    "SIGTRAP",
    "SIGABRT",
    "SIGBUS",
    "SIGFPE",
    "SIGKILL",
    "SIGUSR1",
    "SIGSEGV",
    "SIGUSR2",
    "SIGPIPE",
    "SIGALRM",
    "SIGTERM",
    "SIGSTKFLT",
    "SIGCHLD",
    "SIGCONT",
    "SIGSTOP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGVTALRM",
    "SIGPROF",
    "SIGWINCH",
    "SIGIO",
    "SIGPWR",
    "SIGSYS",
];

/// Name of a classic signal (1..=31); real-time signals have none.
pub fn signal_name(sig: u32) -> Option<&'static str> {
    SIGNAL_NAMES.get((sig as usize).wrapping_sub(1)).copied()
}

/// What the kernel does with a signal whose action is SIG_DFL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefaultAction {
    /// The process dies (with or without a core dump: both look the same to
    /// a parent, exit status 128 + signo).
    Terminate,
    Ignore,
    /// Stop/continue job control: with no parent shell there is nothing to
    /// stop for, so it is ignored as well.
    Stop,
}

pub fn default_action(sig: u32) -> DefaultAction {
    match sig {
        17 | 23 | 28 | 18 => DefaultAction::Ignore, // CHLD, URG, WINCH, CONT
        19..=22 => DefaultAction::Stop,             // STOP, TSTP, TTIN, TTOU
        _ => DefaultAction::Terminate,
    }
}

// ---- resource limits ----
pub const RLIMIT_STACK: u32 = 3;
pub const RLIMIT_NOFILE: u32 = 7;
pub const RLIM_NLIMITS: u32 = 16;
pub const RLIM_INFINITY: u64 = u64::MAX;

// ---- misc ----
pub const PR_SET_NAME: u32 = 15;
pub const PR_GET_NAME: u32 = 16;
pub const TCGETS: u32 = 0x5401;
pub const TCSETS: u32 = 0x5402;
pub const TCSETSW: u32 = 0x5403;
pub const TCSETSF: u32 = 0x5404;
pub const TIOCGWINSZ: u32 = 0x5413;
pub const TIOCSWINSZ: u32 = 0x5414;
pub const TIOCGPGRP: u32 = 0x540f;
pub const FUTEX_WAIT: u32 = 0;
pub const FUTEX_WAKE: u32 = 1;
pub const FUTEX_REQUEUE: u32 = 3;
pub const FUTEX_CMP_REQUEUE: u32 = 4;
pub const FUTEX_WAKE_OP: u32 = 5;
pub const FUTEX_WAIT_BITSET: u32 = 9;
pub const FUTEX_WAKE_BITSET: u32 = 10;
pub const FUTEX_PRIVATE_FLAG: u32 = 128;
pub const FUTEX_CLOCK_REALTIME: u32 = 256;

/// FUTEX_WAKE_OP's operation on `*uaddr2`; returns (new value, whether
/// the comparison on the old value holds).
pub fn futex_wake_op(encoded: u32, old: u32) -> (u32, bool) {
    let op = (encoded >> 28) & 7;
    let cmp = (encoded >> 24) & 15;
    let sign12 = |v: u32| ((v << 20) as i32 >> 20) as u32;
    let mut oparg = sign12((encoded >> 12) & 0xfff);
    let cmparg = sign12(encoded & 0xfff);
    if encoded & (8 << 28) != 0 {
        oparg = 1u32.checked_shl(oparg).unwrap_or(0);
    }
    let new = match op {
        0 => oparg,
        1 => old.wrapping_add(oparg),
        2 => old | oparg,
        3 => old & !oparg,
        _ => old ^ oparg,
    };
    let hit = match cmp {
        0 => old == cmparg,
        1 => old != cmparg,
        2 => (old as i32) < cmparg as i32,
        3 => (old as i32) <= cmparg as i32,
        4 => (old as i32) > cmparg as i32,
        _ => (old as i32) >= cmparg as i32,
    };
    (new, hit)
}

// ---- auxiliary vector ----
pub const AT_NULL: u64 = 0;
pub const AT_PHDR: u64 = 3;
pub const AT_PHENT: u64 = 4;
pub const AT_PHNUM: u64 = 5;
pub const AT_PAGESZ: u64 = 6;
pub const AT_BASE: u64 = 7;
pub const AT_FLAGS: u64 = 8;
pub const AT_ENTRY: u64 = 9;
pub const AT_UID: u64 = 11;
pub const AT_EUID: u64 = 12;
pub const AT_GID: u64 = 13;
pub const AT_EGID: u64 = 14;
pub const AT_PLATFORM: u64 = 15;
pub const AT_HWCAP: u64 = 16;
pub const AT_CLKTCK: u64 = 17;
pub const AT_SECURE: u64 = 23;
pub const AT_RANDOM: u64 = 25;
pub const AT_HWCAP2: u64 = 26;
pub const AT_EXECFN: u64 = 31;
pub const AT_MINSIGSTKSZ: u64 = 51;

/// Linux's name for the guest architecture (uname machine, AT_PLATFORM).
pub fn machine_name(arch: u64) -> &'static str {
    match arch {
        ARCH_AARCH64 => "aarch64",
        ARCH_RISCV64 => "riscv64",
        _ => "unknown",
    }
}

// ---- struct encoders (all little-endian, LP64) ----

fn put_u16(b: &mut [u8], off: usize, v: u16) {
    b[off..off + 2].copy_from_slice(&v.to_le_bytes());
}
fn put_u32(b: &mut [u8], off: usize, v: u32) {
    b[off..off + 4].copy_from_slice(&v.to_le_bytes());
}
fn put_u64(b: &mut [u8], off: usize, v: u64) {
    b[off..off + 8].copy_from_slice(&v.to_le_bytes());
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timespec {
    pub sec: i64,
    pub nsec: i64,
}

impl Timespec {
    pub fn from_nanos(ns: u64) -> Self {
        Timespec {
            sec: (ns / 1_000_000_000) as i64,
            nsec: (ns % 1_000_000_000) as i64,
        }
    }

    pub fn to_bytes(self) -> [u8; 16] {
        let mut b = [0u8; 16];
        put_u64(&mut b, 0, self.sec as u64);
        put_u64(&mut b, 8, self.nsec as u64);
        b
    }

    pub fn from_bytes(b: &[u8; 16]) -> Self {
        Timespec {
            sec: i64::from_le_bytes(b[0..8].try_into().unwrap()),
            nsec: i64::from_le_bytes(b[8..16].try_into().unwrap()),
        }
    }

    /// Total nanoseconds, or `None` when the value is not a valid timespec
    /// (negative seconds, or nanoseconds outside 0..1e9): Linux says EINVAL.
    pub fn to_nanos(self) -> Option<u64> {
        if self.sec < 0 || !(0..1_000_000_000).contains(&self.nsec) {
            return None;
        }
        Some(
            (self.sec as u64)
                .saturating_mul(1_000_000_000)
                .saturating_add(self.nsec as u64),
        )
    }
}

/// `struct timeval` (seconds, microseconds).
pub fn timeval_bytes(ns: u64) -> [u8; 16] {
    let mut b = [0u8; 16];
    put_u64(&mut b, 0, ns / 1_000_000_000);
    put_u64(&mut b, 8, (ns % 1_000_000_000) / 1000);
    b
}

/// The asm-generic `struct stat` used by riscv64 and aarch64 (128 bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stat {
    pub dev: u64,
    pub ino: u64,
    pub mode: u32,
    pub nlink: u32,
    pub uid: u32,
    pub gid: u32,
    pub rdev: u64,
    pub size: i64,
    pub blksize: i32,
    pub blocks: i64,
    pub atime: Timespec,
    pub mtime: Timespec,
    pub ctime: Timespec,
}

pub const STAT_SIZE: usize = 128;

impl Stat {
    pub fn to_bytes(&self) -> [u8; STAT_SIZE] {
        let mut b = [0u8; STAT_SIZE];
        put_u64(&mut b, 0, self.dev);
        put_u64(&mut b, 8, self.ino);
        put_u32(&mut b, 16, self.mode);
        put_u32(&mut b, 20, self.nlink);
        put_u32(&mut b, 24, self.uid);
        put_u32(&mut b, 28, self.gid);
        put_u64(&mut b, 32, self.rdev);
        // 40: __pad1
        put_u64(&mut b, 48, self.size as u64);
        put_u32(&mut b, 56, self.blksize as u32);
        // 60: __pad2
        put_u64(&mut b, 64, self.blocks as u64);
        b[72..88].copy_from_slice(&self.atime.to_bytes());
        b[88..104].copy_from_slice(&self.mtime.to_bytes());
        b[104..120].copy_from_slice(&self.ctime.to_bytes());
        // 120..128: __unused4, __unused5
        b
    }
}

/// `major(dev)` and `minor(dev)` as glibc decodes `dev_t`.
pub fn dev_major_minor(dev: u64) -> (u32, u32) {
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    (major as u32, minor as u32)
}

/// `struct statx` (256 bytes) with the basic stats of `st`.
pub fn statx_bytes(st: &Stat) -> [u8; 256] {
    /// STATX_BASIC_STATS: type, mode, nlink, uid, gid, times, ino, size, blocks.
    const STATX_BASIC_STATS: u32 = 0x7ff;
    let mut b = [0u8; 256];
    let ts = |b: &mut [u8], off: usize, t: Timespec| {
        put_u64(b, off, t.sec as u64);
        put_u32(b, off + 8, t.nsec as u32);
    };
    put_u32(&mut b, 0, STATX_BASIC_STATS);
    put_u32(&mut b, 4, st.blksize as u32);
    // 8: stx_attributes = 0
    put_u32(&mut b, 16, st.nlink);
    put_u32(&mut b, 20, st.uid);
    put_u32(&mut b, 24, st.gid);
    put_u16(&mut b, 28, st.mode as u16);
    put_u64(&mut b, 32, st.ino);
    put_u64(&mut b, 40, st.size as u64);
    put_u64(&mut b, 48, st.blocks as u64);
    // 56: stx_attributes_mask = 0; 80: stx_btime not provided
    ts(&mut b, 64, st.atime);
    ts(&mut b, 96, st.ctime);
    ts(&mut b, 112, st.mtime);
    let (rmaj, rmin) = dev_major_minor(st.rdev);
    let (dmaj, dmin) = dev_major_minor(st.dev);
    put_u32(&mut b, 128, rmaj);
    put_u32(&mut b, 132, rmin);
    put_u32(&mut b, 136, dmaj);
    put_u32(&mut b, 140, dmin);
    b
}

/// `struct statfs` (asm-generic, LP64: 120 bytes) for a file system of
/// 4 KiB blocks.
pub fn statfs_bytes(fs_type: u64, blocks: u64, free_blocks: u64) -> [u8; 120] {
    /// ST_VALID: f_flags is filled in.
    const ST_VALID: u64 = 0x20;
    let mut b = [0u8; 120];
    put_u64(&mut b, 0, fs_type);
    put_u64(&mut b, 8, 4096); // f_bsize
    put_u64(&mut b, 16, blocks);
    put_u64(&mut b, 24, free_blocks); // f_bfree
    put_u64(&mut b, 32, free_blocks); // f_bavail
    put_u64(&mut b, 40, 1 << 20); // f_files
    put_u64(&mut b, 48, 1 << 19); // f_ffree
                                  // 56: f_fsid = 0
    put_u64(&mut b, 64, 255); // f_namelen
    put_u64(&mut b, 72, 4096); // f_frsize
    put_u64(&mut b, 80, ST_VALID);
    b
}

/// Length of a `struct linux_dirent64` record for a name of `name_len`
/// bytes: 19-byte header, the name, its NUL, padded to 8.
pub fn dirent64_reclen(name_len: usize) -> usize {
    (19 + name_len + 1 + 7) & !7
}

/// Appends one `struct linux_dirent64` record to `out`.
pub fn push_dirent64(out: &mut Vec<u8>, ino: u64, next_off: u64, dtype: u8, name: &[u8]) {
    let reclen = dirent64_reclen(name.len());
    let start = out.len();
    out.resize(start + reclen, 0);
    let b = &mut out[start..];
    put_u64(b, 0, ino);
    put_u64(b, 8, next_off);
    put_u16(b, 16, reclen as u16);
    b[18] = dtype;
    b[19..19 + name.len()].copy_from_slice(name);
}

/// Kernel `struct termios` (asm-generic: four tcflag_t, c_line, 19 c_cc) with
/// the settings of a fresh interactive terminal (`stty sane`, 38400 baud).
pub fn default_termios() -> [u8; 36] {
    const ICRNL: u32 = 0o400;
    const IXON: u32 = 0o2000;
    const IUTF8: u32 = 0o40000;
    const OPOST: u32 = 1;
    const ONLCR: u32 = 4;
    const B38400: u32 = 0o17;
    const CS8: u32 = 0o60;
    const CREAD: u32 = 0o200;
    const ISIG: u32 = 1;
    const ICANON: u32 = 2;
    const ECHO: u32 = 0o10;
    const ECHOE: u32 = 0o20;
    const ECHOK: u32 = 0o40;
    const ECHOCTL: u32 = 0o1000;
    const ECHOKE: u32 = 0o4000;
    const IEXTEN: u32 = 0o100000;
    let mut b = [0u8; 36];
    put_u32(&mut b, 0, ICRNL | IXON | IUTF8);
    put_u32(&mut b, 4, OPOST | ONLCR);
    put_u32(&mut b, 8, B38400 | CS8 | CREAD);
    put_u32(
        &mut b,
        12,
        ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    );
    // c_line = 0; c_cc: INTR ^C, QUIT ^\, ERASE DEL, KILL ^U, EOF ^D, TIME 0,
    // MIN 1, SWTC 0, START ^Q, STOP ^S, SUSP ^Z, EOL 0, REPRINT ^R,
    // DISCARD ^O, WERASE ^W, LNEXT ^V, EOL2 0.
    let cc = [
        3u8, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0,
    ];
    b[17..17 + cc.len()].copy_from_slice(&cc);
    b
}

/// `struct winsize` for a classic 80x24 terminal.
pub fn default_winsize() -> [u8; 8] {
    let mut b = [0u8; 8];
    put_u16(&mut b, 0, 24);
    put_u16(&mut b, 2, 80);
    b
}

/// `struct utsname`: six NUL-padded 65-byte fields.
pub fn utsname_bytes(fields: [&str; 6]) -> [u8; 390] {
    let mut b = [0u8; 390];
    for (i, f) in fields.iter().enumerate() {
        let n = f.len().min(64);
        b[i * 65..i * 65 + n].copy_from_slice(&f.as_bytes()[..n]);
    }
    b
}

/// `struct sysinfo` on LP64 (112 bytes), memory in bytes (mem_unit 1).
pub fn sysinfo_bytes(uptime_s: u64, total_ram: u64, free_ram: u64, procs: u16) -> [u8; 112] {
    let mut b = [0u8; 112];
    put_u64(&mut b, 0, uptime_s);
    // 8..32: load averages, 0
    put_u64(&mut b, 32, total_ram);
    put_u64(&mut b, 40, free_ram);
    // shared, buffer, swap: 0
    put_u16(&mut b, 80, procs);
    // 88, 96: totalhigh, freehigh = 0
    put_u32(&mut b, 104, 1);
    b
}

/// `struct rlimit` / `struct rlimit64` (both two u64 on LP64).
pub fn rlimit_bytes(cur: u64, max: u64) -> [u8; 16] {
    let mut b = [0u8; 16];
    put_u64(&mut b, 0, cur);
    put_u64(&mut b, 8, max);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_flags_differ_by_arch() {
        let rv = arch_open_flags(ARCH_RISCV64);
        let arm = arch_open_flags(ARCH_AARCH64);
        assert_eq!(rv.directory, 0x10000);
        assert_eq!(arm.directory, 0x4000);
        assert_eq!(rv.nofollow, 0x20000);
        assert_eq!(arm.nofollow, 0x8000);
        // arm64 swaps O_DIRECTORY/O_NOFOLLOW with O_DIRECT/O_LARGEFILE.
        assert_eq!(rv.direct, arm.directory);
        assert_eq!(rv.largefile, arm.nofollow);
        // No name is the empty flag.
        for arch in [ARCH_RISCV64, ARCH_AARCH64] {
            for (v, n) in open_flag_names(arch) {
                assert_ne!(v, 0, "{n}");
            }
        }
    }

    #[test]
    fn stat_layout() {
        let st = Stat {
            dev: 1,
            ino: 0x1122334455667788,
            mode: S_IFREG | 0o644,
            nlink: 2,
            uid: 3,
            gid: 4,
            rdev: 5,
            size: 4097,
            blksize: 4096,
            blocks: 16,
            atime: Timespec { sec: 10, nsec: 11 },
            mtime: Timespec { sec: 20, nsec: 21 },
            ctime: Timespec { sec: 30, nsec: 31 },
        };
        let b = st.to_bytes();
        let u64_at = |o: usize| u64::from_le_bytes(b[o..o + 8].try_into().unwrap());
        let u32_at = |o: usize| u32::from_le_bytes(b[o..o + 4].try_into().unwrap());
        assert_eq!(u64_at(0), 1);
        assert_eq!(u64_at(8), 0x1122334455667788);
        assert_eq!(u32_at(16), 0o100644);
        assert_eq!(u32_at(20), 2);
        assert_eq!(u32_at(24), 3);
        assert_eq!(u32_at(28), 4);
        assert_eq!(u64_at(32), 5);
        assert_eq!(u64_at(40), 0);
        assert_eq!(u64_at(48), 4097);
        assert_eq!(u32_at(56), 4096);
        assert_eq!(u64_at(64), 16);
        assert_eq!((u64_at(72), u64_at(80)), (10, 11));
        assert_eq!((u64_at(88), u64_at(96)), (20, 21));
        assert_eq!((u64_at(104), u64_at(112)), (30, 31));
        assert_eq!(&b[120..], &[0; 8]);
    }

    #[test]
    fn statx_and_statfs_layout() {
        let st = Stat {
            dev: 0x803,
            ino: 77,
            mode: S_IFREG | 0o600,
            nlink: 3,
            uid: 1000,
            gid: 1001,
            rdev: 0x103,
            size: 5000,
            blksize: 4096,
            blocks: 16,
            atime: Timespec { sec: 10, nsec: 11 },
            mtime: Timespec { sec: 20, nsec: 21 },
            ctime: Timespec { sec: 30, nsec: 31 },
        };
        let b = statx_bytes(&st);
        let u64_at = |o: usize| u64::from_le_bytes(b[o..o + 8].try_into().unwrap());
        let u32_at = |o: usize| u32::from_le_bytes(b[o..o + 4].try_into().unwrap());
        assert_eq!(u32_at(0), 0x7ff);
        assert_eq!(u32_at(4), 4096);
        assert_eq!((u32_at(16), u32_at(20), u32_at(24)), (3, 1000, 1001));
        assert_eq!(u16::from_le_bytes([b[28], b[29]]), 0o100600);
        assert_eq!((u64_at(32), u64_at(40), u64_at(48)), (77, 5000, 16));
        assert_eq!((u64_at(64), u32_at(72)), (10, 11), "atime");
        assert_eq!(u64_at(80), 0, "no btime");
        assert_eq!((u64_at(96), u32_at(104)), (30, 31), "ctime");
        assert_eq!((u64_at(112), u32_at(120)), (20, 21), "mtime");
        assert_eq!((u32_at(128), u32_at(132)), (1, 3), "rdev");
        assert_eq!((u32_at(136), u32_at(140)), (8, 3), "dev");
        assert_eq!(dev_major_minor(0x1000_5672_3489), (0x1234, 0x56789));
        let f = statfs_bytes(0xef53, 100, 40);
        let f64_at = |o: usize| u64::from_le_bytes(f[o..o + 8].try_into().unwrap());
        assert_eq!(
            (f64_at(0), f64_at(8), f64_at(16), f64_at(24)),
            (0xef53, 4096, 100, 40)
        );
        assert_eq!((f64_at(64), f64_at(72)), (255, 4096));
    }

    #[test]
    fn dirent_records_are_8_aligned() {
        assert_eq!(dirent64_reclen(0), 24);
        assert_eq!(dirent64_reclen(1), 24); // "." : 19 + 1 + NUL = 21 -> 24
        assert_eq!(dirent64_reclen(4), 24);
        assert_eq!(dirent64_reclen(5), 32);
        let mut v = vec![];
        push_dirent64(&mut v, 7, 99, DT_REG, b"hello");
        push_dirent64(&mut v, 8, 100, DT_DIR, b"..");
        assert_eq!(v.len(), 32 + 24);
        assert_eq!(u64::from_le_bytes(v[0..8].try_into().unwrap()), 7);
        assert_eq!(u64::from_le_bytes(v[8..16].try_into().unwrap()), 99);
        assert_eq!(u16::from_le_bytes([v[16], v[17]]), 32);
        assert_eq!(v[18], DT_REG);
        assert_eq!(&v[19..25], b"hello\0");
        assert_eq!(u16::from_le_bytes([v[48], v[49]]), 24);
        assert_eq!(&v[32 + 19..32 + 22], b"..\0");
    }

    #[test]
    fn filetypes() {
        assert_eq!(
            mode_for_filetype(wasi_filetype::REGULAR_FILE) & S_IFMT,
            S_IFREG
        );
        assert_eq!(
            mode_for_filetype(wasi_filetype::DIRECTORY) & S_IFMT,
            S_IFDIR
        );
        assert_eq!(
            mode_for_filetype(wasi_filetype::CHARACTER_DEVICE) & S_IFMT,
            S_IFCHR
        );
        assert_eq!(mode_for_filetype(wasi_filetype::UNKNOWN) & S_IFMT, S_IFIFO);
        assert_eq!(dtype_for_filetype(wasi_filetype::DIRECTORY), DT_DIR);
        assert_eq!(dtype_for_filetype(wasi_filetype::SYMBOLIC_LINK), DT_LNK);
        assert_eq!(dtype_for_filetype(200), DT_UNKNOWN);
    }

    #[test]
    fn clocks() {
        assert_eq!(clock_kind(0, 100), Some(ClockKind::Realtime));
        assert_eq!(clock_kind(1, 100), Some(ClockKind::Monotonic));
        assert_eq!(clock_kind(7, 100), Some(ClockKind::Monotonic));
        assert_eq!(clock_kind(2, 100), Some(ClockKind::CpuTime));
        assert_eq!(clock_kind(10, 100), None);
        assert_eq!(clock_kind(12, 100), None);
        // glibc's CPUCLOCK for pid 0, SCHED: (~0 << 3) | 2 = -6
        assert_eq!(clock_kind(-6, 100), Some(ClockKind::CpuTime));
        // ... per thread (bit 2): -2
        assert_eq!(clock_kind(-2, 100), Some(ClockKind::CpuTime));
        // type 3 is invalid: -5, and -1 (what clock id -1 means)
        assert_eq!(clock_kind(-5, 100), None);
        assert_eq!(clock_kind(-1, 100), None);
        // pid 100 (ourselves) and pid 7 (someone else)
        assert_eq!(clock_kind((!100 << 3) | 2, 100), Some(ClockKind::CpuTime));
        assert_eq!(clock_kind((!7 << 3) | 2, 100), None);
        assert_eq!(clock_name(1), Some("CLOCK_MONOTONIC"));
        assert_eq!(clock_name(-1), None);
    }

    #[test]
    fn timespec_validation() {
        assert_eq!(Timespec { sec: 1, nsec: 5 }.to_nanos(), Some(1_000_000_005));
        assert_eq!(Timespec { sec: -1, nsec: 0 }.to_nanos(), None);
        assert_eq!(
            Timespec {
                sec: 0,
                nsec: 1_000_000_000
            }
            .to_nanos(),
            None
        );
        assert_eq!(Timespec { sec: 0, nsec: -1 }.to_nanos(), None);
        assert_eq!(
            Timespec {
                sec: i64::MAX,
                nsec: 0
            }
            .to_nanos(),
            Some(u64::MAX)
        );
        let t = Timespec::from_nanos(3_000_000_007);
        assert_eq!(t, Timespec { sec: 3, nsec: 7 });
        assert_eq!(Timespec::from_bytes(&t.to_bytes()), t);
        let tv = timeval_bytes(3_000_007_999);
        assert_eq!(u64::from_le_bytes(tv[0..8].try_into().unwrap()), 3);
        assert_eq!(u64::from_le_bytes(tv[8..16].try_into().unwrap()), 7);
    }

    #[test]
    fn signals() {
        assert_eq!(signal_name(6), Some("SIGABRT"));
        assert_eq!(signal_name(1), Some("SIGHUP"));
        assert_eq!(signal_name(31), Some("SIGSYS"));
        assert_eq!(signal_name(0), None);
        assert_eq!(signal_name(34), None);
        assert_eq!(default_action(SIGABRT), DefaultAction::Terminate);
        assert_eq!(default_action(17), DefaultAction::Ignore);
        assert_eq!(default_action(28), DefaultAction::Ignore);
        assert_eq!(default_action(20), DefaultAction::Stop);
        assert_eq!(default_action(40), DefaultAction::Terminate);
    }

    #[test]
    fn futex_wake_ops() {
        // FUTEX_OP(op, oparg, cmp, cmparg) as glibc encodes it.
        let enc = |op: u32, oparg: u32, cmp: u32, cmparg: u32| {
            (op << 28) | (cmp << 24) | ((oparg & 0xfff) << 12) | (cmparg & 0xfff)
        };
        assert_eq!(futex_wake_op(enc(0, 5, 0, 7), 7), (5, true)); // SET, EQ
        assert_eq!(futex_wake_op(enc(1, 1, 1, 7), 7), (8, false)); // ADD, NE
        assert_eq!(futex_wake_op(enc(2, 0x10, 4, 0), 1), (0x11, true)); // OR, GT
        assert_eq!(futex_wake_op(enc(3, 1, 2, 0), 3), (2, false)); // ANDN, LT
        assert_eq!(futex_wake_op(enc(4, 0xff, 5, 0), 0xf0), (0x0f, true)); // XOR, GE
                                                                           // Negative 12-bit arguments are sign-extended.
        assert_eq!(
            futex_wake_op(enc(1, (-1i32) as u32, 3, (-1i32) as u32), 5),
            (4, false)
        );
        // FUTEX_OP_OPARG_SHIFT: the argument is a shift count.
        assert_eq!(futex_wake_op(enc(8, 4, 0, 0), 0), (16, true));
    }

    #[test]
    fn small_structs() {
        let u = utsname_bytes(["Linux", "host", "6.1.0", "#1", "riscv64", "(none)"]);
        assert_eq!(&u[0..6], b"Linux\0");
        assert_eq!(&u[65 * 4..65 * 4 + 8], b"riscv64\0");
        assert_eq!(u[389], 0);
        let t = default_termios();
        assert_eq!(t[17], 3); // VINTR = ^C
        assert_eq!(t[17 + 4], 4); // VEOF = ^D
        let w = default_winsize();
        assert_eq!(u16::from_le_bytes([w[2], w[3]]), 80);
        let s = sysinfo_bytes(5, 1000, 600, 1);
        assert_eq!(u64::from_le_bytes(s[32..40].try_into().unwrap()), 1000);
        assert_eq!(u16::from_le_bytes([s[80], s[81]]), 1);
        assert_eq!(u32::from_le_bytes(s[104..108].try_into().unwrap()), 1);
        let r = rlimit_bytes(8 << 20, RLIM_INFINITY);
        assert_eq!(&r[8..], &[0xff; 8]);
    }
}
