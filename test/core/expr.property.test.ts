/** Property tests: printing an expression and parsing it back gives the same tree. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseExpression, parseTokens } from "../../src/ir/expr/parser.js";
import { printExpr, printTemplate } from "../../src/ir/expr/print.js";
import { parseTemplate } from "../../src/ir/expr/template.js";
import type { CompareOp, Pos, Ref, Value } from "../../src/ir/types.js";
import { stripPositions } from "../../src/ir/values.js";

const P: Pos = { file: "t", line: 1, col: 1 };
const at = () => P;

const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}(-[A-Za-z0-9_]{1,3})?$/);
const segment = fc.oneof(ident, fc.nat({ max: 20 }), fc.string({ maxLength: 6 }));

const ref: fc.Arbitrary<Ref> = fc.oneof(
  ident.map((name) => ({ scope: "params" as const, name })),
  fc.tuple(ident, ident).map(([step, name]) => ({ scope: "steps" as const, step, attr: "outputs" as const, name })),
  fc.tuple(ident, fc.constantFrom("model", "name", "job_name", "arn" as const)).map(([step, attr]) => ({ scope: "steps" as const, step, attr })),
  fc
    .tuple(ident, ident, fc.array(segment, { minLength: 1, maxLength: 4 }))
    .map(([step, report, path]) => ({ scope: "steps" as const, step, attr: "reports" as const, report, path })),
  fc.array(segment, { maxLength: 3 }).map((path) => ({ scope: "item" as const, path })),
  fc.constantFrom("id", "start_time" as const).map((name) => ({ scope: "execution" as const, name })),
  fc.tuple(ident, fc.array(segment, { maxLength: 4 })).map(([step, path]) => ({ scope: "steps" as const, step, attr: "response" as const, path })),
  fc.array(segment, { maxLength: 4 }).map((path) => ({ scope: "execution" as const, name: "input" as const, path })),
) as fc.Arbitrary<Ref>;

const literal: fc.Arbitrary<Value> = fc.oneof(
  fc.string({ maxLength: 12 }).map((value) => ({ kind: "literal" as const, value, type: "string" as const, pos: P })),
  fc.integer().map((value) => ({ kind: "literal" as const, value, type: "integer" as const, pos: P })),
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .filter((x) => !Object.is(x, -0))
    .map((value) => ({ kind: "literal" as const, value, type: "float" as const, pos: P })),
  fc.boolean().map((value) => ({ kind: "literal" as const, value, type: "boolean" as const, pos: P })),
  fc.constant({ kind: "literal" as const, value: null, pos: P }),
);

const { expr } = fc.letrec<{ expr: Value }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    literal,
    ref.map((r) => ({ kind: "ref" as const, ref: r, pos: P })),
    fc.array(tie("expr"), { maxLength: 3 }).map((items) => ({ kind: "list" as const, items, pos: P })),
    fc
      .tuple(fc.constantFrom<CompareOp>("==", "!=", "<", "<=", ">", ">="), tie("expr"), tie("expr"))
      .map(([op, left, right]) => ({ kind: "compare" as const, op, left, right, pos: P })),
    fc.tuple(tie("expr"), tie("expr"), fc.boolean()).map(([value, list, negated]) => ({ kind: "in" as const, value, list, negated, pos: P })),
    fc
      .tuple(fc.constantFrom("and", "or" as const), fc.array(tie("expr"), { minLength: 2, maxLength: 3 }))
      .map(([op, operands]) => ({ kind: "logic" as const, op, operands, pos: P })),
    tie("expr").map((operand) => ({ kind: "not" as const, operand, pos: P })),
    fc
      .tuple(fc.constantFrom("+", "-", "*", "/" as const), tie("expr"), tie("expr"))
      .map(([op, left, right]) => ({ kind: "arith" as const, op, left, right, pos: P })),
    // Text joined (concat()): a join among its parts is its parts in place, as the parser reads it.
    fc.array(tie("expr"), { minLength: 1, maxLength: 3 }).map((parts) => ({ kind: "join" as const, parts: parts.flatMap((x) => (x.kind === "join" ? x.parts : [x])), pos: P })),
  ),
}));

describe("expression printer and parser", () => {
  it("concat() is the join a string with ${{ }} in it is, written inside an expression", () => {
    const inside = parseExpression("params.mode == concat(params.env, '-full')", at);
    const joined = parseTemplate("${{ params.env }}-full", at);
    expect(stripPositions(inside)).toMatchObject({ kind: "compare", right: stripPositions(joined) });
    expect(printExpr(inside)).toBe("params.mode == concat(params.env, '-full')");
    // One value's text; a join inside is its parts in place; none is an error naming concat().
    expect(stripPositions(parseExpression("concat(params.n)", at))).toEqual({ kind: "join", parts: [{ kind: "ref", ref: { scope: "params", name: "n" } }] });
    expect(stripPositions(parseExpression("concat('a', concat(params.n, 'b'))", at))).toEqual(stripPositions(parseTemplate("a${{ params.n }}b", at)));
    expect(() => parseExpression("concat()", at)).toThrow("concat() joins the text of one or more values");
    expect(() => parseExpression("concatt('a')", at)).toThrow("unknown function 'concatt'; did you mean 'concat'?");
  });

  it("print then parse gives the same tree", () => {
    fc.assert(
      fc.property(expr, (e) => {
        const text = printExpr(e);
        expect(stripPositions(parseExpression(text, at))).toEqual(stripPositions(e));
      }),
      { numRuns: 2000 },
    );
  });

  it("templates: text around expressions survives print and parse", () => {
    // A join alone in `${{ }}` prints as its text in place (printTemplate), which reads back as the parts: not generated here.
    const part = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }).map((t) => ({ text: t })), expr.filter((e) => e.kind !== "join").map((e) => ({ e })));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), (parts) => {
        // The expected normal form: adjacent constant text merged, one part stands alone.
        const values: Value[] = [];
        for (const p of parts) {
          const v: Value = "text" in p ? { kind: "literal", value: p.text, type: "string", pos: P } : p.e;
          const prev = values[values.length - 1];
          const isText = (x: Value | undefined) => x?.kind === "literal" && typeof x.value === "string";
          if (isText(prev) && isText(v)) {
            values[values.length - 1] = { ...(prev as Value & { value: string }), value: (prev as { value: string }).value + (v as { value: string }).value };
          } else values.push(v);
        }
        const nonEmpty = values.filter((v) => !(v.kind === "literal" && v.value === ""));
        if (nonEmpty.length && nonEmpty.length < values.length) {
          values.length = 0;
          for (const v of nonEmpty) {
            const prev = values[values.length - 1];
            if (prev?.kind === "literal" && typeof prev.value === "string" && v.kind === "literal" && typeof v.value === "string") {
              values[values.length - 1] = { ...prev, value: prev.value + v.value };
            } else values.push(v);
          }
        }
        const expected: Value = values.length === 1 ? values[0] : { kind: "join", parts: values, pos: P };
        const text = printTemplate(expected);
        expect(stripPositions(parseTemplate(text, at))).toEqual(stripPositions(expected));
      }),
      { numRuns: 2000 },
    );
  });

  it("the shortcut for plain references gives what the full parser gives, positions and errors included", () => {
    // Texts near `steps.X.outputs.Y` and `params.X`: spaces around, hyphens, keywords, digits, a part missing or extra.
    const piece = fc.constantFrom("steps", "params", "outputs", "model", ".", "-", "_", "a", "b-c", "x-", "9", "and", "true", " ", "\t", "\n", "[0]", "(", "+");
    const text = fc.oneof(
      fc.array(piece, { maxLength: 9 }).map((p) => p.join("")),
      fc.tuple(fc.constantFrom("", " ", "\n  "), ident, ident, fc.constantFrom("", " ", "\t")).map(([a, s, o, b]) => `${a}steps.${s}.outputs.${o}${b}`),
      fc.tuple(fc.constantFrom("", "  "), ident, fc.constantFrom("", " ")).map(([a, n, b]) => `${a}params.${n}${b}`),
    );
    // Positions: the offset itself, so a node placed elsewhere shows.
    const offsets = (o: number): Pos => ({ file: "t", line: 1, col: o + 1 });
    const outcome = (parse: typeof parseExpression, src: string) => {
      try {
        return { value: parse(src, offsets) };
      } catch (e) {
        return { error: (e as Error).message, offset: (e as { offset?: number }).offset };
      }
    };
    let shortcut = 0;
    fc.assert(
      fc.property(text, (src) => {
        const full = outcome(parseTokens, src);
        expect(outcome(parseExpression, src)).toEqual(full);
        if ("value" in full && full.value.kind === "ref" && (full.value.ref.scope === "params" || ("attr" in full.value.ref && full.value.ref.attr === "outputs"))) shortcut++;
      }),
      { numRuns: 3000 },
    );
    // The shortcut's own shapes were drawn (not only texts the full parser reads).
    expect(shortcut).toBeGreaterThan(500);
  });

  it("keeps floats and integers apart", () => {
    expect(parseExpression("6.0", at)).toMatchObject({ value: 6, type: "float" });
    expect(parseExpression("6", at)).toMatchObject({ value: 6, type: "integer" });
    expect(printExpr(parseExpression("6.0", at))).toBe("6.0");
  });

  it("set() over set(), a thousand deep (a lifted state's data, a result at a time), prints as one call that parses back to the same calls", () => {
    const depth = 1_000;
    const lit = (value: string | number): Value => ({ kind: "literal", value, type: typeof value === "string" ? "string" : "integer", pos: P });
    let v: Value = { kind: "ref", ref: { scope: "execution", name: "input", path: [] }, pos: P };
    for (let i = 0; i < depth; i++) {
      const sum: Value = { kind: "arith", op: "-", left: lit(i), right: { kind: "arith", op: "-", left: lit(1), right: lit(2), pos: P }, pos: P };
      v = { kind: "call", fn: "set", args: [v, lit(`k${i}`), sum], pos: P };
    }
    const text = `set(execution.input, ${Array.from({ length: depth }, (_, i) => `'k${i}', ${i} - (1 - 2)`).join(", ")})`;
    expect(printExpr(v)).toBe(text);
    expect(printTemplate(v)).toBe(`\${{ ${text} }}`);
    expect(stripPositions(parseExpression(text, at))).toEqual(stripPositions(v));
    // Written out nested, the same calls; a set() whose object is no set() stays as it is.
    expect(stripPositions(parseExpression("set(set(params.a, 'x', 1), 'y', set(params.b, 'z', 2))", at))).toEqual(stripPositions(parseExpression("set(params.a, 'x', 1, 'y', set(params.b, 'z', 2))", at)));
    expect(printExpr(parseExpression("set(set(params.a, 'x', 1), 'y', set(params.b, 'z', 2))", at))).toBe("set(params.a, 'x', 1, 'y', set(params.b, 'z', 2))");
    // Keys and values come in pairs.
    expect(() => parseExpression("set(params.a, 'x', 1, 'y')", at)).toThrow("set() takes 3 arguments, then more in groups of 2, not 4");
    expect(() => parseExpression("object('x', 1, 'y', 2)", at)).toThrow("object() takes 2 arguments, not 4");
  });

  it("prints calls nested a thousand deep, parenthesised operands inside", () => {
    const depth = 1_000;
    let v: Value = { kind: "literal", value: 0, type: "integer", pos: P };
    let expected = "0";
    for (let i = 0; i < depth; i++) {
      v = { kind: "call", fn: "object", args: [{ kind: "literal", value: `k${i}`, type: "string", pos: P }, { kind: "arith", op: "*", left: v, right: { kind: "arith", op: "+", left: { kind: "literal", value: 1, type: "integer", pos: P }, right: { kind: "literal", value: i, type: "integer", pos: P }, pos: P }, pos: P }], pos: P };
      expected = `object('k${i}', ${expected} * (1 + ${i}))`;
    }
    expect(printExpr(v)).toBe(expected);
  });

  it("precedence: and binds tighter than or, comparisons tighter than not", () => {
    const e = parseExpression("not params.a < 1 or params.x == 2 and params.y", at);
    expect(stripPositions(e)).toMatchObject({
      kind: "logic",
      op: "or",
      operands: [
        { kind: "not", operand: { kind: "compare", op: "<" } },
        { kind: "logic", op: "and", operands: [{ kind: "compare", op: "==" }, { kind: "ref", ref: { scope: "params", name: "y" } }] },
      ],
    });
  });
});

describe("template escapes (regressions)", () => {
  it("a run of `$` right before an expression stays text", () => {
    const v: Value = {
      kind: "join",
      parts: [
        { kind: "literal", value: "cost $$", type: "string", pos: P },
        { kind: "literal", value: 0, type: "integer", pos: P },
      ],
      pos: P,
    };
    expect(printTemplate(v)).toBe("cost ${{ '$$' }}${{ 0 }}");
    expect(stripPositions(parseTemplate(printTemplate(v), at))).toEqual(stripPositions(v));
  });
});
