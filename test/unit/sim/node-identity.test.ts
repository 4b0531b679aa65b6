import { execFile } from "node:child_process";
import { connect, type PeerCertificate } from "node:tls";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { SimHttp } from "./access-helpers.js";

let sim: PveSim;
let http: SimHttp;

beforeAll(async () => {
  sim = await startPveSim({ nodes: 2 });
  http = new SimHttp(sim);
});
afterAll(async () => {
  await http.agent.close();
  await sim.close();
});

/** The certificate the server really presents, read with a plain TLS handshake. */
function presented(): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: sim.host, port: sim.port, ca: sim.certPem, servername: "localhost" },
      () => {
        resolve(socket.getPeerCertificate());
        socket.end();
      },
    );
    socket.once("error", reject);
  });
}

describe("pve-sim identifies its nodes like pveproxy", () => {
  it("GET /nodes reports the API certificate's SHA-256 fingerprint, colon-separated upper-case hex", async () => {
    const nodes = (await http.root200("GET", "/nodes")) as {
      node: string;
      ssl_fingerprint: string;
    }[];
    const expected = (await presented()).fingerprint256;
    expect(nodes.map((n) => n.node)).toEqual(["pve1", "pve2"]);
    for (const n of nodes) {
      expect(n.ssl_fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      expect(n.ssl_fingerprint).toBe(expected);
    }
    expect(sim.fingerprint).toBe(expected);
  });
});

describe("pve-sim's public key pin", () => {
  /** curl with only the pin to trust the server: -k skips the CA check, the pin is then the only check. */
  const curl = (pin: string) =>
    promisify(execFile)("curl", [
      "-sS",
      "-k",
      "--pinnedpubkey",
      `sha256//${pin}`,
      "-H",
      `Authorization: PVEAPIToken=${sim.rootToken.id}=${sim.rootToken.secret}`,
      `${sim.url}/api2/json/version`,
    ]).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stderr: string }) => ({ code: e.code, out: e.stderr }),
    );

  // curl is in test/tools' package list: a missing curl fails this test, it never skips
  it("is accepted by curl --pinnedpubkey, and a wrong pin is refused", async () => {
    expect(sim.publicKeyPin).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const ok = await curl(sim.publicKeyPin);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ data: { release: "9.1" } });
    const wrong = await curl(Buffer.alloc(32, 7).toString("base64"));
    expect(wrong.code).toBe(90);
    expect(wrong.out).toContain("public key does not match pinned public key");
  });
});
