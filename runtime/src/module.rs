//! A validated, pre-decoded module: everything instantiation and execution need, owned.

use std::rc::Rc;

use wasmparser::{FuncType, GlobalType, MemoryType, RefType, TableType};

use crate::code::Code;

/// What an import or export refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternKind {
    Func,
    Table,
    Memory,
    Global,
}

#[derive(Debug, Clone)]
pub enum ImportType {
    Func(u32),
    Table(TableType),
    Memory(MemoryType),
    Global(GlobalType),
}

#[derive(Debug, Clone)]
pub struct Import {
    pub module: String,
    pub name: String,
    pub ty: ImportType,
}

#[derive(Debug, Clone)]
pub struct Export {
    pub name: String,
    pub kind: ExternKind,
    pub index: u32,
}

/// A constant expression, kept as a tiny stack program (Wasm 2.0 allows one instruction,
/// extended-const a few arithmetic ones).
#[derive(Debug, Clone, PartialEq)]
pub enum ConstOp {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    V128(u128),
    RefNull,
    RefFunc(u32),
    GlobalGet(u32),
    I32Add,
    I32Sub,
    I32Mul,
    I64Add,
    I64Sub,
    I64Mul,
}

pub type ConstExpr = Vec<ConstOp>;

#[derive(Debug, Clone)]
pub enum ElemMode {
    Passive,
    Declared,
    Active { table: u32, offset: ConstExpr },
}

#[derive(Debug, Clone)]
pub struct ElemSegment {
    pub ty: RefType,
    pub items: Vec<ConstExpr>,
    pub mode: ElemMode,
}

#[derive(Debug, Clone)]
pub enum DataMode {
    Passive,
    Active { memory: u32, offset: ConstExpr },
}

#[derive(Debug, Clone)]
pub struct DataSegment {
    pub bytes: Rc<[u8]>,
    pub mode: DataMode,
}

#[derive(Debug, Default)]
pub struct Module {
    pub types: Vec<FuncType>,
    pub imports: Vec<Import>,
    /// Type index of every function, imported ones first.
    pub funcs: Vec<u32>,
    pub num_imported_funcs: u32,
    /// Pre-decoded bodies of the defined functions (index = function index - imported).
    pub code: Vec<Rc<Code>>,
    /// Every table, memory and global type, imported ones first.
    pub tables: Vec<TableType>,
    pub num_imported_tables: u32,
    /// Initialiser of each defined table (None: null references).
    pub table_inits: Vec<Option<ConstExpr>>,
    pub memories: Vec<MemoryType>,
    pub num_imported_memories: u32,
    pub globals: Vec<GlobalType>,
    pub num_imported_globals: u32,
    pub global_inits: Vec<ConstExpr>,
    pub exports: Vec<Export>,
    pub start: Option<u32>,
    pub elems: Vec<ElemSegment>,
    pub datas: Vec<DataSegment>,
}

impl Module {
    pub fn func_type(&self, func: u32) -> &FuncType {
        &self.types[self.funcs[func as usize] as usize]
    }

    pub fn export(&self, name: &str) -> Option<&Export> {
        self.exports.iter().find(|e| e.name == name)
    }
}
