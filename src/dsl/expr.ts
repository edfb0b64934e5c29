/**
 * Typed expressions of the DSL. An `Expr` wraps the IR value it stands for; its
 * type parameter (never present at run time) lets the compiler refuse, say, a
 * string parameter compared with a number.
 */
import { parseExpression } from "../ir/expr/parser.js";
import { parsePathText } from "../ir/expr/path-text.js";
import type { CompareOp, PathSegment, Pos, Ref, Value } from "../ir/types.js";

/** What an expression evaluates to; `any` is a value read from a report file. */
export type ExprType = "string" | "number" | "boolean" | "any";

/** Builders run without a source file: their values carry this position. */
export const DSL_POS: Pos = { file: "<dsl>", line: 1, col: 1 };

export class Expr<T extends ExprType = ExprType> {
  /** Type-level only: what the expression evaluates to. */
  declare readonly __type: T;
  constructor(readonly ir: Value) {}
}

export type StringExpr = Expr<"string"> | Expr<"any">;
export type NumberExpr = Expr<"number"> | Expr<"any">;
export type BooleanExpr = Expr<"boolean"> | Expr<"any">;
/** A condition (what `if:` takes). */
export type Condition = Expr<"boolean">;

/** A field that takes text: a string or an expression. */
export type Text = string | Expr;
/** A field that takes a whole number or an expression giving one. */
export type Count = number | NumberExpr;
/** A scalar a field or a map value may hold. */
export type Scalar = string | number | boolean | Expr;
/** Any value (payloads, parameters of notebooks, foreach items). */
export type Data = Scalar | null | readonly Data[] | { readonly [k: string]: Data };

export type Operand<T extends "string" | "number" | "boolean"> = T extends "string"
  ? string | StringExpr
  : T extends "number"
    ? number | NumberExpr
    : boolean | BooleanExpr;

export function ref(r: Ref): Value {
  return { kind: "ref", ref: r, pos: DSL_POS };
}

/** An IR value of a scalar operand. */
export function operand(x: string | number | boolean | Expr): Value {
  if (x instanceof Expr) return x.ir;
  if (typeof x === "number") return { kind: "literal", value: x, type: Number.isInteger(x) ? "integer" : "float", pos: DSL_POS };
  if (typeof x === "boolean") return { kind: "literal", value: x, type: "boolean", pos: DSL_POS };
  return { kind: "literal", value: x, type: "string", pos: DSL_POS };
}

function compare(op: CompareOp, a: string | number | boolean | Expr, b: string | number | boolean | Expr): Condition {
  return new Expr<"boolean">({ kind: "compare", op, left: operand(a), right: operand(b), pos: DSL_POS });
}

/** Ordering: two numbers or two strings. */
export function lt(a: Operand<"number">, b: Operand<"number">): Condition;
export function lt(a: Operand<"string">, b: Operand<"string">): Condition;
export function lt(a: string | number | Expr, b: string | number | Expr): Condition {
  return compare("<", a, b);
}
export function lte(a: Operand<"number">, b: Operand<"number">): Condition;
export function lte(a: Operand<"string">, b: Operand<"string">): Condition;
export function lte(a: string | number | Expr, b: string | number | Expr): Condition {
  return compare("<=", a, b);
}
export function gt(a: Operand<"number">, b: Operand<"number">): Condition;
export function gt(a: Operand<"string">, b: Operand<"string">): Condition;
export function gt(a: string | number | Expr, b: string | number | Expr): Condition {
  return compare(">", a, b);
}
export function gte(a: Operand<"number">, b: Operand<"number">): Condition;
export function gte(a: Operand<"string">, b: Operand<"string">): Condition;
export function gte(a: string | number | Expr, b: string | number | Expr): Condition {
  return compare(">=", a, b);
}

/** Equality: both sides of the same type. */
export function eq(a: Operand<"number">, b: Operand<"number">): Condition;
export function eq(a: Operand<"string">, b: Operand<"string">): Condition;
export function eq(a: Operand<"boolean">, b: Operand<"boolean">): Condition;
export function eq(a: string | number | boolean | Expr, b: string | number | boolean | Expr): Condition {
  return compare("==", a, b);
}
export function ne(a: Operand<"number">, b: Operand<"number">): Condition;
export function ne(a: Operand<"string">, b: Operand<"string">): Condition;
export function ne(a: Operand<"boolean">, b: Operand<"boolean">): Condition;
export function ne(a: string | number | boolean | Expr, b: string | number | boolean | Expr): Condition {
  return compare("!=", a, b);
}

export function and(...operands: BooleanExpr[]): Condition {
  return new Expr<"boolean">({ kind: "logic", op: "and", operands: operands.map((o) => o.ir), pos: DSL_POS });
}
export function or(...operands: BooleanExpr[]): Condition {
  return new Expr<"boolean">({ kind: "logic", op: "or", operands: operands.map((o) => o.ir), pos: DSL_POS });
}
export function not(operand: BooleanExpr): Condition {
  return new Expr<"boolean">({ kind: "not", operand: operand.ir, pos: DSL_POS });
}

/** Membership: `value in [..]` (or `not in` with `negated`). */
export function isIn(value: Operand<"number">, list: readonly Operand<"number">[], negated?: boolean): Condition;
export function isIn(value: Operand<"string">, list: readonly Operand<"string">[], negated?: boolean): Condition;
export function isIn(value: Operand<"boolean">, list: readonly Operand<"boolean">[], negated?: boolean): Condition;
export function isIn(value: string | number | boolean | Expr, list: readonly (string | number | boolean | Expr)[], negated = false): Condition {
  return new Expr<"boolean">({
    kind: "in",
    value: operand(value),
    list: { kind: "list", items: list.map(operand), pos: DSL_POS },
    negated,
    pos: DSL_POS,
  });
}

/** Text made of pieces: `join(train.model, "/model.tar.gz")`. */
export function join(...parts: Array<string | number | boolean | Expr>): Expr<"string"> {
  return new Expr<"string">(joinValues(parts.map(operand), DSL_POS));
}

const isText = (v: Value): v is Extract<Value, { kind: "literal" }> & { value: string } => v.kind === "literal" && typeof v.value === "string";

/**
 * The join of parts as the file format's parser would build it from the same
 * text: nested joins flattened, adjacent text merged, empty text dropped, and a
 * single part standing for itself.
 */
export function joinValues(parts: Value[], pos: Pos): Value {
  const flat: Value[] = [];
  for (const p of parts) {
    for (const q of p.kind === "join" ? p.parts : [p]) {
      const last = flat[flat.length - 1];
      if (isText(q) && q.value === "") continue;
      if (isText(q) && last && isText(last)) flat[flat.length - 1] = { ...last, value: last.value + q.value };
      else flat.push(isText(q) ? { ...q, type: "string" } : q);
    }
  }
  if (flat.length === 0) return { kind: "literal", value: "", type: "string", pos };
  if (flat.length === 1) return flat[0];
  return { kind: "join", parts: flat, pos };
}

/** Tagged template: fmt`MSE ${mse} is above ${p.threshold}`. */
export function fmt(strings: TemplateStringsArray, ...values: Array<string | number | boolean | Expr>): Expr<"string"> {
  const parts: Array<string | number | boolean | Expr> = [];
  strings.forEach((s, i) => {
    parts.push(s);
    if (i < values.length) parts.push(values[i]);
  });
  return join(...parts);
}

/**
 * The current execution: `execution.id`, `execution.start_time`, `execution.logical_date` / `execution.logical_date_nodash`
 * (the UTC date the run is for, `2024-03-01` / `20240301`), `execution.pipeline_name` (the name the pipeline runs under),
 * `execution.input` (the run's input document).
 */
export const execution = {
  id: new Expr<"string">(ref({ scope: "execution", name: "id" })),
  start_time: new Expr<"string">(ref({ scope: "execution", name: "start_time" })),
  logical_date: new Expr<"string">(ref({ scope: "execution", name: "logical_date" })),
  logical_date_nodash: new Expr<"string">(ref({ scope: "execution", name: "logical_date_nodash" })),
  pipeline_name: new Expr<"string">(ref({ scope: "execution", name: "pipeline_name" })),
  input: new Expr<"any">(ref({ scope: "execution", name: "input", path: [] })),
} as const;

/**
 * In a failure handler's steps, the error that ran the handler:
 * `failure.Error` (its name), `failure.Cause` (its message), `failure.whole`
 * (the object `{Error, Cause}`).
 */
export const failure = {
  Error: new Expr<"string">(ref({ scope: "failure", path: ["Error"] })),
  Cause: new Expr<"string">(ref({ scope: "failure", path: ["Cause"] })),
  whole: new Expr<"any">(ref({ scope: "failure", path: [] })),
} as const;

/**
 * A text value kept outside the pipeline, by name (`variables.<name>`): an
 * Airflow Variable; on Step Functions the SSM parameter `/airflow/variables/<name>`.
 */
export function variable(name: string): Expr<"string"> {
  return new Expr<"string">(ref({ scope: "variables", name }));
}

/** A value at `path` (dotted, `a.b[0]`) in the run's input document. */
export function runInput(path: string): Expr<"any"> {
  return new Expr<"any">(ref({ scope: "execution", name: "input", path: reportPath(path) }));
}

/**
 * A value in a step's service response, named by the step's id: inside the
 * step's own `repeat.until`, where its handle does not exist yet.
 */
export function responseOf(step: string, path?: string): Expr<"any"> {
  return new Expr<"any">(ref({ scope: "steps", step, attr: "response", path: path ? reportPath(path) : [] }));
}

/**
 * The current item of an enclosing map, named by the map's id: in the steps
 * of a map inside it, where `mapItem` is the inner map's item (and the outer
 * map's handle does not exist yet, as its steps are written first).
 */
export function itemOf(map: string, path?: string): Expr<"any"> {
  return new Expr<"any">(ref({ scope: "steps", step: map, attr: "item", path: path ? reportPath(path) : [] }));
}

/** A declared output of a step, named by the step's id (see `responseOf`). */
export function outputOf(step: string, name: string): Expr<"any"> {
  return new Expr<"any">(ref({ scope: "steps", step, attr: "outputs", name }));
}

/** A value read from a JSON report a step wrote; `path` is dotted (`a.b[0]`). */
export function reportPath(path: string): PathSegment[] {
  const out = parsePathText(path);
  if (!out) throw new Error(`not a report path: '${path}'`);
  return out;
}

/**
 * An expression in the file format's syntax, for what the other functions do not
 * cover (arithmetic): expr("params.epochs * 2"). The type argument says what
 * it evaluates to.
 */
export function expr<T extends ExprType = "any">(text: string): Expr<T> {
  return new Expr<T>(parseExpression(text, () => DSL_POS));
}
