import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { memoryLogger } from "../../../actions/lib/logger.js";
import {
  createProxmoxClient,
  waitForTask,
  pveKubeReadOnlyRolePrivileges,
  pveKubeRolePrivileges,
  type ProxmoxClient,
} from "../../../actions/lib/proxmox/index.js";
import { run } from "../../../actions/preflight/src/preflight-action.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { instant, tokenEnv, writeSimCluster } from "../proxmox/sim-fixtures.js";

/**
 * Least privilege, end to end on pve-sim (which computes ACLs, pools and privilege separation as
 * Proxmox does): the token preflight asks for is granted on /pool/<pool>, /storage/<id>,
 * /nodes/<node> and the bridge's SDN path only, the pveum commands preflight prints are run as
 * printed (through the API pveum itself uses), and what is too much is reported.
 */
describe("scoped tokens against pve-sim", () => {
  let sim: PveSim;
  let dir: string;
  let root: ProxmoxClient;

  const connect = (token: { id: string; secret: string }) =>
    createProxmoxClient({
      url: sim.url,
      tokenId: token.id,
      tokenSecret: token.secret,
      tls: { fingerprint: sim.fingerprint },
      logger: memoryLogger(),
      env: {},
      maskSecret: () => {},
      ...instant,
    });

  beforeAll(async () => {
    sim = await startPveSim();
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    sim.admin.reset();
    root = await connect(sim.rootToken);
    dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-token-scope-"));
    return async () => {
      await root.close();
      await rm(dir, { recursive: true, force: true });
    };
  });

  /** The pveum commands preflight prints, done through the API the same way pveum does them. */
  async function pveum(command: string): Promise<void> {
    const words = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? "");
    const flag = (name: string) => {
      const i = words.indexOf(`--${name}`);
      return i < 0 ? undefined : words[i + 1];
    };
    const [, noun, verb, target] = words;
    const api = root.api as unknown as {
      access: {
        roles: {
          $post(p: object): Promise<unknown>;
          $(r: string): { $put(p: object): Promise<unknown> };
        };
        acl: { $put(p: object): Promise<unknown> };
      };
    };
    if (noun === "role" && verb === "add")
      await api.access.roles.$post({ roleid: target, privs: flag("privs") });
    else if (noun === "role" && verb === "modify")
      await api.access.roles.$(target!).$put({ privs: flag("privs"), append: 1 });
    else if (noun === "acl" && (verb === "modify" || verb === "delete"))
      await api.access.acl.$put({
        path: target,
        roles: flag("roles"),
        ...(flag("users") ? { users: flag("users") } : {}),
        ...(flag("tokens") ? { tokens: flag("tokens") } : {}),
        ...(verb === "delete" ? { delete: 1 } : {}),
      });
    else throw new Error(`not a pveum command this test knows: ${command}`);
  }

  /** `pveum user add` + `pveum user token add --privsep 1`: a token that holds nothing yet. */
  async function bareToken(user: string, name: string) {
    const api = root.api as unknown as {
      access: {
        users: {
          $post(p: object): Promise<unknown>;
          $(u: string): { token: { $(t: string): { $post(p: object): Promise<unknown> } } };
        };
      };
    };
    await api.access.users.$post({ userid: user }).catch(() => undefined);
    const made = (await api.access.users.$(user).token.$(name).$post({ privsep: 1 })) as {
      "full-tokenid": string;
      value: string;
    };
    return { id: made["full-tokenid"], secret: made.value };
  }

  async function preflight(
    token: { id: string; secret: string },
    env: Record<string, string> = {},
  ) {
    await writeSimCluster(dir, sim);
    const summaryFile = path.join(dir, "summary.md");
    await writeFile(summaryFile, "");
    const outputs: Record<string, string> = {};
    const result = await run({
      env: {
        GITHUB_WORKSPACE: dir,
        GITHUB_STEP_SUMMARY: summaryFile,
        INPUT_CLUSTER: "cluster.yaml",
        "INPUT_NETWORK-CHECKS": "never",
        ...tokenEnv(token),
        ...env,
      },
      logger: memoryLogger(),
      setOutput: (k, v) => (outputs[k] = v),
      maskSecret: () => {},
      proxmoxTiming: instant,
      virtCustomizeCommand: "virt-customize-not-installed-here",
    }).catch((e: unknown) => e);
    const summary = await readFile(summaryFile, "utf8");
    const row = (check: string) =>
      summary.split("\n").find((l) => l.startsWith(`| ${check} |`)) ?? "";
    const commands = (line: string) =>
      [...line.matchAll(/`(pveum [^`]+)`/g)]
        .map((m) => m[1]!)
        .filter((c) => !c.includes("<") && c !== "pveum acl list");
    return { result, summary, outputs, row, commands };
  }

  const scopedPaths = [
    "/nodes/pve1",
    "/nodes/pve2",
    "/nodes/pve3",
    "/pool/k8s-demo",
    "/sdn/zones/localnetwork/vmbr0",
    "/storage/local",
    "/storage/local-lvm",
  ];

  it("a bare token gets the exact commands; run as printed they grant only scoped paths, and it passes", async () => {
    const token = await bareToken("ci@pve", "deploy");
    const before = await preflight(token);
    expect(before.result).toBeInstanceOf(ConfigurationError);
    const setup = before.commands(before.row("token privileges"));
    expect(setup[0]).toBe(
      `pveum role add PVEKube --privs ${pveKubeRolePrivileges(9)
        .filter((p) => p !== "Sys.AccessNetwork")
        .join(",")}`,
    );
    // one user line and one token line per scoped path, none on / or a whole subtree
    const aclPaths = [...new Set(setup.slice(1).map((c) => c.split(" ")[3]))].sort();
    expect(aclPaths).toEqual(scopedPaths);
    for (const c of setup) await pveum(c);
    const after = await preflight(token);
    expect(after.result).not.toBeInstanceOf(Error);
    expect(after.row("token privileges")).toMatch(
      /✅ pass \| all \d+ required privileges present on 7 paths/,
    );
    expect(after.row("token scope")).toBe("");
    // preflight itself changed nothing: every write was one of the pveum commands
    expect(sim.admin.mutatingRequests().every((r) => r.path.includes("/access/"))).toBe(true);
  });

  it("a grant on / is reported as more than needed, with the commands that narrow it; run, the warning goes", async () => {
    const token = sim.admin.createToken("ci@pve", "broad", pveKubeRolePrivileges(9), "/");
    const broad = await preflight(token);
    expect(broad.result).not.toBeInstanceOf(Error);
    expect(broad.row("token scope")).toMatch(
      /⚠️ warn \| the token ci@pve!broad holds more than pve-kube needs: .* on \/ \|/,
    );
    expect(broad.row("token scope")).toContain(
      "`pveum acl delete / --tokens 'ci@pve!broad' --roles <role>`",
    );
    // the role the test helper made is custom-broad: remove that grant, then run the scoped setup
    await pveum("pveum acl delete / --tokens 'ci@pve!broad' --roles custom-broad");
    await pveum("pveum acl delete / --users ci@pve --roles custom-broad");
    for (const c of broad.commands(broad.row("token scope"))) await pveum(c);
    const narrowed = await preflight(token);
    expect(narrowed.result).not.toBeInstanceOf(Error);
    expect(narrowed.row("token scope")).toBe("");
    expect(narrowed.row("token privileges")).toContain("✅ pass");
  });

  it("pve-sim enforces the scoped grant as Proxmox does: VMs in the pool yes, elsewhere no", async () => {
    const token = await bareToken("ci@pve", "scoped");
    const { row, commands } = await preflight(token);
    for (const c of commands(row("token privileges"))) await pveum(c);
    sim.admin.ensurePool("k8s-demo");
    const client = await connect(token);
    try {
      const create = (vmid: number, pool?: string) =>
        client.api.nodes.$("pve1").qemu.$post({
          vmid,
          name: `vm-${vmid}`,
          memory: 512,
          ...(pool ? { pool } : {}),
        } as never);
      await expect(create(5001)).rejects.toThrow(/lacks VM\.Allocate on \/vms\/5001/);
      await expect(create(5002, "k8s-demo")).resolves.toMatch(/^UPID:/);
      // the new VM is a pool member and inherits the pool's roles; a VM outside it stays hidden
      await waitForTask(
        root,
        await root.api.nodes
          .$("pve1")
          .qemu.$post({ vmid: 5003, name: "foreign", memory: 512 } as never),
      );
      await expect(client.api.nodes.$("pve1").qemu.$(5003).config.$get()).rejects.toThrow(
        /lacks VM\.Audit on \/vms\/5003/,
      );
    } finally {
      await client.close();
    }
  });

  it("a read-only token set up from preflight's commands passes; given a write privilege it fails", async () => {
    const token = await bareToken("ro@pve", "plan");
    const readOnly = { "INPUT_TOKEN-ACCESS": "read-only" };
    const before = await preflight(token, readOnly);
    expect(before.result).toBeInstanceOf(ConfigurationError);
    const setup = before.commands(before.row("read-only token privileges"));
    expect(setup[0]).toBe(
      `pveum role add PVEKubeReadOnly --privs ${pveKubeReadOnlyRolePrivileges(9).join(",")}`,
    );
    for (const c of setup) await pveum(c);
    const after = await preflight(token, readOnly);
    expect(after.result).not.toBeInstanceOf(Error);
    expect(after.row("read-only token is read-only")).toContain("✅ pass");

    // the same token given the deploy role on the pool can change VMs there: refused
    await pveum(`pveum role add PVEKube --privs ${pveKubeRolePrivileges(9).join(",")}`);
    await pveum("pveum acl modify /pool/k8s-demo --users ro@pve --roles PVEKube");
    await pveum("pveum acl modify /pool/k8s-demo --tokens 'ro@pve!plan' --roles PVEKube");
    const writable = await preflight(token, readOnly);
    expect(writable.result).toBeInstanceOf(ConfigurationError);
    expect(writable.row("read-only token is read-only")).toMatch(
      /❌ fail \| the token ro@pve!plan can change Proxmox: it holds .*Pool\.Allocate.* on \/pool\/k8s-demo;/,
    );
  });

  it("VM.Config.Disk, which reading disks needs, is accepted on the cluster's pool only", async () => {
    const token = await bareToken("ro@pve", "disk");
    const readOnly = { "INPUT_TOKEN-ACCESS": "read-only" };
    const first = await preflight(token, readOnly);
    for (const c of first.commands(first.row("read-only token privileges"))) await pveum(c);
    expect((await preflight(token, readOnly)).result).not.toBeInstanceOf(Error);
    sim.admin.grant(token.id, "/vms", ["VM.Config.Disk"]);
    const everyVm = await preflight(token, readOnly);
    expect(everyVm.result).toBeInstanceOf(ConfigurationError);
    expect(everyVm.row("read-only token is read-only")).toMatch(
      /❌ fail \| the token ro@pve!disk can change Proxmox: it holds VM\.Config\.Disk on \/vms;/,
    );
  });

  it("with the read-only token, preflight checks the write token by its id (Sys.Audit on /access)", async () => {
    const ro = await bareToken("ro@pve", "plan");
    const readOnly = { "INPUT_TOKEN-ACCESS": "read-only" };
    const first = await preflight(ro, readOnly);
    for (const c of first.commands(first.row("read-only token privileges"))) await pveum(c);
    const write = sim.admin.createToken("ci@pve", "deploy", pveKubeRolePrivileges(9), "/");
    const withId = { ...readOnly, "INPUT_WRITE-TOKEN-ID": write.id };
    const noAudit = await preflight(ro, withId);
    expect(noAudit.row("write token privileges")).toMatch(
      /⚠️ warn \| cannot read the permissions of the write token ci@pve!deploy: .*Permission check failed \(\/access, Sys\.Audit\)/,
    );
    for (const c of noAudit.commands(noAudit.row("write token privileges"))) await pveum(c);
    await pveum("pveum acl modify /access --users ro@pve --roles PVEKubeReadOnly");
    const audited = await preflight(ro, withId);
    expect(audited.result).not.toBeInstanceOf(Error);
    expect(audited.row("write token privileges")).toContain("✅ pass");
    expect(audited.row("write token scope")).toMatch(
      /⚠️ warn \| the token ci@pve!deploy holds more than pve-kube needs: .* on \//,
    );
    // the write token's secret was never needed
    expect(audited.summary).not.toContain(write.secret);
  });
});
