import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fetch } from "undici";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { SimHttp } from "./access-helpers.js";

let sim: PveSim;
let http: SimHttp;

beforeAll(async () => {
  sim = await startPveSim();
  http = new SimHttp(sim);
});
afterAll(async () => {
  await http.agent.close();
  await sim.close();
});
beforeEach(async () => {
  sim.admin.reset();
  await http.waitTask((await http.root200("POST", "/nodes/pve1/qemu", { vmid: "100", scsi0: "local-lvm:1" })) as string);
});

const status = async () => ((await http.root200("GET", "/nodes/pve1/qemu/100/status/current")) as { status: string }).status;
const log = async (upid: string) => ((await http.root200("GET", `/nodes/pve1/tasks/${encodeURIComponent(upid)}/log`)) as { t: string }[]).map((l) => l.t);

describe("pve-sim power calls on a locked VM behave like qemu-server", () => {
  it("start answers with a UPID and the task fails with 'VM is locked (<lock>)'", async () => {
    sim.admin.mutateVm(100, { config: { lock: "backup" } });
    const answer = await http.call(http.root, "POST", "/nodes/pve1/qemu/100/status/start");
    expect(answer.status).toBe(200);
    expect(answer.data).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:qmstart:100:root@pam!pve-kube:$/);
    expect(await http.waitTask(answer.data as string)).toBe("VM is locked (backup)");
    expect((await log(answer.data as string)).at(-1)).toBe("TASK ERROR: VM is locked (backup)");
    expect(await status()).toBe("stopped");
  });

  it("a template is refused before the lock is looked at, and a suspended VM may start (resume)", async () => {
    sim.admin.mutateVm(100, { config: { lock: "clone", template: "1" } });
    expect(await http.waitTask((await http.root200("POST", "/nodes/pve1/qemu/100/status/start")) as string)).toBe("you can't start a vm if it's a template");
    sim.admin.mutateVm(100, { config: { lock: "suspended", template: null } });
    expect(await http.waitTask((await http.root200("POST", "/nodes/pve1/qemu/100/status/start")) as string)).toBe("OK");
    expect(await status()).toBe("running");
  });

  it("stopping a running locked VM fails in the task; a stopped one just ends OK", async () => {
    await http.waitTask((await http.root200("POST", "/nodes/pve1/qemu/100/status/start")) as string);
    sim.admin.mutateVm(100, { config: { lock: "migrate" } });
    expect(await http.waitTask((await http.root200("POST", "/nodes/pve1/qemu/100/status/stop")) as string)).toBe("VM is locked (migrate)");
    expect(await http.waitTask((await http.root200("POST", "/nodes/pve1/qemu/100/status/shutdown")) as string)).toBe("VM is locked (migrate)");
    expect(await status()).toBe("running");
    sim.admin.mutateVm(100, { status: "stopped" });
    expect(await http.waitTask((await http.root200("POST", "/nodes/pve1/qemu/100/status/stop")) as string)).toBe("OK");
  });

  it("skiplock is for root@pam only: a token (even root's) gets 400, a root ticket starts the locked VM", async () => {
    sim.admin.mutateVm(100, { config: { lock: "backup" } });
    const refused = await http.call(http.root, "POST", "/nodes/pve1/qemu/100/status/start", { skiplock: "1" });
    expect([refused.status, refused.statusText]).toEqual([400, "Parameter verification failed."]);
    const login = await fetch(`${sim.url}/api2/json/access/ticket`, { method: "POST", body: new URLSearchParams({ username: "root@pam", password: sim.rootPassword }), dispatcher: http.agent });
    const { data } = (await login.json()) as { data: { ticket: string; CSRFPreventionToken: string } };
    const started = await fetch(`${sim.url}/api2/json/nodes/pve1/qemu/100/status/start`, {
      method: "POST",
      headers: { Cookie: `PVEAuthCookie=${data.ticket}`, CSRFPreventionToken: data.CSRFPreventionToken, "Content-Type": "application/x-www-form-urlencoded" },
      body: "skiplock=1",
      dispatcher: http.agent,
    });
    const upid = ((await started.json()) as { data: string }).data;
    expect(await http.waitTask(upid)).toBe("OK");
    expect(await status()).toBe("running");
  });
});
