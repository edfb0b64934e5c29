/**
 * Diagnostics: every user-facing problem is one of these, printed as
 * `file:line:col: error: message` (gcc style), with an optional hint line.
 */
import type { Pos } from "./ir/types.js";

export type Severity = "error" | "warning";

export interface Diagnostic {
  severity: Severity;
  message: string;
  pos?: Pos;
  hint?: string;
  /** A short stable code for tests and tools, e.g. `ref-missing-step`. */
  code?: string;
}

export function error(pos: Pos | undefined, message: string, opts: { hint?: string; code?: string } = {}): Diagnostic {
  return { severity: "error", message, pos, ...opts };
}

export function warning(pos: Pos | undefined, message: string, opts: { hint?: string; code?: string } = {}): Diagnostic {
  return { severity: "warning", message, pos, ...opts };
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

/** Sort by file, line, column (stable), so output is the same on every run. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return diags
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const pa = a.d.pos;
      const pb = b.d.pos;
      if (pa && pb) {
        if (pa.file !== pb.file) return pa.file < pb.file ? -1 : 1;
        if (pa.line !== pb.line) return pa.line - pb.line;
        if (pa.col !== pb.col) return pa.col - pb.col;
      } else if (pa || pb) return pa ? 1 : -1;
      return a.i - b.i;
    })
    .map((x) => x.d);
}

export interface FormatOptions {
  color?: (kind: "error" | "warning" | "hint" | "loc", s: string) => string;
}

export function formatDiagnostic(d: Diagnostic, opts: FormatOptions = {}): string {
  const c = opts.color ?? ((_k, s) => s);
  const loc = d.pos ? `${d.pos.file}:${d.pos.line}:${d.pos.col}: ` : "switchyard: ";
  // One line per diagnostic: newlines inside a message (from user text) are shown escaped.
  const msg = d.message.replace(/\r?\n/g, "\\n");
  let out = `${c("loc", loc)}${c(d.severity, d.severity + ":")} ${msg}`;
  if (d.hint) out += `\n  ${c("hint", "hint:")} ${d.hint.replace(/\r?\n/g, "\\n")}`;
  return out;
}

/** Thrown by code paths that cannot go on; carries every diagnostic found so far. */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => formatDiagnostic(d)).join("\n"));
  }
}
