/**
 * The official SageMaker Pipelines definition schema, kept verbatim, with our
 * reviewed corrections (backends/sagemaker/schema/corrections.json, a JSON
 * Patch whose every operation carries its real-world evidence) applied on load.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";

const dir = fileURLToPath(new URL("../../../../backends/sagemaker/schema/", import.meta.url));

export interface Correction {
  op: "add" | "replace" | "remove";
  path: string;
  value?: unknown;
  /** What the schema gets wrong. */
  why: string;
  /** Where real definitions show it (corpus file, SDK source, service behaviour). */
  evidence: string;
}

export const officialSchema = (): Record<string, unknown> => JSON.parse(readFileSync(dir + "pipeline-definition.schema.json", "utf8"));
export const corrections = (): Correction[] => JSON.parse(readFileSync(dir + "corrections.json", "utf8"));

const unescape = (s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~");

/** RFC 6902 add/replace/remove (the subset the corrections use). */
export function applyPatch<T>(doc: T, ops: Correction[]): T {
  const root = structuredClone(doc) as unknown as Record<string, unknown>;
  for (const op of ops) {
    const parts = op.path.split("/").slice(1).map(unescape);
    const last = parts.pop()!;
    let cur: unknown = root;
    for (const p of parts) {
      cur = (cur as Record<string, unknown>)[p];
      if (cur === undefined) throw new Error(`correction path not found: ${op.path}`);
    }
    const parent = cur as Record<string, unknown> | unknown[];
    if (Array.isArray(parent)) {
      const i = last === "-" ? parent.length : Number(last);
      // Values are copied: a later operation may change what an earlier one added.
      if (op.op === "add") parent.splice(i, 0, structuredClone(op.value));
      else if (op.op === "replace") parent[i] = structuredClone(op.value);
      else parent.splice(i, 1);
    } else {
      if (op.op !== "add" && !(last in parent)) throw new Error(`correction target missing: ${op.path}`);
      if (op.op === "remove") delete parent[last];
      else parent[last] = structuredClone(op.value);
    }
  }
  return root as unknown as T;
}

let cached: ValidateFunction | undefined;

export function correctedValidator(): ValidateFunction {
  if (cached) return cached;
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  cached = ajv.compile(applyPatch(officialSchema(), corrections()));
  return cached;
}

export function officialValidator(): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  return ajv.compile(officialSchema());
}

export function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}
