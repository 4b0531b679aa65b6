import type { Phase, PhaseState } from "../../lib/state/index.js";
import { AVAILABLE_PHASES, PHASES } from "../../lib/state/index.js";
import { jobsOfPhase, type JobResult, type PhaseStates } from "./collect.js";

export type PhaseStatus =
  "succeeded" | "failed" | "cancelled" | "skipped" | "not requested" | "to come";

export interface PhaseRow {
  phase: Phase;
  status: PhaseStatus;
  jobs: string[];
  durationMs?: number;
  note: string;
  simulatedSteps: string[];
}

/** What each phase does, for the rows of phases this version does not ship yet. */
export const PHASE_PURPOSE: Record<Phase, string> = {
  preflight: "checks connection, privileges, capacity, VMIDs and addresses before any change",
  "build-template": "the VM template from the pinned cloud image and the recipe",
  "tofu-provision": "control-plane and worker VMs as reviewed OpenTofu plans",
  "kubeadm-bootstrap":
    "kubeadm init and join over SSH with Ansible; HA control plane behind kube-vip",
  "install-cilium": "Cilium as CNI with kube-proxy replacement and Hubble",
  "deploy-services":
    "the platform services chosen in cluster.yaml (CSI, load balancer, ingress, monitoring, …)",
  verify: "end-to-end checks of nodes, pods and services",
};

/** The status of a phase from its jobs: any failure wins, then cancellation; all skipped is skipped. */
function statusFromJobs(jobs: [string, JobResult][]): PhaseStatus | undefined {
  if (jobs.length === 0) return undefined;
  const results = jobs.map(([, j]) => j.result);
  if (results.includes("failure")) return "failed";
  if (results.includes("cancelled")) return "cancelled";
  if (results.every((r) => r === "skipped")) return "skipped";
  return "succeeded";
}

function durationOf(state: PhaseState | undefined): number | undefined {
  if (!state) return undefined;
  const ms = Date.parse(state.finishedAt) - Date.parse(state.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

function noteFor(phase: Phase, states: PhaseStates): string {
  switch (phase) {
    case "preflight": {
      const s = states.preflight;
      if (!s) return "";
      const count = (r: string) => s.outputs.checks.filter((c) => c.result === r).length;
      return `Proxmox VE ${s.outputs.proxmoxVersion}; checks: ${count("pass")} passed, ${count("warn")} warned, ${count("fail")} failed, ${count("skipped")} skipped`;
    }
    case "build-template": {
      const s = states["build-template"];
      if (!s) return "";
      const o = s.outputs;
      return `template ${o.templateVmid} on ${o.node} ${o.built ? "built" : "up to date"} (recipe ${o.fingerprint.slice(0, 12)})`;
    }
    case "tofu-provision": {
      const s = states["tofu-provision"];
      if (!s) return "";
      const c = s.outputs.counts;
      const changes = c.create + c.update + c.replace + c.delete;
      const plan =
        changes === 0
          ? "no changes"
          : `${c.create} to create, ${c.update} to change, ${c.replace} to replace, ${c.delete} to delete`;
      const retries = s.outputs.retries ?? [];
      // transient failures the phase finished within the run (actions/lib/retry): how many, why, what they cost
      const retried = retries.length
        ? `; retried within the run: ${retries.length} (${[...new Set(retries.map((r) => r.reason))].join(", ")}; ${(retries.reduce((n, r) => n + r.costMs, 0) / 1000).toFixed(1)} s)`
        : "";
      return `${s.outputs.inventory.length} VMs; plan: ${plan}; ${s.outputs.applied ? "applied" : "not applied"}${retried}`;
    }
    case "install-cilium": {
      const s = states["install-cilium"];
      if (!s) return "";
      const o = s.outputs;
      return `Cilium ${o.version}, values ${o.valuesHash}; ${o.changed ? `${o.action}ed, revision ${o.revision ?? "?"}` : `no change${o.revision !== undefined ? ` (revision ${o.revision})` : ""}`}${o.waitSeconds !== undefined ? `; ready after ${o.waitSeconds} s` : ""}`;
    }
    case "deploy-services": {
      const s = states["deploy-services"];
      if (!s) return "";
      const r = s.outputs.releases;
      if (r.length === 0 && s.outputs.objects.length === 0) return "no service enabled";
      const changed = r
        .filter((x) => x.changed)
        .map((x) => `${x.name} ${x.action}ed (revision ${x.revision ?? "?"})`);
      return `${r.map((x) => `${x.name} ${x.version}`).join(", ")}; ${changed.length ? changed.join(", ") : "no release changed"}`;
    }
    case "verify": {
      const s = states.verify;
      if (!s) return "";
      const c = s.outputs.checks;
      const failed = c.filter((x) => !x.ok).map((x) => x.check);
      return `${c.length - failed.length}/${c.length} checks passed${failed.length ? `; failed: ${failed.join(", ")}` : ""}`;
    }
    default:
      return "";
  }
}

/** One row per phase of the pipeline, in order. */
export function phaseRows(
  requested: readonly Phase[],
  jobs: Record<string, JobResult>,
  states: PhaseStates,
): PhaseRow[] {
  return PHASES.map((phase) => {
    const state = states[phase] as PhaseState | undefined;
    const phaseJobs = jobsOfPhase(phase, jobs);
    const simulatedSteps = state?.timings.filter((t) => t.simulated).map((t) => t.step) ?? [];
    const base = {
      phase,
      jobs: phaseJobs.map(([id]) => id),
      simulatedSteps,
      note: noteFor(phase, states),
    };
    const durationMs = durationOf(state);
    if (!AVAILABLE_PHASES.includes(phase))
      return { ...base, status: "to come", note: PHASE_PURPOSE[phase] };
    if (!requested.includes(phase)) return { ...base, status: "not requested" };
    const fromJobs = statusFromJobs(phaseJobs);
    // without job results (a report run outside deploy.yml) the state artifact is the evidence
    const status =
      fromJobs ?? (state ? (state.status === "succeeded" ? "succeeded" : "failed") : "skipped");
    return { ...base, status, ...(durationMs !== undefined ? { durationMs } : {}) };
  });
}

export function overallConclusion(rows: readonly PhaseRow[]): "success" | "failure" | "cancelled" {
  if (rows.some((r) => r.status === "failed")) return "failure";
  if (rows.some((r) => r.status === "cancelled")) return "cancelled";
  return "success";
}
