export {
  loadClusterConfig,
  parseClusterConfig,
  semanticProblems,
  type LoadedConfig,
} from "./load.js";
export {
  planCluster,
  clusterUid,
  ownershipTags,
  importFileName,
  type ClusterPlan,
  type PlannedVm,
} from "./plan.js";
export { clusterConfigSchema, type ClusterConfig, type ClusterConfigInput } from "./schema.js";
export { clusterJsonSchema, clusterJsonSchemaText, SCHEMA_ID } from "./json-schema.js";
