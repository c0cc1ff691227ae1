#!/usr/bin/env bash
# Builds the Lua 5.4 interpreter from Debian's source package as a static riscv64 executable:
#
#   target/corpus/src/lua5.4/        the unpacked Debian source (fetched once, then reused)
#   target/corpus/riscv64/lua        riscv64-linux-gnu-gcc -O2 -static, POSIX features, no dlopen/readline
#
# Idempotent: the source is fetched only when target/corpus/src/lua5.4 is missing, and the
# interpreter is rebuilt only when it is missing or the build flags changed. Prints the
# interpreter's path as its last line of stdout.
#
# The source comes from the Debian archive through a private apt configuration (its own
# sources.list with one deb-src line, its own lists and cache dirs under target/corpus/apt/),
# so the system's apt sources are never touched. The mirror is the one the system's own apt
# sources use (override with LUA_DEB_MIRROR=http://...), the suite is bookworm (LUA_DEB_SUITE).
#
# Environment: CARGO_TARGET_DIR (default <repo>/target), CC_RISCV64 (default riscv64-linux-gnu-gcc).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
CORPUS="$TARGET/corpus"
SRC="$CORPUS/src/lua5.4"
OUT_DIR="$CORPUS/riscv64"
OUT="$OUT_DIR/lua"
PACKAGE=lua5.4
SUITE="${LUA_DEB_SUITE:-bookworm}"
CC="${CC_RISCV64:-riscv64-linux-gnu-gcc}"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

die() {
  echo "build-lua: error: $*" >&2
  exit 1
}
need() {
  command -v "$1" >/dev/null 2>&1 || die "\`$1\` not found on PATH ($2): run scripts/setup.sh"
}

# system_mirror, private_apt, private_apt_update.
# shellcheck source=scripts/corpus/private-apt.sh
source "$ROOT/scripts/corpus/private-apt.sh"

fetch_source() {
  need apt-get "Debian's package tool"
  need dpkg-source "package dpkg-dev, which unpacks Debian source packages"
  [[ -f "$KEYRING" ]] || die "$KEYRING is missing (package debian-archive-keyring): run scripts/setup.sh"
  local mirror apt work
  mirror="${LUA_DEB_MIRROR:-$(system_mirror)}"
  apt="$CORPUS/apt"
  private_apt "$apt" "deb-src [signed-by=$KEYRING] $mirror $SUITE main" \
    "APT::Get::Only-Source \"true\";"

  echo "build-lua: fetching the Debian source package $PACKAGE ($SUITE) from $mirror" >&2
  private_apt_update "$apt" "*_Sources*" deb-src "$mirror"
  work="$(mktemp -d "$CORPUS/src/.fetch-XXXXXX")"
  if ! (cd "$work" && apt-get -q -o Debug::NoLocking=1 source "$PACKAGE") >"$apt/source.log" 2>&1; then
    rm -rf "$work"
    die "\`apt-get source $PACKAGE\` failed (see $apt/source.log):
$(tail -n 5 "$apt/source.log")
run scripts/setup.sh (it installs dpkg-dev)"
  fi
  local dir
  dir="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name "$PACKAGE-*" | head -n1)"
  [[ -n "$dir" && -f "$dir/src/lua.c" ]] || { rm -rf "$work"; die "apt-get source $PACKAGE gave no $PACKAGE-*/src/lua.c"; }
  (cd "$dir" && dpkg-parsechangelog -S Version 2>/dev/null || basename "$dir") >"$dir/.debian-version"
  mv "$dir" "$SRC"
  rm -rf "$work"
}

mkdir -p "$CORPUS/src" "$OUT_DIR"
if [[ -f "$SRC/src/lua.c" ]]; then
  echo "build-lua: using the cached source in $SRC ($(cat "$SRC/.debian-version" 2>/dev/null || echo '?'))" >&2
else
  rm -rf "$SRC"
  fetch_source
fi

need "$CC" "the riscv64 cross compiler, package gcc-riscv64-linux-gnu"
# LUA_USE_POSIX: mkstemp, popen, fseeko, isatty ... but not LUA_USE_DLOPEN or readline.
CFLAGS=(-O2 -static -std=gnu99 -Wall -DLUA_USE_POSIX)
sources=()
for f in "$SRC"/src/*.c; do
  [[ "$(basename "$f")" == luac.c ]] && continue # luac has its own main()
  sources+=("$f")
done
stamp="$("$CC" --version | head -n1) ${CFLAGS[*]} $(cat "$SRC/.debian-version" 2>/dev/null) $(cd "$SRC/src" && cat ./*.c ./*.h | sha256sum | cut -c1-16)"
if [[ -x "$OUT" && -f "$OUT.stamp" && "$(cat "$OUT.stamp")" == "$stamp" ]]; then
  echo "build-lua: $OUT is up to date" >&2
  echo "$OUT"
  exit 0
fi

echo "build-lua: compiling ${#sources[@]} files with $CC ${CFLAGS[*]}" >&2
obj="$(mktemp -d "$OUT_DIR/.obj-XXXXXX")"
trap 'rm -rf "$obj"' EXIT
jobs="$(nproc 2>/dev/null || echo 2)"
# Debian's luaconf.h patch includes this generated header (its module search paths use it).
echo '#define DEB_HOST_MULTIARCH "riscv64-linux-gnu"' >"$obj/lua5.4-deb-multiarch.h"
printf '%s\n' "${sources[@]}" |
  xargs -P "$jobs" -I{} sh -c 'f="$1"; shift; o="$0/$(basename "$f" .c).o"; "$@" -c "$f" -o "$o"' \
    "$obj" {} "$CC" "${CFLAGS[@]}" -I"$SRC/src" -I"$obj" ||
  die "compiling Lua with $CC failed (see the compiler messages above)"
"$CC" "${CFLAGS[@]}" "$obj"/*.o -lm -o "$obj/lua" || die "linking Lua with $CC failed"
mv -f "$obj/lua" "$OUT"
echo "$stamp" >"$OUT.stamp"
echo "build-lua: built $OUT" >&2
echo "$OUT"
