#!/usr/bin/env bash
# Builds the fuzzers' seed corpus: small riscv64 programs, each a few KB, so that a mutation
# costs milliseconds. Usage: lifter/fuzz/seed.sh (from anywhere); writes lifter/fuzz/corpus/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../.."
cc=riscv64-linux-gnu-gcc
command -v "$cc" >/dev/null || { echo "seed.sh: $cc is missing; run scripts/setup.sh" >&2; exit 1; }
for target in load_and_discover lift; do
  out="$here/corpus/$target"
  mkdir -p "$out"
  for opt in -O0 -O1 -O2 -Os; do
    "$cc" $opt -static -nostdlib -fasynchronous-unwind-tables \
      "$root/tests/harness/tiny_nolibc.c" -o "$out/tiny$opt"
    riscv64-linux-gnu-strip -o "$out/tiny$opt-stripped" "$out/tiny$opt"
  done
done
ls -l "$here/corpus"/*
