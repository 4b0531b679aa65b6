#!/usr/bin/env bash
# Builds the lab image (a root file system for pve-sim's real guests: Debian + the production
# template recipe + Kubernetes built from the Go module proxy + the lab profile), cached per pin
# under ~/.cache/pve-kube/lab; a cached run only prints the exports. With PVE_KUBE_LAB_WITH_UPGRADE=1
# (scripts/lab.sh sets it) the image also carries kubernetes.upgradeFrom for the lab suite.
# The first run takes long (Kubernetes, containerd, etcd, CoreDNS, ...): see README "The lab".
set -euo pipefail
exec bash "$(dirname "$0")/lab/build-image.sh"
