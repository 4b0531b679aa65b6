import { createHash } from "node:crypto";

/** The three files of a NoCloud seed, as Proxmox writes them onto a VM's cloud-init drive. */
export interface NoCloudSeed {
  "meta-data": string;
  "user-data": string;
  "network-config": string;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

function prefixToNetmask(prefix: number): string {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join(".");
}

function propertyString(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (value ?? "").split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

/** `virtio=BC:24:11:47:9C:B8,bridge=vmbr0` → the MAC, lower-case as cloud-init compares it. */
export function macOf(net: string | undefined): string | undefined {
  return /^[a-z0-9]+=([0-9A-Fa-f:]{17})/.exec(net ?? "")?.[1]?.toLowerCase();
}

/** `sshkeys` as stored (encodeURIComponent of the keys joined by newlines) → one key per entry. */
export function decodeSshKeys(value: string | undefined): string[] {
  if (!value) return [];
  return decodeURIComponent(value)
    .split("\n")
    .map((k) => k.trim())
    .filter((k) => k !== "");
}

function userData(config: Record<string, string>, vmid: number): string {
  const hostname = config.name ?? `VM${vmid}`;
  const lines = ["#cloud-config", `hostname: ${hostname}`, "manage_etc_hosts: true"];
  if (config.searchdomain) lines.push(`fqdn: ${hostname}.${config.searchdomain.split(" ")[0]}`);
  if (config.ciuser) lines.push(`user: ${quote(config.ciuser)}`);
  if (config.cipassword) lines.push(`password: ${quote(config.cipassword)}`);
  const keys = decodeSshKeys(config.sshkeys);
  if (keys.length > 0) {
    lines.push("ssh_authorized_keys:");
    for (const key of keys) lines.push(`  - ${key}`);
  }
  lines.push("chpasswd:", "  expire: False", "users:", "  - default");
  if ((config.ciupgrade ?? "1") === "1") lines.push("package_upgrade: true");
  return `${lines.join("\n")}\n`;
}

/**
 * How the guest's NICs appear: on a VM, `ethN` with the config's MAC (what Proxmox writes); an
 * nspawn guest has one NIC, `host0`, whose MAC nspawn chooses, so it is matched by name.
 */
export type NicNaming = "proxmox" | "nspawn-host0";

function networkConfig(config: Record<string, string>, naming: NicNaming): string {
  const lines = ["version: 1", "config:"];
  const nets = Object.keys(config)
    .filter((k) => /^net\d+$/.test(k))
    .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  for (const key of nets) {
    const index = key.slice(3);
    const mac = macOf(config[key]);
    if (!mac) continue;
    if (naming === "nspawn-host0") {
      if (index !== "0") continue;
      lines.push("    - type: physical", "      name: host0");
    } else
      lines.push(
        "    - type: physical",
        `      name: eth${index}`,
        `      mac_address: ${quote(mac)}`,
      );
    const ip = propertyString(config[`ipconfig${index}`]);
    const subnets: string[] = [];
    if (ip.ip === "dhcp") subnets.push("      - type: dhcp4");
    else if (ip.ip) {
      const [address = "", prefix = "32"] = ip.ip.split("/");
      subnets.push(
        "      - type: static",
        `        address: ${quote(address)}`,
        `        netmask: ${quote(prefixToNetmask(Number(prefix)))}`,
      );
      if (ip.gw) subnets.push(`        gateway: ${quote(ip.gw)}`);
    }
    if (ip.ip6 === "dhcp") subnets.push("      - type: dhcp6");
    else if (ip.ip6 === "auto") subnets.push("      - type: ipv6_slaac");
    else if (ip.ip6) {
      subnets.push("      - type: static6", `        address: ${quote(ip.ip6)}`);
      if (ip.gw6) subnets.push(`        gateway: ${quote(ip.gw6)}`);
    }
    if (subnets.length > 0) lines.push("      subnets:", ...subnets);
  }
  const nameservers = (config.nameserver ?? "").split(/[ ,;]+/).filter(Boolean);
  const search = (config.searchdomain ?? "").split(/[ ,;]+/).filter(Boolean);
  if (nameservers.length > 0 || search.length > 0) {
    lines.push("    - type: nameserver");
    if (nameservers.length > 0)
      lines.push("      address:", ...nameservers.map((n) => `      - ${quote(n)}`));
    if (search.length > 0) lines.push("      search:", ...search.map((s) => `      - ${quote(s)}`));
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The NoCloud seed Proxmox generates from a VM's config at start (qemu-server's
 * PVE::QemuServer::Cloudinit, format `nocloud`). The instance-id is a hash of the user and network
 * data, so any change Proxmox would regenerate the drive for gives the guest a new instance and
 * cloud-init applies it again at the next boot.
 */
export function noCloudSeed(
  config: Record<string, string>,
  vmid: number,
  naming: NicNaming = "proxmox",
): NoCloudSeed {
  const user = userData(config, vmid);
  const network = networkConfig(config, naming);
  const instanceId = createHash("sha1")
    .update(user + network)
    .digest("hex");
  return {
    "meta-data": `instance-id: ${instanceId}\n`,
    "user-data": user,
    "network-config": network,
  };
}

/** The gateways a VM's ipconfigN name, with the bridge of the matching netN: `[bridge, gw/prefix]`. */
export function gatewaysOf(config: Record<string, string>): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(config)) {
    const m = /^ipconfig(\d+)$/.exec(key);
    if (!m) continue;
    const ip = propertyString(value);
    const bridge = propertyString(config[`net${m[1]}`]).bridge;
    const prefix = ip.ip?.split("/")[1];
    if (bridge && ip.gw && prefix) out.push([bridge, `${ip.gw}/${prefix}`]);
  }
  return out;
}
