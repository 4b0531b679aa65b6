import { readFileSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prepareWorkspace } from "../../../actions/lib/tofu/workspace.js";
import { renderTofuVars } from "../../../actions/lib/tofu/var-file.js";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { repoPath } from "../../helpers/repo.js";

describe("the working copy of terraform/", () => {
  const example = repoPath("workflows-examples", "clusters", "multi-node", "cluster.yaml");
  const vars = renderTofuVars(parseClusterConfig(readFileSync(example, "utf8"), example).plan);

  it("copies the module and its lock file, writes the var file, and selects a remote backend by override", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-ws-"));
    try {
      await writeFile(path.join(dir, "stale.tf"), "# from an earlier module version");
      const ws = await prepareWorkspace({
        moduleDir: repoPath("terraform"),
        dir,
        vars,
        backend: "s3",
        lockFileMode: "verify",
      });
      const files = (await readdir(dir)).sort();
      expect(files).toEqual([
        ".terraform.lock.hcl",
        "backend_override.tf",
        "cluster.tfvars.json",
        "main.tf",
        "outputs.tf",
        "variables.tf",
        "versions.tf",
      ]);
      expect(ws.lockFile).toBe(
        await readFile(repoPath("terraform", ".terraform.lock.hcl"), "utf8"),
      );
      expect(JSON.parse(await readFile(ws.varFile, "utf8"))).toEqual(vars);
      expect(await readFile(path.join(dir, "backend_override.tf"), "utf8")).toContain(
        'backend "s3" {}',
      );

      const again = await prepareWorkspace({
        moduleDir: repoPath("terraform"),
        dir,
        vars,
        backend: "local",
        lockFileMode: "regenerate",
      });
      expect(again.lockFile).toBeUndefined();
      // the earlier run's override and lock file are gone
      expect((await readdir(dir)).sort()).toEqual([
        "cluster.tfvars.json",
        "main.tf",
        "outputs.tf",
        "variables.tf",
        "versions.tf",
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a missing module directory is a configuration mistake", async () => {
    await expect(
      prepareWorkspace({
        moduleDir: "/nonexistent/terraform",
        dir: os.tmpdir(),
        vars,
        backend: "local",
        lockFileMode: "verify",
      }),
    ).rejects.toThrow(/does not exist/);
  });
});
