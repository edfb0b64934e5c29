/**
 * Task states that call one AWS API action as `aws` steps: aws-sdk resources,
 * the optimized integrations listed in ../aws-calls.ts (their requests, and
 * the aws-sdk form's of the same actions, read back into the API's own
 * shape), and the `.sync` forms of the actions src/aws/waitable.ts lists (an
 * aws step that waits).
 */
import type { Step, StepCommon } from "../../../src/ir/types.js";
import { substitutionHint } from "../../../src/backend/substitute.js";
import { awsCallOf, awsTask, fromSfn, OPTIMIZED, toSfn, WAITING_FORM } from "../aws-calls.js";
import { actionCasing, apiRequest } from "../sdk-casing.js";
import { WAITABLE, waitable } from "../../../src/aws/waitable.js";
import { jsonTextMembers, STARTED_BY_EXECUTION, startsExecution } from "../../../src/aws/request-members.js";
import { ARN } from "../tasks.js";
import { liftValue, refuse, warn, type Flow, type LiftCtx } from "./flow.js";
import type { JPath } from "./source.js";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);
const short = (resource: string) => resource.replace(/^arn:aws:states:::/, "");

/** aws-sdk resources read as step kinds of their own (before any aws call). */
const KIND_RESOURCES: ReadonlySet<string> = new Set([ARN.registerModel, ARN.training, ARN.processing, ARN.transform, ARN.tuning]);

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
  // A callback: the call's request-response form, whose request carries $$.Task.Token, waiting for the token to come back.
  const callbackOf = /^(.*)\.waitForTaskToken$/.exec(resource)?.[1];
  const plain = callbackOf !== undefined ? awsCallOf(callbackOf) : undefined;
  if (callbackOf !== undefined && plain && !plain.wait) {
    const step = liftAwsTask(ctx, flow, st, at, base, callbackOf);
    // The result is what the token's sender returns, as it returns it: not recased.
    ctx.resultCasing.delete(base.id);
    return step && step.kind === "aws" ? { ...step, callback: true } : step;
  }
  const pAt = [...at, "Parameters"];
  const call = awsCallOf(resource);
  if (call) {
    // Without Parameters the whole state input is the request, which the IR cannot name.
    if (st.Parameters === undefined) return refuse(ctx, [...at, "Resource"], `the ${call.service} ${call.action} call receives the whole state input as its request (the state has no Parameters), which the IR cannot name`);
    if (!isObj(st.Parameters)) return refuse(ctx, pAt, "Parameters that are not an object have no IR equivalent");
    // Lowering starts each further part of a machine it split so: the parameters and step results as the input.
    if (ctx.own && call.wait && startsExecution(call.service, call.action) && isObj(st.Parameters.Input) && st.Parameters.Input["params.$"] === "$.params") {
      return refuse(
        ctx,
        [...at, "Resource"],
        "the state starts another part of a machine Switchyard split to fit Step Functions' limits; a split machine's parts are not read back as one pipeline",
        "import, diff or migrate the pipeline file the machines were compiled from",
      );
    }
    // A started execution's link to this one is written back as it is (see resolvePath).
    const link = call.optimized && startsExecution(call.service, call.action) ? JSON.stringify([...pAt, "Input", `${STARTED_BY_EXECUTION}.$`]) : undefined;
    ctx.parentLink = link;
    const req = liftValue(ctx, flow, st.Parameters, pAt);
    ctx.parentLink = undefined;
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
      // A `.sync` form whose result differs from the listed one's is written back as the listed one (see resultRef).
      const expected = call.otherResult ? waitable(call.service, call.action)?.sfn : resource;
      if (again.resource !== expected) return refuse(ctx, pAt, `this request would be sent through ${short(again.resource)}, not ${short(resource)}`);
      request = api.request;
    } else {
      // aws-sdk sends the API's JSON text, which the IR holds as the data itself.
      const text = jsonTextMembers(call.service, call.action).map((m) => m.charAt(0).toUpperCase() + m.slice(1)).filter((m) => m in (st.Parameters as Obj) || `${m}.$` in (st.Parameters as Obj));
      if (text.length) return refuse(ctx, pAt, `${short(resource)}: ${text.map((m) => `'${m}'`).join(", ")} is JSON text here, which the IR holds as the JSON data written out; only the optimized integration's form (the data itself) is read`);
      // aws-sdk spells a camelCase API's members in PascalCase: the IR gets the API's.
      const casing = actionCasing(call.service, call.action);
      if (casing !== "same") {
        if ("error" in casing) return refuse(ctx, [...at, "Resource"], `${short(resource)}: ${casing.error}`);
        const api = apiRequest(casing, request, call.action);
        if ("error" in api) return refuse(ctx, pAt, `${short(resource)}: ${api.error}`);
        request = api.request;
      }
    }
    // A camelCase API answers in PascalCase through the AWS SDK integration and its optimized integrations alike.
    if (!call.wait && (!call.optimized || call.optimized.request?.kind === "pascal")) {
      const casing = actionCasing(call.service, call.action);
      if (casing !== "same" && !("error" in casing)) ctx.resultCasing.set(base.id, casing);
    }
    // The result members this form returns otherwise than the one lowering writes cannot be read (see resultRef).
    if (call.otherResult) ctx.otherResults.set(base.id, { ...call.otherResult, resource: short(resource) });
    // A request-response integration that answers otherwise than the API: reads of what it returns are said (see resultRef).
    if (!call.wait && call.optimized?.returns && call.optimized.response) ctx.integrationResults.set(base.id, { returns: call.optimized.returns, how: call.optimized.response, resource: short(resource), action: call.action, said: new Set() });
    // Tags are part of the API request here, not the step's own tags.
    return { ...base, tags: {}, kind: "aws", service: call.service, action: call.action, request, outputs: {}, ...(call.wait ? { wait: true } : {}) };
  }
  const waiting = WAITING_FORM.exec(resource);
  if (waiting?.[2] === "waitForTaskToken") {
    return refuse(ctx, [...at, "Resource"], `the integration '${waiting[1]}.waitForTaskToken' waits until some other party sends its task token back; an aws step either returns the call's response or, with wait, polls the job's own status, so the IR cannot say who answers or with what`);
  }
  if (waiting) {
    const listed = WAITABLE.flatMap((w) => [...(w.sfn ? [short(w.sfn)] : []), ...(w.sfnOther ? [short(w.sfnOther.resource)] : [])]).join(", ");
    return refuse(ctx, [...at, "Resource"], `the integration '${waiting[1]}.${waiting[2]}' waits for a job Switchyard does not know how to wait for elsewhere (no Describe action and statuses listed); of the .sync forms only ${listed} are read as aws steps that wait`);
  }
  if (/^arn:aws:states:::[a-z0-9-]+:[a-zA-Z0-9]+$/.test(resource)) {
    return refuse(ctx, [...at, "Resource"], `resource '${resource}' has no IR step kind: of the optimized integrations, only ${OPTIMIZED.filter((o) => !o.waitOnly).map((o) => short(o.resource)).join(", ")} are read as aws steps (the aws-sdk form of any action is)`);
  }
  return null;
}

/** Literal request texts that are whole deployment-time placeholders (`${ModelId}`) are kept as text, with a warning. */
function substitutions(ctx: LiftCtx, o: unknown, at: JPath): void {
  if (typeof o === "string" && /^\$\{[^}]*\}$/.test(o)) warn(ctx, at, `'${o}' looks like a deployment-time substitution; it is kept as this literal text`, substitutionHint(o));
  else if (Array.isArray(o)) o.forEach((x, i) => substitutions(ctx, x, [...at, i]));
  else if (isObj(o)) for (const [k, v] of Object.entries(o)) if (!k.endsWith(".$")) substitutions(ctx, v, [...at, k]);
}
