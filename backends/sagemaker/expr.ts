/**
 * IR values -> SageMaker Pipelines JSON: literals stay JSON, references become
 * `{"Get": ...}`, text with expressions becomes `Std:Join`, report values
 * `Std:JsonGet`. Where the service wants a string (hyperparameters, container
 * arguments, environment), a non-string expression is wrapped in a one-value
 * `Std:Join` like the SDK's `.to_string()`.
 */
import type { PathSegment, Ref, ScalarType, Step, Value } from "../../src/ir/types.js";
import { KINDS } from "../../src/ir/kinds.js";
import { printRef } from "../../src/ir/expr/print.js";
import { fail, type Ctx } from "./context.js";
import { pyFloat, type Py } from "./pyjson.js";
import { scalarText } from "../../src/aws/scalar-text.js";

export type Want = "any" | "string";

export const EXECUTION_ID: Py = { Get: "Execution.PipelineExecutionId" };

export function get(path: string): Py {
  return { Get: path };
}

export function join(values: Py[], on = ""): Py {
  return { "Std:Join": { On: on, Values: values } };
}

/** A property-path segment the way the service spells it: `['key']` or `[0]`. */
function quoteKey(key: string): string {
  return `['${key.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`;
}

/** A JSON path for Std:JsonGet (`a.b[0]`, `['odd key']`). */
export function jsonPath(path: PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += quoteKey(seg);
  }
  return out;
}


function literal(v: Extract<Value, { kind: "literal" }>, want: Want): Py {
  if (want === "string") return scalarText(v.value, v.type);
  if (typeof v.value === "number" && v.type === "float") return pyFloat(v.value);
  return v.value;
}

/** The type a reference yields, when known. */
export function refType(ctx: Ctx, ref: Ref): ScalarType | undefined {
  if (ref.scope === "params") return ctx.params.get(ref.name)?.type;
  if (ref.scope === "execution") return ref.name === "id" || ref.name === "pipeline_name" || ref.name === "logical_date" || ref.name === "logical_date_nodash" ? "string" : undefined;
  if (ref.scope === "steps") {
    if (ref.attr === "reports") return undefined;
    if (ref.attr === "outputs") {
      const s = ctx.steps.get(ref.step);
      if (s && (s.kind === "lambda" || s.kind === "approval")) return s.outputs[ref.name];
    }
    return "string";
  }
  return undefined;
}

/**
 * The tuning job's S3OutputPath as Std:Join values ending in `/`: the derived
 * output location, or the one its SageMaker settings give (a lifted pipeline).
 */
function tuningOutputPrefix(ctx: Ctx, s: Step, name: string): Py[] {
  const own = (s.targets.sagemaker?.settings as { TrainingJobDefinition?: { OutputDataConfig?: { S3OutputPath?: unknown } } } | undefined)?.TrainingJobDefinition?.OutputDataConfig?.S3OutputPath;
  if (typeof own === "string") return [own.endsWith("/") ? own : `${own}/`];
  const j = own as { "Std:Join"?: { On?: string; Values?: Py[] } } | undefined;
  if (j?.["Std:Join"] && !j["Std:Join"].On && Array.isArray(j["Std:Join"].Values)) return [...j["Std:Join"].Values, "/"];
  return [`${ctx.p.artifacts}/`, EXECUTION_ID, `/${name}/model/`];
}

/** `Get` paths of one step copy for an attribute, or an error text. */
function stepRef(ctx: Ctx, s: Step, name: string, ref: Extract<Ref, { scope: "steps" }>, index: number | undefined): Py | string {
  const G = (path: string) => get(`Steps.${name}.${path}`);
  switch (ref.attr) {
    case "outputs":
      if (s.kind === "processing") return G(`ProcessingOutputConfig.Outputs${quoteKey(ref.name)}.S3Output.S3Uri`);
      if (s.kind === "transform") return G("TransformOutput.S3OutputPath");
      if (s.kind === "notebook") return G("OutputDataConfig.S3OutputPath");
      if (s.kind === "lambda" || s.kind === "approval") return G(`OutputParameters${quoteKey(ref.name)}`);
      return `a ${s.kind} step has no outputs`;
    case "model":
      if (s.kind === "training") return G("ModelArtifacts.S3ModelArtifacts");
      if (s.kind === "tuning") {
        // The best training job's artifact (the SDK's get_top_model_s3_uri: summaries are sorted best first).
        return join([...tuningOutputPrefix(ctx, s, name), G("TrainingJobSummaries[0].TrainingJobName"), "/output/model.tar.gz"]);
      }
      return `a ${s.kind} step has no model`;
    case "name":
      if (s.kind === "model") return G("ModelName");
      if (s.kind === "endpoint") return G("EndpointName");
      return name;
    case "job_name":
      if (s.kind === "processing") return G("ProcessingJobName");
      if (s.kind === "training" || s.kind === "notebook") return G("TrainingJobName");
      if (s.kind === "tuning") return G("HyperParameterTuningJobName");
      if (s.kind === "transform") return G("TransformJobName");
      return `a ${s.kind} step runs no job`;
    case "arn":
      if (s.kind === "register-model") return G("ModelPackageArn");
      if (s.kind === "endpoint") return G("EndpointArn");
      return `a ${s.kind} step has no ARN`;
    case "response":
      if (s.kind === "lambda" && ref.path.length === 1 && typeof ref.path[0] === "string") return G(`OutputParameters${quoteKey(ref.path[0])}`);
      // A job step's properties are its Describe* response; a passthrough step's are its type's own.
      if ((s.kind === "processing" || s.kind === "training" || s.kind === "tuning" || s.kind === "transform" || s.kind === "model" || s.kind === "passthrough") && ref.path.length) {
        const p = jsonPath(ref.path);
        return get(`Steps.${name}${p.startsWith("[") ? p : `.${p}`}`);
      }
      if (s.kind === "processing" || s.kind === "training" || s.kind === "tuning" || s.kind === "transform" || s.kind === "model" || s.kind === "passthrough") return "SageMaker Pipelines reads one property of a step at a time, not its whole response";
      return `SageMaker Pipelines reads a ${s.kind} step's declared output parameters only, not its response`;
    case "results":
      return "SageMaker Pipelines has no map, so no map's results";
    case "item":
      return "SageMaker Pipelines has no map, so no map's item";
    case "reports":
      if (s.kind !== "processing" || !s.reports[ref.report]) return `step '${s.id}' has no report '${ref.report}'`;
      return { "Std:JsonGet": { PropertyFile: G(`PropertyFiles.${ref.report}`), Path: jsonPath(ref.path) } };
  }
  void index;
}

/** A reference as SageMaker JSON; a reference to a foreach step is the list of its copies'. */
/** The SDK's ExecutionVariables each run value is read from. */
export const EXECUTION_VARIABLES: Record<"id" | "start_time" | "pipeline_name", string> = {
  id: "Execution.PipelineExecutionId",
  start_time: "Execution.StartDateTime",
  pipeline_name: "Execution.PipelineName",
};

export function renderRef(ctx: Ctx, ref: Ref, pos: Value["pos"]): Py {
  switch (ref.scope) {
    case "params":
      return get(`Parameters.${ref.name}`);
    case "execution":
      if (ref.name === "input") {
        fail(ctx, pos, "SageMaker Pipelines has no run input document: a run takes only its declared parameters");
        return null;
      }
      if (ref.name === "logical_date" || ref.name === "logical_date_nodash") {
        fail(ctx, pos, `SageMaker Pipelines cannot read execution.${ref.name}: Execution.StartDateTime is a time, and a pipeline has no function to cut a date out of it (pass the date as a parameter)`);
        return null;
      }
      return get(EXECUTION_VARIABLES[ref.name]);
    case "item":
      fail(ctx, pos, "'item' is only defined inside a foreach step");
      return null;
    case "failure":
      fail(ctx, pos, "SageMaker Pipelines runs no step when another fails, so no step reads a failure");
      return null;
    case "task":
      fail(ctx, pos, "task.token is a Step Functions task token; a SageMaker step has none");
      return null;
    case "iteration":
      fail(ctx, pos, "SageMaker Pipelines has no map, so no map's iteration");
      return null;
    case "variables":
      fail(ctx, pos, `SageMaker Pipelines cannot read ${printRef(ref)}: a pipeline reads no value kept outside it, only its parameters (make it a parameter, given when the run starts)`);
      return null;
    case "steps": {
      const s = ctx.steps.get(ref.step);
      const names = ctx.names.get(ref.step);
      if (!s || !names) {
        fail(ctx, pos, `unknown step '${ref.step}'`);
        return null;
      }
      if (!(KINDS[s.kind].attrs as readonly string[]).includes(ref.attr)) {
        fail(ctx, pos, `a ${s.kind} step has no '${ref.attr}'`);
        return null;
      }
      const one = (name: string, i: number | undefined): Py => {
        const r = stepRef(ctx, s, name, ref, i);
        if (typeof r === "string" && !(ref.attr === "name" && r === name)) {
          fail(ctx, pos, r);
          return null;
        }
        return r;
      };
      return s.foreach ? names.map((n, i) => one(n, i)) : one(names[0], undefined);
    }
  }
}

/** Whether a value stands for a whole foreach set (a list of references). */
export function isForeachSet(ctx: Ctx, v: Value): boolean {
  return v.kind === "ref" && v.ref.scope === "steps" && !!ctx.steps.get(v.ref.step)?.foreach;
}

/** Keys SageMaker Pipelines treats as functions wherever they appear: `Get`, `Std:Join`, `Std:JsonGet`, ... */
export const EXPRESSION_KEY = /^(Get|Std:.*)$/;

export function valueToPy(ctx: Ctx, v: Value, want: Want = "any"): Py {
  switch (v.kind) {
    case "literal":
      return literal(v, want);
    case "list":
      return v.items.map((x) => valueToPy(ctx, x, want === "string" ? "string" : "any"));
    case "map": {
      // SageMaker reads an object with one of these keys as an expression: a user's map must never become one.
      for (const k of Object.keys(v.entries)) {
        if (EXPRESSION_KEY.test(k)) fail(ctx, v.entries[k].pos, `the key '${k}' would make SageMaker Pipelines read this map as an expression, not as data; rename the key`);
      }
      return Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, valueToPy(ctx, x, want === "string" ? "string" : "any")]));
    }
    case "ref": {
      const r = renderRef(ctx, v.ref, v.pos);
      if (want === "string" && !Array.isArray(r) && r !== null && typeof r === "object" && refType(ctx, v.ref) !== "string") return join([r]);
      return r;
    }
    case "join": {
      const values: Py[] = [];
      for (const part of v.parts) {
        if (isForeachSet(ctx, part)) {
          fail(ctx, part.pos, "a foreach step's whole set of results is a list and cannot be joined into text; refer to one copy's value");
          continue;
        }
        const x = part.kind === "literal" ? scalarText(part.value, part.type) : valueToPy(ctx, part);
        const last = values[values.length - 1];
        if (typeof x === "string" && typeof last === "string") values[values.length - 1] = last + x;
        else values.push(x);
      }
      // Text only: the string itself (the service would join it to the same).
      return values.length === 1 && typeof values[0] === "string" ? values[0] : join(values);
    }
    case "arith":
      fail(ctx, v.pos, `SageMaker Pipelines expressions have no arithmetic ('${v.op}'); compute the value in a step`);
      return null;
    case "call":
      fail(ctx, v.pos, `SageMaker Pipelines expressions have no ${v.fn}() (only Get, Std:Join and Std:JsonGet); compute the value in a step`);
      return null;
    case "compare":
    case "in":
    case "logic":
    case "not":
      fail(ctx, v.pos, "a comparison is only allowed in a condition step's 'if'");
      return null;
  }
}
