//! Running a translated module on the embedded wasmtime with WASI preview 1.

use anyhow::{anyhow, bail, Context, Result};
use wasmtime::{Config, Engine, Linker, Module, Store};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder};

/// The self-hosted runtime (`runtime/`) built for wasm32-wasip1 by build.rs.
pub const RUNTIME_WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/runtime.wasm"));

/// Where `run_self_hosted` mounts the directory holding the translated module.
const SELF_HOSTED_MOUNT: &str = "/.elfconv2-self-hosted";

/// Runs a translated module inside runtime.wasm, itself on the embedded wasmtime. The guest
/// sees what it sees when run directly (argv, environment, directories). runtime.wasm reads
/// the module from one more read-only preopen, then closes it before the guest starts.
pub fn run_self_hosted(
    module: &[u8],
    program: &str,
    args: &[String],
    envs: &[String],
    dirs: &[String],
) -> Result<i32> {
    let staging = tempfile::tempdir().context("cannot create a temporary directory")?;
    std::fs::write(staging.path().join("prog.wasm"), module)
        .context("cannot stage the translated module")?;
    let mut runtime_args = vec![
        "--hide-module-preopen".to_string(),
        "--argv0".to_string(),
        program.to_string(),
        "--".to_string(),
        format!("{SELF_HOSTED_MOUNT}/prog.wasm"),
    ];
    runtime_args.extend(args.iter().cloned());
    let runtime_key = format!("runtime-{}", runtime_digest());
    let mount = (staging.path().to_path_buf(), SELF_HOSTED_MOUNT);
    run_with(
        RUNTIME_WASM,
        &runtime_key,
        "runtime",
        &runtime_args,
        envs,
        dirs,
        Some(mount),
    )
}

/// A digest of the embedded runtime.wasm, naming its compiled form in the cache.
fn runtime_digest() -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(RUNTIME_WASM);
    d.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// Runs `module`; returns the guest's exit code.
pub fn run(
    module: &[u8],
    key: &str,
    program: &str,
    args: &[String],
    envs: &[String],
    dirs: &[String],
) -> Result<i32> {
    run_with(module, key, program, args, envs, dirs, None)
}

fn run_with(
    module: &[u8],
    key: &str,
    program: &str,
    args: &[String],
    envs: &[String],
    dirs: &[String],
    read_only_mount: Option<(std::path::PathBuf, &str)>,
) -> Result<i32> {
    let mut config = Config::new();
    config.cranelift_opt_level(wasmtime::OptLevel::Speed);
    // Copy the data segments into memory instead of mapping a sealed memfd image. A module
    // deserialised from bytes gets its image from memfd_create + F_ADD_SEALS, and on a loaded
    // machine the kernel refused the seal once (a CI run failed on it). Copying is also
    // faster here: the memfd was rebuilt in every process, and `hello` starts in 40 ms
    // instead of 83 ms without it.
    config.memory_init_cow(false);
    let engine = Engine::new(&config).map_err(|e| anyhow!("cannot start wasmtime: {e}"))?;
    let module = load_module(&engine, module, key)?;

    let mut wasi = WasiCtxBuilder::new();
    wasi.inherit_stdio();
    wasi.arg(program);
    for a in args {
        wasi.arg(a);
    }
    for e in envs {
        let (k, v) = e
            .split_once('=')
            .with_context(|| format!("--env expects K=V, got {e:?}"))?;
        wasi.env(k, v);
    }
    // The host's current directory is the guest's current directory.
    wasi.preopened_dir(".", ".", FsPerms::ReadWrite)
        .map_err(|e| anyhow!("cannot open the current directory: {e}"))?;
    // Also under its absolute name, so getcwd and absolute paths inside the
    // current directory work as on Linux. This grants nothing new.
    if let Ok(cwd) = std::env::current_dir() {
        if let Some(name) = cwd.to_str() {
            if name != "/" {
                wasi.preopened_dir(".", name, FsPerms::ReadWrite)
                    .map_err(|e| anyhow!("cannot open the current directory: {e}"))?;
            }
        }
    }
    for d in dirs {
        let (host, guest) = split_dir(d);
        wasi.preopened_dir(host, guest, FsPerms::ReadWrite)
            .map_err(|e| anyhow!("cannot open --dir {host}: {e}"))?;
    }
    // A private, empty /tmp (here-documents, tmpfile(), mkstemp need one), unless the user
    // grants a /tmp of their own. It is a new host directory, so it widens nothing, and it is
    // removed when the run ends.
    let _private_tmp = if dirs
        .iter()
        .any(|d| split_dir(d).1.trim_end_matches('/') == "/tmp")
    {
        None
    } else {
        let tmp = tempfile::Builder::new()
            .prefix("elfconv2-tmp-")
            .tempdir()
            .context("cannot create the guest's private /tmp")?;
        wasi.preopened_dir(tmp.path(), "/tmp", FsPerms::ReadWrite)
            .map_err(|e| anyhow!("cannot open the guest's private /tmp: {e}"))?;
        Some(tmp)
    };
    if let Some((host, guest)) = &read_only_mount {
        wasi.preopened_dir(host, guest, FsPerms::ReadOnly)
            .map_err(|e| anyhow!("cannot open {}: {e}", host.display()))?;
    }
    let mut store = Store::new(&engine, wasi.build_p1());
    let mut linker: Linker<WasiP1Ctx> = Linker::new(&engine);
    wasmtime_wasi::p1::add_to_linker_sync(&mut linker, |t| t).map_err(|e| anyhow!("{e}"))?;
    // wasmtime-wasi refuses exit statuses >= 126, but a guest killed by a
    // signal exits with 128+N (139 for SIGSEGV) as under a Linux shell.
    linker.allow_shadowing(true);
    linker
        .func_wrap(
            "wasi_snapshot_preview1",
            "proc_exit",
            |code: i32| -> wasmtime::Result<()> { Err(wasmtime::Error::new(I32Exit(code))) },
        )
        .map_err(|e| anyhow!("{e}"))?;
    let instance = linker
        .instantiate(&mut store, &module)
        .map_err(|e| anyhow!("cannot instantiate the translated module: {e}"))?;
    let start = instance
        .get_typed_func::<(), ()>(&mut store, "_start")
        .map_err(|_| anyhow!("the module has no _start"))?;
    match start.call(&mut store, ()) {
        Ok(()) => Ok(0),
        Err(e) => {
            if let Some(exit) = e.downcast_ref::<I32Exit>() {
                return Ok(exit.0);
            }
            if let Some(trap) = e.downcast_ref::<wasmtime::Trap>() {
                bail!("the translated program trapped ({trap}); this is a bug in elfconv2");
            }
            Err(anyhow!("{e:?}"))
        }
    }
}

/// The host and guest paths of a `--dir HOST[::GUEST]` value.
fn split_dir(dir: &str) -> (&str, &str) {
    dir.split_once("::").unwrap_or((dir, dir))
}

/// Compiles the module, or loads it precompiled from the cache.
fn load_module(engine: &Engine, bytes: &[u8], key: &str) -> Result<Module> {
    let path = crate::cache::dir().join(format!("{key}.cwasm"));
    if let Some(compiled) = elfconv2_lifter::cache_file::read(&path) {
        // SAFETY: the bytes passed the cache file's SHA-256 check, so they are exactly what
        // `Module::serialize` wrote; the key includes the translator build, so the same
        // wasmtime wrote them. wasmtime itself rejects another version's or engine's output.
        if let Ok(m) = unsafe { Module::deserialize(engine, &compiled) } {
            crate::cache::mark_used(&path);
            return Ok(m);
        }
    }
    let module = Module::new(engine, bytes)
        .map_err(|e| anyhow!("the translated module does not compile: {e:#}"))?;
    if let Ok(serialized) = module.serialize() {
        elfconv2_lifter::cache_file::write(&path, &serialized);
        crate::cache::trim();
    }
    Ok(module)
}
