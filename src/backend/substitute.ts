/**
 * Templates filled in at deployment: a state machine or pipeline definition written
 * with `${Name}` placeholders that AWS SAM (`DefinitionSubstitutions`), CloudFormation
 * (`${AWS::Partition}`) or Terraform (`templatefile`, a heredoc's `${var.x}`) replaces
 * before the service sees it. `--substitute NAME=VALUE` and `--substitutions FILE`
 * give those values; they are filled in as those tools do, textually, before the file
 * is read, so a placeholder outside a string (`"VolumeSizeInGB": ${var.size}`) works too.
 * Positions the lifter reports in the filled-in text are mapped back to the file as written.
 */
import { readFileSync } from "node:fs";
import { warning, type Diagnostic } from "../diagnostics.js";
import type { Pos } from "../ir/types.js";
import type { Backend, LiftInput, LiftResult } from "./types.js";

/** A placeholder's name: the text between `${` and `}`, without spaces, braces, `$` or `=`. */
const NAME = /^[^\s{}$=]+$/;
/** Every `${...}` in a text (a name not given is left as written). */
const PLACEHOLDER = /\$\{([^{}]*)\}/g;

/** Every distinct placeholder (`${...}`, as written) in a text, in order. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[0]))];
}

/** The values given, each with where it was given (`--substitute`, or the file that holds it). */
export type Substitutions = ReadonlyMap<string, { value: string; from: string }>;

/** The hint beside a message about a placeholder no value was given for. */
export function substitutionHint(placeholder: string): string {
  const name = /^\$\{([^{}]*)\}$/.exec(placeholder)?.[1] ?? placeholder;
  return `give its value with --substitute ${name}=... (or in a --substitutions file)`;
}

/**
 * The options as typed, checked: `--substitutions` first, then each `--substitute`
 * (the command line wins over the file). A problem is a message for a usage error.
 */
export function checkSubstitutions(pairs: readonly string[], file: string | undefined): { values: Substitutions } | { problem: string } {
  const values = new Map<string, { value: string; from: string }>();
  if (file !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ? `cannot be read (${(e as NodeJS.ErrnoException).code})` : "is not JSON";
      return { problem: `--substitutions ${file} ${why}: it must be a JSON object of names and their string values` };
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) return { problem: `--substitutions ${file} must hold a JSON object of names and their string values` };
    for (const [k, v] of Object.entries(json)) {
      if (!NAME.test(k)) return { problem: `--substitutions ${file}: ${JSON.stringify(k)} is not a placeholder name (the text between \${ and }, without spaces, braces, '$' or '=')` };
      if (typeof v !== "string") return { problem: `--substitutions ${file}: the value of ${k} must be a string, not ${JSON.stringify(v)}` };
      values.set(k, { value: v, from: file });
    }
  }
  const onLine = new Map<string, string>();
  for (const p of pairs) {
    const eq = p.indexOf("=");
    const name = eq < 0 ? p : p.slice(0, eq);
    if (eq < 0 || !NAME.test(name)) return { problem: `--substitute must be NAME=VALUE, NAME the text between \${ and } (no spaces, braces, '$' or '='), not ${JSON.stringify(p)}` };
    const value = p.slice(eq + 1);
    const before = onLine.get(name);
    if (before !== undefined && before !== value) return { problem: `--substitute gives ${name} twice, as ${JSON.stringify(before)} and ${JSON.stringify(value)}` };
    onLine.set(name, value);
    values.set(name, { value, from: "--substitute" });
  }
  return { values };
}

/** A filled-in text, the names it used, and the way back to positions in the text as written. */
export interface Filled {
  text: string;
  used: Set<string>;
  /** A position in the filled-in text as a position in the original (inside a value: the placeholder's start). */
  original(pos: Pos): Pos;
}

/** Offsets of the starts of lines (after each `\n`), as the JSON and YAML readers count lines. */
function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) out.push(i + 1);
  return out;
}

/** Replace every `${NAME}` whose NAME is given, as SAM and Terraform do: in the text, wherever it stands. */
export function fillIn(text: string, values: Substitutions): Filled {
  const used = new Set<string>();
  /** Each replacement: where the placeholder was, and where its value is. */
  const spans: Array<{ from: number; to: number; newFrom: number; newTo: number }> = [];
  let out = "";
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const given = values.get(m[1]);
    if (!given) continue;
    used.add(m[1]);
    out += text.slice(last, m.index);
    spans.push({ from: m.index, to: m.index + m[0].length, newFrom: out.length, newTo: out.length + given.value.length });
    out += given.value;
    last = m.index + m[0].length;
  }
  out += text.slice(last);
  const newLines = lineStarts(out);
  const oldLines = lineStarts(text);
  const original = (pos: Pos): Pos => {
    if (!spans.length) return pos;
    const at = (newLines[pos.line - 1] ?? out.length) + pos.col - 1;
    let old = at;
    for (const s of spans) {
      if (s.newFrom > at) break;
      old = at < s.newTo ? s.from : at - s.newTo + s.to;
    }
    let line = 0;
    while (line + 1 < oldLines.length && oldLines[line + 1] <= old) line++;
    return { ...pos, line: line + 1, col: old - oldLines[line] + 1 };
  };
  return { text: out, used, original };
}

/**
 * Every position of `file` in a lift's result (its diagnostics and the pipeline's
 * nodes) moved back to the text as written. The result is the lifter's own, so it
 * is changed in place; an object reached twice is moved once.
 */
export function mapPositions<T>(result: T, file: string, filled: Filled): T {
  const seen = new WeakSet<object>();
  const walk = (x: unknown): void => {
    if (x === null || typeof x !== "object" || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) return x.forEach(walk);
    const o = x as Record<string, unknown>;
    if (o.file === file && typeof o.line === "number" && typeof o.col === "number") {
      const p = filled.original(o as unknown as Pos);
      o.line = p.line;
      o.col = p.col;
      return;
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk(result);
  return result;
}

/** A backend's lift of the filled-in text, every position in it a position in the file as written. */
export function liftFilledIn(backend: Backend, input: LiftInput, filled: Filled): LiftResult {
  return mapPositions(backend.lift!({ ...input, text: filled.text }), input.file, filled);
}

/** The names given that a file never uses: each a warning (a misspelt name, most likely). */
export function unusedSubstitutions(values: Substitutions, used: ReadonlySet<string>, at: Pos | undefined, files: string): Diagnostic[] {
  return [...values]
    .filter(([name]) => !used.has(name))
    .map(([name, { from }]) => warning(at, `${name} is given (${from}) but ${files} never uses \${${name}}: it is not applied`, { code: "lift-substitute-unused", hint: "check the name's spelling against the file's placeholders" }));
}
