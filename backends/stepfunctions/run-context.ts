/**
 * The run's own execution context (its id, name, start time, input, the
 * machine's name) in a child execution, which has an Execution of its own:
 * the parent hands the fields under \`run\` and the child's states read them
 * there. Child machines of a split and distributed Maps' children both do.
 */
import type { Json, State, States } from "./asl.js";
import { STARTED_BY_EXECUTION } from "../../src/aws/request-members.js";

/**
 * Execution context a child machine reads from its parent's execution rather
 * than its own: job and model names, S3 locations and times stay those of the
 * one run the user started.
 */
export const RUN_FIELDS: Record<string, string> = { id: "$$.Execution.Id", name: "$$.Execution.Name", start_time: "$$.Execution.StartTime", input: "$$.Execution.Input", pipeline_name: "$$.StateMachine.Name" };

/**
 * In a child, the parent's execution context fields, read from `$.run` (paths and intrinsics; not the ResultSelectors, which read a task's result).
 * Parts without such a read are kept as they are, not copied: a child of a 10,000-step machine is megabytes of them.
 */
export function runFromInput(states: States): States {
  const swap = (v: Json, inPath: boolean): Json => {
    if (typeof v === "string") return inPath && v.includes("$$.") ? v.replace(/\$\$\.(Execution\.(?:Id|Name|StartTime|Input)|StateMachine\.Name)\b/g, (_m, f: string) => `$.run.${RUN_KEY[f]}`) : v;
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) {
      let out: Json[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const x = swap(v[i], inPath);
        if (x !== v[i]) (out ??= v.slice())[i] = x;
      }
      return out ?? v;
    }
    let out: { [k: string]: Json } | undefined;
    for (const k in v) {
      const x = v[k];
      let y: Json;
      if (k === "ResultSelector") y = x;
      else if (k === "Branches") {
        const bs = x as Array<{ StartAt: string; States: States }>;
        let changed = false;
        const mapped = bs.map((b) => {
          const inner = runFromInput(b.States);
          if (inner === b.States) return b;
          changed = true;
          return { ...b, States: inner };
        });
        y = changed ? (mapped as unknown as Json) : x;
      }
      // A distributed Map's states read the run from what it hands them already; their own context is their child execution's.
      else if (k === "ItemProcessor") {
        const proc = x as { ProcessorConfig?: { Mode?: string }; States: States };
        const inner = proc.ProcessorConfig?.Mode === "DISTRIBUTED" ? proc.States : runFromInput(proc.States);
        y = inner === proc.States ? x : ({ ...proc, States: inner } as never);
      }
      // The execution that starts a grandchild is this one.
      else if (k === `${STARTED_BY_EXECUTION}.$`) y = x;
      else y = swap(x, k.endsWith(".$") || k === "Variable" || k.endsWith("Path"));
      if (y !== x) (out ??= { ...v })[k] = y;
    }
    return out ?? v;
  };
  let out: States | undefined;
  for (const k in states) {
    const st = swap(states[k] as unknown as Json, false) as unknown as State;
    if (st !== states[k]) (out ??= { ...states })[k] = st;
  }
  return out ?? states;
}
// The pipeline's name is the parent machine's: a child machine has a name of its own.
export const RUN_KEY: Record<string, string> = { "Execution.Id": "id", "Execution.Name": "name", "Execution.StartTime": "start_time", "Execution.Input": "input", "StateMachine.Name": "pipeline_name" };

/** `from` replaced by `to` in every path and intrinsic of the states (`.$` values, Choice variables, `*Path` fields), inner states included. */
export function swapInPaths(states: States, from: string, to: string): States {
  const swap = (v: Json, inPath: boolean): Json => {
    if (typeof v === "string") return inPath ? v.split(from).join(to) : v;
    if (Array.isArray(v)) return v.map((x) => swap(x, inPath));
    if (v === null || typeof v !== "object") return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x, k.endsWith(".$") || k === "Variable" || k.endsWith("Path"))]));
  };
  return swap(states as Json, false) as States;
}

/** The reverse of runFromInput, for lifting: the run's fields read back as the context paths they stand for. */
export function contextFromRun(states: States): States {
  const back = Object.fromEntries(Object.entries(RUN_KEY).map(([k, v]) => [v, k]));
  const swap = (v: Json, inPath: boolean): Json => {
    if (typeof v === "string") return inPath ? v.replace(/\$\.run\.(id|name|start_time|input|pipeline_name)\b/g, (_m, f: string) => `$$.${back[f]}`) : v;
    if (Array.isArray(v)) return v.map((x) => swap(x, inPath));
    if (v === null || typeof v !== "object") return v;
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) out[k] = k === "ResultSelector" ? x : swap(x, k.endsWith(".$") || k === "Variable" || k.endsWith("Path"));
    return out;
  };
  return Object.fromEntries(Object.entries(states).map(([k, st]) => [k, swap(st as Json, false)])) as States;
}
