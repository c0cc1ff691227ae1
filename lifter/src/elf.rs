//! Loading a guest ELF: validation with clear, one-line errors, and the
//! facts the rest of the pipeline needs (segments, entry, symbols).

use crate::unwind::{self, UnwindInfo};
use anyhow::{bail, Result};
use goblin::elf::{header, program_header, section_header, ProgramHeader};

mod loading;

/// Guest instruction-set architectures the translator understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GuestArch {
    Riscv64,
    Aarch64,
}

impl GuestArch {
    pub fn name(self) -> &'static str {
        match self {
            GuestArch::Riscv64 => "riscv64",
            GuestArch::Aarch64 => "aarch64",
        }
    }
}

/// A loadable segment: `data` is placed at `vaddr`, the rest up to `memsz`
/// is zero (bss).
#[derive(Clone, Debug)]
pub struct Segment {
    pub vaddr: u64,
    pub memsz: u64,
    pub data: Vec<u8>,
    pub executable: bool,
    pub writable: bool,
}

/// The guest program as the lifter sees it.
#[derive(Clone, Debug)]
pub struct GuestImage {
    pub arch: GuestArch,
    pub entry: u64,
    pub segments: Vec<Segment>,
    /// Guest address of the program headers (AT_PHDR), or 0 if not loaded.
    pub phdr: u64,
    pub phnum: u64,
    pub phent: u64,
    /// Ranges holding code: executable sections when section headers exist,
    /// else executable segments. Decoding never leaves these.
    pub code_ranges: Vec<(u64, u64)>,
    /// Function extents and landing pads from `.eh_frame` (symbols are
    /// never used: a stripped binary must translate exactly the same).
    pub unwind: UnwindInfo,
}

impl GuestImage {
    /// Parses and validates an ELF file. Errors are single, user-facing lines
    /// naming the field at fault. Every size, offset and address is checked
    /// against the file's length and the guest address space before anything
    /// is allocated or read, so the work done is bounded by the file itself.
    pub fn parse(bytes: &[u8]) -> Result<GuestImage> {
        let header = loading::header(bytes)?;
        let arch = match header.e_machine {
            header::EM_RISCV => GuestArch::Riscv64,
            header::EM_AARCH64 => bail!("aarch64 ELF files are not supported yet (riscv64 is)"),
            m => bail!(
                "unsupported architecture {} (machine {m}); elfconv2 translates riscv64 and aarch64",
                header::machine_to_str(m)
            ),
        };
        let phdrs = loading::program_headers(bytes, &header)?;
        if loading::is_dynamic(bytes, &phdrs) {
            bail!("dynamically linked ELF files are not supported; link the program with -static");
        }
        match header.e_type {
            header::ET_EXEC => {}
            header::ET_DYN => bail!("position-independent (static-pie) executables are not supported yet; link with -static -no-pie"),
            t => bail!("not an executable ELF file (type {})", header::et_to_str(t)),
        }
        let sections = loading::section_headers(bytes, &header)?;

        let loads = loading::loadable_segments(bytes, &phdrs)?;
        let segments: Vec<Segment> = loads
            .iter()
            .map(|ph| Segment {
                vaddr: ph.p_vaddr,
                memsz: ph.p_memsz,
                data: bytes[ph.p_offset as usize..(ph.p_offset + ph.p_filesz) as usize].to_vec(),
                executable: ph.is_executable(),
                writable: ph.is_write(),
            })
            .collect();
        // AT_PHDR: PT_PHDR's address, else the headers' place in the segment that maps them.
        let phoff = header.e_phoff;
        let phdr = phdrs
            .iter()
            .find(|ph| ph.p_type == program_header::PT_PHDR)
            .map(|ph| ph.p_vaddr)
            .or_else(|| {
                loads
                    .iter()
                    .find(|ph| phoff >= ph.p_offset && phoff - ph.p_offset < ph.p_filesz)
                    .map(|ph| ph.p_vaddr + (phoff - ph.p_offset))
            })
            .unwrap_or(0);

        // The file-backed part of the executable segment holding `a`.
        let exec_extent = |a: u64| {
            segments
                .iter()
                .find(|s| s.executable && a >= s.vaddr && a - s.vaddr < s.data.len() as u64)
                .map(|s| (s.vaddr, s.vaddr + s.data.len() as u64))
        };
        if exec_extent(header.e_entry).is_none() {
            bail!(
                "malformed ELF file: the entry point e_entry {:#x} is not in an executable segment",
                header.e_entry
            );
        }
        let mut code_ranges = Vec::new();
        for (i, sh) in sections.headers.iter().enumerate() {
            let is_code = sh.sh_flags & section_header::SHF_EXECINSTR as u64 != 0
                && sh.sh_type != section_header::SHT_NOBITS
                && sh.sh_size > 0;
            // Code sections the program headers do not map executable are not code at run time.
            let Some((lo, hi)) = exec_extent(sh.sh_addr).filter(|_| is_code) else {
                continue;
            };
            if sh.sh_size > hi - sh.sh_addr {
                bail!(
                    "malformed ELF file: section {i} ({}) at {:#x} with sh_size {:#x} runs past the end of its executable segment ({lo:#x}..{hi:#x})",
                    sections.name(sh),
                    sh.sh_addr,
                    sh.sh_size
                );
            }
            code_ranges.push((sh.sh_addr, sh.sh_addr + sh.sh_size));
        }
        if code_ranges.is_empty() {
            code_ranges = segments
                .iter()
                .filter(|s| s.executable)
                .map(|s| (s.vaddr, s.vaddr + s.data.len() as u64))
                .collect();
        }
        // Overlapping ranges are merged, so that the work per code byte (a
        // linear sweep, a decode) is done once however many sections claim it.
        code_ranges.sort();
        let mut merged: Vec<(u64, u64)> = Vec::with_capacity(code_ranges.len());
        for (lo, hi) in code_ranges {
            match merged.last_mut() {
                Some(last) if lo < last.1 => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }

        // Unwind tables: by section name, else through PT_GNU_EH_FRAME.
        let eh_frame = sections
            .headers
            .iter()
            .find(|sh| sections.name(sh) == ".eh_frame")
            .map(|sh| (sh.sh_addr, sh.sh_size));

        Ok(GuestImage {
            arch,
            entry: header.e_entry,
            segments,
            phdr,
            phnum: header.e_phnum as u64,
            phent: header.e_phentsize as u64,
            code_ranges: merged,
            unwind: Default::default(),
        }
        .with_unwind_info(eh_frame, &phdrs))
    }

    /// Fills in [`GuestImage::unwind`] from the `.eh_frame` section
    /// (address, size), or from the `.eh_frame_hdr` segment without one.
    fn with_unwind_info(mut self, section: Option<(u64, u64)>, phdrs: &[ProgramHeader]) -> Self {
        let located = section.or_else(|| {
            // .eh_frame_hdr: version, eh_frame_ptr encoding, ..., then the
            // pointer; GNU ld writes it pc-relative sdata4.
            let hdr = phdrs
                .iter()
                .find(|p| p.p_type == program_header::PT_GNU_EH_FRAME)?;
            let head = self.read_bytes(hdr.p_vaddr, 8)?;
            if head[0] != 1 || head[1] != 0x1b {
                return None;
            }
            let rel = i32::from_le_bytes(head[4..8].try_into().unwrap()) as i64;
            let at = hdr.p_vaddr.wrapping_add(4).wrapping_add(rel as u64);
            let seg = self
                .segments
                .iter()
                .find(|s| at >= s.vaddr && at < s.vaddr + s.data.len() as u64)?;
            Some((at, seg.vaddr + seg.data.len() as u64 - at))
        });
        if let Some((addr, size)) = located {
            if let Some(data) = self.read_bytes(addr, size as usize) {
                let data = data.to_vec();
                let read = |a: u64, n: usize| self.read_bytes(a, n).map(|b| b.to_vec());
                let mut info = unwind::parse(&data, addr, &read);
                info.functions.retain(|&(lo, _)| self.is_code(lo));
                info.landing_pads.retain(|&a| self.is_code(a));
                self.unwind = info;
            }
        }
        self
    }

    /// Is `addr` inside a code range?
    pub fn is_code(&self, addr: u64) -> bool {
        self.code_ranges
            .iter()
            .any(|&(lo, hi)| addr >= lo && addr < hi)
    }

    /// Bytes of code at `addr` up to the end of its code range.
    pub fn code_bytes(&self, addr: u64) -> Option<&[u8]> {
        let &(_, hi) = self
            .code_ranges
            .iter()
            .find(|&&(lo, hi)| addr >= lo && addr < hi)?;
        let seg = self
            .segments
            .iter()
            .find(|s| addr >= s.vaddr && addr < s.vaddr + s.data.len() as u64)?;
        let off = (addr - seg.vaddr) as usize;
        let end = ((hi - seg.vaddr) as usize).min(seg.data.len());
        Some(&seg.data[off..end])
    }

    /// `n` initialised bytes at `addr` from any segment (code or data).
    pub fn read_bytes(&self, addr: u64, n: usize) -> Option<&[u8]> {
        let seg = self
            .segments
            .iter()
            .find(|s| addr >= s.vaddr && addr - s.vaddr <= s.data.len() as u64)?;
        let off = (addr - seg.vaddr) as usize;
        seg.data.get(off..off.checked_add(n)?)
    }

    /// Lowest image address, rounded down to a guest page.
    pub fn image_start(&self) -> u64 {
        self.segments.iter().map(|s| s.vaddr).min().unwrap_or(0) & !0xfff
    }

    /// One past the highest image address, rounded up to a guest page.
    pub fn image_end(&self) -> u64 {
        (self
            .segments
            .iter()
            .map(|s| s.vaddr + s.memsz)
            .max()
            .unwrap_or(0)
            + 0xfff)
            & !0xfff
    }
}
