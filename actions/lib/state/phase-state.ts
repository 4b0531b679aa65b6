import { z } from "zod";
import { ConfigurationError } from "../errors.js";
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
