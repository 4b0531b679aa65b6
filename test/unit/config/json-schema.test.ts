import { readFileSync, readdirSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { clusterJsonSchemaText } from "../../../actions/lib/config/index.js";
import { repoPath } from "../../helpers/repo.js";
import { BASE_CONFIG } from "./base-config.js";
import { INVALID_CASES } from "./invalid-cases.js";

const committed = readFileSync(repoPath("schema", "cluster.schema.json"), "utf8");
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(committed) as object);
const examples = readdirSync(repoPath("workflows-examples", "clusters")).map((dir) =>
  repoPath("workflows-examples", "clusters", dir, "cluster.yaml"),
);

describe("committed JSON Schema", () => {
  it("is current (regenerate with `npm run schema`)", () => {
    expect(committed).toBe(clusterJsonSchemaText());
  });

  it.each(examples)("accepts example %s", (file) => {
    expect(validate(parse(readFileSync(file, "utf8"))), JSON.stringify(validate.errors)).toBe(true);
  });

  it("accepts the base config of the invalid table", () => {
    expect(validate(parse(BASE_CONFIG))).toBe(true);
  });

  // Structural mistakes are caught by both zod and the JSON Schema, so editors flag them too.
  it.each(INVALID_CASES.filter((c) => c.kind === "structure"))(
    "rejects structural mistake: $name",
    ({ apply }) => {
      expect(validate(parse(apply(BASE_CONFIG)))).toBe(false);
    },
  );

  // Cross-field rules (overlapping CIDRs, odd counts, version support …) cannot be expressed in
  // JSON Schema; only `pve-kube validate` and the actions enforce them. This documents the split.
  it.each(INVALID_CASES.filter((c) => c.kind === "rule"))(
    "leaves cross-field rule to pve-kube validate: $name",
    ({ apply }) => {
      expect(validate(parse(apply(BASE_CONFIG)))).toBe(true);
    },
  );

  it("starts every example with a yaml-language-server modeline pointing at the schema", () => {
    for (const file of examples) {
      expect(readFileSync(file, "utf8").split("\n")[0]).toBe(
        "# yaml-language-server: $schema=../../../schema/cluster.schema.json",
      );
    }
  });
});
