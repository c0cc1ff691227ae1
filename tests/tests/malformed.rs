//! Malformed input: what elfconv2 does with ELF files that are damaged or hostile, and with a
//! damaged translation cache.
//!
//! - `malformed::translate::mutations` and `malformed::run::mutations`: seeded mutations of
//!   small riscv64 programs (`tests/harness/tiny_nolibc.c`, built three ways), given to
//!   `elfconv2 translate` and `elfconv2 run`. Each must be translated (and run), or be refused
//!   with exactly one line on stderr and a non-zero exit; never a panic, an abort, a signal or a
//!   hang. A mutated program that runs forever under `elfconv2 run` passes only if it runs
//!   forever under qemu-riscv64 too.
//! - `malformed::translate::*-near-2^45`: the segment sizes that once made the translator
//!   allocate tens of terabytes and abort.
//! - `malformed::cache::*`: every file of a translation's cache entry, truncated or with a
//!   flipped byte, is rebuilt: the next run behaves exactly as under qemu, and the file is intact
//!   again afterwards.

use elfconv2_tests::build;
use elfconv2_tests::paths;
use elfconv2_tests::process::{Cmd, Output, Status};
use elfconv2_tests::tools;
use elfconv2_tests::{Arch, Variant};
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// How many mutations each subcommand gets. `translate` is cheap (a fraction of a second per
/// input); `run` also compiles and runs what translates.
const TRANSLATE_MUTATIONS: usize = 400;
const RUN_MUTATIONS: usize = 80;

/// A mutant that neither finishes nor is refused within this long is a hang, unless qemu
/// also runs it that long.
const HANG_LIMIT: Duration = Duration::from_secs(60);

/// xorshift64*: every run mutates the same way.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One header field: where it is, how wide, and what it is called (for failure messages).
struct Field {
    at: usize,
    width: usize,
    name: String,
}

fn read_le(b: &[u8], at: usize, width: usize) -> u64 {
    let mut v = 0u64;
    for i in (0..width).rev() {
        v = v << 8 | *b.get(at + i).unwrap_or(&0) as u64;
    }
    v
}

fn write_le(b: &mut [u8], at: usize, width: usize, v: u64) {
    for i in 0..width {
        if let Some(byte) = b.get_mut(at + i) {
            *byte = (v >> (8 * i)) as u8;
        }
    }
}

/// Every field of the ELF header, the program headers and the section headers of `elf`
/// (an intact ELF64 file).
fn header_fields(elf: &[u8]) -> Vec<Field> {
    let f = |at: usize, width: usize, name: String| Field { at, width, name };
    let mut out = Vec::new();
    for (at, width, name) in [
        (4, 1, "EI_CLASS"),
        (5, 1, "EI_DATA"),
        (16, 2, "e_type"),
        (18, 2, "e_machine"),
        (24, 8, "e_entry"),
        (32, 8, "e_phoff"),
        (40, 8, "e_shoff"),
        (54, 2, "e_phentsize"),
        (56, 2, "e_phnum"),
        (58, 2, "e_shentsize"),
        (60, 2, "e_shnum"),
        (62, 2, "e_shstrndx"),
    ] {
        out.push(f(at, width, name.to_string()));
    }
    let phoff = read_le(elf, 32, 8) as usize;
    for i in 0..read_le(elf, 56, 2) as usize {
        let base = phoff + 56 * i;
        for (at, width, name) in [
            (0, 4, "p_type"),
            (4, 4, "p_flags"),
            (8, 8, "p_offset"),
            (16, 8, "p_vaddr"),
            (32, 8, "p_filesz"),
            (40, 8, "p_memsz"),
        ] {
            out.push(f(base + at, width, format!("{name} of segment {i}")));
        }
    }
    let shoff = read_le(elf, 40, 8) as usize;
    for i in 0..read_le(elf, 60, 2) as usize {
        let base = shoff + 64 * i;
        for (at, width, name) in [
            (0, 4, "sh_name"),
            (4, 4, "sh_type"),
            (8, 8, "sh_flags"),
            (16, 8, "sh_addr"),
            (24, 8, "sh_offset"),
            (32, 8, "sh_size"),
            (40, 4, "sh_link"),
        ] {
            out.push(f(base + at, width, format!("{name} of section {i}")));
        }
    }
    out
}

/// A value worth trying in a field whose intact value is `old`, in a file of `len` bytes.
fn interesting(rng: &mut Rng, old: u64, len: u64) -> u64 {
    let near_2_45 = (1u64 << 45) + rng.next() % 0x10_0000;
    let choices = [
        0,
        1,
        0x7f,
        0xffff,
        0x7fff_ffff,
        0xffff_ffff,
        u64::MAX,
        u64::MAX - 7,
        near_2_45,
        len,
        len - 1,
        len + 1,
        old.wrapping_add(1),
        old.wrapping_sub(1),
        old.wrapping_mul(2),
        old.wrapping_add(0x1000),
        old.wrapping_sub(0x1000),
        old ^ (1 << rng.below(64)),
        rng.next(),
    ];
    choices[rng.below(choices.len())]
}

/// One seeded mutation of `seed`, and what it did.
fn mutate(rng: &mut Rng, seed: &[u8], fields: &[Field]) -> (Vec<u8>, String) {
    let mut m = seed.to_vec();
    let len = m.len() as u64;
    match rng.below(8) {
        // Header fields are where a loader is most often fooled: half the mutations go there.
        0..=3 => {
            let mut what = Vec::new();
            for _ in 0..1 + rng.below(2) {
                let field = &fields[rng.below(fields.len())];
                let old = read_le(&m, field.at, field.width);
                let new = interesting(rng, old, len);
                write_le(&mut m, field.at, field.width, new);
                what.push(format!("{} {old:#x} -> {new:#x}", field.name));
            }
            (m, what.join(", "))
        }
        4 => {
            let mut what = Vec::new();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(m.len());
                let bit = rng.below(8);
                m[at] ^= 1 << bit;
                what.push(format!("bit {bit} of byte {at:#x}"));
            }
            (m, format!("flipped {}", what.join(", ")))
        }
        5 => {
            let at = rng.below(m.len());
            let n = (1 + rng.below(16)).min(m.len() - at);
            for b in &mut m[at..at + n] {
                *b = rng.next() as u8;
            }
            (m, format!("{n} random bytes at {at:#x}"))
        }
        6 => {
            let keep = rng.below(m.len());
            m.truncate(keep);
            (m, format!("truncated to {keep} bytes"))
        }
        _ => {
            let at = rng.below(m.len());
            let n = 1 + rng.below(64);
            if rng.below(2) == 0 {
                let n = n.min(m.len() - at);
                m.drain(at..at + n);
                (m, format!("removed {n} bytes at {at:#x}"))
            } else {
                let junk: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                m.splice(at..at, junk);
                (m, format!("inserted {n} bytes at {at:#x}"))
            }
        }
    }
}

/// `tests/harness/tiny_nolibc.c` built as `variant` (built once, then cached).
fn tiny_elf(variant: Variant) -> Result<PathBuf, String> {
    let source = paths::workspace_root().join("tests/harness/tiny_nolibc.c");
    let extra = ["-nostdlib", "-fasynchronous-unwind-tables"].map(String::from);
    build::compile("tiny_nolibc", &source, &variant, &extra)
}

/// The seeds: the tiny program optimised, unoptimised, and stripped.
fn seeds() -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = Vec::new();
    for variant in [
        Variant::new(Arch::Riscv64, "-O2"),
        Variant::new(Arch::Riscv64, "-O0"),
        Variant::new(Arch::Riscv64, "-O2").stripped(),
    ] {
        let elf = tiny_elf(variant)?;
        let bytes = std::fs::read(&elf).map_err(|e| format!("reading {}: {e}", elf.display()))?;
        out.push((variant.label(), bytes));
    }
    Ok(out)
}

fn fresh_dir(dir: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))
}

fn work_dir() -> PathBuf {
    paths::target_dir().join("malformed-tests")
}

/// elfconv2's environment: its cache in `cache`, wasm-ld found on PATH, nothing else (no
/// RUST_BACKTRACE, which would turn a one-line error into a backtrace).
fn host_env(cache: &Path) -> Vec<(String, String)> {
    vec![
        ("ELFCONV2_CACHE_DIR".into(), cache.to_string_lossy().into()),
        ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
    ]
}

/// Text in stderr that only a crashing or panicking host process prints.
const CRASH_TEXT: &[&str] = &[
    "panicked",
    "RUST_BACKTRACE",
    "stack backtrace",
    "memory allocation of",
    "this is a bug in elfconv2",
];

/// What elfconv2 did with one input.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Refused,
    /// Translated (translate), or translated and ran (run).
    Accepted,
}

/// Checks one elfconv2 run against the contract; `Ok` tells whether it refused the input.
fn judge(out: &Output) -> Result<Outcome, String> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    if let Status::Signaled(s) = out.status {
        return Err(format!("elfconv2 was killed by signal {s}"));
    }
    if let Some(bad) = CRASH_TEXT.iter().find(|t| stderr.contains(*t)) {
        return Err(format!("stderr mentions `{bad}`"));
    }
    let refused: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("elfconv2: error:"))
        .collect();
    if refused.is_empty() {
        return Ok(Outcome::Accepted);
    }
    if out.status == Status::Exited(0) {
        return Err("it printed an error but exited with code 0".into());
    }
    let lines = stderr.trim_end_matches('\n').lines().count();
    if lines != 1 {
        return Err(format!(
            "the refusal takes {lines} lines of stderr, not one"
        ));
    }
    Ok(Outcome::Refused)
}

/// Gives `count` mutants to `elfconv2 <subcommand>`, two at a time.
fn mutation_test(subcommand: &'static str, count: usize, salt: u64) -> Result<(), String> {
    let bin = paths::elfconv2_bin()?;
    let qemu = tools::require("qemu-riscv64")?;
    let seeds = seeds()?;
    let fields: Vec<Vec<Field>> = seeds.iter().map(|(_, s)| header_fields(s)).collect();
    let dir = work_dir().join(subcommand);
    fresh_dir(&dir)?;
    let cache = dir.join("cache");

    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::<String>::new());
    let tally = Mutex::new([0usize; 2]);
    let worker = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= count {
            break;
        }
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ salt ^ (i as u64).wrapping_mul(0x1000_0000_01b3));
        let which = rng.below(seeds.len());
        let (label, seed) = &seeds[which];
        let (mutant, what) = mutate(&mut rng, seed, &fields[which]);
        let case = dir.join(format!("m{i}"));
        let verdict = (|| -> Result<Outcome, String> {
            fresh_dir(&case)?;
            let elf = case.join("prog");
            std::fs::write(&elf, &mutant).map_err(|e| format!("writing {}: {e}", elf.display()))?;
            let cmd = match subcommand {
                "translate" => {
                    Cmd::new(&bin).args(["translate", "-j", "1", "-O0", "prog", "-o", "prog.wasm"])
                }
                _ => Cmd::new(&bin).args(["run", "-j", "1", "-O0", "./prog"]),
            }
            .cwd(&case)
            .env_exact(&host_env(&cache))
            .timeout(HANG_LIMIT);
            let out = match cmd.run_or_time_out()? {
                Ok(out) => out,
                Err(partial) => {
                    // A translator that runs this long is hung. A guest program may loop
                    // forever: that is a hang only if it stops under qemu.
                    let guest_started = subcommand == "run"
                        && !String::from_utf8_lossy(&partial.stderr).contains("elfconv2: error:");
                    let q = Cmd::new(&qemu)
                        .arg("./prog")
                        .cwd(&case)
                        .env_exact(&[])
                        .timeout(HANG_LIMIT)
                        .run_or_time_out()?;
                    if guest_started && q.is_err() {
                        return Ok(Outcome::Accepted);
                    }
                    return Err(format!(
                        "`{}` did not finish within {} s",
                        cmd.display(),
                        HANG_LIMIT.as_secs()
                    ));
                }
            };
            let outcome = judge(&out).map_err(|e| format!("{e}; {}", out.summary()))?;
            if subcommand == "translate" && outcome == Outcome::Accepted {
                let wasm = case.join("prog.wasm");
                if !out.status.success() || !wasm.is_file() {
                    return Err(format!(
                        "translate printed no error but wrote no module; {}",
                        out.summary()
                    ));
                }
            }
            Ok(outcome)
        })();
        match verdict {
            Ok(o) => {
                tally.lock().unwrap()[(o == Outcome::Accepted) as usize] += 1;
                let _ = std::fs::remove_dir_all(&case);
            }
            Err(e) => failures.lock().unwrap().push(format!(
                "mutant {i} (of the {label} seed: {what}; kept in {}): {e}",
                case.display()
            )),
        }
    };
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(worker);
        }
    });
    let failures = failures.into_inner().unwrap();
    let [refused, accepted] = *tally.lock().unwrap();
    eprintln!(
        "malformed::{subcommand}: {count} mutants: {refused} refused with one line, {accepted} accepted, {} failed",
        failures.len()
    );
    if !failures.is_empty() {
        return Err(failures.join("\n"));
    }
    // A mutator that only ever breaks the header, or never does, would not test much.
    if refused < count / 10 || accepted < count / 10 {
        return Err(format!(
            "the mutations are lopsided ({refused} refused, {accepted} accepted): fix the mutator"
        ));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The tiny program with `p_filesz` or `p_memsz` of its first loadable segment set near 2^45:
/// the translator must refuse it in one line (it once allocated a byte per address and aborted).
fn huge_segment_test(field_at: usize, name: &str) -> Result<(), String> {
    let (_, seed) = seeds()?.remove(0);
    let phoff = read_le(&seed, 32, 8) as usize;
    let first_load = (0..read_le(&seed, 56, 2) as usize)
        .map(|i| phoff + 56 * i)
        .find(|&at| read_le(&seed, at, 4) == 1)
        .ok_or("the seed has no PT_LOAD segment")?;
    let dir = work_dir().join(format!("huge-{name}"));
    fresh_dir(&dir)?;
    for value in [(1u64 << 45) - 0x1000, 1 << 45, (1 << 45) + 0x3_d2a1] {
        let mut m = seed.clone();
        write_le(&mut m, first_load + field_at, 8, value);
        if field_at == 32 {
            // p_filesz near 2^45 with p_memsz at least as large: only the file size is wrong.
            write_le(&mut m, first_load + 40, 8, value);
        }
        let elf = dir.join("prog");
        std::fs::write(&elf, &m).map_err(|e| e.to_string())?;
        for sub in ["translate", "run"] {
            let cmd = match sub {
                "translate" => {
                    Cmd::new(paths::elfconv2_bin()?).args(["translate", "prog", "-o", "prog.wasm"])
                }
                _ => Cmd::new(paths::elfconv2_bin()?).args(["run", "./prog"]),
            }
            .cwd(&dir)
            .env_exact(&host_env(&dir.join("cache")))
            .timeout(HANG_LIMIT);
            let out = cmd.run()?;
            let shown = format!("`{}` with {name} = {value:#x}", cmd.display());
            match judge(&out) {
                Ok(Outcome::Refused) => {}
                Ok(Outcome::Accepted) => {
                    return Err(format!("{shown} was not refused; {}", out.summary()))
                }
                Err(e) => return Err(format!("{shown}: {e}; {}", out.summary())),
            }
            let stderr = String::from_utf8_lossy(&out.stderr);
            if !stderr.contains(name) {
                return Err(format!("{shown}: the error does not name {name}: {stderr}"));
            }
        }
        // qemu refuses it too, so refusing is right.
        let q = Cmd::new(tools::require("qemu-riscv64")?)
            .arg("./prog")
            .cwd(&dir)
            .env_exact(&[])
            .run()?;
        if q.status.success() {
            return Err(format!(
                "qemu-riscv64 ran the program with {name} = {value:#x}"
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// How a cache file is damaged.
#[derive(Clone, Copy)]
enum Damage {
    Truncated,
    FlippedByte,
}

/// Runs the tiny program once to fill a fresh cache, then, for every file of the cache entry,
/// damages it and runs again: the output must still be qemu's, and the file must be rebuilt
/// exactly as it was.
fn cache_test(damage: Damage) -> Result<(), String> {
    let elf = tiny_elf(Variant::new(Arch::Riscv64, "-O2"))?;
    let name = match damage {
        Damage::Truncated => "truncated",
        Damage::FlippedByte => "flipped-byte",
    };
    let dir = work_dir().join(format!("cache-{name}"));
    fresh_dir(&dir)?;
    let cache = dir.join("cache");
    let run = || -> Result<Output, String> {
        Cmd::new(paths::elfconv2_bin()?)
            .arg("run")
            .arg(&elf)
            .args(["a", "b"])
            .cwd(&dir)
            .env_exact(&host_env(&cache))
            .run()
    };
    let expected = Cmd::new(tools::require("qemu-riscv64")?)
        .arg(&elf)
        .args(["a", "b"])
        .cwd(&dir)
        .env_exact(&[])
        .run()?;
    let check = |out: &Output, when: &str| -> Result<(), String> {
        if out.status != expected.status || out.stdout != expected.stdout || !out.stderr.is_empty()
        {
            return Err(format!(
                "{when}: elfconv2 run gave {}, qemu-riscv64 gave {}",
                out.summary(),
                expected.summary()
            ));
        }
        Ok(())
    };
    check(&run()?, "with an empty cache")?;
    let pristine: Vec<(PathBuf, Vec<u8>)> = {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&cache)
            .map_err(|e| format!("reading {}: {e}", cache.display()))?
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|p| std::fs::read(&p).map(|b| (p, b)).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?
    };
    let kinds = |ext: &str| {
        pristine
            .iter()
            .filter(|(p, _)| p.extension().is_some_and(|e| e == ext))
            .count()
    };
    if kinds("wasm") != 1 || kinds("cwasm") != 1 || kinds("o") == 0 {
        return Err(format!(
            "expected a module, a compiled module and objects in the cache, found {:?}",
            pristine
                .iter()
                .map(|(p, _)| p.file_name().unwrap())
                .collect::<Vec<_>>()
        ));
    }
    for (path, bytes) in &pristine {
        // Start from the intact cache each time.
        for (p, b) in &pristine {
            std::fs::write(p, b).map_err(|e| e.to_string())?;
        }
        let mut bad = bytes.clone();
        match damage {
            Damage::Truncated => bad.truncate(bytes.len() / 2),
            Damage::FlippedByte => bad[bytes.len() / 3] ^= 0x20,
        }
        std::fs::write(path, &bad).map_err(|e| e.to_string())?;
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        if path.extension().is_some_and(|e| e == "o") {
            // Objects are read only when the module must be linked again.
            for (p, _) in &pristine {
                if p.extension().is_some_and(|e| e != "o") {
                    std::fs::remove_file(p).map_err(|e| e.to_string())?;
                }
            }
        }
        check(&run()?, &format!("with {file} {name}"))?;
        let now = std::fs::read(path).map_err(|e| format!("{file} was not rebuilt: {e}"))?;
        if &now != bytes {
            return Err(format!("{file} {name} was not rebuilt as it was"));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn trial(name: String, f: impl FnOnce() -> Result<(), String> + Send + 'static) -> Trial {
    Trial::test(name, move || f().map_err(Failed::from))
}

fn main() {
    let args = Arguments::from_args();
    let trials = vec![
        trial("malformed::translate::mutations".into(), || {
            mutation_test("translate", TRANSLATE_MUTATIONS, 1)
        }),
        trial("malformed::run::mutations".into(), || {
            mutation_test("run", RUN_MUTATIONS, 2)
        }),
        trial("malformed::translate::p_memsz-near-2^45".into(), || {
            huge_segment_test(40, "p_memsz")
        }),
        trial("malformed::translate::p_filesz-near-2^45".into(), || {
            huge_segment_test(32, "p_filesz")
        }),
        trial(
            "malformed::cache::truncated-entries-are-rebuilt".into(),
            || cache_test(Damage::Truncated),
        ),
        trial(
            "malformed::cache::damaged-entries-are-rebuilt".into(),
            || cache_test(Damage::FlippedByte),
        ),
    ];
    libtest_mimic::run(&args, trials).exit();
}
