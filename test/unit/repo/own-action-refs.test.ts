import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoPath } from "../../helpers/repo.js";

const OWN =
  /uses:\s*(pve-kube\/pve-kube\/(?:actions\/[\w-]+|\.github\/workflows\/[\w.-]+))@([\w./-]+)/g;

function ownRefs(file: string): { target: string; ref: string }[] {
  return [...readFileSync(file, "utf8").matchAll(OWN)].map((m) => ({
    target: m[1] ?? "",
    ref: m[2] ?? "",
  }));
}

const workflows = readdirSync(repoPath(".github/workflows"))
  .filter((n) => /\.ya?ml$/.test(n))
  .map((n) => path.join(".github/workflows", n));

describe("pve-kube's own actions are called at one commit", () => {
  it.each(workflows)("%s calls all of its own actions at the same ref", (file) => {
    const refs = new Set(ownRefs(repoPath(file)).map((r) => r.ref));
    expect(refs.size).toBeLessThanOrEqual(1);
  });

  it("the caller example pins the reusable workflow by commit SHA", () => {
    const refs = ownRefs(repoPath("workflows-examples/deploy-caller.yml"));
    expect(refs).toHaveLength(1);
    expect(refs[0]?.ref).toMatch(/^[0-9a-f]{40}$/);
  });

  const tmp = mkdtempSync(path.join(os.tmpdir(), "pin-release-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("the release script pins every workflow's own actions to the released commit", () => {
    cpSync(repoPath(".github/workflows"), path.join(tmp, ".github/workflows"), { recursive: true });
    cpSync(repoPath("workflows-examples"), path.join(tmp, "workflows-examples"), {
      recursive: true,
    });
    const head = execFileSync("git", ["rev-parse", "HEAD"], {
      cwd: repoPath(),
      encoding: "utf8",
    }).trim();
    const run = spawnSync("node", [repoPath("scripts/pin-release.mjs"), head, "--root", tmp], {
      cwd: repoPath(),
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    for (const dir of [".github/workflows", "workflows-examples"])
      for (const name of readdirSync(path.join(tmp, dir)).filter((n) => n.endsWith(".yml"))) {
        const refs = ownRefs(path.join(tmp, dir, name));
        for (const ref of refs) expect(ref.ref, `${dir}/${name} ${ref.target}`).toBe(head);
      }
    expect(ownRefs(path.join(tmp, ".github/workflows/deploy.yml")).length).toBeGreaterThan(3);
  });

  it("refuses to pin a commit whose actions are not the ones being released", () => {
    const first = execFileSync("git", ["rev-list", "--max-parents=0", "HEAD"], {
      cwd: repoPath(),
      encoding: "utf8",
    })
      .split("\n")[0]
      ?.trim();
    const run = spawnSync(
      "node",
      [repoPath("scripts/pin-release.mjs"), first ?? "", "--root", tmp],
      {
        cwd: repoPath(),
        encoding: "utf8",
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/differ between [0-9a-f]{40} and HEAD/);
    expect(
      spawnSync("node", [repoPath("scripts/pin-release.mjs"), "v1"], { encoding: "utf8" }).stderr,
    ).toMatch(/not a full 40-hex commit SHA/);
  });
});

describe("deploy.yml signs the phase state later jobs trust", () => {
  it("gives the state key to every job whose state a later job reads (build-template, tofu-provision, kubeadm-bootstrap)", () => {
    const text = readFileSync(repoPath(".github/workflows/deploy.yml"), "utf8");
    for (const action of ["build-template", "tofu-provision", "kubeadm-bootstrap"]) {
      const calls = text.split(`uses: pve-kube/pve-kube/actions/${action}@`).slice(1);
      expect(calls.length, action).toBeGreaterThan(0);
      for (const call of calls) {
        const withBlock = call.split(/\n\s*(?:env:|- |\n)/)[0] ?? "";
        expect(withBlock, action).toContain("state-key: ${{ secrets.STATE_KEY }}");
      }
    }
  });
});
