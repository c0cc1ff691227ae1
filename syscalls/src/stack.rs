//! Builds the initial guest stack exactly as the Linux ELF loader does:
//!
//! ```text
//! sp ->  argc
//!        argv[0] .. argv[argc-1], NULL
//!        envp[0] .. envp[n-1], NULL
//!        auxv (type, value) pairs ..., AT_NULL 0
//!        (padding)
//!        16 random bytes (AT_RANDOM), platform string, argument and
//!        environment strings, execfn string, 8 zero bytes   <- stack top
//! ```
//!
//! `sp` is 16-byte aligned. The builder produces the bytes for
//! `[sp, stack_top)`; the caller copies them into guest memory.

use crate::abi::{ARCH_AARCH64, ARCH_RISCV64, GUEST_PAGE_SIZE};
use crate::errno::{Errno, E2BIG};
use crate::linux::*;

/// riscv64 AT_HWCAP: one bit per single-letter extension, bit (letter - 'A').
/// We lift RV64GC, i.e. I, M, A, F, D and C.
pub const RISCV_HWCAP_IMAFDC: u64 = {
    let mut v = 0u64;
    let letters = *b"IMAFDC";
    let mut i = 0;
    while i < letters.len() {
        v |= 1 << (letters[i] - b'A');
        i += 1;
    }
    v
};

/// aarch64 AT_HWCAP: FP and ASIMD only, so that glibc's ifunc resolvers
/// pick baseline routines (no LSE atomics, no SVE, no CPUID emulation).
pub const AARCH64_HWCAP_FP_ASIMD: u64 = 0b11;

/// Everything the loader puts on the stack that is not derived from memory.
#[derive(Clone, Debug)]
pub struct StackParams<'a> {
    pub arch: u64,
    pub args: &'a [Vec<u8>],
    pub envs: &'a [Vec<u8>],
    /// AT_EXECFN: the program path the guest believes it was started as.
    pub execfn: &'a [u8],
    pub random: [u8; 16],
    pub entry: u64,
    pub phdr: u64,
    pub phnum: u64,
    pub phent: u64,
    pub uid: u32,
    pub gid: u32,
}

#[derive(Clone, Debug)]
pub struct InitialStack {
    pub sp: u64,
    /// The contents of `[sp, stack_top)`.
    pub bytes: Vec<u8>,
}

pub fn hwcap(arch: u64) -> u64 {
    match arch {
        ARCH_RISCV64 => RISCV_HWCAP_IMAFDC,
        ARCH_AARCH64 => AARCH64_HWCAP_FP_ASIMD,
        _ => 0,
    }
}

/// Minimum signal stack size the kernel reports (AT_MINSIGSTKSZ): the size
/// of its signal frame on each architecture (arm64 without SVE, riscv
/// without V), rounded up.
pub fn min_sigstksz(arch: u64) -> u64 {
    if arch == ARCH_AARCH64 {
        5120
    } else {
        2048
    }
}

/// Linux refuses an exec whose strings take more than a quarter of the
/// stack limit (E2BIG); the same bound keeps the rest of the stack usable.
pub const MAX_ARG_BYTES: u64 = crate::abi::GUEST_STACK_SIZE / 4;

/// Lays out the initial stack below `stack_top`. Fails with E2BIG when the
/// arguments and environment exceed [`MAX_ARG_BYTES`].
pub fn build(stack_top: u64, p: &StackParams) -> Result<InitialStack, Errno> {
    let strings: u64 = p
        .args
        .iter()
        .chain(p.envs)
        .map(|s| s.len() as u64 + 1)
        .sum();
    if strings + 8 * (p.args.len() + p.envs.len()) as u64 > MAX_ARG_BYTES
        || stack_top < MAX_ARG_BYTES * 3
    {
        return Err(E2BIG);
    }
    // Strings and blobs are placed from the top down, below 8 zero bytes
    // at the very top (as Linux leaves them).
    let mut cursor = stack_top - 8;
    let mut pieces: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut place_piece = |bytes: &[u8], nul: bool| -> u64 {
        cursor -= bytes.len() as u64 + nul as u64; // the NUL stays zero
        pieces.push((cursor, bytes.to_vec()));
        cursor
    };
    let execfn = place_piece(p.execfn, true);
    let mut env_ptrs: Vec<u64> = p.envs.iter().rev().map(|e| place_piece(e, true)).collect();
    env_ptrs.reverse();
    let mut arg_ptrs: Vec<u64> = p.args.iter().rev().map(|a| place_piece(a, true)).collect();
    arg_ptrs.reverse();
    let platform = place_piece(machine_name(p.arch).as_bytes(), true);
    let random = place_piece(&p.random, false);
    let strings_lo = random;

    let auxv: [(u64, u64); 20] = [
        (AT_PHDR, p.phdr),
        (AT_PHENT, p.phent),
        (AT_PHNUM, p.phnum),
        (AT_PAGESZ, GUEST_PAGE_SIZE),
        (AT_BASE, 0),
        (AT_FLAGS, 0),
        (AT_ENTRY, p.entry),
        (AT_UID, p.uid as u64),
        (AT_EUID, p.uid as u64),
        (AT_GID, p.gid as u64),
        (AT_EGID, p.gid as u64),
        (AT_SECURE, 0),
        (AT_RANDOM, random),
        (AT_HWCAP, hwcap(p.arch)),
        (AT_HWCAP2, 0),
        (AT_CLKTCK, 100),
        (AT_PLATFORM, platform),
        (AT_EXECFN, execfn),
        (AT_MINSIGSTKSZ, min_sigstksz(p.arch)),
        (AT_NULL, 0),
    ];
    // The table: argc, argv..., NULL, envp..., NULL, auxv pairs.
    let mut table: Vec<u64> =
        Vec::with_capacity(3 + arg_ptrs.len() + env_ptrs.len() + 2 * auxv.len());
    table.push(p.args.len() as u64);
    table.extend(&arg_ptrs);
    table.push(0);
    table.extend(&env_ptrs);
    table.push(0);
    for (t, v) in auxv {
        table.push(t);
        table.push(v);
    }
    let sp = (strings_lo - table.len() as u64 * 8) & !15;

    let mut bytes = vec![0u8; (stack_top - sp) as usize];
    for (i, w) in table.iter().enumerate() {
        bytes[i * 8..i * 8 + 8].copy_from_slice(&w.to_le_bytes());
    }
    for (at, piece) in pieces {
        let o = (at - sp) as usize;
        bytes[o..o + piece.len()].copy_from_slice(&piece);
    }
    Ok(InitialStack { sp, bytes })
}

/// The program name to show the guest: WASI's `argv[0]` with a trailing
/// `.wasm` removed, so `wasmtime run ./prog.wasm` looks like `./prog`.
pub fn guest_argv0(wasi_argv0: &[u8]) -> Vec<u8> {
    match wasi_argv0.strip_suffix(b".wasm") {
        Some(stem) if !stem.is_empty() && !stem.ends_with(b"/") => stem.to_vec(),
        _ => wasi_argv0.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(s: &InitialStack, addr: u64) -> u64 {
        let o = (addr - s.sp) as usize;
        u64::from_le_bytes(s.bytes[o..o + 8].try_into().unwrap())
    }

    fn cstr(s: &InitialStack, addr: u64) -> Vec<u8> {
        let o = (addr - s.sp) as usize;
        let n = s.bytes[o..].iter().position(|&b| b == 0).unwrap();
        s.bytes[o..o + n].to_vec()
    }

    fn params<'a>(args: &'a [Vec<u8>], envs: &'a [Vec<u8>]) -> StackParams<'a> {
        StackParams {
            arch: ARCH_RISCV64,
            args,
            envs,
            execfn: b"./prog",
            random: *b"0123456789abcdef",
            entry: 0x10450,
            phdr: 0x10040,
            phnum: 9,
            phent: 56,
            uid: 1000,
            gid: 1000,
        }
    }

    /// (argv, envp, auxv) as found on the stack.
    type Parsed = (Vec<Vec<u8>>, Vec<Vec<u8>>, Vec<(u64, u64)>);

    /// Walks the stack the way a libc start-up routine does.
    fn parse(s: &InitialStack) -> Parsed {
        let mut a = s.sp;
        let argc = word(s, a);
        a += 8;
        let mut args = vec![];
        for _ in 0..argc {
            args.push(cstr(s, word(s, a)));
            a += 8;
        }
        assert_eq!(word(s, a), 0, "argv NULL");
        a += 8;
        let mut envs = vec![];
        while word(s, a) != 0 {
            envs.push(cstr(s, word(s, a)));
            a += 8;
        }
        a += 8;
        let mut aux = vec![];
        loop {
            let (t, v) = (word(s, a), word(s, a + 8));
            a += 16;
            aux.push((t, v));
            if t == AT_NULL {
                break;
            }
        }
        (args, envs, aux)
    }

    fn aux_get(aux: &[(u64, u64)], t: u64) -> u64 {
        aux.iter()
            .find(|e| e.0 == t)
            .unwrap_or_else(|| panic!("auxv {t} missing"))
            .1
    }

    #[test]
    fn linux_layout() {
        let args = vec![b"./prog".to_vec(), b"a b".to_vec(), b"".to_vec()];
        let envs = vec![b"HOME=/root".to_vec(), b"X=1".to_vec()];
        let top = 0x90_0000;
        let s = build(top, &params(&args, &envs)).unwrap();
        assert_eq!(s.sp % 16, 0);
        assert_eq!(s.sp + s.bytes.len() as u64, top);
        assert_eq!(&s.bytes[s.bytes.len() - 8..], &[0; 8]);
        let (a, e, aux) = parse(&s);
        assert_eq!(a, args);
        assert_eq!(e, envs);
        assert_eq!(aux.last(), Some(&(AT_NULL, 0)));
        assert_eq!(aux_get(&aux, AT_PAGESZ), 4096);
        assert_eq!(aux_get(&aux, AT_ENTRY), 0x10450);
        assert_eq!(aux_get(&aux, AT_PHDR), 0x10040);
        assert_eq!(aux_get(&aux, AT_PHNUM), 9);
        assert_eq!(aux_get(&aux, AT_PHENT), 56);
        assert_eq!(aux_get(&aux, AT_UID), 1000);
        assert_eq!(aux_get(&aux, AT_EGID), 1000);
        assert_eq!(aux_get(&aux, AT_CLKTCK), 100);
        assert_eq!(aux_get(&aux, AT_SECURE), 0);
        assert_eq!(aux_get(&aux, AT_BASE), 0);
        assert_eq!(aux_get(&aux, AT_HWCAP2), 0);
        assert_eq!(aux_get(&aux, AT_HWCAP), 0x112d);
        assert_eq!(aux_get(&aux, AT_MINSIGSTKSZ), 2048);
        assert_eq!(cstr(&s, aux_get(&aux, AT_PLATFORM)), b"riscv64");
        assert_eq!(cstr(&s, aux_get(&aux, AT_EXECFN)), b"./prog");
        let r = aux_get(&aux, AT_RANDOM);
        let o = (r - s.sp) as usize;
        assert_eq!(&s.bytes[o..o + 16], b"0123456789abcdef");
        // Every pointer lies inside the stack image, above the table.
        for p in [r, aux_get(&aux, AT_PLATFORM), aux_get(&aux, AT_EXECFN)] {
            assert!(p > s.sp && p < top);
        }
    }

    #[test]
    fn empty_args_and_env() {
        let s = build(0x90_0000, &params(&[], &[])).unwrap();
        let (a, e, aux) = parse(&s);
        assert!(a.is_empty() && e.is_empty());
        assert!(aux.len() > 10);
        assert_eq!(s.sp % 16, 0);
    }

    #[test]
    fn alignment_for_every_string_length() {
        // Whatever the string sizes, sp must stay 16-byte aligned.
        for n in 0..40 {
            let args = vec![vec![b'x'; n]];
            let s = build(0x90_0000, &params(&args, &[])).unwrap();
            assert_eq!(s.sp % 16, 0, "n={n}");
            assert_eq!(parse(&s).0, args);
        }
    }

    #[test]
    fn oversized_arguments_are_refused() {
        let huge = vec![vec![b'x'; MAX_ARG_BYTES as usize]];
        assert_eq!(build(0x90_0000, &params(&huge, &[])).unwrap_err(), E2BIG);
        let many = vec![b"A=1".to_vec(); (MAX_ARG_BYTES / 12) as usize + 1];
        assert_eq!(build(0x90_0000, &params(&[], &many)).unwrap_err(), E2BIG);
        // Just under the limit is fine and still aligned.
        let big = vec![vec![b'y'; MAX_ARG_BYTES as usize - 64]];
        let s = build(0x90_0000, &params(&big, &[])).unwrap();
        assert_eq!(s.sp % 16, 0);
        assert_eq!(parse(&s).0, big);
    }

    #[test]
    fn aarch64_values() {
        let mut p = params(&[], &[]);
        p.arch = ARCH_AARCH64;
        let s = build(0x90_0000, &p).unwrap();
        let (_, _, aux) = parse(&s);
        assert_eq!(cstr(&s, aux_get(&aux, AT_PLATFORM)), b"aarch64");
        assert_eq!(aux_get(&aux, AT_HWCAP), 3);
    }

    #[test]
    fn hwcap_letters() {
        let bit = |c: u8| 1u64 << (c - b'A');
        assert_eq!(
            RISCV_HWCAP_IMAFDC,
            bit(b'I') | bit(b'M') | bit(b'A') | bit(b'F') | bit(b'D') | bit(b'C')
        );
    }

    #[test]
    fn argv0_strips_wasm_suffix() {
        assert_eq!(guest_argv0(b"./prog.wasm"), b"./prog");
        assert_eq!(guest_argv0(b"/a/b/hello.wasm"), b"/a/b/hello");
        assert_eq!(guest_argv0(b"prog"), b"prog");
        assert_eq!(guest_argv0(b"prog.wasm.txt"), b"prog.wasm.txt");
        // Nothing would be left of the name: keep it as is.
        assert_eq!(guest_argv0(b".wasm"), b".wasm");
        assert_eq!(guest_argv0(b"dir/.wasm"), b"dir/.wasm");
        assert_eq!(guest_argv0(b""), b"");
    }
}
