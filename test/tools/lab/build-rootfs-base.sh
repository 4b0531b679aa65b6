#!/usr/bin/env bash
# The Debian base of the lab image: debootstrap --variant=minbase of the pinned suite with the
# packages in debian-packages.txt, cached under ~/.cache/pve-kube/lab/debian-<suite>-<hash>/root
# (the hash covers the package list, so changing it makes a new base). Prints the directory.
#
#   bash test/tools/lab/build-rootfs-base.sh
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
here="$(cd "$(dirname "$0")" && pwd)"
suite="$(lab_pin lab.debianSuite)"
mirror="${PVE_KUBE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
packages="$(grep -Ev '^\s*(#|$)' "$here/debian-packages.txt" | sort | paste -sd, -)"
hash="$(printf '%s\n%s\n' "$suite" "$packages" | sha256sum | cut -c1-12)"
out="$lab_cache/debian-$suite-$hash"
lab_lock "debian-$suite-$hash"
if [ -f "$out/.build-seconds" ]; then
  lab_log "Debian $suite base cached in $out/root" >&2
  echo "$out/root"
  exit 0
fi
lab_require debootstrap
start=$(date +%s)
lab_log "debootstrap $suite (minbase + ${packages//,/ }) from $mirror" >&2
rm -rf "$out"
mkdir -p "$out"
# downloaded .debs are kept apart, so a changed package list downloads only what is new
mkdir -p "$lab_cache/debootstrap-debs"
debootstrap --variant=minbase --cache-dir="$lab_cache/debootstrap-debs" --include="$packages" "$suite" "$out/root.tmp" "$mirror" >"$out/debootstrap.log" 2>&1 || {
  tail -20 "$out/debootstrap.log" >&2
  exit 1
}
# a template carries no package lists, caches or identity (each clone gets its own)
rm -rf "$out/root.tmp/var/cache/apt/archives/"*.deb "$out/root.tmp/var/lib/apt/lists/"*
mv "$out/root.tmp" "$out/root"
seconds=$(( $(date +%s) - start ))
lab_done "$out" "$seconds"
lab_log "Debian $suite base built in $seconds s ($(du -sh "$out/root" | cut -f1))" >&2
echo "$out/root"
