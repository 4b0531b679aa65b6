import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import {
  openBytes,
  openSecret,
  sealBytes,
  sealSecret,
  sealedValueSchema,
  stateMac,
  verifyStateMac,
  type SealedValue,
} from "../../../actions/lib/state/seal.js";

import { randomBytes } from "node:crypto";

const key = randomBytes(32).toString("base64");
const otherKey = randomBytes(32).toString("hex");
const secret =
  "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-key-data: c2VjcmV0LWtleS1tYXRlcmlhbA==\n";

describe("sealing", () => {
  it("round-trips a secret and never contains it in plain or base64 form", () => {
    const sealed = sealSecret(secret, key, "demo/kubeadm-bootstrap/kubeconfig");
    const json = JSON.stringify(sealed);
    expect(json).not.toContain("client-key-data");
    expect(json).not.toContain(Buffer.from(secret).toString("base64").slice(0, 24));
    expect(sealedValueSchema.parse(sealed)).toEqual(sealed);
    expect(openSecret(sealed, key, "demo/kubeadm-bootstrap/kubeconfig")).toBe(secret);
  });

  it("seals the same secret differently every time (fresh salt and IV)", () => {
    const a = sealSecret(secret, key, "c");
    const b = sealSecret(secret, key, "c");
    expect(a.data).not.toBe(b.data);
    expect(a.salt).not.toBe(b.salt);
  });

  it("round-trips binary plan bytes", () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256));
    expect(openBytes(sealBytes(bytes, key, "plan"), key, "plan").equals(bytes)).toBe(true);
  });

  it.each([
    [
      "a wrong key",
      (s: ReturnType<typeof sealSecret>) => ({ sealed: s, key: otherKey, context: "ctx" }),
    ],
    [
      "a tampered ciphertext",
      (s: ReturnType<typeof sealSecret>) => ({
        sealed: { ...s, data: flip(s.data) },
        key,
        context: "ctx",
      }),
    ],
    [
      "a tampered tag",
      (s: ReturnType<typeof sealSecret>) => ({
        sealed: { ...s, tag: flip(s.tag) },
        key,
        context: "ctx",
      }),
    ],
    [
      "another field's context",
      (s: ReturnType<typeof sealSecret>) => ({ sealed: s, key, context: "other-cluster/ctx" }),
    ],
  ])("refuses %s with a clear error", (_label, mutate) => {
    const { sealed, key: k, context } = mutate(sealSecret(secret, key, "ctx"));
    const attempt = () => openSecret(sealed, k, context);
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(
      /state-key is not the one it was sealed with, or the state was modified/,
    );
  });

  it.each([
    [undefined, /state-key secret is not set/],
    ["short", /holds 3 bytes, fewer than 32/],
    // a 48-character passphrase passed the old "32+ characters" rule
    ["correct horse battery staple and a few words more", /neither base64 nor hex/],
    ["k".repeat(48), /does not look random/],
    [Buffer.alloc(32, 7).toString("base64"), /does not look random/],
    [randomBytes(16).toString("base64"), /holds 16 bytes, fewer than 32/],
  ])("rejects an unusable state-key %s", (bad, message) => {
    expect(() => sealSecret("x", bad as string, "c")).toThrow(message);
  });

  it.each([
    ["base64 (openssl rand -base64 32)", randomBytes(32).toString("base64")],
    ["hex (openssl rand -hex 32)", randomBytes(32).toString("hex")],
    ["base64url", randomBytes(32).toString("base64url")],
  ])("accepts 32 random bytes as %s", (_label, good) => {
    expect(openSecret(sealSecret("x", good, "c"), good, "c")).toBe("x");
  });

  it.each([
    // Node accepts a GCM tag of 4 bytes unless told the length: 2^32 guesses would forge a value
    ["a tag cut to 4 bytes", (s: SealedValue) => ({ ...s, tag: cut(s.tag, 4) })],
    ["a tag cut to 12 bytes", (s: SealedValue) => ({ ...s, tag: cut(s.tag, 12) })],
    ["an IV of 16 bytes", (s: SealedValue) => ({ ...s, iv: randomBytes(16).toString("base64") })],
    ["a salt of 4 bytes", (s: SealedValue) => ({ ...s, salt: cut(s.salt, 4) })],
  ])("refuses %s before decrypting", (_label, mutate) => {
    const sealed = sealSecret(secret, key, "ctx");
    expect(() => openSecret(mutate(sealed), key, "ctx")).toThrow(ConfigurationError);
    expect(sealedValueSchema.safeParse(mutate(sealed)).success).toBe(false);
  });

  it("MACs messages under the state-key per purpose", () => {
    const mac = stateMac("image-sha", key, "image");
    expect(verifyStateMac("image-sha", mac, key, "image")).toBe(true);
    expect(verifyStateMac("image-sha", mac, key, "phase-state")).toBe(false);
    expect(verifyStateMac("image-sha", mac, otherKey, "image")).toBe(false);
    expect(verifyStateMac("other", mac, key, "image")).toBe(false);
    expect(verifyStateMac("image-sha", mac.slice(0, 8), key, "image")).toBe(false);
  });
});

function flip(b64: string): string {
  const bytes = Buffer.from(b64, "base64");
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  return bytes.toString("base64");
}

function cut(b64: string, bytes: number): string {
  return Buffer.from(b64, "base64").subarray(0, bytes).toString("base64");
}
