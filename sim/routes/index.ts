import type { Route } from "../api/route.js";
import { accessRoutes } from "./access.js";
import { agentRoutes } from "./agent.js";
import { clusterRoutes } from "./cluster.js";
import { nodeRoutes } from "./nodes.js";
import { poolRoutes } from "./pools.js";
import { qemuMigrateRoutes } from "./qemu-migrate.js";
import { qemuCloneRoutes } from "./qemu-clone.js";
import { qemuConfigRoutes } from "./qemu-config.js";
import { qemuLifecycleRoutes } from "./qemu-lifecycle.js";
import { qemuStatusRoutes } from "./qemu-status.js";
import { storageRoutes } from "./storage.js";

/** Every route pve-sim serves (the conformance test walks this list). */
export const allRoutes: Route[] = [
  ...clusterRoutes,
  ...nodeRoutes,
  ...storageRoutes,
  ...qemuLifecycleRoutes,
  ...qemuConfigRoutes,
  ...qemuCloneRoutes,
  ...qemuMigrateRoutes,
  ...qemuStatusRoutes,
  ...agentRoutes,
  ...poolRoutes,
  ...accessRoutes,
];
