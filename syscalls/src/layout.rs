//! The guest address space: where the image, the main stack, the brk heap
//! and mmap placements live, and the bookkeeping for brk/mmap/munmap.
//!
//! ```text
//! image_start          image_end  +64K  stack_lo     stack_top +64K brk_start
//! | image (ELF segments) |  gap  | main stack (8 MiB) |  gap  | brk heap ...
//!   ... up to brk_limit = brk_start + GUEST_BRK_RESERVE | mmap area, first-fit,
//!   up to GUEST_ADDR_LIMIT
//! ```
//!
//! Wasm memory only grows, so "backing" is a high-water mark: everything
//! below [`Backing::limit`] is accessible. Placements are first-fit from
//! the bottom so that the high-water mark (the module's memory size) stays
//! as low as the program allows, and munmap returns ranges to the free list
//! so they are reused. Memory handed out again is zeroed, as Linux gives
//! fresh anonymous pages.
//!
//! The logic talks to memory only through [`Backing`], so it is unit-tested
//! on the host with a fake.

use crate::abi::{
    GUEST_ADDR_LIMIT, GUEST_BRK_RESERVE, GUEST_PAGE_SIZE, GUEST_STACK_SIZE, WASM_PAGE_SIZE,
};
use crate::errno::{Errno, EEXIST, EFAULT, EINVAL, ENOMEM};

/// Gap left between the image, the stack and the brk heap, so that running
/// off one of them does not silently land in the next.
pub const REGION_GAP: u64 = 64 * 1024;

/// What the address-space logic needs from the memory underneath.
pub trait Backing {
    /// One past the highest guest address currently backed.
    fn limit(&self) -> u64;
    /// Backs every guest address below `end` (growing memory if needed).
    /// Returns false if that is impossible.
    fn ensure(&mut self, end: u64) -> bool;
    /// Sets the backed bytes of `[addr, addr + len)` to zero.
    fn zero(&mut self, addr: u64, len: u64);
    /// Copies `len` backed bytes from `from` to `to` (ranges may overlap).
    fn copy(&mut self, from: u64, to: u64, len: u64);
}

pub fn align_up(v: u64, a: u64) -> u64 {
    v.div_ceil(a) * a
}

pub fn align_down(v: u64, a: u64) -> u64 {
    v / a * a
}

fn page_up(v: u64) -> u64 {
    align_up(v, GUEST_PAGE_SIZE)
}

/// Whether `v` is a multiple of the guest page size.
pub fn page_aligned(v: u64) -> bool {
    v & (GUEST_PAGE_SIZE - 1) == 0
}

/// The fixed regions, computed once from the image bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub image_start: u64,
    pub image_end: u64,
    /// Lowest address of the main stack.
    pub stack_lo: u64,
    /// One past the highest address of the main stack (initial sp is below).
    pub stack_top: u64,
    pub brk_start: u64,
    /// brk may not go past this.
    pub brk_limit: u64,
    /// mmap placements come from `[mmap_base, mmap_limit)`.
    pub mmap_base: u64,
    pub mmap_limit: u64,
}

impl Layout {
    pub fn new(image_start: u64, image_end: u64) -> Layout {
        let stack_lo = align_up(image_end, WASM_PAGE_SIZE) + REGION_GAP;
        let stack_top = stack_lo + GUEST_STACK_SIZE;
        let brk_start = stack_top + REGION_GAP;
        let brk_limit = brk_start + GUEST_BRK_RESERVE;
        Layout {
            image_start,
            image_end,
            stack_lo,
            stack_top,
            brk_start,
            brk_limit,
            mmap_base: brk_limit,
            // Room for the `ACCESS_SLACK` above the highest mapping.
            mmap_limit: GUEST_ADDR_LIMIT - WASM_PAGE_SIZE,
        }
    }
}

/// How mmap treats the requested address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// The address is a hint (or 0): use it if free, else first-fit.
    Hint(u64),
    /// MAP_FIXED: exactly here, replacing whatever was mapped.
    Fixed(u64),
    /// MAP_FIXED_NOREPLACE: exactly here, EEXIST if anything is mapped.
    FixedNoReplace(u64),
}

/// How an mremap may move a mapping (its MREMAP_* flags).
#[derive(Clone, Copy, Debug, Default)]
pub struct Remap {
    /// MREMAP_MAYMOVE.
    pub may_move: bool,
    /// MREMAP_FIXED: the address to move to.
    pub fixed: Option<u64>,
    /// MREMAP_DONTUNMAP.
    pub dont_unmap: bool,
}

#[derive(Clone, Debug)]
pub struct AddressSpace {
    pub layout: Layout,
    brk: u64,
    /// Free ranges of the mmap area, sorted, disjoint and never adjacent.
    free: Vec<(u64, u64)>,
}

impl AddressSpace {
    pub fn new(layout: Layout) -> AddressSpace {
        AddressSpace {
            layout,
            brk: layout.brk_start,
            free: vec![(layout.mmap_base, layout.mmap_limit)],
        }
    }

    /// Backs the image and the whole main stack (call once at start-up).
    pub fn back_initial(&self, mem: &mut impl Backing) -> Result<(), Errno> {
        if mem.ensure(self.layout.brk_start) {
            Ok(())
        } else {
            Err(ENOMEM)
        }
    }

    pub fn current_brk(&self) -> u64 {
        self.brk
    }

    /// The brk syscall: moves the break to `req` if it lies within the brk
    /// region and memory can be backed; always returns the (new) break, as
    /// the kernel does (failure = the old value).
    pub fn brk(&mut self, req: u64, mem: &mut impl Backing) -> u64 {
        let l = &self.layout;
        if req < l.brk_start || req > l.brk_limit {
            return self.brk;
        }
        if req > self.brk {
            // Pages between the old and new break must read as zero even if
            // the break was higher before (Linux unmapped them on shrink).
            let from = page_up(self.brk);
            let to = page_up(req);
            let dirty_end = mem.limit().min(to);
            if !mem.ensure(to) {
                return self.brk;
            }
            if dirty_end > from {
                mem.zero(from, dirty_end - from);
            }
        }
        self.brk = req;
        self.brk
    }

    /// Places a mapping of `len` bytes and backs it with zeroed memory.
    pub fn mmap(
        &mut self,
        place: Placement,
        len: u64,
        mem: &mut impl Backing,
    ) -> Result<u64, Errno> {
        if len == 0 {
            return Err(EINVAL);
        }
        let len = page_up(len.checked_add(GUEST_PAGE_SIZE).ok_or(ENOMEM)? - GUEST_PAGE_SIZE);
        if len > self.layout.mmap_limit {
            return Err(ENOMEM);
        }
        let addr = match place {
            Placement::Hint(hint) => {
                let hint = align_down(hint, GUEST_PAGE_SIZE);
                if hint != 0 && self.range_is_free(hint, len) {
                    self.take(hint, len);
                    hint
                } else {
                    self.take_first_fit(len).ok_or(ENOMEM)?
                }
            }
            Placement::Fixed(addr) | Placement::FixedNoReplace(addr) => {
                if !page_aligned(addr) {
                    return Err(EINVAL);
                }
                let end = addr.checked_add(len).ok_or(ENOMEM)?;
                if addr < self.layout.image_start || end > self.layout.mmap_limit {
                    return Err(ENOMEM);
                }
                if matches!(place, Placement::FixedNoReplace(_)) && self.overlaps_mapped(addr, end)
                {
                    return Err(EEXIST);
                }
                self.take(addr, len);
                addr
            }
        };
        let end = addr + len;
        let dirty_end = mem.limit().min(end);
        if !mem.ensure(end) {
            // Only the part inside the mmap area was taken from the free
            // list; give it back.
            self.release(addr, end);
            return Err(ENOMEM);
        }
        if dirty_end > addr {
            mem.zero(addr, dirty_end - addr);
        }
        Ok(addr)
    }

    /// munmap: returns the mmap-area part of the range to the free list.
    /// Ranges outside the mmap area (image, stack, brk) stay accessible:
    /// Wasm memory cannot be unmapped, and nothing is placed there again.
    pub fn munmap(&mut self, addr: u64, len: u64) -> Result<(), Errno> {
        if !page_aligned(addr) || len == 0 {
            return Err(EINVAL);
        }
        let end = addr
            .checked_add(len)
            .filter(|&e| e <= u64::MAX - GUEST_PAGE_SIZE)
            .map(page_up)
            .ok_or(EINVAL)?;
        self.release(addr, end);
        Ok(())
    }

    /// mremap for mappings in the mmap area: shrink in place, grow in place
    /// when the following pages are free, else move (with MREMAP_MAYMOVE),
    /// or move to `how.fixed` (MREMAP_FIXED). With `how.dont_unmap`
    /// (MREMAP_DONTUNMAP) the old range stays mapped, reading as zero, as
    /// private anonymous pages do once moved away on Linux.
    pub fn mremap(
        &mut self,
        old: u64,
        old_len: u64,
        new_len: u64,
        how: Remap,
        mem: &mut impl Backing,
    ) -> Result<u64, Errno> {
        // The argument checks Linux makes before looking at the mappings.
        let fixed_needs_move = (how.fixed.is_some() || how.dont_unmap) && !how.may_move;
        // old_len 0 (duplicating a shared mapping) has no meaning here.
        if !page_aligned(old) || old_len == 0 || new_len == 0 || fixed_needs_move {
            return Err(EINVAL);
        }
        if how.dont_unmap && old_len != new_len {
            return Err(EINVAL);
        }
        let old_len = page_up(old_len);
        let new_len = page_up(new_len.min(GUEST_ADDR_LIMIT));
        let old_end = old.checked_add(old_len).ok_or(EFAULT)?;
        if let Some(to) = how.fixed {
            let to_end = to.checked_add(new_len).ok_or(EINVAL)?;
            if !page_aligned(to) || (to < old_end && old < to_end) {
                return Err(EINVAL);
            }
        }
        if old < self.layout.mmap_base
            || old_end > self.layout.mmap_limit
            || !self.range_is_mapped(old, old_end)
        {
            return Err(EFAULT);
        }
        if how.fixed.is_none() && !how.dont_unmap {
            if new_len <= old_len {
                self.release(old + new_len, old_end);
                return Ok(old);
            }
            let grow = new_len - old_len;
            if old_end
                .checked_add(grow)
                .is_some_and(|e| e <= self.layout.mmap_limit)
                && self.range_is_free(old_end, grow)
            {
                self.mmap(Placement::Fixed(old_end), grow, mem)?;
                return Ok(old);
            }
            if !how.may_move {
                return Err(ENOMEM);
            }
        }
        // Move: a fresh zeroed placement, then the contents.
        let place = match how.fixed {
            Some(to) => Placement::Fixed(to),
            None => Placement::Hint(0),
        };
        let new = self.mmap(place, new_len, mem)?;
        mem.copy(old, new, old_len.min(new_len));
        if how.dont_unmap {
            mem.zero(old, old_len);
        } else {
            self.release(old, old_end);
        }
        Ok(new)
    }

    /// Whether every page of `[addr, addr + len)` is mapped: the image, the
    /// main stack, the brk heap up to the break, or an mmap placement.
    pub fn is_mapped(&self, addr: u64, len: u64) -> bool {
        let Some(end) = addr.checked_add(len) else {
            return false;
        };
        let l = &self.layout;
        let regions = [
            (l.image_start, page_up(l.image_end)),
            (l.stack_lo, l.stack_top),
            (l.brk_start, page_up(self.brk)),
            (l.mmap_base, l.mmap_limit),
        ];
        // Walk up from `addr` through the regions it lies in.
        let mut at = addr;
        while at < end {
            let Some(&(_, e)) = regions.iter().find(|&&(s, e)| s <= at && at < e) else {
                return false;
            };
            let stop = e.min(end);
            if e == l.mmap_limit && !self.range_is_mapped(at, stop) {
                return false;
            }
            at = stop;
        }
        true
    }

    /// True when `[addr, addr + len)` is entirely free mmap area.
    pub fn range_is_free(&self, addr: u64, len: u64) -> bool {
        let Some(end) = addr.checked_add(len) else {
            return false;
        };
        self.free.iter().any(|&(s, e)| s <= addr && end <= e)
    }

    /// True when no part of `[addr, end)` in the mmap area is free.
    fn range_is_mapped(&self, addr: u64, end: u64) -> bool {
        !self.free.iter().any(|&(s, e)| s < end && addr < e)
    }

    /// Whether anything is mapped in `[addr, end)`: mmap placements, the
    /// image, the stack, or the brk heap up to the current break.
    fn overlaps_mapped(&self, addr: u64, end: u64) -> bool {
        let l = &self.layout;
        let fixed = [
            (l.image_start, l.image_end),
            (l.stack_lo, l.stack_top),
            (l.brk_start, self.brk),
        ];
        if fixed.iter().any(|&(s, e)| s < end && addr < e) {
            return true;
        }
        // Inside the mmap area: mapped = not on the free list.
        let lo = addr.max(l.mmap_base);
        let hi = end.min(l.mmap_limit);
        lo < hi && !self.range_is_free(lo, hi - lo)
    }

    fn take_first_fit(&mut self, len: u64) -> Option<u64> {
        let &(s, _) = self.free.iter().find(|&&(s, e)| e - s >= len)?;
        self.take(s, len);
        Some(s)
    }

    /// Removes `[addr, addr + len)` from the free list (parts outside the
    /// mmap area, or already taken, are ignored).
    fn take(&mut self, addr: u64, len: u64) {
        let end = addr + len;
        let mut out = Vec::with_capacity(self.free.len() + 1);
        for &(s, e) in &self.free {
            if e <= addr || end <= s {
                out.push((s, e));
                continue;
            }
            if s < addr {
                out.push((s, addr));
            }
            if end < e {
                out.push((end, e));
            }
        }
        self.free = out;
    }

    /// Adds the mmap-area part of `[addr, end)` back to the free list.
    fn release(&mut self, addr: u64, end: u64) {
        let lo = addr.max(self.layout.mmap_base);
        let hi = end.min(self.layout.mmap_limit);
        if lo >= hi {
            return;
        }
        self.free.push((lo, hi));
        self.free.sort_unstable();
        let mut merged: Vec<(u64, u64)> = Vec::with_capacity(self.free.len());
        for &(s, e) in &self.free {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        self.free = merged;
    }

    /// The free ranges of the mmap area (for tests and diagnostics).
    pub fn free_ranges(&self) -> &[(u64, u64)] {
        &self.free
    }

    /// Bytes currently placed by mmap.
    pub fn mmapped_bytes(&self) -> u64 {
        let free: u64 = self.free.iter().map(|&(s, e)| e - s).sum();
        (self.layout.mmap_limit - self.layout.mmap_base) - free
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Sparse fake memory: unwritten bytes read as zero.
    struct FakeMem {
        limit: u64,
        max: u64,
        bytes: BTreeMap<u64, u8>,
        zeroed: u64,
    }

    impl FakeMem {
        fn new(limit: u64) -> Self {
            FakeMem {
                limit,
                max: GUEST_ADDR_LIMIT,
                bytes: BTreeMap::new(),
                zeroed: 0,
            }
        }
        fn poke(&mut self, a: u64, v: u8) {
            assert!(a < self.limit, "write to unbacked {a:#x}");
            self.bytes.insert(a, v);
        }
        fn peek(&self, a: u64) -> u8 {
            assert!(a < self.limit, "read of unbacked {a:#x}");
            *self.bytes.get(&a).unwrap_or(&0)
        }
    }

    impl Backing for FakeMem {
        fn limit(&self) -> u64 {
            self.limit
        }
        fn ensure(&mut self, end: u64) -> bool {
            if end > self.max {
                return false;
            }
            self.limit = self.limit.max(align_up(end, WASM_PAGE_SIZE));
            true
        }
        fn zero(&mut self, addr: u64, len: u64) {
            assert!(addr + len <= self.limit);
            self.zeroed += len;
            self.bytes.retain(|&a, _| a < addr || a >= addr + len);
        }
        fn copy(&mut self, from: u64, to: u64, len: u64) {
            let src: Vec<(u64, u8)> = self
                .bytes
                .range(from..from + len)
                .map(|(&a, &v)| (a - from + to, v))
                .collect();
            self.zero(to, len);
            self.bytes.extend(src);
        }
    }

    const IMG_START: u64 = 0x10000;
    const IMG_END: u64 = 0x10000 + 0x9c000; // a ~600 KiB static binary

    fn setup() -> (AddressSpace, FakeMem) {
        let layout = Layout::new(IMG_START, IMG_END);
        let mut mem = FakeMem::new(align_up(IMG_END, WASM_PAGE_SIZE));
        let asp = AddressSpace::new(layout);
        asp.back_initial(&mut mem).unwrap();
        (asp, mem)
    }

    #[test]
    fn layout_regions_are_ordered_and_aligned() {
        let l = Layout::new(IMG_START, IMG_END);
        assert_eq!(l.stack_lo % WASM_PAGE_SIZE, 0);
        assert!(l.stack_lo >= IMG_END + REGION_GAP);
        assert_eq!(l.stack_top - l.stack_lo, GUEST_STACK_SIZE);
        assert_eq!(l.brk_start, l.stack_top + REGION_GAP);
        assert_eq!(l.brk_limit - l.brk_start, GUEST_BRK_RESERVE);
        assert!(l.mmap_base >= l.brk_limit);
        assert!(l.mmap_limit + crate::abi::ACCESS_SLACK <= GUEST_ADDR_LIMIT);
        // A hello world's Wasm memory: layer + image + stack + gaps < 50 MiB.
        let total = crate::abi::GUEST_BASE as u64 + l.brk_start;
        assert!(total < 50 << 20, "{total}");
    }

    #[test]
    fn brk_grows_shrinks_and_zeroes_regrown_pages() {
        let (mut asp, mut mem) = setup();
        let start = asp.layout.brk_start;
        assert_eq!(asp.brk(0, &mut mem), start); // query
        assert_eq!(asp.brk(start + 0x21000, &mut mem), start + 0x21000);
        assert!(mem.limit() >= start + 0x21000);
        mem.poke(start + 0x20000, 7);
        mem.poke(start + 0x100, 9);
        // Shrink, then grow back: the page above the new break is fresh.
        assert_eq!(asp.brk(start + 0x1000, &mut mem), start + 0x1000);
        assert_eq!(asp.brk(start + 0x21000, &mut mem), start + 0x21000);
        assert_eq!(mem.peek(start + 0x20000), 0);
        assert_eq!(mem.peek(start + 0x100), 9, "below the break is kept");
        // Out of range requests leave the break alone.
        assert_eq!(asp.brk(start - 1, &mut mem), start + 0x21000);
        assert_eq!(asp.brk(asp.layout.brk_limit + 1, &mut mem), start + 0x21000);
        assert_eq!(
            asp.brk(asp.layout.brk_limit, &mut mem),
            asp.layout.brk_limit
        );
    }

    #[test]
    fn brk_fails_cleanly_when_memory_cannot_grow() {
        let (mut asp, mut mem) = setup();
        mem.max = mem.limit;
        let start = asp.layout.brk_start;
        assert_eq!(asp.brk(start + 0x100000, &mut mem), start);
        assert_eq!(asp.current_brk(), start);
    }

    #[test]
    fn mmap_first_fit_and_reuse() {
        let (mut asp, mut mem) = setup();
        let base = asp.layout.mmap_base;
        let a = asp.mmap(Placement::Hint(0), 100, &mut mem).unwrap();
        assert_eq!(a, base);
        let b = asp.mmap(Placement::Hint(0), 0x3000, &mut mem).unwrap();
        assert_eq!(b, base + 0x1000, "len rounded to a page");
        let c = asp.mmap(Placement::Hint(0), 0x1000, &mut mem).unwrap();
        assert_eq!(c, base + 0x4000);
        assert!(mem.limit() >= c + 0x1000);
        // Dirty b, free it; the next fitting request reuses it, zeroed.
        mem.poke(b + 0x10, 0xaa);
        asp.munmap(b, 0x3000).unwrap();
        let d = asp.mmap(Placement::Hint(0), 0x2000, &mut mem).unwrap();
        assert_eq!(d, b);
        assert_eq!(mem.peek(b + 0x10), 0);
        // The one-page hole left after d is used by a one-page request.
        let e = asp.mmap(Placement::Hint(0), 1, &mut mem).unwrap();
        assert_eq!(e, b + 0x2000);
        assert_eq!(asp.mmapped_bytes(), 0x5000);
    }

    #[test]
    fn munmap_merges_free_ranges() {
        let (mut asp, mut mem) = setup();
        let base = asp.layout.mmap_base;
        let a = asp.mmap(Placement::Hint(0), 0x1000, &mut mem).unwrap();
        let b = asp.mmap(Placement::Hint(0), 0x1000, &mut mem).unwrap();
        let c = asp.mmap(Placement::Hint(0), 0x1000, &mut mem).unwrap();
        asp.munmap(a, 0x1000).unwrap();
        asp.munmap(c, 0x1000).unwrap();
        assert_eq!(
            asp.free_ranges(),
            &[
                (base, base + 0x1000),
                (base + 0x2000, asp.layout.mmap_limit)
            ]
        );
        asp.munmap(b, 0x1000).unwrap();
        assert_eq!(asp.free_ranges(), &[(base, asp.layout.mmap_limit)]);
        // Unmapping already-free or partly-free ranges is harmless.
        asp.munmap(b, 0x10000).unwrap();
        assert_eq!(asp.free_ranges(), &[(base, asp.layout.mmap_limit)]);
        assert_eq!(asp.mmapped_bytes(), 0);
    }

    #[test]
    fn munmap_argument_checks() {
        let (mut asp, _) = setup();
        let base = asp.layout.mmap_base;
        assert_eq!(asp.munmap(base + 1, 0x1000), Err(EINVAL));
        assert_eq!(asp.munmap(base, 0), Err(EINVAL));
        assert_eq!(asp.munmap(base, u64::MAX), Err(EINVAL));
        // Outside the mmap area it is a successful no-op.
        assert_eq!(asp.munmap(asp.layout.stack_lo, 0x1000), Ok(()));
    }

    #[test]
    fn partial_munmap_splits_a_mapping() {
        let (mut asp, mut mem) = setup();
        let a = asp.mmap(Placement::Hint(0), 0x4000, &mut mem).unwrap();
        asp.munmap(a + 0x1000, 0x2000).unwrap();
        assert!(asp.range_is_free(a + 0x1000, 0x2000));
        assert!(!asp.range_is_free(a, 0x1000));
        assert!(!asp.range_is_free(a + 0x3000, 0x1000));
        let b = asp.mmap(Placement::Hint(0), 0x2000, &mut mem).unwrap();
        assert_eq!(b, a + 0x1000);
    }

    #[test]
    fn hints_are_used_when_free() {
        let (mut asp, mut mem) = setup();
        let want = asp.layout.mmap_base + 0x100000;
        assert_eq!(asp.mmap(Placement::Hint(want), 0x1000, &mut mem), Ok(want));
        // Taken now: the same hint falls back to first fit.
        assert_eq!(
            asp.mmap(Placement::Hint(want), 0x1000, &mut mem),
            Ok(asp.layout.mmap_base)
        );
        // A hint outside the mmap area is ignored too.
        let s = asp
            .mmap(Placement::Hint(0x10000), 0x1000, &mut mem)
            .unwrap();
        assert_eq!(s, asp.layout.mmap_base + 0x1000);
    }

    #[test]
    fn fixed_mappings() {
        let (mut asp, mut mem) = setup();
        let base = asp.layout.mmap_base;
        let a = asp.mmap(Placement::Hint(0), 0x3000, &mut mem).unwrap();
        mem.poke(a + 0x1000, 5);
        // MAP_FIXED over an existing mapping replaces it with zeroes.
        assert_eq!(
            asp.mmap(Placement::Fixed(a + 0x1000), 0x1000, &mut mem),
            Ok(a + 0x1000)
        );
        assert_eq!(mem.peek(a + 0x1000), 0);
        // NOREPLACE refuses when anything is there...
        assert_eq!(
            asp.mmap(Placement::FixedNoReplace(a), 0x1000, &mut mem),
            Err(EEXIST)
        );
        assert_eq!(
            asp.mmap(Placement::FixedNoReplace(IMG_START), 0x1000, &mut mem),
            Err(EEXIST)
        );
        let stack = asp.layout.stack_lo;
        assert_eq!(
            asp.mmap(Placement::FixedNoReplace(stack), 0x1000, &mut mem),
            Err(EEXIST)
        );
        // ...and works on free space, which is then taken.
        let far = base + 0x40000;
        assert_eq!(
            asp.mmap(Placement::FixedNoReplace(far), 0x2000, &mut mem),
            Ok(far)
        );
        assert!(!asp.range_is_free(far, 0x2000));
        // Misaligned or outside our space.
        assert_eq!(
            asp.mmap(Placement::Fixed(far + 1), 0x1000, &mut mem),
            Err(EINVAL)
        );
        assert_eq!(asp.mmap(Placement::Fixed(0), 0x1000, &mut mem), Err(ENOMEM));
        assert_eq!(
            asp.mmap(
                Placement::Fixed(GUEST_ADDR_LIMIT - 0x1000),
                0x2000,
                &mut mem
            ),
            Err(ENOMEM)
        );
        // MAP_FIXED inside the brk reserve (above the break) is allowed.
        let in_brk = asp.layout.brk_start + 0x100000;
        assert_eq!(
            asp.mmap(Placement::Fixed(in_brk), 0x1000, &mut mem),
            Ok(in_brk)
        );
    }

    #[test]
    fn mmap_out_of_room() {
        let (mut asp, mut mem) = setup();
        assert_eq!(asp.mmap(Placement::Hint(0), 0, &mut mem), Err(EINVAL));
        assert_eq!(
            asp.mmap(Placement::Hint(0), u64::MAX, &mut mem),
            Err(ENOMEM)
        );
        assert_eq!(
            asp.mmap(Placement::Hint(0), GUEST_ADDR_LIMIT, &mut mem),
            Err(ENOMEM)
        );
        // Memory refusing to grow: ENOMEM, and the free list is unchanged.
        mem.max = asp.layout.mmap_base + 0x10000;
        assert_eq!(asp.mmap(Placement::Hint(0), 0x20000, &mut mem), Err(ENOMEM));
        assert_eq!(asp.mmapped_bytes(), 0);
        assert_eq!(
            asp.mmap(Placement::Hint(0), 0x10000, &mut mem),
            Ok(asp.layout.mmap_base)
        );
    }

    #[test]
    fn the_whole_area_can_be_used_and_reused() {
        let (mut asp, mut mem) = setup();
        let area = asp.layout.mmap_limit - asp.layout.mmap_base;
        let a = asp.mmap(Placement::Hint(0), area, &mut mem).unwrap();
        assert_eq!(asp.mmap(Placement::Hint(0), 0x1000, &mut mem), Err(ENOMEM));
        asp.munmap(a, area).unwrap();
        assert_eq!(asp.mmap(Placement::Hint(0), 0x1000, &mut mem), Ok(a));
    }

    const STAY: Remap = Remap {
        may_move: false,
        fixed: None,
        dont_unmap: false,
    };
    const MOVE: Remap = Remap {
        may_move: true,
        fixed: None,
        dont_unmap: false,
    };

    #[test]
    fn mremap_fixed_and_dontunmap() {
        let (mut asp, mut mem) = setup();
        let window = asp.mmap(Placement::Hint(0), 0x8000, &mut mem).unwrap();
        let a = asp.mmap(Placement::Hint(0), 0x2000, &mut mem).unwrap();
        mem.poke(a + 0x1010, 7);
        mem.poke(window + 0x3000, 9);
        let fixed = |to| Remap {
            fixed: Some(to),
            ..MOVE
        };
        // Shrinking on the way: only the head moves; the target range is
        // replaced (zeroed), the whole old range freed.
        assert_eq!(
            asp.mremap(a, 0x2000, 0x1000, fixed(window + 0x3000), &mut mem),
            Ok(window + 0x3000)
        );
        assert_eq!(mem.peek(window + 0x3000), 0);
        assert!(asp.range_is_free(a, 0x2000));
        let b = asp.mmap(Placement::Hint(0), 0x1000, &mut mem).unwrap();
        mem.poke(b + 8, 5);
        // Growing on the way: the tail is zero.
        assert_eq!(
            asp.mremap(b, 0x1000, 0x3000, fixed(window + 0x5000), &mut mem),
            Ok(window + 0x5000)
        );
        assert_eq!(mem.peek(window + 0x5008), 5);
        assert!(!asp.is_mapped(b, 0x1000));
        assert!(asp.is_mapped(window, 0x8000));
        // Refused: FIXED without MAYMOVE, overlapping ranges, unaligned target.
        let c = asp.mmap(Placement::Hint(0), 0x2000, &mut mem).unwrap();
        let no_move = Remap {
            may_move: false,
            ..fixed(window)
        };
        assert_eq!(
            asp.mremap(c, 0x1000, 0x1000, no_move, &mut mem),
            Err(EINVAL)
        );
        assert_eq!(
            asp.mremap(c, 0x2000, 0x2000, fixed(c + 0x1000), &mut mem),
            Err(EINVAL)
        );
        assert_eq!(
            asp.mremap(c, 0x1000, 0x1000, fixed(window + 1), &mut mem),
            Err(EINVAL)
        );
        // DONTUNMAP: same size only; the old range stays mapped, zeroed.
        let keep = Remap {
            dont_unmap: true,
            ..MOVE
        };
        assert_eq!(asp.mremap(c, 0x1000, 0x2000, keep, &mut mem), Err(EINVAL));
        mem.poke(c + 0x10, 3);
        let moved = asp.mremap(c, 0x2000, 0x2000, keep, &mut mem).unwrap();
        assert_ne!(moved, c);
        assert_eq!((mem.peek(moved + 0x10), mem.peek(c + 0x10)), (3, 0));
        assert!(asp.is_mapped(c, 0x2000) && asp.is_mapped(moved, 0x2000));
    }

    #[test]
    fn is_mapped_follows_regions_and_placements() {
        let (mut asp, mut mem) = setup();
        let l = asp.layout;
        assert!(asp.is_mapped(l.image_start, 0x1000));
        assert!(asp.is_mapped(l.stack_top - 0x1000, 0x1000));
        assert!(
            !asp.is_mapped(l.stack_top, 0x1000),
            "the gap after the stack"
        );
        assert!(!asp.is_mapped(l.brk_start, 0x1000), "brk heap still empty");
        asp.brk(l.brk_start + 0x1800, &mut mem);
        assert!(asp.is_mapped(l.brk_start, 0x2000));
        let a = asp.mmap(Placement::Hint(0), 0x3000, &mut mem).unwrap();
        assert!(asp.is_mapped(a, 0x3000));
        asp.munmap(a + 0x1000, 0x1000).unwrap();
        assert!(!asp.is_mapped(a, 0x3000));
        assert!(asp.is_mapped(a + 0x2000, 0x1000));
    }

    #[test]
    fn mremap_shrink_grow_move() {
        let (mut asp, mut mem) = setup();
        let a = asp.mmap(Placement::Hint(0), 0x2000, &mut mem).unwrap();
        // Grow in place: the following pages are free.
        assert_eq!(asp.mremap(a, 0x2000, 0x4000, STAY, &mut mem), Ok(a));
        assert!(!asp.range_is_free(a + 0x3000, 0x1000));
        // Shrink in place frees the tail.
        assert_eq!(asp.mremap(a, 0x4000, 0x1000, STAY, &mut mem), Ok(a));
        assert!(asp.range_is_free(a + 0x1000, 0x3000));
        // Block the tail; growing now needs a move.
        let blocker = asp
            .mmap(Placement::Fixed(a + 0x1000), 0x1000, &mut mem)
            .unwrap();
        mem.poke(a + 0x10, 42);
        assert_eq!(asp.mremap(a, 0x1000, 0x3000, STAY, &mut mem), Err(ENOMEM));
        let moved = asp.mremap(a, 0x1000, 0x3000, MOVE, &mut mem).unwrap();
        assert_ne!(moved, a);
        assert_eq!(mem.peek(moved + 0x10), 42, "contents move along");
        assert!(asp.range_is_free(a, 0x1000), "old range freed");
        assert!(!asp.range_is_free(blocker, 0x1000));
        assert_eq!(asp.mremap(moved, 0, 0x1000, MOVE, &mut mem), Err(EINVAL));
        assert_eq!(
            asp.mremap(moved + 1, 0x1000, 0x1000, MOVE, &mut mem),
            Err(EINVAL)
        );
        // Not an mmap placement: EFAULT.
        assert_eq!(
            asp.mremap(asp.layout.stack_lo, 0x1000, 0x2000, MOVE, &mut mem),
            Err(EFAULT)
        );
        assert_eq!(asp.mremap(a, 0x1000, 0x2000, MOVE, &mut mem), Err(EFAULT));
    }
}
