//! Which registers hold a known constant at a given instruction, by forward
//! dataflow over the control-flow graph of the code discovered so far.
//!
//! Jump-table recovery needs this when gcc keeps a table's base (or the
//! bound its index is checked against) in a callee-saved register that is
//! set once, outside a loop, and given other values elsewhere in the
//! function: neither the straight-line trail before the `jr` nor a
//! function-wide "always this value" rule sees it.
//!
//! The lattice per register is the usual one: not reached yet (`None` in
//! the block state), one constant, or varying. The function's first
//! instruction starts with everything varying. A block with no known
//! predecessor (a switch's case, a computed goto's label: reached only by
//! indirect jumps the code found so far cannot resolve) stays "not reached"
//! and adds nothing where it leads. That is optimistic on purpose: taking it
//! as varying would let the case blocks of a switch inside a loop spoil the
//! very constant (the table's base) that finds those cases. A wrong
//! constant costs nothing but a table that does not check out: callers
//! accept a table only if its entries are code.

use super::decode::{Insn, Op};
use super::jump_table::{writes_rd, CALLER_SAVED};
use std::collections::{BTreeMap, VecDeque};

/// One register's value where several paths meet.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Value {
    Const(u64),
    Varying,
}

type State = [Value; 32];

fn meet(into: &mut State, from: &State) -> bool {
    let mut changed = false;
    for (a, b) in into.iter_mut().zip(from) {
        if *a != *b && *a != Value::Varying {
            *a = Value::Varying;
            changed = true;
        }
    }
    changed
}

/// The effect of one instruction on the known constants.
fn step(state: &mut State, pc: u64, i: &Insn) {
    let c = |r: u8| match state[r as usize] {
        Value::Const(v) => Some(v),
        Value::Varying => None,
    };
    let value = match i.op {
        Op::Auipc => Some(pc.wrapping_add(i.imm as u64)),
        Op::Lui => Some(i.imm as u64),
        Op::Addi => c(i.rs1).map(|v| v.wrapping_add(i.imm as u64)),
        Op::Add if i.rs1 == 0 => c(i.rs2),
        _ => None,
    };
    let is_call = matches!(i.op, Op::Jal | Op::Jalr) && i.rd != 0;
    if is_call {
        for r in CALLER_SAVED {
            state[r as usize] = Value::Varying;
        }
    }
    if i.op == Op::Ecall {
        state[10] = Value::Varying;
    }
    if i.rd != 0 && writes_rd(i.op) {
        state[i.rd as usize] = value.map_or(Value::Varying, Value::Const);
    }
    state[0] = Value::Const(0);
}

/// Where control can go after `i` at `pc`: (falls through, branch target).
fn successors(pc: u64, i: &Insn) -> (bool, Option<u64>) {
    let target = pc.wrapping_add(i.imm as u64);
    match i.op {
        Op::Beq | Op::Bne | Op::Blt | Op::Bge | Op::Bltu | Op::Bgeu => (true, Some(target)),
        Op::Jal if i.rd == 0 => (false, Some(target)),
        Op::Jalr if i.rd == 0 => (false, None),
        Op::Ebreak => (false, None),
        _ => (true, None),
    }
}

/// Leaders and predecessors of the code found so far.
struct Graph {
    index: BTreeMap<u64, usize>,
    leader: Vec<bool>,
    preds: Vec<Vec<usize>>,
}

impl Graph {
    fn new(function: &[(u64, Insn)]) -> Graph {
        let index: BTreeMap<u64, usize> = function
            .iter()
            .enumerate()
            .map(|(n, (pc, _))| (*pc, n))
            .collect();
        // Block leaders: the first instruction of each run, branch targets,
        // and whatever follows a control transfer.
        let mut leader = vec![false; function.len()];
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); function.len()];
        for (n, (pc, i)) in function.iter().enumerate() {
            if n == 0 || next_in_run(function, n - 1) != Some(n) {
                leader[n] = true;
            }
            let (falls, target) = successors(*pc, i);
            let transfers = !falls || target.is_some();
            if let Some(t) = target.and_then(|t| index.get(&t)) {
                leader[*t] = true;
                preds[*t].push(n);
            }
            if let Some(m) = next_in_run(function, n) {
                if transfers {
                    leader[m] = true;
                }
                if falls {
                    preds[m].push(n);
                }
            }
        }
        Graph {
            index,
            leader,
            preds,
        }
    }
}

/// The instruction after `function[n]` in address order, if it follows directly.
fn next_in_run(function: &[(u64, Insn)], n: usize) -> Option<usize> {
    let (pc, i) = function[n];
    let next = pc + i.len as u64;
    function
        .get(n + 1)
        .filter(|(p, _)| *p == next)
        .map(|_| n + 1)
}

/// The dataflow's result for one function: the constants at each block
/// leader, computed once and read at any instruction.
pub struct ReachingConstants<'f> {
    function: &'f [(u64, Insn)],
    graph: Graph,
    /// Block in-states, at leaders only; None = not reached (or the
    /// analysis gave up).
    in_state: Vec<Option<State>>,
}

impl<'f> ReachingConstants<'f> {
    /// Runs the dataflow over `function`: its instructions in address order
    /// (possibly in several runs).
    pub fn new(function: &'f [(u64, Insn)]) -> Self {
        let graph = Graph::new(function);
        let mut flow = ReachingConstants {
            function,
            in_state: vec![None; function.len()],
            graph,
        };
        flow.solve();
        flow
    }

    fn solve(&mut self) {
        let n_insns = self.function.len();
        let mut work: VecDeque<usize> = VecDeque::new();
        let mut queued = vec![false; n_insns];
        // The entry: anything may come in (its predecessors, if any, only add to that).
        if n_insns > 0 {
            let mut s = [Value::Varying; 32];
            s[0] = Value::Const(0);
            self.in_state[0] = Some(s);
            work.push_back(0);
            queued[0] = true;
        }
        // Bounded: each block's state only moves down a lattice of height 2
        // per register, but cap the work anyway for pathological graphs.
        let mut budget = n_insns.saturating_mul(64).max(1024);
        while let Some(n) = work.pop_front() {
            if budget == 0 {
                self.in_state = vec![None; n_insns];
                return;
            }
            budget -= 1;
            queued[n] = false;
            let mut s = self.in_state[n].expect("queued blocks have a state");
            for succ in self.run_block(n, &mut s, None) {
                let changed = match &mut self.in_state[succ] {
                    Some(old) => meet(old, &s),
                    slot @ None => {
                        *slot = Some(s);
                        true
                    }
                };
                if changed && !queued[succ] {
                    work.push_back(succ);
                    queued[succ] = true;
                }
            }
        }
    }

    /// Steps `s` through the block starting at `n` (up to `stop_at`, if it
    /// lies in the block) and returns the leaders it hands its state to.
    fn run_block(&self, n: usize, s: &mut State, stop_at: Option<usize>) -> Vec<usize> {
        let g = &self.graph;
        let mut k = n;
        loop {
            if Some(k) == stop_at {
                return Vec::new();
            }
            let (pc, i) = self.function[k];
            step(s, pc, &i);
            let (falls, branch) = successors(pc, &i);
            let mut out = Vec::new();
            if let Some(t) = branch.and_then(|t| g.index.get(&t)) {
                out.push(*t);
            }
            match next_in_run(self.function, k) {
                Some(m) if falls && !g.leader[m] => k = m,
                Some(m) if falls => {
                    out.push(m);
                    return out;
                }
                _ => return out,
            }
        }
    }

    /// The constants known just before the instruction at `at`: `None` for
    /// a register that varies or whose value is unknown.
    pub fn at(&self, at: u64) -> [Option<u64>; 32] {
        let Some(&target) = self.graph.index.get(&at) else {
            return [None; 32];
        };
        // The leader of the block holding `at`, and its state stepped up to `at`.
        let Some(start) = (0..=target).rev().find(|&n| self.graph.leader[n]) else {
            return [None; 32];
        };
        let Some(mut s) = self.in_state[start] else {
            return [None; 32];
        };
        self.run_block(start, &mut s, Some(target));
        s.map(|v| match v {
            Value::Const(c) => Some(c),
            Value::Varying => None,
        })
    }

    /// Where the extended basic block holding `at` starts: back from `at`
    /// through blocks whose only way in is falling through from the one
    /// before (the not-taken side of a branch).
    pub fn extended_block_start(&self, at: u64) -> u64 {
        let g = &self.graph;
        let Some(&start) = g.index.get(&at) else {
            return at;
        };
        let mut n = start;
        loop {
            while n > 0 && !g.leader[n] {
                n -= 1;
            }
            match g.preds[n].as_slice() {
                [p] if n > 0 && *p == n - 1 => n -= 1,
                _ => return self.function[n].0,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insn(op: Op, rd: u8, rs1: u8, imm: i64) -> Insn {
        Insn {
            rd,
            rs1,
            imm,
            len: 4,
            ..Insn::new(op)
        }
    }

    fn branch(op: Op, rs1: u8, rs2: u8, imm: i64) -> Insn {
        Insn {
            rs1,
            rs2,
            imm,
            len: 4,
            ..Insn::new(op)
        }
    }

    fn at(code: &[Insn]) -> Vec<(u64, Insn)> {
        code.iter()
            .enumerate()
            .map(|(n, i)| (0x1000 + 4 * n as u64, *i))
            .collect()
    }

    #[test]
    fn a_base_set_before_a_loop_reaches_the_loop_body() {
        // s3 = 0x2000 once; the loop body uses it; a call in the loop does
        // not clobber it (callee-saved), but does clobber a5.
        let f = at(&[
            insn(Op::Lui, 19, 0, 0x2000), // 1000: lui s3
            insn(Op::Addi, 15, 0, 7),     // 1004: li a5, 7
            insn(Op::Jal, 1, 0, 0x100),   // 1008: call
            insn(Op::Addi, 10, 10, 1),    // 100c: a0 += 1 (loop head)
            branch(Op::Bne, 10, 11, -4),  // 1010: bne a0, a1, 100c
            insn(Op::Jalr, 0, 15, 0),     // 1014: jr a5
        ]);
        let c = ReachingConstants::new(&f).at(0x1014);
        assert_eq!(c[19], Some(0x2000));
        assert_eq!(c[15], None, "the call clobbers a5");
        assert_eq!(c[10], None, "a0 changes around the loop");
    }

    #[test]
    fn blocks_only_an_unresolved_jump_reaches_do_not_spoil_constants() {
        // s5 = table before the loop; the loop's `jr` goes to case blocks
        // nothing else reaches. One of them (1018) sets s5 to another table
        // for a later loop and rejoins the first loop's tail: were the case
        // blocks entered with "anything", s5 would vary at the loop head.
        let f = at(&[
            insn(Op::Lui, 21, 0, 0x2000), // 1000: lui s5, table
            insn(Op::Addi, 10, 10, 1),    // 1004: loop head: a0 += 1
            insn(Op::Add, 15, 15, 21),    // 1008: a5 += s5
            insn(Op::Jalr, 0, 15, 0),     // 100c: jr a5
            insn(Op::Jal, 1, 0, 0x100),   // 1010: case: call
            branch(Op::Bne, 10, 11, -16), // 1014: bne a0, a1, 1004
            insn(Op::Lui, 21, 0, 0x3000), // 1018: case: lui s5, other table
            insn(Op::Jal, 0, 0, -12),     // 101c: j 1010
        ]);
        let flow = ReachingConstants::new(&f);
        assert_eq!(flow.at(0x1004)[21], Some(0x2000));
        assert_eq!(flow.at(0x100c)[21], Some(0x2000));
        // A case block on its own knows nothing yet.
        assert_eq!(flow.at(0x1010)[21], None);
    }

    #[test]
    fn two_paths_with_different_values_meet_as_varying() {
        let f = at(&[
            branch(Op::Beq, 10, 0, 12), // 1000: beqz a0, 100c
            insn(Op::Addi, 19, 0, 1),   // 1004: li s3, 1
            insn(Op::Jal, 0, 0, 8),     // 1008: j 1010
            insn(Op::Addi, 19, 0, 2),   // 100c: li s3, 2
            insn(Op::Addi, 20, 0, 17),  // 1010: li s4, 17
            insn(Op::Jalr, 0, 15, 0),   // 1014: jr a5
        ]);
        let flow = ReachingConstants::new(&f);
        let c = flow.at(0x1014);
        assert_eq!(c[19], None);
        assert_eq!(c[20], Some(17));
        // On one path alone the value is known.
        assert_eq!(flow.at(0x1008)[19], Some(1));
        // 1010 is reached two ways; 1004 only by falling through from 1000.
        assert_eq!(flow.extended_block_start(0x1014), 0x1010);
        assert_eq!(flow.extended_block_start(0x1008), 0x1000);
    }
}
