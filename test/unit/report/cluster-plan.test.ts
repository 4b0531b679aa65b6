import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  loadClusterConfig,
  parseClusterConfig,
  type ClusterPlan,
} from "../../../actions/lib/config/index.js";
import { versions } from "../../../actions/lib/versions.js";
import {
  describePublicKey,
  describeRoles,
  describeTls,
  formatMemory,
  lbRangeFacts,
  loadPerNode,
  poolSummaries,
} from "../../../actions/lib/report/cluster-plan-facts.js";
import {
  planHeadline,
  renderPlanMarkdown,
  renderPlanText,
  topologyMermaid,
} from "../../../actions/lib/report/cluster-plan.js";
import { mermaidLabel } from "../../../actions/lib/report/cluster-topology.js";
import { keyValueLines, textTable } from "../../../actions/lib/report/text-table.js";
import { repoPath } from "../../helpers/repo.js";
import { BASE_CONFIG, edit } from "../config/base-config.js";
import { readMermaid } from "./mermaid-structure.js";

const plan = (text = BASE_CONFIG): ClusterPlan => parseClusterConfig(text, "cluster.yaml").plan;
const withEdits = (...edits: ((t: string) => string)[]) =>
  plan(edits.reduce((text, apply) => apply(text), BASE_CONFIG));

const exampleFiles = readdirSync(repoPath("workflows-examples", "clusters")).map((d) =>
  repoPath("workflows-examples", "clusters", d, "cluster.yaml"),
);
const examples = await Promise.all(
  exampleFiles.map(
    async (file) =>
      [file.split("/").slice(-2)[0] ?? file, (await loadClusterConfig(file)).plan] as const,
  ),
);

/** The Markdown block between ```mermaid and ```. */
function mermaidBlock(markdown: string): string {
  const match = /```mermaid\n([\s\S]*?)\n```/.exec(markdown);
  if (!match?.[1]) throw new Error("no mermaid block");
  return match[1];
}

const SSH_KEY_BLOB = "AAAAC3NzaC1lZDI1NTE5AAAAINakiA0VmLPlefjWD4HrJPFKHJSqpOZsTNvNNqAdq8vw";

describe("facts derived from a plan", () => {
  it.each([
    [512, "512 MiB"],
    [1024, "1 GiB"],
    [1536, "1536 MiB"],
    [4096, "4 GiB"],
    [16384, "16 GiB"],
  ])("formatMemory(%i) = %s", (mib, text) => {
    expect(formatMemory(mib)).toBe(text);
  });

  it.each([
    [{}, "system CA store"],
    [{ fingerprint: "AA:BB" }, "pinned SHA-256 fingerprint AA:BB"],
    [{ caFile: "/etc/pve/pve-root-ca.pem" }, "CA file /etc/pve/pve-root-ca.pem"],
    [{ insecure: true }, "NOT verified (insecure: true)"],
  ])("describeTls(%j) = %s", (tls, text) => {
    expect(describeTls(tls)).toBe(text);
  });

  it.each([
    [
      "one control plane, no workers",
      [edit("count: 3", "count: 1"), edit("    count: 2\n", "    count: 0\n")],
      "1 control plane, no workers",
    ],
    ["three plus two", [], "3 control planes + 2 workers"],
    ["one worker", [edit("    count: 2\n", "    count: 1\n")], "3 control planes + 1 worker"],
  ])("describeRoles: %s", (_label, edits, text) => {
    expect(describeRoles(withEdits(...edits))).toBe(text);
  });

  it("sums the load of every Proxmox node and lists nodes that get no VM", () => {
    const p = withEdits(
      edit("nodes: [pve1, pve2, pve3]", "nodes: [pve1, pve2, pve3, pve4]"),
      edit("  diskGiB: 32\n", "  diskGiB: 32\n  nodes: [pve1, pve2, pve3]\n"),
      edit("    diskGiB: 64\n", "    diskGiB: 64\n    nodes: [pve1]\n"),
    );
    expect(loadPerNode(p)).toEqual([
      {
        node: "pve1",
        names: ["demo-cp-1", "demo-general-1", "demo-general-2"],
        vms: 3,
        cores: 2 + 4 + 4,
        memoryMiB: 4096 + 8192 * 2,
        diskGiB: 32 + 64 * 2,
      },
      { node: "pve2", names: ["demo-cp-2"], vms: 1, cores: 2, memoryMiB: 4096, diskGiB: 32 },
      { node: "pve3", names: ["demo-cp-3"], vms: 1, cores: 2, memoryMiB: 4096, diskGiB: 32 },
      { node: "pve4", names: [], vms: 0, cores: 0, memoryMiB: 0, diskGiB: 0 },
    ]);
  });

  it("summarises each pool with its size, nodes, labels and taints", () => {
    const p = withEdits(
      edit(
        "    diskGiB: 64\n",
        '    diskGiB: 64\n    nodes: [pve3, pve2]\n    labels: {tier: batch}\n    taints: ["batch=true:NoSchedule"]\n',
      ),
    );
    expect(poolSummaries(p)).toEqual([
      {
        pool: "control-plane",
        role: "control-plane",
        count: 3,
        cores: 2,
        memoryMiB: 4096,
        diskGiB: 32,
        nodes: ["pve1", "pve2", "pve3"],
        labels: {},
        taints: [],
      },
      {
        pool: "general",
        role: "worker",
        count: 2,
        cores: 4,
        memoryMiB: 8192,
        diskGiB: 64,
        nodes: ["pve3", "pve2"],
        labels: { tier: "batch" },
        taints: ["batch=true:NoSchedule"],
      },
    ]);
  });

  it.each([
    ["10.0.20.200-10.0.20.220", 21],
    ["10.0.20.200-10.0.20.200", 1],
  ])("the LoadBalancer range %s holds %i addresses", (range, size) => {
    expect(lbRangeFacts(withEdits(edit("10.0.20.200-10.0.20.220", range)).network)?.size).toBe(
      size,
    );
  });

  it.each([
    ["ssh-ed25519 AAAAC3Nz operator@example", "ssh-ed25519 … operator@example"],
    ["ssh-rsa AAAAB3Nz", "ssh-rsa …"],
    ["ecdsa-sha2-nistp256 AAAAE2 a b c", "ecdsa-sha2-nistp256 … a b c"],
  ])("describePublicKey(%s) never shows the key itself", (line, text) => {
    expect(describePublicKey(line)).toBe(text);
  });
});

describe("text tables", () => {
  it("aligns columns and right-aligns numbers", () => {
    expect(
      textTable(
        ["NAME", "VMID"],
        [
          ["a", "7"],
          ["long-name", "1000"],
        ],
        { indent: "  ", alignRight: [1] },
      ),
    ).toBe(["  NAME       VMID", "  a             7", "  long-name  1000"].join("\n"));
  });

  it("pads labels of key/value lines to one width", () => {
    expect(
      keyValueLines([
        ["a", "1"],
        ["long", "2"],
      ]),
    ).toBe("  a     1\n  long  2");
  });
});

describe("renderPlanText", () => {
  it.each(examples)(
    "shows every VM of the %s example with role, node, VMID, IP and size",
    (_name, p) => {
      const text = renderPlanText(p);
      for (const vm of p.vms) {
        const row = new RegExp(
          `^  ${vm.name} +${vm.role} +${vm.pool} +${vm.node} +${vm.vmid} +${vm.ip.replace(/\./g, "\\.")} +${vm.cores} +${formatMemory(vm.memoryMiB)} +${vm.diskGiB} GiB$`,
          "m",
        );
        expect(text).toMatch(row);
      }
    },
  );

  it("shows the VIP, the networks, the LoadBalancer range and the add-ons with versions", () => {
    const text = renderPlanText(plan());
    expect(text).toContain("API VIP             10.0.20.10 (kube-vip) → https://10.0.20.10:6443");
    expect(text).toContain("node network        10.0.20.0/24, gateway 10.0.20.1");
    expect(text).toContain("LoadBalancer range  10.0.20.200 – 10.0.20.220 (21 addresses)");
    expect(text).toContain("pod network         10.244.0.0/16");
    expect(text).toContain("service network     10.96.0.0/12");
    expect(text).toMatch(
      new RegExp(`^  cilium +enabled +1\\.20\\.2 +CNI, kube-proxy replacement$`, "m"),
    );
    expect(text).toMatch(
      new RegExp(
        `^  kube-vip +enabled +${versions.kubeVip.version.replace(/\./g, "\\.")} +control-plane VIP 10\\.0\\.20\\.10$`,
        "m",
      ),
    );
    expect(text).toMatch(/^ {2}velero +disabled +/m);
  });

  it("starts with a headline that adds up the resources", () => {
    // 3 × (2 vCPU, 4 GiB, 32 GiB) + 2 × (4 vCPU, 8 GiB, 64 GiB)
    expect(planHeadline(plan())).toBe(
      "demo: 3 control planes + 2 workers on pve1, pve2, pve3 — 14 vCPU, 28 GiB memory, 224 GiB disk",
    );
    expect(renderPlanText(plan()).split("\n")[0]).toBe(`Cluster plan — ${planHeadline(plan())}`);
  });

  it.each([
    [
      "a VLAN tag",
      edit("bridge: vmbr0", "bridge: vmbr0\n  vlan: 42"),
      "bridge              vmbr0, VLAN 42",
    ],
    ["no VLAN", (t: string) => t, "bridge              vmbr0 (untagged)"],
    [
      "no LoadBalancer range",
      (t: string) =>
        edit(
          "  loadBalancerRange: 10.0.20.200-10.0.20.220\n",
          "",
        )(edit("provider: cilium-lb-ipam", "provider: none")(t)),
      "LoadBalancer range  none",
    ],
    ["DNS defaults to the gateway", (t: string) => t, "DNS                 10.0.20.1"],
    [
      "a search domain",
      edit("  gateway: 10.0.20.1\n", "  gateway: 10.0.20.1\n  searchDomain: lab.example\n"),
      "DNS                 10.0.20.1 (search lab.example)",
    ],
  ])("network facts: %s", (_label, apply, line) => {
    expect(renderPlanText(plan(apply(BASE_CONFIG)))).toContain(`  ${line}\n`);
  });

  it("prints key type and comment of SSH keys, never the key material", () => {
    const text = renderPlanText(plan());
    expect(text).toContain("user ubuntu, 1 SSH key: ssh-ed25519 … operator@example");
    expect(text).not.toContain(SSH_KEY_BLOB);
  });

  it("is deterministic", () => {
    expect(renderPlanText(plan())).toBe(renderPlanText(plan()));
  });
});

describe("renderPlanMarkdown", () => {
  it.each(examples)("the %s example: one table row per VM, pool and Proxmox node", (_name, p) => {
    const markdown = renderPlanMarkdown(p);
    for (const vm of p.vms) {
      expect(markdown).toContain(
        `| ${vm.name} | ${vm.role} | ${vm.pool} | ${vm.node} | ${vm.vmid} | ${vm.ip} | ${vm.cores} | ${formatMemory(vm.memoryMiB)} | ${vm.diskGiB} GiB |`,
      );
    }
    for (const node of p.proxmox.nodes)
      expect(markdown).toMatch(new RegExp(`^\\| ${node} \\| \\d+ \\|`, "m"));
    for (const pool of poolSummaries(p))
      expect(markdown).toMatch(new RegExp(`^\\| ${pool.pool} \\| ${pool.count} \\|`, "m"));
    expect(markdown).not.toContain(SSH_KEY_BLOB);
  });

  it.each([
    [undefined, "# Cluster plan: `demo`", "## Topology"],
    [2, "## Cluster plan: `demo`", "### Topology"],
    [3, "### Cluster plan: `demo`", "#### Topology"],
  ])("heading level %s", (level, title, section) => {
    const markdown = renderPlanMarkdown(plan(), level === undefined ? {} : { headingLevel: level });
    expect(markdown.split("\n")[0]).toBe(title);
    expect(markdown).toContain(`\n${section}\n`);
  });

  it("escapes table cells (a label value with a pipe stays in its cell)", () => {
    const markdown = renderPlanMarkdown(
      withEdits(edit("    diskGiB: 64\n", '    diskGiB: 64\n    labels: {team: "a|b"}\n')),
    );
    expect(markdown).toContain("| team=a\\|b |");
  });
});

describe("topologyMermaid", () => {
  it.each(examples)(
    "the %s example: every VM sits in its node's subgraph, the VIP points at the control planes, the LB range at the workers",
    (_name, p) => {
      const graph = readMermaid(mermaidBlock(renderPlanMarkdown(p)));
      expect([...graph.subgraphs.values()]).toEqual(
        p.proxmox.nodes.map((n) => `Proxmox node ${n}`),
      );
      const subgraphOf = new Map(
        [...graph.subgraphs].map(([id, label]) => [label.replace("Proxmox node ", ""), id]),
      );
      for (const vm of p.vms) {
        const box = graph.boxes.get(`vm${vm.vmid}`);
        expect(box?.label).toBe(
          `${vm.name}<br/>${vm.role === "control-plane" ? "control plane" : `worker · ${vm.pool}`}<br/>${vm.ip} · VMID ${vm.vmid}<br/>${vm.cores} vCPU · ${formatMemory(vm.memoryMiB)} · ${vm.diskGiB} GiB`,
        );
        expect(box?.subgraph).toBe(subgraphOf.get(vm.node));
      }
      const cps = p.vms.filter((v) => v.role === "control-plane").map((v) => `vm${v.vmid}`);
      const workers = p.vms.filter((v) => v.role === "worker").map((v) => `vm${v.vmid}`);
      expect(graph.edges.filter((e) => e.from === "vip").map((e) => e.to)).toEqual(cps);
      expect(
        graph.edges
          .filter((e) => e.from === "lb")
          .map((e) => e.to)
          .sort(),
      ).toEqual((workers.length > 0 ? workers : cps).sort());
      expect(graph.boxes.get("vip")?.label).toBe(`Kubernetes API VIP<br/>${p.network.vip}:6443`);
      expect(graph.boxes.get("lb")?.label).toBe(
        `LoadBalancer IPs<br/>${p.network.lbRange?.start ?? ""} – ${p.network.lbRange?.end ?? ""}`,
      );
      expect(graph.classes.get("controlPlane")).toEqual(expect.arrayContaining(cps));
    },
  );

  it("leaves out the LoadBalancer box when there is no range", () => {
    const p = withEdits(
      edit("  loadBalancerRange: 10.0.20.200-10.0.20.220\n", ""),
      edit("provider: cilium-lb-ipam", "provider: none"),
    );
    const graph = readMermaid(topologyMermaid(p));
    expect(graph.boxes.has("lb")).toBe(false);
    expect(graph.edges.some((e) => e.from === "lb")).toBe(false);
    expect(graph.classes.get("address")).toEqual(["vip"]);
  });

  it("draws a Proxmox node without VMs with a placeholder (an empty subgraph does not render)", () => {
    const graph = readMermaid(
      topologyMermaid(
        withEdits(
          edit("nodes: [pve1, pve2, pve3]", "nodes: [pve1, pve2, pve3, pve4]"),
          edit("count: 3", "count: 1"),
          edit("    count: 2\n", "    count: 0\n"),
        ),
      ),
    );
    expect(graph.subgraphs.get("pve3")).toBe("Proxmox node pve4");
    expect(graph.boxes.get("pve3_empty")).toEqual({ label: "no VMs", subgraph: "pve3" });
  });

  it("folds a pool with many VMs on one node into one box", () => {
    const p = withEdits(
      edit("    count: 2\n", "    count: 6\n"),
      edit("    diskGiB: 64\n", "    diskGiB: 64\n    nodes: [pve2]\n"),
    );
    const graph = readMermaid(topologyMermaid(p, { maxVmsPerBox: 4 }));
    expect(graph.boxes.get("vms1003_1008")).toEqual({
      label: "general × 6<br/>demo-general-1 … demo-general-6<br/>4 vCPU · 8 GiB · 64 GiB each",
      subgraph: "pve1",
    });
    expect(graph.edges.filter((e) => e.from === "lb")).toEqual([
      { from: "lb", to: "vms1003_1008", style: "dotted" },
    ]);
    expect(readMermaid(topologyMermaid(p, { maxVmsPerBox: 6 })).boxes.has("vm1008")).toBe(true);
  });

  it("uses positional ids, so a Proxmox node called like a mermaid keyword cannot break the diagram", () => {
    const p = withEdits(
      edit("nodes: [pve1, pve2, pve3]", "nodes: [end, subgraph, graph]"),
      edit("  node: pve1\n", "  node: end\n"),
    );
    const graph = readMermaid(topologyMermaid(p));
    expect([...graph.subgraphs.keys()]).toEqual(["pve0", "pve1", "pve2"]);
    expect([...graph.subgraphs.values()]).toEqual([
      "Proxmox node end",
      "Proxmox node subgraph",
      "Proxmox node graph",
    ]);
  });

  it.each([
    ['say "hi"', "say #quot;hi#quot;"],
    ["<script>", "#lt;script#gt;"],
    ["#1", "#35;1"],
    ["plain", "plain"],
  ])("mermaidLabel(%j) = %j", (input, output) => {
    expect(mermaidLabel(input)).toBe(output);
  });
});

describe("the mermaid structure reader used above", () => {
  it.each([
    ["an unclosed subgraph", 'flowchart TB\n  subgraph pve0["x"]\n  a["a"]'],
    ["an edge to an undefined box", 'flowchart TB\n  a["a"]\n  a --> b'],
    ["a raw quote in a label", 'flowchart TB\n  a["say "hi""]'],
    ["a reused id", 'flowchart TB\n  a["a"]\n  a["b"]'],
    ["an unknown statement", 'flowchart TB\n  a["a"] --> b["b"]'],
  ])("rejects %s", (_label, source) => {
    expect(() => readMermaid(source)).toThrow();
  });
});
