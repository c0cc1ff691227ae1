//! The lifter's entry point: a guest image in, a wasm32 object file out.

use crate::arch::Arch;
use crate::discover::{discover, Program};
use crate::elf::{GuestArch, GuestImage};
use crate::emit::{emit_function, ModuleCx};
use anyhow::{anyhow, bail, Result};
use inkwell::context::Context;
use inkwell::passes::PassBuilderOptions;
use inkwell::targets::{
    CodeModel, FileType, InitializationConfig, RelocMode, Target, TargetTriple,
};
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
    /// Parallel code-generation jobs (default: the number of cores).
    pub jobs: Option<usize>,
    /// Where compiled objects are cached, and a string identifying the
    /// translator build. Objects are keyed by a digest of everything the
    /// code generator reads (the discovered program, the bytes of its
    /// instructions, the image layout), so binaries that differ only in
    /// what translation never reads (symbols: a `strip`ped copy) share them.
    pub object_cache: Option<(std::path::PathBuf, String)>,
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
    /// wasm32 object files, to be linked together.
    pub objects: Vec<Vec<u8>>,
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
        GuestArch::Riscv64 => lift_with::<crate::riscv::Riscv64>(image, options),
        GuestArch::Aarch64 => bail!("aarch64 is not supported yet"),
    }
}

/// Below this many instructions one module is faster than several.
const MIN_INSNS_PER_PART: usize = 4000;

/// Splits functions into `parts` groups of similar instruction counts.
fn partition(program_functions: &[crate::discover::Function], parts: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..program_functions.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(program_functions[i].blocks.len()));
    let mut groups: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); parts];
    for i in order {
        let g = groups
            .iter_mut()
            .min_by_key(|g| g.0)
            .expect("at least one part");
        g.0 += program_functions[i].blocks.len();
        g.1.push(i);
    }
    groups.into_iter().map(|g| g.1).collect()
}

fn lift_with<A: Arch>(image: &GuestImage, options: &Options) -> Result<Lifted> {
    let started = Instant::now();
    Target::initialize_webassembly(&InitializationConfig::default());
    let arch = A::default();
    let program = discover(&arch, image);
    let discover_time = started.elapsed();

    // Independent LLVM modules, one per core: the Wasm back end dominates
    // translation time and runs per module.
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let function_parts = options
        .jobs
        .unwrap_or(cores)
        .clamp(1, 16)
        .min((program.insns.len() / MIN_INSNS_PER_PART).max(1));
    // With several modules, the dispatcher gets one of its own. It calls
    // every function and many functions call it, so in a module with
    // functions it closes one call-graph SCC over all of them, and LLVM's
    // inliner spends minutes updating that SCC (busybox: 92% of -O2 time).
    let parts = if function_parts > 1 {
        function_parts + 1
    } else {
        1
    };
    let cached = options
        .object_cache
        .as_ref()
        .filter(|_| !options.emit_llvm)
        .map(|(dir, salt)| {
            let digest = program_digest(&program, image, options.opt_level, parts, salt);
            let paths: Vec<_> = (0..parts)
                .map(|i| dir.join(format!("objects-{digest}-{i}.o")))
                .collect();
            (dir, paths)
        });
    if let Some((_, paths)) = &cached {
        let objects: Option<Vec<Vec<u8>>> =
            paths.iter().map(|p| crate::cache_file::read(p)).collect();
        if let Some(objects) = objects {
            return Ok(Lifted {
                objects,
                llvm_ir: None,
                unlifted: unlifted_report(&arch, image, &program),
                functions: program.functions.len(),
                instructions: program.insns.len(),
                lift_time: discover_time,
                codegen_time: Duration::ZERO,
            });
        }
    }
    let mut groups = partition(&program.functions, function_parts);
    if parts > function_parts {
        // The dispatcher's part: no functions (see emit_part).
        groups.insert(0, Vec::new());
    }
    let results: Vec<Result<PartOutput>> = std::thread::scope(|s| {
        let handles: Vec<_> = groups
            .iter()
            .enumerate()
            .map(|(i, group)| {
                let program = &program;
                s.spawn(move || emit_part::<A>(i, group, parts == 1, program, image, options))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow!("internal error: a lifting thread panicked")))
            })
            .collect()
    });
    let mut objects = Vec::new();
    let mut llvm_ir = options.emit_llvm.then(String::new);
    let (mut lift_time, mut codegen_time) = (Duration::ZERO, Duration::ZERO);
    for r in results {
        let part = r?;
        objects.push(part.object);
        if let (Some(all), Some(ir)) = (llvm_ir.as_mut(), part.llvm_ir) {
            all.push_str(&ir);
        }
        lift_time = lift_time.max(part.lift_time);
        codegen_time = codegen_time.max(part.codegen_time);
    }
    if let Some((_, paths)) = &cached {
        // Best effort: a failed write only costs the next translation time.
        for (path, object) in paths.iter().zip(&objects) {
            crate::cache_file::write(path, object);
        }
    }
    Ok(Lifted {
        objects,
        llvm_ir,
        unlifted: unlifted_report(&arch, image, &program),
        functions: program.functions.len(),
        instructions: program.insns.len(),
        lift_time: discover_time + lift_time,
        codegen_time,
    })
}

fn unlifted_report<A: Arch>(
    arch: &A,
    image: &GuestImage,
    program: &Program<A::Insn>,
) -> Vec<UnliftedInsn> {
    program
        .unsupported
        .iter()
        .map(|(pc, why)| UnliftedInsn {
            pc: *pc,
            disassembly: image
                .code_bytes(*pc)
                .map(|b| arch.disassemble(b, *pc))
                .unwrap_or_else(|| format!("{pc:#x}: (no bytes)")),
            reason: why.0.clone(),
        })
        .collect()
}

/// A digest of everything code generation reads: the discovered functions
/// and jump tables, the bytes of every decoded instruction, the image
/// layout, and the settings.
fn program_digest<I>(
    program: &Program<I>,
    image: &GuestImage,
    opt_level: u8,
    parts: usize,
    salt: &str,
) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let num = |h: &mut Sha256, v: u64| h.update(v.to_le_bytes());
    h.update(salt.as_bytes());
    for v in [
        opt_level as u64,
        parts as u64,
        image.arch as u64,
        image.entry,
        image.phdr,
        image.phnum,
        image.phent,
        image.image_start(),
        image.image_end(),
    ] {
        num(&mut h, v);
    }
    for (&pc, d) in &program.insns {
        let len = d.as_ref().map(|d| d.len).unwrap_or(4);
        num(&mut h, pc);
        match image.code_bytes(pc) {
            Some(b) => h.update(&b[..b.len().min(len as usize)]),
            None => h.update(b"-"),
        }
    }
    for f in &program.functions {
        num(&mut h, f.start);
        for list in [&f.blocks, &f.entries, &f.labels] {
            num(&mut h, list.len() as u64);
            for &a in list {
                num(&mut h, a);
            }
        }
    }
    for (&pc, targets) in &program.jump_tables {
        num(&mut h, pc);
        num(&mut h, targets.len() as u64);
        for &t in targets {
            num(&mut h, t);
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

struct PartOutput {
    object: Vec<u8>,
    llvm_ir: Option<String>,
    lift_time: Duration,
    codegen_time: Duration,
}

/// Lifts, optimises and compiles one group of functions. Part 0 also holds
/// the dispatcher and the image description.
fn emit_part<A: Arch>(
    index: usize,
    group: &[usize],
    whole_program: bool,
    program: &Program<A::Insn>,
    image: &GuestImage,
    options: &Options,
) -> Result<PartOutput> {
    let started = Instant::now();
    let mut arch = A::default();
    arch.prepare(program);
    let triple = TargetTriple::create("wasm32-unknown-wasi");
    let target =
        Target::from_triple(&triple).map_err(|e| anyhow!("LLVM has no wasm32 target: {e}"))?;
    let level = match options.opt_level {
        // -O0 keeps the IR as lifted but still colours registers in the back end: without that
        // every SSA value becomes a Wasm local of its own, and a big guest function (bash's
        // parser) exceeds the 50,000 locals a Wasm function may have.
        0 | 1 => OptimizationLevel::Less,
        2 => OptimizationLevel::Default,
        _ => OptimizationLevel::Aggressive,
    };
    let machine = target
        .create_target_machine(
            &triple,
            "generic",
            WASM_FEATURES,
            level,
            RelocMode::Static,
            CodeModel::Default,
        )
        .ok_or_else(|| anyhow!("cannot create a wasm32 target machine"))?;

    let ctx = Context::create();
    let mut m = ModuleCx::new(&ctx, &format!("lifted{index}"), image);
    m.module.set_triple(&triple);
    m.module
        .set_data_layout(&machine.get_target_data().get_data_layout());
    let mine: BTreeSet<u64> = group.iter().map(|&i| program.functions[i].start).collect();
    m.declare_functions(&program.functions, |a| mine.contains(&a), whole_program);
    let starts: BTreeSet<u64> = program.functions.iter().map(|f| f.start).collect();
    let disasm_of = |pc: u64| {
        image
            .code_bytes(pc)
            .map(|b| arch.disassemble(b, pc))
            .unwrap_or_else(|| format!("{pc:#x}: (no bytes)"))
    };
    for &i in group {
        emit_function(
            &m,
            &arch,
            program,
            &program.functions[i],
            &starts,
            &disasm_of,
        );
    }
    if index == 0 {
        m.emit_dispatch(&program.functions);
        m.emit_image_info(image);
    }
    if let Err(e) = m.module.verify() {
        let report = e.to_string();
        if std::env::var_os("ELFCONV2_DEBUG_VERIFY").is_some() {
            // Debug aid: the verifier's whole report.
            eprintln!("{report}");
        }
        bail!(
            "internal error: lifted LLVM IR is invalid: {}",
            report.lines().next().unwrap_or("")
        );
    }
    let lift_time = started.elapsed();
    if let Some(dir) = std::env::var_os("ELFCONV2_DUMP_UNOPTIMISED_IR") {
        // Debug aid: the IR before optimisation, to profile LLVM with `opt`/`llc -time-passes`.
        let path = std::path::Path::new(&dir).join(format!("lifted{index}.ll"));
        m.module
            .print_to_file(&path)
            .map_err(|e| anyhow!("cannot write {}: {e}", path.display()))?;
    }

    let started = Instant::now();
    let passes = match std::env::var("ELFCONV2_PASSES") {
        // Debug aid: try another pass pipeline without rebuilding.
        Ok(p) => p,
        Err(_) => format!("default<O{}>", options.opt_level.min(3)),
    };
    m.module
        .run_passes(&passes, &machine, PassBuilderOptions::create())
        .map_err(|e| anyhow!("LLVM optimisation failed: {e}"))?;
    let llvm_ir = options
        .emit_llvm
        .then(|| m.module.print_to_string().to_string());
    let buffer = machine
        .write_to_memory_buffer(&m.module, FileType::Object)
        .map_err(|e| anyhow!("LLVM code generation failed: {e}"))?;
    Ok(PartOutput {
        object: buffer.as_slice().to_vec(),
        llvm_ir,
        lift_time,
        codegen_time: started.elapsed(),
    })
}
