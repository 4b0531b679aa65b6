#!/usr/bin/env bash
# Builds the Kubernetes binaries of one version from the k8s.io/kubernetes module of the Go module
# proxy, cached under ~/.cache/pve-kube/lab/k8s-<version>/bin. The module zip carries no staging/
# modules, so each `k8s.io/x => ./staging/src/k8s.io/x` replace is rewritten to the published
# k8s.io/x v0.<minor>.<patch> module (notes/lab.md). One `go build` for all seven commands: the
# shared packages compile once.
#
#   bash test/tools/lab/build-kubernetes.sh 1.36.3
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
version="${1:?usage: build-kubernetes.sh <version, e.g. 1.36.3>}"
version="${version#v}"
out="$lab_cache/k8s-$version"
commands=(kubeadm kubelet kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy)
lab_lock "k8s-$version"
if [ -f "$out/.build-seconds" ]; then
  lab_log "Kubernetes v$version cached in $out/bin"
  exit 0
fi
lab_require go
start=$(date +%s)
lab_log "building Kubernetes v$version (${commands[*]}) from the Go module proxy"
IFS=. read -r major minor patch <<<"$version"
staging="v0.$minor.$patch"
work="$lab_cache/.work/k8s-$version"
copy_module "k8s.io/kubernetes@v$version" "$work"
cd "$work"
rm -rf vendor go.work go.work.sum
sed -i -E "s#^(\s*)(k8s\.io/[A-Za-z0-9._/-]+) => \./staging/src/k8s\.io/[A-Za-z0-9._/-]+\s*\$#\1\2 => \2 $staging#" go.mod
if grep -q '=> ./staging' go.mod; then
  echo "test/tools: lab: go.mod of k8s.io/kubernetes v$version still has staging replaces:" >&2
  grep '=> ./staging' go.mod >&2
  exit 1
fi
# the version both component-base (servers, kubeadm) and client-go (kubectl version) report
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=v$version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
packages=()
for c in "${commands[@]}"; do packages+=("./cmd/$c"); done
mkdir -p "$out/bin.tmp"
CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "$ldflags" -o "$out/bin.tmp/" "${packages[@]}"
rm -rf "${out:?}/bin"
mv "$out/bin.tmp" "$out/bin"
# pause.c ships in the module; the pause image is built from it (build-runtime.sh)
cp build/pause/linux/pause.c "$out/pause.c"
cd /
rm -rf "$work"
seconds=$(( $(date +%s) - start ))
lab_done "$out" "$seconds"
lab_log "Kubernetes v$version built in $seconds s: $("$out/bin/kubeadm" version -o short)"
