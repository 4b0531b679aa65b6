import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  ConfigurationError
} from "./chunk-SAJHUJQG.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/kubeadm/version.ts
function parseKubeVersion(text) {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(text.trim());
  if (!match) throw new Error(`'${text}' is not a Kubernetes version (expected 1.36.3 or v1.36.3)`);
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}
__name(parseKubeVersion, "parseKubeVersion");
function formatKubeVersion(v) {
  return `v${v.major}.${v.minor}.${v.patch}`;
}
__name(formatKubeVersion, "formatKubeVersion");
function compareKubeVersions(a, b) {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}
__name(compareKubeVersions, "compareKubeVersions");
function upgradeStep(running, wanted) {
  const from = parseKubeVersion(running);
  const to = parseKubeVersion(wanted);
  const order = compareKubeVersions(from, to);
  if (order === 0) return "none";
  if (order > 0) {
    throw new ConfigurationError(
      `kubernetes.version ${formatKubeVersion(to)} is older than the cluster's ${formatKubeVersion(from)}: kubeadm cannot downgrade`,
      `set kubernetes.version back to ${from.major}.${from.minor}.${from.patch} (or newer)`
    );
  }
  if (to.major !== from.major || to.minor > from.minor + 1) {
    throw new ConfigurationError(
      `kubernetes.version ${formatKubeVersion(to)} skips a minor release of the cluster's ${formatKubeVersion(from)}: kubeadm upgrades one minor version at a time`,
      `upgrade to ${from.major}.${from.minor + 1}.x first, then to ${to.major}.${to.minor}.${to.patch}`
    );
  }
  return "upgrade";
}
__name(upgradeStep, "upgradeStep");

// actions/lib/kubeadm/render.ts
var API_SERVER_PORT = 6443;
var HAPROXY_PORT = 8443;
function endpointPort(provider) {
  return provider === "keepalived" ? HAPROXY_PORT : API_SERVER_PORT;
}
__name(endpointPort, "endpointPort");
function controlPlaneEndpoint(s) {
  return `${s.vip}:${endpointPort(s.provider)}`;
}
__name(controlPlaneEndpoint, "controlPlaneEndpoint");
var CRI_SOCKET = "unix:///var/run/containerd/containerd.sock";
function nodeRegistration(s, node) {
  return {
    name: node.name,
    criSocket: CRI_SOCKET,
    kubeletExtraArgs: [{ name: "node-ip", value: node.ip }],
    // control planes keep kubeadm's default taint; workers get exactly their pool's taints
    ...node.role === "worker" ? { taints: node.taints.map(parseTaint) } : {},
    ...s.profile.ignorePreflightErrors.length > 0 ? { ignorePreflightErrors: [...s.profile.ignorePreflightErrors] } : {},
    ...s.profile.imagePullPolicy ? { imagePullPolicy: s.profile.imagePullPolicy } : {}
  };
}
__name(nodeRegistration, "nodeRegistration");
function parseTaint(text) {
  const [keyValue = "", effect = ""] = text.split(":");
  const [key = "", value] = keyValue.split("=");
  return {
    key,
    ...value !== void 0 ? { value } : {},
    effect
  };
}
__name(parseTaint, "parseTaint");
function renderClusterConfiguration(s) {
  return {
    apiVersion: "kubeadm.k8s.io/v1beta4",
    kind: "ClusterConfiguration",
    clusterName: s.cluster,
    kubernetesVersion: formatKubeVersion(parseKubeVersion(s.version)),
    controlPlaneEndpoint: controlPlaneEndpoint(s),
    networking: {
      podSubnet: s.podCidr,
      serviceSubnet: s.serviceCidr,
      dnsDomain: s.clusterDomain
    },
    apiServer: { certSANs: [.../* @__PURE__ */ new Set([s.vip, ...s.extraSans])] },
    ...s.skipKubeProxy ? { proxy: { disabled: true } } : {}
  };
}
__name(renderClusterConfiguration, "renderClusterConfiguration");
function renderKubeletConfiguration(s) {
  return {
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    cgroupDriver: s.profile.cgroupDriver,
    ...s.profile.failCgroupV1 !== void 0 ? { failCgroupV1: s.profile.failCgroupV1 } : {},
    clusterDomain: s.clusterDomain,
    rotateCertificates: true,
    shutdownGracePeriod: "30s",
    shutdownGracePeriodCriticalPods: "10s"
  };
}
__name(renderKubeletConfiguration, "renderKubeletConfiguration");
function renderKubeProxyConfiguration(s) {
  return {
    apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
    kind: "KubeProxyConfiguration",
    mode: "iptables",
    clusterCIDR: s.podCidr,
    ...s.profile.conntrackMaxPerCore !== void 0 ? { conntrack: { maxPerCore: s.profile.conntrackMaxPerCore } } : {}
  };
}
__name(renderKubeProxyConfiguration, "renderKubeProxyConfiguration");
function renderInitDocuments(s, first, secrets) {
  const init = {
    apiVersion: "kubeadm.k8s.io/v1beta4",
    kind: "InitConfiguration",
    bootstrapTokens: [
      {
        token: secrets.token,
        description: "pve-kube join token (short-lived)",
        ttl: "30m0s",
        usages: ["signing", "authentication"],
        groups: ["system:bootstrappers:kubeadm:default-node-token"]
      }
    ],
    nodeRegistration: nodeRegistration(s, first),
    localAPIEndpoint: { advertiseAddress: first.ip, bindPort: API_SERVER_PORT },
    certificateKey: secrets.certificateKey
  };
  return [
    init,
    renderClusterConfiguration(s),
    renderKubeletConfiguration(s),
    ...s.skipKubeProxy ? [] : [renderKubeProxyConfiguration(s)]
  ];
}
__name(renderInitDocuments, "renderInitDocuments");
var DISCOVERY_FILE = "/etc/kubernetes/pve-kube-discovery.conf";
function renderJoinConfiguration(s, node, secrets) {
  return {
    apiVersion: "kubeadm.k8s.io/v1beta4",
    kind: "JoinConfiguration",
    nodeRegistration: nodeRegistration(s, node),
    discovery: {
      file: { kubeConfigPath: DISCOVERY_FILE },
      tlsBootstrapToken: secrets.token
    },
    ...node.role === "control-plane" ? {
      controlPlane: {
        localAPIEndpoint: { advertiseAddress: node.ip, bindPort: API_SERVER_PORT },
        certificateKey: secrets.certificateKey
      }
    } : {}
  };
}
__name(renderJoinConfiguration, "renderJoinConfiguration");

export {
  parseKubeVersion,
  formatKubeVersion,
  upgradeStep,
  API_SERVER_PORT,
  HAPROXY_PORT,
  endpointPort,
  controlPlaneEndpoint,
  parseTaint,
  renderInitDocuments,
  renderJoinConfiguration
};
