//! Fixed-width SIMD (v128).
//!
//! SIMD instructions are rare in the code we run, so they take one slow path: the compiler
//! makes the operands canonical (consecutive cells from a base slot, a v128 in two cells),
//! stores the operator in a side table, and `execute` works on lane arrays. The result
//! replaces the operands at the base slot.

use wasmparser::Operator;

use super::float::{fmax32, fmax64, fmin32, fmin64, nearest32, nearest64, quiet32, quiet64};
use crate::trap::Trap;

macro_rules! define_simd_op {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        /// An owned copy of a SIMD operator with its immediates.
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub enum SimdOp {
            $( $op $({ $($arg: $argty),* })?, )*
        }

        impl SimdOp {
            pub fn from_operator(op: &Operator) -> Option<SimdOp> {
                match *op {
                    $( Operator::$op $({ $($arg),* })? => Some(SimdOp::$op $({ $($arg),* })?), )*
                    _ => None,
                }
            }
        }
    };
}
wasmparser::for_each_visit_simd_operator!(define_simd_op);

const V: u8 = 2;
const S: u8 = 1;

impl SimdOp {
    /// Cells of each operand and of each result.
    pub fn arity(&self) -> (&'static [u8], &'static [u8]) {
        use SimdOp::*;
        match self {
            V128Load { .. }
            | V128Load8x8S { .. }
            | V128Load8x8U { .. }
            | V128Load16x4S { .. }
            | V128Load16x4U { .. }
            | V128Load32x2S { .. }
            | V128Load32x2U { .. }
            | V128Load8Splat { .. }
            | V128Load16Splat { .. }
            | V128Load32Splat { .. }
            | V128Load64Splat { .. }
            | V128Load32Zero { .. }
            | V128Load64Zero { .. } => (&[S], &[V]),
            V128Store { .. } => (&[S, V], &[]),
            V128Load8Lane { .. }
            | V128Load16Lane { .. }
            | V128Load32Lane { .. }
            | V128Load64Lane { .. } => (&[S, V], &[V]),
            V128Store8Lane { .. }
            | V128Store16Lane { .. }
            | V128Store32Lane { .. }
            | V128Store64Lane { .. } => (&[S, V], &[]),
            V128Const { .. } => (&[], &[V]),
            I8x16ExtractLaneS { .. }
            | I8x16ExtractLaneU { .. }
            | I16x8ExtractLaneS { .. }
            | I16x8ExtractLaneU { .. }
            | I32x4ExtractLane { .. }
            | I64x2ExtractLane { .. }
            | F32x4ExtractLane { .. }
            | F64x2ExtractLane { .. }
            | V128AnyTrue
            | I8x16AllTrue
            | I8x16Bitmask
            | I16x8AllTrue
            | I16x8Bitmask
            | I32x4AllTrue
            | I32x4Bitmask
            | I64x2AllTrue
            | I64x2Bitmask => (&[V], &[S]),
            I8x16ReplaceLane { .. }
            | I16x8ReplaceLane { .. }
            | I32x4ReplaceLane { .. }
            | I64x2ReplaceLane { .. }
            | F32x4ReplaceLane { .. }
            | F64x2ReplaceLane { .. }
            | I8x16Shl
            | I8x16ShrS
            | I8x16ShrU
            | I16x8Shl
            | I16x8ShrS
            | I16x8ShrU
            | I32x4Shl
            | I32x4ShrS
            | I32x4ShrU
            | I64x2Shl
            | I64x2ShrS
            | I64x2ShrU => (&[V, S], &[V]),
            I8x16Splat | I16x8Splat | I32x4Splat | I64x2Splat | F32x4Splat | F64x2Splat => {
                (&[S], &[V])
            }
            V128Bitselect
            | F32x4RelaxedMadd
            | F32x4RelaxedNmadd
            | F64x2RelaxedMadd
            | F64x2RelaxedNmadd
            | I8x16RelaxedLaneselect
            | I16x8RelaxedLaneselect
            | I32x4RelaxedLaneselect
            | I64x2RelaxedLaneselect
            | I32x4RelaxedDotI8x16I7x16AddS => (&[V, V, V], &[V]),
            V128Not
            | I8x16Abs
            | I8x16Neg
            | I8x16Popcnt
            | I16x8Abs
            | I16x8Neg
            | I32x4Abs
            | I32x4Neg
            | I64x2Abs
            | I64x2Neg
            | F32x4Abs
            | F32x4Neg
            | F32x4Sqrt
            | F32x4Ceil
            | F32x4Floor
            | F32x4Trunc
            | F32x4Nearest
            | F64x2Abs
            | F64x2Neg
            | F64x2Sqrt
            | F64x2Ceil
            | F64x2Floor
            | F64x2Trunc
            | F64x2Nearest
            | I16x8ExtAddPairwiseI8x16S
            | I16x8ExtAddPairwiseI8x16U
            | I32x4ExtAddPairwiseI16x8S
            | I32x4ExtAddPairwiseI16x8U
            | I16x8ExtendLowI8x16S
            | I16x8ExtendHighI8x16S
            | I16x8ExtendLowI8x16U
            | I16x8ExtendHighI8x16U
            | I32x4ExtendLowI16x8S
            | I32x4ExtendHighI16x8S
            | I32x4ExtendLowI16x8U
            | I32x4ExtendHighI16x8U
            | I64x2ExtendLowI32x4S
            | I64x2ExtendHighI32x4S
            | I64x2ExtendLowI32x4U
            | I64x2ExtendHighI32x4U
            | I32x4TruncSatF32x4S
            | I32x4TruncSatF32x4U
            | F32x4ConvertI32x4S
            | F32x4ConvertI32x4U
            | I32x4TruncSatF64x2SZero
            | I32x4TruncSatF64x2UZero
            | F64x2ConvertLowI32x4S
            | F64x2ConvertLowI32x4U
            | F32x4DemoteF64x2Zero
            | F64x2PromoteLowF32x4
            | I32x4RelaxedTruncF32x4S
            | I32x4RelaxedTruncF32x4U
            | I32x4RelaxedTruncF64x2SZero
            | I32x4RelaxedTruncF64x2UZero => (&[V], &[V]),
            _ => (&[V, V], &[V]),
        }
    }
}

// ---- lane views ----

macro_rules! lanes {
    ($get:ident, $put:ident, $t:ty, $n:expr) => {
        fn $get(v: u128) -> [$t; $n] {
            let b = v.to_le_bytes();
            const W: usize = 16 / $n;
            std::array::from_fn(|i| <$t>::from_le_bytes(b[i * W..i * W + W].try_into().unwrap()))
        }
        fn $put(a: [$t; $n]) -> u128 {
            let mut b = [0u8; 16];
            const W: usize = 16 / $n;
            for (i, x) in a.iter().enumerate() {
                b[i * W..i * W + W].copy_from_slice(&x.to_le_bytes());
            }
            u128::from_le_bytes(b)
        }
    };
}
lanes!(i8s, from_i8s, i8, 16);
lanes!(u8s, from_u8s, u8, 16);
lanes!(i16s, from_i16s, i16, 8);
lanes!(u16s, from_u16s, u16, 8);
lanes!(i32s, from_i32s, i32, 4);
lanes!(u32s, from_u32s, u32, 4);
lanes!(i64s, from_i64s, i64, 2);
lanes!(u64s, from_u64s, u64, 2);
lanes!(f32s, from_f32s, f32, 4);
lanes!(f64s, from_f64s, f64, 2);

/// Lane-wise unary map.
macro_rules! map {
    ($a:expr, $get:ident, $put:ident, |$x:ident| $e:expr) => {
        $put($get($a).map(|$x| $e))
    };
}

/// Lane-wise binary op.
macro_rules! zip {
    ($a:expr, $b:expr, $get:ident, $put:ident, |$x:ident, $y:ident| $e:expr) => {{
        let (xa, ya) = ($get($a), $get($b));
        $put(std::array::from_fn(|i| {
            let ($x, $y) = (xa[i], ya[i]);
            $e
        }))
    }};
}

/// Lane-wise comparison giving an all-ones / all-zeros mask of the signed lane type `$m`.
macro_rules! cmp {
    ($a:expr, $b:expr, $get:ident, $put:ident, $m:ty, |$x:ident, $y:ident| $e:expr) => {{
        let (xa, ya) = ($get($a), $get($b));
        $put(std::array::from_fn(|i| {
            let ($x, $y) = (xa[i], ya[i]);
            if $e {
                -1 as $m
            } else {
                0
            }
        }))
    }};
}

fn bitmask<const N: usize>(neg: [bool; N]) -> u64 {
    neg.iter()
        .enumerate()
        .fold(0, |m, (i, &b)| m | ((b as u64) << i))
}

fn q15mulr(x: i16, y: i16) -> i16 {
    ((x as i32 * y as i32 + 0x4000) >> 15).clamp(i16::MIN as i32, i16::MAX as i32) as i16
}

/// Reads `N` bytes at `addr + offset` from guest memory.
///
/// # Safety
/// `mem` must point at `mem_len` readable bytes.
unsafe fn read<const N: usize>(
    mem: *const u8,
    mem_len: u64,
    addr: u64,
    offset: u64,
) -> Result<[u8; N], Trap> {
    let ea = addr + offset;
    if ea + N as u64 > mem_len {
        return Err(Trap::MemoryOutOfBounds);
    }
    let mut b = [0u8; N];
    std::ptr::copy_nonoverlapping(mem.add(ea as usize), b.as_mut_ptr(), N);
    Ok(b)
}

/// # Safety
/// `mem` must point at `mem_len` writable bytes.
unsafe fn write(
    mem: *mut u8,
    mem_len: u64,
    addr: u64,
    offset: u64,
    bytes: &[u8],
) -> Result<(), Trap> {
    let ea = addr + offset;
    if ea + bytes.len() as u64 > mem_len {
        return Err(Trap::MemoryOutOfBounds);
    }
    std::ptr::copy_nonoverlapping(bytes.as_ptr(), mem.add(ea as usize), bytes.len());
    Ok(())
}

/// Executes a SIMD instruction on the cells at `regs`.
///
/// # Safety
/// `regs` must point at the instruction's operand cells inside the current window, and
/// `mem` at `mem_len` bytes of guest memory.
pub unsafe fn execute(op: SimdOp, regs: *mut u64, mem: *mut u8, mem_len: u64) -> Result<(), Trap> {
    use SimdOp::*;
    let cell = |i: usize| *regs.add(i);
    let v = |i: usize| cell(i) as u128 | (cell(i + 1) as u128) << 64;
    let a = v(0);
    // Second operand when it is a v128 (binary ops), else unused garbage.
    let b = || v(2);
    let addr = cell(0) as u32 as u64;
    let put_v = |x: u128| {
        *regs = x as u64;
        *regs.add(1) = (x >> 64) as u64;
    };
    let put_s = |x: u64| *regs = x;

    macro_rules! load_ext {
        ($memarg:expr, $n:expr, $t:ty, $wide:ty, $put:ident) => {{
            let bytes = read::<8>(mem, mem_len, addr, $memarg.offset)?;
            const W: usize = 8 / $n;
            let lanes: [$wide; $n] = std::array::from_fn(|i| {
                <$t>::from_le_bytes(bytes[i * W..i * W + W].try_into().unwrap()) as $wide
            });
            put_v($put(lanes));
        }};
    }
    macro_rules! load_lane {
        ($memarg:expr, $lane:expr, $n:expr, $get:ident, $put:ident, $t:ty) => {{
            let bytes = read::<{ std::mem::size_of::<$t>() }>(mem, mem_len, addr, $memarg.offset)?;
            let mut l = $get(v(1));
            l[$lane as usize] = <$t>::from_le_bytes(bytes);
            put_v($put(l));
        }};
    }
    macro_rules! store_lane {
        ($memarg:expr, $lane:expr, $get:ident) => {{
            let l = $get(v(1));
            write(
                mem,
                mem_len,
                addr,
                $memarg.offset,
                &l[$lane as usize].to_le_bytes(),
            )?;
        }};
    }
    macro_rules! replace {
        ($lane:expr, $get:ident, $put:ident, $x:expr) => {{
            let mut l = $get(a);
            l[$lane as usize] = $x;
            put_v($put(l));
        }};
    }
    let shift = cell(2) as u32;

    match op {
        V128Load { memarg } => put_v(u128::from_le_bytes(read::<16>(
            mem,
            mem_len,
            addr,
            memarg.offset,
        )?)),
        V128Load8x8S { memarg } => load_ext!(memarg, 8, i8, i16, from_i16s),
        V128Load8x8U { memarg } => load_ext!(memarg, 8, u8, u16, from_u16s),
        V128Load16x4S { memarg } => load_ext!(memarg, 4, i16, i32, from_i32s),
        V128Load16x4U { memarg } => load_ext!(memarg, 4, u16, u32, from_u32s),
        V128Load32x2S { memarg } => load_ext!(memarg, 2, i32, i64, from_i64s),
        V128Load32x2U { memarg } => load_ext!(memarg, 2, u32, u64, from_u64s),
        V128Load8Splat { memarg } => put_v(from_u8s(
            [read::<1>(mem, mem_len, addr, memarg.offset)?[0]; 16],
        )),
        V128Load16Splat { memarg } => put_v(from_u16s(
            [u16::from_le_bytes(read::<2>(mem, mem_len, addr, memarg.offset)?); 8],
        )),
        V128Load32Splat { memarg } => put_v(from_u32s(
            [u32::from_le_bytes(read::<4>(mem, mem_len, addr, memarg.offset)?); 4],
        )),
        V128Load64Splat { memarg } => put_v(from_u64s(
            [u64::from_le_bytes(read::<8>(mem, mem_len, addr, memarg.offset)?); 2],
        )),
        V128Load32Zero { memarg } => {
            put_v(u32::from_le_bytes(read::<4>(mem, mem_len, addr, memarg.offset)?) as u128)
        }
        V128Load64Zero { memarg } => {
            put_v(u64::from_le_bytes(read::<8>(mem, mem_len, addr, memarg.offset)?) as u128)
        }
        V128Store { memarg } => write(mem, mem_len, addr, memarg.offset, &v(1).to_le_bytes())?,
        V128Load8Lane { memarg, lane } => load_lane!(memarg, lane, 16, u8s, from_u8s, u8),
        V128Load16Lane { memarg, lane } => load_lane!(memarg, lane, 8, u16s, from_u16s, u16),
        V128Load32Lane { memarg, lane } => load_lane!(memarg, lane, 4, u32s, from_u32s, u32),
        V128Load64Lane { memarg, lane } => load_lane!(memarg, lane, 2, u64s, from_u64s, u64),
        V128Store8Lane { memarg, lane } => store_lane!(memarg, lane, u8s),
        V128Store16Lane { memarg, lane } => store_lane!(memarg, lane, u16s),
        V128Store32Lane { memarg, lane } => store_lane!(memarg, lane, u32s),
        V128Store64Lane { memarg, lane } => store_lane!(memarg, lane, u64s),
        V128Const { value } => put_v(u128::from_le_bytes(*value.bytes())),
        I8x16Shuffle { lanes } => {
            let (x, y) = (u8s(a), u8s(b()));
            put_v(from_u8s(lanes.map(|l| {
                if l < 16 {
                    x[l as usize]
                } else {
                    y[l as usize - 16]
                }
            })));
        }
        I8x16Swizzle | I8x16RelaxedSwizzle => {
            let (x, idx) = (u8s(a), u8s(b()));
            put_v(from_u8s(
                idx.map(|i| if i < 16 { x[i as usize] } else { 0 }),
            ));
        }
        I8x16ExtractLaneS { lane } => put_s(i8s(a)[lane as usize] as i32 as u32 as u64),
        I8x16ExtractLaneU { lane } => put_s(u8s(a)[lane as usize] as u64),
        I16x8ExtractLaneS { lane } => put_s(i16s(a)[lane as usize] as i32 as u32 as u64),
        I16x8ExtractLaneU { lane } => put_s(u16s(a)[lane as usize] as u64),
        I32x4ExtractLane { lane } => put_s(u32s(a)[lane as usize] as u64),
        I64x2ExtractLane { lane } => put_s(u64s(a)[lane as usize]),
        F32x4ExtractLane { lane } => put_s(u32s(a)[lane as usize] as u64),
        F64x2ExtractLane { lane } => put_s(u64s(a)[lane as usize]),
        I8x16ReplaceLane { lane } => replace!(lane, u8s, from_u8s, cell(2) as u8),
        I16x8ReplaceLane { lane } => replace!(lane, u16s, from_u16s, cell(2) as u16),
        I32x4ReplaceLane { lane } | F32x4ReplaceLane { lane } => {
            replace!(lane, u32s, from_u32s, cell(2) as u32)
        }
        I64x2ReplaceLane { lane } | F64x2ReplaceLane { lane } => {
            replace!(lane, u64s, from_u64s, cell(2))
        }
        I8x16Splat => put_v(from_u8s([cell(0) as u8; 16])),
        I16x8Splat => put_v(from_u16s([cell(0) as u16; 8])),
        I32x4Splat | F32x4Splat => put_v(from_u32s([cell(0) as u32; 4])),
        I64x2Splat | F64x2Splat => put_v(from_u64s([cell(0); 2])),

        I8x16Eq => put_v(cmp!(a, b(), i8s, from_i8s, i8, |x, y| x == y)),
        I8x16Ne => put_v(cmp!(a, b(), i8s, from_i8s, i8, |x, y| x != y)),
        I8x16LtS => put_v(cmp!(a, b(), i8s, from_i8s, i8, |x, y| x < y)),
        I8x16LtU => put_v(cmp!(a, b(), u8s, from_i8s, i8, |x, y| x < y)),
        I8x16GtS => put_v(cmp!(a, b(), i8s, from_i8s, i8, |x, y| x > y)),
        I8x16GtU => put_v(cmp!(a, b(), u8s, from_i8s, i8, |x, y| x > y)),
        I8x16LeS => put_v(cmp!(a, b(), i8s, from_i8s, i8, |x, y| x <= y)),
        I8x16LeU => put_v(cmp!(a, b(), u8s, from_i8s, i8, |x, y| x <= y)),
        I8x16GeS => put_v(cmp!(a, b(), i8s, from_i8s, i8, |x, y| x >= y)),
        I8x16GeU => put_v(cmp!(a, b(), u8s, from_i8s, i8, |x, y| x >= y)),
        I16x8Eq => put_v(cmp!(a, b(), i16s, from_i16s, i16, |x, y| x == y)),
        I16x8Ne => put_v(cmp!(a, b(), i16s, from_i16s, i16, |x, y| x != y)),
        I16x8LtS => put_v(cmp!(a, b(), i16s, from_i16s, i16, |x, y| x < y)),
        I16x8LtU => put_v(cmp!(a, b(), u16s, from_i16s, i16, |x, y| x < y)),
        I16x8GtS => put_v(cmp!(a, b(), i16s, from_i16s, i16, |x, y| x > y)),
        I16x8GtU => put_v(cmp!(a, b(), u16s, from_i16s, i16, |x, y| x > y)),
        I16x8LeS => put_v(cmp!(a, b(), i16s, from_i16s, i16, |x, y| x <= y)),
        I16x8LeU => put_v(cmp!(a, b(), u16s, from_i16s, i16, |x, y| x <= y)),
        I16x8GeS => put_v(cmp!(a, b(), i16s, from_i16s, i16, |x, y| x >= y)),
        I16x8GeU => put_v(cmp!(a, b(), u16s, from_i16s, i16, |x, y| x >= y)),
        I32x4Eq => put_v(cmp!(a, b(), i32s, from_i32s, i32, |x, y| x == y)),
        I32x4Ne => put_v(cmp!(a, b(), i32s, from_i32s, i32, |x, y| x != y)),
        I32x4LtS => put_v(cmp!(a, b(), i32s, from_i32s, i32, |x, y| x < y)),
        I32x4LtU => put_v(cmp!(a, b(), u32s, from_i32s, i32, |x, y| x < y)),
        I32x4GtS => put_v(cmp!(a, b(), i32s, from_i32s, i32, |x, y| x > y)),
        I32x4GtU => put_v(cmp!(a, b(), u32s, from_i32s, i32, |x, y| x > y)),
        I32x4LeS => put_v(cmp!(a, b(), i32s, from_i32s, i32, |x, y| x <= y)),
        I32x4LeU => put_v(cmp!(a, b(), u32s, from_i32s, i32, |x, y| x <= y)),
        I32x4GeS => put_v(cmp!(a, b(), i32s, from_i32s, i32, |x, y| x >= y)),
        I32x4GeU => put_v(cmp!(a, b(), u32s, from_i32s, i32, |x, y| x >= y)),
        I64x2Eq => put_v(cmp!(a, b(), i64s, from_i64s, i64, |x, y| x == y)),
        I64x2Ne => put_v(cmp!(a, b(), i64s, from_i64s, i64, |x, y| x != y)),
        I64x2LtS => put_v(cmp!(a, b(), i64s, from_i64s, i64, |x, y| x < y)),
        I64x2GtS => put_v(cmp!(a, b(), i64s, from_i64s, i64, |x, y| x > y)),
        I64x2LeS => put_v(cmp!(a, b(), i64s, from_i64s, i64, |x, y| x <= y)),
        I64x2GeS => put_v(cmp!(a, b(), i64s, from_i64s, i64, |x, y| x >= y)),
        F32x4Eq => put_v(cmp!(a, b(), f32s, from_i32s, i32, |x, y| x == y)),
        F32x4Ne => put_v(cmp!(a, b(), f32s, from_i32s, i32, |x, y| x != y)),
        F32x4Lt => put_v(cmp!(a, b(), f32s, from_i32s, i32, |x, y| x < y)),
        F32x4Gt => put_v(cmp!(a, b(), f32s, from_i32s, i32, |x, y| x > y)),
        F32x4Le => put_v(cmp!(a, b(), f32s, from_i32s, i32, |x, y| x <= y)),
        F32x4Ge => put_v(cmp!(a, b(), f32s, from_i32s, i32, |x, y| x >= y)),
        F64x2Eq => put_v(cmp!(a, b(), f64s, from_i64s, i64, |x, y| x == y)),
        F64x2Ne => put_v(cmp!(a, b(), f64s, from_i64s, i64, |x, y| x != y)),
        F64x2Lt => put_v(cmp!(a, b(), f64s, from_i64s, i64, |x, y| x < y)),
        F64x2Gt => put_v(cmp!(a, b(), f64s, from_i64s, i64, |x, y| x > y)),
        F64x2Le => put_v(cmp!(a, b(), f64s, from_i64s, i64, |x, y| x <= y)),
        F64x2Ge => put_v(cmp!(a, b(), f64s, from_i64s, i64, |x, y| x >= y)),

        V128Not => put_v(!a),
        V128And => put_v(a & b()),
        V128AndNot => put_v(a & !b()),
        V128Or => put_v(a | b()),
        V128Xor => put_v(a ^ b()),
        V128Bitselect
        | I8x16RelaxedLaneselect
        | I16x8RelaxedLaneselect
        | I32x4RelaxedLaneselect
        | I64x2RelaxedLaneselect => {
            let c = v(4);
            put_v((a & c) | (b() & !c));
        }
        V128AnyTrue => put_s((a != 0) as u64),

        I8x16Abs => put_v(map!(a, i8s, from_i8s, |x| x.wrapping_abs())),
        I8x16Neg => put_v(map!(a, i8s, from_i8s, |x| x.wrapping_neg())),
        I8x16Popcnt => put_v(map!(a, u8s, from_u8s, |x| x.count_ones() as u8)),
        I8x16AllTrue => put_s(i8s(a).iter().all(|&x| x != 0) as u64),
        I8x16Bitmask => put_s(bitmask(i8s(a).map(|x| x < 0))),
        I8x16NarrowI16x8S => {
            let (x, y) = (i16s(a), i16s(b()));
            put_v(from_i8s(std::array::from_fn(|i| {
                let l = if i < 8 { x[i] } else { y[i - 8] };
                l.clamp(i8::MIN as i16, i8::MAX as i16) as i8
            })));
        }
        I8x16NarrowI16x8U => {
            let (x, y) = (i16s(a), i16s(b()));
            put_v(from_u8s(std::array::from_fn(|i| {
                let l = if i < 8 { x[i] } else { y[i - 8] };
                l.clamp(0, u8::MAX as i16) as u8
            })));
        }
        I8x16Shl => put_v(map!(a, u8s, from_u8s, |x| x.wrapping_shl(shift))),
        I8x16ShrS => put_v(map!(a, i8s, from_i8s, |x| x.wrapping_shr(shift))),
        I8x16ShrU => put_v(map!(a, u8s, from_u8s, |x| x.wrapping_shr(shift))),
        I8x16Add => put_v(zip!(a, b(), u8s, from_u8s, |x, y| x.wrapping_add(y))),
        I8x16AddSatS => put_v(zip!(a, b(), i8s, from_i8s, |x, y| x.saturating_add(y))),
        I8x16AddSatU => put_v(zip!(a, b(), u8s, from_u8s, |x, y| x.saturating_add(y))),
        I8x16Sub => put_v(zip!(a, b(), u8s, from_u8s, |x, y| x.wrapping_sub(y))),
        I8x16SubSatS => put_v(zip!(a, b(), i8s, from_i8s, |x, y| x.saturating_sub(y))),
        I8x16SubSatU => put_v(zip!(a, b(), u8s, from_u8s, |x, y| x.saturating_sub(y))),
        I8x16MinS => put_v(zip!(a, b(), i8s, from_i8s, |x, y| x.min(y))),
        I8x16MinU => put_v(zip!(a, b(), u8s, from_u8s, |x, y| x.min(y))),
        I8x16MaxS => put_v(zip!(a, b(), i8s, from_i8s, |x, y| x.max(y))),
        I8x16MaxU => put_v(zip!(a, b(), u8s, from_u8s, |x, y| x.max(y))),
        I8x16AvgrU => put_v(zip!(
            a,
            b(),
            u8s,
            from_u8s,
            |x, y| (x as u16 + y as u16).div_ceil(2) as u8
        )),

        I16x8ExtAddPairwiseI8x16S => {
            let x = i8s(a);
            put_v(from_i16s(std::array::from_fn(|i| {
                x[2 * i] as i16 + x[2 * i + 1] as i16
            })));
        }
        I16x8ExtAddPairwiseI8x16U => {
            let x = u8s(a);
            put_v(from_u16s(std::array::from_fn(|i| {
                x[2 * i] as u16 + x[2 * i + 1] as u16
            })));
        }
        I16x8Abs => put_v(map!(a, i16s, from_i16s, |x| x.wrapping_abs())),
        I16x8Neg => put_v(map!(a, i16s, from_i16s, |x| x.wrapping_neg())),
        I16x8Q15MulrSatS | I16x8RelaxedQ15mulrS => {
            put_v(zip!(a, b(), i16s, from_i16s, |x, y| q15mulr(x, y)))
        }
        I16x8AllTrue => put_s(i16s(a).iter().all(|&x| x != 0) as u64),
        I16x8Bitmask => put_s(bitmask(i16s(a).map(|x| x < 0))),
        I16x8NarrowI32x4S => {
            let (x, y) = (i32s(a), i32s(b()));
            put_v(from_i16s(std::array::from_fn(|i| {
                let l = if i < 4 { x[i] } else { y[i - 4] };
                l.clamp(i16::MIN as i32, i16::MAX as i32) as i16
            })));
        }
        I16x8NarrowI32x4U => {
            let (x, y) = (i32s(a), i32s(b()));
            put_v(from_u16s(std::array::from_fn(|i| {
                let l = if i < 4 { x[i] } else { y[i - 4] };
                l.clamp(0, u16::MAX as i32) as u16
            })));
        }
        I16x8ExtendLowI8x16S => put_v(from_i16s(std::array::from_fn(|i| i8s(a)[i] as i16))),
        I16x8ExtendHighI8x16S => put_v(from_i16s(std::array::from_fn(|i| i8s(a)[i + 8] as i16))),
        I16x8ExtendLowI8x16U => put_v(from_u16s(std::array::from_fn(|i| u8s(a)[i] as u16))),
        I16x8ExtendHighI8x16U => put_v(from_u16s(std::array::from_fn(|i| u8s(a)[i + 8] as u16))),
        I16x8Shl => put_v(map!(a, u16s, from_u16s, |x| x.wrapping_shl(shift))),
        I16x8ShrS => put_v(map!(a, i16s, from_i16s, |x| x.wrapping_shr(shift))),
        I16x8ShrU => put_v(map!(a, u16s, from_u16s, |x| x.wrapping_shr(shift))),
        I16x8Add => put_v(zip!(a, b(), u16s, from_u16s, |x, y| x.wrapping_add(y))),
        I16x8AddSatS => put_v(zip!(a, b(), i16s, from_i16s, |x, y| x.saturating_add(y))),
        I16x8AddSatU => put_v(zip!(a, b(), u16s, from_u16s, |x, y| x.saturating_add(y))),
        I16x8Sub => put_v(zip!(a, b(), u16s, from_u16s, |x, y| x.wrapping_sub(y))),
        I16x8SubSatS => put_v(zip!(a, b(), i16s, from_i16s, |x, y| x.saturating_sub(y))),
        I16x8SubSatU => put_v(zip!(a, b(), u16s, from_u16s, |x, y| x.saturating_sub(y))),
        I16x8Mul => put_v(zip!(a, b(), u16s, from_u16s, |x, y| x.wrapping_mul(y))),
        I16x8MinS => put_v(zip!(a, b(), i16s, from_i16s, |x, y| x.min(y))),
        I16x8MinU => put_v(zip!(a, b(), u16s, from_u16s, |x, y| x.min(y))),
        I16x8MaxS => put_v(zip!(a, b(), i16s, from_i16s, |x, y| x.max(y))),
        I16x8MaxU => put_v(zip!(a, b(), u16s, from_u16s, |x, y| x.max(y))),
        I16x8AvgrU => put_v(zip!(
            a,
            b(),
            u16s,
            from_u16s,
            |x, y| (x as u32 + y as u32).div_ceil(2) as u16
        )),
        I16x8ExtMulLowI8x16S => {
            let (x, y) = (i8s(a), i8s(b()));
            put_v(from_i16s(std::array::from_fn(|i| {
                x[i] as i16 * y[i] as i16
            })));
        }
        I16x8ExtMulHighI8x16S => {
            let (x, y) = (i8s(a), i8s(b()));
            put_v(from_i16s(std::array::from_fn(|i| {
                x[i + 8] as i16 * y[i + 8] as i16
            })));
        }
        I16x8ExtMulLowI8x16U => {
            let (x, y) = (u8s(a), u8s(b()));
            put_v(from_u16s(std::array::from_fn(|i| {
                x[i] as u16 * y[i] as u16
            })));
        }
        I16x8ExtMulHighI8x16U => {
            let (x, y) = (u8s(a), u8s(b()));
            put_v(from_u16s(std::array::from_fn(|i| {
                x[i + 8] as u16 * y[i + 8] as u16
            })));
        }

        I32x4ExtAddPairwiseI16x8S => {
            let x = i16s(a);
            put_v(from_i32s(std::array::from_fn(|i| {
                x[2 * i] as i32 + x[2 * i + 1] as i32
            })));
        }
        I32x4ExtAddPairwiseI16x8U => {
            let x = u16s(a);
            put_v(from_u32s(std::array::from_fn(|i| {
                x[2 * i] as u32 + x[2 * i + 1] as u32
            })));
        }
        I32x4Abs => put_v(map!(a, i32s, from_i32s, |x| x.wrapping_abs())),
        I32x4Neg => put_v(map!(a, i32s, from_i32s, |x| x.wrapping_neg())),
        I32x4AllTrue => put_s(i32s(a).iter().all(|&x| x != 0) as u64),
        I32x4Bitmask => put_s(bitmask(i32s(a).map(|x| x < 0))),
        I32x4ExtendLowI16x8S => put_v(from_i32s(std::array::from_fn(|i| i16s(a)[i] as i32))),
        I32x4ExtendHighI16x8S => put_v(from_i32s(std::array::from_fn(|i| i16s(a)[i + 4] as i32))),
        I32x4ExtendLowI16x8U => put_v(from_u32s(std::array::from_fn(|i| u16s(a)[i] as u32))),
        I32x4ExtendHighI16x8U => put_v(from_u32s(std::array::from_fn(|i| u16s(a)[i + 4] as u32))),
        I32x4Shl => put_v(map!(a, u32s, from_u32s, |x| x.wrapping_shl(shift))),
        I32x4ShrS => put_v(map!(a, i32s, from_i32s, |x| x.wrapping_shr(shift))),
        I32x4ShrU => put_v(map!(a, u32s, from_u32s, |x| x.wrapping_shr(shift))),
        I32x4Add => put_v(zip!(a, b(), u32s, from_u32s, |x, y| x.wrapping_add(y))),
        I32x4Sub => put_v(zip!(a, b(), u32s, from_u32s, |x, y| x.wrapping_sub(y))),
        I32x4Mul => put_v(zip!(a, b(), u32s, from_u32s, |x, y| x.wrapping_mul(y))),
        I32x4MinS => put_v(zip!(a, b(), i32s, from_i32s, |x, y| x.min(y))),
        I32x4MinU => put_v(zip!(a, b(), u32s, from_u32s, |x, y| x.min(y))),
        I32x4MaxS => put_v(zip!(a, b(), i32s, from_i32s, |x, y| x.max(y))),
        I32x4MaxU => put_v(zip!(a, b(), u32s, from_u32s, |x, y| x.max(y))),
        I32x4DotI16x8S => {
            let (x, y) = (i16s(a), i16s(b()));
            put_v(from_i32s(std::array::from_fn(|i| {
                (x[2 * i] as i32 * y[2 * i] as i32)
                    .wrapping_add(x[2 * i + 1] as i32 * y[2 * i + 1] as i32)
            })));
        }
        I32x4ExtMulLowI16x8S => {
            let (x, y) = (i16s(a), i16s(b()));
            put_v(from_i32s(std::array::from_fn(|i| {
                x[i] as i32 * y[i] as i32
            })));
        }
        I32x4ExtMulHighI16x8S => {
            let (x, y) = (i16s(a), i16s(b()));
            put_v(from_i32s(std::array::from_fn(|i| {
                x[i + 4] as i32 * y[i + 4] as i32
            })));
        }
        I32x4ExtMulLowI16x8U => {
            let (x, y) = (u16s(a), u16s(b()));
            put_v(from_u32s(std::array::from_fn(|i| {
                x[i] as u32 * y[i] as u32
            })));
        }
        I32x4ExtMulHighI16x8U => {
            let (x, y) = (u16s(a), u16s(b()));
            put_v(from_u32s(std::array::from_fn(|i| {
                x[i + 4] as u32 * y[i + 4] as u32
            })));
        }

        I64x2Abs => put_v(map!(a, i64s, from_i64s, |x| x.wrapping_abs())),
        I64x2Neg => put_v(map!(a, i64s, from_i64s, |x| x.wrapping_neg())),
        I64x2AllTrue => put_s(i64s(a).iter().all(|&x| x != 0) as u64),
        I64x2Bitmask => put_s(bitmask(i64s(a).map(|x| x < 0))),
        I64x2ExtendLowI32x4S => put_v(from_i64s(std::array::from_fn(|i| i32s(a)[i] as i64))),
        I64x2ExtendHighI32x4S => put_v(from_i64s(std::array::from_fn(|i| i32s(a)[i + 2] as i64))),
        I64x2ExtendLowI32x4U => put_v(from_u64s(std::array::from_fn(|i| u32s(a)[i] as u64))),
        I64x2ExtendHighI32x4U => put_v(from_u64s(std::array::from_fn(|i| u32s(a)[i + 2] as u64))),
        I64x2Shl => put_v(map!(a, u64s, from_u64s, |x| x.wrapping_shl(shift))),
        I64x2ShrS => put_v(map!(a, i64s, from_i64s, |x| x.wrapping_shr(shift))),
        I64x2ShrU => put_v(map!(a, u64s, from_u64s, |x| x.wrapping_shr(shift))),
        I64x2Add => put_v(zip!(a, b(), u64s, from_u64s, |x, y| x.wrapping_add(y))),
        I64x2Sub => put_v(zip!(a, b(), u64s, from_u64s, |x, y| x.wrapping_sub(y))),
        I64x2Mul => put_v(zip!(a, b(), u64s, from_u64s, |x, y| x.wrapping_mul(y))),
        I64x2ExtMulLowI32x4S => {
            let (x, y) = (i32s(a), i32s(b()));
            put_v(from_i64s(std::array::from_fn(|i| {
                x[i] as i64 * y[i] as i64
            })));
        }
        I64x2ExtMulHighI32x4S => {
            let (x, y) = (i32s(a), i32s(b()));
            put_v(from_i64s(std::array::from_fn(|i| {
                x[i + 2] as i64 * y[i + 2] as i64
            })));
        }
        I64x2ExtMulLowI32x4U => {
            let (x, y) = (u32s(a), u32s(b()));
            put_v(from_u64s(std::array::from_fn(|i| {
                x[i] as u64 * y[i] as u64
            })));
        }
        I64x2ExtMulHighI32x4U => {
            let (x, y) = (u32s(a), u32s(b()));
            put_v(from_u64s(std::array::from_fn(|i| {
                x[i + 2] as u64 * y[i + 2] as u64
            })));
        }

        // Sign-bit operations keep NaN payloads, so they work on the bits.
        F32x4Abs => put_v(map!(a, u32s, from_u32s, |x| x & 0x7fff_ffff)),
        F32x4Neg => put_v(map!(a, u32s, from_u32s, |x| x ^ 0x8000_0000)),
        F32x4Sqrt => put_v(map!(a, f32s, from_f32s, |x| quiet32(x.sqrt()))),
        F32x4Ceil => put_v(map!(a, f32s, from_f32s, |x| quiet32(x.ceil()))),
        F32x4Floor => put_v(map!(a, f32s, from_f32s, |x| quiet32(x.floor()))),
        F32x4Trunc => put_v(map!(a, f32s, from_f32s, |x| quiet32(x.trunc()))),
        F32x4Nearest => put_v(map!(a, f32s, from_f32s, |x| quiet32(nearest32(x)))),
        F32x4Add => put_v(zip!(a, b(), f32s, from_f32s, |x, y| x + y)),
        F32x4Sub => put_v(zip!(a, b(), f32s, from_f32s, |x, y| x - y)),
        F32x4Mul => put_v(zip!(a, b(), f32s, from_f32s, |x, y| x * y)),
        F32x4Div => put_v(zip!(a, b(), f32s, from_f32s, |x, y| x / y)),
        F32x4Min | F32x4RelaxedMin => put_v(zip!(a, b(), f32s, from_f32s, |x, y| fmin32(x, y))),
        F32x4Max | F32x4RelaxedMax => put_v(zip!(a, b(), f32s, from_f32s, |x, y| fmax32(x, y))),
        F32x4PMin => put_v(zip!(a, b(), f32s, from_f32s, |x, y| if y < x {
            y
        } else {
            x
        })),
        F32x4PMax => put_v(zip!(a, b(), f32s, from_f32s, |x, y| if x < y {
            y
        } else {
            x
        })),
        F64x2Abs => put_v(map!(a, u64s, from_u64s, |x| x & 0x7fff_ffff_ffff_ffff)),
        F64x2Neg => put_v(map!(a, u64s, from_u64s, |x| x ^ 0x8000_0000_0000_0000)),
        F64x2Sqrt => put_v(map!(a, f64s, from_f64s, |x| quiet64(x.sqrt()))),
        F64x2Ceil => put_v(map!(a, f64s, from_f64s, |x| quiet64(x.ceil()))),
        F64x2Floor => put_v(map!(a, f64s, from_f64s, |x| quiet64(x.floor()))),
        F64x2Trunc => put_v(map!(a, f64s, from_f64s, |x| quiet64(x.trunc()))),
        F64x2Nearest => put_v(map!(a, f64s, from_f64s, |x| quiet64(nearest64(x)))),
        F64x2Add => put_v(zip!(a, b(), f64s, from_f64s, |x, y| x + y)),
        F64x2Sub => put_v(zip!(a, b(), f64s, from_f64s, |x, y| x - y)),
        F64x2Mul => put_v(zip!(a, b(), f64s, from_f64s, |x, y| x * y)),
        F64x2Div => put_v(zip!(a, b(), f64s, from_f64s, |x, y| x / y)),
        F64x2Min | F64x2RelaxedMin => put_v(zip!(a, b(), f64s, from_f64s, |x, y| fmin64(x, y))),
        F64x2Max | F64x2RelaxedMax => put_v(zip!(a, b(), f64s, from_f64s, |x, y| fmax64(x, y))),
        F64x2PMin => put_v(zip!(a, b(), f64s, from_f64s, |x, y| if y < x {
            y
        } else {
            x
        })),
        F64x2PMax => put_v(zip!(a, b(), f64s, from_f64s, |x, y| if x < y {
            y
        } else {
            x
        })),

        // Rust's float-to-int `as` saturates and maps NaN to 0, as the spec's trunc_sat does.
        I32x4TruncSatF32x4S | I32x4RelaxedTruncF32x4S => {
            put_v(map!(a, f32s, from_i32s, |x| x as i32))
        }
        I32x4TruncSatF32x4U | I32x4RelaxedTruncF32x4U => {
            put_v(map!(a, f32s, from_u32s, |x| x as u32))
        }
        F32x4ConvertI32x4S => put_v(map!(a, i32s, from_f32s, |x| x as f32)),
        F32x4ConvertI32x4U => put_v(map!(a, u32s, from_f32s, |x| x as f32)),
        I32x4TruncSatF64x2SZero | I32x4RelaxedTruncF64x2SZero => {
            let x = f64s(a);
            put_v(from_i32s([x[0] as i32, x[1] as i32, 0, 0]));
        }
        I32x4TruncSatF64x2UZero | I32x4RelaxedTruncF64x2UZero => {
            let x = f64s(a);
            put_v(from_u32s([x[0] as u32, x[1] as u32, 0, 0]));
        }
        F64x2ConvertLowI32x4S => {
            let x = i32s(a);
            put_v(from_f64s([x[0] as f64, x[1] as f64]));
        }
        F64x2ConvertLowI32x4U => {
            let x = u32s(a);
            put_v(from_f64s([x[0] as f64, x[1] as f64]));
        }
        F32x4DemoteF64x2Zero => {
            let x = f64s(a);
            put_v(from_f32s([x[0] as f32, x[1] as f32, 0.0, 0.0]));
        }
        F64x2PromoteLowF32x4 => {
            let x = f32s(a);
            put_v(from_f64s([x[0] as f64, x[1] as f64]));
        }

        // Relaxed SIMD (not enabled by default): the deterministic choices.
        F32x4RelaxedMadd => put_v(zip3_f32(a, b(), v(4), |x, y, z| x.mul_add(y, z))),
        F32x4RelaxedNmadd => put_v(zip3_f32(a, b(), v(4), |x, y, z| (-x).mul_add(y, z))),
        F64x2RelaxedMadd => put_v(zip3_f64(a, b(), v(4), |x, y, z| x.mul_add(y, z))),
        F64x2RelaxedNmadd => put_v(zip3_f64(a, b(), v(4), |x, y, z| (-x).mul_add(y, z))),
        I16x8RelaxedDotI8x16I7x16S => {
            let (x, y) = (i8s(a), i8s(b()));
            put_v(from_i16s(std::array::from_fn(|i| {
                (x[2 * i] as i16 * y[2 * i] as i16)
                    .wrapping_add(x[2 * i + 1] as i16 * y[2 * i + 1] as i16)
            })));
        }
        I32x4RelaxedDotI8x16I7x16AddS => {
            let (x, y, c) = (i8s(a), i8s(b()), i32s(v(4)));
            put_v(from_i32s(std::array::from_fn(|i| {
                (0..4).fold(c[i], |acc, k| {
                    acc.wrapping_add(x[4 * i + k] as i32 * y[4 * i + k] as i32)
                })
            })));
        }
    }
    Ok(())
}

fn zip3_f32(a: u128, b: u128, c: u128, f: impl Fn(f32, f32, f32) -> f32) -> u128 {
    let (x, y, z) = (f32s(a), f32s(b), f32s(c));
    from_f32s(std::array::from_fn(|i| f(x[i], y[i], z[i])))
}

fn zip3_f64(a: u128, b: u128, c: u128, f: impl Fn(f64, f64, f64) -> f64) -> u128 {
    let (x, y, z) = (f64s(a), f64s(b), f64s(c));
    from_f64s(std::array::from_fn(|i| f(x[i], y[i], z[i])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_round_trip_little_endian() {
        let v = 0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100u128;
        assert_eq!(u8s(v)[0], 0);
        assert_eq!(u8s(v)[15], 15);
        assert_eq!(u16s(v)[1], 0x0302);
        assert_eq!(from_i32s(i32s(v)), v);
        assert_eq!(from_f64s(f64s(v)), v);
    }

    #[test]
    fn binary_op_on_cells() {
        let mut cells = [0u64; 4];
        let (a, b) = (from_i32s([1, 2, 3, i32::MAX]), from_i32s([10, 20, 30, 1]));
        cells[0] = a as u64;
        cells[1] = (a >> 64) as u64;
        cells[2] = b as u64;
        cells[3] = (b >> 64) as u64;
        unsafe {
            execute(
                SimdOp::I32x4Add,
                cells.as_mut_ptr(),
                std::ptr::null_mut(),
                0,
            )
            .unwrap()
        };
        let r = cells[0] as u128 | (cells[1] as u128) << 64;
        assert_eq!(i32s(r), [11, 22, 33, i32::MIN]);
    }
}
