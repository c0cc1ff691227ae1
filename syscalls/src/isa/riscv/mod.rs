//! RISC-V decoding: RV64GC (compressed instructions expand to the 32-bit
//! instruction they stand for) plus Zba, Zbb and Zbs.

pub mod bitmanip;
mod compressed;
pub mod decode;
