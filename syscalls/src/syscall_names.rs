//! Names of the Linux syscalls by number, in the asm-generic numbering
//! riscv64 and aarch64 share (`include/uapi/asm-generic/unistd.h`; 258 and
//! 259 are riscv64's own). Used to trace calls the layer does not
//! implement by name, and by a test that checks every entry of the
//! dispatch table carries the right name for its number.

/// (number, name), sorted by number.
const NAMES: &[(u16, &str)] = &[
    (0, "io_setup"),
    (1, "io_destroy"),
    (2, "io_submit"),
    (3, "io_cancel"),
    (4, "io_getevents"),
    (5, "setxattr"),
    (6, "lsetxattr"),
    (7, "fsetxattr"),
    (8, "getxattr"),
    (9, "lgetxattr"),
    (10, "fgetxattr"),
    (11, "listxattr"),
    (12, "llistxattr"),
    (13, "flistxattr"),
    (14, "removexattr"),
    (15, "lremovexattr"),
    (16, "fremovexattr"),
    (17, "getcwd"),
    (18, "lookup_dcookie"),
    (19, "eventfd2"),
    (20, "epoll_create1"),
    (21, "epoll_ctl"),
    (22, "epoll_pwait"),
    (23, "dup"),
    (24, "dup3"),
    (25, "fcntl"),
    (26, "inotify_init1"),
    (27, "inotify_add_watch"),
    (28, "inotify_rm_watch"),
    (29, "ioctl"),
    (30, "ioprio_set"),
    (31, "ioprio_get"),
    (32, "flock"),
    (33, "mknodat"),
    (34, "mkdirat"),
    (35, "unlinkat"),
    (36, "symlinkat"),
    (37, "linkat"),
    (38, "renameat"),
    (39, "umount2"),
    (40, "mount"),
    (41, "pivot_root"),
    (42, "nfsservctl"),
    (43, "statfs"),
    (44, "fstatfs"),
    (45, "truncate"),
    (46, "ftruncate"),
    (47, "fallocate"),
    (48, "faccessat"),
    (49, "chdir"),
    (50, "fchdir"),
    (51, "chroot"),
    (52, "fchmod"),
    (53, "fchmodat"),
    (54, "fchownat"),
    (55, "fchown"),
    (56, "openat"),
    (57, "close"),
    (58, "vhangup"),
    (59, "pipe2"),
    (60, "quotactl"),
    (61, "getdents64"),
    (62, "lseek"),
    (63, "read"),
    (64, "write"),
    (65, "readv"),
    (66, "writev"),
    (67, "pread64"),
    (68, "pwrite64"),
    (69, "preadv"),
    (70, "pwritev"),
    (71, "sendfile"),
    (72, "pselect6"),
    (73, "ppoll"),
    (74, "signalfd4"),
    (75, "vmsplice"),
    (76, "splice"),
    (77, "tee"),
    (78, "readlinkat"),
    (79, "newfstatat"),
    (80, "fstat"),
    (81, "sync"),
    (82, "fsync"),
    (83, "fdatasync"),
    (84, "sync_file_range"),
    (85, "timerfd_create"),
    (86, "timerfd_settime"),
    (87, "timerfd_gettime"),
    (88, "utimensat"),
    (89, "acct"),
    (90, "capget"),
    (91, "capset"),
    (92, "personality"),
    (93, "exit"),
    (94, "exit_group"),
    (95, "waitid"),
    (96, "set_tid_address"),
    (97, "unshare"),
    (98, "futex"),
    (99, "set_robust_list"),
    (100, "get_robust_list"),
    (101, "nanosleep"),
    (102, "getitimer"),
    (103, "setitimer"),
    (104, "kexec_load"),
    (105, "init_module"),
    (106, "delete_module"),
    (107, "timer_create"),
    (108, "timer_gettime"),
    (109, "timer_getoverrun"),
    (110, "timer_settime"),
    (111, "timer_delete"),
    (112, "clock_settime"),
    (113, "clock_gettime"),
    (114, "clock_getres"),
    (115, "clock_nanosleep"),
    (116, "syslog"),
    (117, "ptrace"),
    (118, "sched_setparam"),
    (119, "sched_setscheduler"),
    (120, "sched_getscheduler"),
    (121, "sched_getparam"),
    (122, "sched_setaffinity"),
    (123, "sched_getaffinity"),
    (124, "sched_yield"),
    (125, "sched_get_priority_max"),
    (126, "sched_get_priority_min"),
    (127, "sched_rr_get_interval"),
    (128, "restart_syscall"),
    (129, "kill"),
    (130, "tkill"),
    (131, "tgkill"),
    (132, "sigaltstack"),
    (133, "rt_sigsuspend"),
    (134, "rt_sigaction"),
    (135, "rt_sigprocmask"),
    (136, "rt_sigpending"),
    (137, "rt_sigtimedwait"),
    (138, "rt_sigqueueinfo"),
    (139, "rt_sigreturn"),
    (140, "setpriority"),
    (141, "getpriority"),
    (142, "reboot"),
    (143, "setregid"),
    (144, "setgid"),
    (145, "setreuid"),
    (146, "setuid"),
    (147, "setresuid"),
    (148, "getresuid"),
    (149, "setresgid"),
    (150, "getresgid"),
    (151, "setfsuid"),
    (152, "setfsgid"),
    (153, "times"),
    (154, "setpgid"),
    (155, "getpgid"),
    (156, "getsid"),
    (157, "setsid"),
    (158, "getgroups"),
    (159, "setgroups"),
    (160, "uname"),
    (161, "sethostname"),
    (162, "setdomainname"),
    (163, "getrlimit"),
    (164, "setrlimit"),
    (165, "getrusage"),
    (166, "umask"),
    (167, "prctl"),
    (168, "getcpu"),
    (169, "gettimeofday"),
    (170, "settimeofday"),
    (171, "adjtimex"),
    (172, "getpid"),
    (173, "getppid"),
    (174, "getuid"),
    (175, "geteuid"),
    (176, "getgid"),
    (177, "getegid"),
    (178, "gettid"),
    (179, "sysinfo"),
    (180, "mq_open"),
    (181, "mq_unlink"),
    (182, "mq_timedsend"),
    (183, "mq_timedreceive"),
    (184, "mq_notify"),
    (185, "mq_getsetattr"),
    (186, "msgget"),
    (187, "msgctl"),
    (188, "msgrcv"),
    (189, "msgsnd"),
    (190, "semget"),
    (191, "semctl"),
    (192, "semtimedop"),
    (193, "semop"),
    (194, "shmget"),
    (195, "shmctl"),
    (196, "shmat"),
    (197, "shmdt"),
    (198, "socket"),
    (199, "socketpair"),
    (200, "bind"),
    (201, "listen"),
    (202, "accept"),
    (203, "connect"),
    (204, "getsockname"),
    (205, "getpeername"),
    (206, "sendto"),
    (207, "recvfrom"),
    (208, "setsockopt"),
    (209, "getsockopt"),
    (210, "shutdown"),
    (211, "sendmsg"),
    (212, "recvmsg"),
    (213, "readahead"),
    (214, "brk"),
    (215, "munmap"),
    (216, "mremap"),
    (217, "add_key"),
    (218, "request_key"),
    (219, "keyctl"),
    (220, "clone"),
    (221, "execve"),
    (222, "mmap"),
    (223, "fadvise64"),
    (224, "swapon"),
    (225, "swapoff"),
    (226, "mprotect"),
    (227, "msync"),
    (228, "mlock"),
    (229, "munlock"),
    (230, "mlockall"),
    (231, "munlockall"),
    (232, "mincore"),
    (233, "madvise"),
    (234, "remap_file_pages"),
    (235, "mbind"),
    (236, "get_mempolicy"),
    (237, "set_mempolicy"),
    (238, "migrate_pages"),
    (239, "move_pages"),
    (240, "rt_tgsigqueueinfo"),
    (241, "perf_event_open"),
    (242, "accept4"),
    (243, "recvmmsg"),
    (258, "riscv_hwprobe"),
    (259, "riscv_flush_icache"),
    (260, "wait4"),
    (261, "prlimit64"),
    (262, "fanotify_init"),
    (263, "fanotify_mark"),
    (264, "name_to_handle_at"),
    (265, "open_by_handle_at"),
    (266, "clock_adjtime"),
    (267, "syncfs"),
    (268, "setns"),
    (269, "sendmmsg"),
    (270, "process_vm_readv"),
    (271, "process_vm_writev"),
    (272, "kcmp"),
    (273, "finit_module"),
    (274, "sched_setattr"),
    (275, "sched_getattr"),
    (276, "renameat2"),
    (277, "seccomp"),
    (278, "getrandom"),
    (279, "memfd_create"),
    (280, "bpf"),
    (281, "execveat"),
    (282, "userfaultfd"),
    (283, "membarrier"),
    (284, "mlock2"),
    (285, "copy_file_range"),
    (286, "preadv2"),
    (287, "pwritev2"),
    (288, "pkey_mprotect"),
    (289, "pkey_alloc"),
    (290, "pkey_free"),
    (291, "statx"),
    (292, "io_pgetevents"),
    (293, "rseq"),
    (294, "kexec_file_load"),
    (424, "pidfd_send_signal"),
    (425, "io_uring_setup"),
    (426, "io_uring_enter"),
    (427, "io_uring_register"),
    (428, "open_tree"),
    (429, "move_mount"),
    (430, "fsopen"),
    (431, "fsconfig"),
    (432, "fsmount"),
    (433, "fspick"),
    (434, "pidfd_open"),
    (435, "clone3"),
    (436, "close_range"),
    (437, "openat2"),
    (438, "pidfd_getfd"),
    (439, "faccessat2"),
    (440, "process_madvise"),
    (441, "epoll_pwait2"),
    (442, "mount_setattr"),
    (443, "quotactl_fd"),
    (444, "landlock_create_ruleset"),
    (445, "landlock_add_rule"),
    (446, "landlock_restrict_self"),
    (447, "memfd_secret"),
    (448, "process_mrelease"),
    (449, "futex_waitv"),
    (450, "set_mempolicy_home_node"),
    (451, "cachestat"),
    (452, "fchmodat2"),
];

/// The Linux name of syscall `nr`.
pub fn name(nr: u64) -> Option<&'static str> {
    let nr = u16::try_from(nr).ok()?;
    NAMES
        .binary_search_by_key(&nr, |e| e.0)
        .ok()
        .map(|i| NAMES[i].1)
}

/// Calls that create processes or threads: not supported yet (a later
/// issue); tracing says so next to their ENOSYS.
pub fn creates_processes(nr: u64) -> bool {
    matches!(
        name(nr),
        Some("clone" | "clone3" | "execve" | "execveat" | "wait4" | "waitid")
    )
}

/// One entry of the dispatch table, as read from the table's source text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableEntry {
    pub nr: u64,
    pub name: String,
    /// The `// family (file.rs)` comment the entry is listed under.
    pub family: String,
}

/// Reads the entries of the dispatch table from the source of
/// `runtime/dispatch.rs`: every `sys(NR, "name", ...)` (also `sys_addr`,
/// `sys_exit`) inside `SYSCALLS`, with the `// ...` comment line above it
/// as its family. The README's list of supported syscalls is generated
/// from this (see tests/tests/syscall_list.rs), so it cannot drift.
pub fn parse_dispatch_table(src: &str) -> Vec<TableEntry> {
    let Some(start) = src.find("pub static SYSCALLS") else {
        return Vec::new();
    };
    let body = &src[start..];
    let body = &body[..body.find("\n];").unwrap_or(body.len())];
    let mut out = Vec::new();
    let mut family = String::new();
    let mut rest = body;
    while !rest.is_empty() {
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let line = rest[..line_end].trim();
        if let Some(comment) = line.strip_prefix("//") {
            if !comment.starts_with('/') {
                family = comment.trim().to_string();
            }
            rest = &rest[(line_end + 1).min(rest.len())..];
            continue;
        }
        let call = ["sys(", "sys_addr(", "sys_exit("]
            .iter()
            .find_map(|p| line.strip_prefix(p).map(|_| p.len()));
        let Some(skip) = call else {
            rest = &rest[(line_end + 1).min(rest.len())..];
            continue;
        };
        // The arguments may be spread over several lines (rustfmt).
        let args = &rest[rest.find(line).unwrap_or(0) + skip..];
        let mut parts = args.splitn(3, ',');
        let nr = parts.next().and_then(|n| n.trim().parse().ok());
        let name = parts.next().map(|n| n.trim().trim_matches('"').to_string());
        if let (Some(nr), Some(name)) = (nr, name) {
            out.push(TableEntry {
                nr,
                name,
                family: family.clone(),
            });
        }
        rest = &rest[(line_end + 1).min(rest.len())..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every entry of the dispatch table carries the Linux name of its
    /// number, and no number is listed twice.
    #[test]
    fn dispatch_table_names_match_numbers() {
        let table = parse_dispatch_table(include_str!("runtime/dispatch.rs"));
        assert!(table.len() > 100, "parsed only {} entries", table.len());
        for e in &table {
            assert_eq!(name(e.nr), Some(e.name.as_str()), "syscall {}", e.nr);
            assert!(!e.family.is_empty(), "{} has no family comment", e.name);
        }
        let mut nrs: Vec<u64> = table.iter().map(|e| e.nr).collect();
        nrs.sort();
        nrs.dedup();
        assert_eq!(nrs.len(), table.len(), "a number is listed twice");
    }

    #[test]
    fn parses_split_entries() {
        let src = "pub static SYSCALLS: &[Syscall] = &[\n    // files (fs.rs)\n    sys(17, \"getcwd\", &[Ptr, Size], fs::getcwd),\n    sys(\n        276,\n        \"renameat2\",\n        &[DirFd],\n        fs::renameat2,\n    ),\n    // memory (mem.rs)\n    sys_addr(214, \"brk\", &[Ptr], mem::brk),\n];\n";
        let t = parse_dispatch_table(src);
        let got: Vec<(u64, &str, &str)> = t
            .iter()
            .map(|e| (e.nr, e.name.as_str(), e.family.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (17, "getcwd", "files (fs.rs)"),
                (276, "renameat2", "files (fs.rs)"),
                (214, "brk", "memory (mem.rs)")
            ]
        );
    }

    #[test]
    fn sorted_and_unique() {
        assert!(NAMES.windows(2).all(|w| w[0].0 < w[1].0));
        let mut names: Vec<_> = NAMES.iter().map(|e| e.1).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), NAMES.len());
    }

    #[test]
    fn lookups() {
        assert_eq!(name(56), Some("openat"));
        assert_eq!(name(94), Some("exit_group"));
        assert_eq!(name(220), Some("clone"));
        assert_eq!(name(452), Some("fchmodat2"));
        assert_eq!(name(250), None);
        assert_eq!(name(1 << 40), None);
        assert!(creates_processes(221));
        assert!(!creates_processes(56));
    }
}
