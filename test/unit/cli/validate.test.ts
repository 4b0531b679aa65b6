import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../../helpers/cli.js";
import { repoPath } from "../../helpers/repo.js";
import { BASE_CONFIG } from "../config/base-config.js";

const examples = readdirSync(repoPath("workflows-examples", "clusters")).map(
  (d) => `workflows-examples/clusters/${d}/cluster.yaml`,
);

describe("pve-kube validate", () => {
  it.each(examples)("accepts the example %s", async (file) => {
    const result = await cli(["validate", file]);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(
      /: valid — cluster [a-z]+: \d control plane\(s\), \d+ worker\(s\)/,
    );
    expect(result.code).toBe(0);
  });

  it("prints every problem with its position and exits 1 without a stack trace", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "validate-"));
    writeFileSync(
      path.join(dir, "cluster.yaml"),
      BASE_CONFIG.replace("count: 3", "count: 2").replace(
        "cidr: 10.0.20.0/24",
        "cidr: 10.0.20.0/33",
      ),
    );
    const result = await cli(["validate", "cluster.yaml"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cluster.yaml:20:9: network.cidr: ");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("names a missing file", async () => {
    const result = await cli(["validate", "nope/cluster.yaml"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot read nope/cluster.yaml: no such file");
  });

  it("needs a file argument", async () => {
    const result = await cli(["validate"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no file given");
  });
});

describe("pve-kube schema", () => {
  it("prints the JSON Schema", async () => {
    const result = await cli(["schema"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      title: "pve-kube cluster.yaml",
    });
  });
});
