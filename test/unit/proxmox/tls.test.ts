import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../actions/lib/logger.js";
import {
  createProxmoxClient,
  normalizeFingerprint,
  ProxmoxUnreachableError,
  type TlsSettings,
} from "../../../actions/lib/proxmox/index.js";
import {
  caSignedCert,
  selfSignedCert,
  sendProxmox,
  startHttpsServer,
  TEST_TOKEN,
  type CertPair,
  type TestServer,
} from "./tls-fixtures.js";

const noWait = { sleep: () => Promise.resolve(), random: () => 0 };

describe("TLS trust of the Proxmox client (real HTTPS servers on 127.0.0.1)", () => {
  let selfSigned: CertPair;
  let ca: CertPair;
  let caSigned: CertPair;
  let pve: TestServer; // self-signed, like a fresh Proxmox node
  let other: TestServer; // CA-signed, a different certificate
  let dir: string;
  const versionHandler = (_req: unknown, res: Parameters<typeof sendProxmox>[0]) =>
    sendProxmox(res, 200, { version: "9.1.2", release: "9.1", repoid: "abcdef12" });

  beforeAll(async () => {
    selfSigned = await selfSignedCert();
    ({ ca, server: caSigned } = await caSignedCert());
    pve = await startHttpsServer(selfSigned, versionHandler);
    other = await startHttpsServer(caSigned, versionHandler);
    dir = await mkdtemp(path.join(os.tmpdir(), "pve-kube-tls-"));
  });
  afterAll(async () => {
    await pve.close();
    await other.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function versionVia(url: string, tls: TlsSettings) {
    const logger = memoryLogger();
    const client = await createProxmoxClient({
      url,
      tokenId: TEST_TOKEN.id,
      tokenSecret: TEST_TOKEN.secret,
      tls,
      logger,
      env: {},
      maskSecret: () => {},
      retry: noWait,
    });
    try {
      return { version: (await client.api.version.$get()) as { version: string }, logger };
    } finally {
      await client.close();
    }
  }

  async function failureVia(url: string, tls: TlsSettings): Promise<ProxmoxUnreachableError> {
    const error = await versionVia(url, tls).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProxmoxUnreachableError);
    return error as ProxmoxUnreachableError;
  }

  it("pinning accepts exactly the pinned self-signed certificate", async () => {
    const { version } = await versionVia(pve.url, { fingerprint: selfSigned.fingerprint });
    expect(version.version).toBe("9.1.2");
  });

  it("pinning accepts the fingerprint in lower case or without colons", async () => {
    const bare = selfSigned.fingerprint.replace(/:/g, "").toLowerCase();
    expect((await versionVia(pve.url, { fingerprint: bare })).version.version).toBe("9.1.2");
  });

  it("pinning rejects a different certificate even though a CA vouches for it, showing expected and actual", async () => {
    // the CA file client trusts this server: it is CA-valid …
    expect((await versionVia(other.url, { caFile: await caFile() })).version.version).toBe("9.1.2");
    // … yet a pin to another certificate refuses it
    const error = await failureVia(other.url, { fingerprint: selfSigned.fingerprint });
    expect(error.code).toBe("PVE_KUBE_FINGERPRINT_MISMATCH");
    expect(error.message).toContain(`127.0.0.1:${other.port}`);
    expect(error.message).toContain(`expected ${selfSigned.fingerprint}`);
    expect(error.message).toContain(`presented ${caSigned.fingerprint}`);
    expect(error.transient).toBe(false);
  });

  it("a CA file trusts servers signed by that CA and nothing else", async () => {
    const file = await caFile();
    expect((await versionVia(other.url, { caFile: file })).version.version).toBe("9.1.2");
    const error = await failureVia(pve.url, { caFile: file });
    expect(error.message).toMatch(/TLS certificate not trusted/);
  });

  it("verifies by default and tells which fingerprint to pin for a self-signed server", async () => {
    const error = await failureVia(pve.url, {});
    expect(error.message).toContain(`127.0.0.1:${pve.port}`);
    expect(error.message).toMatch(
      /not trusted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/,
    );
    expect(error.message).toContain(selfSigned.fingerprint);
    expect(error.fix).toContain("proxmox.tls.fingerprint");
  });

  it("insecure works only as an explicit opt-in and always warns", async () => {
    const { version, logger } = await versionVia(pve.url, { insecure: true });
    expect(version.version).toBe("9.1.2");
    expect(
      logger.lines.some((l) =>
        l.startsWith("warning: TLS verification of the Proxmox certificate is OFF"),
      ),
    ).toBe(true);
  });

  it("never sets NODE_TLS_REJECT_UNAUTHORIZED", async () => {
    await versionVia(pve.url, { insecure: true });
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
  });

  it("refuses conflicting trust settings", async () => {
    await expect(
      versionVia(pve.url, { fingerprint: selfSigned.fingerprint, insecure: true }),
    ).rejects.toThrow(/conflicting TLS settings: fingerprint and insecure/);
  });

  it("explains a closed port with host, port and the fix", async () => {
    const closed = await startHttpsServer(selfSigned, versionHandler);
    await closed.close();
    const error = await failureVia(closed.url, { fingerprint: selfSigned.fingerprint });
    expect(error.message).toBe(
      `cannot reach Proxmox at 127.0.0.1:${closed.port}: connection refused — check that pveproxy is running on the node (\`systemctl status pveproxy\`) and that port ${closed.port} is open from the runner`,
    );
    expect(error.transient).toBe(true);
  });

  async function caFile(): Promise<string> {
    const file = path.join(dir, "ca.pem");
    await writeFile(file, ca.cert);
    return file;
  }
});

describe("normalizeFingerprint", () => {
  const hex = "3f9a217c550be418aa6dc2901347bef508719c2e64d35a0fb781c649e21d7a93";
  const colon = hex.toUpperCase().match(/../g)!.join(":");
  it.each([
    [colon, colon],
    [colon.toLowerCase(), colon],
    [hex, colon],
    [`sha256:${hex}`, colon],
    [` ${colon} `, colon],
  ])("%s → colon upper-case hex", (input, expected) => {
    expect(normalizeFingerprint(input)).toBe(expected);
  });
  it.each(["", "AA:BB", `${colon}:00`, "zz".repeat(32)])("rejects %j with a fix", (input) => {
    expect(() => normalizeFingerprint(input)).toThrow(/pvenode cert info/);
  });
});
