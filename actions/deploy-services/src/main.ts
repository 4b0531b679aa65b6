import { runAction } from "../../lib/action-entry.js";

// the action's module and what it imports load after the entry has started: the entry itself stays small
await runAction({
  name: "deploy-services",
  main: async () => void (await (await import("./deploy-services-action.js")).run()),
});
