import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ClusterPlan } from "../../lib/config/index.js";
import { ConfigurationError } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";
import {
  destroyVm,
  listVms,
  parseUpid,
  splitTags,
  TASK_TIMEOUTS_MS,
  vmConfig,
  type ProxmoxClient,
} from "../../lib/proxmox/index.js";
import { table } from "../../lib/report/markdown.js";
import { appendJobSummary } from "../../lib/report/summary.js";
import type { StepTimer } from "../../lib/state/index.js";
import {
  assertNoConflicts,
  lockedRemovalsError,
  reconcileDecisions,
  rootCleanupCommand,
  vmAddress,
  vmImportId,
  type Decision,
  type ObservedVm,
  type TaskFact,
} from "../../lib/tofu/interrupted-apply-decisions.js";
import { adoptedStatePatch, stateVms } from "../../lib/tofu/state-json.js";
import type { PreparedTofu } from "./prepare.js";

export interface ReconcileContext {
  plan: ClusterPlan;
  tofu: PreparedTofu;
  logger: Logger;
  timer: StepTimer;
  env: NodeJS.ProcessEnv;
  /** plan mode changes nothing on Proxmox: half-made VMs are reported, and removed by apply */
  mode: "plan" | "apply" | "destroy";
  /**
   * Import complete VMs into the OpenTofu state (a state write). False for a plan that must write
   * nothing (a pull request's preview, a drift check): they are reported, and apply adopts them.
   */
  adopt: boolean;
  templateVmid: number;
  lockTimeout: string;
  /** the API token id this action runs with: its failed tasks prove empty reservations are ours */
  tokenId: string;
  openClient: () => Promise<ProxmoxClient>;
  /** how long to wait for a task still holding a planned VM's lock (default: a clone's timeout) */
  waitTimeoutMs?: number;
  pollIntervalMs?: number;
}

export interface ReconcileOutcome {
  adopted: Extract<Decision, { kind: "adopt" }>[];
  removed: Extract<Decision, { kind: "remove" }>[];
  /** plan mode: half-made VMs apply will remove before applying */
  toRemove: Extract<Decision, { kind: "remove" }>[];
  /** a plan that writes nothing: complete VMs apply will adopt before applying */
  toAdopt: Extract<Decision, { kind: "adopt" }>[];
}

const DISK_KEY = /^(ide|sata|scsi|virtio)\d+$|^(efidisk|tpmstate)0$/;
const ADOPT_PLAN = "pve-kube-adopt.tfplan";
const PATCHED_STATE = "pve-kube-adopt.tfstate";

/**
 * Runs after `init` and before the plan: finds planned VMIDs that Proxmox holds but the OpenTofu
 * state does not (left by an apply that was killed), removes the half-made ones that prove they
 * are this cluster's, imports the complete ones, and stops before any change when a VMID holds
 * something that is not provably ours. The state is read first: when it holds every planned
 * VMID (the usual case) Proxmox is not even asked.
 */
export async function reconcileInterruptedRun(ctx: ReconcileContext): Promise<ReconcileOutcome> {
  const outcome: ReconcileOutcome = { adopted: [], removed: [], toRemove: [], toAdopt: [] };
  const { runner } = ctx.tofu;
  const inState = stateVms(await ctx.timer.time("read state", () => runner.showState()));
  const stateVmids = new Set(inState.map((vm) => vm.vmid));
  const missing = ctx.plan.vms.filter((vm) => !stateVmids.has(vm.vmid));
  if (missing.length === 0) return outcome;

  const client = await ctx.openClient();
  let decisions: Decision[];
  try {
    decisions = await ctx.timer.time("reconcile: look at Proxmox", () =>
      decide(ctx, client, stateVmids),
    );
    for (const d of decisions) logDecision(ctx.logger, d, ctx.adopt);
    const adoptions = decisions.filter(
      (d): d is Extract<Decision, { kind: "adopt" }> => d.kind === "adopt",
    );
    if (ctx.adopt) outcome.adopted = adoptions;
    else {
      outcome.toAdopt = adoptions;
      for (const d of adoptions)
        ctx.logger.warning(
          `${d.vm.name} (VMID ${d.vm.vmid}) is complete but not in the OpenTofu state (an interrupted apply); this plan writes nothing, so it shows the VM as a create — apply adopts it into the state before applying`,
        );
    }
    const removals = decisions.filter(
      (d): d is Extract<Decision, { kind: "remove" }> => d.kind === "remove",
    );
    if (ctx.mode === "plan") {
      outcome.toRemove = removals;
      for (const d of removals) {
        ctx.logger.warning(
          d.observed.lock
            ? `${d.vm.name} (VMID ${d.vm.vmid}) is half-made by an interrupted apply and keeps its '${d.observed.lock}' lock, which only root can lift: apply will stop until it is removed (as root ${rootCleanupCommand(d)})`
            : `${d.vm.name} (VMID ${d.vm.vmid}) is half-made by an interrupted apply; plan mode changes nothing on Proxmox, apply removes it before applying`,
        );
      }
    } else if (removals.length > 0) {
      await ctx.timer.time("reconcile: remove half-made VMs", () =>
        removeAll(ctx, client, removals),
      );
      outcome.removed = removals;
    }
  } finally {
    await client.close();
  }
  if (outcome.adopted.length > 0)
    await ctx.timer.time("reconcile: adopt complete VMs", () => adoptAll(ctx, outcome.adopted));
  if (
    outcome.adopted.length +
      outcome.removed.length +
      outcome.toRemove.length +
      outcome.toAdopt.length >
    0
  )
    await appendJobSummary(reconcileMarkdown(outcome), ctx.logger, ctx.env);
  return outcome;
}

/** Observes, decides, and waits while a running task may still hold a planned VM's lock. */
async function decide(
  ctx: ReconcileContext,
  client: ProxmoxClient,
  stateVmids: ReadonlySet<number>,
): Promise<Decision[]> {
  const deadline =
    client.clock.now() + (ctx.waitTimeoutMs ?? TASK_TIMEOUTS_MS.qmclone ?? 30 * 60_000);
  for (;;) {
    const { observed, tasks } = await observe(ctx, client, stateVmids);
    const decisions = reconcileDecisions({
      cluster: ctx.plan.cluster,
      uid: ctx.plan.uid,
      tokenId: ctx.tokenId,
      templateVmid: ctx.templateVmid,
      planned: ctx.plan.vms,
      stateVmids,
      observed,
      tasks,
    });
    // nothing is changed while any planned VMID holds something that is not provably ours
    assertNoConflicts(decisions);
    const waiting = decisions.filter(
      (d): d is Extract<Decision, { kind: "wait" }> => d.kind === "wait",
    );
    if (waiting.length === 0) return decisions;
    if (client.clock.now() >= deadline) {
      throw new ConfigurationError(
        `planned VMIDs are still locked by running Proxmox tasks: ${waiting.map((d) => `${d.vm.vmid} (${d.observed.lock ?? "locked"})`).join(", ")}`,
        "let those tasks finish (or stop them in the Proxmox task list), then run again",
      );
    }
    ctx.logger.info(
      `waiting for running tasks to release ${waiting.map((d) => `VMID ${d.vm.vmid} (lock ${d.observed.lock ?? "?"})`).join(", ")}`,
    );
    await client.clock.sleep(ctx.pollIntervalMs ?? 2_000);
  }
}

async function observe(
  ctx: ReconcileContext,
  client: ProxmoxClient,
  stateVmids: ReadonlySet<number>,
): Promise<{ observed: Map<number, ObservedVm>; tasks: TaskFact[] }> {
  const planned = new Set(
    ctx.plan.vms.filter((vm) => !stateVmids.has(vm.vmid)).map((vm) => vm.vmid),
  );
  const observed = new Map<number, ObservedVm>();
  for (const row of (await listVms(client)).filter((vm) => planned.has(vm.vmid))) {
    const config = await vmConfig(client, row.node, row.vmid);
    if (!config) continue; // gone since the list was read
    const text = (key: string) =>
      typeof config[key] === "string" && config[key] !== "" ? config[key] : undefined;
    const name = text("name");
    const description = text("description");
    const lock = text("lock");
    observed.set(row.vmid, {
      vmid: row.vmid,
      node: row.node,
      template: Number(config.template ?? 0) === 1,
      ...(name ? { name } : {}),
      ...(description ? { description } : {}),
      tags: splitTags(config.tags),
      ...(lock ? { lock } : {}),
      ...(row.status ? { status: row.status } : {}),
      hasDisks: Object.keys(config).some((key) => DISK_KEY.test(key)),
    });
  }
  // tasks are only needed to judge locks
  const tasks = [...observed.values()].some((vm) => vm.lock)
    ? await recentTasks(ctx, client, observed)
    : [];
  return { observed, tasks };
}

/** Running and recent tasks of every node involved (clones run on the template's node). */
async function recentTasks(
  ctx: ReconcileContext,
  client: ProxmoxClient,
  observed: ReadonlyMap<number, ObservedVm>,
): Promise<TaskFact[]> {
  const nodes = new Set([
    ctx.plan.template.node,
    ...ctx.plan.vms.map((vm) => vm.node),
    ...[...observed.values()].map((vm) => vm.node),
  ]);
  const out: TaskFact[] = [];
  for (const node of nodes) {
    const rows = (await client.api.nodes.$(node).tasks.$get({ source: "all", limit: 500 })) as {
      upid?: unknown;
      type?: unknown;
      id?: unknown;
      endtime?: unknown;
      status?: unknown;
    }[];
    for (const row of rows) {
      if (typeof row.upid !== "string") continue;
      const upid = parseUpid(row.upid);
      const running = row.endtime === undefined || row.endtime === null;
      out.push({
        type: upid.type,
        id: upid.id,
        user: upid.user,
        running,
        ...(!running && typeof row.status === "string" ? { exitStatus: row.status } : {}),
      });
    }
  }
  return out;
}

function logDecision(logger: Logger, d: Decision, adopting: boolean): void {
  switch (d.kind) {
    case "managed":
      return logger.debug(`${d.vm.name} (VMID ${d.vm.vmid}): in the OpenTofu state`);
    case "absent":
      return logger.debug(`${d.vm.name} (VMID ${d.vm.vmid}): not on Proxmox yet`);
    case "adopt":
      return logger.info(
        `${adopting ? "adopt" : "apply would adopt"} ${d.vm.name} (VMID ${d.vm.vmid} on ${d.observed.node}): ${d.reason}`,
      );
    case "remove":
      return logger.info(
        `remove ${d.vm.name} (VMID ${d.vm.vmid} on ${d.observed.node}): ${d.reason}`,
      );
    case "wait":
    case "conflict":
      return logger.info(`${d.vm.name} (VMID ${d.vm.vmid}): ${d.reason}`);
  }
}

/**
 * Destroys the half-made VMs with purge, waiting for each task. When any still carries a lock the
 * run stops first, before removing anything: only root can lift it (lockedRemovalsError).
 */
async function removeAll(
  ctx: ReconcileContext,
  client: ProxmoxClient,
  removals: readonly Extract<Decision, { kind: "remove" }>[],
): Promise<void> {
  const locked = lockedRemovalsError(removals);
  if (locked) throw locked;
  for (const d of removals) {
    const { node, vmid } = d.observed;
    await destroyVm(client, node, vmid);
    ctx.logger.info(`removed ${d.vm.name} (VMID ${vmid} on ${node}); the plan creates it again`);
  }
}

/**
 * `tofu import` of each complete VM, then one state fix-up so the plan updates them in place
 * (see adoptedStatePatch): a plan without refresh shows what the configuration wants for them.
 */
async function adoptAll(
  ctx: ReconcileContext,
  adopted: readonly Extract<Decision, { kind: "adopt" }>[],
): Promise<void> {
  const { runner, workspace } = ctx.tofu;
  const planFile = path.join(workspace.dir, ADOPT_PLAN);
  const stateFile = path.join(workspace.dir, PATCHED_STATE);
  await ctx.logger.group("adopt VMs an interrupted apply created", async () => {
    for (const d of adopted) {
      await runner.import({
        address: vmAddress(d.vm.name),
        id: vmImportId(d.observed.node, d.vm.vmid),
        varFile: workspace.varFile,
        lockTimeout: ctx.lockTimeout,
      });
    }
    try {
      ctx.logger.info(
        "planning once without refresh to read the configured clone block of the adopted VMs (this plan is never applied)",
      );
      await runner.plan(
        { out: planFile, varFile: workspace.varFile, refresh: false, lockTimeout: ctx.lockTimeout },
        { quiet: true },
      );
      const { state, patched } = adoptedStatePatch(
        await runner.statePull(),
        await runner.showPlan(planFile),
        adopted.map((d) => vmAddress(d.vm.name)),
      );
      await writeFile(stateFile, state, { mode: 0o600 });
      await runner.statePush({ file: stateFile, lockTimeout: ctx.lockTimeout });
      ctx.logger.info(
        `state of ${patched.length} adopted VM${patched.length === 1 ? "" : "s"} aligned with the module's clone block`,
      );
    } finally {
      await rm(planFile, { force: true });
      await rm(stateFile, { force: true });
    }
  });
}

/** The job-summary lines: one per adopted or removed VM. */
export function reconcileMarkdown(outcome: ReconcileOutcome): string {
  const rows = [
    ...outcome.adopted.map((d) => [
      d.vm.name,
      d.vm.vmid,
      d.observed.node,
      "adopted (imported into the state)",
      d.reason,
    ]),
    ...outcome.removed.map((d) => [
      d.vm.name,
      d.vm.vmid,
      d.observed.node,
      "removed (created again by this apply)",
      d.reason,
    ]),
    ...outcome.toAdopt.map((d) => [
      d.vm.name,
      d.vm.vmid,
      d.observed.node,
      "apply will adopt it (this plan writes nothing)",
      d.reason,
    ]),
    ...outcome.toRemove.map((d) => [
      d.vm.name,
      d.vm.vmid,
      d.observed.node,
      d.observed.lock
        ? `root must remove it first (\`${rootCleanupCommand(d)}\`)`
        : "apply will remove it before applying",
      d.reason,
    ]),
  ];
  return `#### An interrupted run was reconciled\n\n${table(["VM", "VMID", "node", "what happened", "why"], rows)}`;
}
