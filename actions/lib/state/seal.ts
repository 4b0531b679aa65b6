import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { z } from "zod";
import { ConfigurationError } from "../errors.js";

/**
 * Sealing of secret values inside phase state (kubeconfig, join tokens, plan files) with
 * AES-256-GCM. The key comes from the `state-key` secret through HKDF-SHA256 with a fresh random
 * salt per sealed value, so the same secret never produces the same ciphertext. The context (for
 * example `demo/kubeadm-bootstrap/kubeconfig`) is authenticated as additional data: a sealed value
 * copied into another field or another cluster's state does not open.
 */
const FORMAT = "pve-kube-sealed-v1";
const MIN_KEY_LENGTH = 32;

export const sealedValueSchema = z
  .object({
    $sealed: z.literal(FORMAT),
    salt: z.string(),
    iv: z.string(),
    tag: z.string(),
    data: z.string(),
  })
  .strict();
export type SealedValue = z.infer<typeof sealedValueSchema>;

export function assertUsableStateKey(stateKey: string | undefined): asserts stateKey is string {
  if (!stateKey) {
    throw new ConfigurationError(
      "the state-key secret is not set",
      "create a repository or environment secret STATE_KEY with at least 32 random characters (e.g. `openssl rand -base64 48`) and pass it as `state-key`",
    );
  }
  if (stateKey.length < MIN_KEY_LENGTH) {
    throw new ConfigurationError(
      `the state-key secret is too short (${stateKey.length} characters)`,
      `use at least ${MIN_KEY_LENGTH} random characters (e.g. \`openssl rand -base64 48\`)`,
    );
  }
}

function deriveKey(stateKey: string, salt: Buffer): Buffer {
  return Buffer.from(
    hkdfSync("sha256", Buffer.from(stateKey, "utf8"), salt, "pve-kube state v1", 32),
  );
}

export function sealBytes(plain: Uint8Array, stateKey: string, context: string): SealedValue {
  assertUsableStateKey(stateKey);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(stateKey, salt), iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return {
    $sealed: FORMAT,
    salt: salt.toString("base64"),
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    data: data.toString("base64"),
  };
}

export function openBytes(sealed: SealedValue, stateKey: string, context: string): Buffer {
  assertUsableStateKey(stateKey);
  const decipher = createDecipheriv(
    "aes-256-gcm",
    deriveKey(stateKey, Buffer.from(sealed.salt, "base64")),
    Buffer.from(sealed.iv, "base64"),
  );
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]);
  } catch {
    throw new ConfigurationError(
      `cannot open the sealed value '${context}': the state-key is not the one it was sealed with, or the state was modified`,
      "use the same state-key secret as the run that wrote this state, or re-run the phase that produced it",
    );
  }
}

export function sealSecret(value: string, stateKey: string, context: string): SealedValue {
  return sealBytes(Buffer.from(value, "utf8"), stateKey, context);
}

export function openSecret(sealed: SealedValue, stateKey: string, context: string): string {
  return openBytes(sealed, stateKey, context).toString("utf8");
}
