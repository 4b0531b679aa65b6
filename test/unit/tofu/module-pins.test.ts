import { readFileSync } from "node:fs";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { describe, expect, it } from "vitest";
import { versions } from "../../../actions/lib/versions.js";
import { repoPath } from "../../helpers/repo.js";

type LockFile = {
  provider?: Record<string, { version?: string; constraints?: string; hashes?: string[] }[]>;
};
type VersionsTf = {
  terraform?: {
    required_version?: string;
    required_providers?: Record<string, { source?: string; version?: string }>[];
  }[];
};
interface Pins {
  opentofu: string;
  provider: { source: string; version: string };
}

const compare = (a: string, b: string) => {
  const [x, y] = [a, b].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++)
    if ((x?.[i] ?? 0) !== (y?.[i] ?? 0)) return (x?.[i] ?? 0) - (y?.[i] ?? 0);
  return 0;
};

/** Whether `version` meets an HCL version constraint made of `>=`, `>`, `<=`, `<`, `=` terms. */
function satisfies(version: string, constraint: string): boolean {
  return constraint.split(",").every((term) => {
    const m = /^\s*(>=|<=|>|<|=|!=)?\s*(\d+(?:\.\d+){0,2})\s*$/.exec(term);
    if (!m)
      throw new Error(
        `constraint term '${term}' is not understood by this test: extend satisfies()`,
      );
    const c = compare(version, m[2] ?? "");
    switch (m[1]) {
      case ">=":
        return c >= 0;
      case ">":
        return c > 0;
      case "<=":
        return c <= 0;
      case "<":
        return c < 0;
      case "!=":
        return c !== 0;
      default:
        return c === 0;
    }
  });
}

/**
 * The bpg provider version is written down three times: versions.json (the one pin file),
 * terraform/versions.tf (required_providers, what `tofu init` asks for) and
 * terraform/.terraform.lock.hcl (what the hashes are of). Every difference between them is named.
 */
async function pinDrift(versionsTf: string, lockHcl: string, pins: Pins): Promise<string[]> {
  const problems: string[] = [];
  const tf = (await parseHcl("versions.tf", versionsTf)) as VersionsTf;
  const block = tf.terraform?.[0];
  const proxmox = block?.required_providers?.[0]?.proxmox;
  if (proxmox?.source !== pins.provider.source)
    problems.push(
      `terraform/versions.tf: proxmox source is ${String(proxmox?.source)}, versions.json bpgProvider.source is ${pins.provider.source}`,
    );
  if (proxmox?.version !== pins.provider.version)
    problems.push(
      `terraform/versions.tf: proxmox version is ${String(proxmox?.version)}, versions.json bpgProvider.version is ${pins.provider.version}`,
    );
  if (!block?.required_version || !satisfies(pins.opentofu, block.required_version)) {
    problems.push(
      `terraform/versions.tf: required_version ${String(block?.required_version)} does not admit versions.json opentofu.version ${pins.opentofu}`,
    );
  }

  const lock = (await parseHcl(".terraform.lock.hcl", lockHcl)) as LockFile;
  const address = `registry.opentofu.org/${pins.provider.source}`;
  const others = Object.keys(lock.provider ?? {}).filter((a) => a !== address);
  if (others.length)
    problems.push(
      `terraform/.terraform.lock.hcl: providers the module does not pin: ${others.join(", ")}`,
    );
  const entry = lock.provider?.[address]?.[0];
  if (!entry) return [...problems, `terraform/.terraform.lock.hcl: no entry for ${address}`];
  if (entry.version !== pins.provider.version)
    problems.push(
      `terraform/.terraform.lock.hcl: ${address} version is ${String(entry.version)}, versions.json bpgProvider.version is ${pins.provider.version}`,
    );
  if (entry.constraints !== pins.provider.version)
    problems.push(
      `terraform/.terraform.lock.hcl: ${address} constraints are ${String(entry.constraints)}, not exactly ${pins.provider.version}`,
    );
  // h1: the unpacked package; zh: the official release zip's SHA-256 (linux_amd64 at least)
  if (!entry.hashes?.some((h) => /^h1:[A-Za-z0-9+/]{43}=$/.test(h)))
    problems.push(`terraform/.terraform.lock.hcl: ${address} has no h1: hash`);
  if (!entry.hashes?.some((h) => /^zh:[0-9a-f]{64}$/.test(h)))
    problems.push(`terraform/.terraform.lock.hcl: ${address} has no zh: hash`);
  return problems;
}

const versionsTf = readFileSync(repoPath("terraform", "versions.tf"), "utf8");
const lockHcl = readFileSync(repoPath("terraform", ".terraform.lock.hcl"), "utf8");
const pins: Pins = {
  opentofu: versions.opentofu.version,
  provider: { source: versions.bpgProvider.source, version: versions.bpgProvider.version },
};

/**
 * terraform/ pins the bpg provider exactly at versions.json's version, and its committed lock file
 * carries hashes of the official linux_amd64 release of that version. The integration tests prove
 * OpenTofu enforces the lock file; this test keeps the three copies of the version from drifting.
 */
describe("terraform/ provider pins agree with versions.json", () => {
  it("versions.tf, .terraform.lock.hcl and versions.json name the same bpg provider, and required_version admits the pinned OpenTofu", async () => {
    expect(await pinDrift(versionsTf, lockHcl, pins)).toEqual([]);
  });

  // the check itself must catch each kind of drift, or the test above proves nothing
  const bumped = `${pins.provider.version.split(".").slice(0, 2).join(".")}.${Number(pins.provider.version.split(".")[2] ?? 0) + 1}`;
  it.each([
    [
      "versions.json bumped alone",
      versionsTf,
      lockHcl,
      { ...pins, provider: { ...pins.provider, version: bumped } },
      [
        /versions\.tf: proxmox version is .*bpgProvider\.version is/,
        /lock\.hcl: .* version is .*bpgProvider\.version is/,
        /lock\.hcl: .* constraints are/,
      ],
    ],
    [
      "versions.tf bumped alone",
      versionsTf.replace(`"${pins.provider.version}"`, `"${bumped}"`),
      lockHcl,
      pins,
      [/versions\.tf: proxmox version is/],
    ],
    [
      "lock file left at another version",
      versionsTf,
      lockHcl.replaceAll(`"${pins.provider.version}"`, `"${bumped}"`),
      pins,
      [/lock\.hcl: .* version is/, /lock\.hcl: .* constraints are/],
    ],
    [
      "another provider source",
      versionsTf.replace(`"${pins.provider.source}"`, '"telmate/proxmox"'),
      lockHcl,
      pins,
      [/versions\.tf: proxmox source is telmate\/proxmox/],
    ],
    [
      "OpenTofu pin below required_version",
      versionsTf,
      lockHcl,
      { ...pins, opentofu: "1.6.2" },
      [/required_version .* does not admit .* 1\.6\.2/],
    ],
    [
      "lock file without hashes",
      versionsTf,
      lockHcl.replace(/hashes = \[[\s\S]*?\]/, "hashes = []"),
      pins,
      [/no h1: hash/, /no zh: hash/],
    ],
  ])("%s is caught", async (_what, tf, lock, p, expected) => {
    const problems = await pinDrift(tf, lock, p);
    expect(problems).toHaveLength(expected.length);
    for (const [i, re] of expected.entries()) expect(problems[i]).toMatch(re);
  });
});
