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

fn one_arg(out: &mut String, kind: Arg, args: &[u64; 6], i: usize, arch: u64, mem: &GuestMemory) {
    let v = args[i];
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
    }
}

/// `name(arg, arg, ...)`, reading strings from guest memory.
pub fn format_call(
    name: &str,
    kinds: &[Arg],
    args: &[u64; 6],
    arch: u64,
    mem: &GuestMemory,
) -> String {
    let mut out = String::with_capacity(64);
    out.push_str(name);
    out.push('(');
    for (i, &k) in kinds.iter().enumerate().take(6) {
        if i > 0 {
            out.push_str(", ");
        }
        one_arg(&mut out, k, args, i, arch, mem);
    }
    out.push(')');
    out
}

/// A syscall the table does not know: `syscall_NNN(0x.., ...)`.
pub fn format_unknown_call(nr: u64, args: &[u64; 6]) -> String {
    let mut out = format!("syscall_{nr}(");
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{a:#x}");
    }
    out.push(')');
    out
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
            let line = format_call("openat", &kinds, &args, ARCH_RISCV64, m)
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
                format_call("f", &[Arg::OpenFlags], &args, ARCH_RISCV64, m),
                "f(O_WRONLY|O_CREAT|O_DIRECTORY|O_CLOEXEC)"
            );
            // The same bits mean O_DIRECT on arm64.
            assert_eq!(
                format_call("f", &[Arg::OpenFlags], &args, ARCH_AARCH64, m),
                "f(O_WRONLY|O_CREAT|O_DIRECT|O_CLOEXEC)"
            );
            let args = [(O_RDWR | 0x8000_0000) as u64, 0, 0, 0, 0, 0];
            assert_eq!(
                format_call("f", &[Arg::OpenFlags], &args, ARCH_RISCV64, m),
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
                ARCH_RISCV64,
                m,
            );
            assert_eq!(s, r#"write(1, "hello \"you\"\n\1\377", 14)"#);
            let args = [1, 0x200, 100, 0, 0, 0];
            let s = format_call(
                "write",
                &[Arg::Int, Arg::InBuf(2), Arg::Size],
                &args,
                ARCH_RISCV64,
                m,
            );
            assert!(s.ends_with("\"..., 100)"), "{s}");
            // Bad pointers are shown, not followed.
            let args = [0, 0x5000, 0, 0, 0, 0];
            assert_eq!(
                format_call("f", &[Arg::Path, Arg::Path], &args, ARCH_RISCV64, m),
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
            let line = format_call("mmap", &kinds, &args, ARCH_RISCV64, m)
                + &format_result(0x7000_0000, Ret::Hex);
            assert_eq!(line, "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x70000000");
            let args = [0, 0, 0, 0, 0, 0];
            assert_eq!(
                format_call("p", &[Arg::Prot], &args, ARCH_RISCV64, m),
                "p(PROT_NONE)"
            );
            let args = [6, 1, 0o644, (-5i64) as u64, 0, 0];
            let kinds = [Arg::Signal, Arg::Clock, Arg::Mode, Arg::Off];
            assert_eq!(
                format_call("k", &kinds, &args, ARCH_RISCV64, m),
                "k(SIGABRT, CLOCK_MONOTONIC, 0644, -5)"
            );
            let args = [3, 0, 2, 0, 70, 0];
            let kinds = [Arg::Int, Arg::Mode, Arg::Whence, Arg::Hex, Arg::Signal];
            assert_eq!(
                format_call("l", &kinds, &args, ARCH_RISCV64, m),
                "l(3, 0, SEEK_END, 0, 70)"
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
            format_unknown_call(500, &[1, 2, 3, 4, 5, 6])
                + &format_result(ENOSYS.to_ret(), Ret::Dec),
            "syscall_500(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)"
        );
    }
}
