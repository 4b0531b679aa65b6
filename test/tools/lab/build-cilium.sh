#!/usr/bin/env bash
# Builds Cilium (versions.json cilium.default) for the lab from the Go module proxy and Debian's
# packages — no registry, no release download:
#   bin/      cilium-agent, cilium-dbg, cilium-health, cilium-mount, cilium-sysctlfix, cilium-cni,
#             cilium-operator-generic (from github.com/cilium/cilium at the pin)
#   chart/cilium/      the Helm chart that ships in the same module (install/kubernetes/cilium)
#   images/*.tar       OCI archives under the chart's default names (quay.io/cilium/cilium:v<pin>,
#                      quay.io/cilium/operator-generic:v<pin>), for `ctr -n k8s.io images import`
#   manifest.json      what was built, the image names and each step's time
# cached under ~/.cache/pve-kube/lab/cilium-<pin>/; each step is cached on its own, so a failed run
# resumes. Used by the lab (npm run lab, test:lab), not by npm test's pretest.
#
#   bash test/tools/lab/build-cilium.sh     # prints the exports to use (PVE_KUBE_CILIUM_DIR, ...)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"
version="$(lab_pin cilium.default)"
suite="$(lab_pin lab.debianSuite)"
out="$lab_cache/cilium-$version"
work="$lab_cache/.work/cilium-$version"

print_exports() {
  lab_log "cilium $version: $(cd "$out/bin" && echo *) in $out/bin; chart $out/chart/cilium; images $(node -e 'process.stdout.write(require(process.argv[1]).images.map((i) => i.name).join(" "))' "$out/manifest.json")"
  echo "test/tools: export PVE_KUBE_CILIUM_DIR=$out"
}
lab_lock "cilium-$version"
if [ -f "$out/manifest.json" ]; then
  print_exports
  exit 0
fi
lab_require go debootstrap node

mkdir -p "$out" "$work"
timings="$work/timings.tsv"
: >"$timings"
# step <name> <command...>: runs a step, prints and records its wall time
step() {
  local name="$1" start seconds
  shift
  start=$(date +%s)
  "$@"
  seconds=$(($(date +%s) - start))
  printf '%s\t%s\n' "$name" "$seconds" >>"$timings"
  lab_log "cilium step $name: $seconds s"
}

src="$work/src"
# The module source, made buildable outside cilium's own tree:
# - the zip has no vendor/ (the Makefile wants -mod=vendor): build with -mod=mod;
# - two dependency zips are refused by the module proxy (403) though their go.mod is served:
#   github.com/osrg/gobgp/v4 at the pseudo-version cilium pins -> the tagged v4.7.0 (BGP control
#   plane compiled, untested here); sigs.k8s.io/mcs-api/controllers (every version) -> a local
#   module written below holding the one constant non-test code uses.
prepare_source() {
  copy_module "github.com/cilium/cilium@v$version" "$src"
  local shim="$src/.pve-kube/mcs-api-controllers"
  mkdir -p "$shim"
  printf 'module sigs.k8s.io/mcs-api/controllers\n\ngo 1.24\n' >"$shim/go.mod"
  cat >"$shim/annotations.go" <<'GO'
// Package controllers stands in for sigs.k8s.io/mcs-api/controllers, whose module zip the Go
// module proxy refuses: cilium's non-test code uses only this annotation name from it.
package controllers

// DerivedServiceAnnotation names the Service derived from a ServiceImport.
const DerivedServiceAnnotation = "multicluster.kubernetes.io/derived-service"
GO
  (
    cd "$src"
    go mod edit -replace "sigs.k8s.io/mcs-api/controllers=./.pve-kube/mcs-api-controllers"
    go mod edit -replace "github.com/osrg/gobgp/v4=github.com/osrg/gobgp/v4@v4.7.0"
  )
}

ldflags="-s -w -X github.com/cilium/cilium/pkg/version.ciliumVersion=$version"
build_agent() {
  local tmp="$work/agent-bin"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  # one go build of every agent-image main package: they share most of the compile work
  (cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -tags osusergo -ldflags "$ldflags" -o "$tmp/" \
    ./daemon ./cilium-dbg ./cilium-health ./tools/mount ./tools/sysctlfix ./plugins/cilium-cni)
  mkdir -p "$out/bin"
  mv "$tmp/daemon" "$out/bin/cilium-agent"
  mv "$tmp/cilium-dbg" "$tmp/cilium-health" "$tmp/cilium-cni" "$out/bin/"
  mv "$tmp/mount" "$out/bin/cilium-mount"
  mv "$tmp/sysctlfix" "$out/bin/cilium-sysctlfix"
}
build_operator() {
  # the chart's default operator image is operator-generic: the operator with only cilium's own IPAM
  (cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -tags osusergo,ipam_provider_operator -ldflags "$ldflags" \
    -o "$work/cilium-operator-generic" ./operator)
  mkdir -p "$out/bin"
  mv "$work/cilium-operator-generic" "$out/bin/"
}
extract_chart() {
  rm -rf "$out/chart"
  mkdir -p "$out/chart"
  cp -r "$src/install/kubernetes/cilium" "$out/chart/cilium"
  chmod -R u+w "$out/chart"
}

[ -f "$src/.pve-kube/mcs-api-controllers/go.mod" ] || step source prepare_source
[ -x "$out/bin/cilium-agent" ] || step agent build_agent
[ -x "$out/bin/cilium-operator-generic" ] || step operator build_operator
[ -f "$out/chart/cilium/Chart.yaml" ] || step chart extract_chart
got="$("$out/bin/cilium-dbg" version --client 2>/dev/null | head -1 || true)"
case "$got" in
*"$version"*) lab_log "smoke check: cilium-dbg version --client = $got" ;;
*)
  echo "test/tools: lab: $out/bin/cilium-dbg says '$got', expected $version" >&2
  exit 1
  ;;
esac

# the runtime root file system (Debian packages: clang/llvm 19, bpftool, iproute2, iptables, ...)
runtime=""
build_runtime() { runtime="$(bash "$here/build-cilium-runtime.sh")"; }
step "runtime-$suite" build_runtime

# the agent image's own files beside the runtime: binaries, the datapath sources the agent compiles
# (upstream's install-bpf: bpf/ without tests) and the init/CNI scripts the chart's containers run
agent_files="$work/agent-files"
stage_agent_files() {
  rm -rf "$agent_files"
  mkdir -p "$agent_files/usr/bin" "$agent_files/var/lib/cilium" "$agent_files/home/cilium"
  install -m 0755 "$out/bin/cilium-agent" "$out/bin/cilium-dbg" "$out/bin/cilium-health" "$out/bin/cilium-mount" \
    "$out/bin/cilium-sysctlfix" "$out/bin/cilium-cni" "$agent_files/usr/bin/"
  cp -r "$src/bpf" "$agent_files/var/lib/cilium/bpf"
  rm -rf "$agent_files/var/lib/cilium/bpf/tests" "$agent_files/var/lib/cilium/bpf/complexity-tests" \
    "$agent_files/var/lib/cilium/bpf/custom" "$agent_files/var/lib/cilium/bpf/Makefile" "$agent_files/var/lib/cilium/bpf/Makefile.bpf"
  chmod -R u+w,go-w "$agent_files"
  install -m 0755 "$src/images/cilium/init-container.sh" "$src/plugins/cilium-cni/install-plugin.sh" \
    "$src/plugins/cilium-cni/cni-uninstall.sh" "$agent_files/"
}
step agent-files stage_agent_files
images() {
  "$lab_repo/node_modules/.bin/vite-node" "$here/build-cilium-images-main.ts" -- \
    --version "$version" --runtime "$runtime" --agent-files "$agent_files" \
    --operator "$out/bin/cilium-operator-generic" --out "$out/images"
}
step images images

# shellcheck disable=SC2016 # JavaScript in single quotes
node -e '
  const fs = require("fs");
  const [timingsFile, imagesJson, manifest, version, suite] = process.argv.slice(1);
  const steps = fs.readFileSync(timingsFile, "utf8").trim().split("\n").filter(Boolean).map((l) => l.split("\t")).map(([name, s]) => ({ name, seconds: Number(s) }));
  fs.writeFileSync(manifest, JSON.stringify({
    cilium: version, debianSuite: suite,
    binaries: fs.readdirSync(require("path").join(require("path").dirname(manifest), "bin")).sort(),
    chart: "chart/cilium",
    images: JSON.parse(fs.readFileSync(imagesJson, "utf8")),
    buildSeconds: { steps, total: steps.reduce((a, s) => a + s.seconds, 0) },
    builtAt: new Date().toISOString(),
  }, null, 2) + "\n");
' "$timings" "$out/images/images.json" "$out/manifest.json.tmp" "$version" "$suite"
mv "$out/manifest.json.tmp" "$out/manifest.json"
rm -rf "$work/agent-files" "$work/agent-bin"
lab_log "cilium $version built in $(awk -F'\t' '{s+=$2} END {print s}' "$timings") s (steps above; cached steps not counted)"
print_exports
