import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  INTERRUPTED_LOCKS
} from "./chunk-INEIXNJH.mjs";
import {
  VIRT_CUSTOMIZE_MISSING,
  assertVirtCustomize
} from "./chunk-OYR6Y53Q.mjs";
import {
  connectionForCluster,
  connectionInputsOf,
  createProxmoxClient,
  effectivePermissions,
  isOwnedBy,
  isVmidFree,
  listVms
} from "./chunk-EOWCMVVJ.mjs";
import {
  BROAD_PATHS,
  PLAN_TOKEN_WRITE_EXCEPTIONS,
  PVE_KUBE_READ_ONLY_ROLE,
  TOKEN_AUDIT_PATH,
  excessPrivileges,
  formatPaths,
  fullGrantCommands,
  isReadOnlyPrivilege,
  missingPrivileges,
  permissionPaths,
  privilegeScopeOf,
  shellQuote,
  tokenSetup
} from "./chunk-AOOLGRGL.mjs";
import "./chunk-N6HR45QX.mjs";
import {
  table
} from "./chunk-47EJWNSM.mjs";
import "./chunk-XERDAEEQ.mjs";
import {
  actionDeps,
  appendJobSummary,
  booleanInput,
  finishPhase,
  inputFromEnv,
  parsePhaseSelection,
  proxmoxConnectionInputs,
  readInputs
} from "./chunk-ILTBTALZ.mjs";
import {
  external_exports,
  loadClusterConfig
} from "./chunk-OXUWTRXE.mjs";
import "./chunk-4BVVZQQR.mjs";
import {
  ConfigurationError
} from "./chunk-SAJHUJQG.mjs";
import "./chunk-4EMYZHSE.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/preflight/src/preflight-action.ts
import path from "node:path";

// actions/preflight/src/check-gates.ts
import { createHash } from "node:crypto";

// actions/preflight/src/outcome.ts
var pass = /* @__PURE__ */ __name((check, detail) => ({
  check,
  result: "pass",
  detail
}), "pass");
var warn = /* @__PURE__ */ __name((check, detail, fix) => ({
  check,
  result: "warn",
  detail,
  ...fix ? { fix } : {}
}), "warn");
var fail = /* @__PURE__ */ __name((check, detail, fix) => ({
  check,
  result: "fail",
  detail,
  ...fix ? { fix } : {}
}), "fail");
var skipped = /* @__PURE__ */ __name((check, detail) => ({
  check,
  result: "skipped",
  detail
}), "skipped");
function hasFailures(outcomes) {
  return outcomes.some((o) => o.result === "fail");
}
__name(hasFailures, "hasFailures");
var GIB = 1024 ** 3;
var gib = /* @__PURE__ */ __name((bytes) => `${(bytes / GIB).toFixed(1)} GiB`, "gib");
function describeError(error) {
  const message = error instanceof Error ? error.message : String(error);
  const fix = error?.fix;
  if (typeof fix === "string" && fix && message.endsWith(` \u2014 ${fix}`))
    return { detail: message.slice(0, -(fix.length + 3)), fix };
  return { detail: message };
}
__name(describeError, "describeError");

// actions/preflight/src/check-gates.ts
var DEFAULT_EXPECTED_LABELS = ["self-hosted", "proxmox"];
var GITHUB_HOSTED_LABEL = /^(ubuntu|windows|macos)-/;
function checkEnvironment(environment) {
  const name = "protected environment";
  const value = (environment ?? "").trim();
  if (value === "")
    return fail(
      name,
      "no environment given: the jobs that change Proxmox would run without an approval gate",
      "pass environment: (e.g. production), create that environment with required reviewers, and keep the write token (PROXMOX_TOKEN_SECRET) as a secret of that environment only"
    );
  return pass(
    name,
    `the jobs that change Proxmox run in '${value}' (its required reviewers approve them; the write token should be one of its secrets)`
  );
}
__name(checkEnvironment, "checkEnvironment");
function checkRunner(labelsJson, env) {
  const name = "runner";
  const fix = "run the privileged jobs on the self-hosted pve-kube runner: runner-labels must include self-hosted and the runner's declared labels (runner-setup registers self-hosted,linux,x64,proxmox)";
  if (env.RUNNER_ENVIRONMENT === "github-hosted")
    return [
      fail(
        name,
        "this job runs on a GitHub-hosted runner (RUNNER_ENVIRONMENT=github-hosted); the Proxmox token must only reach the self-hosted runner",
        fix
      )
    ];
  if (labelsJson === void 0 || labelsJson.trim() === "")
    return [pass(name, `self-hosted runner ${env.RUNNER_NAME ?? "(unnamed)"}; labels not checked`)];
  let labels;
  try {
    const parsed = JSON.parse(labelsJson);
    if (!Array.isArray(parsed) || !parsed.every((l) => typeof l === "string")) throw new Error();
    labels = parsed;
  } catch {
    return [
      fail(
        name,
        `runner-labels is not a JSON array of labels: ${labelsJson}`,
        `give it as runs-on takes it, e.g. '["self-hosted", "linux", "x64", "proxmox"]'`
      )
    ];
  }
  const hosted = labels.filter((l) => GITHUB_HOSTED_LABEL.test(l));
  const declared = (env.PVE_KUBE_RUNNER_LABELS ?? "").split(",").map((l) => l.trim()).filter(Boolean);
  const expected = [
    .../* @__PURE__ */ new Set(["self-hosted", ...declared.length ? declared : DEFAULT_EXPECTED_LABELS])
  ];
  const absent = expected.filter((l) => !labels.includes(l));
  if (hosted.length > 0 || absent.length > 0) {
    return [
      fail(
        name,
        `runner-labels ${JSON.stringify(labels)} ${hosted.length ? `name GitHub-hosted runners (${hosted.join(", ")})` : `lack ${absent.join(", ")}`}: the privileged jobs could land on a runner that is not the pve-kube runner (expected ${expected.join(", ")}${declared.length ? ", as this runner declares in PVE_KUBE_RUNNER_LABELS" : ""})`,
        fix
      )
    ];
  }
  return [
    pass(
      name,
      `self-hosted runner ${env.RUNNER_NAME ?? "(unnamed)"}; every privileged job asks for ${expected.join(", ")}`
    )
  ];
}
__name(checkRunner, "checkRunner");
function clusterIdentity(plan) {
  const endpoint = new URL(plan.proxmox.endpoint);
  const digest = createHash("sha256").update(`${plan.cluster}
${endpoint.protocol}//${endpoint.host}`).digest("hex").slice(0, 16);
  return `${plan.cluster}-${digest}`;
}
__name(clusterIdentity, "clusterIdentity");

// actions/preflight/src/inputs.ts
var inputSchema = external_exports.object({
  cluster: external_exports.string({ error: "is required: the path of cluster.yaml" }),
  ...proxmoxConnectionInputs,
  phases: external_exports.string().default("all"),
  "simulate-customize": booleanInput(false),
  "template-image-file": external_exports.string().optional(),
  "token-access": external_exports.enum(["write", "read-only"], { error: "must be write or read-only" }).default("write"),
  "write-token-id": external_exports.string().optional(),
  environment: external_exports.string().optional(),
  "require-environment": booleanInput(false),
  "runner-labels": external_exports.string().optional(),
  "gates-only": booleanInput(false),
  "network-checks": external_exports.enum(["auto", "always", "never"], { error: "must be auto, always or never" }).default("auto")
});

// actions/preflight/src/check-capacity.ts
var MIB = 1024 ** 2;
var GIB2 = 1024 ** 3;
var THIN = /* @__PURE__ */ new Set(["lvmthin", "zfspool", "rbd", "btrfs"]);
function checkCapacity(plan, inventory, existing) {
  const outcomes = [];
  const fresh = plan.vms.filter((vm) => !existing.has(vm.vmid));
  const nodes = [...new Set(plan.vms.map((vm) => vm.node))];
  for (const node of nodes) {
    const info = inventory.nodes.get(node);
    if (info?.status !== "online") continue;
    const mine = fresh.filter((vm) => vm.node === node);
    const name = `capacity of ${node}`;
    if (mine.length === 0) {
      outcomes.push(pass(name, "no new VMs on this node"));
      continue;
    }
    const problems = [];
    const widest = mine.reduce((a, b) => b.cores > a.cores ? b : a);
    if (info.maxcpu !== void 0 && widest.cores > info.maxcpu) {
      problems.push(
        fail(
          `${name}: CPU`,
          `${widest.name} wants ${widest.cores} cores, ${node} has ${info.maxcpu}`,
          "lower cores for that pool, or place it on a larger node"
        )
      );
    }
    const memory = mine.reduce((sum, vm) => sum + vm.memoryMiB * MIB, 0);
    if (info.maxmem !== void 0 && info.mem !== void 0) {
      const freeMem = info.maxmem - info.mem;
      if (memory > freeMem) {
        problems.push(
          fail(
            `${name}: memory`,
            `the ${mine.length} new VMs need ${gib(memory)}, ${node} has ${gib(freeMem)} free of ${gib(info.maxmem)}`,
            "lower memoryMiB or counts, spread the VMs over more nodes, or free memory on the node"
          )
        );
      }
    }
    outcomes.push(
      ...problems.length ? problems : [
        pass(
          name,
          `${mine.length} new VMs: ${mine.reduce((s, vm) => s + vm.cores, 0)} vCPUs, ${gib(memory)} RAM${info.maxmem !== void 0 && info.mem !== void 0 ? ` of ${gib(info.maxmem - info.mem)} free` : ""}`
        )
      ]
    );
  }
  outcomes.push(...checkDisk(plan, inventory, fresh));
  return outcomes;
}
__name(checkCapacity, "checkCapacity");
function checkDisk(plan, inventory, fresh) {
  const storage = plan.proxmox.diskStorage;
  const out = [];
  const groups = /* @__PURE__ */ new Map();
  for (const vm of fresh) {
    const info = inventory.storages.get(vm.node)?.find((s) => s.storage === storage);
    if (!info) continue;
    const key = info.shared ? "shared" : vm.node;
    const group = groups.get(key) ?? { nodes: [], bytes: 0 };
    if (!group.nodes.includes(vm.node)) group.nodes.push(vm.node);
    group.bytes += vm.diskGiB * GIB2;
    groups.set(key, group);
  }
  for (const [key, group] of groups) {
    const info = inventory.storages.get(group.nodes[0])?.find((s) => s.storage === storage);
    if (info?.avail === void 0) continue;
    const name = `disk space on ${storage}${key === "shared" ? " (shared)" : ` on ${key}`}`;
    if (group.bytes <= info.avail) {
      out.push(pass(name, `new VM disks ${gib(group.bytes)}, ${gib(info.avail)} free`));
    } else if (THIN.has(info.type)) {
      out.push(
        warn(
          name,
          `new VM disks ${gib(group.bytes)} exceed the ${gib(info.avail)} free on thin-provisioned ${info.type}; fine until the disks fill up`,
          "watch the thin pool usage, or add space"
        )
      );
    } else {
      out.push(
        fail(
          name,
          `new VM disks need ${gib(group.bytes)}, ${storage} has ${gib(info.avail)} free`,
          "lower diskGiB or counts, use another proxmox.storage.disks, or free space"
        )
      );
    }
  }
  return out;
}
__name(checkDisk, "checkDisk");

// actions/preflight/src/check-connection.ts
var MIN_VERSION = { major: 8, minor: 4 };
function parseVersion(version) {
  const match = /^(\d+)\.(\d+)/.exec(version.trim());
  return match ? { version: version.trim(), major: Number(match[1]), minor: Number(match[2]) } : void 0;
}
__name(parseVersion, "parseVersion");
var TLS_DETAIL = {
  pinned: "certificate pinned by fingerprint",
  "ca-file": "certificate verified against the configured CA file",
  verified: "certificate verified against the system CAs",
  insecure: "certificate NOT verified (insecure)"
};
async function checkConnection(client) {
  const { endpoint } = client;
  let raw;
  try {
    raw = await client.api.version.$get();
  } catch (error) {
    const { detail, fix } = describeError(error);
    return { outcomes: [fail("Proxmox reachable, TLS trusted, token accepted", detail, fix)] };
  }
  const outcomes = [];
  const where = `${endpoint.host}:${endpoint.port} as ${endpoint.tokenId}, ${TLS_DETAIL[endpoint.tlsMode]}`;
  outcomes.push(
    endpoint.tlsMode === "insecure" ? warn(
      "Proxmox reachable, TLS trusted, token accepted",
      where,
      "pin the certificate fingerprint (proxmox.tls.fingerprint, from `pvenode cert info`) instead of insecure"
    ) : pass("Proxmox reachable, TLS trusted, token accepted", where)
  );
  const version = parseVersion(typeof raw.version === "string" ? raw.version : "");
  if (!version) {
    outcomes.push(
      fail(
        "Proxmox VE version",
        `unrecognised version ${JSON.stringify(raw.version)}`,
        "check that the URL points at a Proxmox VE API"
      )
    );
    return { outcomes };
  }
  const recent = version.major > MIN_VERSION.major || version.major === MIN_VERSION.major && version.minor >= MIN_VERSION.minor;
  outcomes.push(
    recent ? pass(
      "Proxmox VE version",
      `${version.version} (\u2265 ${MIN_VERSION.major}.${MIN_VERSION.minor})`
    ) : fail(
      "Proxmox VE version",
      `${version.version} is too old: pve-kube needs Proxmox VE ${MIN_VERSION.major}.${MIN_VERSION.minor} or newer (cloud images are imported through the 'import' storage content type)`,
      "upgrade the cluster (`apt update && apt full-upgrade` on each node, see the Proxmox upgrade guide for major versions)"
    )
  );
  return { outcomes, version };
}
__name(checkConnection, "checkConnection");

// actions/preflight/src/check-inventory.ts
var str = /* @__PURE__ */ __name((v, fallback = "") => typeof v === "string" ? v : typeof v === "number" ? String(v) : fallback, "str");
var num = /* @__PURE__ */ __name((v) => v === void 0 || v === null || v === "" ? void 0 : Number(v), "num");
function usedNodes(plan) {
  return [.../* @__PURE__ */ new Set([plan.template.node, ...plan.vms.map((vm) => vm.node)])];
}
__name(usedNodes, "usedNodes");
async function readInventory(client, nodes) {
  const rows = await client.api.nodes.$get();
  const byName = new Map(
    rows.map((r) => {
      const info = { node: String(r.node), status: str(r.status, "unknown") };
      const maxcpu = num(r.maxcpu);
      const maxmem = num(r.maxmem);
      const mem = num(r.mem);
      if (maxcpu !== void 0) info.maxcpu = maxcpu;
      if (maxmem !== void 0) info.maxmem = maxmem;
      if (mem !== void 0) info.mem = mem;
      return [info.node, info];
    })
  );
  const storages = /* @__PURE__ */ new Map();
  for (const node of nodes) {
    if (byName.get(node)?.status !== "online") continue;
    const list = await client.api.nodes.$(node).storage.$get();
    storages.set(
      node,
      list.map((s) => {
        const info = {
          storage: String(s.storage),
          type: str(s.type),
          content: str(s.content).split(",").map((c) => c.trim()).filter(Boolean),
          active: Number(s.active ?? 1) === 1,
          enabled: Number(s.enabled ?? 1) === 1,
          shared: Number(s.shared ?? 0) === 1
        };
        const avail = num(s.avail);
        const total = num(s.total);
        if (avail !== void 0) info.avail = avail;
        if (total !== void 0) info.total = total;
        return info;
      })
    );
  }
  return { nodes: byName, storages };
}
__name(readInventory, "readInventory");
function checkNodes(plan, inventory) {
  const known = [...inventory.nodes.keys()].sort();
  return usedNodes(plan).map((node) => {
    const info = inventory.nodes.get(node);
    if (!info) {
      return fail(
        `node ${node}`,
        `no Proxmox node named '${node}' (the cluster has: ${known.join(", ") || "none visible"})`,
        "fix proxmox.nodes / template.node in cluster.yaml (names as `pvecm nodes` shows them)"
      );
    }
    if (info.status !== "online")
      return fail(
        `node ${node}`,
        `node ${node} is ${info.status}`,
        "bring the node online, or remove it from proxmox.nodes"
      );
    return pass(
      `node ${node}`,
      `online${info.maxcpu ? `, ${info.maxcpu} CPUs` : ""}${info.maxmem ? `, ${gib(info.maxmem)} RAM` : ""}`
    );
  });
}
__name(checkNodes, "checkNodes");
function storageNeeds(plan) {
  const needs = [];
  const add = /* @__PURE__ */ __name((need) => {
    if (!needs.some(
      (n) => n.storage === need.storage && n.node === need.node && n.content === need.content
    ))
      needs.push(need);
  }, "add");
  for (const vm of plan.vms)
    add({ storage: plan.proxmox.diskStorage, node: vm.node, content: "images", why: "VM disks" });
  add({
    storage: plan.template.storage,
    node: plan.template.node,
    content: "images",
    why: "the template disk"
  });
  add({
    storage: plan.proxmox.imageStorage,
    node: plan.template.node,
    content: "import",
    why: "the cloud image to import"
  });
  return needs;
}
__name(storageNeeds, "storageNeeds");
function checkStorages(plan, inventory) {
  return storageNeeds(plan).flatMap((need) => {
    const list = inventory.storages.get(need.node);
    if (!list) return [];
    const name = `storage ${need.storage} on ${need.node}`;
    const s = list.find((x) => x.storage === need.storage);
    if (!s) {
      const candidates = list.filter((x) => x.content.includes(need.content)).map((x) => x.storage);
      return [
        fail(
          name,
          `no storage '${need.storage}' on ${need.node} (needed for ${need.why})${candidates.length ? `; storages with content '${need.content}' there: ${candidates.join(", ")}` : ""}`,
          "fix proxmox.storage in cluster.yaml, or add the storage to this node (Datacenter \u2192 Storage \u2192 Nodes)"
        )
      ];
    }
    if (!s.enabled || !s.active)
      return [
        fail(
          name,
          `storage ${need.storage} is ${!s.enabled ? "disabled" : "not active"} on ${need.node}`,
          "enable it (Datacenter \u2192 Storage) and check that it is mounted/online"
        )
      ];
    if (!s.content.includes(need.content)) {
      return [
        fail(
          `${name} (${need.content})`,
          `storage ${need.storage} does not allow content type '${need.content}' (has: ${s.content.join(", ") || "none"}), needed for ${need.why}`,
          `allow it: \`pvesm set ${need.storage} --content ${[...s.content, need.content].join(",")}\` (or Datacenter \u2192 Storage \u2192 Edit \u2192 Content)`
        )
      ];
    }
    return [
      pass(
        `${name} (${need.content})`,
        `${s.type}${s.shared ? ", shared" : ""}${s.avail !== void 0 ? `, ${gib(s.avail)} free` : ""}`
      )
    ];
  });
}
__name(checkStorages, "checkStorages");
async function checkBridges(client, plan, inventory) {
  const bridge = plan.network.bridge;
  const vlan = plan.network.vlan;
  const out = [];
  let vnets;
  for (const node of usedNodes(plan)) {
    if (inventory.nodes.get(node)?.status !== "online") continue;
    const name = `bridge ${bridge} on ${node}`;
    try {
      const ifaces = await client.api.nodes.$(node).network.$get();
      const found = ifaces.find((i) => i.iface === bridge);
      if (found && /bridge/i.test(String(found.type))) {
        const vlanAware = Number(found.bridge_vlan_aware ?? 0) === 1 || String(found.type) === "OVSBridge";
        out.push(
          vlan !== void 0 && !vlanAware ? warn(
            name,
            `${bridge} is not VLAN-aware; Proxmox will create a VLAN ${vlan} bridge for the VMs`,
            `make ${bridge} VLAN-aware (System \u2192 Network \u2192 ${bridge} \u2192 VLAN aware) to tag on one bridge`
          ) : pass(name, `${String(found.type)}${vlan !== void 0 ? `, VLAN ${vlan}` : ""}`)
        );
        continue;
      }
      vnets ??= await sdnVnets(client);
      if (vnets.includes(bridge)) {
        out.push(pass(name, `SDN VNet ${bridge}`));
        continue;
      }
      const bridges = ifaces.filter((i) => /bridge/i.test(String(i.type))).map((i) => String(i.iface));
      out.push(
        fail(
          name,
          `no bridge '${bridge}' on ${node}${bridges.length ? ` (bridges there: ${bridges.join(", ")})` : ""}`,
          "fix network.bridge in cluster.yaml, or create the bridge on the node (System \u2192 Network)"
        )
      );
    } catch (error) {
      const { detail, fix } = describeError(error);
      out.push(fail(name, `cannot list the network of ${node}: ${detail}`, fix));
    }
  }
  return out;
}
__name(checkBridges, "checkBridges");
async function sdnVnets(client) {
  try {
    const rows = await client.api.cluster.sdn.vnets.$get();
    return rows.map((r) => r.vnet ?? "").filter(Boolean);
  } catch {
    return [];
  }
}
__name(sdnVnets, "sdnVnets");

// actions/preflight/src/check-network.ts
import net from "node:net";
import os from "node:os";
var PROBE_PORTS = [22, 6443, 443];
function tcpProbe(timeoutMs = 1500, ports = PROBE_PORTS) {
  const one = /* @__PURE__ */ __name((ip, port) => new Promise((resolve) => {
    const socket = net.connect({ host: ip, port });
    const finish = /* @__PURE__ */ __name((answered) => {
      socket.destroy();
      resolve(answered);
    }, "finish");
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once("connect", () => finish(true));
    socket.once("error", (error) => finish(error.code === "ECONNREFUSED"));
  }), "one");
  return async (ip) => (await Promise.all(ports.map((p) => one(ip, p)))).some(Boolean);
}
__name(tcpProbe, "tcpProbe");
function ipToInt(ip) {
  return ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}
__name(ipToInt, "ipToInt");
function inCidr(ip, cidr) {
  const [base, bits] = cidr.split("/");
  const prefix = Number(bits);
  if (!base || !Number.isInteger(prefix)) return false;
  const size = 2 ** (32 - prefix);
  return Math.floor(ipToInt(ip) / size) === Math.floor(ipToInt(base) / size);
}
__name(inCidr, "inCidr");
function localAddresses() {
  return Object.values(os.networkInterfaces()).flat().filter((a) => Boolean(a && a.family === "IPv4")).map((a) => a.address);
}
__name(localAddresses, "localAddresses");
async function checkAddresses(plan, existing, mode, probe = tcpProbe(), ownAddresses = localAddresses) {
  const targets = plan.vms.filter((vm) => !existing.has(vm.vmid)).map((vm) => ({ ip: vm.ip, what: vm.name }));
  const anyControlPlane = plan.vms.some(
    (vm) => vm.role === "control-plane" && existing.has(vm.vmid)
  );
  if (!anyControlPlane) targets.push({ ip: plan.network.vip, what: "the control-plane VIP" });
  const name = "IP addresses and VIP unused";
  if (targets.length === 0)
    return [pass(name, "all planned VMs exist already; their addresses are theirs")];
  if (mode === "never") return [skipped(name, "network checks disabled (network-checks: never)")];
  const onLink = ownAddresses().some((ip) => inCidr(ip, plan.network.cidr));
  if (mode === "auto" && !onLink) {
    return [
      skipped(
        name,
        `the runner has no address in ${plan.network.cidr}, so it cannot tell whether ${targets.length} planned addresses are free (set network-checks: always if it can route there)`
      )
    ];
  }
  const answers = await Promise.all(
    targets.map(async (t) => ({ ...t, answered: await probe(t.ip) }))
  );
  const taken = answers.filter((a) => a.answered);
  if (taken.length === 0) return [pass(name, `${targets.length} planned addresses do not answer`)];
  return taken.map(
    (t) => fail(
      `address ${t.ip}`,
      `${t.ip} (planned for ${t.what}) already answers on the network`,
      "pick free addresses (network.addresses.start / overrides, network.controlPlaneVip), or find and free the host using it"
    )
  );
}
__name(checkAddresses, "checkAddresses");

// actions/preflight/src/check-privileges.ts
async function checkPrivileges(client, plan, proxmoxMajor, options = { access: "write" }) {
  const scope = privilegeScopeOf(plan, proxmoxMajor);
  const own = await checkToken(client, scope, {
    tokenId: client.endpoint.tokenId,
    access: options.access,
    viaUserid: false,
    label: options.access === "read-only" ? "read-only token" : "token"
  });
  if (options.access === "write" || !options.writeTokenId) return own;
  const write = await checkToken(client, scope, {
    tokenId: options.writeTokenId,
    access: "write",
    viaUserid: true,
    label: "write token"
  });
  return { outcomes: [...own.outcomes, ...write.outcomes], missing: [...own.missing] };
}
__name(checkPrivileges, "checkPrivileges");
async function checkToken(client, scope, token) {
  const scoped = tokenSetup(scope, token.access);
  const { requirements, role, paths } = scoped;
  const name = `${token.label} privileges`;
  let effective;
  try {
    effective = await effectivePermissions(
      client,
      [.../* @__PURE__ */ new Set([...permissionPaths(requirements), ...BROAD_PATHS])],
      token.viaUserid ? token.tokenId : void 0
    );
  } catch (error) {
    const { detail, fix } = describeError(error);
    if (token.viaUserid) {
      return {
        outcomes: [
          warn(
            name,
            `cannot read the permissions of the write token ${token.tokenId}: ${detail}`,
            `let the read-only token read them (Sys.Audit on ${TOKEN_AUDIT_PATH}, part of ${PVE_KUBE_READ_ONLY_ROLE}): \`pveum acl modify ${TOKEN_AUDIT_PATH} --tokens ${shellQuote(client.endpoint.tokenId)} --roles ${PVE_KUBE_READ_ONLY_ROLE}\` (and the same with --users for its user)`
          )
        ],
        missing: []
      };
    }
    return {
      outcomes: [fail(name, `cannot read the token's permissions: ${detail}`, fix)],
      missing: []
    };
  }
  const missing = missingPrivileges(requirements, effective);
  const setup = /* @__PURE__ */ __name(() => fullGrantCommands(token.tokenId, scoped.privileges, paths, role).map((c) => `\`${c}\``).join("; "), "setup");
  const outcomes = [];
  if (missing.length === 0) {
    outcomes.push(
      pass(name, `all ${requirements.length} required privileges present on ${paths.length} paths`)
    );
  } else {
    outcomes.push(...missingRows(token, role, missing));
    const missingNames = [...new Set(missing.map((m) => m.privilege))];
    outcomes.push(
      fail(
        name,
        `${missingNames.length} of ${scoped.privileges.length} required privileges are missing (${missingNames.join(", ")})`,
        `set the token up once with every privilege it needs, granted only where it is needed: ${setup()} \u2014 the user lines matter for a privilege-separated token, which only keeps what its user also has`
      )
    );
  }
  const excess = excessPrivileges(
    requirements,
    token.access === "write" ? Object.fromEntries(Object.entries(effective).filter(([p]) => BROAD_PATHS.includes(p))) : effective
  );
  const harmful = token.access === "read-only" ? excess.map((e) => ({
    ...e,
    privileges: e.privileges.filter(
      (p) => !isReadOnlyPrivilege(p) && // VM.Config.Disk (the role carries it for reading disks) means nothing on a
      // storage, node or SDN path; on a path reaching other VMs it is a write
      !(PLAN_TOKEN_WRITE_EXCEPTIONS.includes(p) && !reachesVms(e.path))
    )
  })).filter((e) => e.privileges.length > 0) : excess;
  if (harmful.length > 0) {
    const detail = token.access === "read-only" ? `the token ${token.tokenId} can change Proxmox: it holds ${describeExcess(harmful)}; a plan or drift check with it could change what it only should read` : `the token ${token.tokenId} holds more than pve-kube needs: ${describeExcess(harmful)}`;
    const fix = `remove the broader grants (\`pveum acl list\` shows them; e.g. ${harmful.map(
      (e) => `\`pveum acl delete ${shellQuote(e.path)} --tokens ${shellQuote(token.tokenId)} --roles <role>\``
    ).join(", ")}), then grant ${role} only where it is needed: ${setup()}` + (scope.pool ? "" : " \u2014 with proxmox.pool in cluster.yaml, one grant on /pool/<pool> covers every VM");
    outcomes.push(
      token.access === "read-only" ? fail(`${token.label} is read-only`, detail, fix) : warn(`${token.label} scope`, detail, fix)
    );
  } else if (token.access === "read-only") {
    outcomes.push(
      pass(
        `${token.label} is read-only`,
        "only reads on every path checked \u2014 and VM.Config.Disk on the cluster's VMs, which Proxmox requires to read their disks (it allocates nothing without Datastore.AllocateSpace)"
      )
    );
  }
  return { outcomes, missing };
}
__name(checkToken, "checkToken");
var reachesVms = /* @__PURE__ */ __name((path2) => path2 === "/" || path2 === "/vms" || path2 === "/pool" || /^\/(vms|pool)\//.test(path2), "reachesVms");
function describeExcess(excess) {
  return excess.map(
    (e) => `${e.privileges.slice(0, 5).join(", ")}${e.privileges.length > 5 ? ` and ${e.privileges.length - 5} more` : ""} on ${e.path}`
  ).join("; ");
}
__name(describeExcess, "describeExcess");
function missingRows(token, role, missing) {
  const byPrivilege = /* @__PURE__ */ new Map();
  for (const m of missing)
    byPrivilege.set(m.privilege, [...byPrivilege.get(m.privilege) ?? [], m]);
  const subject = token.label === "token" ? "the token" : `the ${token.label}`;
  return [...byPrivilege].map(([privilege, reqs]) => {
    const exact = [...new Set(reqs.map((r) => r.path))];
    const alternatives = reqs[0]?.alternatives ?? [];
    return fail(
      `${token.label === "token" ? "" : `${token.label}: `}privilege ${privilege}`,
      `${subject} ${token.tokenId} lacks ${privilege} on ${formatPaths(exact)}, needed to ${reqs[0]?.why ?? "run pve-kube"}` + (alternatives.length ? ` (or ${alternatives.map((a) => `${a.privileges.join("+")} on ${a.path}`).join(", or ")})` : ""),
      `add it to the token's role and grant that on ${exact.join(", ")}: \`pveum role modify ${role} --append 1 --privs ${privilege}\`, then ` + exact.map(
        (p) => `\`pveum acl modify ${shellQuote(p)} --tokens ${shellQuote(token.tokenId)} --roles ${role}\``
      ).join(", ") + " (the last row creates the role)"
    );
  });
}
__name(missingRows, "missingRows");

// actions/preflight/src/check-runner.ts
import { existsSync } from "node:fs";
async function checkRunnerTools(plan, logger, options) {
  if (!options.buildsTemplate) return [];
  if (options.prebuiltImage) {
    const name2 = "pre-built image on the runner";
    return existsSync(options.prebuiltImage) ? [
      pass(
        name2,
        `${options.prebuiltImage} is there (build-template checks its SHA-256 before it uploads it); virt-customize is not needed`
      )
    ] : [
      fail(
        name2,
        `${options.prebuiltImage}: no such file on this runner`,
        "give template-image-file the path the image has on the runner (an earlier step or job must put it there)"
      )
    ];
  }
  if (plan.template.source !== "upload") return [];
  const name = "virt-customize on the runner";
  if (options.simulateCustomize) {
    return [
      pass(
        name,
        "not needed: simulate-customize is on, so build-template uploads a labelled placeholder (embedded demo only)"
      )
    ];
  }
  const virtCustomize = options.virtCustomizeCommand ?? "virt-customize";
  try {
    return [pass(name, await assertVirtCustomize(logger, virtCustomize))];
  } catch (error) {
    const { detail } = describeError(error);
    if (/not installed/.test(detail)) {
      return [
        warn(
          name,
          "not installed: build-template needs it to build a template with this recipe (unless one exists already)",
          VIRT_CUSTOMIZE_MISSING
        )
      ];
    }
    return [
      fail(
        name,
        `virt-customize does not run: ${detail}`,
        "check the libguestfs installation (`libguestfs-test-tool` diagnoses it)"
      )
    ];
  }
}
__name(checkRunnerTools, "checkRunnerTools");

// actions/preflight/src/check-vms.ts
async function checkVms(client, plan) {
  let vms;
  try {
    vms = await listVms(client);
  } catch (error) {
    const { detail, fix } = describeError(error);
    return {
      outcomes: [fail("planned VMIDs and names", `cannot list VMs: ${detail}`, fix)],
      existing: /* @__PURE__ */ new Set()
    };
  }
  const outcomes = [];
  const existing = /* @__PURE__ */ new Set();
  let free = 0;
  for (const planned of plan.vms) {
    const holder = vms.find((vm) => vm.vmid === planned.vmid);
    if (holder) {
      if (isOwnedBy(holder, plan.cluster) && holder.name === planned.name) {
        existing.add(planned.vmid);
      } else if (isBareReservation(holder)) {
        existing.add(planned.vmid);
        outcomes.push(
          warn(
            `VMID ${planned.vmid}`,
            `VMID ${planned.vmid} (planned for ${planned.name}) holds an unfinished VM (lock ${holder.lock ?? "?"}, no name, no tags) \u2014 most likely left by an interrupted run`,
            "nothing to do if a pve-kube run was interrupted: tofu-provision removes it when its failed task proves it was its own, and stops otherwise; else remove it on the host"
          )
        );
      } else if (isOwnedBy(holder, plan.cluster)) {
        outcomes.push(
          fail(
            `VMID ${planned.vmid}`,
            `VMID ${planned.vmid} holds this cluster's VM '${holder.name ?? "?"}', but the plan puts '${planned.name}' there`,
            "did vmids.start or the pool order change? Restore it, or destroy the cluster before renumbering"
          )
        );
      } else {
        outcomes.push(
          fail(
            `VMID ${planned.vmid}`,
            `VMID ${planned.vmid} (planned for ${planned.name}) is used by '${holder.name ?? "?"}' on ${holder.node}, which is not tagged as this cluster's (tags: ${holder.tags.join(";") || "none"})`,
            "choose a free range with vmids.start in cluster.yaml; pve-kube never touches VMs it does not own"
          )
        );
      }
    } else if (await isVmidFree(client, planned.vmid)) {
      free++;
    } else {
      outcomes.push(
        fail(
          `VMID ${planned.vmid}`,
          `VMID ${planned.vmid} (planned for ${planned.name}) is taken by a VM the token cannot see`,
          "choose another vmids.start, or grant VM.Audit so preflight can tell whether it is ours"
        )
      );
    }
    for (const twin of vms.filter((vm) => vm.name === planned.name && vm.vmid !== planned.vmid)) {
      const ours = isOwnedBy(twin, plan.cluster);
      outcomes.push(
        fail(
          `name ${planned.name}`,
          `a ${ours ? "VM of this cluster" : "foreign VM"} named '${planned.name}' already exists as VMID ${twin.vmid} on ${twin.node} (the plan gives it VMID ${planned.vmid})`,
          ours ? "restore the earlier vmids.start, or destroy the cluster before renumbering" : `rename or remove VM ${twin.vmid}, or change metadata.name so the VM names differ`
        )
      );
    }
  }
  if (!outcomes.some((o) => o.result === "fail")) {
    const ids = plan.vms.map((vm) => vm.vmid);
    outcomes.unshift(
      pass(
        "planned VMIDs and names",
        `${Math.min(...ids)}\u2013${Math.max(...ids)}: ${free} free, ${existing.size} already this cluster's; no foreign VM uses a planned name`
      )
    );
  }
  outcomes.push(templateSlot(plan, vms));
  return { outcomes, existing };
}
__name(checkVms, "checkVms");
function isBareReservation(vm) {
  const unnamed = !vm.name || vm.name === `VM ${vm.vmid}`;
  return vm.lock !== void 0 && INTERRUPTED_LOCKS.includes(vm.lock) && unnamed && vm.tags.length === 0 && !vm.template;
}
__name(isBareReservation, "isBareReservation");
function templateSlot(plan, vms) {
  const holder = vms.find((vm) => vm.vmid === plan.template.vmid);
  if (!holder) return pass(`template VMID ${plan.template.vmid}`, "free");
  if (holder.tags.includes("pve-kube-template"))
    return pass(
      `template VMID ${plan.template.vmid}`,
      `a pve-kube template (${holder.name ?? "?"}); build-template reuses it if its recipe is unchanged`
    );
  return warn(
    `template VMID ${plan.template.vmid}`,
    `used by '${holder.name ?? "?"}', which is not a pve-kube template; build-template will take the next free VMID above it`,
    "set template.vmid to a free range to keep template numbering tidy"
  );
}
__name(templateSlot, "templateSlot");

// actions/preflight/src/preflight.ts
var LATER = [
  "token privileges",
  "nodes, storages, bridges",
  "capacity",
  "planned VMIDs and names",
  "IP addresses and VIP unused"
];
async function runPreflight(client, loaded, logger, options) {
  const { plan } = loaded;
  const outcomes = [
    ...options.gates ?? [],
    pass(
      "cluster.yaml valid",
      `${loaded.file}: ${plan.vms.length} VMs (${plan.vms.filter((v) => v.role === "control-plane").length} control planes) on ${usedNodes(plan).join(", ")}`
    )
  ];
  const report = /* @__PURE__ */ __name((extra = {}) => ({
    cluster: plan.cluster,
    outcomes,
    passed: !hasFailures(outcomes),
    ...extra
  }), "report");
  const connection = await logger.group("Connection", () => checkConnection(client));
  outcomes.push(...connection.outcomes);
  if (!connection.version) {
    outcomes.push(...LATER.map((c) => skipped(c, "needs a working connection to Proxmox")));
    return report();
  }
  const proxmoxVersion = connection.version.version;
  const stage = /* @__PURE__ */ __name(async (title, fn) => {
    try {
      outcomes.push(...await logger.group(title, fn));
    } catch (error) {
      const { detail, fix } = describeError(error);
      outcomes.push(fail(title, detail, fix));
    }
  }, "stage");
  await stage(
    "token privileges",
    async () => (await checkPrivileges(client, plan, connection.version.major, options.privileges)).outcomes
  );
  let inventory;
  await stage("nodes, storages, bridges", async () => {
    inventory = await readInventory(client, usedNodes(plan));
    return [
      ...checkNodes(plan, inventory),
      ...checkStorages(plan, inventory),
      ...await checkBridges(client, plan, inventory),
      ...await checkPool(client, plan.proxmox.pool)
    ];
  });
  let existing = /* @__PURE__ */ new Set();
  await stage("planned VMIDs and names", async () => {
    const vms = await checkVms(client, plan);
    existing = vms.existing;
    return vms.outcomes;
  });
  await stage(
    "capacity",
    () => Promise.resolve(
      inventory ? checkCapacity(plan, inventory, existing) : [skipped("capacity", "the node inventory could not be read")]
    )
  );
  await stage(
    "IP addresses and VIP unused",
    () => checkAddresses(plan, existing, options.networkChecks, options.probe, options.ownAddresses)
  );
  await stage(
    "runner tools",
    () => checkRunnerTools(plan, logger, {
      buildsTemplate: options.phases?.includes("build-template") ?? true,
      simulateCustomize: options.simulateCustomize ?? false,
      ...options.prebuiltImage ? { prebuiltImage: options.prebuiltImage } : {},
      ...options.virtCustomizeCommand ? { virtCustomizeCommand: options.virtCustomizeCommand } : {}
    })
  );
  return report({ proxmoxVersion });
}
__name(runPreflight, "runPreflight");
async function checkPool(client, pool) {
  if (!pool) return [];
  const pools = await client.api.pools.$get();
  return pools.some((p) => p.poolid === pool) ? [pass(`pool ${pool}`, "exists")] : (
    // the provider would clone every VM and then fail to add it to the pool: stop before any change
    [
      fail(
        `pool ${pool}`,
        `resource pool '${pool}' does not exist (or the token cannot see it: Pool.Audit)`,
        `create it: \`pveum pool add ${pool}\`, or remove proxmox.pool from cluster.yaml`
      )
    ]
  );
}
__name(checkPool, "checkPool");

// actions/preflight/src/summary.ts
var ICON = {
  pass: "\u2705 pass",
  warn: "\u26A0\uFE0F warn",
  fail: "\u274C fail",
  skipped: "\u23ED\uFE0F skipped"
};
function preflightSummary(report, endpoint) {
  const failed = report.outcomes.filter((o) => o.result === "fail").length;
  const warned = report.outcomes.filter((o) => o.result === "warn").length;
  const headline = report.passed ? `\u2705 all checks passed${warned ? ` (${warned} warning${warned > 1 ? "s" : ""})` : ""}` : `\u274C ${failed} check${failed > 1 ? "s" : ""} failed`;
  const where = endpoint ? `Proxmox ${report.proxmoxVersion ? `VE ${report.proxmoxVersion} ` : ""}at ${endpoint}` : "";
  return [
    `## pve-kube preflight \u2014 cluster \`${report.cluster}\`: ${headline}`,
    where,
    table(
      ["Check", "Result", "Detail", "How to fix"],
      report.outcomes.map((o) => [o.check, ICON[o.result], o.detail, o.fix ?? ""])
    )
  ].filter(Boolean).join("\n\n");
}
__name(preflightSummary, "preflightSummary");

// actions/preflight/src/preflight-action.ts
function defaultDeps(env = process.env) {
  return actionDeps(env);
}
__name(defaultDeps, "defaultDeps");
async function run(deps = defaultDeps()) {
  const { env, logger } = deps;
  const startedAt = (/* @__PURE__ */ new Date()).toISOString();
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  if (inputs["proxmox-token-secret"]) deps.maskSecret(inputs["proxmox-token-secret"]);
  const phases = parsePhaseSelection(inputs.phases);
  logger.info(`phases to run: ${phases.join(", ")}`);
  deps.setOutput("phases", JSON.stringify(phases));
  let loaded;
  try {
    loaded = await loadClusterConfig(inputs.cluster, {
      cwd: env.GITHUB_WORKSPACE ?? process.cwd()
    });
  } catch (error) {
    if (error instanceof ConfigurationError) {
      const report2 = {
        cluster: inputs.cluster,
        outcomes: [
          fail(
            "cluster.yaml valid",
            error.message,
            "fix every listed problem; `pve-kube validate <file>` checks it locally"
          )
        ],
        passed: false
      };
      await appendJobSummary(preflightSummary(report2), logger, env);
    }
    throw error;
  }
  deps.setOutput("cluster-identity", clusterIdentity(loaded.plan));
  const gates = [
    ...inputs["require-environment"] ? [checkEnvironment(inputs.environment)] : [],
    ...checkRunner(inputs["runner-labels"], env),
    // a deploy's preflight and plan job run before any approval: they should hold the read-only
    // token, so the write token can stay a secret of the protected environment
    ...inputs["require-environment"] && inputs["token-access"] === "write" && !inputs["gates-only"] ? [
      warn(
        "read-only token",
        "preflight runs with the write token, outside the protected environment (no PROXMOX_READONLY_TOKEN_ID given)",
        "create a read-only token (PVEKubeReadOnly role; preflight prints the commands with token-access read-only), pass it as PROXMOX_READONLY_TOKEN_ID/PROXMOX_READONLY_TOKEN_SECRET, and keep PROXMOX_TOKEN_SECRET a secret of the environment only"
      )
    ] : []
  ];
  if (hasFailures(gates) || inputs["gates-only"]) {
    const report2 = {
      cluster: loaded.plan.cluster,
      outcomes: gates,
      passed: !hasFailures(gates)
    };
    await appendJobSummary(preflightSummary(report2), logger, env);
    deps.setOutput("passed", String(report2.passed));
    deps.setOutput("report", JSON.stringify(report2.outcomes));
    if (!report2.passed) throw failedChecks(report2);
    return report2;
  }
  let client;
  try {
    client = await createProxmoxClient({
      ...connectionForCluster(loaded, connectionInputsOf(inputs), env),
      logger,
      env,
      maskSecret: deps.maskSecret,
      ...deps.proxmoxTiming
    });
  } catch (error) {
    const { detail, fix } = describeError(error);
    const report2 = {
      cluster: loaded.plan.cluster,
      outcomes: [fail("Proxmox connection settings", detail, fix)],
      passed: false
    };
    await appendJobSummary(preflightSummary(report2), logger, env);
    throw error;
  }
  let report;
  try {
    report = await runPreflight(client, loaded, logger, {
      networkChecks: inputs["network-checks"],
      phases,
      gates,
      privileges: {
        access: inputs["token-access"],
        ...inputs["write-token-id"] ? { writeTokenId: inputs["write-token-id"] } : {}
      },
      simulateCustomize: inputs["simulate-customize"],
      ...inputs["template-image-file"] ? {
        prebuiltImage: path.resolve(
          env.GITHUB_WORKSPACE ?? process.cwd(),
          inputs["template-image-file"]
        )
      } : {},
      ...deps.probe ? { probe: deps.probe } : {},
      ...deps.ownAddresses ? { ownAddresses: deps.ownAddresses } : {},
      ...deps.virtCustomizeCommand ? { virtCustomizeCommand: deps.virtCustomizeCommand } : {}
    });
  } finally {
    await client.close();
  }
  for (const o of report.outcomes) {
    const line = `${o.result.toUpperCase().padEnd(7)} ${o.check}: ${o.detail}${o.fix ? ` \u2014 fix: ${o.fix}` : ""}`;
    if (o.result === "fail") logger.error(line);
    else if (o.result === "warn") logger.warning(line);
    else logger.info(line);
  }
  deps.setOutput("passed", String(report.passed));
  deps.setOutput("proxmox-version", report.proxmoxVersion ?? "");
  deps.setOutput("report", JSON.stringify(report.outcomes));
  await finishPhase({
    plan: loaded.plan,
    env,
    logger,
    artifactStore: deps.artifactStore,
    summary: preflightSummary(report, client.endpoint.url),
    state: {
      phase: "preflight",
      status: report.passed ? "succeeded" : "failed",
      startedAt,
      timings: [],
      outputs: {
        proxmoxVersion: report.proxmoxVersion ?? "unknown",
        checks: report.outcomes.map(({ check, result, detail }) => ({ check, result, detail }))
      }
    },
    // the checks are the point of preflight; a state upload problem must not hide their result
    uploadFailureIsWarning: !report.passed
  });
  if (!report.passed) throw failedChecks(report);
  return report;
}
__name(run, "run");
function failedChecks(report) {
  const failed = report.outcomes.filter((o) => o.result === "fail");
  const names = failed.map((o) => o.check);
  return new ConfigurationError(
    `${failed.length} preflight check${failed.length > 1 ? "s" : ""} failed: ${names.slice(0, 8).join(", ")}${names.length > 8 ? `, and ${names.length - 8} more` : ""}`,
    "see the table in the job summary for each fix"
  );
}
__name(failedChecks, "failedChecks");
export {
  defaultDeps,
  run
};
