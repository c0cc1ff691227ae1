//! elfconv2's own WebAssembly runtime: a validating, slot-based interpreter whose whole
//! guest state is plain data (see `docs/ARCHITECTURE.md`, "The self-hosted runtime").

pub mod cli;
pub mod code;
pub mod compile;
pub mod exec;
pub mod instantiate;
pub mod load;
pub mod module;
pub mod ops;
#[cfg(feature = "profile")]
pub mod profile;
pub mod store;
pub mod strict;
pub mod trap;
pub mod wasi;

pub use instantiate::{instantiate, Linker};
pub use load::{default_features, load};
pub use store::{Extern, Store, Val};
pub use trap::{Error, ErrorClass, Trap};
