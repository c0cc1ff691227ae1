//! strace-style rendering of syscalls for `ELFCONV_STRACE=1`:
//! `openat(AT_FDCWD, "x", O_RDONLY) = -1 ENOENT (No such file or directory)`.

use crate::errno::Errno;
use crate::guest_mem::GuestMemory;
use crate::linux::*;
use std::fmt::Write;

/// How to show one argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// Signed decimal (the register truncated to a C int).
    Int,
    /// Unsigned decimal (size_t and friends).
    Size,
    /// Signed 64-bit decimal (off_t).
    Off,
    /// Hexadecimal.
    Hex,
    /// A pointer: NULL or hexadecimal.
    Ptr,
    /// A dirfd: AT_FDCWD or a number.
    DirFd,
    /// A NUL-terminated path, shown as a quoted string.
    Path,
    /// Bytes the guest hands in; the value is the index of the length arg.
    InBuf(usize),
    /// open(2) flags (needs the architecture).
    OpenFlags,
    /// File mode, octal.
    Mode,
    /// mmap protection bits.
    Prot,
    /// mmap flags.
    MapFlags,
    /// A signal number.
    Signal,
    /// A clock id.
    Clock,
    /// lseek's whence.
    Whence,
    /// open's mode: shown only when the flags (argument at the index) can
    /// create a file, as strace does.
    CreateMode(usize),
    /// O_CLOEXEC / O_NONBLOCK flags of pipe2, dup3 ("0" when none).
    FdFlags,
    /// AT_* flags ("0" when none).
    AtFlags,
    /// A buffer the call fills: its contents, as many bytes as the call
    /// returned (a pointer if it failed).
    OutBuf,
    /// pipe2's `int[2]`, shown as `[3, 4]` once filled.
    FdPair,
    /// A `struct stat` the call fills, summarised as strace does.
    StatBuf,
}

/// How to show the result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    Dec,
    /// Addresses (brk, mmap).
    Hex,
    /// The call does not return (exit): printed as `= ?` before it runs.
    Never,
}

/// Longest string or buffer shown before `...`, as strace's default -s 32.
const MAX_SHOWN: usize = 32;

fn quote(out: &mut String, bytes: &[u8], truncated: bool) {
    out.push('"');
    for &b in bytes.iter().take(MAX_SHOWN) {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\t' => out.push_str("\\t"),
            b'\r' => out.push_str("\\r"),
            0x20..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "\\{b:o}");
            }
        }
    }
    out.push('"');
    if truncated || bytes.len() > MAX_SHOWN {
        out.push_str("...");
    }
}

/// Appends `A|B|0x..` for the set bits of `v` named in `names`.
fn flags(out: &mut String, v: u64, names: &[(u32, &str)], zero: &str) {
    let mut rest = v;
    let mut first = true;
    for &(bit, name) in names {
        let bit = bit as u64;
        if bit != 0 && rest & bit == bit {
            if !first {
                out.push('|');
            }
            out.push_str(name);
            rest &= !bit;
            first = false;
        }
    }
    if rest != 0 || first {
        if !first {
            out.push('|');
        }
        if rest == 0 {
            out.push_str(zero);
        } else {
            let _ = write!(out, "{rest:#x}");
        }
    }
}

fn open_flags(out: &mut String, v: u32, arch: u64) {
    out.push_str(match v & O_ACCMODE {
        O_RDONLY => "O_RDONLY",
        O_WRONLY => "O_WRONLY",
        O_RDWR => "O_RDWR",
        _ => "O_ACCMODE",
    });
    let rest = v & !O_ACCMODE;
    if rest != 0 {
        out.push('|');
        flags(out, rest as u64, &open_flag_names(arch), "0");
    }
}

/// Whether an argument of this kind is shown at all for these arguments.
fn shown(kind: Arg, args: &[u64; 6]) -> bool {
    match kind {
        Arg::CreateMode(flags_idx) => args[flags_idx] as u32 & (O_CREAT | O_TMPFILE_BIT) != 0,
        _ => true,
    }
}

/// `{st_mode=S_IFREG|0644, st_size=123, ...}`.
fn stat_summary(out: &mut String, b: &[u8]) {
    let mode = u32::from_le_bytes(b[16..20].try_into().unwrap());
    let size = i64::from_le_bytes(b[48..56].try_into().unwrap());
    let rdev = u64::from_le_bytes(b[32..40].try_into().unwrap());
    let kind = match mode & S_IFMT {
        S_IFREG => "S_IFREG",
        S_IFDIR => "S_IFDIR",
        S_IFCHR => "S_IFCHR",
        S_IFBLK => "S_IFBLK",
        S_IFIFO => "S_IFIFO",
        S_IFLNK => "S_IFLNK",
        S_IFSOCK => "S_IFSOCK",
        _ => "0",
    };
    let _ = write!(out, "{{st_mode={kind}|0{:o}, ", mode & 0o7777);
    if matches!(mode & S_IFMT, S_IFCHR | S_IFBLK) {
        let (major, minor) = dev_major_minor(rdev);
        let _ = write!(out, "st_rdev=makedev({major:#x}, {minor:#x}), ...}}");
    } else {
        let _ = write!(out, "st_size={size}, ...}}");
    }
}

fn one_arg(
    out: &mut String,
    kind: Arg,
    args: &[u64; 6],
    i: usize,
    ret: Option<u64>,
    arch: u64,
    mem: &GuestMemory,
) {
    let v = args[i];
    // The result, when the call succeeded.
    let ok = ret.filter(|&r| crate::errno::Errno::from_ret(r).is_none());
    let pointer = |out: &mut String| {
        if v == 0 {
            out.push_str("NULL");
        } else {
            let _ = write!(out, "{v:#x}");
        }
    };
    match kind {
        Arg::Int => {
            let _ = write!(out, "{}", v as i32);
        }
        Arg::Size => {
            let _ = write!(out, "{v}");
        }
        Arg::Off => {
            let _ = write!(out, "{}", v as i64);
        }
        Arg::Hex if v == 0 => out.push('0'),
        Arg::Hex => {
            let _ = write!(out, "{v:#x}");
        }
        Arg::Ptr if v == 0 => out.push_str("NULL"),
        Arg::Ptr => {
            let _ = write!(out, "{v:#x}");
        }
        Arg::DirFd if v as i32 == AT_FDCWD => out.push_str("AT_FDCWD"),
        Arg::DirFd => {
            let _ = write!(out, "{}", v as i32);
        }
        Arg::Path => match mem.read_cstr(v, PATH_MAX) {
            Ok(s) => quote(out, &s, false),
            Err(_) if v == 0 => out.push_str("NULL"),
            Err(_) => {
                let _ = write!(out, "{v:#x}");
            }
        },
        Arg::InBuf(len_idx) => {
            let len = args[len_idx];
            let shown = len.min(MAX_SHOWN as u64);
            match mem.read_vec(v, shown) {
                Ok(b) => quote(out, &b, len > shown),
                Err(_) => {
                    let _ = write!(out, "{v:#x}");
                }
            }
        }
        Arg::OpenFlags => open_flags(out, v as u32, arch),
        Arg::Mode if v as u32 == 0 => out.push('0'),
        Arg::Mode => {
            let _ = write!(out, "0{:o}", v as u32);
        }
        Arg::Prot => flags(out, v as u32 as u64, &PROT_NAMES, "PROT_NONE"),
        Arg::MapFlags => {
            let v = v as u32;
            out.push_str(match v & MAP_TYPE {
                MAP_SHARED => "MAP_SHARED",
                MAP_PRIVATE => "MAP_PRIVATE",
                MAP_SHARED_VALIDATE => "MAP_SHARED_VALIDATE",
                _ => "MAP_TYPE?",
            });
            let rest = v & !MAP_TYPE;
            if rest != 0 {
                out.push('|');
                flags(out, rest as u64, &MMAP_FLAG_NAMES, "0");
            }
        }
        Arg::Signal => match signal_name(v as u32) {
            Some(n) => out.push_str(n),
            None => {
                let _ = write!(out, "{}", v as i32);
            }
        },
        Arg::Whence => match v as u32 {
            SEEK_SET => out.push_str("SEEK_SET"),
            SEEK_CUR => out.push_str("SEEK_CUR"),
            SEEK_END => out.push_str("SEEK_END"),
            w => {
                let _ = write!(out, "{w}");
            }
        },
        Arg::Clock => match clock_name(v as i32) {
            Some(n) => out.push_str(n),
            None => {
                let _ = write!(out, "{}", v as i32);
            }
        },
        Arg::CreateMode(_) => {
            let _ = write!(out, "0{:o}", v as u32);
        }
        Arg::FdFlags => {
            let names = [(O_CLOEXEC, "O_CLOEXEC"), (O_NONBLOCK, "O_NONBLOCK")];
            flags(out, v as u32 as u64, &names, "0");
        }
        Arg::AtFlags => {
            let names = [
                (AT_SYMLINK_NOFOLLOW, "AT_SYMLINK_NOFOLLOW"),
                (AT_REMOVEDIR, "AT_REMOVEDIR"),
                (AT_SYMLINK_FOLLOW, "AT_SYMLINK_FOLLOW"),
                (AT_NO_AUTOMOUNT, "AT_NO_AUTOMOUNT"),
                (AT_EMPTY_PATH, "AT_EMPTY_PATH"),
            ];
            flags(out, v as u32 as u64, &names, "0");
        }
        Arg::OutBuf => match ok.map(|n| (n, mem.read_vec(v, n.min(MAX_SHOWN as u64)))) {
            Some((n, Ok(b))) => quote(out, &b, n > MAX_SHOWN as u64),
            _ => pointer(out),
        },
        Arg::FdPair => match ok.map(|_| mem.read_vec(v, 8)) {
            Some(Ok(b)) => {
                let r = i32::from_le_bytes(b[0..4].try_into().unwrap());
                let w = i32::from_le_bytes(b[4..8].try_into().unwrap());
                let _ = write!(out, "[{r}, {w}]");
            }
            _ => pointer(out),
        },
        Arg::StatBuf => match ok.map(|_| mem.read_vec(v, 128)) {
            Some(Ok(b)) => stat_summary(out, &b),
            _ => pointer(out),
        },
    }
}

/// `name(arg, arg, ...)`, reading strings from guest memory. `ret` is the
/// call's result once it ran (output buffers are shown then, as strace
/// does); `None` for a call that does not return.
pub fn format_call(
    name: &str,
    kinds: &[Arg],
    args: &[u64; 6],
    ret: Option<u64>,
    arch: u64,
    mem: &GuestMemory,
) -> String {
    let mut out = String::with_capacity(64);
    out.push_str(name);
    out.push('(');
    let mut first = true;
    for (i, &k) in kinds.iter().enumerate().take(6) {
        if !shown(k, args) {
            continue;
        }
        if !first {
            out.push_str(", ");
        }
        first = false;
        one_arg(&mut out, k, args, i, ret, arch, mem);
    }
    out.push(')');
    out
}

/// A syscall the layer does not implement: `name(0x.., ...)` when its
/// Linux name is known, else `syscall_0x1f4(0x.., ...)` as strace prints
/// numbers it does not know. All six argument registers are shown.
pub fn format_unknown_call(nr: u64, name: Option<&str>, args: &[u64; 6]) -> String {
    let mut out = match name {
        Some(n) => format!("{n}("),
        None => format!("syscall_{nr:#x}("),
    };
    for (i, &a) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if a == 0 {
            out.push('0');
        } else {
            let _ = write!(out, "{a:#x}");
        }
    }
    out.push(')');
    out
}

/// A signal set as strace shows it: `[]`, `[USR1 TERM]`, `[RT_1]`.
pub fn sigset(mask: u64) -> String {
    let names: Vec<String> = (1..=64u32)
        .filter(|s| mask >> (s - 1) & 1 != 0)
        .map(|s| match signal_name(s) {
            Some(n) => n.trim_start_matches("SIG").to_string(),
            None => format!("RT_{}", s - 32),
        })
        .collect();
    format!("[{}]", names.join(" "))
}

/// ` = result` (with errno name and message for failures).
pub fn format_result(ret: u64, kind: Ret) -> String {
    if kind == Ret::Never {
        return " = ?".to_string();
    }
    if let Some(e) = Errno::from_ret(ret) {
        return match (e.name(), e.message()) {
            (Some(n), Some(m)) => format!(" = -1 {n} ({m})"),
            _ => format!(" = -1 E{} (Unknown error {})", e.0, e.0),
        };
    }
    match kind {
        Ret::Hex => format!(" = {ret:#x}"),
        _ => format!(" = {}", ret as i64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::{ARCH_AARCH64, ARCH_RISCV64};
    use crate::errno::{ENOENT, ENOSYS};

    fn with_mem<R>(f: impl FnOnce(&GuestMemory, &mut Vec<u8>) -> R) -> R {
        let mut buf = vec![0u8; 0x1000];
        buf[0x100..0x102].copy_from_slice(b"x\0");
        buf[0x200..0x20f].copy_from_slice(b"hello \"you\"\n\x01\xff\0");
        let m = unsafe { GuestMemory::new(buf.as_mut_ptr(), 0x100, 0x1000) };
        f(&m, &mut buf)
    }

    #[test]
    fn openat_like_strace() {
        with_mem(|m, _| {
            let args = [(-100i64) as u64, 0x100, 0, 0, 0, 0];
            let kinds = [Arg::DirFd, Arg::Path, Arg::OpenFlags];
            let line = format_call("openat", &kinds, &args, None, ARCH_RISCV64, m)
                + &format_result(ENOENT.to_ret(), Ret::Dec);
            assert_eq!(
                line,
                "openat(AT_FDCWD, \"x\", O_RDONLY) = -1 ENOENT (No such file or directory)"
            );
        });
    }

    #[test]
    fn open_flags_per_arch() {
        with_mem(|m, _| {
            let rv = 0x10000 | O_CREAT | O_CLOEXEC | O_WRONLY;
            let args = [rv as u64, 0, 0, 0, 0, 0];
            assert_eq!(
                format_call("f", &[Arg::OpenFlags], &args, None, ARCH_RISCV64, m),
                "f(O_WRONLY|O_CREAT|O_DIRECTORY|O_CLOEXEC)"
            );
            // The same bits mean O_DIRECT on arm64.
            assert_eq!(
                format_call("f", &[Arg::OpenFlags], &args, None, ARCH_AARCH64, m),
                "f(O_WRONLY|O_CREAT|O_DIRECT|O_CLOEXEC)"
            );
            let args = [(O_RDWR | 0x8000_0000) as u64, 0, 0, 0, 0, 0];
            assert_eq!(
                format_call("f", &[Arg::OpenFlags], &args, None, ARCH_RISCV64, m),
                "f(O_RDWR|0x80000000)"
            );
        });
    }

    #[test]
    fn strings_and_buffers() {
        with_mem(|m, _| {
            let args = [1, 0x200, 14, 0, 0, 0];
            let s = format_call(
                "write",
                &[Arg::Int, Arg::InBuf(2), Arg::Size],
                &args,
                None,
                ARCH_RISCV64,
                m,
            );
            assert_eq!(s, r#"write(1, "hello \"you\"\n\1\377", 14)"#);
            let args = [1, 0x200, 100, 0, 0, 0];
            let s = format_call(
                "write",
                &[Arg::Int, Arg::InBuf(2), Arg::Size],
                &args,
                None,
                ARCH_RISCV64,
                m,
            );
            assert!(s.ends_with("\"..., 100)"), "{s}");
            // Bad pointers are shown, not followed.
            let args = [0, 0x5000, 0, 0, 0, 0];
            assert_eq!(
                format_call("f", &[Arg::Path, Arg::Path], &args, None, ARCH_RISCV64, m),
                "f(NULL, 0x5000)"
            );
        });
    }

    #[test]
    fn mmap_and_misc() {
        with_mem(|m, _| {
            let args = [0, 8192, 3, 0x22, (-1i64) as u64, 0];
            let kinds = [
                Arg::Ptr,
                Arg::Size,
                Arg::Prot,
                Arg::MapFlags,
                Arg::Int,
                Arg::Hex,
            ];
            let line = format_call("mmap", &kinds, &args, None, ARCH_RISCV64, m)
                + &format_result(0x7000_0000, Ret::Hex);
            assert_eq!(line, "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x70000000");
            let args = [0, 0, 0, 0, 0, 0];
            assert_eq!(
                format_call("p", &[Arg::Prot], &args, None, ARCH_RISCV64, m),
                "p(PROT_NONE)"
            );
            let args = [6, 1, 0o644, (-5i64) as u64, 0, 0];
            let kinds = [Arg::Signal, Arg::Clock, Arg::Mode, Arg::Off];
            assert_eq!(
                format_call("k", &kinds, &args, None, ARCH_RISCV64, m),
                "k(SIGABRT, CLOCK_MONOTONIC, 0644, -5)"
            );
            let args = [3, 0, 2, 0, 70, 0];
            let kinds = [Arg::Int, Arg::Mode, Arg::Whence, Arg::Hex, Arg::Signal];
            assert_eq!(
                format_call("l", &kinds, &args, None, ARCH_RISCV64, m),
                "l(3, 0, SEEK_END, 0, 70)"
            );
        });
    }

    #[test]
    fn outputs_and_optional_args() {
        with_mem(|m, buf| {
            // openat shows the mode only when the flags can create.
            let kinds = [Arg::DirFd, Arg::Path, Arg::OpenFlags, Arg::CreateMode(2)];
            let args = [(-100i64) as u64, 0x100, 0, 0o777, 0, 0];
            assert_eq!(
                format_call("openat", &kinds, &args, Some(3), ARCH_RISCV64, m),
                "openat(AT_FDCWD, \"x\", O_RDONLY)"
            );
            let args = [
                (-100i64) as u64,
                0x100,
                (O_WRONLY | O_CREAT) as u64,
                0o644,
                0,
                0,
            ];
            assert_eq!(
                format_call("openat", &kinds, &args, Some(3), ARCH_RISCV64, m),
                "openat(AT_FDCWD, \"x\", O_WRONLY|O_CREAT, 0644)"
            );
            // read shows what it read, or the pointer when it failed.
            let kinds = [Arg::Int, Arg::OutBuf, Arg::Size];
            let args = [3, 0x200, 64, 0, 0, 0];
            assert_eq!(
                format_call("read", &kinds, &args, Some(5), ARCH_RISCV64, m),
                "read(3, \"hello\", 64)"
            );
            assert_eq!(
                format_call(
                    "read",
                    &kinds,
                    &args,
                    Some(ENOENT.to_ret()),
                    ARCH_RISCV64,
                    m
                ),
                "read(3, 0x200, 64)"
            );
            // pipe2's pair and flags.
            buf[0x300..0x308].copy_from_slice(&[3, 0, 0, 0, 4, 0, 0, 0]);
            let kinds = [Arg::FdPair, Arg::FdFlags];
            assert_eq!(
                format_call(
                    "pipe2",
                    &kinds,
                    &[0x300, 0, 0, 0, 0, 0],
                    Some(0),
                    ARCH_RISCV64,
                    m
                ),
                "pipe2([3, 4], 0)"
            );
            assert_eq!(
                format_call(
                    "pipe2",
                    &kinds,
                    &[0x300, O_CLOEXEC as u64, 0, 0, 0, 0],
                    None,
                    ARCH_RISCV64,
                    m
                ),
                "pipe2(0x300, O_CLOEXEC)"
            );
            // A stat summary.
            let st = Stat {
                mode: S_IFREG | 0o640,
                size: 42,
                ..Stat::default()
            };
            buf[0x400..0x480].copy_from_slice(&st.to_bytes());
            let kinds = [Arg::DirFd, Arg::Path, Arg::StatBuf, Arg::AtFlags];
            let args = [1, 0x100, 0x400, AT_EMPTY_PATH as u64, 0, 0];
            assert_eq!(
                format_call("newfstatat", &kinds, &args, Some(0), ARCH_RISCV64, m),
                "newfstatat(1, \"x\", {st_mode=S_IFREG|0640, st_size=42, ...}, AT_EMPTY_PATH)"
            );
        });
    }

    #[test]
    fn results() {
        assert_eq!(format_result(3, Ret::Dec), " = 3");
        assert_eq!(format_result(0, Ret::Never), " = ?");
        assert_eq!(
            format_result(ENOSYS.to_ret(), Ret::Hex),
            " = -1 ENOSYS (Function not implemented)"
        );
        assert_eq!(
            format_result((-41i64) as u64, Ret::Dec),
            " = -1 E41 (Unknown error 41)"
        );
        assert_eq!(format_result(0x1234, Ret::Hex), " = 0x1234");
        assert_eq!(
            format_unknown_call(500, None, &[1, 2, 3, 4, 5, 6])
                + &format_result(ENOSYS.to_ret(), Ret::Dec),
            "syscall_0x1f4(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)"
        );
        assert_eq!(
            format_unknown_call(220, Some("clone"), &[0x11, 0, 0, 0, 0, 0]),
            "clone(0x11, 0, 0, 0, 0, 0)"
        );
        assert_eq!(sigset(0), "[]");
        assert_eq!(sigset((1 << 9) | (1 << 14) | (1 << 33)), "[USR1 TERM RT_2]");
    }
}
