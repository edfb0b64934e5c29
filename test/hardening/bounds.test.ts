/** Names and sizes every target accepts: dunder step ids, durations no target runs. */
import { describe, expect, it } from "vitest";
import { yamlErrors } from "./support.js";

describe("reserved step ids", () => {
  it("refuses dunder ids at the id", async () => {
    expect(await yamlErrors("steps:\n  __file__: { type: fail, message: m }\n")).toEqual([
      "p.yaml:6:3: error: step id '__file__' is reserved: names that start and end with '__' belong to Python",
    ]);
    expect(await yamlErrors("steps:\n  __name__: { type: fail, message: m }\n  ok__: { type: fail, message: m }\n")).toEqual([
      "p.yaml:6:3: error: step id '__name__' is reserved: names that start and end with '__' belong to Python",
    ]);
  });
});

describe("durations", () => {
  it("refuses a timeout longer than any target runs, wherever durations are written", async () => {
    expect(await yamlErrors("steps:\n  f: { type: fail, message: m, timeout: 2000000000d }\n")).toEqual([
      'p.yaml:6:41: error: the duration "2000000000d" is longer than any target runs (at most 365d)',
    ]);
    expect(await yamlErrors("defaults: { timeout: 366d, retry: { attempts: 2, interval: 99999999999 } }\nsteps:\n  f: { type: fail, message: m }\n")).toEqual([
      'p.yaml:5:22: error: the duration "366d" is longer than any target runs (at most 365d)',
      'p.yaml:5:60: error: the duration 99999999999 is longer than any target runs (at most 365d)',
    ]);
  });

  it("accepts a year, and the same text where it is not a duration", async () => {
    expect(await yamlErrors("steps:\n  f: { type: fail, message: m, timeout: 365d }\n")).toEqual([]);
    expect(await yamlErrors('steps:\n  l: { type: lambda, function: f, payload: { timeout: "400d" } }\n')).toEqual([]);
  });
});

describe("the README states the reader's bounds as the code has them", () => {
  it("names each bound of src/frontends/limits.ts", async () => {
    const { readFileSync } = await import("node:fs");
    const { join, resolve } = await import("node:path");
    const { INPUT_LIMITS } = await import("../../src/frontends/limits.js");
    const { MAX_EXPR_NESTING } = await import("../../src/ir/expr/parser.js");
    const { MAX_DURATION_SECONDS } = await import("../../src/frontends/plain-data.js");
    const readme = readFileSync(join(resolve(__dirname, "..", ".."), "README.md"), "utf8").replace(/\s+/g, " ");
    const n = (x: number) => x.toLocaleString("en-US");
    expect(readme).toContain(`a file of at most ${INPUT_LIMITS.maxFileBytes / 1024 / 1024} MB`);
    expect(readme).toContain(`nesting at most ${INPUT_LIMITS.maxDepth} levels (${MAX_EXPR_NESTING} inside`);
    expect(readme).toContain(`aliases expanding to at most ${n(INPUT_LIMITS.maxAliasNodes)} values`);
    expect(readme).toContain(`expanding to at most ${n(INPUT_LIMITS.maxEvaluatedNodes)} values`);
    expect(readme).toContain(`durations are at most ${MAX_DURATION_SECONDS / 86400} days`);
  });
});
