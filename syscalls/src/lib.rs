//! elfconv2's Linux syscall layer: the code linked into every translated
//! Wasm module that stands in for the Linux kernel.
//!
//! Only [`abi`] is meant for other crates (the host-side lifter shares the
//! state layout and symbol names through it). The pure logic (address space,
//! initial stack, errno tables, path resolution, strace formatting) compiles
//! everywhere so it is unit-tested on the host; the runtime that uses WASI
//! is compiled only for `wasm32`.
//!
//! Module map:
//! - [`abi`]: the fixed contract with the lifted code;
//! - [`layout`]: guest address-space layout, brk and the mmap free list;
//! - [`stack`]: the Linux initial stack (argv, envp, auxv);
//! - [`guest_mem`]: checked guest-memory access (bad pointers -> EFAULT);
//! - [`paths`]: guest paths onto WASI preopens; [`fdtable`]: guest fds;
//! - [`errno`], [`linux`]: Linux ABI numbers, names and struct encoders;
//! - [`fpu`]: bit-exact RISC-V F/D arithmetic with rounding modes and flags;
//! - [`strace`]: `ELFCONV_STRACE=1` output;
//! - `runtime` (wasm32 only): start-up (`__main_void`, `sbrk`), the hooks
//!   and statics of `abi::sym`, the syscall table (`runtime/dispatch.rs`) and
//!   one module per syscall family (`fs`, `mem`, `process`, `time`,
//!   `signal`, `identity`, `system`).
//!
//! Building the Wasm staticlib on a machine where rustup has no
//! wasm32-wasip1 standard library (see shared/toolchain.md):
//!
//! ```text
//! RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo build --release \
//!     -Zbuild-std=std,panic_abort --target wasm32-wasip1 \
//!     --target-dir target/wasm-syscalls --manifest-path syscalls/Cargo.toml --lib
//! ```

pub mod abi;

pub mod errno;
pub mod fdtable;
pub mod fpu;
pub mod guest_mem;
pub mod interp;
pub mod isa;
pub mod layout;
pub mod linux;
pub mod paths;
pub mod pipe;
pub mod sigframe;
pub mod special;
pub mod stack;
pub mod strace;
pub mod syscall_names;

#[cfg(target_arch = "wasm32")]
mod runtime;
