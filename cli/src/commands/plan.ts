import { loadClusterConfig } from "../../../actions/lib/config/index.js";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { renderPlanMarkdown, renderPlanText } from "../../../actions/lib/report/cluster-plan.js";
import type { CliCommand } from "../command.js";

type Format = "text" | "markdown" | "json";

const FORMAT_FLAGS: Record<string, Format> = {
  "--markdown": "markdown",
  "--json": "json",
  "--text": "text",
};

const USAGE = "usage: pve-kube plan <cluster.yaml> [--markdown | --json]";

/** Splits argv into the one file and the output format; anything else is a user mistake. */
export function parsePlanArgs(args: readonly string[]): { file: string; format: Format } {
  const files: string[] = [];
  const formats = new Set<Format>();
  for (const arg of args) {
    const format = FORMAT_FLAGS[arg];
    if (format) formats.add(format);
    else if (arg.startsWith("-")) throw new ConfigurationError(`unknown option '${arg}'`, USAGE);
    else files.push(arg);
  }
  if (files.length !== 1)
    throw new ConfigurationError(
      files.length === 0 ? "no file given" : `one file at a time, got ${files.length}`,
      USAGE,
    );
  if (formats.size > 1)
    throw new ConfigurationError(
      `choose one output format, got ${[...formats].map((f) => `--${f}`).join(" and ")}`,
      USAGE,
    );
  return { file: files[0] ?? "", format: [...formats][0] ?? "text" };
}

export const planCommand: CliCommand = {
  name: "plan",
  summary: "show what a cluster.yaml describes: every VM, node, VMID, IP, size, network and add-on",
  usage: [
    USAGE,
    "",
    "Validates the file like `pve-kube validate`, then prints the resolved plan: every VM with",
    "role, Proxmox node, VMID, static IP and size; pools; load per Proxmox node; the API VIP, the",
    "LoadBalancer range and the node/pod/service networks; Kubernetes, Cilium and the add-ons with",
    "their pinned versions; the Proxmox connection and the template. Nothing is contacted.",
    "",
    "  --markdown  a Markdown document with tables and a mermaid topology diagram",
    "  --json      the plan object the actions use (ClusterPlan), as JSON",
    "",
    "Exit code 0 when the file is valid, 1 with every problem as `file:line:col: field: what — fix`.",
  ].join("\n"),
  async run(args, io) {
    const { file, format } = parsePlanArgs(args);
    const { plan } = await loadClusterConfig(file, { cwd: io.cwd });
    const output =
      format === "markdown"
        ? renderPlanMarkdown(plan)
        : format === "json"
          ? `${JSON.stringify(plan, null, 2)}\n`
          : renderPlanText(plan);
    io.stdout.write(output);
    return 0;
  },
};
