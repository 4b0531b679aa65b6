import { existsSync } from "node:fs";
import type { ClusterPlan } from "../../lib/config/index.js";
import type { Logger } from "../../lib/logger.js";
import { assertVirtCustomize, VIRT_CUSTOMIZE_MISSING } from "../../lib/template/index.js";
import { describeError, fail, pass, warn, type CheckOutcome } from "./outcome.js";

export interface RunnerToolOptions {
  /** build-template is among the phases of this deploy */
  buildsTemplate: boolean;
  /** build-template's simulate-customize (embedded demo): it uploads a placeholder instead */
  simulateCustomize: boolean;
  /** build-template's image-file (resolved): a pre-built image replaces the customisation */
  prebuiltImage?: string;
  virtCustomizeCommand?: string;
}

/**
 * Tools build-template needs on this runner. Only a warning when missing: the template with this
 * recipe may already exist, and then nothing has to be customised. Not a question at all when this
 * deploy does not build the template, or when the demo simulates the customisation.
 */
export async function checkRunnerTools(
  plan: ClusterPlan,
  logger: Logger,
  options: RunnerToolOptions,
): Promise<CheckOutcome[]> {
  if (!options.buildsTemplate) return [];
  if (options.prebuiltImage) {
    const name = "pre-built image on the runner";
    return existsSync(options.prebuiltImage)
      ? [
          pass(
            name,
            `${options.prebuiltImage} is there (build-template checks its SHA-256 before it uploads it); virt-customize is not needed`,
          ),
        ]
      : [
          fail(
            name,
            `${options.prebuiltImage}: no such file on this runner`,
            "give template-image-file the path the image has on the runner (an earlier step or job must put it there)",
          ),
        ];
  }
  if (plan.template.source !== "upload") return [];
  const name = "virt-customize on the runner";
  if (options.simulateCustomize) {
    return [
      pass(
        name,
        "not needed: simulate-customize is on, so build-template uploads a labelled placeholder (embedded demo only)",
      ),
    ];
  }
  const virtCustomize = options.virtCustomizeCommand ?? "virt-customize";
  try {
    return [pass(name, await assertVirtCustomize(logger, virtCustomize))];
  } catch (error) {
    const { detail } = describeError(error);
    if (/not installed/.test(detail)) {
      return [
        warn(
          name,
          "not installed: build-template needs it to build a template with this recipe (unless one exists already)",
          VIRT_CUSTOMIZE_MISSING,
        ),
      ];
    }
    return [
      fail(
        name,
        `virt-customize does not run: ${detail}`,
        "check the libguestfs installation (`libguestfs-test-tool` diagnoses it)",
      ),
    ];
  }
}
