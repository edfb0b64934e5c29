/**
 * JSONata machines (`QueryLanguage: JSONata`, the machine's or a state's) read
 * as the JSONPath machine they mean, so the one lifter reads both:
 *
 * - `desugar` renames the fields (Arguments to Parameters, a `{% %}` value `k`
 *   to `k.$`, Seconds to SecondsPath, Items to ItemsPath, Error and Cause to
 *   their paths) and keeps each state's Assign and Output aside for the walker;
 *   `unmap` turns a path of the renamed machine back into the file's, for positions and messages;
 * - `{% %}` text reaches `resolvePath`, which hands it to `liftExpression`:
 *   `$states.input` paths read the state's data as JSONPath `$` does,
 *   `$states.result` the call's result (in a Task's Assign and Output),
 *   `$states.context` the context object (`$$`), and `$name` the variable a
 *   single state assigns (one assigned by several states depends on the way
 *   taken: refused where read). Joins (`&`), comparisons, `and`/`or`,
 *   arithmetic, `$uuid()`, `$parse()`, `$split()`, `$exists()`, `$count()`,
 *   `$not()`, `$string()`, members below a computed value and constructors are
 *   IR expressions; any other function or syntax is refused by name.
 */
import { isRunValuesOutput, RUN_VALUES_STATE } from "../logical-date.js";
import { readRunValues, readVariableReads } from "./run-values.js";
import type { ScalarType, Value } from "../../../src/ir/types.js";
import { printExpr } from "../../../src/ir/expr/print.js";
import { mayBeMissing, typeOf, type Type } from "../../../src/ir/check/typing.js";
import { printPathText } from "../../../src/ir/expr/path-text.js";
import { refuse, resolvePath, warn, type Flow, type LiftCtx } from "./flow.js";
import { asExpression, JsonataSyntaxError, jsonataText, parseJsonata, type JNode } from "./jsonata-parse.js";
import type { JPath } from "./source.js";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);

/** A state's Assign and Output, kept aside while the state is read as JSONPath. */
export interface Kept {
  assign?: Obj;
  output?: unknown;
}

export interface Jsonata {
  /** By the state's path (JSON of its JPath in the renamed machine). */
  kept: Map<string, Kept>;
  /** How many states (and catchers) assign each variable, by scope (see `varKey`). */
  assigned: Map<string, number>;
  /** Each variable's value once assigned, by scope: data known as IR values, or why it cannot be read (quietly, where that was said already). */
  vars: Map<string, Flow | { why: string; said?: boolean }>;
  /** The result of the Task being read (its Assign and Output read `$states.result`). */
  result?: Flow;
  /** What the renaming refused, said when the lift starts. */
  problems: Array<{ at: JPath; message: string }>;
  unmap(at: JPath): JPath;
}

const FIELD_PATHS: Record<string, string> = { Seconds: "SecondsPath", Timestamp: "TimestampPath", Items: "ItemsPath", Error: "ErrorPath", Cause: "CausePath", TimeoutSeconds: "TimeoutSecondsPath", HeartbeatSeconds: "HeartbeatSecondsPath" };

/**
 * A variable is the scope's where it is assigned (the machine, a Parallel branch, a Map's iterations):
 * `States` objects, by path, and its name. A state sees its own scope's and the enclosing ones'.
 */
const varKey = (statesAt: JPath, name: string) => `${JSON.stringify(statesAt)}\u0000${name}`;

/** The scopes a path inside the machine is in, innermost first: the paths of the `States` objects it passes. */
const scopesOf = (at: JPath): JPath[] =>
  at
    .map((seg, i) => (seg === "States" ? at.slice(0, i + 1) : undefined))
    .filter((x): x is JPath => x !== undefined)
    .reverse();

/**
 * The machine with its JSONata states read as JSONPath (`jsonata` absent when none is JSONata, the
 * language's name only dropped); undefined when nothing in it names a query language.
 */
export function desugar(def: Obj): { def: Obj; jsonata?: Jsonata } | undefined {
  const machineLanguage = def.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath";
  const renames = new WeakMap<object, Map<string, string>>();
  const kept = new Map<string, Kept>();
  const assigned = new Map<string, number>();
  const problems: Jsonata["problems"] = [];
  let any = machineLanguage === "JSONata";
  let named = def.QueryLanguage !== undefined;
  const rename = (obj: object, to: string, from: string) => {
    if (!renames.has(obj)) renames.set(obj, new Map());
    renames.get(obj)!.set(to, from);
  };
  const count = (assign: unknown, stateAt: JPath) => {
    if (!isObj(assign)) return;
    for (const k of Object.keys(assign)) {
      const key = varKey(stateAt.slice(0, -1), k);
      assigned.set(key, (assigned.get(key) ?? 0) + 1);
    }
  };
  /**
   * A Parameters-like object: `{% %}` values under `k.$`; a list is its items so (objects inside keep their
   * own `k.$`), unless an item is itself `{% %}` text, which only the list as one expression can hold.
   */
  const params = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(params);
    if (!isObj(v)) return v;
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      const computed = jsonataText(x) !== undefined || (Array.isArray(x) && x.some((i) => jsonataText(i) !== undefined));
      if (computed) {
        out[`${k}.$`] = jsonataText(x) !== undefined ? x : `{%${asExpression(x)}%}`;
        rename(out, `${k}.$`, k);
      } else out[k] = params(x);
    }
    return out;
  };
  const states = (scope: unknown, at: JPath, language: string): unknown => {
    if (!isObj(scope) || !isObj(scope.States)) return scope;
    const out: Obj = { ...scope, States: {} };
    for (const [name, st] of Object.entries(scope.States)) (out.States as Obj)[name] = state(st, [...at, "States", name], language);
    return out;
  };
  const state = (st: unknown, at: JPath, inherited: string): unknown => {
    if (!isObj(st)) return st;
    // The values a machine Switchyard wrote works out as it starts: read with the parameter states (run-values.ts).
    if (at.length === 2 && at[1] === RUN_VALUES_STATE && st.QueryLanguage === "JSONata" && typeof st.Next === "string" && isObj(def.States) && readRunValues(st, readVariableReads(def.States, st.Next).names)) return st;
    const language = st.QueryLanguage === "JSONata" || st.QueryLanguage === "JSONPath" ? st.QueryLanguage : inherited;
    if (st.QueryLanguage !== undefined) named = true;
    if (language === "JSONata") any = true;
    const out: Obj = {};
    for (const [k, v] of Object.entries(st)) if (k !== "QueryLanguage") out[k] = v;
    // Branches and iterations inherit the state's language.
    if (Array.isArray(st.Branches)) out.Branches = st.Branches.map((b, i) => states(b, [...at, "Branches", i], language));
    for (const k of ["ItemProcessor", "Iterator"]) if (isObj(st[k])) out[k] = states(st[k], [...at, k], language);
    if (language !== "JSONata") return out;
    if (st.Type === "Pass" && isRunValuesOutput(st.Output)) {
      problems.push({ at: [...at, "Output"], message: "this state works out values the run reads (the date a run is for, from the scheduled time its input gives or the execution's start, dates some days from it, the run's input with fallbacks); the machine does not say which schedule starts it, and the pipeline's date needs that schedule" });
      delete out.Output;
      return out;
    }
    const keep: Kept = {};
    if (st.Assign !== undefined) {
      keep.assign = isObj(st.Assign) ? st.Assign : undefined;
      if (!isObj(st.Assign)) problems.push({ at: [...at, "Assign"], message: "Assign must be an object of variables" });
      count(st.Assign, at);
      delete out.Assign;
    }
    if (st.Output !== undefined) {
      // A Task's Output of its result, or a member of it, is JSONPath's OutputPath on the result.
      const inner = jsonataText(st.Output)?.trim();
      const member = inner !== undefined && /^\$states\.result(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(inner) ? inner.slice("$states.result".length) : undefined;
      if (st.Type === "Task" && member !== undefined) {
        if (member) {
          out.OutputPath = `$${member}`;
          rename(out, "OutputPath", "Output");
        }
      } else keep.output = st.Output;
      delete out.Output;
    }
    if (keep.assign || keep.output !== undefined) kept.set(JSON.stringify(at), keep);
    if (st.Arguments !== undefined) {
      delete out.Arguments;
      if (isObj(st.Arguments)) {
        out.Parameters = params(st.Arguments);
        rename(out, "Parameters", "Arguments");
      } else problems.push({ at: [...at, "Arguments"], message: "Arguments given as one expression (not an object of fields) has no IR equivalent" });
    }
    for (const [field, path] of Object.entries(FIELD_PATHS)) {
      // A Map's Items may be a list written out (with expressions inside): one expression of it.
      const items = field === "Items" && Array.isArray(st.Items) ? `{%${asExpression(st.Items)}%}` : undefined;
      if (jsonataText(st[field]) === undefined && items === undefined) continue;
      delete out[field];
      out[path] = items ?? st[field];
      rename(out, path, field);
    }
    if (isObj(st.ItemSelector)) {
      out.ItemSelector = params(st.ItemSelector);
    }
    // A distributed Map's reader and writer take Arguments too.
    for (const k of ["ItemReader", "ResultWriter"]) {
      const x = st[k];
      if (!isObj(x) || x.Arguments === undefined) continue;
      const o: Obj = { ...x, Parameters: params(x.Arguments) };
      delete o.Arguments;
      rename(o, "Parameters", "Arguments");
      out[k] = o;
    }
    if (Array.isArray(st.Choices)) {
      out.Choices = st.Choices.map((r, i) => {
        if (!isObj(r)) return r;
        for (const k of ["Assign", "Output"]) if (r[k] !== undefined) problems.push({ at: [...at, "Choices", i, k], message: `${k} on a Choice rule has no IR equivalent (a condition step keeps no data of its own)` });
        count(r.Assign, at);
        return r;
      });
    }
    if (Array.isArray(st.Catch)) {
      out.Catch = st.Catch.map((c, i) => {
        if (!isObj(c)) return c;
        const o = { ...c };
        delete o.Assign;
        delete o.Output;
        // The error as the output (the default), or the input with the error under a key: JSONPath's ResultPath.
        const into = c.Output === undefined ? undefined : catchOutput(c.Output);
        if (into) {
          if (into !== "$") {
            o.ResultPath = into;
            rename(o, "ResultPath", "Output");
          }
        } else if (c.Output !== undefined) problems.push({ at: [...at, "Catch", i, "Output"], message: "Output on a catcher has no IR equivalent but the error itself ({% $states.errorOutput %}) or the input with the error under a key ({% $merge([$states.input, {'error': $states.errorOutput}]) %})" });
        if (c.Assign !== undefined) problems.push({ at: [...at, "Catch", i, "Assign"], message: "Assign on a catcher has no IR equivalent: a failure handler reads the error as failure.error and failure.cause" });
        count(c.Assign, at);
        return o;
      });
    }
    return out;
  };
  const out = states(def, [], machineLanguage) as Obj;
  delete out.QueryLanguage;
  // A JSONPath machine that names its language (the machine's or a state's) is read without the name.
  if (!any) return named ? { def: out } : undefined;
  const unmap = (at: JPath): JPath => {
    let node: unknown = out;
    return at.map((seg) => {
      const from = typeof seg === "string" && node !== null && typeof node === "object" ? renames.get(node)?.get(seg) : undefined;
      node = node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[seg] : undefined;
      return from ?? seg;
    });
  };
  return { def: out, jsonata: { kept, assigned, vars: new Map(), problems, unmap } };
}

/** A value's type as the lifted pipeline will say it (the IR's own typing); undefined where only the run knows. */
function typeIn(ctx: LiftCtx, v: Value): Type | undefined {
  const t = typeOf(v, { params: ctx.params, steps: ctx.steps }, []);
  return t === "any" ? undefined : t;
}

/** A catcher's Output as the ResultPath it amounts to: `$` for the error itself, `$.key` for the input with the error under `key`. */
function catchOutput(output: unknown): string | undefined {
  const inner = jsonataText(output)?.replace(/\s+/g, "");
  if (inner === "$states.errorOutput") return "$";
  const m = inner === undefined ? null : /^\$merge\(\[\$states\.input,\{(['"])([A-Za-z_][A-Za-z0-9_]*)\1:\$states\.errorOutput\}\]\)$/.exec(inner);
  return m ? `$.${m[2]}` : undefined;
}

/** The data a variable holds, or a value built from IR values. */
const doc = (value: Value, from: string, built: string): Flow => ({ base: { kind: "doc", value, from, built }, fields: new Map() });

/**
 * A state's Assign: every expression reads the variables as they were before
 * the state (JSONata assigns them together), then each is set.
 */
export function assign(ctx: LiftCtx, state: string, values: Obj, input: Flow, at: JPath): void {
  const j = ctx.jsonata!;
  const scope = at.slice(0, -2);
  const set: Array<[string, Flow | { why: string; said?: boolean }]> = [];
  for (const [name, v] of Object.entries(values)) {
    const key = varKey(scope, name);
    const n = j.assigned.get(key) ?? 0;
    if (n > 1) {
      set.push([key, { why: `variable $${name} is assigned by ${n} states, so what a state reads depends on the way the run took` }]);
      continue;
    }
    const value = liftNode(ctx, input, v, [...at, name]);
    set.push([key, value ? doc(value, state, `variable $${name} (assigned by state '${state}')`) : { why: `variable $${name} (its value was refused)`, said: true }]);
  }
  for (const [key, x] of set) j.vars.set(key, x);
}

/** A variable's value where `at` reads it: its own scope's or an enclosing one's. */
export function variable(j: Jsonata, at: JPath, name: string): Flow | { why: string; said?: boolean } | undefined {
  for (const scope of scopesOf(at)) {
    const v = j.vars.get(varKey(scope, name));
    if (v) return v;
  }
  return undefined;
}

/** A refused state's variables: reading them is refused where the state was. */
export function refusedAssign(j: Jsonata, stateAt: JPath, values: Obj): void {
  for (const name of Object.keys(values)) j.vars.set(varKey(stateAt.slice(0, -1), name), { why: `variable $${name} (its state was refused)`, said: true });
}

/** A field's value, JSON with `{% %}` text anywhere in it, as one IR value. */
export function liftNode(ctx: LiftCtx, input: Flow, v: unknown, at: JPath, hint?: ScalarType): Value | undefined {
  return liftExpression(ctx, input, jsonataText(v) !== undefined ? (v as string) : `{%${asExpression(v)}%}`, at, hint);
}

/** JSONata functions (and Step Functions' own, `$uuid`, `$parse`) the IR has. */
const FUNCTIONS: Record<string, { fn: "uuid" | "split" | "exists" | "length" | "parse"; args: number }> = {
  uuid: { fn: "uuid", args: 0 },
  split: { fn: "split", args: 2 },
  exists: { fn: "exists", args: 1 },
  count: { fn: "length", args: 1 },
  parse: { fn: "parse", args: 1 },
};

/** `{% expr %}` read where `input` is the state's data (`$states.input`). */
export function liftExpression(ctx: LiftCtx, input: Flow, text: string, at: JPath, hint?: ScalarType): Value | undefined {
  const node = parsed(ctx, text, at);
  return node && liftParsed(ctx, input, node, text, at, hint);
}

function parsed(ctx: LiftCtx, text: string, at: JPath): JNode | undefined {
  try {
    return parseJsonata(jsonataText(text) ?? text);
  } catch (e) {
    if (!(e instanceof JsonataSyntaxError)) throw e;
    return refuse(ctx, at, `the JSONata expression ${JSON.stringify(text.trim())} has ${e.message}, which the IR cannot hold`);
  }
}

/**
 * An Output of the input with members set (`$merge([$states.input, {'k': ...}])`, JSONata's form of a
 * ResultPath `$.k`): the data as it was, each member the value given (a Task's result, or a member
 * of it, as that result). Undefined when the Output is no such merge.
 */
export function mergedOutput(ctx: LiftCtx, input: Flow, output: unknown, at: JPath): Flow | undefined {
  const text = typeof output === "string" ? output : undefined;
  const inner = text === undefined ? undefined : jsonataText(text);
  if (inner === undefined || !/^\s*\$merge\s*\(/.test(inner)) return undefined;
  const node = parsed(ctx, text!, at);
  if (!node || node.t !== "call" || node.fn !== "merge" || node.args.length !== 1 || node.args[0].t !== "arr") return undefined;
  const [first, ...rest] = node.args[0].items;
  if (first?.t !== "path" || !("states" in first.root) || first.root.states !== "input" || first.steps.length || !rest.every((x) => x.t === "obj")) return undefined;
  const j = ctx.jsonata!;
  const fields = new Map(input.fields);
  for (const o of rest as Array<Extract<JNode, { t: "obj" }>>) {
    for (const [k, v] of o.entries) {
      const ofResult = v.t === "path" && "states" in v.root && v.root.states === "result" && j.result?.base.kind === "step" && v.steps.every((x) => typeof x === "string");
      if (ofResult) {
        const steps = (v as Extract<JNode, { t: "path" }>).steps as string[];
        fields.set(k, { ...j.result!.base, ...(steps.length ? { prefix: steps } : {}) } as Flow["base"]);
        continue;
      }
      const value = liftParsed(ctx, input, v, text!, at);
      if (!value) return { base: { kind: "unknown", why: `the Output of the state at ${JSON.stringify(at)}`, refused: true }, fields: new Map() };
      fields.set(k, { kind: "doc", value, from: String(at[at.length - 2]), built: `member '${k}' of the Output` });
    }
  }
  return { ...input, fields };
}

function liftParsed(ctx: LiftCtx, input: Flow, node: JNode, text: string, at: JPath, hint?: ScalarType): Value | undefined {
  const pos = ctx.src.pos(at);
  const j = ctx.jsonata!;
  const jsonPath = (steps: Array<string | number>, root = "$") => root + steps.map((s) => (typeof s === "number" ? `[${s}]` : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s) ? `.${s}` : `['${s}']`)).join("");
  const no = (what: string): undefined => refuse(ctx, at, `${what} in JSONata ${JSON.stringify(text.trim())} has no IR equivalent`);
  // `whole`: the value is a field's whole value (or an item of a list or an object that is), where the IR joins text.
  const go = (n: JNode, want?: ScalarType, whole = false): Value | undefined => {
    switch (n.t) {
      case "lit":
        return { kind: "literal", value: n.v, ...(typeof n.v === "string" ? { type: "string" as const } : typeof n.v === "boolean" ? { type: "boolean" as const } : typeof n.v === "number" ? { type: Number.isInteger(n.v) ? ("integer" as const) : ("float" as const) } : {}), pos };
      case "path": {
        if ("variable" in n.root) {
          const v = variable(j, at, n.root.variable);
          if (!v) return refuse(ctx, at, `variable $${n.root.variable} is read before any state assigns it`);
          if ("why" in v) {
            // Already said where it was assigned.
            if (v.said) {
              ctx.quietFails++;
              return undefined;
            }
            return refuse(ctx, at, `${v.why}, is read here`);
          }
          return resolvePath(ctx, v, jsonPath(n.steps), at, want);
        }
        switch (n.root.states) {
          case "input":
            return resolvePath(ctx, input, jsonPath(n.steps), at, want);
          case "result":
            if (!j.result) return refuse(ctx, at, "$states.result is read only in the Assign and Output of a Task, a Map or a Parallel state");
            return resolvePath(ctx, j.result, jsonPath(n.steps), at, want);
          case "context":
            return resolvePath(ctx, input, jsonPath(n.steps, "$$"), at, want);
          case "errorOutput":
            return refuse(ctx, at, "$states.errorOutput is read only by a catcher, whose Assign and Output have no IR equivalent");
          default:
            return no(`$states.${n.root.states}`);
        }
      }
      case "call": {
        const f = FUNCTIONS[n.fn];
        // A value as text: text as it is; a number, a boolean, a list or an object as its JSON text.
        if (n.fn === "string" && n.args.length === 1) {
          const x = go(n.args[0]);
          if (!x) return undefined;
          const t = typeIn(ctx, x);
          if (t === "string") return x;
          if (t === undefined) return refuse(ctx, at, `$string() of ${printExpr(x)}, whose type is known only at run time (text stays as it is, anything else becomes its JSON text), in JSONata ${JSON.stringify(text.trim())}: the IR cannot tell which`);
          return { kind: "call", fn: "json", args: [x], pos };
        }
        if (n.fn === "not" && n.args.length === 1) {
          const x = go(n.args[0], "boolean");
          return x && { kind: "not", operand: x, pos };
        }
        if (!f) return no(`function $${n.fn}()`);
        if (n.args.length !== f.args) return no(`$${n.fn}() with ${n.args.length} arguments`);
        // A path tested for presence may be missing: it is read as part of the response, never a declared output.
        const was = ctx.presence;
        if (f.fn === "exists") ctx.presence = true;
        const args = n.args.map((a) => go(a, f.fn === "split" ? "string" : undefined));
        ctx.presence = was;
        if (!args.every((a) => a)) return undefined;
        // exists() tests a path into what may lack it, as the IR says.
        if (f.fn === "exists" && !mayBeMissing(args[0])) return no(`$exists() of ${printExpr(args[0]!)}, which is always there (a parameter, a named result, a computed value),`);
        // JSONata keeps the empty parts between two separators; the IR's split drops them, as States.StringSplit does.
        if (f.fn === "split") warn(ctx, at, `$split() in JSONata ${JSON.stringify(text.trim())} is read as split(), which drops empty parts (as States.StringSplit does) where JSONata keeps them: the same for text without two separators in a row, or one at either end`);
        return { kind: "call", fn: f.fn, args: args as Value[], pos };
      }
      case "bin": {
        if (n.op === "&") {
          if (!whole) return no("text joined with & inside an operation or a function's argument (the IR joins text only as a field's whole value)");
          const parts: JNode[] = [];
          const flat = (x: JNode): void => {
            if (x.t === "bin" && x.op === "&") {
              flat(x.l);
              flat(x.r);
            } else parts.push(x);
          };
          flat(n);
          const vs = parts.map((x) => go(x, "string"));
          return vs.every((x) => x) ? { kind: "join", parts: vs as Value[], pos } : undefined;
        }
        if (n.op === "and" || n.op === "or") {
          const l = go(n.l, "boolean");
          const r = go(n.r, "boolean");
          return l && r && { kind: "logic", op: n.op, operands: [l, r], pos };
        }
        if (n.op === "in") {
          const l = go(n.l);
          const r = go(n.r);
          return l && r && { kind: "in", value: l, list: r, negated: false, pos };
        }
        if (["=", "!=", "<", "<=", ">", ">="].includes(n.op)) {
          // A literal on one side types the path on the other (a parameter's type).
          const litType = (x: JNode): ScalarType | undefined => (x.t === "lit" ? (typeof x.v === "string" ? "string" : typeof x.v === "boolean" ? "boolean" : typeof x.v === "number" ? "float" : undefined) : undefined);
          const l = go(n.l, litType(n.r));
          const r = go(n.r, litType(n.l));
          if (!l || !r) return undefined;
          // JSONata compares values of any type; the IR compares two of unknown type as numbers.
          if (typeIn(ctx, l) === undefined && typeIn(ctx, r) === undefined) return no(`'${n.op}' between two values of unknown type (${printExpr(l)}, ${printExpr(r)}: the run's input or a step's response), which the IR would compare as numbers,`);
          return { kind: "compare", op: n.op === "=" ? "==" : (n.op as "!=" | "<" | "<=" | ">" | ">="), left: l, right: r, pos };
        }
        if (["+", "-", "*", "/"].includes(n.op)) {
          const l = go(n.l, "float");
          const r = go(n.r, "float");
          return l && r && { kind: "arith", op: n.op as "+" | "-" | "*" | "/", left: l, right: r, pos };
        }
        return no(`operator '${n.op}'`);
      }
      case "neg": {
        const e = go(n.e, "float");
        return e && { kind: "arith", op: "-", left: { kind: "literal", value: 0, type: "integer", pos }, right: e, pos };
      }
      case "arr": {
        const items = n.items.map((x) => go(x, undefined, true));
        return items.every((x) => x) ? { kind: "list", items: items as Value[], pos } : undefined;
      }
      case "obj": {
        const entries: Record<string, Value> = {};
        for (const [k, x] of n.entries) {
          const v = go(x, undefined, true);
          if (!v) return undefined;
          entries[k] = v;
        }
        return { kind: "map", entries, pos };
      }
      case "below": {
        // One index into a list: item(); anything deeper: get() with the path written out.
        const e = go(n.e);
        if (!e) return undefined;
        if (n.steps.length === 1 && typeof n.steps[0] === "number") return { kind: "call", fn: "item", args: [e, { kind: "literal", value: n.steps[0], type: "integer", pos }], pos };
        return { kind: "call", fn: "get", args: [e, { kind: "literal", value: printPathText(n.steps), type: "string", pos }], pos };
      }
    }
  };
  return go(node, hint, true);
}
