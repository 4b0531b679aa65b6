import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// sim/guests/identity.ts
import { readFileSync } from "node:fs";
function statFields(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return void 0;
  }
}
__name(statFields, "statFields");
function processStartTime(pid) {
  return statFields(pid)?.[19];
}
__name(processStartTime, "processStartTime");
var exited = /* @__PURE__ */ __name((fields) => fields[0] === "Z" || fields[0] === "X", "exited");
function isZombie(pid) {
  const fields = statFields(pid);
  return fields !== void 0 && exited(fields);
}
__name(isZombie, "isZombie");
function sameProcessAlive(pid, startTime) {
  const fields = statFields(pid);
  return fields?.[19] === startTime && !exited(fields);
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
