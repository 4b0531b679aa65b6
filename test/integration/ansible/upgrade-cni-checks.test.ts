import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoPath } from "../../helpers/repo.js";

const run = promisify(execFile);

/** A node's line as the role's "Read each node's Ready condition" prints it: name, status, message. */
const line = (name: string, status: string, message: string) => `${name}\t${status}\t${message}`;
const NO_CNI =
  "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized";

/**
 * `kubeadm upgrade apply` refuses to start while no CNI runs (its CreateJob and
 * ControlPlaneNodesReady health checks cannot pass; found on the lab's guests). The
 * kubeadm_upgrade role skips exactly those two checks when, and only when, every node that is not
 * Ready says it waits for its CNI. This evaluates the role's own vars (vars/main.yml) with the real
 * ansible-playbook against the kubelet messages a lab node printed.
 */
describe("kubeadm_upgrade: which health checks wait for a CNI", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-upgrade-cni-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function extraArgs(readiness: string[]): Promise<string[]> {
    const playbook = path.join(dir, `case-${Math.random().toString(16).slice(2)}.yml`);
    await writeFile(
      playbook,
      JSON.stringify([
        {
          hosts: "localhost",
          gather_facts: false,
          vars_files: [repoPath("ansible", "roles", "kubeadm_upgrade", "vars", "main.yml")],
          vars: {
            pve_kube_profile: { ignore_preflight_errors: [] },
            kubeadm_upgrade_readiness: { stdout_lines: readiness },
          },
          tasks: [
            { "ansible.builtin.debug": { msg: "ARGS={{ kubeadm_upgrade_cni_ignore | to_json }}" } },
          ],
        },
      ]),
    );
    const { stdout } = await run(
      "ansible-playbook",
      ["-i", "localhost,", "-c", "local", playbook],
      { env: { ...process.env, ANSIBLE_NOCOLOR: "1", ANSIBLE_STDOUT_CALLBACK: "json" } },
    );
    const match = /ARGS=(\[.*?\])"/.exec(stdout);
    if (!match) throw new Error(`no ARGS line in:\n${stdout}`);
    return JSON.parse(JSON.parse(`"${match[1]!}"`) as string) as string[];
  }

  it("skips CreateJob and ControlPlaneNodesReady when every NotReady node only lacks its CNI", async () => {
    expect(
      await extraArgs([line("cp-1", "False", NO_CNI), line("worker-1", "False", NO_CNI)]),
    ).toEqual(["--ignore-preflight-errors=CreateJob,ControlPlaneNodesReady"]);
  });

  it("keeps every check when one node is NotReady for another reason", async () => {
    expect(
      await extraArgs([
        line("cp-1", "False", NO_CNI),
        line("cp-2", "Unknown", "Kubelet stopped posting node status."),
      ]),
    ).toEqual([]);
  });

  it("keeps every check when every node is Ready (a CNI runs)", async () => {
    expect(
      await extraArgs([
        line("cp-1", "True", "kubelet is posting ready status"),
        line("worker-1", "True", "kubelet is posting ready status"),
      ]),
    ).toEqual([]);
  });

  it("keeps every check on hosts that did not read the nodes (kubeadm upgrade node)", async () => {
    expect(await extraArgs([])).toEqual([]);
  });
});
