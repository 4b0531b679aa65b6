import type { ProxmoxClient } from "./client.js";
import { ProxmoxApiError, isNotFound } from "./errors.js";
import { expectUpid, waitForTask, type WaitForTaskOptions } from "./tasks.js";

/** A VM as `GET /cluster/resources?type=vm` lists it (the fields we use). */
export interface ClusterVm {
  vmid: number;
  node: string;
  name?: string;
  status?: string;
  template: boolean;
  tags: string[];
  lock?: string;
  maxmem?: number;
  maxcpu?: number;
  maxdisk?: number;
}

/** Proxmox tags come back `;`-joined (older versions also used `,` or spaces). */
export function splitTags(tags: unknown): string[] {
  if (typeof tags !== "string") return [];
  return tags
    .split(/[;, ]+/)
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
}

export function joinTags(tags: readonly string[]): string {
  return [...new Set(tags.map((t) => t.toLowerCase()))].sort().join(";");
}

/** Every VM the token may see (VM.Audit), across the cluster. */
export async function listVms(client: ProxmoxClient): Promise<ClusterVm[]> {
  const rows = (await client.api.cluster.resources.$get({ type: "vm" })) as Record<
    string,
    unknown
  >[];
  return rows
    .filter((r) => r.type === "qemu")
    .map((r) => ({
      vmid: Number(r.vmid),
      node: String(r.node),
      ...(typeof r.name === "string" ? { name: r.name } : {}),
      ...(typeof r.status === "string" ? { status: r.status } : {}),
      template: Number(r.template ?? 0) === 1,
      tags: splitTags(r.tags),
      ...(typeof r.lock === "string" && r.lock ? { lock: r.lock } : {}),
      ...(r.maxmem !== undefined ? { maxmem: Number(r.maxmem) } : {}),
      ...(r.maxcpu !== undefined ? { maxcpu: Number(r.maxcpu) } : {}),
      ...(r.maxdisk !== undefined ? { maxdisk: Number(r.maxdisk) } : {}),
    }));
}

export async function findVm(client: ProxmoxClient, vmid: number): Promise<ClusterVm | undefined> {
  return (await listVms(client)).find((vm) => vm.vmid === vmid);
}

/**
 * Whether a VMID is free cluster-wide, asked the way Proxmox itself decides it
 * (`GET /cluster/nextid?vmid=N`). Unlike the resource list this also sees VMs the token may not
 * audit.
 */
export async function isVmidFree(client: ProxmoxClient, vmid: number): Promise<boolean> {
  try {
    await client.api.cluster.nextid.$get({ vmid });
    return true;
  } catch (error) {
    if (
      error instanceof ProxmoxApiError &&
      error.status === 400 &&
      /already exists|not available|in use/i.test(
        JSON.stringify(error.paramErrors) + error.serverMessage,
      )
    )
      return false;
    throw error;
  }
}

export async function vmConfig(
  client: ProxmoxClient,
  node: string,
  vmid: number,
): Promise<Record<string, unknown> | undefined> {
  try {
    return await client.api.nodes.$(node).qemu.$(vmid).config.$get();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * The config of a VM if this token can see it, undefined if it cannot: the resource list first,
 * because a pool-scoped token may not even read the config of a VMID outside its pool — Proxmox
 * checks VM.Audit on /vms/<id> before it looks whether the VM exists, so a VM that is gone (or
 * was never created) answers 403 there, not "does not exist".
 */
export async function visibleVmConfig(
  client: ProxmoxClient,
  node: string,
  vmid: number,
): Promise<Record<string, unknown> | undefined> {
  if (!(await findVm(client, vmid))) return undefined;
  return vmConfig(client, node, vmid);
}

/** Polls until the VM carries no `lock` (clone, create, …) or is gone. */
export async function waitForUnlock(
  client: ProxmoxClient,
  node: string,
  vmid: number,
  timeoutMs = 30 * 60_000,
  intervalMs = 1_000,
): Promise<void> {
  const deadline = client.clock.now() + timeoutMs;
  for (;;) {
    const config = await vmConfig(client, node, vmid);
    if (!config?.lock) return;
    if (client.clock.now() >= deadline)
      throw new Error(
        `VM ${vmid} on ${node} is still locked (${typeof config.lock === "string" ? config.lock : "locked"}) after ${Math.round(timeoutMs / 1000)} s`,
      );
    await client.clock.sleep(intervalMs);
  }
}

/**
 * Destroys a VM and waits for it to be gone. Check-then-act: a VM that no longer exists counts
 * as destroyed, so a repeated cleanup is harmless. Callers must have proven ownership first.
 */
export async function destroyVm(
  client: ProxmoxClient,
  node: string,
  vmid: number,
  wait: WaitForTaskOptions = {},
): Promise<boolean> {
  if (!(await visibleVmConfig(client, node, vmid))) return false;
  let upid: string;
  try {
    upid = expectUpid(
      await client.api.nodes
        .$(node)
        .qemu.$(vmid)
        .$delete({ purge: true, "destroy-unreferenced-disks": true }),
      `DELETE VM ${vmid}`,
    );
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
  await waitForTask(client, upid, wait);
  return true;
}
