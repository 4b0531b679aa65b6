import { MANAGED_LABELS, type K8sObject } from "../services/objects.js";
import { versions } from "../versions.js";

/** What verify creates for its end-to-end checks, and deletes afterwards. */
export const VERIFY_NAMESPACE = "pve-kube-verify";
export const VERIFY_APP = "echo";

/**
 * A small HTTP server (agnhost netexec, which also carries dig) behind a LoadBalancer Service:
 * CoreDNS is asked from inside its pod, the Service's address must come from the pool and answer
 * from the runner.
 */
export function probeObjects(): K8sObject[] {
  const labels = { ...MANAGED_LABELS, app: VERIFY_APP };
  return [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: VERIFY_NAMESPACE, labels: { ...MANAGED_LABELS } },
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: VERIFY_APP, namespace: VERIFY_NAMESPACE, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: VERIFY_APP } },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: "netexec",
                image: versions.images.agnhost,
                args: ["netexec", "--http-port=8080"],
                ports: [{ containerPort: 8080 }],
                readinessProbe: { httpGet: { path: "/healthz", port: 8080 } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ["ALL"] },
                  runAsNonRoot: true,
                  runAsUser: 65532,
                  seccompProfile: { type: "RuntimeDefault" },
                },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: VERIFY_APP, namespace: VERIFY_NAMESPACE, labels },
      spec: {
        type: "LoadBalancer",
        selector: { app: VERIFY_APP },
        ports: [{ name: "http", port: 80, targetPort: 8080 }],
      },
    },
  ];
}
