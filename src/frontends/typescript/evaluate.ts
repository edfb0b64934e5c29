/**
 * Static evaluation of a pipeline written with the DSL: the syntax tree is
 * read, never run, into the positioned tree the YAML front end produces.
 * Supported: const bindings, object/array literals and spreads, template
 * literals, `fmt`, DSL calls, `.map` over a literal array, `foreach`, and
 * imports of constants and steps from local files. Anything else is refused at
 * its position, naming the construct.
 */
import { resolve } from "node:path";
import { ts } from "ts-morph";
import { error, type Diagnostic } from "../../diagnostics.js";
import { joinValues, reportPath } from "../../dsl/expr.js";
import { ExprSyntaxError, parseExpression, VARIABLE_NAME } from "../../ir/expr/parser.js";
import type { CompareOp, PathSegment, Pos } from "../../ir/types.js";
import { INPUT_LIMITS } from "../limits.js";
import type { PMap } from "../pnode.js";
import { BUILDER_KINDS, COMPARE_OPS, DSL_MODULE } from "./dsl-names.js";
import { pipelineTree } from "./layout.js";
import { posOf } from "./project.js";
import { EvalError, exprVal, notStatic, irOf, refVal, scalar, what, type Binding, type Entries, type Module, type Scope, type Val } from "./values.js";

export { EvalError, type Val } from "./values.js";


export interface EvalHost {
  /** Source file of a resolved local module, or undefined. */
  sourceFile(fileName: string): ts.SourceFile | undefined;
  /** Resolve an import specifier from a file to a file name, or undefined. */
  resolveImport(spec: string, fromFile: string): string | undefined;
  /** The name a file has in messages. */
  displayName(fileName: string): string;
}


export class Evaluator {
  readonly diagnostics: Diagnostic[] = [];
  private modules = new Map<string, Module>();

  constructor(private host: EvalHost) {}

  /** Values in a value's tree, counting a shared value at every use (what the tree becomes when read out). */
  private sizes = new WeakMap<object, number>();
  private sizeOf(v: Val): number {
    const known = this.sizes.get(v);
    if (known !== undefined) return known;
    let n = 1;
    if (v.t === "seq") for (const i of v.items) n += this.sizeOf(i);
    else if (v.t === "map" || v.t === "step") for (const [, x] of v.t === "map" ? v.entries : v.body) n += this.sizeOf(x);
    if (v.t === "step" && v.foreach) n += this.sizeOf(v.foreach);
    this.sizes.set(v, n);
    return n;
  }
  /** A value built from others: refused when it would expand past the reader's bound. */
  private bounded<V extends Val>(v: V): V {
    if (this.sizeOf(v) > INPUT_LIMITS.maxEvaluatedNodes) {
      throw new EvalError(v.pos, `this value expands to more than ${INPUT_LIMITS.maxEvaluatedNodes} values (a constant used several times counts at every use)`);
    }
    return v;
  }
  /** Items and entries copied by spreads and `.map`, in the whole file: bounded like the values themselves. */
  private copied = 0;
  private copy(n: number, pos: Pos): void {
    this.copied += n;
    if (this.copied > INPUT_LIMITS.maxEvaluatedNodes * 4) throw new EvalError(pos, `not statically evaluable: spreads and .map() copy more than ${INPUT_LIMITS.maxEvaluatedNodes * 4} values in this file`);
  }
  /** Nesting of expressions being evaluated (and of arrow functions applied). */
  private depth = 0;

  /** Record a refusal once (a binding that fails is met again at every use). */
  private report(e: EvalError): void {
    const key = `${e.pos.file}:${e.pos.line}:${e.pos.col}:${e.message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.diagnostics.push(error(e.pos, e.message, { code: "ts-not-static", ...(e.hint ? { hint: e.hint } : {}) }));
  }
  private reported = new Set<string>();

  /** The pipeline a file's default export builds. */
  evaluateFile(sf: ts.SourceFile): PMap | undefined {
    const m = this.module(sf);
    const def = m.exports.get("default");
    if (!def) {
      this.diagnostics.push(error(posOf(sf, 0, m.name), "the file has no `export default pipeline({...})`", { code: "ts-no-default" }));
      return undefined;
    }
    try {
      const v = this.binding(def);
      if (v.t !== "pipeline") throw new EvalError(this.pos(def.node, m), "the default export is not a pipeline({...}) call");
      return v.root;
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      this.report(e);
      return undefined;
    }
  }

  // --- modules and bindings -----------------------------------------------------

  private module(sf: ts.SourceFile): Module {
    const key = resolve(sf.fileName);
    const known = this.modules.get(key);
    if (known) return known;
    const bindings = new Map<string, Binding>();
    const exports = new Map<string, Binding>();
    const m: Module = {
      sf,
      name: this.host.displayName(sf.fileName),
      bindings,
      exports,
      scope: { lookup: (n) => bindings.get(n) },
    };
    this.modules.set(key, m);
    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st)) this.importDecl(st, m);
      else if (ts.isVariableStatement(st)) {
        const exported = st.modifiers?.some((x) => x.kind === ts.SyntaxKind.ExportKeyword);
        for (const d of st.declarationList.declarations) {
          if (!ts.isIdentifier(d.name)) continue;
          const b: Binding = { node: d, module: m };
          bindings.set(d.name.text, b);
          if (exported) exports.set(d.name.text, b);
        }
      } else if (ts.isExportAssignment(st) && !st.isExportEquals) {
        exports.set("default", { node: st.expression, module: m });
      } else if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          const local = (el.propertyName ?? el.name).text;
          if (st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
            exports.set(el.name.text, { node: el, module: m });
          } else {
            const b = bindings.get(local);
            exports.set(el.name.text, b ?? { node: el, module: m });
          }
        }
      } else if (ts.isFunctionDeclaration(st) && st.name) {
        bindings.set(st.name.text, { node: st, module: m });
        if (st.modifiers?.some((x) => x.kind === ts.SyntaxKind.ExportKeyword)) {
          exports.set(st.modifiers.some((x) => x.kind === ts.SyntaxKind.DefaultKeyword) ? "default" : st.name.text, { node: st, module: m });
        }
      }
    }
    // `export { a }` written before `const a` is declared.
    for (const [k, b] of exports) if (ts.isExportSpecifier(b.node) && !b.node.parent.parent.moduleSpecifier) exports.set(k, bindings.get((b.node.propertyName ?? b.node.name).text) ?? b);
    return m;
  }

  private importDecl(st: ts.ImportDeclaration, m: Module): void {
    const clause = st.importClause;
    if (!clause || clause.isTypeOnly) return;
    const add = (local: string, node: ts.Node) => m.bindings.set(local, { node, module: m });
    if (clause.name) add(clause.name.text, clause);
    if (clause.namedBindings) {
      if (ts.isNamespaceImport(clause.namedBindings)) add(clause.namedBindings.name.text, clause.namedBindings);
      else for (const el of clause.namedBindings.elements) if (!el.isTypeOnly) add(el.name.text, el);
    }
  }

  private pos(node: ts.Node, m: Module): Pos {
    return posOf(m.sf, node.getStart(m.sf), m.name);
  }

  private binding(b: Binding): Val {
    if (b.value) return b.value;
    if (b.busy) throw new EvalError(this.pos(b.node, b.module), "not statically evaluable: a binding that refers to itself");
    b.busy = true;
    try {
      b.value = this.bindingValue(b);
      return b.value;
    } finally {
      b.busy = false;
    }
  }

  private bindingValue(b: Binding): Val {
    const { node, module: m } = b;
    const pos = this.pos(node, m);
    if (ts.isVariableDeclaration(node)) {
      const list = node.parent as ts.VariableDeclarationList;
      if (!(list.flags & ts.NodeFlags.Const)) throw new EvalError(pos, `not statically evaluable: '${node.name.getText(m.sf)}' is not a const binding`);
      if (!node.initializer) throw new EvalError(pos, `not statically evaluable: '${node.name.getText(m.sf)}' has no value`);
      return this.expr(node.initializer, m, m.scope);
    }
    if (ts.isImportClause(node) || ts.isNamespaceImport(node) || ts.isImportSpecifier(node) || ts.isExportSpecifier(node)) {
      const decl = ts.isImportClause(node)
        ? node.parent
        : ts.isNamespaceImport(node)
          ? node.parent.parent
          : ts.isImportSpecifier(node)
            ? node.parent.parent.parent
            : node.parent.parent;
      const specNode = (decl as ts.ImportDeclaration | ts.ExportDeclaration).moduleSpecifier;
      if (!specNode || !ts.isStringLiteral(specNode)) throw new EvalError(pos, `not statically evaluable: '${node.getText(m.sf)}' is not a const binding or an import`);
      const spec = specNode.text;
      const imported = ts.isImportClause(node) ? "default" : ts.isNamespaceImport(node) ? "*" : ((node as ts.ImportSpecifier).propertyName ?? (node as ts.ImportSpecifier).name).text;
      if (spec === DSL_MODULE) {
        if (imported === "*") return { t: "dslNamespace", pos };
        return this.dslName(imported, pos);
      }
      const target = this.host.resolveImport(spec, m.sf.fileName);
      const sf = target ? this.host.sourceFile(target) : undefined;
      if (!sf || sf.isDeclarationFile) throw new EvalError(pos, `not statically evaluable: import from '${spec}' (only "${DSL_MODULE}" and local .ts files can be read)`);
      const other = this.module(sf);
      if (imported === "*") throw new EvalError(pos, `not statically evaluable: namespace import of '${spec}'`);
      const exp = other.exports.get(imported);
      if (!exp) throw new EvalError(pos, `'${spec}' has no export '${imported}'`);
      return this.binding(exp);
    }
    if (ts.isFunctionDeclaration(node)) throw new EvalError(pos, `not statically evaluable: function declaration '${node.name?.text ?? "default"}'`);
    if (ts.isExpression(node)) return this.expr(node, m, m.scope);
    throw notStatic(pos, node, m.sf);
  }

  // --- expressions ------------------------------------------------------------------

  private expr(node: ts.Expression, m: Module, scope: Scope): Val {
    if (this.depth >= INPUT_LIMITS.maxDepth * 4) throw new EvalError(this.pos(node, m), "not statically evaluable: expressions nest too deeply here (a function that calls itself?)");
    this.depth++;
    try {
      return this.exprAt(node, m, scope);
    } finally {
      this.depth--;
    }
  }

  private exprAt(node: ts.Expression, m: Module, scope: Scope): Val {
    const pos = this.pos(node, m);
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isNonNullExpression(node) || ts.isTypeAssertionExpression(node)) {
      return this.expr(node.expression, m, scope);
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return scalar(node.text, pos);
    // The source text, not `.text` (which TypeScript normalises: 6.0 -> "6").
    if (ts.isNumericLiteral(node)) return this.number(node.getText(m.sf), 1, pos);
    if (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand) && (node.operator === ts.SyntaxKind.MinusToken || node.operator === ts.SyntaxKind.PlusToken)) {
      return this.number(node.operand.getText(m.sf), node.operator === ts.SyntaxKind.MinusToken ? -1 : 1, pos);
    }
    if (node.kind === ts.SyntaxKind.TrueKeyword) return scalar(true, pos);
    if (node.kind === ts.SyntaxKind.FalseKeyword) return scalar(false, pos);
    if (node.kind === ts.SyntaxKind.NullKeyword) return scalar(null, pos);
    if (ts.isIdentifier(node)) {
      if (node.text === "undefined") return { t: "undefined", pos };
      const b = scope.lookup(node.text);
      if (!b) throw new EvalError(pos, `not statically evaluable: '${node.text}' is not a const binding or an import`);
      return "t" in b ? b : this.binding(b);
    }
    if (ts.isTemplateExpression(node)) return this.template(node, m, scope, pos);
    if (ts.isObjectLiteralExpression(node)) return this.object(node, m, scope, pos);
    if (ts.isArrayLiteralExpression(node)) {
      const items: Val[] = [];
      for (const el of node.elements) {
        if (ts.isSpreadElement(el)) {
          const s = this.expr(el.expression, m, scope);
          if (s.t !== "seq") throw new EvalError(this.pos(el, m), "not statically evaluable: spread of something that is not an array");
          this.copy(s.items.length, this.pos(el, m));
          items.push(...s.items);
        } else items.push(this.expr(el, m, scope));
      }
      return this.bounded({ t: "seq", items, pos });
    }
    if (ts.isPropertyAccessExpression(node)) return this.member(this.expr(node.expression, m, scope), node.name.text, pos);
    if (ts.isElementAccessExpression(node)) {
      const key = this.expr(node.argumentExpression, m, scope);
      if (key.t !== "scalar" || key.ir || (typeof key.value !== "string" && typeof key.value !== "number")) {
        throw new EvalError(this.pos(node.argumentExpression, m), "not statically evaluable: a computed key that is not a constant");
      }
      return this.member(this.expr(node.expression, m, scope), key.value, pos);
    }
    if (ts.isTaggedTemplateExpression(node)) {
      const tag = this.expr(node.tag, m, scope);
      if (tag.t !== "dsl" || tag.name !== "fmt") throw new EvalError(pos, `not statically evaluable: tagged template ${node.tag.getText(m.sf)}\`...\``);
      const parts: Val[] = [];
      const t = node.template;
      if (ts.isNoSubstitutionTemplateLiteral(t)) parts.push(scalar(t.text, pos));
      else {
        parts.push(scalar(t.head.text, pos));
        for (const span of t.templateSpans) {
          parts.push(this.expr(span.expression, m, scope));
          parts.push(scalar(span.literal.text, this.pos(span.literal, m)));
        }
      }
      return exprVal(joinValues(parts.map((p) => irOf(p)), pos));
    }
    if (ts.isCallExpression(node)) return this.call(node, m, scope, pos);
    if (ts.isArrowFunction(node)) return { t: "fn", node, env: scope, pos };
    throw notStatic(pos, node, m.sf);
  }

  private number(text: string, sign: number, pos: Pos): Val {
    const n = sign * Number(text.replace(/_/g, ""));
    // Refused here, not only in the tree: a template literal would turn it into the text "Infinity".
    if (!Number.isFinite(n)) throw new EvalError(pos, `a number must be finite, not ${n}`);
    const float = !/^0[xXoObB]/.test(text) && /[.eE]/.test(text);
    return scalar(n, pos, float || !Number.isInteger(n));
  }

  private template(node: ts.TemplateExpression, m: Module, scope: Scope, pos: Pos): Val {
    let s = node.head.text;
    for (const span of node.templateSpans) {
      const v = this.expr(span.expression, m, scope);
      if (v.t !== "scalar" || v.ir) {
        throw new EvalError(this.pos(span.expression, m), "not statically evaluable: an expression inside a plain template literal (use fmt`...` to put it into text)");
      }
      s += String(v.value) + span.literal.text;
    }
    return scalar(s, pos);
  }

  private object(node: ts.ObjectLiteralExpression, m: Module, scope: Scope, pos: Pos): Val {
    const entries: Entries = [];
    const put = (k: string, v: Val, keyPos: Pos) => {
      const i = entries.findIndex(([x]) => x === k);
      if (v.t === "undefined") {
        if (i >= 0) entries.splice(i, 1);
        return;
      }
      const withKey = { ...v, keyPos } as Val;
      if (i >= 0) entries[i] = [k, withKey];
      else entries.push([k, withKey]);
    };
    for (const p of node.properties) {
      const ppos = this.pos(p, m);
      try {
        if (ts.isPropertyAssignment(p)) put(this.propName(p.name, m, scope), this.expr(p.initializer, m, scope), ppos);
        else if (ts.isShorthandPropertyAssignment(p)) put(p.name.text, this.expr(p.name, m, scope), ppos);
        else if (ts.isSpreadAssignment(p)) {
          const s = this.expr(p.expression, m, scope);
          if (s.t !== "map") throw new EvalError(ppos, "not statically evaluable: spread of something that is not an object literal");
          this.copy(s.entries.length, ppos);
          for (const [k, v] of s.entries) put(k, v, v.keyPos ?? ppos);
        } else throw notStatic(ppos, p, m.sf);
      } catch (e) {
        if (!(e instanceof EvalError)) throw e;
        // Keep going so every problem in the file is reported at once.
        this.report(e);
      }
    }
    return this.bounded({ t: "map", entries, pos });
  }

  private propName(name: ts.PropertyName, m: Module, scope: Scope): string {
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
    if (ts.isComputedPropertyName(name)) {
      const k = this.expr(name.expression, m, scope);
      if (k.t === "scalar" && !k.ir && (typeof k.value === "string" || typeof k.value === "number")) return String(k.value);
    }
    throw new EvalError(this.pos(name, m), `not statically evaluable: property name ${name.getText(m.sf)}`);
  }

  private member(obj: Val, key: string | number, pos: Pos): Val {
    const k = String(key);
    switch (obj.t) {
      case "map": {
        const e = obj.entries.find(([x]) => x === k);
        return e ? e[1] : { t: "undefined", pos };
      }
      case "seq":
        if (typeof key === "number" || /^\d+$/.test(k)) return obj.items[Number(k)] ?? { t: "undefined", pos };
        break;
      case "params":
        if (!obj.names.has(k)) throw new EvalError(pos, `unknown parameter '${k}'`);
        return refVal({ scope: "params", name: k }, pos);
      case "step":
        if (k === "id") return scalar(obj.id, pos);
        if (k === "outputs" || k === "reports") return { t: "stepAttr", step: obj.id, attr: k, pos };
        if (k === "model" || k === "name" || k === "job_name" || k === "arn") return refVal({ scope: "steps", step: obj.id, attr: k }, pos);
        throw new EvalError(pos, `step '${obj.id}' has no attribute '${k}'`);
      case "stepAttr":
        if (obj.attr === "outputs") return refVal({ scope: "steps", step: obj.step, attr: "outputs", name: k }, pos);
        return { t: "report", step: obj.step, report: k, pos };
      case "item":
        return { t: "item", path: [...obj.path, typeof key === "number" ? key : k], pos };
      case "execution":
        if (k === "id" || k === "start_time" || k === "pipeline_name" || k === "logical_date" || k === "logical_date_nodash") return refVal({ scope: "execution", name: k }, pos);
        if (k === "input") return refVal({ scope: "execution", name: "input", path: [] }, pos);
        throw new EvalError(pos, `execution has no attribute '${k}'`);
      case "failure":
        if (k === "Error" || k === "Cause") return refVal({ scope: "failure", path: [k] }, pos);
        if (k === "whole") return refVal({ scope: "failure", path: [] }, pos);
        throw new EvalError(pos, `failure has no attribute '${k}' (it has Error, Cause and whole)`);
      case "dslNamespace":
        return this.dslName(k, pos);
      default:
        break;
    }
    throw new EvalError(pos, `not statically evaluable: property '${k}' of ${what(obj)}`);
  }

  private dslName(name: string, pos: Pos): Val {
    if (name === "execution") return { t: "execution", pos };
    if (name === "failure") return { t: "failure", pos };
    if (name === "mapItem") return { t: "item", path: [], pos };
    return { t: "dsl", name, pos };
  }

  // --- calls ------------------------------------------------------------------------

  private call(node: ts.CallExpression, m: Module, scope: Scope, pos: Pos): Val {
    const callee = node.expression;
    // `step.response(path?)`: a value in a step's service response.
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === "response" || callee.name.text === "results")) {
      const target = this.expr(callee.expression, m, scope);
      if (target.t === "step") return refVal({ scope: "steps", step: target.id, attr: callee.name.text, path: this.pathArg(node, m, scope, pos) }, pos);
    }
    // `.map(arrow)` over a literal array, and `.get(path)` on a report.
    if (ts.isPropertyAccessExpression(callee) && (callee.name.text === "map" || callee.name.text === "get")) {
      const target = this.expr(callee.expression, m, scope);
      if (callee.name.text === "get" && target.t === "report") {
        const arg = this.args(node, m, scope)[0];
        if (!arg || arg.t !== "scalar" || typeof arg.value !== "string" || arg.ir) throw new EvalError(pos, "a report path must be a string literal");
        let path: PathSegment[];
        try {
          path = reportPath(arg.value);
        } catch (e) {
          throw new EvalError(arg.pos, (e as Error).message);
        }
        return refVal({ scope: "steps", step: target.step, attr: "reports", report: target.report, path }, pos);
      }
      if (callee.name.text === "map" && target.t === "seq") {
        const fn = node.arguments[0] ? this.expr(node.arguments[0], m, scope) : undefined;
        if (!fn || fn.t !== "fn") throw new EvalError(pos, "not statically evaluable: .map() needs an arrow function");
        this.copy(target.items.length, pos);
        return this.bounded({ t: "seq", items: target.items.map((item, i) => this.apply(fn, [item, scalar(i, item.pos)], m)), pos });
      }
    }
    if (ts.isIdentifier(callee)) {
      const b = scope.lookup(callee.text);
      if (b && !("t" in b) && ts.isFunctionDeclaration(b.node)) throw new EvalError(pos, `not statically evaluable: call to ${callee.text}()`);
    }
    const f = this.expr(callee, m, scope);
    if (f.t === "fn") return this.apply(f, this.args(node, m, scope), m);
    if (f.t !== "dsl") throw new EvalError(pos, `not statically evaluable: call to ${callee.getText(m.sf)}()`);
    const args = this.args(node, m, scope);
    return this.dslCall(f.name, args, pos, node, m);
  }

  /** An optional dotted path (`"a.b[0]"`) given as the only argument. */
  private pathArg(node: ts.CallExpression, m: Module, scope: Scope, pos: Pos): PathSegment[] {
    const a = this.args(node, m, scope)[0];
    if (!a) return [];
    if (a.t !== "scalar" || typeof a.value !== "string" || a.ir) throw new EvalError(a.pos ?? pos, "a response path must be a string literal");
    try {
      return reportPath(a.value);
    } catch (e) {
      throw new EvalError(a.pos, (e as Error).message);
    }
  }

  private args(node: ts.CallExpression, m: Module, scope: Scope): Val[] {
    return node.arguments.map((a) => {
      if (ts.isSpreadElement(a)) throw new EvalError(this.pos(a, m), "not statically evaluable: spread arguments");
      return this.expr(a, m, scope);
    });
  }

  private apply(fn: Extract<Val, { t: "fn" }>, args: Val[], m: Module): Val {
    const local = new Map<string, Val>();
    fn.node.parameters.forEach((p, i) => {
      if (!ts.isIdentifier(p.name)) throw new EvalError(fn.pos, "not statically evaluable: a destructuring parameter");
      local.set(p.name.text, args[i] ?? { t: "undefined", pos: fn.pos });
    });
    const scope: Scope = { lookup: (n) => local.get(n) ?? fn.env.lookup(n) };
    const body = fn.node.body;
    if (ts.isBlock(body)) {
      const ret = body.statements.length === 1 && ts.isReturnStatement(body.statements[0]) ? body.statements[0].expression : undefined;
      if (!ret) throw new EvalError(this.pos(body, m), "not statically evaluable: an arrow function body other than one return statement");
      return this.expr(ret, m, scope);
    }
    return this.expr(body, m, scope);
  }

  private dslCall(name: string, args: Val[], pos: Pos, node: ts.CallExpression, m: Module): Val {
    const kind = BUILDER_KINDS[name];
    if (kind) {
      const [idV, spec] = args;
      if (!idV || idV.t !== "scalar" || typeof idV.value !== "string" || idV.ir) throw new EvalError(idV?.pos ?? pos, `${name}() needs the step id as a constant string first`);
      if (!spec || spec.t !== "map") throw new EvalError(spec?.pos ?? pos, `${name}('${idV.value}', ...) needs an object literal of options`);
      return this.bounded({ t: "step", id: idV.value, kind, body: spec.entries, pos, idPos: idV.pos });
    }
    const op = COMPARE_OPS[name];
    if (op) {
      if (args.length !== 2) throw new EvalError(pos, `${name}() takes two operands`);
      return exprVal({ kind: "compare", op: op as CompareOp, left: irOf(args[0]), right: irOf(args[1]), pos });
    }
    switch (name) {
      case "variable": {
        const a = args[0];
        if (!a || a.t !== "scalar" || typeof a.value !== "string" || a.ir) throw new EvalError(a?.pos ?? pos, "variable() takes the variable's name as a string literal");
        if (!VARIABLE_NAME.test(a.value)) throw new EvalError(a.pos, `variable name ${JSON.stringify(a.value)}: use 1 to 250 letters, digits and _ . - (what an Airflow Variable key and an SSM parameter name both allow)`);
        return refVal({ scope: "variables", name: a.value }, pos);
      }
      case "runInput": {
        const a = args[0];
        if (a && (a.t !== "scalar" || typeof a.value !== "string" || a.ir)) throw new EvalError(a.pos, "a path into the run's input must be a string literal");
        let path: PathSegment[] = [];
        try {
          if (a) path = reportPath(String((a as { value: string }).value));
        } catch (e) {
          throw new EvalError(a!.pos, (e as Error).message);
        }
        return refVal({ scope: "execution", name: "input", path }, pos);
      }
      case "responseOf":
      case "itemOf":
      case "outputOf": {
        const [idV, pathV] = args;
        for (const a of [idV, pathV]) if (a && (a.t !== "scalar" || typeof a.value !== "string" || a.ir)) throw new EvalError(a.pos, `${name}() takes string literals`);
        if (!idV || (name === "outputOf" && !pathV)) throw new EvalError(pos, name === "outputOf" ? "outputOf() needs the step id and the output's name" : `${name}() needs the ${name === "itemOf" ? "map's" : "step"} id`);
        const step = String((idV as { value: string }).value);
        const text = pathV ? String((pathV as { value: string }).value) : "";
        if (name === "outputOf") return refVal({ scope: "steps", step, attr: "outputs", name: text }, pos);
        let path: PathSegment[] = [];
        try {
          // No path: the whole response (or item).
          if (pathV) path = reportPath(text);
        } catch (e) {
          throw new EvalError(pathV!.pos, (e as Error).message);
        }
        return refVal({ scope: "steps", step, attr: name === "itemOf" ? "item" : "response", path }, pos);
      }
      case "params": {
        const spec = args[0];
        if (!spec || spec.t !== "map") throw new EvalError(pos, "params() needs an object literal");
        return { t: "params", spec, names: new Set(spec.entries.map(([k]) => k)), pos };
      }
      case "and":
      case "or":
        return exprVal({ kind: "logic", op: name, operands: args.map((a) => irOf(a)), pos });
      case "not":
        return exprVal({ kind: "not", operand: irOf(args[0] ?? { t: "undefined", pos }), pos });
      case "isIn": {
        const list = args[1];
        if (!list || list.t !== "seq") throw new EvalError(pos, "isIn() needs an array literal second");
        const neg = args[2];
        return exprVal({
          kind: "in",
          value: irOf(args[0]),
          list: { kind: "list", items: list.items.map((i) => irOf(i)), pos: list.pos },
          negated: neg?.t === "scalar" && neg.value === true,
          pos,
        });
      }
      case "join":
        return exprVal(joinValues(args.map((a) => irOf(a)), pos));
      case "expr": {
        const text = args[0];
        const lit = node.arguments[0];
        if (!text || text.t !== "scalar" || typeof text.value !== "string" || text.ir) throw new EvalError(pos, "expr() needs a string literal");
        // Offsets in the text map into the literal (after its opening quote) when it spells the text verbatim.
        const start = lit.getStart(m.sf) + 1;
        const verbatim = lit.getText(m.sf).slice(1, -1) === text.value;
        try {
          return exprVal(parseExpression(text.value, (o) => (verbatim ? posOf(m.sf, start + o, m.name) : text.pos)));
        } catch (e) {
          if (!(e instanceof ExprSyntaxError)) throw e;
          throw new EvalError(verbatim ? posOf(m.sf, start + e.offset, m.name) : text.pos, `invalid expression: ${e.message}`);
        }
      }
      case "foreach": {
        const [items, fn] = args;
        if (!items || items.t !== "seq") throw new EvalError(pos, "foreach() needs an array literal of items first");
        if (!fn || fn.t !== "fn") throw new EvalError(pos, "foreach() needs an arrow function second");
        const step = this.apply(fn, [{ t: "item", path: [], pos: fn.pos }], m);
        if (step.t !== "step") throw new EvalError(fn.pos, "foreach()'s function must return a step");
        return this.bounded({ ...step, foreach: items });
      }
      case "pipeline":
        return { t: "pipeline", root: pipelineTree(args[0], pos, (e) => this.report(e)), pos };
      default:
        throw new EvalError(pos, `not statically evaluable: call to ${node.expression.getText(m.sf)}()`);
    }
  }
}
