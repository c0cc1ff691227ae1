#!/usr/bin/env bash
# Regenerates the list of supported syscalls in README.md from the dispatch table
# (syscalls/src/runtime/dispatch.rs). `cargo test -p elfconv2-tests --test syscall_list`
# fails whenever the two differ.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ELFCONV2_UPDATE_SYSCALL_LIST=1 cargo test --release -p elfconv2-tests --test syscall_list -- --nocapture
