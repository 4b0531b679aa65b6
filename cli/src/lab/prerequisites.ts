import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { ConfigurationError, ConfigurationErrors } from "../../../actions/lib/errors.js";

/** Whether a program is on PATH. */
function onPath(program: string): boolean {
  try {
    execFileSync("sh", ["-c", 'command -v "$1"', "sh", program], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * What the lab needs before it changes anything: root (network namespaces, mounts, cgroups),
 * iproute2, systemd-nspawn, ssh-keygen, and the lab image that test/tools builds
 * (PVE_KUBE_LAB_IMAGE; scripts/lab.sh sets it). Every missing piece at once; returns the image.
 */
export function checkLabPrerequisites(env: NodeJS.ProcessEnv): string {
  const problems: ConfigurationError[] = [];
  if (process.getuid?.() !== 0)
    problems.push(
      new ConfigurationError(
        "the lab needs root: it makes a network namespace, bridges, mounts and cgroups",
        "run it as root (sudo npm run lab)",
      ),
    );
  for (const [program, pkg] of [
    ["ip", "iproute2"],
    ["systemd-nspawn", "systemd-container"],
    ["ssh-keygen", "openssh-client"],
    ["ssh", "openssh-client"],
  ] as const) {
    if (!onPath(program))
      problems.push(
        new ConfigurationError(
          `${program} is not installed`,
          `install the Debian package ${pkg} (apt-get install -y ${pkg})`,
        ),
      );
  }
  const image = env.PVE_KUBE_LAB_IMAGE;
  if (!image)
    problems.push(
      new ConfigurationError(
        "PVE_KUBE_LAB_IMAGE is not set: the lab boots its guests from the lab image",
        "run `npm run lab` (scripts/lab.sh builds the image with test/tools and sets it), or export PVE_KUBE_LAB_IMAGE=<path of the image>",
      ),
    );
  else if (!existsSync(image) || !statSync(image).isFile())
    problems.push(
      new ConfigurationError(
        `PVE_KUBE_LAB_IMAGE=${image}: no such file`,
        "build it with `bash test/tools/install.sh` (docs/lab-image.md), or point PVE_KUBE_LAB_IMAGE at the image",
      ),
    );
  if (problems.length === 1 && problems[0]) throw problems[0];
  if (problems.length > 1) throw new ConfigurationErrors(problems);
  return image ?? "";
}
