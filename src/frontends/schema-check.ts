/**
 * Validate a positioned tree against the pipeline JSON Schema (ajv) and turn
 * ajv's errors into one clear, positioned diagnostic each.
 */
import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv";
import { error, type Diagnostic } from "../diagnostics.js";
import { didYouMean } from "../util/suggest.js";
import { pipelineSchema, STEP_KIND_NAMES } from "../schema/pipeline-schema.js";
import { AJV_OPTIONS } from "../schema/ajv-options.js";
import { prebuiltValidator } from "../schema/prebuilt-validator.js";
import { get, toJSON, type PMap, type PNode } from "./pnode.js";

let compiled: ValidateFunction | undefined;

/** The validator compiled at build time (see scripts/write-validator.mjs), else one compiled now. */
async function validator(): Promise<ValidateFunction> {
  if (!compiled) {
    compiled = (await prebuiltValidator()) ?? compileNow();
  }
  return compiled;
}

/** Compile the schema with ajv here and now (ajv itself is loaded only for this). */
function compileNow(): ValidateFunction {
  const { Ajv } = createRequire(import.meta.url)("ajv") as typeof import("ajv");
  return new Ajv(AJV_OPTIONS).compile(pipelineSchema());
}

/** Load the validator ahead of a synchronous `checkSchema`. */
export async function prepareSchema(): Promise<void> {
  await validator();
}

function validatorSync(): ValidateFunction {
  return (compiled ??= compileNow());
}

function splitPath(instancePath: string): string[] {
  return instancePath === "" ? [] : instancePath.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function describePath(path: string[]): string {
  if (path[0] === "steps" && path.length >= 2) {
    const rest = path.slice(2);
    return `step '${path[1]}'${rest.length ? ` (${rest.join(".")})` : ""}`;
  }
  if (path[0] === "parameters" && path.length >= 2) {
    const rest = path.slice(2);
    return `parameter '${path[1]}'${rest.length ? ` (${rest.join(".")})` : ""}`;
  }
  return path.length ? `'${path.join(".")}'` : "the pipeline";
}

function show(v: unknown): string {
  return typeof v === "string" ? `'${v}'` : JSON.stringify(v);
}

/**
 * Schema errors after which the tree still has the shape the builder expects,
 * so semantic checks can run too and the user sees every error at once.
 */
export const SOFT_SCHEMA_CODES = new Set(["schema-unknown-key", "duration", "schema-enum", "schema-pattern", "schema-const", "schema-range", "schema-length", "invalid-name"]);

export function checkSchema(root: PNode): Diagnostic[] {
  const out: Diagnostic[] = [];
  const badKindSteps = new Set<string>();

  // Unknown step kinds first: one clear error with a suggestion, instead of ajv's noise.
  const steps = root.t === "map" ? get(root, "steps") : undefined;
  if (steps && steps.t === "map") {
    for (const [id, s] of steps.entries) {
      if (s.t !== "map") continue;
      const t = get(s, "type");
      if (t && t.t === "scalar" && typeof t.value === "string" && !STEP_KIND_NAMES.includes(t.value)) {
        out.push(error(t.pos, `unknown step kind '${t.value}' in step '${id}'${didYouMean(t.value, STEP_KIND_NAMES)}`, {
          code: "unknown-kind",
          hint: `step kinds: ${STEP_KIND_NAMES.join(", ")}`,
        }));
        badKindSteps.add(id);
      }
    }
  }

  const validate = validatorSync();
  if (validate(toJSON(root))) return out;
  const errors = (validate.errors ?? []).filter((e) => {
    const p = splitPath(e.instancePath);
    return !(p[0] === "steps" && badKindSteps.has(p[1])) && e.keyword !== "if";
  });

  // anyOf: keep the errors of the branch whose type fits the data; else one summary.
  const anyOfPaths = new Map<string, ErrorObject>();
  for (const e of errors) if (e.keyword === "anyOf") anyOfPaths.set(e.schemaPath, e);
  const kept: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === "anyOf") continue;
    const owner = [...anyOfPaths.keys()].find((sp) => e.schemaPath.startsWith(sp + "/"));
    if (owner) {
      const a = anyOfPaths.get(owner)!;
      // A branch whose type does not fit says nothing useful.
      if (e.keyword === "type" && e.instancePath === a.instancePath) continue;
      if (e.keyword === "pattern" && e.instancePath === a.instancePath) continue;
      (a as { used?: boolean }).used = true;
    }
    kept.push(e);
  }
  for (const a of anyOfPaths.values()) if (!(a as { used?: boolean }).used) kept.push(a);

  const seen = new Set<string>();
  for (const e of kept) {
    const d = toDiagnostic(e, root);
    const key = `${d.pos?.line}:${d.pos?.col}:${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}

/**
 * Children by key, built once per map: a file with many unknown keys has an
 * error per key, and a linear search per error would make it quadratic.
 */
const childIndex = new WeakMap<PMap, Map<string, PNode>>();
function child(n: PNode | undefined, key: string): PNode | undefined {
  if (!n || n.t !== "map") return undefined;
  let index = childIndex.get(n);
  if (!index) {
    index = new Map();
    for (const [k, v] of n.entries) if (!index.has(k)) index.set(k, v);
    childIndex.set(n, index);
  }
  return index.get(key);
}

function nodeAt(root: PNode, path: string[]): PNode | undefined {
  let cur: PNode | undefined = root;
  for (const seg of path) cur = cur?.t === "seq" ? cur.items[Number(seg)] : child(cur, seg);
  return cur;
}

function toDiagnostic(e: ErrorObject, root: PNode): Diagnostic {
  const path = splitPath(e.instancePath);
  const node = nodeAt(root, path) ?? root;
  const where = describePath(path);
  const last = path[path.length - 1];
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const found = child(node, key);
      const known = Object.keys(((e.parentSchema as { properties?: object })?.properties ?? {}) as object);
      return error(found?.keyPos ?? node.pos, `unknown key '${key}' in ${where}${didYouMean(key, known)}`, {
        code: "schema-unknown-key",
      });
    }
    case "required":
      return error(node.pos, `missing required key '${String(params.missingProperty)}' in ${where}`, { code: "schema-required" });
    case "type": {
      // A field whose schema description is a phrase ("the fields the approver is sent, ...") gets it as the hint.
      const described = (e.parentSchema as { description?: unknown } | undefined)?.description;
      return error(node.pos, `${where} must be ${withArticle(String(params.type))}, not ${show(e.data)}`, {
        code: "schema-type",
        ...(typeof described === "string" && /^[a-z]/.test(described) ? { hint: `${last === undefined ? "it" : `'${last}'`} is ${described}` } : {}),
      });
    }
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map(String);
      return error(node.pos, `${show(e.data)} is not allowed for ${where}${didYouMean(String(e.data), allowed)}`, {
        code: "schema-enum",
        hint: `allowed: ${allowed.join(", ")}`,
      });
    }
    case "const":
      return error(node.pos, `${where} must be ${show(params.allowedValue)}`, { code: "schema-const" });
    case "pattern": {
      const isDuration = String(params.pattern).includes("ms|s|m|h|d");
      if (isDuration) {
        return error(node.pos, `${show(e.data)} is not a duration in ${where}`, { code: "duration", hint: "write it like 30s, 10m, 2h, 7d or 1h30m" });
      }
      return error(node.pos, `${show(e.data)} is not a valid value for ${where}`, { code: "schema-pattern", hint: `expected to match ${String(params.pattern)}` });
    }
    case "propertyNames": {
      const name = String(params.propertyName);
      const found = child(node, name);
      const what = last === "steps" ? "step id" : last === "parameters" ? "parameter name" : "name";
      return error(found?.keyPos ?? node.pos, `${what} '${name}' is not a valid name`, {
        code: "invalid-name",
        hint: "names start with a letter or '_' and contain only letters, digits, '_' and '-'",
      });
    }
    case "anyOf": {
      const desc = (e.parentSchema as { description?: string })?.description;
      if (desc?.includes("A duration such as")) {
        const orExpr = desc.includes("or an expression") ? ", or as an expression ${{ ... }} of whole seconds" : "";
        return error(node.pos, `${show(e.data)} is not a duration in ${where}`, { code: "duration", hint: `write it like 30s, 10m, 2h, 7d or 1h30m${orExpr}` });
      }
      return error(node.pos, `${show(e.data)} is not valid for ${where}${desc ? `: expected ${lowerFirst(desc)}` : ""}`, { code: "schema-type" });
    }
    case "minProperties":
    case "minItems":
      return error(node.pos, `${where} must not be empty`, { code: "schema-empty" });
    case "maxLength":
      return error(node.pos, `${where} is longer than ${String(params.limit)} characters`, { code: "schema-length" });
    case "minimum":
    case "maximum":
      return error(node.pos, `${where} must be ${e.keyword === "minimum" ? ">=" : "<="} ${String(params.limit)}`, { code: "schema-range" });
    default:
      return error(node.pos, `${where} ${e.message ?? "is invalid"}`, { code: "schema" });
  }
}

function withArticle(t: string): string {
  const words = t.split(",").map((w) => (w === "object" ? "a map" : w === "array" ? "a list" : w === "integer" ? "an integer" : `a ${w}`));
  return words.join(" or ");
}

function lowerFirst(s: string): string {
  return s[0].toLowerCase() + s.slice(1).replace(/\.$/, "");
}
