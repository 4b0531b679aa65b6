import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { memoryLogger, type MemoryLogger } from "../../../actions/lib/logger.js";
import { requiredPrivileges } from "../../../actions/lib/proxmox/index.js";
import { privilegeScopeOf } from "../../../actions/lib/proxmox/index.js";
import { run } from "../../../actions/preflight/src/preflight-action.js";
import { parsePhaseState, type ArtifactStore } from "../../../actions/lib/state/index.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { instant, tokenEnv, writeSimCluster } from "../proxmox/sim-fixtures.js";

/** The preflight action end to end against pve-sim, through the real client and proxmox-api. */
describe("preflight against pve-sim", () => {
  let sim: PveSim;
  let dir: string;

  beforeAll(async () => {
    sim = await startPveSim();
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    sim.admin.reset();
    dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-preflight-sim-"));
    return () => rm(dir, { recursive: true, force: true });
  });

  async function preflight(
    options: {
      token?: { id: string; secret: string };
      edit?: (y: string) => string;
      env?: Record<string, string>;
      artifactStore?: ArtifactStore;
      virtCustomize?: string;
    } = {},
  ) {
    await writeSimCluster(dir, sim, options.edit);
    const summaryFile = path.join(dir, "summary.md");
    await writeFile(summaryFile, "");
    const logger: MemoryLogger = memoryLogger();
    const outputs: Record<string, string> = {};
    const masked: string[] = [];
    const token = options.token ?? sim.rootToken;
    const result = await run({
      env: {
        GITHUB_WORKSPACE: dir,
        GITHUB_STEP_SUMMARY: summaryFile,
        INPUT_CLUSTER: "cluster.yaml",
        ...tokenEnv(token),
        ...options.env,
      },
      logger,
      setOutput: (k, v) => (outputs[k] = v),
      maskSecret: (s) => masked.push(s),
      proxmoxTiming: instant,
      ...(options.artifactStore ? { artifactStore: options.artifactStore } : {}),
      virtCustomizeCommand: options.virtCustomize ?? "virt-customize-not-installed-here",
    }).catch((e: unknown) => e);
    const summary = await readFile(summaryFile, "utf8");
    const everything = [...logger.lines, summary, ...Object.values(outputs)].join("\n");
    // the token secret must never reach the log, the summary or an output
    expect(everything).not.toContain(token.secret);
    expect(masked).toContain(token.secret);
    return { result, summary, outputs, logger };
  }

  it("passes with the root token, makes only read calls, and writes the table", async () => {
    const { result, summary, outputs } = await preflight();
    expect(result).not.toBeInstanceOf(Error);
    expect(outputs.passed).toBe("true");
    expect(outputs["proxmox-version"]).toMatch(/^9\./);
    expect(summary).toContain("## pve-kube preflight — cluster `demo`: ✅ all checks passed");
    expect(summary).toMatch(
      /\| token privileges \| ✅ pass \| all \d+ required privileges present/,
    );
    expect(summary).toMatch(/\| IP addresses and VIP unused \| ⏭️ skipped \|/);
    expect(sim.admin.mutatingRequests()).toEqual([]);
  });

  it("uploads a valid phase state with the version and every check", async () => {
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
    const { outputs } = await preflight({ artifactStore: store });
    const state = parsePhaseState(
      uploaded.get("pve-kube-demo-preflight") ?? "",
      "preflight",
      "test",
    );
    expect(state.status).toBe("succeeded");
    expect(state.outputs.proxmoxVersion).toBe(outputs["proxmox-version"]);
    expect(state.outputs.checks.map((c) => c.check)).toContain("token privileges");
    expect(JSON.parse(outputs.report ?? "[]")).toHaveLength(state.outputs.checks.length);
  });

  const file = path.join(
    import.meta.dirname,
    "../../../workflows-examples/clusters/ha/cluster.yaml",
  );
  const plan = parseClusterConfig(readFileSync(file, "utf8"), file).plan;
  const requirements = requiredPrivileges(privilegeScopeOf(plan, 9));
  const privileges = [...new Set(requirements.map((r) => r.privilege))].sort();

  it("the required list is what a pve-kube run needs", () => {
    expect(privileges).toEqual([
      "Datastore.AllocateSpace",
      "Datastore.AllocateTemplate",
      "Datastore.Audit",
      "Pool.Allocate",
      "Pool.Audit",
      "SDN.Use",
      "Sys.Audit",
      "VM.Allocate",
      "VM.Audit",
      "VM.Clone",
      "VM.Config.CDROM",
      "VM.Config.CPU",
      "VM.Config.Cloudinit",
      "VM.Config.Disk",
      "VM.Config.HWType",
      "VM.Config.Memory",
      "VM.Config.Network",
      "VM.Config.Options",
      "VM.GuestAgent.Audit",
      "VM.Migrate",
      "VM.PowerMgmt",
    ]);
  });

  it.each(privileges)(
    "fails naming %s when a token lacks exactly that privilege",
    async (missing) => {
      const token = sim.admin.createToken(
        "ci@pve",
        `no-${missing.replace(/\./g, "-").toLowerCase()}`,
        privileges.filter((p) => p !== missing),
        "/",
      );
      const { result, summary, outputs } = await preflight({ token });
      expect(result).toBeInstanceOf(ConfigurationError);
      expect(outputs.passed).toBe("false");
      expect((result as Error).message).toContain(`privilege ${missing},`);
      const paths = requirements.filter((r) => r.privilege === missing).map((r) => r.path);
      const row = summary
        .split("\n")
        .find((l) => l.startsWith(`| privilege ${missing} | ❌ fail |`));
      expect(row).toBeDefined();
      expect(row).toContain(`lacks ${missing} on ${paths[0]!}`);
      expect(row).toContain(`pveum role modify PVEKube --append 1 --privs ${missing}`);
      const grantPath = paths[0]!.startsWith("/vms/") ? "/vms" : paths[0]!;
      expect(row).toContain(`pveum acl modify ${grantPath} --tokens 'ci@pve!`);
      expect(summary).toMatch(
        new RegExp(
          `\\| token privileges \\| ❌ fail \\| 1 of ${privileges.length} required privileges are missing \\(${missing.replace(/\./g, "\\.")}\\)`,
        ),
      );
      // no other privilege is reported missing
      expect(summary.match(/\| privilege /g)).toHaveLength(1);
    },
  );

  it("with download-url it also needs Sys.AccessNetwork on the template node (or Sys.Audit+Sys.Modify on /)", async () => {
    const downloadUrl = (y: string) =>
      y.replace("  node: pve1\n", "  node: pve1\n  source: download-url\n");
    const scoped = requiredPrivileges({ ...privilegeScopeOf(plan, 9), downloadUrl: true });
    const all = [...new Set(scoped.map((r) => r.privilege))];
    expect(all).toContain("Sys.AccessNetwork");
    const without = sim.admin.createToken(
      "ci@pve",
      "no-accessnetwork",
      all.filter((p) => p !== "Sys.AccessNetwork"),
      "/",
    );
    const failed = await preflight({ token: without, edit: downloadUrl });
    expect(failed.result).toBeInstanceOf(ConfigurationError);
    expect(failed.summary).toMatch(
      /\| privilege Sys\.AccessNetwork \| ❌ fail \| the token ci@pve!no-accessnetwork lacks Sys\.AccessNetwork on \/nodes\/pve1, .*\(or Sys\.Audit\+Sys\.Modify on \/\)/,
    );
    const alternative = sim.admin.createToken(
      "ci@pve",
      "sys-modify",
      [...all.filter((p) => p !== "Sys.AccessNetwork"), "Sys.Modify"],
      "/",
    );
    const passed = await preflight({ token: alternative, edit: downloadUrl });
    expect(passed.result).not.toBeInstanceOf(Error);
  });

  it("a wrong pin fails the connection row with both fingerprints and skips the rest", async () => {
    const wrong = "AA:".repeat(31) + "AA";
    const { result, summary } = await preflight({ edit: (y) => y.replace(sim.fingerprint, wrong) });
    expect(result).toBeInstanceOf(ConfigurationError);
    expect(summary).toContain("| Proxmox reachable, TLS trusted, token accepted | ❌ fail |");
    expect(summary).toContain(`expected ${wrong}, the server presented ${sim.fingerprint}`);
    expect(summary).toContain(
      "| token privileges | ⏭️ skipped | needs a working connection to Proxmox |",
    );
  });

  it("insecure TLS passes with a warning row and a log warning", async () => {
    const { result, summary, logger } = await preflight({
      edit: (y) => y.replace(/fingerprint: ".*"/, "insecure: true"),
    });
    expect(result).not.toBeInstanceOf(Error);
    expect(summary).toMatch(
      /\| Proxmox reachable, TLS trusted, token accepted \| ⚠️ warn \| .*certificate NOT verified \(insecure\)/,
    );
    expect(
      logger.lines.some((l) =>
        l.startsWith("warning: TLS verification of the Proxmox certificate is OFF"),
      ),
    ).toBe(true);
  });

  it("warns when virt-customize is missing on the runner, and reports its version when present", async () => {
    const missing = await preflight();
    expect(missing.summary).toMatch(
      /\| virt-customize on the runner \| ⚠️ warn \| not installed: .* \| install the Debian\/Ubuntu package guestfs-tools/,
    );
    const bin = path.join(dir, "virt-customize");
    await writeFile(bin, "#!/bin/sh\necho 'virt-customize 1.52.0'\n", { mode: 0o755 });
    const present = await preflight({ virtCustomize: bin });
    expect(present.summary).toContain(
      "| virt-customize on the runner | ✅ pass | virt-customize 1.52.0 |",
    );
    const downloadUrl = await preflight({
      edit: (y) => y.replace("  node: pve1\n", "  node: pve1\n  source: download-url\n"),
    });
    expect(downloadUrl.summary).not.toContain("virt-customize on the runner");
  });

  it("does not ask for virt-customize when the deploy simulates it or does not build the template", async () => {
    const simulated = await preflight({ env: { "INPUT_SIMULATE-CUSTOMIZE": "true" } });
    expect(simulated.summary).toMatch(
      /\| virt-customize on the runner \| ✅ pass \| not needed: simulate-customize is on/,
    );
    // the root token is far more than needed: that warning only
    expect(
      simulated.logger.lines.filter((l) => l.startsWith("warning:")).map((l) => l.slice(0, 30)),
    ).toEqual(["warning: WARN    token scope: "]);
    const provisionOnly = await preflight({ env: { INPUT_PHASES: "tofu-provision" } });
    expect(provisionOnly.outputs.phases).toBe(JSON.stringify(["preflight", "tofu-provision"]));
    expect(provisionOnly.summary).not.toContain("virt-customize on the runner");
  });

  it("a wrong token secret is explained as 401 with the variable names", async () => {
    const { result, summary } = await preflight({
      token: { id: sim.rootToken.id, secret: "00000000-0000-4000-8000-000000000000" },
    });
    expect(result).toBeInstanceOf(ConfigurationError);
    expect(summary).toMatch(/rejected the API token 'root@pam!pve-kube' \(401/);
    expect(summary).toContain("PROXMOX_TOKEN_SECRET environment variable");
  });

  it("names storages without the right content type, unknown bridges and nodes", async () => {
    const { result, summary } = await preflight({
      edit: (y) =>
        y
          .replace("images: local\n", "images: local-lvm\n")
          .replace("bridge: vmbr0", "bridge: vmbr7")
          .replace("nodes: [pve1, pve2, pve3]", "nodes: [pve1, pve2, pve4]"),
    });
    expect(result).toBeInstanceOf(ConfigurationError);
    expect(summary).toMatch(
      /\| storage local-lvm on pve1 \(import\) \| ❌ fail \| storage local-lvm does not allow content type 'import'/,
    );
    expect(summary).toMatch(
      /\| bridge vmbr7 on pve1 \| ❌ fail \| no bridge 'vmbr7' on pve1 \(bridges there: vmbr0\)/,
    );
    expect(summary).toMatch(
      /\| node pve4 \| ❌ fail \| no Proxmox node named 'pve4' \(the cluster has: pve1, pve2, pve3\)/,
    );
  });

  it("fails on a foreign VM in a planned VMID and on a foreign VM with a planned name; accepts VMs that are ours", async () => {
    // create VMs through the real API, as a person would in the GUI
    const { createProxmoxClient, waitForTask } =
      await import("../../../actions/lib/proxmox/index.js");
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
    const create = async (node: string, params: Record<string, string | number>) =>
      waitForTask(client, await client.api.nodes.$(node).qemu.$post(params as never));
    await create("pve1", { vmid: 1000, name: "someone-elses", tags: "web" });
    await create("pve2", { vmid: 555, name: "demo-general-2" });
    await create("pve1", {
      vmid: 1001,
      name: "demo-cp-2",
      tags: "pve-kube;cluster-demo;role-control-plane",
    });
    await client.close();

    const { result, summary } = await preflight();
    expect(result).toBeInstanceOf(ConfigurationError);
    expect(summary).toMatch(
      /\| VMID 1000 \| ❌ fail \| VMID 1000 \(planned for demo-cp-1\) is used by 'someone-elses' on pve1, which is not tagged as this cluster's/,
    );
    expect(summary).toMatch(
      /\| name demo-general-2 \| ❌ fail \| a foreign VM named 'demo-general-2' already exists as VMID 555/,
    );
    expect(summary).not.toMatch(/\| VMID 1001 \|/);
  });

  it.each([1, 2, 3, 4])(
    "with injected 500/596/dropped connections it passes or fails clearly, read-only (round %d)",
    async () => {
      sim.admin.setFaults({ error5xx: 0.1, error596: 0.1, drop: 0.03 });
      try {
        const { result, summary } = await preflight();
        if (result instanceof Error) {
          expect(result).toBeInstanceOf(ConfigurationError);
          expect(summary).toMatch(/❌ fail \| .*(failed with (500|596)|cannot reach Proxmox)/);
        } else {
          expect(summary).toContain("✅ all checks passed");
        }
        expect(sim.admin.mutatingRequests()).toEqual([]);
        expect(sim.admin.requestLog().some((r) => r.status >= 500)).toBe(true);
      } finally {
        sim.admin.setFaults({});
      }
    },
  );
});
