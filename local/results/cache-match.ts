/**
 * Cache lookup as GitHub documents it: only entries with the same `version` (paths + compression)
 * count; the primary key must match exactly; then each restore key in order, an exact match
 * first, then the newest entry whose key starts with it.
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
  const sameVersion = entries.filter((e) => e.version === version).sort((a, b) => b.id - a.id);
  const exact = (k: string) => sameVersion.find((e) => e.key === k);
  const hit = exact(key);
  if (hit) return hit;
  for (const restoreKey of restoreKeys) {
    if (restoreKey === "") continue;
    const found = exact(restoreKey) ?? sameVersion.find((e) => e.key.startsWith(restoreKey));
    if (found) return found;
  }
  return undefined;
}
