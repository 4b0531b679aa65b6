import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  run,
  type BuildTemplateOutcome,
} from "../../../actions/build-template/src/build-template-action.js";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { memoryLogger, type MemoryLogger } from "../../../actions/lib/logger.js";
import { parsePhaseState, type ArtifactStore } from "../../../actions/lib/state/index.js";
import {
  createProxmoxClient,
  privilegeScopeOf,
  tokenSetup,
  waitForTask,
} from "../../../actions/lib/proxmox/index.js";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { instant, tokenEnv, writeSimCluster } from "../proxmox/sim-fixtures.js";

const IMAGE_URL =
  "https://cloud-images.example/releases/noble/release-20260911/noble-server-cloudimg-amd64.img";
const IMAGE_SHA = "612b2c0cc1bc413a6cb8c38fd611794caf0f2b436c50013d8b3794db12ad7354";

/** cluster.yaml edits: Proxmox downloads the pinned image itself (download-url). */
const downloadUrl = (yaml: string) =>
  yaml.replace(
    "  node: pve1\n",
    `  node: pve1\n  source: download-url\n  image:\n    url: ${IMAGE_URL}\n    sha256: ${IMAGE_SHA}\n`,
  );

type Vm = { vmid: number; node: string; config: Record<string, string> };

describe("build-template against pve-sim", () => {
  let sim: PveSim;
  let dir: string;

  beforeAll(async () => {
    sim = await startPveSim({ seed: 7 });
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    sim.admin.reset();
    sim.admin.setFaults({});
    sim.admin.registerRemoteFile(IMAGE_URL, { size: 3584 * 1024 * 1024, sha256: IMAGE_SHA });
    dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-template-sim-"));
    return () => rm(dir, { recursive: true, force: true });
  });

  async function buildTemplate(
    options: {
      edit?: (y: string) => string;
      inputs?: Record<string, string>;
      virtCustomize?: string;
      file?: string;
      clock?: { now: () => number; sleep: (ms: number) => Promise<void> };
      pollMs?: number;
      artifactStore?: ArtifactStore;
      token?: { id: string; secret: string };
    } = {},
  ) {
    const file = options.file ?? "cluster.yaml";
    await writeSimCluster(dir, sim, options.edit ?? downloadUrl, file);
    const summaryFile = path.join(dir, `summary-${Math.random().toString(16).slice(2)}.md`);
    await writeFile(summaryFile, "");
    const logger: MemoryLogger = memoryLogger();
    const outputs: Record<string, string> = {};
    const inputs = Object.fromEntries(
      Object.entries({ cluster: file, ...options.inputs }).map(([k, v]) => [
        `INPUT_${k.toUpperCase()}`,
        v,
      ]),
    );
    const result: BuildTemplateOutcome | Error = await run({
      env: {
        GITHUB_WORKSPACE: dir,
        GITHUB_STEP_SUMMARY: summaryFile,
        RUNNER_TEMP: dir,
        ...inputs,
        ...tokenEnv(options.token ?? sim.rootToken),
      },
      logger,
      setOutput: (k, v) => (outputs[k] = v),
      maskSecret: () => {},
      proxmoxTiming: { ...instant, ...(options.clock ? { clock: options.clock } : {}) },
      pollMs: options.pollMs ?? 1,
      ...(options.virtCustomize ? { virtCustomizeCommand: options.virtCustomize } : {}),
      ...(options.artifactStore ? { artifactStore: options.artifactStore } : {}),
    }).catch((e: unknown) => e as Error);
    const summary = await readFile(summaryFile, "utf8");
    expect([...logger.lines, summary].join("\n")).not.toContain(
      (options.token ?? sim.rootToken).secret,
    );
    return { result, outputs, summary, logger };
  }

  const vms = () => (sim.admin.snapshot() as unknown as { vms: Vm[] }).vms;
  const vm = (vmid: number) => vms().find((v) => v.vmid === vmid);

  it("builds a template, then a second run makes zero mutating API calls", async () => {
    const first = await buildTemplate();
    expect(first.result).toMatchObject({ vmid: 9000, node: "pve1", built: true });
    expect(first.outputs).toMatchObject({
      "template-vmid": "9000",
      node: "pve1",
      built: "true",
      "simulated-steps": "",
    });
    const fingerprint = first.outputs.fingerprint!;
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);

    const t = vm(9000)!;
    expect(t.config.template).toBe("1");
    expect(t.config.tags!.split(";")).toEqual(
      expect.arrayContaining([
        "pve-kube",
        "cluster-demo",
        "pve-kube-template",
        `pve-kube-recipe-${fingerprint.slice(0, 16)}`,
      ]),
    );
    expect(t.config.tags).not.toContain("pve-kube-building");
    expect(t.config.description).toContain(`recipe: sha256:${fingerprint}`);
    expect(t.config.description).not.toContain("pve-kube-build:");
    expect(t.config.scsi0).toMatch(/^local-lvm:base-9000-disk-\d+/);
    expect(t.config.ide2).toMatch(/^local-lvm:.*cloudinit.*media=cdrom/);
    expect(t.config).toMatchObject({
      serial0: "socket",
      vga: "serial0",
      machine: "q35",
      bios: "seabios",
      boot: "order=scsi0",
    });
    expect(t.config.agent).toMatch(/^(enabled=)?1/);
    expect(first.summary).toContain("🆕 built template **9000** on pve1");

    sim.admin.clearRequestLog();
    const second = await buildTemplate();
    expect(second.result).toMatchObject({ vmid: 9000, built: false });
    expect(second.outputs.built).toBe("false");
    expect(sim.admin.requestLog().length).toBeGreaterThan(0);
    expect(sim.admin.mutatingRequests()).toEqual([]);
    expect(second.summary).toContain("✅ template **9000** on pve1 is up to date");
  });

  it("with a pool-scoped token, a create refused before it ran is sent again (a VMID outside the pool is not even readable)", async () => {
    const file = await writeSimCluster(dir, sim, downloadUrl);
    const plan = parseClusterConfig(await readFile(file, "utf8"), "cluster.yaml", dir).plan;
    // the operator's scoped set-up (docs/security.md): PVEKube on the pool, storages and nodes
    const setup = tokenSetup(privilegeScopeOf(plan, 9), "write");
    sim.admin.ensureRole(setup.role, setup.privileges);
    const token = sim.admin.ensureToken("pve-kube@pve", "deploy", setup.role, setup.paths);
    sim.admin.failOnce("POST", /^\/nodes\/pve1\/qemu$/);

    const { result, logger } = await buildTemplate({ token });

    expect(result).toMatchObject({ vmid: 9000, built: true });
    expect(logger.lines.join("\n")).toContain("creating VM 9000");
    expect(logger.lines.join("\n")).toContain("it does not exist, trying again");
    const creates = sim.admin
      .requestLog()
      .filter((r) => r.method === "POST" && r.path === "/api2/json/nodes/pve1/qemu");
    expect(creates).toHaveLength(2);
    expect(vm(9000)?.config.template).toBe("1");
    const pool = sim.admin.snapshot().pools.find((p) => p.poolid === plan.proxmox.pool);
    expect(pool?.vmids).toContain(9000);
  });

  it("plan mode reports what would happen without changing anything, and the state records the build", async () => {
    const planned = await buildTemplate({ inputs: { plan: "true" } });
    expect(planned.outputs).toMatchObject({ "would-build": "true" });
    expect(planned.summary).toContain("🆕 a new template would be built (recipe");
    expect(planned.summary).toContain("at VMID 9000");
    expect(sim.admin.mutatingRequests()).toEqual([]);

    const uploaded = new Map<string, string>();
    const store: ArtifactStore = {
      uploadArtifact: async (name, files) => (
        uploaded.set(name, await readFile(files[0]!, "utf8")),
        { id: 1, size: 1 }
      ),
      getArtifact: () =>
        Promise.reject(
          Object.assign(new Error("artifact not found"), { name: "ArtifactNotFoundError" }),
        ),
      downloadArtifact: () => Promise.reject(new Error("not used")),
      deleteArtifact: () => Promise.reject(new Error("not used")),
    };
    const built = await buildTemplate({ artifactStore: store });
    const state = parsePhaseState(
      uploaded.get("pve-kube-demo-build-template") ?? "",
      "build-template",
      "test",
    );
    expect(state.outputs).toEqual({
      templateVmid: 9000,
      node: "pve1",
      fingerprint: built.outputs.fingerprint,
      built: true,
      simulatedSteps: [],
    });
    expect(state.timings.map((t) => t.step)).toEqual([
      "inspect",
      "create template VM",
      "stage image",
      "import disk",
      "convert to template",
      "finish metadata",
    ]);

    const again = await buildTemplate({ inputs: { plan: "true" } });
    expect(again.outputs).toMatchObject({ "would-build": "false", "template-vmid": "9000" });
  });

  it("with insecure TLS it warns in the log and in the summary", async () => {
    const { result, summary, logger } = await buildTemplate({
      edit: (y) => downloadUrl(y).replace(/fingerprint: ".*"/, "insecure: true"),
    });
    expect(result).toMatchObject({ built: true });
    expect(summary).toContain("TLS verification of the Proxmox certificate was OFF");
    expect(
      logger.lines.some((l) =>
        l.startsWith("warning: TLS verification of the Proxmox certificate is OFF"),
      ),
    ).toBe(true);
  });

  it("a changed recipe builds a new template at the next free VMID and leaves the old one alone", async () => {
    await buildTemplate();
    // a cluster VM as tofu-provision makes it: a linked clone of the template, tagged as ours
    const client = await createProxmoxClient({
      url: sim.url,
      tokenId: sim.rootToken.id,
      tokenSecret: sim.rootToken.secret,
      tls: { fingerprint: sim.fingerprint },
      logger: memoryLogger(),
      env: {},
      maskSecret: () => {},
      ...instant,
    });
    await waitForTask(
      client,
      await client.api.nodes.$("pve1").qemu.$(9000).clone.$post({ newid: 1000, name: "demo-cp-1" }),
    );
    await client.api.nodes
      .$("pve1")
      .qemu.$(1000)
      .config.$put({ tags: "pve-kube;cluster-demo;role-control-plane" });
    await client.close();
    const before = structuredClone(vm(9000));
    sim.admin.clearRequestLog();
    const changed = await buildTemplate({
      edit: (y) => downloadUrl(y).replace("  node: pve1\n", "  node: pve1\n  bios: ovmf\n"),
    });
    expect(changed.result).toMatchObject({
      vmid: 9001,
      built: true,
      kept: [expect.objectContaining({ vmid: 9000 })],
    });
    expect(vm(9000)).toEqual(before);
    expect(sim.admin.mutatingRequests().filter((r) => /\/qemu\/9000(\/|$)/.test(r.path))).toEqual(
      [],
    );
    expect(vm(9001)!.config).toMatchObject({ template: "1", bios: "ovmf" });
    expect(vm(9001)!.config.efidisk0).toMatch(/^local-lvm:/);
    expect(changed.summary).toContain(
      "Older templates kept (existing VMs are never forced onto a new template): 9000 (linked clones 1000 depend on it)",
    );
  });

  it.each([1, 2, 3, 4, 5])("three runs at once build one template (round %d)", async () => {
    await writeSimCluster(dir, sim, downloadUrl, "twin.yaml");
    await writeSimCluster(dir, sim, downloadUrl, "triplet.yaml");
    const runs = await Promise.all([
      buildTemplate(),
      buildTemplate({ file: "twin.yaml" }),
      buildTemplate({ file: "triplet.yaml" }),
    ]);
    const results = runs.map((r) => r.result as BuildTemplateOutcome);
    expect(results.map((r) => r.vmid)).toEqual([9000, 9000, 9000]);
    expect(results.filter((r) => r.built)).toHaveLength(1);
    expect(vms().filter((v) => v.config.tags?.includes("pve-kube-template"))).toHaveLength(1);
    // exactly one create succeeded; a loser's create was refused by Proxmox, never retried blindly
    expect(
      sim.admin
        .mutatingRequests()
        .filter((r) => r.method === "POST" && r.path.endsWith("/qemu") && r.status === 200),
    ).toHaveLength(1);
    expect(sim.admin.mutatingRequests().some((r) => r.method === "DELETE")).toBe(false);
  });

  it("stops before any change when virt-customize is missing, naming the package", async () => {
    const upload = (y: string) =>
      y.replace(
        "  node: pve1\n",
        `  node: pve1\n  image:\n    url: http://127.0.0.1:9/noble.img\n    sha256: ${IMAGE_SHA}\n`,
      );
    sim.admin.clearRequestLog();
    const { result, logger } = await buildTemplate({
      edit: upload,
      virtCustomize: "virt-customize-not-installed-here",
    });
    expect(result).toBeInstanceOf(ConfigurationError);
    expect((result as Error).message).toMatch(/virt-customize is not installed.*guestfs-tools/s);
    expect(sim.admin.mutatingRequests()).toEqual([]);
    expect(logger.lines.join("\n")).not.toContain("creating");
  });

  it("a failed build removes its half-built VM and explains the failure", async () => {
    sim.admin.reset(); // the image URL is not downloadable: the download task fails after the VM exists
    const { result } = await buildTemplate();
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(
      /Proxmox task download .* failed: download failed: 404 Not Found/,
    );
    expect((result as Error).message).toContain("last lines of the task log");
    expect(vms()).toEqual([]);
    expect(
      sim.admin.mutatingRequests().map((r) => `${r.method} ${r.path.replace(/\?.*/, "")}`),
    ).toContain("DELETE /api2/json/nodes/pve1/qemu/9000");
  });

  it("when even the cleanup fails, the error names the VM, and a later run removes the abandoned build", async () => {
    sim.admin.setFaults({ lockTimeout: 1 }); // every config change and destroy times out on its lock
    const failed = await buildTemplate();
    expect(failed.result).toBeInstanceOf(Error);
    const message = (failed.result as Error).message;
    expect(message).toMatch(/can't lock file .* got timeout/);
    expect(message).toContain("The half-built VM 9000 on pve1 could not be removed");
    expect(message).toContain("qm destroy 9000 --purge");
    expect(vm(9000)!.config.tags).toContain("pve-kube-building");

    sim.admin.setFaults({});
    // a later run: time moves on while it waits, past the lock timeout, then it takes over
    let offset = 0;
    const clock = {
      now: () => Date.now() + offset,
      sleep: (ms: number) => Promise.resolve(void (offset += ms)),
    };
    const later = await buildTemplate({
      inputs: { "build-lock-timeout-minutes": "1" },
      clock,
      pollMs: 15_000,
    });
    expect(later.result).toMatchObject({ vmid: 9000, built: true, waitedForOtherBuilder: true });
    expect(later.logger.lines.join("\n")).toContain(
      "older than the build lock timeout: removing it",
    );
    expect(vms().map((v) => [v.vmid, v.config.template])).toEqual([[9000, "1"]]);
  });

  it.each([1, 2, 3, 4, 5, 6])(
    "with injected faults (round %d) it succeeds or fails clearly, never leaving a half-built template",
    async () => {
      sim.admin.setFaults({
        error5xx: 0.08,
        error596: 0.08,
        drop: 0.03,
        lockTimeout: 0.2,
        storageError: 0.1,
      });
      const { result } = await buildTemplate();
      const leftovers = vms().filter(
        (v) => v.config.tags?.includes("pve-kube-template") && v.config.template !== "1",
      );
      if (result instanceof Error) {
        expect(result.message.length).toBeGreaterThan(20);
        expect(result.message).not.toMatch(/undefined|\[object Object\]/);
        if (leftovers.length) expect(result.message).toContain("could not be removed");
      } else {
        expect(result).toMatchObject({ vmid: 9000, built: true });
        expect(leftovers).toEqual([]);
      }
      // without faults, the next run converges on exactly one finished template
      sim.admin.setFaults({});
      // (a leftover whose cleanup failed is taken over once its marker is older than the lock timeout)
      let offset = 0;
      const clock = {
        now: () => Date.now() + offset,
        sleep: (ms: number) => Promise.resolve(void (offset += ms)),
      };
      const again = await buildTemplate({
        inputs: { "build-lock-timeout-minutes": "1" },
        clock,
        pollMs: 15_000,
      });
      expect(again.result).not.toBeInstanceOf(Error);
      const templates = vms().filter((v) => v.config.tags?.includes("pve-kube-template"));
      expect(templates.filter((v) => v.config.template === "1")).toHaveLength(1);
    },
  );
});
