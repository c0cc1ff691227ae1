//! `LiftCx`: what instruction semantics see while one function is lifted.
//! Registers, arithmetic helpers, guest memory with bounds checks, traps.

use super::{int_type, ModuleCx};
use crate::arch::RegDesc;
use elfconv2_syscalls::abi;
use inkwell::basic_block::BasicBlock;
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::intrinsics::Intrinsic;
use inkwell::types::{BasicTypeEnum, IntType};
use inkwell::values::{
    BasicMetadataValueEnum, BasicValue, BasicValueEnum, FunctionValue, InstructionOpcode,
    InstructionValue, IntValue, PhiValue, PointerValue,
};
use inkwell::{AddressSpace, IntPredicate};
use std::cell::Cell;

/// Per-function lifting context handed to instruction semantics.
pub struct LiftCx<'m, 'ctx> {
    pub m: &'m ModuleCx<'ctx>,
    pub b: Builder<'ctx>,
    pub ctx: &'ctx Context,
    pub(super) func: FunctionValue<'ctx>,
    pub(super) regs: &'m [RegDesc],
    /// Guest pc of the instruction being lifted.
    pub pc: u64,
    /// One alloca per register the function touches (created on first use).
    pub(super) allocas: Vec<Option<PointerValue<'ctx>>>,
    /// Registers written since the start of the current guest block.
    pub(super) written_in_block: RegSet,
    /// Registers read in the current guest block before any write there
    /// (their value comes from whoever ran before the block).
    pub(super) exposed_in_block: RegSet,
    /// Registers known, in the current guest block, to hold a value that
    /// still needs an architecture-specific fix-up before its bits are
    /// observed, with the width of the pending value. RISC-V keeps FP
    /// arithmetic results here until their NaN is made canonical (see
    /// `riscv/float.rs`). Across guest blocks the same knowledge lives in
    /// `fixup_slots`, where LLVM folds it.
    pub deferred: Vec<(usize, u32)>,
    /// One i8 slot per register that may carry a pending fix-up from block
    /// to block: which fix-up is pending (0: none). Zero on function entry
    /// and after every spill, since `CpuState` holds only settled values.
    pub(super) fixup_slots: Vec<Option<PointerValue<'ctx>>>,
    /// FP operations of the current guest block whose exception flags are
    /// worked out only at the end of the block, and only when the cheap
    /// test there fails (see `riscv/fp_env.rs`).
    pub lazy_flags: Vec<LazyFlags<'ctx>>,
    pub(super) entry_bb: BasicBlock<'ctx>,
    /// The function's shared SIGSEGV block and its (pc, address) phis.
    pub(super) segv: Option<(BasicBlock<'ctx>, PhiValue<'ctx>, PhiValue<'ctx>)>,
    /// Straight-line facts, valid from the start of the guest block until
    /// semantics create control flow of their own (see [`Self::new_block`]):
    /// each register's current SSA value, so reads need no alloca load ...
    pub(super) values: Vec<Option<IntValue<'ctx>>>,
    /// ... and the base values already checked against the guest limit
    /// with slack, so later accesses through them need no check. Keeping
    /// these out of the IR saves LLVM the work of removing them.
    pub(super) checked_bases: Vec<IntValue<'ctx>>,
    /// Set when semantics made blocks: the facts above may then have been
    /// gathered on a path that does not dominate what follows.
    pub(super) branched: Cell<bool>,
}

/// Emits an i1 test over values an instruction left (evaluated later, at
/// the end of its guest block).
pub type LazyTest<'ctx> = Box<dyn for<'a, 'm> Fn(&'a LiftCx<'m, 'ctx>) -> IntValue<'ctx> + 'ctx>;

/// An FP operation whose exception flags are not computed inline. Its
/// `helper` (a pure runtime function, called with `args`) returns them; the
/// call is needed only if the test that applies fails at run time.
pub struct LazyFlags<'ctx> {
    /// True when the operation raised no flag at all (used while the
    /// "inexact" flag is clear).
    pub raised_none: LazyTest<'ctx>,
    /// True when it raised no flag other than "inexact" (used once it is set).
    pub raised_at_most_inexact: LazyTest<'ctx>,
    pub helper: FunctionValue<'ctx>,
    pub args: Vec<IntValue<'ctx>>,
}

/// A set of register-file indices (the register file has at most 128).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegSet(pub u128);

impl RegSet {
    pub fn insert(&mut self, r: usize) {
        self.0 |= 1u128 << r;
    }
    pub fn contains(self, r: usize) -> bool {
        self.0 & (1u128 << r) != 0
    }
    pub fn union(self, other: RegSet) -> RegSet {
        RegSet(self.0 | other.0)
    }
}

impl<'m, 'ctx> LiftCx<'m, 'ctx> {
    // ----- registers -------------------------------------------------

    pub(super) fn reg_type(&self, r: usize) -> IntType<'ctx> {
        int_type(self.ctx, self.regs[r].bits)
    }

    /// The type register `r` is held in inside the function (its alloca,
    /// and so its phis after mem2reg): `f64` for FP registers, else the
    /// integer of its width.
    pub(super) fn held_type(&self, r: usize) -> BasicTypeEnum<'ctx> {
        if self.regs[r].float {
            self.ctx.f64_type().into()
        } else {
            self.reg_type(r).into()
        }
    }

    /// A held value of register `r` as the integer of its width.
    pub(super) fn held_to_int(&self, r: usize, v: BasicValueEnum<'ctx>) -> IntValue<'ctx> {
        self.recast(v, self.reg_type(r).into()).into_int_value()
    }

    /// An integer value for register `r` in the type it is held in.
    pub(super) fn int_to_held(&self, r: usize, v: IntValue<'ctx>) -> BasicValueEnum<'ctx> {
        self.recast(v.into(), self.held_type(r))
    }

    /// `v` as `ty`: itself if it has that type, the operand of the bitcast
    /// that made it if that operand has (so no casts stack up), else a new
    /// bitcast.
    fn recast(&self, v: BasicValueEnum<'ctx>, ty: BasicTypeEnum<'ctx>) -> BasicValueEnum<'ctx> {
        if v.get_type() == ty {
            return v;
        }
        match bitcast_source(v) {
            Some(source) if source.get_type() == ty => source,
            _ => self.bitcast(v, ty),
        }
    }

    pub(super) fn alloca(&mut self, r: usize) -> PointerValue<'ctx> {
        if let Some(p) = self.allocas[r] {
            return p;
        }
        let ab = self.ctx.create_builder();
        match self.entry_bb.get_first_instruction() {
            Some(i) => ab.position_before(&i),
            None => ab.position_at_end(self.entry_bb),
        }
        let p = ab
            .build_alloca(self.held_type(r), self.regs[r].name)
            .unwrap();
        self.allocas[r] = Some(p);
        p
    }

    /// Register `r`'s fix-up slot (see `fixup_slots`), created zero.
    pub fn fixup_slot(&mut self, r: usize) -> PointerValue<'ctx> {
        if let Some(p) = self.fixup_slots[r] {
            return p;
        }
        let ab = self.ctx.create_builder();
        match self.entry_bb.get_first_instruction() {
            Some(i) => ab.position_before(&i),
            None => ab.position_at_end(self.entry_bb),
        }
        let p = ab.build_alloca(self.ctx.i8_type(), "fixup").unwrap();
        // The entry block dominates every block of the function.
        match self.entry_bb.get_terminator() {
            Some(t) => ab.position_before(&t),
            None => ab.position_at_end(self.entry_bb),
        }
        ab.build_store(p, self.ctx.i8_type().const_zero()).unwrap();
        self.fixup_slots[r] = Some(p);
        p
    }

    /// The fix-up pending on register `r` (an i8; 0: none).
    pub fn pending_fixup(&mut self, r: usize) -> IntValue<'ctx> {
        let p = self.fixup_slot(r);
        self.b
            .build_load(self.ctx.i8_type(), p, "pending")
            .unwrap()
            .into_int_value()
    }

    /// Records the fix-up now pending on register `r` (0: none).
    pub fn set_pending_fixup(&mut self, r: usize, kind: u8) {
        let p = self.fixup_slot(r);
        let v = self.ctx.i8_type().const_int(kind as u64, false);
        self.b.build_store(p, v).unwrap();
    }

    /// Forgets the straight-line facts (at a guest block's start, and before
    /// the instruction after one whose semantics branched).
    pub(super) fn forget_straight_line(&mut self) {
        self.clear_straight_line_facts();
        self.branched.set(false);
    }

    fn clear_straight_line_facts(&mut self) {
        self.values.iter_mut().for_each(|v| *v = None);
        self.checked_bases.clear();
    }

    /// Are the straight-line facts usable here? Not from the moment the
    /// current instruction's semantics branched until the next instruction:
    /// a value made in one arm does not dominate the join.
    fn still_straight(&mut self) -> bool {
        if self.branched.get() {
            self.clear_straight_line_facts();
            return false;
        }
        true
    }

    /// Current value of register `r` (an integer of the register's width).
    /// Registers are allocas that LLVM promotes to SSA values; they meet
    /// `CpuState` only where control enters or leaves the function.
    pub fn read(&mut self, r: usize) -> IntValue<'ctx> {
        let straight = self.still_straight();
        if let Some(v) = self.values[r] {
            return v;
        }
        if !self.written_in_block.contains(r) {
            self.exposed_in_block.insert(r);
        }
        let p = self.alloca(r);
        let held = self
            .b
            .build_load(self.held_type(r), p, self.regs[r].name)
            .unwrap();
        let v = self.held_to_int(r, held);
        if straight {
            self.values[r] = Some(v);
        }
        v
    }

    /// Sets register `r`; `v` must have the register's width.
    pub fn write(&mut self, r: usize, v: IntValue<'ctx>) {
        let straight = self.still_straight();
        let p = self.alloca(r);
        self.written_in_block.insert(r);
        self.deferred.retain(|&(d, _)| d != r);
        self.b.build_store(p, self.int_to_held(r, v)).unwrap();
        self.values[r] = straight.then_some(v);
    }

    // ----- constants and plain arithmetic -------------------------------

    pub fn c64(&self, v: u64) -> IntValue<'ctx> {
        self.m.i64.const_int(v, false)
    }
    pub fn c32(&self, v: u32) -> IntValue<'ctx> {
        self.m.i32.const_int(v as u64, false)
    }
    pub fn cint(&self, bits: u32, v: u64) -> IntValue<'ctx> {
        int_type(self.ctx, bits).const_int(v, false)
    }
    pub fn add(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> IntValue<'ctx> {
        self.b.build_int_add(a, b, "").unwrap()
    }
    pub fn sub(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> IntValue<'ctx> {
        self.b.build_int_sub(a, b, "").unwrap()
    }
    pub fn mul(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> IntValue<'ctx> {
        self.b.build_int_mul(a, b, "").unwrap()
    }
    pub fn and(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> IntValue<'ctx> {
        self.b.build_and(a, b, "").unwrap()
    }
    pub fn or(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> IntValue<'ctx> {
        self.b.build_or(a, b, "").unwrap()
    }
    pub fn xor(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> IntValue<'ctx> {
        self.b.build_xor(a, b, "").unwrap()
    }
    pub fn not(&self, a: IntValue<'ctx>) -> IntValue<'ctx> {
        self.b.build_not(a, "").unwrap()
    }
    pub fn shl(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> IntValue<'ctx> {
        self.b.build_left_shift(a, b, "").unwrap()
    }
    pub fn lshr(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> IntValue<'ctx> {
        self.b.build_right_shift(a, b, false, "").unwrap()
    }
    pub fn ashr(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> IntValue<'ctx> {
        self.b.build_right_shift(a, b, true, "").unwrap()
    }
    pub fn udiv(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> IntValue<'ctx> {
        self.b.build_int_unsigned_div(a, b, "").unwrap()
    }
    pub fn sdiv(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> IntValue<'ctx> {
        self.b.build_int_signed_div(a, b, "").unwrap()
    }
    pub fn urem(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> IntValue<'ctx> {
        self.b.build_int_unsigned_rem(a, b, "").unwrap()
    }
    pub fn srem(&self, a: IntValue<'ctx>, b: IntValue<'ctx>) -> IntValue<'ctx> {
        self.b.build_int_signed_rem(a, b, "").unwrap()
    }
    pub fn icmp(&self, p: IntPredicate, a: IntValue<'ctx>, b: IntValue<'ctx>) -> IntValue<'ctx> {
        self.b.build_int_compare(p, a, b, "").unwrap()
    }
    pub fn select(
        &self,
        c: IntValue<'ctx>,
        a: IntValue<'ctx>,
        b: IntValue<'ctx>,
    ) -> IntValue<'ctx> {
        self.b.build_select(c, a, b, "").unwrap().into_int_value()
    }
    pub fn zext(&self, a: IntValue<'ctx>, bits: u32) -> IntValue<'ctx> {
        let t = int_type(self.ctx, bits);
        if a.get_type().get_bit_width() == bits {
            return a;
        }
        self.b.build_int_z_extend(a, t, "").unwrap()
    }
    pub fn sext(&self, a: IntValue<'ctx>, bits: u32) -> IntValue<'ctx> {
        let t = int_type(self.ctx, bits);
        if a.get_type().get_bit_width() == bits {
            return a;
        }
        self.b.build_int_s_extend(a, t, "").unwrap()
    }
    pub fn trunc(&self, a: IntValue<'ctx>, bits: u32) -> IntValue<'ctx> {
        let t = int_type(self.ctx, bits);
        if a.get_type().get_bit_width() == bits {
            return a;
        }
        self.b.build_int_truncate(a, t, "").unwrap()
    }
    /// Bit-casts between same-sized integer, float and vector types.
    pub fn bitcast(
        &self,
        v: BasicValueEnum<'ctx>,
        ty: BasicTypeEnum<'ctx>,
    ) -> BasicValueEnum<'ctx> {
        self.b.build_bit_cast(v, ty, "").unwrap()
    }

    /// Calls an LLVM intrinsic, overloaded on `types`.
    pub fn intrinsic(
        &self,
        name: &str,
        types: &[BasicTypeEnum<'ctx>],
        args: &[BasicValueEnum<'ctx>],
    ) -> BasicValueEnum<'ctx> {
        let i = Intrinsic::find(name).unwrap_or_else(|| panic!("unknown intrinsic {name}"));
        let f = i
            .get_declaration(&self.m.module, types)
            .unwrap_or_else(|| panic!("bad intrinsic overload {name}"));
        let args: Vec<BasicMetadataValueEnum> = args.iter().map(|&a| a.into()).collect();
        self.b
            .build_call(f, &args, "")
            .unwrap()
            .try_as_basic_value()
            .basic()
            .expect("intrinsic returns a value")
    }

    /// Calls a function that returns an integer.
    pub fn call(&self, f: FunctionValue<'ctx>, args: &[IntValue<'ctx>]) -> IntValue<'ctx> {
        let args: Vec<BasicMetadataValueEnum> = args.iter().map(|&a| a.into()).collect();
        self.b
            .build_call(f, &args, "")
            .unwrap()
            .try_as_basic_value()
            .basic()
            .expect("function returns a value")
            .into_int_value()
    }

    /// Calls an LLVM intrinsic that returns nothing.
    pub fn intrinsic_void(
        &self,
        name: &str,
        types: &[BasicTypeEnum<'ctx>],
        args: &[BasicValueEnum<'ctx>],
    ) {
        let i = Intrinsic::find(name).unwrap_or_else(|| panic!("unknown intrinsic {name}"));
        let f = i
            .get_declaration(&self.m.module, types)
            .unwrap_or_else(|| panic!("bad intrinsic overload {name}"));
        let args: Vec<BasicMetadataValueEnum> = args.iter().map(|&a| a.into()).collect();
        self.b.build_call(f, &args, "").unwrap();
    }

    // ----- CPU state outside the register file ---------------------------

    /// Loads an integer field of `CpuState` that is not a promoted register.
    pub fn state_load(&self, offset: usize, bits: u32) -> IntValue<'ctx> {
        let p = self.m.state_ptr(&self.b, offset);
        let v = self.b.build_load(int_type(self.ctx, bits), p, "").unwrap();
        self.m
            .tag(v.as_instruction_value().unwrap(), self.m.tbaa_state);
        v.into_int_value()
    }

    /// Stores an integer field of `CpuState` that is not a promoted register.
    pub fn state_store(&self, offset: usize, v: IntValue<'ctx>) {
        let p = self.m.state_ptr(&self.b, offset);
        let s = self.b.build_store(p, v).unwrap();
        self.m.tag(s, self.m.tbaa_state);
    }

    // ----- guest memory --------------------------------------------------

    /// Checks that `[base+imm, base+imm+size)` is guest memory (else the
    /// program stops with SIGSEGV) and returns the Wasm pointer for it.
    ///
    /// Three cases, cheapest first:
    /// - a constant address inside the ELF image needs no check (the image
    ///   is always mapped);
    /// - a small non-negative offset checks `base` alone against the limit
    ///   minus [`abi::ACCESS_SLACK`]: the same comparison for every access
    ///   through that base value, which LLVM then performs once;
    /// - anything else checks the exact address.
    pub fn guest_ptr(&mut self, base: IntValue<'ctx>, imm: i64, size: u32) -> PointerValue<'ctx> {
        let m = self.m;
        let addr = if imm == 0 {
            base
        } else {
            self.add(base, self.c64(imm as u64))
        };
        let in_image = addr.get_zero_extended_constant().is_some_and(|a| {
            a >= m.guest_floor && a.saturating_add(size as u64) <= m.guest_image_end
        });
        let straight = self.still_straight();
        let in_window = |off: i64| off >= 0 && off as u64 + size as u64 <= abi::ACCESS_SLACK;
        let shared = in_window(imm);
        let already_checked = straight
            && offsets_from_roots(base).into_iter().any(|(root, delta)| {
                delta
                    .checked_add(imm)
                    .is_some_and(|off| in_window(off) && self.checked_bases.contains(&root))
            });
        if !in_image && !already_checked {
            let limit = self
                .b
                .build_load(m.i64, m.guest_limit.as_pointer_value(), "limit")
                .unwrap();
            m.tag(limit.as_instruction_value().unwrap(), m.tbaa_runtime);
            let (checked, reserve) = if shared {
                (base, abi::ACCESS_SLACK)
            } else {
                (addr, size as u64)
            };
            let rel = self.sub(checked, self.c64(m.guest_floor));
            let max_rel = self.sub(limit.into_int_value(), self.c64(m.guest_floor + reserve));
            let bad = self.icmp(IntPredicate::UGT, rel, max_rel);
            let bad = self
                .intrinsic(
                    "llvm.expect",
                    &[m.i1.into()],
                    &[bad.into(), m.i1.const_zero().into()],
                )
                .into_int_value();
            let (segv, pc_phi, addr_phi) = self.segv_block();
            let ok = self.ctx.append_basic_block(self.func, "");
            self.b.build_conditional_branch(bad, segv, ok).unwrap();
            let here = self.b.get_insert_block().unwrap();
            pc_phi.add_incoming(&[(&self.c64(self.pc), here)]);
            addr_phi.add_incoming(&[(&addr, here)]);
            self.b.position_at_end(ok);
            if shared && straight {
                self.checked_bases.push(base);
            }
        }
        // Guest address -> Wasm address: truncate, then a constant offset
        // that the Wasm back end folds into the load/store immediate.
        let a32 = self.trunc(addr, 32);
        let wasm_base = self
            .b
            .build_int_to_ptr(a32, self.ctx.ptr_type(AddressSpace::default()), "")
            .unwrap();
        unsafe {
            self.b
                .build_in_bounds_gep(m.i8, wasm_base, &[self.c32(abi::GUEST_BASE)], "")
                .unwrap()
        }
    }

    /// The function's one SIGSEGV block, created on first use.
    fn segv_block(&mut self) -> (BasicBlock<'ctx>, PhiValue<'ctx>, PhiValue<'ctx>) {
        if let Some(s) = self.segv {
            return s;
        }
        let here = self.b.get_insert_block().unwrap();
        let bb = self.ctx.append_basic_block(self.func, "segv");
        self.b.position_at_end(bb);
        let pc = self.b.build_phi(self.m.i64, "fault_pc").unwrap();
        let addr = self.b.build_phi(self.m.i64, "fault_addr").unwrap();
        self.b
            .build_call(
                self.m.fn_segv,
                &[pc.as_basic_value().into(), addr.as_basic_value().into()],
                "",
            )
            .unwrap();
        self.b.build_unreachable().unwrap();
        self.b.position_at_end(here);
        self.segv = Some((bb, pc, addr));
        self.segv.unwrap()
    }

    /// Loads `bits` (8..128) from guest memory at `base + imm`.
    pub fn load(&mut self, base: IntValue<'ctx>, imm: i64, bits: u32) -> IntValue<'ctx> {
        let p = self.guest_ptr(base, imm, bits / 8);
        let v = self.b.build_load(int_type(self.ctx, bits), p, "").unwrap();
        let i = v.as_instruction_value().unwrap();
        i.set_alignment(1).unwrap();
        self.m.tag(i, self.m.tbaa_guest);
        v.into_int_value()
    }

    /// Stores an integer value (its width decides the size) to guest memory
    /// at `base + imm`.
    pub fn store(&mut self, base: IntValue<'ctx>, imm: i64, v: IntValue<'ctx>) {
        let bits = v.get_type().get_bit_width();
        let p = self.guest_ptr(base, imm, bits / 8);
        let s = self.b.build_store(p, v).unwrap();
        s.set_alignment(1).unwrap();
        self.m.tag(s, self.m.tbaa_guest);
    }

    /// Marks an instruction created by semantics as a guest-memory access.
    pub fn tag_guest(&self, i: InstructionValue<'ctx>) {
        self.m.tag(i, self.m.tbaa_guest);
    }

    /// Appends a fresh basic block to the current function. Semantics that
    /// branch invalidate the straight-line facts.
    pub fn new_block(&self, name: &str) -> BasicBlock<'ctx> {
        self.branched.set(true);
        self.ctx.append_basic_block(self.func, name)
    }

    /// Stops the guest with SIGILL at run time (the path continues in a
    /// fresh, unreachable block so semantics may keep emitting).
    pub fn trap_sigill(&mut self, what: &str) {
        let desc = self.m.sigill_description(self.pc, what);
        self.b
            .build_call(
                self.m.fn_sigill,
                &[self.c64(self.pc).into(), desc.into()],
                "",
            )
            .unwrap();
        self.b.build_unreachable().unwrap();
        let dead = self.new_block("after_sigill");
        self.b.position_at_end(dead);
    }

    /// Reads a timer/counter (0 cycle, 1 time, 2 instret) from the runtime.
    pub fn read_counter(&self, kind: u32) -> IntValue<'ctx> {
        let r = self
            .b
            .build_call(
                self.m.fn_read_counter,
                &[self.c64(self.pc).into(), self.c32(kind).into()],
                "",
            )
            .unwrap();
        r.try_as_basic_value().basic().unwrap().into_int_value()
    }
}

/// `v` and the values it is a constant offset from, with those offsets:
/// `(v, 0)`, then `(r, c)` for `v = r + c`, and so on a few steps back. A
/// pointer bumped in a loop (`addi a5,a5,8; fsd fa5,-8(a5)`) is then
/// covered by the check of the value it was bumped from.
fn offsets_from_roots(v: IntValue<'_>) -> Vec<(IntValue<'_>, i64)> {
    use inkwell::values::InstructionOpcode;
    let mut chain = vec![(v, 0i64)];
    let (mut value, mut delta) = (v, 0i64);
    for _ in 0..4 {
        let Some(add) = value
            .as_instruction()
            .filter(|i| i.get_opcode() == InstructionOpcode::Add)
        else {
            break;
        };
        let operand = |n| {
            add.get_operand(n)
                .and_then(|o| o.value())
                .filter(|o| o.is_int_value())
                .map(|o| o.into_int_value())
        };
        let (Some(root), Some(c)) = (operand(0), operand(1)) else {
            break;
        };
        let Some(c) = c.get_sign_extended_constant() else {
            break;
        };
        let Some(d) = delta.checked_add(c) else {
            break;
        };
        (value, delta) = (root, d);
        chain.push((value, delta));
    }
    chain
}

/// The operand of `v` if `v` is a `bitcast` instruction.
fn bitcast_source(v: BasicValueEnum<'_>) -> Option<BasicValueEnum<'_>> {
    let i = v.as_instruction_value()?;
    if i.get_opcode() != InstructionOpcode::BitCast {
        return None;
    }
    i.get_operand(0)?.value()
}
