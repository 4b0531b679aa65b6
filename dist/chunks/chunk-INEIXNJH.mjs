import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  ConfigurationError
} from "./chunk-SAJHUJQG.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/tofu/interrupted-apply-decisions.ts
var INTERRUPTED_LOCKS = ["clone", "create"];
var LOCKING_TASKS = /* @__PURE__ */ new Set([
  "qmclone",
  "qmcreate",
  "qmrestore",
  "qmmove",
  "qmigrate",
  "qmconfig",
  "vzdump",
  "qmsnapshot",
  "qmrollback",
  "qmdelsnapshot"
]);
function carriesUid(description, uid) {
  return (description ?? "").split(/\s+/).includes(`uid=${uid}`);
}
__name(carriesUid, "carriesUid");
function sameUser(a, b) {
  return a.toLowerCase() === b.toLowerCase();
}
__name(sameUser, "sameUser");
function mayHoldLock(task, vmid) {
  if (!task.running || !LOCKING_TASKS.has(task.type)) return false;
  return task.id === String(vmid) || task.type === "qmclone";
}
__name(mayHoldLock, "mayHoldLock");
function interruptedTaskFor(task, facts, vmid) {
  if (task.running || task.exitStatus === "OK" || task.exitStatus?.startsWith("WARNINGS") || !sameUser(task.user, facts.tokenId))
    return false;
  return task.type === "qmclone" && task.id === String(facts.templateVmid) || task.type === "qmcreate" && task.id === String(vmid);
}
__name(interruptedTaskFor, "interruptedTaskFor");
function describe(o) {
  const parts = [
    `${o.template ? "template" : "VM"} ${o.name ? `'${o.name}'` : "(no name)"} on ${o.node}`
  ];
  if (o.lock) parts.push(`locked (${o.lock})`);
  if (o.status) parts.push(o.status);
  parts.push(o.tags.length ? `tags ${o.tags.join(";")}` : "no tags");
  return parts.join(", ");
}
__name(describe, "describe");
function reconcileDecisions(facts) {
  let unexplainedClones = facts.tasks.filter(
    (t) => t.type === "qmclone" && interruptedTaskFor(t, facts, 0)
  ).length;
  return facts.planned.map((vm) => {
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
        fix: `${otherVmids}, or move the template to another VMID`
      };
    }
    const provedByName = o.name === vm.name && carriesUid(o.description, facts.uid);
    if (o.lock) {
      if (facts.tasks.some((t) => mayHoldLock(t, vm.vmid))) {
        return {
          kind: "wait",
          vm,
          observed: o,
          reason: `VMID ${vm.vmid} is locked (${o.lock}) and a task that may hold the lock is still running`
        };
      }
      if (!INTERRUPTED_LOCKS.includes(o.lock)) {
        return {
          kind: "conflict",
          vm,
          observed: o,
          reason: `VMID ${vm.vmid} planned for ${vm.name} is not in the OpenTofu state and is locked (${o.lock}) with no task running (${what})`,
          fix: `check what left the lock, then ${removeByHand}`
        };
      }
      if (provedByName)
        return {
          kind: "remove",
          vm,
          observed: o,
          reason: `half-made by an interrupted apply (lock ${o.lock}, no task running; name and uid prove it is this cluster's)`
        };
      if (!o.name && !o.description && !o.hasDisks) {
        if (o.lock === "clone" && unexplainedClones > 0) {
          unexplainedClones--;
          return {
            kind: "remove",
            vm,
            observed: o,
            reason: `empty reservation of an interrupted clone of template ${facts.templateVmid} by ${facts.tokenId} (lock clone, no name, no disks, the clone task failed)`
          };
        }
        if (o.lock === "create" && facts.tasks.some((t) => t.type === "qmcreate" && interruptedTaskFor(t, facts, vm.vmid))) {
          return {
            kind: "remove",
            vm,
            observed: o,
            reason: `empty reservation of an interrupted create of VMID ${vm.vmid} by ${facts.tokenId} (lock create, no name, no disks, the create task failed)`
          };
        }
      }
      return {
        kind: "conflict",
        vm,
        observed: o,
        reason: `VMID ${vm.vmid} planned for ${vm.name} is not in the OpenTofu state and holds a locked VM that does not prove it is this cluster's (${what})`,
        fix: removeByHand
      };
    }
    if (!provedByName) {
      const missing = o.name !== vm.name ? `its name is not '${vm.name}'` : `its description does not carry uid=${facts.uid}`;
      return {
        kind: "conflict",
        vm,
        observed: o,
        reason: `VMID ${vm.vmid} planned for ${vm.name} is already used by a VM that is not this cluster's: ${missing} (${what})`,
        fix: `${otherVmids}, or remove that VM ${byHand}`
      };
    }
    if (vm.tags.every((tag) => o.tags.includes(tag))) {
      return {
        kind: "adopt",
        vm,
        observed: o,
        reason: `complete but missing from the state (an apply was interrupted after creating it)`
      };
    }
    if (o.status !== "running") {
      return {
        kind: "remove",
        vm,
        observed: o,
        reason: `cloned by an interrupted apply but never configured (tags ${o.tags.join(";") || "none"}, ${o.status ?? "stopped"})`
      };
    }
    return {
      kind: "conflict",
      vm,
      observed: o,
      reason: `VMID ${vm.vmid} (${vm.name}) carries this cluster's name and uid but is running without its tags ${vm.tags.join(", ")} \u2014 not something an interrupted apply leaves`,
      fix: `check who changed it; restore its tags (${vm.tags.join(";")}) to adopt it, or remove it ${byHand}`
    };
  });
}
__name(reconcileDecisions, "reconcileDecisions");
function assertNoConflicts(decisions) {
  const conflicts = decisions.filter(
    (d) => d.kind === "conflict"
  );
  if (conflicts.length === 0) return;
  throw new ConfigurationError(
    `${conflicts.length === 1 ? "a planned VMID is" : `${conflicts.length} planned VMIDs are`} taken on Proxmox by ${conflicts.length === 1 ? "a VM" : "VMs"} the OpenTofu state does not know: ${conflicts.map((c) => c.reason).join("; ")}`,
    conflicts.map((c) => `VMID ${c.vm.vmid}: ${c.fix}`).join("; ")
  );
}
__name(assertNoConflicts, "assertNoConflicts");
function rootCleanupCommand(d) {
  return `on ${d.observed.node}: qm unlock ${d.vm.vmid} && qm destroy ${d.vm.vmid} --purge`;
}
__name(rootCleanupCommand, "rootCleanupCommand");
function lockedRemovalsError(removals) {
  const locked = removals.filter((d) => d.observed.lock);
  if (locked.length === 0) return void 0;
  const one = locked.length === 1;
  return new ConfigurationError(
    `${one ? "a VM" : `${locked.length} VMs`} half-made by an interrupted run still ${one ? "carries its" : "carry their"} dead worker's lock: ${locked.map(
      (d) => `${d.vm.name} (VMID ${d.vm.vmid} on ${d.observed.node}, lock ${d.observed.lock ?? "?"})`
    ).join(
      ", "
    )}. Proxmox lets only root@pam lift a lock, never an API token, so nothing was changed`,
    `as root on the Proxmox host run ${locked.map((d) => `\`${rootCleanupCommand(d)}\``).join(", ")}; then run again and OpenTofu creates ${one ? "it" : "them"} anew`
  );
}
__name(lockedRemovalsError, "lockedRemovalsError");
function vmAddress(name) {
  return `proxmox_virtual_environment_vm.node[${JSON.stringify(name)}]`;
}
__name(vmAddress, "vmAddress");
function vmImportId(node, vmid) {
  return `${node}/${vmid}`;
}
__name(vmImportId, "vmImportId");

export {
  INTERRUPTED_LOCKS,
  reconcileDecisions,
  assertNoConflicts,
  rootCleanupCommand,
  lockedRemovalsError,
  vmAddress,
  vmImportId
};
