import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, "../../..");

/**
 * A real Kubernetes control plane on loopback, no nodes: etcd, kube-apiserver, and the
 * controller-manager and scheduler, from the binaries the lab image build makes from the Go
 * module proxy (test/tools/lab/build-image.sh; `npm test` builds them through test/tools/install.sh).
 * Enough for Helm to install a release and for its workloads to report, for real, why they never
 * get ready: the scheduler finds no node for their pods.
 */
export interface ControlPlane {
  kubeconfig: string;
  /** the kubeconfig's text: its bearer token is a secret the tests scan outputs for */
  kubeconfigText: string;
  token: string;
  kubectl: string;
  binDir: string;
  stop(): Promise<void>;
}

function pins(): { kubernetes: { default: string }; lab: { etcd: string } } {
  return JSON.parse(readFileSync(path.join(repo, "versions.json"), "utf8")) as ReturnType<
    typeof pins
  >;
}

/** The lab build's binaries, or an error naming the command that builds them (never a skip). */
export function controlPlaneBinaries(): { k8s: string; etcd: string } {
  const cache = path.join(
    process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"),
    "pve-kube",
    "lab",
  );
  const p = pins();
  const k8s = path.join(cache, `k8s-${p.kubernetes.default}`, "bin");
  const etcd = path.join(cache, `etcd-${p.lab.etcd}`, "bin");
  for (const file of [
    path.join(k8s, "kube-apiserver"),
    path.join(k8s, "kubectl"),
    path.join(etcd, "etcd"),
  ])
    if (!existsSync(file))
      throw new Error(
        `${file} is missing: build it with bash test/tools/lab/build-image.sh (npm test does)`,
      );
  return { k8s, etcd };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export async function startControlPlane(): Promise<ControlPlane> {
  const bins = controlPlaneBinaries();
  const dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-cp-"));
  const children: ChildProcess[] = [];
  const logs: Record<string, string> = {};
  const start = (name: string, command: string, args: string[]) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    logs[name] = "";
    child.stderr?.on("data", (d: Buffer) => {
      logs[name] = (logs[name]! + d.toString()).slice(-20_000);
    });
    children.push(child);
  };
  const stop = async () => {
    for (const child of children.reverse()) {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const [client, peer, secure] = [await freePort(), await freePort(), await freePort()];
    start("etcd", path.join(bins.etcd, "etcd"), [
      `--data-dir=${path.join(dir, "etcd")}`,
      `--listen-client-urls=http://127.0.0.1:${client}`,
      `--advertise-client-urls=http://127.0.0.1:${client}`,
      `--listen-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-cluster=default=http://127.0.0.1:${peer}`,
    ]);
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    await writeFile(path.join(dir, "sa.key"), privateKey.export({ type: "pkcs8", format: "pem" }));
    await writeFile(path.join(dir, "sa.pub"), publicKey.export({ type: "spki", format: "pem" }));
    const token = randomBytes(24).toString("hex");
    await writeFile(
      path.join(dir, "tokens.csv"),
      `${token},pve-kube-test,pve-kube-test,"system:masters"\n`,
      { mode: 0o600 },
    );
    await mkdir(path.join(dir, "certs"));
    start("kube-apiserver", path.join(bins.k8s, "kube-apiserver"), [
      `--etcd-servers=http://127.0.0.1:${client}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      // the kubernetes Service's endpoint would be a loopback address, which validation refuses
      "--endpoint-reconciler-type=none",
      `--secure-port=${secure}`,
      `--cert-dir=${path.join(dir, "certs")}`,
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${path.join(dir, "sa.pub")}`,
      `--service-account-signing-key-file=${path.join(dir, "sa.key")}`,
      "--service-cluster-ip-range=10.96.0.0/12",
      `--token-auth-file=${path.join(dir, "tokens.csv")}`,
      "--authorization-mode=RBAC",
      // as kubeadm sets it: CNI agents run privileged init containers
      "--allow-privileged=true",
    ]);
    const kubeconfigText = [
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      "- name: test",
      "  cluster:",
      `    server: https://127.0.0.1:${secure}`,
      // the API server's self-signed serving certificate of this test only
      "    insecure-skip-tls-verify: true",
      "users:",
      "- name: admin",
      "  user:",
      `    token: ${token}`,
      "contexts:",
      "- name: test",
      "  context: {cluster: test, user: admin}",
      "current-context: test",
      "",
    ].join("\n");
    const kubeconfig = path.join(dir, "kubeconfig");
    await writeFile(kubeconfig, kubeconfigText, { mode: 0o600 });
    const kubectl = path.join(bins.k8s, "kubectl");
    const deadline = Date.now() + 180_000;
    for (;;) {
      try {
        await run(kubectl, ["--kubeconfig", kubeconfig, "get", "--raw", "/readyz"]);
        break;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(
            `kube-apiserver not ready after 180 s: ${String(error)}\n${logs["kube-apiserver"]?.slice(-3000)}\n${logs.etcd?.slice(-2000)}`,
          );
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    start("kube-controller-manager", path.join(bins.k8s, "kube-controller-manager"), [
      `--kubeconfig=${kubeconfig}`,
      "--leader-elect=false",
      "--bind-address=127.0.0.1",
      "--secure-port=0",
      "--controllers=daemonset,deployment,replicaset",
      `--service-account-private-key-file=${path.join(dir, "sa.key")}`,
    ]);
    start("kube-scheduler", path.join(bins.k8s, "kube-scheduler"), [
      `--kubeconfig=${kubeconfig}`,
      "--leader-elect=false",
      "--bind-address=127.0.0.1",
      "--secure-port=0",
    ]);
    return { kubeconfig, kubeconfigText, token, kubectl, binDir: bins.k8s, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
