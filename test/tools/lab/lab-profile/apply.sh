#!/usr/bin/env bash
# LAB ONLY: applies the lab profile to a root file system that install-recipe.sh prepared — every
# difference between a lab guest and a production node, in one place (docs/lab-image.md says why
# each exists). The production files stay as they are; the lab's versions override them from /etc.
#
#   bash test/tools/lab/lab-profile/apply.sh <root> <pause image name>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="${1:?root}" pause="${2:?pause image}"
config="$root/etc/containerd/config.toml"

# containerd: cgroupfs driver (cgroup v1 host, kubelet cgroupDriver: cgroupfs); runc without a new
# session keyring (nspawn's seccomp blocks keyctl); no oom_score_adj below the guest's own (no
# CAP_SYS_RESOURCE); the sandbox image kubeadm lists, as no registry can serve another
sed -i \
  -e 's/SystemdCgroup = true/SystemdCgroup = false/' \
  -e 's/restrict_oom_score_adj = false/restrict_oom_score_adj = true/' \
  -e 's/NoNewKeyring = false/NoNewKeyring = true/' \
  -e "s#^\(\s*sandbox = \).*#\1'$pause'#" \
  "$config"
for expected in 'SystemdCgroup = false' 'NoNewKeyring = true' 'restrict_oom_score_adj = true' "sandbox = '$pause'"; do
  grep -q "$expected" "$config" || {
    echo "lab-profile: containerd's config has no place for '$expected' (containerd changed its default config?)" >&2
    exit 1
  }
done

# the containerd unit without OOMScoreAdjust and Limit*: the guest may not raise them
sed -E '/^(OOMScoreAdjust|Limit[A-Z]+)=/d' "$root/lib/systemd/system/containerd.service" |
  sed '1i # LAB ONLY: the packaged unit without OOMScoreAdjust and Limit* (no CAP_SYS_RESOURCE in an nspawn guest)' \
    >"$root/etc/systemd/system/containerd.service"

install -D -m 0755 -t "$root/usr/local/lib/pve-kube-lab" "$here/guest-setup.sh" "$here/import-images.sh"
install -m 0644 -t "$root/etc/systemd/system" "$here/pve-kube-lab-guest.service" "$here/pve-kube-lab-images.service"
install -m 0644 "$here/ssh-host-keys.service" "$root/etc/systemd/system/pve-kube-lab-ssh-host-keys.service"
install -D -m 0644 "$here/system-stop-timeout.conf" "$root/etc/systemd/system.conf.d/pve-kube-lab.conf"
install -D -m 0644 "$here/wait-online-ipv4.conf" \
  "$root/etc/systemd/system/systemd-networkd-wait-online.service.d/pve-kube-lab.conf"
install -D -m 0644 "$here/10-host0.network.example" "$root/usr/share/doc/pve-kube-lab/10-host0.network.example"
systemctl --root="$root" enable pve-kube-lab-guest.service pve-kube-lab-images.service \
  pve-kube-lab-ssh-host-keys.service >/dev/null 2>&1
