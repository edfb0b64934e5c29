/**
 * The first states of every machine: the execution input merged over the
 * parameter defaults into `$.params`, then one Choice that fails the run early
 * when a parameter is missing, of the wrong type, or outside its list; without
 * parameters, one Pass.
 */
import type { Parameter, Pipeline, ScalarType } from "../../src/ir/types.js";
import type { Json, State, States } from "./asl.js";
import { member } from "./intrinsics.js";

/** Names of these states (a space cannot occur in a step id, so they never clash). */
export const INIT = { start: "Set up", input: "Read input", params: "Merge parameters", check: "Check parameters", missing: "Missing parameter", invalid: "Invalid parameter" } as const;

const TYPE_TEST: Record<ScalarType, string> = { string: "IsString", integer: "IsNumeric", float: "IsNumeric", boolean: "IsBoolean" };

const path = (x: Parameter) => `$.params${member(x.name)}`;

function anyOf(rules: State[]): State {
  return rules.length === 1 ? rules[0] : { Or: rules as Json[] };
}

function equals(x: Parameter, e: string | number | boolean): State {
  return { Variable: path(x), [typeof e === "string" ? "StringEquals" : typeof e === "number" ? "NumericEquals" : "BooleanEquals"]: e };
}

/**
 * The first states, the first of them first. A pipeline without parameters
 * has one: `Set up`, which sets up the state (`params`, `steps`, constants)
 * without reading the input.
 */
export function parameterStates(p: Pipeline, consts: Map<string, string>, next: string): States {
  if (!p.parameters.length) {
    return { [INIT.start]: { Type: "Pass", Parameters: { params: {}, steps: {}, ...(consts.size ? { const: Object.fromEntries(consts) } : {}) }, Next: next } };
  }
  const defaults: { [k: string]: Json } = {};
  for (const x of p.parameters) if (x.default !== undefined) defaults[x.name] = x.default;
  const input: { [k: string]: Json } = { "input.$": "$", defaults };
  if (consts.size) input.const = Object.fromEntries(consts);
  const merged: { [k: string]: Json } = { "params.$": "States.JsonMerge($.defaults, $.input, false)", steps: {} };
  if (consts.size) merged["const.$"] = "$.const";

  const required = p.parameters.filter((x) => x.default === undefined);
  const invalid: State[] = [];
  for (const x of p.parameters) {
    invalid.push({ Not: { Variable: path(x), [TYPE_TEST[x.type]]: true } });
    if (x.enum?.length) invalid.push({ Not: anyOf(x.enum.map((e) => equals(x, e))) });
  }
  const choices: State[] = [];
  if (required.length) choices.push({ ...anyOf(required.map((x) => ({ Not: { Variable: path(x), IsPresent: true } }))), Next: INIT.missing });
  if (invalid.length) choices.push({ ...anyOf(invalid), Next: INIT.invalid });

  const out: States = {
    [INIT.input]: { Type: "Pass", Parameters: input, Next: INIT.params },
    [INIT.params]: { Type: "Pass", Parameters: merged, Next: choices.length ? INIT.check : next },
  };
  if (choices.length) {
    out[INIT.check] = { Type: "Choice", Choices: choices as Json[], Default: next };
    if (required.length) {
      out[INIT.missing] = { Type: "Fail", Error: "MissingParameter", Cause: `these parameters have no default and must be given in the execution input: ${required.map((x) => x.name).join(", ")}` };
    }
    const expect = p.parameters.map((x) => `${x.name}: ${x.type}${x.enum?.length ? ` in ${JSON.stringify(x.enum)}` : ""}`).join("; ");
    out[INIT.invalid] = { Type: "Fail", Error: "InvalidParameter", Cause: `a parameter has the wrong type or a value outside its list (${expect})` };
  }
  return out;
}
