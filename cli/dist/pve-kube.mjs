#!/usr/bin/env node
import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  connectSimDaemon,
  parseFaultSpec,
  prepareSimForDeploy,
  requestKind,
  runCommand,
  seededRandom,
  simPidFile,
  startSimDaemon
} from "../../dist/chunks/chunk-YJOJC6YH.mjs";
import {
  processAlive,
  processStartTime,
  sameProcessAlive
} from "../../dist/chunks/chunk-RHOG2TJY.mjs";
import {
  require_selfsigned
} from "../../dist/chunks/chunk-PRJCJMIU.mjs";
import "../../dist/chunks/chunk-AOOLGRGL.mjs";
import "../../dist/chunks/chunk-N6HR45QX.mjs";
import {
  renderPlanMarkdown,
  renderPlanText
} from "../../dist/chunks/chunk-ORDDMC3G.mjs";
import "../../dist/chunks/chunk-47EJWNSM.mjs";
import {
  clusterJsonSchemaText,
  loadClusterConfig,
  overlaps,
  parseCidr,
  parseClusterConfig
} from "../../dist/chunks/chunk-OXUWTRXE.mjs";
import {
  require_dist
} from "../../dist/chunks/chunk-4BVVZQQR.mjs";
import {
  ConfigurationError,
  ConfigurationErrors,
  getErrorMessage,
  isConfigurationError
} from "../../dist/chunks/chunk-SAJHUJQG.mjs";
import {
  __name,
  __toESM
} from "../../dist/chunks/chunk-UUUODAAY.mjs";

// cli/src/commands/lab.ts
import path4 from "node:path";
import { parseArgs } from "node:util";

// cli/src/lab/down.ts
import { existsSync as existsSync5 } from "node:fs";
import { rm as rm2 } from "node:fs/promises";

// sim/guests/disks.ts
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";

// sim/guests/exec.ts
import { execFile } from "node:child_process";
var HostCommandError = class extends Error {
  constructor(argv, stderr, code) {
    super(`${argv.join(" ")} failed (${String(code)}): ${stderr.trim()}`);
    this.argv = argv;
    this.stderr = stderr;
    this.code = code;
  }
  argv;
  stderr;
  code;
  static {
    __name(this, "HostCommandError");
  }
};
function run(command, args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      { maxBuffer: 16 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error) {
          const code = error.code ?? null;
          reject(new HostCommandError([command, ...args], stderr || error.message, code));
        } else resolve(stdout);
      }
    );
    if (input !== void 0) child.stdin?.end(input);
  });
}
__name(run, "run");
async function tryRun(command, args) {
  try {
    await run(command, args);
    return void 0;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
__name(tryRun, "tryRun");

// sim/guests/disks.ts
function isExtImage(path5) {
  let fd;
  try {
    fd = openSync(path5, "r");
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 1080) === 2 && magic.readUInt16LE(0) === 61267;
  } catch {
    return false;
  } finally {
    if (fd !== void 0) closeSync(fd);
  }
}
__name(isExtImage, "isExtImage");
function isMounted(path5) {
  const escaped = path5.replace(/ /g, "\\040");
  return readFileSync("/proc/self/mountinfo", "utf8").split("\n").some((line) => line.split(" ")[4] === escaped);
}
__name(isMounted, "isMounted");
function mountsUnder(dir) {
  return readFileSync("/proc/self/mountinfo", "utf8").split("\n").map((line) => line.split(" ")[4] ?? "").filter((p) => p === dir || p.startsWith(`${dir}/`)).sort((a, b) => b.length - a.length);
}
__name(mountsUnder, "mountsUnder");
async function unmount(path5) {
  let failure;
  for (let i = 0; i < 5 && isMounted(path5); i++) {
    failure = await tryRun("umount", [path5]);
    if (failure) await new Promise((r) => setTimeout(r, 200));
  }
  if (isMounted(path5)) failure = await tryRun("umount", ["-l", path5]);
  return isMounted(path5) ? failure ?? `${path5} still mounted` : void 0;
}
__name(unmount, "unmount");
async function mountImage(instanceDir, image, record) {
  const key = createHash("sha256").update(image).digest("hex").slice(0, 16);
  const mountPoint = join(instanceDir, "images", key);
  if (isMounted(mountPoint)) return mountPoint;
  mkdirSync(mountPoint, { recursive: true });
  record(mountPoint);
  await run("mount", ["-o", "loop,ro,noload", image, mountPoint]);
  return mountPoint;
}
__name(mountImage, "mountImage");
async function mountOverlay(lower, vmDir, record) {
  const upper = join(vmDir, "disk", "upper");
  const work = join(vmDir, "disk", "work");
  const root = join(vmDir, "root");
  for (const dir of [upper, work, root]) mkdirSync(dir, { recursive: true });
  if (isMounted(root)) return root;
  record(root);
  await run("mount", [
    "-t",
    "overlay",
    "pve-sim-guest",
    "-o",
    `lowerdir=${lower},upperdir=${upper},workdir=${work}`,
    root
  ]);
  return root;
}
__name(mountOverlay, "mountOverlay");

// sim/guests/netns.ts
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
function netnsName(instanceId) {
  return `pvesim-${instanceId}`;
}
__name(netnsName, "netnsName");
function netnsPath(name) {
  return `/run/netns/${name}`;
}
__name(netnsPath, "netnsPath");
var LabNetwork = class _LabNetwork {
  constructor(name) {
    this.name = name;
  }
  name;
  static {
    __name(this, "LabNetwork");
  }
  bridges = /* @__PURE__ */ new Set();
  addresses = /* @__PURE__ */ new Set();
  static async create(name) {
    if (!existsSync(netnsPath(name))) await run("ip", ["netns", "add", name]);
    await run("ip", ["-n", name, "link", "set", "lo", "up"]);
    return new _LabNetwork(name);
  }
  /**
   * The bridge `vmbr0`, made once. Without VLAN filtering: this kernel refuses `vlan_filtering 1`
   * (RTNETLINK "Operation not supported"), so NIC `tag=`s are not applied — one L2 per bridge.
   */
  async bridge(bridge) {
    if (this.bridges.has(bridge)) return;
    if (!/^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/.test(bridge))
      throw new Error(`bridge name '${bridge}' is not a Linux interface name`);
    const exists = await tryRun("ip", ["-n", this.name, "link", "show", bridge]);
    if (exists !== void 0)
      await run("ip", ["-n", this.name, "link", "add", bridge, "type", "bridge"]);
    await run("ip", ["-n", this.name, "link", "set", bridge, "up"]);
    this.bridges.add(bridge);
  }
  /** The gateway a guest names (`gw=10.0.20.1` of `ip=10.0.20.11/24`) as `10.0.20.1/24` on its bridge. */
  async gateway(bridge, cidr) {
    const key = `${bridge} ${cidr}`;
    if (this.addresses.has(key)) return;
    await this.bridge(bridge);
    const shown = await run("ip", ["-n", this.name, "-o", "addr", "show", "dev", bridge]);
    if (!shown.includes(` ${cidr} `))
      await run("ip", ["-n", this.name, "addr", "add", cidr, "dev", bridge]);
    this.addresses.add(key);
  }
  /**
   * A veth pair for one guest NIC: `host` stays in the lab namespace on the bridge, `guest`
   * carries the NIC's MAC and is handed to nspawn.
   */
  async veth(host, guest, mac, bridge, tag) {
    await this.bridge(bridge);
    await tryRun("ip", ["-n", this.name, "link", "del", host]);
    await run("ip", [
      "-n",
      this.name,
      "link",
      "add",
      host,
      "type",
      "veth",
      "peer",
      "name",
      guest,
      "address",
      mac
    ]);
    await run("ip", ["-n", this.name, "link", "set", host, "master", bridge, "up"]);
    void tag;
  }
  /** Removes a guest's veth (its peer goes with it); gone already is fine. */
  async removeVeth(host) {
    await tryRun("ip", ["-n", this.name, "link", "del", host]);
  }
  /** Runs a program inside the namespace (ssh, kubectl, ansible-playbook, nspawn itself). */
  spawn(command, args, options = {}) {
    return spawn("ip", ["netns", "exec", this.name, command, ...args], options);
  }
  /** argv that runs `command` inside the namespace, for callers that spawn it themselves. */
  execArgv(command) {
    return ["ip", "netns", "exec", this.name, ...command];
  }
  async remove() {
    await removeNetns(this.name);
  }
};
var LAB_GUARD_ROUTE_PROTO = "210";
function networkOf(cidr) {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const bits = Number(m[5]);
  const address = m.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const mask = bits === 0 ? 0 : 4294967295 << 32 - bits >>> 0;
  const network = (address & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => network >>> s & 255).join(".")}/${bits}`;
}
__name(networkOf, "networkOf");
async function guardHostRoute(network) {
  if (await hostGuardFor(network) === "absent")
    await run("ip", ["-4", "route", "replace", "throw", network, "proto", LAB_GUARD_ROUTE_PROTO]);
}
__name(guardHostRoute, "guardHostRoute");
async function hostGuardFor(network) {
  const shown = (await run("ip", ["-4", "-o", "route", "show", "table", "main", "exact", network])).trim();
  if (shown && !/^throw /.test(shown))
    throw new Error(
      `guest network ${network} is routed by this host (${shown}): pick a range the host does not use`
    );
  return shown ? "guarded" : "absent";
}
__name(hostGuardFor, "hostGuardFor");
async function removeHostGuardRoute(network) {
  await tryRun("ip", ["-4", "route", "del", "throw", network, "proto", LAB_GUARD_ROUTE_PROTO]);
}
__name(removeHostGuardRoute, "removeHostGuardRoute");
async function removeNetns(name) {
  if (!existsSync(netnsPath(name))) return void 0;
  return tryRun("ip", ["netns", "del", name]);
}
__name(removeNetns, "removeNetns");

// sim/guests/reap.ts
import { existsSync as existsSync3, readdirSync as readdirSync2, rmSync } from "node:fs";
import { basename, join as join4 } from "node:path";

// sim/guests/cgroups.ts
import {
  existsSync as existsSync2,
  mkdirSync as mkdirSync2,
  readdirSync,
  readFileSync as readFileSync2,
  rmdirSync,
  writeFileSync
} from "node:fs";
import { join as join2 } from "node:path";
function ownHierarchies() {
  const mounts = readFileSync2("/proc/self/mountinfo", "utf8").split("\n").map((line) => {
    const [left = "", right = ""] = line.split(" - ");
    const fields = left.split(" ");
    const [fstype = "", , superOptions = ""] = right.split(" ");
    return { root: fields[3] ?? "", mountPoint: fields[4] ?? "", fstype, superOptions };
  }).filter((m) => m.fstype === "cgroup" || m.fstype === "cgroup2");
  const result = [];
  for (const line of readFileSync2("/proc/self/cgroup", "utf8").trim().split("\n")) {
    const [, controllers = "", path5 = "/"] = /^(?:\d+):([^:]*):(.*)$/.exec(line) ?? [];
    const mount = controllers === "" ? mounts.find((m) => m.fstype === "cgroup2") : mounts.find(
      (m) => m.fstype === "cgroup" && controllers.split(",").every((c) => m.superOptions.split(",").includes(c))
    );
    if (!mount) continue;
    const relative = mount.root !== "/" && path5.startsWith(mount.root) ? path5.slice(mount.root.length) : path5;
    result.push({ controllers, ownDir: join2(mount.mountPoint, relative) });
  }
  return result;
}
__name(ownHierarchies, "ownHierarchies");
function has(h, controller) {
  return h.controllers.split(",").includes(controller);
}
__name(has, "has");
function makeChild(h, parent, name) {
  const dir = join2(parent, name);
  if (!existsSync2(dir)) mkdirSync2(dir);
  if (has(h, "cpuset")) {
    for (const file of ["cpuset.cpus", "cpuset.mems"]) {
      const current = readFileSync2(join2(dir, file), "utf8").trim();
      if (current === "") writeFileSync(join2(dir, file), readFileSync2(join2(parent, file), "utf8"));
    }
  }
  return dir;
}
__name(makeChild, "makeChild");
function makeInstanceCgroups(hierarchies, instanceId) {
  return hierarchies.map((h) => makeChild(h, h.ownDir, `pve-sim-${instanceId}`));
}
__name(makeInstanceCgroups, "makeInstanceCgroups");
function makeGuestCgroups(hierarchies, instanceDirs, name, limits) {
  const result = { dirs: [], enforced: [], notEnforced: [] };
  hierarchies.forEach((h, i) => {
    const dir = makeChild(h, instanceDirs[i] ?? h.ownDir, name);
    result.dirs.push(dir);
    const apply = /* @__PURE__ */ __name((file, value) => {
      try {
        writeFileSync(join2(dir, file), value);
        result.enforced.push(`${file}=${value}`);
      } catch (error) {
        result.notEnforced.push(`${file}: ${error.message}`);
      }
    }, "apply");
    if (has(h, "memory")) apply("memory.limit_in_bytes", String(limits.memoryBytes));
    if (has(h, "cpu")) {
      const period = Number(readFileSync2(join2(dir, "cpu.cfs_period_us"), "utf8").trim()) || 1e5;
      apply("cpu.cfs_quota_us", String(Math.round(limits.cores * period)));
    }
  });
  return result;
}
__name(makeGuestCgroups, "makeGuestCgroups");
function removeCgroupTree(dir) {
  if (!existsSync2(dir)) return void 0;
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true }))
      if (entry.isDirectory()) {
        const failure = removeCgroupTree(join2(dir, entry.name));
        if (failure) return failure;
      }
    rmdirSync(dir);
    return void 0;
  } catch (error) {
    return `${dir}: ${error.message}`;
  }
}
__name(removeCgroupTree, "removeCgroupTree");
function pidsInTree(dir) {
  if (!existsSync2(dir)) return [];
  const pids = [];
  try {
    const procs = readFileSync2(join2(dir, "cgroup.procs"), "utf8").trim();
    if (procs) pids.push(...procs.split("\n").map(Number));
    for (const entry of readdirSync(dir, { withFileTypes: true }))
      if (entry.isDirectory()) pids.push(...pidsInTree(join2(dir, entry.name)));
  } catch {
  }
  return pids;
}
__name(pidsInTree, "pidsInTree");

// sim/guests/ledger.ts
import { readFileSync as readFileSync3, renameSync, writeFileSync as writeFileSync2 } from "node:fs";
import { join as join3 } from "node:path";
var LEDGER_KIND = "pve-sim-lab";
var LEDGER_FILE = "ledger.json";
function readLedger(instanceDir) {
  try {
    const parsed = JSON.parse(readFileSync3(join3(instanceDir, LEDGER_FILE), "utf8"));
    return parsed.kind === LEDGER_KIND ? parsed : void 0;
  } catch {
    return void 0;
  }
}
__name(readLedger, "readLedger");
function writeLedger(instanceDir, ledger) {
  const path5 = join3(instanceDir, LEDGER_FILE);
  writeFileSync2(`${path5}.tmp`, JSON.stringify(ledger, null, 2));
  renameSync(`${path5}.tmp`, path5);
}
__name(writeLedger, "writeLedger");

// sim/guests/reap.ts
async function killAll(cgroups) {
  for (let round = 0; round < 50; round++) {
    const pids = new Set(cgroups.flatMap(pidsInTree));
    if (pids.size === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
__name(killAll, "killAll");
async function removeInstance(instanceDir, ledger) {
  const problems = [];
  const ownCgroups = ledger.cgroups.filter((d) => basename(d) === `pve-sim-${ledger.instanceId}`);
  await killAll(ownCgroups);
  for (const mountPoint of mountsUnder(instanceDir)) {
    const failure = await unmount(mountPoint);
    if (failure) problems.push(failure);
  }
  for (const network of ledger.guardRoutes ?? []) await removeHostGuardRoute(network);
  if (ledger.netns === netnsName(ledger.instanceId)) {
    const failure = await removeNetns(ledger.netns);
    if (failure) problems.push(failure);
  }
  for (const dir of ownCgroups) {
    const failure = removeCgroupTree(dir);
    if (failure) problems.push(failure);
  }
  if (mountsUnder(instanceDir).length === 0) rmSync(instanceDir, { recursive: true, force: true });
  else problems.push(`${instanceDir}: mounts remain, directory kept`);
  return problems;
}
__name(removeInstance, "removeInstance");
async function reapLeftovers(stateRoot, log) {
  if (!existsSync3(stateRoot)) return;
  for (const entry of readdirSync2(stateRoot, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join4(stateRoot, entry.name);
    const ledger = readLedger(dir);
    if (!ledger || ledger.instanceId !== entry.name) continue;
    if (sameProcessAlive(ledger.owner.pid, ledger.owner.startTime)) continue;
    const problems = await removeInstance(dir, ledger);
    log(
      `pve-sim guests: reaped lab instance ${ledger.instanceId} (owner pid ${ledger.owner.pid} is gone)` + (problems.length ? `; left: ${problems.join("; ")}` : "")
    );
  }
}
__name(reapLeftovers, "reapLeftovers");

// cli/src/lab/host-guard.ts
import { execFile as execFile2 } from "node:child_process";
import { promisify } from "node:util";
var run2 = promisify(execFile2);
var LAB_ROUTE_PROTO = Number(LAB_GUARD_ROUTE_PROTO);
function labRanges(plan) {
  return [plan.network.cidr, plan.kubernetes.podCidr, plan.kubernetes.serviceCidr];
}
__name(labRanges, "labRanges");
async function hostRoutes() {
  const { stdout } = await run2("ip", ["-j", "-4", "route", "show", "table", "main"]);
  return JSON.parse(stdout || "[]");
}
__name(hostRoutes, "hostRoutes");
var isLabRoute = /* @__PURE__ */ __name((r) => r.type === "throw" && (r.protocol === LAB_ROUTE_PROTO || r.protocol === String(LAB_ROUTE_PROTO)), "isLabRoute");
async function guardHostRoutes(ranges) {
  const routes = await hostRoutes();
  for (const range2 of ranges) {
    const lab = parseCidr(range2);
    if (!lab) throw new Error(`not a CIDR: ${range2}`);
    const clash = routes.find((r) => {
      if (r.dst === "default" || isLabRoute(r)) return false;
      const host = parseCidr(r.dst.includes("/") ? r.dst : `${r.dst}/32`);
      return host !== void 0 && overlaps(host, lab);
    });
    if (clash)
      throw new ConfigurationError(
        `the lab's network ${range2} overlaps the host's route ${clash.dst}${clash.dev ? ` (dev ${clash.dev})` : ""}`,
        "the lab must not shadow a network this machine uses: change the lab profile's ranges in cli/src/lab/profile.ts"
      );
  }
  for (const range2 of ranges) await guardHostRoute(range2);
}
__name(guardHostRoutes, "guardHostRoutes");
async function removeHostGuard() {
  const ours = (await hostRoutes()).filter(isLabRoute);
  for (const route of ours)
    await run2("ip", ["route", "del", "throw", route.dst, "proto", String(LAB_ROUTE_PROTO)]);
  return ours.map((r) => r.dst);
}
__name(removeHostGuard, "removeHostGuard");

// cli/src/lab/lab-sim.ts
import { existsSync as existsSync4, readFileSync as readFileSync4 } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
var LAB_INSTANCE = "lab";
var LAB_NETNS = netnsName(LAB_INSTANCE);
function readLabDaemon(paths) {
  if (!existsSync4(paths.daemonFile)) return void 0;
  try {
    const record = JSON.parse(readFileSync4(paths.daemonFile, "utf8"));
    return processAlive(record.pid) && isLabSim(record.pid) ? record : void 0;
  } catch {
    return void 0;
  }
}
__name(readLabDaemon, "readLabDaemon");
function isLabSim(pid) {
  try {
    const argv = readFileSync4(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return argv.includes("--daemon") && argv.includes("--guests");
  } catch {
    return false;
  }
}
__name(isLabSim, "isLabSim");
function labSimArgs(paths) {
  return [
    "--guests",
    "--guests-state",
    paths.guestsDir,
    "--guests-instance",
    LAB_INSTANCE,
    "--stay"
  ];
}
__name(labSimArgs, "labSimArgs");
async function startOrReuseLabSim(paths, options) {
  const running = readLabDaemon(paths);
  if (running) return { sim: connectSimDaemon(running, running.pid), reused: true };
  await mkdir(paths.simDir, { recursive: true, mode: 448 });
  const sim = await startSimDaemon({
    statePath: paths.simState,
    port: 0,
    timeScale: options.timeScale,
    nodes: 3,
    logFile: paths.simLog,
    cliEntry: options.cliEntry,
    say: options.say,
    extraArgs: labSimArgs(paths)
  });
  const record = {
    url: sim.url,
    fingerprint: sim.fingerprint,
    certPem: sim.certPem,
    pid: sim.pid,
    netns: LAB_NETNS
  };
  await writeFile(paths.daemonFile, JSON.stringify(record, null, 2), { mode: 384 });
  return { sim, reused: false };
}
__name(startOrReuseLabSim, "startOrReuseLabSim");
async function stopLabSim(paths, timeoutMs = 12e4) {
  const running = readLabDaemon(paths);
  if (!running) return void 0;
  process.kill(running.pid, "SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (processAlive(running.pid) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 200));
  if (processAlive(running.pid)) process.kill(running.pid, "SIGKILL");
  await rm(paths.daemonFile, { force: true });
  return running.pid;
}
__name(stopLabSim, "stopLabSim");

// cli/src/lab/down.ts
async function labDown(paths, say) {
  const problems = [];
  const pid = await stopLabSim(paths);
  if (pid) say(`lab: stopped pve-sim (pid ${pid}); it powered its guests off`);
  await reapLeftovers(paths.guestsDir, say);
  const netnsLeft = await removeNetns(LAB_NETNS);
  if (netnsLeft) problems.push(netnsLeft);
  const routes = await removeHostGuard();
  if (routes.length) say(`lab: removed the host's guard routes ${routes.join(", ")}`);
  const mounts = mountsUnder(paths.root);
  if (mounts.length) problems.push(`still mounted, state kept: ${mounts.join(", ")}`);
  else if (existsSync5(paths.root)) {
    await rm2(paths.root, { recursive: true, force: true });
    say(`lab: removed ${paths.root}`);
  }
  if (problems.length) {
    say(`lab: could not remove everything:
  ${problems.join("\n  ")}`);
    return 1;
  }
  say("lab: down \u2014 no guests, mounts, veths, bridges, namespace or state left");
  return 0;
}
__name(labDown, "labDown");

// cli/src/lab/exec.ts
import { spawn as spawn2 } from "node:child_process";
import { existsSync as existsSync6 } from "node:fs";
function labExecEnv(paths, env) {
  return {
    ...env,
    PATH: `${paths.binDir}:${env.PATH ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}`,
    PVE_KUBE_LAB_SSH_CONFIG: paths.sshConfig,
    PVE_KUBE_LAB_SSH_KEY: paths.sshKey,
    ...existsSync6(paths.kubeconfig) ? { KUBECONFIG: paths.kubeconfig } : {}
  };
}
__name(labExecEnv, "labExecEnv");
async function labExec(command, paths, io) {
  if (command.length === 0)
    throw new ConfigurationError(
      "lab exec: no command given",
      "pve-kube lab exec -- ssh debian@10.0.20.11 hostname"
    );
  const lab = readLabDaemon(paths);
  if (!lab)
    throw new ConfigurationError(
      "the lab is not up (no running lab pve-sim)",
      "start it with `npm run lab`"
    );
  const child = spawn2("ip", ["netns", "exec", lab.netns, ...command], {
    cwd: io.cwd,
    stdio: "inherit",
    env: labExecEnv(paths, io.env)
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal === "SIGINT" ? 130 : 1)));
  });
}
__name(labExec, "labExec");

// cli/src/lab/paths.ts
import path from "node:path";
function labPaths(checkout) {
  const root = path.join(checkout, ".local-run", "lab");
  const simDir = path.join(root, "pve-sim");
  const sshDir = path.join(root, "ssh");
  return {
    root,
    clusterFile: path.join(root, "cluster.yaml"),
    simDir,
    simState: path.join(simDir, "state.json"),
    simLog: path.join(simDir, "pve-sim.log"),
    daemonFile: path.join(root, "pve-sim.json"),
    guestsDir: path.join(root, "guests"),
    apiSocket: path.join(root, "pve-sim.sock"),
    sshDir,
    sshKey: path.join(sshDir, "id_ed25519"),
    sshConfig: path.join(sshDir, "config"),
    knownHosts: path.join(sshDir, "known_hosts"),
    binDir: path.join(root, "bin"),
    kubeconfig: path.join(root, "kubeconfig"),
    clusterUid: path.join(root, "cluster-uid")
  };
}
__name(labPaths, "labPaths");

// cli/src/lab/api-bridge.ts
import { rmSync as rmSync2 } from "node:fs";
import net from "node:net";
function pipe(from, to) {
  from.pipe(to);
  to.pipe(from);
  const end = /* @__PURE__ */ __name(() => {
    from.destroy();
    to.destroy();
  }, "end");
  from.on("error", end);
  to.on("error", end);
  from.on("close", end);
  to.on("close", end);
}
__name(pipe, "pipe");
function listen(server, target) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(target, () => {
      server.off("error", reject);
      const address = server.address();
      resolve({
        port: typeof address === "object" && address ? address.port : 0,
        close: /* @__PURE__ */ __name(() => new Promise((done) => {
          server.close(() => done());
        }), "close")
      });
    });
  });
}
__name(listen, "listen");
async function relaySocketToTcp(socketPath, port) {
  rmSync2(socketPath, { force: true });
  const server = net.createServer(
    (client) => pipe(client, net.connect({ host: "127.0.0.1", port }))
  );
  const relay = await listen(server, { path: socketPath });
  return {
    port: 0,
    async close() {
      await relay.close();
      rmSync2(socketPath, { force: true });
    }
  };
}
__name(relaySocketToTcp, "relaySocketToTcp");
function relayTcpToSocket(port, socketPath) {
  const server = net.createServer((client) => pipe(client, net.connect({ path: socketPath })));
  return listen(server, { host: "127.0.0.1", port });
}
__name(relayTcpToSocket, "relayTcpToSocket");

// cli/src/lab/runner.ts
async function labRunner(args, io) {
  const dashes = args.indexOf("--");
  const own = dashes < 0 ? args : args.slice(0, dashes);
  const rest = dashes < 0 ? [] : args.slice(dashes + 1);
  const value = /* @__PURE__ */ __name((flag) => {
    const i = own.indexOf(flag);
    return i >= 0 ? own[i + 1] : void 0;
  }, "value");
  const socket = value("--socket");
  const port = Number(value("--port"));
  if (!socket || !Number.isInteger(port) || rest[0] !== "run")
    throw new Error("usage: pve-kube lab _runner --socket S --port N -- run <workflow> \u2026");
  const relay = await relayTcpToSocket(port, socket);
  try {
    const { runWorkflowCommand } = await import("../../dist/chunks/run-command-COCUYL2Z.mjs");
    return await runWorkflowCommand(rest.slice(1), io);
  } finally {
    await relay.close();
  }
}
__name(labRunner, "labRunner");

// cli/src/lab/up.ts
import { spawn as spawn3 } from "node:child_process";
import { createHash as createHash2 } from "node:crypto";
import { createReadStream, existsSync as existsSync10, statSync as statSync2 } from "node:fs";
import { mkdir as mkdir4, readFile as readFile3, writeFile as writeFile4 } from "node:fs/promises";
import path3 from "node:path";
import { pipeline } from "node:stream/promises";

// cli/src/lab/profile.ts
var import_yaml = __toESM(require_dist(), 1);
import { randomBytes } from "node:crypto";
import { existsSync as existsSync7 } from "node:fs";
import { mkdir as mkdir2, readFile, writeFile as writeFile2, rename } from "node:fs/promises";
import path2 from "node:path";
var LAB_BASE_EXAMPLE = "workflows-examples/clusters/ha/cluster.yaml";
async function labClusterUid(paths) {
  if (existsSync7(paths.clusterUid)) {
    const uid2 = (await readFile(paths.clusterUid, "utf8")).trim();
    if (/^[a-z0-9]{6,32}$/.test(uid2)) return uid2;
  }
  await mkdir2(paths.root, { recursive: true, mode: 448 });
  const uid = `lab${randomBytes(5).toString("hex")}`;
  await writeFile2(paths.clusterUid, `${uid}
`, { mode: 384 });
  return uid;
}
__name(labClusterUid, "labClusterUid");
var LAB_SIZES = {
  controlPlane: { cores: 2, memoryMiB: 2048, diskGiB: 16 },
  worker: { cores: 1, memoryMiB: 1024, diskGiB: 16 }
};
var LAB_CLUSTER = "lab";
function labOverrides(options) {
  return [
    [
      ["metadata", "name"],
      LAB_CLUSTER,
      "the lab's own cluster: its VMs never collide with npm start's"
    ],
    ...options.uid ? [
      [
        ["metadata", "uid"],
        options.uid,
        "this lab instance's identity (.local-run/lab/cluster-uid, new after --down): host keys pinned by an earlier lab are not this one's"
      ]
    ] : [],
    [["proxmox", "pool"], "k8s-lab", "the lab cluster's own resource pool"],
    [
      ["proxmox", "endpoint"],
      options.endpoint ?? "https://127.0.0.1:8006",
      "the lab's pve-sim (pve-kube lab passes its URL as the proxmox-url input)"
    ],
    [
      ["controlPlane", "endpoint", "provider"],
      "keepalived",
      "keepalived + HAProxy hold the VIP: kube-vip cannot be built here (its module is not served by the Go module proxy)"
    ],
    [["controlPlane", "cores"], LAB_SIZES.controlPlane.cores, "kubeadm's minimum"],
    [
      ["controlPlane", "memoryMiB"],
      LAB_SIZES.controlPlane.memoryMiB,
      "kubeadm's minimum; a lab control plane uses about 1.1 GB"
    ],
    [
      ["controlPlane", "diskGiB"],
      LAB_SIZES.controlPlane.diskGiB,
      "a copy-on-write layer over the lab image"
    ],
    [["workerPools", 0, "cores"], LAB_SIZES.worker.cores, "six guests share two host cores"],
    [["workerPools", 0, "memoryMiB"], LAB_SIZES.worker.memoryMiB, "an idle worker uses ~20 MB"],
    [
      ["workerPools", 0, "diskGiB"],
      LAB_SIZES.worker.diskGiB,
      "a copy-on-write layer over the lab image"
    ],
    [["ssh", "user"], "debian", "the lab image is Debian (cloud-init creates this user)"],
    [
      ["ssh", "publicKeys"],
      [options.sshPublicKey],
      "the lab's own key pair (private key in .local-run/lab/ssh/, passed as SSH_PRIVATE_KEY)"
    ]
  ].map(([p, v, why]) => [p, v, why]);
}
__name(labOverrides, "labOverrides");
function labProfileYaml(exampleText, options) {
  const doc = (0, import_yaml.parseDocument)(exampleText.replace(/^(#[^\n]*\n)+/, ""));
  for (const [fieldPath, value, why] of labOverrides(options)) {
    doc.setIn(fieldPath, doc.createNode(value));
    const target = doc.getIn(fieldPath, true);
    if (!target || typeof target !== "object") continue;
    if (Array.isArray(target.items)) target.commentBefore = ` lab: ${why}`;
    else target.comment = ` lab: ${why}`;
  }
  doc.commentBefore = [
    " yaml-language-server: $schema=../../schema/cluster.schema.json",
    "",
    " GENERATED by `pve-kube lab` from workflows-examples/clusters/ha/cluster.yaml \u2014 do not edit:",
    " every run writes it again. The lab's differences are commented `lab:` below; change them in",
    " cli/src/lab/profile.ts."
  ].join("\n");
  return doc.toString({ lineWidth: 0 });
}
__name(labProfileYaml, "labProfileYaml");
async function writeLabProfile(checkout, file, options) {
  const example = await readFile(path2.join(checkout, LAB_BASE_EXAMPLE), "utf8");
  const text = labProfileYaml(example, options);
  const loaded = parseClusterConfig(text, path2.relative(checkout, file), checkout);
  await writeFile2(`${file}.partial`, text, { mode: 384 });
  await rename(`${file}.partial`, file);
  return loaded;
}
__name(writeLabProfile, "writeLabProfile");

// cli/src/lab/prerequisites.ts
import { execFileSync } from "node:child_process";
import { existsSync as existsSync8, statSync } from "node:fs";
function onPath(program) {
  try {
    execFileSync("sh", ["-c", 'command -v "$1"', "sh", program], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
__name(onPath, "onPath");
function checkLabPrerequisites(env) {
  const problems = [];
  if (process.getuid?.() !== 0)
    problems.push(
      new ConfigurationError(
        "the lab needs root: it makes a network namespace, bridges, mounts and cgroups",
        "run it as root (sudo npm run lab)"
      )
    );
  for (const [program, pkg] of [
    ["ip", "iproute2"],
    ["systemd-nspawn", "systemd-container"],
    ["ssh-keygen", "openssh-client"],
    ["ssh", "openssh-client"]
  ]) {
    if (!onPath(program))
      problems.push(
        new ConfigurationError(
          `${program} is not installed`,
          `install the Debian package ${pkg} (apt-get install -y ${pkg})`
        )
      );
  }
  const image = env.PVE_KUBE_LAB_IMAGE;
  if (!image)
    problems.push(
      new ConfigurationError(
        "PVE_KUBE_LAB_IMAGE is not set: the lab boots its guests from the lab image",
        "run `npm run lab` (scripts/lab.sh builds the image with test/tools and sets it), or export PVE_KUBE_LAB_IMAGE=<path of the image>"
      )
    );
  else if (!existsSync8(image) || !statSync(image).isFile())
    problems.push(
      new ConfigurationError(
        `PVE_KUBE_LAB_IMAGE=${image}: no such file`,
        "build it with `bash test/tools/install.sh` (docs/lab-image.md), or point PVE_KUBE_LAB_IMAGE at the image"
      )
    );
  if (problems.length === 1 && problems[0]) throw problems[0];
  if (problems.length > 1) throw new ConfigurationErrors(problems);
  return image ?? "";
}
__name(checkLabPrerequisites, "checkLabPrerequisites");

// cli/src/lab/ssh.ts
import { execFile as execFile3 } from "node:child_process";
import { existsSync as existsSync9 } from "node:fs";
import { chmod, mkdir as mkdir3, readFile as readFile2, rm as rm3, writeFile as writeFile3 } from "node:fs/promises";
import { promisify as promisify2 } from "node:util";
var run3 = promisify2(execFile3);
async function ensureLabKeyPair(paths) {
  await mkdir3(paths.sshDir, { recursive: true, mode: 448 });
  if (!existsSync9(paths.sshKey) || !existsSync9(`${paths.sshKey}.pub`)) {
    await rm3(paths.sshKey, { force: true });
    await rm3(`${paths.sshKey}.pub`, { force: true });
    await run3("ssh-keygen", [
      "-q",
      "-t",
      "ed25519",
      "-N",
      "",
      "-C",
      "pve-kube-lab",
      "-f",
      paths.sshKey
    ]);
  }
  await chmod(paths.sshKey, 384);
  return {
    publicKey: (await readFile2(`${paths.sshKey}.pub`, "utf8")).trim(),
    privateKey: await readFile2(paths.sshKey, "utf8")
  };
}
__name(ensureLabKeyPair, "ensureLabKeyPair");
function labSshConfig(paths, user) {
  return [
    "# generated by pve-kube lab: ssh into the lab's guests (inside the lab network namespace)",
    "Host *",
    `  User ${user}`,
    `  IdentityFile ${paths.sshKey}`,
    "  IdentitiesOnly yes",
    "  IdentityAgent none",
    `  UserKnownHostsFile ${paths.knownHosts}`,
    // lab guests are rebuilt with new host keys; they are recorded on first sight, per lab
    "  StrictHostKeyChecking accept-new",
    "  ConnectTimeout 10",
    ""
  ].join("\n");
}
__name(labSshConfig, "labSshConfig");
async function writeLabSshFiles(paths, user) {
  await mkdir3(paths.binDir, { recursive: true, mode: 448 });
  await writeFile3(paths.sshConfig, labSshConfig(paths, user), { mode: 384 });
  await writeFile3(paths.knownHosts, "", { mode: 384 });
  for (const tool of ["ssh", "scp"]) {
    await writeFile3(
      `${paths.binDir}/${tool}`,
      `#!/bin/sh
# generated by pve-kube lab
exec /usr/bin/${tool} -F '${paths.sshConfig}' "$@"
`,
      { mode: 493 }
    );
  }
}
__name(writeLabSshFiles, "writeLabSshFiles");

// cli/src/lab/up.ts
var LAB_API_PORT = 8006;
async function imageSha256(image, paths) {
  const sidecar = `${image}.sha256`;
  if (existsSync10(sidecar)) {
    const sha2 = (await readFile3(sidecar, "utf8")).trim().split(/\s+/)[0] ?? "";
    if (/^[0-9a-f]{64}$/.test(sha2)) return sha2;
  }
  const info = statSync2(image);
  const key = `${image} ${info.size} ${info.mtimeMs}`;
  const memo = path3.join(paths.root, "image.sha256");
  if (existsSync10(memo)) {
    const [sha2, ...rest] = (await readFile3(memo, "utf8")).trim().split(" ");
    if (rest.join(" ") === key && sha2) return sha2;
  }
  const hash = createHash2("sha256");
  await pipeline(createReadStream(image), hash);
  const sha = hash.digest("hex");
  await writeFile4(memo, `${sha} ${key}
`, { mode: 384 });
  return sha;
}
__name(imageSha256, "imageSha256");
async function labUp(options) {
  const { paths, io, checkout } = options;
  const say = /* @__PURE__ */ __name((line) => io.stdout.write(`${line}
`), "say");
  const image = checkLabPrerequisites(io.env);
  await mkdir4(paths.root, { recursive: true, mode: 448 });
  const keys = await ensureLabKeyPair(paths);
  const loaded = await writeLabProfile(checkout, paths.clusterFile, {
    sshPublicKey: keys.publicKey,
    uid: await labClusterUid(paths)
  });
  await writeLabSshFiles(paths, loaded.plan.ssh.user);
  await guardHostRoutes(labRanges(loaded.plan));
  const sha256 = await imageSha256(image, paths);
  say(`lab: image ${image} (sha256 ${sha256.slice(0, 16)}\u2026)`);
  const { sim, reused } = await startOrReuseLabSim(paths, {
    cliEntry: options.cliEntry,
    timeScale: options.timeScale,
    say
  });
  say(
    `lab: pve-sim with guests ${reused ? "already running" : "started"} (pid ${sim.pid}, ${sim.url} on the host, https://127.0.0.1:${LAB_API_PORT} in the lab namespace) \xB7 state ${path3.relative(checkout, paths.root)}/`
  );
  const relay = await relaySocketToTcp(paths.apiSocket, Number(new URL(sim.url).port));
  try {
    const prepared = await prepareSimForDeploy(sim, loaded.plan);
    const startIndex = (await sim.requestLog()).length;
    const clusterInput = path3.relative(checkout, paths.clusterFile);
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
      ...io.env.TF_CLI_CONFIG_FILE ? [
        "--input",
        `tofu-provider-mirror=${path3.join(path3.dirname(io.env.TF_CLI_CONFIG_FILE), "tofu-mirror")}`
      ] : [],
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
      ...options.runArgs
    ];
    const code = await runInLab(options, runArgs, {
      PROXMOX_TOKEN_ID: prepared.write.id,
      PROXMOX_TOKEN_SECRET: prepared.write.secret,
      PROXMOX_READONLY_TOKEN_ID: prepared.readOnly.id,
      PROXMOX_READONLY_TOKEN_SECRET: prepared.readOnly.secret,
      STATE_KEY: prepared.stateKey,
      SSH_PRIVATE_KEY: keys.privateKey,
      XDG_STATE_HOME: path3.join(paths.simDir, "xdg-state")
    });
    const changes = (await sim.requestLog()).slice(startIndex).filter((r) => r.mutating);
    say(
      changes.length === 0 ? "lab: no changes \u2014 0 mutating Proxmox API calls in this run" : `lab: ${changes.length} mutating Proxmox API calls in this run`
    );
    const byKind = /* @__PURE__ */ new Map();
    for (const r of changes)
      byKind.set(
        requestKind(r.method, r.path),
        (byKind.get(requestKind(r.method, r.path)) ?? 0) + 1
      );
    for (const [kind, n] of [...byKind].sort((a, b) => b[1] - a[1]))
      say(`  ${String(n).padStart(4)} \xD7 ${kind}`);
    if (code === 0) say(howToReach(loaded.plan.vms, loaded.plan.ssh.user, paths, checkout));
    else
      say(
        `lab: the deploy failed (exit ${code}); the lab stays as it is \u2014 run again, or \`npm run lab -- --down\``
      );
    return code;
  } finally {
    await relay.close();
    sim.detach();
  }
}
__name(labUp, "labUp");
function runInLab(options, runArgs, env) {
  const { paths, io } = options;
  const child = spawn3(
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
      ...runArgs
    ],
    { cwd: options.checkout, stdio: ["ignore", "inherit", "inherit"], env: { ...io.env, ...env } }
  );
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
__name(runInLab, "runInLab");
function howToReach(vms, user, paths, checkout) {
  const first = vms[0];
  return [
    `lab: cluster ${LAB_CLUSTER} is up \u2014 ${vms.length} machines, reachable only inside the lab's network namespace:`,
    ...vms.map((vm) => `  ${vm.name.padEnd(16)} ${vm.ip}`),
    "",
    "reach them with `pve-kube lab exec -- <command>` (ssh there uses the lab's key and known_hosts):",
    `  npx pve-kube lab exec -- ssh ${user}@${first?.ip ?? "<address>"} hostname`,
    `  npx pve-kube lab exec -- bash      # a shell inside the lab network`,
    `state: ${path3.relative(checkout, paths.root)}/ \xB7 remove everything: npm run lab -- --down`
  ].join("\n");
}
__name(howToReach, "howToReach");

// cli/src/commands/lab.ts
var USAGE_LINE = "usage: pve-kube lab [--down] [--sim-time-scale F] [-- <pve-kube run options>] | pve-kube lab exec -- <command>\u2026";
var USAGE = [
  USAGE_LINE,
  "",
  "The lab: pve-sim with guests \u2014 every VM that starts is a real Debian machine (systemd-nspawn) in",
  "the lab's own network namespace \u2014 and the lab cluster (the ha example, sized for one machine)",
  "deployed on it by the real .github/workflows/deploy.yml through the local runner. Needs root.",
  "",
  "  (no option)       deploy, or find nothing to do; the cluster stays up. State in .local-run/lab/",
  "  --down            remove everything the lab made: guests, mounts, veths, bridges, the",
  "                    namespace, the host's guard routes, the state (also after a killed run)",
  "  --sim-time-scale F  pve-sim task durations when it starts: 1 = realistic (default 0.25)",
  "  exec -- CMD\u2026      run CMD inside the lab's network namespace, with the lab's ssh key and",
  "                    known_hosts (ssh on PATH uses them) and KUBECONFIG once the cluster has one",
  "",
  "npm run lab (scripts/lab.sh) builds or reuses the tools and the lab image, then runs this."
].join("\n");
function checkoutOf(io) {
  return io.cwd;
}
__name(checkoutOf, "checkoutOf");
async function runLab(args, io) {
  const checkout = checkoutOf(io);
  const paths = labPaths(checkout);
  if (args[0] === "_runner") return labRunner(args.slice(1), io);
  if (args[0] === "exec") {
    const rest = args.slice(1);
    return labExec(rest[0] === "--" ? rest.slice(1) : rest, paths, io);
  }
  const dashes = args.indexOf("--");
  const own = dashes < 0 ? args : args.slice(0, dashes);
  let values;
  try {
    ({ values } = parseArgs({
      args: own,
      options: { down: { type: "boolean" }, "sim-time-scale": { type: "string" } }
    }));
  } catch (error) {
    throw new ConfigurationError(error.message, USAGE_LINE);
  }
  const say = /* @__PURE__ */ __name((line) => io.stdout.write(`${line}
`), "say");
  if (values.down) return labDown(paths, say);
  const timeScale = Number(values["sim-time-scale"] ?? 0.25);
  if (!Number.isFinite(timeScale) || timeScale < 0)
    throw new ConfigurationError(
      `--sim-time-scale must be a number \u2265 0, got '${values["sim-time-scale"]}'`,
      USAGE_LINE
    );
  return labUp({
    checkout,
    paths,
    cliEntry: path4.resolve(process.argv[1] ?? ""),
    timeScale,
    runArgs: dashes < 0 ? [] : args.slice(dashes + 1),
    io
  });
}
__name(runLab, "runLab");
var labCommand = {
  name: "lab",
  summary: "deploy the lab cluster on pve-sim with real guests (--down removes it; exec runs inside it)",
  usage: USAGE,
  run: runLab
};

// cli/src/commands/plan.ts
var FORMAT_FLAGS = {
  "--markdown": "markdown",
  "--json": "json",
  "--text": "text"
};
var USAGE2 = "usage: pve-kube plan <cluster.yaml> [--markdown | --json]";
function parsePlanArgs(args) {
  const files = [];
  const formats = /* @__PURE__ */ new Set();
  for (const arg of args) {
    const format = FORMAT_FLAGS[arg];
    if (format) formats.add(format);
    else if (arg.startsWith("-")) throw new ConfigurationError(`unknown option '${arg}'`, USAGE2);
    else files.push(arg);
  }
  if (files.length !== 1)
    throw new ConfigurationError(
      files.length === 0 ? "no file given" : `one file at a time, got ${files.length}`,
      USAGE2
    );
  if (formats.size > 1)
    throw new ConfigurationError(
      `choose one output format, got ${[...formats].map((f) => `--${f}`).join(" and ")}`,
      USAGE2
    );
  return { file: files[0] ?? "", format: [...formats][0] ?? "text" };
}
__name(parsePlanArgs, "parsePlanArgs");
var planCommand = {
  name: "plan",
  summary: "show what a cluster.yaml describes: every VM, node, VMID, IP, size, network and add-on",
  usage: [
    USAGE2,
    "",
    "Validates the file like `pve-kube validate`, then prints the resolved plan: every VM with",
    "role, Proxmox node, VMID, static IP and size; pools; load per Proxmox node; the API VIP, the",
    "LoadBalancer range and the node/pod/service networks; Kubernetes, Cilium and the add-ons with",
    "their pinned versions; the Proxmox connection and the template. Nothing is contacted.",
    "",
    "  --markdown  a Markdown document with tables and a mermaid topology diagram",
    "  --json      the plan object the actions use (ClusterPlan), as JSON",
    "",
    "Exit code 0 when the file is valid, 1 with every problem as `file:line:col: field: what \u2014 fix`."
  ].join("\n"),
  async run(args, io) {
    const { file, format } = parsePlanArgs(args);
    const { plan } = await loadClusterConfig(file, { cwd: io.cwd });
    const output = format === "markdown" ? renderPlanMarkdown(plan) : format === "json" ? `${JSON.stringify(plan, null, 2)}
` : renderPlanText(plan);
    io.stdout.write(output);
    return 0;
  }
};

// cli/src/commands/schema.ts
var schemaCommand = {
  name: "schema",
  summary: "print the JSON Schema of cluster.yaml",
  usage: [
    "usage: pve-kube schema",
    "",
    "Prints the JSON Schema (draft 2020-12) generated from the same zod schema the actions use.",
    "The repository keeps a copy at schema/cluster.schema.json for editors (yaml-language-server)."
  ].join("\n"),
  run(_args, io) {
    io.stdout.write(clusterJsonSchemaText());
    return Promise.resolve(0);
  }
};

// cli/src/commands/sim.ts
import { rmSync as rmSync8, writeFileSync as writeFileSync6 } from "node:fs";
import { parseArgs as parseArgs2 } from "node:util";

// sim/index.ts
import { randomUUID as randomUUID4 } from "node:crypto";
import { readFileSync as readFileSync7, writeFileSync as writeFileSync5, existsSync as existsSync13, renameSync as renameSync3, rmSync as rmSync7 } from "node:fs";
import http from "node:http";
import https from "node:https";
import { join as join10 } from "node:path";

// sim/access/auth.ts
import { createHmac, randomBytes as randomBytes2, timingSafeEqual } from "node:crypto";

// sim/http/pve-error.ts
var PveError = class extends Error {
  constructor(status, message, errors, emptyBody = false) {
    super(message);
    this.status = status;
    this.errors = errors;
    this.emptyBody = emptyBody;
  }
  status;
  errors;
  emptyBody;
  static {
    __name(this, "PveError");
  }
};
function paramError(errors) {
  return new PveError(400, "Parameter verification failed.", errors);
}
__name(paramError, "paramError");
function die(message) {
  return new PveError(500, message);
}
__name(die, "die");

// sim/access/auth.ts
var TICKET_LIFETIME_S = 2 * 3600;
var TicketAuthority = class {
  static {
    __name(this, "TicketAuthority");
  }
  key = randomBytes2(32);
  issue(userid2, now = Date.now()) {
    const time = Math.floor(now / 1e3).toString(16).toUpperCase().padStart(8, "0");
    const plain = `PVE:${userid2}:${time}`;
    const ticket = `${plain}::${this.sign(plain)}`;
    const csrf = `${time}:${this.sign(`csrf:${userid2}:${time}`)}`;
    return { ticket, csrf };
  }
  verify(ticket, now = Date.now()) {
    const m = /^(PVE:([^:]+):([0-9A-F]{8}))::(.+)$/.exec(ticket);
    if (!m?.[1] || !m[2] || !m[3] || !m[4]) return void 0;
    if (!safeEqual(this.sign(m[1]), m[4])) return void 0;
    const age = Math.floor(now / 1e3) - parseInt(m[3], 16);
    return age >= -300 && age <= TICKET_LIFETIME_S ? m[2] : void 0;
  }
  verifyCsrf(userid2, token) {
    const m = /^([0-9A-F]{8}):(.+)$/.exec(token ?? "");
    return !!m?.[1] && !!m[2] && safeEqual(this.sign(`csrf:${userid2}:${m[1]}`), m[2]);
  }
  sign(text) {
    return createHmac("sha256", this.key).update(text).digest("base64");
  }
};
function safeEqual(a, b) {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
__name(safeEqual, "safeEqual");
var AUTH_FAILED = /* @__PURE__ */ __name(() => new PveError(401, "Authentication failed!"), "AUTH_FAILED");
function authenticate(state, tickets, headers, method) {
  const authorization = headers.authorization ?? "";
  const tokenMatch = /^PVEAPIToken[= ](.+)$/.exec(authorization);
  if (tokenMatch?.[1]) {
    const value = decodeURIComponent(tokenMatch[1]);
    const split = value.lastIndexOf("=");
    const tokenid2 = value.slice(0, split);
    const secret = value.slice(split + 1);
    const idMatch = /^([^@!\s]+@[^@!\s]+)!([A-Za-z][A-Za-z0-9._-]*)$/.exec(tokenid2);
    if (split < 0 || !idMatch?.[1] || !idMatch[2]) throw AUTH_FAILED();
    const user = state.users.find((u) => u.userid === idMatch[1]);
    const token = user?.tokens[idMatch[2]];
    if (!user?.enable || !token || !safeEqual(token.secret, secret)) throw AUTH_FAILED();
    return { userid: user.userid, tokenid: tokenid2 };
  }
  const cookie = /(?:^|;\s*)PVEAuthCookie=([^;]+)/.exec(headers.cookie ?? "")?.[1] ?? /^PVEAuthCookie=(.+)$/.exec(authorization)?.[1];
  if (cookie) {
    const userid2 = tickets.verify(decodeURIComponent(cookie));
    if (!userid2) throw AUTH_FAILED();
    if (method !== "GET" && !tickets.verifyCsrf(userid2, headers.csrfpreventiontoken)) {
      throw new PveError(401, "Permission denied - invalid csrf token");
    }
    return { userid: userid2 };
  }
  throw new PveError(401, "No ticket", void 0, true);
}
__name(authenticate, "authenticate");

// sim/admin.ts
import { randomUUID } from "node:crypto";
var SimAdmin = class {
  constructor(core, fresh) {
    this.core = core;
    this.fresh = fresh;
  }
  core;
  fresh;
  static {
    __name(this, "SimAdmin");
  }
  requestLog() {
    return [...this.core.requests];
  }
  clearRequestLog() {
    this.core.requests.length = 0;
  }
  /** Requests that changed something (anything but GET), optionally since an index. */
  mutatingRequests(since = 0) {
    return this.core.requests.slice(since).filter((r) => r.mutating);
  }
  /** How many tasks are still running (without copying the state, unlike snapshot()). */
  runningTaskCount() {
    return this.core.state.tasks.filter((task) => task.status === "running").length;
  }
  snapshot() {
    return structuredClone(this.core.state);
  }
  timeline() {
    return this.core.timeline();
  }
  /** Every storage-lock grant and timeout so far (sim/model/storage-lock.ts), oldest first. */
  storageLockHistory() {
    return [...this.core.storageLocks.history];
  }
  reset() {
    this.core.state = this.fresh();
    this.core.requests.length = 0;
    this.core.scriptedFaults.length = 0;
  }
  setFaults(faults) {
    this.core.faults = faults;
  }
  /**
   * The next `method` request whose path under /api2/json matches `path` fails with `status`
   * before it is carried out (like the seeded 500/596 faults), once.
   */
  failOnce(method, path5, status = 500) {
    this.core.scriptedFaults.push({ method, path: path5, status });
  }
  setTimeScale(scale) {
    this.core.timeScale = scale;
  }
  /** The user with this id, created (enabled, no tokens) when it does not exist yet. */
  userNamed(userid2) {
    let user = this.core.state.users.find((x) => x.userid === userid2);
    if (!user) {
      user = { userid: userid2, enable: true, tokens: {} };
      this.core.state.users.push(user);
    }
    return user;
  }
  /** Creates a user (if needed) and a privilege-separated token holding `role` on `path`. */
  createToken(user, tokenName, role, path5 = "/") {
    const state = this.core.state;
    const u = this.userNamed(user);
    const roleid = Array.isArray(role) ? `custom-${tokenName}` : role;
    if (Array.isArray(role)) state.roles[roleid] = role;
    const secret = randomUUID();
    u.tokens[tokenName] = { secret, privsep: true };
    const tokenFull = `${user}!${tokenName}`;
    state.acls.push({ path: path5, ugid: user, type: "user", roleid, propagate: true });
    state.acls.push({ path: path5, ugid: tokenFull, type: "token", roleid, propagate: true });
    return { id: tokenFull, secret };
  }
  /**
   * Grants a role (or a custom role made of `privileges`) to an existing user and its
   * privilege-separated token on one more path, as `pveum acl modify <path> --users … --tokens …`.
   */
  grant(tokenId, path5, role) {
    const [user] = tokenId.split("!");
    const roleid = Array.isArray(role) ? `custom-${tokenId.replace(/\W/g, "-")}-${path5}` : role;
    if (Array.isArray(role)) this.core.state.roles[roleid] = role;
    for (const [ugid, type] of [
      [user ?? "", "user"],
      [tokenId, "token"]
    ])
      this.core.state.acls.push({ path: path5, ugid, type, roleid, propagate: true });
  }
  /** Defines a role as exactly these privileges, as `pveum role add` (or `role modify`) does. */
  ensureRole(roleid, privileges) {
    this.core.state.roles[roleid] = [...new Set(privileges)].sort();
  }
  /**
   * The user (created if missing) and its privilege-separated token (created if missing; an
   * existing token keeps its secret) hold `role` on exactly `paths` — as `pveum acl modify <path>
   * --users … --tokens …` for each — and nothing else: every other ACL entry of the user or the
   * token is removed (an earlier set-up's grant on `/` included). Idempotent.
   */
  ensureToken(user, tokenName, role, paths) {
    const state = this.core.state;
    if (!state.roles[role]) throw new Error(`role '${role}' does not exist`);
    const tokenId = `${user}!${tokenName}`;
    const token = this.userNamed(user).tokens[tokenName] ??= {
      secret: randomUUID(),
      privsep: true
    };
    token.privsep = true;
    state.acls = state.acls.filter(
      (a) => !(a.type === "user" && a.ugid === user || a.type === "token" && a.ugid === tokenId)
    );
    for (const path5 of [...new Set(paths)].sort()) this.grant(tokenId, path5, role);
    return { id: tokenId, secret: token.secret };
  }
  /** Creates a resource pool, as `pveum pool add <poolid>` does on a host (idempotent). */
  ensurePool(poolid2, comment) {
    if (this.core.state.pools.some((p) => p.poolid === poolid2)) return;
    this.core.state.pools.push({
      poolid: poolid2,
      vmids: [],
      storages: [],
      ...comment ? { comment } : {}
    });
  }
  /** Makes a remote file downloadable by download-url / query-url-metadata (no real network). */
  registerRemoteFile(url, file) {
    this.core.state.remoteFiles[url] = { mimetype: "application/octet-stream", ...file };
  }
  /** Out-of-band change, as if someone edited the VM by hand (drift). */
  mutateVm(vmid2, changes) {
    const vm = this.core.findVm(vmid2);
    if (!vm) throw new Error(`no VM ${vmid2}`);
    if (changes.status) vm.status = changes.status;
    if (changes.node) vm.node = changes.node;
    for (const [k, v] of Object.entries(changes.config ?? {})) {
      if (v === null) delete vm.config[k];
      else vm.config[k] = v;
    }
  }
  deleteVmOutOfBand(vmid2) {
    this.core.state.vms = this.core.state.vms.filter((v) => v.vmid !== vmid2);
    this.core.state.volumes = this.core.state.volumes.filter((v) => v.vmid !== vmid2);
  }
  /** HTTP form of the admin surface; returns false for paths it does not own. */
  handleHttp(req, res, path5, body) {
    return Promise.resolve(this.handleAdminRoute(req, res, path5, body));
  }
  handleAdminRoute(req, res, path5, body) {
    if (!path5.startsWith("/_sim/")) return false;
    const send = /* @__PURE__ */ __name((status, data) => {
      const text = JSON.stringify(data);
      res.writeHead(status, {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(text)
      });
      res.end(text);
    }, "send");
    const input = body.length ? JSON.parse(body.toString("utf8")) : {};
    const route = `${req.method ?? "GET"} ${path5}`;
    const strings = /* @__PURE__ */ __name((value, name) => {
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
        throw new Error(`${name} must be a list of strings`);
      return value;
    }, "strings");
    try {
      switch (route) {
        case "GET /_sim/requests":
          return send(200, this.requestLog()), true;
        case "DELETE /_sim/requests":
          return this.clearRequestLog(), send(200, null), true;
        case "GET /_sim/state":
          return send(200, this.snapshot()), true;
        case "GET /_sim/running-tasks":
          return send(200, this.runningTaskCount()), true;
        case "GET /_sim/guests":
          return send(200, this.core.guests?.describe() ?? null), true;
        case "GET /_sim/timeline":
          return send(200, this.timeline()), true;
        case "POST /_sim/reset":
          return this.reset(), send(200, null), true;
        case "PUT /_sim/faults":
          return this.setFaults(input), send(200, null), true;
        case "POST /_sim/pools":
          return this.ensurePool(
            String(input.poolid),
            typeof input.comment === "string" ? input.comment : void 0
          ), send(200, null), true;
        case "POST /_sim/tokens":
          return send(
            200,
            this.createToken(
              String(input.user),
              String(input.token),
              input.role,
              input.path ?? "/"
            )
          ), true;
        case "PUT /_sim/roles":
          return this.ensureRole(String(input.roleid), strings(input.privileges, "privileges")), send(200, null), true;
        case "PUT /_sim/tokens":
          return send(
            200,
            this.ensureToken(
              String(input.user),
              String(input.token),
              String(input.role),
              strings(input.paths, "paths")
            )
          ), true;
        case "POST /_sim/remote-files":
          return this.registerRemoteFile(String(input.url), input), send(200, null), true;
        default: {
          const m = /^PATCH \/_sim\/vms\/(\d+)$/.exec(route);
          if (m) return this.mutateVm(Number(m[1]), input), send(200, null), true;
          send(404, { error: `no admin route ${route}` });
          return true;
        }
      }
    } catch (error) {
      send(400, { error: error instanceof Error ? error.message : String(error) });
      return true;
    }
  }
};

// sim/model/roles.ts
var VM_ALL = [
  "VM.Allocate",
  "VM.Audit",
  "VM.Backup",
  "VM.Clone",
  "VM.Config.CDROM",
  "VM.Config.CPU",
  "VM.Config.Cloudinit",
  "VM.Config.Disk",
  "VM.Config.HWType",
  "VM.Config.Memory",
  "VM.Config.Network",
  "VM.Config.Options",
  "VM.Console",
  "VM.GuestAgent.Audit",
  "VM.GuestAgent.FileRead",
  "VM.GuestAgent.FileSystemMgmt",
  "VM.GuestAgent.FileWrite",
  "VM.GuestAgent.Unrestricted",
  "VM.Migrate",
  "VM.PowerMgmt",
  "VM.Replicate",
  "VM.Snapshot",
  "VM.Snapshot.Rollback"
];
var DATASTORE_ALL = [
  "Datastore.Allocate",
  "Datastore.AllocateSpace",
  "Datastore.AllocateTemplate",
  "Datastore.Audit"
];
var SYS_ALL = [
  "Sys.AccessNetwork",
  "Sys.Audit",
  "Sys.Console",
  "Sys.Incoming",
  "Sys.Modify",
  "Sys.PowerMgmt",
  "Sys.Syslog"
];
var OTHERS = [
  "Group.Allocate",
  "Mapping.Audit",
  "Mapping.Modify",
  "Mapping.Use",
  "Permissions.Modify",
  "Pool.Allocate",
  "Pool.Audit",
  "Realm.Allocate",
  "Realm.AllocateUser",
  "SDN.Allocate",
  "SDN.Audit",
  "SDN.Use",
  "User.Modify"
];
var ALL_PRIVILEGES = [...VM_ALL, ...DATASTORE_ALL, ...SYS_ALL, ...OTHERS].sort();
var BUILTIN_ROLES = {
  Administrator: ALL_PRIVILEGES,
  NoAccess: [],
  PVEAdmin: ALL_PRIVILEGES.filter((p) => p !== "Permissions.Modify" && p !== "Realm.Allocate"),
  PVEAuditor: [
    "Datastore.Audit",
    "Mapping.Audit",
    "Pool.Audit",
    "SDN.Audit",
    "Sys.Audit",
    "VM.Audit",
    "VM.GuestAgent.Audit"
  ],
  PVEDatastoreAdmin: DATASTORE_ALL,
  PVEDatastoreUser: ["Datastore.AllocateSpace", "Datastore.Audit"],
  PVEPoolAdmin: ["Pool.Allocate", "Pool.Audit"],
  PVEPoolUser: ["Pool.Audit"],
  PVESDNAdmin: ["SDN.Allocate", "SDN.Audit"],
  PVESDNUser: ["SDN.Audit", "SDN.Use"],
  PVESysAdmin: [
    "Sys.Audit",
    "Sys.Console",
    "Sys.Syslog",
    "Sys.AccessNetwork",
    "Sys.Modify",
    "Sys.PowerMgmt",
    "Permissions.Modify"
  ],
  PVETemplateUser: ["VM.Audit", "VM.Clone"],
  PVEUserAdmin: ["Group.Allocate", "Realm.AllocateUser", "User.Modify"],
  PVEVMAdmin: VM_ALL,
  PVEVMUser: [
    "VM.Audit",
    "VM.Backup",
    "VM.Config.CDROM",
    "VM.Config.Cloudinit",
    "VM.Console",
    "VM.GuestAgent.Audit",
    "VM.PowerMgmt"
  ]
};

// sim/access/privileges.ts
function pathChain(path5) {
  const parts = path5.split("/").filter(Boolean);
  return Array.from({ length: parts.length + 1 }, (_, i) => `/${parts.slice(0, i).join("/")}`);
}
__name(pathChain, "pathChain");
function applicable(entries, final) {
  const roles = /* @__PURE__ */ new Map();
  for (const e of entries) if (final || e.propagate) roles.set(e.roleid, e.propagate);
  return roles.size > 0 ? roles : void 0;
}
__name(applicable, "applicable");
function rolesOn(state, subject, isToken, path5) {
  const groups = isToken ? [] : state.groups.filter((g) => g.members.includes(subject)).map((g) => g.groupid);
  const chain = pathChain(path5);
  let roles = /* @__PURE__ */ new Map();
  for (const [i, level] of chain.entries()) {
    const final = i === chain.length - 1;
    const here = state.acls.filter((a) => a.path === level);
    const own = applicable(
      here.filter((a) => a.type !== "group" && a.ugid === subject),
      final
    );
    const viaGroups = own ? void 0 : applicable(
      here.filter((a) => a.type === "group" && groups.includes(a.ugid)),
      final
    );
    roles = own ?? viaGroups ?? roles;
  }
  if (roles.has("NoAccess")) return /* @__PURE__ */ new Map([["NoAccess", roles.get("NoAccess") ?? false]]);
  return roles;
}
__name(rolesOn, "rolesOn");
function withPoolRoles(state, subject, isToken, path5, roles) {
  const vm = /^\/vms\/(\d+)$/.exec(path5);
  const storage = /^\/storage\/([^/]+)$/.exec(path5);
  const pools = state.pools.filter(
    (p) => vm ? p.vmids.includes(Number(vm[1])) : storage ? p.storages.includes(storage[1] ?? "") : false
  );
  if (pools.length === 0 || roles.has("NoAccess")) return roles;
  const poolRoles = new Set(
    pools.flatMap((p) => [...rolesOn(state, subject, isToken, `/pool/${p.poolid}`).keys()])
  );
  if (poolRoles.has("NoAccess")) return /* @__PURE__ */ new Map([["NoAccess", false]]);
  const merged = new Map(roles);
  for (const role of poolRoles) if (!merged.has(role)) merged.set(role, false);
  return merged;
}
__name(withPoolRoles, "withPoolRoles");
function subjectPrivileges(state, subject, isToken, path5) {
  const roles = withPoolRoles(
    state,
    subject,
    isToken,
    path5,
    rolesOn(state, subject, isToken, path5)
  );
  const privs = /* @__PURE__ */ new Map();
  for (const [role, propagate] of roles) {
    for (const p of state.roles[role] ?? []) privs.set(p, (privs.get(p) ?? false) || propagate);
  }
  return privs;
}
__name(subjectPrivileges, "subjectPrivileges");
function privilegesWithPropagation(state, who, path5) {
  if (who.userid === "root@pam" && !who.tokenid)
    return new Map(ALL_PRIVILEGES.map((p) => [p, true]));
  const user = who.userid === "root@pam" ? new Map(ALL_PRIVILEGES.map((p) => [p, true])) : subjectPrivileges(state, who.userid, false, path5);
  if (!who.tokenid) return user;
  const token = tokenOf(state, who.tokenid);
  if (!token) return /* @__PURE__ */ new Map();
  if (!token.privsep) return user;
  const own = subjectPrivileges(state, who.tokenid, true, path5);
  const both = /* @__PURE__ */ new Map();
  for (const [p, propagate] of own)
    if (user.has(p)) both.set(p, propagate && (user.get(p) ?? false));
  return both;
}
__name(privilegesWithPropagation, "privilegesWithPropagation");
function privilegesOn(state, who, path5) {
  return new Set(privilegesWithPropagation(state, who, path5).keys());
}
__name(privilegesOn, "privilegesOn");
function tokenOf(state, tokenid2) {
  const [userid2, name] = tokenid2.split("!");
  return state.users.find((u) => u.userid === userid2)?.tokens[name ?? ""];
}
__name(tokenOf, "tokenOf");

// sim/api/route.ts
function makeContext(core, who, params, tickets) {
  const has2 = /* @__PURE__ */ __name((path5, priv) => privilegesOn(core.state, who, path5).has(priv), "has");
  return {
    core,
    who,
    params,
    tickets,
    has: has2,
    require(path5, ...privs) {
      if (!privs.some((p) => has2(path5, p)))
        throw new PveError(403, `Permission check failed (${path5}, ${privs.join("|")})`);
    }
  };
}
__name(makeContext, "makeContext");
var Router = class {
  constructor(routes) {
    this.routes = routes;
    this.compiled = routes.map((route) => ({
      route,
      segments: route.path.split("/").filter(Boolean)
    }));
  }
  routes;
  static {
    __name(this, "Router");
  }
  compiled;
  match(method, segments) {
    for (const { route, segments: pattern } of this.compiled) {
      if (route.method !== method || pattern.length !== segments.length) continue;
      const pathParams = {};
      let ok = true;
      for (let i = 0; i < pattern.length; i++) {
        const p = pattern[i] ?? "";
        const s = segments[i] ?? "";
        if (p.startsWith("{")) pathParams[p.slice(1, -1)] = s;
        else if (p !== s) {
          ok = false;
          break;
        }
      }
      if (ok) return { route, pathParams };
    }
    return void 0;
  }
  pathExists(segments) {
    return ["GET", "POST", "PUT", "DELETE"].some((m) => this.match(m, segments));
  }
};

// sim/model/storage-lock.ts
var STORAGE_LOCK_TIMEOUT_MS = 1e4;
var STORAGE_LOCK_HOLD_MS = {
  /** `lvcreate -s` / `qemu-img create -b` of a linked clone's disk */
  linkedClone: 1e3,
  /** `vdisk_alloc` of a new volume (a cloud-init drive, an empty disk, a full clone's target) */
  alloc: 500,
  /** `vdisk_free` */
  free: 500
};
function storageLockName(storage, node2) {
  if (storage.shared)
    return {
      key: `cluster/${storage.id}`,
      timeoutError: `cfs-lock 'storage-${storage.id}' error: got lock request timeout`
    };
  return {
    key: `${node2}/${storage.id}`,
    timeoutError: `can't lock file '/var/lock/pve-manager/pve-storage-${storage.id}' - got timeout`
  };
}
__name(storageLockName, "storageLockName");
var StorageLockTable = class {
  static {
    __name(this, "StorageLockTable");
  }
  held = /* @__PURE__ */ new Map();
  /** every grant and timeout, for the bench's best-schedule bound and the tests */
  history = [];
  reserve(lock, atMs, holdMs, timeoutMs) {
    const intervals = this.held.get(lock.key) ?? [];
    this.held.set(lock.key, intervals);
    let start = atMs;
    for (const iv of intervals) {
      if (iv.endMs <= start) continue;
      if (iv.startMs >= start + holdMs) break;
      start = iv.endMs;
    }
    let grant;
    if (start - atMs > timeoutMs) {
      grant = { ok: false, failMs: atMs + timeoutMs, error: lock.timeoutError };
    } else {
      const reservation = { startMs: start, endMs: start + holdMs };
      intervals.push(reservation);
      intervals.sort((a, b) => a.startMs - b.startMs);
      grant = { ok: true, ...reservation, waitedMs: start - atMs };
    }
    this.history.push({ key: lock.key, atMs, grant });
    return grant;
  }
  /** Drops reservations that ended before `ms` (the table stays small in long runs). */
  prune(ms) {
    for (const [key, intervals] of this.held)
      this.held.set(
        key,
        intervals.filter((iv) => iv.endMs > ms)
      );
  }
  timeouts() {
    return this.history.filter((h) => !h.grant.ok).length;
  }
};

// sim/core.ts
var TASK_DURATIONS_MS = {
  qmcreate: 5e3,
  qmtemplate: 1e3,
  qmclone: 2e3,
  qmclonefull: 1e4,
  qmigrate: 3e3,
  resize: 1e3,
  qmstart: 2e3,
  qmstop: 1e3,
  qmshutdown: 5e3,
  qmreboot: 5e3,
  qmdestroy: 2e3,
  qmconfig: 500,
  download: 5e3,
  imgcopy: 2e3,
  agentReady: 2e4
};
var SimCore = class {
  constructor(state, timeScale, faults, seed) {
    this.state = state;
    this.timeScale = timeScale;
    this.faults = faults;
    this.random = seededRandom(seed);
  }
  state;
  timeScale;
  faults;
  static {
    __name(this, "SimCore");
  }
  requests = [];
  random;
  timers = /* @__PURE__ */ new Set();
  closed = false;
  /** the API certificate's SHA-256 fingerprint, which `/nodes` reports as every node's `ssl_fingerprint` */
  certFingerprint = "";
  /** Proxmox's per-storage locks: volume allocations queue on them, long waits time out */
  storageLocks = new StorageLockTable();
  /** real guests (`startPveSim({ guests })`): a started VM with a lab image is a real machine */
  guests;
  /**
   * where file-based storages keep the bytes of uploaded files (uploads stream there, a disk
   * imported from one boots from it); undefined: uploads are hashed and their bytes dropped
   */
  filesDir;
  /**
   * faults a test scripts for one request each (`sim.admin.failOnce`): the first request that
   * matches takes the fault, then it is gone — for a recovery path that dice would rarely reach
   */
  scriptedFaults = [];
  scaled(ms) {
    return Math.round(ms * this.timeScale);
  }
  now() {
    return Date.now();
  }
  isOffline(node2) {
    return this.faults.offlineNodes?.includes(node2) ?? false;
  }
  node(name) {
    const node2 = this.state.nodes.find((n) => n.name === name);
    if (!node2)
      throw die(
        `hostname lookup '${name}' failed - failed to get address info for: ${name}: Name or service not known`
      );
    if (this.isOffline(name))
      throw new PveError(
        595,
        "Errors during connection establishment, proxy handshake: Connection refused",
        void 0,
        true
      );
    return node2;
  }
  vm(node2, vmid2) {
    const vm = this.state.vms.find((v) => v.vmid === vmid2);
    if (!vm || vm.node !== node2)
      throw die(`Configuration file 'nodes/${node2}/qemu-server/${vmid2}.conf' does not exist`);
    return vm;
  }
  findVm(vmid2) {
    return this.state.vms.find((v) => v.vmid === vmid2);
  }
  upid(node2, type, id, who, pid, starttime) {
    const hex = /* @__PURE__ */ __name((n) => n.toString(16).toUpperCase().padStart(8, "0"), "hex");
    return `UPID:${node2}:${hex(pid)}:${hex(pid * 7 + 1048576)}:${hex(starttime)}:${type}:${id}:${who.tokenid ?? who.userid}:`;
  }
  /** Starts a worker task and returns its UPID at once, like a forked Proxmox worker. */
  startTask(spec) {
    const pid = this.state.nextPid++;
    const startedMs = this.now();
    const starttime = Math.floor(startedMs / 1e3);
    const task = {
      upid: this.upid(spec.node, spec.type, spec.id, spec.who, pid, starttime),
      node: spec.node,
      pid,
      pstart: pid * 7 + 1048576,
      starttime,
      type: spec.type,
      id: spec.id,
      user: spec.who.userid,
      ...spec.who.tokenid ? { tokenid: spec.who.tokenid.split("!")[1] ?? "" } : {},
      status: "running",
      log: [...spec.startLog ?? []],
      startedMs
    };
    this.state.tasks.push(task);
    const { durationMs, lockError } = this.reserveStorage(spec, startedMs);
    const finish = /* @__PURE__ */ __name(async () => {
      if (task.status === "stopped") return;
      let error;
      try {
        if (lockError) throw new Error(lockError);
        const injected = this.injectedTaskFault(spec);
        if (injected) throw new Error(injected);
        await spec.run((line) => task.log.push(line));
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
        spec.onFail?.();
      }
      task.status = "stopped";
      task.endedMs = this.now();
      task.endtime = Math.floor(task.endedMs / 1e3);
      if (error) {
        task.log.push(`TASK ERROR: ${error}`);
        task.exitstatus = error;
      } else {
        const warnings = task.log.filter((l) => l.startsWith("WARN: ")).length;
        task.log.push(warnings ? `TASK WARNINGS: ${warnings}` : "TASK OK");
        task.exitstatus = warnings ? `WARNINGS: ${warnings}` : "OK";
      }
    }, "finish");
    this.later(durationMs, () => void finish());
    return task.upid;
  }
  /**
   * A task's scaled duration once its storage-locked operations have queued: the unlocked part of
   * its work first, then each operation when its lock is free; a wait beyond the lock timeout ends
   * the task there with the timeout error.
   */
  reserveStorage(spec, startedMs) {
    const ops = spec.storageOps ?? [];
    if (ops.length === 0) return { durationMs: this.scaled(spec.durationMs) };
    const locked = ops.reduce((n, op) => n + op.holdMs, 0);
    let cursor = startedMs + this.scaled(Math.max(0, spec.durationMs - locked));
    for (const op of ops) {
      const grant = this.acquireStorage(op, cursor);
      if (!grant.ok)
        return {
          durationMs: grant.failMs - startedMs,
          lockError: `${spec.storageErrorPrefix ?? ""}${grant.error}`
        };
      cursor = grant.endMs;
    }
    return { durationMs: cursor - startedMs };
  }
  /** Reserves one storage-locked operation asked for at `atMs` (scaled hold and timeout). */
  acquireStorage(op, atMs) {
    this.storageLocks.prune(this.now() - this.scaled(STORAGE_LOCK_TIMEOUT_MS) * 10);
    return this.storageLocks.reserve(
      op.lock,
      atMs,
      this.scaled(op.holdMs),
      this.scaled(STORAGE_LOCK_TIMEOUT_MS)
    );
  }
  /**
   * Runs synchronous storage operations (a `PUT config` allocating a cloud-init drive) the way a
   * pvedaemon worker does: the call returns once the locks were taken and released, or fails with
   * the lock's timeout error after waiting for it.
   */
  async withStorageOps(ops) {
    let cursor = this.now();
    for (const op of ops) {
      const grant = this.acquireStorage(op, cursor);
      if (!grant.ok) {
        await this.sleepUntil(grant.failMs);
        throw die(grant.error);
      }
      cursor = grant.endMs;
    }
    await this.sleepUntil(cursor);
  }
  sleepUntil(ms) {
    const wait = ms - this.now();
    if (wait <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, wait);
      this.timers.add(timer);
    });
  }
  injectedTaskFault(spec) {
    if (spec.faultable === "lock" && this.random() < (this.faults.lockTimeout ?? 0)) {
      return `can't lock file '/var/lock/qemu-server/lock-${spec.id}.conf' - got timeout`;
    }
    if (spec.faultable === "storage" && this.random() < (this.faults.storageError ?? 0)) {
      return `storage error: lvcreate 'pve/vm-disk' error:   Volume group "pve" has insufficient free space`;
    }
    return void 0;
  }
  /** Runs `fn` after `ms`; 0 still defers to the next turn so the HTTP answer goes out first. */
  later(ms, fn) {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }
  timeline() {
    return this.state.tasks.map((t) => ({
      upid: t.upid,
      node: t.node,
      type: t.type,
      id: t.id,
      startMs: t.startedMs,
      ...t.endedMs !== void 0 ? { endMs: t.endedMs } : {},
      ...t.exitstatus !== void 0 ? { exitstatus: t.exitstatus } : {}
    }));
  }
  close() {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
};

// sim/http/cert.ts
var import_selfsigned = __toESM(require_selfsigned(), 1);
import { createHash as createHash3, X509Certificate } from "node:crypto";
async function makeCertificate(commonName = "pve-sim") {
  const pems = await (0, import_selfsigned.generate)([{ name: "commonName", value: commonName }], {
    // EC keys are generated in milliseconds; RSA 2048 takes long enough to slow every test start
    keyType: "ec",
    curve: "P-256",
    notBeforeDate: new Date(Date.now() - 6e4),
    notAfterDate: new Date(Date.now() + 3650 * 864e5),
    algorithm: "sha256",
    extensions: [
      { name: "basicConstraints", cA: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 2, value: "localhost" }
        ]
      }
    ]
  });
  return { cert: pems.cert, key: pems.private, fingerprint: fingerprintOf(pems.cert) };
}
__name(makeCertificate, "makeCertificate");
function fingerprintOf(certPem) {
  return new X509Certificate(certPem).fingerprint256.toUpperCase();
}
__name(fingerprintOf, "fingerprintOf");
function publicKeyPinOf(certPem) {
  const spki = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
  return createHash3("sha256").update(spki).digest("base64");
}
__name(publicKeyPinOf, "publicKeyPinOf");

// sim/guests/index.ts
import { randomBytes as randomBytes3 } from "node:crypto";
import { mkdirSync as mkdirSync4, openSync as openSync2, closeSync as closeSync2, rmSync as rmSync4, readFileSync as readFileSync6, existsSync as existsSync12 } from "node:fs";
import { homedir } from "node:os";
import { join as join6 } from "node:path";
import { spawn as spawn4 } from "node:child_process";

// sim/guests/cloud-init.ts
import { createHash as createHash4 } from "node:crypto";
var quote = /* @__PURE__ */ __name((s) => `'${s.replace(/'/g, "''")}'`, "quote");
function prefixToNetmask(prefix) {
  const bits = prefix === 0 ? 0 : 4294967295 << 32 - prefix >>> 0;
  return [24, 16, 8, 0].map((shift) => bits >>> shift & 255).join(".");
}
__name(prefixToNetmask, "prefixToNetmask");
function propertyString(value) {
  const out = {};
  for (const part of (value ?? "").split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}
__name(propertyString, "propertyString");
function macOf(net3) {
  return /^[a-z0-9]+=([0-9A-Fa-f:]{17})/.exec(net3 ?? "")?.[1]?.toLowerCase();
}
__name(macOf, "macOf");
function decodeSshKeys(value) {
  if (!value) return [];
  return decodeURIComponent(value).split("\n").map((k) => k.trim()).filter((k) => k !== "");
}
__name(decodeSshKeys, "decodeSshKeys");
function userData(config, vmid2) {
  const hostname = config.name ?? `VM${vmid2}`;
  const lines = ["#cloud-config", `hostname: ${hostname}`, "manage_etc_hosts: true"];
  if (config.searchdomain) lines.push(`fqdn: ${hostname}.${config.searchdomain.split(" ")[0]}`);
  if (config.ciuser) lines.push(`user: ${quote(config.ciuser)}`);
  if (config.cipassword) lines.push(`password: ${quote(config.cipassword)}`);
  const keys = decodeSshKeys(config.sshkeys);
  if (keys.length > 0) {
    lines.push("ssh_authorized_keys:");
    for (const key of keys) lines.push(`  - ${key}`);
  }
  lines.push("chpasswd:", "  expire: False", "users:", "  - default");
  if ((config.ciupgrade ?? "1") === "1") lines.push("package_upgrade: true");
  return `${lines.join("\n")}
`;
}
__name(userData, "userData");
function networkConfig(config, naming) {
  const lines = ["version: 1", "config:"];
  const nets = Object.keys(config).filter((k) => /^net\d+$/.test(k)).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  for (const key of nets) {
    const index = key.slice(3);
    const mac = macOf(config[key]);
    if (!mac) continue;
    if (naming === "nspawn-host0") {
      if (index !== "0") continue;
      lines.push("    - type: physical", "      name: host0");
    } else
      lines.push(
        "    - type: physical",
        `      name: eth${index}`,
        `      mac_address: ${quote(mac)}`
      );
    const ip = propertyString(config[`ipconfig${index}`]);
    const subnets = [];
    if (ip.ip === "dhcp") subnets.push("      - type: dhcp4");
    else if (ip.ip) {
      const [address = "", prefix = "32"] = ip.ip.split("/");
      subnets.push(
        "      - type: static",
        `        address: ${quote(address)}`,
        `        netmask: ${quote(prefixToNetmask(Number(prefix)))}`
      );
      if (ip.gw) subnets.push(`        gateway: ${quote(ip.gw)}`);
    }
    if (ip.ip6 === "dhcp") subnets.push("      - type: dhcp6");
    else if (ip.ip6 === "auto") subnets.push("      - type: ipv6_slaac");
    else if (ip.ip6) {
      subnets.push("      - type: static6", `        address: ${quote(ip.ip6)}`);
      if (ip.gw6) subnets.push(`        gateway: ${quote(ip.gw6)}`);
    }
    if (subnets.length > 0) lines.push("      subnets:", ...subnets);
  }
  const nameservers = (config.nameserver ?? "").split(/[ ,;]+/).filter(Boolean);
  const search = (config.searchdomain ?? "").split(/[ ,;]+/).filter(Boolean);
  if (nameservers.length > 0 || search.length > 0) {
    lines.push("    - type: nameserver");
    if (nameservers.length > 0)
      lines.push("      address:", ...nameservers.map((n) => `      - ${quote(n)}`));
    if (search.length > 0) lines.push("      search:", ...search.map((s) => `      - ${quote(s)}`));
  }
  return `${lines.join("\n")}
`;
}
__name(networkConfig, "networkConfig");
function noCloudSeed(config, vmid2, naming = "proxmox") {
  const user = userData(config, vmid2);
  const network = networkConfig(config, naming);
  const instanceId = createHash4("sha1").update(user + network).digest("hex");
  return {
    "meta-data": `instance-id: ${instanceId}
`,
    "user-data": user,
    "network-config": network
  };
}
__name(noCloudSeed, "noCloudSeed");
function gatewaysOf(config) {
  const out = [];
  for (const [key, value] of Object.entries(config)) {
    const m = /^ipconfig(\d+)$/.exec(key);
    if (!m) continue;
    const ip = propertyString(value);
    const bridge = propertyString(config[`net${m[1]}`]).bridge;
    const prefix = ip.ip?.split("/")[1];
    if (bridge && ip.gw && prefix) out.push([bridge, `${ip.gw}/${prefix}`]);
  }
  return out;
}
__name(gatewaysOf, "gatewaysOf");

// sim/guests/guest-files.ts
import {
  existsSync as existsSync11,
  lstatSync,
  mkdirSync as mkdirSync3,
  rmSync as rmSync3,
  symlinkSync,
  unlinkSync,
  writeFileSync as writeFileSync3
} from "node:fs";
import { dirname, join as join5 } from "node:path";
var AGENT_CHANNEL_DIR = "/run/pve-sim-agent";
var AGENT_SOCKET = "qga.sock";
var SEED_DIR = "/var/lib/cloud/seed/nocloud";
var AGENT_UNIT = `[Unit]
Description=QEMU guest agent on pve-sim's agent channel
ConditionPathIsDirectory=${AGENT_CHANNEL_DIR}
After=local-fs.target

[Service]
ExecStart=/usr/sbin/qemu-ga --method=unix-listen --path=${AGENT_CHANNEL_DIR}/${AGENT_SOCKET}
Restart=always
RestartSec=1

[Install]
WantedBy=multi-user.target
`;
var STOP_TIMEOUT = `[Manager]
DefaultTimeoutStopSec=10s
`;
var WAIT_ONLINE = `[Service]
ExecStart=
ExecStart=/lib/systemd/systemd-networkd-wait-online --any --ipv4 --timeout=30
`;
var HOST0_IPV4_ONLY = `[Network]
LinkLocalAddressing=no
IPv6AcceptRA=no
`;
var hostMac = /* @__PURE__ */ __name((mac) => `[Link]
MACAddress=${mac}
`, "hostMac");
function write(root, path5, text) {
  const file = join5(root, path5);
  mkdirSync3(dirname(file), { recursive: true });
  writeFileSync3(file, text);
}
__name(write, "write");
function installGuestFiles(root, net0Mac) {
  write(root, "etc/systemd/system/pve-sim-agent.service", AGENT_UNIT);
  const wants = join5(root, "etc/systemd/system/multi-user.target.wants/pve-sim-agent.service");
  mkdirSync3(dirname(wants), { recursive: true });
  if (!existsSync11(wants)) {
    try {
      if (lstatSync(wants)) unlinkSync(wants);
    } catch {
    }
    symlinkSync("../pve-sim-agent.service", wants);
  }
  write(root, "etc/systemd/system.conf.d/90-pve-sim-stop-timeout.conf", STOP_TIMEOUT);
  write(
    root,
    "etc/systemd/system/systemd-networkd-wait-online.service.d/90-pve-sim-ipv4.conf",
    WAIT_ONLINE
  );
  const dropIns = "etc/systemd/network/10-cloud-init-host0.network.d";
  write(root, `${dropIns}/90-pve-sim.conf`, HOST0_IPV4_ONLY);
  if (net0Mac) write(root, `${dropIns}/91-pve-sim-mac.conf`, hostMac(net0Mac));
  else rmSync3(join5(root, dropIns, "91-pve-sim-mac.conf"), { force: true });
}
__name(installGuestFiles, "installGuestFiles");
function writeSeed(dir, seed) {
  mkdirSync3(dir, { recursive: true });
  for (const [name, text] of Object.entries(seed))
    writeFileSync3(join5(dir, name), text, { mode: 384 });
}
__name(writeSeed, "writeSeed");

// sim/guests/host-limits.ts
import { readFileSync as readFileSync5, writeFileSync as writeFileSync4 } from "node:fs";
var INSTANCES = "/proc/sys/fs/inotify/max_user_instances";
var MIN_INOTIFY_INSTANCES = 1024;
function raiseInotifyInstances(log) {
  const current = Number(readFileSync5(INSTANCES, "utf8").trim());
  if (current >= MIN_INOTIFY_INSTANCES) return;
  writeFileSync4(INSTANCES, `${MIN_INOTIFY_INSTANCES}
`);
  log(
    `pve-sim guests: raised fs.inotify.max_user_instances ${current} \u2192 ${MIN_INOTIFY_INSTANCES} (all guests share the host root's inotify limit)`
  );
}
__name(raiseInotifyInstances, "raiseInotifyInstances");

// sim/guests/qga.ts
import { connect } from "node:net";
var AgentUnavailable = class extends Error {
  constructor(reason) {
    super(reason === "not-running" ? "QEMU guest agent is not running" : "got timeout");
    this.reason = reason;
  }
  reason;
  static {
    __name(this, "AgentUnavailable");
  }
};
var AgentCommandError = class extends Error {
  static {
    __name(this, "AgentCommandError");
  }
};
function agentCommand(socketPath, command, args, timeoutMs = 5e3) {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const syncId = Math.floor(Math.random() * 2 ** 31);
    let buffered = "";
    let synced = false;
    let settled = false;
    const finish = /* @__PURE__ */ __name((error, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(value);
    }, "finish");
    const timer = setTimeout(() => finish(new AgentUnavailable("timeout")), timeoutMs);
    socket.on("error", () => finish(new AgentUnavailable("not-running")));
    socket.on("connect", () => {
      socket.write(
        `${JSON.stringify({ execute: "guest-sync-delimited", arguments: { id: syncId } })}
`
      );
    });
    socket.on("data", (chunk) => {
      buffered += chunk.toString("latin1").replace(/\xff/g, "");
      let newline;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        let message;
        try {
          message = JSON.parse(Buffer.from(line, "latin1").toString("utf8"));
        } catch {
          continue;
        }
        if (!synced) {
          if (message.return === syncId) {
            synced = true;
            const request = args ? { execute: command, arguments: args } : { execute: command };
            socket.write(`${JSON.stringify(request)}
`);
          }
          continue;
        }
        if (message.error)
          return finish(
            new AgentCommandError(message.error.desc ?? message.error.class ?? "error")
          );
        return finish(void 0, message.return ?? {});
      }
    });
    socket.on("close", () => finish(new AgentUnavailable("not-running")));
  });
}
__name(agentCommand, "agentCommand");

// sim/guests/index.ts
var sleep = /* @__PURE__ */ __name((ms) => new Promise((r) => setTimeout(r, ms)), "sleep");
var GuestHost = class _GuestHost {
  constructor(instanceId, instanceDir, network, ledger, hierarchies, instanceCgroups, options) {
    this.instanceId = instanceId;
    this.instanceDir = instanceDir;
    this.network = network;
    this.ledger = ledger;
    this.hierarchies = hierarchies;
    this.instanceCgroups = instanceCgroups;
    this.options = options;
  }
  instanceId;
  instanceDir;
  network;
  ledger;
  hierarchies;
  instanceCgroups;
  options;
  static {
    __name(this, "GuestHost");
  }
  machines = /* @__PURE__ */ new Map();
  /** guest networks whose host guard someone else made (see guard()) */
  borrowedGuards = /* @__PURE__ */ new Set();
  /** the start in progress (starts are serialised; each takes well under a second) */
  starting = Promise.resolve();
  /** called when a guest's machine ends without pve-sim asking (powered off inside, crashed) */
  onGuestExit = /* @__PURE__ */ __name(() => void 0, "onGuestExit");
  static async create(options = {}) {
    const log = options.log ?? ((line) => process.stderr.write(`${line}
`));
    const stateRoot = options.stateRoot ?? join6(homedir(), ".cache", "pve-kube", "pve-sim-guests");
    const instanceId = options.instanceId ?? randomBytes3(4).toString("hex");
    if (!/^[a-z0-9]{1,8}$/.test(instanceId))
      throw new Error(`guests.instanceId '${instanceId}': use 1-8 lower-case letters or digits`);
    mkdirSync4(stateRoot, { recursive: true });
    await reapLeftovers(stateRoot, log);
    const instanceDir = join6(stateRoot, instanceId);
    mkdirSync4(instanceDir, { recursive: true });
    const ledger = {
      kind: LEDGER_KIND,
      instanceId,
      owner: { pid: process.pid, startTime: processStartTime(process.pid) ?? "" },
      cgroups: [],
      mounts: [],
      machines: []
    };
    const hierarchies = ownHierarchies();
    ledger.cgroups = hierarchies.map((h) => join6(h.ownDir, `pve-sim-${instanceId}`));
    ledger.netns = netnsName(instanceId);
    writeLedger(instanceDir, ledger);
    const instanceCgroups = makeInstanceCgroups(hierarchies, instanceId);
    mkdirSync4("/run/systemd/nspawn", { recursive: true });
    raiseInotifyInstances(log);
    const network = await LabNetwork.create(ledger.netns);
    return new _GuestHost(instanceId, instanceDir, network, ledger, hierarchies, instanceCgroups, {
      ...options,
      log
    });
  }
  /**
   * The host-side guard of a guest network, recorded before it is made (see guardHostRoute). A
   * guard that is already there belongs to whoever made it (a running lab, another instance) and
   * is neither recorded nor removed at close: removing it would unguard their running guests.
   */
  async guard(network) {
    const routes = this.ledger.guardRoutes ??= [];
    if (routes.includes(network) || this.borrowedGuards.has(network)) return;
    if (await hostGuardFor(network) === "guarded") {
      this.borrowedGuards.add(network);
      return;
    }
    routes.push(network);
    this.save();
    await guardHostRoute(network);
  }
  save() {
    writeLedger(this.instanceDir, this.ledger);
  }
  recordMount = /* @__PURE__ */ __name((mountPoint) => {
    if (!this.ledger.mounts.includes(mountPoint)) this.ledger.mounts.push(mountPoint);
    this.save();
  }, "recordMount");
  /** Whether a disk image can boot as a guest (an ext4 file system image). */
  bootable(image) {
    return image !== void 0 && isExtImage(image);
  }
  running(vmid2) {
    const m = this.machines.get(vmid2);
    if (!m) return void 0;
    return {
      vmid: vmid2,
      pid: m.pid,
      startedAt: m.startedAt,
      root: m.root,
      consoleLog: join6(m.vmDir, "console.log"),
      limits: m.limits
    };
  }
  guests() {
    return [...this.machines.keys()].flatMap((vmid2) => this.running(vmid2) ?? []);
  }
  /** Memory the guest's processes use now (the memory cgroup's usage), if the host reports it. */
  memoryUsage(vmid2) {
    const dir = this.machines.get(vmid2)?.cgroups.find((d) => d.includes("/memory/"));
    if (!dir) return void 0;
    try {
      return Number(readFileSync6(join6(dir, "memory.usage_in_bytes"), "utf8").trim());
    } catch {
      return void 0;
    }
  }
  vmDir(vmid2) {
    return join6(this.instanceDir, "vms", String(vmid2));
  }
  /**
   * Boots VM `vmid` from `image` with the VM's (pending-applied) config: overlay root, cloud-init
   * seed, NICs on their bridges, cgroups with its memory and cores. Resolves once the machine's
   * process runs (as qmstart ends once QEMU runs, long before the guest has booted).
   */
  async start(vmid2, config, image) {
    const previous = this.starting;
    let done = /* @__PURE__ */ __name(() => void 0, "done");
    this.starting = new Promise((resolve) => done = resolve);
    await previous;
    try {
      return await this.startNow(vmid2, config, image);
    } finally {
      done();
    }
  }
  async startNow(vmid2, config, image) {
    if (this.machines.has(vmid2)) throw new Error(`VM ${vmid2} already running`);
    const vmDir = this.vmDir(vmid2);
    mkdirSync4(join6(vmDir, "containerd"), { recursive: true });
    const lower = await mountImage(this.instanceDir, image, this.recordMount);
    const root = await mountOverlay(lower, vmDir, this.recordMount);
    const net0Mac = /=((?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2})/.exec(config.net0 ?? "")?.[1];
    installGuestFiles(root, net0Mac?.toLowerCase());
    writeSeed(join6(vmDir, "seed"), noCloudSeed(config, vmid2, "nspawn-host0"));
    const agent = /^(1|enabled=1|enabled=on|on|yes)(,|$)/.test(config.agent ?? "0");
    const agentDir = join6(vmDir, "agent");
    rmSync4(agentDir, { recursive: true, force: true });
    if (agent) mkdirSync4(agentDir);
    for (const [bridge2, cidr] of gatewaysOf(config)) {
      await this.guard(networkOf(cidr));
      await this.network.gateway(bridge2, cidr);
    }
    const veths = [];
    const nicArgs = [];
    const net0 = config.net0 ?? "";
    const bridge = /(?:^|,)bridge=([^,]+)/.exec(net0)?.[1];
    if (bridge && !/(?:^|,)link_down=1/.test(net0)) {
      await this.network.bridge(bridge);
      nicArgs.push(`--network-bridge=${bridge}`);
    }
    const memoryMiB = Number((config.memory ?? "512").replace(/^current=/, "").split(",")[0]);
    const cores = Number(config.cores ?? 1) * Number(config.sockets ?? 1);
    const cgroups = makeGuestCgroups(this.hierarchies, this.instanceCgroups, `vm${vmid2}`, {
      memoryBytes: memoryMiB * 1024 * 1024,
      cores: Number(config.vcpus ?? cores) || cores
    });
    const uuid = /uuid=([0-9a-fA-F-]{36})/.exec(config.smbios1 ?? "")?.[1];
    const machineName = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$/.test(config.name ?? "") ? config.name ?? `vm${vmid2}` : `vm${vmid2}`;
    const nspawn = [
      "systemd-nspawn",
      "--quiet",
      "--register=no",
      "--keep-unit",
      "--boot",
      `--directory=${root}`,
      `--machine=${machineName}`,
      ...uuid ? [`--uuid=${uuid}`] : [],
      ...nicArgs,
      ...nicArgs.length === 0 ? ["--private-network"] : [],
      "--capability=all",
      "--system-call-filter=bpf perf_event_open",
      "--resolv-conf=off",
      "--timezone=off",
      "--link-journal=no",
      `--bind=${join6(vmDir, "containerd")}:/var/lib/containerd`,
      `--bind-ro=${join6(vmDir, "seed")}:${SEED_DIR}`,
      ...agent ? [`--bind=${agentDir}:${AGENT_CHANNEL_DIR}`] : [],
      ...this.options.extraNspawnArgs ?? []
    ];
    const joinCgroups = cgroups.dirs.map((d) => `echo $$ > '${d}/cgroup.procs'`).join(" && ");
    const consoleLog = join6(vmDir, "console.log");
    const out = openSync2(consoleLog, "a");
    const spawnOptions = { stdio: ["ignore", out, out], detached: true };
    const child = spawn4(
      "/bin/sh",
      [
        "-c",
        `${joinCgroups} && exec "$@"`,
        "sh",
        "nsenter",
        `--net=${netnsPath(this.network.name)}`,
        ...nspawn
      ],
      spawnOptions
    );
    closeSync2(out);
    const pid = child.pid;
    if (pid === void 0) throw new Error(`VM ${vmid2}: could not start systemd-nspawn`);
    const exited = new Promise(
      (resolve) => child.once("exit", (code) => resolve(code))
    );
    const machine = {
      vmid: vmid2,
      child,
      pid,
      startedAt: Date.now(),
      vmDir,
      root,
      cgroups: cgroups.dirs,
      veths,
      stopping: false,
      exited,
      limits: { enforced: cgroups.enforced, notEnforced: cgroups.notEnforced }
    };
    this.machines.set(vmid2, machine);
    this.ledger.machines.push({ vmid: vmid2, pid, startTime: processStartTime(pid) ?? "", root });
    this.save();
    void exited.then((code) => this.afterExit(machine, code, config, image));
    return this.running(vmid2);
  }
  /** Cleans up after a machine ended; a reboot from inside (nspawn's exit 133) boots it again. */
  async afterExit(machine, code, config, image) {
    await this.killTree(machine);
    for (const veth of machine.veths) await this.network.removeVeth(veth);
    const failure = await unmount(machine.root);
    if (failure) this.options.log?.(`pve-sim guests: VM ${machine.vmid}: ${failure}`);
    this.ledger.mounts = this.ledger.mounts.filter((m) => m !== machine.root);
    for (const dir of machine.cgroups) removeCgroupTree(dir);
    this.machines.delete(machine.vmid);
    this.ledger.machines = this.ledger.machines.filter((m) => m.pid !== machine.pid);
    this.save();
    if (machine.stopping) return;
    if (code === 133) {
      try {
        await this.start(machine.vmid, config, image);
        return;
      } catch (error) {
        this.options.log?.(`pve-sim guests: VM ${machine.vmid} reboot failed: ${String(error)}`);
      }
    }
    this.onGuestExit(machine.vmid);
  }
  /** SIGKILL for every process left in the guest's cgroups (nspawn's children outlive a killed nspawn). */
  async killTree(machine) {
    for (let round = 0; round < 50; round++) {
      const pids = new Set(machine.cgroups.flatMap(pidsInTree));
      if (pids.size === 0) return;
      for (const pid of pids) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
        }
      }
      await sleep(100);
    }
  }
  /** Waits for a machine's end and its clean-up. */
  async ended(machine) {
    await machine.exited;
    while (this.machines.get(machine.vmid) === machine) await sleep(50);
  }
  /**
   * Clean shutdown: SIGTERM makes nspawn power the guest off (systemd stops its units); after
   * `timeoutMs` it is killed, as qm shutdown --forceStop would.
   */
  async shutdown(vmid2, timeoutMs) {
    const machine = this.machines.get(vmid2);
    if (!machine) return;
    machine.stopping = true;
    process.kill(machine.pid, "SIGTERM");
    const done = await Promise.race([
      machine.exited.then(() => true),
      sleep(timeoutMs).then(() => false)
    ]);
    if (!done) await this.stop(vmid2);
    await this.ended(machine);
  }
  /** Hard stop: every process of the guest is killed at once, as `qm stop` ends QEMU. */
  async stop(vmid2) {
    const machine = this.machines.get(vmid2);
    if (!machine) return;
    machine.stopping = true;
    await this.killTree(machine);
    await this.ended(machine);
  }
  /** Removes a VM's disk layer (its overlay's upper dir, /var/lib/containerd, seed). */
  async destroy(vmid2) {
    await this.stop(vmid2);
    const dir = this.vmDir(vmid2);
    await unmount(join6(dir, "root"));
    rmSync4(dir, { recursive: true, force: true });
  }
  /** One guest-agent command through the guest's own qemu-ga. */
  async agent(vmid2, command, args) {
    const machine = this.machines.get(vmid2);
    const socket = join6(this.vmDir(vmid2), "agent", AGENT_SOCKET);
    if (!machine || !existsSync12(socket)) throw new AgentUnavailable("not-running");
    return agentCommand(socket, command, args);
  }
  /** Spawns a program inside the lab network namespace (ssh to guests, kubectl, ansible-playbook). */
  spawnInLab(command, args, options = {}) {
    return this.network.spawn(command, args, options);
  }
  describe() {
    return {
      instanceId: this.instanceId,
      instanceDir: this.instanceDir,
      netns: this.network.name,
      execPrefix: this.network.execArgv([]),
      guests: this.guests()
    };
  }
  /** Stops every guest and removes everything this instance made. Returns what could not be removed. */
  async teardown() {
    await Promise.all([...this.machines.keys()].map((vmid2) => this.stop(vmid2)));
    return removeInstance(this.instanceDir, this.ledger);
  }
};

// sim/http/handle.ts
import { rm as rm5 } from "node:fs/promises";
import { join as join8 } from "node:path";

// sim/access/checks.ts
var ALL_USERS = { user: "all" };
var perm = /* @__PURE__ */ __name((path5, privs, options = {}) => ({ test: "perm", path: path5, privs, ...options }), "perm");
var and = /* @__PURE__ */ __name((...checks) => ({ test: "and", checks }), "and");
var or = /* @__PURE__ */ __name((...checks) => ({ test: "or", checks }), "or");
var check = /* @__PURE__ */ __name((c) => ({ check: c }), "check");
var denied = /* @__PURE__ */ __name((what) => new PveError(403, what ? `Permission check failed (${what})` : "Permission check failed"), "denied");
function normalizeAclPath(path5) {
  const collapsed = path5.replace(/\/+/g, "/").replace(/\/$/, "");
  return collapsed.startsWith("/") ? collapsed || "/" : `/${collapsed}`;
}
__name(normalizeAclPath, "normalizeAclPath");
function fill(template, params) {
  return normalizeAclPath(
    template.replace(/\{([^}]+)\}/g, (_m, name) => params[name] ?? "")
  );
}
__name(fill, "fill");
var authName = /* @__PURE__ */ __name((who) => who.tokenid ?? who.userid, "authName");
function holds(state, who, path5, privs, any) {
  const have = privilegesOn(state, who, path5);
  if (any) return privs.some((p) => have.has(p)) ? void 0 : `${path5}, ${privs.join("|")}`;
  const missing = privs.find((p) => !have.has(p));
  return missing === void 0 ? void 0 : `${path5}, ${missing}`;
}
__name(holds, "holds");
function groupsWith(state, who, privs) {
  return state.groups.filter(
    (g) => holds(state, who, `/access/groups/${g.groupid}`, privs, true) === void 0
  );
}
__name(groupsWith, "groupsWith");
function canModifyPermissions(state, who, path5) {
  const privs = ["Permissions.Modify"];
  if (/^\/storage\/.+/.test(path5)) privs.push("Datastore.Allocate");
  else if (/^\/vms\/.+/.test(path5)) privs.push("VM.Allocate");
  else if (/^\/pool\/.+/.test(path5)) privs.push("Pool.Allocate");
  return holds(state, who, path5, privs, true) === void 0;
}
__name(canModifyPermissions, "canModifyPermissions");
function run4(state, who, c, params, noerr) {
  const fail = /* @__PURE__ */ __name((what) => {
    if (noerr) return false;
    throw denied(what);
  }, "fail");
  switch (c.test) {
    case "and":
      for (const sub of c.checks) run4(state, who, sub, params, false);
      return true;
    case "or":
      for (const sub of c.checks) if (run4(state, who, sub, params, true)) return true;
      return fail();
    case "perm": {
      if (c.requireParam && params[c.requireParam] === void 0) return fail();
      const problem = holds(state, who, fill(c.path, params), c.privs, c.any ?? false);
      return problem === void 0 ? true : fail(problem);
    }
    case "perm-modify":
      return canModifyPermissions(state, who, fill(c.path, params)) || fail(`${fill(c.path, params)}, Permissions.Modify`);
    case "userid-param": {
      const userid2 = params.userid ?? "";
      if (c.sub === "self") {
        if (!state.users.some((u) => u.userid === userid2)) {
          if (noerr) return false;
          throw new PveError(500, `no such user ('${userid2}')`);
        }
        return authName(who) === userid2 || fail();
      }
      const realm = userid2.split("@")[1] ?? "";
      const problem = holds(state, who, `/access/realm/${realm}`, ["Realm.AllocateUser"], false);
      return problem === void 0 ? true : fail(problem);
    }
    case "userid-group": {
      const userid2 = params.userid ?? "";
      const existingUser = c.groupsParam !== "create";
      if (existingUser && !state.users.some((u) => u.userid === userid2)) {
        if (noerr) return false;
        throw new PveError(500, `no such user ('${userid2}')`);
      }
      if (holds(state, who, "/access/groups", c.privs, true) === void 0) return true;
      const allowed = groupsWith(state, who, c.privs);
      if (c.groupsParam) {
        const wanted = (params.groups ?? "").split(/[,;\s]+/).filter(Boolean);
        if (wanted.length === 0) throw denied(`/access/groups, ${c.privs.join("|")}`);
        for (const g of wanted)
          if (!allowed.some((a) => a.groupid === g))
            throw denied(`/access/groups/${g}, ${c.privs.join("|")}`);
      }
      if (existingUser && !allowed.some((g) => g.members.includes(userid2))) return fail();
      return true;
    }
  }
}
__name(run4, "run");
function enforcePermissions(state, who, permissions, params) {
  if ("user" in permissions && permissions.user === "world") return;
  if (!who) throw denied("user != null");
  if (authName(who) === "root@pam") return;
  if ("user" in permissions) return;
  run4(state, who, permissions.check, params, false);
}
__name(enforcePermissions, "enforcePermissions");

// sim/api/validate.ts
function specFor(specs, key) {
  const direct = specs[key];
  if (direct) return direct;
  const match = /^([a-z]+)(\d+)$/.exec(key);
  if (!match) return void 0;
  const indexed = specs[`${match[1] ?? ""}[n]`];
  if (!indexed) return void 0;
  return Number(match[2]) <= (indexed.maxIndex ?? 0) ? indexed : void 0;
}
__name(specFor, "specFor");
function validateParams(specs, params) {
  const errors = {};
  for (const [key, value] of Object.entries(params)) {
    const spec = specFor(specs, key);
    if (!spec) {
      errors[key] = "property is not defined in schema and the schema does not allow additional properties";
      continue;
    }
    const problem = checkValue(spec, value);
    if (problem) errors[key] = problem;
  }
  for (const [key, spec] of Object.entries(specs)) {
    if (!spec.optional && !key.endsWith("[n]") && params[key] === void 0)
      errors[key] = "property is missing and it is not optional";
  }
  if (Object.keys(errors).length > 0) throw paramError(errors);
}
__name(validateParams, "validateParams");
function checkValue(spec, value) {
  switch (spec.type) {
    case "boolean":
      if (!/^(0|1)$/.test(value)) return `type check ('boolean') failed - got '${value}'`;
      return void 0;
    case "integer":
      if (!/^-?\d+$/.test(value)) return `type check ('integer') failed - got '${value}'`;
      return range(spec, Number(value));
    case "number":
      if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value))
        return `type check ('number') failed - got '${value}'`;
      return range(spec, Number(value));
    case "string":
      if (spec.enum && !spec.enum.includes(value))
        return `value '${value}' does not have a value in the enumeration '${spec.enum.join(", ")}'`;
      if (spec.maxLength !== void 0 && value.length > spec.maxLength)
        return `value may only be ${spec.maxLength} characters long`;
      if (spec.pattern && !spec.pattern.test(value))
        return spec.format ? `value does not match the regex pattern` : `value does not match the regex pattern`;
      if (spec.propertyString) return checkPropertyString(spec.propertyString, value);
      return void 0;
  }
}
__name(checkValue, "checkValue");
function range(spec, n) {
  if (spec.minimum !== void 0 && n < spec.minimum)
    return `value must have a minimum value of ${spec.minimum}`;
  if (spec.maximum !== void 0 && n > spec.maximum)
    return `value must have a maximum value of ${spec.maximum}`;
  return void 0;
}
__name(range, "range");
function parsePropertyString(value, spec) {
  const out = {};
  value.split(",").forEach((part, i) => {
    if (part === "") return;
    const eq = part.indexOf("=");
    if (eq < 0) {
      if (spec.flagKeys?.includes(part)) out[part] = "";
      else if (i === 0 && spec.defaultKey) out[spec.defaultKey] = part;
      else out[part] = "\0";
      return;
    }
    out[part.slice(0, eq)] = part.slice(eq + 1);
  });
  return out;
}
__name(parsePropertyString, "parsePropertyString");
var BOOLEAN_WORDS = /^(1|0|on|off|yes|no|true|false)$/i;
function checkPropertyString(spec, value) {
  const parsed = parsePropertyString(value, spec);
  for (const [key, sub] of Object.entries(parsed)) {
    const def = spec.keys[key] ?? (spec.flagKeys?.includes(key) ? "string" : void 0);
    if (!def || sub === "\0")
      return `invalid format - format error
${key}: property is not defined in schema and the schema does not allow additional properties`;
    const type = typeof def === "string" ? def : def.type;
    const problem = type === "boolean" ? BOOLEAN_WORDS.test(sub) ? void 0 : `type check ('boolean') failed - got '${sub}'` : type === "integer" ? /^\d+$/.test(sub) ? void 0 : `type check ('integer') failed - got '${sub}'` : typeof def !== "string" && def.enum && !def.enum.includes(sub) ? `value '${sub}' does not have a value in the enumeration '${def.enum.join(", ")}'` : typeof def !== "string" && def.pattern && !def.pattern.test(sub) ? "value does not match the regex pattern" : void 0;
    if (problem) return `invalid format - format error
${key}: ${problem}`;
  }
  if (spec.defaultKey && parsed[spec.defaultKey] === void 0 && !spec.flagKeys) {
    return `invalid format - format error
${spec.defaultKey}: property is missing and it is not optional`;
  }
  return void 0;
}
__name(checkPropertyString, "checkPropertyString");

// sim/http/multipart.ts
import { createHash as createHash5 } from "node:crypto";
function parseMultipart(body, contentType) {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new PveError(400, "multipart body without boundary");
  const delimiter = Buffer.from(`--${boundary}`);
  const fields = {};
  let file;
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const data = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? "";
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      if (filename !== void 0) {
        const digest = /* @__PURE__ */ __name((algorithm) => createHash5(algorithm).update(data).digest("hex"), "digest");
        file = {
          filename,
          size: data.length,
          sha256: digest("sha256"),
          sha512: digest("sha512"),
          md5: digest("md5")
        };
        fields[name] = filename;
      } else fields[name] = data.toString("utf8");
    }
    start = next;
  }
  return { fields, ...file ? { file } : {} };
}
__name(parseMultipart, "parseMultipart");

// sim/http/body.ts
var MAX_BODY = 64 * 1024 * 1024;
async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk;
    size += buf.length;
    if (size > MAX_BODY) throw new PveError(413, "request entity too large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
__name(readBody, "readBody");
function parseBodyParams(body, contentType) {
  if (body.length === 0) return {};
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === "application/json") {
    let parsed;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw new PveError(400, "Parameter verification failed.", { data: "invalid JSON body" });
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    const out = {};
    for (const [k, v] of Object.entries(parsed)) {
      if (v === null || v === void 0) continue;
      out[k] = typeof v === "boolean" ? v ? "1" : "0" : typeof v === "string" || typeof v === "number" ? String(v) : JSON.stringify(v);
    }
    return out;
  }
  if (type === "multipart/form-data") return parseMultipart(body, contentType ?? "").fields;
  return Object.fromEntries(new URLSearchParams(body.toString("utf8")));
}
__name(parseBodyParams, "parseBodyParams");

// sim/http/upload-stream.ts
import { randomBytes as randomBytes4 } from "node:crypto";
import { mkdirSync as mkdirSync5 } from "node:fs";
import { open, rm as rm4 } from "node:fs/promises";
import { join as join7 } from "node:path";
var MAX_FIELD = 64 * 1024;
async function receiveUpload(req, tmpDir) {
  const contentType = req.headers["content-type"] ?? "";
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new PveError(400, "multipart body without boundary");
  const opening = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r
--${boundary}`);
  mkdirSync5(tmpDir, { recursive: true });
  const tmpPath = join7(tmpDir, `pveupload-${randomBytes4(8).toString("hex")}`);
  const fields = {};
  let file;
  let handle;
  let size = 0;
  let part;
  let state = "preamble";
  let pending = Buffer.alloc(0);
  const emit = /* @__PURE__ */ __name(async (data) => {
    if (!part || data.length === 0) return;
    if (part.filename !== void 0) {
      size += data.length;
      await handle?.write(data);
      return;
    }
    part.textSize += data.length;
    if (part.textSize > MAX_FIELD) throw new PveError(413, "request entity too large");
    part.text.push(data);
  }, "emit");
  const endPart = /* @__PURE__ */ __name(async () => {
    if (!part) return;
    if (part.filename !== void 0) {
      await handle?.close();
      handle = void 0;
      file = { filename: part.filename, size, sha256: "", sha512: "", md5: "", path: tmpPath };
      fields[part.name] = part.filename;
    } else fields[part.name] = Buffer.concat(part.text).toString("utf8");
    part = void 0;
  }, "endPart");
  const startPart = /* @__PURE__ */ __name(async (headers) => {
    const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? "";
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    part = { name, text: [], textSize: 0, ...filename !== void 0 ? { filename } : {} };
    if (filename === void 0) return;
    if (file || handle) throw new PveError(400, "more than one file in the upload");
    handle = await open(tmpPath, "w", 384);
    size = 0;
  }, "startPart");
  const advance = /* @__PURE__ */ __name(async () => {
    for (; ; ) {
      if (state === "preamble") {
        const at = pending.indexOf(opening);
        if (at < 0) return;
        pending = pending.subarray(at + opening.length);
        state = "headers";
      } else if (state === "headers") {
        if (pending.length < 2) return;
        if (pending.subarray(0, 2).toString() === "--") {
          state = "done";
          return;
        }
        const end = pending.indexOf("\r\n\r\n");
        if (end < 0) {
          if (pending.length > MAX_FIELD)
            throw new PveError(400, "multipart part headers too long");
          return;
        }
        await startPart(pending.subarray(2, end).toString("utf8"));
        pending = pending.subarray(end + 4);
        state = "data";
      } else if (state === "data") {
        const at = pending.indexOf(delimiter);
        if (at < 0) {
          const cr = pending.indexOf(13, Math.max(0, pending.length - delimiter.length + 1));
          const safe = cr < 0 ? pending.length : cr;
          await emit(pending.subarray(0, safe));
          pending = Buffer.from(pending.subarray(safe));
          return;
        }
        await emit(pending.subarray(0, at));
        await endPart();
        pending = pending.subarray(at + delimiter.length);
        state = "headers";
      } else return;
    }
  }, "advance");
  try {
    for await (const chunk of req) {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      await advance();
    }
    if (state !== "done") throw new PveError(400, "incomplete multipart upload");
  } catch (error) {
    await handle?.close().catch(() => void 0);
    await rm4(tmpPath, { force: true });
    throw error;
  }
  return { fields, ...file ? { file } : {} };
}
__name(receiveUpload, "receiveUpload");

// sim/http/respond.ts
var WithExtra = class {
  constructor(data, extra) {
    this.data = data;
    this.extra = extra;
  }
  data;
  extra;
  static {
    __name(this, "WithExtra");
  }
};
var JSON_TYPE = "application/json;charset=UTF-8";
function baseHeaders(res) {
  res.setHeader("Server", "pve-api-daemon/3.0");
  res.setHeader("Cache-Control", "max-age=0");
  res.setHeader("Pragma", "no-cache");
  res.setHeader("Expires", (/* @__PURE__ */ new Date()).toUTCString());
}
__name(baseHeaders, "baseHeaders");
function sendData(res, data, extra = {}) {
  baseHeaders(res);
  const body = JSON.stringify({ data: data === void 0 ? null : data, ...extra });
  res.writeHead(200, "OK", {
    "Content-Type": JSON_TYPE,
    "Content-Length": Buffer.byteLength(body)
  });
  res.end(body);
}
__name(sendData, "sendData");
function sendError(res, error) {
  baseHeaders(res);
  const firstLine = (error.message.split("\n")[0] ?? "error").replace(/[^\t\x20-\x7e]/g, "?");
  res.setHeader("Connection", "close");
  if (error.emptyBody) {
    res.writeHead(error.status, firstLine, { "Content-Length": 0 });
    res.end();
    return;
  }
  const message = error.message.endsWith("\n") ? error.message : `${error.message}
`;
  const body = JSON.stringify({
    data: null,
    message,
    ...error.errors ? { errors: error.errors } : {}
  });
  res.writeHead(error.status, firstLine, {
    "Content-Type": JSON_TYPE,
    "Content-Length": Buffer.byteLength(body)
  });
  res.end(body);
}
__name(sendError, "sendError");

// sim/http/handle.ts
async function handleRequest(deps, req, res) {
  const started = Date.now();
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", "http://pve-sim");
  let status = 200;
  let tokenId;
  const contentType = req.headers["content-type"] ?? "";
  const multipart = contentType.toLowerCase().startsWith("multipart/form-data");
  const streamUpload = deps.core.filesDir !== void 0 && method === "POST" && multipart && /^\/api2\/(json|extjs)\/nodes\/[^/]+\/storage\/[^/]+\/upload$/.test(url.pathname);
  let streamed;
  const log = /* @__PURE__ */ __name(() => {
    if (url.pathname.startsWith("/api2/")) {
      deps.core.requests.push({
        method,
        path: url.pathname + url.search,
        status,
        mutating: method !== "GET",
        ...tokenId ? { tokenId } : {},
        at: started,
        ms: Date.now() - started
      });
    }
  }, "log");
  try {
    const body = streamUpload ? Buffer.alloc(0) : await readBody(req);
    if (await deps.admin(req, res, url.pathname, body)) return;
    const decoded = safeDecode(url.pathname);
    const segments = url.pathname.split("/").filter(Boolean).map(safeDecode);
    if (segments[0] !== "api2" || segments[1] !== "json" && segments[1] !== "extjs") {
      throw new PveError(501, `Method '${method} ${decoded}' not implemented`);
    }
    const rel = segments.slice(2);
    takeScriptedFault(deps.core, method, `/${rel.join("/")}`);
    await applyFaults(deps.core, req, res);
    if (res.destroyed) return;
    const match = deps.router.match(method, rel);
    if (!match) {
      throw new PveError(501, `Method '${method} /${rel.join("/")}' not implemented`);
    }
    if ((method === "GET" || method === "DELETE") && body.length > 0)
      throw new PveError(501, `Unexpected content for method '${method}'`);
    const isPublic = "user" in match.route.permissions && match.route.permissions.user === "world";
    const who = isPublic ? { userid: "" } : authenticate(deps.core.state, deps.tickets, req.headers, method);
    tokenId = who.tokenid;
    if (who.tokenid && match.route.noToken)
      throw new PveError(
        403,
        `URI '/${rel.join("/")}' not available with API token, need proper ticket.`
      );
    if (streamUpload && deps.core.filesDir)
      streamed = await receiveUpload(req, join8(deps.core.filesDir, "tmp"));
    const params = mergeParams(
      Object.fromEntries(url.searchParams),
      streamed ? streamed.fields : parseBodyParams(body, req.headers["content-type"]),
      match.pathParams
    );
    validateParams(match.route.params, params);
    if (params.node && match.route.path.startsWith("/nodes/{node}") && deps.core.isOffline(params.node)) {
      throw new PveError(
        595,
        "Errors during connection establishment, proxy handshake: Connection refused",
        void 0,
        true
      );
    }
    if (!isPublic) enforcePermissions(deps.core.state, who, match.route.permissions, params);
    const ctx = makeContext(deps.core, who, params, deps.tickets);
    if (multipart) {
      const upload = streamed ? streamed.file : parseMultipart(body, contentType).file;
      if (upload) ctx.upload = upload;
    }
    const data = await match.route.handler(ctx);
    if (data instanceof WithExtra) sendData(res, data.data, data.extra);
    else sendData(res, data);
  } catch (error) {
    if (streamed?.file) await rm5(streamed.file.path, { force: true });
    const pve = error instanceof PveError ? error : new PveError(500, error instanceof Error ? error.message : String(error));
    status = pve.status;
    if (!res.headersSent && !res.destroyed) sendError(res, pve);
  } finally {
    log();
  }
}
__name(handleRequest, "handleRequest");
function safeDecode(path5) {
  try {
    return decodeURIComponent(path5);
  } catch {
    return path5;
  }
}
__name(safeDecode, "safeDecode");
function mergeParams(query, body, pathParams) {
  const merged = { ...body, ...query };
  for (const [k, v] of Object.entries(pathParams)) {
    if (merged[k] !== void 0 && merged[k] !== v)
      throw new PveError(
        400,
        "duplicate parameter (already defined in URI) with conflicting values!"
      );
    merged[k] = v;
  }
  return merged;
}
__name(mergeParams, "mergeParams");
function takeScriptedFault(core, method, apiPath) {
  const index = core.scriptedFaults.findIndex(
    (fault2) => fault2.method === method && fault2.path.test(apiPath)
  );
  if (index < 0) return;
  const [fault] = core.scriptedFaults.splice(index, 1);
  throw fault?.status === 596 ? proxyTimeout() : clusterLockTimeout();
}
__name(takeScriptedFault, "takeScriptedFault");
var proxyTimeout = /* @__PURE__ */ __name(() => new PveError(
  596,
  "Errors during TLS negotiation, request sending and header processing: Connection timed out",
  void 0,
  true
), "proxyTimeout");
var clusterLockTimeout = /* @__PURE__ */ __name(() => new PveError(
  500,
  "error during cfs-locked 'file-replication_cfg' operation: got lock request timeout"
), "clusterLockTimeout");
async function applyFaults(core, req, res) {
  const f = core.faults;
  if (f.scope === "writes" && req.method === "GET") return;
  if (f.latencyMs) await new Promise((r) => setTimeout(r, core.scaled(f.latencyMs ?? 0) || 0));
  if (f.drop && core.random() < f.drop) {
    req.socket.destroy();
    res.destroy();
    return;
  }
  if (f.error596 && core.random() < f.error596) throw proxyTimeout();
  if (f.error5xx && core.random() < f.error5xx) throw clusterLockTimeout();
}
__name(applyFaults, "applyFaults");

// sim/model/seed.ts
var GiB = 1024 ** 3;
function seedState(options) {
  return {
    clusterName: "pve-sim",
    nodes: options.nodes.map((name) => ({
      name,
      online: true,
      maxcpu: 32,
      maxmem: 128 * GiB,
      maxdisk: 100 * GiB,
      bridges: [{ iface: "vmbr0", vlanAware: true, cidr: "10.0.20.2/24" }]
    })),
    storages: [
      {
        id: "local",
        type: "dir",
        content: ["iso", "vztmpl", "backup", "import"],
        shared: false,
        total: 100 * GiB,
        fileBased: true,
        path: "/var/lib/vz"
      },
      {
        id: "local-lvm",
        type: "lvmthin",
        content: ["images", "rootdir"],
        shared: false,
        total: 1024 * GiB,
        fileBased: false,
        vgname: "pve"
      },
      {
        id: "shared",
        type: "nfs",
        content: ["images", "import", "iso"],
        shared: true,
        total: 4096 * GiB,
        fileBased: true,
        path: "/mnt/pve/shared"
      }
    ],
    volumes: [],
    vms: [],
    tasks: [],
    users: [
      {
        userid: "root@pam",
        enable: true,
        password: options.rootPassword,
        tokens: {
          "pve-kube": {
            secret: options.rootTokenSecret,
            privsep: false,
            comment: "pve-sim root token"
          }
        }
      }
    ],
    roles: structuredClone(BUILTIN_ROLES),
    groups: [],
    acls: [],
    pools: [],
    ha: [],
    remoteFiles: {},
    nextPid: 4096
  };
}
__name(seedState, "seedState");

// sim/routes/access.ts
import { randomUUID as randomUUID2 } from "node:crypto";

// sim/api/param-types.ts
var vmid = {
  type: "integer",
  minimum: 100,
  maximum: 999999999,
  format: "pve-vmid"
};
var node = {
  type: "string",
  pattern: /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
  format: "pve-node"
};
var storageId = {
  type: "string",
  pattern: /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i,
  format: "pve-storage-id"
};
var optional = /* @__PURE__ */ __name((spec) => ({ ...spec, optional: true }), "optional");
var str = { type: "string", optional: true };
var int = { type: "integer", optional: true };
var bool = { type: "boolean", optional: true };

// sim/routes/access.ts
var userid = {
  type: "string",
  pattern: /^[^\s:/@!]+@[A-Za-z][A-Za-z0-9.\-_]+$/,
  format: "pve-userid"
};
var tokenid = {
  type: "string",
  pattern: /^[A-Za-z][A-Za-z0-9.\-_]+$/,
  format: "pve-tokenid"
};
var groupid = { type: "string", pattern: /^[A-Za-z0-9.\-_]+$/, format: "pve-groupid" };
var WORLD = { user: "world" };
var list = /* @__PURE__ */ __name((value) => (value ?? "").split(/[,;\s]+/).filter(Boolean), "list");
function userOf(ctx, id) {
  const user = ctx.core.state.users.find((u) => u.userid === id);
  if (!user) throw die(`no such user ('${id}')`);
  return user;
}
__name(userOf, "userOf");
var groupsOf = /* @__PURE__ */ __name((ctx, id) => ctx.core.state.groups.filter((g) => g.members.includes(id)).map((g) => g.groupid), "groupsOf");
function namedGroups(ctx, action) {
  return list(ctx.params.groups).map((id) => {
    const group = ctx.core.state.groups.find((g) => g.groupid === id);
    if (!group) throw die(`${action}: no such group '${id}'`);
    return group;
  });
}
__name(namedGroups, "namedGroups");
function knownPaths(ctx) {
  const s = ctx.core.state;
  return [
    "/",
    "/access",
    "/access/groups",
    "/nodes",
    "/pool",
    "/sdn",
    "/storage",
    "/vms",
    ...s.nodes.map((n) => `/nodes/${n.name}`),
    ...s.storages.map((x) => `/storage/${x.id}`),
    ...s.pools.map((p) => `/pool/${p.poolid}`),
    ...s.vms.map((v) => `/vms/${v.vmid}`),
    ...s.groups.map((g) => `/access/groups/${g.groupid}`),
    ...s.acls.map((a) => a.path)
  ];
}
__name(knownPaths, "knownPaths");
var SELF_OR_USER_MODIFY = or(
  { test: "userid-param", sub: "self" },
  { test: "userid-group", privs: ["User.Modify"] }
);
function checkDelegation(ctx, path5, roles, propagate, remove) {
  const own = privilegesWithPropagation(ctx.core.state, ctx.who, path5);
  if (own.has("Permissions.Modify")) return;
  const verb = remove ? "remove" : "add";
  for (const role of roles) {
    for (const priv of ctx.core.state.roles[role] ?? []) {
      if (!own.has(priv))
        throw new PveError(400, "Parameter verification failed.", {
          role: `Cannot ${verb} role '${role}' - requires 'Permissions.Modify' or superset of privileges.`
        });
      if (propagate && !remove && own.get(priv) !== true)
        throw new PveError(400, "Parameter verification failed.", {
          role: `Cannot ${verb} role '${role}' with propagation - requires 'Permissions.Modify' or propagated superset of privileges.`
        });
    }
    if (role === "NoAccess")
      throw new PveError(400, "Parameter verification failed.", {
        role: `Cannot ${verb} role '${role}' - requires 'Permissions.Modify'`
      });
  }
}
__name(checkDelegation, "checkDelegation");
var accessRoutes = [
  { method: "GET", path: "/access/ticket", params: {}, permissions: WORLD, handler: /* @__PURE__ */ __name(() => null, "handler") },
  {
    method: "POST",
    path: "/access/ticket",
    params: {
      username: { type: "string", maxLength: 64 },
      password: { type: "string" },
      realm: str,
      otp: str,
      path: str,
      privs: str,
      "new-format": bool,
      "tfa-challenge": str
    },
    permissions: WORLD,
    handler(ctx) {
      const name = ctx.params.username ?? "";
      const id = name.includes("@") ? name : `${name}@${ctx.params.realm ?? "pam"}`;
      const user = ctx.core.state.users.find((u) => u.userid === id);
      if (!user?.enable || !user.password || user.password !== ctx.params.password)
        throw new PveError(401, "authentication failure");
      const { ticket, csrf } = ctx.tickets.issue(id);
      return {
        username: id,
        ticket,
        CSRFPreventionToken: csrf,
        clustername: ctx.core.state.clusterName,
        cap: {}
      };
    }
  },
  {
    method: "GET",
    path: "/access/domains",
    params: {},
    permissions: WORLD,
    handler: /* @__PURE__ */ __name(() => [
      { realm: "pam", type: "pam", comment: "Linux PAM standard authentication" },
      { realm: "pve", type: "pve", comment: "Proxmox VE authentication server" }
    ], "handler")
  },
  {
    method: "GET",
    path: "/access/users",
    params: { enabled: bool, full: bool },
    // the caller, plus everyone when it holds User.Modify or Sys.Audit on /access/groups, else the
    // members of the groups it holds one of them on
    permissions: ALL_USERS,
    handler(ctx) {
      const privs = ["User.Modify", "Sys.Audit"];
      const everyone = privs.some((p) => ctx.has("/access/groups", p));
      const allowed = new Set(
        ctx.core.state.groups.filter((g) => privs.some((p) => ctx.has(`/access/groups/${g.groupid}`, p))).flatMap((g) => g.members)
      );
      const self = ctx.who.tokenid ?? ctx.who.userid;
      return [...ctx.core.state.users].sort((a, b) => a.userid.localeCompare(b.userid)).filter((u) => everyone || u.userid === self || allowed.has(u.userid)).filter(
        (u) => ctx.params.enabled === void 0 || u.enable === (ctx.params.enabled === "1")
      ).map((u) => {
        const groups = groupsOf(ctx, u.userid);
        return {
          userid: u.userid,
          enable: u.enable ? 1 : 0,
          ...groups.length ? { groups: groups.join(",") } : {},
          ...ctx.params.full === "1" ? {
            tokens: Object.entries(u.tokens).map(([t, v]) => ({
              tokenid: t,
              privsep: v.privsep ? 1 : 0
            }))
          } : {}
        };
      });
    }
  },
  {
    method: "POST",
    path: "/access/users",
    params: {
      userid,
      password: str,
      comment: str,
      email: str,
      enable: bool,
      expire: { type: "integer", optional: true, minimum: 0 },
      firstname: str,
      lastname: str,
      groups: str,
      keys: str
    },
    // Realm.AllocateUser on the user's realm, and User.Modify on every group given (or on /access/groups)
    permissions: check(
      and(
        { test: "userid-param", sub: "Realm.AllocateUser" },
        { test: "userid-group", privs: ["User.Modify"], groupsParam: "create" }
      )
    ),
    handler(ctx) {
      const id = ctx.params.userid ?? "";
      if (ctx.core.state.users.some((u) => u.userid === id))
        throw die(`create user failed: user '${id}' already exists`);
      const groups = namedGroups(ctx, "create user failed");
      ctx.core.state.users.push({
        userid: id,
        enable: ctx.params.enable !== "0",
        ...ctx.params.password ? { password: ctx.params.password } : {},
        tokens: {}
      });
      for (const g of groups) if (!g.members.includes(id)) g.members.push(id);
      return null;
    }
  },
  {
    method: "GET",
    path: "/access/users/{userid}",
    params: { userid },
    permissions: check({ test: "userid-group", privs: ["User.Modify", "Sys.Audit"] }),
    handler(ctx) {
      const u = userOf(ctx, ctx.params.userid ?? "");
      return {
        userid: u.userid,
        enable: u.enable ? 1 : 0,
        groups: groupsOf(ctx, u.userid),
        tokens: Object.fromEntries(
          Object.entries(u.tokens).map(([t, v]) => [t, { privsep: v.privsep ? 1 : 0 }])
        )
      };
    }
  },
  {
    method: "PUT",
    path: "/access/users/{userid}",
    params: {
      userid,
      groups: str,
      append: bool,
      enable: bool,
      comment: str,
      email: str,
      firstname: str,
      lastname: str,
      expire: { type: "integer", optional: true, minimum: 0 },
      keys: str
    },
    permissions: check({ test: "userid-group", privs: ["User.Modify"], groupsParam: "update" }),
    handler(ctx) {
      const u = userOf(ctx, ctx.params.userid ?? "");
      if (ctx.params.append === "1" && ctx.params.groups === void 0)
        throw new PveError(400, "Parameter verification failed.", {
          append: "missing property - 'groups' is required by 'append'"
        });
      if (ctx.params.enable !== void 0) u.enable = ctx.params.enable === "1";
      if (ctx.params.groups !== void 0) {
        const groups = namedGroups(ctx, "update user failed");
        if (ctx.params.append !== "1")
          for (const g of ctx.core.state.groups)
            g.members = g.members.filter((m) => m !== u.userid);
        for (const g of groups) if (!g.members.includes(u.userid)) g.members.push(u.userid);
      }
      return null;
    }
  },
  {
    method: "GET",
    path: "/access/users/{userid}/token/{tokenid}",
    params: { userid, tokenid },
    permissions: check(SELF_OR_USER_MODIFY),
    handler(ctx) {
      const u = userOf(ctx, ctx.params.userid ?? "");
      const t = u.tokens[ctx.params.tokenid ?? ""];
      if (!t) throw die(`no such token '${ctx.params.tokenid ?? ""}' for user '${u.userid}'`);
      return {
        privsep: t.privsep ? 1 : 0,
        ...t.comment ? { comment: t.comment } : {},
        expire: 0
      };
    }
  },
  {
    method: "POST",
    path: "/access/users/{userid}/token/{tokenid}",
    params: {
      userid,
      tokenid,
      privsep: bool,
      comment: str,
      expire: { type: "integer", optional: true, minimum: 0 }
    },
    permissions: check(SELF_OR_USER_MODIFY),
    handler(ctx) {
      const u = userOf(ctx, ctx.params.userid ?? "");
      const name = ctx.params.tokenid ?? "";
      if (u.tokens[name]) throw die(`Token already exists.`);
      const secret = randomUUID2();
      u.tokens[name] = {
        secret,
        privsep: ctx.params.privsep !== "0",
        ...ctx.params.comment ? { comment: ctx.params.comment } : {}
      };
      return {
        "full-tokenid": `${u.userid}!${name}`,
        info: { privsep: u.tokens[name]?.privsep ? 1 : 0 },
        value: secret
      };
    }
  },
  {
    method: "DELETE",
    path: "/access/users/{userid}/token/{tokenid}",
    params: { userid, tokenid },
    permissions: check(SELF_OR_USER_MODIFY),
    handler(ctx) {
      const u = userOf(ctx, ctx.params.userid ?? "");
      delete u.tokens[ctx.params.tokenid ?? ""];
      ctx.core.state.acls = ctx.core.state.acls.filter(
        (a) => a.ugid !== `${u.userid}!${ctx.params.tokenid ?? ""}`
      );
      return null;
    }
  },
  {
    method: "GET",
    path: "/access/groups",
    params: {},
    // only groups the caller holds User.Modify, Sys.Audit or Group.Allocate on
    permissions: ALL_USERS,
    handler: /* @__PURE__ */ __name((ctx) => ctx.core.state.groups.filter(
      (g) => ["User.Modify", "Sys.Audit", "Group.Allocate"].some(
        (p) => ctx.has(`/access/groups/${g.groupid}`, p)
      )
    ).map((g) => ({
      groupid: g.groupid,
      ...g.comment ? { comment: g.comment } : {},
      ...g.members.length ? { users: [...g.members].sort().join(",") } : {}
    })), "handler")
  },
  {
    method: "POST",
    path: "/access/groups",
    params: { groupid, comment: str },
    permissions: check(perm("/access/groups", ["Group.Allocate"])),
    handler(ctx) {
      const id = ctx.params.groupid ?? "";
      if (ctx.core.state.groups.some((g) => g.groupid === id))
        throw die(`create group failed: group '${id}' already exists`);
      ctx.core.state.groups.push({
        groupid: id,
        ...ctx.params.comment ? { comment: ctx.params.comment } : {},
        members: []
      });
      return null;
    }
  },
  {
    method: "GET",
    path: "/access/acl",
    params: {},
    // entries on paths where the caller may modify permissions, or all with Sys.Audit on /access
    permissions: ALL_USERS,
    handler(ctx) {
      const audit = ctx.has("/access", "Sys.Audit");
      return ctx.core.state.acls.filter((a) => audit || canModifyPermissions(ctx.core.state, ctx.who, a.path)).map((a) => ({
        path: a.path,
        ugid: a.ugid,
        type: a.type,
        roleid: a.roleid,
        propagate: a.propagate ? 1 : 0
      }));
    }
  },
  {
    method: "PUT",
    path: "/access/acl",
    params: {
      path: { type: "string" },
      roles: { type: "string" },
      users: str,
      groups: str,
      tokens: str,
      propagate: bool,
      delete: bool
    },
    permissions: check({ test: "perm-modify", path: "{path}" }),
    handler(ctx) {
      const p = ctx.params;
      const state = ctx.core.state;
      if (!p.users && !p.groups && !p.tokens) {
        const why = "either 'users', 'groups' or 'tokens' is required.";
        throw new PveError(400, "Parameter verification failed.", {
          users: why,
          groups: why,
          tokens: why
        });
      }
      const path5 = normalizeAclPath(p.path ?? "/");
      const remove = p.delete === "1";
      const propagate = p.propagate !== "0";
      const roles = list(p.roles);
      for (const r of roles) if (!state.roles[r]) throw die(`role '${r}' does not exist`);
      checkDelegation(ctx, path5, roles, propagate, remove);
      for (const g of list(p.groups))
        if (!state.groups.some((x) => x.groupid === g)) throw die(`group '${g}' does not exist`);
      for (const u of list(p.users))
        if (!state.users.some((x) => x.userid === u)) throw die(`user '${u}' does not exist`);
      for (const t of list(p.tokens)) {
        const [owner, name] = t.split("!");
        if (!state.users.find((x) => x.userid === owner)?.tokens[name ?? ""])
          throw die(`no such token '${name ?? ""}' for user '${owner ?? ""}'`);
      }
      const subjects = [
        ...list(p.users).map((u) => ({ ugid: u, type: "user" })),
        ...list(p.tokens).map((t) => ({ ugid: t, type: "token" })),
        ...list(p.groups).map((g) => ({ ugid: g, type: "group" }))
      ];
      for (const s of subjects) {
        for (const roleid of roles) {
          state.acls = state.acls.filter(
            (a) => !(a.path === path5 && a.ugid === s.ugid && a.type === s.type && a.roleid === roleid)
          );
          if (!remove) state.acls.push({ path: path5, ugid: s.ugid, type: s.type, roleid, propagate });
        }
      }
      return null;
    }
  },
  {
    method: "GET",
    path: "/access/roles",
    params: {},
    permissions: ALL_USERS,
    handler: /* @__PURE__ */ __name((ctx) => Object.entries(ctx.core.state.roles).map(([roleid, privs]) => ({
      roleid,
      privs: privs.join(","),
      special: [
        "Administrator",
        "NoAccess",
        "PVEAdmin",
        "PVEAuditor",
        "PVEDatastoreAdmin",
        "PVEDatastoreUser",
        "PVEPoolAdmin",
        "PVEPoolUser",
        "PVESDNAdmin",
        "PVESDNUser",
        "PVESysAdmin",
        "PVETemplateUser",
        "PVEUserAdmin",
        "PVEVMAdmin",
        "PVEVMUser"
      ].includes(roleid) ? 1 : 0
    })), "handler")
  },
  {
    method: "POST",
    path: "/access/roles",
    params: { roleid: { type: "string", pattern: /^[A-Za-z0-9.\-_]+$/ }, privs: str },
    permissions: check(perm("/access", ["Sys.Modify"])),
    handler(ctx) {
      const id = ctx.params.roleid ?? "";
      if (ctx.core.state.roles[id]) throw die(`role '${id}' already exists`);
      ctx.core.state.roles[id] = list(ctx.params.privs);
      return null;
    }
  },
  {
    method: "GET",
    path: "/access/permissions",
    params: { path: str, userid: str },
    // one's own permissions (a user also those of its tokens); anyone else's with Sys.Audit on /access
    permissions: ALL_USERS,
    handler(ctx) {
      const target = ctx.params.userid;
      let who = ctx.who;
      const self = ctx.who.tokenid ?? ctx.who.userid;
      if (target && target !== self) {
        const ownToken = !ctx.who.tokenid && target.startsWith(`${ctx.who.userid}!`);
        if (!ownToken) ctx.require("/access", "Sys.Audit");
        who = target.includes("!") ? { userid: target.split("!")[0] ?? "", tokenid: target } : { userid: target };
      }
      const paths = ctx.params.path ? [ctx.params.path] : [...new Set(knownPaths(ctx))];
      const out = {};
      for (const path5 of paths) {
        const privs = privilegesOn(ctx.core.state, who, path5);
        if (privs.size > 0 || ctx.params.path)
          out[path5] = Object.fromEntries([...privs].sort().map((p) => [p, 1]));
      }
      return out;
    }
  }
];

// sim/api/qemu-params.ts
var diskKeys = {
  file: "string",
  "import-from": "string",
  size: "string",
  format: { type: "string", enum: ["raw", "cow", "qcow", "qed", "qcow2", "vmdk", "cloop"] },
  media: { type: "string", enum: ["cdrom", "disk"] },
  cache: { type: "string", enum: ["none", "writethrough", "writeback", "unsafe", "directsync"] },
  discard: { type: "string", enum: ["ignore", "on"] },
  iothread: "boolean",
  ssd: "boolean",
  backup: "boolean",
  replicate: "boolean",
  aio: { type: "string", enum: ["native", "threads", "io_uring"] },
  serial: "string",
  snapshot: "boolean",
  ro: "boolean",
  shared: "boolean",
  wwn: "string",
  mbps: "number",
  iops: "integer"
};
var disk = /* @__PURE__ */ __name((maxIndex) => ({
  type: "string",
  optional: true,
  maxIndex,
  propertyString: { defaultKey: "file", keys: diskKeys }
}), "disk");
var NET_MODELS = [
  "e1000",
  "e1000-82540em",
  "e1000-82544gc",
  "e1000-82545em",
  "e1000e",
  "i82551",
  "i82557b",
  "i82559er",
  "ne2k_isa",
  "ne2k_pci",
  "pcnet",
  "rtl8139",
  "virtio",
  "vmxnet3"
];
var net2 = {
  type: "string",
  optional: true,
  maxIndex: 31,
  propertyString: {
    flagKeys: NET_MODELS,
    keys: {
      model: { type: "string", enum: NET_MODELS },
      macaddr: "string",
      bridge: "string",
      tag: "integer",
      trunks: "string",
      firewall: "boolean",
      link_down: "boolean",
      mtu: "integer",
      queues: "integer",
      rate: "number"
    }
  }
};
var ipconfig = {
  type: "string",
  optional: true,
  maxIndex: 31,
  propertyString: {
    keys: {
      ip: { type: "string", pattern: /^(dhcp|(\d{1,3}\.){3}\d{1,3}\/\d{1,2})$/ },
      gw: { type: "string", pattern: /^(\d{1,3}\.){3}\d{1,3}$/ },
      ip6: "string",
      gw6: "string"
    }
  }
};
var qemuConfigParams = {
  acpi: bool,
  affinity: str,
  agent: {
    type: "string",
    optional: true,
    propertyString: {
      defaultKey: "enabled",
      keys: {
        enabled: "boolean",
        fstrim_cloned_disks: "boolean",
        type: { type: "string", enum: ["virtio", "isa"] },
        "freeze-fs-on-backup": "boolean",
        "guest-fsfreeze": "boolean"
      }
    }
  },
  "allow-ksm": bool,
  "amd-sev": str,
  arch: { type: "string", optional: true, enum: ["x86_64", "aarch64"] },
  args: str,
  audio0: str,
  autostart: bool,
  balloon: { type: "integer", optional: true, minimum: 0 },
  bios: { type: "string", optional: true, enum: ["seabios", "ovmf"] },
  boot: str,
  bootdisk: str,
  cdrom: str,
  cicustom: str,
  cipassword: str,
  citype: { type: "string", optional: true, enum: ["configdrive2", "nocloud", "opennebula"] },
  ciupgrade: bool,
  ciuser: str,
  cores: { type: "integer", optional: true, minimum: 1 },
  cpu: str,
  cpulimit: { type: "number", optional: true, minimum: 0, maximum: 128 },
  cpuunits: { type: "integer", optional: true, minimum: 1, maximum: 262144 },
  description: { type: "string", optional: true, maxLength: 8192 },
  efidisk0: {
    type: "string",
    optional: true,
    propertyString: {
      defaultKey: "file",
      keys: {
        file: "string",
        "import-from": "string",
        size: "string",
        format: "string",
        efitype: { type: "string", enum: ["2m", "4m"] },
        "pre-enrolled-keys": "boolean",
        "ms-cert": "string"
      }
    }
  },
  freeze: bool,
  hookscript: str,
  "hostpci[n]": { ...str, maxIndex: 15 },
  hotplug: str,
  hugepages: str,
  "ide[n]": disk(3),
  "intel-tdx": str,
  "ipconfig[n]": ipconfig,
  ivshmem: str,
  keephugepages: bool,
  keyboard: str,
  kvm: bool,
  localtime: bool,
  lock: {
    type: "string",
    optional: true,
    enum: [
      "backup",
      "clone",
      "create",
      "migrate",
      "rollback",
      "snapshot",
      "snapshot-delete",
      "suspending",
      "suspended"
    ]
  },
  machine: str,
  memory: {
    type: "string",
    optional: true,
    propertyString: { defaultKey: "current", keys: { current: "integer" } }
  },
  migrate_downtime: { type: "number", optional: true, minimum: 0 },
  migrate_speed: { type: "integer", optional: true, minimum: 0 },
  name: {
    type: "string",
    optional: true,
    pattern: /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/,
    format: "dns-name"
  },
  nameserver: str,
  "net[n]": net2,
  numa: bool,
  "numa[n]": { ...str, maxIndex: 7 },
  onboot: bool,
  ostype: {
    type: "string",
    optional: true,
    enum: [
      "other",
      "wxp",
      "w2k",
      "w2k3",
      "w2k8",
      "wvista",
      "win7",
      "win8",
      "win10",
      "win11",
      "l24",
      "l26",
      "solaris"
    ]
  },
  "parallel[n]": { ...str, maxIndex: 2 },
  protection: bool,
  reboot: bool,
  rng0: str,
  "sata[n]": disk(5),
  "scsi[n]": disk(30),
  scsihw: {
    type: "string",
    optional: true,
    enum: ["lsi", "lsi53c810", "virtio-scsi-pci", "virtio-scsi-single", "megasas", "pvscsi"]
  },
  searchdomain: str,
  "serial[n]": { type: "string", optional: true, maxIndex: 3, pattern: /^(\/dev\/.+|socket)$/ },
  shares: { type: "integer", optional: true, minimum: 0, maximum: 5e4 },
  smbios1: str,
  smp: int,
  sockets: { type: "integer", optional: true, minimum: 1 },
  spice_enhancements: str,
  sshkeys: {
    type: "string",
    optional: true,
    pattern: /^[-%a-zA-Z0-9_.!~*'()]*$/,
    format: "urlencoded"
  },
  startdate: str,
  startup: str,
  tablet: bool,
  tags: { type: "string", optional: true, pattern: /^[^,;\s]+([,;\s]+[^,;\s]+)*$|^$/ },
  tdf: bool,
  template: bool,
  tpmstate0: str,
  "unused[n]": { ...str, maxIndex: 255 },
  "usb[n]": { ...str, maxIndex: 13 },
  vcpus: { type: "integer", optional: true, minimum: 1 },
  vga: str,
  "virtio[n]": disk(15),
  "virtiofs[n]": { ...str, maxIndex: 9 },
  vmgenid: str,
  vmstatestorage: str,
  watchdog: str
};
var numericConfigKeys = new Set(
  Object.entries(qemuConfigParams).filter(([, spec]) => spec.type === "integer" || spec.type === "boolean").map(([key]) => key)
);
var DISK_KEY = /^(scsi|virtio|sata|ide|efidisk|tpmstate|unused)\d+$/;

// sim/model/vm-config.ts
import { createHash as createHash6, randomUUID as randomUUID3 } from "node:crypto";

// sim/model/volumes.ts
import { rmSync as rmSync5 } from "node:fs";
var K = 1024;
function formatSize(bytes) {
  for (const [unit, factor] of [
    ["T", K ** 4],
    ["G", K ** 3],
    ["M", K ** 2],
    ["K", K]
  ]) {
    if (bytes >= factor && bytes % factor === 0) return `${bytes / factor}${unit}`;
  }
  return `${bytes}`;
}
__name(formatSize, "formatSize");
function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)$/.exec(text);
  if (!m?.[1]) return void 0;
  const factor = { "": 1, K, M: K ** 2, G: K ** 3, T: K ** 4 }[m[2] ?? ""] ?? 1;
  return Math.round(Number(m[1]) * factor);
}
__name(parseSize, "parseSize");
function storageOf(state, id) {
  const storage = state.storages.find((s) => s.id === id);
  if (!storage) throw die(`storage '${id}' does not exist`);
  return storage;
}
__name(storageOf, "storageOf");
function findVolume(state, volid, node2) {
  return state.volumes.find((v) => v.volid === volid && (v.node === void 0 || v.node === node2));
}
__name(findVolume, "findVolume");
function isFileStorage(storage) {
  return storage.fileBased;
}
__name(isFileStorage, "isFileStorage");
function newDiskVolid(state, storage, node2, vmid2, prefix = "vm") {
  for (let n = 0; ; n++) {
    const name = `${prefix}-${vmid2}-disk-${n}`;
    const volid = isFileStorage(storage) ? `${storage.id}:${vmid2}/${name}.qcow2` : `${storage.id}:${name}`;
    const taken = state.volumes.some(
      (v) => v.storage === storage.id && (v.volid === volid || v.volid.endsWith(`/${name}`) || v.volid.endsWith(`/${name}.qcow2`)) && (storage.shared || v.node === node2)
    );
    if (!taken) return volid;
  }
}
__name(newDiskVolid, "newDiskVolid");
function cloudinitVolid(storage, vmid2) {
  return storage.fileBased ? `${storage.id}:${vmid2}/vm-${vmid2}-cloudinit.qcow2` : `${storage.id}:vm-${vmid2}-cloudinit`;
}
__name(cloudinitVolid, "cloudinitVolid");
var SUBDIRS = {
  iso: "template/iso",
  vztmpl: "template/cache",
  import: "import",
  snippets: "snippets",
  backup: "dump"
};
function storageRoot(storage) {
  if (storage.path) return storage.path;
  return storage.id === "local" ? "/var/lib/vz" : `/mnt/pve/${storage.id}`;
}
__name(storageRoot, "storageRoot");
function volumePath(storage, volid) {
  const volname = volid.slice(volid.indexOf(":") + 1);
  const parts = volname.split("/");
  const last = parts[parts.length - 1] ?? "";
  if (storage.type === "lvmthin") return `/dev/${storage.vgname ?? "pve"}/${last}`;
  if (storage.type === "zfspool") return `/dev/zvol/rpool/data/${last}`;
  if (storage.type === "rbd") return `/dev/rbd-pve/${storage.id}/${last}`;
  const subdir = SUBDIRS[parts[0] ?? ""];
  if (subdir) return `${storageRoot(storage)}/${subdir}/${parts.slice(1).join("/")}`;
  return `${storageRoot(storage)}/images/${parts.slice(-2).join("/")}`;
}
__name(volumePath, "volumePath");
function addVolume(state, volume) {
  const full = { ...volume, ctime: Math.floor(Date.now() / 1e3) };
  state.volumes.push(full);
  return full;
}
__name(addVolume, "addVolume");
function removeVolume(state, volid, node2) {
  const gone = state.volumes.filter(
    (v) => v.volid === volid && (v.node === void 0 || v.node === node2)
  );
  state.volumes = state.volumes.filter((v) => !gone.includes(v));
  for (const path5 of gone.flatMap((v) => v.hostPath ?? [])) releaseFile(state, path5);
}
__name(removeVolume, "removeVolume");
function releaseFile(state, path5) {
  if (!state.ownedFiles?.includes(path5)) return;
  if (state.volumes.some((v) => v.hostPath === path5)) return;
  state.ownedFiles = state.ownedFiles.filter((f) => f !== path5);
  rmSync5(path5, { force: true });
}
__name(releaseFile, "releaseFile");
function usedBytes(state, storage, node2) {
  return state.volumes.filter((v) => v.storage === storage.id && (storage.shared || v.node === node2)).reduce((n, v) => n + (v.parent ? Math.min(v.size, 64 * K ** 2) : v.size), 0);
}
__name(usedBytes, "usedBytes");

// sim/model/vm-config.ts
var GiB2 = 1024 ** 3;
function digestOf(config) {
  const text = Object.keys(config).sort().map((k) => `${k}: ${config[k] ?? ""}`).join("\n");
  return createHash6("sha1").update(text).digest("hex");
}
__name(digestOf, "digestOf");
function randomMac(core) {
  const byte = /* @__PURE__ */ __name(() => Math.floor(core.random() * 256).toString(16).toUpperCase().padStart(2, "0"), "byte");
  return `BC:24:11:${byte()}:${byte()}:${byte()}`;
}
__name(randomMac, "randomMac");
function withMac(core, net3, forceNew = false) {
  let model;
  let mac;
  const rest = [];
  net3.split(",").forEach((part, i) => {
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? void 0 : part.slice(eq + 1);
    if (i === 0 && NET_MODELS.includes(key)) [model, mac] = [key, value];
    else if (key === "model" && value) model = value;
    else if (key === "macaddr" && value) mac = value;
    else if (part !== "") rest.push(part);
  });
  if (!model || !NET_MODELS.includes(model)) return net3;
  return [`${model}=${mac && !forceNew ? mac : randomMac(core)}`, ...rest].join(",");
}
__name(withMac, "withMac");
function splitDisk(value) {
  const [file = "", ...rest] = value.split(",");
  const opts = {};
  for (const part of rest) {
    const eq = part.indexOf("=");
    if (eq > 0) opts[part.slice(0, eq)] = part.slice(eq + 1);
  }
  if (file.startsWith("file=")) return { file: file.slice(5), opts };
  return { file, opts };
}
__name(splitDisk, "splitDisk");
function joinDisk(file, opts) {
  return [file, ...Object.entries(opts).map(([k, v]) => `${k}=${v}`)].join(",");
}
__name(joinDisk, "joinDisk");
function configForApi(config) {
  const out = {};
  for (const [k, v] of Object.entries(config)) {
    const base = k.replace(/\d+$/, "[n]");
    out[k] = numericConfigKeys.has(k) || numericConfigKeys.has(base) ? Number(v) : k === "cipassword" ? "**********" : v;
  }
  out.digest = digestOf(config);
  return out;
}
__name(configForApi, "configForApi");
function normaliseTags(tags) {
  return [
    ...new Set(
      tags.split(/[,;\s]+/).filter(Boolean).map((t) => t.toLowerCase())
    )
  ].sort().join(";");
}
__name(normaliseTags, "normaliseTags");
function allocateDrive(core, vm, key, value, log) {
  const { file, opts } = splitDisk(value);
  const state = core.state;
  if (file === "none" || file === "cdrom" || opts.media === "cdrom" || !file.includes(":"))
    return value;
  const [storageId2 = "", rest = ""] = file.split(":");
  if (rest === "cloudinit") {
    const storage = storageOf(state, storageId2);
    if (!storage.content.includes("images"))
      throw die(`storage '${storageId2}' does not support content-type 'images'`);
    const volid = cloudinitVolid(storage, vm.vmid);
    if (!findVolume(state, volid, vm.node))
      addVolume(state, {
        volid,
        storage: storageId2,
        ...storage.shared ? {} : { node: vm.node },
        vmid: vm.vmid,
        content: "images",
        format: storage.fileBased ? "qcow2" : "raw",
        size: 4 * 1024 * 1024
      });
    log(`${key}: successfully created disk '${volid},media=cdrom'`);
    return `${volid},media=cdrom`;
  }
  if (/^\d+(\.\d+)?$/.test(rest)) {
    const storage = storageOf(state, storageId2);
    if (!storage.content.includes("images"))
      throw die(`storage '${storageId2}' does not support content-type 'images'`);
    let size = Number(rest) * GiB2;
    let hostPath;
    const importFrom = opts["import-from"];
    if (importFrom) {
      const source = findVolume(state, importFrom, vm.node);
      if (!source) throw die(`import-from: volume '${importFrom}' does not exist`);
      size = source.size;
      hostPath = source.hostPath;
      delete opts["import-from"];
    }
    const volid = newDiskVolid(state, storage, vm.node, vm.vmid);
    addVolume(state, {
      volid,
      storage: storageId2,
      ...storage.shared ? {} : { node: vm.node },
      vmid: vm.vmid,
      content: "images",
      format: storage.fileBased ? "qcow2" : "raw",
      size,
      ...hostPath ? { hostPath } : {}
    });
    log(`${key}: successfully created disk '${volid},size=${formatSize(size)}'`);
    return joinDisk(volid, { ...opts, size: formatSize(size) });
  }
  const existing = findVolume(state, file, vm.node);
  if (existing && opts.size === void 0 && DISK_KEY.test(key) && existing.content === "images")
    return joinDisk(file, { ...opts, size: formatSize(existing.size) });
  return value;
}
__name(allocateDrive, "allocateDrive");
function newSmbios() {
  return `uuid=${randomUUID3()}`;
}
__name(newSmbios, "newSmbios");
function diskSize(value) {
  const size = splitDisk(value).opts.size;
  return size ? parseSize(size) : void 0;
}
__name(diskSize, "diskSize");

// sim/routes/guest-power.ts
function bootImage(core, vm) {
  const guests = core.guests;
  if (!guests) return void 0;
  const disks = Object.keys(vm.config).filter(
    (k) => DISK_KEY.test(k) && !k.startsWith("unused") && !vm.config[k]?.includes("media=cdrom")
  );
  const order = (/order=([^,]+)/.exec(vm.config.boot ?? "")?.[1] ?? "").split(";");
  const keys = [
    ...order.filter((k) => disks.includes(k)),
    ...disks.filter((k) => !order.includes(k)).sort()
  ];
  for (const key of keys) {
    const volume = findVolume(core.state, splitDisk(vm.config[key] ?? "").file, vm.node);
    const image = volume?.hostPath ?? (volume?.parent ? findVolume(core.state, volume.parent, vm.node)?.hostPath : void 0);
    if (guests.bootable(image)) return image;
  }
  return void 0;
}
__name(bootImage, "bootImage");
function isRealGuest(core, vmid2) {
  return core.guests?.running(vmid2) !== void 0;
}
__name(isRealGuest, "isRealGuest");
async function startGuest(core, vm, log) {
  const image = bootImage(core, vm);
  if (!image || !core.guests) return;
  const info = await core.guests.start(vm.vmid, vm.config, image);
  log(`guest: systemd-nspawn pid ${info.pid}, console log ${info.consoleLog}`);
  if (info.limits.notEnforced.length > 0)
    log(`guest: limits not enforced by this host: ${info.limits.notEnforced.join("; ")}`);
}
__name(startGuest, "startGuest");
async function realAgentCommand(ctx, vm, command, args) {
  try {
    return await ctx.core.guests?.agent(vm.vmid, command, args);
  } catch (error) {
    if (error instanceof AgentUnavailable && error.reason === "not-running")
      throw die("QEMU guest agent is not running");
    if (error instanceof AgentUnavailable)
      throw die(`VM ${vm.vmid} qmp command '${command}' failed - got timeout`);
    if (error instanceof AgentCommandError)
      throw die(`VM ${vm.vmid} qmp command '${command}' failed - ${error.message}`);
    throw error;
  }
}
__name(realAgentCommand, "realAgentCommand");

// sim/routes/agent.ts
function readyVm(ctx, command) {
  const vm = ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid));
  if (!/^(1|enabled=1|enabled=on|on|yes)(,|$)/.test(vm.config.agent ?? "0"))
    throw die("No QEMU guest agent configured");
  if (vm.status !== "running") throw die(`VM ${vm.vmid} is not running`);
  if (isRealGuest(ctx.core, vm.vmid)) return vm;
  if (bootImage(ctx.core, vm)) throw die("QEMU guest agent is not running");
  const readyAt = vm.agentReadyAt ?? 0;
  if (Date.now() < readyAt) {
    throw die(
      Date.now() < readyAt - 2e3 ? "QEMU guest agent is not running" : `VM ${vm.vmid} qmp command '${command}' failed - got timeout`
    );
  }
  return vm;
}
__name(readyVm, "readyVm");
function guestAddress(vm) {
  const m = /ip=(\d+\.\d+\.\d+\.\d+)\/(\d+)/.exec(vm.config.ipconfig0 ?? "");
  if (m?.[1] && m[2]) return { ip: m[1], prefix: Number(m[2]) };
  return { ip: `10.0.20.${100 + vm.vmid % 100}`, prefix: 24 };
}
__name(guestAddress, "guestAddress");
function simulatedInterfaces(vm) {
  const mac = (/=([0-9A-F:]{17})/i.exec(vm.config.net0 ?? "")?.[1] ?? "BC:24:11:00:00:01").toLowerCase();
  const { ip, prefix } = guestAddress(vm);
  return [
    {
      name: "lo",
      "hardware-address": "00:00:00:00:00:00",
      "ip-addresses": [
        { "ip-address": "127.0.0.1", "ip-address-type": "ipv4", prefix: 8 },
        { "ip-address": "::1", "ip-address-type": "ipv6", prefix: 128 }
      ],
      statistics: {}
    },
    {
      name: "eth0",
      "hardware-address": mac,
      "ip-addresses": [{ "ip-address": ip, "ip-address-type": "ipv4", prefix }],
      statistics: {}
    }
  ];
}
__name(simulatedInterfaces, "simulatedInterfaces");
var SIMULATED_OSINFO = {
  id: "ubuntu",
  name: "Ubuntu",
  "pretty-name": "Ubuntu 24.04 LTS",
  version: "24.04 LTS (Noble Numbat)",
  "version-id": "24.04",
  "kernel-release": "6.8.0-45-generic",
  "kernel-version": "#45-Ubuntu SMP PREEMPT_DYNAMIC",
  machine: "x86_64"
};
var AGENT = check(
  perm("/vms/{vmid}", ["VM.GuestAgent.Audit", "VM.GuestAgent.Unrestricted"], { any: true })
);
function agentRoute(method, name, simulated) {
  return {
    method,
    path: `/nodes/{node}/qemu/{vmid}/agent/${name}`,
    params: { node, vmid },
    permissions: AGENT,
    proxied: true,
    async handler(ctx) {
      const command = `guest-${name}`;
      const vm = readyVm(ctx, command);
      if (isRealGuest(ctx.core, vm.vmid))
        return { result: await realAgentCommand(ctx, vm, command) };
      return { result: simulated(vm) };
    }
  };
}
__name(agentRoute, "agentRoute");
var agentRoutes = [
  agentRoute("POST", "ping", () => ({})),
  agentRoute("GET", "network-get-interfaces", simulatedInterfaces),
  agentRoute("GET", "get-osinfo", () => SIMULATED_OSINFO)
];

// sim/routes/vm-task.ts
var FALLBACK_DURATION_MS = 1e3;
function startVmTask(ctx, vm, type, spec) {
  const { durationMs, ...rest } = spec;
  return ctx.core.startTask({
    ...rest,
    node: vm.node,
    type,
    id: String(vm.vmid),
    who: ctx.who,
    durationMs: durationMs ?? TASK_DURATIONS_MS[type] ?? FALLBACK_DURATION_MS
  });
}
__name(startVmTask, "startVmTask");

// sim/routes/skiplock.ts
function refuseSkiplockUnlessRoot(ctx) {
  if (ctx.params.skiplock === "1" && (ctx.who.userid !== "root@pam" || ctx.who.tokenid)) {
    throw new PveError(400, "Parameter verification failed.", {
      skiplock: "Only root may use this option."
    });
  }
}
__name(refuseSkiplockUnlessRoot, "refuseSkiplockUnlessRoot");

// sim/routes/qemu-config.ts
var CONTROL = /* @__PURE__ */ new Set([
  "node",
  "vmid",
  "digest",
  "delete",
  "revert",
  "skiplock",
  "force",
  "background_delay"
]);
var HOTPLUG = /^(name|description|tags|onboot|protection|net\d+|scsi\d+|virtio\d+|unused\d+|lock|startup|agent)$/;
function privilegesFor(key) {
  if (/^(scsi|virtio|sata|ide|efidisk|tpmstate|unused)\d+$/.test(key))
    return key.startsWith("ide") ? "VM.Config.CDROM|VM.Config.Disk" : "VM.Config.Disk";
  if (/^net\d+$/.test(key)) return "VM.Config.Network";
  if (/^(ipconfig\d+|ciuser|cipassword|sshkeys|nameserver|searchdomain|citype|ciupgrade|cicustom)$/.test(
    key
  ))
    return "VM.Config.Cloudinit";
  if (/^(cores|sockets|cpu|cpulimit|cpuunits|vcpus|numa|affinity)$/.test(key))
    return "VM.Config.CPU";
  if (/^(memory|balloon|shares)$/.test(key)) return "VM.Config.Memory";
  if (/^(machine|bios|scsihw|vga|serial\d+|usb\d+|hostpci\d+|audio0|rng0|tablet|keyboard|kvm|acpi|boot|bootdisk|arch|ostype)$/.test(
    key
  ))
    return "VM.Config.HWType|VM.Config.Options";
  return "VM.Config.Options";
}
__name(privilegesFor, "privilegesFor");
function applyConfigChange(core, ctx, vm, log) {
  const p = ctx.params;
  if (p.digest && p.digest !== digestOf(vm.config))
    throw die("checksum mismatch (file change by other user?)");
  if (vm.config.lock && p.skiplock !== "1") throw die(`VM is locked (${vm.config.lock})`);
  const changes = Object.entries(p).filter(([k]) => !CONTROL.has(k));
  const deletes = (p.delete ?? "").split(/[,;\s]+/).filter(Boolean);
  if (changes.length === 0 && deletes.length === 0 && !p.revert) throw die("no options specified");
  for (const [key] of changes) ctx.require(`/vms/${vm.vmid}`, ...privilegesFor(key).split("|"));
  for (const key of deletes) ctx.require(`/vms/${vm.vmid}`, ...privilegesFor(key).split("|"));
  const running = vm.status === "running";
  for (const key of deletes) {
    if (vm.config[key] === void 0 && vm.pending[key] === void 0) {
      log(`WARN: cannot delete '${key}' - not set in current configuration!`);
      continue;
    }
    if (running && !HOTPLUG.test(key)) {
      vm.pendingDelete.push(key);
      continue;
    }
    dropKey(core, vm, key, p.force === "1");
  }
  for (const [key, raw] of changes) {
    let value = raw;
    if (key === "tags") value = normaliseTags(raw);
    if (/^net\d+$/.test(key)) value = withMac(core, raw);
    if (DISK_KEY.test(key) && key !== "unused0") {
      requireDriveStorage(ctx, value);
      if (vm.config[key] && vm.config[key] !== value && !running)
        detachIfReplaced(core, vm, key, value);
      value = allocateDrive(core, vm, key, value, log);
    }
    if (running && !HOTPLUG.test(key)) vm.pending[key] = value;
    else vm.config[key] = value;
  }
}
__name(applyConfigChange, "applyConfigChange");
var NEW_VOLUME = /^([^:]+):(cloudinit|\d+(\.\d+)?)$/;
function configStorageOps(core, vm, params) {
  const ops = [];
  const storageNamed = /* @__PURE__ */ __name((id) => core.state.storages.find((s) => s.id === id), "storageNamed");
  for (const key of (params.delete ?? "").split(/[,;\s]+/).filter(Boolean)) {
    const volid = (vm.config[key] ?? "").split(",")[0] ?? "";
    const storage = volid.includes("cloudinit") ? storageNamed(volid.split(":")[0] ?? "") : void 0;
    if (storage)
      ops.push({ lock: storageLockName(storage, vm.node), holdMs: STORAGE_LOCK_HOLD_MS.free });
  }
  for (const [key, value] of Object.entries(params)) {
    if (CONTROL.has(key) || !DISK_KEY.test(key) || value === void 0) continue;
    const m = NEW_VOLUME.exec(splitDisk(value).file);
    const storage = m?.[1] ? storageNamed(m[1]) : void 0;
    if (storage)
      ops.push({ lock: storageLockName(storage, vm.node), holdMs: STORAGE_LOCK_HOLD_MS.alloc });
  }
  return ops;
}
__name(configStorageOps, "configStorageOps");
function requireDriveStorage(ctx, value) {
  const m = NEW_VOLUME.exec(splitDisk(value).file);
  if (!m?.[1]) return;
  ctx.require(`/storage/${m[1]}`, "Datastore.AllocateSpace");
  const storage = ctx.core.state.storages.find((s) => s.id === m[1]);
  if (m[2] !== "cloudinit" && storage && !storage.content.includes("images")) {
    throw new PveError(400, "Parameter verification failed.", {
      storage: `storage '${storage.id}' does not support vm images`
    });
  }
}
__name(requireDriveStorage, "requireDriveStorage");
function dropKey(core, vm, key, force) {
  const value = vm.config[key];
  delete vm.config[key];
  delete vm.pending[key];
  if (!value || !DISK_KEY.test(key)) return;
  const volid = value.split(",")[0] ?? "";
  if (volid.includes("cloudinit") || force || key.startsWith("unused")) {
    removeVolume(core.state, volid, vm.node);
    return;
  }
  if (value.includes("media=cdrom")) return;
  for (let n = 0; ; n++) {
    if (vm.config[`unused${n}`] === void 0) {
      vm.config[`unused${n}`] = volid;
      return;
    }
  }
}
__name(dropKey, "dropKey");
function detachIfReplaced(core, vm, key, next) {
  const current = (vm.config[key] ?? "").split(",")[0];
  const wanted = next.split(",")[0];
  if (current && wanted && current !== wanted && /:(cloudinit|\d+)$/.test(wanted))
    dropKey(core, vm, key, false);
}
__name(detachIfReplaced, "detachIfReplaced");
var configParams = {
  node,
  vmid,
  ...qemuConfigParams,
  delete: str,
  digest: { type: "string", optional: true, maxLength: 64 },
  force: bool,
  revert: str,
  skiplock: bool
};
var ANY_CONFIG_PRIVILEGE = check(
  perm(
    "/vms/{vmid}",
    [
      "VM.Config.Disk",
      "VM.Config.CDROM",
      "VM.Config.CPU",
      "VM.Config.Memory",
      "VM.Config.Network",
      "VM.Config.HWType",
      "VM.Config.Options",
      "VM.Config.Cloudinit"
    ],
    { any: true }
  )
);
var qemuConfigRoutes = [
  {
    method: "GET",
    path: "/nodes/{node}/qemu/{vmid}/config",
    params: { node, vmid, current: bool, snapshot: str },
    permissions: check(perm("/vms/{vmid}", ["VM.Audit"])),
    handler(ctx) {
      const vm = ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid));
      const merged = ctx.params.current === "1" ? { ...vm.config } : { ...vm.config, ...vm.pending };
      if (ctx.params.current !== "1") for (const k of vm.pendingDelete) delete merged[k];
      const out = configForApi(merged);
      out.digest = digestOf(vm.config);
      return out;
    }
  },
  {
    method: "GET",
    path: "/nodes/{node}/qemu/{vmid}/pending",
    params: { node, vmid },
    permissions: check(perm("/vms/{vmid}", ["VM.Audit"])),
    handler(ctx) {
      const vm = ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid));
      const keys = /* @__PURE__ */ new Set([
        ...Object.keys(vm.config),
        ...Object.keys(vm.pending),
        ...vm.pendingDelete
      ]);
      return [...keys].sort().map((key) => ({
        key,
        ...vm.config[key] !== void 0 ? { value: vm.config[key] } : {},
        ...vm.pending[key] !== void 0 ? { pending: vm.pending[key] } : {},
        ...vm.pendingDelete.includes(key) ? { delete: 1 } : {}
      }));
    }
  },
  {
    method: "PUT",
    path: "/nodes/{node}/qemu/{vmid}/config",
    params: configParams,
    permissions: ANY_CONFIG_PRIVILEGE,
    async handler(ctx) {
      refuseSkiplockUnlessRoot(ctx);
      const vm = ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid));
      await ctx.core.withStorageOps(configStorageOps(ctx.core, vm, ctx.params));
      const warnings = [];
      applyConfigChange(ctx.core, ctx, vm, (l) => warnings.push(l));
      return null;
    }
  },
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/config",
    params: {
      ...configParams,
      background_delay: { type: "integer", optional: true, minimum: 1, maximum: 30 }
    },
    permissions: ANY_CONFIG_PRIVILEGE,
    handler(ctx) {
      refuseSkiplockUnlessRoot(ctx);
      const vm = ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid));
      if (ctx.params.digest && ctx.params.digest !== digestOf(vm.config))
        throw die("checksum mismatch (file change by other user?)");
      if (vm.config.lock && ctx.params.skiplock !== "1")
        throw die(`VM is locked (${vm.config.lock})`);
      return startVmTask(ctx, vm, "qmconfig", {
        faultable: "lock",
        storageOps: configStorageOps(ctx.core, vm, ctx.params),
        run: /* @__PURE__ */ __name((log) => applyConfigChange(ctx.core, ctx, vm, log), "run")
      });
    }
  }
];

// sim/routes/qemu-lifecycle.ts
var createParams = {
  node,
  vmid,
  ...qemuConfigParams,
  pool: str,
  start: bool,
  unique: bool,
  storage: str,
  archive: str,
  force: bool,
  "live-restore": bool,
  bwlimit: { type: "integer", optional: true, minimum: 0 },
  "import-working-storage": str
};
delete createParams.delete;
function vmSummary(vm) {
  const maxdisk = Object.entries(vm.config).filter(([k, v]) => DISK_KEY.test(k) && !k.startsWith("unused") && !v.includes("media=cdrom")).reduce((n, [, v]) => n + (diskSize(v) ?? 0), 0);
  const memory = Number((vm.config.memory ?? "512").replace(/^current=/, ""));
  return {
    vmid: vm.vmid,
    name: vm.config.name ?? `VM ${vm.vmid}`,
    status: vm.status,
    maxmem: memory * 1024 * 1024,
    maxdisk,
    cpus: Number(vm.config.cores ?? 1) * Number(vm.config.sockets ?? 1),
    uptime: vm.startedAt ? Math.floor((Date.now() - vm.startedAt) / 1e3) : 0,
    mem: vm.status === "running" ? Math.floor(memory * 1024 * 1024 * 0.4) : 0,
    cpu: vm.status === "running" ? 0.02 : 0,
    disk: 0,
    netin: 0,
    netout: 0,
    diskread: 0,
    diskwrite: 0,
    ...vm.config.template === "1" ? { template: 1 } : {},
    ...vm.config.tags ? { tags: vm.config.tags } : {},
    ...vm.config.lock ? { lock: vm.config.lock } : {}
  };
}
__name(vmSummary, "vmSummary");
var qemuLifecycleRoutes = [
  {
    method: "GET",
    path: "/nodes/{node}/qemu",
    params: { node, full: bool },
    // the list holds only VMs with VM.Audit
    permissions: ALL_USERS,
    handler(ctx) {
      const nodeName = ctx.params.node ?? "";
      ctx.core.node(nodeName);
      return ctx.core.state.vms.filter((v) => v.node === nodeName && ctx.has(`/vms/${v.vmid}`, "VM.Audit")).map(vmSummary);
    }
  },
  {
    method: "GET",
    path: "/nodes/{node}/qemu/{vmid}",
    params: { node, vmid },
    permissions: ALL_USERS,
    handler(ctx) {
      ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid));
      return [
        "config",
        "pending",
        "status",
        "agent",
        "clone",
        "template",
        "resize",
        "cloudinit"
      ].map((subdir) => ({ subdir }));
    }
  },
  {
    method: "POST",
    path: "/nodes/{node}/qemu",
    params: createParams,
    // VM.Allocate, storage and SDN rights are checked in the handler, as Proxmox does
    permissions: ALL_USERS,
    handler(ctx) {
      const { core, params: p } = ctx;
      const nodeName = p.node ?? "";
      core.node(nodeName);
      const id = Number(p.vmid);
      ctx.require(p.pool ? `/pool/${p.pool}` : `/vms/${id}`, "VM.Allocate");
      for (const [k, v] of Object.entries(p)) {
        if (DISK_KEY.test(k)) requireDriveStorage(ctx, v);
        if (/^net\d+$/.test(k)) {
          const bridge = /bridge=([^,]+)/.exec(v)?.[1];
          if (bridge) ctx.require(`/sdn/zones/localnetwork/${bridge}`, "SDN.Use");
        }
      }
      const existing = core.findVm(id);
      if (existing)
        throw die(`unable to create VM ${id} - VM ${id} already exists on node '${existing.node}'`);
      if (p.pool && !core.state.pools.some((x) => x.poolid === p.pool))
        throw die(`no such pool '${p.pool}'`);
      const vm = {
        vmid: id,
        node: nodeName,
        config: { lock: "create" },
        pending: {},
        pendingDelete: [],
        status: "stopped"
      };
      core.state.vms.push(vm);
      const skip = /* @__PURE__ */ new Set([
        "node",
        "vmid",
        "pool",
        "start",
        "unique",
        "storage",
        "archive",
        "force",
        "live-restore",
        "bwlimit",
        "import-working-storage"
      ]);
      const options = Object.entries(p).filter(([k]) => !skip.has(k));
      const hasImport = options.some(([, v]) => v.includes("import-from="));
      return startVmTask(ctx, { node: nodeName, vmid: id }, "qmcreate", {
        // without an import the create only writes a config file
        durationMs: hasImport ? void 0 : 1e3,
        faultable: "storage",
        run(log) {
          const config = {};
          for (const [key, raw] of options) {
            let value = raw;
            if (key === "tags") value = normaliseTags(raw);
            if (/^net\d+$/.test(key)) value = withMac(core, raw);
            if (DISK_KEY.test(key)) value = allocateDrive(core, vm, key, raw, log);
            config[key] = value;
          }
          config.smbios1 ??= newSmbios();
          config.vmgenid ??= crypto.randomUUID();
          config.meta = `creation-qemu=9.2.0,ctime=${Math.floor(Date.now() / 1e3)}`;
          vm.config = config;
          if (p.pool) core.state.pools.find((x) => x.poolid === p.pool)?.vmids.push(id);
          if (p.start === "1") {
            vm.status = "running";
            vm.startedAt = Date.now();
          }
        },
        onFail() {
          core.state.volumes = core.state.volumes.filter((v) => v.vmid !== id);
          core.state.vms = core.state.vms.filter((v) => v !== vm);
        }
      });
    }
  },
  {
    method: "DELETE",
    path: "/nodes/{node}/qemu/{vmid}",
    params: { node, vmid, purge: bool, "destroy-unreferenced-disks": bool, skiplock: bool },
    proxied: true,
    permissions: check(perm("/vms/{vmid}", ["VM.Allocate"])),
    handler(ctx) {
      const { core, params: p } = ctx;
      refuseSkiplockUnlessRoot(ctx);
      const vm = core.vm(p.node ?? "", Number(p.vmid));
      if (vm.config.protection === "1")
        throw die(`can't remove VM ${vm.vmid} - protection mode enabled`);
      const sid = `vm:${vm.vmid}`;
      if (core.state.ha.some((h) => h.sid === sid) && p.purge !== "1")
        throw die(
          `unable to remove VM ${vm.vmid} - used in HA resources and purge parameter not set.`
        );
      if (vm.status === "running") throw die(`VM ${vm.vmid} is running - destroy failed`);
      return startVmTask(ctx, vm, "qmdestroy", {
        faultable: "lock",
        async run(log) {
          if (vm.config.lock && p.skiplock !== "1")
            throw new Error(`VM is locked (${vm.config.lock})`);
          const own = Object.entries(vm.config).filter(([k]) => DISK_KEY.test(k)).map(([, v]) => splitDisk(v).file);
          const volumes = core.state.volumes.filter(
            (v) => v.vmid === vm.vmid && (v.node === void 0 || v.node === vm.node)
          );
          for (const volume of volumes) {
            const clones = core.state.volumes.filter((v) => v.parent === volume.volid);
            if (clones.length > 0)
              throw new Error(`base volume '${volume.volid}' is still in use by linked cloned VM`);
          }
          for (const volume of volumes) {
            if (own.includes(volume.volid) || p["destroy-unreferenced-disks"] !== "0") {
              removeVolume(core.state, volume.volid, vm.node);
              log(`Removing image: 100% complete...done.`);
            }
          }
          await core.guests?.destroy(vm.vmid);
          core.state.vms = core.state.vms.filter((v) => v !== vm);
          for (const pool2 of core.state.pools)
            pool2.vmids = pool2.vmids.filter((id) => id !== vm.vmid);
          core.state.acls = core.state.acls.filter((a) => a.path !== `/vms/${vm.vmid}`);
          if (p.purge === "1") core.state.ha = core.state.ha.filter((h) => h.sid !== sid);
        }
      });
    }
  }
];

// sim/routes/cluster.ts
var clusterRoutes = [
  {
    method: "GET",
    path: "/version",
    params: {},
    permissions: ALL_USERS,
    // repoid: a real node reports its pve-manager commit (hex); "pve-sim" tells pve-kube's simulated
    // steps they may run here, and can never be reported by a real Proxmox
    handler: /* @__PURE__ */ __name(() => ({ version: "9.1.1", release: "9.1", repoid: "pve-sim" }), "handler")
  },
  {
    method: "GET",
    path: "/cluster/resources",
    params: {
      type: {
        type: "string",
        optional: true,
        enum: ["vm", "storage", "node", "sdn"]
      }
    },
    permissions: ALL_USERS,
    handler(ctx) {
      const { core } = ctx;
      const type = ctx.params.type;
      const out = [];
      if (!type || type === "vm") {
        for (const vm of core.state.vms) {
          if (!ctx.has(`/vms/${vm.vmid}`, "VM.Audit")) continue;
          const pool2 = core.state.pools.find((p) => p.vmids.includes(vm.vmid))?.poolid;
          if (core.isOffline(vm.node)) {
            out.push({
              id: `qemu/${vm.vmid}`,
              type: "qemu",
              vmid: vm.vmid,
              node: vm.node,
              status: "unknown",
              ...vm.config.name ? { name: vm.config.name } : {},
              template: vm.config.template === "1" ? 1 : 0
            });
            continue;
          }
          out.push({
            id: `qemu/${vm.vmid}`,
            type: "qemu",
            node: vm.node,
            template: vm.config.template === "1" ? 1 : 0,
            maxcpu: vmSummary(vm).cpus,
            ...vmSummary(vm),
            ...pool2 ? { pool: pool2 } : {},
            ...core.state.ha.some((h) => h.sid === `vm:${vm.vmid}`) ? { hastate: "started" } : {}
          });
        }
      }
      if (!type || type === "node") {
        for (const node2 of core.state.nodes) {
          if (!ctx.has(`/nodes/${node2.name}`, "Sys.Audit")) continue;
          const online = node2.online && !core.isOffline(node2.name);
          out.push({
            id: `node/${node2.name}`,
            type: "node",
            node: node2.name,
            status: online ? "online" : "offline",
            maxcpu: node2.maxcpu,
            maxmem: node2.maxmem,
            maxdisk: node2.maxdisk,
            ...online ? { cpu: 0.05, mem: 8 * 1024 ** 3, disk: 10 * 1024 ** 3, uptime: 86400 } : {},
            level: ""
          });
        }
      }
      if (!type || type === "storage") {
        for (const node2 of core.state.nodes) {
          for (const s of core.state.storages) {
            if (!ctx.has(`/storage/${s.id}`, "Datastore.Audit") && !ctx.has(`/storage/${s.id}`, "Datastore.AllocateSpace"))
              continue;
            out.push({
              id: `storage/${node2.name}/${s.id}`,
              type: "storage",
              node: node2.name,
              storage: s.id,
              plugintype: s.type,
              content: s.content.join(","),
              shared: s.shared ? 1 : 0,
              status: core.isOffline(node2.name) ? "unknown" : "available",
              maxdisk: s.total,
              disk: usedBytes(core.state, s, node2.name)
            });
          }
        }
      }
      return out;
    }
  },
  {
    method: "GET",
    path: "/cluster/nextid",
    params: { vmid: optional(vmid) },
    permissions: ALL_USERS,
    handler(ctx) {
      const taken = new Set(ctx.core.state.vms.map((v) => v.vmid));
      if (ctx.params.vmid !== void 0) {
        const id2 = Number(ctx.params.vmid);
        if (taken.has(id2))
          throw new PveError(400, "Parameter verification failed.", {
            vmid: `VM ${id2} already exists`
          });
        return String(id2);
      }
      let id = 100;
      while (taken.has(id)) id++;
      return String(id);
    }
  },
  {
    method: "GET",
    path: "/cluster/status",
    params: {},
    permissions: check(perm("/", ["Sys.Audit"])),
    handler: /* @__PURE__ */ __name((ctx) => [
      {
        id: "cluster",
        type: "cluster",
        name: ctx.core.state.clusterName,
        nodes: ctx.core.state.nodes.length,
        quorate: 1,
        version: 3
      },
      ...ctx.core.state.nodes.map((n, i) => ({
        id: `node/${n.name}`,
        type: "node",
        name: n.name,
        nodeid: i + 1,
        online: n.online && !ctx.core.isOffline(n.name) ? 1 : 0,
        local: i === 0 ? 1 : 0,
        ip: `10.0.20.${2 + i}`,
        level: ""
      }))
    ], "handler")
  },
  {
    method: "GET",
    path: "/cluster/ha/resources",
    params: { type: { type: "string", optional: true, enum: ["ct", "vm"] } },
    permissions: check(perm("/", ["Sys.Audit"])),
    handler(ctx) {
      return ctx.core.state.ha.map((h) => ({
        sid: h.sid,
        type: "vm",
        state: h.state,
        ...h.comment ? { comment: h.comment } : {},
        digest: "0"
      }));
    }
  },
  {
    method: "POST",
    path: "/cluster/ha/resources",
    params: {
      sid: { type: "string", pattern: /^((vm|ct):)?\d+$/ },
      state: {
        type: "string",
        optional: true,
        enum: ["started", "stopped", "enabled", "disabled", "ignored"]
      },
      comment: str,
      max_restart: { type: "integer", optional: true, minimum: 0, maximum: 10 },
      max_relocate: { type: "integer", optional: true, minimum: 0, maximum: 10 },
      failback: bool,
      type: { type: "string", optional: true, enum: ["ct", "vm"] },
      group: str
    },
    permissions: check(perm("/", ["Sys.Console"])),
    handler(ctx) {
      const raw = ctx.params.sid ?? "";
      const sid = raw.includes(":") ? raw : `vm:${raw}`;
      if (ctx.core.state.ha.some((h) => h.sid === sid))
        throw die(`create resource failed: resource ID '${sid}' already defined`);
      if (!ctx.core.findVm(Number(sid.split(":")[1])))
        throw die(`unable to find VM ${sid.split(":")[1] ?? ""}`);
      ctx.core.state.ha.push({
        sid,
        state: ctx.params.state ?? "started",
        ...ctx.params.comment ? { comment: ctx.params.comment } : {}
      });
      return null;
    }
  },
  {
    method: "DELETE",
    path: "/cluster/ha/resources/{sid}",
    params: { sid: { type: "string" }, purge: bool },
    permissions: check(perm("/", ["Sys.Console"])),
    handler(ctx) {
      const raw = ctx.params.sid ?? "";
      const sid = raw.includes(":") ? raw : `vm:${raw}`;
      if (!ctx.core.state.ha.some((h) => h.sid === sid)) throw die(`no such resource '${sid}'`);
      ctx.core.state.ha = ctx.core.state.ha.filter((h) => h.sid !== sid);
      return null;
    }
  }
];

// sim/routes/nodes.ts
var upid = { type: "string", maxLength: 256 };
function ownsTask(task, who) {
  const caller = who.tokenid ?? who.userid;
  if (task.tokenid) return caller === `${task.user}!${task.tokenid}` || caller === task.user;
  return caller === task.user;
}
__name(ownsTask, "ownsTask");
function findTask(ctx, privilege = "Sys.Audit") {
  const task = ctx.core.state.tasks.find(
    (t) => t.upid === ctx.params.upid && t.node === ctx.params.node
  );
  if (!task) throw new PveError(400, "Parameter verification failed.", { upid: "no such task" });
  if (!ownsTask(task, ctx.who)) ctx.require(`/nodes/${task.node}`, privilege);
  return task;
}
__name(findTask, "findTask");
var nodeRoutes = [
  {
    method: "GET",
    path: "/nodes",
    params: {},
    permissions: ALL_USERS,
    handler: /* @__PURE__ */ __name((ctx) => ctx.core.state.nodes.map((n) => {
      const online = n.online && !ctx.core.isOffline(n.name);
      return {
        id: `node/${n.name}`,
        type: "node",
        node: n.name,
        status: online ? "online" : "offline",
        ...online ? {
          cpu: 0.05,
          maxcpu: n.maxcpu,
          mem: 8 * 1024 ** 3,
          maxmem: n.maxmem,
          disk: 10 * 1024 ** 3,
          maxdisk: n.maxdisk,
          uptime: 86400
        } : {},
        level: "",
        ssl_fingerprint: ctx.core.certFingerprint
      };
    }), "handler")
  },
  {
    method: "GET",
    path: "/nodes/{node}/status",
    params: { node },
    proxied: true,
    permissions: check(perm("/nodes/{node}", ["Sys.Audit"])),
    handler(ctx) {
      const n = ctx.core.node(ctx.params.node ?? "");
      return {
        cpu: 0.05,
        cpuinfo: {
          cpus: n.maxcpu,
          cores: n.maxcpu / 2,
          sockets: 1,
          model: "pve-sim virtual CPU",
          mhz: "2400.000",
          hvm: "1"
        },
        memory: { total: n.maxmem, used: 8 * 1024 ** 3, free: n.maxmem - 8 * 1024 ** 3 },
        rootfs: {
          total: n.maxdisk,
          used: 10 * 1024 ** 3,
          avail: n.maxdisk - 10 * 1024 ** 3,
          free: n.maxdisk - 10 * 1024 ** 3
        },
        uptime: 86400,
        pveversion: "pve-manager/9.1.1/42f0a1c6d3e59b27",
        kversion: "Linux 6.14.8-2-pve #1 SMP PREEMPT_DYNAMIC PMX 6.14.8-2 x86_64",
        loadavg: ["0.10", "0.12", "0.09"]
      };
    }
  },
  {
    method: "GET",
    path: "/nodes/{node}/network",
    params: {
      node,
      type: {
        type: "string",
        optional: true,
        enum: [
          "bridge",
          "bond",
          "eth",
          "alias",
          "vlan",
          "fabric",
          "OVSBridge",
          "OVSBond",
          "OVSPort",
          "OVSIntPort",
          "vnet",
          "any_bridge",
          "any_local_bridge",
          "include_sdn"
        ]
      }
    },
    proxied: true,
    // Proxmox lets every authenticated user list a node's interfaces
    permissions: ALL_USERS,
    handler(ctx) {
      const n = ctx.core.node(ctx.params.node ?? "");
      const type = ctx.params.type;
      const bridges = n.bridges.map((b) => ({
        iface: b.iface,
        type: "bridge",
        active: 1,
        autostart: 1,
        bridge_ports: "eno1",
        bridge_stp: "off",
        bridge_fd: "0",
        ...b.vlanAware ? { bridge_vlan_aware: 1 } : {},
        ...b.cidr ? {
          cidr: b.cidr,
          address: b.cidr.split("/")[0],
          netmask: b.cidr.split("/")[1],
          method: "static"
        } : { method: "manual" },
        families: ["inet"],
        priority: 3
      }));
      const eth = [
        {
          iface: "eno1",
          type: "eth",
          active: 1,
          autostart: 0,
          method: "manual",
          families: ["inet"],
          priority: 1
        }
      ];
      if (type === "bridge" || type === "any_bridge" || type === "any_local_bridge") return bridges;
      if (type === "eth") return eth;
      return [...eth, ...bridges];
    }
  },
  {
    method: "GET",
    path: "/nodes/{node}/tasks",
    permissions: ALL_USERS,
    params: {
      node,
      errors: bool,
      limit: { type: "integer", optional: true, minimum: 0 },
      start: { type: "integer", optional: true, minimum: 0 },
      userfilter: str,
      typefilter: str,
      vmid: { type: "integer", optional: true, minimum: 100 },
      source: { type: "string", optional: true, enum: ["archive", "active", "all"] },
      since: { type: "integer", optional: true },
      until: { type: "integer", optional: true },
      statusfilter: str
    },
    handler(ctx) {
      const n = ctx.core.node(ctx.params.node ?? "");
      const p = ctx.params;
      let tasks = ctx.core.state.tasks.filter((t) => t.node === n.name);
      if (!ctx.has(`/nodes/${n.name}`, "Sys.Audit"))
        tasks = tasks.filter((t) => ownsTask(t, ctx.who));
      if (p.typefilter) tasks = tasks.filter((t) => t.type === p.typefilter);
      if (p.vmid) tasks = tasks.filter((t) => t.id === p.vmid);
      if (p.errors === "1") tasks = tasks.filter((t) => t.exitstatus && t.exitstatus !== "OK");
      if (p.source === "active") tasks = tasks.filter((t) => t.status === "running");
      const start = Number(p.start ?? 0);
      const limit = Number(p.limit ?? 50);
      return [...tasks].reverse().slice(start, start + limit).map((t) => ({
        upid: t.upid,
        node: t.node,
        pid: t.pid,
        pstart: t.pstart,
        starttime: t.starttime,
        type: t.type,
        id: t.id,
        user: t.user,
        ...t.endtime ? { endtime: t.endtime, status: t.exitstatus } : {}
      }));
    }
  },
  {
    method: "GET",
    path: "/nodes/{node}/tasks/{upid}/status",
    params: { node, upid },
    permissions: ALL_USERS,
    handler(ctx) {
      const t = findTask(ctx);
      return {
        upid: t.upid,
        node: t.node,
        pid: t.pid,
        pstart: t.pstart,
        starttime: t.starttime,
        type: t.type,
        id: t.id,
        user: t.user,
        ...t.tokenid ? { tokenid: t.tokenid } : {},
        status: t.status,
        ...t.status === "stopped" ? { exitstatus: t.exitstatus } : {}
      };
    }
  },
  {
    method: "GET",
    path: "/nodes/{node}/tasks/{upid}/log",
    permissions: ALL_USERS,
    params: {
      node,
      upid,
      start: { type: "integer", optional: true, minimum: 0 },
      limit: { type: "integer", optional: true, minimum: 0 },
      download: bool
    },
    handler(ctx) {
      const t = findTask(ctx);
      const start = Number(ctx.params.start ?? 0);
      const limit = Number(ctx.params.limit ?? 50);
      const lines = t.log.length ? t.log : ["no content"];
      return new WithExtra(
        lines.slice(start, start + limit).map((text, i) => ({ n: start + i + 1, t: text })),
        { total: lines.length }
      );
    }
  },
  {
    method: "DELETE",
    path: "/nodes/{node}/tasks/{upid}",
    params: { node, upid },
    permissions: ALL_USERS,
    handler(ctx) {
      const t = findTask(ctx, "Sys.Modify");
      if (t.status === "running") {
        t.status = "stopped";
        t.endedMs = Date.now();
        t.endtime = Math.floor(t.endedMs / 1e3);
        t.log.push("received interrupt", "TASK ERROR: interrupted by signal");
        t.exitstatus = "interrupted by signal";
      }
      return null;
    }
  }
];

// sim/routes/pools.ts
var poolid = { type: "string", pattern: /^[A-Za-z0-9_-]+$/ };
function pool(ctx, id) {
  const p = ctx.core.state.pools.find((x) => x.poolid === id);
  if (!p) throw die(`pool '${id}' does not exist`);
  return p;
}
__name(pool, "pool");
function members(ctx, id) {
  const p = pool(ctx, id);
  return {
    poolid: p.poolid,
    ...p.comment ? { comment: p.comment } : {},
    members: [
      ...p.vmids.map((vmid2) => {
        const vm = ctx.core.findVm(vmid2);
        return {
          id: `qemu/${vmid2}`,
          type: "qemu",
          vmid: vmid2,
          node: vm?.node ?? "",
          name: vm?.config.name ?? "",
          status: vm?.status ?? "unknown",
          template: vm?.config.template === "1" ? 1 : 0
        };
      }),
      ...p.storages.map((s) => ({
        id: `storage/${ctx.core.state.nodes[0]?.name ?? ""}/${s}`,
        type: "storage",
        storage: s
      }))
    ]
  };
}
__name(members, "members");
function update(ctx, id) {
  const p = pool(ctx, id);
  if (ctx.params.comment !== void 0) p.comment = ctx.params.comment;
  const remove = ctx.params.delete === "1";
  for (const vmid2 of (ctx.params.vms ?? "").split(/[,;\s]+/).filter(Boolean).map(Number)) {
    if (remove) p.vmids = p.vmids.filter((v) => v !== vmid2);
    else {
      if (!ctx.core.findVm(vmid2)) throw die(`VM ${vmid2} does not exist`);
      const other = ctx.core.state.pools.find((x) => x !== p && x.vmids.includes(vmid2));
      if (other && ctx.params["allow-move"] !== "1")
        throw die(`VM ${vmid2} belongs already to pool '${other.poolid}'`);
      if (other) other.vmids = other.vmids.filter((v) => v !== vmid2);
      if (!p.vmids.includes(vmid2)) p.vmids.push(vmid2);
    }
  }
  for (const s of (ctx.params.storage ?? "").split(/[,;\s]+/).filter(Boolean)) {
    p.storages = remove ? p.storages.filter((x) => x !== s) : [.../* @__PURE__ */ new Set([...p.storages, s])];
  }
  return null;
}
__name(update, "update");
function removePool(ctx) {
  const p = pool(ctx, ctx.params.poolid ?? "");
  if (p.vmids.length || p.storages.length) throw die("pool is not empty");
  ctx.core.state.pools = ctx.core.state.pools.filter((x) => x !== p);
  return null;
}
__name(removePool, "removePool");
var updateParams = { comment: str, vms: str, storage: str, delete: bool, "allow-move": bool };
var POOL_ALLOCATE = check(perm("/pool/{poolid}", ["Pool.Allocate"]));
var poolRoutes = [
  {
    method: "GET",
    path: "/pools",
    params: {
      poolid: { ...poolid, optional: true },
      type: { type: "string", optional: true, enum: ["qemu", "lxc", "storage"] }
    },
    // filtered by Pool.Audit; with poolid, Proxmox (9.1) shows the pool without checking
    permissions: ALL_USERS,
    handler(ctx) {
      const list2 = ctx.core.state.pools.filter((p) => ctx.has(`/pool/${p.poolid}`, "Pool.Audit"));
      if (ctx.params.poolid) {
        const m = members(ctx, ctx.params.poolid);
        return [
          {
            ...m,
            members: m.members.filter((x) => !ctx.params.type || x.type === ctx.params.type)
          }
        ];
      }
      return list2.map((p) => ({ poolid: p.poolid, ...p.comment ? { comment: p.comment } : {} }));
    }
  },
  {
    method: "POST",
    path: "/pools",
    params: { poolid, comment: str },
    permissions: POOL_ALLOCATE,
    handler(ctx) {
      if (ctx.core.state.pools.some((p) => p.poolid === ctx.params.poolid))
        throw die(`pool '${ctx.params.poolid ?? ""}' already exists`);
      ctx.core.state.pools.push({
        poolid: ctx.params.poolid ?? "",
        ...ctx.params.comment ? { comment: ctx.params.comment } : {},
        vmids: [],
        storages: []
      });
      return null;
    }
  },
  {
    method: "PUT",
    path: "/pools",
    params: { poolid, ...updateParams },
    permissions: POOL_ALLOCATE,
    handler: /* @__PURE__ */ __name((ctx) => update(ctx, ctx.params.poolid ?? ""), "handler")
  },
  {
    method: "DELETE",
    path: "/pools",
    params: { poolid },
    permissions: POOL_ALLOCATE,
    handler: removePool
  },
  {
    method: "GET",
    path: "/pools/{poolid}",
    params: { poolid, type: { type: "string", optional: true, enum: ["qemu", "lxc", "storage"] } },
    permissions: check(perm("/pool/{poolid}", ["Pool.Audit"])),
    handler: /* @__PURE__ */ __name((ctx) => members(ctx, ctx.params.poolid ?? ""), "handler")
  },
  {
    method: "PUT",
    path: "/pools/{poolid}",
    params: { poolid, ...updateParams },
    permissions: POOL_ALLOCATE,
    handler: /* @__PURE__ */ __name((ctx) => update(ctx, ctx.params.poolid ?? ""), "handler")
  },
  {
    method: "DELETE",
    path: "/pools/{poolid}",
    params: { poolid },
    permissions: POOL_ALLOCATE,
    handler: removePool
  }
];

// sim/routes/qemu-migrate.ts
var GiB3 = 1024 ** 3;
function localDisks(state, vm) {
  return Object.entries(vm.config).filter(([key, value]) => {
    if (!DISK_KEY.test(key) || key.startsWith("unused") || /^(none|cdrom)(,|$)/.test(value))
      return false;
    const file = splitDisk(value).file;
    if (!file.includes(":")) return false;
    return !storageOf(state, file.split(":")[0] ?? "").shared;
  });
}
__name(localDisks, "localDisks");
var qemuMigrateRoutes = [
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/migrate",
    params: {
      node,
      vmid,
      target: node,
      online: bool,
      force: bool,
      "with-local-disks": bool,
      targetstorage: optional(storageId),
      bwlimit: { type: "integer", optional: true, minimum: 0 }
    },
    permissions: check(perm("/vms/{vmid}", ["VM.Migrate"])),
    proxied: true,
    handler(ctx) {
      const { core, params: p } = ctx;
      const vm = core.vm(p.node ?? "", Number(p.vmid));
      ctx.require(`/vms/${vm.vmid}`, "VM.Migrate");
      const target = p.target ?? "";
      if (target === vm.node) throw die("target is local node.");
      core.node(target);
      if (vm.config.lock) throw die(`VM is locked (${vm.config.lock})`);
      if (vm.status === "running" && p.online !== "1")
        throw die("can't migrate running VM without --online");
      const targetStorage = p.targetstorage ? storageOf(core.state, p.targetstorage) : void 0;
      if (targetStorage) ctx.require(`/storage/${targetStorage.id}`, "Datastore.AllocateSpace");
      const disks = localDisks(core.state, vm);
      const bytes = disks.reduce(
        (n, [, value]) => n + (findVolume(core.state, splitDisk(value).file, vm.node)?.size ?? 0),
        0
      );
      const source = vm.node;
      vm.config.lock = "migrate";
      return startVmTask(ctx, { node: source, vmid: vm.vmid }, "qmigrate", {
        durationMs: (TASK_DURATIONS_MS.qmigrate ?? 3e3) + 1e3 * bytes / GiB3 / 4,
        faultable: "lock",
        startLog: [
          `starting migration of VM ${vm.vmid} to node '${target}'`,
          ...disks.map(([key, value]) => `found local disk '${splitDisk(value).file}' (${key})`)
        ],
        run(log) {
          for (const [key, value] of disks) {
            const { file, opts } = splitDisk(value);
            const volume = findVolume(core.state, file, source);
            if (!volume) throw new Error(`migration aborted: volume '${file}' does not exist`);
            const storage = targetStorage ?? storageOf(core.state, volume.storage);
            const leaf = file.split(/[:/]/).pop() ?? "";
            const sameName = storage.fileBased ? `${storage.id}:${vm.vmid}/${leaf}` : `${storage.id}:${leaf}`;
            const taken = core.state.volumes.some(
              (v) => v.volid === sameName && (storage.shared || v.node === target)
            );
            const moved = taken ? newDiskVolid(core.state, storage, target, vm.vmid) : sameName;
            volume.volid = moved;
            volume.storage = storage.id;
            volume.node = target;
            delete volume.parent;
            vm.config[key] = joinDisk(moved, opts);
            log(
              `copying local disk '${file}' to '${moved}' on ${target}: transferred ${formatSize(volume.size)}`
            );
          }
          vm.node = target;
          delete vm.config.lock;
          log("migration finished successfully");
        },
        onFail() {
          delete vm.config.lock;
        }
      });
    }
  }
];

// sim/routes/qemu-clone.ts
var GiB4 = 1024 ** 3;
var CLOUDINIT_DISK_SIZE = 4 * 1024 ** 2;
var bus = /* @__PURE__ */ __name((name, count) => Array.from({ length: count }, (_, i) => `${name}${i}`), "bus");
var RESIZABLE_DISKS = [
  ...bus("ide", 4),
  ...bus("sata", 6),
  ...bus("scsi", 31),
  ...bus("virtio", 16),
  "efidisk0",
  "tpmstate0"
];
function diskEntries(vm) {
  return Object.entries(vm.config).filter(
    ([k, v]) => DISK_KEY.test(k) && !k.startsWith("unused") && v !== "none" && !/^(none|cdrom)(,|$)/.test(v) && !(v.includes("media=cdrom") && !v.includes("cloudinit"))
  );
}
__name(diskEntries, "diskEntries");
function linkedVolid(base, newid, n, fileBased) {
  const baseName = base.volid.split(":")[1] ?? "";
  if (!fileBased) return `${base.storage}:${baseName}/vm-${newid}-disk-${n}`;
  return `${base.storage}:${baseName}/${newid}/vm-${newid}-disk-${n}.qcow2`;
}
__name(linkedVolid, "linkedVolid");
var qemuCloneRoutes = [
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/clone",
    params: {
      node,
      vmid,
      newid: vmid,
      name: str,
      description: str,
      pool: str,
      full: bool,
      storage: optional(storageId),
      format: {
        type: "string",
        optional: true,
        enum: ["raw", "qcow2", "vmdk"]
      },
      target: optional(node),
      snapname: str,
      bwlimit: { type: "integer", optional: true, minimum: 0 }
    },
    proxied: true,
    // VM.Clone on the source and VM.Allocate on the new VM or its pool; storage rights in the handler
    permissions: check(
      and(
        perm("/vms/{vmid}", ["VM.Clone"]),
        or(
          perm("/vms/{newid}", ["VM.Allocate"]),
          perm("/pool/{pool}", ["VM.Allocate"], { requireParam: "pool" })
        )
      )
    ),
    handler(ctx) {
      const { core, params: p } = ctx;
      const source = core.vm(p.node ?? "", Number(p.vmid));
      const newid = Number(p.newid);
      const targetNode = p.target ?? source.node;
      if (p.storage) ctx.require(`/storage/${p.storage}`, "Datastore.AllocateSpace");
      if (p.storage && !storageOf(core.state, p.storage).content.includes("images")) {
        throw new PveError(400, "Parameter verification failed.", {
          storage: `storage '${p.storage}' does not support vm images`
        });
      }
      if (p.pool && !core.state.pools.some((x) => x.poolid === p.pool))
        throw die(`pool '${p.pool}' does not exist`);
      core.node(targetNode);
      const isTemplate = source.config.template === "1";
      const full = p.full !== void 0 ? p.full === "1" : !isTemplate;
      if (!full && (p.storage || p.format))
        throw die(`parameter '${p.storage ? "storage" : "format"}' not allowed for linked clones`);
      const disks = diskEntries(source);
      if (!full) {
        for (const [key, value] of disks) {
          if (!value.includes("cloudinit") && !isTemplate)
            throw die(
              `Linked clone feature is not supported for '${splitDisk(value).file}' (${key})`
            );
        }
      }
      if (targetNode !== source.node) {
        for (const [, value] of disks) {
          const storage = storageOf(core.state, splitDisk(value).file.split(":")[0] ?? "");
          if (!storage.shared && !(full && p.storage && storageOf(core.state, p.storage).shared)) {
            throw die(`can't clone VM to node '${targetNode}' (VM uses local storage)`);
          }
        }
      }
      const existing = core.findVm(newid);
      if (existing)
        throw die(
          existing.node === targetNode ? `unable to create VM ${newid}: config file already exists` : `unable to create VM ${newid} - VM ${newid} already exists on node '${existing.node}'`
        );
      const clone = {
        vmid: newid,
        node: targetNode,
        config: { lock: "clone" },
        pending: {},
        pendingDelete: [],
        status: "stopped"
      };
      core.state.vms.push(clone);
      const totalGiB = disks.reduce((n, [, v]) => n + (parseSize(splitDisk(v).opts.size ?? "0") ?? 0), 0) / GiB4;
      const duration = full ? (TASK_DURATIONS_MS.qmclonefull ?? 1e4) + 1e3 * totalGiB : TASK_DURATIONS_MS.qmclone ?? 2e3;
      const storageOps = [];
      for (const [, value] of [...disks].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
        const base = findVolume(core.state, splitDisk(value).file, source.node);
        if (!base) continue;
        const storage = storageOf(core.state, full ? p.storage ?? base.storage : base.storage);
        const linked = !full && !value.includes("cloudinit");
        storageOps.push({
          lock: storageLockName(storage, targetNode),
          holdMs: linked ? STORAGE_LOCK_HOLD_MS.linkedClone : STORAGE_LOCK_HOLD_MS.alloc
        });
      }
      return startVmTask(ctx, source, "qmclone", {
        durationMs: duration,
        faultable: "lock",
        storageOps,
        storageErrorPrefix: "clone failed: ",
        run(log) {
          const config = {};
          for (const [key, value] of Object.entries(source.config)) {
            if (key === "template" || key === "lock" || key.startsWith("unused") || key === "parent")
              continue;
            config[key] = value;
          }
          for (const key of Object.keys(config))
            if (/^net\d+$/.test(key)) config[key] = withMac(core, config[key] ?? "", true);
          config.smbios1 = newSmbios();
          if (config.vmgenid) config.vmgenid = crypto.randomUUID();
          config.name = p.name ?? `Copy-of-VM-${source.config.name ?? source.vmid}`;
          if (p.description !== void 0) config.description = p.description;
          let n = 0;
          for (const [key, value] of [...disks].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
            const { file, opts } = splitDisk(value);
            const base = findVolume(core.state, file, source.node);
            if (!base) throw new Error(`clone failed: volume '${file}' does not exist`);
            const cloudinit = value.includes("cloudinit");
            const copy = full || cloudinit;
            const storage = storageOf(
              core.state,
              full ? p.storage ?? base.storage : base.storage
            );
            const nodeOf = storage.shared ? {} : { node: targetNode };
            log(`create ${copy ? "full" : "linked"} clone of drive ${key} (${file})`);
            if (cloudinit) {
              const volid2 = cloudinitVolid(storage, newid);
              addVolume(core.state, {
                volid: volid2,
                storage: storage.id,
                ...nodeOf,
                vmid: newid,
                content: "images",
                format: storage.fileBased ? "qcow2" : "raw",
                size: CLOUDINIT_DISK_SIZE
              });
              log(`allocated target volume '${volid2}'`);
              config[key] = joinDisk(volid2, opts);
              continue;
            }
            const volid = full ? newDiskVolid(core.state, storage, targetNode, newid) : linkedVolid(base, newid, n, storage.fileBased);
            n++;
            addVolume(core.state, {
              volid,
              storage: storage.id,
              ...nodeOf,
              vmid: newid,
              content: "images",
              format: p.format ?? base.format,
              size: base.size,
              ...full ? {} : { parent: base.volid },
              // with guests both kinds of clone boot from the same read-only image (below an overlay)
              ...base.hostPath ? { hostPath: base.hostPath } : {}
            });
            config[key] = joinDisk(volid, { ...opts, size: formatSize(base.size) });
            if (full) {
              log(`allocated target volume '${volid}'`);
              log(`transferred ${formatSize(base.size)} of ${formatSize(base.size)} (100.00%)`);
            }
          }
          clone.config = config;
          if (p.pool) core.state.pools.find((x) => x.poolid === p.pool)?.vmids.push(newid);
        },
        onFail() {
          core.state.volumes = core.state.volumes.filter((v) => v.vmid !== newid);
          core.state.vms = core.state.vms.filter((v) => v !== clone);
        }
      });
    }
  },
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/template",
    params: { node, vmid, disk: str },
    proxied: true,
    permissions: check(perm("/vms/{vmid}", ["VM.Allocate"])),
    handler(ctx) {
      const { core, params: p } = ctx;
      const vm = core.vm(p.node ?? "", Number(p.vmid));
      if (vm.config.lock) throw die(`VM is locked (${vm.config.lock})`);
      if (vm.config.template === "1") throw die("you can't convert a template to a template");
      if (vm.status === "running") throw die("you can't convert a VM to template if VM is running");
      return startVmTask(ctx, vm, "qmtemplate", {
        run() {
          for (const [key, value] of diskEntries(vm)) {
            if (value.includes("cloudinit")) continue;
            const { file, opts } = splitDisk(value);
            const volume = findVolume(core.state, file, vm.node);
            if (!volume) continue;
            const renamed = file.replace(`vm-${vm.vmid}-disk-`, `base-${vm.vmid}-disk-`);
            volume.volid = renamed;
            vm.config[key] = joinDisk(renamed, opts);
          }
          vm.config.template = "1";
        }
      });
    }
  },
  {
    method: "PUT",
    path: "/nodes/{node}/qemu/{vmid}/resize",
    params: {
      node,
      vmid,
      disk: { type: "string", enum: RESIZABLE_DISKS },
      size: { type: "string", pattern: /^\+?\d+(\.\d+)?[KMGT]?$/ },
      digest: str,
      skiplock: bool
    },
    permissions: check(perm("/vms/{vmid}", ["VM.Config.Disk"])),
    handler(ctx) {
      const { core, params: p } = ctx;
      refuseSkiplockUnlessRoot(ctx);
      const vm = core.vm(p.node ?? "", Number(p.vmid));
      if (vm.config.lock && p.skiplock !== "1") throw die(`VM is locked (${vm.config.lock})`);
      const key = p.disk ?? "";
      return startVmTask(ctx, vm, "resize", {
        run() {
          const value = vm.config[key];
          if (!value) throw new Error(`disk '${key}' does not exist`);
          if (value.includes("media=cdrom")) throw new Error("you can't resize a cdrom");
          const { file, opts } = splitDisk(value);
          const volume = findVolume(core.state, file, vm.node);
          const current = volume?.size ?? parseSize(opts.size ?? "0") ?? 0;
          const text = p.size ?? "";
          const amount = parseSize(text.replace(/^\+/, "")) ?? 0;
          const wanted = text.startsWith("+") ? current + amount : amount;
          if (wanted < current) throw new Error("shrinking disks is not supported");
          if (volume) volume.size = wanted;
          vm.config[key] = joinDisk(file, { ...opts, size: formatSize(wanted) });
        }
      });
    }
  }
];

// sim/routes/qemu-status.ts
function agentEnabled(vm) {
  const agent = vm.config.agent ?? "0";
  return /^(1|enabled=1|enabled=on|enabled=yes|on|yes)(,|$)/.test(agent);
}
__name(agentEnabled, "agentEnabled");
function boot(ctx, vm) {
  for (const [k, v] of Object.entries(vm.pending)) vm.config[k] = v;
  for (const k of vm.pendingDelete) delete vm.config[k];
  vm.pending = {};
  vm.pendingDelete = [];
  vm.status = "running";
  vm.startedAt = Date.now();
  if (agentEnabled(vm))
    vm.agentReadyAt = vm.startedAt + ctx.core.scaled(TASK_DURATIONS_MS.agentReady ?? 2e4);
}
__name(boot, "boot");
async function bootGuest(ctx, vm, log) {
  try {
    await startGuest(ctx.core, vm, log);
  } catch (error) {
    halt(vm);
    throw error;
  }
}
__name(bootGuest, "bootGuest");
var SHUTDOWN_TIMEOUT_S = 60;
function halt(vm) {
  vm.status = "stopped";
  delete vm.startedAt;
  delete vm.agentReadyAt;
}
__name(halt, "halt");
var power = /* @__PURE__ */ __name((type, precheck, effect) => (ctx) => {
  refuseSkiplockUnlessRoot(ctx);
  const vm = ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid));
  precheck(vm);
  return startVmTask(ctx, vm, type, { run: /* @__PURE__ */ __name((log) => effect(ctx, vm, log), "run") });
}, "power");
function checkLock(ctx, vm, allow = []) {
  const lock = vm.config.lock;
  if (lock && ctx.params.skiplock !== "1" && !allow.includes(lock))
    throw new Error(`VM is locked (${lock})`);
}
__name(checkLock, "checkLock");
var POWER = check(perm("/vms/{vmid}", ["VM.PowerMgmt"]));
var qemuStatusRoutes = [
  {
    method: "GET",
    path: "/nodes/{node}/qemu/{vmid}/status/current",
    params: { node, vmid },
    permissions: check(perm("/vms/{vmid}", ["VM.Audit"])),
    handler(ctx) {
      const vm = ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid));
      const summary = vmSummary(vm);
      return {
        ...summary,
        qmpstatus: vm.status,
        ...vm.status === "running" ? {
          pid: ctx.core.guests?.running(vm.vmid)?.pid ?? 1e4 + vm.vmid,
          "running-qemu": "9.2.0",
          "running-machine": "pc-q35-9.2+pve1"
        } : {},
        // a real guest's memory is what its cgroup holds now
        ...isRealGuest(ctx.core, vm.vmid) ? { mem: ctx.core.guests?.memoryUsage(vm.vmid) ?? summary.mem } : {},
        ...agentEnabled(vm) ? { agent: 1 } : {},
        ha: ctx.core.state.ha.some((h) => h.sid === `vm:${vm.vmid}`) ? { managed: 1, state: "started" } : { managed: 0 }
      };
    }
  },
  {
    method: "GET",
    path: "/nodes/{node}/qemu/{vmid}/status",
    params: { node, vmid },
    permissions: ALL_USERS,
    handler: /* @__PURE__ */ __name((ctx) => (ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid)), [
      { subdir: "current" },
      { subdir: "start" },
      { subdir: "stop" },
      { subdir: "shutdown" },
      { subdir: "reboot" }
    ]), "handler")
  },
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/status/start",
    params: {
      node,
      vmid,
      timeout: { type: "integer", optional: true, minimum: 0, maximum: 86400 },
      skiplock: bool,
      machine: str,
      migratedfrom: str,
      migration_type: str,
      migration_network: str,
      stateuri: str,
      targetstorage: str,
      "force-cpu": str,
      "nets-host-mtu": str,
      "with-conntrack-state": bool
    },
    proxied: true,
    permissions: POWER,
    // like vm_start: the API answers with a UPID; template, lock and "already running" fail the task
    handler: power(
      "qmstart",
      () => void 0,
      async (ctx, vm, log) => {
        if (vm.config.template === "1") throw new Error("you can't start a vm if it's a template");
        checkLock(ctx, vm, ["suspended"]);
        if (vm.status === "running") throw new Error(`VM ${vm.vmid} already running`);
        boot(ctx, vm);
        await bootGuest(ctx, vm, log);
      }
    )
  },
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/status/stop",
    params: {
      node,
      vmid,
      timeout: { type: "integer", optional: true, minimum: 0 },
      skiplock: bool,
      keepActive: bool,
      migratedfrom: str,
      "overrule-shutdown": bool
    },
    proxied: true,
    permissions: POWER,
    // _do_vm_stop: a stopped VM is done at once; a running one must not be locked
    handler: power(
      "qmstop",
      () => void 0,
      async (ctx, vm) => {
        if (vm.status !== "running") return;
        checkLock(ctx, vm);
        await ctx.core.guests?.stop(vm.vmid);
        halt(vm);
      }
    )
  },
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/status/shutdown",
    params: {
      node,
      vmid,
      timeout: { type: "integer", optional: true, minimum: 0 },
      forceStop: bool,
      keepActive: bool,
      skiplock: bool
    },
    proxied: true,
    permissions: POWER,
    handler: power(
      "qmshutdown",
      () => void 0,
      async (ctx, vm) => {
        if (vm.status !== "running") return;
        checkLock(ctx, vm);
        const timeoutS = Number(ctx.params.timeout ?? SHUTDOWN_TIMEOUT_S);
        await ctx.core.guests?.shutdown(vm.vmid, timeoutS * 1e3);
        halt(vm);
      }
    )
  },
  {
    method: "POST",
    path: "/nodes/{node}/qemu/{vmid}/status/reboot",
    params: { node, vmid, timeout: { type: "integer", optional: true, minimum: 0 } },
    proxied: true,
    permissions: POWER,
    handler: power(
      "qmreboot",
      (vm) => {
        if (vm.status !== "running") throw die(`VM ${vm.vmid} not running`);
      },
      async (ctx, vm, log) => {
        await ctx.core.guests?.shutdown(vm.vmid, SHUTDOWN_TIMEOUT_S * 1e3);
        boot(ctx, vm);
        await bootGuest(ctx, vm, log);
      }
    )
  }
];

// sim/routes/storage.ts
import { createHash as createHash7 } from "node:crypto";
import { createReadStream as createReadStream2, mkdirSync as mkdirSync6, renameSync as renameSync2, rmSync as rmSync6 } from "node:fs";
import { dirname as dirname2, join as join9 } from "node:path";
function storageInfo(ctx, s, nodeName) {
  const used = usedBytes(ctx.core.state, s, nodeName);
  return {
    storage: s.id,
    type: s.type,
    content: s.content.join(","),
    active: 1,
    enabled: 1,
    shared: s.shared ? 1 : 0,
    total: s.total,
    used,
    avail: s.total - used,
    used_fraction: used / s.total
  };
}
__name(storageInfo, "storageInfo");
function volumesOn(ctx, s, nodeName) {
  return ctx.core.state.volumes.filter(
    (v) => v.storage === s.id && (s.shared || v.node === nodeName)
  );
}
__name(volumesOn, "volumesOn");
function requireVolumeAccess(ctx, s, volid) {
  const path5 = `/storage/${s.id}`;
  if (ctx.has(path5, "Datastore.Allocate")) return;
  const volname = volid.slice(volid.indexOf(":") + 1);
  if (/^(iso|vztmpl|import)\//.test(volname))
    return ctx.require(path5, "Datastore.AllocateSpace", "Datastore.Audit");
  const owner = /(?:^|\/)(?:vm|base)-(\d+)-[^/]*$/.exec(volname)?.[1];
  if (!owner) throw die(`missing privileges to access ${volid}`);
  ctx.require(path5, "Datastore.Audit");
  ctx.require(`/vms/${owner}`, "VM.Config.Disk");
}
__name(requireVolumeAccess, "requireVolumeAccess");
var EXTENSIONS = {
  iso: /\.(iso|img)$/i,
  import: /\.(qcow2|raw|vmdk|ova)$/i,
  vztmpl: /\.(tar\.(gz|xz|zst)|tgz)$/i
};
function checkExtension(content, filename) {
  if (EXTENSIONS[content]?.test(filename)) return;
  throw new PveError(400, "Parameter verification failed.", {
    filename: content === "import" ? "invalid filename or wrong extension" : "wrong file extension"
  });
}
__name(checkExtension, "checkExtension");
async function fileDigest(path5, algorithm) {
  const hash = createHash7(algorithm);
  for await (const chunk of createReadStream2(path5)) hash.update(chunk);
  return hash.digest("hex");
}
__name(fileDigest, "fileDigest");
function keepUploadedFile(ctx, tmpPath, s, nodeName, content, filename) {
  const dir = join9(ctx.core.filesDir ?? dirname2(tmpPath), s.id, s.shared ? "" : nodeName, content);
  mkdirSync6(dir, { recursive: true });
  const target = join9(dir, filename);
  rmSync6(target, { force: true });
  renameSync2(tmpPath, target);
  const state = ctx.core.state;
  state.ownedFiles = [...(state.ownedFiles ?? []).filter((f) => f !== target), target];
  return target;
}
__name(keepUploadedFile, "keepUploadedFile");
var storageRoutes = [
  {
    method: "POST",
    path: "/nodes/{node}/storage/{storage}/upload",
    params: {
      node,
      storage: storageId,
      content: { type: "string", enum: ["iso", "vztmpl", "import"] },
      filename: { type: "string", maxLength: 255 },
      checksum: str,
      "checksum-algorithm": {
        type: "string",
        optional: true,
        enum: ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]
      },
      tmpfilename: { type: "string", optional: true, pattern: /^\/var\/tmp\/pveupload-[0-9a-f]+$/ }
    },
    permissions: check(perm("/storage/{storage}", ["Datastore.AllocateTemplate"])),
    handler(ctx) {
      const p = ctx.params;
      const n = ctx.core.node(p.node ?? "");
      const s = storageOf(ctx.core.state, p.storage ?? "");
      const content = p.content ?? "";
      if (!s.fileBased) throw die(`can't upload to storage type '${s.type}'`);
      const upload = ctx.upload;
      if (!upload)
        throw new PveError(400, "Parameter verification failed.", {
          filename: "no file in the upload"
        });
      const filename = (upload.filename || p.filename || "").replace(/[^a-zA-Z0-9_.-]/g, "_");
      checkExtension(content, filename);
      if (!s.content.includes(content))
        throw die(`storage '${s.id}' does not support '${content}' content`);
      const volid = `${s.id}:${content}/${filename}`;
      return ctx.core.startTask({
        node: n.name,
        type: "imgcopy",
        id: "",
        who: ctx.who,
        durationMs: TASK_DURATIONS_MS.imgcopy ?? 2e3,
        startLog: [
          `starting file import from: ${upload.path ?? `/var/tmp/pveupload-${upload.sha256.slice(0, 16)}`}`,
          `target file: ${volumePath(s, volid)}`
        ],
        async run(log) {
          if (p.checksum) {
            const algorithm = p["checksum-algorithm"] ?? "sha256";
            const actual = upload.path ? await fileDigest(upload.path, algorithm) : algorithm === "sha512" ? upload.sha512 : algorithm === "md5" ? upload.md5 : upload.sha256;
            if (p.checksum.toLowerCase() !== actual) {
              if (upload.path) rmSync6(upload.path, { force: true });
              throw new Error(`checksum mismatch: got '${actual}' != expect '${p.checksum}'`);
            }
            log("calculating checksum...OK, checksum verified");
          }
          if (findVolume(ctx.core.state, volid, n.name))
            removeVolume(ctx.core.state, volid, n.name);
          const hostPath = upload.path ? keepUploadedFile(ctx, upload.path, s, n.name, content, filename) : void 0;
          addVolume(ctx.core.state, {
            volid,
            storage: s.id,
            ...s.shared ? {} : { node: n.name },
            content,
            format: content === "import" ? "qcow2" : "raw",
            size: upload.size,
            ...hostPath ? { hostPath } : {}
          });
          log(`file size is: ${upload.size}`);
        }
      });
    }
  },
  {
    method: "GET",
    path: "/nodes/{node}/storage",
    params: { node, content: str, enabled: bool, format: bool, storage: str, target: str },
    // the list is filtered by Datastore.Audit or Datastore.AllocateSpace
    permissions: ALL_USERS,
    handler(ctx) {
      const n = ctx.core.node(ctx.params.node ?? "");
      const content = ctx.params.content?.split(",");
      return ctx.core.state.storages.filter(
        (s) => ctx.has(`/storage/${s.id}`, "Datastore.Audit") || ctx.has(`/storage/${s.id}`, "Datastore.AllocateSpace")
      ).filter((s) => !content || content.some((c) => s.content.includes(c))).filter((s) => !ctx.params.storage || s.id === ctx.params.storage).map((s) => storageInfo(ctx, s, n.name));
    }
  },
  {
    method: "GET",
    path: "/nodes/{node}/storage/{storage}/status",
    params: { node, storage: storageId },
    permissions: check(
      perm("/storage/{storage}", ["Datastore.Audit", "Datastore.AllocateSpace"], { any: true })
    ),
    handler(ctx) {
      const n = ctx.core.node(ctx.params.node ?? "");
      const s = storageOf(ctx.core.state, ctx.params.storage ?? "");
      return storageInfo(ctx, s, n.name);
    }
  },
  {
    method: "GET",
    path: "/nodes/{node}/storage/{storage}/content",
    params: {
      node,
      storage: storageId,
      content: str,
      vmid: { type: "integer", optional: true, minimum: 100 }
    },
    permissions: check(
      perm("/storage/{storage}", ["Datastore.Audit", "Datastore.AllocateSpace"], { any: true })
    ),
    handler(ctx) {
      const n = ctx.core.node(ctx.params.node ?? "");
      const s = storageOf(ctx.core.state, ctx.params.storage ?? "");
      return volumesOn(ctx, s, n.name).filter((v) => !ctx.params.content || v.content === ctx.params.content).filter((v) => !ctx.params.vmid || v.vmid === Number(ctx.params.vmid)).map((v) => ({
        volid: v.volid,
        content: v.content,
        format: v.format,
        size: v.size,
        ctime: v.ctime,
        ...v.vmid ? { vmid: v.vmid } : {},
        ...v.parent ? { parent: v.parent.split(":")[1] } : {}
      }));
    }
  },
  {
    method: "GET",
    path: "/nodes/{node}/storage/{storage}/content/{volume}",
    params: { node, storage: storageId, volume: { type: "string" } },
    // "You need read access for the volume": check_volume_access in the handler
    permissions: ALL_USERS,
    handler(ctx) {
      const n = ctx.core.node(ctx.params.node ?? "");
      const s = storageOf(ctx.core.state, ctx.params.storage ?? "");
      const name = ctx.params.volume ?? "";
      const volid = name.includes(":") ? name : `${s.id}:${name}`;
      const v = findVolume(ctx.core.state, volid, n.name);
      requireVolumeAccess(ctx, s, volid);
      if (!v) throw die(`volume '${volid}' does not exist`);
      return {
        path: volumePath(s, volid),
        size: v.size,
        used: v.parent ? 0 : v.size,
        format: v.format
      };
    }
  },
  {
    method: "DELETE",
    path: "/nodes/{node}/storage/{storage}/content/{volume}",
    params: {
      node,
      storage: storageId,
      volume: { type: "string" },
      delay: { type: "integer", optional: true, minimum: 1, maximum: 30 }
    },
    // Datastore.Allocate on the storage, checked in the handler (backup volumes differ in Proxmox)
    permissions: ALL_USERS,
    handler(ctx) {
      const n = ctx.core.node(ctx.params.node ?? "");
      const s = storageOf(ctx.core.state, ctx.params.storage ?? "");
      ctx.require(`/storage/${s.id}`, "Datastore.Allocate");
      const name = ctx.params.volume ?? "";
      const volid = name.includes(":") ? name : `${s.id}:${name}`;
      if (!findVolume(ctx.core.state, volid, n.name)) throw die(`volume '${volid}' does not exist`);
      return ctx.core.startTask({
        node: n.name,
        type: "imgdel",
        id: volid,
        who: ctx.who,
        durationMs: 200,
        run: /* @__PURE__ */ __name(() => removeVolume(ctx.core.state, volid, n.name), "run")
      });
    }
  },
  {
    method: "GET",
    path: "/nodes/{node}/query-url-metadata",
    params: {
      node,
      url: { type: "string", pattern: /^https?:\/\/.+/ },
      "verify-certificates": bool
    },
    proxied: true,
    // probing URLs reaches the host's network: Sys.Audit and Sys.Modify on /, or Sys.AccessNetwork on the node
    permissions: check(
      or(perm("/", ["Sys.Audit", "Sys.Modify"]), perm("/nodes/{node}", ["Sys.AccessNetwork"]))
    ),
    handler(ctx) {
      ctx.core.node(ctx.params.node ?? "");
      const url = ctx.params.url ?? "";
      const file = ctx.core.state.remoteFiles[url];
      if (!file) throw die(`invalid server response: '404 Not Found'`);
      return {
        filename: decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "download"),
        size: file.size,
        mimetype: file.mimetype
      };
    }
  },
  {
    method: "POST",
    path: "/nodes/{node}/storage/{storage}/download-url",
    params: {
      node,
      storage: storageId,
      url: { type: "string", pattern: /^https?:\/\/.+/ },
      content: { type: "string", enum: ["iso", "vztmpl", "import"] },
      filename: { type: "string", maxLength: 255 },
      checksum: str,
      "checksum-algorithm": {
        type: "string",
        optional: true,
        enum: ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]
      },
      compression: str,
      "verify-certificates": bool
    },
    proxied: true,
    // allocation on the storage, and (it reaches the host's network) Sys.Audit and Sys.Modify on /
    // or Sys.AccessNetwork on the node; the same for every content type, import included
    permissions: check(
      and(
        perm("/storage/{storage}", ["Datastore.AllocateTemplate"]),
        or(perm("/", ["Sys.Audit", "Sys.Modify"]), perm("/nodes/{node}", ["Sys.AccessNetwork"]))
      )
    ),
    handler(ctx) {
      const p = ctx.params;
      const n = ctx.core.node(p.node ?? "");
      const s = storageOf(ctx.core.state, p.storage ?? "");
      if (p.checksum === void 0 !== (p["checksum-algorithm"] === void 0)) {
        throw new PveError(400, "Parameter verification failed.", {
          checksum: "'checksum' and 'checksum-algorithm' must be given together"
        });
      }
      const content = p.content ?? "";
      if (!s.fileBased)
        throw die(`can't upload to storage type '${s.type}', not a file based storage!`);
      if (!s.content.includes(content))
        throw die(`storage '${s.id}' is not configured for content-type '${content}'`);
      const filename = (p.filename ?? "").replace(/[^a-zA-Z0-9_.-]/g, "_");
      checkExtension(content, filename);
      const volid = `${s.id}:${content}/${filename}`;
      const target = volumePath(s, volid);
      return ctx.core.startTask({
        node: n.name,
        type: "download",
        id: filename,
        who: ctx.who,
        durationMs: TASK_DURATIONS_MS.download ?? 5e3,
        startLog: [`downloading ${p.url ?? ""} to ${target}`],
        run(log) {
          const remote = ctx.core.state.remoteFiles[p.url ?? ""];
          if (!remote) throw new Error(`download failed: 404 Not Found`);
          const existing = findVolume(ctx.core.state, volid, n.name);
          if (existing) {
            if (p.checksum && p.checksum.toLowerCase() === remote.sha256) {
              log("file already exists and checksum matches, skipping download");
              return;
            }
            throw new Error(`refusing to override existing file '${target}'`);
          }
          if (p.checksum) {
            const expected = p.checksum.toLowerCase();
            const actual = p["checksum-algorithm"] === "sha512" ? remote.sha512 : remote.sha256;
            if (expected !== actual)
              throw new Error(
                `calculating checksum...checksum mismatch: got '${actual ?? "?"}' expected '${expected}'`
              );
            log("calculating checksum...OK, checksum verified");
          }
          addVolume(ctx.core.state, {
            volid,
            storage: s.id,
            ...s.shared ? {} : { node: n.name },
            content,
            format: content === "import" ? "qcow2" : "raw",
            size: remote.size,
            ...remote.path ? { hostPath: remote.path } : {}
          });
          log(`download of '${p.url ?? ""}' to '${target}' finished`);
        }
      });
    }
  }
];

// sim/routes/index.ts
var allRoutes = [
  ...clusterRoutes,
  ...nodeRoutes,
  ...storageRoutes,
  ...qemuLifecycleRoutes,
  ...qemuConfigRoutes,
  ...qemuCloneRoutes,
  ...qemuMigrateRoutes,
  ...qemuStatusRoutes,
  ...agentRoutes,
  ...poolRoutes,
  ...accessRoutes
];

// sim/index.ts
async function startPveSim(options = {}) {
  const persisted = options.statePath && existsSync13(options.statePath) ? JSON.parse(readFileSync7(options.statePath, "utf8")) : void 0;
  const nodeNames = Array.isArray(options.nodes) ? options.nodes : Array.from({ length: options.nodes ?? 3 }, (_, i) => `pve${i + 1}`);
  const rootTokenSecret = persisted?.rootTokenSecret ?? options.rootTokenSecret ?? randomUUID4();
  const rootPassword = persisted?.rootPassword ?? randomUUID4().slice(0, 16);
  const fresh = /* @__PURE__ */ __name(() => seedState({ nodes: nodeNames, rootTokenSecret, rootPassword }), "fresh");
  if (persisted) {
    persisted.state.groups ??= [];
    for (const task of persisted.state.tasks.filter((t) => t.status === "running")) {
      task.status = "stopped";
      task.exitstatus = "unexpected status";
      task.endedMs = Date.now();
      task.endtime = Math.floor(task.endedMs / 1e3);
    }
  }
  const core = new SimCore(
    persisted?.state ?? fresh(),
    options.timeScale ?? 0,
    options.faults ?? {},
    options.seed ?? 1
  );
  if (options.guests) {
    const guests = await GuestHost.create(options.guests === true ? {} : options.guests);
    guests.onGuestExit = (vmid2) => {
      const vm = core.findVm(vmid2);
      if (vm?.status !== "running") return;
      vm.status = "stopped";
      delete vm.startedAt;
      delete vm.agentReadyAt;
    };
    core.guests = guests;
    core.filesDir = options.statePath ? `${options.statePath}.files` : join10(guests.instanceDir, "files");
    for (const vm of core.state.vms)
      if (vm.status === "running" && bootImage(core, vm)) vm.status = "stopped";
  }
  if (options.filesDir) core.filesDir = options.filesDir;
  if (core.filesDir) rmSync7(join10(core.filesDir, "tmp"), { recursive: true, force: true });
  const certificate = options.tls ?? (persisted ? { cert: persisted.cert, key: persisted.key } : await makeCertificate());
  core.certFingerprint = fingerprintOf(certificate.cert);
  const admin = new SimAdmin(core, fresh);
  const router = new Router(allRoutes);
  const tickets = new TicketAuthority();
  const persist = /* @__PURE__ */ __name(() => {
    if (!options.statePath) return;
    const file = {
      state: core.state,
      cert: certificate.cert,
      key: certificate.key,
      rootTokenSecret,
      rootPassword
    };
    writeFileSync5(`${options.statePath}.tmp`, JSON.stringify(file), { mode: 384 });
    renameSync3(`${options.statePath}.tmp`, options.statePath);
  }, "persist");
  const listener = /* @__PURE__ */ __name((req, res) => {
    handleRequest(
      { core, router, tickets, admin: /* @__PURE__ */ __name((q, s, p, b) => admin.handleHttp(q, s, p, b), "admin") },
      req,
      res
    ).then(() => {
      if (req.method !== "GET") persist();
    }).catch((error) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  }, "listener");
  const server = options.http ? http.createServer(listener) : https.createServer(
    { cert: certificate.cert, key: certificate.key, minVersion: "TLSv1.3" },
    listener
  );
  server.keepAliveTimeout = 5e3;
  const host = options.host ?? "127.0.0.1";
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = server.address().port;
  const persistTimer = options.statePath ? setInterval(persist, 1e3) : void 0;
  persistTimer?.unref();
  return {
    url: `${options.http ? "http" : "https"}://${host}:${port}`,
    host,
    port,
    fingerprint: core.certFingerprint,
    publicKeyPin: publicKeyPinOf(certificate.cert),
    certPem: certificate.cert,
    rootToken: { id: "root@pam!pve-kube", secret: rootTokenSecret },
    rootPassword,
    admin,
    guests: core.guests,
    async close() {
      if (persistTimer) clearInterval(persistTimer);
      persist();
      core.close();
      const left = await core.guests?.teardown();
      if (left?.length) process.stderr.write(`pve-sim guests: teardown left ${left.join("; ")}
`);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
    }
  };
}
__name(startPveSim, "startPveSim");

// cli/src/commands/sim.ts
var USAGE3 = [
  "usage: pve-kube sim [--port N] [--nodes N] [--time-scale F] [--faults SPEC] [--seed N] [--state FILE] [--http] [--guests [--guests-state DIR] [--guests-instance ID]] [--daemon [--stay]]",
  "",
  "Runs pve-sim, the embedded Proxmox VE API simulator, on 127.0.0.1 until interrupted.",
  "  --port N         listen port (default 8006; 0 picks a free one)",
  "  --nodes N        number of nodes pve1..pveN (default 3)",
  "  --time-scale F   task duration factor: 1 = realistic, 0 = instant (default 1)",
  "  --faults SPEC    e.g. 5xx=0.1,596=0.05,drop=0.01,latency=50,lock=0.1,storage=0.02,offline=pve3,",
  "                   or a named profile with overrides: profile=all | profile=writes[,drop=0.01]",
  "  --seed N         seed of the fault sequence (default 1)",
  "  --state FILE     keep state, certificate and tokens in FILE across restarts",
  "  --http           plain HTTP instead of HTTPS (proxmox-api only; the bpg provider needs HTTPS)",
  "  --guests         real guests (root): a started VM whose disk came from an ext4 lab image boots as a",
  "                   systemd-nspawn machine in the lab's own network namespace (docs/pve-sim.md, Guests)",
  "  --guests-state DIR  where guests keep their instance dirs (default ~/.cache/pve-kube/pve-sim-guests)",
  "  --guests-instance ID  names the instance: its dir, network namespace pvesim-ID and cgroups (1-8 of a-z0-9)",
  "  --daemon         started by `pve-kube run --sim` over an IPC channel: reports its address on it, and",
  "                   when the run ends or dies, finishes the tasks it is running, saves and exits",
  "  --stay           with --daemon (the lab's pve-sim): keeps serving when the run ends; SIGTERM stops it"
].join("\n");
function describeSim(sim) {
  const token = `${sim.rootToken.id}=${sim.rootToken.secret}`;
  return [
    `pve-sim listening on ${sim.url}/api2/json`,
    `  TLS fingerprint (SHA-256): ${sim.fingerprint}`,
    `  Public key pin (curl --pinnedpubkey): sha256//${sim.publicKeyPin}`,
    `  API token id:     ${sim.rootToken.id}`,
    `  API token secret: ${sim.rootToken.secret}`,
    `  root@pam password: ${sim.rootPassword}`,
    "",
    "Try it:",
    sim.url.startsWith("https:") ? `  curl -sk --pinnedpubkey 'sha256//${sim.publicKeyPin}' -H 'Authorization: PVEAPIToken=${token}' ${sim.url}/api2/json/nodes` : `  curl -s -H 'Authorization: PVEAPIToken=${token}' ${sim.url}/api2/json/nodes`,
    ""
  ].join("\n");
}
__name(describeSim, "describeSim");
function number(value, name, fallback) {
  if (value === void 0) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new ConfigurationError(
      `--${name} must be a non-negative number, got '${value}'`,
      USAGE3.split("\n")[0]
    );
  return n;
}
__name(number, "number");
function guestOptions(values) {
  return {
    ...values["guests-state"] ? { stateRoot: values["guests-state"] } : {},
    ...values["guests-instance"] ? { instanceId: values["guests-instance"] } : {}
  };
}
__name(guestOptions, "guestOptions");
async function runSim(args, io, waitForExit = true) {
  const { values } = parseArgs2({
    args,
    options: {
      port: { type: "string" },
      nodes: { type: "string" },
      "time-scale": { type: "string" },
      faults: { type: "string" },
      seed: { type: "string" },
      state: { type: "string" },
      http: { type: "boolean" },
      daemon: { type: "boolean" },
      guests: { type: "boolean" },
      "guests-state": { type: "string" },
      "guests-instance": { type: "string" },
      stay: { type: "boolean" }
    }
  });
  let faults;
  try {
    faults = values.faults ? parseFaultSpec(values.faults) : {};
  } catch (error) {
    throw new ConfigurationError(
      `--faults: ${error.message}`,
      "see `pve-kube sim --help`"
    );
  }
  if (!values.guests && (values["guests-state"] || values["guests-instance"]))
    throw new ConfigurationError(
      "--guests-state and --guests-instance need --guests",
      "add --guests (real guests, root only) or drop them"
    );
  if (values.daemon && (!process.send || !values.state))
    throw new ConfigurationError(
      "--daemon needs --state and an IPC channel",
      "it is started by `pve-kube run --sim`"
    );
  const sim = await startPveSim({
    port: number(values.port, "port", 8006),
    nodes: number(values.nodes, "nodes", 3),
    timeScale: number(values["time-scale"], "time-scale", 1),
    seed: number(values.seed, "seed", 1),
    faults,
    ...values.state ? { statePath: values.state } : {},
    ...values.http ? { http: true } : {},
    ...values.guests ? { guests: guestOptions(values) } : {}
  });
  if (values.daemon && values.state) {
    await serveRun(sim, values.state, values.stay ?? false);
    return sim;
  }
  io.stdout.write(describeSim(sim));
  if (sim.guests)
    io.stdout.write(
      `Guests: lab network namespace ${sim.guests.network.name}, state ${sim.guests.instanceDir}
  run a command where lab addresses route: ip netns exec ${sim.guests.network.name} <command>
`
    );
  if (waitForExit) {
    await new Promise((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await sim.close();
  }
  return sim;
}
__name(runSim, "runSim");
async function serveRun(sim, statePath, stay) {
  const pidFile = simPidFile(statePath);
  writeFileSync6(pidFile, String(process.pid));
  const stop = /* @__PURE__ */ __name(async () => {
    await sim.close();
    rmSync8(pidFile, { force: true });
    process.exit(0);
  }, "stop");
  process.once("SIGTERM", () => void stop());
  process.once("disconnect", () => {
    if (stay) return;
    const drain = /* @__PURE__ */ __name(() => {
      if (sim.admin.runningTaskCount() > 0) setTimeout(drain, 100);
      else void stop();
    }, "drain");
    drain();
  });
  const ready = {
    url: sim.url,
    fingerprint: sim.fingerprint,
    certPem: sim.certPem
  };
  process.send?.(ready);
  await new Promise(() => void 0);
}
__name(serveRun, "serveRun");
var simCommand = {
  name: "sim",
  summary: "run pve-sim, the embedded Proxmox VE API simulator",
  usage: USAGE3,
  async run(args, io) {
    await runSim(args, io);
    return 0;
  }
};

// cli/src/commands/validate.ts
var validateCommand = {
  name: "validate",
  summary: "check a cluster.yaml and report every problem with file:line:col",
  usage: [
    "usage: pve-kube validate <cluster.yaml>...",
    "",
    "Validates each file against the schema and the cross-field rules (networks, addresses,",
    "VMIDs, nodes, versions). Prints every problem as `file:line:col: field: what \u2014 fix`.",
    "Exit code 0 when all files are valid, 1 otherwise."
  ].join("\n"),
  async run(args, io) {
    const files = args.filter((a) => !a.startsWith("-"));
    if (files.length === 0)
      throw new ConfigurationError("no file given", "usage: pve-kube validate <cluster.yaml>");
    let failed = 0;
    for (const file of files) {
      try {
        const { plan } = await loadClusterConfig(file, { cwd: io.cwd });
        const workers = plan.vms.filter((v) => v.role === "worker").length;
        const controlPlanes = plan.vms.length - workers;
        io.stdout.write(
          `${file}: valid \u2014 cluster ${plan.cluster}: ${controlPlanes} control plane(s), ${workers} worker(s) on ${plan.proxmox.nodes.join(", ")}
`
        );
      } catch (error) {
        if (!(error instanceof ConfigurationError)) throw error;
        failed++;
        io.stderr.write(`${error.message}
`);
      }
    }
    return failed > 0 ? 1 : 0;
  }
};

// cli/src/commands/index.ts
var commands = [
  validateCommand,
  planCommand,
  schemaCommand,
  simCommand,
  runCommand,
  labCommand
];

// cli/src/cli.ts
function help() {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  return [
    "pve-kube \u2014 HA Kubernetes on Proxmox VE from GitHub Actions",
    "",
    "usage: pve-kube <command> [args]",
    "",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `pve-kube <command> --help` for the options of one command."
  ].join("\n");
}
__name(help, "help");
async function runCli(argv, io) {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(`${help()}
`);
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`pve-kube: unknown command '${name}'

${help()}
`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout.write(`${command.usage}
`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (isConfigurationError(error)) {
      io.stderr.write(`${error.message}
`);
      return 1;
    }
    io.stderr.write(
      `pve-kube ${name}: internal error: ${error instanceof Error && error.stack ? error.stack : getErrorMessage(error)}
`
    );
    return 70;
  }
}
__name(runCli, "runCli");

// cli/src/main.ts
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env
});
