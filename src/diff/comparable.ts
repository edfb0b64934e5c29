/**
 * A pipeline in the form two pipelines are compared in: what it does, not how
 * it was written. Defaults are applied to the steps they reach, values are
 * printed the way the file format writes them, dependencies are reduced to the
 * direct ones (an edge implied by another path says nothing more), and
 * positions, the pipeline's name and its source file are left out.
 */
import { effectiveInstance, effectiveRetry, effectiveTags, effectiveTimeout } from "../ir/defaults.js";
import { printTemplate } from "../ir/expr/print.js";
import { branchMembership, dependencies, failureHandlers, transitiveReduction } from "../ir/graph.js";
import type { DataInput, Instance, Pipeline, Pos, Step, Value } from "../ir/types.js";
import { CODE_INPUT, DEFAULT_COMMAND, PROCESSING_CODE_DIR, processingScriptPath, trainingScriptPath } from "../aws/containers.js";
import { resolveImage, type ImageScope } from "../aws/images.js";
import { codeLocation } from "../ir/dataflow.js";
import { mapStepValues } from "../ir/foreach.js";
import { mapRefs } from "../ir/walk.js";
import { isPos, isPositionEntry } from "../ir/values.js";

/** Field path (`hyperparameters.eta`, `retry[0].attempts`) -> value as text. */
export type Fields = Map<string, string>;

export interface ComparableStep {
  kind: string;
  fields: Fields;
  /** Direct predecessors after transitive reduction, sorted. */
  after: string[];
  /** `cond.then` / `cond.else` for a step inside a branch. */
  branch?: string;
  /** The steps whose failure runs this one, for a failure handler. */
  handles?: string[];
}

export interface Comparable {
  fields: Fields;
  steps: Map<string, ComparableStep>;
}

const VALUE_KINDS = new Set(["literal", "list", "map", "ref", "join", "compare", "in", "logic", "not", "arith"]);

function isValue(x: unknown): x is Value {
  return x !== null && typeof x === "object" && !Array.isArray(x) && VALUE_KINDS.has((x as { kind?: string }).kind ?? "") && isPos((x as { pos?: unknown }).pos);
}

/** A literal as it reads in a file: strings quoted, floats with a decimal point. */
function literalText(v: Extract<Value, { kind: "literal" }>): string {
  if (typeof v.value === "string") return JSON.stringify(printTemplate(v));
  if (typeof v.value === "number" && v.type === "float" && Number.isInteger(v.value)) return `${v.value}.0`;
  return String(v.value);
}

/** Flatten any IR structure into `path -> text`, values printed as written. */
export function flatten(x: unknown, path: string, out: Fields): void {
  if (x === undefined) return;
  if (isValue(x)) {
    if (x.kind === "literal") out.set(path, literalText(x));
    else if (x.kind === "list") {
      if (!x.items.length) out.set(path, "[]");
      x.items.forEach((item, i) => flatten(item, `${path}[${i}]`, out));
    } else if (x.kind === "map") {
      if (!Object.keys(x.entries).length) out.set(path, "{}");
      for (const [k, v] of Object.entries(x.entries)) flatten(v, join(path, k), out);
    } else out.set(path, JSON.stringify(printTemplate(x)));
    return;
  }
  if (Array.isArray(x)) {
    if (!x.length) return;
    x.forEach((item, i) => flatten(item, `${path}[${i}]`, out));
    return;
  }
  if (x !== null && typeof x === "object") {
    for (const [k, v] of Object.entries(x)) {
      if (isPositionEntry(k, v)) continue;
      flatten(v, join(path, k), out);
    }
    return;
  }
  out.set(path, JSON.stringify(x));
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const join = (path: string, key: string) => (IDENT.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`);

/** Kinds whose requests carry tags: elsewhere a pipeline tag reaches nothing. */
const TAGGED = new Set(["processing", "training", "tuning", "transform", "model", "register-model", "endpoint", "notebook"]);
/** Image shorthands resolve per kind, as the backends resolve them. */
const IMAGE_SCOPE: Record<string, ImageScope> = { processing: "training", training: "training", tuning: "training", notebook: "training", model: "inference", "register-model": "inference", endpoint: "inference" };

const text = (v: string, pos: Pos): Value => ({ kind: "literal", value: v, type: "string", pos });

/** Input options at the service's defaults say nothing: left out. */
function plainInput(i: DataInput): DataInput {
  const out: DataInput = { ...i };
  if (out.mode === "File") delete out.mode;
  if (out.distribution === "FullyReplicated") delete out.distribution;
  if (out.compression === "None") delete out.compression;
  if (out.data_type === "S3Prefix") delete out.data_type;
  return out;
}

/**
 * What the step sends, whichever way it was written: image shorthands resolved,
 * a local script as the code input and entry point every target sends,
 * hyperparameters as the strings the API takes, defaults of the service left out.
 */
function requestForm(p: Pipeline, s: Step): Step {
  const x = { ...s } as Step & Record<string, unknown>;
  const scope = IMAGE_SCOPE[s.kind];
  const img = (x as { image?: Value }).image;
  if (scope && img && img.kind === "literal" && typeof img.value === "string") {
    const r = resolveImage(img.value, p.region, scope);
    if ("uri" in r) (x as { image?: Value }).image = text(r.uri, img.pos);
  }
  if (x.kind === "processing" || x.kind === "training" || x.kind === "tuning") {
    x.inputs = Object.fromEntries(Object.entries(x.inputs).map(([k, i]) => [k, plainInput(i)]));
  }
  if (x.kind === "processing" && x.code) {
    x.inputs = { ...x.inputs, [CODE_INPUT]: { source: text(codeLocation(p, x.code), x.code.pos), destination: PROCESSING_CODE_DIR, pos: x.code.pos } };
    x.command = [...(x.command ?? DEFAULT_COMMAND), processingScriptPath(x.code)];
    delete (x as { code?: unknown }).code;
  }
  if (x.kind === "training" && x.code) {
    x.inputs = { ...x.inputs, [CODE_INPUT]: { source: text(codeLocation(p, x.code), x.code.pos), pos: x.code.pos } };
    x.entrypoint = [...DEFAULT_COMMAND, trainingScriptPath(x.code)].map((c) => text(c, x.pos));
    delete (x as { code?: unknown }).code;
  }
  if (x.kind === "processing") {
    x.outputs = Object.fromEntries(Object.entries(x.outputs).map(([k, o]) => [k, o.upload === "EndOfJob" ? { ...o, upload: undefined } : o]));
  }
  if (x.kind === "training" || x.kind === "tuning") {
    x.hyperparameters = Object.fromEntries(
      Object.entries(x.hyperparameters).map(([k, v]) => [k, v.kind === "literal" && v.value !== null && typeof v.value !== "string" ? text(literalText(v).replace(/\.0$/, v.type === "float" ? ".0" : ""), v.pos) : v]),
    );
  }
  return x;
}

function plainInstance(i: Instance): Instance {
  const out = { ...i };
  if (out.count?.kind === "literal" && out.count.value === 1) delete out.count;
  if (out.volume_gb?.kind === "literal" && out.volume_gb.value === 30) delete out.volume_gb;
  return out;
}

/** The step with its defaults applied and the fields compared elsewhere (graph) taken out. */
function effectiveStep(p: Pipeline, step: Step): Record<string, unknown> {
  const s = requestForm(p, step);
  const { id: _id, kind: _kind, depends_on: _d, pos: _pos, estimate: _e, retry: _r, timeout: _t, tags: _tags, on_failure: _f, ...rest } = s as Step & Record<string, unknown>;
  const out: Record<string, unknown> = { ...rest };
  if (s.kind === "condition") {
    // Branch members are compared through each step's `branch`.
    delete out.then;
    delete out.else;
  }
  const retry = effectiveRetry(p, s);
  if (retry) out.retry = retry;
  const timeout = effectiveTimeout(p, s);
  if (timeout !== undefined) out.timeout = timeout;
  const tags = effectiveTags(p, s);
  if (Object.keys(tags).length && TAGGED.has(s.kind)) out.tags = tags;
  const instance = effectiveInstance(p, s);
  if (instance) out.instance = plainInstance(instance);
  delete out.targets;
  return out;
}

/**
 * Report names are labels: one pipeline may call `metrics` what another calls
 * `evaluation`. Each is renamed after what it reads (`<output>/<file>`), in the
 * step that declares it and in every reference to it.
 */
function canonicalReports(p: Pipeline): Pipeline {
  const names = new Map<string, Map<string, string>>();
  for (const s of p.steps) {
    if (s.kind !== "processing" || !Object.keys(s.reports).length) continue;
    names.set(s.id, new Map(Object.entries(s.reports).map(([k, r]) => [k, `${r.output}/${r.file}`])));
  }
  if (!names.size) return p;
  const rename = (v: Value): Value =>
    mapRefs(v, (x) => {
      const r = x.ref;
      const to = r.scope === "steps" && r.attr === "reports" ? names.get(r.step)?.get(r.report) : undefined;
      return to ? { ...x, ref: { ...r, report: to } } : x;
    });
  const steps = p.steps.map((s0) => {
    const s = mapStepValues(s0, rename);
    const own = names.get(s.id);
    if (s.kind === "processing" && own) return { ...s, reports: Object.fromEntries(Object.entries(s.reports).map(([k, r]) => [own.get(k)!, r])) };
    return s;
  });
  return { ...p, steps };
}

export function comparable(p0: Pipeline): Comparable {
  const p = canonicalReports(p0);
  const fields: Fields = new Map();
  flatten(p.role, "role", fields);
  flatten(p.region, "region", fields);
  flatten(p.artifacts, "artifacts", fields);
  for (const prm of p.parameters) {
    const { name, pos: _pos, ...rest } = prm;
    flatten(rest, `parameters.${name}`, fields);
  }
  if (p.schedule) {
    const { pos: _pos, ...s } = p.schedule;
    flatten({ ...s, timezone: s.timezone ?? "UTC", enabled: s.enabled ?? true, intervals: s.intervals ?? false }, "schedule", fields);
  }
  for (const [t, bag] of Object.entries(p.targets)) flatten(bag.settings, `targets.${t}`, fields);

  const deps = transitiveReduction(dependencies(p));
  const branches = branchMembership(p);
  const handlers = failureHandlers(p);
  const steps = new Map<string, ComparableStep>();
  for (const s of p.steps) {
    const f: Fields = new Map();
    flatten(effectiveStep(p, s), "", f);
    for (const [t, bag] of Object.entries(s.targets)) flatten(bag.settings, `targets.${t}`, f);
    const b = branches.get(s.id);
    const c: ComparableStep = { kind: s.kind, fields: f, after: [...(deps.get(s.id) ?? [])].sort() };
    // A condition is a direct predecessor of its branch members: said by `branch`.
    if (b) {
      c.branch = `${b.condition}.${b.branch}`;
      c.after = c.after.filter((d) => d !== b.condition);
    }
    // Handlers are tried in order: the first is `on_failure`, the next `on_failure[1]`, ...
    for (const [i, h] of (s.on_failure ?? []).entries()) {
      const k = i ? `on_failure[${i}]` : "on_failure";
      f.set(k, JSON.stringify([...h.steps].sort()));
      // Defaults (any error; ends failed) are not written, so a missing handler differs in one row.
      if (h.on) f.set(`${k}.on`, JSON.stringify([...h.on].sort()));
      if (h.errors) f.set(`${k}.errors`, JSON.stringify([...h.errors].sort()));
      if (h.ends === "succeeded" || h.ends === "continues") f.set(`${k}.ends`, h.ends);
    }
    const h = handlers.get(s.id);
    if (h) c.handles = [...h].sort();
    steps.set(s.id, c);
  }
  return { fields, steps };
}
