/**
 * What static evaluation of a pipeline file yields: data with positions,
 * expressions (as IR), and the DSL's handles (steps, parameters, references
 * under construction).
 */
import { ts } from "ts-morph";
import { printTemplate } from "../../ir/expr/print.js";
import type { PathSegment, Pos, Ref, Value } from "../../ir/types.js";
import type { PMap, PScalar } from "../pnode.js";

export type Entries = Array<[string, Val]>;

/** What an expression evaluates to. */
export type Val = (
  | { t: "map"; entries: Entries; pos: Pos }
  | { t: "seq"; items: Val[]; pos: Pos }
  | PScalar
  | { t: "step"; id: string; kind: string; body: Entries; foreach?: Val; pos: Pos; idPos: Pos }
  | { t: "params"; spec: Val; names: Set<string>; pos: Pos }
  | { t: "stepAttr"; step: string; attr: "outputs" | "reports"; pos: Pos }
  | { t: "report"; step: string; report: string; pos: Pos }
  | { t: "item"; path: PathSegment[]; pos: Pos }
  | { t: "execution"; pos: Pos }
  | { t: "failure"; pos: Pos }
  | { t: "fn"; node: ts.ArrowFunction; env: Scope; pos: Pos }
  | { t: "dsl"; name: string; pos: Pos }
  | { t: "dslNamespace"; pos: Pos }
  | { t: "pipeline"; root: PMap; pos: Pos }
  | { t: "undefined"; pos: Pos }
) & { keyPos?: Pos };

export interface Binding {
  node: ts.Node;
  module: Module;
  value?: Val;
  busy?: boolean;
}

export interface Scope {
  lookup(name: string): Binding | Val | undefined;
}

export interface Module {
  sf: ts.SourceFile;
  name: string;
  bindings: Map<string, Binding>;
  exports: Map<string, Binding>;
  scope: Scope;
}

export class EvalError extends Error {
  constructor(
    readonly pos: Pos,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/**
 * The error for an expression the reader cannot evaluate. One that reads the
 * running program's environment (`process.env`, `process.argv`) says why that
 * cannot be: the file is read, never run.
 */
export function notStatic(pos: Pos, node: ts.Node, sf: ts.SourceFile): EvalError {
  const read = /\bprocess\.(env|argv)\b/.exec(node.getText(sf));
  if (read) {
    return new EvalError(
      pos,
      `not statically evaluable: ${describe(node, sf)} reads process.${read[1]}, which exists only when a program runs; switchyard reads the file without running it`,
      "write the value out, or, where the pipeline takes a value at run time, make it a run parameter (params({...}), given with --param)",
    );
  }
  return new EvalError(pos, `not statically evaluable: ${describe(node, sf)}`);
}

export const scalar = (value: string | number | boolean | null, pos: Pos, float?: boolean): Val =>
  float ? { t: "scalar", value, float, pos } : { t: "scalar", value, pos };
export const exprVal = (ir: Value): Val => ({ t: "scalar", value: printTemplate(ir), ir, pos: ir.pos });
export const refVal = (ref: Ref, pos: Pos): Val => exprVal({ kind: "ref", ref, pos });

/** An operand as an IR value. */
export function irOf(v: Val): Value {
  if (v.t === "scalar") {
    if (v.ir) return v.ir as Value;
    const x = v.value;
    if (typeof x === "number") return { kind: "literal", value: x, type: v.float ? "float" : "integer", pos: v.pos };
    if (typeof x === "boolean") return { kind: "literal", value: x, type: "boolean", pos: v.pos };
    if (x === null) return { kind: "literal", value: null, pos: v.pos };
    return { kind: "literal", value: x, type: "string", pos: v.pos };
  }
  if (v.t === "item") return { kind: "ref", ref: { scope: "item", path: v.path }, pos: v.pos };
  throw new EvalError(v.pos, `${what(v)} cannot be used as a value in an expression`);
}

export function what(v: Val): string {
  switch (v.t) {
    case "map":
      return "an object";
    case "seq":
      return "an array";
    case "scalar":
      return v.ir ? "an expression" : `the ${v.value === null ? "null" : typeof v.value} ${JSON.stringify(v.value)}`;
    case "step":
      return `step '${v.id}'`;
    case "params":
      return "the parameters";
    case "stepAttr":
      return `steps.${v.step}.${v.attr}`;
    case "report":
      return `report '${v.report}' of step '${v.step}' (read a value with .get("path"))`;
    case "item":
      return "the foreach item";
    case "execution":
      return "execution";
    case "failure":
      return "failure";
    case "fn":
      return "a function";
    case "dsl":
    case "dslNamespace":
      return `the DSL function ${v.t === "dsl" ? v.name : ""}`.trim();
    case "pipeline":
      return "a pipeline";
    case "undefined":
      return "undefined";
  }
}

const KIND_WORDS: Partial<Record<ts.SyntaxKind, string>> = {
  [ts.SyntaxKind.BinaryExpression]: "binary expression",
  [ts.SyntaxKind.ConditionalExpression]: "conditional expression",
  [ts.SyntaxKind.FunctionExpression]: "function expression",
  [ts.SyntaxKind.NewExpression]: "new expression",
  [ts.SyntaxKind.AwaitExpression]: "await expression",
  [ts.SyntaxKind.ClassExpression]: "class expression",
  [ts.SyntaxKind.MethodDeclaration]: "method",
  [ts.SyntaxKind.GetAccessor]: "getter",
  [ts.SyntaxKind.SetAccessor]: "setter",
  [ts.SyntaxKind.PrefixUnaryExpression]: "unary expression",
  [ts.SyntaxKind.PostfixUnaryExpression]: "unary expression",
  [ts.SyntaxKind.RegularExpressionLiteral]: "regular expression",
  [ts.SyntaxKind.BigIntLiteral]: "bigint literal",
};

export function describe(node: ts.Node, sf: ts.SourceFile): string {
  const text = node.getText(sf).replace(/\s+/g, " ");
  const short = text.length > 40 ? text.slice(0, 37) + "..." : text;
  return `${KIND_WORDS[node.kind] ?? ts.SyntaxKind[node.kind]} \`${short}\``;
}
