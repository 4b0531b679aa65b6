import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { actionDeps, type ActionDeps } from "../../lib/action-deps.js";
import { loadClusterConfig } from "../../lib/config/index.js";
import {
  proxmoxFindings,
  refreshOnlyFindings,
  renderDriftMarkdown,
  tofuFindings,
  type DriftReport,
  type ObservedVm,
} from "../../lib/drift/classify.js";
import { getErrorMessage } from "../../lib/errors.js";
import { inputFromEnv, readInputs } from "../../lib/inputs.js";
import {
  connectionForCluster,
  connectionInputsOf,
  createProxmoxClient,
  resolveConnection,
} from "../../lib/proxmox/index.js";
import { listVms, vmConfig } from "../../lib/proxmox/vms.js";
import { appendJobSummary } from "../../lib/report/summary.js";
import { readPlanSummaryFile } from "../../lib/tofu/plan-summary-file.js";
import { clusterHealth } from "./cluster-health.js";
import { inputSchema } from "./inputs.js";

export const DRIFT_REPORT_FILE = "drift.json";

export async function run(deps: ActionDeps = actionDeps()): Promise<DriftReport> {
  const { env, logger } = deps;
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  if (inputs["proxmox-token-secret"]) deps.maskSecret(inputs["proxmox-token-secret"]);
  if (inputs["state-key"]) deps.maskSecret(inputs["state-key"]);
  const loaded = await loadClusterConfig(inputs.cluster, {
    cwd: env.GITHUB_WORKSPACE ?? process.cwd(),
  });
  const { plan } = loaded;
  const report: DriftReport = {
    cluster: plan.cluster,
    status: "none",
    checkedAt: new Date().toISOString(),
    findings: [],
    notes: [],
  };
  try {
    const options = connectionForCluster(loaded, connectionInputsOf(inputs), env);
    resolveConnection(options, env, deps.maskSecret);
    const client = await createProxmoxClient({
      ...options,
      logger,
      env,
      maskSecret: deps.maskSecret,
    });
    try {
      const vms = await listVms(client);
      const relevant = vms.filter(
        (vm) =>
          plan.vms.some((p) => p.vmid === vm.vmid) || vm.tags.includes(`cluster-${plan.cluster}`),
      );
      const observed: ObservedVm[] = [];
      for (const vm of relevant) {
        const config = await vmConfig(client, vm.node, vm.vmid);
        observed.push({ ...vm, ...(config ? { config } : {}) });
      }
      report.findings.push(...proxmoxFindings(plan, observed));
    } finally {
      await client.close();
    }
    const tofu = await readPlanSummaryFile(plan.cluster, env);
    if (inputs["tofu-outcome"] !== "success")
      throw new Error(`the OpenTofu plan step ended with ${inputs["tofu-outcome"]}`);
    if (tofu) {
      const proxmox = [...report.findings];
      if (tofu.refreshOnly) report.findings.push(...refreshOnlyFindings(tofu.refreshOnly, proxmox));
      else
        report.notes.push(
          "no refresh-only pass in this job (tofu-provision refresh-only-pass): out-of-band changes are not told apart from configuration changes",
        );
      report.findings.push(...tofuFindings(tofu.summary, proxmox));
    } else report.notes.push("no OpenTofu plan in this job: only Proxmox was compared");
    const health = await clusterHealth({
      cluster: plan.cluster,
      clusterUid: plan.uid,
      ...(inputs["state-key"] ? { stateKey: inputs["state-key"] } : {}),
      ...(deps.artifactStore ? { artifactStore: deps.artifactStore } : {}),
      ...(env.RUNNER_TEMP ? { tmpRoot: env.RUNNER_TEMP } : {}),
    });
    report.findings.push(...health.findings);
    report.notes.push(...health.notes);
    report.status = report.findings.some((f) => f.drift) ? "detected" : "none";
  } catch (error) {
    report.status = "error";
    report.error = getErrorMessage(error);
    logger.error(`drift check failed: ${report.error}`);
  }
  const markdown = renderDriftMarkdown(report);
  await appendJobSummary(markdown, logger, env);
  for (const f of report.findings) {
    const line = `${f.vm}: ${f.kind}: ${f.detail}`;
    if (f.drift) logger.warning(line);
    else logger.info(line);
  }
  const artifact = `pve-kube-${plan.cluster}-drift`;
  deps.setOutput("drift", report.status);
  deps.setOutput("findings", String(report.findings.filter((f) => f.drift).length));
  deps.setOutput("artifact", artifact);
  const dir = path.join(env.RUNNER_TEMP ?? os.tmpdir(), "pve-kube", plan.cluster, "drift");
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, DRIFT_REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`);
  if (deps.artifactStore)
    await deps.artifactStore.uploadArtifact(artifact, [path.join(dir, DRIFT_REPORT_FILE)], dir, {
      retentionDays: 14,
    });
  logger.info(`drift: ${report.status}`);
  return report;
}
