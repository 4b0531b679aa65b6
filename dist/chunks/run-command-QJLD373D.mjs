import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  parseRunArgs,
  runCommand,
  runWorkflowCommand
} from "./chunk-I4UJQXSK.mjs";
import "./chunk-WYRPIOZA.mjs";
import "./chunk-K3TPM4L3.mjs";
import "./chunk-N6HR45QX.mjs";
import "./chunk-MLZQFTO3.mjs";
import "./chunk-4BVVZQQR.mjs";
import "./chunk-SAJHUJQG.mjs";
import "./chunk-UUUODAAY.mjs";
export {
  parseRunArgs,
  runCommand,
  runWorkflowCommand
};
