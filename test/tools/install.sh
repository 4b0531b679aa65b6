#!/usr/bin/env bash
# Installs what the test suite needs and a fresh clone lacks, idempotently and quietly when all is
# present: npm dependencies, then each tool script in this folder (OpenTofu and the bpg provider are
# built from the Go module proxy and cached under the user's cache dir). Debian packages (ansible,
# shellcheck, ...) are installed by .ci/run with apt-get; here we only report what is missing.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "test/tools: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
for tool in "$repo"/test/tools/install-*.sh; do
  [ -e "$tool" ] || continue
  bash "$tool"
done
