import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { AVAILABLE_PHASES, parsePhaseSelection } from "../../../actions/lib/state/index.js";

describe("the phases input", () => {
  it.each([
    ["all", [...AVAILABLE_PHASES]],
    ["", [...AVAILABLE_PHASES]],
    [" ALL ", [...AVAILABLE_PHASES]],
    ["preflight", ["preflight"]],
    ["tofu-provision, preflight", ["preflight", "tofu-provision"]],
    ["build-template\ntofu-provision", ["preflight", "build-template", "tofu-provision"]],
    ["tofu-provision", ["preflight", "tofu-provision"]],
    ["preflight preflight", ["preflight"]],
    ["verify, deploy-services", ["preflight", "deploy-services", "verify"]],
  ])("%j → %j", (text, phases) => {
    expect(parsePhaseSelection(text)).toEqual(phases);
  });

  it.each([
    ["build-templte", /'build-templte' is not a phase \(did you mean 'build-template'\?\)/],
    ["nonsense,preflight", /'nonsense' is not a phase/],
  ])("%j is refused with a reason and the fix", (text, message) => {
    let error: unknown;
    try {
      parsePhaseSelection(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
    expect((error as ConfigurationError).fix).toMatch(
      /use 'all' or a comma-separated list of preflight, build-template, tofu-provision/,
    );
  });
});
