import { actionDeps, type ActionDeps } from "../../lib/action-deps.js";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { loadClusterConfig } from "../../lib/config/index.js";
import { inputFromEnv, readInputs } from "../../lib/inputs.js";
import {
  connectionForCluster,
  connectionInputsOf,
  createProxmoxClient,
  type ProxmoxClientOptions,
} from "../../lib/proxmox/index.js";
import { appendJobSummary } from "../../lib/report/summary.js";
import { finishedPhaseState, StepTimer, uploadPhaseState } from "../../lib/state/index.js";
import { recipeFingerprint, templateRecipe } from "../../lib/template/index.js";
import { ensureTemplate, nextFreeTemplateVmid, type TemplateResult } from "./build.js";
import { actionsImageCache, noImageCache, type ImageCache } from "./image-cache.js";
import { assertVirtCustomize, customisedFileName, prepareCustomisedImage } from "./image.js";
import { inputSchema } from "./inputs.js";
import {
  prebuiltImageInput,
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

/**
 * The build-template action: makes sure a template with the configured recipe exists (building
 * it if not), then writes outputs, the summary and the phase state.
 */
export async function run(deps: BuildTemplateDeps = defaultDeps()): Promise<BuildTemplateOutcome> {
  const { env, logger } = deps;
  const startedAt = new Date().toISOString();
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  if (inputs["proxmox-token-secret"]) deps.maskSecret(inputs["proxmox-token-secret"]);
  const loaded = await loadClusterConfig(inputs.cluster, {
    cwd: env.GITHUB_WORKSPACE ?? process.cwd(),
  });
  const { plan } = loaded;
  const prebuilt = prebuiltImageInput(
    inputs["image-file"],
    inputs["image-sha256"],
    env.GITHUB_WORKSPACE ?? process.cwd(),
  );
  if (inputs["simulate-customize"] && (prebuilt || plan.template.source !== "upload")) {
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

  const client = await createProxmoxClient({
    ...connectionForCluster(loaded, connectionInputsOf(inputs), env),
    logger,
    env,
    maskSecret: deps.maskSecret,
    ...deps.proxmoxTiming,
  });
  const timer = new StepTimer();
  try {
    if (inputs.plan) {
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
          kept: [...(await templateUsers(client, plan, slots.others))].map(([vmid, usedBy]) => ({
            vmid,
            usedBy,
          })),
          recipe,
          timings: [],
          planOnly: { wouldBuild, ...(nextVmid ? { nextVmid } : {}) },
          tlsInsecure: client.endpoint.tlsMode === "insecure",
        }),
        logger,
        env,
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

    const workDir =
      inputs["work-dir"] ?? path.join(env.RUNNER_TEMP ?? os.tmpdir(), "pve-kube-template");
    const imageCache = deps.imageCache ?? (inputs.cache ? actionsImageCache(logger) : noImageCache);
    const node = plan.template.node;
    const storage = plan.proxmox.imageStorage;
    const uploadName = customisedFileName(plan.template.image.fileName, fingerprint);
    // a pre-built image's name in the import storage comes from the file, read when building
    let prebuiltName: string | undefined;
    const runId = `${env.GITHUB_RUN_ID ?? os.hostname()}-${env.GITHUB_RUN_ATTEMPT ?? process.pid}-${randomUUID().slice(0, 8)}`;

    const result = await ensureTemplate({
      client,
      logger,
      plan,
      recipe,
      fingerprint,
      runId,
      timer,
      staleAfterMs: inputs["build-lock-timeout-minutes"] * 60_000,
      ...(deps.pollMs ? { pollMs: deps.pollMs } : {}),
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
                  ...(deps.runCustomize ? { runCustomize: deps.runCustomize } : {}),
                }),
              ),
    });

    const simulatedSteps = timer.timings.filter((t) => t.simulated).map((t) => t.step);
    // an up-to-date simulated template did not run those steps now, but it is still made of them
    if (recipe.simulated && simulatedSteps.length === 0)
      simulatedSteps.push("base image", "virt-customize");
    deps.setOutput("template-vmid", String(result.vmid));
    deps.setOutput("node", result.node);
    deps.setOutput("fingerprint", fingerprint);
    deps.setOutput("built", String(result.built));
    deps.setOutput("simulated-steps", simulatedSteps.join(","));
    await appendJobSummary(
      buildTemplateSummary({
        cluster: plan.cluster,
        vmid: result.vmid,
        node: result.node,
        fingerprint,
        built: result.built,
        waitedForOtherBuilder: result.waitedForOtherBuilder,
        kept: [...(await templateUsers(client, plan, result.kept))].map(([vmid, usedBy]) => ({
          vmid,
          usedBy,
        })),
        recipe,
        timings: timer.timings,
        tlsInsecure: client.endpoint.tlsMode === "insecure",
      }),
      logger,
      env,
    );
    if (deps.artifactStore) {
      const state = finishedPhaseState(plan, env, {
        phase: "build-template",
        status: "succeeded",
        startedAt,
        timings: timer.timings,
        outputs: {
          templateVmid: result.vmid,
          node: result.node,
          fingerprint,
          built: result.built,
          simulatedSteps,
        },
      });
      await uploadPhaseState(state, deps.artifactStore, logger);
    } else {
      logger.info("no artifact service in this environment: build-template state not uploaded");
    }
    return { fingerprint, ...result };
  } finally {
    await client.close();
  }
}
