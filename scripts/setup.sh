#!/usr/bin/env bash
# Installs every system package elfconv2 needs, builds elfconv2, and translates and runs the
# example program (examples/hello.c). Idempotent: packages already present are skipped, builds are
# incremental. `scripts/setup.sh --no-build` only installs.
set -euo pipefail

PACKAGES=(
  # LLVM 19 for the lifter (inkwell) and wasm-ld for linking
  llvm-19-dev libpolly-19-dev zlib1g-dev libzstd-dev libxml2-dev lld-19 clang-19
  # Rust with full std source: builds the wasm32-wasip1 syscall layer from source
  rustc-web cargo-web rust-web-src wasi-libc
  # Cross compilers for guest programs, and qemu as the reference
  gcc-aarch64-linux-gnu g++-aarch64-linux-gnu gcc-riscv64-linux-gnu g++-riscv64-linux-gnu qemu-user
  # Tools the tests and benchmarks use (strace: the format oracle for ELFCONV_STRACE output)
  wabt strace
  # tests/tests/terminal.rs: `script` runs programs on a pseudo-terminal, `setsid` without one
  bsdutils util-linux
  # clang's wasm32 builtins, for benchmark programs compiled straight to wasm32-wasi
  libclang-rt-19-dev-wasm32
  # Node.js: its built-in node:wasi is the second Wasm runtime the tests use
  nodejs
  # pip, for the PyPI wasmtime bindings below
  python3-pip
  # scripts/corpus/build-lua.sh: `apt-get source` unpacks Debian source packages with dpkg-source
  dpkg-dev debian-archive-keyring
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all system packages present"
fi

# The PyPI wasmtime bindings: stock wasmtime for scripts/run-wasi-wasmtime.py (tests, benchmarks).
PYTHON="${PYTHON:-python3}"
if "$PYTHON" -c 'import wasmtime' 2>/dev/null; then
  echo "setup: Python module wasmtime present"
else
  echo "setup: installing the Python module wasmtime"
  "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore wasmtime ||
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --break-system-packages wasmtime
  "$PYTHON" -c 'import wasmtime'
fi

if [[ "${1:-}" == "--no-build" ]]; then
  exit 0
fi

# Build elfconv2 and show it working on the example.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
echo "setup: cargo build --release"
cargo build --release -p elfconv2
mkdir -p target/example
riscv64-linux-gnu-gcc -O2 -static examples/hello.c -o target/example/hello
echo "setup: elfconv2 translate target/example/hello -o target/example/hello.wasm"
target/release/elfconv2 translate target/example/hello -o target/example/hello.wasm
echo "setup: elfconv2 run target/example/hello Ada Grace"
status=0
target/release/elfconv2 run target/example/hello Ada Grace || status=$?
echo "setup: the example exited with $status (it exits with the number of names greeted)"
[[ $status -eq 2 ]]
