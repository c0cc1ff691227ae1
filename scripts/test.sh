#!/usr/bin/env bash
# The project's one test command: builds the release binary, then runs every test in the workspace
# (unit tests, and the differential tests that compare translated programs against qemu).
# Extra arguments go to the test binaries, e.g. `scripts/test.sh hello::riscv64-O2`.
# Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The tests' translations are cached inside target/ (not in ~/.cache), so a run starts from what this
# checkout built and `cargo clean` removes them.
export ELFCONV2_CACHE_DIR="${ELFCONV2_CACHE_DIR:-$PWD/target/elfconv2-cache}"

echo "test.sh: cargo build --release --workspace"
cargo build --release --workspace

echo "test.sh: cargo test --release --workspace"
if (($#)); then
  cargo test --release --workspace --no-fail-fast -- "$@"
else
  cargo test --release --workspace --no-fail-fast
fi
