import { describe, expect, it } from "vitest";
import { gatewaysOf, noCloudSeed } from "../../../sim/guests/cloud-init.js";

const config = {
  name: "demo-cp-1",
  net0: "virtio=BC:24:11:47:9C:B8,bridge=vmbr0",
  ipconfig0: "ip=10.0.20.11/24,gw=10.0.20.1",
  nameserver: "10.0.20.1 10.0.20.2",
  searchdomain: "lab.example",
  ciuser: "ubuntu",
  // as bpg sends it: encodeURIComponent of the keys joined by newlines
  sshkeys: encodeURIComponent(
    "ssh-ed25519 AAAAC3Nza one@example\nssh-ed25519 AAAAC3Nzb two@example",
  ),
};

describe("pve-sim guests: the NoCloud seed of a VM's config", () => {
  it("writes hostname, user and decoded keys into user-data", () => {
    const seed = noCloudSeed(config, 101);
    expect(seed["user-data"]).toBe(
      [
        "#cloud-config",
        "hostname: demo-cp-1",
        "manage_etc_hosts: true",
        "fqdn: demo-cp-1.lab.example",
        "user: 'ubuntu'",
        "ssh_authorized_keys:",
        "  - ssh-ed25519 AAAAC3Nza one@example",
        "  - ssh-ed25519 AAAAC3Nzb two@example",
        "chpasswd:",
        "  expire: False",
        "users:",
        "  - default",
        "package_upgrade: true",
        "",
      ].join("\n"),
    );
  });

  it("writes a version 1 network config matching the NIC by its MAC", () => {
    expect(noCloudSeed(config, 101)["network-config"]).toBe(
      [
        "version: 1",
        "config:",
        "    - type: physical",
        "      name: eth0",
        "      mac_address: 'bc:24:11:47:9c:b8'",
        "      subnets:",
        "      - type: static",
        "        address: '10.0.20.11'",
        "        netmask: '255.255.255.0'",
        "        gateway: '10.0.20.1'",
        "    - type: nameserver",
        "      address:",
        "      - '10.0.20.1'",
        "      - '10.0.20.2'",
        "      search:",
        "      - 'lab.example'",
        "",
      ].join("\n"),
    );
  });

  it("gives a new instance-id exactly when the generated data changes", () => {
    const first = noCloudSeed(config, 101)["meta-data"];
    expect(first).toMatch(/^instance-id: [0-9a-f]{40}\n$/);
    expect(noCloudSeed({ ...config, memory: "4096" }, 101)["meta-data"]).toBe(first);
    expect(
      noCloudSeed({ ...config, ipconfig0: "ip=10.0.20.12/24,gw=10.0.20.1" }, 101)["meta-data"],
    ).not.toBe(first);
    expect(noCloudSeed({ ...config, ciupgrade: "0" }, 101)["user-data"]).not.toContain(
      "package_upgrade",
    );
  });

  it("names each gateway with the bridge of its NIC", () => {
    expect(gatewaysOf(config)).toEqual([["vmbr0", "10.0.20.1/24"]]);
  });
});
