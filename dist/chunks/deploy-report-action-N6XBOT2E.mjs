import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  verifyTable
} from "./chunk-CYFAIY4P.mjs";
import {
  topologyMermaid
} from "./chunk-ORDDMC3G.mjs";
import {
  details,
  formatDuration,
  table
} from "./chunk-47EJWNSM.mjs";
import "./chunk-XQFMMS6B.mjs";
import {
  AVAILABLE_PHASES,
  PHASES,
  actionDeps,
  appendJobSummary,
  downloadPhaseState,
  inputFromEnv,
  parsePhaseSelection,
  readInputs
} from "./chunk-ILTBTALZ.mjs";
import {
  external_exports,
  loadClusterConfig
} from "./chunk-OXUWTRXE.mjs";
import "./chunk-4BVVZQQR.mjs";
import {
  ConfigurationError,
  getErrorMessage
} from "./chunk-SAJHUJQG.mjs";
import "./chunk-4EMYZHSE.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/deploy-report/src/collect.ts
var jobResultSchema = external_exports.object({
  result: external_exports.enum(["success", "failure", "cancelled", "skipped"]),
  outputs: external_exports.record(external_exports.string(), external_exports.string()).default({})
});
function parseJobResults(json) {
  let raw;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ConfigurationError(
      `job-results is not JSON: ${getErrorMessage(error)}`,
      "pass job-results: ${{ toJSON(needs) }}"
    );
  }
  const parsed = external_exports.record(external_exports.string(), jobResultSchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigurationError(
      `job-results: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`,
      "pass job-results: ${{ toJSON(needs) }}"
    );
  }
  return parsed.data;
}
__name(parseJobResults, "parseJobResults");
function jobsOfPhase(phase, jobs) {
  return Object.entries(jobs).filter(([id]) => id === phase || id.startsWith(`${phase}-`));
}
__name(jobsOfPhase, "jobsOfPhase");
async function collectPhaseStates(cluster, store, logger) {
  const states = {};
  if (!store) {
    logger.info("no artifact service in this environment: the report shows job results only");
    return states;
  }
  for (const phase of AVAILABLE_PHASES) {
    try {
      Object.assign(states, { [phase]: await downloadPhaseState(cluster, phase, store) });
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      logger.info(`no state of phase ${phase}: ${getErrorMessage(error)}`);
    }
  }
  return states;
}
__name(collectPhaseStates, "collectPhaseStates");

// actions/deploy-report/src/inputs.ts
var inputSchema = external_exports.object({
  cluster: external_exports.string({ error: "is required: the path of cluster.yaml" }),
  phases: external_exports.string().default("all"),
  "job-results": external_exports.string().default("{}")
});

// actions/deploy-report/src/phase-rows.ts
var PHASE_PURPOSE = {
  preflight: "checks connection, privileges, capacity, VMIDs and addresses before any change",
  "build-template": "the VM template from the pinned cloud image and the recipe",
  "tofu-provision": "control-plane and worker VMs as reviewed OpenTofu plans",
  "kubeadm-bootstrap": "kubeadm init and join over SSH with Ansible; HA control plane behind kube-vip",
  "install-cilium": "Cilium as CNI with kube-proxy replacement and Hubble",
  "deploy-services": "the platform services chosen in cluster.yaml (CSI, load balancer, ingress, monitoring, \u2026)",
  verify: "end-to-end checks of nodes, pods and services"
};
function statusFromJobs(jobs) {
  if (jobs.length === 0) return void 0;
  const results = jobs.map(([, j]) => j.result);
  if (results.includes("failure")) return "failed";
  if (results.includes("cancelled")) return "cancelled";
  if (results.every((r) => r === "skipped")) return "skipped";
  return "succeeded";
}
__name(statusFromJobs, "statusFromJobs");
function durationOf(state) {
  if (!state) return void 0;
  const ms = Date.parse(state.finishedAt) - Date.parse(state.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? ms : void 0;
}
__name(durationOf, "durationOf");
function noteFor(phase, states) {
  switch (phase) {
    case "preflight": {
      const s = states.preflight;
      if (!s) return "";
      const count = /* @__PURE__ */ __name((r) => s.outputs.checks.filter((c) => c.result === r).length, "count");
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
      const plan = changes === 0 ? "no changes" : `${c.create} to create, ${c.update} to change, ${c.replace} to replace, ${c.delete} to delete`;
      const retries = s.outputs.retries ?? [];
      const retried = retries.length ? `; retried within the run: ${retries.length} (${[...new Set(retries.map((r) => r.reason))].join(", ")}; ${(retries.reduce((n, r) => n + r.costMs, 0) / 1e3).toFixed(1)} s)` : "";
      return `${s.outputs.inventory.length} VMs; plan: ${plan}; ${s.outputs.applied ? "applied" : "not applied"}${retried}`;
    }
    case "install-cilium": {
      const s = states["install-cilium"];
      if (!s) return "";
      const o = s.outputs;
      return `Cilium ${o.version}, values ${o.valuesHash}; ${o.changed ? `${o.action}ed, revision ${o.revision ?? "?"}` : `no change${o.revision !== void 0 ? ` (revision ${o.revision})` : ""}`}${o.waitSeconds !== void 0 ? `; ready after ${o.waitSeconds} s` : ""}`;
    }
    case "deploy-services": {
      const s = states["deploy-services"];
      if (!s) return "";
      const r = s.outputs.releases;
      if (r.length === 0 && s.outputs.objects.length === 0) return "no service enabled";
      const changed = r.filter((x) => x.changed).map((x) => `${x.name} ${x.action}ed (revision ${x.revision ?? "?"})`);
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
__name(noteFor, "noteFor");
function phaseRows(requested, jobs, states) {
  return PHASES.map((phase) => {
    const state = states[phase];
    const phaseJobs = jobsOfPhase(phase, jobs);
    const simulatedSteps = state?.timings.filter((t) => t.simulated).map((t) => t.step) ?? [];
    const base = {
      phase,
      jobs: phaseJobs.map(([id]) => id),
      simulatedSteps,
      note: noteFor(phase, states)
    };
    const durationMs = durationOf(state);
    if (!AVAILABLE_PHASES.includes(phase))
      return { ...base, status: "to come", note: PHASE_PURPOSE[phase] };
    if (!requested.includes(phase)) return { ...base, status: "not requested" };
    const fromJobs = statusFromJobs(phaseJobs);
    const status = fromJobs ?? (state ? state.status === "succeeded" ? "succeeded" : "failed" : "skipped");
    return { ...base, status, ...durationMs !== void 0 ? { durationMs } : {} };
  });
}
__name(phaseRows, "phaseRows");
function overallConclusion(rows) {
  if (rows.some((r) => r.status === "failed")) return "failure";
  if (rows.some((r) => r.status === "cancelled")) return "cancelled";
  return "success";
}
__name(overallConclusion, "overallConclusion");

// actions/deploy-report/src/render.ts
var STATUS = {
  succeeded: "\u2705 succeeded",
  failed: "\u274C failed",
  cancelled: "\u2298 cancelled",
  skipped: "\u23ED\uFE0F skipped",
  "not requested": "\u2796 not requested",
  "to come": "\u{1F51C} to come"
};
function headline(plan, rows) {
  const conclusion = overallConclusion(rows);
  const failed = rows.find((r) => r.status === "failed");
  const done = rows.filter((r) => r.status === "succeeded").length;
  const icon = conclusion === "success" ? "\u2705" : conclusion === "failure" ? "\u274C" : "\u2298";
  const what = conclusion === "failure" ? `failed in ${failed?.phase ?? "a phase"}` : conclusion === "cancelled" ? "cancelled" : `${done} of ${rows.length} phases done`;
  return `## ${icon} pve-kube deploy \u2014 cluster \`${plan.cluster}\`: ${what}`;
}
__name(headline, "headline");
function simulatedBanner(rows) {
  const simulated = rows.filter((r) => r.simulatedSteps.length > 0);
  if (simulated.length === 0) return "";
  const list = simulated.map((r) => `${r.phase} (${r.simulatedSteps.join(", ")})`).join("; ");
  return `> \u26A0\uFE0F **simulated** \u2014 these steps did not run for real (embedded demo only): ${list}.`;
}
__name(simulatedBanner, "simulatedBanner");
function phaseTable(rows) {
  return table(
    ["Phase", "Result", "Duration", "Details", "Jobs"],
    rows.map((r) => [
      r.simulatedSteps.length > 0 ? `${r.phase} (simulated steps)` : r.phase,
      STATUS[r.status],
      r.durationMs !== void 0 ? formatDuration(r.durationMs) : "",
      r.note,
      r.jobs.join(", ")
    ])
  );
}
__name(phaseTable, "phaseTable");
function stepTimings(states) {
  const rows = Object.values(states).flatMap(
    (s) => s.timings.map((t) => [s.phase, t.step, formatDuration(t.ms), t.simulated ? "simulated" : ""])
  );
  return rows.length === 0 ? "" : details("Step timings", table(["Phase", "Step", "Duration", ""], rows));
}
__name(stepTimings, "stepTimings");
function vmSection(plan, states) {
  const inventory = states["tofu-provision"]?.outputs.inventory;
  if (inventory) {
    return [
      "### Virtual machines",
      table(
        ["Name", "VMID", "Proxmox node", "Role", "Pool", "IP"],
        [...inventory].sort((a, b) => a.vmid - b.vmid).map((vm) => [vm.name, vm.vmid, vm.node, vm.role, vm.pool ?? "", vm.ip])
      )
    ].join("\n\n");
  }
  return [
    "### Virtual machines (planned \u2014 not provisioned in this run)",
    table(
      ["Name", "VMID", "Proxmox node", "Role", "Pool", "IP"],
      plan.vms.map((vm) => [vm.name, vm.vmid, vm.node, vm.role, vm.pool, vm.ip])
    )
  ].join("\n\n");
}
__name(vmSection, "vmSection");
function verifySection(states) {
  const checks = states.verify?.outputs.checks;
  if (!checks) return "";
  return ["### Verify", verifyTable(checks)].join("\n\n");
}
__name(verifySection, "verifySection");
function toCome(rows) {
  const coming = rows.filter((r) => r.status === "to come");
  if (coming.length === 0) return "";
  return ["### Phases still to come", ...coming.map((r) => `- **${r.phase}** \u2014 ${r.note}`)].join(
    "\n"
  );
}
__name(toCome, "toCome");
function renderDeployReport({ plan, rows, states }) {
  return [
    headline(plan, rows),
    simulatedBanner(rows),
    `Proxmox \`${plan.proxmox.endpoint}\` \xB7 Kubernetes ${plan.kubernetes.version} \xB7 API \`${plan.network.vip}:6443\``,
    "### Phases",
    phaseTable(rows),
    verifySection(states),
    vmSection(plan, states),
    "### Topology",
    `\`\`\`mermaid
${topologyMermaid(plan)}
\`\`\``,
    stepTimings(states),
    toCome(rows)
  ].filter(Boolean).join("\n\n").concat("\n");
}
__name(renderDeployReport, "renderDeployReport");

// actions/deploy-report/src/deploy-report-action.ts
function defaultDeps(env = process.env) {
  return actionDeps(env);
}
__name(defaultDeps, "defaultDeps");
async function run(deps = defaultDeps()) {
  const { env, logger } = deps;
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  const requested = parsePhaseSelection(inputs.phases);
  const jobs = parseJobResults(inputs["job-results"]);
  const { plan } = await loadClusterConfig(inputs.cluster, {
    cwd: env.GITHUB_WORKSPACE ?? process.cwd()
  });
  const states = await collectPhaseStates(plan.cluster, deps.artifactStore, logger);
  const rows = phaseRows(requested, jobs, states);
  const markdown = renderDeployReport({ plan, rows, states });
  await appendJobSummary(markdown, logger, env);
  for (const row of rows)
    logger.info(`${row.phase.padEnd(18)} ${row.status}${row.note ? ` \u2014 ${row.note}` : ""}`);
  const conclusion = overallConclusion(rows);
  deps.setOutput("conclusion", conclusion);
  deps.setOutput("simulated", String(rows.some((r) => r.simulatedSteps.length > 0)));
  return { conclusion, rows, markdown };
}
__name(run, "run");
export {
  defaultDeps,
  run
};
