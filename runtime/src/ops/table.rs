//! Table operations shared by the interpreter and instantiation.

use crate::store::Store;
use crate::trap::Trap;

fn in_bounds(at: u32, n: u32, len: usize) -> bool {
    at as u64 + n as u64 <= len as u64
}

impl Store {
    /// `table.init`: copies `n` references of the instance's element segment `elem`.
    pub fn table_init(
        &mut self,
        instance: u32,
        table: u32,
        elem: u32,
        d: u32,
        s: u32,
        n: u32,
    ) -> Result<(), Trap> {
        let inst = &self.instances[instance as usize];
        let seg = inst.elems[elem as usize].clone();
        let t = &mut self.tables[inst.tables[table as usize] as usize];
        if !in_bounds(d, n, t.elems.len()) || !in_bounds(s, n, seg.len()) {
            return Err(Trap::TableOutOfBounds);
        }
        t.elems[d as usize..d as usize + n as usize]
            .copy_from_slice(&seg[s as usize..s as usize + n as usize]);
        Ok(())
    }

    pub fn table_copy(&mut self, dt: u32, st: u32, d: u32, s: u32, n: u32) -> Result<(), Trap> {
        if !in_bounds(d, n, self.tables[dt as usize].elems.len())
            || !in_bounds(s, n, self.tables[st as usize].elems.len())
        {
            return Err(Trap::TableOutOfBounds);
        }
        let (d, s, n) = (d as usize, s as usize, n as usize);
        if dt == st {
            self.tables[dt as usize].elems.copy_within(s..s + n, d);
        } else {
            let src: Vec<u64> = self.tables[st as usize].elems[s..s + n].to_vec();
            self.tables[dt as usize].elems[d..d + n].copy_from_slice(&src);
        }
        Ok(())
    }

    pub fn table_fill(&mut self, t: u32, i: u32, v: u64, n: u32) -> Result<(), Trap> {
        let elems = &mut self.tables[t as usize].elems;
        if !in_bounds(i, n, elems.len()) {
            return Err(Trap::TableOutOfBounds);
        }
        elems[i as usize..i as usize + n as usize].fill(v);
        Ok(())
    }

    /// `table.grow`: the old size, or -1 (as u32) when the table cannot grow.
    pub fn table_grow(&mut self, t: u32, init: u64, n: u32) -> u32 {
        let tab = &mut self.tables[t as usize];
        let old = tab.elems.len() as u64;
        let new = old + n as u64;
        // Tables are indexed by i32; the limit keeps the size representable.
        if new > tab.max.unwrap_or(u32::MAX as u64)
            || new > u32::MAX as u64
            || tab.elems.try_reserve(n as usize).is_err()
        {
            return u32::MAX;
        }
        tab.elems.resize(new as usize, init);
        old as u32
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Store;
    use crate::trap::Trap;
    use wasmparser::RefType;

    #[test]
    fn grow_fill_copy() {
        let mut s = Store::new();
        let t = s.add_table(RefType::FUNCREF, 2, Some(4), 0);
        assert_eq!(s.table_grow(t, 5, 2), 2);
        assert_eq!(s.table_grow(t, 5, 1), u32::MAX);
        s.table_fill(t, 0, 9, 1).unwrap();
        s.table_copy(t, t, 1, 0, 3).unwrap();
        assert_eq!(s.tables[0].elems, vec![9, 9, 0, 5]);
        assert_eq!(s.table_fill(t, 3, 1, 2), Err(Trap::TableOutOfBounds));
    }
}
