import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import {
  grantCommands,
  KeyedLimiter,
  resolveConnection,
  shellQuote,
} from "../../../actions/lib/proxmox/index.js";

const SECRET = "0b8a5c2e-1f3d-4c6b-9a7e-2d4f6b8c0e1a";
const good = {
  PROXMOX_URL: "https://pve1.lan:8006/api2/json",
  PROXMOX_TOKEN_ID: "root@pam!pve-kube",
  PROXMOX_TOKEN_SECRET: SECRET,
};

describe("resolveConnection", () => {
  it("reads the environment, strips the API path and defaults the port", () => {
    const c = resolveConnection({}, { ...good, PROXMOX_URL: "https://pve1.lan" }, () => {});
    expect(c).toMatchObject({
      url: "https://pve1.lan:8006",
      host: "pve1.lan",
      port: 8006,
      schema: "https",
      tokenId: "root@pam!pve-kube",
    });
  });

  it("prefers explicit options and names them in messages", () => {
    const c = resolveConnection(
      { url: "https://10.0.0.2:8443", tokenId: "ci@pve!deploy", tokenSecret: SECRET },
      good,
      () => {},
    );
    expect(c).toMatchObject({ url: "https://10.0.0.2:8443", tokenId: "ci@pve!deploy" });
    expect(c.sources.tokenId).toBe("the proxmox-token-id input");
  });

  it("masks the secret before anything else, even when validation then fails", () => {
    const order: string[] = [];
    expect(() =>
      resolveConnection({}, { PROXMOX_TOKEN_SECRET: "not-a-uuid" }, (s) => order.push(`mask ${s}`)),
    ).toThrow(ConfigurationError);
    expect(order).toEqual(["mask not-a-uuid"]);
  });

  it("takes TLS settings from the environment when none are given", () => {
    expect(resolveConnection({}, { ...good, PROXMOX_TLS_FINGERPRINT: "AA" }, () => {}).tls).toEqual(
      { fingerprint: "AA" },
    );
    expect(resolveConnection({}, { ...good, PROXMOX_TLS_INSECURE: "true" }, () => {}).tls).toEqual({
      insecure: true,
    });
    expect(
      resolveConnection(
        { tls: { caFile: "/ca.pem" } },
        { ...good, PROXMOX_TLS_INSECURE: "true" },
        () => {},
      ).tls,
    ).toEqual({ caFile: "/ca.pem" });
  });

  it.each([
    [
      { ...good, PROXMOX_URL: "" },
      /no Proxmox URL \(the PROXMOX_URL environment variable is empty\)/,
    ],
    [{ ...good, PROXMOX_URL: "ftp://x" }, /is not an https URL/],
    [{ ...good, PROXMOX_TOKEN_ID: "root@pam" }, /not of the form user@realm!name/],
    [{ ...good, PROXMOX_TOKEN_SECRET: "" }, /no Proxmox API token secret/],
    [{ ...good, PROXMOX_TOKEN_SECRET: SECRET.toUpperCase() }, /lowercase UUID/],
    [
      { ...good, PROXMOX_TOKEN_SECRET: `root@pam!pve-kube=${SECRET}` },
      /put only the part after `=`/,
    ],
    [{ ...good, PROXMOX_TLS_INSECURE: "yes" }, /PROXMOX_TLS_INSECURE must be true or false/],
  ])("explains a bad environment (%#)", (env, message) => {
    let error: unknown;
    try {
      resolveConnection({}, env, () => {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
    // a secret that is wrong in form must still never be echoed
    expect((error as Error).message).not.toContain(SECRET);
    expect((error as Error).message).not.toContain(SECRET.toUpperCase());
  });

  it("reports every missing value at once", () => {
    expect(() => resolveConnection({}, {}, () => {})).toThrow(
      /no Proxmox URL[\s\S]*no Proxmox API token id[\s\S]*no Proxmox API token secret/,
    );
  });
});

describe("pveum advice", () => {
  it.each([
    [
      "root@pam!pve-kube",
      [{ path: "/vms/9000", privileges: ["VM.Allocate"] }],
      [
        "pveum role add PVEKube --privs VM.Allocate",
        "pveum acl modify /vms/9000 --tokens 'root@pam!pve-kube' --roles PVEKube",
      ],
    ],
    [
      "ci@pve!deploy",
      [
        { path: "/storage/local", privileges: ["Datastore.AllocateTemplate"] },
        { path: "/", privileges: ["Sys.Audit"] },
        { path: "/storage/local", privileges: ["Datastore.Audit"] },
      ],
      [
        "pveum role add PVEKube --privs Datastore.AllocateTemplate,Datastore.Audit,Sys.Audit",
        "pveum acl modify / --tokens 'ci@pve!deploy' --roles PVEKube",
        "pveum acl modify /storage/local --tokens 'ci@pve!deploy' --roles PVEKube",
      ],
    ],
  ])("grants for %s", (token, missing, commands) => {
    expect(grantCommands(token, missing)).toEqual(commands);
  });

  it.each([
    ["plain", "plain"],
    ["a b", "'a b'"],
    ["it's", `'it'\\''s'`],
  ])("shellQuote(%j)", (input, output) => expect(shellQuote(input)).toBe(output));
});

describe("KeyedLimiter", () => {
  it("runs at most `limit` per key and keys independently", async () => {
    const limiter = new KeyedLimiter(2);
    let peakA = 0;
    let peakB = 0;
    const gates: (() => void)[] = [];
    const job = (key: string) =>
      limiter.run(key, async () => {
        if (key === "a") peakA = Math.max(peakA, limiter.active("a"));
        else peakB = Math.max(peakB, limiter.active("b"));
        await new Promise<void>((resolve) => gates.push(resolve));
      });
    let done = false;
    const all = Promise.all([job("a"), job("a"), job("a"), job("a"), job("b")]).then(
      () => (done = true),
    );
    while (!done) {
      await new Promise((r) => setTimeout(r, 1));
      gates.shift()?.();
    }
    await all;
    expect(peakA).toBe(2);
    expect(peakB).toBe(1);
    expect(limiter.active("a")).toBe(0);
  });
});

describe("resolveConnection precedence", () => {
  const defaults = { url: "https://pve.cfg:8006", tls: { fingerprint: "CFG" } };
  const creds = { PROXMOX_TOKEN_ID: "root@pam!pve-kube", PROXMOX_TOKEN_SECRET: SECRET };
  it("falls back to cluster.yaml's endpoint and tls", () => {
    const c = resolveConnection({ defaults }, creds, () => {});
    expect(c).toMatchObject({ url: "https://pve.cfg:8006", tls: { fingerprint: "CFG" } });
    expect(c.sources.url).toBe("proxmox.endpoint in cluster.yaml");
  });
  it("lets the environment override cluster.yaml (the local demo points at its simulator)", () => {
    const c = resolveConnection(
      { defaults },
      { ...creds, PROXMOX_URL: "https://127.0.0.1:9999", PROXMOX_TLS_FINGERPRINT: "ENV" },
      () => {},
    );
    expect(c).toMatchObject({ url: "https://127.0.0.1:9999", tls: { fingerprint: "ENV" } });
  });
  it("lets explicit options override both for a loopback endpoint", () => {
    const c = resolveConnection(
      { defaults, url: "https://127.0.0.1:1", tls: { insecure: true } },
      { ...creds, PROXMOX_URL: "https://127.0.0.2:2", PROXMOX_TLS_FINGERPRINT: "ENV" },
      () => {},
    );
    expect(c).toMatchObject({ url: "https://127.0.0.1:1", tls: { insecure: true } });
  });
});

describe("the environment and inputs cannot weaken what cluster.yaml commits", () => {
  const defaults = { url: "https://pve.cfg:8006", tls: { fingerprint: "AA:BB" } };
  const creds = { PROXMOX_TOKEN_ID: "root@pam!pve-kube", PROXMOX_TOKEN_SECRET: SECRET };
  it.each([
    ["PROXMOX_TLS_INSECURE=true", { PROXMOX_TLS_INSECURE: "true" }, {}],
    ["PROXMOX_TLS_FINGERPRINT", { PROXMOX_TLS_FINGERPRINT: "CC:DD" }, {}],
    ["PROXMOX_TLS_CA_FILE", { PROXMOX_TLS_CA_FILE: "/tmp/evil-ca.pem" }, {}],
    ["the proxmox-fingerprint input", {}, { tls: { fingerprint: "CC:DD" } }],
  ])("%s cannot replace the committed pin", (_label, env, explicit) => {
    expect(() =>
      resolveConnection({ defaults, ...explicit }, { ...creds, ...env }, () => {}),
    ).toThrow(/would replace the certificate pin cluster.yaml commits/);
  });
  it("the same pin given again is fine", () => {
    const c = resolveConnection(
      { defaults },
      { ...creds, PROXMOX_TLS_FINGERPRINT: "aabb" },
      () => {},
    );
    expect(c.tls).toEqual({ fingerprint: "AA:BB" });
  });
  it.each([
    ["the PROXMOX_URL environment variable", { PROXMOX_URL: "https://evil.example:8006" }, {}],
    ["the proxmox-url input", {}, { url: "https://192.0.2.66:8006" }],
  ])("%s cannot send the token to another host", (source, env, explicit) => {
    expect(() =>
      resolveConnection({ defaults, ...explicit }, { ...creds, ...env }, () => {}),
    ).toThrow(`${source} points at`);
  });
  it.each(["http://pve.cfg:8006", "http://10.0.0.5:8006"])("refuses %s", (url) => {
    expect(() => resolveConnection({ url }, creds, () => {})).toThrow(/is plain http/);
  });
  it("accepts http only on loopback", () => {
    expect(resolveConnection({ url: "http://127.0.0.1:8006" }, creds, () => {}).schema).toBe(
      "http",
    );
  });
});
