/** A machine the phase works on: one VM of the inventory, with what cluster.yaml says about it. */
export interface BootstrapNode {
  name: string;
  ip: string;
  role: "control-plane" | "worker";
  pool: string;
  labels: Record<string, string>;
  taints: string[];
}

/** What the read-only facts run found on one host. */
export interface HostFacts {
  name: string;
  reachable: boolean;
  /** /etc/kubernetes/kubelet.conf exists: the node was initialised or joined */
  kubeletConfigured: boolean;
  /** /etc/kubernetes/admin.conf exists (control planes) */
  adminConf: boolean;
  /** `kubeadm version -o short` on the host, e.g. v1.36.3 */
  kubeadmVersion?: string;
}

/** What the cluster itself says, asked through a control plane's admin.conf. */
export interface ClusterFacts {
  /** kubernetesVersion of the kubeadm ClusterConfiguration */
  version: string;
  nodes: { name: string; kubeletVersion: string; ready: boolean; controlPlane: boolean }[];
}

export interface Facts {
  hosts: HostFacts[];
  cluster?: ClusterFacts;
}

export type EndpointProvider = "kube-vip" | "keepalived";

/** The node settings profile: production, or the lab's nspawn guests (docs/kubeadm-bootstrap.md). */
export type NodeProfileName = "production" | "lab-nspawn";
