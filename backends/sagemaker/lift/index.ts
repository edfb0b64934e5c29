/**
 * Lifting: a SageMaker Pipelines definition (as `Pipeline.definition()` writes
 * it) back to the IR. Every step becomes its neutral kind or a `passthrough`;
 * anything the IR cannot express (a property path it has no reference for,
 * ExpireAfterMin retries, ...) is refused with its JSON path, all at once.
 */
import { basename, extname } from "node:path";
import { error, hasErrors, warning, sortDiagnostics } from "../../../src/diagnostics.js";
import type { LiftGiven, LiftInput, LiftResult } from "../../../src/backend/types.js";
import { takeGiven } from "../../../src/backend/lift-given.js";
import { ROLE_ARN } from "../../../src/aws/role.js";
import { checkPipeline } from "../../../src/ir/check/index.js";
import type { Parameter, Pipeline, ScalarType, Step, Value } from "../../../src/ir/types.js";
import { addableMember, JOB_OPERATIONS } from "../../../src/aws/requests/members.js";
import { buildDefinition } from "../lower.js";
import { DEFINITION_KEY, OMIT_KEY } from "../definition-settings.js";
import { toPlain } from "../pyjson.js";
import { parseLocated, pointer } from "./jsonpos.js";
import { jsonDepthError } from "../../../src/frontends/json-depth.js";
import { eachStep, residual, stepsByName } from "./residual.js";
import { liftStep } from "./steps.js";
import { roundTrip } from "./roundtrip.js";
import { CODE_HASH_CHARS } from "../../../src/ir/dataflow.js";
import { posAt, refuse, valueFrom, type LiftCtx } from "./values.js";
import { isDeepStrictEqual } from "node:util";
import { siblingSchedule } from "./schedule.js";

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

/** The definition's own members the lifter understands; the pipeline format models Parameters and Steps, the rest are kept as settings. */
const TOP_LEVEL = ["Version", "Metadata", "Parameters", "PipelineExperimentConfig", "MlflowConfig", "Steps"];


/** Every string `RoleArn`/`ExecutionRoleArn` in the steps, with its JSON pointer. */
function roleValues(x: unknown, ptr: string, out: Array<{ value: string; ptr: string }>): void {
  if (Array.isArray(x)) return x.forEach((v, i) => roleValues(v, `${ptr}/${i}`, out));
  if (x === null || typeof x !== "object") return;
  for (const [k, v] of Object.entries(x)) {
    if ((k === "RoleArn" || k === "ExecutionRoleArn") && typeof v === "string") out.push({ value: v, ptr: ptr + pointer([k]) });
    else roleValues(v, ptr + pointer([k]), out);
  }
}

/** The definition with every `RoleArn`/`ExecutionRoleArn` that is `from` set to `to`. */
function withRole<T>(x: T, from: string, to: string): T {
  if (Array.isArray(x)) return x.map((v) => withRole(v, from, to)) as T;
  if (x === null || typeof x !== "object") return x;
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, (k === "RoleArn" || k === "ExecutionRoleArn") && v === from ? to : withRole(v, from, to)])) as T;
}

/**
 * The pipeline's role: the role most steps run as (others stay as those steps' settings).
 * A value that is not an IAM role ARN (a template placeholder) is kept as written, with a warning.
 */
function roleOf(c: LiftCtx, steps: unknown[], given: string | undefined): string | undefined {
  const found: Array<{ value: string; ptr: string }> = [];
  roleValues(steps, "/Steps", found);
  if (!found.length) return undefined;
  const counts = new Map<string, number>();
  for (const f of found) counts.set(f.value, (counts.get(f.value) ?? 0) + 1);
  const best = [...counts.entries()].sort((a, b) => Number(ROLE_ARN.test(b[0])) - Number(ROLE_ARN.test(a[0])) || b[1] - a[1])[0][0];
  if (!ROLE_ARN.test(best) && given === undefined) {
    const at = found.find((f) => f.value === best)!.ptr;
    c.diags.push(warning(posAt(c, at), `the execution role '${best}' (at JSON path ${at}) is not an IAM role ARN (a template placeholder?); kept as written`, { code: "lift-role" }));
  }
  return best;
}

/**
 * Where the pipeline keeps its files: from the locations this compiler writes (code at
 * `<artifacts>/code/<hash>/<file>`, outputs at `<artifacts>/<execution id>/<step>/<output>`);
 * otherwise a guess from the first S3 bucket, said as a warning.
 */
function artifactsOf(c: LiftCtx, steps: unknown[], name: string, given: LiftGiven | undefined): string {
  const text = JSON.stringify(steps);
  const code = new RegExp(`"(s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:/[^"]*?)?)/code/[0-9a-f]{${CODE_HASH_CHARS}}/[^"/]+"`).exec(text);
  const out = /\{"Std:Join":\{"On":"","Values":\["(s3:\/\/[^"]+)\/",\{"Get":"Execution\.PipelineExecutionId"\},"\/[A-Za-z0-9_-]+\/[^"]+"\]\}\}/.exec(text);
  const found = takeGiven("artifacts", given, code?.[1] ?? out?.[1], posAt(c, ""), "where its code and outputs are written", c.diags);
  if (found) return found;
  const bucket = /"s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\//.exec(text)?.[1];
  const guessed = `s3://${bucket ?? "example-bucket"}/${name}`;
  c.diags.push(
    warning(posAt(c, ""), `no artifacts location in the definition (no code or output written under one prefix); assuming '${guessed}' for files the pipeline adds`, {
      code: "lift-artifacts",
      hint: "give the location with --artifacts, or set 'artifacts' in the lifted pipeline, if steps are added that write outputs or upload code",
    }),
  );
  return guessed;
}

/** The definition's own members that lowering would write differently: kept as pipeline-level settings. */
function definitionSettings(original: Record<string, unknown>, generated: Record<string, unknown>): Record<string, unknown> | undefined {
  const over: Record<string, unknown> = {};
  const omit: string[] = [];
  for (const k of TOP_LEVEL) {
    if (k === "Steps") continue;
    if (!(k in original)) {
      if (k in generated) omit.push(k);
    } else if (k !== "Parameters" && !isDeepStrictEqual(original[k], generated[k])) over[k] = original[k];
  }
  const out: Record<string, unknown> = {};
  if (Object.keys(over).length) out[DEFINITION_KEY] = over;
  if (omit.length) out[OMIT_KEY] = omit;
  return Object.keys(out).length ? out : undefined;
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
  const deep = jsonDepthError(input.text, input.file);
  if (deep) return { diagnostics: [deep] };
  const loc = parseLocated(input.text, input.file);
  if ("error" in loc) return { diagnostics: [error(loc.pos, `not JSON: ${loc.error}`, { code: "lift-json" })] };
  const root = loc.value as Record<string, any>;
  const c: LiftCtx = { file: input.file, loc, diags: [], steps: new Map() };
  const at = (ptr: string) => posAt(c, ptr);
  if (!Array.isArray(root?.Steps)) return { diagnostics: [error(at(""), "not a SageMaker pipeline definition: no Steps", { code: "lift-shape" })] };
  c.steps = stepsByName(root.Steps);
  for (const k of Object.keys(root)) if (!TOP_LEVEL.includes(k)) refuse(c, pointer([k]), `the top-level member '${k}'`);
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
  const text = input.text;
  const found = guess(text, /\.dkr\.ecr\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws/) ?? guess(text, /arn:aws:[a-z-]+:([a-z]{2}(?:-[a-z]+)+-\d):/) ?? guess(text, /sagemaker-([a-z]{2}(?:-[a-z]+)+-\d)-\d{12}/);
  const region = takeGiven("region", input.given, found, at(""), "in its image URIs and ARNs", c.diags);
  if (!region) c.diags.push(warning(at(""), "no AWS region found in the definition; assuming us-east-1", { code: "lift-region", hint: "give the region with --region" }));
  // Our own compile writes the name and schedule beside the definition, in schedule.json.
  const sibling = siblingSchedule(input.file, c.diags);
  const name = sibling.name ?? (basename(input.file, extname(input.file)).replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "lifted");
  const artifacts = artifactsOf(c, root.Steps, name, input.given);
  c.artifacts = artifacts;
  root.Steps.forEach((s: unknown, i: number) => liftStep(c, s as Record<string, unknown>, `/Steps/${i}`, steps));

  const fileRole = roleOf(c, root.Steps, input.given?.role);
  const role = takeGiven("role", input.given, fileRole, at(""), "the role its steps run as", c.diags);
  // A role given with --role replaces the file's in every step that ran as it (takeGiven says so): those steps
  // are compared with the definition as if it named the given role.
  const source = role !== undefined && fileRole !== undefined && role !== fileRole ? withRole(root, fileRole, role) : root;
  const pipeline: Pipeline = {
    version: 1,
    name,
    region: region ?? "us-east-1",
    ...(role ? { role } : {}),
    // Only locations the definition does not give come from here: each lifted output keeps its own (step settings).
    artifacts,
    parameters,
    ...(sibling.schedule ? { schedule: sibling.schedule } : {}),
    defaults: {},
    steps,
    targets: {},
    source: { file: input.file, format: "lifted" },
    pos: at(""),
  };
  if (hasErrors(c.diags)) return { diagnostics: sortDiagnostics(c.diags) };

  // Keep what the neutral kinds do not model, as step settings.
  const original = stepsByName(source.Steps);
  const pointers = new Map<string, string>();
  eachStep(source.Steps, "/Steps", (st, ptr) => pointers.set(String(st.Name), ptr));
  const { definition, ctx } = buildDefinition(pipeline);
  const generated = stepsByName(toPlain(definition.Steps as never) as unknown[]);
  for (const s of steps) {
    if (s.kind === "passthrough" || s.kind === "condition") continue;
    const o = original.get(s.id);
    const g = generated.get(s.id);
    const r = addedMembers(c, s, o, g, pointers.get(s.id), residual(o?.Arguments ?? {}, g?.Arguments ?? {}));
    if (r !== undefined) s.targets = { sagemaker: { settings: r as Record<string, unknown>, pos: s.pos } };
  }
  const top = definitionSettings(source, toPlain(definition as never) as Record<string, unknown>);
  if (top) pipeline.targets = { sagemaker: { settings: top, pos: pipeline.pos } };
  const checked = [...c.diags, ...ctx.diags.filter((d) => d.severity === "error"), ...checkPipeline(pipeline)];
  if (hasErrors(checked)) return { diagnostics: sortDiagnostics(checked) };
  const again = buildDefinition(pipeline);
  const diagnostics = sortDiagnostics([...checked, ...again.ctx.diags.filter((d) => d.severity === "error"), ...roundTrip(c, source, toPlain(again.definition as never))]);
  return hasErrors(diagnostics) ? { diagnostics } : { pipeline, diagnostics };
}

/**
 * Whole request members no field of the step writes (DebugHookConfig, ExperimentConfig, ...) become the
 * step's `request`, sent alike by every target; what is left of the residual stays SageMaker's settings.
 * A member whose value does not lift as an IR value stays a setting.
 */
function addedMembers(c: LiftCtx, s: Step, o: Record<string, any> | undefined, g: Record<string, any> | undefined, ptr: string | undefined, r: unknown): unknown {
  const op = JOB_OPERATIONS[s.kind];
  if (!op || !ptr || !o || r === null || typeof r !== "object" || Array.isArray(r)) return r;
  const left = { ...(r as Record<string, unknown>) };
  const request: Record<string, Value> = {};
  for (const key of Object.keys(left)) {
    if (!addableMember(op, key) || (g?.Arguments && key in g.Arguments) || !o.Arguments || !(key in o.Arguments)) continue;
    const before = c.diags.length;
    const v = valueFrom(c, o.Arguments[key], `${ptr}/Arguments${pointer([key])}`);
    if (c.diags.slice(before).some((d) => d.severity === "error")) {
      c.diags.length = before;
      continue;
    }
    request[key] = v;
    delete left[key];
  }
  if (Object.keys(request).length) (s as Extract<Step, { request?: unknown }>).request = request;
  return Object.keys(left).length ? left : undefined;
}
