//! Bulk memory operations (memory.fill / copy / init), shared by the interpreter and
//! instantiation. Bounds are checked in 64-bit arithmetic before anything is written.

use crate::store::Store;
use crate::trap::Trap;

fn in_bounds(at: u32, n: u32, len: usize) -> bool {
    at as u64 + n as u64 <= len as u64
}

impl Store {
    pub fn memory_fill(&mut self, mem: u32, d: u32, val: u8, n: u32) -> Result<(), Trap> {
        let data = &mut self.memories[mem as usize].data;
        if !in_bounds(d, n, data.len()) {
            return Err(Trap::MemoryOutOfBounds);
        }
        data[d as usize..d as usize + n as usize].fill(val);
        Ok(())
    }

    pub fn memory_copy(&mut self, mem: u32, d: u32, s: u32, n: u32) -> Result<(), Trap> {
        let data = &mut self.memories[mem as usize].data;
        if !in_bounds(d, n, data.len()) || !in_bounds(s, n, data.len()) {
            return Err(Trap::MemoryOutOfBounds);
        }
        data.copy_within(s as usize..s as usize + n as usize, d as usize);
        Ok(())
    }

    pub fn memory_init(
        &mut self,
        mem: u32,
        seg: &[u8],
        d: u32,
        s: u32,
        n: u32,
    ) -> Result<(), Trap> {
        let data = &mut self.memories[mem as usize].data;
        if !in_bounds(d, n, data.len()) || !in_bounds(s, n, seg.len()) {
            return Err(Trap::MemoryOutOfBounds);
        }
        data[d as usize..d as usize + n as usize]
            .copy_from_slice(&seg[s as usize..s as usize + n as usize]);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Store;
    use crate::trap::Trap;

    #[test]
    fn bulk_ops_check_bounds_first() {
        let mut s = Store::new();
        let m = s.add_memory(1, None).unwrap();
        s.memory_fill(m, 10, 7, 4).unwrap();
        assert_eq!(&s.memories[0].data[9..15], &[0, 7, 7, 7, 7, 0]);
        s.memory_copy(m, 11, 10, 4).unwrap();
        assert_eq!(&s.memories[0].data[10..15], &[7, 7, 7, 7, 7]);
        assert_eq!(s.memory_fill(m, 65535, 1, 2), Err(Trap::MemoryOutOfBounds));
        assert_eq!(s.memories[0].data[65535], 0);
        assert_eq!(
            s.memory_init(m, &[1, 2], 0, 1, 2),
            Err(Trap::MemoryOutOfBounds)
        );
        assert_eq!(
            s.memory_copy(m, 0, u32::MAX, 0),
            Err(Trap::MemoryOutOfBounds)
        );
    }
}
