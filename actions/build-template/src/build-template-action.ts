import { actionDeps, type ActionDeps } from "../../lib/action-deps.js";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { loadClusterConfig, type ClusterPlan, type LoadedConfig } from "../../lib/config/index.js";
import { inputFromEnv, readInputs } from "../../lib/inputs.js";
import {
  connectionForCluster,
  connectionInputsOf,
  createProxmoxClient,
  type ProxmoxClient,
  type ProxmoxClientOptions,
} from "../../lib/proxmox/index.js";
import { appendJobSummary } from "../../lib/report/summary.js";
import { finishPhase, StepTimer } from "../../lib/state/index.js";
import {
  recipeFingerprint,
  templateRecipe,
  type TemplateRecipe,
} from "../../lib/template/index.js";
import {
  ensureTemplate,
  nextFreeTemplateVmid,
  type BuildContext,
  type TemplateResult,
} from "./build.js";
import { assertSimulatorForSimulatedSteps } from "../../lib/proxmox/simulated-steps.js";
import { actionsImageCache, noImageCache, type ImageCache } from "./image-cache.js";
import { assertVirtCustomize, customisedFileName, prepareCustomisedImage } from "./image.js";
import { inputSchema, type BuildTemplateInputs } from "./inputs.js";
import {
  prebuiltImageInput,
  type PrebuiltImageInput,
  prebuiltUploadName,
  preparedPrebuilt,
  verifyPrebuilt,
} from "./prebuilt.js";
import { inspectTemplates, templateUsers } from "./inspect.js";
import { importVolid, stageByDownload, stageByUpload, volumeExists } from "./stage.js";
import { buildTemplateSummary } from "./summary.js";

export interface BuildTemplateDeps extends ActionDeps {
  imageCache?: ImageCache;
  /** retry backoff and clock of the Proxmox client (tests make them instant) */
  proxmoxTiming?: Partial<Pick<ProxmoxClientOptions, "retry" | "clock">>;
  /** replaces the virt-customize run (tests use a stand-in) */
  runCustomize?: (args: string[]) => Promise<void>;
  virtCustomizeCommand?: string;
  pollMs?: number;
}

export function defaultDeps(env: NodeJS.ProcessEnv = process.env): BuildTemplateDeps {
  return actionDeps(env);
}

export interface BuildTemplateOutcome extends Partial<TemplateResult> {
  fingerprint: string;
  wouldBuild?: boolean;
}

/** What every step of a run shares: the inputs, the cluster, the recipe and the connection. */
interface BuildRun {
  deps: BuildTemplateDeps;
  inputs: BuildTemplateInputs;
  plan: ClusterPlan;
  prebuilt: PrebuiltImageInput | undefined;
  recipe: TemplateRecipe;
  fingerprint: string;
  client: ProxmoxClient;
  timer: StepTimer;
  startedAt: string;
}

/**
 * The build-template action: makes sure a template with the configured recipe exists (building
 * it if not), then writes outputs, the summary and the phase state. With `plan: true` it only
 * says what a build would do.
 */
export async function run(deps: BuildTemplateDeps = defaultDeps()): Promise<BuildTemplateOutcome> {
  const startedAt = new Date().toISOString();
  const { inputs, loaded, prebuilt } = await readRun(deps);
  const { recipe, fingerprint } = describeRecipe(deps, inputs, loaded, prebuilt);
  const client = await createProxmoxClient({
    ...connectionForCluster(loaded, connectionInputsOf(inputs), deps.env),
    logger: deps.logger,
    env: deps.env,
    maskSecret: deps.maskSecret,
    ...deps.proxmoxTiming,
  });
  // a placeholder instead of a customised image is for pve-sim only, never a real Proxmox
  if (recipe.simulated)
    await assertSimulatorForSimulatedSteps(client, "simulate-customize").catch(
      async (error: unknown) => {
        await client.close();
        throw error;
      },
    );
  const buildRun: BuildRun = {
    deps,
    inputs,
    plan: loaded.plan,
    prebuilt,
    recipe,
    fingerprint,
    client,
    timer: new StepTimer(),
    startedAt,
  };
  try {
    return inputs.plan ? await planOnly(buildRun) : await build(buildRun);
  } finally {
    await client.close();
  }
}

/** The inputs, cluster.yaml and the pre-built image input, if any. */
async function readRun(deps: BuildTemplateDeps) {
  const { env } = deps;
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  if (inputs["proxmox-token-secret"]) deps.maskSecret(inputs["proxmox-token-secret"]);
  if (inputs["state-key"]) deps.maskSecret(inputs["state-key"]);
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const loaded = await loadClusterConfig(inputs.cluster, { cwd: workspace });
  const prebuilt = prebuiltImageInput(inputs["image-file"], inputs["image-sha256"], workspace);
  return { inputs, loaded, prebuilt };
}

/** The recipe the template is made of and its fingerprint (the template's identity). */
function describeRecipe(
  { logger }: BuildTemplateDeps,
  inputs: BuildTemplateInputs,
  loaded: LoadedConfig,
  prebuilt: PrebuiltImageInput | undefined,
) {
  if (inputs["simulate-customize"] && (prebuilt || loaded.plan.template.source !== "upload")) {
    logger.warning(
      `simulate-customize has no effect with ${prebuilt ? "a pre-built image (image-file)" : "template.source: download-url"} (nothing is customised)`,
    );
  }
  const recipe = templateRecipe(loaded, {
    simulated: inputs["simulate-customize"],
    ...(prebuilt ? { prebuilt: { sha256: prebuilt.sha256 } } : {}),
  });
  const fingerprint = recipeFingerprint(recipe);
  logger.info(
    `template recipe ${fingerprint} (${recipe.source}${recipe.simulated ? ", customisation SIMULATED" : ""})`,
  );
  return { recipe, fingerprint };
}

/** `plan: true`: what a build would do, in the summary and outputs; nothing changes. */
async function planOnly(run: BuildRun): Promise<BuildTemplateOutcome> {
  const { deps, client, plan, fingerprint } = run;
  const slots = await inspectTemplates(client, plan, fingerprint);
  const wouldBuild = !slots.ready;
  const nextVmid =
    wouldBuild && !slots.building
      ? await nextFreeTemplateVmid(client, plan, slots)
      : slots.building?.vmid;
  await appendJobSummary(
    buildTemplateSummary({
      cluster: plan.cluster,
      vmid: slots.ready?.vmid ?? nextVmid ?? 0,
      node: slots.ready?.node ?? plan.template.node,
      fingerprint,
      built: false,
      waitedForOtherBuilder: false,
      kept: await keptTemplates(run, slots.others),
      recipe: run.recipe,
      timings: [],
      planOnly: { wouldBuild, ...(nextVmid ? { nextVmid } : {}) },
      tlsInsecure: client.endpoint.tlsMode === "insecure",
    }),
    deps.logger,
    deps.env,
  );
  deps.setOutput("would-build", String(wouldBuild));
  deps.setOutput("fingerprint", fingerprint);
  if (slots.ready) deps.setOutput("template-vmid", String(slots.ready.vmid));
  return {
    fingerprint,
    wouldBuild,
    ...(slots.ready ? { vmid: slots.ready.vmid, node: slots.ready.node } : {}),
  };
}

/** Builds the template unless one with this recipe exists, then reports it. */
async function build(run: BuildRun): Promise<BuildTemplateOutcome> {
  const result = await ensureTemplate({
    client: run.client,
    logger: run.deps.logger,
    plan: run.plan,
    recipe: run.recipe,
    fingerprint: run.fingerprint,
    runId: buildRunId(run.deps.env),
    timer: run.timer,
    staleAfterMs: run.inputs["build-lock-timeout-minutes"] * 60_000,
    ...(run.deps.pollMs ? { pollMs: run.deps.pollMs } : {}),
    ...imageSteps(run),
  });
  await reportBuilt(run, result);
  return { fingerprint: run.fingerprint, ...result };
}

/** Unique per attempt: it marks the build lock and the half-built VM as this run's. */
function buildRunId(env: NodeJS.ProcessEnv): string {
  return `${env.GITHUB_RUN_ID ?? os.hostname()}-${env.GITHUB_RUN_ATTEMPT ?? process.pid}-${randomUUID().slice(0, 8)}`;
}

/** How the image gets into Proxmox's import storage: a pre-built file, a download, or ours. */
function imageSteps(run: BuildRun): Pick<BuildContext, "beforeBuild" | "stageImage"> {
  const { deps, inputs, plan, prebuilt, recipe, fingerprint, client, timer } = run;
  const { env, logger } = deps;
  const workDir =
    inputs["work-dir"] ?? path.join(env.RUNNER_TEMP ?? os.tmpdir(), "pve-kube-template");
  const imageCache = deps.imageCache ?? (inputs.cache ? actionsImageCache(logger) : noImageCache);
  const node = plan.template.node;
  const storage = plan.proxmox.imageStorage;
  const uploadName = customisedFileName(plan.template.image.fileName, fingerprint);
  // a pre-built image's name in the import storage comes from the file, read when building
  let prebuiltName: string | undefined;
  return {
    // nothing changes on Proxmox before we know the image can be made
    beforeBuild: async () => {
      if (prebuilt) {
        prebuiltName = await prebuiltUploadName(prebuilt);
        await verifyPrebuilt(prebuilt, logger, timer);
        return;
      }
      if (recipe.source !== "upload" || recipe.simulated) return;
      if (await volumeExists(client, node, storage, importVolid(storage, uploadName))) return;
      await timer.time("check virt-customize", () =>
        assertVirtCustomize(logger, deps.virtCustomizeCommand),
      );
    },
    stageImage: async () =>
      prebuilt
        ? stageByUpload(client, plan, prebuiltName ?? (await prebuiltUploadName(prebuilt)), () =>
            Promise.resolve(
              preparedPrebuilt(prebuilt, prebuiltName ?? path.basename(prebuilt.file)),
            ),
          )
        : recipe.source === "download-url"
          ? stageByDownload(client, plan)
          : stageByUpload(client, plan, uploadName, () =>
              prepareCustomisedImage(recipe, fingerprint, plan.template.image.fileName, {
                workDir,
                cache: imageCache,
                logger,
                timer,
                stateKey: inputs["state-key"],
                ...(deps.runCustomize ? { runCustomize: deps.runCustomize } : {}),
              }),
            ),
  };
}

/** Outputs, job summary and phase state of a finished build. */
async function reportBuilt(run: BuildRun, result: TemplateResult): Promise<void> {
  const { deps, plan, recipe, fingerprint, client, timer } = run;
  const simulatedSteps = timer.timings.filter((t) => t.simulated).map((t) => t.step);
  // an up-to-date simulated template did not run those steps now, but it is still made of them
  if (recipe.simulated && simulatedSteps.length === 0)
    simulatedSteps.push("base image", "virt-customize");
  deps.setOutput("template-vmid", String(result.vmid));
  deps.setOutput("node", result.node);
  deps.setOutput("fingerprint", fingerprint);
  deps.setOutput("built", String(result.built));
  deps.setOutput("simulated-steps", simulatedSteps.join(","));
  await finishPhase({
    plan,
    env: deps.env,
    logger: deps.logger,
    artifactStore: deps.artifactStore,
    stateKey: run.inputs["state-key"],
    summary: buildTemplateSummary({
      cluster: plan.cluster,
      vmid: result.vmid,
      node: result.node,
      fingerprint,
      built: result.built,
      waitedForOtherBuilder: result.waitedForOtherBuilder,
      kept: await keptTemplates(run, result.kept),
      recipe,
      timings: timer.timings,
      tlsInsecure: client.endpoint.tlsMode === "insecure",
    }),
    state: {
      phase: "build-template",
      status: "succeeded",
      startedAt: run.startedAt,
      timings: timer.timings,
      outputs: {
        templateVmid: result.vmid,
        node: result.node,
        fingerprint,
        built: result.built,
        simulatedSteps,
      },
    },
  });
}

/** Older templates of this cluster that VMs still use (kept, not removed), for the summary. */
async function keptTemplates(run: BuildRun, others: Parameters<typeof templateUsers>[2]) {
  return [...(await templateUsers(run.client, run.plan, others))].map(([vmid, usedBy]) => ({
    vmid,
    usedBy,
  }));
}
