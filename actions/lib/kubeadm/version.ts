import { ConfigurationError } from "../errors.js";

/** A Kubernetes release as kubeadm and the kubelet report it (`v1.36.3`) or cluster.yaml writes it (`1.36.3`). */
export interface KubeVersion {
  major: number;
  minor: number;
  patch: number;
}

export function parseKubeVersion(text: string): KubeVersion {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(text.trim());
  if (!match) throw new Error(`'${text}' is not a Kubernetes version (expected 1.36.3 or v1.36.3)`);
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

export function formatKubeVersion(v: KubeVersion): string {
  return `v${v.major}.${v.minor}.${v.patch}`;
}

export function compareKubeVersions(a: KubeVersion, b: KubeVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** kube-vip must use super-admin.conf while the first control plane initialises from 1.29 on. */
export function needsSuperAdminDuringInit(version: string): boolean {
  const v = parseKubeVersion(version);
  return compareKubeVersions(v, { major: 1, minor: 29, patch: 0 }) >= 0;
}

/**
 * What changing the cluster from `running` to `wanted` means: nothing, an upgrade kubeadm
 * supports (same minor, or the next one), or a refusal — kubeadm upgrades one minor at a time and
 * never downgrades, so both are refused before any node is touched.
 */
export function upgradeStep(running: string, wanted: string): "none" | "upgrade" {
  const from = parseKubeVersion(running);
  const to = parseKubeVersion(wanted);
  const order = compareKubeVersions(from, to);
  if (order === 0) return "none";
  if (order > 0) {
    throw new ConfigurationError(
      `kubernetes.version ${formatKubeVersion(to)} is older than the cluster's ${formatKubeVersion(from)}: kubeadm cannot downgrade`,
      `set kubernetes.version back to ${from.major}.${from.minor}.${from.patch} (or newer)`,
    );
  }
  if (to.major !== from.major || to.minor > from.minor + 1) {
    throw new ConfigurationError(
      `kubernetes.version ${formatKubeVersion(to)} skips a minor release of the cluster's ${formatKubeVersion(from)}: kubeadm upgrades one minor version at a time`,
      `upgrade to ${from.major}.${from.minor + 1}.x first, then to ${to.major}.${to.minor}.${to.patch}`,
    );
  }
  return "upgrade";
}
