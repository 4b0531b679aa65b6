import type { ActionManifest } from "../action-manifest.js";
import { inputEnvName } from "../action-manifest.js";
import { executeStepProcess } from "./execute.js";
import type { StepExecution, StepHost } from "./execute.js";

/**
 * JavaScript actions of this checkout, run with node through their built entry point, with the
 * runner contract: INPUT_* after defaults, GITHUB_ACTION_PATH, and (only here, never for run:
 * steps) the results-service variables ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL / ...
 */
export interface ActionStepSpec {
  step: string;
  /** GITHUB_ACTION: the step id */
  stepId: string;
  manifest: ActionManifest;
  /** input values after defaults, by action.yml name */
  inputs: Record<string, string>;
  /** environment of the step (base, standard, workflow/job/file/step env) */
  env: Record<string, string>;
  /** results service variables (JS actions only) */
  runtimeEnv: Record<string, string>;
  /** STATE_* for post */
  state?: Record<string, string>;
  timeoutMs?: number;
}

/** The merged input values: `with:` wins, then action.yml defaults (already evaluated). */
export function actionInputs(
  manifest: ActionManifest,
  given: Record<string, string>,
  defaults: Record<string, string>,
): { inputs: Record<string, string>; unexpected: string[]; missing: string[] } {
  const inputs: Record<string, string> = {};
  const declared = new Map(Object.keys(manifest.inputs).map((n) => [n.toLowerCase(), n]));
  const unexpected: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    const declaredName = declared.get(name.toLowerCase());
    if (!declaredName) unexpected.push(name);
    inputs[declaredName ?? name] = value;
  }
  for (const [name, value] of Object.entries(defaults)) {
    if (!(name in inputs)) inputs[name] = value;
  }
  const missing = Object.entries(manifest.inputs)
    .filter(([name, spec]) => spec.required && (inputs[name] === undefined || inputs[name] === ""))
    .map(([name]) => name);
  return { inputs, unexpected, missing };
}

export function actionEnv(spec: ActionStepSpec): Record<string, string> {
  const env: Record<string, string> = {
    ...spec.env,
    ...spec.runtimeEnv,
    GITHUB_ACTION: spec.stepId,
    GITHUB_ACTION_PATH: spec.manifest.dir,
  };
  for (const [name, value] of Object.entries(spec.inputs)) env[inputEnvName(name)] = value;
  for (const [name, value] of Object.entries(spec.state ?? {})) env[`STATE_${name}`] = value;
  return env;
}

export function runActionEntry(
  host: StepHost,
  spec: ActionStepSpec,
  entry: string,
): Promise<StepExecution> {
  return executeStepProcess(host, {
    step: spec.step,
    command: process.execPath,
    args: [entry],
    cwd: host.workspace,
    env: actionEnv(spec),
    timeoutMs: spec.timeoutMs,
  });
}
