//! The guest's file descriptor table: small integers handed out lowest-free
//! first, as Linux does, each mapping to whatever the runtime keeps per open
//! file (a WASI fd and some flags).

use crate::errno::{Errno, EBADF, EMFILE};

#[derive(Clone, Debug)]
pub struct FdTable<T> {
    slots: Vec<Option<T>>,
    max: usize,
}

impl<T> FdTable<T> {
    /// A table that holds fds `0..max` (RLIMIT_NOFILE).
    pub fn new(max: usize) -> Self {
        FdTable {
            slots: Vec::new(),
            max,
        }
    }

    /// Stores `v` under the lowest free fd; EMFILE when the table is full.
    pub fn insert(&mut self, v: T) -> Result<i32, Errno> {
        self.insert_from(0, v)
    }

    /// Stores `v` under the lowest free fd that is at least `min`
    /// (F_DUPFD); EMFILE when there is none below the limit.
    pub fn insert_from(&mut self, min: usize, v: T) -> Result<i32, Errno> {
        let free = (min..self.slots.len()).find(|&i| self.slots[i].is_none());
        let i = free.unwrap_or(self.slots.len().max(min));
        if i >= self.max {
            return Err(EMFILE);
        }
        if self.slots.len() <= i {
            self.slots.resize_with(i + 1, || None);
        }
        self.slots[i] = Some(v);
        Ok(i as i32)
    }

    /// Stores `v` under exactly `fd`, returning what was there.
    pub fn insert_at(&mut self, fd: i32, v: T) -> Result<Option<T>, Errno> {
        let i = usize::try_from(fd).map_err(|_| EBADF)?;
        if i >= self.max {
            return Err(EBADF);
        }
        if self.slots.len() <= i {
            self.slots.resize_with(i + 1, || None);
        }
        Ok(self.slots[i].replace(v))
    }

    fn index(&self, fd: i32) -> Result<usize, Errno> {
        match usize::try_from(fd) {
            Ok(i) if self.slots.get(i).is_some_and(Option::is_some) => Ok(i),
            _ => Err(EBADF),
        }
    }

    pub fn get(&self, fd: i32) -> Result<&T, Errno> {
        let i = self.index(fd)?;
        Ok(self.slots[i].as_ref().unwrap())
    }

    pub fn get_mut(&mut self, fd: i32) -> Result<&mut T, Errno> {
        let i = self.index(fd)?;
        Ok(self.slots[i].as_mut().unwrap())
    }

    pub fn remove(&mut self, fd: i32) -> Result<T, Errno> {
        let i = self.index(fd)?;
        let v = self.slots[i].take().unwrap();
        while matches!(self.slots.last(), Some(None)) {
            self.slots.pop();
        }
        Ok(v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (i32, &T)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref().map(|v| (i as i32, v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowest_free_first() {
        let mut t = FdTable::new(8);
        for (fd, name) in ["stdin", "stdout", "stderr"].into_iter().enumerate() {
            assert_eq!(t.insert_at(fd as i32, name), Ok(None));
        }
        assert_eq!(t.insert("a"), Ok(3));
        assert_eq!(t.insert("b"), Ok(4));
        assert_eq!(t.remove(1), Ok("stdout"));
        assert_eq!(t.insert("c"), Ok(1), "a closed stdout is reused first");
        assert_eq!(t.get(4), Ok(&"b"));
        *t.get_mut(4).unwrap() = "B";
        assert_eq!(t.get(4), Ok(&"B"));
        let all: Vec<_> = t.iter().collect();
        assert_eq!(
            all,
            vec![
                (0, &"stdin"),
                (1, &"c"),
                (2, &"stderr"),
                (3, &"a"),
                (4, &"B")
            ]
        );
    }

    #[test]
    fn bad_fds() {
        let mut t: FdTable<u32> = FdTable::new(4);
        assert_eq!(t.get(0), Err(EBADF));
        assert_eq!(t.get(-1), Err(EBADF));
        assert_eq!(t.get(-100), Err(EBADF));
        assert_eq!(t.remove(7), Err(EBADF));
        t.insert(1).unwrap();
        assert_eq!(t.remove(0), Ok(1));
        assert_eq!(t.remove(0), Err(EBADF), "double close");
        assert_eq!(t.insert_at(4, 0), Err(EBADF), "beyond the limit");
        assert_eq!(t.insert_at(-1, 0), Err(EBADF));
    }

    #[test]
    fn insert_from_a_minimum() {
        let mut t = FdTable::new(10);
        t.insert("a").unwrap();
        assert_eq!(
            t.insert_from(5, "b"),
            Ok(5),
            "gaps below the minimum are skipped"
        );
        assert_eq!(t.insert_from(5, "c"), Ok(6));
        assert_eq!(
            t.insert("d"),
            Ok(1),
            "the gap is still used by plain inserts"
        );
        assert_eq!(t.insert_from(9, "e"), Ok(9));
        assert_eq!(t.insert_from(9, "f"), Err(EMFILE));
        assert_eq!(t.insert_from(10, "f"), Err(EMFILE));
        t.remove(9).unwrap();
        assert_eq!(t.insert_from(2, "g"), Ok(2));
    }

    #[test]
    fn full_table() {
        let mut t = FdTable::new(3);
        for i in 0..3 {
            assert_eq!(t.insert(i), Ok(i));
        }
        assert_eq!(t.insert(9), Err(EMFILE));
        t.remove(1).unwrap();
        assert_eq!(t.insert(9), Ok(1));
        assert_eq!(
            t.insert_at(2, 5),
            Ok(Some(2)),
            "replacing returns the old entry"
        );
    }
}
