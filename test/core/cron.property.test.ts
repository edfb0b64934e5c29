import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRequire } from "node:module";
import { parseCron, plainCronValid } from "../../src/ir/cron.js";

const { CronExpressionParser } = createRequire(import.meta.url)("cron-parser") as typeof import("cron-parser");
const parserAccepts = (text: string) => {
  try {
    CronExpressionParser.parse(text, { tz: "UTC", currentDate: new Date(Date.UTC(2026, 0, 1)) });
    return true;
  } catch {
    return false;
  }
};

// Per field, numbers just inside and just outside its bounds, so out-of-range values and reversed ranges come up often.
const field = (min: number, max: number) => {
  const num = fc.oneof(fc.integer({ min: Math.max(0, min - 1), max: max + 1 }), fc.constantFrom(min, max, 28, 29, 30, 31, 99));
  const item = fc.oneof(
    { arbitrary: fc.constant("*"), weight: 3 },
    { arbitrary: num.map(String), weight: 4 },
    { arbitrary: fc.tuple(num, num).map(([a, b]) => `${a}-${b}`), weight: 2 },
    { arbitrary: fc.integer({ min: 0, max: 70 }).map((s) => `*/${s}`), weight: 1 },
    { arbitrary: fc.tuple(num, num, fc.integer({ min: 0, max: 70 })).map(([a, b, s]) => `${a}-${b}/${s}`), weight: 1 },
    { arbitrary: fc.constantFrom("00", "05", "L", "MON", "?", "1#2", "5/15"), weight: 1 },
  );
  return fc.oneof({ arbitrary: item, weight: 4 }, { arbitrary: fc.array(item, { minLength: 2, maxLength: 3 }).map((xs) => xs.join(",")), weight: 1 });
};
const cron = fc.tuple(field(0, 59), field(0, 23), field(1, 31), field(1, 12), field(0, 7));

describe("the plain cron check", () => {
  it("vouches only for expressions cron-parser accepts", () => {
    let vouched = 0;
    fc.assert(
      fc.property(cron, (parts) => {
        if (!plainCronValid(parts)) return;
        vouched++;
        expect(parserAccepts(parts.join(" ")), parts.join(" ")).toBe(true);
      }),
      { numRuns: 20_000, seed: 7 },
    );
    // The run must reach the accepting side often enough to mean something.
    expect(vouched).toBeGreaterThan(300);
  });

  it("vouches for the everyday forms, so they need no parser", () => {
    for (const c of ["0 6 * * 1", "*/15 * * * *", "0 0 1 * *", "30 2 * * 1-5", "0 0,12 * * *", "0 3 15 6 *", "0 0 * 2 *", "0 0 31 * *"]) {
      expect(plainCronValid(c.split(" ")), c).toBe(true);
    }
  });

  it("leaves the rest to cron-parser, with its message", () => {
    expect(parseCron("0 0 31 2 *")).toEqual({ error: "Invalid explicit day of month definition" });
    expect(parseCron("1,1 * * * *")).toMatchObject({ error: expect.stringContaining("duplicate") });
    expect(parseCron("0 24 * * *")).toMatchObject({ error: expect.stringContaining("0-23") });
    expect(parseCron("0 0 * * MON")).toMatchObject({ dayOfWeek: "MON" });
  });
});
