import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadClusterConfig } from "../../../actions/lib/config/index.js";
import {
  lbPoolObjects,
  lbPoolSettings,
  METALLB_NAMESPACE,
} from "../../../actions/lib/services/lb-pool.js";
import type { K8sObject } from "../../../actions/lib/services/objects.js";
import { requireChart, requireCrds } from "../../../testkit/helm-tools.js";
import { repoPath } from "../../helpers/repo.js";
import { startControlPlane, type ControlPlane } from "../cilium/control-plane.js";
import {
  crdFiles,
  dryRunServer,
  ensureNamespace,
  helmTemplate,
  installCrds,
  parseObjects,
} from "./validate.js";

// The LB pool objects deploy-services renders from network.loadBalancerRange, validated by a real
// API server against the real CRDs: Cilium's from the pinned cilium module (the operator
// registers them at run time), MetalLB's from the crds subchart of the pinned MetalLB chart.

let cp: ControlPlane;
let home: string;
beforeAll(async () => {
  cp = await startControlPlane();
  home = await mkdtemp(path.join(os.tmpdir(), "pve-kube-lbpool-"));
  const cilium: K8sObject[] = [];
  for (const file of crdFiles(requireCrds("cilium")))
    cilium.push(...parseObjects(await readFile(file, "utf8")));
  const valuesFile = path.join(home, "values.json");
  await writeFile(valuesFile, "{}");
  const metallb = await helmTemplate({
    release: "metallb",
    namespace: METALLB_NAMESPACE,
    chart: requireChart("metallb"),
    valuesFile,
    kubeVersion: "1.36.3",
    showOnly: "charts/crds/templates/crds.yaml",
    home,
  });
  await installCrds(
    cp,
    [...cilium, ...metallb].filter((o) => o.kind === "CustomResourceDefinition"),
  );
  await ensureNamespace(cp, METALLB_NAMESPACE);
}, 240_000);
afterAll(async () => {
  await cp?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

async function poolOf(example: string) {
  const { config, plan } = await loadClusterConfig(
    repoPath("workflows-examples", "clusters", example, "cluster.yaml"),
  );
  const settings = lbPoolSettings(config, plan);
  if (!settings) throw new Error(`${example} has no LB pool`);
  return lbPoolObjects(settings);
}

describe("LB pool objects against their real CRDs (kubectl apply --dry-run=server --validate=strict)", () => {
  it.each([
    ["ha", "cilium-lb-ipam", ["CiliumLoadBalancerIPPool", "CiliumL2AnnouncementPolicy"]],
    ["single-node", "cilium-lb-ipam", ["CiliumLoadBalancerIPPool", "CiliumL2AnnouncementPolicy"]],
    ["multi-node", "metallb", ["IPAddressPool", "L2Advertisement"]],
  ])("%s (%s): %j are accepted", async (example, _provider, kinds) => {
    const objects = await poolOf(example);
    expect(objects.map((o) => o.kind)).toEqual(kinds);
    const result = await dryRunServer(cp, objects);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    for (const o of objects)
      expect(result.stdout).toContain(`${o.metadata.name} serverside-applied (server dry run)`);
  });

  it("the API server does check them: a misspelt field and an address that is not one are refused", async () => {
    const [pool] = await poolOf("ha");
    const misspelt = {
      ...pool!,
      spec: { blockz: [{ start: "10.0.20.200", stop: "10.0.20.220" }] },
    };
    const refused = await dryRunServer(cp, [misspelt]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/unknown field "(spec\.)?blockz"/);

    const [metallbPool] = await poolOf("multi-node");
    const wrongType = { ...metallbPool!, spec: { addresses: "10.30.0.200-10.30.0.220" } };
    const refusedToo = await dryRunServer(cp, [wrongType]);
    expect(refusedToo.code).not.toBe(0);
    expect(refusedToo.stderr).toMatch(
      /IPAddressPool.spec.addresses.*got "string", expected "array"/,
    );
    // and without kubectl's check, the API server itself refuses it by the CRD's schema
    const byServer = await dryRunServer(cp, [wrongType], { validate: "server-only" });
    expect(byServer.code).not.toBe(0);
    expect(byServer.stderr).toMatch(
      /^Error from server: .*IPAddressPool\): \.spec\.addresses: expected list/,
    );
  });
});
