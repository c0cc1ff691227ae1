//! Pre-decoding: one validated function body becomes slot-addressed internal code.
//!
//! The compiler mirrors the Wasm operand stack at compile time. Each entry knows its
//! *canonical* slot (locals first, then one or two cells per stack position) and where its
//! value currently lives: `local.get` pushes an alias of the local instead of copying it, and
//! consumers read the local directly. Aliases are made real (copied to the canonical slot)
//! before the local is overwritten and before any control-flow join, so every path agrees
//! on where values are. Branches copy their label's values into the target block's slots.

use std::collections::HashMap;

use wasmparser::{BlockType, Operator, ValType};

use crate::code::{CallSite, Code, Instr, Pc, Slot};
use crate::module::Module;
use crate::ops::simd;

/// Cells a value of this type occupies.
pub fn cells(ty: ValType) -> u32 {
    if ty == ValType::V128 {
        2
    } else {
        1
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    canon: Slot,
    src: Slot,
    size: u8,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Func,
    Block,
    Loop,
    If,
    Else,
}

/// A branch condition as taken off the stack.
#[derive(Debug, Clone, Copy)]
enum Cond {
    Cmp(Instr),
    Eqz(Slot),
    Slot(Slot),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Patch {
    Instr(usize),
    Table(usize),
}

#[derive(Debug)]
struct Ctrl {
    kind: Kind,
    /// Stack entries below the block's parameters.
    height: usize,
    /// Canonical slot of the first parameter/result.
    base: Slot,
    params: Vec<u8>,
    results: Vec<u8>,
    /// Loop start (branch target of a loop label).
    start: Pc,
    patches: Vec<Patch>,
    /// The `if`'s jump to its else branch, until bound.
    else_patch: Option<usize>,
}

impl Ctrl {
    fn label_sizes(&self) -> &[u8] {
        if self.kind == Kind::Loop {
            &self.params
        } else {
            &self.results
        }
    }
}

/// How many distinct constants of a function get slots (the most used first); the slots
/// are filled on every call, so the number stays small.
pub const MAX_CONST_SLOTS: usize = 32;

/// Picks the constants worth a slot from a function body (a quick scan before compiling).
pub fn scan_constants(body: &wasmparser::FunctionBody) -> Vec<u64> {
    let mut counts: HashMap<u64, u32> = HashMap::new();
    if let Ok(mut ops) = body.get_operators_reader() {
        while !ops.eof() {
            let v = match ops.read() {
                Ok(Operator::I32Const { value }) => value as u32 as u64,
                Ok(Operator::I64Const { value }) => value as u64,
                Ok(Operator::F32Const { value }) => value.bits() as u64,
                Ok(Operator::F64Const { value }) => value.bits(),
                Ok(_) => continue,
                // Decoding errors are reported by the real pass.
                Err(_) => break,
            };
            *counts.entry(v).or_default() += 1;
        }
    }
    let mut by_use: Vec<(u64, u32)> = counts.into_iter().collect();
    by_use.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    by_use
        .into_iter()
        .take(MAX_CONST_SLOTS)
        .map(|(v, _)| v)
        .collect()
}

pub struct Compiler<'m> {
    module: &'m Module,
    code: Code,
    stack: Vec<Entry>,
    height: Slot,
    ctrls: Vec<Ctrl>,
    local_slot: Vec<Slot>,
    local_size: Vec<u8>,
    unreachable: bool,
    dead_depth: u32,
    result_count: usize,
    /// The latest instruction index something branches to (no fusion across it).
    label_pc: Pc,
    /// The label before `label_pc` (labels are bound in code order).
    prev_label_pc: Pc,
    /// Constants kept in frame slots (`const_base..const_base + consts`), by cell value.
    const_slot: HashMap<u64, Slot>,
    const_base: Slot,
    /// Index of the last emitted instruction if it wrote the top entry's canonical slot and
    /// nothing has observed that slot since (so its destination may be retargeted).
    last_result: Option<usize>,
}

/// Compile failures that validation does not catch (limits of this implementation).
pub type CompileResult<T> = Result<T, String>;

impl<'m> Compiler<'m> {
    pub fn new(module: &'m Module, func_index: u32) -> Self {
        let ty = module.func_type(func_index);
        let mut c = Compiler {
            module,
            code: Code::default(),
            stack: Vec::new(),
            height: 0,
            ctrls: Vec::new(),
            local_slot: Vec::new(),
            local_size: Vec::new(),
            unreachable: false,
            dead_depth: 0,
            result_count: ty.results().len(),
            label_pc: Pc::MAX,
            prev_label_pc: Pc::MAX,
            const_slot: HashMap::new(),
            const_base: 0,
            last_result: None,
        };
        for &p in ty.params() {
            c.add_local(p);
        }
        c.code.param_slots = c.height;
        c.code.result_slots = ty.results().iter().map(|&t| cells(t)).sum();
        c
    }

    fn add_local(&mut self, ty: ValType) {
        self.local_slot.push(self.height);
        self.local_size.push(cells(ty) as u8);
        self.height += cells(ty);
    }

    /// Declares `count` locals of type `ty` (after the parameters).
    pub fn define_locals(&mut self, count: u32, ty: ValType) {
        for _ in 0..count {
            self.add_local(ty);
        }
    }

    /// Called once the locals are known, before the first operator. `consts` are the cell
    /// values that get a slot of their own, initialised on every call, so instructions read
    /// them like any operand.
    pub fn start_body(&mut self, consts: &[u64]) {
        self.code.local_slots = self.height;
        self.const_base = self.height;
        for (i, &v) in consts.iter().enumerate() {
            self.const_slot.insert(v, self.const_base + i as Slot);
        }
        self.code.consts = consts.to_vec();
        self.height += consts.len() as Slot;
        self.code.max_slots = self.height.max(self.code.result_slots);
        self.ctrls.push(Ctrl {
            kind: Kind::Func,
            height: 0,
            base: self.height,
            params: Vec::new(),
            results: Vec::new(),
            start: 0,
            patches: Vec::new(),
            else_patch: None,
        });
    }

    pub fn finish(mut self) -> Code {
        self.code.max_slots = self.code.max_slots.max(self.height);
        thread_jumps(&mut self.code);
        self.code
    }

    // ---- emission helpers ----

    fn pc(&self) -> Pc {
        self.code.instrs.len() as Pc
    }

    fn emit(&mut self, i: Instr) -> usize {
        self.last_result = None;
        // Two consecutive copies share one dispatch, unless the second is a branch target.
        if let (Instr::Copy { d, a }, Some(&Instr::Copy { d: d1, a: a1 })) =
            (i, self.code.instrs.last())
        {
            let fits = [d, a, d1, a1].iter().all(|&x| x <= u16::MAX as Slot);
            if fits && self.label_pc != self.pc() {
                let (d1, a1, d2, a2) = (d1 as u16, a1 as u16, d as u16, a as u16);
                *self.code.instrs.last_mut().unwrap() = Instr::CopyPair { d1, a1, d2, a2 };
                return self.code.instrs.len() - 1;
            }
        }
        self.code.instrs.push(i);
        self.code.instrs.len() - 1
    }

    fn emit_result(&mut self, i: Instr) {
        self.code.instrs.push(i);
        self.last_result = Some(self.code.instrs.len() - 1);
    }

    fn push(&mut self, size: u32) -> Slot {
        let canon = self.height;
        self.stack.push(Entry {
            canon,
            src: canon,
            size: size as u8,
        });
        self.height += size;
        self.code.max_slots = self.code.max_slots.max(self.height);
        canon
    }

    fn push_ty(&mut self, ty: ValType) -> Slot {
        self.push(cells(ty))
    }

    fn pop(&mut self) -> Entry {
        let e = self
            .stack
            .pop()
            .expect("validated: operand stack underflow");
        self.height = e.canon;
        e
    }

    fn copy_instr(size: u8, d: Slot, a: Slot) -> Instr {
        if size == 2 {
            Instr::Copy2 { d, a }
        } else {
            Instr::Copy { d, a }
        }
    }

    fn materialize(&mut self, idx: usize) {
        let e = self.stack[idx];
        if e.src != e.canon {
            self.emit(Self::copy_instr(e.size, e.canon, e.src));
            self.stack[idx].src = e.canon;
        }
    }

    fn materialize_top(&mut self, n: usize) {
        let len = self.stack.len();
        for i in len - n..len {
            self.materialize(i);
        }
    }

    fn is_const_slot(&self, s: Slot) -> bool {
        s >= self.const_base && s < self.const_base + self.code.consts.len() as Slot
    }

    /// Makes the entries canonical before a block: the top `params` always (branches to
    /// the block deliver them there), the rest unless they alias a constant (which no
    /// path can change).
    fn materialize_for_block(&mut self, params: usize) {
        let len = self.stack.len();
        for i in 0..len {
            if i >= len - params || !self.is_const_slot(self.stack[i].src) {
                self.materialize(i);
            }
        }
    }

    /// Pushes a constant: an alias of its slot if it has one, else an instruction.
    fn push_const(&mut self, v: u64, wide: bool) {
        if let Some(&src) = self.const_slot.get(&v) {
            let canon = self.height;
            self.stack.push(Entry {
                canon,
                src,
                size: 1,
            });
            self.height += 1;
            self.code.max_slots = self.code.max_slots.max(self.height);
            self.last_result = None;
        } else {
            let d = self.push(1);
            self.emit_result(if wide {
                Instr::Const64 { d, v }
            } else {
                Instr::Const32 { d, v: v as u32 }
            });
        }
    }

    /// The top entry's value if it is a constant.
    fn peek_const(&self) -> Option<u64> {
        let top = self.stack.last()?;
        if self.is_const_slot(top.src) {
            return Some(self.code.consts[(top.src - self.const_base) as usize]);
        }
        match self.code.instrs[self.fresh_top()?] {
            Instr::Const32 { v, .. } => Some(v as u64),
            Instr::Const64 { v, .. } => Some(v),
            _ => None,
        }
    }

    /// Pops the top entry if it is a constant (removing its instruction, if any).
    fn take_const(&mut self) -> Option<u64> {
        let v = self.peek_const()?;
        if !self.is_const_slot(self.stack.last()?.src) {
            self.code.instrs.pop();
        }
        self.last_result = None;
        self.pop();
        Some(v)
    }

    /// Base slot of the top `n` entries (or the free slot when `n == 0`).
    fn base_of_top(&self, n: usize) -> Slot {
        if n == 0 {
            self.height
        } else {
            self.stack[self.stack.len() - n].canon
        }
    }

    /// The slot of the top entry if it was just written by the last instruction.
    fn fresh_top(&self) -> Option<usize> {
        let top = self.stack.last()?;
        let idx = self.last_result?;
        if idx + 1 != self.code.instrs.len() || top.src != top.canon {
            return None;
        }
        let mut i = self.code.instrs[idx];
        (i.dst_mut().copied() == Some(top.canon)).then_some(idx)
    }

    /// Whether branching to the label needs copies of the top values.
    fn needs_copy(&self, depth: u32) -> bool {
        let f = &self.ctrls[self.ctrls.len() - 1 - depth as usize];
        let sizes = f.label_sizes();
        let n = sizes.len();
        let mut dst = f.base;
        for (j, &s) in sizes.iter().enumerate() {
            if self.stack[self.stack.len() - n + j].src != dst {
                return true;
            }
            dst += s as Slot;
        }
        false
    }

    /// Emits the copies that move the label's values into the target block's slots.
    /// The compile-time stack is left as is (the copies only matter on the taken path).
    fn copy_to_label(&mut self, depth: u32) {
        let f = &self.ctrls[self.ctrls.len() - 1 - depth as usize];
        let sizes = f.label_sizes().to_vec();
        let n = sizes.len();
        let mut dst = f.base;
        for (j, &s) in sizes.iter().enumerate() {
            let e = self.stack[self.stack.len() - n + j];
            if e.src != dst {
                self.emit(Self::copy_instr(s, dst, e.src));
            }
            dst += s as Slot;
        }
    }

    /// Emits a jump to the label (its values already in place).
    fn jump_to_label(&mut self, depth: u32) {
        let ci = self.ctrls.len() - 1 - depth as usize;
        if self.ctrls[ci].kind == Kind::Loop {
            let t = self.ctrls[ci].start;
            if !self.loop_back_through_branch(t) {
                self.emit(Instr::Br { t });
            }
        } else {
            let at = self.emit(Instr::Br { t: 0 });
            self.ctrls[ci].patches.push(Patch::Instr(at));
        }
    }

    /// `br_if c L` (L still ahead) just before `br M` back to a loop: emits `br_unless c M;
    /// br L` instead, so a loop that goes round runs one branch, not two. Returns whether it
    /// did.
    fn loop_back_through_branch(&mut self, back: Pc) -> bool {
        let n = self.code.instrs.len();
        // Something jumping to the `br` must not run the test.
        if n == 0 || self.is_label(n as Pc) {
            return false;
        }
        let cond_at = n - 1;
        let Some(mut negated) = self.code.instrs[cond_at].negated() else {
            return false;
        };
        let Some(owner) = self
            .ctrls
            .iter()
            .position(|c| c.patches.contains(&Patch::Instr(cond_at)))
        else {
            return false;
        };
        *negated.target_mut().expect("a branch") = back;
        self.code.instrs[cond_at] = negated;
        let at = self.emit(Instr::Br { t: 0 });
        let patches = &mut self.ctrls[owner].patches;
        let k = patches
            .iter()
            .position(|p| *p == Patch::Instr(cond_at))
            .expect("found above");
        patches[k] = Patch::Instr(at);
        true
    }

    fn is_func_label(&self, depth: u32) -> bool {
        depth as usize == self.ctrls.len() - 1
    }

    /// Emits a return of the function's results from the top of the stack. The results'
    /// canonical slots are written without changing the compile-time stack.
    fn emit_return(&mut self) {
        let n = self.result_count;
        let len = self.stack.len();
        for i in len - n..len {
            let e = self.stack[i];
            if e.src != e.canon {
                self.emit(Self::copy_instr(e.size, e.canon, e.src));
            }
        }
        let s = self.base_of_top(n);
        let n = self.code.result_slots;
        self.emit(Instr::Return { s, n });
    }

    /// Branch (taken unconditionally) to `depth`.
    fn branch(&mut self, depth: u32) {
        if self.is_func_label(depth) {
            self.emit_return();
        } else {
            self.copy_to_label(depth);
            self.jump_to_label(depth);
        }
    }

    /// Pops the branch condition, taking a just-computed i32 comparison (or `eqz`) out of
    /// the code so the branch can test it directly.
    fn take_cond(&mut self) -> Cond {
        if let Some(idx) = self.fresh_top() {
            let cmp = self.code.instrs[idx];
            let fusable = fuse_compare(cmp, true).is_some();
            if let (true, _) | (_, Instr::I32Eqz { .. }) = (fusable, cmp) {
                self.code.instrs.pop();
                self.last_result = None;
                self.pop();
                return match cmp {
                    Instr::I32Eqz { a, .. } => Cond::Eqz(a),
                    _ => Cond::Cmp(cmp),
                };
            }
        }
        Cond::Slot(self.pop().src)
    }

    /// Emits "jump to a patch point when the condition is `when_true`"; returns its index.
    fn cond_jump(&mut self, c: Cond, when_true: bool) -> usize {
        let t = 0;
        let i = match c {
            Cond::Cmp(cmp) => match self.fuse_add_branch(cmp, when_true) {
                Some(fused) => fused,
                None => fuse_compare(cmp, when_true).expect("fusable"),
            },
            Cond::Eqz(c) if when_true => Instr::BrIfZ { c, t },
            Cond::Eqz(c) => Instr::BrIfNz { c, t },
            Cond::Slot(c) if when_true => Instr::BrIfNz { c, t },
            Cond::Slot(c) => Instr::BrIfZ { c, t },
        };
        self.emit(i)
    }

    /// `d = a + imm` emitted just before a compare-and-branch on `d` (and the other operand
    /// `b`): one instruction that does both. Removes the add when it applies.
    fn fuse_add_branch(&mut self, cmp: Instr, when_true: bool) -> Option<Instr> {
        // Something jumping to the branch must not run the add.
        if self.label_pc == self.pc() {
            return None;
        }
        let (kind, ops) = comparison(cmp)?;
        let kind = if when_true { kind } else { kind ^ 1 };
        // The addend: an immediate, or a slot.
        let (wide, d, a, addend) = match *self.code.instrs.last()? {
            Instr::I32AddImm { d, a, imm } => (false, d, a, Ok(imm)),
            Instr::I64AddImm { d, a, imm } => (true, d, a, Ok(imm)),
            Instr::I32Add { d, a, b } => (false, d, a, Err(b)),
            Instr::I64Add { d, a, b } => (true, d, a, Err(b)),
            _ => return None,
        };
        let (x, y) = match ops {
            CmpOperands::I32(x, y) if !wide => (x, y),
            CmpOperands::I64(x, y) if wide => (x, y),
            _ => return None,
        };
        // `d <cmp> b`, or `b <cmp> d` turned around.
        let (kind, b) = match (x == d, y == d) {
            (true, false) => (kind, y),
            (false, true) => (swapped_comparison(kind), x),
            _ => return None,
        };
        let imm = match addend {
            Ok(imm) => imm,
            Err(slot) => {
                let (d, a, addend, b) = (small(d)?, small(a)?, small(slot)?, small(b)?);
                self.code.instrs.pop();
                self.last_result = None;
                let width = if wide { 10 } else { 0 };
                return Some(Instr::ADD_BRANCHES[width + kind](d, a, addend, b, 0));
            }
        };
        if let Some(check) = self.fuse_bounds_check(wide, kind, d, a, imm, b) {
            return Some(check);
        }
        let (d, a, b) = (small(d)?, small(a)?, small(b)?);
        self.code.instrs.pop();
        self.last_result = None;
        let width = if wide { 10 } else { 0 };
        Some(Instr::ADD_IMM_BRANCHES[width + kind](d, a, b, imm, 0))
    }

    /// Translated code's bounds check, `x = p + q; (x + imm) >u limit` (or `<=u`) with the
    /// sum `x + imm` only compared: one instruction, when `imm` has a constant slot (the
    /// instruction has no room for it otherwise). `x` is still written. Removes the two adds
    /// when it applies.
    fn fuse_bounds_check(
        &mut self,
        wide: bool,
        kind: usize,
        sum: Slot,
        x: Slot,
        imm: i32,
        limit: Slot,
    ) -> Option<Instr> {
        const GT_U: usize = 8;
        const LE_U: usize = 9;
        let n = self.code.instrs.len();
        // The compared sum must be a dead temporary, and nothing may jump to the second add.
        if !wide || !(kind == GT_U || kind == LE_U) || sum < self.height || n < 2 {
            return None;
        }
        if self.label_pc != Pc::MAX && self.label_pc as usize >= n - 1 {
            return None;
        }
        let Instr::I64Add { d, a: p, b: q } = self.code.instrs[n - 2] else {
            return None;
        };
        let k = *self.const_slot.get(&(imm as i64 as u64))?;
        if d != x {
            return None;
        }
        let (d, p, q, k, c) = (small(d)?, small(p)?, small(q)?, small(k)?, small(limit)?);
        self.code.instrs.truncate(n - 2);
        self.last_result = None;
        let t = 0;
        Some(if kind == GT_U {
            Instr::I64SumBrGtU {
                d,
                a: p,
                b: q,
                k,
                c,
                t,
            }
        } else {
            Instr::I64SumBrLeU {
                d,
                a: p,
                b: q,
                k,
                c,
                t,
            }
        })
    }

    fn set_target(&mut self, at: usize, t: Pc) {
        if t == self.pc() {
            self.mark_label(t);
        }
        *self.code.instrs[at]
            .target_mut()
            .expect("patch point is a branch") = t;
    }

    /// Records that something branches to instruction index `at`.
    fn mark_label(&mut self, at: Pc) {
        if at != self.label_pc {
            self.prev_label_pc = self.label_pc;
            self.label_pc = at;
        }
    }

    /// Whether something branches to instruction index `at` (one of the last two labels).
    fn is_label(&self, at: Pc) -> bool {
        self.label_pc == at || self.prev_label_pc == at
    }

    fn bind(&mut self, patches: &[Patch]) {
        let dropped = self.drop_jump_to_here(patches);
        let here = self.pc();
        if !patches.is_empty() {
            self.mark_label(here);
        }
        for p in patches {
            match *p {
                Patch::Instr(at) if Some(at) == dropped => {}
                Patch::Instr(at) => self.set_target(at, here),
                Patch::Table(at) => self.code.br_tables[at] = here,
            }
        }
        self.last_result = None;
    }

    /// A `br` to the label bound now, right before it, that nothing else jumps to, is removed.
    /// Returns its index when it was.
    fn drop_jump_to_here(&mut self, patches: &[Patch]) -> Option<usize> {
        let n = self.code.instrs.len();
        let at = n.checked_sub(1)?;
        let is_jump = matches!(self.code.instrs[at], Instr::Br { .. });
        // Targets already resolved to the jump, or to here, would be off by one after it goes.
        if !is_jump || self.is_label(at as Pc) || self.is_label(n as Pc) {
            return None;
        }
        if !patches.contains(&Patch::Instr(at)) {
            return None;
        }
        self.code.instrs.pop();
        Some(at)
    }

    fn block_sizes(&self, bt: BlockType) -> (Vec<u8>, Vec<u8>) {
        match bt {
            BlockType::Empty => (vec![], vec![]),
            BlockType::Type(t) => (vec![], vec![cells(t) as u8]),
            BlockType::FuncType(i) => {
                let ft = &self.module.types[i as usize];
                (
                    ft.params().iter().map(|&t| cells(t) as u8).collect(),
                    ft.results().iter().map(|&t| cells(t) as u8).collect(),
                )
            }
        }
    }

    fn enter(&mut self, kind: Kind, bt: BlockType) {
        let (params, results) = self.block_sizes(bt);
        if kind == Kind::If {
            // Materialise before the jump so both arms see the same slots.
            let c = self.take_cond();
            self.materialize_for_block(params.len());
            let at = self.cond_jump(c, false);
            let height = self.stack.len() - params.len();
            let base = self.base_of_top(params.len());
            self.ctrls.push(Ctrl {
                kind,
                height,
                base,
                params,
                results,
                start: 0,
                patches: vec![],
                else_patch: Some(at),
            });
            return;
        }
        self.materialize_for_block(params.len());
        self.last_result = None;
        let height = self.stack.len() - params.len();
        let base = self.base_of_top(params.len());
        let start = self.pc();
        self.mark_label(start);
        self.ctrls.push(Ctrl {
            kind,
            height,
            base,
            params,
            results,
            start,
            patches: vec![],
            else_patch: None,
        });
    }

    /// Resets the compile-time stack to the frame's height plus `sizes` canonical entries.
    fn reset_stack(&mut self, height: usize, base: Slot, sizes: &[u8]) {
        self.stack.truncate(height);
        self.height = base;
        for &s in sizes {
            self.push(s as u32);
        }
    }

    fn on_else(&mut self) {
        let reachable = !self.unreachable;
        let ci = self.ctrls.len() - 1;
        if reachable {
            let n = self.ctrls[ci].results.len();
            self.materialize_top(n);
            let at = self.emit(Instr::Br { t: 0 });
            self.ctrls[ci].patches.push(Patch::Instr(at));
        }
        let else_at = self.ctrls[ci].else_patch.take().expect("else follows if");
        let here = self.pc();
        self.set_target(else_at, here);
        self.last_result = None;
        let (height, base, params) = (
            self.ctrls[ci].height,
            self.ctrls[ci].base,
            self.ctrls[ci].params.clone(),
        );
        self.reset_stack(height, base, &params);
        self.ctrls[ci].kind = Kind::Else;
        self.unreachable = false;
    }

    fn on_end(&mut self) {
        let reachable = !self.unreachable;
        let ci = self.ctrls.len() - 1;
        if self.ctrls[ci].kind == Kind::Func {
            if reachable {
                self.emit_return();
            }
            self.ctrls.pop();
            return;
        }
        if reachable {
            let n = self.ctrls[ci].results.len();
            self.materialize_top(n);
        }
        let f = self.ctrls.pop().unwrap();
        let mut patches = f.patches;
        if let Some(at) = f.else_patch {
            // An `if` without `else`: the false path passes the parameters through.
            patches.push(Patch::Instr(at));
        }
        self.bind(&patches);
        self.reset_stack(f.height, f.base, &f.results);
        self.unreachable = false;
    }

    /// Compiles one operator. Validation has already accepted it.
    pub fn op(&mut self, op: &Operator) -> CompileResult<()> {
        if self.unreachable {
            match op {
                Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                    self.dead_depth += 1
                }
                Operator::Else if self.dead_depth == 0 => self.on_else(),
                Operator::End => {
                    if self.dead_depth > 0 {
                        self.dead_depth -= 1
                    } else {
                        self.on_end()
                    }
                }
                _ => {}
            }
            return Ok(());
        }
        use Instr as I;
        use Operator as O;
        match *op {
            O::Nop => {}
            O::Unreachable => {
                self.emit(I::Unreachable);
                self.unreachable = true;
            }
            O::Block { blockty } => self.enter(Kind::Block, blockty),
            O::Loop { blockty } => self.enter(Kind::Loop, blockty),
            O::If { blockty } => self.enter(Kind::If, blockty),
            O::Else => self.on_else(),
            O::End => self.on_end(),
            O::Br { relative_depth } => {
                self.branch(relative_depth);
                self.unreachable = true;
            }
            O::BrIf { relative_depth } => self.br_if(relative_depth),
            O::BrTable { ref targets } => {
                let mut depths = Vec::with_capacity(targets.len() as usize + 1);
                for t in targets.targets() {
                    depths.push(t.map_err(|e| e.to_string())?);
                }
                depths.push(targets.default());
                self.br_table(&depths);
            }
            O::Return => {
                self.emit_return();
                self.unreachable = true;
            }
            O::Call { function_index } => self.call(function_index),
            O::CallIndirect {
                type_index,
                table_index,
            } => self.call_indirect(type_index, table_index, false),
            O::ReturnCall { function_index } => {
                let n = self.module.func_type(function_index).params().len();
                self.materialize_top(n);
                let base = self.base_of_top(n);
                self.emit(I::ReturnCall {
                    f: function_index,
                    base,
                });
                self.unreachable = true;
            }
            O::ReturnCallIndirect {
                type_index,
                table_index,
            } => self.call_indirect(type_index, table_index, true),
            O::Drop => {
                self.pop();
                self.last_result = None;
            }
            O::Select => self.select(),
            O::TypedSelect { .. } => self.select(),
            O::LocalGet { local_index } => {
                let (src, size) = (
                    self.local_slot[local_index as usize],
                    self.local_size[local_index as usize],
                );
                let canon = self.height;
                self.stack.push(Entry { canon, src, size });
                self.height += size as Slot;
                self.code.max_slots = self.code.max_slots.max(self.height);
                self.last_result = None;
            }
            O::LocalSet { local_index } => self.local_set(local_index, false),
            O::LocalTee { local_index } => self.local_set(local_index, true),
            O::GlobalGet { global_index } => {
                let ty = self.module.globals[global_index as usize].content_type;
                let d = self.push_ty(ty);
                if ty == ValType::V128 {
                    self.emit(I::GlobalGetV128 { d, g: global_index });
                } else {
                    self.emit_result(I::GlobalGet { d, g: global_index });
                }
            }
            O::GlobalSet { global_index } => {
                let v = self.pop();
                if v.size == 2 {
                    self.emit(I::GlobalSetV128 {
                        s: v.src,
                        g: global_index,
                    });
                } else {
                    self.emit(I::GlobalSet {
                        s: v.src,
                        g: global_index,
                    });
                }
            }
            O::TableGet { table } => {
                let i = self.pop().src;
                let d = self.push(1);
                self.emit(I::TableGet { d, i, t: table });
            }
            O::TableSet { table } => {
                let v = self.pop().src;
                let i = self.pop().src;
                self.emit(I::TableSet { i, v, t: table });
            }
            O::TableSize { table } => {
                let d = self.push(1);
                self.emit(I::TableSize { d, t: table });
            }
            O::TableGrow { table } => {
                let base = self.bulk(2);
                self.push(1);
                self.emit(I::TableGrow { base, t: table });
            }
            O::TableFill { table } => {
                let base = self.bulk(3);
                self.emit(I::TableFill { base, t: table });
            }
            O::TableCopy {
                dst_table,
                src_table,
            } => {
                let base = self.bulk(3);
                self.emit(I::TableCopy {
                    base,
                    dt: dst_table,
                    st: src_table,
                });
            }
            O::TableInit { elem_index, table } => {
                let base = self.bulk(3);
                self.emit(I::TableInit {
                    base,
                    t: table,
                    e: elem_index,
                });
            }
            O::ElemDrop { elem_index } => {
                self.emit(I::ElemDrop { e: elem_index });
            }
            O::I32Load { memarg } | O::F32Load { memarg } => {
                self.load(memarg.offset, 1, |d, addr, off| I::I32Load { d, addr, off })
            }
            O::I64Load { memarg } | O::F64Load { memarg } => {
                self.load(memarg.offset, 1, |d, addr, off| I::I64Load { d, addr, off })
            }
            O::I32Load8S { memarg } => self.load(memarg.offset, 1, |d, addr, off| I::I32Load8S {
                d,
                addr,
                off,
            }),
            O::I32Load8U { memarg } => self.load(memarg.offset, 1, |d, addr, off| I::I32Load8U {
                d,
                addr,
                off,
            }),
            O::I32Load16S { memarg } => self.load(memarg.offset, 1, |d, addr, off| I::I32Load16S {
                d,
                addr,
                off,
            }),
            O::I32Load16U { memarg } => self.load(memarg.offset, 1, |d, addr, off| I::I32Load16U {
                d,
                addr,
                off,
            }),
            O::I64Load8S { memarg } => self.load(memarg.offset, 1, |d, addr, off| I::I64Load8S {
                d,
                addr,
                off,
            }),
            O::I64Load8U { memarg } => self.load(memarg.offset, 1, |d, addr, off| I::I64Load8U {
                d,
                addr,
                off,
            }),
            O::I64Load16S { memarg } => self.load(memarg.offset, 1, |d, addr, off| I::I64Load16S {
                d,
                addr,
                off,
            }),
            O::I64Load16U { memarg } => self.load(memarg.offset, 1, |d, addr, off| I::I64Load16U {
                d,
                addr,
                off,
            }),
            O::I64Load32S { memarg } => self.load(memarg.offset, 1, |d, addr, off| I::I64Load32S {
                d,
                addr,
                off,
            }),
            O::I64Load32U { memarg } => self.load(memarg.offset, 1, |d, addr, off| I::I64Load32U {
                d,
                addr,
                off,
            }),
            O::V128Load { memarg } => self.load(memarg.offset, 2, |d, addr, off| I::V128Load {
                d,
                addr,
                off,
            }),
            O::I32Store { memarg } | O::F32Store { memarg } => {
                self.store(memarg.offset, |addr, val, off| I::I32Store {
                    addr,
                    val,
                    off,
                })
            }
            O::I64Store { memarg } | O::F64Store { memarg } => {
                self.store(memarg.offset, |addr, val, off| I::I64Store {
                    addr,
                    val,
                    off,
                })
            }
            O::I32Store8 { memarg } | O::I64Store8 { memarg } => {
                self.store(memarg.offset, |addr, val, off| I::I32Store8 {
                    addr,
                    val,
                    off,
                })
            }
            O::I32Store16 { memarg } | O::I64Store16 { memarg } => {
                self.store(memarg.offset, |addr, val, off| I::I32Store16 {
                    addr,
                    val,
                    off,
                })
            }
            O::I64Store32 { memarg } => self.store(memarg.offset, |addr, val, off| I::I64Store32 {
                addr,
                val,
                off,
            }),
            O::V128Store { memarg } => self.store(memarg.offset, |addr, val, off| I::V128Store {
                addr,
                val,
                off,
            }),
            O::MemorySize { .. } => {
                let d = self.push(1);
                self.emit(I::MemorySize { d });
            }
            O::MemoryGrow { .. } => {
                let n = self.pop().src;
                let d = self.push(1);
                self.emit(I::MemoryGrow { d, n });
            }
            O::MemoryFill { .. } => {
                let base = self.bulk(3);
                self.emit(I::MemoryFill { base });
            }
            O::MemoryCopy { .. } => {
                let base = self.bulk(3);
                self.emit(I::MemoryCopy { base });
            }
            O::MemoryInit { data_index, .. } => {
                let base = self.bulk(3);
                self.emit(I::MemoryInit {
                    base,
                    seg: data_index,
                });
            }
            O::DataDrop { data_index } => {
                self.emit(I::DataDrop { seg: data_index });
            }
            O::I32Const { value } => self.push_const(value as u32 as u64, false),
            O::I64Const { value } => self.push_const(value as u64, true),
            O::F32Const { value } => self.push_const(value.bits() as u64, false),
            O::F64Const { value } => self.push_const(value.bits(), true),
            O::V128Const { value } => {
                let d = self.push(2);
                let idx = self.code.v128_consts.len() as u32;
                self.code
                    .v128_consts
                    .push(u128::from_le_bytes(*value.bytes()));
                self.emit(I::ConstV128 { d, idx });
            }
            O::RefNull { .. } => self.push_const(0, true),
            O::RefIsNull => self.unary(|d, a| I::RefIsNull { d, a }),
            O::RefFunc { function_index } => {
                let d = self.push(1);
                self.emit(I::RefFunc {
                    d,
                    f: function_index,
                });
            }

            // Reinterpretations keep the bits: nothing to do.
            O::I32ReinterpretF32
            | O::F32ReinterpretI32
            | O::I64ReinterpretF64
            | O::F64ReinterpretI64 => {}
            // i32 consumers read only the low 32 bits of a cell, so wrapping is free too.
            O::I32WrapI64 => {}

            O::I32Add if self.fuse_scaled_index() => {}
            O::I32Add => self.binary_imm(
                |d, a, b| I::I32Add { d, a, b },
                Some(|d, a, imm| I::I32AddImm { d, a, imm }),
            ),
            O::I32Sub => {
                if let Some(k) = self.peek_const_i32().filter(|&k| k != i32::MIN) {
                    let _ = self.take_const().map(|v| v as u32 as i32);
                    let a = self.pop().src;
                    let d = self.push(1);
                    self.emit_result(I::I32AddImm {
                        d,
                        a,
                        imm: k.wrapping_neg(),
                    });
                } else {
                    self.binary(|d, a, b| I::I32Sub { d, a, b })
                }
            }
            O::I32And => self.binary_imm(
                |d, a, b| I::I32And { d, a, b },
                Some(|d, a, imm| I::I32AndImm { d, a, imm }),
            ),
            O::I32Shl => self.binary_imm(
                |d, a, b| I::I32Shl { d, a, b },
                Some(|d, a, imm| I::I32ShlImm { d, a, imm }),
            ),
            O::I32ShrS => self.binary_imm(
                |d, a, b| I::I32ShrS { d, a, b },
                Some(|d, a, imm| I::I32ShrSImm { d, a, imm }),
            ),
            O::I32Rotl => self.binary_imm(
                |d, a, b| I::I32Rotl { d, a, b },
                Some(|d, a, imm| I::I32RotlImm { d, a, imm }),
            ),
            // A right rotate by k is a left rotate by 32 - k.
            O::I32Rotr => self.binary_imm(
                |d, a, b| I::I32Rotr { d, a, b },
                Some(|d, a, imm| I::I32RotlImm {
                    d,
                    a,
                    imm: (32 - (imm & 31)) & 31,
                }),
            ),
            O::I32Xor if self.fuse_xor_shifted() => {}
            O::I32ShrU => self.binary_imm(
                |d, a, b| I::I32ShrU { d, a, b },
                Some(|d, a, imm| I::I32ShrUImm { d, a, imm }),
            ),
            O::I32Eq => self.binary_imm(
                |d, a, b| I::I32Eq { d, a, b },
                Some(|d, a, imm| I::I32EqImm { d, a, imm }),
            ),
            O::I32Ne => self.binary_imm(
                |d, a, b| I::I32Ne { d, a, b },
                Some(|d, a, imm| I::I32NeImm { d, a, imm }),
            ),
            O::I32LtS => self.binary_imm(
                |d, a, b| I::I32LtS { d, a, b },
                Some(|d, a, imm| I::I32LtSImm { d, a, imm }),
            ),
            O::I32LtU => self.binary_imm(
                |d, a, b| I::I32LtU { d, a, b },
                Some(|d, a, imm| I::I32LtUImm { d, a, imm }),
            ),
            O::I32GtS => self.binary_imm(
                |d, a, b| I::I32GtS { d, a, b },
                Some(|d, a, imm| I::I32GtSImm { d, a, imm }),
            ),
            O::I32GtU => self.binary_imm(
                |d, a, b| I::I32GtU { d, a, b },
                Some(|d, a, imm| I::I32GtUImm { d, a, imm }),
            ),
            // i64 operators with a constant right operand that fits an i32 (sign-extended):
            // translated code masks, shifts and compares 64-bit registers with constants
            // constantly, and a separate Const64 would cost a dispatch each time.
            O::I64Add => self.binary_imm64(
                |d, a, b| I::I64Add { d, a, b },
                |d, a, imm| I::I64AddImm { d, a, imm },
            ),
            O::I64Sub => {
                if let Some(k) = self.peek_const_i64_small().filter(|&k| k != i32::MIN) {
                    self.take_const();
                    let a = self.pop().src;
                    let d = self.push(1);
                    self.emit_result(I::I64AddImm {
                        d,
                        a,
                        imm: k.wrapping_neg(),
                    });
                } else {
                    self.binary(|d, a, b| I::I64Sub { d, a, b })
                }
            }
            O::I64And if self.fuse_extract_bits() => {}
            O::I64And => self.binary_imm64(
                |d, a, b| I::I64And { d, a, b },
                |d, a, imm| I::I64AndImm { d, a, imm },
            ),
            O::I64Or if self.fuse_rotate_halves() || self.fuse_or_shifted() => {}
            O::I64Or => self.binary_imm64(
                |d, a, b| I::I64Or { d, a, b },
                |d, a, imm| I::I64OrImm { d, a, imm },
            ),
            O::I64Xor if self.fuse_xor_rotate() => {}
            O::I64Xor => self.binary_imm64(
                |d, a, b| I::I64Xor { d, a, b },
                |d, a, imm| I::I64XorImm { d, a, imm },
            ),
            O::I64Shl => self.shift_imm64(
                |d, a, b| I::I64Shl { d, a, b },
                |d, a, imm| I::I64ShlImm { d, a, imm },
            ),
            O::I64ShrS => self.shift_imm64(
                |d, a, b| I::I64ShrS { d, a, b },
                |d, a, imm| I::I64ShrSImm { d, a, imm },
            ),
            O::I64ShrU => self.shift_imm64(
                |d, a, b| I::I64ShrU { d, a, b },
                |d, a, imm| I::I64ShrUImm { d, a, imm },
            ),
            O::I64Eq => self.binary_imm64(
                |d, a, b| I::I64Eq { d, a, b },
                |d, a, imm| I::I64EqImm { d, a, imm },
            ),
            O::I64Ne => self.binary_imm64(
                |d, a, b| I::I64Ne { d, a, b },
                |d, a, imm| I::I64NeImm { d, a, imm },
            ),
            O::I64LtS => self.binary_imm64(
                |d, a, b| I::I64LtS { d, a, b },
                |d, a, imm| I::I64LtSImm { d, a, imm },
            ),
            O::I64LtU => self.binary_imm64(
                |d, a, b| I::I64LtU { d, a, b },
                |d, a, imm| I::I64LtUImm { d, a, imm },
            ),
            O::I64GtS => self.binary_imm64(
                |d, a, b| I::I64GtS { d, a, b },
                |d, a, imm| I::I64GtSImm { d, a, imm },
            ),
            O::I64GtU => self.binary_imm64(
                |d, a, b| I::I64GtU { d, a, b },
                |d, a, imm| I::I64GtUImm { d, a, imm },
            ),
            _ => {
                if let Some(mk) = binary_op(op) {
                    self.binary(mk);
                } else if let Some(mk) = unary_op(op) {
                    self.unary(mk);
                } else if let Some(sop) = simd::SimdOp::from_operator(op) {
                    self.simd(sop);
                } else {
                    return Err(format!("unsupported operator {op:?}"));
                }
            }
        }
        Ok(())
    }

    fn peek_const_i32(&self) -> Option<i32> {
        self.peek_const().map(|v| v as u32 as i32)
    }

    fn peek_const_i64_small(&self) -> Option<i32> {
        let v = self.peek_const()? as i64;
        i32::try_from(v).ok()
    }

    fn binary(&mut self, mk: fn(Slot, Slot, Slot) -> Instr) {
        if self.fuse_mul_into(mk(0, 0, 0)) {
            return;
        }
        let b = self.pop().src;
        let a = self.pop().src;
        let d = self.push(1);
        self.emit_result(mk(d, a, b));
    }

    fn binary_imm(
        &mut self,
        mk: fn(Slot, Slot, Slot) -> Instr,
        imm: Option<fn(Slot, Slot, i32) -> Instr>,
    ) {
        if let Some(mk_imm) = imm {
            if let Some(k) = self.take_const().map(|v| v as u32 as i32) {
                let a = self.pop().src;
                let d = self.push(1);
                self.emit_result(mk_imm(d, a, k));
                return;
            }
        }
        self.binary(mk)
    }

    /// An i64 operator whose constant right operand, if it fits an i32, becomes an immediate
    /// (sign-extended back to 64 bits when executed).
    fn binary_imm64(
        &mut self,
        mk: fn(Slot, Slot, Slot) -> Instr,
        mk_imm: fn(Slot, Slot, i32) -> Instr,
    ) {
        if let Some(k) = self.peek_const_i64_small() {
            self.take_const();
            let a = self.pop().src;
            let d = self.push(1);
            self.emit_result(mk_imm(d, a, k));
        } else {
            self.binary(mk)
        }
    }

    /// An i64 shift by a constant: only the count's low six bits matter, so any constant fits.
    fn shift_imm64(
        &mut self,
        mk: fn(Slot, Slot, Slot) -> Instr,
        mk_imm: fn(Slot, Slot, i32) -> Instr,
    ) {
        if let Some(k) = self.take_const() {
            let a = self.pop().src;
            let d = self.push(1);
            self.emit_result(mk_imm(d, a, (k & 63) as i32));
        } else {
            self.binary(mk)
        }
    }

    /// A product fused into the `f64.add` or `f64.sub` (`op`) that consumes it, on either
    /// side. Returns whether it applied.
    fn fuse_mul_into(&mut self, op: Instr) -> bool {
        self.fuse_mul_before(op).is_some() || self.fuse_mul_after(op).is_some()
    }

    /// `c + x * y` or `c - x * y` when the product was computed just for this add or sub
    /// (the right operand): one instruction with the same two roundings.
    fn fuse_mul_after(&mut self, op: Instr) -> Option<()> {
        let idx = self.fresh_top()?;
        let Instr::F64Mul { a: x, b: y, .. } = self.code.instrs[idx] else {
            return None;
        };
        let below = self.stack.len().checked_sub(2)?;
        let (c, x, y) = (small(self.stack[below].src)?, small(x)?, small(y)?);
        let d = 0;
        let fused = match op {
            Instr::F64Add { .. } => Instr::F64AddMul { d, c, a: x, b: y },
            Instr::F64Sub { .. } => Instr::F64SubMul { d, c, a: x, b: y },
            _ => return None,
        };
        self.emit_fused(1, 2, fused);
        Some(())
    }

    /// `x * y + c` with the product the last instruction and `c` a local or constant pushed
    /// since (which emits nothing): one instruction, the product rounded first.
    fn fuse_mul_before(&mut self, op: Instr) -> Option<()> {
        if !matches!(op, Instr::F64Add { .. }) || self.label_pc == self.pc() {
            return None;
        }
        let len = self.stack.len();
        let (below, top) = (self.stack[len.checked_sub(2)?], self.stack[len - 1]);
        let Instr::F64Mul { d, a: x, b: y } = *self.code.instrs.last()? else {
            return None;
        };
        if d != below.canon || below.src != below.canon || top.src == top.canon {
            return None;
        }
        let (c, a, b) = (small(top.src)?, small(x)?, small(y)?);
        self.emit_fused(1, 2, Instr::F64MulAdd { d: 0, a, b, c });
        Some(())
    }

    /// `a + (i << k)` with the shift computed just for the add (an element's address):
    /// one instruction. Returns whether it applied.
    fn fuse_scaled_index(&mut self) -> bool {
        let Some(idx) = self.fresh_top() else {
            return false;
        };
        let Instr::I32ShlImm { a: i, imm, .. } = self.code.instrs[idx] else {
            return false;
        };
        let len = self.stack.len();
        let (Some(a), Some(i)) = (small(self.stack[len - 2].src), small(i)) else {
            return false;
        };
        let k = (imm & 31) as u8;
        self.emit_fused(1, 2, Instr::I32AddShlImm { d: 0, a, i, k });
        true
    }

    /// `b ^ rotl(x, k)` and `b ^ (x >> k)` with the rotate or shift computed just for the
    /// xor (hash functions' sigma terms): one instruction. Returns whether it applied.
    fn fuse_xor_shifted(&mut self) -> bool {
        let Some(idx) = self.fresh_top() else {
            return false;
        };
        let len = self.stack.len();
        let Some(b) = small(self.stack[len - 2].src) else {
            return false;
        };
        let d = 0;
        let fused = match self.code.instrs[idx] {
            Instr::I32RotlImm { a, imm, .. } => small(a).map(|a| {
                let k = (imm & 31) as u8;
                Instr::I32XorRotlImm { d, b, a, k }
            }),
            Instr::I32ShrUImm { a, imm, .. } => small(a).map(|a| {
                let k = (imm & 31) as u8;
                Instr::I32XorShrUImm { d, b, a, k }
            }),
            _ => None,
        };
        let Some(fused) = fused else {
            return false;
        };
        self.emit_fused(1, 2, fused);
        true
    }

    /// `((x >> s) & m) | (x << t)`, the two halves of a 32-bit rotate that translated
    /// RISC-V code computes in 64 bits, as one instruction (at the `i64.or`; the first half
    /// is already one `I64ShrUImmAndImm`). Returns whether it applied.
    fn fuse_rotate_halves(&mut self) -> bool {
        let (n, len) = (self.code.instrs.len(), self.stack.len());
        if n < 2 || len < 2 || self.fresh_top() != Some(n - 1) {
            return false;
        }
        // Nothing may jump between the two.
        if self.label_pc != Pc::MAX && self.label_pc as usize >= n - 1 {
            return false;
        }
        let low = self.stack[len - 2];
        let (
            Instr::I64ShrUImmAndImm {
                d,
                a,
                shr,
                imm: mask,
            },
            Instr::I64ShlImm { a: x, imm: shl, .. },
        ) = (self.code.instrs[n - 2], self.code.instrs[n - 1])
        else {
            return false;
        };
        if low.src != low.canon || d != low.canon || a as Slot != x {
            return false;
        }
        let shl = shl as u8;
        self.emit_fused(
            2,
            2,
            Instr::I64ShrAndShlOr {
                d,
                a,
                shr,
                shl,
                mask,
            },
        );
        true
    }

    /// `b ^ rotate-halves(x)` with the halves computed just for the xor (SHA-2's sigma terms
    /// in translated RISC-V code): one instruction. Returns whether it applied.
    fn fuse_xor_rotate(&mut self) -> bool {
        let Some(idx) = self.fresh_top() else {
            return false;
        };
        let Instr::I64ShrAndShlOr {
            a, shr, shl, mask, ..
        } = self.code.instrs[idx]
        else {
            return false;
        };
        let Some(b) = small(self.stack[self.stack.len() - 2].src) else {
            return false;
        };
        let d = 0;
        self.emit_fused(
            1,
            2,
            Instr::I64XorShrAndShlOr {
                d,
                b,
                a,
                shr,
                shl,
                mask,
            },
        );
        true
    }

    /// `(x >> s) & m` with `m` a constant: one instruction (bit-field extraction, and the
    /// first half of a translated rotate). Returns whether it applied.
    fn fuse_extract_bits(&mut self) -> bool {
        let len = self.stack.len();
        if len < 2 {
            return false;
        }
        let (shifted, mask) = (self.stack[len - 2], self.stack[len - 1]);
        let Some(imm) = self.peek_const().and_then(|v| i32::try_from(v as i64).ok()) else {
            return false;
        };
        // The shift comes just before the mask's `Const` instruction, or is the last
        // instruction when the mask has a constant slot (which emits nothing); nothing may
        // jump in between.
        let n = self.code.instrs.len();
        let Some(shift_at) = n.checked_sub(if self.is_const_slot(mask.src) { 1 } else { 2 }) else {
            return false;
        };
        if shifted.src != shifted.canon
            || (self.label_pc != Pc::MAX && self.label_pc as usize > shift_at)
        {
            return false;
        }
        let fused = match self.code.instrs.get(shift_at) {
            Some(&Instr::I64ShrUImm { d, a, imm: shr }) if d == shifted.canon => {
                let Some(a) = small(a) else { return false };
                Instr::I64ShrUImmAndImm {
                    d,
                    a,
                    shr: shr as u8,
                    imm,
                }
            }
            Some(&Instr::I64ShrU { d, a, b }) if d == shifted.canon => {
                let (Some(a), Some(b)) = (small(a), small(b)) else {
                    return false;
                };
                Instr::I64ShrUAndImm { d, a, b, imm }
            }
            _ => return false,
        };
        // The mask (and its `Const` instruction, if any) goes first; the shift is then last.
        self.take_const();
        self.emit_fused(1, 1, fused);
        true
    }

    /// `b | (x << n)` with the shift computed just for the or (setting a bit): one
    /// instruction. Returns whether it applied.
    fn fuse_or_shifted(&mut self) -> bool {
        let Some(idx) = self.fresh_top() else {
            return false;
        };
        let Instr::I64Shl { a: x, b: n, .. } = self.code.instrs[idx] else {
            return false;
        };
        let len = self.stack.len();
        let (Some(b), Some(x), Some(n)) = (small(self.stack[len - 2].src), small(x), small(n))
        else {
            return false;
        };
        self.emit_fused(1, 2, Instr::I64OrShl { d: 0, b, x, n });
        true
    }

    /// Replaces the last `instrs` instructions and the top `operands` stack entries, which a
    /// fusion has matched, with `fused` writing a new one-cell result (its destination is
    /// set here).
    fn emit_fused(&mut self, instrs: usize, operands: usize, mut fused: Instr) {
        let n = self.code.instrs.len();
        self.code.instrs.truncate(n - instrs);
        self.last_result = None;
        for _ in 0..operands {
            self.pop();
        }
        let d = self.push(1);
        *fused.dst_mut().expect("a fused instruction has a result") = d;
        self.emit_result(fused);
    }

    fn unary(&mut self, mk: fn(Slot, Slot) -> Instr) {
        let a = self.pop().src;
        let d = self.push(1);
        self.emit_result(mk(d, a));
    }

    fn load(&mut self, offset: u64, size: u32, mk: fn(Slot, Slot, u32) -> Instr) {
        // An address `i32.add` computed just for this load joins it.
        if let Some(idx) = self.fresh_top() {
            let d = self.stack.last().unwrap().canon;
            if let Some(fused) = fuse_address(mk(d, d, offset as u32), self.code.instrs[idx]) {
                self.code.instrs.pop();
                self.last_result = None;
                self.pop();
                self.push(size);
                self.emit_result(fused);
                return;
            }
        }
        let addr = self.pop().src;
        let d = self.push(size);
        self.emit_result(mk(d, addr, offset as u32));
    }

    fn store(&mut self, offset: u64, mk: fn(Slot, Slot, u32) -> Instr) {
        let val = self.pop().src;
        let addr = self.pop().src;
        self.emit(mk(addr, val, offset as u32));
    }

    /// Makes the top `n` operands canonical and pops them; returns their base slot.
    fn bulk(&mut self, n: usize) -> Slot {
        self.materialize_top(n);
        let base = self.base_of_top(n);
        for _ in 0..n {
            self.pop();
        }
        base
    }

    fn simd(&mut self, sop: simd::SimdOp) {
        let (ins, outs) = sop.arity();
        let base = self.bulk(ins.len());
        for &s in outs {
            self.push(s as u32);
        }
        let idx = self.code.simd.len() as u32;
        self.code.simd.push(sop);
        self.emit(Instr::Simd { base, idx });
    }

    fn select(&mut self) {
        if self.fuse_canon_nan() {
            return;
        }
        let c = self.pop().src;
        let b = self.pop().src;
        let a = self.pop();
        let d = self.push(a.size as u32);
        if a.src != d {
            self.emit(Self::copy_instr(a.size, d, a.src));
        }
        if a.size == 2 {
            self.emit(Instr::SelectV128 { d, b, c });
        } else {
            self.emit(Instr::Select { d, b, c });
        }
    }

    /// `select(nan, x, x != x)` with the canonical NaN and a comparison computed just for
    /// it: one instruction. Returns whether it applied (operands popped, result pushed).
    fn fuse_canon_nan(&mut self) -> bool {
        let Some(idx) = self.fresh_top() else {
            return false;
        };
        let len = self.stack.len();
        if len < 3 {
            return false;
        }
        let (nan, x) = (self.stack[len - 3], self.stack[len - 2]);
        let nan_bits = if self.is_const_slot(nan.src) {
            self.code.consts[(nan.src - self.const_base) as usize]
        } else {
            return false;
        };
        let (d, a) = (0, x.src);
        let fused = match self.code.instrs[idx] {
            Instr::F64Ne { a: l, b: r, .. }
                if l == a && r == a && nan_bits == crate::ops::float::CANONICAL_NAN64 =>
            {
                Instr::F64CanonNan { d, a }
            }
            Instr::F32Ne { a: l, b: r, .. }
                if l == a && r == a && nan_bits == crate::ops::float::CANONICAL_NAN32 as u64 =>
            {
                Instr::F32CanonNan { d, a }
            }
            _ => return false,
        };
        self.emit_fused(1, 3, fused);
        true
    }

    fn local_set(&mut self, local: u32, tee: bool) {
        let (slot, size) = (
            self.local_slot[local as usize],
            self.local_size[local as usize],
        );
        let top = *self.stack.last().expect("validated");
        // Aliases of the local below the top must keep the old value.
        let len = self.stack.len();
        let mut any_alias = false;
        for i in 0..len - 1 {
            if self.stack[i].src == slot {
                any_alias = true;
            }
        }
        if any_alias {
            for i in 0..len - 1 {
                if self.stack[i].src == slot {
                    self.materialize(i);
                }
            }
        }
        if top.src != slot {
            if let Some(idx) = self.fresh_top() {
                *self.code.instrs[idx].dst_mut().unwrap() = slot;
                self.last_result = None;
            } else {
                self.emit(Self::copy_instr(size, slot, top.src));
            }
        }
        self.pop();
        if tee {
            let canon = self.height;
            self.stack.push(Entry {
                canon,
                src: slot,
                size,
            });
            self.height += size as Slot;
        }
    }

    fn call(&mut self, f: u32) {
        let ty = self.module.func_type(f);
        let (np, results): (usize, Vec<u32>) = (
            ty.params().len(),
            ty.results().iter().map(|&t| cells(t)).collect(),
        );
        self.materialize_top(np);
        let base = self.base_of_top(np);
        for _ in 0..np {
            self.pop();
        }
        self.emit(Instr::Call { f, base });
        for s in results {
            self.push(s);
        }
    }

    fn call_indirect(&mut self, ty: u32, table: u32, tail: bool) {
        let i = self.pop().src;
        let ft = &self.module.types[ty as usize];
        let (np, results): (usize, Vec<u32>) = (
            ft.params().len(),
            ft.results().iter().map(|&t| cells(t)).collect(),
        );
        // The index may live in a slot the arguments' materialisation overwrites only if it
        // was canonical above them, which it is not (it was on top): safe to read later.
        self.materialize_top(np);
        let base = self.base_of_top(np);
        for _ in 0..np {
            self.pop();
        }
        let site = self.code.call_sites.len() as u32;
        self.code.call_sites.push(CallSite { table, ty });
        if tail {
            self.emit(Instr::ReturnCallIndirect { i, base, site });
            self.unreachable = true;
        } else {
            self.emit(Instr::CallIndirect { i, base, site });
            for s in results {
                self.push(s);
            }
        }
    }

    fn br_if(&mut self, depth: u32) {
        if self.is_func_label(depth) {
            let c = self.take_cond();
            let at = self.cond_jump(c, false);
            self.emit_return();
            let here = self.pc();
            self.set_target(at, here);
            self.last_result = None;
            return;
        }
        let c = self.take_cond();
        if !self.needs_copy(depth) {
            let at = self.cond_jump(c, true);
            let ci = self.ctrls.len() - 1 - depth as usize;
            if self.ctrls[ci].kind == Kind::Loop {
                let t = self.ctrls[ci].start;
                self.set_target(at, t);
            } else {
                self.ctrls[ci].patches.push(Patch::Instr(at));
            }
        } else {
            let at = self.cond_jump(c, false);
            self.copy_to_label(depth);
            self.jump_to_label(depth);
            let here = self.pc();
            self.set_target(at, here);
            self.last_result = None;
        }
    }

    fn br_table(&mut self, depths: &[u32]) {
        let i = self.pop().src;
        let start = self.code.br_tables.len();
        let len = depths.len() as u32 - 1;
        self.code
            .br_tables
            .extend(std::iter::repeat_n(0, depths.len()));
        self.emit(Instr::BrTable {
            i,
            start: start as u32,
            len,
        });
        for (k, &depth) in depths.iter().enumerate() {
            let ci = self.ctrls.len() - 1 - depth as usize;
            if self.is_func_label(depth) || self.needs_copy(depth) {
                self.code.br_tables[start + k] = self.pc();
                self.mark_label(self.pc());
                self.branch(depth);
            } else if self.ctrls[ci].kind == Kind::Loop {
                self.code.br_tables[start + k] = self.ctrls[ci].start;
            } else {
                self.ctrls[ci].patches.push(Patch::Table(start + k));
            }
        }
        self.unreachable = true;
    }
}

/// The comparison an instruction computes, as (kind, operands). Kinds 2k and 2k+1 are
/// negations of each other: Eq Ne LtS GeS LtU GeU GtS LeS GtU LeU.
enum CmpOperands {
    I32(Slot, Slot),
    I64(Slot, Slot),
    Imm(Slot, i32),
    /// An i64 compared with a sign-extended i32 immediate.
    Imm64(Slot, i32),
}

fn comparison(i: Instr) -> Option<(usize, CmpOperands)> {
    use CmpOperands::*;
    use Instr as I;
    Some(match i {
        I::I32Eq { a, b, .. } => (0, I32(a, b)),
        I::I32Ne { a, b, .. } => (1, I32(a, b)),
        I::I32LtS { a, b, .. } => (2, I32(a, b)),
        I::I32GeS { a, b, .. } => (3, I32(a, b)),
        I::I32LtU { a, b, .. } => (4, I32(a, b)),
        I::I32GeU { a, b, .. } => (5, I32(a, b)),
        I::I32GtS { a, b, .. } => (6, I32(a, b)),
        I::I32LeS { a, b, .. } => (7, I32(a, b)),
        I::I32GtU { a, b, .. } => (8, I32(a, b)),
        I::I32LeU { a, b, .. } => (9, I32(a, b)),
        I::I64Eq { a, b, .. } => (0, I64(a, b)),
        I::I64Ne { a, b, .. } => (1, I64(a, b)),
        I::I64LtS { a, b, .. } => (2, I64(a, b)),
        I::I64GeS { a, b, .. } => (3, I64(a, b)),
        I::I64LtU { a, b, .. } => (4, I64(a, b)),
        I::I64GeU { a, b, .. } => (5, I64(a, b)),
        I::I64GtS { a, b, .. } => (6, I64(a, b)),
        I::I64LeS { a, b, .. } => (7, I64(a, b)),
        I::I64GtU { a, b, .. } => (8, I64(a, b)),
        I::I64LeU { a, b, .. } => (9, I64(a, b)),
        I::I32EqImm { a, imm, .. } => (0, Imm(a, imm)),
        I::I32NeImm { a, imm, .. } => (1, Imm(a, imm)),
        I::I32LtSImm { a, imm, .. } => (2, Imm(a, imm)),
        I::I32LtUImm { a, imm, .. } => (4, Imm(a, imm)),
        I::I32GtSImm { a, imm, .. } => (6, Imm(a, imm)),
        I::I32GtUImm { a, imm, .. } => (8, Imm(a, imm)),
        I::I64EqImm { a, imm, .. } => (0, Imm64(a, imm)),
        I::I64NeImm { a, imm, .. } => (1, Imm64(a, imm)),
        I::I64LtSImm { a, imm, .. } => (2, Imm64(a, imm)),
        I::I64LtUImm { a, imm, .. } => (4, Imm64(a, imm)),
        I::I64GtSImm { a, imm, .. } => (6, Imm64(a, imm)),
        I::I64GtUImm { a, imm, .. } => (8, Imm64(a, imm)),
        _ => return None,
    })
}

/// Jump threading: a branch to an unconditional `br` goes straight to where that one goes,
/// and a `br` to a `br_table` becomes a copy of it (translated code's dispatch loops jump to
/// one `br_table` from many places). No instruction moves, so no other index changes.
fn thread_jumps(code: &mut Code) {
    // Where a jump to `t` really ends up (bounded: `loop br 0 end` jumps to itself).
    let resolve = |instrs: &[Instr], mut t: Pc| {
        for _ in 0..8 {
            match instrs[t as usize] {
                Instr::Br { t: next } if next != t => t = next,
                _ => break,
            }
        }
        t
    };
    for at in 0..code.instrs.len() {
        let mut branch = code.instrs[at];
        let Some(t) = branch.target_mut().copied() else {
            continue;
        };
        let t = resolve(&code.instrs, t);
        *code.instrs[at].target_mut().expect("a branch") = t;
        if let (Instr::Br { .. }, table @ Instr::BrTable { .. }) =
            (code.instrs[at], code.instrs[t as usize])
        {
            code.instrs[at] = table;
        }
    }
    for k in 0..code.br_tables.len() {
        code.br_tables[k] = resolve(&code.instrs, code.br_tables[k]);
    }
}

/// A slot as the `u16` most fused forms hold (they have no room for more), if it fits.
fn small(s: Slot) -> Option<u16> {
    u16::try_from(s).ok()
}

/// The comparison kind (as `comparison` numbers them) with its operands swapped:
/// `a < b` is `b > a`; equality is symmetric.
fn swapped_comparison(kind: usize) -> usize {
    match kind {
        0 | 1 => kind,
        2..=5 => kind + 4,
        _ => kind - 4,
    }
}

/// A fused "compare and branch": branch when the comparison holds (`when_true`) or fails.
/// `load` (whose destination is also its address slot) with its address computed by `add`, as
/// one instruction; `None` when no fused form fits (another load, or slots above `u16`).
fn fuse_address(load: Instr, add: Instr) -> Option<Instr> {
    use Instr as I;
    match add {
        I::I32AddImm { d, a, imm } => {
            let a = small(a)?;
            Some(match load {
                I::I32Load { off, .. } => I::I32LoadAddImm { d, a, imm, off },
                I::I64Load { off, .. } => I::I64LoadAddImm { d, a, imm, off },
                I::I32Load8U { off, .. } => I::I32Load8UAddImm { d, a, imm, off },
                I::I32Load8S { off, .. } => I::I32Load8SAddImm { d, a, imm, off },
                I::I32Load16U { off, .. } => I::I32Load16UAddImm { d, a, imm, off },
                I::I32Load16S { off, .. } => I::I32Load16SAddImm { d, a, imm, off },
                _ => return None,
            })
        }
        I::I32Add { d, a, b } => {
            let (a, b) = (small(a)?, small(b)?);
            Some(match load {
                I::I32Load { off, .. } => I::I32LoadAdd { d, a, b, off },
                I::I64Load { off, .. } => I::I64LoadAdd { d, a, b, off },
                _ => return None,
            })
        }
        _ => None,
    }
}

fn fuse_compare(cmp: Instr, when_true: bool) -> Option<Instr> {
    use Instr as I;
    let t = 0;
    let (kind, ops) = comparison(cmp)?;
    let kind = if when_true { kind } else { kind ^ 1 };
    const I32: [fn(Slot, Slot, Pc) -> Instr; 10] = [
        |a, b, t| I::BrI32Eq { a, b, t },
        |a, b, t| I::BrI32Ne { a, b, t },
        |a, b, t| I::BrI32LtS { a, b, t },
        |a, b, t| I::BrI32GeS { a, b, t },
        |a, b, t| I::BrI32LtU { a, b, t },
        |a, b, t| I::BrI32GeU { a, b, t },
        |a, b, t| I::BrI32GtS { a, b, t },
        |a, b, t| I::BrI32LeS { a, b, t },
        |a, b, t| I::BrI32GtU { a, b, t },
        |a, b, t| I::BrI32LeU { a, b, t },
    ];
    const I64: [fn(Slot, Slot, Pc) -> Instr; 10] = [
        |a, b, t| I::BrI64Eq { a, b, t },
        |a, b, t| I::BrI64Ne { a, b, t },
        |a, b, t| I::BrI64LtS { a, b, t },
        |a, b, t| I::BrI64GeS { a, b, t },
        |a, b, t| I::BrI64LtU { a, b, t },
        |a, b, t| I::BrI64GeU { a, b, t },
        |a, b, t| I::BrI64GtS { a, b, t },
        |a, b, t| I::BrI64LeS { a, b, t },
        |a, b, t| I::BrI64GtU { a, b, t },
        |a, b, t| I::BrI64LeU { a, b, t },
    ];
    const IMM: [fn(Slot, i32, Pc) -> Instr; 10] = [
        |a, imm, t| I::BrI32EqImm { a, imm, t },
        |a, imm, t| I::BrI32NeImm { a, imm, t },
        |a, imm, t| I::BrI32LtSImm { a, imm, t },
        |a, imm, t| I::BrI32GeSImm { a, imm, t },
        |a, imm, t| I::BrI32LtUImm { a, imm, t },
        |a, imm, t| I::BrI32GeUImm { a, imm, t },
        |a, imm, t| I::BrI32GtSImm { a, imm, t },
        |a, imm, t| I::BrI32LeSImm { a, imm, t },
        |a, imm, t| I::BrI32GtUImm { a, imm, t },
        |a, imm, t| I::BrI32LeUImm { a, imm, t },
    ];
    const IMM64: [fn(Slot, i32, Pc) -> Instr; 10] = [
        |a, imm, t| I::BrI64EqImm { a, imm, t },
        |a, imm, t| I::BrI64NeImm { a, imm, t },
        |a, imm, t| I::BrI64LtSImm { a, imm, t },
        |a, imm, t| I::BrI64GeSImm { a, imm, t },
        |a, imm, t| I::BrI64LtUImm { a, imm, t },
        |a, imm, t| I::BrI64GeUImm { a, imm, t },
        |a, imm, t| I::BrI64GtSImm { a, imm, t },
        |a, imm, t| I::BrI64LeSImm { a, imm, t },
        |a, imm, t| I::BrI64GtUImm { a, imm, t },
        |a, imm, t| I::BrI64LeUImm { a, imm, t },
    ];
    Some(match ops {
        CmpOperands::I32(a, b) => I32[kind](a, b, t),
        CmpOperands::I64(a, b) => I64[kind](a, b, t),
        CmpOperands::Imm(a, imm) => IMM[kind](a, imm, t),
        CmpOperands::Imm64(a, imm) => IMM64[kind](a, imm, t),
    })
}

fn binary_op(op: &Operator) -> Option<fn(Slot, Slot, Slot) -> Instr> {
    use Instr as I;
    use Operator as O;
    macro_rules! m {
        ($($o:ident => $i:ident),* $(,)?) => {
            match op {
                $(O::$o => Some(|d, a, b| I::$i { d, a, b }),)*
                _ => None,
            }
        };
    }
    m! {
        I32LeS => I32LeS, I32LeU => I32LeU, I32GeS => I32GeS, I32GeU => I32GeU,
        I32Mul => I32Mul, I32DivS => I32DivS, I32DivU => I32DivU, I32RemS => I32RemS, I32RemU => I32RemU,
        I32Or => I32Or, I32Xor => I32Xor,
        // (i64 add, sub, and, or, xor, shifts, eq, ne, lt, gt: see `op`, which folds constant operands)
        I64LeS => I64LeS, I64LeU => I64LeU, I64GeS => I64GeS, I64GeU => I64GeU,
        I64Mul => I64Mul, I64DivS => I64DivS, I64DivU => I64DivU,
        I64RemS => I64RemS, I64RemU => I64RemU, I64Rotl => I64Rotl, I64Rotr => I64Rotr,
        F32Eq => F32Eq, F32Ne => F32Ne, F32Lt => F32Lt, F32Gt => F32Gt, F32Le => F32Le, F32Ge => F32Ge,
        F32Add => F32Add, F32Sub => F32Sub, F32Mul => F32Mul, F32Div => F32Div, F32Min => F32Min, F32Max => F32Max,
        F32Copysign => F32Copysign,
        F64Eq => F64Eq, F64Ne => F64Ne, F64Lt => F64Lt, F64Gt => F64Gt, F64Le => F64Le, F64Ge => F64Ge,
        F64Add => F64Add, F64Sub => F64Sub, F64Mul => F64Mul, F64Div => F64Div, F64Min => F64Min, F64Max => F64Max,
        F64Copysign => F64Copysign,
    }
}

fn unary_op(op: &Operator) -> Option<fn(Slot, Slot) -> Instr> {
    use Instr as I;
    use Operator as O;
    macro_rules! m {
        ($($o:ident => $i:ident),* $(,)?) => {
            match op {
                $(O::$o => Some(|d, a| I::$i { d, a }),)*
                _ => None,
            }
        };
    }
    m! {
        I32Eqz => I32Eqz, I32Clz => I32Clz, I32Ctz => I32Ctz, I32Popcnt => I32Popcnt,
        I64Eqz => I64Eqz, I64Clz => I64Clz, I64Ctz => I64Ctz, I64Popcnt => I64Popcnt,
        F32Abs => F32Abs, F32Neg => F32Neg, F32Ceil => F32Ceil, F32Floor => F32Floor, F32Trunc => F32Trunc,
        F32Nearest => F32Nearest, F32Sqrt => F32Sqrt,
        F64Abs => F64Abs, F64Neg => F64Neg, F64Ceil => F64Ceil, F64Floor => F64Floor, F64Trunc => F64Trunc,
        F64Nearest => F64Nearest, F64Sqrt => F64Sqrt,
        I32WrapI64 => I32WrapI64, I32TruncF32S => I32TruncF32S, I32TruncF32U => I32TruncF32U,
        I32TruncF64S => I32TruncF64S, I32TruncF64U => I32TruncF64U,
        I64ExtendI32S => I64ExtendI32S, I64ExtendI32U => I64ExtendI32U,
        I64TruncF32S => I64TruncF32S, I64TruncF32U => I64TruncF32U, I64TruncF64S => I64TruncF64S,
        I64TruncF64U => I64TruncF64U,
        F32ConvertI32S => F32ConvertI32S, F32ConvertI32U => F32ConvertI32U, F32ConvertI64S => F32ConvertI64S,
        F32ConvertI64U => F32ConvertI64U, F32DemoteF64 => F32DemoteF64,
        F64ConvertI32S => F64ConvertI32S, F64ConvertI32U => F64ConvertI32U, F64ConvertI64S => F64ConvertI64S,
        F64ConvertI64U => F64ConvertI64U, F64PromoteF32 => F64PromoteF32,
        I32Extend8S => I32Extend8S, I32Extend16S => I32Extend16S, I64Extend8S => I64Extend8S,
        I64Extend16S => I64Extend16S, I64Extend32S => I64Extend32S,
        I32TruncSatF32S => I32TruncSatF32S, I32TruncSatF32U => I32TruncSatF32U,
        I32TruncSatF64S => I32TruncSatF64S, I32TruncSatF64U => I32TruncSatF64U,
        I64TruncSatF32S => I64TruncSatF32S, I64TruncSatF32U => I64TruncSatF32U,
        I64TruncSatF64S => I64TruncSatF64S, I64TruncSatF64U => I64TruncSatF64U,
    }
}
