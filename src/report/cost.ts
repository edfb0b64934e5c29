/**
 * Cost lines: the SageMaker jobs a run starts (the same whichever target
 * orchestrates them), then each target's orchestration and small services.
 * Every figure comes from the price table; unknown quantities stay unknown.
 */
import type { UsageFacts } from "../backend/types.js";
import { error, warning, type Diagnostic } from "../diagnostics.js";
import { effectiveInstance } from "../ir/defaults.js";
import { expandForeach } from "../ir/foreach.js";
import { branchMembership } from "../ir/graph.js";
import { literalOf } from "../ir/values.js";
import type { Pipeline, Step } from "../ir/types.js";
import { BILLING, HOURS_PER_MONTH } from "./billing.js";
import type { CostLine, TargetCost } from "./model.js";
import { formatQuantity } from "./money.js";
import { MWAA_INCLUDED, pickMwaaClass } from "./mwaa-classes.js";
import { ORCHESTRATORS, SMALL_SERVICES } from "./orchestrators.js";
import { PriceLookupError, type PriceRecord, type PriceTable } from "./prices/table.js";
import { resolveValue } from "./resolve.js";

export interface JobCosts {
  lines: CostLine[];
  notes: string[];
  diagnostics: Diagnostic[];
}

function lineFrom(r: PriceRecord, l: Omit<CostLine, "unitPriceUsd" | "amountUsd" | "price">): CostLine {
  const unitPriceUsd = r.usd / r.per;
  return {
    ...l,
    unitPriceUsd,
    amountUsd: l.quantity === null ? null : l.quantity * unitPriceUsd,
    price: { service: r.service, item: r.item, region: r.region, source: r.source, date: r.date, confirmed: r.confirmed },
  };
}

/** Steps a run does not reach along the expected path: inside an `else` branch (or nested in one). */
export function offPathSteps(p: Pipeline): Set<string> {
  const m = branchMembership(p);
  const off = new Set<string>();
  const isOff = (id: string, seen: Set<string>): boolean => {
    const b = m.get(id);
    if (!b || seen.has(id)) return false;
    seen.add(id);
    return b.branch === "else" || isOff(b.condition, seen);
  };
  for (const s of p.steps) if (isOff(s.id, new Set())) off.add(s.id);
  return off;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? "" : "s"}`;

/** Lines for one step (one foreach copy); pushes diagnostics and notes. */
function stepLines(p: Pipeline, s: Step, copies: number, prices: PriceTable, region: string, out: JobCosts): CostLine[] {
  const bill = BILLING[s.kind];
  if (!bill) return [];
  const inst = effectiveInstance(p, s);
  if (!inst) {
    out.diagnostics.push(warning(s.pos, `step '${s.id}': no instance type to price (none on the step, none in defaults)`, { code: "report-no-instance" }));
    return [];
  }
  const notes: string[] = [];
  const type = resolveValue(p, inst.type, "string");
  if (!type.ok) {
    out.diagnostics.push(warning(inst.type.pos, `step '${s.id}': cannot price the instance type: ${type.why}`, { code: "report-instance-unknown" }));
    return [];
  }
  if (type.note) notes.push(type.note);
  let count = 1;
  if (inst.count) {
    const c = resolveValue(p, inst.count, "number");
    if (c.ok) {
      count = c.value as number;
      if (c.note) notes.push(c.note);
    } else notes.push(`instance count ${c.why}: 1 assumed`);
  }
  let rec: PriceRecord;
  try {
    rec = prices.require("sagemaker", `${bill.use}:${type.value}`, region, `instance type '${type.value}' (${bill.use})`);
  } catch (e) {
    if (!(e instanceof PriceLookupError)) throw e;
    out.diagnostics.push(error(inst.type.pos, `step '${s.id}': ${e.message}`, { code: "report-no-price", hint: "give a table that has it with --prices, or pick a listed instance type" }));
    return [];
  }
  const component = `${bill.use} ${type.value}`;
  const each = copies > 1 ? ` × ${copies} foreach copies` : "";
  if (bill.period === "month") {
    notes.unshift(`${plural(count, "instance")} × ${HOURS_PER_MONTH} h a month while the endpoint is up${each}`);
    return [lineFrom(rec, { component, step: s.id, period: "month", quantity: count * HOURS_PER_MONTH * copies, unit: "instance-hour", note: notes.join("; ") })];
  }
  const trials = s.kind === "tuning" ? s.max_jobs : 1;
  if (s.estimate === undefined) {
    notes.unshift("no estimate: priced at $0");
    return [lineFrom(rec, { component, step: s.id, period: "run", quantity: 0, unit: "instance-hour", note: notes.join("; ") })];
  }
  const hours = s.estimate / 3600;
  const trialText = trials > 1 ? ` × ${trials} tuning trials (max_jobs)` : "";
  notes.unshift(`${formatHours(s.estimate)} estimate × ${plural(count, "instance")}${trialText}${each}`);
  return [lineFrom(rec, { component, step: s.id, period: "run", quantity: hours * count * trials * copies, unit: "instance-hour", note: notes.join("; ") })];
}

function formatHours(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** Steps of each kind a run reaches along the expected path, foreach copies counted. */
export function kindCounts(p: Pipeline): Record<string, number> {
  const off = offPathSteps(p);
  const out: Record<string, number> = {};
  for (const s of p.steps) if (!off.has(s.id)) out[s.kind] = (out[s.kind] ?? 0) + (s.foreach ? s.foreach.items.length : 1);
  return out;
}

/** The SageMaker job lines of one run, in step order. */
export function jobCosts(p: Pipeline, prices: PriceTable, region: string): JobCosts {
  const out: JobCosts = { lines: [], notes: [], diagnostics: [] };
  const off = offPathSteps(p);
  const skipped = p.steps.filter((s) => off.has(s.id)).map((s) => s.id);
  const noEstimate: string[] = [];
  for (const s of p.steps) {
    if (!BILLING[s.kind] || off.has(s.id)) continue;
    if (BILLING[s.kind]!.period === "run" && s.estimate === undefined) noEstimate.push(s.id);
    // Copies that price the same (same instance after substituting `item`) are one line.
    const copies = expandForeach(s);
    const groups = new Map<string, { step: Step; n: number }>();
    for (const c of copies) {
      const inst = effectiveInstance(p, c.step);
      const k = JSON.stringify(inst ? [literalOf(inst.type) ?? c.index, inst.count && (literalOf(inst.count) ?? c.index)] : null);
      const g = groups.get(k);
      if (g) g.n++;
      else groups.set(k, { step: c.step, n: 1 });
    }
    for (const g of groups.values()) out.lines.push(...stepLines(p, g.step, g.n, prices, region, out));
  }
  if (noEstimate.length) out.notes.push(`no estimate, priced at $0: ${noEstimate.join(", ")}`);
  if (skipped.length) out.notes.push(`not on the expected path (an else branch), not priced: ${skipped.join(", ")}`);
  return out;
}

export interface OrchestrationInput {
  target: string;
  usage: UsageFacts | undefined;
  runsPerMonth: number;
  region: string;
  mwaaClass?: string;
  /** Steps that can run at once (foreach copies counted), to size an MWAA environment. */
  widest: number;
  /** Tasks in the DAG when usage() does not say. */
  tasks: number;
  /** Steps of each kind on the expected path, foreach copies counted (fallback usage counts). */
  kindCounts: Record<string, number>;
}

/** Orchestration and small-service lines for one target, and the total. */
export function targetCost(jobs: JobCosts, o: OrchestrationInput, prices: PriceTable, diagnostics: Diagnostic[]): TargetCost {
  const lines: CostLine[] = [...jobs.lines];
  const notes: string[] = [...jobs.notes];
  const freeTier: TargetCost["freeTier"] = [];
  const orch = ORCHESTRATORS[o.target];
  const need = (service: string, item: string, what: string): PriceRecord | undefined => {
    try {
      return prices.require(service, item, o.region, what);
    } catch (e) {
      if (!(e instanceof PriceLookupError)) throw e;
      diagnostics.push(error(undefined, `${o.target}: ${e.message}`, { code: "report-no-price" }));
      return undefined;
    }
  };
  let orchRun = 0;
  let orchFixed = 0;
  let orchFree = 0;
  if (!orch) {
    notes.push(`orchestration by '${o.target}' is not in the price table: not priced`);
  } else if (orch.model === "none") {
    const r = need(orch.service, orch.item, orch.title);
    if (r) lines.push(lineFrom(r, { component: orch.title, period: "run", quantity: 1, unit: "execution", note: r.confirmed ? undefined : "no orchestration fee (unconfirmed)" }));
  } else if (orch.model === "transitions") {
    const r = need(orch.service, orch.item, orch.title);
    if (r) {
      const t = o.usage?.stateTransitions;
      const note = [t === undefined ? "the backend gives no transition count" : "from the lowered state machine", o.usage?.pollingNote].filter(Boolean).join("; ");
      const line = lineFrom(r, { component: "state transitions", period: "run", quantity: t ?? null, unit: "state transition", note });
      lines.push(line);
      orchRun = line.amountUsd ?? 0;
      const free = prices.allowance(orch.service, orch.freeItem, o.region);
      if (free && t !== undefined) {
        orchFree = free.quantity * line.unitPriceUsd;
        const q = Math.min(free.quantity, t * o.runsPerMonth);
        freeTier.push({ component: `free tier: ${formatQuantity(free.quantity)} ${free.unit}`, quantity: q, unit: "state transition", amountUsd: -q * line.unitPriceUsd, source: free.source, confirmed: free.confirmed });
      }
    }
  } else {
    const cls = o.mwaaClass ?? pickMwaaClass(o.widest).name;
    const tasks = o.usage?.airflowTasks ?? o.tasks;
    const why = o.mwaaClass ? "--mwaa-class" : `smallest class whose worker runs ${o.widest} tasks at once (${tasks} tasks in the DAG)`;
    const env = need("mwaa", `environment:${cls}`, `MWAA environment class '${cls}'`);
    if (env) {
      const line = lineFrom(env, { component: `MWAA environment ${cls}`, period: "month", quantity: HOURS_PER_MONTH, unit: "environment-hour", note: `always on; ${why}; includes ${MWAA_INCLUDED.workers} worker and ${MWAA_INCLUDED.schedulers} schedulers` });
      lines.push(line);
      orchFixed += line.amountUsd ?? 0;
      for (const extra of ["worker", "scheduler"] as const) {
        const r = need("mwaa", `${extra}:${cls}`, `MWAA additional ${extra} (${cls})`);
        if (r) lines.push(lineFrom(r, { component: `additional ${extra}s`, period: "month", quantity: 0, unit: `${extra}-hour`, note: "none needed at this size (auto-scaled workers are billed per hour used)" }));
      }
      const st = need("mwaa", "metadata-storage", "MWAA metadata storage");
      if (st) lines.push(lineFrom(st, { component: "metadata database storage", period: "month", quantity: null, unit: "GB-month", note: "size not known before use" }));
    }
  }
  for (const svc of SMALL_SERVICES) {
    const given = o.usage?.[svc.fact];
    const counted = svc.fallbackKind ? o.kindCounts[svc.fallbackKind] ?? 0 : 0;
    const n = given ?? counted;
    if (!n) continue;
    const r = need(svc.service, svc.item, svc.component);
    if (!r) continue;
    const note = given !== undefined ? "from the backend's usage count" : `one per ${svc.fallbackKind} step run (the backend gives no count)`;
    const line = lineFrom(r, { component: svc.component, period: "run", quantity: n, unit: svc.unit, note });
    lines.push(line);
    const free = svc.freeItem ? prices.allowance(svc.service, svc.freeItem, o.region) : undefined;
    if (free) {
      const q = Math.min(free.quantity, n * o.runsPerMonth);
      freeTier.push({ component: `free tier: ${formatQuantity(free.quantity)} ${free.unit}`, quantity: q, unit: svc.unit, amountUsd: -q * line.unitPriceUsd, source: free.source, confirmed: free.confirmed });
    }
  }
  if (o.kindCounts.lambda) {
    const r = need("lambda", "gb-second", "Lambda duration");
    if (r) lines.push(lineFrom(r, { component: "Lambda duration", period: "run", quantity: null, unit: "GB-second", note: "function memory and duration are not known" }));
  }
  const perRunUsd = sum(lines.filter((l) => l.period === "run").map((l) => l.amountUsd ?? 0));
  const fixed = sum(lines.filter((l) => l.period === "month").map((l) => l.amountUsd ?? 0));
  const monthlyUsd = perRunUsd * o.runsPerMonth + fixed + sum(freeTier.map((f) => f.amountUsd));
  if (o.usage?.notes) notes.push(...o.usage.notes);
  return { perRunUsd, monthlyUsd, lines, freeTier, orchestrationPerRunUsd: orchRun, orchestrationMonthlyFixedUsd: orchFixed, orchestrationFreeUsd: orchFree, notes };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
