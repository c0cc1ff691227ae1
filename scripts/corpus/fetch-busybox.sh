#!/usr/bin/env bash
# Fetches Debian's busybox-static for riscv64 (a real, stripped, static riscv64 executable that
# this project did not build) and unpacks its binary:
#
#   target/corpus/riscv64/busybox        bin/busybox from the busybox-static .deb
#
# Idempotent: the package is downloaded only when target/corpus/riscv64/busybox is missing (or
# BUSYBOX_REFETCH=1 asks for the suite's current version). Prints the binary's path as its last
# line of stdout.
#
# The .deb comes from the Debian archive through a private apt configuration (its own
# sources.list with one `deb [arch=riscv64]` line, its own lists, cache and dpkg status under
# target/corpus/apt-busybox/), so the system's apt sources and architectures are never touched and
# nothing is installed. The mirror is the one the system's own apt sources use (override with
# BUSYBOX_DEB_MIRROR=http://...); the suite is trixie (BUSYBOX_DEB_SUITE), Debian 13, the first
# release with riscv64 as an official architecture.
#
# Environment: CARGO_TARGET_DIR (default <repo>/target).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
CORPUS="$TARGET/corpus"
OUT_DIR="$CORPUS/riscv64"
OUT="$OUT_DIR/busybox"
PACKAGE=busybox-static
SUITE="${BUSYBOX_DEB_SUITE:-trixie}"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

die() {
  echo "fetch-busybox: error: $*" >&2
  exit 1
}
need() {
  command -v "$1" >/dev/null 2>&1 || die "\`$1\` not found on PATH ($2): run scripts/setup.sh"
}

# system_mirror, private_apt, private_apt_update.
# shellcheck source=scripts/corpus/private-apt.sh
source "$ROOT/scripts/corpus/private-apt.sh"

# Already unpacked, and nobody asked for a fresh look at the archive: nothing to do.
if [[ -x "$OUT" && -f "$OUT.version" && -z "${BUSYBOX_REFETCH:-}" ]]; then
  echo "fetch-busybox: $OUT is up to date ($PACKAGE $(cat "$OUT.version"))" >&2
  echo "$OUT"
  exit 0
fi

need apt-get "Debian's package tool"
need dpkg-deb "Debian's package unpacker, package dpkg"
[[ -f "$KEYRING" ]] || die "$KEYRING is missing (package debian-archive-keyring): run scripts/setup.sh"

mirror="${BUSYBOX_DEB_MIRROR:-$(system_mirror)}"
apt="$CORPUS/apt-busybox"
# An empty dpkg status: apt resolves the riscv64 package without looking at the host's.
private_apt "$apt" "deb [arch=riscv64 signed-by=$KEYRING] $mirror $SUITE main" \
  "Dir::State::Status \"$apt/status\";" \
  "APT::Architecture \"riscv64\";" \
  "APT::Architectures { \"riscv64\"; };"
: >"$apt/status"
mkdir -p "$OUT_DIR"

echo "fetch-busybox: fetching $PACKAGE (riscv64, $SUITE) from $mirror" >&2
private_apt_update "$apt" "*_Packages*" riscv64 "$mirror"
work="$(mktemp -d "$OUT_DIR/.fetch-XXXXXX")"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get -q -o Debug::NoLocking=1 download "$PACKAGE:riscv64") >"$apt/download.log" 2>&1 ||
  die "\`apt-get download $PACKAGE:riscv64\` failed (see $apt/download.log):
$(tail -n 5 "$apt/download.log")"
deb="$(find "$work" -maxdepth 1 -name "${PACKAGE}_*_riscv64.deb" | head -n1)"
[[ -n "$deb" ]] || die "apt-get download $PACKAGE:riscv64 left no ${PACKAGE}_*_riscv64.deb"
version="$(dpkg-deb -f "$deb" Version)"
dpkg-deb -x "$deb" "$work/root"
bin=""
for candidate in "$work/root/bin/busybox" "$work/root/usr/bin/busybox"; do
  [[ -f "$candidate" ]] && { bin="$candidate"; break; }
done
[[ -n "$bin" ]] || die "$deb holds no bin/busybox"
chmod +x "$bin"
mv -f "$bin" "$OUT"
echo "$version" >"$OUT.version"
echo "fetch-busybox: unpacked $OUT ($PACKAGE $version)" >&2
echo "$OUT"
