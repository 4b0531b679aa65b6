import { randomBytes, randomInt } from "node:crypto";
import type { JoinSecrets } from "./render.js";

const TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

function randomToken(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return out;
}

/**
 * Fresh join material for one run: a bootstrap token (`[a-z0-9]{6}.[a-z0-9]{16}`, 30 minutes) and
 * the key that encrypts the uploaded control-plane certificates (kubeadm deletes them after two
 * hours). They are made here, not read back from kubeadm's output, so the action can mask them
 * before any tool runs and tests can seed them and scan every output for them.
 */
export function newJoinSecrets(): JoinSecrets {
  return {
    token: `${randomToken(6)}.${randomToken(16)}`,
    certificateKey: randomBytes(32).toString("hex"),
  };
}

/** Every form of the join material that must be masked (the token's secret half alone too). */
export function joinSecretValues(secrets: JoinSecrets): string[] {
  return [secrets.token, secrets.token.split(".")[1] ?? "", secrets.certificateKey].filter(Boolean);
}
