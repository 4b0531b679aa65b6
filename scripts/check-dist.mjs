#!/usr/bin/env node
// The dist freshness gate: rebuild every bundle into a scratch tree and compare it, file by file,
// with the committed dist/ folders (extra, missing or different files all fail). With --git it
// also requires a clean `git status --porcelain` after an in-place rebuild, the CI form of the gate
// that also catches new untracked files.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bundleTargets } from "./build.mjs";

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

export function compareDist(scratch) {
  const problems = [];
  for (const target of bundleTargets(repo)) {
    const dir = path.dirname(target.outfile);
    const fresh = listFiles(path.join(scratch, dir));
    const committed = listFiles(path.join(repo, dir));
    for (const f of fresh) {
      if (!committed.includes(f)) problems.push(`${path.join(dir, f)} is missing: run npm run build and commit it`);
      else if (!readFileSync(path.join(scratch, dir, f)).equals(readFileSync(path.join(repo, dir, f))))
        problems.push(`${path.join(dir, f)} is stale: run npm run build and commit it`);
    }
    for (const f of committed) if (!fresh.includes(f)) problems.push(`${path.join(dir, f)} is not produced by the build: delete it`);
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "pve-kube-dist-"));
  try {
    execFileSync(process.execPath, [path.join(repo, "scripts", "build.mjs"), "--out-root", scratch], { stdio: "inherit" });
    const problems = compareDist(scratch);
    if (process.argv.includes("--git")) {
      execFileSync(process.execPath, [path.join(repo, "scripts", "build.mjs")], { stdio: "inherit" });
      const status = execFileSync("git", ["status", "--porcelain"], { cwd: repo, encoding: "utf8" }).trim();
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
