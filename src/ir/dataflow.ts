/**
 * Where data lives, decided without asking AWS: every step output is
 * `<artifacts>/<execution id>/<step>[/<item index>]/<output>`, and local code is
 * uploaded to `<artifacts>/code/<sha256 prefix>/<file name>` (content-addressed,
 * so an unchanged file keeps its key and SageMaker's cache stays valid).
 */
import { basename } from "node:path";
import type { CodeFile, Pipeline, Pos, Step, Value } from "./types.js";
import { substituteItem } from "./foreach.js";
import { TRANSFORM_OUTPUT } from "./kinds.js";

/** Length of the hash prefix in code keys. */
export const CODE_HASH_CHARS = 16;

/**
 * The S3 URI of a step output as a neutral value: a join of the literal prefix,
 * `execution.id` and the literal suffix. Backends render `execution.id` their way.
 */
export function outputLocation(p: Pipeline, step: string, output: string, pos: Pos, itemIndex?: number): Value {
  const given = explicitDestination(p, step, output, itemIndex);
  if (given) return given;
  const suffix = outputSuffix(step, output, itemIndex);
  return {
    kind: "join",
    parts: [
      { kind: "literal", value: `${p.artifacts}/`, type: "string", pos },
      { kind: "ref", ref: { scope: "execution", name: "id" }, pos },
      { kind: "literal", value: suffix, type: "string", pos },
    ],
    pos,
  };
}

/** Steps by id, per pipeline: output locations are looked up once per reference. */
const stepIndex = new WeakMap<Pipeline, Map<string, Step>>();

/** An output's own `destination` as written, when the step writes that output to one. */
function ownDestination(s: Step, output: string): Value | undefined {
  if (s.kind === "processing") return Object.hasOwn(s.outputs, output) ? s.outputs[output].destination : undefined;
  return s.kind === "transform" && output === TRANSFORM_OUTPUT ? s.output.destination : undefined;
}

/** A step's outputs written to their own `destination`, with it (as written: a foreach step's item not filled in). */
export function ownDestinations(s: Step): Array<[string, Value]> {
  const names = s.kind === "processing" ? Object.keys(s.outputs) : s.kind === "transform" ? [TRANSFORM_OUTPUT] : [];
  return names.flatMap((n): Array<[string, Value]> => {
    const d = ownDestination(s, n);
    return d ? [[n, d]] : [];
  });
}

/** An output's own `destination`, when it has one (a foreach copy's with its item filled in). */
export function explicitDestination(p: Pipeline, stepId: string, output: string, itemIndex?: number): Value | undefined {
  let byId = stepIndex.get(p);
  if (!byId) stepIndex.set(p, (byId = new Map(p.steps.map((x) => [x.id, x]))));
  const s = byId.get(stepId);
  if (!s) return undefined;
  // The one output asked for, not a list of them all (this is asked once per reference).
  const dest = ownDestination(s, output);
  if (!dest) return undefined;
  const item = itemIndex !== undefined ? s.foreach?.items[itemIndex] : undefined;
  return item ? substituteItem(dest, item) : dest;
}

/** What follows `<artifacts>/<execution id>` in an output's location: `/<step>[/<item index>]/<output>`. */
export function outputSuffix(step: string, output: string, itemIndex?: number): string {
  return itemIndex === undefined ? `/${step}/${output}` : `/${step}/${itemIndex}/${output}`;
}

/** Bucket and key of an `s3://bucket/key` URI. */
export function splitS3(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`not an S3 URI: ${uri}`);
  return { bucket: m[1], key: m[2] };
}

/** The S3 URI a local code file is uploaded to. */
export function codeLocation(p: Pipeline, code: CodeFile): string {
  return `${p.artifacts}/code/${code.sha256.slice(0, CODE_HASH_CHARS)}/${basename(code.path)}`;
}

export interface ManifestEntry {
  /** Path relative to the pipeline file. */
  path: string;
  s3: string;
  sha256: string;
  steps: string[];
}

/** Every local file the pipeline needs uploaded, sorted by S3 URI. */
export function codeManifest(p: Pipeline): ManifestEntry[] {
  const byUri = new Map<string, ManifestEntry>();
  for (const s of p.steps) {
    const code = s.kind === "processing" || s.kind === "training" || s.kind === "tuning" ? s.code : s.kind === "notebook" ? s.notebook : undefined;
    if (!code) continue;
    const s3 = codeLocation(p, code);
    const e = byUri.get(s3) ?? { path: code.path, s3, sha256: code.sha256, steps: [] };
    e.steps.push(s.id);
    byUri.set(s3, e);
  }
  return [...byUri.values()].sort((a, b) => (a.s3 < b.s3 ? -1 : a.s3 > b.s3 ? 1 : 0));
}
