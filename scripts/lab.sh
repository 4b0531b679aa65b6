#!/usr/bin/env bash
# npm run lab: the lab — pve-sim with guests (every VM that starts is a real Debian machine booted
# with systemd-nspawn in the lab's own network namespace) and the lab cluster deployed on it by the
# real .github/workflows/deploy.yml through the local runner. It stays up; a second run changes
# nothing. `npm run lab -- --down` removes everything it made; `npx pve-kube lab exec -- <cmd>` runs
# a command where the lab's addresses route. Everything it keeps is in .local-run/lab/. Needs root.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
if [ "${1:-}" = "--down" ] || [ "${1:-}" = "exec" ]; then
  # taking the lab down or using it needs no tools built
  exec node cli/dist/pve-kube.mjs lab "$@"
fi
# npm dependencies, OpenTofu + the bpg provider, the lab image (first run builds, later runs reuse);
# each installer ends with a `test/tools: export NAME=value` line for what it provides. The lab's
# image also carries kubernetes.upgradeFrom (the lab suite starts a cluster there and upgrades it);
# npm test's carries the default version alone (docs/lab-image.md). Every line is shown on stderr as
# it comes (`tee /dev/stderr` cannot open a socket, which is what stderr is when a Node process —
# vitest, the bench — spawned this script)
export PVE_KUBE_LAB_WITH_UPGRADE=1
exports="$(bash test/tools/install.sh | while IFS= read -r line; do
  printf '%s\n' "$line" >&2
  case "$line" in "test/tools: export "*) printf 'export %s\n' "${line#test/tools: export }" ;; esac
done)"
eval "$exports"
if [ -z "${PVE_KUBE_LAB_IMAGE:-}" ]; then
  echo "npm run lab: test/tools did not provide the lab image (PVE_KUBE_LAB_IMAGE); see docs/lab-image.md" >&2
  exit 1
fi
exec node cli/dist/pve-kube.mjs lab "$@"
