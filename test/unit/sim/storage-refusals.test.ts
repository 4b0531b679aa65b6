import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetch, FormData } from "undici";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import type { SimCore } from "../../../sim/core.js";
import type { SimVm } from "../../../sim/model/types.js";
import { configStorageOps } from "../../../sim/routes/qemu-config.js";
import { SimHttp } from "./access-helpers.js";

let sim: PveSim;
let http: SimHttp;

beforeAll(async () => {
  sim = await startPveSim();
  http = new SimHttp(sim);
  sim.admin.registerRemoteFile("https://images.example/a", { size: 10, sha256: "f".repeat(64) });
});
afterAll(async () => {
  await http.agent.close();
  await sim.close();
});

const download = (storage: string, content: string, filename: string) =>
  http.call(http.root, "POST", `/nodes/pve1/storage/${storage}/download-url`, {
    url: "https://images.example/a",
    content,
    filename,
  });

describe("pve-sim refuses downloads and uploads with pve-storage's messages", () => {
  it.each([
    [
      "local-lvm",
      "import",
      "a.qcow2",
      500,
      "can't upload to storage type 'lvmthin', not a file based storage!",
      undefined,
    ],
    [
      "shared",
      "vztmpl",
      "a.tar.zst",
      500,
      "storage 'shared' is not configured for content-type 'vztmpl'",
      undefined,
    ],
    ["local", "iso", "a.qcow2", 400, "Parameter verification failed.", "wrong file extension"],
    ["local", "vztmpl", "a.iso", 400, "Parameter verification failed.", "wrong file extension"],
    [
      "local",
      "import",
      "a.iso",
      400,
      "Parameter verification failed.",
      "invalid filename or wrong extension",
    ],
  ])(
    "download-url to %s content=%s filename=%s → %i",
    async (storage, content, filename, status, statusText, filenameError) => {
      const answer = await download(storage, content, filename);
      expect([answer.status, answer.statusText]).toEqual([status, statusText]);
      if (filenameError) expect(answer.errors).toEqual({ filename: filenameError });
    },
  );

  it("upload checks the extension first, then the storage's content types", async () => {
    const upload = async (storage: string, content: string, name: string) => {
      const form = new FormData();
      form.set("content", content);
      form.set("filename", new Blob([Buffer.from("bytes")]), name);
      const res = await fetch(`${sim.url}/api2/json/nodes/pve1/storage/${storage}/upload`, {
        method: "POST",
        body: form,
        headers: { Authorization: http.root.auth },
        dispatcher: http.agent,
      });
      return [res.status, res.statusText];
    };
    expect(await upload("shared", "vztmpl", "t.tar.zst")).toEqual([
      500,
      "storage 'shared' does not support 'vztmpl' content",
    ]);
    expect(await upload("shared", "vztmpl", "t.iso")).toEqual([
      400,
      "Parameter verification failed.",
    ]);
    expect(await upload("local-lvm", "iso", "t.iso")).toEqual([
      500,
      "can't upload to storage type 'lvmthin'",
    ]);
  });

  it("an upload with the wrong checksum fails its task with pve-storage's text", async () => {
    const form = new FormData();
    form.set("content", "iso");
    form.set("checksum", "AB".repeat(32));
    form.set("checksum-algorithm", "sha256");
    form.set("filename", new Blob([Buffer.from("bytes")]), "c.iso");
    const res = await fetch(`${sim.url}/api2/json/nodes/pve1/storage/local/upload`, {
      method: "POST",
      body: form,
      headers: { Authorization: http.root.auth },
      dispatcher: http.agent,
    });
    const upid = ((await res.json()) as { data: string }).data;
    const actual = createHash("sha256").update("bytes").digest("hex");
    expect(await http.waitTask(upid)).toBe(
      `checksum mismatch: got '${actual}' != expect '${"AB".repeat(32)}'`,
    );
  });
});

describe("a new drive given as file=STORAGE:… (as the bpg provider sends it)", () => {
  /** a token holding every VM privilege on `/vms/<vmid>` and Datastore.AllocateSpace on one storage */
  const tokenFor = (name: string, vmid: number, storage: string) => {
    const t = sim.admin.createToken(`${name}@pve`, "t", "PVEVMAdmin", `/vms/${vmid}`);
    sim.admin.grant(t.id, `/storage/${storage}`, ["Datastore.AllocateSpace"]);
    return { id: t.id, auth: `PVEAPIToken=${t.id}=${t.secret}` };
  };
  const vm = async (vmid: number) =>
    http.waitTask(
      (await http.root200("POST", "/nodes/pve1/qemu", {
        vmid: String(vmid),
        name: `drive-${vmid}`,
      })) as string,
    );

  it("needs Datastore.AllocateSpace on that storage (not on a path named file=…)", async () => {
    await vm(7101);
    const put = (who: { id: string; auth: string }, value: string) =>
      http.call(who, "PUT", "/nodes/pve1/qemu/7101/config", { ide2: value });
    const elsewhere = tokenFor("drive-elsewhere", 7101, "local");
    const refused = await put(elsewhere, "file=local-lvm:cloudinit");
    expect([refused.status, refused.statusText]).toEqual([
      403,
      "Permission check failed (/storage/local-lvm, Datastore.AllocateSpace)",
    ]);
    const scoped = tokenFor("drive-scoped", 7101, "local-lvm");
    expect((await put(scoped, "file=local-lvm:cloudinit")).status).toBe(200);
    expect(
      ((await http.root200("GET", "/nodes/pve1/qemu/7101/config")) as { ide2: string }).ide2,
    ).toBe("local-lvm:vm-7101-cloudinit,media=cdrom");
  });

  it("a disk on a storage without the images content type is refused in the file= form too", async () => {
    await vm(7102);
    const answer = await http.call(http.root, "PUT", "/nodes/pve1/qemu/7102/config", {
      scsi1: "file=local:4",
    });
    expect([answer.status, answer.errors]).toEqual([
      400,
      { storage: "storage 'local' does not support vm images" },
    ]);
  });

  it("takes the storage's lock like the bare form", () => {
    const core = (sim.admin as unknown as { core: SimCore }).core;
    const target = { vmid: 1, node: "pve1", config: {} } as unknown as SimVm;
    for (const value of ["local-lvm:cloudinit,media=cdrom", "file=local-lvm:cloudinit,media=cdrom"])
      expect(
        configStorageOps(core, target, { ide2: value }).map((op) => op.lock.key),
        value,
      ).toEqual(["pve1/local-lvm"]);
  });
});
