/**
 * Steps that run no job of their own: model, register-model, endpoint, fail,
 * lambda, approval (Callback). Each returns the step's type-specific parts; the
 * envelope (names, retry, cache, DependsOn) is added by the caller.
 */
import { failText } from "../../src/ir/values.js";
import type { ApprovalStep, EndpointStep, FailStep, LambdaStep, ModelStep, RegisterModelStep, ScalarType, Value } from "../../src/ir/types.js";
import { warning } from "../../src/diagnostics.js";
import { fail, type Ctx } from "./context.js";
import { EXECUTION_ID, get, join, valueToPy } from "./expr.js";
import { endpointConfigRequest, endpointRequest, modelPackageRequest, modelRequest, servesModelStep } from "../../src/aws/requests/model.js";
import { own } from "../../src/aws/requests/tree.js";
import { encodeArgs, requestCtx } from "./request-encoding.js";
import type { Py } from "./pyjson.js";

export interface StepBody {
  type: string;
  args: Record<string, Py>;
  /** Keys after `Arguments` and the envelope (FunctionArn, OutputParameters, ...). */
  extra?: Record<string, Py>;
}

export const OUTPUT_TYPES: Record<ScalarType, string> = { string: "String", integer: "Integer", float: "Float", boolean: "Boolean" };

function outputParameters(outputs: Record<string, ScalarType>): Py[] {
  return Object.entries(outputs).map(([OutputName, t]) => ({ OutputName, OutputType: OUTPUT_TYPES[t] }));
}

export function modelBody(ctx: Ctx, s: ModelStep): StepBody {
  return { type: "Model", args: encodeArgs(ctx, modelRequest(requestCtx(ctx), s)) };
}

export function registerBody(ctx: Ctx, s: RegisterModelStep): StepBody {
  return { type: "RegisterModel", args: encodeArgs(ctx, modelPackageRequest(requestCtx(ctx), s)) };
}

export function failBody(ctx: Ctx, s: FailStep): StepBody {
  // A FailStep has only a message: a named error is written before it.
  return { type: "Fail", args: { ErrorMessage: valueToPy(ctx, failText(s), "string") } };
}

function payload(ctx: Ctx, m: Record<string, Value>): Record<string, Py> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, valueToPy(ctx, v)]));
}

export function lambdaBody(ctx: Ctx, s: LambdaStep): StepBody {
  // A Lambda step's inputs are named arguments: a payload given whole is one only when it is a map written out.
  const whole = s.payload_value;
  if (whole && whole.kind !== "map") fail(ctx, whole.pos, `step '${s.id}': the payload is one value given whole, and a SageMaker Lambda step sends named arguments only: write the payload as a map of fields`);
  const args = whole?.kind === "map" ? whole.entries : s.payload;
  return { type: "Lambda", args: payload(ctx, args), extra: { FunctionArn: valueToPy(ctx, s.function), OutputParameters: outputParameters(s.outputs) } };
}

export function approvalBody(ctx: Ctx, s: ApprovalStep): StepBody {
  return { type: "Callback", args: payload(ctx, s.message), extra: { SqsQueueUrl: s.queue ? valueToPy(ctx, s.queue) : null, OutputParameters: outputParameters(s.outputs) } };
}

/** Suffixes of the service steps an endpoint step becomes. */
export const ENDPOINT_PARTS = { model: "-CreateModel", config: "-EndpointConfig" } as const;

/**
 * An endpoint: no deploy step exists in the SDK, so it becomes the service's own
 * step types: Model (unless `model` already names one), EndpointConfig, Endpoint.
 * The Endpoint step creates the endpoint; it does not update an existing one.
 */
export function endpointBodies(ctx: Ctx, s: EndpointStep, name: string): Array<{ name: string; body: StepBody }> {
  const out: Array<{ name: string; body: StepBody }> = [];
  const rc = requestCtx(ctx);
  let modelName: Py;
  if (servesModelStep(s, (id) => ctx.steps.get(id)?.kind)) {
    modelName = valueToPy(ctx, s.model);
    if (s.image) ctx.diags.push(warning(s.image.pos, `step '${s.id}': 'image' is not used: the model step '${(s.model as { ref: { step: string } }).ref.step}' already names the image`, { code: "sagemaker-endpoint-image" }));
  } else {
    const modelStep = `${name}${ENDPOINT_PARTS.model}`;
    out.push({ name: modelStep, body: { type: "Model", args: encodeArgs(ctx, modelRequest<Py>(rc, s)) } });
    modelName = get(`Steps.${modelStep}.ModelName`);
  }
  const configStep = `${name}${ENDPOINT_PARTS.config}`;
  // Unique per execution, so a re-run never collides with the previous configuration.
  const configName = join([valueToPy(ctx, s.name, "string"), "-", EXECUTION_ID]);
  out.push({ name: configStep, body: { type: "EndpointConfig", args: encodeArgs(ctx, endpointConfigRequest<Py>(rc, s, own(configName), own(modelName))) } });
  out.push({ name, body: { type: "Endpoint", args: encodeArgs(ctx, endpointRequest<Py>(rc, s, own(get(`Steps.${configStep}.EndpointConfigName`)))) } });
  return out;
}
