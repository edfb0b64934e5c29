/**
 * Any file Switchyard reads, as a pipeline: a Switchyard pipeline (YAML or
 * TypeScript) is loaded; a target's file (SageMaker definition, state machine,
 * DAG) is lifted by the backend named, or by the first that recognises it.
 */
import { error, hasErrors, type Diagnostic } from "../diagnostics.js";
import { availableBackends, BackendNotFound, loadBackend } from "../backend/registry.js";
import type { Backend, LiftGiven, LiftInput, LiftResult } from "../backend/types.js";
import { loadPipelineFile } from "../frontends/load.js";
import { readPipelineText } from "../frontends/read-input.js";
import type { Pipeline } from "../ir/types.js";
import { fillIn, liftFilledIn, unusedSubstitutions, type Substitutions } from "../backend/substitute.js";
import { UsageError } from "./io.js";

export interface ReadResult {
  pipeline?: Pipeline;
  diagnostics: Diagnostic[];
  /** The target whose file this was, when it was lifted. */
  liftedFrom?: string;
  /** YAML comments, when the file was a YAML pipeline. */
  comments?: Map<string, string>;
  /** Files a lifted pipeline's steps run, to be written beside it (paths relative to it). */
  files?: Array<{ path: string; contents: string }>;
  /** When values were given to fill in and the file is a template: the names it used. */
  substituted?: Set<string>;
}

/** Values to fill in (`--substitute`, `--substitutions`) before a template is lifted. */
export interface Filling {
  values: Substitutions;
  /**
   * One file (import, migrate): a file that is no template is a usage error, and a name it
   * never uses a warning. Several (diff): such a file is read as written, and the caller
   * warns of the names no file used.
   */
  strict: boolean;
}

const OPTIONS = "--substitute and --substitutions";

/** Whether `file` is a Switchyard pipeline (TypeScript, or YAML with `pipeline:` and `steps:` at the top). */
export function isPipelineSource(file: string, text: string): boolean {
  if (/\.(ts|mts)$/i.test(file)) return true;
  return /\.(ya?ml)$/i.test(file) && /^pipeline:/m.test(text) && /^steps:/m.test(text);
}

/** The backend for a target name; a name no backend answers to is a usage error (exit 2). */
export async function backendNamed(name: string): Promise<Backend> {
  try {
    return await loadBackend(name);
  } catch (e) {
    if (e instanceof BackendNotFound) throw new UsageError(e.message);
    throw e;
  }
}

/** `--name`: the lifted pipeline's name, for every importer alike (no warning: the file's name is only a default). */
function named(r: LiftResult, given: LiftGiven | undefined): LiftResult {
  return given?.name !== undefined && r.pipeline ? { ...r, pipeline: { ...r.pipeline, name: given.name } } : r;
}

/** Lift a target file with the backend named, or the first that recognises it; a template is filled in first. */
export async function liftFile(input: LiftInput, from: string | undefined, fill?: Filling): Promise<ReadResult> {
  const { file } = input;
  const filled = fill ? fillIn(input.text, fill.values) : undefined;
  const filledInput = filled ? { ...input, text: filled.text } : input;
  const candidates = from ? [await backendNamed(from)] : await availableBackends();
  const backend = candidates.find((b) => b.lift && (from || b.canLift?.(b.liftsTemplates ? filledInput : input)));
  if (!backend?.lift) {
    const known = candidates.filter((b) => b.lift).map((b) => b.name);
    // A template with a placeholder where a number or an object goes is no file format until filled in.
    const placeholder = !from && candidates.some((b) => b.liftsTemplates) ? /\$\{[^{}\s]*\}/.exec(filledInput.text)?.[0] : undefined;
    return {
      diagnostics: [
        error({ file, line: 1, col: 1 }, from ? `the ${from} backend cannot import files` : "not a file any installed backend can import", {
          hint: placeholder
            ? `it holds placeholders a deployment tool fills in (${placeholder}, ...): give their values with --substitute NAME=VALUE or --substitutions FILE, or name its importer with --from to see where it cannot be read`
            : filled?.used.size && !from
              ? `filled in with the values given, it is no file an importer reads: name its importer with --from to see where it cannot be read`
              : known.length
              ? `importers: ${known.join(", ")}; name one with --from`
              : "no backend in this build can import",
        }),
      ],
    };
  }
  // Only a state machine's importer reads CloudFormation templates.
  if (input.given?.machine !== undefined && backend.name !== "stepfunctions") throw new UsageError(`--machine picks a state machine in a CloudFormation or SAM template; ${file} is read by the ${backend.name} importer`);
  if (filled && !backend.liftsTemplates) {
    // A DAG is Python: its values come from the code itself, no deployment tool fills it in.
    if (fill?.strict) throw new UsageError(`${OPTIONS} fill in templates (state machines, SageMaker definitions); ${file} is read by the ${backend.name} importer, whose files are not templates`);
    const lifted = named(backend.lift(input), input.given);
    return hasErrors(lifted.diagnostics) ? { diagnostics: lifted.diagnostics, liftedFrom: backend.name } : { ...lifted, liftedFrom: backend.name };
  }
  const lifted = named(filled ? liftFilledIn(backend, { ...input, values: fill!.values }, filled) : backend.lift(input), input.given);
  const usedNames = filled ? new Set([...filled.used, ...(lifted.used ?? [])]) : undefined;
  if (usedNames && fill?.strict) lifted.diagnostics.push(...unusedSubstitutions(fill!.values, usedNames, { file, line: 1, col: 1 }, file));
  const used = usedNames ? { substituted: usedNames } : {};
  return hasErrors(lifted.diagnostics) ? { diagnostics: lifted.diagnostics, liftedFrom: backend.name, ...used } : { ...lifted, liftedFrom: backend.name, ...used };
}

/** Read any file Switchyard understands into a pipeline. */
export async function readAnyFile(file: string, from?: string, given?: LiftGiven, fill?: Filling): Promise<ReadResult> {
  // The same bounded, strict-UTF-8 reading as every pipeline file.
  const read = readPipelineText(file);
  if ("diagnostic" in read) return { diagnostics: [read.diagnostic] };
  const text = read.text;
  if (!from && isPipelineSource(file, text)) {
    const r = await loadPipelineFile(file);
    return { pipeline: r.pipeline, diagnostics: r.diagnostics, comments: r.comments };
  }
  return liftFile({ file, text, ...(given && Object.keys(given).length ? { given } : {}) }, from, fill?.values.size ? fill : undefined);
}
