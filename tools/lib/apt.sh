# Sourced by the project's scripts: installs Debian packages the same way everywhere.
# shellcheck shell=bash

# Installs those of the named packages that are not installed yet, without recommends. If that
# fails it refreshes the package lists once and tries again: a fresh machine may have none yet, or
# stale ones. apt's output goes to stderr, so a script that prints a result on stdout stays clean.
apt_install_missing() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null | grep -q '^ii' || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "apt: installing ${missing[*]}" >&2
  local apt=(apt-get -o DPkg::Lock::Timeout=600)
  {
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}" ||
      { "${apt[@]}" update && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}"; }
  } >&2
}
