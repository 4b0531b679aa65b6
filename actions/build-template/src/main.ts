import { runAction } from "../../lib/run.js";
import { run } from "./run.js";

await runAction({ name: "build-template", main: async () => void (await run()) });
