import { formatDuration, table } from "../../lib/report/markdown.js";
import type { Timing } from "../../lib/state/index.js";
import type { TemplateRecipe } from "../../lib/template/index.js";

export interface BuildSummary {
  cluster: string;
  vmid: number;
  node: string;
  fingerprint: string;
  built: boolean;
  waitedForOtherBuilder: boolean;
  /** older templates of this cluster, with the VMs (linked clones) that still depend on each */
  kept: { vmid: number; usedBy: number[] }[];
  recipe: TemplateRecipe;
  timings: Timing[];
  /** the Proxmox certificate was not verified (insecure: true): the summary must say so */
  tlsInsecure?: boolean;
  /** plan mode: what would happen */
  planOnly?: { wouldBuild: boolean; nextVmid?: number };
}

export function buildTemplateSummary(s: BuildSummary): string {
  const short = `\`${s.fingerprint.slice(0, 16)}\``;
  const headline = s.planOnly
    ? s.planOnly.wouldBuild
      ? `🆕 a new template would be built (recipe ${short} not present)${s.planOnly.nextVmid ? ` at VMID ${s.planOnly.nextVmid}` : ""}`
      : `✅ template **${s.vmid}** on ${s.node} is up to date (recipe ${short}): nothing to build`
    : s.built
      ? `🆕 built template **${s.vmid}** on ${s.node} (recipe ${short})`
      : `✅ template **${s.vmid}** on ${s.node} is up to date (recipe ${short}): nothing changed${s.waitedForOtherBuilder ? " — another run built it while this one waited" : ""}`;
  const simulated = s.timings.filter((t) => t.simulated).map((t) => t.step);
  const c = s.recipe.customize;
  const lines = [
    `## pve-kube build-template — cluster \`${s.cluster}\``,
    headline,
    ...(s.tlsInsecure
      ? [
          "> ⚠️ TLS verification of the Proxmox certificate was OFF (insecure: true). Pin the certificate fingerprint instead.",
        ]
      : []),
    ...(s.recipe.simulated
      ? [
          `> ⚠️ **simulated**: the virt-customize step did not run (simulate-customize: true, embedded demo only). The template holds the plain base image.`,
        ]
      : []),
    ...(s.kept.length
      ? [
          `Older templates kept (existing VMs are never forced onto a new template): ${s.kept
            .map((k) =>
              k.usedBy.length
                ? `${k.vmid} (linked clones ${k.usedBy.join(", ")} depend on it)`
                : `${k.vmid} (no VM of this cluster depends on it; \`qm destroy ${k.vmid}\` removes it once you no longer want to roll back)`,
            )
            .join("; ")}`,
        ]
      : []),
    table(
      ["Recipe", "Value"],
      [
        [
          "image",
          s.recipe.source === "prebuilt"
            ? `pre-built image (sha256 \`${s.recipe.image.sha256.slice(0, 16)}…\`)`
            : `${s.recipe.image.url ?? "?"} (sha256 \`${s.recipe.image.sha256.slice(0, 16)}…\`)`,
        ],
        ["source", s.recipe.source],
        [
          "customisation",
          c
            ? `Kubernetes ${c.kubernetesVersion}; ${c.packages.join(", ")}; modules ${c.kernelModules.join(", ") || "none"}`
            : s.recipe.source === "prebuilt"
              ? "none here: the image was built and customised by its own pipeline"
              : "none (Proxmox downloads the base image)",
        ],
        ["hardware", `${s.recipe.vm.machine}, ${s.recipe.vm.bios}, on ${s.recipe.vm.storage}`],
        ["fingerprint", `sha256:${s.fingerprint}`],
      ],
    ),
  ];
  if (s.timings.length) {
    lines.push(
      table(
        ["Step", "Time", ""],
        s.timings.map((t) => [
          t.step,
          formatDuration(t.ms),
          simulated.includes(t.step) ? "simulated" : "",
        ]),
      ),
    );
  }
  return lines.join("\n\n");
}
