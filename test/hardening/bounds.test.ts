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
