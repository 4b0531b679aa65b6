import { z } from "zod";
import { ConfigurationError } from "../errors.js";
import { stateMac, verifyStateMac } from "./seal.js";
import { PHASES, phaseOutputSchemas, type Phase, type PhaseOutputs } from "./phases.js";

/**
 * The versioned envelope every phase writes as its state artifact `pve-kube-<cluster>-<phase>`.
 * `version` is bumped on any incompatible change; readers refuse versions they do not know with a
 * message instead of misreading them.
 */
export const PHASE_STATE_VERSION = 1;

export const timingSchema = z
  .object({
    step: z.string(),
    ms: z.number().nonnegative(),
    /** the step did not run for real (embedded demo only); summaries must say so */
    simulated: z.boolean().optional(),
  })
  .strict();
export type Timing = z.infer<typeof timingSchema>;

const envelopeSchema = z
  .object({
    kind: z.literal("pve-kube/phase-state"),
    version: z.number().int(),
    cluster: z.string(),
    clusterUid: z.string(),
    phase: z.enum(PHASES),
    status: z.enum(["succeeded", "failed"]),
    startedAt: z.string(),
    finishedAt: z.string(),
    runId: z.string().optional(),
    timings: z.array(timingSchema),
    outputs: z.unknown(),
    /** HMAC-SHA256 of every other field under the state-key (phases that hold the key) */
    mac: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .strict();

export interface PhaseState<P extends Phase = Phase> extends Omit<
  z.infer<typeof envelopeSchema>,
  "outputs" | "phase"
> {
  phase: P;
  outputs: PhaseOutputs<P>;
}

export function phaseArtifactName(cluster: string, phase: Phase): string {
  return `pve-kube-${cluster}-${phase}`;
}

export function createPhaseState<P extends Phase>(
  fields: Omit<PhaseState<P>, "kind" | "version">,
): PhaseState<P> {
  const state = { kind: "pve-kube/phase-state" as const, version: PHASE_STATE_VERSION, ...fields };
  // validate on write too: a phase must never publish state that a later phase cannot read
  return parsePhaseState<P>(JSON.stringify(state), fields.phase, "new state");
}

/**
 * The state a phase of this run writes as it finishes: the cluster identity from the plan, the
 * workflow run id from GITHUB_RUN_ID (when there is one), finished now.
 */
export function finishedPhaseState<P extends Phase>(
  plan: { cluster: string; uid: string },
  env: NodeJS.ProcessEnv,
  fields: Pick<PhaseState<P>, "phase" | "status" | "startedAt" | "timings" | "outputs">,
): PhaseState<P> {
  return createPhaseState<P>({
    cluster: plan.cluster,
    clusterUid: plan.uid,
    finishedAt: new Date().toISOString(),
    ...(env.GITHUB_RUN_ID ? { runId: env.GITHUB_RUN_ID } : {}),
    ...fields,
  });
}

/** Parses and validates a state document; `source` names where it came from for error messages. */
export function parsePhaseState<P extends Phase>(
  json: string,
  phase: P,
  source: string,
): PhaseState<P> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigurationError(
      `${source} is not valid JSON`,
      `re-run the ${phase} phase to write it again`,
    );
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === "number" && version > PHASE_STATE_VERSION) {
    throw new ConfigurationError(
      `${source} has state version ${version}, newer than this pve-kube understands (${PHASE_STATE_VERSION})`,
      "use the same or a newer pve-kube version for every job of the workflow",
    );
  }
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) throw invalid(source, phase, envelope.error);
  if (envelope.data.phase !== phase) {
    throw new ConfigurationError(
      `${source} holds the state of phase '${envelope.data.phase}', not '${phase}'`,
      "check the artifact name",
    );
  }
  const outputs = phaseOutputSchemas[phase].safeParse(envelope.data.outputs);
  if (!outputs.success) throw invalid(source, phase, outputs.error);
  return { ...envelope.data, phase, outputs: outputs.data as PhaseOutputs<P> };
}

function invalid(source: string, phase: Phase, error: z.ZodError): ConfigurationError {
  const first = error.issues[0];
  const where = first
    ? `${first.path.map(String).join(".") || "(root)"}: ${first.message}`
    : "invalid";
  return new ConfigurationError(
    `${source} is not a valid ${phase} state (${where})`,
    `re-run the ${phase} phase to write it again`,
  );
}

/** Collects step timings for the state and the job summary. */
export class StepTimer {
  readonly timings: Timing[] = [];
  async time<T>(
    step: string,
    fn: () => Promise<T>,
    options: { simulated?: boolean } = {},
  ): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.timings.push({
        step,
        ms: Math.round(performance.now() - start),
        ...(options.simulated ? { simulated: true } : {}),
      });
    }
  }
}

/**
 * JSON with object keys sorted at every level: the form a phase state's MAC covers, so the MAC
 * does not depend on the order a writer or a parser put the keys in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const MAC_PURPOSE = "phase-state";

function macInput(state: PhaseState): string {
  const { mac: _mac, ...rest } = state;
  return canonicalJson(rest);
}

/** The state with its MAC under the state-key: later jobs holding the key can prove who wrote it. */
export function signPhaseState<P extends Phase>(
  state: PhaseState<P>,
  stateKey: string,
): PhaseState<P> {
  return { ...state, mac: stateMac(macInput(state), stateKey, MAC_PURPOSE) };
}

/** What a reader expects of an earlier phase's state besides its schema. */
export interface PhaseStateExpectation {
  /** the cluster uid of this run's cluster.yaml: another cluster's state is refused */
  clusterUid?: string;
  /** this workflow run (GITHUB_RUN_ID): state of another run is refused */
  runId?: string;
  /** when set, the state must carry a MAC under this key (written by a job holding the secret) */
  stateKey?: string;
}

/**
 * Checks identity and authenticity of a state read from an artifact: the same cluster uid, the
 * same workflow run, and — when the reader holds the state-key — a MAC that only a job holding
 * the same secret could have written. Anyone who can upload an artifact to the run (another job
 * of it, a step with the runtime token) could otherwise hand a later phase a template VMID or an
 * inventory of their choosing.
 */
export function assertPhaseStateTrusted(
  state: PhaseState,
  expect: PhaseStateExpectation,
  source: string,
): void {
  const rerun = `re-run the ${state.phase} job of this run`;
  if (expect.clusterUid && state.clusterUid !== expect.clusterUid) {
    throw new ConfigurationError(
      `${source} belongs to cluster uid ${state.clusterUid}, not ${expect.clusterUid} (this cluster.yaml)`,
      rerun,
    );
  }
  if (expect.runId && state.runId !== expect.runId) {
    throw new ConfigurationError(
      `${source} was written by run ${state.runId ?? "(none)"}, not this run (${expect.runId})`,
      rerun,
    );
  }
  if (expect.stateKey) {
    if (!state.mac) {
      throw new ConfigurationError(
        `${source} carries no MAC: it was written without the state-key`,
        `pass the state-key secret to the ${state.phase} job too, and ${rerun}`,
      );
    }
    if (!verifyStateMac(macInput(state), state.mac, expect.stateKey, MAC_PURPOSE)) {
      throw new ConfigurationError(
        `${source} does not match its MAC: it was modified, or written under another state-key`,
        `use the same state-key secret in every job, and ${rerun}`,
      );
    }
  }
}
