import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import type { CliIo } from "../command.js";
import { readLabDaemon } from "./lab-sim.js";
import type { LabPaths } from "./paths.js";

/** The environment of `lab exec`: the lab's ssh first on PATH, its key and kubeconfig named. */
export function labExecEnv(paths: LabPaths, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...env,
    PATH: `${paths.binDir}:${env.PATH ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}`,
    PVE_KUBE_LAB_SSH_CONFIG: paths.sshConfig,
    PVE_KUBE_LAB_SSH_KEY: paths.sshKey,
    ...(existsSync(paths.kubeconfig) ? { KUBECONFIG: paths.kubeconfig } : {}),
  };
}

/**
 * `pve-kube lab exec -- <command>`: runs a command inside the lab's network namespace, where the
 * lab's addresses route (and only there). Exits with the command's exit code.
 */
export async function labExec(command: string[], paths: LabPaths, io: CliIo): Promise<number> {
  if (command.length === 0)
    throw new ConfigurationError(
      "lab exec: no command given",
      "pve-kube lab exec -- ssh debian@10.0.20.11 hostname",
    );
  const lab = readLabDaemon(paths);
  if (!lab)
    throw new ConfigurationError(
      "the lab is not up (no running lab pve-sim)",
      "start it with `npm run lab`",
    );
  const child = spawn("ip", ["netns", "exec", lab.netns, ...command], {
    cwd: io.cwd,
    stdio: "inherit",
    env: labExecEnv(paths, io.env),
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal === "SIGINT" ? 130 : 1)));
  });
}
