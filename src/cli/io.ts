/** Terminal output and atomic file writes for the CLI. */
import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import pc from "picocolors";
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
  for (const d of sortDiagnostics(diags)) process.stderr.write(formatDiagnostic(d, { color }) + "\n");
}

export interface PendingFile {
  path: string;
  contents: string;
}

/**
 * Write every file, or none: each goes to a temporary name beside its target
 * and is renamed into place only after all were written.
 */
export function writeFilesAtomically(files: readonly PendingFile[]): void {
  const temps: Array<{ tmp: string; path: string }> = [];
  for (const f of files) if (isDir(f.path)) throw new OutputError(`cannot write '${f.path}': it is a folder; name a file`);
  try {
    for (const f of files) {
      mkdirSync(dirname(f.path), { recursive: true });
      const tmp = join(dirname(f.path), `.${process.pid}.${temps.length}.tmp`);
      writeFileSync(tmp, f.contents);
      temps.push({ tmp, path: f.path });
    }
    for (const t of temps) renameSync(t.tmp, t.path);
  } catch (e) {
    for (const t of temps) rmSync(t.tmp, { force: true });
    throw new OutputError(writeProblem(e));
  }
}

/** Why an output could not be written, in words, naming the path. */
function writeProblem(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const path = err.path ?? "";
  if (err.code === "ENOTDIR" || (err.code === "EEXIST" && isFile(path))) {
    // Name the part of the path that is a file where a folder is needed.
    for (let p = path; ; p = dirname(p)) {
      if (isFile(p)) return `cannot write '${path}': '${p}' is a file, not a folder`;
      if (dirname(p) === p) break;
    }
  }
  const words: Record<string, string> = { EACCES: "permission denied", EPERM: "permission denied", EISDIR: "it is a folder", ENOSPC: "no space left on the device", EROFS: "read-only file system", ENOTDIR: "a part of the path is a file" };
  return `cannot write '${path}': ${(err.code && words[err.code]) ?? err.message}`;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

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

/** An output that cannot be written where the command line says: exit 2, without the usage hint. */
export class OutputError extends UsageError {}
