import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { memoryLogger } from "../../../actions/lib/logger.js";
import { checkRunnerTools } from "../../../actions/preflight/src/check-runner.js";

const repo = path.resolve(import.meta.dirname, "../../..");
const example = "workflows-examples/clusters/ha/cluster.yaml";

describe("preflight with a pre-built image", () => {
  it("needs the file on the runner instead of virt-customize", async () => {
    const { plan } = parseClusterConfig(
      await readFile(path.join(repo, example), "utf8"),
      example,
      repo,
    );
    const options = {
      buildsTemplate: true,
      simulateCustomize: false,
      virtCustomizeCommand: "/nonexistent",
    };
    const present = await checkRunnerTools(plan, memoryLogger(), {
      ...options,
      prebuiltImage: path.join(repo, example),
    });
    expect(present).toMatchObject([{ check: "pre-built image on the runner", result: "pass" }]);
    expect(present[0]?.detail).toContain("virt-customize is not needed");
    const absent = await checkRunnerTools(plan, memoryLogger(), {
      ...options,
      prebuiltImage: "/nonexistent/image.qcow2",
    });
    expect(absent).toMatchObject([{ result: "fail" }]);
    expect(absent[0]?.detail).toContain("/nonexistent/image.qcow2: no such file");
    // without the image the customisation needs virt-customize (only a warning: the template may exist)
    expect(await checkRunnerTools(plan, memoryLogger(), options)).toMatchObject([
      { result: "warn" },
    ]);
  });
});
