import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { overlaps, parseCidr } from "../../../actions/lib/config/ipv4.js";
import type { ClusterPlan } from "../../../actions/lib/config/index.js";
import { guardHostRoute, LAB_GUARD_ROUTE_PROTO } from "../../../sim/guests/netns.js";

const run = promisify(execFile);

/**
 * The routing protocol number the lab marks its host routes with (iproute2 `proto`), so that
 * `--down` — also after a killed run — removes exactly the lab's routes and nothing else: the
 * same number pve-sim's guests mark the guard of each guest network with.
 */
export const LAB_ROUTE_PROTO = Number(LAB_GUARD_ROUTE_PROTO);

/**
 * Every range the lab's cluster uses: the node network (it holds the gateway, the VIP, the
 * load-balancer range and every node address), the pod and the service networks.
 */
export function labRanges(plan: Pick<ClusterPlan, "network" | "kubernetes">): string[] {
  return [plan.network.cidr, plan.kubernetes.podCidr, plan.kubernetes.serviceCidr];
}

interface IpRoute {
  dst: string;
  type?: string;
  protocol?: string | number;
  dev?: string;
}

async function hostRoutes(): Promise<IpRoute[]> {
  const { stdout } = await run("ip", ["-j", "-4", "route", "show", "table", "main"]);
  return JSON.parse(stdout || "[]") as IpRoute[];
}

const isLabRoute = (r: IpRoute) =>
  r.type === "throw" && (r.protocol === LAB_ROUTE_PROTO || r.protocol === String(LAB_ROUTE_PROTO));

/**
 * The lab's guard in the host's network namespace: a `throw` route per lab range. Lab addresses
 * live only inside the lab's own namespace; without the guard the host would send a packet for
 * one (say, an `ssh 10.0.20.11` typed outside `lab exec`) to its default gateway, out of the
 * machine. With it the host answers "Network is unreachable" (ENETUNREACH) and sends nothing.
 * Refuses to start when a lab range overlaps a network the host really uses.
 */
export async function guardHostRoutes(ranges: string[]): Promise<void> {
  const routes = await hostRoutes();
  for (const range of ranges) {
    const lab = parseCidr(range);
    if (!lab) throw new Error(`not a CIDR: ${range}`);
    const clash = routes.find((r) => {
      if (r.dst === "default" || isLabRoute(r)) return false;
      const host = parseCidr(r.dst.includes("/") ? r.dst : `${r.dst}/32`);
      return host !== undefined && overlaps(host, lab);
    });
    if (clash)
      throw new ConfigurationError(
        `the lab's network ${range} overlaps the host's route ${clash.dst}${clash.dev ? ` (dev ${clash.dev})` : ""}`,
        "the lab must not shadow a network this machine uses: change the lab profile's ranges in cli/src/lab/profile.ts",
      );
  }
  for (const range of ranges) await guardHostRoute(range);
}

/** Removes the lab's guard routes (all of them, whichever run made them). */
export async function removeHostGuard(): Promise<string[]> {
  const ours = (await hostRoutes()).filter(isLabRoute);
  for (const route of ours)
    await run("ip", ["route", "del", "throw", route.dst, "proto", String(LAB_ROUTE_PROTO)]);
  return ours.map((r) => r.dst);
}
