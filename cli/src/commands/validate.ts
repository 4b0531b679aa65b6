import { loadClusterConfig } from "../../../actions/lib/config/index.js";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import type { CliCommand } from "../command.js";

export const validateCommand: CliCommand = {
  name: "validate",
  summary: "check a cluster.yaml and report every problem with file:line:col",
  usage: [
    "usage: pve-kube validate <cluster.yaml>...",
    "",
    "Validates each file against the schema and the cross-field rules (networks, addresses,",
    "VMIDs, nodes, versions). Prints every problem as `file:line:col: field: what — fix`.",
    "Exit code 0 when all files are valid, 1 otherwise.",
  ].join("\n"),
  async run(args, io) {
    const files = args.filter((a) => !a.startsWith("-"));
    if (files.length === 0)
      throw new ConfigurationError("no file given", "usage: pve-kube validate <cluster.yaml>");
    let failed = 0;
    for (const file of files) {
      try {
        const { plan } = await loadClusterConfig(file, { cwd: io.cwd });
        const workers = plan.vms.filter((v) => v.role === "worker").length;
        const controlPlanes = plan.vms.length - workers;
        io.stdout.write(
          `${file}: valid — cluster ${plan.cluster}: ${controlPlanes} control plane(s), ${workers} worker(s) on ${plan.proxmox.nodes.join(", ")}\n`,
        );
      } catch (error) {
        if (!(error instanceof ConfigurationError)) throw error;
        failed++;
        io.stderr.write(`${error.message}\n`);
      }
    }
    return failed > 0 ? 1 : 0;
  },
};
