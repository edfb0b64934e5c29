/**
 * A path into JSON written out as text, as get() takes it and reports name
 * their values: `a.b[0]`, `['a b'].c` (keys, indexes from 0, quoted keys).
 */
import type { PathSegment } from "../types.js";
import { printPath } from "./print.js";

/** What printPath's quoting escapes. */
const ESCAPES: Readonly<Record<string, string>> = { n: "\n", r: "\r", t: "\t" };

/** The segments of a path text, or undefined when the text is not one. */
export function parsePathText(text: string): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]/y;
  let i = 0;
  while (i < text.length) {
    // A dot separates segments (never first, last or doubled).
    if (text[i] === ".") {
      if (i === 0 || i === text.length - 1 || text[i + 1] === ".") return undefined;
      i++;
      continue;
    }
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return undefined;
    out.push(m[1] !== undefined ? m[1] : m[2] !== undefined ? Number(m[2]) : m[3].replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c));
    i = re.lastIndex;
  }
  return out.length ? out : undefined;
}

/** A path's text (the inverse of parsePathText). */
export function printPathText(path: PathSegment[]): string {
  return printPath(path).replace(/^\./, "");
}
