import { describe, expect, test } from "vitest";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import {
  assertNoControlPlaneLoss,
  assertOwnership,
  ownershipProblems,
} from "../../../actions/lib/tofu/plan-gate.js";
import { parsePlanJson } from "../../../actions/lib/tofu/plan-json.js";
import { summarisePlan } from "../../../actions/lib/tofu/plan-summary.js";

const owned = (role: string, vmid: number) => ({
  vm_id: vmid,
  node_name: "pve1",
  tags: ["cluster-t", "pve-kube", `role-${role}`],
  description: `Managed by pve-kube. cluster=t uid=abc123 role=${role} pool=x`,
});

function rc(name: string, actions: string[], before: unknown) {
  return {
    address: `proxmox_virtual_environment_vm.node["${name}"]`,
    mode: "managed",
    type: "proxmox_virtual_environment_vm",
    name: "node",
    index: name,
    change: { actions, before, after: actions.includes("create") ? before : null },
  };
}

const plan = (...changes: unknown[]) =>
  parsePlanJson(JSON.stringify({ format_version: "1.2", resource_changes: changes }));

describe("control-plane protection", () => {
  test.each([
    ["a worker delete passes", [rc("t-w-1", ["delete"], owned("worker", 1002))], false, undefined],
    [
      "a control-plane update passes",
      [rc("t-cp-1", ["update"], owned("control-plane", 1000))],
      false,
      undefined,
    ],
    [
      "a control-plane delete is refused",
      [rc("t-cp-3", ["delete"], owned("control-plane", 1002))],
      false,
      /would delete or replace control-plane VM: t-cp-3 \(delete\).*allow-replace: true/,
    ],
    [
      "a control-plane replace is refused",
      [rc("t-cp-1", ["delete", "create"], owned("control-plane", 1000))],
      false,
      /would replace control-plane VM: t-cp-1 \(replace\)/,
    ],
    [
      "two are named together",
      [
        rc("t-cp-1", ["create", "delete"], owned("control-plane", 1000)),
        rc("t-cp-2", ["delete"], owned("control-plane", 1001)),
      ],
      false,
      /VMs: t-cp-2 \(delete\), t-cp-1 \(replace\)/,
    ],
    [
      "allow-replace lets a control-plane replace through",
      [rc("t-cp-1", ["delete", "create"], owned("control-plane", 1000))],
      true,
      undefined,
    ],
    [
      "replacing a half-created (tainted) control plane finishes its create",
      [
        {
          ...rc("t-cp-2", ["delete", "create"], owned("control-plane", 1001)),
          action_reason: "replace_because_tainted",
        },
      ],
      false,
      undefined,
    ],
    [
      "a tainted control plane that leaves the config is still a loss",
      [
        {
          ...rc("t-cp-2", ["delete"], owned("control-plane", 1001)),
          action_reason: "delete_because_no_resource_config",
        },
      ],
      false,
      /t-cp-2 \(delete\)/,
    ],
  ])("%s", (_name, changes, allowReplace, error) => {
    const summary = summarisePlan(plan(...changes));
    const check = () => assertNoControlPlaneLoss(summary, { allowReplace });
    if (error) {
      expect(check).toThrow(ConfigurationError);
      expect(check).toThrow(error);
    } else expect(check).not.toThrow();
  });
});

describe("ownership of deleted, replaced and updated VMs", () => {
  test.each([
    ["owned VM", owned("worker", 1002), []],
    [
      "missing the cluster tag",
      { ...owned("worker", 1002), tags: ["pve-kube", "role-worker"] },
      ["missing tag cluster-t (has: pve-kube, role-worker)"],
    ],
    [
      "another cluster's VM",
      { ...owned("worker", 1002), tags: ["pve-kube", "cluster-other"] },
      ["missing tag cluster-t (has: pve-kube, cluster-other)"],
    ],
    [
      "no tags and no uid",
      { vm_id: 1002, tags: [], description: "" },
      ["missing tags pve-kube, cluster-t (has: none); its description does not carry uid=abc123"],
    ],
    [
      "another uid (same name, other endpoint)",
      {
        ...owned("worker", 1002),
        description: "Managed by pve-kube. cluster=t uid=ffffff role=worker",
      },
      ["its description does not carry uid=abc123"],
    ],
    [
      "a uid that only starts the same",
      { ...owned("worker", 1002), description: "cluster=t uid=abc1234" },
      ["its description does not carry uid=abc123"],
    ],
  ])("%s", (_name, before, reasons) => {
    const problems = ownershipProblems(plan(rc("t-w-1", ["delete"], before)), "t", "abc123");
    expect(problems.map((p) => p.reason)).toEqual(reasons);
  });

  test("an in-place update proves ownership too: a state entry pointing at a foreign VM changes nothing", () => {
    const foreign = { vm_id: 1002, tags: ["db"], description: "the finance database" };
    expect(
      ownershipProblems(plan(rc("t-w-1", ["update"], foreign)), "t", "abc123").map((p) => p.reason),
    ).toEqual(["its description does not carry uid=abc123"]);
    // our own VM whose tags someone removed: the update that restores them is allowed (uid proves it)
    const ours = { ...owned("worker", 1002), tags: [] };
    expect(ownershipProblems(plan(rc("t-w-1", ["update"], ours)), "t", "abc123")).toEqual([]);
  });

  test("a half-created VM from a failed apply (tainted) proves itself by the uid alone", () => {
    const halfCreated = {
      vm_id: 1002,
      tags: [],
      description: "Managed by pve-kube. cluster=t uid=abc123 role=worker",
    };
    const byReason = {
      ...rc("t-w-1", ["delete", "create"], halfCreated),
      action_reason: "replace_because_tainted",
    };
    expect(ownershipProblems(plan(byReason), "t", "abc123")).toEqual([]);
    const priorState = {
      values: {
        root_module: {
          resources: [{ address: 'proxmox_virtual_environment_vm.node["t-w-1"]', tainted: true }],
        },
      },
    };
    const removed = parsePlanJson(
      JSON.stringify({
        format_version: "1.2",
        resource_changes: [rc("t-w-1", ["delete"], halfCreated)],
        prior_state: priorState,
      }),
    );
    expect(ownershipProblems(removed, "t", "abc123")).toEqual([]);
    // without the uid even a tainted VM is not ours to delete, and the message says what to do
    const noUid = {
      ...rc("t-w-1", ["delete", "create"], { vm_id: 1002, tags: [] }),
      action_reason: "replace_because_tainted",
    };
    expect(ownershipProblems(plan(noUid), "t", "abc123").map((p) => p.reason)).toEqual([
      "its description does not carry uid=abc123 (a half-created VM from a failed apply: check it, then delete it by hand or `tofu state rm` it)",
    ]);
  });

  test("creates are not ownership-checked (nothing exists yet)", () => {
    expect(ownershipProblems(plan(rc("t-w-2", ["create"], null)), "t", "abc123")).toEqual([]);
  });

  test("the refusal names every VM with its VMID and the fix", () => {
    expect(() =>
      assertOwnership(
        plan(
          rc("t-w-1", ["delete"], { vm_id: 1002, tags: ["pve-kube"], description: "uid=abc123" }),
        ),
        "t",
        "abc123",
      ),
    ).toThrow(
      /refusing to delete VMs that do not prove they belong to cluster 't' \(uid abc123\): proxmox_virtual_environment_vm.node\["t-w-1"\] \(VMID 1002\): missing tag cluster-t.*check that the OpenTofu state/,
    );
  });
});
