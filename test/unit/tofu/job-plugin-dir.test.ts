import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { publishJobPluginDir, seedJobPluginDir } from "../../../actions/lib/tofu/job-plugin-dir.js";

const BPG = path.join("registry.opentofu.org", "bpg", "proxmox");
const leaf = (version: string) => path.join(BPG, version, "linux_amd64");

describe("a job's own provider plugin cache", () => {
  let root: string;
  let shared: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-job-plugins-"));
    shared = path.join(root, "shared");
    return () => rm(root, { recursive: true, force: true });
  });

  async function provider(base: string, version: string, content: string) {
    await mkdir(path.join(base, leaf(version)), { recursive: true });
    await writeFile(path.join(base, leaf(version), "terraform-provider-proxmox"), content);
  }

  it("links the shared files, and keeps them whole when another job replaces the shared folder", async () => {
    await provider(shared, "0.111.1", "provider build A");
    const job = path.join(root, "job-1");
    await seedJobPluginDir(shared, job);
    const linked = path.join(job, leaf("0.111.1"), "terraform-provider-proxmox");
    const original = path.join(shared, leaf("0.111.1"), "terraform-provider-proxmox");
    expect((await stat(linked)).ino).toBe((await stat(original)).ino);

    // what `tofu init` in another job does to the shared cache: remove the version, install anew
    await rm(path.join(shared, leaf("0.111.1")), { recursive: true });
    await expect(readFile(linked, "utf8")).resolves.toBe("provider build A");
    await provider(shared, "0.111.1", "provider build B");
    await expect(readFile(linked, "utf8")).resolves.toBe("provider build A");
  });

  it("seeds an empty folder when the shared cache does not exist yet", async () => {
    const job = path.join(root, "job-1");
    await seedJobPluginDir(path.join(root, "missing"), job);
    expect(await readdir(job)).toEqual([]);
  });

  it("publishes only versions the shared cache lacks, whole, and leaves no staging folder", async () => {
    await provider(shared, "0.111.1", "shared copy");
    const job = path.join(root, "job-1");
    await seedJobPluginDir(shared, job);
    await provider(job, "0.112.0", "installed by the job");
    // the job's copy of a version the shared cache has is never pushed over it
    await writeFile(path.join(job, leaf("0.111.1"), "extra"), "x");

    expect(await publishJobPluginDir(job, shared)).toEqual([leaf("0.112.0")]);
    await expect(
      readFile(path.join(shared, leaf("0.112.0"), "terraform-provider-proxmox"), "utf8"),
    ).resolves.toBe("installed by the job");
    expect(await readdir(path.join(shared, leaf("0.111.1")))).toEqual([
      "terraform-provider-proxmox",
    ]);
    expect((await readdir(shared)).filter((n) => n.startsWith(".incoming-"))).toEqual([]);
    expect(await publishJobPluginDir(job, shared)).toEqual([]);
  });

  it("two jobs publishing the same version at once: one folder, no error", async () => {
    const jobs = ["job-1", "job-2", "job-3"].map((j) => path.join(root, j));
    for (const job of jobs) await provider(job, "0.112.0", `from ${path.basename(job)}`);
    const results = await Promise.all(jobs.map((job) => publishJobPluginDir(job, shared)));
    expect(results.flat()).toContain(leaf("0.112.0"));
    expect(await readdir(path.join(shared, leaf("0.112.0")))).toEqual([
      "terraform-provider-proxmox",
    ]);
    expect((await readdir(shared)).filter((n) => n.startsWith(".incoming-"))).toEqual([]);
  });
});
