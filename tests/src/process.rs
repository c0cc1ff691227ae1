//! Running a child process with given stdin, captured stdout/stderr and a safety timeout.
//!
//! The timeout only stops a hung child from hanging the whole test run; no result depends on
//! how long a child takes.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Default safety timeout: `$ELFCONV2_TEST_TIMEOUT` seconds, else 600.
pub fn default_timeout() -> Duration {
    let secs = std::env::var("ELFCONV2_TEST_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(600);
    Duration::from_secs(secs)
}

/// What to run.
#[derive(Debug, Clone)]
pub struct Cmd {
    pub program: OsString,
    pub args: Vec<OsString>,
    /// `Some(vars)`: the child's environment is exactly `vars` (like `env -i`).
    /// `None`: inherit this process's environment, with `remove` taken out.
    pub env: Option<Vec<(String, String)>>,
    pub remove_env: Vec<String>,
    pub cwd: Option<PathBuf>,
    pub stdin: Vec<u8>,
    pub timeout: Duration,
}

impl Cmd {
    pub fn new(program: impl AsRef<OsStr>) -> Self {
        Cmd {
            program: program.as_ref().to_os_string(),
            args: Vec::new(),
            env: None,
            remove_env: Vec::new(),
            cwd: None,
            stdin: Vec::new(),
            timeout: default_timeout(),
        }
    }
    pub fn arg(mut self, a: impl AsRef<OsStr>) -> Self {
        self.args.push(a.as_ref().to_os_string());
        self
    }
    pub fn args<I, S>(mut self, it: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(it.into_iter().map(|a| a.as_ref().to_os_string()));
        self
    }
    /// The child's environment becomes exactly `vars`.
    pub fn env_exact(mut self, vars: &[(String, String)]) -> Self {
        self.env = Some(vars.to_vec());
        self
    }
    pub fn env_remove(mut self, key: &str) -> Self {
        self.remove_env.push(key.to_string());
        self
    }
    pub fn cwd(mut self, dir: impl AsRef<Path>) -> Self {
        self.cwd = Some(dir.as_ref().to_path_buf());
        self
    }
    pub fn stdin(mut self, data: &[u8]) -> Self {
        self.stdin = data.to_vec();
        self
    }
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }

    /// A shell-like rendering for messages.
    pub fn display(&self) -> String {
        let mut parts = Vec::new();
        if let Some(env) = &self.env {
            parts.push("env -i".to_string());
            parts.extend(env.iter().map(|(k, v)| quote(&format!("{k}={v}"))));
        }
        parts.push(quote(&self.program.to_string_lossy()));
        parts.extend(self.args.iter().map(|a| quote(&a.to_string_lossy())));
        let mut s = parts.join(" ");
        if let Some(cwd) = &self.cwd {
            s = format!("(cd {} && {s})", quote(&cwd.to_string_lossy()));
        }
        s
    }

    /// Runs the command to completion (or until the safety timeout kills it).
    pub fn run(&self) -> Result<Output, String> {
        match self.run_or_time_out()? {
            Ok(out) => Ok(out),
            Err(partial) => Err(format!(
                "`{}` did not finish within the safety timeout of {} s (set ELFCONV2_TEST_TIMEOUT to change it); \
                 stdout so far: {}; stderr so far: {}",
                self.display(),
                self.timeout.as_secs(),
                crate::compare::excerpt(&partial.stdout),
                crate::compare::excerpt(&partial.stderr)
            )),
        }
    }

    /// Like [`Cmd::run`], but a child that outlives the timeout is not an error: it is killed
    /// and its output so far comes back as `Ok(Err(partial))`.
    pub fn run_or_time_out(&self) -> Result<Result<Output, Output>, String> {
        let mut c = Command::new(&self.program);
        c.args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(env) = &self.env {
            c.env_clear();
            c.envs(env.iter().map(|(k, v)| (k, v)));
        }
        for k in &self.remove_env {
            c.env_remove(k);
        }
        if let Some(cwd) = &self.cwd {
            c.current_dir(cwd);
        }
        let started = Instant::now();
        let mut child = c
            .spawn()
            .map_err(|e| format!("cannot start `{}`: {e}", self.display()))?;

        let mut stdin = child.stdin.take().expect("piped stdin");
        let input = self.stdin.clone();
        let writer = std::thread::spawn(move || {
            // A child that exits without reading its input gives EPIPE; that is not an error here.
            let _ = stdin.write_all(&input);
        });
        let mut out = child.stdout.take().expect("piped stdout");
        let mut err = child.stderr.take().expect("piped stderr");
        let out_reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = out.read_to_end(&mut buf);
            buf
        });
        let err_reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = err.read_to_end(&mut buf);
            buf
        });

        let mut timed_out = false;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) => {}
                Err(e) => return Err(format!("waiting for `{}`: {e}", self.display())),
            }
            if started.elapsed() > self.timeout {
                timed_out = true;
                let _ = child.kill();
                break child
                    .wait()
                    .map_err(|e| format!("waiting for `{}`: {e}", self.display()))?;
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let elapsed = started.elapsed();
        let _ = writer.join();
        let stdout = out_reader.join().unwrap_or_default();
        let stderr = err_reader.join().unwrap_or_default();
        let out = Output {
            status: Status::from(status),
            stdout,
            stderr,
            elapsed,
        };
        Ok(if timed_out { Err(out) } else { Ok(out) })
    }
}

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Exited(i32),
    Signaled(i32),
}

impl From<ExitStatus> for Status {
    fn from(s: ExitStatus) -> Self {
        use std::os::unix::process::ExitStatusExt;
        match (s.code(), s.signal()) {
            (Some(c), _) => Status::Exited(c),
            (None, Some(sig)) => Status::Signaled(sig),
            (None, None) => Status::Exited(-1),
        }
    }
}

impl Status {
    pub fn success(self) -> bool {
        self == Status::Exited(0)
    }

    /// The exit code a POSIX shell reports: the code itself, or 128 + N for death by signal N.
    /// A Wasm runtime cannot die by a signal, so `abort()` (SIGABRT under qemu) must show up there
    /// as exit code 134; differential comparisons use this.
    pub fn shell_code(self) -> i32 {
        match self {
            Status::Exited(c) => c,
            Status::Signaled(s) => 128 + s,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Status::Exited(c) => write!(f, "exit code {c}"),
            Status::Signaled(s) => write!(f, "killed by signal {s}"),
        }
    }
}

/// What a process produced.
#[derive(Debug, Clone)]
pub struct Output {
    pub status: Status,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub elapsed: Duration,
}

impl Output {
    /// A one-paragraph summary for error messages.
    pub fn summary(&self) -> String {
        format!(
            "{}; stdout: {}; stderr: {}",
            self.status,
            crate::compare::excerpt(&self.stdout),
            crate::compare::excerpt(&self.stderr)
        )
    }
}

/// Quotes a word for display the way a POSIX shell would need it.
pub fn quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
