import type { WithinRunRule } from "../retry/within-run.js";
import type { BootstrapPlan } from "./plan.js";
import { parseRecap, type HostRecap } from "./recap.js";

/**
 * kubeadm-bootstrap under the shared within-run rule (actions/lib/retry/within-run.ts): a site.yml
 * run that failed on something that comes back by itself — a guest that dropped its SSH
 * connection, dpkg's lock held by the node's own unattended upgrade, a join whose requests to the
 * control plane timed out while etcd settled — is run again in the same run, after fresh facts
 * and a fresh plan, and only when that plan does nothing the first one did not (the nodes still
 * to do). Anything else (a refused configuration, a failed kubeadm preflight) fails at once.
 */
export const SITE_ATTEMPTS = 3;

/** A playbook run that ended with failed or unreachable hosts (exit 2 or 4). */
export class PlaybookFailedError extends Error {
  override name = "PlaybookFailedError";
  readonly recap: HostRecap[];
  /** the `fatal:` / `UNREACHABLE!` lines and the failure messages of the run, as printed */
  readonly failures: string[];
  constructor(
    readonly playbook: string,
    readonly exitCode: number,
    output: string,
  ) {
    const recap = parseRecap(output);
    const failures = output
      .split(/\r?\n/)
      .filter((l) => /fatal: \[|UNREACHABLE!|FAILED!|"msg":/.test(l))
      .map((l) => l.trim());
    const hosts = recap.filter((h) => h.failed > 0 || h.unreachable > 0).map((h) => h.host);
    super(
      `ansible-playbook ${playbook} exited with code ${exitCode}` +
        (hosts.length ? ` (failed or unreachable: ${hosts.join(", ")})` : "") +
        (failures.length ? `:\n${failures.slice(-6).join("\n")}` : ""),
    );
    this.recap = recap;
    this.failures = failures;
  }
}

/** Why a failed playbook run is transient, or undefined when it is not (the run fails at once). */
export function kubeadmTransientReason(error: unknown): string | undefined {
  if (!(error instanceof PlaybookFailedError)) return undefined;
  const text = error.failures.join("\n");
  if (
    error.recap.some((h) => h.unreachable > 0) ||
    /UNREACHABLE!|Connection reset by peer|Connection timed out|Shared connection to \S+ closed|banner exchange/.test(
      text,
    )
  )
    return "a node dropped its SSH connection";
  if (/Could not get lock|dpkg frontend lock|dpkg was interrupted/.test(text))
    return "dpkg's lock was held on the node";
  if (
    /kubeadm join failed[^\n]*(context deadline exceeded|i\/o timeout|TLS handshake timeout|etcdserver: (request timed out|leader changed)|connection refused)/.test(
      text,
    )
  )
    return "kubeadm join timed out against the control plane";
  return undefined;
}

export const SITE_RULE: WithinRunRule = {
  maxAttempts: SITE_ATTEMPTS,
  transientReason: kubeadmTransientReason,
  pauseMs: () => 5000,
};

/**
 * What `next` (planned after a failed attempt) would do that `reviewed` (the run's plan) did not:
 * empty when the retry only finishes the reviewed work. The nodes already done drop out of the
 * new plan by themselves (they have a kubelet.conf, run the new version, are gone).
 */
export function stepsOutsidePlan(reviewed: BootstrapPlan, next: BootstrapPlan): string[] {
  const outside: string[] = [];
  if (next.init && next.init !== reviewed.init) outside.push(`kubeadm init on ${next.init}`);
  for (const n of next.controlPlaneJoins)
    if (!reviewed.controlPlaneJoins.includes(n)) outside.push(`control-plane join of ${n}`);
  for (const n of next.workerJoins)
    if (!reviewed.workerJoins.includes(n) && !reviewed.controlPlaneJoins.includes(n))
      outside.push(`worker join of ${n}`);
  for (const r of next.removals)
    if (!reviewed.removals.some((x) => x.name === r.name)) outside.push(`removal of ${r.name}`);
  for (const s of next.upgrade?.steps ?? [])
    if (
      reviewed.upgrade?.to !== next.upgrade?.to ||
      !reviewed.upgrade?.steps.some((x) => x.name === s.name)
    )
      outside.push(`upgrade of ${s.name} to ${next.upgrade?.to ?? "?"}`);
  const forgotten = new Set([
    ...(reviewed.forget?.nodes ?? []),
    ...(reviewed.forget?.etcdMembers.map((m) => m.name) ?? []),
  ]);
  // a failed join the run itself made leaves a Node object or an unstarted member to forget: that
  // is finishing the reviewed join, not new work
  const joining = new Set([...reviewed.controlPlaneJoins, ...reviewed.workerJoins]);
  for (const n of [
    ...(next.forget?.nodes ?? []),
    ...(next.forget?.etcdMembers.map((m) => m.name) ?? []),
  ])
    if (!forgotten.has(n) && !joining.has(n)) outside.push(`forgetting ${n}`);
  return [...new Set(outside)];
}
