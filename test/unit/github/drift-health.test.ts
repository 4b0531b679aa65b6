import https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { generate } from "selfsigned";
import { describe, expect, it } from "vitest";
import {
  checkWithKubeconfig,
  clusterHealth,
} from "../../../actions/drift-check/src/cluster-health.js";
import { refreshOnlyFindings, renderDriftMarkdown } from "../../../actions/lib/drift/classify.js";
import type { PlanJson } from "../../../actions/lib/tofu/plan-json.js";
import { summariseRefreshOnly } from "../../../actions/lib/tofu/refresh-only.js";

const VM = "proxmox_virtual_environment_vm";

function drift(index: string, before: object, after: object | null) {
  return {
    address: `${VM}.node["${index}"]`,
    mode: "managed",
    type: VM,
    name: "node",
    index,
    change: { actions: after ? ["update"] : ["delete"], before, after },
  };
}

describe("refresh-only drift and cluster health", () => {
  it("summarises a refresh-only plan's resource_drift and tells out-of-band changes from expected ones", () => {
    const plan: PlanJson = {
      format_version: "1.2",
      resource_drift: [
        drift(
          "p-w-1",
          { memory: [{ dedicated: 8192 }], cpu: [{ cores: 4 }] },
          {
            memory: [{ dedicated: 16384 }],
            cpu: [{ cores: 4 }],
          },
        ),
        drift(
          "p-w-2",
          { disk: [{ interface: "scsi0" }] },
          {
            disk: [{ interface: "scsi0" }, { interface: "scsi1" }],
          },
        ),
        drift("p-w-3", { memory: [{ dedicated: 8192 }] }, null),
      ],
    };
    const result = summariseRefreshOnly(plan, true);
    expect(result.drifted).toEqual([
      {
        address: `${VM}.node["p-w-1"]`,
        name: "p-w-1",
        vm: true,
        action: "update",
        changedAttributes: ["memory"],
      },
      {
        address: `${VM}.node["p-w-2"]`,
        name: "p-w-2",
        vm: true,
        action: "update",
        changedAttributes: ["disk"],
      },
      {
        address: `${VM}.node["p-w-3"]`,
        name: "p-w-3",
        vm: true,
        action: "delete",
        changedAttributes: [],
      },
    ]);
    // p-w-2's new disk is a CSI volume (the Proxmox check found it): expected, not drift
    const findings = refreshOnlyFindings(result, [
      { vm: "p-w-2", kind: "csi-volume", detail: "scsi1=…pvc-…", drift: false },
    ]);
    expect(findings.map((f) => [f.vm, f.drift])).toEqual([
      ["p-w-1", true],
      ["p-w-2", false],
      ["p-w-3", true],
    ]);
    const md = renderDriftMarkdown({
      cluster: "p",
      status: "detected",
      checkedAt: "now",
      findings: [
        ...findings,
        { vm: "p-w-1", kind: "tofu", detail: "OpenTofu would update (memory)", drift: true },
      ],
      notes: [],
    });
    // out-of-band changes in their own section, before what the configuration would change
    const oob = md.indexOf("#### Changed outside OpenTofu (refresh-only plan)");
    const rest = md.indexOf("#### Proxmox, cluster and OpenTofu plan compared with cluster.yaml");
    expect(oob).toBeGreaterThan(0);
    expect(rest).toBeGreaterThan(oob);
    expect(md.slice(oob, rest)).toContain("changed outside OpenTofu: memory");
    expect(md.slice(rest)).toContain("OpenTofu would update (memory)");
  });

  it("skips the health check with a note when there is no state-key or no kubeadm-bootstrap state", async () => {
    const none = await clusterHealth({ cluster: "p", clusterUid: "u" });
    expect(none.findings).toEqual([]);
    expect(none.notes[0]).toMatch(
      /^cluster health \(nodes Ready, certificate expiry\) not checked: no state-key/,
    );
    const missing = await clusterHealth({
      cluster: "p",
      clusterUid: "u",
      stateKey: Buffer.alloc(32, 7).toString("base64"),
      artifactStore: {
        uploadArtifact: () => Promise.reject(new Error("not used")),
        getArtifact: (name) => {
          const error = new Error(`Artifact not found for name: ${name}`);
          error.name = "ArtifactNotFoundError";
          return Promise.reject(error);
        },
        downloadArtifact: () => Promise.reject(new Error("not used")),
        deleteArtifact: () => Promise.reject(new Error("not used")),
      },
    });
    expect(missing.findings).toEqual([]);
    expect(missing.notes[0]).toContain("not checked: no kubeadm-bootstrap phase state");
  });

  it("reads nodes Ready and certificate expiry through a kubeconfig from a real TLS API server", async () => {
    const now = Date.now();
    const server = await generate([{ name: "commonName", value: "kube-apiserver" }], {
      keyType: "ec",
      curve: "P-256",
      algorithm: "sha256",
      notBeforeDate: new Date(now - 60_000),
      // the server certificate ends in 10 days: reported
      notAfterDate: new Date(now + 10 * 86_400_000),
      extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
    });
    const client = await generate([{ name: "commonName", value: "kubernetes-admin" }], {
      keyType: "ec",
      curve: "P-256",
      algorithm: "sha256",
      notBeforeDate: new Date(now - 60_000),
      notAfterDate: new Date(now + 300 * 86_400_000),
    });
    const api = https.createServer(
      { cert: server.cert, key: server.private, requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        if (req.url !== "/api/v1/nodes" || !peer?.subject) {
          res.writeHead(401).end();
          return;
        }
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            items: [
              {
                metadata: { name: "p-cp-1" },
                status: { conditions: [{ type: "Ready", status: "True" }] },
              },
              {
                metadata: { name: "p-w-1" },
                status: {
                  conditions: [{ type: "Ready", status: "False", reason: "KubeletNotReady" }],
                },
              },
            ],
          }),
        );
      },
    );
    await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
    const port = (api.address() as AddressInfo).port;
    const b64 = (pem: string) => Buffer.from(pem).toString("base64");
    const kubeconfig = [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      "- name: p",
      "  cluster:",
      `    server: https://127.0.0.1:${port}`,
      `    certificate-authority-data: ${b64(server.cert)}`,
      "users:",
      "- name: admin",
      "  user:",
      `    client-certificate-data: ${b64(client.cert)}`,
      `    client-key-data: ${b64(client.private)}`,
    ].join("\n");
    try {
      const health = await checkWithKubeconfig(kubeconfig);
      expect(health.findings.map((f) => `${f.vm}: ${f.detail}`)).toEqual([
        expect.stringMatching(/^cluster: the API server certificate expires in (9|10) days$/),
        "p-w-1: node not Ready (KubeletNotReady)",
      ]);
      expect(health.notes).toEqual(["cluster health: 1 of 2 nodes Ready"]);
    } finally {
      await new Promise((resolve) => api.close(resolve));
    }
    // the same kubeconfig once the server is gone: a note, not drift
    const gone = await checkWithKubeconfig(kubeconfig, new Date(), 2000);
    expect(gone.findings).toEqual([]);
    expect(gone.notes[0]).toContain("is not reachable from this runner");
  });
});
