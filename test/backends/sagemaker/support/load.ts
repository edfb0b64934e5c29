import { join } from "node:path";
import { CORPUS as CORPUS_ROOT } from "../../../support/corpus.js";
import { expect } from "vitest";
import { loadPipelineFile, loadYamlText } from "../../../../src/frontends/load.js";
import type { Pipeline } from "../../../../src/ir/types.js";
import backend from "../../../../backends/sagemaker/index.js";
import type { LowerResult } from "../../../../src/backend/types.js";

export const ROOT = join(__dirname, "..", "..", "..", "..");
export const FIXTURES = join(ROOT, "fixtures");
export const CORPUS = join(CORPUS_ROOT, "sagemaker");

export async function fixture(name: string): Promise<Pipeline> {
  const r = await loadPipelineFile(join(FIXTURES, name));
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.pipeline!;
}

/** A small pipeline from YAML text (header filled in). */
export function yaml(body: string, header = "version: 1\npipeline: t\nrole: arn:aws:iam::111122223333:role/R\nregion: us-east-1\nartifacts: s3://example-bucket/prefix\n"): Pipeline {
  const r = loadYamlText(header + body, "t.yaml", FIXTURES);
  const errs = r.diagnostics.filter((d) => d.severity === "error");
  if (errs.length) throw new Error(errs.map((d) => `${d.pos?.line}:${d.pos?.col} ${d.message}`).join("\n"));
  return r.pipeline!;
}

/** Lowered with the CLI's defaults (an indented definition); `{ compact: "true" }` is `compile --compact`. */
export function lower(p: Pipeline, options: Record<string, string> = {}): LowerResult {
  return backend.lower(p, { baseDir: FIXTURES, options });
}

/** `compile --compact`: the definition as the SDK's `Pipeline.definition()` writes it. */
export const COMPACT = { compact: "true" };

export function definition(p: Pipeline): { Steps: Array<Record<string, any>>; Parameters: any[] } & Record<string, any> {
  const r = lower(p);
  const errs = r.diagnostics.filter((d) => d.severity === "error");
  if (errs.length) throw new Error(errs.map((d) => `${d.pos?.line}:${d.pos?.col} ${d.message}`).join("\n"));
  return JSON.parse(r.files.find((f) => f.kind === "definition")!.contents);
}

export function errors(p: Pipeline): string[] {
  return lower(p).diagnostics.filter((d) => d.severity === "error").map((d) => `${d.pos?.file}:${d.pos?.line}:${d.pos?.col}: ${d.message}`);
}
