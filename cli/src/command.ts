/** A CLI subcommand: `pve-kube <name> ...args`. Returns the process exit code. */
export interface CliCommand {
  name: string;
  /** one line for `pve-kube --help` */
  summary: string;
  /** full usage text for `pve-kube <name> --help` */
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}
