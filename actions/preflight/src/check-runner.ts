import type { ClusterPlan } from "../../lib/config/index.js";
import type { Logger } from "../../lib/logger.js";
import { assertVirtCustomize, VIRT_CUSTOMIZE_MISSING } from "../../lib/template/index.js";
import { describeError, fail, pass, warn, type CheckOutcome } from "./outcome.js";

/**
 * Tools build-template needs on this runner. Only a warning when missing: the template with this
 * recipe may already exist, and then nothing has to be customised.
 */
export async function checkRunnerTools(plan: ClusterPlan, logger: Logger, virtCustomize = "virt-customize"): Promise<CheckOutcome[]> {
  if (plan.template.source !== "upload") return [];
  const name = "virt-customize on the runner";
  try {
    return [pass(name, await assertVirtCustomize(logger, virtCustomize))];
  } catch (error) {
    const { detail } = describeError(error);
    if (/not installed/.test(detail)) {
      return [warn(name, "not installed: build-template needs it to build a template with this recipe (unless one exists already)", VIRT_CUSTOMIZE_MISSING)];
    }
    return [fail(name, `virt-customize does not run: ${detail}`, "check the libguestfs installation (`libguestfs-test-tool` diagnoses it)")];
  }
}
