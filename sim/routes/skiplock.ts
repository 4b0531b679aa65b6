import type { RouteContext } from "../api/route.js";
import { PveError } from "../http/pve-error.js";

/**
 * qemu-server's first check of every call that takes `skiplock`: only root@pam may ignore a VM's
 * lock, and an API token is never root@pam, not even a token of root's (a ticket is needed).
 */
export function refuseSkiplockUnlessRoot(ctx: RouteContext): void {
  if (ctx.params.skiplock === "1" && (ctx.who.userid !== "root@pam" || ctx.who.tokenid)) {
    throw new PveError(400, "Parameter verification failed.", {
      skiplock: "Only root may use this option.",
    });
  }
}
