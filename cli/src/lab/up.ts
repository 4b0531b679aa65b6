import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { CliIo } from "../command.js";
import { prepareSimForDeploy, requestKind } from "../commands/run-sim.js";
import { relaySocketToTcp } from "./api-bridge.js";
import { guardHostRoutes, labRanges } from "./host-guard.js";
import { LAB_NETNS, startOrReuseLabSim } from "./lab-sim.js";
import type { LabPaths } from "./paths.js";
import { LAB_CLUSTER, labClusterUid, writeLabProfile } from "./profile.js";
import { checkLabPrerequisites } from "./prerequisites.js";
import { ensureLabKeyPair, writeLabSshFiles } from "./ssh.js";

/** The port pve-sim answers on inside the lab namespace (the relay's end there). */
export const LAB_API_PORT = 8006;

export interface LabUpOptions {
  checkout: string;
  paths: LabPaths;
  /** the CLI entry (bundled pve-kube.mjs) that pve-sim and the runner are started from */
  cliEntry: string;
  timeScale: number;
  /** extra `pve-kube run` arguments (e.g. --debug) */
  runArgs: string[];
  io: CliIo;
}

/**
 * The lab image's SHA-256: from `<image>.sha256` when the build wrote one, else hashed once and
 * remembered by size and mtime (hashing 2 GB on every warm start would be most of its time).
 */
async function imageSha256(image: string, paths: LabPaths): Promise<string> {
  const sidecar = `${image}.sha256`;
  if (existsSync(sidecar)) {
    const sha = (await readFile(sidecar, "utf8")).trim().split(/\s+/)[0] ?? "";
    if (/^[0-9a-f]{64}$/.test(sha)) return sha;
  }
  const info = statSync(image);
  const key = `${image} ${info.size} ${info.mtimeMs}`;
  const memo = path.join(paths.root, "image.sha256");
  if (existsSync(memo)) {
    const [sha, ...rest] = (await readFile(memo, "utf8")).trim().split(" ");
    if (rest.join(" ") === key && sha) return sha;
  }
  const hash = createHash("sha256");
  await pipeline(createReadStream(image), hash);
  const sha = hash.digest("hex");
  await writeFile(memo, `${sha} ${key}\n`, { mode: 0o600 });
  return sha;
}

/**
 * `pve-kube lab`: deploys the lab profile with the real deploy workflow, through the local
 * runner, against pve-sim with guests — and leaves it running. A second run changes nothing.
 */
export async function labUp(options: LabUpOptions): Promise<number> {
  const { paths, io, checkout } = options;
  const say = (line: string) => io.stdout.write(`${line}\n`);
  const image = checkLabPrerequisites(io.env);
  await mkdir(paths.root, { recursive: true, mode: 0o700 });

  const keys = await ensureLabKeyPair(paths);
  const loaded = await writeLabProfile(checkout, paths.clusterFile, {
    sshPublicKey: keys.publicKey,
    uid: await labClusterUid(paths),
  });
  await writeLabSshFiles(paths, loaded.plan.ssh.user);
  await guardHostRoutes(labRanges(loaded.plan));
  const sha256 = await imageSha256(image, paths);
  say(`lab: image ${image} (sha256 ${sha256.slice(0, 16)}…)`);

  const { sim, reused } = await startOrReuseLabSim(paths, {
    cliEntry: options.cliEntry,
    timeScale: options.timeScale,
    say,
  });
  say(
    `lab: pve-sim with guests ${reused ? "already running" : "started"} (pid ${sim.pid}, ${sim.url} on the host, https://127.0.0.1:${LAB_API_PORT} in the lab namespace) · state ${path.relative(checkout, paths.root)}/`,
  );
  const relay = await relaySocketToTcp(paths.apiSocket, Number(new URL(sim.url).port));
  try {
    const prepared = await prepareSimForDeploy(sim, loaded.plan);
    const startIndex = (await sim.requestLog()).length;
    const clusterInput = path.relative(checkout, paths.clusterFile);
    const runArgs = [
      "run",
      ".github/workflows/deploy.yml",
      "--input",
      `cluster=${clusterInput}`,
      "--input",
      "environment=lab",
      "--input",
      "tofu-lock-file=regenerate",
      "--input",
      `proxmox-url=https://127.0.0.1:${LAB_API_PORT}`,
      "--input",
      `proxmox-fingerprint=${sim.fingerprint}`,
      // the provider built from source by test/tools, from its filesystem mirror (as npm start)
      ...(io.env.TF_CLI_CONFIG_FILE
        ? [
            "--input",
            `tofu-provider-mirror=${path.join(path.dirname(io.env.TF_CLI_CONFIG_FILE), "tofu-mirror")}`,
          ]
        : []),
      // the phases the lab can carry today: install-cilium needs the Cilium chart and images
      // built here (test/tools/lab/build-cilium.sh), which the lab image does not carry yet — with
      // `all` it would try the chart's public repository, which this machine cannot reach
      "--input",
      "phases=build-template,tofu-provision,kubeadm-bootstrap",
      // the kubeadm node settings of nspawn guests (cgroup v1 host, no /dev/kmsg, …): lab only
      "--input",
      "node-profile=lab-nspawn",
      "--input",
      `template-image-file=${image}`,
      "--input",
      `template-image-sha256=${sha256}`,
      // secrets by name: their values travel in the environment, never on a command line
      "--secret",
      "PROXMOX_TOKEN_ID",
      "--secret",
      "PROXMOX_TOKEN_SECRET",
      "--secret",
      "PROXMOX_READONLY_TOKEN_ID",
      "--secret",
      "PROXMOX_READONLY_TOKEN_SECRET",
      "--secret",
      "STATE_KEY",
      "--secret",
      "SSH_PRIVATE_KEY",
      ...options.runArgs,
    ];
    const code = await runInLab(options, runArgs, {
      PROXMOX_TOKEN_ID: prepared.write.id,
      PROXMOX_TOKEN_SECRET: prepared.write.secret,
      PROXMOX_READONLY_TOKEN_ID: prepared.readOnly.id,
      PROXMOX_READONLY_TOKEN_SECRET: prepared.readOnly.secret,
      STATE_KEY: prepared.stateKey,
      SSH_PRIVATE_KEY: keys.privateKey,
      XDG_STATE_HOME: path.join(paths.simDir, "xdg-state"),
    });
    const changes = (await sim.requestLog()).slice(startIndex).filter((r) => r.mutating);
    say(
      changes.length === 0
        ? "lab: no changes — 0 mutating Proxmox API calls in this run"
        : `lab: ${changes.length} mutating Proxmox API calls in this run`,
    );
    const byKind = new Map<string, number>();
    for (const r of changes)
      byKind.set(
        requestKind(r.method, r.path),
        (byKind.get(requestKind(r.method, r.path)) ?? 0) + 1,
      );
    for (const [kind, n] of [...byKind].sort((a, b) => b[1] - a[1]))
      say(`  ${String(n).padStart(4)} × ${kind}`);
    if (code === 0) say(howToReach(loaded.plan.vms, loaded.plan.ssh.user, paths, checkout));
    else
      say(
        `lab: the deploy failed (exit ${code}); the lab stays as it is — run again, or \`npm run lab -- --down\``,
      );
    return code;
  } finally {
    await relay.close();
    sim.detach();
  }
}

/** The runner, inside the lab namespace, behind the API relay (`pve-kube lab _runner`). */
function runInLab(
  options: LabUpOptions,
  runArgs: string[],
  env: Record<string, string>,
): Promise<number> {
  const { paths, io } = options;
  const child = spawn(
    "ip",
    [
      "netns",
      "exec",
      LAB_NETNS,
      process.execPath,
      options.cliEntry,
      "lab",
      "_runner",
      "--socket",
      paths.apiSocket,
      "--port",
      String(LAB_API_PORT),
      "--",
      ...runArgs,
    ],
    { cwd: options.checkout, stdio: ["ignore", "inherit", "inherit"], env: { ...io.env, ...env } },
  );
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** The machines and how to reach them. */
function howToReach(
  vms: { name: string; ip: string }[],
  user: string,
  paths: LabPaths,
  checkout: string,
): string {
  const first = vms[0];
  return [
    `lab: cluster ${LAB_CLUSTER} is up — ${vms.length} machines, reachable only inside the lab's network namespace:`,
    ...vms.map((vm) => `  ${vm.name.padEnd(16)} ${vm.ip}`),
    "",
    "reach them with `pve-kube lab exec -- <command>` (ssh there uses the lab's key and known_hosts):",
    `  npx pve-kube lab exec -- ssh ${user}@${first?.ip ?? "<address>"} hostname`,
    `  npx pve-kube lab exec -- bash      # a shell inside the lab network`,
    `state: ${path.relative(checkout, paths.root)}/ · remove everything: npm run lab -- --down`,
  ].join("\n");
}
