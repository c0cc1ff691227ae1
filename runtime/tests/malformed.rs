//! Bad input fails with a clear error and never panics: wrong magic, truncation at every
//! byte, huge memories, deep nesting.

use std::rc::Rc;

use elfconv2_runtime::store::Store;
use elfconv2_runtime::{default_features, instantiate, load, ErrorClass, Linker};

fn module(wat: &str) -> Vec<u8> {
    let buf = wast::parser::ParseBuffer::new(wat).unwrap();
    let mut w: wast::Wat = wast::parser::parse(&buf).unwrap();
    w.encode().unwrap()
}

const SAMPLE: &str = r#"(module
  (memory 1) (data (i32.const 8) "hi")
  (global $g (mut i32) (i32.const 1))
  (table 2 funcref) (elem (i32.const 0) $f)
  (func $f (export "f") (param i32) (result i32)
    (block (result i32) (local.get 0) (global.get $g) (i32.add) (br_if 0 (i32.const 1)))))"#;

#[test]
fn wrong_magic_is_malformed() {
    let mut b = module(SAMPLE);
    b[1] = b'x';
    let e = load(&b, default_features()).unwrap_err();
    assert_eq!(e.class, ErrorClass::Malformed);
    assert!(e.message.contains("magic"), "{e}");
}

/// Offsets where a section ends (a module cut there is a valid, shorter module).
fn section_ends(b: &[u8]) -> Vec<usize> {
    let mut ends = vec![8];
    let mut at = 8;
    while at < b.len() {
        let (mut size, mut shift, mut p) = (0usize, 0, at + 1);
        loop {
            size |= ((b[p] & 0x7f) as usize) << shift;
            shift += 7;
            p += 1;
            if b[p - 1] & 0x80 == 0 {
                break;
            }
        }
        at = p + size;
        ends.push(at);
    }
    ends
}

#[test]
fn every_truncation_is_rejected() {
    let b = module(SAMPLE);
    let ends = section_ends(&b);
    for n in 0..b.len() {
        match load(&b[..n], default_features()) {
            Ok(_) => assert!(ends.contains(&n), "module cut at {n} loaded"),
            Err(e) => assert!(!e.message.is_empty()),
        }
    }
    load(&b, default_features()).unwrap();
}

#[test]
fn memory_above_the_limit_is_invalid() {
    let mut b = module("(module (memory 1))");
    // memory section: count 1, flags 0, min 1 -> min 65537 (a three-byte LEB)
    let at = b.len() - 1;
    b.splice(at..at + 1, [0x81, 0x80, 0x04]);
    let size_at = b.len() - 6;
    b[size_at] += 2;
    let e = load(&b, default_features()).unwrap_err();
    assert_eq!(e.class, ErrorClass::Invalid, "{e}");
}

#[test]
fn huge_declared_memory_fails_or_succeeds_cleanly() {
    // 65536 pages (4 GiB) is valid; allocating it either works (lazily zeroed pages) or
    // fails with an error, never an abort.
    let m = load(&module("(module (memory 65536))"), default_features()).unwrap();
    let mut store = Store::new();
    match instantiate(&mut store, Rc::new(m), &Linker::new()) {
        Ok(_) => assert_eq!(store.memories[0].pages(), 65536),
        Err(e) => assert!(e.message.contains("cannot allocate"), "{e}"),
    }
}

#[test]
fn deep_nesting_loads_without_recursion() {
    let depth = 100_000;
    let mut body = vec![0x00]; // no locals
    for _ in 0..depth {
        body.extend([0x02, 0x40]); // block
    }
    body.extend(std::iter::repeat_n(0x0b, depth + 1));
    let mut code = Vec::new();
    leb(&mut code, body.len() as u32);
    code.extend(body);
    let mut b = b"\0asm\x01\0\0\0".to_vec();
    section(&mut b, 1, &[1, 0x60, 0, 0]);
    section(&mut b, 3, &[1, 0]);
    let mut cs = vec![1];
    cs.extend(code);
    section(&mut b, 10, &cs);
    load(&b, default_features()).unwrap();
    // And unbalanced: one `end` short.
    let mut bad = b.clone();
    bad.truncate(bad.len() - 1);
    assert!(load(&bad, default_features()).is_err());
}

fn leb(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn section(out: &mut Vec<u8>, id: u8, content: &[u8]) {
    out.push(id);
    leb(out, content.len() as u32);
    out.extend_from_slice(content);
}
