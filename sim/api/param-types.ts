/**
 * pve-sim's own definitions of the parameters it accepts (written for pve-sim; a test proves
 * them against the official schema). A route lists its parameters by name; indexed options such
 * as `net[n]` are listed once with their index range.
 */
export type ParamType = "string" | "integer" | "boolean" | "number";

export interface PropertyStringSpec {
  /** the key a bare first value belongs to (`local-lvm:32` is `file=local-lvm:32`) */
  defaultKey?: string;
  keys: Record<string, ParamType | { type: ParamType; enum?: readonly string[]; pattern?: RegExp }>;
  /** keys that may stand alone with an optional value (net: `virtio=MAC`) */
  flagKeys?: readonly string[];
}

export interface ParamSpec {
  type: ParamType;
  optional?: boolean;
  enum?: readonly string[];
  pattern?: RegExp;
  /** message part for a pattern mismatch, as Proxmox words the format: `value does not match the regex pattern` */
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  propertyString?: PropertyStringSpec;
  /** for `name[n]`: the highest index (inclusive) */
  maxIndex?: number;
  default?: string | number;
}

export type ParamSpecs = Record<string, ParamSpec>;

export const vmid: ParamSpec = {
  type: "integer",
  minimum: 100,
  maximum: 999999999,
  format: "pve-vmid",
};
export const node: ParamSpec = {
  type: "string",
  pattern: /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
  format: "pve-node",
};
export const storageId: ParamSpec = {
  type: "string",
  pattern: /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i,
  format: "pve-storage-id",
};
export const optional = (spec: ParamSpec): ParamSpec => ({ ...spec, optional: true });
export const str: ParamSpec = { type: "string", optional: true };
export const int: ParamSpec = { type: "integer", optional: true };
export const bool: ParamSpec = { type: "boolean", optional: true };
