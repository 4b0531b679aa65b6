import { ConfigurationError } from "../errors.js";
import type { ProxmoxClient } from "./client.js";

/**
 * What pve-sim reports as `repoid` in `GET /version`. A real Proxmox VE reports the git commit of
 * its pve-manager build there — hexadecimal digits only — so no real node can ever report this
 * value, whatever its address, certificate or configuration; a loopback-plus-pin rule could be
 * tripped by a runner on a Proxmox host that reaches its own API over 127.0.0.1.
 */
export const SIMULATOR_REPOID = "pve-sim";

/**
 * Steps that only pretend (simulate-customize uploads a placeholder instead of a customised
 * image) are allowed against pve-sim only: a real Proxmox would get templates whose disk boots
 * nothing.
 */
export async function assertSimulatorForSimulatedSteps(
  client: ProxmoxClient,
  what: string,
): Promise<void> {
  const raw = (await client.api.version.$get()) as { version?: unknown; repoid?: unknown };
  if (raw.repoid === SIMULATOR_REPOID) return;
  throw new ConfigurationError(
    `${what} is set, but ${client.endpoint.url} is a real Proxmox VE (version ${String(raw.version)}, repoid ${String(raw.repoid)})`,
    `unset ${what}: it exists for the embedded demo on pve-sim only`,
  );
}
