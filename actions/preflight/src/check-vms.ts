import type { ClusterPlan } from "../../lib/config/index.js";
import { INTERRUPTED_LOCKS } from "../../lib/tofu/interrupted-apply-decisions.js";
import {
  isOwnedBy,
  isVmidFree,
  listVms,
  type ClusterVm,
  type ProxmoxClient,
} from "../../lib/proxmox/index.js";
import { describeError, fail, pass, warn, type CheckOutcome } from "./outcome.js";

export interface VmCheck {
  outcomes: CheckOutcome[];
  /** VMs of this cluster that already exist (they need no capacity and keep their addresses) */
  existing: Set<number>;
}

/**
 * Planned VMIDs must be free or already ours (tags prove it), and no VM that is not this very
 * planned VM may carry a planned name — a foreign VM, or one of ours under another VMID.
 */
export async function checkVms(client: ProxmoxClient, plan: ClusterPlan): Promise<VmCheck> {
  let vms: ClusterVm[];
  try {
    vms = await listVms(client);
  } catch (error) {
    const { detail, fix } = describeError(error);
    return {
      outcomes: [fail("planned VMIDs and names", `cannot list VMs: ${detail}`, fix)],
      existing: new Set(),
    };
  }
  const outcomes: CheckOutcome[] = [];
  const existing = new Set<number>();
  let free = 0;
  for (const planned of plan.vms) {
    const holder = vms.find((vm) => vm.vmid === planned.vmid);
    if (holder) {
      if (isOwnedBy(holder, plan.cluster) && holder.name === planned.name) {
        existing.add(planned.vmid);
      } else if (isBareReservation(holder)) {
        // what a clone or create leaves when its worker dies: tofu-provision's reconcile removes it
        // when this token's failed task explains it, and stops otherwise — decided there, with the tasks
        existing.add(planned.vmid);
        outcomes.push(
          warn(
            `VMID ${planned.vmid}`,
            `VMID ${planned.vmid} (planned for ${planned.name}) holds an unfinished VM (lock ${holder.lock ?? "?"}, no name, no tags) — most likely left by an interrupted run`,
            "nothing to do if a pve-kube run was interrupted: tofu-provision removes it when its failed task proves it was its own, and stops otherwise; else remove it on the host",
          ),
        );
      } else if (isOwnedBy(holder, plan.cluster)) {
        outcomes.push(
          fail(
            `VMID ${planned.vmid}`,
            `VMID ${planned.vmid} holds this cluster's VM '${holder.name ?? "?"}', but the plan puts '${planned.name}' there`,
            "did vmids.start or the pool order change? Restore it, or destroy the cluster before renumbering",
          ),
        );
      } else {
        outcomes.push(
          fail(
            `VMID ${planned.vmid}`,
            `VMID ${planned.vmid} (planned for ${planned.name}) is used by '${holder.name ?? "?"}' on ${holder.node}, which is not tagged as this cluster's (tags: ${holder.tags.join(";") || "none"})`,
            "choose a free range with vmids.start in cluster.yaml; pve-kube never touches VMs it does not own",
          ),
        );
      }
    } else if (await isVmidFree(client, planned.vmid)) {
      free++;
    } else {
      outcomes.push(
        fail(
          `VMID ${planned.vmid}`,
          `VMID ${planned.vmid} (planned for ${planned.name}) is taken by a VM the token cannot see`,
          "choose another vmids.start, or grant VM.Audit so preflight can tell whether it is ours",
        ),
      );
    }
    for (const twin of vms.filter((vm) => vm.name === planned.name && vm.vmid !== planned.vmid)) {
      const ours = isOwnedBy(twin, plan.cluster);
      outcomes.push(
        fail(
          `name ${planned.name}`,
          `a ${ours ? "VM of this cluster" : "foreign VM"} named '${planned.name}' already exists as VMID ${twin.vmid} on ${twin.node} (the plan gives it VMID ${planned.vmid})`,
          ours
            ? "restore the earlier vmids.start, or destroy the cluster before renumbering"
            : `rename or remove VM ${twin.vmid}, or change metadata.name so the VM names differ`,
        ),
      );
    }
  }
  if (!outcomes.some((o) => o.result === "fail")) {
    const ids = plan.vms.map((vm) => vm.vmid);
    outcomes.unshift(
      pass(
        "planned VMIDs and names",
        `${Math.min(...ids)}–${Math.max(...ids)}: ${free} free, ${existing.size} already this cluster's; no foreign VM uses a planned name`,
      ),
    );
  }
  outcomes.push(templateSlot(plan, vms));
  return { outcomes, existing };
}

/**
 * A VM that is only a lock: the reservation a clone or create makes before it has a config
 * (Proxmox lists a VM without a name as "VM <vmid>").
 */
function isBareReservation(vm: ClusterVm): boolean {
  const unnamed = !vm.name || vm.name === `VM ${vm.vmid}`;
  return (
    vm.lock !== undefined &&
    INTERRUPTED_LOCKS.includes(vm.lock) &&
    unnamed &&
    vm.tags.length === 0 &&
    !vm.template
  );
}

function templateSlot(plan: ClusterPlan, vms: ClusterVm[]): CheckOutcome {
  const holder = vms.find((vm) => vm.vmid === plan.template.vmid);
  if (!holder) return pass(`template VMID ${plan.template.vmid}`, "free");
  if (holder.tags.includes("pve-kube-template"))
    return pass(
      `template VMID ${plan.template.vmid}`,
      `a pve-kube template (${holder.name ?? "?"}); build-template reuses it if its recipe is unchanged`,
    );
  return warn(
    `template VMID ${plan.template.vmid}`,
    `used by '${holder.name ?? "?"}', which is not a pve-kube template; build-template will take the next free VMID above it`,
    "set template.vmid to a free range to keep template numbering tidy",
  );
}
