#!/usr/bin/env bash
# Builds the lab image: the root file system the production template recipe describes (Debian from
# debootstrap + everything build-template bakes for Kubernetes, built from the Go module proxy),
# the lab profile, the control-plane images of the default Kubernetes version, packed as an ext4
# file system image; with PVE_KUBE_LAB_WITH_UPGRADE=1 the binaries and images of
# kubernetes.upgradeFrom preloaded beside them (the lab suite's upgrade proof: scripts/lab.sh).
# Cached under ~/.cache/pve-kube/lab/image-<key>/ (key: recipe-key.sh); prints each step's wall
# and CPU time.
#
#   bash test/tools/lab/build-image.sh     # prints the exports to use (PVE_KUBE_LAB_IMAGE, ...)
#   PVE_KUBE_LAB_WITH_UPGRADE=1 bash test/tools/lab/build-image.sh   # the lab's image
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$here/lib.sh"
k8s_default="$(lab_pin kubernetes.default)"
# the previous patch for the lab suite's upgrade proof, only with PVE_KUBE_LAB_WITH_UPGRADE=1
# (scripts/lab.sh); without it the image carries the default alone (npm test needs no more)
k8s_upgrade="$(lab_upgrade_version)"
key="$(bash "$here/recipe-key.sh")"
out="$lab_cache/image-$key"
image="$out/pve-kube-lab.ext4"

print_exports() {
  lab_log "image $image ($(du -h --apparent-size "$image" | cut -f1), sha256 $(cut -d' ' -f1 "$image.sha256"))"
  echo "test/tools: export PVE_KUBE_LAB_IMAGE=$image PVE_KUBE_LAB_IMAGE_SHA256=$(cut -d' ' -f1 "$image.sha256")"
}
lab_lock image
if [ -f "$out/manifest.json" ]; then
  print_exports
  exit 0
fi
lab_require go gcc debootstrap mkfs.ext4 debugfs systemctl node

timings="$(mktemp)"
trap 'rm -f "$timings"' EXIT
# CPU time (user + system, in clock ticks) of every finished child of this shell: a build's CPU
# time hardly depends on what else the machine runs, its wall time does (README "The lab")
child_cpu_ticks() { awk '{ print $16 + $17 }' "/proc/$$/stat"; }
ticks=$(getconf CLK_TCK)
# step <name> <command...>: runs a step, prints and records its wall and CPU time
step() {
  local name="$1" start seconds cpu
  shift
  start=$(date +%s)
  cpu=$(child_cpu_ticks)
  "$@"
  seconds=$(( $(date +%s) - start ))
  cpu=$(( ($(child_cpu_ticks) - cpu) / ticks ))
  printf '%s\t%s\t%s\n' "$name" "$seconds" "$cpu" >>"$timings"
  lab_log "step $name: $seconds s wall, $cpu s CPU (load $(cut -d' ' -f1 /proc/loadavg))"
}

step "kubernetes-$k8s_default" bash "$here/build-kubernetes.sh" "$k8s_default"
[ -z "$k8s_upgrade" ] || step "kubernetes-$k8s_upgrade" bash "$here/build-kubernetes.sh" "$k8s_upgrade"
step runtime bash "$here/build-runtime.sh"
base=""
build_base() { base="$(bash "$here/build-rootfs-base.sh")"; }
step debian-base build_base

bin() { echo "$lab_cache/$1/bin"; }
k8s_bin="$(bin "k8s-$k8s_default")"
etcd="$(lab_pin lab.etcd):$(bin "etcd-$(lab_pin lab.etcd)")"
coredns="$(lab_pin lab.coredns):$(bin "coredns-$(lab_pin lab.coredns)")"
pause="$(lab_pin lab.pause):$(bin "pause-$(lab_pin lab.pause)")"

work="$lab_cache/.work/image-$key"
root="$work/root"
rm -rf "$work" "$out" "$out.tmp"
mkdir -p "$work" "$out.tmp"
step copy-base cp -a "$base" "$root"
step template-recipe bash "$here/install-recipe.sh" "$root" "$k8s_bin" \
  "$(bin "containerd-$(lab_pin lab.containerd)")" "$(bin "runc-$(lab_pin lab.runc)")" \
  "$(bin "cni-plugins-$(lab_pin lab.cniPlugins)")"
step lab-profile bash "$here/lab-profile/apply.sh" "$root" "registry.k8s.io/pause:$(lab_pin lab.pause)"

# images: exactly the names the built kubeadm asks for
images() { # <version> <k8s bin> <out dir>
  "$2/kubeadm" config images list --kubernetes-version "v$1" >"$work/images-$1.txt"
  "$lab_repo/node_modules/.bin/vite-node" "$here/build-images-main.ts" -- \
    --kubeadm-list "$work/images-$1.txt" --kubernetes-version "$1" --kubernetes-bin "$2" \
    --etcd "$etcd" --coredns "$coredns" --pause "$pause" --rootfs "$root" --out "$3"
}
# both versions' kubeadm/kubelet/kubectl where the lab node profile installs them from
# (/opt/pve-kube/kubernetes/v<version>), and both image sets; only the default's are imported at
# first boot, the other on demand (an upgrade proof starts from it)
preload() { # <version>
  local dir="$root/opt/pve-kube/kubernetes/v$1" b
  mkdir -p "$dir"
  for b in kubeadm kubelet kubectl; do
    # the default's are the ones in /usr/bin: hard links cost no space (mkfs.ext4 -d keeps them)
    if [ "$1" = "$k8s_default" ]; then ln "$root/usr/bin/$b" "$dir/$b"; else install -m 0755 "$(bin "k8s-$1")/$b" "$dir/$b"; fi
  done
  images "$1" "$(bin "k8s-$1")" "$root/opt/pve-kube/images/v$1"
}
step "preload-$k8s_default" preload "$k8s_default"
[ -z "$k8s_upgrade" ] || step "preload-$k8s_upgrade" preload "$k8s_upgrade"
ln -sfn "v$k8s_default" "$root/opt/pve-kube/images/default"

# the smoke check, before packing: the image's kubeadm reports the pinned version
got="$("$root/usr/bin/kubeadm" version -o short)"
if [ "$got" != "v$k8s_default" ]; then
  echo "test/tools: lab: the image's kubeadm says $got, expected v$k8s_default" >&2
  exit 1
fi

pack() {
  # an ext4 file system made from the directory without mounting anything; 15 % + 64 MiB headroom
  # for metadata (D1 mounts it read-only as the template's lower dir)
  local bytes
  bytes=$(du -sb "$root" | cut -f1)
  truncate -s $(( bytes * 115 / 100 + 64 * 1024 * 1024 )) "$out.tmp/pve-kube-lab.ext4"
  mkfs.ext4 -q -F -L pve-kube-lab -m 0 -O ^has_journal -E root_owner=0:0 -d "$root" "$out.tmp/pve-kube-lab.ext4"
  (cd "$out.tmp" && sha256sum pve-kube-lab.ext4 >pve-kube-lab.ext4.sha256)
}
step pack-ext4 pack

# the smoke check again, on the packed file system (read with debugfs, nothing mounted)
smoke="$work/kubeadm-from-image"
debugfs -R "dump /usr/bin/kubeadm $smoke" "$out.tmp/pve-kube-lab.ext4" 2>/dev/null
chmod +x "$smoke"
got="$("$smoke" version -o short)"
if [ "$got" != "v$k8s_default" ]; then
  echo "test/tools: lab: the packed image's kubeadm says '$got', expected v$k8s_default" >&2
  exit 1
fi
lab_log "smoke check: the packed image's /usr/bin/kubeadm version -o short = $got"

# shellcheck disable=SC2016 # JavaScript in single quotes
LAB_VERSIONS="$lab_versions" node -e '
  const fs = require("fs");
  const [timingsFile, imagesJson, upgradeImagesJson, manifest, key, k8s, upgrade, size, rootBytes] = process.argv.slice(1);
  const versions = JSON.parse(fs.readFileSync(process.env.LAB_VERSIONS, "utf8"));
  const steps = fs.readFileSync(timingsFile, "utf8").trim().split("\n").map((l) => l.split("\t")).map(([name, s, cpu]) => ({ name, seconds: Number(s), cpuSeconds: Number(cpu) }));
  fs.writeFileSync(manifest, JSON.stringify({
    key, file: "pve-kube-lab.ext4", label: "pve-kube-lab", bytes: Number(size), rootFilesystemBytes: Number(rootBytes),
    kubernetes: { default: k8s, upgradeFrom: upgrade || null }, lab: versions.lab,
    images: {
      [`v${k8s}`]: { directory: `/opt/pve-kube/images/v${k8s}`, importedAtBoot: true, archives: JSON.parse(fs.readFileSync(imagesJson, "utf8")) },
      ...(upgrade ? { [`v${upgrade}`]: { directory: `/opt/pve-kube/images/v${upgrade}`, importedAtBoot: false, archives: JSON.parse(fs.readFileSync(upgradeImagesJson, "utf8")) } } : {}),
    },
    binaries: { [`v${k8s}`]: "/usr/bin (and /opt/pve-kube/kubernetes/v" + k8s + ")", ...(upgrade ? { [`v${upgrade}`]: `/opt/pve-kube/kubernetes/v${upgrade}` } : {}) },
    buildSeconds: { steps, total: steps.reduce((a, s) => a + s.seconds, 0), cpuTotal: steps.reduce((a, s) => a + s.cpuSeconds, 0) },
    builtAt: new Date().toISOString(),
  }, null, 2) + "\n");
' "$timings" "$root/opt/pve-kube/images/v$k8s_default/images.json" "$root/opt/pve-kube/images/v$k8s_upgrade/images.json" \
  "$out.tmp/manifest.json" "$key" "$k8s_default" "$k8s_upgrade" \
  "$(stat -c %s "$out.tmp/pve-kube-lab.ext4")" "$(du -sb "$root" | cut -f1)"
rm -rf "$work"
mv "$out.tmp" "$out"
lab_log "lab image $key built in $(awk -F'\t' '{s+=$2} END {print s}' "$timings") s wall, $(awk -F'\t' '{s+=$3} END {print s}' "$timings") s CPU (steps above; cached builds count ~0)"
print_exports
