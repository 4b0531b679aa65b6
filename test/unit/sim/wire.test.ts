import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, fetch, FormData } from "undici";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { cli } from "../../helpers/cli.js";

let sim: PveSim;
let agent: Agent;
const auth = () => ({ Authorization: `PVEAPIToken=${sim.rootToken.id}=${sim.rootToken.secret}` });
const call = (
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) =>
  fetch(`${sim.url}${path}`, {
    ...init,
    headers: { ...auth(), ...init.headers },
    dispatcher: agent,
  });

beforeAll(async () => {
  sim = await startPveSim();
  agent = new Agent({ connect: { ca: sim.certPem } });
});
afterAll(async () => {
  await agent.close();
  await sim.close();
});

describe("pve-sim wire format", () => {
  it("answers with Proxmox's envelope, content type and headers", async () => {
    const res = await call("/api2/json/version");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect(res.headers.get("server")).toBe("pve-api-daemon/3.0");
    expect(await res.json()).toEqual({
      data: { version: "9.1.1", release: "9.1", repoid: "pve-sim" },
    });
  });

  it("puts the first line of an error in the reason phrase and the message in the body", async () => {
    const res = await call("/api2/json/nodes/pve1/qemu/4242/config");
    expect(res.status).toBe(500);
    expect(res.statusText).toBe(
      "Configuration file 'nodes/pve1/qemu-server/4242.conf' does not exist",
    );
    expect(await res.json()).toEqual({
      data: null,
      message: "Configuration file 'nodes/pve1/qemu-server/4242.conf' does not exist\n",
    });
  });

  it("rejects bad parameters with a per-key errors map", async () => {
    const res = await call("/api2/json/nodes/pve1/qemu", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "vmid=abc&cores=true&bogus=1&net0=virtio,bridge=vmbr0,speed=10",
    });
    expect(res.status).toBe(400);
    expect(res.statusText).toBe("Parameter verification failed.");
    const body = (await res.json()) as { errors: Record<string, string> };
    expect(body.errors).toMatchObject({
      vmid: "type check ('integer') failed - got 'abc'",
      cores: "type check ('integer') failed - got 'true'",
      bogus:
        "property is not defined in schema and the schema does not allow additional properties",
    });
    expect(body.errors.net0).toMatch(
      /^invalid format - format error\nspeed: property is not defined/,
    );
  });

  it("answers 501 for unknown paths and accepts trailing slashes and encoded segments", async () => {
    const unknown = await call("/api2/json/nodes/pve1/nonsense");
    expect(unknown.status).toBe(501);
    expect(unknown.statusText).toBe("Method 'GET /nodes/pve1/nonsense' not implemented");
    expect((await call("/api2/json/nodes/")).status).toBe(200);
    expect((await call("/api2/json/%6Eodes")).status).toBe(200);
  });

  it("takes JSON bodies with real booleans", async () => {
    const res = await call("/api2/json/pools", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ poolid: "json-pool", comment: "x" }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: null });
  });
});

describe("pve-sim uploads", () => {
  it("takes a multipart upload, verifies its checksum in the task and lists the volume", async () => {
    const { createHash } = await import("node:crypto");
    const bytes = Buffer.from("qcow2-image-bytes".repeat(1000));
    const form = new FormData();
    form.append("content", "import");
    form.append("checksum", createHash("sha256").update(bytes).digest("hex"));
    form.append("checksum-algorithm", "sha256");
    form.append("filename", new Blob([bytes]), "up.qcow2");
    const res = await fetch(`${sim.url}/api2/json/nodes/pve1/storage/local/upload`, {
      method: "POST",
      headers: auth(),
      body: form,
      dispatcher: agent,
    });
    const answer = (await res.json()) as { data: string };
    const upid = answer.data;
    expect(res.status, JSON.stringify(answer)).toBe(200);
    expect(upid).toMatch(/:imgcopy::root@pam!pve-kube:$/);
    await new Promise((r) => setTimeout(r, 20));
    const content = (await (
      await call("/api2/json/nodes/pve1/storage/local/content?content=import")
    ).json()) as { data: { volid: string; size: number }[] };
    expect(content.data).toContainEqual(
      expect.objectContaining({ volid: "local:import/up.qcow2", size: bytes.length }),
    );
  });
});

describe("pve-sim authentication and permissions", () => {
  it("refuses a wrong token secret and a missing one", async () => {
    const wrong = await call("/api2/json/nodes", {
      headers: {
        Authorization: `PVEAPIToken=${sim.rootToken.id}=00000000-0000-4000-8000-000000000000`,
      },
    });
    expect([wrong.status, wrong.statusText]).toEqual([401, "Authentication failed!"]);
    const none = await fetch(`${sim.url}/api2/json/nodes`, { dispatcher: agent });
    expect([none.status, none.statusText, none.headers.get("content-type")]).toEqual([
      401,
      "No ticket",
      null,
    ]);
  });

  it("checks privileges per path for a privilege-separated token", async () => {
    const token = sim.admin.createToken("ops@pve", "audit", "PVEAuditor");
    const headers = { Authorization: `PVEAPIToken=${token.id}=${token.secret}` };
    expect((await call("/api2/json/cluster/resources", { headers })).status).toBe(200);
    const res = await call("/api2/json/nodes/pve1/qemu", {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
      body: "vmid=555",
    });
    expect([res.status, res.statusText]).toEqual([
      403,
      "Permission check failed (/vms/555, VM.Allocate)",
    ]);
    const perms = (await (
      await call("/api2/json/access/permissions?path=/vms/555", { headers })
    ).json()) as { data: Record<string, Record<string, number>> };
    expect(perms.data["/vms/555"]).toMatchObject({ "VM.Audit": 1 });
    expect(perms.data["/vms/555"]?.["VM.Allocate"]).toBeUndefined();
  });

  it("issues tickets and wants the CSRF token on writes", async () => {
    const login = await fetch(`${sim.url}/api2/json/access/ticket`, {
      method: "POST",
      dispatcher: agent,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `username=root@pam&password=${sim.rootPassword}`,
    });
    const { data } = (await login.json()) as {
      data: { ticket: string; CSRFPreventionToken: string };
    };
    const cookie = `PVEAuthCookie=${encodeURIComponent(data.ticket)}`;
    expect(
      (
        await fetch(`${sim.url}/api2/json/nodes`, {
          dispatcher: agent,
          headers: { Cookie: cookie },
        })
      ).status,
    ).toBe(200);
    const noCsrf = await fetch(`${sim.url}/api2/json/pools`, {
      method: "POST",
      dispatcher: agent,
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: "poolid=t1",
    });
    expect(noCsrf.status).toBe(401);
    const withCsrf = await fetch(`${sim.url}/api2/json/pools`, {
      method: "POST",
      dispatcher: agent,
      headers: {
        Cookie: cookie,
        CSRFPreventionToken: data.CSRFPreventionToken,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: "poolid=t1",
    });
    expect(withCsrf.status).toBe(200);
    const bad = await fetch(`${sim.url}/api2/json/access/ticket`, {
      method: "POST",
      dispatcher: agent,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "username=root@pam&password=nope",
    });
    expect([bad.status, bad.statusText]).toEqual([401, "authentication failure"]);
  });
});

describe("pve-sim fault injection", () => {
  it("shows injected faults exactly as Proxmox does, from a seeded sequence", async () => {
    sim.admin.setFaults({ error596: 1 });
    const res = await call("/api2/json/nodes");
    expect([res.status, res.statusText]).toEqual([
      596,
      "Errors during TLS negotiation, request sending and header processing: Connection timed out",
    ]);
    sim.admin.setFaults({ error5xx: 1 });
    expect((await call("/api2/json/nodes")).status).toBe(500);
    sim.admin.setFaults({ offlineNodes: ["pve3"] });
    const offline = await call("/api2/json/nodes/pve3/status");
    expect([offline.status, offline.statusText]).toEqual([
      595,
      "Errors during connection establishment, proxy handshake: Connection refused",
    ]);
    const create = await call("/api2/json/nodes/pve3/qemu", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "vmid=777",
    });
    expect(create.status).toBe(595);
    expect(sim.admin.snapshot().vms.some((v) => v.vmid === 777)).toBe(false);
    const nodes = (await (await call("/api2/json/nodes")).json()) as {
      data: { node: string; status: string }[];
    };
    expect(nodes.data.find((n) => n.node === "pve3")?.status).toBe("offline");
    sim.admin.setFaults({ drop: 1 });
    await expect(call("/api2/json/nodes")).rejects.toThrow();
    sim.admin.setFaults({});
  });
});

describe("pve-kube sim", () => {
  it("prints the URL, fingerprint and token, and the admin surface answers over HTTP", async () => {
    const { runSim } = await import("../../../cli/src/commands/sim.js");
    const out: string[] = [];
    const started = await runSim(
      ["--port", "0", "--nodes", "2", "--time-scale", "0", "--faults", "5xx=0.0"],
      {
        stdout: { write: (s: string) => out.push(s) } as never,
        stderr: process.stderr,
        cwd: process.cwd(),
        env: process.env,
      },
      false,
    );
    try {
      expect(out.join("")).toContain(`TLS fingerprint (SHA-256): ${started.fingerprint}`);
      expect(out.join("")).toContain(
        `Public key pin (curl --pinnedpubkey): sha256//${started.publicKeyPin}`,
      );
      expect(out.join("")).toContain(
        `curl -sk --pinnedpubkey 'sha256//${started.publicKeyPin}' -H`,
      );
      expect(out.join("")).toContain(started.rootToken.secret);
      const requests = await fetch(`${started.url}/_sim/requests`, {
        dispatcher: new Agent({ connect: { ca: started.certPem } }),
      });
      expect(await requests.json()).toEqual([]);
    } finally {
      await started.close();
    }
    const bad = await cli(["sim", "--faults", "boom=1"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--faults: unknown fault 'boom'");
  });
});
