/**
 * TypeScript's errors in a pipeline file, worded as the YAML front end words
 * the same mistake where one is common and recognisable: an unknown key in a
 * step's or a parameter's object ("unknown key 'cach' in step 'preprocess';
 * did you mean 'cache'?"). Anything else keeps TypeScript's own text.
 */
import { ts } from "ts-morph";

/** TypeScript's codes for "Object literal may only specify known properties". */
const UNKNOWN_PROPERTY = new Set([2353, 2561]);

/** The innermost node of `sf` that starts at `pos`. */
function nodeAt(sf: ts.SourceFile, pos: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (pos < n.getFullStart() || pos >= n.getEnd()) return;
    if (n.getStart(sf) === pos) found = n;
    n.forEachChild(visit);
  };
  visit(sf);
  return found;
}

/** The name of what holds the object literal `obj`: a step (its id), or a parameter (its name). */
function holder(obj: ts.Node): string | undefined {
  const parent = obj.parent;
  // processing("preprocess", { ... }): the object is a step's spec, its id the first argument.
  if (ts.isCallExpression(parent) && parent.arguments[1] === obj && parent.arguments[0] && ts.isStringLiteralLike(parent.arguments[0])) return `step '${parent.arguments[0].text}'`;
  // params({ mse_threshold: { ... } }): the object is a parameter's spec.
  if (ts.isPropertyAssignment(parent) && parent.initializer === obj && ts.isObjectLiteralExpression(parent.parent)) {
    const call = parent.parent.parent;
    if (ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === "params") return `parameter '${parent.name.getText()}'`;
  }
  return undefined;
}

/** The message for a TypeScript error, worded as the YAML front end would where it is one of the common ones. */
export function typeErrorText(d: ts.Diagnostic, sf: ts.SourceFile): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
  if (!UNKNOWN_PROPERTY.has(d.code) || d.start === undefined) return text;
  const key = /'([^']+)' does not exist in type/.exec(text)?.[1];
  const node = nodeAt(sf, d.start);
  const prop = node && (ts.isPropertyAssignment(node.parent) || ts.isShorthandPropertyAssignment(node.parent)) ? node.parent : node;
  const where = prop && ts.isObjectLiteralExpression(prop.parent) ? holder(prop.parent) : undefined;
  if (!key || !where) return text;
  const suggestion = /Did you mean to write '([^']+)'\?/.exec(text)?.[1];
  return `unknown key '${key}' in ${where}${suggestion ? `; did you mean '${suggestion}'?` : ""}`;
}
