/**
 * The TypeScript front end: type-check a pipeline file against the DSL's own
 * types, evaluate it statically into the positioned tree, and build the IR
 * exactly as for YAML. Loaded only when a .ts file is compiled.
 */
import { dirname, resolve } from "node:path";
import { ts } from "ts-morph";
import { error, sortDiagnostics } from "../../diagnostics.js";
import { loadTree, type LoadResult } from "../load.js";
import { Evaluator } from "./evaluate.js";
import { nestingProblem } from "./nesting.js";
import { displayName, openProject, typeDiagnostics } from "./project.js";

export async function loadTypeScriptFile(file: string): Promise<LoadResult> {
  const abs = resolve(file);
  const deep = nestingProblem(file, file);
  if (deep) return { diagnostics: [deep] };
  try {
    return read(file, abs);
  } catch (e) {
    // Past the bracket check, a stack can still run out on an imported file or a
    // long chain of operators: say so at the file, never as a crash.
    if (!(e instanceof RangeError)) throw e;
    return { diagnostics: [error({ file, line: 1, col: 1 }, "the file is nested too deeply to be read", { code: "input-too-deep" })] };
  }
}

function read(file: string, abs: string): LoadResult {
  const project = openProject(file);
  const name = (f: string) => displayName(f, abs, file);
  const typeErrors = typeDiagnostics(project, name);
  const ev = new Evaluator({
    sourceFile: (f) => project.program.getSourceFile(f),
    resolveImport: (spec, from) => ts.resolveModuleName(spec, from, project.options, ts.sys).resolvedModule?.resolvedFileName,
    displayName: name,
  });
  const root = ev.evaluateFile(project.main);
  if (!root || ev.diagnostics.length) return { diagnostics: sortDiagnostics([...typeErrors, ...ev.diagnostics]) };
  const loaded = loadTree(root, file, dirname(abs), "typescript");
  if (!typeErrors.length) return loaded;
  // Every problem at once: the pipeline's own checks run beside TypeScript's. A line TypeScript
  // already faults is not faulted again (the same mistake, in the checks' words).
  const faulted = new Set(typeErrors.map((d) => `${d.pos?.file}:${d.pos?.line}`));
  const more = loaded.diagnostics.filter((d) => !d.pos || !faulted.has(`${d.pos.file}:${d.pos.line}`));
  return { diagnostics: sortDiagnostics([...typeErrors, ...more]) };
}
