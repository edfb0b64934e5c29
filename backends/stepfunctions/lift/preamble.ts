/**
 * The parameter states Switchyard puts first in every machine (params.ts):
 * recognised only when lowering the parameters they declare gives back the
 * very same states, so a hand-edited preamble is lifted like any other state.
 */
import { isDeepStrictEqual } from "node:util";
import type { Parameter, Pipeline, ScalarType } from "../../../src/ir/types.js";
import { INIT, parameterStates } from "../params.js";
import type { LiftCtx } from "./flow.js";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);

export interface Preamble {
  /** The first state after the parameter states. */
  next: string;
  states: string[];
  params: Parameter[];
  consts: Map<string, string>;
}

const TYPES: ScalarType[] = ["string", "integer", "float", "boolean"];

/** Types and lists as the Invalid parameter cause spells them: `name: type[ in [json]]; ...`. */
function declared(cause: string): Map<string, { type: ScalarType; enum?: Array<string | number | boolean> }> | undefined {
  const m = /\((.*)\)$/s.exec(cause);
  if (!m) return undefined;
  const out = new Map<string, { type: ScalarType; enum?: Array<string | number | boolean> }>();
  for (const part of m[1].split(/; (?=[A-Za-z_][A-Za-z0-9_-]*: )/)) {
    const d = /^([A-Za-z_][A-Za-z0-9_-]*): (string|integer|float|boolean)(?: in (\[.*\]))?$/s.exec(part);
    if (!d) return undefined;
    try {
      out.set(d[1], { type: d[2] as ScalarType, ...(d[3] ? { enum: JSON.parse(d[3]) } : {}) });
    } catch {
      return undefined;
    }
  }
  return out;
}

export function readPreamble(ctx: LiftCtx, states: Obj, start: string): Preamble | undefined {
  const first = states[INIT.start];
  if (start === INIT.start && isObj(first) && first.Type === "Pass" && isObj(first.Parameters) && typeof first.Next === "string") {
    // No parameters: one Pass, which may carry the constants.
    const c = first.Parameters.const;
    const consts = new Map<string, string>(isObj(c) ? Object.entries(c).map(([k, v]) => [k, String(v)]) : []);
    const expected = parameterStates({ parameters: [] } as unknown as Pipeline, consts, first.Next);
    return isDeepStrictEqual(states[INIT.start], expected[INIT.start]) ? { next: first.Next, states: [INIT.start], params: [], consts } : undefined;
  }
  const input = states[INIT.input];
  const merge = states[INIT.params];
  if (start !== INIT.input || !isObj(input) || !isObj(merge) || input.Type !== "Pass" || !isObj(input.Parameters)) return undefined;
  const ip = input.Parameters as Obj;
  const defaults = isObj(ip.defaults) ? ip.defaults : undefined;
  if (!defaults) return undefined;
  const consts = new Map<string, string>(isObj(ip.const) ? Object.entries(ip.const).map(([k, v]) => [k, String(v)]) : []);
  const check = states[INIT.check];
  const invalid = states[INIT.invalid];
  const missing = states[INIT.missing];
  const types = isObj(invalid) && typeof invalid.Cause === "string" ? declared(invalid.Cause) : new Map();
  if (!types) return undefined;
  const required = isObj(missing) && typeof missing.Cause === "string" ? (/: (.*)$/.exec(missing.Cause)?.[1].split(", ") ?? []) : [];
  const params: Parameter[] = [];
  for (const [name, d] of types) {
    const def = defaults[name];
    if (def === undefined && !required.includes(name)) return undefined;
    if (def !== undefined && typeof def !== "string" && typeof def !== "number" && typeof def !== "boolean") return undefined;
    params.push({ name, type: TYPES.includes(d.type) ? d.type : "string", ...(def !== undefined ? { default: def as string | number | boolean } : {}), ...(d.enum ? { enum: d.enum } : {}), pos: ctx.src.pos(["States", INIT.input]) });
  }
  const next = isObj(check) ? check.Default : merge.Next;
  if (typeof next !== "string") return undefined;
  // Parameter order: as the cause lists them, which is the pipeline's order.
  const expected = parameterStates({ parameters: params } as unknown as Pipeline, consts, next);
  for (const [k, v] of Object.entries(expected)) if (!isDeepStrictEqual(states[k], v)) return undefined;
  return { next, states: Object.keys(expected), params, consts };
}
