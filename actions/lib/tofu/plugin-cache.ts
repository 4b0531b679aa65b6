import { createHash } from "node:crypto";
import { getErrorMessage } from "../errors.js";
import type { Logger } from "../logger.js";
import { goPlatform, type TofuBinary } from "./install.js";

/**
 * The provider plugin cache (TF_PLUGIN_CACHE_DIR) kept between runs with the Actions cache. The
 * key names everything that decides which provider files are valid: OS, architecture, tool and
 * version, and the lock file's hash. Best effort both ways: a cache that cannot be restored or
 * saved costs a download, never the run.
 */
export function pluginCacheKey(
  binary: TofuBinary,
  version: string,
  lockFile: string | undefined,
  platform = goPlatform(),
): { key: string; restoreKeys: string[] } {
  const prefix = `pve-kube-tofu-plugins-${platform.os}-${platform.arch}-${binary}-${version}-`;
  const lockHash = createHash("sha256")
    .update(lockFile ?? "no-lock-file")
    .digest("hex")
    .slice(0, 16);
  return { key: `${prefix}${lockHash}`, restoreKeys: [prefix] };
}

export interface PluginCache {
  /** returns the key that was restored, or undefined on a miss */
  restore(dir: string, key: string, restoreKeys: string[]): Promise<string | undefined>;
  save(dir: string, key: string): Promise<void>;
}

// @actions/cache (Azure SDK, glob, semver) loads when a run first asks the cache, not at start
const loadCache = () => import("@actions/cache");

export function actionsPluginCache(logger: Logger): PluginCache {
  return {
    async restore(dir, key, restoreKeys) {
      const cache = await loadCache();
      if (!cache.isFeatureAvailable()) {
        logger.info("the Actions cache is not available here: providers are installed without it");
        return undefined;
      }
      try {
        return await cache.restoreCache([dir], key, restoreKeys);
      } catch (error) {
        logger.warning(`could not restore the provider cache: ${getErrorMessage(error)}`);
        return undefined;
      }
    },
    async save(dir, key) {
      const cache = await loadCache();
      if (!cache.isFeatureAvailable()) return;
      try {
        await cache.saveCache([dir], key);
      } catch (error) {
        // another job saving the same key first is normal
        logger.warning(`could not save the provider cache: ${getErrorMessage(error)}`);
      }
    },
  };
}

export const noPluginCache: PluginCache = {
  restore: () => Promise.resolve(undefined),
  save: () => Promise.resolve(),
};
