//! Converting .wast arguments to runtime values and matching results against expectations.

use elfconv2_runtime::Val;
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::{WastArg, WastRet};

pub fn arg(a: &WastArg) -> Result<Val, String> {
    let WastArg::Core(a) = a else {
        return Err("component argument".into());
    };
    Ok(match a {
        WastArgCore::I32(x) => Val::I32(*x),
        WastArgCore::I64(x) => Val::I64(*x),
        WastArgCore::F32(x) => Val::F32(x.bits),
        WastArgCore::F64(x) => Val::F64(x.bits),
        WastArgCore::V128(x) => Val::V128(u128::from_le_bytes(x.to_le_bytes())),
        WastArgCore::RefNull(h) => null_of(h)?,
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(*n)),
        other => return Err(format!("unsupported argument {other:?}")),
    })
}

fn null_of(h: &HeapType) -> Result<Val, String> {
    match h {
        HeapType::Abstract {
            ty: AbstractHeapType::Func,
            ..
        } => Ok(Val::FuncRef(None)),
        HeapType::Abstract {
            ty: AbstractHeapType::Extern,
            ..
        } => Ok(Val::ExternRef(None)),
        other => Err(format!("unsupported heap type {other:?}")),
    }
}

fn f32_matches(p: &NanPattern<wast::token::F32>, bits: u32) -> bool {
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn f64_matches(p: &NanPattern<wast::token::F64>, bits: u64) -> bool {
    match p {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn v128_matches(p: &V128Pattern, v: u128) -> bool {
    let b = v.to_le_bytes();
    match p {
        V128Pattern::I8x16(l) => l.iter().enumerate().all(|(i, &x)| b[i] as i8 == x),
        V128Pattern::I16x8(l) => l
            .iter()
            .enumerate()
            .all(|(i, &x)| i16::from_le_bytes([b[2 * i], b[2 * i + 1]]) == x),
        V128Pattern::I32x4(l) => l
            .iter()
            .enumerate()
            .all(|(i, &x)| i32::from_le_bytes(b[4 * i..4 * i + 4].try_into().unwrap()) == x),
        V128Pattern::I64x2(l) => l
            .iter()
            .enumerate()
            .all(|(i, &x)| i64::from_le_bytes(b[8 * i..8 * i + 8].try_into().unwrap()) == x),
        V128Pattern::F32x4(l) => l.iter().enumerate().all(|(i, p)| {
            f32_matches(
                p,
                u32::from_le_bytes(b[4 * i..4 * i + 4].try_into().unwrap()),
            )
        }),
        V128Pattern::F64x2(l) => l.iter().enumerate().all(|(i, p)| {
            f64_matches(
                p,
                u64::from_le_bytes(b[8 * i..8 * i + 8].try_into().unwrap()),
            )
        }),
    }
}

pub fn matches(expected: &WastRet, got: &Val) -> bool {
    let WastRet::Core(e) = expected else {
        return false;
    };
    match (e, got) {
        (WastRetCore::I32(x), Val::I32(y)) => x == y,
        (WastRetCore::I64(x), Val::I64(y)) => x == y,
        (WastRetCore::F32(p), Val::F32(bits)) => f32_matches(p, *bits),
        (WastRetCore::F64(p), Val::F64(bits)) => f64_matches(p, *bits),
        (WastRetCore::V128(p), Val::V128(v)) => v128_matches(p, *v),
        (WastRetCore::RefNull(_), Val::FuncRef(None) | Val::ExternRef(None)) => true,
        (WastRetCore::RefExtern(None), Val::ExternRef(Some(_))) => true,
        (WastRetCore::RefExtern(Some(n)), Val::ExternRef(Some(m))) => n == m,
        (WastRetCore::RefFunc(_), Val::FuncRef(Some(_))) => true,
        _ => false,
    }
}
