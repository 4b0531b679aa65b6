import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  readTriggers
} from "./chunk-WNKLLJLO.mjs";
import "./chunk-ZRJFM7TA.mjs";
import "./chunk-UUUODAAY.mjs";
export {
  readTriggers
};
