import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SealedPlan } from "../../../actions/lib/tofu/plan-file.js";
import { startResultsService, type ResultsService } from "../../../local/results/index.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { requireTofu } from "../../../testkit/tofu-tools.js";
import {
  readArtifact,
  replaceArtifact,
  runTofuProvision,
  type ActionRun,
  type JobSetup,
} from "./action-helpers.js";
import { clusterYaml, createCloudInitTemplate } from "../../../testkit/tofu-fixtures.js";

const tools = requireTofu();
const execFileAsync = promisify(execFile);

/** Regular files below `dir`, not following symlinks (.terraform links into the plugin cache). */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/**
 * The tofu-provision action end to end with the real OpenTofu and the real bpg provider (built
 * from source by test/tools/install-opentofu.sh) against pve-sim, and the real @actions/artifact
 * and @actions/cache against the local results service. Plan and apply run as separate jobs of
 * one workflow run, exactly like the deploy workflow's plan and apply jobs.
 */
describe("tofu-provision action on pve-sim", () => {
  let sim: PveSim;
  let results: ResultsService;
  let setup: JobSetup;
  let runCounter = 0;
  const runs: (ActionRun & { runId: string })[] = [];

  const setCluster = (controlPlanes: number, workers: number) =>
    writeFile(path.join(setup.workspace, "cluster.yaml"), clusterYaml({ controlPlanes, workers }));
  const clones = () => sim.admin.snapshot().vms.filter((vm) => vm.vmid !== 9000);
  const action = async (
    runId: string,
    jobId: string,
    inputs: Record<string, string>,
    env: Record<string, string> = {},
  ) => {
    // a plan job here is deploy.yml's (its plan is applied): prepare-apply, unless a test says
    // otherwise; a preview that writes nothing is tested in preview-plan.test.ts
    const withPrepare =
      inputs.mode === "plan" && inputs["prepare-apply"] === undefined
        ? { ...inputs, "prepare-apply": "true" }
        : inputs;
    const r = { ...(await runTofuProvision(setup, { runId, jobId }, withPrepare, env)), runId };
    runs.push(r);
    return r;
  };
  /** A plan job and (when it has changes and apply is wanted) an apply job of the reviewed plan, in one run. */
  const planThenApply = async (extra: Record<string, string> = {}) => {
    const runId = `run-${++runCounter}`;
    const plan = await action(runId, "plan", { mode: "plan", ...extra });
    if (plan.error) throw plan.error;
    const mutatingBefore = sim.admin.mutatingRequests().length;
    const apply = await action(runId, "apply", {
      mode: "apply",
      "plan-sha256": plan.outputs["plan-sha256"] ?? "",
      ...extra,
    });
    return { plan, apply, mutatingBefore };
  };

  beforeAll(async () => {
    sim = await startPveSim({ timeScale: 0.01 });
    results = await startResultsService();
    const root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-tofu-action-"));
    const workspace = path.join(root, "workspace");
    await mkdir(path.join(root, "home"), { recursive: true });
    await mkdir(workspace, { recursive: true });
    setup = {
      sim,
      results,
      tools,
      root,
      workspace,
      stateKey: randomBytes(32).toString("base64"),
    };
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
    expect(r.error?.message).toMatch(
      /lockfile=readonly[\s\S]*(checksum|does not match|doesn't match)/i,
    );
    expect(sim.admin.mutatingRequests()).toEqual([]);
  });

  it("plans 3 control planes + 2 workers without touching Proxmox, then applies exactly that plan", async () => {
    await setCluster(3, 2);
    const { plan, apply, mutatingBefore } = await planThenApply();
    expect(plan.outputs).toMatchObject({
      "has-changes": "true",
      creates: "5",
      deletes: "0",
      replaces: "0",
      "needs-approval": "false",
      "plan-artifact": "pve-kube-t-tofu-plan",
      applied: "false",
    });
    expect(plan.outputs["plan-sha256"]).toMatch(/^[0-9a-f]{64}$/);
    expect(mutatingBefore).toBe(0);
    expect(plan.summary).toContain("**Plan:** +5 create, ~0 update, ±0 replace, −0 delete");
    expect(plan.summary).toContain("#### Control planes");

    expect(apply.error).toBeUndefined();
    expect(apply.logger.lines).toContain(
      `applying the reviewed plan ${plan.outputs["plan-sha256"]} (hash verified)`,
    );
    expect(apply.outputs).toMatchObject({
      applied: "true",
      "plan-sha256": plan.outputs["plan-sha256"],
    });
    const inventory = JSON.parse(apply.outputs.inventory ?? "[]") as {
      name: string;
      role: string;
      node: string;
      ip: string;
      vmid: number;
    }[];
    expect(inventory.map((vm) => [vm.name, vm.role, vm.ip])).toEqual([
      ["t-cp-1", "control-plane", "10.0.20.11"],
      ["t-cp-2", "control-plane", "10.0.20.12"],
      ["t-cp-3", "control-plane", "10.0.20.13"],
      ["t-w-1", "worker", "10.0.20.14"],
      ["t-w-2", "worker", "10.0.20.15"],
    ]);
    // control planes spread over the three Proxmox nodes
    expect(
      new Set(inventory.filter((vm) => vm.role === "control-plane").map((vm) => vm.node)).size,
    ).toBe(3);
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
    expect(plan.outputs).toMatchObject({
      creates: "2",
      updates: "0",
      replaces: "0",
      deletes: "0",
      "needs-approval": "false",
    });
    expect(plan.result?.summary.vms.map((vm) => `${vm.action} ${vm.name}`)).toEqual([
      "create t-w-3",
      "create t-w-4",
    ]);
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
    expect(
      clones()
        .map((vm) => vm.config.name)
        .sort(),
    ).toEqual(["t-cp-1", "t-cp-2", "t-cp-3", "t-w-1", "t-w-2"]);
  });

  it("apply refuses a plan that is not the reviewed one, and changes nothing", async () => {
    await setCluster(3, 3);
    const runId = `run-${++runCounter}`;
    const plan = await action(runId, "plan", { mode: "plan" });
    // as if an apply had been killed after cloning t-w-1: Proxmox has it, the state does not —
    // reconcile would adopt it (a state write) if it ran before the plan is checked
    const stateOf = (args: string[]) =>
      execFileSync(setup.tools.tofu, ["state", ...args], {
        cwd: path.join(setup.root, "runner-temp", "plan", "pve-kube-tofu", "t"),
        env: {
          PATH: process.env.PATH,
          HOME: path.join(setup.root, "home"),
          TF_CLI_CONFIG_FILE: setup.tools.cliConfig,
        },
        encoding: "utf8",
      });
    const worker = stateOf(["list"])
      .split("\n")
      .find((address) => address.includes('"t-w-1"'));
    expect(worker).toBeDefined();
    const backup = path.join(setup.root, "state-before-rm.tfstate");
    await writeFile(backup, stateOf(["pull"]));
    stateOf(["rm", worker ?? ""]);
    const before = sim.admin.mutatingRequests().length;
    const apply = await action(runId, "apply", { mode: "apply", "plan-sha256": "0".repeat(64) });
    expect(plan.outputs.creates).toBe("1");
    expect(apply.error?.message).toMatch(/holds plan [0-9a-f]{64}, not the reviewed plan 0{64}/);
    expect(sim.admin.mutatingRequests().length).toBe(before);
    // the plan was checked first: nothing was adopted, the state is as it was
    expect(apply.logger.lines.filter((l) => /^adopt /.test(l))).toEqual([]);
    expect(stateOf(["list"])).not.toContain('"t-w-1"');
    // put the state back as it was: the later tests start from a cluster whose state is whole
    stateOf(["push", "-force", backup]);
    expect(stateOf(["list"])).toContain('"t-w-1"');
    await setCluster(3, 2);
  });

  it("apply refuses a stored plan that was altered or swapped after review, and changes nothing", async () => {
    const name = "pve-kube-t-tofu-plan";
    const file = "tofu-plan.json";
    // another real plan of this cluster, sealed with the right key: what an insider could swap in
    await setCluster(3, 4);
    const otherRun = `run-${++runCounter}`;
    const other = await action(otherRun, "plan", { mode: "plan" });
    expect(other.outputs.creates).toBe("2");
    const otherDoc = JSON.parse(
      (await readArtifact(results, otherRun, name, path.join(setup.root, "tamper", "other"))).get(
        file,
      ) ?? "",
    ) as SealedPlan;

    await setCluster(3, 3);
    const runId = `run-${++runCounter}`;
    const plan = await action(runId, "plan", { mode: "plan" });
    const reviewed = plan.outputs["plan-sha256"] ?? "";
    expect(plan.outputs.creates).toBe("1");
    const doc = JSON.parse(
      (await readArtifact(results, runId, name, path.join(setup.root, "tamper", "reviewed"))).get(
        file,
      ) ?? "",
    ) as SealedPlan;
    expect(doc.sha256).toBe(reviewed);
    const flipped = Buffer.from(doc.plan.data, "base64");
    flipped[flipped.length >> 1] = (flipped[flipped.length >> 1] ?? 0) ^ 0x01;
    const tampered: [string, SealedPlan, RegExp][] = [
      [
        "one ciphertext bit flipped",
        { ...doc, plan: { ...doc.plan, data: flipped.toString("base64") } },
        /cannot open the sealed value .*the state was modified/,
      ],
      [
        "another plan under its own hash",
        otherDoc,
        new RegExp(`holds plan ${otherDoc.sha256}, not the reviewed plan ${reviewed}`),
      ],
      [
        "another plan relabelled with the reviewed hash",
        { ...otherDoc, sha256: reviewed },
        /cannot open the sealed value .*the state was modified/,
      ],
    ];
    const before = sim.admin.mutatingRequests().length;
    for (const [i, [what, document, refusal]] of tampered.entries()) {
      await replaceArtifact(
        results,
        runId,
        name,
        file,
        JSON.stringify(document),
        path.join(setup.root, "tamper", `upload-${i}`),
      );
      const apply = await action(runId, `apply-${i}`, { mode: "apply", "plan-sha256": reviewed });
      expect(apply.error?.message, what).toMatch(refusal);
      expect(apply.outputs.applied, what).toBeUndefined();
    }
    expect(sim.admin.mutatingRequests().length).toBe(before);
    expect(clones()).toHaveLength(5);
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
    const apply = await action(runId, "apply", {
      mode: "apply",
      "plan-sha256": plan.outputs["plan-sha256"] ?? "",
    });
    expect(apply.error?.message).toMatch(
      /would delete or replace control-plane VMs: t-cp-2 \(delete\), t-cp-3 \(delete\).*allow-replace: true/,
    );
    expect(sim.admin.mutatingRequests().length).toBe(before);
    await setCluster(3, 2);
  });

  it("a plan that replaces control planes (moved to other Proxmox nodes) is refused without allow-replace and applied with it", async () => {
    await writeFile(
      path.join(setup.workspace, "cluster.yaml"),
      clusterYaml({ controlPlanes: 3, workers: 2, controlPlaneNodes: ["pve2", "pve3", "pve1"] }),
    );
    const runId = `run-${++runCounter}`;
    const plan = await action(runId, "plan", { mode: "plan" });
    expect(plan.error).toBeUndefined();
    expect(plan.outputs).toMatchObject({
      "has-changes": "true",
      creates: "0",
      replaces: "3",
      deletes: "0",
      "needs-approval": "true",
    });
    expect(
      plan.result?.summary.vms.map(
        (vm) => `${vm.action} ${vm.name} ${vm.replaceBecause.join(",")}`,
      ),
    ).toEqual(["replace t-cp-1 node_name", "replace t-cp-2 node_name", "replace t-cp-3 node_name"]);
    expect(plan.summary).toContain("apply will refuse this plan");
    const before = sim.admin.mutatingRequests().length;
    const refused = await action(runId, "apply", {
      mode: "apply",
      "plan-sha256": plan.outputs["plan-sha256"] ?? "",
    });
    expect(refused.error?.message).toMatch(
      /would replace control-plane VMs: t-cp-1 \(replace because of node_name\), t-cp-2 .*allow-replace: true/,
    );
    expect(sim.admin.mutatingRequests().length).toBe(before);

    const allowed = await action(runId, "apply-allowed", {
      mode: "apply",
      "plan-sha256": plan.outputs["plan-sha256"] ?? "",
      "allow-replace": "true",
    });
    expect(allowed.error).toBeUndefined();
    expect(allowed.outputs).toMatchObject({ applied: "true", replaces: "3" });
    const inventory = JSON.parse(allowed.outputs.inventory ?? "[]") as {
      name: string;
      node: string;
    }[];
    expect(
      inventory.filter((vm) => vm.name.startsWith("t-cp-")).map((vm) => `${vm.name}@${vm.node}`),
    ).toEqual(["t-cp-1@pve2", "t-cp-2@pve3", "t-cp-3@pve1"]);
    expect(
      clones()
        .map((vm) => `${vm.config.name ?? ""}@${vm.node}`)
        .filter((n) => n.startsWith("t-cp-"))
        .sort(),
    ).toEqual(["t-cp-1@pve2", "t-cp-2@pve3", "t-cp-3@pve1"]);
    expect(clones()).toHaveLength(5);
  });

  it("stores the plan encrypted; no artifact, log, output, summary, state or working file holds a secret, even with TF_LOG set", async () => {
    // an operator who turns on OpenTofu's debug log (it prints request headers) must not leak the token
    const debugLog = path.join(setup.root, "tf-debug.log");
    const debug = await action(
      `run-${++runCounter}`,
      "plan",
      { mode: "plan" },
      { TF_LOG: "TRACE", TF_LOG_PROVIDER: "TRACE", TF_LOG_PATH: debugLog },
    );
    expect(debug.error).toBeUndefined();
    expect(debug.logger.lines).toContain(
      "warning: TF_LOG, TF_LOG_PROVIDER, TF_LOG_PATH ignored: OpenTofu debug logs would print the Proxmox API token",
    );
    expect(existsSync(debugLog)).toBe(false);

    const secrets = [sim.rootToken.secret, setup.stateKey];
    // the secrets were handed to the runner's masker before use
    for (const r of runs) expect(r.masked).toEqual(expect.arrayContaining(secrets));
    const texts = runs.flatMap((r) => [
      r.summary,
      r.logger.lines.join("\n"),
      JSON.stringify(r.outputs),
      r.error?.message ?? "",
    ]);

    // every artifact every run stored
    let plans = 0;
    for (const runId of new Set(runs.map((r) => r.runId))) {
      for (const name of ["pve-kube-t-tofu-plan", "pve-kube-t-tofu-provision"]) {
        const files = await readArtifact(
          results,
          runId,
          name,
          path.join(setup.root, "scan", runId, name),
        ).catch((error: Error) => {
          if (/not found/i.test(error.message)) return new Map<string, string>();
          throw error;
        });
        for (const text of files.values()) {
          texts.push(text);
          if (name.endsWith("-plan")) {
            plans++;
            const doc = JSON.parse(text) as SealedPlan;
            expect(doc.kind).toBe("pve-kube/tofu-plan");
            expect(doc.plan.$sealed).toBe("pve-kube-sealed-v2");
            expect(text).not.toContain("proxmox_virtual_environment_vm");
          }
        }
      }
    }
    expect(plans).toBeGreaterThan(5);
    // the state files
    const stateDir = path.join(setup.root, "home", ".local", "state", "pve-kube", "tofu");
    for (const d of await readdir(stateDir))
      texts.push(await readFile(path.join(stateDir, d, "terraform.tfstate"), "utf8"));
    // the binary plan as OpenTofu reads it (what the sealed artifact holds)
    const workDir = path.join(setup.root, "runner-temp", "plan", "pve-kube-tofu", "t");
    const shown = await execFileAsync(setup.tools.tofu, ["show", "-json", "pve-kube.tfplan"], {
      cwd: workDir,
      env: { ...process.env, TF_CLI_CONFIG_FILE: setup.tools.cliConfig },
      maxBuffer: 64 << 20,
    });
    expect(shown.stdout).toContain('"resource_changes"');
    // the provider's endpoint (a relay port of that one process) is not part of the reviewed plan
    expect(
      (JSON.parse(shown.stdout) as { variables: Record<string, { value: unknown }> }).variables
        .proxmox_endpoint?.value,
    ).toBeNull();
    texts.push(shown.stdout);
    for (const text of texts)
      for (const secret of secrets) expect(text.includes(secret)).toBe(false);

    // every file the jobs left in their working directories (var file, trust bundle, plans, lock file, .terraform)
    let scanned = 0;
    for (const file of await filesUnder(path.join(setup.root, "runner-temp"))) {
      const bytes = await readFile(file);
      scanned++;
      for (const secret of secrets) expect(bytes.includes(secret), file).toBe(false);
    }
    expect(scanned).toBeGreaterThan(10);
  });

  it("destroy refuses a wrong confirmation and a VM that does not prove it belongs to the cluster, then removes every VM", async () => {
    const unconfirmed = sim.admin.mutatingRequests().length;
    const mistyped = await action(`run-${++runCounter}`, "destroy", {
      mode: "destroy",
      "confirm-destroy": "prod",
    });
    expect(mistyped.error?.message).toMatch(/confirm-destroy 'prod' is not the cluster's name 't'/);
    expect(sim.admin.mutatingRequests().length).toBe(unconfirmed);
    const foreign = clones().find((vm) => vm.config.name === "t-w-2");
    sim.admin.mutateVm(foreign!.vmid, { config: { tags: "someone-else" } });
    const before = sim.admin.mutatingRequests().length;
    const refused = await action(`run-${++runCounter}`, "destroy", {
      mode: "destroy",
      "confirm-destroy": "t",
    });
    expect(refused.error?.message).toMatch(
      /refusing to delete VMs that do not prove they belong to cluster 't'.*t-w-2.*missing tags pve-kube, cluster-t/,
    );
    expect(sim.admin.mutatingRequests().length).toBe(before);

    sim.admin.mutateVm(foreign!.vmid, { config: { tags: "cluster-t;pve-kube;role-worker" } });
    const destroyed = await action(`run-${++runCounter}`, "destroy", {
      mode: "destroy",
      "confirm-destroy": "t",
    });
    expect(destroyed.error).toBeUndefined();
    expect(destroyed.outputs).toMatchObject({ deletes: "5", applied: "true", inventory: "[]" });
    expect(sim.admin.snapshot().vms.map((vm) => vm.vmid)).toEqual([9000]);
    expect(existsSync(path.join(setup.root, "home", ".cache", "pve-kube", "tofu-plugins"))).toBe(
      true,
    );
  });
});
