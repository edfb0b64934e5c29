/**
 * Which local files a pipeline may name (`code:`, `notebook:`): regular files
 * inside the pipeline file's folder, after every symbolic link is resolved.
 * They are uploaded by `deploy`, so anything else (`../../secret`, `/proc/...`,
 * a link to `~/.aws/credentials`, a device, a folder) is refused.
 */
import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { describeBytes, INPUT_LIMITS } from "./limits.js";

export type LocalFile = { sha256: string } | { problem: string; code: string; hint?: string };

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

type Problem = { problem: string; code: string; hint?: string };

/**
 * The contents of `path` (relative to `baseDir`) once every check has passed, or why it may not be used.
 * `what`: what such a path names, for hints ("a script or notebook file").
 */
function readChecked(baseDir: string, path: string, what: string, place: string, hint: string, missingHint: string): Buffer | Problem {
  if (path === "" || isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path)) return { problem: "is not a relative path", code: "code-outside", hint };
  const folder = resolve(baseDir);
  const abs = resolve(folder, path);
  if (abs === folder) return { problem: "is not a regular file", code: "code-not-file", hint: `name ${what}` };
  if (!inside(folder, abs)) return { problem: `is outside ${place}`, code: "code-outside", hint };
  let real: string;
  let realFolder: string;
  try {
    realFolder = realpathSync(folder);
    real = realpathSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { problem: "does not exist", code: "code-missing", hint: missingHint };
    return { problem: `cannot be read (${code ?? (e as Error).message})`, code: "code-unreadable" };
  }
  if (!inside(realFolder, real)) return { problem: `leads (through a symbolic link) outside ${place}`, code: "code-outside", hint };
  let fd: number;
  try {
    // Opening a FIFO or a device could block or never end: only a regular file is opened,
    // without blocking, and checked again once open.
    if (!statSync(real).isFile()) return { problem: "is not a regular file", code: "code-not-file", hint: `name ${what}` };
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, code: "code-unreadable" };
  }
  try {
    // Checked on the open file itself, so what is read is what was checked.
    const st = fstatSync(fd);
    if (!st.isFile()) return { problem: "is not a regular file", code: "code-not-file", hint: `name ${what}` };
    if (st.size > INPUT_LIMITS.maxFileBytes) return { problem: `is larger than ${describeBytes(INPUT_LIMITS.maxFileBytes)}`, code: "input-too-large" };
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The sha256 of `path` (relative to `baseDir`), or why it may not be used. */
export function hashLocalFile(baseDir: string, path: string): LocalFile {
  const r = readChecked(baseDir, path, "a script or notebook file", "the pipeline file's folder", "local files are relative to the pipeline file's folder and stay inside it", "paths are relative to the pipeline file's folder");
  return Buffer.isBuffer(r) ? { sha256: createHash("sha256").update(r).digest("hex") } : r;
}

/**
 * The text of a file another file names (a SAM template's `DefinitionUri`), under the same rules:
 * a regular file inside the naming file's folder, links resolved; strict UTF-8.
 */
export function readLocalText(baseDir: string, path: string, what: string): { text: string } | Problem {
  const r = readChecked(baseDir, path, what, "the template's folder", "local files are relative to the folder of the file that names them and stay inside it", "paths are relative to the folder of the file that names them");
  if (!Buffer.isBuffer(r)) return r;
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(r) };
  } catch {
    return { problem: "is not UTF-8 text", code: "input-encoding" };
  }
}
