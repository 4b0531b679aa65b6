import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  parseRunArgs,
  runCommand,
  runWorkflowCommand
} from "./chunk-POX7P63X.mjs";
import "./chunk-3MVNRAC6.mjs";
import "./chunk-AOOLGRGL.mjs";
import "./chunk-ABDY5CRT.mjs";
import "./chunk-GOX76KDK.mjs";
import "./chunk-ZRJFM7TA.mjs";
import "./chunk-SAJHUJQG.mjs";
import "./chunk-UUUODAAY.mjs";
export {
  parseRunArgs,
  runCommand,
  runWorkflowCommand
};
