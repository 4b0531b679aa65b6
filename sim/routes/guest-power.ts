import { DISK_KEY } from "../api/qemu-params.js";
import type { RouteContext } from "../api/route.js";
import type { SimCore } from "../core.js";
import { AgentCommandError, AgentUnavailable } from "../guests/index.js";
import { die } from "../http/pve-error.js";
import { splitDisk } from "../model/vm-config.js";
import type { SimVm } from "../model/types.js";
import { findVolume } from "../model/volumes.js";

/**
 * The lab image a VM boots from when pve-sim runs with guests: the image behind its first boot
 * disk (boot order first, then the other disks by key), if that is an ext4 file system image.
 * Undefined without guests or for a VM with no such disk: that VM stays a simulated one.
 */
export function bootImage(core: SimCore, vm: SimVm): string | undefined {
  const guests = core.guests;
  if (!guests) return undefined;
  const disks = Object.keys(vm.config).filter(
    (k) => DISK_KEY.test(k) && !k.startsWith("unused") && !vm.config[k]?.includes("media=cdrom"),
  );
  const order = (/order=([^,]+)/.exec(vm.config.boot ?? "")?.[1] ?? "").split(";");
  const keys = [
    ...order.filter((k) => disks.includes(k)),
    ...disks.filter((k) => !order.includes(k)).sort(),
  ];
  for (const key of keys) {
    const volume = findVolume(core.state, splitDisk(vm.config[key] ?? "").file, vm.node);
    const image =
      volume?.hostPath ??
      (volume?.parent ? findVolume(core.state, volume.parent, vm.node)?.hostPath : undefined);
    if (guests.bootable(image)) return image;
  }
  return undefined;
}

/** Whether VM `vmid` is a real, running guest right now. */
export function isRealGuest(core: SimCore, vmid: number): boolean {
  return core.guests?.running(vmid) !== undefined;
}

/** Boots the VM's guest if it has a lab image; `log` gets one line saying what booted. */
export async function startGuest(
  core: SimCore,
  vm: SimVm,
  log: (line: string) => void,
): Promise<void> {
  const image = bootImage(core, vm);
  if (!image || !core.guests) return;
  const info = await core.guests.start(vm.vmid, vm.config, image);
  log(`guest: systemd-nspawn pid ${info.pid}, console log ${info.consoleLog}`);
  if (info.limits.notEnforced.length > 0)
    log(`guest: limits not enforced by this host: ${info.limits.notEnforced.join("; ")}`);
}

/**
 * One guest-agent command answered by the guest's own qemu-ga, with qemu-server's failures:
 * nobody listening yet → `QEMU guest agent is not running`, no answer → `… got timeout`.
 */
export async function realAgentCommand(
  ctx: RouteContext,
  vm: SimVm,
  command: string,
  args?: Record<string, unknown>,
): Promise<unknown> {
  try {
    return await ctx.core.guests?.agent(vm.vmid, command, args);
  } catch (error) {
    if (error instanceof AgentUnavailable && error.reason === "not-running")
      throw die("QEMU guest agent is not running");
    if (error instanceof AgentUnavailable)
      throw die(`VM ${vm.vmid} qmp command '${command}' failed - got timeout`);
    if (error instanceof AgentCommandError)
      throw die(`VM ${vm.vmid} qmp command '${command}' failed - ${error.message}`);
    throw error;
  }
}
