import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startResultsService, type ResultsService } from "../../../local/results/index.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { locateTofu } from "../../helpers/tofu.js";
import { runTofuProvision, type ActionRun, type JobSetup } from "./action-helpers.js";
import { clusterYaml, createCloudInitTemplate } from "./fixtures.js";

const tools = locateTofu();

/**
 * The tofu-provision action end to end with the real OpenTofu and the real bpg provider (built
 * from source by test/tools/install-opentofu.sh) against pve-sim, and the real @actions/artifact
 * and @actions/cache against the local results service. Plan and apply run as separate jobs of
 * one workflow run, exactly like the deploy workflow's plan and apply jobs.
 */
describe.skipIf(!tools)("tofu-provision action on pve-sim", () => {
  let sim: PveSim;
  let results: ResultsService;
  let setup: JobSetup;
  let runCounter = 0;
  const runs: ActionRun[] = [];

  const setCluster = (controlPlanes: number, workers: number) => writeFile(path.join(setup.workspace, "cluster.yaml"), clusterYaml({ controlPlanes, workers }));
  const clones = () => sim.admin.snapshot().vms.filter((vm) => vm.vmid !== 9000);
  const action = async (runId: string, jobId: string, inputs: Record<string, string>) => {
    const r = await runTofuProvision(setup, { runId, jobId }, inputs);
    runs.push(r);
    return r;
  };
  /** A plan job and (when it has changes and apply is wanted) an apply job of the reviewed plan, in one run. */
  const planThenApply = async (extra: Record<string, string> = {}) => {
    const runId = `run-${++runCounter}`;
    const plan = await action(runId, "plan", { mode: "plan", ...extra });
    if (plan.error) throw plan.error;
    const mutatingBefore = sim.admin.mutatingRequests().length;
    const apply = await action(runId, "apply", { mode: "apply", "plan-sha256": plan.outputs["plan-sha256"] ?? "", ...extra });
    return { plan, apply, mutatingBefore };
  };

  beforeAll(async () => {
    sim = await startPveSim({ timeScale: 0.01 });
    results = await startResultsService();
    const root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-tofu-action-"));
    const workspace = path.join(root, "workspace");
    await mkdir(path.join(root, "home"), { recursive: true });
    await mkdir(workspace, { recursive: true });
    setup = { sim, results, tools: tools!, root, workspace, stateKey: `sk-${randomUUID()}-${randomUUID()}` };
    await createCloudInitTemplate(sim);
    // from here on, every mutating request is the action's
    sim.admin.clearRequestLog();
  });
  afterAll(async () => {
    await sim?.close();
    await results?.close();
    if (setup) await rm(setup.root, { recursive: true, force: true });
  });

  it("refuses to init against the committed lock file with a provider that is not the official build", async () => {
    await setCluster(3, 2);
    const r = await action("run-lock", "plan", { mode: "plan", "lock-file": "verify" });
    expect(r.error?.message).toMatch(/lockfile=readonly[\s\S]*(checksum|does not match|doesn't match)/i);
    expect(sim.admin.mutatingRequests()).toEqual([]);
  });

  it("plans 3 control planes + 2 workers without touching Proxmox, then applies exactly that plan", async () => {
    await setCluster(3, 2);
    const { plan, apply, mutatingBefore } = await planThenApply();
    expect(plan.outputs).toMatchObject({ "has-changes": "true", creates: "5", deletes: "0", replaces: "0", "needs-approval": "false", "plan-artifact": "pve-kube-t-tofu-plan", applied: "false" });
    expect(plan.outputs["plan-sha256"]).toMatch(/^[0-9a-f]{64}$/);
    expect(mutatingBefore).toBe(0);
    expect(plan.summary).toContain("**Plan:** +5 create, ~0 update, ±0 replace, −0 delete");
    expect(plan.summary).toContain("#### Control planes");

    expect(apply.error).toBeUndefined();
    expect(apply.logger.lines).toContain(`applying the reviewed plan ${plan.outputs["plan-sha256"]} (hash verified)`);
    expect(apply.outputs).toMatchObject({ applied: "true", "plan-sha256": plan.outputs["plan-sha256"] });
    const inventory = JSON.parse(apply.outputs.inventory ?? "[]") as { name: string; role: string; node: string; ip: string; vmid: number }[];
    expect(inventory.map((vm) => [vm.name, vm.role, vm.ip])).toEqual([
      ["t-cp-1", "control-plane", "10.0.20.11"],
      ["t-cp-2", "control-plane", "10.0.20.12"],
      ["t-cp-3", "control-plane", "10.0.20.13"],
      ["t-w-1", "worker", "10.0.20.14"],
      ["t-w-2", "worker", "10.0.20.15"],
    ]);
    // control planes spread over the three Proxmox nodes
    expect(new Set(inventory.filter((vm) => vm.role === "control-plane").map((vm) => vm.node)).size).toBe(3);
    expect(clones()).toHaveLength(5);
    for (const vm of clones()) {
      expect(vm.status).toBe("running");
      expect(vm.config.tags?.split(";")).toEqual(expect.arrayContaining(["pve-kube", "cluster-t"]));
      expect(vm.config.agent).toMatch(/^(1|enabled=1)/);
    }
    expect(apply.summary).toContain("#### Inventory");
  });

  it("a second plan shows no changes, and its apply changes nothing", async () => {
    const { plan, apply, mutatingBefore } = await planThenApply();
    expect(plan.outputs).toMatchObject({ "has-changes": "false", creates: "0", deletes: "0" });
    expect(plan.summary).toContain("**No changes.**");
    expect(apply.outputs.applied).toBe("false");
    expect(sim.admin.mutatingRequests().length).toBe(mutatingBefore);
  });

  it("workers 2 → 4 plans exactly two creates", async () => {
    await setCluster(3, 4);
    const { plan, apply } = await planThenApply();
    expect(plan.outputs).toMatchObject({ creates: "2", updates: "0", replaces: "0", deletes: "0", "needs-approval": "false" });
    expect(plan.result?.summary.vms.map((vm) => `${vm.action} ${vm.name}`)).toEqual(["create t-w-3", "create t-w-4"]);
    expect(apply.error).toBeUndefined();
    expect(clones()).toHaveLength(7);
  });

  it("workers 4 → 2 plans two deletes that need approval, shown first and loud", async () => {
    await setCluster(3, 2);
    const { plan, apply } = await planThenApply();
    expect(plan.outputs).toMatchObject({ creates: "0", deletes: "2", "needs-approval": "true" });
    expect(plan.summary.indexOf("[!CAUTION]")).toBeLessThan(plan.summary.indexOf("**Plan:**"));
    expect(plan.summary).toContain("**2 VMs will be deleted or replaced** — this needs approval");
    expect(plan.logger.lines.filter((l) => l.includes("DELETE"))).toHaveLength(2);
    expect(apply.error).toBeUndefined();
    expect(clones().map((vm) => vm.config.name).sort()).toEqual(["t-cp-1", "t-cp-2", "t-cp-3", "t-w-1", "t-w-2"]);
  });

  it("apply refuses a plan that is not the reviewed one, and changes nothing", async () => {
    await setCluster(3, 3);
    const runId = `run-${++runCounter}`;
    const plan = await action(runId, "plan", { mode: "plan" });
    const before = sim.admin.mutatingRequests().length;
    const apply = await action(runId, "apply", { mode: "apply", "plan-sha256": "0".repeat(64) });
    expect(plan.outputs.creates).toBe("1");
    expect(apply.error?.message).toMatch(/holds plan [0-9a-f]{64}, not the reviewed plan 0{64}/);
    expect(sim.admin.mutatingRequests().length).toBe(before);
    await setCluster(3, 2);
  });

  it("a plan that deletes control planes is reported in plan mode and refused by apply without allow-replace", async () => {
    await setCluster(1, 2);
    const runId = `run-${++runCounter}`;
    const plan = await action(runId, "plan", { mode: "plan" });
    expect(plan.error).toBeUndefined();
    expect(plan.summary).toContain("apply will refuse this plan");
    expect(plan.outputs).toMatchObject({ deletes: "2", "needs-approval": "true" });
    const before = sim.admin.mutatingRequests().length;
    const apply = await action(runId, "apply", { mode: "apply", "plan-sha256": plan.outputs["plan-sha256"] ?? "" });
    expect(apply.error?.message).toMatch(/would delete or replace control-plane VMs: t-cp-2 \(delete\), t-cp-3 \(delete\).*allow-replace: true/);
    expect(sim.admin.mutatingRequests().length).toBe(before);
    await setCluster(3, 2);
  });

  it("stores the plan encrypted; no artifact, log, output, summary or state file holds a secret", async () => {
    const secrets = [sim.rootToken.secret, setup.stateKey];
    const texts = runs.flatMap((r) => [r.summary, r.logger.lines.join("\n"), JSON.stringify(r.outputs), r.error?.message ?? ""]);
    // the secrets were handed to the runner's masker before use
    expect(runs.every((r) => r.masked.includes(sim.rootToken.secret))).toBe(true);
    const saved = { ...process.env };
    Object.assign(process.env, results.runtimeEnv(`run-${runCounter}`, "scan"));
    const quiet = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      const client = new DefaultArtifactClient();
      for (const name of ["pve-kube-t-tofu-plan", "pve-kube-t-tofu-provision"]) {
        const dir = path.join(setup.root, "scan", name);
        const { artifact } = await client.getArtifact(name);
        await client.downloadArtifact(artifact.id, { path: dir });
        for (const f of await readdir(dir)) texts.push(await readFile(path.join(dir, f), "utf8"));
      }
    } finally {
      quiet.mockRestore();
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    const planDoc = JSON.parse(texts.at(-2) ?? "{}") as { kind?: string; plan?: { $sealed?: string } };
    expect(planDoc.kind).toBe("pve-kube/tofu-plan");
    expect(planDoc.plan?.$sealed).toBe("pve-kube-sealed-v1");
    expect(texts.at(-2)).not.toContain("proxmox_virtual_environment_vm");
    const stateDir = path.join(setup.root, "home", ".local", "state", "pve-kube", "tofu");
    for (const d of await readdir(stateDir)) texts.push(await readFile(path.join(stateDir, d, "terraform.tfstate"), "utf8"));
    for (const text of texts) for (const secret of secrets) expect(text.includes(secret)).toBe(false);
  });

  it("destroy refuses while a VM does not prove it belongs to the cluster, then removes every VM", async () => {
    const foreign = clones().find((vm) => vm.config.name === "t-w-2");
    sim.admin.mutateVm(foreign!.vmid, { config: { tags: "someone-else" } });
    const before = sim.admin.mutatingRequests().length;
    const refused = await action(`run-${++runCounter}`, "destroy", { mode: "destroy" });
    expect(refused.error?.message).toMatch(/refusing to delete VMs that do not prove they belong to cluster 't'.*t-w-2.*missing tags pve-kube, cluster-t/);
    expect(sim.admin.mutatingRequests().length).toBe(before);

    sim.admin.mutateVm(foreign!.vmid, { config: { tags: "cluster-t;pve-kube;role-worker" } });
    const destroyed = await action(`run-${++runCounter}`, "destroy", { mode: "destroy" });
    expect(destroyed.error).toBeUndefined();
    expect(destroyed.outputs).toMatchObject({ deletes: "5", applied: "true", inventory: "[]" });
    expect(sim.admin.snapshot().vms.map((vm) => vm.vmid)).toEqual([9000]);
    expect(existsSync(path.join(setup.root, "home", ".cache", "pve-kube", "tofu-plugins"))).toBe(true);
  });
});
