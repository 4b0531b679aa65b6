import { readFileSync } from "node:fs";
import { parse as parseHcl } from "@cdktf/hcl2json";
import { describe, expect, it } from "vitest";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { renderTofuVars } from "../../../actions/lib/tofu/var-file.js";
import { repoPath } from "../../helpers/repo.js";

const example = repoPath("workflows-examples", "clusters", "multi-node", "cluster.yaml");
const { plan } = parseClusterConfig(readFileSync(example, "utf8"), example);

describe("the OpenTofu var file", () => {
  it("carries exactly the variables terraform/variables.tf declares (defaults may be left out)", async () => {
    const hcl = (await parseHcl(
      "variables.tf",
      readFileSync(repoPath("terraform", "variables.tf"), "utf8"),
    )) as { variable: Record<string, { default?: unknown }[]> };
    const declared = Object.keys(hcl.variable);
    const withDefault = declared.filter(
      (name) => hcl.variable[name]?.[0] && "default" in (hcl.variable[name]?.[0] ?? {}),
    );
    const rendered = Object.keys(renderTofuVars(plan));
    expect(rendered.filter((k) => !declared.includes(k))).toEqual([]);
    expect(declared.filter((k) => !rendered.includes(k) && !withDefault.includes(k))).toEqual([]);
  });

  it("passes the plan through without re-deriving it", () => {
    const vars = renderTofuVars(plan, { templateVmid: 9101, endpoint: "https://127.0.0.1:8006" });
    expect(vars).toMatchObject({
      cluster: "prod",
      template_vmid: 9101,
      proxmox_endpoint: "https://127.0.0.1:8006/",
      disk_storage: "ceph-vm",
      pool: "k8s-prod",
      network: { bridge: "vmbr1", vlan: 30, prefix: 23 },
    });
    expect(vars.vms).toHaveLength(plan.vms.length);
    // what the action renders: the provider takes its endpoint (the relay) from PROXMOX_VE_ENDPOINT
    expect(renderTofuVars(plan, { endpoint: null, insecure: false })).toMatchObject({
      proxmox_endpoint: null,
      proxmox_insecure: false,
    });
    expect(renderTofuVars(plan).proxmox_endpoint).toBe(
      `${plan.proxmox.endpoint.replace(/\/$/, "")}/`,
    );
    expect(vars.vms[0]).toEqual({
      name: "prod-cp-1",
      role: "control-plane",
      pool: "control-plane",
      node: "pve1",
      vmid: 3000,
      ip: "10.30.0.11",
      cores: 4,
      memory_mib: 8192,
      disk_gib: 64,
      tags: ["pve-kube", "cluster-prod", "role-control-plane"],
    });
  });
});
