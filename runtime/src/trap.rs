//! Traps (runtime failures, with the spec's messages) and load/link errors.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trap {
    Unreachable,
    MemoryOutOfBounds,
    TableOutOfBounds,
    IndirectCallTypeMismatch,
    UndefinedElement,
    UninitializedElement,
    IntegerDivideByZero,
    IntegerOverflow,
    InvalidConversion,
    CallStackExhausted,
    /// `proc_exit` (or the runtime's own exit): not a failure of the guest.
    Exit(i32),
    /// A host function failed.
    Host(String),
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Trap::Unreachable => f.write_str("unreachable"),
            Trap::MemoryOutOfBounds => f.write_str("out of bounds memory access"),
            Trap::TableOutOfBounds => f.write_str("out of bounds table access"),
            Trap::IndirectCallTypeMismatch => f.write_str("indirect call type mismatch"),
            Trap::UndefinedElement => f.write_str("undefined element"),
            Trap::UninitializedElement => f.write_str("uninitialized element"),
            Trap::IntegerDivideByZero => f.write_str("integer divide by zero"),
            Trap::IntegerOverflow => f.write_str("integer overflow"),
            Trap::InvalidConversion => f.write_str("invalid conversion to integer"),
            Trap::CallStackExhausted => f.write_str("call stack exhausted"),
            Trap::Exit(code) => write!(f, "exit with code {code}"),
            Trap::Host(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Trap {}

/// The spec's classes of module errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// The bytes are not a module (decoding failed).
    Malformed,
    /// The module decodes but does not validate.
    Invalid,
    /// Imports cannot be satisfied.
    Unlinkable,
    /// Instantiation trapped (an initialiser or the start function).
    Uninstantiable,
    /// Valid, but uses something this runtime does not implement.
    Unsupported,
}

#[derive(Debug, Clone)]
pub struct Error {
    pub class: ErrorClass,
    pub message: String,
    pub trap: Option<Trap>,
}

impl Error {
    pub fn new(class: ErrorClass, message: impl Into<String>) -> Self {
        Error {
            class,
            message: message.into(),
            trap: None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let class = match self.class {
            ErrorClass::Malformed => "malformed module",
            ErrorClass::Invalid => "invalid module",
            ErrorClass::Unlinkable => "unlinkable module",
            ErrorClass::Uninstantiable => "instantiation failed",
            ErrorClass::Unsupported => "unsupported module",
        };
        write!(f, "{class}: {}", self.message)
    }
}

impl std::error::Error for Error {}
