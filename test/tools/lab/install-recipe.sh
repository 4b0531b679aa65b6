#!/usr/bin/env bash
# What the production template recipe bakes into a node image (actions/lib/template/virt-customize.ts),
# done to the lab's root file system with the binaries built here instead of packages:
# containerd + runc + CNI plugins + kubeadm/kubelet/kubectl where their packages put them, the
# kubelet unit with kubeadm's drop-in, kernel modules and sysctls, containerd's default config with
# the systemd cgroup driver, both services enabled, and no machine identity left in the image.
#
#   bash test/tools/lab/install-recipe.sh <root> <k8s-bin> <containerd-bin> <runc-bin> <cni-bin>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="${1:?root}" k8s="${2:?k8s bin}" containerd="${3:?containerd bin}" runc="${4:?runc bin}" cni="${5:?cni bin}"

install -D -m 0755 -t "$root/usr/bin" "$k8s/kubeadm" "$k8s/kubelet" "$k8s/kubectl"
install -D -m 0755 -t "$root/usr/bin" "$containerd/containerd" "$containerd/containerd-shim-runc-v2" "$containerd/ctr"
install -D -m 0755 -t "$root/usr/sbin" "$runc/runc"
install -d "$root/opt/cni/bin" "$root/etc/cni/net.d"
install -m 0755 -t "$root/opt/cni/bin" "$cni"/*

install -D -m 0644 "$here/template/containerd.service" "$root/lib/systemd/system/containerd.service"
install -D -m 0644 "$here/template/kubelet.service" "$root/lib/systemd/system/kubelet.service"
install -D -m 0644 "$here/template/10-kubeadm.conf" "$root/lib/systemd/system/kubelet.service.d/10-kubeadm.conf"
install -D -m 0644 "$here/template/modules-load-pve-kube.conf" "$root/etc/modules-load.d/pve-kube.conf"
install -D -m 0644 "$here/template/sysctl-99-pve-kube.conf" "$root/etc/sysctl.d/99-pve-kube.conf"
install -d "$root/etc/kubernetes/manifests" "$root/var/lib/kubelet"

# containerd with the systemd cgroup driver, as kubelet defaults to it (the production command)
mkdir -p "$root/etc/containerd"
"$containerd/containerd" config default | sed 's/SystemdCgroup = false/SystemdCgroup = true/' >"$root/etc/containerd/config.toml"
grep -q 'SystemdCgroup = true' "$root/etc/containerd/config.toml" || {
  echo "install-recipe.sh: containerd's default config has no SystemdCgroup line" >&2
  exit 1
}
systemctl --root="$root" enable containerd.service kubelet.service systemd-networkd.service >/dev/null 2>&1

# no identity may survive into the template: each clone gets its own
: >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id" "$root"/etc/ssh/ssh_host_*
echo localhost >"$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
rm -rf "$root/var/lib/cloud/instances" "$root/var/log/cloud-init"*
