/**
 * Task states that call one AWS API action as `aws` steps: aws-sdk resources,
 * the optimized integrations listed in ../aws-calls.ts (their requests read
 * back into the API's own shape), and the `.sync` forms of the actions
 * src/aws/waitable.ts lists (an aws step that waits).
 */
import type { Step, StepCommon } from "../../../src/ir/types.js";
import { substitutionHint } from "../../../src/backend/substitute.js";
import { awsCallOf, awsTask, fromSfn, OPTIMIZED, toSfn, WAITING_FORM } from "../aws-calls.js";
import { WAITABLE } from "../../../src/aws/waitable.js";
import { ARN } from "../tasks.js";
import { liftValue, refuse, warn, type Flow, type LiftCtx } from "./flow.js";
import type { JPath } from "./source.js";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);
const short = (resource: string) => resource.replace(/^arn:aws:states:::/, "");

/** aws-sdk resources read as step kinds of their own (before any aws call). */
const KIND_RESOURCES: ReadonlySet<string> = new Set([ARN.registerModel]);

/** Whether the resource is read as an aws step (its request is the API's, whatever its members' shapes). */
export function isAwsCall(resource: string): boolean {
  return !KIND_RESOURCES.has(resource) && awsCallOf(resource) !== undefined;
}

/**
 * The Task as an aws step; undefined when refused (the reason is reported);
 * null when the resource is none of the forms this reads, for the caller's
 * own refusal.
 */
export function liftAwsTask(ctx: LiftCtx, flow: Flow, st: Obj, at: JPath, base: StepCommon, resource: string): Step | undefined | null {
  const pAt = [...at, "Parameters"];
  const call = awsCallOf(resource);
  if (call) {
    // Without Parameters the whole state input is the request, which the IR cannot name.
    if (st.Parameters === undefined) return refuse(ctx, [...at, "Resource"], `the ${call.service} ${call.action} call receives the whole state input as its request (the state has no Parameters), which the IR cannot name`);
    if (!isObj(st.Parameters)) return refuse(ctx, pAt, "Parameters that are not an object have no IR equivalent");
    const req = liftValue(ctx, flow, st.Parameters, pAt);
    if (!req || req.kind !== "map") return undefined;
    substitutions(ctx, st.Parameters, pAt);
    let request = req.entries;
    if (call.optimized) {
      const api = fromSfn(call.optimized, request);
      if ("error" in api) return refuse(ctx, pAt, `${short(resource)}: ${api.error}`);
      // Lowering writes the call back from the API request: it must come back as this resource.
      const back = toSfn(call.optimized, api.request);
      if ("error" in back) return refuse(ctx, pAt, `${short(resource)}: ${back.error}`);
      const again = awsTask(call.service, call.action, api.request, !!call.wait);
      if ("error" in again) return refuse(ctx, pAt, `${short(resource)}: ${again.error}`);
      if (again.resource !== resource) return refuse(ctx, pAt, `this request would be sent through ${short(again.resource)}, not ${short(resource)}`);
      request = api.request;
    }
    // Tags are part of the API request here, not the step's own tags.
    return { ...base, tags: {}, kind: "aws", service: call.service, action: call.action, request, outputs: {}, ...(call.wait ? { wait: true } : {}) };
  }
  const waiting = WAITING_FORM.exec(resource);
  if (waiting?.[2] === "waitForTaskToken") {
    return refuse(ctx, [...at, "Resource"], `the integration '${waiting[1]}.waitForTaskToken' waits until some other party sends its task token back; an aws step either returns the call's response or, with wait, polls the job's own status, so the IR cannot say who answers or with what`);
  }
  if (waiting) {
    const listed = WAITABLE.map((w) => short(w.sfn)).join(", ");
    return refuse(ctx, [...at, "Resource"], `the integration '${waiting[1]}.${waiting[2]}' waits for a job Switchyard does not know how to wait for elsewhere (no Describe action and statuses listed); of the .sync forms only ${listed} are read as aws steps that wait`);
  }
  if (/^arn:aws:states:::[a-z0-9-]+:[a-zA-Z0-9]+$/.test(resource)) {
    return refuse(ctx, [...at, "Resource"], `resource '${resource}' has no IR step kind: of the optimized integrations, only ${OPTIMIZED.map((o) => short(o.resource)).join(", ")} are read as aws steps (the aws-sdk form of any action is)`);
  }
  return null;
}

/** Literal request texts that are whole deployment-time placeholders (`${ModelId}`) are kept as text, with a warning. */
function substitutions(ctx: LiftCtx, o: unknown, at: JPath): void {
  if (typeof o === "string" && /^\$\{[^}]*\}$/.test(o)) warn(ctx, at, `'${o}' looks like a deployment-time substitution; it is kept as this literal text`, substitutionHint(o));
  else if (Array.isArray(o)) o.forEach((x, i) => substitutions(ctx, x, [...at, i]));
  else if (isObj(o)) for (const [k, v] of Object.entries(o)) if (!k.endsWith(".$")) substitutions(ctx, v, [...at, k]);
}
