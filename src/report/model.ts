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
  price: { service: string; item: string; region: string; source: string; date: string; confirmed: boolean };
  /** How the quantity was worked out, and any assumption. */
  note?: string;
}

export interface TargetCost {
  /** Sum of the `run` lines. */
  perRunUsd: number;
  /** perRunUsd × runs per month + the `month` lines (free tier already taken off). */
  monthlyUsd: number;
  lines: CostLine[];
  /** Free tier credited per month (a negative amount, shown apart from the lines). */
  freeTier: Array<{ component: string; quantity: number; unit: string; amountUsd: number; source: string; confirmed: boolean }>;
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
  rank: number;
  reasons: string[];
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
  recommendation: { ranking: RankedTarget[]; summary: string };
  notes: string[];
}
