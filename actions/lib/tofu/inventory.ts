import { z } from "zod";

/** One VM as terraform/outputs.tf's `inventory` output lists it: the input of kubeadm-bootstrap. */
export const inventoryVmSchema = z
  .object({
    name: z.string(),
    vmid: z.number().int(),
    node: z.string(),
    role: z.enum(["control-plane", "worker"]),
    pool: z.string(),
    ip: z.string(),
  })
  .strict();
export type InventoryVm = z.infer<typeof inventoryVmSchema>;

const ROLE_ORDER = { "control-plane": 0, worker: 1 } as const;

/** Validates `tofu output -json inventory` and orders it control planes first, then by name. */
export function parseInventory(value: unknown): InventoryVm[] {
  const parsed = z.array(inventoryVmSchema).safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(
      `the module's inventory output is not what pve-kube expects (${first ? `${first.path.join(".")}: ${first.message}` : "invalid"})`,
    );
  }
  return [...parsed.data].sort(
    (a, b) =>
      ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
      a.name.localeCompare(b.name, "en", { numeric: true }),
  );
}
