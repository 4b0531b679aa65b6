import { spawn, type SpawnOptions, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { run, tryRun } from "./exec.js";

/** The lab network namespace's name for an instance: parallel pve-sims never share one. */
export function netnsName(instanceId: string): string {
  return `pvesim-${instanceId}`;
}

/** `/run/netns/<name>`: what `ip netns add` binds, and what `nsenter --net=` takes. */
export function netnsPath(name: string): string {
  return `/run/netns/${name}`;
}

/**
 * The lab network namespace: loopback up, one Linux bridge per Proxmox bridge a guest uses, the
 * gateway address of each guest network on its bridge. It has no interface that leads out of it,
 * so no lab address is routable from the host's namespace, and nothing in it reaches the host's.
 */
export class LabNetwork {
  private readonly bridges = new Set<string>();
  private readonly addresses = new Set<string>();

  constructor(readonly name: string) {}

  static async create(name: string): Promise<LabNetwork> {
    if (!existsSync(netnsPath(name))) await run("ip", ["netns", "add", name]);
    await run("ip", ["-n", name, "link", "set", "lo", "up"]);
    return new LabNetwork(name);
  }

  /**
   * The bridge `vmbr0`, made once. Without VLAN filtering: this kernel refuses `vlan_filtering 1`
   * (RTNETLINK "Operation not supported"), so NIC `tag=`s are not applied — one L2 per bridge.
   */
  async bridge(bridge: string): Promise<void> {
    if (this.bridges.has(bridge)) return;
    if (!/^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/.test(bridge))
      throw new Error(`bridge name '${bridge}' is not a Linux interface name`);
    const exists = await tryRun("ip", ["-n", this.name, "link", "show", bridge]);
    if (exists !== undefined)
      await run("ip", ["-n", this.name, "link", "add", bridge, "type", "bridge"]);
    await run("ip", ["-n", this.name, "link", "set", bridge, "up"]);
    this.bridges.add(bridge);
  }

  /** The gateway a guest names (`gw=10.0.20.1` of `ip=10.0.20.11/24`) as `10.0.20.1/24` on its bridge. */
  async gateway(bridge: string, cidr: string): Promise<void> {
    const key = `${bridge} ${cidr}`;
    if (this.addresses.has(key)) return;
    await this.bridge(bridge);
    const shown = await run("ip", ["-n", this.name, "-o", "addr", "show", "dev", bridge]);
    if (!shown.includes(` ${cidr} `))
      await run("ip", ["-n", this.name, "addr", "add", cidr, "dev", bridge]);
    this.addresses.add(key);
  }

  /**
   * A veth pair for one guest NIC: `host` stays in the lab namespace on the bridge, `guest`
   * carries the NIC's MAC and is handed to nspawn.
   */
  async veth(
    host: string,
    guest: string,
    mac: string,
    bridge: string,
    tag: number | undefined,
  ): Promise<void> {
    await this.bridge(bridge);
    await tryRun("ip", ["-n", this.name, "link", "del", host]);
    await run("ip", [
      "-n",
      this.name,
      "link",
      "add",
      host,
      "type",
      "veth",
      "peer",
      "name",
      guest,
      "address",
      mac,
    ]);
    await run("ip", ["-n", this.name, "link", "set", host, "master", bridge, "up"]);
    void tag; // see bridge(): no VLAN filtering on this kernel
  }

  /** Removes a guest's veth (its peer goes with it); gone already is fine. */
  async removeVeth(host: string): Promise<void> {
    await tryRun("ip", ["-n", this.name, "link", "del", host]);
  }

  /** Runs a program inside the namespace (ssh, kubectl, ansible-playbook, nspawn itself). */
  spawn(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    return spawn("ip", ["netns", "exec", this.name, command, ...args], options);
  }

  /** argv that runs `command` inside the namespace, for callers that spawn it themselves. */
  execArgv(command: string[]): string[] {
    return ["ip", "netns", "exec", this.name, ...command];
  }

  async remove(): Promise<void> {
    await removeNetns(this.name);
  }
}

/**
 * The protocol number (iproute2 `proto`) that marks a lab guard route in the host's namespace; the
 * lab command (`npm run lab`) marks its own with the same number, so either removes the other's.
 */
export const LAB_GUARD_ROUTE_PROTO = "210";

/** `10.0.20.1/24` → `10.0.20.0/24`: the network a gateway address sits in. */
export function networkOf(cidr: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const bits = Number(m[5]);
  const address = m.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const network = (address & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (network >>> s) & 255).join(".")}/${bits}`;
}

/**
 * A `throw` route for a guest network in the HOST's namespace. The host has no lab address and no
 * lab route, so without it a packet for a guest address sent from the host (an ssh typed outside
 * the lab namespace, a test probing that guests are unreachable) would follow the default route
 * out of the machine. With it the kernel answers ENETUNREACH and sends nothing. Refuses a network
 * the host really routes.
 */
export async function guardHostRoute(network: string): Promise<void> {
  if ((await hostGuardFor(network)) === "absent")
    await run("ip", ["-4", "route", "replace", "throw", network, "proto", LAB_GUARD_ROUTE_PROTO]);
}

/**
 * Whether the host already guards `network` with a `throw` route (another pve-sim instance's, or
 * the lab command's: `npm run lab` guards the same 10.0.20.0/24 its guests use). Refuses a
 * network the host really routes.
 */
export async function hostGuardFor(network: string): Promise<"absent" | "guarded"> {
  const shown = (
    await run("ip", ["-4", "-o", "route", "show", "table", "main", "exact", network])
  ).trim();
  if (shown && !/^throw /.test(shown))
    throw new Error(
      `guest network ${network} is routed by this host (${shown}): pick a range the host does not use`,
    );
  return shown ? "guarded" : "absent";
}

/** Removes a guard route; gone already (or removed by the lab command) is fine. */
export async function removeHostGuardRoute(network: string): Promise<void> {
  await tryRun("ip", ["-4", "route", "del", "throw", network, "proto", LAB_GUARD_ROUTE_PROTO]);
}

/** Deletes a lab namespace; its bridges and veths go with it. */
export async function removeNetns(name: string): Promise<string | undefined> {
  if (!existsSync(netnsPath(name))) return undefined;
  return tryRun("ip", ["netns", "del", name]);
}
