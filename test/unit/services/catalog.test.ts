import { describe, expect, it } from "vitest";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { serviceSteps, type ReleaseStep } from "../../../actions/lib/services/catalog.js";
import { installOrder, type ServiceId } from "../../../actions/lib/services/order.js";
import { BASE_CONFIG, edit } from "../config/base-config.js";

const FILE = "clusters/demo/cluster.yaml";
const withServices = (services: string) =>
  edit(
    "services:\n  loadBalancer:\n    provider: cilium-lb-ipam\n",
    `services:\n${services}`,
  )(BASE_CONFIG);
const stepsOf = (services: string) => {
  const { config, plan } = parseClusterConfig(withServices(services), FILE);
  return serviceSteps(config, plan);
};
const release = (services: string, id: ServiceId) =>
  stepsOf(services).find((s): s is ReleaseStep => s.kind === "release" && s.id === id)!;

const S3 = `  backup:
    enabled: true
    s3:
      endpoint: https://s3.example.com
      bucket: demo-velero
`;

describe("install order", () => {
  it.each([
    ["nothing enabled, no LB provider", "  loadBalancer:\n    provider: none\n", []],
    [
      "Cilium LB-IPAM only: the pool",
      "  loadBalancer:\n    provider: cilium-lb-ipam\n",
      ["lb-pool"],
    ],
    [
      "MetalLB before its pool, the pool before Traefik",
      "  loadBalancer:\n    provider: metallb\n  ingress:\n    enabled: true\n    controller: traefik\n",
      ["metallb", "lb-pool", "traefik"],
    ],
    [
      "everything: storage first, Loki before Fluent Bit, backups last",
      `  proxmoxCsi:\n    enabled: true\n  loadBalancer:\n    provider: metallb\n  ingress:\n    enabled: true\n    controller: traefik\n  monitoring:\n    enabled: true\n  logging:\n    enabled: true\n${S3}`,
      [
        "proxmox-csi",
        "metallb",
        "lb-pool",
        "kube-prometheus-stack",
        "traefik",
        "loki",
        "fluent-bit",
        "velero",
      ],
    ],
    [
      "Cilium's own ingress is install-cilium's: no release here",
      "  loadBalancer:\n    provider: cilium-lb-ipam\n  ingress:\n    enabled: true\n    controller: cilium\n",
      ["lb-pool"],
    ],
  ])("%s", (_name, services, order) => {
    expect(stepsOf(services).map((s) => s.id)).toEqual(order);
  });

  it("needs win over the default order; a need that is off is ignored; a cycle is a bug", () => {
    const ids = (steps: { id: ServiceId; needs: ServiceId[] }[]) =>
      installOrder(steps).map((s) => s.id);
    expect(
      ids([
        { id: "proxmox-csi", needs: ["velero"] },
        { id: "velero", needs: [] },
        { id: "loki", needs: ["metallb"] },
      ]),
    ).toEqual(["loki", "velero", "proxmox-csi"]);
    expect(() =>
      ids([
        { id: "loki", needs: ["fluent-bit"] },
        { id: "fluent-bit", needs: ["loki"] },
      ]),
    ).toThrow(/cycle: loki needs fluent-bit; fluent-bit needs loki/);
  });
});

describe("values rendered from cluster.yaml", () => {
  it("Proxmox CSI: one StorageClass per storage, the default one annotated, the config from our Secret", () => {
    const csi = release(
      `  proxmoxCsi:
    enabled: true
    storageClasses:
      - storage: local-lvm
        default: true
      - storage: ceph_vm.1
        name: fast
        fstype: xfs
        reclaimPolicy: Retain
        ssd: true
`,
      "proxmox-csi",
    );
    expect(csi).toMatchObject({
      release: "proxmox-csi-plugin",
      namespace: "csi-proxmox",
      secrets: ["proxmox-csi-config"],
    });
    expect(csi.rendered).toEqual({
      existingConfigSecret: "proxmox-csi-config",
      existingConfigSecretKey: "config.yaml",
      storageClass: [
        {
          name: "proxmox-local-lvm",
          storage: "local-lvm",
          fstype: "ext4",
          reclaimPolicy: "Delete",
          labels: { "app.kubernetes.io/managed-by": "pve-kube" },
          annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
        },
        {
          name: "fast",
          storage: "ceph_vm.1",
          fstype: "xfs",
          reclaimPolicy: "Retain",
          ssd: true,
          labels: { "app.kubernetes.io/managed-by": "pve-kube" },
        },
      ],
    });
    // no credential in the values: they are in the Secret
    expect(JSON.stringify(csi.rendered)).not.toMatch(/token/);
  });

  it("Proxmox CSI without storageClasses: one default class on storage (or proxmox.storage.disks)", () => {
    const csi = release("  proxmoxCsi:\n    enabled: true\n", "proxmox-csi");
    expect(csi.rendered.storageClass).toMatchObject([
      { name: "proxmox-local-lvm", storage: "local-lvm" },
    ]);
  });

  it("MetalLB: layer 2 only; user values merged last by the action, kept apart here", () => {
    const m = release(
      "  loadBalancer:\n    provider: metallb\n    values:\n      speaker:\n        logLevel: debug\n",
      "metallb",
    );
    expect(m.rendered).toEqual({
      crds: { enabled: true },
      frrk8s: { enabled: false },
      speaker: { frr: { enabled: false } },
    });
    expect(m.user).toEqual({ speaker: { logLevel: "debug" } });
  });

  it("monitoring: retention and volume from cluster.yaml, kube-proxy off under Cilium's replacement", () => {
    const m = release(
      "  proxmoxCsi:\n    enabled: true\n  monitoring:\n    enabled: true\n    retention: 30d\n    storageGiB: 50\n    grafana: false\n",
      "kube-prometheus-stack",
    );
    expect(m.rendered).toMatchObject({
      grafana: { enabled: false },
      prometheus: {
        prometheusSpec: {
          retention: "30d",
          storageSpec: {
            volumeClaimTemplate: { spec: { resources: { requests: { storage: "50Gi" } } } },
          },
        },
      },
      kubeProxy: { enabled: false },
    });
  });

  it("logging: Loki single binary with retention; Fluent Bit ships to its gateway in the cluster domain", () => {
    expect(release("  logging:\n    enabled: true\n", "loki").rendered).toMatchObject({
      deploymentMode: "SingleBinary",
      loki: { limits_config: { retention_period: "168h" } },
      singleBinary: { replicas: 1, persistence: { enabled: false } },
    });
    const fb = release("  logging:\n    enabled: true\n", "fluent-bit");
    expect((fb.rendered.config as { outputs: string }).outputs).toContain(
      "Host loki-gateway.logging.svc.cluster.local",
    );
  });

  it("Velero: S3 location from cluster.yaml, credentials only as the name of our Secret", () => {
    const v = release(`${S3}    schedule: "30 2 * * *"\n`, "velero");
    expect(v.secrets).toEqual(["velero-s3"]);
    expect(v.rendered).toMatchObject({
      credentials: { useSecret: true, existingSecret: "velero-s3" },
      configuration: {
        backupStorageLocation: [
          {
            provider: "aws",
            bucket: "demo-velero",
            prefix: "demo",
            config: {
              region: "us-east-1",
              s3Url: "https://s3.example.com",
              s3ForcePathStyle: "true",
            },
          },
        ],
      },
      schedules: { daily: { schedule: "30 2 * * *", template: { ttl: "720h" } } },
    });
  });
});
