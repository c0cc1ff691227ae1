//! All runtime state, as plain data: functions, tables, memories, globals, instances, and
//! the machine (value stack and call stack) the interpreter runs on.

use std::collections::HashMap;
use std::rc::Rc;

use wasmparser::{FuncType, GlobalType, RefType, ValType};

use crate::code::Code;
use crate::trap::Trap;

pub const PAGE: usize = 65536;
/// 32-bit memories hold at most 2^16 pages.
pub const MAX_PAGES: u64 = 65536;
/// Value-stack cells the machine may use before "call stack exhausted" (64 MiB).
pub const MAX_CELLS: usize = 8 << 20;
/// Nested calls the machine allows before "call stack exhausted".
pub const MAX_FRAMES: usize = 100_000;

/// A value crossing the API boundary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val {
    I32(i32),
    I64(i64),
    /// Bits of an f32 (so NaN payloads survive).
    F32(u32),
    F64(u64),
    V128(u128),
    /// A function address in the store, or null.
    FuncRef(Option<u32>),
    /// A host value, or null.
    ExternRef(Option<u32>),
}

impl Val {
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::V128(_) => ValType::V128,
            Val::FuncRef(_) => ValType::FUNCREF,
            Val::ExternRef(_) => ValType::EXTERNREF,
        }
    }

    /// The zero value of a type (null for references).
    pub fn default_of(ty: ValType) -> Val {
        from_cells(ty, &[0, 0])
    }
}

/// Encodes a value into one or two cells. References are `address + 1`, null is 0.
pub fn to_cells(v: Val, out: &mut [u64]) {
    match v {
        Val::I32(x) => out[0] = x as u32 as u64,
        Val::I64(x) => out[0] = x as u64,
        Val::F32(x) => out[0] = x as u64,
        Val::F64(x) => out[0] = x,
        Val::V128(x) => {
            out[0] = x as u64;
            out[1] = (x >> 64) as u64;
        }
        Val::FuncRef(r) | Val::ExternRef(r) => out[0] = r.map_or(0, |a| a as u64 + 1),
    }
}

pub fn from_cells(ty: ValType, c: &[u64]) -> Val {
    match ty {
        ValType::I32 => Val::I32(c[0] as u32 as i32),
        ValType::I64 => Val::I64(c[0] as i64),
        ValType::F32 => Val::F32(c[0] as u32),
        ValType::F64 => Val::F64(c[0]),
        ValType::V128 => Val::V128(c[0] as u128 | (c[1] as u128) << 64),
        ValType::Ref(r) => {
            let a = (c[0] != 0).then(|| (c[0] - 1) as u32);
            if r.heap_type() == RefType::EXTERNREF.heap_type() {
                Val::ExternRef(a)
            } else {
                Val::FuncRef(a)
            }
        }
    }
}

/// What a host function sees of its caller.
pub struct Caller<'a> {
    pub memory: Option<&'a mut Vec<u8>>,
}

pub type HostFn = Rc<dyn Fn(&mut Caller, &[Val]) -> Result<Vec<Val>, Trap>>;

pub enum FuncKind {
    Wasm { instance: u32, code: Rc<Code> },
    Host(HostFn),
}

pub struct FuncInst {
    /// Interned type id (see `Store::intern_type`).
    pub ty: u32,
    pub kind: FuncKind,
}

#[derive(Debug, Clone)]
pub struct TableInst {
    pub elems: Vec<u64>,
    pub max: Option<u64>,
    pub ty: RefType,
}

#[derive(Debug, Clone)]
pub struct MemInst {
    pub data: Vec<u8>,
    /// The declared maximum in pages, if any.
    pub max: Option<u64>,
}

impl MemInst {
    pub fn pages(&self) -> u64 {
        (self.data.len() / PAGE) as u64
    }

    /// Grows by `delta` pages; returns the old size in pages, or None (the guest sees -1).
    pub fn grow(&mut self, delta: u64) -> Option<u64> {
        let old = self.pages();
        let new = old.checked_add(delta)?;
        if new > self.max.unwrap_or(MAX_PAGES).min(MAX_PAGES) {
            return None;
        }
        let bytes = usize::try_from(new).ok()?.checked_mul(PAGE)?;
        self.data.try_reserve_exact(bytes - self.data.len()).ok()?;
        self.data.resize(bytes, 0);
        Some(old)
    }
}

/// A zeroed byte vector from the allocator's zeroed pages (untouched pages cost nothing), or
/// None when the allocation fails (a huge declared memory is an error, not an abort).
fn zeroed(len: usize) -> Option<Vec<u8>> {
    if len == 0 {
        return Some(Vec::new());
    }
    // The layout Vec<u8> itself uses, so the Vec can free it.
    let layout = std::alloc::Layout::array::<u8>(len).ok()?;
    // SAFETY: non-zero size; null is checked; the Vec owns exactly this allocation.
    let p = unsafe { std::alloc::alloc_zeroed(layout) };
    if p.is_null() {
        return None;
    }
    Some(unsafe { Vec::from_raw_parts(p, len, len) })
}

#[derive(Debug, Clone, Copy)]
pub struct GlobalInst {
    /// The value's cells (v128 uses both).
    pub value: [u64; 2],
    pub ty: GlobalType,
}

/// An import or export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extern {
    Func(u32),
    Table(u32),
    Memory(u32),
    Global(u32),
}

pub struct Instance {
    pub module: Rc<crate::module::Module>,
    pub funcs: Vec<u32>,
    pub tables: Vec<u32>,
    pub mems: Vec<u32>,
    pub globals: Vec<u32>,
    /// Interned id of each of the module's types.
    pub types: Vec<u32>,
    /// Element segments as evaluated references (emptied by `elem.drop`).
    pub elems: Vec<Rc<[u64]>>,
    /// Data segments (emptied by `data.drop`).
    pub datas: Vec<Rc<[u8]>>,
    pub exports: HashMap<String, Extern>,
}

/// A saved caller: where to resume when the callee returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame {
    pub func: u32,
    pub pc: u32,
    /// First value-stack cell of the caller's window.
    pub base: u32,
}

/// The interpreter's machine state. Checkpointing serialises this with the store's
/// memories, tables and globals.
#[derive(Debug, Default)]
pub struct Machine {
    pub cells: Vec<u64>,
    pub frames: Vec<Frame>,
}

#[derive(Default)]
pub struct Store {
    pub funcs: Vec<FuncInst>,
    pub tables: Vec<TableInst>,
    pub memories: Vec<MemInst>,
    pub globals: Vec<GlobalInst>,
    pub instances: Vec<Instance>,
    pub types: Vec<FuncType>,
    type_ids: HashMap<FuncType, u32>,
    pub machine: Machine,
    /// Branches and calls left before "fuel exhausted" (feature `fuel` only).
    #[cfg(feature = "fuel")]
    pub fuel: u64,
}

impl Store {
    pub fn new() -> Self {
        Self::default()
    }

    /// Structurally equal function types get the same id, so `call_indirect` across
    /// instances compares one integer.
    pub fn intern_type(&mut self, ty: &FuncType) -> u32 {
        if let Some(&id) = self.type_ids.get(ty) {
            return id;
        }
        let id = self.types.len() as u32;
        self.types.push(ty.clone());
        self.type_ids.insert(ty.clone(), id);
        id
    }

    pub fn func_type(&self, func: u32) -> &FuncType {
        &self.types[self.funcs[func as usize].ty as usize]
    }

    pub fn add_host_func(&mut self, ty: FuncType, f: HostFn) -> u32 {
        let ty = self.intern_type(&ty);
        self.funcs.push(FuncInst {
            ty,
            kind: FuncKind::Host(f),
        });
        self.funcs.len() as u32 - 1
    }

    pub fn add_memory(&mut self, min_pages: u64, max_pages: Option<u64>) -> Result<u32, Trap> {
        let data = usize::try_from(min_pages)
            .ok()
            .and_then(|p| p.checked_mul(PAGE))
            .and_then(zeroed)
            .ok_or_else(|| Trap::Host(format!("cannot allocate a memory of {min_pages} pages")))?;
        self.memories.push(MemInst {
            data,
            max: max_pages,
        });
        Ok(self.memories.len() as u32 - 1)
    }

    pub fn add_table(&mut self, ty: RefType, min: u64, max: Option<u64>, init: u64) -> u32 {
        self.tables.push(TableInst {
            elems: vec![init; min as usize],
            max,
            ty,
        });
        self.tables.len() as u32 - 1
    }

    pub fn add_global(&mut self, ty: GlobalType, v: Val) -> u32 {
        let mut value = [0; 2];
        to_cells(v, &mut value);
        self.globals.push(GlobalInst { value, ty });
        self.globals.len() as u32 - 1
    }

    pub fn global_value(&self, g: u32) -> Val {
        let gi = &self.globals[g as usize];
        from_cells(gi.ty.content_type, &gi.value)
    }

    pub fn export(&self, instance: u32, name: &str) -> Option<Extern> {
        self.instances[instance as usize].exports.get(name).copied()
    }

    /// Calls a function with arguments; returns its results.
    pub fn invoke(&mut self, func: u32, args: &[Val]) -> Result<Vec<Val>, Trap> {
        let ty = self.func_type(func).clone();
        if args.len() != ty.params().len()
            || args
                .iter()
                .zip(ty.params())
                .any(|(a, &p)| !val_matches(a, p))
        {
            return Err(Trap::Host(format!(
                "argument types do not match the function type {ty:?}"
            )));
        }
        if let FuncKind::Host(h) = &self.funcs[func as usize].kind {
            let h = h.clone();
            return h(&mut Caller { memory: None }, args);
        }
        let cells: u32 = ty.params().iter().map(|&t| crate::compile::cells(t)).sum();
        let rcells: u32 = ty.results().iter().map(|&t| crate::compile::cells(t)).sum();
        let need = cells.max(rcells) as usize;
        if self.machine.cells.len() < need {
            self.machine.cells.resize(need, 0);
        }
        let mut at = 0;
        for (a, &p) in args.iter().zip(ty.params()) {
            to_cells(*a, &mut self.machine.cells[at..]);
            at += crate::compile::cells(p) as usize;
        }
        self.run(func)?;
        let mut out = Vec::new();
        let mut at = 0;
        for &r in ty.results() {
            out.push(from_cells(r, &self.machine.cells[at..]));
            at += crate::compile::cells(r) as usize;
        }
        Ok(out)
    }
}

fn val_matches(v: &Val, ty: ValType) -> bool {
    match (v, ty) {
        (Val::FuncRef(_), ValType::Ref(r)) => r.heap_type() == RefType::FUNCREF.heap_type(),
        (Val::ExternRef(_), ValType::Ref(r)) => r.heap_type() == RefType::EXTERNREF.heap_type(),
        _ => v.ty() == ty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_round_trip() {
        let mut c = [0u64; 2];
        for v in [
            Val::I32(-5),
            Val::I64(i64::MIN),
            Val::F32(0x7fc0_0001),
            Val::F64(1.5f64.to_bits()),
            Val::V128(u128::MAX - 7),
            Val::FuncRef(None),
            Val::FuncRef(Some(3)),
            Val::ExternRef(Some(0)),
        ] {
            to_cells(v, &mut c);
            assert_eq!(from_cells(v.ty(), &c), v);
        }
    }

    #[test]
    fn memory_grow_respects_max() {
        let mut s = Store::new();
        let m = s.add_memory(1, Some(2)).unwrap() as usize;
        assert_eq!(s.memories[m].grow(1), Some(1));
        assert_eq!(s.memories[m].grow(1), None);
        assert_eq!(s.memories[m].pages(), 2);
    }
}
