//! Shared machinery for elfconv2's differential tests and benchmarks.
//!
//! * [`paths`]: where the workspace, the target dir, the scripts and the elfconv2 binary are;
//! * [`tools`]: finding external tools, failing with a message that names the fix;
//! * [`process`]: running a command with stdin, captured output and a safety timeout;
//! * [`build`]: compiling a C or C++ program once, cached by a hash of source + flags + compiler;
//! * [`meta`]: the `// args:` / `// stdin:` / `// env:` header of a guest program;
//! * [`compare`]: readable descriptions of output differences;
//! * [`observe`]: what one guest run produced, and comparing two runs.

pub mod build;
pub mod compare;
pub mod meta;
pub mod observe;
pub mod paths;
pub mod process;
pub mod tools;

pub use build::{Arch, Lang, Variant};
