import type {
  ClusterConfiguration,
  InitConfiguration,
  JoinConfiguration,
  KubeletConfiguration,
  KubeProxyConfiguration,
} from "./config-schemas.js";
import type { NodeProfile } from "./profile.js";
import type { BootstrapNode, EndpointProvider } from "./types.js";
import { formatKubeVersion, parseKubeVersion } from "./version.js";

/** The cluster-wide settings every rendered document draws from. */
export interface ClusterSettings {
  cluster: string;
  version: string;
  vip: string;
  provider: EndpointProvider;
  podCidr: string;
  serviceCidr: string;
  clusterDomain: string;
  extraSans: string[];
  /** Cilium replaces kube-proxy: kubeadm does not install it */
  skipKubeProxy: boolean;
  profile: NodeProfile;
}

/** The short-lived join material (never logged; see secrets.ts). */
export interface JoinSecrets {
  token: string;
  certificateKey: string;
}

/** The API server's own port on every control plane. */
export const API_SERVER_PORT = 6443;
/** HAProxy's port in front of the API servers when keepalived holds the VIP (same hosts). */
export const HAPROXY_PORT = 8443;

export function endpointPort(provider: EndpointProvider): number {
  return provider === "keepalived" ? HAPROXY_PORT : API_SERVER_PORT;
}

export function controlPlaneEndpoint(s: Pick<ClusterSettings, "vip" | "provider">): string {
  return `${s.vip}:${endpointPort(s.provider)}`;
}

const CRI_SOCKET = "unix:///var/run/containerd/containerd.sock";

function nodeRegistration(s: ClusterSettings, node: BootstrapNode) {
  return {
    name: node.name,
    criSocket: CRI_SOCKET,
    kubeletExtraArgs: [{ name: "node-ip", value: node.ip }],
    // control planes keep kubeadm's default taint; workers get exactly their pool's taints
    ...(node.role === "worker" ? { taints: node.taints.map(parseTaint) } : {}),
    ...(s.profile.ignorePreflightErrors.length > 0
      ? { ignorePreflightErrors: [...s.profile.ignorePreflightErrors] }
      : {}),
    ...(s.profile.imagePullPolicy ? { imagePullPolicy: s.profile.imagePullPolicy } : {}),
  };
}

export function parseTaint(text: string): {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
} {
  const [keyValue = "", effect = ""] = text.split(":");
  const [key = "", value] = keyValue.split("=");
  return {
    key,
    ...(value !== undefined ? { value } : {}),
    effect: effect as "NoSchedule" | "PreferNoSchedule" | "NoExecute",
  };
}

export function renderClusterConfiguration(s: ClusterSettings): ClusterConfiguration {
  return {
    apiVersion: "kubeadm.k8s.io/v1beta4",
    kind: "ClusterConfiguration",
    clusterName: s.cluster,
    kubernetesVersion: formatKubeVersion(parseKubeVersion(s.version)),
    controlPlaneEndpoint: controlPlaneEndpoint(s),
    networking: {
      podSubnet: s.podCidr,
      serviceSubnet: s.serviceCidr,
      dnsDomain: s.clusterDomain,
    },
    apiServer: { certSANs: [...new Set([s.vip, ...s.extraSans])] },
    ...(s.skipKubeProxy ? { proxy: { disabled: true } } : {}),
  };
}

export function renderKubeletConfiguration(s: ClusterSettings): KubeletConfiguration {
  return {
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    cgroupDriver: s.profile.cgroupDriver,
    ...(s.profile.failCgroupV1 !== undefined ? { failCgroupV1: s.profile.failCgroupV1 } : {}),
    clusterDomain: s.clusterDomain,
    rotateCertificates: true,
    shutdownGracePeriod: "30s",
    shutdownGracePeriodCriticalPods: "10s",
  };
}

export function renderKubeProxyConfiguration(s: ClusterSettings): KubeProxyConfiguration {
  return {
    apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
    kind: "KubeProxyConfiguration",
    mode: "iptables",
    clusterCIDR: s.podCidr,
    ...(s.profile.conntrackMaxPerCore !== undefined
      ? { conntrack: { maxPerCore: s.profile.conntrackMaxPerCore } }
      : {}),
  };
}

/** The documents of `kubeadm init --config`, in order: Init, Cluster, Kubelet[, KubeProxy]. */
export function renderInitDocuments(
  s: ClusterSettings,
  first: BootstrapNode,
  secrets: JoinSecrets,
): [InitConfiguration, ClusterConfiguration, KubeletConfiguration, ...KubeProxyConfiguration[]] {
  const init: InitConfiguration = {
    apiVersion: "kubeadm.k8s.io/v1beta4",
    kind: "InitConfiguration",
    bootstrapTokens: [
      {
        token: secrets.token,
        description: "pve-kube join token (short-lived)",
        ttl: "30m0s",
        usages: ["signing", "authentication"],
        groups: ["system:bootstrappers:kubeadm:default-node-token"],
      },
    ],
    nodeRegistration: nodeRegistration(s, first),
    localAPIEndpoint: { advertiseAddress: first.ip, bindPort: API_SERVER_PORT },
    certificateKey: secrets.certificateKey,
  };
  return [
    init,
    renderClusterConfiguration(s),
    renderKubeletConfiguration(s),
    ...(s.skipKubeProxy ? [] : [renderKubeProxyConfiguration(s)]),
  ];
}

/** Where the join role writes the discovery kubeconfig (the cluster CA, read from the operator). */
export const DISCOVERY_FILE = "/etc/kubernetes/pve-kube-discovery.conf";

/**
 * `kubeadm join --config` for one node. Discovery is by file: Ansible writes a kubeconfig that
 * holds the cluster CA it read over SSH from the operator control plane (as trustworthy as a CA
 * hash, and no openssl needed on the node); the bootstrap token only authenticates the TLS
 * bootstrap.
 */
export function renderJoinConfiguration(
  s: ClusterSettings,
  node: BootstrapNode,
  secrets: JoinSecrets,
): JoinConfiguration {
  return {
    apiVersion: "kubeadm.k8s.io/v1beta4",
    kind: "JoinConfiguration",
    nodeRegistration: nodeRegistration(s, node),
    discovery: {
      file: { kubeConfigPath: DISCOVERY_FILE },
      tlsBootstrapToken: secrets.token,
    },
    ...(node.role === "control-plane"
      ? {
          controlPlane: {
            localAPIEndpoint: { advertiseAddress: node.ip, bindPort: API_SERVER_PORT },
            certificateKey: secrets.certificateKey,
          },
        }
      : {}),
  };
}
