/**
 * Failures let pass (`on_failure: { ends: continues }`): the run goes on after
 * the step as if it had succeeded, so nothing may read what only a successful
 * run of it makes (its outputs, response, model, reports): those would be
 * missing exactly when the failure was let pass.
 */
import { error, type Diagnostic } from "../../diagnostics.js";
import { printRef } from "../expr/print.js";
import type { Pipeline, Step, Value } from "../types.js";
import { walkStepValues, walkValue } from "../walk.js";

/** What a step's name gives is known before it runs; everything else comes from its run. */
const KNOWN_BEFORE = new Set(["name", "job_name"]);

export function checkLetPass(p: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  const passing = new Set<string>();
  for (const s of p.steps) {
    for (const h of s.on_failure ?? []) {
      if (h.ends !== "continues") continue;
      if (h.steps.length) out.push(error(h.pos, `step '${s.id}': a failure handler with 'ends: continues' lets the failure pass and runs no steps`, { code: "on-failure-continues", hint: "give the steps to a handler of their own, or remove 'ends: continues'" }));
      else if (s.kind === "fail" || s.kind === "condition") out.push(error(h.pos, `step '${s.id}': a ${s.kind} step's failure cannot be let pass (${s.kind === "fail" ? "failing is all it does" : "it decides which steps run"})`, { code: "on-failure-continues" }));
      else passing.add(s.id);
    }
  }
  if (!passing.size) return out;
  readsOfMade(p.steps, passing, (s, n) => {
    out.push(error(n.pos, `step '${s.id}' reads ${printRef(n.ref)}, which step '${n.ref.step}' does not make when its failure is let pass (on_failure ends: continues)`, { code: "on-failure-continues", hint: `let the failure of '${n.ref.step}' fail the run, or read nothing it makes` }));
  });
  return out;
}

/** Each read, by a step, of what one of the `made` steps makes when it runs (not its name or job name). */
export function readsOfMade(steps: readonly Step[], made: ReadonlySet<string>, each: (s: Step, n: Extract<Value, { kind: "ref" }> & { ref: { scope: "steps" } }) => void): void {
  for (const s of steps) {
    walkStepValues(s, (v) =>
      walkValue(v, (n) => {
        if (n.kind === "ref" && n.ref.scope === "steps" && made.has(n.ref.step) && !KNOWN_BEFORE.has(n.ref.attr)) each(s, n as never);
      }),
    );
  }
}
