import { clusterJsonSchemaText } from "../../../actions/lib/config/index.js";
import type { CliCommand } from "../command.js";

export const schemaCommand: CliCommand = {
  name: "schema",
  summary: "print the JSON Schema of cluster.yaml",
  usage: [
    "usage: pve-kube schema",
    "",
    "Prints the JSON Schema (draft 2020-12) generated from the same zod schema the actions use.",
    "The repository keeps a copy at schema/cluster.schema.json for editors (yaml-language-server).",
  ].join("\n"),
  run(_args, io) {
    io.stdout.write(clusterJsonSchemaText());
    return Promise.resolve(0);
  },
};
