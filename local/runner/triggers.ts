import { isMapping, isSequence, isString } from "@actions/workflow-parser";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import { findKey, literalValue } from "./tokens.js";

/**
 * The `on:` block read from the raw tokens: event names, and the inputs / secrets / outputs of
 * workflow_dispatch and workflow_call (the parser's model drops number inputs, expression
 * defaults and call outputs, which a runner needs).
 */
export type InputType = "string" | "boolean" | "number" | "choice" | "environment";

export interface InputDefinition {
  name: string;
  type: InputType;
  required: boolean;
  /** literal or expression token; evaluated when the input is resolved */
  default?: TemplateToken;
  options?: string[];
  description?: string;
}

export interface SecretDefinition {
  name: string;
  required: boolean;
}

export interface Triggers {
  events: string[];
  dispatchInputs: InputDefinition[];
  callInputs: InputDefinition[];
  callSecrets: SecretDefinition[];
  callOutputs: { name: string; value: TemplateToken | undefined }[];
}

function readInputs(block: TemplateToken | undefined): InputDefinition[] {
  const inputs = findKey(block, "inputs");
  if (!inputs || !isMapping(inputs)) return [];
  return [...inputs].map((pair) => {
    const spec = pair.value;
    const type = literalValue(findKey(spec, "type"));
    const options = literalValue(findKey(spec, "options"));
    const description = literalValue(findKey(spec, "description"));
    return {
      name: pair.key.toString(),
      type: (typeof type === "string" ? type : "string") as InputType,
      required: literalValue(findKey(spec, "required")) === true,
      default: findKey(spec, "default"),
      options: Array.isArray(options) ? options.map(String) : undefined,
      description: typeof description === "string" ? description : undefined,
    };
  });
}

export function readTriggers(root: TemplateToken): Triggers {
  const on = findKey(root, "on");
  const result: Triggers = {
    events: [],
    dispatchInputs: [],
    callInputs: [],
    callSecrets: [],
    callOutputs: [],
  };
  if (!on) return result;
  if (isString(on)) {
    result.events = [on.value];
    return result;
  }
  if (isSequence(on)) {
    result.events = [...on].filter(isString).map((e) => e.value);
    return result;
  }
  if (!isMapping(on)) return result;
  result.events = [...on].map((pair) => pair.key.toString());
  const dispatch = findKey(on, "workflow_dispatch");
  const call = findKey(on, "workflow_call");
  result.dispatchInputs = readInputs(dispatch);
  result.callInputs = readInputs(call);
  const secrets = findKey(call, "secrets");
  if (secrets && isMapping(secrets)) {
    result.callSecrets = [...secrets].map((pair) => ({
      name: pair.key.toString(),
      required: literalValue(findKey(pair.value, "required")) === true,
    }));
  }
  const outputs = findKey(call, "outputs");
  if (outputs && isMapping(outputs)) {
    result.callOutputs = [...outputs].map((pair) => ({
      name: pair.key.toString(),
      value: findKey(pair.value, "value"),
    }));
  }
  return result;
}
