import { PassThrough } from "node:stream";
import { runCli } from "../../cli/src/cli.js";
import { repoRoot } from "./repo.js";

/** Runs the CLI in-process and captures what it prints. */
export async function cli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c: Buffer) => (out += c.toString()));
  stderr.on("data", (c: Buffer) => (err += c.toString()));
  const code = await runCli(args, {
    stdout,
    stderr,
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? process.env,
  });
  return { code, stdout: out, stderr: err };
}
