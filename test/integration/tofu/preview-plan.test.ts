import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pveKubeReadOnlyRolePrivileges } from "../../../actions/lib/proxmox/index.js";
import { startResultsService, type ResultsService } from "../../../local/results/index.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { requireTofu } from "../../../testkit/tofu-tools.js";
import { clusterYaml, createCloudInitTemplate } from "../../../testkit/tofu-fixtures.js";
import { runTofuProvision, type JobSetup } from "./action-helpers.js";

const tools = requireTofu();

/**
 * A pull request's plan and a drift check run tofu-provision in plan mode without prepare-apply:
 * with the real OpenTofu and bpg provider on pve-sim, and a VM an interrupted apply created but
 * never recorded (the case where a plan used to import it into the state), the plan writes
 * nothing — the OpenTofu state file is byte-identical, no artifact (plan or phase state) is
 * uploaded, and Proxmox sees no mutating call (the token is a read-only one besides).
 */
describe("a preview plan writes nothing", () => {
  let sim: PveSim;
  let results: ResultsService;
  let setup: JobSetup;

  beforeAll(async () => {
    sim = await startPveSim({ timeScale: 0.01 });
    results = await startResultsService();
    const root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-preview-plan-"));
    const workspace = path.join(root, "workspace");
    await mkdir(path.join(root, "home"), { recursive: true });
    await mkdir(workspace, { recursive: true });
    setup = { sim, results, tools, root, workspace, stateKey: randomBytes(32).toString("base64") };
    await writeFile(
      path.join(workspace, "cluster.yaml"),
      clusterYaml({ controlPlanes: 1, workers: 2 }),
    );
    await createCloudInitTemplate(sim);
  });
  afterAll(async () => {
    await sim.close();
    await results.close();
    await rm(setup.root, { recursive: true, force: true });
  });

  const stateFile = () => {
    const dir = path.join(setup.root, "home", ".local", "state", "pve-kube", "tofu");
    return path.join(dir, readdirSync(dir)[0] ?? "none", "terraform.tfstate");
  };

  it("no adoption into the state, no artifact, no Proxmox write — prepare-apply is what writes", async () => {
    // a deploy: its plan job (prepare-apply) and the apply job of that plan, in one run
    const planned = await runTofuProvision(
      setup,
      { runId: "deploy-1", jobId: "plan" },
      { mode: "plan", "prepare-apply": "true" },
    );
    expect(planned.error).toBeUndefined();
    const applied = await runTofuProvision(
      setup,
      { runId: "deploy-1", jobId: "apply" },
      { mode: "apply", "plan-sha256": planned.outputs["plan-sha256"] ?? "" },
    );
    expect(applied.error, applied.logger.lines.join("\n")).toBeUndefined();

    // an interrupted apply: one complete VM on Proxmox that the state never recorded
    const state = JSON.parse(await readFile(stateFile(), "utf8")) as {
      serial: number;
      resources: { type: string; instances: { index_key?: string }[] }[];
    };
    const vms = state.resources.find((r) => r.type === "proxmox_virtual_environment_vm")!;
    const lost = vms.instances.pop()!.index_key!;
    state.serial += 1;
    await writeFile(stateFile(), JSON.stringify(state, null, 2));

    const readOnly = sim.admin.createToken("ro@pve", "plan", pveKubeReadOnlyRolePrivileges(9), "/");
    const before = {
      state: await readFile(stateFile()),
      artifacts: results.artifacts().length,
      requests: sim.admin.requestLog().length,
    };
    // the pull request's preview (and drift's refresh-only pass), with the read-only token
    const preview = await runTofuProvision(
      setup,
      { runId: "pr-7", jobId: "plan" },
      { mode: "plan", "refresh-only-pass": "true" },
      { PROXMOX_TOKEN_ID: readOnly.id, PROXMOX_TOKEN_SECRET: readOnly.secret },
    );
    const log = preview.logger.lines.join("\n");
    expect(preview.error, log).toBeUndefined();
    expect(await readFile(stateFile())).toEqual(before.state);
    expect(results.artifacts()).toHaveLength(before.artifacts);
    const calls = sim.admin.requestLog().slice(before.requests);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((r) => r.mutating)).toEqual([]);
    expect(log).toContain(`warning: ${lost} (VMID`);
    expect(log).toContain("is complete but not in the OpenTofu state");
    expect(log).not.toMatch(/^adopt /m);
    expect(preview.outputs.creates).toBe("1");
    expect(preview.summary).toContain("apply will adopt it (this plan writes nothing)");
    expect(log).toContain("tofu-provision state not uploaded: a preview plan writes nothing");

    // deploy's plan job is the one that adopts (a state write, still no Proxmox write)
    const prepared = await runTofuProvision(
      setup,
      { runId: "deploy-2", jobId: "plan" },
      { mode: "plan", "prepare-apply": "true" },
      { PROXMOX_TOKEN_ID: readOnly.id, PROXMOX_TOKEN_SECRET: readOnly.secret },
    );
    expect(prepared.error, prepared.logger.lines.join("\n")).toBeUndefined();
    expect(prepared.logger.lines.some((l) => l.startsWith(`adopt ${lost} (VMID`))).toBe(true);
    expect(prepared.outputs.creates).toBe("0");
    expect(await readFile(stateFile())).not.toEqual(before.state);
    expect(results.artifacts().length).toBeGreaterThan(before.artifacts);
    expect(
      sim.admin
        .requestLog()
        .slice(before.requests)
        .filter((r) => r.mutating),
    ).toEqual([]);
  });
});
