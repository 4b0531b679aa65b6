import { describe, expect, it, test } from "vitest";
import type { PlanJson } from "../../../actions/lib/tofu/plan-json.js";
import { adoptedStatePatch, stateVms } from "../../../actions/lib/tofu/state-json.js";

const VM = "proxmox_virtual_environment_vm";

describe("stateVms (tofu show -json of the state)", () => {
  test.each<[string, unknown, { address: string; vmid: number; node?: string }[]]>([
    ["an empty state prints only the format version", { format_version: "1.0" }, []],
    ["a state without resources", { format_version: "1.0", values: { root_module: {} } }, []],
    [
      "the module's VMs, other resources and data sources ignored",
      {
        format_version: "1.0",
        terraform_version: "1.12.6",
        values: {
          outputs: {},
          root_module: {
            resources: [
              {
                address: `${VM}.node["t-cp-1"]`,
                mode: "managed",
                type: VM,
                name: "node",
                index: "t-cp-1",
                values: { vm_id: 1000, node_name: "pve1" },
              },
              {
                address: `${VM}.node["t-w-1"]`,
                mode: "managed",
                type: VM,
                name: "node",
                index: "t-w-1",
                values: { vm_id: 1003, node_name: "pve1" },
              },
              {
                address: "data.proxmox_virtual_environment_vms.all",
                mode: "data",
                type: "proxmox_virtual_environment_vms",
                name: "all",
                values: {},
              },
              {
                address: "proxmox_virtual_environment_pool.p",
                mode: "managed",
                type: "proxmox_virtual_environment_pool",
                name: "p",
                values: { pool_id: "x" },
              },
            ],
            child_modules: [
              {
                resources: [
                  {
                    address: `module.extra.${VM}.x`,
                    mode: "managed",
                    type: VM,
                    name: "x",
                    values: { vm_id: 2000 },
                  },
                ],
              },
            ],
          },
        },
      },
      [
        { address: `${VM}.node["t-cp-1"]`, vmid: 1000, node: "pve1" },
        { address: `${VM}.node["t-w-1"]`, vmid: 1003, node: "pve1" },
        { address: `module.extra.${VM}.x`, vmid: 2000 },
      ],
    ],
  ])("%s", (_title, doc, expected) => expect(stateVms(JSON.stringify(doc))).toEqual(expected));

  it.each([
    ["not JSON", "Error: no state", /did not print JSON/],
    [
      "another format",
      JSON.stringify({ format_version: "2.0" }),
      /unsupported JSON state format 2.0/,
    ],
  ])("refuses %s", (_title, text, message) => expect(() => stateVms(text)).toThrow(message));
});

/** What `tofu import` leaves for a cloned VM: no clone block, the template's serial console read in. */
function importedState() {
  return {
    version: 4,
    terraform_version: "1.12.6",
    serial: 7,
    lineage: "0b1c",
    outputs: {},
    resources: [
      {
        mode: "managed",
        type: VM,
        name: "node",
        provider: 'provider["registry.opentofu.org/bpg/proxmox"]',
        instances: [
          {
            index_key: "t-cp-1",
            schema_version: 0,
            attributes: {
              id: "1000",
              vm_id: 1000,
              clone: [],
              serial_device: [],
              tags: ["cluster-t"],
            },
          },
          {
            index_key: "t-cp-2",
            schema_version: 0,
            attributes: {
              id: "1001",
              vm_id: 1001,
              clone: [],
              serial_device: [{ device: "socket" }],
              usb: [{ host: "1-1" }],
              tags: ["cluster-t"],
              ipv4_addresses: [["10.0.20.12"]],
              agent: [{ enabled: true, timeout: "15m", trim: false }],
              timeout_clone: 1800,
              timeout_create: 1800,
            },
          },
        ],
      },
    ],
    check_results: null,
  };
}

const CLONE = [{ vm_id: 9000, node_name: "pve1", full: false, retries: 3, datastore_id: "" }];

/** A plan made right after the import: it wants to replace t-cp-2 because of the clone block. */
const plan = {
  format_version: "1.2",
  resource_changes: [
    {
      address: `${VM}.node["t-cp-2"]`,
      type: VM,
      name: "node",
      index: "t-cp-2",
      change: {
        actions: ["delete", "create"],
        before: { clone: [], serial_device: [{ device: "socket" }] },
        after: {
          clone: CLONE,
          serial_device: [],
          usb: [],
          tags: ["cluster-t"],
          ipv4_addresses: [],
          agent: [{ enabled: true, timeout: "10m", trim: false }],
          timeout_clone: 600,
          timeout_create: 1800,
        },
        after_unknown: { ipv4_addresses: true },
      },
    },
  ],
} satisfies PlanJson;

describe("adoptedStatePatch", () => {
  it("sets the configured clone block and timeouts, and empties inherited blocks the configuration does not declare, on the adopted VM only", () => {
    const { state, patched } = adoptedStatePatch(JSON.stringify(importedState()), plan, [
      `${VM}.node["t-cp-2"]`,
    ]);
    const doc = JSON.parse(state) as ReturnType<typeof importedState>;
    expect(patched).toEqual([`${VM}.node["t-cp-2"]`]);
    expect(doc.serial).toBe(8);
    expect(doc.lineage).toBe("0b1c");
    const [cp1, cp2] = doc.resources[0]!.instances;
    // the guest agent's wait timeout and timeout_* are the provider's own: taken from the configuration
    expect(cp2!.attributes).toEqual({
      id: "1001",
      vm_id: 1001,
      clone: CLONE,
      serial_device: [],
      usb: [],
      tags: ["cluster-t"],
      ipv4_addresses: [["10.0.20.12"]],
      agent: [{ enabled: true, timeout: "10m", trim: false }],
      timeout_clone: 600,
      timeout_create: 1800,
    });
    // another instance is left exactly as it was
    expect(cp1).toEqual(importedState().resources[0]!.instances[0]);
  });

  it("patches nothing for an address the plan does not mention, but still hands back a newer serial", () => {
    const { state, patched } = adoptedStatePatch(JSON.stringify(importedState()), plan, [
      `${VM}.node["t-cp-1"]`,
    ]);
    expect(patched).toEqual([]);
    expect((JSON.parse(state) as { resources: unknown }).resources).toEqual(
      importedState().resources,
    );
  });

  it("refuses a state format it does not know", () => {
    expect(() =>
      adoptedStatePatch(JSON.stringify({ ...importedState(), version: 3 }), plan, []),
    ).toThrow(/unsupported OpenTofu state version 3/);
  });
});
