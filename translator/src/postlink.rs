//! After linking: place the guest image in the module. The guest's ELF
//! segments become active data segments at `GUEST_BASE + vaddr`, and the
//! initial memory is raised to cover them. Everything else is copied as is.

use anyhow::{bail, Context, Result};
use elfconv2_lifter::GuestImage;
use elfconv2_syscalls::abi;
use wasm_encoder::{
    ConstExpr, DataCountSection, DataSection, MemorySection, MemoryType, RawSection,
};
use wasmparser::{DataKind, Parser, Payload};

pub fn place_guest_image(linked: &[u8], image: &GuestImage) -> Result<Vec<u8>> {
    let mut module = wasm_encoder::Module::new();
    let mut data = DataSection::new();
    let mut layer_data_end: u64 = 0;
    let mut saw_data = false;
    let mut saw_memory = false;
    let min_pages = (abi::GUEST_BASE as u64 + image.image_end()).div_ceil(abi::WASM_PAGE_SIZE);

    // Each guest segment's bytes up to its last non-zero one: trailing zeros
    // are already zero in fresh Wasm memory. Empty payloads get no segment;
    // the data count below must agree with this.
    let payloads: Vec<(u64, &[u8])> = image
        .segments
        .iter()
        .map(|seg| {
            let len = seg.data.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
            (seg.vaddr, &seg.data[..len])
        })
        .filter(|(_, bytes)| !bytes.is_empty())
        .collect();
    let guest_segments = |data: &mut DataSection| {
        for &(vaddr, bytes) in &payloads {
            let offset = abi::GUEST_BASE as u64 + vaddr;
            data.active(
                0,
                &ConstExpr::i32_const(offset as u32 as i32),
                bytes.iter().copied(),
            );
        }
    };

    for payload in Parser::new(0).parse_all(linked) {
        let payload = payload.context("the linked module is malformed")?;
        match payload {
            Payload::Version { .. } | Payload::End(_) => {}
            Payload::MemorySection(reader) => {
                saw_memory = true;
                let mut mems = MemorySection::new();
                for mem in reader {
                    let mem = mem?;
                    mems.memory(MemoryType {
                        minimum: mem.initial.max(min_pages),
                        maximum: Some((1u64 << 32) / abi::WASM_PAGE_SIZE),
                        memory64: false,
                        shared: false,
                        page_size_log2: None,
                    });
                }
                module.section(&mems);
            }
            Payload::DataCountSection { count, .. } => {
                let guest_count = payloads.len() as u32;
                module.section(&DataCountSection {
                    count: count + guest_count,
                });
            }
            Payload::DataSection(reader) => {
                saw_data = true;
                for seg in reader.clone() {
                    let seg = seg?;
                    if let DataKind::Active { offset_expr, .. } = &seg.kind {
                        let mut ops = offset_expr.get_operators_reader();
                        if let Ok(wasmparser::Operator::I32Const { value }) = ops.read() {
                            layer_data_end =
                                layer_data_end.max(value as u32 as u64 + seg.data.len() as u64);
                        }
                    }
                }
                // Copy the layer's own segments, then add the guest's.
                let mut out = DataSection::new();
                for seg in reader {
                    let seg = seg?;
                    match seg.kind {
                        DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => {
                            let mut ops = offset_expr.get_operators_reader();
                            let offset = match ops.read()? {
                                wasmparser::Operator::I32Const { value } => value,
                                _ => bail!("unexpected data segment offset in the linked module"),
                            };
                            out.active(
                                memory_index,
                                &ConstExpr::i32_const(offset),
                                seg.data.iter().copied(),
                            );
                        }
                        DataKind::Passive => {
                            out.passive(seg.data.iter().copied());
                        }
                    }
                }
                guest_segments(&mut out);
                data = out;
                module.section(&data);
            }
            other => {
                if let Some((id, range)) = other.as_section() {
                    module.section(&RawSection {
                        id,
                        data: &linked[range],
                    });
                }
            }
        }
    }
    if !saw_memory {
        bail!("the linked module has no memory");
    }
    if !saw_data {
        // No layer data at all: still emit the guest's segments.
        guest_segments(&mut data);
        module.section(&data);
    }
    // The syscall layer's data, stack and malloc arena must stay below the guest.
    if layer_data_end + (4 << 20) > abi::GUEST_BASE as u64 {
        bail!("internal error: the syscall layer's data ({layer_data_end} bytes) leaves too little room below GUEST_BASE");
    }
    Ok(module.finish())
}
