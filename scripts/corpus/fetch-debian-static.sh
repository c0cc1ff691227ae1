#!/usr/bin/env bash
# Fetches a static riscv64 program as Debian ships it (a real, stripped executable that this
# project did not build) and unpacks its binary:
#
#   fetch-debian-static.sh PACKAGE NAME PATH...
#
# downloads PACKAGE (riscv64), takes the first of the PATHs (inside the .deb, e.g. bin/busybox)
# that exists, and puts it at target/corpus/riscv64/NAME. Idempotent: the package is downloaded
# only when that file is missing (or DEB_REFETCH=1 asks for the suite's current version). Prints
# the binary's path as its last line of stdout.
#
# The .deb comes from the Debian archive through a private apt configuration (its own
# sources.list with one `deb [arch=riscv64]` line, its own lists, cache and dpkg status under
# target/corpus/apt-NAME/), so the system's apt sources and architectures are never touched and
# nothing is installed. The mirror is the one the system's own apt sources use (override with
# DEB_MIRROR=http://...); the suite is trixie (DEB_SUITE), Debian 13, the first release with
# riscv64 as an official architecture. (BUSYBOX_REFETCH, BUSYBOX_DEB_MIRROR and
# BUSYBOX_DEB_SUITE, the older names, still work.)
#
# Environment: CARGO_TARGET_DIR (default <repo>/target).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
CORPUS="$TARGET/corpus"
OUT_DIR="$CORPUS/riscv64"
(($# >= 3)) || { echo "usage: fetch-debian-static.sh PACKAGE NAME PATH..." >&2; exit 2; }
PACKAGE="$1"
NAME="$2"
shift 2
OUT="$OUT_DIR/$NAME"
SUITE="${DEB_SUITE:-${BUSYBOX_DEB_SUITE:-trixie}}"
REFETCH="${DEB_REFETCH:-${BUSYBOX_REFETCH:-}}"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

die() {
  echo "fetch-$NAME: error: $*" >&2
  exit 1
}
need() {
  command -v "$1" >/dev/null 2>&1 || die "\`$1\` not found on PATH ($2): run scripts/setup.sh"
}

# system_mirror, private_apt, private_apt_update.
# shellcheck source=scripts/corpus/private-apt.sh
source "$ROOT/scripts/corpus/private-apt.sh"

# Already unpacked, and nobody asked for a fresh look at the archive: nothing to do.
if [[ -x "$OUT" && -f "$OUT.version" && -z "$REFETCH" ]]; then
  echo "fetch-$NAME: $OUT is up to date ($PACKAGE $(cat "$OUT.version"))" >&2
  echo "$OUT"
  exit 0
fi

need apt-get "Debian's package tool"
need dpkg-deb "Debian's package unpacker, package dpkg"
[[ -f "$KEYRING" ]] || die "$KEYRING is missing (package debian-archive-keyring): run scripts/setup.sh"

mirror="${DEB_MIRROR:-${BUSYBOX_DEB_MIRROR:-$(system_mirror)}}"
apt="$CORPUS/apt-$NAME"
# An empty dpkg status: apt resolves the riscv64 package without looking at the host's.
private_apt "$apt" "deb [arch=riscv64 signed-by=$KEYRING] $mirror $SUITE main" \
  "Dir::State::Status \"$apt/status\";" \
  "APT::Architecture \"riscv64\";" \
  "APT::Architectures { \"riscv64\"; };"
: >"$apt/status"
mkdir -p "$OUT_DIR"

echo "fetch-$NAME: fetching $PACKAGE (riscv64, $SUITE) from $mirror" >&2
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
for candidate in "$@"; do
  [[ -f "$work/root/$candidate" ]] && { bin="$work/root/$candidate"; break; }
done
[[ -n "$bin" ]] || die "$deb holds none of: $*"
chmod +x "$bin"
mv -f "$bin" "$OUT"
echo "$version" >"$OUT.version"
echo "fetch-$NAME: unpacked $OUT ($PACKAGE $version)" >&2
echo "$OUT"
