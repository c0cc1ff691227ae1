#!/usr/bin/env bash
# Fetches Debian's busybox-static for riscv64 into target/corpus/riscv64/busybox (see
# fetch-debian-static.sh). Prints the binary's path as its last line of stdout.
exec "$(dirname "${BASH_SOURCE[0]}")/fetch-debian-static.sh" busybox-static busybox bin/busybox usr/bin/busybox
