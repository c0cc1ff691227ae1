//! Decoding and validation with wasmparser, and pre-decoding of every function body.

use std::rc::Rc;

use wasmparser::{
    BinaryReaderError, DataKind, ElementItems, ElementKind, ExternalKind, FuncValidatorAllocations,
    Operator, Parser, Payload, TableInit, TypeRef, ValidPayload, Validator, WasmFeatures,
};

use crate::compile::Compiler;
use crate::module::{
    ConstExpr, ConstOp, DataMode, DataSegment, ElemMode, ElemSegment, Export, ExternKind, Import,
    ImportType, Module,
};
use crate::strict;
use crate::trap::{Error, ErrorClass};

/// The features this runtime accepts by default: Wasm 2.0 plus tail calls.
pub fn default_features() -> WasmFeatures {
    WasmFeatures::WASM2 | WasmFeatures::TAIL_CALL
}

fn classify(e: BinaryReaderError) -> Error {
    // wasmparser reports decoding and validation errors alike; its messages follow the spec's
    // wording, and decoding problems are the ones below.
    let msg = e.message().to_string();
    let malformed = [
        "magic header",
        "unknown binary version",
        "unexpected end",
        "section size mismatch",
        "malformed",
        "integer representation too long",
        "integer too large",
        "invalid leb128",
        "too many locals",
        "illegal opcode",
        "unknown section",
        "out of order",
        "function and code section have inconsistent lengths",
        "invalid utf-8",
        "data count section required",
        "data count and data section have inconsistent lengths",
        "trailing bytes",
        "unexpected content after last section",
        "zero byte expected",
        "invalid section",
        "length out of bounds",
        "invalid value type",
        "type index out of bounds",
    ]
    .iter()
    .any(|m| msg.contains(m));
    let class = if malformed {
        ErrorClass::Malformed
    } else {
        ErrorClass::Invalid
    };
    Error::new(class, format!("{msg} (at offset {:#x})", e.offset()))
}

/// Decodes, validates and pre-decodes a binary module.
pub fn load(bytes: &[u8], features: WasmFeatures) -> Result<Module, Error> {
    let mut validator = Validator::new_with_features(features);
    let mut m = Module::default();
    let mut allocs = FuncValidatorAllocations::default();
    let mut defined_func = 0u32;
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(classify)?;
        let valid = validator.payload(&payload).map_err(classify)?;
        match payload {
            Payload::TypeSection(r) => {
                for group in r.into_iter_with_offsets() {
                    let (offset, group) = group.map_err(classify)?;
                    if !features.gc() {
                        strict::func_type(bytes, offset)?;
                    }
                    for st in group.into_types() {
                        m.types.push(st.unwrap_func().clone());
                    }
                }
            }
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    let imp = imp.map_err(classify)?;
                    let ty = match imp.ty {
                        TypeRef::Func(t) => {
                            m.funcs.push(t);
                            m.num_imported_funcs += 1;
                            ImportType::Func(t)
                        }
                        TypeRef::Table(t) => {
                            m.tables.push(t);
                            m.num_imported_tables += 1;
                            ImportType::Table(t)
                        }
                        TypeRef::Memory(t) => {
                            m.memories.push(t);
                            m.num_imported_memories += 1;
                            ImportType::Memory(t)
                        }
                        TypeRef::Global(t) => {
                            m.globals.push(t);
                            m.num_imported_globals += 1;
                            ImportType::Global(t)
                        }
                        other => {
                            return Err(Error::new(
                                ErrorClass::Unsupported,
                                format!("import kind {other:?}"),
                            ))
                        }
                    };
                    m.imports.push(Import {
                        module: imp.module.to_string(),
                        name: imp.name.to_string(),
                        ty,
                    });
                }
            }
            Payload::FunctionSection(r) => {
                for t in r {
                    m.funcs.push(t.map_err(classify)?);
                }
            }
            Payload::TableSection(r) => {
                for t in r {
                    let t = t.map_err(classify)?;
                    m.tables.push(t.ty);
                    m.table_inits.push(match t.init {
                        TableInit::RefNull => None,
                        TableInit::Expr(e) => Some(const_expr(&e)?),
                    });
                }
            }
            Payload::MemorySection(r) => {
                if !features.memory64() {
                    strict::memory_section(bytes, r.original_position(), r.count(), r.range().end)?;
                }
                for t in r {
                    m.memories.push(t.map_err(classify)?);
                }
            }
            Payload::GlobalSection(r) => {
                for g in r {
                    let g = g.map_err(classify)?;
                    m.globals.push(g.ty);
                    m.global_inits.push(const_expr(&g.init_expr)?);
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e.map_err(classify)?;
                    let kind = match e.kind {
                        ExternalKind::Func => ExternKind::Func,
                        ExternalKind::Table => ExternKind::Table,
                        ExternalKind::Memory => ExternKind::Memory,
                        ExternalKind::Global => ExternKind::Global,
                        other => {
                            return Err(Error::new(
                                ErrorClass::Unsupported,
                                format!("export kind {other:?}"),
                            ))
                        }
                    };
                    m.exports.push(Export {
                        name: e.name.to_string(),
                        kind,
                        index: e.index,
                    });
                }
            }
            Payload::StartSection { func, .. } => m.start = Some(func),
            Payload::ElementSection(r) => {
                for e in r {
                    let e = e.map_err(classify)?;
                    let (ty, items) = match e.items {
                        ElementItems::Functions(fs) => {
                            let mut items = Vec::new();
                            for f in fs {
                                items.push(vec![ConstOp::RefFunc(f.map_err(classify)?)]);
                            }
                            (wasmparser::RefType::FUNCREF, items)
                        }
                        ElementItems::Expressions(ty, es) => {
                            let mut items = Vec::new();
                            for x in es {
                                items.push(const_expr(&x.map_err(classify)?)?);
                            }
                            (ty, items)
                        }
                    };
                    let mode = match e.kind {
                        ElementKind::Passive => ElemMode::Passive,
                        ElementKind::Declared => ElemMode::Declared,
                        ElementKind::Active {
                            table_index,
                            offset_expr,
                        } => ElemMode::Active {
                            table: table_index.unwrap_or(0),
                            offset: const_expr(&offset_expr)?,
                        },
                    };
                    m.elems.push(ElemSegment { ty, items, mode });
                }
            }
            Payload::DataSection(r) => {
                for d in r {
                    let d = d.map_err(classify)?;
                    let mode = match d.kind {
                        DataKind::Passive => DataMode::Passive,
                        DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => DataMode::Active {
                            memory: memory_index,
                            offset: const_expr(&offset_expr)?,
                        },
                    };
                    m.datas.push(DataSegment {
                        bytes: Rc::from(d.data),
                        mode,
                    });
                }
            }
            _ => {}
        }
        if let ValidPayload::Func(func, body) = valid {
            let mut fv = func.into_validator(std::mem::take(&mut allocs));
            let index = m.num_imported_funcs + defined_func;
            defined_func += 1;
            let mut c = Compiler::new(&m, index);
            let mut locals = body.get_locals_reader().map_err(classify)?;
            for _ in 0..locals.get_count() {
                let offset = locals.original_position();
                let (count, ty) = locals.read().map_err(classify)?;
                fv.define_locals(offset, count, ty).map_err(classify)?;
                c.define_locals(count, ty);
            }
            c.start_body(&crate::compile::scan_constants(&body));
            let mut ops = body.get_operators_reader().map_err(classify)?;
            while !ops.eof() {
                let offset = ops.original_position();
                let op = ops.read().map_err(classify)?;
                if !features.multi_memory() {
                    strict::operator(bytes, offset)?;
                }
                fv.op(offset, &op).map_err(classify)?;
                c.op(&op)
                    .map_err(|e| Error::new(ErrorClass::Unsupported, e))?;
            }
            ops.finish().map_err(classify)?;
            let code = c.finish();
            m.code.push(Rc::new(code));
            allocs = fv.into_allocations();
        }
    }
    Ok(m)
}

fn const_expr(e: &wasmparser::ConstExpr) -> Result<ConstExpr, Error> {
    let mut out = Vec::new();
    let mut r = e.get_operators_reader();
    while !r.eof() {
        let op = r.read().map_err(classify)?;
        out.push(match op {
            Operator::I32Const { value } => ConstOp::I32(value),
            Operator::I64Const { value } => ConstOp::I64(value),
            Operator::F32Const { value } => ConstOp::F32(value.bits()),
            Operator::F64Const { value } => ConstOp::F64(value.bits()),
            Operator::V128Const { value } => ConstOp::V128(u128::from_le_bytes(*value.bytes())),
            Operator::RefNull { .. } => ConstOp::RefNull,
            Operator::RefFunc { function_index } => ConstOp::RefFunc(function_index),
            Operator::GlobalGet { global_index } => ConstOp::GlobalGet(global_index),
            Operator::I32Add => ConstOp::I32Add,
            Operator::I32Sub => ConstOp::I32Sub,
            Operator::I32Mul => ConstOp::I32Mul,
            Operator::I64Add => ConstOp::I64Add,
            Operator::I64Sub => ConstOp::I64Sub,
            Operator::I64Mul => ConstOp::I64Mul,
            Operator::End => continue,
            other => {
                return Err(Error::new(
                    ErrorClass::Unsupported,
                    format!("constant expression operator {other:?}"),
                ))
            }
        });
    }
    Ok(out)
}
