//! Linux errno values (asm-generic numbering, shared by riscv64 and aarch64),
//! their names and glibc messages (for strace-style tracing), and the mapping
//! from WASI preview1 errno codes.

/// A Linux errno value (positive). Syscalls return `-errno` to the guest.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Errno(pub i32);

/// Result of a syscall handler: the non-negative return value or an errno.
pub type SysResult = Result<u64, Errno>;

impl Errno {
    /// The raw value the guest sees in its result register.
    pub fn to_ret(self) -> u64 {
        (-(self.0 as i64)) as u64
    }

    /// Inverse of [`Errno::to_ret`]: a raw return value in -4095..=-1 is an errno.
    pub fn from_ret(ret: u64) -> Option<Errno> {
        let v = ret as i64;
        if (-4095..0).contains(&v) {
            Some(Errno(-v as i32))
        } else {
            None
        }
    }

    pub fn name(self) -> Option<&'static str> {
        lookup(self.0).map(|e| e.1)
    }

    pub fn message(self) -> Option<&'static str> {
        lookup(self.0).map(|e| e.2)
    }
}

fn lookup(n: i32) -> Option<&'static (i32, &'static str, &'static str)> {
    // The table is sorted by number; binary search keeps this cheap enough
    // to call for every traced syscall.
    TABLE
        .binary_search_by_key(&n, |e| e.0)
        .ok()
        .map(|i| &TABLE[i])
}

macro_rules! errnos {
    ($( $name:ident = $num:literal, $msg:literal; )*) => {
        $( pub const $name: Errno = Errno($num); )*
        /// (number, name, message), sorted by number.
        const TABLE: &[(i32, &str, &str)] = &[ $( ($num, stringify!($name), $msg), )* ];
    };
}

errnos! {
    EPERM = 1, "Operation not permitted";
    ENOENT = 2, "No such file or directory";
    ESRCH = 3, "No such process";
    EINTR = 4, "Interrupted system call";
    EIO = 5, "Input/output error";
    ENXIO = 6, "No such device or address";
    E2BIG = 7, "Argument list too long";
    ENOEXEC = 8, "Exec format error";
    EBADF = 9, "Bad file descriptor";
    ECHILD = 10, "No child processes";
    EAGAIN = 11, "Resource temporarily unavailable";
    ENOMEM = 12, "Cannot allocate memory";
    EACCES = 13, "Permission denied";
    EFAULT = 14, "Bad address";
    ENOTBLK = 15, "Block device required";
    EBUSY = 16, "Device or resource busy";
    EEXIST = 17, "File exists";
    EXDEV = 18, "Invalid cross-device link";
    ENODEV = 19, "No such device";
    ENOTDIR = 20, "Not a directory";
    EISDIR = 21, "Is a directory";
    EINVAL = 22, "Invalid argument";
    ENFILE = 23, "Too many open files in system";
    EMFILE = 24, "Too many open files";
    ENOTTY = 25, "Inappropriate ioctl for device";
    ETXTBSY = 26, "Text file busy";
    EFBIG = 27, "File too large";
    ENOSPC = 28, "No space left on device";
    ESPIPE = 29, "Illegal seek";
    EROFS = 30, "Read-only file system";
    EMLINK = 31, "Too many links";
    EPIPE = 32, "Broken pipe";
    EDOM = 33, "Numerical argument out of domain";
    ERANGE = 34, "Numerical result out of range";
    EDEADLK = 35, "Resource deadlock avoided";
    ENAMETOOLONG = 36, "File name too long";
    ENOLCK = 37, "No locks available";
    ENOSYS = 38, "Function not implemented";
    ENOTEMPTY = 39, "Directory not empty";
    ELOOP = 40, "Too many levels of symbolic links";
    ENOMSG = 42, "No message of desired type";
    EIDRM = 43, "Identifier removed";
    ECHRNG = 44, "Channel number out of range";
    EL2NSYNC = 45, "Level 2 not synchronized";
    EL3HLT = 46, "Level 3 halted";
    EL3RST = 47, "Level 3 reset";
    ELNRNG = 48, "Link number out of range";
    EUNATCH = 49, "Protocol driver not attached";
    ENOCSI = 50, "No CSI structure available";
    EL2HLT = 51, "Level 2 halted";
    EBADE = 52, "Invalid exchange";
    EBADR = 53, "Invalid request descriptor";
    EXFULL = 54, "Exchange full";
    ENOANO = 55, "No anode";
    EBADRQC = 56, "Invalid request code";
    EBADSLT = 57, "Invalid slot";
    EBFONT = 59, "Bad font file format";
    ENOSTR = 60, "Device not a stream";
    ENODATA = 61, "No data available";
    ETIME = 62, "Timer expired";
    ENOSR = 63, "Out of streams resources";
    ENONET = 64, "Machine is not on the network";
    ENOPKG = 65, "Package not installed";
    EREMOTE = 66, "Object is remote";
    ENOLINK = 67, "Link has been severed";
    EADV = 68, "Advertise error";
    ESRMNT = 69, "Srmount error";
    ECOMM = 70, "Communication error on send";
    EPROTO = 71, "Protocol error";
    EMULTIHOP = 72, "Multihop attempted";
    EDOTDOT = 73, "RFS specific error";
    EBADMSG = 74, "Bad message";
    EOVERFLOW = 75, "Value too large for defined data type";
    ENOTUNIQ = 76, "Name not unique on network";
    EBADFD = 77, "File descriptor in bad state";
    EREMCHG = 78, "Remote address changed";
    ELIBACC = 79, "Can not access a needed shared library";
    ELIBBAD = 80, "Accessing a corrupted shared library";
    ELIBSCN = 81, ".lib section in a.out corrupted";
    ELIBMAX = 82, "Attempting to link in too many shared libraries";
    ELIBEXEC = 83, "Cannot exec a shared library directly";
    EILSEQ = 84, "Invalid or incomplete multibyte or wide character";
    ERESTART = 85, "Interrupted system call should be restarted";
    ESTRPIPE = 86, "Streams pipe error";
    EUSERS = 87, "Too many users";
    ENOTSOCK = 88, "Socket operation on non-socket";
    EDESTADDRREQ = 89, "Destination address required";
    EMSGSIZE = 90, "Message too long";
    EPROTOTYPE = 91, "Protocol wrong type for socket";
    ENOPROTOOPT = 92, "Protocol not available";
    EPROTONOSUPPORT = 93, "Protocol not supported";
    ESOCKTNOSUPPORT = 94, "Socket type not supported";
    EOPNOTSUPP = 95, "Operation not supported";
    EPFNOSUPPORT = 96, "Protocol family not supported";
    EAFNOSUPPORT = 97, "Address family not supported by protocol";
    EADDRINUSE = 98, "Address already in use";
    EADDRNOTAVAIL = 99, "Cannot assign requested address";
    ENETDOWN = 100, "Network is down";
    ENETUNREACH = 101, "Network is unreachable";
    ENETRESET = 102, "Network dropped connection on reset";
    ECONNABORTED = 103, "Software caused connection abort";
    ECONNRESET = 104, "Connection reset by peer";
    ENOBUFS = 105, "No buffer space available";
    EISCONN = 106, "Transport endpoint is already connected";
    ENOTCONN = 107, "Transport endpoint is not connected";
    ESHUTDOWN = 108, "Cannot send after transport endpoint shutdown";
    ETOOMANYREFS = 109, "Too many references: cannot splice";
    ETIMEDOUT = 110, "Connection timed out";
    ECONNREFUSED = 111, "Connection refused";
    EHOSTDOWN = 112, "Host is down";
    EHOSTUNREACH = 113, "No route to host";
    EALREADY = 114, "Operation already in progress";
    EINPROGRESS = 115, "Operation now in progress";
    ESTALE = 116, "Stale file handle";
    EUCLEAN = 117, "Structure needs cleaning";
    ENOTNAM = 118, "Not a XENIX named type file";
    ENAVAIL = 119, "No XENIX semaphores available";
    EISNAM = 120, "Is a named type file";
    EREMOTEIO = 121, "Remote I/O error";
    EDQUOT = 122, "Disk quota exceeded";
    ENOMEDIUM = 123, "No medium found";
    EMEDIUMTYPE = 124, "Wrong medium type";
    ECANCELED = 125, "Operation canceled";
    ENOKEY = 126, "Required key not available";
    EKEYEXPIRED = 127, "Key has expired";
    EKEYREVOKED = 128, "Key has been revoked";
    EKEYREJECTED = 129, "Key was rejected by service";
    EOWNERDEAD = 130, "Owner died";
    ENOTRECOVERABLE = 131, "State not recoverable";
    ERFKILL = 132, "Operation not possible due to RF-kill";
    EHWPOISON = 133, "Memory page has hardware error";
}

/// Linux errno for a WASI preview1 errno code (`wasi::Errno::raw()`).
///
/// Every preview1 code has an entry; codes a future WASI might add map to
/// EIO so the guest still sees a failure rather than success.
pub fn from_wasi(code: u16) -> Errno {
    // Indexed by the WASI code, in the order of the preview1 witx `errno` enum.
    const MAP: [Errno; 77] = [
        Errno(0),        // 0 success (callers never map it)
        E2BIG,           // 1 2big
        EACCES,          // 2 acces
        EADDRINUSE,      // 3 addrinuse
        EADDRNOTAVAIL,   // 4 addrnotavail
        EAFNOSUPPORT,    // 5 afnosupport
        EAGAIN,          // 6 again
        EALREADY,        // 7 already
        EBADF,           // 8 badf
        EBADMSG,         // 9 badmsg
        EBUSY,           // 10 busy
        ECANCELED,       // 11 canceled
        ECHILD,          // 12 child
        ECONNABORTED,    // 13 connaborted
        ECONNREFUSED,    // 14 connrefused
        ECONNRESET,      // 15 connreset
        EDEADLK,         // 16 deadlk
        EDESTADDRREQ,    // 17 destaddrreq
        EDOM,            // 18 dom
        EDQUOT,          // 19 dquot
        EEXIST,          // 20 exist
        EFAULT,          // 21 fault
        EFBIG,           // 22 fbig
        EHOSTUNREACH,    // 23 hostunreach
        EIDRM,           // 24 idrm
        EILSEQ,          // 25 ilseq
        EINPROGRESS,     // 26 inprogress
        EINTR,           // 27 intr
        EINVAL,          // 28 inval
        EIO,             // 29 io
        EISCONN,         // 30 isconn
        EISDIR,          // 31 isdir
        ELOOP,           // 32 loop
        EMFILE,          // 33 mfile
        EMLINK,          // 34 mlink
        EMSGSIZE,        // 35 msgsize
        EMULTIHOP,       // 36 multihop
        ENAMETOOLONG,    // 37 nametoolong
        ENETDOWN,        // 38 netdown
        ENETRESET,       // 39 netreset
        ENETUNREACH,     // 40 netunreach
        ENFILE,          // 41 nfile
        ENOBUFS,         // 42 nobufs
        ENODEV,          // 43 nodev
        ENOENT,          // 44 noent
        ENOEXEC,         // 45 noexec
        ENOLCK,          // 46 nolck
        ENOLINK,         // 47 nolink
        ENOMEM,          // 48 nomem
        ENOMSG,          // 49 nomsg
        ENOPROTOOPT,     // 50 noprotoopt
        ENOSPC,          // 51 nospc
        ENOSYS,          // 52 nosys
        ENOTCONN,        // 53 notconn
        ENOTDIR,         // 54 notdir
        ENOTEMPTY,       // 55 notempty
        ENOTRECOVERABLE, // 56 notrecoverable
        ENOTSOCK,        // 57 notsock
        EOPNOTSUPP,      // 58 notsup (Linux ENOTSUP == EOPNOTSUPP)
        ENOTTY,          // 59 notty
        ENXIO,           // 60 nxio
        EOVERFLOW,       // 61 overflow
        EOWNERDEAD,      // 62 ownerdead
        EPERM,           // 63 perm
        EPIPE,           // 64 pipe
        EPROTO,          // 65 proto
        EPROTONOSUPPORT, // 66 protonosupport
        EPROTOTYPE,      // 67 prototype
        ERANGE,          // 68 range
        EROFS,           // 69 rofs
        ESPIPE,          // 70 spipe
        ESRCH,           // 71 srch
        ESTALE,          // 72 stale
        ETIMEDOUT,       // 73 timedout
        ETXTBSY,         // 74 txtbsy
        EXDEV,           // 75 xdev
        // notcapable: the sandbox refused (e.g. a path outside every
        // preopen); to a Linux program that is a permission problem.
        EACCES, // 76 notcapable
    ];
    MAP.get(code as usize).copied().unwrap_or(EIO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        for w in TABLE.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].1, w[1].1);
        }
        assert_eq!(TABLE.len(), 131); // 1..=133 minus the unused 41 and 58
    }

    #[test]
    fn names_and_messages() {
        assert_eq!(ENOENT.name(), Some("ENOENT"));
        assert_eq!(ENOENT.message(), Some("No such file or directory"));
        assert_eq!(EHWPOISON.name(), Some("EHWPOISON"));
        assert_eq!(Errno(41).name(), None);
        assert_eq!(Errno(0).name(), None);
        assert_eq!(Errno(4000).message(), None);
    }

    #[test]
    fn ret_round_trip() {
        assert_eq!(ENOSYS.to_ret(), (-38i64) as u64);
        assert_eq!(Errno::from_ret(ENOSYS.to_ret()), Some(ENOSYS));
        assert_eq!(Errno::from_ret(0), None);
        assert_eq!(Errno::from_ret(5), None);
        // mmap can return high addresses; only -4095..-1 are errors.
        assert_eq!(Errno::from_ret((-4096i64) as u64), None);
        assert_eq!(Errno::from_ret(u64::MAX), Some(EPERM));
    }

    /// The preview1 errno names in code order (from the witx spec).
    const WASI_NAMES: [&str; 77] = [
        "SUCCESS",
        "2BIG",
        "ACCES",
        "ADDRINUSE",
        "ADDRNOTAVAIL",
        "AFNOSUPPORT",
        "AGAIN",
        "ALREADY",
        "BADF",
        "BADMSG",
        "BUSY",
        "CANCELED",
        "CHILD",
        "CONNABORTED",
        "CONNREFUSED",
        "CONNRESET",
        "DEADLK",
        "DESTADDRREQ",
        "DOM",
        "DQUOT",
        "EXIST",
        "FAULT",
        "FBIG",
        "HOSTUNREACH",
        "IDRM",
        "ILSEQ",
        "INPROGRESS",
        "INTR",
        "INVAL",
        "IO",
        "ISCONN",
        "ISDIR",
        "LOOP",
        "MFILE",
        "MLINK",
        "MSGSIZE",
        "MULTIHOP",
        "NAMETOOLONG",
        "NETDOWN",
        "NETRESET",
        "NETUNREACH",
        "NFILE",
        "NOBUFS",
        "NODEV",
        "NOENT",
        "NOEXEC",
        "NOLCK",
        "NOLINK",
        "NOMEM",
        "NOMSG",
        "NOPROTOOPT",
        "NOSPC",
        "NOSYS",
        "NOTCONN",
        "NOTDIR",
        "NOTEMPTY",
        "NOTRECOVERABLE",
        "NOTSOCK",
        "NOTSUP",
        "NOTTY",
        "NXIO",
        "OVERFLOW",
        "OWNERDEAD",
        "PERM",
        "PIPE",
        "PROTO",
        "PROTONOSUPPORT",
        "PROTOTYPE",
        "RANGE",
        "ROFS",
        "SPIPE",
        "SRCH",
        "STALE",
        "TIMEDOUT",
        "TXTBSY",
        "XDEV",
        "NOTCAPABLE",
    ];

    #[test]
    fn wasi_mapping_matches_names() {
        // Each WASI code maps to the Linux errno of the same name, except
        // the two that Linux lacks.
        for (code, wasi_name) in WASI_NAMES.iter().enumerate().skip(1) {
            let linux = from_wasi(code as u16).name().unwrap();
            let expect = match *wasi_name {
                "NOTSUP" => "EOPNOTSUPP".to_string(),
                "NOTCAPABLE" => "EACCES".to_string(),
                n => format!("E{n}"),
            };
            assert_eq!(linux, expect, "wasi code {code}");
        }
    }

    #[test]
    fn wasi_mapping() {
        // Spot checks against the preview1 numbering.
        assert_eq!(from_wasi(1), E2BIG);
        assert_eq!(from_wasi(8), EBADF);
        assert_eq!(from_wasi(20), EEXIST);
        assert_eq!(from_wasi(28), EINVAL);
        assert_eq!(from_wasi(44), ENOENT);
        assert_eq!(from_wasi(52), ENOSYS);
        assert_eq!(from_wasi(54), ENOTDIR);
        assert_eq!(from_wasi(58), EOPNOTSUPP);
        assert_eq!(from_wasi(59), ENOTTY);
        assert_eq!(from_wasi(70), ESPIPE);
        assert_eq!(from_wasi(75), EXDEV);
        assert_eq!(from_wasi(76), EACCES);
        assert_eq!(from_wasi(77), EIO);
        assert_eq!(from_wasi(u16::MAX), EIO);
        // Every real code maps to a named Linux errno.
        for code in 1..=76u16 {
            assert!(from_wasi(code).name().is_some(), "wasi code {code}");
        }
    }
}
