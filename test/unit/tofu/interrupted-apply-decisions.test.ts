import { describe, expect, it, test } from "vitest";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import {
  assertNoConflicts,
  lockedRemovalsError,
  reconcileDecisions,
  vmAddress,
  vmImportId,
  type Decision,
  type ObservedVm,
  type PlannedSlot,
  type ReconcileFacts,
  type TaskFact,
} from "../../../actions/lib/tofu/interrupted-apply-decisions.js";
import { tofuArgs } from "../../../actions/lib/tofu/args.js";

const UID = "c0ffee12";
const TOKEN = "root@pam!pve-kube";
const CP1: PlannedSlot = {
  name: "t-cp-1",
  vmid: 1000,
  node: "pve1",
  tags: ["pve-kube", "cluster-t", "role-control-plane"],
};
const CP2: PlannedSlot = {
  name: "t-cp-2",
  vmid: 1001,
  node: "pve2",
  tags: ["pve-kube", "cluster-t", "role-control-plane"],
};
const W1: PlannedSlot = {
  name: "t-w-1",
  vmid: 1003,
  node: "pve1",
  tags: ["pve-kube", "cluster-t", "role-worker"],
};
const DESCRIPTION = `Managed by pve-kube. cluster=t uid=${UID} role=control-plane pool=control-plane`;

/** A VM as the module leaves it once configured. */
const complete = (over: Partial<ObservedVm> = {}): ObservedVm => ({
  vmid: 1000,
  node: "pve1",
  template: false,
  name: "t-cp-1",
  description: DESCRIPTION,
  tags: ["cluster-t", "pve-kube", "role-control-plane"],
  status: "running",
  hasDisks: true,
  ...over,
});
/** What a clone killed before its first disk leaves: the lock and nothing else. */
const reservation = (vmid = 1000, over: Partial<ObservedVm> = {}): ObservedVm => ({
  vmid,
  node: "pve1",
  template: false,
  tags: [],
  lock: "clone",
  status: "stopped",
  hasDisks: false,
  ...over,
});
const failedClone: TaskFact = {
  type: "qmclone",
  id: "9000",
  user: TOKEN,
  running: false,
  exitStatus: "unexpected status",
};

function facts(observed: ObservedVm[], over: Partial<ReconcileFacts> = {}): ReconcileFacts {
  return {
    cluster: "t",
    uid: UID,
    tokenId: TOKEN,
    templateVmid: 9000,
    planned: [CP1],
    stateVmids: new Set(),
    observed: new Map(observed.map((o) => [o.vmid, o])),
    tasks: [],
    ...over,
  };
}
const kinds = (decisions: Decision[]) => decisions.map((d) => d.kind);

describe("reconcileDecisions", () => {
  test.each<[string, ObservedVm[], Partial<ReconcileFacts>, Decision["kind"], RegExp?]>([
    ["in the state: OpenTofu's business", [complete()], { stateVmids: new Set([1000]) }, "managed"],
    ["in the state even when locked", [reservation()], { stateVmids: new Set([1000]) }, "managed"],
    ["not on Proxmox: the plan creates it", [], {}, "absent"],
    [
      "complete, configured, running: adopt",
      [complete()],
      {},
      "adopt",
      /complete but missing from the state/,
    ],
    [
      "complete and configured but never started: adopt (the plan starts it)",
      [complete({ status: "stopped" })],
      {},
      "adopt",
    ],
    [
      "cloned but never configured (template tags, stopped): remove",
      [complete({ tags: ["cluster-t", "pve-kube", "pve-kube-template"], status: "stopped" })],
      {},
      "remove",
      /never configured/,
    ],
    [
      "cloned but never configured (no tags at all): remove",
      [complete({ tags: [], status: "stopped" })],
      {},
      "remove",
    ],
    [
      "half-made clone with name and uid, lock clone, no task running: remove",
      [complete({ lock: "clone", tags: [], status: "stopped", hasDisks: false })],
      {},
      "remove",
      /lock clone.*name and uid/,
    ],
    [
      "half-made create with name and uid: remove",
      [complete({ lock: "create", tags: [], status: "stopped" })],
      {},
      "remove",
    ],
    [
      "empty clone reservation with a failed clone of the template by this token: remove",
      [reservation()],
      { tasks: [failedClone] },
      "remove",
      /empty reservation of an interrupted clone of template 9000/,
    ],
    [
      "empty create reservation with a failed create of that VMID by this token: remove",
      [reservation(1000, { lock: "create" })],
      {
        tasks: [
          {
            type: "qmcreate",
            id: "1000",
            user: TOKEN,
            running: false,
            exitStatus: "unexpected status",
          },
        ],
      },
      "remove",
      /interrupted create/,
    ],
    [
      "locked while a clone task runs: wait",
      [reservation()],
      { tasks: [{ type: "qmclone", id: "9000", user: "someone@pve", running: true }] },
      "wait",
      /still running/,
    ],
    [
      "locked while a task of that VMID runs: wait",
      [complete({ lock: "create" })],
      { tasks: [{ type: "qmcreate", id: "1000", user: "someone@pve", running: true }] },
      "wait",
    ],
  ])("%s", (_title, observed, over, kind, reason) => {
    const [decision] = reconcileDecisions(facts(observed, over));
    expect(decision?.kind).toBe(kind);
    if (reason) expect((decision as { reason: string }).reason).toMatch(reason);
  });

  test.each<[string, ObservedVm[], Partial<ReconcileFacts>, RegExp]>([
    [
      "a VM with another name",
      [complete({ name: "web-1" })],
      {},
      /already used by a VM that is not this cluster's: its name is not 't-cp-1'/,
    ],
    [
      "our name without our uid (another cluster of the same name)",
      [complete({ description: "Managed by pve-kube. cluster=t uid=deadbeef" })],
      {},
      /description does not carry uid=c0ffee12/,
    ],
    [
      "the cluster tags alone (every clone copies them from the template)",
      [complete({ name: "t-cp-1", description: undefined, tags: ["cluster-t", "pve-kube"] })],
      {},
      /does not carry uid/,
    ],
    ["a template", [complete({ template: true })], {}, /is a template/],
    [
      "an empty reservation with no failed task of this token",
      [reservation()],
      {},
      /locked VM that does not prove/,
    ],
    [
      "an empty reservation whose failed clone was another token's",
      [reservation()],
      { tasks: [{ ...failedClone, user: "alice@pve!ci" }] },
      /does not prove/,
    ],
    [
      "an empty reservation whose clone of another template failed",
      [reservation()],
      { tasks: [{ ...failedClone, id: "8000" }] },
      /does not prove/,
    ],
    [
      "an empty reservation whose clone ended OK",
      [reservation()],
      { tasks: [{ ...failedClone, exitStatus: "OK" }] },
      /does not prove/,
    ],
    [
      "a reservation that has disks",
      [reservation(1000, { hasDisks: true })],
      { tasks: [failedClone] },
      /does not prove/,
    ],
    [
      "our VM with a backup lock and no task running",
      [complete({ lock: "backup" })],
      {},
      /locked \(backup\) with no task running/,
    ],
    [
      "our name and uid, running, tags removed",
      [complete({ tags: ["pve-kube"] })],
      {},
      /running without its tags/,
    ],
  ])("not provably ours: %s → conflict", (_title, observed, over, reason) => {
    const decisions = reconcileDecisions(facts(observed, over));
    expect(kinds(decisions)).toEqual(["conflict"]);
    expect(() => assertNoConflicts(decisions)).toThrow(reason);
  });

  it("one failed clone explains one empty reservation, not two", () => {
    const decisions = reconcileDecisions(
      facts([reservation(1000), reservation(1001, { node: "pve2" })], {
        planned: [CP1, CP2],
        tasks: [failedClone],
      }),
    );
    expect(kinds(decisions)).toEqual(["remove", "conflict"]);
    const two = reconcileDecisions(
      facts([reservation(1000), reservation(1001, { node: "pve2" })], {
        planned: [CP1, CP2],
        tasks: [failedClone, { ...failedClone }],
      }),
    );
    expect(kinds(two)).toEqual(["remove", "remove"]);
  });

  it("decides each planned VM in plan order: managed, adopt, remove, absent", () => {
    const decisions = reconcileDecisions(
      facts(
        [complete(), complete({ vmid: 1001, node: "pve2", name: "t-cp-2" }), reservation(1003)],
        {
          planned: [CP1, CP2, W1, { ...W1, name: "t-w-2", vmid: 1004 }],
          stateVmids: new Set([1000]),
          tasks: [failedClone],
        },
      ),
    );
    expect(decisions.map((d) => `${d.kind} ${d.vm.name}`)).toEqual([
      "managed t-cp-1",
      "adopt t-cp-2",
      "remove t-w-1",
      "absent t-w-2",
    ]);
  });

  it("a conflict is a ConfigurationError naming the VMID, what is there and the fix", () => {
    const decisions = reconcileDecisions(facts([complete({ name: "web-1", tags: ["prod"] })]));
    let error: unknown;
    try {
      assertNoConflicts(decisions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).message).toContain(
      "VMID 1000 planned for t-cp-1 is already used by a VM that is not this cluster's: its name is not 't-cp-1' (VM 'web-1' on pve1, running, tags prod)",
    );
    expect((error as ConfigurationError).fix).toMatch(
      /VMID 1000: give this cluster other VMIDs \(vmids.start in cluster.yaml\), or remove that VM on pve1 \(`qm unlock 1000; qm destroy 1000 --purge`\)/,
    );
  });

  it("removals that keep a lock need root: one error naming each VM and its host command; unlocked ones do not", () => {
    const decisions = reconcileDecisions(
      facts(
        [
          reservation(1000),
          reservation(1001, { node: "pve2" }),
          complete({ vmid: 1003, name: "t-w-1", tags: [], status: "stopped" }),
        ],
        { planned: [CP1, CP2, W1], tasks: [failedClone, { ...failedClone }] },
      ),
    );
    const removals = decisions.filter(
      (d): d is Extract<Decision, { kind: "remove" }> => d.kind === "remove",
    );
    expect(removals.map((d) => d.vm.name)).toEqual(["t-cp-1", "t-cp-2", "t-w-1"]);
    const error = lockedRemovalsError(removals);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.message).toContain(
      "2 VMs half-made by an interrupted run still carry their dead worker's lock: t-cp-1 (VMID 1000 on pve1, lock clone), t-cp-2 (VMID 1001 on pve2, lock clone)",
    );
    expect(error?.fix).toBe(
      "as root on the Proxmox host run `on pve1: qm unlock 1000 && qm destroy 1000 --purge`, `on pve2: qm unlock 1001 && qm destroy 1001 --purge`; then run again and OpenTofu creates them anew",
    );
    // the never-configured clone has no lock: pve-kube's token removes it itself
    expect(lockedRemovalsError(removals.filter((d) => d.vm.name === "t-w-1"))).toBeUndefined();
  });

  it("no conflicts: nothing thrown", () => {
    expect(() => assertNoConflicts(reconcileDecisions(facts([complete()])))).not.toThrow();
  });
});

describe("addresses and command lines", () => {
  test.each([
    ["t-cp-1", 'proxmox_virtual_environment_vm.node["t-cp-1"]'],
    ["x-w-big-10", 'proxmox_virtual_environment_vm.node["x-w-big-10"]'],
  ])("vmAddress(%s)", (name, address) => expect(vmAddress(name)).toBe(address));

  it("vmImportId is <node>/<vmid>, as the bpg provider imports", () =>
    expect(vmImportId("pve2", 1001)).toBe("pve2/1001"));

  test.each([
    [
      {
        command: "import",
        address: 'proxmox_virtual_environment_vm.node["t-cp-1"]',
        id: "pve1/1000",
        varFile: "/w/c.tfvars.json",
        lockTimeout: "5m",
      } as const,
      [
        "import",
        "-input=false",
        "-no-color",
        "-lock-timeout=5m",
        "-var-file=/w/c.tfvars.json",
        'proxmox_virtual_environment_vm.node["t-cp-1"]',
        "pve1/1000",
      ],
    ],
    [{ command: "state-pull" } as const, ["state", "pull"]],
    [
      { command: "state-push", file: "/w/s.tfstate", lockTimeout: "1m" } as const,
      ["state", "push", "-lock-timeout=1m", "/w/s.tfstate"],
    ],
    [{ command: "show" } as const, ["show", "-json", "-no-color"]],
  ])("tofuArgs(%j)", (cmd, argv) => expect(tofuArgs(cmd)).toEqual(argv));
});
