import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../actions/lib/logger.js";
import { presentedCertificate, providerTrust } from "../../../actions/lib/tofu/provider-trust.js";
import { prepareWorkspace } from "../../../actions/lib/tofu/workspace.js";
import { renderTofuVars } from "../../../actions/lib/tofu/var-file.js";
import { parseClusterConfig } from "../../../actions/lib/config/index.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { repoPath } from "../../helpers/repo.js";

/** How the Go provider is told to trust Proxmox, against pve-sim's real TLS listener. */
describe("provider trust", () => {
  let sim: PveSim;
  let other: PveSim;
  let dir: string;
  beforeAll(async () => {
    sim = await startPveSim();
    other = await startPveSim();
    dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-trust-"));
  });
  afterAll(async () => {
    await sim.close();
    await other.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("fetches the certificate a server presents, with the fingerprint Proxmox shows", async () => {
    const cert = await presentedCertificate(sim.host, sim.port);
    expect(cert.fingerprint256).toBe(sim.fingerprint);
    expect(new X509Certificate(cert.pem).fingerprint256).toBe(sim.fingerprint);
  });

  it("a matching pin makes exactly that certificate the trust root (SSL_CERT_FILE)", async () => {
    const logger = memoryLogger();
    const trust = await providerTrust({ tls: { fingerprint: sim.fingerprint.toLowerCase().replace(/:/g, "") }, host: sim.host, port: sim.port, workDir: dir, includePublicRoots: false, logger });
    expect(trust).toMatchObject({ insecure: false, mode: "pinned" });
    const bundle = await readFile(trust.env.SSL_CERT_FILE ?? "", "utf8");
    expect(bundle.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    expect(new X509Certificate(bundle).fingerprint256).toBe(sim.fingerprint);
  });

  it("a remote backend adds the public roots behind the pinned certificate", async () => {
    const trust = await providerTrust({ tls: { fingerprint: sim.fingerprint }, host: sim.host, port: sim.port, workDir: dir, includePublicRoots: true, logger: memoryLogger() });
    const bundle = await readFile(trust.env.SSL_CERT_FILE ?? "", "utf8");
    expect(bundle.match(/BEGIN CERTIFICATE/g)?.length).toBeGreaterThan(100);
    expect(new X509Certificate(bundle).fingerprint256).toBe(sim.fingerprint);
  });

  it("refuses a server whose certificate is not the pinned one, naming both fingerprints", async () => {
    await expect(providerTrust({ tls: { fingerprint: sim.fingerprint }, host: other.host, port: other.port, workDir: dir, includePublicRoots: false, logger: memoryLogger() })).rejects.toThrow(
      `has fingerprint ${other.fingerprint}, not the pinned ${sim.fingerprint}`,
    );
  });

  it("a CA file becomes the trust root; an unreadable one is a clear mistake", async () => {
    const ca = path.join(dir, "ca.pem");
    await writeFile(ca, sim.certPem);
    const trust = await providerTrust({ tls: { caFile: ca }, host: sim.host, port: sim.port, workDir: dir, includePublicRoots: false, logger: memoryLogger() });
    expect(await readFile(trust.env.SSL_CERT_FILE ?? "", "utf8")).toContain(sim.certPem.trim());
    await expect(providerTrust({ tls: { caFile: path.join(dir, "nope.pem") }, host: sim.host, port: sim.port, workDir: dir, includePublicRoots: false, logger: memoryLogger() })).rejects.toThrow(
      /cannot read the TLS CA file .*nope.pem/,
    );
  });

  it("insecure only when asked, with a warning; verified leaves the system roots alone", async () => {
    const logger = memoryLogger();
    expect(await providerTrust({ tls: { insecure: true }, host: sim.host, port: sim.port, workDir: dir, includePublicRoots: false, logger })).toEqual({ env: {}, insecure: true, mode: "insecure" });
    expect(logger.lines.some((l) => l.startsWith("warning:") && l.includes("WITHOUT verifying"))).toBe(true);
    expect(await providerTrust({ tls: {}, host: sim.host, port: sim.port, workDir: dir, includePublicRoots: false, logger })).toEqual({ env: {}, insecure: false, mode: "verified" });
  });
});

describe("the working copy of terraform/", () => {
  const example = repoPath("workflows-examples", "clusters", "multi-node", "cluster.yaml");
  const vars = renderTofuVars(parseClusterConfig(readFileSync(example, "utf8"), example).plan);

  it("copies the module and its lock file, writes the var file, and selects a remote backend by override", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-ws-"));
    try {
      await writeFile(path.join(dir, "stale.tf"), "# from an earlier module version");
      const ws = await prepareWorkspace({ moduleDir: repoPath("terraform"), dir, vars, backend: "s3", lockFileMode: "verify" });
      const files = (await readdir(dir)).sort();
      expect(files).toEqual([".terraform.lock.hcl", "backend_override.tf", "cluster.tfvars.json", "main.tf", "outputs.tf", "variables.tf", "versions.tf"]);
      expect(ws.lockFile).toBe(await readFile(repoPath("terraform", ".terraform.lock.hcl"), "utf8"));
      expect(JSON.parse(await readFile(ws.varFile, "utf8"))).toEqual(vars);
      expect(await readFile(path.join(dir, "backend_override.tf"), "utf8")).toContain('backend "s3" {}');

      const again = await prepareWorkspace({ moduleDir: repoPath("terraform"), dir, vars, backend: "local", lockFileMode: "regenerate" });
      expect(again.lockFile).toBeUndefined();
      // the earlier run's override and lock file are gone
      expect((await readdir(dir)).sort()).toEqual(["cluster.tfvars.json", "main.tf", "outputs.tf", "variables.tf", "versions.tf"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a missing module directory is a configuration mistake", async () => {
    await expect(prepareWorkspace({ moduleDir: "/nonexistent/terraform", dir: os.tmpdir(), vars, backend: "local", lockFileMode: "verify" })).rejects.toThrow(/does not exist/);
  });
});
