/**
 * The JSONata Pass state Switchyard puts after the parameter states (logical-date.ts) when the
 * machine reads values worked out as it starts: dates some days from the run's date
 * (`_logical_date_minus_6`), the run's input and variables with fallbacks (`_input_or_<digest>`,
 * `_variable_or_<digest>`, each variable then read by a Task state of its own). Read back
 * only when writing those values again gives the very same state; each key then stands for its
 * IR value (add_days() or default()), and reads of `$.params.<key>` lift as that value. The date
 * of a schedule with intervals (`_logical_date`) needs the schedule, which the machine does not
 * name: that state stays refused (jsonata.ts).
 */
import { isDeepStrictEqual } from "node:util";
import type { Json } from "../asl.js";
import type { Pos, Value } from "../../../src/ir/types.js";
import { fromJson } from "../../../src/ir/values.js";
import { LOGICAL_DATE_KEY, logicalDateState } from "../logical-date.js";
import { VARIABLE_DEFAULT_PREFIX, VARIABLE_VALUE_KEY, inputDefault, variableState, variableStateName } from "../input-defaults.js";
import { VARIABLE_PARAMETER_PREFIX } from "../variables.js";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);

const HEAD = '{"params": $merge([$states.input.params, {';
const TAIL = "}])}])) %}";
const KEY = /"(_logical_date_(?:minus|plus)_\d+|_input_or_[0-9a-f]{8}|_variable_or_[0-9a-f]{8})": /g;
const INPUT_PATH = "\\$states\\.context\\.Execution\\.Input(?:\\.`[^`]*`|\\[\\d+\\])+";
const DEFAULT = new RegExp(`^\\(\\$exists\\((${INPUT_PATH})\\) \\? \\1 : (.*)\\)$`, "s");

/** A value the state works out, by its key: built at the position of the read. */
export type RunValue = (pos: Pos) => Value;

/** The input path's segments (`.\`a\``, `[0]`). */
function segments(path: string): Array<string | number> {
  return [...path.slice("$states.context.Execution.Input".length).matchAll(/\.`([^`]*)`|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
}

/** The fallback's IR value, or undefined for text the lowering does not write. */
function fallback(text: string): RunValue | undefined {
  if (text === "$date") return (pos) => ({ kind: "ref", ref: { scope: "execution", name: "logical_date" }, pos });
  if (text === "$replace($date, '-', '')") return (pos) => ({ kind: "ref", ref: { scope: "execution", name: "logical_date_nodash" }, pos });
  const param = /^\$states\.input\.params\.`([^`]*)`$/.exec(text);
  if (param) return (pos) => ({ kind: "ref", ref: { scope: "params", name: param[1] }, pos });
  try {
    const data = JSON.parse(text) as Json;
    return (pos) => fromJson(data, pos);
  } catch {
    return undefined;
  }
}

/**
 * The variables read with a fallback after the state, by key: the chain of Task states from `next` that
 * are the very states the lowering writes for them (input-defaults.ts), and where it goes on after them.
 */
export function readVariableReads(states: Record<string, unknown>, next: string): { names: Map<string, string>; states: string[]; next: string } {
  const names = new Map<string, string>();
  const read: string[] = [];
  for (;;) {
    // The key at the end of the state's name, when the name is the one the lowering gives that key's state.
    const key = new RegExp(`${VARIABLE_DEFAULT_PREFIX}[0-9a-f]{8}$`).exec(next)?.[0];
    const st = key && variableStateName(key) === next ? states[next] : undefined;
    const params = isObj(st) && isObj(st.Parameters) ? st.Parameters : undefined;
    const name = typeof params?.Name === "string" && params.Name.startsWith(VARIABLE_PARAMETER_PREFIX) ? params.Name.slice(VARIABLE_PARAMETER_PREFIX.length) : undefined;
    if (!key || name === undefined || !isObj(st) || typeof st.Next !== "string" || !isDeepStrictEqual(st, variableState(name, key, st.Next))) break;
    names.set(key, name);
    read.push(next);
    next = st.Next;
  }
  return { names, states: read, next };
}

/**
 * The values the state works out, by key, when it is the state the lowering writes for them
 * (its name checked by the caller); undefined for any other state. `variables` names the variable
 * each `_variable_or_` key is read from (readVariableReads); a key without one is not the lowering's.
 */
export function readRunValues(st: unknown, variables: ReadonlyMap<string, string> = new Map()): Map<string, RunValue> | undefined {
  if (!isObj(st) || st.Type !== "Pass" || typeof st.Output !== "string" || typeof st.Next !== "string") return undefined;
  const out = st.Output;
  const at = out.indexOf(HEAD);
  if (at < 0 || !out.endsWith(TAIL)) return undefined;
  const entries = out.slice(at + HEAD.length, out.length - TAIL.length);
  if (entries.startsWith(`"${LOGICAL_DATE_KEY}"`)) return undefined;
  const keys = [...entries.matchAll(KEY)];
  if (!keys.length || keys[0].index !== 0) return undefined;
  const values = new Map<string, RunValue>();
  const shifts: number[] = [];
  const defaults: Array<{ key: string; jsonata: string }> = [];
  const pos: Pos = { file: "", line: 1, col: 1 };
  for (const [i, m] of keys.entries()) {
    const key = m[1];
    const end = i + 1 < keys.length ? keys[i + 1].index! - 2 : entries.length;
    const text = entries.slice(m.index! + m[0].length, end);
    const shift = /^_logical_date_(minus|plus)_(\d+)$/.exec(key);
    if (shift) {
      const days = (shift[1] === "minus" ? -1 : 1) * Number(shift[2]);
      shifts.push(days);
      values.set(key, (p) => ({ kind: "call", fn: "add_days", args: [{ kind: "ref", ref: { scope: "execution", name: "logical_date" }, pos: p }, { kind: "literal", value: days, type: "integer", pos: p }], pos: p }));
      continue;
    }
    const name = variables.get(key);
    const seed = key.startsWith(VARIABLE_DEFAULT_PREFIX) ? new RegExp(`^\\{"${VARIABLE_VALUE_KEY}": (.*)\\}$`, "s").exec(text) : undefined;
    const d = seed ? undefined : DEFAULT.exec(text);
    const fb = seed ? fallback(seed[1]) : d && fallback(d[2]);
    if (!fb || (seed && name === undefined) || (!seed && !d)) return undefined;
    const of = (p: Pos): Value => (seed ? { kind: "ref", ref: { scope: "variables", name: name! }, pos: p } : { kind: "ref", ref: { scope: "execution", name: "input", path: segments(d![1]) }, pos: p });
    const value: RunValue = (p) => ({ kind: "call", fn: "default", args: [of(p), fb(p)], pos: p });
    // The key is the lowering's for this very call.
    const again = inputDefault(value(pos));
    if (!again || "reason" in again || again.key !== key) return undefined;
    defaults.push({ key, jsonata: text });
    values.set(key, value);
  }
  if (shifts.some((d, i) => i > 0 && d <= shifts[i - 1]) || defaults.some((d, i) => i > 0 && d.key <= defaults[i - 1].key)) return undefined;
  const expected = logicalDateState({ shifts, defaults }, st.Next);
  return isDeepStrictEqual(st, expected) ? values : undefined;
}
