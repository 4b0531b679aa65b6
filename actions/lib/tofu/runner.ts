import { readFile } from "node:fs/promises";
import path from "node:path";
import { runTool, type ToolResult } from "../exec.js";
import type { Logger } from "../logger.js";
import { tofuArgs, type TofuCommand } from "./args.js";
import { parsePlanJson, type PlanJson } from "./plan-json.js";
import { tofuProcessEnv } from "./tool-env.js";

export interface TofuRunnerOptions {
  tool: string;
  dir: string;
  logger: Logger;
  /** the runner's environment: only its allow-listed part reaches OpenTofu (tool-env.ts) */
  env: NodeJS.ProcessEnv;
  /** what OpenTofu needs beyond it: credentials, the action's CLI config, the plugin cache */
  set?: Record<string, string>;
  /** values that never reach the log or an error message */
  secrets: readonly string[];
  /** wraps every OpenTofu process, adding to its environment (the provider's relay to Proxmox) */
  session?: <T>(fn: (env: Record<string, string>) => Promise<T>) => Promise<T>;
}

/** Runs OpenTofu in one working directory: argv only, output streamed and redacted. */
export class TofuRunner {
  readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: TofuRunnerOptions) {
    const { env, dropped } = tofuProcessEnv(options.env, options.set);
    if (dropped.length)
      options.logger.warning(
        `${dropped.join(", ")} ignored: OpenTofu debug logs would print the Proxmox API token`,
      );
    this.env = env;
  }

  private run(
    cmd: TofuCommand,
    extra: { okExitCodes?: number[]; stream?: boolean } = {},
  ): Promise<ToolResult> {
    const once = (sessionEnv: Record<string, string>) =>
      runTool(this.options.tool, tofuArgs(cmd), {
        logger: this.options.logger,
        cwd: this.options.dir,
        env: { ...this.env, ...sessionEnv },
        secrets: this.options.secrets,
        streamOutput: extra.stream ?? true,
        ...(extra.okExitCodes ? { okExitCodes: extra.okExitCodes } : {}),
      });
    return this.options.session ? this.options.session(once) : once({});
  }

  async init(cmd: Omit<Extract<TofuCommand, { command: "init" }>, "command">): Promise<void> {
    await this.run({ command: "init", ...cmd });
  }

  /** Writes the binary plan; returns whether it changes anything (exit code 2 of -detailed-exitcode). */
  async plan(
    cmd: Omit<Extract<TofuCommand, { command: "plan" }>, "command">,
    options: { quiet?: boolean } = {},
  ): Promise<{ hasChanges: boolean }> {
    // quiet: an internal plan that is never applied (its text would only confuse the log)
    const result = await this.run(
      { command: "plan", ...cmd },
      { okExitCodes: [2], stream: !options.quiet },
    );
    return { hasChanges: result.exitCode === 2 };
  }

  /** The JSON form of a saved plan: the only thing pve-kube reads a plan from. */
  async showPlan(planFile: string): Promise<PlanJson> {
    const result = await this.run({ command: "show", planFile }, { stream: false });
    return parsePlanJson(result.stdout);
  }

  async apply(cmd: Omit<Extract<TofuCommand, { command: "apply" }>, "command">): Promise<void> {
    await this.run({ command: "apply", ...cmd });
  }

  async output(name: string): Promise<unknown> {
    const result = await this.run({ command: "output", name }, { stream: false });
    return JSON.parse(result.stdout) as unknown;
  }

  /** `tofu show -json` of the current state (no plan file): the documented JSON format. */
  async showState(): Promise<string> {
    return (await this.run({ command: "show" }, { stream: false })).stdout;
  }

  async import(cmd: Omit<Extract<TofuCommand, { command: "import" }>, "command">): Promise<void> {
    await this.run({ command: "import", ...cmd });
  }

  async statePull(): Promise<string> {
    return (await this.run({ command: "state-pull" }, { stream: false })).stdout;
  }

  async statePush(
    cmd: Omit<Extract<TofuCommand, { command: "state-push" }>, "command">,
  ): Promise<void> {
    await this.run({ command: "state-push", ...cmd });
  }

  /** The lock file as OpenTofu left it after init (regenerated or verified). */
  lockFile(): Promise<string | undefined> {
    return readFile(path.join(this.options.dir, ".terraform.lock.hcl"), "utf8").catch(
      () => undefined,
    );
  }
}
