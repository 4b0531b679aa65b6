#!/usr/bin/env bash
# Turns a Debian/Ubuntu host (or a Proxmox VM) into the pve-kube self-hosted GitHub Actions runner:
# Node.js 24, OpenTofu, kubectl and Helm at the versions pinned in versions.json (each download
# checked against the sha256 pinned there), virt-customize (guestfs-tools), qemu-utils, Ansible,
# and the official Actions runner registered with the labels self-hosted,linux,x64,proxmox and
# installed as a systemd service; its .env declares those labels (PVE_KUBE_RUNNER_LABELS) for
# preflight's runner gate.
#
# Idempotent: every step looks first and only acts when something is missing or at another version.
# --dry-run prints every action (commands, downloads, files) and changes nothing.
#
#   sudo RUNNER_TOKEN=<registration token> runner-setup/install.sh --url https://github.com/<owner>/<repo>
#   runner-setup/install.sh --dry-run
#
# See docs/runner-setup.md.
set -euo pipefail

readonly DEFAULT_LABELS="self-hosted,linux,x64,proxmox"
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

dry_run=false
versions_file="$script_dir/../versions.json"
prefix=""
runner_url=""
runner_token_file=""
runner_name="$(hostname -s 2>/dev/null || echo pve-kube-runner)"
runner_labels="$DEFAULT_LABELS"
runner_user="github-runner"
runner_dir=""
skip_runner=false
ephemeral=false

usage() {
  cat <<'USAGE'
Usage: runner-setup/install.sh [options]

  --dry-run              print every action without doing it (no root needed, no network)
  --versions FILE        pin file to read (default: versions.json of this checkout)
  --prefix DIR           with --dry-run only: show file paths under DIR instead of /
  --url URL              repository or organisation URL to register the runner with
  --token-file FILE      file holding the runner registration token (or set RUNNER_TOKEN)
  --name NAME            runner name (default: the short host name)
  --labels LIST          runner labels (default: self-hosted,linux,x64,proxmox)
  --user USER            local account that runs the runner service (default: github-runner)
  --runner-dir DIR       where the runner lives (default: /opt/actions-runner)
  --skip-runner          install the tools only; do not install or register the runner
  --ephemeral            register a single-use runner (config.sh --ephemeral): it takes one job,
                         then GitHub removes it, so nothing a job leaves behind (tool cache,
                         ~/.tofurc, files in _work) meets the next job — recommended
  -h, --help             this help
USAGE
}

fail() {
  echo "runner-setup: error: $*" >&2
  exit 1
}

say() { echo "runner-setup: $*"; }

# A command line that can be pasted into a shell, quoting only the words that need it.
shown_command() {
  local word out=()
  for word in "$@"; do
    if [[ "$word" =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then out+=("$word"); else out+=("$(printf '%q' "$word")"); fi
  done
  echo "${out[*]}"
}

# Prints a command, then runs it; --dry-run stops after printing.
act() {
  local shown
  shown="$(shown_command "$@") "
  if $dry_run; then
    echo "[dry-run] ${shown% }"
  else
    echo "+ ${shown% }"
    "$@"
  fi
}

# Like act, for commands that need the registration token in their environment: the token goes
# in through ACTIONS_RUNNER_INPUT_TOKEN (never argv, never printed).
act_with_token() {
  local shown
  shown="$(shown_command "$@") "
  if $dry_run; then
    echo "[dry-run] ACTIONS_RUNNER_INPUT_TOKEN=<redacted> ${shown% }"
  else
    echo "+ ACTIONS_RUNNER_INPUT_TOKEN=<redacted> ${shown% }"
    ACTIONS_RUNNER_INPUT_TOKEN="$runner_token" "$@"
  fi
}

# write_file PATH MODE CONTENT: writes only when the content differs.
write_file() {
  local path="$1" mode="$2" content="$3"
  if [ -f "$path" ] && [ "$(cat "$path")" = "$content" ]; then
    say "ok: $path is up to date"
    return
  fi
  if $dry_run; then
    echo "[dry-run] write $path (mode $mode):"
    printf '%s\n' "$content" | sed 's/^/[dry-run]   | /'
  else
    echo "+ write $path (mode $mode)"
    mkdir -p "$(dirname "$path")"
    printf '%s\n' "$content" > "$path.tmp"
    chmod "$mode" "$path.tmp"
    mv "$path.tmp" "$path"
  fi
}

# download URL DEST SHA256: fetches over HTTPS only and refuses a file whose sha256 is not the pin.
download() {
  local url="$1" dest="$2" sha="$3"
  if $dry_run; then
    echo "[dry-run] download $url -> $dest"
    echo "[dry-run] verify sha256 $sha of $dest"
    return
  fi
  echo "+ download $url"
  curl --fail --silent --show-error --location --proto '=https' --tlsv1.2 --retry 3 --output "$dest" "$url"
  local actual
  actual="$(sha256sum "$dest" | cut -d' ' -f1)"
  if [ "$actual" != "$sha" ]; then
    rm -f "$dest"
    fail "checksum mismatch for $url: expected sha256 $sha (versions.json), got $actual. Nothing was installed from it; check the pin or your network path."
  fi
  echo "+ sha256 verified: $sha"
}

# check_key_fingerprint FILE FINGERPRINT: the downloaded signing key must be exactly the key
# versions.json pins (nodejs.keyFingerprint); anything else is removed before apt trusts it.
check_key_fingerprint() {
  local file="$1" expected="$2" actual
  if $dry_run; then
    echo "[dry-run] check that $file is the key with fingerprint $expected (versions.json)"
    return
  fi
  actual="$(gpg --batch --with-colons --import-options show-only --import "$file" 2>/dev/null |
    awk -F: '$1 == "fpr" { print $10; exit }')"
  if [ "$actual" != "$expected" ]; then
    rm -f "$file"
    fail "signing key fingerprint mismatch for $file: expected $expected (versions.json), got ${actual:-no key}. Nothing was trusted."
  fi
  echo "+ key fingerprint verified: $expected"
}

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --dry-run) dry_run=true ;;
      --versions) versions_file="${2:?--versions needs a file}"; shift ;;
      --prefix) prefix="${2:?--prefix needs a directory}"; shift ;;
      --url) runner_url="${2:?--url needs a URL}"; shift ;;
      --token-file) runner_token_file="${2:?--token-file needs a file}"; shift ;;
      --name) runner_name="${2:?--name needs a value}"; shift ;;
      --labels) runner_labels="${2:?--labels needs a list}"; shift ;;
      --user) runner_user="${2:?--user needs a name}"; shift ;;
      --runner-dir) runner_dir="${2:?--runner-dir needs a directory}"; shift ;;
      --skip-runner) skip_runner=true ;;
      --ephemeral) ephemeral=true ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; fail "unknown option: $1" ;;
    esac
    shift
  done
  if [ -n "$prefix" ] && ! $dry_run; then
    fail "--prefix only works with --dry-run: packages, users and services always act on this host"
  fi
  prefix="${prefix%/}"
  runner_dir="${runner_dir:-$prefix/opt/actions-runner}"
  if ! $skip_runner && [ -z "$(custom_labels)" ]; then
    fail "--labels $runner_labels has no label of its own beyond self-hosted,linux,x64: give the runner one (default proxmox) — the privileged jobs ask for it, and preflight checks runner-labels against it"
  fi
}

check_host() {
  if [ "$(id -u)" -ne 0 ]; then
    $dry_run || fail "run as root (sudo), or add --dry-run to see what would be done"
    say "note: not root; a real run needs sudo"
  fi
  local id="" id_like=""
  if [ -r /etc/os-release ]; then
    # shellcheck disable=SC1091
    id="$(. /etc/os-release && echo "${ID:-}")"
    # shellcheck disable=SC1091
    id_like="$(. /etc/os-release && echo "${ID_LIKE:-}")"
  fi
  case " $id $id_like " in
    *" debian "* | *" ubuntu "*) ;;
    *) fail "this script supports Debian and Ubuntu (apt); /etc/os-release says ID=${id:-unknown}" ;;
  esac
  [ "$(uname -m)" = "x86_64" ] || fail "the pinned downloads are linux amd64 builds; this machine is $(uname -m)"
  [ -f "$versions_file" ] || fail "pin file not found: $versions_file (pass --versions FILE)"
  if ! command -v jq >/dev/null 2>&1; then
    # jq reads the pins, so it comes before everything else on a fresh machine.
    $dry_run && fail "jq is needed to read $versions_file: apt-get install -y jq"
    act env DEBIAN_FRONTEND=noninteractive apt-get update -q
    act env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends jq
  fi
  jq -e . "$versions_file" >/dev/null 2>&1 || fail "$versions_file is not valid JSON"
}

# The pins this script needs, read in one jq call; a missing one is named with its path.
read_pins() {
  local fields=(.kubernetes.default .kubectl.version '.kubectl.sha256["linux-amd64"]'
    .opentofu.version '.opentofu.sha256["linux_amd64"]' .helm.version '.helm.sha256["linux-amd64"]'
    .actionsRunner.version '.actionsRunner.sha256["linux-x64"]' .nodejs.major .nodejs.source
    .nodejs.keyFingerprint)
  local filter values=() i
  filter="[$(IFS=,; echo "${fields[*]}")] | map(if . == null then \"\" else tostring end) | .[]"
  mapfile -t values < <(jq -r "$filter" "$versions_file")
  for i in "${!fields[@]}"; do
    [ -n "${values[$i]:-}" ] ||
      fail "$versions_file: field ${fields[$i]} is missing or empty — restore it from the repository's versions.json"
  done
  k8s_version="${values[0]}" kubectl_version="${values[1]}" kubectl_sha="${values[2]}"
  tofu_version="${values[3]}" tofu_sha="${values[4]}" helm_version="${values[5]}" helm_sha="${values[6]}"
  runner_version="${values[7]}" runner_sha="${values[8]}" node_major="${values[9]}" node_source="${values[10]}"
  node_key_fpr="${values[11]}"
  # kubectl must match the cluster's Kubernetes (kubectl supports one minor of skew; keep it exact).
  [ "$kubectl_version" = "$k8s_version" ] ||
    fail "$versions_file: kubectl.version $kubectl_version differs from kubernetes.default $k8s_version — pin both to the same release (and kubectl.sha256 to that release's linux-amd64 kubectl)"
  say "pinned versions from $versions_file:"
  say "  kubernetes (kubectl) $k8s_version"
  say "  opentofu             $tofu_version"
  say "  helm                 $helm_version"
  say "  actions runner       $runner_version"
  say "  node.js              $node_major.x ($node_source)"
}


install_packages() {
  # curl/gnupg for the downloads, qemu-utils for qemu-img, guestfs-tools for virt-customize,
  # ansible for kubeadm-bootstrap, shellcheck for the repository's own checks.
  local wanted=(ca-certificates curl gnupg jq git tar gzip xz-utils sudo qemu-utils guestfs-tools ansible shellcheck)
  local installed missing=() p
  # one dpkg-query for all: prints "name<TAB>status" for the packages dpkg knows
  installed="$(dpkg-query -W -f='${Package}\t${Status}\n' "${wanted[@]}" 2>/dev/null | awk -F'\t' '$2 == "install ok installed" { print $1 }' || true)"
  for p in "${wanted[@]}"; do grep -qx -- "$p" <<<"$installed" || missing+=("$p"); done
  if [ "${#missing[@]}" -eq 0 ]; then
    say "ok: apt packages present (${wanted[*]})"
    return
  fi
  act env DEBIAN_FRONTEND=noninteractive apt-get update -q
  act env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

install_node() {
  local current=""
  if command -v node >/dev/null 2>&1; then current="$(node --version 2>/dev/null || true)"; fi
  if [[ "$current" == "v$node_major."* ]]; then
    say "ok: node $current"
    return
  fi
  say "node.js $node_major.x from NodeSource (found: ${current:-none})"
  local keyring="$prefix/etc/apt/keyrings/nodesource.gpg"
  if [ ! -s "$keyring" ]; then
    act mkdir -p "$(dirname "$keyring")"
    act curl --fail --silent --show-error --location --proto '=https' --output "$keyring.asc" \
      https://deb.nodesource.com/gpgkey/nodesource-repo.gpg.key
    check_key_fingerprint "$keyring.asc" "$node_key_fpr"
    act gpg --batch --yes --dearmor --output "$keyring" "$keyring.asc"
    act rm -f "$keyring.asc"
  fi
  write_file "$prefix/etc/apt/sources.list.d/nodesource.list" 0644 \
    "deb [signed-by=/etc/apt/keyrings/nodesource.gpg] $node_source nodistro main"
  act env DEBIAN_FRONTEND=noninteractive apt-get update -q
  act env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs
}

# install_binary NAME VERSION URL SHA MEMBER VERSION_CMD...: a pinned binary in a versioned
# directory under /opt/pve-kube/tools, linked into /usr/local/bin. MEMBER is the path inside a
# tar.gz, or empty for a plain binary.
install_binary() {
  local name="$1" version="$2" url="$3" sha="$4" member="$5"
  shift 5
  local home="$prefix/opt/pve-kube/tools/$name-$version"
  local link="$prefix/usr/local/bin/$name"
  local reported=""
  if [ -x "$home/$name" ]; then reported="$("$home/$name" "$@" 2>/dev/null || true)"; fi
  if [[ "$reported" =~ v${version//./\.}([^0-9.]|$) ]]; then
    say "ok: $name $version ($home/$name)"
  else
    local work="$tmp/$name-$version"
    act mkdir -p "$work" "$home"
    if [ -n "$member" ]; then
      download "$url" "$work/archive.tar.gz" "$sha"
      act tar -xzf "$work/archive.tar.gz" -C "$work" "$member"
      act install -m 0755 "$work/$member" "$home/$name"
    else
      download "$url" "$work/$name" "$sha"
      act install -m 0755 "$work/$name" "$home/$name"
    fi
  fi
  if [ "$(readlink "$link" 2>/dev/null || true)" != "$home/$name" ]; then
    act mkdir -p "$(dirname "$link")"
    act ln -sfn "$home/$name" "$link"
  fi
}

install_tools() {
  install_binary tofu "$tofu_version" \
    "https://github.com/opentofu/opentofu/releases/download/v$tofu_version/tofu_${tofu_version}_linux_amd64.tar.gz" \
    "$tofu_sha" tofu version
  install_binary kubectl "$kubectl_version" \
    "https://dl.k8s.io/release/v$kubectl_version/bin/linux/amd64/kubectl" \
    "$kubectl_sha" "" version --client
  install_binary helm "$helm_version" \
    "https://get.helm.sh/helm-v$helm_version-linux-amd64.tar.gz" \
    "$helm_sha" linux-amd64/helm version --short
}

world_readable() {
  local mode
  mode="$(stat -c %a "$1")"
  (( 8#$mode & 4 ))
}

# virt-customize (libguestfs) boots a small appliance with the host kernel: the runner account
# needs /dev/kvm (group kvm) and, on Ubuntu, a readable /boot/vmlinuz-* (Ubuntu ships it 0600).
prepare_guestfs() {
  if getent group kvm >/dev/null 2>&1; then
    if id -nG "$runner_user" 2>/dev/null | tr ' ' '\n' | grep -qx kvm; then
      say "ok: $runner_user is in group kvm"
    else
      act usermod -aG kvm "$runner_user"
    fi
  else
    say "warning: no kvm group (no /dev/kvm?): virt-customize will run without acceleration, slowly"
  fi
  local kernel
  kernel="/boot/vmlinuz-$(uname -r)"
  if [ -e "$kernel" ] && ! world_readable "$kernel"; then
    if dpkg-statoverride --list "$kernel" >/dev/null 2>&1; then
      act chmod 0644 "$kernel"
    else
      act dpkg-statoverride --update --add root root 0644 "$kernel"
    fi
  else
    say "ok: $kernel is readable"
  fi
  # Future kernels installed by apt stay readable too (the hook expands $1 when it runs, not now).
  # shellcheck disable=SC2016
  write_file "$prefix/etc/kernel/postinst.d/zz-pve-kube-readable-kernel" 0755 '#!/bin/sh
# Installed by pve-kube runner-setup: libguestfs (virt-customize) must read the kernel image.
set -e
version="$1"
[ -n "$version" ] || exit 0
dpkg-statoverride --list "/boot/vmlinuz-$version" >/dev/null 2>&1 ||
  dpkg-statoverride --update --add root root 0644 "/boot/vmlinuz-$version"'
}

ensure_runner_user() {
  if getent passwd "$runner_user" >/dev/null 2>&1; then
    say "ok: user $runner_user exists"
  else
    act useradd --system --create-home --shell /bin/bash "$runner_user"
  fi
}

# The labels GitHub always gives a Linux x64 self-hosted runner; config.sh takes the others.
custom_labels() {
  local out=() label all=()
  IFS=',' read -r -a all <<<"$runner_labels"
  for label in "${all[@]}"; do
    label="${label// /}"
    case "${label,,}" in
      "" | self-hosted | linux | x64) ;;
      *) out+=("$label") ;;
    esac
  done
  local IFS=,
  echo "${out[*]}"
}

# The runner's .env (read by the runner when it starts, handed to every job) declares the labels it
# was registered with beyond GitHub's own: preflight's runner gate reads PVE_KUBE_RUNNER_LABELS and
# refuses runner-labels that lack them, so the privileged jobs land on this runner only. The other
# lines of .env (config.sh writes LANG, PATH-like settings) stay. Succeeds when it changed the file.
declare_runner_labels() {
  local env_file="$runner_dir/.env" line others=""
  line="PVE_KUBE_RUNNER_LABELS=$(custom_labels)"
  if [ -f "$env_file" ]; then
    if grep -qxF -- "$line" "$env_file" && [ "$(grep -c '^PVE_KUBE_RUNNER_LABELS=' "$env_file")" -eq 1 ]; then
      say "ok: $env_file declares $line"
      return 1
    fi
    others="$(grep -v '^PVE_KUBE_RUNNER_LABELS=' "$env_file" || true)"
  fi
  write_file "$env_file" 0644 "${others:+$others
}$line"
  act chown "$runner_user:" "$env_file"
}

install_runner() {
  ensure_runner_user
  prepare_guestfs
  if [ -x "$runner_dir/bin/Runner.Listener" ]; then
    say "ok: Actions runner present in $runner_dir (it updates itself; pinned $runner_version)"
  else
    local archive="$tmp/actions-runner-linux-x64-$runner_version.tar.gz"
    download "https://github.com/actions/runner/releases/download/v$runner_version/actions-runner-linux-x64-$runner_version.tar.gz" \
      "$archive" "$runner_sha"
    act mkdir -p "$runner_dir"
    act tar -xzf "$archive" -C "$runner_dir"
    act chown -R "$runner_user:" "$runner_dir"
    act "$runner_dir/bin/installdependencies.sh"
  fi

  if [ -f "$runner_dir/.runner" ]; then
    say "ok: runner already registered ($runner_dir/.runner); to re-register: sudo -u $runner_user $runner_dir/config.sh remove"
  else
    local labels ephemeral_flag=""
    labels="$(custom_labels)"
    if $ephemeral; then
      ephemeral_flag="--ephemeral"
      say "ephemeral: the runner takes one job and is then removed by GitHub; register the next one with a fresh token (or a just-in-time config) per job"
    else
      say "note: a persistent runner keeps what one job leaves for the next (tool cache, home directory); --ephemeral avoids that"
    fi
    say "register runner '$runner_name' with labels self-hosted,linux,x64${labels:+,$labels}"
    if [ -z "$runner_url" ] || [ -z "$runner_token" ]; then
      $dry_run || fail "registration needs --url and a token (RUNNER_TOKEN or --token-file): GitHub → Settings → Actions → Runners → New self-hosted runner shows both"
      say "note: a real run needs --url and RUNNER_TOKEN (or --token-file)"
    fi
    act_with_token sudo -u "$runner_user" --preserve-env=ACTIONS_RUNNER_INPUT_TOKEN -- \
      "$runner_dir/config.sh" --unattended --replace \
      --url "${runner_url:-<--url>}" --name "$runner_name" --work _work ${labels:+--labels "$labels"} \
      ${ephemeral_flag:+"$ephemeral_flag"}
  fi

  local labels_changed=false
  if declare_runner_labels; then labels_changed=true; fi
  if [ -f "$runner_dir/.service" ]; then
    say "ok: service $(cat "$runner_dir/.service") installed"
    # the runner reads .env when it starts
    if $labels_changed; then act env -C "$runner_dir" ./svc.sh stop; fi
  else
    act env -C "$runner_dir" ./svc.sh install "$runner_user"
  fi
  act env -C "$runner_dir" ./svc.sh start
}

main() {
  parse_args "$@"
  check_host
  read_pins
  runner_token="${RUNNER_TOKEN:-}"
  if [ -n "$runner_token_file" ]; then
    [ -r "$runner_token_file" ] || fail "cannot read token file $runner_token_file"
    runner_token="$(tr -d '[:space:]' <"$runner_token_file")"
  fi
  if $dry_run; then
    tmp="${TMPDIR:-/tmp}/pve-kube-runner-setup.XXXXXX"
  else
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
  fi
  $dry_run && say "dry run: nothing below is executed"
  install_packages
  install_node
  install_tools
  if $skip_runner; then
    say "skipping the Actions runner (--skip-runner)"
  else
    install_runner
  fi
  say "done"
}

# Sourcing the file (tests do) defines the functions without running anything.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
