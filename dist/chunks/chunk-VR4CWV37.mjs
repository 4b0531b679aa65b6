import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  external_exports
} from "./chunk-OXUWTRXE.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/tofu/inventory.ts
var inventoryVmSchema = external_exports.object({
  name: external_exports.string(),
  vmid: external_exports.number().int(),
  node: external_exports.string(),
  role: external_exports.enum(["control-plane", "worker"]),
  pool: external_exports.string(),
  ip: external_exports.string()
}).strict();
var ROLE_ORDER = { "control-plane": 0, worker: 1 };
function parseInventory(value) {
  const parsed = external_exports.array(inventoryVmSchema).safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(
      `the module's inventory output is not what pve-kube expects (${first ? `${first.path.join(".")}: ${first.message}` : "invalid"})`
    );
  }
  return [...parsed.data].sort(
    (a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.name.localeCompare(b.name, "en", { numeric: true })
  );
}
__name(parseInventory, "parseInventory");

export {
  parseInventory
};
