import { createHash } from "node:crypto";
import type { LoadedConfig } from "../config/index.js";

/**
 * Everything that decides what a template is. Two templates with the same recipe are
 * interchangeable; any change (image, Kubernetes version, packages, hardware, simulation) gives
 * a new fingerprint and so a new template — existing VMs keep theirs.
 */
export interface TemplateRecipe {
  /** bump when the meaning of a field changes, so old fingerprints stop matching */
  format: 1;
  /**
   * The cloud image by URL and checksum; a pre-built image by its checksum alone (the same bytes
   * under another path or name are the same template)
   */
  image: { url?: string; sha256: string };
  /** prebuilt: an image the operator's own pipeline made and customised (build-template's image-file) */
  source: "upload" | "download-url" | "prebuilt";
  /** what virt-customize bakes in; null when Proxmox downloads the plain base image or it is pre-built */
  customize: CustomizeRecipe | null;
  vm: {
    node: string;
    storage: string;
    machine: string;
    bios: "seabios" | "ovmf";
    scsihw: string;
    cores: number;
    memoryMiB: number;
    ostype: string;
  };
  /** the customisation was simulated (embedded demo only): never the same template as a real one */
  simulated: boolean;
}

/** A pre-built image given to build-template (image-file + image-sha256). */
export interface PrebuiltImage {
  sha256: string;
}

export interface CustomizeRecipe {
  kubernetesVersion: string;
  /** apt repository of the Kubernetes minor (pkgs.k8s.io) */
  kubernetesRepo: string;
  packages: string[];
  kernelModules: string[];
  sysctls: Record<string, string>;
}

/** Packages every template gets, besides kubeadm/kubelet/kubectl. */
export const BASE_PACKAGES = [
  "qemu-guest-agent",
  "containerd",
  "apt-transport-https",
  "ca-certificates",
  "curl",
  "gpg",
];

export function kubernetesMinor(version: string): string {
  const match = /^v?(\d+)\.(\d+)/.exec(version);
  if (!match) throw new Error(`not a Kubernetes version: ${version}`);
  return `${match[1]}.${match[2]}`;
}

export function templateRecipe(
  loaded: Pick<LoadedConfig, "config" | "plan">,
  options: { simulated: boolean; prebuilt?: PrebuiltImage },
): TemplateRecipe {
  const { plan, config } = loaded;
  const custom = config.template.customisation;
  const version = plan.kubernetes.version.replace(/^v/, "");
  const vm: TemplateRecipe["vm"] = {
    node: plan.template.node,
    storage: plan.template.storage,
    machine: plan.template.machine,
    bios: plan.template.bios,
    scsihw: "virtio-scsi-single",
    cores: 2,
    memoryMiB: 2048,
    ostype: "l26",
  };
  // a pre-built image is already what the template should be: nothing to download or customise
  if (options.prebuilt) {
    return {
      format: 1,
      image: { sha256: options.prebuilt.sha256 },
      source: "prebuilt",
      customize: null,
      vm,
      simulated: false,
    };
  }
  return {
    format: 1,
    image: { url: plan.template.image.url, sha256: plan.template.image.sha256 },
    source: plan.template.source,
    customize:
      plan.template.source === "upload"
        ? {
            kubernetesVersion: version,
            kubernetesRepo: `https://pkgs.k8s.io/core:/stable:/v${kubernetesMinor(version)}/deb/`,
            packages: [...new Set([...BASE_PACKAGES, ...custom.packages])].sort(),
            kernelModules: [...custom.kernelModules],
            sysctls: Object.fromEntries(
              Object.entries(custom.sysctls).sort(([a], [b]) => a.localeCompare(b)),
            ),
          }
        : null,
    vm,
    simulated: options.simulated && plan.template.source === "upload",
  };
}

/** What the image is, for people: the cloud image's URL, or "pre-built image". */
export function describeImage(recipe: TemplateRecipe): string {
  return recipe.source === "prebuilt"
    ? `pre-built image (sha256 ${recipe.image.sha256})`
    : `${recipe.image.url ?? "?"} (sha256 ${recipe.image.sha256})`;
}

/** JSON with sorted keys at every level: the same recipe always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of the canonical recipe, 64 hex. */
export function recipeFingerprint(recipe: TemplateRecipe): string {
  return createHash("sha256").update(canonicalJson(recipe)).digest("hex");
}

/** Proxmox tags are short lower-case words: the first 16 hex digits identify the recipe. */
export function recipeTag(fingerprint: string): string {
  return `pve-kube-recipe-${fingerprint.slice(0, 16)}`;
}

export const TEMPLATE_TAG = "pve-kube-template";
export const BUILDING_TAG = "pve-kube-building";
/** How many VMIDs from template.vmid upwards hold successive templates. */
export const TEMPLATE_RANGE_SIZE = 100;
