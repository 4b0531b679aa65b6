import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startResultsService, type ResultsService } from "../../../local/results/index.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { requireTofu } from "../../../testkit/tofu-tools.js";
import { clusterYaml, createCloudInitTemplate } from "../../../testkit/tofu-fixtures.js";
import { runTofuProvision, type JobSetup } from "./action-helpers.js";

const tools = requireTofu();

/**
 * A template rebuild (a recipe change: build-template builds the new template at the next free
 * VMID of the template range and keeps the old one, whose base disk the linked clones use) must
 * never replace a VM: existing VMs keep the template they were cloned from, new VMs clone the new
 * one. Real OpenTofu + bpg provider through the tofu-provision action, on pve-sim.
 */
describe("a template rebuild never replaces VMs", () => {
  let sim: PveSim;
  let results: ResultsService;
  let setup: JobSetup;
  let run = 0;

  const setCluster = (workers: number) =>
    writeFile(
      path.join(setup.workspace, "cluster.yaml"),
      clusterYaml({ controlPlanes: 1, workers }),
    );
  const action = async (inputs: Record<string, string>) => {
    const r = await runTofuProvision(setup, { runId: `run-${++run}`, jobId: "provision" }, inputs);
    if (r.error) throw r.error;
    return r;
  };
  /** the template whose base disk a linked clone's scsi0 sits on */
  const baseTemplate = (vm: { config: Record<string, string> }) =>
    Number(/base-(\d+)-disk/.exec(vm.config.scsi0 ?? "")?.[1]);

  beforeAll(async () => {
    sim = await startPveSim({ timeScale: 0.01 });
    results = await startResultsService();
    const root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-template-rebuild-"));
    const workspace = path.join(root, "workspace");
    await mkdir(path.join(root, "home"), { recursive: true });
    await mkdir(workspace, { recursive: true });
    setup = { sim, results, tools, root, workspace, stateKey: randomBytes(32).toString("base64") };
    await createCloudInitTemplate(sim, 9000, "t-template");
  });
  afterAll(async () => {
    await sim?.close();
    await results?.close();
    if (setup) await rm(setup.root, { recursive: true, force: true });
  });

  it("plans zero replacements after the rebuild, a scale-up clones the new template, the replace input rolls one node onto it", async () => {
    await setCluster(1);
    const first = await action({ mode: "apply", "template-vmid": "9000" });
    expect(first.outputs).toMatchObject({ applied: "true", creates: "2" });
    const before = sim.admin.snapshot().vms.filter((vm) => vm.config.template !== "1");
    expect(before).toHaveLength(2);

    // the recipe changed: build-template built the new template at the next VMID of its range
    await createCloudInitTemplate(sim, 9001, "t-template-2");

    const plan = await action({ mode: "plan", "template-vmid": "9001" });
    expect(plan.outputs).toMatchObject({
      "has-changes": "false",
      creates: "0",
      updates: "0",
      replaces: "0",
      deletes: "0",
    });

    await setCluster(2);
    sim.admin.clearRequestLog();
    const grow = await action({ mode: "apply", "template-vmid": "9001" });
    expect(grow.outputs).toMatchObject({
      applied: "true",
      creates: "1",
      updates: "0",
      replaces: "0",
      deletes: "0",
    });
    const after = sim.admin.snapshot().vms.filter((vm) => vm.config.template !== "1");
    expect(after).toHaveLength(3);
    // the existing VMs are the same machines on the old template; the new one is on 9001
    for (const vm of before) {
      const now = after.find((a) => a.vmid === vm.vmid);
      expect(now?.config.name).toBe(vm.config.name);
      expect(baseTemplate(now ?? vm)).toBe(9000);
    }
    const added = after.filter((a) => !before.some((b) => b.vmid === a.vmid));
    expect(added.map(baseTemplate)).toEqual([9001]);
    const mutating = sim.admin.mutatingRequests();
    expect(mutating.filter((r) => r.path.includes("/clone")).map((r) => r.path)).toEqual([
      "/api2/json/nodes/pve1/qemu/9001/clone",
    ]);
    expect(mutating.filter((r) => r.method === "DELETE")).toEqual([]);

    // rolling one worker onto the new template: the replace input re-creates exactly that VM
    const worker = before.find((vm) => vm.config.tags?.includes("role-worker"));
    expect(worker?.config.name).toBeDefined();
    const roll = await action({
      mode: "apply",
      "template-vmid": "9001",
      replace: worker?.config.name ?? "",
    });
    expect(roll.outputs).toMatchObject({
      applied: "true",
      creates: "0",
      replaces: "1",
      deletes: "0",
    });
    const rolled = sim.admin.snapshot().vms.filter((vm) => vm.config.template !== "1");
    expect(rolled).toHaveLength(3);
    expect(
      baseTemplate(rolled.find((vm) => vm.config.name === worker?.config.name) ?? { config: {} }),
    ).toBe(9001);
    const controlPlane = before.find((vm) => vm !== worker);
    expect(
      baseTemplate(rolled.find((vm) => vm.vmid === controlPlane?.vmid) ?? { config: {} }),
    ).toBe(9000);
    // a replace input naming a VM the cluster does not plan is a configuration error
    await expect(action({ mode: "plan", replace: "t-nope" })).rejects.toThrow(
      /t-nope, which cluster.yaml does not plan/,
    );
  });
});
