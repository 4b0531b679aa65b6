import type { ProxmoxClient } from "./client.js";
import { isLockTimeout, isNotFound, ProxmoxApiError, ProxmoxUnreachableError } from "./errors.js";
import type { KeyedLimiter } from "./limiter.js";
import { backoffDelay } from "./retry.js";
import { expectUpid, waitForTask, type WaitForTaskOptions } from "./tasks.js";
import { findVm, vmConfig, waitForUnlock } from "./vms.js";

export interface CloneRequest {
  node: string;
  sourceVmid: number;
  newid: number;
  name: string;
  /** target storage of a full clone; also the limiter key (defaults to the source's storage) */
  storage?: string;
  full?: boolean;
  target?: string;
  pool?: string;
  description?: string;
}

export interface CloneOptions {
  limiter: KeyedLimiter;
  /** attempts in total when Proxmox reports `can't lock file … got timeout` */
  lockAttempts?: number;
  wait?: WaitForTaskOptions;
}

export interface CloneResult {
  vmid: number;
  /** false when the VM was already there (a re-run after an interrupted clone) */
  cloned: boolean;
  attempts: number;
}

/** A clone that ended in a half state we can prove is not ours to overwrite. */
export class CloneConflictError extends Error {
  override name = "CloneConflictError";
}

/**
 * Clones a VM (usually a template), limited per (node, storage) and retried when Proxmox's
 * storage or config lock times out. Safe to repeat: it looks at the target VMID first, and a
 * clone whose outcome is unknown (connection lost mid-request) is resolved by looking again, not
 * by sending the request twice.
 */
export async function cloneVm(
  client: ProxmoxClient,
  request: CloneRequest,
  options: CloneOptions,
): Promise<CloneResult> {
  const key = `${request.node}/${request.storage ?? "source-storage"}`;
  const attemptsAllowed = options.lockAttempts ?? 5;
  return options.limiter.run(key, async () => {
    for (let attempt = 1; ; attempt++) {
      // cluster-wide: with `target` the clone lives on another node
      const holder = await findVm(client, request.newid);
      const existing = holder ? await vmConfig(client, holder.node, request.newid) : undefined;
      if (holder && existing) {
        if (existing.name !== request.name) {
          throw new CloneConflictError(
            `VMID ${request.newid} on ${holder.node} is already used by '${typeof existing.name === "string" ? existing.name : "(no name)"}', not '${request.name}'`,
          );
        }
        await waitForUnlock(client, holder.node, request.newid);
        if (await vmConfig(client, holder.node, request.newid))
          return { vmid: request.newid, cloned: attempt > 1, attempts: attempt };
        // the clone task failed and Proxmox removed the half clone: fall through and clone again
      }
      try {
        const upid = expectUpid(
          await client.api.nodes
            .$(request.node)
            .qemu.$(request.sourceVmid)
            .clone.$post({
              newid: request.newid,
              name: request.name,
              ...(request.full !== undefined ? { full: request.full } : {}),
              ...(request.storage && request.full ? { storage: request.storage } : {}),
              ...(request.target ? { target: request.target } : {}),
              ...(request.pool ? { pool: request.pool } : {}),
              ...(request.description ? { description: request.description } : {}),
            }),
          `clone of ${request.sourceVmid}`,
        );
        await waitForTask(client, upid, options.wait);
        return { vmid: request.newid, cloned: true, attempts: attempt };
      } catch (error) {
        const retryable = isLockTimeout(error) || unknownOutcome(error);
        if (!retryable || attempt >= attemptsAllowed) throw error;
        const delay = backoffDelay(attempt - 1, client.retry);
        client.logger.info(
          `clone ${request.sourceVmid} → ${request.newid} on ${request.node}: ${firstLine(error)}; trying again in ${delay} ms (attempt ${attempt + 1} of ${attemptsAllowed})`,
        );
        await client.clock.sleep(delay);
      }
    }
  });
}

/** The request may or may not have reached Proxmox: look before trying again. */
function unknownOutcome(error: unknown): boolean {
  if (error instanceof ProxmoxUnreachableError) return error.transient;
  return error instanceof ProxmoxApiError && error.status >= 502 && !isNotFound(error);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
