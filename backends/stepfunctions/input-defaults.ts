/**
 * `default(execution.input.<path>, fallback)` on Step Functions. JSONPath cannot read a path that
 * may not be there with a fallback, so the JSONata Pass state that starts the machine (see
 * logical-date.ts) works each such value out once, `$exists(path) ? path : fallback`, and keeps it
 * beside the parameters under a key made from the expression (`$.params._input_or_<digest>`). The
 * run's input does not change during the run, so one value serves every read, in Map iterations
 * and child machines too. The fallback is worked out in the same state: a value written out, a
 * parameter, or the run's logical date.
 *
 * `default(variables.<name>, fallback)` the same way: the state keeps the fallback under
 * `$.params._variable_or_<digest>` as `{"Value": fallback}`, and one Task state after it reads the
 * variable's SSM parameter (GetParameter, as variables.ts does for a read without a fallback) into
 * that key, its Catch of ParameterNotFound leaving the fallback in place. Reads are of `.Value`.
 */
import { printExpr } from "../../src/ir/expr/print.js";
import { literalOf } from "../../src/ir/values.js";
import { shortHash } from "./names.js";
import type { State } from "./asl.js";
import type { PathSegment, Value } from "../../src/ir/types.js";
import { parameterRequest } from "./variables.js";

/** The start of the keys these values are kept under in `$.params` (a parameter named so is refused). */
export const INPUT_DEFAULT_PREFIX = "_input_or_";
/** The same, for a variable's value or its fallback. */
export const VARIABLE_DEFAULT_PREFIX = "_variable_or_";
/** The member a variable's value (or its fallback) is kept under, at its key. */
export const VARIABLE_VALUE_KEY = "Value";
/** The error GetParameter fails with when the parameter is not set, as the AWS SDK integration names it. */
export const PARAMETER_NOT_FOUND = "Ssm.ParameterNotFoundException";

/** A default() the starting state works out: where it is kept, and its JSONata. */
export interface InputDefault {
  key: string;
  /** `$exists(...) ? ... : ...`, reading `$date` (the logical date) where the fallback is it; for a variable, `{"Value": <fallback>}`. */
  jsonata: string;
  /** Whether the fallback is the logical date (which then needs working out). */
  readsDate: boolean;
  /** The variable read after the starting state, for a default() of a variable. */
  variable?: string;
}

/** The state that reads a variable's value into its key, after the starting state (a space: no step id has one). */
export function variableStateName(key: string): string {
  return `Read ${key}`;
}

/** The Task state reading variable `name` into `$.params.<key>`; where the parameter is not set, the fallback stays. */
export function variableState(name: string, key: string, next: string): State {
  return {
    Type: "Task",
    Resource: "arn:aws:states:::aws-sdk:ssm:getParameter",
    Parameters: parameterRequest(name),
    ResultSelector: { [`${VARIABLE_VALUE_KEY}.$`]: "$.Parameter.Value" },
    ResultPath: `$.params.${key}`,
    Catch: [{ ErrorEquals: [PARAMETER_NOT_FOUND], ResultPath: null, Next: next }],
    Next: next,
  };
}

/** The JSONata of a path into the execution's input (backquoted names), or why it has none. */
function inputPath(path: PathSegment[]): string | { reason: string } {
  let out = "$states.context.Execution.Input";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (seg.includes("`")) return { reason: `the input key ${JSON.stringify(seg)} has a backquote, which a JSONata name cannot hold` };
    else out += `.\`${seg}\``;
  }
  return out;
}

/** The fallback's JSONata in the starting state, or why it cannot be worked out there. */
function fallbackOf(v: Value): { jsonata: string; readsDate: boolean } | { reason: string } {
  const data = literalOf(v);
  // JSON is JSONata: its strings, numbers, true/false/null, arrays and objects read the same.
  if (data !== undefined) return { jsonata: JSON.stringify(data), readsDate: false };
  if (v.kind === "ref" && v.ref.scope === "params") {
    if (v.ref.name.includes("`")) return { reason: `parameter ${JSON.stringify(v.ref.name)} has a backquote, which a JSONata name cannot hold` };
    return { jsonata: `$states.input.params.\`${v.ref.name}\``, readsDate: false };
  }
  if (v.kind === "ref" && v.ref.scope === "execution" && v.ref.name === "logical_date") return { jsonata: "$date", readsDate: true };
  if (v.kind === "ref" && v.ref.scope === "execution" && v.ref.name === "logical_date_nodash") return { jsonata: "$replace($date, '-', '')", readsDate: true };
  return { reason: `its fallback ${printExpr(v)} is not known then: a fallback is a value written out, a parameter or execution.logical_date` };
}

/** What the starting state works out for a default() call, or why it cannot (undefined: not a default() call). */
export function inputDefault(v: Value): InputDefault | { reason: string } | undefined {
  if (v.kind !== "call" || v.fn !== "default") return undefined;
  const [of, fallback] = v.args;
  if (of?.kind === "ref" && of.ref.scope === "variables" && fallback) {
    const fb = fallbackOf(fallback);
    if ("reason" in fb) return fb;
    return { key: VARIABLE_DEFAULT_PREFIX + shortHash(printExpr(v), 8), jsonata: `{"${VARIABLE_VALUE_KEY}": ${fb.jsonata}}`, readsDate: fb.readsDate, variable: of.ref.name };
  }
  if (!(of?.kind === "ref" && of.ref.scope === "execution" && of.ref.name === "input") || !fallback) return undefined;
  const path = inputPath(of.ref.path);
  if (typeof path !== "string") return path;
  const fb = fallbackOf(fallback);
  if ("reason" in fb) return fb;
  // Position-free text: the same call anywhere (and in any machine of a split) is kept under one key.
  const key = INPUT_DEFAULT_PREFIX + shortHash(printExpr(v), 8);
  return { key, jsonata: `($exists(${path}) ? ${path} : ${fb.jsonata})`, readsDate: fb.readsDate };
}
