import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- plain ESM script without types
import { bundleEntries } from "../../../scripts/build.mjs";
import { repoPath, repoRoot } from "../../helpers/repo.js";

const run = promisify(execFile);
interface BundleEntry {
  name: string;
  /** the entry's path from the repository root, e.g. dist/actions/preflight.mjs */
  file: string;
}
const entries = (bundleEntries as (root: string) => BundleEntry[])(repoRoot);
const actionNames = readdirSync(repoPath("actions")).filter((n) =>
  existsSync(repoPath("actions", n, "src", "main.ts")),
);

describe("dist", () => {
  it("has one entry for the CLI and one in dist/actions for every action with a src/main.ts", () => {
    expect(entries.map((e) => e.file).sort()).toEqual(
      [...actionNames.map((n) => `dist/actions/${n}.mjs`), "cli/dist/pve-kube.mjs"].sort(),
    );
    const pkg = JSON.parse(readFileSync(repoPath("package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    expect(pkg.bin).toEqual({ "pve-kube": "cli/dist/pve-kube.mjs" });
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
  it.each(entries.filter((e) => e.file.startsWith("dist/actions/")).map((e) => e.file))(
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

  // The start above loads only what every run needs; the artifact and cache clients, the Proxmox
  // relay's certificate code and each action's run module come in chunks imported lazily. Import
  // every chunk once so a module-loading crash in one of them shows here, not in a deploy.
  it("every chunk in dist/chunks loads", async () => {
    const chunks = readdirSync(repoPath("dist", "chunks")).map(
      (f) => pathToFileURL(repoPath("dist", "chunks", f)).href,
    );
    expect(chunks.length).toBeGreaterThan(0);
    const script = `for (const chunk of ${JSON.stringify(chunks)}) await import(chunk);`;
    const { stderr } = await run(process.execPath, ["--input-type=module", "-e", script], {
      cwd: os.tmpdir(),
    });
    expect(stderr).not.toMatch(/Dynamic require|Cannot find (module|package)/);
  });

  it("CLI bundle prints its help", async () => {
    const { stdout } = await run(process.execPath, [
      repoPath("cli", "dist", "pve-kube.mjs"),
      "--help",
    ]);
    expect(stdout).toContain("usage: pve-kube <command>");
  });
});
