import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  actionsImageCache,
  baseImageKey,
} from "../../../actions/build-template/src/image-cache.js";
import { memoryLogger } from "../../../actions/lib/logger.js";
import { startResultsService, type ResultsService } from "../../../local/results/index.js";

/**
 * The image cache through the unmodified @actions/cache against the local results service:
 * real bytes saved by one job and restored by a job of another run.
 */
describe("image cache with @actions/cache", () => {
  let service: ResultsService;
  let root: string;

  beforeAll(async () => {
    service = await startResultsService();
    root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-image-cache-"));
  });
  afterAll(async () => {
    await service.close();
    await rm(root, { recursive: true, force: true });
  });

  /** Runs `fn` with the environment a runner gives a job (restored afterwards). */
  async function asJob<T>(
    runId: string,
    env: Record<string, string>,
    fn: () => Promise<T>,
  ): Promise<T> {
    const workspace = await mkdtemp(path.join(root, `ws-${runId}-`));
    const full = {
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: path.join(root, "runner-temp"),
      ...env,
    };
    const saved = Object.fromEntries(Object.keys(full).map((k) => [k, process.env[k]]));
    Object.assign(process.env, full);
    const cwd = process.cwd();
    process.chdir(workspace);
    const quiet = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      return await fn();
    } finally {
      quiet.mockRestore();
      process.chdir(cwd);
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }

  it("saves an image in one run and restores it in another; a miss is a miss", async () => {
    const image = randomBytes(2 * 1024 * 1024);
    const dir = path.join(root, "runner-temp", "pve-kube-template");
    const file = path.join(dir, "base-612b2c0cc1bc413a.img");
    const key = baseImageKey("612b2c0cc1bc413a6cb8c38fd611794caf0f2b436c50013d8b3794db12ad7354");
    const logger = memoryLogger();

    await asJob("run-1", service.runtimeEnv("run-1", "template"), async () => {
      await mkdir(dir, { recursive: true });
      await writeFile(file, image);
      await actionsImageCache(logger).save(file, key);
    });
    await rm(file);

    const hit = await asJob("run-2", service.runtimeEnv("run-2", "template"), () =>
      actionsImageCache(logger).restore(file, key),
    );
    expect(hit).toBe(true);
    expect((await readFile(file)).equals(image)).toBe(true);

    const miss = await asJob("run-3", service.runtimeEnv("run-3", "template"), () =>
      actionsImageCache(logger).restore(file, `${key}-other`),
    );
    expect(miss).toBe(false);
    expect(logger.lines.filter((l) => l.startsWith("warning:"))).toEqual([]);
    expect(logger.lines).toContain(`saved ${key} to the Actions cache`);
  });

  it("without a cache service it is a quiet no-op, never a failure", async () => {
    const logger = memoryLogger();
    const env = {
      ACTIONS_RUNTIME_TOKEN: "",
      ACTIONS_RESULTS_URL: "",
      ACTIONS_CACHE_URL: "",
      ACTIONS_CACHE_SERVICE_V2: "",
    };
    const hit = await asJob("run-4", env, () =>
      actionsImageCache(logger).restore(path.join(root, "nothing.img"), "k"),
    );
    expect(hit).toBe(false);
    expect(logger.lines).toContain(
      "the Actions cache is not available here: images are not cached",
    );
  });
});
