import type { ClusterConfig } from "../config/index.js";
import type { HelmValues } from "../helm/values.js";

export const MONITORING_NAMESPACE = "monitoring";
export const LOGGING_NAMESPACE = "logging";

const volumeClaim = (gib: number) => ({
  accessModes: ["ReadWriteOnce"],
  resources: { requests: { storage: `${gib}Gi` } },
});

/** kube-prometheus-stack for a kubeadm cluster: what kubeadm and Cilium change is switched off. */
export function monitoringValues(config: ClusterConfig): HelmValues {
  const m = config.services.monitoring;
  return {
    grafana: { enabled: m.grafana },
    prometheus: {
      prometheusSpec: {
        retention: m.retention,
        // pick up every ServiceMonitor/PodMonitor, not only the ones labelled for this release
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ...(m.storageGiB
          ? { storageSpec: { volumeClaimTemplate: { spec: volumeClaim(m.storageGiB) } } }
          : {}),
      },
    },
    // Cilium replaces kube-proxy: nothing to scrape there
    kubeProxy: { enabled: !config.cilium.kubeProxyReplacement },
    // kubeadm binds etcd's metrics, the controller-manager and the scheduler to 127.0.0.1: a
    // scrape from a pod fails and only raises alerts
    kubeEtcd: { enabled: false },
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
  };
}

/** Loki as one binary on the filesystem: the small, single-replica form, with retention on. */
export function lokiValues(config: ClusterConfig): HelmValues {
  const l = config.services.logging;
  return {
    deploymentMode: "SingleBinary",
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: "filesystem" },
      schemaConfig: {
        configs: [
          {
            from: "2024-04-01",
            store: "tsdb",
            object_store: "filesystem",
            schema: "v13",
            index: { prefix: "index_", period: "24h" },
          },
        ],
      },
      limits_config: { retention_period: l.retention },
      compactor: { retention_enabled: true, delete_request_store: "filesystem" },
    },
    singleBinary: {
      replicas: 1,
      persistence: l.storageGiB ? { enabled: true, size: `${l.storageGiB}Gi` } : { enabled: false },
    },
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
  };
}

/** Fluent Bit on every node, shipping container logs to Loki's gateway with their Kubernetes labels. */
export function fluentBitValues(config: ClusterConfig): HelmValues {
  const host = `loki-gateway.${LOGGING_NAMESPACE}.svc.${config.kubernetes.clusterDomain}`;
  return {
    config: {
      outputs: [
        "[OUTPUT]",
        "    Name loki",
        "    Match kube.*",
        `    Host ${host}`,
        "    Port 80",
        "    Labels job=fluent-bit",
        "    Auto_kubernetes_labels on",
        "",
      ].join("\n"),
    },
  };
}
