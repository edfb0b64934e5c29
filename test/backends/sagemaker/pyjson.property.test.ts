/**
 * The serializer against Python itself: for random documents, Python's
 * `json.dumps(json.loads(ours))` must give back exactly our bytes (same
 * separators, escapes, float spelling, int/float distinction), and
 * `json.dumps(..., indent=2)` exactly our indented bytes.
 */
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dumps, dumpsIndented, printPyJson, pyFloat, pyFloatRepr, type Py } from "../../../backends/sagemaker/pyjson.js";
import { minifyJson } from "../../../src/backend/wire.js";
import { COMPACT, fixture, lower } from "./support/load.js";

const PY = "import sys, json\nfor line in sys.stdin.read().split('\\n'):\n    print(json.dumps(json.loads(line)) if line else '')\n";

function pythonRoundTrip(lines: string[]): string[] {
  const out = execFileSync("python3", ["-c", PY], { input: lines.join("\n") + "\n", encoding: "utf8" });
  return out.split("\n").slice(0, lines.length);
}

// Each indented text comes back as one JSON string a line, so newlines survive the pipe.
const PY_INDENTED = "import sys, json\nfor line in sys.stdin.read().split('\\n'):\n    print(json.dumps(json.dumps(json.loads(line), indent=2)) if line else '')\n";

function pythonIndented(lines: string[]): string[] {
  const out = execFileSync("python3", ["-c", PY_INDENTED], { input: lines.join("\n") + "\n", encoding: "utf8" });
  return out.split("\n").slice(0, lines.length).map((l) => JSON.parse(l) as string);
}

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
const py: fc.Arbitrary<Py> = fc.letrec<{ v: Py }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.string({ unit: "binary" }),
    fc.integer(),
    finite.map((x) => pyFloat(x)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: "binary", maxLength: 6 }), tie("v"), { maxKeys: 4 }),
  ),
})).v;

describe("Python json.dumps compatibility", () => {
  it("Python re-serializes our output to the same bytes", () => {
    const samples = fc.sample(py, { numRuns: 400, seed: 20261123 });
    const ours = samples.map(dumps);
    expect(pythonRoundTrip(ours)).toEqual(ours);
  });

  it("Python indents our compact output to exactly our indented output", () => {
    const samples = fc.sample(py, { numRuns: 400, seed: 20261202 });
    expect(pythonIndented(samples.map(dumps))).toEqual(samples.map((v) => dumpsIndented(v)));
  });

  it("the bundled examples' pipeline.json is Python's indent=2 form of the --compact one, plus a final newline", async () => {
    for (const name of ["abalone.yaml", "churn.yaml"]) {
      const p = await fixture(name);
      const compact = lower(p, COMPACT).files[0].contents;
      expect(lower(p).files[0].contents).toBe(pythonIndented([compact])[0] + "\n");
    }
  });

  it("counts, while printing, exactly the whitespace a minifier drops (the size deploy sends)", () => {
    fc.assert(
      fc.property(py, fc.constantFrom(undefined, 2, 4), (v, indent) => {
        const printed = printPyJson(v, indent);
        expect(/^[\x00-\x7f]*$/.test(printed.text)).toBe(true);
        expect(printed.text.length - printed.whitespace).toBe(minifyJson(printed.text).length);
      }),
      { numRuns: 300, seed: 20261204 },
    );
  });

  it("spells floats as Python repr does", () => {
    const xs = [6, 0.1, 1e-5, 1.5e-7, 1e16, 123456789012345680000, -2.5, 0.0001, 9007199254740993, 5e-324];
    const py = pythonRoundTrip(xs.map((x) => dumps(pyFloat(x))));
    expect(py).toEqual(["6.0", "0.1", "1e-05", "1.5e-07", "1e+16", "1.2345678901234568e+20", "-2.5", "0.0001", "9007199254740992.0", "5e-324"]);
    expect(xs.map(pyFloatRepr)).toEqual(py);
  });

  it("escapes non-ASCII and control characters like ensure_ascii", () => {
    expect(dumps({ "é": "😀\u0001\u007f\"\\\n" })).toBe('{"\\u00e9": "\\ud83d\\ude00\\u0001\\u007f\\"\\\\\\n"}');
  });
});
