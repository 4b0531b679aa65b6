#!/usr/bin/env bash
# Prints the lab image's cache key: sha256 over the pins it is built from (versions.json; the
# upgradeFrom version only with PVE_KUBE_LAB_WITH_UPGRADE=1) and every file of the recipe (this
# folder). Change either and the image is rebuilt; change neither and the cached image is reused.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
{
  # upgradeFrom only in the image that carries it (PVE_KUBE_LAB_WITH_UPGRADE=1, see lib.sh)
  node -e 'const v=require(process.argv[1]); console.log(JSON.stringify({default: v.kubernetes.default, upgradeFrom: process.argv[2] || null, lab: v.lab}))' "$lab_versions" "$(lab_upgrade_version)"
  cd "$lab_repo"
  # file names and contents, in a stable order, without node's or editors' leftovers
  find test/tools/lab -type f ! -name '*~' ! -path '*/node_modules/*' -print0 |
    sort -z | xargs -0 sha256sum
} | sha256sum | cut -c1-16
