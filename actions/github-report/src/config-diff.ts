import { parse } from "yaml";

/**
 * The change to cluster.yaml in words: every leaf that was added, removed or changed, by its
 * path (`workers.pools[0].memoryMiB: 4096 → 8192`). Read from the YAML documents themselves, so a
 * reviewer sees what was edited, not what the planner derived from it.
 */
export interface ConfigChange {
  path: string;
  kind: "added" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
}

function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(prefix, []);
    value.forEach((item, i) => flatten(item, `${prefix}[${i}]`, out));
  } else if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.set(prefix, {});
    for (const [key, item] of entries) flatten(item, prefix ? `${prefix}.${key}` : key, out);
  } else out.set(prefix, value);
}

export function diffConfig(beforeText: string | undefined, afterText: string): ConfigChange[] {
  const before = new Map<string, unknown>();
  const after = new Map<string, unknown>();
  if (beforeText !== undefined) flatten(parse(beforeText) as unknown, "", before);
  flatten(parse(afterText) as unknown, "", after);
  const changes: ConfigChange[] = [];
  for (const [path, value] of after) {
    if (!before.has(path)) changes.push({ path, kind: "added", after: value });
    else if (JSON.stringify(before.get(path)) !== JSON.stringify(value))
      changes.push({ path, kind: "changed", before: before.get(path), after: value });
  }
  for (const [path, value] of before)
    if (!after.has(path)) changes.push({ path, kind: "removed", before: value });
  return changes;
}

const show = (value: unknown) => `\`${JSON.stringify(value)}\``;

export function describeConfigChange(change: ConfigChange): string {
  switch (change.kind) {
    case "added":
      return `\`${change.path}\` set to ${show(change.after)}`;
    case "removed":
      return `\`${change.path}\` removed (was ${show(change.before)})`;
    case "changed":
      return `\`${change.path}\`: ${show(change.before)} → ${show(change.after)}`;
  }
}
