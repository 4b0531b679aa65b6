import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ansibleEnv, ansiblePlaybookArgs } from "../../../actions/lib/kubeadm/argv.js";
import { readFactsFile } from "../../../actions/lib/kubeadm/facts.js";
import { renderInventory } from "../../../actions/lib/kubeadm/inventory.js";
import type { BootstrapNode } from "../../../actions/lib/kubeadm/types.js";
import { repoPath } from "../../helpers/repo.js";

/** A loopback port nothing listens on: an SSH connection to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * What the real ansible-playbook does when no node answers facts.yml (a lab run killed while
 * OpenTofu was creating the VMs leaves half-made VMs that never booted; the next run's
 * prepare-removals asks them for facts): the play ends before its run-once write on the runner,
 * so there is no facts file. The action must read that as "every node unreachable" — it used to
 * stop with ENOENT. Real Ansible (Debian's package, installed by `.ci/run`), SSH to loopback only.
 */
describe("facts.yml when no node answers", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-facts-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes no facts file, exits 4, and the action reads every node as unreachable", async () => {
    const nodes: BootstrapNode[] = ["demo-cp-1", "demo-general-1"].map((name, i) => ({
      name,
      ip: "127.0.0.1",
      role: i === 0 ? "control-plane" : "worker",
      pool: i === 0 ? "control-plane" : "general",
      labels: {},
      taints: [],
    }));
    const plan = {
      operator: "demo-cp-1",
      controlPlaneJoins: [],
      workerJoins: [],
      removals: [],
      strays: [],
      members: [],
    };
    const inventoryFile = path.join(dir, "inventory.json");
    const varsFile = path.join(dir, "vars.json");
    const factsFile = path.join(dir, "facts.json");
    const keyFile = path.join(dir, "id");
    await writeFile(
      inventoryFile,
      JSON.stringify(renderInventory({ nodes, plan, user: "debian" })),
    );
    await writeFile(varsFile, JSON.stringify({ pve_kube_facts_file: factsFile }));
    await writeFile(keyFile, "", { mode: 0o600 });
    await writeFile(path.join(dir, "known_hosts"), "");
    const ansibleDir = repoPath("ansible");
    const env = {
      ...ansibleEnv({
        base: process.env,
        ansibleDir,
        knownHostsFile: path.join(dir, "known_hosts"),
        timingFile: path.join(dir, "timing.json"),
        tmpDir: dir,
      }),
      ANSIBLE_REMOTE_PORT: String(await closedPort()),
    };
    const args = ansiblePlaybookArgs({
      ansibleDir,
      playbook: "facts.yml",
      inventoryFile,
      varsFile,
      privateKeyFile: keyFile,
      user: "debian",
    });
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile("ansible-playbook", args, { env, cwd: ansibleDir }, (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: unknown }).code) : 0,
          output: `${stdout}\n${stderr}`,
        }),
      );
    });
    expect(output).toMatch(/UNREACHABLE!/);
    expect(code, output).toBe(4);
    expect(existsSync(factsFile)).toBe(false);

    const facts = await readFactsFile(factsFile, nodes);
    expect(facts.hosts).toEqual(
      nodes.map((n) => ({
        name: n.name,
        reachable: false,
        kubeletConfigured: false,
        adminConf: false,
      })),
    );
    expect(facts.cluster).toBeUndefined();
  });

  it("a facts file that cannot be read for another reason is still an error", async () => {
    await expect(readFactsFile(dir, [])).rejects.toThrow(/EISDIR/);
  });
});
