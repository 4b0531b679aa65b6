import { describe, expect, test } from "vitest";
import { parsePlanJson } from "../../../actions/lib/tofu/plan-json.js";
import {
  changeAction,
  summarisePlan,
  vmsByRole,
  type VmRole,
} from "../../../actions/lib/tofu/plan-summary.js";
import { countsLine, planLogLines, planMarkdown } from "../../../actions/lib/tofu/plan-report.js";

/** A VM as the bpg provider's state shows it (the attributes the summary reads, plus some). */
function vm(
  name: string,
  role: "control-plane" | "worker",
  vmid: number,
  extra: Record<string, unknown> = {},
) {
  return {
    name,
    vm_id: vmid,
    node_name: "pve1",
    tags: ["cluster-t", "pve-kube", `role-${role}`],
    description: `Managed by pve-kube. cluster=t uid=abc role=${role}`,
    memory: [{ dedicated: 2048 }],
    ...extra,
  };
}

function change(
  name: string,
  actions: string[],
  before: unknown,
  after: unknown,
  more: Record<string, unknown> = {},
) {
  return {
    address: `proxmox_virtual_environment_vm.node["${name}"]`,
    mode: "managed",
    type: "proxmox_virtual_environment_vm",
    name: "node",
    index: name,
    provider_name: "registry.opentofu.org/bpg/proxmox",
    change: { actions, before, after, after_unknown: {}, ...more },
  };
}

function plan(changes: unknown[], extra: Record<string, unknown> = {}) {
  return parsePlanJson(
    JSON.stringify({
      format_version: "1.2",
      terraform_version: "1.10.10",
      resource_changes: changes,
      ...extra,
    }),
  );
}

describe("changeAction", () => {
  test.each([
    [["no-op"], undefined],
    [["read"], undefined],
    [["forget"], undefined],
    [["create"], "create"],
    [["update"], "update"],
    [["delete"], "delete"],
    [["delete", "create"], "replace"],
    [["create", "delete"], "replace"],
  ])("%j → %s", (actions, expected) => {
    expect(changeAction(actions)).toBe(expected);
  });
});

describe("summarisePlan", () => {
  test("no changes: only no-ops", () => {
    const s = summarisePlan(
      plan([
        change(
          "t-cp-1",
          ["no-op"],
          vm("t-cp-1", "control-plane", 1000),
          vm("t-cp-1", "control-plane", 1000),
        ),
      ]),
    );
    expect(s).toMatchObject({
      hasChanges: false,
      counts: { create: 0, update: 0, replace: 0, delete: 0 },
      vms: [],
    });
    expect(planLogLines(s)).toEqual(["No changes: the VMs match the plan."]);
  });

  test("scale-up: two creates, roles from the var file", () => {
    const roles = new Map<string, VmRole>([
      ["t-w-3", "worker"],
      ["t-w-4", "worker"],
    ]);
    const s = summarisePlan(
      plan([
        change("t-w-3", ["create"], null, { name: "t-w-3", vm_id: 1004 }),
        change("t-w-4", ["create"], null, { name: "t-w-4", vm_id: 1005 }),
      ]),
      roles,
    );
    expect(s.counts).toEqual({ create: 2, update: 0, replace: 0, delete: 0 });
    expect(s.vms.map((v) => [v.name, v.role, v.action, v.vmid])).toEqual([
      ["t-w-3", "worker", "create", 1004],
      ["t-w-4", "worker", "create", 1005],
    ]);
  });

  test("deletes and replaces come first (control planes first), then creates and updates; numeric name order", () => {
    const s = summarisePlan(
      plan([
        change("t-w-10", ["create"], null, { name: "t-w-10" }),
        change(
          "t-w-2",
          ["update"],
          vm("t-w-2", "worker", 1003),
          vm("t-w-2", "worker", 1003, { memory: [{ dedicated: 4096 }] }),
        ),
        change("t-w-9", ["create"], null, { name: "t-w-9" }),
        change("t-w-4", ["delete"], vm("t-w-4", "worker", 1005), null),
        change(
          "t-cp-2",
          ["delete", "create"],
          vm("t-cp-2", "control-plane", 1001),
          vm("t-cp-2", "control-plane", 1001, { node_name: "pve3" }),
          { replace_paths: [["node_name"]] },
        ),
        change("t-w-3", ["delete"], vm("t-w-3", "worker", 1004), null),
      ]),
    );
    expect(s.vms.map((v) => `${v.action} ${v.name}`)).toEqual([
      "delete t-w-3",
      "delete t-w-4",
      "replace t-cp-2",
      "create t-w-9",
      "create t-w-10",
      "update t-w-2",
    ]);
    expect(s.counts).toEqual({ create: 2, update: 1, replace: 1, delete: 2 });
    expect(s.vms.find((v) => v.name === "t-cp-2")).toMatchObject({
      role: "control-plane",
      replaceBecause: ["node_name"],
      changedAttributes: ["node_name"],
    });
    expect(s.vms.find((v) => v.name === "t-w-2")?.changedAttributes).toEqual(["memory"]);
    // a VM that leaves the plan is recognised by its role tag
    expect(s.vms.find((v) => v.name === "t-w-4")).toMatchObject({
      role: "worker",
      vmid: 1005,
      node: "pve1",
    });
    // the new VMs have no tags yet and no role was given for them
    expect([...vmsByRole(s).keys()]).toEqual(["control-plane", "worker", "unknown"]);
  });

  test("unknown-after attributes are not listed as changes", () => {
    const before = vm("t-w-1", "worker", 1002, { ipv4_addresses: [["10.0.0.5"]] });
    const after = vm("t-w-1", "worker", 1002, { cpu: [{ cores: 4 }] });
    const s = summarisePlan(
      plan([
        change("t-w-1", ["update"], { ...before, cpu: [{ cores: 2 }] }, after, {
          after_unknown: { ipv4_addresses: true },
        }),
      ]),
    );
    expect(s.vms[0]?.changedAttributes).toEqual(["cpu"]);
  });

  test("non-VM resources, data reads, output changes and drift are reported separately", () => {
    const s = summarisePlan(
      plan(
        [
          {
            address: "data.x.y",
            mode: "data",
            type: "x",
            name: "y",
            change: { actions: ["read"] },
          },
          {
            address: "proxmox_virtual_environment_pool.k8s",
            mode: "managed",
            type: "proxmox_virtual_environment_pool",
            name: "k8s",
            change: { actions: ["create"], before: null, after: {} },
          },
        ],
        {
          output_changes: { inventory: { actions: ["update"] }, unchanged: { actions: ["no-op"] } },
          resource_drift: [
            change(
              "t-w-1",
              ["update"],
              vm("t-w-1", "worker", 1002),
              vm("t-w-1", "worker", 1002, { tags: [] }),
            ),
          ],
        },
      ),
    );
    expect(s.others).toEqual([
      { address: "proxmox_virtual_environment_pool.k8s", action: "create" },
    ]);
    expect(s.counts.create).toBe(1);
    expect(s.outputChanges).toEqual(["inventory"]);
    expect(s.drifted).toEqual(["t-w-1"]);
  });

  test("an errored plan is flagged", () => {
    expect(summarisePlan(plan([], { errored: true })).errored).toBe(true);
  });
});

describe("parsePlanJson", () => {
  test.each([
    ["not JSON", "Plan: 1 to add", /did not print JSON/],
    ["not a plan", JSON.stringify({ hello: 1 }), /unexpected document/],
    [
      "a future major format",
      JSON.stringify({ format_version: "2.0" }),
      /unsupported JSON plan format 2.0/,
    ],
  ])("refuses %s", (_name, text, message) => {
    expect(() => parsePlanJson(text)).toThrow(message);
  });
});

describe("plan report", () => {
  const s = summarisePlan(
    plan([
      change("t-w-3", ["delete"], vm("t-w-3", "worker", 1004), null),
      change("t-w-4", ["delete"], vm("t-w-4", "worker", 1005), null),
      change("t-w-5", ["create"], null, { name: "t-w-5" }),
    ]),
    new Map([["t-w-5", "worker" as const]]),
  );

  test("the log puts deletes first and loud", () => {
    expect(planLogLines(s)).toEqual([
      "Plan: +1 create, ~0 update, ±0 replace, −2 delete",
      "  DELETE worker t-w-3 (VMID 1004 on pve1)",
      "  DELETE worker t-w-4 (VMID 1005 on pve1)",
      "  + create worker t-w-5",
    ]);
  });

  test("the Markdown opens with a caution block that asks for approval, then counts and a table per role", () => {
    const md = planMarkdown(s, { cluster: "t", mode: "plan", sha256: "ab".repeat(32) });
    expect(md.startsWith("> [!CAUTION]")).toBe(true);
    expect(md).toContain("**2 VMs will be deleted or replaced** — this needs approval");
    expect(md.indexOf("CAUTION")).toBeLessThan(md.indexOf(countsLine(s)));
    expect(md).toContain("#### Workers");
    expect(md).toContain(`| − | t-w-3 | delete | 1004 | pve1 |  |`);
    expect(md).toContain(`Plan SHA-256: \`${"ab".repeat(32)}\``);
  });

  test("after apply the block says what happened, without asking", () => {
    const md = planMarkdown(s, { cluster: "t", mode: "apply", applied: true });
    expect(md).toContain("**2 VMs were deleted or replaced**:");
    expect(md).not.toContain("needs approval");
    expect(md).toContain("**Applied:**");
  });
});
