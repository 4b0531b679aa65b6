import type { HelmValues } from "../helm/values.js";

/** The node profiles of kubeadm-bootstrap (its `node-profile` input); Cilium follows the same one. */
export type CiliumProfileName = "production" | "lab-nspawn";

/**
 * Values that differ between real machines and the lab's systemd-nspawn guests. Everything the
 * lab needs lives in LAB_NSPAWN_VALUES and nowhere else: production never reads it unless the
 * `node-profile` input names it, and the summary says when it was used.
 */
export interface CiliumProfile {
  name: CiliumProfileName;
  values: HelmValues;
  notes: string[];
}

/** The chart's capability lists without SYS_RESOURCE, which the lab machine's bounding set lacks. */
const AGENT_CAPABILITIES = [
  "CHOWN",
  "KILL",
  "NET_ADMIN",
  "NET_RAW",
  "IPC_LOCK",
  "SYS_MODULE",
  "SYS_ADMIN",
  "DAC_OVERRIDE",
  "FOWNER",
  "SETGID",
  "SETUID",
  "SYSLOG",
];
const CLEAN_STATE_CAPABILITIES = ["NET_ADMIN", "SYS_MODULE", "SYS_ADMIN"];

/** The lab (../shared/notes/lab.md, "Cilium as the CNI in a guest"). */
export const LAB_NSPAWN_VALUES: HelmValues = {
  // the images are built here (test/tools/lab/build-cilium.sh) and imported into the guests'
  // containerd under the chart's names: no registry, so never pull, and no upstream digest
  image: { pullPolicy: "Never", useDigest: false },
  operator: { image: { pullPolicy: "Never", useDigest: false } },
  securityContext: {
    capabilities: {
      ciliumAgent: AGENT_CAPABILITIES,
      cleanCiliumState: CLEAN_STATE_CAPABILITIES,
    },
  },
  // no Envoy, Hubble Relay or UI images can be built here: L7 policy and the relay stay off
  envoy: { enabled: false },
  l7Proxy: false,
  hubble: { relay: { enabled: false }, ui: { enabled: false } },
};

export const PRODUCTION_CILIUM_PROFILE: CiliumProfile = {
  name: "production",
  values: {},
  notes: [],
};

export const LAB_NSPAWN_CILIUM_PROFILE: CiliumProfile = {
  name: "lab-nspawn",
  values: LAB_NSPAWN_VALUES,
  notes: [
    "locally built images (pullPolicy Never, no digests)",
    "agent capabilities without SYS_RESOURCE",
    "no Envoy (l7Proxy off), no Hubble Relay/UI",
  ],
};

export function ciliumProfile(name: CiliumProfileName): CiliumProfile {
  return name === "lab-nspawn" ? LAB_NSPAWN_CILIUM_PROFILE : PRODUCTION_CILIUM_PROFILE;
}
