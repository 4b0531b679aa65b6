import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- plain ESM script without types
import { bundleTargets } from "../../../scripts/build.mjs";
import { repoPath, repoRoot } from "../../helpers/repo.js";

const run = promisify(execFile);
const targets = (bundleTargets as (root: string) => { outfile: string }[])(repoRoot);

describe("dist", () => {
  it("has a bundle target for the CLI and every action", () => {
    expect(targets.map((t) => t.outfile)).toContain(path.join("cli", "dist", "pve-kube.mjs"));
  });

  it("is current: a rebuild from source changes nothing", async () => {
    const result = await run(process.execPath, [repoPath("scripts", "check-dist.mjs")], {
      cwd: repoRoot,
    });
    expect(result.stdout).toContain("dist is current");
  });

  // Each built bundle is executed once with a fake runner environment: no inputs, fresh file
  // commands. It must end as a clean, explained failure (or success) — never a module-loading
  // crash such as "Dynamic require of ... is not supported", which only shows at runtime.
  it.each(targets.filter((t) => t.outfile.startsWith("actions")).map((t) => t.outfile))(
    "bundle %s runs",
    async (outfile) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "pve-kube-smoke-"));
      const files = Object.fromEntries(
        ["GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_STATE", "GITHUB_STEP_SUMMARY", "GITHUB_PATH"].map(
          (k) => {
            const f = path.join(dir, k.toLowerCase());
            writeFileSync(f, "");
            return [k, f];
          },
        ),
      );
      const env = {
        PATH: process.env.PATH ?? "",
        RUNNER_TEMP: dir,
        GITHUB_WORKSPACE: dir,
        ...files,
      };
      const outcome = await run(process.execPath, [repoPath(outfile)], { env, cwd: dir }).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({
          code: e.code,
          out: e.stdout + e.stderr,
        }),
      );
      expect(outcome.out).not.toMatch(
        /Dynamic require|Cannot find (module|package)|SyntaxError|ReferenceError|ERR_REQUIRE_ESM/,
      );
      if (outcome.code !== 0) expect(outcome.out).toMatch(/::error::/);
    },
  );

  it("CLI bundle prints its help", async () => {
    const { stdout } = await run(process.execPath, [
      repoPath("cli", "dist", "pve-kube.mjs"),
      "--help",
    ]);
    expect(stdout).toContain("usage: pve-kube <command>");
  });
});
