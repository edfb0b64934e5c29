/**
 * A repeated call (`repeat: { until, interval }` on an aws or lambda step) as a polling loop: the Task,
 * a Choice on the condition, a Wait of the interval back to the Task. With
 * `max_calls`, or a timeout (which bounds all the calls together), a counter in
 * `$.polls` ends the loop after that many calls (or as many as fit, their waits
 * within the timeout) with the repeat's error (or States.Timeout). A Wait state takes whole seconds: an interval with a
 * fraction is waited rounded up, with a warning.
 */
import { error, warning } from "../../src/diagnostics.js";
import { printExpr } from "../../src/ir/expr/print.js";
import { effectiveTimeout, repeatEnd } from "../../src/ir/defaults.js";
import type { StepOf } from "../../src/ir/types.js";
import type { State } from "./asl.js";
import { choiceRule } from "./choice.js";
import { member } from "./intrinsics.js";
import { copyName, OWN_FAIL, stateName } from "./names.js";
import type { EmitCtx } from "./tasks.js";
import { waitSeconds, type WaitSeconds } from "./wait-seconds.js";

/** Where a repeated call's counter lives in the state data: `$.polls.<step>`, one loop at a time. */
export const POLLS = "$.polls";

export interface Loop {
  /** Where the step starts (the counter's reset, or the Task itself). */
  entry: string;
  /** Where the Task goes after each call. */
  after: string;
}

/** The loop's states around the Task `task`; `next` is where the step goes once the condition holds. */
export function repeatLoop(ctx: EmitCtx, s: StepOf<"aws"> | StepOf<"lambda">, index: number | undefined, task: string, next: string | undefined): Loop {
  const r = s.repeat!;
  const n = (suffix: string) => stateName(copyName(s.id, index), suffix);
  let done = next;
  if (done === undefined) {
    done = n(".done");
    ctx.put(done, { Type: "Succeed" });
  }
  const rule = choiceRule(ctx, r.until) ?? { Variable: "$", IsPresent: true };
  // In whole seconds, as the Task's TimeoutSeconds has it: the calls counted and the message agree with it.
  const given = effectiveTimeout(ctx.p, s);
  const timeout = given === undefined ? undefined : Math.max(1, Math.ceil(given));
  const polls = `${POLLS}${member(s.id)}`;
  const { wait, compute, seconds } = intervalWait(ctx, s, timeout);
  const choices: State[] = [{ ...rule, Next: done }];
  // The first bound reached: max_calls (its own error) or the calls that fit in the timeout (States.Timeout).
  const end = repeatEnd(s, seconds, timeout);
  if (end !== undefined) {
    const fail = n(end.timedOut ? OWN_FAIL.timeout : OWN_FAIL.limit);
    choices.push({ Variable: polls, NumericGreaterThanEquals: end.calls, Next: fail });
    ctx.put(fail, { Type: "Fail", Error: end.error, Cause: end.message });
    // `$.polls` holds the counter of the loop running now (a Pass cannot write a bare number below a key).
    ctx.put(n(".polls"), { Type: "Pass", Result: { [s.id]: 1 }, ResultPath: POLLS, Next: task });
    ctx.put(n(".count"), { Type: "Pass", Parameters: { [`${s.id}.$`]: `States.MathAdd(${polls}, 1)` }, ResultPath: POLLS, Next: task });
  }
  ctx.put(n(".until"), { Type: "Choice", Choices: choices, Default: n(".wait") });
  ctx.put(n(".wait"), { ...wait, Next: end !== undefined ? n(".count") : task });
  const entry = end !== undefined ? n(".polls") : task;
  // An interval read from the data that needs computing is computed once, before the first call.
  if (compute) ctx.put(n(".seconds"), { ...compute, Next: entry });
  return { entry: compute ? n(".seconds") : entry, after: n(".until") };
}

/**
 * The loop's Wait: a fixed interval in whole seconds (rounded up, with a warning), or one read from the
 * data. A timeout bounds the calls by counting them an interval apart, so it needs a fixed interval.
 */
function intervalWait(ctx: EmitCtx, s: StepOf<"aws"> | StepOf<"lambda">, timeout: number | undefined): WaitSeconds & { seconds?: number } {
  const r = s.repeat!;
  if (typeof r.interval !== "number") {
    if (timeout !== undefined) {
      ctx.diags.push(
        error(r.pos, `step '${s.id}': its timeout of ${timeout}s bounds its calls by counting them 'repeat.interval' apart, and this interval is read at run time (${printExpr(r.interval)})`, {
          code: "stepfunctions-repeat-interval",
          hint: "bound the calls with repeat.max_calls instead of a timeout, or give a fixed interval",
        }),
      );
    }
    return waitSeconds(ctx, s.id, r.interval);
  }
  const seconds = Math.ceil(r.interval);
  if (seconds !== r.interval) {
    ctx.diags.push(warning(r.pos, `step '${s.id}': 'repeat.interval' of ${r.interval}s is waited as ${seconds}s: a Wait state takes whole seconds`, { code: "stepfunctions-repeat-interval" }));
  }
  return { wait: { Type: "Wait", Seconds: seconds }, seconds };
}
