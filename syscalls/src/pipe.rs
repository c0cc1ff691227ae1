//! An in-process pipe (pipe2): a bounded byte queue plus the number of
//! open read and write ends, which decide between "no data yet" and
//! end-of-file. Pure logic, unit-tested on the host; the runtime wraps it
//! in open file descriptions.
//!
//! There is one guest thread, so a pipe can only ever be read by the
//! thread that writes it. A read that would block (empty, writers open)
//! or a write that would block (full, readers open) can never be woken:
//! [`PipeError::WouldDeadlock`] tells the caller to report that rather
//! than hang, unless the file is non-blocking (then it is EAGAIN).

use std::collections::VecDeque;

/// Linux's default pipe capacity (16 pages).
pub const PIPE_CAPACITY: usize = 64 * 1024;

/// Writes of at most this many bytes are atomic (POSIX PIPE_BUF).
pub const PIPE_BUF: usize = 4096;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PipeError {
    /// Nothing can happen until another thread acts, and there is none.
    WouldDeadlock,
    /// Writing with no read end open: EPIPE (and SIGPIPE).
    BrokenPipe,
}

#[derive(Debug, Default)]
pub struct Pipe {
    data: VecDeque<u8>,
    readers: usize,
    writers: usize,
}

impl Pipe {
    /// A pipe with one read end and one write end open.
    pub fn new() -> Pipe {
        Pipe {
            data: VecDeque::new(),
            readers: 1,
            writers: 1,
        }
    }

    pub fn buffered(&self) -> usize {
        self.data.len()
    }

    pub fn readers(&self) -> usize {
        self.readers
    }

    pub fn writers(&self) -> usize {
        self.writers
    }

    pub fn add_end(&mut self, write_end: bool) {
        if write_end {
            self.writers += 1;
        } else {
            self.readers += 1;
        }
    }

    pub fn close_end(&mut self, write_end: bool) {
        let n = if write_end {
            &mut self.writers
        } else {
            &mut self.readers
        };
        *n = n.saturating_sub(1);
    }

    /// Whether a read would return at once (data, or end-of-file).
    pub fn readable(&self) -> bool {
        !self.data.is_empty() || self.writers == 0
    }

    /// Whether a write would not block (room, or a broken pipe to report).
    pub fn writable(&self) -> bool {
        self.data.len() < PIPE_CAPACITY || self.readers == 0
    }

    /// Reads up to `out.len()` bytes. `Ok(0)` is end-of-file (no writers).
    pub fn read(&mut self, out: &mut [u8]) -> Result<usize, PipeError> {
        if out.is_empty() {
            return Ok(0);
        }
        if self.data.is_empty() {
            return if self.writers == 0 {
                Ok(0)
            } else {
                Err(PipeError::WouldDeadlock)
            };
        }
        let n = out.len().min(self.data.len());
        for (slot, b) in out.iter_mut().zip(self.data.drain(..n)) {
            *slot = b;
        }
        Ok(n)
    }

    /// Writes as much of `bytes` as fits. Like Linux, a write of at most
    /// PIPE_BUF bytes is all-or-nothing; a larger one may be partial.
    pub fn write(&mut self, bytes: &[u8]) -> Result<usize, PipeError> {
        if self.readers == 0 {
            return Err(PipeError::BrokenPipe);
        }
        if bytes.is_empty() {
            return Ok(0);
        }
        let room = PIPE_CAPACITY - self.data.len();
        let fits = if bytes.len() <= PIPE_BUF {
            if room >= bytes.len() {
                bytes.len()
            } else {
                0
            }
        } else {
            room.min(bytes.len())
        };
        if fits == 0 {
            return Err(PipeError::WouldDeadlock);
        }
        self.data.extend(&bytes[..fits]);
        Ok(fits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_flows_in_order() {
        let mut p = Pipe::new();
        assert_eq!(p.write(b"hello "), Ok(6));
        assert_eq!(p.write(b"world"), Ok(5));
        let mut buf = [0u8; 4];
        assert_eq!(p.read(&mut buf), Ok(4));
        assert_eq!(&buf, b"hell");
        let mut buf = [0u8; 64];
        assert_eq!(p.read(&mut buf), Ok(7));
        assert_eq!(&buf[..7], b"o world");
        assert_eq!(p.buffered(), 0);
    }

    #[test]
    fn empty_pipe_blocks_until_writers_close() {
        let mut p = Pipe::new();
        let mut buf = [0u8; 8];
        assert_eq!(p.read(&mut buf), Err(PipeError::WouldDeadlock));
        assert!(!p.readable());
        p.write(b"x").unwrap();
        p.close_end(true);
        assert!(p.readable());
        assert_eq!(p.read(&mut buf), Ok(1), "data first");
        assert_eq!(p.read(&mut buf), Ok(0), "then end-of-file");
        assert_eq!(p.read(&mut []), Ok(0));
    }

    #[test]
    fn no_readers_is_a_broken_pipe() {
        let mut p = Pipe::new();
        p.add_end(false);
        p.close_end(false);
        assert_eq!(p.write(b"a"), Ok(1), "one reader still open");
        p.close_end(false);
        assert_eq!(p.readers(), 0);
        assert_eq!(p.write(b"a"), Err(PipeError::BrokenPipe));
        assert_eq!(p.write(b""), Err(PipeError::BrokenPipe));
        assert!(p.writable());
    }

    #[test]
    fn capacity_and_atomic_writes() {
        let mut p = Pipe::new();
        let big = vec![7u8; PIPE_CAPACITY + 100];
        assert_eq!(p.write(&big), Ok(PIPE_CAPACITY), "large writes are partial");
        assert!(!p.writable());
        assert_eq!(p.write(b"x"), Err(PipeError::WouldDeadlock));
        let mut buf = vec![0u8; 10];
        p.read(&mut buf).unwrap();
        // 10 bytes free: a 20-byte write (<= PIPE_BUF) must not be split.
        assert_eq!(p.write(&[1u8; 20]), Err(PipeError::WouldDeadlock));
        assert_eq!(p.write(&[1u8; 10]), Ok(10));
    }
}
