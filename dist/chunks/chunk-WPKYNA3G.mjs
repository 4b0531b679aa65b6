import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// local/runner/process-alive.ts
import { readFileSync } from "node:fs";
function processAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code !== "EPERM") return false;
  }
  return !isZombie(pid);
}
__name(processAlive, "processAlive");
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

export {
  processAlive
};
