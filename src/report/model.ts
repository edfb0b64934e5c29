/**
 * The report as data: what every format prints, and (as is) the JSON format.
 * The JSON shape is stable: fields are only ever added. `REPORT_FORMAT` goes up
 * if one is removed or changes meaning.
 */
import type { StructureNode, Support } from "../backend/types.js";
import type { FeatureId } from "../ir/features.js";

export const REPORT_FORMAT = 1;

/** One priced component, as infracost shows them: name, unit, quantity, unit price, price source. */
export interface CostLine {
  /** e.g. `training ml.m5.xlarge`, `state transitions`. */
  component: string;
  /** The step it belongs to, if any. */
  step?: string;
  /** `run`: the quantity and amount are per execution; `month`: per month regardless of runs. */
  period: "run" | "month";
  /** Quantity in `unit` per period; null when it is not known (then only the unit price is shown). */
  quantity: number | null;
  unit: string;
  /** USD for one `unit` (already divided by the table's `per`). */
  unitPriceUsd: number;
  /** USD per period (quantity × unit price), or null when the quantity is unknown. */
  amountUsd: number | null;
  /** The price record behind the unit price: `service/item/region`, its source key and date. */
  price: { service: string; item: string; region: string; source: string; url: string; date: string; confirmed: boolean };
  /** How the quantity was worked out, and any assumption. */
  note?: string;
}

export interface TargetCost {
  /** Sum of the known `run` lines (see `noEstimate` and `unpriced` for what is left out). */
  perRunUsd: number;
  /** perRunUsd × runs per month + the `month` lines (free tier already taken off). */
  monthlyUsd: number;
  /** The same two totals in whole micro-dollars: each line rounded once, then added as integers. */
  perRunMicros: number;
  monthlyMicros: number;
  /** Steps on the expected path with no `estimate`: their job cost is unknown and not in the totals. */
  noEstimate: string[];
  /** Other components whose quantity is not known before a run (not in the totals). */
  unpriced: string[];
  lines: CostLine[];
  /** Free tier credited per month (a negative amount, shown apart from the lines). */
  freeTier: Array<{ component: string; quantity: number; unit: string; amountUsd: number; source: string; confirmed: boolean; note: string }>;
  /** Where the target's capacity makes a run wait (MWAA slots), for the risk. */
  capacity: string[];
  /** Orchestration part of perRunUsd and of the fixed monthly cost (for the break-even). */
  orchestrationPerRunUsd: number;
  orchestrationMonthlyFixedUsd: number;
  /** The orchestration free tier's full monthly value (for the break-even). */
  orchestrationFreeUsd: number;
  notes: string[];
}

export interface FeatureCell {
  support: Support;
  note: string;
  /** Unsupported, but only a warning: the pipeline runs correctly without it. */
  warnOnly?: boolean;
}

export interface LimitFinding {
  severity: "error" | "warning";
  message: string;
  code?: string;
  /** `file:line:col`, when the finding has a place. */
  at?: string;
}

export interface TargetReport {
  title: string;
  /** How the target handles each feature the pipeline uses (keys in report order). */
  features: Partial<Record<FeatureId, FeatureCell>>;
  counts: Record<Support, number>;
  /** Whether `switchyard compile` would produce files (no refusal, no lowering or limit error). */
  compiles: boolean;
  cost: TargetCost;
  limits: LimitFinding[];
  /** Counts from the backend's `usage()`, as given. */
  usage: Record<string, unknown>;
  /** Orderings the target adds that the pipeline does not have (Step Functions on a non-series-parallel graph). */
  addedOrderings: string[];
  /** The longest path through the estimates, as the pipeline has it and as the target runs it (when the backend says). */
  criticalPath?: { ir: { seconds: number; steps: number }; lowered: { seconds: number; steps: number } };
  /** How the target arranges the steps (the backend's `structure()`), when it says. */
  structure?: StructureNode;
}

export interface GraphNode {
  id: string;
  kind: string;
  layer: number;
  /** Position within the layer, from 0. */
  slot: number;
  /** Foreach copies (1 without foreach). */
  copies: number;
  /** Branch it belongs to, as `condition/then|else`. */
  branch?: string;
}

export interface RankedTarget {
  target: string;
  /** Targets tied on results, cost band and risk share a rank. */
  rank: number;
  /** Whether it runs the pipeline with the same results (compiles, no result-changing gap). */
  sameResults: boolean;
  /** The cost band: targets within the tolerance of the band's cheapest are tied on cost. */
  costBand: number;
  /** Risk points: emulated features, unsupported features that keep results, added orderings, limits near their values, capacity waits. */
  risk: number;
  /** In order: results, cost, risk. */
  reasons: string[];
}

/** One price source cited by the report, numbered in order of first use. */
export interface SourceRef {
  n: number;
  key: string;
  url: string;
  note: string;
}

export interface Report {
  format: number;
  pipeline: { name: string; file: string; region: string; steps: number };
  prices: { version: string; origin: string; currency: "USD"; retrieved: string };
  runsPerMonth: { value: number; basis: "flag" | "schedule" | "assumed"; note: string };
  /** Every feature the pipeline uses, where. */
  features: Array<{ id: FeatureId; title: string; uses: string[] }>;
  graph: { nodes: GraphNode[]; edges: Array<[string, string]> };
  targets: Record<string, TargetReport>;
  /** Built-in targets not present in this build. */
  missingTargets: string[];
  breakEven?: { runsPerMonth: number; text: string };
  recommendation: { ranking: RankedTarget[]; summary: string; tolerance: string };
  /** Besides cost: lineage, experiments, registry, UI, run duration, quotas, per target. */
  weigh: Array<{ aspect: string; cells: Record<string, string> }>;
  /** Every price source a figure in the report comes from. */
  sources: SourceRef[];
  notes: string[];
}
