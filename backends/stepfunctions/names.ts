/**
 * Names: state names (<= 80 characters, unique in the machine) and SageMaker
 * resource names, unique per execution (and, for jobs, per attempt).
 */
import { STARTED_BY_EXECUTION } from "../../src/aws/request-members.js";
import { createHash } from "node:crypto";
import { escapeFormat } from "./intrinsics.js";
import { copyName } from "../../src/ir/names.js";
import type { Step } from "../../src/ir/types.js";

export const NAME_RULES = {
  stateName: { max: 80, source: "ASL state name, 1-80 characters (API StateEnteredEventDetails.name)" },
  jobName: { max: 63, pattern: /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/, source: "CreateTrainingJob/CreateProcessingJob/CreateTransformJob name, 1-63" },
  tuningJobName: { max: 32, source: "CreateHyperParameterTuningJob HyperParameterTuningJobName, 1-32" },
  modelName: { max: 63, source: "CreateModel ModelName / CreateEndpointConfig EndpointConfigName, 1-63" },
} as const;

/**
 * The suffixes of a step's own Fail states (`<step>.failed`: a polled job or an endpoint rollout that
 * failed; `.timeout`: one past its polls, or a repeat past its timeout; `.limit`: a repeat past
 * max_calls). Lowering hands them to the step's failure handler, and the lifter reads them back.
 */
export const OWN_FAIL = { failed: ".failed", timeout: ".timeout", limit: ".limit" } as const;
export const OWN_FAILS: readonly string[] = Object.values(OWN_FAIL);

/** A polled wait's first result (tasks.ts emitPolled): one poll so far, and the call's response kept under `started`. */
export const POLLED_START = { polls: 1, "started.$": "$" } as const;

/** MD5 of the execution's id: 32 hex characters, one per execution. */
const EXEC_HASH = "States.Hash($$.Execution.Id, 'MD5')";

/** Inside a map's iteration, names are unique per item: the execution id with the item's index (at `$.index`). */
export const ITERATION_ID = "States.Format('{}/{}', $$.Execution.Id, $.index)";

/**
 * `iteration.id` while a map's states are written (render.ts), replaced once
 * the map knows how it runs (lower.ts emitMap): a distributed Map's child has
 * its own execution name; an inline iteration is the run's name with its index.
 */
export const ITERATION_RUN_MARK = "$$.Map.Iteration.Id";
export const ITERATION_RUN_CHILD = "$$.Execution.Name";
export const ITERATION_RUN_INLINE = "States.Format('{}/{}', $$.Execution.Name, $.index)";

/**
 * The states of a map's iteration with the names they generate made unique
 * per item: each `$$.Execution.Id` in a path or intrinsic (`.$` fields; only
 * generated names read it) becomes the execution id with the item's index.
 * `back` undoes it, for a machine Switchyard wrote.
 */
export function perIteration<T>(x: T, back = false): T {
  const swap = (v: unknown, inPath: boolean): unknown => {
    if (typeof v === "string") return inPath ? (back ? v.split(ITERATION_ID).join("$$.Execution.Id") : v.split("$$.Execution.Id").join(ITERATION_ID)) : v;
    if (Array.isArray(v)) return v.map((y) => swap(y, inPath));
    if (v === null || typeof v !== "object") return v;
    // The link to the execution that starts another one is that execution's own ARN.
    return Object.fromEntries(Object.entries(v).map(([k, y]) => [k, k === `${STARTED_BY_EXECUTION}.$` ? y : swap(y, k.endsWith(".$"))]));
  };
  return swap(x, false) as T;
}
const HASH_HEX = 32;

/** The first `n` hex digits of the text's SHA-256. */
export function shortHash(text: string, n = 6): string {
  return createHash("sha256").update(text).digest("hex").slice(0, n);
}

/** A state name for `base` plus a suffix, kept within 80 characters (hash-shortened, stable). */
export function stateName(base: string, suffix = ""): string {
  const full = base + suffix;
  if (full.length <= NAME_RULES.stateName.max) return full;
  const keep = NAME_RULES.stateName.max - suffix.length - 7;
  return `${base.slice(0, keep)}~${shortHash(base)}${suffix}`;
}

export { copyName } from "../../src/ir/names.js";

/**
 * Whether state `name` is one of step `s`'s own: named by its id (or each
 * foreach copy's name), or that name then `.` and the state's part.
 */
export function ownsState(s: Step, name: string): boolean {
  const bases = s.foreach ? s.foreach.items.map((_, i) => copyName(s.id, i)) : [s.id];
  return bases.some((base) => name === stateName(base) || name.startsWith(`${base}.`));
}

/**
 * A resource-name prefix from a step id: letters, digits and single hyphens,
 * at most `max` characters; a hash is added when the id had to change, so two
 * ids never share a prefix.
 */
export function namePrefix(id: string, index: number | undefined, max: number): string {
  const raw = index === undefined ? id : `${id}-${index}`;
  let s = raw.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  if (s === "" || !/^[A-Za-z0-9]/.test(s)) s = "s" + s;
  if (s !== raw || s.length > max) {
    const h = shortHash(raw);
    s = `${s.slice(0, Math.max(1, max - h.length - 1)).replace(/-+$/, "")}-${h}`;
  }
  return s;
}

/** Digits `$$.State.RetryCount` can take for `attempts` total attempts. */
function retryDigits(attempts: number): number {
  return String(Math.max(0, attempts - 1)).length;
}

/**
 * A job name unique per execution and attempt: `<prefix>-<md5(execution id)>-<retry>`,
 * at most 63 characters.
 */
export function jobNameExpr(id: string, index: number | undefined, attempts: number): string {
  const budget = NAME_RULES.jobName.max - HASH_HEX - 2 - retryDigits(attempts);
  return `States.Format('${escapeFormat(namePrefix(id, index, budget))}-{}-{}', ${EXEC_HASH}, $$.State.RetryCount)`;
}

/** Tuning jobs allow 32 characters: the MD5 of execution id, step and attempt. */
export function tuningJobNameExpr(id: string, index: number | undefined): string {
  return `States.Hash(States.Format('{}/${escapeFormat(namePrefix(id, index, 40))}/{}', $$.Execution.Id, $$.State.RetryCount), 'MD5')`;
}

/** A model / endpoint-config name, one per execution (referable later without state). */
export function resourceNameExpr(id: string, index: number | undefined, kind: string): string {
  const budget = NAME_RULES.modelName.max - HASH_HEX - 1;
  return `States.Format('${escapeFormat(namePrefix(`${id}-${kind}`, index, budget))}-{}', ${EXEC_HASH})`;
}

export function modelNameExpr(id: string, index: number | undefined): string {
  return resourceNameExpr(id, index, "model");
}
