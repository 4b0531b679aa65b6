import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  clusterJsonSchema,
  loadClusterConfig,
  parseClusterConfig,
} from "../../../actions/lib/config/index.js";
import { renderPlanText } from "../../../actions/lib/report/cluster-plan.js";
import { repoPath } from "../../helpers/repo.js";

/** docs/cluster-yaml.md must stay true: its example validates, its output excerpt is real, it names every field. */
const doc = readFileSync(repoPath("docs", "cluster-yaml.md"), "utf8");

/** The fenced code blocks of the document with their info string, read line by line. */
function fencedBlocks(language: string): string[] {
  const blocks: { language: string; lines: string[] }[] = [];
  let open: { language: string; lines: string[] } | undefined;
  for (const line of doc.split("\n")) {
    if (line.startsWith("```")) {
      if (open) {
        blocks.push(open);
        open = undefined;
      } else open = { language: line.slice(3).trim(), lines: [] };
    } else open?.lines.push(line);
  }
  return blocks.filter((b) => b.language === language).map((b) => b.lines.join("\n"));
}

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
}

/** Every leaf field (and top-level section) of the JSON Schema, relative to its top-level section ("tls.fingerprint" under proxmox). */
function fieldNames(node: SchemaNode, path: string[] = []): string[] {
  const nested = [...(node.oneOf ?? []), ...(node.anyOf ?? [])];
  if (nested.length > 0) return nested.flatMap((n) => fieldNames(n, path));
  if (node.type === "array" && node.items) return fieldNames(node.items, path);
  if (node.type !== "object" || !node.properties) return [];
  return Object.entries(node.properties).flatMap(([key, child]) => {
    const here = [...path, key];
    const name = (here.length === 1 ? here : here.slice(1)).join(".");
    const inner = fieldNames(child, here);
    // a mapping is documented through its fields; sections and leaves by their own name
    return here.length === 1 || inner.length === 0 ? [name, ...inner] : inner;
  });
}

describe("docs/cluster-yaml.md", () => {
  it("has a quick-start example that validates", () => {
    const yaml = fencedBlocks("yaml")[0] ?? "";
    expect(yaml).toContain("apiVersion: pve-kube/v1");
    expect(() => parseClusterConfig(yaml, "quick-start.yaml")).not.toThrow();
  });

  it("shows lines of `pve-kube plan` that the HA example really prints", async () => {
    const excerpt = fencedBlocks("").find((block) => block.startsWith("Cluster plan — ")) ?? "";
    const real = renderPlanText(
      (await loadClusterConfig(repoPath("workflows-examples", "clusters", "ha", "cluster.yaml")))
        .plan,
    ).split("\n");
    const shown = excerpt.split("\n").filter((line) => line !== "…");
    expect(shown.length).toBeGreaterThan(10);
    for (const line of shown) expect(real).toContain(line);
  });

  it("documents every field of the schema", () => {
    const names = [...new Set(fieldNames(clusterJsonSchema()))];
    expect(names.length).toBeGreaterThan(80);
    const missing = names.filter((name) => !doc.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
