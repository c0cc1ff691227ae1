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

# The Debian mirror the system already uses for its own (non-security) packages.
# shellcheck source=scripts/corpus/system-mirror.sh
source "$ROOT/scripts/corpus/system-mirror.sh"

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
rm -rf "$apt"
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sources.list.d" \
  "$apt/preferences.d" "$OUT_DIR"
: >"$apt/status"
echo "deb [arch=riscv64 signed-by=$KEYRING] $mirror $SUITE main" >"$apt/sources.list"
{
  echo "Dir::Etc::SourceList \"$apt/sources.list\";"
  echo "Dir::Etc::SourceParts \"$apt/sources.list.d\";"
  echo "Dir::Etc::PreferencesParts \"$apt/preferences.d\";"
  echo "Dir::State::Lists \"$apt/lists\";"
  # An empty dpkg status: apt resolves the riscv64 package without looking at the host's.
  echo "Dir::State::Status \"$apt/status\";"
  echo "Dir::Cache \"$apt/cache\";"
  echo "APT::Architecture \"riscv64\";"
  echo "APT::Architectures { \"riscv64\"; };"
  # A root apt would otherwise try to drop to the _apt user, which cannot write under target/.
  [[ "$(id -u)" -eq 0 ]] && echo "APT::Sandbox::User \"root\";"
} >"$apt/apt.conf"
export APT_CONFIG="$apt/apt.conf"

echo "fetch-busybox: fetching $PACKAGE (riscv64, $SUITE) from $mirror" >&2
{ apt-get -q -o Debug::NoLocking=1 --error-on=any update >"$apt/update.log" 2>&1 &&
  compgen -G "$apt/lists/*_Packages*" >/dev/null; } ||
  die "apt-get update for the private riscv64 list failed (see $apt/update.log; mirror $mirror):
$(tail -n 5 "$apt/update.log")
check the network/mirror or run scripts/setup.sh"
work="$(mktemp -d "$OUT_DIR/.fetch-XXXXXX")"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get -q -o Debug::NoLocking=1 download "$PACKAGE:riscv64") >"$apt/download.log" 2>&1 ||
  die "\`apt-get download $PACKAGE:riscv64\` failed (see $apt/download.log):
$(tail -n 5 "$apt/download.log")"
deb="$(find "$work" -maxdepth 1 -name "${PACKAGE}_*_riscv64.deb" | head -n1)"
[[ -n "$deb" ]] || die "apt-get download $PACKAGE:riscv64 left no ${PACKAGE}_*_riscv64.deb"
version="$(dpkg-deb -f "$deb" Version)"
dpkg-deb -x "$deb" "$work/root"
[[ -f "$work/root/bin/busybox" || -f "$work/root/usr/bin/busybox" ]] ||
  die "$deb holds no bin/busybox"
bin="$work/root/bin/busybox"
[[ -f "$bin" ]] || bin="$work/root/usr/bin/busybox"
chmod +x "$bin"
mv -f "$bin" "$OUT"
echo "$version" >"$OUT.version"
echo "fetch-busybox: unpacked $OUT ($PACKAGE $version)" >&2
echo "$OUT"
