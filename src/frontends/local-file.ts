/**
 * Which local files a pipeline may name (`code:`, `notebook:`): regular files
 * inside the pipeline file's folder, after every symbolic link is resolved.
 * They are uploaded by `deploy`, so anything else (`../../secret`, `/proc/...`,
 * a link to `~/.aws/credentials`, a device, a folder) is refused.
 */
import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";

export type LocalFile = { sha256: string } | { problem: string; code: string; hint?: string };

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** The sha256 of `path` (relative to `baseDir`), or why it may not be used. */
export function hashLocalFile(baseDir: string, path: string): LocalFile {
  const hint = "local files are relative to the pipeline file's folder and stay inside it";
  if (path === "" || isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path)) return { problem: "is not a relative path", code: "code-outside", hint };
  const folder = resolve(baseDir);
  const abs = resolve(folder, path);
  if (abs === folder) return { problem: "is not a regular file", code: "code-not-file", hint: "name a script or notebook file" };
  if (!inside(folder, abs)) return { problem: "is outside the pipeline file's folder", code: "code-outside", hint };
  let real: string;
  let realFolder: string;
  try {
    realFolder = realpathSync(folder);
    real = realpathSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { problem: "does not exist", code: "code-missing", hint: `paths are relative to the pipeline file's folder` };
    return { problem: `cannot be read (${code ?? (e as Error).message})`, code: "code-unreadable" };
  }
  if (!inside(realFolder, real)) return { problem: "leads (through a symbolic link) outside the pipeline file's folder", code: "code-outside", hint };
  let fd: number;
  try {
    // Opening a FIFO or a device could block or never end: only a regular file is opened,
    // without blocking, and checked again once open.
    if (!statSync(real).isFile()) return { problem: "is not a regular file", code: "code-not-file", hint: "name a script or notebook file" };
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, code: "code-unreadable" };
  }
  try {
    // Checked on the open file itself, so what is read is what was checked.
    if (!fstatSync(fd).isFile()) return { problem: "is not a regular file", code: "code-not-file", hint: "name a script or notebook file" };
    return { sha256: createHash("sha256").update(readFileSync(fd)).digest("hex") };
  } finally {
    closeSync(fd);
  }
}
