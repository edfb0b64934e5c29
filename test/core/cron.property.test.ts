import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createRequire } from "node:module";
import { cronPeriod, parseCron, plainCronValid } from "../../src/ir/cron.js";

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

/** The gaps, in seconds, between the firings cron-parser gives over 15 days from 2026-01-01 (UTC). */
function gaps(text: string): number[] {
  const it = CronExpressionParser.parse(text, { tz: "UTC", currentDate: new Date(Date.UTC(2026, 0, 1) - 1) });
  const end = Date.UTC(2026, 0, 16);
  const times: number[] = [];
  for (let t = it.next().getTime(); t < end; t = it.next().getTime()) times.push(t);
  return times.slice(1).map((t, i) => (t - times[i]) / 1000);
}

describe("the fixed period of a cron", () => {
  // Every day or some days of the week, at minutes and hours written in the plain forms; at most a few
  // hundred firings a day, so cron-parser can list two weeks of them quickly.
  const minute = fc.oneof(fc.integer({ min: 0, max: 59 }).map(String), fc.constantFrom("*/5", "*/7", "*/10", "*/15", "*/20", "*/30", "0,30", "0,20,40", "5-50/15", "10/20"));
  const hour = fc.oneof(fc.integer({ min: 0, max: 23 }).map(String), fc.constantFrom("*", "*/2", "*/3", "*/5", "*/6", "*/8", "*/12", "0,12", "1,13", "0,8,16", "6-18/6", "9-17"));
  const dow = fc.oneof({ arbitrary: fc.constant("*"), weight: 3 }, { arbitrary: fc.constantFrom("0", "1", "7", "1-5", "0-6", "0,6", "0-7"), weight: 2 });

  it("is the gap between every two firings when they are all equal, and none when they are not", () => {
    fc.assert(
      fc.property(minute, hour, dow, (m, h, d) => {
        const text = `${m} ${h} * * ${d}`;
        const g = gaps(text);
        const even = g.every((x) => x === g[0]);
        expect(cronPeriod(text), `${text}: ${[...new Set(g)].join(", ")}`).toBe(even ? g[0] : undefined);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it("is none where days of the month or months pick the days", () => {
    for (const c of ["0 0 1 * *", "0 0 * 1-6 *", "0 6 1-31 * *", "0 0 * 2 *"]) expect(cronPeriod(c), c).toBeUndefined();
    expect(cronPeriod("0 0 * 1-12 *")).toBe(86_400);
    expect(cronPeriod("30 2 * * *")).toBe(86_400);
    expect(cronPeriod("0 6 * * 1")).toBe(604_800);
  });
});
