import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { connectionForCluster, resolveConnection } from "../../../actions/lib/proxmox/index.js";
import { repoPath } from "../../helpers/repo.js";

const FILE = repoPath("workflows-examples/clusters/ha/cluster.yaml");
const loaded = parseClusterConfig(readFileSync(FILE, "utf8"), FILE);
const PIN = "AB:".repeat(31) + "AB";
const noMask = () => {};

describe("connectionForCluster: inputs, then environment, then cluster.yaml", () => {
  it("uses cluster.yaml's endpoint and the system CAs when nothing else is given", () => {
    const resolved = resolveConnection(
      connectionForCluster(loaded, {}, {}),
      { PROXMOX_TOKEN_ID: "a@pve!t", PROXMOX_TOKEN_SECRET: "0b8a5c2e-1111-4222-8333-444455556666" },
      noMask,
    );
    expect(resolved.url).toBe("https://127.0.0.1:8006");
    expect(resolved.tls).toEqual({});
  });

  it("pins the fingerprint input over PROXMOX_TLS_FINGERPRINT and cluster.yaml", () => {
    const env = {
      PROXMOX_TOKEN_ID: "a@pve!t",
      PROXMOX_TOKEN_SECRET: "0b8a5c2e-1111-4222-8333-444455556666",
      PROXMOX_TLS_FINGERPRINT: "CD:".repeat(31) + "CD",
    };
    const resolved = resolveConnection(
      connectionForCluster(loaded, { fingerprint: PIN, url: "https://127.0.0.2:8006" }, env),
      env,
      noMask,
    );
    expect(resolved.url).toBe("https://127.0.0.2:8006");
    expect(resolved.tls).toEqual({ fingerprint: PIN });
  });

  it("falls back to PROXMOX_TLS_FINGERPRINT when the input is empty", () => {
    const env = {
      PROXMOX_TOKEN_ID: "a@pve!t",
      PROXMOX_TOKEN_SECRET: "0b8a5c2e-1111-4222-8333-444455556666",
      PROXMOX_TLS_FINGERPRINT: PIN,
    };
    const resolved = resolveConnection(
      connectionForCluster(loaded, { fingerprint: "" }, env),
      env,
      noMask,
    );
    expect(resolved.tls).toEqual({ fingerprint: PIN });
  });
});
