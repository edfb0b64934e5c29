/**
 * The security boundary: every user string reaches the DAG file as an exact
 * Python literal (checked by parsing it back with Python's `ast`), and in
 * templated fields stays the same text after Airflow's Jinja renders it
 * (checked in real Airflow 2.11 and 3.0).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ruffWorkspace, asksForAirflow3 } from "./support/ruff.js";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { pyString } from "../../../backends/airflow/python/literal.js";
import { print, str } from "../../../backends/airflow/python/node.js";
import type { Pipeline, Pos, Value } from "../../../src/ir/types.js";
import { startAirflow, type Airflow } from "./support/airflow.js";
import { lowerFor } from "./support/fixtures.js";

const ruff = ruffWorkspace();
const HERE = dirname(fileURLToPath(import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "sy-escape-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Strings of any UTF-16 code units, lone surrogates included, biased towards what breaks quoting and Jinja. */
const nasty = fc.constantFrom("{{", "}}", "{%", "%}", "{#", "#}", "'", '"', '"""', "'''", "\\", "\\n", "\n", "\r\n", "\r", "\t", "%", "%s", "\u0000", "\u2028", "é", "\ud83d\ude00", "\ud800", "\udfff", "{{ 7*7 }}", "{% raw %}", "{% endraw %}", "${{ x }}", "$.", " ", "\x7f", "\u00a0");
const anyString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  fc.array(fc.oneof(nasty, fc.string({ maxLength: 4 })), { maxLength: 8 }).map((a) => a.join("")),
);

function parseBack(sources: string[]): unknown[] {
  const file = join(tmp, "literals.py");
  writeFileSync(file, sources.join("\n") + "\n", "ascii");
  return JSON.parse(execFileSync("python3", [join(HERE, "support", "literals.py"), file], { encoding: "utf8" }));
}

describe("Python literals", () => {
  test("pyString(s) parses back to s for arbitrary strings, and the file is pure ASCII", () => {
    const samples = fc.sample(fc.array(anyString, { minLength: 1, maxLength: 40 }), { numRuns: 10, seed: 20261123 });
    for (const batch of samples) {
      const sources = batch.map(pyString);
      for (const s of sources) expect(s).toMatch(/^[\x20-\x7e]*$/);
      expect(parseBack(sources)).toEqual(batch);
    }
  });

  test("long strings split over lines inside parentheses still parse back to the same value", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyString, fc.string({ minLength: 80, maxLength: 300 })), { minLength: 1, maxLength: 10 }), (batch) => {
        const sources = batch.map((s) => print(str(s + s + s), 8, 30, 1));
        expect(parseBack(sources)).toEqual(batch.map((s) => s + s + s));
      }),
      { numRuns: 15, seed: 7 },
    );
  });
});

const pos: Pos = { file: "escape.yaml", line: 1, col: 1 };
const lit = (value: string): Value => ({ kind: "literal", value, type: "string", pos });
const param: Value = { kind: "ref", ref: { scope: "params", name: "p" }, pos };

/** A one-step pipeline whose templated fields hold the given strings, alone and joined with a parameter. */
function pipelineWith(strings: string[], paramDefault: string): Pipeline {
  const args: Value[] = [];
  for (let i = 0; i < strings.length; i += 2) {
    args.push(lit(strings[i]));
    args.push({ kind: "join", parts: [lit(strings[i]), param, lit(strings[i + 1] ?? "")], pos });
  }
  return {
    version: 1,
    name: "escape",
    description: strings.join(""),
    role: "arn:aws:iam::111122223333:role/R",
    region: "us-east-1",
    artifacts: "s3://bucket/prefix",
    parameters: [{ name: "p", type: "string", default: paramDefault, pos }],
    defaults: {},
    steps: [
      {
        id: "step",
        kind: "processing",
        depends_on: [],
        // Tags take letters, digits, spaces and `_.:/=+-@` only (the API's pattern): the hostile text travels in environment values and arguments.
        tags: { team: "ml é" },
        environment: Object.fromEntries(strings.map((s, i) => [`E${i}`, lit(s)])),
        targets: {},
        pos,
        image: lit("123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1"),
        instance: { type: lit("ml.m5.large"), pos },
        arguments: args,
        inputs: {},
        outputs: {},
        reports: {},
      },
    ],
    targets: {},
    source: { file: "escape.yaml", format: "yaml" },
    pos,
  };
}

describe.each(["2", "3"] as const)("templated fields in real Airflow %s", (line) => {
  let af: Airflow;
  beforeAll(() => {
    af = startAirflow(line);
  });
  afterAll(() => af?.dispose());

  test("arbitrary strings and joins render to exactly the IR's text", () => {
    const batches = fc.sample(fc.tuple(fc.array(anyString, { minLength: 2, maxLength: 30 }), anyString), { numRuns: 3, seed: 42 });
    batches.push([["{{ 7*7 }}", "{% raw %}{{", "'''\"\"\"\\", "line\r\nbreak\n", "100%", "ünï\u2028", "\ud800x", ""], "{{ params }}"]);
    batches.forEach(([strings, def], n) => {
      const p = pipelineWith(strings, def);
      const r = lowerFor(p, { airflow: line });
      const dag = r.files.find((f) => f.kind === "dag")!;
      // Whatever the strings, the file stays lint-clean and formatted.
      const findings = ruff.check(dag.contents).filter((d) => !(line === "2" && asksForAirflow3(d)));
      expect(findings.map((d) => `${d.start_location.row} ${d.code} ${d.message}`)).toEqual([]);
      expect(ruff.format(dag.contents)).toBe(dag.contents);
      const dir = join(af.home, `dags-${n}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "escape.py"), dag.contents);
      const rendered = af.check(["render", join(dir, "escape.py"), "step", "2026-01-01T00:00:00+00:00"]);
      const expected: string[] = [];
      for (let i = 0; i < strings.length; i += 2) expected.push(strings[i], strings[i] + def + (strings[i + 1] ?? ""));
      expect(rendered.config.AppSpecification.ContainerArguments).toEqual(expected);
      expect(rendered.config.Environment).toEqual(Object.fromEntries(strings.map((s, i) => [`E${i}`, s])));
      expect(rendered.config.Tags).toEqual([{ Key: "team", Value: "ml é" }]);
    });
  });
});
