/**
 * A CloudFormation or SAM template that deploys a state machine: the machine's
 * definition read out of it as the file to lift. The definition may be inline
 * (`Definition`), a string of JSON (`DefinitionString`, plain, `Fn::Sub` or
 * `Fn::Join`), or a file beside the template (SAM `DefinitionUri`). Literal
 * `DefinitionSubstitutions` (and `Fn::Sub` variables) are filled in as the
 * deployment would; one given to a CloudFormation function (`!GetAtt F.Arn`)
 * stays a `${Name}` placeholder, for `--substitute` to give.
 */
import { dirname, join } from "node:path";
import { error, type Diagnostic } from "../../../src/diagnostics.js";
import { toJSON } from "../../../src/frontends/pnode.js";
import { checkPlainData } from "../../../src/frontends/plain-data.js";
import { tooDeepAt } from "../../../src/frontends/json-depth.js";
import { INPUT_LIMITS } from "../../../src/frontends/limits.js";
import { readLocalText } from "../../../src/frontends/local-file.js";
import { loadYaml } from "../../../src/frontends/yaml/load.js";
import { didYouMean } from "../../../src/util/suggest.js";
import type { Pos } from "../../../src/ir/types.js";
import { treePositions } from "./positions.js";
import { readJsonSource, type JPath, type Source } from "./source.js";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);

/** The resource types that create a state machine. */
const MACHINE_TYPES: ReadonlySet<string> = new Set(["AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"]);

/** Whether the text is a template with a state machine resource (told apart without parsing it twice). */
export function isMachineTemplate(text: string): boolean {
  return /AWS::(Serverless::StateMachine|StepFunctions::StateMachine)/.test(text) && /^\s*(?:\{\s*)?(?:"Resources"|Resources)\s*:/m.test(text);
}

/** The template, parsed: its JSON and where each path is written. */
interface Parsed {
  json: unknown;
  pos(path: JPath): Pos;
}

function parseTemplate(file: string, text: string): Parsed | { diagnostics: Diagnostic[] } {
  if (/^(?:\uFEFF)?\s*\{/.test(text)) {
    const r = readJsonSource(file, text);
    if ("error" in r) return { diagnostics: [error(r.pos, r.error, { code: "lift-parse", ...(r.hint ? { hint: r.hint } : {}) })] };
    return r;
  }
  const loaded = loadYaml(text, file, "template", true);
  if (!loaded.root || loaded.diagnostics.some((d) => d.severity === "error")) return { diagnostics: loaded.diagnostics };
  const plain = checkPlainData(loaded.root);
  if (plain.length) return { diagnostics: plain };
  return { json: toJSON(loaded.root), pos: treePositions(loaded.root, file) };
}

/** A `${Name}` that `Fn::Sub` and DefinitionSubstitutions fill in; `${!Name}` is CloudFormation's escape, left as written. */
const SUB_PLACEHOLDER = /\$\{([^!{}][^{}]*)\}/g;

/** `${Name}` in every string (keys too), for each literal value; CloudFormation's `${!Name}` stays as written. */
function fillJson(v: unknown, values: ReadonlyMap<string, string>, used?: Set<string>): unknown {
  const fill = (s: string) =>
    s.replace(SUB_PLACEHOLDER, (m, name: string) => {
      const x = values.get(name.trim());
      if (x !== undefined) used?.add(name.trim());
      return x ?? m;
    });
  if (typeof v === "string") return fill(v);
  if (Array.isArray(v)) return v.map((x) => fillJson(x, values, used));
  if (!isObj(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) Object.defineProperty(out, fill(k), { value: fillJson(x, values, used), enumerable: true, writable: true, configurable: true });
  return out;
}

/** A CloudFormation function's value, as the `${...}` text `Fn::Sub` gives it, where it is a name or attribute. */
function asPlaceholder(v: unknown): string | undefined {
  if (!isObj(v) || Object.keys(v).length !== 1) return undefined;
  if (typeof v.Ref === "string") return `\${${v.Ref}}`;
  const att = v["Fn::GetAtt"];
  if (Array.isArray(att) && att.length === 2 && att.every((x) => typeof x === "string")) return `\${${att[0]}.${att[1]}}`;
  if (typeof att === "string") return `\${${att}}`;
  return undefined;
}

/**
 * A CloudFormation function as the text it gives, where the lifter can write it: a name or attribute as a
 * `${...}` placeholder, `Fn::Sub` as its text (its literal variables filled in), `Fn::Join` of such parts.
 */
function functionText(v: Obj): string | undefined {
  const named = asPlaceholder(v);
  if (named !== undefined) return named;
  const sub = v["Fn::Sub"];
  if (typeof sub === "string") return sub;
  if (Array.isArray(sub) && sub.length === 2 && typeof sub[0] === "string" && isObj(sub[1])) {
    const vars = sub[1];
    let ok = true;
    const text = sub[0].replace(SUB_PLACEHOLDER, (m, name: string) => {
      const x = vars[name.trim()];
      if (x === undefined) return m;
      if (typeof x === "string" || typeof x === "number" || typeof x === "boolean") return String(x);
      const t = isObj(x) ? functionText(x) : undefined;
      if (t === undefined) ok = false;
      return t ?? m;
    });
    return ok ? text : undefined;
  }
  const picked = selectOfSplit(v);
  if (picked !== undefined) return picked;
  const join = v["Fn::Join"];
  if (Array.isArray(join) && join.length === 2 && typeof join[0] === "string" && Array.isArray(join[1])) {
    const parts = join[1].map((p) => (typeof p === "string" || typeof p === "number" ? String(p) : isObj(p) ? functionText(p) : undefined));
    return parts.every((p) => p !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}

/**
 * `Fn::Select` of an `Fn::Split` (a part of an ARN, a stack id): of a literal,
 * the part itself; of a name or attribute, a placeholder named after the
 * functions (`${Select(5, Split(':', Bucket.Arn))}`), known only at
 * deployment like the attribute, for `--substitute` to give.
 */
function selectOfSplit(v: Obj): string | undefined {
  const sel = v["Fn::Select"];
  if (!Array.isArray(sel) || sel.length !== 2 || !/^[0-9]+$/.test(String(sel[0]))) return undefined;
  const split = isObj(sel[1]) && Object.keys(sel[1]).length === 1 ? sel[1]["Fn::Split"] : undefined;
  if (!Array.isArray(split) || split.length !== 2 || typeof split[0] !== "string" || !split[0] || /[{}']/.test(split[0])) return undefined;
  const index = Number(sel[0]);
  if (typeof split[1] === "string" && !split[1].includes("${")) return split[1].split(split[0])[index];
  const text = typeof split[1] === "string" ? split[1] : isObj(split[1]) ? asPlaceholder(split[1]) : undefined;
  const name = text === undefined ? undefined : /^\$\{([^{}]+)\}$/.exec(text)?.[1];
  return name === undefined ? undefined : `\${Select(${index}, Split('${split[0]}', ${name}))}`;
}

/** The definition with each CloudFormation function replaced by its text; those that cannot be are listed. */
function withFunctionsAsText(v: unknown, path: JPath, problems: Array<{ path: JPath; fn: string }>): unknown {
  if (Array.isArray(v)) return v.map((x, i) => withFunctionsAsText(x, [...path, i], problems));
  if (!isObj(v)) return v;
  const keys = Object.keys(v);
  if (keys.length === 1 && (keys[0] === "Ref" || keys[0].startsWith("Fn::"))) {
    const t = functionText(v);
    if (t === undefined) problems.push({ path, fn: keys[0] });
    return t ?? null;
  }
  const out: Obj = {};
  for (const k of keys) Object.defineProperty(out, k, { value: withFunctionsAsText(v[k], [...path, k], problems), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Literal substitution values; those given by a function are left as placeholders (and named, for the message). */
function literalValues(subs: unknown): { values: Map<string, string>; functions: string[] } {
  const values = new Map<string, string>();
  const functions: string[] = [];
  if (!isObj(subs)) return { values, functions };
  for (const [k, v] of Object.entries(subs)) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") values.set(k, String(v));
    else functions.push(k);
  }
  return { values, functions };
}

export interface TemplateSource {
  source: Source;
  /** Substitutions a CloudFormation function gives, left as `${Name}` placeholders. */
  unfilled: string[];
  /** Names of the values given that were filled in here (in placeholders the functions made, or in a DefinitionUri file). */
  used: Set<string>;
}

/** How a definition file beside the template is read (JSON or YAML, as any state machine file). */
export type ReadDefinition = (file: string, text: string) => Source | { diagnostics: Diagnostic[] };

/** The state machine `machine` (or the template's only one), as the source to lift. */
export function templateSource(file: string, text: string, machine: string | undefined, readDefinition: ReadDefinition, given: ReadonlyMap<string, string> = new Map()): TemplateSource | { diagnostics: Diagnostic[] } {
  const parsed = parseTemplate(file, text);
  if ("diagnostics" in parsed) return parsed;
  const fail = (path: JPath, message: string, hint?: string) => ({ diagnostics: [error(parsed.pos(path), message, { code: "lift-template", ...(hint ? { hint } : {}) })] });
  const resources = isObj(parsed.json) && isObj(parsed.json.Resources) ? parsed.json.Resources : undefined;
  if (!resources) return fail([], "not a CloudFormation template: it has no Resources");
  const ids = Object.keys(resources).filter((id) => isObj(resources[id]) && MACHINE_TYPES.has(String((resources[id] as Obj).Type)));
  if (!ids.length) return fail(["Resources"], `the template has no state machine (${[...MACHINE_TYPES].join(" or ")})`);
  let id: string;
  if (machine !== undefined) {
    if (!ids.includes(machine)) return fail(["Resources"], `the template has no state machine '${machine}' (it has ${ids.join(", ")})${didYouMean(machine, new Set(ids))}`);
    id = machine;
  } else if (ids.length > 1) {
    return fail(["Resources"], `the template has ${ids.length} state machines (${ids.join(", ")}): say which with --machine`, `switchyard import ${file} --machine ${ids[0]}`);
  } else id = ids[0];
  const propsPath: JPath = ["Resources", id, "Properties"];
  const props = (resources[id] as Obj).Properties;
  if (!isObj(props)) return fail(["Resources", id], `state machine '${id}' has no Properties`);
  const { values, functions } = literalValues(props.DefinitionSubstitutions);
  // The pipeline is named as the machine is (a literal Name), else after its logical id.
  const ownName = [props.Name, props.StateMachineName].find((x): x is string => typeof x === "string" && !x.includes("${"));
  const used = new Set<string>();
  // Substitutions first, then the values given (`--substitute`) for what is left: those the text did not show.
  const filled = (json: unknown) => fillJson(fillJson(json, values), given, used);
  const named = (source: Source): TemplateSource["source"] => ({ ...source, name: ownName ?? id });

  if (isObj(props.Definition)) {
    const base: JPath = [...propsPath, "Definition"];
    // Functions written inside the definition (`Resource: !Sub arn:${AWS::Partition}:...`) are the text they give.
    const problems: Array<{ path: JPath; fn: string }> = [];
    const definition = withFunctionsAsText(props.Definition, [], problems);
    if (problems.length) {
      return {
        diagnostics: problems.map((x) =>
          error(parsed.pos([...base, ...x.path]), `${x.fn} is a CloudFormation function evaluated at deployment; inside a definition only Ref, Fn::GetAtt, Fn::Sub, Fn::Join and Fn::Select of Fn::Split are read (as \${...} placeholders)`, { code: "lift-template", hint: "write the value it gives, or a ${Name} placeholder given with --substitute" }),
        ),
      };
    }
    return { source: named({ file, json: filled(definition), pos: (path) => parsed.pos([...base, ...path]) }), unfilled: functions, used };
  }
  if (typeof props.DefinitionUri === "string") {
    const read = readLocalText(dirname(file), props.DefinitionUri, "a state machine definition file");
    if ("problem" in read) return fail([...propsPath, "DefinitionUri"], `DefinitionUri '${props.DefinitionUri}' ${read.problem}`, read.hint);
    // Messages point into that file, named as the template names it (relative to the template's folder).
    const uri = join(dirname(file), props.DefinitionUri);
    const src = readDefinition(uri, read.text);
    if ("diagnostics" in src) return src;
    return { source: named({ ...src, json: filled(src.json) }), unfilled: functions, used };
  }
  if (props.DefinitionUri !== undefined) return fail([...propsPath, "DefinitionUri"], "DefinitionUri names an S3 object, which is read only at deployment", "download it and import that file, with --substitute for its placeholders");
  if (props.DefinitionString !== undefined) {
    const where: JPath = [...propsPath, "DefinitionString"];
    const body = definitionString(props.DefinitionString);
    if ("problem" in body) return fail(where, `DefinitionString ${body.problem}`);
    for (const [k, v] of body.values) if (!values.has(k)) values.set(k, v);
    if (tooDeepAt(body.text) !== undefined) return fail(where, `DefinitionString nests deeper than ${INPUT_LIMITS.maxDepth} levels`);
    let json: unknown;
    try {
      json = JSON.parse(body.text);
    } catch (e) {
      return fail(where, `DefinitionString is not JSON: ${(e as Error).message}`);
    }
    // Messages point at the string; their JSON path says where in it.
    return { source: named({ file, json: filled(json), pos: () => parsed.pos(where) }), unfilled: [...functions, ...body.functions], used };
  }
  return fail(propsPath, `state machine '${id}' has no Definition, DefinitionString or DefinitionUri`);
}

/** The JSON text of a DefinitionString: a string, `Fn::Sub` (with its variables) or `Fn::Join` of strings and names. */
function definitionString(v: unknown): { text: string; values: Map<string, string>; functions: string[] } | { problem: string } {
  if (typeof v === "string") return { text: v, values: new Map(), functions: [] };
  if (!isObj(v) || Object.keys(v).length !== 1) return { problem: "is neither a string nor one CloudFormation function (Fn::Sub, Fn::Join)" };
  const sub = v["Fn::Sub"];
  if (typeof sub === "string") return { text: sub, values: new Map(), functions: [] };
  if (Array.isArray(sub) && sub.length === 2 && typeof sub[0] === "string") {
    const { values, functions } = literalValues(sub[1]);
    return { text: sub[0], values, functions };
  }
  const join = v["Fn::Join"];
  if (Array.isArray(join) && join.length === 2 && typeof join[0] === "string" && Array.isArray(join[1])) {
    const parts: string[] = [];
    for (const p of join[1]) {
      const t = typeof p === "string" ? p : asPlaceholder(p);
      if (t === undefined) return { problem: `joins ${JSON.stringify(p).slice(0, 80)}, a value known only at deployment that is neither a name (Ref) nor an attribute (Fn::GetAtt)` };
      parts.push(t);
    }
    return { text: parts.join(join[0]), values: new Map(), functions: [] };
  }
  return { problem: `is ${Object.keys(v)[0]}, which is not read (only a string, Fn::Sub and Fn::Join)` };
}
