//! The lifter's entry point: a guest image in, a wasm32 object file out.

use crate::arch::Arch;
use crate::discover::discover;
use crate::elf::{GuestArch, GuestImage};
use crate::emit::{emit_function, ModuleCx};
use anyhow::{anyhow, bail, Result};
use inkwell::context::Context;
use inkwell::passes::PassBuilderOptions;
use inkwell::targets::{CodeModel, FileType, InitializationConfig, RelocMode, Target, TargetTriple};
use inkwell::OptimizationLevel;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// Translation settings.
#[derive(Clone, Debug)]
pub struct Options {
    /// LLVM optimisation level, 0..=3.
    pub opt_level: u8,
    /// Also return the optimised LLVM IR as text.
    pub emit_llvm: bool,
}

/// One instruction that could not be lifted, for the translate-time report.
#[derive(Clone, Debug)]
pub struct UnliftedInsn {
    pub pc: u64,
    pub disassembly: String,
    pub reason: String,
}

/// The result of lifting.
pub struct Lifted {
    pub object: Vec<u8>,
    pub llvm_ir: Option<String>,
    pub unlifted: Vec<UnliftedInsn>,
    pub functions: usize,
    pub instructions: usize,
    pub lift_time: Duration,
    pub codegen_time: Duration,
}

/// Target features every lifted object uses; the runtimes we support all have them.
const WASM_FEATURES: &str = "+sign-ext,+mutable-globals,+nontrapping-fptoint,+bulk-memory";

pub fn lift_to_object(image: &GuestImage, options: &Options) -> Result<Lifted> {
    match image.arch {
        GuestArch::Riscv64 => lift_with(&crate::riscv::Riscv64::new(), image, options),
        GuestArch::Aarch64 => bail!("aarch64 is not supported yet"),
    }
}

fn lift_with<A: Arch>(arch: &A, image: &GuestImage, options: &Options) -> Result<Lifted> {
    let started = Instant::now();
    Target::initialize_webassembly(&InitializationConfig::default());
    let triple = TargetTriple::create("wasm32-unknown-wasi");
    let target = Target::from_triple(&triple).map_err(|e| anyhow!("LLVM has no wasm32 target: {e}"))?;
    let level = match options.opt_level {
        0 => OptimizationLevel::None,
        1 => OptimizationLevel::Less,
        2 => OptimizationLevel::Default,
        _ => OptimizationLevel::Aggressive,
    };
    let machine = target
        .create_target_machine(&triple, "generic", WASM_FEATURES, level, RelocMode::Static, CodeModel::Default)
        .ok_or_else(|| anyhow!("cannot create a wasm32 target machine"))?;

    let program = discover(arch, image);
    let ctx = Context::create();
    let mut m = ModuleCx::new(&ctx, "lifted", image);
    m.module.set_triple(&triple);
    m.module.set_data_layout(&machine.get_target_data().get_data_layout());
    m.declare_functions(&program.functions);
    let starts: BTreeSet<u64> = program.functions.iter().map(|f| f.start).collect();
    let disasm_of = |pc: u64| image.code_bytes(pc).map(|b| arch.disassemble(b, pc)).unwrap_or_else(|| format!("{pc:#x}: (no bytes)"));
    for f in &program.functions {
        emit_function(&m, arch, &program, f, &starts, &disasm_of);
    }
    m.emit_dispatch(&program.functions);
    m.emit_image_info(image);
    if let Err(e) = m.module.verify() {
        bail!("internal error: lifted LLVM IR is invalid: {}", e.to_string().lines().next().unwrap_or(""));
    }
    let lift_time = started.elapsed();

    let started = Instant::now();
    let passes = format!("default<O{}>", options.opt_level.min(3));
    m.module.run_passes(&passes, &machine, PassBuilderOptions::create()).map_err(|e| anyhow!("LLVM optimisation failed: {e}"))?;
    let llvm_ir = options.emit_llvm.then(|| m.module.print_to_string().to_string());
    let buffer = machine.write_to_memory_buffer(&m.module, FileType::Object).map_err(|e| anyhow!("LLVM code generation failed: {e}"))?;
    let codegen_time = started.elapsed();

    let unlifted = program
        .unsupported()
        .into_iter()
        .map(|(pc, why)| UnliftedInsn { pc, disassembly: disasm_of(pc), reason: why.0.clone() })
        .collect();
    Ok(Lifted {
        object: buffer.as_slice().to_vec(),
        llvm_ir,
        unlifted,
        functions: program.functions.len(),
        instructions: program.insns.len(),
        lift_time,
        codegen_time,
    })
}
