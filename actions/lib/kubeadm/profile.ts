import type { NodeProfileName } from "./types.js";

/**
 * Node settings that differ between real machines and the lab's systemd-nspawn guests. Everything
 * the lab needs lives in LAB_NSPAWN_PROFILE and nowhere else; the production path never reads it
 * unless the `node-profile` input names it, and the job summary says when it was used.
 */
export interface NodeProfile {
  name: NodeProfileName;
  /** kubelet cgroup driver; containerd's runc runtime is configured to match */
  cgroupDriver: "systemd" | "cgroupfs";
  /** false lets a Kubernetes ≥ 1.35 kubelet start on a cgroup v1 host */
  failCgroupV1?: boolean;
  ignorePreflightErrors: string[];
  imagePullPolicy?: "Never";
  /** kube-proxy's conntrack.maxPerCore: 0 leaves the host's nf_conntrack_max alone */
  conntrackMaxPerCore?: number;
  /** modprobe overlay and br_netfilter (kernels built without loadable modules have them built in) */
  loadKernelModules: boolean;
  /** write the sysctls kubeadm's preflight wants (the lab guest's /proc/sys/net is per netns) */
  writeSysctls: boolean;
  /** new Kubernetes binaries for an upgrade: the distribution's packages, or a preloaded directory */
  binarySource: "apt" | "preloaded";
  /** where kubeadm, kubelet and kubectl live on the node */
  binaryDir: string;
  /** preloaded: `${preloadedDir}/v<version>/{kubeadm,kubelet,kubectl}` */
  preloadedDir?: string;
  /**
   * preloaded: the control-plane images of a version are imported from
   * `${preloadedImagesDir}/v<version>` by `importImagesCommand` (no registry to pull from)
   */
  preloadedImagesDir?: string;
  importImagesCommand?: string;
  /** what the summary says about the profile */
  notes: string[];
}

export const PRODUCTION_PROFILE: NodeProfile = {
  name: "production",
  cgroupDriver: "systemd",
  ignorePreflightErrors: [],
  loadKernelModules: true,
  writeSysctls: true,
  binarySource: "apt",
  binaryDir: "/usr/bin",
  notes: [],
};

/** The lab's nspawn guests (../shared/notes/lab.md): cgroup v1 host, no modules, no registry. */
export const LAB_NSPAWN_PROFILE: NodeProfile = {
  name: "lab-nspawn",
  cgroupDriver: "cgroupfs",
  failCgroupV1: false,
  ignorePreflightErrors: ["SystemVerification"],
  imagePullPolicy: "Never",
  conntrackMaxPerCore: 0,
  loadKernelModules: false,
  writeSysctls: true,
  binarySource: "preloaded",
  // where the packages put them and the kubelet unit runs /usr/bin/kubelet (docs/lab-image.md)
  binaryDir: "/usr/bin",
  preloadedDir: "/opt/pve-kube/kubernetes",
  preloadedImagesDir: "/opt/pve-kube/images",
  importImagesCommand: "/usr/local/lib/pve-kube-lab/import-images.sh",
  notes: [
    "kubelet failCgroupV1: false and cgroupDriver: cgroupfs (the lab host is cgroup v1)",
    "kubeadm preflight SystemVerification ignored (cgroup v1)",
    "imagePullPolicy: Never (images are preloaded; no registry is reachable)",
    "kube-proxy conntrack.maxPerCore: 0 (nf_conntrack_max is not settable in a guest)",
    "no modprobe (the lab kernel has no loadable modules)",
    "Kubernetes binaries of the cluster's version from /opt/pve-kube/kubernetes/v<version>, its images imported from /opt/pve-kube/images/v<version> (the lab image preloads both)",
  ],
};

export function nodeProfile(name: NodeProfileName): NodeProfile {
  return name === "lab-nspawn" ? LAB_NSPAWN_PROFILE : PRODUCTION_PROFILE;
}
