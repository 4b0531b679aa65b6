import net from "node:net";
import os from "node:os";
import type { ClusterPlan } from "../../lib/config/index.js";
import { fail, pass, skipped, type CheckOutcome } from "./outcome.js";

export type NetworkCheckMode = "auto" | "always" | "never";

/** Answers whether something at `ip` responds. */
export type AddressProbe = (ip: string) => Promise<boolean>;

const PROBE_PORTS = [22, 6443, 443];

/**
 * A TCP probe: a completed handshake or a refusal (RST) both prove that a host owns the address;
 * silence (timeout, unreachable) does not. Needs no privileges, unlike ICMP ping.
 */
export function tcpProbe(timeoutMs = 1_500, ports: readonly number[] = PROBE_PORTS): AddressProbe {
  const one = (ip: string, port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: ip, port });
      const finish = (answered: boolean) => {
        socket.destroy();
        resolve(answered);
      };
      socket.setTimeout(timeoutMs, () => finish(false));
      socket.once("connect", () => finish(true));
      socket.once("error", (error: NodeJS.ErrnoException) => finish(error.code === "ECONNREFUSED"));
    });
  return async (ip) => (await Promise.all(ports.map((p) => one(ip, p)))).some(Boolean);
}

function ipToInt(ip: string): number {
  return ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const prefix = Number(bits);
  if (!base || !Number.isInteger(prefix)) return false;
  const size = 2 ** (32 - prefix);
  return Math.floor(ipToInt(ip) / size) === Math.floor(ipToInt(base) / size);
}

/** The runner's own IPv4 addresses. */
export function localAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => Boolean(a && a.family === "IPv4"))
    .map((a) => a.address);
}

/**
 * Addresses of VMs that do not exist yet, and the VIP before any control plane exists, must not
 * answer. Done only where the runner sits on the node network (mode auto) or when asked (always);
 * otherwise the rows say "skipped" and why.
 */
export async function checkAddresses(
  plan: ClusterPlan,
  existing: ReadonlySet<number>,
  mode: NetworkCheckMode,
  probe: AddressProbe = tcpProbe(),
  ownAddresses: () => string[] = localAddresses,
): Promise<CheckOutcome[]> {
  const targets: { ip: string; what: string }[] = plan.vms
    .filter((vm) => !existing.has(vm.vmid))
    .map((vm) => ({ ip: vm.ip, what: vm.name }));
  const anyControlPlane = plan.vms.some(
    (vm) => vm.role === "control-plane" && existing.has(vm.vmid),
  );
  if (!anyControlPlane) targets.push({ ip: plan.network.vip, what: "the control-plane VIP" });
  const name = "IP addresses and VIP unused";
  if (targets.length === 0)
    return [pass(name, "all planned VMs exist already; their addresses are theirs")];
  if (mode === "never") return [skipped(name, "network checks disabled (network-checks: never)")];
  const onLink = ownAddresses().some((ip) => inCidr(ip, plan.network.cidr));
  if (mode === "auto" && !onLink) {
    return [
      skipped(
        name,
        `the runner has no address in ${plan.network.cidr}, so it cannot tell whether ${targets.length} planned addresses are free (set network-checks: always if it can route there)`,
      ),
    ];
  }
  const answers = await Promise.all(
    targets.map(async (t) => ({ ...t, answered: await probe(t.ip) })),
  );
  const taken = answers.filter((a) => a.answered);
  if (taken.length === 0) return [pass(name, `${targets.length} planned addresses do not answer`)];
  return taken.map((t) =>
    fail(
      `address ${t.ip}`,
      `${t.ip} (planned for ${t.what}) already answers on the network`,
      "pick free addresses (network.addresses.start / overrides, network.controlPlaneVip), or find and free the host using it",
    ),
  );
}
