import { beforeEach, describe, expect, it } from "vitest";
import { useSimHttp, type SimHttp } from "./access-helpers.js";

const ctx = useSimHttp();
beforeEach(async () => {
  ctx.sim.admin.reset();
  const upid = (await ctx.http.root200("POST", "/nodes/pve1/qemu", {
    vmid: "100",
    scsi0: "local-lvm:1",
  })) as string;
  await ctx.http.waitTask(upid);
});

/** `pveum user add <id> --groups <g>` plus a privilege-separated token `<id>!tk`. */
async function member(userid: string, groups: string[]): Promise<void> {
  for (const g of groups)
    if (
      !((await ctx.http.root200("GET", "/access/groups")) as { groupid: string }[]).some(
        (x) => x.groupid === g,
      )
    )
      await ctx.http.root200("POST", "/access/groups", { groupid: g });
  await ctx.http.root200("POST", "/access/users", { userid, groups: groups.join(",") });
  await ctx.http.root200("POST", `/access/users/${userid}/token/tk`, { privsep: "1" });
}
const acl = (
  path: string,
  roles: string,
  subject: { users?: string; groups?: string; tokens?: string },
  propagate = true,
) =>
  ctx.http.root200("PUT", "/access/acl", {
    path,
    roles,
    ...subject,
    propagate: propagate ? "1" : "0",
  });

describe("pve-sim evaluates group ACLs like Proxmox", () => {
  it("grants a group's roles to its members (and not to others)", async () => {
    await member("ann@pve", ["ops"]);
    await ctx.http.root200("POST", "/access/users", { userid: "bob@pve" });
    await acl("/vms", "PVEVMAdmin", { groups: "ops" });
    expect(await ctx.http.privileges("ann@pve", "/vms/100")).toContain("VM.Allocate");
    expect(await ctx.http.privileges("bob@pve", "/vms/100")).toEqual([]);
    expect((await ctx.http.root200("GET", "/access/acl")) as unknown[]).toContainEqual({
      path: "/vms",
      ugid: "ops",
      type: "group",
      roleid: "PVEVMAdmin",
      propagate: 1,
    });
  });

  it("merges the roles of all the user's groups on one path", async () => {
    await member("ann@pve", ["auditors", "powerusers"]);
    await acl("/vms", "PVEAuditor", { groups: "auditors" });
    await acl("/vms", "PVEVMUser", { groups: "powerusers" });
    const privs = await ctx.http.privileges("ann@pve", "/vms/100");
    expect(privs).toContain("VM.Audit");
    expect(privs).toContain("VM.PowerMgmt");
  });

  it("lets the user's own ACL on the same path override the group's", async () => {
    await member("ann@pve", ["ops"]);
    await acl("/vms", "PVEVMAdmin", { groups: "ops" });
    await acl("/vms", "PVEAuditor", { users: "ann@pve" });
    const privs = await ctx.http.privileges("ann@pve", "/vms/100");
    expect(privs).toContain("VM.Audit");
    expect(privs).not.toContain("VM.Allocate");
  });

  it("lets a group ACL on a deeper path override the user's ACL on a parent", async () => {
    await member("ann@pve", ["ops"]);
    await acl("/", "PVEVMAdmin", { users: "ann@pve" });
    await acl("/vms", "PVEAuditor", { groups: "ops" });
    expect(await ctx.http.privileges("ann@pve", "/vms/100")).not.toContain("VM.Allocate");
    expect(await ctx.http.privileges("ann@pve", "/storage/local")).toContain("VM.Allocate");
  });

  it("keeps a group ACL with propagate=0 on its own path", async () => {
    await member("ann@pve", ["ops"]);
    await acl("/vms", "PVEAuditor", { groups: "ops" }, false);
    expect(await ctx.http.privileges("ann@pve", "/vms")).toContain("VM.Audit");
    expect(await ctx.http.privileges("ann@pve", "/vms/100")).toEqual([]);
  });

  it("gives a privilege-separated token the intersection of its own and its user's (group-given) privileges", async () => {
    await member("ann@pve", ["ops"]);
    await acl("/vms", "PVEAuditor", { groups: "ops" });
    await acl("/", "PVEVMAdmin", { tokens: "ann@pve!tk" });
    expect(await ctx.http.privileges("ann@pve!tk", "/vms/100")).toEqual([
      "VM.Audit",
      "VM.GuestAgent.Audit",
    ]);
  });

  it("refuses a request over HTTP when only a group could have granted it and the user left the group", async () => {
    const userid = "cara@pve";
    await member(userid, ["ops"]);
    await acl("/", "PVEAuditor", { groups: "ops" });
    const secret = (await ctx.http.root200("POST", `/access/users/${userid}/token/api`, {
      privsep: "0",
    })) as { value: string };
    const cara = { id: `${userid}!api`, auth: `PVEAPIToken=${userid}!api=${secret.value}` };
    expect((await ctx.http.call(cara, "GET", "/nodes/pve1/qemu/100/config")).status).toBe(200);
    // pveum user modify cara@pve --groups '' : the empty list ends every membership
    await ctx.http.root200("PUT", `/access/users/${userid}`, { groups: "" });
    expect((await ctx.http.root200("GET", `/access/users/${userid}`)) as object).toMatchObject({
      groups: [],
    });
    const answer = await ctx.http.call(cara, "GET", "/nodes/pve1/qemu/100/config");
    expect([answer.status, answer.statusText]).toEqual([
      403,
      "Permission check failed (/vms/100, VM.Audit)",
    ]);
  });

  it("NoAccess from a group blocks everything on that path", async () => {
    await member("ann@pve", ["ops", "blocked"]);
    await acl("/vms", "PVEVMAdmin", { groups: "ops" });
    await acl("/vms/100", "NoAccess", { groups: "blocked" });
    expect(await ctx.http.privileges("ann@pve", "/vms/100")).toEqual([]);
  });

  it("adds pool roles to a member VM's own roles (not propagating, not overriding)", async () => {
    await member("ann@pve", []);
    await ctx.http.root200("POST", "/pools", { poolid: "p1" });
    await ctx.http.root200("PUT", "/pools", { poolid: "p1", vms: "100" });
    await acl("/vms/100", "PVEAuditor", { users: "ann@pve" });
    await acl("/pool/p1", "PVEVMUser", { users: "ann@pve" });
    const privs = await ctx.http.privileges("ann@pve", "/vms/100");
    expect(privs).toContain("VM.Audit");
    expect(privs).toContain("VM.PowerMgmt");
  });

  it("refuses unknown groups and lets group User.Modify manage the group's members", async () => {
    expect(
      (
        await ctx.http.call(ctx.http.root, "POST", "/access/users", {
          userid: "x@pve",
          groups: "nope",
        })
      ).statusText,
    ).toBe("create user failed: no such group 'nope'");
    expect(
      (
        await ctx.http.call(ctx.http.root, "PUT", "/access/acl", {
          path: "/",
          roles: "PVEAuditor",
          groups: "nope",
        })
      ).statusText,
    ).toBe("group 'nope' does not exist");
    await member("dan@pve", ["team"]);
    const admin = await ctx.http.identity("lead", [
      { path: "/access/groups/team", privs: ["User.Modify"] },
    ]);
    // User.Modify on the group reaches its members only
    expect((await ctx.http.call(admin, "GET", "/access/users/dan@pve")).status).toBe(200);
    await ctx.http.root200("POST", "/access/users", { userid: "eve@pve" });
    expect((await ctx.http.call(admin, "GET", "/access/users/eve@pve")).status).toBe(403);
    const listed = (
      (await ctx.http.call(admin, "GET", "/access/users")).data as { userid: string }[]
    ).map((u) => u.userid);
    expect(listed).toContain("dan@pve");
    expect(listed).not.toContain("eve@pve");
  });
});

describe("pve-sim checks download-url and network listing like Proxmox 9", () => {
  const URL = "https://images.example/noble.qcow2";
  const ISO = "https://images.example/netinst.iso";
  beforeEach(() => {
    ctx.sim.admin.registerRemoteFile(URL, { size: 4096, sha256: "b".repeat(64) });
    ctx.sim.admin.registerRemoteFile(ISO, { size: 4096, sha256: "c".repeat(64) });
  });
  const download = (who: Parameters<SimHttp["call"]>[0], content: "import" | "iso") =>
    ctx.http.call(
      who,
      "POST",
      "/nodes/pve1/storage/local/download-url",
      content === "import"
        ? { url: URL, content, filename: "noble.qcow2" }
        : { url: ISO, content, filename: "netinst.iso" },
    );

  it.each(["import", "iso"] as const)(
    "content=%s: Datastore.AllocateTemplate on the storage plus Sys.AccessNetwork on the node is enough",
    async (content) => {
      const who = await ctx.http.identity(`net-${content}`, [
        { path: "/storage/local", privs: ["Datastore.AllocateTemplate"] },
        { path: "/nodes/pve1", privs: ["Sys.AccessNetwork"] },
      ]);
      const answer = await download(who, content);
      expect(answer.status).toBe(200);
      expect(await ctx.http.waitTask(answer.data as string)).toBe("OK");
    },
  );

  it.each(["import", "iso"] as const)(
    "content=%s: or Sys.Audit and Sys.Modify on / (both)",
    async (content) => {
      const both = await ctx.http.identity(`both-${content}`, [
        { path: "/storage/local", privs: ["Datastore.AllocateTemplate"] },
        { path: "/", privs: ["Sys.Audit", "Sys.Modify"] },
      ]);
      expect((await download(both, content)).status).toBe(200);
      const auditOnly = await ctx.http.identity(`audit-${content}`, [
        { path: "/storage/local", privs: ["Datastore.AllocateTemplate"] },
        { path: "/", privs: ["Sys.Audit"] },
      ]);
      expect(await download(auditOnly, content)).toMatchObject({
        status: 403,
        statusText: "Permission check failed",
      });
      const nodeAudit = await ctx.http.identity(`node-${content}`, [
        { path: "/storage/local", privs: ["Datastore.AllocateTemplate"] },
        { path: "/nodes/pve1", privs: ["Sys.Audit", "Sys.Modify"] },
      ]);
      expect((await download(nodeAudit, content)).status).toBe(403);
      const noStorage = await ctx.http.identity(`nostore-${content}`, [
        { path: "/nodes/pve1", privs: ["Sys.AccessNetwork"] },
      ]);
      expect(await download(noStorage, content)).toMatchObject({
        status: 403,
        statusText: "Permission check failed (/storage/local, Datastore.AllocateTemplate)",
      });
    },
  );

  it("lists a node's network interfaces to any authenticated caller", async () => {
    const nobody = await ctx.http.identity("nobody", []);
    const answer = await ctx.http.call(nobody, "GET", "/nodes/pve1/network", { type: "bridge" });
    expect(answer.status).toBe(200);
    expect(answer.data).toContainEqual(expect.objectContaining({ iface: "vmbr0", type: "bridge" }));
    expect((await ctx.http.call(nobody, "GET", "/nodes/pve1/status")).statusText).toBe(
      "Permission check failed (/nodes/pve1, Sys.Audit)",
    );
  });
});
