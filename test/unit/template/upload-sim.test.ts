import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { appendFile, chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  run,
  type BuildTemplateOutcome,
} from "../../../actions/build-template/src/build-template-action.js";
import { memoryLogger } from "../../../actions/lib/logger.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { instant, tokenEnv, writeSimCluster } from "../proxmox/sim-fixtures.js";

/**
 * The upload source end to end: the runner downloads the pinned image (a local HTTP server),
 * customises it (simulated, or with a stand-in for virt-customize), and uploads it to pve-sim
 * as multipart, where it is imported into the template.
 */
describe("build-template with source upload against pve-sim", () => {
  const image = Buffer.from("QFI\xfb cloud image ".repeat(50_000), "binary");
  const sha256 = createHash("sha256").update(image).digest("hex");
  let server: Server;
  let imageUrl: string;
  let downloads = 0;
  let sim: PveSim;
  let dir: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      downloads++;
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(image);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    imageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/releases/noble/noble-server-cloudimg-amd64.img`;
    sim = await startPveSim({ seed: 3 });
  });
  afterAll(async () => {
    await sim.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(async () => {
    sim.admin.reset();
    downloads = 0;
    dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-upload-sim-"));
    return () => rm(dir, { recursive: true, force: true });
  });

  const withImage = (yaml: string) =>
    yaml.replace(
      "  node: pve1\n",
      `  node: pve1\n  image:\n    url: ${imageUrl}\n    sha256: ${sha256}\n`,
    );

  async function build(
    inputs: Record<string, string>,
    extra: {
      runCustomize?: (args: string[]) => Promise<void>;
      virtCustomizeCommand?: string;
      clock?: { now: () => number; sleep: (ms: number) => Promise<void> };
      pollMs?: number;
    } = {},
  ) {
    await writeSimCluster(dir, sim, withImage);
    const summaryFile = path.join(dir, "summary.md");
    await writeFile(summaryFile, "");
    const logger = memoryLogger();
    const outputs: Record<string, string> = {};
    const env = Object.fromEntries(
      Object.entries({ cluster: "cluster.yaml", cache: "false", ...inputs }).map(([k, v]) => [
        `INPUT_${k.toUpperCase()}`,
        v,
      ]),
    );
    const result = await run({
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
      proxmoxTiming: { ...instant, ...(extra.clock ? { clock: extra.clock } : {}) },
      ...(extra.pollMs ? { pollMs: extra.pollMs } : {}),
      ...(extra.runCustomize ? { runCustomize: extra.runCustomize } : {}),
      ...(extra.virtCustomizeCommand ? { virtCustomizeCommand: extra.virtCustomizeCommand } : {}),
    }).catch((e: unknown) => e as Error);
    return { result, outputs, logger, summary: await readFile(summaryFile, "utf8") };
  }

  type Snapshot = {
    vms: { vmid: number; config: Record<string, string> }[];
    volumes: { volid: string; size: number }[];
  };
  const snapshot = () => sim.admin.snapshot() as unknown as Snapshot;

  it("simulated customisation: downloads nothing, uploads a labelled placeholder, marks both steps simulated everywhere, and a re-run changes nothing", async () => {
    const first = await build({ "simulate-customize": "true" });
    expect(first.result).toMatchObject({ vmid: 9000, built: true });
    expect(first.outputs["simulated-steps"]).toBe("base image,virt-customize");
    expect(first.summary).toContain("⚠️ **simulated**");
    expect(first.summary).toMatch(/\| base image \| .* \| simulated \|/);
    expect(first.summary).toMatch(/\| virt-customize \| .* \| simulated \|/);
    expect(
      first.logger.lines.some((l) =>
        l.includes("SIMULATED: the base image was not downloaded and virt-customize did not run"),
      ),
    ).toBe(true);
    const fp = first.outputs.fingerprint!;
    const fileName = `noble-server-cloudimg-amd64-${fp.slice(0, 16)}.qcow2`;
    const volume = snapshot().volumes.find((v) => v.volid === `local:import/${fileName}`);
    const placeholder = await readFile(path.join(dir, "pve-kube-template", fileName), "utf8");
    expect(placeholder).toMatch(/^pve-kube SIMULATED template image .*not bootable/);
    expect(placeholder).toContain(`recipe ${fp}`);
    expect(volume?.size).toBe(Buffer.byteLength(placeholder));
    const t = snapshot().vms.find((v) => v.vmid === 9000)!;
    expect(t.config.template).toBe("1");
    expect(t.config.description).toContain("SIMULATED");
    expect(downloads).toBe(0);

    sim.admin.clearRequestLog();
    const again = await build({ "simulate-customize": "true" });
    expect((again.result as BuildTemplateOutcome).built).toBe(false);
    expect(sim.admin.mutatingRequests()).toEqual([]);
    expect(downloads).toBe(0);
  });

  it("a real customisation (stand-in customiser) is a different template than the simulated one and is not marked simulated", async () => {
    await build({ "simulate-customize": "true" });
    const bin = path.join(dir, "virt-customize");
    await writeFile(bin, "#!/bin/sh\necho 'virt-customize 1.52.0'\n");
    await chmod(bin, 0o755);
    const customised: string[][] = [];
    const real = await build(
      {},
      {
        virtCustomizeCommand: bin,
        runCustomize: async (args) => (
          customised.push(args),
          appendFile(args[args.indexOf("--add") + 1]!, "customised")
        ),
      },
    );
    expect(real.result).toMatchObject({ vmid: 9001, built: true });
    expect(real.outputs["simulated-steps"]).toBe("");
    expect(real.summary).not.toContain("simulated");
    expect(customised).toHaveLength(1);
    expect(customised[0]).toContain("--install");
    const volume = snapshot().volumes.find((v) =>
      v.volid.endsWith(`-${real.outputs.fingerprint!.slice(0, 16)}.qcow2`),
    );
    expect(volume?.size).toBe(image.length + "customised".length);
  });

  it.each([1, 2, 3])(
    "under injected faults the upload build succeeds or fails clearly and converges (round %d)",
    async () => {
      sim.admin.setFaults({
        error5xx: 0.1,
        error596: 0.1,
        drop: 0.03,
        lockTimeout: 0.2,
        storageError: 0.1,
      });
      const first = await build({ "simulate-customize": "true" });
      sim.admin.setFaults({});
      const leftovers = snapshot().vms.filter(
        (v) => v.config.tags?.includes("pve-kube-template") && v.config.template !== "1",
      );
      if (first.result instanceof Error) {
        expect(first.result.message).not.toMatch(/undefined|\[object Object\]/);
        if (leftovers.length) expect(first.result.message).toContain("could not be removed");
      } else {
        expect(leftovers).toEqual([]);
      }
      // a leftover whose cleanup failed is taken over once its marker is older than the lock timeout
      let offset = 0;
      const clock = {
        now: () => Date.now() + offset,
        sleep: (ms: number) => Promise.resolve(void (offset += ms)),
      };
      const again = await build(
        { "simulate-customize": "true", "build-lock-timeout-minutes": "1" },
        { clock, pollMs: 15_000 },
      );
      if (again.result instanceof Error) throw again.result;
      expect(snapshot().vms.filter((v) => v.config.template === "1")).toHaveLength(1);
    },
  );
});
