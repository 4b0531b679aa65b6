#!/usr/bin/env bash
# Installs the Debian packages the tests drive for real, only the missing ones, so that `npm test`
# on a fresh machine needs nothing else (the README's promise). Run by test/tools/install.sh.
# Needs root or sudo when something is missing; a package that cannot be installed is a failure,
# never a silently skipped test.
set -euo pipefail

# The one list: add a package here, one per line, with the tests that need it.
packages=(
  ansible      # test/unit/kubeadm, test/integration/ansible (the playbooks, for real)
  ansible-lint # test/integration/ansible/lint.test.ts
  shellcheck   # test/unit/runner-setup/install.test.ts (every shell script at style severity)
  jq           # runner-setup/install.sh reads versions.json with it
  curl         # test/unit/sim/node-identity.test.ts (curl --pinnedpubkey against pve-sim)
  systemd-container # systemd-nspawn: pve-sim guests (test/integration/guests, test/lab)
  debootstrap       # the lab image's Debian root (test/tools/lab), which the guests boot
  iproute2          # pve-sim guests: the lab network namespace, bridges, veths
  openssh-client    # test/integration/guests: ssh into guests, ssh-keygen for the cluster key
  libseccomp-dev gcc libc6-dev pkg-config e2fsprogs # the lab image: runc (cgo), pause (static), mkfs.ext4 -d, debugfs
)

missing=()
for p in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "test/tools: the tests need the Debian packages ${missing[*]}; install them as root:" >&2
  echo "  apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "test/tools: installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
