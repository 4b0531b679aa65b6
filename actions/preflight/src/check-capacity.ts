import type { ClusterPlan } from "../../lib/config/index.js";
import { fail, gib, pass, warn, type CheckOutcome } from "./outcome.js";
import type { Inventory } from "./check-inventory.js";

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
/** Storage types that allocate lazily: more can be planned than is free, with a warning. */
const THIN = new Set(["lvmthin", "zfspool", "rbd", "btrfs"]);

/**
 * Free CPU, memory and disk per node for the VMs that do not exist yet. VMs that already exist
 * consume what they consume; they are not counted twice.
 */
export function checkCapacity(
  plan: ClusterPlan,
  inventory: Inventory,
  existing: ReadonlySet<number>,
): CheckOutcome[] {
  const outcomes: CheckOutcome[] = [];
  const fresh = plan.vms.filter((vm) => !existing.has(vm.vmid));
  const nodes = [...new Set(plan.vms.map((vm) => vm.node))];
  for (const node of nodes) {
    const info = inventory.nodes.get(node);
    if (info?.status !== "online") continue;
    const mine = fresh.filter((vm) => vm.node === node);
    const name = `capacity of ${node}`;
    if (mine.length === 0) {
      outcomes.push(pass(name, "no new VMs on this node"));
      continue;
    }
    const problems: CheckOutcome[] = [];
    const widest = mine.reduce((a, b) => (b.cores > a.cores ? b : a));
    if (info.maxcpu !== undefined && widest.cores > info.maxcpu) {
      problems.push(
        fail(
          `${name}: CPU`,
          `${widest.name} wants ${widest.cores} cores, ${node} has ${info.maxcpu}`,
          "lower cores for that pool, or place it on a larger node",
        ),
      );
    }
    const memory = mine.reduce((sum, vm) => sum + vm.memoryMiB * MIB, 0);
    if (info.maxmem !== undefined && info.mem !== undefined) {
      const freeMem = info.maxmem - info.mem;
      if (memory > freeMem) {
        problems.push(
          fail(
            `${name}: memory`,
            `the ${mine.length} new VMs need ${gib(memory)}, ${node} has ${gib(freeMem)} free of ${gib(info.maxmem)}`,
            "lower memoryMiB or counts, spread the VMs over more nodes, or free memory on the node",
          ),
        );
      }
    }
    outcomes.push(
      ...(problems.length
        ? problems
        : [
            pass(
              name,
              `${mine.length} new VMs: ${mine.reduce((s, vm) => s + vm.cores, 0)} vCPUs, ${gib(memory)} RAM${info.maxmem !== undefined && info.mem !== undefined ? ` of ${gib(info.maxmem - info.mem)} free` : ""}`,
            ),
          ]),
    );
  }
  outcomes.push(...checkDisk(plan, inventory, fresh));
  return outcomes;
}

function checkDisk(
  plan: ClusterPlan,
  inventory: Inventory,
  fresh: ClusterPlan["vms"],
): CheckOutcome[] {
  const storage = plan.proxmox.diskStorage;
  const out: CheckOutcome[] = [];
  // shared storage is one pool for all nodes; local storage is counted per node
  const groups = new Map<string, { nodes: string[]; bytes: number }>();
  for (const vm of fresh) {
    const info = inventory.storages.get(vm.node)?.find((s) => s.storage === storage);
    if (!info) continue;
    const key = info.shared ? "shared" : vm.node;
    const group = groups.get(key) ?? { nodes: [], bytes: 0 };
    if (!group.nodes.includes(vm.node)) group.nodes.push(vm.node);
    group.bytes += vm.diskGiB * GIB;
    groups.set(key, group);
  }
  for (const [key, group] of groups) {
    const info = inventory.storages.get(group.nodes[0]!)?.find((s) => s.storage === storage);
    if (info?.avail === undefined) continue;
    const name = `disk space on ${storage}${key === "shared" ? " (shared)" : ` on ${key}`}`;
    if (group.bytes <= info.avail) {
      out.push(pass(name, `new VM disks ${gib(group.bytes)}, ${gib(info.avail)} free`));
    } else if (THIN.has(info.type)) {
      out.push(
        warn(
          name,
          `new VM disks ${gib(group.bytes)} exceed the ${gib(info.avail)} free on thin-provisioned ${info.type}; fine until the disks fill up`,
          "watch the thin pool usage, or add space",
        ),
      );
    } else {
      out.push(
        fail(
          name,
          `new VM disks need ${gib(group.bytes)}, ${storage} has ${gib(info.avail)} free`,
          "lower diskGiB or counts, use another proxmox.storage.disks, or free space",
        ),
      );
    }
  }
  return out;
}
