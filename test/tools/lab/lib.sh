#!/usr/bin/env bash
# Shared helpers of the lab image build (sourced, never run): pins from versions.json, the cache
# root, and a timer that prints each step's time and records it for the image's manifest.
# shellcheck disable=SC2034 # variables are used by the scripts that source this file

lab_repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
lab_cache="${XDG_CACHE_HOME:-$HOME/.cache}/pve-kube/lab"
# tests point this at a modified copy to see what a pin change does
lab_versions="${PVE_KUBE_VERSIONS_JSON:-$lab_repo/versions.json}"

# lab_pin lab.containerd.version -> the value at that dotted path of versions.json
lab_pin() {
  node -e 'const v=require(process.argv[1]); let x=v; for (const k of process.argv[2].split(".")) { x=x?.[k]; } if (x===undefined) { console.error("versions.json has no "+process.argv[2]); process.exit(1); } process.stdout.write(String(x))' "$lab_versions" "$1"
}

# lab_pin_optional kubernetes.upgradeFrom -> the value, or nothing when versions.json has none
lab_pin_optional() {
  node -e 'const v=require(process.argv[1]); let x=v; for (const k of process.argv[2].split(".")) { x=x?.[k]; } if (x!==undefined) process.stdout.write(String(x))' "$lab_versions" "$1"
}

# lab_upgrade_version -> kubernetes.upgradeFrom when PVE_KUBE_LAB_WITH_UPGRADE=1, else nothing.
# Only the lab suite's upgrade proof needs the previous patch (scripts/lab.sh sets it): the image
# `npm test` builds carries the default version alone, which saves a whole Kubernetes build.
lab_upgrade_version() {
  if [ "${PVE_KUBE_LAB_WITH_UPGRADE:-}" = 1 ]; then lab_pin_optional kubernetes.upgradeFrom; fi
}

lab_log() { echo "test/tools: lab: $*"; }

# lab_require go gcc ... -> fails naming the Debian package list when a tool is missing
lab_require() {
  local tool
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "test/tools: lab: '$tool' is required to build the lab image (Debian: apt-get install debootstrap systemd-container libseccomp-dev gcc libc6-dev e2fsprogs; Go >= 1.26)" >&2
      exit 1
    fi
  done
}

# lab_lock <name>: holds an exclusive lock for the rest of the script, so two runs (two helpers'
# `npm test`, or a test beside a build) never build into the same directory; the second waits
# and then finds the first one's result in the cache
lab_lock() {
  mkdir -p "$lab_cache"
  exec 9>"$lab_cache/.$1.lock"
  flock 9
}

# lab_done <dir> <seconds>: marks a cached build complete; its time goes into the image manifest
lab_done() {
  printf '%s\n' "$2" > "$1/.build-seconds"
}

# go_module_dir <module>@<version> -> the read-only extracted module in the Go module cache
go_module_dir() {
  go mod download -json "$1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s); if (j.Error) { console.error(j.Error); process.exit(1); } process.stdout.write(j.Dir)})'
}

# copy_module <module>@<version> <dest>: a writable copy of the module source
copy_module() {
  local dir
  dir="$(go_module_dir "$1")"
  rm -rf "$2"
  mkdir -p "$(dirname "$2")"
  cp -r "$dir" "$2"
  chmod -R u+w "$2"
}
