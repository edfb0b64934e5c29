/** Shared functions of the hardening tests: temporary pipelines and their errors as the user sees them. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { loadPipelineFile } from "../../src/frontends/load.js";

const root = mkdtempSync(join(tmpdir(), "sy-hard-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let made = 0;

/** A fresh folder holding the given files (path -> text or bytes). */
export function tempFiles(files: Record<string, string | Buffer>): string {
  const dir = join(root, String(made++));
  mkdirSync(dir);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

export const HEADER = `version: 1
pipeline: demo
region: us-east-1
artifacts: s3://bucket-demo/demo
`;

/** One processing step using a script that exists, for bodies that need a valid step. */
export const SCRIPT = { "scripts/prep.py": "print('prep')\n" };

/** Loads `main` of a folder of files; errors are the first lines, with the folder removed from paths. */
export async function load(files: Record<string, string | Buffer>, main = "p.yaml") {
  const dir = tempFiles(files);
  const r = await loadPipelineFile(join(dir, main));
  const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0].replaceAll(dir + "/", ""));
  return { ...r, dir, errors };
}

/** Errors of a YAML pipeline: the header, then `body` (so the body's first line is line 5). */
export async function yamlErrors(body: string | Buffer, extra: Record<string, string | Buffer> = SCRIPT): Promise<string[]> {
  const text = typeof body === "string" ? HEADER + body : Buffer.concat([Buffer.from(HEADER), body]);
  return (await load({ ...extra, "p.yaml": text })).errors;
}
