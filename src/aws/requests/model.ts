/**
 * Hosting requests: CreateModel (model steps, and the model an endpoint deploys
 * from an artifact), CreateEndpointConfig, CreateEndpoint, CreateModelPackage.
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModel.html
 */
import { error } from "../../diagnostics.js";
import type { EndpointStep, ModelStep, RegisterModelStep, Step, Value } from "../../ir/types.js";
import { checkRequest } from "./constraints.js";
import { checkedRequest } from "./shared.js";
import { environment, image, resources, role, tags, type RequestCtx } from "./common.js";
import { k, list, obj, someList, text, type Req } from "./tree.js";

/** A container: the SDK writes Environment even when empty. */
function container(ctx: RequestCtx, s: Step, img: Value | undefined, model: Value): Req {
  return obj({ Image: img ? image(ctx, img, "inference") : undefined, Environment: environment(s, true), ModelDataUrl: text(model) });
}

/** CreateModel for a model step, or for an endpoint deploying an artifact (which then needs its own `image`). */
export function modelRequest<N>(ctx: RequestCtx, s: ModelStep | EndpointStep, name?: Req<N>): Req<N> {
  return checkedRequest(ctx, s, "CreateModel", model(ctx, s), { key: "ModelName", value: name });
}

function model(ctx: RequestCtx, s: ModelStep | EndpointStep): Req {
  if (!s.image) ctx.diags.push(error(s.pos, `step '${s.id}': an endpoint deployed from a model artifact needs 'image'`, { code: "request-endpoint-image" }));
  return obj({ ExecutionRoleArn: role(ctx, s), PrimaryContainer: container(ctx, s, s.image, s.model), Tags: tags(ctx, s) });
}

/** CreateEndpointConfig: one variant taking all traffic. */
export function endpointConfigRequest<N>(ctx: RequestCtx, s: EndpointStep, name: Req<N>, modelName: Req<N>): Req<N> {
  const res = resources(ctx, s);
  return checkRequest(ctx, s, "CreateEndpointConfig", obj<N>({
    EndpointConfigName: name,
    ProductionVariants: list([obj<N>({ VariantName: k("AllTraffic"), ModelName: modelName, InitialInstanceCount: res.count, InstanceType: res.type })]),
    Tags: tags(ctx, s),
  }));
}

/** CreateEndpoint (UpdateEndpoint takes the same members but Tags). */
export function endpointRequest<N>(ctx: RequestCtx, s: EndpointStep, configName: Req<N>): Req<N> {
  return checkRequest(ctx, s, "CreateEndpoint", obj<N>({ EndpointName: text(s.name), EndpointConfigName: configName, Tags: tags(ctx, s) }));
}

/** Whether an endpoint serves the model a model step made (else it deploys an artifact with its own image). */
export function servesModelStep(s: EndpointStep, kindOf: (id: string) => string | undefined): boolean {
  const m = s.model;
  return m.kind === "ref" && m.ref.scope === "steps" && m.ref.attr === "name" && kindOf(m.ref.step) === "model";
}

/** CreateModelPackage: a model version in a group. */
export function modelPackageRequest(ctx: RequestCtx, s: RegisterModelStep): Req {
  return checkedRequest(ctx, s, "CreateModelPackage", modelPackage(ctx, s));
}

function modelPackage(ctx: RequestCtx, s: RegisterModelStep): Req {
  return obj({
    ModelPackageGroupName: text(s.package_group),
    ModelMetrics: s.metrics ? obj({ ModelQuality: obj({ Statistics: obj({ ContentType: k("application/json"), S3Uri: text(s.metrics) }) }) }) : undefined,
    InferenceSpecification: obj({
      Containers: list([container(ctx, s, s.image, s.model)]),
      SupportedContentTypes: list(s.content_types.map((x) => k(x))),
      SupportedResponseMIMETypes: list(s.response_types.map((x) => k(x))),
      SupportedRealtimeInferenceInstanceTypes: someList(s.inference_instances.map(text)),
      SupportedTransformInstanceTypes: someList(s.transform_instances.map(text)),
    }),
    ModelApprovalStatus: s.approval ? text(s.approval) : undefined,
    Tags: tags(ctx, s),
  });
}
