/**
 * What a neutral step kind does not model (output locations, profiler
 * settings, extra containers, SDK defaults the service relies on...) is kept
 * as the step's `targets.sagemaker` settings: the original `Arguments` members
 * that lowering the neutral step would write differently. Objects are compared
 * member by member; anything else (lists included) is kept whole.
 */
import { isDeepStrictEqual } from "node:util";
import { toPlain, type Py } from "../pyjson.js";
import { withoutDefaults } from "../../../src/aws/api-defaults.js";

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === "object" && !Array.isArray(x);

/**
 * The same value with every Std:Join spelled as lowering spells it (`On` "",
 * separators and literals merged into the values), so `On: " "` and its
 * spelled-out form compare equal.
 */
export function normaliseJoins(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(normaliseJoins);
  if (!isObj(x)) return x;
  const j = x["Std:Join"];
  if (Object.keys(x).length === 1 && isObj(j) && Array.isArray(j.Values)) {
    const on = typeof j.On === "string" ? j.On : "";
    const values: unknown[] = [];
    j.Values.forEach((v, i) => {
      const n = normaliseJoins(v);
      // A join inside a join is the same text: splice its values in.
      const inner = isObj(n) && isObj(n["Std:Join"]) ? (n["Std:Join"].Values as unknown[]) : [n];
      const parts = i > 0 && on ? [on, ...inner] : inner;
      for (const p of parts) {
        const lit = p === null || typeof p !== "object" ? String(p) : undefined;
        const last = values[values.length - 1];
        if (lit !== undefined && typeof last === "string") values[values.length - 1] = last + lit;
        else values.push(lit ?? p);
      }
    });
    // A join of one string, or of one property (a string already), is that value.
    if (values.length === 1 && (typeof values[0] === "string" || (isObj(values[0]) && "Get" in values[0]))) return values[0];
    if (values.length === 0) return "";
    return { "Std:Join": { On: "", Values: values } };
  }
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, normaliseJoins(v)]));
}

export function residual(original: unknown, generated: unknown): unknown {
  // Spelled otherwise but asking the same (a join's separators, a member left to its API default): nothing to keep.
  if (isDeepStrictEqual(withoutDefaults(normaliseJoins(original)), withoutDefaults(normaliseJoins(generated)))) return undefined;
  if (!isObj(original) || !isObj(generated)) return original;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(original)) {
    const r = k in generated ? residual(v, generated[k]) : v;
    if (r !== undefined) out[k] = r;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Each SageMaker step with its JSON pointer (under `at`), nested ones included. */
export function eachStep(steps: unknown, at: string, visit: (s: Record<string, unknown>, ptr: string) => void): void {
  if (!Array.isArray(steps)) return;
  steps.forEach((s, i) => {
    if (!isObj(s)) return;
    visit(s, `${at}/${i}`);
    const a = s.Arguments;
    if (s.Type === "Condition" && isObj(a)) {
      eachStep(a.IfSteps, `${at}/${i}/Arguments/IfSteps`, visit);
      eachStep(a.ElseSteps, `${at}/${i}/Arguments/ElseSteps`, visit);
    }
  });
}

/** SageMaker steps by name, nested ones included. */
export function stepsByName(steps: unknown[]): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  eachStep(steps, "", (s) => out.set(String(s.Name), s));
  return out;
}

export const plain = (x: Py): unknown => toPlain(x);
