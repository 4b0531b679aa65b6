import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import { z } from "zod";
import { ConfigurationError } from "../errors.js";

/**
 * Sealing of secret values inside phase state (kubeconfig, join tokens, plan files) with
 * AES-256-GCM. The key comes from the `state-key` secret — 32 random bytes, base64 or hex — through
 * HKDF-SHA256 with a fresh random salt per sealed value, so the same secret never produces the
 * same ciphertext. The context (for example `demo/kubeadm-bootstrap/kubeconfig`) is authenticated
 * as additional data: a sealed value copied into another field or another cluster's state does
 * not open. Salt, IV and tag lengths are fixed and checked before decrypting: Node accepts GCM
 * tags as short as 4 bytes, which would let a forger guess a tag.
 */
const FORMAT = "pve-kube-sealed-v2";
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAKE_KEY = "`openssl rand -base64 32`";

/** base64 of exactly `bytes` bytes (canonical, with padding) */
function base64OfLength(bytes: number) {
  return z
    .string()
    .refine(
      (s) =>
        /^[A-Za-z0-9+/]*={0,2}$/.test(s) &&
        Buffer.from(s, "base64").length === bytes &&
        Buffer.from(s, "base64").toString("base64") === s,
      { error: `must be base64 of exactly ${bytes} bytes` },
    );
}

export const sealedValueSchema = z
  .object({
    $sealed: z.literal(FORMAT),
    salt: base64OfLength(SALT_BYTES),
    iv: base64OfLength(IV_BYTES),
    tag: base64OfLength(TAG_BYTES),
    data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
  })
  .strict();
export type SealedValue = z.infer<typeof sealedValueSchema>;

/**
 * The key material of a state-key: 32 (or more) random bytes written as base64 or hex. A
 * passphrase is refused — HKDF does not stretch it, so a guessable one would open every state.
 */
export function stateKeyBytes(stateKey: string | undefined): Buffer {
  if (!stateKey) {
    throw new ConfigurationError(
      "the state-key secret is not set",
      `create a repository or environment secret STATE_KEY holding 32 random bytes (make one with ${MAKE_KEY}) and pass it as \`state-key\``,
    );
  }
  const text = stateKey.trim();
  const bytes = /^[0-9a-fA-F]+$/.test(text)
    ? Buffer.from(text, "hex")
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(text)
      ? Buffer.from(text, text.includes("-") || text.includes("_") ? "base64url" : "base64")
      : undefined;
  if (!bytes) {
    throw new ConfigurationError(
      "the state-key secret is neither base64 nor hex",
      `set STATE_KEY to 32 random bytes in base64 (${MAKE_KEY}) or hex (\`openssl rand -hex 32\`)`,
    );
  }
  if (bytes.length < KEY_BYTES) {
    throw new ConfigurationError(
      `the state-key secret holds ${bytes.length} bytes, fewer than ${KEY_BYTES}`,
      `set STATE_KEY to 32 random bytes: ${MAKE_KEY}`,
    );
  }
  // 32 random bytes have about 30 distinct values; a repeated pattern or a word has far fewer
  if (new Set(bytes).size < 16) {
    throw new ConfigurationError(
      "the state-key secret does not look random (too few distinct bytes)",
      `set STATE_KEY to 32 random bytes: ${MAKE_KEY}`,
    );
  }
  return bytes;
}

export function assertUsableStateKey(stateKey: string | undefined): asserts stateKey is string {
  stateKeyBytes(stateKey);
}

function deriveKey(stateKey: string, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", stateKeyBytes(stateKey), salt, "pve-kube state v2", 32));
}

export function sealBytes(plain: Uint8Array, stateKey: string, context: string): SealedValue {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(stateKey, salt), iv, {
    authTagLength: TAG_BYTES,
  });
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
  const key = stateKeyBytes(stateKey);
  const refused = new ConfigurationError(
    `cannot open the sealed value '${context}': the state-key is not the one it was sealed with, or the state was modified`,
    "use the same state-key secret as the run that wrote this state, or re-run the phase that produced it",
  );
  // the schema is checked here too: callers may hand over a value they did not parse
  if (!sealedValueSchema.safeParse(sealed).success) throw refused;
  const salt = Buffer.from(sealed.salt, "base64");
  const decipher = createDecipheriv(
    "aes-256-gcm",
    Buffer.from(hkdfSync("sha256", key, salt, "pve-kube state v2", 32)),
    Buffer.from(sealed.iv, "base64"),
    { authTagLength: TAG_BYTES },
  );
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]);
  } catch {
    throw refused;
  }
}

export function sealSecret(value: string, stateKey: string, context: string): SealedValue {
  return sealBytes(Buffer.from(value, "utf8"), stateKey, context);
}

export function openSecret(sealed: SealedValue, stateKey: string, context: string): string {
  return openBytes(sealed, stateKey, context).toString("utf8");
}

/**
 * HMAC-SHA256 (hex) of `message` under a key derived from the state-key for `purpose`: what
 * proves that a phase state or a cached image was written by a job holding the same secret.
 */
export function stateMac(message: Uint8Array | string, stateKey: string, purpose: string): string {
  const key = Buffer.from(
    hkdfSync("sha256", stateKeyBytes(stateKey), Buffer.alloc(0), `pve-kube mac v1 ${purpose}`, 32),
  );
  return createHmac("sha256", key).update(message).digest("hex");
}

export function verifyStateMac(
  message: Uint8Array | string,
  mac: string,
  stateKey: string,
  purpose: string,
): boolean {
  const expected = Buffer.from(stateMac(message, stateKey, purpose), "hex");
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(mac) ? mac : "", "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
