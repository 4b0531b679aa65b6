import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  appendFile,
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  writeFile,
} from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  assertVirtCustomize,
  downloadVerified,
  prepareCustomisedImage,
} from "../../../actions/build-template/src/image.js";
import type { ImageCache } from "../../../actions/build-template/src/image-cache.js";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { memoryLogger } from "../../../actions/lib/logger.js";
import { StepTimer } from "../../../actions/lib/state/index.js";
import type { TemplateRecipe } from "../../../actions/lib/template/index.js";

const stateKey = randomBytes(32).toString("base64");

/** A cache backed by a real directory: what @actions/cache does, minus the transport. */
function directoryCache(dir: string): ImageCache & { saved: string[]; restored: string[] } {
  const saved: string[] = [];
  const restored: string[] = [];
  return {
    saved,
    restored,
    async restore(file, key) {
      try {
        await copyFile(path.join(dir, key), file);
        // like the real cache: the image's MAC sidecar travels with it
        await copyFile(path.join(dir, `${key}.mac`), `${file}.mac`).catch(() => undefined);
        restored.push(key);
        return true;
      } catch {
        return false;
      }
    },
    async save(file, key) {
      await mkdir(dir, { recursive: true });
      await copyFile(file, path.join(dir, key));
      await copyFile(`${file}.mac`, path.join(dir, `${key}.mac`)).catch(() => undefined);
      saved.push(key);
    },
  };
}

describe("cloud image on the runner", () => {
  const image = Buffer.from("QFI\xfb fake qcow2 cloud image bytes ".repeat(2000), "binary");
  const sha256 = createHash("sha256").update(image).digest("hex");
  let server: Server;
  let url: string;
  let downloads = 0;
  let root: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/noble.img") {
        downloads++;
        res.writeHead(200, { "content-type": "application/octet-stream" }).end(image);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/noble.img`;
    root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-image-"));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    downloads = 0;
  });

  const recipe = (simulated: boolean): TemplateRecipe => ({
    format: 1,
    image: { url, sha256 },
    source: "upload",
    customize: {
      kubernetesVersion: "1.36.3",
      kubernetesRepo: "https://pkgs.k8s.io/core:/stable:/v1.36/deb/",
      packages: ["containerd"],
      kernelModules: ["overlay"],
      sysctls: {},
    },
    vm: {
      node: "pve1",
      storage: "local-lvm",
      machine: "q35",
      bios: "seabios",
      scsihw: "virtio-scsi-single",
      cores: 2,
      memoryMiB: 2048,
      ostype: "l26",
    },
    simulated,
  });

  it("downloads and verifies the pinned sha256", async () => {
    const file = path.join(root, "ok.img");
    await downloadVerified(url, sha256, file, memoryLogger());
    expect((await readFile(file)).equals(image)).toBe(true);
  });

  it("refuses a checksum mismatch and leaves no file behind", async () => {
    const file = path.join(root, "bad.img");
    const attempt = downloadVerified(url, "0".repeat(64), file, memoryLogger());
    await expect(attempt).rejects.toThrow(ConfigurationError);
    await expect(attempt).rejects.toThrow(`has sha256 ${sha256}, but cluster.yaml pins 000`);
    expect((await readdir(root)).filter((f) => f.startsWith("bad"))).toEqual([]);
  });

  it("explains an HTTP error", async () => {
    await expect(
      downloadVerified(
        url.replace("noble", "gone"),
        sha256,
        path.join(root, "x.img"),
        memoryLogger(),
      ),
    ).rejects.toThrow(/HTTP 404/);
  });

  it("customises once, caches base and result, and restores both in a fresh work dir", async () => {
    const cache = directoryCache(path.join(root, "cache"));
    const customised: string[][] = [];
    const runCustomize = async (args: string[]) => {
      customised.push(args);
      await appendFile(args[args.indexOf("--add") + 1]!, "customised"); // the stand-in changes the image like virt-customize would
    };
    const fp = "ab".repeat(32);
    const first = await prepareCustomisedImage(recipe(false), fp, "noble.qcow2", {
      workDir: path.join(root, "w1"),
      cache,
      logger: memoryLogger(),
      timer: new StepTimer(),
      runCustomize,
      stateKey,
    });
    expect(first.fileName).toBe(`noble-${fp.slice(0, 16)}.qcow2`);
    expect(customised).toHaveLength(1);
    expect(customised[0]![customised[0]!.indexOf("--add") + 1]).toMatch(/\.partial$/);
    expect(downloads).toBe(1);
    expect(first.sha256).toBe(
      createHash("sha256")
        .update(Buffer.concat([image, Buffer.from("customised")]))
        .digest("hex"),
    );
    expect(cache.saved).toEqual([
      `pve-kube-image-${sha256}`,
      `pve-kube-template-image-${sha256}-${fp}`,
    ]);

    downloads = 0;
    const second = await prepareCustomisedImage(recipe(false), fp, "noble.qcow2", {
      workDir: path.join(root, "w2"),
      cache,
      logger: memoryLogger(),
      timer: new StepTimer(),
      runCustomize,
      stateKey,
    });
    expect(second.sha256).toBe(first.sha256);
    expect(customised).toHaveLength(1);
    expect(downloads).toBe(0);
    expect(cache.restored).toEqual([`pve-kube-template-image-${sha256}-${fp}`]);

    // whoever can write the cache puts their own image under the key (a MAC they cannot make)
    const key = `pve-kube-template-image-${sha256}-${fp}`;
    await writeFile(path.join(root, "cache", key), "planted root file system");
    const logger = memoryLogger();
    const third = await prepareCustomisedImage(recipe(false), fp, "noble.qcow2", {
      workDir: path.join(root, "w4"),
      cache,
      logger,
      timer: new StepTimer(),
      runCustomize,
      stateKey,
    });
    expect(third.sha256).toBe(first.sha256);
    expect(customised).toHaveLength(2);
    expect(logger.lines.join("\n")).toMatch(
      /from the Actions cache .* carries no valid MAC under the state-key: not used, made again/,
    );
    expect(await readFile(third.file, "utf8")).not.toContain("planted");

    // an image left in the work dir by someone else (no MAC, or one under another key) is not used
    await writeFile(third.file, "planted in the work dir");
    const fourth = await prepareCustomisedImage(recipe(false), fp, "noble.qcow2", {
      workDir: path.join(root, "w4"),
      cache: directoryCache(path.join(root, "empty-cache")),
      logger: memoryLogger(),
      timer: new StepTimer(),
      runCustomize,
      stateKey: randomBytes(32).toString("base64"),
    });
    expect(fourth.sha256).toBe(first.sha256);
    expect(customised).toHaveLength(3);
  });

  it("in simulated mode downloads nothing, never runs virt-customize and marks both steps simulated", async () => {
    const logger = memoryLogger();
    const timer = new StepTimer();
    let ran = false;
    const prepared = await prepareCustomisedImage(recipe(true), "cd".repeat(32), "noble.qcow2", {
      workDir: path.join(root, "w3"),
      cache: directoryCache(path.join(root, "cache3")),
      logger,
      timer,
      runCustomize: () => Promise.resolve(void (ran = true)),
    });
    expect(ran).toBe(false);
    expect(downloads).toBe(0);
    expect(prepared.simulated).toBe(true);
    expect(prepared.sha256).toBe(
      createHash("sha256")
        .update(await readFile(prepared.file))
        .digest("hex"),
    );
    expect(await readFile(prepared.file, "utf8")).toContain(`recipe ${"cd".repeat(32)}`);
    expect(timer.timings.map((t) => [t.step, t.simulated])).toEqual([
      ["base image", true],
      ["virt-customize", true],
    ]);
    expect(
      logger.lines.some((l) =>
        l.includes("SIMULATED: the base image was not downloaded and virt-customize did not run"),
      ),
    ).toBe(true);
  });

  it("says which package to install when virt-customize is missing", async () => {
    const attempt = assertVirtCustomize(memoryLogger(), "virt-customize-not-installed-here");
    await expect(attempt).rejects.toThrow(ConfigurationError);
    await expect(attempt).rejects.toThrow(
      /virt-customize is not installed.*guestfs-tools.*libguestfs-tools.*runner-setup/s,
    );
  });

  it("finds an installed virt-customize and reports its version", async () => {
    const bin = path.join(root, "bin");
    await mkdir(bin, { recursive: true });
    const fake = path.join(bin, "virt-customize");
    await writeFile(fake, "#!/bin/sh\necho 'virt-customize 1.52.0'\n");
    await chmod(fake, 0o755);
    expect(await assertVirtCustomize(memoryLogger(), fake)).toBe("virt-customize 1.52.0");
    expect((await stat(fake)).isFile()).toBe(true);
  });
});
