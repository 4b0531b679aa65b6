import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/**
 * `hashFiles(patterns...)`: the files under the workspace matching the globs (a leading `!`
 * excludes), sorted by path; the SHA-256 of the concatenated SHA-256 digests of each file, like
 * the runner's hashFiles. Empty string when nothing matches.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] ?? "";
    if (char === "*") {
      if (pattern[i + 1] === "*") {
        const slash = pattern[i + 2] === "/";
        source += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else {
        source += "[^/]*";
      }
    } else if (char === "?") {
      source += "[^/]";
    } else if (char === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end > i) {
        source += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        i = end;
      } else {
        source += "\\[";
      }
    } else {
      source += char.replace(/[.+^${}()|\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}

function literalPrefix(pattern: string): string {
  const segments = pattern.split("/");
  const literal: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[]/.test(segment)) break;
    literal.push(segment);
  }
  return literal.join("/");
}

function walk(root: string, dir: string, files: string[]): void {
  let entries;
  try {
    entries = readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const relative = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(root, relative, files);
    else if (
      entry.isFile() ||
      (entry.isSymbolicLink() &&
        statSync(path.join(root, relative), { throwIfNoEntry: false })?.isFile())
    )
      files.push(relative);
  }
}

function normalise(pattern: string, workspace: string): string | undefined {
  let p = pattern.trim().replace(/\\/g, "/");
  if (path.isAbsolute(p)) {
    const relative = path.relative(workspace, p).replace(/\\/g, "/");
    if (relative.startsWith("..")) return undefined;
    p = relative;
  }
  return p.replace(/^\.\//, "");
}

export function matchFiles(workspace: string, patterns: readonly string[]): string[] {
  const includes: string[] = [];
  const excludes: RegExp[] = [];
  for (const raw of patterns.flatMap((p) => p.split("\n")).filter((p) => p.trim() !== "")) {
    const negated = raw.trim().startsWith("!");
    const pattern = normalise(negated ? raw.trim().slice(1) : raw, workspace);
    if (pattern === undefined) continue;
    if (negated) excludes.push(globToRegExp(pattern));
    else includes.push(pattern);
  }
  const found = new Set<string>();
  for (const pattern of includes) {
    const regex = globToRegExp(pattern);
    const files: string[] = [];
    walk(workspace, literalPrefix(pattern), files);
    for (const file of files) if (regex.test(file)) found.add(file);
  }
  return [...found].filter((file) => !excludes.some((re) => re.test(file))).sort();
}

export function hashFiles(workspace: string, patterns: readonly string[]): string {
  const files = matchFiles(workspace, patterns);
  if (files.length === 0) return "";
  const total = createHash("sha256");
  for (const file of files)
    total.update(
      createHash("sha256")
        .update(readFileSync(path.join(workspace, file)))
        .digest(),
    );
  return total.digest("hex");
}
