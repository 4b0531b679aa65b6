import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { loadClusterConfig, type ClusterPlan } from "../../../actions/lib/config/index.js";
import { getErrorMessage } from "../../../actions/lib/errors.js";
import {
  privilegeScopeOf,
  TOKEN_AUDIT_PATH,
  TOKEN_ROLES,
  tokenSetup,
  type TokenAccess,
} from "../../../actions/lib/proxmox/privileges.js";
import { startSimDaemon, type SimDaemon } from "./sim-daemon.js";

/**
 * `pve-kube run --sim`: the embedded demo. Starts pve-sim for the run with its state kept in
 * `.local-run/pve-sim/` (so the next run sees the same "Proxmox"), and hands the workflow what an
 * operator would configure: the URL and certificate fingerprint as inputs, the two API tokens of
 * the documented scoped setup as secrets (the write token and the read-only one of preflight and
 * the plan job), a fresh state key, and the cluster's resource pool. Everything the demo keeps —
 * pve-sim's state and the OpenTofu state (XDG_STATE_HOME) — lives in that one folder: delete it
 * to start over.
 */

/** pve-sim is Proxmox VE 9 (the major decides VM.GuestAgent.Audit over VM.Monitor). */
const SIM_PROXMOX_MAJOR = 9;

/** The demo's tokens, named as docs/proxmox-client.md names them. */
export const DEMO_TOKENS: Record<TokenAccess, { user: string; token: string }> = {
  write: { user: "pve-kube@pve", token: "deploy" },
  "read-only": { user: "pve-kube-ro@pve", token: "plan" },
};

export interface SimRunOptions {
  checkout: string;
  port: number;
  timeScale: number;
  /** pve-sim's `--faults` spec for this run (a fault profile or keys); none by default */
  faults?: string;
  /** pve-sim's `--seed`: which fault sequence; pve-sim's default (1) when not given */
  seed?: number;
  /** where pve-sim's state and the OpenTofu state live; default <checkout>/.local-run/pve-sim */
  folder?: string;
  /** inputs the workflow declares; only those are filled in (secrets always are) */
  declaredInputs: ReadonlySet<string>;
  inputs: Record<string, string>;
  secrets: Record<string, string>;
  env: NodeJS.ProcessEnv;
  /** the CLI entry that starts pve-sim's own process (`<entry> sim --daemon …`) */
  cliEntry: string;
  /** progress lines for the operator */
  say: (line: string) => void;
}

export interface SimRun {
  sim: SimDaemon;
  folder: string;
  inputs: Record<string, string>;
  secrets: Record<string, string>;
  env: NodeJS.ProcessEnv;
  /** "pve-sim: N changes …" — the mutating API calls this run made, by kind */
  changesReport(): Promise<{ count: number; text: string; markdown: string }>;
}

export interface DemoToken {
  id: string;
  secret: string;
}

/**
 * A demo token, set up exactly as docs/proxmox-client.md's scoped setup does it: its role with
 * the documented privileges, granted to the token and its user on the paths preflight derives
 * from the cluster plan and prints as `pveum` commands (tokenSetup) — the pool, the storages, the
 * nodes and the bridge's SDN path, or each `/vms/<id>` without a pool; the read-only token also on
 * `/access`, so the deploy's preflight can check the write token by its id. Never on `/`: a token
 * of an earlier set-up (state from an older demo run) keeps its secret and loses every other
 * grant. Without a readable cluster plan the token holds nothing (preflight stops on the file).
 */
async function demoToken(
  sim: SimDaemon,
  plan: ClusterPlan | undefined,
  access: TokenAccess,
): Promise<DemoToken> {
  const { user, token } = DEMO_TOKENS[access];
  const { role, privileges } = TOKEN_ROLES[access];
  await sim.ensureRole(role, privileges(SIM_PROXMOX_MAJOR));
  const paths = plan ? tokenSetup(privilegeScopeOf(plan, SIM_PROXMOX_MAJOR), access).paths : [];
  return sim.ensureToken(
    user,
    token,
    role,
    access === "read-only" && plan ? [...paths, TOKEN_AUDIT_PATH] : paths,
  );
}

/** The plan of the run's cluster file, or undefined: an invalid file is preflight's to report. */
async function clusterPlanOf(options: SimRunOptions): Promise<ClusterPlan | undefined> {
  const clusterFile = options.inputs.cluster;
  if (!clusterFile) return undefined;
  try {
    return (await loadClusterConfig(clusterFile, { cwd: options.checkout })).plan;
  } catch {
    // an invalid cluster file is reported by preflight, with positions, like on a real run
    return undefined;
  }
}

/**
 * What an operator does once on the host before the first deploy (docs/proxmox-client.md): the
 * resource pool the cluster file names (`pveum pool add`), the write token and the read-only
 * token, scoped to what the cluster uses — and a fresh key for the run's phase state. For the
 * demo (`pve-kube run --sim`) and for a pve-sim someone else started (the lab's); preflight fails
 * on a real Proxmox where any of it is missing.
 */
export async function prepareSimForDeploy(
  sim: SimDaemon,
  plan: ClusterPlan | undefined,
): Promise<{ write: DemoToken; readOnly: DemoToken; stateKey: string }> {
  if (plan?.proxmox.pool)
    await sim.ensurePool(plan.proxmox.pool, `pve-kube cluster ${plan.cluster}`);
  return {
    write: await demoToken(sim, plan, "write"),
    readOnly: await demoToken(sim, plan, "read-only"),
    stateKey: randomBytes(32).toString("hex"),
  };
}

/** `POST /nodes/pve1/qemu/1000/clone` → `POST /nodes/{node}/qemu/{vmid}/clone`, for counting by kind. */
export function requestKind(method: string, urlPath: string): string {
  const route = urlPath
    .replace(/^\/api2\/json/, "")
    .split("?")[0]
    ?.replace(/\/nodes\/[^/]+/, "/nodes/{node}")
    .replace(/\/qemu\/\d+/, "/qemu/{vmid}")
    .replace(/\/storage\/[^/]+/, "/storage/{storage}")
    .replace(/\/tasks\/[^/]+/, "/tasks/{upid}");
  return `${method} ${route ?? urlPath}`;
}

export async function startSimForRun(options: SimRunOptions): Promise<SimRun> {
  const folder = options.folder ?? path.join(options.checkout, ".local-run", "pve-sim");
  await mkdir(folder, { recursive: true, mode: 0o700 });
  // its own process: a killed run must not take "Proxmox" and the tasks it accepted down with it
  const sim = await startSimDaemon({
    statePath: path.join(folder, "state.json"),
    port: options.port,
    timeScale: options.timeScale,
    nodes: 3,
    logFile: path.join(folder, "pve-sim.log"),
    cliEntry: options.cliEntry,
    say: options.say,
    extraArgs: [
      ...(options.faults ? ["--faults", options.faults] : []),
      ...(options.seed !== undefined ? ["--seed", String(options.seed)] : []),
    ],
  });
  let prepared: Awaited<ReturnType<typeof prepareSimForDeploy>>;
  try {
    prepared = await prepareSimForDeploy(sim, await clusterPlanOf(options));
  } catch (error) {
    await sim.close();
    throw new Error(`pve-sim did not accept the demo set-up: ${getErrorMessage(error)}`);
  }
  const inputs = { ...options.inputs };
  const fill = (name: string, value: string) => {
    if (options.declaredInputs.has(name) && inputs[name] === undefined) inputs[name] = value;
  };
  fill("proxmox-url", sim.url);
  fill("proxmox-fingerprint", sim.fingerprint);
  // pve-sim cannot boot an image and this machine cannot download one: say so, never pretend
  fill("simulate-customize", "true");
  const secrets = { ...options.secrets };
  const fillSecret = (name: string, value: string) => {
    if (secrets[name] === undefined) secrets[name] = value;
  };
  fillSecret("PROXMOX_TOKEN_ID", prepared.write.id);
  fillSecret("PROXMOX_TOKEN_SECRET", prepared.write.secret);
  // preflight and the plan job read with this one (deploy.yml), as the docs recommend
  fillSecret("PROXMOX_READONLY_TOKEN_ID", prepared.readOnly.id);
  fillSecret("PROXMOX_READONLY_TOKEN_SECRET", prepared.readOnly.secret);
  // phase state lives for one run, so a fresh key per run is enough and never stored
  fillSecret("STATE_KEY", prepared.stateKey);
  const env = { ...options.env, XDG_STATE_HOME: path.join(folder, "xdg-state") };
  const startIndex = (await sim.requestLog()).length;

  return {
    sim,
    folder,
    inputs,
    secrets,
    env,
    async changesReport() {
      const changes = (await sim.requestLog()).slice(startIndex).filter((r) => r.mutating);
      const byKind = new Map<string, number>();
      for (const r of changes) {
        const kind = requestKind(r.method, r.path);
        byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
      }
      const kinds = [...byKind.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const headline =
        changes.length === 0
          ? "pve-sim: no changes — 0 mutating Proxmox API calls in this run"
          : `pve-sim: ${changes.length} mutating Proxmox API call${changes.length === 1 ? "" : "s"} in this run`;
      const text = [
        headline,
        ...kinds.map(([kind, n]) => `  ${String(n).padStart(4)} × ${kind}`),
      ].join("\n");
      const markdown = [
        "## pve-sim",
        `The run talked to the embedded pve-sim at \`${sim.url}\` (state in \`${path.relative(options.checkout, folder)}/\`). ${headline.replace(/^pve-sim: (.)/, (_, c: string) => c.toUpperCase())}.`,
        kinds.length
          ? [
              "| Calls | Request |",
              "| ---: | --- |",
              ...kinds.map(([kind, n]) => `| ${n} | \`${kind}\` |`),
            ].join("\n")
          : "",
      ]
        .filter(Boolean)
        .join("\n\n");
      return { count: changes.length, text, markdown };
    },
  };
}
