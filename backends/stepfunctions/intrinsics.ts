import { innerScopes, type State, type States } from "./asl.js";
import { INTRINSICS_PER_FIELD } from "./gather.js";

/**
 * Text inside intrinsic functions. A string literal there escapes `'`, `{`, `}`
 * (and `\`, which asl-validator rejects and local executors drop), so text with
 * a backslash or a control character is never put there: it is kept as plain
 * JSON under `$.const` and referred to by path instead.
 */

/** Whether `text` can be written as an intrinsic string literal. */
export function inlineSafe(text: string): boolean {
  return !/[\\\u0000-\u001f\u007f]/.test(text);
}

/** `text` as an intrinsic string literal (caller checked `inlineSafe`). */
export function quoteIntrinsic(text: string): string {
  return "'" + text.replace(/['{}]/g, (c) => "\\" + c) + "'";
}

/** Text for a States.Format template (literal parts; `{}` placeholders added by the caller). */
export function escapeFormat(text: string): string {
  return text.replace(/['{}]/g, (c) => "\\" + c);
}

/** A JSONPath member access for a key the IR allows (identifiers, with `-`). */
export function member(key: string | number): string {
  if (typeof key === "number") return `[${key}]`;
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return `.${key}`;
  throw new Error(`not a safe JSONPath key: ${key}`);
}

export function isSafeKey(key: string | number): boolean {
  return typeof key === "number" ? Number.isInteger(key) && key >= 0 : /^[A-Za-z_][A-Za-z0-9_]*$/.test(key);
}

/**
 * A JSONPath member for any key a document may hold: dot notation for
 * identifiers (with `-`), bracket quoting for keys of letters (any script),
 * digits, spaces and `_ . : / -`; undefined for a key that cannot be written safely (quotes,
 * backslashes, brackets, commas, parentheses would break the path or an
 * intrinsic around it).
 */
export function pathMember(key: string | number): string | undefined {
  if (typeof key === "number") return Number.isInteger(key) && key >= 0 ? `[${key}]` : undefined;
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return `.${key}`;
  if (/^[\p{L}\p{N}_ .:/-]+$/u.test(key)) return `['${key}']`;
  return undefined;
}

/** A path of members (see pathMember), or the first segment that cannot be written. */
export function pathOf(segs: Array<string | number>): { path: string } | { bad: string | number } {
  let path = "";
  for (const seg of segs) {
    const m = pathMember(seg);
    if (m === undefined) return { bad: seg };
    path += m;
  }
  return { path };
}

/** How many intrinsic functions a `.$` field's text calls (string literals skipped): Step Functions allows 10 a field. */
export function intrinsicCalls(text: string): number {
  if (!text.startsWith("States.")) return 0;
  let n = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === "'") quoted = false;
    } else if (c === "'") quoted = true;
    else if (c === "S" && text.startsWith("States.", i) && !/[\w.$-]/.test(text[i - 1] ?? "")) n++;
  }
  return n;
}

/** A field that calls more intrinsic functions than one field may: its state, its path in the state, the number of calls. */
export interface Crowded {
  state: string;
  field: string;
  calls: number;
}

/**
 * Whether JSON.stringify's text of some states (indented or not) may hold a field crowdedFields reports: a
 * `.$` key whose text starts "States." and names it more than one field may call. Searching the text of a
 * large machine is much quicker than walking its fields, which is left to where one may be crowded.
 * The text escapes no character of `.$":` or "States.", and a `"` inside a string is escaped: a `.$":` found
 * ends a key, and a text holds "States." at least as often as it calls intrinsic functions.
 */
export function mayBeCrowded(json: string): boolean {
  for (let at = json.indexOf('.$":'); at >= 0; at = json.indexOf('.$":', at + 4)) {
    let from = at + 4;
    if (json.charCodeAt(from) === 32) from++;
    if (!json.startsWith('"States.', from)) continue;
    const end = stringEnd(json, from + 1);
    let calls = 0;
    for (let i = json.indexOf("States.", from); i >= 0 && i < end; i = json.indexOf("States.", i + 7)) calls++;
    if (calls > INTRINSICS_PER_FIELD) return true;
    at = end;
  }
  return false;
}

/** The index of the quote that ends the JSON string whose text starts at `from`. */
function stringEnd(json: string, from: number): number {
  let i = json.indexOf('"', from);
  for (;;) {
    if (i < 0) return json.length;
    let slashes = 0;
    while (json.charCodeAt(i - 1 - slashes) === 92) slashes++;
    if (slashes % 2 === 0) return i;
    i = json.indexOf('"', i + 1);
  }
}

/**
 * Whether a field's text calls more intrinsic functions than one field may. Each call names "States.",
 * so a text naming it no more often than that is within the limit without being read character by character.
 */
export function overCalls(text: string): boolean {
  let named = 0;
  for (let i = text.indexOf("States."); i >= 0 && named <= INTRINSICS_PER_FIELD; i = text.indexOf("States.", i + 7)) named++;
  return named > INTRINSICS_PER_FIELD && intrinsicCalls(text) > INTRINSICS_PER_FIELD;
}

/** The fields of these states (and, `deep`, of the states inside them) that call more intrinsic functions than one field may. */
export function crowdedFields(states: States, out: Crowded[] = [], deep = true): Crowded[] {
  for (const k in states) {
    const st = states[k];
    crowdedIn(k, st, out);
    if (deep) for (const b of innerScopes(st)) crowdedFields(b.States, out);
  }
  return out;
}

/** The fields of one state (not of the states inside it) that call more intrinsic functions than one field may. */
export function crowdedIn(state: string, st: State, out: Crowded[] = []): Crowded[] {
  // The path to a field is written only for a crowded one (every state of a large machine is walked).
  const path: Array<string | number> = [];
  const at = () => path.map((x, i) => (typeof x === "number" ? `[${x}]` : i ? `.${x}` : x)).join("");
  const scan = (v: unknown) => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        scan(v[i]);
        path.pop();
      }
    } else if (v !== null && typeof v === "object") {
      for (const k in v) {
        if (k === "Branches" || k === "ItemProcessor") continue;
        const x = (v as Record<string, unknown>)[k];
        path.push(k);
        if (typeof x === "string") {
          if (k.endsWith(".$") && x.startsWith("States.") && overCalls(x)) out.push({ state, field: at(), calls: intrinsicCalls(x) });
        } else if (x !== null && typeof x === "object") scan(x);
        path.pop();
      }
    }
  };
  scan(st);
  return out;
}
