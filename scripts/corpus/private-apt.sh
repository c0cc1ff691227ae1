#!/usr/bin/env bash
# Sourced by the corpus scripts, which fetch from the Debian archive through a private apt
# configuration so that the system's apt sources, lists and architectures are never touched.
# The caller defines `die MESSAGE`.

# Prints the Debian mirror the system already uses for its own (non-security) packages, so the
# private configuration fetches from the same place.
system_mirror() {
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    uri="$(awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' "$f" |
      grep -E '/debian/?$' | head -n1 || true)"
    [[ -n "$uri" ]] && { echo "${uri%/}"; return; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    uri="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; break } }' "$f" |
      grep -E '/debian/?$' | head -n1 || true)"
    [[ -n "$uri" ]] && { echo "${uri%/}"; return; }
  done
  echo "http://deb.debian.org/debian"
}

# private_apt DIR SOURCE_LINE [CONF_LINE...]: a fresh private apt configuration in DIR whose only
# source is SOURCE_LINE (a sources.list line), with its own lists and cache, plus CONF_LINEs; it
# becomes APT_CONFIG for the rest of the caller.
private_apt() {
  local apt="$1" source_line="$2"
  shift 2
  rm -rf "$apt"
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sources.list.d" "$apt/preferences.d"
  echo "$source_line" >"$apt/sources.list"
  {
    echo "Dir::Etc::SourceList \"$apt/sources.list\";"
    echo "Dir::Etc::SourceParts \"$apt/sources.list.d\";"
    echo "Dir::Etc::PreferencesParts \"$apt/preferences.d\";"
    echo "Dir::State::Lists \"$apt/lists\";"
    echo "Dir::Cache \"$apt/cache\";"
    printf '%s\n' "$@"
    # A root apt would otherwise try to drop to the _apt user, which cannot write under target/.
    if [[ "$(id -u)" -eq 0 ]]; then echo "APT::Sandbox::User \"root\";"; fi
  } >"$apt/apt.conf"
  export APT_CONFIG="$apt/apt.conf"
}

# private_apt_update DIR LISTS_GLOB WHAT MIRROR: `apt-get update` for the configuration in DIR;
# dies unless it succeeds and leaves lists matching LISTS_GLOB (e.g. `*_Packages*`).
private_apt_update() {
  local apt="$1" lists="$2" what="$3" mirror="$4"
  { apt-get -q -o Debug::NoLocking=1 --error-on=any update >"$apt/update.log" 2>&1 &&
    compgen -G "$apt/lists/$lists" >/dev/null; } ||
    die "apt-get update for the private $what list failed (see $apt/update.log; mirror $mirror):
$(tail -n 5 "$apt/update.log")
check the network/mirror or run scripts/setup.sh"
}
