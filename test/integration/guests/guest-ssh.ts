import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** ssh to guests from inside the lab network namespace, the only place lab addresses route. */
export function labSsh(netns: string, keyFile: string, user: string) {
  /** `input`, when given, is the command's standard input (a file's content kept off argv). */
  const ssh = (ip: string, command: string, input?: string) => {
    const pending = run(
      "ip",
      [
        ...["netns", "exec", netns, "ssh", "-i", keyFile],
        ...["-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no"],
        ...["-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5"],
        `${user}@${ip}`,
        command,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    if (input !== undefined) pending.child.stdin?.end(input);
    return pending;
  };
  /**
   * Retries until sshd answers (it starts a moment after the agent: both wait for cloud-init,
   * which makes the host keys); resolves when it did.
   */
  const waitFor = async (ip: string, timeoutMs = 120_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await ssh(ip, "true");
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  };
  return { ssh, waitFor };
}
