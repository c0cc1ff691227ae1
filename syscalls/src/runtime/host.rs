//! Thin helpers over WASI preview1 and Wasm memory, used by every family.

use super::elfconv_guest_limit;
use crate::abi::{ACCESS_SLACK, GUEST_ADDR_LIMIT, GUEST_BASE, WASM_PAGE_SIZE};
use crate::errno::{self, Errno};
use crate::layout::Backing;

/// Linux errno for a WASI error.
pub fn werr(e: wasi::Errno) -> Errno {
    errno::from_wasi(e.raw())
}

/// Writes all of `bytes` to a WASI fd (diagnostics; no buffering).
pub fn write_all(fd: u32, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        let iov = [wasi::Ciovec {
            buf: bytes.as_ptr(),
            buf_len: bytes.len(),
        }];
        // SAFETY: the iovec points at a live Rust slice.
        match unsafe { wasi::fd_write(fd, &iov) } {
            Ok(0) | Err(_) => return,
            Ok(n) => bytes = &bytes[n..],
        }
    }
}

/// One line to the real stderr (WASI fd 2), whatever the guest did with
/// its own fd 2.
pub fn eprintln(line: &str) {
    let mut s = String::with_capacity(line.len() + 1);
    s.push_str(line);
    s.push('\n');
    write_all(2, s.as_bytes());
}

/// Ends the program with `code` (the exit status a shell would see).
pub fn exit(code: u32) -> ! {
    // SAFETY: proc_exit does not return.
    unsafe { wasi::proc_exit(code) };
    core::arch::wasm32::unreachable()
}

pub fn clock_ns(id: wasi::Clockid) -> Result<u64, Errno> {
    // SAFETY: plain WASI call.
    unsafe { wasi::clock_time_get(id, 1) }.map_err(werr)
}

pub fn monotonic_ns() -> u64 {
    clock_ns(wasi::CLOCKID_MONOTONIC).unwrap_or(0)
}

pub fn realtime_ns() -> u64 {
    clock_ns(wasi::CLOCKID_REALTIME).unwrap_or(0)
}

/// Sleeps for `ns` nanoseconds on the monotonic clock.
pub fn sleep_ns(ns: u64) -> Result<(), Errno> {
    if ns == 0 {
        return Ok(());
    }
    let sub = wasi::Subscription {
        userdata: 0,
        u: wasi::SubscriptionU {
            tag: wasi::EVENTTYPE_CLOCK.raw(),
            u: wasi::SubscriptionUU {
                clock: wasi::SubscriptionClock {
                    id: wasi::CLOCKID_MONOTONIC,
                    timeout: ns,
                    precision: 0,
                    flags: 0,
                },
            },
        },
    };
    let mut ev = core::mem::MaybeUninit::<wasi::Event>::uninit();
    // SAFETY: one subscription in, room for one event out.
    unsafe { wasi::poll_oneoff(&sub, ev.as_mut_ptr(), 1) }.map_err(werr)?;
    Ok(())
}

pub fn random_fill(buf: *mut u8, len: usize) -> Result<(), Errno> {
    // SAFETY: the caller passes a checked, writable range.
    unsafe { wasi::random_get(buf, len) }.map_err(werr)
}

/// Guest memory as the address-space logic sees it: Wasm memory grown on
/// demand, with `elfconv_guest_limit` kept in step.
pub struct WasmMemory;

fn memory_bytes() -> u64 {
    core::arch::wasm32::memory_size(0) as u64 * WASM_PAGE_SIZE
}

/// Recomputes `elfconv_guest_limit` from the current memory size.
pub fn refresh_guest_limit() {
    let limit = memory_bytes().saturating_sub(GUEST_BASE as u64);
    // SAFETY: single-threaded static.
    unsafe { *(&raw mut elfconv_guest_limit) = limit };
}

impl Backing for WasmMemory {
    fn limit(&self) -> u64 {
        super::guest_limit()
    }

    fn ensure(&mut self, end: u64) -> bool {
        // Backed memory always reaches `ACCESS_SLACK` past the mapping.
        let end = end.saturating_add(ACCESS_SLACK);
        if end <= self.limit() {
            return true;
        }
        if end > GUEST_ADDR_LIMIT {
            return false;
        }
        let want = (GUEST_BASE as u64 + end).div_ceil(WASM_PAGE_SIZE);
        let have = memory_bytes() / WASM_PAGE_SIZE;
        if want > have && core::arch::wasm32::memory_grow(0, (want - have) as usize) == usize::MAX {
            return false;
        }
        refresh_guest_limit();
        true
    }

    fn zero(&mut self, addr: u64, len: u64) {
        debug_assert!(addr + len <= self.limit());
        // SAFETY: backed guest memory.
        unsafe {
            core::ptr::write_bytes(
                (GUEST_BASE as u64 + addr) as usize as *mut u8,
                0,
                len as usize,
            )
        };
    }

    fn copy(&mut self, from: u64, to: u64, len: u64) {
        let base = GUEST_BASE as u64;
        // SAFETY: backed guest memory; `copy` allows overlap.
        unsafe {
            core::ptr::copy(
                (base + from) as usize as *const u8,
                (base + to) as usize as *mut u8,
                len as usize,
            )
        };
    }
}

/// WASI argv or environ as byte strings.
fn string_list(
    sizes: unsafe fn() -> Result<(usize, usize), wasi::Errno>,
    get: unsafe fn(*mut *mut u8, *mut u8) -> Result<(), wasi::Errno>,
) -> Vec<Vec<u8>> {
    // SAFETY: buffers sized as the runtime asked.
    unsafe {
        let Ok((count, buf_len)) = sizes() else {
            return Vec::new();
        };
        let mut ptrs = vec![core::ptr::null_mut::<u8>(); count];
        let mut buf = vec![0u8; buf_len];
        if get(ptrs.as_mut_ptr(), buf.as_mut_ptr()).is_err() {
            return Vec::new();
        }
        ptrs.iter()
            .map(|&p| {
                core::ffi::CStr::from_ptr(p as *const core::ffi::c_char)
                    .to_bytes()
                    .to_vec()
            })
            .collect()
    }
}

pub fn args() -> Vec<Vec<u8>> {
    string_list(wasi::args_sizes_get, wasi::args_get)
}

pub fn environ() -> Vec<Vec<u8>> {
    string_list(wasi::environ_sizes_get, wasi::environ_get)
}

/// The preopened directories: (WASI fd, name), found by probing fds from 3
/// up until the runtime says EBADF, as wasi-libc does.
pub fn preopens() -> Vec<(u32, String)> {
    let mut out = Vec::new();
    for fd in 3u32.. {
        // SAFETY: plain WASI calls with buffers of the reported size.
        let stat = match unsafe { wasi::fd_prestat_get(fd) } {
            Ok(s) => s,
            Err(_) => break,
        };
        if stat.tag != wasi::PREOPENTYPE_DIR.raw() {
            continue;
        }
        // SAFETY: the tag says this is the dir variant.
        let len = unsafe { stat.u.dir.pr_name_len };
        let mut name = vec![0u8; len];
        if unsafe { wasi::fd_prestat_dir_name(fd, name.as_mut_ptr(), len) }.is_err() {
            continue;
        }
        // Some runtimes count a trailing NUL in the length.
        while name.last() == Some(&0) {
            name.pop();
        }
        out.push((fd, String::from_utf8_lossy(&name).into_owned()));
    }
    out
}

/// The base rights of a WASI fd (0 if it is not open).
pub fn rights(wasi_fd: u32) -> u64 {
    // SAFETY: plain WASI call.
    unsafe { wasi::fd_fdstat_get(wasi_fd) }.map_or(0, |st| st.fs_rights_base)
}

/// Whether a WASI fd is a terminal: a character device that cannot seek,
/// the same test wasi-libc's isatty uses.
pub fn is_tty(wasi_fd: u32) -> bool {
    // SAFETY: plain WASI call.
    match unsafe { wasi::fd_fdstat_get(wasi_fd) } {
        Ok(st) => {
            st.fs_filetype == wasi::FILETYPE_CHARACTER_DEVICE
                && st.fs_rights_base & (wasi::RIGHTS_FD_SEEK | wasi::RIGHTS_FD_TELL) == 0
        }
        Err(_) => false,
    }
}
