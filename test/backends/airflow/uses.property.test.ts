/**
 * The one-pass reads of what a generated DAG uses give what a search per name
 * gives (the way they were first written), on random texts made of the
 * pieces that decide them: names glued to word characters, string literals
 * with escapes, Jinja braces, calls. And the parts of Python nodes read
 * without printing them give what their printed text gives.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HELPERS, MODULE_NAMES } from "../../../backends/airflow/helper-module.js";
import { codeNames, helperWords, macrosCalled, usedParts } from "../../../backends/airflow/uses.js";
import { call, code, dict, inline, list, num, str, type Py } from "../../../backends/airflow/python/node.js";

const NAMES = [...Object.keys(HELPERS), ...MODULE_NAMES, "sy_cat", "json", "time", "operator"];
const piece = fc.oneof(
  fc.constantFrom(...NAMES),
  fc.constantFrom("{{", "{{ ", "}}", "}", "(", ")", ".", " ", "\n", '"', "'", "\\", "\\\"", "_", "x", "9", "sy_", "Sy", ", "),
);
const text = fc.array(piece, { maxLength: 40 }).map((xs) => xs.join(""));

/** String literals left out, as Python would read them on one line. */
const withoutStrings = (src: string) => src.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""');

describe("what the generated text uses", () => {
  it("macrosCalled: the sy_ names a search `{{[^}]*\\bname(` finds", () => {
    fc.assert(
      fc.property(text, (t) => {
        const names = Object.keys(HELPERS).filter((h) => h.startsWith("sy_"));
        expect(names.filter((h) => macrosCalled(t).has(h))).toEqual(names.filter((h) => new RegExp(`\\{\\{[^}]*\\b${h}\\(`).test(t)));
      }),
      { numRuns: 2000, seed: 20261204 },
    );
  });

  it("helperWords: the helper names a search `\\bname\\b` finds", () => {
    fc.assert(
      fc.property(text, (t) => {
        const names = Object.keys(HELPERS);
        expect(names.filter((h) => helperWords(t).has(h))).toEqual(names.filter((h) => new RegExp(`\\b${h}\\b`).test(t)));
      }),
      { numRuns: 2000, seed: 20261205 },
    );
  });

  it("codeNames: the names and modules a search finds once string literals are left out", () => {
    fc.assert(
      fc.property(text, (t) => {
        const code = withoutStrings(t);
        const got = codeNames([t], MODULE_NAMES, ["json", "operator", "time"]);
        expect(MODULE_NAMES.filter((n) => got.names.has(n))).toEqual(MODULE_NAMES.filter((n) => new RegExp(`\\b${n}\\b`).test(code)));
        expect(["json", "operator", "time"].filter((m) => got.modules.has(m))).toEqual(["json", "operator", "time"].filter((m) => new RegExp(`\\b${m}\\.`).test(code)));
      }),
      { numRuns: 2000, seed: 20261206 },
    );
  });

  it("texts read apart give what the same texts joined by line breaks give (a literal or a name never spans a line)", () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const joined = `${a}\n${b}`;
        expect(helperWords(a, b)).toEqual(helperWords(joined));
        expect(codeNames([a, b], MODULE_NAMES, ["json", "operator", "time"])).toEqual(codeNames([joined], MODULE_NAMES, ["json", "operator", "time"]));
      }),
      { numRuns: 2000, seed: 20261207 },
    );
  });

  // Nodes as the DAG's arguments hold them: text (some with closed Jinja tags), code pieces that begin
  // and end apart from the words around them, calls of helpers, Airflow names and modules.
  const word = fc.constantFrom(...NAMES, "x", "literal", "é", "\\", "\n", '"', "'", "sy_", "Sy", " ", "(", "}");
  const plain = fc.array(word, { maxLength: 6 }).map((xs) => xs.join(""));
  const jinjaTag = fc.array(fc.constantFrom(...NAMES, "x", "(", ")", " ", ", ", "'a'", "sy_"), { maxLength: 6 }).map((xs) => `{{ ${xs.join("")} }}`);
  const textNode = fc.array(fc.oneof(plain, jinjaTag), { maxLength: 3 }).map((xs) => str(xs.join("")));
  const piece = fc.constantFrom(" json.dumps(", " S3Hook().", " time.sleep(", ")", " sy_cat(", " + ", " operator.itemgetter(", " AirflowException(");
  const { node } = fc.letrec<{ node: Py }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      textNode,
      fc.integer().map((n) => num(n)),
      fc.array(tie("node"), { maxLength: 3 }).map(list),
      fc.array(fc.tuple(fc.constantFrom("a", "sy_key", "{{ sy_x( }}"), tie("node")), { maxLength: 3 }).map((es) => dict(es)),
      fc.record({ fn: fc.constantFrom("literal", "sy_cat", "SyThing", "S3Hook", "f"), args: fc.array(tie("node"), { maxLength: 2 }), kw: fc.array(fc.tuple(fc.constantFrom("k", "sy_k"), tie("node")), { maxLength: 2 }) }).map(({ fn, args, kw }) => call(fn, args, kw)),
      fc.array(fc.oneof(piece, tie("node")), { maxLength: 4 }).map((parts) => code(...parts)),
    ),
  }));

  it("usedParts: the helpers, macros, Jinja calls and code names of the nodes' printed text", () => {
    fc.assert(
      fc.property(fc.array(node, { maxLength: 4 }), (nodes) => {
        const printed = nodes.map(inline).join("\n");
        const parts = usedParts(nodes);
        expect(helperWords(parts.jinja, parts.words, parts.code)).toEqual(helperWords(printed));
        expect(macrosCalled(parts.jinja)).toEqual(macrosCalled(printed));
        const calls = (t: string) => new Set([...t.matchAll(/\{\{ ([A-Za-z_][A-Za-z0-9_]*)\(/g)].map((m) => m[1]));
        expect(calls(parts.jinja)).toEqual(calls(printed));
        const modules = ["json", "operator", "time"];
        expect(codeNames([parts.code], MODULE_NAMES, modules)).toEqual(codeNames([printed], MODULE_NAMES, modules));
        expect(/\bliteral\(/.test(parts.code)).toBe(nodes.some(function calls(n: Py): boolean {
          return n.t === "call" ? n.fn === "literal" || n.args.some(calls) || n.kwargs.some(([, v]) => calls(v)) : n.t === "list" || n.t === "tuple" ? n.items.some(calls) : n.t === "dict" ? n.entries.some(([k, v]) => calls(k) || calls(v)) : n.t === "expr" ? n.parts.some((x) => typeof x !== "string" && calls(x)) : false;
        }));
      }),
      { numRuns: 1500, seed: 20261208 },
    );
  });

  it("a name inside a string literal, or glued to other word characters, is not a use", () => {
    expect(codeNames([`x = "json.dumps" + S3HookX + 'time.sleep'`], MODULE_NAMES, ["json", "time"])).toEqual({ names: new Set(), modules: new Set() });
    expect(codeNames([`S3Hook().load(json.dumps(x))`], MODULE_NAMES, ["json", "time"])).toEqual({ names: new Set(["S3Hook"]), modules: new Set(["json"]) });
    expect(macrosCalled("{{ x }} sy_cat( {{ a(sy_str(1), xsy_at(2)) }}")).toEqual(new Set(["sy_str"]));
  });
});
