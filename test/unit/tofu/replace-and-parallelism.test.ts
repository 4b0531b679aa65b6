import { describe, expect, it } from "vitest";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { tofuArgs } from "../../../actions/lib/tofu/args.js";
import { provisioningParallelism } from "../../../actions/tofu-provision/src/tofu-provision-action.js";
import { clusterYaml } from "../../../testkit/tofu-fixtures.js";

describe("rolling a node and choosing the parallelism", () => {
  it("plans -replace for each VM to re-create", () => {
    expect(
      tofuArgs({
        command: "plan",
        out: "p",
        varFile: "v.json",
        replace: ['proxmox_virtual_environment_vm.node["t-w-1"]'],
      }),
    ).toContain('-replace=proxmox_virtual_environment_vm.node["t-w-1"]');
  });

  it("auto works on every VM of the plan at once (the clone gate keeps clones apart), capped at 50", () => {
    const plan = (workers: number) =>
      parseClusterConfig(clusterYaml({ controlPlanes: 3, workers }), "cluster.yaml").plan;
    expect(provisioningParallelism("auto", plan(22))).toBe(25);
    expect(provisioningParallelism("auto", plan(80))).toBe(50);
    expect(provisioningParallelism(7, plan(22))).toBe(7);
  });
});
