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
import type { Pipeline, Step, Value } from "../ir/types.js";
import { BILLING, HOURS_PER_MONTH } from "./billing.js";
import type { CostLine, TargetCost } from "./model.js";
import { formatQuantity, formatUnitPrice, fromMicros, toMicros } from "./money.js";
import { MWAA_CLASSES, MWAA_INCLUDED, mwaaCapacity, mwaaClass, mwaaSizing, pickMwaaClass } from "./mwaa-classes.js";
import { ORCHESTRATORS, SMALL_SERVICES } from "./orchestrators.js";
import { PriceLookupError, type PriceRecord, type PriceTable } from "./prices/table.js";
import { resolveValue } from "./resolve.js";

export interface JobCosts {
  lines: CostLine[];
  notes: string[];
  diagnostics: Diagnostic[];
  /** Steps on the expected path whose duration is not known (no `estimate`). */
  noEstimate: string[];
}

function lineFrom(r: PriceRecord, l: Omit<CostLine, "unitPriceUsd" | "amountUsd" | "price">): CostLine {
  const unitPriceUsd = r.usd / r.per;
  return {
    ...l,
    unitPriceUsd,
    amountUsd: l.quantity === null ? null : l.quantity * unitPriceUsd,
    price: { service: r.service, item: r.item, region: r.region, source: r.source, url: "", date: r.date, confirmed: r.confirmed },
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
  if ((s.kind === "training" || s.kind === "tuning") && s.spot) {
    notes.push("managed spot training: priced on demand here; spot usually costs less but a job may wait or be interrupted (up to max_wait)");
  }
  const storage = storageLine(p, s, inst.volume_gb, count * trials * copies, prices, region, out);
  if (s.estimate === undefined) {
    notes.unshift("no estimate: duration unknown, not counted in the totals");
    return [lineFrom(rec, { component, step: s.id, period: "run", quantity: null, unit: "instance-hour", note: notes.join("; ") }), ...storage(null)];
  }
  const hours = s.estimate / 3600;
  const trialText = trials > 1 ? ` × ${trials} tuning trials (max_jobs)` : "";
  notes.unshift(`${formatHours(s.estimate)} estimate × ${plural(count, "instance")}${trialText}${each}`);
  return [lineFrom(rec, { component, step: s.id, period: "run", quantity: hours * count * trials * copies, unit: "instance-hour", note: notes.join("; ") }), ...storage(hours)];
}

/** Default ML storage volume of a job when the step gives none (the SageMaker SDK's `volume_size`). */
export const DEFAULT_VOLUME_GB = 30;

/** The ML storage volume each instance of a job carries, billed per GB-month for the job's hours. */
function storageLine(
  p: Pipeline,
  s: Step,
  volume: Value | undefined,
  instances: number,
  prices: PriceTable,
  region: string,
  out: JobCosts,
): (hours: number | null) => CostLine[] {
  let gb = DEFAULT_VOLUME_GB;
  let how = `${DEFAULT_VOLUME_GB} GB (the default volume)`;
  if (volume) {
    const v = resolveValue(p, volume, "number");
    if (v.ok) {
      gb = v.value as number;
      how = `${gb} GB${v.note ? ` (${v.note})` : ""}`;
    } else how = `${DEFAULT_VOLUME_GB} GB assumed: volume_gb ${v.why}`;
  }
  const rec = prices.find("sagemaker", "ml-storage", region);
  if (!rec) {
    const note = `ML storage volumes not priced: the price table has no sagemaker ml-storage price for ${region}`;
    if (!out.notes.includes(note)) out.notes.push(note);
    return () => [];
  }
  return (hours) =>
    [lineFrom(rec, {
      component: "ML storage volume",
      step: s.id,
      period: "run",
      quantity: hours === null ? null : (gb * instances * hours) / HOURS_PER_MONTH,
      unit: "GB-month",
      note: `${how} × ${plural(instances, "instance")} for the job's hours (${HOURS_PER_MONTH} h a month)${hours === null ? "; duration unknown" : ""}`,
    })];
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
  const out: JobCosts = { lines: [], notes: [], diagnostics: [], noEstimate: [] };
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
  out.noEstimate = noEstimate;
  if (noEstimate.length) out.notes.push(`no estimate, so their cost is unknown and left out of the totals: ${noEstimate.join(", ")}`);
  if (skipped.length) out.notes.push(`not on the expected path (an else branch), not priced: ${skipped.join(", ")}`);
  return out;
}

export interface OrchestrationInput {
  target: string;
  usage: UsageFacts | undefined;
  runsPerMonth: number;
  region: string;
  mwaaClass?: string;
  /** Price only what one more DAG adds to an MWAA environment the team already runs. */
  mwaaShared?: boolean;
  /** Steps that can run at once (foreach copies counted), to size an MWAA environment. */
  widest: number;
  /** Hours the widest layer keeps its tasks busy (its longest estimate), or null when unknown. */
  widestHours: number | null;
  /** Tasks in the DAG when usage() does not say. */
  tasks: number;
  /** Steps of each kind on the expected path, foreach copies counted (fallback usage counts). */
  kindCounts: Record<string, number>;
}

const ACCOUNT_WIDE = "account-wide: shared with every workflow in the account, credited here in full";

/** Orchestration and small-service lines for one target, and the totals (each line rounded once to micro-dollars, then added). */
export function targetCost(jobs: JobCosts, o: OrchestrationInput, prices: PriceTable, diagnostics: Diagnostic[]): TargetCost {
  const lines: CostLine[] = [...jobs.lines];
  const notes: string[] = [...jobs.notes];
  const capacity: string[] = [];
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
  const credit = (component: string, quantity: number, unit: string, unitPriceUsd: number, a: { source: string; confirmed: boolean }) =>
    freeTier.push({ component, quantity, unit, amountUsd: -quantity * unitPriceUsd, source: a.source, confirmed: a.confirmed, note: ACCOUNT_WIDE });
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
        credit(`free tier: ${formatQuantity(free.quantity)} ${free.unit}`, Math.min(free.quantity, t * o.runsPerMonth), "state transition", line.unitPriceUsd, free);
      }
    }
  } else {
    const given = o.mwaaClass ? mwaaClass(o.mwaaClass) : undefined;
    if (o.mwaaClass && !given) {
      diagnostics.push(
        error(undefined, `airflow: unknown MWAA environment class '${o.mwaaClass}'`, { code: "report-mwaa-class", hint: `one of ${MWAA_CLASSES.map((c) => c.name).join(", ")}` }),
      );
    }
    const cls = given ?? pickMwaaClass(o.widest);
    const tasks = o.usage?.airflowTasks ?? o.tasks;
    const { extraWorkers, queued } = mwaaSizing(cls, o.widest);
    const why = given
      ? `--mwaa-class ${cls.name}`
      : mwaaCapacity(cls) >= o.widest
        ? `the smallest class that runs ${o.widest} tasks at once (${tasks} tasks in the DAG)`
        : `the largest class; none runs ${o.widest} tasks at once (${tasks} tasks in the DAG)`;
    if (o.mwaaShared) {
      notes.push(`shared environment (--mwaa-shared): the always-on ${cls.name} environment, its network and metadata database are paid already; only what this DAG adds is priced`);
    } else {
      const env = need("mwaa", `environment:${cls.name}`, `MWAA environment class '${cls.name}'`);
      if (env) {
        const line = lineFrom(env, {
          component: `MWAA environment ${cls.name}`,
          period: "month",
          quantity: HOURS_PER_MONTH,
          unit: "environment-hour",
          note: `always on; ${why}; includes ${MWAA_INCLUDED.workers} worker (${cls.tasksPerWorker} tasks at once) and ${MWAA_INCLUDED.schedulers} schedulers`,
        });
        lines.push(line);
        orchFixed += line.amountUsd ?? 0;
      }
      const st = need("mwaa", "metadata-storage", "MWAA metadata storage");
      if (st) lines.push(lineFrom(st, { component: "MWAA metadata database storage", period: "month", quantity: null, unit: "GB-month", note: "size not known before use" }));
      // Optional in a user's table: without it the network is named, not priced.
      const nat = prices.find("vpc", "nat-gateway-hour", o.region);
      if (!nat) notes.push(`NAT gateway or VPC endpoints not priced: the price table has no vpc nat-gateway-hour price for ${o.region}`);
      else {
        const ep = prices.find("vpc", "interface-endpoint-hour", o.region);
        const alt = ep ? `; a private network without one needs VPC interface endpoints instead (${formatUnitPrice(ep.usd / ep.per)} per endpoint and AZ an hour)` : "";
        const line = lineFrom(nat, {
          component: "NAT gateway (MWAA runs in private subnets)",
          period: "month",
          quantity: HOURS_PER_MONTH,
          unit: "gateway-hour",
          note: `one gateway, always on, plus a charge per GB it processes (not counted)${alt}; none if the VPC already has one (--mwaa-shared)`,
        });
        lines.push(line);
        orchFixed += line.amountUsd ?? 0;
      }
    }
    if (extraWorkers > 0) {
      const w = need("mwaa", `worker:${cls.name}`, `MWAA additional worker (${cls.name})`);
      if (w) {
        lines.push(
          lineFrom(w, {
            component: `additional workers (${cls.name})`,
            period: "run",
            quantity: o.widestHours === null ? null : extraWorkers * o.widestHours,
            unit: "worker-hour",
            note: `${plural(extraWorkers, "extra worker")} while ${o.widest} tasks run at once (${cls.tasksPerWorker} a worker)${o.widestHours === null ? "; how long is unknown (no estimate)" : `, for the longest of them (${formatHours(Math.round(o.widestHours * 3600))})`}; auto-scaled, billed per hour used`,
          }),
        );
      }
    } else if (queued === 0) notes.push(`no additional worker: ${cls.name}'s worker runs ${cls.tasksPerWorker} tasks at once, the pipeline at most ${o.widest}`);
    if (queued > 0) {
      capacity.push(
        `${cls.name} runs at most ${formatQuantity(mwaaCapacity(cls))} tasks at once (${plural(cls.maxWorkers, "worker")}, ${cls.tasksPerWorker} tasks each): ${plural(queued, "task")} of the widest layer wait, so the run takes longer`,
      );
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
    if (free) credit(`free tier: ${formatQuantity(free.quantity)} ${free.unit}`, Math.min(free.quantity, n * o.runsPerMonth), svc.unit, line.unitPriceUsd, free);
  }
  if (o.kindCounts.lambda) {
    const r = need("lambda", "gb-second", "Lambda duration");
    if (r) lines.push(lineFrom(r, { component: "Lambda duration", period: "run", quantity: null, unit: "GB-second", note: "function memory and duration are not known" }));
  }
  const logs = prices.find("cloudwatch", "logs-ingested", o.region);
  if (logs) {
    const free = prices.allowance("cloudwatch", "free-logs-ingested", o.region);
    const who = orch?.model === "environment" ? "job logs, and Airflow task, scheduler and worker logs" : "job logs";
    lines.push(
      lineFrom(logs, {
        component: "CloudWatch Logs ingestion",
        period: "run",
        quantity: null,
        unit: "GB",
        note: `${who}; volume not known before a run${free ? `; ${formatQuantity(free.quantity)} ${free.unit} free (${ACCOUNT_WIDE.split(":")[0]})` : ""}`,
      }),
    );
  }
  const runMicros = sumMicros(lines.filter((l) => l.period === "run").map((l) => l.amountUsd));
  const fixedMicros = sumMicros(lines.filter((l) => l.period === "month").map((l) => l.amountUsd));
  const freeMicros = sumMicros(freeTier.map((f) => f.amountUsd));
  // Each run line is rounded once at its monthly amount, so rounding never grows with the run count.
  const monthlyMicros = sumMicros(lines.filter((l) => l.period === "run").map((l) => (l.amountUsd === null ? null : l.amountUsd * o.runsPerMonth))) + fixedMicros + freeMicros;
  if (o.usage?.notes) notes.push(...o.usage.notes);
  const unpriced = lines.filter((l) => l.amountUsd === null && !(l.step && jobs.noEstimate.includes(l.step))).map((l) => l.component);
  return {
    perRunUsd: fromMicros(runMicros),
    monthlyUsd: fromMicros(monthlyMicros),
    perRunMicros: runMicros,
    monthlyMicros,
    noEstimate: [...jobs.noEstimate],
    unpriced: [...new Set(unpriced)],
    lines,
    freeTier,
    orchestrationPerRunUsd: orchRun,
    orchestrationMonthlyFixedUsd: orchFixed,
    orchestrationFreeUsd: orchFree,
    capacity,
    notes,
  };
}

/** Each amount rounded once to whole micro-dollars, then added as integers; unknown amounts are left out. */
function sumMicros(xs: Array<number | null>): number {
  return xs.reduce<number>((a, b) => a + (b === null ? 0 : toMicros(b)), 0);
}
