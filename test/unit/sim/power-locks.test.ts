import { beforeEach, describe, expect, it } from "vitest";
import { fetch } from "undici";
import { useSimHttp } from "./access-helpers.js";

const ctx = useSimHttp();
beforeEach(async () => {
  ctx.sim.admin.reset();
  await ctx.http.waitTask(
    (await ctx.http.root200("POST", "/nodes/pve1/qemu", {
      vmid: "100",
      scsi0: "local-lvm:1",
    })) as string,
  );
});

const status = async () =>
  ((await ctx.http.root200("GET", "/nodes/pve1/qemu/100/status/current")) as { status: string })
    .status;
const log = async (upid: string) =>
  (
    (await ctx.http.root200("GET", `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`)) as {
      t: string;
    }[]
  ).map((l) => l.t);

describe("pve-sim power calls on a locked VM behave like qemu-server", () => {
  it("start answers with a UPID and the task fails with 'VM is locked (<lock>)'", async () => {
    ctx.sim.admin.mutateVm(100, { config: { lock: "backup" } });
    const answer = await ctx.http.call(ctx.http.root, "POST", "/nodes/pve1/qemu/100/status/start");
    expect(answer.status).toBe(200);
    expect(answer.data).toMatch(
      /^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:qmstart:100:root@pam!pve-kube:$/,
    );
    expect(await ctx.http.waitTask(answer.data as string)).toBe("VM is locked (backup)");
    expect((await log(answer.data as string)).at(-1)).toBe("TASK ERROR: VM is locked (backup)");
    expect(await status()).toBe("stopped");
  });

  it("a template is refused before the lock is looked at, and a suspended VM may start (resume)", async () => {
    ctx.sim.admin.mutateVm(100, { config: { lock: "clone", template: "1" } });
    expect(
      await ctx.http.waitTask(
        (await ctx.http.root200("POST", "/nodes/pve1/qemu/100/status/start")) as string,
      ),
    ).toBe("you can't start a vm if it's a template");
    ctx.sim.admin.mutateVm(100, { config: { lock: "suspended", template: null } });
    expect(
      await ctx.http.waitTask(
        (await ctx.http.root200("POST", "/nodes/pve1/qemu/100/status/start")) as string,
      ),
    ).toBe("OK");
    expect(await status()).toBe("running");
  });

  it("stopping a running locked VM fails in the task; a stopped one just ends OK", async () => {
    await ctx.http.waitTask(
      (await ctx.http.root200("POST", "/nodes/pve1/qemu/100/status/start")) as string,
    );
    ctx.sim.admin.mutateVm(100, { config: { lock: "migrate" } });
    expect(
      await ctx.http.waitTask(
        (await ctx.http.root200("POST", "/nodes/pve1/qemu/100/status/stop")) as string,
      ),
    ).toBe("VM is locked (migrate)");
    expect(
      await ctx.http.waitTask(
        (await ctx.http.root200("POST", "/nodes/pve1/qemu/100/status/shutdown")) as string,
      ),
    ).toBe("VM is locked (migrate)");
    expect(await status()).toBe("running");
    ctx.sim.admin.mutateVm(100, { status: "stopped" });
    expect(
      await ctx.http.waitTask(
        (await ctx.http.root200("POST", "/nodes/pve1/qemu/100/status/stop")) as string,
      ),
    ).toBe("OK");
  });

  it("skiplock is for root@pam only: a token (even root's) gets 400, a root ticket starts the locked VM", async () => {
    ctx.sim.admin.mutateVm(100, { config: { lock: "backup" } });
    const refused = await ctx.http.call(
      ctx.http.root,
      "POST",
      "/nodes/pve1/qemu/100/status/start",
      { skiplock: "1" },
    );
    expect([refused.status, refused.statusText]).toEqual([400, "Parameter verification failed."]);
    const login = await fetch(`${ctx.sim.url}/api2/json/access/ticket`, {
      method: "POST",
      body: new URLSearchParams({ username: "root@pam", password: ctx.sim.rootPassword }),
      dispatcher: ctx.http.agent,
    });
    const { data } = (await login.json()) as {
      data: { ticket: string; CSRFPreventionToken: string };
    };
    const started = await fetch(`${ctx.sim.url}/api2/json/nodes/pve1/qemu/100/status/start`, {
      method: "POST",
      headers: {
        Cookie: `PVEAuthCookie=${data.ticket}`,
        CSRFPreventionToken: data.CSRFPreventionToken,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "skiplock=1",
      dispatcher: ctx.http.agent,
    });
    const upid = ((await started.json()) as { data: string }).data;
    expect(await ctx.http.waitTask(upid)).toBe("OK");
    expect(await status()).toBe("running");
  });

  it("every other call that takes skiplock refuses it to a token too: config, resize, delete — the lock stays", async () => {
    ctx.sim.admin.mutateVm(100, { config: { lock: "clone" } });
    const calls: [string, string, Record<string, string>][] = [
      ["PUT", "/nodes/pve1/qemu/100/config", { delete: "lock", skiplock: "1" }],
      ["POST", "/nodes/pve1/qemu/100/config", { name: "x", skiplock: "1" }],
      ["PUT", "/nodes/pve1/qemu/100/resize", { disk: "scsi0", size: "+1G", skiplock: "1" }],
      ["DELETE", "/nodes/pve1/qemu/100", { purge: "1", skiplock: "1" }],
    ];
    for (const [method, apiPath, body] of calls) {
      const refused = await ctx.http.call(ctx.http.root, method, apiPath, body);
      expect([method, apiPath, refused.status, refused.statusText]).toEqual([
        method,
        apiPath,
        400,
        "Parameter verification failed.",
      ]);
      expect(refused.errors).toEqual({ skiplock: "Only root may use this option." });
    }
    const config = (await ctx.http.root200("GET", "/nodes/pve1/qemu/100/config")) as Record<
      string,
      unknown
    >;
    expect(config.lock).toBe("clone");
  });
});
