import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  BUILDING_TAG,
  TEMPLATE_RANGE_SIZE,
  TEMPLATE_TAG,
  assertVirtCustomize,
  parseBuildMarker,
  recipeFingerprint,
  recipeTag,
  templateDescription,
  templateRecipe,
  virtCustomizeArgs
} from "./chunk-OYR6Y53Q.mjs";
import {
  clusterTags,
  connectionForCluster,
  connectionInputsOf,
  createProxmoxClient,
  destroyVm,
  expectUpid,
  isAlreadyExists,
  isOwnedBy,
  isVmidFree,
  joinTags,
  listVms,
  settle,
  splitTags,
  visibleVmConfig,
  vmConfig,
  waitForTask,
  waitForUnlock,
  worthAnotherLook
} from "./chunk-EOWCMVVJ.mjs";
import "./chunk-AOOLGRGL.mjs";
import {
  require_undici
} from "./chunk-N6HR45QX.mjs";
import {
  formatDuration,
  table
} from "./chunk-47EJWNSM.mjs";
import {
  runTool
} from "./chunk-XERDAEEQ.mjs";
import {
  StepTimer,
  actionDeps,
  appendJobSummary,
  booleanInput,
  finishPhase,
  inputFromEnv,
  integerInput,
  proxmoxConnectionInputs,
  readInputs,
  stateMac,
  verifyStateMac
} from "./chunk-ILTBTALZ.mjs";
import {
  external_exports,
  loadClusterConfig
} from "./chunk-OXUWTRXE.mjs";
import "./chunk-4BVVZQQR.mjs";
import {
  ConfigurationError,
  getErrorMessage
} from "./chunk-SAJHUJQG.mjs";
import "./chunk-4EMYZHSE.mjs";
import {
  __name,
  __toESM
} from "./chunk-UUUODAAY.mjs";

// actions/build-template/src/build-template-action.ts
import { randomUUID } from "node:crypto";
import os from "node:os";
import path3 from "node:path";

// actions/build-template/src/inspect.ts
function templateRange(plan) {
  return { start: plan.template.vmid, end: plan.template.vmid + TEMPLATE_RANGE_SIZE - 1 };
}
__name(templateRange, "templateRange");
async function inspectTemplates(client, plan, fingerprint) {
  const vms = await listVms(client);
  const { start, end } = templateRange(plan);
  const ours = vms.filter(
    (vm) => vm.vmid >= start && vm.vmid <= end && vm.tags.includes(TEMPLATE_TAG) && isOwnedBy(vm, plan.cluster)
  );
  const tag = recipeTag(fingerprint);
  const withRecipe = ours.filter((vm) => vm.tags.includes(tag));
  const ready = withRecipe.find((vm) => vm.template);
  const pending = withRecipe.find((vm) => !vm.template);
  let building;
  if (!ready && pending) {
    const config = await vmConfig(client, pending.node, pending.vmid);
    const marker = parseBuildMarker(config?.description);
    building = config ? { ...pending, ...marker ? { marker } : {} } : void 0;
  }
  return {
    ...ready ? { ready } : {},
    ...building ? { building } : {},
    creating: vms.filter((vm) => vm.vmid >= start && vm.vmid <= end && vm.lock === "create"),
    others: ours.filter((vm) => !vm.tags.includes(tag) && vm.template),
    vms
  };
}
__name(inspectTemplates, "inspectTemplates");
function isAbandoned(marker, now, staleAfterMs) {
  if (!marker) return true;
  const started = Date.parse(marker.startedAt);
  return !Number.isFinite(started) || now - started > staleAfterMs;
}
__name(isAbandoned, "isAbandoned");
async function templateUsers(client, plan, templates) {
  const users = new Map(templates.map((t) => [t.vmid, []]));
  if (templates.length === 0) return users;
  const clones = (await listVms(client)).filter(
    (vm) => !vm.template && isOwnedBy(vm, plan.cluster)
  );
  for (const vm of clones) {
    const config = await vmConfig(client, vm.node, vm.vmid);
    const disks = Object.entries(config ?? {}).filter(
      ([key, value]) => /^(scsi|virtio|sata|ide|efidisk|tpmstate)\d+$/.test(key) && typeof value === "string"
    ).map(([, value]) => String(value));
    for (const t of templates) {
      if (disks.some((d) => d.includes(`base-${t.vmid}-disk-`))) users.get(t.vmid)?.push(vm.vmid);
    }
  }
  return users;
}
__name(templateUsers, "templateUsers");

// actions/build-template/src/build.ts
async function ensureTemplate(ctx) {
  const { client, logger, plan, fingerprint } = ctx;
  let waited = false;
  let prepared = false;
  for (let round = 1; round <= 20; round++) {
    const slots = await ctx.timer.time(
      round === 1 ? "inspect" : `inspect (${round})`,
      () => inspectTemplates(client, plan, fingerprint)
    );
    if (slots.ready) {
      logger.info(
        `template ${slots.ready.vmid} on ${slots.ready.node} already has recipe ${fingerprint.slice(0, 16)}: nothing to do`
      );
      return {
        vmid: slots.ready.vmid,
        node: slots.ready.node,
        built: false,
        kept: slots.others,
        waitedForOtherBuilder: waited
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
      const first = slots.creating[0];
      logger.info(
        `VM ${first.vmid} in the template range is being created (another builder?): waiting until its configuration is readable`
      );
      await ctx.timer.time(
        "wait for other builder",
        () => waitForUnlock(client, first.node, first.vmid, ctx.staleAfterMs, ctx.pollMs ?? 5e3)
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
        `VM ${free.appeared} appeared in the template range while we looked (another builder?): looking again`
      );
      continue;
    }
    const vmid = free.vmid;
    const marker = {
      runId: ctx.runId,
      startedAt: new Date(client.clock.now()).toISOString()
    };
    const created = await ctx.timer.time(
      "create template VM",
      () => createMarkedVm(ctx, vmid, marker)
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
      waitedForOtherBuilder: waited
    };
  }
  throw new Error(
    "could not settle on a template VMID after 20 rounds (VMIDs keep being taken by others)"
  );
}
__name(ensureTemplate, "ensureTemplate");
async function nextFreeTemplateVmid(client, plan, slots) {
  const found = await findFreeVmid(client, plan, slots);
  return "vmid" in found ? found.vmid : found.appeared + 1;
}
__name(nextFreeTemplateVmid, "nextFreeTemplateVmid");
async function findFreeVmid(client, plan, slots) {
  const { start, end } = templateRange(plan);
  const seen = new Set(slots.vms.map((vm) => vm.vmid));
  for (let vmid = start; vmid <= end; vmid++) {
    if (seen.has(vmid)) continue;
    if (await isVmidFree(client, vmid)) return { vmid };
    if (!(await listVmsQuiet(client)).has(vmid)) continue;
    return { appeared: vmid };
  }
  throw new ConfigurationError(
    `no free VMID in the template range ${start}\u2013${end}`,
    "remove old templates no VM uses, or move template.vmid to a free range"
  );
}
__name(findFreeVmid, "findFreeVmid");
function vmParams(ctx, vmid, marker) {
  const { recipe, plan, fingerprint } = ctx;
  const storage = recipe.vm.storage;
  return {
    vmid,
    name: plan.template.name,
    tags: joinTags([
      ...clusterTags(plan.cluster),
      TEMPLATE_TAG,
      recipeTag(fingerprint),
      BUILDING_TAG
    ]),
    description: templateDescription(recipe, fingerprint, plan.cluster, marker),
    // a pool member inherits the pool's roles: the token's scoped grant on /pool/<pool> covers
    // the template like every cluster VM (docs/security.md, least privilege)
    ...plan.proxmox.pool ? { pool: plan.proxmox.pool } : {},
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
    ...recipe.vm.bios === "ovmf" ? { efidisk0: `${storage}:1,efitype=4m,pre-enrolled-keys=0` } : {}
  };
}
__name(vmParams, "vmParams");
async function createMarkedVm(ctx, vmid, marker) {
  const { client, plan } = ctx;
  const node = plan.template.node;
  const ownsIt = /* @__PURE__ */ __name(async () => {
    const config = await visibleVmConfig(client, node, vmid);
    if (!config) return void 0;
    return parseBuildMarker(config.description)?.runId === ctx.runId && parseBuildMarker(config.description)?.startedAt === marker.startedAt;
  }, "ownsIt");
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      const upid = expectUpid(
        await client.api.nodes.$(node).qemu.$post(vmParams(ctx, vmid, marker)),
        `create VM ${vmid}`
      );
      await waitForTask(client, upid);
      return true;
    } catch (error) {
      if (isAlreadyExists(error)) return false;
      if (!worthAnotherLook(error) || attempt === 4) {
        if (await ownsIt().catch(() => void 0) === true)
          await destroyVm(client, node, vmid).catch(() => void 0);
        throw error;
      }
      const mine = await ownsIt();
      if (mine === true) {
        await waitForUnlock(client, node, vmid);
        return true;
      }
      if (mine === false) return false;
      ctx.logger.info(
        `creating VM ${vmid}: ${getErrorMessage(error).split("\n")[0]}; it does not exist, trying again`
      );
      await client.clock.sleep(
        Math.floor(client.retry.random() * client.retry.baseDelayMs * 2 ** attempt)
      );
    }
  }
  return false;
}
__name(createMarkedVm, "createMarkedVm");
async function buildInto(ctx, vmid) {
  const { client, recipe, plan, fingerprint, timer } = ctx;
  const node = plan.template.node;
  const vm = client.api.nodes.$(node).qemu.$(vmid);
  const config = /* @__PURE__ */ __name(() => vmConfig(client, node, vmid).then((c) => c ?? {}), "config");
  const volid = await timer.time("stage image", () => ctx.stageImage());
  await timer.time(
    "import disk",
    () => settle(client, {
      what: `import ${volid} into VM ${vmid}`,
      isDone: /* @__PURE__ */ __name(async () => {
        const c = await config();
        return typeof c.scsi0 === "string" && typeof c.ide2 === "string" && !c.lock;
      }, "isDone"),
      send: /* @__PURE__ */ __name(() => vm.config.$post({
        scsi0: `${recipe.vm.storage}:0,import-from=${volid}`,
        ide2: `${recipe.vm.storage}:cloudinit`,
        boot: "order=scsi0"
      }), "send")
    })
  );
  await timer.time(
    "convert to template",
    () => settle(client, {
      what: `convert VM ${vmid} to a template`,
      isDone: /* @__PURE__ */ __name(async () => Number((await config()).template ?? 0) === 1, "isDone"),
      send: /* @__PURE__ */ __name(() => vm.template.$post(), "send")
    })
  );
  try {
    await timer.time(
      "finish metadata",
      () => settle(client, {
        what: `finish the metadata of VM ${vmid}`,
        isDone: /* @__PURE__ */ __name(async () => !splitTags((await config()).tags).includes(BUILDING_TAG), "isDone"),
        send: /* @__PURE__ */ __name(() => vm.config.$put({
          tags: joinTags([...clusterTags(plan.cluster), TEMPLATE_TAG, recipeTag(fingerprint)]),
          description: templateDescription(recipe, fingerprint, plan.cluster)
        }), "send")
      })
    );
  } catch (error) {
    ctx.logger.warning(
      `template ${vmid} is ready, but removing its build marker failed: ${getErrorMessage(error).split("\n")[0]}`
    );
  }
}
__name(buildInto, "buildInto");
async function cleanUp(ctx, vmid, cause) {
  const { client, logger, plan } = ctx;
  const node = plan.template.node;
  const original = cause instanceof Error ? cause : new Error(getErrorMessage(cause));
  logger.error(
    `building template ${vmid} failed: ${original.message.split("\n")[0]}; removing the half-built VM`
  );
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const config = await vmConfig(client, node, vmid);
      if (!config) return original;
      if (parseBuildMarker(config.description)?.runId !== ctx.runId || Number(config.template ?? 0) === 1) {
        logger.warning(`VM ${vmid} is no longer this build's half-built VM; leaving it alone`);
        return original;
      }
      await waitForUnlock(client, node, vmid, 10 * 6e4).catch(() => void 0);
      await destroyVm(client, node, vmid);
      logger.info(`removed the half-built VM ${vmid}`);
      return original;
    } catch (error) {
      if (attempt === 5 || !worthAnotherLook(error)) {
        original.message += `
The half-built VM ${vmid} on ${node} could not be removed (${getErrorMessage(error).split("\n")[0]}): remove it with \`qm destroy ${vmid} --purge\`; the next build-template run also removes it once its build marker is older than ${Math.round(ctx.staleAfterMs / 6e4)} minutes.`;
        return original;
      }
      await client.clock.sleep(
        Math.floor(client.retry.random() * client.retry.baseDelayMs * 2 ** attempt)
      );
    }
  }
  return original;
}
__name(cleanUp, "cleanUp");
async function removeAbandoned(ctx, vm) {
  const config = await vmConfig(ctx.client, vm.node, vm.vmid);
  const marker = parseBuildMarker(config?.description);
  if (!config || Number(config.template ?? 0) === 1 || marker?.runId !== vm.marker?.runId || marker?.startedAt !== vm.marker?.startedAt)
    return;
  ctx.logger.warning(
    `VM ${vm.vmid} on ${vm.node} is an unfinished template build with this recipe${vm.marker ? ` (run ${vm.marker.runId}, started ${vm.marker.startedAt})` : " without a build marker"}, older than the build lock timeout: removing it`
  );
  await ctx.timer.time("remove abandoned build", () => destroyVm(ctx.client, vm.node, vm.vmid));
}
__name(removeAbandoned, "removeAbandoned");
async function waitForOtherBuilder(ctx, vm) {
  const { client, logger } = ctx;
  logger.info(
    `another run (${vm.marker?.runId ?? "?"}) is building this recipe as VM ${vm.vmid}: waiting for it instead of building twice`
  );
  await ctx.timer.time("wait for other builder", async () => {
    for (; ; ) {
      const config = await vmConfig(client, vm.node, vm.vmid);
      if (!config || Number(config.template ?? 0) === 1 || !splitTags(config.tags).includes(recipeTag(ctx.fingerprint)))
        return;
      if (isAbandoned(parseBuildMarker(config.description), client.clock.now(), ctx.staleAfterMs))
        return;
      await client.clock.sleep(ctx.pollMs ?? 5e3);
    }
  });
}
__name(waitForOtherBuilder, "waitForOtherBuilder");
async function listVmsQuiet(client) {
  return new Set((await listVms(client)).map((vm) => vm.vmid));
}
__name(listVmsQuiet, "listVmsQuiet");

// actions/lib/proxmox/simulated-steps.ts
var SIMULATOR_REPOID = "pve-sim";
async function assertSimulatorForSimulatedSteps(client, what) {
  const raw = await client.api.version.$get();
  if (raw.repoid === SIMULATOR_REPOID) return;
  throw new ConfigurationError(
    `${what} is set, but ${client.endpoint.url} is a real Proxmox VE (version ${String(raw.version)}, repoid ${String(raw.repoid)})`,
    `unset ${what}: it exists for the embedded demo on pve-sim only`
  );
}
__name(assertSimulatorForSimulatedSteps, "assertSimulatorForSimulatedSteps");

// actions/build-template/src/image-cache.ts
var baseImageKey = /* @__PURE__ */ __name((sha256) => `pve-kube-image-${sha256}`, "baseImageKey");
var customisedImageKey = /* @__PURE__ */ __name((sha256, fingerprint) => `pve-kube-template-image-${sha256}-${fingerprint}`, "customisedImageKey");
var loadCache = /* @__PURE__ */ __name(() => import("./cache-GB25JNKL.mjs"), "loadCache");
function actionsImageCache(logger) {
  return {
    async restore(path4, key) {
      const cache = await loadCache();
      if (!cache.isFeatureAvailable()) {
        logger.info("the Actions cache is not available here: images are not cached");
        return false;
      }
      try {
        const hit = await cache.restoreCache([path4, `${path4}.mac`], key);
        logger.info(hit ? `restored ${key} from the Actions cache` : `cache miss for ${key}`);
        return hit === key;
      } catch (error) {
        logger.warning(
          `could not restore ${key} from the Actions cache: ${getErrorMessage(error)}`
        );
        return false;
      }
    },
    async save(path4, key) {
      const cache = await loadCache();
      if (!cache.isFeatureAvailable()) return;
      try {
        await cache.saveCache([path4, `${path4}.mac`], key);
        logger.info(`saved ${key} to the Actions cache`);
      } catch (error) {
        logger.warning(`could not save ${key} to the Actions cache: ${getErrorMessage(error)}`);
      }
    }
  };
}
__name(actionsImageCache, "actionsImageCache");
var noImageCache = {
  restore: /* @__PURE__ */ __name(() => Promise.resolve(false), "restore"),
  save: /* @__PURE__ */ __name(() => Promise.resolve(), "save")
};

// actions/build-template/src/image.ts
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
async function sha256File(file) {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}
__name(sha256File, "sha256File");
async function exists(file) {
  return stat(file).then(
    () => true,
    () => false
  );
}
__name(exists, "exists");
async function downloadVerified(url, sha256, file, logger, fetchImpl = fetch) {
  logger.info(`downloading ${url}`);
  const response = await fetchImpl(url).catch((error) => {
    throw new ConfigurationError(
      `cannot download the cloud image ${url}: ${getErrorMessage(error)}`,
      "check template.image.url and that the runner can reach it"
    );
  });
  if (!response.ok || !response.body) {
    throw new ConfigurationError(
      `cannot download the cloud image ${url}: HTTP ${response.status}`,
      "check template.image.url (use a dated release URL, not a moving 'current' link)"
    );
  }
  const partial = `${file}.partial`;
  const hash = createHash("sha256");
  const tee = new Transform({
    transform(chunk, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    }
  });
  try {
    await pipeline(
      Readable.fromWeb(response.body),
      tee,
      createWriteStream(partial)
    );
    const actual = hash.digest("hex");
    if (actual !== sha256) {
      throw new ConfigurationError(
        `the cloud image ${url} has sha256 ${actual}, but cluster.yaml pins ${sha256}`,
        "use the checksum from the image's SHA256SUMS file, and a dated release URL whose content cannot change"
      );
    }
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
}
__name(downloadVerified, "downloadVerified");
var IMAGE_MAC = "template-image";
var macFileOf = /* @__PURE__ */ __name((file) => `${file}.mac`, "macFileOf");
var macInput = /* @__PURE__ */ __name((fingerprint, sha256) => `${fingerprint}:${sha256}`, "macInput");
async function trustedImage(file, fingerprint, deps, where) {
  const sha256 = await sha256File(file);
  const mac = (await readFile(macFileOf(file), "utf8").catch(() => "")).trim();
  if (deps.stateKey && verifyStateMac(macInput(fingerprint, sha256), mac, deps.stateKey, IMAGE_MAC))
    return sha256;
  deps.logger.warning(
    deps.stateKey ? `the customised image ${where} (${path.basename(file)}) carries no valid MAC under the state-key: not used, made again` : `no state-key: the customised image ${where} cannot be verified, so it is made again (pass state-key to reuse cached images)`
  );
  await rm(file, { force: true });
  await rm(macFileOf(file), { force: true });
  return void 0;
}
__name(trustedImage, "trustedImage");
async function recordMac(file, fingerprint, deps) {
  if (!deps.stateKey) return;
  const mac = stateMac(macInput(fingerprint, await sha256File(file)), deps.stateKey, IMAGE_MAC);
  await writeFile(macFileOf(file), `${mac}
`, { mode: 384 });
}
__name(recordMac, "recordMac");
function customisedFileName(baseFileName, fingerprint) {
  return `${baseFileName.replace(/\.(qcow2|img|raw)$/, "")}-${fingerprint.slice(0, 16)}.qcow2`;
}
__name(customisedFileName, "customisedFileName");
async function prepareCustomisedImage(recipe, fingerprint, baseFileName, deps) {
  const { workDir, cache, logger, timer } = deps;
  await mkdir(workDir, { recursive: true });
  const fileName = customisedFileName(baseFileName, fingerprint);
  const file = path.join(workDir, fileName);
  const customKey = customisedImageKey(recipe.image.sha256, fingerprint);
  const found = await exists(file) && await trustedImage(file, fingerprint, deps, "in the work dir") || await cache.restore(file, customKey) && await trustedImage(file, fingerprint, deps, "from the Actions cache");
  if (found) {
    logger.info(
      `customised image for recipe ${fingerprint.slice(0, 16)} found and verified: ${fileName}`
    );
    return { file, fileName, sha256: found, simulated: recipe.simulated };
  }
  if (recipe.simulated) {
    await timer.time("base image", () => writeSimulatedImage(file, recipe, fingerprint), {
      simulated: true
    });
    await timer.time("virt-customize", () => Promise.resolve(), { simulated: true });
    logger.warning(
      `SIMULATED: the base image was not downloaded and virt-customize did not run (simulate-customize: true, embedded demo only); ${fileName} is a placeholder`
    );
    await recordMac(file, fingerprint, deps);
    return { file, fileName, sha256: await sha256File(file), simulated: true };
  }
  const url = recipe.image.url;
  if (!url) throw new Error(`recipe ${fingerprint} has no cloud image URL to download`);
  const base = path.join(workDir, `base-${recipe.image.sha256.slice(0, 16)}.img`);
  await timer.time("base image", async () => {
    if (await exists(base) && await sha256File(base) === recipe.image.sha256) return;
    if (await cache.restore(base, baseImageKey(recipe.image.sha256)) && await sha256File(base) === recipe.image.sha256)
      return;
    await downloadVerified(url, recipe.image.sha256, base, logger, deps.fetchImpl);
    await cache.save(base, baseImageKey(recipe.image.sha256));
  });
  const working = `${file}.partial`;
  await copyFile(base, working);
  try {
    const customize = recipe.customize;
    if (!customize)
      throw new Error(
        `recipe ${fingerprint} has nothing to customise: only upload recipes are prepared on the runner`
      );
    await timer.time("virt-customize", async () => {
      const args = virtCustomizeArgs(customize, working);
      await (deps.runCustomize ?? ((a) => runCustomize(a, logger)))(args);
    });
    await rename(working, file);
  } finally {
    await rm(working, { force: true });
  }
  await recordMac(file, fingerprint, deps);
  await cache.save(file, customKey);
  return { file, fileName, sha256: await sha256File(file), simulated: recipe.simulated };
}
__name(prepareCustomisedImage, "prepareCustomisedImage");
async function writeSimulatedImage(file, recipe, fingerprint) {
  const text = [
    "pve-kube SIMULATED template image (embedded demo only; not bootable)",
    `recipe ${fingerprint}`,
    `stands in for ${recipe.image.url ?? "?"} (sha256 ${recipe.image.sha256}), customised by virt-customize`,
    ""
  ].join("\n");
  await writeFile(`${file}.partial`, text, { mode: 420 });
  await rename(`${file}.partial`, file);
}
__name(writeSimulatedImage, "writeSimulatedImage");
async function runCustomize(args, logger) {
  await runTool("virt-customize", args, {
    logger,
    streamOutput: true,
    timeoutMs: 60 * 6e4,
    env: { ...process.env, LIBGUESTFS_BACKEND: process.env.LIBGUESTFS_BACKEND ?? "direct" }
  });
}
__name(runCustomize, "runCustomize");

// actions/build-template/src/inputs.ts
var inputSchema = external_exports.object({
  cluster: external_exports.string({ error: "is required: the path of cluster.yaml" }),
  ...proxmoxConnectionInputs,
  "simulate-customize": booleanInput(false),
  "state-key": external_exports.string().optional(),
  plan: booleanInput(false),
  cache: booleanInput(true),
  "work-dir": external_exports.string().optional(),
  "image-file": external_exports.string().optional(),
  "image-sha256": external_exports.string().optional(),
  "build-lock-timeout-minutes": integerInput(90, 1)
});

// actions/build-template/src/prebuilt.ts
import { closeSync, openSync, readSync } from "node:fs";
import { stat as stat2 } from "node:fs/promises";
import path2 from "node:path";
var SHA256_HEX = /^[0-9a-f]{64}$/;
function prebuiltImageInput(file, sha256, workspace) {
  if (!file && !sha256) return void 0;
  if (!file)
    throw new ConfigurationError(
      "image-sha256 is set but image-file is not",
      "give the pre-built image's path as image-file, or drop image-sha256"
    );
  if (!sha256)
    throw new ConfigurationError(
      `image-file ${file} is set but image-sha256 is not`,
      "give the image's SHA-256 as image-sha256 (`sha256sum <file>`): the image is checked against it before anything changes on Proxmox"
    );
  const normalised = sha256.trim().toLowerCase();
  if (!SHA256_HEX.test(normalised))
    throw new ConfigurationError(
      `image-sha256 '${sha256}' is not a SHA-256`,
      "give the 64 hex digits `sha256sum <file>` prints"
    );
  return { file: path2.resolve(workspace, file), given: file, sha256: normalised };
}
__name(prebuiltImageInput, "prebuiltImageInput");
function diskFormat(file) {
  const fd = openSync(file, "r");
  try {
    const magic = Buffer.alloc(4);
    const read = readSync(fd, magic, 0, 4, 0);
    if (read === 4 && magic.equals(Buffer.from([81, 70, 73, 251]))) return "qcow2";
    if (read === 4 && magic.toString("latin1") === "KDMV") return "vmdk";
    return "raw";
  } finally {
    closeSync(fd);
  }
}
__name(diskFormat, "diskFormat");
function prebuiltFileName(input, format) {
  const base = path2.basename(input.file).replace(/\.(qcow2|img|raw|vmdk)$/i, "").replace(/[^a-zA-Z0-9_.-]/g, "_");
  return `${base}-${input.sha256.slice(0, 16)}.${format}`;
}
__name(prebuiltFileName, "prebuiltFileName");
async function prebuiltUploadName(input) {
  const info = await stat2(input.file).catch(() => void 0);
  if (!info?.isFile())
    throw new ConfigurationError(
      `image-file ${input.given}: no such file on this runner (${input.file})`,
      "give the path of the pre-built image on the runner (relative to the workspace, or absolute)"
    );
  return prebuiltFileName(input, diskFormat(input.file));
}
__name(prebuiltUploadName, "prebuiltUploadName");
async function verifyPrebuilt(input, logger, timer) {
  await timer.time("verify image", async () => {
    const actual = await sha256File(input.file);
    if (actual !== input.sha256)
      throw new ConfigurationError(
        `image-file ${input.given} has sha256 ${actual}, not ${input.sha256} (image-sha256)`,
        "pass the checksum of exactly this file (`sha256sum` it where it was built), or the image that checksum belongs to"
      );
  });
  logger.info(`pre-built image ${input.given}: sha256 ${input.sha256} verified`);
}
__name(verifyPrebuilt, "verifyPrebuilt");
function preparedPrebuilt(input, fileName) {
  return { file: input.file, fileName, sha256: input.sha256, simulated: false };
}
__name(preparedPrebuilt, "preparedPrebuilt");

// actions/build-template/src/stage.ts
var import_undici = __toESM(require_undici(), 1);
import { openAsBlob } from "node:fs";
var importVolid = /* @__PURE__ */ __name((storage, fileName) => `${storage}:import/${fileName}`, "importVolid");
async function volumeExists(client, node, storage, volid) {
  const content = await client.api.nodes.$(node).storage.$(storage).content.$get({ content: "import" });
  return content.some((c) => c.volid === volid);
}
__name(volumeExists, "volumeExists");
async function stageByDownload(client, plan) {
  const node = plan.template.node;
  const storage = plan.proxmox.imageStorage;
  const { url, sha256, fileName } = plan.template.image;
  const volid = importVolid(storage, fileName);
  await settle(client, {
    what: `download ${url} to ${volid}`,
    isDone: /* @__PURE__ */ __name(() => volumeExists(client, node, storage, volid), "isDone"),
    send: /* @__PURE__ */ __name(async () => expectUpid(
      await client.api.nodes.$(node).storage.$(storage)["download-url"].$post({
        url,
        content: "import",
        filename: fileName,
        checksum: sha256,
        "checksum-algorithm": "sha256"
      }),
      "download-url"
    ), "send")
  });
  return volid;
}
__name(stageByDownload, "stageByDownload");
async function stageByUpload(client, plan, fileName, prepare) {
  const node = plan.template.node;
  const storage = plan.proxmox.imageStorage;
  const volid = importVolid(storage, fileName);
  let prepared;
  await settle(client, {
    what: `upload ${fileName} to ${volid}`,
    isDone: /* @__PURE__ */ __name(() => volumeExists(client, node, storage, volid), "isDone"),
    send: /* @__PURE__ */ __name(async () => {
      prepared ??= await prepare();
      const form = new import_undici.FormData();
      form.append("content", "import");
      form.append("checksum", prepared.sha256);
      form.append("checksum-algorithm", "sha256");
      form.append("filename", await openAsBlob(prepared.file), prepared.fileName);
      return expectUpid(
        await client.upload(`/nodes/${node}/storage/${storage}/upload`, form),
        "upload"
      );
    }, "send")
  });
  return volid;
}
__name(stageByUpload, "stageByUpload");

// actions/build-template/src/summary.ts
function buildTemplateSummary(s) {
  const short = `\`${s.fingerprint.slice(0, 16)}\``;
  const headline = s.planOnly ? s.planOnly.wouldBuild ? `\u{1F195} a new template would be built (recipe ${short} not present)${s.planOnly.nextVmid ? ` at VMID ${s.planOnly.nextVmid}` : ""}` : `\u2705 template **${s.vmid}** on ${s.node} is up to date (recipe ${short}): nothing to build` : s.built ? `\u{1F195} built template **${s.vmid}** on ${s.node} (recipe ${short})` : `\u2705 template **${s.vmid}** on ${s.node} is up to date (recipe ${short}): nothing changed${s.waitedForOtherBuilder ? " \u2014 another run built it while this one waited" : ""}`;
  const simulated = s.timings.filter((t) => t.simulated).map((t) => t.step);
  const c = s.recipe.customize;
  const lines = [
    `## pve-kube build-template \u2014 cluster \`${s.cluster}\``,
    headline,
    ...s.tlsInsecure ? [
      "> \u26A0\uFE0F TLS verification of the Proxmox certificate was OFF (insecure: true). Pin the certificate fingerprint instead."
    ] : [],
    ...s.recipe.simulated ? [
      `> \u26A0\uFE0F **simulated**: the virt-customize step did not run (simulate-customize: true, embedded demo only). The template holds the plain base image.`
    ] : [],
    ...s.kept.length ? [
      `Older templates kept (existing VMs are never forced onto a new template): ${s.kept.map(
        (k) => k.usedBy.length ? `${k.vmid} (linked clones ${k.usedBy.join(", ")} depend on it)` : `${k.vmid} (no VM of this cluster depends on it; \`qm destroy ${k.vmid}\` removes it once you no longer want to roll back)`
      ).join("; ")}`
    ] : [],
    table(
      ["Recipe", "Value"],
      [
        [
          "image",
          s.recipe.source === "prebuilt" ? `pre-built image (sha256 \`${s.recipe.image.sha256.slice(0, 16)}\u2026\`)` : `${s.recipe.image.url ?? "?"} (sha256 \`${s.recipe.image.sha256.slice(0, 16)}\u2026\`)`
        ],
        ["source", s.recipe.source],
        [
          "customisation",
          c ? `Kubernetes ${c.kubernetesVersion}; ${c.packages.join(", ")}; modules ${c.kernelModules.join(", ") || "none"}` : s.recipe.source === "prebuilt" ? "none here: the image was built and customised by its own pipeline" : "none (Proxmox downloads the base image)"
        ],
        ["hardware", `${s.recipe.vm.machine}, ${s.recipe.vm.bios}, on ${s.recipe.vm.storage}`],
        ["fingerprint", `sha256:${s.fingerprint}`]
      ]
    )
  ];
  if (s.timings.length) {
    lines.push(
      table(
        ["Step", "Time", ""],
        s.timings.map((t) => [
          t.step,
          formatDuration(t.ms),
          simulated.includes(t.step) ? "simulated" : ""
        ])
      )
    );
  }
  return lines.join("\n\n");
}
__name(buildTemplateSummary, "buildTemplateSummary");

// actions/build-template/src/build-template-action.ts
function defaultDeps(env = process.env) {
  return actionDeps(env);
}
__name(defaultDeps, "defaultDeps");
async function run(deps = defaultDeps()) {
  const startedAt = (/* @__PURE__ */ new Date()).toISOString();
  const { inputs, loaded, prebuilt } = await readRun(deps);
  const { recipe, fingerprint } = describeRecipe(deps, inputs, loaded, prebuilt);
  const client = await createProxmoxClient({
    ...connectionForCluster(loaded, connectionInputsOf(inputs), deps.env),
    logger: deps.logger,
    env: deps.env,
    maskSecret: deps.maskSecret,
    ...deps.proxmoxTiming
  });
  if (recipe.simulated)
    await assertSimulatorForSimulatedSteps(client, "simulate-customize").catch(
      async (error) => {
        await client.close();
        throw error;
      }
    );
  const buildRun = {
    deps,
    inputs,
    plan: loaded.plan,
    prebuilt,
    recipe,
    fingerprint,
    client,
    timer: new StepTimer(),
    startedAt
  };
  try {
    return inputs.plan ? await planOnly(buildRun) : await build(buildRun);
  } finally {
    await client.close();
  }
}
__name(run, "run");
async function readRun(deps) {
  const { env } = deps;
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  if (inputs["proxmox-token-secret"]) deps.maskSecret(inputs["proxmox-token-secret"]);
  if (inputs["state-key"]) deps.maskSecret(inputs["state-key"]);
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const loaded = await loadClusterConfig(inputs.cluster, { cwd: workspace });
  const prebuilt = prebuiltImageInput(inputs["image-file"], inputs["image-sha256"], workspace);
  return { inputs, loaded, prebuilt };
}
__name(readRun, "readRun");
function describeRecipe({ logger }, inputs, loaded, prebuilt) {
  if (inputs["simulate-customize"] && (prebuilt || loaded.plan.template.source !== "upload")) {
    logger.warning(
      `simulate-customize has no effect with ${prebuilt ? "a pre-built image (image-file)" : "template.source: download-url"} (nothing is customised)`
    );
  }
  const recipe = templateRecipe(loaded, {
    simulated: inputs["simulate-customize"],
    ...prebuilt ? { prebuilt: { sha256: prebuilt.sha256 } } : {}
  });
  const fingerprint = recipeFingerprint(recipe);
  logger.info(
    `template recipe ${fingerprint} (${recipe.source}${recipe.simulated ? ", customisation SIMULATED" : ""})`
  );
  return { recipe, fingerprint };
}
__name(describeRecipe, "describeRecipe");
async function planOnly(run2) {
  const { deps, client, plan, fingerprint } = run2;
  const slots = await inspectTemplates(client, plan, fingerprint);
  const wouldBuild = !slots.ready;
  const nextVmid = wouldBuild && !slots.building ? await nextFreeTemplateVmid(client, plan, slots) : slots.building?.vmid;
  await appendJobSummary(
    buildTemplateSummary({
      cluster: plan.cluster,
      vmid: slots.ready?.vmid ?? nextVmid ?? 0,
      node: slots.ready?.node ?? plan.template.node,
      fingerprint,
      built: false,
      waitedForOtherBuilder: false,
      kept: await keptTemplates(run2, slots.others),
      recipe: run2.recipe,
      timings: [],
      planOnly: { wouldBuild, ...nextVmid ? { nextVmid } : {} },
      tlsInsecure: client.endpoint.tlsMode === "insecure"
    }),
    deps.logger,
    deps.env
  );
  deps.setOutput("would-build", String(wouldBuild));
  deps.setOutput("fingerprint", fingerprint);
  if (slots.ready) deps.setOutput("template-vmid", String(slots.ready.vmid));
  return {
    fingerprint,
    wouldBuild,
    ...slots.ready ? { vmid: slots.ready.vmid, node: slots.ready.node } : {}
  };
}
__name(planOnly, "planOnly");
async function build(run2) {
  const result = await ensureTemplate({
    client: run2.client,
    logger: run2.deps.logger,
    plan: run2.plan,
    recipe: run2.recipe,
    fingerprint: run2.fingerprint,
    runId: buildRunId(run2.deps.env),
    timer: run2.timer,
    staleAfterMs: run2.inputs["build-lock-timeout-minutes"] * 6e4,
    ...run2.deps.pollMs ? { pollMs: run2.deps.pollMs } : {},
    ...imageSteps(run2)
  });
  await reportBuilt(run2, result);
  return { fingerprint: run2.fingerprint, ...result };
}
__name(build, "build");
function buildRunId(env) {
  return `${env.GITHUB_RUN_ID ?? os.hostname()}-${env.GITHUB_RUN_ATTEMPT ?? process.pid}-${randomUUID().slice(0, 8)}`;
}
__name(buildRunId, "buildRunId");
function imageSteps(run2) {
  const { deps, inputs, plan, prebuilt, recipe, fingerprint, client, timer } = run2;
  const { env, logger } = deps;
  const workDir = inputs["work-dir"] ?? path3.join(env.RUNNER_TEMP ?? os.tmpdir(), "pve-kube-template");
  const imageCache = deps.imageCache ?? (inputs.cache ? actionsImageCache(logger) : noImageCache);
  const node = plan.template.node;
  const storage = plan.proxmox.imageStorage;
  const uploadName = customisedFileName(plan.template.image.fileName, fingerprint);
  let prebuiltName;
  return {
    // nothing changes on Proxmox before we know the image can be made
    beforeBuild: /* @__PURE__ */ __name(async () => {
      if (prebuilt) {
        prebuiltName = await prebuiltUploadName(prebuilt);
        await verifyPrebuilt(prebuilt, logger, timer);
        return;
      }
      if (recipe.source !== "upload" || recipe.simulated) return;
      if (await volumeExists(client, node, storage, importVolid(storage, uploadName))) return;
      await timer.time(
        "check virt-customize",
        () => assertVirtCustomize(logger, deps.virtCustomizeCommand)
      );
    }, "beforeBuild"),
    stageImage: /* @__PURE__ */ __name(async () => prebuilt ? stageByUpload(
      client,
      plan,
      prebuiltName ?? await prebuiltUploadName(prebuilt),
      () => Promise.resolve(
        preparedPrebuilt(prebuilt, prebuiltName ?? path3.basename(prebuilt.file))
      )
    ) : recipe.source === "download-url" ? stageByDownload(client, plan) : stageByUpload(
      client,
      plan,
      uploadName,
      () => prepareCustomisedImage(recipe, fingerprint, plan.template.image.fileName, {
        workDir,
        cache: imageCache,
        logger,
        timer,
        stateKey: inputs["state-key"],
        ...deps.runCustomize ? { runCustomize: deps.runCustomize } : {}
      })
    ), "stageImage")
  };
}
__name(imageSteps, "imageSteps");
async function reportBuilt(run2, result) {
  const { deps, plan, recipe, fingerprint, client, timer } = run2;
  const simulatedSteps = timer.timings.filter((t) => t.simulated).map((t) => t.step);
  if (recipe.simulated && simulatedSteps.length === 0)
    simulatedSteps.push("base image", "virt-customize");
  deps.setOutput("template-vmid", String(result.vmid));
  deps.setOutput("node", result.node);
  deps.setOutput("fingerprint", fingerprint);
  deps.setOutput("built", String(result.built));
  deps.setOutput("simulated-steps", simulatedSteps.join(","));
  await finishPhase({
    plan,
    env: deps.env,
    logger: deps.logger,
    artifactStore: deps.artifactStore,
    stateKey: run2.inputs["state-key"],
    summary: buildTemplateSummary({
      cluster: plan.cluster,
      vmid: result.vmid,
      node: result.node,
      fingerprint,
      built: result.built,
      waitedForOtherBuilder: result.waitedForOtherBuilder,
      kept: await keptTemplates(run2, result.kept),
      recipe,
      timings: timer.timings,
      tlsInsecure: client.endpoint.tlsMode === "insecure"
    }),
    state: {
      phase: "build-template",
      status: "succeeded",
      startedAt: run2.startedAt,
      timings: timer.timings,
      outputs: {
        templateVmid: result.vmid,
        node: result.node,
        fingerprint,
        built: result.built,
        simulatedSteps
      }
    }
  });
}
__name(reportBuilt, "reportBuilt");
async function keptTemplates(run2, others) {
  return [...await templateUsers(run2.client, run2.plan, others)].map(([vmid, usedBy]) => ({
    vmid,
    usedBy
  }));
}
__name(keptTemplates, "keptTemplates");
export {
  defaultDeps,
  run
};
