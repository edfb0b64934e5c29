/**
 * Read a pipeline file into a checked IR. YAML is read here; TypeScript files
 * load their front end (and ts-morph) only when one is given.
 */
import { dirname, extname, resolve } from "node:path";
import { error, hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import { checkPipeline } from "../ir/check/index.js";
import type { Pipeline } from "../ir/types.js";
import { buildPipeline } from "./build.js";
import type { PNode } from "./pnode.js";
import { checkPlainData } from "./plain-data.js";
import { readPipelineText } from "./read-input.js";
import { checkSchema, prepareSchema, SOFT_SCHEMA_CODES } from "./schema-check.js";
import { loadYaml } from "./yaml/load.js";

export interface LoadResult {
  pipeline?: Pipeline;
  diagnostics: Diagnostic[];
  /** YAML comments by path, for printing back. */
  comments?: Map<string, string>;
}

/** Schema-check, build and check a positioned tree from any front end. */
export function loadTree(root: PNode, file: string, baseDir: string, format: Pipeline["source"]["format"]): LoadResult {
  const plain = checkPlainData(root);
  const schema = checkSchema(root);
  const structural = plain.length > 0 || schema.some((d) => d.severity === "error" && !SOFT_SCHEMA_CODES.has(d.code ?? ""));
  if (structural || root.t !== "map") {
    return { diagnostics: sortDiagnostics(root.t !== "map" ? [error(root.pos, "expected a pipeline (a map of keys)", { code: "schema-type" })] : [...plain, ...schema]) };
  }
  const built = buildPipeline(root, { file, baseDir, format });
  const diagnostics = sortDiagnostics([...schema, ...built.diagnostics, ...checkPipeline(built.pipeline)]);
  return hasErrors(diagnostics) ? { diagnostics } : { pipeline: built.pipeline, diagnostics };
}

export function loadYamlText(text: string, file: string, baseDir = dirname(resolve(file))): LoadResult {
  const loaded = loadYaml(text, file);
  if (!loaded.root || hasErrors(loaded.diagnostics)) return { diagnostics: sortDiagnostics(loaded.diagnostics) };
  const r = loadTree(loaded.root, file, baseDir, "yaml");
  return { ...r, diagnostics: sortDiagnostics([...loaded.diagnostics, ...r.diagnostics]), comments: loaded.comments };
}

export { readProblem } from "./read-input.js";

export async function loadPipelineFile(file: string): Promise<LoadResult> {
  await prepareSchema();
  const read = readPipelineText(file);
  if ("diagnostic" in read) return { diagnostics: [read.diagnostic] };
  const text = read.text;
  const ext = extname(file).toLowerCase();
  if (ext === ".ts" || ext === ".mts") {
    // A variable specifier: the TypeScript front end (and ts-morph) load only here.
    const spec = "./typescript/index.js";
    const ts = (await import(spec).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ERR_MODULE_NOT_FOUND") return undefined;
      throw e;
    })) as { loadTypeScriptFile?: (file: string) => Promise<LoadResult> } | undefined;
    if (!ts?.loadTypeScriptFile) {
      return { diagnostics: [error({ file, line: 1, col: 1 }, "TypeScript pipelines are not supported by this build", { code: "frontend-missing" })] };
    }
    return ts.loadTypeScriptFile(file);
  }
  return loadYamlText(text, file);
}
