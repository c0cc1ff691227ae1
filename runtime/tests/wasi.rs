//! Differential WASI tests: C programs compiled with clang-19 and wasi-libc must give the same
//! stdout, exit code and files on wasmtime directly, on the native runtime, and on
//! runtime.wasm running on wasmtime (and on Node).
//!
//! Needs clang-19 with the wasm32-wasi sysroot, python3 with the `wasmtime` package, node, and
//! the toolchain `build-wasm.sh` uses; a missing tool fails the test with a message.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn scratch(name: &str) -> PathBuf {
    let d = repo().join("target/runtime-tests").join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Compiles tests/programs/NAME.c to wasm32-wasi.
fn compile(name: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/programs")
        .join(format!("{name}.c"));
    let out = repo()
        .join("target/runtime-tests")
        .join(format!("{name}.wasm"));
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let st = Command::new("clang-19")
        .args(["--target=wasm32-wasi", "--sysroot=/usr", "-O2"])
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .arg("-lm")
        .status()
        .expect("clang-19 is needed to build the WASI test programs");
    assert!(st.success(), "clang-19 failed on {}", src.display());
    out
}

/// Builds runtime.wasm once per test run (cargo caches it between runs).
fn runtime_wasm() -> &'static Path {
    static W: OnceLock<PathBuf> = OnceLock::new();
    W.get_or_init(|| {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("build-wasm.sh");
        let out = Command::new("nice")
            .arg("-n")
            .arg("10")
            .arg(&script)
            .output()
            .expect("run build-wasm.sh");
        assert!(
            out.status.success(),
            "build-wasm.sh failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
    })
}

#[derive(Debug, PartialEq)]
struct Outcome {
    stdout: String,
    code: Option<i32>,
    /// Files left in the work directory (relative path -> contents).
    files: BTreeMap<String, String>,
}

fn snapshot(dir: &Path, prefix: &str, out: &mut BTreeMap<String, String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let name = format!("{prefix}{}", e.file_name().to_string_lossy());
        if name.ends_with(".wasm") {
            continue;
        }
        if e.file_type().unwrap().is_dir() {
            out.insert(format!("{name}/"), String::new());
            snapshot(&e.path(), &format!("{name}/"), out);
        } else {
            out.insert(name, std::fs::read_to_string(e.path()).unwrap_or_default());
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Runner {
    WasmtimeDirect,
    NodeDirect,
    Native,
    SelfHostedWasmtime,
    SelfHostedNode,
}

/// Runs `prog` with `args` in a fresh work directory (preopened as ".") with GREETING=hi.
fn run(runner: Runner, prog: &Path, args: &[&str]) -> Outcome {
    let work = scratch(&format!(
        "{}-{runner:?}",
        prog.file_stem().unwrap().to_string_lossy()
    ));
    std::fs::copy(prog, work.join("prog.wasm")).unwrap();
    let py = repo().join("scripts/run-wasi-wasmtime.py");
    let node = repo().join("scripts/run-wasi-node.mjs");
    let mut cmd = match runner {
        Runner::WasmtimeDirect => {
            let mut c = Command::new("python3");
            c.arg(&py).args(["--env", "GREETING=hi", "prog.wasm"]);
            c
        }
        Runner::NodeDirect => {
            let mut c = Command::new("node");
            c.arg("--no-warnings")
                .arg(&node)
                .args(["--env", "GREETING=hi", "prog.wasm"]);
            c
        }
        Runner::Native => {
            let mut c = Command::new(env!("CARGO_BIN_EXE_runtime"));
            c.args(["--dir", ".", "--env", "GREETING=hi", "prog.wasm"]);
            c
        }
        Runner::SelfHostedWasmtime => {
            let mut c = Command::new("python3");
            c.arg(&py)
                .args(["--env", "GREETING=hi"])
                .arg(runtime_wasm())
                .arg("prog.wasm");
            c
        }
        Runner::SelfHostedNode => {
            let mut c = Command::new("node");
            c.arg("--no-warnings")
                .arg(&node)
                .args(["--env", "GREETING=hi"])
                .arg(runtime_wasm())
                .arg("prog.wasm");
            c
        }
    };
    let out = cmd
        .args(args)
        .current_dir(&work)
        .output()
        .unwrap_or_else(|e| panic!("{runner:?}: {e}"));
    let mut files = BTreeMap::new();
    snapshot(&work, "", &mut files);
    Outcome {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        code: out.status.code(),
        files,
    }
}

/// Each way of running is compared with the module running directly on the same host
/// (hosts differ in small ways, e.g. Node's readdir lists no "." and "..").
fn differential(name: &str, args: &[&str]) {
    let prog = compile(name);
    let on_wasmtime = run(Runner::WasmtimeDirect, &prog, args);
    assert!(
        !on_wasmtime.stdout.is_empty(),
        "{name}: wasmtime printed nothing"
    );
    let on_node = run(Runner::NodeDirect, &prog, args);
    for (runner, reference) in [
        (Runner::Native, &on_wasmtime),
        (Runner::SelfHostedWasmtime, &on_wasmtime),
        (Runner::SelfHostedNode, &on_node),
    ] {
        let got = run(runner, &prog, args);
        assert_eq!(
            &got, reference,
            "{name} on {runner:?} differs from the direct run"
        );
    }
}

#[test]
fn args_env_and_exit_code() {
    differential("args_env", &["7", "two words", "-x"]);
}

#[test]
fn files_and_preopens() {
    differential("files", &[]);
}

#[test]
fn compute() {
    differential("compute", &["100000"]);
}
