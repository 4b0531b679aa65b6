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

/** A taint as the Node object carries it. */
export interface NodeTaint {
  key: string;
  value?: string;
  effect: string;
}

export interface ClusterNode {
  name: string;
  kubeletVersion: string;
  ready: boolean;
  controlPlane: boolean;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  taints?: NodeTaint[];
}

/** One etcd member (`etcdctl member list --hex`) and whether its client URL answered. */
export interface EtcdMember {
  /** hex, as etcdctl --hex prints it (member IDs are uint64: never a JS number) */
  id: string;
  /** the node name (kubeadm names members after nodes); "" for a member that never started */
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  healthy: boolean;
}

/** What the cluster itself says, asked through a control plane's admin.conf. */
export interface ClusterFacts {
  /** kubernetesVersion of the kubeadm ClusterConfiguration */
  version: string;
  nodes: ClusterNode[];
  /** absent when etcd could not be asked (an external etcd, or the etcd pod not running) */
  etcdMembers?: EtcdMember[];
}

export interface Facts {
  hosts: HostFacts[];
  cluster?: ClusterFacts;
}

export type EndpointProvider = "kube-vip" | "keepalived";

/** The node settings profile: production, or the lab's nspawn guests (docs/kubeadm-bootstrap.md). */
export type NodeProfileName = "production" | "lab-nspawn";
