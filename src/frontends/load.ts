/**
 * Read a pipeline file into a checked IR. YAML is read here; TypeScript files
 * load their front end (and ts-morph) only when one is given.
 */
import { dirname, extname, resolve } from "node:path";
import { error, hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import { checkPipeline } from "../ir/check/index.js";
import type { Pipeline, Pos } from "../ir/types.js";
import { buildPipeline } from "./build.js";
import { get, type PMap, type PNode } from "./pnode.js";
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
  if (root.t !== "map") return { diagnostics: [error(root.pos, "expected a pipeline (a map of keys)", { code: "schema-type" })] };
  // Values that are not plain data (tags, merge keys, non-finite numbers, reserved names, ...): nothing is built
  // from them, so the step or parameter holding one is set aside like a malformed one (anywhere else, this stops here).
  const plain = checkPlainData(root);
  const schema = checkSchema(root);
  const structural = [...plain, ...schema].filter((d) => d.severity === "error" && !SOFT_SCHEMA_CODES.has(d.code ?? ""));
  if (structural.length) return { diagnostics: sortDiagnostics([...plain, ...schema, ...checkAround(root, structural, { file, baseDir, format })]) };
  const built = buildPipeline(root, { file, baseDir, format });
  const diagnostics = sortDiagnostics([...schema, ...built.diagnostics, ...checkPipeline(built.pipeline)]);
  return hasErrors(diagnostics) ? { diagnostics } : { pipeline: built.pipeline, diagnostics };
}

/** The sections whose entries are set aside when malformed, so the rest can still be checked. */
const SECTIONS = ["steps", "parameters"] as const;

/**
 * Every problem at once: when some steps or parameters are malformed (a missing or
 * mistyped field the IR cannot be built from), build and check the pipeline without them.
 * What is then reported about the set-aside entries themselves (a reference to a step
 * that was set aside looks missing) is left out. A malformed part outside those
 * sections stops here, with the structural errors alone.
 */
function checkAround(root: PMap, structural: readonly Diagnostic[], opts: { file: string; baseDir: string; format: Pipeline["source"]["format"] }): Diagnostic[] {
  const aside = new Map<string, Set<string>>(SECTIONS.map((s) => [s, new Set<string>()]));
  const owners = entryOwners(root);
  for (const d of structural) {
    const hit = d.pos ? owners.get(posKey(d.pos)) : undefined;
    if (!hit) return [];
    aside.get(hit[0])!.add(hit[1]);
  }
  const pruned: PMap = {
    ...root,
    entries: root.entries.map(([k, v]) => {
      const drop = aside.get(k);
      return drop?.size && v.t === "map" ? [k, { ...v, entries: v.entries.filter(([id]) => !drop.has(id)) }] : [k, v];
    }),
  };
  const steps = get(pruned, "steps");
  if (steps?.t !== "map" || !steps.entries.length) return [];
  const names = [...aside.values()].flatMap((ids) => [...ids]);
  const mention = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  const about = mention ? new RegExp(`'(${mention})'|\\b(steps|params)\\.(${mention})(?![\\w-])`) : undefined;
  const aboutAside = (d: Diagnostic) => about !== undefined && about.test(`${d.message}\n${d.hint ?? ""}`);
  try {
    const built = buildPipeline(pruned, opts);
    return [...built.diagnostics, ...checkPipeline(built.pipeline)].filter((d) => !aboutAside(d));
  } catch {
    // A builder that cannot go on without the set-aside parts: the structural errors stand alone.
    return [];
  }
}

const posKey = (p: Pos) => `${p.line}:${p.col}:${p.file}`;

/**
 * The section entry each position belongs to (the first, in section then source
 * order), from one walk: a file with an error in every step would otherwise
 * search every step for every error.
 */
function entryOwners(root: PMap): Map<string, readonly [string, string]> {
  const owners = new Map<string, readonly [string, string]>();
  for (const section of SECTIONS) {
    const node = get(root, section);
    if (node?.t !== "map") continue;
    for (const [id, v] of node.entries) {
      const owner = [section, id] as const;
      const stack: PNode[] = [v];
      while (stack.length) {
        const n = stack.pop()!;
        for (const p of [n.pos, n.keyPos]) if (p && !owners.has(posKey(p))) owners.set(posKey(p), owner);
        if (n.t === "map") for (const [, c] of n.entries) stack.push(c);
        else if (n.t === "seq") for (const c of n.items) stack.push(c);
      }
    }
  }
  return owners;
}

export function loadYamlText(text: string, file: string, baseDir = dirname(resolve(file)), opts: LoadOptions = {}): LoadResult {
  const loaded = loadYaml(text, file, "pipeline", false, opts);
  if (!loaded.root || hasErrors(loaded.diagnostics)) return { diagnostics: sortDiagnostics(loaded.diagnostics) };
  const r = loadTree(loaded.root, file, baseDir, "yaml");
  return { ...r, diagnostics: sortDiagnostics([...loaded.diagnostics, ...r.diagnostics]), comments: loaded.comments };
}

export { readProblem } from "./read-input.js";

/** `comments: false`: the YAML file's comments are not wanted (nothing is printed back from it), which reads it faster. */
export interface LoadOptions {
  comments?: boolean;
}

export async function loadPipelineFile(file: string, opts: LoadOptions = {}): Promise<LoadResult> {
  await prepareSchema();
  const read = readPipelineText(file);
  if ("diagnostic" in read) return { diagnostics: [read.diagnostic] };
  const text = read.text;
  const ext = extname(file).toLowerCase();
  if (ext === ".ts" || ext === ".mts") {
    // The TypeScript front end (and ts-morph) load only here.
    const ts = (await import("./typescript/index.js").catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ERR_MODULE_NOT_FOUND") return undefined;
      throw e;
    })) as { loadTypeScriptFile?: (file: string) => Promise<LoadResult> } | undefined;
    if (!ts?.loadTypeScriptFile) {
      return { diagnostics: [error({ file, line: 1, col: 1 }, "TypeScript pipelines are not supported by this build", { code: "frontend-missing" })] };
    }
    return ts.loadTypeScriptFile(file);
  }
  return loadYamlText(text, file, undefined, opts);
}
