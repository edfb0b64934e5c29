import type { RunValue } from "./run-values.js";
import { VARIABLE_DEFAULT_PREFIX, VARIABLE_VALUE_KEY } from "../input-defaults.js";
import { STARTED_BY_EXECUTION } from "../../../src/aws/request-members.js";
/**
 * What the state's data holds at each point, so a JSONPath in a lifted state
 * can be read as an IR reference: the execution input (parameters), a step's
 * result (its model, job name, outputs), or something with no IR meaning.
 */
import { error, warning, type Diagnostic } from "../../../src/diagnostics.js";
import { substitutionHint } from "../../../src/backend/substitute.js";
import type { FnName, Parameter, PathSegment, Pos, Ref, ScalarType, Step, Value } from "../../../src/ir/types.js";
import { FUNCTIONS } from "../../../src/ir/expr/functions.js";
import { fromJson, positionFreeJson } from "../../../src/ir/values.js";
import { showPath, type JPath, type Source } from "./source.js";
import { liftMerge, liftObject, objectExpr } from "./merge.js";
import { mergedOver } from "./keys.js";
import { readKey } from "../../../src/ir/values.js";
import { formatParts, intrinsicRefusal, parseIntrinsic, printIntrinsic, type Intrinsic } from "./intrinsic.js";
import { ITERATION_RUN_CHILD, ITERATION_RUN_MARK, modelNameExpr } from "../names.js";
import { pathOf } from "../intrinsics.js";
import { INTRINSICS, RESPONSE_KEPT } from "../render.js";
import { KINDS, stepOutputs } from "../../../src/ir/kinds.js";
import { ownDestinations } from "../../../src/ir/dataflow.js";
import { parsePathText, printPathText } from "../../../src/ir/expr/path-text.js";
import { PLACES_NAMED, placesText } from "../../../src/util/places.js";
import { liftExpression, type Jsonata } from "./jsonata.js";
import { jsonataText } from "./jsonata-parse.js";
import { responsePath, type ActionCasing } from "../sdk-casing.js";

/**
 * What the data at a path means: the execution input, a step's result (through
 * a ResultSelector of paths), the layout Switchyard's own machines keep
 * (`$.params`, `$.const`, `$.steps.<id>`), or nothing the IR can name.
 */
export type Base =
  | { kind: "input" }
  | { kind: "step"; id: string; selector?: Record<string, string>; prefix?: PathSegment[] }
  | { kind: "own" }
  | { kind: "unknown"; why: string; refused?: boolean }
  /** The error a Catch caught (`{Error, Cause}`), read by the handler's states. */
  | { kind: "failure"; state: string }
  /** A Parallel state's output: the list of what each branch ended with (undefined: it differs by the way taken). */
  | { kind: "branches"; state: string; flows: Array<Flow | undefined> }
  | DocBase;

/**
 * Data a Pass state built, known part by part as IR values (maps, lists,
 * literals, references): reads walk into it, and below a reference with a
 * path they read further down that reference.
 */
export interface DocBase {
  kind: "doc";
  value: Value;
  /** The Pass state that built it, for messages. */
  from: string;
  /** What built it, for messages, when not a Pass state (a task whose answer is known field by field). */
  built?: string;
  /**
   * Written into the run's input at this path (a ResultPath below a key of
   * it): what was written is known, any other member is the input's own, and
   * the whole of it is a merge the IR cannot name.
   */
  over?: PathSegment[];
  /**
   * Below `over`, the paths (JSON of their keys) of the objects ResultPath
   * wrote through: the input's object there with keys set. Any other map is a
   * value written whole.
   */
  merged?: string[];
}

export interface Flow {
  base: Base;
  /** Top-level keys set by a ResultPath `$.key`. */
  fields: Map<string, Base>;
  /** The state's InputPath: `$` paths of the state read below it. */
  within?: PathSegment[];
  /**
   * Reads of the run's input stay references into the input document, not
   * parameters: what a Pass state copies may be an object, and is typed only
   * where a state reads it.
   */
  raw?: boolean;
}

export interface LiftCtx {
  /** In a machine Switchyard wrote: the values its first JSONata state works out, by their keys in `$.params` (run-values.ts). */
  runValues?: Map<string, RunValue>;
  src: Source;
  diags: Diagnostic[];
  steps: Map<string, Step>;
  params: Map<string, Parameter>;
  /** Resource kind of each lifted step: lambda results are wrapped in Payload only for lambda:invoke. */
  lambdaWrapped: Set<string>;
  /** Names the source gave resources, which the IR names itself: `steps.T.job_name` -> what it was set from. */
  aliases: Map<string, string>;
  /** Output and parameter types that were only defaulted to `string`. */
  defaulted: Set<string>;
  /** A model step by the (canonical) value its ModelName was set from. */
  modelNames: Map<string, string>;
  /** Texts under `$.const` in a machine Switchyard wrote. */
  consts: Map<string, string>;
  /** The machine was written by Switchyard (its parameter states were recognised). */
  own: boolean;
  /** The role the machine's SageMaker calls pass, and the artifacts prefix its outputs use. */
  role?: string;
  /** Top-level members of the input that some path reads below (`$.x.y`): objects, never a parameter (a parameter is a scalar). */
  objectInputs: Set<string>;
  /** The role given with --role, which replaces every job's own; the role the file's jobs name (one warning says it is replaced). */
  givenRole?: string;
  fileRole?: string;
  artifacts?: string;
  /** The foreach copy being lifted (its names and output locations carry the index). */
  copyIndex?: number;
  /** Reads that failed only because the data came from a refused state (already reported). */
  quietFails: number;
  /** Reads of an error a Catch caught (a handler that reads it must get it where it was put). */
  failureReads: number;
  /** Reading a path for IsPresent, or a Map's list: a member of a call's result is its response there, never a declared output (a scalar). */
  presence?: boolean;
  /** Repeated calls: a member of their result may be missing from some responses, so it is read as the response there, never as a declared output. */
  responseOnly?: Set<string>;
  /** Values of resource-name fields that are exactly what lowering would write for the current state. */
  expectedNames: Record<string, unknown>;
  /** Reading a Map state's ItemSelector, or its iteration in a machine Switchyard wrote: the item is the map's `item`. */
  mapItem?: boolean;
  /** The maps whose iterations are being lifted, outermost first. */
  mapIds: string[];
  /** Steps read from a resource whose result differs from what the one lowering writes returns, in these members. */
  otherResults: Map<string, { members: readonly string[]; how: string; resource: string }>;
  /** aws steps whose result Step Functions spells otherwise than the API (PascalCase): reads of it are recased to the API's. */
  resultCasing: Map<string, ActionCasing>;
  /**
   * aws steps read from a request-response integration whose result is not the API's response (the members
   * it returns instead, and how it differs): a read of one of those members is said, once a member.
   */
  integrationResults: Map<string, { returns: readonly string[]; how: string; resource: string; action: string; said: Set<string> }>;
  /** Lifting the states of this distributed Map, each iteration a child execution with an Execution of its own. */
  childExecution?: string;
  /** The JSON path (as JSON) of the member that links an execution this state starts to this one, while its request is read. */
  parentLink?: string;
  /** Fields that pass on whole lambda:invoke results, and whose (said once a field: wholeResultWarnings). */
  wholeResults: Map<string, { at: JPath; ids: Set<string> }>;
  /** Inside quietly(): nothing read there is said. */
  quiet?: number;
  /** A machine with JSONata states, read as JSONPath (jsonata.ts): what it kept aside, its variables. */
  jsonata?: Jsonata;
}

/** A value's identity for name matching: its JSON without positions, aliases followed. */
export function canonical(ctx: LiftCtx, v: Value): string {
  let key = positionFreeJson(v);
  for (let i = 0; i < 10 && ctx.aliases.has(key); i++) key = ctx.aliases.get(key)!;
  return key;
}

/** Resolve a value without reporting (for names the IR does not keep). */
export function quietly<T>(ctx: LiftCtx, f: () => T): T {
  const n = ctx.diags.length;
  ctx.quiet = (ctx.quiet ?? 0) + 1;
  try {
    return f();
  } finally {
    ctx.quiet--;
    ctx.diags.length = n;
  }
}

/** Where a message says it is: the file's own path (a JSONata state's fields as written). */
const shown = (ctx: LiftCtx, at: JPath) => showPath(ctx.jsonata ? ctx.jsonata.unmap(at) : at);

export function refuse(ctx: LiftCtx, at: JPath, msg: string, hint?: string): undefined {
  ctx.diags.push(error(ctx.src.pos(at), `${shown(ctx, at)}: ${msg}`, { code: "lift-refused", ...(hint ? { hint } : {}) }));
  return undefined;
}

export function warn(ctx: LiftCtx, at: JPath, msg: string, hint?: string): void {
  ctx.diags.push(warning(ctx.src.pos(at), `${shown(ctx, at)}: ${msg}`, { code: "lift-changed", ...(hint ? { hint } : {}) }));
}

const PATH = /^\$((\.[A-Za-z_][A-Za-z0-9_-]*)|(\['[^'\\]*'\])|(\[[0-9]+\]))*$/;

export function segments(path: string): PathSegment[] | undefined {
  if (!PATH.test(path)) return undefined;
  const out: PathSegment[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_-]*)|\['([^'\\]*)'\]|\[([0-9]+)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path.slice(1)))) out.push(m[1] ?? m[2] ?? Number(m[3]));
  return out;
}

/** The members of an optimized lambda:invoke result, the function's own answer in Payload. */
export const INVOKE_ENVELOPE = ["ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"];

/** What a step's result holds, as IR references (per kind: the Describe* / Invoke response fields). */
/** Record a type; one inferred from a comparison beats the default `string` of a plain use. */
function typeFrom(ctx: LiftCtx, key: string, current: ScalarType | undefined, hint: ScalarType | undefined, set: (t: ScalarType) => void): void {
  if (hint && (current === undefined || ctx.defaulted.has(key))) {
    set(hint);
    ctx.defaulted.delete(key);
  } else if (current === undefined) {
    set("string");
    ctx.defaulted.add(key);
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A reference with a path into a document, when lowering can write that path back. */
function pathRef(ctx: LiftCtx, r: Ref & { path: PathSegment[] }, at: JPath, pos: Pos): Value | undefined {
  const p = pathOf(r.path);
  if ("bad" in p) return refuse(ctx, at, `key ${JSON.stringify(p.bad)} cannot be written back as a JSONPath member safely (only letters, digits, spaces and _ . : / -)`);
  // A response Step Functions spells in PascalCase is read in the API's spelling (the recasing keeps a path already so).
  const casing = r.scope === "steps" && r.attr === "response" ? ctx.resultCasing.get(r.step) : undefined;
  return { kind: "ref", ref: casing ? { ...r, path: responsePath(casing, r.path, false) } : r, pos };
}

function resultRef(ctx: LiftCtx, id: string, segs: PathSegment[], at: JPath, pos: Pos, hint: ScalarType | undefined): Value | undefined {
  const s = ctx.steps.get(id)!;
  const key = segs.join(".");
  const ref = (r: Ref): Value => ({ kind: "ref", ref: r, pos });
  // Any other part of a job's Describe*, a function's result or an API response: the step's response.
  const response = (path: PathSegment[]) => pathRef(ctx, { scope: "steps", step: id, attr: "response", path }, at, pos);
  switch (s.kind) {
    case "training":
      if (key === "ModelArtifacts.S3ModelArtifacts") return ref({ scope: "steps", step: id, attr: "model" });
      if (key === "TrainingJobName") return ref({ scope: "steps", step: id, attr: "job_name" });
      return response(segs);
    case "tuning":
      if (key === "HyperParameterTuningJobName") return ref({ scope: "steps", step: id, attr: "job_name" });
      return response(segs);
    case "processing":
      if (key === "ProcessingJobName") return ref({ scope: "steps", step: id, attr: "job_name" });
      return response(segs);
    case "transform":
      if (key === "TransformJobName") return ref({ scope: "steps", step: id, attr: "job_name" });
      return response(segs);
    case "model":
      // CreateModel answers with the model's ARN alone.
      return response(segs);
    case "register-model":
      if (key === "ModelPackageArn") return ref({ scope: "steps", step: id, attr: "arn" });
      break;
    case "lambda": {
      // lambda:invoke wraps what the function returned in Payload; a function ARN resource returns it as is.
      const wrapped = ctx.lambdaWrapped.has(id);
      // The whole result passed on (a state's data handed to the next function): its Payload is kept where it was;
      // the call's metadata around it (status, version, HTTP headers, request id) is Step Functions' own, and not kept.
      if (wrapped && !segs.length && !ctx.presence) {
        if (!ctx.quiet) {
          const key = JSON.stringify(at);
          const field = ctx.wholeResults.get(key) ?? { at, ids: new Set<string>() };
          ctx.wholeResults.set(key, field.ids.add(id) && field);
        }
        return { kind: "map", entries: { Payload: response([])! }, pos };
      }
      if (wrapped && segs[0] !== "Payload") {
        return refuse(ctx, at, `'${key || "$"}' of the lambda:invoke result of '${id}' has no IR reference: only the function's Payload is kept`);
      }
      const rest = wrapped ? segs.slice(1) : segs;
      if (rest.length === 1 && typeof rest[0] === "string" && !ctx.presence && !ctx.responseOnly?.has(id)) {
        const out = rest[0];
        typeFrom(ctx, `${id}.${out}`, s.outputs[out], hint, (t) => (s.outputs[out] = t));
        return ref({ scope: "steps", step: id, attr: "outputs", name: out });
      }
      return response(rest);
    }
    case "approval":
      if (segs.length === 1 && typeof segs[0] === "string") {
        const out = segs[0];
        typeFrom(ctx, `${id}.${out}`, s.outputs[out], hint, (t) => (s.outputs[out] = t));
        return ref({ scope: "steps", step: id, attr: "outputs", name: out });
      }
      break;
    case "aws": {
      const other = ctx.otherResults.get(id);
      if (other && (!segs.length || other.members.includes(String(segs[0])))) {
        return refuse(ctx, at, `'${key || "$"}' of the result of '${id}' cannot be read: ${other.resource} returns ${other.members.join(", ")} as ${other.how}; only the result's other members are read`);
      }
      const own = ctx.integrationResults.get(id);
      const member = String(segs[0]);
      if (own && segs.length && own.returns.includes(member) && !own.said.has(member)) {
        own.said.add(member);
        warn(ctx, at, `'${member}' of the result of '${id}' is what ${own.resource} returns (${own.how}); the lifted step reads it there on Step Functions, but other targets call ${own.action}, whose response has no '${member}'`);
      }
      // The IR reads the API's response: a result spelled in PascalCase is read back in the API's spelling.
      const casing = ctx.resultCasing.get(id);
      const api = casing ? responsePath(casing, segs, false) : segs;
      if (api.length === 1 && typeof api[0] === "string" && !ctx.presence && !ctx.responseOnly?.has(id)) {
        const out = api[0];
        typeFrom(ctx, `${id}.${out}`, s.outputs[out], hint, (t) => (s.outputs[out] = t));
        return ref({ scope: "steps", step: id, attr: "outputs", name: out });
      }
      return response(api);
    }
    default:
      break;
  }
  return refuse(ctx, at, `'${key || "$"}' of the result of ${s.kind} step '${id}' has no IR reference`);
}

/**
 * One warning a field that passes on whole lambda:invoke results. A state that hands its whole data to a
 * function passes every result the data has gathered: a warning a result and a field made n²/2 lines for a
 * chain of n such states (12 million, out of memory, at 5,000). Each field names the results not named
 * at an earlier one first, so every result is named somewhere while fields name few.
 */
export function wholeResultWarnings(ctx: LiftCtx): void {
  const named = new Set<string>();
  for (const { at, ids } of ctx.wholeResults.values()) {
    // Those placesText names: the results not named at an earlier field first.
    const list = ids.size <= PLACES_NAMED ? [...ids] : [...ids].sort((a, b) => Number(named.has(a)) - Number(named.has(b)));
    for (const id of list.slice(0, PLACES_NAMED)) named.add(id);
    const which = placesText(list.map((id) => `'${id}'`));
    warn(ctx, at, `this passes on the whole lambda:invoke result${list.length > 1 ? "s" : ""} of ${which} (${INVOKE_ENVELOPE.join(", ")}); the lifted pipeline passes {"Payload": ...} alone, so a function that reads ${INVOKE_ENVELOPE.filter((k) => k !== "Payload").join(", ")} there finds them missing`);
  }
}

/**
 * The state's whole data (`$`, a Lambda given its input) as one IR value: the
 * execution input while nothing has changed it, a step's response after a Task
 * whose result replaced it; anything merged from several sources is refused.
 */
export function wholeState(ctx: LiftCtx, flow: Flow, at: JPath, what: string): Value | undefined {
  const pos = ctx.src.pos(at);
  let base = flow.base;
  let rest = flow.within ?? [];
  if (typeof rest[0] === "string" && flow.fields.has(rest[0])) {
    base = flow.fields.get(rest[0])!;
    rest = rest.slice(1);
  } else if (flow.fields.size && !rest.length) {
    // Data a Pass built, with results written into it: still one map, key by key.
    if (base.kind === "doc" && base.value.kind === "map") return mergedDoc(ctx, base.value, flow.fields, at, what);
    // The base's data with each result ResultPath wrote at its key: set() one key after another.
    if (base.kind === "own") return refuse(ctx, at, `${what} is the whole state data of a machine Switchyard wrote (parameters and step results), which has no IR reference`);
    // Keys whose data is unknown for one reason are said in one refusal.
    const unknown = new Map<string, string[]>();
    for (const [k, b] of flow.fields) if (b.kind === "unknown" && !b.refused) unknown.set(b.why, [...(unknown.get(b.why) ?? []), k]);
    const grouped = [...unknown].filter(([, ks]) => ks.length > 1);
    if (grouped.length) {
      for (const [why, ks] of grouped) refuse(ctx, at, `${what} holds ${ks.map((k) => `'${showPath([k])}'`).join(", ")}, data whose meaning is unknown here (${why})`);
      return undefined;
    }
    let whole = wholeState(ctx, { ...flow, fields: new Map(), within: [] }, at, what);
    for (const [k, b] of flow.fields) {
      const v = wholeState(ctx, { base: b, fields: new Map() }, at, `'${showPath([k])}' of ${what}`);
      // An object built from parts is object() and set() of its keys; the expression language writes no list or text of parts inside a function's argument.
      const written = v?.kind === "map" ? objectExpr(v) : v;
      if (v && (!written || written.kind === "list" || written.kind === "join")) {
        return refuse(ctx, at, `${what} is data with '${showPath([k])}' written into it, and what was written there is ${v.kind === "join" ? "text built from parts" : `an ${v.kind === "map" ? "object holding a list or text built from parts" : "list built from parts"}`} (${b.kind === "step" ? `the result of step '${b.id}'` : "what a Pass state built"}), which a pipeline expression cannot write inside set()`);
      }
      whole = whole && written ? { kind: "call", fn: "set", args: [whole, { kind: "literal", value: k, type: "string", pos }, written], pos } : undefined;
    }
    return whole;
  }
  switch (base.kind) {
    case "doc":
      return walkDoc(ctx, base, rest, what, at, pos, undefined);
    case "input":
      return pathRef(ctx, { scope: "execution", name: "input", path: rest }, at, pos);
    case "own":
      return refuse(ctx, at, `${what} is the whole state data of a machine Switchyard wrote (parameters and step results), which has no IR reference`);
    case "failure":
      return failureRef(ctx, base, rest, what, at, pos);
    case "branches": {
      if (rest.length) return branchRead(ctx, base, rest, what, at, undefined);
      // The whole list: each branch's data, as one list.
      const items: Value[] = [];
      for (const [i, f] of base.flows.entries()) {
        const v = f ? wholeState(ctx, f, at, `branch ${i} of the output of Parallel state '${base.state}'`) : refuse(ctx, at, `${what} holds what branch ${i} of Parallel state '${base.state}' ends with, which differs by the way it took`);
        if (!v) return undefined;
        items.push(v);
      }
      return { kind: "list", items, pos };
    }
    case "unknown":
      if (base.refused) {
        ctx.quietFails++;
        return undefined;
      }
      return refuse(ctx, at, `${what} is data whose meaning is unknown here (${base.why})`);
    case "step": {
      const segs = [...(base.prefix ?? []), ...rest];
      const s = ctx.steps.get(base.id)!;
      if (!base.selector && !segs.length && !KINDS[s.kind].attrs.includes("response")) {
        return refuse(ctx, at, `${what} is the whole result of ${s.kind} step '${s.id}', which the IR cannot name: it keeps no response of a ${s.kind} step`);
      }
      if (!base.selector) return resultRef(ctx, base.id, segs, at, pos, undefined);
      // The object a ResultSelector of plain paths built: a map of the values it picked.
      const sel = base.selector;
      if (segs.length) {
        const inner = typeof segs[0] === "string" && sel[segs[0]] ? segments(sel[segs[0]]) : undefined;
        if (!inner) return refuse(ctx, at, `${what} is not one of the fields ResultSelector kept`);
        return resultRef(ctx, base.id, [...inner, ...segs.slice(1)], at, pos, undefined);
      }
      const entries: Record<string, Value> = {};
      for (const [k, p] of Object.entries(sel)) {
        const inner = segments(p);
        const v = inner ? resultRef(ctx, base.id, inner, at, pos, undefined) : refuse(ctx, at, `ResultSelector path '${p}' cannot be read`);
        if (!v) return undefined;
        entries[k] = v;
      }
      return { kind: "map", entries, pos };
    }
  }
}

/** A read into a Parallel state's output list: `[i]` and below, in what branch i ended with. */
function branchRead(ctx: LiftCtx, base: Extract<Base, { kind: "branches" }>, rest: PathSegment[], what: string, at: JPath, hint: ScalarType | undefined): Value | undefined {
  const [i, ...below] = rest;
  if (typeof i !== "number") return refuse(ctx, at, `${what} reads '${String(i)}' of the output of Parallel state '${base.state}', which is a list (one item per branch)`);
  if (i >= base.flows.length) return refuse(ctx, at, `${what} reads item ${i} of the output of Parallel state '${base.state}', which has ${base.flows.length} branches`);
  const flow = base.flows[i];
  if (!flow) return refuse(ctx, at, `${what} reads what branch ${i} of Parallel state '${base.state}' ends with, which differs by the way it took`);
  return below.length ? resolvePath(ctx, { ...flow, within: [...(flow.within ?? []), ...below] }, "$", at, hint) : wholeState(ctx, flow, at, `${what} (what branch ${i} of '${base.state}' ends with)`);
}

/** The error a Catch caught, or its name or message: what a failure handler's steps read. */
function failureRef(ctx: LiftCtx, base: Extract<Base, { kind: "failure" }>, rest: PathSegment[], what: string, at: JPath, pos: Pos): Value | undefined {
  ctx.failureReads++;
  if (rest.length > 1 || (rest.length === 1 && rest[0] !== "Error" && rest[0] !== "Cause")) {
    return refuse(ctx, at, `${what} reads '${rest.join(".")}' of the error the Catch of state '${base.state}' caught, which has only Error and Cause`);
  }
  return { kind: "ref", ref: { scope: "failure", path: rest }, pos };
}

/**
 * The data below `segs` of `flow`, as what a state passes on (a Choice's InputPath, a Wait's OutputPath):
 * one value read further down where it is read; data the IR cannot name is refused here, once.
 */
export function narrowed(ctx: LiftCtx, flow: Flow, segs: PathSegment[], at: JPath, what: string, from: string): Flow {
  const kept = wholeState(ctx, { ...flow, within: [...(flow.within ?? []), ...segs] }, at, what);
  return kept ? { base: { kind: "doc", value: kept, from, built: what }, fields: new Map() } : { base: { kind: "unknown", why: what, refused: true }, fields: new Map() };
}

/** A JSONPath (or context path) as an IR value. `hint` types a parameter or output first seen here. */
export function resolvePath(ctx: LiftCtx, flow: Flow, path: string, at: JPath, hint?: ScalarType): Value | undefined {
  // A JSONata state's `{% %}` text, where a JSONPath state has a path (jsonata.ts renamed the field).
  if (ctx.jsonata && jsonataText(path) !== undefined) return liftExpression(ctx, flow, path, at, hint);
  const pos = ctx.src.pos(at);
  // A distributed Map's child execution is named for its iteration; our own machines' read of it is marked (lift/index.ts liftMap).
  if ((ctx.childExecution && !ctx.own && path === ITERATION_RUN_CHILD) || (ctx.own && ctx.mapItem && path === ITERATION_RUN_MARK)) return { kind: "ref", ref: { scope: "iteration", name: "id" }, pos };
  // The execution that starts another names itself in the started one's input: inside a child, the child
  // (the lowering writes `$$.Execution.Id` there again, run-context.ts).
  if (ctx.childExecution && path === "$$.Execution.Id" && at[at.length - 1] === `${STARTED_BY_EXECUTION}.$`) return { kind: "ref", ref: { scope: "execution", name: "id" }, pos };
  if (ctx.childExecution && !ctx.own && /^\$\$\.(Execution|StateMachine)\b/.test(path)) {
    return refuse(ctx, at, `path '${path}' inside distributed Map '${ctx.childExecution}' reads the child execution's own context, of which the IR names only its name (iteration.id); its execution.* are the run's`, "hand the run's fields to the iterations in the Map's ItemSelector, as the lowered machine does");
  }
  if (path === "$$.Execution.Name") return { kind: "ref", ref: { scope: "execution", name: "id" }, pos };
  if (path === "$$.Execution.Id") {
    if (ctx.parentLink === JSON.stringify(at)) {
      warn(ctx, at, `'$$.Execution.Id' (the execution's ARN, which links the execution this state starts to this one) is read as the run's id; Step Functions writes it back here as '$$.Execution.Id', other targets send their own run id, which links nothing`);
      return { kind: "ref", ref: { scope: "execution", name: "id" }, pos };
    }
    // The IR has one run id; Step Functions writes it as the execution's name, not its ARN.
    warn(ctx, at, "'$$.Execution.Id' (the execution's ARN) is read as the run's id, which the lowered machine writes as '$$.Execution.Name' (the execution's name; other targets use their run id)");
    return { kind: "ref", ref: { scope: "execution", name: "id" }, pos };
  }
  if (path === "$$.Execution.StartTime") return { kind: "ref", ref: { scope: "execution", name: "start_time" }, pos };
  if (path === "$$.Task.Token") return { kind: "ref", ref: { scope: "task", name: "token" }, pos };
  if (path === "$$.StateMachine.Name") return { kind: "ref", ref: { scope: "execution", name: "pipeline_name" }, pos };
  if (path === "$$.Map.Item.Value" || path.startsWith("$$.Map.Item.Value.") || path.startsWith("$$.Map.Item.Value[")) {
    const inner = segments("$" + path.slice("$$.Map.Item.Value".length));
    if (!ctx.mapItem || !inner) return refuse(ctx, at, `path '${path}' cannot be read as an IR reference${ctx.mapItem ? "" : " here (only a Map state's ItemSelector reads the item)"}`);
    return { kind: "ref", ref: { scope: "item", path: inner }, pos };
  }
  if (path.startsWith("$$.Map.Item.Index")) return refuse(ctx, at, "the index of a Map's item has no IR equivalent (a map's steps read the item itself)");
  if (path.startsWith("States.")) return liftIntrinsic(ctx, flow, path, at, hint);
  // The execution input, wherever the state is: a top-level field of a machine written elsewhere is a
  // parameter; anything else (and all of it in Switchyard's machines, which read parameters from $.params) is the input itself.
  if (path === "$$.Execution.Input" || path.startsWith("$$.Execution.Input.") || path.startsWith("$$.Execution.Input[")) {
    const inner = segments("$" + path.slice("$$.Execution.Input".length));
    if (!inner) return refuse(ctx, at, `path '${path}' cannot be read as an IR reference`);
    if (!ctx.own && inner.length === 1 && typeof inner[0] === "string" && IDENT.test(inner[0])) return resolvePath(ctx, { base: { kind: "input" }, fields: new Map(), raw: flow.raw }, `$.${inner[0]}`, at, hint);
    return pathRef(ctx, { scope: "execution", name: "input", path: inner }, at, pos);
  }
  // The rest of the context object (the machine's id, the state's, the task token, ...): nothing the IR names.
  if (path.startsWith("$$.")) return refuse(ctx, at, `path '${path}' reads the Step Functions context object, of which the IR names only the execution's name, id, start time and input, the state machine's name, and a Map's item`);
  const own = segments(path);
  if (!own) return refuse(ctx, at, `path '${path}' cannot be read as an IR reference`);
  const segs = [...(flow.within ?? []), ...own];
  if (!segs.length) return wholeState(ctx, flow, at, `path '${path}'`);
  const head = segs[0];
  let base = flow.base;
  let rest = segs;
  if (typeof head === "string" && flow.fields.has(head)) {
    base = flow.fields.get(head)!;
    rest = segs.slice(1);
  }
  if (base.kind === "unknown") {
    // Data from a state already refused: that refusal is the cause, not this read.
    if (base.refused) {
      ctx.quietFails++;
      return undefined;
    }
    return refuse(ctx, at, `path '${path}' reads data whose meaning is unknown here (${base.why})`);
  }
  if (base.kind === "own") return ownPath(ctx, rest, path, at, pos, hint);
  if (base.kind === "failure") return failureRef(ctx, base, rest, `path '${path}'`, at, pos);
  if (base.kind === "branches") return rest.length ? branchRead(ctx, base, rest, `path '${path}'`, at, hint) : wholeState(ctx, { base, fields: new Map() }, at, `path '${path}'`);
  if (base.kind === "doc") {
    const v = walkDoc(ctx, base, rest, `path '${path}'`, at, pos, hint);
    // A top-level member of the run's input, copied by a Pass, is read here as that parameter.
    const name = v?.kind === "ref" && v.ref.scope === "execution" && v.ref.name === "input" && v.ref.path.length === 1 ? v.ref.path[0] : undefined;
    return typeof name === "string" && IDENT.test(name) && !ctx.own && !flow.raw && !ctx.objectInputs.has(name) ? inputParam(ctx, name, pos, hint) : v;
  }
  if (base.kind === "input") {
    if (rest.length === 1 && typeof rest[0] === "string" && IDENT.test(rest[0]) && !flow.raw && !ctx.objectInputs.has(rest[0])) return inputParam(ctx, rest[0], pos, hint);
    // Deeper into the input (an event's `detail`): the run's input document at that path.
    return pathRef(ctx, { scope: "execution", name: "input", path: rest }, at, pos);
  }
  if (base.prefix) rest = [...base.prefix, ...rest];
  // The whole object a ResultSelector built (written at a key by ResultPath): the map of what it picked.
  if (base.selector && !rest.length) return wholeState(ctx, { base, fields: new Map() }, at, `path '${path}'`);
  if (base.selector) {
    const sel = typeof rest[0] === "string" ? base.selector[rest[0]] : undefined;
    const inner = sel ? segments(sel) : undefined;
    if (!inner) return refuse(ctx, at, `path '${path}' is not one of the fields ResultSelector kept`);
    return resultRef(ctx, base.id, [...inner, ...rest.slice(1)], at, pos, hint);
  }
  return resultRef(ctx, base.id, rest, at, pos, hint);
}

/** A Pass state's map with the results ResultPath wrote into it since, as one map. */
function mergedDoc(ctx: LiftCtx, map: Extract<Value, { kind: "map" }>, fields: Map<string, Base>, at: JPath, what: string): Value | undefined {
  const entries = { ...map.entries };
  for (const [k, b] of fields) {
    const v = wholeState(ctx, { base: b, fields: new Map() }, at, `'${showPath([k])}' of ${what}`);
    if (!v) return undefined;
    entries[k] = v;
  }
  return { kind: "map", entries, pos: map.pos };
}

const showValue = (v: Value): string =>
  v.kind === "literal" ? `the literal ${JSON.stringify(v.value)}` : v.kind === "join" ? "a text joined at run time (States.Format)" : v.kind === "ref" ? "a value with no parts the IR can name" : `a ${v.kind} expression`;

/**
 * A read into the data a Pass state built: map keys and list items are walked;
 * below a reference with a path (the run's input, a step's response) the rest
 * of the path is read from it; below anything else there is nothing to read.
 */
function walkDoc(ctx: LiftCtx, doc: DocBase, segs: PathSegment[], what: string, at: JPath, pos: Pos, hint: ScalarType | undefined): Value | undefined {
  let v = doc.value;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const upTo = showPath(segs.slice(0, i + 1));
    if (v.kind === "map" && typeof s === "string") {
      if (!(s in v.entries) && doc.over) return pathRef(ctx, { scope: "execution", name: "input", path: [...doc.over, ...segs] }, at, pos);
      if (!(s in v.entries)) return refuse(ctx, at, `${what} reads '${upTo}', which ${builtBy(doc)} does not hold (a run fails there)`);
      v = v.entries[s];
    } else if (v.kind === "list" && typeof s === "number") {
      if (s >= v.items.length) return refuse(ctx, at, `${what} reads '${upTo}', which ${builtBy(doc)} does not hold (a run fails there)`);
      v = v.items[s];
    } else if (v.kind === "ref") {
      return below(ctx, v.ref, segs.slice(i), what, at, pos, builtBy(doc), showPath(segs.slice(0, i)));
    } else if (v.kind === "call" && (v.fn === "set" || v.fn === "object")) {
      // A key ResultPath set below a value known as a whole: that key's value, or the value's own.
      const next = readKey(v, s);
      if (!next) return refuse(ctx, at, `${what} reads '${upTo}', which ${builtBy(doc)} does not hold (a run fails there)`);
      v = next;
    } else if (v.kind === "call") {
      // Below a function's result (States.StringToJson(...).a.b): get(), the rest of the path read from it.
      return readBelowCall(v, segs.slice(i), pos);
    } else {
      return refuse(ctx, at, `${what} reads '${upTo}' below ${v.kind === "map" || v.kind === "list" ? `a ${v.kind}` : showValue(v)} ('${showPath(segs.slice(0, i))}' of ${builtBy(doc)})`);
    }
  }
  if (doc.over && v.kind === "map") {
    const where = [...doc.over, ...segs];
    const merged = mergedOver(v, where, new Set(doc.merged ?? []), segs, pos);
    if (!merged) return refuse(ctx, at, `${what} is '${showPath(where)}' of the run's input with the result of state '${doc.from}' written into it by ResultPath, and what was written holds a list or text built from parts, which a pipeline expression cannot write inside set()`);
    const said = `'${showPath(where)}' is read as the run's input's object there with what ResultPath wrote set into it: a run whose input has no object at '${showPath(where)}' (or below it, where results were written deeper) fails there, where Step Functions would create it`;
    if (!ctx.diags.some((d) => d.message.endsWith(said))) warn(ctx, at, said);
    return merged;
  }
  if (v.kind === "ref" && hint) retype(ctx, v.ref, hint);
  return { ...v, pos } as Value;
}

/** `get(call, 'rest')`, or a longer path of a get() the value already is. */
function readBelowCall(v: Extract<Value, { kind: "call" }>, rest: PathSegment[], pos: Pos): Value {
  const inner = v.fn === "get" && v.args[1]?.kind === "literal" && typeof v.args[1].value === "string" ? parsePathText(v.args[1].value) : undefined;
  const [base, path] = inner ? [v.args[0], [...inner, ...rest]] : [v, rest];
  return { kind: "call", fn: "get", args: [base, { kind: "literal", value: printPathText(path), type: "string", pos }], pos };
}

/** What built a document, as messages name it. */
export const builtBy = (doc: DocBase): string => doc.built ?? `the data Pass state '${doc.from}' built`;

/** `rest` read below a reference a Pass state put in its data: a longer path of the same document. */
function below(ctx: LiftCtx, r: Ref, rest: PathSegment[], what: string, at: JPath, pos: Pos, built: string, where: string): Value | undefined {
  if (r.scope === "execution" && r.name === "input") return pathRef(ctx, { ...r, path: [...r.path, ...rest] }, at, pos);
  if (r.scope === "steps" && (r.attr === "response" || r.attr === "results")) return pathRef(ctx, { ...r, path: [...r.path, ...rest] }, at, pos);
  if (r.scope === "item") return pathRef(ctx, { ...r, path: [...r.path, ...rest] }, at, pos);
  // A declared output is a top-level member of the function's payload or the API response.
  if (r.scope === "steps" && r.attr === "outputs" && RESPONSE_KEPT.has(ctx.steps.get(r.step)!.kind)) return pathRef(ctx, { scope: "steps", step: r.step, attr: "response", path: [r.name, ...rest] }, at, pos);
  // A parameter of a machine written elsewhere is a top-level member of the run's input.
  if (r.scope === "params" && !ctx.own) return pathRef(ctx, { scope: "execution", name: "input", path: [r.name, ...rest] }, at, pos);
  const named = r.scope === "steps" ? `the ${r.attr} of step '${r.step}'` : r.scope === "params" ? `parameter '${r.name}'` : `the execution's ${r.scope === "execution" ? r.name : "item"}`;
  return refuse(ctx, at, `${what} reads '${showPath(rest)}' below ${named} ('${where}' of ${built}), which has no parts the IR can name`);
}

/** A comparison's type for a parameter or output first read through a Pass state. */
function retype(ctx: LiftCtx, r: Ref, hint: ScalarType): void {
  if (r.scope === "params") {
    const p = ctx.params.get(r.name);
    if (p) typeFrom(ctx, `param:${r.name}`, p.type, hint, (t) => (p.type = t));
  } else if (r.scope === "steps" && r.attr === "outputs") {
    const s = ctx.steps.get(r.step) as { outputs?: Record<string, ScalarType> } | undefined;
    if (s?.outputs) typeFrom(ctx, `${r.step}.${r.name}`, s.outputs[r.name], hint, (t) => (s.outputs![r.name] = t));
  }
}

/** A top-level member of the run's input of a machine written elsewhere: a parameter, typed by its first comparison. */
function inputParam(ctx: LiftCtx, name: string, pos: Pos, hint: ScalarType | undefined): Value {
  const existing = ctx.params.get(name);
  typeFrom(ctx, `param:${name}`, existing?.type, hint, (t) => {
    if (existing) existing.type = t;
    else ctx.params.set(name, { name, type: t, pos });
  });
  return { kind: "ref", ref: { scope: "params", name }, pos };
}

/** A Parameters value (literal JSON with `.$` keys) as an IR value. */
export function liftValue(ctx: LiftCtx, flow: Flow, node: unknown, at: JPath): Value | undefined {
  const pos = ctx.src.pos(at);
  if (node === null || typeof node !== "object") return fromJson(node as string | number | boolean | null, pos);
  if (Array.isArray(node)) {
    const items = node.map((x, i) => liftValue(ctx, flow, x, [...at, i]));
    return items.every((x) => x) ? { kind: "list", items: items as Value[], pos } : undefined;
  }
  const entries: Record<string, Value> = {};
  let ok = true;
  for (const [k, v] of Object.entries(node)) {
    const r = k.endsWith(".$") ? (typeof v === "string" ? resolvePath(ctx, flow, v, [...at, k]) : refuse(ctx, [...at, k], "a '.$' key needs a path")) : liftValue(ctx, flow, v, [...at, k]);
    if (!r) ok = false;
    else entries[k.endsWith(".$") ? k.slice(0, -2) : k] = r;
  }
  return ok ? { kind: "map", entries, pos } : undefined;
}

/** `obj[key]` or `obj["key.$"]` as an IR value; undefined when absent. */
export function field(ctx: LiftCtx, flow: Flow, obj: Record<string, unknown> | undefined, key: string, at: JPath, hint?: ScalarType): Value | undefined {
  if (!obj) return undefined;
  if (`${key}.$` in obj) {
    const v = obj[`${key}.$`];
    return typeof v === "string" ? resolvePath(ctx, flow, v, [...at, `${key}.$`], hint) : refuse(ctx, [...at, `${key}.$`], "a '.$' key needs a path");
  }
  if (key in obj) return liftValue(ctx, flow, obj[key], [...at, key]);
  return undefined;
}

/** `$.params.X`, `$.const.K`, `$.steps.<id>.<attr>` in a machine Switchyard wrote. */
function ownPath(ctx: LiftCtx, segs: PathSegment[], path: string, at: JPath, pos: Pos, hint: ScalarType | undefined): Value | undefined {
  const [head, a, b, ...rest] = segs;
  const ref = (r: Ref): Value => ({ kind: "ref", ref: r, pos });
  // A variable read with a fallback is kept as `{"Value": ...}` (input-defaults.ts).
  if (head === "params" && typeof a === "string" && a.startsWith(VARIABLE_DEFAULT_PREFIX) && b === VARIABLE_VALUE_KEY && !rest.length && ctx.runValues?.has(a)) return ctx.runValues.get(a)!(pos);
  if (head === "params" && typeof a === "string" && b === undefined) {
    const worked = ctx.runValues?.get(a);
    if (worked && !a.startsWith(VARIABLE_DEFAULT_PREFIX)) return worked(pos);
    const existing = ctx.params.get(a);
    if (!existing) return refuse(ctx, at, `path '${path}' reads parameter '${a}', which the machine's parameter states do not declare`);
    return ref({ scope: "params", name: a });
  }
  if (head === "const" && typeof a === "string" && b === undefined && ctx.consts.has(a)) return { kind: "literal", value: ctx.consts.get(a)!, type: "string", pos };
  if (head === "item" && ctx.mapItem) return { kind: "ref", ref: { scope: "item", path: segs.slice(1) }, pos };
  // An outer map's item, handed down by lowering to the maps inside it.
  if (head === "items" && typeof a === "string" && ctx.mapIds.includes(a)) return { kind: "ref", ref: { scope: "steps", step: a, attr: "item", path: segs.slice(2) }, pos };
  if (head === "steps" && typeof a === "string" && ctx.steps.has(a)) {
    const s = ctx.steps.get(a)!;
    if (b === "outputs" && typeof rest[0] === "string" && rest.length === 1 && (s.kind === "lambda" || s.kind === "approval" || s.kind === "aws")) {
      const out = rest[0];
      typeFrom(ctx, `${a}.${out}`, s.outputs[out], hint, (t) => (s.outputs[out] = t));
      return ref({ scope: "steps", step: a, attr: "outputs", name: out });
    }
    if ((b === "model" || b === "job_name" || b === "arn" || b === "name") && rest.length === 0) return ref({ scope: "steps", step: a, attr: b });
    if (b === "reports" && typeof rest[0] === "string" && rest[1] === "json" && s.kind === "processing" && s.reports[rest[0]]) {
      return ref({ scope: "steps", step: a, attr: "reports", report: rest[0], path: rest.slice(2) });
    }
    if (b === "response" && RESPONSE_KEPT.has(s.kind)) return pathRef(ctx, { scope: "steps", step: a, attr: "response", path: rest }, at, pos);
    if (b === "results" && s.kind === "map" && s.result) return pathRef(ctx, { scope: "steps", step: a, attr: "results", path: rest }, at, pos);
  }
  return refuse(ctx, at, `path '${path}' has no IR reference`);
}

/** Intrinsics the IR holds as values: States.Format (a join), States.Array (a list), names Switchyard generates. */
function liftIntrinsic(ctx: LiftCtx, flow: Flow, text: string, at: JPath, hint: ScalarType | undefined): Value | undefined {
  const pos = ctx.src.pos(at);
  // A model name Switchyard generates for a model step is that step's name.
  for (const s of ctx.steps.values()) if (s.kind === "model" && text === modelNameExpr(s.id, undefined)) return { kind: "ref", ref: { scope: "steps", step: s.id, attr: "name" }, pos };
  const tree = parseIntrinsic(text);
  if (!tree) return refuse(ctx, at, `'${text.slice(0, 60)}' is not an intrinsic function call`);
  return fromIntrinsic(ctx, flow, tree, at, pos, hint);
}

function fromIntrinsic(ctx: LiftCtx, flow: Flow, n: Intrinsic, at: JPath, pos: Pos, hint: ScalarType | undefined): Value | undefined {
  switch (n.t) {
    case "str":
      return { kind: "literal", value: n.value, type: "string", pos };
    case "num":
      return { kind: "literal", value: n.value, type: /[.eE]/.test(n.text) ? "float" : "integer", pos };
    case "bool":
      return { kind: "literal", value: n.value, type: "boolean", pos };
    case "null":
      return { kind: "literal", value: null, pos };
    case "path":
      return resolvePath(ctx, flow, n.path, at, hint);
    case "call":
      break;
  }
  if (n.name === "States.JsonMerge") return liftMerge(n, pos, { lift: (x) => fromIntrinsic(ctx, flow, x, at, pos, undefined), refuse: (why) => refuse(ctx, at, why) });
  // A model name Switchyard generates, inside other text: that model step's name.
  const model = [...ctx.steps.values()].find((s) => s.kind === "model" && printIntrinsic(n) === modelNameExpr(s.id, undefined));
  if (model) return { kind: "ref", ref: { scope: "steps", step: model.id, attr: "name" }, pos };
  if (n.name === "States.Format" && n.args[0]?.t === "str") {
    const tpl = formatParts(n.args[0].raw);
    // `${name}` is filled in at deployment (SAM, CloudFormation, Terraform); its braces are not a placeholder.
    const sub = tpl ? undefined : /\$\{[^{}]*\}/.exec(n.args[0].raw)?.[0];
    if (sub) return refuse(ctx, at, `the States.Format template holds '${sub}', a deployment-time substitution: the template is known only once deployed`, substitutionHint(sub));
    if (!tpl || tpl.length !== n.args.length) return refuse(ctx, at, "a States.Format template whose placeholders do not match its arguments");
    // A tuning step's best model: `<artifacts>/<execution>/<step>/model/<best job>/output/model.tar.gz`.
    const best = n.args.length === 3 && n.args[2].t === "path" ? /^\$\.steps\.([A-Za-z_][A-Za-z0-9_-]*)\.best_job$/.exec(n.args[2].path) : null;
    if (ctx.own && best && ctx.steps.get(best[1])?.kind === "tuning" && tpl[1] === `/${best[1]}/model/` && tpl[2] === "/output/model.tar.gz" && n.args[1].t === "path" && n.args[1].path === "$$.Execution.Name") {
      return { kind: "ref", ref: { scope: "steps", step: best[1], attr: "model" }, pos };
    }
    // A list in text is printed as `States.Format('{}', States.JsonToString(<list>))`, which a join does by itself;
    // a JsonToString anywhere else is the json() function (whose quotes around text a join would not add).
    const only = n.args[1];
    if (tpl.length === 2 && tpl[0] === "" && tpl[1] === "" && only?.t === "call" && only.name === "States.JsonToString" && only.args.length === 1 && only.args[0].t === "call" && (PRINTED_AS_LIST.has(only.args[0].name) || (ctx.own && isTextList(only.args[0])))) {
      return fromIntrinsic(ctx, flow, only.args[0], at, pos, undefined);
    }
    const parts: Value[] = [];
    for (let i = 0; i < tpl.length; i++) {
      if (tpl[i] !== "") parts.push({ kind: "literal", value: tpl[i], type: "string", pos });
      if (i + 1 < tpl.length) {
        const v = fromIntrinsic(ctx, flow, n.args[i + 1], at, pos, undefined);
        if (!v) return undefined;
        parts.push(v);
      }
    }
    if (parts.every((x) => x.kind === "literal")) return { kind: "literal", value: parts.map((x) => String((x as { value: unknown }).value)).join(""), type: "string", pos };
    return ownOutput(ctx, parts, pos) ?? { kind: "join", parts, pos };
  }
  if (n.name === "States.Array" && ctx.own) {
    // A foreach step's values, one per copy in item order: `$.steps.<id>[i].<attr>`.
    const m = n.args.map((x) => (x.t === "path" ? /^\$\.steps\.([A-Za-z_][A-Za-z0-9_-]*)\[([0-9]+)\]\.(model|job_name|arn|name|response)(.*)$/.exec(x.path) : null));
    const s = m[0] ? ctx.steps.get(m[0][1]) : undefined;
    if (s?.foreach && m.length === s.foreach.items.length && m.every((x, i) => x && x[1] === m[0]![1] && Number(x[2]) === i && x[3] === m[0]![3] && x[4] === m[0]![4])) {
      if (m[0]![3] !== "response" && m[0]![4] === "") return { kind: "ref", ref: { scope: "steps", step: s.id, attr: m[0]![3] as "model" }, pos };
      // A foreach step's response at one path, per copy.
      const path = m[0]![3] === "response" && RESPONSE_KEPT.has(s.kind) ? segments("$" + m[0]![4]) : undefined;
      if (path) return pathRef(ctx, { scope: "steps", step: s.id, attr: "response", path }, at, pos);
    }
  }
  if (n.name === "States.Array") {
    const items = n.args.map((x) => fromIntrinsic(ctx, flow, x, at, pos, undefined));
    if (!items.every((x) => x)) return undefined;
    return foreachOutput(ctx, items as Value[], pos) ?? { kind: "list", items: items as Value[], pos };
  }

  if (n.name === "States.StringToJson" && n.args[0]?.t === "call" && ctx.own) {
    const list = textList(ctx, flow, n.args[0], at, pos);
    if (list) return foreachOutput(ctx, list, pos) ?? { kind: "list", items: list, pos };
  }
  if (n.name === "States.StringToJson" && n.args[0]?.t === "call") {
    const obj = liftObject(n, pos, { lift: (x) => fromIntrinsic(ctx, flow, x, at, pos, undefined), refuse: (why) => refuse(ctx, at, why) });
    if (obj) return obj;
  }
  if (n.name === "States.StringToJson" && n.args.length === 1 && n.args[0].t === "path") {
    const inner = fromIntrinsic(ctx, flow, n.args[0], at, pos, undefined);
    if (inner?.kind === "literal" && typeof inner.value === "string") {
      try {
        return fromJsonDeep(JSON.parse(inner.value), pos);
      } catch {
        /* not JSON: refused below */
      }
    }
  }
  // Intrinsics the expression language has as functions.
  const fn = INTRINSIC_FUNCTIONS[n.name];
  if (fn && n.args.length === FUNCTIONS[fn].params.length) {
    const args = n.args
      .map((x, i) => {
        // A list a function takes (ArrayLength's, ArrayGetItem's) is a member of a call's result read as its response, never a declared output (a scalar).
        if (FUNCTIONS[fn].params[i] !== "list") return fromIntrinsic(ctx, flow, x, at, pos, undefined);
        const presence = ctx.presence;
        ctx.presence = true;
        const v = fromIntrinsic(ctx, flow, x, at, pos, undefined);
        ctx.presence = presence;
        return v;
      })
      .map((x) => (x?.kind === "join" ? (ownDestination(ctx, x) ?? x) : x));
    if (!args.every((x) => x)) return undefined;
    // The expression language joins text only in a field's own text, not inside a function's argument.
    if (args.some((x) => x!.kind === "join")) return refuse(ctx, at, `${printIntrinsic(n)}: ${n.name}'s argument is text built from parts, which a pipeline expression cannot write inside a function`);
    return { kind: "call", fn, args: args as Value[], pos };
  }
  return refuse(ctx, at, intrinsicRefusal(n));
}

/**
 * In a machine Switchyard wrote, a step output's location (`<artifacts>/<execution>/<step>/<output>`)
 * is that output: a reference keeps it what it was, also where text cannot be (a function's argument).
 */
function ownOutput(ctx: LiftCtx, parts: Value[], pos: Pos): Value | undefined {
  const loc = ctx.own ? ownLocation(parts) : undefined;
  const m = loc && /^\/([A-Za-z_][A-Za-z0-9_-]*)\/([A-Za-z_][A-Za-z0-9_-]*)$/.exec(loc.suffix);
  const s = m ? ctx.steps.get(m[1]) : undefined;
  if (!loc || !m || !s || s.foreach || !locatedOutput(s, m[2]) || (ctx.artifacts !== undefined && ctx.artifacts !== loc.artifacts)) return undefined;
  ctx.artifacts = loc.artifacts;
  return { kind: "ref", ref: { scope: "steps", step: s.id, attr: "outputs", name: m[2] }, pos };
}

/** An output location as lowering writes it, `<artifacts>/` + the run's id + `/<suffix>`: its artifacts and suffix. */
function ownLocation(parts: Value[]): { artifacts: string; suffix: string } | undefined {
  if (parts.length !== 3) return undefined;
  const [a, e, b] = parts;
  if (a.kind !== "literal" || typeof a.value !== "string" || !a.value.endsWith("/") || e.kind !== "ref" || e.ref.scope !== "execution" || e.ref.name !== "id" || b.kind !== "literal" || typeof b.value !== "string") return undefined;
  return { artifacts: a.value.slice(0, -1), suffix: b.value };
}

/** Whether the step has an output of that name written to S3 (processing outputs, a transform's or notebook's output). */
const locatedOutput = (s: Step, name: string): boolean => (s.kind === "processing" || s.kind === "transform" || s.kind === "notebook") && name in stepOutputs(s);

/**
 * A list of texts written as one JSON text (render.ts textList): `States.Format('["…{}…",…]', …)`, each
 * placeholder inside a string. The items, each a literal or a join of its text and the values spliced in.
 */
function textList(ctx: LiftCtx, flow: Flow, f: Intrinsic, at: JPath, pos: Pos): Value[] | undefined {
  if (f.t !== "call" || f.name !== "States.Format" || f.args[0]?.t !== "str" || !f.args[0].raw.startsWith("[")) return undefined;
  const tpl = formatParts(f.args[0].raw);
  if (!tpl || tpl.length !== f.args.length) return undefined;
  const args: Value[] = [];
  let text = tpl[0];
  for (let i = 1; i < tpl.length; i++) {
    const v = fromIntrinsic(ctx, flow, f.args[i], at, pos, undefined);
    if (!v) return undefined;
    text += `\\u0000${args.push(v) - 1}\\u0000` + tpl[i];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === "string")) return undefined;
  const used = new Set<number>();
  const items = (parsed as string[]).map((x): Value => {
    const pieces = x.split("\u0000");
    if (pieces.length === 1) return { kind: "literal", value: x, type: "string", pos };
    const parts: Value[] = [];
    pieces.forEach((piece, k) => {
      if (k % 2 === 0) {
        if (piece !== "") parts.push({ kind: "literal", value: piece, type: "string", pos });
      } else {
        used.add(Number(piece));
        parts.push(args[Number(piece)]);
      }
    });
    return { kind: "join", parts, pos };
  });
  // Every value spliced in exactly once, each inside a string.
  return used.size === args.length ? items : undefined;
}

/**
 * In a machine Switchyard wrote, the list of a foreach step's copies' output locations, in item order
 * (`<artifacts>/<run>/<step>/<copy>/<output>`), is that step's output.
 */
function foreachOutput(ctx: LiftCtx, items: Value[], pos: Pos): Value | undefined {
  if (!ctx.own || !items.length) return undefined;
  let found: { step: Step; name: string; artifacts: string } | undefined;
  for (const [i, v] of items.entries()) {
    const loc = v.kind === "join" ? ownLocation(v.parts) : undefined;
    const m = loc && /^\/([A-Za-z_][A-Za-z0-9_-]*)\/([0-9]+)\/([A-Za-z_][A-Za-z0-9_-]*)$/.exec(loc.suffix);
    const s = m ? ctx.steps.get(m[1]) : undefined;
    if (!loc || !m || !s?.foreach || Number(m[2]) !== i || (found && (found.step !== s || found.name !== m[3] || found.artifacts !== loc.artifacts))) return undefined;
    found = { step: s, name: m[3], artifacts: loc.artifacts };
  }
  const { step: s, name, artifacts } = found!;
  if (items.length !== s.foreach!.items.length || !locatedOutput(s, name) || (ctx.artifacts !== undefined && ctx.artifacts !== artifacts)) return undefined;
  ctx.artifacts = artifacts;
  return { kind: "ref", ref: { scope: "steps", step: s.id, attr: "outputs", name }, pos };
}

/**
 * In a machine Switchyard wrote, text built from parts that is an output's own
 * destination (built at run time) is that output, where text cannot be (a function's argument).
 */
function ownDestination(ctx: LiftCtx, v: Value): Value | undefined {
  if (!ctx.own) return undefined;
  const key = positionFreeJson(v);
  // Of outputs that share a destination, the one lifted last before this state (steps are lifted in the order they run):
  // the one the step reading it waits for, where an earlier one may run in a branch it does not.
  let found: Value | undefined;
  for (const s of ctx.steps.values()) {
    if (s.foreach) continue;
    for (const [name, d] of ownDestinations(s)) {
      if (positionFreeJson(d) === key) found = { kind: "ref", ref: { scope: "steps", step: s.id, attr: "outputs", name }, pos: v.pos };
    }
  }
  return found;
}

/** A list of texts written as one JSON text (render.ts textList), which a join prints through States.JsonToString too. */
const isTextList = (n: Intrinsic & { t: "call" }): boolean => n.name === "States.StringToJson" && n.args[0]?.t === "call" && n.args[0].name === "States.Format" && n.args[0].args[0]?.t === "str" && n.args[0].args[0].raw.startsWith("[");

/** Intrinsics giving a list, which a join prints through States.JsonToString (render.ts). */
const PRINTED_AS_LIST: ReadonlySet<string> = new Set(["States.Array", "States.StringSplit"]);

/** Intrinsics that are the language's functions: render.ts's table read the other way. */
const INTRINSIC_FUNCTIONS: Record<string, FnName> = Object.fromEntries(Object.entries(INTRINSICS).map(([fn, i]) => [i.name, fn as FnName]));

function fromJsonDeep(j: unknown, pos: Pos): Value {
  if (Array.isArray(j)) return { kind: "list", items: j.map((x) => fromJsonDeep(x, pos)), pos };
  if (j !== null && typeof j === "object") return { kind: "map", entries: Object.fromEntries(Object.entries(j).map(([k, v]) => [k, fromJsonDeep(v, pos)])), pos };
  return fromJson(j as string | number | boolean | null, pos);
}
