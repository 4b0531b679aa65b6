import { describe, expect, it } from "vitest";
import { ConfigurationError, ConfigurationErrors } from "../../../actions/lib/errors.js";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { BASE_CONFIG } from "./base-config.js";
import { INVALID_CASES } from "./invalid-cases.js";

const FILE = "clusters/demo/cluster.yaml";

function errorLines(text: string): string[] {
  try {
    parseClusterConfig(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).message.split("\n");
  }
  throw new Error("the config was accepted");
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("cluster.yaml validation", () => {
  it("accepts the base config", () => {
    expect(parseClusterConfig(BASE_CONFIG, FILE).plan.vms).toHaveLength(5);
  });

  it("has at least 30 distinct invalid cases", () => {
    expect(new Set(INVALID_CASES.map((c) => c.name)).size).toBe(INVALID_CASES.length);
    expect(INVALID_CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(INVALID_CASES)("rejects: $name", ({ apply, line, col, path, message }) => {
    const lines = errorLines(apply(BASE_CONFIG));
    const where = `${escape(FILE)}:${line}:${col}: ${path ? `${escape(path)}: ` : ""}`;
    expect(lines, lines.join("\n")).toContainEqual(
      expect.stringMatching(new RegExp(`^${where}.*${escape(message)}`)),
    );
    for (const l of lines) expect(l).toMatch(/^clusters\/demo\/cluster\.yaml:\d+:\d+: .+ — .+/);
  });

  it("reports every problem at once, in file order", () => {
    const text = BASE_CONFIG.replace("count: 3", "count: 4")
      .replace("gateway: 10.0.20.1", "gateway: 10.0.21.1")
      .replace("cores: 2\n", "cores: 1\n");
    const error = (() => {
      try {
        parseClusterConfig(text, FILE);
      } catch (e) {
        return e as ConfigurationErrors;
      }
      throw new Error("accepted");
    })();
    expect(error).toBeInstanceOf(ConfigurationErrors);
    expect(error.errors.map((e) => e.location?.path)).toEqual([
      "network.gateway",
      "controlPlane.count",
      "controlPlane.cores",
    ]);
  });

  it("never prints a stack trace for a user mistake", () => {
    const lines = errorLines(BASE_CONFIG.replace("name: demo", "name: Bad_Name"));
    expect(lines.join("\n")).not.toMatch(/\n\s+at /);
  });
});
