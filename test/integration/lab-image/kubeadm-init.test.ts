import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { LAB_NSPAWN_PROFILE } from "../../../actions/lib/kubeadm/profile.js";
import { renderInitDocuments, type ClusterSettings } from "../../../actions/lib/kubeadm/render.js";
import { joinSecretValues, newJoinSecrets } from "../../../actions/lib/kubeadm/secrets.js";
import type { BootstrapNode } from "../../../actions/lib/kubeadm/types.js";
import { yamlDocuments } from "../../../actions/lib/kubeadm/vars.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { proxmoxApiFor, waitTask } from "../../../testkit/sim-client.js";
import { repoPath } from "../../helpers/repo.js";
import { labSsh } from "../guests/guest-ssh.js";
import { labImage } from "../guests/lab-image.js";
import { guestOwnDiskMiB } from "../guests/guest-disk.js";
import { LAB_TEMPLATE_VMID, makeLabTemplate } from "../guests/lab-template.js";
import { leftovers } from "../guests/leftovers.js";

const run = promisify(execFile);
const image = labImage();
const pins = JSON.parse(readFileSync(repoPath("versions.json"), "utf8")) as {
  kubernetes: { default: string };
};
const VERSION = `v${pins.kubernetes.default}`;
// a guest network of this test's own: pve-sim guards it with a host throw route, and a running
// lab (10.0.20.0/24) or another guest test must never share the route this test removes
const NETWORK = "10.0.23.0/24";
const GATEWAY = "10.0.23.1";
const NODE: BootstrapNode = {
  name: "kubeadm-one",
  ip: "10.0.23.11",
  role: "control-plane",
  pool: "control-plane",
  labels: {},
  taints: [],
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The sysctls the kubeadm-bootstrap action's node_prep role sets (the lab profile keeps
 * writeSysctls), read from the role itself so there is one list.
 */
function nodePrepSysctls(): Record<string, string> {
  const tasks = parse(
    readFileSync(repoPath("ansible", "roles", "node_prep", "tasks", "main.yml"), "utf8"),
  ) as { name: string; vars?: { node_prep_sysctls?: Record<string, string> } }[];
  const sysctls = tasks.find((t) => t.vars?.node_prep_sysctls)?.vars?.node_prep_sysctls;
  if (!sysctls) throw new Error("ansible/roles/node_prep: no node_prep_sysctls task");
  return sysctls;
}

/**
 * One lab guest carries a kubeadm control plane: pve-sim with guests boots a clone of the lab
 * image (2 cores, 2 GiB: kubeadm's minimum), containerd runs with every image the default
 * kubeadm lists preloaded, and `kubeadm init` with the configuration the kubeadm-bootstrap
 * action renders for the lab-nspawn profile (no registry: imagePullPolicy Never) brings up an API
 * server whose /readyz answers ok. Nothing is left on the host afterwards.
 */
describe("a lab guest runs kubeadm init", () => {
  let sim: PveSim;
  let stateRoot: string;
  let keyDir: string;
  let netns: string;
  const secrets = newJoinSecrets();
  const api = () => proxmoxApiFor(sim);
  const task = async (upid: unknown) => {
    const status = await waitTask(sim, "pve1", upid as string);
    expect(status.exitstatus).toBe("OK");
  };
  const guest = () => labSsh(netns, path.join(keyDir, "id"), "lab");
  /** a command on the node as root; a failure's output reaches the log with the join material masked */
  const onNode = async (command: string, input?: string) => {
    try {
      return (await guest().ssh(NODE.ip, `sudo sh -c '${command}'`, input)).stdout;
    } catch (error) {
      const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
      let output = `${stdout}\n${stderr}`;
      for (const secret of joinSecretValues(secrets)) output = output.replaceAll(secret, "***");
      throw new Error(`on ${NODE.name}: ${command} failed:\n${output.slice(-6000)}`);
    }
  };

  beforeAll(async () => {
    stateRoot = mkdtempSync(path.join(os.tmpdir(), "pve-sim-kubeadm-"));
    keyDir = mkdtempSync(path.join(os.tmpdir(), "pve-sim-kubeadm-key-"));
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(keyDir, "id")]);
    sim = await startPveSim({ timeScale: 0, guests: { stateRoot } });
    netns = sim.guests?.network.name ?? "";
    await makeLabTemplate(sim, image);
    const node = api().nodes.$("pve1");
    await task(await node.qemu.$(LAB_TEMPLATE_VMID).clone.$post({ newid: 201, name: NODE.name }));
    await node.qemu.$(201).config.$put({
      cores: 2,
      memory: "2048",
      ciuser: "lab",
      sshkeys: encodeURIComponent(readFileSync(path.join(keyDir, "id.pub"), "utf8").trim()),
      ipconfig0: `ip=${NODE.ip}/24,gw=${GATEWAY}`,
      nameserver: GATEWAY,
      ciupgrade: 0,
    } as never);
    const started = Date.now();
    await task(await node.qemu.$(201).status.start.$post());
    await guest().waitFor(NODE.ip);
    console.log(`guest start to SSH answering: ${Date.now() - started} ms`);
  });

  afterAll(async () => {
    await sim?.close();
    rmSync(keyDir, { recursive: true, force: true });
    rmSync(stateRoot, { recursive: true, force: true });
  });

  it("runs containerd with every image the default kubeadm lists preloaded", async () => {
    expect((await onNode("systemctl is-active containerd")).trim()).toBe("active");
    // kubeadm and the kubelet talk to containerd's CRI plugin: it must have loaded ("ok")
    const cri = (await onNode("ctr plugins ls"))
      .split("\n")
      .find((line) => /^io\.containerd\.grpc\.v1\s+cri\s/.test(line));
    if (!cri?.trim().endsWith("ok"))
      throw new Error(
        `containerd's CRI plugin: ${cri ?? "not listed"}\n${await onNode("journalctl -u containerd --no-pager -n 60")}`,
      );
    // the lab image's first-boot import (pve-kube-lab-images.service) runs before the kubelet
    let state = "";
    for (let i = 0; i < 300 && state !== "active"; i++) {
      state = (await onNode("systemctl show -P ActiveState pve-kube-lab-images.service")).trim();
      expect(state).not.toBe("failed");
      if (state !== "active") await sleep(200);
    }
    expect(state).toBe("active");
    const listed = (await onNode(`kubeadm config images list --kubernetes-version ${VERSION}`))
      .split("\n")
      .filter(Boolean);
    expect(listed).toContain(`registry.k8s.io/kube-apiserver:${VERSION}`);
    const present = (await onNode("ctr -n k8s.io images ls -q")).split("\n");
    expect(listed.filter((name) => !present.includes(name))).toEqual([]);
  });

  it("initialises a control plane with the lab-nspawn profile's configuration; /readyz answers ok", async () => {
    const settings: ClusterSettings = {
      cluster: "kubeadm-one",
      version: pins.kubernetes.default,
      vip: NODE.ip,
      // the endpoint is the node's own API server (port 6443): no VIP holder for one node
      provider: "kube-vip",
      podCidr: "10.244.0.0/16",
      serviceCidr: "10.96.0.0/12",
      clusterDomain: "cluster.local",
      extraSans: [],
      // kube-proxy stays: its lab setting (conntrack.maxPerCore: 0) is part of what is proved
      skipKubeProxy: false,
      profile: LAB_NSPAWN_PROFILE,
    };
    const config = yamlDocuments(renderInitDocuments(settings, NODE, secrets));
    expect(config).toContain("imagePullPolicy: Never");
    expect(config).toContain("failCgroupV1: false");
    // what node_prep does on a lab node before kubeadm: its sysctls (the binaries and images of
    // the default version are already where the lab image puts them)
    const sysctls = Object.entries(nodePrepSysctls()).map(([k, v]) => `${k}=${v}`);
    await onNode(`sysctl -q -w ${sysctls.join(" ")}`);
    await onNode("install -D -m 0600 /dev/stdin /etc/kubernetes/pve-kube-init.yaml", config);

    const started = Date.now();
    // as the kubeadm_init role runs it
    await onNode("kubeadm init --config /etc/kubernetes/pve-kube-init.yaml --upload-certs");
    const initSeconds = (Date.now() - started) / 1000;
    let readyz = "";
    for (let i = 0; i < 120 && readyz !== "ok"; i++) {
      readyz = await onNode(
        "kubectl --kubeconfig /etc/kubernetes/admin.conf get --raw /readyz 2>/dev/null || true",
      );
      if (readyz !== "ok") await sleep(1000);
    }
    const readySeconds = (Date.now() - started) / 1000;
    expect(readyz).toBe("ok");
    const nodes = await onNode("kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name");
    expect(nodes.trim()).toBe(`node/${NODE.name}`);
    const { status } = (await api().nodes.$("pve1").qemu.$(201).status.current.$get()) as {
      status: string;
    };
    expect(status).toBe("running");
    const mem = sim.guests?.memoryUsage(201);
    const diskMiB = await guestOwnDiskMiB(sim, 201);
    console.log(`kubeadm init: ${initSeconds.toFixed(1)} s`);
    console.log(
      `/readyz ok: ${readySeconds.toFixed(1)} s after kubeadm init started, ${(readySeconds - initSeconds).toFixed(1)} s after it returned`,
    );
    console.log(
      `control-plane guest: memory (cgroup usage) ${Math.round((mem ?? 0) / 2 ** 20)} MiB, own disk ${diskMiB} MiB`,
    );
  });

  it("leaves nothing behind after close", async () => {
    const instanceDir = sim.guests?.instanceDir ?? "";
    const instanceId = sim.guests?.instanceId ?? "";
    const started = Date.now();
    await sim.close();
    console.log(`close with a running control plane: ${Date.now() - started} ms`);
    expect(await leftovers(instanceDir, instanceId, netns, [NETWORK])).toEqual([]);
  });
});
