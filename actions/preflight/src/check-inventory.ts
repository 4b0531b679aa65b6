import type { ClusterPlan } from "../../lib/config/index.js";
import type { ProxmoxClient } from "../../lib/proxmox/index.js";
import { describeError, fail, gib, pass, warn, type CheckOutcome } from "./outcome.js";

export interface NodeInfo {
  node: string;
  status: string;
  maxcpu?: number;
  maxmem?: number;
  mem?: number;
}

export interface StorageInfo {
  storage: string;
  type: string;
  content: string[];
  active: boolean;
  enabled: boolean;
  shared: boolean;
  avail?: number;
  total?: number;
}

export interface Inventory {
  nodes: Map<string, NodeInfo>;
  /** storages by node (only nodes that exist and answered) */
  storages: Map<string, StorageInfo[]>;
}

const str = (v: unknown, fallback = "") =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : fallback;
const num = (v: unknown) => (v === undefined || v === null || v === "" ? undefined : Number(v));

/** Nodes the run uses: every VM's node and the template node, in a stable order. */
export function usedNodes(plan: ClusterPlan): string[] {
  return [...new Set([plan.template.node, ...plan.vms.map((vm) => vm.node)])];
}

export async function readInventory(
  client: ProxmoxClient,
  nodes: readonly string[],
): Promise<Inventory> {
  const rows = (await client.api.nodes.$get()) as Record<string, unknown>[];
  const byName = new Map<string, NodeInfo>(
    rows.map((r) => {
      const info: NodeInfo = { node: String(r.node), status: str(r.status, "unknown") };
      const maxcpu = num(r.maxcpu);
      const maxmem = num(r.maxmem);
      const mem = num(r.mem);
      if (maxcpu !== undefined) info.maxcpu = maxcpu;
      if (maxmem !== undefined) info.maxmem = maxmem;
      if (mem !== undefined) info.mem = mem;
      return [info.node, info];
    }),
  );
  const storages = new Map<string, StorageInfo[]>();
  for (const node of nodes) {
    if (byName.get(node)?.status !== "online") continue;
    const list = (await client.api.nodes.$(node).storage.$get()) as Record<string, unknown>[];
    storages.set(
      node,
      list.map((s) => {
        const info: StorageInfo = {
          storage: String(s.storage),
          type: str(s.type),
          content: str(s.content)
            .split(",")
            .map((c) => c.trim())
            .filter(Boolean),
          active: Number(s.active ?? 1) === 1,
          enabled: Number(s.enabled ?? 1) === 1,
          shared: Number(s.shared ?? 0) === 1,
        };
        const avail = num(s.avail);
        const total = num(s.total);
        if (avail !== undefined) info.avail = avail;
        if (total !== undefined) info.total = total;
        return info;
      }),
    );
  }
  return { nodes: byName, storages };
}

export function checkNodes(plan: ClusterPlan, inventory: Inventory): CheckOutcome[] {
  const known = [...inventory.nodes.keys()].sort();
  return usedNodes(plan).map((node) => {
    const info = inventory.nodes.get(node);
    if (!info) {
      return fail(
        `node ${node}`,
        `no Proxmox node named '${node}' (the cluster has: ${known.join(", ") || "none visible"})`,
        "fix proxmox.nodes / template.node in cluster.yaml (names as `pvecm nodes` shows them)",
      );
    }
    if (info.status !== "online")
      return fail(
        `node ${node}`,
        `node ${node} is ${info.status}`,
        "bring the node online, or remove it from proxmox.nodes",
      );
    return pass(
      `node ${node}`,
      `online${info.maxcpu ? `, ${info.maxcpu} CPUs` : ""}${info.maxmem ? `, ${gib(info.maxmem)} RAM` : ""}`,
    );
  });
}

interface StorageNeed {
  storage: string;
  node: string;
  content: string;
  why: string;
}

/** Which storage must hold which content type on which node. */
export function storageNeeds(plan: ClusterPlan): StorageNeed[] {
  const needs: StorageNeed[] = [];
  const add = (need: StorageNeed) => {
    if (
      !needs.some(
        (n) => n.storage === need.storage && n.node === need.node && n.content === need.content,
      )
    )
      needs.push(need);
  };
  for (const vm of plan.vms)
    add({ storage: plan.proxmox.diskStorage, node: vm.node, content: "images", why: "VM disks" });
  add({
    storage: plan.template.storage,
    node: plan.template.node,
    content: "images",
    why: "the template disk",
  });
  add({
    storage: plan.proxmox.imageStorage,
    node: plan.template.node,
    content: "import",
    why: "the cloud image to import",
  });
  return needs;
}

export function checkStorages(plan: ClusterPlan, inventory: Inventory): CheckOutcome[] {
  return storageNeeds(plan).flatMap((need) => {
    const list = inventory.storages.get(need.node);
    if (!list) return [];
    const name = `storage ${need.storage} on ${need.node}`;
    const s = list.find((x) => x.storage === need.storage);
    if (!s) {
      const candidates = list.filter((x) => x.content.includes(need.content)).map((x) => x.storage);
      return [
        fail(
          name,
          `no storage '${need.storage}' on ${need.node} (needed for ${need.why})${candidates.length ? `; storages with content '${need.content}' there: ${candidates.join(", ")}` : ""}`,
          "fix proxmox.storage in cluster.yaml, or add the storage to this node (Datacenter → Storage → Nodes)",
        ),
      ];
    }
    if (!s.enabled || !s.active)
      return [
        fail(
          name,
          `storage ${need.storage} is ${!s.enabled ? "disabled" : "not active"} on ${need.node}`,
          "enable it (Datacenter → Storage) and check that it is mounted/online",
        ),
      ];
    if (!s.content.includes(need.content)) {
      return [
        fail(
          `${name} (${need.content})`,
          `storage ${need.storage} does not allow content type '${need.content}' (has: ${s.content.join(", ") || "none"}), needed for ${need.why}`,
          `allow it: \`pvesm set ${need.storage} --content ${[...s.content, need.content].join(",")}\` (or Datacenter → Storage → Edit → Content)`,
        ),
      ];
    }
    return [
      pass(
        `${name} (${need.content})`,
        `${s.type}${s.shared ? ", shared" : ""}${s.avail !== undefined ? `, ${gib(s.avail)} free` : ""}`,
      ),
    ];
  });
}

/** The bridge must exist on every node that runs a VM (or be an SDN VNet). */
export async function checkBridges(
  client: ProxmoxClient,
  plan: ClusterPlan,
  inventory: Inventory,
): Promise<CheckOutcome[]> {
  const bridge = plan.network.bridge;
  const vlan = plan.network.vlan;
  const out: CheckOutcome[] = [];
  let vnets: string[] | undefined;
  for (const node of usedNodes(plan)) {
    if (inventory.nodes.get(node)?.status !== "online") continue;
    const name = `bridge ${bridge} on ${node}`;
    try {
      const ifaces = (await client.api.nodes.$(node).network.$get()) as Record<string, unknown>[];
      const found = ifaces.find((i) => i.iface === bridge);
      if (found && /bridge/i.test(String(found.type))) {
        const vlanAware =
          Number(found.bridge_vlan_aware ?? 0) === 1 || String(found.type) === "OVSBridge";
        out.push(
          vlan !== undefined && !vlanAware
            ? warn(
                name,
                `${bridge} is not VLAN-aware; Proxmox will create a VLAN ${vlan} bridge for the VMs`,
                `make ${bridge} VLAN-aware (System → Network → ${bridge} → VLAN aware) to tag on one bridge`,
              )
            : pass(name, `${String(found.type)}${vlan !== undefined ? `, VLAN ${vlan}` : ""}`),
        );
        continue;
      }
      vnets ??= await sdnVnets(client);
      if (vnets.includes(bridge)) {
        out.push(pass(name, `SDN VNet ${bridge}`));
        continue;
      }
      const bridges = ifaces
        .filter((i) => /bridge/i.test(String(i.type)))
        .map((i) => String(i.iface));
      out.push(
        fail(
          name,
          `no bridge '${bridge}' on ${node}${bridges.length ? ` (bridges there: ${bridges.join(", ")})` : ""}`,
          "fix network.bridge in cluster.yaml, or create the bridge on the node (System → Network)",
        ),
      );
    } catch (error) {
      const { detail, fix } = describeError(error);
      out.push(fail(name, `cannot list the network of ${node}: ${detail}`, fix));
    }
  }
  return out;
}

async function sdnVnets(client: ProxmoxClient): Promise<string[]> {
  try {
    const rows = (await client.api.cluster.sdn.vnets.$get()) as { vnet?: string }[];
    return rows.map((r) => r.vnet ?? "").filter(Boolean);
  } catch {
    return []; // no SDN (or not visible): the bridge check stands on its own
  }
}
