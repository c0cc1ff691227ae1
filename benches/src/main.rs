//! elfconv2 benchmark runner: `cargo run --release -p elfconv2-benches -- [options]`.
//!
//! For every C program in `benches/programs/` it builds, once (cached):
//! a native x86-64 binary (gcc -O2), a static riscv64 binary (riscv64-linux-gnu-gcc -O2 -static)
//! and a wasm32-wasi module straight from the C (clang-19 -O2); translates the riscv64 binary with
//! `elfconv2 translate`; then runs native, qemu-riscv64, the direct module and the translated module
//! (both on wasmtime through scripts/run-wasi-wasmtime.py) and `elfconv2 run`, N times each,
//! interleaved. It checks that every run prints the same checksum and writes a Markdown table of
//! medians and ratios to stdout and to `target/bench-results.md`.
//!
//! Exit status: 0 when everything that could run agreed (a missing elfconv2 or a failed translation
//! is reported in the table, not an error); 1 when some outputs disagree; 2 on bad usage.

use std::path::{Path, PathBuf};
use std::time::Instant;

use elfconv2_benches::{json_number, median, render, Cell, Column, Row, COLUMNS};
use elfconv2_tests::meta::{split_words, Meta};
use elfconv2_tests::process::Cmd;
use elfconv2_tests::{build, paths, tools, Arch, Variant};

const USAGE: &str = "\
usage: cargo run --release -p elfconv2-benches -- [options]

options:
  --runs N        runs per measurement, median reported (default 3, or $ELFCONV2_BENCH_RUNS)
  --quick         small inputs (each program's `// quick-args:`), 1 run unless --runs is given
  --only A,B      only these benchmarks (file stems in benches/programs/)
  --out PATH      where to write the Markdown report (default target/bench-results.md)
  -h, --help      this text

elfconv2 is target/release/elfconv2 (after `cargo build --release`) or $ELFCONV2.";

struct Options {
    runs: usize,
    quick: bool,
    only: Option<Vec<String>>,
    out: PathBuf,
}

fn parse_options() -> Result<Options, String> {
    let mut runs: Option<usize> = std::env::var("ELFCONV2_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok());
    let mut quick = false;
    let mut only = None;
    let mut out = paths::target_dir().join("bench-results.md");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--runs" => {
                let v = value("--runs")?;
                runs = Some(
                    v.parse()
                        .ok()
                        .filter(|&n: &usize| n > 0)
                        .ok_or(format!("--runs: `{v}` is not a positive number"))?,
                );
            }
            "--quick" => quick = true,
            "--only" => {
                only = Some(
                    value("--only")?
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .collect(),
                )
            }
            "--out" => out = PathBuf::from(value("--out")?),
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            // `cargo bench` passes --bench; accept and ignore it.
            "--bench" => {}
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Options {
        runs: runs.unwrap_or(if quick { 1 } else { 3 }),
        quick,
        only,
        out,
    })
}

/// A benchmark program and how to run it.
struct Bench {
    name: String,
    source: PathBuf,
    args: Vec<String>,
    cflags: Vec<String>,
}

fn load_benches(opts: &Options) -> Result<Vec<Bench>, String> {
    let dir = paths::workspace_root().join("benches").join("programs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("reading {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .collect();
    files.sort();
    let mut benches = Vec::new();
    for source in files {
        let name = source.file_stem().unwrap().to_string_lossy().into_owned();
        if let Some(only) = &opts.only {
            if !only.contains(&name) {
                continue;
            }
        }
        let text = std::fs::read_to_string(&source)
            .map_err(|e| format!("reading {}: {e}", source.display()))?;
        let meta = Meta::parse(&text).map_err(|e| format!("{}: {e}", source.display()))?;
        let mut args = meta.args.clone();
        if opts.quick {
            // `// quick-args:` is this runner's own header key.
            if let Some(line) = text
                .lines()
                .map(str::trim)
                .take_while(|l| l.starts_with("//") || l.is_empty())
                .find_map(|l| l.trim_start_matches('/').trim().strip_prefix("quick-args:"))
            {
                args = split_words(line).map_err(|e| format!("{}: {e}", source.display()))?;
            }
        }
        benches.push(Bench {
            name,
            source,
            args,
            cflags: meta.cflags,
        });
    }
    if let Some(only) = &opts.only {
        for want in only {
            if !benches.iter().any(|b| &b.name == want) {
                return Err(format!("no benchmark named `{want}` in {}", dir.display()));
            }
        }
    }
    Ok(benches)
}

/// How to start one column's run, once it is built.
enum Runner {
    Plain(Cmd),
    /// Through run-wasi-wasmtime.py: time is its own `run_s`, compile time is recorded aside.
    WasmtimePy {
        module: PathBuf,
        args: Vec<String>,
        /// Working directory (preopened as "." by the script), when it matters.
        cwd: Option<PathBuf>,
    },
}

struct Measuring {
    column: Column,
    runner: Option<Runner>,
    /// Set when the column cannot be (or stopped being) measured.
    failed: Option<(String, String)>,
    secs: Vec<f64>,
    compile: Vec<f64>,
    stdout: Option<String>,
}

fn first_line(s: &str) -> String {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string()
}

fn run_once(m: &mut Measuring, timing_file: &Path) {
    let Some(runner) = &m.runner else { return };
    let (cmd, py) = match runner {
        Runner::Plain(cmd) => (cmd.clone(), false),
        Runner::WasmtimePy { module, args, cwd } => {
            let py = match tools::require_python_wasmtime() {
                Ok(py) => py,
                Err(e) => {
                    m.failed = Some(("no wasmtime-py".into(), e));
                    m.runner = None;
                    return;
                }
            };
            let _ = std::fs::remove_file(timing_file);
            let mut cmd = Cmd::new(py)
                .arg(paths::script("run-wasi-wasmtime.py"))
                .arg("--timing")
                .arg(timing_file)
                .arg(module)
                .args(args);
            if let Some(dir) = cwd {
                cmd = cmd.cwd(dir);
            }
            (cmd, true)
        }
    };
    let shown = cmd.display();
    let out = match cmd.run() {
        Ok(out) => out,
        Err(e) => {
            m.failed = Some(("failed".into(), e));
            m.runner = None;
            return;
        }
    };
    if !out.status.success() {
        m.failed = Some((
            format!("failed ({})", out.status),
            format!("`{shown}`: {}", out.summary()),
        ));
        m.runner = None;
        return;
    }
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if let Some(prev) = &m.stdout {
        if *prev != stdout {
            m.failed = Some((
                "unstable output".into(),
                format!("`{shown}` printed different output on different runs"),
            ));
            m.runner = None;
            return;
        }
    }
    m.stdout = Some(stdout);
    if py {
        let json = std::fs::read_to_string(timing_file).unwrap_or_default();
        match (json_number(&json, "run_s"), json_number(&json, "compile_s")) {
            (Some(run), Some(compile)) => {
                m.secs.push(run);
                m.compile.push(compile);
            }
            _ => {
                m.failed = Some((
                    "no timing".into(),
                    format!("`{shown}` wrote no timing JSON"),
                ));
                m.runner = None;
            }
        }
    } else {
        m.secs.push(out.elapsed.as_secs_f64());
    }
}

/// Our interpreter, built natively: target/release/runtime or $ELFCONV2_RUNTIME.
fn runtime_bin() -> Result<PathBuf, (String, String)> {
    let p = std::env::var_os("ELFCONV2_RUNTIME")
        .map(PathBuf::from)
        .unwrap_or_else(|| paths::target_dir().join("release").join("runtime"));
    if p.is_file() {
        Ok(p)
    } else {
        Err((
            "no runtime".into(),
            format!(
                "{} not found (cargo build --release -p elfconv2-runtime)",
                p.display()
            ),
        ))
    }
}

/// runtime.wasm as runtime/build-wasm.sh leaves it, or $ELFCONV2_RUNTIME_WASM.
fn tools_self_hosted() -> Result<PathBuf, (String, String)> {
    let p = std::env::var_os("ELFCONV2_RUNTIME_WASM")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            paths::target_dir()
                .join("runtime-wasm")
                .join("runtime.wasm")
        });
    if p.is_file() {
        Ok(p)
    } else {
        Err((
            "no runtime.wasm".into(),
            format!("{} not found (run runtime/build-wasm.sh)", p.display()),
        ))
    }
}

fn bench_one(bench: &Bench, opts: &Options, elfconv2: &Result<PathBuf, String>) -> Row {
    let work = paths::target_dir().join("bench").join(&bench.name);
    let _ = std::fs::create_dir_all(&work);
    let compile = |arch: Arch| {
        let v = Variant::new(arch, "-O2");
        eprintln!("[{}] building {} ...", bench.name, arch.name());
        build::compile(&bench.name, &bench.source, &v, &bench.cflags)
    };
    let native = compile(Arch::X86_64);
    let riscv = compile(Arch::Riscv64);
    let direct = compile(Arch::Wasm32Wasi);

    // Translation (timed once: it is a build step, and slow).
    let translated_path = work.join(format!("{}.wasm", bench.name));
    let translate: Result<(PathBuf, f64), (String, String)> = match (elfconv2, &riscv) {
        (Err(e), _) => Err(("no elfconv2".into(), e.clone())),
        (_, Err(e)) => Err(("build failed".into(), e.clone())),
        (Ok(bin), Ok(elf)) => {
            eprintln!("[{}] elfconv2 translate ...", bench.name);
            let _ = std::fs::remove_file(&translated_path);
            let cmd = Cmd::new(bin)
                .arg("translate")
                .arg(elf)
                .arg("-o")
                .arg(&translated_path);
            let shown = cmd.display();
            let started = Instant::now();
            match cmd.run() {
                Ok(out) if out.status.success() && translated_path.is_file() => {
                    Ok((translated_path.clone(), started.elapsed().as_secs_f64()))
                }
                Ok(out) => Err((
                    "translate failed".into(),
                    format!(
                        "`{shown}`: {} {}",
                        out.status,
                        first_line(&String::from_utf8_lossy(&out.stderr))
                    ),
                )),
                Err(e) => Err(("translate failed".into(), e)),
            }
        }
    };

    type Setup = Result<Runner, (String, String)>;
    let build_err = |e: &String| ("build failed".to_string(), e.clone());
    let plain = |cmd: Cmd| Runner::Plain(cmd.cwd(&work));
    let on_wasmtime = |module: &Path| Runner::WasmtimePy {
        module: module.to_path_buf(),
        args: bench.args.clone(),
        cwd: None,
    };
    // runtime.wasm loads its guest from a file, which must be inside the preopened work dir.
    let self_hosted = |module: &Path, as_name: &str| -> Setup {
        let runtime_wasm = tools_self_hosted()?;
        std::fs::copy(module, work.join(as_name))
            .map_err(|e| ("copy failed".to_string(), e.to_string()))?;
        let mut args = vec![as_name.to_string()];
        args.extend(bench.args.iter().cloned());
        Ok(Runner::WasmtimePy {
            module: runtime_wasm,
            args,
            cwd: Some(work.clone()),
        })
    };
    let mut columns: Vec<Measuring> = COLUMNS
        .iter()
        .map(|&column| {
            let setup: Setup = match column {
                Column::Native => native
                    .as_ref()
                    .map_err(build_err)
                    .map(|exe| plain(Cmd::new(exe).args(&bench.args))),
                Column::Qemu => riscv.as_ref().map_err(build_err).and_then(|elf| {
                    let qemu = tools::require("qemu-riscv64").map_err(|e| ("no qemu".into(), e))?;
                    Ok(plain(Cmd::new(qemu).arg(elf).args(&bench.args)))
                }),
                Column::ElfconvRun => match (elfconv2, &riscv) {
                    (Err(e), _) => Err(("no elfconv2".into(), e.clone())),
                    (_, Err(e)) => Err(build_err(e)),
                    (Ok(bin), Ok(elf)) => {
                        Ok(plain(Cmd::new(bin).arg("run").arg(elf).args(&bench.args)))
                    }
                },
                Column::WasmDirect => direct.as_deref().map_err(build_err).map(on_wasmtime),
                Column::Runtime => direct.as_ref().map_err(build_err).and_then(|module| {
                    let bin = runtime_bin()?;
                    Ok(plain(Cmd::new(bin).arg(module).args(&bench.args)))
                }),
                Column::Wasmi => direct.as_ref().map_err(build_err).and_then(|module| {
                    // The wasmi CLI is a comparison point, not a dependency of the
                    // tests: scripts/setup-bench.sh installs it (building takes minutes).
                    let installed = paths::target_dir().join("tools/bin/wasmi");
                    let bin = std::env::var_os("WASMI")
                        .map(PathBuf::from)
                        .or_else(|| installed.is_file().then_some(installed))
                        .or_else(|| tools::which("wasmi"))
                        .ok_or_else(|| {
                            (
                                "no wasmi".to_string(),
                                "wasmi not found: run scripts/setup-bench.sh, or set $WASMI"
                                    .to_string(),
                            )
                        })?;
                    Ok(plain(Cmd::new(bin).arg(module).args(&bench.args)))
                }),
                Column::SelfHosted => direct
                    .as_deref()
                    .map_err(build_err)
                    .and_then(|m| self_hosted(m, "direct.wasm")),
                Column::SelfHostedTranslated => translate
                    .as_ref()
                    .map_err(Clone::clone)
                    .and_then(|(m, _)| self_hosted(m, "translated.wasm")),
                Column::Translated => translate
                    .as_ref()
                    .map(|(module, _)| on_wasmtime(module))
                    .map_err(Clone::clone),
            };
            let (runner, failed) = match setup {
                Ok(r) => (Some(r), None),
                Err(f) => (None, Some(f)),
            };
            Measuring {
                column,
                runner,
                failed,
                secs: Vec::new(),
                compile: Vec::new(),
                stdout: None,
            }
        })
        .collect();

    // Interleave the columns run by run, so slow drifts of the machine hit all of them alike.
    let timing_file = work.join("timing.json");
    for run in 1..=opts.runs {
        for m in &mut columns {
            if m.runner.is_none() {
                continue;
            }
            run_once(m, &timing_file);
            match (&m.failed, m.secs.last()) {
                (Some((label, _)), _) => {
                    eprintln!(
                        "[{}] {} run {run}/{}: {label}",
                        bench.name,
                        m.column.key(),
                        opts.runs
                    )
                }
                (None, Some(s)) => {
                    eprintln!(
                        "[{}] {} run {run}/{}: {s:.3} s",
                        bench.name,
                        m.column.key(),
                        opts.runs
                    )
                }
                _ => {}
            }
        }
    }

    let size = |p: &Path| std::fs::metadata(p).ok().map(|m| m.len());
    let compile_of = |c: Column| {
        columns
            .iter()
            .find(|m| m.column == c)
            .and_then(|m| median(&m.compile))
    };
    Row {
        name: bench.name.clone(),
        compile_direct: compile_of(Column::WasmDirect),
        compile_translated: compile_of(Column::Translated),
        size_direct: direct.as_deref().ok().and_then(size),
        size_translated: translate.as_ref().ok().and_then(|(p, _)| size(p)),
        translate: translate
            .as_ref()
            .map(|(_, t)| *t)
            .map_err(|(l, _)| l.clone()),
        cells: columns
            .into_iter()
            .map(|m| {
                let cell = match (m.failed, m.stdout) {
                    (Some((label, reason)), _) => Cell::Failed { label, reason },
                    (None, Some(stdout)) => Cell::Measured {
                        secs: m.secs,
                        stdout,
                    },
                    (None, None) => Cell::Failed {
                        label: "not run".into(),
                        reason: "no run completed".into(),
                    },
                };
                (m.column, cell)
            })
            .collect(),
    }
}

fn machine_header(opts: &Options) -> Vec<String> {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let version = |tool: &str| tools::version_line(tool).unwrap_or_else(|e| e);
    let short = |tool: &str| {
        let v = version(tool);
        v.split_once(' ')
            .map(|(_, rest)| rest.to_string())
            .unwrap_or(v)
    };
    let py_wasmtime = tools::require_python_wasmtime()
        .ok()
        .and_then(|py| {
            Cmd::new(py)
                .args([
                    "-c",
                    "import importlib.metadata as m; print(m.version('wasmtime'))",
                ])
                .run()
                .ok()
        })
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "not installed".into());
    vec![
        format!(
            "Median of {} run(s){}; {cpu}, {cores} core(s).",
            opts.runs,
            if opts.quick { ", **quick inputs**" } else { "" }
        ),
        format!(
            "Builds: `gcc -O2` (native), `riscv64-linux-gnu-gcc -O2 -static` (qemu, translated), \
             `clang-19 --target=wasm32-wasi -O2` (wasm direct). Tools: {}; {}; {}; {}; wasmtime (PyPI) {py_wasmtime}.",
            short("gcc"),
            short("riscv64-linux-gnu-gcc"),
            short("clang-19"),
            short("qemu-riscv64"),
        ),
    ]
}

fn main() {
    let opts = match parse_options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("elfconv2-benches: {e}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    let benches = match load_benches(&opts) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("elfconv2-benches: {e}");
            std::process::exit(2);
        }
    };
    let elfconv2 = paths::elfconv2_bin();
    if let Err(e) = &elfconv2 {
        eprintln!("elfconv2-benches: {e}; the translated columns will say so");
    }

    let rows: Vec<Row> = benches
        .iter()
        .map(|b| bench_one(b, &opts, &elfconv2))
        .collect();
    let md = render(&rows, &machine_header(&opts));
    println!("\n{md}");
    if let Some(dir) = opts.out.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    match std::fs::write(&opts.out, &md) {
        Ok(()) => eprintln!("wrote {}", opts.out.display()),
        Err(e) => eprintln!("elfconv2-benches: writing {}: {e}", opts.out.display()),
    }

    let mismatched: Vec<&Row> = rows.iter().filter(|r| !r.mismatches().is_empty()).collect();
    if !mismatched.is_empty() {
        for r in mismatched {
            let reference = r
                .cell(Column::Qemu)
                .and_then(Cell::stdout)
                .or_else(|| r.cell(Column::Native).and_then(Cell::stdout))
                .unwrap_or("");
            eprintln!("{}: reference output {:?}", r.name, reference);
            for c in r.mismatches() {
                eprintln!(
                    "{}:   {} printed {:?}",
                    r.name,
                    c.key(),
                    r.cell(c).and_then(Cell::stdout).unwrap_or("")
                );
            }
        }
        eprintln!("elfconv2-benches: outputs disagree (see above)");
        std::process::exit(1);
    }
}
