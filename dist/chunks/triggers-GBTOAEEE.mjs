import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  readTriggers
} from "./chunk-VTGZ27XR.mjs";
import "./chunk-OIIPM2W4.mjs";
import "./chunk-UUUODAAY.mjs";
export {
  readTriggers
};
