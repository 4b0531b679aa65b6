import pins from "../../versions.json" with { type: "json" };

/** The shape of versions.json, the single file that pins every external version. */
export interface Versions {
  kubernetes: { default: string; supportedMinors: string[] };
  opentofu: { version: string; goModule: string };
  bpgProvider: { source: string; version: string; goModule: string };
  cilium: { default: string; kubernetesMinors: Record<string, string[]> };
  kubeVip: { version: string; image: string };
  charts: Record<string, { repo: string; chart: string; version: string }>;
  images: { veleroPluginForAws: string; agnhost: string };
  cloudImage: { name?: string; url?: string; sha256?: string; fileName?: string };
}

/** The pinned external versions (versions.json at the repository root), bundled at build time. */
export const versions: Versions = pins;
