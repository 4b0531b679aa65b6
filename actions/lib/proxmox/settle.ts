import type { ProxmoxClient } from "./client.js";
import { isLockTimeout, isVmLocked, ProxmoxApiError, ProxmoxUnreachableError } from "./errors.js";
import { backoffDelay } from "./retry.js";
import { waitForTask, type WaitForTaskOptions } from "./tasks.js";

/** One change, made safe by looking before (and after) acting. */
export interface SettleStep {
  /** for messages: "import the disk of VM 9001" */
  what: string;
  /** true when the desired state is already there */
  isDone: () => Promise<boolean>;
  /** sends the change once; may return a UPID to wait for */
  send: () => Promise<unknown>;
  /** attempts in total (default 4) */
  attempts?: number;
  wait?: WaitForTaskOptions;
}

/**
 * A write whose outcome can be unknown (connection lost, 596, a busy lock) is never simply sent
 * again: before every attempt the current state is read, and only if the change is not there
 * yet is it sent. Returns "already" when nothing had to be done.
 */
export async function settle(client: ProxmoxClient, step: SettleStep): Promise<"already" | "done"> {
  const attempts = step.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    if (await step.isDone()) return attempt === 1 ? "already" : "done";
    try {
      const answer = await step.send();
      if (typeof answer === "string" && answer.startsWith("UPID:"))
        await waitForTask(client, answer, step.wait);
      if (await step.isDone()) return "done";
      throw new Error(`${step.what}: Proxmox reported success, but the change is not visible`);
    } catch (error) {
      if (attempt >= attempts || !worthAnotherLook(error)) throw error;
      const delay = backoffDelay(attempt - 1, client.retry);
      client.logger.info(
        `${step.what}: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}; looking again in ${delay} ms (attempt ${attempt + 1} of ${attempts})`,
      );
      await client.clock.sleep(delay);
    }
  }
}

/** Failures after which the state is unknown or the obstacle is temporary. */
export function worthAnotherLook(error: unknown): boolean {
  if (error instanceof ProxmoxUnreachableError) return error.transient;
  if (isLockTimeout(error) || isVmLocked(error)) return true;
  return error instanceof ProxmoxApiError && error.status >= 500 && error.status !== 501;
}
