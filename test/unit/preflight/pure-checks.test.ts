import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import {
  excessPrivileges,
  isReadOnlyPrivilege,
  missingPrivileges,
  pveKubeReadOnlyRolePrivileges,
  pveKubeRolePrivileges,
  readOnlyRequirements,
  requiredPrivileges,
} from "../../../actions/lib/proxmox/index.js";
import { checkCapacity } from "../../../actions/preflight/src/check-capacity.js";
import {
  checkStorages,
  storageNeeds,
  type Inventory,
  type StorageInfo,
} from "../../../actions/preflight/src/check-inventory.js";
import { checkAddresses, inCidr } from "../../../actions/preflight/src/check-network.js";
import { privilegeScopeOf } from "../../../actions/lib/proxmox/index.js";
import { parseVersion } from "../../../actions/preflight/src/check-connection.js";
import { preflightSummary } from "../../../actions/preflight/src/summary.js";
import { repoPath } from "../../helpers/repo.js";

const file = repoPath("workflows-examples", "clusters", "ha", "cluster.yaml");
const { plan } = parseClusterConfig(readFileSync(file, "utf8"), file);
const GIB = 1024 ** 3;

describe("required privileges", () => {
  const requirements = requiredPrivileges(privilegeScopeOf(plan, 9));

  it("cover the pool (every VM is its member), the storages, the nodes and the bridge — never /", () => {
    const paths = [...new Set(requirements.map((r) => r.path))].sort();
    expect(paths).toEqual([
      "/nodes/pve1",
      "/nodes/pve2",
      "/nodes/pve3",
      "/pool/k8s-demo",
      "/sdn/zones/localnetwork/vmbr0",
      "/storage/local",
      "/storage/local-lvm",
    ]);
    expect(
      requirements.find((r) => r.path === "/pool/k8s-demo" && r.privilege === "VM.Clone"),
    ).toBeTruthy();
  });

  it("without a pool, cover every managed VMID and the template by its own path", () => {
    const noPool = requiredPrivileges({ ...privilegeScopeOf(plan, 9), pool: undefined });
    const paths = new Set(noPool.map((r) => r.path));
    for (const vm of plan.vms) expect(paths).toContain(`/vms/${vm.vmid}`);
    expect(noPool.find((r) => r.path === "/vms/9000" && r.privilege === "VM.Clone")).toBeTruthy();
    expect(paths).not.toContain("/");
  });

  it("the read-only role is the read half of PVEKube's, and its requirements only read", () => {
    expect(pveKubeReadOnlyRolePrivileges(9)).toEqual([
      "Datastore.Audit",
      "Pool.Audit",
      "Sys.Audit",
      "VM.Audit",
      "VM.Config.Disk",
      "VM.GuestAgent.Audit",
    ]);
    for (const p of pveKubeReadOnlyRolePrivileges(9)) expect(pveKubeRolePrivileges(9)).toContain(p);
    const reads = readOnlyRequirements(privilegeScopeOf(plan, 9));
    // only reads, and VM.Config.Disk on the VMs' path only: Proxmox shows a VM's disk volume to
    // nobody else (PVE::Storage::check_volume_access), and the bpg provider reads it on refresh
    expect(
      reads.filter((r) => !isReadOnlyPrivilege(r.privilege)).map((r) => `${r.privilege} ${r.path}`),
    ).toEqual(["VM.Config.Disk /pool/k8s-demo"]);
    const writePaths = new Set(requirements.map((r) => r.path));
    for (const r of reads) expect(writePaths).toContain(r.path);
    expect(isReadOnlyPrivilege("VM.Monitor")).toBe(false);
  });

  it("excess: a grant on / is reported once at /, a scoped grant is not, a read-only filter flags writes", () => {
    const role = Object.fromEntries(pveKubeRolePrivileges(9).map((p) => [p, 1]));
    const onRoot = { "/": role, "/pool": role, "/pool/k8s-demo": role };
    expect(excessPrivileges(requirements, onRoot)).toEqual([
      { path: "/", privileges: Object.keys(role).sort() },
    ]);
    expect(excessPrivileges(requirements, { "/": {}, "/pool": {} })).toEqual([]);
    // Sys.Audit is needed on /nodes/pve1 only, not on /nodes
    expect(excessPrivileges(requirements, { "/nodes": { "Sys.Audit": 1 } })).toEqual([
      { path: "/nodes", privileges: ["Sys.Audit"] },
    ]);
  });

  it("reads the guest agent with VM.GuestAgent.Audit on 9 and VM.Monitor on 8", () => {
    expect(requirements.some((r) => r.privilege === "VM.GuestAgent.Audit")).toBe(true);
    const eight = requiredPrivileges(privilegeScopeOf(plan, 8));
    expect(eight.some((r) => r.privilege === "VM.Monitor")).toBe(true);
    expect(eight.some((r) => r.privilege === "VM.GuestAgent.Audit")).toBe(false);
  });

  it("accepts an alternative grant (download-url: Sys.AccessNetwork or Sys.Audit+Sys.Modify on /)", () => {
    const scope = { ...privilegeScopeOf(plan, 9), downloadUrl: true };
    const req = requiredPrivileges(scope).filter((r) => r.privilege === "Sys.AccessNetwork");
    expect(req).toHaveLength(1);
    expect(missingPrivileges(req, {})).toHaveLength(1);
    expect(missingPrivileges(req, { "/": { "Sys.Audit": 1, "Sys.Modify": 1 } })).toHaveLength(0);
    expect(missingPrivileges(req, { "/": { "Sys.Audit": 1 } })).toHaveLength(1);
    expect(missingPrivileges(req, { "/nodes/pve1": { "Sys.AccessNetwork": 0 } })).toHaveLength(0);
  });
});

describe("storage needs", () => {
  const storage = (
    name: string,
    content: string,
    extra: Partial<StorageInfo> = {},
  ): StorageInfo => ({
    storage: name,
    type: "dir",
    content: content.split(","),
    active: true,
    enabled: true,
    shared: false,
    avail: 100 * GIB,
    ...extra,
  });
  const inventory = (storages: StorageInfo[]): Inventory => ({
    nodes: new Map(
      ["pve1", "pve2", "pve3"].map((n) => [
        n,
        { node: n, status: "online", maxcpu: 16, maxmem: 64 * GIB, mem: 8 * GIB },
      ]),
    ),
    storages: new Map(["pve1", "pve2", "pve3"].map((n) => [n, storages])),
  });

  it("asks for images on every VM node and import on the template node", () => {
    expect(storageNeeds(plan).map((n) => `${n.storage}@${n.node}:${n.content}`)).toEqual([
      "local-lvm@pve1:images",
      "local-lvm@pve2:images",
      "local-lvm@pve3:images",
      "local@pve1:import",
    ]);
  });

  it("names a missing content type and the pvesm command that adds it", () => {
    const outcomes = checkStorages(
      plan,
      inventory([
        storage("local", "iso,vztmpl"),
        storage("local-lvm", "images,rootdir", { type: "lvmthin" }),
      ]),
    );
    const bad = outcomes.filter((o) => o.result === "fail");
    expect(bad).toHaveLength(1);
    expect(bad[0]!.detail).toContain("does not allow content type 'import'");
    expect(bad[0]!.fix).toContain("pvesm set local --content iso,vztmpl,import");
  });

  it("names a missing storage and suggests ones with the right content", () => {
    const outcomes = checkStorages(
      plan,
      inventory([storage("local", "import"), storage("fast", "images")]),
    );
    expect(outcomes.filter((o) => o.result === "fail").map((o) => o.detail)[0]).toMatch(
      /no storage 'local-lvm' on pve1 .*content 'images' there: fast/,
    );
  });
});

describe("capacity", () => {
  const inv = (memFreeGiB: number, availGiB: number, type = "dir"): Inventory => ({
    nodes: new Map(
      ["pve1", "pve2", "pve3"].map((n) => [
        n,
        { node: n, status: "online", maxcpu: 8, maxmem: 64 * GIB, mem: (64 - memFreeGiB) * GIB },
      ]),
    ),
    storages: new Map(
      ["pve1", "pve2", "pve3"].map((n) => [
        n,
        [
          {
            storage: "local-lvm",
            type,
            content: ["images"],
            active: true,
            enabled: true,
            shared: false,
            avail: availGiB * GIB,
          },
        ],
      ]),
    ),
  });

  it("passes when the new VMs fit", () => {
    expect(checkCapacity(plan, inv(32, 500), new Set()).every((o) => o.result === "pass")).toBe(
      true,
    );
  });

  it("fails memory per node with numbers, and does not count VMs that already exist", () => {
    // every node gets one control plane (4 GiB) and one worker (8 GiB)
    const tight = checkCapacity(plan, inv(10, 500), new Set());
    expect(tight.filter((o) => o.result === "fail").map((o) => o.check)).toEqual([
      "capacity of pve1: memory",
      "capacity of pve2: memory",
      "capacity of pve3: memory",
    ]);
    expect(tight.find((o) => o.result === "fail")!.detail).toBe(
      "the 2 new VMs need 12.0 GiB, pve1 has 10.0 GiB free of 64.0 GiB",
    );
    const workersExist = new Set(plan.vms.filter((v) => v.role === "worker").map((v) => v.vmid));
    expect(checkCapacity(plan, inv(10, 500), workersExist).some((o) => o.result === "fail")).toBe(
      false,
    );
  });

  it("fails disk on thick storage and only warns on thin storage", () => {
    expect(
      checkCapacity(plan, inv(32, 50), new Set()).filter((o) => o.result === "fail"),
    ).toHaveLength(3);
    expect(
      checkCapacity(plan, inv(32, 50, "lvmthin"), new Set()).filter((o) => o.result === "warn"),
    ).toHaveLength(3);
  });

  it("fails a VM wider than its node", () => {
    const narrow = inv(32, 500);
    for (const info of narrow.nodes.values()) info.maxcpu = 2;
    expect(
      checkCapacity(plan, narrow, new Set())
        .filter((o) => o.result === "fail")
        .map((o) => o.detail)[0],
    ).toMatch(/wants 4 cores, pve\d has 2/);
  });
});

describe("address checks", () => {
  it.each([
    ["10.0.20.5", "10.0.20.0/24", true],
    ["10.0.21.5", "10.0.20.0/24", false],
    ["192.168.1.1", "192.168.0.0/16", true],
    ["127.0.0.1", "10.0.0.0/8", false],
  ])("inCidr(%s, %s) = %s", (ip, cidr, expected) => expect(inCidr(ip, cidr)).toBe(expected));

  it("skips, saying why, when the runner is not on the node network", async () => {
    const [row] = await checkAddresses(
      plan,
      new Set(),
      "auto",
      () => Promise.resolve(true),
      () => ["192.168.7.3"],
    );
    expect(row).toMatchObject({ result: "skipped" });
    expect(row!.detail).toContain("no address in 10.0.20.0/24");
  });

  it("probes new VMs and the VIP when on the network, and fails each answering address", async () => {
    const probed: string[] = [];
    const rows = await checkAddresses(
      plan,
      new Set(),
      "auto",
      (ip) => {
        probed.push(ip);
        return Promise.resolve(ip === "10.0.20.10");
      },
      () => ["10.0.20.250"],
    );
    expect(probed).toHaveLength(plan.vms.length + 1);
    expect(rows).toEqual([
      expect.objectContaining({
        result: "fail",
        check: "address 10.0.20.10",
        detail: "10.0.20.10 (planned for the control-plane VIP) already answers on the network",
      }),
    ]);
  });

  it("leaves existing VMs and, once a control plane exists, the VIP alone", async () => {
    const probed: string[] = [];
    const cp1 = plan.vms[0]!;
    await checkAddresses(
      plan,
      new Set([cp1.vmid]),
      "always",
      (ip) => {
        probed.push(ip);
        return Promise.resolve(false);
      },
      () => [],
    );
    expect(probed).not.toContain(cp1.ip);
    expect(probed).not.toContain(plan.network.vip);
  });
});

describe("preflight summary", () => {
  it("renders one row per check with the fix, escaping table characters", () => {
    const text = preflightSummary(
      {
        cluster: "demo",
        passed: false,
        proxmoxVersion: "9.1.2",
        outcomes: [
          { check: "Proxmox VE version", result: "pass", detail: "9.1.2 (≥ 8.4)" },
          {
            check: "privilege VM.Allocate on /vms/1000",
            result: "fail",
            detail: "lacks it",
            fix: "`pveum a | b`",
          },
        ],
      },
      "https://127.0.0.1:8006",
    );
    expect(text).toContain("## pve-kube preflight — cluster `demo`: ❌ 1 check failed");
    expect(text).toContain("Proxmox VE 9.1.2 at https://127.0.0.1:8006");
    expect(text).toContain(
      "| privilege VM.Allocate on /vms/1000 | ❌ fail | lacks it | `pveum a \\| b` |",
    );
  });

  it.each([
    ["9.1.2", 9, 1],
    ["8.4.0", 8, 4],
    ["8.0", 8, 0],
  ])("parses version %s", (v, major, minor) =>
    expect(parseVersion(v)).toMatchObject({ major, minor }),
  );
});

describe("tcpProbe (real sockets on 127.0.0.1)", () => {
  it("counts an accepted and a refused connection as a host that answers", async () => {
    const { createServer } = await import("node:net");
    const { tcpProbe } = await import("../../../actions/preflight/src/check-network.js");
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const open = (server.address() as { port: number }).port;
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, "127.0.0.1", () => {
        const port = (probe.address() as { port: number }).port;
        probe.close(() => resolve(port));
      });
    });
    try {
      expect(await tcpProbe(1_000, [open])("127.0.0.1")).toBe(true);
      expect(await tcpProbe(1_000, [closed])("127.0.0.1")).toBe(true);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
