import { runAction } from "../../lib/action-entry.js";

// the action's module and what it imports load after the entry has started: the entry itself stays small
await runAction({
  name: "deploy-report",
  main: async () => void (await (await import("./deploy-report-action.js")).run()),
});
