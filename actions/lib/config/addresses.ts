import { contains, formatIp, hostRange, parseCidr, parseIp, parseIpRange } from "./ipv4.js";
import type { ClusterConfig } from "./schema.js";
import type { VmSlot } from "./vm-layout.js";

/** Addresses no VM may take: gateway, VIP, DNS servers, the load-balancer range and fixed overrides. */
export function reservedAddresses(config: ClusterConfig): Set<number> {
  const net = config.network;
  const reserved = new Set<number>();
  for (const ip of [
    net.gateway,
    net.controlPlaneVip,
    ...(net.dns ?? []),
    ...Object.values(net.addresses.overrides),
  ]) {
    const value = parseIp(ip);
    if (value !== undefined) reserved.add(value);
  }
  const lb = net.loadBalancerRange ? parseIpRange(net.loadBalancerRange) : undefined;
  if (lb) for (let ip = lb.start; ip <= lb.end && ip - lb.start < 65_536; ip++) reserved.add(ip);
  return reserved;
}

/**
 * Static addresses per VM name: an override where given, else the next free address from
 * `addresses.start` upwards. Returns the names that found no address (too small a network).
 */
export function allocateAddresses(
  config: ClusterConfig,
  slots: readonly VmSlot[],
): { byName: Map<string, string>; unplaced: string[] } {
  const byName = new Map<string, string>();
  const unplaced: string[] = [];
  const cidr = parseCidr(config.network.cidr);
  const start = parseIp(config.network.addresses.start);
  if (!cidr || start === undefined) return { byName, unplaced: slots.map((s) => s.name) };
  const last = hostRange(cidr).last;
  const reserved = reservedAddresses(config);
  let next = start;
  for (const slot of slots) {
    const override = config.network.addresses.overrides[slot.name];
    if (override) {
      byName.set(slot.name, override);
      continue;
    }
    while (next <= last && reserved.has(next)) next++;
    if (next > last || !contains(cidr, next)) {
      unplaced.push(slot.name);
      continue;
    }
    byName.set(slot.name, formatIp(next));
    next++;
  }
  return { byName, unplaced };
}
