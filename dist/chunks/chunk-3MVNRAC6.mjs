import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// sim/guests/identity.ts
import { readFileSync } from "node:fs";
function processStartTime(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19];
  } catch {
    return void 0;
  }
}
__name(processStartTime, "processStartTime");
function isZombie(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state === "Z" || state === "X";
  } catch {
    return false;
  }
}
__name(isZombie, "isZombie");
function sameProcessAlive(pid, startTime) {
  return processStartTime(pid) === startTime && !isZombie(pid);
}
__name(sameProcessAlive, "sameProcessAlive");

// local/runner/process-alive.ts
function processAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code !== "EPERM") return false;
  }
  return !isZombie(pid);
}
__name(processAlive, "processAlive");

export {
  processStartTime,
  sameProcessAlive,
  processAlive
};
