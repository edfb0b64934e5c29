/** A step's effective settings: its own, else the pipeline's defaults, where the kind allows. */
import { KINDS } from "./kinds.js";
import type { Instance, Pipeline, RetryPolicy, Step } from "./types.js";

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
export function repeatCalls(interval: number, timeout: number | undefined): number | undefined {
  return timeout === undefined ? undefined : Math.max(1, Math.ceil(timeout / interval));
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
