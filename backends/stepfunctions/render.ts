/**
 * IR values as ASL: a plain JSON literal (under a plain key), or a path /
 * intrinsic expression (under a `key.$`). User text only ever lands in literal
 * JSON, or escaped in an intrinsic string (see intrinsics.ts).
 */
import { error, type Diagnostic } from "../../src/diagnostics.js";
import { outputLocation, splitS3, outputSuffix } from "../../src/ir/dataflow.js";
import { printExpr, printRef } from "../../src/ir/expr/print.js";
import type { FnName, PathSegment, Pipeline, Pos, Ref, ScalarType, Step, Value } from "../../src/ir/types.js";
import { ERROR_PATH, type Json } from "./asl.js";
import { escapeFormat, inlineSafe, intrinsicCalls, isSafeKey, member, pathMember, pathOf, quoteIntrinsic } from "./intrinsics.js";
import { INTRINSICS_PER_FIELD } from "./gather.js";
import { parsePathText } from "../../src/ir/expr/path-text.js";
import { readKey } from "../../src/ir/values.js";
import { movableFor } from "./spread.js";
import { ITERATION_RUN_MARK, modelNameExpr } from "./names.js";
import { LOGICAL_DATE_KEY, logicalDateShift, shiftedKey } from "./logical-date.js";
import { VARIABLE_VALUE_KEY, inputDefault } from "./input-defaults.js";
import { schedulePeriod } from "../../src/ir/cron.js";
import { responsePath, type ActionCasing } from "./sdk-casing.js";

export type RType = ScalarType | "list" | "object" | "unknown";
export type Rendered = { lit: Json } | { expr: string; type: RType } | { obj: { [k: string]: Json } };

export interface RenderCtx {
  p: Pipeline;
  byId: Map<string, Step>;
  diags: Diagnostic[];
  /** Text kept out of intrinsics, by key under `$.const`. */
  consts: Map<string, string>;
  /** The step being written, named in errors about its values. */
  step?: string;
  /** Inside a map's steps: `item` is the iteration's item, kept at `$.item`. */
  mapItem?: boolean;
  /** Where `item` is read instead of `$.item` (a batched Map's ItemSelector reads each item as `$$.Map.Item.Value`). */
  itemPath?: string;
  /** The maps whose steps are being written, outermost first: an outer one's item is kept at `$.items.<map>`. */
  mapStack?: string[];
  /**
   * While a step's states are written: computes an intrinsic (or builds a Parameters
   * template) before the step, in its `<step>.values` Pass, and gives the path of the result.
   */
  hoist?: (part: string | { [k: string]: Json }) => string;
  /**
   * Foreach steps whose copies run in child machines of a split, by id: the copies each child runs.
   * Their results are kept as one list per child (`$.steps.<id>[child][copy]`).
   */
  chunked?: ReadonlyMap<string, number>;
  /**
   * Counts of what makes a step's states differ from one machine of a split to another: constants
   * (numbered per machine) and foreach results (read per child once `chunked`). See Built.units.
   */
  varies?: { n: number };
  /** aws steps whose kept response Step Functions spells otherwise than the API (PascalCase), by id. */
  responseCasing?: ReadonlyMap<string, ActionCasing>;
}

export function isExpr(r: Rendered): r is { expr: string; type: RType } {
  return "expr" in r;
}

const fail = (ctx: RenderCtx, pos: Pos, msg: string): Rendered => {
  ctx.diags.push(error(pos, ctx.step ? `step '${ctx.step}': ${msg}` : msg, { code: "stepfunctions-value" }));
  return { lit: null };
};

/** Each constant table's keys by text, so that a machine of many constants finds one without a search. */
const keysByText = new WeakMap<Map<string, string>, Map<string, string>>();

/** The path or intrinsic holding a constant text. */
function constPath(ctx: RenderCtx, text: string): string {
  if (ctx.varies) ctx.varies.n++;
  let byText = keysByText.get(ctx.consts);
  let k = byText?.get(text);
  // The table may have been renumbered since the index was made: then the index is made again.
  if (!byText || byText.size !== ctx.consts.size || (k !== undefined && ctx.consts.get(k) !== text)) {
    byText = new Map();
    for (const [key, v] of ctx.consts) if (!byText.has(v)) byText.set(v, key);
    keysByText.set(ctx.consts, byText);
    k = byText.get(text);
  }
  if (k !== undefined) return `$.const.${k}`;
  k = `c${ctx.consts.size}`;
  ctx.consts.set(k, text);
  byText.set(text, k);
  return `$.const.${k}`;
}

/** A scalar literal as an intrinsic argument. */
export function intrinsicLiteral(ctx: RenderCtx, v: string | number | boolean | null, type?: ScalarType): string {
  if (typeof v === "string") return inlineSafe(v) ? quoteIntrinsic(v) : constPath(ctx, v);
  if (typeof v === "number") return type === "float" && Number.isInteger(v) ? v.toFixed(1) : String(v);
  return String(v);
}

/** An intrinsic argument for any rendered value. */
export function asArg(ctx: RenderCtx, r: Rendered, pos: Pos): string {
  if (isExpr(r)) return r.expr;
  // A map holding expressions: its JSON text made by States.Format, parsed back.
  if ("obj" in r) return `States.StringToJson(${format(ctx, jsonParts(r))})`;
  const j = r.lit;
  if (j === null || typeof j !== "object") return intrinsicLiteral(ctx, j);
  if (Array.isArray(j)) return `States.Array(${j.map((x) => asArg(ctx, { lit: x }, pos)).join(", ")})`;
  // A literal map inside an intrinsic: kept as text in $.const and parsed back.
  return `States.StringToJson(${constPath(ctx, JSON.stringify(j))})`;
}

/**
 * A rendered value as the parts of its JSON text: literal JSON as text, each
 * expression through States.JsonToString. In an `obj`, a key ending in `.$`
 * holds an expression (render refuses such keys in literal maps).
 */
function jsonParts(r: Rendered): Array<{ text: string } | { arg: string }> {
  if (isExpr(r)) return [{ arg: `States.JsonToString(${r.expr})` }];
  const value = "obj" in r ? r.obj : r.lit;
  if (value === null || typeof value !== "object") return [{ text: JSON.stringify(value) }];
  if (Array.isArray(value)) {
    if (!("obj" in r)) return [{ text: JSON.stringify(value) }];
    return [{ text: "[" }, ...value.flatMap((x, i) => [...(i ? [{ text: "," }] : []), ...jsonParts({ obj: x as { [k: string]: Json } })]), { text: "]" }];
  }
  const out: Array<{ text: string } | { arg: string }> = [{ text: "{" }];
  Object.entries(value).forEach(([k, x], i) => {
    const dynamic = k.endsWith(".$");
    out.push({ text: `${i ? "," : ""}${JSON.stringify(dynamic ? k.slice(0, -2) : k)}:` });
    if (dynamic) out.push({ arg: `States.JsonToString(${String(x)})` });
    else if (x !== null && typeof x === "object" && !Array.isArray(x)) out.push(...jsonParts({ obj: x }));
    else out.push({ text: JSON.stringify(x) });
  });
  out.push({ text: "}" });
  return out;
}

/** States.Format over literal text parts and expression arguments. */
export function format(ctx: RenderCtx, parts: Array<{ text: string } | { arg: string }>): string {
  let tpl = "";
  const args: string[] = [];
  for (const part of parts) {
    if ("text" in part) {
      if (part.text === "") continue;
      if (inlineSafe(part.text)) tpl += escapeFormat(part.text);
      else {
        tpl += "{}";
        args.push(constPath(ctx, part.text));
      }
    } else {
      tpl += "{}";
      args.push(part.arg);
    }
  }
  return `States.Format('${tpl}'${args.map((a) => ", " + a).join("")})`;
}

/** The value as a string expression or literal (SageMaker string fields). */
export function asString(ctx: RenderCtx, r: Rendered, pos: Pos): Rendered {
  if (isExpr(r)) return r.type === "string" ? r : { expr: format(ctx, [{ arg: r.type === "list" || r.type === "object" ? `States.JsonToString(${r.expr})` : r.expr }]), type: "string" };
  if ("obj" in r) return { expr: `States.JsonToString(${asArg(ctx, r, pos)})`, type: "string" };
  return { lit: typeof r.lit === "string" ? r.lit : r.lit !== null && typeof r.lit === "object" ? JSON.stringify(r.lit) : String(r.lit) };
}

/** Where `execution.id` comes from: the execution's name, unique per state machine. */
export const EXECUTION_NAME = "$$.Execution.Name";

export function render(ctx: RenderCtx, v: Value): Rendered {
  switch (v.kind) {
    case "literal":
      return { lit: v.value };
    case "list": {
      const items = v.items.map((x) => render(ctx, x));
      if (items.every((x) => "lit" in x)) return { lit: items.map((x) => (x as { lit: Json }).lit) };
      return { expr: `States.Array(${items.map((x, i) => asArg(ctx, x, v.items[i].pos)).join(", ")})`, type: "list" };
    }
    case "map": {
      const out: { [k: string]: Json } = {};
      let dynamic = false;
      for (const [k, x] of Object.entries(v.entries)) {
        if (k.endsWith(".$")) return fail(ctx, x.pos, `map key '${k}' ends in '.$', which Step Functions would read as a path`);
        const r = render(ctx, x);
        if ("lit" in r) out[k] = r.lit;
        else if ("obj" in r) {
          out[k] = r.obj;
          dynamic = true;
        } else {
          out[`${k}.$`] = r.expr;
          dynamic = true;
        }
      }
      return dynamic ? { obj: out } : { lit: out };
    }
    case "ref":
      return renderRef(ctx, v.ref, v.pos);
    case "join": {
      const parts: Array<{ text: string } | { arg: string }> = [];
      for (const x of flattenJoin(ctx, v.parts)) {
        if (x.kind === "literal") {
          parts.push({ text: typeof x.value === "number" && x.type === "float" && Number.isInteger(x.value) ? x.value.toFixed(1) : String(x.value) });
          continue;
        }
        const r = render(ctx, x);
        // States.Format prints scalars itself; lists and maps go through JsonToString.
        if (isExpr(r) && r.type !== "list" && r.type !== "object") parts.push({ arg: r.expr });
        else {
          const s = asString(ctx, r, x.pos);
          if ("lit" in s) parts.push({ text: String(s.lit) });
          else parts.push({ arg: (s as { expr: string }).expr });
        }
      }
      if (parts.every((x) => "text" in x)) return { lit: parts.map((x) => (x as { text: string }).text).join("") };
      return { expr: format(ctx, parts), type: "string" };
    }
    case "call":
      return renderCall(ctx, v);
    default:
      return fail(ctx, v.pos, `'${printExpr(v)}' can only be used as a condition in Step Functions (JSONPath has no operators)`);
  }
}

/** The intrinsic of each function; `exists` is a Choice rule (choice.ts), not a value. */
export const INTRINSICS: Record<Exclude<FnName, "exists" | "set" | "object" | "matches" | "get" | "add_days" | "default">, { name: string; type: RType }> = {
  split: { name: "States.StringSplit", type: "list" },
  item: { name: "States.ArrayGetItem", type: "unknown" },
  length: { name: "States.ArrayLength", type: "integer" },
  uuid: { name: "States.UUID", type: "string" },
  json: { name: "States.JsonToString", type: "string" },
  parse: { name: "States.StringToJson", type: "unknown" },
};

function renderCall(ctx: RenderCtx, v: Extract<Value, { kind: "call" }>): Rendered {
  if (v.fn === "exists") return fail(ctx, v.pos, "exists() is a Choice rule (IsPresent) in Step Functions: use it in a condition's 'if' or a 'repeat.until', not as a value");
  if (v.fn === "set") return renderSet(ctx, v);
  if (v.fn === "object") return { expr: oneKey(ctx, v.args[0], v.args[1]), type: "object" };
  if (v.fn === "matches") return fail(ctx, v.pos, "matches() is a Choice rule (StringMatches) in Step Functions: use it in a condition's 'if' or a 'repeat.until', not as a value");
  if (v.fn === "get") return renderGet(ctx, v);
  if (v.fn === "add_days") return renderAddDays(ctx, v);
  if (v.fn === "default") return renderDefault(ctx, v);
  const args = v.args.map((a) => asArg(ctx, render(ctx, a), a.pos));
  const f = INTRINSICS[v.fn];
  return { expr: `${f.name}(${args.join(", ")})`, type: f.type };
}

/** `add_days(execution.logical_date, n)`: the date the machine's first states work out (logical-date.ts). */
function renderAddDays(ctx: RenderCtx, v: Extract<Value, { kind: "call" }>): Rendered {
  const days = logicalDateShift(v);
  if (days === undefined) return fail(ctx, v.pos, "add_days() moves the run's logical date by a number of days written out in Step Functions (JSONPath has no date arithmetic): add_days(execution.logical_date, -1)");
  const problem = logicalDateProblem(ctx.p);
  if (problem) return fail(ctx, v.pos, `add_days() of execution.logical_date on a schedule with intervals needs the scheduled time one period before the run's, and ${problem}`);
  return { expr: `$.params${member(shiftedKey(days))}`, type: "string" };
}

/** `default(execution.input.<path> | variables.<name>, fallback)`: the value the machine's first states work out (input-defaults.ts). */
function renderDefault(ctx: RenderCtx, v: Extract<Value, { kind: "call" }>): Rendered {
  const d = inputDefault(v);
  if (!d) return fail(ctx, v.pos, "default() takes a part of the run's input or a variable");
  if ("reason" in d) return fail(ctx, v.pos, `default() of ${v.args[0].kind === "ref" && v.args[0].ref.scope === "variables" ? "a variable" : "the run's input"} is worked out when the machine starts, and ${d.reason}`);
  const problem = d.readsDate ? logicalDateProblem(ctx.p) : undefined;
  if (problem) return fail(ctx, v.pos, `default() falls back to execution.logical_date, which on a schedule with intervals needs the scheduled time one period before the run's, and ${problem}`);
  // The input's value or the fallback: of no one type (as any read of the input).
  return { expr: `$.params${member(d.key)}${d.variable !== undefined ? `.${VARIABLE_VALUE_KEY}` : ""}`, type: "unknown" };
}

/**
 * `get(value, 'a.b[0]')`: a JSONPath below the value. Below a path that is the path made
 * longer; below an intrinsic's result (JSONPath cannot read into one) the intrinsic is
 * computed first, by a Pass state before the step's own (`<step>.values`, into `$.values`).
 */
function renderGet(ctx: RenderCtx, v: Extract<Value, { kind: "call" }>): Rendered {
  const text = v.args[1]?.kind === "literal" && typeof v.args[1].value === "string" ? v.args[1].value : "";
  const [of, path] = foldGet(v.args[0], parsePathText(text) ?? []);
  if (!path.length) return render(ctx, of);
  const members = path.map(pathMember);
  if (members.some((m) => m === undefined)) return fail(ctx, v.args[1].pos, `get() path '${text}' has a key that cannot be written in a JSONPath (quotes, backslashes, brackets, commas or parentheses)`);
  const suffix = members.join("");
  const inner = render(ctx, of);
  if (!isExpr(inner)) return fail(ctx, v.args[0].pos, "get() reads a value computed at run time; a value written out is read by writing its part");
  if (inner.expr.startsWith("$") && !inner.expr.includes("(")) return { expr: inner.expr + suffix, type: "unknown" };
  if (!ctx.hoist) return fail(ctx, v.pos, "get() below a function's result is not supported here in Step Functions (only in a step's own values)");
  // The step's own result is not there yet when its first state runs.
  if (ctx.step && inner.expr.includes(`$.steps${member(ctx.step)}`)) return fail(ctx, v.pos, `get() below a function of step '${ctx.step}'s own response cannot be computed before the step runs in Step Functions`);
  return { expr: ctx.hoist(inner.expr) + suffix, type: "unknown" };
}

/**
 * get() below object() or set() with the key written out: the value put there, known when
 * compiling (what the lifter reads back from such a document), so no Pass computes it.
 */
function foldGet(v: Value, path: PathSegment[]): [Value, PathSegment[]] {
  while (path.length && typeof path[0] === "string" && v.kind === "call" && (v.fn === "object" || v.fn === "set")) {
    const next = readKey(v, path[0]);
    if (!next) break;
    [v, path] = [next, path.slice(1)];
  }
  return [v, path];
}

/**
 * `set(object, key, value)`: States.JsonMerge of the object and a one-key
 * object (the key as JSON text too when it is computed).
 */
function renderSet(ctx: RenderCtx, v: Extract<Value, { kind: "call" }>): Rendered {
  const merged = mergedOnce(ctx, v);
  if (merged) return merged;
  const [target, key, value] = v.args;
  const obj = asArg(ctx, render(ctx, target), target.pos);
  return { expr: `States.JsonMerge(${obj}, ${oneKey(ctx, key, value)}, false)`, type: "object" };
}

/** From this many sets in a row with keys written out, one merge is made whatever they hold: each set calls three functions at least, a field may call ten. */
const MERGED_FROM = 4;

/**
 * `set(set(set(x, 'a', 1), 'b', y), 'c', z)` (what the lifter reads from states that each write a
 * result into the data): one States.JsonMerge of x and an object of the keys, which the step's values
 * Pass builds as a Parameters template, calling no function for a value read by path. Only where the
 * values Pass may compute it (see spread.ts) and every key is written out; else undefined.
 */
function mergedOnce(ctx: RenderCtx, v: Extract<Value, { kind: "call" }>): Rendered | undefined {
  if (!ctx.hoist) return undefined;
  const links: Array<[string, Value]> = [];
  let base: Value = v;
  while (base.kind === "call" && base.fn === "set") {
    const key = literalKey(base.args[1]);
    if (key === undefined) break;
    links.push([key, base.args[2]]);
    base = base.args[0];
  }
  if (links.length < 2 || (links.length < MERGED_FROM && !crowded(ctx, v))) return undefined;
  const patch = new Map<string, Value>();
  // Innermost first: a key set again keeps the outer value, as the merges in turn would.
  for (let i = links.length - 1; i >= 0; i--) patch.set(links[i][0], links[i][1]);
  const fields: string[] = [];
  const template = templateOf(ctx, [...patch], fields);
  const movable = movableFor(ctx.step);
  if (!fields.every(movable)) return undefined;
  const obj = asArg(ctx, render(ctx, base), base.pos);
  return { expr: `States.JsonMerge(${obj}, ${ctx.hoist(template)}, false)`, type: "object" };
}

/** Whether the set() calls as merges one by one would call more functions than a field may (worked out aside: nothing hoisted, no error said). */
function crowded(ctx: RenderCtx, v: Extract<Value, { kind: "call" }>): boolean {
  const aside: RenderCtx = { ...ctx, diags: [], consts: new Map(ctx.consts), hoist: undefined };
  const r = render(aside, v);
  return isExpr(r) && intrinsicCalls(r.expr) > INTRINSICS_PER_FIELD;
}

/** A set()'s key written out, which a Parameters template may hold (not one Step Functions would read as a path). */
function literalKey(k: Value): string | undefined {
  return k.kind === "literal" && typeof k.value === "string" && !k.value.endsWith(".$") ? k.value : undefined;
}

/** A Parameters template of the entries (object() of a key written out as a nested template); `fields` collects its expressions. */
function templateOf(ctx: RenderCtx, entries: Array<[string, Value]>, fields: string[]): { [k: string]: Json } {
  return Object.fromEntries(
    entries.map(([k, x]): [string, Json] => {
      if (x.kind === "call" && x.fn === "object") {
        const key = literalKey(x.args[0]);
        if (key !== undefined) return [k, templateOf(ctx, [[key, x.args[1]]], fields)];
      }
      const r = render(ctx, x);
      if ("lit" in r) return [k, r.lit];
      if ("obj" in r) {
        collectFields(r.obj, fields);
        return [k, r.obj];
      }
      fields.push(r.expr);
      return [`${k}.$`, r.expr];
    }),
  );
}

function collectFields(t: Json, fields: string[]): void {
  if (t === null || typeof t !== "object") return;
  if (Array.isArray(t)) return t.forEach((x) => collectFields(x, fields));
  for (const [k, x] of Object.entries(t)) {
    if (k.endsWith(".$") && typeof x === "string") fields.push(x);
    else collectFields(x, fields);
  }
}

/** `object(key, value)`, and what set() merges: a one-key object whose JSON text States.Format writes and States.StringToJson reads. */
function oneKey(ctx: RenderCtx, key: Value, value: Value): string {
  const k = render(ctx, key);
  const val = jsonParts(render(ctx, value));
  const parts: Array<{ text: string } | { arg: string }> =
    "lit" in k && typeof k.lit === "string" ? [{ text: `{${JSON.stringify(k.lit)}:` }] : [{ text: "{" }, { arg: `States.JsonToString(${asArg(ctx, k, key.pos)})` }, { text: ":" }];
  return `States.StringToJson(${format(ctx, [...parts, ...val, { text: "}" }])})`;
}

/**
 * Join parts with step-output locations spliced in, so one States.Format does the whole text; a location
 * built on another step's output is spliced in turn (`seen` stops a location that names itself).
 */
function flattenJoin(ctx: RenderCtx, parts: Value[], seen: ReadonlySet<string> = new Set()): Value[] {
  return parts.flatMap((x) => {
    // Its parts join the text they are in, in one States.Format.
    if (isLogicalDateNodash(ctx, x)) return (logicalDate(true, !!ctx.p.schedule?.intervals, x.pos) as Extract<Value, { kind: "join" }>).parts;
    if (x.kind !== "ref" || x.ref.scope !== "steps" || x.ref.attr !== "outputs") return [x];
    const s = ctx.byId.get(x.ref.step);
    const key = `${x.ref.step}.${x.ref.name}`;
    if (!s || s.foreach || s.kind === "lambda" || s.kind === "approval" || s.kind === "aws" || seen.has(key)) return [x];
    const loc = outputLocation(ctx.p, s.id, x.ref.name, x.pos);
    return flattenJoin(ctx, loc.kind === "join" ? loc.parts : [loc], new Set([...seen, key]));
  });
}

/** A copy's output location as lowering writes it: text, or one States.Format over the execution's name. */
const LOCATION = /^States\.Format\('([^'"\\]*(?:\\.[^'"\\]*)*)'((?:, \$\$\.Execution\.Name)*)\)$/;

/**
 * A list of texts as one States.Format of its JSON text, parsed: two calls however long it is (States.Array
 * takes one per computed item). Only for items whose text needs no JSON escape: literal text, and output
 * locations built from the execution's name (execution names hold no quote or backslash).
 */
function textList(items: Rendered[]): string | undefined {
  let tpl = "";
  const args: string[] = [];
  for (const [i, x] of items.entries()) {
    tpl += i ? "," : "[";
    if (isExpr(x)) {
      const m = x.type === "string" ? LOCATION.exec(x.expr) : null;
      if (!m) return undefined;
      tpl += `"${m[1]}"`;
      for (let k = 0; k < m[2].split(",").length - 1; k++) args.push(EXECUTION_NAME);
    } else {
      if (!("lit" in x) || typeof x.lit !== "string") return undefined;
      const json = JSON.stringify(x.lit);
      if (!inlineSafe(json)) return undefined;
      tpl += escapeFormat(json);
    }
  }
  return `States.StringToJson(States.Format('${tpl}]'${args.map((a) => ", " + a).join("")}))`;
}

/** The S3 URI of a step output (index: foreach copy) as an expression. */
export function outputExpr(ctx: RenderCtx, step: string, output: string, pos: Pos, index?: number): Rendered {
  return render(ctx, outputLocation(ctx.p, step, output, pos, index));
}

/** S3 key of a file inside a step output, as a join value (bucket split off). */
export function outputKey(ctx: RenderCtx, step: string, output: string, file: string, pos: Pos, index?: number): { bucket: string; key: Rendered } {
  const { bucket, key } = splitS3(ctx.p.artifacts);
  const suffix = `${outputSuffix(step, output, index)}/${file}`;
  const r = render(ctx, {
    kind: "join",
    parts: [
      { kind: "literal", value: key ? `${key}/` : "", type: "string", pos },
      { kind: "ref", ref: { scope: "execution", name: "id" }, pos },
      { kind: "literal", value: suffix, type: "string", pos },
    ],
    pos,
  });
  return { bucket, key: r };
}

/** Kinds whose task result lowering keeps under `$.steps.<id>.response` when it is read. */
export const RESPONSE_KEPT: ReadonlySet<Step["kind"]> = new Set(["processing", "training", "tuning", "transform", "model", "lambda", "aws"]);

function stepPath(id: string): string {
  return `$.steps${member(id)}`;
}

/**
 * The date a run is for, from the execution's start (a scheduled execution starts at its scheduled
 * time, `2024-03-01T02:30:00.123Z`): the part before its T; without dashes, year, month and the
 * day before the T, put together (8 intrinsic calls, within a field's 10). With intervals, from the
 * date the machine's first states work out (`2024-02-29`, see logical-date.ts).
 */
function logicalDate(nodash: boolean, intervals: boolean, pos: Pos): Value {
  const lit = (value: string | number): Value => (typeof value === "number" ? { kind: "literal", value, type: "integer", pos } : { kind: "literal", value, type: "string", pos });
  const part = (of: Value, sep: string, i: number): Value => ({ kind: "call", fn: "item", args: [{ kind: "call", fn: "split", args: [of, lit(sep)], pos }, lit(i)], pos });
  if (intervals) {
    const date: Value = { kind: "ref", ref: { scope: "params", name: LOGICAL_DATE_KEY }, pos };
    return nodash ? { kind: "join", parts: [0, 1, 2].map((i) => part(date, "-", i)), pos } : date;
  }
  const start: Value = { kind: "ref", ref: { scope: "execution", name: "start_time" }, pos };
  return nodash ? { kind: "join", parts: [part(start, "-", 0), part(start, "-", 1), part(part(start, "-", 2), "T", 0)], pos } : part(start, "T", 0);
}

/** Why the run's date cannot be worked out on this schedule, if it cannot. */
function logicalDateProblem(p: Pipeline): string | undefined {
  if (!p.schedule?.intervals) return undefined;
  const period = schedulePeriod(p.schedule);
  return "reason" in period ? period.reason : undefined;
}

function isLogicalDateNodash(ctx: RenderCtx, v: Value): boolean {
  return v.kind === "ref" && v.ref.scope === "execution" && v.ref.name === "logical_date_nodash" && logicalDateProblem(ctx.p) === undefined;
}

function renderRef(ctx: RenderCtx, ref: Ref, pos: Pos): Rendered {
  switch (ref.scope) {
    case "params": {
      const prm = ctx.p.parameters.find((x) => x.name === ref.name);
      return { expr: `$.params${member(ref.name)}`, type: prm?.type ?? "unknown" };
    }
    case "execution":
      if (ref.name === "input") {
        const p = pathOf(ref.path);
        if ("bad" in p) return fail(ctx, pos, `key ${JSON.stringify(p.bad)} in '${printRef(ref)}' cannot be written safely as a JSONPath member; use keys of letters, digits, spaces and _ . : / -`);
        return { expr: `$$.Execution.Input${p.path}`, type: "unknown" };
      }
      if (ref.name === "logical_date" || ref.name === "logical_date_nodash") {
        const problem = logicalDateProblem(ctx.p);
        if (problem) return fail(ctx, pos, `execution.${ref.name} on a schedule with intervals is the scheduled time one period before the run's, and ${problem}`);
        return render(ctx, logicalDate(ref.name === "logical_date_nodash", !!ctx.p.schedule?.intervals, pos));
      }
      return { expr: ref.name === "id" ? EXECUTION_NAME : ref.name === "pipeline_name" ? "$$.StateMachine.Name" : "$$.Execution.StartTime", type: "string" };
    case "item": {
      if (!ctx.mapItem) return fail(ctx, pos, "'item' is only defined inside a foreach step or a map's steps");
      const p = pathOf(ref.path);
      if ("bad" in p) return fail(ctx, pos, `key ${JSON.stringify(p.bad)} in '${printRef(ref)}' cannot be written safely as a JSONPath member; use keys of letters, digits, spaces and _ . : / -`);
      return { expr: `${ctx.itemPath ?? "$.item"}${p.path}`, type: "unknown" };
    }
    case "failure":
      // Where lowering's Catch keeps the error, the handler's states read it.
      return { expr: `${ERROR_PATH}${ref.path.length ? member(String(ref.path[0])) : ""}`, type: ref.path.length ? "string" : "unknown" };
    case "task":
      // A callback step's task token (its resource is the .waitForTaskToken form).
      return { expr: "$$.Task.Token", type: "string" };
    case "iteration":
      if (!ctx.mapItem) return fail(ctx, pos, "'iteration.id' is only defined inside a map's steps");
      return { expr: ITERATION_RUN_MARK, type: "string" };
    case "steps":
      break;
  }
  if (ref.scope !== "steps") return fail(ctx, pos, `unexpected reference ${printRef(ref)}`);
  const s = ctx.byId.get(ref.step);
  if (!s) return fail(ctx, pos, `unknown step '${ref.step}'`);
  const copies = s.foreach?.items.length;
  if (copies !== undefined && ctx.varies) ctx.varies.n++;
  // A foreach step stands for a list of values, one per item, in item order.
  const each = (one: (index: number | undefined, base: string) => Rendered): Rendered => {
    if (copies === undefined) return one(undefined, stepPath(s.id));
    const per = ctx.chunked?.get(s.id);
    const items = Array.from({ length: copies }, (_, i) => one(i, per ? `${stepPath(s.id)}[${Math.floor(i / per)}][${i % per}]` : `${stepPath(s.id)}[${i}]`));
    const list = `States.Array(${items.map((x) => asArg(ctx, x, pos)).join(", ")})`;
    // Printed as text, the list adds two calls; past the limit of a field, one JSON text if the items allow it.
    return { expr: intrinsicCalls(list) + 2 > INTRINSICS_PER_FIELD ? (textList(items) ?? list) : list, type: "list" };
  };
  switch (ref.attr) {
    case "outputs":
      if (s.kind === "lambda" || s.kind === "approval" || s.kind === "aws") {
        return each((_, base) => ({ expr: `${base}.outputs${member(ref.name)}`, type: s.outputs[ref.name] ?? "unknown" }));
      }
      return each((i) => outputExpr(ctx, s.id, ref.name, pos, i));
    case "model":
      if (s.kind === "tuning") {
        return each((i, base) => {
          const loc = outputLocation(ctx.p, s.id, "model", pos, i);
          const lead = (loc as { parts: Value[] }).parts;
          return {
            expr: format(ctx, [
              { text: String((lead[0] as { value: string }).value) },
              { arg: EXECUTION_NAME },
              { text: String((lead[2] as { value: string }).value) + "/" },
              { arg: `${base}.best_job` },
              { text: "/output/model.tar.gz" },
            ]),
            type: "string",
          };
        });
      }
      return each((_, base) => ({ expr: `${base}.model`, type: "string" }));
    case "name":
      if (s.kind === "model") return each((i) => ({ expr: modelNameExpr(s.id, i), type: "string" }));
      if (s.kind === "endpoint") return each((_, base) => ({ expr: `${base}.name`, type: "string" }));
      return { lit: s.id };
    case "job_name":
      return each((_, base) => ({ expr: `${base}.job_name`, type: "string" }));
    case "arn":
      return each((_, base) => ({ expr: `${base}.arn`, type: "string" }));
    case "response": {
      // The task's whole result is kept under `.response` by the step's ResultSelector (tasks.ts).
      const casing = ctx.responseCasing?.get(s.id);
      const p = pathOf(casing ? responsePath(casing, ref.path, true) : ref.path);
      if ("bad" in p) return fail(ctx, pos, `key ${JSON.stringify(p.bad)} in '${printRef(ref)}' cannot be written safely as a JSONPath member; use keys of letters, digits, spaces and _ . : / -`);
      if (!RESPONSE_KEPT.has(s.kind)) return fail(ctx, pos, `the response of a ${s.kind} step is not kept in Step Functions`);
      return each((_, base) => ({ expr: `${base}.response${p.path}`, type: "unknown" }));
    }
    case "results": {
      // The Map state keeps its iterations' results under `.results` (lower.ts emitMap).
      const p = pathOf(ref.path);
      if ("bad" in p) return fail(ctx, pos, `key ${JSON.stringify(p.bad)} in '${printRef(ref)}' cannot be written safely as a JSONPath member; use keys of letters, digits, spaces and _ . : / -`);
      return each((_, base) => ({ expr: `${base}.results${p.path}`, type: ref.path.length ? "unknown" : "list" }));
    }
    case "item": {
      // The innermost map's item is the iteration's; an outer map's is handed down under `items` (lower.ts emitMap).
      const p = pathOf(ref.path);
      if ("bad" in p) return fail(ctx, pos, `key ${JSON.stringify(p.bad)} in '${printRef(ref)}' cannot be written safely as a JSONPath member; use keys of letters, digits, spaces and _ . : / -`);
      const stack = ctx.mapStack ?? [];
      if (!stack.includes(ref.step)) return fail(ctx, pos, `'${printRef(ref)}' is read outside map '${ref.step}'s steps`);
      return { expr: `${stack.at(-1) === ref.step ? "$.item" : `$.items${member(ref.step)}`}${p.path}`, type: "unknown" };
    }
    case "reports": {
      const bad = ref.path.find((seg) => !isSafeKey(seg));
      if (bad !== undefined) return fail(ctx, pos, `report path segment '${bad}' cannot be written as a JSONPath member safely; use keys made of letters, digits and '_'`);
      return each((_, base) => ({ expr: `${base}.reports${member(ref.report)}.json${ref.path.map(member).join("")}`, type: "unknown" }));
    }
  }
}

/**
 * asl-validator reads a string inside an array of a payload template as "not
 * JSONata" only when it is one line, not empty, and does not open with `{% `
 * (its schema's pattern). Such a string is valid JSON all the same, so a
 * literal array holding one is written as States.Array instead: the same
 * value, which every checker accepts.
 */
const plainArrayString = (s: string): boolean => s !== "" && !/[\n\r\u2028\u2029]/.test(s) && !s.startsWith("{% ");

function misread(a: Json[]): boolean {
  return a.some((x) => (typeof x === "string" ? !plainArrayString(x) : Array.isArray(x) ? misread(x) : false));
}

/** No `.$` key anywhere inside: the value may become intrinsic arguments as it is. */
function pureLiteral(j: Json): boolean {
  if (Array.isArray(j)) return j.every(pureLiteral);
  if (j !== null && typeof j === "object") return Object.entries(j).every(([k, v]) => !k.endsWith(".$") && pureLiteral(v));
  return true;
}

function plainItems(ctx: RenderCtx, a: Json[], pos: Pos): Json[] {
  let out: Json[] | undefined;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = Array.isArray(x) ? plainItems(ctx, x, pos) : x !== null && typeof x === "object" ? plainTemplate(ctx, x, pos) : x;
    if (y !== x) (out ??= a.slice())[i] = y;
  }
  return out ?? a;
}

/**
 * A payload template with each literal array asl-validator would misread made a States.Array. What it
 * leaves as it was is not copied: the whole machine's payloads are megabytes, and a split's pieces hold them again.
 */
export function plainTemplate(ctx: RenderCtx, t: { [k: string]: Json }, pos: Pos): { [k: string]: Json } {
  let out: { [k: string]: Json } | undefined;
  for (const k in t) {
    const v = t[k];
    if (Array.isArray(v) && !k.endsWith(".$") && misread(v) && pureLiteral(v)) {
      // A key that changes: the members before it copied as they are, the rest in turn.
      out ??= copiedUpTo(t, k);
      out[`${k}.$`] = asArg(ctx, { lit: v }, pos);
      continue;
    }
    const x = Array.isArray(v) ? plainItems(ctx, v, pos) : v !== null && typeof v === "object" ? plainTemplate(ctx, v, pos) : v;
    if (out) out[k] = x;
    else if (x !== v) (out = copiedUpTo(t, k))[k] = x;
  }
  return out ?? t;
}

/** The members of `t` before key `end`. */
function copiedUpTo(t: { [k: string]: Json }, end: string): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const k in t) {
    if (k === end) break;
    out[k] = t[k];
  }
  return out;
}

/** plainTemplate over the payload templates of every state, branches included. */
export function plainPayloads(ctx: RenderCtx, states: { [k: string]: { [k: string]: Json } }, pos: Pos): void {
  for (const st of Object.values(states)) {
    for (const key of ["Parameters", "ResultSelector", "ItemSelector"]) {
      const t = st[key];
      if (t !== null && typeof t === "object" && !Array.isArray(t)) st[key] = plainTemplate(ctx, t, pos);
    }
    for (const b of (st.Branches as Array<{ States: { [k: string]: { [k: string]: Json } } }> | undefined) ?? []) plainPayloads(ctx, b.States, pos);
    const proc = st.ItemProcessor as { States?: { [k: string]: { [k: string]: Json } } } | undefined;
    if (proc?.States) plainPayloads(ctx, proc.States, pos);
  }
}
