import os from "node:os";

/** Where a benchmark ran: figures from a shared 2-core box and a quiet workstation differ. */
export function machineLine(): string {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
  return `${new Date().toISOString()} · ${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"} · ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB · load ${load} · Node ${process.version} · ${os.type()} ${os.release()}`;
}
