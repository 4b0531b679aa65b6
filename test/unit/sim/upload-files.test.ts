import { createHash } from "node:crypto";
import {
  existsSync,
  mkdtempSync,
  openAsBlob,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { truncate } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { fetch, FormData } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiveUpload } from "../../../sim/http/upload-stream.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { proxmoxApiFor, waitTask } from "../../../testkit/sim-client.js";
import { SimHttp } from "./access-helpers.js";

type Volume = { volid: string; hostPath?: string };

/** pve-sim with `filesDir`: uploads stream to disk and a disk imported from one points at the file. */
describe("pve-sim keeps uploaded files on disk", () => {
  let sim: PveSim;
  let http: SimHttp;
  let dir: string;
  let filesDir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "pve-sim-upload-"));
    filesDir = path.join(dir, "files");
    sim = await startPveSim({ filesDir });
    http = new SimHttp(sim);
  });
  afterAll(async () => {
    await http.agent.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const volumes = () => (sim.admin.snapshot() as unknown as { volumes: Volume[] }).volumes;
  async function upload(file: string, name: string, checksum: string) {
    const form = new FormData();
    form.set("content", "import");
    form.set("checksum", checksum);
    form.set("checksum-algorithm", "sha256");
    form.set("filename", await openAsBlob(file), name);
    const res = await fetch(`${sim.url}/api2/json/nodes/pve1/storage/local/upload`, {
      method: "POST",
      body: form,
      headers: { Authorization: http.root.auth },
      dispatcher: http.agent,
    });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: string };
    return waitTask(sim, "pve1", data);
  }

  it("streams an upload larger than any buffered body into the storage's file; import-from uses it", async () => {
    // 80 MiB: more than the 64 MiB pve-sim buffers for an ordinary request body
    const image = path.join(dir, "big.raw");
    writeFileSync(image, "pve-sim image head");
    await truncate(image, 80 * 2 ** 20);
    const sha256 = createHash("sha256").update(readFileSync(image)).digest("hex");

    expect((await upload(image, "big.raw", sha256)).exitstatus).toBe("OK");
    const stored = volumes().find((v) => v.volid === "local:import/big.raw");
    expect(stored?.hostPath).toBe(path.join(filesDir, "local", "pve1", "import", "big.raw"));
    expect(existsSync(stored?.hostPath ?? "")).toBe(true);
    expect(readdirSync(path.join(filesDir, "tmp"))).toEqual([]);

    const api = proxmoxApiFor(sim);
    const created = await api.nodes.$("pve1").qemu.$post({
      vmid: 9100,
      scsi0: "local-lvm:0,import-from=local:import/big.raw",
    });
    expect((await waitTask(sim, "pve1", created)).exitstatus).toBe("OK");
    const disk = volumes().find((v) => v.volid.startsWith("local-lvm:vm-9100-disk-"));
    expect(disk?.hostPath).toBe(stored?.hostPath);

    // deleting the uploaded volume keeps the file while the disk uses it; destroying the VM frees it
    await api.nodes.$("pve1").storage.$("local").content.$("local:import/big.raw").$delete();
    await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(stored?.hostPath ?? "")).toBe(true);
    const destroyed = await api.nodes.$("pve1").qemu.$(9100).$delete();
    expect((await waitTask(sim, "pve1", destroyed)).exitstatus).toBe("OK");
    expect(existsSync(stored?.hostPath ?? "")).toBe(false);
  });

  it("a checksum mismatch fails the task and leaves no file", async () => {
    const image = path.join(dir, "small.raw");
    writeFileSync(image, "not what the checksum says");
    const status = await upload(image, "small.raw", "0".repeat(64));
    expect(status.exitstatus).toMatch(/checksum mismatch/);
    expect(volumes().some((v) => v.volid === "local:import/small.raw")).toBe(false);
    expect(readdirSync(path.join(filesDir, "tmp"))).toEqual([]);
    expect(existsSync(path.join(filesDir, "local", "pve1", "import", "small.raw"))).toBe(false);
  });

  it("parses a multipart body cut at every byte: delimiters split across chunks", async () => {
    const boundary = "----pve-sim-test";
    const content = Buffer.from(`line one\r\n--${boundary.slice(0, 5)} not a delimiter\r\n\r\nend`);
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="content"\r\n\r\nimport\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="filename"; filename="x.raw"\r\n` +
          "Content-Type: application/octet-stream\r\n\r\n",
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    for (const size of [1, 2, 7, 64]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < body.length; i += size) chunks.push(body.subarray(i, i + size));
      const req = Object.assign(Readable.from(chunks), {
        headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      });
      const received = await receiveUpload(req, path.join(dir, "parse"));
      expect(received.fields).toEqual({ content: "import", filename: "x.raw" });
      expect(received.file?.size).toBe(content.length);
      expect(readFileSync(received.file?.path ?? "")).toEqual(content);
      rmSync(received.file?.path ?? "", { force: true });
    }
  });
});
