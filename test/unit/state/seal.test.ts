import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../../actions/lib/errors.js";
import {
  openBytes,
  openSecret,
  sealBytes,
  sealSecret,
  sealedValueSchema,
} from "../../../actions/lib/state/seal.js";

const key = "k".repeat(16) + "0123456789abcdef0123";
const otherKey = "x".repeat(40);
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
    ["short", /too short \(5 characters\)/],
  ])("rejects an unusable state-key %s", (bad, message) => {
    expect(() => sealSecret("x", bad as string, "c")).toThrow(message);
  });
});

function flip(b64: string): string {
  const bytes = Buffer.from(b64, "base64");
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  return bytes.toString("base64");
}
