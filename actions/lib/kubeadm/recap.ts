/** One host's line of Ansible's PLAY RECAP. */
export interface HostRecap {
  host: string;
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

const FIELDS = ["ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored"] as const;

/**
 * Parses the PLAY RECAP block of ansible-playbook's default output (the last one, if a log holds
 * several), e.g. `demo-cp-1 : ok=12 changed=3 unreachable=0 failed=0 skipped=4 rescued=0 ignored=0`.
 */
export function parseRecap(output: string): HostRecap[] {
  const lines = output.split(/\r?\n/);
  const start = lines.findLastIndex((line) => /^PLAY RECAP \*+/.test(line));
  if (start < 0) return [];
  const hosts: HostRecap[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^(\S+)\s+:\s+(.*)$/.exec(line.trim());
    if (!match) {
      if (line.trim() === "") continue;
      break;
    }
    const counts = new Map<string, number>(
      [...(match[2] ?? "").matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1] ?? "", Number(m[2])]),
    );
    const recap: HostRecap = {
      host: match[1] ?? "",
      ok: 0,
      changed: 0,
      unreachable: 0,
      failed: 0,
      skipped: 0,
      rescued: 0,
      ignored: 0,
    };
    for (const field of FIELDS) recap[field] = counts.get(field) ?? 0;
    hosts.push(recap);
  }
  return hosts;
}

export function recapTotals(hosts: HostRecap[]): Omit<HostRecap, "host"> {
  const total = {
    ok: 0,
    changed: 0,
    unreachable: 0,
    failed: 0,
    skipped: 0,
    rescued: 0,
    ignored: 0,
  };
  for (const h of hosts) for (const f of FIELDS) total[f] += h[f];
  return total;
}

/** Adds the per-host counts of several runs (the facts run is read-only and not counted). */
export function mergeRecaps(...runs: HostRecap[][]): HostRecap[] {
  const byHost = new Map<string, HostRecap>();
  for (const run of runs)
    for (const h of run) {
      const seen = byHost.get(h.host);
      if (!seen) byHost.set(h.host, { ...h });
      else for (const f of FIELDS) seen[f] += h[f];
    }
  return [...byHost.values()];
}
