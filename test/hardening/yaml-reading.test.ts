/**
 * What the YAML reader refuses, each at its place: values that are not plain
 * data, aliases that never end or expand without bound, nesting past the
 * reader's stack, files too large, bytes that are not UTF-8.
 */
import { describe, expect, it } from "vitest";
import { readPipelineText } from "../../src/frontends/read-input.js";
import { INPUT_LIMITS } from "../../src/frontends/limits.js";
import { HEADER, tempFiles, yamlErrors } from "./support.js";
import { join } from "node:path";

const STEP = (env: string) => `steps:\n  a: { type: processing, image: x, instance: ml.m5.large, code: scripts/prep.py, environment: ${env} }\n`;
const ENV_COL = "  a: { type: processing, image: x, instance: ml.m5.large, code: scripts/prep.py, environment: ".length + 1;

describe("values that are not plain data", () => {
  it("refuses tagged values (!!timestamp, !!binary, unknown tags) at the tag", async () => {
    expect(await yamlErrors(STEP("{ A: !!timestamp 2001-12-14 }"))).toEqual([
      `p.yaml:6:${ENV_COL + 5}: error: the YAML tag '!!timestamp' is not supported: a pipeline holds plain strings, numbers, booleans, lists and maps`,
    ]);
    expect(await yamlErrors(STEP("{ A: !!binary aGk= }"))).toEqual([
      `p.yaml:6:${ENV_COL + 5}: error: the YAML tag '!!binary' is not supported: a pipeline holds plain strings, numbers, booleans, lists and maps`,
    ]);
    expect((await yamlErrors(STEP("{ A: !Ref x }")))[0]).toMatch(new RegExp(`^p\\.yaml:6:${ENV_COL + 5}: error: the YAML tag '!Ref' is not supported`));
    // The plain core tags stay allowed.
    expect(await yamlErrors(STEP('{ A: !!str 12 }'))).toEqual([]);
  });

  it("refuses merge keys clearly, without leaking the library's symbol", async () => {
    const errors = await yamlErrors(`x: &base { A: "1" }\n` + STEP("{ <<: *base, B: '2' }"));
    expect(errors).toEqual([`p.yaml:7:${ENV_COL + 2}: error: merge keys ('<<') are not supported`]);
    expect(errors.join()).not.toContain("Symbol");
  });

  it("refuses __proto__ keys instead of dropping them", async () => {
    expect(await yamlErrors(STEP('{ __proto__: "2" }'))).toEqual([`p.yaml:6:${ENV_COL + 2}: error: the key '__proto__' is not allowed`]);
  });

  it("refuses complex keys", async () => {
    expect(await yamlErrors(STEP('{ ? [a, b] : "2" }'))).toEqual([`p.yaml:6:${ENV_COL + 4}: error: a key must be a plain string, not a list`]);
    expect(await yamlErrors(STEP('{ ? {a: 1} : "2" }'))).toEqual([`p.yaml:6:${ENV_COL + 4}: error: a key must be a plain string, not a map`]);
  });

  it("refuses invalid UTF-8 at the byte's place, without replacing it", async () => {
    const body = Buffer.concat([Buffer.from("steps:\n  a: { type: fail, message: \"caf"), Buffer.from([0xe9]), Buffer.from('" }\n')]);
    expect(await yamlErrors(body)).toEqual([`p.yaml:6:${'  a: { type: fail, message: "caf'.length + 1}: error: the file is not valid UTF-8 (byte 0xe9 at offset ${HEADER.length + 7 + 32})`]);
  });
});

describe("numbers every target holds", () => {
  const PARAM = (spec: string) => `parameters:\n  x: ${spec}\nsteps:\n  f: { type: fail, message: m }\n`;
  it("refuses .inf, .nan and 1e400 in defaults and enums", async () => {
    expect(await yamlErrors(PARAM("{ type: float, default: .inf }"))).toEqual(["p.yaml:6:30: error: a number must be finite, not Infinity"]);
    expect(await yamlErrors(PARAM("{ type: float, default: -.inf }"))).toEqual(["p.yaml:6:30: error: a number must be finite, not -Infinity"]);
    expect(await yamlErrors(PARAM("{ type: float, default: .nan }"))).toEqual(["p.yaml:6:30: error: a number must be finite, not NaN"]);
    expect(await yamlErrors(PARAM("{ type: float, default: 1e400 }"))).toEqual(["p.yaml:6:30: error: a number must be finite, not Infinity"]);
    expect(await yamlErrors(PARAM("{ type: float, default: 1.0, enum: [1.0, 1e400] }"))).toEqual(["p.yaml:6:47: error: a number must be finite, not Infinity"]);
  });

  it("refuses them in payloads, hyperparameters and expressions", async () => {
    expect(await yamlErrors("steps:\n  l: { type: lambda, function: f, payload: { a: [1, 1e400] } }\n")).toEqual([
      "p.yaml:6:53: error: a number must be finite, not Infinity",
    ]);
    expect(await yamlErrors('steps:\n  f: { type: fail, message: "${{ 1e400 > 1 }}" }\n')).toEqual([
      "p.yaml:6:34: error: invalid expression: the number '1e400' is too large (not finite)",
    ]);
  });

  it("refuses integers that cannot be kept exact", async () => {
    expect(await yamlErrors(PARAM("{ type: integer, default: 9007199254740993 }"))).toEqual([
      "p.yaml:6:32: error: the integer 9007199254740992 is too large to be kept exact (at most 9007199254740991)",
    ]);
    expect(await yamlErrors(PARAM("{ type: integer, default: 9007199254740991 }"))).toEqual([]);
  });
});

describe("aliases", () => {
  it("refuses an alias inside the value it names, once", async () => {
    expect(await yamlErrors(STEP("{ A: &l [1, *l] }"))).toEqual([`p.yaml:6:${ENV_COL + 12}: error: the alias '*l' is inside the value it names, which would never end`]);
    // B expands the same cycle again: still one error, at the alias that closes it.
    expect(await yamlErrors(STEP("{ A: &l [1, *l], B: *l }"))).toEqual([
      `p.yaml:6:${ENV_COL + 12}: error: the alias '*l' is inside the value it names, which would never end`,
    ]);
  });

  it("bounds the values aliases expand to, at the outermost alias", async () => {
    // 7 levels of 10 aliases: 10^7 values from 500 bytes. The count is for the whole file: x1 to x3
    // expand to 14,630 values, each *a3 to 13,311, so the 8th alias of x4 (line 9) goes past 100,000.
    const lines = ["x0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i <= 7; i++) lines.push(`x${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(", ")}]`);
    const errors = await yamlErrors(lines.join("\n") + "\nsteps:\n  f: { type: fail, message: m }\n");
    expect(errors).toEqual([`p.yaml:9:45: error: aliases expand to more than ${INPUT_LIMITS.maxAliasNodes} values`]);
  });

  it("keeps aliases that stay within the bound", async () => {
    const body = STEP('&env { A: "1" }') + "  b: { type: processing, image: x, instance: ml.m5.large, code: scripts/prep.py, environment: *env }\n";
    expect(await yamlErrors(body)).toEqual([]);
  });
});

describe("nesting and size", () => {
  it("refuses 5,000 nested lists at the level past the bound, without a crash", async () => {
    // The document and the top map are two levels: the 200th bracket (column 4 + 199) is level 201.
    const deep = "[".repeat(5000) + "]".repeat(5000);
    expect(await yamlErrors(`x: ${deep}\nsteps:\n  f: { type: fail, message: m }\n`)).toEqual([`p.yaml:5:${4 + INPUT_LIMITS.maxDepth - 1}: error: the file nests deeper than ${INPUT_LIMITS.maxDepth} levels`]);
    expect(await yamlErrors(`x: ${"[".repeat(50000)}${"]".repeat(50000)}\nsteps:\n  f: { type: fail, message: m }\n`)).toHaveLength(1);
  });

  it("refuses deeply nested expressions at the parenthesis past the bound", async () => {
    const e = "(".repeat(5000) + "1" + ")".repeat(5000);
    const errors = await yamlErrors(`steps:\n  f: { type: fail, message: "\${{ ${e} }}" }\n`);
    // `${{ ` ends at column 33; the 101st parenthesis is the one past the bound.
    expect(errors).toEqual([`p.yaml:6:${34 + 100}: error: invalid expression: the expression nests deeper than 100 levels`]);
  });

  it("reads a file only up to the size bound: a device that never ends is refused in one line", () => {
    const r = readPipelineText("/dev/zero");
    expect(r).toEqual({ diagnostic: expect.objectContaining({ message: "the file is larger than 8 MB; a pipeline file is read only up to that size" }) });
    const dir = tempFiles({ "big.yaml": "#".repeat(2000) });
    expect(readPipelineText(join(dir, "big.yaml"), 1000)).toEqual({ diagnostic: expect.objectContaining({ code: "input-too-large" }) });
    expect(readPipelineText(join(dir, "big.yaml"), 2000)).toEqual({ text: "#".repeat(2000) });
  });
});
