import { readFileSync } from "node:fs";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { describe, expect, it } from "vitest";
import { versions } from "../../../actions/lib/versions.js";
import { repoPath } from "../../helpers/repo.js";

type LockFile = { provider: Record<string, { version: string; constraints: string; hashes: string[] }[]> };
type Versions = { terraform: { required_providers: Record<string, { source: string; version: string }>[] }[] };

/**
 * terraform/ pins the bpg provider exactly at versions.json's version, and its committed lock file
 * carries hashes of the official linux_amd64 release of that version: `h1:` (the unpacked
 * package) and `zh:` (the release zip's SHA-256). The integration tests prove OpenTofu enforces it.
 */
describe("terraform/ provider pins", () => {
  it("requires exactly the pinned bpg provider version", async () => {
    const hcl = (await parseHcl("versions.tf", readFileSync(repoPath("terraform", "versions.tf"), "utf8"))) as Versions;
    const proxmox = hcl.terraform[0]?.required_providers[0]?.proxmox;
    expect(proxmox).toEqual({ source: versions.bpgProvider.source, version: versions.bpgProvider.version });
  });

  it("has a lock file for that version with h1: and zh: hashes", async () => {
    const lock = (await parseHcl(".terraform.lock.hcl", readFileSync(repoPath("terraform", ".terraform.lock.hcl"), "utf8"))) as LockFile;
    const entry = lock.provider[`registry.opentofu.org/${versions.bpgProvider.source}`]?.[0];
    expect(entry?.version).toBe(versions.bpgProvider.version);
    expect(entry?.constraints).toBe(versions.bpgProvider.version);
    expect(entry?.hashes.some((h) => /^h1:[A-Za-z0-9+/]{43}=$/.test(h))).toBe(true);
    expect(entry?.hashes.some((h) => /^zh:[0-9a-f]{64}$/.test(h))).toBe(true);
  });
});
