import { describeImage, type TemplateRecipe } from "./recipe.js";

/**
 * The template VM's description (Proxmox shows it in the Notes panel). It carries the full
 * recipe fingerprint, and while a build runs, a marker naming the builder: the marker is how a
 * second run recognises a build in progress (or an abandoned one) instead of building twice.
 */
export interface BuildMarker {
  runId: string;
  startedAt: string;
}

const MARKER = /^pve-kube-build: run=(\S+) started=(\S+)$/m;
const FINGERPRINT = /^recipe: sha256:([0-9a-f]{64})$/m;

export function templateDescription(
  recipe: TemplateRecipe,
  fingerprint: string,
  cluster: string,
  building?: BuildMarker,
): string {
  const lines = [
    `pve-kube template for cluster ${cluster}`,
    `recipe: sha256:${fingerprint}`,
    `image: ${describeImage(recipe)}`,
    recipe.customize
      ? `customised: Kubernetes ${recipe.customize.kubernetesVersion}, ${recipe.customize.packages.join(", ")}; modules ${recipe.customize.kernelModules.join(", ") || "none"}`
      : recipe.source === "prebuilt"
        ? "customised: by the pipeline that built the image (uploaded as it is)"
        : "customised: no (Proxmox downloaded the base image; nodes are prepared at first boot)",
    `hardware: ${recipe.vm.machine}, ${recipe.vm.bios}, ${recipe.vm.scsihw}, serial console, guest agent`,
  ];
  if (recipe.simulated)
    lines.push("SIMULATED: the virt-customize step did not run (embedded demo)");
  if (building) lines.push(`pve-kube-build: run=${building.runId} started=${building.startedAt}`);
  return `${lines.join("\n")}\n`;
}

export function parseBuildMarker(description: unknown): BuildMarker | undefined {
  if (typeof description !== "string") return undefined;
  const match = MARKER.exec(description);
  return match ? { runId: match[1]!, startedAt: match[2]! } : undefined;
}

export function parseFingerprint(description: unknown): string | undefined {
  if (typeof description !== "string") return undefined;
  return FINGERPRINT.exec(description)?.[1];
}
