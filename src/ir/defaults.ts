/** A step's effective settings: its own, else the pipeline's defaults, where the kind allows. */
import { KINDS } from "./kinds.js";
import { REPEAT_LIMIT_ERROR, type Instance, type Pipeline, type Repeat, type RetryPolicy, type Step } from "./types.js";

/** The step's retry rules, in order, or undefined for none. */
export function effectiveRetry(p: Pipeline, s: Step): RetryPolicy[] | undefined {
  if (!KINDS[s.kind].retry) return undefined;
  return s.retry ?? p.defaults.retry;
}

export function effectiveTimeout(p: Pipeline, s: Step): number | undefined {
  if (!KINDS[s.kind].timeout) return undefined;
  return s.timeout ?? p.defaults.timeout;
}

/**
 * The most calls a repeated step makes: as many as fit in its timeout with the
 * waits between them (the first call at once); undefined without a timeout.
 */
export function repeatCalls(interval: number | undefined, timeout: number | undefined): number | undefined {
  return timeout === undefined || interval === undefined ? undefined : Math.max(1, Math.ceil(timeout / interval));
}

/** How a repeated step whose condition never holds ends: after `calls` calls, failing with `error` and `message`. */
export interface RepeatEnd {
  calls: number;
  error: string;
  message: string;
  /** The timeout ends it (States.Timeout) before max_calls would. */
  timedOut: boolean;
}

/**
 * The first bound a repeated step reaches, `max_calls` or the calls its timeout (whole seconds) lets it make
 * `interval` apart (none when the interval is read at run time); undefined when it has neither.
 */
export function repeatEnd(s: { id: string; repeat?: Repeat }, interval: number | undefined, timeout: number | undefined): RepeatEnd | undefined {
  const r = s.repeat!;
  const byTime = repeatCalls(interval, timeout);
  if (r.max_calls !== undefined && (byTime === undefined || r.max_calls <= byTime)) {
    return { calls: r.max_calls, error: r.error ?? REPEAT_LIMIT_ERROR, message: r.message ?? `step '${s.id}': the condition did not hold after ${r.max_calls} calls`, timedOut: false };
  }
  if (byTime === undefined) return undefined;
  return { calls: byTime, error: "States.Timeout", message: `step '${s.id}': the condition did not hold after ${byTime} calls (timeout ${timeout}s)`, timedOut: true };
}

/** Pipeline tags overlaid by the step's, keys sorted. */
export function effectiveTags(p: Pipeline, s: Step): Record<string, string> {
  const merged = { ...(p.defaults.tags ?? {}), ...s.tags };
  return Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]]));
}

export function effectiveInstance(p: Pipeline, s: Step): Instance | undefined {
  if (!KINDS[s.kind].instance) return undefined;
  const own = "instance" in s ? (s as { instance?: Instance }).instance : undefined;
  return own ?? p.defaults.instance;
}
