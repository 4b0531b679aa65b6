import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Identity } from "../core.js";
import { PveError } from "../http/pve-error.js";
import type { SimState } from "../model/types.js";

const TICKET_LIFETIME_S = 2 * 3600;

/** Signs and checks PVE tickets (`PVE:user@realm:HEXTIME::sig`) and CSRF tokens. */
export class TicketAuthority {
  private readonly key = randomBytes(32);

  issue(userid: string, now = Date.now()): { ticket: string; csrf: string } {
    const time = Math.floor(now / 1000)
      .toString(16)
      .toUpperCase()
      .padStart(8, "0");
    const plain = `PVE:${userid}:${time}`;
    const ticket = `${plain}::${this.sign(plain)}`;
    const csrf = `${time}:${this.sign(`csrf:${userid}:${time}`)}`;
    return { ticket, csrf };
  }

  verify(ticket: string, now = Date.now()): string | undefined {
    const m = /^(PVE:([^:]+):([0-9A-F]{8}))::(.+)$/.exec(ticket);
    if (!m?.[1] || !m[2] || !m[3] || !m[4]) return undefined;
    if (!safeEqual(this.sign(m[1]), m[4])) return undefined;
    const age = Math.floor(now / 1000) - parseInt(m[3], 16);
    return age >= -300 && age <= TICKET_LIFETIME_S ? m[2] : undefined;
  }

  verifyCsrf(userid: string, token: string | undefined): boolean {
    const m = /^([0-9A-F]{8}):(.+)$/.exec(token ?? "");
    return !!m?.[1] && !!m[2] && safeEqual(this.sign(`csrf:${userid}:${m[1]}`), m[2]);
  }

  private sign(text: string): string {
    return createHmac("sha256", this.key).update(text).digest("base64");
  }
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

const AUTH_FAILED = () => new PveError(401, "Authentication failed!");

/**
 * Who is calling: an API token (`Authorization: PVEAPIToken=user@realm!id=secret`) or a ticket
 * cookie (`PVEAuthCookie`), the latter also needing `CSRFPreventionToken` on writes.
 */
export function authenticate(
  state: SimState,
  tickets: TicketAuthority,
  headers: IncomingHttpHeaders,
  method: string,
): Identity {
  const authorization = headers.authorization ?? "";
  const tokenMatch = /^PVEAPIToken[= ](.+)$/.exec(authorization);
  if (tokenMatch?.[1]) {
    const value = decodeURIComponent(tokenMatch[1]);
    const split = value.lastIndexOf("=");
    const tokenid = value.slice(0, split);
    const secret = value.slice(split + 1);
    const idMatch = /^([^@!\s]+@[^@!\s]+)!([A-Za-z][A-Za-z0-9._-]*)$/.exec(tokenid);
    if (split < 0 || !idMatch?.[1] || !idMatch[2]) throw AUTH_FAILED();
    const user = state.users.find((u) => u.userid === idMatch[1]);
    const token = user?.tokens[idMatch[2]];
    if (!user?.enable || !token || !safeEqual(token.secret, secret)) throw AUTH_FAILED();
    return { userid: user.userid, tokenid };
  }
  const cookie =
    /(?:^|;\s*)PVEAuthCookie=([^;]+)/.exec(headers.cookie ?? "")?.[1] ??
    /^PVEAuthCookie=(.+)$/.exec(authorization)?.[1];
  if (cookie) {
    const userid = tickets.verify(decodeURIComponent(cookie));
    if (!userid) throw AUTH_FAILED();
    if (
      method !== "GET" &&
      !tickets.verifyCsrf(userid, headers.csrfpreventiontoken as string | undefined)
    ) {
      throw new PveError(401, "Permission denied - invalid csrf token");
    }
    return { userid };
  }
  throw new PveError(401, "No ticket", undefined, true);
}
