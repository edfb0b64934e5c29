/**
 * A pipeline document built by running the DSL (`pipeline({...})` executed)
 * -> the positioned tree -> the IR, through the same builder as every file.
 * Running code has no source positions: every node is placed at `pos`.
 */
import { Expr, joinValues } from "../../dsl/expr.js";
import type { PipelineDocument } from "../../dsl/pipeline.js";
import { printTemplate } from "../../ir/expr/print.js";
import type { Pos, Value } from "../../ir/types.js";
import { loadTree, type LoadResult } from "../load.js";
import type { PNode } from "../pnode.js";

/** A join as the file format would parse it, through every nested value. */
function canonical(v: Value): Value {
  switch (v.kind) {
    case "join":
      return joinValues(v.parts.map(canonical), v.pos);
    case "list":
      return { ...v, items: v.items.map(canonical) };
    case "compare":
    case "arith":
      return { ...v, left: canonical(v.left), right: canonical(v.right) };
    case "logic":
      return { ...v, operands: v.operands.map(canonical) };
    case "not":
      return { ...v, operand: canonical(v.operand) };
    case "call":
      return { ...v, args: v.args.map(canonical) };
    case "in":
      return { ...v, value: canonical(v.value), list: canonical(v.list) };
    default:
      return v;
  }
}

export function documentToTree(x: unknown, pos: Pos): PNode {
  if (x instanceof Expr) {
    const ir = canonical(x.ir);
    return { t: "scalar", value: printTemplate(ir), ir, pos };
  }
  if (Array.isArray(x)) return { t: "seq", items: x.map((i) => documentToTree(i, pos)), pos };
  if (x !== null && typeof x === "object") {
    return { t: "map", entries: Object.entries(x).map(([k, v]) => [k, { ...documentToTree(v, pos), keyPos: pos }]), pos };
  }
  if (typeof x === "number") return { t: "scalar", value: x, float: !Number.isInteger(x), pos };
  return { t: "scalar", value: (x ?? null) as string | boolean | null, pos };
}

/** The IR of an executed DSL pipeline; `file` names it in messages, code paths are relative to `baseDir`. */
export function loadPipelineDocument(doc: PipelineDocument, file: string, baseDir: string): LoadResult {
  return loadTree(documentToTree(doc, { file, line: 1, col: 1 }), file, baseDir, "typescript");
}
