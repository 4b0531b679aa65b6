#!/usr/bin/env node
// The dist freshness gate: rebuild into a scratch out-root and compare dist/ and cli/dist/, file by
// file, with the committed ones (extra, missing or different files all fail), and fail on any
// actions/<name>/dist folder left from the old per-action layout. With --git it also requires a
// clean `git status --porcelain` after an in-place rebuild, the CI form of the gate that also
// catches new untracked files.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { OUTPUT_DIRS } from "./build.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full).map((f) => path.join(name, f)));
    else out.push(name);
  }
  return out.sort();
}

/** Bundle folders of the per-action layout before the shared dist/: they must not come back. */
export function oldLayoutFolders(root = repo) {
  const actionsDir = path.join(root, "actions");
  const names = existsSync(actionsDir) ? readdirSync(actionsDir).sort() : [];
  return names
    .filter((name) => existsSync(path.join(actionsDir, name, "dist")))
    .map((name) => path.join("actions", name, "dist"));
}

/** Differences between a fresh build in `scratch` (an out-root) and the repository's outputs. */
export function compareDist(scratch, root = repo) {
  const problems = [];
  for (const dir of OUTPUT_DIRS) {
    const fresh = listFiles(path.join(scratch, dir));
    const committed = listFiles(path.join(root, dir));
    for (const f of fresh) {
      const rel = path.join(dir, f);
      if (!committed.includes(f))
        problems.push(`${rel} is missing: run npm run build and commit it`);
      else if (!readFileSync(path.join(scratch, rel)).equals(readFileSync(path.join(root, rel))))
        problems.push(`${rel} is stale: run npm run build and commit it`);
    }
    for (const f of committed) {
      if (!fresh.includes(f))
        problems.push(`${path.join(dir, f)} is not produced by the build: delete it`);
    }
  }
  for (const folder of oldLayoutFolders(root)) {
    problems.push(
      `${folder} is left from the per-action layout (actions are built into dist/actions/ now): delete it`,
    );
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "pve-kube-dist-"));
  try {
    const build = path.join(repo, "scripts", "build.mjs");
    execFileSync(process.execPath, [build, "--out-root", scratch], { stdio: "inherit" });
    const problems = compareDist(scratch);
    if (process.argv.includes("--git")) {
      execFileSync(process.execPath, [build], { stdio: "inherit" });
      const status = execFileSync("git", ["status", "--porcelain"], {
        cwd: repo,
        encoding: "utf8",
      }).trim();
      if (status) problems.push(`git status is not clean after a rebuild:\n${status}`);
    }
    if (problems.length > 0) {
      console.error(`dist is not current:\n${problems.join("\n")}`);
      process.exit(1);
    }
    console.log("dist is current");
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
