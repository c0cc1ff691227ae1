//! Finding the external tools the harness drives. Every lookup that fails says how to fix it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

/// What to tell the user when a system tool is missing.
pub const SETUP_FIX: &str = "run scripts/setup.sh";

/// Finds an executable on `PATH` (or checks an explicit path).
pub fn which(name: &str) -> Option<PathBuf> {
    if name.contains('/') {
        let p = PathBuf::from(name);
        return is_executable(&p).then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// Like [`which`], but the error names the tool and the fix.
pub fn require(name: &str) -> Result<PathBuf, String> {
    which(name).ok_or_else(|| format!("`{name}` not found on PATH: {SETUP_FIX}"))
}

/// The Python interpreter for the wasmtime runner: `$PYTHON` if set, else `python3`.
pub fn python() -> String {
    std::env::var("PYTHON")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "python3".to_string())
}

/// Node.js: `$NODE` if set, else `node`.
pub fn node() -> String {
    std::env::var("NODE")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "node".to_string())
}

/// Checks (once per process) that Python can import the `wasmtime` module.
pub fn require_python_wasmtime() -> Result<String, String> {
    static CHECK: OnceLock<Result<String, String>> = OnceLock::new();
    CHECK
        .get_or_init(|| {
            let py = python();
            require(&py)?;
            let out = Command::new(&py)
                .args(["-c", "import wasmtime"])
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("cannot run {py}: {e}"))?;
            if out.status.success() {
                Ok(py)
            } else {
                Err(format!(
                    "the Python module `wasmtime` is not importable by {py}: {SETUP_FIX} \
                     (it runs `python3 -m pip install wasmtime`)"
                ))
            }
        })
        .clone()
}

/// Checks (once per process) that Node.js is present and has `node:wasi` (Node >= 20).
pub fn require_node() -> Result<String, String> {
    static CHECK: OnceLock<Result<String, String>> = OnceLock::new();
    CHECK
        .get_or_init(|| {
            let node = node();
            require(&node)?;
            let out = Command::new(&node)
                .args(["-e", "require('node:wasi')"])
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("cannot run {node}: {e}"))?;
            if out.status.success() {
                Ok(node)
            } else {
                Err(format!(
                    "{node} has no usable `node:wasi` module (Node >= 20 needed): {SETUP_FIX}"
                ))
            }
        })
        .clone()
}

/// `<tool> --version`, first line, memoised. Used to key caches on the compiler version.
pub fn version_line(tool: &str) -> Result<String, String> {
    static CACHE: OnceLock<Mutex<HashMap<String, Result<String, String>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(v) = cache.lock().unwrap().get(tool) {
        return v.clone();
    }
    let result = (|| {
        let path = require(tool)?;
        let out = Command::new(&path)
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {tool} --version: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        Ok(format!(
            "{} {}",
            path.display(),
            text.lines().next().unwrap_or("").trim()
        ))
    })();
    cache
        .lock()
        .unwrap()
        .insert(tool.to_string(), result.clone());
    result
}
