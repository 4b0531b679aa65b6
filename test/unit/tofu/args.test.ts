import { describe, expect, test } from "vitest";
import { tofuArgs, type TofuCommand } from "../../../actions/lib/tofu/args.js";

describe("tofuArgs", () => {
  test.each<[string, TofuCommand, string[]]>([
    ["init, plain", { command: "init" }, ["init", "-input=false", "-no-color", "-reconfigure"]],
    [
      "init against the committed lock file, remote backend settings and early variables",
      {
        command: "init",
        lockfileReadonly: true,
        backendConfig: ["bucket=tofu-state", "key=clusters/prod.tfstate"],
        varFile: "/w/cluster.tfvars.json",
      },
      [
        "init",
        "-input=false",
        "-no-color",
        "-reconfigure",
        "-lockfile=readonly",
        "-backend-config=bucket=tofu-state",
        "-backend-config=key=clusters/prod.tfstate",
        "-var-file=/w/cluster.tfvars.json",
      ],
    ],
    [
      "init: a backend value with spaces stays one argument",
      { command: "init", backendConfig: ["path=/var/lib/pve kube/prod.tfstate"] },
      [
        "init",
        "-input=false",
        "-no-color",
        "-reconfigure",
        "-backend-config=path=/var/lib/pve kube/prod.tfstate",
      ],
    ],
    [
      "plan to a file",
      { command: "plan", out: "/w/plan.bin", varFile: "/w/cluster.tfvars.json" },
      [
        "plan",
        "-input=false",
        "-no-color",
        "-detailed-exitcode",
        "-var-file=/w/cluster.tfvars.json",
        "-out=/w/plan.bin",
      ],
    ],
    [
      "plan with lock timeout and parallelism",
      { command: "plan", out: "p", varFile: "v.json", lockTimeout: "5m", parallelism: 10 },
      [
        "plan",
        "-input=false",
        "-no-color",
        "-detailed-exitcode",
        "-lock-timeout=5m",
        "-parallelism=10",
        "-var-file=v.json",
        "-out=p",
      ],
    ],
    [
      "destroy plan without refresh",
      { command: "plan", out: "p", varFile: "v.json", destroy: true, refresh: false },
      [
        "plan",
        "-input=false",
        "-no-color",
        "-detailed-exitcode",
        "-destroy",
        "-refresh=false",
        "-var-file=v.json",
        "-out=p",
      ],
    ],
    [
      "apply exactly a saved plan",
      { command: "apply", planFile: "/w/plan.bin" },
      ["apply", "-input=false", "-no-color", "/w/plan.bin"],
    ],
    [
      "apply a saved plan with lock timeout and parallelism",
      { command: "apply", planFile: "plan.bin", lockTimeout: "10m", parallelism: 4 },
      ["apply", "-input=false", "-no-color", "-lock-timeout=10m", "-parallelism=4", "plan.bin"],
    ],
    [
      "show a plan as JSON",
      { command: "show", planFile: "plan.bin" },
      ["show", "-json", "-no-color", "plan.bin"],
    ],
    ["show the state as JSON", { command: "show" }, ["show", "-json", "-no-color"]],
    [
      "one output as JSON",
      { command: "output", name: "inventory" },
      ["output", "-json", "-no-color", "inventory"],
    ],
    ["version", { command: "version" }, ["version", "-json"]],
  ])("%s", (_name, cmd, expected) => {
    expect(tofuArgs(cmd)).toEqual(expected);
  });

  test("apply never auto-approves or re-plans: only the plan file is applied", () => {
    const args = tofuArgs({ command: "apply", planFile: "plan.bin" });
    expect(args).not.toContain("-auto-approve");
    expect(args.some((a) => a.startsWith("-var"))).toBe(false);
    expect(args.at(-1)).toBe("plan.bin");
  });
});
