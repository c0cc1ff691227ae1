//! Loading a guest ELF: validation with clear, one-line errors, and the
//! facts the rest of the pipeline needs (segments, entry, symbols).

use crate::unwind::{self, UnwindInfo};
use anyhow::{bail, Context, Result};
use goblin::elf::{header, program_header, Elf, ProgramHeader};

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
    /// Parses and validates an ELF file. Errors are single, user-facing lines.
    pub fn parse(bytes: &[u8]) -> Result<GuestImage> {
        if bytes.len() < 4 || &bytes[..4] != b"\x7fELF" {
            bail!("not an ELF file (bad magic)");
        }
        if bytes.len() < 5 || bytes[4] != header::ELFCLASS64 {
            bail!("not a 64-bit ELF file; only riscv64 and aarch64 are supported");
        }
        if bytes.len() < goblin::elf64::header::SIZEOF_EHDR {
            bail!("truncated ELF file: the header is incomplete");
        }
        let elf = Elf::parse(bytes)
            .map_err(|e| anyhow::anyhow!("malformed or truncated ELF file: {e}"))?;
        if !elf.little_endian {
            bail!("big-endian ELF files are not supported");
        }
        let arch = match elf.header.e_machine {
            header::EM_RISCV => GuestArch::Riscv64,
            header::EM_AARCH64 => bail!("aarch64 ELF files are not supported yet (riscv64 is)"),
            m => bail!(
                "unsupported architecture {} (machine {m}); elfconv2 translates riscv64 and aarch64",
                header::machine_to_str(m)
            ),
        };
        if elf.interpreter.is_some() || elf.libraries.iter().any(|l| !l.is_empty()) {
            bail!("dynamically linked ELF files are not supported; link the program with -static");
        }
        match elf.header.e_type {
            header::ET_EXEC => {}
            header::ET_DYN => bail!("position-independent (static-pie) executables are not supported yet; link with -static -no-pie"),
            t => bail!("not an executable ELF file (type {})", header::et_to_str(t)),
        }

        let mut segments = Vec::new();
        let mut phdr = 0;
        for ph in &elf.program_headers {
            if ph.p_type == program_header::PT_PHDR {
                phdr = ph.p_vaddr;
            }
            if ph.p_type != program_header::PT_LOAD || ph.p_memsz == 0 {
                continue;
            }
            let start = ph.p_offset as usize;
            let end = start
                .checked_add(ph.p_filesz as usize)
                .context("truncated ELF file")?;
            if end > bytes.len() {
                bail!("truncated ELF file: a segment extends past the end of the file");
            }
            if ph.p_filesz > ph.p_memsz {
                bail!("malformed ELF file: a segment's file size exceeds its memory size");
            }
            segments.push(Segment {
                vaddr: ph.p_vaddr,
                memsz: ph.p_memsz,
                data: bytes[start..end].to_vec(),
                executable: ph.is_executable(),
                writable: ph.is_write(),
            });
            // Without PT_PHDR, the headers are visible if this segment maps them.
            let phoff = elf.header.e_phoff;
            if phdr == 0 && phoff >= ph.p_offset && phoff < ph.p_offset + ph.p_filesz {
                phdr = ph.p_vaddr + (phoff - ph.p_offset);
            }
        }
        if segments.is_empty() {
            bail!("malformed ELF file: no loadable segments");
        }
        let limit = elfconv2_syscalls::abi::GUEST_ADDR_LIMIT;
        if segments
            .iter()
            .any(|s| s.vaddr.checked_add(s.memsz).is_none_or(|e| e > limit / 2))
        {
            bail!("the program is linked at addresses above {:#x}, which the Wasm address space cannot hold", limit / 2);
        }

        let in_exec_segment = |a: u64| {
            segments
                .iter()
                .any(|s| s.executable && a >= s.vaddr && a < s.vaddr + s.data.len() as u64)
        };
        let mut code_ranges: Vec<(u64, u64)> = elf
            .section_headers
            .iter()
            .filter(|sh| {
                sh.sh_flags & goblin::elf::section_header::SHF_EXECINSTR as u64 != 0
                    && sh.sh_size > 0
            })
            .filter(|sh| in_exec_segment(sh.sh_addr))
            .map(|sh| (sh.sh_addr, sh.sh_addr + sh.sh_size))
            .collect();
        if code_ranges.is_empty() {
            code_ranges = segments
                .iter()
                .filter(|s| s.executable)
                .map(|s| (s.vaddr, s.vaddr + s.data.len() as u64))
                .collect();
        }
        code_ranges.sort();

        // Unwind tables: by section name, else through PT_GNU_EH_FRAME.
        let eh_frame = elf
            .section_headers
            .iter()
            .find(|sh| elf.shdr_strtab.get_at(sh.sh_name) == Some(".eh_frame"))
            .map(|sh| (sh.sh_addr, sh.sh_size));

        if !in_exec_segment(elf.entry) {
            bail!(
                "malformed ELF file: the entry point {:#x} is not in an executable segment",
                elf.entry
            );
        }
        Ok(GuestImage {
            arch,
            entry: elf.entry,
            segments,
            phdr,
            phnum: elf.header.e_phnum as u64,
            phent: elf.header.e_phentsize as u64,
            code_ranges,
            unwind: Default::default(),
        }
        .with_unwind_info(eh_frame, &elf.program_headers))
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
            let at = (hdr.p_vaddr + 4).wrapping_add(rel as u64);
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
            .find(|s| addr >= s.vaddr && addr + n as u64 <= s.vaddr + s.data.len() as u64)?;
        let off = (addr - seg.vaddr) as usize;
        Some(&seg.data[off..off + n])
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
