//! Code discovery: which guest addresses are code, how they group into
//! functions and basic blocks, and which addresses the dispatcher must be
//! able to enter. Discovery is architecture-neutral; it only needs each
//! instruction's length and static control flow.

use crate::arch::{Arch, Decoded, Flow, Unsupported};
use crate::elf::GuestImage;
use std::collections::{BTreeMap, BTreeSet};

/// A guest function as lifted: one LLVM function.
#[derive(Clone, Debug)]
pub struct Function {
    pub start: u64,
    /// Basic-block leaders, sorted.
    pub blocks: Vec<u64>,
    /// Addresses at which the dispatcher (or a caller whose return address
    /// did not match) may enter this function: its start, every return
    /// site of a call it makes, and its labels.
    pub entries: Vec<u64>,
    /// Addresses inside the function that are stored in data (computed-goto
    /// labels): possible targets of its indirect jumps.
    pub labels: Vec<u64>,
}

/// Everything discovery learned about the program.
pub struct Program<I> {
    /// Every decoded address (some may be shared by several functions).
    pub insns: BTreeMap<u64, Result<Decoded<I>, Unsupported>>,
    pub functions: Vec<Function>,
    /// Targets recovered for indirect jumps (jump tables), by jump address.
    pub jump_tables: BTreeMap<u64, Vec<u64>>,
    /// Instructions inside functions that could not be decoded.
    pub unsupported: Vec<(u64, Unsupported)>,
}

struct Decoder<'a, A: Arch> {
    arch: &'a A,
    image: &'a GuestImage,
    insns: BTreeMap<u64, Result<Decoded<A::Insn>, Unsupported>>,
    jump_tables: BTreeMap<u64, Vec<u64>>,
}

/// How many straight-line instructions before an indirect jump the
/// architecture sees when it looks for a jump table.
const JUMP_TABLE_WINDOW: usize = 32;

impl<A: Arch> Decoder<'_, A> {
    fn get(&mut self, pc: u64) -> Option<&Result<Decoded<A::Insn>, Unsupported>> {
        if !self.insns.contains_key(&pc) {
            let bytes = self.image.code_bytes(pc)?;
            let decoded = self.arch.decode(bytes, pc);
            self.insns.insert(pc, decoded);
        }
        self.insns.get(&pc)
    }
}

/// Successors of one instruction inside its function, plus call targets.
fn successors(
    pc: u64,
    len: u64,
    flow: Flow,
    is_tail_call: impl Fn(u64) -> bool,
    calls: &mut Vec<u64>,
) -> Vec<u64> {
    let next = pc + len;
    match flow {
        Flow::Next | Flow::Syscall => vec![next],
        Flow::Jump { target } if is_tail_call(target) => vec![],
        Flow::Jump { target } => vec![target],
        Flow::Branch { target } => vec![target, next],
        Flow::Call { target } => {
            calls.push(target);
            vec![next]
        }
        Flow::IndirectCall => vec![next],
        Flow::IndirectJump | Flow::Return | Flow::Stop => vec![],
    }
}

/// Asks the architecture for the jump table behind the indirect jump at `pc`.
fn jump_table<A: Arch>(dec: &mut Decoder<A>, start: u64, pc: u64, trail: &[u64]) -> Vec<u64> {
    // A table found from one path is final; an empty result may come from
    // a path with a shorter trail (a label just before the jump), so
    // another path tries again.
    if let Some(t) = dec.jump_tables.get(&pc).filter(|t| !t.is_empty()) {
        return t.clone();
    }
    let Some(Ok(jump)) = dec.insns.get(&pc) else {
        return Vec::new();
    };
    let jump = jump.insn.clone();
    let before: Vec<(u64, A::Insn)> = trail
        .iter()
        .filter_map(|&a| {
            dec.insns
                .get(&a)
                .and_then(|d| d.as_ref().ok())
                .map(|d| (a, d.insn.clone()))
        })
        .collect();
    // The function around the jump, in address order: its FDE's range if it
    // has one, else from its start to the jump.
    let (lo, hi) = dec
        .image
        .unwind
        .functions
        .iter()
        .find(|&&(lo, hi)| lo <= pc && pc < hi)
        .copied()
        .unwrap_or((start, pc + 1));
    let mut function = Vec::new();
    let mut at = lo.min(start);
    while at < hi && function.len() < 1 << 16 {
        match dec.get(at) {
            Some(Ok(d)) => {
                let len = d.len;
                function.push((at, d.insn.clone()));
                at += len;
            }
            Some(Err(_)) => at += dec.arch.insn_align(),
            None => break,
        }
    }
    let mut targets: Vec<u64> = dec
        .arch
        .jump_table_targets(dec.image, pc, &jump, &before, &function);
    // Tables are read until they stop pointing at code; also stop at the
    // first entry that does not decode, which is past the table's end.
    if let Some(bad) = targets.iter().position(|&t| {
        !(dec.image.is_code(t)
            && t % dec.arch.insn_align() == 0
            && t >= start
            && on_boundary(dec, start, t)
            && decodes_cleanly(dec, t))
    }) {
        targets.truncate(bad);
    }
    targets.sort();
    targets.dedup();
    if std::env::var_os("ELFCONV2_DEBUG_JUMP_TABLES").is_some() {
        eprintln!(
            "jump table at {pc:#x} (trail {}): {:x?}",
            before.len(),
            targets
        );
    }
    dec.jump_tables.insert(pc, targets.clone());
    targets
}

/// Code addresses stored in data: aligned 64-bit words outside code whose
/// value is a code address. They are function pointers or, when they point
/// inside a function, computed-goto labels.
fn code_pointers(image: &GuestImage, align: u64) -> BTreeSet<u64> {
    let mut out = BTreeSet::new();
    for seg in &image.segments {
        let base = seg.vaddr;
        let first = (((base + 7) & !7) - base) as usize;
        let words: Vec<(u64, u64)> = seg.data[first.min(seg.data.len())..]
            .chunks_exact(8)
            .enumerate()
            .map(|(i, w)| {
                let at = base + (first + 8 * i) as u64;
                (at, u64::from_le_bytes(w.try_into().unwrap()))
            })
            .collect();
        // Pointers to two different instructions differ by at least the
        // instruction alignment. A word whose neighbour is closer (a table
        // counting 0x1d400, 0x1d401, ... in glibc's read-only data) is a
        // number, not a code pointer.
        let counting = |i: usize| {
            let v = words[i].1;
            let near = |j: usize| {
                words
                    .get(j)
                    .is_some_and(|&(_, w)| w != v && w.abs_diff(v) < align)
            };
            near(i + 1) || (i > 0 && near(i - 1))
        };
        for (i, &(at, v)) in words.iter().enumerate() {
            if !image.is_code(at) && v % align == 0 && image.is_code(v) && !counting(i) {
                out.insert(v);
            }
        }
    }
    out
}

/// Is `target` an instruction boundary when the code from `start` (the
/// function containing it) is decoded linearly? Rejects values that merely
/// look like code addresses. Compilers keep no data inside functions on the
/// architectures we support, so a linear sweep finds every boundary.
fn on_boundary<A: Arch>(dec: &Decoder<A>, start: u64, target: u64) -> bool {
    let mut pc = start;
    while pc < target {
        let Some(bytes) = dec.image.code_bytes(pc) else {
            return false;
        };
        pc += dec.arch.insn_len(bytes);
    }
    pc == target
}

/// Does straight-line code at `pc` decode cleanly up to its first control transfer?
fn decodes_cleanly<A: Arch>(dec: &mut Decoder<A>, mut pc: u64) -> bool {
    for _ in 0..64 {
        match dec.get(pc) {
            Some(Ok(d)) if d.flow == Flow::Next => pc += d.len,
            Some(Ok(_)) => return true,
            _ => return false,
        }
    }
    true
}

/// Walks one function from `start` (and its `labels`). Returns visited
/// instruction addresses and the direct call targets found.
fn walk<A: Arch>(
    dec: &mut Decoder<A>,
    start: u64,
    labels: &[u64],
    tail_targets: &BTreeSet<u64>,
    extent: (u64, u64),
) -> Walked {
    let mut seen = BTreeSet::new();
    let mut calls = Vec::new();
    let mut outside = Vec::new();
    // Each work item carries the straight-line instructions that led to it.
    // A stack: the start goes last so it is walked first, giving the
    // longest straight-line trails.
    let mut work: Vec<(u64, Vec<u64>)> = labels
        .iter()
        .copied()
        .chain(std::iter::once(start))
        .map(|a| (a, Vec::new()))
        .collect();
    while let Some((pc, trail)) = work.pop() {
        if !seen.insert(pc) {
            continue;
        }
        let (len, flow) = match dec.get(pc) {
            Some(Ok(d)) => (d.len, d.flow),
            Some(Err(_)) => continue,
            None => {
                seen.remove(&pc);
                continue;
            }
        };
        // A jump to the function's own start is a loop, not a tail call.
        let is_tail_call = |t: u64| t != start && tail_targets.contains(&t);
        let mut next = successors(pc, len, flow, is_tail_call, &mut calls);
        if flow == Flow::IndirectJump {
            next.extend(jump_table(dec, start, pc, &trail));
        }
        for s in next {
            if s < extent.0 || s >= extent.1 {
                // Control leaves the function's extent (a jump into another
                // function's body): it leaves through the dispatcher.
                outside.push(s);
                continue;
            }
            if dec.image.is_code(s) {
                // Straight-line code continues through fall-throughs, including
                // the not-taken side of a branch (where bounds checks live).
                // Calls too: callee-saved registers (a table base) survive
                // them; the architecture forgets the others at a call.
                let straight = matches!(
                    flow,
                    Flow::Next | Flow::Branch { .. } | Flow::Call { .. } | Flow::IndirectCall
                );
                let trail = if straight && s == pc + len {
                    let mut t = trail.clone();
                    t.push(pc);
                    if t.len() > JUMP_TABLE_WINDOW {
                        t.remove(0);
                    }
                    t
                } else {
                    Vec::new()
                };
                work.push((s, trail));
            }
        }
    }
    Walked {
        seen,
        calls,
        outside,
    }
}

/// What one walk of a function found.
struct Walked {
    /// Instruction addresses of the function.
    seen: BTreeSet<u64>,
    /// Direct call targets.
    calls: Vec<u64>,
    /// Targets of control transfers leaving the function's extent.
    outside: Vec<u64>,
}

/// Every instruction boundary of a linear sweep over the code ranges.
/// Compilers keep no data inside code on the architectures we support, so
/// a true instruction start is always one of these; a value that merely
/// looks like a code address usually is not.
struct Boundaries {
    /// Per code range: its start and one flag per alignment unit.
    ranges: Vec<(u64, Vec<bool>)>,
    align: u64,
}

impl Boundaries {
    fn sweep<A: Arch>(arch: &A, image: &GuestImage) -> Boundaries {
        let align = arch.insn_align();
        let ranges = image
            .code_ranges
            .iter()
            .map(|&(lo, hi)| {
                let mut flags = vec![false; ((hi - lo) / align) as usize + 1];
                let mut pc = lo;
                while let Some(bytes) = image.code_bytes(pc).filter(|_| pc < hi) {
                    flags[((pc - lo) / align) as usize] = true;
                    pc += arch.insn_len(bytes);
                }
                (lo, flags)
            })
            .collect();
        Boundaries { ranges, align }
    }

    fn contains(&self, a: u64) -> bool {
        a.is_multiple_of(self.align)
            && self.ranges.iter().any(|(lo, flags)| {
                a >= *lo && flags.get(((a - lo) / self.align) as usize) == Some(&true)
            })
    }
}

/// The starts whose function can return: some path from the start reaches
/// a return, where a call continues only if its callee can return and a
/// jump to another start is a tail call that returns if that start can.
/// Walked bodies run on past every call, so a body can hold another
/// function's code after a call that never returns (`__assert_fail`'s walk
/// runs into `__dcgettext`, which returns); following only the calls that
/// come back keeps that code out. An unknown callee or an indirect jump
/// without a table is taken to return (a callee we cannot see may).
fn returning_starts<A: Arch>(
    dec: &Decoder<A>,
    bodies: &BTreeMap<u64, BTreeSet<u64>>,
) -> BTreeSet<u64> {
    let mut returns = BTreeSet::new();
    loop {
        let mut changed = false;
        for (&f, body) in bodies {
            if !returns.contains(&f) && can_return(dec, bodies, &returns, f, body) {
                returns.insert(f);
                changed = true;
            }
        }
        if !changed {
            return returns;
        }
    }
}

/// Can a call to `callee` come back, given the starts known to return? A
/// callee that is not a walked start is one we cannot see: it may.
fn callee_returns(
    bodies: &BTreeMap<u64, BTreeSet<u64>>,
    returns: &BTreeSet<u64>,
    callee: u64,
) -> bool {
    !bodies.contains_key(&callee) || returns.contains(&callee)
}

/// One step of [`returning_starts`]: can `f` return, given `returns`?
fn can_return<A: Arch>(
    dec: &Decoder<A>,
    bodies: &BTreeMap<u64, BTreeSet<u64>>,
    returns: &BTreeSet<u64>,
    f: u64,
    body: &BTreeSet<u64>,
) -> bool {
    let callee_returns = |c| callee_returns(bodies, returns, c);
    let mut seen = BTreeSet::new();
    let mut work = vec![f];
    while let Some(pc) = work.pop() {
        if !body.contains(&pc) || !seen.insert(pc) {
            continue;
        }
        let Some(Ok(d)) = dec.insns.get(&pc) else {
            continue;
        };
        let next = pc + d.len;
        match d.flow {
            Flow::Return => return true,
            Flow::Next | Flow::Syscall | Flow::IndirectCall => work.push(next),
            Flow::Branch { target } => work.extend([target, next]),
            Flow::Jump { target } if target != f && bodies.contains_key(&target) => {
                if returns.contains(&target) {
                    return true;
                }
            }
            Flow::Jump { target } => work.push(target),
            Flow::Call { target } => {
                if callee_returns(target) {
                    work.push(next);
                }
            }
            Flow::IndirectJump => match dec.jump_tables.get(&pc) {
                Some(t) if !t.is_empty() => work.extend(t.iter().copied()),
                _ => return true,
            },
            Flow::Stop => {}
        }
    }
    false
}

/// Does the walked `body` reach `a` from inside: by a jump, a branch, a
/// jump-table entry, by falling through, or as the return site of a call
/// that comes back? A direct call's return site counts only if the callee
/// can return (see [`returning_starts`], which gives `returns`): a call to
/// an error function that never returns often ends a function, and the
/// next function follows it. An indirect call's callee is unknown; its
/// return site counts.
fn reaches<A: Arch>(
    dec: &Decoder<A>,
    bodies: &BTreeMap<u64, BTreeSet<u64>>,
    returns: &BTreeSet<u64>,
    body: &BTreeSet<u64>,
    a: u64,
) -> bool {
    let callee_returns = |c| callee_returns(bodies, returns, c);
    body.contains(&a)
        && body.iter().any(|&pc| {
            let Some(Ok(d)) = dec.insns.get(&pc) else {
                return false;
            };
            let falls_through = pc + d.len == a;
            match d.flow {
                Flow::Next | Flow::Syscall | Flow::IndirectCall => falls_through,
                Flow::Branch { target } => falls_through || target == a,
                Flow::Jump { target } => target == a,
                Flow::Call { target } => falls_through && callee_returns(target),
                Flow::IndirectJump => dec.jump_tables.get(&pc).is_some_and(|t| t.contains(&a)),
                Flow::Return | Flow::Stop => false,
            }
        })
}

/// Judges the functions started by weak evidence again, now that every body
/// is known. Weak evidence is judged as it turns up, and a computed-goto
/// label can turn up before its function does: Lua's interpreter loop is
/// called only from functions found through function pointers, so the
/// labels in its dispatch table are judged in the same round as those
/// pointers, before the loop itself is walked, and each would start a
/// function of its own. So a start from weak evidence that lies in the body
/// of the nearest start before it (a function's labels follow its start)
/// becomes a label of that function, and so do its own labels. Its code
/// needs no new walk: the body that contains the start contains everything
/// reachable from it too, since pass-1 walks do not stop at other starts.
/// Ascending order lets a run of such starts (a whole dispatch table) fold
/// into one function.
fn relabel_weak_starts<A: Arch>(
    dec: &Decoder<A>,
    starts: &mut BTreeSet<u64>,
    strong: &BTreeSet<u64>,
    labels: &mut BTreeMap<u64, BTreeSet<u64>>,
    bodies: &BTreeMap<u64, BTreeSet<u64>>,
) {
    let weak_starts: Vec<u64> = starts.difference(strong).copied().collect();
    let returns = returning_starts(dec, bodies);
    for a in weak_starts {
        let Some(&owner) = starts.range(..a).next_back() else {
            continue;
        };
        if !bodies
            .get(&owner)
            .is_some_and(|b| reaches(dec, bodies, &returns, b, a))
        {
            continue;
        }
        starts.remove(&a);
        let moved = labels.remove(&a).unwrap_or_default();
        let owner_labels = labels.entry(owner).or_default();
        owner_labels.insert(a);
        owner_labels.extend(moved);
    }
}

/// Discovers the code reachable from the entry point, the unwind tables,
/// code addresses stored in data and code addresses formed by code.
/// Symbols are never read, so a stripped binary gives the same program.
pub fn discover<A: Arch>(arch: &A, image: &GuestImage) -> Program<A::Insn> {
    let mut dec = Decoder {
        arch,
        image,
        insns: BTreeMap::new(),
        jump_tables: BTreeMap::new(),
    };
    let boundaries = Boundaries::sweep(arch, image);
    let fdes = &image.unwind.functions;
    // The FDE range strictly containing `a` (not starting at it).
    let fde_around = |a: u64| {
        let i = fdes.partition_point(|&(lo, _)| lo < a);
        i.checked_sub(1)
            .map(|i| fdes[i])
            .filter(|&(lo, hi)| lo < a && a < hi)
    };

    // Pass 1: find the functions. Strong evidence makes a function start
    // right away: the entry point, FDEs and direct call targets. Weak
    // evidence (code pointers in data, addresses formed in code) is judged
    // once the strong functions are walked: an address a walked body
    // reaches (see `reaches`) is a label of that function (a computed-goto
    // target, or a number that merely looks like an address: a harmless
    // extra entry), never a reason to split it. Landing pads are labels of
    // their FDE's function. A weak address no body reaches yet starts a
    // function provisionally, and is judged again once discovery is
    // complete (`relabel_weak_starts`).
    let mut starts: BTreeSet<u64> = BTreeSet::new();
    let mut labels: BTreeMap<u64, BTreeSet<u64>> = BTreeMap::new();
    let mut bodies: BTreeMap<u64, BTreeSet<u64>> = BTreeMap::new();
    let mut work: Vec<u64> = std::iter::once(image.entry)
        .chain(fdes.iter().map(|&(lo, _)| lo))
        .filter(|&a| boundaries.contains(a))
        .collect();
    starts.extend(work.iter().copied());
    // The starts backed by strong evidence; the others came from weak evidence.
    let mut strong: BTreeSet<u64> = starts.clone();
    let mut weak: Vec<u64> = image
        .unwind
        .landing_pads
        .iter()
        .copied()
        .chain(code_pointers(image, arch.insn_align()))
        .collect();
    let empty = BTreeSet::new();
    loop {
        while let Some(f) = work.pop() {
            let own: Vec<u64> = labels.get(&f).into_iter().flatten().copied().collect();
            let walked = walk(&mut dec, f, &own, &empty, (0, u64::MAX));
            let run: Vec<(u64, A::Insn)> = walked
                .seen
                .iter()
                .filter_map(|&pc| match dec.insns.get(&pc) {
                    Some(Ok(d)) => Some((pc, d.insn.clone())),
                    _ => None,
                })
                .collect();
            for c in walked.calls {
                if boundaries.contains(c) {
                    strong.insert(c);
                    if starts.insert(c) {
                        work.push(c);
                    }
                }
            }
            weak.extend(arch.formed_addresses(&run));
            bodies.insert(f, walked.seen);
        }
        if weak.is_empty() {
            relabel_weak_starts(&dec, &mut starts, &strong, &mut labels, &bodies);
            break;
        }
        let returns = returning_starts(&dec, &bodies);
        for a in std::mem::take(&mut weak) {
            if starts.contains(&a) || !boundaries.contains(a) || !decodes_cleanly(&mut dec, a) {
                continue;
            }
            let by_address = starts.range(..=a).next_back().copied();
            let owner = fde_around(a)
                .map(|(f, _)| f)
                .filter(|f| starts.contains(f))
                .or(by_address.filter(|f| {
                    bodies
                        .get(f)
                        .is_some_and(|b| reaches(&dec, &bodies, &returns, b, a))
                }))
                .or_else(|| {
                    bodies
                        .iter()
                        .find(|(_, b)| reaches(&dec, &bodies, &returns, b, a))
                        .map(|(&f, _)| f)
                });
            match owner {
                Some(f) => {
                    if labels.entry(f).or_default().insert(a) {
                        work.push(f);
                    }
                }
                None => {
                    starts.insert(a);
                    work.push(a);
                }
            }
        }
    }
    // Pass 2: function bodies. A function's extent runs to the next start;
    // a jump to another function's start is a tail call, and a jump into
    // another function's body makes that address an entry of that function
    // (reached through the dispatcher), never a copy of its code.
    let extent_of = |f: u64| (f, starts.range(f + 1..).next().copied().unwrap_or(u64::MAX));
    let containing = |a: u64| starts.range(..=a).next_back().copied();
    let mut extra_roots: BTreeMap<u64, BTreeSet<u64>> = BTreeMap::new();
    for (f, ls) in &labels {
        extra_roots
            .entry(*f)
            .or_default()
            .extend(ls.iter().copied());
    }
    let mut walks: BTreeMap<u64, Walked> = BTreeMap::new();
    let mut work: Vec<u64> = starts.iter().copied().collect();
    while let Some(start) = work.pop() {
        let roots: Vec<u64> = extra_roots
            .get(&start)
            .into_iter()
            .flatten()
            .copied()
            .collect();
        let walked = walk(&mut dec, start, &roots, &starts, extent_of(start));
        for &t in &walked.outside {
            if starts.contains(&t) || !image.is_code(t) {
                continue;
            }
            if let Some(g) = containing(t) {
                if extra_roots.entry(g).or_default().insert(t) {
                    work.push(g);
                }
            }
        }
        walks.insert(start, walked);
    }

    // Every label of every function: a computed goto's base label is owned
    // by the FDE's start, which can differ from the start whose extent
    // holds the jump (a function split in two by a start inside its FDE).
    let all_labels: BTreeSet<u64> = labels.values().flatten().copied().collect();
    let mut functions = Vec::new();
    for &start in &starts {
        let own_labels: Vec<u64> = labels.get(&start).into_iter().flatten().copied().collect();
        let roots = extra_roots.get(&start).cloned().unwrap_or_default();
        let seen = &walks[&start].seen;
        if seen.is_empty() {
            continue;
        }
        let mut leaders: BTreeSet<u64> = std::iter::once(start)
            .chain(roots.iter().copied())
            .collect();
        let mut entries = leaders.clone();
        for &pc in seen {
            let Some(Ok(d)) = dec.insns.get(&pc) else {
                continue;
            };
            let next = pc + d.len;
            match d.flow {
                Flow::Next => {}
                Flow::Jump { target } | Flow::Branch { target } => {
                    leaders.insert(target);
                    leaders.insert(next);
                }
                // Return sites are entries: after a call returns somewhere
                // unexpected (longjmp), or after a syscall that ran a
                // signal handler, the dispatcher resumes here.
                Flow::Call { .. } | Flow::IndirectCall | Flow::Syscall => {
                    leaders.insert(next);
                    entries.insert(next);
                }
                Flow::IndirectJump => {
                    leaders.insert(next);
                    leaders.extend(dec.jump_tables.get(&pc).into_iter().flatten().copied());
                }
                Flow::Return | Flow::Stop => {
                    leaders.insert(next);
                }
            }
        }
        let blocks: Vec<u64> = leaders.into_iter().filter(|a| seen.contains(a)).collect();
        // A computed goto we could not resolve (labels lie in the function's
        // body, and an indirect jump has no table): its targets are
        // unknown, so every block must be enterable from the dispatcher.
        let takes_labels = !own_labels.is_empty() || all_labels.iter().any(|l| seen.contains(l));
        let unresolved_goto = takes_labels
            && seen.iter().any(|pc| {
                matches!(dec.insns.get(pc), Some(Ok(d)) if d.flow == Flow::IndirectJump)
                    && dec.jump_tables.get(pc).is_none_or(|t| t.is_empty())
            });
        if unresolved_goto {
            entries.extend(blocks.iter().copied());
        }
        let entries: Vec<u64> = entries.into_iter().filter(|a| seen.contains(a)).collect();
        functions.push(Function {
            start,
            blocks,
            entries,
            labels: own_labels,
        });
    }
    let mut unsupported: BTreeMap<u64, Unsupported> = BTreeMap::new();
    for w in walks.values() {
        for pc in &w.seen {
            if let Some(Err(e)) = dec.insns.get(pc) {
                unsupported.insert(*pc, e.clone());
            }
        }
    }
    if let Some(addr) = std::env::var("ELFCONV2_DEBUG_ADDR")
        .ok()
        .and_then(|v| u64::from_str_radix(v.trim_start_matches("0x"), 16).ok())
    {
        for f in &functions {
            let (b, e) = (f.blocks.contains(&addr), f.entries.contains(&addr));
            let body = walks.get(&f.start).is_some_and(|w| w.seen.contains(&addr));
            if b || e || body || f.start == addr {
                eprintln!(
                    "{addr:#x}: function {:#x} (extent to {:x?}): block {b}, entry {e}, body {body}",
                    f.start,
                    starts.range(f.start + 1..).next()
                );
            }
        }
        let containing = starts.range(..=addr).next_back();
        eprintln!("{addr:#x}: containing start {containing:x?}");
        if let Some(c) = containing {
            let own = labels.get(c).map_or(0, |l| l.len());
            eprintln!("  strong start: {}, own labels: {own}", strong.contains(c));
            if let Some(w) = walks.get(c) {
                let inside = all_labels.iter().filter(|l| w.seen.contains(l)).count();
                eprintln!("  labels (of any function) in its body: {inside}");
                for pc in &w.seen {
                    if matches!(dec.insns.get(pc), Some(Ok(d)) if d.flow == Flow::IndirectJump) {
                        eprintln!(
                            "  indirect jump {pc:#x}: table {:x?}",
                            dec.jump_tables.get(pc).map(|t| t.len())
                        );
                    }
                }
            }
        }
    }
    Program {
        insns: dec.insns,
        functions,
        jump_tables: dec.jump_tables,
        unsupported: unsupported.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    //! Discovery on small synthetic riscv64 images: hand-encoded code at 0x10000, data words at
    //! 0x20000, no unwind tables (like C code built without `-fasynchronous-unwind-tables`).
    use super::*;
    use crate::elf::{GuestArch, Segment};
    use crate::riscv::Riscv64;

    const CODE: u64 = 0x10000;
    const CODE_END: u64 = 0x10100;
    const DATA: u64 = 0x20000;

    const ZERO: u32 = 0;
    const RA: u32 = 1;
    const A0: u32 = 10;
    const A5: u32 = 15;
    const S4: u32 = 20;

    fn i_type(opcode: u32, funct3: u32, rd: u32, rs1: u32, imm: i32) -> u32 {
        ((imm as u32 & 0xfff) << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode
    }
    fn addi(rd: u32, rs1: u32, imm: i32) -> u32 {
        i_type(0x13, 0, rd, rs1, imm)
    }
    fn andi(rd: u32, rs1: u32, imm: i32) -> u32 {
        i_type(0x13, 7, rd, rs1, imm)
    }
    fn slli(rd: u32, rs1: u32, shift: i32) -> u32 {
        i_type(0x13, 1, rd, rs1, shift)
    }
    fn ld(rd: u32, rs1: u32, imm: i32) -> u32 {
        i_type(0x03, 3, rd, rs1, imm)
    }
    fn jalr(rd: u32, rs1: u32, imm: i32) -> u32 {
        i_type(0x67, 0, rd, rs1, imm)
    }
    fn ret() -> u32 {
        jalr(ZERO, RA, 0)
    }
    fn add(rd: u32, rs1: u32, rs2: u32) -> u32 {
        (rs2 << 20) | (rs1 << 15) | (rd << 7) | 0x33
    }
    fn auipc(rd: u32, offset: i32) -> u32 {
        (offset as u32 & 0xffff_f000) | (rd << 7) | 0x17
    }
    /// `jal rd, target` for the instruction at `pc`.
    fn jal(rd: u32, pc: u64, target: u64) -> u32 {
        let o = target.wrapping_sub(pc) as u32;
        (((o >> 20) & 1) << 31)
            | (((o >> 1) & 0x3ff) << 21)
            | (((o >> 11) & 1) << 20)
            | (((o >> 12) & 0xff) << 12)
            | (rd << 7)
            | 0x6f
    }

    /// An image whose code is `code` (address, instruction) with `nop`s in between, entered at
    /// `CODE`, and whose data segment holds the 64-bit words `data`.
    fn image(code: &[(u64, u32)], data: &[u64]) -> GuestImage {
        let nop = addi(ZERO, ZERO, 0);
        let mut words = vec![nop; ((CODE_END - CODE) / 4) as usize];
        for &(at, insn) in code {
            words[((at - CODE) / 4) as usize] = insn;
        }
        let text: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        let data: Vec<u8> = data.iter().flat_map(|w| w.to_le_bytes()).collect();
        GuestImage {
            arch: GuestArch::Riscv64,
            entry: CODE,
            segments: vec![
                Segment {
                    vaddr: CODE,
                    memsz: text.len() as u64,
                    data: text,
                    executable: true,
                    writable: false,
                },
                Segment {
                    vaddr: DATA,
                    memsz: data.len() as u64,
                    data,
                    executable: false,
                    writable: true,
                },
            ],
            phdr: 0,
            phnum: 0,
            phent: 0,
            code_ranges: vec![(CODE, CODE_END)],
            unwind: Default::default(),
        }
    }

    fn function(program: &Program<crate::riscv::decode::Insn>, start: u64) -> &Function {
        program
            .functions
            .iter()
            .find(|f| f.start == start)
            .unwrap_or_else(|| panic!("no function starts at {start:#x}"))
    }

    fn starts(program: &Program<crate::riscv::decode::Insn>) -> Vec<u64> {
        program.functions.iter().map(|f| f.start).collect()
    }

    /// A table of consecutive numbers in data (glibc has one that counts through the addresses
    /// of `vfprintf`'s code) names no code: neither labels nor functions come of it. A lone word
    /// with the same kind of value still does (a function pointer).
    #[test]
    fn counting_table_in_data_is_not_code_pointers() {
        const F: u64 = CODE + 0x40;
        const G: u64 = CODE + 0x80;
        let code = [
            (CODE, jal(RA, CODE, F)),
            (CODE + 4, ret()),
            (F, addi(A0, A0, 1)),
            (F + 4, addi(A0, A0, 2)),
            (F + 8, addi(A0, A0, 3)),
            (F + 12, ret()),
            (G, ret()),
        ];
        let data = [F + 4, F + 5, F + 6, F + 7, F + 8, 0, G];
        let program = discover(&Riscv64::default(), &image(&code, &data));

        assert_eq!(starts(&program), vec![CODE, F, G]);
        assert!(function(&program, F).labels.is_empty());
    }

    /// A threaded interpreter whose dispatch table's labels are judged before the interpreter
    /// itself is found (as in Lua's `luaV_execute`): `main` is known only from an address formed
    /// in `_start`, and the interpreter only as `main`'s callee, while the table's words are
    /// weak evidence from the first round on. The labels must end up as labels of the
    /// interpreter, not as functions of their own.
    #[test]
    fn dispatch_table_labels_found_before_their_function() {
        const MAIN: u64 = CODE + 0x40;
        const INTERP: u64 = CODE + 0x80;
        const DISPATCH: u64 = INTERP + 8;
        const OP_INC: u64 = CODE + 0xc0;
        const OP_DEC: u64 = CODE + 0xd0;
        const OP_HALT: u64 = CODE + 0xe0;
        let code = [
            // _start: a0 = &main (weak: an address formed by auipc+addi); return.
            (CODE, auipc(A0, 0)),
            (CODE + 4, addi(A0, A0, (MAIN - CODE) as i32)),
            (CODE + 8, ret()),
            // main: call the interpreter.
            (MAIN, jal(RA, MAIN, INTERP)),
            (MAIN + 4, ret()),
            // interp: s4 = &table; then dispatch on the low bits of a0 through the table.
            (INTERP, auipc(S4, (DATA - INTERP + 0x800) as i32)),
            (INTERP + 4, addi(S4, S4, (DATA - INTERP) as i32 & 0xfff)),
            (DISPATCH, andi(A5, A0, 3)),
            (DISPATCH + 4, slli(A5, A5, 3)),
            (DISPATCH + 8, add(A5, A5, S4)),
            (DISPATCH + 12, ld(A5, A5, 0)),
            (DISPATCH + 16, jalr(ZERO, A5, 0)),
            // The handlers, each going back to the dispatch.
            (OP_INC, addi(A0, A0, 1)),
            (OP_INC + 4, jal(ZERO, OP_INC + 4, DISPATCH)),
            (OP_DEC, addi(A0, A0, -1)),
            (OP_DEC + 4, jal(ZERO, OP_DEC + 4, DISPATCH)),
            (OP_HALT, ret()),
        ];
        let image = image(&code, &[OP_INC, OP_DEC, OP_HALT, OP_HALT]);
        let program = discover(&Riscv64::default(), &image);

        assert_eq!(starts(&program), vec![CODE, MAIN, INTERP]);
        let interp = function(&program, INTERP);
        assert_eq!(interp.labels, vec![OP_INC, OP_DEC, OP_HALT]);
        for label in [OP_INC, OP_DEC, OP_HALT] {
            assert!(interp.entries.contains(&label), "{label:#x} is an entry");
        }
        assert_eq!(
            program.jump_tables.get(&(DISPATCH + 16)),
            Some(&vec![OP_INC, OP_DEC, OP_HALT])
        );
    }

    /// A function ending in a call that does not return (think `abort`) is followed by a
    /// function whose address is only in data. Its code is the caller's return site, but not a
    /// part of the caller: it starts a function of its own.
    #[test]
    fn return_site_is_no_evidence_of_a_label() {
        const CALLER: u64 = CODE + 0x40;
        const NEXT: u64 = CALLER + 8;
        const NO_RETURN: u64 = CODE + 0x80;
        let code = [
            (CODE, jal(RA, CODE, CALLER)),
            (CODE + 4, ret()),
            (CALLER, addi(A0, A0, 1)),
            (CALLER + 4, jal(RA, CALLER + 4, NO_RETURN)),
            (NEXT, addi(A0, A0, 2)),
            (NEXT + 4, ret()),
            (NO_RETURN, jal(ZERO, NO_RETURN, NO_RETURN)), // spins: never returns
        ];
        let image = image(&code, &[NEXT]);
        let program = discover(&Riscv64::default(), &image);

        assert_eq!(starts(&program), vec![CODE, CALLER, NEXT, NO_RETURN]);
        assert!(function(&program, CALLER).labels.is_empty());
    }

    /// The return site of a call that comes back is the caller's own code, even when its
    /// address is also in data (say, a code address glibc keeps): a label, not a new function.
    #[test]
    fn return_site_of_a_returning_call_is_a_label() {
        const CALLER: u64 = CODE + 0x40;
        const SITE: u64 = CALLER + 8;
        const RETURNS: u64 = CODE + 0x80;
        let code = [
            (CODE, jal(RA, CODE, CALLER)),
            (CODE + 4, ret()),
            (CALLER, addi(A0, A0, 1)),
            (CALLER + 4, jal(RA, CALLER + 4, RETURNS)),
            (SITE, addi(A0, A0, 2)),
            (SITE + 4, ret()),
            (RETURNS, ret()),
        ];
        let image = image(&code, &[SITE]);
        let program = discover(&Riscv64::default(), &image);

        assert_eq!(starts(&program), vec![CODE, CALLER, RETURNS]);
        assert_eq!(function(&program, CALLER).labels, vec![SITE]);
    }

    /// A callee whose walked body runs past its own non-returning call into
    /// code that returns (glibc's `__assert_fail` calls `__assert_fail_base`,
    /// then its bytes run into `__dcgettext`) still never returns: the code
    /// after a call to it starts another function, reached through data.
    #[test]
    fn a_call_that_returns_only_past_a_no_return_call_does_not_return() {
        const CALLER: u64 = CODE + 0x40;
        const NEXT: u64 = CALLER + 8;
        const ASSERT_FAIL: u64 = CODE + 0x80;
        const FAIL_BASE: u64 = CODE + 0xc0;
        let code = [
            (CODE, jal(RA, CODE, CALLER)),
            (CODE + 4, ret()),
            (CALLER, addi(A0, A0, 1)),
            (CALLER + 4, jal(RA, CALLER + 4, ASSERT_FAIL)),
            (NEXT, addi(A0, A0, 2)),
            (NEXT + 4, ret()),
            (ASSERT_FAIL, jal(RA, ASSERT_FAIL, FAIL_BASE)),
            (ASSERT_FAIL + 4, ret()), // the next function's code
            (FAIL_BASE, jal(ZERO, FAIL_BASE, FAIL_BASE)), // spins: never returns
        ];
        let image = image(&code, &[NEXT]);
        let program = discover(&Riscv64::default(), &image);

        assert!(starts(&program).contains(&NEXT));
        assert!(function(&program, CALLER).labels.is_empty());
    }
}
