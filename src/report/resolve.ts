/**
 * Instance settings written as expressions, resolved for pricing: a literal is
 * used as is, `${{ params.X }}` at the parameter's default (said so); anything
 * else cannot be priced and is reported.
 */
import { printTemplate } from "../ir/expr/print.js";
import type { Pipeline, Value } from "../ir/types.js";

export type Resolved<T> = { ok: true; value: T; note?: string } | { ok: false; why: string };

export function resolveValue(p: Pipeline, v: Value, want: "string" | "number"): Resolved<string | number> {
  if (v.kind === "literal" && typeof v.value === want) return { ok: true, value: v.value as string | number };
  if (v.kind === "ref" && v.ref.scope === "params") {
    const name = v.ref.name;
    const prm = p.parameters.find((x) => x.name === name);
    if (prm && typeof prm.default === want) {
      return { ok: true, value: prm.default as string | number, note: `${printTemplate(v)} priced at the parameter's default ${String(prm.default)}` };
    }
    return { ok: false, why: `${printTemplate(v)} has no default to price at` };
  }
  return { ok: false, why: `${printTemplate(v)} is not known before the run` };
}
