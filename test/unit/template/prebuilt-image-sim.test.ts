import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  run,
  type BuildTemplateOutcome,
} from "../../../actions/build-template/src/build-template-action.js";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { memoryLogger } from "../../../actions/lib/logger.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { instant, tokenEnv, writeSimCluster } from "../proxmox/sim-fixtures.js";

type Vm = { vmid: number; node: string; config: Record<string, string> };

/** A pre-built image as an image pipeline (Packer, the lab's debootstrap) would hand it over. */
async function writeImage(dir: string, name: string, content: Buffer): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return createHash("sha256").update(content).digest("hex");
}

/** qcow2 files start with "QFI\xfb"; anything without a known magic is uploaded as raw. */
const QCOW2 = Buffer.concat([Buffer.from([0x51, 0x46, 0x49, 0xfb]), Buffer.alloc(1020, 7)]);
const RAW = Buffer.alloc(4096, 1);

describe("build-template with a pre-built image against pve-sim", () => {
  let sim: PveSim;
  let dir: string;

  beforeAll(async () => {
    sim = await startPveSim({ seed: 11 });
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    sim.admin.reset();
    dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-prebuilt-"));
    return () => rm(dir, { recursive: true, force: true });
  });

  async function buildTemplate(inputs: Record<string, string>, virtCustomize = "/nonexistent") {
    await writeSimCluster(dir, sim, (y) => y, "cluster.yaml");
    const summaryFile = path.join(dir, `summary-${Math.random().toString(16).slice(2)}.md`);
    await writeFile(summaryFile, "");
    const logger = memoryLogger();
    const outputs: Record<string, string> = {};
    const env = Object.fromEntries(
      Object.entries({ cluster: "cluster.yaml", ...inputs }).map(([k, v]) => [
        `INPUT_${k.toUpperCase()}`,
        v,
      ]),
    );
    const result: BuildTemplateOutcome | Error = await run({
      env: {
        GITHUB_WORKSPACE: dir,
        GITHUB_STEP_SUMMARY: summaryFile,
        RUNNER_TEMP: dir,
        ...env,
        ...tokenEnv(sim.rootToken),
      },
      logger,
      setOutput: (k, v) => (outputs[k] = v),
      maskSecret: () => {},
      proxmoxTiming: instant,
      pollMs: 1,
      // a pre-built image is never customised: virt-customize must not even be looked for
      virtCustomizeCommand: virtCustomize,
    }).catch((e: unknown) => e as Error);
    return { result, outputs, summary: await readFile(summaryFile, "utf8"), logger };
  }

  const vms = () => (sim.admin.snapshot() as unknown as { vms: Vm[] }).vms;
  const importVolumes = () =>
    (sim.admin.snapshot() as unknown as { volumes: { volid: string }[] }).volumes
      .map((v) => v.volid)
      .filter((v) => v.includes(":import/"));

  it("uploads the image, imports it with import-from, and the same image again is a no-op", async () => {
    const sha = await writeImage(dir, "lab-root.qcow2", QCOW2);
    const first = await buildTemplate({ "image-file": "lab-root.qcow2", "image-sha256": sha });
    expect(first.result).toMatchObject({ vmid: 9000, built: true });
    expect(first.outputs["simulated-steps"]).toBe("");
    expect(importVolumes()).toEqual([`local:import/lab-root-${sha.slice(0, 16)}.qcow2`]);
    const template = vms().find((v) => v.vmid === 9000)!;
    expect(template.config.template).toBe("1");
    expect(template.config.description).toContain(`pre-built image (sha256 ${sha})`);
    // imported from the uploaded volume: the disk has the image's size, not a fresh empty one
    expect(template.config.scsi0).toMatch(/^local-lvm:base-9000-disk-\d+/);
    expect(template.config.scsi0).toContain("size=1K");
    expect(first.summary).toContain("pre-built");

    // the same image, even under another name: the same recipe, nothing to do
    await writeImage(dir, "renamed.qcow2", QCOW2);
    sim.admin.clearRequestLog();
    const again = await buildTemplate({ "image-file": "renamed.qcow2", "image-sha256": sha });
    expect(again.result).toMatchObject({ vmid: 9000, built: false });
    expect(sim.admin.mutatingRequests()).toEqual([]);
    expect(again.outputs.fingerprint).toBe(first.outputs.fingerprint);
  });

  it("a new image builds a new template; a raw image is uploaded as .raw", async () => {
    const sha1 = await writeImage(dir, "one.qcow2", QCOW2);
    const first = await buildTemplate({ "image-file": "one.qcow2", "image-sha256": sha1 });
    const sha2 = await writeImage(dir, "two.img", RAW);
    const second = await buildTemplate({
      "image-file": path.join(dir, "two.img"),
      "image-sha256": sha2,
    });
    expect(second.result).toMatchObject({ vmid: 9001, built: true });
    expect(second.outputs.fingerprint).not.toBe(first.outputs.fingerprint);
    expect(importVolumes()).toContain(`local:import/two-${sha2.slice(0, 16)}.raw`);
  });

  it("an image whose SHA-256 does not match stops before anything changes on Proxmox", async () => {
    await writeImage(dir, "lab-root.qcow2", QCOW2);
    const wrong = "0".repeat(64);
    const { result } = await buildTemplate({
      "image-file": "lab-root.qcow2",
      "image-sha256": wrong,
    });
    expect(result).toBeInstanceOf(ConfigurationError);
    expect((result as Error).message).toMatch(/lab-root\.qcow2 has sha256 [0-9a-f]{64}, not 0{64}/);
    expect(sim.admin.mutatingRequests()).toEqual([]);
    expect(vms().filter((v) => v.vmid >= 9000)).toEqual([]);
  });

  it("refuses half an input pair, a missing file and a malformed checksum, naming the input", async () => {
    const missingSha = await buildTemplate({ "image-file": "x.qcow2" });
    expect(missingSha.result).toBeInstanceOf(ConfigurationError);
    expect((missingSha.result as Error).message).toContain("image-sha256");

    const missingFile = await buildTemplate({
      "image-file": "absent.qcow2",
      "image-sha256": "a".repeat(64),
    });
    expect(missingFile.result).toBeInstanceOf(ConfigurationError);
    expect((missingFile.result as Error).message).toContain("absent.qcow2");

    const badSha = await buildTemplate({ "image-file": "x.qcow2", "image-sha256": "ABC" });
    expect(badSha.result).toBeInstanceOf(ConfigurationError);
    expect((badSha.result as Error).message).toContain("image-sha256");
    expect(sim.admin.mutatingRequests()).toEqual([]);
  });
});
