//! Code facts from the unwind tables, which survive `strip`:
//! - every FDE in `.eh_frame` starts a function and gives its extent;
//! - every landing pad in an FDE's LSDA (`.gcc_except_table`) is where the
//!   C++ unwinder jumps to run a cleanup or a `catch`, so it must be an
//!   entry the dispatcher can reach.
//!
//! `.eh_frame` is parsed with gimli; the LSDA format (GCC's, not DWARF) is
//! small enough to read here.

use gimli::{BaseAddresses, CieOrFde, EhFrame, LittleEndian, UnwindSection};

/// What the unwind tables say about the code.
#[derive(Clone, Debug, Default)]
pub struct UnwindInfo {
    /// `[start, end)` of every function with an FDE, sorted.
    pub functions: Vec<(u64, u64)>,
    /// Landing pads (absolute addresses), sorted, deduplicated.
    pub landing_pads: Vec<u64>,
}

/// Reads `.eh_frame` at guest address `addr` (its bytes are `data`). `read`
/// fetches other initialised image bytes (for the LSDAs). Malformed entries
/// are skipped: the tables are hints for discovery, never trusted for safety.
pub fn parse(data: &[u8], addr: u64, read: &dyn Fn(u64, usize) -> Option<Vec<u8>>) -> UnwindInfo {
    let eh_frame = EhFrame::new(data, LittleEndian);
    let bases = BaseAddresses::default().set_eh_frame(addr);
    let mut info = UnwindInfo::default();
    let mut entries = eh_frame.entries(&bases);
    while let Ok(Some(entry)) = entries.next() {
        let CieOrFde::Fde(partial) = entry else {
            continue;
        };
        let Ok(fde) = partial.parse(EhFrame::cie_from_offset) else {
            continue;
        };
        let start = fde.initial_address();
        let Some(end) = start.checked_add(fde.len()).filter(|&e| e > start) else {
            continue;
        };
        info.functions.push((start, end));
        if let Some(gimli::Pointer::Direct(lsda)) = fde.lsda() {
            info.landing_pads.extend(landing_pads(lsda, start, read));
        }
    }
    info.functions.sort();
    info.functions.dedup();
    info.landing_pads.sort();
    info.landing_pads.dedup();
    info
}

// DW_EH_PE pointer encodings used in LSDAs.
const PE_OMIT: u8 = 0xff;
const PE_ABSPTR: u8 = 0x00;
const PE_ULEB128: u8 = 0x01;
const PE_UDATA2: u8 = 0x02;
const PE_UDATA4: u8 = 0x03;
const PE_UDATA8: u8 = 0x04;
const PE_SLEB128: u8 = 0x09;
const PE_SDATA2: u8 = 0x0a;
const PE_SDATA4: u8 = 0x0b;
const PE_SDATA8: u8 = 0x0c;
const PE_PCREL: u8 = 0x10;

/// A cursor over guest memory for the LSDA's variable-length fields.
struct Cursor<'a> {
    at: u64,
    read: &'a dyn Fn(u64, usize) -> Option<Vec<u8>>,
}

impl Cursor<'_> {
    fn bytes(&mut self, n: usize) -> Option<Vec<u8>> {
        let b = (self.read)(self.at, n)?;
        self.at = self.at.checked_add(n as u64)?;
        Some(b)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.bytes(1)?[0])
    }

    fn fixed(&mut self, n: usize, signed: bool) -> Option<u64> {
        let b = self.bytes(n)?;
        let mut v = 0u64;
        for (i, byte) in b.iter().enumerate() {
            v |= (*byte as u64) << (8 * i);
        }
        if signed && n < 8 && v >> (8 * n - 1) & 1 == 1 {
            v |= !0u64 << (8 * n);
        }
        Some(v)
    }

    fn leb128(&mut self, signed: bool) -> Option<u64> {
        let (mut v, mut shift) = (0u64, 0u32);
        loop {
            let byte = self.u8()?;
            if shift < 64 {
                v |= ((byte & 0x7f) as u64) << shift;
            }
            shift += 7;
            if byte & 0x80 == 0 {
                if signed && shift < 64 && byte & 0x40 != 0 {
                    v |= !0u64 << shift;
                }
                return Some(v);
            }
            if shift > 70 {
                return None;
            }
        }
    }

    /// A value in `encoding`; `None` for encodings an LSDA does not use.
    fn encoded(&mut self, encoding: u8) -> Option<u64> {
        let field_at = self.at;
        let v = match encoding & 0x0f {
            PE_ABSPTR | PE_UDATA8 => self.fixed(8, false)?,
            PE_ULEB128 => self.leb128(false)?,
            PE_UDATA2 => self.fixed(2, false)?,
            PE_UDATA4 => self.fixed(4, false)?,
            PE_SLEB128 => self.leb128(true)?,
            PE_SDATA2 => self.fixed(2, true)?,
            PE_SDATA4 => self.fixed(4, true)?,
            PE_SDATA8 => self.fixed(8, true)?,
            _ => return None,
        };
        match encoding & 0x70 {
            0 => Some(v),
            PE_PCREL => Some(field_at.wrapping_add(v)),
            _ => None,
        }
    }
}

/// Landing pads of the LSDA at `lsda` for the function starting at `func`.
fn landing_pads(lsda: u64, func: u64, read: &dyn Fn(u64, usize) -> Option<Vec<u8>>) -> Vec<u64> {
    let mut c = Cursor { at: lsda, read };
    let mut out = Vec::new();
    let parsed = (|| -> Option<()> {
        let lpstart_encoding = c.u8()?;
        let lpstart = if lpstart_encoding == PE_OMIT {
            func
        } else {
            c.encoded(lpstart_encoding)?
        };
        let ttype_encoding = c.u8()?;
        if ttype_encoding != PE_OMIT {
            c.leb128(false)?;
        }
        let call_site_encoding = c.u8()?;
        let table_len = c.leb128(false)?;
        let end = c.at.checked_add(table_len)?;
        while c.at < end {
            let _start = c.encoded(call_site_encoding)?;
            let _len = c.encoded(call_site_encoding)?;
            let pad = c.encoded(call_site_encoding)?;
            let _action = c.leb128(false)?;
            if pad != 0 {
                out.push(lpstart.wrapping_add(pad));
            }
        }
        Some(())
    })();
    if parsed.is_none() {
        // A truncated table still yields the pads read before the damage.
        out.retain(|&p| p >= func);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(base: u64, bytes: Vec<u8>) -> impl Fn(u64, usize) -> Option<Vec<u8>> {
        move |at, n| {
            let off = at.checked_sub(base)? as usize;
            bytes.get(off..off + n).map(|s| s.to_vec())
        }
    }

    #[test]
    fn lsda_with_uleb128_call_sites() {
        // lpstart omitted, ttype udata4 with offset, call sites uleb128:
        // two sites, pads at +0x40 and none.
        let lsda = vec![
            0xff, 0x9b, 0x05, // ttype encoding + offset
            0x01, 0x08, // call-site encoding, table length 8
            0x04, 0x08, 0x40, 0x01, // site 1: start 4, len 8, pad 0x40, action 1
            0x10, 0x04, 0x00, 0x00, // site 2: no pad
        ];
        let read = reader(0x5000, lsda);
        assert_eq!(landing_pads(0x5000, 0x1000, &read), vec![0x1040]);
    }

    #[test]
    fn lsda_with_udata4_call_sites_and_explicit_lpstart() {
        let mut lsda = vec![PE_UDATA4];
        lsda.extend_from_slice(&0x2000u32.to_le_bytes()); // lpstart
        lsda.push(PE_OMIT); // no types
        lsda.push(PE_UDATA4);
        lsda.push(12); // one site, 3 x u32
        for v in [0u32, 0x10, 0x24] {
            lsda.extend_from_slice(&v.to_le_bytes());
        }
        lsda.push(0); // action
        let read = reader(0x100, lsda);
        assert_eq!(landing_pads(0x100, 0x1000, &read), vec![0x2024]);
    }

    #[test]
    fn truncated_lsda_is_not_an_error() {
        let read = reader(0x100, vec![0xff, 0xff, 0x01, 0x20, 0x00]);
        assert!(landing_pads(0x100, 0x1000, &read).is_empty());
    }

    #[test]
    fn sleb128_reads_negative_values() {
        let read = reader(0, vec![0x7f, 0x80, 0x7f]);
        let mut c = Cursor { at: 0, read: &read };
        assert_eq!(c.leb128(true), Some(-1i64 as u64));
        assert_eq!(c.leb128(true), Some(-128i64 as u64));
    }
}
