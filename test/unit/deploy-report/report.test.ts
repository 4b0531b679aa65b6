import { readFileSync } from "node:fs";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import { describe, expect, it } from "vitest";
import { run } from "../../../actions/deploy-report/src/deploy-report-action.js";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { memoryLogger } from "../../../actions/lib/logger.js";
import {
  createPhaseState,
  uploadPhaseState,
  type PhaseState,
} from "../../../actions/lib/state/index.js";
import { repoPath } from "../../helpers/repo.js";
import { useResultsService } from "../results/job.js";

// The report job of deploy.yml: phase states uploaded by earlier "jobs" of one run through the
// local results service with the real @actions/artifact client, read back by the report.

const CLUSTER_FILE = repoPath("workflows-examples/clusters/ha/cluster.yaml");
const plan = parseClusterConfig(readFileSync(CLUSTER_FILE, "utf8"), CLUSTER_FILE).plan;
const { job } = useResultsService();

const times = { startedAt: "2026-11-25T07:00:00.000Z", finishedAt: "2026-11-25T07:00:42.500Z" };
const common = {
  cluster: plan.cluster,
  clusterUid: plan.uid,
  status: "succeeded" as const,
  ...times,
};

function states(): PhaseState[] {
  return [
    createPhaseState({
      ...common,
      phase: "preflight",
      timings: [{ step: "checks", ms: 1200 }],
      outputs: {
        proxmoxVersion: "9.1.1",
        checks: [
          { check: "connection", result: "pass", detail: "ok" },
          { check: "addresses", result: "skipped", detail: "runner not in 10.0.20.0/24" },
        ],
      },
    }),
    createPhaseState({
      ...common,
      phase: "build-template",
      timings: [
        { step: "base image", ms: 3, simulated: true },
        { step: "virt-customize", ms: 1, simulated: true },
        { step: "import", ms: 9000 },
      ],
      outputs: {
        templateVmid: 9000,
        node: "pve1",
        fingerprint: "f".repeat(64),
        built: true,
        simulatedSteps: ["base image", "virt-customize"],
      },
    }),
    createPhaseState({
      ...common,
      phase: "tofu-provision",
      timings: [{ step: "apply", ms: 30_000 }],
      outputs: {
        inventory: plan.vms.map((vm) => ({
          name: vm.name,
          vmid: vm.vmid,
          node: vm.node,
          role: vm.role,
          pool: vm.pool,
          ip: vm.ip,
        })),
        applied: true,
        counts: { create: plan.vms.length, update: 0, replace: 0, delete: 0 },
      },
    }),
  ];
}

async function report(runId: string, jobResults: unknown, phases = "all") {
  const j = job(runId, "report");
  return j.run(async (self) => {
    await mkdir(path.join(self.workspace, "clusters"), { recursive: true });
    await copyFile(CLUSTER_FILE, path.join(self.workspace, "clusters", "cluster.yaml"));
    const summary = path.join(self.workspace, "summary.md");
    await writeFile(summary, "");
    const outputs: Record<string, string> = {};
    const logger = memoryLogger();
    const env = {
      ...process.env,
      INPUT_CLUSTER: "clusters/cluster.yaml",
      INPUT_PHASES: phases,
      "INPUT_JOB-RESULTS": JSON.stringify(jobResults),
      GITHUB_STEP_SUMMARY: summary,
    };
    const outcome = await run({
      env,
      logger,
      setOutput: (k, v) => (outputs[k] = v),
      artifactStore: new DefaultArtifactClient(),
    });
    return { outcome, outputs, logger, summary: await readFile(summary, "utf8") };
  });
}

const ok = (outputs: Record<string, string> = {}) => ({ result: "success", outputs });

describe("deploy-report", () => {
  it("reports every phase from the run's state artifacts: results, timings, VMs, topology, simulated steps, phases to come", async () => {
    for (const state of states())
      await job("run-r1", state.phase).run(() =>
        uploadPhaseState(state, new DefaultArtifactClient(), memoryLogger()),
      );
    const { outcome, outputs, summary } = await report("run-r1", {
      preflight: ok(),
      "build-template": ok(),
      "tofu-provision-plan": ok({ "has-changes": "true" }),
      "tofu-provision-apply": ok(),
    });
    expect(outputs).toEqual({ conclusion: "success", simulated: "true" });
    expect(outcome.rows.map((r) => [r.phase, r.status])).toEqual([
      ["preflight", "succeeded"],
      ["build-template", "succeeded"],
      ["tofu-provision", "succeeded"],
      ["kubeadm-bootstrap", "skipped"],
      ["install-cilium", "skipped"],
      ["deploy-services", "skipped"],
      ["verify", "skipped"],
    ]);
    expect(summary).toMatch(/^## ✅ pve-kube deploy — cluster `demo`: 3 of 7 phases done/);
    expect(summary).toContain(
      "⚠️ **simulated** — these steps did not run for real (embedded demo only): build-template (base image, virt-customize)",
    );
    expect(summary).toContain(
      "| preflight | ✅ succeeded | 42.5 s | Proxmox VE 9.1.1; checks: 1 passed, 0 warned, 0 failed, 1 skipped | preflight |",
    );
    expect(summary).toContain(
      "| build-template (simulated steps) | ✅ succeeded | 42.5 s | template 9000 on pve1 built (recipe ffffffffffff) | build-template |",
    );
    expect(summary).toContain(
      `| tofu-provision | ✅ succeeded | 42.5 s | ${plan.vms.length} VMs; plan: ${plan.vms.length} to create, 0 to change, 0 to replace, 0 to delete; applied | tofu-provision-plan, tofu-provision-apply |`,
    );
    expect(summary).toContain("| kubeadm-bootstrap | ⏭️ skipped |");
    expect(summary).toContain("| install-cilium | ⏭️ skipped |");
    expect(summary).toContain("### Virtual machines\n");
    for (const vm of plan.vms)
      expect(summary).toContain(
        `| ${vm.name} | ${vm.vmid} | ${vm.node} | ${vm.role} | ${vm.pool} | ${vm.ip} |`,
      );
    expect(summary).toContain("```mermaid\nflowchart TB");
    expect(summary).toContain("| build-template | virt-customize | 1 ms | simulated |");
    // every phase ships now: no roadmap section
    expect(summary).not.toContain("### Phases still to come");
  });

  it("shows deploy-services' releases and verify's table from their states", async () => {
    const [preflight] = states();
    const extra = [
      createPhaseState({
        ...common,
        phase: "deploy-services",
        timings: [{ step: "metallb helm upgrade", ms: 2000 }],
        outputs: {
          mode: "apply",
          changed: true,
          releases: [
            {
              id: "metallb",
              name: "metallb",
              namespace: "metallb-system",
              chart: "metallb",
              version: "0.16.1",
              valuesHash: "0123456789abcdef",
              action: "install",
              changed: true,
              revision: 1,
              status: "ready",
            },
          ],
          objects: [
            { id: "lb-pool", names: ["IPAddressPool metallb-system/pve-kube"], action: "change" },
          ],
        },
      }),
      createPhaseState({
        ...common,
        phase: "verify",
        status: "failed",
        timings: [{ step: "nodes", ms: 100 }],
        outputs: {
          checks: [
            { check: "nodes Ready", ok: true, detail: "5/5 Ready" },
            {
              check: "LoadBalancer address from the pool",
              ok: false,
              detail: "pve-kube-verify/echo got no address in 300 s",
            },
          ],
        },
      }),
    ];
    for (const state of [preflight!, ...extra])
      await job("run-r5", state.phase).run(() =>
        uploadPhaseState(state, new DefaultArtifactClient(), memoryLogger()),
      );
    const { summary } = await report("run-r5", {
      preflight: ok(),
      "deploy-services": ok(),
      verify: { result: "failure", outputs: {} },
    });
    expect(summary).toContain(
      "| deploy-services | ✅ succeeded | 42.5 s | metallb 0.16.1; metallb installed (revision 1) | deploy-services |",
    );
    expect(summary).toContain(
      "| verify | ❌ failed | 42.5 s | 1/2 checks passed; failed: LoadBalancer address from the pool | verify |",
    );
    expect(summary).toContain(
      [
        "### Verify",
        "",
        "| check | result | detail |",
        "|---|---|---|",
        "| nodes Ready | ✅ passed | 5/5 Ready |",
        "| LoadBalancer address from the pool | ❌ failed | pve-kube-verify/echo got no address in 300 s |",
      ].join("\n"),
    );
  });

  it("names the failed phase, shows later phases as skipped and the planned VMs when nothing was provisioned", async () => {
    const [preflight] = states();
    await job("run-r2", "preflight").run(() =>
      uploadPhaseState(preflight!, new DefaultArtifactClient(), memoryLogger()),
    );
    const { outcome, outputs, summary } = await report("run-r2", {
      preflight: ok(),
      "build-template": { result: "failure", outputs: {} },
      "tofu-provision-plan": { result: "skipped", outputs: {} },
      "tofu-provision-apply": { result: "skipped", outputs: {} },
    });
    expect(outputs.conclusion).toBe("failure");
    expect(outcome.rows.slice(0, 3).map((r) => r.status)).toEqual([
      "succeeded",
      "failed",
      "skipped",
    ]);
    expect(summary).toMatch(/^## ❌ pve-kube deploy — cluster `demo`: failed in build-template/);
    expect(summary).toContain("### Virtual machines (planned — not provisioned in this run)");
    expect(summary).not.toContain("simulated");
  });

  it("marks phases that were not asked for", async () => {
    const { outcome } = await report("run-r3", { preflight: ok() }, "preflight");
    expect(outcome.rows.slice(0, 3).map((r) => r.status)).toEqual([
      "succeeded",
      "not requested",
      "not requested",
    ]);
  });

  it("refuses job-results that are not the needs context, before reading anything", async () => {
    await expect(report("run-r4", { preflight: { result: "great" } })).rejects.toThrow(
      /job-results: preflight.result: .*toJSON\(needs\)/s,
    );
    await expect(report("run-r4", { preflight: ok() }, "preflight,bootstrap")).rejects.toThrow(
      /phases: 'bootstrap' is not a phase/,
    );
  });
});
