/**
 * The order deploy-services installs in: storage first (volumes for what follows), the load
 * balancer and its pool before anything that asks for a LoadBalancer address (ingress), the
 * monitoring stack before the rest (its CRDs), Loki before the collector that ships to it, backups
 * last. `needs` narrows it per cluster; among steps free to go, this list decides.
 */
export const SERVICE_ORDER = [
  "proxmox-csi",
  "metallb",
  "lb-pool",
  "kube-prometheus-stack",
  "traefik",
  "loki",
  "fluent-bit",
  "velero",
] as const;
export type ServiceId = (typeof SERVICE_ORDER)[number];

/**
 * A topological order of the steps by their `needs` (a need that is not among the steps, e.g. a
 * service turned off, is ignored), ties broken by SERVICE_ORDER. A cycle is a bug in the catalogue.
 */
export function installOrder<T extends { id: ServiceId; needs: readonly ServiceId[] }>(
  steps: readonly T[],
): T[] {
  const present = new Set(steps.map((s) => s.id));
  const rank = (id: ServiceId) => SERVICE_ORDER.indexOf(id);
  const waiting = [...steps].sort((a, b) => rank(a.id) - rank(b.id));
  const done = new Set<ServiceId>();
  const out: T[] = [];
  while (waiting.length > 0) {
    const i = waiting.findIndex((s) => s.needs.every((n) => !present.has(n) || done.has(n)));
    if (i < 0)
      throw new Error(
        `the services' needs form a cycle: ${waiting.map((s) => `${s.id} needs ${s.needs.join("+")}`).join("; ")}`,
      );
    const [next] = waiting.splice(i, 1);
    out.push(next!);
    done.add(next!.id);
  }
  return out;
}
