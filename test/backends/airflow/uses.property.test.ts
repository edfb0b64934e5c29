/**
 * The one-pass reads of what a generated DAG uses give what a search per name
 * gives (the way they were first written), on random texts made of the
 * pieces that decide them: names glued to word characters, string literals
 * with escapes, Jinja braces, calls.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HELPERS, MODULE_NAMES } from "../../../backends/airflow/helper-module.js";
import { codeNames, helperWords, macrosCalled } from "../../../backends/airflow/uses.js";

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

  it("a name inside a string literal, or glued to other word characters, is not a use", () => {
    expect(codeNames([`x = "json.dumps" + S3HookX + 'time.sleep'`], MODULE_NAMES, ["json", "time"])).toEqual({ names: new Set(), modules: new Set() });
    expect(codeNames([`S3Hook().load(json.dumps(x))`], MODULE_NAMES, ["json", "time"])).toEqual({ names: new Set(["S3Hook"]), modules: new Set(["json"]) });
    expect(macrosCalled("{{ x }} sy_cat( {{ a(sy_str(1), xsy_at(2)) }}")).toEqual(new Set(["sy_str"]));
  });
});
