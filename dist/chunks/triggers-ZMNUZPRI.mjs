import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  readTriggers
} from "./chunk-4YCXECOZ.mjs";
import "./chunk-4BVVZQQR.mjs";
import "./chunk-UUUODAAY.mjs";
export {
  readTriggers
};
