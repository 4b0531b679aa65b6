import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Whether the guest at `ip` answers from the host's own network namespace: an ssh login with the
 * key the guest accepts (a TCP connect alone proves nothing — with no guard route, the host's
 * default gateway may accept it). pve-sim gives the host no lab address and no lab route; the
 * lab (`npm run lab`) adds throw routes so nothing for a lab address leaves the machine.
 */
export async function guestAnswersFromHost(
  ip: string,
  keyFile: string,
  user: string,
): Promise<boolean> {
  try {
    await run("ssh", [
      ...["-i", keyFile, "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no"],
      ...["-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=3"],
      `${user}@${ip}`,
      "true",
    ]);
    return true;
  } catch {
    return false;
  }
}

/** The host's interface for a lab address: anything but its default route's would be a leak. */
export async function hostRouteDevice(ip: string): Promise<string> {
  const { stdout } = await run("ip", ["-o", "route", "get", ip]);
  return (
    /\bdev (\S+)/.exec(stdout)?.[1] ??
    /\b(unreachable|throw|prohibit)\b/.exec(stdout)?.[1] ??
    stdout
  );
}
