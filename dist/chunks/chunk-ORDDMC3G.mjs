import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  table
} from "./chunk-47EJWNSM.mjs";
import {
  parseIp
} from "./chunk-OXUWTRXE.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/report/cluster-plan-facts.ts
function formatMemory(mib) {
  return mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;
}
__name(formatMemory, "formatMemory");
function sumResources(vms) {
  return vms.reduce(
    (sum, vm) => ({
      vms: sum.vms + 1,
      cores: sum.cores + vm.cores,
      memoryMiB: sum.memoryMiB + vm.memoryMiB,
      diskGiB: sum.diskGiB + vm.diskGiB
    }),
    {
      vms: 0,
      cores: 0,
      memoryMiB: 0,
      diskGiB: 0
    }
  );
}
__name(sumResources, "sumResources");
function loadPerNode(plan) {
  const nodes = [...plan.proxmox.nodes];
  for (const vm of plan.vms) if (!nodes.includes(vm.node)) nodes.push(vm.node);
  return nodes.map((node) => {
    const vms = plan.vms.filter((vm) => vm.node === node);
    return { node, names: vms.map((vm) => vm.name), ...sumResources(vms) };
  });
}
__name(loadPerNode, "loadPerNode");
function poolSummaries(plan) {
  const pools = /* @__PURE__ */ new Map();
  for (const vm of plan.vms) {
    const pool = pools.get(vm.pool);
    if (pool) {
      pool.count++;
      if (!pool.nodes.includes(vm.node)) pool.nodes.push(vm.node);
      continue;
    }
    pools.set(vm.pool, {
      pool: vm.pool,
      role: vm.role,
      count: 1,
      cores: vm.cores,
      memoryMiB: vm.memoryMiB,
      diskGiB: vm.diskGiB,
      nodes: [vm.node],
      labels: vm.labels,
      taints: vm.taints
    });
  }
  return [...pools.values()];
}
__name(poolSummaries, "poolSummaries");
function roleCounts(plan) {
  const controlPlanes = plan.vms.filter((vm) => vm.role === "control-plane").length;
  return { controlPlanes, workers: plan.vms.length - controlPlanes };
}
__name(roleCounts, "roleCounts");
function describeRoles(plan) {
  const { controlPlanes, workers } = roleCounts(plan);
  const cp = `${controlPlanes} control plane${controlPlanes === 1 ? "" : "s"}`;
  return workers === 0 ? `${cp}, no workers` : `${cp} + ${workers} worker${workers === 1 ? "" : "s"}`;
}
__name(describeRoles, "describeRoles");
function describeResources(total) {
  return `${total.cores} vCPU, ${formatMemory(total.memoryMiB)} memory, ${total.diskGiB} GiB disk`;
}
__name(describeResources, "describeResources");
function describeTls(tls) {
  if (tls.insecure) return "NOT verified (insecure: true)";
  if (tls.fingerprint) return `pinned SHA-256 fingerprint ${tls.fingerprint}`;
  if (tls.caFile) return `CA file ${tls.caFile}`;
  return "system CA store";
}
__name(describeTls, "describeTls");
function describeBridge(network) {
  return network.vlan === void 0 ? `${network.bridge} (untagged)` : `${network.bridge}, VLAN ${network.vlan}`;
}
__name(describeBridge, "describeBridge");
function lbRangeFacts(network) {
  if (!network.lbRange) return void 0;
  const start = parseIp(network.lbRange.start);
  const end = parseIp(network.lbRange.end);
  const size = start !== void 0 && end !== void 0 && end >= start ? end - start + 1 : 0;
  return { start: network.lbRange.start, end: network.lbRange.end, size };
}
__name(lbRangeFacts, "lbRangeFacts");
function apiServerUrl(plan) {
  return `https://${plan.network.vip}:6443`;
}
__name(apiServerUrl, "apiServerUrl");
function apiServerSans(plan) {
  return [.../* @__PURE__ */ new Set([plan.network.vip, ...plan.kubernetes.extraSans])];
}
__name(apiServerSans, "apiServerSans");
function shortDigest(sha256) {
  return sha256.length > 12 ? `${sha256.slice(0, 12)}\u2026` : sha256;
}
__name(shortDigest, "shortDigest");
function describePublicKey(line) {
  const [type = "", , ...comment] = line.trim().split(/\s+/);
  return comment.length > 0 ? `${type} \u2026 ${comment.join(" ")}` : `${type} \u2026`;
}
__name(describePublicKey, "describePublicKey");
function formatLabels(labels) {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(", ");
}
__name(formatLabels, "formatLabels");

// actions/lib/report/cluster-topology.ts
function topologyMermaid(plan, options = {}) {
  const maxVmsPerBox = options.maxVmsPerBox ?? 4;
  const lines = ["flowchart TB"];
  lines.push(
    `  vip(["${mermaidLabel(`Kubernetes API VIP`)}<br/>${mermaidLabel(`${plan.network.vip}:6443`)}"])`
  );
  const lb = lbRangeFacts(plan.network);
  if (lb)
    lines.push(
      `  lb{{"${mermaidLabel("LoadBalancer IPs")}<br/>${mermaidLabel(`${lb.start} \u2013 ${lb.end}`)}"}}`
    );
  const nodes = [...plan.proxmox.nodes];
  for (const vm of plan.vms) if (!nodes.includes(vm.node)) nodes.push(vm.node);
  const boxes = [];
  nodes.forEach((node, index) => {
    lines.push(`  subgraph pve${index}["${mermaidLabel(`Proxmox node ${node}`)}"]`);
    lines.push("    direction TB");
    const here = boxesOnNode(
      plan.vms.filter((vm) => vm.node === node),
      maxVmsPerBox
    );
    if (here.length === 0) lines.push(`    pve${index}_empty["${mermaidLabel("no VMs")}"]`);
    for (const box of here) lines.push(`    ${box.id}["${box.label.join("<br/>")}"]`);
    lines.push("  end");
    boxes.push(...here);
  });
  const controlPlanes = boxes.filter((b) => b.role === "control-plane");
  const workers = boxes.filter((b) => b.role === "worker");
  for (const box of controlPlanes) lines.push(`  vip --> ${box.id}`);
  if (lb)
    for (const box of workers.length > 0 ? workers : controlPlanes)
      lines.push(`  lb -.-> ${box.id}`);
  lines.push("  classDef controlPlane fill:#dbeafe,stroke:#1d4ed8,color:#0f172a");
  lines.push("  classDef worker fill:#dcfce7,stroke:#15803d,color:#0f172a");
  lines.push("  classDef address fill:#fef9c3,stroke:#a16207,color:#0f172a");
  if (controlPlanes.length > 0)
    lines.push(`  class ${controlPlanes.map((b) => b.id).join(",")} controlPlane`);
  if (workers.length > 0) lines.push(`  class ${workers.map((b) => b.id).join(",")} worker`);
  lines.push(`  class ${lb ? "vip,lb" : "vip"} address`);
  return lines.join("\n");
}
__name(topologyMermaid, "topologyMermaid");
function boxesOnNode(vms, maxVmsPerBox) {
  const byPool = /* @__PURE__ */ new Map();
  for (const vm of vms) byPool.set(vm.pool, [...byPool.get(vm.pool) ?? [], vm]);
  return [...byPool.values()].flatMap((group) => {
    const first = group[0];
    const last = group[group.length - 1];
    if (!first || !last) return [];
    if (group.length <= maxVmsPerBox) return group.map(vmBox);
    const size = `${first.cores} vCPU \xB7 ${formatMemory(first.memoryMiB)} \xB7 ${first.diskGiB} GiB each`;
    return [
      {
        id: `vms${first.vmid}_${last.vmid}`,
        role: first.role,
        label: [
          mermaidLabel(`${first.pool} \xD7 ${group.length}`),
          mermaidLabel(`${first.name} \u2026 ${last.name}`),
          mermaidLabel(size)
        ]
      }
    ];
  });
}
__name(boxesOnNode, "boxesOnNode");
function vmBox(vm) {
  return {
    id: `vm${vm.vmid}`,
    role: vm.role,
    label: [
      mermaidLabel(vm.name),
      mermaidLabel(`${vm.role === "control-plane" ? "control plane" : `worker \xB7 ${vm.pool}`}`),
      mermaidLabel(`${vm.ip} \xB7 VMID ${vm.vmid}`),
      mermaidLabel(`${vm.cores} vCPU \xB7 ${formatMemory(vm.memoryMiB)} \xB7 ${vm.diskGiB} GiB`)
    ]
  };
}
__name(vmBox, "vmBox");
function mermaidLabel(value) {
  return value.replace(/#/g, "#35;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}
__name(mermaidLabel, "mermaidLabel");

// actions/lib/report/cluster-plan-sections.ts
function proxmoxFacts(plan) {
  const p = plan.proxmox;
  return [
    ["endpoint", p.endpoint],
    ["nodes", p.nodes.join(", ")],
    ["resource pool", p.pool ?? "none"],
    ["storage", `disks on ${p.diskStorage}, images on ${p.imageStorage}`],
    ["TLS trust", describeTls(p.tls)],
    ["cluster uid", plan.uid]
  ];
}
__name(proxmoxFacts, "proxmoxFacts");
function templateFacts(plan) {
  const t = plan.template;
  return [
    ["template", `${t.name} \u2014 VMID ${t.vmid} on ${t.node}, disk on ${t.storage}`],
    [
      "image",
      t.image.url ? `${t.image.fileName} (sha256 ${shortDigest(t.image.sha256)})` : "none pinned"
    ],
    ["image source", t.image.url || "none"],
    [
      "staging",
      t.source === "upload" ? "customised on the runner, then uploaded" : "Proxmox downloads the base image (download-url)"
    ],
    ["hardware", `machine ${t.machine}, firmware ${t.bios}`],
    [
      "cloud-init login",
      `user ${plan.ssh.user}, ${plan.ssh.publicKeys.length} SSH key${plan.ssh.publicKeys.length === 1 ? "" : "s"}: ${plan.ssh.publicKeys.map(describePublicKey).join("; ")}`
    ]
  ];
}
__name(templateFacts, "templateFacts");
function networkFacts(plan) {
  const n = plan.network;
  const lb = lbRangeFacts(n);
  return [
    ["bridge", describeBridge(n)],
    ["node network", `${n.cidr}, gateway ${n.gateway}`],
    ["DNS", `${n.dns.join(", ")}${n.searchDomain ? ` (search ${n.searchDomain})` : ""}`],
    ["API VIP", `${n.vip} (kube-vip) \u2192 ${apiServerUrl(plan)}`],
    [
      "LoadBalancer range",
      lb ? `${lb.start} \u2013 ${lb.end} (${lb.size} address${lb.size === 1 ? "" : "es"})` : "none"
    ],
    ["pod network", plan.kubernetes.podCidr],
    ["service network", plan.kubernetes.serviceCidr]
  ];
}
__name(networkFacts, "networkFacts");
function kubernetesFacts(plan) {
  const k = plan.kubernetes;
  const c = plan.cilium;
  return [
    ["Kubernetes", `${k.version} (kubeadm)`],
    ["cluster domain", k.clusterDomain],
    [
      "API certificate SANs",
      `${apiServerSans(plan).join(", ")} and every control-plane name and address`
    ],
    [
      "CNI",
      `Cilium ${c.version}${c.kubeProxyReplacement ? ", kube-proxy replacement" : ", with kube-proxy"}, Hubble ${c.hubble ? "on" : "off"}`
    ]
  ];
}
__name(kubernetesFacts, "kubernetesFacts");
function vmTable(plan) {
  return {
    headers: ["name", "role", "pool", "node", "VMID", "IP", "vCPU", "memory", "disk"],
    rows: plan.vms.map((vm) => [
      vm.name,
      vm.role,
      vm.pool,
      vm.node,
      String(vm.vmid),
      vm.ip,
      String(vm.cores),
      formatMemory(vm.memoryMiB),
      `${vm.diskGiB} GiB`
    ]),
    numeric: [4, 6, 7, 8]
  };
}
__name(vmTable, "vmTable");
function poolTable(plan) {
  return {
    headers: ["pool", "VMs", "each", "Proxmox nodes", "labels", "taints"],
    rows: poolSummaries(plan).map((p) => [
      p.pool,
      String(p.count),
      `${p.cores} vCPU, ${formatMemory(p.memoryMiB)}, ${p.diskGiB} GiB`,
      p.nodes.join(", "),
      formatLabels(p.labels) || "\u2014",
      p.taints.join(", ") || "\u2014"
    ]),
    numeric: [1]
  };
}
__name(poolTable, "poolTable");
function nodeTable(plan) {
  return {
    headers: ["Proxmox node", "VMs", "vCPU", "memory", "disk", "names"],
    rows: loadPerNode(plan).map((n) => [
      n.node,
      String(n.vms),
      String(n.cores),
      formatMemory(n.memoryMiB),
      `${n.diskGiB} GiB`,
      n.names.join(", ") || "\u2014"
    ]),
    numeric: [1, 2, 3, 4]
  };
}
__name(nodeTable, "nodeTable");
function addonTable(plan) {
  return {
    headers: ["add-on", "state", "version", "detail"],
    rows: plan.addons.map((a) => [
      a.name,
      a.enabled ? "enabled" : "disabled",
      a.version ?? (a.enabled ? "not pinned" : "\u2014"),
      a.detail ?? ""
    ]),
    numeric: []
  };
}
__name(addonTable, "addonTable");

// actions/lib/report/text-table.ts
function textTable(headers, rows, options = {}) {
  const indent = options.indent ?? "";
  const right = new Set(options.alignRight ?? []);
  const widths = headers.map(
    (header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length))
  );
  const line = /* @__PURE__ */ __name((cells) => indent + widths.map((width, i) => {
    const value = cells[i] ?? "";
    return right.has(i) ? value.padStart(width) : value.padEnd(width);
  }).join("  ").trimEnd(), "line");
  return [line(headers), ...rows.map(line)].join("\n");
}
__name(textTable, "textTable");
function keyValueLines(entries, indent = "  ") {
  const width = Math.max(0, ...entries.map(([key]) => key.length));
  return entries.map(([key, value]) => `${indent}${key.padEnd(width)}  ${value}`.trimEnd()).join("\n");
}
__name(keyValueLines, "keyValueLines");

// actions/lib/report/cluster-plan.ts
function planHeadline(plan) {
  return `${plan.cluster}: ${describeRoles(plan)} on ${plan.proxmox.nodes.join(", ")} \u2014 ${describeResources(sumResources(plan.vms))}`;
}
__name(planHeadline, "planHeadline");
function renderPlanText(plan) {
  const facts = /* @__PURE__ */ __name((title, entries) => `${title}
${keyValueLines(entries)}`, "facts");
  const rows = /* @__PURE__ */ __name((title, t) => `${title}
${textTable(
    t.headers.map((h) => h.toUpperCase()),
    t.rows,
    { indent: "  ", alignRight: t.numeric }
  )}`, "rows");
  return [
    `Cluster plan \u2014 ${planHeadline(plan)}`,
    rows("Virtual machines", vmTable(plan)),
    rows("Pools", poolTable(plan)),
    rows("Per Proxmox node", nodeTable(plan)),
    facts("Network", networkFacts(plan)),
    facts("Kubernetes", kubernetesFacts(plan)),
    rows("Add-ons", addonTable(plan)),
    facts("Proxmox", proxmoxFacts(plan)),
    facts("Template", templateFacts(plan))
  ].join("\n\n").concat("\n");
}
__name(renderPlanText, "renderPlanText");
function renderPlanMarkdown(plan, options = {}) {
  const level = Math.min(Math.max(options.headingLevel ?? 1, 1), 5);
  const title = "#".repeat(level);
  const section = "#".repeat(level + 1);
  const facts = /* @__PURE__ */ __name((entries) => table(["setting", "value"], entries), "facts");
  const rows = /* @__PURE__ */ __name((t) => table(t.headers, t.rows), "rows");
  return [
    `${title} Cluster plan: \`${plan.cluster}\``,
    `${describeRoles(plan)} on Proxmox nodes ${plan.proxmox.nodes.map((n) => `\`${n}\``).join(", ")} \u2014 ${describeResources(sumResources(plan.vms))}. Kubernetes API at \`${plan.network.vip}:6443\`.`,
    `${section} Topology`,
    `\`\`\`mermaid
${topologyMermaid(plan, options)}
\`\`\``,
    `${section} Virtual machines`,
    rows(vmTable(plan)),
    `${section} Pools`,
    rows(poolTable(plan)),
    `${section} Per Proxmox node`,
    rows(nodeTable(plan)),
    `${section} Network`,
    facts(networkFacts(plan)),
    `${section} Kubernetes`,
    facts(kubernetesFacts(plan)),
    `${section} Add-ons`,
    rows(addonTable(plan)),
    `${section} Proxmox and template`,
    facts([...proxmoxFacts(plan), ...templateFacts(plan)])
  ].join("\n\n").concat("\n");
}
__name(renderPlanMarkdown, "renderPlanMarkdown");

export {
  topologyMermaid,
  renderPlanText,
  renderPlanMarkdown
};
