//! Binary-format rules of Wasm 2.0 that wasmparser relaxes because later proposals widen
//! them (memory64 widens limits, multi-memory turns reserved zero bytes into indices).
//! Checked on the raw bytes so such modules are rejected as malformed, as the spec requires.

use crate::trap::{Error, ErrorClass};

fn malformed(msg: &str, offset: usize) -> Error {
    Error::new(
        ErrorClass::Malformed,
        format!("{msg} (at offset {offset:#x})"),
    )
}

/// Length in bytes of the LEB128 number at `at`.
fn leb_len(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|b| b & 0x80 == 0)
        .map_or(bytes.len() - at, |p| p + 1)
}

/// Memory limits are u32s: at most five LEB bytes each.
/// `at` is the first entry (after the count).
pub fn memory_section(bytes: &[u8], mut at: usize, count: u32, end: usize) -> Result<(), Error> {
    for _ in 0..count {
        if at >= end {
            break;
        }
        let flags = bytes[at];
        at += 1;
        let fields = if flags & 1 != 0 { 2 } else { 1 };
        for _ in 0..fields {
            let n = leb_len(bytes, at);
            if n > 5 {
                return Err(malformed("integer representation too long", at));
            }
            at += n;
        }
    }
    Ok(())
}

/// Checks the immediates of the operator at `offset`: the reserved byte of `memory.size`
/// and `memory.grow` is a single zero byte, and a memarg's alignment and offset are u32s.
pub fn operator(bytes: &[u8], offset: usize) -> Result<(), Error> {
    let op = bytes[offset];
    match op {
        0x3f | 0x40 if bytes.get(offset + 1) != Some(&0) => {
            Err(malformed("zero byte expected", offset + 1))
        }
        0x28..=0x3e => {
            let align = leb_len(bytes, offset + 1);
            let off = leb_len(bytes, offset + 1 + align);
            if align > 5 || off > 5 {
                return Err(malformed("integer representation too long", offset + 1));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A function type starts with the single byte 0x60.
pub fn func_type(bytes: &[u8], offset: usize) -> Result<(), Error> {
    if bytes.get(offset) != Some(&0x60) {
        return Err(malformed("integer representation too long", offset));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlong_limits_and_reserved_bytes() {
        // count 1, flags 0, min 2 in six bytes
        let b = [1, 0, 0x82, 0x80, 0x80, 0x80, 0x80, 0];
        assert!(memory_section(&b, 1, 1, b.len()).is_err());
        let ok = [1, 1, 0x82, 0, 0x83, 0];
        assert!(memory_section(&ok, 1, 1, ok.len()).is_ok());
        assert!(operator(&[0x40, 0x80, 0x00], 0).is_err());
        assert!(operator(&[0x40, 0x00], 0).is_ok());
        assert!(func_type(&[0xe0, 0x7f], 0).is_err());
    }
}
