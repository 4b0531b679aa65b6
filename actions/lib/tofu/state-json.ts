import type { PlanJson } from "./plan-json.js";
import { VM_RESOURCE_TYPE } from "./plan-summary.js";

/** A VM the OpenTofu state holds, as `tofu show -json` (of the state) lists it. */
export interface StateVm {
  address: string;
  vmid: number;
  node?: string;
}

interface ShownModule {
  resources?: {
    address?: unknown;
    mode?: unknown;
    type?: unknown;
    values?: { vm_id?: unknown; node_name?: unknown };
  }[];
  child_modules?: ShownModule[];
}

/**
 * The VMs in `tofu show -json` of the current state (the documented JSON output format). An
 * empty state prints only `format_version`: no VMs. Read from JSON only, never from text.
 */
export function stateVms(showJson: string): StateVm[] {
  let doc: { format_version?: unknown; values?: { root_module?: ShownModule } };
  try {
    doc = JSON.parse(showJson) as typeof doc;
  } catch (error) {
    throw new Error(`tofu show -json did not print JSON: ${(error as Error).message}`);
  }
  if (typeof doc.format_version !== "string" || !doc.format_version.startsWith("1.")) {
    throw new Error(
      `unsupported JSON state format ${String(doc.format_version)} (pve-kube reads format 1.x)`,
    );
  }
  const out: StateVm[] = [];
  const walk = (m: ShownModule | undefined) => {
    for (const r of m?.resources ?? []) {
      if (r.mode !== "managed" || r.type !== VM_RESOURCE_TYPE || typeof r.address !== "string")
        continue;
      const vmid = Number(r.values?.vm_id);
      if (!Number.isInteger(vmid) || vmid <= 0) continue;
      out.push({
        address: r.address,
        vmid,
        ...(typeof r.values?.node_name === "string" ? { node: r.values.node_name } : {}),
      });
    }
    for (const child of m?.child_modules ?? []) walk(child);
  };
  walk(doc.values?.root_module);
  return out;
}

interface RawInstance {
  index_key?: unknown;
  attributes?: Record<string, unknown>;
}
interface RawState {
  version?: unknown;
  serial?: unknown;
  resources?: {
    mode?: unknown;
    type?: unknown;
    name?: unknown;
    module?: unknown;
    instances?: RawInstance[];
  }[];
}

function instanceAddress(
  resource: NonNullable<RawState["resources"]>[number],
  instance: RawInstance,
): string {
  const base = `${typeof resource.module === "string" ? `${resource.module}.` : ""}${String(resource.type)}.${String(resource.name)}`;
  if (instance.index_key === undefined) return base;
  return `${base}[${typeof instance.index_key === "number" ? String(instance.index_key) : JSON.stringify(instance.index_key)}]`;
}

/**
 * Settings only the provider holds (Proxmox does not store them, so an import can only fill in
 * defaults): the `timeout_*` settings and the guest agent's wait timeout. Left at the import's
 * defaults, the plan would "update" them, and the provider reboots a VM whose agent block changed.
 */
function alignProviderSettings(
  attributes: Record<string, unknown>,
  after: Record<string, unknown>,
  unknown: Record<string, unknown>,
): void {
  for (const [key, value] of Object.entries(after)) {
    if (
      key.startsWith("timeout_") &&
      value !== undefined &&
      value !== null &&
      unknown[key] !== true
    )
      attributes[key] = value;
  }
  const plannedAgent = after.agent;
  const agent = attributes.agent;
  if (!Array.isArray(plannedAgent) || !Array.isArray(agent)) return;
  attributes.agent = agent.map((block: unknown, i) => {
    const timeout = (plannedAgent[i] as { timeout?: unknown } | undefined)?.timeout;
    return typeof timeout === "string" && block && typeof block === "object"
      ? { ...(block as Record<string, unknown>), timeout }
      : block;
  });
}

/**
 * Makes freshly imported VMs look as the provider's own create leaves them, so the plan updates
 * them in place instead of replacing them.
 *
 * The bpg provider cannot import the `clone` block (the state has none, the configuration has
 * one, and every clone attribute forces replacement), and while a VM's state has no `clone` block
 * its read copies every block the VM inherited from the template (the serial console, …) into
 * the state, which the plan would then remove from the VM. A create leaves neither: it records
 * the configured `clone` block and reads inherited blocks only when the configuration declares
 * them. So, for each adopted address, this takes the `clone` block and the provider-only settings
 * (timeouts) from the plan's planned values (what the configuration says) and empties the blocks
 * the configuration does not declare (planned `[]`, known) but the import filled in.
 *
 * `rawState` is `tofu state pull`; `plan` is `tofu show -json` of a plan made right after the
 * import. Returns the state to push (serial + 1) and the addresses it changed.
 */
export function adoptedStatePatch(
  rawState: string,
  plan: PlanJson,
  addresses: readonly string[],
): { state: string; patched: string[] } {
  const state = JSON.parse(rawState) as RawState;
  if (state.version !== 4)
    throw new Error(
      `unsupported OpenTofu state version ${String(state.version)} (pve-kube patches version 4)`,
    );
  const wanted = new Set(addresses);
  const patched: string[] = [];
  for (const resource of state.resources ?? []) {
    if (resource.mode !== "managed" || resource.type !== VM_RESOURCE_TYPE) continue;
    for (const instance of resource.instances ?? []) {
      const address = instanceAddress(resource, instance);
      if (!wanted.has(address) || !instance.attributes) continue;
      const change = plan.resource_changes?.find((rc) => rc.address === address)?.change;
      const after = change?.after as Record<string, unknown> | undefined;
      if (!after || !Array.isArray(after.clone)) continue;
      const unknown = (change?.after_unknown ?? {}) as Record<string, unknown>;
      instance.attributes.clone = after.clone;
      alignProviderSettings(instance.attributes, after, unknown);
      for (const [key, value] of Object.entries(after)) {
        if (!Array.isArray(value) || value.length > 0 || unknown[key] === true) continue;
        const current = instance.attributes[key];
        if (Array.isArray(current) && current.length > 0) instance.attributes[key] = [];
      }
      patched.push(address);
    }
  }
  state.serial = (typeof state.serial === "number" ? state.serial : 0) + 1;
  return { state: `${JSON.stringify(state, null, 2)}\n`, patched };
}
