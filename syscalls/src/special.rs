//! Files that Linux provides and WASI does not: `/dev/null` and friends,
//! `/dev/tty`, `/dev/std{in,out,err}`, `/proc/self/{exe,fd/N}`,
//! `/proc/cpuinfo` and `/proc/meminfo`. This module only recognises the
//! paths and produces the contents; the runtime opens and stats them.
//!
//! Only absolute paths are recognised, after dropping empty and `.`
//! components; a path with `..` is never special (it goes to WASI as is).

use crate::abi::{ARCH_AARCH64, ARCH_RISCV64};

/// A character device under /dev that the layer implements itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Device {
    /// Reads end at once, writes vanish.
    Null,
    /// Reads give zeros, writes vanish.
    Zero,
    /// Reads give zeros, writes fail with ENOSPC.
    Full,
    /// Reads give random bytes (WASI random_get), writes vanish.
    Random,
    Urandom,
}

impl Device {
    pub fn path(self) -> &'static str {
        match self {
            Device::Null => "/dev/null",
            Device::Zero => "/dev/zero",
            Device::Full => "/dev/full",
            Device::Random => "/dev/random",
            Device::Urandom => "/dev/urandom",
        }
    }

    /// (major, minor) as on Linux (the `mem` driver, major 1).
    pub fn numbers(self) -> (u32, u32) {
        match self {
            Device::Null => (1, 3),
            Device::Zero => (1, 5),
            Device::Full => (1, 7),
            Device::Random => (1, 8),
            Device::Urandom => (1, 9),
        }
    }
}

/// A generated read-only file under /proc.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProcFile {
    CpuInfo,
    MemInfo,
}

impl ProcFile {
    pub fn path(self) -> &'static str {
        match self {
            ProcFile::CpuInfo => "/proc/cpuinfo",
            ProcFile::MemInfo => "/proc/meminfo",
        }
    }
}

/// What a special path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Special {
    Device(Device),
    /// `/dev/tty`: the terminal, if one of stdin/stdout/stderr is one.
    Tty,
    /// `/proc/self/fd/N`, `/dev/fd/N`: the open file behind guest fd N.
    Fd(i32),
    /// `/dev/stdin`, `/dev/stdout`, `/dev/stderr`: links to
    /// `/proc/self/fd/0`, `1`, `2`.
    StdLink(i32),
    /// `/proc/self/exe`: a link to the program.
    Exe,
    Proc(ProcFile),
}

/// `makedev(major, minor)` as glibc encodes `dev_t`.
pub fn makedev(major: u32, minor: u32) -> u64 {
    let (ma, mi) = (major as u64, minor as u64);
    (mi & 0xff) | ((ma & 0xfff) << 8) | ((mi & !0xff) << 12) | ((ma & !0xfff) << 32)
}

/// Recognises a special path. `pid` is the guest's pid, so that
/// `/proc/<pid>/...` works like `/proc/self/...`.
pub fn classify(path: &[u8], pid: u32) -> Option<Special> {
    if !path.starts_with(b"/") {
        return None;
    }
    let comps: Vec<&[u8]> = path
        .split(|&b| b == b'/')
        .filter(|c| !c.is_empty() && *c != b".")
        .collect();
    if comps.contains(&&b".."[..]) {
        return None;
    }
    let pid = pid.to_string();
    let is_self = |c: &[u8]| c == b"self" || c == b"thread-self" || c == pid.as_bytes();
    let fd_number = |c: &[u8]| -> Option<Special> {
        // Plain decimal without leading zeros, as the kernel names them.
        if c.is_empty() || (c.len() > 1 && c[0] == b'0') || !c.iter().all(u8::is_ascii_digit) {
            return None;
        }
        core::str::from_utf8(c).ok()?.parse().ok().map(Special::Fd)
    };
    match comps.as_slice() {
        [b"dev", b"null"] => Some(Special::Device(Device::Null)),
        [b"dev", b"zero"] => Some(Special::Device(Device::Zero)),
        [b"dev", b"full"] => Some(Special::Device(Device::Full)),
        [b"dev", b"random"] => Some(Special::Device(Device::Random)),
        [b"dev", b"urandom"] => Some(Special::Device(Device::Urandom)),
        [b"dev", b"tty"] => Some(Special::Tty),
        [b"dev", b"stdin"] => Some(Special::StdLink(0)),
        [b"dev", b"stdout"] => Some(Special::StdLink(1)),
        [b"dev", b"stderr"] => Some(Special::StdLink(2)),
        [b"dev", b"fd", n] => fd_number(n),
        [b"proc", b"cpuinfo"] => Some(Special::Proc(ProcFile::CpuInfo)),
        [b"proc", b"meminfo"] => Some(Special::Proc(ProcFile::MemInfo)),
        [b"proc", p, b"exe"] if is_self(p) => Some(Special::Exe),
        [b"proc", p, b"fd", n] if is_self(p) => fd_number(n),
        _ => None,
    }
}

/// What `readlink` gives for a special path that is a link on Linux, or
/// `None` if it is not a link. `fd_target` is the link text of an open fd
/// (see the runtime), `exe` the program's path.
pub fn link_text(
    s: Special,
    exe: &[u8],
    fd_target: impl Fn(i32) -> Option<Vec<u8>>,
) -> Option<Vec<u8>> {
    match s {
        Special::Exe => Some(exe.to_vec()),
        Special::Fd(n) => fd_target(n),
        Special::StdLink(n) => Some(format!("/proc/self/fd/{n}").into_bytes()),
        _ => None,
    }
}

/// `/proc/cpuinfo` for `cpus` processors of the guest architecture. The
/// ISA string names what the translator implements (as AT_HWCAP does).
///
/// Per-architecture: the format is each kernel's own `show_cpuinfo`.
pub fn cpuinfo(arch: u64, cpus: u32) -> String {
    let mut s = String::new();
    for i in 0..cpus {
        match arch {
            ARCH_RISCV64 => {
                s.push_str(&format!(
                    "processor\t: {i}\nhart\t\t: {i}\nisa\t\t: rv64imafdc_zicsr_zifencei_zba_zbb_zbs\nmmu\t\t: sv39\n\n"
                ));
            }
            ARCH_AARCH64 => {
                s.push_str(&format!(
                    "processor\t: {i}\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd\nCPU implementer\t: 0x00\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0x000\nCPU revision\t: 0\n\n"
                ));
            }
            _ => {}
        }
    }
    s
}

/// `/proc/meminfo` with the same totals `sysinfo` reports (bytes in,
/// kB out, as the kernel prints them).
pub fn meminfo(total: u64, free: u64) -> String {
    let line =
        |name: &str, bytes: u64| format!("{:<16}{:>8} kB\n", format!("{name}:"), bytes / 1024);
    let mut s = String::new();
    for (name, v) in [
        ("MemTotal", total),
        ("MemFree", free),
        ("MemAvailable", free),
        ("Buffers", 0),
        ("Cached", 0),
        ("SwapCached", 0),
        ("SwapTotal", 0),
        ("SwapFree", 0),
    ] {
        s.push_str(&line(name, v));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognised_paths() {
        let c = |p: &str| classify(p.as_bytes(), 100);
        assert_eq!(c("/dev/null"), Some(Special::Device(Device::Null)));
        assert_eq!(c("//dev/./urandom"), Some(Special::Device(Device::Urandom)));
        assert_eq!(c("/dev/tty"), Some(Special::Tty));
        assert_eq!(c("/dev/stderr"), Some(Special::StdLink(2)));
        assert_eq!(c("/dev/fd/7"), Some(Special::Fd(7)));
        assert_eq!(c("/proc/self/fd/12"), Some(Special::Fd(12)));
        assert_eq!(c("/proc/100/fd/3"), Some(Special::Fd(3)));
        assert_eq!(c("/proc/self/exe"), Some(Special::Exe));
        assert_eq!(c("/proc/100/exe"), Some(Special::Exe));
        assert_eq!(c("/proc/cpuinfo"), Some(Special::Proc(ProcFile::CpuInfo)));
        assert_eq!(c("/proc/meminfo"), Some(Special::Proc(ProcFile::MemInfo)));
    }

    #[test]
    fn ordinary_paths() {
        let c = |p: &str| classify(p.as_bytes(), 100);
        assert_eq!(c("dev/null"), None, "relative");
        assert_eq!(c("/dev/../dev/null"), None, "`..` is left to WASI");
        assert_eq!(c("/dev/nulls"), None);
        assert_eq!(c("/dev"), None);
        assert_eq!(c("/proc/101/exe"), None, "another process");
        assert_eq!(c("/proc/self/fd/01"), None);
        assert_eq!(c("/proc/self/fd/x"), None);
        assert_eq!(c("/proc/self/fd/99999999999"), None);
        assert_eq!(c("/home/dev/null"), None);
    }

    #[test]
    fn links() {
        let fd = |n: i32| (n == 1).then(|| b"pipe:[7]".to_vec());
        assert_eq!(
            link_text(Special::Exe, b"/bin/p", fd),
            Some(b"/bin/p".to_vec())
        );
        assert_eq!(
            link_text(Special::Fd(1), b"", fd),
            Some(b"pipe:[7]".to_vec())
        );
        assert_eq!(link_text(Special::Fd(2), b"", fd), None);
        assert_eq!(
            link_text(Special::StdLink(2), b"", fd),
            Some(b"/proc/self/fd/2".to_vec())
        );
        assert_eq!(link_text(Special::Device(Device::Null), b"", fd), None);
    }

    #[test]
    fn device_numbers() {
        assert_eq!(makedev(1, 3), 0x103);
        assert_eq!(makedev(136, 0), 0x8800);
        assert_eq!(makedev(0x1234, 0x56789), 0x1000_5672_3489); // as glibc's makedev
    }

    #[test]
    fn proc_contents() {
        let c = cpuinfo(ARCH_RISCV64, 1);
        assert!(
            c.starts_with("processor\t: 0\nhart\t\t: 0\nisa\t\t: rv64imafdc"),
            "{c}"
        );
        assert_eq!(c.matches("processor").count(), 1);
        assert_eq!(cpuinfo(ARCH_RISCV64, 2).matches("processor").count(), 2);
        let m = meminfo(4 << 30, 1 << 30);
        assert!(
            m.starts_with("MemTotal:        4194304 kB\nMemFree:         1048576 kB\n"),
            "{m}"
        );
        assert!(
            m.lines().all(|l| l.len() == 27 && l.ends_with(" kB")),
            "{m}"
        );
    }
}
