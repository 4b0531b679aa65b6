import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../../actions/preflight/src/preflight-action.js";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { memoryLogger } from "../../../actions/lib/logger.js";

/** The action's own error paths that need no Proxmox: bad config, missing token. */
describe("preflight action before any Proxmox call", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-preflight-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function runWith(yaml: string, env: Record<string, string> = {}) {
    await writeFile(path.join(dir, "cluster.yaml"), yaml);
    const summary = path.join(dir, "summary.md");
    await writeFile(summary, "");
    const outputs: Record<string, string> = {};
    const error = await run({
      env: {
        GITHUB_WORKSPACE: dir,
        GITHUB_STEP_SUMMARY: summary,
        INPUT_CLUSTER: "cluster.yaml",
        ...env,
      },
      logger: memoryLogger(),
      setOutput: (k, v) => (outputs[k] = v),
      maskSecret: () => {},
    }).catch((e: unknown) => e);
    return { error, summary: await readFile(summary, "utf8"), outputs };
  }

  it("reports every config problem in the summary table and fails as a user error", async () => {
    const { error, summary } = await runWith(
      "apiVersion: pve-kube/v1\nmetadata:\n  name: Bad_Name\n",
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(summary).toContain("| cluster.yaml valid | ❌ fail |");
    expect(summary).toContain("cluster.yaml:3:");
  });

  it("reports missing token settings, naming the variables from cluster.yaml", async () => {
    const example = await readFile(
      path.join(
        import.meta.dirname,
        "../../../workflows-examples/clusters/single-node/cluster.yaml",
      ),
      "utf8",
    );
    const yaml = example.replace(
      "  nodes: [pve]\n",
      "  nodes: [pve]\n  tokenIdEnv: LAB_TOKEN_ID\n  tokenSecretEnv: LAB_TOKEN_SECRET\n",
    );
    const { error, summary } = await runWith(yaml);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain(
      "the LAB_TOKEN_ID environment variable (proxmox.tokenIdEnv) is empty",
    );
    expect(summary).toContain("| Proxmox connection settings | ❌ fail |");
  });

  it("rejects an unknown network-checks value", async () => {
    const { error } = await runWith("x: 1\n", { "INPUT_NETWORK-CHECKS": "sometimes" });
    expect((error as Error).message).toContain(
      "input 'network-checks': must be auto, always or never",
    );
  });

  it("stops at a misspelt phase before reading cluster.yaml or calling Proxmox", async () => {
    const { error, summary } = await runWith("not even yaml: [", {
      INPUT_PHASES: "preflight, tofu-provison",
    });
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain(
      "phases: 'tofu-provison' is not a phase (did you mean 'tofu-provision'?)",
    );
    expect(summary).toBe("");
  });
});
