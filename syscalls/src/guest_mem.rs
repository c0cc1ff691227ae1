//! Checked access to guest memory by guest address.
//!
//! Guest address `a` lives at host address `base + a`. Every syscall
//! argument that points into the guest goes through [`GuestMemory`], which
//! checks it against `[lo, hi)` (the image start and the backed limit), so a
//! bad pointer becomes `-EFAULT` instead of a Wasm trap or a write into the
//! layer's own memory.

use crate::errno::{Errno, EFAULT, ENAMETOOLONG};

#[derive(Clone, Copy, Debug)]
pub struct GuestMemory {
    base: *mut u8,
    lo: u64,
    hi: u64,
}

impl GuestMemory {
    /// # Safety
    /// `base + lo .. base + hi` must be valid for reads and writes for as
    /// long as this value (or a copy) is used.
    pub unsafe fn new(base: *mut u8, lo: u64, hi: u64) -> GuestMemory {
        GuestMemory { base, lo, hi }
    }

    /// Checks that `[addr, addr + len)` is guest memory. An empty range is
    /// always fine (Linux does not look at the pointer of a 0-byte read).
    pub fn check(&self, addr: u64, len: u64) -> Result<(), Errno> {
        if len == 0 {
            return Ok(());
        }
        match addr.checked_add(len) {
            Some(end) if addr >= self.lo && end <= self.hi => Ok(()),
            _ => Err(EFAULT),
        }
    }

    /// Host pointer for a checked range, for zero-copy I/O.
    pub fn ptr(&self, addr: u64, len: u64) -> Result<*mut u8, Errno> {
        self.check(addr, len)?;
        // SAFETY: the range was checked against the backed guest memory.
        Ok(unsafe { self.base.add(addr as usize) })
    }

    pub fn read(&self, addr: u64, out: &mut [u8]) -> Result<(), Errno> {
        let p = self.ptr(addr, out.len() as u64)?;
        // SAFETY: checked range; guest memory never overlaps a Rust buffer.
        unsafe { core::ptr::copy_nonoverlapping(p, out.as_mut_ptr(), out.len()) };
        Ok(())
    }

    pub fn read_vec(&self, addr: u64, len: u64) -> Result<Vec<u8>, Errno> {
        self.check(addr, len)?;
        let mut v = vec![0u8; len as usize];
        self.read(addr, &mut v)?;
        Ok(v)
    }

    pub fn write(&self, addr: u64, data: &[u8]) -> Result<(), Errno> {
        let p = self.ptr(addr, data.len() as u64)?;
        // SAFETY: as in `read`.
        unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), p, data.len()) };
        Ok(())
    }

    pub fn fill(&self, addr: u64, len: u64, byte: u8) -> Result<(), Errno> {
        let p = self.ptr(addr, len)?;
        // SAFETY: checked range.
        unsafe { core::ptr::write_bytes(p, byte, len as usize) };
        Ok(())
    }

    /// Copies within guest memory (ranges may overlap).
    pub fn copy_within(&self, from: u64, to: u64, len: u64) -> Result<(), Errno> {
        let s = self.ptr(from, len)?;
        let d = self.ptr(to, len)?;
        // SAFETY: both ranges checked.
        unsafe { core::ptr::copy(s, d, len as usize) };
        Ok(())
    }

    pub fn read_u32(&self, addr: u64) -> Result<u32, Errno> {
        let mut b = [0u8; 4];
        self.read(addr, &mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    pub fn read_u64(&self, addr: u64) -> Result<u64, Errno> {
        let mut b = [0u8; 8];
        self.read(addr, &mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    pub fn write_u32(&self, addr: u64, v: u32) -> Result<(), Errno> {
        self.write(addr, &v.to_le_bytes())
    }

    pub fn write_u64(&self, addr: u64, v: u64) -> Result<(), Errno> {
        self.write(addr, &v.to_le_bytes())
    }

    /// Reads a NUL-terminated string of at most `max` bytes (without the
    /// NUL): EFAULT if it runs out of guest memory, ENAMETOOLONG if no NUL
    /// comes within `max` bytes.
    pub fn read_cstr(&self, addr: u64, max: usize) -> Result<Vec<u8>, Errno> {
        if addr < self.lo || addr >= self.hi {
            return Err(EFAULT);
        }
        let avail = (self.hi - addr).min(max as u64 + 1) as usize;
        // SAFETY: `[addr, addr + avail)` is inside `[lo, hi)`.
        let bytes = unsafe { core::slice::from_raw_parts(self.base.add(addr as usize), avail) };
        match bytes.iter().position(|&b| b == 0) {
            Some(n) => Ok(bytes[..n].to_vec()),
            None if avail > max => Err(ENAMETOOLONG),
            None => Err(EFAULT),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mem(buf: &mut [u8], lo: u64) -> GuestMemory {
        let hi = buf.len() as u64;
        unsafe { GuestMemory::new(buf.as_mut_ptr(), lo, hi) }
    }

    #[test]
    fn bounds() {
        let mut buf = vec![0u8; 0x1000];
        let m = mem(&mut buf, 0x100);
        assert_eq!(m.check(0x100, 0xf00), Ok(()));
        assert_eq!(m.check(0xff, 1), Err(EFAULT));
        assert_eq!(m.check(0x100, 0xf01), Err(EFAULT));
        assert_eq!(m.check(0xfff, 1), Ok(()));
        assert_eq!(m.check(0x1000, 1), Err(EFAULT));
        assert_eq!(m.check(u64::MAX, 2), Err(EFAULT));
        assert_eq!(m.check(0, 0), Ok(()), "empty ranges are not checked");
        assert_eq!(m.read_u64(0xff9), Err(EFAULT));
        assert_eq!(m.write_u32(0, 1), Err(EFAULT));
    }

    #[test]
    fn read_write_round_trip() {
        let mut buf = vec![0u8; 0x1000];
        let m = mem(&mut buf, 0x100);
        m.write_u64(0x200, 0x1122334455667788).unwrap();
        assert_eq!(m.read_u64(0x200), Ok(0x1122334455667788));
        assert_eq!(m.read_u32(0x200), Ok(0x55667788), "little-endian");
        m.fill(0x300, 4, 0xab).unwrap();
        assert_eq!(
            m.read_vec(0x2ff, 6).unwrap(),
            vec![0, 0xab, 0xab, 0xab, 0xab, 0]
        );
        m.copy_within(0x300, 0x302, 4).unwrap();
        assert_eq!(m.read_vec(0x300, 6).unwrap(), vec![0xab; 6]);
        assert_eq!(buf[0x200], 0x88);
    }

    #[test]
    fn c_strings() {
        let mut buf = vec![0u8; 0x1000];
        buf[0x200..0x206].copy_from_slice(b"hello\0");
        buf[0xffc..].copy_from_slice(b"abcd"); // runs off the end
        let m = mem(&mut buf, 0x100);
        assert_eq!(m.read_cstr(0x200, 4096).unwrap(), b"hello");
        assert_eq!(m.read_cstr(0x205, 4096).unwrap(), b"");
        assert_eq!(
            m.read_cstr(0x200, 5).unwrap(),
            b"hello",
            "exactly max bytes"
        );
        assert_eq!(m.read_cstr(0x200, 4), Err(ENAMETOOLONG));
        assert_eq!(m.read_cstr(0xffc, 4096), Err(EFAULT));
        assert_eq!(m.read_cstr(0x50, 4096), Err(EFAULT));
        assert_eq!(m.read_cstr(0x1000, 4096), Err(EFAULT));
    }
}
