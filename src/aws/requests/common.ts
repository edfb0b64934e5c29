/**
 * Members every SageMaker request shares (role, image, instances, tags,
 * environment, network, KMS keys, time limits, output locations), and the
 * diagnostics about them, worded once for every target.
 */
import { error, warning, type Diagnostic } from "../../diagnostics.js";
import { outputLocation } from "../../ir/dataflow.js";
import { effectiveInstance, effectiveTags, effectiveTimeout } from "../../ir/defaults.js";
import type { Instance, JobNetwork, Pipeline, Step, Value } from "../../ir/types.js";
import { literalString } from "../../ir/values.js";
import { resolveImage, type ImageScope } from "../images.js";
import { missingRole, MISSING_ROLE_CODE, MISSING_ROLE_HINT } from "../role.js";
import { k, list, obj, text, userMap, val, type Req } from "./tree.js";

export interface RequestCtx {
  p: Pipeline;
  /** The foreach copy being built, if any (output locations differ per copy). */
  index?: number;
  diags: { push(d: Diagnostic): unknown };
}

/** The SageMaker SDK's values where the IR says nothing. */
export const SDK_DEFAULTS = {
  volumeGb: 30,
  instanceCount: 1,
  /** Estimator `max_run`; CreateTrainingJob requires a StoppingCondition. */
  trainingMaxRuntime: 86400,
  processingInput: "/opt/ml/processing/input",
};

/** The API's time limits are whole seconds, at least one: a fraction rounds up, so a job is never stopped early. */
export const wholeSeconds = (t: number): number => Math.max(1, Math.ceil(t));

export function role(ctx: RequestCtx, s: Step): Req {
  if (!ctx.p.role) ctx.diags.push(error(s.pos, missingRole(s.id), { code: MISSING_ROLE_CODE, hint: MISSING_ROLE_HINT }));
  return k(ctx.p.role ?? "");
}

type Resolved = ReturnType<typeof resolveImage>;

/** Images resolved per pipeline (its region) and scope: every job step of a pipeline tends to name the same few. */
const resolvedFor = new WeakMap<Pipeline, Record<ImageScope, Map<string, Resolved>>>();

function resolved(p: Pipeline, written: string, scope: ImageScope): Resolved {
  let byScope = resolvedFor.get(p);
  if (!byScope) resolvedFor.set(p, (byScope = { training: new Map(), inference: new Map() }));
  let r = byScope[scope].get(written);
  if (!r) byScope[scope].set(written, (r = resolveImage(written, p.region, scope)));
  return r;
}

/** An image: a short name resolved for the region, a full URI as it is, a value known at run time as that value. */
export function image(ctx: RequestCtx, v: Value, scope: ImageScope): Req {
  const written = literalString(v);
  if (written === undefined) return text(v);
  const r = resolved(ctx.p, written, scope);
  if ("error" in r) {
    ctx.diags.push(error(v.pos, r.error, { code: "image-unknown" }));
    return k(written);
  }
  if (r.verbatim) ctx.diags.push(warning(v.pos, r.verbatim, { code: "image-verbatim" }));
  return k(r.uri);
}

export interface Resources {
  type: Req;
  count: Req;
  volume: Req;
  instance?: Instance;
}

export function resources(ctx: RequestCtx, s: Step): Resources {
  const i = effectiveInstance(ctx.p, s);
  if (!i) ctx.diags.push(error(s.pos, `step '${s.id}': no instance type (set 'instance' on the step or in defaults)`, { code: "request-instance" }));
  return {
    type: i ? text(i.type) : k(""),
    count: i?.count ? val(i.count) : k(SDK_DEFAULTS.instanceCount),
    volume: i?.volume_gb ? val(i.volume_gb) : k(SDK_DEFAULTS.volumeGb),
    instance: i,
  };
}

/** Tags: the pipeline's defaults and the step's own, by key. */
export function tags(ctx: RequestCtx, s: Step): Req | undefined {
  const t = effectiveTags(ctx.p, s);
  const keys = Object.keys(t);
  return keys.length ? list(keys.map((key) => obj({ Key: k(key), Value: k(t[key]) }))) : undefined;
}

export const environment = (s: Step, keepEmpty = false): Req | undefined => userMap(s.environment, keepEmpty);

export const kmsKey = (v: Value | undefined): Req | undefined => (v ? text(v) : undefined);

export function vpcConfig(n: JobNetwork | undefined): Req | undefined {
  if (!n?.vpc) return undefined;
  return obj({ SecurityGroupIds: list(n.vpc.security_groups.map(text)), Subnets: list(n.vpc.subnets.map(text)) });
}

/** Training and tuning jobs: isolation, traffic encryption and VPC are top-level members. */
export function trainingNetwork(n: JobNetwork | undefined): Record<string, Req | undefined> {
  return {
    EnableNetworkIsolation: n?.isolation !== undefined ? k(n.isolation) : undefined,
    EnableInterContainerTrafficEncryption: n?.encrypt_traffic !== undefined ? k(n.encrypt_traffic) : undefined,
    VpcConfig: vpcConfig(n),
  };
}

/** Processing jobs hold them in NetworkConfig, left out when it would be empty (`network: {}` sets nothing). */
export function processingNetwork(n: JobNetwork | undefined): Req | undefined {
  if (!n) return undefined;
  const members = trainingNetwork(n);
  return Object.values(members).some((x) => x !== undefined) ? obj(members) : undefined;
}


/** Where output `name` of the step lands: its own destination, or the run's place under the pipeline's artifacts. */
export function outputUri(ctx: RequestCtx, s: Step, name: string, explicit?: Value): Req {
  return text(explicit ?? outputLocation(ctx.p, s.id, name, s.pos, ctx.index));
}

/** StoppingCondition: a processing job may leave it out (the service's own limit applies); training needs one. */
export function stopping(ctx: RequestCtx, s: Step, required: boolean, spotMaxWait?: number): Req | undefined {
  const t = effectiveTimeout(ctx.p, s);
  if (t === undefined && !required) return undefined;
  const run = wholeSeconds(t ?? SDK_DEFAULTS.trainingMaxRuntime);
  // Spot: MaxWait covers waiting for capacity plus running, so the run itself fits inside it (the API's rule).
  if (spotMaxWait === undefined) return obj({ MaxRuntimeInSeconds: k(run) });
  const wait = wholeSeconds(spotMaxWait);
  return obj({ MaxRuntimeInSeconds: k(Math.min(run, wait)), MaxWaitTimeInSeconds: k(wait) });
}
