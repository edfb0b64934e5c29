/**
 * The expression language's functions, as data: what each takes and gives.
 * The parser, the type check, the printers and each backend's capability
 * table read this one list.
 */
import type { FnName } from "../types.js";

/** Argument and result types, as the type check names them. */
export type FnType = "string" | "integer" | "list" | "boolean" | "any";

export interface FnInfo {
  params: readonly FnType[];
  /**
   * Arguments that may follow the params, in groups of these: `f(a, b, c, d, e)` is `f(f(a, b, c), d, e)`.
   * Only a spelling: the IR holds the nested calls, and the printer writes such a chain this way.
   */
  more?: readonly FnType[];
  result: FnType;
  /** For help, the report and messages. */
  summary: string;
}

/**
 * Not a function of the IR but its join (text with values in it, as a string with `${{ }}` is) written
 * inside an expression: `concat('s3://', params.bucket, '/in')`. The parser reads it as a join, the printer
 * writes a join inside an expression so.
 */
export const CONCAT = "concat";

export const FUNCTIONS: Record<FnName, FnInfo> = {
  exists: { params: ["any"], result: "boolean", summary: "whether the run's input or a step's response has a value at a path" },
  split: { params: ["string", "string"], result: "list", summary: "text cut at each separator (empty parts dropped, as Step Functions does)" },
  item: { params: ["list", "integer"], result: "any", summary: "the item of a list at an index, from 0" },
  length: { params: ["list"], result: "integer", summary: "how many items a list has" },
  uuid: { params: [], result: "string", summary: "a new random UUID, made each time the step runs" },
  json: { params: ["any"], result: "string", summary: "a value as compact JSON text" },
  parse: { params: ["string"], result: "any", summary: "the value JSON text holds" },
  set: { params: ["any", "string", "any"], more: ["string", "any"], result: "any", summary: "a copy of an object with one key set to a value (more keys and values may follow, set in turn)" },
  object: { params: ["string", "any"], result: "any", summary: "an object of one key and its value (set() adds more)" },
  matches: { params: ["string", "string"], result: "boolean", summary: "whether text matches a pattern written out, where * is any text (\\* a star, \\\\ a backslash)" },
  get: { params: ["any", "string"], result: "any", summary: "the part of a computed value at a path written out ('a.b[0]'), such as a field of parse()'s result" },
  add_days: { params: ["string", "integer"], result: "string", summary: "a date written 2024-03-01 moved by a whole number of days (fewer with a negative number), written the same way" },
  default: { params: ["any", "any"], result: "any", summary: "a part of the run's input or a variable, or a fallback where it is not there (a key the run was started without, a variable not set)" },
};

export const FN_NAMES = Object.keys(FUNCTIONS) as FnName[];

export function isFnName(s: string): s is FnName {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, s);
}
