//! elfconv2's lifter: ELF loading, code discovery, decoding and lifting of
//! guest machine code to LLVM IR. The core (`discover`, `emit`) is
//! architecture-neutral; each guest ISA implements [`arch::Arch`].

pub mod arch;
pub mod cache_file;
pub mod discover;
pub mod elf;
pub mod emit;
pub mod riscv;
pub mod translate;
pub mod unwind;

pub use elf::{GuestArch, GuestImage};
