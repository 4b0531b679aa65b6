import { X509Certificate } from "node:crypto";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import { parse } from "yaml";
import type { DriftFinding } from "../../lib/drift/classify.js";
import { getErrorMessage } from "../../lib/errors.js";
import {
  downloadPhaseState,
  openSecret,
  type ArtifactStore,
  type PhaseState,
} from "../../lib/state/index.js";

/** Certificates closer than this to their end are reported as drift (kubeadm's own are 1 year). */
export const CERT_WARNING_DAYS = 30;

export interface ClusterHealth {
  findings: DriftFinding[];
  notes: string[];
}

interface Kubeconfig {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

function b64(value: unknown): Buffer | undefined {
  return typeof value === "string" ? Buffer.from(value, "base64") : undefined;
}

function readKubeconfig(text: string): Kubeconfig {
  const doc = parse(text) as {
    clusters?: { cluster?: Record<string, unknown> }[];
    users?: { user?: Record<string, unknown> }[];
  };
  const cluster = doc.clusters?.[0]?.cluster ?? {};
  const user = doc.users?.[0]?.user ?? {};
  if (typeof cluster.server !== "string") throw new Error("the kubeconfig names no API server");
  const ca = b64(cluster["certificate-authority-data"]);
  const cert = b64(user["client-certificate-data"]);
  const key = b64(user["client-key-data"]);
  return {
    server: cluster.server,
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
  };
}

function daysLeft(validTo: string, now: Date): number {
  return Math.floor((Date.parse(validTo) - now.getTime()) / 86_400_000);
}

/** GET /api/v1/nodes with the kubeconfig's client certificate; also returns the server's certificate end. */
function getNodes(
  config: Kubeconfig,
  timeoutMs: number,
): Promise<{ items: NodeItem[]; serverValidTo?: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL("/api/v1/nodes", config.server);
    const request = https.get(
      url,
      {
        ...(config.ca ? { ca: config.ca } : {}),
        ...(config.cert ? { cert: config.cert } : {}),
        ...(config.key ? { key: config.key } : {}),
        timeout: timeoutMs,
      },
      (response) => {
        const peer = (response.socket as TLSSocket).getPeerCertificate?.();
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () => {
          if (response.statusCode !== 200) {
            reject(new Error(`GET /api/v1/nodes answered ${response.statusCode}`));
            return;
          }
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
              items?: NodeItem[];
            };
            resolve({
              items: body.items ?? [],
              ...(peer?.valid_to ? { serverValidTo: peer.valid_to } : {}),
            });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    request.on("error", reject);
  });
}

interface NodeItem {
  metadata?: { name?: string };
  status?: { conditions?: { type?: string; status?: string; reason?: string }[] };
}

/** Nodes Ready and certificate expiry, from a kubeconfig (text). */
export async function checkWithKubeconfig(
  text: string,
  now = new Date(),
  timeoutMs = 10_000,
): Promise<ClusterHealth> {
  const config = readKubeconfig(text);
  const findings: DriftFinding[] = [];
  const notes: string[] = [];
  if (config.cert) {
    const left = daysLeft(new X509Certificate(config.cert).validTo, now);
    if (left < CERT_WARNING_DAYS)
      findings.push({
        vm: "cluster",
        kind: "health",
        detail: `the admin client certificate expires in ${left} days (kubeadm certs renew)`,
        drift: true,
      });
  }
  let answer: Awaited<ReturnType<typeof getNodes>>;
  try {
    answer = await getNodes(config, timeoutMs);
  } catch (error) {
    notes.push(
      `cluster health not checked: the API server ${config.server} is not reachable from this runner (${getErrorMessage(error)})`,
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
        drift: true,
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
        drift: true,
      });
  }
  notes.push(`cluster health: ${ready} of ${answer.items.length} nodes Ready`);
  return { findings, notes };
}

/**
 * Cluster health where the cluster is reachable, through the admin kubeconfig that
 * kubeadm-bootstrap seals into its phase state. Phase state lives in the artifacts of the run that
 * wrote it, so a scheduled run usually has none: that is a note saying what was not checked,
 * never drift and never an error.
 */
export async function clusterHealth(options: {
  cluster: string;
  clusterUid: string;
  stateKey?: string;
  artifactStore?: ArtifactStore;
  tmpRoot?: string;
}): Promise<ClusterHealth> {
  const skip = (why: string): ClusterHealth => ({
    findings: [],
    notes: [`cluster health (nodes Ready, certificate expiry) not checked: ${why}`],
  });
  if (!options.stateKey)
    return skip(
      "no state-key (the admin kubeconfig is sealed under it in kubeadm-bootstrap's state)",
    );
  if (!options.artifactStore) return skip("no artifact service in this environment");
  let state: PhaseState<"kubeadm-bootstrap">;
  try {
    state = await downloadPhaseState(options.cluster, "kubeadm-bootstrap", options.artifactStore, {
      ...(options.tmpRoot ? { tmpRoot: options.tmpRoot } : {}),
      expect: { clusterUid: options.clusterUid, stateKey: options.stateKey },
    });
  } catch (error) {
    return skip(
      `no kubeadm-bootstrap phase state with the sealed admin kubeconfig in this run (${getErrorMessage(error)})`,
    );
  }
  const sealed = state.outputs?.kubeconfig;
  if (!sealed) return skip("kubeadm-bootstrap's state holds no kubeconfig");
  const text = openSecret(
    sealed,
    options.stateKey,
    `${options.cluster}/kubeadm-bootstrap/kubeconfig`,
  );
  return checkWithKubeconfig(text);
}
