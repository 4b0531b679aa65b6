import type { ConfigProblem } from "./issues.js";
import {
  contains,
  formatCidr,
  formatIp,
  hasHostBits,
  hostRange,
  overlaps,
  parseCidr,
  parseIp,
  parseIpRange,
  type Cidr,
} from "./ipv4.js";
import type { ClusterConfig } from "./schema.js";

/** Cross-field rules of the network: CIDRs, gateway, VIP, load-balancer range, static addresses. */
export function networkProblems(config: ClusterConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const net = config.network;
  const k8s = config.kubernetes;
  const cidrs: { path: string[]; text: string; cidr?: Cidr }[] = [
    { path: ["network", "cidr"], text: net.cidr },
    { path: ["kubernetes", "podCidr"], text: k8s.podCidr },
    { path: ["kubernetes", "serviceCidr"], text: k8s.serviceCidr },
  ].map((c) => ({ ...c, cidr: parseCidr(c.text) }));

  for (const c of cidrs) {
    if (c.cidr && hasHostBits(c.text)) {
      problems.push({
        path: c.path,
        message: `${c.text} has host bits set`,
        fix: `write the network address: ${formatCidr(c.cidr)}`,
      });
    }
  }
  for (let i = 0; i < cidrs.length; i++) {
    for (let j = i + 1; j < cidrs.length; j++) {
      const a = cidrs[i];
      const b = cidrs[j];
      if (a?.cidr && b?.cidr && overlaps(a.cidr, b.cidr)) {
        problems.push({
          path: b.path,
          message: `${b.text} overlaps ${a.path.join(".")} (${a.text})`,
          fix: "choose non-overlapping ranges for the node, pod and service networks",
        });
      }
    }
  }
  const service = cidrs[2]?.cidr;
  if (service && service.prefix < 12) {
    problems.push({
      path: ["kubernetes", "serviceCidr"],
      message: `a /${service.prefix} service network is larger than Kubernetes allows`,
      fix: "use a prefix of /12 or longer, e.g. 10.96.0.0/12",
    });
  }
  const pod = cidrs[1]?.cidr;
  const nodeCount = config.controlPlane.count + config.workerPools.reduce((n, p) => n + p.count, 0);
  if (pod && (pod.prefix > 24 || 2 ** (24 - pod.prefix) < nodeCount)) {
    problems.push({
      path: ["kubernetes", "podCidr"],
      message: `${k8s.podCidr} leaves too few /24 node blocks for ${nodeCount} nodes`,
      fix: "use a larger pod network such as 10.244.0.0/16",
    });
  }

  const node = cidrs[0]?.cidr;
  if (!node) return problems;
  const hosts = hostRange(node);
  const inHosts = (ip: number) => ip >= hosts.first && ip <= hosts.last;
  const gateway = parseIp(net.gateway);
  const vip = parseIp(net.controlPlaneVip);
  const outside = (path: string[], text: string) => ({
    path,
    message: `${text} is outside the node network ${net.cidr} (or is its network/broadcast address)`,
    fix: `use a host address between ${formatIp(hosts.first)} and ${formatIp(hosts.last)}`,
  });
  if (gateway !== undefined && !inHosts(gateway))
    problems.push(outside(["network", "gateway"], net.gateway));
  if (vip !== undefined && !inHosts(vip))
    problems.push(outside(["network", "controlPlaneVip"], net.controlPlaneVip));
  if (vip !== undefined && vip === gateway) {
    problems.push({
      path: ["network", "controlPlaneVip"],
      message: `the VIP ${net.controlPlaneVip} is the gateway address`,
      fix: "pick a free address for the Kubernetes API VIP",
    });
  }
  const start = parseIp(net.addresses.start);
  if (start !== undefined && !inHosts(start))
    problems.push(outside(["network", "addresses", "start"], net.addresses.start));

  const lb = net.loadBalancerRange ? parseIpRange(net.loadBalancerRange) : undefined;
  if (lb && net.loadBalancerRange) {
    const path = ["network", "loadBalancerRange"];
    if (lb.start > lb.end)
      problems.push({
        path,
        message: `the range ${net.loadBalancerRange} ends before it starts`,
        fix: "write the lower address first",
      });
    else if (!inHosts(lb.start) || !inHosts(lb.end))
      problems.push(outside(path, net.loadBalancerRange));
    for (const [name, ip] of [
      ["gateway", gateway],
      ["controlPlaneVip", vip],
    ] as const) {
      if (ip !== undefined && ip >= lb.start && ip <= lb.end) {
        problems.push({
          path,
          message: `the range ${net.loadBalancerRange} contains network.${name} (${formatIp(ip)})`,
          fix: `move the range or network.${name} so they do not collide`,
        });
      }
    }
  }

  const seen = new Map<number, string>();
  for (const [vm, ipText] of Object.entries(net.addresses.overrides)) {
    const path = ["network", "addresses", "overrides", vm];
    const ip = parseIp(ipText);
    if (ip === undefined) continue;
    if (!contains(node, ip) || !inHosts(ip)) problems.push(outside(path, ipText));
    if (ip === gateway || ip === vip)
      problems.push({
        path,
        message: `${ipText} is already the ${ip === gateway ? "gateway" : "control-plane VIP"}`,
        fix: "give the VM another address",
      });
    if (lb && ip >= lb.start && ip <= lb.end)
      problems.push({
        path,
        message: `${ipText} lies in the load-balancer range`,
        fix: "give the VM an address outside network.loadBalancerRange",
      });
    const other = seen.get(ip);
    if (other)
      problems.push({
        path,
        message: `${ipText} is also given to ${other}`,
        fix: "give every VM its own address",
      });
    seen.set(ip, vm);
  }
  return problems;
}
