import { Agent, fetch } from "undici";
import { afterAll, beforeAll } from "vitest";
import { startPveSim, type PveSim } from "../../../sim/index.js";

export interface Answer {
  status: number;
  statusText: string;
  data: unknown;
  /** the per-parameter `errors` of a 400 */
  errors?: Record<string, string>;
}

export interface Caller {
  /** `PVEAPIToken=…` header value */
  auth: string;
  id: string;
}

/** Talks to pve-sim over real HTTPS, trusting exactly its certificate. */
export class SimHttp {
  readonly agent: Agent;
  readonly root: Caller;
  private serial = 0;

  constructor(readonly sim: PveSim) {
    this.agent = new Agent({ connect: { ca: sim.certPem } });
    this.root = {
      id: sim.rootToken.id,
      auth: `PVEAPIToken=${sim.rootToken.id}=${sim.rootToken.secret}`,
    };
  }

  async call(
    who: Caller,
    method: string,
    path: string,
    params: Record<string, string> = {},
  ): Promise<Answer> {
    const query = new URLSearchParams(params).toString();
    const body = method === "GET" || method === "DELETE" ? undefined : query;
    const url = `${this.sim.url}/api2/json${path}${body === undefined && query ? `?${query}` : ""}`;
    const res = await fetch(url, {
      method,
      headers: {
        Authorization: who.auth,
        ...(body !== undefined ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(body !== undefined ? { body } : {}),
      dispatcher: this.agent,
    });
    const text = await res.text();
    const json = text
      ? (JSON.parse(text) as { data?: unknown; errors?: Record<string, string> })
      : {};
    return {
      status: res.status,
      statusText: res.statusText,
      data: json.data,
      ...(json.errors ? { errors: json.errors } : {}),
    };
  }

  /** As root; throws unless 200. */
  async root200(
    method: string,
    path: string,
    params: Record<string, string> = {},
  ): Promise<unknown> {
    const answer = await this.call(this.root, method, path, params);
    if (answer.status !== 200)
      throw new Error(`${method} ${path} → ${answer.status} ${answer.statusText}`);
    return answer.data;
  }

  async waitTask(upid: string): Promise<string> {
    const node = upid.split(":")[1] ?? "";
    for (let i = 0; i < 2000; i++) {
      const s = (await this.root200(
        "GET",
        `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`,
      )) as { status: string; exitstatus?: string };
      if (s.status === "stopped") return s.exitstatus ?? "";
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`task ${upid} did not stop`);
  }

  /**
   * A new user `<name>@pve` with a privilege-separated token; both get exactly `grants` (a custom
   * role per path, propagate=0 unless asked), through the same API calls `pveum` makes.
   */
  async identity(
    name: string,
    grants: { path: string; privs: string[]; propagate?: boolean }[],
    options: { groups?: string[] } = {},
  ): Promise<Caller> {
    const userid = `${name}@pve`;
    await this.root200("POST", "/access/users", {
      userid,
      ...(options.groups?.length ? { groups: options.groups.join(",") } : {}),
    });
    const token = (await this.root200("POST", `/access/users/${userid}/token/tk`, {
      privsep: "1",
    })) as { value: string };
    for (const grant of grants) {
      const roleid = `r${++this.serial}`;
      await this.root200("POST", "/access/roles", { roleid, privs: grant.privs.join(",") });
      await this.root200("PUT", "/access/acl", {
        path: grant.path,
        roles: roleid,
        users: userid,
        tokens: `${userid}!tk`,
        propagate: grant.propagate ? "1" : "0",
      });
    }
    return { id: `${userid}!tk`, auth: `PVEAPIToken=${userid}!tk=${token.value}` };
  }

  /** Privileges of `userid` (a user or token id) on `path`, as root reads them. */
  async privileges(userid: string, path: string): Promise<string[]> {
    const data = (await this.root200("GET", "/access/permissions", { path, userid })) as Record<
      string,
      Record<string, number>
    >;
    return Object.keys(data[path] ?? {}).sort();
  }
}

/**
 * A pve-sim and an HTTP client to it for the enclosing test file or describe block: started in
 * beforeAll, closed in afterAll. Read `.sim` and `.http` inside tests and hooks, not at import time.
 */
export function useSimHttp(): { sim: PveSim; http: SimHttp } {
  const ctx = {} as { sim: PveSim; http: SimHttp };
  beforeAll(async () => {
    ctx.sim = await startPveSim();
    ctx.http = new SimHttp(ctx.sim);
  });
  afterAll(async () => {
    await ctx.http.agent.close();
    await ctx.sim.close();
  });
  return ctx;
}
