import { describe, expect, it } from "vitest";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { importFileName } from "../../../actions/lib/config/plan.js";
import { BASE_CONFIG, edit } from "./base-config.js";

const plan = (text = BASE_CONFIG) => parseClusterConfig(text, "cluster.yaml").plan;

describe("planCluster", () => {
  it("names, places and numbers every VM", () => {
    expect(plan().vms.map((v) => [v.name, v.role, v.node, v.vmid, v.ip])).toEqual([
      ["demo-cp-1", "control-plane", "pve1", 1000, "10.0.20.11"],
      ["demo-cp-2", "control-plane", "pve2", 1001, "10.0.20.12"],
      ["demo-cp-3", "control-plane", "pve3", 1002, "10.0.20.13"],
      ["demo-general-1", "worker", "pve1", 1003, "10.0.20.14"],
      ["demo-general-2", "worker", "pve2", 1004, "10.0.20.15"],
    ]);
  });

  it("tags every VM with ownership and role", () => {
    expect(plan().vms[0]?.tags).toEqual(["pve-kube", "cluster-demo", "role-control-plane"]);
    expect(plan().vms[4]?.tags).toEqual(["pve-kube", "cluster-demo", "role-worker"]);
  });

  it.each([
    [
      "skips the VIP, gateway and DNS servers",
      edit("start: 10.0.20.11", "start: 10.0.20.9"),
      ["10.0.20.9", "10.0.20.11", "10.0.20.12"],
    ],
    [
      "honours per-VM overrides",
      edit(
        "    start: 10.0.20.11\n",
        "    start: 10.0.20.11\n    overrides:\n      demo-cp-2: 10.0.20.99\n",
      ),
      ["10.0.20.11", "10.0.20.99", "10.0.20.12"],
    ],
  ])("%s", (_label, apply, firstThree) => {
    expect(
      plan(apply(BASE_CONFIG))
        .vms.slice(0, 3)
        .map((v) => v.ip),
    ).toEqual(firstThree);
  });

  it("spreads control planes over their own node list", () => {
    const vms = plan(
      edit("  diskGiB: 32\n", "  diskGiB: 32\n  nodes: [pve2, pve3]\n")(BASE_CONFIG),
    ).vms;
    expect(vms.slice(0, 3).map((v) => v.node)).toEqual(["pve2", "pve3", "pve2"]);
  });

  it("derives a stable uid from name and endpoint", () => {
    expect(plan().uid).toMatch(/^[a-f0-9]{12}$/);
    expect(plan().uid).toBe(plan().uid);
    expect(plan(edit("name: demo", "name: other")(BASE_CONFIG)).uid).not.toBe(plan().uid);
  });

  it("resolves template defaults and the import file name", () => {
    expect(plan().template).toMatchObject({
      vmid: 9000,
      node: "pve1",
      storage: "local-lvm",
      name: "demo-template",
      source: "upload",
    });
    expect(plan().template.image.fileName).toBe("ubuntu-24.04-server-cloudimg-amd64.qcow2");
  });

  it.each([
    ["https://x/y/noble.img", "noble.qcow2"],
    ["https://x/y/disk.raw", "disk.raw"],
    ["https://x/y/a%20b.qcow2", "a_b.qcow2"],
  ])("importFileName(%s) = %s", (url, name) => {
    expect(importFileName(url)).toBe(name);
  });

  it("lists the add-ons with their state", () => {
    const addons = Object.fromEntries(plan().addons.map((a) => [a.name, a.enabled]));
    expect(addons).toMatchObject({
      cilium: true,
      "kube-vip": true,
      "cilium-lb-ipam": true,
      "proxmox-csi": false,
      velero: false,
    });
  });
});
