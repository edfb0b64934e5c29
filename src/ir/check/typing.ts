/** Static types of expressions: enough to refuse comparing a string with a number. */
import { error, type Diagnostic } from "../../diagnostics.js";
import { printExpr } from "../expr/print.js";
import { selectPath } from "../foreach.js";
import { stepOutputs } from "../kinds.js";
import type { Pipeline, Step, Value } from "../types.js";
import { parsePathText } from "../expr/path-text.js";
import { FUNCTIONS } from "../expr/functions.js";

export type Type = "string" | "integer" | "float" | "boolean" | "null" | "list" | "map" | "any";

const isNum = (t: Type) => t === "integer" || t === "float";

export interface TypeEnv {
  params: Map<string, Pipeline["parameters"][number]>;
  steps: Map<string, Step>;
  /** The foreach step whose items `item.*` refers to, if any. */
  current?: Step;
}

function literalType(v: Extract<Value, { kind: "literal" }>): Type {
  if (v.value === null) return "null";
  if (v.type) return v.type;
  return typeof v.value === "string" ? "string" : typeof v.value === "boolean" ? "boolean" : Number.isInteger(v.value) ? "integer" : "float";
}

/** The type of a value; reference errors are reported elsewhere and type as `any`. */
export function typeOf(v: Value, env: TypeEnv, out: Diagnostic[]): Type {
  switch (v.kind) {
    case "literal":
      return literalType(v);
    case "list":
      v.items.forEach((i) => typeOf(i, env, out));
      return "list";
    case "map":
      Object.values(v.entries).forEach((i) => typeOf(i, env, out));
      return "map";
    case "join":
      v.parts.forEach((p) => typeOf(p, env, out));
      return "string";
    case "ref":
      return refType(v, env);
    case "compare": {
      const l = typeOf(v.left, env, out);
      const r = typeOf(v.right, env, out);
      if (!comparable(l, r)) {
        out.push(error(v.pos, `cannot compare ${l} with ${r}: ${printExpr(v)}`, { code: "type-compare" }));
      } else if ((v.op !== "==" && v.op !== "!=") && (l === "boolean" || r === "boolean" || l === "list" || r === "list" || l === "map" || r === "map")) {
        out.push(error(v.pos, `'${v.op}' needs numbers or strings, not ${l === "any" ? r : l}: ${printExpr(v)}`, { code: "type-compare" }));
      }
      return "boolean";
    }
    case "in": {
      const t = typeOf(v.value, env, out);
      const lt = typeOf(v.list, env, out);
      if (lt !== "list" && lt !== "any") {
        out.push(error(v.list.pos, `'in' needs a list on its right, not ${lt}`, { code: "type-in" }));
      } else if (v.list.kind === "list") {
        for (const item of v.list.items) {
          const it = typeOf(item, env, []);
          if (!comparable(t, it)) out.push(error(item.pos, `list item of type ${it} can never equal a ${t}`, { code: "type-compare" }));
        }
      }
      return "boolean";
    }
    case "logic":
      for (const o of v.operands) expectBoolean(o, env, out, `'${v.op}'`);
      return "boolean";
    case "not":
      expectBoolean(v.operand, env, out, "'not'");
      return "boolean";
    case "call":
      return callType(v, env, out);
    case "arith": {
      const l = typeOf(v.left, env, out);
      const r = typeOf(v.right, env, out);
      for (const [t, side] of [[l, v.left], [r, v.right]] as const) {
        if (!isNum(t) && t !== "any") out.push(error(side.pos, `arithmetic needs numbers, not ${t}`, { code: "type-arith" }));
      }
      return l === "float" || r === "float" || v.op === "/" ? "float" : l === "any" || r === "any" ? "any" : "integer";
    }
  }
}

export function expectBoolean(v: Value, env: TypeEnv, out: Diagnostic[], what: string): void {
  const t = typeOf(v, env, out);
  if (t !== "boolean" && t !== "any") {
    out.push(error(v.pos, `${what} needs a true/false value, but this is ${t === "integer" || t === "float" ? "a number" : `a ${t}`}`, { code: "type-boolean" }));
  }
}

export function comparable(a: Type, b: Type): boolean {
  if (a === "any" || b === "any" || a === "null" || b === "null") return true;
  if (isNum(a) && isNum(b)) return true;
  return a === b;
}

function refType(v: Extract<Value, { kind: "ref" }>, env: TypeEnv): Type {
  const r = v.ref;
  switch (r.scope) {
    case "params":
      return env.params.get(r.name)?.type ?? "any";
    case "execution":
      return r.name === "input" ? "any" : "string";
    case "failure":
      return r.path.length ? "string" : "any";
    case "task":
    case "iteration":
    case "variables":
      return "string";
    case "item": {
      const fe = env.current?.foreach;
      if (!fe) return "any";
      const types = new Set(fe.items.map((it) => {
        const sel = selectPath(it, r.path);
        return sel ? typeOf(sel, env, []) : "any";
      }));
      if (types.size === 1) return [...types][0];
      if ([...types].every(isNum)) return "float";
      return "any";
    }
    case "steps": {
      const s = env.steps.get(r.step);
      if (!s) return "any";
      const one: Type = r.attr === "results" ? (r.path.length ? "any" : "list") : r.attr === "reports" || r.attr === "response" || r.attr === "item" ? "any" : r.attr === "outputs" ? ((stepOutputs(s)[r.name] as Type | undefined) ?? "any") : "string";
      // A foreach step stands for all its copies: a reference from elsewhere is a list.
      return s.foreach && env.current?.id !== s.id ? "list" : one;
    }
  }
}

/** What exists() may test: a path into something that may lack it (the run's input, a step's response, report, results or item). */
export function mayBeMissing(v: Value | undefined): boolean {
  return v?.kind === "ref" && ((v.ref.scope === "execution" && v.ref.name === "input") || (v.ref.scope === "steps" && (v.ref.attr === "response" || v.ref.attr === "reports" || v.ref.attr === "results" || v.ref.attr === "item")));
}

/** What default() may stand in for: a part of the run's input, or a variable (both may not be set). */
export function mayBeAbsent(v: Value | undefined): boolean {
  return v?.kind === "ref" && ((v.ref.scope === "execution" && v.ref.name === "input" && v.ref.path.length > 0) || v.ref.scope === "variables");
}

/** A function's arguments against its table row; `exists` takes a path into something that may lack it. */
function callType(v: Extract<Value, { kind: "call" }>, env: TypeEnv, out: Diagnostic[]): Type {
  const info = FUNCTIONS[v.fn];
  v.args.forEach((a, i) => {
    const t = typeOf(a, env, out);
    const want = info.params[i];
    const fits = want === "any" || t === "any" || t === want || (want === "string" && t === "null");
    if (!fits) out.push(error(a.pos, `${v.fn}() takes ${want === "list" ? "a list" : want === "integer" ? "an integer" : `a ${want}`} here, not ${t === "integer" || t === "float" ? "a number" : `a ${t}`}`, { code: "type-call" }));
  });
  if (v.fn === "exists") {
    const a = v.args[0];
    if (!mayBeMissing(a)) out.push(error(a?.pos ?? v.pos, "exists() takes a path into the run's input or a step's response or report (something that may not be there)", { code: "type-call" }));
  }
  if (v.fn === "default" && !mayBeAbsent(v.args[0])) {
    out.push(error(v.args[0]?.pos ?? v.pos, "default() takes a path into the run's input (execution.input.<key>) or a variable (variables.<name>): what a run may be started without", { code: "type-call" }));
  }
  if (v.fn === "matches" && !(v.args[1]?.kind === "literal" && typeof v.args[1].value === "string")) {
    out.push(error(v.args[1]?.pos ?? v.pos, "matches() takes its pattern written out as text (a Step Functions Choice compares with a fixed pattern)", { code: "type-call" }));
  }
  if (v.fn === "get") {
    const path = v.args[1];
    const text = path?.kind === "literal" && typeof path.value === "string" ? path.value : undefined;
    if (text === undefined) out.push(error(path?.pos ?? v.pos, "get() takes its path written out as text ('a.b[0]'): every target reads a fixed path", { code: "type-call" }));
    else if (!parsePathText(text)) out.push(error(path.pos, `get() path '${text}' is not a path: keys separated by '.', indexes from 0 as [0], other keys quoted as ['a b']`, { code: "type-call" }));
  }
  if (v.fn === "item" && v.args[1]?.kind === "literal" && typeof v.args[1].value === "number" && v.args[1].value < 0) {
    out.push(error(v.args[1].pos, "item() counts from 0; a negative index has no meaning on every target", { code: "type-call" }));
  }
  return info.result;
}
