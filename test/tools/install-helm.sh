#!/usr/bin/env bash
# Builds the pinned Helm (versions.json helm.version) from the Go module proxy (no release
# download), cached under ~/.cache/pve-kube/tools/helm-<version>/. Cached runs only check and print.
# Helm is a test tool of `npm test` (helm template/lint of our Cilium values against the chart that
# ships in the cilium module) and of the lab (install-cilium runs the real CLI).
#
#   bash test/tools/install-helm.sh        # prints the env to use: HELM, PATH
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
pin() { node -e 'const v=require(process.argv[1]); const p=process.argv[2].split("."); let x=v; for (const k of p) x=x[k]; process.stdout.write(String(x))' "$repo/versions.json" "$1"; }
helm_version="$(pin helm.version)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/pve-kube/tools"
helm_bin="$cache/helm-$helm_version/helm"
export GOFLAGS="-mod=mod -trimpath"
export CGO_ENABLED=0

if [ ! -x "$helm_bin" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "test/tools: Go is required to build Helm (install golang >= 1.26)" >&2
    exit 1
  fi
  mkdir -p "$cache"
  # two installers at once (two lanes' npm test) wait for each other instead of building twice
  exec 9>"$cache/.helm.lock"
  flock 9
fi
if [ ! -x "$helm_bin" ]; then
  echo "test/tools: building Helm $helm_version from the Go module proxy (first run only; several minutes)"
  start=$(date +%s)
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  # a wrapper module that requires the exact version: `go install pkg@version` asks the proxy for the
  # module's version list, which a filtered proxy may refuse; helm's go.mod has no replace directives
  printf 'module pve-kube.local/helm-build\n\ngo 1.26\n\nrequire helm.sh/helm/v4 v%s\n' "$helm_version" >"$work/go.mod"
  (
    cd "$work"
    go get "helm.sh/helm/v4/cmd/helm@v$helm_version"
    mkdir -p "$(dirname "$helm_bin")"
    # the ldflags helm's Makefile sets for a tagged release (`helm version` reports the tag)
    go build -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=v$helm_version -X helm.sh/helm/v4/internal/version.metadata= -X helm.sh/helm/v4/internal/version.gitTreeState=clean" \
      -o "$helm_bin.tmp" helm.sh/helm/v4/cmd/helm
  )
  mv "$helm_bin.tmp" "$helm_bin"
  echo "test/tools: Helm $helm_version built in $(($(date +%s) - start)) s"
fi

got="$("$helm_bin" version --template '{{.Version}}')"
if [ "$got" != "v$helm_version" ]; then
  echo "test/tools: $helm_bin says $got, expected v$helm_version (delete $(dirname "$helm_bin") to rebuild)" >&2
  exit 1
fi
echo "test/tools: helm $got"
echo "test/tools: export HELM=$helm_bin PATH=$(dirname "$helm_bin"):\$PATH"
