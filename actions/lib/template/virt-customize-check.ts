import { CommandError, ConfigurationError } from "../errors.js";
import { runTool } from "../exec.js";
import type { Logger } from "../logger.js";

/** How to get virt-customize, for every message that needs it. */
export const VIRT_CUSTOMIZE_MISSING =
  "install the Debian/Ubuntu package guestfs-tools (`sudo apt-get install -y guestfs-tools`; on Debian 11/Ubuntu 20.04 and older it is libguestfs-tools) (runner-setup/ installs it on a self-hosted runner), or set template.source: download-url to let Proxmox download the plain base image";

/** Fails early, before anything changes on Proxmox, when virt-customize is not installed. */
export async function assertVirtCustomize(
  logger: Logger,
  command = "virt-customize",
): Promise<string> {
  try {
    const { stdout } = await runTool(command, ["--version"], { logger, timeoutMs: 60_000 });
    return stdout.trim();
  } catch (error) {
    if (
      error instanceof CommandError &&
      error.exitCode === null &&
      /command not found/.test(error.stderrTail)
    ) {
      throw new ConfigurationError(
        "virt-customize is not installed on this runner, so the cloud image cannot be customised",
        VIRT_CUSTOMIZE_MISSING,
      );
    }
    throw error;
  }
}
