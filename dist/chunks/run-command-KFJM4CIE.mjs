import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  parseRunArgs,
  runCommand,
  runWorkflowCommand
} from "./chunk-JNXFSO5W.mjs";
import "./chunk-RHOG2TJY.mjs";
import "./chunk-AOOLGRGL.mjs";
import "./chunk-ABDY5CRT.mjs";
import "./chunk-4ZVNAMY5.mjs";
import "./chunk-ZRJFM7TA.mjs";
import "./chunk-SAJHUJQG.mjs";
import "./chunk-UUUODAAY.mjs";
export {
  parseRunArgs,
  runCommand,
  runWorkflowCommand
};
