import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { booleanInput, integerInput, listInput, readInputs } from "../../../actions/lib/inputs.js";

const schema = z.object({
  cluster: z.string(),
  "allow-replace": booleanInput(false),
  parallelism: integerInput(4, 1),
  phases: listInput(),
});

const from = (values: Record<string, string>) => (name: string) => values[name] ?? "";

describe("readInputs", () => {
  it("parses action.yml-named inputs into a typed object", () => {
    expect(
      readInputs(
        schema,
        from({ cluster: "c.yaml", "allow-replace": "TRUE", parallelism: "8", phases: "a, b\nc" }),
      ),
    ).toEqual({
      cluster: "c.yaml",
      "allow-replace": true,
      parallelism: 8,
      phases: ["a", "b", "c"],
    });
  });

  it("applies defaults for empty inputs", () => {
    expect(readInputs(schema, from({ cluster: "c.yaml" }))).toEqual({
      cluster: "c.yaml",
      "allow-replace": false,
      parallelism: 4,
      phases: [],
    });
  });

  it.each([
    [
      { cluster: "c", "allow-replace": "yes" },
      "input 'allow-replace': expected true or false, got 'yes'",
    ],
    [
      { cluster: "c", parallelism: "0" },
      "input 'parallelism': expected a whole number ≥ 1, got '0'",
    ],
    [
      { cluster: "c", parallelism: "2.5" },
      "input 'parallelism': expected a whole number ≥ 1, got '2.5'",
    ],
    [{}, "input 'cluster':"],
  ])("rejects %j as a user mistake", (values, message) => {
    const attempt = () => readInputs(schema, from(values));
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(message);
  });
});
