import { runAction } from "../../lib/run.js";
import { run } from "./run.js";

await runAction({ name: "deploy-report", main: async () => void (await run()) });
