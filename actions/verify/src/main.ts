import { runAction } from "../../lib/action-entry.js";

// the action's module and what it imports load after the entry has started: the entry itself stays small
await runAction({
  name: "verify",
  main: async () => void (await (await import("./verify-action.js")).run()),
});
