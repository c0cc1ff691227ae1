//! Jump-table recovery for `jr rX`. gcc emits two shapes:
//! - relative (PIC/PIE code, glibc): `auipc+addi T; slli; add; lw e; add rX, e, T; jr rX`,
//!   targets are T + (s32)table[i];
//! - absolute: `...; ld rX, 0(T + i*8); jr rX`, targets are table[i].
//!
//! We track constants through the straight-line code before the jump,
//! find how rX was formed, and read entries while they point at code.

use super::decode::{Insn, Op};
use super::reaching_constants::ReachingConstants;
use crate::elf::GuestImage;

/// Known constants and defining instruction (index into `before`) per register.
type Snapshot = ([Option<u64>; 32], [Option<usize>; 32]);

/// Most entries read from a table whose bound we could not find.
const MAX_ENTRIES: usize = 512;

pub fn targets(
    image: &GuestImage,
    pc: u64,
    jump: &Insn,
    before: &[(u64, Insn)],
    function: &[(u64, Insn)],
) -> Vec<u64> {
    if jump.op != Op::Jalr || jump.rd != 0 || jump.imm != 0 {
        return Vec::new();
    }
    let constants = function_constants(function);
    if let Some(table) = targets_assuming(image, jump, before, constants) {
        if !table.targets.is_empty() {
            return table.targets;
        }
    }
    // The table base (or the index's bound) may live in a callee-saved
    // register that holds other values elsewhere in the function: gcc hoists
    // `auipc+addi s3` out of a loop and reuses s3 after it. Dataflow over
    // the code found so far says what such a register holds where the trail
    // starts; a table found that way counts only if its bound is known and
    // every entry up to it is code.
    let flow = ReachingConstants::new(function);
    let trail_start = before.first().map_or(pc, |(p, _)| *p);
    let mut assumed = constants;
    for (known, from_flow) in assumed.iter_mut().zip(flow.at(trail_start)) {
        *known = known.or(from_flow);
    }
    if let Some(table) = targets_assuming(image, jump, before, assumed) {
        // An unbounded table counts too if its entries are offsets from its own start (gcc's
        // relative tables): that the base is both where entries are read and what they are
        // added to is evidence enough. Such a switch has no bound check when the index cannot
        // be out of range (bash's `switch` on a byte read from a constant array).
        if (table.bounded && table.complete) || (table.self_relative && !table.targets.is_empty()) {
            return table.targets;
        }
    }
    guess_live_in_constants(image, pc, jump, before, function, &flow, constants)
}

/// Most combinations of guessed register values tried for one jump.
const MAX_GUESSES: usize = 256;

/// How far from a guessed table's jump its targets may be.
const NEAR: u64 = 64 * 1024;

/// The last resort: the trail is cut back to the jump's extended basic block
/// (the address-order trail may run through the fall-through of a call that
/// never returns, such as `__stack_chk_fail`, and pick up values from the
/// wrong path), and each register it reads before writing takes, in turn,
/// every constant the function ever builds in it, if it is callee-saved. The largest table that is
/// bounded, complete and lands near the jump wins.
fn guess_live_in_constants(
    image: &GuestImage,
    pc: u64,
    jump: &Insn,
    before: &[(u64, Insn)],
    function: &[(u64, Insn)],
    flow: &ReachingConstants,
    mut known: [Option<u64>; 32],
) -> Vec<u64> {
    let start = flow.extended_block_start(pc);
    let trail = &before[before.partition_point(|(p, _)| *p < start)..];
    for (k, from_flow) in known.iter_mut().zip(flow.at(start)) {
        *k = k.or(from_flow);
    }
    let candidates = constant_candidates(function);
    let mut written = 1u32; // x0
    let mut live_in: Vec<u8> = Vec::new();
    for (_, i) in trail.iter().chain(std::iter::once(&(pc, *jump))) {
        for r in [i.rs1, i.rs2] {
            let unknown = known[r as usize].is_none() && !candidates[r as usize].is_empty();
            // Only callee-saved registers keep a hoisted constant across the
            // calls in a loop; guessing others (a call's result) is noise.
            let callee_saved = matches!(r, 8 | 9 | 18..=27);
            if written & (1 << r) == 0 && unknown && callee_saved && !live_in.contains(&r) {
                live_in.push(r);
            }
        }
        if writes_rd(i.op) {
            written |= 1 << i.rd;
        }
    }
    let combinations = live_in
        .iter()
        .try_fold(1usize, |n, &r| n.checked_mul(candidates[r as usize].len()))
        .filter(|&n| n <= MAX_GUESSES);
    let Some(combinations) = combinations else {
        return Vec::new();
    };
    // A switch's cases are in the jump's own function, which is not all
    // discovered yet (that is what the table is for): ask only that they
    // are near.
    let near = pc.saturating_sub(NEAR)..pc + NEAR;

    let mut best: Vec<u64> = Vec::new();
    for n in 0..combinations {
        let mut assumed = known;
        let mut rest = n;
        for &r in &live_in {
            let values = &candidates[r as usize];
            assumed[r as usize] = Some(values[rest % values.len()]);
            rest /= values.len();
        }
        if let Some(table) = targets_assuming(image, jump, trail, assumed) {
            let inside = table.targets.iter().all(|t| near.contains(t));
            if table.bounded && table.complete && inside && table.targets.len() > best.len() {
                best = table.targets;
            }
        }
    }
    best
}

/// Per register, every constant `function` builds in it with `li`, or with
/// `auipc`/`lui` and an optional `addi`, wherever that is.
fn constant_candidates(function: &[(u64, Insn)]) -> Vec<Vec<u64>> {
    let mut out = vec![Vec::new(); 32];
    for (n, &(pc, first)) in function.iter().enumerate() {
        let value = match first.op {
            Op::Addi if first.rs1 == 0 => first.imm as u64,
            Op::Auipc | Op::Lui => {
                let base = if first.op == Op::Auipc {
                    pc.wrapping_add(first.imm as u64)
                } else {
                    first.imm as u64
                };
                match function.get(n + 1) {
                    Some(&(next, second))
                        if next == pc + first.len as u64
                            && second.op == Op::Addi
                            && second.rs1 == first.rd
                            && second.rd == first.rd =>
                    {
                        base.wrapping_add(second.imm as u64)
                    }
                    _ => base,
                }
            }
            _ => continue,
        };
        let slot = &mut out[first.rd as usize];
        if first.rd != 0 && !slot.contains(&value) && slot.len() < 8 {
            slot.push(value);
        }
    }
    out
}

/// A table read from the image.
struct Table {
    targets: Vec<u64>,
    /// The index's bound was found (so `complete` means something).
    bounded: bool,
    /// Every entry up to the bound pointed at code.
    complete: bool,
    /// Entries are offsets from the table's own address.
    self_relative: bool,
}

/// The table `jump` dispatches through, if registers the trail does not set
/// hold the constants `initial` says.
fn targets_assuming(
    image: &GuestImage,
    jump: &Insn,
    before: &[(u64, Insn)],
    initial: [Option<u64>; 32],
) -> Option<Table> {
    // Walk the straight-line code once, recording for every instruction
    // the constants known and the defining instruction of each register
    // just before it executes. Registers the trail does not set start
    // with their function-wide constant, if they have one (a table base
    // loaded once before a loop).
    let mut known = initial;
    known[0] = Some(0);
    let mut def_of: [Option<usize>; 32] = [None; 32];
    let mut snapshots: Vec<Snapshot> = Vec::with_capacity(before.len() + 1);
    for &(pc, i) in before {
        snapshots.push((known, def_of));
        let value = match i.op {
            Op::Auipc => Some(pc.wrapping_add(i.imm as u64)),
            Op::Lui => Some(i.imm as u64),
            Op::Addi => known[i.rs1 as usize].map(|v| v.wrapping_add(i.imm as u64)),
            _ => None,
        };
        if is_call(&i) {
            // The callee may change every caller-saved register.
            for r in CALLER_SAVED {
                def_of[r as usize] = None;
                known[r as usize] = None;
            }
        }
        if i.rd != 0 && writes_rd(i.op) {
            def_of[i.rd as usize] = Some(snapshots.len() - 1);
            known[i.rd as usize] = value;
        }
    }
    snapshots.push((known, def_of));
    // The instruction that defined `reg` as seen just before instruction
    // `at`, looking through register copies (`mv`, `sext.w`) as -O0 code has.
    let def = |mut at: usize, mut reg: u8| loop {
        let d = snapshots[at].1[reg as usize]?;
        let i = before[d].1;
        let is_copy =
            (matches!(i.op, Op::Addi | Op::Addiw) && i.imm == 0) || (i.op == Op::Add && i.rs1 == 0);
        if !is_copy {
            return Some((d, i));
        }
        (at, reg) = (d, if i.op == Op::Add { i.rs2 } else { i.rs1 });
    };
    let consts = |at: usize| snapshots[at].0;

    let (jd, jdef) = def(before.len(), jump.rs1)?;
    let code = |t: u64| image.is_code(t);
    // The load that reads the entry, and how an entry becomes a target.
    let (load_at, load, relative_to) = match jdef.op {
        // rX = entry + T, with T a known constant: relative entries.
        Op::Add => {
            let c = consts(jd);
            let (base, other) = match (c[jdef.rs1 as usize], c[jdef.rs2 as usize]) {
                (Some(t), None) => (t, jdef.rs2),
                (None, Some(t)) => (t, jdef.rs1),
                _ => return None,
            };
            match def(jd, other) {
                Some((ld, l)) if matches!(l.op, Op::Lw | Op::Lwu | Op::Ld) => (ld, l, Some(base)),
                _ => return None,
            }
        }
        // rX = *(T + i*w + off): absolute entries.
        Op::Ld | Op::Lw | Op::Lwu => (jd, jdef, None),
        _ => return None,
    };
    // The load address is T' + (index << shift) with T' a known constant.
    let (ad, addr_def) = def(load_at, load.rs1)?;
    let c = consts(ad);
    let table_and_index = match addr_def.op {
        // T' + (index << k), the shift done by an earlier `slli`.
        Op::Add => match (c[addr_def.rs1 as usize], c[addr_def.rs2 as usize]) {
            (Some(t), None) => Some((t, Scaled::By(addr_def.rs2))),
            (None, Some(t)) => Some((t, Scaled::By(addr_def.rs1))),
            _ => None,
        },
        // Zba: `shNadd rd, index, T'` shifts and adds in one.
        Op::Sh1add | Op::Sh2add | Op::Sh3add | Op::Sh1addUw | Op::Sh2addUw | Op::Sh3addUw => {
            c[addr_def.rs2 as usize].map(|t| (t, Scaled::Index(addr_def.rs1)))
        }
        _ => None,
    };
    let (table, scaled) = table_and_index?;
    let table = table.wrapping_add(load.imm as u64);
    let width = if load.op == Op::Ld { 8 } else { 4 };
    let bound = index_bound(&before[..ad], scaled, initial);
    let count = bound.unwrap_or(MAX_ENTRIES).min(MAX_ENTRIES);
    let decode_entry = |e: u64| match (relative_to, width) {
        (Some(base), 4) => base.wrapping_add(e as u32 as i32 as i64 as u64),
        (Some(base), _) => base.wrapping_add(e),
        (None, 4) if load.op == Op::Lw => e as u32 as i32 as i64 as u64,
        (None, _) => e,
    };
    let targets = read_entries(image, table, width, count, decode_entry, code);
    Some(Table {
        complete: targets.len() == count,
        bounded: bound.is_some(),
        self_relative: relative_to == Some(table),
        targets,
    })
}

/// ra, t0-t6, a0-a7: what a call may change (the standard calling convention).
pub(super) const CALLER_SAVED: [u8; 16] =
    [1, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 28, 29, 30, 31];

fn is_call(i: &Insn) -> bool {
    matches!(i.op, Op::Jal | Op::Jalr) && (i.rd == 1 || i.rd == 5)
}

/// Registers that hold one constant throughout `function` (its
/// instructions in address order): every write to the register is part of
/// one `auipc`/`lui`/`addi` sequence, apart from the epilogue's reload of a
/// callee-saved register from the stack slot the prologue saved it to.
fn function_constants(function: &[(u64, Insn)]) -> [Option<u64>; 32] {
    const SP: u8 = 2;
    let saved = |r: u8, off: i64| {
        function
            .iter()
            .any(|(_, s)| s.op == Op::Sd && s.rs1 == SP && s.rs2 == r && s.imm == off)
    };
    let mut known: [Option<u64>; 32] = [None; 32];
    // Per register: the address of its first write and its last value.
    let mut writes: [Option<(u64, Option<u64>)>; 32] = [None; 32];
    let mut spoiled = [false; 32];
    let mut expected_pc = None;
    for &(pc, i) in function {
        if expected_pc != Some(pc) {
            known = [None; 32];
        }
        expected_pc = Some(pc + i.len as u64);
        if i.rd == 0 || !writes_rd(i.op) {
            continue;
        }
        let rd = i.rd as usize;
        if i.op == Op::Ld && i.rs1 == SP && saved(i.rd, i.imm) {
            known[rd] = None;
            continue;
        }
        let value = match i.op {
            Op::Auipc => Some(pc.wrapping_add(i.imm as u64)),
            Op::Lui => Some(i.imm as u64),
            Op::Addi if i.rs1 == 0 => Some(i.imm as u64),
            Op::Addi => known[i.rs1 as usize].map(|v| v.wrapping_add(i.imm as u64)),
            _ => None,
        };
        known[rd] = value;
        match writes[rd] {
            // A constant is built by at most two adjacent instructions.
            Some((first, _)) if pc > first + 8 || value.is_none() => spoiled[rd] = true,
            Some((first, _)) => writes[rd] = Some((first, value)),
            None if value.is_none() => spoiled[rd] = true,
            None => writes[rd] = Some((pc, value)),
        }
    }
    let mut out = [None; 32];
    for r in 1..32 {
        if !spoiled[r] {
            out[r] = writes[r].and_then(|(_, v)| v);
        }
    }
    out
}

/// How the table index reaches the load address.
#[derive(Clone, Copy)]
enum Scaled {
    /// This register holds the index already scaled (by an `slli`).
    By(u8),
    /// This register is the index itself (scaled by the add, as Zba does).
    Index(u8),
}

/// How many entries the table can have, from the bounds check on the index
/// before it is scaled: `andi i, x, mask` or a branch that skips the table
/// when the index is too large.
fn index_bound(
    before: &[(u64, Insn)],
    scaled: Scaled,
    mut known: [Option<u64>; 32],
) -> Option<usize> {
    let (pos, index) = match scaled {
        Scaled::Index(index) => (before.len(), index),
        // The index is scaled by `slli i, 2|3`, or zero-extended and scaled
        // in one go by `slli t, i, 32; srli s, t, 30|29`.
        Scaled::By(scaled) => {
            let mut pos = before
                .iter()
                .rposition(|(_, i)| i.rd == scaled && matches!(i.op, Op::Slli | Op::Srli))?;
            if before[pos].1.op == Op::Srli {
                let wide = before[pos].1.rs1;
                pos = before[..pos]
                    .iter()
                    .rposition(|(_, i)| i.rd == wide && i.op == Op::Slli && i.imm == 32)?;
            }
            (pos, before[pos].1.rs1)
        }
    };
    known[0] = Some(0);
    let mut bound = None;
    // Registers holding a copy of the index (`sext.w`, `mv`), as compilers
    // often check the copy.
    let mut copies: u32 = 1 << index;
    let is_index = |copies: u32, r: u8| r != 0 && copies & (1 << r) != 0;
    for (_, i) in &before[..pos] {
        match i.op {
            Op::Andi if i.rd == index => bound = Some(i.imm as u64 as usize + 1),
            // Falling through means: index <= K (bltu K, i) or index < K (bgeu i, K).
            Op::Bltu if is_index(copies, i.rs2) => {
                bound = known[i.rs1 as usize].map(|k| k as usize + 1).or(bound)
            }
            Op::Bgeu if is_index(copies, i.rs1) => {
                bound = known[i.rs2 as usize].map(|k| k as usize).or(bound)
            }
            _ => {}
        }
        if i.rd != 0 && i.rd != index && writes_rd(i.op) {
            let copy =
                matches!(i.op, Op::Addi | Op::Addiw) && i.imm == 0 && is_index(copies, i.rs1);
            if copy {
                copies |= 1 << i.rd;
            } else {
                copies &= !(1 << i.rd);
            }
        }
        if is_call(i) {
            for r in CALLER_SAVED {
                known[r as usize] = None;
            }
        }
        if i.rd != 0 && writes_rd(i.op) {
            known[i.rd as usize] = match i.op {
                Op::Addi => known[i.rs1 as usize].map(|v| v.wrapping_add(i.imm as u64)),
                Op::Lui => Some(i.imm as u64),
                _ => None,
            };
        }
    }
    bound
}

pub(super) fn writes_rd(op: Op) -> bool {
    !matches!(
        op,
        Op::Sb
            | Op::Sh
            | Op::Sw
            | Op::Sd
            | Op::Fsw
            | Op::Fsd
            | Op::Beq
            | Op::Bne
            | Op::Blt
            | Op::Bge
            | Op::Bltu
            | Op::Bgeu
            | Op::Fence
            | Op::FenceI
            | Op::Ecall
            | Op::Ebreak
    ) && !matches!(
        op,
        Op::Flw
            | Op::Fld
            | Op::Fmadd
            | Op::Fmsub
            | Op::Fnmsub
            | Op::Fnmadd
            | Op::Fadd
            | Op::Fsub
            | Op::Fmul
            | Op::Fdiv
            | Op::Fsqrt
            | Op::Fsgnj
            | Op::Fsgnjn
            | Op::Fsgnjx
            | Op::Fmin
            | Op::Fmax
            | Op::FcvtFF
            | Op::FcvtFI
            | Op::FmvFX
    )
}

/// Reads entries of `width` bytes at `table` while each maps (through
/// `target`) to code.
fn read_entries(
    image: &GuestImage,
    table: u64,
    width: usize,
    count: usize,
    target: impl Fn(u64) -> u64,
    is_code: impl Fn(u64) -> bool,
) -> Vec<u64> {
    let mut out = Vec::new();
    for i in 0..count {
        let Some(bytes) = image.read_bytes(table + (i * width) as u64, width) else {
            break;
        };
        let raw = if width == 8 {
            u64::from_le_bytes(bytes.try_into().unwrap())
        } else {
            u32::from_le_bytes(bytes.try_into().unwrap()) as u64
        };
        let t = target(raw);
        if !is_code(t) || !t.is_multiple_of(2) {
            break;
        }
        out.push(t);
    }
    out
}
