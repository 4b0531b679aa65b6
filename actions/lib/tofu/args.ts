/**
 * Command lines for OpenTofu (or Terraform, which takes the same flags for everything here), as
 * argv arrays — never shell strings. Every command is non-interactive and colourless, so output
 * can be logged and parsed as it is.
 */
export type TofuCommand =
  | {
      command: "init";
      backendConfig?: readonly string[];
      lockfileReadonly?: boolean;
      varFile?: string;
    }
  | {
      command: "plan";
      out: string;
      varFile: string;
      destroy?: boolean;
      parallelism?: number;
      lockTimeout?: string;
      refresh?: boolean;
      /** only refresh: the plan shows what changed outside OpenTofu, and changes nothing */
      refreshOnly?: boolean;
      /** resource addresses to re-create (`-replace=`) */
      replace?: readonly string[];
    }
  | { command: "apply"; planFile: string; parallelism?: number; lockTimeout?: string }
  | { command: "show"; planFile?: string }
  | { command: "output"; name?: string }
  | { command: "import"; address: string; id: string; varFile: string; lockTimeout?: string }
  | { command: "state-pull" }
  | { command: "state-push"; file: string; lockTimeout?: string }
  | { command: "version" };

const COMMON = ["-input=false", "-no-color"] as const;

export function tofuArgs(cmd: TofuCommand): string[] {
  switch (cmd.command) {
    case "init":
      return [
        "init",
        ...COMMON,
        // the working copy may remember another backend from an earlier run: never migrate state
        "-reconfigure",
        // the committed lock file decides which provider builds are acceptable; never rewrite it
        ...(cmd.lockfileReadonly ? ["-lockfile=readonly"] : []),
        ...(cmd.backendConfig ?? []).map((entry) => `-backend-config=${entry}`),
        // OpenTofu evaluates variables early (backend/encryption blocks may use them)
        ...(cmd.varFile ? [`-var-file=${cmd.varFile}`] : []),
      ];
    case "plan":
      return [
        "plan",
        ...COMMON,
        // exit code 2 = changes present, 0 = none: the caller needs no text parsing
        "-detailed-exitcode",
        ...(cmd.destroy ? ["-destroy"] : []),
        ...(cmd.refresh === false ? ["-refresh=false"] : []),
        ...(cmd.refreshOnly ? ["-refresh-only"] : []),
        ...(cmd.replace ?? []).map((address) => `-replace=${address}`),
        ...lockAndParallelism(cmd),
        `-var-file=${cmd.varFile}`,
        `-out=${cmd.out}`,
      ];
    case "apply":
      // a saved plan is applied as it is: no -auto-approve, no variables, no -destroy
      return ["apply", ...COMMON, ...lockAndParallelism(cmd), cmd.planFile];
    case "show":
      return ["show", "-json", "-no-color", ...(cmd.planFile ? [cmd.planFile] : [])];
    case "output":
      return ["output", "-json", "-no-color", ...(cmd.name ? [cmd.name] : [])];
    case "import":
      // adopts a VM an interrupted apply created but never recorded (see interrupted-apply-decisions.ts)
      return [
        "import",
        ...COMMON,
        ...lockAndParallelism(cmd),
        `-var-file=${cmd.varFile}`,
        cmd.address,
        cmd.id,
      ];
    case "state-pull":
      return ["state", "pull"];
    case "state-push":
      // never -force: a state that moved on (lineage or a higher serial) is refused
      return ["state", "push", ...lockAndParallelism(cmd), cmd.file];
    case "version":
      return ["version", "-json"];
  }
}

function lockAndParallelism(cmd: { parallelism?: number; lockTimeout?: string }): string[] {
  return [
    ...(cmd.lockTimeout ? [`-lock-timeout=${cmd.lockTimeout}`] : []),
    ...(cmd.parallelism ? [`-parallelism=${cmd.parallelism}`] : []),
  ];
}
