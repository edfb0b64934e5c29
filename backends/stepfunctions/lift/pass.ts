/**
 * A Pass state that shapes data: it calls nothing, so it is folded into what
 * the lifter knows the state data holds (a `doc` of IR values) and becomes no
 * step. Reads after it resolve through what it built.
 */
import type { PathSegment, Value } from "../../../src/ir/types.js";
import { fromJson } from "../../../src/ir/values.js";
import { liftValue, refuse, segments, warn, wholeState, type Base, type DocBase, type Flow, type LiftCtx } from "./flow.js";
import { showPath, type JPath } from "./source.js";
import { setKey } from "./keys.js";

type Obj = Record<string, unknown>;
type Json = Parameters<typeof fromJson>[0];

const FIELDS = ["Type", "Next", "End", "Comment", "Parameters", "Result", "ResultPath", "InputPath", "OutputPath"];

const plainOnly = (field: string, path: string) =>
  /\.\.|\[\?|\*|\[[0-9-]*:/.test(path)
    ? `${field} '${path}' is a JSONPath query (a '..' descent, a filter, a wildcard or a slice), which the IR cannot hold: only plain paths ($.a.b, $['k'], $[0]) are read`
    : `${field} '${path}' cannot be read as a plain path of the state data ($.a.b, $['k'], $[0])`;

/** The state data after the Pass state `name`; what it cannot hold is refused, and its data is then unknown. */
export function liftPass(ctx: LiftCtx, flow: Flow, name: string, st: Obj, at: JPath): Flow {
  const pos = ctx.src.pos(at);
  const doc = (value: Value): DocBase => ({ kind: "doc", value, from: name });
  const written: Base = { kind: "unknown", why: `the result of refused state '${name}'`, refused: true };
  const failed = (): Flow => {
    // What it wrote is unknown; later reads of it are explained by the refusal, not by the execution input.
    if (typeof st.ResultPath === "string" && st.ResultPath !== "$" && st.OutputPath === undefined) {
      const head = segments(st.ResultPath)?.[0];
      if (typeof head === "string") return { base: flow.base, fields: new Map(flow.fields).set(head, written) };
    }
    return st.ResultPath === null && st.OutputPath === undefined ? flow : { base: written, fields: new Map() };
  };
  let ok = true;
  for (const k of Object.keys(st)) if (!FIELDS.includes(k)) ok = !!refuse(ctx, [...at, k], `field '${k}' of a Pass state has no IR equivalent`);
  // An end state's data is only the execution's output, which a lifted pipeline does not keep (warned once for a machine written elsewhere);
  // inside a map it is the iteration's result, which the map keeps as its result where it can (liftMap).
  if (st.End === true) {
    if (ctx.own && ok && !ctx.mapItem) warn(ctx, at, "what this end state returns is the execution's output, which the IR does not keep: the lowered machine returns its parameters and step results");
    return ok ? flow : failed();
  }

  // The effective input: the data below InputPath (`null`: an empty object).
  let input: Flow = { ...flow, raw: true };
  if (st.InputPath === null) input = { base: doc({ kind: "map", entries: {}, pos: ctx.src.pos([...at, "InputPath"]) }), fields: new Map() };
  else if (typeof st.InputPath === "string" && st.InputPath !== "$") {
    const within = segments(st.InputPath);
    if (!within) return refuse(ctx, [...at, "InputPath"], plainOnly("InputPath", st.InputPath)) ?? failed();
    input = { ...input, within: [...(flow.within ?? []), ...within] };
  } else if (st.InputPath !== undefined && st.InputPath !== "$") return refuse(ctx, [...at, "InputPath"], `InputPath ${JSON.stringify(st.InputPath)} is not a path`) ?? failed();

  // The result: Result as written, else Parameters built from the input, else the input itself.
  let result: Value | undefined;
  if (st.Parameters !== undefined) {
    result = liftValue(ctx, input, st.Parameters, [...at, "Parameters"]);
    if (!result) return failed();
  }
  if ("Result" in st) {
    ok = literalKeys(ctx, st.Result, [...at, "Result"]) && ok;
    result = fromJson(st.Result as Json, ctx.src.pos([...at, "Result"]));
  }
  if (!ok) return failed();

  // ResultPath: the result replaces the data, is discarded, or is written at a key.
  let out: Flow;
  const rp = st.ResultPath;
  if (rp === null) out = flow;
  else if (rp === undefined || rp === "$") {
    if (result) out = { base: doc(result), fields: new Map() };
    else if (!input.within) out = flow;
    else {
      const v = wholeState(ctx, input, [...at, "InputPath"], `the Pass state's input (below InputPath '${String(st.InputPath)}')`);
      if (!v) return failed();
      out = { base: doc(v), fields: new Map() };
    }
  } else {
    const segs = typeof rp === "string" ? segments(rp) : undefined;
    if (!segs || !segs.length || segs.some((x) => typeof x !== "string")) {
      return refuse(ctx, [...at, "ResultPath"], `ResultPath ${JSON.stringify(rp)} has no IR equivalent: only '$', null and paths of keys ($.a, $.a.b) are read`) ?? failed();
    }
    const v = result ?? wholeState(ctx, input, at, "the Pass state's result (its input, passed on)");
    if (!v) return failed();
    const set = writeAt(ctx, flow, segs as string[], v, name, [...at, "ResultPath"]);
    if (!set) return failed();
    out = set;
  }

  // OutputPath: the part of the data passed on (`null`: an empty object).
  if (st.OutputPath === null) return { base: doc({ kind: "map", entries: {}, pos }), fields: new Map() };
  if (st.OutputPath === undefined || st.OutputPath === "$") return out;
  const keep = typeof st.OutputPath === "string" ? segments(st.OutputPath) : undefined;
  if (!keep) return refuse(ctx, [...at, "OutputPath"], typeof st.OutputPath === "string" ? plainOnly("OutputPath", st.OutputPath) : `OutputPath ${JSON.stringify(st.OutputPath)} is not a path`) ?? failed();
  const v = wholeState(ctx, { ...out, within: keep }, [...at, "OutputPath"], `OutputPath '${st.OutputPath as string}'`);
  return v ? { base: doc(v), fields: new Map() } : failed();
}

/**
 * The data with `value` written at `$.a` (a top-level key) or deeper (`$.a.b`),
 * which needs what is at `$.a` known key by key: data a Pass state built.
 */
export function writeAt(ctx: LiftCtx, flow: Flow, segs: string[], value: Value, from: string, at: JPath): Flow | undefined {
  const [head, ...rest] = segs;
  if (!rest.length) return { base: flow.base, fields: new Map(flow.fields).set(head, { kind: "doc", value, from }) };
  const holder: Base = flow.fields.get(head) ?? flow.base;
  let current: Value | undefined;
  let over: PathSegment[] | undefined;
  if (flow.fields.has(head) && holder.kind === "doc") {
    current = holder.value;
    over = holder.over;
  }
  // A key of the run's input no state wrote yet: what is written is known, other members stay the input's.
  else if (!flow.fields.has(head) && holder.kind === "input") over = [head];
  else if (!flow.fields.has(head) && holder.kind === "doc") {
    if (holder.value.kind !== "map") return refuse(ctx, at, `ResultPath '${showPath(segs)}' writes into the data Pass state '${holder.from}' built, which is not an object known key by key`);
    current = holder.value.entries[head];
  } else {
    const what = holder.kind === "input" ? "the run's input" : holder.kind === "step" ? `the result of step '${holder.id}'` : holder.kind === "own" ? "the data of a machine Switchyard wrote" : `data whose meaning is unknown here (${holder.kind === "unknown" ? holder.why : ""})`;
    return refuse(ctx, at, `ResultPath '${showPath(segs)}' merges the result into '${showPath([head])}', part of ${what}: the IR cannot name the merge as one value (only data a Pass state built can be written into below the top level)`);
  }
  const merged = setKey(current, rest, value);
  if (!merged) return refuse(ctx, at, `ResultPath '${showPath(segs)}' writes below a value in '${showPath([head])}' that is not an object known key by key`);
  // Over the run's input: the objects written through are merges into the input's (the value written replaces what was below it).
  const leaf = JSON.stringify(rest);
  const through = over ? [...((holder.kind === "doc" ? holder.merged : undefined) ?? []).filter((p) => !(p === leaf || p.startsWith(leaf.slice(0, -1) + ","))), ...rest.slice(0, -1).map((_, i) => JSON.stringify(rest.slice(0, i + 1)))] : [];
  return { base: flow.base, fields: new Map(flow.fields).set(head, { kind: "doc", value: merged, from, ...(over ? { over, merged: [...new Set(through)] } : {}) }) };
}


/** Result is literal JSON; a key ending in '.$' would be read as a path wherever the value is written into a request again. */
function literalKeys(ctx: LiftCtx, j: unknown, at: JPath): boolean {
  let ok = true;
  if (Array.isArray(j)) j.forEach((x, i) => (ok = literalKeys(ctx, x, [...at, i]) && ok));
  else if (j !== null && typeof j === "object") {
    for (const [k, v] of Object.entries(j)) {
      if (k.endsWith(".$")) ok = !!refuse(ctx, [...at, k], `the literal key '${k}' ends in '.$': the IR cannot hold it, since written into a request again Step Functions would read it as a path`);
      ok = literalKeys(ctx, v, [...at, k]) && ok;
    }
  }
  return ok;
}
