//! What a program sees of its terminal: `isatty`, the terminal ioctls and `/dev/tty`
//! (`tests/harness/tty_check.c`). The answer depends on the terminal the program runs on, so the
//! differential programs (which run on pipes) cannot check it. Here qemu and every runner run the
//! same program twice:
//! - on a pseudo-terminal that is their controlling terminal (util-linux `script`), where
//!   `/dev/tty` opens and writes reach the terminal;
//! - in a new session with no terminal (util-linux `setsid`), where `/dev/tty` gives ENXIO.
//!
//! Their outputs must be the same. A pty turns `\n` into `\r\n`, for both sides alike.

use elfconv2_tests::observe::fresh_dir;
use elfconv2_tests::process::{quote, Cmd, Output};
use elfconv2_tests::{build, paths, tools, Arch, Variant};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The riscv64 ELF and its translation, built once per test process.
fn programs() -> Result<(PathBuf, PathBuf), String> {
    static BUILT: OnceLock<Result<(PathBuf, PathBuf), String>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let source = paths::workspace_root().join("tests/harness/tty_check.c");
            let elf = build::compile(
                "tty_check",
                &source,
                &Variant::new(Arch::Riscv64, "-O2"),
                &[],
            )?;
            let wasm = work_dir().join("tty_check.wasm");
            fresh_dir(&work_dir())?;
            let out = Cmd::new(paths::elfconv2_bin()?)
                .arg("translate")
                .arg(&elf)
                .arg("-o")
                .arg(&wasm)
                .run()?;
            if !out.status.success() {
                return Err(format!("translating tty_check failed: {}", out.summary()));
            }
            Ok((elf, wasm))
        })
        .clone()
}

fn work_dir() -> PathBuf {
    paths::target_dir().join("terminal-test")
}

/// The commands that run the program: the reference (qemu) first.
fn runners() -> Result<Vec<(&'static str, Vec<String>)>, String> {
    let (elf, wasm) = programs()?;
    let s = |p: &Path| p.display().to_string();
    let elfconv2 = s(&paths::elfconv2_bin()?);
    Ok(vec![
        ("qemu", vec![s(&tools::require("qemu-riscv64")?), s(&elf)]),
        (
            "elfconv2-run",
            vec![elfconv2.clone(), "run".into(), s(&elf)],
        ),
        (
            "self-hosted",
            vec![elfconv2, "run".into(), "--self-hosted".into(), s(&elf)],
        ),
        (
            "node-wasi",
            vec![
                tools::require_node()?,
                s(&paths::script("run-wasi-node.mjs")),
                s(&wasm),
            ],
        ),
        (
            "wasmtime-py",
            vec![
                tools::require_python_wasmtime()?,
                s(&paths::script("run-wasi-wasmtime.py")),
                s(&wasm),
            ],
        ),
    ])
}

/// Runs every runner through `wrap` in its own fresh directory; each output must equal qemu's.
fn check(scenario: &str, wrap: impl Fn(&[String]) -> Result<Cmd, String>) -> Result<(), String> {
    let mut reference: Option<Vec<u8>> = None;
    let mut diffs = Vec::new();
    for (name, argv) in runners()? {
        let dir = work_dir().join(scenario).join(name);
        fresh_dir(&dir)?;
        let out: Output = wrap(&argv)?.cwd(&dir).run()?;
        if !out.status.success() {
            return Err(format!("{name} ({scenario}) failed: {}", out.summary()));
        }
        let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
        if !text.contains("open /dev/tty") {
            return Err(format!(
                "{name} ({scenario}) printed no report: {}",
                out.summary()
            ));
        }
        match &reference {
            None => reference = Some(text.into_bytes()),
            Some(want) => {
                if let Some(d) = elfconv2_tests::compare::diff_bytes(
                    &format!("{name} against qemu ({scenario})"),
                    want,
                    text.as_bytes(),
                ) {
                    diffs.push(d);
                }
            }
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs.join("\n"))
    }
}

#[test]
fn on_a_controlling_terminal() {
    let script = tools::require("script").unwrap_or_else(|e| panic!("{e}"));
    check("terminal", |argv| {
        let line: Vec<String> = argv.iter().map(|a| quote(a)).collect();
        // -e: the program's exit code; -q: no "Script started" lines; log to /dev/null.
        Ok(Cmd::new(&script)
            .args(["-qec", &line.join(" "), "/dev/null"])
            .env_remove("ELFCONV_STRACE"))
    })
    .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn without_a_terminal() {
    let setsid = tools::require("setsid").unwrap_or_else(|e| panic!("{e}"));
    check("no-terminal", |argv| {
        // A new session has no controlling terminal; stdio are the harness's pipes.
        Ok(Cmd::new(&setsid).arg("-w").args(argv))
    })
    .unwrap_or_else(|e| panic!("{e}"));
}
