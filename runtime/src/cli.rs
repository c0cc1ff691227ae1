//! The `runtime` command line: run a WASI command's `_start`, or `--invoke` an export.

use std::path::PathBuf;
use std::rc::Rc;

use clap::Parser;
use wasmparser::ValType;

use crate::store::{Extern, Store, Val};
use crate::trap::Trap;
use crate::wasi::{self, Wasi, WasiConfig};
use crate::{instantiate, load, Linker};

#[derive(Parser, Debug)]
#[command(
    name = "runtime",
    version,
    about = "Run a WebAssembly module (WASI preview 1) on elfconv2's interpreter"
)]
pub struct Cli {
    /// Call this exported function instead of `_start`; ARGS are its arguments as typed
    /// values (`i32:5`, `i64:100`, `f32:1.5`, `f64:1.5`, or plain numbers) and the results are printed.
    #[arg(long, value_name = "NAME")]
    pub invoke: Option<String>,
    /// Grant the guest a host directory, as wasmtime: `--dir HOST` or `--dir HOST::GUEST`.
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    pub dirs: Vec<String>,
    /// Set a guest environment variable (`NAME=VALUE`, or `NAME` to pass the host's value).
    #[arg(long = "env", value_name = "NAME[=VALUE]")]
    pub env: Vec<String>,
    /// The guest's argv[0] (default: the module path as given), as wasmtime's `--argv0`.
    #[arg(long, value_name = "NAME")]
    pub argv0: Option<String>,
    /// Close the host directory the module was read from (it must be the last one the host
    /// granted) before the guest starts, so the guest cannot see it. For embedders that hand
    /// runtime.wasm the module through a directory of their own, as `elfconv2 run --self-hosted`
    /// does. Only in runtime.wasm.
    #[arg(long)]
    pub hide_module_preopen: bool,
    /// The module to run.
    pub module: PathBuf,
    /// Arguments for the guest (or for `--invoke`).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<String>,
}

/// How the process should end.
pub enum Outcome {
    Exit(i32),
}

fn parse_dir(s: &str) -> (String, String) {
    match s.split_once("::") {
        Some((host, guest)) => (host.to_string(), guest.to_string()),
        None => (s.to_string(), s.to_string()),
    }
}

fn parse_env(s: &str) -> Result<String, String> {
    if s.contains('=') {
        Ok(s.to_string())
    } else {
        let v =
            std::env::var(s).map_err(|_| format!("--env {s}: not set in the host environment"))?;
        Ok(format!("{s}={v}"))
    }
}

/// Parses `ty:value` (or a bare value) as a value of the parameter type.
pub fn parse_value(s: &str, ty: ValType) -> Result<Val, String> {
    let (prefix, text) = match s.split_once(':') {
        Some((p, t)) if ["i32", "i64", "f32", "f64"].contains(&p) => (Some(p), t),
        _ => (None, s),
    };
    let name = match ty {
        ValType::I32 => "i32",
        ValType::I64 => "i64",
        ValType::F32 => "f32",
        ValType::F64 => "f64",
        other => return Err(format!("cannot pass a {other} on the command line")),
    };
    if let Some(p) = prefix {
        if p != name {
            return Err(format!("argument {s}: the function expects {name}"));
        }
    }
    let bad = || format!("argument {s}: not a valid {name}");
    Ok(match ty {
        ValType::I32 => Val::I32(text.parse::<i64>().map_err(|_| bad())? as i32),
        ValType::I64 => Val::I64(text.parse::<i128>().map_err(|_| bad())? as i64),
        ValType::F32 => Val::F32(text.parse::<f32>().map_err(|_| bad())?.to_bits()),
        _ => Val::F64(text.parse::<f64>().map_err(|_| bad())?.to_bits()),
    })
}

pub fn format_value(v: &Val) -> String {
    match *v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(b) => f32::from_bits(b).to_string(),
        Val::F64(b) => f64::from_bits(b).to_string(),
        Val::V128(x) => format!("{x:#034x}"),
        Val::FuncRef(None) | Val::ExternRef(None) => "null".to_string(),
        Val::FuncRef(Some(a)) => format!("funcref({a})"),
        Val::ExternRef(Some(a)) => format!("externref({a})"),
    }
}

pub fn run(cli: Cli) -> Result<Outcome, String> {
    let bytes = std::fs::read(&cli.module)
        .map_err(|e| format!("cannot read {}: {e}", cli.module.display()))?;
    let module = load(&bytes, crate::default_features())
        .map_err(|e| format!("{}: {e}", cli.module.display()))?;
    if cli.hide_module_preopen {
        #[cfg(target_os = "wasi")]
        wasi::passthrough::hide_module_preopen(&cli.module)?;
        #[cfg(not(target_os = "wasi"))]
        return Err("--hide-module-preopen works only in runtime.wasm".into());
    }
    let mut store = Store::new();
    let mut linker = Linker::new();
    let argv0 = cli
        .argv0
        .clone()
        .unwrap_or_else(|| cli.module.to_string_lossy().into_owned());
    let mut args = vec![argv0];
    if cli.invoke.is_none() {
        args.extend(cli.args.iter().cloned());
    }
    // Natively the guest environment is exactly the --env values, as under wasmtime. Inside
    // runtime.wasm the host runtime already chose the environment, so the guest inherits it.
    #[cfg(target_os = "wasi")]
    let mut env = wasi::passthrough::host_environ();
    #[cfg(not(target_os = "wasi"))]
    let mut env: Vec<String> = Vec::new();
    for e in &cli.env {
        env.push(parse_env(e)?);
    }
    let dirs = cli.dirs.iter().map(|d| parse_dir(d)).collect();
    let wasi = Wasi::new(WasiConfig { args, env, dirs })?;
    wasi::define(&mut store, &mut linker, wasi);
    let inst = match instantiate(&mut store, Rc::new(module), &linker) {
        Ok(i) => i,
        Err(e) => return trap_outcome(e.trap.clone(), || e.to_string()),
    };
    let name = cli.invoke.as_deref().unwrap_or("_start");
    let Some(Extern::Func(f)) = store.export(inst, name) else {
        return Err(format!(
            "{}: no exported function `{name}`",
            cli.module.display()
        ));
    };
    let params: Vec<ValType> = store.func_type(f).params().to_vec();
    let values = if cli.invoke.is_some() {
        if cli.args.len() != params.len() {
            return Err(format!(
                "`{name}` takes {} arguments, {} given",
                params.len(),
                cli.args.len()
            ));
        }
        cli.args
            .iter()
            .zip(&params)
            .map(|(a, &t)| parse_value(a, t))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    match store.invoke(f, &values) {
        Ok(results) => {
            if cli.invoke.is_some() {
                for r in &results {
                    println!("{}", format_value(r));
                }
            }
            Ok(Outcome::Exit(0))
        }
        Err(t) => trap_outcome(Some(t), String::new),
    }
}

fn trap_outcome(trap: Option<Trap>, msg: impl Fn() -> String) -> Result<Outcome, String> {
    match trap {
        Some(Trap::Exit(code)) => Ok(Outcome::Exit(code)),
        Some(t) => {
            eprintln!("error: wasm trap: {t}");
            // As wasmtime does on Unix: the status of an abort.
            Ok(Outcome::Exit(134))
        }
        None => Err(msg()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_values() {
        assert_eq!(parse_value("i32:5", ValType::I32).unwrap(), Val::I32(5));
        assert_eq!(parse_value("-1", ValType::I32).unwrap(), Val::I32(-1));
        assert_eq!(
            parse_value("4294967295", ValType::I32).unwrap(),
            Val::I32(-1)
        );
        assert_eq!(parse_value("i64:100", ValType::I64).unwrap(), Val::I64(100));
        assert_eq!(
            parse_value("f64:1.5", ValType::F64).unwrap(),
            Val::F64(1.5f64.to_bits())
        );
        assert!(parse_value("i64:1", ValType::I32).is_err());
        assert!(parse_value("x", ValType::F32).is_err());
        assert_eq!(parse_dir("a::/b"), ("a".to_string(), "/b".to_string()));
        assert_eq!(format_value(&Val::F64(2.5f64.to_bits())), "2.5");
    }
}
