/** `params({...})`: pipeline parameters and typed references to them. */
import { Expr, ref } from "./expr.js";

export type ParamSpec =
  | { type: "string"; default?: string; enum?: readonly string[]; description?: string }
  | { type: "integer" | "float"; default?: number; enum?: readonly number[]; description?: string }
  | { type: "boolean"; default?: boolean; description?: string };

type ExprTypeOf<S extends ParamSpec> = S["type"] extends "string" ? "string" : S["type"] extends "boolean" ? "boolean" : "number";

/** Where `params()` keeps the declarations, out of the way of parameter names. */
export const PARAM_SPECS: unique symbol = Symbol.for("switchyard.params");

export type Params<T extends Record<string, ParamSpec> = Record<string, ParamSpec>> = {
  readonly [K in keyof T]: Expr<ExprTypeOf<T[K]>>;
} & { readonly [PARAM_SPECS]: T };

export function params<T extends Record<string, ParamSpec>>(spec: T): Params<T> {
  const out: Record<string | symbol, unknown> = {};
  for (const name of Object.keys(spec)) out[name] = new Expr(ref({ scope: "params", name }));
  Object.defineProperty(out, PARAM_SPECS, { value: spec, enumerable: false });
  return out as Params<T>;
}
