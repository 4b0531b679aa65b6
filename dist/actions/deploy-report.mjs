import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  runAction
} from "../chunks/chunk-7DOGLGUY.mjs";
import "../chunks/chunk-SAJHUJQG.mjs";
import "../chunks/chunk-4EMYZHSE.mjs";
import {
  __name
} from "../chunks/chunk-UUUODAAY.mjs";

// actions/deploy-report/src/main.ts
await runAction({
  name: "deploy-report",
  main: /* @__PURE__ */ __name(async () => void await (await import("../chunks/deploy-report-action-N6XBOT2E.mjs")).run(), "main")
});
