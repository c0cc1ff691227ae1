//! `elfconv2 run --strace` and `ELFCONV_STRACE=1` print strace's format. The oracle is the real
//! strace: `tests/harness/trace_check.c` is built for the build machine and traced by `strace`,
//! built for riscv64 and traced by elfconv2, and for each call the program makes on purpose
//! (a failing open, a pipe, a read, a stat, an unknown syscall, a signal ...) the two lines must
//! agree. Only what legitimately differs is normalised: strace's column alignment of ` = `, and
//! pids/uids in the signal line.

use elfconv2_tests::observe::fresh_dir;
use elfconv2_tests::process::Cmd;
use elfconv2_tests::{build, paths, tools, Arch, Variant};

/// Line prefixes identifying the calls trace_check.c makes on purpose, in program order.
const PROBES: &[&str] = &[
    "openat(AT_FDCWD, \"missing.txt\"",
    "close(-1)",
    "write(1, \"hello\\n\"",
    "pipe2(",
    "write(4, \"abc\"",
    "read(3, ",
    "openat(AT_FDCWD, \"made.txt\"",
    "newfstatat(5, ",
    "syscall_0x1f4(",
    "--- SIGUSR1 ",
    "rt_sigreturn(",
    "--- SIGSEGV ",
    "exit_group(",
    "+++ exited with 3 +++",
];

/// Collapses strace's alignment padding before ` = ` and hides numbers that name this process.
fn normalise(line: &str) -> String {
    let mut s = line.to_string();
    if let Some(eq) = s.rfind(" = ") {
        let head = s[..eq].trim_end().to_string();
        s = format!("{head}{}", &s[eq..]);
    }
    for key in ["si_pid=", "si_uid="] {
        if let Some(at) = s.find(key) {
            let start = at + key.len();
            let end = s[start..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(s.len(), |e| start + e);
            s.replace_range(start..end, "N");
        }
    }
    s
}

/// The probe lines of a trace, in order; fails if one is missing.
fn probe_lines(who: &str, trace: &str) -> Result<Vec<String>, String> {
    let lines: Vec<&str> = trace.lines().collect();
    let mut from = 0;
    let mut out = Vec::new();
    for probe in PROBES {
        match lines[from..].iter().position(|l| l.starts_with(probe)) {
            Some(i) => {
                out.push(normalise(lines[from + i]));
                from += i + 1;
            }
            None => {
                return Err(format!(
                    "{who}'s trace has no line starting with `{probe}` (after the previous probe):\n{trace}"
                ))
            }
        }
    }
    Ok(out)
}

fn trace_of(variant: Variant) -> Result<std::path::PathBuf, String> {
    let source = paths::workspace_root().join("tests/harness/trace_check.c");
    build::compile("trace_check", &source, &variant, &[])
}

/// Runs `cmd` in a fresh directory and returns its stderr (where traces go).
fn stderr_of(cmd: Cmd, dir: &std::path::Path) -> Result<String, String> {
    fresh_dir(dir)?;
    let shown = cmd.display();
    let out = cmd.cwd(dir).run()?;
    if out.status.shell_code() != 3 {
        return Err(format!("`{shown}` should exit with 3: {}", out.summary()));
    }
    Ok(String::from_utf8_lossy(&out.stderr).into_owned())
}

fn check(use_env: bool) -> Result<(), String> {
    let work = paths::target_dir()
        .join("trace-test")
        .join(if use_env { "env" } else { "flag" });
    let native = trace_of(Variant::new(Arch::X86_64, "-O2"))?;
    let strace = tools::require("strace")?;
    let oracle = stderr_of(
        Cmd::new(strace).arg("-q").arg(&native).env_exact(&[]),
        &work.join("strace"),
    )?;
    let riscv = trace_of(Variant::new(Arch::Riscv64, "-O2"))?;
    let mut cmd = Cmd::new(paths::elfconv2_bin()?).arg("run");
    cmd = if use_env {
        cmd.arg("--env").arg("ELFCONV_STRACE=1")
    } else {
        cmd.arg("--strace")
    };
    let ours = stderr_of(cmd.arg(&riscv), &work.join("elfconv2"))?;
    let want = probe_lines("strace", &oracle)?;
    let got = probe_lines("elfconv2", &ours)?;
    let diffs: Vec<String> = want
        .iter()
        .zip(&got)
        .filter(|(w, g)| w != g)
        .map(|(w, g)| format!("  strace:   {w}\n  elfconv2: {g}"))
        .collect();
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "trace lines differ from strace's:\n{}",
            diffs.join("\n")
        ))
    }
}

#[test]
fn strace_flag_prints_strace_format() {
    check(false).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn strace_env_var_prints_strace_format() {
    check(true).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn normalising_only_touches_alignment_and_ids() {
    assert_eq!(
        normalise("close(-1)                               = -1 EBADF (Bad file descriptor)"),
        "close(-1) = -1 EBADF (Bad file descriptor)"
    );
    assert_eq!(
        normalise("--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=16434, si_uid=0} ---"),
        "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=N, si_uid=N} ---"
    );
    assert_eq!(
        normalise("write(1, \"a = b\", 5) = 5"),
        "write(1, \"a = b\", 5) = 5"
    );
}
