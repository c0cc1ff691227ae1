//! The compiler's fusions happen where they should, and not where they must not.
//!
//! `tests/wast/fused_*.wast` check what the fused code computes (they run in the spec suite);
//! this test checks that the functions in them really are compiled to the fused forms, so a
//! change that silently stops fusing (a speed loss no output shows) fails here.

use elfconv2_runtime::code::Instr;
use elfconv2_runtime::module::{ExternKind, Module};
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastDirective};

/// The first module of a .wast script, loaded and compiled.
fn first_module(text: &str) -> Module {
    let buf = ParseBuffer::new(text).expect("lexes");
    let script: Wast = parser::parse(&buf).expect("parses");
    for directive in script.directives {
        if let WastDirective::Module(QuoteWat::Wat(mut wat)) = directive {
            let bytes = wat.encode().expect("encodes");
            return elfconv2_runtime::load(&bytes, elfconv2_runtime::default_features())
                .expect("loads");
        }
    }
    panic!("no module in the script");
}

/// The compiled code of an exported function, one instruction name per entry.
fn code_of(m: &Module, export: &str) -> Vec<String> {
    let e = m
        .exports
        .iter()
        .find(|e| e.name == export && e.kind == ExternKind::Func)
        .unwrap_or_else(|| panic!("no function {export}"));
    let code = &m.code[(e.index - m.num_imported_funcs) as usize];
    code.instrs.iter().map(name).collect()
}

fn name(i: &Instr) -> String {
    let s = format!("{i:?}");
    s.split([' ', '{']).next().unwrap_or("").to_string()
}

fn assert_has(code: &[String], export: &str, want: &str) {
    assert!(
        code.iter().any(|n| n == want),
        "{export}: expected {want} in {code:?}"
    );
}

fn assert_lacks(code: &[String], export: &str, unwanted: &str) {
    assert!(
        !code.iter().any(|n| n == unwanted),
        "{export}: did not expect {unwanted} in {code:?}"
    );
}

#[test]
fn add_immediate_and_branch_are_one_instruction() {
    let m = first_module(include_str!("wast/fused_branches.wast"));
    for (export, fused) in [
        ("i32_lt_s", "I32AddImmBrLtS"),
        // `b > d` is `d < b`
        ("i32_gt_u_swapped", "I32AddImmBrLtU"),
        // an `if` branches to `else` when `d >= b` fails
        ("i32_ge_s_if", "I32AddImmBrLtS"),
        ("i32_eq", "I32AddImmBrEq"),
        ("i64_gt_u_temp", "I64AddImmBrGtU"),
        ("i64_le_s", "I64AddImmBrLeS"),
        ("i64_lt_s_swapped", "I64AddImmBrGtS"),
        ("i32_add_gt_s", "I32AddBrLtS"),
    ] {
        let code = code_of(&m, export);
        assert_has(&code, export, fused);
        assert_lacks(&code, export, "I32AddImm");
        assert_lacks(&code, export, "I64AddImm");
        assert_lacks(&code, export, "I32Add");
    }
    // `m += p; br_if loop (m <= limit)`
    assert_has(&code_of(&m, "steps"), "steps", "I64AddBrLeU");
}

#[test]
fn a_bounds_check_is_one_instruction() {
    let m = first_module(include_str!("wast/fused_branches.wast"));
    for (export, fused) in [("bounds", "I64SumBrGtU"), ("bounds_if", "I64SumBrLeU")] {
        let code = code_of(&m, export);
        assert_has(&code, export, fused);
        assert_lacks(&code, export, "I64Add");
        assert_lacks(&code, export, "I64AddImm");
    }
}

#[test]
fn a_conditional_branch_over_a_jump_is_negated() {
    let m = first_module(include_str!("wast/fused_branches.wast"));
    // `br_if exit (i > n); br loop` is one `i <= n` branch back to the loop.
    let code = code_of(&m, "sum_to");
    assert_has(&code, "sum_to", "I32AddImmBrLeU");
    assert_lacks(&code, "sum_to", "Br");
    let code = code_of(&m, "count_down");
    assert_has(&code, "count_down", "BrIfZ");
    assert_lacks(&code, "count_down", "Br");
    // Both states' jumps back to the `br_table` are copies of it.
    let code = code_of(&m, "dispatch");
    assert_lacks(&code, "dispatch", "Br");
    assert_eq!(
        code.iter().filter(|n| *n == "BrTable").count(),
        3,
        "{code:?}"
    );
    // The jump is a branch target: it stays.
    let code = code_of(&m, "jump_to_back_edge");
    assert_has(&code, "jump_to_back_edge", "Br");
}

#[test]
fn multiply_add_and_nan_canonicalisation_are_one_instruction() {
    let m = first_module(include_str!("wast/fused_floats.wast"));
    for (export, fused, gone) in [
        ("add_mul", "F64AddMul", "F64Mul"),
        ("sub_mul", "F64SubMul", "F64Mul"),
        ("add_mul_tee", "F64AddMul", "F64Mul"),
        ("mul_add", "F64MulAdd", "F64Mul"),
        ("canon64", "F64CanonNan", "Select"),
        ("canon32", "F32CanonNan", "Select"),
        ("canon_sum", "F64CanonNan", "Select"),
    ] {
        let code = code_of(&m, export);
        assert_has(&code, export, fused);
        assert_lacks(&code, export, gone);
    }
    // A product on the left of a computed value, and a NaN other than the canonical one, are
    // not fused.
    assert_has(
        &code_of(&m, "mul_add_computed"),
        "mul_add_computed",
        "F64Mul",
    );
    assert_has(&code_of(&m, "negative_nan"), "negative_nan", "Select");
}

#[test]
fn rotate_halves_are_one_instruction() {
    let m = first_module(include_str!("wast/fused_bits.wast"));
    for export in ["rotr13", "odd_parts"] {
        let code = code_of(&m, export);
        assert_has(&code, export, "I64ShrAndShlOr");
        assert_lacks(&code, export, "I64Or");
    }
    assert_eq!(
        code_of(&m, "xor_rotates")[..2],
        ["I64ShrAndShlOr", "I64XorShrAndShlOr"]
    );
    assert_has(&code_of(&m, "two_values"), "two_values", "I64Or");
}

#[test]
fn an_element_address_is_one_instruction() {
    let m = first_module(include_str!("wast/fused_bits.wast"));
    for export in ["element", "element_big_shift"] {
        assert_eq!(code_of(&m, export)[0], "I32AddShlImm", "{export}");
    }
}

#[test]
fn bit_tests_and_sets_are_one_instruction() {
    let m = first_module(include_str!("wast/fused_bits.wast"));
    for (export, fused) in [
        ("bits_at", "I64ShrUImmAndImm"),
        ("bit", "I64ShrUAndImm"),
        ("high_mask", "I64ShrUAndImm"),
        ("set_bit", "I64OrShl"),
    ] {
        assert_eq!(code_of(&m, export)[0], fused, "{export}");
    }
    // Without a slot the mask was a `Const64` instruction; the fusion took it out (only the
    // dropped constants without slots are left).
    let code = code_of(&m, "bits_at_unslotted");
    assert_has(&code, "bits_at_unslotted", "I64ShrUImmAndImm");
    let e = m
        .exports
        .iter()
        .find(|e| e.name == "bits_at_unslotted")
        .unwrap();
    let instrs = &m.code[(e.index - m.num_imported_funcs) as usize].instrs;
    assert!(
        !instrs
            .iter()
            .any(|i| matches!(i, Instr::Const64 { v: 0x3ff, .. })),
        "the mask is still an instruction: {instrs:?}"
    );
}

#[test]
fn sigma_terms_are_one_instruction_each() {
    let m = first_module(include_str!("wast/fused_bits.wast"));
    // rotr 2, then two xor-with-rotate
    let code = code_of(&m, "sigma0");
    assert_eq!(
        code[..3],
        ["I32RotlImm", "I32XorRotlImm", "I32XorRotlImm"],
        "{code:?}"
    );
    let code = code_of(&m, "small_sigma0");
    assert_eq!(
        code[..3],
        ["I32RotlImm", "I32XorRotlImm", "I32XorShrUImm"],
        "{code:?}"
    );
}
