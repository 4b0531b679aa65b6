#!/bin/sh
# LAB ONLY: run at boot by pve-kube-lab-guest.service inside a systemd-nspawn guest, before
# containerd and the kubelet. Each step and the trap it avoids: docs/lab-image.md.
set -u
say() { echo "pve-kube-lab-guest: $*"; }

# 1. the kubelet's OOM watcher reads /dev/kmsg, which nspawn does not give guests
if [ ! -e /dev/kmsg ]; then
  ln -s /dev/null /dev/kmsg && say "linked /dev/kmsg to /dev/null"
fi

# 2. the kubelet writes these sysctls when they differ from what it expects, and nspawn's /proc/sys
# is read-only: show it the expected values (a file bound over each; the host's stay untouched)
mkdir -p /run/pve-kube-lab/sysctl
for setting in vm/overcommit_memory=1 kernel/panic=10 kernel/panic_on_oops=1; do
  key="${setting%%=*}"
  value="${setting#*=}"
  [ "$(cat "/proc/sys/$key" 2>/dev/null)" = "$value" ] && continue
  file="/run/pve-kube-lab/sysctl/$(echo "$key" | tr / _)"
  echo "$value" >"$file"
  mount --bind "$file" "/proc/sys/$key" && say "/proc/sys/$key shows $value"
done

# 3. cgroup v1 hosts: nspawn mounts each controller read-only; a fresh mount of the same controller
# (or, where nspawn mounted it in the guest's own cgroup namespace, a read-write remount) is
# writable and rooted at the guest's own cgroup (the launcher put the guest in a child cgroup
# of every controller). Then drop the container cgroups a previous boot left behind: they survive a
# guest restart and made cAdvisor stall ~3 s each.
for dir in /sys/fs/cgroup/*; do
  if [ ! -d "$dir" ] || [ -L "$dir" ]; then continue; fi
  name="$(basename "$dir")"
  case "$name" in unified | systemd) continue ;; esac
  [ "$(findmnt -n -o FSTYPE --mountpoint "$dir" | tail -n 1)" = cgroup ] || continue
  case ",$(findmnt -n -o OPTIONS --mountpoint "$dir" | tail -n 1)," in
    *,ro,*)
      # where nspawn already mounted the controller inside the guest's cgroup namespace, a fresh
      # mount is refused ("already mounted"): the mount is rooted right, only read-only — remount it
      if mount -t cgroup -o "$name" cgroup "$dir" 2>/dev/null; then
        say "mounted cgroup $name writable"
      elif mount -o remount,bind,rw "$dir"; then
        say "remounted cgroup $name read-write"
      else
        say "error: cgroup $name stays read-only — the kubelet cannot run in this guest"
        cgroup_failed=1
      fi
      ;;
  esac
  for stale in "$dir/kubepods" "$dir/kubepods.slice" "$dir/system.slice/containerd.service/k8s.io"; do
    [ -d "$stale" ] && find "$stale" -depth -mindepth 1 -type d -exec rmdir {} + 2>/dev/null
  done
done

# 4. Cilium needs a BPF file system at /sys/fs/bpf, which nspawn's /sys lacks
if ! grep -q " /sys/fs/bpf bpf " /proc/self/mounts; then
  if mount -o remount,rw /sys 2>/dev/null; then
    mkdir -p /sys/fs/bpf && mount -t bpf bpf /sys/fs/bpf && say "mounted bpffs at /sys/fs/bpf"
    mount -o remount,ro /sys
  else
    say "warning: cannot remount /sys read-write; no /sys/fs/bpf (start the guest with --capability=all)"
  fi
fi
exit "${cgroup_failed:-0}"
