#!/usr/bin/env bash
# npm start: deploys the example HA cluster (workflows-examples/clusters/ha/cluster.yaml) with
# .github/workflows/deploy.yml, run job by job by the local runner against the embedded pve-sim.
# Everything it keeps is in .local-run/ (pve-sim's state and the OpenTofu state in
# .local-run/pve-sim/, a folder per run with its log and report). Run it again: nothing changes.
# Extra arguments go to `pve-kube run` (e.g. --sim-time-scale 1 for realistic task durations).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
# npm dependencies, and OpenTofu + the bpg provider built from the Go module proxy (first run only)
bash test/tools/install.sh
# the built OpenTofu on PATH; the tofu-provision action writes its own CLI config naming the
# filesystem mirror beside TF_CLI_CONFIG_FILE (the exported config itself is ignored by the action)
eval "$(bash test/tools/install-opentofu.sh | sed -n 's/^test\/tools: export /export /p')"
# lock-file regenerate: a provider built from source has other hashes than the official release.
# phases: pve-sim's VMs here are records, not machines — kubeadm-bootstrap needs real guests
# (`npm run lab`), so the guest-less demo stops after tofu-provision.
exec node cli/dist/pve-kube.mjs run .github/workflows/deploy.yml --sim \
  --input cluster=workflows-examples/clusters/ha/cluster.yaml \
  --input environment=demo \
  --input tofu-lock-file=regenerate \
  --input tofu-provider-mirror="$(dirname "$TF_CLI_CONFIG_FILE")/tofu-mirror" \
  --input phases=build-template,tofu-provision \
  "$@"
