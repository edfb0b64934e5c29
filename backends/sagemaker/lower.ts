/**
 * IR -> `pipeline.json` (the definition), `schedule.json` (EventBridge
 * Scheduler request) and `code-manifest.json` (local files to upload).
 */
import type { DefinitionSize } from "../../src/backend/wire.js";
import { warning } from "../../src/diagnostics.js";
import { effectiveRetry, effectiveTimeout } from "../../src/ir/defaults.js";
import { expandForeach } from "../../src/ir/foreach.js";
import { ancestors, branchMembership, dataDependencies } from "../../src/ir/graph.js";
import type { RetryPolicy, Pipeline, Step } from "../../src/ir/types.js";
import type { LowerOptions, LowerResult, OutputFile } from "../../src/backend/types.js";
import { isoDuration } from "../../src/ir/duration.js";
import { lowerConditions } from "./conditions.js";
import { fail, makeCtx, type Ctx } from "./context.js";
import { emrArgs, notebookArgs, processingArgs, trainingArgs, transformArgs, tuningArgs } from "./jobs.js";
import { deepMerge, fromSettings } from "./merge.js";
import { pipelineName, validStepName, STEP_NAME } from "./names.js";
import { approvalBody, endpointBodies, failBody, lambdaBody, modelBody, registerBody, type StepBody } from "./other-steps.js";
import { printPyJson, pyFloat, type Py } from "./pyjson.js";
import { JOB_STEP_TYPES, RETRY_STEP_TYPES, CACHE_STEP_TYPES, TIMEOUT_KINDS } from "./step-types.js";
import { MAX_ATTEMPTS, RETRY_EXCEPTIONS } from "./retry.js";
import { scheduleRequest } from "./schedule.js";
import { codeManifestFile } from "../../src/backend/manifest.js";
import { environmentNameErrors } from "../../src/aws/containers.js";
import { applyDefinitionSettings } from "./definition-settings.js";
import { rememberDefinition } from "./check.js";

export const DEFINITION_VERSION = "2020-12-01";
/** The SDK's default experiment configuration (`PipelineExperimentConfig`). */
export const DEFAULT_EXPERIMENT_CONFIG: Py = {
  ExperimentName: { Get: "Execution.PipelineName" },
  TrialName: { Get: "Execution.PipelineExecutionId" },
};

const PARAM_TYPES = { string: "String", integer: "Integer", float: "Float", boolean: "Boolean" } as const;

type SmStep = Record<string, Py>;

function parameters(ctx: Ctx): Py[] {
  return ctx.p.parameters.map((prm) => {
    const out: Record<string, Py> = { Name: prm.name, Type: PARAM_TYPES[prm.type] };
    if (prm.default !== undefined) out.DefaultValue = prm.type === "float" && typeof prm.default === "number" ? pyFloat(prm.default) : prm.default;
    if (prm.enum) {
      if (prm.type !== "string") fail(ctx, prm.pos, `parameter '${prm.name}': SageMaker restricts only String parameters to a list of values (EnumValues)`, "sagemaker-enum");
      else out.EnumValues = prm.enum.map(String);
    }
    return out;
  });
}

function retryPolicies(ctx: Ctx, s: Step, type: string, report: boolean): Py[] | undefined {
  const rules = (effectiveRetry(ctx.p, s) ?? []).filter((r) => r.attempts > 1);
  if (!rules.length) return undefined;
  if (!RETRY_STEP_TYPES.has(type)) {
    // The step's own retry cannot be honoured: refused. A pipeline default simply does not apply here, said once per step.
    if (!report) return undefined;
    if (s.retry) fail(ctx, rules[0].pos, `step '${s.id}': SageMaker ${type} steps take no retry policy (RetryPolicies is not allowed on them); remove 'retry' or retry inside the ${type === "Lambda" ? "function" : "consumer"}`, "sagemaker-retry");
    else ctx.diags.push(warning(s.pos, `step '${s.id}': the default retry does not apply to SageMaker ${type} steps`, { code: "sagemaker-retry-ignored" }));
    return undefined;
  }
  // The first rule that names an exception type decides for it: later rules leave it out.
  const caught = new Set<string>();
  const out = rules.flatMap((r) => retryRule(ctx, s, type, r, caught));
  return out.length ? out : undefined;
}

/** Seconds before the last retry of a rule: interval x backoff^(retries-1). */
const lastDelay = (r: RetryPolicy, retries: number): number => r.interval * Math.pow(r.backoff, Math.max(0, retries - 1));

/** One rule: a policy for the step-level and one for the job-level exception types it names. */
function retryRule(ctx: Ctx, s: Step, type: string, r: RetryPolicy, caught: Set<string>): Py[] {
  const types = [...new Set(r.on.flatMap((c) => RETRY_EXCEPTIONS[c]))].filter((t) => !caught.has(t));
  for (const t of types) caught.add(t);
  const stepTypes = types.filter((t) => t.startsWith("Step."));
  const jobTypes = JOB_STEP_TYPES.has(type) ? types.filter((t) => t.startsWith("SageMaker.")) : [];
  if (r.on.includes("timeout")) ctx.diags.push(warning(r.pos, `step '${s.id}': SageMaker cannot retry a job that timed out; 'timeout' is not retried`, { code: "sagemaker-retry-timeout" }));
  let retries = r.attempts - 1;
  if (retries > MAX_ATTEMPTS) {
    ctx.diags.push(warning(r.pos, `step '${s.id}': SageMaker allows at most ${MAX_ATTEMPTS} retries; using ${MAX_ATTEMPTS}`, { code: "sagemaker-retry-cap" }));
    retries = MAX_ATTEMPTS;
  }
  if (r.max_delay !== undefined && lastDelay(r, retries) > r.max_delay) {
    // Without the cap the service would wait longer between attempts than the pipeline says.
    fail(ctx, r.pos, `step '${s.id}': SageMaker RetryPolicies have no maximum delay, and this rule's last retry would wait ${lastDelay(r, retries)}s, over its max_delay of ${r.max_delay}s; lower the attempts, interval or backoff, or remove max_delay`, "sagemaker-retry-max-delay");
  }
  const policy = (exc: string[]): Py => ({ BackoffRate: pyFloat(r.backoff), IntervalSeconds: Math.round(r.interval), MaxAttempts: retries, ExceptionType: exc });
  return [stepTypes, jobTypes].filter((g) => g.length).map(policy);
}

/**
 * The definition schema holds DisplayName to the step-name rule (letters,
 * digits, '-' and '_', at most 64): another display name is left out, said
 * once per step (it only labels the step in Studio).
 */
function displayName(ctx: Ctx, s: Step, out: SmStep): void {
  const name = s.display_name!;
  if (validStepName(name)) {
    out.DisplayName = name;
    return;
  }
  if (ctx.diags.some((d) => d.code === "sagemaker-display-name" && d.pos === s.pos)) return;
  ctx.diags.push(
    warning(s.pos, `step '${s.id}': display name ${JSON.stringify(name)} is left out of the SageMaker definition, whose schema allows only letters, digits, '-' and '_' (at most ${STEP_NAME.maxLength}) there`, {
      code: "sagemaker-display-name",
    }),
  );
}

/** Put a step together in the SDK's key order. */
/** `alone`: the step lowers to this one SageMaker step (an endpoint's parts share its retry). */
function envelope(ctx: Ctx, s: Step, name: string, body: StepBody, dependsOn: string[], first: boolean, alone: boolean): SmStep {
  const out: SmStep = { Name: name, Type: body.type, Arguments: body.args };
  if (first && dependsOn.length) out.DependsOn = dependsOn;
  if (s.display_name !== undefined) displayName(ctx, s, out);
  if (s.description !== undefined) out.Description = s.description;
  const retry = retryPolicies(ctx, s, body.type, alone);
  if (retry) out.RetryPolicies = retry;
  const cache = s.cache !== undefined && CACHE_STEP_TYPES.has(body.type) ? { Enabled: true, ExpireAfter: isoDuration(s.cache) } : undefined;
  const lateCache = body.type === "Lambda" || body.type === "Callback";
  if (cache && !lateCache) out.CacheConfig = cache;
  if (s.kind === "processing" && Object.keys(s.reports).length) {
    out.PropertyFiles = Object.entries(s.reports).map(([r, rep]) => ({ PropertyFileName: r, OutputName: rep.output, FilePath: rep.file }));
  }
  Object.assign(out, body.extra ?? {});
  if (cache && lateCache) out.CacheConfig = cache;
  return out;
}

/** Settings from `targets.sagemaker`: pipeline-level keyed by step Type, step-level merged into Arguments. */
function applySettings(ctx: Ctx, s: Step, body: StepBody): StepBody {
  let args: Py = body.args;
  const pipelineBag = ctx.p.targets.sagemaker?.settings;
  if (pipelineBag && pipelineBag[body.type] !== undefined) args = deepMerge(args, fromSettings(pipelineBag[body.type]));
  const own = s.targets.sagemaker?.settings;
  if (own) args = deepMerge(args, fromSettings(own));
  return { ...body, args: args as Record<string, Py> };
}

function bodiesOf(ctx: Ctx, s: Step, name: string): Array<{ name: string; body: StepBody }> {
  switch (s.kind) {
    case "processing":
      return [{ name, body: { type: "Processing", args: processingArgs(ctx, s) } }];
    case "training":
      return [{ name, body: { type: "Training", args: trainingArgs(ctx, s) } }];
    case "tuning":
      return [{ name, body: { type: "Tuning", args: tuningArgs(ctx, s) } }];
    case "transform":
      return [{ name, body: { type: "Transform", args: transformArgs(ctx, s) } }];
    case "notebook":
      return [{ name, body: { type: "Training", args: notebookArgs(ctx, s, name) } }];
    case "model":
      return [{ name, body: modelBody(ctx, s) }];
    case "register-model":
      return [{ name, body: registerBody(ctx, s) }];
    case "endpoint":
      return endpointBodies(ctx, s, name);
    case "fail":
      return [{ name, body: failBody(ctx, s) }];
    case "lambda":
      return [{ name, body: lambdaBody(ctx, s) }];
    case "approval":
      return [{ name, body: approvalBody(ctx, s) }];
    case "map":
      // Refused by the capability table before lowering.
      throw new Error("map steps are not lowered to SageMaker Pipelines");
    case "condition":
      // Branches are filled in by `nest`.
      return [{ name, body: { type: "Condition", args: { Conditions: lowerConditions(ctx, s.if), IfSteps: [], ElseSteps: [] } } }];
    case "passthrough": {
      if (s.target !== "sagemaker") return [];
      const { Type, Arguments, ...rest } = s.body as Record<string, Py>;
      return [{ name, body: { type: String(Type ?? s.type), args: (Arguments ?? {}) as Record<string, Py>, extra: rest } }];
    }
    case "emr":
      return [{ name, body: { type: "EMR", args: emrArgs(ctx, s) } }];
    case "wait":
    case "glue":
    case "aws":
      // Refused through the capability table before lowering.
      throw new Error(`internal: ${s.kind} steps are not lowered for SageMaker`);
  }
}

/** Explicit orderings not already implied by data references or branch nesting. */
function explicitOrder(ctx: Ctx): Map<string, string[]> {
  const impliedOrder = () => {
    const branch = branchMembership(ctx.p);
    const implied = new Map<string, string[]>();
    for (const s of ctx.p.steps) {
      const d = [...dataDependencies(s)].filter((x) => ctx.steps.has(x));
      const b = branch.get(s.id);
      if (b) d.push(b.condition);
      implied.set(s.id, d);
    }
    return ancestors(implied);
  };
  // Made only when some step says depends_on: most pipelines are ordered by what their steps read.
  let anc: ReturnType<typeof ancestors> | undefined;
  const out = new Map<string, string[]>();
  for (const s of ctx.p.steps) {
    if (!s.depends_on.length) {
      out.set(s.id, []);
      continue;
    }
    anc ??= impliedOrder();
    const extra = s.depends_on.filter((d) => !anc!.get(s.id)?.has(d));
    for (const d of extra) {
      if (ctx.steps.get(d)?.kind === "condition") {
        fail(ctx, s.pos, `step '${s.id}': SageMaker cannot order a step after a condition step ('${d}') with DependsOn (SDK issue #3565); put '${s.id}' in the condition's branches`, "sagemaker-depends-on-condition");
      }
    }
    out.set(s.id, extra.filter((d) => ctx.steps.get(d)?.kind !== "condition").flatMap((d) => ctx.names.get(d) ?? []));
  }
  return out;
}

/** A timeout SageMaker cannot enforce is said, whether the step gave it or the pipeline's default reaches it. */
function warnTimeout(ctx: Ctx, s: Step): void {
  if (effectiveTimeout(ctx.p, s) !== undefined && !TIMEOUT_KINDS.has(s.kind)) {
    const why = s.kind === "lambda" ? "the function's own timeout (at most 15 minutes) applies" : "SageMaker has no per-step time limit for it";
    const which = s.timeout !== undefined ? "a timeout" : "the default timeout";
    ctx.diags.push(warning(s.pos, `step '${s.id}': ${which} on ${/^[aeiou]/.test(s.kind) ? "an" : "a"} ${s.kind} step is not enforced by SageMaker Pipelines; ${why}`, { code: "sagemaker-timeout-ignored" }));
  }
}

export interface Definition {
  definition: SmStep;
  pipelineName: string;
  ctx: Ctx;
}

export function buildDefinition(p: Pipeline): Definition {
  const ctx = makeCtx(p);
  const pn = pipelineName(p.name);
  if ("error" in pn) fail(ctx, p.pos, pn.error, "sagemaker-name");
  const order = explicitOrder(ctx);
  const lowered = new Map<string, SmStep[]>();
  const allNames = new Map<string, string>();
  for (const s of p.steps) {
    warnTimeout(ctx, s);
    const list: SmStep[] = [];
    for (const { index, step } of expandForeach(s)) {
      ctx.itemIndex = index;
      const name = ctx.names.get(s.id)![index ?? 0];
      const parts = bodiesOf(ctx, step, name);
      parts.forEach((part, i) => {
        if (!validStepName(part.name)) fail(ctx, s.pos, `step '${s.id}': '${part.name}' is not a valid SageMaker step name (${STEP_NAME.source}: letters, digits, '-' and '_', at most ${STEP_NAME.maxLength})`, "sagemaker-name");
        const clash = allNames.get(part.name);
        if (clash) fail(ctx, s.pos, `step '${s.id}': SageMaker step name '${part.name}' is also used by step '${clash}'`, "sagemaker-name");
        allNames.set(part.name, s.id);
        const body = i === parts.length - 1 ? applySettings(ctx, step, part.body) : part.body;
        list.push(envelope(ctx, step, part.name, body, order.get(s.id) ?? [], i === 0, parts.length === 1));
      });
    }
    ctx.itemIndex = undefined;
    lowered.set(s.id, list);
  }
  // Branch members go inside their condition, never also at top level.
  const branch = branchMembership(p);
  const nest = (id: string): SmStep[] => {
    const s = ctx.steps.get(id)!;
    const own = lowered.get(id) ?? [];
    if (s.kind === "condition") {
      const args = own[0].Arguments as Record<string, Py>;
      args.IfSteps = s.then.flatMap(nest);
      args.ElseSteps = s.else.flatMap(nest);
    }
    return own;
  };
  const top = p.steps.filter((s) => !branch.has(s.id)).flatMap((s) => nest(s.id));
  const generated: SmStep = {
    Version: DEFINITION_VERSION,
    Metadata: {},
    Parameters: parameters(ctx),
    PipelineExperimentConfig: DEFAULT_EXPERIMENT_CONFIG,
    Steps: top,
  };
  const definition = applyDefinitionSettings(generated, p.targets.sagemaker?.settings);
  return { definition, pipelineName: "name" in pn ? pn.name : p.name, ctx };
}

/**
 * How `pipeline.json` is laid out. Indented (the default) is Python's
 * `json.dumps(definition, indent=2)`, for reading and review; compact
 * (`compile --compact`) is the SDK's `Pipeline.definition()` byte for byte.
 * Both hold the same tokens, so deploy sends the same minified bytes either way.
 */
export type DefinitionLayout = "indented" | "compact";

export function definitionLayout(opts: LowerOptions): DefinitionLayout {
  return opts.options?.compact === "true" ? "compact" : "indented";
}

export function lower(p: Pipeline, opts: LowerOptions): LowerResult {
  const { definition, pipelineName: name, ctx } = buildDefinition(p);
  const layout = definitionLayout(opts);
  const printed = printPyJson(definition, layout === "compact" ? undefined : 2);
  const text = layout === "compact" ? printed.text : printed.text + "\n";
  // The printer writes ASCII only (ensure_ascii), so characters are bytes; what deploy sends is the text without its whitespace.
  const size: DefinitionSize = { written: text.length, sent: printed.text.length - printed.whitespace, checked: "sent" };
  const files: OutputFile[] = [{ path: "pipeline.json", kind: "definition", contents: text }];
  rememberDefinition(files[0], definition, { chars: size.sent, bytes: size.sent });
  if (p.schedule) {
    const sch = scheduleRequest(p, name);
    ctx.diags.push(...sch.diagnostics);
    if (sch.request) files.push({ path: "schedule.json", kind: "schedule", contents: JSON.stringify(sch.request, null, 2) + "\n" });
  }
  files.push(codeManifestFile(p));
  ctx.diags.push(...environmentNameErrors(p));
  const hasErr = ctx.diags.some((d) => d.severity === "error");
  return {
    files: hasErr ? [] : files,
    diagnostics: ctx.diags,
    summary: { pipelineName: name, renamed: name !== p.name, definitionBytes: size.written, definitionSize: size, definitionLayout: layout, deploySends: "minified" },
  };
}
