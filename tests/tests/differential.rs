//! Differential tests: every guest program in `tests/programs/*.{c,cpp}`, compiled for every entry
//! of [`variants()`], must behave identically under `qemu-<arch>` running that very build (the
//! oracle) and as translated Wasm on the variant's runtimes ([`Variant`] -> [`runtimes_for`]):
//! same stdout, stderr, exit code, and files left in its cwd.
//!
//! Also: CLI-contract tests (`cli::...`) for inputs elfconv2 must reject cleanly, and self-checks of
//! the Wasm runner scripts (`harness::...`) against qemu with a program compiled straight to WASI.
//!
//! Run with `cargo test --release -p elfconv2-tests` (or `scripts/test.sh`); filter like libtest,
//! e.g. `cargo test -p elfconv2-tests -- hello::riscv64-O2`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use elfconv2_tests::compare::snapshot_dir;
use elfconv2_tests::meta::Meta;
use elfconv2_tests::observe::{fresh_dir, trial, Observed, StatusMatch};
use elfconv2_tests::process::{Cmd, Output, Status};
use elfconv2_tests::{build, paths, tools, Arch, Lang, Variant};
use libtest_mimic::{Arguments, Trial};

/// Every guest program is compiled, translated and checked in each of these ways.
/// Adding an architecture, optimisation level or stripped build is one line here.
/// A stripped variant is compared with qemu running the same stripped executable.
///
/// The default run (`scripts/test.sh`, CI) checks [`QUICK_VARIANTS`]: translating one static
/// binary costs about a minute of CPU, and CI has 90 minutes on 2 cores. Set
/// `ELFCONV2_TEST_VARIANTS=all` for the whole matrix.
const ALL_VARIANTS: &[Variant] = &[
    Variant::new(Arch::Riscv64, "-O0"),
    Variant::new(Arch::Riscv64, "-O0").stripped(),
    Variant::new(Arch::Riscv64, "-O2"),
    Variant::new(Arch::Riscv64, "-O2").stripped(),
    Variant::new(Arch::Riscv64, "-O3"),
    Variant::new(Arch::Riscv64, "-O3").stripped(),
    // Variant::new(Arch::Aarch64, "-O2"),
];

/// The default subset of [`ALL_VARIANTS`]. The stripped copy shares the unstripped build's
/// compiled objects (the translator caches them by what it reads), so it costs only a link.
const QUICK_VARIANTS: &[Variant] = &[
    Variant::new(Arch::Riscv64, "-O2"),
    Variant::new(Arch::Riscv64, "-O2").stripped(),
];

fn variants() -> &'static [Variant] {
    match std::env::var("ELFCONV2_TEST_VARIANTS").as_deref() {
        Ok("all") => ALL_VARIANTS,
        _ => QUICK_VARIANTS,
    }
}

/// The one variant whose translation runs on every entry of [`RUNTIMES`]. Every other variant
/// runs on `elfconv2 run` only: the Wasm the translator emits does not depend on the runtime, so
/// the other runtimes re-check the runtime side (WASI behaviour) once per program, and the
/// variants re-check the translator, at a third of the cost. qemu runs every variant.
const ALL_RUNTIMES_VARIANT: Variant = Variant::new(Arch::Riscv64, "-O2");

/// The environment every guest gets (before its own `// env:` entries), on every runtime.
const BASE_ENV: &[(&str, &str)] = &[("LC_ALL", "C"), ("TZ", "UTC"), ("ELFCONV2_TEST", "1")];

/// Where translated modules run.
#[derive(Debug, Clone, Copy)]
enum Runtime {
    /// `elfconv2 run <ELF>` on its embedded wasmtime.
    ElfconvRun,
    /// The translated `.wasm` on Node's `node:wasi` (scripts/run-wasi-node.mjs).
    NodeWasi,
    /// The translated `.wasm` on stock wasmtime via PyPI bindings (scripts/run-wasi-wasmtime.py).
    WasmtimePy,
    /// `elfconv2 run --self-hosted <ELF>`: inside runtime.wasm (our own interpreter compiled to
    /// Wasm) on the embedded wasmtime.
    SelfHosted,
}

const RUNTIMES: &[Runtime] = &[
    Runtime::ElfconvRun,
    Runtime::NodeWasi,
    Runtime::WasmtimePy,
    Runtime::SelfHosted,
];

/// The runtimes a variant's translation is checked on: all of [`RUNTIMES`] for
/// [`ALL_RUNTIMES_VARIANT`], `elfconv2 run` alone for every other variant.
fn runtimes_for(variant: &Variant) -> &'static [Runtime] {
    if *variant == ALL_RUNTIMES_VARIANT {
        RUNTIMES
    } else {
        &[Runtime::ElfconvRun]
    }
}

impl Runtime {
    fn name(self) -> &'static str {
        match self {
            Runtime::ElfconvRun => "elfconv2-run",
            Runtime::NodeWasi => "node-wasi",
            Runtime::WasmtimePy => "wasmtime-py",
            Runtime::SelfHosted => "self-hosted",
        }
    }

    /// The command that runs `module` (a .wasm, or the ELF for `elfconv2 run`) with `args`/`env`.
    /// With `no_interpret`, `elfconv2 run` stops at code discovery missed instead of
    /// interpreting it (the other runtimes always interpret it). `translate` are the options
    /// the module was translated with, which `elfconv2 run` needs to find it in its cache.
    fn command(
        self,
        module: &Path,
        args: &[String],
        env: &[(String, String)],
        no_interpret: bool,
        translate: &[String],
    ) -> Result<Cmd, String> {
        let env_opts = env
            .iter()
            .flat_map(|(k, v)| ["--env".to_string(), format!("{k}={v}")]);
        Ok(match self {
            Runtime::ElfconvRun => Cmd::new(paths::elfconv2_bin()?)
                .arg("run")
                .args(translate)
                .args(no_interpret.then_some("--no-interpret"))
                .args(env_opts)
                .arg(module)
                .args(args),
            Runtime::NodeWasi => Cmd::new(tools::require_node()?)
                .arg(paths::script("run-wasi-node.mjs"))
                .args(env_opts)
                .arg(module)
                .args(args),
            Runtime::SelfHosted => Cmd::new(paths::elfconv2_bin()?)
                .arg("run")
                .args(translate)
                .arg("--self-hosted")
                .args(env_opts)
                .arg(module)
                .args(args),
            Runtime::WasmtimePy => Cmd::new(tools::require_python_wasmtime()?)
                .arg(paths::script("run-wasi-wasmtime.py"))
                .args(env_opts)
                .arg(module)
                .args(args),
        })
    }
}

/// Runs `cmd` in a fresh `scratch` directory and records what it did.
fn observe(cmd: Cmd, scratch: &Path, stdin: &[u8]) -> Result<(Observed, Output), String> {
    fresh_dir(scratch)?;
    let out = cmd.cwd(scratch).stdin(stdin).run()?;
    let files = snapshot_dir(scratch)?;
    Ok((
        Observed {
            status: out.status,
            stdout: out.stdout.clone(),
            stderr: out.stderr.clone(),
            files,
        },
        out,
    ))
}

fn work_dir() -> PathBuf {
    paths::target_dir().join("diff-tests")
}

/// A guest program from `tests/programs/` (or `examples/`).
struct Program {
    /// Test-name prefix: the file stem, or `examples::<stem>`.
    id: String,
    /// The file stem; also the executable's name, so argv[0]'s basename.
    name: String,
    path: PathBuf,
    meta: Meta,
}

impl Program {
    fn env(&self) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> = BASE_ENV
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        for (k, v) in &self.meta.env {
            env.retain(|(key, _)| key != k);
            env.push((k.clone(), v.clone()));
        }
        env
    }
}

/// Every C (`*.c`) and C++ (`*.cpp`, `*.cc`, `*.cxx`) program in `tests/programs/`, then in
/// `examples/` (the README's quick-start programs). Two sources with the same stem are an error
/// (the stem names the tests and the executable).
fn load_programs() -> Result<Vec<Arc<Program>>, String> {
    let root = paths::workspace_root();
    let mut programs = Vec::new();
    for (dir, prefix) in [
        (root.join("tests/programs"), ""),
        (root.join("examples"), "examples::"),
    ] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| format!("reading {}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| Lang::of(p).is_some())
            .collect();
        files.sort();
        for path in files {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let id = format!("{prefix}{name}");
            if let Some(other) = programs.iter().find(|p: &&Arc<Program>| p.id == id) {
                return Err(format!(
                    "{} and {} have the same name; rename one",
                    other.path.display(),
                    path.display()
                ));
            }
            let src = std::fs::read_to_string(&path)
                .map_err(|e| format!("reading {}: {e}", path.display()))?;
            let meta = Meta::parse(&src).map_err(|e| format!("{}: {e}", path.display()))?;
            programs.push(Arc::new(Program {
                id,
                name,
                path,
                meta,
            }));
        }
    }
    if programs.is_empty() {
        return Err(format!(
            "no guest programs (*.c, *.cpp) in {}",
            root.join("tests/programs").display()
        ));
    }
    Ok(programs)
}

/// One program in one variant. Building, the oracle run and translating happen at most once per
/// test run, whichever test needs them first.
struct Case {
    prog: Arc<Program>,
    variant: Variant,
    elf: OnceLock<Result<PathBuf, String>>,
    oracle: OnceLock<Result<Observed, String>>,
    wasm: OnceLock<Result<PathBuf, String>>,
}

impl Case {
    fn id(&self) -> String {
        format!(
            "{}::{}-{}",
            self.prog.id,
            self.variant.arch.name(),
            self.variant.label()
        )
    }

    fn dir(&self) -> PathBuf {
        work_dir()
            .join(self.variant.arch.name())
            .join(self.prog.id.replace("::", "/"))
            .join(self.variant.label())
    }

    fn elf(&self) -> Result<&Path, String> {
        self.elf
            .get_or_init(|| {
                build::compile(
                    &self.prog.name,
                    &self.prog.path,
                    &self.variant,
                    &self.prog.meta.cflags,
                )
            })
            .as_deref()
            .map_err(|e| format!("building the guest program failed: {e}"))
    }

    fn oracle(&self) -> Result<&Observed, String> {
        self.oracle
            .get_or_init(|| {
                let elf = self.elf()?;
                let qemu = self.variant.arch.qemu().expect("guest arch has a qemu");
                let cmd = Cmd::new(tools::require(qemu)?)
                    .env_exact(&self.prog.env())
                    .arg(elf)
                    .args(&self.prog.meta.args);
                let (obs, _) = observe(cmd, &self.dir().join("qemu"), &self.prog.meta.stdin)?;
                if let Some(want) = self.prog.meta.exit {
                    if obs.status.shell_code() != want {
                        return Err(format!(
                            "the `// exit: {want}` header disagrees with qemu, which gave {}",
                            obs.status
                        ));
                    }
                }
                Ok(obs)
            })
            .as_ref()
            .map_err(|e| format!("oracle (qemu) run failed: {e}"))
    }

    fn wasm(&self) -> Result<&Path, String> {
        self.wasm
            .get_or_init(|| {
                let elf = self.elf()?;
                let bin = paths::elfconv2_bin()?;
                let dir = self.dir();
                std::fs::create_dir_all(&dir)
                    .map_err(|e| format!("creating {}: {e}", dir.display()))?;
                // argv[0] of the guest is the module path minus `.wasm`, so its basename is the
                // program's name, as for the ELF under qemu.
                let wasm = dir.join(format!("{}.wasm", self.prog.name));
                let _ = std::fs::remove_file(&wasm);
                let cmd = Cmd::new(&bin)
                    .arg("translate")
                    .args(&self.prog.meta.translate)
                    .arg(elf)
                    .arg("-o")
                    .arg(&wasm);
                let shown = cmd.display();
                let out = cmd.run()?;
                if !out.status.success() {
                    return Err(format!("`{shown}` failed: {}", out.summary()));
                }
                let head = std::fs::read(&wasm).map_err(|e| {
                    format!(
                        "`{shown}` succeeded but {} is unreadable: {e}",
                        wasm.display()
                    )
                })?;
                if !head.starts_with(b"\0asm") {
                    return Err(format!(
                        "`{shown}` succeeded but {} is not a Wasm module",
                        wasm.display()
                    ));
                }
                Ok(wasm)
            })
            .as_deref()
            .map_err(|e| format!("translation failed: {e}"))
    }

    fn run_on(&self, rt: Runtime) -> Result<(), String> {
        let expected = self.oracle()?;
        let module = match rt {
            // Translate through `translate` first (once per case): elfconv2 caches the module by
            // the ELF's contents, so `elfconv2 run` then reuses it instead of translating the same
            // ELF a second time in parallel with the `translate` trial.
            Runtime::ElfconvRun | Runtime::SelfHosted => {
                self.wasm()?;
                self.elf()?
            }
            Runtime::NodeWasi | Runtime::WasmtimePy => self.wasm()?,
        };
        // Every program but those that hide code on purpose must be found whole by code
        // discovery: under `elfconv2 run` a miss is a failure, not a detour through the
        // interpreter.
        let meta = &self.prog.meta;
        let cmd = rt.command(
            module,
            &meta.args,
            &self.prog.env(),
            !meta.interpreted,
            &meta.translate,
        )?;
        let shown = cmd.display();
        let scratch = self.dir().join(rt.name());
        let (mut actual, _) = observe(cmd, &scratch, &self.prog.meta.stdin)?;
        actual.stderr = self
            .prog
            .meta
            .strip_fault_report(&actual.stderr)
            .map_err(|e| format!("`{shown}` (in {}): {e}", scratch.display()))?;
        actual
            .compare(expected, StatusMatch::ShellCode)
            .map_err(|d| {
                format!(
                    "`{shown}` (in {}) disagrees with qemu:\n{d}",
                    scratch.display()
                )
            })?;
        let _ = std::fs::remove_dir_all(&scratch);
        Ok(())
    }
}

fn differential_trials(trials: &mut Vec<Trial>) {
    let programs = match load_programs() {
        Ok(p) => p,
        Err(e) => {
            trials.push(trial("programs::load".into(), move || Err(e)));
            return;
        }
    };
    for prog in &programs {
        for variant in variants() {
            let case = Arc::new(Case {
                prog: prog.clone(),
                variant: *variant,
                elf: OnceLock::new(),
                oracle: OnceLock::new(),
                wasm: OnceLock::new(),
            });
            let c = case.clone();
            trials.push(trial(format!("{}::translate", case.id()), move || {
                c.wasm().map(|_| ())
            }));
            for &rt in runtimes_for(variant) {
                // Stock wasmtime refuses proc_exit codes of 126 and above (README), so a
                // program whose correct status is one of those cannot be checked there.
                if matches!(rt, Runtime::WasmtimePy) && prog.meta.exit.is_some_and(|c| c >= 126) {
                    continue;
                }
                let c = case.clone();
                trials.push(trial(format!("{}::{}", case.id(), rt.name()), move || {
                    c.run_on(rt)
                }));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// CLI contract: inputs elfconv2 must refuse with a non-zero exit and one clear line on stderr.

/// An input file that is not a translatable static riscv64 ELF.
#[derive(Debug, Clone, Copy)]
enum BadInput {
    NotElf,
    Empty,
    TruncatedHeader,
    TruncatedBody,
    X86_64Elf,
    DynamicRiscv64,
    Missing,
}

const BAD_INPUTS: &[BadInput] = &[
    BadInput::NotElf,
    BadInput::Empty,
    BadInput::TruncatedHeader,
    BadInput::TruncatedBody,
    BadInput::X86_64Elf,
    BadInput::DynamicRiscv64,
    BadInput::Missing,
];

impl BadInput {
    fn name(self) -> &'static str {
        match self {
            BadInput::NotElf => "not-elf",
            BadInput::Empty => "empty-file",
            BadInput::TruncatedHeader => "truncated-elf-header",
            BadInput::TruncatedBody => "truncated-elf-body",
            BadInput::X86_64Elf => "x86_64-elf",
            BadInput::DynamicRiscv64 => "dynamic-riscv64-elf",
            BadInput::Missing => "missing-file",
        }
    }

    /// Creates the input inside `dir` and returns its path.
    fn create(self, dir: &Path) -> Result<PathBuf, String> {
        let source = paths::workspace_root().join("tests/programs/hello.c");
        let rv = Variant::new(Arch::Riscv64, "-O2");
        let path = dir.join(self.name());
        let write = |data: &[u8]| {
            std::fs::write(&path, data).map_err(|e| format!("writing {}: {e}", path.display()))
        };
        let copy = |from: &Path| {
            std::fs::copy(from, &path)
                .map(|_| ())
                .map_err(|e| format!("copying {}: {e}", from.display()))
        };
        match self {
            BadInput::NotElf => {
                write(b"#!/bin/sh\necho this is a shell script, not an ELF file\n")?
            }
            BadInput::Empty => write(b"")?,
            BadInput::TruncatedHeader | BadInput::TruncatedBody => {
                let elf = build::compile("hello", &source, &rv, &[])?;
                let data =
                    std::fs::read(&elf).map_err(|e| format!("reading {}: {e}", elf.display()))?;
                let keep = match self {
                    BadInput::TruncatedHeader => 40,
                    _ => data.len() / 2,
                };
                write(&data[..keep])?
            }
            BadInput::X86_64Elf => copy(&build::compile(
                "hello",
                &source,
                &Variant::new(Arch::X86_64, "-O2"),
                &[],
            )?)?,
            BadInput::DynamicRiscv64 => {
                copy(&build::compile("hello", &source, &rv.dynamic(), &[])?)?
            }
            BadInput::Missing => return Ok(path),
        }
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("chmod {}: {e}", path.display()))?;
        Ok(path)
    }
}

/// The error contract: a non-zero exit (not a crash), exactly one non-empty line on stderr,
/// and no panic or backtrace text.
fn check_clean_failure(shown: &str, out: &Output) -> Result<(), String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let text = stderr.strip_suffix('\n').unwrap_or(&stderr);
    let mut problems = Vec::new();
    match out.status {
        Status::Exited(0) => problems.push("it exited with code 0".to_string()),
        Status::Exited(_) => {}
        Status::Signaled(s) => problems.push(format!("it crashed (signal {s})")),
    }
    if text.trim().is_empty() {
        problems.push("stderr is empty".to_string());
    } else if text.contains('\n') {
        problems.push(format!(
            "stderr has {} lines, not one",
            text.lines().count()
        ));
    }
    for bad in [
        "panicked",
        "RUST_BACKTRACE",
        "stack backtrace",
        "Stack backtrace",
    ] {
        if stderr.contains(bad) {
            problems.push(format!("stderr mentions `{bad}`"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "`{shown}` should fail cleanly, but {}.\n  {}",
            problems.join(", "),
            out.summary()
        ))
    }
}

fn contract_test(input: BadInput, subcommand: &'static str) -> Result<(), String> {
    let dir = work_dir().join("cli").join(subcommand).join(input.name());
    fresh_dir(&dir)?;
    let path = input.create(&dir)?;

    // The oracle: the real tool must refuse this input too, or the test input is wrong.
    let qemu = tools::require("qemu-riscv64")?;
    let q = Cmd::new(qemu).env_exact(&[]).arg(&path).cwd(&dir).run()?;
    if q.status.success() {
        return Err(format!(
            "harness bug: qemu-riscv64 accepted the `{}` input ({})",
            input.name(),
            q.summary()
        ));
    }

    let bin = paths::elfconv2_bin()?;
    let cmd = match subcommand {
        "translate" => Cmd::new(bin)
            .arg("translate")
            .arg(&path)
            .arg("-o")
            .arg(dir.join("out.wasm")),
        _ => Cmd::new(bin).arg("run").arg(&path),
    }
    .cwd(&dir)
    .env_remove("RUST_BACKTRACE")
    .env_remove("RUST_LIB_BACKTRACE");
    let shown = cmd.display();
    let out = cmd.run()?;
    check_clean_failure(&shown, &out)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn contract_trials(trials: &mut Vec<Trial>) {
    for sub in ["translate", "run"] {
        for &input in BAD_INPUTS {
            trials.push(trial(format!("cli::{sub}::{}", input.name()), move || {
                contract_test(input, sub)
            }));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Self-checks of the runner scripts: a program compiled straight to wasm32-wasi must behave on
// them exactly as its riscv64 build does under qemu (args, env, stdin, exit code, files).

fn runner_check(rt: Runtime) -> Result<(), String> {
    let source = paths::workspace_root().join("tests/harness/runner_check.c");
    let text = std::fs::read_to_string(&source)
        .map_err(|e| format!("reading {}: {e}", source.display()))?;
    let prog = Program {
        id: "runner_check".into(),
        name: "runner_check".into(),
        path: source.clone(),
        meta: Meta::parse(&text)?,
    };
    let env = prog.env();
    let dir = work_dir().join("harness").join(rt.name());

    let elf = build::compile(
        &prog.name,
        &source,
        &Variant::new(Arch::Riscv64, "-O2"),
        &[],
    )?;
    let qemu = Cmd::new(tools::require("qemu-riscv64")?)
        .env_exact(&env)
        .arg(&elf)
        .args(&prog.meta.args);
    let (expected, _) = observe(qemu, &dir.join("qemu"), &prog.meta.stdin)?;
    if Some(expected.status) != prog.meta.exit.map(Status::Exited) {
        return Err(format!(
            "qemu gave {}, the header says {:?}",
            expected.status, prog.meta.exit
        ));
    }

    let wasm = build::compile(
        &prog.name,
        &source,
        &Variant::new(Arch::Wasm32Wasi, "-O2"),
        &[],
    )?;
    let cmd = rt.command(&wasm, &prog.meta.args, &env, false, &[])?;
    let shown = cmd.display();
    let scratch = dir.join("wasm");
    let (actual, _) = observe(cmd, &scratch, &prog.meta.stdin)?;
    actual
        .compare(&expected, StatusMatch::ShellCode)
        .map_err(|d| {
            format!(
                "`{shown}` (in {}) disagrees with qemu:\n{d}",
                scratch.display()
            )
        })?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn harness_trials(trials: &mut Vec<Trial>) {
    for rt in [Runtime::NodeWasi, Runtime::WasmtimePy] {
        trials.push(trial(
            format!("harness::{}-runs-clang-wasi", rt.name()),
            move || runner_check(rt),
        ));
    }
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    harness_trials(&mut trials);
    contract_trials(&mut trials);
    differential_trials(&mut trials);
    libtest_mimic::run(&args, trials).exit();
}
