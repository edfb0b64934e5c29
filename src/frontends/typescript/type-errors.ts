/**
 * TypeScript's errors in a pipeline file, worded as the YAML front end words
 * the same mistake where one is common and recognisable, in a step's or a
 * parameter's object: an unknown key ("unknown key 'cach' in step 'preprocess';
 * did you mean 'cache'?"), a missing required key, a field of the wrong type,
 * a parameter default not of the parameter's type. Anything else keeps
 * TypeScript's own text.
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

/** The DSL's types of a field, as the YAML front end says what the field must be. */
const TYPE_WORDS: Readonly<Record<string, string>> = {
  Text: "a string",
  string: "a string",
  "string | undefined": "a string",
  "Text | undefined": "a string",
  "Instance | undefined": "a string or a map",
  Instance: "a string or a map",
  number: "a number",
  "number | undefined": "a number",
  boolean: "a boolean",
  "boolean | undefined": "a boolean",
  "Duration | undefined": "a duration",
};

/** A parameter type's name as the YAML front end says it ("is not a float"). */
const PARAM_WORDS: Readonly<Record<string, string>> = { string: "a string", integer: "an integer", float: "a float", boolean: "a boolean" };

/** A TypeScript error worded as the YAML front end would: its text, and where it points when that differs. */
export interface TypeErrorWording {
  text: string;
  /** The offset the error is reported at, when not TypeScript's own. */
  at?: number;
}

/** The property assignment a node is, or is the name or value of. */
function propertyOf(node: ts.Node | undefined): ts.PropertyAssignment | undefined {
  if (!node) return undefined;
  if (ts.isPropertyAssignment(node)) return node;
  return ts.isPropertyAssignment(node.parent) ? node.parent : undefined;
}

/** The DSL's comparisons, whose overloads take two numbers or two strings. */
const COMPARISONS: Readonly<Record<string, string>> = { lt: "<", lte: "<=", gt: ">", gte: ">=" };

/** What a comparison's operand is, as the YAML front end names types ("string", "integer", "float"). */
function operandWord(arg: ts.Expression, sf: ts.SourceFile, checker: ts.TypeChecker | undefined): string | undefined {
  if (ts.isNumericLiteral(arg)) return /[.eE]/.test(arg.getText(sf)) ? "float" : "integer";
  if (ts.isStringLiteralLike(arg)) return "string";
  if (arg.kind === ts.SyntaxKind.TrueKeyword || arg.kind === ts.SyntaxKind.FalseKeyword) return "boolean";
  const type = checker ? checker.typeToString(checker.getTypeAtLocation(arg)) : "";
  return /^Expr<"(string|number|boolean)">$/.exec(type)?.[1];
}

/** The id of the step an expression names: `a` where `const a = processing("a", {...})`. */
function stepIdOf(expr: ts.Expression, checker: ts.TypeChecker): string | undefined {
  const decl = checker.getSymbolAtLocation(expr)?.declarations?.[0];
  const init = decl && ts.isVariableDeclaration(decl) ? decl.initializer : undefined;
  const first = init && ts.isCallExpression(init) ? init.arguments[0] : undefined;
  return first && ts.isStringLiteralLike(first) ? first.text : undefined;
}

/** The message for a TypeScript error, worded as the YAML front end would where it is one of the common ones. */
export function typeErrorText(d: ts.Diagnostic, sf: ts.SourceFile, checker?: ts.TypeChecker): TypeErrorWording {
  const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
  if (d.start === undefined) return { text };
  const node = nodeAt(sf, d.start);
  // a.outputs.trian: YAML says "step 'a' has no output 'trian'; did you mean 'train'?".
  if (d.code === 2551 || d.code === 2339) {
    const access = node && ts.isPropertyAccessExpression(node.parent) && node.parent.name === node ? node.parent : undefined;
    const outputs = access && ts.isPropertyAccessExpression(access.expression) && access.expression.name.text === "outputs" ? access.expression.expression : undefined;
    const id = outputs && checker ? stepIdOf(outputs, checker) : undefined;
    if (access && id !== undefined) {
      const suggestion = /Did you mean '([^']+)'\?/.exec(text)?.[1];
      return { text: `step '${id}' has no output '${access.name.text}'${suggestion ? `; did you mean '${suggestion}'?` : ""}` };
    }
  }
  // lte(p.name, 3): no overload takes a string and a number. YAML: "cannot compare string with integer: params.name <= 3".
  if (d.code === 2769 && node) {
    const call = ts.isCallExpression(node) ? node : ts.isCallExpression(node.parent) ? node.parent : undefined;
    const callee = call && (ts.isIdentifier(call.expression) ? call.expression.text : ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text : "");
    if (call && callee && COMPARISONS[callee] && call.arguments.length === 2) {
      const [a, b] = call.arguments.map((x) => operandWord(x, sf, checker));
      if (a && b && a !== b) return { text: `cannot compare ${a} with ${b}: ${call.arguments[0].getText(sf)} ${COMPARISONS[callee]} ${call.arguments[1].getText(sf)}`, at: call.getStart(sf) };
    }
  }
  if (UNKNOWN_PROPERTY.has(d.code)) {
    const key = /'([^']+)' does not exist in type/.exec(text)?.[1];
    const prop = node && (ts.isPropertyAssignment(node.parent) || ts.isShorthandPropertyAssignment(node.parent)) ? node.parent : node;
    const where = prop && ts.isObjectLiteralExpression(prop.parent) ? holder(prop.parent) : undefined;
    if (!key || !where) return { text };
    const suggestion = /Did you mean to write '([^']+)'\?/.exec(text)?.[1];
    return { text: `unknown key '${key}' in ${where}${suggestion ? `; did you mean '${suggestion}'?` : ""}` };
  }
  // processing("prep", { ... }) without a required key: TypeScript points at the object (or the call's argument).
  const missing = /Property '([^']+)' is missing in type .* but required in type '[A-Za-z]+'/.exec(text)?.[1];
  if (missing && node && ts.isObjectLiteralExpression(node)) {
    const where = holder(node);
    if (where) return { text: `missing required key '${missing}' in ${where}` };
  }
  // params({ lr: { type: "float", default: "high" } }): the default is not of the parameter's type.
  const prop = propertyOf(node);
  if (/Types of property 'default' are incompatible/.test(text) && prop && ts.isObjectLiteralExpression(prop.initializer)) {
    const spec = prop.initializer;
    const where = holder(spec);
    const field = (name: string) => spec.properties.find((x): x is ts.PropertyAssignment => ts.isPropertyAssignment(x) && x.name.getText(sf) === name);
    const type = field("type")?.initializer;
    const value = field("default")?.initializer;
    const word = type && ts.isStringLiteralLike(type) ? PARAM_WORDS[type.text] : undefined;
    if (where?.startsWith("parameter ") && value && word) return { text: `default ${value.getText(sf)} of ${where} is not ${word}`, at: value.getStart(sf) };
  }
  // processing("prep", { instance: 5 }): a field of the wrong type, as "step 'prep' (instance) must be a string or a map, not 5".
  const assigned = /^Type '([^']+)' is not assignable to type '([^']+)'\.?$/.exec(text);
  if (d.code === 2322 && assigned && prop && ts.isObjectLiteralExpression(prop.parent)) {
    const where = holder(prop.parent);
    const word = TYPE_WORDS[assigned[2]];
    if (where && word) return { text: `${where} (${prop.name.getText(sf)}) must be ${word}, not ${prop.initializer.getText(sf)}`, at: prop.initializer.getStart(sf) };
  }
  return { text };
}
