import { connect, type PeerCertificate } from "node:tls";
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
    const socket = connect({ host: sim.host, port: sim.port, ca: sim.certPem, servername: "localhost" }, () => {
      resolve(socket.getPeerCertificate());
      socket.end();
    });
    socket.once("error", reject);
  });
}

describe("pve-sim identifies its nodes like pveproxy", () => {
  it("GET /nodes reports the API certificate's SHA-256 fingerprint, colon-separated upper-case hex", async () => {
    const nodes = (await http.root200("GET", "/nodes")) as { node: string; ssl_fingerprint: string }[];
    const expected = (await presented()).fingerprint256;
    expect(nodes.map((n) => n.node)).toEqual(["pve1", "pve2"]);
    for (const n of nodes) {
      expect(n.ssl_fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      expect(n.ssl_fingerprint).toBe(expected);
    }
    expect(sim.fingerprint).toBe(expected);
  });
});
