//! Instruction semantics that are more than one Rust operator, one file per family.

pub mod convert;
pub mod float;
pub mod memory;
pub mod simd;
pub mod table;
