/**
 * A polling loop: a Task, a Choice (or a chain of Choices through their
 * Defaults) on what it returned, and a Wait back to the Task (of fixed seconds, or
 * of seconds the data gives that the call does not change)
 * (maybe after a Pass that builds the data the next call reads).
 * It is one aws or lambda step that repeats (`repeat: { until, interval }`): `until`
 * says when the first matching rule leads out of the loop, and the rules that
 * lead out remain a Choice after the step.
 */
import type { Value } from "../../../src/ir/types.js";
import type { JPath } from "./source.js";
import { POLLS } from "../repeat.js";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);

/** A Choice rule and where it is written. */
export interface Rule {
  r: Obj;
  at: JPath;
}

export interface Loop {
  /** The Choice states read after each call (the first, then those its Default chains to). */
  choices: string[];
  /** The Wait back to the Task, and the Pass that counts calls in a machine Switchyard wrote. */
  wait: string;
  count?: string;
  /** A Pass on the way back that builds the data the next call's request is read from. */
  rebuild?: string;
  /** The Wait's OutputPath: the next call reads its data below this path of the call's result. */
  waitOutput?: string;
  /** Whole seconds, or the path of the data the Wait reads them from (SecondsPath; resolved where the loop is lifted). */
  interval: number | string;
  /** Every rule, in the order Step Functions tries them, and whether it leads back into the loop. */
  rules: Array<Rule & { loops: boolean }>;
  /** Where no rule matching leads; undefined: back into the loop (unless noDefault). */
  exit?: string;
  /** The Choice has no Default: no rule matching fails the run (States.NoChoiceMatched), out of the loop. */
  noDefault?: boolean;
  /** A rule of Switchyard's own call counter and the Fail it leads to (read as the step's timeout, or as `limit`). */
  counter?: string;
  /** The counter's bound when its Fail is not States.Timeout: the repeat's max_calls, error and message. */
  limit?: { calls: number; error: string; message?: string };
  /** A counter of calls in a machine written elsewhere (its bound read in index.ts); undefined, said in `tallyWhy`, when it is not one. */
  tally?: Tally;
  /** Why a counter on the way back cannot be read as max_calls (refused where the loop is read). */
  tallyWhy?: string;
}

/**
 * A count of calls kept in the state data: a Pass on the way back writes `path` + `step` (States.MathAdd)
 * and a Choice rule compares `path` with a number. `mode` says how the rule ends the loop: it leads to
 * the Fail `fail` when it holds ("fails-when"), or it leads back into the loop while it holds and the
 * Default is the Fail ("loops-while").
 */
export interface Tally {
  pass: string;
  path: string;
  step: number;
  op: string;
  bound: number;
  mode: "fails-when" | "loops-while";
  fail: string;
  rule: Rule;
}

/** `States.MathAdd($.k, n)`: the path and the step. */
const MATH_ADD = /^States\.MathAdd\(\s*(\$\.[A-Za-z_][A-Za-z0-9_-]*)\s*,\s*(-?[0-9]+)\s*\)$/;

/**
 * A Pass that counts: its Parameters (the new data, ResultPath `$` or none) are one member `k.$` that adds
 * a number to `$.k`, and members that copy themselves (`x.$: $.x`) or are constants. Undefined when not.
 */
function countingPass(st: unknown): { path: string; step: number } | undefined {
  if (!isObj(st) || st.Type !== "Pass" || !isObj(st.Parameters) || !Object.keys(st).every((k) => PASS_KEYS.has(k) || (k === "ResultPath" && st.ResultPath === "$"))) return undefined;
  let found: { path: string; step: number } | undefined;
  for (const [k, v] of Object.entries(st.Parameters)) {
    if (!k.endsWith(".$")) continue;
    const m = typeof v === "string" ? MATH_ADD.exec(v) : null;
    if (m && m[1] === `$.${k.slice(0, -2)}` && !found) found = { path: m[1], step: Number(m[2]) };
    else if (v !== `$.${k.slice(0, -2)}`) return undefined;
  }
  return found && found.step > 0 ? found : undefined;
}

/** The Choice at `name` and those its Default leads to that nothing else reaches, as one rule list. */
function chain(states: Obj, statesAt: JPath, name: string, incoming: Map<string, number>): { names: string[]; rules: Rule[]; dflt?: string } {
  const names: string[] = [];
  const rules: Rule[] = [];
  let cur: string | undefined = name;
  for (;;) {
    const c = states[cur] as Obj;
    names.push(cur);
    (Array.isArray(c.Choices) ? (c.Choices as Obj[]) : []).forEach((r, i) => rules.push({ r, at: [...statesAt, cur!, "Choices", i] }));
    const d = typeof c.Default === "string" ? c.Default : undefined;
    const next = d !== undefined ? states[d] : undefined;
    if (d === undefined || !isObj(next) || next.Type !== "Choice" || (incoming.get(d) ?? 0) !== 1 || names.includes(d)) return { names, rules, dflt: d };
    cur = d;
  }
}

/** How many transitions lead to each state (Next, Default, Choices, Catch). */
export function incomingCounts(states: Obj): Map<string, number> {
  const out = new Map<string, number>();
  const bump = (x: unknown) => typeof x === "string" && out.set(x, (out.get(x) ?? 0) + 1);
  for (const st of Object.values(states)) {
    if (!isObj(st)) continue;
    bump(st.Next);
    bump(st.Default);
    for (const r of (Array.isArray(st.Choices) ? st.Choices : []) as Obj[]) bump(r.Next);
    for (const c of (Array.isArray(st.Catch) ? st.Catch : []) as Obj[]) bump(c.Next);
  }
  return out;
}

const WAIT_KEYS = new Set(["Type", "Seconds", "SecondsPath", "Next", "Comment"]);
/** A Wait of whole seconds (at least 1), or of seconds read from the data (SecondsPath). */
const waitsSeconds = (w: Obj): boolean =>
  typeof w.SecondsPath === "string" ? w.Seconds === undefined : typeof w.Seconds === "number" && Number.isInteger(w.Seconds) && w.Seconds >= 1;
const NUMERIC = /^Numeric(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)$/;
/** A plain JSONPath below `$` (members and indexes), as a Wait's OutputPath on the way back may be. */
const PLAIN_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_-]*|\[[0-9]+\])+$/;
const PASS_KEYS = new Set(["Type", "Parameters", "Next", "Comment"]);

/** The loop around Task `task`, when its Next is a Choice with a way back through a fixed Wait. */
export function findLoop(states: Obj, statesAt: JPath, task: string, own: boolean): Loop | undefined {
  const st = states[task] as Obj;
  const first = typeof st.Next === "string" ? st.Next : undefined;
  if (!first || !isObj(states[first]) || (states[first] as Obj).Type !== "Choice") return undefined;
  const { names, rules, dflt } = chain(states, statesAt, first, incomingCounts(states));
  // The way back: a Wait whose Next is the Task (in own machines, through the counting Pass).
  let count: string | undefined;
  let rebuild: string | undefined;
  // A Pass counting calls, before or after the Wait (in machines written elsewhere).
  let tallyPass: { name: string; path: string; step: number } | undefined;
  const counts = (name: unknown): boolean => {
    const c = !own && typeof name === "string" ? countingPass(states[name]) : undefined;
    if (!c || (tallyPass && tallyPass.name !== name)) return false;
    tallyPass = { name: name as string, ...c };
    return true;
  };
  const back = (to: unknown): boolean => {
    const pass = typeof to === "string" ? states[to] : undefined;
    if (counts(to) && isObj(pass)) return backFromWait(pass.Next);
    // A Pass that only builds new data from the call's result, then the Wait (in machines written elsewhere).
    // Only where the call's result replaces the data: else what the Pass built would be read after later calls.
    const replaces = st.ResultPath === undefined || st.ResultPath === "$";
    if (!own && replaces && isObj(pass) && pass.Type === "Pass" && isObj(pass.Parameters) && Object.keys(pass).every((k) => PASS_KEYS.has(k)) && typeof pass.Next === "string" && states[pass.Next] !== pass) {
      if (rebuild !== undefined && rebuild !== to) return false;
      const ok = backFromWait(pass.Next);
      if (ok) rebuild = to as string;
      return ok;
    }
    return backFromWait(to);
  };
  let waitOutput: string | undefined;
  const backFromWait = (to: unknown): boolean => {
    const w = typeof to === "string" ? states[to] : undefined;
    // (In machines written elsewhere, the Wait may narrow the call's result to what the next call reads: OutputPath.)
    const narrows = !own && isObj(w) && typeof w.OutputPath === "string" && PLAIN_PATH.test(w.OutputPath) && (st.ResultPath === undefined || st.ResultPath === "$");
    if (!isObj(w) || w.Type !== "Wait" || !Object.keys(w).every((k) => WAIT_KEYS.has(k) || (k === "OutputPath" && narrows)) || !waitsSeconds(w)) return false;
    if (narrows) waitOutput = w.OutputPath as string;
    if (w.Next === task) return true;
    if (counts(w.Next) && (states[w.Next as string] as Obj).Next === task) return true;
    const p = typeof w.Next === "string" ? states[w.Next] : undefined;
    if (own && isObj(p) && p.Type === "Pass" && p.Next === task && p.ResultPath === POLLS) {
      count = w.Next as string;
      return true;
    }
    return false;
  };
  const waits = new Set<string>();
  const marked = rules.map((x) => {
    const loops = back(x.r.Next);
    if (loops) waits.add(x.r.Next as string);
    return { ...x, loops };
  });
  const defaultLoops = back(dflt);
  if (defaultLoops) waits.add(dflt!);
  // Every way back goes the same way, through the Pass or not.
  if (rebuild !== undefined) {
    if (waits.size !== 1 || !waits.has(rebuild)) return undefined;
    waits.clear();
    waits.add((states[rebuild] as Obj).Next as string);
  }
  // A counting Pass before the Wait: the way back is through its Wait.
  if (tallyPass?.name !== undefined && waits.delete(tallyPass.name)) waits.add((states[tallyPass.name] as Obj).Next as string);
  if (waits.size !== 1) return undefined;
  const wait = [...waits][0];
  // Switchyard's own counter: a rule on $.polls.<task> into a Fail, of States.Timeout (the timeout's bound) or of the repeat's error (max_calls).
  let counter: string | undefined;
  let limit: Loop["limit"];
  const kept = marked.filter((x) => {
    const st = typeof x.r.Next === "string" ? states[x.r.Next] : undefined;
    // The Fail, or (where a failure handler takes its error) the Pass that hands the error on as lowering writes it.
    const f = isObj(st) ? (st.Type === "Fail" ? st : st.Type === "Pass" && isObj(st.Parameters) && Object.keys(st.Parameters).sort().join() === "Cause,Error" ? st.Parameters : undefined) : undefined;
    const isCounter = own && typeof x.r.Variable === "string" && x.r.Variable.startsWith(POLLS) && typeof x.r.NumericGreaterThanEquals === "number" && isObj(f) && typeof f.Error === "string";
    if (isCounter) {
      counter = x.r.Next as string;
      if (f.Error !== "States.Timeout") limit = { calls: x.r.NumericGreaterThanEquals as number, error: f.Error as string, ...(typeof f.Cause === "string" ? { message: f.Cause } : {}) };
    }
    return !isCounter;
  });
  if (waitOutput !== undefined && rebuild !== undefined) return undefined;
  // A counter of the machine's own: the rule on it, and how it ends the loop.
  let tally: Tally | undefined;
  let tallyWhy: string | undefined;
  let ruleList = kept;
  let defaultLoopsNow = defaultLoops;
  if (tallyPass) {
    const tp = tallyPass;
    const at = kept.findIndex((x) => x.r.Variable === tp.path);
    const x = kept[at];
    const op = x ? Object.keys(x.r).find((k) => NUMERIC.test(k)) : undefined;
    const fail = (name: unknown) => typeof name === "string" && isObj(states[name]) && (states[name] as Obj).Type === "Fail";
    const plain = x && op && typeof x.r[op] === "number" && Object.keys(x.r).length === 3 && typeof x.r.Next === "string";
    if (at < 0 || !plain) tallyWhy = `the count the Pass state '${tp.name}' keeps in '${tp.path}' is compared by no Choice rule of its own (a Numeric comparison with a number)`;
    else if (fail(x.r.Next)) {
      // It fails the run when it holds: every way out is tested before it, and nothing loops before it unbounded.
      if (kept.slice(at + 1).some((y) => !y.loops) || (!defaultLoops && dflt !== undefined)) tallyWhy = `a way out of the loop is tested after the count in '${tp.path}', so the last call fails the run whatever it returned, where a repeated call ends when its condition holds`;
      else if (kept.slice(0, at).some((y) => y.loops)) tallyWhy = `a rule leads back into the loop before the count in '${tp.path}' is tested, so those calls are not bounded by it`;
      else tally = { pass: tp.name, path: tp.path, step: tp.step, op: op!, bound: x.r[op!] as number, mode: "fails-when", fail: x.r.Next as string, rule: x };
    } else if (x.loops && at === kept.length - 1 && fail(dflt)) {
      if (kept.slice(0, at).some((y) => y.loops)) tallyWhy = `a rule leads back into the loop before the count in '${tp.path}' is tested, so those calls are not bounded by it`;
      else {
        tally = { pass: tp.name, path: tp.path, step: tp.step, op: op!, bound: x.r[op!] as number, mode: "loops-while", fail: dflt!, rule: x };
        // Past the count, the Default's Fail; before it, the loop goes on: as a Default that loops.
        defaultLoopsNow = true;
      }
    } else tallyWhy = `the rule on the count in '${tp.path}' neither leads to a Fail state, nor leads back into the loop as the last rule with a Fail state as the Default`;
    // (Refused or not, the rule on the count is no condition on the call's result.)
    if (at >= 0) ruleList = kept.filter((_, i) => i !== at);
  }
  return {
    choices: names,
    wait,
    ...(count ? { count } : {}),
    ...(rebuild ? { rebuild } : {}),
    ...(waitOutput !== undefined ? { waitOutput } : {}),
    interval: typeof (states[wait] as Obj).SecondsPath === "string" ? ((states[wait] as Obj).SecondsPath as string) : ((states[wait] as Obj).Seconds as number),
    rules: ruleList,
    ...(defaultLoopsNow ? {} : dflt === undefined ? { noDefault: true } : { exit: dflt }),
    ...(counter ? { counter } : {}),
    ...(tally ? { tally } : {}),
    ...(tallyWhy ? { tallyWhy } : {}),
    ...(limit ? { limit } : {}),
  };
}

/**
 * When the loop ends: the first matching rule leads out (or none matches and
 * the Default does). `lifted` holds each rule's condition, in `loop.rules` order.
 */
export function untilValue(loop: Loop, lifted: Value[], pos: Value["pos"]): Value {
  const or = (xs: Value[]): Value => (xs.length === 1 ? xs[0] : { kind: "logic", op: "or", operands: xs, pos });
  const and = (xs: Value[]): Value => (xs.length === 1 ? xs[0] : { kind: "logic", op: "and", operands: xs, pos });
  const not = (x: Value): Value => (x.kind === "not" ? x.operand : { kind: "not", operand: x, pos });
  const exits = lifted.filter((_, i) => !loop.rules[i].loops);
  const loopsAt = loop.rules.flatMap((x, i) => (x.loops ? [i] : []));
  // No rule matching leads out: to the Default, or (without one) to the run's failure.
  const defaultLoops = loop.exit === undefined && !loop.noDefault;
  // The usual forms, written plainly: every rule leads out and the Default loops; or one rule, before any exit, loops.
  if (defaultLoops && !loopsAt.length) return or(exits);
  if (!defaultLoops && loopsAt.length === 1 && loopsAt[0] === 0) return not(lifted[0]);
  // In general: it stays when a looping rule is the first to match, or (Default looping) when none does.
  const stay: Value[] = loopsAt.map((k) => {
    const earlier = lifted.slice(0, k).filter((_, j) => !loop.rules[j].loops);
    return earlier.length ? and([lifted[k], not(or(earlier))]) : lifted[k];
  });
  if (defaultLoops) stay.push(not(or(lifted)));
  return not(or(stay));
}

/**
 * Why a loop that is not a polling loop has no IR form: the IR repeats one
 * aws call or Lambda function (`repeat`), entered at the call, a Choice on its result deciding
 * and a Wait between calls (of seconds fixed before the calls). `cycle`: the loop's states, from
 * the one it returns to.
 */
export function loopMismatch(states: Obj, cycle: string[], isCall: (resource: string) => boolean): string[] {
  const why: string[] = [];
  const of = (type: string) => cycle.filter((n) => isObj(states[n]) && (states[n] as Obj).Type === type);
  const q = (n: string) => `'${n}'`;
  const tasks = of("Task");
  if (!tasks.length) why.push("it calls nothing");
  if (tasks.length > 1) why.push(`it makes ${tasks.length} calls (${tasks.map(q).join(", ")}) where a repeated call makes one`);
  for (const t of tasks) {
    const r = String((states[t] as Obj).Resource);
    if (isCall(r)) continue;
    why.push(`${q(t)} is no aws call nor Lambda function (resource '${r}'), and only those repeat`);
  }
  const waits = of("Wait");
  if (!waits.length) why.push("no Wait comes between its calls");
  for (const w of waits) {
    const st = states[w] as Obj;
    if (typeof st.SecondsPath === "string") {
      if (st.Seconds !== undefined) why.push(`the Wait ${q(w)} gives both Seconds and SecondsPath`);
    } else if (st.Timestamp !== undefined || st.TimestampPath !== undefined) why.push(`the Wait ${q(w)} waits until a time, where a repeated call waits an interval between calls`);
    else if (typeof st.Seconds !== "number" || !Number.isInteger(st.Seconds) || st.Seconds < 1) why.push(`the Wait ${q(w)} waits ${JSON.stringify(st.Seconds)} seconds, where a repeated call waits a whole number of seconds, at least 1`);
    const extra = Object.keys(st).filter((k) => !WAIT_KEYS.has(k) && !["Timestamp", "TimestampPath"].includes(k));
    const plainOutput = extra.length === 1 && extra[0] === "OutputPath" && typeof st.OutputPath === "string" && PLAIN_PATH.test(st.OutputPath);
    if (extra.length && !plainOutput) why.push(`the Wait ${q(w)} sets ${extra.join(", ")}, where a polling loop's Wait only waits (or narrows the call's result with a plain OutputPath)`);
  }
  // A Pass that only builds the next call's data (Parameters) right before the Wait is read; any other is a reason.
  const resultInto = tasks.filter((t) => {
    const rp = (states[t] as Obj).ResultPath;
    return rp !== undefined && rp !== "$";
  });
  for (const p of of("Pass")) {
    const st = states[p] as Obj;
    const extra = Object.keys(st).filter((k) => !PASS_KEYS.has(k));
    const next = typeof st.Next === "string" ? states[st.Next] : undefined;
    if (extra.length || !isObj(st.Parameters)) why.push(`the Pass state ${q(p)} ${extra.length ? `sets ${extra.join(", ")}` : "has no Parameters"}, where a polling loop's Pass only builds the next call's data from Parameters`);
    else if (tasks.length === 1 && resultInto.length) why.push(`the Pass state ${q(p)} builds data that ${q(tasks[0])} writes its result into (ResultPath), so what it built would be read after later calls`);
    else if (waits.length && (!isObj(next) || next.Type !== "Wait")) why.push(`the Pass state ${q(p)} is not right before the loop's Wait, the only place a polling loop's Pass is read`);
  }
  for (const n of cycle) {
    const t = isObj(states[n]) ? (states[n] as Obj).Type : undefined;
    if (t === "Parallel" || t === "Map") why.push(`${q(n)} is a ${t} state`);
  }
  // A way round the loop that only an error takes: a Catch leading back.
  cycle.forEach((n, i) => {
    const st = states[n];
    const to = cycle[(i + 1) % cycle.length];
    if (!isObj(st) || st.Next === to || st.Default === to) return;
    const byChoice = Array.isArray(st.Choices) && (st.Choices as unknown[]).some((c) => isObj(c) && c.Next === to);
    const byCatch = Array.isArray(st.Catch) && (st.Catch as unknown[]).some((c) => isObj(c) && c.Next === to);
    if (!byChoice && byCatch) why.push(`${q(n)} goes back to ${q(to)} through its Catch (when it fails), where a polling loop goes back after a Choice on what the call returned (a call that fails and is called again is a Retry)`);
  });
  return why;
}
