import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import * as cache from "@actions/cache";
import { describe, expect, it } from "vitest";
import { useResultsService } from "./job.js";

// The unmodified @actions/cache 6.3.0 (cache service v2: Twirp + Put Blob + plain GET), with GNU
// tar and zstd as on a runner. saveCache/restoreCache swallow errors (-1 / undefined plus a
// warning), so every test also checks that nothing was warned.

const { job, service } = useResultsService();

/** Paths are relative to the workspace, exactly as a workflow would write them (they feed the cache version). */
const PATHS = ["images"];

async function fill(workspace: string, files: Record<string, Buffer | string>): Promise<void> {
  await rm(path.join(workspace, "images"), { recursive: true, force: true });
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(workspace, "images", rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

describe("@actions/cache against the local results service", () => {
  it("saves and restores an exact key into a fresh workspace of another run", async () => {
    const image = randomBytes(3 * 1024 * 1024);
    const saver = job("run-c1", "build");
    const before = service().blobStats();
    const id = await saver.run(async (j) => {
      await fill(j.workspace, { "noble.qcow2": image, "meta/recipe.json": '{"k8s":"1.36"}' });
      expect(cache.isFeatureAvailable()).toBe(true);
      return cache.saveCache(PATHS, "image-noble-abc123");
    });
    expect(id).toBeGreaterThan(0);
    expect(saver.problems()).toEqual([]);
    // an archive under 128 MiB goes up as one Put Blob, not in blocks
    const after = service().blobStats();
    expect([after.blobsPut - before.blobsPut, after.blocksStaged - before.blocksStaged]).toEqual([
      1, 0,
    ]);

    const restorer = job("run-c2", "build");
    const hit = await restorer.run(async (j) => {
      const key = await cache.restoreCache(PATHS, "image-noble-abc123");
      // Buffer.equals: a deep toEqual over megabytes takes seconds
      expect((await readFile(path.join(j.workspace, "images", "noble.qcow2"))).equals(image)).toBe(
        true,
      );
      expect(await readFile(path.join(j.workspace, "images", "meta", "recipe.json"), "utf8")).toBe(
        '{"k8s":"1.36"}',
      );
      return key;
    });
    expect(hit).toBe("image-noble-abc123");
    expect(restorer.log).toContain("Cache hit for: image-noble-abc123");
    expect(restorer.problems()).toEqual([]);
  });

  it("falls back to the newest entry matching a restore-key prefix", async () => {
    const j = job("run-c3", "build");
    await j.run(async () => {
      await fill(j.workspace, { "v.txt": "older" });
      expect(await cache.saveCache(PATHS, "tools-linux-1111")).toBeGreaterThan(0);
      await fill(j.workspace, { "v.txt": "newer" });
      expect(await cache.saveCache(PATHS, "tools-linux-2222")).toBeGreaterThan(0);
      await fill(j.workspace, { "v.txt": "other prefix" });
      expect(await cache.saveCache(PATHS, "tools-windows-3333")).toBeGreaterThan(0);

      await rm(path.join(j.workspace, "images"), { recursive: true });
      const hit = await cache.restoreCache(PATHS, "tools-linux-9999", ["tools-linux-", "tools-"]);
      expect(hit).toBe("tools-linux-2222");
      expect(await readFile(path.join(j.workspace, "images", "v.txt"), "utf8")).toBe("newer");
    });
    expect(j.log).toContain("Cache hit for restore-key: tools-linux-2222");
    expect(j.problems()).toEqual([]);
  });

  it("prefix-matches the primary key itself before trying restore keys, as GitHub documents", async () => {
    const j = job("run-c6", "build");
    const hit = await j.run(async () => {
      await fill(j.workspace, { "k.txt": "1.36.3" });
      expect(await cache.saveCache(PATHS, "kubeadm-1.36.3")).toBeGreaterThan(0);
      await fill(j.workspace, { "k.txt": "other" });
      expect(await cache.saveCache(PATHS, "fallback-1")).toBeGreaterThan(0);

      await rm(path.join(j.workspace, "images"), { recursive: true });
      const key = await cache.restoreCache(PATHS, "kubeadm-1.36", ["fallback-"]);
      expect(await readFile(path.join(j.workspace, "images", "k.txt"), "utf8")).toBe("1.36.3");
      return key;
    });
    expect(hit).toBe("kubeadm-1.36.3");
    // not the primary key itself, so the client reports it like a restore-key hit (cache-hit false)
    expect(j.log).toContain("Cache hit for restore-key: kubeadm-1.36.3");
    expect(j.problems()).toEqual([]);
  });

  it("reports a miss as undefined, also when only the version (the paths) differs", async () => {
    const j = job("run-c4", "build");
    await j.run(async () => {
      await fill(j.workspace, { "a.txt": "a" });
      expect(await cache.saveCache(PATHS, "miss-test-key")).toBeGreaterThan(0);
      expect(await cache.restoreCache(PATHS, "no-such-key", ["no-such-"])).toBeUndefined();
      // same key, other paths: another version, so no hit
      expect(await cache.restoreCache(["images/a.txt"], "miss-test-key")).toBeUndefined();
    });
    expect(j.problems()).toEqual([]);
  });

  it("refuses a second save of the same key and version, and keeps the first entry", async () => {
    const j = job("run-c5", "build");
    await j.run(async () => {
      await fill(j.workspace, { "x.txt": "first" });
      expect(await cache.saveCache(PATHS, "write-once")).toBeGreaterThan(0);
      await fill(j.workspace, { "x.txt": "second" });
      expect(await cache.saveCache(PATHS, "write-once")).toBe(-1);

      await rm(path.join(j.workspace, "images"), { recursive: true });
      expect(await cache.restoreCache(PATHS, "write-once")).toBe("write-once");
      expect(await readFile(path.join(j.workspace, "images", "x.txt"), "utf8")).toBe("first");
    });
    // the client's message for a reservation refused with 409; a refusal is not a warning
    expect(j.log).toContain(
      "Failed to save: Unable to reserve cache with key write-once, another job may be creating this cache.",
    );
    expect(j.problems()).toEqual([]);
  });
});
