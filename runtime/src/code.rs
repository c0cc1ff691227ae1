//! The internal code a function is pre-decoded into.
//!
//! Every operand is a *slot*: an index into the current frame's window of the value stack
//! (`u64` cells; a `v128` takes two adjacent cells). Locals occupy the first slots, operand-stack
//! positions the ones above, so the dispatch loop never pushes or pops: it reads and writes
//! frame-relative cells. Branch targets are instruction indices inside the same function.
//! An instruction is 16 bytes; rarely used operands live in per-function side tables.

/// A frame-relative value-stack cell index.
pub type Slot = u32;
/// An instruction index inside one function's code.
pub type Pc = u32;

macro_rules! instrs {
    (
        binary: [$($bin:ident),* $(,)?],
        binary_imm: [$($bimm:ident),* $(,)?],
        unary: [$($un:ident),* $(,)?],
        load: [$($ld:ident),* $(,)?],
        store: [$($st:ident),* $(,)?],
        branch_cmp: [$($bc:ident),* $(,)?],
        branch_imm: [$($bi:ident),* $(,)?],
        add_imm_branch: [$($ab:ident),* $(,)?],
        add_branch: [$($as:ident),* $(,)?],
        other: { $($other:tt)* }
    ) => {
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub enum Instr {
            $(
                /// `d = a <op> b`
                $bin { d: Slot, a: Slot, b: Slot },
            )*
            $(
                /// `d = a <op> imm` (the right operand was a constant)
                $bimm { d: Slot, a: Slot, imm: i32 },
            )*
            $(
                /// `d = <op> a`
                $un { d: Slot, a: Slot },
            )*
            $(
                /// `d = mem[addr + off]`
                $ld { d: Slot, addr: Slot, off: u32 },
            )*
            $(
                /// `mem[addr + off] = val`
                $st { addr: Slot, val: Slot, off: u32 },
            )*
            $(
                /// branch to `t` when `a <cmp> b` holds (a fused compare + br_if)
                $bc { a: Slot, b: Slot, t: Pc },
            )*
            $(
                /// branch to `t` when `a <cmp> imm` holds
                $bi { a: Slot, imm: i32, t: Pc },
            )*
            $(
                /// `d = a + imm`, then branch to `t` when `d <cmp> b` holds (a counter stepped
                /// and tested, or translated code's bounds check, in one dispatch)
                $ab { d: u16, a: u16, b: u16, imm: i32, t: Pc },
            )*
            $(
                /// `d = a + b`, then branch to `t` when `d <cmp> c` holds
                $as { d: u16, a: u16, b: u16, c: u16, t: Pc },
            )*
            $($other)*
        }

        impl Instr {
            /// The result slot of a single-result instruction, which the compiler may retarget
            /// (e.g. straight into a local for `i32.add; local.set`).
            pub fn dst_mut(&mut self) -> Option<&mut Slot> {
                match self {
                    $(Instr::$bin { d, .. } => Some(d),)*
                    $(Instr::$bimm { d, .. } => Some(d),)*
                    $(Instr::$un { d, .. } => Some(d),)*
                    $(Instr::$ld { d, .. } => Some(d),)*
                    Instr::Const32 { d, .. } | Instr::Const64 { d, .. } | Instr::GlobalGet { d, .. } => Some(d),
                    Instr::I32LoadAddImm { d, .. } | Instr::I64LoadAddImm { d, .. }
                    | Instr::I32Load8UAddImm { d, .. } | Instr::I32Load8SAddImm { d, .. }
                    | Instr::I32Load16UAddImm { d, .. } | Instr::I32Load16SAddImm { d, .. }
                    | Instr::I32LoadAdd { d, .. } | Instr::I64LoadAdd { d, .. } => Some(d),
                    Instr::F64AddMul { d, .. } | Instr::F64SubMul { d, .. } => Some(d),
                    Instr::F64MulAdd { d, .. } => Some(d),
                    Instr::F64CanonNan { d, .. } | Instr::F32CanonNan { d, .. } => Some(d),
                    Instr::I64ShrAndShlOr { d, .. } | Instr::I64XorShrAndShlOr { d, .. } => Some(d),
                    Instr::I32XorRotlImm { d, .. } | Instr::I32XorShrUImm { d, .. } => Some(d),
                    Instr::I32AddShlImm { d, .. } => Some(d),
                    Instr::I64ShrUImmAndImm { d, .. } | Instr::I64ShrUAndImm { d, .. } => Some(d),
                    Instr::I64OrShl { d, .. } => Some(d),
                    _ => None,
                }
            }

            /// Constructors of the add-immediate-and-branch instructions from
            /// (d, a, b, imm, t), in their list's order: i32 then i64, each by comparison kind.
            pub const ADD_IMM_BRANCHES: &'static [fn(u16, u16, u16, i32, Pc) -> Instr] =
                &[$(|d, a, b, imm, t| Instr::$ab { d, a, b, imm, t }),*];

            /// Constructors of the add-and-branch instructions from (d, a, b, c, t), in the
            /// same order.
            pub const ADD_BRANCHES: &'static [fn(u16, u16, u16, u16, Pc) -> Instr] =
                &[$(|d, a, b, c, t| Instr::$as { d, a, b, c, t }),*];

            /// The branch target of a branch instruction, for patching forward labels.
            pub fn target_mut(&mut self) -> Option<&mut Pc> {
                match self {
                    $(Instr::$bc { t, .. } => Some(t),)*
                    $(Instr::$bi { t, .. } => Some(t),)*
                    $(Instr::$ab { t, .. } => Some(t),)*
                    $(Instr::$as { t, .. } => Some(t),)*
                    Instr::Br { t } | Instr::BrIfZ { t, .. } | Instr::BrIfNz { t, .. } => Some(t),
                    Instr::I64SumBrGtU { t, .. } | Instr::I64SumBrLeU { t, .. } => Some(t),
                    _ => None,
                }
            }
        }
    };
}

instrs! {
    binary: [
        I32Eq, I32Ne, I32LtS, I32LtU, I32GtS, I32GtU, I32LeS, I32LeU, I32GeS, I32GeU,
        I32Add, I32Sub, I32Mul, I32DivS, I32DivU, I32RemS, I32RemU, I32And, I32Or, I32Xor,
        I32Shl, I32ShrS, I32ShrU, I32Rotl, I32Rotr,
        I64Eq, I64Ne, I64LtS, I64LtU, I64GtS, I64GtU, I64LeS, I64LeU, I64GeS, I64GeU,
        I64Add, I64Sub, I64Mul, I64DivS, I64DivU, I64RemS, I64RemU, I64And, I64Or, I64Xor,
        I64Shl, I64ShrS, I64ShrU, I64Rotl, I64Rotr,
        F32Eq, F32Ne, F32Lt, F32Gt, F32Le, F32Ge,
        F32Add, F32Sub, F32Mul, F32Div, F32Min, F32Max, F32Copysign,
        F64Eq, F64Ne, F64Lt, F64Gt, F64Le, F64Ge,
        F64Add, F64Sub, F64Mul, F64Div, F64Min, F64Max, F64Copysign,
    ],
    binary_imm: [
        I32AddImm, I32AndImm, I32ShlImm, I32ShrSImm, I32ShrUImm, I32RotlImm,
        I32EqImm, I32NeImm, I32LtSImm, I32LtUImm, I32GtSImm, I32GtUImm,
        I64AddImm, I64AndImm, I64OrImm, I64XorImm, I64ShlImm, I64ShrSImm, I64ShrUImm,
        I64EqImm, I64NeImm, I64LtSImm, I64LtUImm, I64GtSImm, I64GtUImm,
    ],
    unary: [
        Copy, Copy2,
        I32Eqz, I32Clz, I32Ctz, I32Popcnt,
        I64Eqz, I64Clz, I64Ctz, I64Popcnt,
        F32Abs, F32Neg, F32Ceil, F32Floor, F32Trunc, F32Nearest, F32Sqrt,
        F64Abs, F64Neg, F64Ceil, F64Floor, F64Trunc, F64Nearest, F64Sqrt,
        I32WrapI64, I32TruncF32S, I32TruncF32U, I32TruncF64S, I32TruncF64U,
        I64ExtendI32S, I64ExtendI32U, I64TruncF32S, I64TruncF32U, I64TruncF64S, I64TruncF64U,
        F32ConvertI32S, F32ConvertI32U, F32ConvertI64S, F32ConvertI64U, F32DemoteF64,
        F64ConvertI32S, F64ConvertI32U, F64ConvertI64S, F64ConvertI64U, F64PromoteF32,
        I32Extend8S, I32Extend16S, I64Extend8S, I64Extend16S, I64Extend32S,
        I32TruncSatF32S, I32TruncSatF32U, I32TruncSatF64S, I32TruncSatF64U,
        I64TruncSatF32S, I64TruncSatF32U, I64TruncSatF64S, I64TruncSatF64U,
        RefIsNull,
    ],
    load: [
        I32Load, I64Load, I32Load8S, I32Load8U, I32Load16S, I32Load16U,
        I64Load8S, I64Load8U, I64Load16S, I64Load16U, I64Load32S, I64Load32U, V128Load,
    ],
    store: [I32Store, I64Store, I32Store8, I32Store16, I64Store8, I64Store16, I64Store32, V128Store],
    branch_cmp: [
        BrI32Eq, BrI32Ne, BrI32LtS, BrI32LtU, BrI32GtS, BrI32GtU, BrI32LeS, BrI32LeU,
        BrI32GeS, BrI32GeU,
        BrI64Eq, BrI64Ne, BrI64LtS, BrI64LtU, BrI64GtS, BrI64GtU, BrI64LeS, BrI64LeU,
        BrI64GeS, BrI64GeU,
    ],
    branch_imm: [
        BrI32EqImm, BrI32NeImm, BrI32LtSImm, BrI32LtUImm, BrI32GtSImm, BrI32GtUImm,
        BrI32LeSImm, BrI32LeUImm, BrI32GeSImm, BrI32GeUImm,
        BrI64EqImm, BrI64NeImm, BrI64LtSImm, BrI64LtUImm, BrI64GtSImm, BrI64GtUImm,
        BrI64LeSImm, BrI64LeUImm, BrI64GeSImm, BrI64GeUImm,
    ],
    // Both lists: i32 then i64, each in the compiler's comparison order (`comparison` in
    // compile.rs), which indexes `Instr::ADD_IMM_BRANCHES` and `Instr::ADD_BRANCHES`.
    add_imm_branch: [
        I32AddImmBrEq, I32AddImmBrNe, I32AddImmBrLtS, I32AddImmBrGeS, I32AddImmBrLtU,
        I32AddImmBrGeU, I32AddImmBrGtS, I32AddImmBrLeS, I32AddImmBrGtU, I32AddImmBrLeU,
        I64AddImmBrEq, I64AddImmBrNe, I64AddImmBrLtS, I64AddImmBrGeS, I64AddImmBrLtU,
        I64AddImmBrGeU, I64AddImmBrGtS, I64AddImmBrLeS, I64AddImmBrGtU, I64AddImmBrLeU,
    ],
    add_branch: [
        I32AddBrEq, I32AddBrNe, I32AddBrLtS, I32AddBrGeS, I32AddBrLtU,
        I32AddBrGeU, I32AddBrGtS, I32AddBrLeS, I32AddBrGtU, I32AddBrLeU,
        I64AddBrEq, I64AddBrNe, I64AddBrLtS, I64AddBrGeS, I64AddBrLtU,
        I64AddBrGeU, I64AddBrGtS, I64AddBrLeS, I64AddBrGtU, I64AddBrLeU,
    ],
    other: {
        /// Trap with "unreachable".
        Unreachable,
        /// Two cell copies in one dispatch (consecutive `local.set`s of locals), for frames
        /// whose slots fit 16 bits.
        CopyPair { d1: u16, a1: u16, d2: u16, a2: u16 },
        /// `d = v` (i32/f32 bits zero-extended, or any 64-bit value)
        Const32 { d: Slot, v: u32 },
        Const64 { d: Slot, v: u64 },
        /// `d..d+2 = consts[idx]`
        ConstV128 { d: Slot, idx: u32 },
        /// `d = if c != 0 { d } else { b }` (the first operand was moved into `d` beforehand)
        Select { d: Slot, b: Slot, c: Slot },
        SelectV128 { d: Slot, b: Slot, c: Slot },
        Br { t: Pc },
        BrIfZ { c: Slot, t: Pc },
        BrIfNz { c: Slot, t: Pc },
        /// jump to `br_tables[start + min(i, len)]`
        BrTable { i: Slot, start: u32, len: u32 },
        /// copy `n` cells from `s` to slot 0 and return to the caller
        Return { s: Slot, n: u32 },
        /// call the module's function `f`; arguments (and then results) at `base`
        Call { f: u32, base: Slot },
        /// call through `tables[sites[site].table][i]` checked against `sites[site].ty`
        CallIndirect { i: Slot, base: Slot, site: u32 },
        /// tail calls: arguments at `base` move to slot 0 and replace the current frame
        ReturnCall { f: u32, base: Slot },
        ReturnCallIndirect { i: Slot, base: Slot, site: u32 },
        GlobalGet { d: Slot, g: u32 },
        GlobalSet { s: Slot, g: u32 },
        GlobalGetV128 { d: Slot, g: u32 },
        GlobalSetV128 { s: Slot, g: u32 },
        RefFunc { d: Slot, f: u32 },
        TableGet { d: Slot, i: Slot, t: u32 },
        TableSet { i: Slot, v: Slot, t: u32 },
        TableSize { d: Slot, t: u32 },
        /// operands (init, n) at `base`; result at `base`
        TableGrow { base: Slot, t: u32 },
        /// operands (i, v, n) at `base`
        TableFill { base: Slot, t: u32 },
        /// operands (d, s, n) at `base`
        TableCopy { base: Slot, dt: u32, st: u32 },
        TableInit { base: Slot, t: u32, e: u32 },
        ElemDrop { e: u32 },
        MemorySize { d: Slot },
        MemoryGrow { d: Slot, n: Slot },
        /// operands (d, v, n) at `base`
        MemoryFill { base: Slot },
        /// operands (d, s, n) at `base`
        MemoryCopy { base: Slot },
        MemoryInit { base: Slot, seg: u32 },
        DataDrop { seg: u32 },
        /// A SIMD instruction: operands and result at `base`, details in `simd[idx]`.
        Simd { base: Slot, idx: u32 },
        // Loads whose address is the i32 sum just computed for them (wrapping, as `i32.add`
        // does), `a + imm` or `a + b`, then `off` added without wrapping as for any load:
        // compilers emit the add when they cannot prove it does not wrap, so element and
        // field accesses are two instructions that become one dispatch here.
        I32LoadAddImm { d: Slot, a: u16, imm: i32, off: u32 },
        I64LoadAddImm { d: Slot, a: u16, imm: i32, off: u32 },
        I32Load8UAddImm { d: Slot, a: u16, imm: i32, off: u32 },
        I32Load8SAddImm { d: Slot, a: u16, imm: i32, off: u32 },
        I32Load16UAddImm { d: Slot, a: u16, imm: i32, off: u32 },
        I32Load16SAddImm { d: Slot, a: u16, imm: i32, off: u32 },
        I32LoadAdd { d: Slot, a: u16, b: u16, off: u32 },
        I64LoadAdd { d: Slot, a: u16, b: u16, off: u32 },
        /// `d = c + a * b` and `d = c - a * b` with the product rounded first, exactly as the
        /// `f64.mul` (whose result only fed the add or sub) and the `f64.add`/`f64.sub`; not FMA.
        F64AddMul { d: Slot, c: u16, a: u16, b: u16 },
        F64SubMul { d: Slot, c: u16, a: u16, b: u16 },
        /// `d = a * b + c`, the same with the product on the left.
        F64MulAdd { d: Slot, a: u16, b: u16, c: u16 },
        /// `d = a`, or the canonical NaN when `a` is a NaN: `select(nan, x, x != x)`, which
        /// translated code puts after every floating-point result.
        F64CanonNan { d: Slot, a: Slot },
        F32CanonNan { d: Slot, a: Slot },
        /// `d = a + b`, then branch to `t` when `d + cells[k]` is above (or not above) `c`,
        /// unsigned, all in i64: translated code's bounds check (cell `k` is a constant slot).
        I64SumBrGtU { d: u16, a: u16, b: u16, k: u16, c: u16, t: Pc },
        I64SumBrLeU { d: u16, a: u16, b: u16, k: u16, c: u16, t: Pc },
        /// `d = a + (i << k)` (i32, wrapping; `k` below 32): an element's address
        I32AddShlImm { d: Slot, a: u16, i: u16, k: u8 },
        /// `d = b ^ rotl(a, k)` and `d = b ^ (a >> k)` (i32; `k` below 32)
        I32XorRotlImm { d: Slot, b: u16, a: u16, k: u8 },
        I32XorShrUImm { d: Slot, b: u16, a: u16, k: u8 },
        /// `d = (a >> shr) & imm` and `d = (a >> (b & 63)) & imm` (i64, `imm` sign-extended)
        I64ShrUImmAndImm { d: Slot, a: u16, shr: u8, imm: i32 },
        I64ShrUAndImm { d: Slot, a: u16, b: u16, imm: i32 },
        /// `d = b | (x << (n & 63))` (i64): setting a bit
        I64OrShl { d: Slot, b: u16, x: u16, n: u16 },
        /// `d = ((a >> shr) & mask) | (a << shl)` in 64 bits (`mask` sign-extended): the
        /// halves of a 32-bit rotate as translated RISC-V code computes it.
        I64ShrAndShlOr { d: Slot, a: u16, shr: u8, shl: u8, mask: i32 },
        /// `d = b ^ (((a >> shr) & mask) | (a << shl))`: the same xor-ed into `b`
        I64XorShrAndShlOr { d: Slot, b: u16, a: u16, shr: u8, shl: u8, mask: i32 },
    }
}

/// Conditional branches in pairs that test opposite conditions with the same operands.
macro_rules! negations {
    ($( $x:ident / $y:ident { $($f:ident),* } ),* $(,)?) => {
        impl Instr {
            /// The branch taken exactly when this one is not (same operands and target).
            pub fn negated(self) -> Option<Instr> {
                Some(match self {
                    $(
                        Instr::$x { $($f),* } => Instr::$y { $($f),* },
                        Instr::$y { $($f),* } => Instr::$x { $($f),* },
                    )*
                    _ => return None,
                })
            }
        }
    };
}

negations! {
    BrIfZ / BrIfNz { c, t },
    BrI32Eq / BrI32Ne { a, b, t }, BrI32LtS / BrI32GeS { a, b, t },
    BrI32LtU / BrI32GeU { a, b, t }, BrI32GtS / BrI32LeS { a, b, t },
    BrI32GtU / BrI32LeU { a, b, t },
    BrI64Eq / BrI64Ne { a, b, t }, BrI64LtS / BrI64GeS { a, b, t },
    BrI64LtU / BrI64GeU { a, b, t }, BrI64GtS / BrI64LeS { a, b, t },
    BrI64GtU / BrI64LeU { a, b, t },
    BrI32EqImm / BrI32NeImm { a, imm, t }, BrI32LtSImm / BrI32GeSImm { a, imm, t },
    BrI32LtUImm / BrI32GeUImm { a, imm, t }, BrI32GtSImm / BrI32LeSImm { a, imm, t },
    BrI32GtUImm / BrI32LeUImm { a, imm, t },
    BrI64EqImm / BrI64NeImm { a, imm, t }, BrI64LtSImm / BrI64GeSImm { a, imm, t },
    BrI64LtUImm / BrI64GeUImm { a, imm, t }, BrI64GtSImm / BrI64LeSImm { a, imm, t },
    BrI64GtUImm / BrI64LeUImm { a, imm, t },
    I32AddImmBrEq / I32AddImmBrNe { d, a, b, imm, t },
    I32AddImmBrLtS / I32AddImmBrGeS { d, a, b, imm, t },
    I32AddImmBrLtU / I32AddImmBrGeU { d, a, b, imm, t },
    I32AddImmBrGtS / I32AddImmBrLeS { d, a, b, imm, t },
    I32AddImmBrGtU / I32AddImmBrLeU { d, a, b, imm, t },
    I64AddImmBrEq / I64AddImmBrNe { d, a, b, imm, t },
    I64AddImmBrLtS / I64AddImmBrGeS { d, a, b, imm, t },
    I64AddImmBrLtU / I64AddImmBrGeU { d, a, b, imm, t },
    I64AddImmBrGtS / I64AddImmBrLeS { d, a, b, imm, t },
    I64AddImmBrGtU / I64AddImmBrLeU { d, a, b, imm, t },
    I64SumBrGtU / I64SumBrLeU { d, a, b, k, c, t },
    I32AddBrEq / I32AddBrNe { d, a, b, c, t },
    I32AddBrLtS / I32AddBrGeS { d, a, b, c, t },
    I32AddBrLtU / I32AddBrGeU { d, a, b, c, t },
    I32AddBrGtS / I32AddBrLeS { d, a, b, c, t },
    I32AddBrGtU / I32AddBrLeU { d, a, b, c, t },
    I64AddBrEq / I64AddBrNe { d, a, b, c, t },
    I64AddBrLtS / I64AddBrGeS { d, a, b, c, t },
    I64AddBrLtU / I64AddBrGeU { d, a, b, c, t },
    I64AddBrGtS / I64AddBrLeS { d, a, b, c, t },
    I64AddBrGtU / I64AddBrLeU { d, a, b, c, t },
}

/// `call_indirect` details kept out of the instruction stream.
#[derive(Debug, Clone, Copy)]
pub struct CallSite {
    pub table: u32,
    /// The module-level type index the callee must match.
    pub ty: u32,
}

/// One pre-decoded function.
#[derive(Debug, Default)]
pub struct Code {
    pub instrs: Vec<Instr>,
    /// Branch-table targets: each `BrTable` owns `len + 1` entries (the last is the default).
    pub br_tables: Vec<Pc>,
    pub call_sites: Vec<CallSite>,
    pub v128_consts: Vec<u128>,
    pub simd: Vec<crate::ops::simd::SimdOp>,
    /// Cells taken by parameters (they arrive in slots `0..param_slots`).
    pub param_slots: u32,
    /// Cells taken by parameters and locals; `param_slots..local_slots` are zeroed on entry.
    pub local_slots: u32,
    /// Constants copied to the cells after the locals on entry.
    pub consts: Vec<u64>,
    /// The frame's total window: locals plus the deepest operand stack.
    pub max_slots: u32,
    /// Cells taken by the results.
    pub result_slots: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_are_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Instr>(), 16);
    }

    #[test]
    fn add_branch_tables_follow_the_comparison_order() {
        // The order of `comparison` in compile.rs.
        const KINDS: [&str; 10] = [
            "Eq", "Ne", "LtS", "GeS", "LtU", "GeU", "GtS", "LeS", "GtU", "LeU",
        ];
        let name = |i: Instr| format!("{i:?}").split(' ').next().unwrap().to_string();
        for (width, prefix) in [(0, "I32"), (10, "I64")] {
            for (k, kind) in KINDS.iter().enumerate() {
                let imm = name(Instr::ADD_IMM_BRANCHES[width + k](1, 2, 3, 4, 5));
                assert_eq!(imm, format!("{prefix}AddImmBr{kind}"));
                let slot = name(Instr::ADD_BRANCHES[width + k](1, 2, 3, 4, 5));
                assert_eq!(slot, format!("{prefix}AddBr{kind}"));
            }
        }
        assert_eq!(Instr::ADD_IMM_BRANCHES.len(), 20);
        assert_eq!(Instr::ADD_BRANCHES.len(), 20);
    }

    #[test]
    fn dst_and_target_are_patchable() {
        let mut i = Instr::I32Add { d: 1, a: 2, b: 3 };
        *i.dst_mut().unwrap() = 7;
        assert_eq!(i, Instr::I32Add { d: 7, a: 2, b: 3 });
        let mut b = Instr::BrIfZ { c: 0, t: 0 };
        *b.target_mut().unwrap() = 9;
        assert_eq!(b, Instr::BrIfZ { c: 0, t: 9 });
        assert!(Instr::Unreachable.dst_mut().is_none());
    }
}
