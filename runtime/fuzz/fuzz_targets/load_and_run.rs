//! Any bytes: load (decode, validate, pre-decode) and, when they form a module, instantiate
//! it with stub imports and call every export without parameters under a fuel budget.
//! Whatever the input, the runtime must return an error or a result, never panic or crash.
#![no_main]

use std::rc::Rc;

use elfconv2_runtime::module::ImportType;
use elfconv2_runtime::store::{Store, Val};
use elfconv2_runtime::{default_features, instantiate, load, Extern, Linker};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(module) = load(data, default_features()) else { return };
    let mut store = Store::new();
    store.fuel = 100_000;
    let mut linker = Linker::new();
    // Stub every imported function (returning zeros), memory, table and global.
    for imp in &module.imports {
        let e = match &imp.ty {
            ImportType::Func(t) => {
                let ty = module.types[*t as usize].clone();
                let results: Vec<Val> = ty.results().iter().map(|&r| Val::default_of(r)).collect();
                Extern::Func(store.add_host_func(ty, Rc::new(move |_, _| Ok(results.clone()))))
            }
            ImportType::Memory(m) => match store.add_memory(m.initial.min(16), m.maximum) {
                Ok(x) => Extern::Memory(x),
                Err(_) => return,
            },
            ImportType::Table(t) => Extern::Table(store.add_table(t.element_type, t.initial.min(1024), t.maximum, 0)),
            ImportType::Global(g) => Extern::Global(store.add_global(*g, Val::default_of(g.content_type))),
        };
        linker.define(&imp.module, &imp.name, e);
    }
    let Ok(inst) = instantiate(&mut store, Rc::new(module), &linker) else { return };
    let funcs: Vec<u32> = store.instances[inst as usize]
        .exports
        .values()
        .filter_map(|e| if let Extern::Func(f) = e { Some(*f) } else { None })
        .collect();
    for f in funcs {
        let args: Vec<Val> = store.func_type(f).params().iter().map(|&p| Val::default_of(p)).collect();
        store.fuel = 100_000;
        let _ = store.invoke(f, &args);
    }
});
