#!/bin/sh
# LAB ONLY: imports every OCI archive (*.tar) of the given directories into containerd's k8s.io
# namespace, each once: a stamp under /var/lib/containerd remembers what was imported, so it is
# forgotten together with the images. Also run by hand for the other version's images (an upgrade proof):
#   /usr/local/lib/pve-kube-lab/import-images.sh /opt/pve-kube/images/v1.36.1
set -eu
stamps=/var/lib/containerd/.pve-kube-lab-imported
mkdir -p "$stamps"
for dir in "$@"; do
  for archive in "$dir"/*.tar; do
    [ -f "$archive" ] || continue
    stamp="$stamps/$(basename "$archive")"
    [ -f "$stamp" ] && continue
    ctr -n k8s.io images import --label io.cri-containerd.pinned=pinned "$archive"
    touch "$stamp"
  done
done
