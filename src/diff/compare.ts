/**
 * The semantic difference of two pipelines, step by step: steps present in
 * one only, a step's kind, its request fields, its direct dependencies, its
 * branch, and the pipeline's own settings (parameters, schedule, role, ...).
 */
import type { Pipeline } from "../ir/types.js";
import { comparable, type Fields } from "./comparable.js";

export interface Difference {
  /** The step the difference is in; absent for the pipeline's own settings. */
  step?: string;
  /** `hyperparameters.eta`, `after`, `branch`, `kind`, `step` (present on one side only), ... */
  path: string;
  /** The value on each side, as written in a pipeline file; absent when that side has none. */
  a?: string;
  b?: string;
}

function diffFields(a: Fields, b: Fields, step: string | undefined, out: Difference[]): void {
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const k of keys) {
    const x = a.get(k);
    const y = b.get(k);
    if (x !== y) out.push({ ...(step !== undefined ? { step } : {}), path: k, ...(x !== undefined ? { a: x } : {}), ...(y !== undefined ? { b: y } : {}) });
  }
}

const list = (xs: string[] | undefined) => (xs && xs.length ? xs.join(", ") : undefined);

/** Every difference, pipeline settings first, then steps in the order of `a` (then steps only in `b`). */
export function diffPipelines(pa: Pipeline, pb: Pipeline): Difference[] {
  const a = comparable(pa);
  const b = comparable(pb);
  const out: Difference[] = [];
  diffFields(a.fields, b.fields, undefined, out);
  const ids = [...a.steps.keys(), ...[...b.steps.keys()].filter((id) => !a.steps.has(id))];
  for (const id of ids) {
    const x = a.steps.get(id);
    const y = b.steps.get(id);
    if (!x || !y) {
      out.push({ step: id, path: "step", ...(x ? { a: x.kind } : {}), ...(y ? { b: y.kind } : {}) });
      continue;
    }
    if (x.kind !== y.kind) {
      out.push({ step: id, path: "kind", a: x.kind, b: y.kind });
      continue;
    }
    const scalar = (path: string, u: string | undefined, v: string | undefined) => {
      if (u !== v) out.push({ step: id, path, ...(u !== undefined ? { a: u } : {}), ...(v !== undefined ? { b: v } : {}) });
    };
    scalar("after", list(x.after), list(y.after));
    scalar("branch", x.branch, y.branch);
    scalar("handles", list(x.handles), list(y.handles));
    diffFields(x.fields, y.fields, id, out);
  }
  return out;
}
