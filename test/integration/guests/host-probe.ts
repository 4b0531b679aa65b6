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

/** The host's route for a lab address: `throw` when pve-sim's guard is in place (nothing is sent). */
export async function hostRouteDevice(ip: string): Promise<string> {
  // a throw route makes `ip route get` itself fail with ENETUNREACH: that is the guard working
  const { stdout } = await run("ip", ["-o", "route", "get", ip]).catch((error: unknown) => {
    if (String((error as { stderr?: unknown }).stderr).includes("Network is unreachable"))
      return { stdout: "throw" };
    throw error;
  });
  return (
    /\bdev (\S+)/.exec(stdout)?.[1] ??
    /\b(unreachable|throw|prohibit)\b/.exec(stdout)?.[1] ??
    stdout
  );
}
