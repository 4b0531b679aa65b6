import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PveSim } from "../../../sim/index.js";
import { repoPath } from "../../helpers/repo.js";

/**
 * cluster.yaml for tests against pve-sim: the HA example (3 control planes, 3 workers on
 * pve1..pve3, template 9000) pointed at the simulator, certificate pinned by its fingerprint.
 * `edit` changes the YAML text further (e.g. a new Kubernetes version).
 */
export async function writeSimCluster(
  dir: string,
  sim: PveSim,
  edit: (yaml: string) => string = (y) => y,
  file = "cluster.yaml",
): Promise<string> {
  const example = await readFile(
    repoPath("workflows-examples", "clusters", "ha", "cluster.yaml"),
    "utf8",
  );
  const yaml = example.replace(
    /endpoint: .*\n/,
    `endpoint: ${sim.url}\n  tls:\n    fingerprint: "${sim.fingerprint}"\n`,
  );
  const target = path.join(dir, file);
  const text = edit(yaml);
  await writeFile(target, text);
  // the operator's one-time host setup the example expects (`pveum pool add k8s-demo`)
  const pool = /^ {2}pool: (\S+)$/m.exec(text)?.[1];
  if (pool) sim.admin.ensurePool(pool);
  return target;
}

/** The token environment the actions read. */
export function tokenEnv(token: { id: string; secret: string }): Record<string, string> {
  return { PROXMOX_TOKEN_ID: token.id, PROXMOX_TOKEN_SECRET: token.secret };
}

/** Retry/clock settings that keep tests instant (no real sleeping between retries or polls). */
export const instant = {
  retry: { sleep: () => Promise.resolve(), random: () => 0 },
  clock: { sleep: () => new Promise<void>((resolve) => setImmediate(resolve)) },
};
