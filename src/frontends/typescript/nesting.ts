/**
 * How deep brackets nest in a TypeScript file, measured with TypeScript's own
 * scanner (iterative) before its parser (recursive) sees the file: 5,000 nested
 * parentheses would exhaust the parser's stack.
 */
import { readFileSync } from "node:fs";
import { ts } from "ts-morph";
import { error, type Diagnostic } from "../../diagnostics.js";
import { INPUT_LIMITS } from "../limits.js";

const OPEN = new Set([ts.SyntaxKind.OpenParenToken, ts.SyntaxKind.OpenBracketToken, ts.SyntaxKind.OpenBraceToken, ts.SyntaxKind.TemplateHead]);
const CLOSE = new Set([ts.SyntaxKind.CloseParenToken, ts.SyntaxKind.CloseBracketToken, ts.SyntaxKind.CloseBraceToken]);

/** Offset of the first bracket nested deeper than `max`, or undefined. */
export function deepestBracket(text: string, max: number): number | undefined {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const open: ts.SyntaxKind[] = [];
  for (let k = scanner.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = scanner.scan()) {
    if (k === ts.SyntaxKind.CloseBraceToken && open[open.length - 1] === ts.SyntaxKind.TemplateHead) {
      // The `}` of a `${...}` continues the template literal.
      if (scanner.reScanTemplateToken(false) === ts.SyntaxKind.TemplateTail) open.pop();
    } else if (OPEN.has(k)) {
      open.push(k);
      if (open.length > max) return scanner.getTokenStart();
    } else if (CLOSE.has(k)) open.pop();
  }
  return undefined;
}

/** An error at the too-deep bracket of `file`, if it has one. */
export function nestingProblem(file: string, shownAs: string): Diagnostic | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined; // reported by the reader itself
  }
  const at = deepestBracket(text, INPUT_LIMITS.maxDepth);
  if (at === undefined) return undefined;
  const before = text.slice(0, at);
  const line = before.split("\n").length;
  const col = at - (before.lastIndexOf("\n") + 1) + 1;
  return error({ file: shownAs, line, col }, `the file nests brackets deeper than ${INPUT_LIMITS.maxDepth} levels`, { code: "input-too-deep" });
}
