//! Lifting one guest function into one LLVM function `i64 @fn_<addr>(i64 %entry)`.
//!
//! Registers are allocas (SSA after mem2reg) that meet `CpuState` only at:
//! - **reloads**: where control (re-)enters from outside, i.e. the function's
//!   entries and the points after a call or syscall returns. Only registers
//!   *live* there are loaded: those some path reads, or spills, before
//!   writing them (a backward dataflow over guest blocks). Fewer loads in
//!   the IR is less for LLVM to delete, which matters for translation time.
//! - **spills**: where control leaves, i.e. before a call, syscall or return.
//!   Only *dirty* registers are stored: those written on some path since
//!   the last reload. A forward dataflow over guest blocks computes them.

use super::cx::{LiftCx, RegSet};
use super::{ModuleCx, UNWIND_TAG};
use crate::arch::{Arch, Flow, Outcome, Unsupported};
use crate::discover::{Function, Program};
use elfconv2_syscalls::abi;
use inkwell::basic_block::BasicBlock;
use inkwell::values::{BasicValue, FunctionValue, IntValue};
use inkwell::IntPredicate;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How control leaves a guest block for somewhere outside the function body.
enum Exit<'ctx> {
    /// Return this pc to the caller.
    Return(IntValue<'ctx>),
    /// Call a lifted function (or the dispatcher for an indirect call). A
    /// tail call returns whatever the callee returns; otherwise continue at
    /// `return_to` if the callee comes back there.
    Call {
        callee: FunctionValue<'ctx>,
        arg: IntValue<'ctx>,
        return_to: u64,
        tail: bool,
    },
    /// Perform the syscall at `pc`, then continue at `next`.
    Syscall { pc: u64, next: u64 },
    /// The instruction at `pc` cannot be lifted: SIGILL. The layer runs the
    /// guest's handler (returning its pc, for the dispatcher) or ends the
    /// process with a report naming `what`.
    Sigill { pc: u64, what: String },
}

/// Facts about one guest block for the spill and reload dataflows.
#[derive(Default)]
struct BlockFacts {
    written: RegSet,
    /// Read before written in the block.
    exposed: RegSet,
    /// Guest blocks reached from this one without passing a reload.
    successors: Vec<u64>,
}

struct FunctionEmitter<'m, 'ctx> {
    cx: LiftCx<'m, 'ctx>,
    blocks: HashMap<u64, BasicBlock<'ctx>>,
    reload_to: HashMap<u64, BasicBlock<'ctx>>,
    /// Reload blocks and the guest block they continue at.
    reload_blocks: Vec<(BasicBlock<'ctx>, u64)>,
    /// Spill blocks and the guest block whose end they belong to.
    spills: Vec<(BasicBlock<'ctx>, u64)>,
    facts: BTreeMap<u64, BlockFacts>,
    /// Leader of the guest block being emitted.
    current: u64,
}

impl<'m, 'ctx> FunctionEmitter<'m, 'ctx> {
    fn new_block(&self, name: &str) -> BasicBlock<'ctx> {
        self.cx.new_block(name)
    }

    /// A block that returns `pc` to the caller without spilling (the state
    /// is already in `CpuState`).
    fn leave_clean(&mut self, pc: u64) -> BasicBlock<'ctx> {
        let here = self.cx.b.get_insert_block().unwrap();
        let bb = self.new_block("leave");
        self.cx.b.position_at_end(bb);
        self.cx.b.build_return(Some(&self.cx.c64(pc))).unwrap();
        self.cx.b.position_at_end(here);
        bb
    }

    /// A reload block that continues at guest address `pc`.
    fn reload_to(&mut self, pc: u64) -> BasicBlock<'ctx> {
        if let Some(&bb) = self.reload_to.get(&pc) {
            return bb;
        }
        let Some(&target) = self.blocks.get(&pc) else {
            return self.leave_clean(pc);
        };
        let here = self.cx.b.get_insert_block().unwrap();
        let bb = self.new_block(&format!("reload_{pc:x}"));
        self.cx.b.position_at_end(bb);
        self.cx.b.build_unconditional_branch(target).unwrap();
        self.cx.b.position_at_end(here);
        self.reload_blocks.push((bb, pc));
        self.reload_to.insert(pc, bb);
        bb
    }

    /// The block to branch to for guest address `pc` from the current block:
    /// the guest block itself, or (outside the function) a spill and return.
    fn goto(&mut self, pc: u64) -> BasicBlock<'ctx> {
        if let Some(&bb) = self.blocks.get(&pc) {
            self.facts
                .entry(self.current)
                .or_default()
                .successors
                .push(pc);
            return bb;
        }
        let here = self.cx.b.get_insert_block().unwrap();
        let bb = self.new_block("leave");
        self.cx.b.position_at_end(bb);
        self.spill_here();
        self.cx.b.build_return(Some(&self.cx.c64(pc))).unwrap();
        self.cx.b.position_at_end(here);
        bb
    }

    /// Ends the current LLVM block with a branch to a fresh spill block and
    /// continues there.
    fn spill_here(&mut self) {
        let spill = self.new_block("spill");
        self.cx.b.build_unconditional_branch(spill).unwrap();
        self.cx.b.position_at_end(spill);
        self.spills.push((spill, self.current));
    }

    /// Ends guest block `leader` at the unliftable instruction `pc`: its
    /// registers are spilled, as at any exit, so a SIGILL handler sees them.
    fn sigill_exit<A: Arch>(&mut self, arch: &A, leader: u64, pc: u64, what: String) {
        arch.end_block(&mut self.cx);
        let facts = self.facts.entry(leader).or_default();
        facts.written = self.cx.written_in_block;
        facts.exposed = self.cx.exposed_in_block;
        self.exit(Exit::Sigill { pc, what });
    }

    fn exit(&mut self, exit: Exit<'ctx>) {
        self.spill_here();
        let cx = &mut self.cx;
        match exit {
            Exit::Return(pc) => {
                cx.b.build_return(Some(&pc)).unwrap();
            }
            Exit::Syscall { pc, next } => {
                // The layer returns where to continue: normally `next`; a
                // signal handler or rt_sigreturn's pc goes back to the
                // dispatcher (the state is already spilled).
                let resume =
                    cx.b.build_call(cx.m.fn_syscall, &[cx.c64(pc).into()], "resume")
                        .unwrap();
                let resume = resume
                    .try_as_basic_value()
                    .basic()
                    .unwrap()
                    .into_int_value();
                let normal = cx.icmp(IntPredicate::EQ, resume, cx.c64(next));
                let elsewhere = cx.new_block("syscall_redirect");
                let here = cx.b.get_insert_block().unwrap();
                let target = self.reload_to(next);
                let cx = &mut self.cx;
                cx.b.position_at_end(here);
                cx.b.build_conditional_branch(normal, target, elsewhere)
                    .unwrap();
                cx.b.position_at_end(elsewhere);
                cx.b.build_return(Some(&resume)).unwrap();
            }
            Exit::Sigill { pc, what } => {
                let desc = cx.m.sigill_description(pc, &what);
                let handler =
                    cx.b.build_call(
                        cx.m.fn_sigill_handled,
                        &[cx.c64(pc).into(), desc.into()],
                        "handler",
                    )
                    .unwrap();
                let handler = handler.try_as_basic_value().basic().unwrap();
                cx.b.build_return(Some(&handler)).unwrap();
            }
            Exit::Call {
                callee,
                arg,
                return_to,
                tail,
            } => {
                let m = cx.m;
                let depth_ptr = m.call_depth.as_pointer_value();
                let depth = cx.b.build_load(m.i32, depth_ptr, "depth").unwrap();
                m.tag(depth.as_instruction_value().unwrap(), m.tbaa_runtime);
                let depth = depth.into_int_value();
                let deeper = cx.add(depth, cx.c32(1));
                let too_deep = cx.icmp(
                    IntPredicate::UGE,
                    deeper,
                    cx.c32(abi::MAX_NATIVE_CALL_DEPTH),
                );
                let unwind = cx.new_block("unwind");
                let call = cx.new_block("call");
                cx.b.build_conditional_branch(too_deep, unwind, call)
                    .unwrap();
                // Too deep: unwind to the dispatcher loop, which makes the call
                // on a fresh Wasm stack.
                cx.b.position_at_end(unwind);
                let tagged = cx.or(arg, cx.c64(UNWIND_TAG));
                cx.b.build_return(Some(&tagged)).unwrap();
                cx.b.position_at_end(call);
                let s = cx.b.build_store(depth_ptr, deeper).unwrap();
                m.tag(s, m.tbaa_runtime);
                let next = cx.b.build_call(callee, &[arg.into()], "next").unwrap();
                let next = next.try_as_basic_value().basic().unwrap().into_int_value();
                let s = cx.b.build_store(depth_ptr, depth).unwrap();
                m.tag(s, m.tbaa_runtime);
                if tail {
                    cx.b.build_return(Some(&next)).unwrap();
                    return;
                }
                // Back where the guest expected: continue natively. Anything
                // else (longjmp, unwinding) goes back up to the dispatcher;
                // not looping back to this function's entry switch keeps the
                // CFG free of artificial loops, which LLVM optimises far
                // better and faster.
                let back = cx.icmp(IntPredicate::EQ, next, cx.c64(return_to));
                let elsewhere = cx.new_block("elsewhere");
                let here = cx.b.get_insert_block().unwrap();
                let target = self.reload_to(return_to);
                let cx = &mut self.cx;
                cx.b.position_at_end(here);
                cx.b.build_conditional_branch(back, target, elsewhere)
                    .unwrap();
                cx.b.position_at_end(elsewhere);
                cx.b.build_return(Some(&next)).unwrap();
            }
        }
    }

    /// Computes dirty registers per guest block and fills reloads and spills.
    fn finish<A: Arch>(self, arch: &A) {
        let FunctionEmitter {
            mut cx,
            reload_blocks,
            spills,
            facts,
            ..
        } = self;
        let mut dirty_out: BTreeMap<u64, RegSet> =
            facts.iter().map(|(&a, f)| (a, f.written)).collect();
        loop {
            let mut changed = false;
            for (&a, f) in &facts {
                let out = dirty_out[&a];
                for s in &f.successors {
                    let old = dirty_out.get(s).copied().unwrap_or_default();
                    let new = old.union(out);
                    if new != old {
                        dirty_out.insert(*s, new);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let used: Vec<usize> = (0..cx.allocas.len())
            .filter(|&r| cx.allocas[r].is_some())
            .collect();
        // Liveness: a spill at the end of a block stores its dirty registers,
        // so those the block did not write count as read there.
        let mut spilled: BTreeMap<u64, RegSet> = BTreeMap::new();
        for &(_, leader) in &spills {
            let dirty = dirty_out.get(&leader).copied().unwrap_or_default();
            spilled.insert(leader, dirty);
        }
        let exposed = |a: u64, f: &BlockFacts| {
            let spill = spilled.get(&a).copied().unwrap_or_default();
            f.exposed.union(RegSet(spill.0 & !f.written.0))
        };
        let mut live_in: BTreeMap<u64, RegSet> =
            facts.iter().map(|(&a, f)| (a, exposed(a, f))).collect();
        loop {
            let mut changed = false;
            for (&a, f) in facts.iter().rev() {
                let mut out = RegSet::default();
                for s in &f.successors {
                    out = out.union(live_in.get(s).copied().unwrap_or_default());
                }
                let new = live_in[&a].union(RegSet(out.0 & !f.written.0));
                if new != live_in[&a] {
                    live_in.insert(a, new);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        for (bb, pc) in reload_blocks {
            let live = live_in.get(&pc).copied().unwrap_or_default();
            let term = bb.get_terminator().expect("reload block ends in a branch");
            cx.b.position_before(&term);
            for &r in &used {
                if !live.contains(r) {
                    continue;
                }
                let p = cx.m.state_ptr(&cx.b, cx.regs[r].offset);
                let v = cx.b.build_load(cx.held_type(r), p, "").unwrap();
                cx.m.tag(v.as_instruction_value().unwrap(), cx.m.tbaa_state);
                cx.b.build_store(cx.allocas[r].unwrap(), v).unwrap();
            }
        }
        for (bb, leader) in spills {
            let dirty = dirty_out.get(&leader).copied().unwrap_or_default();
            match bb.get_first_instruction() {
                Some(i) => cx.b.position_before(&i),
                None => cx.b.position_at_end(bb),
            }
            for &r in &used {
                if !dirty.contains(r) {
                    continue;
                }
                let held =
                    cx.b.build_load(cx.held_type(r), cx.allocas[r].unwrap(), "")
                        .unwrap();
                let v = cx.held_to_int(r, held);
                let v = arch.spill_value(&mut cx, r, v);
                let p = cx.m.state_ptr(&cx.b, cx.regs[r].offset);
                let s = cx.b.build_store(p, v).unwrap();
                cx.m.tag(s, cx.m.tbaa_state);
            }
        }
    }
}

/// Lifts one guest function into its (already declared) LLVM function.
pub fn emit_function<A: Arch>(
    m: &ModuleCx<'_>,
    arch: &A,
    program: &Program<A::Insn>,
    func: &Function,
    function_starts: &BTreeSet<u64>,
    disasm_of: &dyn Fn(u64) -> String,
) {
    let ctx = m.ctx;
    let fv = m.functions[&func.start];
    let entry_bb = ctx.append_basic_block(fv, "entry");
    let cx = LiftCx {
        m,
        b: ctx.create_builder(),
        ctx,
        func: fv,
        regs: arch.registers(),
        pc: func.start,
        allocas: vec![None; arch.registers().len()],
        written_in_block: RegSet::default(),
        exposed_in_block: RegSet::default(),
        deferred: Vec::new(),
        fixup_slots: vec![None; arch.registers().len()],
        lazy_flags: Vec::new(),
        entry_bb,
        segv: None,
        values: vec![None; arch.registers().len()],
        checked_bases: Vec::new(),
        branched: Default::default(),
    };
    let blocks: HashMap<u64, BasicBlock> = func
        .blocks
        .iter()
        .map(|&a| (a, ctx.append_basic_block(fv, &format!("b_{a:x}"))))
        .collect();
    let mut e = FunctionEmitter {
        cx,
        blocks,
        reload_to: HashMap::new(),
        reload_blocks: Vec::new(),
        spills: Vec::new(),
        facts: BTreeMap::new(),
        current: func.start,
    };

    // The entry switch: the function start, or (from the dispatcher) a
    // return site inside it; any other pc goes back up.
    e.cx.b.position_at_end(entry_bb);
    let entry_pc = fv.get_nth_param(0).unwrap().into_int_value();
    let start = e.reload_to(func.start);
    let arms: Vec<_> = func
        .entries
        .iter()
        .filter(|&&a| a != func.start)
        .map(|&a| (m.i64.const_int(a, false), e.reload_to(a)))
        .collect();
    e.cx.b.position_at_end(entry_bb);
    if arms.is_empty() {
        e.cx.b.build_unconditional_branch(start).unwrap();
    } else {
        // Direct calls pass the start: test it first.
        let at_start = e.cx.icmp(IntPredicate::EQ, entry_pc, e.cx.c64(func.start));
        let other = e.new_block("other_entry");
        let propagate = e.new_block("propagate");
        e.cx.b
            .build_conditional_branch(at_start, start, other)
            .unwrap();
        e.cx.b.position_at_end(propagate);
        e.cx.b.build_return(Some(&entry_pc)).unwrap();
        e.cx.b.position_at_end(other);
        e.cx.b.build_switch(entry_pc, propagate, &arms).unwrap();
    }

    for &leader in &func.blocks {
        e.current = leader;
        e.cx.written_in_block = RegSet::default();
        e.cx.exposed_in_block = RegSet::default();
        e.cx.deferred.clear();
        e.cx.lazy_flags.clear();
        e.cx.forget_straight_line();
        e.cx.b.position_at_end(e.blocks[&leader]);
        let mut pc = leader;
        loop {
            e.cx.pc = pc;
            if e.cx.branched.get() {
                e.cx.forget_straight_line();
            }
            let Some(decoded) = program.insns.get(&pc) else {
                // Fell off the known code (e.g. the end of a code section).
                e.cx.b
                    .build_call(
                        m.fn_bad_jump,
                        &[e.cx.c64(pc).into(), e.cx.c64(pc).into()],
                        "",
                    )
                    .unwrap();
                e.cx.b.build_unreachable().unwrap();
                break;
            };
            let d = match decoded {
                Ok(d) => d,
                Err(why) => {
                    let what = format!("{} ({})", disasm_of(pc), why.0);
                    e.sigill_exit(arch, leader, pc, what);
                    break;
                }
            };
            let next = pc + d.len;
            let outcome: Outcome = match arch.lift(d, pc, &mut e.cx) {
                Ok(o) => o,
                Err(Unsupported(why)) => {
                    let what = format!("{} ({why})", disasm_of(pc));
                    e.sigill_exit(arch, leader, pc, what);
                    break;
                }
            };
            // Running on into another function's first instruction (glibc's
            // __syscall_error falls into __syscall_set_errno) is a tail call
            // of that function, not more code of this one.
            let falls_into_function =
                d.flow == Flow::Next && next != func.start && function_starts.contains(&next);
            if d.flow != Flow::Next || e.blocks.contains_key(&next) || falls_into_function {
                // The block ends here: settle deferred values before any
                // branch, call or exit.
                arch.end_block(&mut e.cx);
            }
            let facts = e.facts.entry(leader).or_default();
            facts.written = e.cx.written_in_block;
            facts.exposed = e.cx.exposed_in_block;
            match d.flow {
                Flow::Next => {
                    if e.blocks.contains_key(&next) {
                        let bb = e.goto(next);
                        e.cx.b.build_unconditional_branch(bb).unwrap();
                        break;
                    }
                    if falls_into_function {
                        let callee = m.functions[&next];
                        let arg = e.cx.c64(next);
                        e.exit(Exit::Call {
                            callee,
                            arg,
                            return_to: 0,
                            tail: true,
                        });
                        break;
                    }
                    pc = next;
                    continue;
                }
                Flow::Jump { target } => {
                    if target != func.start && function_starts.contains(&target) {
                        let callee = m.functions[&target];
                        let arg = e.cx.c64(target);
                        e.exit(Exit::Call {
                            callee,
                            arg,
                            return_to: 0,
                            tail: true,
                        });
                    } else {
                        let bb = e.goto(target);
                        e.cx.b.build_unconditional_branch(bb).unwrap();
                    }
                }
                Flow::Branch { target } => {
                    let cond = outcome
                        .condition
                        .expect("branch semantics give a condition");
                    let taken = e.goto(target);
                    let not_taken = e.goto(next);
                    e.cx.b
                        .build_conditional_branch(cond, taken, not_taken)
                        .unwrap();
                }
                Flow::Call { target } => {
                    let callee = m.functions.get(&target).copied().unwrap_or(m.fn_dispatch);
                    let arg = e.cx.c64(target);
                    e.exit(Exit::Call {
                        callee,
                        arg,
                        return_to: next,
                        tail: false,
                    });
                }
                Flow::IndirectCall => {
                    let target = outcome
                        .target
                        .expect("indirect call semantics give a target");
                    e.exit(Exit::Call {
                        callee: m.fn_dispatch,
                        arg: target,
                        return_to: next,
                        tail: false,
                    });
                }
                Flow::IndirectJump => {
                    let target = outcome
                        .target
                        .expect("indirect jump semantics give a target");
                    // Known jump-table targets are a switch; anything else
                    // leaves through the dispatcher.
                    let mut cases: BTreeSet<u64> = program
                        .jump_tables
                        .get(&pc)
                        .into_iter()
                        .flatten()
                        .copied()
                        .collect();
                    cases.extend(func.labels.iter().copied());
                    cases.retain(|t| e.blocks.contains_key(t));
                    if cases.is_empty() {
                        e.exit(Exit::Return(target));
                    } else {
                        let other = e.new_block("unknown_target");
                        let arms: Vec<_> = cases
                            .iter()
                            .map(|&t| (m.i64.const_int(t, false), e.goto(t)))
                            .collect();
                        e.cx.b.build_switch(target, other, &arms).unwrap();
                        e.cx.b.position_at_end(other);
                        e.exit(Exit::Return(target));
                    }
                }
                Flow::Return => {
                    let target = outcome.target.expect("return semantics give a target");
                    e.exit(Exit::Return(target));
                }
                Flow::Syscall => e.exit(Exit::Syscall { pc, next }),
                Flow::Stop => {
                    e.cx.b.build_unreachable().unwrap();
                }
            }
            break;
        }
    }
    e.finish(arch);
}
