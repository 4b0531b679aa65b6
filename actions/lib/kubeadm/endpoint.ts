import { createHash } from "node:crypto";
import { z } from "zod";
import { API_SERVER_PORT, HAPROXY_PORT } from "./render.js";
import type { BootstrapNode } from "./types.js";

/**
 * The control-plane endpoint: the VIP that controlPlaneEndpoint names, held either by kube-vip (a
 * static pod on every control plane, ARP leader election through the API) or by keepalived (VRRP)
 * with HAProxy on every control plane spreading connections over the API servers.
 */

export interface EndpointSettings {
  cluster: string;
  clusterUid: string;
  vip: string;
  /** prefix length of the node network, for the VIP's address on the interface */
  prefix: number;
  kubeVipImage: string;
}

/** kube-vip reads its kubeconfig from here; the file is swapped after init (see kubeVipKubeconfig). */
export type KubeVipKubeconfig = "/etc/kubernetes/super-admin.conf" | "/etc/kubernetes/admin.conf";

/**
 * From Kubernetes 1.29, admin.conf is bound to the kubeadm:cluster-admins group, which kubeadm
 * creates only after the API server answers — through the VIP kube-vip has yet to bring up. The
 * first control plane's kube-vip therefore uses super-admin.conf while `kubeadm init` runs, and
 * admin.conf afterwards; joining control planes use admin.conf from the start.
 */
export function kubeVipKubeconfig(phase: "init" | "running"): KubeVipKubeconfig {
  return phase === "init" ? "/etc/kubernetes/super-admin.conf" : "/etc/kubernetes/admin.conf";
}

const envVar = z.strictObject({ name: z.string(), value: z.string() });
/** The subset of a core/v1 Pod a static pod manifest for kube-vip uses. */
export const staticPodSchema = z.strictObject({
  apiVersion: z.literal("v1"),
  kind: z.literal("Pod"),
  metadata: z.strictObject({ name: z.string(), namespace: z.literal("kube-system") }),
  spec: z.strictObject({
    hostNetwork: z.literal(true),
    hostAliases: z
      .array(z.strictObject({ ip: z.ipv4(), hostnames: z.array(z.string()) }))
      .optional(),
    containers: z
      .array(
        z.strictObject({
          name: z.string(),
          image: z.string().regex(/^[^:\s]+:[^:\s]+$/, "image:tag"),
          imagePullPolicy: z.enum(["Always", "IfNotPresent", "Never"]),
          args: z.array(z.string()),
          env: z.array(envVar),
          securityContext: z.strictObject({
            capabilities: z.strictObject({
              add: z.array(z.string()),
              drop: z.array(z.string()).optional(),
            }),
          }),
          volumeMounts: z.array(z.strictObject({ name: z.string(), mountPath: z.string() })),
        }),
      )
      .length(1),
    volumes: z.array(
      z.strictObject({
        name: z.string(),
        hostPath: z.strictObject({
          path: z.string(),
          type: z.enum(["File", "FileOrCreate"]).optional(),
        }),
      }),
    ),
  }),
});
export type StaticPod = z.infer<typeof staticPodSchema>;

export function renderKubeVipManifest(
  s: EndpointSettings,
  node: { interface: string },
  kubeconfig: KubeVipKubeconfig,
): StaticPod {
  const env: Record<string, string> = {
    vip_arp: "true",
    port: String(API_SERVER_PORT),
    vip_interface: node.interface,
    vip_subnet: "32",
    cp_enable: "true",
    cp_namespace: "kube-system",
    vip_leaderelection: "true",
    vip_leasename: "plndr-cp-lock",
    vip_leaseduration: "5",
    vip_renewdeadline: "3",
    vip_retryperiod: "1",
    address: s.vip,
  };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "kube-vip", namespace: "kube-system" },
    spec: {
      hostNetwork: true,
      // kube-vip talks to the API at https://kubernetes:6443 through this name
      hostAliases: [{ ip: "127.0.0.1", hostnames: ["kubernetes"] }],
      containers: [
        {
          name: "kube-vip",
          image: s.kubeVipImage,
          imagePullPolicy: "IfNotPresent",
          args: ["manager"],
          env: Object.entries(env).map(([name, value]) => ({ name, value })),
          securityContext: { capabilities: { add: ["NET_ADMIN", "NET_RAW"], drop: ["ALL"] } },
          volumeMounts: [{ name: "kubeconfig", mountPath: "/etc/kubernetes/admin.conf" }],
        },
      ],
      volumes: [{ name: "kubeconfig", hostPath: { path: kubeconfig, type: "File" } }],
    },
  };
}

/** A VRRP router id (1..255) that neighbouring clusters on one segment are unlikely to share. */
export function virtualRouterId(clusterUid: string): number {
  return ((createHash("sha256").update(clusterUid).digest()[0] ?? 0) % 255) + 1;
}

/**
 * keepalived.conf for one control plane: unicast VRRP between the control planes (no multicast
 * needed on the segment), all BACKUP with descending priorities so cp-1 holds the VIP when
 * healthy, and a check that gives up the VIP when this node's API server stops answering.
 */
export function renderKeepalivedConf(
  s: EndpointSettings,
  node: BootstrapNode & { interface: string },
  controlPlanes: BootstrapNode[],
): string {
  const index = controlPlanes.findIndex((cp) => cp.name === node.name);
  const priority = 150 - Math.max(index, 0) * 10;
  const peers = controlPlanes.filter((cp) => cp.name !== node.name).map((cp) => cp.ip);
  return [
    "# Rendered by pve-kube kubeadm-bootstrap: do not edit on the node.",
    "global_defs {",
    `  router_id ${node.name}`,
    "  enable_script_security",
    "  script_user root",
    "}",
    "vrrp_script check_apiserver {",
    '  script "/etc/keepalived/check_apiserver.sh"',
    "  interval 2",
    "  timeout 2",
    "  fall 3",
    "  rise 2",
    "  weight -60",
    "}",
    `vrrp_instance ${s.cluster.replace(/[^A-Za-z0-9_]/g, "_")}_api {`,
    "  state BACKUP",
    `  interface ${node.interface}`,
    `  virtual_router_id ${virtualRouterId(s.clusterUid)}`,
    `  priority ${priority}`,
    "  advert_int 1",
    `  unicast_src_ip ${node.ip}`,
    "  unicast_peer {",
    ...peers.map((ip) => `    ${ip}`),
    "  }",
    "  virtual_ipaddress {",
    `    ${s.vip}/${s.prefix} dev ${node.interface}`,
    "  }",
    "  track_script {",
    "    check_apiserver",
    "  }",
    "}",
    "",
  ].join("\n");
}

/**
 * The keepalived health check: does this node's HAProxy accept connections? (bash only: no curl.)
 * It checks the load balancer, not the local API server, as the kubeadm HA guide's check does: the
 * VIP holder's HAProxy reaches every API server, so a restart of the local one (each control
 * plane's turn in an upgrade) must not move the VIP — a move costs clients seconds of ARP and
 * reconnects (the lab measured 7 failed /readyz probes through the VIP in an upgrade).
 */
export function renderKeepalivedCheck(): string {
  return [
    "#!/bin/bash",
    "# Rendered by pve-kube: fails when the local HAProxy (the VIP's port) does not accept connections.",
    `exec 3<>/dev/tcp/127.0.0.1/${HAPROXY_PORT}`,
    "",
  ].join("\n");
}

/** haproxy.cfg: the VIP's port spread over every control plane's API server, health-checked. */
export function renderHaproxyCfg(controlPlanes: BootstrapNode[]): string {
  return [
    "# Rendered by pve-kube kubeadm-bootstrap: do not edit on the node.",
    "global",
    "  log /dev/log local0",
    "  maxconn 4000",
    "defaults",
    "  mode tcp",
    "  log global",
    "  option tcplog",
    "  timeout connect 5s",
    "  timeout client 1h",
    "  timeout server 1h",
    // an API server that stopped (its turn in an upgrade) refuses connections for up to the
    // 2 s × 3 the health check needs to mark it down: try again, on another server
    "  retries 3",
    "  option redispatch",
    "frontend kube-apiserver",
    `  bind *:${HAPROXY_PORT}`,
    "  default_backend kube-apiserver",
    "backend kube-apiserver",
    "  option httpchk GET /readyz",
    "  http-check expect status 200",
    "  balance roundrobin",
    "  default-server inter 2s fall 3 rise 2 check check-ssl verify none",
    ...controlPlanes.map((cp) => `  server ${cp.name} ${cp.ip}:${API_SERVER_PORT}`),
    "",
  ].join("\n");
}
