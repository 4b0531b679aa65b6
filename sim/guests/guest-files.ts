import {
  existsSync,
  lstatSync,
  mkdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import type { NoCloudSeed } from "./cloud-init.js";

/** Where the guest sees the agent's channel: pve-sim's stand-in for QEMU's virtio-serial port. */
export const AGENT_CHANNEL_DIR = "/run/pve-sim-agent";
export const AGENT_SOCKET = "qga.sock";
/** NoCloud's local seed directory: cloud-init reads it as it would read a cidata drive. */
export const SEED_DIR = "/var/lib/cloud/seed/nocloud";

const AGENT_UNIT = `[Unit]
Description=QEMU guest agent on pve-sim's agent channel
ConditionPathIsDirectory=${AGENT_CHANNEL_DIR}
After=local-fs.target

[Service]
ExecStart=/usr/sbin/qemu-ga --method=unix-listen --path=${AGENT_CHANNEL_DIR}/${AGENT_SOCKET}
Restart=always
RestartSec=1

[Install]
WantedBy=multi-user.target
`;

/** Bounded guest shutdown: a guest with busy services must not take systemd's default 90 s. */
const STOP_TIMEOUT = `[Manager]
DefaultTimeoutStopSec=10s
`;

/**
 * Boot waits for IPv4 only: networkd-wait-online otherwise waits ~13 s for IPv6 link-local
 * autoconfiguration on host0, holding back cloud-init's network stage and sshd.
 */
const WAIT_ONLINE = `[Service]
ExecStart=
ExecStart=/lib/systemd/systemd-networkd-wait-online --any --ipv4 --timeout=30
`;

/**
 * The lab's networks are IPv4: without IPv6 link-local addressing and router advertisements,
 * networkd calls host0 configured as soon as its static address is set. With them, wait-online
 * (and cloud-init's network stage, sshd and the agent behind it) waited ~14 s per boot. A drop-in
 * for the file cloud-init renders from the seed's network-config (`10-cloud-init-host0.network`).
 */
const HOST0_IPV4_ONLY = `[Network]
LinkLocalAddressing=no
IPv6AcceptRA=no
`;

/**
 * net0's MAC from the VM config on host0, as QEMU gives the NIC the configured address (nspawn
 * makes up its own for the veth it creates; bpg and Proxmox's GUI match the agent's interfaces
 * by MAC).
 */
const hostMac = (mac: string) => `[Link]
MACAddress=${mac}
`;

function write(root: string, path: string, text: string): void {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/**
 * What pve-sim's "hardware" adds to a guest's writable layer before it boots: the unit that
 * starts the image's own qemu-ga on the agent channel (Debian's unit waits for a virtio port
 * nspawn has no such thing as), and a bounded stop timeout. Nothing else of the image changes.
 */
export function installGuestFiles(root: string, net0Mac?: string): void {
  write(root, "etc/systemd/system/pve-sim-agent.service", AGENT_UNIT);
  const wants = join(root, "etc/systemd/system/multi-user.target.wants/pve-sim-agent.service");
  mkdirSync(dirname(wants), { recursive: true });
  if (!existsSync(wants)) {
    try {
      if (lstatSync(wants)) unlinkSync(wants); // a dangling link
    } catch {
      // not there at all
    }
    symlinkSync("../pve-sim-agent.service", wants);
  }
  write(root, "etc/systemd/system.conf.d/90-pve-sim-stop-timeout.conf", STOP_TIMEOUT);
  write(
    root,
    "etc/systemd/system/systemd-networkd-wait-online.service.d/90-pve-sim-ipv4.conf",
    WAIT_ONLINE,
  );
  const dropIns = "etc/systemd/network/10-cloud-init-host0.network.d";
  write(root, `${dropIns}/90-pve-sim.conf`, HOST0_IPV4_ONLY);
  if (net0Mac) write(root, `${dropIns}/91-pve-sim-mac.conf`, hostMac(net0Mac));
  else rmSync(join(root, dropIns, "91-pve-sim-mac.conf"), { force: true });
}

/** Writes the seed files into the host directory that is bind-mounted at SEED_DIR. */
export function writeSeed(dir: string, seed: NoCloudSeed): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(seed) as [string, string][])
    // user-data may hold a password: owner-only
    writeFileSync(join(dir, name), text, { mode: 0o600 });
}
