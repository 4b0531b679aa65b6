#!/usr/bin/env bash
# Builds the lab image (a root file system for pve-sim's real guests: Debian + the production
# template recipe + Kubernetes built from the Go module proxy + the lab profile) and the upgrade
# bundle, cached per pin under ~/.cache/pve-kube/lab; a cached run only prints the exports.
# The first run takes long (Kubernetes twice, containerd, etcd, CoreDNS, ...): see README "The lab".
set -euo pipefail
exec bash "$(dirname "$0")/lab/build-image.sh"
