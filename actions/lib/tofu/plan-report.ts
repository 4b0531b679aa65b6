import { table } from "../report/markdown.js";
import {
  destructiveChanges,
  vmsByRole,
  type ChangeAction,
  type PlanSummary,
  type VmChange,
} from "./plan-summary.js";

const SYMBOL: Record<ChangeAction, string> = {
  create: "+",
  update: "~",
  replace: "±",
  delete: "−",
};
const ROLE_TITLE = {
  "control-plane": "Control planes",
  worker: "Workers",
  unknown: "Other VMs",
} as const;

/** One line such as `+2 create, ~0 update, ±0 replace, −2 delete`. */
export function countsLine(summary: PlanSummary): string {
  const c = summary.counts;
  return `+${c.create} create, ~${c.update} update, ±${c.replace} replace, −${c.delete} delete`;
}

function detail(vm: VmChange): string {
  if (vm.tainted) return "half-created by a failed apply";
  if (vm.action === "replace")
    return vm.replaceBecause.length
      ? `forced by ${vm.replaceBecause.join(", ")}`
      : vm.changedAttributes.join(", ");
  if (vm.action === "update") return vm.changedAttributes.join(", ");
  return "";
}

/** Log lines: deletes and replaces first and in capitals, then the rest. */
export function planLogLines(summary: PlanSummary): string[] {
  if (!summary.hasChanges) return ["No changes: the VMs match the plan."];
  const lines = [`Plan: ${countsLine(summary)}`];
  for (const vm of destructiveChanges(summary))
    lines.push(
      `  ${vm.action.toUpperCase()} ${vm.role} ${vm.name}${vm.vmid ? ` (VMID ${vm.vmid} on ${vm.node ?? "?"})` : ""}${detail(vm) ? ` — ${detail(vm)}` : ""}`,
    );
  for (const vm of summary.vms.filter((v) => v.action === "create" || v.action === "update"))
    lines.push(
      `  ${SYMBOL[vm.action]} ${vm.action} ${vm.role} ${vm.name}${detail(vm) ? ` — ${detail(vm)}` : ""}`,
    );
  for (const other of summary.others)
    lines.push(`  ${SYMBOL[other.action]} ${other.action} ${other.address}`);
  return lines;
}

export interface PlanReportContext {
  cluster: string;
  mode: "plan" | "apply" | "destroy";
  sha256?: string;
  applied?: boolean;
  allowReplace?: boolean;
}

/**
 * The Markdown section for the job summary (and the PR comment): a loud block for deletes and
 * replaces above everything else, the counts, then one table per role.
 */
export function planMarkdown(summary: PlanSummary, ctx: PlanReportContext): string {
  const out: string[] = [];
  const destructive = destructiveChanges(summary);
  if (destructive.length > 0) {
    const verb = ctx.applied ? "were" : "will be";
    out.push(
      [
        "> [!CAUTION]",
        `> **${destructive.length} VM${destructive.length > 1 ? "s" : ""} ${verb} deleted or replaced**${ctx.applied || ctx.mode === "destroy" ? "" : " — this needs approval"}:`,
        ...destructive.map(
          (vm) =>
            `> - **${vm.action}** ${vm.role} \`${vm.name}\`${vm.vmid ? ` (VMID ${vm.vmid} on ${vm.node ?? "?"})` : ""}${detail(vm) ? ` — ${detail(vm)}` : ""}`,
        ),
      ].join("\n"),
    );
  }
  out.push(
    summary.hasChanges
      ? `**${ctx.applied ? "Applied" : "Plan"}:** ${countsLine(summary)}`
      : "**No changes.** The VMs match cluster.yaml.",
  );
  for (const [role, vms] of vmsByRole(summary)) {
    out.push(
      `#### ${ROLE_TITLE[role]}\n\n${table(
        ["", "VM", "action", "VMID", "node", "what changes"],
        vms.map((vm) => [
          SYMBOL[vm.action],
          vm.name,
          vm.action,
          vm.vmid ?? "(new)",
          vm.node ?? "",
          detail(vm),
        ]),
      )}`,
    );
  }
  if (summary.others.length > 0)
    out.push(
      `#### Other resources\n\n${table(
        ["", "address", "action"],
        summary.others.map((o) => [SYMBOL[o.action], o.address, o.action]),
      )}`,
    );
  if (summary.drifted.length > 0)
    out.push(
      `Changed outside OpenTofu since the last apply: ${summary.drifted.map((n) => `\`${n}\``).join(", ")}`,
    );
  if (ctx.sha256) out.push(`Plan SHA-256: \`${ctx.sha256}\``);
  return out.join("\n\n");
}
