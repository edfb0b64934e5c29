/** Assembles the report data from the pipeline, the present backends and a price table. */
import { dirname, resolve } from "node:path";
import { BUILTIN_TARGETS } from "../backend/registry.js";
import { refusals } from "../backend/refusals.js";
import type { Backend, OutputFile, UsageFacts } from "../backend/types.js";
import { hasErrors, type Diagnostic } from "../diagnostics.js";
import type { Pipeline } from "../ir/types.js";
import { jobCosts, kindCounts, targetCost } from "./cost.js";
import { featureCells, featureUses, usedFeatures } from "./features.js";
import { layeredGraph, widestLayer } from "./layout.js";
import { REPORT_FORMAT, type LimitFinding, type Report, type TargetReport } from "./model.js";
import { formatQuantity, formatUsd } from "./money.js";
import { ORCHESTRATORS } from "./orchestrators.js";
import type { PriceTable } from "./prices/table.js";
import { recommend } from "./recommend.js";
import { runsPerMonth } from "./runs.js";

export interface BuildOptions {
  runsPerMonth?: number;
  region?: string;
  mwaaClass?: string;
}

function finding(d: Diagnostic): LimitFinding {
  return {
    severity: d.severity,
    message: d.message,
    ...(d.code ? { code: d.code } : {}),
    ...(d.pos ? { at: `${d.pos.file}:${d.pos.line}:${d.pos.col}` } : {}),
  };
}

/** Lower, check limits and count usage; a backend that throws is reported, not fatal. */
function lowerFor(b: Backend, p: Pipeline): { files?: OutputFile[]; usage?: UsageFacts; findings: Diagnostic[]; compiles: boolean } {
  const refused = refusals(b, p);
  if (hasErrors(refused)) return { findings: [], compiles: false };
  try {
    const lowered = b.lower(p, { baseDir: dirname(resolve(p.source.file)), options: {} });
    if (hasErrors(lowered.diagnostics)) return { findings: lowered.diagnostics, compiles: false };
    const limits = b.checkLimits(p, lowered.files);
    const usage = b.usage?.(p, lowered.files);
    return { files: lowered.files, usage, findings: [...lowered.diagnostics, ...limits], compiles: !hasErrors(limits) };
  } catch (e) {
    return { findings: [{ severity: "error", message: `lowering failed: ${(e as Error).message}`, code: "report-lower-failed" }], compiles: false };
  }
}

export function buildReport(p: Pipeline, backends: Backend[], prices: PriceTable, o: BuildOptions): { report: Report; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const region = o.region ?? p.region;
  const runs = runsPerMonth(p, o.runsPerMonth);
  const graph = layeredGraph(p);
  const uses = featureUses(p, graph.nodes);
  const features = usedFeatures(uses);
  const jobs = jobCosts(p, prices, region);
  diagnostics.push(...jobs.diagnostics);
  const widest = widestLayer(graph.nodes);
  const tasks = graph.nodes.reduce((a, n) => a + n.copies, 0);
  const kinds = kindCounts(p);

  const targets: Record<string, TargetReport> = {};
  for (const b of [...backends].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))) {
    const { cells, counts } = featureCells(b, features);
    const low = lowerFor(b, p);
    const cost = targetCost(
      jobs,
      { target: b.name, usage: low.usage, runsPerMonth: runs.value, region, mwaaClass: o.mwaaClass, widest, tasks, kindCounts: kinds },
      prices,
      diagnostics,
    );
    targets[b.name] = {
      title: b.title,
      features: cells,
      counts,
      // Refusals were applied when lowering: a warn-only gap compiles.
      compiles: low.compiles,
      cost,
      limits: low.findings.map(finding),
      usage: { ...(low.usage ?? {}) },
      ...(b.structure ? { structure: b.structure(p) } : {}),
    };
  }
  const present = new Set(backends.map((b) => b.name));
  const missingTargets = BUILTIN_TARGETS.filter((t) => !present.has(t));
  const notes: string[] = [];
  if (missingTargets.length) notes.push(`not in this build, so not compared: ${missingTargets.join(", ")}`);
  if (region !== p.region) notes.push(`priced in ${region} (--region); the pipeline says ${p.region}`);
  const unconfirmed = Object.values(targets).some((t) => t.cost.lines.some((l) => !l.price.confirmed));
  if (unconfirmed) notes.push("figures marked * are not confirmed from an AWS source; see the price table's sources");

  const report: Report = {
    format: REPORT_FORMAT,
    pipeline: { name: p.name, file: p.source.file, region, steps: p.steps.length },
    prices: { version: prices.version, origin: prices.origin, currency: "USD", retrieved: prices.data.retrieved },
    runsPerMonth: runs,
    features,
    graph,
    targets,
    missingTargets,
    ...breakEven(targets),
    recommendation: recommend(targets, runs.value),
    notes,
  };
  return { report, diagnostics };
}

/** Runs a month above which an always-on MWAA environment costs less than Step Functions transitions. */
function breakEven(targets: Record<string, TargetReport>): Pick<Report, "breakEven"> {
  const perRun = Object.entries(targets).find(([n]) => ORCHESTRATORS[n]?.model === "transitions");
  const fixed = Object.entries(targets).find(([n]) => ORCHESTRATORS[n]?.model === "environment");
  if (!perRun || !fixed) return {};
  const sf = perRun[1].cost;
  const mw = fixed[1].cost;
  if (sf.orchestrationPerRunUsd <= 0 || mw.orchestrationMonthlyFixedUsd <= 0) return {};
  const n = Math.ceil((mw.orchestrationMonthlyFixedUsd + sf.orchestrationFreeUsd) / sf.orchestrationPerRunUsd);
  return {
    breakEven: {
      runsPerMonth: n,
      text:
        `above ${formatQuantity(n)} runs a month, the always-on MWAA environment (${formatUsd(mw.orchestrationMonthlyFixedUsd)} a month) ` +
        `costs less per run than Step Functions transitions (${formatUsd(sf.orchestrationPerRunUsd)} a run, after a free tier worth ${formatUsd(sf.orchestrationFreeUsd)} a month)`,
    },
  };
}
