//! The translation cache used by `elfconv2 run`: keyed by the ELF's hash,
//! the optimisation level and the translator build, so a second run of the
//! same program neither translates nor compiles again. The lifter also keeps
//! compiled objects here, keyed by what it read (see `Options::object_cache`).
//!
//! Every rebuild of the translator starts new keys, so the directory is kept
//! under a size cap (`ELFCONV2_CACHE_MAX_MB`, default 4096): after each write
//! the least recently used files go first.

use anyhow::Result;
use elfconv2_lifter::cache_file;
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Identifies this translator build (version plus the embedded syscall layer).
pub fn translator_id() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok());
    let stamp = exe
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{}-{}", env!("CARGO_PKG_VERSION"), stamp)
}

/// Identifies the code generator (the lifter's sources and the ABI), for
/// the object cache: unlike [`translator_id`] it stays the same when only
/// the syscall layer or the CLI changed (see translator/build.rs).
pub fn codegen_id() -> String {
    format!(
        "{}-{}",
        env!("CARGO_PKG_VERSION"),
        env!("ELFCONV2_CODEGEN_DIGEST")
    )
}

pub fn key(elf: &[u8], opt_level: u8) -> String {
    let mut h = Sha256::new();
    h.update(elf);
    h.update([opt_level]);
    h.update(translator_id().as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub fn dir() -> PathBuf {
    if let Some(d) = std::env::var_os("ELFCONV2_CACHE_DIR") {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(d).join("elfconv2");
    }
    match std::env::var_os("HOME") {
        Some(h) => PathBuf::from(h).join(".cache").join("elfconv2"),
        None => std::env::temp_dir().join("elfconv2-cache"),
    }
}

/// The cached module for `key`, translating (and caching) on a miss. A
/// damaged entry counts as a miss (see `elfconv2_lifter::cache_file`).
/// Cache write failures are not fatal: the run goes on uncached.
pub fn get_or_insert(key: &str, translate: impl FnOnce() -> Result<Vec<u8>>) -> Result<Vec<u8>> {
    let path = dir().join(format!("{key}.wasm"));
    if let Some(bytes) = cache_file::read(&path) {
        mark_used(&path);
        return Ok(bytes);
    }
    let module = translate()?;
    insert(key, &module);
    Ok(module)
}

/// Stores a module under `key` (best effort).
pub fn insert(key: &str, module: &[u8]) {
    cache_file::write(&dir().join(format!("{key}.wasm")), module);
    trim();
}

/// Records a cache hit, so [`trim`] keeps the file longer.
pub fn mark_used(path: &std::path::Path) {
    if let Ok(f) = std::fs::File::options().append(true).open(path) {
        let _ = f.set_modified(std::time::SystemTime::now());
    }
}

/// The cache's size cap in bytes.
fn max_bytes() -> u64 {
    let mb = std::env::var("ELFCONV2_CACHE_MAX_MB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(4096);
    mb.saturating_mul(1 << 20)
}

/// Deletes the least recently used files once the cache is over its cap,
/// down to three quarters of it (so that not every write trims). Best effort:
/// a file another run deletes or still writes is simply skipped.
pub fn trim() {
    trim_dir(&dir(), max_bytes());
}

fn trim_dir(dir: &std::path::Path, cap: u64) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, u64, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            if !meta.is_file() {
                return None;
            }
            // A read counts as a use: the lifter reads objects without marking them.
            let used = meta.modified().ok()?.max(meta.accessed().ok()?);
            Some((used, meta.len(), e.path()))
        })
        .collect();
    let mut total: u64 = files.iter().map(|f| f.1).sum();
    if total <= cap {
        return;
    }
    files.sort();
    for (_, len, path) in files {
        if total <= cap / 4 * 3 {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            total -= len;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn trimming_deletes_the_least_recently_used_files_down_to_three_quarters() {
        let dir = std::env::temp_dir().join(format!("elfconv2-trim-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let base = SystemTime::now() - Duration::from_secs(1000);
        for (i, name) in ["a", "b", "c", "d"].iter().enumerate() {
            let path = dir.join(name);
            std::fs::write(&path, [0u8; 100]).unwrap();
            let f = std::fs::File::options().append(true).open(&path).unwrap();
            let when = base + Duration::from_secs(10 * i as u64);
            f.set_times(
                std::fs::FileTimes::new()
                    .set_accessed(when)
                    .set_modified(when),
            )
            .unwrap();
        }
        // 400 bytes under a 400-byte cap: nothing goes.
        trim_dir(&dir, 400);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 4);
        // Over a 350-byte cap: down to at most 262 bytes, oldest first.
        trim_dir(&dir, 350);
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["c", "d"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
