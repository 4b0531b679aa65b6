import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  parseRunArgs,
  runCommand,
  runWorkflowCommand
} from "./chunk-H74XFXJW.mjs";
import "./chunk-WYRPIOZA.mjs";
import "./chunk-WRVH4TEX.mjs";
import "./chunk-LUM7ICC3.mjs";
import "./chunk-EWMRK6FT.mjs";
import "./chunk-OIIPM2W4.mjs";
import "./chunk-SAJHUJQG.mjs";
import "./chunk-UUUODAAY.mjs";
export {
  parseRunArgs,
  runCommand,
  runWorkflowCommand
};
