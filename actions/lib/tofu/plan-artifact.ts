import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ConfigurationError, getErrorMessage } from "../errors.js";
import type { Logger } from "../logger.js";
import { isArtifactNotFound, type ArtifactStore } from "../state/phase-state-artifacts.js";
import type { SealedPlan } from "./plan-file.js";

const FILE = "tofu-plan.json";

export function planArtifactName(cluster: string): string {
  return `pve-kube-${cluster}-tofu-plan`;
}

/**
 * Stores the sealed plan as an artifact of this run, replacing an earlier one of the same run (a
 * re-run plans again). Short retention: a plan is only good until the state moves on.
 */
export async function uploadPlan(
  cluster: string,
  sealed: SealedPlan,
  store: ArtifactStore,
  logger: Logger,
  tmpRoot = os.tmpdir(),
): Promise<string> {
  const name = planArtifactName(cluster);
  const dir = await mkdtemp(path.join(tmpRoot, "pve-kube-plan-"));
  try {
    await writeFile(path.join(dir, FILE), JSON.stringify(sealed), { mode: 0o600 });
    try {
      await store.getArtifact(name);
      await store.deleteArtifact(name);
      logger.info(`replacing the earlier ${name} artifact of this run`);
    } catch (error) {
      if (!isArtifactNotFound(error)) throw error;
    }
    await store.uploadArtifact(name, [path.join(dir, FILE)], dir, { retentionDays: 7 });
    return name;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The sealed plan document of this run (still sealed: the caller opens and checks it). */
export async function downloadPlan(
  cluster: string,
  store: ArtifactStore,
  tmpRoot = os.tmpdir(),
): Promise<string> {
  const name = planArtifactName(cluster);
  let id: number;
  try {
    id = (await store.getArtifact(name)).artifact.id;
  } catch (error) {
    if (isArtifactNotFound(error)) {
      throw new ConfigurationError(
        `no reviewed plan: artifact ${name} is not in this workflow run`,
        "run tofu-provision with mode: plan in an earlier job of the same run and pass its plan-sha256 output to the apply job",
      );
    }
    throw new Error(`could not look up artifact ${name}: ${getErrorMessage(error)}`);
  }
  const dir = await mkdtemp(path.join(tmpRoot, "pve-kube-plan-"));
  try {
    const result = await store.downloadArtifact(id, { path: dir });
    return await readFile(path.join(result.downloadPath ?? dir, FILE), "utf8");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
