import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ConfigurationError, getErrorMessage } from "../errors.js";
import type { Logger } from "../logger.js";
import {
  assertPhaseStateTrusted,
  phaseArtifactName,
  parsePhaseState,
  signPhaseState,
  type PhaseState,
  type PhaseStateExpectation,
} from "./phase-state.js";
import type { Phase } from "./phases.js";

/** The part of @actions/artifact's client that state transport uses (the real client satisfies it). */
export interface ArtifactStore {
  uploadArtifact(
    name: string,
    files: string[],
    rootDirectory: string,
    options?: { retentionDays?: number },
  ): Promise<{ id?: number; size?: number }>;
  getArtifact(name: string): Promise<{ artifact: { id: number; name: string } }>;
  downloadArtifact(id: number, options?: { path?: string }): Promise<{ downloadPath?: string }>;
  deleteArtifact(name: string): Promise<{ id: number }>;
}

/**
 * The runner's artifact service. @actions/artifact brings the Azure SDK, Octokit and archiver
 * (3 MB of the bundle): it loads when a run first moves state, not when an action starts.
 */
export function defaultArtifactStore(): ArtifactStore {
  let client: Promise<ArtifactStore> | undefined;
  const load = () =>
    (client ??= import("@actions/artifact").then((m) => new m.DefaultArtifactClient()));
  return {
    uploadArtifact: async (name, files, rootDirectory, options) =>
      (await load()).uploadArtifact(name, files, rootDirectory, options),
    getArtifact: async (name) => (await load()).getArtifact(name),
    downloadArtifact: async (id, options) => (await load()).downloadArtifact(id, options),
    deleteArtifact: async (name) => (await load()).deleteArtifact(name),
  };
}

const STATE_FILE = "state.json";

/**
 * How long phase state is kept: a failed job can be re-run up to 30 days after its run, and an
 * apply can wait as long for its approval; nothing reads the state later. (A shorter maximum set
 * for the repository or organisation wins.)
 */
export const STATE_RETENTION_DAYS = 30;

/** Whether an artifact client error says the artifact does not exist (any other is a failure). */
export function isArtifactNotFound(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === "ArtifactNotFoundError" || /not found/i.test(error.message))
  );
}

/**
 * Uploads a phase's state as the artifact `pve-kube-<cluster>-<phase>`. A re-run of the same job
 * in the same workflow run replaces the earlier artifact instead of failing on the name.
 */
export async function uploadPhaseState(
  unsigned: PhaseState,
  store: ArtifactStore,
  logger: Logger,
  options: { tmpRoot?: string; stateKey?: string | undefined } = {},
): Promise<string> {
  // signed when the job holds the state-key: later jobs can prove who wrote it
  const state = options.stateKey ? signPhaseState(unsigned, options.stateKey) : unsigned;
  const tmpRoot = options.tmpRoot ?? os.tmpdir();
  const name = phaseArtifactName(state.cluster, state.phase);
  const dir = await mkdtemp(path.join(tmpRoot, "pve-kube-state-"));
  try {
    await writeFile(path.join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, {
      mode: 0o600,
    });
    try {
      await store.getArtifact(name);
      logger.info(`replacing the earlier ${name} artifact of this run`);
      await store.deleteArtifact(name);
    } catch (error) {
      if (!isArtifactNotFound(error)) throw error;
    }
    await store.uploadArtifact(name, [path.join(dir, STATE_FILE)], dir, {
      retentionDays: STATE_RETENTION_DAYS,
    });
    logger.info(`state uploaded as artifact ${name}`);
    return name;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Downloads and validates the state of an earlier phase. A missing artifact is a user-facing
 * error that says which job must run first.
 */
export async function downloadPhaseState<P extends Phase>(
  cluster: string,
  phase: P,
  store: ArtifactStore,
  options: { tmpRoot?: string; expect?: PhaseStateExpectation } = {},
): Promise<PhaseState<P>> {
  const tmpRoot = options.tmpRoot ?? os.tmpdir();
  const name = phaseArtifactName(cluster, phase);
  let id: number;
  try {
    id = (await store.getArtifact(name)).artifact.id;
  } catch (error) {
    if (isArtifactNotFound(error)) {
      throw new ConfigurationError(
        `no state of phase '${phase}' for cluster '${cluster}' (artifact ${name} not found in this run)`,
        `run the '${phase}' job first (add it to \`needs:\`), or include it in the phases to run`,
      );
    }
    throw new Error(`could not look up artifact ${name}: ${getErrorMessage(error)}`);
  }
  const dir = await mkdtemp(path.join(tmpRoot, "pve-kube-state-"));
  try {
    await mkdir(dir, { recursive: true });
    const result = await store.downloadArtifact(id, { path: dir });
    const json = await readFile(path.join(result.downloadPath ?? dir, STATE_FILE), "utf8");
    const state = parsePhaseState(json, phase, `artifact ${name}`);
    assertPhaseStateTrusted(state, options.expect ?? {}, `artifact ${name}`);
    return state;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
