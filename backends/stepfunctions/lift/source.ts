/** The ASL file being lifted: parsed JSON with a line/column for every JSON path. */
import type { Pos } from "../../../src/ir/types.js";
import { parseLocated } from "../../sagemaker/lift/jsonpos.js";
import { substitutionHint } from "../../../src/backend/substitute.js";
import { error, warning, type Diagnostic } from "../../../src/diagnostics.js";
import { isMachineTemplate, templateSource } from "./template.js";
import { loadYaml } from "../../../src/frontends/yaml/load.js";
import { toJSON } from "../../../src/frontends/pnode.js";
import { jsonPositions, treePositions } from "./positions.js";
import { checkPlainData } from "../../../src/frontends/plain-data.js";
import { jsonDepthError } from "../../../src/frontends/json-depth.js";

export type JPath = Array<string | number>;

export interface Source {
  file: string;
  json: unknown;
  pos(path: JPath): Pos;
  /** What reading it found worth saying (a template's placeholders left unfilled). */
  notes?: Diagnostic[];
  /** The machine's own name, where the file gives one (a template's resource); else the file's name is used. */
  name?: string;
  /** Names of the values given that the reader filled in itself (see LiftInput.values). */
  used?: Set<string>;
}

/**
 * Whether a state machine is written in YAML: the AWS Toolkit, Workflow Studio and SAM
 * projects (`statemachine/*.asl.yaml`) write it so. A file that opens with `{` is JSON.
 */
export function isYamlAsl(file: string, text: string): boolean {
  const first = /^(?:\uFEFF)?\s*(\S)/.exec(text)?.[1];
  if (first === "{") return false;
  return /\.ya?ml$/i.test(file) || (/^StartAt\s*:/m.test(text) && /^States\s*:/m.test(text));
}

/** The code of the error for `--machine` given with a file that is no template (`diff` reads the other file with it). */
export const NOT_A_TEMPLATE = "lift-not-template";

/** CloudFormation's short-form functions: a definition cut from a template still holding them. */
const CFN_TAGS = /^the YAML tag '!(Ref|GetAtt|Sub|Join|Select|Split|FindInMap|ImportValue|GetAZs|Base64|If|Equals|Not|And|Or|Condition|Cidr|Transform)'/;

/** A state machine written in YAML: the same reading as a YAML pipeline (bounded aliases, plain data only). */
function readYamlSource(file: string, text: string): Source | { diagnostics: Diagnostic[] } {
  const loaded = loadYaml(text, file, "state machine");
  const diagnostics = loaded.diagnostics.map((d) =>
    d.code === "yaml-tag" && CFN_TAGS.test(d.message)
      ? { ...d, hint: "a CloudFormation function is filled in when the template is deployed: write the value it gives, or a ${Name} placeholder and its value with --substitute" }
      : d,
  );
  if (!loaded.root || diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  const root = loaded.root;
  // Keys that would set a prototype, numbers no JSON holds: refused as in a pipeline.
  const plain = checkPlainData(root);
  if (plain.length) return { diagnostics: plain };
  return { file, json: toJSON(root), pos: treePositions(root, file) };
}

/**
 * The state machine in a file: ASL as JSON or YAML, or the one a CloudFormation or SAM
 * template deploys (`machine`: its logical id, when the template has several).
 * JSON is YAML, so the YAML parser gives offsets for every node.
 */
export function readSource(file: string, text: string, machine?: string, values?: ReadonlyMap<string, { value: string }>): Source | { error: string; pos: Pos; hint?: string } | { diagnostics: Diagnostic[] } {
  if (isMachineTemplate(text)) {
    const t = templateSource(file, text, machine, (f, x) => {
      const r = readSource(f, x);
      return "error" in r ? { diagnostics: [error(r.pos, r.error, { code: "lift-parse", ...(r.hint ? { hint: r.hint } : {}) })] } : r;
    }, new Map([...(values ?? [])].map(([k, v]) => [k, v.value])));
    if ("diagnostics" in t) return t;
    // Those still written in the definition (a value given with --substitute was filled in before).
    const written = JSON.stringify(t.source.json);
    const left = t.unfilled.filter((n) => written.includes(`\${${n}}`));
    const notes = left.length
      ? [warning(t.source.pos([]), `${left.length === 1 ? `substitution '${left[0]}' is` : `substitutions ${left.map((n) => `'${n}'`).join(", ")} are`} given by a CloudFormation function, known only at deployment: kept as a \${...} placeholder`, { code: "lift-template", hint: substitutionHint(`\${${left[0]}}`) })]
      : [];
    return { ...t.source, notes: [...(t.source.notes ?? []), ...notes], used: t.used };
  }
  if (machine !== undefined) return { diagnostics: [error({ file, line: 1, col: 1 }, "--machine picks a state machine in a CloudFormation or SAM template, and this file is not one", { code: NOT_A_TEMPLATE })] };
  if (isYamlAsl(file, text)) return readYamlSource(file, text);
  return readJsonSource(file, text);
}

/** JSON text (a state machine, a template): parsed, bounded in depth, a syntax error named at its place. */
export function readJsonSource(file: string, text: string): Source | { error: string; pos: Pos; hint?: string } | { diagnostics: Diagnostic[] } {
  const deep = jsonDepthError(text, file);
  if (deep) return { diagnostics: [deep] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // JSON.parse does not say where (and its wording varies with the engine); the located parser names the place.
    const located = parseLocated(text, file);
    if ("error" in located) {
      // A template (Terraform, SAM) with a substitution where a number or object goes is JSON only once filled in.
      const line = text.split("\n")[located.pos.line - 1] ?? "";
      const sub = /^\$\{[^{}]*\}/.exec(line.slice(located.pos.col - 1))?.[0];
      const why = sub ? `'${sub}' is a deployment-time substitution outside a string; the file is JSON only once it is filled in` : located.error;
      return { error: `not JSON: ${why}`, pos: located.pos, ...(sub ? { hint: substitutionHint(sub) } : {}) };
    }
    return { error: `not JSON: ${(e as Error).message}`, pos: { file, line: 1, col: 1 } };
  }
  return { file, json, pos: jsonPositions(file, text) };
}

/** `$.States['a b'].Parameters` style, for messages. */
export function showPath(path: JPath): string {
  return "$" + path.map((p) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? `.${p}` : `['${p.replace(/'/g, "\\'")}']`)).join("");
}
