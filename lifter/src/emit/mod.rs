//! LLVM IR emission: the architecture-neutral lifter core.
//!
//! One guest function becomes one LLVM function `i64 @fn_<addr>(i64 %entry)`.
//! It returns the guest pc control should continue at. The model:
//! - Guest registers are fields of `CpuState`, a global at a constant
//!   address. Each read is a load and each write a store, tagged with TBAA
//!   so LLVM knows guest memory never aliases them; LLVM's GVN, DSE and
//!   LICM then keep registers in SSA values wherever no call or function
//!   exit intervenes. A Wasm frame therefore never holds guest state that is
//!   not also in `CpuState` when control leaves it, so any frame may
//!   continue at any guest pc it has code for: Wasm frames are only a cache
//!   of the guest call stack.
//! - A direct call is a direct Wasm call. When it returns, the caller
//!   compares the returned pc with the return address it expects; on a
//!   match it continues natively, otherwise (longjmp, exception unwinding,
//!   a modified return address) it tries its own entry points, and failing
//!   that returns the pc to its caller, and so on up to the dispatcher loop.
//! - Indirect calls and jumps go through `elfconv_dispatch`, a switch over
//!   every entry address of every function.

mod cx;
mod function;

pub use cx::{LazyFlags, LazyTest, LiftCx};
pub use function::emit_function;

use crate::discover::Function;
use crate::elf::GuestImage;
use elfconv2_syscalls::abi::{self, sym};
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::module::{Linkage, Module};
use inkwell::types::IntType;
use inkwell::values::{
    BasicMetadataValueEnum, FunctionValue, GlobalValue, InstructionValue, IntValue, MetadataValue,
    PointerValue,
};
use inkwell::AddressSpace;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

/// Returned by a lifted function to ask for a full unwind to the dispatcher
/// loop: no entry or return address matches a pc with this bit set. Used when
/// the native call depth limit is reached, so deep guest recursion never
/// exhausts the host runtime's Wasm stack.
pub const UNWIND_TAG: u64 = 1 << 63;

/// Module-wide LLVM objects shared by every lifted function.
pub struct ModuleCx<'ctx> {
    pub ctx: &'ctx Context,
    pub module: Module<'ctx>,
    pub i1: IntType<'ctx>,
    pub i8: IntType<'ctx>,
    pub i32: IntType<'ctx>,
    pub i64: IntType<'ctx>,
    pub(crate) state: GlobalValue<'ctx>,
    pub(crate) guest_limit: GlobalValue<'ctx>,
    pub(crate) call_depth: GlobalValue<'ctx>,
    pub(crate) fn_syscall: FunctionValue<'ctx>,
    pub(crate) fn_segv: FunctionValue<'ctx>,
    pub(crate) fn_sigill: FunctionValue<'ctx>,
    pub(crate) fn_sigill_handled: FunctionValue<'ctx>,
    pub(crate) fn_bad_jump: FunctionValue<'ctx>,
    pub(crate) fn_fallback: FunctionValue<'ctx>,
    pub fn_read_counter: FunctionValue<'ctx>,
    pub(crate) fn_dispatch: FunctionValue<'ctx>,
    pub(crate) tbaa_state: MetadataValue<'ctx>,
    pub(crate) tbaa_guest: MetadataValue<'ctx>,
    pub(crate) tbaa_runtime: MetadataValue<'ctx>,
    pub(crate) tbaa_kind: u32,
    /// Lowest guest address that may be accessed (the image start).
    pub(crate) guest_floor: u64,
    /// One past the ELF image's highest address (always mapped).
    pub(crate) guest_image_end: u64,
    /// Lifted functions by guest start address.
    pub(crate) functions: HashMap<u64, FunctionValue<'ctx>>,
    /// Descriptions of unliftable instructions, by pc (NUL-terminated globals).
    pub(crate) sigill_text: RefCell<HashMap<u64, GlobalValue<'ctx>>>,
}

impl<'ctx> ModuleCx<'ctx> {
    pub fn new(ctx: &'ctx Context, name: &str, image: &GuestImage) -> Self {
        let module = ctx.create_module(name);
        let (i1, i8, i32, i64) = (
            ctx.bool_type(),
            ctx.i8_type(),
            ctx.i32_type(),
            ctx.i64_type(),
        );
        let void = ctx.void_type();
        let ptr = ctx.ptr_type(AddressSpace::default());
        let state = module.add_global(
            ctx.i8_type().array_type(abi::state_offset::SIZE as u32),
            None,
            sym::STATE,
        );
        state.set_linkage(Linkage::External);
        let guest_limit = module.add_global(i64, None, sym::GUEST_LIMIT);
        guest_limit.set_linkage(Linkage::External);
        let call_depth = module.add_global(i32, None, sym::CALL_DEPTH);
        call_depth.set_linkage(Linkage::External);

        let noreturn = ctx.create_enum_attribute(
            inkwell::attributes::Attribute::get_named_enum_kind_id("noreturn"),
            0,
        );
        let cold = ctx.create_enum_attribute(
            inkwell::attributes::Attribute::get_named_enum_kind_id("cold"),
            0,
        );
        let declare = |name: &str, ty: inkwell::types::FunctionType<'ctx>, never_returns: bool| {
            let f = module.add_function(name, ty, Some(Linkage::External));
            if never_returns {
                f.add_attribute(inkwell::attributes::AttributeLoc::Function, noreturn);
                f.add_attribute(inkwell::attributes::AttributeLoc::Function, cold);
            }
            f
        };
        let fn_syscall = declare(sym::SYSCALL, i64.fn_type(&[i64.into()], false), false);
        let fn_segv = declare(
            sym::SEGV,
            void.fn_type(&[i64.into(), i64.into()], false),
            true,
        );
        let fn_sigill = declare(
            sym::SIGILL,
            void.fn_type(&[i64.into(), ptr.into()], false),
            true,
        );
        // Returns the pc of the guest's SIGILL handler (or never returns).
        let fn_sigill_handled = declare(
            sym::SIGILL_HANDLED,
            i64.fn_type(&[i64.into(), ptr.into()], false),
            false,
        );
        fn_sigill_handled.add_attribute(inkwell::attributes::AttributeLoc::Function, cold);
        let fn_bad_jump = declare(
            sym::BAD_JUMP,
            void.fn_type(&[i64.into(), i64.into()], false),
            true,
        );
        // Runs guest code that has no translated code; returns the next pc.
        let fn_fallback = declare(sym::FALLBACK, i64.fn_type(&[i64.into()], false), false);
        fn_fallback.add_attribute(inkwell::attributes::AttributeLoc::Function, cold);
        let fn_read_counter = declare(
            sym::READ_COUNTER,
            i64.fn_type(&[i64.into(), i32.into()], false),
            false,
        );
        let fn_dispatch = module.add_function(
            sym::DISPATCH,
            i64.fn_type(&[i64.into()], false),
            Some(Linkage::External),
        );

        // Type-based alias analysis: CPU state, guest memory and runtime
        // variables never alias, so LLVM may keep state in registers across
        // guest stores and hoist the guest-limit load out of loops.
        let root = ctx.metadata_node(&[ctx.metadata_string("elfconv2 tbaa").into()]);
        let zero: BasicMetadataValueEnum = i64.const_zero().into();
        let tag = |name: &str| {
            let ty = ctx.metadata_node(&[ctx.metadata_string(name).into(), root.into(), zero]);
            ctx.metadata_node(&[ty.into(), ty.into(), zero])
        };
        let (tbaa_state, tbaa_guest, tbaa_runtime) =
            (tag("cpu state"), tag("guest memory"), tag("runtime"));
        let tbaa_kind = ctx.get_kind_id("tbaa");

        ModuleCx {
            ctx,
            module,
            i1,
            i8,
            i32,
            i64,
            state,
            guest_limit,
            call_depth,
            fn_syscall,
            fn_segv,
            fn_sigill,
            fn_sigill_handled,
            fn_bad_jump,
            fn_fallback,
            fn_read_counter,
            fn_dispatch,
            tbaa_state,
            tbaa_guest,
            tbaa_runtime,
            tbaa_kind,
            guest_floor: image.image_start(),
            guest_image_end: image.image_end(),
            functions: HashMap::new(),
            sigill_text: RefCell::new(HashMap::new()),
        }
    }

    pub(crate) fn tag(&self, inst: InstructionValue<'ctx>, tbaa: MetadataValue<'ctx>) {
        inst.set_metadata(tbaa, self.tbaa_kind)
            .expect("tbaa metadata");
    }

    /// Pointer to a byte offset inside `CpuState`.
    pub(crate) fn state_ptr(&self, b: &Builder<'ctx>, offset: usize) -> PointerValue<'ctx> {
        let base = self.state.as_pointer_value();
        unsafe {
            b.build_in_bounds_gep(
                self.i8,
                base,
                &[self.i64.const_int(offset as u64, false)],
                "",
            )
            .unwrap()
        }
    }

    /// Declares the LLVM functions for every guest function (bodies come later).
    /// `defined_here` says which functions this module will define; with
    /// one module for the whole program they are internal (LLVM may then
    /// specialise them), else the others are external declarations.
    pub fn declare_functions(
        &mut self,
        functions: &[Function],
        defined_here: impl Fn(u64) -> bool,
        whole_program: bool,
    ) {
        let ty = self.i64.fn_type(&[self.i64.into()], false);
        for f in functions {
            let name = format!("fn_{:x}", f.start);
            let fv = if whole_program {
                self.module.add_function(&name, ty, Some(Linkage::Internal))
            } else {
                let fv = self.module.add_function(&name, ty, Some(Linkage::External));
                if defined_here(f.start) {
                    fv.as_global_value()
                        .set_visibility(inkwell::GlobalVisibility::Hidden);
                }
                fv
            };
            self.functions.insert(f.start, fv);
        }
    }

    /// A function of the syscall layer that reads and writes no memory
    /// (declared on first use, `memory(none) nounwind willreturn`), so
    /// calling it does not force LLVM to reload or spill anything.
    pub fn pure_runtime_function(
        &self,
        name: &str,
        ty: inkwell::types::FunctionType<'ctx>,
    ) -> FunctionValue<'ctx> {
        if let Some(f) = self.module.get_function(name) {
            return f;
        }
        let f = self.module.add_function(name, ty, Some(Linkage::External));
        let attribute = |kind: &str, value: u64| {
            let id = inkwell::attributes::Attribute::get_named_enum_kind_id(kind);
            self.ctx.create_enum_attribute(id, value)
        };
        // The value of `memory` encodes the allowed effects; 0 is none.
        for (kind, value) in [("memory", 0), ("nounwind", 0), ("willreturn", 0)] {
            f.add_attribute(
                inkwell::attributes::AttributeLoc::Function,
                attribute(kind, value),
            );
        }
        f
    }

    pub(crate) fn sigill_description(&self, pc: u64, text: &str) -> PointerValue<'ctx> {
        if let Some(g) = self.sigill_text.borrow().get(&pc) {
            return g.as_pointer_value();
        }
        let bytes: Vec<u8> = text.bytes().chain(std::iter::once(0)).collect();
        let init = self.ctx.const_string(&bytes, false);
        let g = self
            .module
            .add_global(init.get_type(), None, &format!("sigill_{pc:x}"));
        g.set_initializer(&init);
        g.set_constant(true);
        g.set_linkage(Linkage::Private);
        self.sigill_text.borrow_mut().insert(pc, g);
        g.as_pointer_value()
    }

    /// Emits `elfconv_dispatch`: a switch over every function entry.
    pub fn emit_dispatch(&self, functions: &[Function]) {
        let ctx = self.ctx;
        let b = ctx.create_builder();
        let f = self.fn_dispatch;
        let entry = ctx.append_basic_block(f, "entry");
        let bad = ctx.append_basic_block(f, "no_translated_code");
        b.position_at_end(entry);
        let raw = f.get_nth_param(0).unwrap().into_int_value();
        let pc = b
            .build_and(raw, self.i64.const_int(!UNWIND_TAG, false), "pc")
            .unwrap();
        let mut cases: BTreeMap<u64, FunctionValue<'ctx>> = BTreeMap::new();
        // Function starts win over return sites shared by several functions.
        for func in functions {
            for &e in &func.entries {
                cases.entry(e).or_insert(self.functions[&func.start]);
            }
        }
        for func in functions {
            cases.insert(func.start, self.functions[&func.start]);
        }
        let noinline = ctx.create_enum_attribute(
            inkwell::attributes::Attribute::get_named_enum_kind_id("noinline"),
            0,
        );
        let mut arms = Vec::new();
        for (&addr, &target) in &cases {
            let bb = ctx.append_basic_block(f, &format!("to_{addr:x}"));
            b.position_at_end(bb);
            let r = b.build_call(target, &[pc.into()], "").unwrap();
            r.set_tail_call(true);
            // Inlining every function into the dispatcher would build one
            // enormous function for no gain.
            r.add_attribute(inkwell::attributes::AttributeLoc::Function, noinline);
            b.build_return(Some(&r.try_as_basic_value().basic().unwrap()))
                .unwrap();
            arms.push((self.i64.const_int(addr, false), bb));
        }
        b.position_at_end(entry);
        b.build_switch(pc, bad, &arms).unwrap();
        // No translated code at pc: the layer interprets from there (or
        // reports a jump to an address that is not code).
        b.position_at_end(bad);
        let r = b.build_call(self.fn_fallback, &[pc.into()], "").unwrap();
        r.set_tail_call(true);
        b.build_return(Some(&r.try_as_basic_value().basic().unwrap()))
            .unwrap();
    }

    /// Emits the `elfconv_image_info` constant the syscall layer reads at start-up.
    pub fn emit_image_info(&self, image: &GuestImage) {
        let arch = match image.arch {
            crate::elf::GuestArch::Riscv64 => abi::ARCH_RISCV64,
            crate::elf::GuestArch::Aarch64 => abi::ARCH_AARCH64,
        };
        let info = abi::ImageInfo {
            arch,
            entry: image.entry,
            phdr: image.phdr,
            phnum: image.phnum,
            phent: image.phent,
            image_start: image.image_start(),
            image_end: image.image_end(),
        };
        let words = [
            info.arch,
            info.entry,
            info.phdr,
            info.phnum,
            info.phent,
            info.image_start,
            info.image_end,
        ];
        debug_assert_eq!(words.len(), abi::IMAGE_INFO_WORDS);
        let vals: Vec<IntValue> = words
            .iter()
            .map(|&w| self.i64.const_int(w, false))
            .collect();
        let init = self.i64.const_array(&vals);
        let g = self
            .module
            .add_global(init.get_type(), None, sym::IMAGE_INFO);
        g.set_initializer(&init);
        g.set_constant(true);
    }
}

/// The LLVM integer type of `bits` width (bits > 0).
pub fn int_type(ctx: &Context, bits: u32) -> IntType<'_> {
    ctx.custom_width_int_type(std::num::NonZeroU32::new(bits).expect("non-zero width"))
        .expect("valid integer width")
}
