/**
 * The JSONata Pass state Switchyard puts after the parameter states (logical-date.ts) when the
 * machine reads values worked out as it starts: dates some days from the run's date
 * (`_logical_date_minus_6`) and the run's input with fallbacks (`_input_or_<digest>`). Read back
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
import { inputDefault } from "../input-defaults.js";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);

const HEAD = '{"params": $merge([$states.input.params, {';
const TAIL = "}])}])) %}";
const KEY = /"(_logical_date_(?:minus|plus)_\d+|_input_or_[0-9a-f]{8})": /g;
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
 * The values the state works out, by key, when it is the state the lowering writes for them
 * (its name checked by the caller); undefined for any other state.
 */
export function readRunValues(st: unknown): Map<string, RunValue> | undefined {
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
    const d = DEFAULT.exec(text);
    const fb = d && fallback(d[2]);
    if (!d || !fb) return undefined;
    const path = segments(d[1]);
    const value: RunValue = (p) => ({ kind: "call", fn: "default", args: [{ kind: "ref", ref: { scope: "execution", name: "input", path }, pos: p }, fb(p)], pos: p });
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
