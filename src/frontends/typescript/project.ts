/**
 * The ts-morph project a pipeline file is read in: "switchyard" resolves to the
 * package's own DSL (sources when run from src, declarations when run from
 * dist), so the file is type-checked against exactly the types users import.
 */
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Project, ts } from "ts-morph";
import { error, type Diagnostic } from "../../diagnostics.js";
import type { Pos } from "../../ir/types.js";
import { typeErrorText } from "./type-errors.js";

/** The DSL's entry, without extension (index.ts in src, index.d.ts in dist). */
export const DSL_ENTRY = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "dsl", "index");

export const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es5.d.ts"],
  types: [],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
  paths: { switchyard: [DSL_ENTRY] },
};

/**
 * The options a pipeline file is checked with: ours, with the ambient names of the
 * user's own project (`types`, `typeRoots`, `lib` of the nearest tsconfig.json), so
 * a file that mentions `process` where @types/node is installed is not an error.
 * The rest stays ours: the DSL's typing needs strict mode and its own `paths`.
 */
export function compilerOptionsFor(file: string): ts.CompilerOptions {
  const config = ts.findConfigFile(dirname(resolve(file)), ts.sys.fileExists);
  if (!config) return COMPILER_OPTIONS;
  const read = ts.readConfigFile(config, ts.sys.readFile);
  if (read.error) return COMPILER_OPTIONS;
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dirname(config), undefined, config);
  const own = parsed.options;
  // Without `types`, TypeScript reads every @types package it finds; without `lib`, the target's default.
  const { types: _types, lib: _lib, ...rest } = COMPILER_OPTIONS;
  return {
    ...rest,
    ...(own.types ? { types: own.types } : {}),
    ...(own.typeRoots ? { typeRoots: own.typeRoots } : {}),
    ...(own.lib ? { lib: own.lib } : {}),
  };
}

export interface PipelineProject {
  project: Project;
  /** The options it was checked with (compilerOptionsFor). */
  options: ts.CompilerOptions;
  program: ts.Program;
  /** The user's files (the pipeline file and the local files it imports). */
  userFiles: ts.SourceFile[];
  main: ts.SourceFile;
}

export function openProject(file: string): PipelineProject {
  const options = compilerOptionsFor(file);
  const project = new Project({ compilerOptions: options, skipAddingFilesFromTsConfig: true });
  const abs = resolve(file);
  project.addSourceFileAtPath(abs);
  project.resolveSourceFileDependencies();
  const program = project.getProgram().compilerObject;
  const dslDir = dirname(DSL_ENTRY);
  const srcRoot = resolve(dslDir, "..");
  // Everything but the DSL (and what it imports from the package) and TypeScript's libraries.
  const userFiles = program.getSourceFiles().filter((sf) => !resolve(sf.fileName).startsWith(srcRoot + "/") && !sf.fileName.includes("/node_modules/"));
  const main = program.getSourceFile(abs) ?? program.getSourceFiles().find((sf) => resolve(sf.fileName) === abs)!;
  return { project, options, program, userFiles, main };
}

/** How a file is named in messages: the main file as the user gave it, others relative to the working folder. */
export function displayName(fileName: string, mainAbs: string, mainGiven: string): string {
  const abs = resolve(fileName);
  return abs === mainAbs ? mainGiven : relative(process.cwd(), abs) || abs;
}

export function posOf(sf: ts.SourceFile, offset: number, name: string): Pos {
  const lc = sf.getLineAndCharacterOfPosition(offset);
  return { file: name, line: lc.line + 1, col: lc.character + 1 };
}

/** TypeScript's own errors in the user's files, as Switchyard diagnostics. */
export function typeDiagnostics(p: PipelineProject, name: (fileName: string) => string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const checker = p.program.getTypeChecker();
  for (const sf of p.userFiles) {
    const diags = [...p.program.getSyntacticDiagnostics(sf), ...p.program.getSemanticDiagnostics(sf)];
    for (const d of diags) {
      if (d.category !== ts.DiagnosticCategory.Error) continue;
      const file = d.file ?? sf;
      const worded = typeErrorText(d, file, checker);
      const pos = posOf(file, worded.at ?? d.start ?? 0, name(file.fileName));
      out.push(error(pos, worded.text, { code: `ts${d.code}` }));
    }
  }
  return out;
}
