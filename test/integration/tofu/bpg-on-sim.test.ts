import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { renderTofuVars } from "../../../actions/lib/tofu/var-file.js";
import { repoPath } from "../../helpers/repo.js";
import { clusterYaml, IMAGE_SHA256, IMAGE_URL } from "../../../testkit/tofu-fixtures.js";
import { proxmoxApiFor, waitTask } from "../../../testkit/sim-client.js";
import { requireTofu } from "../../../testkit/tofu-tools.js";

const run = promisify(execFile);
const tools = requireTofu();

/** A real cluster.yaml, planned by pve-kube and rendered into the module's var file. */
function clusterVars(sim: PveSim, workers: number) {
  return renderTofuVars(
    parseClusterConfig(clusterYaml({ controlPlanes: 1, workers }), "cluster.yaml").plan,
    { endpoint: sim.url, linkedClones: false },
  );
}

/**
 * The real OpenTofu with the real bpg/proxmox provider (both built from source by
 * test/tools/install-opentofu.sh) against pve-sim: the provider must not be able to tell it from
 * Proxmox. The simulator's certificate is trusted through SSL_CERT_FILE, as the tofu-provision
 * action does for a pinned or CA-trusted Proxmox — TLS is never switched off.
 */
describe("OpenTofu + bpg provider on pve-sim", () => {
  let sim: PveSim;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const tofu = async (...args: string[]) => {
    try {
      return await run(tools.tofu, args, { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; code?: number };
      if (args[0] === "plan" && e.code === 2)
        return { stdout: e.stdout ?? "", stderr: e.stderr ?? "", changes: true };
      throw new Error(
        `tofu ${args.join(" ")} failed (${String(e.code)}):\n${e.stderr ?? ""}\n${(e.stdout ?? "").slice(-4000)}`,
      );
    }
  };
  const setWorkers = (workers: number) =>
    writeFileSync(
      path.join(dir, "cluster.auto.tfvars.json"),
      JSON.stringify(clusterVars(sim, workers)),
    );
  const clones = () => sim.admin.snapshot().vms.filter((v) => v.vmid !== 9000);

  beforeAll(async () => {
    sim = await startPveSim({ timeScale: 0.01 });
    dir = mkdtempSync(path.join(os.tmpdir(), "pve-kube-tofu-"));
    for (const f of readdirSync(repoPath("terraform")).filter((f) => f.endsWith(".tf")))
      cpSync(repoPath("terraform", f), path.join(dir, f));
    writeFileSync(path.join(dir, "sim-ca.pem"), sim.certPem);
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      TF_CLI_CONFIG_FILE: tools.cliConfig,
      TF_IN_AUTOMATION: "1",
      PROXMOX_VE_API_TOKEN: `${sim.rootToken.id}=${sim.rootToken.secret}`,
      SSL_CERT_FILE: path.join(dir, "sim-ca.pem"),
    };
    // the template the cluster clones: an imported cloud image with cloud-init and the agent,
    // on shared storage so clones may land on every node
    const api = proxmoxApiFor(sim);
    sim.admin.registerRemoteFile(IMAGE_URL, { size: 3584 * 1024 * 1024, sha256: IMAGE_SHA256 });
    await waitTask(
      sim,
      "pve1",
      await api.nodes
        .$("pve1")
        .storage.$("shared")
        ["download-url"].$post({
          url: IMAGE_URL,
          content: "import",
          filename: "noble.qcow2",
        } as never),
    );
    await waitTask(
      sim,
      "pve1",
      await api.nodes.$("pve1").qemu.$post({
        vmid: 9000,
        name: "t-template",
        memory: "2048",
        scsihw: "virtio-scsi-pci",
        net0: "virtio,bridge=vmbr0",
        scsi0: "shared:0,import-from=shared:import/noble.qcow2",
        ide2: "shared:cloudinit",
        boot: "order=scsi0",
        serial0: "socket",
        vga: "serial0",
        agent: "1",
      } as never),
    );
    await waitTask(sim, "pve1", await api.nodes.$("pve1").qemu.$(9000).template.$post());
    setWorkers(0);
    await tofu("init", "-input=false", "-no-color");
  });
  afterAll(() => sim?.close());

  it("applies a cloned cloud-init VM with the agent, then plans no changes", async () => {
    await tofu("apply", "-input=false", "-auto-approve", "-no-color");
    const [vm] = clones();
    expect(vm).toMatchObject({ vmid: 1000, node: "pve1", status: "running" });
    expect(vm?.config).toMatchObject({
      name: "t-cp-1",
      ciuser: "ubuntu",
      tags: "cluster-t;pve-kube;role-control-plane",
    });
    // Proxmox stores property strings as the client sent them; bpg sends gw before ip
    expect(vm?.config.ipconfig0?.split(",").sort()).toEqual(["gw=10.0.20.1", "ip=10.0.20.11/24"]);
    expect(vm?.config.description).toContain("uid=");
    expect(vm?.config.agent).toMatch(/^(1|enabled=1)/);
    const plan = await tofu("plan", "-input=false", "-detailed-exitcode", "-no-color");
    expect("changes" in plan, plan.stdout).toBe(false);
  });

  it("creates ten VMs in parallel (-parallelism=10)", async () => {
    setWorkers(10);
    const started = sim.admin.requestLog().length;
    await tofu("apply", "-input=false", "-auto-approve", "-no-color", "-parallelism=10");
    expect(clones()).toHaveLength(11);
    const cloneCalls = sim.admin
      .requestLog()
      .slice(started)
      .filter((r) => r.method === "POST" && r.path.endsWith("/clone"));
    expect(cloneCalls.length).toBeGreaterThanOrEqual(10);
    const timeline = sim.admin.timeline().filter((t) => t.type === "qmclone");
    const overlapping = timeline.some((a) =>
      timeline.some(
        (b) => a !== b && a.startMs < (b.endMs ?? Infinity) && b.startMs < (a.endMs ?? Infinity),
      ),
    );
    expect(overlapping).toBe(true);
  });

  // The bpg provider retries neither reads nor most writes on 5xx/596, so with faults on every
  // request a refresh of a dozen VMs almost never gets through; faults hit the writes here and
  // the reads are measured in bench/.
  it("converges under injected faults on writes (5% 500, 5% 596, 10% lock timeouts) by re-running apply", async () => {
    const attempts: number[] = [];
    for (const workers of [6, 9]) {
      setWorkers(workers);
      sim.admin.setFaults({ error5xx: 0.05, error596: 0.05, lockTimeout: 0.1, scope: "writes" });
      let attempt = 0;
      try {
        for (;;) {
          attempt++;
          try {
            await tofu("apply", "-input=false", "-auto-approve", "-no-color", "-parallelism=10");
            break;
          } catch (error) {
            if (attempt >= 10) throw error;
          }
        }
      } finally {
        sim.admin.setFaults({});
      }
      attempts.push(attempt);
      const plan = await tofu("plan", "-input=false", "-detailed-exitcode", "-no-color");
      expect("changes" in plan, plan.stdout).toBe(false);
      expect(clones()).toHaveLength(workers + 1);
      expect(clones().every((vm) => !vm.config.lock)).toBe(true);
    }
    console.log(`apply attempts until convergence under faults: ${attempts.join(", ")}`);
  });

  it("destroys everything it created and leaves the template", async () => {
    await tofu("destroy", "-input=false", "-auto-approve", "-no-color", "-parallelism=10");
    expect(clones()).toEqual([]);
    expect(sim.admin.snapshot().vms.map((v) => v.vmid)).toEqual([9000]);
  });
});
