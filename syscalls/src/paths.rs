//! Maps guest paths onto WASI preopened directories.
//!
//! WASI gives the program a few directory handles ("preopens"), each with a
//! name such as `.`, `/tmp` or `data`. The guest sees one Linux file system:
//! - an absolute path resolves against the absolute preopen whose name is its
//!   longest prefix (component-wise): with preopen `/tmp`, `/tmp/x` is `x`
//!   in that directory, `/tmpx` does not match;
//! - a relative path resolves against the current directory, which starts
//!   as the preopen named `.` (relative preopen names like `data` also
//!   match as prefixes there, the same rule wasi-libc uses); chdir moves it
//!   to a directory below any preopen;
//! - if the `.` preopen's absolute name is known (see
//!   [`PathResolver::set_cwd_name`]), absolute paths under it resolve
//!   against the `.` preopen as well, so `getcwd()` + `/` + name works.
//!
//! `.` and empty components are dropped; `..` is kept and left to the WASI
//! runtime, which refuses to leave a preopen. Only chdir resolves `..`
//! lexically, and only into another granted directory. Nothing here can
//! widen access: every result is a path relative to a handle the runtime
//! granted.

use crate::errno::{Errno, EACCES, EILSEQ, ENAMETOOLONG, ENOENT};
use crate::linux::PATH_MAX;

#[derive(Clone, Debug)]
struct Preopen {
    wasi_fd: u32,
    absolute: bool,
    comps: Vec<String>,
}

/// A place in the granted file system: a path below one preopen. `comps`
/// may start with `..` components, which only WASI can judge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    preopen: usize,
    comps: Vec<String>,
}

impl Location {
    /// Same place, with each `name/..` pair dropped (see [`Self::normalised`]).
    pub fn normalise(&self) -> Location {
        self.clone().normalised()
    }

    /// Drops each `name/..` pair lexically (as a shell's `cd` does; a
    /// symlink followed by `..` is the one case where this differs from
    /// the kernel). Leading `..` components stay.
    fn normalised(mut self) -> Location {
        let mut out: Vec<String> = Vec::with_capacity(self.comps.len());
        for c in self.comps.drain(..) {
            if c == ".." && out.last().is_some_and(|l| l != "..") {
                out.pop();
            } else {
                out.push(c);
            }
        }
        self.comps = out;
        self
    }
}

#[derive(Clone, Debug, Default)]
pub struct PathResolver {
    preopens: Vec<Preopen>,
    /// Index of the preopen named `.` (the directory the guest starts in).
    dot: Option<usize>,
    /// Absolute name of the `.` preopen, when known.
    dot_name: Option<Vec<String>>,
    /// The current directory (chdir); `None` means the `.` preopen itself.
    cwd: Option<Location>,
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
            if !absolute && comps.is_empty() && r.dot.is_none() {
                r.dot = Some(r.preopens.len());
            }
            r.preopens.push(Preopen {
                wasi_fd: *fd,
                absolute,
                comps,
            });
        }
        r
    }

    /// WASI fd of the `.` preopen (the directory the guest started in).
    pub fn dot_fd(&self) -> Option<u32> {
        self.dot.map(|i| self.preopens[i].wasi_fd)
    }

    /// Records the absolute name of the `.` preopen (ignored unless it is
    /// absolute and there is a `.` preopen).
    pub fn set_cwd_name(&mut self, name: &str) {
        if name.starts_with('/') && self.dot.is_some() {
            self.dot_name = Some(components(name));
        }
    }

    /// Whether getcwd has a real name to report.
    pub fn cwd_known(&self) -> bool {
        match &self.cwd {
            None => self.dot_name.is_some(),
            Some(loc) => self.base_name(loc.preopen).is_some(),
        }
    }

    /// The absolute name of a preopen's directory, if known.
    fn base_name(&self, preopen: usize) -> Option<&[String]> {
        if Some(preopen) == self.dot {
            return self.dot_name.as_deref();
        }
        let p = &self.preopens[preopen];
        p.absolute.then_some(p.comps.as_slice())
    }

    /// The current directory as a location.
    fn cwd_location(&self) -> Option<Location> {
        self.cwd.clone().or_else(|| {
            self.dot.map(|preopen| Location {
                preopen,
                comps: Vec::new(),
            })
        })
    }

    /// The current directory as (WASI directory fd, relative path).
    pub fn cwd_dir(&self) -> Option<(u32, String)> {
        self.cwd_location().map(|l| self.open_args(&l))
    }

    /// What getcwd reports: the absolute name when known, else the path
    /// below `/` (an unnamed `.` preopen shows as `/`).
    pub fn cwd_display(&self) -> String {
        match self.cwd_location() {
            Some(loc) => self.display(&loc),
            None => "/".to_string(),
        }
    }

    /// The absolute name of a location as the guest would write it (for
    /// getcwd and /proc/self/fd links); `..` is resolved lexically.
    pub fn display(&self, loc: &Location) -> String {
        let mut all = Location {
            preopen: loc.preopen,
            comps: self.base_name(loc.preopen).unwrap_or(&[]).to_vec(),
        };
        all.comps.extend(loc.comps.iter().cloned());
        let mut all = all.normalised();
        all.comps.retain(|c| c != "..");
        format!("/{}", all.comps.join("/"))
    }

    /// The location of `path` relative to `base` (absolute paths ignore it).
    pub fn locate_from(&self, base: &Location, path: &[u8]) -> Result<Location, Errno> {
        if path.starts_with(b"/") {
            return self.locate(path);
        }
        let path = core::str::from_utf8(path).map_err(|_| EILSEQ)?;
        let mut comps = base.comps.clone();
        comps.extend(components(path));
        Ok(Location {
            preopen: base.preopen,
            comps,
        })
    }

    /// (WASI directory fd, relative path) for a location.
    pub fn open_args(&self, loc: &Location) -> (u32, String) {
        (self.preopens[loc.preopen].wasi_fd, join(&loc.comps))
    }

    /// Where an absolute path, or a path relative to the current
    /// directory, lies.
    pub fn locate(&self, path: &[u8]) -> Result<Location, Errno> {
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
            if let Some(cwd) = &self.cwd {
                let mut all = cwd.comps.clone();
                all.extend(comps);
                return Ok(Location {
                    preopen: cwd.preopen,
                    comps: all,
                });
            }
        }
        // Longest prefix among the candidates; on a tie the earlier preopen
        // wins, and real preopens come before the cwd alias.
        let mut best: Option<(usize, usize)> = None;
        let mut consider = |prefix: &[String], index: usize| {
            if comps.starts_with(prefix) && best.is_none_or(|(len, _)| prefix.len() > len) {
                best = Some((prefix.len(), index));
            }
        };
        for (i, p) in self.preopens.iter().enumerate() {
            if p.absolute == absolute {
                consider(&p.comps, i);
            }
        }
        if absolute {
            if let (Some(name), Some(dot)) = (&self.dot_name, self.dot) {
                consider(name, dot);
            }
        }
        let (len, preopen) = best.ok_or(ENOENT)?;
        Ok(Location {
            preopen,
            comps: comps[len..].to_vec(),
        })
    }

    /// Resolves a guest path to (WASI directory fd, relative path).
    /// `dir` is the WASI fd of the dirfd argument of an *at() call, or None
    /// for AT_FDCWD; it is ignored for absolute paths, as on Linux.
    pub fn resolve(&self, path: &[u8], dir: Option<u32>) -> Result<(u32, String), Errno> {
        if let (Some(fd), false) = (dir, path.starts_with(b"/")) {
            if path.is_empty() {
                return Err(ENOENT);
            }
            let path = core::str::from_utf8(path).map_err(|_| EILSEQ)?;
            return Ok((fd, join(&components(path))));
        }
        let loc = self.locate(path)?;
        Ok(self.open_args(&loc))
    }

    /// The location chdir(path) would move to (the caller checks that it
    /// is a directory). `..` is resolved lexically; going above a preopen
    /// works only into another granted directory, found by absolute name.
    pub fn chdir_target(&self, path: &[u8]) -> Result<Location, Errno> {
        let loc = self.locate(path)?.normalised();
        if loc.comps.first().is_none_or(|c| c != "..") {
            return Ok(loc);
        }
        let Some(base) = self.base_name(loc.preopen) else {
            return Err(EACCES);
        };
        let mut abs = Location {
            preopen: loc.preopen,
            comps: base.iter().cloned().chain(loc.comps).collect(),
        }
        .normalised();
        // `/..` is `/`.
        abs.comps.retain(|c| c != "..");
        self.locate(format!("/{}", abs.comps.join("/")).as_bytes())
            .map(Location::normalised)
            .map_err(|_| EACCES)
    }

    /// Makes `loc` the current directory.
    pub fn set_cwd(&mut self, loc: Location) {
        self.cwd = if Some(loc.preopen) == self.dot && loc.comps.is_empty() {
            None
        } else {
            Some(loc)
        };
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
        assert_eq!(r.dot_fd(), Some(3));
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
        assert_eq!(r.dot_fd(), None);
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
    fn chdir_moves_relative_resolution() {
        let mut r = PathResolver::new(&[
            (3, ".".to_string()),
            (4, "/tmp".to_string()),
            (7, "data".to_string()),
        ]);
        r.set_cwd_name("/home/u");
        let to = |r: &mut PathResolver, p: &str| -> Result<(), Errno> {
            let loc = r.chdir_target(p.as_bytes())?;
            r.set_cwd(loc);
            Ok(())
        };
        to(&mut r, "a/./b/").unwrap();
        assert_eq!(r.cwd_display(), "/home/u/a/b");
        assert_eq!(r.cwd_dir(), Some((3, "a/b".into())));
        assert_eq!(res(&r, "f"), Ok((3, "a/b/f".into())));
        assert_eq!(
            res(&r, "data/f"),
            Ok((3, "a/b/data/f".into())),
            "preopen prefixes only at the start"
        );
        assert_eq!(
            res(&r, "../x"),
            Ok((3, "a/b/../x".into())),
            "`..` still left to WASI"
        );
        to(&mut r, "..").unwrap();
        assert_eq!(r.cwd_display(), "/home/u/a");
        to(&mut r, "/tmp/t").unwrap();
        assert_eq!(r.cwd_display(), "/tmp/t");
        assert_eq!(res(&r, "f"), Ok((4, "t/f".into())));
        to(&mut r, "../..").unwrap_err();
        assert_eq!(r.cwd_display(), "/tmp/t", "a failed chdir changes nothing");
        // Up out of /tmp and into the `.` preopen by its absolute name.
        to(&mut r, "../../home/u/a").unwrap();
        assert_eq!(r.cwd_dir(), Some((3, "a".into())));
        to(&mut r, "/home/u").unwrap();
        assert_eq!(r.cwd_dir(), Some((3, ".".into())));
        assert_eq!(res(&r, "data/f"), Ok((7, "f".into())), "back at the start");
        assert_eq!(r.chdir_target(b"/etc"), Err(ENOENT));
    }

    #[test]
    fn chdir_without_a_name() {
        let mut r = PathResolver::new(&[(3, ".".to_string())]);
        let loc = r.chdir_target(b"sub/dir/..").unwrap();
        r.set_cwd(loc);
        assert_eq!(r.cwd_display(), "/sub");
        assert_eq!(
            r.chdir_target(b"../.."),
            Err(EACCES),
            "cannot leave an unnamed preopen"
        );
        let loc = r.chdir_target(b"..").unwrap();
        r.set_cwd(loc);
        assert_eq!(r.cwd_dir(), Some((3, ".".into())));
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
