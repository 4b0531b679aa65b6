import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  proxmoxFindings,
  renderDriftMarkdown,
  tofuFindings
} from "./chunk-TNS5TWKZ.mjs";
import {
  readPlanSummaryFile
} from "./chunk-4W2CHZG7.mjs";
import {
  connectionForCluster,
  connectionInputsOf,
  createProxmoxClient,
  listVms,
  resolveConnection,
  vmConfig
} from "./chunk-5E6GL5IE.mjs";
import {
  actionDeps,
  appendJobSummary,
  inputFromEnv,
  readInputs
} from "./chunk-FTRLQT2W.mjs";
import "./chunk-R6EWLFXJ.mjs";
import "./chunk-WRVH4TEX.mjs";
import "./chunk-LUM7ICC3.mjs";
import {
  external_exports,
  loadClusterConfig
} from "./chunk-EWMRK6FT.mjs";
import "./chunk-OIIPM2W4.mjs";
import {
  getErrorMessage
} from "./chunk-SAJHUJQG.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/drift-check/src/drift-check-action.ts
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

// actions/drift-check/src/inputs.ts
var inputSchema = external_exports.object({
  cluster: external_exports.string({ error: "is required: the path of cluster.yaml" }),
  "proxmox-url": external_exports.string().optional(),
  "proxmox-fingerprint": external_exports.string().optional(),
  "proxmox-token-id": external_exports.string().optional(),
  "proxmox-token-secret": external_exports.string().optional(),
  "tofu-outcome": external_exports.string().default("success")
});

// actions/drift-check/src/drift-check-action.ts
var DRIFT_REPORT_FILE = "drift.json";
async function run(deps = actionDeps()) {
  const { env, logger } = deps;
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  if (inputs["proxmox-token-secret"]) deps.maskSecret(inputs["proxmox-token-secret"]);
  const loaded = await loadClusterConfig(inputs.cluster, {
    cwd: env.GITHUB_WORKSPACE ?? process.cwd()
  });
  const { plan } = loaded;
  const report = {
    cluster: plan.cluster,
    status: "none",
    checkedAt: (/* @__PURE__ */ new Date()).toISOString(),
    findings: [],
    notes: []
  };
  try {
    const options = connectionForCluster(loaded, connectionInputsOf(inputs), env);
    resolveConnection(options, env, deps.maskSecret);
    const client = await createProxmoxClient({
      ...options,
      logger,
      env,
      maskSecret: deps.maskSecret
    });
    try {
      const vms = await listVms(client);
      const relevant = vms.filter(
        (vm) => plan.vms.some((p) => p.vmid === vm.vmid) || vm.tags.includes(`cluster-${plan.cluster}`)
      );
      const observed = [];
      for (const vm of relevant) {
        const config = await vmConfig(client, vm.node, vm.vmid);
        observed.push({ ...vm, ...config ? { config } : {} });
      }
      report.findings.push(...proxmoxFindings(plan, observed));
    } finally {
      await client.close();
    }
    const tofu = await readPlanSummaryFile(plan.cluster, env);
    if (inputs["tofu-outcome"] !== "success")
      throw new Error(`the OpenTofu plan step ended with ${inputs["tofu-outcome"]}`);
    if (tofu) report.findings.push(...tofuFindings(tofu.summary, report.findings));
    else report.notes.push("no OpenTofu plan in this job: only Proxmox was compared");
    report.notes.push(
      "cluster health (nodes Ready, certificate expiry) not checked: this check reaches only Proxmox and OpenTofu, not the cluster's API"
    );
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
  await writeFile(path.join(dir, DRIFT_REPORT_FILE), `${JSON.stringify(report, null, 2)}
`);
  if (deps.artifactStore)
    await deps.artifactStore.uploadArtifact(artifact, [path.join(dir, DRIFT_REPORT_FILE)], dir, {
      retentionDays: 14
    });
  logger.info(`drift: ${report.status}`);
  return report;
}
__name(run, "run");
export {
  DRIFT_REPORT_FILE,
  run
};
