/**
 * How deep JSON text nests, measured before it is parsed: readers walk what
 * they parse recursively, so text nested past the reader's bound is refused at
 * the bracket that crosses it rather than crashing the process.
 */
import { error, type Diagnostic } from "../diagnostics.js";
import { INPUT_LIMITS } from "./limits.js";

/** The offset of the first `[` or `{` (outside strings) past `max` levels, or undefined. */
export function tooDeepAt(text: string, max: number = INPUT_LIMITS.maxDepth): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return undefined;
}

/** The error for JSON text that nests too deep, at its place; undefined when it does not. */
export function jsonDepthError(text: string, file: string): Diagnostic | undefined {
  const at = tooDeepAt(text);
  if (at === undefined) return undefined;
  const before = text.slice(0, at);
  const line = before.split("\n").length;
  const col = at - before.lastIndexOf("\n");
  return error({ file, line, col }, `the file nests deeper than ${INPUT_LIMITS.maxDepth} levels`, { code: "input-too-deep" });
}
