/**
 * What a DAG's generated text uses, read in one pass over the text each (a
 * 10,000-task DAG's text is tens of megabytes: a search per name took most
 * of a second).
 */

import type { Py } from "./python/node.js";
import { pyString } from "./python/literal.js";

const MACRO_CALL = /\b(sy_[A-Za-z0-9_]*)\(/g;

/**
 * Where in Python nodes what a DAG uses can show, without printing them (a
 * 10,000-task DAG's arguments print as 18 MB): the texts that hold Jinja,
 * the texts that could name a helper (both as the literals they print as),
 * and the code around them, one piece a line (call names with their
 * parenthesis, argument names, code pieces), string literals left out; each
 * distinct piece once.
 */
export function usedParts(nodes: Iterable<Py>): { jinja: string; words: string; code: string } {
  // Sets: the same call names, argument names and texts recur in every task, and each is read once.
  const jinja = new Set<string>();
  const words = new Set<string>();
  const code = new Set<string>();
  // Call and argument names kept bare: the same names recur in every task, and a text made per use to be looked up is garbage.
  const calls = new Set<string>();
  const names = new Set<string>();
  // Texts already looked at: most string nodes repeat a text met before (a 10,000-task DAG's hold 30,000 texts in 900,000 nodes).
  const read = new Set<string>();
  const walk = (n: Py): void => {
    switch (n.t) {
      case "str":
        if (read.has(n.v)) return;
        read.add(n.v);
        if (n.v.includes("{{")) jinja.add(n.v);
        else if (n.v.includes("sy_") || n.v.includes("Sy")) words.add(n.v);
        return;
      case "list":
      case "tuple":
        for (const x of n.items) walk(x);
        return;
      case "dict":
        for (const [k, v] of n.entries) {
          walk(k);
          walk(v);
        }
        return;
      case "call":
        calls.add(n.fn);
        for (const x of n.args) walk(x);
        for (const [k, v] of n.kwargs) {
          names.add(k);
          walk(v);
        }
        return;
      case "expr":
        for (const x of n.parts) {
          if (typeof x === "string") code.add(x);
          else walk(x);
        }
        return;
      default:
        return;
    }
  };
  for (const n of nodes) walk(n);
  const literals = (texts: Set<string>) => Array.from(texts, pyString).join("\n");
  const codeText = [...Array.from(calls, (f) => f + "("), ...Array.from(names, (k) => k + "="), ...code].join("\n");
  return { jinja: literals(jinja), words: literals(words), code: codeText };
}

/** The `sy_` functions called inside Jinja expressions: after a `{{`, before the next `}`. */
export function macrosCalled(jinjaText: string): Set<string> {
  const out = new Set<string>();
  // Each run from a `{{` to the next `}` holds every later `{{` before that `}`.
  for (const run of jinjaText.matchAll(/\{\{[^}]*/g)) for (const m of run[0].matchAll(MACRO_CALL)) out.add(m[1]);
  return out;
}

/** The helper module's names (`sy_...`, `Sy...`) the texts name as whole words. */
export function helperWords(...texts: string[]): Set<string> {
  const out = new Set<string>();
  for (const text of texts) for (const m of text.matchAll(/\b(?:sy_|Sy)[A-Za-z0-9_]*/g)) out.add(m[0]);
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The names and modules (`json.` ...) of `names` and `modules` the Python code
 * uses outside string literals (a script's text or a message that names them
 * imports nothing). A literal never spans lines, so texts of whole lines are
 * read apart as they would be joined, and so is each line: only the lines
 * where a name appears at all are read for their literals (a scan of every
 * literal of a 10,000-task DAG made a match for each).
 */
export function codeNames(texts: readonly string[], names: readonly string[], modules: readonly string[]): { names: Set<string>; modules: Set<string> } {
  const words = `\\b(${names.map(escape).join("|")})\\b|\\b(${modules.map(escape).join("|")})\\.`;
  const candidate = new RegExp(words, "g");
  const full = new RegExp(`"(?:[^"\\\\\\n]|\\\\.)*"|'(?:[^'\\\\\\n]|\\\\.)*'|${words}`, "g");
  const out = { names: new Set<string>(), modules: new Set<string>() };
  const all = names.length + modules.length;
  for (const text of texts) {
    let readTo = -1;
    for (const c of text.matchAll(candidate)) {
      if (out.names.size + out.modules.size === all) return out;
      if (c.index < readTo || (c[1] !== undefined ? out.names.has(c[1]) : out.modules.has(c[2]))) continue;
      // The line around it, read as the whole text would be.
      const from = text.lastIndexOf("\n", c.index) + 1;
      const nl = text.indexOf("\n", c.index);
      readTo = nl < 0 ? text.length : nl;
      for (const m of text.slice(from, readTo).matchAll(full)) {
        if (m[1] !== undefined) out.names.add(m[1]);
        else if (m[2] !== undefined) out.modules.add(m[2]);
      }
    }
  }
  return out;
}
