import { bool, node, str, vmid } from "../api/param-types.js";
import { ALL_USERS, check, perm } from "../access/checks.js";
import type { Route, RouteContext } from "../api/route.js";
import { TASK_DURATIONS_MS } from "../core.js";
import { die } from "../http/pve-error.js";
import type { SimVm } from "../model/types.js";
import { vmSummary } from "./qemu-lifecycle.js";
import { startVmTask } from "./vm-task.js";
import { isRealGuest, startGuest } from "./guest-power.js";
import { refuseSkiplockUnlessRoot } from "./skiplock.js";

function agentEnabled(vm: SimVm): boolean {
  const agent = vm.config.agent ?? "0";
  return /^(1|enabled=1|enabled=on|enabled=yes|on|yes)(,|$)/.test(agent);
}

/** A start applies pending changes and schedules when the guest agent starts answering. */
function boot(ctx: RouteContext, vm: SimVm): void {
  for (const [k, v] of Object.entries(vm.pending)) vm.config[k] = v;
  for (const k of vm.pendingDelete) delete vm.config[k];
  vm.pending = {};
  vm.pendingDelete = [];
  vm.status = "running";
  vm.startedAt = Date.now();
  if (agentEnabled(vm))
    vm.agentReadyAt = vm.startedAt + ctx.core.scaled(TASK_DURATIONS_MS.agentReady ?? 20000);
}

/** With guests, a VM with a lab image boots for real; a guest that cannot start fails the task. */
async function bootGuest(ctx: RouteContext, vm: SimVm, log: (line: string) => void): Promise<void> {
  try {
    await startGuest(ctx.core, vm, log);
  } catch (error) {
    halt(vm);
    throw error;
  }
}

/** qm shutdown's default timeout when the call names none. */
const SHUTDOWN_TIMEOUT_S = 60;

function halt(vm: SimVm): void {
  vm.status = "stopped";
  delete vm.startedAt;
  delete vm.agentReadyAt;
}

/**
 * A power call: `precheck` is what qemu-server refuses before forking (a 500), `effect` runs in the
 * worker, where the config lock and the VM's state are checked (the task fails with the message).
 */
const power =
  (
    type: string,
    precheck: (vm: SimVm) => void,
    effect: (ctx: RouteContext, vm: SimVm, log: (line: string) => void) => void | Promise<void>,
  ): Route["handler"] =>
  (ctx) => {
    refuseSkiplockUnlessRoot(ctx);
    const vm = ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid));
    precheck(vm);
    return startVmTask(ctx, vm, type, { run: (log) => effect(ctx, vm, log) });
  };

/** PVE::QemuConfig->check_lock inside the worker; `suspended` does not block a start (it resumes). */
function checkLock(ctx: RouteContext, vm: SimVm, allow: string[] = []): void {
  const lock = vm.config.lock;
  if (lock && ctx.params.skiplock !== "1" && !allow.includes(lock))
    throw new Error(`VM is locked (${lock})`);
}

const POWER = check(perm("/vms/{vmid}", ["VM.PowerMgmt"]));

export const qemuStatusRoutes: Route[] = [
  {
    method: "GET",
    path: "/nodes/{node}/qemu/{vmid}/status/current",
    params: { node, vmid },
    permissions: check(perm("/vms/{vmid}", ["VM.Audit"])),
    handler(ctx) {
      const vm = ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid));
      const summary = vmSummary(vm);
      return {
        ...summary,
        qmpstatus: vm.status,
        ...(vm.status === "running"
          ? {
              pid: ctx.core.guests?.running(vm.vmid)?.pid ?? 10000 + vm.vmid,
              "running-qemu": "9.2.0",
              "running-machine": "pc-q35-9.2+pve1",
            }
          : {}),
        // a real guest's memory is what its cgroup holds now
        ...(isRealGuest(ctx.core, vm.vmid)
          ? { mem: ctx.core.guests?.memoryUsage(vm.vmid) ?? summary.mem }
          : {}),
        ...(agentEnabled(vm) ? { agent: 1 } : {}),
        ha: ctx.core.state.ha.some((h) => h.sid === `vm:${vm.vmid}`)
          ? { managed: 1, state: "started" }
          : { managed: 0 },
      };
    },
  },
  {
    method: "GET",
    path: "/nodes/{node}/qemu/{vmid}/status",
    params: { node, vmid },
    permissions: ALL_USERS,
    handler: (ctx) => (
      ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid)),
      [
        { subdir: "current" },
        { subdir: "start" },
        { subdir: "stop" },
        { subdir: "shutdown" },
        { subdir: "reboot" },
      ]
    ),
  },
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/status/start",
    params: {
      node,
      vmid,
      timeout: { type: "integer", optional: true, minimum: 0, maximum: 86400 },
      skiplock: bool,
      machine: str,
      migratedfrom: str,
      migration_type: str,
      migration_network: str,
      stateuri: str,
      targetstorage: str,
      "force-cpu": str,
      "nets-host-mtu": str,
      "with-conntrack-state": bool,
    },
    proxied: true,
    permissions: POWER,
    // like vm_start: the API answers with a UPID; template, lock and "already running" fail the task
    handler: power(
      "qmstart",
      () => undefined,
      async (ctx, vm, log) => {
        if (vm.config.template === "1") throw new Error("you can't start a vm if it's a template");
        checkLock(ctx, vm, ["suspended"]);
        if (vm.status === "running") throw new Error(`VM ${vm.vmid} already running`);
        boot(ctx, vm);
        await bootGuest(ctx, vm, log);
      },
    ),
  },
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/status/stop",
    params: {
      node,
      vmid,
      timeout: { type: "integer", optional: true, minimum: 0 },
      skiplock: bool,
      keepActive: bool,
      migratedfrom: str,
      "overrule-shutdown": bool,
    },
    proxied: true,
    permissions: POWER,
    // _do_vm_stop: a stopped VM is done at once; a running one must not be locked
    handler: power(
      "qmstop",
      () => undefined,
      async (ctx, vm) => {
        if (vm.status !== "running") return;
        checkLock(ctx, vm);
        await ctx.core.guests?.stop(vm.vmid);
        halt(vm);
      },
    ),
  },
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/status/shutdown",
    params: {
      node,
      vmid,
      timeout: { type: "integer", optional: true, minimum: 0 },
      forceStop: bool,
      keepActive: bool,
      skiplock: bool,
    },
    proxied: true,
    permissions: POWER,
    handler: power(
      "qmshutdown",
      () => undefined,
      async (ctx, vm) => {
        if (vm.status !== "running") return;
        checkLock(ctx, vm);
        const timeoutS = Number(ctx.params.timeout ?? SHUTDOWN_TIMEOUT_S);
        await ctx.core.guests?.shutdown(vm.vmid, timeoutS * 1000);
        halt(vm);
      },
    ),
  },
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/status/reboot",
    params: { node, vmid, timeout: { type: "integer", optional: true, minimum: 0 } },
    proxied: true,
    permissions: POWER,
    handler: power(
      "qmreboot",
      (vm) => {
        if (vm.status !== "running") throw die(`VM ${vm.vmid} not running`);
      },
      async (ctx, vm, log) => {
        await ctx.core.guests?.shutdown(vm.vmid, SHUTDOWN_TIMEOUT_S * 1000);
        boot(ctx, vm);
        await bootGuest(ctx, vm, log);
      },
    ),
  },
];
