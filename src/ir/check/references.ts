/** Every reference points at something that exists and that its step exposes. */
import { error, type Diagnostic } from "../../diagnostics.js";
import { didYouMean } from "../../util/suggest.js";
import { printPath, printRef } from "../expr/print.js";
import { selectPath } from "../foreach.js";
import { KINDS, stepOutputs } from "../kinds.js";
import type { Pipeline, Step, Value } from "../types.js";
import { walkStepValues, walkValue } from "../walk.js";
import { handlerSteps, mapsAround } from "../graph.js";

/** The fields of the error a failure handler reads: Step Functions' Catch output. */
export const FAILURE_FIELDS = ["Error", "Cause"];

export function checkReferences(p: Pipeline): Diagnostic[] {
  const out: Diagnostic[] = [];
  const params = new Set(p.parameters.map((x) => x.name));
  const steps = new Map(p.steps.map((s) => [s.id, s]));
  // A map's steps read its current item at run time.
  const inMap = mapsAround(p);
  // The steps some failure handler runs: they read the error that ran it.
  const handlers = new Set(p.steps.flatMap(handlerSteps));

  const checkValue = (v: Value, owner: Step, field: string) => {
    walkValue(v, (n) => {
      if (n.kind !== "ref") return;
      const r = n.ref;
      // The reference as written is made only for a message (most references have none).
      if (r.scope === "params" && !params.has(r.name)) {
        out.push(error(n.pos, `unknown parameter '${r.name}' in ${printRef(r)}${didYouMean(r.name, params)}`, { code: "ref-missing-param" }));
      } else if (r.scope === "failure") {
        if (!handlers.has(owner.id)) {
          out.push(error(n.pos, `${printRef(r)} is only available in a failure handler's steps (those a step's 'on_failure' names)`, { code: "ref-failure-outside-handler" }));
        } else if (r.path.length > 1 || (r.path.length === 1 && !FAILURE_FIELDS.includes(r.path[0] as string))) {
          out.push(error(n.pos, `${printRef(r)}: a failure has only 'Error' (its name) and 'Cause' (its message)`, { code: "ref-failure-field" }));
        }
      } else if (r.scope === "iteration") {
        if (!inMap.has(owner.id) && !(owner.kind === "map" && field === "result")) out.push(error(n.pos, `${printRef(r)} is only available in a map's steps`, { code: "ref-item-outside-foreach" }));
      } else if (r.scope === "task") {
        if (owner.kind !== "aws" || !owner.callback || !field.startsWith("request")) {
          out.push(error(n.pos, `${printRef(r)} is only available in the request of an aws step with 'callback: true' (what the party that answers sends back)`, { code: "ref-task-token" }));
        }
      } else if (r.scope === "item") {
        if ((inMap.has(owner.id) && !owner.foreach) || (owner.kind === "map" && (field === "result" || field === "batch.each"))) {
          /* the map's current item: known at run time */
        } else if (!owner.foreach || field.startsWith("foreach")) {
          out.push(error(n.pos, `${printRef(r)} is only available in a step with 'foreach' or in a map's steps`, { code: "ref-item-outside-foreach" }));
        } else {
          const missing = owner.foreach.items.findIndex((it) => selectPath(it, r.path) === undefined);
          if (missing >= 0) {
            out.push(error(n.pos, `foreach item ${missing + 1} of step '${owner.id}' has no ${printPath(r.path).replace(/^\./, "")}`, { code: "ref-item-missing" }));
          }
        }
      } else if (r.scope === "steps") {
        const target = steps.get(r.step);
        if (!target) {
          out.push(error(n.pos, `unknown step '${r.step}' in ${printRef(r)}${didYouMean(r.step, steps.keys())}`, { code: "ref-missing-step" }));
          return;
        }
        // A polling loop's condition reads the call it just made.
        if (r.step === owner.id && field === "repeat.until" && (r.attr === "response" || r.attr === "outputs")) {
          /* its own response: checked below like any other */
        } else if (r.step === owner.id) {
          out.push(error(n.pos, `step '${owner.id}' refers to itself in ${printRef(r)}`, { code: "ref-self" }));
          return;
        }
        // Each item is reshaped as the map starts, before any iteration has run its steps.
        if (owner.kind === "map" && field === "batch.each" && inMap.get(r.step)?.includes(owner.id)) {
          out.push(error(n.pos, `${printRef(r)} is read in map '${owner.id}''s batch.each, which reshapes each item before any iteration runs step '${r.step}'`, { code: "ref-item-outside-foreach" }));
          return;
        }
        const attrs = KINDS[target.kind].attrs;
        if (!attrs.includes(r.attr)) {
          out.push(
            error(n.pos, `a ${target.kind} step has no '${r.attr}': ${printRef(r)}`, {
              code: "ref-missing-attr",
              hint: attrs.length ? `step '${r.step}' exposes ${attrs.map((a) => `'${a}'`).join(", ")}` : `step '${r.step}' exposes nothing`,
            }),
          );
          return;
        }
        if (r.attr === "outputs") {
          const outs = stepOutputs(target);
          if (!(r.name in outs)) {
            const names = Object.keys(outs);
            const suggestion = didYouMean(r.name, names);
            // Without a near name, the outputs there are (or that there are none) say what can be read.
            const hint = suggestion ? undefined : names.length ? `step '${r.step}' declares ${names.map((x) => `'${x}'`).join(", ")}` : `step '${r.step}' declares no outputs`;
            out.push(error(n.pos, `step '${r.step}' has no output '${r.name}'${suggestion}`, { code: "ref-missing-output", ...(hint ? { hint } : {}) }));
          }
        } else if (r.attr === "item" && !inMap.get(owner.id)?.includes(r.step)) {
          out.push(error(n.pos, `${printRef(r)} is the current item of map '${r.step}', read only in its steps`, { code: "ref-item-outside-foreach", hint: inMap.has(owner.id) ? `step '${owner.id}' runs in map '${inMap.get(owner.id)![0]}', whose item is \${{ item }}` : undefined }));
        } else if (r.attr === "results" && target.kind === "map" && target.results_to) {
          out.push(error(n.pos, `map '${r.step}' writes its results to S3 ('results_to'), so ${printRef(r)} is nothing in the run`, { code: "ref-missing-output", hint: "read the objects it writes under its results_to prefix, or drop results_to" }));
        } else if (r.attr === "results" && target.kind === "map" && !target.result) {
          out.push(error(n.pos, `map '${r.step}' has no 'result', so ${printRef(r)} is nothing`, { code: "ref-missing-output", hint: `give the map 'result: \${{ ... }}', what each iteration gives back (e.g. a step's response)` }));
        } else if (r.attr === "reports" && target.kind === "processing" && !(r.report in target.reports)) {
          out.push(error(n.pos, `step '${r.step}' has no report '${r.report}'${didYouMean(r.report, Object.keys(target.reports))}`, { code: "ref-missing-report" }));
        }
      }
    });
  };

  for (const s of p.steps) {
    walkStepValues(s, (v, field) => checkValue(v, s, field));
    for (const d of s.depends_on) {
      if (!steps.has(d)) out.push(error(s.pos, `step '${s.id}' depends on unknown step '${d}'${didYouMean(d, steps.keys())}`, { code: "ref-missing-step" }));
      else if (d === s.id) out.push(error(s.pos, `step '${s.id}' depends on itself`, { code: "ref-self" }));
    }
    if (s.kind === "processing") {
      for (const [name, rep] of Object.entries(s.reports)) {
        if (!(rep.output in s.outputs)) {
          out.push(error(rep.pos, `report '${name}' of step '${s.id}' names output '${rep.output}', which the step does not have${didYouMean(rep.output, Object.keys(s.outputs))}`, { code: "ref-missing-output" }));
        }
      }
    }
  }
  return out;
}
