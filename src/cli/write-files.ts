/**
 * Writing a command's output files all or nothing. Every file is staged under a
 * temporary name beside its place; only when all are staged are they renamed
 * into place, each replaced file first moved aside. If anything fails, what
 * was renamed is put back, staged and created files and folders are removed,
 * and the output folder is as it was before the command.
 */
import { lstatSync, mkdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export interface PendingFile {
  path: string;
  contents: string;
}

/** The file system operations used, replaceable to test failures no test machine can cause on demand (a full disk). */
export interface FileOps {
  /** What is at `path`: undefined when nothing is. */
  kind(path: string): "dir" | "file" | undefined;
  mkdir(path: string): void;
  writeFile(path: string, contents: string): void;
  rename(from: string, to: string): void;
  rm(path: string): void;
  rmdir(path: string): void;
}

export const nodeFileOps: FileOps = {
  kind(path) {
    try {
      return lstatSync(path).isDirectory() ? "dir" : "file";
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      throw e;
    }
  },
  mkdir: (p) => mkdirSync(p),
  writeFile: (p, c) => writeFileSync(p, c),
  rename: (a, b) => renameSync(a, b),
  rm: (p) => rmSync(p, { force: true }),
  rmdir: (p) => rmdirSync(p),
};

/** A file could not be written; nothing was changed. The message is one line. */
export class OutputError extends Error {}

const REASONS: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exceeded",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "a folder is in the way",
  EEXIST: "a file is in the way",
  ENAMETOOLONG: "the name is too long",
};

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code && REASONS[code]) ?? code ?? String((e as Error).message).split("\n")[0];
}

export function writeFilesAtomically(files: readonly PendingFile[], ops: FileOps = nodeFileOps): void {
  const createdDirs: string[] = [];
  const staged: Array<{ tmp: string; path: string; aside?: string; placed?: boolean }> = [];
  let current = "";
  try {
    files.forEach((f, i) => {
      current = f.path;
      makeDirs(dirname(f.path), ops, createdDirs);
      const tmp = join(dirname(f.path), `.${basename(f.path)}.${process.pid}.${i}.tmp`);
      staged.push({ tmp, path: f.path });
      ops.writeFile(tmp, f.contents);
    });
    staged.forEach((s, i) => {
      current = s.path;
      const there = ops.kind(s.path);
      if (there === "dir") throw Object.assign(new Error("a folder is in the way"), { code: "EISDIR" });
      if (there === "file") {
        const aside = join(dirname(s.path), `.${basename(s.path)}.${process.pid}.${i}.old`);
        ops.rename(s.path, aside);
        s.aside = aside;
      }
      ops.rename(s.tmp, s.path);
      s.placed = true;
    });
  } catch (e) {
    const left = rollBack(staged, createdDirs, ops);
    const tail = left.length ? `; could not restore ${left.join(", ")}` : "; no file was changed";
    throw new OutputError(`cannot write ${current}: ${reason(e)}${tail}`);
  }
  for (const s of staged) if (s.aside) tryDo(() => ops.rm(s.aside!));
}

/** Each missing folder on the way to `dir`, created from the top and recorded. */
function makeDirs(dir: string, ops: FileOps, created: string[]): void {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    const k = ops.kind(d);
    if (k === "dir") break;
    if (k === "file") throw Object.assign(new Error("not a folder"), { code: "ENOTDIR" });
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    ops.mkdir(d);
    created.push(d);
  }
}

/** Undo in reverse order; returns the paths it could not restore. */
function rollBack(staged: Array<{ tmp: string; path: string; aside?: string; placed?: boolean }>, createdDirs: string[], ops: FileOps): string[] {
  const left: string[] = [];
  for (const s of [...staged].reverse()) {
    if (s.placed && !s.aside && !tryDo(() => ops.rm(s.path))) left.push(s.path);
    if (s.aside && !tryDo(() => ops.rename(s.aside!, s.path))) left.push(`${s.path} (kept as ${s.aside})`);
    tryDo(() => ops.rm(s.tmp));
  }
  for (const d of [...createdDirs].reverse()) tryDo(() => ops.rmdir(d));
  return left;
}

function tryDo(f: () => void): boolean {
  try {
    f();
    return true;
  } catch {
    return false;
  }
}
