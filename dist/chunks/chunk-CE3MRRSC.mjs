import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/kubeadm/workspace.ts
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
async function createRunWorkspace(env, privateKey) {
  const root = env.RUNNER_TEMP || os.tmpdir();
  const dir = await mkdtemp(path.join(root, "pve-kube-kubeadm-"));
  await chmod(dir, 448);
  const file = /* @__PURE__ */ __name((name) => path.join(dir, name), "file");
  const privateKeyFile = file("id_ssh");
  await writeFile(privateKeyFile, privateKey.endsWith("\n") ? privateKey : `${privateKey}
`, {
    mode: 384
  });
  const controlPathDir = await mkdtemp(path.join(os.tmpdir(), "pkssh-"));
  await chmod(controlPathDir, 448);
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
    dispose: /* @__PURE__ */ __name(async () => {
      await rm(dir, { recursive: true, force: true });
      await rm(controlPathDir, { recursive: true, force: true });
    }, "dispose")
  };
}
__name(createRunWorkspace, "createRunWorkspace");
async function writePrivate(file, content) {
  await writeFile(file, content, { mode: 384 });
}
__name(writePrivate, "writePrivate");

export {
  createRunWorkspace,
  writePrivate
};
