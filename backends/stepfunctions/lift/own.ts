/**
 * States only Switchyard's own machines have: results kept under
 * `$.steps.<id>`, and the S3 reads of step reports. Each is accepted only in
 * exactly the shape lowering writes it.
 */
import { isDeepStrictEqual } from "node:util";
import type { Step, Value } from "../../../src/ir/types.js";
import { member } from "../intrinsics.js";
import { RESPONSE_KEPT } from "../render.js";
import { canonical, field, quietly, refuse, warn, type Flow, type LiftCtx } from "./flow.js";
import { common, liftRetry, liftTags, refineRetry, strMap } from "./tasks.js";
import type { JPath } from "./source.js";
import { awsCallOf } from "../aws-calls.js";
import { responsePath } from "../sdk-casing.js";
import { OWN_FAIL, POLLED_START } from "../names.js";
import { DEFAULT_WAIT_SECONDS, waitable } from "../../../src/aws/waitable.js";

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);

/** A step's result in an own machine: under `$.steps.<id>`; Lambda and approval outputs declared by their ResultSelector. */
export function ownResult(ctx: LiftCtx, s: Step, st: Obj, at: JPath): void {
  const none = s.kind === "glue" || s.kind === "emr";
  if (none ? st.ResultPath !== null : st.ResultPath !== `$.steps${member(s.id)}`) refuse(ctx, [...at, "ResultPath"], `ResultPath '${String(st.ResultPath)}' breaks the $.steps layout of a machine Switchyard wrote`);
  // A branch hands back its step results, or (a foreach copy) its own result, or (a foreach copy keeping none) {}.
  if (st.OutputPath !== undefined && st.OutputPath !== null && st.OutputPath !== "$.steps" && st.OutputPath !== `$.steps${member(s.id)}`) refuse(ctx, [...at, "OutputPath"], `OutputPath '${String(st.OutputPath)}' has no IR equivalent`);
  // The whole result, kept when a step reads the response: a Lambda's Payload, else the result itself.
  if (isObj(st.ResultSelector) && "response.$" in st.ResultSelector) {
    const want = s.kind === "lambda" ? "$.Payload" : "$";
    if (!RESPONSE_KEPT.has(s.kind) || st.ResultSelector["response.$"] !== want) refuse(ctx, [...at, "ResultSelector", "response.$"], `the response of ${s.kind} step '${s.id}' is not kept as lowering keeps it ('${want}')`);
  }
  if ((s.kind === "lambda" || s.kind === "approval" || s.kind === "aws") && isObj(st.ResultSelector) && isObj(st.ResultSelector.outputs)) {
    const lead = s.kind === "lambda" ? "$.Payload" : "$";
    // Where Step Functions spells the response in PascalCase, lowering reads each output so.
    const casing = s.kind === "aws" ? ctx.resultCasing.get(s.id) : undefined;
    for (const [k, v] of Object.entries(st.ResultSelector.outputs)) {
      const name = k.slice(0, -2);
      if (!k.endsWith(".$") || v !== `${lead}${member(casing ? String(responsePath(casing, [name], true)[0]) : name)}`) {
        refuse(ctx, [...at, "ResultSelector", "outputs", k], `output '${k}' is not read from the ${s.kind === "lambda" ? "function's payload" : s.kind === "aws" ? "top level of the response" : "approver's answer"}`);
        continue;
      }
      if (s.outputs[name] === undefined) {
        s.outputs[name] = "string";
        ctx.defaulted.add(`${s.id}.${name}`);
      }
    }
  }
}

/** `<step>.read.<report>`: the s3:getObject that reads a report file of a processing step; true when recognised. */
export function reportRead(ctx: LiftCtx, name: string, st: Obj, at: JPath): boolean {
  const m = /^(.+)\.read\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(name);
  const s = m ? ctx.steps.get(m[1]) : undefined;
  if (!m || !s || s.kind !== "processing") return false;
  const r = m[2];
  if (st.ResultPath !== `$.steps${member(s.id)}.reports${member(r)}` || !isDeepStrictEqual(st.ResultSelector, { "json.$": "States.StringToJson($.Body)" })) return false;
  const p = isObj(st.Parameters) ? st.Parameters : {};
  if (typeof p.Bucket !== "string") return false;
  const key = quietly(ctx, () => field(ctx, { base: { kind: "own" }, fields: new Map() }, p, "Key", [...at, "Parameters"]));
  if (key?.kind !== "join" || key.parts.length !== 3) return false;
  const [a, e, b] = key.parts;
  if (a.kind !== "literal" || e.kind !== "ref" || e.ref.scope !== "execution" || b.kind !== "literal" || typeof b.value !== "string") return false;
  const lead = `/${s.id}/`;
  if (!b.value.startsWith(lead)) return false;
  const [output, ...file] = b.value.slice(lead.length).split("/");
  if (!s.outputs[output] || !file.length) return false;
  const artifacts = `s3://${p.Bucket}${a.value === "" ? "" : `/${String(a.value).replace(/\/$/, "")}`}`;
  if (ctx.artifacts !== undefined && ctx.artifacts !== artifacts) return false;
  ctx.artifacts = artifacts;
  s.reports[r] = { output, file: file.join("/"), pos: ctx.src.pos(at) };
  if (s.retry) refineRetry(s.retry, "sagemaker", st);
  return true;
}

export { refuse };

const ENDPOINT_PARTS = [".config", "", ".update", ".wait", ".status", ".check", ".count", OWN_FAIL.failed, OWN_FAIL.timeout, ".done"];
/** Seconds between endpoint polls and the rollout bound without a timeout (lower.ts, tasks.ts). */
const POLL = 30;
const DEFAULT_POLLS = 120;

/**
 * The states an endpoint step lowers to (`X.model`?, `X.config`, `X`, `X.update`,
 * the `X.wait`/`X.status`/`X.check`/`X.count` poll loop and its ends) as one endpoint step.
 */
export function ownEndpoint(ctx: LiftCtx, flow: Flow, states: Obj, name: string, statesAt: JPath, deps: string[]): { step: Step; states: string[]; next?: string } | undefined {
  const m = /^(.+)\.(model|config)$/.exec(name);
  if (!m) return undefined;
  const id = m[1];
  const get = (suffix: string) => (isObj(states[id + suffix]) ? (states[id + suffix] as Obj) : undefined);
  if (ENDPOINT_PARTS.some((x) => !get(x)) || ctx.steps.has(id)) return undefined;
  const at = (suffix: string, ...rest: JPath) => [...statesAt, id + suffix, ...rest];
  const modelState = m[2] === "model" ? get(".model") : undefined;
  const cfg = get(".config")!;
  const create = get("")!;
  const check = get(".check")!;
  const variant = isObj(cfg.Parameters) && Array.isArray(cfg.Parameters.ProductionVariants) && isObj(cfg.Parameters.ProductionVariants[0]) ? (cfg.Parameters.ProductionVariants[0] as Obj) : {};
  const vAt = at(".config", "Parameters", "ProductionVariants", 0);
  const endpointName = field(ctx, flow, isObj(create.Parameters) ? create.Parameters : {}, "EndpointName", at("", "Parameters"));
  let model: Value | undefined;
  let image: Value | undefined;
  let environment: Record<string, Value> = {};
  if (modelState) {
    const pc = isObj(modelState.Parameters) && isObj(modelState.Parameters.PrimaryContainer) ? modelState.Parameters.PrimaryContainer : {};
    const pcAt = at(".model", "Parameters", "PrimaryContainer");
    model = field(ctx, flow, pc, "ModelDataUrl", pcAt);
    image = field(ctx, flow, pc, "Image", pcAt);
    environment = strMap(ctx, flow, pc.Environment, [...pcAt, "Environment"]);
  } else model = field(ctx, flow, variant, "ModelName", vAt);
  const type = field(ctx, flow, variant, "InstanceType", vAt);
  const count = field(ctx, flow, variant, "InitialInstanceCount", vAt, "integer");
  const limit = Array.isArray(check.Choices) && isObj(check.Choices[2]) ? check.Choices[2].NumericGreaterThanEquals : undefined;
  if (!endpointName || !model || !type || typeof limit !== "number") return undefined;
  const polls = limit + 1;
  const retry = liftRetry(ctx, cfg, at(".config"), [get(".status")!]);
  const tags = isObj(cfg.Parameters) && cfg.Parameters.Tags !== undefined ? liftTags(ctx, cfg.Parameters.Tags, at(".config", "Parameters", "Tags")) : {};
  const done = get(".done")!;
  const step: Step = {
    id,
    depends_on: deps,
    tags: tags ?? {},
    environment,
    targets: {},
    pos: ctx.src.pos(at(modelState ? ".model" : ".config")),
    ...(retry ? { retry } : {}),
    ...(polls !== DEFAULT_POLLS ? { timeout: polls * POLL } : {}),
    kind: "endpoint",
    name: endpointName,
    model,
    ...(image ? { image } : {}),
    instance: { type, ...(count ? { count } : {}), pos: ctx.src.pos(vAt) },
  };
  return { step, states: [...(modelState ? [id + ".model"] : []), ...ENDPOINT_PARTS.map((x) => id + x)], next: typeof done.Next === "string" ? done.Next : undefined };
}

/** One IR value tree per copy: where they differ, literals become `item.<key>` and the items hold them. */
export function mergeCopies(ctx: LiftCtx, copies: Step[], at: JPath): Step | undefined {
  const items: Array<Record<string, Value>> = copies.map(() => ({}));
  const used = new Set<string>();
  let ok = true;
  const keyFor = (hint: string) => {
    let k = /^[A-Za-z_][A-Za-z0-9_]*$/.test(hint) ? hint : "value";
    for (let n = 2; used.has(k); n++) k = `${hint}_${n}`;
    used.add(k);
    return k;
  };
  const isValue = (x: unknown): x is Value => isObj(x) && typeof x.kind === "string" && "pos" in x;
  const merge = (xs: unknown[], hint: string): unknown => {
    const plain = xs.map((x) => JSON.stringify(x, (k, v) => (k === "pos" ? undefined : v)));
    if (plain.every((x) => x === plain[0])) return xs[0];
    if (xs.every(isValue) && xs.every((x) => (x as Value).kind === "literal")) {
      const key = keyFor(hint);
      xs.forEach((x, i) => (items[i][key] = x as Value));
      return { kind: "ref", ref: { scope: "item", path: [key] }, pos: (xs[0] as Value).pos };
    }
    if (xs.every(Array.isArray) && xs.every((x) => (x as unknown[]).length === (xs[0] as unknown[]).length)) return (xs[0] as unknown[]).map((_, i) => merge(xs.map((x) => (x as unknown[])[i]), hint));
    if (xs.every(isObj)) {
      const keys = new Set(xs.flatMap((x) => Object.keys(x as Obj)));
      const out: Obj = {};
      for (const k of keys) out[k] = k === "pos" ? (xs[0] as Obj)[k] : merge(xs.map((x) => (x as Obj)[k]), k === "entries" || k === "parts" || k === "items" ? hint : /^[A-Za-z_]/.test(k) && !["kind", "value", "type"].includes(k) ? k : hint);
      return out;
    }
    ok = false;
    return xs[0];
  };
  const step = merge(copies, "item") as Step;
  if (!ok) {
    refuse(ctx, at, "the branches of this Parallel differ in more than literal values, so they are not copies of one foreach step");
    return undefined;
  }
  return { ...step, foreach: { items: items.map((entries) => ({ kind: "map", entries, pos: ctx.src.pos(at) })), pos: ctx.src.pos(at) } };
}

/**
 * A hand-written rollout: createEndpointConfig (one variant of a lifted model
 * step) then createEndpoint or updateEndpoint with that configuration, as one
 * endpoint step. The endpoint step also waits for InService and updates an
 * existing endpoint of that name; a warning says so.
 */
export function handEndpoint(ctx: LiftCtx, flow: Flow, states: Obj, name: string, st: Obj, at: JPath, statesAt: JPath, deps: string[], id: string): { step?: Step; consumed: string; next?: string } | undefined {
  if (st.Resource !== "arn:aws:states:::sagemaker:createEndpointConfig" || typeof st.Next !== "string") return undefined;
  const nextName = st.Next;
  const ep = states[nextName];
  if (!isObj(ep) || (ep.Resource !== "arn:aws:states:::sagemaker:createEndpoint" && ep.Resource !== "arn:aws:states:::sagemaker:updateEndpoint")) return undefined;
  const p = isObj(st.Parameters) ? st.Parameters : {};
  const q = isObj(ep.Parameters) ? ep.Parameters : {};
  const pAt = [...at, "Parameters"];
  const qAt = [...statesAt, nextName, "Parameters"];
  const cfgName = p.EndpointConfigName ?? p["EndpointConfigName.$"];
  if (cfgName === undefined || !isDeepStrictEqual(cfgName, q.EndpointConfigName ?? q["EndpointConfigName.$"])) return undefined;
  const variants = Array.isArray(p.ProductionVariants) ? (p.ProductionVariants as Obj[]) : [];
  const vAt = [...pAt, "ProductionVariants", 0];
  const after = { consumed: nextName, next: typeof ep.Next === "string" ? ep.Next : undefined };
  const problems = () => ctx.diags.filter((d) => d.severity === "error").length + ctx.quietFails;
  const p0 = problems();
  if (variants.length !== 1) return refuse(ctx, [...pAt, "ProductionVariants"], "an endpoint configuration with other than one production variant has no IR equivalent") ?? after;
  const v = variants[0];
  for (const k of Object.keys(v)) if (!["VariantName", "ModelName", "ModelName.$", "InstanceType", "InstanceType.$", "InitialInstanceCount", "InitialInstanceCount.$", "InitialVariantWeight"].includes(k)) refuse(ctx, [...vAt, k], `field '${k}' of a production variant has no IR equivalent`);
  for (const k of Object.keys(p)) if (!["EndpointConfigName", "EndpointConfigName.$", "ProductionVariants"].includes(k)) refuse(ctx, [...pAt, k], `field '${k}' of an endpoint configuration has no IR equivalent`);
  for (const k of Object.keys(q)) if (!["EndpointConfigName", "EndpointConfigName.$", "EndpointName", "EndpointName.$"].includes(k)) refuse(ctx, [...qAt, k], `field '${k}' of an endpoint request has no IR equivalent`);
  for (const [n, x] of [[name, st], [nextName, ep]] as const) {
    for (const k of Object.keys(x)) if (!["Type", "Resource", "Parameters", "Next", "End", "Comment", "Retry", "ResultPath", "Catch"].includes(k)) refuse(ctx, [...statesAt, n, k], `field '${k}' of an endpoint rollout state has no IR equivalent`);
  }
  if (!isDeepStrictEqual(st.Catch, ep.Catch)) refuse(ctx, [...statesAt, nextName, "Catch"], `'${name}' and '${nextName}' catch differently; an endpoint step has one failure handler for all its calls`);
  // One endpoint step has one retry policy for all its calls.
  if (!isDeepStrictEqual(st.Retry, ep.Retry)) refuse(ctx, [...statesAt, nextName, "Retry"], `'${name}' and '${nextName}' retry differently; an endpoint step has one retry policy for all its calls`);
  const named = field(ctx, flow, v, "ModelName", vAt);
  // The name a lifted model step was created with means that step's model.
  const fromStep = named ? ctx.modelNames.get(canonical(ctx, named)) : undefined;
  const model: Value | undefined = fromStep && named ? { kind: "ref", ref: { scope: "steps", step: fromStep, attr: "name" }, pos: named.pos } : named;
  const type = field(ctx, flow, v, "InstanceType", vAt);
  const count = field(ctx, flow, v, "InitialInstanceCount", vAt, "integer");
  const endpointName = field(ctx, flow, q, "EndpointName", qAt);
  // Matched, but not liftable: the reads above said why (or read data of a refused state).
  if (!model || !type || !endpointName) {
    if (problems() === p0) refuse(ctx, at, "an endpoint rollout needs a variant ModelName and InstanceType and an EndpointName");
    return after;
  }
  if (!(model.kind === "ref" && model.ref.scope === "steps" && model.ref.attr === "name")) return refuse(ctx, [...vAt, "ModelName"], "the variant's model is not one a lifted model step creates; an IR endpoint deploys a model step or a model artifact") ?? after;
  if (v.VariantName !== undefined && v.VariantName !== "AllTraffic") warn(ctx, [...vAt, "VariantName"], `variant name ${JSON.stringify(v.VariantName)} is not kept: the IR names the variant AllTraffic`);
  // The configuration belongs to the step: lowering names it after the step and the run.
  warn(ctx, [...pAt, p.EndpointConfigName !== undefined ? "EndpointConfigName" : "EndpointConfigName.$"], "EndpointConfigName is not kept: Switchyard names the endpoint configurations it creates");
  warn(ctx, at, `'${name}' and '${nextName}' are read as one endpoint step, which also waits until the endpoint is InService (DescribeEndpoint every 30 s) and updates an endpoint of that name that already exists`);
  const retry = liftRetry(ctx, st, at);
  const step: Step = {
    ...common(id, name, ctx.src.pos(at), deps),
    ...(retry ? { retry } : {}),
    kind: "endpoint",
    name: endpointName,
    model,
    instance: { type, ...(count ? { count } : {}), pos: ctx.src.pos(vAt) },
  };
  return { step, consumed: nextName, next: typeof ep.Next === "string" ? ep.Next : undefined };
}

/**
 * A wait lowering polls (tasks.ts `emitPolled`: no `.sync` form, or one that does not return the Describe response read): the call
 * (`X`, keeping `{polls, started}`), `X.status` (the Describe call), `X.check`, `X.outcome` where the row
 * has one, `X.wait`, `X.count` and the ends `X.failed`, `X.timeout` (Fail states, or Passes that hand their
 * error to a failure handler) and `X.done`. Read as the call alone, its result selected as `X.done` selects
 * it, continuing where `X.done` does; the caller marks the step `wait` with the Describe calls' bound.
 */
export function ownPolled(states: Obj, name: string, st: Obj): { state: Obj; consumed: string[]; polls: number; describe: Obj } | undefined {
  const call = typeof st.Resource === "string" ? awsCallOf(st.Resource) : undefined;
  const row = call && !call.wait ? waitable(call.service, call.action) : undefined;
  // Lowering polls where there is no .sync form, or where the step reads the Describe response that the .sync form does not return.
  if (!row || (row.sfn !== undefined && row.sfnResultIsDescribe) || !isDeepStrictEqual(st.ResultSelector, POLLED_START) || st.Next !== `${name}.status` || typeof st.ResultPath !== "string") return undefined;
  const result = st.ResultPath;
  const parts = [".status", ".check", ...(row.outcome ? [".outcome"] : []), ".wait", ".count", OWN_FAIL.failed, OWN_FAIL.timeout, ".done"];
  const get = (suffix: string) => (isObj(states[name + suffix]) ? (states[name + suffix] as Obj) : undefined);
  if (parts.some((x) => !get(x))) return undefined;
  const status = get(".status")!;
  const check = get(".check")!;
  const done = get(".done")!;
  const ends = [get(OWN_FAIL.failed)!, get(OWN_FAIL.timeout)!];
  if (status.Type !== "Task" || status.ResultPath !== `${result}.last` || check.Type !== "Choice" || done.Type !== "Pass" || done.ResultPath !== result || !isObj(done.Parameters)) return undefined;
  if (ends.some((e) => e.Type !== "Fail" && !(e.Type === "Pass" && isObj(e.Parameters) && typeof e.Parameters.Error === "string"))) return undefined;
  const limit = Array.isArray(check.Choices) ? (check.Choices as Obj[]).find((r) => typeof r.NumericGreaterThanEquals === "number")?.NumericGreaterThanEquals : undefined;
  if (typeof limit !== "number") return undefined;
  // The result as the Task itself would select it from the Describe response.
  const last = `${result}.last`;
  const rebase = (x: unknown): unknown => (typeof x === "string" && (x === last || x.startsWith(`${last}.`)) ? `$${x.slice(last.length)}` : isObj(x) ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, rebase(v)])) : x);
  const { Next: _n, ResultSelector: _r, ...rest } = st;
  const state: Obj = { ...rest, ResultSelector: rebase(done.Parameters), ...(typeof done.Next === "string" ? { Next: done.Next } : { End: true }) };
  return { state, consumed: parts.map((x) => name + x), polls: limit, describe: status };
}

/** The step timeout a polled wait's bound of Describe calls says (lowering: the timeout over the interval, plus one); undefined: the default day. */
export function polledTimeout(polls: number): number | undefined {
  return polls === Math.ceil(DEFAULT_WAIT_SECONDS / POLL) + 1 ? undefined : (polls - 1) * POLL;
}
