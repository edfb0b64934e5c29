/** What every part of the lowering needs to know about the pipeline being lowered. */
import { error, type Diagnostic } from "../../src/diagnostics.js";
import { stepById } from "../../src/ir/graph.js";
import type { Parameter, Pipeline, Pos, Step } from "../../src/ir/types.js";
import { copyName } from "./names.js";

export interface Ctx {
  p: Pipeline;
  diags: Diagnostic[];
  steps: Map<string, Step>;
  params: Map<string, Parameter>;
  /** SageMaker step names of each IR step: one, or one per foreach item. */
  names: Map<string, string[]>;
  /** The foreach item index of the copy being lowered (for output locations). */
  itemIndex?: number;
}

export function makeCtx(p: Pipeline): Ctx {
  const names = new Map<string, string[]>();
  for (const s of p.steps) {
    names.set(s.id, s.foreach ? s.foreach.items.map((_, i) => copyName(s.id, i)) : [s.id]);
  }
  return { p, diags: [], steps: stepById(p), params: new Map(p.parameters.map((x) => [x.name, x])), names };
}

export function fail(ctx: Ctx, pos: Pos | undefined, message: string, code = "sagemaker-lower"): void {
  ctx.diags.push(error(pos, message, { code }));
}
