import { isString } from "@actions/workflow-parser";
import { ConfigurationError } from "../../actions/lib/errors.js";
import { loadActionManifest } from "./action-manifest.js";
import type { LoadedWorkflow, WorkflowCache } from "./parse.js";
import { SUPPORTED_STEP_USES, classifyStepUses, classifyWorkflowUses } from "./refs.js";
import { findKey, literalValue, rawSteps } from "./tokens.js";

/**
 * Before anything runs: every `uses:` of every step, in the workflow and in every reusable
 * workflow it calls, must be something the local runner can run, and every action of this
 * checkout must have a loadable action.yml and a built entry point. All problems at once, with
 * file:line:col.
 */
export async function checkRunnable(
  workflow: LoadedWorkflow,
  cache: WorkflowCache,
  checkout: string,
  seen = new Set<string>(),
): Promise<ConfigurationError[]> {
  if (seen.has(workflow.file)) return [];
  seen.add(workflow.file);
  const problems: ConfigurationError[] = [];
  for (const [jobId, job] of workflow.jobs) {
    const callUses = findKey(job, "uses");
    if (callUses && isString(callUses)) {
      const target = classifyWorkflowUses(callUses.value, checkout);
      if (target.kind === "local-workflow")
        problems.push(
          ...(await checkRunnable(await cache.load(target.file), cache, checkout, seen)),
        );
      continue;
    }
    for (const key of ["container", "services"]) {
      const token = findKey(job, key);
      if (!token) continue;
      problems.push(
        new ConfigurationError(
          `job '${jobId}' uses ${key}:, which the local runner does not run (it uses no Docker)`,
          "run the job on a self-hosted runner, or drop the key for local runs",
          {
            file: workflow.display,
            line: token.line ?? 1,
            col: token.col ?? 1,
            path: `jobs.${jobId}.${key}`,
          },
        ),
      );
    }
    for (const [index, step] of rawSteps(job).entries()) {
      const uses = findKey(step, "uses");
      if (!uses || !isString(uses)) continue;
      const label = literalValue(findKey(step, "name")) ?? literalValue(findKey(step, "id"));
      const name = typeof label === "string" ? label : `#${index + 1}`;
      const location = {
        file: workflow.display,
        line: uses.line ?? 1,
        col: uses.col ?? 1,
        path: `jobs.${jobId}.steps[${index}].uses`,
      };
      const target = classifyStepUses(uses.value, checkout);
      if (target.kind === "unsupported") {
        problems.push(
          new ConfigurationError(
            `step '${name}' uses '${uses.value}', which the local runner cannot run: ${target.reason}`,
            `the local runner runs ${SUPPORTED_STEP_USES}`,
            location,
          ),
        );
      } else if (target.kind === "local-action") {
        try {
          loadActionManifest(target.dir, uses.value);
        } catch (error) {
          if (!(error instanceof ConfigurationError)) throw error;
          problems.push(new ConfigurationError(error.message, undefined, location));
        }
      }
    }
  }
  return problems;
}
