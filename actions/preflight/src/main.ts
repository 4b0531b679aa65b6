import { runAction } from "../../lib/run.js";
import { run } from "./run.js";

await runAction({ name: "preflight", main: async () => void (await run()) });
