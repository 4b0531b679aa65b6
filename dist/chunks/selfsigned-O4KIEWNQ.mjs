import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  require_selfsigned
} from "./chunk-PRJCJMIU.mjs";
import "./chunk-UUUODAAY.mjs";
export default require_selfsigned();
