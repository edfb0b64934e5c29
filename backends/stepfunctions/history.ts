/**
 * The execution history a state machine writes, predicted from the lowered
 * plan (its nested Parallel states, tasks, retries and poll loops), to check
 * Standard workflows' 25,000-event quota before deploying.
 *
 * The count follows the longest path: every Parallel branch runs, a Choice
 * takes its costliest way, a poll loop (and a repeated call with a bound: its
 * max_calls, or the calls its timeout allows) runs to its bound. `events` assumes
 * every task succeeds at once; `withRetries` lets every task use all its
 * retry attempts.
 */
import { innerScopes } from "./asl.js";
import { POLLS } from "./repeat.js";
import type { Definition, State, States } from "./asl.js";

/** Events per state, from the API's HistoryEvent types. */
export const HISTORY_EVENTS = {
  /** ExecutionStarted, ExecutionSucceeded (or ExecutionFailed). */
  execution: 2,
  /** TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded, TaskStateExited. */
  task: 5,
  /** TaskSubmitted, written by `.sync` and `.waitForTaskToken` integrations. */
  submitted: 1,
  /** A failed attempt before a retry: TaskScheduled, TaskStarted, TaskFailed (plus TaskSubmitted where the integration submits). */
  retryAttempt: 3,
  /** ParallelStateEntered, ParallelStateStarted, ParallelStateSucceeded, ParallelStateExited. */
  parallel: 4,
  /** A Parallel branch writes no event of its own; only its states do. */
  parallelBranch: 0,
  /** Entered and Exited: Pass, Choice, Wait, Succeed. */
  other: 2,
  /** FailStateEntered (ExecutionFailed replaces ExecutionSucceeded). */
  fail: 1,
} as const;

/** Retry attempts Step Functions makes when a retrier gives no MaxAttempts. */
const DEFAULT_MAX_ATTEMPTS = 3;

export interface HistoryPrediction {
  events: number;
  withRetries: number;
  /** Poll loops counted at their bound. */
  pollLoops: number;
}

const submits = (st: State) => /\.(sync(:2)?|waitForTaskToken)$/.test(String(st.Resource ?? ""));

/** The bound of a poll loop, from the Wait state that starts it (`poll: at most N times`). */
const pollBound = (st: State): number | undefined => {
  const m = st.Type === "Wait" ? /^poll: at most ([0-9]+) times/.exec(String(st.Comment ?? "")) : null;
  return m ? Number(m[1]) : undefined;
};

/**
 * A repeated call's loop (repeat.ts): the Task, then a Choice with the counter's rule on `$.polls.<step>`
 * (NumericGreaterThanEquals: the most calls) whose Default is the Wait back to the Task through the counting
 * Pass. The Choice's name and the bound; undefined for any other Task (or a repeat without a bound).
 */
const repeatBound = (states: States, st: State): { check: string; bound: number } | undefined => {
  const check = st.Type === "Task" && typeof st.Next === "string" ? states[st.Next] : undefined;
  if (check?.Type !== "Choice") return undefined;
  const rule = ((check.Choices as State[] | undefined) ?? []).find((c) => typeof c.Variable === "string" && c.Variable.startsWith(`${POLLS}.`) && typeof c.NumericGreaterThanEquals === "number");
  return rule ? { check: st.Next as string, bound: rule.NumericGreaterThanEquals as number } : undefined;
};

/** Events without retries and with every retry used: each count follows its own costliest path. */
type Counts = [events: number, withRetries: number];

export function predictHistory(def: Definition): HistoryPrediction {
  let pollLoops = 0;
  // Both counts in one walk of the machine: the walk, not the arithmetic, is what a large machine costs.
  const taskEvents = (st: State): Counts => {
    const sub = submits(st) ? HISTORY_EVENTS.submitted : 0;
    const n = HISTORY_EVENTS.task + sub;
    const attempts = ((st.Retry as State[] | undefined) ?? []).reduce((a, r) => a + Number(r.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS), 0);
    return [n, n + attempts * (HISTORY_EVENTS.retryAttempt + sub)];
  };
  const own = (st: State): Counts => {
    switch (st.Type) {
      case "Task":
        return taskEvents(st);
      case "Parallel":
      case "Map": {
        // A distributed Map's iterations are child executions, with histories of their own.
        if ((st.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined)?.ProcessorConfig?.Mode === "DISTRIBUTED") return [HISTORY_EVENTS.parallel, HISTORY_EVENTS.parallel];
        // A Map counts one iteration: how many items it gets is known only at run time.
        const n: Counts = [HISTORY_EVENTS.parallel, HISTORY_EVENTS.parallel];
        for (const b of innerScopes(st)) {
          const inner = longest(b.States, b.StartAt);
          n[0] += HISTORY_EVENTS.parallelBranch + inner[0];
          n[1] += HISTORY_EVENTS.parallelBranch + inner[1];
        }
        return n;
      }
      case "Fail":
        return [HISTORY_EVENTS.fail, HISTORY_EVENTS.fail];
      default:
        return [HISTORY_EVENTS.other, HISTORY_EVENTS.other];
    }
  };
  /** A poll loop (Wait, status Task, Choice, counter Pass) run `bound` times; the counter runs one time less. */
  const loop = (states: States, wait: State, bound: number): { events: Counts; exits: string[] } => {
    const status = states[wait.Next as string];
    const check = states[status.Next as string];
    const counter = states[(check.Default as string) ?? ""];
    const task = taskEvents(status);
    const events = task.map((t) => bound * (HISTORY_EVENTS.other + t + HISTORY_EVENTS.other) + (counter ? (bound - 1) * HISTORY_EVENTS.other : 0)) as Counts;
    return { events, exits: ((check.Choices as State[]) ?? []).map((c) => c.Next as string) };
  };
  /** Events along the costliest path from `start`, in reverse topological order of the states (no recursion along chains). */
  const longest = (states: States, start: string): Counts => {
    const memo = new Map<string, Counts>();
    const ownOf = new Map<string, Counts>();
    const next = (name: string): string[] => {
      const st = states[name];
      const bound = pollBound(st);
      if (bound !== undefined) {
        const l = loop(states, st, bound);
        ownOf.set(name, l.events);
        return l.exits;
      }
      const repeated = repeatBound(states, st);
      if (repeated) {
        // The Task and its Choice each call; the Wait and the counting Pass between calls, one time less.
        ownOf.set(name, taskEvents(st).map((t) => repeated.bound * (t + HISTORY_EVENTS.other) + (repeated.bound - 1) * 2 * HISTORY_EVENTS.other) as Counts);
        const check = states[repeated.check];
        return ((check.Choices as State[]) ?? []).map((c) => c.Next as string).filter((x) => states[x] !== undefined);
      }
      ownOf.set(name, own(st));
      const out: string[] = [];
      if (typeof st.Next === "string") out.push(st.Next);
      for (const c of (st.Choices as State[] | undefined) ?? []) out.push(c.Next as string);
      if (typeof st.Default === "string") out.push(st.Default);
      for (const c of (st.Catch as State[] | undefined) ?? []) out.push(c.Next as string);
      return out.filter((x) => states[x] !== undefined);
    };
    // Depth first with an explicit stack: a state is summed once all its successors are.
    const stack: Array<{ name: string; succ: string[]; i: number }> = [{ name: start, succ: next(start), i: 0 }];
    const onPath = new Set<string>([start]);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i < top.succ.length) {
        const s = top.succ[top.i++];
        if (!memo.has(s) && !onPath.has(s)) {
          onPath.add(s);
          stack.push({ name: s, succ: next(s), i: 0 });
        }
        continue;
      }
      stack.pop();
      onPath.delete(top.name);
      let best = 0;
      let bestWithRetries = 0;
      for (const s of top.succ) {
        const m = memo.get(s);
        best = Math.max(best, m?.[0] ?? 0);
        bestWithRetries = Math.max(bestWithRetries, m?.[1] ?? 0);
      }
      const o = ownOf.get(top.name)!;
      memo.set(top.name, [o[0] + best, o[1] + bestWithRetries]);
    }
    return memo.get(start) ?? [0, 0];
  };
  const [events, withRetries] = longest(def.States, def.StartAt).map((n) => HISTORY_EVENTS.execution + n);
  const loops = (states: States) => {
    for (const st of Object.values(states)) {
      if (pollBound(st) !== undefined || repeatBound(states, st)) pollLoops++;
      for (const b of innerScopes(st)) loops(b.States);
    }
  };
  loops(def.States);
  return { events, withRetries, pollLoops };
}
