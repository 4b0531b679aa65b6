import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ClusterPlan } from "../../lib/config/index.js";
import { ConfigurationError } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";
import { assertUsableStateKey, type ArtifactStore, type StepTimer } from "../../lib/state/index.js";
import { parseInventory, type InventoryVm } from "../../lib/tofu/inventory.js";
import { downloadPlan, uploadPlan } from "../../lib/tofu/plan-artifact.js";
import { openPlan, planSha256, sealPlan } from "../../lib/tofu/plan-file.js";
import {
  assertNoControlPlaneLoss,
  assertOwnership,
  assertPlanComplete,
} from "../../lib/tofu/plan-gate.js";
import type { PlanJson } from "../../lib/tofu/plan-json.js";
import { planLogLines } from "../../lib/tofu/plan-report.js";
import { summarisePlan, type PlanSummary, type VmRole } from "../../lib/tofu/plan-summary.js";
import { writePlanSummaryFile } from "../../lib/tofu/plan-summary-file.js";
import {
  jitteredBackoff,
  retryWithinRun,
  tofuTransientReason,
  type RetryRecord,
  type WithinRunRule,
} from "../../lib/retry/index.js";
import { changesOutsideReviewed } from "../../lib/tofu/plan-subset.js";
import type { PreparedTofu } from "./prepare.js";
import { refreshOnlyPass } from "./refresh-only-pass.js";

export interface ModeContext {
  plan: ClusterPlan;
  tofu: PreparedTofu;
  logger: Logger;
  timer: StepTimer;
  parallelism: number;
  lockTimeout: string;
  allowReplace: boolean;
  stateKey?: string;
  artifactStore?: ArtifactStore;
  /** plan mode: also a refresh-only plan, for drift checks (refresh-only-pass.ts) */
  refreshOnlyPass?: boolean;
  /** VM names to re-create from the current template (the `replace` input) */
  replace?: readonly string[];
  /** every plan and apply retried within this run, in order (filled in by the modes) */
  retries?: RetryRecord[];
  /**
   * plan mode: this plan is the one a later apply job applies (deploy.yml), so it is stored
   * sealed as an artifact. Without it a plan writes nothing at all (a PR preview, a drift check).
   */
  prepareApply?: boolean;
}

export interface ModeOutcome {
  summary: PlanSummary;
  sha256?: string;
  planArtifact?: string;
  applied: boolean;
  inventory: InventoryVm[];
  /** apply would refuse this plan (plan mode reports it instead of failing a PR) */
  refusal?: string;
  /** plans and applies retried within the run after a transient failure, in order */
  retries?: RetryRecord[];
}

/**
 * Applies of one run in all: the reviewed plan and at most seven re-plans that finish it. A VM
 * whose apply failed after its clone is tainted, and finishing it means re-creating it (about ten
 * writes), so under pve-sim's fault profiles (10% of writes failing) an attempt still fails about
 * half the time late in a run: with 5 applies, 3 of 20 trials of profile `all` needed all 5 and
 * one needed a second run (bench tofu-faults, 2026-12-07).
 */
const APPLY_ATTEMPTS = 8;

/**
 * tofu-provision's within-run rule, for plans and applies alike: Proxmox's transient texts, and
 * pauses of 1–2 s, 2–4 s, then 4–8 s (a lock's 10 s timeout has long passed by the time a
 * re-plan's refresh reaches the VM again).
 */
const TOFU_RULE: WithinRunRule = {
  maxAttempts: APPLY_ATTEMPTS,
  transientReason: tofuTransientReason,
  pauseMs: jitteredBackoff({ baseMs: 2000, maxMs: 8000 }),
};

const PLAN_FILE = "pve-kube.tfplan";

function rolesOf(plan: ClusterPlan): Map<string, VmRole> {
  return new Map(plan.vms.map((vm) => [vm.name, vm.role]));
}

/**
 * A plan changes nothing, so one that failed on a transient Proxmox error (its refresh reads
 * outlasted the relay's retries) is simply made again, under the same rule as the apply.
 */
async function planWithinRun(
  ctx: ModeContext,
  replace?: readonly string[],
  destroy = false,
): Promise<Planned> {
  const { value } = await retryWithinRun<Planned, undefined>({
    rule: TOFU_RULE,
    what: destroy ? "tofu plan -destroy" : "tofu plan",
    logger: ctx.logger,
    onRetry: (r) => retriesOf(ctx).push(r),
    prepare: () => Promise.resolve({ next: undefined }),
    attempt: () => makePlan(ctx, destroy, replace),
  });
  return value;
}

/** The module's resource address of a VM (terraform/main.tf: one resource per VM name). */
const vmAddress = (name: string) => `proxmox_virtual_environment_vm.node[${JSON.stringify(name)}]`;

async function makePlan(
  ctx: ModeContext,
  destroy: boolean,
  replace: readonly string[] = destroy ? [] : (ctx.replace ?? []),
): Promise<{ file: string; json: PlanJson; summary: PlanSummary; bytes: Buffer }> {
  const { runner, workspace } = ctx.tofu;
  const file = path.join(workspace.dir, PLAN_FILE);
  await rm(file, { force: true });
  await ctx.logger.group(destroy ? "plan (destroy)" : "plan", () =>
    ctx.timer.time("plan", () =>
      runner.plan({
        out: file,
        varFile: workspace.varFile,
        destroy,
        parallelism: ctx.parallelism,
        lockTimeout: ctx.lockTimeout,
        ...(replace.length ? { replace: replace.map(vmAddress) } : {}),
      }),
    ),
  );
  return readPlan(ctx, file);
}

async function readPlan(
  ctx: ModeContext,
  file: string,
): Promise<{ file: string; json: PlanJson; summary: PlanSummary; bytes: Buffer }> {
  const json = await ctx.timer.time("show -json", () => ctx.tofu.runner.showPlan(file));
  const summary = summarisePlan(json, rolesOf(ctx.plan));
  for (const line of planLogLines(summary)) ctx.logger.info(line);
  return { file, json, summary, bytes: await readFile(file) };
}

/** Checks every plan passes before anything is applied (and before a plan is offered for review). */
function gate(ctx: ModeContext, json: PlanJson, summary: PlanSummary, destroy: boolean): void {
  assertPlanComplete(summary);
  assertOwnership(json, ctx.plan.cluster, ctx.plan.uid);
  if (!destroy) assertNoControlPlaneLoss(summary, { allowReplace: ctx.allowReplace });
}

async function apply(ctx: ModeContext, file: string): Promise<void> {
  await ctx.logger.group("apply", () =>
    ctx.timer.time("apply", () =>
      ctx.tofu.runner.apply({
        planFile: file,
        parallelism: ctx.parallelism,
        lockTimeout: ctx.lockTimeout,
      }),
    ),
  );
}

type Planned = { file: string; json: PlanJson; summary: PlanSummary; bytes: Buffer };

/**
 * Applies the reviewed plan and, when that fails on a transient Proxmox error (a lock timeout, a
 * 5xx, a proxy timeout the relay could not retry because it was a write), finishes it within the
 * run (actions/lib/retry/within-run.ts): a fresh plan — its refresh sees what the failed apply did
 * — passes the same gates and is applied only when every change in it is one the reviewed plan
 * contained (same address, same target values; plan-subset.ts). Anything else stops the run with
 * a request for a new review.
 */
async function applyWithinRun(ctx: ModeContext, reviewed: Planned): Promise<void> {
  const { retries } = await retryWithinRun<void, Planned>({
    rule: TOFU_RULE,
    what: "tofu apply",
    logger: ctx.logger,
    onRetry: (r) => retriesOf(ctx).push(r),
    prepare: async () => {
      // never -replace again: the failed apply may already have re-created the VM
      const again = await planWithinRun(ctx, []);
      gate(ctx, again.json, again.summary, false);
      const outside = changesOutsideReviewed(reviewed.json, again.json);
      return outside.length ? { stop: outside.join("; ") } : { next: again };
    },
    attempt: async (_attempt, next) => {
      const planned = next ?? reviewed;
      if (planned.summary.hasChanges) await apply(ctx, planned.file);
    },
  });
  for (const r of retries)
    ctx.logger.info(
      `apply retried within the run: attempt ${r.attempt} failed (${r.reason}), ${(r.costMs / 1000).toFixed(1)} s lost`,
    );
}

/** The run's retry list, made on first use. */
function retriesOf(ctx: ModeContext): RetryRecord[] {
  return (ctx.retries ??= []);
}

/**
 * Runs a mode and hands the retries it made to its outcome, or to the error that ended it
 * (`error.retries`, for the bench and the log): a failed run still tells what it tried.
 */
async function withRetryRecord(
  ctx: ModeContext,
  mode: () => Promise<ModeOutcome>,
): Promise<ModeOutcome> {
  try {
    const outcome = await mode();
    const retries = retriesOf(ctx);
    return retries.length ? { ...outcome, retries: [...retries] } : outcome;
  } catch (error) {
    if (typeof error === "object" && error !== null && retriesOf(ctx).length)
      Object.assign(error, { retries: [...retriesOf(ctx)] });
    throw error;
  }
}

export async function currentInventory(
  ctx: Pick<ModeContext, "tofu" | "logger">,
): Promise<InventoryVm[]> {
  try {
    return parseInventory(await ctx.tofu.runner.output("inventory"));
  } catch (error) {
    // no state yet (first plan) has no outputs: that is an empty inventory, not a failure
    ctx.logger.debug(`no inventory output: ${(error as Error).message}`);
    return [];
  }
}

/**
 * plan: writes the binary plan, summarises it, and stores it sealed with its SHA-256 for the
 * apply job. A plan apply would refuse is reported, not failed, so a PR still gets its preview.
 */
export function planMode(ctx: ModeContext): Promise<ModeOutcome> {
  return withRetryRecord(ctx, () => planOnce(ctx));
}

async function planOnce(ctx: ModeContext): Promise<ModeOutcome> {
  const { json, summary, bytes } = await planWithinRun(ctx);
  assertPlanComplete(summary);
  assertOwnership(json, ctx.plan.cluster, ctx.plan.uid);
  let refusal: string | undefined;
  try {
    assertNoControlPlaneLoss(summary, { allowReplace: ctx.allowReplace });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    refusal = error.message;
    ctx.logger.warning(`apply will refuse this plan: ${refusal}`);
  }
  const sha256 = planSha256(bytes);
  ctx.logger.info(`plan SHA-256 ${sha256}`);
  const refreshOnly = ctx.refreshOnlyPass ? await refreshOnlyPass(ctx) : undefined;
  // for the PR comment (github-report plan-render) or drift-check, later steps of the same job
  await writePlanSummaryFile({
    cluster: ctx.plan.cluster,
    sha256,
    summary,
    ...(refusal ? { refusal } : {}),
    ...(refreshOnly ? { refreshOnly } : {}),
  });
  let planArtifact: string | undefined;
  if (!ctx.prepareApply) {
    ctx.logger.info(
      "a preview: the plan is not stored and nothing is written (prepare-apply is off)",
    );
  } else if (ctx.artifactStore) {
    assertUsableStateKey(ctx.stateKey);
    const sealed = sealPlan(bytes, ctx.stateKey, {
      cluster: ctx.plan.cluster,
      clusterUid: ctx.plan.uid,
      destroy: false,
      tool: `${ctx.tofu.tool.binary} ${ctx.tofu.tool.version}`,
    });
    planArtifact = await ctx.timer.time("store plan", () =>
      uploadPlan(ctx.plan.cluster, sealed, ctx.artifactStore!, ctx.logger),
    );
    ctx.logger.info(`plan stored encrypted as artifact ${planArtifact}`);
  } else {
    ctx.logger.info("no artifact service here: the plan is not stored (apply will plan again)");
  }
  return {
    summary,
    sha256,
    applied: false,
    inventory: await currentInventory(ctx),
    ...(planArtifact ? { planArtifact } : {}),
    ...(refusal ? { refusal } : {}),
  };
}

/**
 * apply: with a reviewed hash, exactly the stored plan of the plan job (OpenTofu itself refuses
 * it if the state moved on since); without one, a fresh plan applied in the same step. Either way
 * the plan passes the gates first.
 */
/**
 * The reviewed plan's bytes, opened and proven: this cluster's, sealed under the state-key, and
 * hashing to exactly the SHA-256 the reviewer saw. The apply job calls it before anything else
 * touches Proxmox (reconcile included), so a wrong or swapped plan changes nothing at all.
 */
export async function fetchReviewedPlan(
  ctx: Pick<ModeContext, "plan" | "timer" | "stateKey" | "artifactStore">,
  reviewedSha256: string,
): Promise<Buffer> {
  if (!ctx.artifactStore)
    throw new ConfigurationError(
      "plan-sha256 is set but this environment has no artifact service to fetch the reviewed plan from",
      "run inside a workflow run that has the plan job's artifact, or leave plan-sha256 empty to plan and apply at once",
    );
  assertUsableStateKey(ctx.stateKey);
  const store = ctx.artifactStore;
  const document = await ctx.timer.time("fetch reviewed plan", () =>
    downloadPlan(ctx.plan.cluster, store),
  );
  return openPlan(document, ctx.stateKey, {
    cluster: ctx.plan.cluster,
    clusterUid: ctx.plan.uid,
    expectedSha256: reviewedSha256,
    source: `the stored plan of cluster ${ctx.plan.cluster}`,
  });
}

export function applyMode(
  ctx: ModeContext,
  reviewedSha256: string | undefined,
  /** the reviewed plan, already fetched and proven (fetchReviewedPlan) */
  reviewed?: Buffer,
): Promise<ModeOutcome> {
  return withRetryRecord(ctx, () => applyOnce(ctx, reviewedSha256, reviewed));
}

async function applyOnce(
  ctx: ModeContext,
  reviewedSha256: string | undefined,
  reviewed?: Buffer,
): Promise<ModeOutcome> {
  let planned: { file: string; json: PlanJson; summary: PlanSummary; bytes: Buffer };
  if (reviewedSha256) {
    const bytes = reviewed ?? (await fetchReviewedPlan(ctx, reviewedSha256));
    const file = path.join(ctx.tofu.workspace.dir, PLAN_FILE);
    await writeFile(file, bytes, { mode: 0o600 });
    ctx.logger.info(`applying the reviewed plan ${reviewedSha256.toLowerCase()} (hash verified)`);
    planned = await readPlan(ctx, file);
  } else {
    ctx.logger.info("no plan-sha256: planning and applying in one step");
    planned = await planWithinRun(ctx);
  }
  gate(ctx, planned.json, planned.summary, false);
  const sha256 = planSha256(planned.bytes);
  if (planned.summary.hasChanges) await applyWithinRun(ctx, planned);
  return {
    summary: planned.summary,
    sha256,
    applied: planned.summary.hasChanges,
    inventory: await currentInventory(ctx),
  };
}

/** destroy: a destroy plan whose every VM proves it belongs to this cluster, then applied. */
export function destroyMode(ctx: ModeContext): Promise<ModeOutcome> {
  return withRetryRecord(ctx, () => destroyOnce(ctx));
}

async function destroyOnce(ctx: ModeContext): Promise<ModeOutcome> {
  const planned = await planWithinRun(ctx, [], true);
  gate(ctx, planned.json, planned.summary, true);
  if (planned.summary.hasChanges) await apply(ctx, planned.file);
  return {
    summary: planned.summary,
    sha256: planSha256(planned.bytes),
    applied: planned.summary.hasChanges,
    inventory: await currentInventory(ctx),
  };
}
