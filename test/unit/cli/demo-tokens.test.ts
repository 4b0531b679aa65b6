import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseClusterConfig, type ClusterPlan } from "../../../actions/lib/config/index.js";
import { memoryLogger } from "../../../actions/lib/logger.js";
import {
  pveKubeReadOnlyRolePrivileges,
  pveKubeRolePrivileges,
} from "../../../actions/lib/proxmox/index.js";
import { run as preflight } from "../../../actions/preflight/src/preflight-action.js";
import { DEMO_TOKENS, prepareSimForDeploy } from "../../../cli/src/commands/run-sim.js";
import { connectSimDaemon, type SimDaemon } from "../../../cli/src/commands/sim-daemon.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { repoPath } from "../../helpers/repo.js";
import { instant, writeSimCluster } from "../proxmox/sim-fixtures.js";

/**
 * The tokens `npm start` (`pve-kube run --sim`) and the lab give the deploy: set up on pve-sim as
 * docs/proxmox-client.md's scoped setup says — granted on the pool, the storages, the nodes and
 * the bridge's SDN path that preflight derives from the cluster file, never on `/` — through the
 * same admin client the demo uses. test/integration/deploy/demo-run.test.ts runs the whole demo
 * with them.
 */
const example = await readFile(
  repoPath("workflows-examples", "clusters", "ha", "cluster.yaml"),
  "utf8",
);
const planOf = (yaml: string): ClusterPlan => parseClusterConfig(yaml, "cluster.yaml").plan;

/** The documented loops (docs/proxmox-client.md), for the example's pool k8s-demo. */
const WRITE_PATHS = [
  "/nodes/pve1",
  "/nodes/pve2",
  "/nodes/pve3",
  "/pool/k8s-demo",
  "/sdn/zones/localnetwork/vmbr0",
  "/storage/local",
  "/storage/local-lvm",
];
const READ_ONLY_PATHS = [
  "/access",
  "/nodes/pve1",
  "/nodes/pve2",
  "/nodes/pve3",
  "/pool/k8s-demo",
  "/storage/local",
  "/storage/local-lvm",
];

describe("the demo's tokens: the documented scoped setup", () => {
  let sim: PveSim;
  let daemon: SimDaemon;

  beforeAll(async () => {
    sim = await startPveSim({ timeScale: 0 });
    daemon = connectSimDaemon(sim, 0);
  });
  afterAll(async () => {
    await daemon.close();
    await sim.close();
  });
  beforeEach(() => sim.admin.reset());

  /** `{path → role}` of the ACL entries of a user or token, as `pveum acl list` shows them. */
  const grantsOf = (ugid: string) =>
    sim.admin
      .snapshot()
      .acls.filter((a) => a.ugid === ugid)
      .map((a) => [a.path, a.roleid, a.propagate])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  const scoped = (paths: string[], role: string) => paths.map((p) => [p, role, true]);

  it("grants PVEKube and PVEKubeReadOnly on exactly the cluster's paths, to each token and its user", async () => {
    const tokens = await prepareSimForDeploy(daemon, planOf(example));
    expect(tokens.write.id).toBe("pve-kube@pve!deploy");
    expect(tokens.readOnly.id).toBe("pve-kube-ro@pve!plan");
    expect(tokens.stateKey).toMatch(/^[0-9a-f]{64}$/);
    for (const ugid of ["pve-kube@pve", "pve-kube@pve!deploy"])
      expect(grantsOf(ugid), ugid).toEqual(scoped(WRITE_PATHS, "PVEKube"));
    for (const ugid of ["pve-kube-ro@pve", "pve-kube-ro@pve!plan"])
      expect(grantsOf(ugid), ugid).toEqual(scoped(READ_ONLY_PATHS, "PVEKubeReadOnly"));
    const state = sim.admin.snapshot();
    expect(state.roles.PVEKube).toEqual(pveKubeRolePrivileges(9));
    expect(state.roles.PVEKubeReadOnly).toEqual(pveKubeReadOnlyRolePrivileges(9));
    expect(state.pools.map((p) => p.poolid)).toEqual(["k8s-demo"]);
    for (const { user, token } of Object.values(DEMO_TOKENS))
      expect(state.users.find((u) => u.userid === user)?.tokens[token]?.privsep).toBe(true);
  });

  it("preflight, as deploy.yml runs it with both tokens, passes with no scope or fallback warning", async () => {
    const tokens = await prepareSimForDeploy(daemon, planOf(example));
    const dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-demo-tokens-"));
    try {
      await writeSimCluster(dir, sim);
      const summaryFile = path.join(dir, "summary.md");
      await writeFile(summaryFile, "");
      const result = await preflight({
        env: {
          GITHUB_WORKSPACE: dir,
          GITHUB_STEP_SUMMARY: summaryFile,
          INPUT_CLUSTER: "cluster.yaml",
          "INPUT_NETWORK-CHECKS": "never",
          "INPUT_SIMULATE-CUSTOMIZE": "true",
          INPUT_ENVIRONMENT: "demo",
          "INPUT_REQUIRE-ENVIRONMENT": "true",
          PROXMOX_TOKEN_ID: tokens.readOnly.id,
          PROXMOX_TOKEN_SECRET: tokens.readOnly.secret,
          "INPUT_TOKEN-ACCESS": "read-only",
          "INPUT_WRITE-TOKEN-ID": tokens.write.id,
        },
        logger: memoryLogger(),
        setOutput: () => {},
        maskSecret: () => {},
        proxmoxTiming: instant,
        virtCustomizeCommand: "virt-customize-not-installed-here",
      }).catch((e: unknown) => e);
      const summary = await readFile(summaryFile, "utf8");
      expect(result, summary).not.toBeInstanceOf(Error);
      const row = (check: string) =>
        summary.split("\n").find((l) => l.startsWith(`| ${check} |`)) ?? "";
      expect(row("read-only token privileges")).toContain("✅ pass");
      expect(row("read-only token is read-only")).toContain("✅ pass");
      expect(row("write token privileges")).toContain("✅ pass");
      expect(row("write token scope")).toBe("");
      expect(row("read-only token")).toBe("");
      expect(summary).not.toContain("⚠️");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("an earlier demo's token on / keeps its secret and loses the grant; a second set-up changes nothing", async () => {
    const { user, token } = DEMO_TOKENS.write;
    const old = sim.admin.createToken(user, token, pveKubeRolePrivileges(9), "/");
    const first = await prepareSimForDeploy(daemon, planOf(example));
    expect(first.write).toEqual(old);
    expect(grantsOf(old.id)).toEqual(scoped(WRITE_PATHS, "PVEKube"));
    expect(grantsOf(user)).toEqual(scoped(WRITE_PATHS, "PVEKube"));
    const acls = sim.admin.snapshot().acls;
    const second = await prepareSimForDeploy(daemon, planOf(example));
    expect(second.write).toEqual(old);
    expect(second.readOnly).toEqual(first.readOnly);
    expect(sim.admin.snapshot().acls).toEqual(acls);
    expect(acls.filter((a) => a.path === "/")).toEqual([]);
  });

  it("without a pool the VM privileges go on each /vms/<id>, as preflight asks for them", async () => {
    const plan = planOf(example.replace(/\n {2}pool: k8s-demo\n/, "\n"));
    expect(plan.proxmox.pool).toBeUndefined();
    await prepareSimForDeploy(daemon, plan);
    const vms = [...plan.vms.map((vm) => vm.vmid), plan.template.vmid].map((id) => `/vms/${id}`);
    expect(grantsOf("pve-kube@pve!deploy")).toEqual(
      scoped(
        [...WRITE_PATHS.filter((p) => !p.startsWith("/pool/")), ...vms].sort(),
        "PVEKube",
      ).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(sim.admin.snapshot().pools).toEqual([]);
  });

  it("a cluster file that cannot be read: the tokens exist and hold nothing (preflight stops on the file)", async () => {
    sim.admin.createToken(DEMO_TOKENS.write.user, DEMO_TOKENS.write.token, "PVEAdmin", "/");
    const tokens = await prepareSimForDeploy(daemon, undefined);
    expect(grantsOf(tokens.write.id)).toEqual([]);
    expect(grantsOf(tokens.readOnly.id)).toEqual([]);
    // the admin route refuses a role that does not exist rather than granting nothing silently
    await expect(daemon.ensureToken("x@pve", "t", "NoSuchRole", ["/pool/p"])).rejects.toThrow(
      /400 .*role 'NoSuchRole' does not exist/,
    );
  });
});
