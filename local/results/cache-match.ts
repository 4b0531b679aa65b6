/**
 * Cache lookup as GitHub documents it ("Cache key matching"): only entries with the same
 * `version` (paths + compression) count. First an exact match of the primary key, then the newest
 * entry whose key starts with the primary key, then each restore key in order: an exact match
 * first, else the newest entry whose key starts with it. (@actions/cache says the same of its
 * primary key: "Lookup is done with prefix matching".)
 */
export interface CacheCandidate {
  key: string;
  version: string;
  /** creation order; larger is newer */
  id: number;
}

export function matchCacheEntry<T extends CacheCandidate>(
  entries: readonly T[],
  key: string,
  restoreKeys: readonly string[],
  version: string,
): T | undefined {
  const newestFirst = entries.filter((e) => e.version === version).sort((a, b) => b.id - a.id);
  const lookup = (k: string) =>
    newestFirst.find((e) => e.key === k) ?? newestFirst.find((e) => e.key.startsWith(k));
  // an empty key would be a prefix of everything; the client refuses it, the service ignores it
  for (const candidate of [key, ...restoreKeys]) {
    if (candidate === "") continue;
    const found = lookup(candidate);
    if (found) return found;
  }
  return undefined;
}
