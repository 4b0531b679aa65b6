import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PermCheck, RoutePermissions } from "../../../sim/access/checks.js";
import type { Route } from "../../../sim/api/route.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { allRoutes } from "../../../sim/routes/index.js";
import { loadOfficialSchema } from "../../helpers/pve-schema.js";
import { SimHttp } from "./access-helpers.js";

const official = loadOfficialSchema();

/** The official `permissions` of a method, turned into pve-sim's PermCheck form (test time only). */
function fromSchema(permissions: unknown): RoutePermissions | undefined {
  const p = permissions as { user?: string; check?: unknown[] } | undefined;
  if (p?.check) return { check: convert(p.check) };
  if (p?.user === "world" || p?.user === "all") return { user: p.user };
  return undefined;
}

function convert(raw: unknown[]): PermCheck {
  const [test, ...rest] = raw as [string, ...unknown[]];
  const options = (from: number) => {
    const out: Record<string, unknown> = {};
    for (let i = from; i + 1 < rest.length; i += 2) out[String(rest[i])] = rest[i + 1];
    return out;
  };
  switch (test) {
    case "and":
    case "or":
      return { test, checks: rest.map((c) => convert(c as unknown[])) };
    case "perm": {
      const o = options(2);
      return {
        test,
        path: String(rest[0]),
        privs: rest[1] as string[],
        ...(o.any ? { any: true } : {}),
        ...(o.require_param ? { requireParam: o.require_param as string } : {}),
      };
    }
    case "userid-param":
      return { test, sub: rest[0] as "self" | "Realm.AllocateUser" };
    case "userid-group": {
      const o = options(1);
      return {
        test,
        privs: rest[0] as string[],
        ...(o.groups_param ? { groupsParam: o.groups_param as "create" | "update" } : {}),
      };
    }
    case "perm-modify":
      return { test, path: String(rest[0]) };
    default:
      throw new Error(`unknown permission test '${test}' in the official schema`);
  }
}

/** One privilege on one ACL path template (`/storage/{storage}`). */
type Atom = { path: string; priv: string };

/**
 * The ways to satisfy a check built from perm/and/or, each a minimal set of privileges;
 * undefined when the check uses another test (those are covered by dedicated tests below).
 */
function clauses(c: PermCheck, params: Record<string, string>): Atom[][] | undefined {
  switch (c.test) {
    case "perm":
      if (c.requireParam && params[c.requireParam] === undefined) return [];
      return c.any
        ? c.privs.map((priv) => [{ path: c.path, priv }])
        : [c.privs.map((priv) => ({ path: c.path, priv }))];
    case "or": {
      const parts = c.checks.map((x) => clauses(x, params));
      return parts.some((x) => x === undefined) ? undefined : parts.flatMap((x) => x ?? []);
    }
    case "and": {
      let product: Atom[][] = [[]];
      for (const sub of c.checks) {
        const alternatives = clauses(sub, params);
        if (alternatives === undefined) return undefined;
        product = product.flatMap((left) => alternatives.map((right) => [...left, ...right]));
      }
      return product;
    }
    default:
      return undefined;
  }
}

const satisfies = (held: Atom[], ways: Atom[][]) =>
  ways.some((way) => way.every((a) => held.some((h) => h.path === a.path && h.priv === a.priv)));

const URL_OK = "https://images.example/x.iso";
/** A value for every path or required parameter a served route has, naming the fixture's objects. */
const SAMPLES: Record<string, string> = {
  node: "pve1",
  vmid: "100",
  storage: "local",
  volume: "local-lvm:vm-100-disk-0",
  poolid: "p1",
  sid: "vm:100",
  userid: "other@pve",
  tokenid: "tk",
  groupid: "g1",
  newid: "300",
  url: URL_OK,
  content: "iso",
  filename: "x.iso",
  disk: "scsi0",
  size: "+1G",
  target: "pve2",
  roles: "PVEAuditor",
  path: "/vms/100",
  roleid: "rnew",
};

function requestFor(route: Route, upid: string): { path: string; params: Record<string, string> } {
  const values: Record<string, string> = { ...SAMPLES, upid };
  const path = route.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    encodeURIComponent(values[name] ?? ""),
  );
  const params: Record<string, string> = {};
  for (const [name, spec] of Object.entries(route.params)) {
    if (spec.optional || route.path.includes(`{${name}}`)) continue;
    const value = values[name];
    if (value === undefined)
      throw new Error(
        `no sample value for required parameter '${name}' of ${route.method} ${route.path}`,
      );
    params[name] = value;
  }
  return { path, params };
}

describe("pve-sim permission checks agree with the official schema", () => {
  it.each(allRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    "%s declares the official permission test",
    (_name, route) => {
      const theirs = fromSchema(official.get(route.path)?.[route.method]?.permissions);
      expect(theirs, "the official schema states no permissions for this method").toBeDefined();
      expect(route.permissions).toEqual(theirs);
    },
  );

  describe("and enforces it over HTTP: every minimal grant passes, every grant missing one privilege gets 403", () => {
    let sim: PveSim;
    let http: SimHttp;
    let n = 0;
    beforeAll(async () => {
      sim = await startPveSim();
      http = new SimHttp(sim);
    });
    afterAll(async () => {
      await http.agent.close();
      await sim.close();
    });

    /** A fresh cluster with the objects the sample parameters name; returns a task UPID. */
    async function fixture(): Promise<string> {
      sim.admin.reset();
      sim.admin.registerRemoteFile(URL_OK, { size: 1024, sha256: "a".repeat(64) });
      const upid = (await http.root200("POST", "/nodes/pve1/qemu", {
        vmid: "100",
        scsi0: "local-lvm:1",
        agent: "1",
      })) as string;
      await http.waitTask(upid);
      await http.root200("POST", "/pools", { poolid: "p1" });
      await http.root200("POST", "/access/groups", { groupid: "g1" });
      await http.root200("POST", "/access/users", { userid: "other@pve", groups: "g1" });
      await http.root200("POST", "/access/users/other@pve/token/tk", {});
      return upid;
    }

    const checked = allRoutes.filter(
      (r) => "check" in r.permissions && clauses(r.permissions.check, SAMPLES) !== undefined,
    );

    it("covers the routes whose test is made of perm/and/or", () => {
      expect(checked.length).toBeGreaterThan(25);
    });

    it.each(checked.map((r) => [`${r.method} ${r.path}`, r] as const))(
      "%s",
      async (_name, route) => {
        const upid = await fixture();
        const { path, params } = requestFor(route, upid);
        const values = { ...SAMPLES, ...params };
        const ways = clauses((route.permissions as { check: PermCheck }).check, values) ?? [];
        const concrete = (atoms: Atom[]) =>
          atoms.map((a) => ({
            path: a.path.replace(/\{([^}]+)\}/g, (_m, k: string) => values[k] ?? ""),
            privs: [a.priv],
          }));
        const problems: string[] = [];

        const nobody = await http.identity(`nobody${++n}`, []);
        const bare = await http.call(nobody, route.method, path, params);
        if (bare.status !== 403)
          problems.push(`without privileges: ${bare.status} ${bare.statusText}`);

        for (const way of ways) {
          const label = way.map((a) => `${a.priv}@${a.path}`).join(" + ");
          const allowed = await http.identity(`ok${++n}`, concrete(way));
          const answer = await http.call(allowed, route.method, path, params);
          if (answer.status === 403) problems.push(`${label}: refused (${answer.statusText})`);
          for (const missing of way) {
            const fewer = way.filter((a) => a !== missing);
            if (satisfies(fewer, ways)) continue;
            const denied = await http.identity(`no${++n}`, concrete(fewer));
            const refused = await http.call(denied, route.method, path, params);
            if (refused.status !== 403)
              problems.push(
                `${label} without ${missing.priv}: ${refused.status} ${refused.statusText}`,
              );
          }
        }
        expect(problems).toEqual([]);
      },
    );
  });
});
