//! WASI preview 1 errno values used by the runtime.

pub type Errno = u16;

pub const SUCCESS: Errno = 0;
pub const EACCES: Errno = 2;
pub const EBADF: Errno = 8;
pub const EEXIST: Errno = 20;
pub const EFAULT: Errno = 21;
pub const EILSEQ: Errno = 25;
pub const EINVAL: Errno = 28;
pub const EIO: Errno = 29;
pub const EISDIR: Errno = 31;
pub const ELOOP: Errno = 32;
pub const ENAMETOOLONG: Errno = 37;
pub const ENOENT: Errno = 44;
pub const ENOSYS: Errno = 52;
pub const ENOTDIR: Errno = 54;
pub const ENOTEMPTY: Errno = 55;
pub const EPERM: Errno = 63;
pub const ESPIPE: Errno = 70;
pub const EXDEV: Errno = 75;
pub const ENOTCAPABLE: Errno = 76;

/// Maps a host I/O error to the closest WASI errno.
pub fn from_io(e: &std::io::Error) -> Errno {
    #[cfg(unix)]
    if let Some(code) = e.raw_os_error() {
        // Linux errno numbers.
        return match code {
            1 => EPERM,
            2 => ENOENT,
            5 => EIO,
            9 => EBADF,
            13 => EACCES,
            17 => EEXIST,
            18 => EXDEV,
            20 => ENOTDIR,
            21 => EISDIR,
            22 => EINVAL,
            29 => ESPIPE,
            36 => ENAMETOOLONG,
            39 => ENOTEMPTY,
            40 => ELOOP,
            _ => EIO,
        };
    }
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => ENOENT,
        K::PermissionDenied => EACCES,
        K::AlreadyExists => EEXIST,
        K::InvalidInput => EINVAL,
        _ => EIO,
    }
}
