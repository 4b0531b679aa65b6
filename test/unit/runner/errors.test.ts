import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { runWorkflow } from "../../../local/runner/run-workflow.js";
import { runFixture } from "./run-fixture.js";

/** A throwaway checkout with the given files; returns its path. */
function checkoutWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "runner-checkout-"));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

async function runIn(
  checkout: string,
  workflow: string,
  extra: Partial<Parameters<typeof runWorkflow>[0]> = {},
) {
  return runWorkflow({
    workflowFile: workflow,
    checkout,
    runDir: path.join(checkout, "run"),
    toolCache: path.join(checkout, "tc"),
    locksDir: path.join(checkout, "locks"),
    out: new PassThrough(),
    ...extra,
  });
}

const BROKEN = `name: broken
on: workflow_dispatch
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo \${{ github.sha ) }}
      - bogus: 1
`;

describe("local runner: errors before anything runs", () => {
  it("reports parse errors with file:line:col", async () => {
    const checkout = checkoutWith({ ".github/workflows/broken.yml": BROKEN });
    const error = await runIn(checkout, ".github/workflows/broken.yml").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message.split("\n")).toEqual([
      ".github/workflows/broken.yml:7:19: Unexpected symbol: ')'",
      ".github/workflows/broken.yml:8:9: Unexpected value 'bogus'",
      ".github/workflows/broken.yml:8:9: There's not enough info to determine what you meant. Add one of these properties: parallel, run, shell, uses, with, working-directory",
    ]);
    expect(existsSync(path.join(checkout, "run"))).toBe(false);
  });

  it("reports YAML syntax errors and needs on unknown jobs with positions", async () => {
    const checkout = checkoutWith({
      ".github/workflows/yaml.yml": "on: push\njobs:\n  a: [\n",
      ".github/workflows/needs.yml":
        "on: push\njobs:\n  first:\n    runs-on: x\n    steps:\n      - run: echo\n  a:\n    runs-on: x\n    needs: nope\n    steps:\n      - run: echo\n",
    });
    await expect(runIn(checkout, ".github/workflows/yaml.yml")).rejects.toThrow(
      /^\.github\/workflows\/yaml\.yml:4:1: .*must be sufficiently indented/,
    );
    await expect(runIn(checkout, ".github/workflows/needs.yml")).rejects.toThrow(
      /^\.github\/workflows\/needs\.yml:9:12: .*nope/m,
    );
  });

  it("refuses an unsupported uses: before any job starts, naming the step and what is supported", async () => {
    const error = await runFixture("unsupported.yml").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(
      ".github/workflows/unsupported.yml:14:15: jobs.third-party.steps[0].uses: step 'Set up Node' uses 'actions/setup-node@2028fbc5c25fe9cf00d9f06a71cc4710d4507903', which the local runner cannot run: actions/setup-node is a third-party action — the local runner runs this repository's actions (./<path> or <owner>/pve-kube/<path>@<ref>), actions/checkout@<any ref>, and run: steps",
    );
  });

  it("refuses an action that is not built, and a reusable workflow of another repository", async () => {
    const checkout = checkoutWith({
      "actions/unbuilt/action.yml":
        "name: unbuilt\ndescription: d\nruns:\n  using: node24\n  main: ../../dist/actions/unbuilt.mjs\n",
      "actions/composite/action.yml":
        "name: c\ndescription: d\nruns:\n  using: composite\n  steps: []\n",
      ".github/workflows/w.yml":
        "on: workflow_dispatch\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: ./actions/unbuilt\n      - uses: ./actions/composite\n  b:\n    uses: other/repo/.github/workflows/x.yml@v1\n",
    });
    const error = await runIn(checkout, ".github/workflows/w.yml").catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      ".github/workflows/w.yml:9:11: jobs.b.uses: reusable workflow 'other/repo/.github/workflows/x.yml@v1' cannot run locally: other/repo is another repository — use ./<path>.yml or <owner>/pve-kube/<path>.yml@<ref> (mapped to this checkout)",
    );
    const onlySteps = checkoutWith({
      "actions/unbuilt/action.yml":
        "name: unbuilt\ndescription: d\nruns:\n  using: node24\n  main: ../../dist/actions/unbuilt.mjs\n",
      "actions/composite/action.yml":
        "name: c\ndescription: d\nruns:\n  using: composite\n  steps: []\n",
      ".github/workflows/w.yml":
        "on: workflow_dispatch\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: ./actions/unbuilt\n      - uses: ./actions/composite\n",
    });
    const stepError = await runIn(onlySteps, ".github/workflows/w.yml").catch((e: unknown) => e);
    expect((stepError as Error).message.split("\n")).toEqual([
      expect.stringMatching(
        /^\.github\/workflows\/w\.yml:6:15: jobs\.a\.steps\[0\]\.uses: action '\.\/actions\/unbuilt' is not built: .*\/dist\/actions\/unbuilt\.mjs does not exist — run `npm run build` first$/,
      ),
      ".github/workflows/w.yml:7:15: jobs.a.steps[1].uses: action './actions/composite' uses runs.using 'composite', which the local runner does not run — only JavaScript actions (runs.using: node20/node24) run locally",
    ]);
  });

  it("refuses jobs with container: or services:", async () => {
    const checkout = checkoutWith({
      ".github/workflows/c.yml":
        "on: workflow_dispatch\njobs:\n  a:\n    runs-on: x\n    container: node:24\n    services:\n      db:\n        image: postgres\n    steps:\n      - run: echo\n",
    });
    await expect(runIn(checkout, ".github/workflows/c.yml")).rejects.toThrow(
      [
        ".github/workflows/c.yml:5:16: jobs.a.container: job 'a' uses container:, which the local runner does not run (it uses no Docker) — run the job on a self-hosted runner, or drop the key for local runs",
        ".github/workflows/c.yml:7:7: jobs.a.services: job 'a' uses services:, which the local runner does not run (it uses no Docker) — run the job on a self-hosted runner, or drop the key for local runs",
      ].join("\n"),
    );
  });

  it("names missing or invalid inputs, missing workflow_call secrets and events the workflow lacks", async () => {
    await expect(runFixture("reusable-caller.yml")).rejects.toThrow(
      ".github/workflows/reusable-caller.yml: input 'who' is required: pass it with --input who=<value>",
    );
    await expect(
      runFixture("call-inputs.yml", {
        inputs: { cluster: "c.yaml", "dry-run": "maybe", extra: "1" },
      }),
    ).rejects.toThrow(
      [
        ".github/workflows/call-inputs.yml: unknown input 'extra' (--input); the workflow defines: cluster, dry-run",
        ".github/workflows/call-inputs.yml: input 'dry-run' is a boolean: use true or false, not 'maybe'",
        ".github/workflows/call-inputs.yml: secret 'state-key' is required: pass it with --secret state-key=<value>",
      ].join("\n"),
    );
    await expect(runFixture("graph.yml", { event: "push" })).rejects.toThrow(
      ".github/workflows/graph.yml does not run on 'push' — it runs on: workflow_dispatch",
    );
  });

  it("runs a workflow_call workflow directly and evaluates its outputs", async () => {
    const run = await runFixture("call-inputs.yml", {
      inputs: { cluster: "clusters/demo.yaml" },
      secrets: { "state-key": "k-5521" },
    });
    expect(run.result.conclusion).toBe("success");
    expect(run.result.outputs).toEqual({ summary: "clusters/demo.yaml dry-run=true" });
    expect(run.report).toContain("## Workflow outputs");
    expect(run.log).toContain("optional secrets not given (they evaluate to ''): backend-password");
    expect(run.log).not.toContain("warning: secrets.");
  });
});
