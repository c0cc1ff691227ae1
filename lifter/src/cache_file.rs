//! Files of the translation cache (modules, compiled modules, objects) carry
//! a trailer: a magic string, the payload's length and its SHA-256. A file
//! whose trailer does not match (truncated by a full disk, damaged, or
//! written by something else) is never used: it is deleted and rebuilt.
//! Compiled modules are loaded as machine code, so trusting a damaged one
//! could crash the host process, not just the guest.

use sha2::{Digest, Sha256};
use std::path::Path;

const MAGIC: &[u8; 8] = b"ec2cache";
const TRAILER_LEN: usize = MAGIC.len() + 8 + 32;

/// The payload of the cache file at `path`, if the file is intact. A file
/// that exists but fails the check is removed, so the caller's rebuild
/// replaces it.
pub fn read(path: &Path) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(path).ok()?;
    match payload_len(&bytes) {
        Some(n) => {
            bytes.truncate(n);
            Some(bytes)
        }
        None => {
            let _ = std::fs::remove_file(path);
            None
        }
    }
}

/// The length of the payload in `file` if its trailer matches it.
fn payload_len(file: &[u8]) -> Option<usize> {
    let n = file.len().checked_sub(TRAILER_LEN)?;
    let (payload, trailer) = file.split_at(n);
    let (magic, rest) = trailer.split_at(MAGIC.len());
    let (len, digest) = rest.split_at(8);
    (magic == MAGIC
        && u64::from_le_bytes(len.try_into().ok()?) == n as u64
        && Sha256::digest(payload).as_slice() == digest)
        .then_some(n)
}

/// Writes `payload` with its trailer to `path`, atomically (a temporary file
/// renamed into place). Best effort: a cache that cannot be written only
/// costs the next run a rebuild.
pub fn write(path: &Path, payload: &[u8]) {
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let mut file = Vec::with_capacity(payload.len() + TRAILER_LEN);
    file.extend_from_slice(payload);
    file.extend_from_slice(MAGIC);
    file.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    file.extend_from_slice(&Sha256::digest(payload));
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, &file).is_ok() && std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intact_files_read_back_and_damaged_ones_are_removed() {
        let dir = tempfile_dir();
        let path = dir.join("entry.bin");
        let payload: Vec<u8> = (0..5000u32).map(|i| (i * 7) as u8).collect();
        write(&path, &payload);
        assert_eq!(read(&path).as_deref(), Some(&payload[..]));

        let whole = std::fs::read(&path).unwrap();
        let damaged: [Vec<u8>; 4] = [
            whole[..whole.len() - 1].to_vec(), // truncated trailer
            whole[..100].to_vec(),             // truncated payload
            [&whole[..], b"x"].concat(),       // appended byte
            {
                let mut w = whole.clone();
                w[1234] ^= 1;
                w
            }, // one flipped bit
        ];
        for bad in damaged {
            std::fs::write(&path, &bad).unwrap();
            assert_eq!(read(&path), None);
            assert!(!path.exists(), "a damaged entry must be removed");
        }
        // A file that never had a trailer (an older cache's plain module) is not trusted either.
        std::fs::write(&path, &payload).unwrap();
        assert_eq!(read(&path), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let d =
            std::env::temp_dir().join(format!("elfconv2-cache-file-test-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
