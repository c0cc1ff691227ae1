//! Maps guest paths onto WASI preopened directories.
//!
//! WASI gives the program a few directory handles ("preopens"), each with a
//! name such as `.`, `/tmp` or `data`. The guest sees one Linux file system:
//! - an absolute path resolves against the absolute preopen whose name is its
//!   longest prefix (component-wise): with preopen `/tmp`, `/tmp/x` is `x`
//!   in that directory, `/tmpx` does not match;
//! - a relative path resolves against the current directory, which is the
//!   preopen named `.` (relative preopen names like `data` also match as
//!   prefixes, the same rule wasi-libc uses);
//! - if the current directory's absolute name is known (see
//!   [`PathResolver::set_cwd_name`]), absolute paths under it resolve
//!   against the `.` preopen as well, so `getcwd()` + `/` + name works.
//!
//! `.` and empty components are dropped; `..` is kept and left to the WASI
//! runtime, which refuses to leave a preopen. Nothing here can widen access:
//! every result is a path relative to a handle the runtime granted.

use crate::errno::{Errno, EILSEQ, ENAMETOOLONG, ENOENT};
use crate::linux::PATH_MAX;

#[derive(Clone, Debug)]
struct Preopen {
    wasi_fd: u32,
    absolute: bool,
    comps: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct PathResolver {
    preopens: Vec<Preopen>,
    /// Index of the preopen named `.` (the guest's current directory).
    cwd: Option<usize>,
    /// Absolute name of the current directory, when known.
    cwd_name: Option<Vec<String>>,
}

/// Splits a path into its components, dropping empty and `.` ones.
fn components(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .map(str::to_string)
        .collect()
}

fn join(comps: &[String]) -> String {
    if comps.is_empty() {
        ".".to_string()
    } else {
        comps.join("/")
    }
}

impl PathResolver {
    /// `preopens`: (WASI fd, name) as reported by `fd_prestat_dir_name`.
    pub fn new(preopens: &[(u32, String)]) -> Self {
        let mut r = PathResolver::default();
        for (fd, name) in preopens {
            let absolute = name.starts_with('/');
            let comps = components(name);
            if !absolute && comps.is_empty() && r.cwd.is_none() {
                r.cwd = Some(r.preopens.len());
            }
            r.preopens.push(Preopen {
                wasi_fd: *fd,
                absolute,
                comps,
            });
        }
        r
    }

    /// WASI fd of the current directory, if there is one.
    pub fn cwd_fd(&self) -> Option<u32> {
        self.cwd.map(|i| self.preopens[i].wasi_fd)
    }

    /// Records the absolute name of the current directory (ignored unless
    /// it is absolute and there is a `.` preopen).
    pub fn set_cwd_name(&mut self, name: &str) {
        if name.starts_with('/') && self.cwd.is_some() {
            self.cwd_name = Some(components(name));
        }
    }

    /// What getcwd reports: the known absolute name, else `/`.
    pub fn cwd_display(&self) -> String {
        match &self.cwd_name {
            Some(c) if !c.is_empty() => format!("/{}", c.join("/")),
            _ => "/".to_string(),
        }
    }

    /// Whether getcwd has a real name to report.
    pub fn cwd_known(&self) -> bool {
        self.cwd_name.is_some()
    }

    /// Resolves a guest path to (WASI directory fd, relative path).
    /// `dir` is the WASI fd of the dirfd argument of an *at() call, or None
    /// for AT_FDCWD; it is ignored for absolute paths, as on Linux.
    pub fn resolve(&self, path: &[u8], dir: Option<u32>) -> Result<(u32, String), Errno> {
        if path.is_empty() {
            return Err(ENOENT);
        }
        if path.len() >= PATH_MAX {
            return Err(ENAMETOOLONG);
        }
        let path = core::str::from_utf8(path).map_err(|_| EILSEQ)?;
        let comps = components(path);
        let absolute = path.starts_with('/');
        if !absolute {
            if let Some(fd) = dir {
                return Ok((fd, join(&comps)));
            }
        }
        // Longest prefix among the candidates; on a tie the earlier preopen
        // wins, and real preopens come before the cwd alias.
        let mut best: Option<(usize, u32)> = None;
        let mut consider = |prefix: &[String], fd: u32| {
            if comps.starts_with(prefix) && best.is_none_or(|(len, _)| prefix.len() > len) {
                best = Some((prefix.len(), fd));
            }
        };
        for p in &self.preopens {
            if p.absolute == absolute {
                consider(&p.comps, p.wasi_fd);
            }
        }
        if absolute {
            if let (Some(name), Some(fd)) = (&self.cwd_name, self.cwd_fd()) {
                consider(name, fd);
            }
        }
        let (len, fd) = best.ok_or(ENOENT)?;
        Ok((fd, join(&comps[len..])))
    }
}

/// The absolute program path for /proc/self/exe: `argv0` itself if it is
/// absolute, else joined to the current directory's name when that is
/// known; otherwise `argv0` unchanged.
pub fn exe_path(argv0: &[u8], cwd_name: Option<&str>) -> Vec<u8> {
    if argv0.starts_with(b"/") || argv0.is_empty() {
        return argv0.to_vec();
    }
    let Some(cwd) = cwd_name else {
        return argv0.to_vec();
    };
    let mut out = cwd.trim_end_matches('/').as_bytes().to_vec();
    for comp in argv0.split(|&b| b == b'/') {
        if comp.is_empty() || comp == b"." {
            continue;
        }
        out.push(b'/');
        out.extend_from_slice(comp);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errno::EILSEQ;

    fn resolver() -> PathResolver {
        PathResolver::new(&[
            (3, ".".to_string()),
            (4, "/tmp".to_string()),
            (5, "/".to_string()),
            (6, "/tmp/deep/".to_string()),
            (7, "data".to_string()),
        ])
    }

    fn res(r: &PathResolver, p: &str) -> Result<(u32, String), Errno> {
        r.resolve(p.as_bytes(), None)
    }

    #[test]
    fn relative_paths_use_the_cwd_preopen() {
        let r = resolver();
        assert_eq!(r.cwd_fd(), Some(3));
        assert_eq!(res(&r, "x"), Ok((3, "x".into())));
        assert_eq!(res(&r, "./a//b/./c"), Ok((3, "a/b/c".into())));
        assert_eq!(res(&r, "."), Ok((3, ".".into())));
        assert_eq!(
            res(&r, "../up"),
            Ok((3, "../up".into())),
            "`..` is left to WASI"
        );
        // A relative preopen name acts as a prefix.
        assert_eq!(res(&r, "data/f"), Ok((7, "f".into())));
        assert_eq!(res(&r, "datafile"), Ok((3, "datafile".into())));
    }

    #[test]
    fn absolute_paths_use_the_longest_prefix() {
        let r = resolver();
        assert_eq!(res(&r, "/tmp/x"), Ok((4, "x".into())));
        assert_eq!(res(&r, "/tmp"), Ok((4, ".".into())));
        assert_eq!(res(&r, "/tmp/"), Ok((4, ".".into())));
        assert_eq!(res(&r, "/tmpx"), Ok((5, "tmpx".into())), "component-wise");
        assert_eq!(res(&r, "/tmp/deep/er"), Ok((6, "er".into())));
        assert_eq!(res(&r, "//tmp/./x"), Ok((4, "x".into())));
        assert_eq!(res(&r, "/etc/passwd"), Ok((5, "etc/passwd".into())));
        assert_eq!(res(&r, "/"), Ok((5, ".".into())));
        assert_eq!(
            res(&r, "/tmp/../etc"),
            Ok((4, "../etc".into())),
            "never collapsed"
        );
    }

    #[test]
    fn dirfd_applies_to_relative_paths_only() {
        let r = resolver();
        assert_eq!(r.resolve(b"a/b", Some(9)), Ok((9, "a/b".into())));
        assert_eq!(r.resolve(b"", Some(9)), Err(ENOENT));
        assert_eq!(r.resolve(b"/tmp/a", Some(9)), Ok((4, "a".into())));
    }

    #[test]
    fn failures() {
        let r = PathResolver::new(&[(4, "/tmp".to_string())]);
        assert_eq!(r.cwd_fd(), None);
        assert_eq!(res(&r, "x"), Err(ENOENT), "no cwd preopen");
        assert_eq!(res(&r, "/etc"), Err(ENOENT), "no preopen covers it");
        assert_eq!(res(&r, ""), Err(ENOENT));
        assert_eq!(r.resolve(&[b'a'; PATH_MAX], None), Err(ENAMETOOLONG));
        assert_eq!(r.resolve(b"/tmp/\xff", None), Err(EILSEQ));
        let none = PathResolver::new(&[]);
        assert_eq!(res(&none, "/"), Err(ENOENT));
    }

    #[test]
    fn cwd_name_alias() {
        let mut r = PathResolver::new(&[(3, "./".to_string()), (4, "/tmp".to_string())]);
        assert_eq!(r.cwd_display(), "/");
        assert!(!r.cwd_known());
        assert_eq!(res(&r, "/home/u/proj/f"), Err(ENOENT));
        r.set_cwd_name("relative/ignored");
        assert!(!r.cwd_known());
        r.set_cwd_name("/home/u/proj/");
        assert_eq!(r.cwd_display(), "/home/u/proj");
        assert_eq!(res(&r, "/home/u/proj/f"), Ok((3, "f".into())));
        assert_eq!(res(&r, "/home/u/proj"), Ok((3, ".".into())));
        assert_eq!(res(&r, "/home/u/projx"), Err(ENOENT));
        assert_eq!(res(&r, "/tmp/a"), Ok((4, "a".into())));
        // If the cwd is inside another preopen, the longer (cwd) name wins.
        let mut r = PathResolver::new(&[(3, ".".to_string()), (4, "/work".to_string())]);
        r.set_cwd_name("/work/main");
        assert_eq!(res(&r, "/work/main/x"), Ok((3, "x".into())));
        assert_eq!(res(&r, "/work/other"), Ok((4, "other".into())));
        // No `.` preopen: the name cannot be used.
        let mut r = PathResolver::new(&[(4, "/tmp".to_string())]);
        r.set_cwd_name("/tmp");
        assert!(!r.cwd_known());
    }

    #[test]
    fn exe_paths() {
        assert_eq!(exe_path(b"/usr/bin/prog", Some("/home")), b"/usr/bin/prog");
        assert_eq!(exe_path(b"./prog", Some("/home/u")), b"/home/u/prog");
        assert_eq!(
            exe_path(b"sub/./prog", Some("/home/u/")),
            b"/home/u/sub/prog"
        );
        assert_eq!(exe_path(b"prog", Some("/")), b"/prog");
        assert_eq!(exe_path(b"./prog", None), b"./prog");
        assert_eq!(exe_path(b"", Some("/x")), b"");
    }
}
