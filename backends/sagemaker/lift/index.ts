/**
 * Lifting: a SageMaker Pipelines definition (as `Pipeline.definition()` writes
 * it) back to the IR. Every step becomes its neutral kind or a `passthrough`;
 * anything the IR cannot express (a property path it has no reference for,
 * ExpireAfterMin retries, ...) is refused with its JSON path, all at once.
 */
import { basename, extname } from "node:path";
import { error, hasErrors, warning, sortDiagnostics } from "../../../src/diagnostics.js";
import type { LiftInput, LiftResult } from "../../../src/backend/types.js";
import { checkPipeline } from "../../../src/ir/check/index.js";
import type { Parameter, Pipeline, ScalarType, Step } from "../../../src/ir/types.js";
import { buildDefinition, DEFAULT_EXPERIMENT_CONFIG } from "../lower.js";
import { toPlain } from "../pyjson.js";
import { parseLocated, pointer } from "./jsonpos.js";
import { residual, stepsByName } from "./residual.js";
import { liftStep } from "./steps.js";
import { posAt, refuse, type LiftCtx } from "./values.js";
import { isDeepStrictEqual } from "node:util";

const PARAM_TYPES: Record<string, ScalarType> = { String: "string", Integer: "integer", Float: "float", Boolean: "boolean" };

export function canLift(input: LiftInput): boolean {
  try {
    const j = JSON.parse(input.text) as Record<string, unknown>;
    return j !== null && typeof j === "object" && Array.isArray(j.Steps) && (j.Version === "2020-12-01" || (j.Steps as Array<Record<string, unknown>>).every((s) => typeof s?.Name === "string" && typeof s?.Type === "string"));
  } catch {
    return false;
  }
}

function guess(text: string, re: RegExp): string | undefined {
  return re.exec(text)?.[1];
}

export function lift(input: LiftInput): LiftResult {
  try {
    return liftDefinition(input);
  } catch (e) {
    // A shape no rule above expected; reported, never thrown at the user.
    return { diagnostics: [error({ file: input.file, line: 1, col: 1 }, `cannot lift this definition: ${(e as Error).message}`, { code: "lift-internal" })] };
  }
}

function liftDefinition(input: LiftInput): LiftResult {
  const loc = parseLocated(input.text, input.file);
  if ("error" in loc) return { diagnostics: [error(loc.pos, `not JSON: ${loc.error}`, { code: "lift-json" })] };
  const root = loc.value as Record<string, any>;
  const c: LiftCtx = { file: input.file, loc, diags: [], steps: new Map() };
  const at = (ptr: string) => posAt(c, ptr);
  if (!Array.isArray(root?.Steps)) return { diagnostics: [error(at(""), "not a SageMaker pipeline definition: no Steps", { code: "lift-shape" })] };
  c.steps = stepsByName(root.Steps);
  for (const k of Object.keys(root)) if (!["Version", "Metadata", "Parameters", "PipelineExperimentConfig", "Steps"].includes(k)) refuse(c, pointer([k]), `the top-level member '${k}'`);
  if (root.PipelineExperimentConfig !== undefined && !isDeepStrictEqual(root.PipelineExperimentConfig, toPlain(DEFAULT_EXPERIMENT_CONFIG))) {
    refuse(c, "/PipelineExperimentConfig", "a PipelineExperimentConfig other than the SDK default");
  }
  if (root.Metadata && Object.keys(root.Metadata).length) refuse(c, "/Metadata", "definition Metadata");

  if (root.Parameters !== undefined && !Array.isArray(root.Parameters)) refuse(c, "/Parameters", "Parameters that are not a list");
  const parameters: Parameter[] = (Array.isArray(root.Parameters) ? root.Parameters : []).map((raw: unknown, i: number) => {
    const ptr = `/Parameters/${i}`;
    const prm = (raw !== null && typeof raw === "object" ? raw : {}) as Record<string, any>;
    const type = PARAM_TYPES[prm.Type ?? "String"];
    if (!type || typeof prm.Name !== "string") refuse(c, ptr, `a parameter without a name or with the type '${prm.Type}'`);
    const jsType = { string: "string", integer: "number", float: "number", boolean: "boolean" }[type ?? "string"];
    if (prm.DefaultValue !== undefined && typeof prm.DefaultValue !== jsType) refuse(c, ptr + "/DefaultValue", `a ${prm.Type} parameter's default ${JSON.stringify(prm.DefaultValue)}`);
    if (prm.EnumValues !== undefined && !(Array.isArray(prm.EnumValues) && prm.EnumValues.every((v: unknown) => typeof v === "string"))) refuse(c, ptr + "/EnumValues", "EnumValues that are not a list of strings");
    const out: Parameter = { name: String(prm.Name), type: type ?? "string", pos: at(ptr) };
    if (prm.DefaultValue !== undefined) out.default = prm.DefaultValue;
    if (Array.isArray(prm.EnumValues)) out.enum = prm.EnumValues;
    return out;
  });

  const steps: Step[] = [];
  root.Steps.forEach((s: unknown, i: number) => liftStep(c, s as Record<string, unknown>, `/Steps/${i}`, steps));

  const text = input.text;
  const region = guess(text, /\.dkr\.ecr\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws/) ?? guess(text, /arn:aws:[a-z-]+:([a-z]{2}(?:-[a-z]+)+-\d):/) ?? guess(text, /sagemaker-([a-z]{2}(?:-[a-z]+)+-\d)-\d{12}/);
  if (!region) c.diags.push(warning(at(""), "no AWS region found in the definition; assuming us-east-1", { code: "lift-region" }));
  const role = guess(text, /"(?:RoleArn|ExecutionRoleArn)": "(arn:aws[a-z-]*:iam::\d{12}:role\/[^"]+)"/);
  const name = basename(input.file, extname(input.file)).replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "lifted";
  const bucket = guess(text, /"s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\//);
  const pipeline: Pipeline = {
    version: 1,
    name,
    region: region ?? "us-east-1",
    ...(role ? { role } : {}),
    // Only locations the definition does not give come from here: each lifted output keeps its own (step settings).
    artifacts: `s3://${bucket ?? "example-bucket"}/${name}`,
    parameters,
    defaults: {},
    steps,
    targets: {},
    source: { file: input.file, format: "lifted" },
    pos: at(""),
  };
  if (hasErrors(c.diags)) return { diagnostics: sortDiagnostics(c.diags) };

  // Keep what the neutral kinds do not model, as step settings.
  const original = stepsByName(root.Steps);
  const { definition, ctx } = buildDefinition(pipeline);
  const generated = stepsByName(toPlain(definition.Steps as never) as unknown[]);
  for (const s of steps) {
    if (s.kind === "passthrough" || s.kind === "condition") continue;
    const o = original.get(s.id);
    const g = generated.get(s.id);
    const r = residual(o?.Arguments ?? {}, g?.Arguments ?? {});
    if (r !== undefined) s.targets = { sagemaker: { settings: r as Record<string, unknown>, pos: s.pos } };
  }
  const diagnostics = sortDiagnostics([...c.diags, ...ctx.diags.filter((d) => d.severity === "error"), ...checkPipeline(pipeline)]);
  return hasErrors(diagnostics) ? { diagnostics } : { pipeline, diagnostics };
}
