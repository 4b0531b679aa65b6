import { rm } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { authenticate, type TicketAuthority } from "../access/auth.js";
import { enforcePermissions } from "../access/checks.js";
import { makeContext, type Router } from "../api/route.js";
import { validateParams, type Params } from "../api/validate.js";
import type { SimCore } from "../core.js";
import { parseBodyParams, readBody } from "./body.js";
import { parseMultipart } from "./multipart.js";
import { receiveUpload, type StreamedUpload } from "./upload-stream.js";
import { PveError } from "./pve-error.js";
import { sendData, sendError, WithExtra } from "./respond.js";

export interface ApiHandlerDeps {
  core: SimCore;
  router: Router;
  tickets: TicketAuthority;
  /** handles /_sim/... (outside /api2); returns false when the path is not an admin path */
  admin(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): Promise<boolean>;
}

/** The request pipeline of pveproxy/pvedaemon: decode, authenticate, route, validate, answer. */
export async function handleRequest(
  deps: ApiHandlerDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = Date.now();
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", "http://pve-sim");
  let status = 200;
  let tokenId: string | undefined;
  const contentType = req.headers["content-type"] ?? "";
  const multipart = contentType.toLowerCase().startsWith("multipart/form-data");
  // with files kept on disk (guests), an upload streams to a file after authentication, as
  // pveproxy does: a disk image of gigabytes never sits in memory
  const streamUpload =
    deps.core.filesDir !== undefined &&
    method === "POST" &&
    multipart &&
    /^\/api2\/(json|extjs)\/nodes\/[^/]+\/storage\/[^/]+\/upload$/.test(url.pathname);
  let streamed: StreamedUpload | undefined;
  const log = () => {
    if (url.pathname.startsWith("/api2/")) {
      deps.core.requests.push({
        method,
        path: url.pathname + url.search,
        status,
        mutating: method !== "GET",
        ...(tokenId ? { tokenId } : {}),
        at: started,
        ms: Date.now() - started,
      });
    }
  };
  try {
    const body = streamUpload ? Buffer.alloc(0) : await readBody(req);
    if (await deps.admin(req, res, url.pathname, body)) return;
    const decoded = safeDecode(url.pathname);
    // split before decoding: a volume id in the path keeps its escaped slash (%2F), as clients
    // like the bpg provider send `content/local-lvm:base-9000-disk-0%2Fvm-100-disk-0`
    const segments = url.pathname.split("/").filter(Boolean).map(safeDecode);
    if (segments[0] !== "api2" || (segments[1] !== "json" && segments[1] !== "extjs")) {
      throw new PveError(501, `Method '${method} ${decoded}' not implemented`);
    }
    const rel = segments.slice(2);
    takeScriptedFault(deps.core, method, `/${rel.join("/")}`);
    await applyFaults(deps.core, req, res);
    if (res.destroyed) return;
    const match = deps.router.match(method, rel);
    if (!match) {
      throw new PveError(501, `Method '${method} /${rel.join("/")}' not implemented`);
    }
    if ((method === "GET" || method === "DELETE") && body.length > 0)
      throw new PveError(501, `Unexpected content for method '${method}'`);
    const isPublic = "user" in match.route.permissions && match.route.permissions.user === "world";
    const who = isPublic
      ? { userid: "" }
      : authenticate(deps.core.state, deps.tickets, req.headers, method);
    tokenId = who.tokenid;
    if (who.tokenid && match.route.noToken)
      throw new PveError(
        403,
        `URI '/${rel.join("/")}' not available with API token, need proper ticket.`,
      );
    if (streamUpload && deps.core.filesDir)
      streamed = await receiveUpload(req, join(deps.core.filesDir, "tmp"));
    const params = mergeParams(
      Object.fromEntries(url.searchParams),
      streamed ? streamed.fields : parseBodyParams(body, req.headers["content-type"]),
      match.pathParams,
    );
    validateParams(match.route.params, params);
    // calls for a node go through pveproxy to that node: an offline node answers 595 before anything runs
    if (
      params.node &&
      match.route.path.startsWith("/nodes/{node}") &&
      deps.core.isOffline(params.node)
    ) {
      throw new PveError(
        595,
        "Errors during connection establishment, proxy handshake: Connection refused",
        undefined,
        true,
      );
    }
    // pvedaemon runs the method's permission test after parameter verification, before the code
    if (!isPublic) enforcePermissions(deps.core.state, who, match.route.permissions, params);
    const ctx = makeContext(deps.core, who, params, deps.tickets);
    if (multipart) {
      const upload = streamed ? streamed.file : parseMultipart(body, contentType).file;
      if (upload) ctx.upload = upload;
    }
    const data: unknown = await match.route.handler(ctx);
    if (data instanceof WithExtra) sendData(res, data.data, data.extra);
    else sendData(res, data);
  } catch (error) {
    // a refused upload leaves no file behind (an accepted one belongs to its task now)
    if (streamed?.file) await rm(streamed.file.path, { force: true });
    const pve =
      error instanceof PveError
        ? error
        : new PveError(500, error instanceof Error ? error.message : String(error));
    status = pve.status;
    if (!res.headersSent && !res.destroyed) sendError(res, pve);
  } finally {
    log();
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Query and body are merged (query wins); path parameters must not conflict. */
function mergeParams(query: Params, body: Params, pathParams: Params): Params {
  const merged: Params = { ...body, ...query };
  for (const [k, v] of Object.entries(pathParams)) {
    if (merged[k] !== undefined && merged[k] !== v)
      throw new PveError(
        400,
        "duplicate parameter (already defined in URI) with conflicting values!",
      );
    merged[k] = v;
  }
  return merged;
}

/** A scripted fault (core.scriptedFaults) the request matches is thrown once, before any work. */
function takeScriptedFault(core: SimCore, method: string, apiPath: string): void {
  const index = core.scriptedFaults.findIndex(
    (fault) => fault.method === method && fault.path.test(apiPath),
  );
  if (index < 0) return;
  const [fault] = core.scriptedFaults.splice(index, 1);
  throw fault?.status === 596 ? proxyTimeout() : clusterLockTimeout();
}

/** pveproxy gave up on pvedaemon: the request was not carried out */
const proxyTimeout = () =>
  new PveError(
    596,
    "Errors during TLS negotiation, request sending and header processing: Connection timed out",
    undefined,
    true,
  );

/** pmxcfs's cluster-wide lock timed out: the request was not carried out */
const clusterLockTimeout = () =>
  new PveError(
    500,
    "error during cfs-locked 'file-replication_cfg' operation: got lock request timeout",
  );

async function applyFaults(
  core: SimCore,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const f = core.faults;
  if (f.scope === "writes" && req.method === "GET") return;
  if (f.latencyMs) await new Promise((r) => setTimeout(r, core.scaled(f.latencyMs ?? 0) || 0));
  if (f.drop && core.random() < f.drop) {
    req.socket.destroy();
    res.destroy();
    return;
  }
  if (f.error596 && core.random() < f.error596) throw proxyTimeout();
  if (f.error5xx && core.random() < f.error5xx) throw clusterLockTimeout();
}
