//! The straight-line loop: every instruction that needs nothing but the running frame's cells
//! and its memory (arithmetic, loads and stores, branches, constants, copies).
//!
//! It is a function of its own, with no calls in it, so that a compiler keeps the pc, the cell
//! window and the memory pointer in registers. That matters most in runtime.wasm: the host's
//! compiler (Cranelift) spills every long-lived value of a big function that also makes calls,
//! which is what the frame-managing loop in `exec/mod.rs` does. Anything else (calls, returns,
//! globals, tables, bulk memory, SIMD) ends the loop with `pc` left on that instruction.

use std::ptr;

use crate::code::{Code, Instr};
use crate::ops::{convert, float};
use crate::trap::Trap;

/// The running frame as the straight-line loop sees it.
pub(super) struct Hot {
    /// The next instruction to run.
    pub pc: usize,
    pub code: *const Code,
    pub instrs: *const Instr,
    /// The frame's window of cells.
    pub regs: *mut u64,
    /// The instance's first memory (null and 0 when it has none).
    pub mem: *mut u8,
    pub mem_len: u64,
    /// Branches and calls left before "fuel exhausted" (feature `fuel` only).
    #[cfg(feature = "fuel")]
    pub fuel: u64,
}

impl Hot {
    /// Runs from `self.pc` until an instruction this loop does not handle, leaving `self.pc`
    /// on it; a trap returns at once.
    ///
    /// # Safety
    /// `code`, `instrs`, `regs`, `mem` and `mem_len` must describe the running frame as
    /// `Store::load_frame` set them up (slots were validated against the window at compile
    /// time; every body ends in an instruction this loop hands back).
    #[inline(never)]
    #[allow(clippy::cognitive_complexity)]
    pub(super) unsafe fn run(&mut self) -> Result<(), Trap> {
        // Locals, not fields, so they live in registers.
        let (code, instrs, regs, mem, mem_len) =
            (self.code, self.instrs, self.regs, self.mem, self.mem_len);
        // The next instruction, as a pointer: one add per dispatch instead of an index scaled
        // and added to the code's base.
        let mut ip = instrs.add(self.pc);
        #[cfg(feature = "fuel")]
        let fuel = &mut self.fuel;

        macro_rules! r {
            ($s:expr) => {
                *regs.add($s as usize)
            };
        }
        macro_rules! i32_ {
            ($s:expr) => {
                (r!($s) as u32)
            };
        }
        macro_rules! f32_ {
            ($s:expr) => {
                f32::from_bits(r!($s) as u32)
            };
        }
        macro_rules! f64_ {
            ($s:expr) => {
                f64::from_bits(r!($s))
            };
        }
        macro_rules! set32 {
            ($d:expr, $v:expr) => {
                r!($d) = ($v) as u32 as u64
            };
        }
        macro_rules! setf32 {
            ($d:expr, $v:expr) => {
                r!($d) = (($v) as f32).to_bits() as u64
            };
        }
        macro_rules! setf64 {
            ($d:expr, $v:expr) => {
                r!($d) = (($v) as f64).to_bits()
            };
        }
        // Effective address of an access of `n` bytes, or an out-of-bounds trap.
        macro_rules! ea {
            ($addr:expr, $off:expr, $n:expr) => {
                ea_of!(i32_!($addr), $off, $n)
            };
        }
        // The same for an address already computed as a u32.
        macro_rules! ea_of {
            ($addr:expr, $off:expr, $n:expr) => {{
                let ea = $addr as u64 + $off as u64;
                if ea + $n > mem_len {
                    return Err(Trap::MemoryOutOfBounds);
                }
                mem.add(ea as usize)
            }};
        }
        macro_rules! load {
            ($d:expr, $addr:expr, $off:expr, $t:ty, |$v:ident| $conv:expr) => {
                load_from!($d, i32_!($addr), $off, $t, |$v| $conv)
            };
        }
        macro_rules! load_from {
            ($d:expr, $addr:expr, $off:expr, $t:ty, |$v:ident| $conv:expr) => {{
                let p = ea_of!($addr, $off, std::mem::size_of::<$t>() as u64);
                let $v = <$t>::from_le(ptr::read_unaligned(p as *const $t));
                r!($d) = $conv;
            }};
        }
        // `a + imm` and `a + b` as `i32.add` computes them.
        macro_rules! sum_imm {
            ($a:expr, $imm:expr) => {
                i32_!($a).wrapping_add($imm as u32)
            };
        }
        macro_rules! sum {
            ($a:expr, $b:expr) => {
                i32_!($a).wrapping_add(i32_!($b))
            };
        }
        macro_rules! store {
            ($addr:expr, $val:expr, $off:expr, $t:ty) => {{
                let p = ea!($addr, $off, std::mem::size_of::<$t>() as u64);
                ptr::write_unaligned(p as *mut $t, (r!($val) as $t).to_le());
            }};
        }
        // `d = a + addend` wrapping in `$u` (u32 or u64; the addend an immediate or a cell),
        // then branch when `d <cmp> b` holds compared as `$c` (same width, signed or not).
        macro_rules! add_br {
            ($d:expr, $a:expr, $addend:expr, $b:expr, $t:expr, $u:ty, $c:ty, $cmp:tt) => {{
                tick!();
                let v = (r!($a) as $u).wrapping_add($addend as $u);
                r!($d) = v as u64;
                if (v as $c) $cmp (r!($b) as $u as $c) {
                    jump!($t)
                }
            }};
        }
        // Branch to instruction index `t`.
        macro_rules! jump {
            ($t:expr) => {
                ip = instrs.add($t as usize)
            };
        }
        // Fuel (feature `fuel`, for fuzzing): every branch costs one unit, so a guest cannot
        // loop forever. Without the feature this is nothing at all.
        macro_rules! tick {
            () => {
                #[cfg(feature = "fuel")]
                {
                    if *fuel == 0 {
                        return Err(Trap::Host("fuel exhausted".into()));
                    }
                    *fuel -= 1;
                }
            };
        }

        loop {
            let ins = *ip;
            ip = ip.add(1);
            #[cfg(feature = "profile")]
            crate::profile::count(&ins);
            use Instr as I;
            match ins {
                I::Unreachable => return Err(Trap::Unreachable),
                I::Copy { d, a } => r!(d) = r!(a),
                I::CopyPair { d1, a1, d2, a2 } => {
                    r!(d1) = r!(a1);
                    r!(d2) = r!(a2);
                }
                I::Copy2 { d, a } => {
                    r!(d) = r!(a);
                    r!(d + 1) = r!(a + 1);
                }
                I::Const32 { d, v } => r!(d) = v as u64,
                I::Const64 { d, v } => r!(d) = v,
                I::ConstV128 { d, idx } => {
                    let v = *(&*code).v128_consts.get_unchecked(idx as usize);
                    r!(d) = v as u64;
                    r!(d + 1) = (v >> 64) as u64;
                }
                I::Select { d, b, c } => {
                    if i32_!(c) == 0 {
                        r!(d) = r!(b);
                    }
                }
                I::SelectV128 { d, b, c } => {
                    if i32_!(c) == 0 {
                        r!(d) = r!(b);
                        r!(d + 1) = r!(b + 1);
                    }
                }
                I::Br { t } => {
                    tick!();
                    jump!(t)
                }
                I::BrIfZ { c, t } => {
                    tick!();
                    if i32_!(c) == 0 {
                        jump!(t)
                    }
                }
                I::BrIfNz { c, t } => {
                    tick!();
                    if i32_!(c) != 0 {
                        jump!(t)
                    }
                }
                I::BrI32Eq { a, b, t } => {
                    tick!();
                    if i32_!(a) == i32_!(b) {
                        jump!(t)
                    }
                }
                I::BrI32Ne { a, b, t } => {
                    tick!();
                    if i32_!(a) != i32_!(b) {
                        jump!(t)
                    }
                }
                I::BrI32LtS { a, b, t } => {
                    tick!();
                    if (i32_!(a) as i32) < i32_!(b) as i32 {
                        jump!(t)
                    }
                }
                I::BrI32LtU { a, b, t } => {
                    tick!();
                    if i32_!(a) < i32_!(b) {
                        jump!(t)
                    }
                }
                I::BrI32GtS { a, b, t } => {
                    tick!();
                    if (i32_!(a) as i32) > i32_!(b) as i32 {
                        jump!(t)
                    }
                }
                I::BrI32GtU { a, b, t } => {
                    tick!();
                    if i32_!(a) > i32_!(b) {
                        jump!(t)
                    }
                }
                I::BrI32LeS { a, b, t } => {
                    tick!();
                    if (i32_!(a) as i32) <= i32_!(b) as i32 {
                        jump!(t)
                    }
                }
                I::BrI32LeU { a, b, t } => {
                    tick!();
                    if i32_!(a) <= i32_!(b) {
                        jump!(t)
                    }
                }
                I::BrI32GeS { a, b, t } => {
                    tick!();
                    if (i32_!(a) as i32) >= i32_!(b) as i32 {
                        jump!(t)
                    }
                }
                I::BrI32GeU { a, b, t } => {
                    tick!();
                    if i32_!(a) >= i32_!(b) {
                        jump!(t)
                    }
                }
                I::BrI64Eq { a, b, t } => {
                    tick!();
                    if (r!(a)) == (r!(b)) {
                        jump!(t)
                    }
                }
                I::BrI64Ne { a, b, t } => {
                    tick!();
                    if (r!(a)) != (r!(b)) {
                        jump!(t)
                    }
                }
                I::BrI64LtS { a, b, t } => {
                    tick!();
                    if (r!(a) as i64) < (r!(b) as i64) {
                        jump!(t)
                    }
                }
                I::BrI64LtU { a, b, t } => {
                    tick!();
                    if (r!(a)) < (r!(b)) {
                        jump!(t)
                    }
                }
                I::BrI64GtS { a, b, t } => {
                    tick!();
                    if (r!(a) as i64) > (r!(b) as i64) {
                        jump!(t)
                    }
                }
                I::BrI64GtU { a, b, t } => {
                    tick!();
                    if (r!(a)) > (r!(b)) {
                        jump!(t)
                    }
                }
                I::BrI64LeS { a, b, t } => {
                    tick!();
                    if (r!(a) as i64) <= (r!(b) as i64) {
                        jump!(t)
                    }
                }
                I::BrI64LeU { a, b, t } => {
                    tick!();
                    if (r!(a)) <= (r!(b)) {
                        jump!(t)
                    }
                }
                I::BrI64GeS { a, b, t } => {
                    tick!();
                    if (r!(a) as i64) >= (r!(b) as i64) {
                        jump!(t)
                    }
                }
                I::BrI64GeU { a, b, t } => {
                    tick!();
                    if (r!(a)) >= (r!(b)) {
                        jump!(t)
                    }
                }
                I::BrI32EqImm { a, imm, t } => {
                    tick!();
                    if i32_!(a) == imm as u32 {
                        jump!(t)
                    }
                }
                I::BrI32NeImm { a, imm, t } => {
                    tick!();
                    if i32_!(a) != imm as u32 {
                        jump!(t)
                    }
                }
                I::BrI32LtSImm { a, imm, t } => {
                    tick!();
                    if (i32_!(a) as i32) < imm {
                        jump!(t)
                    }
                }
                I::BrI32LtUImm { a, imm, t } => {
                    tick!();
                    if i32_!(a) < imm as u32 {
                        jump!(t)
                    }
                }
                I::BrI32GtSImm { a, imm, t } => {
                    tick!();
                    if (i32_!(a) as i32) > imm {
                        jump!(t)
                    }
                }
                I::BrI32GtUImm { a, imm, t } => {
                    tick!();
                    if i32_!(a) > imm as u32 {
                        jump!(t)
                    }
                }
                I::BrI32LeSImm { a, imm, t } => {
                    tick!();
                    if (i32_!(a) as i32) <= imm {
                        jump!(t)
                    }
                }
                I::BrI32LeUImm { a, imm, t } => {
                    tick!();
                    if i32_!(a) <= imm as u32 {
                        jump!(t)
                    }
                }
                I::BrI32GeSImm { a, imm, t } => {
                    tick!();
                    if (i32_!(a) as i32) >= imm {
                        jump!(t)
                    }
                }
                I::BrI32GeUImm { a, imm, t } => {
                    tick!();
                    if i32_!(a) >= imm as u32 {
                        jump!(t)
                    }
                }
                I::BrI64EqImm { a, imm, t } => {
                    tick!();
                    if r!(a) == imm as i64 as u64 {
                        jump!(t)
                    }
                }
                I::BrI64NeImm { a, imm, t } => {
                    tick!();
                    if r!(a) != imm as i64 as u64 {
                        jump!(t)
                    }
                }
                I::BrI64LtSImm { a, imm, t } => {
                    tick!();
                    if (r!(a) as i64) < imm as i64 {
                        jump!(t)
                    }
                }
                I::BrI64LtUImm { a, imm, t } => {
                    tick!();
                    if r!(a) < imm as i64 as u64 {
                        jump!(t)
                    }
                }
                I::BrI64GtSImm { a, imm, t } => {
                    tick!();
                    if (r!(a) as i64) > imm as i64 {
                        jump!(t)
                    }
                }
                I::BrI64GtUImm { a, imm, t } => {
                    tick!();
                    if r!(a) > imm as i64 as u64 {
                        jump!(t)
                    }
                }
                I::BrI64LeSImm { a, imm, t } => {
                    tick!();
                    if (r!(a) as i64) <= imm as i64 {
                        jump!(t)
                    }
                }
                I::BrI64LeUImm { a, imm, t } => {
                    tick!();
                    if r!(a) <= imm as i64 as u64 {
                        jump!(t)
                    }
                }
                I::BrI64GeSImm { a, imm, t } => {
                    tick!();
                    if (r!(a) as i64) >= imm as i64 {
                        jump!(t)
                    }
                }
                I::BrI64GeUImm { a, imm, t } => {
                    tick!();
                    if r!(a) >= imm as i64 as u64 {
                        jump!(t)
                    }
                }
                // ---- add an immediate, then compare and branch ----
                I::I32AddImmBrEq { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u32, u32, ==),
                I::I32AddImmBrNe { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u32, u32, !=),
                I::I32AddImmBrLtS { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u32, i32, <),
                I::I32AddImmBrGeS { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u32, i32, >=),
                I::I32AddImmBrLtU { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u32, u32, <),
                I::I32AddImmBrGeU { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u32, u32, >=),
                I::I32AddImmBrGtS { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u32, i32, >),
                I::I32AddImmBrLeS { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u32, i32, <=),
                I::I32AddImmBrGtU { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u32, u32, >),
                I::I32AddImmBrLeU { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u32, u32, <=),
                I::I64AddImmBrEq { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u64, u64, ==),
                I::I64AddImmBrNe { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u64, u64, !=),
                I::I64AddImmBrLtS { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u64, i64, <),
                I::I64AddImmBrGeS { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u64, i64, >=),
                I::I64AddImmBrLtU { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u64, u64, <),
                I::I64AddImmBrGeU { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u64, u64, >=),
                I::I64AddImmBrGtS { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u64, i64, >),
                I::I64AddImmBrLeS { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u64, i64, <=),
                I::I64AddImmBrGtU { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u64, u64, >),
                I::I64AddImmBrLeU { d, a, b, imm, t } => add_br!(d, a, imm, b, t, u64, u64, <=),
                // ---- add a slot, then compare and branch ----
                I::I32AddBrEq { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u32, u32, ==),
                I::I32AddBrNe { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u32, u32, !=),
                I::I32AddBrLtS { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u32, i32, <),
                I::I32AddBrGeS { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u32, i32, >=),
                I::I32AddBrLtU { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u32, u32, <),
                I::I32AddBrGeU { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u32, u32, >=),
                I::I32AddBrGtS { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u32, i32, >),
                I::I32AddBrLeS { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u32, i32, <=),
                I::I32AddBrGtU { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u32, u32, >),
                I::I32AddBrLeU { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u32, u32, <=),
                I::I64AddBrEq { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u64, u64, ==),
                I::I64AddBrNe { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u64, u64, !=),
                I::I64AddBrLtS { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u64, i64, <),
                I::I64AddBrGeS { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u64, i64, >=),
                I::I64AddBrLtU { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u64, u64, <),
                I::I64AddBrGeU { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u64, u64, >=),
                I::I64AddBrGtS { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u64, i64, >),
                I::I64AddBrLeS { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u64, i64, <=),
                I::I64AddBrGtU { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u64, u64, >),
                I::I64AddBrLeU { d, a, b, c, t } => add_br!(d, a, r!(b), c, t, u64, u64, <=),
                I::I64SumBrGtU { d, a, b, k, c, t } => {
                    tick!();
                    let x = r!(a).wrapping_add(r!(b));
                    r!(d) = x;
                    if x.wrapping_add(r!(k)) > r!(c) {
                        jump!(t)
                    }
                }
                I::I64SumBrLeU { d, a, b, k, c, t } => {
                    tick!();
                    let x = r!(a).wrapping_add(r!(b));
                    r!(d) = x;
                    if x.wrapping_add(r!(k)) <= r!(c) {
                        jump!(t)
                    }
                }
                I::BrTable { i, start, len } => {
                    tick!();
                    let k = i32_!(i).min(len);
                    jump!(*(&*code).br_tables.get_unchecked((start + k) as usize));
                }
                I::RefIsNull { d, a } => set32!(d, r!(a) == 0),
                I::MemorySize { d } => set32!(d, mem_len / crate::store::PAGE as u64),
                // ---- memory ----
                I::I32LoadAddImm { d, a, imm, off } => {
                    load_from!(d, sum_imm!(a, imm), off, u32, |v| v as u64)
                }
                I::I64LoadAddImm { d, a, imm, off } => {
                    load_from!(d, sum_imm!(a, imm), off, u64, |v| v)
                }
                I::I32Load8UAddImm { d, a, imm, off } => {
                    load_from!(d, sum_imm!(a, imm), off, u8, |v| v as u64)
                }
                I::I32Load8SAddImm { d, a, imm, off } => {
                    load_from!(d, sum_imm!(a, imm), off, u8, |v| v as i8 as i32 as u32
                        as u64)
                }
                I::I32Load16UAddImm { d, a, imm, off } => {
                    load_from!(d, sum_imm!(a, imm), off, u16, |v| v as u64)
                }
                I::I32Load16SAddImm { d, a, imm, off } => {
                    load_from!(d, sum_imm!(a, imm), off, u16, |v| v as i16 as i32 as u32
                        as u64)
                }
                I::I32LoadAdd { d, a, b, off } => {
                    load_from!(d, sum!(a, b), off, u32, |v| v as u64)
                }
                I::I64LoadAdd { d, a, b, off } => load_from!(d, sum!(a, b), off, u64, |v| v),
                I::I32Load { d, addr, off } => load!(d, addr, off, u32, |v| v as u64),
                I::I64Load { d, addr, off } => load!(d, addr, off, u64, |v| v),
                I::I32Load8S { d, addr, off } => {
                    load!(d, addr, off, u8, |v| v as i8 as i32 as u32 as u64)
                }
                I::I32Load8U { d, addr, off } => load!(d, addr, off, u8, |v| v as u64),
                I::I32Load16S { d, addr, off } => {
                    load!(d, addr, off, u16, |v| v as i16 as i32 as u32 as u64)
                }
                I::I32Load16U { d, addr, off } => load!(d, addr, off, u16, |v| v as u64),
                I::I64Load8S { d, addr, off } => {
                    load!(d, addr, off, u8, |v| v as i8 as i64 as u64)
                }
                I::I64Load8U { d, addr, off } => load!(d, addr, off, u8, |v| v as u64),
                I::I64Load16S { d, addr, off } => {
                    load!(d, addr, off, u16, |v| v as i16 as i64 as u64)
                }
                I::I64Load16U { d, addr, off } => load!(d, addr, off, u16, |v| v as u64),
                I::I64Load32S { d, addr, off } => {
                    load!(d, addr, off, u32, |v| v as i32 as i64 as u64)
                }
                I::I64Load32U { d, addr, off } => load!(d, addr, off, u32, |v| v as u64),
                I::V128Load { d, addr, off } => {
                    let p = ea!(addr, off, 16);
                    r!(d) = u64::from_le(ptr::read_unaligned(p as *const u64));
                    r!(d + 1) = u64::from_le(ptr::read_unaligned(p.add(8) as *const u64));
                }
                I::I32Store { addr, val, off } => store!(addr, val, off, u32),
                I::I64Store { addr, val, off } => store!(addr, val, off, u64),
                I::I32Store8 { addr, val, off } => store!(addr, val, off, u8),
                I::I32Store16 { addr, val, off } => store!(addr, val, off, u16),
                I::I64Store8 { addr, val, off } => store!(addr, val, off, u8),
                I::I64Store16 { addr, val, off } => store!(addr, val, off, u16),
                I::I64Store32 { addr, val, off } => store!(addr, val, off, u32),
                I::V128Store { addr, val, off } => {
                    let p = ea!(addr, off, 16);
                    ptr::write_unaligned(p as *mut u64, r!(val).to_le());
                    ptr::write_unaligned(p.add(8) as *mut u64, r!(val + 1).to_le());
                }

                // ---- i32 ----
                I::I32Eqz { d, a } => set32!(d, i32_!(a) == 0),
                I::I32Eq { d, a, b } => set32!(d, i32_!(a) == i32_!(b)),
                I::I32Ne { d, a, b } => set32!(d, i32_!(a) != i32_!(b)),
                I::I32LtS { d, a, b } => set32!(d, (i32_!(a) as i32) < i32_!(b) as i32),
                I::I32LtU { d, a, b } => set32!(d, i32_!(a) < i32_!(b)),
                I::I32GtS { d, a, b } => set32!(d, i32_!(a) as i32 > i32_!(b) as i32),
                I::I32GtU { d, a, b } => set32!(d, i32_!(a) > i32_!(b)),
                I::I32LeS { d, a, b } => set32!(d, i32_!(a) as i32 <= i32_!(b) as i32),
                I::I32LeU { d, a, b } => set32!(d, i32_!(a) <= i32_!(b)),
                I::I32GeS { d, a, b } => set32!(d, i32_!(a) as i32 >= i32_!(b) as i32),
                I::I32GeU { d, a, b } => set32!(d, i32_!(a) >= i32_!(b)),
                I::I32EqImm { d, a, imm } => set32!(d, i32_!(a) == imm as u32),
                I::I32NeImm { d, a, imm } => set32!(d, i32_!(a) != imm as u32),
                I::I32LtSImm { d, a, imm } => set32!(d, (i32_!(a) as i32) < imm),
                I::I32LtUImm { d, a, imm } => set32!(d, i32_!(a) < imm as u32),
                I::I32GtSImm { d, a, imm } => set32!(d, i32_!(a) as i32 > imm),
                I::I32GtUImm { d, a, imm } => set32!(d, i32_!(a) > imm as u32),
                I::I32Clz { d, a } => set32!(d, i32_!(a).leading_zeros()),
                I::I32Ctz { d, a } => set32!(d, i32_!(a).trailing_zeros()),
                I::I32Popcnt { d, a } => set32!(d, i32_!(a).count_ones()),
                I::I32Add { d, a, b } => set32!(d, i32_!(a).wrapping_add(i32_!(b))),
                I::I32AddImm { d, a, imm } => set32!(d, i32_!(a).wrapping_add(imm as u32)),
                I::I32Sub { d, a, b } => set32!(d, i32_!(a).wrapping_sub(i32_!(b))),
                I::I32Mul { d, a, b } => set32!(d, i32_!(a).wrapping_mul(i32_!(b))),
                I::I32DivS { d, a, b } => {
                    let (x, y) = (i32_!(a) as i32, i32_!(b) as i32);
                    if y == 0 {
                        return Err(Trap::IntegerDivideByZero);
                    }
                    if x == i32::MIN && y == -1 {
                        return Err(Trap::IntegerOverflow);
                    }
                    set32!(d, x / y);
                }
                I::I32DivU { d, a, b } => {
                    let (x, y) = (i32_!(a), i32_!(b));
                    if y == 0 {
                        return Err(Trap::IntegerDivideByZero);
                    }
                    set32!(d, x / y);
                }
                I::I32RemS { d, a, b } => {
                    let (x, y) = (i32_!(a) as i32, i32_!(b) as i32);
                    if y == 0 {
                        return Err(Trap::IntegerDivideByZero);
                    }
                    set32!(d, x.wrapping_rem(y));
                }
                I::I32RemU { d, a, b } => {
                    let (x, y) = (i32_!(a), i32_!(b));
                    if y == 0 {
                        return Err(Trap::IntegerDivideByZero);
                    }
                    set32!(d, x % y);
                }
                I::I32And { d, a, b } => set32!(d, i32_!(a) & i32_!(b)),
                I::I32AndImm { d, a, imm } => set32!(d, i32_!(a) & imm as u32),
                I::I32Or { d, a, b } => set32!(d, i32_!(a) | i32_!(b)),
                I::I32Xor { d, a, b } => set32!(d, i32_!(a) ^ i32_!(b)),
                I::I32Shl { d, a, b } => set32!(d, i32_!(a).wrapping_shl(i32_!(b))),
                I::I32ShlImm { d, a, imm } => set32!(d, i32_!(a).wrapping_shl(imm as u32)),
                I::I32ShrS { d, a, b } => set32!(d, (i32_!(a) as i32).wrapping_shr(i32_!(b))),
                I::I32ShrSImm { d, a, imm } => {
                    set32!(d, (i32_!(a) as i32).wrapping_shr(imm as u32))
                }
                I::I32ShrU { d, a, b } => set32!(d, i32_!(a).wrapping_shr(i32_!(b))),
                I::I32ShrUImm { d, a, imm } => set32!(d, i32_!(a).wrapping_shr(imm as u32)),
                I::I32RotlImm { d, a, imm } => set32!(d, i32_!(a).rotate_left(imm as u32)),
                I::I32AddShlImm { d, a, i, k } => {
                    set32!(d, i32_!(a).wrapping_add(i32_!(i) << k))
                }
                I::I32XorRotlImm { d, b, a, k } => {
                    set32!(d, i32_!(b) ^ i32_!(a).rotate_left(k as u32))
                }
                I::I32XorShrUImm { d, b, a, k } => set32!(d, i32_!(b) ^ (i32_!(a) >> k)),
                I::I32Rotl { d, a, b } => set32!(d, i32_!(a).rotate_left(i32_!(b))),
                I::I32Rotr { d, a, b } => set32!(d, i32_!(a).rotate_right(i32_!(b))),

                // ---- i64 ----
                I::I64Eqz { d, a } => set32!(d, r!(a) == 0),
                I::I64Eq { d, a, b } => set32!(d, r!(a) == r!(b)),
                I::I64Ne { d, a, b } => set32!(d, r!(a) != r!(b)),
                I::I64LtS { d, a, b } => set32!(d, (r!(a) as i64) < r!(b) as i64),
                I::I64LtU { d, a, b } => set32!(d, r!(a) < r!(b)),
                I::I64GtS { d, a, b } => set32!(d, r!(a) as i64 > r!(b) as i64),
                I::I64GtU { d, a, b } => set32!(d, r!(a) > r!(b)),
                I::I64LeS { d, a, b } => set32!(d, r!(a) as i64 <= r!(b) as i64),
                I::I64LeU { d, a, b } => set32!(d, r!(a) <= r!(b)),
                I::I64GeS { d, a, b } => set32!(d, r!(a) as i64 >= r!(b) as i64),
                I::I64GeU { d, a, b } => set32!(d, r!(a) >= r!(b)),
                I::I64Clz { d, a } => r!(d) = r!(a).leading_zeros() as u64,
                I::I64Ctz { d, a } => r!(d) = r!(a).trailing_zeros() as u64,
                I::I64Popcnt { d, a } => r!(d) = r!(a).count_ones() as u64,
                I::I64Add { d, a, b } => r!(d) = r!(a).wrapping_add(r!(b)),
                I::I64AddImm { d, a, imm } => r!(d) = r!(a).wrapping_add(imm as i64 as u64),
                I::I64AndImm { d, a, imm } => r!(d) = r!(a) & imm as i64 as u64,
                I::I64OrImm { d, a, imm } => r!(d) = r!(a) | imm as i64 as u64,
                I::I64XorImm { d, a, imm } => r!(d) = r!(a) ^ imm as i64 as u64,
                // The compiler masked the count to 0..63.
                I::I64ShlImm { d, a, imm } => r!(d) = r!(a) << imm,
                I::I64ShrSImm { d, a, imm } => r!(d) = ((r!(a) as i64) >> imm) as u64,
                I::I64ShrUImm { d, a, imm } => r!(d) = r!(a) >> imm,
                I::I64EqImm { d, a, imm } => r!(d) = (r!(a) == imm as i64 as u64) as u64,
                I::I64NeImm { d, a, imm } => r!(d) = (r!(a) != imm as i64 as u64) as u64,
                I::I64LtSImm { d, a, imm } => r!(d) = ((r!(a) as i64) < imm as i64) as u64,
                I::I64LtUImm { d, a, imm } => r!(d) = (r!(a) < imm as i64 as u64) as u64,
                I::I64GtSImm { d, a, imm } => r!(d) = ((r!(a) as i64) > imm as i64) as u64,
                I::I64GtUImm { d, a, imm } => r!(d) = (r!(a) > imm as i64 as u64) as u64,
                I::I64ShrUImmAndImm { d, a, shr, imm } => {
                    r!(d) = (r!(a) >> shr) & imm as i64 as u64
                }
                I::I64ShrUAndImm { d, a, b, imm } => {
                    r!(d) = r!(a).wrapping_shr(r!(b) as u32) & imm as i64 as u64
                }
                I::I64OrShl { d, b, x, n } => r!(d) = r!(b) | r!(x).wrapping_shl(r!(n) as u32),
                I::I64XorShrAndShlOr {
                    d,
                    b,
                    a,
                    shr,
                    shl,
                    mask,
                } => {
                    let halves = ((r!(a) >> shr) & mask as i64 as u64) | (r!(a) << shl);
                    r!(d) = r!(b) ^ halves
                }
                I::I64ShrAndShlOr {
                    d,
                    a,
                    shr,
                    shl,
                    mask,
                } => r!(d) = ((r!(a) >> shr) & mask as i64 as u64) | (r!(a) << shl),
                I::I64Sub { d, a, b } => r!(d) = r!(a).wrapping_sub(r!(b)),
                I::I64Mul { d, a, b } => r!(d) = r!(a).wrapping_mul(r!(b)),
                I::I64DivS { d, a, b } => {
                    let (x, y) = (r!(a) as i64, r!(b) as i64);
                    if y == 0 {
                        return Err(Trap::IntegerDivideByZero);
                    }
                    if x == i64::MIN && y == -1 {
                        return Err(Trap::IntegerOverflow);
                    }
                    r!(d) = (x / y) as u64;
                }
                I::I64DivU { d, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if y == 0 {
                        return Err(Trap::IntegerDivideByZero);
                    }
                    r!(d) = x / y;
                }
                I::I64RemS { d, a, b } => {
                    let (x, y) = (r!(a) as i64, r!(b) as i64);
                    if y == 0 {
                        return Err(Trap::IntegerDivideByZero);
                    }
                    r!(d) = x.wrapping_rem(y) as u64;
                }
                I::I64RemU { d, a, b } => {
                    let (x, y) = (r!(a), r!(b));
                    if y == 0 {
                        return Err(Trap::IntegerDivideByZero);
                    }
                    r!(d) = x % y;
                }
                I::I64And { d, a, b } => r!(d) = r!(a) & r!(b),
                I::I64Or { d, a, b } => r!(d) = r!(a) | r!(b),
                I::I64Xor { d, a, b } => r!(d) = r!(a) ^ r!(b),
                I::I64Shl { d, a, b } => r!(d) = r!(a).wrapping_shl(r!(b) as u32),
                I::I64ShrS { d, a, b } => r!(d) = (r!(a) as i64).wrapping_shr(r!(b) as u32) as u64,
                I::I64ShrU { d, a, b } => r!(d) = r!(a).wrapping_shr(r!(b) as u32),
                I::I64Rotl { d, a, b } => r!(d) = r!(a).rotate_left((r!(b) & 63) as u32),
                I::I64Rotr { d, a, b } => r!(d) = r!(a).rotate_right((r!(b) & 63) as u32),

                // ---- f32 ----
                I::F32Eq { d, a, b } => set32!(d, f32_!(a) == f32_!(b)),
                I::F32Ne { d, a, b } => set32!(d, f32_!(a) != f32_!(b)),
                I::F32Lt { d, a, b } => set32!(d, f32_!(a) < f32_!(b)),
                I::F32Gt { d, a, b } => set32!(d, f32_!(a) > f32_!(b)),
                I::F32Le { d, a, b } => set32!(d, f32_!(a) <= f32_!(b)),
                I::F32Ge { d, a, b } => set32!(d, f32_!(a) >= f32_!(b)),
                I::F32Abs { d, a } => set32!(d, i32_!(a) & 0x7fff_ffff),
                I::F32Neg { d, a } => set32!(d, i32_!(a) ^ 0x8000_0000),
                I::F32Copysign { d, a, b } => {
                    set32!(d, (i32_!(a) & 0x7fff_ffff) | (i32_!(b) & 0x8000_0000))
                }
                I::F32Ceil { d, a } => setf32!(d, float::quiet32(f32_!(a).ceil())),
                I::F32Floor { d, a } => setf32!(d, float::quiet32(f32_!(a).floor())),
                I::F32Trunc { d, a } => setf32!(d, float::quiet32(f32_!(a).trunc())),
                I::F32Nearest { d, a } => {
                    setf32!(d, float::quiet32(float::nearest32(f32_!(a))))
                }
                I::F32Sqrt { d, a } => setf32!(d, float::quiet32(f32_!(a).sqrt())),
                I::F32Add { d, a, b } => setf32!(d, f32_!(a) + f32_!(b)),
                I::F32Sub { d, a, b } => setf32!(d, f32_!(a) - f32_!(b)),
                I::F32Mul { d, a, b } => setf32!(d, f32_!(a) * f32_!(b)),
                I::F32Div { d, a, b } => setf32!(d, f32_!(a) / f32_!(b)),
                I::F32Min { d, a, b } => setf32!(d, float::fmin32(f32_!(a), f32_!(b))),
                I::F32Max { d, a, b } => setf32!(d, float::fmax32(f32_!(a), f32_!(b))),

                // ---- f64 ----
                I::F64Eq { d, a, b } => set32!(d, f64_!(a) == f64_!(b)),
                I::F64Ne { d, a, b } => set32!(d, f64_!(a) != f64_!(b)),
                I::F64Lt { d, a, b } => set32!(d, f64_!(a) < f64_!(b)),
                I::F64Gt { d, a, b } => set32!(d, f64_!(a) > f64_!(b)),
                I::F64Le { d, a, b } => set32!(d, f64_!(a) <= f64_!(b)),
                I::F64Ge { d, a, b } => set32!(d, f64_!(a) >= f64_!(b)),
                I::F64Abs { d, a } => r!(d) = r!(a) & 0x7fff_ffff_ffff_ffff,
                I::F64Neg { d, a } => r!(d) = r!(a) ^ 0x8000_0000_0000_0000,
                I::F64Copysign { d, a, b } => {
                    r!(d) = (r!(a) & 0x7fff_ffff_ffff_ffff) | (r!(b) & 0x8000_0000_0000_0000)
                }
                I::F64Ceil { d, a } => setf64!(d, float::quiet64(f64_!(a).ceil())),
                I::F64Floor { d, a } => setf64!(d, float::quiet64(f64_!(a).floor())),
                I::F64Trunc { d, a } => setf64!(d, float::quiet64(f64_!(a).trunc())),
                I::F64Nearest { d, a } => {
                    setf64!(d, float::quiet64(float::nearest64(f64_!(a))))
                }
                I::F64Sqrt { d, a } => setf64!(d, float::quiet64(f64_!(a).sqrt())),
                I::F64Add { d, a, b } => setf64!(d, f64_!(a) + f64_!(b)),
                I::F64Sub { d, a, b } => setf64!(d, f64_!(a) - f64_!(b)),
                I::F64Mul { d, a, b } => setf64!(d, f64_!(a) * f64_!(b)),
                I::F64Div { d, a, b } => setf64!(d, f64_!(a) / f64_!(b)),
                I::F64AddMul { d, c, a, b } => setf64!(d, f64_!(c) + f64_!(a) * f64_!(b)),
                I::F64SubMul { d, c, a, b } => setf64!(d, f64_!(c) - f64_!(a) * f64_!(b)),
                I::F64MulAdd { d, a, b, c } => setf64!(d, f64_!(a) * f64_!(b) + f64_!(c)),
                I::F64CanonNan { d, a } => {
                    r!(d) = if f64_!(a).is_nan() {
                        float::CANONICAL_NAN64
                    } else {
                        r!(a)
                    }
                }
                I::F32CanonNan { d, a } => {
                    r!(d) = if f32_!(a).is_nan() {
                        float::CANONICAL_NAN32 as u64
                    } else {
                        r!(a)
                    }
                }
                I::F64Min { d, a, b } => setf64!(d, float::fmin64(f64_!(a), f64_!(b))),
                I::F64Max { d, a, b } => setf64!(d, float::fmax64(f64_!(a), f64_!(b))),

                // ---- conversions ----
                I::I32WrapI64 { d, a } => set32!(d, r!(a)),
                I::I64ExtendI32S { d, a } => r!(d) = i32_!(a) as i32 as i64 as u64,
                I::I64ExtendI32U { d, a } => r!(d) = i32_!(a) as u64,
                I::I32TruncF32S { d, a } => set32!(d, convert::i32_trunc_f32_s(f32_!(a))?),
                I::I32TruncF32U { d, a } => set32!(d, convert::i32_trunc_f32_u(f32_!(a))?),
                I::I32TruncF64S { d, a } => set32!(d, convert::i32_trunc_f64_s(f64_!(a))?),
                I::I32TruncF64U { d, a } => set32!(d, convert::i32_trunc_f64_u(f64_!(a))?),
                I::I64TruncF32S { d, a } => r!(d) = convert::i64_trunc_f32_s(f32_!(a))? as u64,
                I::I64TruncF32U { d, a } => r!(d) = convert::i64_trunc_f32_u(f32_!(a))?,
                I::I64TruncF64S { d, a } => r!(d) = convert::i64_trunc_f64_s(f64_!(a))? as u64,
                I::I64TruncF64U { d, a } => r!(d) = convert::i64_trunc_f64_u(f64_!(a))?,
                I::I32TruncSatF32S { d, a } => set32!(d, f32_!(a) as i32),
                I::I32TruncSatF32U { d, a } => set32!(d, f32_!(a) as u32),
                I::I32TruncSatF64S { d, a } => set32!(d, f64_!(a) as i32),
                I::I32TruncSatF64U { d, a } => set32!(d, f64_!(a) as u32),
                I::I64TruncSatF32S { d, a } => r!(d) = f32_!(a) as i64 as u64,
                I::I64TruncSatF32U { d, a } => r!(d) = f32_!(a) as u64,
                I::I64TruncSatF64S { d, a } => r!(d) = f64_!(a) as i64 as u64,
                I::I64TruncSatF64U { d, a } => r!(d) = f64_!(a) as u64,
                I::F32ConvertI32S { d, a } => setf32!(d, i32_!(a) as i32 as f32),
                I::F32ConvertI32U { d, a } => setf32!(d, i32_!(a) as f32),
                I::F32ConvertI64S { d, a } => setf32!(d, r!(a) as i64 as f32),
                I::F32ConvertI64U { d, a } => setf32!(d, r!(a) as f32),
                I::F32DemoteF64 { d, a } => setf32!(d, f64_!(a) as f32),
                I::F64ConvertI32S { d, a } => setf64!(d, i32_!(a) as i32 as f64),
                I::F64ConvertI32U { d, a } => setf64!(d, i32_!(a) as f64),
                I::F64ConvertI64S { d, a } => setf64!(d, r!(a) as i64 as f64),
                I::F64ConvertI64U { d, a } => setf64!(d, r!(a) as f64),
                I::F64PromoteF32 { d, a } => setf64!(d, f32_!(a) as f64),
                I::I32Extend8S { d, a } => set32!(d, r!(a) as i8 as i32),
                I::I32Extend16S { d, a } => set32!(d, r!(a) as i16 as i32),
                I::I64Extend8S { d, a } => r!(d) = r!(a) as i8 as i64 as u64,
                I::I64Extend16S { d, a } => r!(d) = r!(a) as i16 as i64 as u64,
                I::I64Extend32S { d, a } => r!(d) = r!(a) as i32 as i64 as u64,
                // Everything else needs the store: hand it back.
                _ => {
                    self.pc = ip.offset_from(instrs) as usize - 1;
                    return Ok(());
                }
            }
        }
    }
}
