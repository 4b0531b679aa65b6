import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { repoPath } from "../../helpers/repo.js";

/** The pins quoted in docs/cluster-yaml.md must be the ones in versions.json (they drifted once). */
const versions = JSON.parse(readFileSync(repoPath("versions.json"), "utf8")) as {
  kubernetes: { default: string; supportedMinors: string[] };
  cilium: { kubernetesMinors: Record<string, string[]> };
};
const doc = readFileSync(repoPath("docs/cluster-yaml.md"), "utf8").replace(/\s+/g, " ");

describe("docs/cluster-yaml.md quotes versions.json", () => {
  it("the default Kubernetes version and the supported minors", () => {
    expect(doc).toContain(`(now ${versions.kubernetes.default})`);
    expect(doc).toContain(`(now ${versions.kubernetes.supportedMinors.join(", ")})`);
  });

  it("the Cilium ↔ Kubernetes table", () => {
    for (const [cilium, minors] of Object.entries(versions.cilium.kubernetesMinors)) {
      expect(doc).toContain(`${cilium} → ${minors[0] ?? ""}–${minors.at(-1) ?? ""}`);
    }
  });
});
