import { TASK_DURATIONS_MS, type TaskSpec } from "../core.js";
import type { RouteContext } from "../api/route.js";
import type { SimVm } from "../model/types.js";

/** What a VM task needs beyond its VM and type; the duration defaults to the realistic one of its type. */
export type VmTaskSpec = Omit<TaskSpec, "node" | "type" | "id" | "who" | "durationMs"> & {
  durationMs?: number | undefined;
};

const FALLBACK_DURATION_MS = 1000;

/**
 * Starts a worker task on a VM the way qemu-server does: the UPID names the VM's node, the task
 * type and the VMID, and the caller is the task's user. Returns the UPID.
 */
export function startVmTask(
  ctx: RouteContext,
  vm: Pick<SimVm, "node" | "vmid">,
  type: string,
  spec: VmTaskSpec,
): string {
  const { durationMs, ...rest } = spec;
  return ctx.core.startTask({
    ...rest,
    node: vm.node,
    type,
    id: String(vm.vmid),
    who: ctx.who,
    durationMs: durationMs ?? TASK_DURATIONS_MS[type] ?? FALLBACK_DURATION_MS,
  });
}
