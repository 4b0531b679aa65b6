import { randomBytes } from "node:crypto";
import { mkdirSync, openSync, closeSync, rmSync, readFileSync, existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import {
  makeGuestCgroups,
  makeInstanceCgroups,
  ownHierarchies,
  pidsInTree,
  removeCgroupTree,
  type Hierarchy,
} from "./cgroups.js";
import { gatewaysOf, noCloudSeed } from "./cloud-init.js";
import { isExtImage, mountImage, mountOverlay, unmount } from "./disks.js";
import {
  AGENT_CHANNEL_DIR,
  AGENT_SOCKET,
  SEED_DIR,
  installGuestFiles,
  writeSeed,
} from "./guest-files.js";
import { raiseInotifyInstances } from "./host-limits.js";
import { processStartTime } from "./identity.js";
import { LEDGER_KIND, writeLedger, type Ledger } from "./ledger.js";
import {
  guardHostRoute,
  hostGuardFor,
  LabNetwork,
  netnsName,
  netnsPath,
  networkOf,
} from "./netns.js";
import { agentCommand, AgentUnavailable } from "./qga.js";
import { reapLeftovers, removeInstance } from "./reap.js";

export { AgentUnavailable, AgentCommandError } from "./qga.js";
export { isExtImage } from "./disks.js";
export { noCloudSeed } from "./cloud-init.js";

export interface GuestOptions {
  /** where lab instances keep their state (one directory each); default ~/.cache/pve-kube/pve-sim-guests */
  stateRoot?: string;
  /** names the instance (its directory, network namespace and cgroups); default 8 random hex digits */
  instanceId?: string;
  /** more systemd-nspawn arguments for every guest (what the lab image's documentation asks for) */
  extraNspawnArgs?: string[];
  /** where pve-sim says what it does with guests (reaping, failures); default stderr */
  log?: (line: string) => void;
}

/** One running guest. */
interface Machine {
  vmid: number;
  child: ChildProcess;
  pid: number;
  startedAt: number;
  vmDir: string;
  root: string;
  cgroups: string[];
  veths: string[];
  /** stopping on purpose (API shutdown/stop): its exit is not news */
  stopping: boolean;
  exited: Promise<number | null>;
  limits: { enforced: string[]; notEnforced: string[] };
}

/** What the admin surface and `pve-kube lab exec` need to know about a guest. */
export interface GuestInfo {
  vmid: number;
  pid: number;
  startedAt: number;
  root: string;
  consoleLog: string;
  limits: { enforced: string[]; notEnforced: string[] };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * pve-sim's guests: a started VM whose boot disk is an ext4 image is a real Linux machine
 * (systemd-nspawn), booted from a copy-on-write overlay over the image, on a bridge in the lab's
 * own network namespace, with its cloud-init seed and a real guest agent.
 */
export class GuestHost {
  private readonly machines = new Map<number, Machine>();
  /** guest networks whose host guard someone else made (see guard()) */
  private readonly borrowedGuards = new Set<string>();
  /** the start in progress (starts are serialised; each takes well under a second) */
  private starting: Promise<void> = Promise.resolve();
  /** called when a guest's machine ends without pve-sim asking (powered off inside, crashed) */
  onGuestExit: (vmid: number) => void = () => undefined;

  private constructor(
    readonly instanceId: string,
    readonly instanceDir: string,
    readonly network: LabNetwork,
    private readonly ledger: Ledger,
    private readonly hierarchies: Hierarchy[],
    private readonly instanceCgroups: string[],
    private readonly options: GuestOptions,
  ) {}

  static async create(options: GuestOptions = {}): Promise<GuestHost> {
    const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const stateRoot = options.stateRoot ?? join(homedir(), ".cache", "pve-kube", "pve-sim-guests");
    const instanceId = options.instanceId ?? randomBytes(4).toString("hex");
    if (!/^[a-z0-9]{1,8}$/.test(instanceId))
      throw new Error(`guests.instanceId '${instanceId}': use 1-8 lower-case letters or digits`);
    mkdirSync(stateRoot, { recursive: true });
    await reapLeftovers(stateRoot, log);
    const instanceDir = join(stateRoot, instanceId);
    mkdirSync(instanceDir, { recursive: true });
    const ledger: Ledger = {
      kind: LEDGER_KIND,
      instanceId,
      owner: { pid: process.pid, startTime: processStartTime(process.pid) ?? "" },
      cgroups: [],
      mounts: [],
      machines: [],
    };
    const hierarchies = ownHierarchies();
    ledger.cgroups = hierarchies.map((h) => join(h.ownDir, `pve-sim-${instanceId}`));
    ledger.netns = netnsName(instanceId);
    // recorded before anything is made: a crash in between still leaves a ledger to reap by
    writeLedger(instanceDir, ledger);
    const instanceCgroups = makeInstanceCgroups(hierarchies, instanceId);
    mkdirSync("/run/systemd/nspawn", { recursive: true });
    raiseInotifyInstances(log);
    const network = await LabNetwork.create(ledger.netns);
    return new GuestHost(instanceId, instanceDir, network, ledger, hierarchies, instanceCgroups, {
      ...options,
      log,
    });
  }

  /**
   * The host-side guard of a guest network, recorded before it is made (see guardHostRoute). A
   * guard that is already there belongs to whoever made it (a running lab, another instance) and
   * is neither recorded nor removed at close: removing it would unguard their running guests.
   */
  private async guard(network: string): Promise<void> {
    const routes = (this.ledger.guardRoutes ??= []);
    if (routes.includes(network) || this.borrowedGuards.has(network)) return;
    if ((await hostGuardFor(network)) === "guarded") {
      this.borrowedGuards.add(network);
      return;
    }
    routes.push(network);
    this.save();
    await guardHostRoute(network);
  }

  private save(): void {
    writeLedger(this.instanceDir, this.ledger);
  }

  private recordMount = (mountPoint: string) => {
    if (!this.ledger.mounts.includes(mountPoint)) this.ledger.mounts.push(mountPoint);
    this.save();
  };

  /** Whether a disk image can boot as a guest (an ext4 file system image). */
  bootable(image: string | undefined): image is string {
    return image !== undefined && isExtImage(image);
  }

  running(vmid: number): GuestInfo | undefined {
    const m = this.machines.get(vmid);
    if (!m) return undefined;
    return {
      vmid,
      pid: m.pid,
      startedAt: m.startedAt,
      root: m.root,
      consoleLog: join(m.vmDir, "console.log"),
      limits: m.limits,
    };
  }

  guests(): GuestInfo[] {
    return [...this.machines.keys()].flatMap((vmid) => this.running(vmid) ?? []);
  }

  /** Memory the guest's processes use now (the memory cgroup's usage), if the host reports it. */
  memoryUsage(vmid: number): number | undefined {
    const dir = this.machines.get(vmid)?.cgroups.find((d) => d.includes("/memory/"));
    if (!dir) return undefined;
    try {
      return Number(readFileSync(join(dir, "memory.usage_in_bytes"), "utf8").trim());
    } catch {
      return undefined;
    }
  }

  private vmDir(vmid: number): string {
    return join(this.instanceDir, "vms", String(vmid));
  }

  /**
   * Boots VM `vmid` from `image` with the VM's (pending-applied) config: overlay root, cloud-init
   * seed, NICs on their bridges, cgroups with its memory and cores. Resolves once the machine's
   * process runs (as qmstart ends once QEMU runs, long before the guest has booted).
   */
  async start(vmid: number, config: Record<string, string>, image: string): Promise<GuestInfo> {
    // one start at a time: concurrent starts (bpg starts every clone at once) would race on the
    // shared image mount, the bridge and the gateway address ("File exists")
    const previous = this.starting;
    let done = () => undefined as void;
    this.starting = new Promise<void>((resolve) => (done = resolve));
    await previous;
    try {
      return await this.startNow(vmid, config, image);
    } finally {
      done();
    }
  }

  private async startNow(
    vmid: number,
    config: Record<string, string>,
    image: string,
  ): Promise<GuestInfo> {
    if (this.machines.has(vmid)) throw new Error(`VM ${vmid} already running`);
    const vmDir = this.vmDir(vmid);
    mkdirSync(join(vmDir, "containerd"), { recursive: true });
    const lower = await mountImage(this.instanceDir, image, this.recordMount);
    const root = await mountOverlay(lower, vmDir, this.recordMount);
    const net0Mac = /=((?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2})/.exec(config.net0 ?? "")?.[1];
    installGuestFiles(root, net0Mac?.toLowerCase());
    writeSeed(join(vmDir, "seed"), noCloudSeed(config, vmid, "nspawn-host0"));
    const agent = /^(1|enabled=1|enabled=on|on|yes)(,|$)/.test(config.agent ?? "0");
    const agentDir = join(vmDir, "agent");
    rmSync(agentDir, { recursive: true, force: true });
    if (agent) mkdirSync(agentDir);

    for (const [bridge, cidr] of gatewaysOf(config)) {
      await this.guard(networkOf(cidr));
      await this.network.gateway(bridge, cidr);
    }
    // net0 only: nspawn's own veth on the bridge (`vb-<machine>` in the lab namespace, `host0`
    // inside). Moving a prepared veth with the config's MAC in (--network-interface) fails here:
    // nspawn looks the device up in /sys, which shows the host's namespace, not the lab's.
    const veths: string[] = [];
    const nicArgs: string[] = [];
    const net0 = config.net0 ?? "";
    const bridge = /(?:^|,)bridge=([^,]+)/.exec(net0)?.[1];
    if (bridge && !/(?:^|,)link_down=1/.test(net0)) {
      await this.network.bridge(bridge);
      nicArgs.push(`--network-bridge=${bridge}`);
    }
    const memoryMiB = Number((config.memory ?? "512").replace(/^current=/, "").split(",")[0]);
    const cores = Number(config.cores ?? 1) * Number(config.sockets ?? 1);
    const cgroups = makeGuestCgroups(this.hierarchies, this.instanceCgroups, `vm${vmid}`, {
      memoryBytes: memoryMiB * 1024 * 1024,
      cores: Number(config.vcpus ?? cores) || cores,
    });
    const uuid = /uuid=([0-9a-fA-F-]{36})/.exec(config.smbios1 ?? "")?.[1];
    const machineName = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$/.test(config.name ?? "")
      ? (config.name ?? `vm${vmid}`)
      : `vm${vmid}`;
    const nspawn = [
      "systemd-nspawn",
      "--quiet",
      "--register=no",
      "--keep-unit",
      "--boot",
      `--directory=${root}`,
      `--machine=${machineName}`,
      ...(uuid ? [`--uuid=${uuid}`] : []),
      ...nicArgs,
      ...(nicArgs.length === 0 ? ["--private-network"] : []),
      "--capability=all",
      "--system-call-filter=bpf perf_event_open",
      "--resolv-conf=off",
      "--timezone=off",
      "--link-journal=no",
      `--bind=${join(vmDir, "containerd")}:/var/lib/containerd`,
      `--bind-ro=${join(vmDir, "seed")}:${SEED_DIR}`,
      ...(agent ? [`--bind=${agentDir}:${AGENT_CHANNEL_DIR}`] : []),
      ...(this.options.extraNspawnArgs ?? []),
    ];
    // the shell puts itself into the guest's cgroups, then becomes nspawn inside the lab namespace:
    // nspawn and everything it starts are in them from the first instruction
    const joinCgroups = cgroups.dirs.map((d) => `echo $$ > '${d}/cgroup.procs'`).join(" && ");
    const consoleLog = join(vmDir, "console.log");
    const out = openSync(consoleLog, "a");
    const spawnOptions: SpawnOptions = { stdio: ["ignore", out, out], detached: true };
    // nsenter, not `ip netns exec`: that remounts /sys, which would hide the cgroup mounts nspawn needs
    const child = spawn(
      "/bin/sh",
      [
        "-c",
        `${joinCgroups} && exec "$@"`,
        "sh",
        "nsenter",
        `--net=${netnsPath(this.network.name)}`,
        ...nspawn,
      ],
      spawnOptions,
    );
    closeSync(out);
    // the shell execs nsenter, which execs nspawn: one pid all along
    const pid = child.pid;
    if (pid === undefined) throw new Error(`VM ${vmid}: could not start systemd-nspawn`);
    const exited = new Promise<number | null>((resolve) =>
      child.once("exit", (code) => resolve(code)),
    );
    const machine: Machine = {
      vmid,
      child,
      pid,
      startedAt: Date.now(),
      vmDir,
      root,
      cgroups: cgroups.dirs,
      veths,
      stopping: false,
      exited,
      limits: { enforced: cgroups.enforced, notEnforced: cgroups.notEnforced },
    };
    this.machines.set(vmid, machine);
    this.ledger.machines.push({ vmid, pid, startTime: processStartTime(pid) ?? "", root });
    this.save();
    void exited.then((code) => this.afterExit(machine, code, config, image));
    return this.running(vmid) as GuestInfo;
  }

  /** Cleans up after a machine ended; a reboot from inside (nspawn's exit 133) boots it again. */
  private async afterExit(
    machine: Machine,
    code: number | null,
    config: Record<string, string>,
    image: string,
  ): Promise<void> {
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
  private async killTree(machine: Machine): Promise<void> {
    for (let round = 0; round < 50; round++) {
      const pids = new Set(machine.cgroups.flatMap(pidsInTree));
      if (pids.size === 0) return;
      for (const pid of pids) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      await sleep(100);
    }
  }

  /** Waits for a machine's end and its clean-up. */
  private async ended(machine: Machine): Promise<void> {
    await machine.exited;
    while (this.machines.get(machine.vmid) === machine) await sleep(50);
  }

  /**
   * Clean shutdown: SIGTERM makes nspawn power the guest off (systemd stops its units); after
   * `timeoutMs` it is killed, as qm shutdown --forceStop would.
   */
  async shutdown(vmid: number, timeoutMs: number): Promise<void> {
    const machine = this.machines.get(vmid);
    if (!machine) return;
    machine.stopping = true;
    process.kill(machine.pid, "SIGTERM");
    const done = await Promise.race([
      machine.exited.then(() => true),
      sleep(timeoutMs).then(() => false),
    ]);
    if (!done) await this.stop(vmid);
    await this.ended(machine);
  }

  /** Hard stop: every process of the guest is killed at once, as `qm stop` ends QEMU. */
  async stop(vmid: number): Promise<void> {
    const machine = this.machines.get(vmid);
    if (!machine) return;
    machine.stopping = true;
    await this.killTree(machine);
    await this.ended(machine);
  }

  /** Removes a VM's disk layer (its overlay's upper dir, /var/lib/containerd, seed). */
  async destroy(vmid: number): Promise<void> {
    await this.stop(vmid);
    const dir = this.vmDir(vmid);
    await unmount(join(dir, "root"));
    rmSync(dir, { recursive: true, force: true });
  }

  /** One guest-agent command through the guest's own qemu-ga. */
  async agent(vmid: number, command: string, args?: Record<string, unknown>): Promise<unknown> {
    const machine = this.machines.get(vmid);
    const socket = join(this.vmDir(vmid), "agent", AGENT_SOCKET);
    if (!machine || !existsSync(socket)) throw new AgentUnavailable("not-running");
    return agentCommand(socket, command, args);
  }

  /** Spawns a program inside the lab network namespace (ssh to guests, kubectl, ansible-playbook). */
  spawnInLab(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    return this.network.spawn(command, args, options);
  }

  describe() {
    return {
      instanceId: this.instanceId,
      instanceDir: this.instanceDir,
      netns: this.network.name,
      execPrefix: this.network.execArgv([]),
      guests: this.guests(),
    };
  }

  /** Stops every guest and removes everything this instance made. Returns what could not be removed. */
  async teardown(): Promise<string[]> {
    await Promise.all([...this.machines.keys()].map((vmid) => this.stop(vmid)));
    return removeInstance(this.instanceDir, this.ledger);
  }
}
