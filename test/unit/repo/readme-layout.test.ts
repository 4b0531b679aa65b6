import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { repoPath, repoRoot } from "../../helpers/repo.js";

// The README's "Layout" block is where a newcomer starts; it must name only what exists, and
// every top-level folder must be in it.
const readme = readFileSync(repoPath("README.md"), "utf8");
const section = readme.slice(readme.indexOf("## Layout"));
const block = /```\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
/** the first column of each line: a path, `<name>` standing for any folder */
const named = block
  .split("\n")
  .map((line) => line.split(/\s{2,}/)[0]?.trim() ?? "")
  .filter((entry) => entry !== "");

function exists(entry: string): boolean {
  const parts = entry.replace(/\/$/, "").split("/");
  let candidates = [repoRoot];
  for (const part of parts) {
    candidates = candidates.flatMap((dir) =>
      /^<.*>$/.test(part)
        ? readdirSync(dir, { withFileTypes: true })
            .filter((d) => d.isDirectory() && !d.name.startsWith("."))
            .map((d) => `${dir}/${d.name}`)
        : existsSync(`${dir}/${part}`)
          ? [`${dir}/${part}`]
          : [],
    );
  }
  return candidates.length > 0;
}

describe("README layout", () => {
  test("has a layout block to check", () => {
    expect(named.length).toBeGreaterThan(10);
  });

  test("names only files and folders that exist", () => {
    expect(named.filter((entry) => !exists(entry))).toEqual([]);
  });

  test("names every top-level folder", () => {
    // every folder at the top except tooling ones (dot folders, installed or generated output)
    const topFolders = readdirSync(repoRoot, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith("."))
      .map((d) => d.name)
      .filter((name) => !["node_modules", "coverage", "tmp"].includes(name));
    const listed = new Set(named.map((entry) => entry.split("/")[0]));
    expect([...topFolders].filter((folder) => !listed.has(folder)).sort()).toEqual([]);
  });
});
