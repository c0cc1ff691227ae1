//! Readable descriptions of how two outputs differ.

use std::collections::BTreeMap;
use std::path::Path;

const EXCERPT_MAX: usize = 600;

/// A short, escaped rendering of some output bytes for messages.
pub fn excerpt(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "(empty)".to_string();
    }
    let shown = &bytes[..bytes.len().min(EXCERPT_MAX)];
    let mut s = format!("{:?}", String::from_utf8_lossy(shown));
    if bytes.len() > EXCERPT_MAX {
        s.push_str(&format!(" ... ({} bytes in all)", bytes.len()));
    }
    s
}

/// `None` if equal, else a description of the first difference.
pub fn diff_bytes(what: &str, expected: &[u8], actual: &[u8]) -> Option<String> {
    if expected == actual {
        return None;
    }
    let exp_lines: Vec<&[u8]> = expected.split_inclusive(|&b| b == b'\n').collect();
    let act_lines: Vec<&[u8]> = actual.split_inclusive(|&b| b == b'\n').collect();
    let first = exp_lines
        .iter()
        .zip(act_lines.iter())
        .position(|(a, b)| a != b)
        .unwrap_or(exp_lines.len().min(act_lines.len()));
    let line = |v: &[&[u8]], i: usize| {
        v.get(i)
            .map(|l| format!("{:?}", String::from_utf8_lossy(l)))
            .unwrap_or_else(|| "(no such line)".to_string())
    };
    Some(format!(
        "{what} differs at line {} (expected {} bytes, got {}):\n    expected: {}\n    actual:   {}\n  whole expected {what}: {}\n  whole actual {what}:   {}",
        first + 1,
        expected.len(),
        actual.len(),
        line(&exp_lines, first),
        line(&act_lines, first),
        excerpt(expected),
        excerpt(actual),
    ))
}

/// Every file (and directory, as an entry with `None`) below `root`, keyed by relative path.
pub fn snapshot_dir(root: &Path) -> Result<BTreeMap<String, Option<Vec<u8>>>, String> {
    fn walk(
        root: &Path,
        dir: &Path,
        out: &mut BTreeMap<String, Option<Vec<u8>>>,
    ) -> Result<(), String> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("reading {}: {e}", dir.display()))?;
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            let ft = entry
                .file_type()
                .map_err(|e| format!("{}: {e}", path.display()))?;
            if ft.is_dir() {
                out.insert(format!("{rel}/"), None);
                walk(root, &path, out)?;
            } else if ft.is_symlink() {
                let target =
                    std::fs::read_link(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                out.insert(format!("{rel} -> {}", target.display()), Some(Vec::new()));
            } else {
                let data =
                    std::fs::read(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
                out.insert(rel, Some(data));
            }
        }
        Ok(())
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out)?;
    Ok(out)
}

/// `None` if both directory snapshots agree, else what differs.
pub fn diff_dirs(
    expected: &BTreeMap<String, Option<Vec<u8>>>,
    actual: &BTreeMap<String, Option<Vec<u8>>>,
) -> Option<String> {
    let mut problems = Vec::new();
    for (name, exp) in expected {
        match actual.get(name) {
            None => problems.push(format!("file `{name}` was not created")),
            Some(act) => {
                if let (Some(e), Some(a)) = (exp, act) {
                    if let Some(d) = diff_bytes(&format!("contents of `{name}`"), e, a) {
                        problems.push(d);
                    }
                }
            }
        }
    }
    for name in actual.keys() {
        if !expected.contains_key(name) {
            problems.push(format!("unexpected file `{name}` was created"));
        }
    }
    if problems.is_empty() {
        None
    } else {
        Some(problems.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_bytes_have_no_diff() {
        assert!(diff_bytes("stdout", b"a\nb\n", b"a\nb\n").is_none());
    }

    #[test]
    fn diff_names_first_differing_line() {
        let d = diff_bytes("stdout", b"a\nb\nc\n", b"a\nx\nc\n").unwrap();
        assert!(d.contains("line 2"), "{d}");
        let d = diff_bytes("stdout", b"a\n", b"a\nextra\n").unwrap();
        assert!(d.contains("line 2") && d.contains("(no such line)"), "{d}");
    }

    #[test]
    fn dir_snapshots_compare() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        std::fs::write(a.path().join("f"), "1").unwrap();
        std::fs::write(b.path().join("f"), "1").unwrap();
        let (sa, sb) = (
            snapshot_dir(a.path()).unwrap(),
            snapshot_dir(b.path()).unwrap(),
        );
        assert!(diff_dirs(&sa, &sb).is_none());
        std::fs::write(b.path().join("g"), "2").unwrap();
        let sb = snapshot_dir(b.path()).unwrap();
        assert!(diff_dirs(&sa, &sb).unwrap().contains("unexpected file `g`"));
    }
}
