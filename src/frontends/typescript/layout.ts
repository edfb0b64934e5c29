/**
 * Evaluated values -> the positioned tree the YAML front end produces: the
 * pipeline's keys, parameters from params(), and steps as a map by id in
 * source order, each condition's branch steps right after it.
 */
import type { Pos } from "../../ir/types.js";
import type { PMap, PNode, PScalar } from "../pnode.js";
import { EvalError, exprVal, irOf, what, type Val } from "./values.js";

/** Where a refusal that does not stop the evaluation goes. */
export type Report = (e: EvalError) => void;

/** A value as tree data; step handles stand for their ids only where ids are expected. */
export function toNode(v: Val, ids = false): PNode {
  const keyPos = "keyPos" in v && v.keyPos ? { keyPos: v.keyPos } : {};
  switch (v.t) {
    case "map":
      // `on_failure: { steps: [...] }` names steps inside its map.
      return { t: "map", entries: v.entries.map(([k, x]) => [k, toNode(x, ids && k === "steps")]), pos: v.pos, ...keyPos };
    case "seq":
      return { t: "seq", items: v.items.map((x) => toNode(x, ids)), pos: v.pos, ...keyPos };
    case "scalar":
      return v;
    case "step":
      // Where it is used (the property), not where the step was built.
      if (!ids) throw new EvalError(v.keyPos ?? v.pos, `step '${v.id}' cannot be used as a value here (read one of its attributes, such as .name, .model or .outputs.<name>)`);
      return { t: "scalar", value: v.id, pos: v.pos, ...keyPos };
    case "item":
      return { ...(exprVal(irOf(v)) as PScalar), ...keyPos };
    default:
      throw new EvalError(v.pos, `${what(v)} cannot be used as data here`);
  }
}

export function pipelineTree(spec: Val | undefined, pos: Pos, report: Report): PMap {
  if (!spec || spec.t !== "map") throw new EvalError(pos, "pipeline() needs an object literal");
  const entries: Array<[string, PNode]> = [["version", { t: "scalar", value: 1, pos }]];
  let steps: Val | undefined;
  for (const [k, v] of spec.entries) {
    if (k === "steps") steps = v;
    else if (k === "parameters") {
      if (v.t !== "params") throw new EvalError(v.pos, "parameters must be the result of params({...})");
      entries.push(["parameters", { ...toNode(v.spec), keyPos: v.keyPos ?? v.pos } as PNode]);
    } else {
      try {
        entries.push([k === "name" ? "pipeline" : k, toNode(v)]);
      } catch (e) {
        if (!(e instanceof EvalError)) throw e;
        report(e);
      }
    }
  }
  if (steps) entries.push(["steps", stepMap(steps, report)]);
  return { t: "map", entries, pos };
}

/** Steps in source order, each condition's branch steps right after it. */
function stepMap(list: Val, report: Report): PMap {
  const out: Array<[string, PNode]> = [];
  const seen = new Set<Val>();
  const visit = (x: Val) => {
    if (x.t === "seq") {
      for (const y of x.items) visit(y);
      return;
    }
    if (x.t !== "step") throw new EvalError(x.pos, `steps must be step builder calls, not ${what(x)}`);
    // A step listed twice (at the top and in a branch) is the same step.
    if (seen.has(x) || [...seen].some((s) => s.t === "step" && s.id === x.id && s.pos === x.pos)) return;
    seen.add(x);
    const branches: Val[] = [];
    const body: Array<[string, PNode]> = [["type", { t: "scalar", value: x.kind, pos: x.pos }]];
    if (x.foreach) body.push(["foreach", toNode(x.foreach)]);
    for (const [k, v] of x.body) {
      try {
        const members = (x.kind === "condition" && (k === "then" || k === "else")) || (x.kind === "map" && k === "steps");
        if (members && v.t === "seq") branches.push(...v.items);
        body.push([k, toNode(v, k === "depends_on" || k === "on_failure" || members)]);
      } catch (e) {
        if (!(e instanceof EvalError)) throw e;
        report(e);
      }
    }
    out.push([x.id, { t: "map", entries: body, pos: x.pos, keyPos: x.idPos }]);
    for (const b of branches) visit(b);
  };
  visit(list);
  return { t: "map", entries: out, pos: list.pos, ...(list.keyPos ? { keyPos: list.keyPos } : {}) };
}
