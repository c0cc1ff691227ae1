//! Guest instruction decoding, shared by the lifter (on the host) and the
//! syscall layer's interpreter (inside the module), so that both read an
//! instruction the same way.

pub mod riscv;

/// Why an instruction could not be decoded (or lifted).
#[derive(Clone, Debug)]
pub struct Unsupported(pub String);
