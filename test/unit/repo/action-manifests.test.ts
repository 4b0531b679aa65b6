import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { repoPath } from "../../helpers/repo.js";

interface ActionManifest {
  name?: string;
  description?: string;
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string }>;
  runs?: { using?: string; main?: string; post?: string };
}

const actionNames = readdirSync(repoPath("actions")).filter((n) =>
  existsSync(repoPath("actions", n, "action.yml")),
);

/**
 * Every action declares exactly the inputs its zod schema parses (same names), runs on node24 from
 * its committed bundle, and describes every input and output. Each action exports its schema as
 * `inputSchema` from `src/inputs.ts`.
 */
describe.each(actionNames)("action %s", (name) => {
  const manifest = parse(
    readFileSync(repoPath("actions", name, "action.yml"), "utf8"),
  ) as ActionManifest;

  // runs.main is resolved against the action's folder, by GitHub's runner and by the local one
  it("runs on node24 from its own entry in the shared dist/", () => {
    const entry = `../../dist/actions/${name}.mjs`;
    expect(manifest.runs?.using).toBe("node24");
    expect(manifest.runs?.main).toBe(entry);
    if (manifest.runs?.post) expect(manifest.runs.post).toBe(entry);
    expect(existsSync(path.join(repoPath("actions", name), entry))).toBe(true);
  });

  it("describes itself, every input and every output", () => {
    expect(manifest.name).toBeTruthy();
    expect(manifest.description).toBeTruthy();
    for (const [input, spec] of Object.entries(manifest.inputs ?? {}))
      expect(spec.description, `input ${input}`).toBeTruthy();
    for (const [output, spec] of Object.entries(manifest.outputs ?? {}))
      expect(spec.description, `output ${output}`).toBeTruthy();
  });

  it("declares exactly the inputs its schema parses", async () => {
    const mod = (await import(path.join(repoPath("actions", name, "src"), "inputs.ts"))) as {
      inputSchema: { shape: Record<string, unknown> };
    };
    expect(Object.keys(manifest.inputs ?? {}).sort()).toEqual(
      Object.keys(mod.inputSchema.shape).sort(),
    );
  });
});
