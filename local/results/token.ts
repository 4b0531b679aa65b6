import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The runtime token a job gets as ACTIONS_RUNTIME_TOKEN. @actions/artifact decodes it without
 * checking the signature and needs only the `scp` claim `Actions.Results:<run>:<job>`; the cache
 * client just sends it. We sign it (HS256, a key that lives as long as the service) and verify it
 * on every request, so a job cannot act for another run by editing the claim.
 */
export interface JobIdentity {
  runId: string;
  jobId: string;
}

const SCOPE_PREFIX = "Actions.Results:";
const ISSUER = "pve-kube-local-results";
/** A job never refreshes its token; GitHub's limit for a job is 6 h, a local run gets a day. */
export const TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
/** Run and job ids become colon-separated fields of `scp`, so they must not contain `:` or spaces. */
const ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

export class TokenError extends Error {
  override name = "TokenError";
}

export function assertBackendId(kind: "run" | "job", id: string): void {
  if (!ID_PATTERN.test(id)) {
    throw new Error(
      `${kind} id '${id}' is not usable in a runtime token: use 1-128 letters, digits, '.', '_' or '-'`,
    );
  }
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url");
}

function sign(key: Buffer, signingInput: string): Buffer {
  return createHmac("sha256", key).update(signingInput).digest();
}

export function mintRuntimeToken(key: Buffer, identity: JobIdentity, nowMs: number): string {
  assertBackendId("run", identity.runId);
  assertBackendId("job", identity.jobId);
  const iat = Math.floor(nowMs / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: ISSUER,
      scp: `${SCOPE_PREFIX}${identity.runId}:${identity.jobId}`,
      iat,
      nbf: iat,
      exp: iat + TOKEN_LIFETIME_SECONDS,
    }),
  );
  const signingInput = `${header}.${payload}`;
  return `${signingInput}.${base64url(sign(key, signingInput))}`;
}

/** Returns the job a token was minted for, or throws TokenError saying what is wrong with it. */
export function verifyRuntimeToken(key: Buffer, token: string, nowMs: number): JobIdentity {
  const parts = token.split(".");
  if (parts.length !== 3) throw new TokenError("the runtime token is not a JWT");
  const [header = "", payload = "", signature = ""] = parts;
  let alg: unknown;
  let claims: { scp?: unknown; exp?: unknown; iss?: unknown };
  try {
    alg = (JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { alg?: unknown }).alg;
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as typeof claims;
  } catch {
    throw new TokenError("the runtime token is not a JWT");
  }
  if (alg !== "HS256")
    throw new TokenError("the runtime token was not issued by this results service");
  const expected = sign(key, `${header}.${payload}`);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new TokenError(
      "the runtime token signature is invalid (minted by another results service instance?)",
    );
  }
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= nowMs)
    throw new TokenError("the runtime token has expired");
  const scope =
    typeof claims.scp === "string"
      ? claims.scp.split(" ").find((s) => s.startsWith(SCOPE_PREFIX))
      : undefined;
  const fields = scope?.split(":");
  if (fields?.length !== 3 || !fields[1] || !fields[2])
    throw new TokenError("the runtime token has no Actions.Results scope");
  return { runId: fields[1], jobId: fields[2] };
}
