/**
 * A step's request as each target gets it: its name (the one member that
 * differs between targets) first, then the members every target shares,
 * checked once per pipeline (`--target all` makes each request three times).
 * What the check said is kept, not the tree: keeping every step's tree until
 * the pipeline is dropped costs more in collection than building it again.
 */
import type { Diagnostic } from "../../diagnostics.js";
import type { Pipeline, Step } from "../../ir/types.js";
import type { RequestCtx } from "./common.js";
import { checkRequest, type Operation } from "./constraints.js";
import type { Req } from "./tree.js";

/** What checking a step's requests said, by operation (and part) and foreach copy, for the pipeline last made with it. */
interface Said {
  p: Pipeline;
  by: Map<string, readonly Diagnostic[]>;
}

/** Weakly held: a step's results go when the step does. */
const saidFor = new WeakMap<Step, Said>();

const NONE: readonly Diagnostic[] = [];

/** What checking the request said, checked the first time it is made for the pipeline, step and copy. */
function checkedOnce(ctx: RequestCtx, s: Step, op: Operation, req: Req, at: string): readonly Diagnostic[] {
  let said = saidFor.get(s);
  // A step of another pipeline (one made from this one, say) may be checked differently: its region, its other steps.
  if (said?.p !== ctx.p) saidFor.set(s, (said = { p: ctx.p, by: new Map() }));
  // `at`: an EMR step's StepConfig and its HadoopJarStep alone are checked apart.
  const key = ctx.index === undefined ? `${op}${at}` : `${op}${at}#${ctx.index}`;
  let ds = said.by.get(key);
  if (!ds) {
    const diags: Diagnostic[] = [];
    checkRequest({ p: ctx.p, index: ctx.index, diags }, s, op, req, at);
    said.by.set(key, (ds = diags.length ? diags : NONE));
  }
  return ds;
}

/** The part that names the resource (first in every request that has one), given per target. */
export interface Named<N> {
  key: string;
  value?: Req<N>;
}

/**
 * The request `req` (all but its name) checked as `op`'s (or its part at `at`), with `name` put first;
 * the diagnostics come as if the whole request were checked at once, each target getting its own.
 */
export function checkedRequest<N>(ctx: RequestCtx, s: Step, op: Operation, req: Req, name?: Named<N>, at = ""): Req<N> {
  const first: Array<[string, Req<N>]> = name?.value ? [[name.key, name.value]] : [];
  // A name the backend writes itself has no text to check.
  if (first.length && name!.value!.t !== "own") checkRequest(ctx, s, op, { t: "obj", entries: first }, at);
  for (const d of checkedOnce(ctx, s, op, req, at)) ctx.diags.push({ ...d });
  return first.length && req.t === "obj" ? { ...req, entries: [...first, ...req.entries] } : req;
}
