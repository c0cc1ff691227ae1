//! Instruction-pair counts for tuning the internal code (feature `profile` only).

use std::cell::RefCell;
use std::collections::HashMap;

use crate::code::Instr;

thread_local! {
    static COUNTS: RefCell<(Option<String>, HashMap<(String, String), u64>)> = RefCell::default();
}

fn name(i: &Instr) -> String {
    let s = format!("{i:?}");
    s.split([' ', '{']).next().unwrap_or("").to_string()
}

pub fn count(i: &Instr) {
    COUNTS.with(|c| {
        let mut c = c.borrow_mut();
        let n = name(i);
        let prev = c.0.replace(n.clone()).unwrap_or_default();
        *c.1.entry((prev, n)).or_default() += 1;
    });
}

/// Prints the most frequent single instructions and pairs to stderr.
pub fn report() {
    COUNTS.with(|c| {
        let c = c.borrow();
        let mut singles: HashMap<&str, u64> = HashMap::new();
        for ((_, b), n) in &c.1 {
            *singles.entry(b).or_default() += n;
        }
        let total: u64 = singles.values().sum();
        let mut v: Vec<_> = singles.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1));
        eprintln!("{total} instructions");
        for (k, n) in v.iter().take(25) {
            eprintln!("{:6.2}% {k}", *n as f64 * 100.0 / total as f64);
        }
        let mut p: Vec<_> = c.1.iter().collect();
        p.sort_by(|a, b| b.1.cmp(a.1));
        for ((a, b), n) in p.iter().take(25) {
            eprintln!("{:6.2}% {a} -> {b}", **n as f64 * 100.0 / total as f64);
        }
    });
}
