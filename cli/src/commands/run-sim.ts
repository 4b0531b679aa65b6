import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { loadClusterConfig, type ClusterPlan } from "../../../actions/lib/config/index.js";
import { getErrorMessage } from "../../../actions/lib/errors.js";
import { pveKubeRolePrivileges } from "../../../actions/lib/proxmox/privileges.js";
import { PVE_KUBE_ROLE } from "../../../actions/lib/proxmox/pveum.js";
import { startSimDaemon, type SimDaemon } from "./sim-daemon.js";

/**
 * `pve-kube run --sim`: the embedded demo. Starts pve-sim for the run with its state kept in
 * `.local-run/pve-sim/` (so the next run sees the same "Proxmox"), and hands the workflow what an
 * operator would configure: the URL and certificate fingerprint as inputs, an API token limited
 * to the PVEKube role as secrets, a fresh state key, and the cluster's resource pool. Everything the demo keeps — pve-sim's state
 * and the OpenTofu state (XDG_STATE_HOME) — lives in that one folder: delete it to start over.
 */

const DEMO_USER = "pve-kube@pve";
const DEMO_TOKEN = "deploy";

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

/** The demo token: created once with the PVEKube role on /, then read back from pve-sim's state. */
async function demoToken(sim: SimDaemon): Promise<{ id: string; secret: string }> {
  const state = await sim.snapshot();
  const existing = state.users.find((u) => u.userid === DEMO_USER)?.tokens[DEMO_TOKEN];
  if (existing) return { id: `${DEMO_USER}!${DEMO_TOKEN}`, secret: existing.secret };
  const role = state.roles[PVE_KUBE_ROLE] ? PVE_KUBE_ROLE : pveKubeRolePrivileges();
  return sim.createToken(DEMO_USER, DEMO_TOKEN, role, "/");
}

/**
 * What an operator does once on the host before the first deploy (docs/proxmox-client.md): the
 * resource pool the cluster file names (`pveum pool add`). Done here for the demo only; preflight
 * fails on a real Proxmox where it is missing.
 */
async function prepareLikeAnOperator(sim: SimDaemon, options: SimRunOptions): Promise<void> {
  const clusterFile = options.inputs.cluster;
  if (!clusterFile) return;
  let pool: string | undefined;
  let cluster = "";
  try {
    const { plan } = await loadClusterConfig(clusterFile, { cwd: options.checkout });
    pool = plan.proxmox.pool;
    cluster = plan.cluster;
  } catch {
    // an invalid cluster file is reported by preflight, with positions, like on a real run
  }
  if (pool) await sim.ensurePool(pool, `pve-kube cluster ${cluster}`);
}

/**
 * The same set-up for a pve-sim someone else started (the lab's): the PVEKube-role token, the
 * cluster's pool, and a fresh key for the run's phase state.
 */
export async function prepareSimForDeploy(
  sim: SimDaemon,
  plan: Pick<ClusterPlan, "cluster" | "proxmox">,
): Promise<{ id: string; secret: string; stateKey: string }> {
  const token = await demoToken(sim);
  if (plan.proxmox.pool)
    await sim.ensurePool(plan.proxmox.pool, `pve-kube cluster ${plan.cluster}`);
  return { ...token, stateKey: randomBytes(32).toString("hex") };
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
  let token: { id: string; secret: string };
  try {
    token = await demoToken(sim);
    await prepareLikeAnOperator(sim, options);
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
  fillSecret("PROXMOX_TOKEN_ID", token.id);
  fillSecret("PROXMOX_TOKEN_SECRET", token.secret);
  // phase state lives for one run, so a fresh key per run is enough and never stored
  fillSecret("STATE_KEY", randomBytes(32).toString("hex"));
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
