//! Bounds-checked access to the guest's memory for WASI calls (a bad pointer is EFAULT,
//! never a crash of the runtime).

use super::errno::{Errno, EFAULT};

pub struct GuestMem<'a>(pub &'a mut [u8]);

impl GuestMem<'_> {
    pub fn range(&self, ptr: u32, len: u32) -> Result<std::ops::Range<usize>, Errno> {
        let end = ptr as u64 + len as u64;
        if end > self.0.len() as u64 {
            return Err(EFAULT);
        }
        Ok(ptr as usize..end as usize)
    }

    pub fn slice(&self, ptr: u32, len: u32) -> Result<&[u8], Errno> {
        let r = self.range(ptr, len)?;
        Ok(&self.0[r])
    }

    pub fn slice_mut(&mut self, ptr: u32, len: u32) -> Result<&mut [u8], Errno> {
        let r = self.range(ptr, len)?;
        Ok(&mut self.0[r])
    }

    pub fn read_u32(&self, ptr: u32) -> Result<u32, Errno> {
        Ok(u32::from_le_bytes(self.slice(ptr, 4)?.try_into().unwrap()))
    }

    pub fn read_u64(&self, ptr: u32) -> Result<u64, Errno> {
        Ok(u64::from_le_bytes(self.slice(ptr, 8)?.try_into().unwrap()))
    }

    pub fn write_u8(&mut self, ptr: u32, v: u8) -> Result<(), Errno> {
        self.slice_mut(ptr, 1)?[0] = v;
        Ok(())
    }

    pub fn write_u16(&mut self, ptr: u32, v: u16) -> Result<(), Errno> {
        self.slice_mut(ptr, 2)?.copy_from_slice(&v.to_le_bytes());
        Ok(())
    }

    pub fn write_u32(&mut self, ptr: u32, v: u32) -> Result<(), Errno> {
        self.slice_mut(ptr, 4)?.copy_from_slice(&v.to_le_bytes());
        Ok(())
    }

    pub fn write_u64(&mut self, ptr: u32, v: u64) -> Result<(), Errno> {
        self.slice_mut(ptr, 8)?.copy_from_slice(&v.to_le_bytes());
        Ok(())
    }

    pub fn str(&self, ptr: u32, len: u32) -> Result<&str, Errno> {
        std::str::from_utf8(self.slice(ptr, len)?).map_err(|_| super::errno::EILSEQ)
    }

    /// The (buf, len) pairs of an iovec array.
    pub fn iovecs(&self, iovs: u32, n: u32) -> Result<Vec<(u32, u32)>, Errno> {
        (0..n)
            .map(|i| {
                let at = iovs
                    .checked_add(i.checked_mul(8).ok_or(EFAULT)?)
                    .ok_or(EFAULT)?;
                Ok((self.read_u32(at)?, self.read_u32(at + 4)?))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_of_bounds_is_efault() {
        let mut buf = [0u8; 16];
        let mut m = GuestMem(&mut buf);
        m.write_u32(12, 7).unwrap();
        assert_eq!(m.read_u32(12).unwrap(), 7);
        assert_eq!(m.write_u32(13, 1), Err(EFAULT));
        assert_eq!(m.slice(u32::MAX, 2).err(), Some(EFAULT));
        m.write_u32(0, 8).unwrap();
        m.write_u32(4, 3).unwrap();
        assert_eq!(m.iovecs(0, 1).unwrap(), vec![(8, 3)]);
    }
}
