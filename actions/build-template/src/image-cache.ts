import { getErrorMessage } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";

/** Where downloaded and customised images are kept between runs. Best effort by contract. */
export interface ImageCache {
  /** true when the file at `path` was restored */
  restore(path: string, key: string): Promise<boolean>;
  save(path: string, key: string): Promise<void>;
}

/** Keys: the base image by its sha256; the customised image by base sha256 + recipe fingerprint. */
export const baseImageKey = (sha256: string) => `pve-kube-image-${sha256}`;
export const customisedImageKey = (sha256: string, fingerprint: string) =>
  `pve-kube-template-image-${sha256}-${fingerprint}`;

/**
 * The GitHub Actions cache (@actions/cache). A cache that is unavailable or fails is a warning —
 * the image is then downloaded or customised again — never the reason a build fails.
 */
// @actions/cache (Azure SDK, glob, semver) loads when a run first asks the cache, not at start
const loadCache = () => import("@actions/cache");

export function actionsImageCache(logger: Logger): ImageCache {
  return {
    async restore(path, key) {
      const cache = await loadCache();
      if (!cache.isFeatureAvailable()) {
        logger.info("the Actions cache is not available here: images are not cached");
        return false;
      }
      try {
        // the image and its MAC sidecar (image.ts) travel together
        const hit = await cache.restoreCache([path, `${path}.mac`], key);
        logger.info(hit ? `restored ${key} from the Actions cache` : `cache miss for ${key}`);
        return hit === key;
      } catch (error) {
        logger.warning(
          `could not restore ${key} from the Actions cache: ${getErrorMessage(error)}`,
        );
        return false;
      }
    },
    async save(path, key) {
      const cache = await loadCache();
      if (!cache.isFeatureAvailable()) return;
      try {
        await cache.saveCache([path, `${path}.mac`], key);
        logger.info(`saved ${key} to the Actions cache`);
      } catch (error) {
        logger.warning(`could not save ${key} to the Actions cache: ${getErrorMessage(error)}`);
      }
    },
  };
}

/** No cache (for runs outside Actions). */
export const noImageCache: ImageCache = {
  restore: () => Promise.resolve(false),
  save: () => Promise.resolve(),
};
