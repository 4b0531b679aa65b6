import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  parseRunArgs,
  runCommand,
  runWorkflowCommand
} from "./chunk-TJL6L4S7.mjs";
import "./chunk-WYRPIOZA.mjs";
import "./chunk-WRVH4TEX.mjs";
import "./chunk-N6HR45QX.mjs";
import "./chunk-P2FT24P7.mjs";
import "./chunk-4BVVZQQR.mjs";
import "./chunk-SAJHUJQG.mjs";
import "./chunk-UUUODAAY.mjs";
export {
  parseRunArgs,
  runCommand,
  runWorkflowCommand
};
