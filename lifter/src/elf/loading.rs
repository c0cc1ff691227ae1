//! The checks that come before an ELF file is believed: the header, the
//! program and section header tables, and the loadable segments. Each check
//! is made before the field it guards is used to index, allocate or loop, so
//! a hostile file costs at most the work its own bytes pay for; each failure
//! is one line naming the field.

use anyhow::{bail, Result};
use goblin::container::{Container, Ctx, Endian};
use goblin::elf::{
    header, program_header, section_header, Elf, Header, ProgramHeader, SectionHeader,
};
use goblin::strtab::Strtab;

/// Sizes of the 64-bit ELF structures.
const EHDR_SIZE: usize = 64;
const PHDR_SIZE: u64 = 56;
const SHDR_SIZE: u64 = 64;

/// The ELF64 little-endian context every accepted file uses.
fn ctx() -> Ctx {
    Ctx::new(Container::Big, Endian::Little)
}

/// Does `[offset, offset + size)` lie inside a file of `len` bytes?
fn in_file(offset: u64, size: u64, len: usize) -> bool {
    offset
        .checked_add(size)
        .is_some_and(|end| end <= len as u64)
}

/// The ELF header: magic, class, byte order and length, in that order.
pub(super) fn header(bytes: &[u8]) -> Result<Header> {
    if bytes.len() < 4 || &bytes[..4] != b"\x7fELF" {
        bail!("not an ELF file (bad magic)");
    }
    if bytes.len() < 5 || bytes[4] != header::ELFCLASS64 {
        bail!("not a 64-bit ELF file; only riscv64 and aarch64 are supported");
    }
    if bytes.len() < EHDR_SIZE {
        bail!("truncated ELF file: the header is incomplete");
    }
    if bytes[5] != header::ELFDATA2LSB {
        bail!("big-endian ELF files are not supported");
    }
    match Elf::parse_header(bytes) {
        Ok(h) => Ok(h),
        Err(_) => bail!("truncated ELF file: the header is incomplete"),
    }
}

/// The program header table, checked to lie inside the file.
pub(super) fn program_headers(bytes: &[u8], h: &Header) -> Result<Vec<ProgramHeader>> {
    if h.e_phnum == 0 {
        bail!("malformed ELF file: no program headers (e_phnum is 0)");
    }
    if h.e_phentsize as u64 != PHDR_SIZE {
        bail!(
            "malformed ELF file: e_phentsize is {}, not {PHDR_SIZE}",
            h.e_phentsize
        );
    }
    if !in_file(h.e_phoff, h.e_phnum as u64 * PHDR_SIZE, bytes.len()) {
        bail!(
            "truncated ELF file: the program headers (e_phoff {:#x}, e_phnum {}) extend past the end of the file",
            h.e_phoff,
            h.e_phnum
        );
    }
    ProgramHeader::parse(bytes, h.e_phoff as usize, h.e_phnum as usize, ctx())
        .map_err(|_| anyhow::anyhow!("malformed ELF file: the program headers cannot be read"))
}

/// Does the program need a dynamic loader: a `PT_INTERP`, or a `PT_DYNAMIC`
/// naming shared libraries (`DT_NEEDED`)?
pub(super) fn is_dynamic(bytes: &[u8], phdrs: &[ProgramHeader]) -> bool {
    const DT_NEEDED: u64 = 1;
    phdrs.iter().any(|ph| match ph.p_type {
        program_header::PT_INTERP => true,
        program_header::PT_DYNAMIC if in_file(ph.p_offset, ph.p_filesz, bytes.len()) => {
            let table = &bytes[ph.p_offset as usize..(ph.p_offset + ph.p_filesz) as usize];
            table
                .chunks_exact(16)
                .map(|e| u64::from_le_bytes(e[..8].try_into().unwrap()))
                .take_while(|&tag| tag != 0)
                .any(|tag| tag == DT_NEEDED)
        }
        _ => false,
    })
}

/// The section headers and their names. Sections only locate code and the
/// unwind tables; a file without them (`e_shoff` 0) is still a program.
pub(super) struct Sections<'a> {
    pub headers: Vec<SectionHeader>,
    names: Strtab<'a>,
}

impl Sections<'_> {
    /// The section's name, or "" when the name table does not have it.
    pub fn name(&self, sh: &SectionHeader) -> &str {
        self.names.get_at(sh.sh_name).unwrap_or("")
    }
}

/// The section header table and the section name table, checked to lie
/// inside the file, as is every section that has contents in the file.
pub(super) fn section_headers<'a>(bytes: &'a [u8], h: &Header) -> Result<Sections<'a>> {
    let none = Sections {
        headers: Vec::new(),
        names: Strtab::default(),
    };
    if h.e_shoff == 0 {
        return Ok(none);
    }
    if h.e_shentsize as u64 != SHDR_SIZE {
        bail!(
            "malformed ELF file: e_shentsize is {}, not {SHDR_SIZE}",
            h.e_shentsize
        );
    }
    if !in_file(h.e_shoff, SHDR_SIZE, bytes.len()) {
        bail!(
            "truncated ELF file: the section headers (e_shoff {:#x}) start past the end of the file",
            h.e_shoff
        );
    }
    // With 0xff00 sections or more, e_shnum is 0 and section 0's sh_size holds the count.
    let first_size_at = h.e_shoff as usize + 32;
    let count = match h.e_shnum {
        0 => u64::from_le_bytes(bytes[first_size_at..first_size_at + 8].try_into().unwrap()),
        n => n as u64,
    };
    if !count
        .checked_mul(SHDR_SIZE)
        .is_some_and(|size| in_file(h.e_shoff, size, bytes.len()))
    {
        bail!(
            "truncated ELF file: the section headers (e_shoff {:#x}, {count} of them) extend past the end of the file",
            h.e_shoff
        );
    }
    let headers = SectionHeader::parse(bytes, h.e_shoff as usize, count as usize, ctx())
        .map_err(|_| anyhow::anyhow!("malformed ELF file: the section headers cannot be read"))?;
    for (i, sh) in headers.iter().enumerate() {
        if sh.sh_type != section_header::SHT_NOBITS
            && !in_file(sh.sh_offset, sh.sh_size, bytes.len())
        {
            bail!(
                "truncated ELF file: section {i} (sh_offset {:#x}, sh_size {:#x}) extends past the end of the file",
                sh.sh_offset,
                sh.sh_size
            );
        }
    }
    let mut names_index = h.e_shstrndx as u64;
    if names_index == section_header::SHN_XINDEX as u64 {
        names_index = headers.first().map_or(0, |sh| sh.sh_link as u64);
    }
    if names_index == section_header::SHN_UNDEF as u64 {
        return Ok(Sections { headers, ..none });
    }
    let Some(table) = headers.get(names_index as usize) else {
        bail!(
            "malformed ELF file: e_shstrndx {names_index} is not a section (the file has {count})"
        );
    };
    if table.sh_type == section_header::SHT_NOBITS {
        bail!(
            "malformed ELF file: the section name table (e_shstrndx {names_index}) has no contents"
        );
    }
    let names = Strtab::parse(bytes, table.sh_offset as usize, table.sh_size as usize, 0).map_err(
        |_| anyhow::anyhow!("malformed ELF file: the section name table cannot be read"),
    )?;
    Ok(Sections { headers, names })
}

/// The `PT_LOAD` segments with contents, checked: their bytes lie inside the
/// file, they fit the guest address space with room for the stack and heap
/// above them (see `elfconv2_syscalls::layout`), and no two overlap.
/// Returned in address order.
pub(super) fn loadable_segments(
    bytes: &[u8],
    phdrs: &[ProgramHeader],
) -> Result<Vec<ProgramHeader>> {
    // The image must leave the upper half of the guest address space to the
    // stack, brk and mmap, which the syscall layer places above it.
    let image_limit = elfconv2_syscalls::abi::GUEST_ADDR_LIMIT / 2;
    // Linux maps nothing below 64 KiB (vm.mmap_min_addr), so null pointers
    // fault; the syscall layer keeps its signal-return address there.
    const LOWEST_ADDRESS: u64 = 0x10000;
    const _: () = assert!(elfconv2_syscalls::sigframe::SIGRETURN_PC < LOWEST_ADDRESS);
    let mut loads: Vec<(usize, ProgramHeader)> = Vec::new();
    for (i, ph) in phdrs.iter().enumerate() {
        if ph.p_type != program_header::PT_LOAD || ph.p_memsz == 0 {
            continue;
        }
        if !in_file(ph.p_offset, ph.p_filesz, bytes.len()) {
            bail!(
                "truncated ELF file: segment {i} (p_offset {:#x}, p_filesz {:#x}) extends past the end of the file",
                ph.p_offset,
                ph.p_filesz
            );
        }
        if ph.p_filesz > ph.p_memsz {
            bail!(
                "malformed ELF file: segment {i}'s p_filesz {:#x} exceeds its p_memsz {:#x}",
                ph.p_filesz,
                ph.p_memsz
            );
        }
        if ph.p_vaddr < LOWEST_ADDRESS {
            bail!(
                "segment {i} is linked at p_vaddr {:#x}, below {LOWEST_ADDRESS:#x}, where Linux maps nothing",
                ph.p_vaddr
            );
        }
        if ph
            .p_vaddr
            .checked_add(ph.p_memsz)
            .is_none_or(|end| end > image_limit)
        {
            bail!(
                "segment {i} (p_vaddr {:#x}, p_memsz {:#x}) reaches above {image_limit:#x}, which the Wasm address space cannot hold next to the stack and heap",
                ph.p_vaddr,
                ph.p_memsz
            );
        }
        loads.push((i, ph.clone()));
    }
    if loads.is_empty() {
        bail!("malformed ELF file: no loadable segments");
    }
    loads.sort_by_key(|(_, ph)| ph.p_vaddr);
    for pair in loads.windows(2) {
        let ((i, a), (j, b)) = (&pair[0], &pair[1]);
        if a.p_vaddr + a.p_memsz > b.p_vaddr {
            bail!(
                "malformed ELF file: segments {i} ({:#x}..{:#x}) and {j} ({:#x}..{:#x}) overlap",
                a.p_vaddr,
                a.p_vaddr + a.p_memsz,
                b.p_vaddr,
                b.p_vaddr + b.p_memsz
            );
        }
    }
    Ok(loads.into_iter().map(|(_, ph)| ph).collect())
}

#[cfg(test)]
mod tests {
    //! Each rule on a hand-made riscv64 file: an ELF header, two program headers (code at
    //! 0x10000, data at 0x20000) and three section headers (null, .text, .shstrtab).
    use crate::elf::GuestImage;

    const CODE: &[u8] = &[0x13, 0, 0, 0, 0x73, 0, 0, 0]; // nop; ecall
    const NAMES: &[u8] = b"\0.text\0.shstrtab\0";

    /// Field offsets, for the tests' edits.
    const PH: usize = 64; // program headers right after the ELF header
    const CODE_AT: usize = PH + 2 * 56;
    const NAMES_AT: usize = CODE_AT + CODE.len();
    const SH: usize = 256;

    fn put(b: &mut [u8], at: usize, v: u64, width: usize) {
        b[at..at + width].copy_from_slice(&v.to_le_bytes()[..width]);
    }

    fn elf() -> Vec<u8> {
        let mut b = vec![0u8; SH + 3 * 64];
        b[..6].copy_from_slice(b"\x7fELF\x02\x01");
        b[6] = 1;
        put(&mut b, 16, 2, 2); // ET_EXEC
        put(&mut b, 18, 243, 2); // EM_RISCV
        put(&mut b, 20, 1, 4);
        put(&mut b, 24, 0x10000, 8); // e_entry
        put(&mut b, 32, PH as u64, 8); // e_phoff
        put(&mut b, 40, SH as u64, 8); // e_shoff
        put(&mut b, 52, 64, 2);
        put(&mut b, 54, 56, 2);
        put(&mut b, 56, 2, 2);
        put(&mut b, 58, 64, 2);
        put(&mut b, 60, 3, 2);
        put(&mut b, 62, 2, 2); // e_shstrndx

        // PT_LOAD R+X: the code.
        put(&mut b, PH, 1, 4);
        put(&mut b, PH + 4, 5, 4);
        put(&mut b, PH + 8, CODE_AT as u64, 8);
        put(&mut b, PH + 16, 0x10000, 8);
        put(&mut b, PH + 32, CODE.len() as u64, 8);
        put(&mut b, PH + 40, CODE.len() as u64, 8);
        // PT_LOAD R+W: the names, as data, plus bss.
        put(&mut b, PH + 56, 1, 4);
        put(&mut b, PH + 56 + 4, 6, 4);
        put(&mut b, PH + 56 + 8, NAMES_AT as u64, 8);
        put(&mut b, PH + 56 + 16, 0x20000, 8);
        put(&mut b, PH + 56 + 32, NAMES.len() as u64, 8);
        put(&mut b, PH + 56 + 40, 0x1000, 8);
        b[CODE_AT..NAMES_AT].copy_from_slice(CODE);
        b[NAMES_AT..NAMES_AT + NAMES.len()].copy_from_slice(NAMES);
        // Section 1: .text (PROGBITS, ALLOC|EXECINSTR).
        let text = SH + 64;
        put(&mut b, text, 1, 4);
        put(&mut b, text + 4, 1, 4);
        put(&mut b, text + 8, 6, 8);
        put(&mut b, text + 16, 0x10000, 8);
        put(&mut b, text + 24, CODE_AT as u64, 8);
        put(&mut b, text + 32, CODE.len() as u64, 8);
        // Section 2: .shstrtab.
        let names = SH + 128;
        put(&mut b, names, 7, 4);
        put(&mut b, names + 4, 3, 4);
        put(&mut b, names + 24, NAMES_AT as u64, 8);
        put(&mut b, names + 32, NAMES.len() as u64, 8);
        b
    }

    fn error(b: &[u8]) -> String {
        match GuestImage::parse(b) {
            Ok(_) => panic!("accepted"),
            Err(e) => {
                let msg = format!("{e:#}");
                assert!(!msg.contains('\n'), "not one line: {msg}");
                msg
            }
        }
    }

    #[test]
    fn the_hand_made_file_loads() {
        let image = GuestImage::parse(&elf()).unwrap();
        assert_eq!(image.code_ranges, vec![(0x10000, 0x10008)]);
        assert_eq!(image.segments.len(), 2);
        assert_eq!(image.image_end(), 0x21000);
    }

    #[test]
    fn header_tables_must_lie_in_the_file() {
        let mut b = elf();
        put(&mut b, 56, 0x4000, 2);
        assert!(error(&b).contains("program headers (e_phoff 0x40, e_phnum 16384)"));
        let mut b = elf();
        put(&mut b, 54, 32, 2);
        assert!(error(&b).contains("e_phentsize is 32"));
        let mut b = elf();
        let len = b.len() as u64;
        put(&mut b, 40, len - 8, 8);
        assert!(error(&b).contains("section headers (e_shoff"));
        let mut b = elf();
        put(&mut b, 60, 0, 2); // the count moves to section 0's sh_size
        put(&mut b, SH + 32, 1 << 40, 8);
        assert!(error(&b).contains("1099511627776 of them"));
        let mut b = elf();
        put(&mut b, 62, 9, 2);
        assert!(error(&b).contains("e_shstrndx 9 is not a section"));
        let mut b = elf();
        put(&mut b, SH + 128 + 32, 0x1_0000_0000, 8);
        assert!(error(&b).contains("section 2 (sh_offset"));
    }

    #[test]
    fn segments_are_checked_before_they_are_read() {
        for (field, value, says) in [
            (32, 1u64 << 45, "p_filesz"),
            (8, u64::MAX - 4, "p_offset"),
            (40, 1 << 45, "p_memsz"),
            (16, 0xffff_ffff_ffff_0000, "p_vaddr"),
            (40, 0x7fff_ffff, "p_memsz"),
        ] {
            let mut b = elf();
            put(&mut b, PH + field, value, 8);
            if field == 32 {
                put(&mut b, PH + 40, value, 8);
            }
            let e = error(&b);
            assert!(
                e.contains("segment 0") && e.contains(says),
                "{value:#x}: {e}"
            );
        }
        let mut b = elf();
        put(&mut b, PH + 16, 0x400, 8);
        assert!(error(&b).contains("segment 0 is linked at p_vaddr 0x400, below 0x10000"));
        let mut b = elf();
        put(&mut b, PH + 32, 8, 8);
        put(&mut b, PH + 40, 4, 8);
        assert!(error(&b).contains("p_filesz 0x8 exceeds its p_memsz 0x4"));
    }

    #[test]
    fn segments_may_not_overlap() {
        let mut b = elf();
        put(&mut b, PH + 56 + 16, 0x10004, 8);
        assert!(
            error(&b).contains("segments 0 (0x10000..0x10008) and 1 (0x10004..0x11004) overlap")
        );
    }

    #[test]
    fn code_must_be_inside_executable_segments() {
        let mut b = elf();
        put(&mut b, 24, 0x20000, 8);
        assert!(error(&b).contains("e_entry 0x20000 is not in an executable segment"));
        let mut b = elf();
        put(&mut b, SH + 64 + 32, 0x100, 8);
        assert!(error(&b).contains("section 1 (.text) at 0x10000 with sh_size 0x100 runs past"));
        // Overlapping code sections are swept once: their ranges merge.
        let mut b = elf();
        put(&mut b, SH + 128 + 4, 1, 4);
        put(&mut b, SH + 128 + 8, 6, 8);
        put(&mut b, SH + 128 + 16, 0x10004, 8);
        put(&mut b, SH + 128 + 24, CODE_AT as u64 + 4, 8);
        put(&mut b, SH + 128 + 32, 4, 8);
        put(&mut b, 62, 0, 2);
        put(&mut b, SH + 64 + 32, 6, 8);
        assert_eq!(
            GuestImage::parse(&b).unwrap().code_ranges,
            vec![(0x10000, 0x10008)]
        );
    }

    #[test]
    fn dynamic_files_are_refused() {
        let mut b = elf();
        put(&mut b, PH + 56, 3, 4); // the data segment becomes PT_INTERP
        assert!(error(&b).contains("dynamically linked"));
    }
}
