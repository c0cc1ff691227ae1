//! Memory syscalls: brk, mmap and friends over `Runtime::space` (the
//! address-space bookkeeping in `crate::layout`) and Wasm memory growth.

use super::dispatch::Args;
use super::files::FileKind;
use super::host::{werr, WasmMemory};
use super::Runtime;
use crate::abi::GUEST_PAGE_SIZE;
use crate::errno::*;
use crate::layout::{page_aligned, Backing, Placement, Remap};
use crate::linux::*;

pub fn brk(r: &mut Runtime, a: &Args) -> SysResult {
    Ok(r.space.brk(a[0], &mut WasmMemory))
}

pub fn mmap(r: &mut Runtime, a: &Args) -> SysResult {
    let (addr, len, prot, flags, off) = (a[0], a[1], a[2] as u32, a[3] as u32, a[5]);
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
    let f = super::io::file(r, a[4])?;
    if f.status.get() & O_ACCMODE == O_WRONLY || f.status.get() & O_PATH != 0 {
        return Err(EACCES);
    }
    let wfd = match f.kind {
        FileKind::Wasi {
            is_dir: false,
            ref fd,
            ..
        } => fd.0,
        _ => return Err(ENODEV),
    };
    if shared && prot & PROT_WRITE != 0 {
        // Writes through the mapping would never reach the file; refuse
        // rather than lose data silently.
        return Err(ENODEV);
    }
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
    let how = Remap {
        may_move: flags & MREMAP_MAYMOVE != 0,
        fixed: (flags & MREMAP_FIXED != 0).then_some(a[4]),
        dont_unmap: flags & MREMAP_DONTUNMAP != 0,
    };
    r.space.mremap(old, old_len, new_len, how, &mut WasmMemory)
}

/// msync(addr, len, flags): file mappings are private copies (or read-only
/// shared ones), so there is never anything to write back.
pub fn msync(r: &mut Runtime, a: &Args) -> SysResult {
    const MS_ASYNC: u32 = 1;
    const MS_INVALIDATE: u32 = 2;
    const MS_SYNC: u32 = 4;
    let flags = a[2] as u32;
    if !page_aligned(a[0])
        || flags & !(MS_ASYNC | MS_INVALIDATE | MS_SYNC) != 0
        || flags & (MS_ASYNC | MS_SYNC) == MS_ASYNC | MS_SYNC
    {
        return Err(EINVAL);
    }
    let len = a[1]
        .checked_next_multiple_of(GUEST_PAGE_SIZE)
        .ok_or(ENOMEM)?;
    if !r.space.is_mapped(a[0], len) {
        return Err(ENOMEM);
    }
    Ok(0)
}

/// mlock and friends: Wasm memory is never paged out, so every page is
/// already "locked".
pub fn mlock(_r: &mut Runtime, _a: &Args) -> SysResult {
    Ok(0)
}

pub fn mlockall(_r: &mut Runtime, a: &Args) -> SysResult {
    const MCL_CURRENT: u32 = 1;
    const MCL_FUTURE: u32 = 2;
    const MCL_ONFAULT: u32 = 4;
    let flags = a[0] as u32;
    if flags == 0 || flags & !(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) != 0 {
        return Err(EINVAL);
    }
    Ok(0)
}

/// mincore(addr, len, vec): every backed page is resident.
pub fn mincore(r: &mut Runtime, a: &Args) -> SysResult {
    let (addr, len) = (a[0], a[1]);
    if !page_aligned(addr) {
        return Err(EINVAL);
    }
    let pages = len.div_ceil(GUEST_PAGE_SIZE);
    let end = addr.checked_add(pages * GUEST_PAGE_SIZE).ok_or(ENOMEM)?;
    if addr < r.image.image_start || end > WasmMemory.limit() {
        return Err(ENOMEM);
    }
    r.mem().fill(a[2], pages, 1)?;
    Ok(0)
}
