#!/usr/bin/env bash
# What the benchmarks need beyond scripts/setup.sh: the wasmi CLI, the interpreter the native
# self-hosted runtime is compared with (benches/, column "wasmi"). Building it takes minutes, so
# the test set-up does not do it. Idempotent: installs into target/tools/bin once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
WASMI_VERSION=2.0.0
bin=target/tools/bin/wasmi
if [[ -x "$bin" ]]; then
  echo "setup-bench: $bin present ($("$bin" --version 2>/dev/null || echo unknown version))"
else
  echo "setup-bench: cargo install wasmi_cli $WASMI_VERSION into target/tools"
  cargo install --quiet --locked --root target/tools --version "$WASMI_VERSION" wasmi_cli
fi
