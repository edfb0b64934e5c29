/**
 * Variables (`variables.<name>`) on Step Functions: a machine has no store of
 * named values, so each variable the pipeline reads becomes an aws step that
 * reads the SSM parameter `/airflow/variables/<name>` (where MWAA's Parameter
 * Store secrets backend keeps Airflow Variables), and every read of it becomes
 * a read of that step's response. The steps that read a variable then depend on
 * its step, so the machine reads it before them; lowering goes on as for any
 * aws step (and lifting gives that step back). A read with a fallback,
 * `default(variables.<name>, ...)`, is worked out as the machine starts instead
 * (input-defaults.ts).
 */
import type { Pipeline, Pos, Step, Value } from "../../src/ir/types.js";
import { mapStepValues } from "../../src/ir/foreach.js";
import { freshStepId } from "../../src/ir/names.js";
import { mapRefs, walkStepValues, walkValue } from "../../src/ir/walk.js";

/** The SSM parameter path a variable is kept under. */
export const VARIABLE_PARAMETER_PREFIX = "/airflow/variables/";

/** GetParameter's request for a variable, as the Parameter Store backend reads it: a SecureString's text, decrypted. */
export function parameterRequest(name: string): { Name: string; WithDecryption: true } {
  return { Name: VARIABLE_PARAMETER_PREFIX + name, WithDecryption: true };
}

/** A state name is at most 80 characters (NAME_RULES). */
const MAX_ID = 80;

/** `default(variables.<name>, ...)`: read as the machine starts, its fallback kept where the parameter is not set (input-defaults.ts). */
const withFallback = (v: Value) => v.kind === "call" && v.fn === "default" && v.args[0]?.kind === "ref" && v.args[0].ref.scope === "variables";

/** The variables `p` reads without a fallback, by name, with where each is first read; in step order. */
function variablesRead(p: Pipeline): Map<string, Pos> {
  const found = new Map<string, Pos>();
  for (const s of p.steps) {
    walkStepValues(s, (v) => {
      // walkValue visits a call before its arguments: the variable a default() reads is skipped.
      const defaulted = new Set<Value>();
      walkValue(v, (n) => {
        if (withFallback(n)) defaulted.add((n as Extract<Value, { kind: "call" }>).args[0]);
        if (n.kind === "ref" && n.ref.scope === "variables" && !defaulted.has(n) && !found.has(n.ref.name)) found.set(n.ref.name, n.pos);
      });
    });
  }
  return found;
}

/** A step with every variable read (without a fallback) replaced by a read of its step's response. */
function replaceReads(s: Step, steps: ReadonlyMap<string, string>): Step {
  return mapStepValues(s, (v) =>
    mapRefs(v, (r) => (r.ref.scope === "variables" ? { kind: "ref", ref: { scope: "steps", step: steps.get(r.ref.name)!, attr: "response", path: ["Parameter", "Value"] }, pos: r.pos } : r), withFallback),
  );
}

/** `p` with the steps that read its variables; `p` itself when it reads none. */
export function withVariableReads(p: Pipeline): Pipeline {
  const read = variablesRead(p);
  if (!read.size) return p;
  const taken = new Set(p.steps.map((s) => s.id));
  const ids = new Map<string, string>();
  const reads: Step[] = [];
  for (const [name, pos] of read) {
    const id = freshStepId(`variable_${name}`, taken, MAX_ID);
    ids.set(name, id);
    const text = (value: string | boolean): Value => ({ kind: "literal", value, type: typeof value === "boolean" ? "boolean" : "string", pos });
    const { Name, WithDecryption } = parameterRequest(name);
    reads.push({
      kind: "aws",
      id,
      service: "ssm",
      action: "GetParameter",
      request: { Name: text(Name), WithDecryption: text(WithDecryption) },
      outputs: {},
      depends_on: [],
      tags: {},
      environment: {},
      targets: {},
      pos,
    });
  }
  return { ...p, steps: [...reads, ...p.steps.map((s) => replaceReads(s, ids))] };
}
