import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DefaultArtifactClient } from "@actions/artifact";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startResultsService, type ResultsService } from "../../../local/results/index.js";
import { TestJob } from "./job.js";

// The unmodified @actions/artifact 6.2.1 from node_modules, talking to the local results service
// over loopback: real zips, real Azure SDK block uploads, real HTTP downloads.

const MiB = 1024 * 1024;
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

let service: ResultsService;
let scratch: string;
const jobs: TestJob[] = [];

function job(runId: string, jobId: string, on: ResultsService = service): TestJob {
  const created = new TestJob(on, runId, jobId);
  jobs.push(created);
  return created;
}

/** Writes files (path → content) under a fresh directory and returns it. */
async function tree(
  files: Record<string, Buffer | string>,
): Promise<{ root: string; paths: string[] }> {
  const root = await mkdtemp(path.join(scratch, "src-"));
  const paths: string[] = [];
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    paths.push(file);
  }
  return { root, paths };
}

async function readTree(root: string, prefix = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(path.join(root, prefix), { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(out, await readTree(root, rel));
    else out[rel] = sha256(await readFile(path.join(root, rel)));
  }
  return out;
}

const hashes = (files: Record<string, Buffer | string>) =>
  Object.fromEntries(Object.entries(files).map(([k, v]) => [k, sha256(Buffer.from(v))]));

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "results-artifacts-"));
  service = await startResultsService();
});

afterAll(async () => {
  await service.close();
  for (const j of jobs) await j.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

describe("@actions/artifact against the local results service", () => {
  it("uploads a zipped tree, lists, gets, downloads it byte-identical with the digest, and deletes it", async () => {
    const files = {
      "a.txt": "alpha\n",
      "nested/deeper/b.bin": randomBytes(200_000),
      "empty.txt": "",
      "ünïcode name.txt": "ü\n",
    };
    const { root, paths } = await tree(files);
    const j = job("run-1", "build");
    await j.run(async () => {
      const client = new DefaultArtifactClient();
      const uploaded = await client.uploadArtifact("bundle", paths, root);
      expect(uploaded.id).toBeGreaterThan(0);
      expect(uploaded.digest).toMatch(/^[0-9a-f]{64}$/);

      const listed = await client.listArtifacts();
      expect(listed.artifacts.map((a) => a.name)).toContain("bundle");

      const { artifact } = await client.getArtifact("bundle");
      expect(artifact).toMatchObject({
        id: uploaded.id,
        size: uploaded.size,
        digest: `sha256:${uploaded.digest}`,
      });
      expect(artifact.createdAt).toBeInstanceOf(Date);

      const into = await mkdtemp(path.join(scratch, "dl-"));
      const downloaded = await client.downloadArtifact(artifact.id, {
        path: into,
        expectedHash: artifact.digest,
      });
      expect(downloaded.digestMismatch).toBe(false);
      expect(await readTree(into)).toEqual(hashes(files));

      const stored = service.artifacts().find((a) => a.id === uploaded.id);
      expect(stored).toMatchObject({
        name: "bundle",
        runId: "run-1",
        jobId: "build",
        size: uploaded.size,
        digest: `sha256:${uploaded.digest}`,
      });
      // the stored blob is the client's zip, as sent
      expect(sha256(await readFile(stored?.file ?? ""))).toBe(uploaded.digest);

      expect((await client.deleteArtifact("bundle")).id).toBe(uploaded.id);
      await expect(client.getArtifact("bundle")).rejects.toMatchObject({
        name: "ArtifactNotFoundError",
      });
      expect(service.artifacts().some((a) => a.id === uploaded.id)).toBe(false);
    });
    expect(j.problems()).toEqual([]);
  });

  it("keeps a skipArchive artifact raw and under its own file name", async () => {
    const content = `# Deploy report\n${"x".repeat(5000)}\n`;
    const { root, paths } = await tree({ "deploy report é.md": content });
    await job("run-1", "report").run(async () => {
      const client = new DefaultArtifactClient();
      const uploaded = await client.uploadArtifact("ignored-for-raw", paths, root, {
        skipArchive: true,
      });
      const { artifact } = await client.getArtifact("deploy report é.md");
      expect(artifact.id).toBe(uploaded.id);
      const into = await mkdtemp(path.join(scratch, "dl-"));
      const downloaded = await client.downloadArtifact(artifact.id, {
        path: into,
        expectedHash: artifact.digest,
      });
      expect(downloaded.digestMismatch).toBe(false);
      expect(await readdir(into)).toEqual(["deploy report é.md"]);
      expect(await readFile(path.join(into, "deploy report é.md"), "utf8")).toBe(content);
    });
  });

  it("moves a 60 MiB artifact in 8 MiB blocks that overlap and finish out of list order, and gets the same bytes back", async () => {
    const big = randomBytes(60 * MiB);
    const files = { "disk.img": big, "disk.img.sha256": `${sha256(big)}  disk.img\n` };
    const { root, paths } = await tree(files);
    // Its own instance, so that the blob counters are this upload's alone. The first two blocks
    // received are held for a while (a slow network path): the SDK keeps sending the next blocks
    // meanwhile, so several are in flight and they finish before the first ones. Two held, for
    // 5 s, because under a load average of 30 holding one for 1.5 s saw only 2 in flight.
    const own = await startResultsService({ blockDelayMs: (n) => (n < 2 ? 5000 : 0) });
    const j = job("run-1", "big", own);
    try {
      await j.run(
        async () => {
          const client = new DefaultArtifactClient();
          const uploaded = await client.uploadArtifact("image", paths, root, {
            compressionLevel: 0,
          });
          expect(uploaded.size).toBeGreaterThan(60 * MiB);
          const { artifact } = await client.getArtifact("image");
          const into = await mkdtemp(path.join(scratch, "dl-"));
          const downloaded = await client.downloadArtifact(artifact.id, {
            path: into,
            expectedHash: artifact.digest,
          });
          expect(downloaded.digestMismatch).toBe(false);
          expect(await readTree(into)).toEqual(hashes(files));
        },
        // the SDK keeps ceil(0.75 × 8) = 6 block requests in flight
        { ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY: "8" },
      );
      const stats = own.blobStats();
      expect(stats).toMatchObject({
        blockListsCommitted: 1,
        blobsPut: 0,
        blockListsOutOfArrivalOrder: 1,
      });
      expect(stats.blocksStaged).toBeGreaterThanOrEqual(8);
      expect(stats.maxBlocksInFlight).toBeGreaterThanOrEqual(3);
    } finally {
      await own.close();
    }
    expect(j.problems()).toEqual([]);
  });

  it("assembles two uploads running at once on one service, each from its own block list", async () => {
    const one = randomBytes(20 * MiB + 123);
    const two = randomBytes(28 * MiB + 7);
    const a = await tree({ "one.bin": one });
    const b = await tree({ "two.bin": two });
    const before = service.blobStats();
    await job("run-1", "parallel").run(
      async () => {
        const client = new DefaultArtifactClient();
        const [ua, ub] = await Promise.all([
          client.uploadArtifact("one", a.paths, a.root, { compressionLevel: 0 }),
          client.uploadArtifact("two", b.paths, b.root, { compressionLevel: 0 }),
        ]);
        for (const [uploaded, name, content] of [
          [ua, "one.bin", one],
          [ub, "two.bin", two],
        ] as const) {
          const into = await mkdtemp(path.join(scratch, "dl-"));
          const { artifact } = await client.getArtifact(name.replace(".bin", ""));
          expect(artifact.id).toBe(uploaded.id);
          const result = await client.downloadArtifact(artifact.id, {
            path: into,
            expectedHash: artifact.digest,
          });
          expect(result.digestMismatch).toBe(false);
          expect(sha256(await readFile(path.join(into, name)))).toBe(sha256(content));
        }
      },
      { ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY: "8" },
    );
    // 3 + 4 blocks of 8 MiB, two block lists
    const after = service.blobStats();
    expect(after.blocksStaged - before.blocksStaged).toBe(7);
    expect(after.blockListsCommitted - before.blockListsCommitted).toBe(2);
  });

  it("refuses a second artifact of the same name in a run at once, without retrying", async () => {
    const { root, paths } = await tree({ "x.txt": "x" });
    await job("run-1", "dup").run(async () => {
      const client = new DefaultArtifactClient();
      await client.uploadArtifact("once", paths, root);
      // "non-retryable" proves the client did not spend its ~30 s of retries on this
      await expect(client.uploadArtifact("once", paths, root)).rejects.toThrow(
        /CreateArtifact: Received non-retryable error: Failed request: \(409\).*an artifact named 'once' already exists in run run-1/,
      );
    });
  });

  it("lets a later job of the same run download what an earlier job uploaded, and hides it from other runs", async () => {
    const { root, paths } = await tree({ "state.json": '{"phase":"preflight"}\n' });
    const uploaded = await job("run-7", "preflight").run(() =>
      new DefaultArtifactClient().uploadArtifact("handoff", paths, root),
    );

    await job("run-7", "build-template").run(async (j) => {
      const client = new DefaultArtifactClient();
      const { artifact } = await client.getArtifact("handoff");
      expect(artifact.id).toBe(uploaded.id);
      const { downloadPath } = await client.downloadArtifact(artifact.id);
      expect(downloadPath).toBe(j.workspace);
      expect(await readFile(path.join(j.workspace, "state.json"), "utf8")).toBe(
        '{"phase":"preflight"}\n',
      );
    });

    await job("run-8", "build-template").run(async () => {
      const client = new DefaultArtifactClient();
      await expect(client.getArtifact("handoff")).rejects.toMatchObject({
        name: "ArtifactNotFoundError",
      });
      expect((await client.listArtifacts()).artifacts).toEqual([]);
      // the name is free in another run
      const again = await client.uploadArtifact("handoff", paths, root);
      expect(again.id).not.toBe(uploaded.id);
    });
  });

  it("keeps artifacts across a restart on the same data directory", async () => {
    const dataDir = await mkdtemp(path.join(scratch, "data-"));
    const { root, paths } = await tree({ "kept.txt": "still here\n" });
    const first = await startResultsService({ dataDir });
    const uploaded = await job("run-9", "a", first).run(() =>
      new DefaultArtifactClient().uploadArtifact("kept", paths, root),
    );
    await first.close();

    const second = await startResultsService({ dataDir });
    try {
      expect(second.artifacts().map((a) => [a.name, a.id, a.digest])).toEqual([
        ["kept", uploaded.id, `sha256:${uploaded.digest}`],
      ]);
      await job("run-9", "b", second).run(async (j) => {
        const client = new DefaultArtifactClient();
        const { artifact } = await client.getArtifact("kept");
        await client.downloadArtifact(artifact.id);
        expect(await readFile(path.join(j.workspace, "kept.txt"), "utf8")).toBe("still here\n");
      });
    } finally {
      await second.close();
    }
    // a caller-provided data directory is the caller's: close keeps it
    expect(await readdir(dataDir)).toContain("index.json");
  });
});
