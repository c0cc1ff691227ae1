//! Debian's bash-static for riscv64, as Debian built and stripped it (fetched by
//! `scripts/corpus/fetch-debian-static.sh`), running the scripts in `tests/corpus/bash/`.
//!
//! Opt-in: the trials exist only with `ELFCONV2_CORPUS=all` in the environment, because
//! translating bash takes about 3.5 minutes of the default run's budget. bash is here because
//! it once died at start-up: glibc's NSS (user look-ups) switches through a table that
//! discovery does not find, and the layer's interpreter now runs that code
//! (`syscalls/src/runtime/fallback.rs`).
//!
//! A workload is copied into a fresh scratch directory and run there as `bash-static NAME.sh`
//! under qemu-riscv64 and under `elfconv2 run`; stdout, stderr, the exit code and the files left
//! must agree. Workloads use builtins only: anything that forks waits for the process issue.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::{corpus_program, run_to_translate, work_dir, workload_files, BASE_ENV};
use elfconv2_tests::compare::snapshot_dir;
use elfconv2_tests::observe::{fresh_dir, trial, Observed, StatusMatch};
use elfconv2_tests::process::Cmd;
use elfconv2_tests::{paths, tools};
use libtest_mimic::Trial;

/// Is the opt-in corpus asked for?
fn enabled() -> bool {
    std::env::var("ELFCONV2_CORPUS").is_ok_and(|v| v == "all")
}

/// Fetches bash-static (once per test run).
fn bash_elf() -> Result<&'static Path, String> {
    static ELF: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    ELF.get_or_init(|| {
        corpus_program(
            "fetch-debian-static.sh",
            &[
                "bash-static",
                "bash-static",
                "bin/bash-static",
                "usr/bin/bash-static",
            ],
        )
    })
    .as_deref()
    .map_err(|e| format!("fetching bash-static failed: {e}"))
}

/// `bash-static -c true` under `elfconv2 run`, once: translates bash into the cache.
fn translated() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| run_to_translate(bash_elf()?, &["-c", "true"]))
        .clone()
}

/// Runs `workload` in a fresh `dir` under qemu (`elfconv2` false) or `elfconv2 run`.
fn observe(workload: &Path, dir: &Path, elfconv2: bool) -> Result<Observed, String> {
    fresh_dir(dir)?;
    let name = workload.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::copy(workload, dir.join(&name)).map_err(|e| format!("copying {name}: {e}"))?;
    let bash = bash_elf()?.display().to_string();
    let env: Vec<(String, String)> = BASE_ENV
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let cmd = if elfconv2 {
        // Code discovery must find all of bash that the workloads reach.
        let mut cmd = Cmd::new(paths::elfconv2_bin()?)
            .arg("run")
            .arg("--no-interpret");
        for (k, v) in BASE_ENV {
            cmd = cmd.arg("--env").arg(format!("{k}={v}"));
        }
        // elfconv2 itself needs its cache settings; the guest sees only the --env values.
        let mut host_env = env.clone();
        for key in ["ELFCONV2_CACHE_DIR", "HOME", "PATH"] {
            if let Ok(v) = std::env::var(key) {
                host_env.push((key.to_string(), v));
            }
        }
        cmd.args([bash.as_str(), name.as_str()])
            .env_exact(&host_env)
    } else {
        Cmd::new(tools::require("qemu-riscv64")?)
            .args([bash.as_str(), name.as_str()])
            .env_exact(&env)
    };
    let out = cmd.cwd(dir).run()?;
    Ok(Observed {
        status: out.status,
        stdout: out.stdout,
        stderr: out.stderr,
        files: snapshot_dir(dir)?,
    })
}

fn check(workload: &Path) -> Result<(), String> {
    let stem = workload.file_stem().unwrap().to_string_lossy().into_owned();
    let dir = work_dir().join("bash").join(&stem);
    // Both runs in a directory called `work`, so that `$PWD` reads the same.
    let expected = observe(workload, &dir.join("qemu").join("work"), false)
        .map_err(|e| format!("oracle (qemu) run failed: {e}"))?;
    if expected.stdout.is_empty() {
        return Err("the workload prints nothing under qemu, so it checks little".into());
    }
    translated()?;
    let actual = observe(workload, &dir.join("elfconv2-run").join("work"), true)?;
    actual.compare(&expected, StatusMatch::Exact).map_err(|d| {
        format!("bash-static {stem}.sh under elfconv2 run disagrees with qemu:\n{d}")
    })?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

pub fn trials(trials: &mut Vec<Trial>) {
    if !enabled() {
        return;
    }
    trials.push(trial("bash::fetch".into(), || bash_elf().map(|_| ())));
    trials.push(trial("bash::translate".into(), translated));
    match workload_files("bash", "sh") {
        Ok(files) => {
            for path in files {
                let name = path.file_stem().unwrap().to_string_lossy().into_owned();
                trials.push(trial(format!("bash::{name}"), move || check(&path)));
            }
        }
        Err(msg) => trials.push(trial("bash::workloads".into(), move || Err(msg))),
    }
}
