import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { getErrorMessage } from "../errors.js";
import type { Logger } from "../logger.js";

/**
 * Where a cluster's pinned SSH host keys outlive the workflow run. Phase-state artifacts belong to
 * one run, so the next deploy could not read them back; the Actions cache is shared by the runs of
 * a repository (a pull request's own entries stay in its scope). The keys are public: the cache
 * only has to keep them, not hide them. An evicted entry (7 days unused on github.com) means first
 * contact again — pin permanently with the `known-hosts` input to avoid that.
 */
export interface KnownHostsStore {
  /** the last pins saved for this cluster, or "" */
  restore(): Promise<string>;
  save(knownHosts: string): Promise<void>;
}

/** One key per content (cache entries are immutable); restore takes the newest by prefix. */
export function knownHostsCacheKey(
  cluster: string,
  clusterUid: string,
  knownHosts: string,
): { key: string; prefix: string } {
  const prefix = `pve-kube-known-hosts-${cluster}-${clusterUid}-`;
  const hash = createHash("sha256").update(knownHosts).digest("hex").slice(0, 16);
  return { key: `${prefix}${hash}`, prefix };
}

const FILE = "known_hosts";
// @actions/cache (Azure SDK, glob, semver) loads when a run first asks the cache, not at start
const loadCache = () => import("@actions/cache");

export function actionsKnownHostsStore(
  cluster: string,
  clusterUid: string,
  logger: Logger,
  tmpRoot = os.tmpdir(),
): KnownHostsStore {
  // the cache version hashes the paths: restore and save must name the same directory
  const dir = path.join(tmpRoot, `pve-kube-known-hosts-${cluster}-${clusterUid}`);
  return {
    async restore() {
      const cache = await loadCache();
      if (!cache.isFeatureAvailable()) {
        logger.info(
          "the Actions cache is not available here: host keys are pinned for this run only",
        );
        return "";
      }
      await rm(dir, { recursive: true, force: true });
      try {
        const { prefix } = knownHostsCacheKey(cluster, clusterUid, "");
        const hit = await cache.restoreCache([dir], `${prefix}none`, [prefix]);
        if (!hit) return "";
        logger.info(`host keys pinned by an earlier run restored (${hit})`);
        return await readFile(path.join(dir, FILE), "utf8");
      } catch (error) {
        logger.warning(`could not restore the pinned host keys: ${getErrorMessage(error)}`);
        return "";
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async save(knownHosts) {
      const cache = await loadCache();
      if (!cache.isFeatureAvailable()) return;
      const { key } = knownHostsCacheKey(cluster, clusterUid, knownHosts);
      try {
        await rm(dir, { recursive: true, force: true });
        await mkdir(dir, { recursive: true, mode: 0o700 });
        await writeFile(path.join(dir, FILE), knownHosts, { mode: 0o600 });
        await cache.saveCache([dir], key);
        logger.info(`pinned host keys saved for the next run (${key})`);
      } catch (error) {
        // the same pins saved by an earlier run already exist under this key: nothing to do
        if (!/already exists|reserve/i.test(getErrorMessage(error)))
          logger.warning(`could not save the pinned host keys: ${getErrorMessage(error)}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Pins kept in memory (tests, and runs outside Actions). */
export function memoryKnownHostsStore(initial = ""): KnownHostsStore & { saved: string[] } {
  const saved: string[] = [];
  return {
    saved,
    restore: () => Promise.resolve(saved.at(-1) ?? initial),
    save: (text) => {
      saved.push(text);
      return Promise.resolve();
    },
  };
}
