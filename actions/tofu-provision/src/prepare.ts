import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ClusterPlan } from "../../lib/config/index.js";
import type { Logger } from "../../lib/logger.js";
import type { ResolvedConnection } from "../../lib/proxmox/index.js";
import type { StepTimer } from "../../lib/state/index.js";
import { backendConfigEntries } from "../../lib/tofu/backend.js";
import { locateTofu, type LocatedTool, type LocateOptions } from "../../lib/tofu/install.js";
import { publishJobPluginDir, seedJobPluginDir } from "../../lib/tofu/job-plugin-dir.js";
import { pluginCacheKey, type PluginCache } from "../../lib/tofu/plugin-cache.js";
import { providerEndpoint } from "../../lib/tofu/provider-endpoint.js";
import { TofuRunner } from "../../lib/tofu/runner.js";
import { writeCliConfig } from "../../lib/tofu/tool-env.js";
import { renderTofuVars } from "../../lib/tofu/var-file.js";
import { prepareWorkspace, type PreparedWorkspace } from "../../lib/tofu/workspace.js";
import type { ResolvedBackend } from "./backend-from-config.js";
import type { TofuProvisionInputs } from "./inputs.js";
import { versions } from "../../lib/versions.js";

export interface PrepareContext {
  inputs: TofuProvisionInputs;
  plan: ClusterPlan;
  connection: ResolvedConnection;
  templateVmid: number;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  timer: StepTimer;
  moduleDir: string;
  pluginCache: PluginCache;
  /** where the state lives (cluster.yaml's state section or the backend input) */
  backend: ResolvedBackend;
  download?: LocateOptions["download"];
}

export interface PreparedTofu {
  runner: TofuRunner;
  workspace: PreparedWorkspace;
  tool: LocatedTool;
  /** where the local backend keeps the state (undefined for remote backends) */
  localStatePath?: string;
  pluginCacheHit: boolean;
}

function pinnedChecksums(): { sha256?: Record<string, string> } {
  const sha256 = (versions.opentofu as { sha256?: Record<string, string> }).sha256;
  return sha256 ? { sha256 } : {};
}

function homeDir(env: NodeJS.ProcessEnv): string {
  return env.HOME ?? os.homedir();
}

/** The local backend's default state file: outside any checkout, one per cluster identity. */
export function defaultLocalStatePath(
  plan: Pick<ClusterPlan, "cluster" | "uid">,
  env: NodeJS.ProcessEnv,
): string {
  const stateHome = env.XDG_STATE_HOME ?? path.join(homeDir(env), ".local", "state");
  return path.join(
    stateHome,
    "pve-kube",
    "tofu",
    `${plan.cluster}-${plan.uid}`,
    "terraform.tfstate",
  );
}

/**
 * Everything before the first plan: the tool, the working copy with var file and backend, the
 * provider's trust in the Proxmox certificate, the plugin cache, and `init`.
 */
export async function prepareTofu(ctx: PrepareContext): Promise<PreparedTofu> {
  const { inputs, plan, connection, env, logger, timer } = ctx;
  const tool = await timer.time("locate OpenTofu", () =>
    locateTofu({
      binary: inputs.binary,
      version: versions.opentofu.version,
      ...(inputs["tofu-path"] ? { toolPath: inputs["tofu-path"] } : {}),
      logger,
      env,
      // release checksums pinned in versions.json (opentofu.sha256.<os>_<arch>) win over SHA256SUMS
      download: { ...pinnedChecksums(), ...ctx.download },
    }),
  );
  logger.info(`using ${tool.binary} ${tool.version} (${tool.source}: ${tool.path})`);

  const dir = path.join(env.RUNNER_TEMP ?? os.tmpdir(), "pve-kube-tofu", plan.cluster);
  await mkdir(dir, { recursive: true });
  // the provider reaches Proxmox only through a loopback relay that retries reads and checks the certificate our way
  const provider = await timer.time("check Proxmox TLS", () =>
    providerEndpoint({
      url: connection.url,
      tls: connection.tls,
      workDir: dir,
      logger,
      token: { id: connection.tokenId, secret: connection.tokenSecret },
    }),
  );
  const vars = renderTofuVars(plan, {
    templateVmid: ctx.templateVmid,
    linkedClones: inputs["linked-clones"],
    endpoint: null,
    insecure: false,
  });
  const workspace = await prepareWorkspace({
    moduleDir: ctx.moduleDir,
    dir,
    vars,
    backend: ctx.backend.kind,
    lockFileMode: inputs["lock-file"],
  });
  if (inputs["lock-file"] === "regenerate")
    logger.warning(
      "lock-file: regenerate — provider hashes are taken from what this runner installs, not from the committed lock file",
    );

  const { backend } = ctx;
  const localStatePath =
    backend.kind === "local"
      ? (backend.entries.findLast((e) => e.startsWith("path="))?.slice(5) ??
        defaultLocalStatePath(plan, env))
      : undefined;
  if (localStatePath) await mkdir(path.dirname(localStatePath), { recursive: true });
  const backendConfig = backendConfigEntries(backend.kind, backend.entries, localStatePath ?? "");

  const pluginDir = path.join(
    env.XDG_CACHE_HOME ?? path.join(homeDir(env), ".cache"),
    "pve-kube",
    "tofu-plugins",
  );
  await mkdir(pluginDir, { recursive: true });
  const cacheKey = pluginCacheKey(
    tool.binary,
    tool.version,
    workspace.lockFile ?? `regenerate:${versions.bpgProvider.version}`,
  );
  const restored = inputs.cache
    ? await timer.time("restore provider cache", () =>
        ctx.pluginCache.restore(pluginDir, cacheKey.key, cacheKey.restoreKeys),
      )
    : undefined;

  if (restored)
    logger.info(
      `provider cache restored (${restored === cacheKey.key ? "exact key" : `older key ${restored}`})`,
    );
  // this job's own plugin cache, hard links to the shared one (job-plugin-dir.ts says why)
  const jobPluginDir = path.join(
    env.RUNNER_TEMP ?? os.tmpdir(),
    `pve-kube-tofu-plugins-${process.pid}`,
  );
  await seedJobPluginDir(pluginDir, jobPluginDir);
  const token = `${connection.tokenId}=${connection.tokenSecret}`;
  const runner = new TofuRunner({
    tool: tool.path,
    dir,
    logger,
    env,
    set: {
      ...provider.env,
      ...backend.env,
      TF_CLI_CONFIG_FILE: await writeCliConfig(dir, { providerMirror: inputs["provider-mirror"] }),
      TF_PLUGIN_CACHE_DIR: jobPluginDir,
    },
    secrets: [
      token,
      connection.tokenSecret,
      ...(inputs["state-key"] ? [inputs["state-key"]] : []),
      ...Object.values(backend.env),
    ],
    session: provider.session,
  });
  await logger.group(`${tool.binary} init`, () =>
    timer.time("init", () =>
      runner.init({
        backendConfig,
        lockfileReadonly: inputs["lock-file"] === "verify",
        // OpenTofu evaluates variables early; Terraform's init takes no variables
        ...(tool.binary === "tofu" ? { varFile: workspace.varFile } : {}),
      }),
    ),
  );
  const published = await publishJobPluginDir(jobPluginDir, pluginDir);
  if (published.length)
    logger.info(`providers added to the runner's plugin cache: ${published.join(", ")}`);
  if (inputs.cache && restored !== cacheKey.key)
    await ctx.pluginCache.save(pluginDir, cacheKey.key);
  return {
    runner,
    workspace,
    tool,
    ...(localStatePath ? { localStatePath } : {}),
    pluginCacheHit: restored === cacheKey.key,
  };
}
