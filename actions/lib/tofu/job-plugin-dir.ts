import { randomBytes } from "node:crypto";
import { copyFile, link, mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";

/**
 * The provider plugin cache one job hands OpenTofu (TF_PLUGIN_CACHE_DIR), apart from the runner's
 * shared one (~/.cache/pve-kube/tofu-plugins).
 *
 * OpenTofu links `.terraform/providers` into its plugin cache, and a `tofu init` that installs a
 * provider there first removes the version's folder; the Actions cache restore extracts over it.
 * With one shared folder, a job whose plan was running lost its provider while another job on the
 * same runner host did either (`lstat …/bpg/proxmox/0.111.1/linux_amd64: no such file or
 * directory`, seen with parallel demo runs). So each job gets a tree of hard links to the shared
 * files: another job replacing a shared file leaves this job's link on the old, whole file.
 * What the job installed is published back by renaming whole version folders into place.
 */

/** Links every file of `shared` into `jobDir` (created); a file that vanishes meanwhile is skipped. */
export async function seedJobPluginDir(shared: string, jobDir: string): Promise<void> {
  await mkdir(jobDir, { recursive: true });
  await linkTree(shared, jobDir);
}

/**
 * Moves the provider folders (`<host>/<namespace>/<type>/<version>/<os_arch>`) the job has and the
 * shared cache lacks into it, each as one rename of a fully linked copy: a reader of the shared
 * cache sees a version folder whole or not at all. A folder another job published first is kept.
 */
export async function publishJobPluginDir(jobDir: string, shared: string): Promise<string[]> {
  const published: string[] = [];
  for (const leaf of await providerFolders(jobDir)) {
    const target = path.join(shared, leaf);
    if (await exists(target)) continue;
    const staging = path.join(shared, `.incoming-${randomBytes(6).toString("hex")}`);
    await mkdir(staging, { recursive: true });
    try {
      await linkTree(path.join(jobDir, leaf), staging);
      await mkdir(path.dirname(target), { recursive: true });
      await rename(staging, target);
      published.push(leaf);
    } catch (error) {
      // another job renamed the same folder into place first: theirs is as good as ours
      if (!isCode(error, "ENOTEMPTY", "EEXIST")) throw error;
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  return published;
}

/** The relative paths five levels down: one folder per provider version and platform. */
async function providerFolders(root: string): Promise<string[]> {
  let level = [""];
  for (let depth = 0; depth < 5; depth++) {
    const next: string[] = [];
    for (const rel of level) {
      for (const entry of await readdir(path.join(root, rel), { withFileTypes: true }).catch(
        () => [],
      ))
        if (entry.isDirectory() && !entry.name.startsWith("."))
          next.push(path.join(rel, entry.name));
    }
    level = next;
  }
  return level;
}

async function linkTree(from: string, to: string): Promise<void> {
  const entries = await readdir(from, { withFileTypes: true }).catch((error: unknown) => {
    if (isCode(error, "ENOENT")) return [];
    throw error;
  });
  for (const entry of entries) {
    // another job's half-made folder (publishJobPluginDir's staging) is not a provider
    if (entry.name.startsWith(".incoming-")) continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      await mkdir(target, { recursive: true });
      await linkTree(source, target);
    } else if (entry.isFile()) {
      await link(source, target).catch(async (error: unknown) => {
        if (isCode(error, "EEXIST", "ENOENT")) return;
        // another file system (a cache on a separate mount): a copy does the same
        if (!isCode(error, "EXDEV", "EPERM")) throw error;
        await copyFile(source, target).catch((copyError: unknown) => {
          if (!isCode(copyError, "ENOENT")) throw copyError;
        });
      });
    }
  }
}

async function exists(p: string): Promise<boolean> {
  return (await readdir(p).catch(() => undefined)) !== undefined;
}

function isCode(error: unknown, ...codes: string[]): boolean {
  return codes.includes((error as NodeJS.ErrnoException | undefined)?.code ?? "");
}
