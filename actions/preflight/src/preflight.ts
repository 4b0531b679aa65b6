import type { LoadedConfig } from "../../lib/config/index.js";
import type { Logger } from "../../lib/logger.js";
import type { ProxmoxClient } from "../../lib/proxmox/index.js";
import { checkCapacity } from "./check-capacity.js";
import { checkConnection } from "./check-connection.js";
import {
  checkBridges,
  checkNodes,
  checkStorages,
  readInventory,
  usedNodes,
} from "./check-inventory.js";
import { checkAddresses, type AddressProbe, type NetworkCheckMode } from "./check-network.js";
import { checkPrivileges, type PrivilegeCheckOptions } from "./check-privileges.js";
import { checkRunnerTools } from "./check-runner.js";
import { checkVms } from "./check-vms.js";
import { describeError, fail, hasFailures, pass, skipped, type CheckOutcome } from "./outcome.js";

export interface PreflightOptions {
  networkChecks: NetworkCheckMode;
  probe?: AddressProbe;
  ownAddresses?: () => string[];
  /** the virt-customize command to look for (tests point it elsewhere) */
  virtCustomizeCommand?: string;
  /** the phases this deploy runs (default all) */
  phases?: readonly string[];
  /** build-template simulates the customisation (embedded demo) */
  simulateCustomize?: boolean;
  /** build-template gets a pre-built image (its image-file, resolved) */
  prebuiltImage?: string;
  /** the gates checked before connecting (environment, runner): shown first in the report */
  gates?: readonly CheckOutcome[];
  /** which token this is (write, or the read-only token of preflight/plan/drift) */
  privileges?: PrivilegeCheckOptions;
}

export interface PreflightReport {
  cluster: string;
  outcomes: CheckOutcome[];
  proxmoxVersion?: string;
  passed: boolean;
}

const LATER = [
  "token privileges",
  "nodes, storages, bridges",
  "capacity",
  "planned VMIDs and names",
  "IP addresses and VIP unused",
];

/**
 * Every check that can be made before anything changes, in order. A check that cannot run
 * (no connection) is reported as skipped with the reason; one failing check never hides the
 * others, so a person sees every problem in one run. Makes only read calls.
 */
export async function runPreflight(
  client: ProxmoxClient,
  loaded: LoadedConfig,
  logger: Logger,
  options: PreflightOptions,
): Promise<PreflightReport> {
  const { plan } = loaded;
  const outcomes: CheckOutcome[] = [
    ...(options.gates ?? []),
    pass(
      "cluster.yaml valid",
      `${loaded.file}: ${plan.vms.length} VMs (${plan.vms.filter((v) => v.role === "control-plane").length} control planes) on ${usedNodes(plan).join(", ")}`,
    ),
  ];
  const report = (extra: Partial<PreflightReport> = {}): PreflightReport => ({
    cluster: plan.cluster,
    outcomes,
    passed: !hasFailures(outcomes),
    ...extra,
  });

  const connection = await logger.group("Connection", () => checkConnection(client));
  outcomes.push(...connection.outcomes);
  if (!connection.version) {
    outcomes.push(...LATER.map((c) => skipped(c, "needs a working connection to Proxmox")));
    return report();
  }
  const proxmoxVersion = connection.version.version;

  const stage = async (title: string, fn: () => Promise<CheckOutcome[]>) => {
    try {
      outcomes.push(...(await logger.group(title, fn)));
    } catch (error) {
      const { detail, fix } = describeError(error);
      outcomes.push(fail(title, detail, fix));
    }
  };

  await stage(
    "token privileges",
    async () =>
      (await checkPrivileges(client, plan, connection.version!.major, options.privileges)).outcomes,
  );

  let inventory: Awaited<ReturnType<typeof readInventory>> | undefined;
  await stage("nodes, storages, bridges", async () => {
    inventory = await readInventory(client, usedNodes(plan));
    return [
      ...checkNodes(plan, inventory),
      ...checkStorages(plan, inventory),
      ...(await checkBridges(client, plan, inventory)),
      ...(await checkPool(client, plan.proxmox.pool)),
    ];
  });

  let existing: ReadonlySet<number> = new Set();
  await stage("planned VMIDs and names", async () => {
    const vms = await checkVms(client, plan);
    existing = vms.existing;
    return vms.outcomes;
  });

  await stage("capacity", () =>
    Promise.resolve(
      inventory
        ? checkCapacity(plan, inventory, existing)
        : [skipped("capacity", "the node inventory could not be read")],
    ),
  );
  await stage("IP addresses and VIP unused", () =>
    checkAddresses(plan, existing, options.networkChecks, options.probe, options.ownAddresses),
  );
  await stage("runner tools", () =>
    checkRunnerTools(plan, logger, {
      buildsTemplate: options.phases?.includes("build-template") ?? true,
      simulateCustomize: options.simulateCustomize ?? false,
      ...(options.prebuiltImage ? { prebuiltImage: options.prebuiltImage } : {}),
      ...(options.virtCustomizeCommand
        ? { virtCustomizeCommand: options.virtCustomizeCommand }
        : {}),
    }),
  );

  return report({ proxmoxVersion });
}

async function checkPool(client: ProxmoxClient, pool: string | undefined): Promise<CheckOutcome[]> {
  if (!pool) return [];
  const pools = (await client.api.pools.$get()) as { poolid?: string }[];
  return pools.some((p) => p.poolid === pool)
    ? [pass(`pool ${pool}`, "exists")]
    : // the provider would clone every VM and then fail to add it to the pool: stop before any change
      [
        fail(
          `pool ${pool}`,
          `resource pool '${pool}' does not exist (or the token cannot see it: Pool.Audit)`,
          `create it: \`pveum pool add ${pool}\`, or remove proxmox.pool from cluster.yaml`,
        ),
      ];
}
