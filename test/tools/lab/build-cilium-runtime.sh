#!/usr/bin/env bash
# The runtime root file system of the lab's Cilium agent image: what upstream's cilium-runtime image
# holds, from Debian's packages — clang and llvm 19 (the agent compiles its datapath at run time),
# bpftool, iproute2, iptables, ipset, kmod, ca-certificates. debootstrap --variant=minbase of the
# pinned suite, cached under ~/.cache/pve-kube/lab/cilium-<pin>/runtime-<suite>/. Prints the directory.
#
#   bash test/tools/lab/build-cilium-runtime.sh
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
version="$(lab_pin cilium.default)"
suite="$(lab_pin lab.debianSuite)"
mirror="${PVE_KUBE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# upstream's images/runtime/install-runtime-deps.sh list, with Debian's clang/llvm 19 and bpftool
# (upstream builds its own) and mount/util-linux for the chart's mount-cgroup init container
packages="bash-completion,ca-certificates,iproute2,iptables,ipset,kmod,libatomic1,clang-19,llvm-19,bpftool,util-linux,mount"
runtime="$lab_cache/cilium-$version/runtime-$suite"
lab_lock "cilium-runtime-$version"
if [ -d "$runtime" ]; then
  echo "$runtime"
  exit 0
fi
lab_require debootstrap
start=$(date +%s)
lab_log "debootstrap $suite (minbase + ${packages//,/ }) for the Cilium agent image" >&2
rm -rf "$runtime.tmp"
mkdir -p "$lab_cache/debootstrap-debs" "$(dirname "$runtime")"
debootstrap --variant=minbase --cache-dir="$lab_cache/debootstrap-debs" --include="$packages" \
  "$suite" "$runtime.tmp" "$mirror" >"$runtime.log" 2>&1 || {
  tail -20 "$runtime.log" >&2
  exit 1
}
# an image carries no package lists or caches; clang/llc/llvm-objcopy under the names the agent calls
rm -rf "$runtime.tmp/var/cache/apt/archives/"*.deb "$runtime.tmp/var/lib/apt/lists/"*
ln -sf clang-19 "$runtime.tmp/usr/bin/clang"
ln -sf llc-19 "$runtime.tmp/usr/bin/llc"
ln -sf llvm-objcopy-19 "$runtime.tmp/usr/bin/llvm-objcopy"
mv "$runtime.tmp" "$runtime"
lab_log "Cilium runtime built in $(($(date +%s) - start)) s ($(du -sh "$runtime" | cut -f1))" >&2
echo "$runtime"
