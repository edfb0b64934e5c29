/**
 * The files of the Step Functions corpus, and how each is lifted and run: a
 * state machine (`*.asl.json`, `*.asl.yaml`) with an optional sidecar of
 * values, or a CloudFormation/SAM template in `templates/<name>/` (with the
 * files it names and an optional `substitutions.json`) lifted as the machine
 * it deploys. Shared by the corpus test and the refusal golden's writer.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import backend from "../../../backends/stepfunctions/index.js";
import { readSource } from "../../../backends/stepfunctions/lift/source.js";
import { checkSubstitutions, fillIn, liftFilledIn, unusedSubstitutions, type Substitutions } from "../../../src/backend/substitute.js";
import type { LiftResult } from "../../../src/backend/types.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { CORPUS } from "../../support/corpus.js";

export const DIR = `${CORPUS}/stepfunctions`;
/** State machines as JSON, and as YAML (the AWS Toolkit's and SAM projects' `*.asl.yaml`). */
const ASL_FILE = /\.asl\.(json|ya?ml)$/;

/** The machine each template with several deploys that is lifted (the first doing data or ML work, as SOURCE.md says). */
export const TEMPLATE_MACHINES: Record<string, string> = {
  "glue-crawlers-create-dataset": "StateMachineCreateDataset",
  "monte-carlo-dmap-datagen": "DataGenerationStateMachine",
};

/** Templates: `templates/<name>/<its one template file>`. */
const TEMPLATES = existsSync(`${DIR}/templates`)
  ? readdirSync(`${DIR}/templates`)
      .sort()
      .map((name) => `templates/${name}/${readdirSync(`${DIR}/templates/${name}`).find((f) => /\.(ya?ml|json)$/.test(f) && f !== "substitutions.json")!}`)
  : [];

export const FILES = [...readdirSync(DIR).filter((f) => ASL_FILE.test(f)), ...TEMPLATES].sort();

export const isTemplate = (f: string) => f.startsWith("templates/");
const templateName = (f: string) => f.split("/")[1];
const read = (f: string) => ({ file: isTemplate(f) ? `${DIR}/${f}` : f, text: readFileSync(`${DIR}/${f}`, "utf8") });

/** The values a file's sidecar gives, if it has one. */
export function substitutions(f: string): Substitutions | undefined {
  const sidecar = isTemplate(f) ? `${DIR}/templates/${templateName(f)}/substitutions.json` : `${DIR}/${f.replace(ASL_FILE, ".substitutions.json")}`;
  if (!existsSync(sidecar)) return undefined;
  const r = checkSubstitutions([], sidecar);
  if ("problem" in r) throw new Error(r.problem);
  return r.values;
}

/** Messages about a template name its files from the corpus folder, whatever machine the test runs on. */
const relative = (r: LiftResult): LiftResult => {
  const walk = (x: unknown): void => {
    if (x === null || typeof x !== "object") return;
    if (Array.isArray(x)) return x.forEach(walk);
    const o = x as Record<string, unknown>;
    if (typeof o.file === "string" && o.file.startsWith(`${DIR}/`)) o.file = o.file.slice(DIR.length + 1);
    for (const v of Object.values(o)) walk(v);
  };
  walk(r.diagnostics);
  return r;
};

/**
 * A corpus file lifted as `switchyard import` does, with its sidecar's values filled in (and a template's
 * machine picked); `unused` lists the values given that nothing used (a sidecar should name none).
 */
export function liftCorpusFile(f: string): LiftResult & { unused: string[] } {
  const input = { ...read(f), ...(TEMPLATE_MACHINES[templateName(f)] && isTemplate(f) ? { given: { machine: TEMPLATE_MACHINES[templateName(f)] } } : {}) };
  const values = substitutions(f);
  if (!values) return { ...relative(backend.lift!(input)), unused: [] };
  const filled = fillIn(input.text, values);
  const r = relative(liftFilledIn(backend, { ...input, values }, filled));
  const used = new Set([...filled.used, ...(r.used ?? [])]);
  return { ...r, unused: unusedSubstitutions(values, used, undefined, f).map((d) => d.message) };
}

/** The errors of a lift, as the golden file holds them. */
export const refusals = (r: LiftResult) => r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d));

/** The machine as deployed, as the JSON the service is sent: filled in as its template tool does (a YAML file converted, as the toolkit does; a template's machine read out of it). */
export function deployed(f: string): string {
  const values = substitutions(f);
  const { file, text: raw } = read(f);
  const text = values ? fillIn(raw, values).text : raw;
  let json: string;
  if (isTemplate(f)) {
    const src = readSource(file, text, TEMPLATE_MACHINES[templateName(f)], values);
    if (!("json" in src)) throw new Error(`${f}: the template's machine cannot be read`);
    json = JSON.stringify(src.json);
  } else json = /\.ya?ml$/.test(f) ? JSON.stringify(parseYaml(text)) : text;
  // Step Functions reads `$.[0]` as `$[0]`; the local engine's validator refuses the spelling, so it runs the other.
  return partitioned(json).replaceAll('"$.[', '"$[');
}

/** The machine as deployed: a partition written as a placeholder (SAM, the docs' `<PARTITION>`) is `aws`. */
const partitioned = (text: string) => text.replace(/"arn:(<PARTITION>|\$\{(AWS::)?[Pp]artition\}):/g, '"arn:aws:');

/** The file's text as written (for tests that read one file directly). */
export const corpusText = (f: string) => readFileSync(`${DIR}/${f}`, "utf8");
