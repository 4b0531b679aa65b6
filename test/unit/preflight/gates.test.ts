import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { memoryLogger } from "../../../actions/lib/logger.js";
import {
  checkEnvironment,
  checkRunner,
  clusterIdentity,
} from "../../../actions/preflight/src/check-gates.js";
import { run } from "../../../actions/preflight/src/preflight-action.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { instant, tokenEnv, writeSimCluster } from "../proxmox/sim-fixtures.js";

describe("preflight gates (no Proxmox needed)", () => {
  const labels = JSON.stringify(["self-hosted", "linux", "x64", "proxmox"]);

  it("refuses an empty environment: the changing jobs would run with no approval gate", () => {
    expect(checkEnvironment("").result).toBe("fail");
    expect(checkEnvironment("  ").result).toBe("fail");
    expect(checkEnvironment(undefined).detail).toContain("without an approval gate");
    expect(checkEnvironment("production").result).toBe("pass");
  });

  it("refuses a GitHub-hosted runner and labels that do not name the pve-kube runner", () => {
    const self = { RUNNER_ENVIRONMENT: "self-hosted", RUNNER_NAME: "pve-1" };
    expect(checkRunner(labels, self).map((o) => o.result)).toEqual(["pass"]);
    expect(checkRunner(labels, { RUNNER_ENVIRONMENT: "github-hosted" })[0]?.detail).toContain(
      "GitHub-hosted runner",
    );
    expect(checkRunner('["ubuntu-latest"]', self)[0]?.result).toBe("fail");
    expect(checkRunner('["self-hosted", "ubuntu-24.04", "proxmox"]', self)[0]?.detail).toContain(
      "name GitHub-hosted runners (ubuntu-24.04)",
    );
    expect(checkRunner('["self-hosted"]', self)[0]?.detail).toContain("lack proxmox");
    expect(checkRunner("self-hosted", self)[0]?.detail).toContain("not a JSON array");
    // the runner declares what a job must ask for (its .env, set by whoever runs the runner)
    const declared = { ...self, PVE_KUBE_RUNNER_LABELS: "proxmox,pve-prod" };
    expect(checkRunner(labels, declared)[0]?.detail).toContain("lack pve-prod");
    expect(
      checkRunner('["self-hosted", "proxmox", "pve-prod"]', declared).map((o) => o.result),
    ).toEqual(["pass"]);
  });

  it("the cluster identity is the name and the endpoint, not the file or the ref", () => {
    const a = clusterIdentity({
      cluster: "prod",
      proxmox: { endpoint: "https://pve1.example.lan:8006" } as never,
    });
    expect(a).toMatch(/^prod-[0-9a-f]{16}$/);
    expect(
      clusterIdentity({
        cluster: "prod",
        proxmox: { endpoint: "https://pve1.example.lan:8006/" } as never,
      }),
    ).toBe(a);
    expect(
      clusterIdentity({
        cluster: "prod",
        proxmox: { endpoint: "https://pve2.example.lan:8006" } as never,
      }),
    ).not.toBe(a);
    expect(
      clusterIdentity({
        cluster: "staging",
        proxmox: { endpoint: "https://pve1.example.lan:8006" } as never,
      }),
    ).not.toBe(a);
  });
});

describe("preflight gates run before Proxmox is asked", () => {
  let sim: PveSim;
  let dir: string;
  beforeAll(async () => {
    sim = await startPveSim();
    dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-gates-"));
  });
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function preflight(env: Record<string, string>) {
    await writeSimCluster(dir, sim);
    const summaryFile = path.join(dir, "summary.md");
    await writeFile(summaryFile, "");
    const outputs: Record<string, string> = {};
    sim.admin.clearRequestLog();
    const result = await run({
      env: {
        GITHUB_WORKSPACE: dir,
        GITHUB_STEP_SUMMARY: summaryFile,
        INPUT_CLUSTER: "cluster.yaml",
        RUNNER_ENVIRONMENT: "self-hosted",
        ...tokenEnv(sim.rootToken),
        ...env,
      },
      logger: memoryLogger(),
      setOutput: (k, v) => (outputs[k] = v),
      maskSecret: () => {},
      proxmoxTiming: instant,
      virtCustomizeCommand: "virt-customize-not-installed-here",
    }).catch((e: unknown) => e);
    return { result, outputs, summary: await readFile(summaryFile, "utf8") };
  }

  it("an empty environment or a GitHub-hosted runner stops preflight before any Proxmox request", async () => {
    const cases: Record<string, string>[] = [
      { "INPUT_REQUIRE-ENVIRONMENT": "true", INPUT_ENVIRONMENT: "" },
      { RUNNER_ENVIRONMENT: "github-hosted" },
      { "INPUT_RUNNER-LABELS": '["self-hosted"]' },
    ];
    for (const env of cases) {
      const { result, outputs, summary } = await preflight(env);
      expect(result).toBeInstanceOf(ConfigurationError);
      expect(outputs.passed).toBe("false");
      expect(summary).toContain("❌ fail");
      expect(sim.admin.requestLog()).toEqual([]);
    }
  });

  it("gates-only answers the cluster identity without asking Proxmox", async () => {
    const { result, outputs } = await preflight({
      "INPUT_GATES-ONLY": "true",
      "INPUT_REQUIRE-ENVIRONMENT": "true",
      INPUT_ENVIRONMENT: "production",
      "INPUT_RUNNER-LABELS": '["self-hosted", "proxmox"]',
    });
    expect(result).not.toBeInstanceOf(Error);
    expect(outputs["cluster-identity"]).toMatch(/^demo-[0-9a-f]{16}$/);
    expect(outputs.passed).toBe("true");
  });
});
