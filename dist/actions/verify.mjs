import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  runAction
} from "../chunks/chunk-Y7ZTM5II.mjs";
import "../chunks/chunk-SAJHUJQG.mjs";
import "../chunks/chunk-JOZQHHRU.mjs";
import {
  __name
} from "../chunks/chunk-UUUODAAY.mjs";

// actions/verify/src/main.ts
await runAction({
  name: "verify",
  main: /* @__PURE__ */ __name(async () => void await (await import("../chunks/verify-action-JPDTLXR2.mjs")).run(), "main")
});
