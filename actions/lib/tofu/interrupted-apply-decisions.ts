import { ConfigurationError } from "../errors.js";

/**
 * What to do with the VMs an interrupted apply may have left behind. When the process running
 * `tofu apply` dies hard, OpenTofu never records the VMs it was creating at that moment, yet
 * Proxmox may hold them: a complete clone, or a half-made one still carrying its `clone`/`create`
 * lock (when the Proxmox worker died too). The next apply would fail with "VM <id> already
 * exists". This module decides, per planned VMID that Proxmox holds but the state does not,
 * whether the VM is provably this cluster's and how far it got; the caller does the I/O.
 */

/** A planned VM (the parts of PlannedVm the decision needs). */
export interface PlannedSlot {
  name: string;
  vmid: number;
  node: string;
  /** the tags terraform/main.tf sets once the clone is configured: pve-kube, cluster-<name>, role-<role> */
  tags: readonly string[];
}

/** What Proxmox holds at a VMID (from /cluster/resources and the VM's config). */
export interface ObservedVm {
  vmid: number;
  node: string;
  template: boolean;
  name?: string;
  description?: string;
  tags: readonly string[];
  lock?: string;
  status?: string;
  /** the config names at least one disk (scsiN, virtioN, …, efidisk0, tpmstate0) */
  hasDisks: boolean;
}

/** A Proxmox task, as the task list shows it. */
export interface TaskFact {
  type: string;
  /** the VMID the task was started for (for qmclone: the source, not the new VM) */
  id: string;
  /** the user or API token id in the task's UPID */
  user: string;
  running: boolean;
  /** exit status of a stopped task */
  exitStatus?: string;
}

export interface ReconcileFacts {
  cluster: string;
  uid: string;
  /** the token this action uses: tasks started by it are ours */
  tokenId: string;
  templateVmid: number;
  planned: readonly PlannedSlot[];
  /** VMIDs the OpenTofu state holds (any address) */
  stateVmids: ReadonlySet<number>;
  /** what Proxmox holds, by VMID (only VMIDs that exist) */
  observed: ReadonlyMap<number, ObservedVm>;
  /** recent tasks of the nodes involved */
  tasks: readonly TaskFact[];
}

export type Decision =
  /** the state holds it: OpenTofu plans it as usual */
  | { kind: "managed"; vm: PlannedSlot }
  /** Proxmox does not hold it: the plan creates it */
  | { kind: "absent"; vm: PlannedSlot }
  /** a task that may hold its lock is still running: look again when it ends */
  | { kind: "wait"; vm: PlannedSlot; observed: ObservedVm; reason: string }
  /** ours and half-made: unlock, destroy with purge; the plan creates it again */
  | { kind: "remove"; vm: PlannedSlot; observed: ObservedVm; reason: string }
  /** ours and complete: import into the state; the plan updates it in place */
  | { kind: "adopt"; vm: PlannedSlot; observed: ObservedVm; reason: string }
  /** not provably ours: nothing may be changed */
  | { kind: "conflict"; vm: PlannedSlot; observed: ObservedVm; reason: string; fix: string };

/** Locks a dying clone or create leaves; other locks (backup, migrate, snapshot…) are never lifted here. */
export const INTERRUPTED_LOCKS: readonly string[] = ["clone", "create"];

/** Task types that take a VM's config lock while they run. */
const LOCKING_TASKS = new Set([
  "qmclone",
  "qmcreate",
  "qmrestore",
  "qmmove",
  "qmigrate",
  "qmconfig",
  "vzdump",
  "qmsnapshot",
  "qmrollback",
  "qmdelsnapshot",
]);

export function carriesUid(description: string | undefined, uid: string): boolean {
  return (description ?? "").split(/\s+/).includes(`uid=${uid}`);
}

/** Same user, ignoring case; an API token `user@realm!name` is compared in full. */
function sameUser(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * A running task may still be working on this VM: a create of this VMID, any task with this VMID
 * as its id, or any clone (a clone task carries its source's VMID, so its target is unknown).
 */
function mayHoldLock(task: TaskFact, vmid: number): boolean {
  if (!task.running || !LOCKING_TASKS.has(task.type)) return false;
  return task.id === String(vmid) || task.type === "qmclone";
}

/**
 * Failed tasks of this token that can have left an empty `clone`/`create` reservation: clones of
 * the cluster's template, and creates of that very VMID.
 */
function interruptedTaskFor(task: TaskFact, facts: ReconcileFacts, vmid: number): boolean {
  if (
    task.running ||
    task.exitStatus === "OK" ||
    task.exitStatus?.startsWith("WARNINGS") ||
    !sameUser(task.user, facts.tokenId)
  )
    return false;
  return (
    (task.type === "qmclone" && task.id === String(facts.templateVmid)) ||
    (task.type === "qmcreate" && task.id === String(vmid))
  );
}

function describe(o: ObservedVm): string {
  const parts = [
    `${o.template ? "template" : "VM"} ${o.name ? `'${o.name}'` : "(no name)"} on ${o.node}`,
  ];
  if (o.lock) parts.push(`locked (${o.lock})`);
  if (o.status) parts.push(o.status);
  parts.push(o.tags.length ? `tags ${o.tags.join(";")}` : "no tags");
  return parts.join(", ");
}

/**
 * The decision for each planned VM, in plan order. Pure: the same facts give the same decisions.
 *
 * Proof of ownership is the planned name AND `uid=<cluster uid>` in the description — both are
 * sent with the clone request (terraform/main.tf), so even an unconfigured clone carries them,
 * while the cluster tags alone prove nothing (every clone copies them from the template). A bare
 * reservation (only a `clone`/`create` lock, no name, no disks) proves nothing either; it is
 * removed only when this token has a failed clone of the cluster's template (or create of that
 * VMID) for each such reservation — and removing it loses nothing, as it holds nothing.
 */
export function reconcileDecisions(facts: ReconcileFacts): Decision[] {
  // one failed clone of the template explains one empty reservation, whichever VMID it got
  let unexplainedClones = facts.tasks.filter(
    (t) => t.type === "qmclone" && interruptedTaskFor(t, facts, 0),
  ).length;
  return facts.planned.map((vm): Decision => {
    if (facts.stateVmids.has(vm.vmid)) return { kind: "managed", vm };
    const o = facts.observed.get(vm.vmid);
    if (!o) return { kind: "absent", vm };
    const what = describe(o);
    const byHand = `on ${o.node} (\`qm unlock ${vm.vmid}; qm destroy ${vm.vmid} --purge\`) if it is not needed`;
    const otherVmids = "give this cluster other VMIDs (vmids.start in cluster.yaml)";
    const removeByHand = `remove it ${byHand}, or ${otherVmids}`;
    if (o.template) {
      return {
        kind: "conflict",
        vm,
        observed: o,
        reason: `VMID ${vm.vmid} planned for ${vm.name} is a template (${what})`,
        fix: `${otherVmids}, or move the template to another VMID`,
      };
    }
    const provedByName = o.name === vm.name && carriesUid(o.description, facts.uid);
    if (o.lock) {
      if (facts.tasks.some((t) => mayHoldLock(t, vm.vmid))) {
        return {
          kind: "wait",
          vm,
          observed: o,
          reason: `VMID ${vm.vmid} is locked (${o.lock}) and a task that may hold the lock is still running`,
        };
      }
      if (!INTERRUPTED_LOCKS.includes(o.lock)) {
        return {
          kind: "conflict",
          vm,
          observed: o,
          reason: `VMID ${vm.vmid} planned for ${vm.name} is not in the OpenTofu state and is locked (${o.lock}) with no task running (${what})`,
          fix: `check what left the lock, then ${removeByHand}`,
        };
      }
      if (provedByName)
        return {
          kind: "remove",
          vm,
          observed: o,
          reason: `half-made by an interrupted apply (lock ${o.lock}, no task running; name and uid prove it is this cluster's)`,
        };
      if (!o.name && !o.description && !o.hasDisks) {
        if (o.lock === "clone" && unexplainedClones > 0) {
          unexplainedClones--;
          return {
            kind: "remove",
            vm,
            observed: o,
            reason: `empty reservation of an interrupted clone of template ${facts.templateVmid} by ${facts.tokenId} (lock clone, no name, no disks, the clone task failed)`,
          };
        }
        if (
          o.lock === "create" &&
          facts.tasks.some((t) => t.type === "qmcreate" && interruptedTaskFor(t, facts, vm.vmid))
        ) {
          return {
            kind: "remove",
            vm,
            observed: o,
            reason: `empty reservation of an interrupted create of VMID ${vm.vmid} by ${facts.tokenId} (lock create, no name, no disks, the create task failed)`,
          };
        }
      }
      return {
        kind: "conflict",
        vm,
        observed: o,
        reason: `VMID ${vm.vmid} planned for ${vm.name} is not in the OpenTofu state and holds a locked VM that does not prove it is this cluster's (${what})`,
        fix: removeByHand,
      };
    }
    if (!provedByName) {
      const missing =
        o.name !== vm.name
          ? `its name is not '${vm.name}'`
          : `its description does not carry uid=${facts.uid}`;
      return {
        kind: "conflict",
        vm,
        observed: o,
        reason: `VMID ${vm.vmid} planned for ${vm.name} is already used by a VM that is not this cluster's: ${missing} (${what})`,
        fix: `${otherVmids}, or remove that VM ${byHand}`,
      };
    }
    if (vm.tags.every((tag) => o.tags.includes(tag))) {
      return {
        kind: "adopt",
        vm,
        observed: o,
        reason: `complete but missing from the state (an apply was interrupted after creating it)`,
      };
    }
    if (o.status !== "running") {
      return {
        kind: "remove",
        vm,
        observed: o,
        reason: `cloned by an interrupted apply but never configured (tags ${o.tags.join(";") || "none"}, ${o.status ?? "stopped"})`,
      };
    }
    return {
      kind: "conflict",
      vm,
      observed: o,
      reason: `VMID ${vm.vmid} (${vm.name}) carries this cluster's name and uid but is running without its tags ${vm.tags.join(", ")} — not something an interrupted apply leaves`,
      fix: `check who changed it; restore its tags (${vm.tags.join(";")}) to adopt it, or remove it ${byHand}`,
    };
  });
}

/** Stops before any change when a planned VMID holds something that is not provably ours. */
export function assertNoConflicts(decisions: readonly Decision[]): void {
  const conflicts = decisions.filter(
    (d): d is Extract<Decision, { kind: "conflict" }> => d.kind === "conflict",
  );
  if (conflicts.length === 0) return;
  throw new ConfigurationError(
    `${conflicts.length === 1 ? "a planned VMID is" : `${conflicts.length} planned VMIDs are`} taken on Proxmox by ${conflicts.length === 1 ? "a VM" : "VMs"} the OpenTofu state does not know: ${conflicts.map((c) => c.reason).join("; ")}`,
    conflicts.map((c) => `VMID ${c.vm.vmid}: ${c.fix}`).join("; "),
  );
}

type Removal = Extract<Decision, { kind: "remove" }>;

/** The command that clears a half-made VM on its host (root only). */
export function rootCleanupCommand(d: Removal): string {
  return `on ${d.observed.node}: qm unlock ${d.vm.vmid} && qm destroy ${d.vm.vmid} --purge`;
}

/**
 * Half-made VMs that still carry their dead worker's lock cannot be removed by pve-kube: Proxmox
 * lets only root@pam lift a lock (`skiplock`), never an API token, root's own included. The error
 * that stops the run before anything changes, naming the command for each, or undefined.
 */
export function lockedRemovalsError(removals: readonly Removal[]): ConfigurationError | undefined {
  const locked = removals.filter((d) => d.observed.lock);
  if (locked.length === 0) return undefined;
  const one = locked.length === 1;
  return new ConfigurationError(
    `${one ? "a VM" : `${locked.length} VMs`} half-made by an interrupted run still ${one ? "carries its" : "carry their"} dead worker's lock: ${locked
      .map(
        (d) =>
          `${d.vm.name} (VMID ${d.vm.vmid} on ${d.observed.node}, lock ${d.observed.lock ?? "?"})`,
      )
      .join(
        ", ",
      )}. Proxmox lets only root@pam lift a lock, never an API token, so nothing was changed`,
    `as root on the Proxmox host run ${locked.map((d) => `\`${rootCleanupCommand(d)}\``).join(", ")}; then run again and OpenTofu creates ${one ? "it" : "them"} anew`,
  );
}

/** The resource address terraform/main.tf gives a planned VM (for_each by name). */
export function vmAddress(name: string): string {
  return `proxmox_virtual_environment_vm.node[${JSON.stringify(name)}]`;
}

/** The bpg provider's import id of a VM: `<node>/<vmid>`. */
export function vmImportId(node: string, vmid: number): string {
  return `${node}/${vmid}`;
}
