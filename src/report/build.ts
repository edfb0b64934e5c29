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
import { BILLING } from "./billing.js";
import { REPORT_FORMAT, type GraphNode, type LimitFinding, type Report, type SourceRef, type TargetReport } from "./model.js";
import { weighRows } from "./weigh.js";
import { formatQuantity, formatUsd, toMicros } from "./money.js";
import { ORCHESTRATORS } from "./orchestrators.js";
import type { PriceTable } from "./prices/table.js";
import { recommend } from "./recommend.js";
import { runsPerMonth } from "./runs.js";

export interface BuildOptions {
  runsPerMonth?: number;
  region?: string;
  mwaaClass?: string;
  /** Price MWAA as one more DAG on an environment the team already runs. */
  mwaaShared?: boolean;
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
interface Lowered {
  files?: OutputFile[];
  usage?: UsageFacts;
  findings: Diagnostic[];
  compiles: boolean;
  addedOrderings: string[];
  criticalPath?: TargetReport["criticalPath"];
}

/** The compile summary's critical path, when it has that shape. */
function criticalPathOf(x: unknown): TargetReport["criticalPath"] {
  const c = x as TargetReport["criticalPath"];
  const ok = (y: unknown) => typeof y === "object" && y !== null && typeof (y as { seconds: unknown }).seconds === "number" && typeof (y as { steps: unknown }).steps === "number";
  return c && ok(c.ir) && ok(c.lowered) ? { ir: { ...c.ir }, lowered: { ...c.lowered } } : undefined;
}

function lowerFor(b: Backend, p: Pipeline): Lowered {
  const refused = refusals(b, p);
  if (hasErrors(refused)) return { findings: [], compiles: false, addedOrderings: [] };
  try {
    const lowered = b.lower(p, { baseDir: dirname(resolve(p.source.file)), options: {} });
    const added = lowered.summary?.addedOrderings;
    const addedOrderings = Array.isArray(added) ? added.map(String) : [];
    const criticalPath = criticalPathOf(lowered.summary?.criticalPath);
    if (hasErrors(lowered.diagnostics)) return { findings: lowered.diagnostics, compiles: false, addedOrderings, criticalPath };
    const limits = b.checkLimits(p, lowered.files);
    const usage = b.usage?.(p, lowered.files);
    return { files: lowered.files, usage, findings: [...lowered.diagnostics, ...limits], compiles: !hasErrors(limits), addedOrderings, criticalPath };
  } catch (e) {
    return { findings: [{ severity: "error", message: `lowering failed: ${(e as Error).message}`, code: "report-lower-failed" }], compiles: false, addedOrderings: [] };
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
  const widestHours = widestLayerHours(p, graph.nodes);
  const tasks = graph.nodes.reduce((a, n) => a + n.copies, 0);
  const kinds = kindCounts(p);

  const targets: Record<string, TargetReport> = {};
  for (const b of [...backends].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))) {
    const { cells, counts } = featureCells(b, features);
    const low = lowerFor(b, p);
    const cost = targetCost(
      jobs,
      { target: b.name, usage: low.usage, runsPerMonth: runs.value, region, mwaaClass: o.mwaaClass, mwaaShared: o.mwaaShared, widest, widestHours, tasks, kindCounts: kinds },
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
      addedOrderings: low.addedOrderings,
      ...(low.criticalPath ? { criticalPath: low.criticalPath } : {}),
      ...(b.structure ? { structure: b.structure(p) } : {}),
    };
  }
  const present = new Set(backends.map((b) => b.name));
  const missingTargets = BUILTIN_TARGETS.filter((t) => !present.has(t));
  const notes: string[] = [];
  if (missingTargets.length) notes.push(`not in this build, so not compared: ${missingTargets.join(", ")}`);
  if (region !== p.region) notes.push(`priced in ${region} (--region); the pipeline says ${p.region}`);
  const unconfirmed = Object.values(targets).some((t) => t.cost.lines.some((l) => !l.price.confirmed));
  if (unconfirmed) notes.push("figures marked * are estimates, not confirmed from an AWS source; see the sources");
  if (Object.values(targets).some((t) => t.cost.freeTier.length)) notes.push("free tiers are account-wide: they are credited here in full, as if this pipeline were the account's only user");
  const sources = citeSources(targets, prices);

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
    weigh: weighRows(backends),
    sources,
    notes,
  };
  return { report, diagnostics };
}

/** The longest estimate in the widest layer, in hours (how long extra MWAA workers run); null when a job there has none. */
function widestLayerHours(p: Pipeline, nodes: GraphNode[]): number | null {
  const width = new Map<number, number>();
  for (const n of nodes) width.set(n.layer, (width.get(n.layer) ?? 0) + n.copies);
  const top = Math.max(0, ...width.values());
  const layer = [...width.entries()].filter(([, w]) => w === top).map(([l]) => l).sort((a, b) => a - b)[0];
  let h: number | null = null;
  for (const n of nodes.filter((x) => x.layer === layer)) {
    const s = p.steps.find((x) => x.id === n.id)!;
    if (BILLING[s.kind]?.period !== "run") continue;
    if (s.estimate === undefined) return null;
    h = Math.max(h ?? 0, s.estimate / 3600);
  }
  // A layer of Lambda calls, approvals and the like: how long they hold a worker is not known.
  return h;
}

/** Numbers the price sources in order of first use (lines, then free tiers) and fills each line's source URL. */
function citeSources(targets: Record<string, TargetReport>, prices: PriceTable): SourceRef[] {
  const refs: SourceRef[] = [];
  const cite = (key: string) => {
    let r = refs.find((x) => x.key === key);
    if (!r) {
      const s = prices.data.sources[key];
      r = { n: refs.length + 1, key, url: s?.url ?? "", note: s?.note ?? "not in the price table's sources" };
      refs.push(r);
    }
    return r;
  };
  for (const t of Object.values(targets)) {
    for (const l of t.cost.lines) l.price.url = cite(l.price.source).url;
    for (const f of t.cost.freeTier) cite(f.source);
  }
  return refs;
}

/** Runs a month above which an always-on MWAA environment costs less than Step Functions transitions. */
function breakEven(targets: Record<string, TargetReport>): Pick<Report, "breakEven"> {
  const sfTarget = Object.entries(targets).find(([n]) => ORCHESTRATORS[n]?.model === "transitions");
  const mwTarget = Object.entries(targets).find(([n]) => ORCHESTRATORS[n]?.model === "environment");
  if (!sfTarget || !mwTarget) return {};
  const sf = sfTarget[1].cost;
  const mw = mwTarget[1].cost;
  // Integer micro-dollars, so the division is exact and the ceiling is not moved by float noise.
  const perRun = toMicros(sf.orchestrationPerRunUsd);
  const fixedMicros = toMicros(mw.orchestrationMonthlyFixedUsd);
  if (perRun <= 0 || fixedMicros <= 0) return {};
  const total = fixedMicros + toMicros(sf.orchestrationFreeUsd);
  const n = Math.floor(total / perRun) + (total % perRun === 0 ? 0 : 1);
  return {
    breakEven: {
      runsPerMonth: n,
      text:
        `above ${formatQuantity(n)} runs a month, the always-on MWAA environment and its network (${formatUsd(mw.orchestrationMonthlyFixedUsd)} a month) ` +
        `cost less per run than Step Functions transitions (${formatUsd(sf.orchestrationPerRunUsd)} a run, after a free tier worth ${formatUsd(sf.orchestrationFreeUsd)} a month)`,
    },
  };
}
