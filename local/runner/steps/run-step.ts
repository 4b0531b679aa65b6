import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import { isInside } from "./checkout-step.js";
import { emptyFiles, executeStepProcess } from "./execute.js";
import type { StepExecution, StepHost } from "./execute.js";

/**
 * `run:` steps. The script (with `${{ }}` already substituted, as GitHub does) is written to a
 * file in RUNNER_TEMP and run by the shell GitHub would use:
 *   (no shell)  bash -e {0}
 *   bash        bash --noprofile --norc -eo pipefail {0}
 *   sh          sh -e {0}
 *   python      python3 {0}
 *   anything with {0} is a custom shell command.
 */
export interface ShellCommand {
  command: string;
  args: string[];
  extension: string;
}

export function shellCommand(shell: string | undefined, script: string): ShellCommand {
  const name = shell?.trim() ?? "";
  const known: Record<string, { template: string; extension: string }> = {
    "": { template: "bash -e {0}", extension: ".sh" },
    bash: { template: "bash --noprofile --norc -eo pipefail {0}", extension: ".sh" },
    sh: { template: "sh -e {0}", extension: ".sh" },
    python: { template: "python3 {0}", extension: ".py" },
  };
  const entry =
    known[name] ?? (name.includes("{0}") ? { template: name, extension: "" } : undefined);
  if (!entry) {
    throw new ConfigurationError(
      `shell '${name}' is not supported locally`,
      "use bash, sh, python, or a command with {0} for the script path",
    );
  }
  const [command = "bash", ...args] = entry.template.split(/\s+/).filter((a) => a !== "");
  return { command, args: args.map((a) => a.replace("{0}", script)), extension: entry.extension };
}

export interface RunStepSpec {
  step: string;
  script: string;
  shell: string | undefined;
  workingDirectory: string | undefined;
  env: Record<string, string>;
  timeoutMs?: number;
}

export function runScriptStep(host: StepHost, spec: RunStepSpec): Promise<StepExecution> {
  const probe = shellCommand(spec.shell, "{script}");
  const scriptDir = host.temp;
  mkdirSync(scriptDir, { recursive: true });
  const scriptPath = path.join(scriptDir, `${randomUUID()}${probe.extension}`);
  writeFileSync(scriptPath, spec.script.endsWith("\n") ? spec.script : `${spec.script}\n`);
  const shell = shellCommand(spec.shell, scriptPath);
  const cwd = spec.workingDirectory
    ? path.resolve(host.workspace, spec.workingDirectory)
    : host.workspace;
  if (!isInside(host.workspace, cwd)) {
    return Promise.resolve({
      ok: false,
      error: `working-directory '${spec.workingDirectory ?? ""}' is not under the workspace ${host.workspace}`,
      files: emptyFiles(),
    });
  }
  return executeStepProcess(host, {
    step: spec.step,
    command: shell.command,
    args: shell.args,
    cwd,
    env: spec.env,
    timeoutMs: spec.timeoutMs,
  });
}
