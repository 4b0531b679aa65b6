import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import type { CliCommand, CliIo } from "../command.js";
import { labDown } from "../lab/down.js";
import { labExec } from "../lab/exec.js";
import { labPaths } from "../lab/paths.js";
import { labRunner } from "../lab/runner.js";
import { labUp } from "../lab/up.js";

const USAGE_LINE =
  "usage: pve-kube lab [--down] [--sim-time-scale F] [-- <pve-kube run options>] | pve-kube lab exec -- <command>…";

const USAGE = [
  USAGE_LINE,
  "",
  "The lab: pve-sim with guests — every VM that starts is a real Debian machine (systemd-nspawn) in",
  "the lab's own network namespace — and the lab cluster (the ha example, sized for one machine)",
  "deployed on it by the real .github/workflows/deploy.yml through the local runner. Needs root.",
  "",
  "  (no option)       deploy, or find nothing to do; the cluster stays up. State in .local-run/lab/",
  "  --down            remove everything the lab made: guests, mounts, veths, bridges, the",
  "                    namespace, the host's guard routes, the state (also after a killed run)",
  "  --sim-time-scale F  pve-sim task durations when it starts: 1 = realistic (default 0.25)",
  "  exec -- CMD…      run CMD inside the lab's network namespace, with the lab's ssh key and",
  "                    known_hosts (ssh on PATH uses them) and KUBECONFIG once the cluster has one",
  "",
  "npm run lab (scripts/lab.sh) builds or reuses the tools and the lab image, then runs this.",
].join("\n");

/** The checkout holding .github/workflows/deploy.yml: the current folder or the CLI's own. */
function checkoutOf(io: CliIo): string {
  return io.cwd;
}

export async function runLab(args: string[], io: CliIo): Promise<number> {
  const checkout = checkoutOf(io);
  const paths = labPaths(checkout);
  if (args[0] === "_runner") return labRunner(args.slice(1), io);
  if (args[0] === "exec") {
    const rest = args.slice(1);
    return labExec(rest[0] === "--" ? rest.slice(1) : rest, paths, io);
  }
  const dashes = args.indexOf("--");
  const own = dashes < 0 ? args : args.slice(0, dashes);
  let values;
  try {
    ({ values } = parseArgs({
      args: own,
      options: { down: { type: "boolean" }, "sim-time-scale": { type: "string" } },
    }));
  } catch (error) {
    throw new ConfigurationError((error as Error).message, USAGE_LINE);
  }
  const say = (line: string) => io.stdout.write(`${line}\n`);
  if (values.down) return labDown(paths, say);
  const timeScale = Number(values["sim-time-scale"] ?? 0.25);
  if (!Number.isFinite(timeScale) || timeScale < 0)
    throw new ConfigurationError(
      `--sim-time-scale must be a number ≥ 0, got '${values["sim-time-scale"]}'`,
      USAGE_LINE,
    );
  return labUp({
    checkout,
    paths,
    cliEntry: path.resolve(process.argv[1] ?? ""),
    timeScale,
    runArgs: dashes < 0 ? [] : args.slice(dashes + 1),
    io,
  });
}

export const labCommand: CliCommand = {
  name: "lab",
  summary:
    "deploy the lab cluster on pve-sim with real guests (--down removes it; exec runs inside it)",
  usage: USAGE,
  run: runLab,
};
