/** Shared functions of the TypeScript front end's tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "vitest";
import { formatDiagnostic, type Diagnostic } from "../../../src/diagnostics.js";
import type { Pipeline } from "../../../src/ir/types.js";
import { stripPositions } from "../../../src/ir/values.js";

/** The IR to compare across front ends: no positions, no `source`. */
export function comparable(p: Pipeline | undefined): unknown {
  if (!p) return p;
  const { source: _source, ...rest } = p;
  return stripPositions(rest);
}

export function show(diags: Diagnostic[]): string[] {
  return diags.map((d) => formatDiagnostic(d));
}

// One folder per test file, removed when its tests are done.
const root = mkdtempSync(join(tmpdir(), "sy-ts-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let made = 0;

/** A fresh folder holding the given files (path -> text). */
export function tempFiles(files: Record<string, string>): string {
  const dir = join(root, String(made++));
  mkdirSync(dir);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}
