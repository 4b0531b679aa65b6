#!/usr/bin/env bash
# Installs what the test suite needs and a fresh clone lacks, idempotently and quietly when all is
# present: npm dependencies, then each install-*.sh in this folder in name order — the Debian
# packages the tests drive (install-debian-packages.sh, with apt-get), then the pinned charts that
# ship in Go modules, Helm, the lab image, OpenTofu and the bpg provider (built from the Go module
# proxy, cached under the user's cache dir).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
# A node_modules that is a symbolic link belongs to another checkout (a git worktree sharing it):
# npm ci would empty that checkout's dependencies through the link, so it is left alone.
if [ -L node_modules ]; then
  echo "test/tools: node_modules is a link to $(readlink -f node_modules); not reinstalling it"
elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "test/tools: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
for tool in "$repo"/test/tools/install-*.sh; do
  [ -e "$tool" ] || continue
  bash "$tool"
done
