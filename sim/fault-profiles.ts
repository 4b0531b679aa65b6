import type { FaultOptions } from "./fault-options.js";

/**
 * Named fault profiles: the fault mixes pve-kube measures itself against (bench tofu-faults, the
 * demo's fault test), so that "under the fault profiles" means one thing everywhere. The rates are
 * the "10% 5xx/596 plus lock timeouts": 5% HTTP 500 + 5% HTTP 596 per request and 10% of
 * clone/config/destroy tasks failing on a VM config-lock timeout. Storage-lock contention is not a
 * profile: pve-sim always models it (sim/model/storage-lock.ts), at any time scale above 0.
 */
export const FAULT_PROFILES = {
  /** HTTP faults on every request, reads included: the provider relay has to retry reads too */
  all: { error5xx: 0.05, error596: 0.05, lockTimeout: 0.1, scope: "all" },
  /** HTTP faults on writes only (reads always answer): what fails is what changes Proxmox */
  writes: { error5xx: 0.05, error596: 0.05, lockTimeout: 0.1, scope: "writes" },
} as const satisfies Record<string, FaultOptions>;

export type FaultProfileName = keyof typeof FAULT_PROFILES;

export function isFaultProfileName(name: string): name is FaultProfileName {
  return Object.hasOwn(FAULT_PROFILES, name);
}

/** A profile's fault options (a copy: callers may change it). */
export function faultProfile(name: FaultProfileName): FaultOptions {
  return { ...FAULT_PROFILES[name] };
}

/** One line for logs and reports: `5% HTTP 500 + 5% HTTP 596 on writes, 10% lock timeouts`. */
export function describeFaults(f: FaultOptions): string {
  const pct = (p: number | undefined) => `${Math.round(100 * (p ?? 0))}%`;
  const parts = [
    `${pct(f.error5xx)} HTTP 500 + ${pct(f.error596)} HTTP 596 on ${f.scope === "writes" ? "writes" : "every request"}`,
    `${pct(f.lockTimeout)} lock timeouts`,
  ];
  if (f.drop) parts.push(`${pct(f.drop)} dropped connections`);
  if (f.storageError) parts.push(`${pct(f.storageError)} storage errors`);
  if (f.latencyMs) parts.push(`${f.latencyMs} ms latency`);
  if (f.offlineNodes?.length) parts.push(`offline: ${f.offlineNodes.join(", ")}`);
  return parts.join(", ");
}
