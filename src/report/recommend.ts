/**
 * Targets ranked: first those that can compile the pipeline, then fewer
 * unsupported, fewer emulated features, then lower monthly cost at this run
 * rate. Each target gets the two or three reasons that placed it.
 */
import type { RankedTarget, Report, TargetReport } from "./model.js";
import { formatUsd } from "./money.js";

export function recommend(targets: Record<string, TargetReport>, runs: number): Report["recommendation"] {
  const names = Object.keys(targets);
  if (!names.length) return { ranking: [], summary: "no target is present in this build" };
  const order = [...names].sort((a, b) => {
    const x = targets[a];
    const y = targets[b];
    if (x.compiles !== y.compiles) return x.compiles ? -1 : 1;
    if (x.counts.unsupported !== y.counts.unsupported) return x.counts.unsupported - y.counts.unsupported;
    if (x.counts.emulated !== y.counts.emulated) return x.counts.emulated - y.counts.emulated;
    if (x.cost.monthlyUsd !== y.cost.monthlyUsd) return x.cost.monthlyUsd - y.cost.monthlyUsd;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const cheapest = Math.min(...names.map((n) => targets[n].cost.monthlyUsd));
  const ranking: RankedTarget[] = order.map((name, i) => {
    const t = targets[name];
    const used = t.counts.native + t.counts.emulated + t.counts.unsupported;
    const reasons: string[] = [];
    if (t.counts.unsupported) {
      const which = Object.entries(t.features).filter(([, c]) => c!.support === "unsupported").map(([f]) => f);
      const dropped = `${t.counts.unsupported} used feature${t.counts.unsupported === 1 ? "" : "s"} unsupported (${which.join(", ")})`;
      // A warn-only gap (a cache, say) still compiles: the steps run without the feature.
      reasons.push(t.compiles ? `${dropped}: the steps run without ${t.counts.unsupported === 1 ? "it" : "them"}` : `${dropped}: cannot compile`);
    } else if (!t.compiles) {
      reasons.push(`does not compile: ${t.limits.filter((l) => l.severity === "error").length} limit or lowering error(s)`);
    }
    if (t.counts.emulated) {
      const which = Object.entries(t.features).filter(([, c]) => c!.support === "emulated").map(([f]) => f);
      reasons.push(`${t.counts.emulated} of ${used} used features emulated (${which.join(", ")})`);
    } else if (!t.counts.unsupported) reasons.push(`all ${used} used features native`);
    const m = t.cost.monthlyUsd;
    reasons.push(
      m === cheapest
        ? `lowest cost at ${runs} runs a month: ${formatUsd(m)} a month`
        : `${formatUsd(m - cheapest)} a month more than the cheapest at ${runs} runs a month (${formatUsd(m)})`,
    );
    return { target: name, rank: i + 1, reasons: reasons.slice(0, 3) };
  });
  const best = ranking[0];
  return { ranking, summary: `${targets[best.target].title} (${best.target}): ${best.reasons.join("; ")}` };
}
