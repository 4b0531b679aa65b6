import type { Identity, SimCore } from "../core.js";
import { privilegesOn } from "../access/privileges.js";
import type { RoutePermissions } from "../access/checks.js";
import type { TicketAuthority } from "../access/auth.js";
import type { UploadedFile } from "../http/multipart.js";
import { PveError } from "../http/pve-error.js";
import type { ParamSpecs } from "./param-types.js";
import type { Params } from "./validate.js";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface RouteContext {
  core: SimCore;
  who: Identity;
  params: Params;
  tickets: TicketAuthority;
  /** throws 403 `Permission check failed (<path>, <priv>)` unless the caller holds one of `privs` */
  require(path: string, ...privs: string[]): void;
  has(path: string, priv: string): boolean;
  /** the file of a multipart upload (POST .../upload) */
  upload?: UploadedFile;
}

export interface Route {
  method: Method;
  /** `/nodes/{node}/qemu/{vmid}/config` */
  path: string;
  params: ParamSpecs;
  /**
   * The permission test Proxmox declares for the method, run before the handler (`{ user:
   * "world" }` = served without authentication). The handler checks what the method's
   * description adds (per-disk storage rights, task ownership, filtered lists).
   */
  permissions: RoutePermissions;
  /** not usable with an API token (Proxmox's `allowtoken => 0`) */
  noToken?: boolean;
  /** protected/proxied call that goes through another daemon (595/596 can appear) */
  proxied?: boolean;
  handler(ctx: RouteContext): unknown;
}

export function makeContext(
  core: SimCore,
  who: Identity,
  params: Params,
  tickets: TicketAuthority,
): RouteContext {
  const has = (path: string, priv: string) => privilegesOn(core.state, who, path).has(priv);
  return {
    core,
    who,
    params,
    tickets,
    has,
    require(path, ...privs) {
      if (!privs.some((p) => has(path, p)))
        throw new PveError(403, `Permission check failed (${path}, ${privs.join("|")})`);
    },
  };
}

interface CompiledRoute {
  route: Route;
  segments: string[];
}

/** Matches decoded request paths (empty segments ignored, like pve-http-server) to routes. */
export class Router {
  private compiled: CompiledRoute[];

  constructor(readonly routes: readonly Route[]) {
    this.compiled = routes.map((route) => ({
      route,
      segments: route.path.split("/").filter(Boolean),
    }));
  }

  match(
    method: string,
    segments: readonly string[],
  ): { route: Route; pathParams: Params } | undefined {
    for (const { route, segments: pattern } of this.compiled) {
      if (route.method !== method || pattern.length !== segments.length) continue;
      const pathParams: Params = {};
      let ok = true;
      for (let i = 0; i < pattern.length; i++) {
        const p = pattern[i] ?? "";
        const s = segments[i] ?? "";
        if (p.startsWith("{")) pathParams[p.slice(1, -1)] = s;
        else if (p !== s) {
          ok = false;
          break;
        }
      }
      if (ok) return { route, pathParams };
    }
    return undefined;
  }

  pathExists(segments: readonly string[]): boolean {
    return ["GET", "POST", "PUT", "DELETE"].some((m) => this.match(m, segments));
  }
}
