import { node, vmid } from "../api/param-types.js";
import { check, perm } from "../access/checks.js";
import type { Route, RouteContext } from "../api/route.js";
import { die } from "../http/pve-error.js";
import type { SimVm } from "../model/types.js";
import { bootImage, isRealGuest, realAgentCommand } from "./guest-power.js";

function readyVm(ctx: RouteContext, command: string): SimVm {
  const vm = ctx.core.vm(ctx.params.node ?? "", Number(ctx.params.vmid));
  if (!/^(1|enabled=1|enabled=on|on|yes)(,|$)/.test(vm.config.agent ?? "0"))
    throw die("No QEMU guest agent configured");
  if (vm.status !== "running") throw die(`VM ${vm.vmid} is not running`);
  if (isRealGuest(ctx.core, vm.vmid)) return vm;
  // a guest whose machine is still being started has no agent yet
  if (bootImage(ctx.core, vm)) throw die("QEMU guest agent is not running");
  const readyAt = vm.agentReadyAt ?? 0;
  if (Date.now() < readyAt) {
    // the agent socket answers shortly before the daemon inside does
    throw die(
      Date.now() < readyAt - 2000
        ? "QEMU guest agent is not running"
        : `VM ${vm.vmid} qmp command '${command}' failed - got timeout`,
    );
  }
  return vm;
}

/** The guest's address: the static one from ipconfig0, else one from a DHCP pool by VMID. */
function guestAddress(vm: SimVm): { ip: string; prefix: number } {
  const m = /ip=(\d+\.\d+\.\d+\.\d+)\/(\d+)/.exec(vm.config.ipconfig0 ?? "");
  if (m?.[1] && m[2]) return { ip: m[1], prefix: Number(m[2]) };
  return { ip: `10.0.20.${100 + (vm.vmid % 100)}`, prefix: 24 };
}

/** A simulated guest's interfaces (a real guest's come from its own qemu-ga). */
function simulatedInterfaces(vm: SimVm) {
  const mac = (
    /=([0-9A-F:]{17})/i.exec(vm.config.net0 ?? "")?.[1] ?? "BC:24:11:00:00:01"
  ).toLowerCase();
  const { ip, prefix } = guestAddress(vm);
  return [
    {
      name: "lo",
      "hardware-address": "00:00:00:00:00:00",
      "ip-addresses": [
        { "ip-address": "127.0.0.1", "ip-address-type": "ipv4", prefix: 8 },
        { "ip-address": "::1", "ip-address-type": "ipv6", prefix: 128 },
      ],
      statistics: {},
    },
    {
      name: "eth0",
      "hardware-address": mac,
      "ip-addresses": [{ "ip-address": ip, "ip-address-type": "ipv4", prefix }],
      statistics: {},
    },
  ];
}

/** What a simulated guest reports as its OS (the production template's Ubuntu). */
const SIMULATED_OSINFO = {
  id: "ubuntu",
  name: "Ubuntu",
  "pretty-name": "Ubuntu 24.04 LTS",
  version: "24.04 LTS (Noble Numbat)",
  "version-id": "24.04",
  "kernel-release": "6.8.0-45-generic",
  "kernel-version": "#45-Ubuntu SMP PREEMPT_DYNAMIC",
  machine: "x86_64",
};

const AGENT = check(
  perm("/vms/{vmid}", ["VM.GuestAgent.Audit", "VM.GuestAgent.Unrestricted"], { any: true }),
);

/** One agent command: answered by the real guest's qemu-ga with guests, else simulated. */
function agentRoute(
  method: "GET" | "POST",
  name: string,
  simulated: (vm: SimVm) => unknown,
): Route {
  return {
    method,
    path: `/nodes/{node}/qemu/{vmid}/agent/${name}`,
    params: { node, vmid },
    permissions: AGENT,
    proxied: true,
    async handler(ctx) {
      const command = `guest-${name}`;
      const vm = readyVm(ctx, command);
      if (isRealGuest(ctx.core, vm.vmid))
        return { result: await realAgentCommand(ctx, vm, command) };
      return { result: simulated(vm) };
    },
  };
}

export const agentRoutes: Route[] = [
  agentRoute("POST", "ping", () => ({})),
  agentRoute("GET", "network-get-interfaces", simulatedInterfaces),
  agentRoute("GET", "get-osinfo", () => SIMULATED_OSINFO),
];
