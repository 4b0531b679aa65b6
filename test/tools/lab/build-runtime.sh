#!/usr/bin/env bash
# Builds the node runtime and the control-plane helpers the lab image carries, each from the Go
# module proxy at its pin in versions.json (`lab` section) and cached per pin under
# ~/.cache/pve-kube/lab/<name>-<version>/bin: containerd (+ shim, ctr), runc, the CNI plugins,
# etcd (+ etcdctl), CoreDNS and pause. Build flags and why: notes/lab.md.
#
#   bash test/tools/lab/build-runtime.sh [containerd|runc|cni|etcd|coredns|pause ...]
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
lab_require go gcc

# build_cached <name> <version> <function>: runs the function in a fresh work dir unless cached;
# the function writes into $bin
build_cached() {
  local name="$1" version="$2" fn="$3" start seconds
  out="$lab_cache/$name-$version"
  bin="$out/bin.tmp"
  lab_lock "$name-$version"
  if [ -f "$out/.build-seconds" ]; then
    lab_log "$name $version cached in $out/bin"
    return 0
  fi
  lab_log "building $name $version from the Go module proxy"
  start=$(date +%s)
  work="$lab_cache/.work/$name-$version"
  rm -rf "$bin" "$work"
  mkdir -p "$bin"
  (cd / && "$fn" "$version")
  rm -rf "${out:?}/bin" "$work"
  mv "$bin" "$out/bin"
  seconds=$(( $(date +%s) - start ))
  lab_done "$out" "$seconds"
  lab_log "$name $version built in $seconds s"
}

build_containerd() {
  local pkg=github.com/containerd/containerd/v2
  copy_module "$pkg@v$1" "$work"
  cd "$work"
  # no btrfs headers needed; no man-page generation code in the binaries
  CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -tags "urfave_cli_no_docs no_btrfs" \
    -ldflags "-s -w -X $pkg/version.Version=v$1 -X $pkg/version.Package=github.com/containerd/containerd -X $pkg/version.Revision=v$1" \
    -o "$bin/" ./cmd/containerd ./cmd/containerd-shim-runc-v2 ./cmd/ctr
}

build_runc() {
  copy_module "github.com/opencontainers/runc@v$1" "$work"
  cd "$work"
  # cgo for libseccomp; not the default libpathrs tag: it needs a Rust library Debian lacks
  CGO_ENABLED=1 GOFLAGS=-mod=mod go build -trimpath -tags "seccomp urfave_cli_no_docs" \
    -ldflags "-s -w -X main.version=$1 -X main.gitCommit=v$1" -o "$bin/runc" .
}

build_cni() {
  copy_module "github.com/containernetworking/plugins@v$1" "$work"
  cd "$work"
  CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
    -ldflags "-s -w -X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=v$1" \
    -o "$bin/" ./plugins/main/bridge ./plugins/main/loopback ./plugins/main/ptp ./plugins/ipam/host-local \
    ./plugins/meta/portmap ./plugins/meta/bandwidth ./plugins/meta/firewall ./plugins/meta/tuning
}

build_etcd() {
  copy_module "go.etcd.io/etcd/v3@v$1" "$work"
  cd "$work"
  # the root module replaces its sub-modules with ./dirs the zip lacks: use the published ones
  sed -i -E '/=> \.\//d' go.mod
  local ldflags="-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=v$1"
  CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "$ldflags" -o "$bin/etcd" go.etcd.io/etcd/server/v3
  CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "$ldflags" -o "$bin/etcdctl" go.etcd.io/etcd/etcdctl/v3
}

build_coredns() {
  copy_module "github.com/coredns/coredns@v$1" "$work"
  cd "$work"
  CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
    -ldflags "-s -w -X github.com/coredns/coredns/coremain.GitCommit=v$1" -o "$bin/coredns" .
}

build_pause() {
  # pause.c ships in k8s.io/kubernetes; any version's copy will do, the default's is at hand
  local src
  src="$(go_module_dir "k8s.io/kubernetes@v$(lab_pin kubernetes.default)")/build/pause/linux/pause.c"
  gcc -Os -Wall -Werror -static -DVERSION="v$1" -o "$bin/pause" "$src"
  strip "$bin/pause"
}

wanted=("$@")
[ "${#wanted[@]}" -gt 0 ] || wanted=(containerd runc cni etcd coredns pause)
for name in "${wanted[@]}"; do
  case "$name" in
    containerd) build_cached containerd "$(lab_pin lab.containerd)" build_containerd ;;
    runc) build_cached runc "$(lab_pin lab.runc)" build_runc ;;
    cni) build_cached cni-plugins "$(lab_pin lab.cniPlugins)" build_cni ;;
    etcd) build_cached etcd "$(lab_pin lab.etcd)" build_etcd ;;
    coredns) build_cached coredns "$(lab_pin lab.coredns)" build_coredns ;;
    pause) build_cached pause "$(lab_pin lab.pause)" build_pause ;;
    *) echo "build-runtime.sh: unknown component $name" >&2; exit 2 ;;
  esac
done
