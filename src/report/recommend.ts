/**
 * The ranking, in the order a reader weighs it: first whether the target runs
 * the pipeline with the same results (it compiles and loses no feature that
 * changes results); then the expected monthly cost, where differences under
 * the tolerance are ties; then risk (emulations, unsupported features that keep
 * results, added orderings, limit warnings, capacity waits). Costs are compared
 * as whole micro-dollars, never as floats.
 */
import type { RankedTarget, Report, TargetReport } from "./model.js";
import { formatMicros } from "./money.js";

/** Two monthly costs tie when they differ by less than this share of the cheaper one... */
export const TIE_SHARE = 0.05;
/** ...or by less than this many micro-dollars ($1). */
export const TIE_MICROS = 1_000_000;

export const TOLERANCE_TEXT = "monthly costs within 5% or $1 of each other are ties";

export function costsTie(a: number, b: number): boolean {
  const d = Math.abs(a - b);
  // d * 100 < 5 * min: integer arithmetic on micro-dollars.
  return d < TIE_MICROS || d * 100 < 5 * Math.min(Math.abs(a), Math.abs(b));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;

function featuresWith(t: TargetReport, pred: (c: NonNullable<TargetReport["features"][keyof TargetReport["features"]]>) => boolean): string[] {
  return Object.entries(t.features)
    .filter(([, c]) => c && pred(c))
    .map(([f]) => f);
}

/** Unsupported features that change results (not warn-only): such a target is excluded. */
function resultGaps(t: TargetReport): string[] {
  return featuresWith(t, (c) => c.support === "unsupported" && !c.warnOnly);
}

export interface RiskParts {
  emulated: string[];
  keptResults: string[];
  orderings: string[];
  /** What the added orderings cost in time, in words ("" when the backend does not say). */
  orderingTime: string;
  limitWarnings: string[];
  capacity: string[];
}

export function riskParts(t: TargetReport): RiskParts {
  return {
    emulated: featuresWith(t, (c) => c.support === "emulated"),
    keptResults: featuresWith(t, (c) => c.support === "unsupported" && !!c.warnOnly),
    orderings: t.addedOrderings,
    orderingTime: orderingTime(t),
    limitWarnings: t.limits.filter((l) => l.severity === "warning").map((l) => l.message),
    capacity: t.cost.capacity,
  };
}

function minutes(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** ", the longest path grows from 70 min to 80 min" or ", the longest path stays 70 min". */
function orderingTime(t: TargetReport): string {
  const c = t.criticalPath;
  if (!c || !t.addedOrderings.length) return "";
  if (c.lowered.seconds === c.ir.seconds) return `; the longest path through the estimates stays ${minutes(c.ir.seconds)}`;
  return `; the longest path through the estimates grows from ${minutes(c.ir.seconds)} to ${minutes(c.lowered.seconds)}`;
}

export function riskScore(r: RiskParts): number {
  return r.emulated.length + r.keptResults.length + r.orderings.length + r.limitWarnings.length + r.capacity.length;
}

function riskText(r: RiskParts): string {
  const parts: string[] = [];
  if (r.emulated.length) parts.push(`${plural(r.emulated.length, "emulated feature")} (${r.emulated.join(", ")})`);
  if (r.keptResults.length) parts.push(`${plural(r.keptResults.length, "unsupported feature")} that keep${r.keptResults.length === 1 ? "s" : ""} results (${r.keptResults.join(", ")}: the steps run without ${r.keptResults.length === 1 ? "it" : "them"})`);
  if (r.orderings.length) parts.push(`${plural(r.orderings.length, "added ordering")} (${r.orderings.join(", ")}): steps that could run together wait${r.orderingTime}`);
  if (r.limitWarnings.length) parts.push(`${plural(r.limitWarnings.length, "limit warning")}`);
  if (r.capacity.length) parts.push(r.capacity.join("; "));
  return parts.length ? `risk ${riskScore(r)}: ${parts.join("; ")}` : "risk 0: every used feature native, no added ordering, no limit warning";
}

export function recommend(targets: Record<string, TargetReport>, runs: number): Report["recommendation"] {
  const names = Object.keys(targets).sort(cmp);
  if (!names.length) return { ranking: [], summary: "no target is present in this build", tolerance: TOLERANCE_TEXT };
  const same = (n: string) => targets[n].compiles && resultGaps(targets[n]).length === 0;
  const cost = (n: string) => targets[n].cost.monthlyMicros;
  const risk = new Map(names.map((n) => [n, riskParts(targets[n])]));
  const score = (n: string) => riskScore(risk.get(n)!);

  // Cost bands within each results group: the cheapest opens a band, every target within the tolerance of it joins.
  const band = new Map<string, number>();
  for (const group of [names.filter(same), names.filter((n) => !same(n))]) {
    const byCost = [...group].sort((a, b) => cost(a) - cost(b) || cmp(a, b));
    let b = -1;
    let open: string | undefined;
    for (const n of byCost) {
      if (open === undefined || !costsTie(cost(open), cost(n))) {
        b++;
        open = n;
      }
      band.set(n, b);
    }
  }
  const order = [...names].sort(
    (a, b) => Number(same(b)) - Number(same(a)) || band.get(a)! - band.get(b)! || score(a) - score(b) || cost(a) - cost(b) || cmp(a, b),
  );
  const key = (n: string) => `${same(n)}/${band.get(n)}/${score(n)}`;
  const cheapestOf = (group: string[]) => [...group].sort((a, b) => cost(a) - cost(b) || cmp(a, b))[0];
  const cheapestSame = cheapestOf(names.filter(same));
  const cheapestExcluded = cheapestOf(names.filter((n) => !same(n)));
  const unknownNote = (t: TargetReport) => (t.cost.noEstimate.length ? `; compared on what is known (no estimate for: ${t.cost.noEstimate.join(", ")}; those jobs cost the same on every target)` : "");

  const ranking: RankedTarget[] = [];
  order.forEach((name, i) => {
    const t = targets[name];
    const prev = ranking[i - 1];
    const rank = prev && key(order[i - 1]) === key(name) ? prev.rank : i + 1;
    const reasons: string[] = [];
    // 1. results
    const gaps = resultGaps(t);
    if (gaps.length) reasons.push(`excluded: does not give the same results (${gaps.join(", ")} unsupported)`);
    else if (!t.compiles) reasons.push(`excluded: does not compile (${plural(t.limits.filter((l) => l.severity === "error").length, "limit or lowering error")})`);
    else reasons.push("same results: compiles, and no used feature that changes results is missing");
    // 2. cost
    const m = cost(name);
    const at = `${formatMicros(m)} a month at ${runs} run${runs === 1 ? "" : "s"}`;
    const ref = same(name) ? cheapestSame : cheapestExcluded;
    const mates = names.filter((n) => n !== name && same(n) === same(name) && band.get(n) === band.get(name)).sort((a, b) => cost(a) - cost(b) || cmp(a, b));
    const alsoTied = mates.length ? `, tied with ${mates.join(", ")} (within 5% or $1)` : "";
    if (ref === name) reasons.push(`cost: ${at}, the cheapest${same(name) ? "" : " of the excluded"}${alsoTied}${unknownNote(t)}`);
    else if (band.get(name) === band.get(ref)) reasons.push(`cost: ${at}, tied with ${ref} (${formatMicros(cost(ref))}: within 5% or $1)${unknownNote(t)}`);
    else reasons.push(`cost: ${at}, ${formatMicros(m - cost(ref))} a month more than ${ref} (${formatMicros(cost(ref))})${unknownNote(t)}`);
    // 3. risk
    reasons.push(riskText(risk.get(name)!));
    ranking.push({ target: name, rank, sameResults: same(name), costBand: band.get(name)!, risk: score(name), reasons });
  });
  const best = ranking[0];
  if (!best.sameResults) return { ranking, summary: "no target runs this pipeline with the same results: see why each is excluded", tolerance: TOLERANCE_TEXT };
  const tied = ranking.filter((r) => r.rank === best.rank).map((r) => r.target);
  const summary =
    tied.length > 1
      ? `tied: ${tied.join(", ")} (same results, cost within 5% or $1, same risk)`
      : `${targets[best.target].title} (${best.target}): ${best.reasons.join("; ")}`;
  return { ranking, summary, tolerance: TOLERANCE_TEXT };
}
