//! Debian's busybox-static for riscv64 (stripped, built by Debian, fetched by
//! `scripts/corpus/fetch-busybox.sh`), driven by the shell scripts in `tests/corpus/busybox/`.
//!
//! A workload is a POSIX shell script run by the host's `/bin/sh` in a fresh scratch directory.
//! Each `bb ARGS...` in it is one run of the guest busybox: `bb` is a wrapper on the script's
//! PATH that runs `busybox ARGS...` under qemu-riscv64 (the oracle) or under `elfconv2 run`.
//! The guest applets (and `bb sh`, busybox's own shell running builtins) touch files,
//! directories and time; the host shell only sequences them and echoes exit codes. The whole
//! script's stdout, stderr, exit code and the files it leaves must be the same both ways.
//!
//! The host shell, not busybox's, strings the runs together because busybox's shell forks for
//! every applet it runs and for pipelines, and fork comes in a later issue.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use super::{corpus_program, run_to_translate, work_dir, workload_files, BASE_ENV};
use elfconv2_tests::compare::snapshot_dir;
use elfconv2_tests::observe::{fresh_dir, trial, Observed, StatusMatch};
use elfconv2_tests::process::{quote, Cmd};
use elfconv2_tests::{paths, tools};
use libtest_mimic::Trial;

/// Fetches busybox (once per test run).
fn busybox_elf() -> Result<&'static Path, String> {
    static ELF: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    ELF.get_or_init(|| corpus_program("fetch-busybox.sh", &[]))
        .as_deref()
        .map_err(|e| format!("fetching busybox failed: {e}"))
}

/// How the `bb` wrapper runs the guest.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Runner {
    Qemu,
    Elfconv2,
}

impl Runner {
    fn label(self) -> &'static str {
        match self {
            Runner::Qemu => "qemu",
            Runner::Elfconv2 => "elfconv2-run",
        }
    }

    /// The command line `bb` execs, before the applet's own arguments. Both give the guest the
    /// same environment: BASE_ENV and nothing else.
    fn command(self, busybox: &Path) -> Result<Vec<String>, String> {
        let mut words = Vec::new();
        match self {
            Runner::Qemu => {
                words.push("env".to_string());
                words.push("-i".to_string());
                words.extend(BASE_ENV.iter().map(|(k, v)| format!("{k}={v}")));
                words.push(tools::require("qemu-riscv64")?.display().to_string());
            }
            Runner::Elfconv2 => {
                // The translation cache `translated()` filled (elfconv2 finds it through these),
                // so busybox translates once.
                words.push("env".to_string());
                for key in ["ELFCONV2_CACHE_DIR", "XDG_CACHE_HOME", "HOME"] {
                    if let Some(v) = std::env::var_os(key) {
                        words.push(format!("{key}={}", v.to_string_lossy()));
                    }
                }
                words.push(paths::elfconv2_bin()?.display().to_string());
                words.push("run".to_string());
                // Code discovery must find all of busybox that the workloads reach.
                words.push("--no-interpret".to_string());
                for (k, v) in BASE_ENV {
                    words.push("--env".to_string());
                    words.push(format!("{k}={v}"));
                }
            }
        }
        words.push(busybox.display().to_string());
        Ok(words)
    }

    /// Writes the `bb` wrapper into `bin` (outside the scratch directory, so it is not among
    /// the files compared).
    fn write_wrapper(self, bin: &Path, busybox: &Path) -> Result<(), String> {
        fresh_dir(bin)?;
        let words: Vec<String> = self.command(busybox)?.iter().map(|w| quote(w)).collect();
        let script = format!("#!/bin/sh\nexec {} \"$@\"\n", words.join(" "));
        let path = bin.join("bb");
        std::fs::write(&path, script).map_err(|e| format!("writing {}: {e}", path.display()))?;
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("chmod {}: {e}", path.display()))
    }
}

/// `busybox true` under `elfconv2 run`, once per test run: it translates busybox and fills the
/// translation cache, so the workloads that follow only load it.
fn translated() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        // A 1.2 MB stripped binary: translating it takes minutes on a loaded 2-core machine.
        run_to_translate(busybox_elf()?, &["true"])
    })
    .clone()
}

/// A shell script from `tests/corpus/busybox/`.
struct Workload {
    name: String,
    path: PathBuf,
}

impl Workload {
    fn observe(&self, runner: Runner, busybox: &Path, dir: &Path) -> Result<Observed, String> {
        let bin = dir.join(format!("bin-{}", runner.label()));
        runner.write_wrapper(&bin, busybox)?;
        let scratch = dir.join(runner.label());
        fresh_dir(&scratch)?;
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into())
        );
        let mut env = vec![("PATH".to_string(), path)];
        env.extend(BASE_ENV.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let out = Cmd::new(tools::require("sh")?)
            .arg(&self.path)
            .env_exact(&env)
            .cwd(&scratch)
            .run()?;
        Ok(Observed {
            status: out.status,
            stdout: out.stdout,
            stderr: out.stderr,
            files: snapshot_dir(&scratch)?,
        })
    }

    fn check(&self) -> Result<(), String> {
        let busybox = busybox_elf()?;
        let dir = work_dir().join("busybox").join(&self.name);
        let expected = self
            .observe(Runner::Qemu, busybox, &dir)
            .map_err(|e| format!("oracle (qemu) run failed: {e}"))?;
        if !expected.status.success() {
            return Err(format!(
                "the workload fails under qemu ({}), so it checks nothing: {}",
                expected.status,
                String::from_utf8_lossy(&expected.stderr)
            ));
        }
        if expected.stdout.is_empty() {
            return Err("the workload prints nothing under qemu, so it checks little".into());
        }
        translated()?;
        let actual = {
            // One workload at a time: each runs dozens of guests one after another.
            static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
            let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
            self.observe(Runner::Elfconv2, busybox, &dir)?
        };
        actual.compare(&expected, StatusMatch::Exact).map_err(|d| {
            format!(
                "`sh {}` with `bb` = `elfconv2 run busybox` (in {}) disagrees with qemu:\n{d}",
                self.path.display(),
                dir.join(Runner::Elfconv2.label()).display()
            )
        })?;
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }
}

pub fn trials(trials: &mut Vec<Trial>) {
    trials.push(trial("busybox::fetch".into(), || busybox_elf().map(|_| ())));
    trials.push(trial("busybox::translate".into(), translated));
    let files = match workload_files("busybox", "sh") {
        Ok(files) => files,
        Err(msg) => {
            trials.push(trial("busybox::workloads".into(), move || Err(msg)));
            return;
        }
    };
    for path in files {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let w = Workload {
            name: name.clone(),
            path,
        };
        trials.push(trial(format!("busybox::{name}"), move || w.check()));
    }
}
