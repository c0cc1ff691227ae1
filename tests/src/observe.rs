//! What one guest run produced (exit status, stdout, stderr, files left in its cwd), how two runs
//! are compared, and the small pieces every test binary needs around that.

use std::collections::BTreeMap;
use std::path::Path;

use crate::compare::{diff_bytes, diff_dirs};
use crate::process::Status;
use libtest_mimic::{Failed, Trial};

/// What a run produced that must agree between qemu and a translated run.
#[derive(Debug)]
pub struct Observed {
    pub status: Status,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub files: BTreeMap<String, Option<Vec<u8>>>,
}

/// How exit statuses are matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusMatch {
    /// The same status.
    Exact,
    /// Death by signal N counts as exit code 128 + N (see `Status::shell_code`).
    ShellCode,
}

impl Observed {
    /// `Ok` if `self` (the actual run) matches `expected`, else every difference.
    pub fn compare(&self, expected: &Observed, status: StatusMatch) -> Result<(), String> {
        let mut problems = Vec::new();
        let same_status = match status {
            StatusMatch::Exact => self.status == expected.status,
            StatusMatch::ShellCode => self.status.shell_code() == expected.status.shell_code(),
        };
        if !same_status {
            problems.push(format!("expected {}, got {}", expected.status, self.status));
        }
        problems.extend(diff_bytes("stdout", &expected.stdout, &self.stdout));
        problems.extend(diff_bytes("stderr", &expected.stderr, &self.stderr));
        problems
            .extend(diff_dirs(&expected.files, &self.files).map(|d| format!("files in cwd: {d}")));
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }
}

/// Removes `dir` if it exists and creates it empty.
pub fn fresh_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("removing {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))
}

/// A libtest-mimic trial from a closure that reports failure as a message.
pub fn trial(name: String, f: impl FnOnce() -> Result<(), String> + Send + 'static) -> Trial {
    Trial::test(name, move || f().map_err(Failed::from))
}
