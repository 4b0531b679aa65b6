#!/usr/bin/env bash
# Extracts the pinned Helm charts that ship inside Go modules the module proxy serves (no Helm
# repository is reachable here) into ~/.cache/pve-kube/tools/charts/<chart>-<version>/, for tests
# that render them with the real Helm (helm template / lint). Cached runs only check and print.
#   cilium: install/kubernetes/cilium of github.com/cilium/cilium at charts.cilium.version
#
#   bash test/tools/install-charts.sh        # prints the env to use: PVE_KUBE_CHARTS
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
pin() { node -e 'const v=require(process.argv[1]); const p=process.argv[2].split("."); let x=v; for (const k of p) x=x[k]; process.stdout.write(String(x))' "$repo/versions.json" "$1"; }
charts="${XDG_CACHE_HOME:-$HOME/.cache}/pve-kube/tools/charts"

# chart_from_module <chart> <version> <module> <dir in module>
chart_from_module() {
  local dest="$charts/$1-$2" dir start
  [ -f "$dest/Chart.yaml" ] && return 0
  if ! command -v go >/dev/null 2>&1; then
    echo "test/tools: Go is required to download the $1 chart from the Go module proxy (install golang >= 1.26)" >&2
    exit 1
  fi
  start=$(date +%s)
  dir="$(go mod download -json "$3@v$2" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s); if (j.Error) { console.error(j.Error); process.exit(1); } process.stdout.write(j.Dir)})')"
  mkdir -p "$charts"
  rm -rf "$dest.tmp"
  cp -r "$dir/$4" "$dest.tmp"
  chmod -R u+w "$dest.tmp"
  mv "$dest.tmp" "$dest"
  echo "test/tools: chart $1 $2 extracted from $3 in $(($(date +%s) - start)) s"
}

cilium_version="$(pin charts.cilium.version)"
chart_from_module cilium "$cilium_version" github.com/cilium/cilium install/kubernetes/cilium
got="$(node -e 'const y=require("fs").readFileSync(process.argv[1],"utf8"); process.stdout.write((/^version:\s*(\S+)/m.exec(y)||[])[1]||"")' "$charts/cilium-$cilium_version/Chart.yaml")"
if [ "$got" != "$cilium_version" ]; then
  echo "test/tools: $charts/cilium-$cilium_version is chart version '$got', expected $cilium_version" >&2
  exit 1
fi
echo "test/tools: chart cilium $got in $charts/cilium-$cilium_version"
echo "test/tools: export PVE_KUBE_CHARTS=$charts"
