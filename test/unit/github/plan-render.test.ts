import { describe, expect, it } from "vitest";
import { fitComment, GITHUB_BODY_LIMIT } from "../../../actions/lib/github/fit-comment.js";
import { parseMarker, renderMarker } from "../../../actions/lib/github/marker.js";
import { proxmoxFindings, renderDriftMarkdown } from "../../../actions/lib/drift/classify.js";
import {
  diffConfig,
  describeConfigChange,
} from "../../../actions/github-report/src/config-diff.js";
import {
  cutNote,
  failedBanner,
  outdatedBanner,
  renderPlanComment,
  withoutBanner,
  type PlanCommentData,
} from "../../../actions/github-report/src/plan-render.js";
import { reviewedDigest } from "../../../actions/github-report/src/reviewed-digest.js";
import type { VmChange } from "../../../actions/lib/tofu/plan-summary.js";
import type { ClusterPlan } from "../../../actions/lib/config/index.js";

const SECRET = "s3cr3t-token-value-4f1c";

function vm(i: number, action: VmChange["action"], role: VmChange["role"] = "worker"): VmChange {
  return {
    address: `proxmox_virtual_environment_vm.node["w-${i}"]`,
    name: `w-${i}`,
    role,
    action,
    vmid: 1000 + i,
    node: "pve1",
    changedAttributes: action === "update" ? ["memory", "cpu", "description ```not a fence"] : [],
    replaceBecause: action === "replace" ? ["clone"] : [],
    tainted: false,
  };
}

function data(vms: VmChange[]): PlanCommentData {
  return {
    cluster: "prod",
    environment: "production",
    clusterFile: "clusters/prod/cluster.yaml",
    headSha: "a".repeat(40),
    runUrl: "https://github.com/acme/infra/actions/runs/1",
    artifactName: "pve-kube-prod-plan-comment",
    reviewedDigest: reviewedDigest({ config: { a: 2 }, vms }),
    configChanges: diffConfig("a: 1\nb: [1]\n", "a: 2\nb: [1, 2]\nc: x\n"),
    configIsNew: false,
    template: { wouldBuild: false, vmid: "9000" },
    tofu: {
      cluster: "prod",
      sha256: "f".repeat(64),
      summary: {
        vms,
        others: [],
        counts: {
          create: vms.filter((v) => v.action === "create").length,
          update: vms.filter((v) => v.action === "update").length,
          replace: vms.filter((v) => v.action === "replace").length,
          delete: vms.filter((v) => v.action === "delete").length,
        },
        hasChanges: vms.length > 0,
        drifted: [],
        outputChanges: [],
        errored: false,
      },
    },
  };
}

/** Markdown is balanced: every fence closed, <details> opened as often as closed. */
function balanced(markdown: string): boolean {
  let fence: string | undefined;
  let details = 0;
  for (const line of markdown.split("\n")) {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (m && line.trim() === fence) fence = undefined;
      continue;
    }
    if (m) {
      fence = m[1];
      continue;
    }
    details += (line.match(/<details\b/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
  }
  return fence === undefined && details === 0;
}

describe("plan comment rendering", () => {
  it("puts deletes and replaces first and loud, and says deploy refuses control-plane loss", () => {
    const md = renderPlanComment(
      data([vm(1, "delete", "control-plane"), vm(2, "replace"), vm(3, "update")]),
    );
    expect(md.indexOf("[!CAUTION]")).toBeLessThan(md.indexOf("#### VMs"));
    expect(md).toContain("DELETE `w-1` (control-plane, VMID 1001)");
    expect(md).toContain("deploy refuses this plan unless it runs with `allow-replace: true`");
    expect(md).toContain("`a`: `1` → `2`");
    expect(md).toContain("`b[1]` set to `2`");
    expect(md).toContain("Unchanged (template 9000");
  });

  it("cuts a plan far over the limit at a line boundary, closes open blocks and says what was cut", () => {
    const vms = Array.from({ length: 3000 }, (_, i) => vm(i, i % 7 === 0 ? "delete" : "update"));
    const full = `${renderPlanComment(data(vms))}\n<details><summary>raw</summary>\n\n\`\`\`text\n${"x ".repeat(50).concat("\n").repeat(5000)}\`\`\`\n</details>`;
    expect(full.length).toBeGreaterThan(4 * GITHUB_BODY_LIMIT);
    const d = data(vms);
    const fitted = fitComment(full, (n) => cutNote(d, n), 60000);
    expect(fitted.truncated).toBe(true);
    expect(fitted.body.length).toBeLessThanOrEqual(60000);
    expect(fitted.body).toContain(`${fitted.omittedLines} more lines did not fit`);
    expect(fitted.body).toContain("pve-kube-prod-plan-comment");
    // every kept line is a whole line of the original
    const original = new Set(full.split("\n"));
    const kept = fitted.body.split("\n").slice(0, full.split("\n").length - fitted.omittedLines);
    expect(
      kept.filter(
        (line) =>
          line !== "" &&
          !original.has(line) &&
          !line.startsWith(">") &&
          line !== "</details>" &&
          line !== "```",
      ),
    ).toEqual([]);
    expect(balanced(fitted.body)).toBe(true);

    // cut inside the code block: the fence and the details are closed
    const inBlock = fitComment(full.slice(full.indexOf("<details>")), (n) => `${n} cut`, 20000);
    expect(inBlock.body).toMatch(/```\n<\/details>\n\n\d+ cut$/);
    expect(balanced(inBlock.body)).toBe(true);
  });

  it("keeps the marker parseable even with -- in values and finds nothing in foreign text", () => {
    const marker = { v: 1 as const, kind: "plan" as const, cluster: "a--b", environment: "x" };
    const line = renderMarker(marker);
    expect(line.slice(4, -3)).not.toContain("--");
    expect(parseMarker(`${line}\nbody`)).toEqual(marker);
    expect(parseMarker("<!-- pve-kube not json -->")).toBeUndefined();
    expect(parseMarker("hello")).toBeUndefined();
  });

  it("never carries a value the config diff did not show, and no seeded secret reaches a rendering", () => {
    // secrets are never in cluster.yaml (it names env vars), but the rendering must not invent them either
    const md = renderPlanComment(data([vm(1, "update")]));
    expect(md).not.toContain(SECRET);
    expect(describeConfigChange({ path: "p", kind: "removed", before: 1 })).toBe(
      "`p` removed (was `1`)",
    );
  });
});

describe("drift classification", () => {
  const plan = {
    cluster: "prod",
    vms: [
      {
        name: "prod-cp-1",
        role: "control-plane",
        vmid: 1000,
        node: "pve1",
        cores: 2,
        memoryMiB: 4096,
        diskGiB: 32,
      },
      {
        name: "prod-w-1",
        role: "worker",
        vmid: 1001,
        node: "pve2",
        cores: 4,
        memoryMiB: 8192,
        diskGiB: 50,
      },
    ],
  } as unknown as ClusterPlan;
  const tags = ["pve-kube", "cluster-prod"];

  it("reports memory, a stopped VM and a foreign VM with our tag; CSI volumes and HA moves are expected", () => {
    const findings = proxmoxFindings(plan, [
      {
        vmid: 1000,
        node: "pve3",
        status: "running",
        template: false,
        tags,
        config: {
          memory: 4096,
          cores: 2,
          scsi0: "local-lvm:vm-1000-disk-0,size=32G",
          scsi1: "local-lvm:vm-1000-pvc-0b6f3c2e-4d1a,size=5G",
          ide2: "local-lvm:vm-1000-cloudinit,media=cdrom",
        },
      },
      {
        vmid: 1001,
        node: "pve2",
        status: "stopped",
        template: false,
        tags,
        config: { memory: 16384, cores: 4, scsi0: "local-lvm:vm-1001-disk-0,size=50G" },
      },
      {
        vmid: 1500,
        node: "pve1",
        name: "stray",
        status: "running",
        template: false,
        tags: ["cluster-prod"],
      },
    ]);
    expect(findings.filter((f) => f.drift).map((f) => `${f.vm}:${f.kind}`)).toEqual([
      "prod-w-1:not-running",
      "prod-w-1:memory",
      "stray:foreign",
    ]);
    expect(findings.filter((f) => !f.drift).map((f) => f.kind)).toEqual([
      "ha-migration",
      "csi-volume",
    ]);
    const md = renderDriftMarkdown({
      cluster: "prod",
      status: "detected",
      checkedAt: "now",
      findings,
      notes: [],
    });
    expect(md).toContain("16384 MiB, declared 8192 MiB");
    expect(md).toContain("Expected changes (not drift)");
  });

  it("reviewed digest: same for the same file and changes in any order, different for another value or another change", () => {
    const vms = [vm(1, "update"), vm(2, "replace")];
    const config = {
      workerPools: [{ name: "general", memoryMiB: 12288 }],
      metadata: { name: "p" },
    };
    const digest = reviewedDigest({ config, vms });
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    // key order of the parsed YAML and the order of the plan's changes do not matter
    expect(
      reviewedDigest({
        config: { metadata: { name: "p" }, workerPools: [{ memoryMiB: 12288, name: "general" }] },
        vms: [...vms].reverse(),
      }),
    ).toBe(digest);
    // a value edited after the review does
    expect(
      reviewedDigest({
        config: { ...config, workerPools: [{ name: "general", memoryMiB: 16384 }] },
        vms,
      }),
    ).not.toBe(digest);
    // the same file meaning other changes (the state moved on) does
    expect(reviewedDigest({ config, vms: [vm(1, "update"), vm(2, "delete")] })).not.toBe(digest);
    expect(renderPlanComment(data(vms))).toContain(
      `reviewed digest \`${reviewedDigest({ config: { a: 2 }, vms })}\``,
    );
  });

  it("outdated and failed banners replace each other and never pile up", () => {
    const body = renderPlanComment(data([vm(1, "update")]));
    const outdated = `${outdatedBanner("a".repeat(40), "b".repeat(40))}\n${body}`;
    expect(withoutBanner(outdated)).toBe(body);
    const failed = `${failedBanner("a".repeat(40), "c".repeat(40), "https://x/run/2")}\n${withoutBanner(outdated)}`;
    expect(failed).toContain("**Outdated, and the new plan failed**");
    expect(failed).toContain("planning ccccccc failed in [this run](https://x/run/2)");
    expect(failed).not.toContain("is being planned");
    expect(withoutBanner(failed)).toBe(body);
    expect(withoutBanner(body)).toBe(body);
    expect(failedBanner(undefined, "d".repeat(40))).toContain("The plan for ddddddd failed");
  });
});

describe("plan comment: add-ons", () => {
  it("shows install-cilium's and deploy-services' chart, version and values-hash changes, changes in bold", () => {
    const md = renderPlanComment({
      ...data([]),
      cilium: {
        release: "cilium",
        action: "none",
        chart: "cilium",
        version: "1.20.2",
        valuesHash: "aaaaaaaaaaaaaaaa",
        deployedRevision: 3,
        reasons: [],
      },
      services: {
        releases: [
          {
            id: "metallb",
            namespace: "metallb-system",
            release: "metallb",
            action: "upgrade",
            chart: "metallb",
            version: "0.16.1",
            deployedVersion: "0.15.2",
            valuesHash: "bbbbbbbbbbbbbbbb",
            deployedValuesHash: "bbbbbbbbbbbbbbbb",
            deployedRevision: 2,
            reasons: ["version 0.15.2 → 0.16.1"],
          },
          {
            id: "velero",
            namespace: "velero",
            release: "velero",
            action: "install",
            chart: "velero",
            version: "12.1.0",
            valuesHash: "cccccccccccccccc",
            reasons: ["not installed"],
          },
        ],
        objects: [
          { id: "lb-pool", names: ["IPAddressPool metallb-system/pve-kube"], action: "none" },
        ],
        nodeLabels: [{ node: "demo-w-1", labels: { "topology.kubernetes.io/zone": "pve2" } }],
      },
    });
    expect(md).not.toContain("No add-on phase");
    expect(md).toContain(
      [
        "#### Add-ons",
        "",
        "- cilium: no change (cilium 1.20.2, revision 3, values aaaaaaaaaaaaaaaa)",
        "- **metallb: upgrade revision 2 (version 0.15.2 → 0.16.1)**",
        "- **velero: install velero 12.1.0 (values cccccccccccccccc)**",
        "- lb-pool: no change (IPAddressPool metallb-system/pve-kube)",
        "- **node demo-w-1: label topology.kubernetes.io/zone=pve2**",
      ].join("\n"),
    );
  });

  it("says when the add-on plans did not run, and when the cluster could not be asked", () => {
    expect(renderPlanComment(data([]))).toContain(
      "#### Add-ons\n\n_install-cilium and deploy-services did not run in plan mode in this job._",
    );
    const md = renderPlanComment({
      ...data([]),
      cilium: {
        release: "cilium",
        action: "unknown",
        chart: "cilium",
        version: "1.20.2",
        valuesHash: "aaaaaaaaaaaaaaaa",
        reasons: ["the cluster is not reachable yet"],
      },
    });
    expect(md).toContain("- _deploy-services did not run in plan mode._");
    expect(md).toContain("decided at deploy time from the same chart, version and values hash");
  });
});
