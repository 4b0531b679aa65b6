import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import {
  checkHostKeys,
  forgetHosts,
  keyFingerprint,
  mergePins,
  parseKnownHosts,
} from "../../../actions/lib/kubeadm/host-keys.js";
import {
  knownHostsCacheKey,
  memoryKnownHostsStore,
} from "../../../actions/lib/kubeadm/known-hosts-store.js";

const KEY_A = Buffer.alloc(51, 1).toString("base64");
const KEY_B = Buffer.alloc(51, 2).toString("base64");
const KEY_E = Buffer.alloc(104, 3).toString("base64");
const line = (ip: string, key: string, type = "ssh-ed25519") => `${ip} ${type} ${key}\n`;
const nodes = [
  { name: "demo-cp-1", ip: "10.0.20.11" },
  { name: "demo-general-1", ip: "10.0.20.21" },
];

describe("host keys pinned across runs", () => {
  it("learns only hosts without any pin (first contact) and keeps the others' pins", () => {
    const check = checkHostKeys({
      pinned: line("10.0.20.11", KEY_A),
      scanned: line("10.0.20.11", KEY_A) + line("10.0.20.21", KEY_B),
      nodes,
      replace: [],
    });
    expect(check.firstContact).toEqual(["demo-general-1"]);
    expect(parseKnownHosts(check.knownHosts)).toEqual([
      { host: "10.0.20.11", type: "ssh-ed25519", key: KEY_A },
      { host: "10.0.20.21", type: "ssh-ed25519", key: KEY_B },
    ]);
  });

  it("refuses a changed key before any session, naming the node, both fingerprints and the fix", () => {
    const run = () =>
      checkHostKeys({
        pinned: line("10.0.20.11", KEY_A),
        scanned: line("10.0.20.11", KEY_B),
        nodes,
        replace: [],
      });
    expect(run).toThrow(ConfigurationError);
    expect(run).toThrow(/demo-cp-1 \(10\.0\.20\.11\).*pinned ssh-ed25519 SHA256:/);
    expect(run).toThrow(keyFingerprint(KEY_B));
    expect(run).toThrow(/nothing was done/);
  });

  it("refuses a host that now presents only key types that were never pinned", () => {
    expect(() =>
      checkHostKeys({
        pinned: line("10.0.20.11", KEY_A),
        scanned: line("10.0.20.11", KEY_E, "ecdsa-sha2-nistp256"),
        nodes,
        replace: [],
      }),
    ).toThrow(/host key changed on demo-cp-1/);
  });

  it("re-learns a node named in replace-host-keys (rebuilt on purpose)", () => {
    const check = checkHostKeys({
      pinned: line("10.0.20.11", KEY_A),
      scanned: line("10.0.20.11", KEY_B),
      nodes,
      replace: ["demo-cp-1"],
    });
    expect(check.replaced).toEqual(["demo-cp-1"]);
    expect(check.knownHosts).toBe(line("10.0.20.11", KEY_B));
  });

  it("keeps the pin of a host that does not answer the scan and reports it", () => {
    const check = checkHostKeys({
      pinned: line("10.0.20.11", KEY_A),
      scanned: "",
      nodes,
      replace: [],
    });
    expect(check.silent).toEqual(["demo-cp-1", "demo-general-1"]);
    expect(check.knownHosts).toBe(line("10.0.20.11", KEY_A));
  });

  it("takes a host's pins from the most authoritative source that names it", () => {
    const merged = mergePins(
      line("10.0.20.11", KEY_A),
      line("10.0.20.11", KEY_B) + line("10.0.20.21", KEY_B),
    );
    expect(merged).toBe(line("10.0.20.11", KEY_A) + line("10.0.20.21", KEY_B));
  });

  it("forgets the pins of removed nodes (their address may return as a new VM)", () => {
    expect(forgetHosts(line("10.0.20.11", KEY_A) + line("10.0.20.21", KEY_B), ["10.0.20.21"])).toBe(
      line("10.0.20.11", KEY_A),
    );
  });

  it("keys the cache per cluster and content; restore takes the newest by prefix", async () => {
    const a = knownHostsCacheKey("demo", "uid1", "x");
    expect(a.key.startsWith(a.prefix)).toBe(true);
    expect(a.key).not.toBe(knownHostsCacheKey("demo", "uid1", "y").key);
    expect(a.prefix).not.toBe(knownHostsCacheKey("demo", "uid2", "x").prefix);
    const store = memoryKnownHostsStore();
    expect(await store.restore()).toBe("");
    await store.save("a");
    await store.save("b");
    expect(await store.restore()).toBe("b");
  });

  it("prints fingerprints the way ssh-keygen -l does", () => {
    expect(keyFingerprint(KEY_A)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
