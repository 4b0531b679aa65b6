import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  parseRunArgs,
  runCommand,
  runWorkflowCommand
} from "./chunk-YJOJC6YH.mjs";
import "./chunk-RHOG2TJY.mjs";
import "./chunk-AOOLGRGL.mjs";
import "./chunk-N6HR45QX.mjs";
import "./chunk-OXUWTRXE.mjs";
import "./chunk-4BVVZQQR.mjs";
import "./chunk-SAJHUJQG.mjs";
import "./chunk-UUUODAAY.mjs";
export {
  parseRunArgs,
  runCommand,
  runWorkflowCommand
};
