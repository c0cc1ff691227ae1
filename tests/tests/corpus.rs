//! Corpus tests: real programs not written by this project, static riscv64 executables built
//! from source or taken as Debian ships them, must behave under `elfconv2 run` exactly as under
//! `qemu-riscv64` (the oracle).
//!
//! Programs (busybox is in `corpus/busybox.rs`, which explains its workloads; Debian's bash, an
//! opt-in, in `corpus/bash.rs`):
//! - Debian's busybox-static for riscv64, as Debian built and stripped it, running the shell
//!   scripts in `tests/corpus/busybox/*.sh` (`busybox::<name>`);
//! - the Lua 5.4 interpreter, from Debian's source package (`scripts/corpus/build-lua.sh`
//!   fetches and builds it once into `target/corpus/`), running each workload script in
//!   `tests/corpus/lua/*.lua`. Every workload runs twice: on the interpreter as built
//!   (`lua::<name>`) and on a stripped copy (`lua-stripped::<name>`), which must behave the same.
//!
//! Both compare stdout, stderr, exit code and files left in the cwd. `elfconv2 run` runs them
//! with `--no-interpret`: reaching code that discovery missed fails the test, rather than
//! passing through the interpreter unseen.
//!
//! A Lua workload may start with `--` comment lines; `-- args:`, `-- stdin:`, `-- env:` and `-- exit:`
//! mean what `// args:` ... mean for `tests/programs/*.c` (see `elfconv2_tests::meta`).
//!
//! Run with `cargo test --release -p elfconv2-tests --test corpus`; filter like libtest, e.g.
//! `-- lua::bench` or `-- busybox::`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use elfconv2_tests::compare::{diff_bytes, snapshot_dir};
use elfconv2_tests::meta::Meta;
use elfconv2_tests::observe::{fresh_dir, trial, Observed, StatusMatch};
use elfconv2_tests::process::{default_timeout, Cmd, Status};
use elfconv2_tests::{paths, tools};
use libtest_mimic::{Arguments, Trial};

/// The environment every guest gets, under qemu and under elfconv2 alike (as in differential.rs).
const BASE_ENV: &[(&str, &str)] = &[("LC_ALL", "C"), ("TZ", "UTC"), ("ELFCONV2_TEST", "1")];

fn corpus_dir() -> PathBuf {
    paths::target_dir().join("corpus")
}

fn work_dir() -> PathBuf {
    corpus_dir().join("runs")
}

/// The two builds of the interpreter every workload runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LuaBuild {
    /// As `scripts/corpus/build-lua.sh` built it, with symbols.
    Unstripped,
    /// A copy run through `riscv64-linux-gnu-strip`.
    Stripped,
}

impl LuaBuild {
    const ALL: [LuaBuild; 2] = [LuaBuild::Unstripped, LuaBuild::Stripped];

    /// The test-name prefix: `lua` or `lua-stripped`.
    fn label(self) -> &'static str {
        match self {
            LuaBuild::Unstripped => "lua",
            LuaBuild::Stripped => "lua-stripped",
        }
    }

    fn elf(self) -> Result<&'static Path, String> {
        match self {
            LuaBuild::Unstripped => lua_elf(),
            LuaBuild::Stripped => lua_stripped_elf(),
        }
    }
}

/// Runs `scripts/corpus/<script>` and returns the path it prints as its last line of stdout (a
/// program it built or fetched into the target directory).
fn corpus_program(script: &str, args: &[&str]) -> Result<PathBuf, String> {
    let script = paths::workspace_root().join("scripts/corpus").join(script);
    // The script builds into the same target directory as this test binary's, and uses its
    // own apt configuration.
    let mut env: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .filter(|(k, _)| k != "CARGO_TARGET_DIR" && k != "APT_CONFIG")
        .collect();
    env.push((
        "CARGO_TARGET_DIR".to_string(),
        paths::target_dir().to_string_lossy().into_owned(),
    ));
    let cmd = Cmd::new(tools::require("bash")?)
        .arg(&script)
        .args(args)
        .env_exact(&env);
    let shown = format!("bash {} {}", script.display(), args.join(" "));
    let out = cmd.run()?;
    if !out.status.success() {
        return Err(format!(
            "`{shown}` failed ({}); its messages:\n{}\n(a missing tool or failed download: run scripts/setup.sh)",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim_end()
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let path = PathBuf::from(stdout.lines().last().unwrap_or("").trim());
    if !path.is_file() {
        return Err(format!(
            "`{shown}` succeeded but printed no program path (stdout: {stdout:?})"
        ));
    }
    Ok(path)
}

/// `elfconv2 run ELF ARGS...`, which must exit 0: run once per test run before a program's
/// workloads, it translates the program into the cache, so the workloads only load it.
fn run_to_translate(elf: &Path, args: &[&str]) -> Result<(), String> {
    let cmd = Cmd::new(paths::elfconv2_bin()?)
        .arg("run")
        .arg(elf)
        .args(args)
        .timeout(default_timeout() * 3);
    let shown = cmd.display();
    let out = cmd.run()?;
    if out.status != Status::Exited(0) {
        return Err(format!("`{shown}` failed: {}", out.summary()));
    }
    Ok(())
}

/// Builds the Lua interpreter (once per test run) with `scripts/corpus/build-lua.sh`.
fn lua_elf() -> Result<&'static Path, String> {
    static ELF: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    ELF.get_or_init(|| corpus_program("build-lua.sh", &[]))
        .as_deref()
        .map_err(|e| format!("building Lua failed: {e}"))
}

/// A stripped copy of the interpreter, `lua-stripped` beside it, made once per test run (`strip`
/// is deterministic, so the copy and elfconv2's cache entries for it stay the same across runs).
fn lua_stripped_elf() -> Result<&'static Path, String> {
    static ELF: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    ELF.get_or_init(|| {
        let lua = lua_elf()?;
        let stripped = lua.with_file_name("lua-stripped");
        // Written beside it and renamed, so no reader ever sees half a file.
        let partial = lua.with_file_name(format!("lua-stripped.tmp{}", std::process::id()));
        let strip = Cmd::new(tools::require("riscv64-linux-gnu-strip")?)
            .arg("-o")
            .arg(&partial)
            .arg(lua);
        let shown = strip.display();
        let out = strip.run()?;
        if !out.status.success() {
            let _ = std::fs::remove_file(&partial);
            return Err(format!("`{shown}` failed: {}", out.summary()));
        }
        std::fs::rename(&partial, &stripped).map_err(|e| {
            format!(
                "renaming {} to {}: {e}",
                partial.display(),
                stripped.display()
            )
        })?;
        Ok(stripped)
    })
    .as_deref()
    .map_err(|e| format!("stripping Lua failed: {e}"))
}

/// `lua -v` under qemu and under `elfconv2 run`, once per test run and build. Its first
/// `elfconv2 run` translates the interpreter and fills elfconv2's translation cache, so the
/// workloads that follow neither translate nor compile again (each on its own, all at once).
fn lua_version(build: LuaBuild) -> Result<(), String> {
    static DONE: [OnceLock<Result<(), String>>; 2] = [OnceLock::new(), OnceLock::new()];
    let slot = LuaBuild::ALL.iter().position(|&b| b == build).unwrap();
    DONE[slot]
        .get_or_init(|| {
            if build == LuaBuild::Stripped {
                // The stripped copy discovers the same code, so it reuses the compiled objects of
                // the unstripped build: translate that first rather than both at once.
                let _ = lua_version(LuaBuild::Unstripped);
            }
            let lua = build.elf()?;
            let env: Vec<(String, String)> = BASE_ENV
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let expected = Cmd::new(tools::require("qemu-riscv64")?)
                .env_exact(&env)
                .arg(lua)
                .arg("-v")
                .run()
                .map_err(|e| format!("oracle (qemu) run failed: {e}"))?;
            if !expected.status.success() {
                return Err(format!("`lua -v` fails under qemu: {}", expected.summary()));
            }
            // Translating a program of this size takes minutes on a loaded machine.
            let cmd = Cmd::new(paths::elfconv2_bin()?)
                .arg("run")
                .args(
                    env.iter()
                        .flat_map(|(k, v)| ["--env".to_string(), format!("{k}={v}")]),
                )
                .arg(lua)
                .arg("-v")
                .timeout(default_timeout() * 3);
            let shown = cmd.display();
            let actual = cmd.run()?;
            let mut problems = Vec::new();
            if actual.status != expected.status {
                problems.push(format!(
                    "expected {}, got {}",
                    expected.status, actual.status
                ));
            }
            problems.extend(diff_bytes("stdout", &expected.stdout, &actual.stdout));
            problems.extend(diff_bytes("stderr", &expected.stderr, &actual.stderr));
            if problems.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "`{shown}` disagrees with qemu:\n{}",
                    problems.join("\n")
                ))
            }
        })
        .clone()
}

/// A Lua script from `tests/corpus/lua/`.
struct Workload {
    name: String,
    file_name: String,
    source: Vec<u8>,
    meta: Meta,
}

impl Workload {
    fn load(path: &Path) -> Result<Workload, String> {
        let source = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        let text = String::from_utf8_lossy(&source);
        // The leading `--` comment lines, read as a C program's `//` header.
        let header: String = text
            .lines()
            .take_while(|l| l.trim_start().starts_with("--"))
            .map(|l| format!("//{}\n", &l.trim_start()[2..]))
            .collect();
        let meta = Meta::parse(&header).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Workload {
            name: path.file_stem().unwrap().to_string_lossy().into_owned(),
            file_name: path.file_name().unwrap().to_string_lossy().into_owned(),
            source,
            meta,
        })
    }

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

    /// `lua <script> <args>`: the script is copied into the fresh scratch directory and named
    /// relatively, so its messages name it the same way under every runner.
    fn observe(&self, cmd: Cmd, scratch: &Path) -> Result<Observed, String> {
        fresh_dir(scratch)?;
        std::fs::write(scratch.join(&self.file_name), &self.source)
            .map_err(|e| format!("writing into {}: {e}", scratch.display()))?;
        let out = cmd
            .arg(&self.file_name)
            .args(&self.meta.args)
            .cwd(scratch)
            .stdin(&self.meta.stdin)
            .run()?;
        Ok(Observed {
            status: out.status,
            stdout: out.stdout,
            stderr: out.stderr,
            files: snapshot_dir(scratch)?,
        })
    }

    fn check(&self, build: LuaBuild) -> Result<(), String> {
        let lua = build.elf()?;
        let dir = work_dir().join(build.label()).join(&self.name);

        let qemu = Cmd::new(tools::require("qemu-riscv64")?)
            .env_exact(&self.env())
            .arg(lua);
        let expected = self
            .observe(qemu, &dir.join("qemu"))
            .map_err(|e| format!("oracle (qemu) run failed: {e}"))?;
        if let Some(want) = self.meta.exit {
            if expected.status != Status::Exited(want) {
                return Err(format!(
                    "the `-- exit: {want}` header disagrees with qemu, which gave {}; stderr: {}",
                    expected.status,
                    String::from_utf8_lossy(&expected.stderr)
                ));
            }
        } else if !expected.status.success() {
            return Err(format!(
                "the workload fails under qemu ({}), so it checks nothing: {}",
                expected.status,
                String::from_utf8_lossy(&expected.stderr)
            ));
        }

        // Translates the interpreter if need be; its own result is reported by `<build>::version`.
        let _ = lua_version(build);
        let cmd = Cmd::new(paths::elfconv2_bin()?)
            .arg("run")
            // Code discovery must find all of Lua that the workloads reach.
            .arg("--no-interpret")
            .args(
                self.env()
                    .iter()
                    .flat_map(|(k, v)| ["--env".to_string(), format!("{k}={v}")]),
            )
            .arg(lua);
        let shown = format!(
            "{} {} {}",
            cmd.display(),
            self.file_name,
            self.meta.args.join(" ")
        );
        let scratch = dir.join("elfconv2-run");
        let actual = {
            // One guest at a time: a first run also compiles the module for this machine.
            static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
            let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
            self.observe(cmd, &scratch)?
        };
        actual.compare(&expected, StatusMatch::Exact).map_err(|d| {
            format!(
                "`{shown}` (in {}) disagrees with qemu:\n{d}",
                scratch.display()
            )
        })?;
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }
}

fn lua_trials(trials: &mut Vec<Trial>) {
    trials.push(trial("lua::build".into(), || lua_elf().map(|_| ())));
    trials.push(trial("lua-stripped::build".into(), || {
        lua_stripped_elf().map(|_| ())
    }));
    for build in LuaBuild::ALL {
        trials.push(trial(format!("{}::version", build.label()), move || {
            lua_version(build)
        }));
    }
    let files = match workload_files("lua", "lua") {
        Ok(files) => files,
        Err(msg) => {
            trials.push(trial("lua::workloads".into(), move || Err(msg)));
            return;
        }
    };
    for path in files {
        match Workload::load(&path) {
            Ok(w) => {
                let w = Arc::new(w);
                for build in LuaBuild::ALL {
                    let w = Arc::clone(&w);
                    let name = format!("{}::{}", build.label(), w.name);
                    trials.push(trial(name, move || w.check(build)));
                }
            }
            Err(e) => {
                let name = path.file_stem().unwrap().to_string_lossy().into_owned();
                trials.push(trial(format!("lua::{name}"), move || Err(e)));
            }
        }
    }
}

/// The workloads `tests/corpus/<program>/*.<ext>`, sorted; an error if there are none.
fn workload_files(program: &str, ext: &str) -> Result<Vec<PathBuf>, String> {
    let dir = paths::workspace_root().join("tests/corpus").join(program);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("reading {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "no {program} workloads (*.{ext}) in {}",
            dir.display()
        ));
    }
    Ok(files)
}

#[path = "corpus/bash.rs"]
mod bash;
#[path = "corpus/busybox.rs"]
mod busybox;

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    lua_trials(&mut trials);
    busybox::trials(&mut trials);
    bash::trials(&mut trials);
    libtest_mimic::run(&args, trials).exit();
}
