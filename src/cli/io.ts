/** Terminal output and atomic file writes for the CLI. */
import { statSync } from "node:fs";
import pc from "picocolors";
import { groupAlike } from "../diagnostic-groups.js";
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from "../diagnostics.js";

/** Colours only on a terminal, and never with NO_COLOR. */
export function useColor(stream: NodeJS.WriteStream): boolean {
  if ("NO_COLOR" in process.env && process.env.NO_COLOR !== "") return false;
  return Boolean(stream.isTTY);
}

export function colorizer(enabled: boolean) {
  const c = pc.createColors(enabled);
  return (kind: "error" | "warning" | "hint" | "loc", s: string) =>
    kind === "error" ? c.bold(c.red(s)) : kind === "warning" ? c.bold(c.yellow(s)) : kind === "hint" ? c.cyan(s) : c.bold(s);
}

export function printDiagnostics(diags: readonly Diagnostic[]): void {
  const color = colorizer(useColor(process.stderr));
  for (const d of groupAlike(sortDiagnostics(diags))) process.stderr.write(formatDiagnostic(d, { color }) + "\n");
}

export { OutputError, writeFilesAtomically, type PendingFile } from "./write-files.js";

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** `--out <dir>` must be a folder or not exist yet. */
export function checkOutDir(dir: string): void {
  if (isFile(dir)) throw new UsageError(`--out '${dir}' is a file; give a folder (it is created if missing)`);
}

/** A user error that was already reported: exit 1. */
export class Reported extends Error {
  constructor() {
    super("reported");
  }
}

/** A usage error: exit 2. */
export class UsageError extends Error {}

