import type { IncomingMessage, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import type { SimCore } from "./core.js";
import type { FaultOptions } from "./faults.js";
import type { SimState, SimVm } from "./model/types.js";

/**
 * The test and operator surface outside /api2 — in-process as `sim.admin`, and over HTTP under
 * /_sim/ (no auth: it listens on loopback only).
 */
export class SimAdmin {
  constructor(
    private core: SimCore,
    private fresh: () => SimState,
  ) {}

  requestLog() {
    return [...this.core.requests];
  }

  clearRequestLog(): void {
    this.core.requests.length = 0;
  }

  /** Requests that changed something (anything but GET), optionally since an index. */
  mutatingRequests(since = 0) {
    return this.core.requests.slice(since).filter((r) => r.mutating);
  }

  /** How many tasks are still running (without copying the state, unlike snapshot()). */
  runningTaskCount(): number {
    return this.core.state.tasks.filter((task) => task.status === "running").length;
  }

  snapshot(): SimState {
    return structuredClone(this.core.state);
  }

  timeline() {
    return this.core.timeline();
  }

  /** Every storage-lock grant and timeout so far (sim/model/storage-lock.ts), oldest first. */
  storageLockHistory() {
    return [...this.core.storageLocks.history];
  }

  reset(): void {
    this.core.state = this.fresh();
    this.core.requests.length = 0;
    this.core.scriptedFaults.length = 0;
  }

  setFaults(faults: FaultOptions): void {
    this.core.faults = faults;
  }

  /**
   * The next `method` request whose path under /api2/json matches `path` fails with `status`
   * before it is carried out (like the seeded 500/596 faults), once.
   */
  failOnce(method: string, path: RegExp, status: 500 | 596 = 500): void {
    this.core.scriptedFaults.push({ method, path, status });
  }

  setTimeScale(scale: number): void {
    this.core.timeScale = scale;
  }

  /** The user with this id, created (enabled, no tokens) when it does not exist yet. */
  private userNamed(userid: string): SimState["users"][number] {
    let user = this.core.state.users.find((x) => x.userid === userid);
    if (!user) {
      user = { userid, enable: true, tokens: {} };
      this.core.state.users.push(user);
    }
    return user;
  }

  /** Creates a user (if needed) and a privilege-separated token holding `role` on `path`. */
  createToken(
    user: string,
    tokenName: string,
    role: string | string[],
    path = "/",
  ): { id: string; secret: string } {
    const state = this.core.state;
    const u = this.userNamed(user);
    const roleid = Array.isArray(role) ? `custom-${tokenName}` : role;
    if (Array.isArray(role)) state.roles[roleid] = role;
    const secret = randomUUID();
    u.tokens[tokenName] = { secret, privsep: true };
    const tokenFull = `${user}!${tokenName}`;
    state.acls.push({ path, ugid: user, type: "user", roleid, propagate: true });
    state.acls.push({ path, ugid: tokenFull, type: "token", roleid, propagate: true });
    return { id: tokenFull, secret };
  }

  /**
   * Grants a role (or a custom role made of `privileges`) to an existing user and its
   * privilege-separated token on one more path, as `pveum acl modify <path> --users … --tokens …`.
   */
  grant(tokenId: string, path: string, role: string | string[]): void {
    const [user] = tokenId.split("!");
    const roleid = Array.isArray(role) ? `custom-${tokenId.replace(/\W/g, "-")}-${path}` : role;
    if (Array.isArray(role)) this.core.state.roles[roleid] = role;
    for (const [ugid, type] of [
      [user ?? "", "user"],
      [tokenId, "token"],
    ] as const)
      this.core.state.acls.push({ path, ugid, type, roleid, propagate: true });
  }

  /** Defines a role as exactly these privileges, as `pveum role add` (or `role modify`) does. */
  ensureRole(roleid: string, privileges: readonly string[]): void {
    this.core.state.roles[roleid] = [...new Set(privileges)].sort();
  }

  /**
   * The user (created if missing) and its privilege-separated token (created if missing; an
   * existing token keeps its secret) hold `role` on exactly `paths` — as `pveum acl modify <path>
   * --users … --tokens …` for each — and nothing else: every other ACL entry of the user or the
   * token is removed (an earlier set-up's grant on `/` included). Idempotent.
   */
  ensureToken(
    user: string,
    tokenName: string,
    role: string,
    paths: readonly string[],
  ): { id: string; secret: string } {
    const state = this.core.state;
    if (!state.roles[role]) throw new Error(`role '${role}' does not exist`);
    const tokenId = `${user}!${tokenName}`;
    const token = (this.userNamed(user).tokens[tokenName] ??= {
      secret: randomUUID(),
      privsep: true,
    });
    token.privsep = true;
    state.acls = state.acls.filter(
      (a) =>
        !((a.type === "user" && a.ugid === user) || (a.type === "token" && a.ugid === tokenId)),
    );
    for (const path of [...new Set(paths)].sort()) this.grant(tokenId, path, role);
    return { id: tokenId, secret: token.secret };
  }

  /** Creates a resource pool, as `pveum pool add <poolid>` does on a host (idempotent). */
  ensurePool(poolid: string, comment?: string): void {
    if (this.core.state.pools.some((p) => p.poolid === poolid)) return;
    this.core.state.pools.push({
      poolid,
      vmids: [],
      storages: [],
      ...(comment ? { comment } : {}),
    });
  }

  /** Makes a remote file downloadable by download-url / query-url-metadata (no real network). */
  registerRemoteFile(
    url: string,
    file: { size: number; sha256: string; sha512?: string; mimetype?: string; path?: string },
  ): void {
    this.core.state.remoteFiles[url] = { mimetype: "application/octet-stream", ...file };
  }

  /** Out-of-band change, as if someone edited the VM by hand (drift). */
  mutateVm(
    vmid: number,
    changes: Partial<Pick<SimVm, "status" | "node">> & { config?: Record<string, string | null> },
  ): void {
    const vm = this.core.findVm(vmid);
    if (!vm) throw new Error(`no VM ${vmid}`);
    if (changes.status) vm.status = changes.status;
    if (changes.node) vm.node = changes.node;
    for (const [k, v] of Object.entries(changes.config ?? {})) {
      if (v === null) delete vm.config[k];
      else vm.config[k] = v;
    }
  }

  deleteVmOutOfBand(vmid: number): void {
    this.core.state.vms = this.core.state.vms.filter((v) => v.vmid !== vmid);
    this.core.state.volumes = this.core.state.volumes.filter((v) => v.vmid !== vmid);
  }

  /** HTTP form of the admin surface; returns false for paths it does not own. */
  handleHttp(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    body: Buffer,
  ): Promise<boolean> {
    return Promise.resolve(this.handleAdminRoute(req, res, path, body));
  }

  private handleAdminRoute(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    body: Buffer,
  ): boolean {
    if (!path.startsWith("/_sim/")) return false;
    const send = (status: number, data: unknown) => {
      const text = JSON.stringify(data);
      res.writeHead(status, {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(text),
      });
      res.end(text);
    };
    const input = body.length ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : {};
    const route = `${req.method ?? "GET"} ${path}`;
    const strings = (value: unknown, name: string): string[] => {
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
        throw new Error(`${name} must be a list of strings`);
      return value;
    };
    try {
      switch (route) {
        case "GET /_sim/requests":
          return (send(200, this.requestLog()), true);
        case "DELETE /_sim/requests":
          return (this.clearRequestLog(), send(200, null), true);
        case "GET /_sim/state":
          return (send(200, this.snapshot()), true);
        case "GET /_sim/running-tasks":
          return (send(200, this.runningTaskCount()), true);
        case "GET /_sim/guests":
          return (send(200, this.core.guests?.describe() ?? null), true);
        case "GET /_sim/timeline":
          return (send(200, this.timeline()), true);
        case "POST /_sim/reset":
          return (this.reset(), send(200, null), true);
        case "PUT /_sim/faults":
          return (this.setFaults(input), send(200, null), true);
        case "POST /_sim/pools":
          return (
            this.ensurePool(
              String(input.poolid),
              typeof input.comment === "string" ? input.comment : undefined,
            ),
            send(200, null),
            true
          );
        case "POST /_sim/tokens":
          return (
            send(
              200,
              this.createToken(
                String(input.user),
                String(input.token),
                input.role as string,
                (input.path as string | undefined) ?? "/",
              ),
            ),
            true
          );
        case "PUT /_sim/roles":
          return (
            this.ensureRole(String(input.roleid), strings(input.privileges, "privileges")),
            send(200, null),
            true
          );
        case "PUT /_sim/tokens":
          return (
            send(
              200,
              this.ensureToken(
                String(input.user),
                String(input.token),
                String(input.role),
                strings(input.paths, "paths"),
              ),
            ),
            true
          );
        case "POST /_sim/remote-files":
          return (
            this.registerRemoteFile(String(input.url), input as { size: number; sha256: string }),
            send(200, null),
            true
          );
        default: {
          const m = /^PATCH \/_sim\/vms\/(\d+)$/.exec(route);
          if (m) return (this.mutateVm(Number(m[1]), input), send(200, null), true);
          send(404, { error: `no admin route ${route}` });
          return true;
        }
      }
    } catch (error) {
      send(400, { error: error instanceof Error ? error.message : String(error) });
      return true;
    }
  }
}
