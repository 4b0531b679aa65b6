import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  defaultStorageClassName,
  versions
} from "./chunk-OXUWTRXE.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/services/objects.ts
var FIELD_MANAGER = "pve-kube";
var MANAGED_LABELS = { "app.kubernetes.io/managed-by": "pve-kube" };
function objectList(objects) {
  return `${JSON.stringify({ apiVersion: "v1", kind: "List", items: objects })}
`;
}
__name(objectList, "objectList");
function objectLabel(o) {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
}
__name(objectLabel, "objectLabel");

// actions/lib/services/csi.ts
var CSI_NAMESPACE = "csi-proxmox";
var CSI_CONFIG_SECRET = "proxmox-csi-config";
var REGION_LABEL = "topology.kubernetes.io/region";
var ZONE_LABEL = "topology.kubernetes.io/zone";
function csiStorageClasses(config) {
  const csi = config.services.proxmoxCsi;
  const listed = csi.storageClasses;
  if (listed.length === 0) {
    const storage = csi.storage ?? config.proxmox.storage.disks;
    return [
      {
        name: defaultStorageClassName(storage),
        storage,
        default: true,
        fstype: "ext4",
        reclaimPolicy: "Delete"
      }
    ];
  }
  return listed.map((c) => ({
    name: c.name ?? defaultStorageClassName(c.storage),
    storage: c.storage,
    default: c.default,
    fstype: c.fstype,
    reclaimPolicy: c.reclaimPolicy,
    ...c.ssd !== void 0 ? { ssd: c.ssd } : {},
    ...c.cache ? { cache: c.cache } : {}
  }));
}
__name(csiStorageClasses, "csiStorageClasses");
function csiRegion(config) {
  return config.services.proxmoxCsi.region ?? new URL(config.proxmox.endpoint).hostname;
}
__name(csiRegion, "csiRegion");
function csiValues(config) {
  return {
    existingConfigSecret: CSI_CONFIG_SECRET,
    existingConfigSecretKey: "config.yaml",
    storageClass: csiStorageClasses(config).map((c) => ({
      name: c.name,
      storage: c.storage,
      fstype: c.fstype,
      reclaimPolicy: c.reclaimPolicy,
      ...c.ssd !== void 0 ? { ssd: c.ssd } : {},
      ...c.cache ? { cache: c.cache } : {},
      labels: { ...MANAGED_LABELS },
      ...c.default ? { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } } : {}
    }))
  };
}
__name(csiValues, "csiValues");
function csiConfigSecret(plan, region, token) {
  const endpoint = new URL(plan.proxmox.endpoint);
  const config = [
    "clusters:",
    `  - url: ${JSON.stringify(`${endpoint.origin}/api2/json`)}`,
    `    insecure: ${plan.proxmox.tls.insecure === true}`,
    `    token_id: ${JSON.stringify(token.id)}`,
    `    token_secret: ${JSON.stringify(token.secret)}`,
    `    region: ${JSON.stringify(region)}`,
    ""
  ].join("\n");
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: CSI_CONFIG_SECRET, namespace: CSI_NAMESPACE, labels: { ...MANAGED_LABELS } },
    type: "Opaque",
    stringData: { "config.yaml": config }
  };
}
__name(csiConfigSecret, "csiConfigSecret");

// actions/lib/services/backup.ts
var VELERO_NAMESPACE = "velero";
var VELERO_CREDENTIALS_SECRET = "velero-s3";
function veleroValues(config) {
  const b = config.services.backup;
  const s3 = b.s3;
  if (!s3) throw new Error("unreachable: backup without s3 is refused by the config rules");
  return {
    initContainers: [
      {
        name: "velero-plugin-for-aws",
        image: versions.images.veleroPluginForAws,
        volumeMounts: [{ mountPath: "/target", name: "plugins" }]
      }
    ],
    credentials: { useSecret: true, existingSecret: VELERO_CREDENTIALS_SECRET },
    configuration: {
      backupStorageLocation: [
        {
          name: "default",
          provider: "aws",
          bucket: s3.bucket,
          prefix: s3.prefix ?? config.metadata.name,
          default: true,
          config: {
            region: s3.region,
            s3Url: s3.endpoint,
            s3ForcePathStyle: String(s3.forcePathStyle)
          }
        }
      ],
      volumeSnapshotLocation: [],
      // Proxmox CSI takes no snapshots through Velero: volumes go to S3 file by file
      defaultVolumesToFsBackup: true
    },
    snapshotsEnabled: false,
    deployNodeAgent: true,
    schedules: {
      daily: {
        schedule: b.schedule,
        template: { ttl: b.ttl, includedNamespaces: ["*"] }
      }
    }
  };
}
__name(veleroValues, "veleroValues");
function veleroCredentialsSecret(keys) {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: VELERO_CREDENTIALS_SECRET,
      namespace: VELERO_NAMESPACE,
      labels: { ...MANAGED_LABELS }
    },
    type: "Opaque",
    stringData: {
      cloud: `[default]
aws_access_key_id=${keys.accessKey}
aws_secret_access_key=${keys.secretKey}
`
    }
  };
}
__name(veleroCredentialsSecret, "veleroCredentialsSecret");

// actions/lib/services/lb-pool.ts
var LB_POOL_NAME = "pve-kube";
var METALLB_NAMESPACE = "metallb-system";
function lbPoolSettings(config, plan) {
  const provider = config.services.loadBalancer.provider;
  if (provider === "none" || !plan.network.lbRange) return void 0;
  return {
    provider,
    range: plan.network.lbRange,
    interfaces: config.services.loadBalancer.interfaces
  };
}
__name(lbPoolSettings, "lbPoolSettings");
function lbPoolObjects(s) {
  const metadata = /* @__PURE__ */ __name((namespace) => ({
    name: LB_POOL_NAME,
    ...namespace ? { namespace } : {},
    labels: { ...MANAGED_LABELS }
  }), "metadata");
  if (s.provider === "cilium-lb-ipam")
    return [
      {
        apiVersion: "cilium.io/v2",
        kind: "CiliumLoadBalancerIPPool",
        metadata: metadata(),
        spec: { blocks: [{ start: s.range.start, stop: s.range.end }] }
      },
      {
        apiVersion: "cilium.io/v2alpha1",
        kind: "CiliumL2AnnouncementPolicy",
        metadata: metadata(),
        // every node may answer (a single-node cluster has only its control plane); only
        // LoadBalancer IPs, never externalIPs a user sets by hand
        spec: { loadBalancerIPs: true, externalIPs: false, interfaces: s.interfaces }
      }
    ];
  return [
    {
      apiVersion: "metallb.io/v1beta1",
      kind: "IPAddressPool",
      metadata: metadata(METALLB_NAMESPACE),
      spec: { addresses: [`${s.range.start}-${s.range.end}`], autoAssign: true }
    },
    {
      apiVersion: "metallb.io/v1beta1",
      kind: "L2Advertisement",
      metadata: metadata(METALLB_NAMESPACE),
      spec: { ipAddressPools: [LB_POOL_NAME] }
    }
  ];
}
__name(lbPoolObjects, "lbPoolObjects");

// actions/lib/services/network.ts
function metallbValues() {
  return {
    crds: { enabled: true },
    frrk8s: { enabled: false },
    speaker: { frr: { enabled: false } }
  };
}
__name(metallbValues, "metallbValues");
function traefikValues(_config, plan) {
  const workers = plan.vms.filter((v) => v.role === "worker").length;
  return {
    deployment: { replicas: Math.max(1, Math.min(2, workers || plan.vms.length)) },
    ingressClass: { enabled: true, isDefaultClass: true },
    service: { type: "LoadBalancer" },
    providers: { kubernetesIngress: { publishedService: { enabled: true } } }
  };
}
__name(traefikValues, "traefikValues");

// actions/lib/services/observability.ts
var MONITORING_NAMESPACE = "monitoring";
var LOGGING_NAMESPACE = "logging";
var volumeClaim = /* @__PURE__ */ __name((gib) => ({
  accessModes: ["ReadWriteOnce"],
  resources: { requests: { storage: `${gib}Gi` } }
}), "volumeClaim");
function monitoringValues(config) {
  const m = config.services.monitoring;
  return {
    grafana: { enabled: m.grafana },
    prometheus: {
      prometheusSpec: {
        retention: m.retention,
        // pick up every ServiceMonitor/PodMonitor, not only the ones labelled for this release
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ...m.storageGiB ? { storageSpec: { volumeClaimTemplate: { spec: volumeClaim(m.storageGiB) } } } : {}
      }
    },
    // Cilium replaces kube-proxy: nothing to scrape there
    kubeProxy: { enabled: !config.cilium.kubeProxyReplacement },
    // kubeadm binds etcd's metrics, the controller-manager and the scheduler to 127.0.0.1: a
    // scrape from a pod fails and only raises alerts
    kubeEtcd: { enabled: false },
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false }
  };
}
__name(monitoringValues, "monitoringValues");
function lokiValues(config) {
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
            index: { prefix: "index_", period: "24h" }
          }
        ]
      },
      limits_config: { retention_period: l.retention },
      compactor: { retention_enabled: true, delete_request_store: "filesystem" }
    },
    singleBinary: {
      replicas: 1,
      persistence: l.storageGiB ? { enabled: true, size: `${l.storageGiB}Gi` } : { enabled: false }
    },
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false }
  };
}
__name(lokiValues, "lokiValues");
function fluentBitValues(config) {
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
        ""
      ].join("\n")
    }
  };
}
__name(fluentBitValues, "fluentBitValues");

// actions/lib/services/order.ts
var SERVICE_ORDER = [
  "proxmox-csi",
  "metallb",
  "lb-pool",
  "kube-prometheus-stack",
  "traefik",
  "loki",
  "fluent-bit",
  "velero"
];
function installOrder(steps) {
  const present = new Set(steps.map((s) => s.id));
  const rank = /* @__PURE__ */ __name((id) => SERVICE_ORDER.indexOf(id), "rank");
  const waiting = [...steps].sort((a, b) => rank(a.id) - rank(b.id));
  const done = /* @__PURE__ */ new Set();
  const out = [];
  while (waiting.length > 0) {
    const i = waiting.findIndex((s) => s.needs.every((n) => !present.has(n) || done.has(n)));
    if (i < 0)
      throw new Error(
        `the services' needs form a cycle: ${waiting.map((s) => `${s.id} needs ${s.needs.join("+")}`).join("; ")}`
      );
    const [next] = waiting.splice(i, 1);
    out.push(next);
    done.add(next.id);
  }
  return out;
}
__name(installOrder, "installOrder");

// actions/lib/services/catalog.ts
var release = /* @__PURE__ */ __name((step) => ({ kind: "release", secrets: [], needs: [], ...step }), "release");
function serviceSteps(config, plan) {
  const s = config.services;
  const steps = [];
  if (s.proxmoxCsi.enabled)
    steps.push(
      release({
        id: "proxmox-csi",
        release: "proxmox-csi-plugin",
        namespace: CSI_NAMESPACE,
        chartKey: "proxmox-csi-plugin",
        rendered: csiValues(config),
        user: s.proxmoxCsi.values,
        secrets: ["proxmox-csi-config"]
      })
    );
  if (s.loadBalancer.provider === "metallb")
    steps.push(
      release({
        id: "metallb",
        release: "metallb",
        namespace: METALLB_NAMESPACE,
        chartKey: "metallb",
        rendered: metallbValues(),
        user: s.loadBalancer.values
      })
    );
  const pool = lbPoolSettings(config, plan);
  if (pool)
    steps.push({
      kind: "objects",
      id: "lb-pool",
      objects: lbPoolObjects(pool),
      needs: ["metallb"]
    });
  if (s.monitoring.enabled)
    steps.push(
      release({
        id: "kube-prometheus-stack",
        release: "kube-prometheus-stack",
        namespace: MONITORING_NAMESPACE,
        chartKey: "kube-prometheus-stack",
        rendered: monitoringValues(config),
        user: s.monitoring.values,
        needs: ["proxmox-csi"]
      })
    );
  if (s.ingress.enabled && s.ingress.controller === "traefik")
    steps.push(
      release({
        id: "traefik",
        release: "traefik",
        namespace: "traefik",
        chartKey: "traefik",
        rendered: traefikValues(config, plan),
        user: s.ingress.values,
        needs: ["lb-pool"]
      })
    );
  if (s.logging.enabled) {
    steps.push(
      release({
        id: "loki",
        release: "loki",
        namespace: LOGGING_NAMESPACE,
        chartKey: "loki",
        rendered: lokiValues(config),
        user: s.logging.values,
        needs: ["proxmox-csi"]
      }),
      release({
        id: "fluent-bit",
        release: "fluent-bit",
        namespace: LOGGING_NAMESPACE,
        chartKey: "fluent-bit",
        rendered: fluentBitValues(config),
        user: s.logging.fluentBitValues,
        needs: ["loki"]
      })
    );
  }
  if (s.backup.enabled)
    steps.push(
      release({
        id: "velero",
        release: "velero",
        namespace: VELERO_NAMESPACE,
        chartKey: "velero",
        rendered: veleroValues(config),
        user: s.backup.values,
        secrets: ["velero-s3"],
        needs: ["proxmox-csi"]
      })
    );
  return installOrder(steps);
}
__name(serviceSteps, "serviceSteps");

// actions/lib/services/kubectl-apply.ts
function kubectlDiffArgs(kubeconfig) {
  return serverSideFromStdin("diff", kubeconfig);
}
__name(kubectlDiffArgs, "kubectlDiffArgs");
function kubectlApplyArgs(kubeconfig) {
  return serverSideFromStdin("apply", kubeconfig);
}
__name(kubectlApplyArgs, "kubectlApplyArgs");
function serverSideFromStdin(verb, kubeconfig) {
  return [
    verb,
    "--server-side",
    `--field-manager=${FIELD_MANAGER}`,
    "--force-conflicts",
    "-f",
    "-",
    "--kubeconfig",
    kubeconfig
  ];
}
__name(serverSideFromStdin, "serverSideFromStdin");
function kubectlGetNodesArgs(kubeconfig) {
  return ["get", "nodes", "--output", "json", "--kubeconfig", kubeconfig];
}
__name(kubectlGetNodesArgs, "kubectlGetNodesArgs");
function rolloutRestartArgs(kubeconfig, namespace, workload) {
  return [
    "rollout",
    "restart",
    `${workload.kind.toLowerCase()}/${workload.name}`,
    "--namespace",
    namespace,
    "--kubeconfig",
    kubeconfig
  ];
}
__name(rolloutRestartArgs, "rolloutRestartArgs");

export {
  MANAGED_LABELS,
  objectList,
  objectLabel,
  veleroCredentialsSecret,
  REGION_LABEL,
  ZONE_LABEL,
  csiRegion,
  csiConfigSecret,
  serviceSteps,
  kubectlDiffArgs,
  kubectlApplyArgs,
  kubectlGetNodesArgs,
  rolloutRestartArgs
};
