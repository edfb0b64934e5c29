/**
 * `pipeline({...})`: the whole pipeline as the file format's document, with
 * step handles laid out as the `steps:` map (condition branches by id, their
 * steps after the condition) and expressions kept as `Expr` (IR inside).
 */
import { Expr, type Text } from "./expr.js";
import { FOREACH_ITEMS } from "./foreach.js";
import { PARAM_SPECS, type Params } from "./params.js";
import type { AnyStep, Duration, Instance, Retry, Targets } from "./steps.js";

export type StepList = ReadonlyArray<AnyStep | StepList>;

export interface PipelineSpec {
  /** Pipeline name: letters, digits, '-' and '_'. */
  name: string;
  description?: string;
  role?: string;
  region: string;
  /** S3 prefix for outputs and uploaded code. */
  artifacts: string;
  parameters?: Params<any>;
  defaults?: { retry?: Retry; timeout?: Duration; tags?: Record<string, string>; instance?: Instance };
  /** A five-field cron, or a fixed rate (`every: "6h"`). */
  schedule?: ({ cron: string; every?: never } | { every: Duration; cron?: never }) & { timezone?: string; enabled?: boolean; intervals?: boolean };
  targets?: Targets;
  steps: StepList;
}

/** A document value: JSON with `Expr` where expressions are. */
export type DocValue = string | number | boolean | null | Expr | DocValue[] | { [k: string]: DocValue };
export type PipelineDocument = { version: 1; pipeline: string } & { [k: string]: DocValue };

function isStep(x: unknown): x is AnyStep {
  return typeof x === "object" && x !== null && !(x instanceof Expr) && typeof (x as AnyStep).id === "string" && typeof (x as AnyStep).type === "string" && "spec" in x;
}

/** A value as document data; step handles stand for their ids only where `ids` says so. */
function doc(x: unknown, ids = false): DocValue {
  if (x === undefined) return null;
  if (x instanceof Expr || x === null || typeof x !== "object") return x as DocValue;
  if (isStep(x)) {
    if (ids) return x.id;
    throw new Error(`step '${x.id}' cannot be used as a value here (read one of its attributes, such as .name, .model or .outputs.<name>)`);
  }
  if (Array.isArray(x)) return x.map((i) => doc(i, ids));
  const out: Record<string, DocValue> = {};
  // `on_failure: { steps: [...] }` names steps inside its map.
  for (const [k, v] of Object.entries(x)) if (v !== undefined) out[k] = doc(v, ids && k === "steps");
  return out;
}

function stepEntry(s: AnyStep): Record<string, DocValue> {
  const items = (s as { [FOREACH_ITEMS]?: unknown })[FOREACH_ITEMS];
  const body: Record<string, DocValue> = {};
  for (const [k, v] of Object.entries(s.spec as Record<string, unknown>)) {
    if (v !== undefined) body[k] = doc(v, k === "depends_on" || k === "on_failure" || (s.type === "condition" && (k === "then" || k === "else")) || (s.type === "map" && k === "steps"));
  }
  return { type: s.type, ...(items ? { foreach: doc(items) } : {}), ...body };
}

/** Steps in source order; a condition's branch steps follow it. */
export function layOutSteps(list: StepList): AnyStep[] {
  const out: AnyStep[] = [];
  const seen = new Set<AnyStep>();
  const visit = (x: AnyStep | StepList) => {
    if (!isStep(x)) {
      for (const y of x) visit(y);
      return;
    }
    if (seen.has(x)) return;
    seen.add(x);
    out.push(x);
    if (x.type === "condition") {
      const spec = x.spec as { then?: AnyStep[]; else?: AnyStep[] };
      for (const b of [...(spec.then ?? []), ...(spec.else ?? [])]) visit(b);
    }
    if (x.type === "map") for (const b of (x.spec as { steps: AnyStep[] }).steps) visit(b);
  };
  visit(list);
  return out;
}

export function pipeline(spec: PipelineSpec): PipelineDocument {
  const { name, parameters, steps, ...rest } = spec;
  const top = doc(rest) as Record<string, DocValue>;
  const out: PipelineDocument = { version: 1, pipeline: name };
  for (const key of ["description", "role", "region", "artifacts"]) if (key in top) out[key] = top[key];
  if (parameters) out.parameters = doc(parameters[PARAM_SPECS]);
  for (const key of ["defaults", "schedule", "targets"]) if (key in top) out[key] = top[key];
  out.steps = Object.fromEntries(layOutSteps(steps).map((s) => [s.id, stepEntry(s)]));
  return out;
}

export type { Text };
