//! Instantiation: resolve imports, allocate the module's entities, run element and data
//! initialisers and the start function, as the spec orders them.

use std::collections::HashMap;
use std::rc::Rc;

use wasmparser::{RefType, TableType, ValType};

use crate::module::{ConstExpr, ConstOp, DataMode, ElemMode, ExternKind, ImportType, Module};
use crate::store::{Extern, FuncInst, FuncKind, Instance, Store, Val};
use crate::trap::{Error, ErrorClass, Trap};

/// Names the embedder offers as imports: `(module, name) -> entity`.
#[derive(Default, Clone)]
pub struct Linker {
    defs: HashMap<(String, String), Extern>,
}

impl Linker {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn define(&mut self, module: &str, name: &str, e: Extern) {
        self.defs.insert((module.to_string(), name.to_string()), e);
    }

    /// Makes every export of an instance importable under `module`.
    pub fn define_instance(&mut self, store: &Store, module: &str, instance: u32) {
        for (name, e) in &store.instances[instance as usize].exports {
            self.define(module, name, *e);
        }
    }

    pub fn get(&self, module: &str, name: &str) -> Option<Extern> {
        self.defs
            .get(&(module.to_string(), name.to_string()))
            .copied()
    }
}

fn unlinkable(msg: String) -> Error {
    Error::new(ErrorClass::Unlinkable, msg)
}

fn limits_match(min: u64, max: Option<u64>, want_min: u64, want_max: Option<u64>) -> bool {
    min >= want_min
        && match want_max {
            None => true,
            Some(wm) => max.is_some_and(|m| m <= wm),
        }
}

fn table_matches(have: &crate::store::TableInst, want: &TableType) -> bool {
    have.ty == want.element_type
        && limits_match(
            have.elems.len() as u64,
            have.max,
            want.initial,
            want.maximum,
        )
}

/// Evaluates a constant expression in an instance under construction.
fn eval_const(store: &Store, globals: &[u32], funcs: &[u32], e: &ConstExpr) -> Val {
    let mut st: Vec<Val> = Vec::new();
    for op in e {
        let v = match *op {
            ConstOp::I32(x) => Val::I32(x),
            ConstOp::I64(x) => Val::I64(x),
            ConstOp::F32(x) => Val::F32(x),
            ConstOp::F64(x) => Val::F64(x),
            ConstOp::V128(x) => Val::V128(x),
            // The type of a null comes from context; callers fix it up.
            ConstOp::RefNull => Val::FuncRef(None),
            ConstOp::RefFunc(f) => Val::FuncRef(Some(funcs[f as usize])),
            ConstOp::GlobalGet(g) => store.global_value(globals[g as usize]),
            ConstOp::I32Add | ConstOp::I32Sub | ConstOp::I32Mul => {
                let (Some(Val::I32(b)), Some(Val::I32(a))) = (st.pop(), st.pop()) else {
                    unreachable!("validated")
                };
                Val::I32(match op {
                    ConstOp::I32Add => a.wrapping_add(b),
                    ConstOp::I32Sub => a.wrapping_sub(b),
                    _ => a.wrapping_mul(b),
                })
            }
            ConstOp::I64Add | ConstOp::I64Sub | ConstOp::I64Mul => {
                let (Some(Val::I64(b)), Some(Val::I64(a))) = (st.pop(), st.pop()) else {
                    unreachable!("validated")
                };
                Val::I64(match op {
                    ConstOp::I64Add => a.wrapping_add(b),
                    ConstOp::I64Sub => a.wrapping_sub(b),
                    _ => a.wrapping_mul(b),
                })
            }
        };
        st.push(v);
    }
    st.pop().expect("validated constant expression")
}

/// A reference value as a table cell, with nulls typed by the destination.
fn ref_cell(v: Val) -> u64 {
    match v {
        Val::FuncRef(r) | Val::ExternRef(r) => r.map_or(0, |a| a as u64 + 1),
        _ => unreachable!("validated: reference expected"),
    }
}

/// Coerces a null produced by `ref.null` to the declared reference type.
fn typed(v: Val, ty: ValType) -> Val {
    match (v, ty) {
        (Val::FuncRef(None), ValType::Ref(r))
            if r.heap_type() == RefType::EXTERNREF.heap_type() =>
        {
            Val::ExternRef(None)
        }
        _ => v,
    }
}

/// Instantiates a module. On a trap in an initialiser or the start function the instance
/// is still created (its effects on shared entities persist, as in the spec) and the error
/// is returned.
pub fn instantiate(store: &mut Store, module: Rc<Module>, linker: &Linker) -> Result<u32, Error> {
    let m = &*module;
    let mut funcs = Vec::new();
    let mut tables = Vec::new();
    let mut mems = Vec::new();
    let mut globals = Vec::new();
    let types: Vec<u32> = m.types.iter().map(|t| store.intern_type(t)).collect();

    for imp in &m.imports {
        let Some(e) = linker.get(&imp.module, &imp.name) else {
            return Err(unlinkable(format!(
                "unknown import: {}::{}",
                imp.module, imp.name
            )));
        };
        let incompatible = || {
            unlinkable(format!(
                "incompatible import type for {}::{}",
                imp.module, imp.name
            ))
        };
        match (&imp.ty, e) {
            (ImportType::Func(t), Extern::Func(f)) => {
                if store.funcs[f as usize].ty != types[*t as usize] {
                    return Err(incompatible());
                }
                funcs.push(f);
            }
            (ImportType::Table(t), Extern::Table(x)) => {
                if !table_matches(&store.tables[x as usize], t) {
                    return Err(incompatible());
                }
                tables.push(x);
            }
            (ImportType::Memory(t), Extern::Memory(x)) => {
                let mi = &store.memories[x as usize];
                if !limits_match(mi.pages(), mi.max, t.initial, t.maximum) {
                    return Err(incompatible());
                }
                mems.push(x);
            }
            (ImportType::Global(t), Extern::Global(x)) => {
                if store.globals[x as usize].ty != *t {
                    return Err(incompatible());
                }
                globals.push(x);
            }
            _ => return Err(incompatible()),
        }
    }

    let instance_id = store.instances.len() as u32;
    let first_func = store.funcs.len() as u32;
    for (i, code) in m.code.iter().enumerate() {
        let ty = types[m.funcs[m.num_imported_funcs as usize + i] as usize];
        funcs.push(first_func + i as u32);
        store.funcs.push(FuncInst {
            ty,
            kind: FuncKind::Wasm {
                instance: instance_id,
                code: code.clone(),
            },
        });
    }
    for (i, t) in m.tables[m.num_imported_tables as usize..]
        .iter()
        .enumerate()
    {
        let init = match &m.table_inits[i] {
            Some(e) => ref_cell(eval_const(store, &globals, &funcs, e)),
            None => 0,
        };
        tables.push(store.add_table(t.element_type, t.initial, t.maximum, init));
    }
    for t in &m.memories[m.num_imported_memories as usize..] {
        let x = store
            .add_memory(t.initial, t.maximum)
            .map_err(|e| Error::new(ErrorClass::Uninstantiable, e.to_string()))?;
        mems.push(x);
    }
    for (i, t) in m.globals[m.num_imported_globals as usize..]
        .iter()
        .enumerate()
    {
        let v = typed(
            eval_const(store, &globals, &funcs, &m.global_inits[i]),
            t.content_type,
        );
        globals.push(store.add_global(*t, v));
    }
    let elems: Vec<Rc<[u64]>> = m
        .elems
        .iter()
        .map(|seg| {
            seg.items
                .iter()
                .map(|e| ref_cell(eval_const(store, &globals, &funcs, e)))
                .collect::<Vec<_>>()
                .into()
        })
        .collect();
    let datas: Vec<Rc<[u8]>> = m.datas.iter().map(|d| d.bytes.clone()).collect();
    let exports = m
        .exports
        .iter()
        .map(|e| {
            let i = e.index as usize;
            let x = match e.kind {
                ExternKind::Func => Extern::Func(funcs[i]),
                ExternKind::Table => Extern::Table(tables[i]),
                ExternKind::Memory => Extern::Memory(mems[i]),
                ExternKind::Global => Extern::Global(globals[i]),
            };
            (e.name.clone(), x)
        })
        .collect();
    store.instances.push(Instance {
        module: module.clone(),
        funcs,
        tables,
        mems,
        globals,
        types,
        elems,
        datas,
        exports,
    });

    let trap = |t: Trap| Error {
        class: ErrorClass::Uninstantiable,
        message: t.to_string(),
        trap: Some(t),
    };
    // Element segments, then data segments, each as table.init/memory.init then drop.
    for (i, seg) in m.elems.iter().enumerate() {
        match &seg.mode {
            ElemMode::Active { table, offset } => {
                let inst = &store.instances[instance_id as usize];
                let Val::I32(off) = eval_const(store, &inst.globals, &inst.funcs, offset) else {
                    unreachable!()
                };
                store
                    .table_init(
                        instance_id,
                        *table,
                        i as u32,
                        off as u32,
                        0,
                        seg.items.len() as u32,
                    )
                    .map_err(trap)?;
                store.instances[instance_id as usize].elems[i] = Rc::from([]);
            }
            ElemMode::Declared => store.instances[instance_id as usize].elems[i] = Rc::from([]),
            ElemMode::Passive => {}
        }
    }
    for (i, seg) in m.datas.iter().enumerate() {
        if let DataMode::Active { memory, offset } = &seg.mode {
            let inst = &store.instances[instance_id as usize];
            let Val::I32(off) = eval_const(store, &inst.globals, &inst.funcs, offset) else {
                unreachable!()
            };
            let mem = inst.mems[*memory as usize];
            store
                .memory_init(mem, &seg.bytes, off as u32, 0, seg.bytes.len() as u32)
                .map_err(trap)?;
            store.instances[instance_id as usize].datas[i] = Rc::from([]);
        }
    }
    if let Some(start) = m.start {
        let f = store.instances[instance_id as usize].funcs[start as usize];
        store.invoke(f, &[]).map_err(trap)?;
    }
    Ok(instance_id)
}
