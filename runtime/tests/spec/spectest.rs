//! The `spectest` host module the official scripts import from.

use std::rc::Rc;

use elfconv2_runtime::store::Store;
use elfconv2_runtime::{Extern, Linker, Val};
use wasmparser::{FuncType, GlobalType, RefType, ValType};

pub fn define(store: &mut Store, linker: &mut Linker) {
    let print = |params: &[ValType]| FuncType::new(params.iter().copied(), []);
    for (name, params) in [
        ("print", vec![]),
        ("print_i32", vec![ValType::I32]),
        ("print_i64", vec![ValType::I64]),
        ("print_f32", vec![ValType::F32]),
        ("print_f64", vec![ValType::F64]),
        ("print_i32_f32", vec![ValType::I32, ValType::F32]),
        ("print_f64_f64", vec![ValType::F64, ValType::F64]),
    ] {
        let f = store.add_host_func(print(&params), Rc::new(|_, _| Ok(vec![])));
        linker.define("spectest", name, Extern::Func(f));
    }
    let global = |ty: ValType| GlobalType {
        content_type: ty,
        mutable: false,
        shared: false,
    };
    for (name, ty, v) in [
        ("global_i32", ValType::I32, Val::I32(666)),
        ("global_i64", ValType::I64, Val::I64(666)),
        ("global_f32", ValType::F32, Val::F32(666.6f32.to_bits())),
        ("global_f64", ValType::F64, Val::F64(666.6f64.to_bits())),
    ] {
        let g = store.add_global(global(ty), v);
        linker.define("spectest", name, Extern::Global(g));
    }
    let t = store.add_table(RefType::FUNCREF, 10, Some(20), 0);
    linker.define("spectest", "table", Extern::Table(t));
    let m = store.add_memory(1, Some(2)).expect("one page");
    linker.define("spectest", "memory", Extern::Memory(m));
}
