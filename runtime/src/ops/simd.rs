//! Fixed-width SIMD (v128): not implemented yet; modules using it are rejected as unsupported.

use wasmparser::Operator;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SimdOp {}

impl SimdOp {
    pub fn from_operator(_op: &Operator) -> Option<SimdOp> {
        None
    }

    /// Cells consumed and produced.
    pub fn arity(&self) -> (&'static [u8], &'static [u8]) {
        match *self {}
    }
}

/// Executes a SIMD instruction on the cells at `regs`.
///
/// # Safety
/// `regs` must point at the instruction's operand cells inside the current window.
pub unsafe fn execute(
    op: SimdOp,
    _regs: *mut u64,
    _mem: *mut u8,
    _mem_len: u64,
) -> Result<(), crate::trap::Trap> {
    match op {}
}
