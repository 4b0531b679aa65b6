#!/usr/bin/env bash
# Builds the pinned OpenTofu and bpg/proxmox provider from the Go module proxy (no release
# downloads), caches them under the user's cache dir, and writes a CLI config whose filesystem
# mirror makes `tofu init` work offline. Cached runs only check and print.
#
#   bash test/tools/install-opentofu.sh        # prints the env to use: TF_CLI_CONFIG_FILE, PATH
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
pin() { node -e 'const v=require(process.argv[1]); const p=process.argv[2].split("."); let x=v; for (const k of p) x=x[k]; process.stdout.write(String(x))' "$repo/versions.json" "$1"; }
tofu_version="$(pin opentofu.version)"
bpg_version="$(pin bpgProvider.version)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/pve-kube/tools"
tofu_bin="$cache/opentofu-$tofu_version/tofu"
mirror="$cache/tofu-mirror"
provider_dir="$mirror/registry.opentofu.org/bpg/proxmox/$bpg_version/linux_amd64"
provider_bin="$provider_dir/terraform-provider-proxmox_v$bpg_version"
export GOFLAGS="-mod=mod -trimpath"
export CGO_ENABLED=0

if ! command -v go >/dev/null 2>&1; then
  echo "test/tools: Go is required to build OpenTofu and the bpg provider (install golang >= 1.26)" >&2
  exit 1
fi

if [ ! -x "$tofu_bin" ]; then
  echo "test/tools: building OpenTofu $tofu_version from the Go module proxy (first run only; several minutes)"
  start=$(date +%s)
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  gomod="$(go mod download -json "github.com/opentofu/opentofu@v$tofu_version" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).GoMod))')"
  # OpenTofu's go.mod replaces hashicorp/hcl with its fork; replace directives of a dependency are
  # ignored, so the wrapper module must repeat them.
  {
    echo "module pve-kube.local/tofu-build"
    echo
    grep -E '^go [0-9.]+' "$gomod"
    echo
    echo "require github.com/opentofu/opentofu v$tofu_version"
    echo
    grep -E '^replace ' "$gomod" || true
  } > "$work/go.mod"
  (
    cd "$work"
    go get "github.com/opentofu/opentofu/cmd/tofu@v$tofu_version"
    mkdir -p "$(dirname "$tofu_bin")"
    go build -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$tofu_bin.tmp" github.com/opentofu/opentofu/cmd/tofu
  )
  mv "$tofu_bin.tmp" "$tofu_bin"
  echo "test/tools: OpenTofu $tofu_version built in $(( $(date +%s) - start )) s"
fi

if [ ! -x "$provider_bin" ]; then
  echo "test/tools: building bpg/proxmox $bpg_version from the Go module proxy (first run only)"
  start=$(date +%s)
  # built from a wrapper module that requires the exact version: `go install pkg@version` asks the
  # proxy for the module's version list (deprecation check), which a filtered proxy may refuse
  pwork="$(mktemp -d)"
  printf 'module pve-kube.local/bpg-build\n\ngo 1.26\n\nrequire github.com/bpg/terraform-provider-proxmox v%s\n' "$bpg_version" > "$pwork/go.mod"
  (
    cd "$pwork"
    go get "github.com/bpg/terraform-provider-proxmox@v$bpg_version"
    mkdir -p "$provider_dir"
    go build -ldflags "-s -w -X main.version=$bpg_version" -o "$provider_bin.tmp" github.com/bpg/terraform-provider-proxmox
  )
  mv "$provider_bin.tmp" "$provider_bin"
  rm -rf "$pwork"
  echo "test/tools: bpg/proxmox $bpg_version built in $(( $(date +%s) - start )) s"
fi

cat > "$cache/tofurc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.opentofu.org/bpg/proxmox"]
  }
  direct {
    exclude = ["registry.opentofu.org/bpg/proxmox"]
  }
}
RC
# read the whole output: `| head -1` would SIGPIPE tofu and fail the script under pipefail
tofu_says="$(TF_CLI_CONFIG_FILE="$cache/tofurc" "$tofu_bin" version)"
echo "test/tools: ${tofu_says%%$'\n'*}"
echo "test/tools: bpg/proxmox $bpg_version in $mirror"
echo "test/tools: export TF_CLI_CONFIG_FILE=$cache/tofurc PATH=$(dirname "$tofu_bin"):\$PATH"
