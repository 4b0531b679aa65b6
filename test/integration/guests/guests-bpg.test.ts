import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startResultsService, type ResultsService } from "../../../local/results/index.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { proxmoxApiFor, waitTask } from "../../../testkit/sim-client.js";
import { clusterYaml, SSH_KEY } from "../../../testkit/tofu-fixtures.js";
import { locateTofu } from "../../../testkit/tofu-tools.js";
import { runTofuProvision, type ActionRun, type JobSetup } from "../tofu/action-helpers.js";
import { guestOwnDiskMiB } from "./guest-disk.js";
import { labSsh } from "./guest-ssh.js";
import { labImage } from "./lab-image.js";
import { guestAnswersFromHost, hostRouteDevice } from "./host-probe.js";
import { leftovers } from "./leftovers.js";

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, "../../..");
const image = labImage();

interface InventoryVm {
  name: string;
  vmid: number;
  ip: string;
}

/** build-template as a runner step: its own process, pre-built image inputs (the lab's path). */
async function buildTemplate(env: Record<string, string>): Promise<Record<string, string>> {
  const outputsFile = path.join(env.RUNNER_TEMP ?? os.tmpdir(), "build-template-outputs.json");
  const child = spawn(
    path.join(repo, "node_modules", ".bin", "vite-node"),
    [path.join(repo, "test", "integration", "tofu", "action-child.ts")],
    {
      cwd: repo,
      env: {
        ...process.env,
        ...env,
        PVE_KUBE_TEST_ACTION: "build-template",
        PVE_KUBE_TEST_OUTPUTS: outputsFile,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (log += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (log += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`build-template exited ${String(code)}:\n${log.slice(-4000)}`);
  return JSON.parse(await readFile(outputsFile, "utf8")) as Record<string, string>;
}

/**
 * The lab's real path through the pipeline: build-template uploads the lab image (its pre-built
 * image inputs) and imports it into a template; tofu-provision, as it is, makes the clones with
 * the real OpenTofu and bpg provider; pve-sim with guests boots them. A missing tool or image
 * fails here, never skips.
 */
describe("pve-sim guests through build-template and the real bpg provider", () => {
  const tools = locateTofu();
  let sim: PveSim;
  let results: ResultsService;
  let setup: JobSetup;
  let root: string;
  let stateRoot: string;
  let netns: string;
  let inventory: InventoryVm[] = [];
  let apply: ActionRun;
  const applyMs: number[] = [];

  const ssh = (ip: string, command: string) =>
    labSsh(netns, path.join(root, "id"), "ubuntu").ssh(ip, command);

  beforeAll(async () => {
    if (!tools)
      throw new Error("OpenTofu/bpg provider missing: bash test/tools/install-opentofu.sh");
    root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-guests-bpg-"));
    stateRoot = path.join(root, "guests");
    sim = await startPveSim({ timeScale: 0.01, guests: { stateRoot } });
    netns = sim.guests?.network.name ?? "";
    results = await startResultsService();
    const workspace = path.join(root, "workspace");
    await mkdir(path.join(root, "home"), { recursive: true });
    await mkdir(workspace, { recursive: true });
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(root, "id")]);
    const key = readFileSync(path.join(root, "id.pub"), "utf8").trim();
    await writeFile(
      path.join(workspace, "cluster.yaml"),
      clusterYaml({ controlPlanes: 1, workers: 2 }).replace(SSH_KEY, key),
    );
    setup = {
      sim,
      results,
      tools,
      root,
      workspace,
      stateKey: randomBytes(32).toString("base64"),
    };
    const sha256 = (await run("sha256sum", [image])).stdout.split(" ")[0] ?? "";
    const started = Date.now();
    const built = await buildTemplate({
      GITHUB_WORKSPACE: workspace,
      GITHUB_STEP_SUMMARY: path.join(root, "build-template-summary.md"),
      RUNNER_TEMP: root,
      PROXMOX_TOKEN_ID: sim.rootToken.id,
      PROXMOX_TOKEN_SECRET: sim.rootToken.secret,
      INPUT_CLUSTER: "cluster.yaml",
      "INPUT_PROXMOX-URL": sim.url,
      "INPUT_PROXMOX-FINGERPRINT": sim.fingerprint,
      "INPUT_IMAGE-FILE": image,
      "INPUT_IMAGE-SHA256": sha256,
    });
    expect(built).toMatchObject({ "template-vmid": "9000", built: "true" });
    const size = (await stat(image)).size;
    console.log(
      `build-template with the ${Math.round(size / 2 ** 20)} MiB image (verify, upload, import): ${Date.now() - started} ms`,
    );
  });

  afterAll(async () => {
    await sim?.close();
    await results?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("the template's disk is the uploaded image, streamed into pve-sim's storage file", async () => {
    const volumes = sim.admin.snapshot().volumes as { volid: string; hostPath?: string }[];
    const uploaded = volumes.find((v) => v.volid.startsWith("shared:import/"));
    const disk = volumes.find((v) => v.volid.includes("base-9000-disk-"));
    expect(uploaded?.hostPath).toBeDefined();
    expect(disk?.hostPath).toBe(uploaded?.hostPath);
    const [ours, theirs] = await Promise.all(
      [image, uploaded?.hostPath ?? ""].map(
        async (f) => (await run("sha256sum", [f])).stdout.split(" ")[0],
      ),
    );
    expect(theirs).toBe(ours);
  });

  it("tofu-provision applies 3 clones that boot, answer SSH at their cloud-init address with the cluster key, and report their real address through the agent", async () => {
    // deploy.yml's plan job: its plan is stored for the apply job (prepare-apply)
    const plan = await runTofuProvision(
      setup,
      { runId: "r1", jobId: "plan" },
      { mode: "plan", "prepare-apply": "true" },
    );
    if (plan.error) throw plan.error;
    const started = Date.now();
    apply = await runTofuProvision(
      setup,
      { runId: "r1", jobId: "apply" },
      { mode: "apply", "plan-sha256": plan.outputs["plan-sha256"] ?? "" },
    );
    if (apply.error) throw apply.error;
    applyMs.push(Date.now() - started);
    inventory = JSON.parse(apply.outputs.inventory ?? "[]") as InventoryVm[];
    expect(inventory).toHaveLength(3);
    const api = proxmoxApiFor(sim);
    for (const vm of inventory) {
      const info = sim.guests?.running(vm.vmid);
      expect(info, `VM ${vm.vmid} is a real guest`).toBeDefined();
      // bpg waited for the agent (apply returned); the agent's answer is the guest's own
      const answer = (await api.nodes
        .$(sim.admin.snapshot().vms.find((v) => v.vmid === vm.vmid)?.node ?? "pve1")
        .qemu.$(vm.vmid)
        .agent["network-get-interfaces"].$get()) as {
        result: { name: string; "ip-addresses"?: { "ip-address": string }[] }[];
      };
      const host0 = answer.result.find((n) => n.name === "host0");
      expect(host0?.["ip-addresses"]?.map((a) => a["ip-address"])).toContain(vm.ip);
      await labSsh(netns, path.join(root, "id"), "ubuntu").waitFor(vm.ip);
      const { stdout } = await ssh(
        vm.ip,
        "hostname; cat /sys/fs/cgroup/memory/memory.limit_in_bytes; cat /proc/1/comm",
      );
      expect(stdout.trim().split("\n")).toEqual([vm.name, String(2048 * 2 ** 20), "systemd"]);
    }
    // bpg asked the agent, and pve-sim answered from the guests (not from their config)
    const agentCalls = sim.admin
      .requestLog()
      .filter((r) => r.path.includes("/agent/network-get-interfaces") && r.status === 200);
    expect(agentCalls.length).toBeGreaterThanOrEqual(3);
    console.log(`tofu apply of 3 booting guests: ${applyMs.join(", ")} ms`);
    // from bpg's start call to the agent's first answer with an address, per guest (booted together)
    const log = sim.admin.requestLog();
    for (const vm of inventory) {
      const start = log.find((r) => r.path.includes(`/qemu/${vm.vmid}/status/start`));
      const answered = log.find(
        (r) => r.path.includes(`/qemu/${vm.vmid}/agent/network-get-interfaces`) && r.status === 200,
      );
      if (start && answered)
        console.log(`guest ${vm.name}: start to agent answer ${answered.at - start.at} ms`);
    }
    // what each guest costs: its memory cgroup's usage, its own disk layer (the image is shared)
    for (const vm of inventory) {
      const mib = await guestOwnDiskMiB(sim, vm.vmid);
      const memory = Math.round((sim.guests?.memoryUsage(vm.vmid) ?? 0) / 2 ** 20);
      console.log(`guest ${vm.name}: memory ${memory} MiB, own disk ${mib} MiB`);
    }
  });

  it("no lab address is reachable from the host's network namespace", async () => {
    const { stdout } = await run("ip", ["-o", "addr"]);
    expect(stdout).not.toContain("10.0.20.");
    // the guard route first: a lab address never takes the host's default route out of the machine
    for (const vm of inventory) expect(await hostRouteDevice(vm.ip)).toBe("throw");
    for (const vm of inventory)
      expect(await guestAnswersFromHost(vm.ip, path.join(root, "id"), "ubuntu")).toBe(false);
  });

  it("stop and destroy through the API really stop and remove the machine", async () => {
    const api = proxmoxApiFor(sim);
    const vm = inventory[inventory.length - 1];
    if (!vm) throw new Error("no VM");
    const node = sim.admin.snapshot().vms.find((v) => v.vmid === vm.vmid)?.node ?? "pve1";
    const pid = sim.guests?.running(vm.vmid)?.pid ?? 0;
    expect(readFileSync(`/proc/${pid}/cmdline`, "utf8")).toContain("systemd-nspawn");
    await waitTask(sim, node, await api.nodes.$(node).qemu.$(vm.vmid).status.stop.$post());
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(sim.guests?.running(vm.vmid)).toBeUndefined();
    await expect(ssh(vm.ip, "true")).rejects.toThrow();
    await waitTask(sim, node, await api.nodes.$(node).qemu.$(vm.vmid).$delete());
    expect(existsSync(path.join(sim.guests?.instanceDir ?? "", "vms", String(vm.vmid)))).toBe(
      false,
    );
  });

  it("close leaves no mounts, veths, bridges, namespace, processes or cgroups", async () => {
    const instanceDir = sim.guests?.instanceDir ?? "";
    const instanceId = sim.guests?.instanceId ?? "";
    expect(sim.guests?.guests().length).toBe(2);
    await sim.close();
    expect(await leftovers(instanceDir, instanceId, netns)).toEqual([]);
  });
});
