import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoPath } from "../../helpers/repo.js";

// The lab image is rebuilt exactly when a pin it is built from or a recipe file changes.
let dir: string;
let versions: Record<string, unknown> & {
  lab: Record<string, string>;
  kubernetes: Record<string, unknown>;
};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lab-key-"));
  versions = JSON.parse(await readFile(repoPath("versions.json"), "utf8")) as typeof versions;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function keyWith(
  edit: (v: typeof versions) => void,
  env: Record<string, string> = {},
): Promise<string> {
  const copy = structuredClone(versions);
  edit(copy);
  const file = join(dir, `versions-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(copy));
  return execFileSync("bash", [repoPath("test", "tools", "lab", "recipe-key.sh")], {
    encoding: "utf8",
    env: { ...process.env, PVE_KUBE_LAB_WITH_UPGRADE: "", ...env, PVE_KUBE_VERSIONS_JSON: file },
  }).trim();
}

describe("recipe-key.sh", () => {
  it("is stable, and changes with each pin the image is built from", async () => {
    const base = await keyWith(() => {});
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(await keyWith(() => {})).toBe(base);
    expect(await keyWith((v) => (v.lab.containerd = "2.4.1"))).not.toBe(base);
    expect(await keyWith((v) => (v.lab.debianSuite = "trixie"))).not.toBe(base);
    expect(await keyWith((v) => (v.kubernetes.default = "1.36.4"))).not.toBe(base);
  });

  it("keys the image with the upgrade version (the lab's) apart, and only that one by upgradeFrom", async () => {
    const base = await keyWith(() => {});
    const lab = { PVE_KUBE_LAB_WITH_UPGRADE: "1" };
    const withUpgrade = await keyWith(() => {}, lab);
    expect(withUpgrade).not.toBe(base);
    expect(await keyWith((v) => (v.kubernetes.upgradeFrom = "1.36.2"), lab)).not.toBe(withUpgrade);
    // npm test's image carries no upgrade version: changing it rebuilds nothing there
    expect(await keyWith((v) => (v.kubernetes.upgradeFrom = "1.36.2"))).toBe(base);
  });

  it("ignores pins the image does not use", async () => {
    const base = await keyWith(() => {});
    expect(await keyWith((v) => ((v.helm as { version: string }).version = "9.9.9"))).toBe(base);
  });
});
