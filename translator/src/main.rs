//! `elfconv2`: translate static Linux ELF binaries (riscv64) to WASI modules,
//! or translate and run them on an embedded wasmtime.

mod cache;
mod link;
mod postlink;
mod run;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use elfconv2_lifter::translate::{lift_to_object, Options};
use elfconv2_lifter::GuestImage;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Ahead-of-time translator from static Linux ELF binaries to WebAssembly.
///
/// elfconv2 lifts a static riscv64 Linux executable to LLVM IR, optimises it
/// and links it with a Linux syscall layer built on WASI. The resulting
/// `.wasm` runs on any WASI runtime, e.g. `wasmtime run --dir . prog.wasm`.
#[derive(Parser)]
#[command(name = "elfconv2", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Translate an ELF executable to a WASI module.
    ///
    /// The architecture is detected from the ELF header. Instructions that
    /// cannot be lifted are listed; if reached at run time they stop the
    /// program with a SIGILL report.
    Translate {
        /// The static ELF executable to translate.
        elf: PathBuf,
        /// Where to write the WASI module.
        #[arg(short = 'o', long = "output", value_name = "OUT.wasm")]
        output: PathBuf,
        #[command(flatten)]
        build: BuildArgs,
        /// Also write the optimised LLVM IR to this file.
        #[arg(long, value_name = "FILE")]
        emit_llvm: Option<PathBuf>,
        /// Print what was translated and how long each stage took.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Translate an ELF executable (cached) and run it on the embedded wasmtime.
    ///
    /// Standard input and output pass through, the guest's exit code becomes
    /// elfconv2's, and the current directory is the guest's current directory.
    /// The guest environment holds only the variables given with --env. The guest
    /// also gets a private, empty /tmp that is removed when the run ends (grant a
    /// /tmp of your own with --dir HOST::/tmp).
    /// Nothing but the guest's own output is printed; instructions that could
    /// not be lifted stop the program with a SIGILL report if reached (use
    /// `elfconv2 translate` to list them).
    Run {
        /// Grant the guest a host directory: HOST, or HOST::GUEST to mount it
        /// under another guest path. May be repeated.
        #[arg(long = "dir", value_name = "HOST[::GUEST]")]
        dirs: Vec<String>,
        /// Set a guest environment variable. May be repeated.
        #[arg(long = "env", value_name = "K=V")]
        envs: Vec<String>,
        /// Trace the guest's system calls to stderr (strace format).
        #[arg(long)]
        strace: bool,
        /// Stop with a report (exit code 132) when the program reaches code that code discovery
        /// missed, instead of interpreting it. Shows whether a translation is complete.
        #[arg(long)]
        no_interpret: bool,
        /// Run the translated module inside the self-hosted runtime (runtime.wasm, our own
        /// interpreter compiled to Wasm), itself on the embedded wasmtime.
        #[arg(long)]
        self_hosted: bool,
        #[command(flatten)]
        build: BuildArgs,
        /// The static ELF executable to run.
        elf: PathBuf,
        /// Arguments for the guest program.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Write out the self-hosted runtime (runtime.wasm), to run translated programs on any
    /// host: `wasmtime run --dir . runtime.wasm prog.wasm args`, or Node.
    RuntimeWasm {
        /// Where to write runtime.wasm.
        #[arg(short = 'o', long = "output", value_name = "OUT.wasm")]
        output: PathBuf,
    },
}

#[derive(Args, Clone)]
struct BuildArgs {
    /// Optimisation level (-O0, -O1, -O2 or -O3).
    #[arg(short = 'O', value_name = "LEVEL", default_value = "2", value_parser = clap::value_parser!(u8).range(0..=3))]
    opt_level: u8,
    /// The wasm-ld to link with (default: wasm-ld or wasm-ld-19 on PATH, or /usr/lib/llvm-19/bin/wasm-ld).
    #[arg(long, value_name = "PATH")]
    linker: Option<PathBuf>,
    /// Code-generation threads (default: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    jobs: Option<usize>,
}

/// Translates `elf_bytes` to a complete WASI module.
fn translate(
    elf_bytes: &[u8],
    build: &BuildArgs,
    verbose: bool,
    report_unlifted: bool,
    emit_llvm: Option<&Path>,
) -> Result<Vec<u8>> {
    let image = GuestImage::parse(elf_bytes)?;
    let wasm_ld = link::find_wasm_ld(build.linker.as_deref())?;
    let options = Options {
        opt_level: build.opt_level,
        emit_llvm: emit_llvm.is_some(),
        jobs: build.jobs,
        object_cache: Some((cache::dir(), cache::codegen_id())),
    };
    let lifted = lift_to_object(&image, &options)?;
    if report_unlifted && !lifted.unlifted.is_empty() {
        eprintln!(
            "elfconv2: warning: {} instruction(s) could not be lifted; reaching one at run time stops the program with SIGILL:",
            lifted.unlifted.len()
        );
        for u in &lifted.unlifted {
            eprintln!("  {}  ({})", u.disassembly, u.reason);
        }
    }
    if let (Some(path), Some(ir)) = (emit_llvm, &lifted.llvm_ir) {
        std::fs::write(path, ir).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let work = tempfile::tempdir().context("cannot create a temporary directory")?;
    let started = std::time::Instant::now();
    let linked = link::link(&wasm_ld, &lifted.objects, work.path())?;
    let module = postlink::place_guest_image(&linked, &image)?;
    if verbose {
        eprintln!(
            "elfconv2: {} functions, {} instructions; lift {:.2?}, optimise+codegen {:.2?}, link {:.2?}; {} bytes",
            lifted.functions,
            lifted.instructions,
            lifted.lift_time,
            lifted.codegen_time,
            started.elapsed(),
            module.len()
        );
    }
    Ok(module)
}

fn read_elf(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

fn main() -> ExitCode {
    // A guest syscall that fails in WASI is an error value inside wasmtime-wasi; with
    // RUST_BACKTRACE set, anyhow would capture a host backtrace for each one (a failing
    // stat took three times as long). elfconv2 never prints those backtraces.
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        // SAFETY: at the start of main, before any other thread exists.
        unsafe { std::env::set_var("RUST_LIB_BACKTRACE", "0") };
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Translate {
            elf,
            output,
            build,
            emit_llvm,
            verbose,
        } => (|| {
            let bytes = read_elf(&elf)?;
            let module = translate(&bytes, &build, verbose, true, emit_llvm.as_deref())
                .with_context(|| format!("{}", elf.display()))?;
            std::fs::write(&output, &module)
                .with_context(|| format!("cannot write {}", output.display()))?;
            // A later `elfconv2 run` of the same ELF need not translate again.
            cache::insert(&cache::key(&bytes, build.opt_level), &module);
            Ok(0)
        })(),
        Command::Run {
            dirs,
            envs,
            strace,
            no_interpret,
            self_hosted,
            build,
            elf,
            args,
        } => (|| {
            let bytes = read_elf(&elf)?;
            let key = cache::key(&bytes, build.opt_level);
            let module =
                cache::get_or_insert(&key, || translate(&bytes, &build, false, false, None))
                    .with_context(|| format!("{}", elf.display()))?;
            let mut envs = envs;
            if strace {
                envs.push("ELFCONV_STRACE=1".into());
            }
            if no_interpret {
                envs.push("ELFCONV_INTERPRET=0".into());
            }
            if self_hosted {
                run::run_self_hosted(&module, &elf.to_string_lossy(), &args, &envs, &dirs)
            } else {
                run::run(&module, &key, &elf.to_string_lossy(), &args, &envs, &dirs)
            }
        })(),
        Command::RuntimeWasm { output } => std::fs::write(&output, run::RUNTIME_WASM)
            .map(|()| 0)
            .with_context(|| format!("cannot write {}", output.display())),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            // One line: the context chain, outermost first.
            let msg: Vec<String> = e.chain().map(|c| c.to_string()).collect();
            eprintln!("elfconv2: error: {}", msg.join(": "));
            ExitCode::from(1)
        }
    }
}
