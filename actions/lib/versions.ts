import pins from "../../versions.json" with { type: "json" };

/** The pinned external versions (versions.json at the repository root), bundled at build time. */
export const versions = pins;
export type Versions = typeof pins;
