/**
 * The direct reader of plain block YAML gives the very tree the library's reader
 * gives (values, positions of nodes and keys, positions inside strings), and gives
 * up on everything outside its subset, so errors and warnings always come from the
 * library's reader.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readPlainYaml } from "../../src/frontends/yaml/fast.js";
import { loadYaml, loadYamlFully } from "../../src/frontends/yaml/load.js";
import type { PMap, PNode } from "../../src/frontends/pnode.js";
import { buildPipeline } from "../../src/frontends/build.js";
import { fuzzPipeline } from "../support/fuzz-pipelines.js";
// @ts-expect-error: a plain script without declarations
import { generate } from "../../bench/generate.mjs";

const ROOT = join(import.meta.dirname, "..", "..");

/** A tree with each `posAt` replaced by what it says at a few offsets. */
function comparable(n: PNode): unknown {
  const probe = (s: string) => [0, 1, Math.floor(s.length / 2), s.length - 1, s.length];
  switch (n.t) {
    case "map":
      return { ...n, entries: n.entries.map(([k, v]) => [k, comparable(v)]) };
    case "seq":
      return { ...n, items: n.items.map(comparable) };
    case "scalar": {
      if (typeof n.value !== "string") return n;
      // What the builder reads: positions inside a string with an expression, else where the string starts.
      const posAt = n.posAt ?? (() => n.pos);
      return { ...n, posAt: n.value.includes("${{") ? probe(n.value).map(posAt) : posAt(0) };
    }
  }
}

/** The direct reading, when there is one, is the library's, which found no problem. */
function sameAsLibrary(text: string): boolean {
  const fast = readPlainYaml(text, "p.yaml");
  if (!fast) return false;
  const full = loadYamlFully(text, "p.yaml");
  expect(full.diagnostics).toEqual([]);
  expect(full.comments.size).toBe(0);
  expect(comparable(fast)).toEqual(comparable(full.root!));
  return true;
}

/** With `skipComments`, the direct reading, when there is one, is the library's (comments aside), which found no problem. */
function sameSkippingComments(text: string): boolean {
  const fast = readPlainYaml(text, "p.yaml", true);
  if (!fast) return false;
  const full = loadYamlFully(text, "p.yaml");
  expect(full.diagnostics).toEqual([]);
  expect(comparable(fast)).toEqual(comparable(full.root!));
  return true;
}

/** Generated pipelines of every shape with a few pieces of text cut out and others put in. */
function editedPipelines(puts: string[], o: { cut: number; minEdits: number; maxEdits: number }): fc.Arbitrary<string> {
  const edit = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), cut: fc.nat(o.cut), put: fc.constantFrom(...puts) });
  return fc
    .tuple(fc.constantFrom("chain", "fanout", "random", "foreach"), fc.integer({ min: 2, max: 12 }), fc.nat(1000), fc.array(edit, { minLength: o.minEdits, maxLength: o.maxEdits }))
    .map(([shape, n, seed, es]) => {
      let text: string = generate(shape, n, seed);
      for (const e of es) {
        const at = Math.floor(e.at * text.length);
        text = text.slice(0, at) + e.put + text.slice(at + e.cut);
      }
      return text;
    });
}

describe("the plain YAML reader", () => {
  it("reads generated pipelines of every shape as the library does, and they build the same IR", () => {
    for (const shape of ["chain", "fanout", "random", "foreach"]) {
      for (const seed of [1, 2]) {
        const text: string = generate(shape, 60, seed);
        expect(sameAsLibrary(text)).toBe(true);
        const ctx = { file: "p.yaml", baseDir: ROOT, format: "yaml" as const };
        expect(buildPipeline(readPlainYaml(text, "p.yaml") as PMap, ctx)).toEqual(buildPipeline(loadYamlFully(text, "p.yaml").root as PMap, ctx));
      }
    }
  });

  it("reads the bundled examples, their comments as spaces, as the library does", () => {
    for (const f of ["abalone.yaml", "churn.yaml"]) {
      const text = readFileSync(join(ROOT, "fixtures", f), "utf8");
      // Comments kept (for printing back), the library's reader reads the file.
      expect(readPlainYaml(text, "p.yaml")).toBeUndefined();
      expect(loadYaml(text, "p.yaml").comments.size).toBeGreaterThan(0);
      expect(sameSkippingComments(text)).toBe(true);
      expect(loadYaml(text, "p.yaml", "pipeline", false, { comments: false }).comments.size).toBe(0);
    }
  });

  it("reads comments as spaces, and gives up on any other '#'", () => {
    const read = ["# heading\na: 1 # one\nb: 'x' # two\nc: \"y\"\n  # indented\nd: [1, 'z', 3] # three\ne: # four\n  f: g\n#\n", "a:\n  - x # c\n  - { k: 'v' } # d\n"];
    for (const text of read) expect(sameSkippingComments(text), JSON.stringify(text)).toBe(true);
    const b = readPlainYaml(read[0], "p.yaml", true) as PMap;
    expect(b.entries.map(([k, v]) => [k, v.t === "scalar" ? v.value : v.t])).toEqual([
      ["a", 1],
      ["b", "x"],
      ["c", "y"],
      ["d", "seq"],
      ["e", "map"],
    ]);
    for (const text of [
      // A '#' in a quoted value, or with no space before it (the value's), is left to the library.
      "a: 'x # y' # c\n",
      'a: "x # y"\n',
      "a: x#y\n",
      "a: x#y # c\n",
      // A quote that may open a quoted value: its '#' counts as the value's.
      "a: x 'y # z'\n",
      // An escape, or a quote left open at the end of a line.
      'a: "x\\"# y" # c\n',
      "a: 'x # y\n  z' # c\n",
      // A block scalar's lines are its text.
      "a: |\n  # text\n",
    ]) {
      expect(readPlainYaml(text, "p.yaml", true), JSON.stringify(text)).toBeUndefined();
    }
  });

  it("reads the values it takes as the core schema does", () => {
    const text = [
      "a: 1",
      "b: -2",
      "c: 1.50",
      "d: 2e3",
      "e: .5",
      "f: true",
      "g: False",
      "h: ~",
      "i: NULL",
      "j: 1.2-1",
      "k: s3://b/k:v",
      "l: 'x y'",
      'm: "${{ params.p }}"',
      "n: [1, 2.0, x, 'y', { o: p }]",
      "q:",
      "- r",
      "- s: 1",
      "  t: [u]",
      "-",
      "  v: w",
      "x: 99999999999999999999",
      "y:",
      "  - [z]",
      "",
    ].join("\n");
    expect(sameAsLibrary(text)).toBe(true);
  });

  it("gives up on everything outside its subset", () => {
    for (const text of [
      "a: 1 # a comment\n",
      "a: &x 1\nb: *x\n",
      "a: !!str 1\n",
      "a: |\n  text\n",
      "a: >\n  text\n",
      "a: one\n  two\n",
      "a:\nb: 1\n",
      'a: "x\\ty"\n',
      "a: 'it''s'\n",
      '"a": 1\n',
      "a: 1\na: 2\n",
      "---\na: 1\n",
      "a: 1\n---\nb: 2\n",
      "a:\n\tb: 1\n",
      "a: 0x1F\n",
      "a: .inf\n",
      "a: [1, 2,]\n",
      "a: [1,\n  2]\n",
      "a: {}\n",
      "a: b: c\n",
      "1: x\n",
      "true: x\n",
      "a: 1\r\nb: 2\r\n",
      "? a\n: 1\n",
      "a: @x\n",
      "<<: { a: 1 }\n",
      "",
      "  a: 1\n",
    ]) {
      expect(readPlainYaml(text, "p.yaml"), JSON.stringify(text)).toBeUndefined();
    }
  });

  it("leaves every problem to the library's reader, with its messages", () => {
    const loaded = loadYaml("steps:\n  a: 1\n  a: 2\n", "p.yaml");
    expect(loaded.diagnostics.map((d) => `${d.pos?.line}:${d.pos?.col}: ${d.message}`)).toEqual(["3:3: duplicate key 'a' in 'steps'"]);
  });

  it("agrees with the library on random pipelines", () => {
    fc.assert(fc.property(fuzzPipeline("portable"), (p) => void sameAsLibrary(p.yaml)), { numRuns: 100, seed: 7 });
  });

  it("agrees with the library on random edits of generated pipelines", () => {
    let read = 0;
    const puts = ["", " ", "  ", "\n", "- ", "-", ":", ": ", "{", "}", "[", "]", ",", "'", '"', "\\", "~", "null", "1", "1.0", "1e3", "-1", "true", "x: y", "é", "\u2028", "%", "@", "`", "#", "&a ", "*a", "!!str "];
    fc.assert(
      fc.property(editedPipelines(puts, { cut: 3, minEdits: 0, maxEdits: 3 }), (text) => {
        if (sameAsLibrary(text)) read++;
      }),
      { numRuns: 1000, seed: 7 },
    );
    // Most of them are within the subset.
    expect(read).toBeGreaterThan(100);
  });

  it("agrees with the library on random edits with comments, read as spaces", () => {
    let read = 0;
    const puts = [" # c", " #", "# c\n", "\n# c\n", "\n  # c", "#", " #'", ' #"', "'", '"', "'#", "''", " '", ": '", ': "', "[", "]", "{", "}", ",", "\\", "x: y", "|\n", "\n", " --x", "- --x\n"];
    fc.assert(
      fc.property(editedPipelines(puts, { cut: 2, minEdits: 1, maxEdits: 4 }), (text) => {
        if (sameSkippingComments(text)) read++;
      }),
      { numRuns: 1000, seed: 11 },
    );
    expect(read).toBeGreaterThan(100);
  });
});
