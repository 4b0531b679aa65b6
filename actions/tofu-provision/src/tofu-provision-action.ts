import { actionDeps, type ActionDeps } from "../../lib/action-deps.js";
import { checkoutFolder } from "../../lib/checkout-folder.js";
import { loadClusterConfig, type ClusterPlan, type LoadedConfig } from "../../lib/config/index.js";
import { ConfigurationError, getErrorMessage } from "../../lib/errors.js";
import { inputFromEnv, readInputs } from "../../lib/inputs.js";
import {
  connectionForCluster,
  connectionInputsOf,
  createProxmoxClient,
  findVm,
  resolveConnection,
  type ConnectionOptions,
  type ProxmoxClientOptions,
} from "../../lib/proxmox/index.js";
import { downloadPhaseState, finishPhase, StepTimer, type Timing } from "../../lib/state/index.js";
import type { LocateOptions } from "../../lib/tofu/install.js";
import {
  actionsPluginCache,
  noPluginCache,
  type PluginCache,
} from "../../lib/tofu/plugin-cache.js";
import { resolveBackend } from "./backend-from-config.js";
import { inputSchema, type TofuProvisionInputs } from "./inputs.js";
import {
  applyMode,
  destroyMode,
  fetchReviewedPlan,
  planMode,
  type ModeContext,
  type ModeOutcome,
} from "./modes.js";
import { prepareTofu } from "./prepare.js";
import { reconcileInterruptedRun } from "./interrupted-apply-repair.js";
import { tofuProvisionSummary } from "./summary.js";

export interface TofuProvisionDeps extends ActionDeps {
  pluginCache?: PluginCache;
  /** where an OpenTofu release is downloaded from when the runner has none */
  download?: LocateOptions["download"];
  /** the root module; default pve-kube's terraform/ beside this action */
  moduleDir?: string;
  /** retry backoff and clock of the Proxmox client (tests make them instant) */
  proxmoxTiming?: Partial<Pick<ProxmoxClientOptions, "retry" | "clock">>;
}

export function defaultDeps(env: NodeJS.ProcessEnv = process.env): TofuProvisionDeps {
  return actionDeps(env);
}

/** the repository's terraform/, found from the sources (actions/tofu-provision/src) or the bundle (dist/) */
const bundledModuleDir = () => checkoutFolder(import.meta.url, "terraform", "versions.tf");

export interface TofuProvisionResult extends ModeOutcome {
  cluster: string;
  templateVmid: number;
  timings: Timing[];
}

export async function run(deps: TofuProvisionDeps = defaultDeps()): Promise<TofuProvisionResult> {
  const { env, logger } = deps;
  const startedAt = new Date().toISOString();
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  // secrets are masked before anything else can print them
  if (inputs["proxmox-token-secret"]) deps.maskSecret(inputs["proxmox-token-secret"]);
  if (inputs["state-key"]) deps.maskSecret(inputs["state-key"]);

  const loaded = await loadClusterConfig(inputs.cluster, {
    cwd: env.GITHUB_WORKSPACE ?? process.cwd(),
  });
  const { plan } = loaded;
  // a destroy is typed out by a person: the cluster's name, before anything talks to Proxmox
  if (inputs.mode === "destroy" && inputs["confirm-destroy"] !== plan.cluster)
    throw new ConfigurationError(
      inputs["confirm-destroy"]
        ? `confirm-destroy '${inputs["confirm-destroy"]}' is not the cluster's name '${plan.cluster}': nothing was destroyed`
        : `destroy mode needs confirm-destroy set to the cluster's name '${plan.cluster}': nothing was destroyed`,
      `type the cluster name exactly (${plan.cluster}) to destroy its VMs`,
    );
  const connectionOptions = connectionFor(loaded, inputs, env);
  const connection = resolveConnection(connectionOptions, env, deps.maskSecret);
  deps.maskSecret(`${connection.tokenId}=${connection.tokenSecret}`);
  if (inputs.mode === "apply" && inputs["plan-sha256"] && !inputs["state-key"]) {
    throw new ConfigurationError(
      "plan-sha256 is set but state-key is empty: the stored plan cannot be opened",
      "pass the same state-key secret as the plan job",
    );
  }

  // backend credentials are checked (and masked) before anything talks to Proxmox
  const backend = resolveBackend(loaded.config.state, inputs, env, [
    loaded.config.proxmox.tokenIdEnv,
    loaded.config.proxmox.tokenSecretEnv,
  ]);
  for (const secret of Object.values(backend.env)) deps.maskSecret(secret);
  logger.info(`OpenTofu state: ${backend.kind} backend (from ${backend.source})`);

  const timer = new StepTimer();
  // a plan that is only a preview (a pull request, a drift check) writes nothing anywhere: no
  // adoption into the OpenTofu state, no stored plan, no phase state — only outputs and summary
  const writesNothing = inputs.mode === "plan" && !inputs["prepare-apply"];
  const templateVmid = await resolveTemplateVmid(inputs, loaded, deps);
  if (inputs.mode !== "destroy")
    await timer.time("check template", () => assertTemplate(connectionOptions, templateVmid, deps));

  const tofu = await prepareTofu({
    inputs,
    plan,
    connection,
    templateVmid,
    env,
    logger,
    timer,
    moduleDir:
      deps.moduleDir ??
      inputs.module ??
      (env.GITHUB_ACTION_PATH ? `${env.GITHUB_ACTION_PATH}/../../terraform` : bundledModuleDir()),
    pluginCache: deps.pluginCache ?? (inputs.cache ? actionsPluginCache(logger) : noPluginCache),
    backend,
    ...(deps.download ? { download: deps.download } : {}),
  });
  // VMs a killed apply created but never recorded: adopt or remove them before planning
  const openClient = () =>
    createProxmoxClient({
      ...connectionOptions,
      logger,
      env,
      maskSecret: deps.maskSecret,
      ...deps.proxmoxTiming,
    });
  const ctx: ModeContext = {
    plan,
    tofu,
    logger,
    timer,
    parallelism: provisioningParallelism(inputs.parallelism, plan),
    lockTimeout: inputs["lock-timeout"],
    allowReplace: inputs["allow-replace"],
    refreshOnlyPass: inputs["refresh-only-pass"],
    prepareApply: inputs["prepare-apply"],
    ...(inputs.replace.length ? { replace: vmsToReplace(inputs.replace, plan) } : {}),
    ...(inputs["state-key"] ? { stateKey: inputs["state-key"] } : {}),
    ...(deps.artifactStore ? { artifactStore: deps.artifactStore } : {}),
  };
  // applying a reviewed plan: it is fetched and proven before anything touches Proxmox — a wrong
  // or swapped plan must not even let reconcile remove half-made VMs
  const reviewed =
    inputs.mode === "apply" && inputs["plan-sha256"]
      ? await fetchReviewedPlan(ctx, inputs["plan-sha256"])
      : undefined;
  await reconcileInterruptedRun({
    plan,
    tofu,
    logger,
    timer,
    env,
    mode: inputs.mode,
    adopt: !writesNothing,
    templateVmid,
    lockTimeout: inputs["lock-timeout"],
    tokenId: connection.tokenId,
    openClient,
  });
  const outcome =
    inputs.mode === "plan"
      ? await planMode(ctx)
      : inputs.mode === "apply"
        ? await applyMode(ctx, inputs["plan-sha256"], reviewed)
        : await destroyMode(ctx);

  const { counts } = outcome.summary;
  const needsApproval = outcome.summary.vms.some(
    (vm) => vm.action === "delete" || vm.action === "replace",
  );
  deps.setOutput("has-changes", String(outcome.summary.hasChanges));
  deps.setOutput("creates", String(counts.create));
  deps.setOutput("updates", String(counts.update));
  deps.setOutput("replaces", String(counts.replace));
  deps.setOutput("deletes", String(counts.delete));
  deps.setOutput("needs-approval", String(needsApproval));
  deps.setOutput("applied", String(outcome.applied));
  deps.setOutput("inventory", JSON.stringify(outcome.inventory));
  if (outcome.sha256) deps.setOutput("plan-sha256", outcome.sha256);
  if (outcome.planArtifact) deps.setOutput("plan-artifact", outcome.planArtifact);

  const stateArtifact = await finishPhase({
    plan,
    env,
    logger,
    artifactStore: deps.artifactStore,
    ...(writesNothing
      ? { noUploadBecause: "a preview plan writes nothing (prepare-apply is off)" }
      : {}),
    summary: tofuProvisionSummary({
      cluster: plan.cluster,
      mode: inputs.mode,
      outcome,
      tool: `${tofu.tool.binary} ${tofu.tool.version} (${tofu.tool.source})`,
      backend: `${backend.kind} (${backend.source})`,
      ...(tofu.localStatePath ? { localStatePath: tofu.localStatePath } : {}),
      lockFile: inputs["lock-file"],
      templateVmid,
      timings: timer.timings,
      ...(outcome.planArtifact ? { planArtifact: outcome.planArtifact } : {}),
    }),
    state: {
      phase: "tofu-provision",
      status: "succeeded",
      startedAt,
      timings: timer.timings,
      outputs: {
        inventory: outcome.inventory,
        ...(outcome.sha256 ? { planSha256: outcome.sha256 } : {}),
        applied: outcome.applied,
        counts,
        // plans and applies retried within this run after transient failures: why, and the time they cost
        ...(outcome.retries ? { retries: outcome.retries } : {}),
      },
    },
    stateKey: inputs["state-key"],
  });
  deps.setOutput("state-artifact", stateArtifact);
  return { ...outcome, cluster: plan.cluster, templateVmid, timings: timer.timings };
}

function connectionFor(
  loaded: LoadedConfig,
  inputs: TofuProvisionInputs,
  env: NodeJS.ProcessEnv,
): ConnectionOptions {
  return connectionForCluster(loaded, connectionInputsOf(inputs), env);
}

/** The template input, else the template build-template made in this run, else cluster.yaml's VMID. */
async function resolveTemplateVmid(
  inputs: TofuProvisionInputs,
  loaded: LoadedConfig,
  deps: TofuProvisionDeps,
): Promise<number> {
  if (inputs["template-vmid"]) return inputs["template-vmid"];
  if (deps.artifactStore && inputs.mode !== "destroy") {
    try {
      // this cluster's, this run's, and signed when build-template held the state-key too: any
      // step of the run could otherwise upload a template VMID of its choosing
      const state = await downloadPhaseState(
        loaded.plan.cluster,
        "build-template",
        deps.artifactStore,
        {
          expect: {
            clusterUid: loaded.plan.uid,
            ...(deps.env.GITHUB_RUN_ID ? { runId: deps.env.GITHUB_RUN_ID } : {}),
            ...(inputs["state-key"] ? { stateKey: inputs["state-key"] } : {}),
          },
        },
      );
      deps.logger.info(
        `template ${state.outputs.templateVmid} from this run's build-template state`,
      );
      return state.outputs.templateVmid;
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      deps.logger.info(
        `no build-template state in this run (${getErrorMessage(error)}); using template.vmid ${loaded.plan.template.vmid} from cluster.yaml`,
      );
    }
  }
  return loaded.plan.template.vmid;
}

/** Nothing is planned against a template that is not there: the provider would fail mid-apply. */
async function assertTemplate(
  options: ConnectionOptions,
  vmid: number,
  deps: TofuProvisionDeps,
): Promise<void> {
  const client = await createProxmoxClient({
    ...options,
    logger: deps.logger,
    env: deps.env,
    maskSecret: deps.maskSecret,
    ...deps.proxmoxTiming,
  });
  try {
    const vm = await findVm(client, vmid);
    if (!vm)
      throw new ConfigurationError(
        `template VMID ${vmid} does not exist on Proxmox`,
        "run build-template first (or set template-vmid to the template's VMID)",
      );
    if (!vm.template)
      throw new ConfigurationError(
        `VMID ${vmid} on ${vm.node} is a VM, not a template`,
        "point template-vmid at the template build-template made",
      );
  } finally {
    await client.close();
  }
}

/**
 * OpenTofu's -parallelism: `auto` works on every VM of the cluster at once. What used to make a
 * fixed 10 necessary — clones queueing on Proxmox's storage lock until they time out — is the
 * relay's clone gate's job now (at most 2 clones per template at once); everything else a VM
 * waits for (its own tasks, its guest agent) does not contend. Capped at 50 provider goroutines.
 */
export function provisioningParallelism(input: number | "auto", plan: ClusterPlan): number {
  if (input !== "auto") return input;
  return Math.min(50, Math.max(1, plan.vms.length));
}

/** The `replace` input: names of VMs of this cluster, or a ConfigurationError naming the unknown ones. */
function vmsToReplace(names: readonly string[], plan: ClusterPlan): string[] {
  const known = new Set(plan.vms.map((vm) => vm.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length)
    throw new ConfigurationError(
      `input replace names ${unknown.join(", ")}, which cluster.yaml does not plan`,
      `name VMs of this cluster: ${[...known].join(", ")}`,
    );
  return [...new Set(names)];
}
