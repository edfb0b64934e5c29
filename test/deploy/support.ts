/** Shared pieces of the deploy tests: lowering fixtures with the real backends, and log capture. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { loadBackend } from "../../src/backend/registry.js";
import type { OutputFile } from "../../src/backend/types.js";
import { hasErrors } from "../../src/diagnostics.js";
import { loadYamlText } from "../../src/frontends/load.js";
import type { Pipeline } from "../../src/ir/types.js";
import { ROOT } from "../support/python-env.js";

export const ABALONE = join(ROOT, "fixtures", "abalone.yaml");

/** The pipeline in `text` (read as if it were the file `file`), lowered for `target` by the real backend. */
export async function lowered(target: string, text: string, file = ABALONE, options: Record<string, string> = {}): Promise<{ pipeline: Pipeline; files: OutputFile[]; baseDir: string }> {
  const r = loadYamlText(text, file);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const backend = await loadBackend(target);
  const out = backend.lower(r.pipeline!, { baseDir: dirname(file), options: { airflow: "2", ...options } });
  expect(hasErrors(out.diagnostics), JSON.stringify(out.diagnostics)).toBe(false);
  return { pipeline: r.pipeline!, files: out.files, baseDir: dirname(file) };
}

export const abaloneText = (): string => readFileSync(ABALONE, "utf8");

/** Log lines, collected. */
export function logger(): { lines: string[]; log: (l: string) => void } {
  const lines: string[] = [];
  return { lines, log: (l) => lines.push(l) };
}

/** Credentials moto accepts, from the environment like any user's (the standard chain reads them). */
export function useTestCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = "testing";
  process.env.AWS_SECRET_ACCESS_KEY = "testing";
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
}
