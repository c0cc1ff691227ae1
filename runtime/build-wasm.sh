#!/bin/sh
# Builds runtime.wasm (wasm32-wasip1) into target/runtime-wasm/ and prints its path.
# Uses rustup's wasm32-wasip1 target when installed, else Debian's rustc-web with -Zbuild-std
# (see shared toolchain notes: rustup cannot download the target on these machines).
set -e
cd "$(dirname "$0")"
out=../target/runtime-wasm
# One codegen unit with LTO lets the dispatch loop be optimised as a whole; no debug info.
export CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
       CARGO_PROFILE_RELEASE_PANIC=abort CARGO_PROFILE_RELEASE_DEBUG=false
if rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip1; then
    cargo build --release --target wasm32-wasip1 --target-dir "$out" --bin runtime >&2
elif [ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/src/rust ] && [ -d /usr/lib/wasm32-wasi ]; then
    RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
    RUSTFLAGS="-C linker=/usr/lib/llvm-19/bin/wasm-ld -C link-self-contained=no -L /usr/lib/wasm32-wasi -C link-arg=/usr/lib/wasm32-wasi/crt1-command.o" \
        /usr/bin/cargo build --release -Zbuild-std=std,panic_abort --target wasm32-wasip1 \
        --target-dir "$out" --bin runtime >&2
else
    echo "build-wasm.sh: need rustup's wasm32-wasip1 target, or Debian's rustc-web, rust-web-src, wasi-libc and lld-19" >&2
    exit 1
fi
wasm="$out/wasm32-wasip1/release/runtime.wasm"
# Debug info is not needed at run time and triples the size (and the host's compile time).
if command -v llvm-strip-19 >/dev/null; then
    llvm-strip-19 -o "$out/runtime.wasm" "$wasm"
else
    cp "$wasm" "$out/runtime.wasm"
fi
echo "$(cd "$out" && pwd)/runtime.wasm"
