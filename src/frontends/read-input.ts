/**
 * Reads a pipeline file as text: at most `INPUT_LIMITS.maxFileBytes` (a device
 * or a huge file is refused, not read to its end) and strictly UTF-8 (a bad byte
 * is an error at its place, never silently replaced).
 */
import { closeSync, openSync, readSync } from "node:fs";
import { error, type Diagnostic } from "../diagnostics.js";
import { describeBytes, INPUT_LIMITS } from "./limits.js";

/** Why a file could not be read, in words. */
export function readProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const words: Record<string, string> = { ENOENT: "no such file", EISDIR: "it is a folder", EACCES: "permission denied", EPERM: "permission denied" };
  return (code && words[code]) ?? code ?? (e as Error).message;
}

export type ReadResult = { text: string } | { diagnostic: Diagnostic };

export function readPipelineText(file: string, maxBytes: number = INPUT_LIMITS.maxFileBytes): ReadResult {
  const at1 = { file, line: 1, col: 1 };
  let bytes: Buffer;
  try {
    bytes = readAtMost(file, maxBytes + 1);
  } catch (e) {
    return { diagnostic: error(at1, `cannot read the file: ${readProblem(e)}`, { code: "io" }) };
  }
  if (bytes.length > maxBytes) {
    return { diagnostic: error(at1, `the file is larger than ${describeBytes(maxBytes)}; a pipeline file is read only up to that size`, { code: "input-too-large" }) };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    return { diagnostic: error(positionOf(file, bytes, bad), `the file is not valid UTF-8 (byte 0x${bytes[bad].toString(16).padStart(2, "0")} at offset ${bad})`, { code: "input-encoding" }) };
  }
}

function readAtMost(file: string, limit: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.alloc(Math.min(limit, 1 << 20));
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < limit) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, limit - total), null);
      if (n === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
      total += n;
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > b.length) return i;
    if (len > 1) {
      // The decoder knows the overlong and surrogate cases; ask it about this one sequence.
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(b.subarray(i, i + len));
      } catch {
        return i;
      }
    }
    i += len;
  }
  return Math.max(0, b.length - 1);
}

/** Line and column (in characters) of a byte offset; lines before it are valid UTF-8. */
function positionOf(file: string, b: Buffer, offset: number) {
  const before = b.subarray(0, offset);
  const lineStart = before.lastIndexOf(0x0a) + 1;
  let line = 1;
  for (let i = 0; i < lineStart; i++) if (b[i] === 0x0a) line++;
  const col = new TextDecoder("utf-8").decode(b.subarray(lineStart, offset)).length + 1;
  return { file, line, col };
}
