import { runAction } from "../../lib/action-entry.js";
import { run } from "./deploy-report-action.js";

await runAction({ name: "deploy-report", main: async () => void (await run()) });
