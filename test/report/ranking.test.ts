/**
 * The ranking's rules as properties (fast-check): results first, then monthly
 * cost with a 5% or $1 tolerance, then risk; a strictly cheaper target with the
 * same results and no more risk never ranks lower; ties are stable.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FeatureCell, TargetReport } from "../../src/report/model.js";
import { costsTie, recommend } from "../../src/report/recommend.js";

interface Shape {
  compiles: boolean;
  gaps: number; // unsupported features that change results
  kept: number; // unsupported features that keep results (warn-only)
  emulated: number;
  orderings: number;
  warnings: number;
  monthlyMicros: number;
}

function target(s: Shape): TargetReport {
  const features: Record<string, FeatureCell> = {};
  for (let i = 0; i < s.gaps; i++) features[`kind:gap${i}`] = { support: "unsupported", note: "gap" };
  for (let i = 0; i < s.kept; i++) features[`cache${i}`] = { support: "unsupported", note: "kept", warnOnly: true };
  for (let i = 0; i < s.emulated; i++) features[`emu${i}`] = { support: "emulated", note: "emulated" };
  features.native = { support: "native", note: "native" };
  return {
    title: "T",
    features: features as TargetReport["features"],
    counts: { native: 1, emulated: s.emulated, unsupported: s.gaps + s.kept },
    compiles: s.compiles,
    cost: {
      perRunUsd: 0,
      monthlyUsd: s.monthlyMicros / 1e6,
      perRunMicros: 0,
      monthlyMicros: s.monthlyMicros,
      noEstimate: [],
      unpriced: [],
      lines: [],
      freeTier: [],
      capacity: [],
      orchestrationPerRunUsd: 0,
      orchestrationMonthlyFixedUsd: 0,
      orchestrationFreeUsd: 0,
      notes: [],
    },
    limits: Array.from({ length: s.warnings }, (_, i) => ({ severity: "warning" as const, message: `near limit ${i}` })),
    usage: {},
    addedOrderings: Array.from({ length: s.orderings }, (_, i) => `a${i} -> b${i}`),
  };
}

const shape: fc.Arbitrary<Shape> = fc.record({
  compiles: fc.boolean(),
  gaps: fc.nat({ max: 1 }),
  kept: fc.nat({ max: 1 }),
  emulated: fc.nat({ max: 3 }),
  orderings: fc.nat({ max: 2 }),
  warnings: fc.nat({ max: 1 }),
  // Up to $2,000 a month, with many values close together so ties happen.
  monthlyMicros: fc.oneof(fc.integer({ min: 0, max: 2_000_000_000 }), fc.integer({ min: 0, max: 3_000_000 })),
});
const targets = fc.uniqueArray(fc.tuple(fc.constantFrom("airflow", "sagemaker", "stepfunctions", "argo", "dagster", "prefect"), shape), {
  minLength: 1,
  maxLength: 6,
  selector: ([n]) => n,
});

const same = (s: Shape) => s.compiles && s.gaps === 0;
const risk = (s: Shape) => s.kept + s.emulated + s.orderings + s.warnings;

describe("ranking properties", () => {
  it("a strictly cheaper target with the same results and no more risk never ranks lower", () => {
    fc.assert(
      fc.property(targets, (ts) => {
        const r = recommend(Object.fromEntries(ts.map(([n, s]) => [n, target(s)])), 30).ranking;
        const at = (n: string) => r.findIndex((x) => x.target === n);
        for (const [a, sa] of ts) {
          for (const [b, sb] of ts) {
            if (same(sa) === same(sb) && sa.monthlyMicros < sb.monthlyMicros && risk(sa) <= risk(sb)) {
              expect(at(a)).toBeLessThan(at(b));
              expect(r[at(a)].rank).toBeLessThanOrEqual(r[at(b)].rank);
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it("a target with the same results ranks above every excluded one, whatever they cost", () => {
    fc.assert(
      fc.property(targets, (ts) => {
        const r = recommend(Object.fromEntries(ts.map(([n, s]) => [n, target(s)])), 30).ranking;
        const firstExcluded = r.findIndex((x) => !x.sameResults);
        if (firstExcluded >= 0) expect(r.slice(firstExcluded).every((x) => !x.sameResults)).toBe(true);
        for (const x of r) expect(x.sameResults).toBe(same(ts.find(([n]) => n === x.target)![1]));
      }),
    );
  });

  it("ties are stable: the order the targets come in changes nothing, and tied targets share a rank", () => {
    fc.assert(
      fc.property(targets, fc.infiniteStream(fc.nat()), (ts, seeds) => {
        const once = recommend(Object.fromEntries(ts.map(([n, s]) => [n, target(s)])), 30);
        const shuffled = [...ts].map((t) => [seeds.next().value, t] as const).sort((a, b) => a[0] - b[0]).map(([, t]) => t);
        expect(recommend(Object.fromEntries(shuffled.map(([n, s]) => [n, target(s)])), 30)).toEqual(once);
        const r = once.ranking;
        for (let i = 1; i < r.length; i++) {
          const tied = r[i].sameResults === r[i - 1].sameResults && r[i].costBand === r[i - 1].costBand && r[i].risk === r[i - 1].risk;
          expect(r[i].rank === r[i - 1].rank).toBe(tied);
          if (!tied) expect(r[i].rank).toBe(i + 1);
        }
      }),
    );
  });

  it("every rank gives its reasons in order: results, cost, risk; never a negative or zero difference", () => {
    fc.assert(
      fc.property(targets, (ts) => {
        for (const x of recommend(Object.fromEntries(ts.map(([n, s]) => [n, target(s)])), 30).ranking) {
          expect(x.reasons).toHaveLength(3);
          expect(x.reasons[0]).toMatch(/^(same results|excluded): /);
          expect(x.reasons[1]).toMatch(/^cost: /);
          expect(x.reasons[2]).toMatch(/^risk \d+: /);
          expect(x.reasons[1]).not.toMatch(/-\$|\$0\.00 a month more/);
        }
      }),
    );
  });

  it("costs in the same band are within the tolerance of the band's cheapest; the next band is not", () => {
    fc.assert(
      fc.property(targets, (ts) => {
        const r = recommend(Object.fromEntries(ts.map(([n, s]) => [n, target(s)])), 30).ranking;
        const cost = (n: string) => ts.find(([m]) => m === n)![1].monthlyMicros;
        for (const group of [r.filter((x) => x.sameResults), r.filter((x) => !x.sameResults)]) {
          const bands = new Map<number, number[]>();
          for (const x of group) bands.set(x.costBand, [...(bands.get(x.costBand) ?? []), cost(x.target)]);
          const cheapest = [...bands.entries()].sort((a, b) => a[0] - b[0]).map(([, cs]) => Math.min(...cs));
          for (const [b, cs] of bands) for (const c of cs) expect(costsTie(cheapest[b], c)).toBe(true);
          for (let b = 1; b < cheapest.length; b++) expect(costsTie(cheapest[b - 1], cheapest[b])).toBe(false);
        }
      }),
    );
  });
});

describe("the tolerance", () => {
  it.each([
    // [a, b, tie]: micro-dollars
    [100_000_000, 104_999_999, true], // $100 and $104.999999: under 5%
    [100_000_000, 105_000_000, false], // exactly 5% of the cheaper: not a tie
    [1_000_000, 1_999_999, true], // under $1 apart
    [1_000_000, 2_000_000, false], // $1 apart, and 100%
    [6_320_000, 6_330_000, true], // abalone's $6.32 and $6.33
    [0, 999_999, true],
    [0, 1_000_000, false],
  ])("costsTie(%i, %i) = %s, both ways", (a, b, tie) => {
    expect(costsTie(a, b)).toBe(tie);
    expect(costsTie(b, a)).toBe(tie);
  });

  it("prints a tie as a tie and a difference from the cheapest, computed once in micro-dollars", () => {
    const base: Shape = { compiles: true, gaps: 0, kept: 0, emulated: 0, orderings: 0, warnings: 0, monthlyMicros: 0 };
    const r = recommend(
      {
        a: target({ ...base, monthlyMicros: 6_320_123 }),
        b: target({ ...base, monthlyMicros: 6_330_456, emulated: 1 }),
        c: target({ ...base, monthlyMicros: 364_030_000 }),
      },
      30,
    );
    expect(r.ranking.map((x) => [x.target, x.rank, x.reasons[1]])).toEqual([
      ["a", 1, "cost: $6.32 a month at 30 runs, the cheapest, tied with b (within 5% or $1)"],
      ["b", 2, "cost: $6.33 a month at 30 runs, tied with a ($6.32: within 5% or $1)"],
      ["c", 3, "cost: $364.03 a month at 30 runs, $357.71 a month more than a ($6.32)"],
    ]);
    expect(r.ranking[1].reasons[2]).toBe("risk 1: 1 emulated feature (emu0)");
  });
});
