import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  proxmoxFindings,
  refreshOnlyFindings,
  renderDriftMarkdown,
  tofuFindings
} from "./chunk-64ZKZBXP.mjs";
import {
  readPlanSummaryFile
} from "./chunk-MHG2BPSX.mjs";
import {
  connectionForCluster,
  connectionInputsOf,
  createProxmoxClient,
  listVms,
  resolveConnection,
  vmConfig
} from "./chunk-EOWCMVVJ.mjs";
import "./chunk-AOOLGRGL.mjs";
import "./chunk-N6HR45QX.mjs";
import {
  actionDeps,
  appendJobSummary,
  downloadPhaseState,
  inputFromEnv,
  openSecret,
  readInputs
} from "./chunk-ILTBTALZ.mjs";
import {
  external_exports,
  loadClusterConfig
} from "./chunk-OXUWTRXE.mjs";
import {
  require_dist
} from "./chunk-4BVVZQQR.mjs";
import {
  getErrorMessage
} from "./chunk-SAJHUJQG.mjs";
import "./chunk-4EMYZHSE.mjs";
import {
  __name,
  __toESM
} from "./chunk-UUUODAAY.mjs";

// actions/drift-check/src/drift-check-action.ts
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

// actions/drift-check/src/cluster-health.ts
var import_yaml = __toESM(require_dist(), 1);
import { X509Certificate } from "node:crypto";
import https from "node:https";
var CERT_WARNING_DAYS = 30;
function b64(value) {
  return typeof value === "string" ? Buffer.from(value, "base64") : void 0;
}
__name(b64, "b64");
function readKubeconfig(text) {
  const doc = (0, import_yaml.parse)(text);
  const cluster = doc.clusters?.[0]?.cluster ?? {};
  const user = doc.users?.[0]?.user ?? {};
  if (typeof cluster.server !== "string") throw new Error("the kubeconfig names no API server");
  const ca = b64(cluster["certificate-authority-data"]);
  const cert = b64(user["client-certificate-data"]);
  const key = b64(user["client-key-data"]);
  return {
    server: cluster.server,
    ...ca ? { ca } : {},
    ...cert ? { cert } : {},
    ...key ? { key } : {}
  };
}
__name(readKubeconfig, "readKubeconfig");
function daysLeft(validTo, now) {
  return Math.floor((Date.parse(validTo) - now.getTime()) / 864e5);
}
__name(daysLeft, "daysLeft");
function getNodes(config, timeoutMs) {
  return new Promise((resolve, reject) => {
    const url = new URL("/api/v1/nodes", config.server);
    const request = https.get(
      url,
      {
        ...config.ca ? { ca: config.ca } : {},
        ...config.cert ? { cert: config.cert } : {},
        ...config.key ? { key: config.key } : {},
        timeout: timeoutMs
      },
      (response) => {
        const peer = response.socket.getPeerCertificate?.();
        const chunks = [];
        response.on("data", (c) => chunks.push(c));
        response.on("end", () => {
          if (response.statusCode !== 200) {
            reject(new Error(`GET /api/v1/nodes answered ${response.statusCode}`));
            return;
          }
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
            resolve({
              items: body.items ?? [],
              ...peer?.valid_to ? { serverValidTo: peer.valid_to } : {}
            });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      }
    );
    request.on("timeout", () => request.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    request.on("error", reject);
  });
}
__name(getNodes, "getNodes");
async function checkWithKubeconfig(text, now = /* @__PURE__ */ new Date(), timeoutMs = 1e4) {
  const config = readKubeconfig(text);
  const findings = [];
  const notes = [];
  if (config.cert) {
    const left = daysLeft(new X509Certificate(config.cert).validTo, now);
    if (left < CERT_WARNING_DAYS)
      findings.push({
        vm: "cluster",
        kind: "health",
        detail: `the admin client certificate expires in ${left} days (kubeadm certs renew)`,
        drift: true
      });
  }
  let answer;
  try {
    answer = await getNodes(config, timeoutMs);
  } catch (error) {
    notes.push(
      `cluster health not checked: the API server ${config.server} is not reachable from this runner (${getErrorMessage(error)})`
    );
    return { findings, notes };
  }
  if (answer.serverValidTo) {
    const left = daysLeft(answer.serverValidTo, now);
    if (left < CERT_WARNING_DAYS)
      findings.push({
        vm: "cluster",
        kind: "health",
        detail: `the API server certificate expires in ${left} days`,
        drift: true
      });
  }
  let ready = 0;
  for (const node of answer.items) {
    const condition = node.status?.conditions?.find((c) => c.type === "Ready");
    if (condition?.status === "True") ready++;
    else
      findings.push({
        vm: node.metadata?.name ?? "node",
        kind: "health",
        detail: `node not Ready (${condition?.reason ?? condition?.status ?? "no Ready condition"})`,
        drift: true
      });
  }
  notes.push(`cluster health: ${ready} of ${answer.items.length} nodes Ready`);
  return { findings, notes };
}
__name(checkWithKubeconfig, "checkWithKubeconfig");
async function clusterHealth(options) {
  const skip = /* @__PURE__ */ __name((why) => ({
    findings: [],
    notes: [`cluster health (nodes Ready, certificate expiry) not checked: ${why}`]
  }), "skip");
  if (!options.stateKey)
    return skip(
      "no state-key (the admin kubeconfig is sealed under it in kubeadm-bootstrap's state)"
    );
  if (!options.artifactStore) return skip("no artifact service in this environment");
  let state;
  try {
    state = await downloadPhaseState(options.cluster, "kubeadm-bootstrap", options.artifactStore, {
      ...options.tmpRoot ? { tmpRoot: options.tmpRoot } : {},
      expect: { clusterUid: options.clusterUid, stateKey: options.stateKey }
    });
  } catch (error) {
    return skip(
      `no kubeadm-bootstrap phase state with the sealed admin kubeconfig in this run (${getErrorMessage(error)})`
    );
  }
  const sealed = state.outputs?.kubeconfig;
  if (!sealed) return skip("kubeadm-bootstrap's state holds no kubeconfig");
  const text = openSecret(
    sealed,
    options.stateKey,
    `${options.cluster}/kubeadm-bootstrap/kubeconfig`
  );
  return checkWithKubeconfig(text);
}
__name(clusterHealth, "clusterHealth");

// actions/drift-check/src/inputs.ts
var inputSchema = external_exports.object({
  cluster: external_exports.string({ error: "is required: the path of cluster.yaml" }),
  "proxmox-url": external_exports.string().optional(),
  "proxmox-fingerprint": external_exports.string().optional(),
  "proxmox-token-id": external_exports.string().optional(),
  "proxmox-token-secret": external_exports.string().optional(),
  "tofu-outcome": external_exports.string().default("success"),
  "state-key": external_exports.string().optional()
});

// actions/drift-check/src/drift-check-action.ts
var DRIFT_REPORT_FILE = "drift.json";
async function run(deps = actionDeps()) {
  const { env, logger } = deps;
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  if (inputs["proxmox-token-secret"]) deps.maskSecret(inputs["proxmox-token-secret"]);
  if (inputs["state-key"]) deps.maskSecret(inputs["state-key"]);
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
    if (tofu) {
      const proxmox = [...report.findings];
      if (tofu.refreshOnly) report.findings.push(...refreshOnlyFindings(tofu.refreshOnly, proxmox));
      else
        report.notes.push(
          "no refresh-only pass in this job (tofu-provision refresh-only-pass): out-of-band changes are not told apart from configuration changes"
        );
      report.findings.push(...tofuFindings(tofu.summary, proxmox));
    } else report.notes.push("no OpenTofu plan in this job: only Proxmox was compared");
    const health = await clusterHealth({
      cluster: plan.cluster,
      clusterUid: plan.uid,
      ...inputs["state-key"] ? { stateKey: inputs["state-key"] } : {},
      ...deps.artifactStore ? { artifactStore: deps.artifactStore } : {},
      ...env.RUNNER_TEMP ? { tmpRoot: env.RUNNER_TEMP } : {}
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
