#!/usr/bin/env bash
# Extracts the pinned Helm charts that ship inside Go modules the module proxy serves (no Helm
# repository is reachable here) into ~/.cache/pve-kube/tools/charts/<chart>-<chart version>/, for
# tests that render them with the real Helm (helm template / lint) and validate the output against
# a real API server. Which charts, from which module and folder: versions.json charts.<name>.goModule
# (chartVersion when the served module carries another chart version than the pin). A goModule's
# crdDir is extracted too, to charts/<chart>-crds-<chart version>/ (Cilium's CRDs: the operator
# registers them at run time, the chart has none). Cached runs only check and print.
#
#   bash test/tools/install-charts.sh        # prints the env to use: PVE_KUBE_CHARTS
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
charts="${XDG_CACHE_HOME:-$HOME/.cache}/pve-kube/tools/charts"

# name, module path, module version, chart dir, chart version, crd dir — one line per chart
sources="$(node -e '
  const v = require(process.argv[1]);
  for (const [name, c] of Object.entries(v.charts)) {
    const m = c.goModule;
    if (!m) continue;
    console.log([name, m.path, m.version, m.dir, m.chartVersion ?? c.version, m.crdDir ?? "-"].join(" "));
  }' "$repo/versions.json")"

module_dir() {
  if ! command -v go >/dev/null 2>&1; then
    echo "test/tools: Go is required to download charts from the Go module proxy (install golang >= 1.26)" >&2
    exit 1
  fi
  go mod download -json "$1@$2" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s); if (j.Error) { console.error(j.Error); process.exit(1); } process.stdout.write(j.Dir)})'
}

copy_dir() { # <source> <dest>
  rm -rf "$2.tmp"
  cp -r "$1" "$2.tmp"
  chmod -R u+w "$2.tmp"
  mv "$2.tmp" "$2"
}

mkdir -p "$charts"
while read -r name module version dir chart_version crd_dir; do
  [ -n "$name" ] || continue
  dest="$charts/$name-$chart_version"
  crds="$charts/$name-crds-$chart_version"
  if [ ! -f "$dest/Chart.yaml" ] || { [ "$crd_dir" != "-" ] && [ ! -d "$crds" ]; }; then
    start=$(date +%s)
    src="$(module_dir "$module" "$version")"
    [ -f "$dest/Chart.yaml" ] || copy_dir "$src/$dir" "$dest"
    [ "$crd_dir" = "-" ] || [ -d "$crds" ] || copy_dir "$src/$crd_dir" "$crds"
    echo "test/tools: chart $name $chart_version extracted from $module@$version in $(($(date +%s) - start)) s"
  fi
  got="$(node -e 'const y=require("fs").readFileSync(process.argv[1],"utf8"); process.stdout.write((/^version:\s*(\S+)/m.exec(y)||[])[1]||"")' "$dest/Chart.yaml")"
  if [ "$got" != "$chart_version" ]; then
    echo "test/tools: $dest is chart version '$got', expected $chart_version" >&2
    exit 1
  fi
  echo "test/tools: chart $name $got in $dest"
done <<<"$sources"
echo "test/tools: export PVE_KUBE_CHARTS=$charts"
