#!/usr/bin/env node
// Release step: makes every workflow call pve-kube's own actions (and the caller examples call
// pve-kube's workflows) at one commit, so a caller that pins a workflow by SHA also runs exactly
// the actions of that commit — never whatever a moving tag such as `v1` points to later.
//
//   node scripts/pin-release.mjs <commit-sha> [--root DIR]
//
// <commit-sha> is the commit whose actions are released: the script refuses it unless the
// actions, their bundles, the OpenTofu module, the playbooks and versions.json are identical in
// <commit-sha> and HEAD. Commit the rewritten files on top and tag that commit (docs/security.md,
// "Release procedure").
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const OWN =
  /(pve-kube\/pve-kube\/(?:actions\/[A-Za-z0-9_-]+|\.github\/workflows\/[A-Za-z0-9_.-]+))@[A-Za-z0-9_./-]+/g;
const RELEASED = ["actions", "dist", "terraform", "ansible", "manifests", "versions.json"];

function fail(message) {
  console.error(`pin-release: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const sha = args[0] ?? "";
const rootAt = args.indexOf("--root");
const root = rootAt >= 0 ? path.resolve(args[rootAt + 1] ?? ".") : process.cwd();
if (!/^[0-9a-f]{40}$/.test(sha)) fail(`'${sha}' is not a full 40-hex commit SHA`);

try {
  execFileSync("git", ["diff", "--quiet", sha, "HEAD", "--", ...RELEASED], { stdio: "ignore" });
} catch {
  fail(
    `the released files (${RELEASED.join(", ")}) differ between ${sha} and HEAD: pin the commit whose actions you release`,
  );
}

let changed = 0;
for (const dir of [".github/workflows", "workflows-examples"]) {
  let names = [];
  try {
    names = readdirSync(path.join(root, dir)).filter((n) => /\.ya?ml$/.test(n));
  } catch {
    continue;
  }
  for (const name of names) {
    const file = path.join(root, dir, name);
    const before = readFileSync(file, "utf8");
    const after = before.replace(OWN, `$1@${sha}`);
    if (after !== before) {
      writeFileSync(file, after);
      changed++;
      console.log(`pin-release: ${path.join(dir, name)} → @${sha}`);
    }
  }
}
console.log(`pin-release: ${changed} file(s) pinned to ${sha}`);
