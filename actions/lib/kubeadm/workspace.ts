import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** The files of one run, in a 0700 directory under RUNNER_TEMP; `dispose` removes all of them. */
export interface RunWorkspace {
  dir: string;
  privateKeyFile: string;
  knownHostsFile: string;
  inventoryFile: string;
  varsFile: string;
  factsFile: string;
  timingFile: string;
  adminKubeconfigFile: string;
  /** SSH ControlPersist sockets: a short path under the system temp dir (sockets are limited to 108 bytes) */
  controlPathDir: string;
  dispose(): Promise<void>;
}

export async function createRunWorkspace(
  env: NodeJS.ProcessEnv,
  privateKey: string,
): Promise<RunWorkspace> {
  const root = env.RUNNER_TEMP || os.tmpdir();
  const dir = await mkdtemp(path.join(root, "pve-kube-kubeadm-"));
  await chmod(dir, 0o700);
  const file = (name: string) => path.join(dir, name);
  const privateKeyFile = file("id_ssh");
  // OpenSSH refuses a key without its final newline, and any key another user can read
  await writeFile(privateKeyFile, privateKey.endsWith("\n") ? privateKey : `${privateKey}\n`, {
    mode: 0o600,
  });
  // a socket path is limited to 108 bytes: RUNNER_TEMP can be long, /tmp/pkssh-XXXXXX/<40> is not
  const controlPathDir = await mkdtemp(path.join(os.tmpdir(), "pkssh-"));
  await chmod(controlPathDir, 0o700);
  return {
    dir,
    controlPathDir,
    privateKeyFile,
    knownHostsFile: file("known_hosts"),
    inventoryFile: file("inventory.json"),
    varsFile: file("vars.json"),
    factsFile: file("facts.json"),
    timingFile: file("timing.json"),
    adminKubeconfigFile: file("admin.conf"),
    dispose: async () => {
      await rm(dir, { recursive: true, force: true });
      await rm(controlPathDir, { recursive: true, force: true });
    },
  };
}

/** Writes a file only the runner's user can read (extra vars with join material, inventories). */
export async function writePrivate(file: string, content: string): Promise<void> {
  await writeFile(file, content, { mode: 0o600 });
}
