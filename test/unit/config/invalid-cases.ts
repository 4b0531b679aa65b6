import { BASE_CONFIG, edit } from "./base-config.js";

/**
 * One invalid cluster.yaml per row: the edit applied to BASE_CONFIG, where the error must point
 * (line, column, field path) and a fragment of the message. `kind` says which layer catches it:
 * yaml (the parser), structure (the zod schema, and therefore also the JSON Schema) or rule (the
 * cross-field rules, which only the zod side enforces).
 */
export interface InvalidCase {
  name: string;
  kind: "yaml" | "structure" | "rule";
  apply: (text: string) => string;
  line: number;
  col: number;
  path: string;
  message: string;
}

const KEY_LINE = "    - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINakiA0VmLPlefjWD4HrJPFKHJSqpOZsTNvNNqAdq8vw operator@example\n";

export const INVALID_CASES: InvalidCase[] = [
  { name: "cluster name not DNS-1123", kind: "structure", apply: edit("name: demo", "name: Demo_1"), line: 3, col: 9, path: "metadata.name", message: "DNS-1123 label" },
  { name: "cluster name too long", kind: "structure", apply: edit("name: demo", `name: ${"a".repeat(45)}`), line: 3, col: 9, path: "metadata.name", message: "at most 40 characters" },
  { name: "misspelt key gets a suggestion", kind: "structure", apply: edit("  memoryMiB: 4096\n", "  memory: 4096\n"), line: 31, col: 3, path: "controlPlane.memory", message: "unknown key 'memory' — did you mean 'memoryMiB'?" },
  { name: "unknown top-level key", kind: "structure", apply: (t) => `${t}extra: 1\n`, line: 52, col: 1, path: "extra", message: "remove it; the top level accepts: apiVersion" },
  { name: "misspelt section", kind: "structure", apply: edit("cilium:\n", "cillium:\n"), line: 43, col: 1, path: "cillium", message: "did you mean 'cilium'?" },
  { name: "even control-plane count", kind: "rule", apply: edit("  count: 3", "  count: 4"), line: 29, col: 10, path: "controlPlane.count", message: "use an odd number: 3 or 5" },
  { name: "plain http endpoint", kind: "rule", apply: edit("endpoint: https://", "endpoint: http://"), line: 5, col: 13, path: "proxmox.endpoint", message: "must be an https:// URL" },
  { name: "CIDR prefix out of range", kind: "structure", apply: edit("cidr: 10.0.20.0/24", "cidr: 10.0.20.0/33"), line: 20, col: 9, path: "network.cidr", message: "must be an IPv4 CIDR" },
  { name: "CIDR with host bits", kind: "rule", apply: edit("cidr: 10.0.20.0/24", "cidr: 10.0.20.5/24"), line: 20, col: 9, path: "network.cidr", message: "host bits set — write the network address: 10.0.20.0/24" },
  { name: "gateway outside the node network", kind: "rule", apply: edit("gateway: 10.0.20.1", "gateway: 10.0.21.1"), line: 21, col: 12, path: "network.gateway", message: "outside the node network 10.0.20.0/24" },
  { name: "VIP outside the node network", kind: "rule", apply: edit("controlPlaneVip: 10.0.20.10", "controlPlaneVip: 10.1.0.10"), line: 24, col: 20, path: "network.controlPlaneVip", message: "outside the node network" },
  { name: "VIP equals the gateway", kind: "rule", apply: edit("controlPlaneVip: 10.0.20.10", "controlPlaneVip: 10.0.20.1"), line: 24, col: 20, path: "network.controlPlaneVip", message: "is the gateway address" },
  { name: "load-balancer range reversed", kind: "rule", apply: edit("10.0.20.200-10.0.20.220", "10.0.20.220-10.0.20.200"), line: 25, col: 22, path: "network.loadBalancerRange", message: "ends before it starts" },
  { name: "load-balancer range contains the VIP", kind: "rule", apply: edit("10.0.20.200-10.0.20.220", "10.0.20.5-10.0.20.20"), line: 25, col: 22, path: "network.loadBalancerRange", message: "contains network.controlPlaneVip (10.0.20.10)" },
  { name: "load-balancer range leaves the network", kind: "rule", apply: edit("10.0.20.200-10.0.20.220", "10.0.20.200-10.0.21.5"), line: 25, col: 22, path: "network.loadBalancerRange", message: "outside the node network" },
  { name: "load-balancer range malformed", kind: "structure", apply: edit("10.0.20.200-10.0.20.220", "10.0.20.200..220"), line: 25, col: 22, path: "network.loadBalancerRange", message: "must be a range such as" },
  { name: "pod network overlaps node network", kind: "rule", apply: edit("podCidr: 10.244.0.0/16", "podCidr: 10.0.0.0/16"), line: 41, col: 12, path: "kubernetes.podCidr", message: "overlaps network.cidr (10.0.20.0/24)" },
  { name: "service network overlaps pod network", kind: "rule", apply: edit("serviceCidr: 10.96.0.0/12", "serviceCidr: 10.244.128.0/17"), line: 42, col: 16, path: "kubernetes.serviceCidr", message: "overlaps kubernetes.podCidr" },
  { name: "service network too large", kind: "rule", apply: edit("serviceCidr: 10.96.0.0/12", "serviceCidr: 172.0.0.0/11"), line: 42, col: 16, path: "kubernetes.serviceCidr", message: "larger than Kubernetes allows" },
  { name: "allocation start outside the network", kind: "rule", apply: edit("start: 10.0.20.11", "start: 10.0.30.11"), line: 23, col: 12, path: "network.addresses.start", message: "outside the node network" },
  { name: "not enough addresses", kind: "rule", apply: edit("start: 10.0.20.11", "start: 10.0.20.252"), line: 23, col: 12, path: "network.addresses.start", message: "no free address left for 2 VM(s) (demo-general-1, demo-general-2)" },
  { name: "static override for an unknown VM", kind: "rule", apply: edit("    start: 10.0.20.11\n", "    start: 10.0.20.11\n    overrides:\n      demo-cp-9: 10.0.20.50\n"), line: 25, col: 7, path: "network.addresses.overrides.demo-cp-9", message: "no VM is called 'demo-cp-9'" },
  { name: "static override collides with the gateway", kind: "rule", apply: edit("    start: 10.0.20.11\n", "    start: 10.0.20.11\n    overrides:\n      demo-cp-1: 10.0.20.1\n"), line: 25, col: 18, path: "network.addresses.overrides.demo-cp-1", message: "is already the gateway" },
  { name: "template VMID inside the cluster range", kind: "rule", apply: edit("vmid: 9000", "vmid: 1002"), line: 27, col: 10, path: "vmids.start", message: "include the template VMID 1002" },
  { name: "VMID below Proxmox's minimum", kind: "structure", apply: edit("  start: 1000", "  start: 50"), line: 27, col: 10, path: "vmids.start", message: "too small — use at least 100" },
  { name: "control plane on an unknown node", kind: "rule", apply: edit("  diskGiB: 32\n", "  diskGiB: 32\n  nodes: [pve1, pve9]\n"), line: 33, col: 17, path: "controlPlane.nodes[1]", message: "'pve9' is not one of proxmox.nodes" },
  { name: "control plane below kubeadm's memory minimum", kind: "rule", apply: edit("memoryMiB: 4096", "memoryMiB: 1024"), line: 31, col: 14, path: "controlPlane.memoryMiB", message: "below kubeadm's minimum" },
  { name: "control plane with one CPU", kind: "rule", apply: edit("  cores: 2\n", "  cores: 1\n"), line: 30, col: 10, path: "controlPlane.cores", message: "kubeadm needs at least 2 CPUs" },
  { name: "wrong type", kind: "structure", apply: edit("  cores: 2\n", "  cores: two\n"), line: 30, col: 10, path: "controlPlane.cores", message: "expected a number, got \"two\"" },
  { name: "unsupported Kubernetes minor", kind: "rule", apply: edit("version: 1.36.3", "version: 1.30.4"), line: 40, col: 12, path: "kubernetes.version", message: "Kubernetes 1.30 is not a supported minor" },
  { name: "Kubernetes version with a v", kind: "structure", apply: edit("version: 1.36.3", "version: v1.36"), line: 40, col: 12, path: "kubernetes.version", message: "no leading v" },
  { name: "Cilium too old for the Kubernetes version", kind: "rule", apply: edit("version: 1.20.2", "version: 1.18.4"), line: 44, col: 12, path: "cilium.version", message: "Cilium 1.18 does not support Kubernetes 1.36" },
  { name: "malformed TLS fingerprint", kind: "structure", apply: edit(/fingerprint: "[^"]+"/.exec(BASE_CONFIG)?.[0] ?? "", 'fingerprint: "AA:BB"'), line: 11, col: 18, path: "proxmox.tls.fingerprint", message: "32 colon-separated hex pairs" },
  { name: "two ways to trust TLS", kind: "rule", apply: edit("  tls:\n", "  tls:\n    insecure: true\n"), line: 10, col: 3, path: "proxmox.tls", message: "keep exactly one of fingerprint, caFile or insecure" },
  { name: "unknown enum value", kind: "structure", apply: edit("provider: cilium-lb-ipam", "provider: haproxy"), line: 47, col: 15, path: "services.loadBalancer.provider", message: "use one of: \"cilium-lb-ipam\", \"metallb\", \"none\"" },
  { name: "load balancer without a range", kind: "rule", apply: edit("  loadBalancerRange: 10.0.20.200-10.0.20.220\n", ""), line: 46, col: 15, path: "services.loadBalancer.provider", message: "set network.loadBalancerRange" },
  { name: "missing required field", kind: "structure", apply: edit("  gateway: 10.0.20.1\n", ""), line: 18, col: 1, path: "network.gateway", message: "'gateway' is required — add 'gateway:' here" },
  { name: "not an SSH public key", kind: "structure", apply: edit(KEY_LINE, "    - not-a-key\n"), line: 51, col: 7, path: "ssh.publicKeys[0]", message: "OpenSSH public key" },
  { name: "no SSH keys", kind: "structure", apply: edit(`  publicKeys:\n${KEY_LINE}`, "  publicKeys: []\n"), line: 50, col: 15, path: "ssh.publicKeys", message: "use at least 1 entry" },
  { name: "duplicate worker pool", kind: "rule", apply: edit("    diskGiB: 64\n", "    diskGiB: 64\n  - name: general\n    count: 1\n"), line: 39, col: 11, path: "workerPools[1].name", message: "pool name 'general' is used twice" },
  { name: "reserved pool name", kind: "rule", apply: edit("- name: general", "- name: cp"), line: 34, col: 11, path: "workerPools[0].name", message: "'cp' is reserved" },
  { name: "pool name not DNS-1123", kind: "structure", apply: edit("- name: general", "- name: General"), line: 34, col: 11, path: "workerPools[0].name", message: "DNS-1123 label" },
  { name: "bad taint", kind: "structure", apply: edit("    diskGiB: 64\n", "    diskGiB: 64\n    taints: [gpu]\n"), line: 39, col: 14, path: "workerPools[0].taints[0]", message: "must be a taint such as" },
  { name: "wrong apiVersion", kind: "structure", apply: edit("apiVersion: pve-kube/v1", "apiVersion: v1"), line: 1, col: 13, path: "apiVersion", message: 'use one of: "pve-kube/v1"' },
  { name: "a secret where an env var name belongs", kind: "structure", apply: edit("  nodes: [pve1, pve2, pve3]\n", "  tokenSecretEnv: 5e1c2f5a-0d3b-4f5e-9a7b-2c1d0e9f8a7b\n  nodes: [pve1, pve2, pve3]\n"), line: 6, col: 19, path: "proxmox.tokenSecretEnv", message: "never the secret itself" },
  { name: "VLAN out of range", kind: "structure", apply: edit("  bridge: vmbr0\n", "  bridge: vmbr0\n  vlan: 5000\n"), line: 20, col: 9, path: "network.vlan", message: "use at most 4094" },
  { name: "backup without an S3 target", kind: "rule", apply: edit("    provider: cilium-lb-ipam\n", "    provider: cilium-lb-ipam\n  backup:\n    enabled: true\n"), line: 48, col: 3, path: "services.backup", message: "no S3 target" },
  { name: "unknown state backend", kind: "structure", apply: (t) => `${t}state:\n  backend: consul\n`, line: 53, col: 12, path: "state.backend", message: "" },
  { name: "duplicate key", kind: "yaml", apply: edit("  name: demo\n", "  name: demo\n  name: other\n"), line: 4, col: 3, path: "", message: "YAML duplicate key" },
  { name: "unclosed flow sequence", kind: "yaml", apply: edit("[pve1, pve2, pve3]", "[pve1, pve2, pve3"), line: 7, col: 3, path: "", message: "YAML syntax error" }, // the parser notices the missing ] at the next key
];
