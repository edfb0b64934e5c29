/** SageMaker JSON values and conditions -> IR values (the inverse of ../expr.ts and ../conditions.ts). */
import { error, type Diagnostic } from "../../../src/diagnostics.js";
import type { CompareOp, PathSegment, Pos, Ref, Value } from "../../../src/ir/types.js";
import { COMPARE_TYPES } from "../conditions.js";
import { EXECUTION_VARIABLES } from "../expr.js";
import { pointer, type Located } from "./jsonpos.js";
import { normaliseJoins } from "./residual.js";
import { isDeepStrictEqual } from "node:util";

export interface LiftCtx {
  file: string;
  loc: Located;
  diags: Diagnostic[];
  /** The definition's steps by name (nested ones included). */
  steps: Map<string, Record<string, unknown>>;
  /** The lifted pipeline's artifacts location (outputs there need no explicit destination). */
  artifacts?: string;
}

/** Where a JSON node starts; for a member the definition leaves out, where its nearest enclosing node starts. */
export function posAt(c: LiftCtx, ptr: string): Pos {
  for (let p = ptr; ; p = p.slice(0, p.lastIndexOf("/"))) {
    const at = c.loc.pos.get(p);
    if (at) return at;
    if (p === "") return { file: c.file, line: 1, col: 1 };
  }
}

export function refuse(c: LiftCtx, ptr: string, what: string): void {
  c.diags.push(error(posAt(c, ptr), `${what} (at JSON path ${ptr || "/"}) has no equivalent in the pipeline format`, { code: "lift-unsupported" }));
}

const JOB_NAMES = new Set(["TrainingJobName", "ProcessingJobName", "TransformJobName", "HyperParameterTuningJobName"]);

/** `a.b[0]['c d']` -> ["a", "b", 0, "c d"]. */
export function parsePath(text: string): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  const re = /(?:^|\.)([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < text.length && (m = re.exec(text))) {
    out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3].replace(/\\(.)/g, "$1")));
    at = re.lastIndex;
  }
  return at === text.length && out.length ? out : undefined;
}

/** A `Get` path as an IR reference, or undefined when the IR has none for it. */
export function refOf(path: string, steps?: Map<string, Record<string, unknown>>): Ref | undefined {
  if (path.startsWith("Parameters.")) return { scope: "params", name: path.slice("Parameters.".length) };
  for (const [name, variable] of Object.entries(EXECUTION_VARIABLES)) if (path === variable) return { scope: "execution", name: name as keyof typeof EXECUTION_VARIABLES };
  const m = /^Steps\.([A-Za-z0-9_-]+)\.(.+)$/.exec(path);
  if (!m) return undefined;
  const [, step, rest] = m;
  const target = steps?.get(step);
  // A passthrough step's properties are its own type's: all of them are values in its response.
  if (target && passthroughReason(target as Record<string, any>)) {
    const segs = parsePath(rest);
    return segs ? { scope: "steps", step, attr: "response", path: segs } : undefined;
  }
  let k: RegExpExecArray | null;
  if ((k = /^ProcessingOutputConfig\.Outputs\['([^']+)'\]\.S3Output\.S3Uri$/.exec(rest))) return { scope: "steps", step, attr: "outputs", name: k[1] };
  if ((k = /^OutputParameters\['([^']+)'\]$/.exec(rest))) return { scope: "steps", step, attr: "outputs", name: k[1] };
  if (rest === "TransformOutput.S3OutputPath") return { scope: "steps", step, attr: "outputs", name: "output" };
  if (rest === "ModelArtifacts.S3ModelArtifacts") return { scope: "steps", step, attr: "model" };
  if (rest === "ModelName") return { scope: "steps", step, attr: "name" };
  if (rest === "ModelPackageArn") return { scope: "steps", step, attr: "arn" };
  if (JOB_NAMES.has(rest)) return { scope: "steps", step, attr: "job_name" };
  // Any other property of a job step is a value in its Describe* response.
  if (target && RESPONSE_TYPES.has(String(target.Type))) {
    const segs = parsePath(rest);
    if (segs) return { scope: "steps", step, attr: "response", path: segs };
  }
  return undefined;
}

/** SageMaker step types whose neutral kind exposes its properties as `response`. */
const RESPONSE_TYPES = new Set(["Processing", "Training", "Tuning", "Transform"]);

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === "object" && !Array.isArray(x);

/** Whether a JSON value contains a SageMaker expression anywhere. */
export function hasExpression(x: unknown): boolean {
  if (Array.isArray(x)) return x.some(hasExpression);
  if (!isObj(x)) return false;
  if ("Get" in x || "Std:Join" in x || "Std:JsonGet" in x) return true;
  return Object.values(x).some(hasExpression);
}

/**
 * `<tuning S3OutputPath>/<TrainingJobSummaries[0].TrainingJobName>/output/model.tar.gz` (the SDK's
 * get_top_model_s3_uri with top_k 0, and our lowering of `steps.T.model`) is the tuning step's model.
 */
function bestModelRef(c: LiftCtx, o: Record<string, unknown>): Ref | undefined {
  const j = normaliseJoins(o) as { "Std:Join"?: { Values: unknown[] } };
  const values = j["Std:Join"]?.Values;
  if (!values || values.length < 3 || values[values.length - 1] !== "/output/model.tar.gz") return undefined;
  const get = values[values.length - 2] as { Get?: unknown };
  const m = typeof get?.Get === "string" ? /^Steps\.([A-Za-z0-9_-]+)\.TrainingJobSummaries\[0\]\.TrainingJobName$/.exec(get.Get) : null;
  if (!m) return undefined;
  const tuning = c.steps.get(m[1]) as { Type?: string; Arguments?: { TrainingJobDefinition?: { OutputDataConfig?: { S3OutputPath?: unknown } } } } | undefined;
  const path = tuning?.Type === "Tuning" ? tuning.Arguments?.TrainingJobDefinition?.OutputDataConfig?.S3OutputPath : undefined;
  if (path === undefined) return undefined;
  const prefix = normaliseJoins({ "Std:Join": { On: "", Values: [path, "/"] } });
  const mine = normaliseJoins({ "Std:Join": { On: "", Values: values.slice(0, -2) } });
  return isDeepStrictEqual(prefix, mine) ? { scope: "steps", step: m[1], attr: "model" } : undefined;
}

/** SageMaker step types that lift to a neutral kind (given the shape below); others stay passthrough steps. */
const NEUTRAL_TYPES = new Set(["Processing", "Training", "Tuning", "Transform", "Model", "RegisterModel", "Fail", "Lambda", "Callback", "Condition", "EMR"]);

const HADOOP_JAR_STEP = new Set(["Jar", "Args", "MainClass", "Properties"]);

/** Why an EMR step does not fit the neutral `emr` kind (a step on an existing cluster), or undefined. */
export function emrMisfit(a: Record<string, any>): string | undefined {
  if (a.ClusterId === undefined || a.ClusterConfig !== undefined) return "an EMR step on a cluster it creates (ClusterConfig)";
  const sc = a.StepConfig;
  if (!isObj(sc) || !isObj(sc.HadoopJarStep) || Object.keys(sc).some((k) => k !== "HadoopJarStep")) return "an EMR step whose StepConfig has more than a HadoopJarStep";
  const h = sc.HadoopJarStep as Record<string, any>;
  if (h.Jar === undefined || Object.keys(h).some((k) => !HADOOP_JAR_STEP.has(k))) return "an EMR step whose HadoopJarStep has members the neutral kind does not hold";
  if (h.Properties !== undefined && !(Array.isArray(h.Properties) && h.Properties.every((p: any) => isObj(p) && typeof p.Key === "string" && Object.keys(p).length === 2 && "Value" in p) && new Set(h.Properties.map((p: any) => p.Key)).size === h.Properties.length)) {
    return "an EMR step whose Properties are not distinct literal keys with values";
  }
  return undefined;
}

/** Why a SageMaker step lifts as a passthrough step, or undefined when it lifts to a neutral kind. */
export function passthroughReason(s: Record<string, any> | undefined): string | undefined {
  if (!s) return undefined;
  const a = isObj(s.Arguments) ? (s.Arguments as Record<string, any>) : {};
  if (!NEUTRAL_TYPES.has(String(s.Type))) return `a ${String(s.Type)} step, which has no neutral kind`;
  if (s.Type === "Training" && a.AlgorithmSpecification?.TrainingImage === undefined) return "a Training step without AlgorithmSpecification.TrainingImage";
  if (s.Type === "EMR") return emrMisfit(a);
  if (s.Type === "Model" && !(isObj(a.PrimaryContainer) && a.PrimaryContainer.Image !== undefined && a.PrimaryContainer.ModelDataUrl !== undefined)) return "a Model step without one PrimaryContainer (Image and ModelDataUrl)";
  return undefined;
}

export function valueFrom(c: LiftCtx, x: unknown, ptr: string): Value {
  const pos = posAt(c, ptr);
  if (x === null || typeof x !== "object") {
    if (typeof x === "number") return { kind: "literal", value: x, type: c.loc.floats.has(ptr) || !Number.isInteger(x) ? "float" : "integer", pos };
    const type = typeof x === "string" ? "string" : typeof x === "boolean" ? "boolean" : undefined;
    return type ? { kind: "literal", value: x as string | boolean, type, pos } : { kind: "literal", value: null, pos };
  }
  if (Array.isArray(x)) return { kind: "list", items: x.map((v, i) => valueFrom(c, v, ptr + pointer([i]))), pos };
  const o = x as Record<string, any>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === "Get" && typeof o.Get === "string") {
    const ref = refOf(o.Get, c.steps);
    if (!ref) refuse(c, ptr, `the property reference '${o.Get}'`);
    return ref ? { kind: "ref", ref, pos } : { kind: "literal", value: null, pos };
  }
  const best = bestModelRef(c, o);
  if (best) return { kind: "ref", ref: best, pos };
  if (keys.length === 1 && keys[0] === "Std:Join" && isObj(o["Std:Join"])) {
    const j = o["Std:Join"];
    const on = typeof j.On === "string" ? j.On : "";
    const values = Array.isArray(j.Values) ? j.Values : [];
    const parts: Value[] = [];
    values.forEach((v, i) => {
      if (i > 0 && on) parts.push({ kind: "literal", value: on, type: "string", pos });
      const part = valueFrom(c, v, `${ptr}/Std:Join/Values/${i}`);
      parts.push(part.kind === "literal" && part.value !== null && typeof part.value !== "string" ? { ...part, value: String(part.value), type: "string" } : part);
    });
    // A join of one step property (a string already) is that property: the pipeline format has no
    // one-part join (it reads `${{ steps.S.model }}` back as the reference itself).
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only?.kind === "ref" && only.ref.scope === "steps" && only.ref.attr !== "reports") return only;
    return { kind: "join", parts, pos };
  }
  if (keys.length === 1 && keys[0] === "Std:JsonGet" && isObj(o["Std:JsonGet"])) {
    const j = o["Std:JsonGet"];
    const pf = isObj(j.PropertyFile) && typeof j.PropertyFile.Get === "string" ? /^Steps\.([A-Za-z0-9_-]+)\.PropertyFiles\.([A-Za-z0-9_-]+)$/.exec(j.PropertyFile.Get) : null;
    const path = typeof j.Path === "string" ? parsePath(j.Path) : undefined;
    if (!pf || !path) {
      // The SageMaker SDK's @step functions pass results as a JSON file read from an S3 URI built at run time.
      const s3 = isObj(j.S3Uri) && "Std:Join" in j.S3Uri;
      refuse(c, ptr, `a Std:JsonGet that does not read a step's PropertyFile at a literal path${s3 ? " (a JSON file read from an S3Uri built at run time, as the SageMaker SDK's @step decorator passes a function's result)" : ""}`);
      return { kind: "literal", value: null, pos };
    }
    return { kind: "ref", ref: { scope: "steps", step: pf[1], attr: "reports", report: pf[2], path }, pos };
  }
  return { kind: "map", entries: Object.fromEntries(keys.map((k) => [k, valueFrom(c, o[k], ptr + pointer([k]))])), pos };
}

const OPS: Record<string, CompareOp> = Object.fromEntries(Object.entries(COMPARE_TYPES).map(([op, t]) => [t, op as CompareOp]));

export function conditionFrom(c: LiftCtx, x: unknown, ptr: string): Value {
  const pos = posAt(c, ptr);
  const bad = (): Value => {
    refuse(c, ptr, `the condition ${JSON.stringify(isObj(x) ? x.Type : x)}`);
    return { kind: "literal", value: true, type: "boolean", pos };
  };
  if (!isObj(x) || typeof x.Type !== "string") return bad();
  if (OPS[x.Type]) return { kind: "compare", op: OPS[x.Type], left: valueFrom(c, x.LeftValue, ptr + "/LeftValue"), right: valueFrom(c, x.RightValue, ptr + "/RightValue"), pos };
  if (x.Type === "In" && Array.isArray(x.Values)) {
    return { kind: "in", value: valueFrom(c, x.QueryValue, ptr + "/QueryValue"), list: valueFrom(c, x.Values, ptr + "/Values"), negated: false, pos };
  }
  if (x.Type === "Not") {
    const inner = conditionFrom(c, x.Condition, ptr + "/Condition");
    if (inner.kind === "compare" && inner.op === "==") return { ...inner, op: "!=", pos };
    if (inner.kind === "in" && !inner.negated) return { ...inner, negated: true, pos };
    return { kind: "not", operand: inner, pos };
  }
  if (x.Type === "Or" && Array.isArray(x.Conditions)) return { kind: "logic", op: "or", operands: x.Conditions.map((y, i) => conditionFrom(c, y, `${ptr}/Conditions/${i}`)), pos };
  return bad();
}

export function conditionsFrom(c: LiftCtx, list: unknown[], ptr: string): Value {
  const parts = list.map((x, i) => conditionFrom(c, x, `${ptr}/${i}`));
  return parts.length === 1 ? parts[0] : { kind: "logic", op: "and", operands: parts, pos: posAt(c, ptr) };
}
