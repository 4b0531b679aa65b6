import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, test } from "vitest";
import { inputEnvName } from "../../../local/runner/action-manifest.js";
import { actionInputs } from "../../../local/runner/steps/action-step.js";
import {
  evaluateCondition,
  evaluateExpression,
  evaluateTemplateString,
  fromExpressionData,
  stripExpressionMarkers,
} from "../../../local/runner/expressions.js";
import { globToRegExp, hashFiles, matchFiles } from "../../../local/runner/hash-files.js";
import { checkSecrets, resolveInputs } from "../../../local/runner/inputs.js";
import { MatrixError, expandMatrix, matrixLegName } from "../../../local/runner/matrix.js";
import { classifyStepUses, classifyWorkflowUses } from "../../../local/runner/refs.js";
import { shellCommand } from "../../../local/runner/steps/run-step.js";
import type { InputDefinition } from "../../../local/runner/triggers.js";

describe("matrix", () => {
  test.each([
    [
      "a product in key order",
      { os: ["l", "w"], n: [1, 2] },
      [
        { os: "l", n: 1 },
        { os: "l", n: 2 },
        { os: "w", n: 1 },
        { os: "w", n: 2 },
      ],
    ],
    [
      "exclude by partial match",
      { os: ["l", "w"], n: [1, 2], exclude: [{ os: "w", n: 2 }] },
      [
        { os: "l", n: 1 },
        { os: "l", n: 2 },
        { os: "w", n: 1 },
      ],
    ],
    [
      "include extends matching combinations and adds the rest (GitHub's documented example)",
      {
        fruit: ["apple", "pear"],
        animal: ["cat", "dog"],
        include: [
          { color: "green" },
          { color: "pink", animal: "cat" },
          { fruit: "apple", shape: "circle" },
          { fruit: "banana" },
          { fruit: "banana", animal: "cat" },
        ],
      },
      [
        { fruit: "apple", animal: "cat", color: "pink", shape: "circle" },
        { fruit: "apple", animal: "dog", color: "green", shape: "circle" },
        { fruit: "pear", animal: "cat", color: "pink" },
        { fruit: "pear", animal: "dog", color: "green" },
        { fruit: "banana" },
        { fruit: "banana", animal: "cat" },
      ],
    ],
    ["only include", { include: [{ a: 1 }, { a: 2, b: 3 }] }, [{ a: 1 }, { a: 2, b: 3 }]],
    ["object values", { cfg: [{ x: 1 }], exclude: [{ cfg: { x: 2 } }] }, [{ cfg: { x: 1 } }]],
  ])("%s", (_, matrix, expected) => {
    expect(expandMatrix(matrix)).toEqual(expected);
  });

  test.each([
    [[1], /must be a mapping/],
    [{ os: "linux" }, /matrix.os must be a list/],
    [{ os: ["l"], include: "x" }, /matrix.include must be a list/],
  ])("rejects %j", (matrix, message) => {
    expect(() => expandMatrix(matrix)).toThrow(MatrixError);
    expect(() => expandMatrix(matrix)).toThrow(message);
  });

  it("names legs like GitHub", () => {
    expect(matrixLegName("build", { os: "linux", n: 2 })).toBe("build (linux, 2)");
    expect(matrixLegName("build", undefined)).toBe("build");
  });
});

describe("uses references", () => {
  const checkout = "/repo";
  test.each([
    ["./actions/preflight", { kind: "local-action", dir: "/repo/actions/preflight" }],
    [
      "acme/pve-kube/actions/preflight@v1",
      { kind: "local-action", dir: "/repo/actions/preflight" },
    ],
    ["ACME/PVE-KUBE/actions/x@0123abc", { kind: "local-action", dir: "/repo/actions/x" }],
    ["actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8", { kind: "checkout" }],
    ["actions/checkout@v5", { kind: "checkout" }],
  ])("step %s", (uses, expected) => {
    expect(classifyStepUses(uses, checkout)).toMatchObject(expected);
  });

  test.each([
    ["actions/setup-node@v4", /third-party/],
    ["docker://alpine:3", /Docker/],
    ["./../elsewhere", /leaves the checkout/],
    ["acme/pve-kube@v1", /subfolders/],
    ["no-ref", /not a valid reference/],
  ])("step %s is refused", (uses, reason) => {
    const result = classifyStepUses(uses, checkout);
    expect(result.kind).toBe("unsupported");
    expect(result.kind === "unsupported" && result.reason).toMatch(reason);
  });

  test.each([
    [
      "./.github/workflows/deploy.yml",
      { kind: "local-workflow", file: "/repo/.github/workflows/deploy.yml" },
    ],
    [
      "me/pve-kube/.github/workflows/deploy.yml@v1",
      { kind: "local-workflow", file: "/repo/.github/workflows/deploy.yml" },
    ],
    ["other/repo/.github/workflows/x.yml@v1", { kind: "unsupported" }],
  ])("workflow %s", (uses, expected) => {
    expect(classifyWorkflowUses(uses, checkout)).toMatchObject(expected);
  });
});

describe("inputs", () => {
  const def = (
    name: string,
    type: InputDefinition["type"],
    extra: Partial<InputDefinition> = {},
  ): InputDefinition => ({ name, type, required: false, ...extra });
  const evaluateDefault = (token: { toString(): string }) => token.toString();

  it("types values, applies defaults and empties, and reports every problem at once", () => {
    const definitions = [
      def("cluster", "string", { required: true }),
      def("dry-run", "boolean"),
      def("count", "number"),
      def("env", "choice", { options: ["dev", "prod"] }),
      def("flag", "boolean", { required: true }),
    ];
    const ok = resolveInputs(
      definitions,
      { cluster: "c.yaml", "dry-run": "TRUE", count: "3", env: "prod", FLAG: false },
      { source: "--input", evaluateDefault },
    );
    expect(ok).toEqual({
      values: { cluster: "c.yaml", "dry-run": true, count: 3, env: "prod", flag: false },
      problems: [],
    });
    const bad = resolveInputs(
      definitions,
      { "dry-run": "yes", count: "many", env: "test", extra: "1" },
      { source: "--input", evaluateDefault },
    );
    expect(bad.problems).toEqual([
      "unknown input 'extra' (--input); the workflow defines: cluster, dry-run, count, env, flag",
      "input 'cluster' is required: pass it with --input cluster=<value>",
      "input 'dry-run' is a boolean: use true or false, not 'yes'",
      "input 'count' is a number, got 'many'",
      "input 'env' must be one of 'dev', 'prod', got 'test'",
      "input 'flag' is required: pass it with --input flag=<value>",
    ]);
    expect(
      resolveInputs(
        [def("n", "number"), def("s", "string")],
        {},
        { source: "with:", evaluateDefault },
      ).values,
    ).toEqual({ n: 0, s: "" });
  });

  it("names missing required secrets", () => {
    expect(
      checkSecrets(
        [
          { name: "token", required: true },
          { name: "opt", required: false },
        ],
        { TOKEN: "x" },
        "--secret",
      ),
    ).toEqual([]);
    expect(checkSecrets([{ name: "state-key", required: true }], {}, "--secret")).toEqual([
      "secret 'state-key' is required: pass it with --secret state-key=<value>",
    ]);
  });
});

describe("action inputs", () => {
  test.each([
    ["template-image", "INPUT_TEMPLATE-IMAGE"],
    ["with space", "INPUT_WITH_SPACE"],
    ["Cluster", "INPUT_CLUSTER"],
  ])("%s → %s", (name, env) => {
    expect(inputEnvName(name)).toBe(env);
  });

  it("merges with: over defaults, flags unexpected and missing required inputs", () => {
    const manifest = {
      dir: "",
      file: "",
      name: "x",
      using: "node24",
      main: "",
      postIf: "always()",
      inputs: { cluster: { required: true }, level: { required: false, default: "1" } },
    };
    expect(actionInputs(manifest, { Level: "2", bogus: "x" }, { level: "1" })).toEqual({
      inputs: { level: "2", bogus: "x" },
      unexpected: ["bogus"],
      missing: ["cluster"],
    });
  });
});

describe("expressions", () => {
  const scope = {
    contexts: {
      github: { run_id: "7", event: { inputs: { a: "x" } } },
      inputs: { list: '["a","b"]', flag: true },
      matrix: { n: 2 },
      needs: {},
      env: { GREETING: "hi" },
    },
    status: { success: () => false, failure: () => true, cancelled: () => false },
  };
  test.each([
    ["format('{0}-{1}', github.run_id, matrix.n)", "7-2"],
    ["join(fromJSON(inputs.list), '+')", "a+b"],
    ["contains(fromJSON(inputs.list), 'b')", true],
    ["startsWith(env.greeting, 'H')", true],
    ["toJSON(matrix)", '{\n  "n": 2\n}'],
    ["inputs.flag && 'yes' || 'no'", "yes"],
    ["github.event.inputs.A", "x"],
    ["needs.missing.outputs.x", null],
    ["failure() && !success()", true],
  ])("%s", (expression, expected) => {
    expect(fromExpressionData(evaluateExpression(expression, scope))).toEqual(expected);
  });

  it("evaluates conditions with status functions and hashFiles", () => {
    expect(evaluateCondition("always()", scope)).toBe(true);
    expect(evaluateCondition("success()", scope)).toBe(false);
    expect(evaluateCondition("cancelled() || matrix.n == 2", scope)).toBe(true);
    expect(() => evaluateCondition("hashFiles('x')", scope)).toThrow(/only available in steps/);
    expect(() => evaluateCondition("nope.x", scope)).toThrow(/evaluating condition 'nope.x'/);
  });

  it("substitutes ${{ }} inside plain strings and strips markers", () => {
    expect(
      evaluateTemplateString("run-${{ github.run_id }}/${{ matrix.n }}${{ needs.x }}", scope),
    ).toBe("run-7/2");
    expect(stripExpressionMarkers("${{ failure() }}")).toBe("failure()");
    expect(stripExpressionMarkers("always()")).toBe("always()");
  });
});

describe("hashFiles", () => {
  const ws = mkdtempSync(path.join(os.tmpdir(), "hash-"));
  mkdirSync(path.join(ws, "a/b"), { recursive: true });
  writeFileSync(path.join(ws, "a/one.lock"), "1");
  writeFileSync(path.join(ws, "a/b/two.lock"), "2");
  writeFileSync(path.join(ws, "a/b/skip.lock"), "3");
  writeFileSync(path.join(ws, "top.txt"), "t");

  test.each([
    ["**/*.lock", /^(?:.*\/)?[^/]*\.lock$/],
    ["a/*.txt", /^a\/[^/]*\.txt$/],
  ])("glob %s", (glob, regex) => {
    expect(globToRegExp(glob).source).toBe(regex.source);
  });

  it("matches with ** and ! exclusions, sorted, inside the workspace only", () => {
    expect(matchFiles(ws, ["**/*.lock", "!**/skip.lock"])).toEqual(["a/b/two.lock", "a/one.lock"]);
    expect(matchFiles(ws, ["top.txt", path.join(ws, "a/one.lock"), "/etc/passwd"])).toEqual([
      "a/one.lock",
      "top.txt",
    ]);
  });

  it("hashes the per-file SHA-256 digests in path order; no match is ''", () => {
    const digest = (s: string) => createHash("sha256").update(s).digest();
    const expected = createHash("sha256").update(digest("2")).update(digest("1")).digest("hex");
    expect(hashFiles(ws, ["a/**/*.lock", "!a/b/skip.lock"])).toBe(expected);
    expect(hashFiles(ws, ["nothing/*"])).toBe("");
  });
});

describe("shells", () => {
  test.each([
    [undefined, "bash", ["-e", "/t/s.sh"]],
    ["bash", "bash", ["--noprofile", "--norc", "-eo", "pipefail", "/t/s.sh"]],
    ["sh", "sh", ["-e", "/t/s.sh"]],
    ["python", "python3", ["/t/s.sh"]],
    ["perl -w {0}", "perl", ["-w", "/t/s.sh"]],
  ])("%s", (shell, command, args) => {
    expect(shellCommand(shell, "/t/s.sh")).toMatchObject({ command, args });
  });

  it("refuses a shell it cannot run", () => {
    expect(() => shellCommand("pwsh", "/t/s")).toThrow(/shell 'pwsh' is not supported locally/);
  });
});
