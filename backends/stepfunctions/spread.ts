/**
 * Step Functions allows 10 intrinsic functions in one field. An expression
 * that needs more (set() over set(), a list of many computed items) is
 * spread: its largest parts that fit are computed first, by the step's
 * `<step>.values` Pass, and the field reads their results by path. Each part
 * is evaluated on the same data the field would have read, so only fields
 * the step's first state reads from its input are spread, and never a part
 * that reads what only that state has (`$$.Task`, `$$.State`) or the values.
 */
import type { Json } from "./asl.js";
import { INTRINSICS_PER_FIELD } from "./gather.js";
import { overCalls } from "./intrinsics.js";
import { parseIntrinsic, printIntrinsic, type Intrinsic } from "./lift/intrinsic.js";

/** Where a step's `<step>.values` Pass puts what it computes. */
export const VALUES_PATH = "$.values";

/**
 * Whether a part may be computed before the state: it reads neither what only the state has, nor the values,
 * nor the step's own result (a repeated step's state runs again after it changed).
 */
export function movableFor(own: string | undefined): (text: string) => boolean {
  // Step ids are letters, digits, `_` and `-`: nothing to escape.
  const ownResult = own === undefined ? undefined : new RegExp(`\\$\\.steps\\.${own}(?![A-Za-z0-9_-])`);
  return (text) => !/\$\$\.(Task|State)\b/.test(text) && !text.includes(VALUES_PATH) && !(ownResult?.test(text) ?? false);
}

/** The expression with its largest movable parts hoisted until it fits (as far as they allow); `own`: the step's id. */
export function spreadExpression(expr: string, own: string, hoist: (part: string) => string): string {
  if (!overCalls(expr)) return expr;
  const tree = parseIntrinsic(expr);
  if (!tree || printIntrinsic(tree) !== expr) return expr;
  const movable = movableFor(own);
  // Each part's calls, counted once.
  const count = new Map<Intrinsic, number>();
  const countAll = (n: Intrinsic): number => {
    if (n.t !== "call") return 0;
    let c = 1;
    for (const a of n.args) c += countAll(a);
    count.set(n, c);
    return c;
  };
  let total = countAll(tree);
  /**
   * The parts that may move, largest first (then in the order of the text): each is the largest proper
   * part that fits one field, in turn. Moving one changes no other (they do not overlap), and a part
   * around a moved one reads the values and may not move: so they are found in one walk, where finding
   * the largest again after each move made a chain of n calls cost n² a field.
   */
  const parts: Array<{ parent: Intrinsic & { t: "call" }; at: number; calls: number; order: number }> = [];
  const visit = (n: Intrinsic & { t: "call" }, json: boolean) => {
    n.args.forEach((x, at) => {
      if (x.t !== "call") return;
      const c = count.get(x)!;
      // JSON text stays whole (a States.Format that States.StringToJson parses, the values States.JsonToString
      // writes into it): it is how a map with computed values is written, and read back.
      const text = n.name === "States.StringToJson" && x.name === "States.Format";
      const whole = text || (json && x.name === "States.JsonToString");
      if (!whole && c <= INTRINSICS_PER_FIELD && movable(printIntrinsic(x))) {
        parts.push({ parent: n, at, calls: c, order: parts.length });
        return;
      }
      if (c > 1) visit(x, text);
    });
  };
  if (tree.t === "call") visit(tree, false);
  parts.sort((a, b) => b.calls - a.calls || a.order - b.order);
  for (const { parent, at, calls: c } of parts) {
    if (total <= INTRINSICS_PER_FIELD) break;
    parent.args[at] = { t: "path", path: hoist(printIntrinsic(parent.args[at])) };
    total -= c;
  }
  return printIntrinsic(tree);
}

/** spreadExpression over every `.$` field of a Parameters template, nested ones included. */
export function spreadTemplate(t: { [k: string]: Json }, own: string, hoist: (part: string) => string): void {
  for (const k in t) {
    const v = t[k];
    if (typeof v === "string" && k.endsWith(".$")) t[k] = spreadExpression(v, own, hoist);
    else if (Array.isArray(v)) v.forEach((x) => x !== null && typeof x === "object" && !Array.isArray(x) && spreadTemplate(x, own, hoist));
    else if (v !== null && typeof v === "object") spreadTemplate(v, own, hoist);
  }
}
