//! The dispatch loop.
//!
//! The current frame lives in a few locals (code pointer, pc, window of cells, memory
//! pointer and length); callers are saved as plain `Frame`s in `Machine::frames`, so Wasm calls
//! never recurse on the Rust stack. Slot operands were checked at compile time to lie inside
//! the frame's window, and every call makes sure the window is allocated, so cell accesses are
//! unchecked; guest memory accesses are always bounds-checked.

use std::ptr;

use crate::code::{Code, Instr};
use crate::store::{from_cells, to_cells, Caller, Frame, FuncKind, Store, MAX_CELLS, MAX_FRAMES};
use crate::trap::Trap;
use fast::Hot;

mod fast;

/// What the loop caches about a frame it enters.
struct Ctx {
    inst: u32,
    code: *const Code,
    instrs: *const Instr,
    regs: *mut u64,
    mem: *mut u8,
    mem_len: u64,
}

impl Store {
    /// Prepares function `func` with its window at cell `base` (arguments already in place).
    fn load_frame(&mut self, func: u32, base: usize) -> Result<Ctx, Trap> {
        let (inst, code) = match &self.funcs[func as usize].kind {
            FuncKind::Wasm { instance, code } => (*instance, &**code as *const Code),
            FuncKind::Host(_) => unreachable!("host functions are called, not entered"),
        };
        // SAFETY: `code` points into an `Rc<Code>` owned by `self.funcs`, which only grows.
        let c = unsafe { &*code };
        let need = base + c.max_slots as usize;
        if need > self.machine.cells.len() {
            if need > MAX_CELLS {
                return Err(Trap::CallStackExhausted);
            }
            let new_len = need.max(self.machine.cells.len() * 2).min(MAX_CELLS);
            self.machine.cells.resize(new_len, 0);
        }
        // SAFETY: base + max_slots <= cells.len(), checked above.
        let regs = unsafe { self.machine.cells.as_mut_ptr().add(base) };
        let (mem, mem_len) = self.memory_of(inst);
        Ok(Ctx {
            inst,
            code,
            instrs: c.instrs.as_ptr(),
            regs,
            mem,
            mem_len,
        })
    }

    /// The first memory of an instance, as (pointer, length).
    fn memory_of(&mut self, inst: u32) -> (*mut u8, u64) {
        match self.instances[inst as usize].mems.first() {
            Some(&m) => {
                let data = &mut self.memories[m as usize].data;
                (data.as_mut_ptr(), data.len() as u64)
            }
            None => (ptr::null_mut(), 0),
        }
    }

    /// Calls a host function with arguments in cells `base..`; results replace them.
    fn call_host(&mut self, func: u32, base: usize, inst: u32) -> Result<(), Trap> {
        let FuncKind::Host(h) = &self.funcs[func as usize].kind else {
            unreachable!()
        };
        let h = h.clone();
        let ty = self.func_type(func).clone();
        let mut args = Vec::with_capacity(ty.params().len());
        let mut at = base;
        for &p in ty.params() {
            args.push(from_cells(p, &self.machine.cells[at..]));
            at += crate::compile::cells(p) as usize;
        }
        let mem = self.instances[inst as usize].mems.first().copied();
        let results = {
            let memory = mem.map(|m| &mut self.memories[m as usize].data);
            h(&mut Caller { memory }, &args)?
        };
        let need = base
            + ty.results()
                .iter()
                .map(|&t| crate::compile::cells(t) as usize)
                .sum::<usize>();
        if need > self.machine.cells.len() {
            self.machine.cells.resize(need, 0);
        }
        let mut at = base;
        for (v, &t) in results.iter().zip(ty.results()) {
            to_cells(*v, &mut self.machine.cells[at..]);
            at += crate::compile::cells(t) as usize;
        }
        Ok(())
    }

    /// Zeroes the locals and fills the constant slots of a new frame.
    ///
    /// # Safety
    /// `regs` must be the window load_frame allocated for `code`.
    unsafe fn zero_locals(code: *const Code, regs: *mut u64) {
        let c = &*code;
        let from = c.param_slots as usize;
        let locals = c.local_slots as usize;
        ptr::write_bytes(regs.add(from), 0, locals - from);
        ptr::copy_nonoverlapping(c.consts.as_ptr(), regs.add(locals), c.consts.len());
    }

    /// Runs Wasm function `func` with its arguments in cells 0.. ; results end in cells 0...
    pub(crate) fn run(&mut self, func: u32) -> Result<(), Trap> {
        let mut frames = std::mem::take(&mut self.machine.frames);
        frames.clear();
        let r = self.run_loop(func, &mut frames);
        frames.clear();
        self.machine.frames = frames;
        r
    }

    #[allow(clippy::cognitive_complexity)]
    fn run_loop(&mut self, func: u32, frames: &mut Vec<Frame>) -> Result<(), Trap> {
        // The running frame: which function, where its window starts, and what the
        // straight-line loop needs (`fast::Hot`).
        let mut func = func;
        let mut fbase = 0usize;
        let Ctx {
            mut inst,
            code,
            instrs,
            regs,
            mem,
            mem_len,
        } = self.load_frame(func, 0)?;
        let mut hot = Hot {
            pc: 0,
            code,
            instrs,
            regs,
            mem,
            mem_len,
            #[cfg(feature = "fuel")]
            fuel: 0,
        };
        // SAFETY: the window was just allocated.
        unsafe { Self::zero_locals(code, regs) };
        macro_rules! enter {
            ($f:expr, $base:expr, $pc:expr) => {{
                let (f, b) = ($f, $base);
                let c = self.load_frame(f, b)?;
                (func, fbase, hot.pc) = (f, b, $pc);
                inst = c.inst;
                (hot.code, hot.instrs, hot.regs, hot.mem, hot.mem_len) =
                    (c.code, c.instrs, c.regs, c.mem, c.mem_len);
            }};
        }

        // Cell access in the current window.
        macro_rules! r {
            ($s:expr) => {
                *hot.regs.add($s as usize)
            };
        }
        macro_rules! i32_ {
            ($s:expr) => {
                (r!($s) as u32)
            };
        }
        macro_rules! set32 {
            ($d:expr, $v:expr) => {
                r!($d) = ($v) as u32 as u64
            };
        }
        macro_rules! call_wasm_or_host {
            ($callee:expr, $new_base:expr) => {{
                let callee = $callee;
                let new_base = $new_base;
                if matches!(self.funcs[callee as usize].kind, FuncKind::Host(_)) {
                    self.call_host(callee, new_base, inst)?;
                    (hot.mem, hot.mem_len) = self.memory_of(inst);
                    // The host may have grown the cell stack.
                    hot.regs = self.machine.cells.as_mut_ptr().add(fbase);
                } else {
                    if frames.len() >= MAX_FRAMES {
                        return Err(Trap::CallStackExhausted);
                    }
                    frames.push(Frame {
                        func,
                        pc: hot.pc as u32,
                        base: fbase as u32,
                    });
                    enter!(callee, new_base, 0);
                    Self::zero_locals(hot.code, hot.regs);
                }
            }};
        }
        // Fuel (feature `fuel`, for fuzzing): every branch and call costs one unit, so a
        // guest cannot loop forever. Without the feature this is nothing at all.
        macro_rules! tick {
            () => {
                #[cfg(feature = "fuel")]
                {
                    if self.fuel == 0 {
                        return Err(Trap::Host("fuel exhausted".into()));
                    }
                    self.fuel -= 1;
                }
            };
        }
        macro_rules! do_return {
            () => {{
                match frames.pop() {
                    None => return Ok(()),
                    Some(f) => enter!(f.func, f.base as usize, f.pc as usize),
                }
            }};
        }
        macro_rules! tail_call {
            ($callee:expr, $args:expr) => {{
                let callee = $callee;
                let ty = self.funcs[callee as usize].ty;
                let n: usize = self.types[ty as usize]
                    .params()
                    .iter()
                    .map(|&t| crate::compile::cells(t) as usize)
                    .sum();
                ptr::copy(hot.regs.add($args as usize), hot.regs, n);
                if matches!(self.funcs[callee as usize].kind, FuncKind::Host(_)) {
                    self.call_host(callee, fbase, inst)?;
                    do_return!();
                } else {
                    enter!(callee, fbase, 0);
                    Self::zero_locals(hot.code, hot.regs);
                }
            }};
        }
        // Resolves a call_indirect target, checking bounds, null and type.
        macro_rules! indirect_target {
            ($i:expr, $site:expr) => {{
                let code = &*hot.code;
                let site = *code.call_sites.get_unchecked($site as usize);
                let inst = &self.instances[inst as usize];
                let table = &self.tables[inst.tables[site.table as usize] as usize];
                let idx = i32_!($i) as usize;
                let Some(&cell) = table.elems.get(idx) else {
                    return Err(Trap::UndefinedElement);
                };
                if cell == 0 {
                    return Err(Trap::UninitializedElement);
                }
                let callee = (cell - 1) as u32;
                if self.funcs[callee as usize].ty != inst.types[site.ty as usize] {
                    return Err(Trap::IndirectCallTypeMismatch);
                }
                callee
            }};
        }

        // SAFETY (whole loop): see the module comment; slots are validated at compile time and
        // windows allocated by load_frame; pcs are in range because every body ends in Return.
        unsafe {
            loop {
                // Everything the straight-line loop can do, it does; it stops on the rest.
                #[cfg(feature = "fuel")]
                {
                    hot.fuel = self.fuel;
                }
                let ran = hot.run();
                #[cfg(feature = "fuel")]
                {
                    self.fuel = hot.fuel;
                }
                ran?;
                let ins = *hot.instrs.add(hot.pc);
                hot.pc += 1;
                #[cfg(feature = "profile")]
                crate::profile::count(&ins);
                use Instr as I;
                match ins {
                    I::Return { s, n } => {
                        ptr::copy(hot.regs.add(s as usize), hot.regs, n as usize);
                        do_return!();
                    }
                    I::Call { f, base } => {
                        tick!();
                        let callee = *self.instances[inst as usize]
                            .funcs
                            .get_unchecked(f as usize);
                        call_wasm_or_host!(callee, fbase + base as usize);
                    }
                    I::CallIndirect { i, base, site } => {
                        tick!();
                        let callee = indirect_target!(i, site);
                        call_wasm_or_host!(callee, fbase + base as usize);
                    }
                    I::ReturnCall { f, base } => {
                        tick!();
                        let callee = *self.instances[inst as usize]
                            .funcs
                            .get_unchecked(f as usize);
                        tail_call!(callee, base);
                    }
                    I::ReturnCallIndirect { i, base, site } => {
                        tick!();
                        let callee = indirect_target!(i, site);
                        tail_call!(callee, base);
                    }
                    I::GlobalGet { d, g } => {
                        let ga = *self.instances[inst as usize]
                            .globals
                            .get_unchecked(g as usize);
                        r!(d) = self.globals.get_unchecked(ga as usize).value[0];
                    }
                    I::GlobalSet { s, g } => {
                        let ga = *self.instances[inst as usize]
                            .globals
                            .get_unchecked(g as usize);
                        self.globals.get_unchecked_mut(ga as usize).value[0] = r!(s);
                    }
                    I::GlobalGetV128 { d, g } => {
                        let ga = self.instances[inst as usize].globals[g as usize];
                        let v = self.globals[ga as usize].value;
                        r!(d) = v[0];
                        r!(d + 1) = v[1];
                    }
                    I::GlobalSetV128 { s, g } => {
                        let ga = self.instances[inst as usize].globals[g as usize];
                        self.globals[ga as usize].value = [r!(s), r!(s + 1)];
                    }
                    I::RefFunc { d, f } => {
                        r!(d) = self.instances[inst as usize].funcs[f as usize] as u64 + 1;
                    }
                    I::TableGet { d, i, t } => {
                        let ta = self.instances[inst as usize].tables[t as usize];
                        match self.tables[ta as usize].elems.get(i32_!(i) as usize) {
                            Some(&v) => r!(d) = v,
                            None => return Err(Trap::TableOutOfBounds),
                        }
                    }
                    I::TableSet { i, v, t } => {
                        let ta = self.instances[inst as usize].tables[t as usize];
                        match self.tables[ta as usize].elems.get_mut(i32_!(i) as usize) {
                            Some(e) => *e = r!(v),
                            None => return Err(Trap::TableOutOfBounds),
                        }
                    }
                    I::TableSize { d, t } => {
                        let ta = self.instances[inst as usize].tables[t as usize];
                        set32!(d, self.tables[ta as usize].elems.len());
                    }
                    I::TableGrow { base, t } => {
                        let ta = self.instances[inst as usize].tables[t as usize];
                        let old = self.table_grow(ta, r!(base), i32_!(base + 1));
                        set32!(base, old);
                    }
                    I::TableFill { base, t } => {
                        let ta = self.instances[inst as usize].tables[t as usize];
                        self.table_fill(ta, i32_!(base), r!(base + 1), i32_!(base + 2))?;
                    }
                    I::TableCopy { base, dt, st } => {
                        let inst = &self.instances[inst as usize];
                        let (dta, sta) = (inst.tables[dt as usize], inst.tables[st as usize]);
                        self.table_copy(dta, sta, i32_!(base), i32_!(base + 1), i32_!(base + 2))?;
                    }
                    I::TableInit { base, t, e } => {
                        self.table_init(inst, t, e, i32_!(base), i32_!(base + 1), i32_!(base + 2))?;
                    }
                    I::ElemDrop { e } => {
                        self.instances[inst as usize].elems[e as usize] = std::rc::Rc::from([]);
                    }
                    I::MemoryGrow { d, n } => {
                        let m = self.instances[inst as usize].mems[0];
                        let old = self.memories[m as usize].grow(i32_!(n) as u64);
                        set32!(d, old.map_or(u32::MAX, |o| o as u32));
                        (hot.mem, hot.mem_len) = self.memory_of(inst);
                    }
                    I::MemoryFill { base } => {
                        let m = self.instances[inst as usize].mems[0];
                        self.memory_fill(m, i32_!(base), r!(base + 1) as u8, i32_!(base + 2))?;
                    }
                    I::MemoryCopy { base } => {
                        let m = self.instances[inst as usize].mems[0];
                        self.memory_copy(m, i32_!(base), i32_!(base + 1), i32_!(base + 2))?;
                    }
                    I::MemoryInit { base, seg } => {
                        let inst = &self.instances[inst as usize];
                        let (m, data) = (inst.mems[0], inst.datas[seg as usize].clone());
                        self.memory_init(m, &data, i32_!(base), i32_!(base + 1), i32_!(base + 2))?;
                    }
                    I::DataDrop { seg } => {
                        self.instances[inst as usize].datas[seg as usize] = std::rc::Rc::from([]);
                    }
                    I::Simd { base, idx } => {
                        let op = *(&*hot.code).simd.get_unchecked(idx as usize);
                        crate::ops::simd::execute(
                            op,
                            hot.regs.add(base as usize),
                            hot.mem,
                            hot.mem_len,
                        )?;
                    }

                    // The straight-line loop ran all the others.
                    _ => unreachable!("the straight-line loop handles {ins:?}"),
                }
            }
        }
    }
}
