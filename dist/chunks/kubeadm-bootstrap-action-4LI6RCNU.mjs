import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  API_SERVER_PORT,
  HAPROXY_PORT,
  controlPlaneEndpoint,
  formatKubeVersion,
  parseKubeVersion,
  parseTaint,
  renderInitDocuments,
  renderJoinConfiguration,
  upgradeStep
} from "./chunk-JSSBDU35.mjs";
import {
  parseInventory
} from "./chunk-VR4CWV37.mjs";
import {
  createRunWorkspace,
  writePrivate
} from "./chunk-CE3MRRSC.mjs";
import {
  retryWithinRun
} from "./chunk-QHJEDYHR.mjs";
import {
  runTool
} from "./chunk-XERDAEEQ.mjs";
import {
  StepTimer,
  actionDeps,
  appendJobSummary,
  booleanInput,
  downloadPhaseState,
  finishedPhaseState,
  inputFromEnv,
  integerInput,
  phaseArtifactName,
  readInputs,
  sealSecret,
  uploadPhaseState
} from "./chunk-ILTBTALZ.mjs";
import {
  external_exports,
  loadClusterConfig,
  versions
} from "./chunk-OXUWTRXE.mjs";
import {
  require_dist
} from "./chunk-4BVVZQQR.mjs";
import {
  ConfigurationError,
  getErrorMessage
} from "./chunk-SAJHUJQG.mjs";
import "./chunk-4EMYZHSE.mjs";
import {
  __name,
  __toESM
} from "./chunk-UUUODAAY.mjs";

// actions/kubeadm-bootstrap/src/kubeadm-bootstrap-action.ts
import { existsSync } from "node:fs";
import { readFile as readFile3, rm as rm2 } from "node:fs/promises";
import path3 from "node:path";
import { fileURLToPath } from "node:url";

// actions/lib/kubeadm/argv.ts
import path from "node:path";
function ansiblePlaybookArgs(run2) {
  return [
    "--inventory",
    run2.inventoryFile,
    "--user",
    run2.user,
    "--private-key",
    run2.privateKeyFile,
    "--extra-vars",
    `@${run2.varsFile}`,
    "--forks",
    String(run2.forks ?? 10),
    ...run2.check ? ["--check", "--diff"] : [],
    ...run2.verbose ? ["-v"] : [],
    path.join(run2.ansibleDir, run2.playbook)
  ];
}
__name(ansiblePlaybookArgs, "ansiblePlaybookArgs");
function ansibleEnv(options) {
  return {
    ...options.base,
    ANSIBLE_CONFIG: path.join(options.ansibleDir, "ansible.cfg"),
    ANSIBLE_HOST_KEY_CHECKING: "True",
    ANSIBLE_SSH_ARGS: [
      "-o ControlMaster=auto",
      "-o ControlPersist=60s",
      `-o UserKnownHostsFile=${options.knownHostsFile}`,
      "-o StrictHostKeyChecking=yes",
      "-o IdentitiesOnly=yes",
      "-o BatchMode=yes"
    ].join(" "),
    ANSIBLE_CONTROL_PATH_DIR: options.controlPathDir ?? path.join(options.tmpDir, "cp"),
    ANSIBLE_LOCAL_TEMP: path.join(options.tmpDir, "local"),
    ANSIBLE_NOCOLOR: "1",
    ANSIBLE_FORCE_COLOR: "0",
    ANSIBLE_RETRY_FILES_ENABLED: "False",
    PVE_KUBE_TIMING_FILE: options.timingFile,
    PYTHONUNBUFFERED: "1"
  };
}
__name(ansibleEnv, "ansibleEnv");
function keyscanArgs(ips, timeoutSeconds = 5) {
  return ["-T", String(timeoutSeconds), "-t", "ed25519,ecdsa", ...ips];
}
__name(keyscanArgs, "keyscanArgs");

// actions/lib/kubeadm/critical-path.ts
var INIT_TASK = "Run kubeadm init";
var JOIN_TASK = "Run kubeadm join";
var isTask = /* @__PURE__ */ __name((name, task) => name === task || name.endsWith(` : ${task}`), "isTask");
function criticalPath(tasks, roles) {
  const ok = tasks.filter(([, , , status]) => status === "changed");
  const init = ok.filter(([, name]) => isTask(name, INIT_TASK)).map(([, , s]) => s);
  const joins = ok.filter(([, name]) => isTask(name, JOIN_TASK));
  const cpJoins = joins.filter(([host]) => roles.get(host) === "control-plane").map(([, , s]) => s);
  const workerJoins = joins.filter(([host]) => roles.get(host) === "worker").map(([, , s]) => s);
  if (init.length + joins.length === 0) return void 0;
  const initSeconds = init.reduce((a, b) => a + b, 0);
  const slowest = workerJoins.length > 0 ? Math.max(...workerJoins) : 0;
  const total = initSeconds + cpJoins.reduce((a, b) => a + b, 0) + slowest;
  const round = /* @__PURE__ */ __name((n) => Math.round(n * 10) / 10, "round");
  return {
    initSeconds: round(initSeconds),
    controlPlaneJoinSeconds: cpJoins.map(round),
    slowestWorkerJoinSeconds: round(slowest),
    totalSeconds: round(total)
  };
}
__name(criticalPath, "criticalPath");

// actions/lib/kubeadm/facts.ts
var import_yaml = __toESM(require_dist(), 1);
import { readFile } from "node:fs/promises";
var flag = external_exports.union([external_exports.boolean(), external_exports.enum(["True", "False", "true", "false"])]).transform((v) => v === true || v === "True" || v === "true");
var jsonText = external_exports.union([external_exports.string(), external_exports.record(external_exports.string(), external_exports.unknown()), external_exports.array(external_exports.unknown())]).default("").transform((v) => typeof v === "string" ? v : JSON.stringify(v));
var rawHostSchema = external_exports.object({
  name: external_exports.string(),
  kubelet_conf: flag,
  admin_conf: flag,
  kubeadm_version: external_exports.string().default(""),
  addresses: external_exports.array(
    external_exports.object({
      ifname: external_exports.string(),
      addr_info: external_exports.array(external_exports.object({ family: external_exports.string().optional(), local: external_exports.string() }).loose()).default([])
    }).loose()
  ).default([]),
  nodes: external_exports.union([external_exports.string(), external_exports.record(external_exports.string(), external_exports.unknown())]).default("{}"),
  cluster_configuration: external_exports.string().default(""),
  // Ansible turns a string that reads as a Python literal into data: take either back as JSON text
  etcd_members: jsonText,
  etcd_health: jsonText
});
var nodeListSchema = external_exports.object({
  items: external_exports.array(
    external_exports.object({
      metadata: external_exports.object({
        name: external_exports.string(),
        labels: external_exports.record(external_exports.string(), external_exports.string()).default({}),
        annotations: external_exports.record(external_exports.string(), external_exports.string()).default({})
      }).loose(),
      spec: external_exports.object({
        taints: external_exports.array(
          external_exports.object({ key: external_exports.string(), value: external_exports.string().optional(), effect: external_exports.string() }).loose()
        ).default([])
      }).loose().default({ taints: [] }),
      status: external_exports.object({
        nodeInfo: external_exports.object({ kubeletVersion: external_exports.string() }).loose(),
        conditions: external_exports.array(external_exports.object({ type: external_exports.string(), status: external_exports.string() }).loose()).default([])
      }).loose()
    }).loose()
  ).default([])
}).loose();
function parseFacts(json, hosts) {
  const raw = external_exports.array(rawHostSchema).parse(JSON.parse(json));
  const byName2 = new Map(raw.map((h) => [h.name, h]));
  const interfaces = /* @__PURE__ */ new Map();
  let cluster;
  const hostFacts = hosts.map(({ name, ip }) => {
    const h = byName2.get(name);
    if (!h) return { name, reachable: false, kubeletConfigured: false, adminConf: false };
    const iface = h.addresses.find((a) => a.addr_info.some((i) => i.local === ip))?.ifname;
    if (iface) interfaces.set(name, iface);
    if (!cluster && h.admin_conf)
      cluster = clusterFacts(h.nodes, h.cluster_configuration, h.etcd_members, h.etcd_health);
    return {
      name,
      reachable: true,
      kubeletConfigured: h.kubelet_conf,
      adminConf: h.admin_conf,
      ...h.kubeadm_version ? { kubeadmVersion: h.kubeadm_version.trim() } : {}
    };
  });
  return { hosts: hostFacts, ...cluster ? { cluster } : {}, interfaces };
}
__name(parseFacts, "parseFacts");
async function readFactsFile(file, hosts) {
  let json = "[]";
  try {
    json = await readFile(file, "utf8");
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
  }
  return parseFacts(json, hosts);
}
__name(readFactsFile, "readFactsFile");
var etcdMembersSchema = external_exports.object({
  members: external_exports.array(
    external_exports.object({
      ID: external_exports.union([external_exports.string(), external_exports.number()]).transform(String),
      name: external_exports.string().default(""),
      peerURLs: external_exports.array(external_exports.string()).default([]),
      clientURLs: external_exports.array(external_exports.string()).default([])
    }).loose()
  ).default([])
}).loose();
var etcdHealthSchema = external_exports.array(external_exports.object({ endpoint: external_exports.string(), health: external_exports.boolean() }).loose());
function parseEtcdMembers(members, health) {
  if (!members.trim()) return void 0;
  const list2 = etcdMembersSchema.parse(JSON.parse(members)).members;
  let healthy = /* @__PURE__ */ new Set();
  try {
    healthy = new Set(
      etcdHealthSchema.parse(JSON.parse(health || "[]")).filter((h) => h.health).map((h) => h.endpoint)
    );
  } catch {
  }
  return list2.map((m) => ({
    id: m.ID,
    name: m.name,
    peerURLs: m.peerURLs,
    clientURLs: m.clientURLs,
    healthy: m.clientURLs.some((u) => healthy.has(u))
  }));
}
__name(parseEtcdMembers, "parseEtcdMembers");
function clusterFacts(nodes, clusterConfiguration, etcdMembers, etcdHealth) {
  const config = clusterConfiguration ? (0, import_yaml.parse)(clusterConfiguration) : {};
  const version = typeof config?.kubernetesVersion === "string" ? config.kubernetesVersion : void 0;
  if (!version) return void 0;
  const list2 = nodeListSchema.parse(typeof nodes === "string" ? JSON.parse(nodes || "{}") : nodes);
  const members = parseEtcdMembers(etcdMembers, etcdHealth);
  return {
    version,
    nodes: list2.items.map((n) => ({
      name: n.metadata.name,
      kubeletVersion: n.status.nodeInfo.kubeletVersion,
      ready: n.status.conditions.some((c) => c.type === "Ready" && c.status === "True"),
      controlPlane: "node-role.kubernetes.io/control-plane" in n.metadata.labels,
      labels: n.metadata.labels,
      annotations: n.metadata.annotations,
      taints: n.spec.taints.map((t) => ({
        key: t.key,
        ...t.value !== void 0 ? { value: t.value } : {},
        effect: t.effect
      }))
    })),
    ...members ? { etcdMembers: members } : {}
  };
}
__name(clusterFacts, "clusterFacts");

// actions/lib/kubeadm/inventory.ts
function hostVars(node, user) {
  return {
    ansible_host: node.ip,
    ansible_python_interpreter: "/usr/bin/python3",
    ansible_become: user !== "root",
    node_ip: node.ip,
    node_role: node.role,
    node_pool: node.pool,
    node_labels: node.labels
  };
}
__name(hostVars, "hostVars");
var hostsOf = /* @__PURE__ */ __name((names) => Object.fromEntries(names.map((n) => [n, {}])), "hostsOf");
function renderInventory(options) {
  const { nodes, plan, user } = options;
  const leaving = options.leaving ?? [];
  const all = [...nodes, ...leaving.filter((l) => !nodes.some((n) => n.name === l.name))];
  const pools = [...new Set(nodes.filter((n) => n.role === "worker").map((n) => n.pool))].sort();
  const upgrades = plan.upgrade?.steps ?? [];
  return {
    all: {
      hosts: Object.fromEntries(all.map((n) => [n.name, hostVars(n, user)])),
      children: {
        control_plane: {
          hosts: hostsOf(nodes.filter((n) => n.role === "control-plane").map((n) => n.name))
        },
        workers: { hosts: hostsOf(nodes.filter((n) => n.role === "worker").map((n) => n.name)) },
        ...Object.fromEntries(
          pools.map((p) => [
            `pool_${p.replace(/-/g, "_")}`,
            {
              hosts: hostsOf(
                nodes.filter((n) => n.role === "worker" && n.pool === p).map((n) => n.name)
              )
            }
          ])
        ),
        operator: { hosts: hostsOf([plan.operator]) },
        // the operator, when this run has something to forget / labels or taints to change
        forget: {
          hosts: hostsOf(
            (plan.forget?.nodes.length ?? 0) + (plan.forget?.etcdMembers.length ?? 0) > 0 ? [plan.operator] : []
          )
        },
        node_metadata: {
          hosts: hostsOf((plan.nodeMetadata?.length ?? 0) > 0 ? [plan.operator] : [])
        },
        kubeadm_init: { hosts: hostsOf(plan.init ? [plan.init] : []) },
        join_control_plane: { hosts: hostsOf(plan.controlPlaneJoins) },
        join_worker: { hosts: hostsOf(plan.workerJoins) },
        remove_node: { hosts: hostsOf(plan.removals.map((r) => r.name)) },
        upgrade_apply: {
          hosts: hostsOf(upgrades.filter((u) => u.command === "apply").map((u) => u.name))
        },
        upgrade_control_plane: {
          hosts: hostsOf(
            upgrades.filter((u) => u.command === "node" && u.role === "control-plane").map((u) => u.name)
          )
        },
        upgrade_worker: {
          hosts: hostsOf(upgrades.filter((u) => u.role === "worker").map((u) => u.name))
        }
      }
    }
  };
}
__name(renderInventory, "renderInventory");

// actions/lib/kubeadm/node-metadata.ts
var MANAGED_LABELS_ANNOTATION = "pve-kube.dev/managed-labels";
var MANAGED_TAINTS_ANNOTATION = "pve-kube.dev/managed-taints";
function formatTaint(t) {
  return `${t.key}${t.value !== void 0 ? `=${t.value}` : ""}:${t.effect}`;
}
__name(formatTaint, "formatTaint");
var taintId = /* @__PURE__ */ __name((t) => `${t.key}:${t.effect}`, "taintId");
var list = /* @__PURE__ */ __name((text) => text ? text.split(",").filter(Boolean) : [], "list");
function nodeMetadataChange(node, actual) {
  if (node.role !== "worker") return void 0;
  const labels = actual?.labels ?? {};
  const taints = actual ? actual.taints ?? [] : node.taints.map(parseTaint);
  const annotations = actual?.annotations ?? {};
  const wantedTaints = node.taints.map(parseTaint);
  const wantedTaintIds = new Set(wantedTaints.map(taintId));
  const setLabels = Object.fromEntries(
    Object.entries(node.labels).filter(([k, v]) => labels[k] !== v).sort(([a], [b]) => a.localeCompare(b))
  );
  const removeLabels = list(annotations[MANAGED_LABELS_ANNOTATION]).filter((k) => !(k in node.labels) && k in labels).sort();
  const addTaints = wantedTaints.filter(
    (w) => !taints.some((t) => taintId(t) === taintId(w) && t.value === w.value)
  );
  const removeTaints = list(annotations[MANAGED_TAINTS_ANNOTATION]).filter((id) => !wantedTaintIds.has(id)).flatMap((id) => taints.filter((t) => taintId(t) === id));
  const managed = {
    [MANAGED_LABELS_ANNOTATION]: Object.keys(node.labels).sort().join(","),
    [MANAGED_TAINTS_ANNOTATION]: [...wantedTaintIds].sort().join(",")
  };
  const annotationsDiffer = Object.entries(managed).some(([k, v]) => (annotations[k] ?? "") !== v);
  const change = {
    node: node.name,
    setLabels,
    removeLabels,
    addTaints,
    removeTaints,
    ...annotationsDiffer ? { annotations: managed } : {}
  };
  const empty = Object.keys(setLabels).length === 0 && removeLabels.length === 0 && addTaints.length === 0 && removeTaints.length === 0 && !annotationsDiffer;
  return empty ? void 0 : change;
}
__name(nodeMetadataChange, "nodeMetadataChange");
function nodeMetadataCommands(change) {
  const kubectl = ["kubectl", "--kubeconfig", "/etc/kubernetes/admin.conf"];
  const commands = [];
  const labelArgs = [
    ...Object.entries(change.setLabels).map(([k, v]) => `${k}=${v}`),
    ...change.removeLabels.map((k) => `${k}-`)
  ];
  if (labelArgs.length > 0)
    commands.push([...kubectl, "label", "node", change.node, "--overwrite", ...labelArgs]);
  const taintArgs = [
    ...change.addTaints.map(formatTaint),
    ...change.removeTaints.map((t) => `${t.key}:${t.effect}-`)
  ];
  if (taintArgs.length > 0)
    commands.push([...kubectl, "taint", "node", change.node, "--overwrite", ...taintArgs]);
  if (change.annotations)
    commands.push([
      ...kubectl,
      "annotate",
      "node",
      change.node,
      "--overwrite",
      ...Object.entries(change.annotations).map(([k, v]) => `${k}=${v}`)
    ]);
  return commands;
}
__name(nodeMetadataCommands, "nodeMetadataCommands");

// actions/lib/kubeadm/strays.ts
var hostOf = /* @__PURE__ */ __name((url) => {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}, "hostOf");
function planForget(input) {
  const { facts } = input;
  const plan = { nodes: [], etcdMembers: [], leftAlone: [] };
  if (!facts.cluster) return plan;
  const hostFacts = new Map(facts.hosts.map((h) => [h.name, h]));
  const vms = new Map([...input.present, ...input.desired].map((n) => [n.name, n]));
  const joined = /* @__PURE__ */ __name((name) => hostFacts.get(name)?.reachable === true && hostFacts.get(name)?.kubeletConfigured === true, "joined");
  const rebuilt = /* @__PURE__ */ __name((name) => vms.has(name) && hostFacts.get(name)?.reachable === true && hostFacts.get(name)?.kubeletConfigured === false, "rebuilt");
  for (const node of facts.cluster.nodes) {
    if (rebuilt(node.name)) plan.nodes.push(node.name);
    else if (!vms.has(node.name)) {
      if (node.name.startsWith(`${input.cluster}-`) && !node.ready) plan.nodes.push(node.name);
      else plan.leftAlone.push(node.name);
    }
  }
  const liveControlPlanes = [...vms.values()].filter(
    (n) => n.role === "control-plane" && joined(n.name)
  );
  const liveNames = new Set(liveControlPlanes.map((n) => n.name));
  const liveIps = new Set(liveControlPlanes.map((n) => n.ip));
  const alive = [];
  for (const m of facts.cluster.etcdMembers ?? []) {
    const peerIps = m.peerURLs.map(hostOf);
    const wanted = liveNames.has(m.name) || m.name === "" && peerIps.some((ip) => liveIps.has(ip));
    if (wanted) continue;
    if (m.healthy) {
      const known = vms.get(m.name);
      if (!known) alive.push(`${m.name || "(unnamed)"} ${m.id} at ${m.clientURLs.join(" ")}`);
      continue;
    }
    plan.etcdMembers.push({ id: m.id, name: m.name });
  }
  if (alive.length > 0)
    throw new ConfigurationError(
      `etcd has members that answer but are no VM of this cluster: ${alive.join("; ")}`,
      "add the machine to cluster.yaml if it belongs to the cluster, or remove it with `etcdctl member remove <id>` on a control plane (after `kubeadm reset` on that machine), then run again"
    );
  return plan;
}
__name(planForget, "planForget");

// actions/lib/kubeadm/plan.ts
function planIsNoop(plan) {
  return !plan.init && plan.controlPlaneJoins.length === 0 && plan.workerJoins.length === 0 && plan.removals.length === 0 && !plan.upgrade && (plan.forget?.nodes.length ?? 0) === 0 && (plan.forget?.etcdMembers.length ?? 0) === 0 && (plan.nodeMetadata?.length ?? 0) === 0;
}
__name(planIsNoop, "planIsNoop");
var byName = /* @__PURE__ */ __name((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }), "byName");
function quorum(members) {
  return Math.floor(members / 2) + 1;
}
__name(quorum, "quorum");
function planRemovals(present, desired) {
  const wanted = new Set(desired.map((n) => n.name));
  const leaving = present.filter((n) => !wanted.has(n.name)).sort(byName);
  const controlPlanes = present.filter((n) => n.role === "control-plane");
  const leavingCps = leaving.filter((n) => n.role === "control-plane");
  const keptCps = controlPlanes.length - leavingCps.length;
  if (leavingCps.length > 0 && keptCps === 0) {
    throw new ConfigurationError(
      `this change removes every control plane (${leavingCps.map((n) => n.name).join(", ")}): the cluster would be gone`,
      "keep at least one of today's control planes in controlPlane.count; use the destroy workflow to remove a cluster"
    );
  }
  if (leavingCps.length > 0 && keptCps < quorum(controlPlanes.length)) {
    throw new ConfigurationError(
      `this change removes ${leavingCps.length} of ${controlPlanes.length} control planes (${leavingCps.map((n) => n.name).join(", ")}): the ${keptCps} left are below etcd's quorum of ${quorum(controlPlanes.length)}`,
      `remove at most ${controlPlanes.length - quorum(controlPlanes.length)} control plane(s) per deploy`
    );
  }
  return [
    ...leaving.filter((n) => n.role === "worker"),
    ...leavingCps.reverse()
    // the newest control plane first: cp-1 stays the operator longest
  ].map((n) => ({ name: n.name, role: n.role, etcdMember: n.role === "control-plane" }));
}
__name(planRemovals, "planRemovals");
function chooseOperator(desired, facts) {
  const initialised = new Set(
    facts.hosts.filter((h) => h.reachable && h.adminConf).map((h) => h.name)
  );
  const cps = desired.filter((n) => n.role === "control-plane").sort(byName);
  return cps.find((n) => initialised.has(n.name))?.name ?? cps[0]?.name;
}
__name(chooseOperator, "chooseOperator");
function planBootstrap(input) {
  const { desired, facts } = input;
  const hostFacts = new Map(facts.hosts.map((h) => [h.name, h]));
  const unreachable = desired.filter((n) => !hostFacts.get(n.name)?.reachable).map((n) => n.name);
  if (unreachable.length > 0) {
    throw new ConfigurationError(
      `cannot reach ${unreachable.join(", ")} over SSH`,
      "check that the VMs run, that ssh.user and the SSH_PRIVATE_KEY secret match ssh.publicKeys, and that the runner can route to the node network"
    );
  }
  const operator = chooseOperator(desired, facts);
  if (!operator) {
    throw new ConfigurationError(
      "cluster.yaml has no control plane",
      "set controlPlane.count to 1, 3 or 5"
    );
  }
  const member = /* @__PURE__ */ __name((name) => hostFacts.get(name)?.kubeletConfigured === true, "member");
  const anyMember = desired.some((n) => member(n.name)) || facts.cluster !== void 0;
  if (anyMember && !hostFacts.get(operator)?.adminConf) {
    throw new ConfigurationError(
      `nodes of this cluster have joined, but no control plane listed in cluster.yaml has /etc/kubernetes/admin.conf`,
      "the control planes were rebuilt under running workers: restore a control plane from backup, or remove the workers' VMs and deploy again"
    );
  }
  const init = anyMember ? void 0 : operator;
  const joining = desired.filter((n) => n.name !== init && !member(n.name)).sort(byName);
  const registered = new Set(facts.cluster?.nodes.map((n) => n.name) ?? []);
  const wanted = new Set(desired.map((n) => n.name));
  const plan = {
    ...init ? { init } : {},
    operator,
    controlPlaneJoins: joining.filter((n) => n.role === "control-plane").map((n) => n.name),
    workerJoins: joining.filter((n) => n.role === "worker").map((n) => n.name),
    removals: [],
    strays: [...registered].filter((n) => !wanted.has(n)).sort(),
    members: desired.filter((n) => member(n.name)).map((n) => n.name)
  };
  if (facts.cluster) {
    const members = desired.filter((n) => member(n.name));
    const upgrade = planUpgrade(members, facts, operator, input.version);
    if (upgrade) plan.upgrade = upgrade;
    const forget = planForget({
      cluster: input.cluster ?? "",
      desired,
      present: input.present ?? desired,
      facts
    });
    if (forget.nodes.length + forget.etcdMembers.length + forget.leftAlone.length > 0)
      plan.forget = forget;
    plan.strays = plan.strays.filter((n) => !forget.nodes.includes(n));
  }
  const nodeObjects = new Map((facts.cluster?.nodes ?? []).map((n) => [n.name, n]));
  const metadata = desired.map((n) => nodeMetadataChange(n, member(n.name) ? nodeObjects.get(n.name) : void 0)).filter((c) => c !== void 0);
  if (metadata.length > 0) plan.nodeMetadata = metadata;
  return plan;
}
__name(planBootstrap, "planBootstrap");
function planUpgrade(desired, facts, operator, wanted) {
  const cluster = facts.cluster;
  if (!cluster) return void 0;
  const target = formatKubeVersion(parseKubeVersion(wanted));
  const controlPlaneStep = upgradeStep(cluster.version, target);
  for (const node of cluster.nodes) upgradeStep(node.kubeletVersion, target);
  const kubelet = new Map(cluster.nodes.map((n) => [n.name, n.kubeletVersion]));
  const needs = /* @__PURE__ */ __name((name) => {
    const v = kubelet.get(name);
    return v !== void 0 && formatKubeVersion(parseKubeVersion(v)) !== target;
  }, "needs");
  const cps = desired.filter((n) => n.role === "control-plane" && kubelet.has(n.name)).sort(byName);
  const workers = desired.filter((n) => n.role === "worker" && kubelet.has(n.name)).sort(byName);
  const steps = [];
  if (controlPlaneStep === "upgrade" || needs(operator))
    steps.push({
      name: operator,
      role: "control-plane",
      command: controlPlaneStep === "upgrade" ? "apply" : "node"
    });
  for (const cp of cps)
    if (cp.name !== operator && needs(cp.name))
      steps.push({ name: cp.name, role: "control-plane", command: "node" });
  for (const w of workers)
    if (needs(w.name)) steps.push({ name: w.name, role: "worker", command: "node" });
  if (steps.length === 0) return void 0;
  return { from: formatKubeVersion(parseKubeVersion(cluster.version)), to: target, steps };
}
__name(planUpgrade, "planUpgrade");

// actions/lib/kubeadm/profile.ts
var PRODUCTION_PROFILE = {
  name: "production",
  cgroupDriver: "systemd",
  ignorePreflightErrors: [],
  loadKernelModules: true,
  writeSysctls: true,
  binarySource: "apt",
  binaryDir: "/usr/bin",
  notes: []
};
var LAB_NSPAWN_PROFILE = {
  name: "lab-nspawn",
  cgroupDriver: "cgroupfs",
  failCgroupV1: false,
  ignorePreflightErrors: ["SystemVerification"],
  imagePullPolicy: "Never",
  conntrackMaxPerCore: 0,
  loadKernelModules: false,
  writeSysctls: true,
  binarySource: "preloaded",
  // where the packages put them and the kubelet unit runs /usr/bin/kubelet (docs/lab-image.md)
  binaryDir: "/usr/bin",
  preloadedDir: "/opt/pve-kube/kubernetes",
  preloadedImagesDir: "/opt/pve-kube/images",
  importImagesCommand: "/usr/local/lib/pve-kube-lab/import-images.sh",
  notes: [
    "kubelet failCgroupV1: false and cgroupDriver: cgroupfs (the lab host is cgroup v1)",
    "kubeadm preflight SystemVerification ignored (cgroup v1)",
    "imagePullPolicy: Never (images are preloaded; no registry is reachable)",
    "kube-proxy conntrack.maxPerCore: 0 (nf_conntrack_max is not settable in a guest)",
    "no modprobe (the lab kernel has no loadable modules)",
    "Kubernetes binaries of the cluster's version from /opt/pve-kube/kubernetes/v<version>, its images imported from /opt/pve-kube/images/v<version> (the lab image preloads both)"
  ]
};
function nodeProfile(name) {
  return name === "lab-nspawn" ? LAB_NSPAWN_PROFILE : PRODUCTION_PROFILE;
}
__name(nodeProfile, "nodeProfile");

// actions/lib/kubeadm/recap.ts
var FIELDS = ["ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored"];
function parseRecap(output) {
  const lines = output.split(/\r?\n/);
  const start = lines.findLastIndex((line) => /^PLAY RECAP \*+/.test(line));
  if (start < 0) return [];
  const hosts = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^(\S+)\s+:\s+(.*)$/.exec(line.trim());
    if (!match) {
      if (line.trim() === "") continue;
      break;
    }
    const counts = new Map(
      [...(match[2] ?? "").matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1] ?? "", Number(m[2])])
    );
    const recap = {
      host: match[1] ?? "",
      ok: 0,
      changed: 0,
      unreachable: 0,
      failed: 0,
      skipped: 0,
      rescued: 0,
      ignored: 0
    };
    for (const field of FIELDS) recap[field] = counts.get(field) ?? 0;
    hosts.push(recap);
  }
  return hosts;
}
__name(parseRecap, "parseRecap");

// actions/lib/kubeadm/retry.ts
var SITE_ATTEMPTS = 3;
var PlaybookFailedError = class extends Error {
  constructor(playbook, exitCode, output) {
    const recap = parseRecap(output);
    const failures = output.split(/\r?\n/).filter((l) => /fatal: \[|UNREACHABLE!|FAILED!|"msg":/.test(l)).map((l) => l.trim());
    const hosts = recap.filter((h) => h.failed > 0 || h.unreachable > 0).map((h) => h.host);
    super(
      `ansible-playbook ${playbook} exited with code ${exitCode}` + (hosts.length ? ` (failed or unreachable: ${hosts.join(", ")})` : "") + (failures.length ? `:
${failures.slice(-6).join("\n")}` : "")
    );
    this.playbook = playbook;
    this.exitCode = exitCode;
    this.recap = recap;
    this.failures = failures;
  }
  playbook;
  exitCode;
  static {
    __name(this, "PlaybookFailedError");
  }
  name = "PlaybookFailedError";
  recap;
  /** the `fatal:` / `UNREACHABLE!` lines and the failure messages of the run, as printed */
  failures;
};
function kubeadmTransientReason(error) {
  if (!(error instanceof PlaybookFailedError)) return void 0;
  const text = error.failures.join("\n");
  if (error.recap.some((h) => h.unreachable > 0) || /UNREACHABLE!|Connection reset by peer|Connection timed out|Shared connection to \S+ closed|banner exchange/.test(
    text
  ))
    return "a node dropped its SSH connection";
  if (/Could not get lock|dpkg frontend lock|dpkg was interrupted/.test(text))
    return "dpkg's lock was held on the node";
  if (/kubeadm join failed[^\n]*(context deadline exceeded|i\/o timeout|TLS handshake timeout|etcdserver: (request timed out|leader changed)|connection refused)/.test(
    text
  ))
    return "kubeadm join timed out against the control plane";
  return void 0;
}
__name(kubeadmTransientReason, "kubeadmTransientReason");
var SITE_RULE = {
  maxAttempts: SITE_ATTEMPTS,
  transientReason: kubeadmTransientReason,
  pauseMs: /* @__PURE__ */ __name(() => 5e3, "pauseMs")
};
function stepsOutsidePlan(reviewed, next) {
  const outside = [];
  if (next.init && next.init !== reviewed.init) outside.push(`kubeadm init on ${next.init}`);
  for (const n of next.controlPlaneJoins)
    if (!reviewed.controlPlaneJoins.includes(n)) outside.push(`control-plane join of ${n}`);
  for (const n of next.workerJoins)
    if (!reviewed.workerJoins.includes(n) && !reviewed.controlPlaneJoins.includes(n))
      outside.push(`worker join of ${n}`);
  for (const r of next.removals)
    if (!reviewed.removals.some((x) => x.name === r.name)) outside.push(`removal of ${r.name}`);
  for (const s of next.upgrade?.steps ?? [])
    if (reviewed.upgrade?.to !== next.upgrade?.to || !reviewed.upgrade?.steps.some((x) => x.name === s.name))
      outside.push(`upgrade of ${s.name} to ${next.upgrade?.to ?? "?"}`);
  const forgotten = /* @__PURE__ */ new Set([
    ...reviewed.forget?.nodes ?? [],
    ...reviewed.forget?.etcdMembers.map((m) => m.name) ?? []
  ]);
  const joining = /* @__PURE__ */ new Set([...reviewed.controlPlaneJoins, ...reviewed.workerJoins]);
  for (const n of [
    ...next.forget?.nodes ?? [],
    ...next.forget?.etcdMembers.map((m) => m.name) ?? []
  ])
    if (!forgotten.has(n) && !joining.has(n)) outside.push(`forgetting ${n}`);
  return [...new Set(outside)];
}
__name(stepsOutsidePlan, "stepsOutsidePlan");

// actions/lib/kubeadm/secrets.ts
import { randomBytes, randomInt } from "node:crypto";
var TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
function randomToken(length) {
  let out = "";
  for (let i = 0; i < length; i++) out += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return out;
}
__name(randomToken, "randomToken");
function newJoinSecrets() {
  return {
    token: `${randomToken(6)}.${randomToken(16)}`,
    certificateKey: randomBytes(32).toString("hex")
  };
}
__name(newJoinSecrets, "newJoinSecrets");
function joinSecretValues(secrets) {
  return [secrets.token, secrets.token.split(".")[1] ?? "", secrets.certificateKey].filter(Boolean);
}
__name(joinSecretValues, "joinSecretValues");

// actions/lib/kubeadm/vars.ts
var import_yaml2 = __toESM(require_dist(), 1);

// actions/lib/kubeadm/endpoint.ts
import { createHash } from "node:crypto";
function kubeVipKubeconfig(phase) {
  return phase === "init" ? "/etc/kubernetes/super-admin.conf" : "/etc/kubernetes/admin.conf";
}
__name(kubeVipKubeconfig, "kubeVipKubeconfig");
var envVar = external_exports.strictObject({ name: external_exports.string(), value: external_exports.string() });
var staticPodSchema = external_exports.strictObject({
  apiVersion: external_exports.literal("v1"),
  kind: external_exports.literal("Pod"),
  metadata: external_exports.strictObject({ name: external_exports.string(), namespace: external_exports.literal("kube-system") }),
  spec: external_exports.strictObject({
    hostNetwork: external_exports.literal(true),
    hostAliases: external_exports.array(external_exports.strictObject({ ip: external_exports.ipv4(), hostnames: external_exports.array(external_exports.string()) })).optional(),
    containers: external_exports.array(
      external_exports.strictObject({
        name: external_exports.string(),
        image: external_exports.string().regex(/^[^:\s]+:[^:\s]+$/, "image:tag"),
        imagePullPolicy: external_exports.enum(["Always", "IfNotPresent", "Never"]),
        args: external_exports.array(external_exports.string()),
        env: external_exports.array(envVar),
        securityContext: external_exports.strictObject({
          capabilities: external_exports.strictObject({
            add: external_exports.array(external_exports.string()),
            drop: external_exports.array(external_exports.string()).optional()
          })
        }),
        volumeMounts: external_exports.array(external_exports.strictObject({ name: external_exports.string(), mountPath: external_exports.string() }))
      })
    ).length(1),
    volumes: external_exports.array(
      external_exports.strictObject({
        name: external_exports.string(),
        hostPath: external_exports.strictObject({
          path: external_exports.string(),
          type: external_exports.enum(["File", "FileOrCreate"]).optional()
        })
      })
    )
  })
});
function renderKubeVipManifest(s, node, kubeconfig) {
  const env = {
    vip_arp: "true",
    port: String(API_SERVER_PORT),
    vip_interface: node.interface,
    vip_subnet: "32",
    cp_enable: "true",
    cp_namespace: "kube-system",
    vip_leaderelection: "true",
    vip_leasename: "plndr-cp-lock",
    vip_leaseduration: "5",
    vip_renewdeadline: "3",
    vip_retryperiod: "1",
    address: s.vip
  };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "kube-vip", namespace: "kube-system" },
    spec: {
      hostNetwork: true,
      // kube-vip talks to the API at https://kubernetes:6443 through this name
      hostAliases: [{ ip: "127.0.0.1", hostnames: ["kubernetes"] }],
      containers: [
        {
          name: "kube-vip",
          image: s.kubeVipImage,
          imagePullPolicy: "IfNotPresent",
          args: ["manager"],
          env: Object.entries(env).map(([name, value]) => ({ name, value })),
          securityContext: { capabilities: { add: ["NET_ADMIN", "NET_RAW"], drop: ["ALL"] } },
          volumeMounts: [{ name: "kubeconfig", mountPath: "/etc/kubernetes/admin.conf" }]
        }
      ],
      volumes: [{ name: "kubeconfig", hostPath: { path: kubeconfig, type: "File" } }]
    }
  };
}
__name(renderKubeVipManifest, "renderKubeVipManifest");
function virtualRouterId(clusterUid) {
  return (createHash("sha256").update(clusterUid).digest()[0] ?? 0) % 255 + 1;
}
__name(virtualRouterId, "virtualRouterId");
function renderKeepalivedConf(s, node, controlPlanes) {
  const index = controlPlanes.findIndex((cp) => cp.name === node.name);
  const priority = 150 - Math.max(index, 0) * 10;
  const peers = controlPlanes.filter((cp) => cp.name !== node.name).map((cp) => cp.ip);
  return [
    "# Rendered by pve-kube kubeadm-bootstrap: do not edit on the node.",
    "global_defs {",
    `  router_id ${node.name}`,
    "  enable_script_security",
    "  script_user root",
    "}",
    "vrrp_script check_apiserver {",
    '  script "/etc/keepalived/check_apiserver.sh"',
    "  interval 2",
    "  timeout 2",
    "  fall 3",
    "  rise 2",
    "  weight -60",
    "}",
    `vrrp_instance ${s.cluster.replace(/[^A-Za-z0-9_]/g, "_")}_api {`,
    "  state BACKUP",
    `  interface ${node.interface}`,
    `  virtual_router_id ${virtualRouterId(s.clusterUid)}`,
    `  priority ${priority}`,
    "  advert_int 1",
    `  unicast_src_ip ${node.ip}`,
    "  unicast_peer {",
    ...peers.map((ip) => `    ${ip}`),
    "  }",
    "  virtual_ipaddress {",
    `    ${s.vip}/${s.prefix} dev ${node.interface}`,
    "  }",
    "  track_script {",
    "    check_apiserver",
    "  }",
    "}",
    ""
  ].join("\n");
}
__name(renderKeepalivedConf, "renderKeepalivedConf");
function renderKeepalivedCheck() {
  return [
    "#!/bin/bash",
    "# Rendered by pve-kube: fails when the local HAProxy (the VIP's port) does not accept connections.",
    `exec 3<>/dev/tcp/127.0.0.1/${HAPROXY_PORT}`,
    ""
  ].join("\n");
}
__name(renderKeepalivedCheck, "renderKeepalivedCheck");
function renderHaproxyCfg(controlPlanes) {
  return [
    "# Rendered by pve-kube kubeadm-bootstrap: do not edit on the node.",
    "global",
    "  log /dev/log local0",
    "  maxconn 4000",
    "defaults",
    "  mode tcp",
    "  log global",
    "  option tcplog",
    "  timeout connect 5s",
    "  timeout client 1h",
    "  timeout server 1h",
    // an API server that stopped (its turn in an upgrade) refuses connections for up to the
    // 2 s × 3 the health check needs to mark it down: try again, on another server
    "  retries 3",
    "  option redispatch",
    "frontend kube-apiserver",
    `  bind *:${HAPROXY_PORT}`,
    "  default_backend kube-apiserver",
    "backend kube-apiserver",
    "  option httpchk GET /readyz",
    "  http-check expect status 200",
    "  balance roundrobin",
    "  default-server inter 2s fall 3 rise 2 check check-ssl verify none",
    ...controlPlanes.map((cp) => `  server ${cp.name} ${cp.ip}:${API_SERVER_PORT}`),
    ""
  ].join("\n");
}
__name(renderHaproxyCfg, "renderHaproxyCfg");

// actions/lib/kubeadm/vars.ts
function yamlDocuments(docs) {
  return docs.map((d) => (0, import_yaml2.stringify)(d, { lineWidth: 0 })).join("---\n");
}
__name(yamlDocuments, "yamlDocuments");
function renderExtraVars(input) {
  const { settings, endpoint, nodes, plan, secrets } = input;
  const cps = nodes.filter((n) => n.role === "control-plane");
  const first = nodes.find((n) => n.name === (plan.init ?? plan.operator));
  const joining = /* @__PURE__ */ new Set([...plan.controlPlaneJoins, ...plan.workerJoins]);
  const iface = /* @__PURE__ */ __name((name) => input.interfaces.get(name) ?? "eth0", "iface");
  const profile = settings.profile;
  return {
    pve_kube_cluster: settings.cluster,
    pve_kube_version: formatKubeVersion(parseKubeVersion(settings.version)),
    pve_kube_control_plane_endpoint: controlPlaneEndpoint(settings),
    pve_kube_endpoint_provider: settings.provider,
    pve_kube_token: secrets.token,
    pve_kube_certificate_key: secrets.certificateKey,
    pve_kube_packages: ["kubeadm", "kubelet", "kubectl", "containerd"],
    pve_kube_profile: {
      name: profile.name,
      cgroup_driver: profile.cgroupDriver,
      load_kernel_modules: profile.loadKernelModules,
      write_sysctls: profile.writeSysctls,
      binary_source: profile.binarySource,
      binary_dir: profile.binaryDir,
      preloaded_dir: profile.preloadedDir ?? "",
      preloaded_images_dir: profile.preloadedImagesDir ?? "",
      import_images_command: profile.importImagesCommand ?? "",
      ignore_preflight_errors: profile.ignorePreflightErrors
    },
    pve_kube_init_config: plan.init && first ? yamlDocuments(renderInitDocuments(settings, first, secrets)) : "",
    pve_kube_join_configs: Object.fromEntries(
      nodes.filter((n) => joining.has(n.name)).map((n) => [n.name, yamlDocuments([renderJoinConfiguration(settings, n, secrets)])])
    ),
    pve_kube_kube_vip_manifests: settings.provider === "kube-vip" ? Object.fromEntries(
      cps.map((cp) => [
        cp.name,
        {
          init: (0, import_yaml2.stringify)(
            renderKubeVipManifest(
              endpoint,
              { interface: iface(cp.name) },
              kubeVipKubeconfig("init")
            )
          ),
          running: (0, import_yaml2.stringify)(
            renderKubeVipManifest(
              endpoint,
              { interface: iface(cp.name) },
              kubeVipKubeconfig("running")
            )
          )
        }
      ])
    ) : {},
    pve_kube_keepalived_confs: settings.provider === "keepalived" ? Object.fromEntries(
      cps.map((cp) => [
        cp.name,
        renderKeepalivedConf(endpoint, { ...cp, interface: iface(cp.name) }, cps)
      ])
    ) : {},
    pve_kube_keepalived_check: renderKeepalivedCheck(),
    pve_kube_haproxy_cfg: renderHaproxyCfg(cps),
    // kubectl label/taint/annotate argv per worker whose pool labels or taints differ
    pve_kube_node_metadata_commands: (plan.nodeMetadata ?? []).flatMap(
      (change) => nodeMetadataCommands(change).map((argv) => ({ node: change.node, argv }))
    ),
    pve_kube_forget: {
      nodes: plan.forget?.nodes ?? [],
      etcd_members: plan.forget?.etcdMembers ?? []
    },
    pve_kube_facts_file: input.factsFile,
    pve_kube_admin_kubeconfig_file: input.adminKubeconfigFile
  };
}
__name(renderExtraVars, "renderExtraVars");

// actions/lib/kubeadm/host-keys.ts
import { createHash as createHash2 } from "node:crypto";
function parseKnownHosts(text) {
  return text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")).map((l) => l.split(/\s+/)).filter((f) => f.length >= 3).map(([host, type, key]) => ({ host, type, key }));
}
__name(parseKnownHosts, "parseKnownHosts");
function formatKnownHosts(keys) {
  return keys.length === 0 ? "" : keys.map((k) => `${k.host} ${k.type} ${k.key}`).join("\n") + "\n";
}
__name(formatKnownHosts, "formatKnownHosts");
function keyFingerprint(key) {
  const digest = createHash2("sha256").update(Buffer.from(key, "base64")).digest("base64");
  return `SHA256:${digest.replace(/=+$/, "")}`;
}
__name(keyFingerprint, "keyFingerprint");
function mergePins(...sources) {
  const seen = /* @__PURE__ */ new Set();
  const out = [];
  for (const source of sources) {
    const keys = parseKnownHosts(source);
    const hosts = new Set(keys.map((k) => k.host));
    for (const k of keys) if (!seen.has(k.host)) out.push(k);
    for (const h of hosts) seen.add(h);
  }
  return formatKnownHosts(dedupe(out));
}
__name(mergePins, "mergePins");
function dedupe(keys) {
  const seen = /* @__PURE__ */ new Set();
  return keys.filter((k) => {
    const id = `${k.host} ${k.type} ${k.key}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
__name(dedupe, "dedupe");
function forgetHosts(knownHosts, ips) {
  const gone = new Set(ips);
  return formatKnownHosts(parseKnownHosts(knownHosts).filter((k) => !gone.has(k.host)));
}
__name(forgetHosts, "forgetHosts");
function checkHostKeys(input) {
  const pinned = parseKnownHosts(input.pinned);
  const scanned = parseKnownHosts(input.scanned);
  const replace = new Set(input.replace);
  const result = { knownHosts: "", firstContact: [], replaced: [], silent: [] };
  const changed = [];
  const byHost = /* @__PURE__ */ __name((keys, ip) => keys.filter((k) => k.host === ip), "byHost");
  const nodeIps = new Set(input.nodes.map((n) => n.ip));
  const keep = pinned.filter((k) => !nodeIps.has(k.host));
  for (const node of input.nodes) {
    const mine = byHost(pinned, node.ip);
    const now = byHost(scanned, node.ip);
    if (replace.has(node.name) || replace.has(node.ip)) {
      if (now.length === 0) {
        result.silent.push(node.name);
        keep.push(...mine);
      } else {
        result.replaced.push(node.name);
        keep.push(...now);
      }
      continue;
    }
    if (mine.length === 0) {
      if (now.length === 0) result.silent.push(node.name);
      else result.firstContact.push(node.name);
      keep.push(...now);
      continue;
    }
    keep.push(...mine);
    if (now.length === 0) {
      result.silent.push(node.name);
      continue;
    }
    const comparable = now.filter((k) => mine.some((m) => m.type === k.type));
    const differs = comparable.length === 0 || comparable.some((k) => !mine.some((m) => m.type === k.type && m.key === k.key));
    if (differs) {
      const was = mine.map((m) => `${m.type} ${keyFingerprint(m.key)}`).join(", ");
      const is = now.map((k) => `${k.type} ${keyFingerprint(k.key)}`).join(", ");
      changed.push(`${node.name} (${node.ip}): pinned ${was}, now presents ${is}`);
    }
  }
  if (changed.length > 0) {
    throw new ConfigurationError(
      `the SSH host key changed on ${changed.join("; ")} \u2014 nothing was done`,
      "if these VMs were rebuilt on purpose, run again with the input replace-host-keys naming them (deploy.yml passes it through); otherwise treat it as an interception: compare the key on the VM's console (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) before trusting it"
    );
  }
  result.knownHosts = formatKnownHosts(dedupe(keep));
  return result;
}
__name(checkHostKeys, "checkHostKeys");

// actions/lib/kubeadm/known-hosts-store.ts
import { createHash as createHash3 } from "node:crypto";
import { mkdir, readFile as readFile2, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path2 from "node:path";
function knownHostsCacheKey(cluster, clusterUid, knownHosts) {
  const prefix = `pve-kube-known-hosts-${cluster}-${clusterUid}-`;
  const hash = createHash3("sha256").update(knownHosts).digest("hex").slice(0, 16);
  return { key: `${prefix}${hash}`, prefix };
}
__name(knownHostsCacheKey, "knownHostsCacheKey");
var FILE = "known_hosts";
var loadCache = /* @__PURE__ */ __name(() => import("./cache-GB25JNKL.mjs"), "loadCache");
function actionsKnownHostsStore(cluster, clusterUid, logger, tmpRoot = os.tmpdir()) {
  const dir = path2.join(tmpRoot, `pve-kube-known-hosts-${cluster}-${clusterUid}`);
  return {
    async restore() {
      const cache = await loadCache();
      if (!cache.isFeatureAvailable()) {
        logger.info(
          "the Actions cache is not available here: host keys are pinned for this run only"
        );
        return "";
      }
      await rm(dir, { recursive: true, force: true });
      try {
        const { prefix } = knownHostsCacheKey(cluster, clusterUid, "");
        const hit = await cache.restoreCache([dir], `${prefix}none`, [prefix]);
        if (!hit) return "";
        logger.info(`host keys pinned by an earlier run restored (${hit})`);
        return await readFile2(path2.join(dir, FILE), "utf8");
      } catch (error) {
        logger.warning(`could not restore the pinned host keys: ${getErrorMessage(error)}`);
        return "";
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async save(knownHosts) {
      const cache = await loadCache();
      if (!cache.isFeatureAvailable()) return;
      const { key } = knownHostsCacheKey(cluster, clusterUid, knownHosts);
      try {
        await rm(dir, { recursive: true, force: true });
        await mkdir(dir, { recursive: true, mode: 448 });
        await writeFile(path2.join(dir, FILE), knownHosts, { mode: 384 });
        await cache.saveCache([dir], key);
        logger.info(`pinned host keys saved for the next run (${key})`);
      } catch (error) {
        if (!/already exists|reserve/i.test(getErrorMessage(error)))
          logger.warning(`could not save the pinned host keys: ${getErrorMessage(error)}`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  };
}
__name(actionsKnownHostsStore, "actionsKnownHostsStore");

// actions/kubeadm-bootstrap/src/inputs.ts
var inputSchema = external_exports.object({
  cluster: external_exports.string({ error: "is required: the path of cluster.yaml" }),
  mode: external_exports.enum(["apply", "plan", "prepare-removals"], {
    error: "must be apply, plan or prepare-removals"
  }).default("apply"),
  "ssh-private-key": external_exports.string({
    error: "is required: pass the SSH_PRIVATE_KEY secret that matches ssh.publicKeys"
  }),
  "state-key": external_exports.string({ error: "is required: pass the STATE_KEY secret" }),
  "node-profile": external_exports.enum(["production", "lab-nspawn"], { error: "must be production or lab-nspawn" }).default("production"),
  "known-hosts": external_exports.string().optional(),
  "replace-host-keys": external_exports.string().default("").transform((v) => v.split(/[\s,]+/).filter(Boolean)),
  inventory: external_exports.string().optional(),
  forks: integerInput(10, 1),
  "ssh-wait-seconds": integerInput(120, 0),
  verbose: booleanInput(false)
});

// actions/kubeadm-bootstrap/src/nodes.ts
function desiredNodes(plan, inventory) {
  const ipOf = new Map(inventory.map((vm) => [vm.name, vm.ip]));
  return plan.vms.map((vm) => ({
    name: vm.name,
    ip: ipOf.get(vm.name) || vm.ip,
    role: vm.role,
    pool: vm.pool,
    labels: vm.labels,
    taints: vm.taints
  }));
}
__name(desiredNodes, "desiredNodes");
function presentNodes(plan, inventory) {
  const planned = new Map(plan.vms.map((vm) => [vm.name, vm]));
  return inventory.map((vm) => ({
    name: vm.name,
    ip: vm.ip,
    role: vm.role,
    pool: vm.pool ?? (vm.role === "control-plane" ? "control-plane" : ""),
    labels: planned.get(vm.name)?.labels ?? {},
    taints: planned.get(vm.name)?.taints ?? []
  }));
}
__name(presentNodes, "presentNodes");

// actions/kubeadm-bootstrap/src/summary.ts
function planLines(plan) {
  const lines = [];
  if (plan.init) lines.push(`init: kubeadm init on ${plan.init}`);
  if (plan.upgrade)
    lines.push(
      `upgrade ${plan.upgrade.from} \u2192 ${plan.upgrade.to}, one node at a time: ${plan.upgrade.steps.map((s) => `${s.name} (upgrade ${s.command})`).join(", ")}`
    );
  if (plan.controlPlaneJoins.length > 0)
    lines.push(`join control planes one at a time: ${plan.controlPlaneJoins.join(", ")}`);
  if (plan.workerJoins.length > 0)
    lines.push(`join workers in parallel: ${plan.workerJoins.join(", ")}`);
  for (const r of plan.removals)
    lines.push(
      `remove ${r.name}: cordon, drain, kubeadm reset${r.etcdMember ? " (removes its etcd member)" : ""}, delete the node`
    );
  if (plan.forget?.etcdMembers.length)
    lines.push(
      `remove dead etcd members of gone or rebuilt control planes: ${plan.forget.etcdMembers.map((m) => `${m.name || "(unnamed)"} ${m.id}`).join(", ")}`
    );
  if (plan.forget?.nodes.length)
    lines.push(
      `delete the Node objects of gone or rebuilt machines: ${plan.forget.nodes.join(", ")}`
    );
  if (plan.forget?.leftAlone.length)
    lines.push(
      `registered, no VM of this cluster, left alone: ${plan.forget.leftAlone.join(", ")}`
    );
  for (const m of plan.nodeMetadata ?? []) {
    const parts = [
      ...Object.entries(m.setLabels).map(([k, v]) => `label ${k}=${v}`),
      ...m.removeLabels.map((k) => `unlabel ${k}`),
      ...m.addTaints.map((t) => `taint ${formatTaint(t)}`),
      ...m.removeTaints.map((t) => `untaint ${formatTaint(t)}`)
    ];
    if (parts.length > 0) lines.push(`${m.node}: ${parts.join(", ")}`);
  }
  if (plan.strays.length > 0)
    lines.push(`registered but not in cluster.yaml (left alone): ${plan.strays.join(", ")}`);
  if (lines.length === 0) lines.push("nothing to do: every node is a member at the wanted version");
  return lines;
}
__name(planLines, "planLines");
function kubeadmBootstrapSummary(input) {
  const out = [`## kubeadm-bootstrap (${input.mode}) \u2014 ${input.cluster}`, ""];
  out.push(
    `Kubernetes ${input.version} \xB7 endpoint \`${input.endpoint}\` (${input.provider}) \xB7 node profile **${input.profile.name}**`,
    ""
  );
  if (input.profile.name !== "production") {
    out.push(`> **Lab profile used** \u2014 settings that differ from production:`);
    for (const note of input.profile.notes) out.push(`> - ${note}`);
    out.push("");
  }
  out.push("### Plan", "", ...planLines(input.plan).map((l) => `- ${l}`), "");
  if (input.recap.length > 0) {
    out.push(
      "### Ansible recap",
      "",
      "| host | ok | changed | failed | unreachable | time |",
      "|---|---:|---:|---:|---:|---:|"
    );
    for (const h of input.recap)
      out.push(
        `| ${h.host} | ${h.ok} | ${h.changed} | ${h.failed} | ${h.unreachable} | ${h.seconds.toFixed(1)} s |`
      );
    out.push("");
  }
  if (input.notReady.length > 0)
    out.push(
      `Nodes registered but not Ready yet: ${input.notReady.join(", ")} \u2014 expected until a CNI runs (install-cilium).`,
      ""
    );
  if (input.criticalPath) {
    const c = input.criticalPath;
    out.push(
      `kubeadm's own critical path: ${c.totalSeconds} s (init ${c.initSeconds} s, control-plane joins ${c.controlPlaneJoinSeconds.join(" + ") || "0"} s, slowest worker join ${c.slowestWorkerJoinSeconds} s); the phase took ${c.phaseSeconds} s \u2014 **${c.ratio}\xD7** the critical path.`,
      ""
    );
  }
  if (input.timings.length > 0) {
    out.push("### Steps", "", "| step | time |", "|---|---:|");
    for (const t of input.timings) out.push(`| ${t.step} | ${(t.ms / 1e3).toFixed(1)} s |`);
  }
  return out.join("\n");
}
__name(kubeadmBootstrapSummary, "kubeadmBootstrapSummary");

// actions/kubeadm-bootstrap/src/kubeadm-bootstrap-action.ts
function bundledAnsibleDir() {
  let dir = path3.dirname(fileURLToPath(import.meta.url));
  for (; ; ) {
    if (existsSync(path3.join(dir, "ansible", "site.yml"))) return path3.join(dir, "ansible");
    const parent = path3.dirname(dir);
    if (parent === dir) throw new Error("cannot find pve-kube's ansible/ folder beside the action");
    dir = parent;
  }
}
__name(bundledAnsibleDir, "bundledAnsibleDir");
async function run(deps = actionDeps(process.env)) {
  const { env, logger } = deps;
  const tool = deps.tool ?? runTool;
  const startedAt = (/* @__PURE__ */ new Date()).toISOString();
  const startedMs = Date.now();
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  deps.maskSecret(inputs["ssh-private-key"]);
  deps.maskSecret(inputs["state-key"]);
  const joinSecrets = newJoinSecrets();
  for (const s of joinSecretValues(joinSecrets)) deps.maskSecret(s);
  const secrets = [
    inputs["ssh-private-key"],
    inputs["state-key"],
    ...joinSecretValues(joinSecrets)
  ];
  const { plan: cluster } = await loadClusterConfig(inputs.cluster, {
    cwd: env.GITHUB_WORKSPACE ?? process.cwd()
  });
  const profile = nodeProfile(inputs["node-profile"]);
  if (profile.name !== "production")
    logger.warning(`node profile ${profile.name}: ${profile.notes.join("; ")}`);
  const settings = clusterSettings(cluster, profile);
  const endpoint = controlPlaneEndpoint(settings);
  const timer = new StepTimer();
  const inventory = await timer.time("read inventory", () => readInventory(inputs, cluster, deps));
  const store = deps.knownHostsStore ?? actionsKnownHostsStore(cluster.cluster, cluster.uid, logger);
  const storedPins = await store.restore();
  const pinned = mergePins(
    inputs["known-hosts"] ?? "",
    await earlierKnownHosts(cluster, inputs, deps),
    storedPins
  );
  const ws = await createRunWorkspace(env, inputs["ssh-private-key"]);
  try {
    const ansibleDir = deps.ansibleDir ?? (env.GITHUB_ACTION_PATH ? path3.join(env.GITHUB_ACTION_PATH, "..", "..", "ansible") : bundledAnsibleDir());
    const playbook = /* @__PURE__ */ __name(async (name, planned2, hosts, leaving = [], okExitCodes = [], check = false) => {
      await writePrivate(
        ws.inventoryFile,
        JSON.stringify(
          renderInventory({ nodes: hosts, plan: planned2, user: cluster.ssh.user, leaving })
        )
      );
      const result = await logger.group(
        `ansible-playbook ${name}`,
        () => tool(
          "ansible-playbook",
          ansiblePlaybookArgs({
            ansibleDir,
            playbook: name,
            inventoryFile: ws.inventoryFile,
            varsFile: ws.varsFile,
            privateKeyFile: ws.privateKeyFile,
            user: cluster.ssh.user,
            forks: inputs.forks,
            verbose: inputs.verbose,
            check
          }),
          {
            logger,
            env: ansibleEnv({
              base: env,
              ansibleDir,
              knownHostsFile: ws.knownHostsFile,
              timingFile: ws.timingFile,
              tmpDir: ws.dir,
              controlPathDir: ws.controlPathDir
            }),
            streamOutput: true,
            secrets,
            okExitCodes
          }
        )
      );
      return result;
    }, "playbook");
    const writeVars = /* @__PURE__ */ __name(async (planned2, nodes, facts2) => writePrivate(
      ws.varsFile,
      JSON.stringify(
        renderExtraVars({
          settings,
          endpoint: {
            cluster: cluster.cluster,
            clusterUid: cluster.uid,
            vip: cluster.network.vip,
            prefix: cluster.network.prefix,
            kubeVipImage: `${versions.kubeVip.image}:v${versions.kubeVip.version}`
          },
          nodes,
          plan: planned2,
          secrets: joinSecrets,
          interfaces: facts2?.interfaces ?? /* @__PURE__ */ new Map(),
          factsFile: ws.factsFile,
          adminKubeconfigFile: ws.adminKubeconfigFile
        })
      )
    ), "writeVars");
    const desired = desiredNodes(cluster, inventory);
    const present = presentNodes(cluster, inventory);
    const reachable = inputs.mode === "apply" ? desired : present;
    let knownHosts = await timer.time(
      "pin host keys",
      () => pinHostKeys(
        ws,
        pinned,
        reachable,
        inputs["replace-host-keys"],
        tool,
        deps,
        inputs["ssh-wait-seconds"]
      )
    );
    if (knownHosts !== storedPins) await store.save(knownHosts);
    const placeholder = {
      operator: reachable.find((n) => n.role === "control-plane")?.name ?? "",
      controlPlaneJoins: [],
      workerJoins: [],
      removals: [],
      strays: [],
      members: []
    };
    const gatherFacts = /* @__PURE__ */ __name(async (planned2, hosts) => {
      await rm2(ws.factsFile, { force: true });
      await playbook("facts.yml", planned2, hosts, [], [2, 4]);
      return readFactsFile(ws.factsFile, hosts);
    }, "gatherFacts");
    await writeVars(placeholder, reachable);
    const facts = await timer.time("facts", () => gatherFacts(placeholder, reachable));
    let planned;
    if (inputs.mode === "prepare-removals") {
      const registered = new Set(facts.cluster?.nodes.map((n) => n.name) ?? []);
      const members = present.filter((n) => registered.has(n.name));
      const removals = planRemovals(members, desired);
      const staying = members.filter((n) => !removals.some((r) => r.name === n.name));
      const operator = staying.find(
        (n) => n.role === "control-plane" && facts.hosts.find((h) => h.name === n.name)?.adminConf
      )?.name;
      planned = {
        ...placeholder,
        operator: operator ?? "",
        removals,
        members: staying.map((n) => n.name)
      };
      if (removals.length > 0 && !operator)
        throw new ConfigurationError(
          "no control plane that stays has /etc/kubernetes/admin.conf",
          "check the control planes, then run again"
        );
    } else if (inputs.mode === "plan") {
      const existing = new Set(present.map((n) => n.name));
      const future = desired.filter((n) => !existing.has(n.name)).map((n) => ({
        name: n.name,
        reachable: true,
        kubeletConfigured: false,
        adminConf: false
      }));
      const registered = new Set(facts.cluster?.nodes.map((n) => n.name) ?? []);
      const removals = planRemovals(
        present.filter((n) => registered.has(n.name)),
        desired
      );
      planned = {
        ...planBootstrap({
          desired,
          facts: { ...facts, hosts: [...facts.hosts, ...future] },
          version: cluster.kubernetes.version,
          cluster: cluster.cluster,
          present
        }),
        removals
      };
    } else {
      planned = planBootstrap({
        desired,
        facts,
        version: cluster.kubernetes.version,
        cluster: cluster.cluster
      });
    }
    for (const line of planLines(planned)) logger.info(line);
    let recapHosts = [];
    let retries = [];
    let kubeconfig;
    if (inputs.mode === "plan") {
      const answering = new Set(facts.hosts.filter((h) => h.reachable).map((h) => h.name));
      const staying = new Set(desired.map((n) => n.name));
      const checkHosts = present.filter((n) => answering.has(n.name) && staying.has(n.name));
      if (checkHosts.length > 0) {
        await writeVars(planned, desired, facts);
        await rm2(ws.timingFile, { force: true });
        const result = await timer.time(
          "check.yml (--check --diff)",
          () => playbook("check.yml", planned, checkHosts, [], [2], true)
        );
        recapHosts = parseRecap(result.stdout);
        if (result.exitCode === 2)
          logger.warning("the --check --diff run had failed tasks: see its log group");
      }
    } else {
      const book = inputs.mode === "prepare-removals" ? "removals.yml" : "site.yml";
      const hosts = inputs.mode === "prepare-removals" ? present.filter((n) => !planned.removals.some((r) => r.name === n.name)) : desired;
      const leaving = present.filter((n) => planned.removals.some((r) => r.name === n.name));
      await writeVars(planned, hosts, facts);
      await rm2(ws.timingFile, { force: true });
      const reviewed = planned;
      const { value: result, retries: siteRetries } = await timer.time(
        book,
        () => retryWithinRun({
          rule: inputs.mode === "apply" ? SITE_RULE : { ...SITE_RULE, maxAttempts: 1 },
          what: `ansible-playbook ${book}`,
          logger,
          prepare: /* @__PURE__ */ __name(async () => {
            await writeVars(placeholder, desired);
            const again = planBootstrap({
              desired,
              facts: await gatherFacts(placeholder, desired),
              version: cluster.kubernetes.version,
              cluster: cluster.cluster
            });
            const outside = stepsOutsidePlan(reviewed, again);
            if (outside.length > 0) return { stop: outside.join("; ") };
            for (const line of planLines(again)) logger.info(`retry: ${line}`);
            return { next: again };
          }, "prepare"),
          attempt: /* @__PURE__ */ __name(async (_attempt, next) => {
            if (next) {
              planned = next;
              await writeVars(next, hosts, facts);
            }
            const run2 = await playbook(book, planned, hosts, leaving, [2, 4]);
            if (run2.exitCode !== 0) throw new PlaybookFailedError(book, run2.exitCode, run2.stdout);
            return run2;
          }, "attempt")
        })
      );
      retries = siteRetries;
      recapHosts = parseRecap(result.stdout);
      if (leaving.length > 0) {
        knownHosts = forgetHosts(
          knownHosts,
          leaving.map((n) => n.ip)
        );
        await store.save(knownHosts);
      }
      if (inputs.mode === "apply") {
        kubeconfig = await readFile3(ws.adminKubeconfigFile, "utf8");
        deps.maskSecret(kubeconfig);
      }
    }
    const timing = await readTiming(ws.timingFile);
    const seconds = timing.hosts;
    const kubeadmPath = criticalPath(timing.tasks, new Map(desired.map((n) => [n.name, n.role])));
    let notReady = [];
    if (inputs.mode === "apply") {
      const after = await timer.time("verify", () => gatherFacts(planned, desired));
      const registered = new Set(after.cluster?.nodes.map((n) => n.name) ?? []);
      const missing = desired.filter((n) => !registered.has(n.name)).map((n) => n.name);
      if (missing.length > 0)
        throw new Error(`after the run the cluster does not list ${missing.join(", ")}`);
      notReady = after.cluster?.nodes.filter((n) => !n.ready).map((n) => n.name) ?? [];
      if (notReady.length > 0)
        logger.info(
          `registered, not Ready until a CNI runs (install-cilium): ${notReady.join(", ")}`
        );
    }
    const recap = recapHosts.map((h) => ({ ...h, seconds: seconds[h.host] ?? 0 }));
    const changed = recap.reduce((sum, h) => sum + h.changed, 0);
    logger.info(
      `kubeadm-bootstrap ${inputs.mode}: changed=${changed} over ${recap.length} hosts${planIsNoop(planned) ? " (nothing to do)" : ""}`
    );
    const phaseSeconds = Math.round((Date.now() - startedMs) / 100) / 10;
    const overhead = kubeadmPath && kubeadmPath.totalSeconds > 0 ? {
      ...kubeadmPath,
      phaseSeconds,
      ratio: Math.round(phaseSeconds / kubeadmPath.totalSeconds * 100) / 100
    } : void 0;
    if (overhead)
      logger.info(
        `kubeadm critical path ${overhead.totalSeconds} s (init ${overhead.initSeconds} s + control-plane joins ${overhead.controlPlaneJoinSeconds.join(" + ") || "0"} s + slowest worker join ${overhead.slowestWorkerJoinSeconds} s); phase ${phaseSeconds} s: ${overhead.ratio}\xD7 the critical path`
      );
    deps.setOutput("changed", String(changed));
    deps.setOutput("plan", JSON.stringify(planned));
    deps.setOutput("control-plane-endpoint", endpoint);
    await appendJobSummary(
      kubeadmBootstrapSummary({
        cluster: cluster.cluster,
        mode: inputs.mode,
        version: settings.version,
        endpoint,
        provider: settings.provider,
        profile,
        plan: planned,
        recap,
        timings: timer.timings,
        notReady,
        ...overhead ? { criticalPath: overhead } : {}
      }),
      logger,
      env
    );
    if (deps.artifactStore) {
      const state = finishedPhaseState(cluster, env, {
        phase: "kubeadm-bootstrap",
        status: "succeeded",
        startedAt,
        timings: timer.timings,
        outputs: {
          mode: inputs.mode,
          kubernetesVersion: settings.version,
          controlPlaneEndpoint: endpoint,
          endpointProvider: settings.provider,
          nodeProfile: profile.name,
          ...kubeconfig ? {
            kubeconfig: sealSecret(
              kubeconfig,
              inputs["state-key"],
              `${cluster.cluster}/kubeadm-bootstrap/kubeconfig`
            )
          } : {},
          knownHosts,
          ...overhead ? { criticalPath: overhead } : {},
          plan: { ...planned },
          ...retries.length > 0 ? { retries } : {},
          nodes: nodeActions(planned, desired),
          recap: recap.map(({ host, ok, changed: changed2, unreachable, failed, skipped, seconds: seconds2 }) => ({
            host,
            ok,
            changed: changed2,
            unreachable,
            failed,
            skipped,
            seconds: seconds2
          }))
        }
      });
      deps.setOutput(
        "state-artifact",
        await uploadPhaseState(state, deps.artifactStore, logger, {
          stateKey: inputs["state-key"]
        })
      );
    } else {
      deps.setOutput("state-artifact", phaseArtifactName(cluster.cluster, "kubeadm-bootstrap"));
      logger.info("no artifact service in this environment: kubeadm-bootstrap state not uploaded");
    }
    return { plan: planned, recap, changed };
  } finally {
    await ws.dispose();
  }
}
__name(run, "run");
function clusterSettings(cluster, profile) {
  return {
    cluster: cluster.cluster,
    version: cluster.kubernetes.version,
    vip: cluster.network.vip,
    provider: cluster.endpoint.provider,
    podCidr: cluster.kubernetes.podCidr,
    serviceCidr: cluster.kubernetes.serviceCidr,
    clusterDomain: cluster.kubernetes.clusterDomain,
    extraSans: cluster.kubernetes.extraSans,
    skipKubeProxy: cluster.cilium.kubeProxyReplacement,
    profile
  };
}
__name(clusterSettings, "clusterSettings");
async function readInventory(inputs, cluster, deps) {
  if (inputs.inventory) {
    try {
      return parseInventory(JSON.parse(inputs.inventory));
    } catch (error) {
      throw new ConfigurationError(
        `input 'inventory' is not an inventory list: ${getErrorMessage(error)}`,
        "pass the inventory output of tofu-provision, or leave it empty"
      );
    }
  }
  if (!deps.artifactStore)
    throw new ConfigurationError(
      "no inventory: this environment has no artifact service and the inventory input is empty",
      "run after tofu-provision in the same workflow run, or pass its inventory output"
    );
  const state = await downloadPhaseState(cluster.cluster, "tofu-provision", deps.artifactStore, {
    expect: trustedStateExpectation(cluster, inputs, deps.env)
  });
  return parseInventory(state.outputs.inventory.map((vm) => ({ pool: "", ...vm })));
}
__name(readInventory, "readInventory");
function trustedStateExpectation(cluster, inputs, env) {
  return {
    clusterUid: cluster.uid,
    ...env.GITHUB_RUN_ID ? { runId: env.GITHUB_RUN_ID } : {},
    stateKey: inputs["state-key"]
  };
}
__name(trustedStateExpectation, "trustedStateExpectation");
async function earlierKnownHosts(cluster, inputs, deps) {
  if (!deps.artifactStore) return "";
  try {
    return (await downloadPhaseState(cluster.cluster, "kubeadm-bootstrap", deps.artifactStore, {
      expect: trustedStateExpectation(cluster, inputs, deps.env)
    })).outputs.knownHosts;
  } catch (error) {
    if (!(error instanceof ConfigurationError) || !error.message.startsWith("no state of phase"))
      throw error;
    return "";
  }
}
__name(earlierKnownHosts, "earlierKnownHosts");
async function pinHostKeys(ws, pinned, nodes, replace, tool, deps, waitSeconds) {
  const scan = /* @__PURE__ */ __name(async (ips) => ips.length === 0 ? "" : (await tool("ssh-keyscan", keyscanArgs(ips), {
    logger: deps.logger,
    okExitCodes: [1]
  })).stdout, "scan");
  let scanned = await scan(nodes.map((n) => n.ip));
  const deadline = Date.now() + waitSeconds * 1e3;
  for (; ; ) {
    const answered = new Set(parseKnownHosts(scanned).map((k) => k.host));
    const silent = nodes.filter((n) => !answered.has(n.ip));
    if (silent.length === 0 || Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 2e3));
    scanned += await scan(silent.map((n) => n.ip));
  }
  const check = checkHostKeys({ pinned, scanned, nodes, replace });
  if (check.firstContact.length > 0)
    deps.logger.info(`first contact: pinned the SSH host keys of ${check.firstContact.join(", ")}`);
  if (check.replaced.length > 0)
    deps.logger.warning(
      `replaced the pinned SSH host keys of ${check.replaced.join(", ")} (replace-host-keys)`
    );
  if (check.silent.length > 0)
    deps.logger.warning(`no SSH host key from ${check.silent.join(", ")} (not reachable yet?)`);
  await writePrivate(ws.knownHostsFile, check.knownHosts);
  return check.knownHosts;
}
__name(pinHostKeys, "pinHostKeys");
async function readTiming(file) {
  try {
    const data = JSON.parse(await readFile3(file, "utf8"));
    return { hosts: data.hosts ?? {}, tasks: data.tasks ?? [] };
  } catch {
    return { hosts: {}, tasks: [] };
  }
}
__name(readTiming, "readTiming");
function nodeActions(plan, desired) {
  const action = /* @__PURE__ */ __name((name) => plan.init === name ? "init" : plan.controlPlaneJoins.includes(name) || plan.workerJoins.includes(name) ? "join" : plan.upgrade?.steps.some((s) => s.name === name) ? "upgrade" : "member", "action");
  return [
    ...desired.map((n) => ({ name: n.name, role: n.role, action: action(n.name) })),
    ...plan.removals.map((r) => ({ name: r.name, role: r.role, action: "remove" }))
  ];
}
__name(nodeActions, "nodeActions");
export {
  run
};
