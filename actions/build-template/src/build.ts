import type { ClusterPlan } from "../../lib/config/index.js";
import { ConfigurationError, getErrorMessage } from "../../lib/errors.js";
import type { Logger } from "../../lib/logger.js";
import {
  clusterTags,
  destroyVm,
  expectUpid,
  isAlreadyExists,
  isVmidFree,
  joinTags,
  listVms,
  settle,
  splitTags,
  vmConfig,
  visibleVmConfig,
  waitForTask,
  waitForUnlock,
  worthAnotherLook,
  type ClusterVm,
  type ProxmoxClient,
} from "../../lib/proxmox/index.js";
import type { StepTimer } from "../../lib/state/index.js";
import {
  BUILDING_TAG,
  parseBuildMarker,
  recipeTag,
  templateDescription,
  TEMPLATE_TAG,
  type BuildMarker,
  type TemplateRecipe,
} from "../../lib/template/index.js";
import { inspectTemplates, isAbandoned, templateRange, type TemplateSlots } from "./inspect.js";

export interface BuildContext {
  client: ProxmoxClient;
  logger: Logger;
  plan: ClusterPlan;
  recipe: TemplateRecipe;
  fingerprint: string;
  /** identifies this builder in the build marker (GITHUB_RUN_ID-attempt, or host-pid) */
  runId: string;
  timer: StepTimer;
  /** a build marker older than this belongs to a dead builder */
  staleAfterMs: number;
  /** how often to look at another builder's progress */
  pollMs?: number;
  /**
   * Before the first change: everything that can fail without touching Proxmox (e.g. is
   * virt-customize installed). Called only when a build is needed.
   */
  beforeBuild?: () => Promise<void>;
  /** puts the image into Proxmox's import storage and returns its volume id */
  stageImage: () => Promise<string>;
}

export interface TemplateResult {
  vmid: number;
  node: string;
  built: boolean;
  /** templates of this cluster with other recipes, kept for the VMs that may use them */
  kept: ClusterVm[];
  waitedForOtherBuilder: boolean;
}

/**
 * Makes sure a template with this recipe exists. Same recipe present → nothing changes (only
 * reads). Otherwise a new template is built at the next free VMID of the template range; older
 * templates are never touched. Two runs at once do not build twice: the build starts by creating
 * the VM with a build marker, and creating a VMID that exists fails atomically in Proxmox — the
 * loser sees the winner's marker and waits for its template instead.
 */
export async function ensureTemplate(ctx: BuildContext): Promise<TemplateResult> {
  const { client, logger, plan, fingerprint } = ctx;
  let waited = false;
  let prepared = false;
  for (let round = 1; round <= 20; round++) {
    const slots = await ctx.timer.time(round === 1 ? "inspect" : `inspect (${round})`, () =>
      inspectTemplates(client, plan, fingerprint),
    );
    if (slots.ready) {
      logger.info(
        `template ${slots.ready.vmid} on ${slots.ready.node} already has recipe ${fingerprint.slice(0, 16)}: nothing to do`,
      );
      return {
        vmid: slots.ready.vmid,
        node: slots.ready.node,
        built: false,
        kept: slots.others,
        waitedForOtherBuilder: waited,
      };
    }
    if (slots.building) {
      if (isAbandoned(slots.building.marker, client.clock.now(), ctx.staleAfterMs)) {
        await removeAbandoned(ctx, slots.building);
      } else {
        waited = true;
        await waitForOtherBuilder(ctx, slots.building);
      }
      continue;
    }
    if (slots.creating.length > 0) {
      const first = slots.creating[0]!;
      logger.info(
        `VM ${first.vmid} in the template range is being created (another builder?): waiting until its configuration is readable`,
      );
      await ctx.timer.time("wait for other builder", () =>
        waitForUnlock(client, first.node, first.vmid, ctx.staleAfterMs, ctx.pollMs ?? 5_000),
      );
      waited = true;
      continue;
    }
    if (!prepared) {
      await ctx.beforeBuild?.();
      prepared = true;
    }
    const free = await findFreeVmid(client, plan, slots);
    if ("appeared" in free) {
      logger.info(
        `VM ${free.appeared} appeared in the template range while we looked (another builder?): looking again`,
      );
      continue;
    }
    const vmid = free.vmid;
    const marker: BuildMarker = {
      runId: ctx.runId,
      startedAt: new Date(client.clock.now()).toISOString(),
    };
    const created = await ctx.timer.time("create template VM", () =>
      createMarkedVm(ctx, vmid, marker),
    );
    if (!created) {
      logger.info(`VMID ${vmid} was taken while we looked (another builder?): looking again`);
      continue;
    }
    try {
      await buildInto(ctx, vmid);
    } catch (error) {
      throw await cleanUp(ctx, vmid, error);
    }
    return {
      vmid,
      node: plan.template.node,
      built: true,
      kept: slots.others,
      waitedForOtherBuilder: waited,
    };
  }
  throw new Error(
    "could not settle on a template VMID after 20 rounds (VMIDs keep being taken by others)",
  );
}

/** The lowest VMID of the template range that no VM uses (read-only). */
export async function nextFreeTemplateVmid(
  client: ProxmoxClient,
  plan: ClusterPlan,
  slots: Pick<TemplateSlots, "vms">,
): Promise<number> {
  const found = await findFreeVmid(client, plan, slots);
  return "vmid" in found ? found.vmid : found.appeared + 1;
}

/**
 * The lowest free VMID of the range — unless a VM appeared there since the listing (Proxmox knows
 * it, the listing did not): that may be another builder of this recipe, so the caller looks again.
 */
async function findFreeVmid(
  client: ProxmoxClient,
  plan: ClusterPlan,
  slots: Pick<TemplateSlots, "vms">,
): Promise<{ vmid: number } | { appeared: number }> {
  const { start, end } = templateRange(plan);
  const seen = new Set(slots.vms.map((vm) => vm.vmid));
  for (let vmid = start; vmid <= end; vmid++) {
    if (seen.has(vmid)) continue;
    if (await isVmidFree(client, vmid)) return { vmid };
    if (!(await listVmsQuiet(client)).has(vmid)) continue; // taken by a VM the token cannot see
    return { appeared: vmid };
  }
  throw new ConfigurationError(
    `no free VMID in the template range ${start}–${end}`,
    "remove old templates no VM uses, or move template.vmid to a free range",
  );
}

function vmParams(
  ctx: BuildContext,
  vmid: number,
  marker: BuildMarker,
): Record<string, string | number> {
  const { recipe, plan, fingerprint } = ctx;
  const storage = recipe.vm.storage;
  return {
    vmid,
    name: plan.template.name,
    tags: joinTags([
      ...clusterTags(plan.cluster),
      TEMPLATE_TAG,
      recipeTag(fingerprint),
      BUILDING_TAG,
    ]),
    description: templateDescription(recipe, fingerprint, plan.cluster, marker),
    // a pool member inherits the pool's roles: the token's scoped grant on /pool/<pool> covers
    // the template like every cluster VM (docs/security.md, least privilege)
    ...(plan.proxmox.pool ? { pool: plan.proxmox.pool } : {}),
    ostype: recipe.vm.ostype,
    machine: recipe.vm.machine === "q35" ? "q35" : "pc",
    bios: recipe.vm.bios,
    cores: recipe.vm.cores,
    memory: recipe.vm.memoryMiB,
    scsihw: recipe.vm.scsihw,
    net0: `virtio,bridge=${plan.network.bridge}`,
    serial0: "socket",
    vga: "serial0",
    agent: "enabled=1",
    ...(recipe.vm.bios === "ovmf"
      ? { efidisk0: `${storage}:1,efitype=4m,pre-enrolled-keys=0` }
      : {}),
  };
}

/**
 * Creates the VM that holds the build marker (the lock). false = the VMID was taken first by
 * someone else. A create whose answer was lost is resolved by reading the VM's marker.
 */
async function createMarkedVm(
  ctx: BuildContext,
  vmid: number,
  marker: BuildMarker,
): Promise<boolean> {
  const { client, plan } = ctx;
  const node = plan.template.node;
  const ownsIt = async () => {
    // our create carries `pool`, so a VM it made is visible to a pool-scoped token
    const config = await visibleVmConfig(client, node, vmid);
    if (!config) return undefined;
    return (
      parseBuildMarker(config.description)?.runId === ctx.runId &&
      parseBuildMarker(config.description)?.startedAt === marker.startedAt
    );
  };
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      const upid = expectUpid(
        await client.api.nodes.$(node).qemu.$post(vmParams(ctx, vmid, marker) as never),
        `create VM ${vmid}`,
      );
      await waitForTask(client, upid);
      return true;
    } catch (error) {
      if (isAlreadyExists(error)) return false;
      if (!worthAnotherLook(error) || attempt === 4) {
        // a failed create task leaves nothing behind in Proxmox; make sure of it
        if ((await ownsIt().catch(() => undefined)) === true)
          await destroyVm(client, node, vmid).catch(() => undefined);
        throw error;
      }
      const mine = await ownsIt();
      if (mine === true) {
        await waitForUnlock(client, node, vmid);
        return true;
      }
      if (mine === false) return false;
      ctx.logger.info(
        `creating VM ${vmid}: ${getErrorMessage(error).split("\n")[0]}; it does not exist, trying again`,
      );
      await client.clock.sleep(
        Math.floor(client.retry.random() * client.retry.baseDelayMs * 2 ** attempt),
      );
    }
  }
  return false;
}

/**
 * Import the disk, add cloud-init, convert to a template, then drop the build marker. The marker
 * stays until the VM is a template, so a VM with this recipe that is not a template always names
 * its builder (and its age).
 */
async function buildInto(ctx: BuildContext, vmid: number): Promise<void> {
  const { client, recipe, plan, fingerprint, timer } = ctx;
  const node = plan.template.node;
  const vm = client.api.nodes.$(node).qemu.$(vmid);
  const config = () => vmConfig(client, node, vmid).then((c) => c ?? {});

  const volid = await timer.time("stage image", () => ctx.stageImage());
  await timer.time("import disk", () =>
    settle(client, {
      what: `import ${volid} into VM ${vmid}`,
      isDone: async () => {
        const c = await config();
        return typeof c.scsi0 === "string" && typeof c.ide2 === "string" && !c.lock;
      },
      send: () =>
        vm.config.$post({
          scsi0: `${recipe.vm.storage}:0,import-from=${volid}`,
          ide2: `${recipe.vm.storage}:cloudinit`,
          boot: "order=scsi0",
        }),
    }),
  );
  await timer.time("convert to template", () =>
    settle(client, {
      what: `convert VM ${vmid} to a template`,
      isDone: async () => Number((await config()).template ?? 0) === 1,
      send: () => vm.template.$post(),
    }),
  );
  // the template is complete; a failure to tidy its tags and notes is worth a warning only
  try {
    await timer.time("finish metadata", () =>
      settle(client, {
        what: `finish the metadata of VM ${vmid}`,
        isDone: async () => !splitTags((await config()).tags).includes(BUILDING_TAG),
        send: () =>
          vm.config.$put({
            tags: joinTags([...clusterTags(plan.cluster), TEMPLATE_TAG, recipeTag(fingerprint)]),
            description: templateDescription(recipe, fingerprint, plan.cluster),
          }),
      }),
    );
  } catch (error) {
    ctx.logger.warning(
      `template ${vmid} is ready, but removing its build marker failed: ${getErrorMessage(error).split("\n")[0]}`,
    );
  }
}

/**
 * A failed build removes its own VM (proven by its marker), so no half-built template is left.
 * Returns the error to throw: the original one, extended when the cleanup failed too.
 */
async function cleanUp(ctx: BuildContext, vmid: number, cause: unknown): Promise<Error> {
  const { client, logger, plan } = ctx;
  const node = plan.template.node;
  const original = cause instanceof Error ? cause : new Error(getErrorMessage(cause));
  logger.error(
    `building template ${vmid} failed: ${original.message.split("\n")[0]}; removing the half-built VM`,
  );
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const config = await vmConfig(client, node, vmid);
      if (!config) return original;
      if (
        parseBuildMarker(config.description)?.runId !== ctx.runId ||
        Number(config.template ?? 0) === 1
      ) {
        logger.warning(`VM ${vmid} is no longer this build's half-built VM; leaving it alone`);
        return original;
      }
      await waitForUnlock(client, node, vmid, 10 * 60_000).catch(() => undefined);
      await destroyVm(client, node, vmid);
      logger.info(`removed the half-built VM ${vmid}`);
      return original;
    } catch (error) {
      if (attempt === 5 || !worthAnotherLook(error)) {
        original.message += `\nThe half-built VM ${vmid} on ${node} could not be removed (${getErrorMessage(error).split("\n")[0]}): remove it with \`qm destroy ${vmid} --purge\`; the next build-template run also removes it once its build marker is older than ${Math.round(ctx.staleAfterMs / 60_000)} minutes.`;
        return original;
      }
      await client.clock.sleep(
        Math.floor(client.retry.random() * client.retry.baseDelayMs * 2 ** attempt),
      );
    }
  }
  return original;
}

async function removeAbandoned(
  ctx: BuildContext,
  vm: NonNullable<TemplateSlots["building"]>,
): Promise<void> {
  // look once more right before acting: only a VM that is still the same unfinished build goes
  const config = await vmConfig(ctx.client, vm.node, vm.vmid);
  const marker = parseBuildMarker(config?.description);
  if (
    !config ||
    Number(config.template ?? 0) === 1 ||
    marker?.runId !== vm.marker?.runId ||
    marker?.startedAt !== vm.marker?.startedAt
  )
    return;
  ctx.logger.warning(
    `VM ${vm.vmid} on ${vm.node} is an unfinished template build with this recipe${vm.marker ? ` (run ${vm.marker.runId}, started ${vm.marker.startedAt})` : " without a build marker"}, older than the build lock timeout: removing it`,
  );
  await ctx.timer.time("remove abandoned build", () => destroyVm(ctx.client, vm.node, vm.vmid));
}

/** Another run is building this very recipe: wait for its template (or for it to give up). */
async function waitForOtherBuilder(
  ctx: BuildContext,
  vm: NonNullable<TemplateSlots["building"]>,
): Promise<void> {
  const { client, logger } = ctx;
  logger.info(
    `another run (${vm.marker?.runId ?? "?"}) is building this recipe as VM ${vm.vmid}: waiting for it instead of building twice`,
  );
  await ctx.timer.time("wait for other builder", async () => {
    for (;;) {
      const config = await vmConfig(client, vm.node, vm.vmid);
      if (
        !config ||
        Number(config.template ?? 0) === 1 ||
        !splitTags(config.tags).includes(recipeTag(ctx.fingerprint))
      )
        return;
      if (isAbandoned(parseBuildMarker(config.description), client.clock.now(), ctx.staleAfterMs))
        return;
      await client.clock.sleep(ctx.pollMs ?? 5_000);
    }
  });
}

/** VMIDs the token can see now. */
async function listVmsQuiet(client: ProxmoxClient): Promise<Set<number>> {
  return new Set((await listVms(client)).map((vm) => vm.vmid));
}
