import proxmoxApi, { type ProxmoxEngineOptions } from "proxmox-api";
import { Agent, fetch as undiciFetch } from "undici";
import type { PveSim } from "../sim/index.js";

/**
 * The real `proxmox-api` package pointed at pve-sim, trusting exactly the simulator's certificate
 * (as a CA) — never by switching TLS verification off.
 */
export function proxmoxApiFor(sim: PveSim, token = sim.rootToken) {
  const dispatcher = new Agent({ connect: { ca: sim.certPem } });
  const fetch = (url: string, init: Record<string, unknown>) =>
    undiciFetch(url, { ...init, dispatcher });
  // proxmox-api types its fetch seam loosely; undici's fetch is what it calls at runtime
  return proxmoxApi({
    host: sim.host,
    port: sim.port,
    tokenID: token.id,
    tokenSecret: token.secret,
    fetch: fetch as unknown as NonNullable<ProxmoxEngineOptions["fetch"]>,
  });
}

/** Polls a task until it stops; returns its final status. */
export async function waitTask(
  sim: PveSim,
  node: string,
  upid: string,
): Promise<{ exitstatus?: string; status: string }> {
  const api = proxmoxApiFor(sim);
  for (let i = 0; i < 2000; i++) {
    const status = (await api.nodes.$(node).tasks.$(upid).status.$get()) as {
      status: string;
      exitstatus?: string;
    };
    if (status.status === "stopped") return status;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`task ${upid} did not stop`);
}
