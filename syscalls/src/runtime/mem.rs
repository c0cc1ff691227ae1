//! Memory syscalls: brk, mmap and friends over `Runtime::space` (the
//! address-space bookkeeping in `crate::layout`) and Wasm memory growth.

use super::dispatch::Args;
use super::host::{werr, WasmMemory};
use super::Runtime;
use crate::abi::GUEST_PAGE_SIZE;
use crate::errno::*;
use crate::layout::{page_aligned, Backing, Placement};
use crate::linux::*;

pub fn brk(r: &mut Runtime, a: &Args) -> SysResult {
    Ok(r.space.brk(a[0], &mut WasmMemory))
}

pub fn mmap(r: &mut Runtime, a: &Args) -> SysResult {
    let (addr, len, prot, flags, fd, off) =
        (a[0], a[1], a[2] as u32, a[3] as u32, a[4] as i32, a[5]);
    if !page_aligned(off) {
        return Err(EINVAL);
    }
    let shared = match flags & MAP_TYPE {
        MAP_PRIVATE => false,
        MAP_SHARED | MAP_SHARED_VALIDATE => true,
        _ => return Err(EINVAL),
    };
    let place = if flags & MAP_FIXED_NOREPLACE != 0 {
        Placement::FixedNoReplace(addr)
    } else if flags & MAP_FIXED != 0 {
        Placement::Fixed(addr)
    } else {
        Placement::Hint(addr)
    };
    if flags & MAP_ANONYMOUS != 0 {
        // One process, no fork: shared anonymous memory behaves as private.
        return r.space.mmap(place, len, &mut WasmMemory);
    }

    // File mappings are copies: read the file into fresh memory.
    let f = r.fds.get(fd)?;
    if f.status & O_ACCMODE == O_WRONLY || f.status & O_PATH != 0 {
        return Err(EACCES);
    }
    if f.is_dir {
        return Err(ENODEV);
    }
    if shared && prot & PROT_WRITE != 0 {
        // Writes through the mapping would never reach the file; refuse
        // rather than lose data silently.
        return Err(ENODEV);
    }
    let wfd = f.wasi_fd;
    let at = r.space.mmap(place, len, &mut WasmMemory)?;
    let m = r.mem();
    let mut done = 0u64;
    while done < len {
        let chunk = (len - done).min(1 << 30);
        let iov = [wasi::Iovec {
            buf: m.ptr(at + done, chunk)?,
            buf_len: chunk as usize,
        }];
        // SAFETY: the iovec covers the mapping just placed.
        match unsafe { wasi::fd_pread(wfd, &iov, off + done) } {
            Ok(0) => break, // end of file: the rest stays zero
            Ok(n) => done += n as u64,
            Err(e) => {
                let _ = r.space.munmap(at, len);
                return Err(werr(e));
            }
        }
    }
    Ok(at)
}

pub fn munmap(r: &mut Runtime, a: &Args) -> SysResult {
    r.space.munmap(a[0], a[1])?;
    Ok(0)
}

/// Wasm memory has no protection bits; accept the request so programs
/// that harden their memory (e.g. glibc's RELRO) proceed.
pub fn mprotect(_r: &mut Runtime, a: &Args) -> SysResult {
    if !page_aligned(a[0]) {
        return Err(EINVAL);
    }
    Ok(0)
}

pub fn madvise(r: &mut Runtime, a: &Args) -> SysResult {
    let (addr, len, advice) = (a[0], a[1], a[2] as u32);
    if !page_aligned(addr) {
        return Err(EINVAL);
    }
    if advice == MADV_DONTNEED {
        // Anonymous memory reads as zero after DONTNEED. Only the stack,
        // brk and mmap regions are anonymous; the image is left alone.
        let lo = addr.max(r.space.layout.stack_lo);
        let len = len
            .checked_next_multiple_of(GUEST_PAGE_SIZE)
            .unwrap_or(u64::MAX);
        let hi = addr.saturating_add(len).min(WasmMemory.limit());
        if lo < hi {
            WasmMemory.zero(lo, hi - lo);
        }
    }
    Ok(0)
}

pub fn mremap(r: &mut Runtime, a: &Args) -> SysResult {
    let (old, old_len, new_len, flags) = (a[0], a[1], a[2], a[3] as u32);
    if flags & !(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP) != 0 {
        return Err(EINVAL);
    }
    if flags & (MREMAP_FIXED | MREMAP_DONTUNMAP) != 0 {
        // Not supported; callers such as realloc fall back to mmap + copy.
        return Err(ENOMEM);
    }
    r.space.mremap(
        old,
        old_len,
        new_len,
        flags & MREMAP_MAYMOVE != 0,
        &mut WasmMemory,
    )
}
