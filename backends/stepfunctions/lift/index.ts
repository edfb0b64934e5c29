/**
 * Lifting ASL into the IR: Task states of the SageMaker, Lambda and SQS
 * integrations, Choice, Parallel, Pass, Succeed and Fail, where their
 * meaning is clear. Every other construct is refused with its JSON path; all
 * refusals are reported at once.
 */
import { basename } from "node:path";
import { payloadOnlyInputs, presenceTestedInputs } from "./inputs.js";
import { ERROR_PATH } from "../asl.js";
import { error, hasErrors, sortDiagnostics } from "../../../src/diagnostics.js";
import type { LiftInput, LiftResult } from "../../../src/backend/types.js";
import { takeGiven } from "../../../src/backend/lift-given.js";
import { placeholdersIn, substitutionHint } from "../../../src/backend/substitute.js";
import { checkPipeline } from "../../../src/ir/check/index.js";
import { paramsReadOnSomePaths } from "../../../src/ir/sometimes-read.js";
import { REPEAT_LIMIT_ERROR, type ConditionStep, type ErrorClass, type FailureHandler, type Pipeline, type Step, type Value } from "../../../src/ir/types.js";
import { repeatEnd } from "../../../src/ir/defaults.js";
import { POLLS } from "../repeat.js";
import { liftValue, narrowed, quietly, refuse, resolvePath, segments, warn, wholeResultWarnings, wholeState, type Base, type DocBase, type Flow, type LiftCtx } from "./flow.js";
import { positionFreeJson } from "../../../src/ir/values.js";
import { KINDS } from "../../../src/ir/kinds.js";
import { isResultPass, keptResults, RESULT_KEY, RESULTS_SELECTOR } from "../map-results.js";
import { printExpr } from "../../../src/ir/expr/print.js";
import { refsInValue } from "../../../src/ir/graph.js";
import { member } from "../intrinsics.js";
import { isGatherSelector } from "../gather.js";
import { isYamlAsl, readSource, type JPath, type Source } from "./source.js";
import { assign, desugar, liftNode, mergedOutput, refusedAssign, type Kept } from "./jsonata.js";
import { isMachineTemplate } from "./template.js";
import { classesFor, common, coverFor, coverWarning, errorClassesHint, liftTask, SAGEMAKER_SYNC, splitErrorNames } from "./tasks.js";
import { ABSORBED, integrationOf } from "../errors.js";
import { isDeepStrictEqual } from "node:util";
import { ARN } from "../tasks.js";
import { copyName, ITERATION_RUN_CHILD, ITERATION_RUN_INLINE, ITERATION_RUN_MARK, ownsState, perIteration, stateName } from "../names.js";
import { readPreamble } from "./preamble.js";
import { readRunValues, readVariableReads } from "./run-values.js";
import { RUN_VALUES_STATE } from "../logical-date.js";
import { liftPass, writeAt } from "./pass.js";
import { VALUES_PATH } from "../tasks.js";
import { foldPolling } from "./poll.js";
import { findLoop, incomingCounts, loopMismatch, untilValue, type Loop, type Rule, type Tally } from "./loop.js";
import { isAwsCall } from "./aws.js";
import { handEndpoint, mergeCopies, ownEndpoint, ownPolled, ownResult, polledTimeout, reportRead } from "./own.js";
import { sdkCasing } from "../aws-calls.js";
import { waitable } from "../../../src/aws/waitable.js";
import { joins, joinsToFailure } from "./join.js";
import { DISTRIBUTED_FIELDS, liftMapSource } from "./map-source.js";
import { contextFromRun, swapInPaths } from "../run-context.js";
import { mapRefs } from "../../../src/ir/walk.js";
import type { States } from "../asl.js";
import { freshStepId } from "../../../src/ir/names.js";

/** A count of calls past this many is refused: the loop would hardly end. */
const MAX_COUNTED_CALLS = 100000;

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === "object" && !Array.isArray(x);

export function canLift(input: LiftInput): boolean {
  // A template that deploys a state machine: its definition is lifted.
  if (isMachineTemplate(input.text)) return true;
  // A YAML state machine names StartAt and States at its top level (a Switchyard pipeline is told apart before).
  if (isYamlAsl(input.file, input.text)) return /^StartAt\s*:/m.test(input.text) && /^States\s*:/m.test(input.text);
  try {
    const j = JSON.parse(input.text) as Obj;
    return isObj(j) && typeof j.StartAt === "string" && isObj(j.States);
  } catch {
    // A file named as a state machine that is not JSON: its importer says where the syntax breaks.
    return /\.asl\.json$/i.test(input.file);
  }
}

const OPS: Record<string, "==" | "<" | ">" | "<=" | ">="> = { Equals: "==", LessThan: "<", GreaterThan: ">", LessThanEquals: "<=", GreaterThanEquals: ">=" };
const RULE = /^(String|Numeric|Boolean)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/;

function liftRule(ctx: LiftCtx, flow: Flow, r: Obj, at: JPath): Value | undefined {
  const pos = ctx.src.pos(at);
  // A JSONata rule: its Condition.
  if (ctx.jsonata && typeof r.Condition === "string") return resolvePath(ctx, flow, r.Condition, [...at, "Condition"], "boolean");
  if (Array.isArray(r.And) || Array.isArray(r.Or)) {
    const key = r.And ? "And" : "Or";
    const ops = (r[key] as Obj[]).map((x, i) => liftRule(ctx, flow, x, [...at, key, i]));
    return ops.every((x) => x) ? { kind: "logic", op: key === "And" ? "and" : "or", operands: ops as Value[], pos } : undefined;
  }
  if (isObj(r.Not)) {
    const inner = liftRule(ctx, flow, r.Not, [...at, "Not"]);
    return inner && { kind: "not", operand: inner, pos };
  }
  // IsPresent: whether the path has a value (exists()), or not.
  if (typeof r.IsPresent === "boolean" && typeof r.Variable === "string" && Object.keys(r).every((k) => ["Variable", "IsPresent", "Next"].includes(k))) {
    // A single member of a call's result is read as that part of its response, not as a declared output (which must be there).
    ctx.presence = true;
    const path = resolvePath(ctx, flow, r.Variable, [...at, "Variable"]);
    ctx.presence = false;
    if (!path) return undefined;
    if (path.kind !== "ref" || !((path.ref.scope === "execution" && path.ref.name === "input") || (path.ref.scope === "steps" && (path.ref.attr === "response" || path.ref.attr === "reports")))) {
      return refuse(ctx, [...at, "IsPresent"], `IsPresent on '${r.Variable}', which the IR reads as ${path.kind === "ref" ? "a value that is always there (a parameter or a named result)" : "a value"}: exists() tests a path into the run's input or a step's response or report`);
    }
    const test: Value = { kind: "call", fn: "exists", args: [path], pos };
    return r.IsPresent ? test : { kind: "not", operand: test, pos };
  }
  // StringMatches: matches() with the pattern as written.
  if (typeof r.StringMatches === "string" && typeof r.Variable === "string" && Object.keys(r).every((k) => ["Variable", "StringMatches", "Next"].includes(k))) {
    const text = resolvePath(ctx, flow, r.Variable, [...at, "Variable"], "string");
    return text && { kind: "call", fn: "matches", args: [text, { kind: "literal", value: r.StringMatches, type: "string", pos }], pos };
  }
  const opKey = Object.keys(r).find((k) => k !== "Variable" && k !== "Next");
  const m = opKey ? RULE.exec(opKey) : null;
  if (!opKey || !m || typeof r.Variable !== "string") return refuse(ctx, opKey ? [...at, opKey] : at, `Choice operator '${opKey ?? "(none)"}' has no IR equivalent`);
  const hint = m[1] === "Numeric" ? "float" : m[1] === "Boolean" ? "boolean" : "string";
  const left = resolvePath(ctx, flow, r.Variable, [...at, "Variable"], hint);
  const right = m[3] ? (typeof r[opKey] === "string" ? resolvePath(ctx, flow, r[opKey] as string, [...at, opKey], hint) : undefined) : liftValue(ctx, flow, r[opKey], [...at, opKey]);
  if (!left || !right) return undefined;
  // The run's input and step responses have no type: lowering compares two of them as numbers.
  const untyped = (x: Value) => x.kind === "ref" && ((x.ref.scope === "execution" && x.ref.name === "input") || (x.ref.scope === "steps" && x.ref.attr === "response"));
  if (m[3] && m[1] !== "Numeric" && untyped(left) && untyped(right)) {
    return refuse(ctx, [...at, opKey], `${opKey} compares two values of unknown type (the run's input or a step's response) as ${m[1] === "String" ? "strings" : "booleans"}; the IR would compare them as numbers`);
  }
  // A Variable that reads a literal a Pass state set: the branch is fixed before the run.
  if (left.kind === "literal" && right.kind === "literal") return refuse(ctx, [...at, "Variable"], `Variable '${r.Variable}' reads ${JSON.stringify(left.value)}, a constant a Pass state set, so the rule is decided before the run; the IR keeps no condition on two constants`);
  return { kind: "compare", op: m[1] === "Boolean" ? "==" : OPS[m[2]], left, right, pos };
}

/**
 * Lowering's fail step with a failure handler: a Pass that puts the error (and
 * cause) where a Catch would (`$.error`) and goes on to the handler. As the
 * Fail state it stands for, or undefined.
 */
function handedFail(st: Obj): Obj | undefined {
  const prm = isObj(st.Parameters) ? st.Parameters : undefined;
  if (st.Type !== "Pass" || st.ResultPath !== ERROR_PATH || typeof st.Next !== "string" || !prm) return undefined;
  if (!Object.keys(st).every((k) => ["Type", "Parameters", "ResultPath", "Next", "Comment"].includes(k))) return undefined;
  // Exactly an error and a cause, each written out or read from a path.
  const one = (k: string) => (k in prm) !== (`${k}.$` in prm);
  if (Object.keys(prm).length !== 2 || !one("Error") || !one("Cause")) return undefined;
  const fail: Obj = { Type: "Fail" };
  if (typeof prm["Error.$"] === "string") fail.ErrorPath = prm["Error.$"];
  else if (typeof prm.Error === "string") fail.Error = prm.Error;
  if (typeof prm["Cause.$"] === "string") fail.CausePath = prm["Cause.$"];
  else if (typeof prm.Cause === "string") fail.Cause = prm.Cause;
  return fail;
}

export function liftAsl(input: LiftInput): LiftResult {
  // A foreign machine's Choice whose paths leave the data differently meet as one step when what follows
  // does not read that data; where it does (the lift has errors), those Choices are lifted apart instead:
  // each path with its own copy of what follows.
  const merged = new Set<string>();
  const first = liftWith(input, new Set(), merged);
  // A template fills in values given for placeholders its functions make: say which, so none is reported unused.
  const used = isMachineTemplate(input.text) && input.values?.size ? readUsed(input) : undefined;
  if (!merged.size || !hasErrors(first.diagnostics)) return { ...first, ...(used ? { used } : {}) };
  const apart = liftWith(input, merged, new Set());
  const errors = (r: LiftResult) => r.diagnostics.filter((d) => d.severity === "error").length;
  return { ...(errors(apart) < errors(first) ? apart : first), ...(used ? { used } : {}) };
}

/** An integration's resource written with a Region and account (`!Sub arn:${AWS::Partition}:states:${AWS::Region}:...`). */
const REGIONAL = /^arn:(aws[a-z-]*):states:[a-z]{2}(?:-[a-z]+)+-[0-9]:[0-9]{12}:(?!activity:|stateMachine:|execution:)([a-z0-9-]+:.+)$/;

/**
 * Task resources that name the Region and account of a service integration are read as the usual
 * `arn:aws:states:::` form, which lowering writes (Step Functions reads both alike); said once.
 */
function regionalResources(ctx: LiftCtx, states: unknown, at: JPath): void {
  const found: JPath[] = [];
  const visit = (sts: unknown, path: JPath) => {
    if (!isObj(sts)) return;
    for (const [name, st] of Object.entries(sts)) {
      if (!isObj(st)) continue;
      const m = typeof st.Resource === "string" ? REGIONAL.exec(st.Resource) : null;
      if (st.Type === "Task" && m) {
        st.Resource = `arn:${m[1]}:states:::${m[2]}`;
        found.push([...path, name, "Resource"]);
      }
      for (const [i, b] of (Array.isArray(st.Branches) ? st.Branches : []).entries()) if (isObj(b)) visit(b.States, [...path, name, "Branches", i, "States"]);
      for (const k of ["Iterator", "ItemProcessor"]) if (isObj(st[k])) visit((st[k] as Obj).States, [...path, name, k, "States"]);
    }
  };
  visit(states, at);
  if (found.length) warn(ctx, found[0], `${found.length === 1 ? "this Task's resource names" : `${found.length} Task resources name`} the Region and account of the service integration; read as, and written back as, 'arn:aws:states:::...', which Step Functions reads alike`);
}

function readUsed(input: LiftInput): Set<string> | undefined {
  const src = readSource(input.file, input.text, input.given?.machine, input.values);
  return "json" in src ? src.used : undefined;
}

/** Data as a state sees it, without source positions: what two paths into a state must agree on. */
const dataKey = (x: Flow | Base) => JSON.stringify(x, (k, v) => (k === "pos" ? undefined : v instanceof Map ? [...v.entries()] : v));

/** The data where paths meet: what each path left the same, and unknown where they differ. */
/** The data where paths meet: what is the same on each, and the rest unknown, `why` saying how it differs. */
function meetFlows(flows: Flow[], why: string): Flow {
  const differs: Base = { kind: "unknown", why };
  const [a, ...rest] = flows;
  const base = rest.every((f) => dataKey(f.base) === dataKey(a.base)) ? a.base : differs;
  const fields = new Map<string, Base>();
  for (const k of new Set(flows.flatMap((f) => [...f.fields.keys()]))) {
    const each = flows.map((f) => f.fields.get(k));
    fields.set(k, each.every((x) => x !== undefined && dataKey(x) === dataKey(each[0]!)) ? each[0]! : differs);
  }
  return { ...a, base, fields };
}

/** `apart`: Choices (as JSON paths) whose paths are lifted apart even where they meet; `merged`: those met with data that differs by path. */
function liftWith(input: LiftInput, apart: Set<string>, merged: Set<string>): LiftResult {
  const read = readSource(input.file, input.text, input.given?.machine, input.values);
  if ("diagnostics" in read) return { diagnostics: read.diagnostics };
  if ("error" in read) return { diagnostics: [error(read.pos, read.error, { code: "lift-parse", ...(read.hint ? { hint: read.hint } : {}) })] };
  // JSONata states are read as the JSONPath states they mean; positions are the file's own.
  const sugar = isObj(read.json) ? desugar(read.json) : undefined;
  const jsonata = sugar?.jsonata;
  const src: Source = jsonata ? { ...read, json: sugar.def, pos: (at) => read.pos(jsonata.unmap(at)) } : sugar ? { ...read, json: sugar.def } : read;
  const def = src.json as Obj;
  const ctx: LiftCtx = { src, diags: [...(src.notes ?? [])], steps: new Map(), params: new Map(), lambdaWrapped: new Set(), aliases: new Map(), modelNames: new Map(), defaulted: new Set(), consts: new Map(), own: false, expectedNames: {}, quietFails: 0, failureReads: 0, otherResults: new Map(), resultCasing: new Map(), integrationResults: new Map(), objectInputs: new Set(), mapIds: [], wholeResults: new Map() };
  if (!isObj(def) || typeof def.StartAt !== "string" || !isObj(def.States)) {
    return { diagnostics: [error(src.pos([]), "not a state machine: StartAt and States are required", { code: "lift-parse" })] };
  }
  if (jsonata) {
    ctx.jsonata = jsonata;
    for (const p of jsonata.problems) refuse(ctx, p.at, p.message);
  }
  regionalResources(ctx, def.States, ["States"]);
  // Members some path reads below: `$.params` passed whole is then that object, not a (scalar) parameter.
  const text = JSON.stringify(def);
  for (const m of text.matchAll(/"\$(?:\$\.Execution\.Input)?\.([A-Za-z_][A-Za-z0-9_-]*)[.[]/g)) ctx.objectInputs.add(m[1]);
  // The same read in JSONata (`$states.input.x.y`, `$states.input.x[0]`).
  for (const m of text.matchAll(/\$states\.input\.([A-Za-z_][A-Za-z0-9_-]*)\s*[.[]/g)) ctx.objectInputs.add(m[1]);
  // Members $exists() tests may be missing: the input's own, as with IsPresent.
  for (const m of text.matchAll(/\$exists\(\s*\$states\.input\.([A-Za-z_][A-Za-z0-9_-]*)\s*\)/g)) ctx.objectInputs.add(m[1]);
  // Members a list intrinsic takes (States.ArrayGetItem($.regions, 0), ...) are lists, not (scalar) parameters.
  for (const m of text.matchAll(/States\.Array[A-Za-z]*\(\s*\$(?:\$\.Execution\.Input)?\.([A-Za-z_][A-Za-z0-9_-]*)\s*[,)]/g)) ctx.objectInputs.add(m[1]);
  // Members passed only to Lambda functions, whole: any JSON goes there, so they stay the input's, of any type.
  for (const name of payloadOnlyInputs(def)) ctx.objectInputs.add(name);
  // Members a Choice tests with IsPresent may be missing: they stay the input's too (exists() tests them).
  for (const name of presenceTestedInputs(def)) ctx.objectInputs.add(name);
  const settings: Record<string, unknown> = {};
  for (const k of Object.keys(def)) {
    // A whole-machine timeout is a Step Functions setting of the pipeline (it lowers to the same field).
    if (k === "TimeoutSeconds" && typeof def.TimeoutSeconds === "number") settings.TimeoutSeconds = def.TimeoutSeconds;
    else if (!["StartAt", "States", "Comment", "Version"].includes(k)) refuse(ctx, [k], `top-level field '${k}' has no IR equivalent`);
  }

  // The jobs' role: an IAM role ARN, or a deployment-time substitution (`${Role}`) kept as written.
  // A role in a plain API call (an aws step) is that request's own, not the pipeline's.
  // (A job started without .sync and polled after is one job step again: its role counts when no other job gives one.)
  const ROLE = /"(?:RoleArn|ExecutionRoleArn)":\s*"(arn:aws:iam::[0-9]+:role\/[^"]+|\$\{[A-Za-z0-9_.:-]+\})"/;
  const texts = JSON.stringify(def);
  const fileRole = ROLE.exec(JSON.stringify(jobStates(def.States)))?.[1] ?? ROLE.exec(texts)?.[1];
  // A role given with --role is the one every job runs as, also while the states are read.
  ctx.givenRole = input.given?.role;
  ctx.fileRole = fileRole;
  ctx.role = ctx.givenRole ?? fileRole;
  if (fileRole?.startsWith("${") && !ctx.givenRole) warn(ctx, [], `the role '${fileRole}' is a deployment-time substitution: kept as written, so the lowered files need the same substitution at deploy time`, substitutionHint(fileRole));
  const pre = readPreamble(ctx, def.States, def.StartAt);
  if (pre) {
    ctx.own = true;
    ctx.consts = pre.consts;
    for (const x of pre.params) ctx.params.set(x.name, x);
    // The values worked out after the parameters (dates, the input with fallbacks), read where `$.params.<key>` is.
    const after = pre.next === RUN_VALUES_STATE && typeof (def.States[RUN_VALUES_STATE] as Obj | undefined)?.Next === "string" ? ((def.States[RUN_VALUES_STATE] as Obj).Next as string) : undefined;
    const variables = after !== undefined ? readVariableReads(def.States, after) : undefined;
    const values = variables ? readRunValues(def.States[RUN_VALUES_STATE], variables.names) : undefined;
    if (values && variables) {
      ctx.runValues = values;
      pre.states.push(RUN_VALUES_STATE, ...variables.states);
      pre.next = variables.next;
    }
  }

  const order: Step[] = [];
  const ids = new Set<string>();
  const idFor = (name: string): string => freshStepId(name, ids);
  const add = (s: Step, collect: string[]) => {
    ctx.steps.set(s.id, s);
    order.push(s);
    collect.push(s.id);
  };
  const visited = new Set<string>(pre?.states ?? []);
  /** The most states lifted again where branches rejoin (each path gets a copy of what follows). */
  const MAX_COPIES = 200;
  // A state reached on three paths is one problem, reported once.
  const rejoined = new Set<string>();
  /** While lifting a failure handler: where the Catch put the error, and how each path ended. */
  let handler: { resultPath?: string; ended: Array<"fails" | "succeeds"> } | undefined;
  /** A map's list computed by the Pass before it, in a machine Switchyard wrote. */
  let pendingItems: { map: string; value: Value | undefined } | undefined;
  /** A Fail state's message computed by the Pass before it (`cause.$` into `$.fail`). */
  let pendingCause: { fail: string; value: Value | undefined; error: Value | undefined; computed: string[] } | undefined;
  /** A fail step from a Fail state (its message and error computed by the Pass before it, in our own machines). */
  const failStep = (st: Obj, name: string, at: JPath, flow: Flow, deps: string[], collect: string[]): Step | undefined => {
    const pos = src.pos(at);
    const computed = pendingCause?.fail === name ? pendingCause : undefined;
    pendingCause = undefined;
    const message: Value | undefined = computed?.computed.includes("cause.$")
      ? computed.value
      : typeof st.CausePath === "string"
        ? resolvePath(ctx, flow, st.CausePath, [...at, "CausePath"])
        : { kind: "literal", value: String(st.Cause ?? st.Error ?? "failed"), type: "string", pos };
    const id = idFor(name);
    // The error's name, when it is not the step's own id (the name lowering gives by default).
    const errorName: Value | undefined = computed?.computed.includes("error.$")
      ? computed.error
      : typeof st.ErrorPath === "string"
        ? resolvePath(ctx, flow, st.ErrorPath, [...at, "ErrorPath"])
        : st.Error !== undefined && st.Error !== id
          ? { kind: "literal", value: String(st.Error), type: "string", pos: src.pos([...at, "Error"]) }
          : undefined;
    if (st.Error === undefined && st.ErrorPath === undefined && !computed?.computed.includes("error.$")) warn(ctx, at, `a Fail state without Error fails with no error name; the lifted fail step fails with its own id '${id}'`);
    if (!message || (!errorName && (computed?.computed.includes("error.$") || typeof st.ErrorPath === "string"))) return undefined;
    const step: Step = { id, ...(id !== name ? { display_name: name } : {}), depends_on: deps, tags: {}, environment: {}, targets: {}, pos, kind: "fail", message, ...(errorName ? { error: errorName } : {}) };
    add(step, collect);
    return step;
  };
  // Own machines end a Parallel branch with `OutputPath: $.steps`.
  const terminalPass = (st: unknown) =>
    isObj(st) && st.Type === "Pass" && st.End === true && Object.keys(st).every((k) => k === "Type" || k === "End" || (ctx.own && k === "OutputPath" && st.OutputPath === "$.steps"));
  // A Pass that ends a branch or an iteration with data of its own (a note that an item was skipped): a Catch into
  // it from the state that ends there lets the failure pass, and that data is unknown to later reads.
  const endingPass = (st: unknown) => isObj(st) && st.Type === "Pass" && st.End === true && Object.keys(st).every((k) => ["Type", "End", "Comment", "Result", "ResultPath", "Parameters", "InputPath", "OutputPath"].includes(k));

  /**
   * Meeting states of the Choices being lifted: a walk that reaches one stops
   * there and leaves the data it arrived with (the condition's step goes on from it).
   */
  let stops: Array<{ states: Obj; name: string; arrived: Flow[]; ends: string[] }> = [];
  /** The step just lifted and the polling loop around it. */
  let looped: { step: Step | undefined; loop: Loop } | undefined;
  /**
   * The states on the way to the one being lifted (a state met again on it is a
   * loop), and how many states were lifted again because branches rejoin there.
   */
  const onPath: string[] = [];
  let copies = 0;
  /** The data each way through the Parallel branch being lifted ends with: the branch's output. */
  let branchEnds: Flow[] | undefined;
  /** Lifting a copy (what follows a rejoin), said once where the copy starts. */
  let copying = false;
  /** The data a Catch that lets the state's failure pass leaves, met with the state's own output before the walk goes on. */
  let passedOver: { caught: Flow; step: string } | undefined;
  /** The data after a state whose failure a Catch let pass: what differs from what the Catch left is unknown (own machines keep $.steps either way). */
  const meetPassed = (flow: Flow): Flow => {
    if (!passedOver) return flow;
    const { caught, step } = passedOver;
    passedOver = undefined;
    return ctx.own ? flow : meetFlows([flow, caught], `it differs by whether '${step}' failed, its failure let pass by a Catch into the state it goes on to`);
  };
  /** Lift the chain from `start`; returns the ids the next state would depend on. */
  const walk = (states: Obj, statesAt: JPath, start: string | undefined, deps: string[], flow: Flow, collect: string[]): string[] => {
    const depth = onPath.length;
    const wasCopying = copying;
    try {
      return walkChain(states, statesAt, start, deps, flow, collect);
    } finally {
      onPath.length = depth;
      copying = wasCopying;
    }
  };
  const walkChain = (states: Obj, statesAt: JPath, start: string | undefined, deps: string[], flow: Flow, collect: string[]): string[] => {
    let name = start;
    while (name !== undefined) {
      const at = [...statesAt, name];
      const stop = stops.find((x) => x.states === states && x.name === name);
      if (stop) {
        stop.arrived.push(flow);
        // The last steps of a branch that goes on to the meeting state: it waits for those that ran.
        for (const d of deps) if (!stop.ends.includes(d)) stop.ends.push(d);
        return deps;
      }
      const raw = states[name];
      if (!isObj(raw)) return refuse(ctx, statesAt, `state '${name}' does not exist`) ?? deps;
      let st: Obj = raw;
      // A plain terminal Pass (where condition branches end) may be shared: it does nothing.
      if (visited.has(name) && terminalPass(st)) {
        branchEnds?.push(flow);
        return deps;
      }
      const key = JSON.stringify(at);
      if (visited.has(name)) {
        // A loop the IR has no form for (polling loops are read at their Task), or branches that rejoin.
        const loop = onPath.includes(key);
        if (loop || copies >= MAX_COPIES) {
          if (!rejoined.has(key)) refuse(ctx, at, loop ? loopRefusal(states, onPath.slice(onPath.indexOf(key))) : `branches rejoin here, and lifting a copy of what follows on each path would take more than ${MAX_COPIES} states`);
          rejoined.add(key);
          return deps;
        }
        // Each path gets its own copy of the state and what follows it: one branch runs, so the run is the same.
        // A Fail state shared by several paths needs no word: a fail step on each is the same end.
        if (!copying && !rejoined.has(key) && raw.Type !== "Fail") warn(ctx, at, "branches rejoin at this state: it and the states after it are lifted once on each path, as steps of their own");
        rejoined.add(key);
        copying = true;
        copies++;
      }
      onPath.push(key);
      visited.add(name);
      let next = typeof st.Next === "string" ? st.Next : undefined;
      // The reset of a repeated step's call counter, in a machine Switchyard wrote (the loop is read at its Task).
      if (ctx.own && st.Type === "Pass" && st.ResultPath === POLLS && isObj(st.Result) && next && Object.keys(st.Result).length === 1 && Object.values(st.Result)[0] === 1 && isObj(states[next]) && (states[next] as Obj).Type === "Task") {
        name = next;
        continue;
      }
      // A JSONata state's Assign and Output (kept aside: jsonata.ts); a Choice's read its input before it branches.
      const kept = ctx.jsonata?.kept.get(key);
      const before = flow;
      let taskResult: Flow | undefined;
      if (kept && st.Type === "Choice") flow = jsonataAfter(kept, name, at, before, undefined) ?? flow;
      switch (st.Type) {
        case "Task": {
          if (ctx.own && st.Resource === ARN.getObject && reportRead(ctx, name, st, at)) break;
          // The id is taken only if the rollout is read as one step (else the Task below takes it).
          const handId = ctx.own || st.Resource !== "arn:aws:states:::sagemaker:createEndpointConfig" ? undefined : idFor(name);
          const hand = handId === undefined ? undefined : handEndpoint(ctx, flow, states, name, st, at, statesAt, deps, handId);
          if (handId !== undefined && !hand?.step) ids.delete(handId);
          if (hand) {
            visited.add(hand.consumed);
            const epState = states[hand.consumed] as Obj;
            // A handler sees the data of a rollout that failed part way, with the error written in.
            const failed: Flow = { base: { kind: "unknown", why: `the result of the endpoint rollout '${name}'` }, fields: flow.fields };
            // Each of the two calls writes its response where its ResultPath says: over the data (the default), into a key, or nowhere.
            for (const [n, x] of [[name, st], [hand.consumed, epState]] as const) {
              // CreateEndpoint answers with the endpoint's ARN alone: the endpoint step's arn.
              const pos = ctx.src.pos([...statesAt, n]);
              const arn: Base | undefined = hand.step && n === hand.consumed ? { kind: "doc", from: n, built: `the response of state '${n}' (CreateEndpoint answers with EndpointArn alone)`, value: { kind: "map", entries: { EndpointArn: { kind: "ref", ref: { scope: "steps", step: hand.step.id, attr: "arn" }, pos } }, pos } } : undefined;
              const written: Base = arn ?? (hand.step ? { kind: "unknown", why: `the response of endpoint rollout state '${n}'` } : { kind: "unknown", why: `the result of refused state '${n}'`, refused: true });
              if (x.ResultPath === null) continue;
              if (x.ResultPath === undefined || x.ResultPath === "$") flow = { base: written, fields: new Map() };
              else if (typeof x.ResultPath === "string" && /^\$\.[A-Za-z_][A-Za-z0-9_-]*$/.test(x.ResultPath)) flow = { base: flow.base, fields: new Map(flow.fields).set(x.ResultPath.slice(2), written) };
              else flow = { base: { kind: "unknown", why: `the data after '${n}' wrote its response at ResultPath '${String(x.ResultPath)}'`, ...(written.kind === "unknown" && written.refused ? { refused: true } : {}) }, fields: new Map() };
            }
            if (!hand.step) {
              if (hand.next === undefined) return deps;
              name = hand.next;
              continue;
            }
            add(hand.step, collect);
            deps = [hand.step.id];
            if (Array.isArray(epState.Catch)) catchTo(hand.step, epState.Catch as Obj[], [...statesAt, hand.consumed, "Catch"], states, statesAt, failed);
            flow = meetPassed(flow);
            if (hand.next === undefined) return deps;
            name = hand.next;
            continue;
          }
          // A wait lowering polls (no .sync form): the call, its Describe loop and its ends, read as the call that waits.
          const polled = ctx.own ? ownPolled(states, name, st) : undefined;
          if (polled) {
            for (const x of polled.consumed) visited.add(x);
            st = polled.state;
            next = typeof st.Next === "string" ? st.Next : undefined;
          }
          const fold = foldPolling(states, name, st);
          if (fold) {
            warn(ctx, at, `the polling loop ${fold.consumed.map((x) => `'${x}'`).join(", ")} is read as one job step that waits for its job (.sync): the ${fold.describe} calls, the poll interval and the loop's own failure states are not kept`);
            for (const x of fold.consumed) visited.add(x);
            st = fold.state;
            next = st.Next as string;
          }
          const ep = ctx.own ? ownEndpoint(ctx, flow, states, name, statesAt, deps) : undefined;
          if (ep) {
            add(ep.step, collect);
            const first = states[ep.states[0]] as Obj;
            const tasks = ep.states.slice(1).map((x) => states[x]).filter((x): x is Obj => isObj(x) && x.Type === "Task");
            if (Array.isArray(first.Catch)) catchTo(ep.step, first.Catch as Obj[], [...statesAt, ep.states[0], "Catch"], states, statesAt, flow, tasks);
            for (const x of ep.states) visited.add(x);
            deps = [ep.step.id];
            flow = meetPassed(flow);
            if (ep.next === undefined) return deps;
            name = ep.next;
            continue;
          }
          // InputPath `$.a.b`: the task's paths read below it (its result still lands in the whole state data).
          let taskFlow = flow;
          let taskState = st;
          const within = typeof st.InputPath === "string" && st.InputPath !== "$" ? segments(st.InputPath) : undefined;
          if (within) {
            taskFlow = { ...flow, within };
            taskState = { ...st };
            delete taskState.InputPath;
          }
          const s = liftTask(ctx, taskFlow, name, idFor(name), taskState, at, deps);
          if (!s) {
            // Refused: keep walking so every refusal is reported at once (a polling loop around it too).
            flow = { base: { kind: "unknown", why: `the result of refused state '${name}'`, refused: true }, fields: flow.fields };
            const loop = findLoop(states, statesAt, name, ctx.own);
            if (loop) looped = { step: undefined, loop };
            break;
          }
          if (polled && s.kind === "aws") {
            s.wait = true;
            // The result kept is the last Describe response's, spelled as the AWS SDK integration spells it.
            const casing = sdkCasing(s.service, waitable(s.service, s.action)!.describe.action);
            if (casing) ctx.resultCasing.set(s.id, casing);
            else ctx.resultCasing.delete(s.id);
            const timeout = polledTimeout(polled.polls);
            if (timeout !== undefined) s.timeout = timeout;
          }
          add(s, collect);
          deps = [s.id];
          taskResult = { base: { kind: "step", id: s.id }, fields: new Map() };
          const loop = findLoop(states, statesAt, name, ctx.own);
          if (loop) looped = { step: s, loop };
          if (Array.isArray(st.Catch)) catchTo(s, st.Catch as Obj[], [...at, "Catch"], states, statesAt, flow);
          if (ctx.own) {
            ownResult(ctx, s, st, at);
            break;
          }
          // A selector with constants beside its paths builds an object known key by key; one of paths only picks from the result.
          const built =
            isObj(st.ResultSelector) && Object.entries(st.ResultSelector).some(([k, v]) => !k.endsWith(".$") || (typeof v === "string" && v.startsWith("States.")))
              ? selectorDoc(ctx, s.id, name, st.ResultSelector, [...at, "ResultSelector"])
              : undefined;
          const sel = isObj(st.ResultSelector) && !built ? selector(ctx, st.ResultSelector, [...at, "ResultSelector"]) : undefined;
          const result: Base = built ?? { kind: "step", id: s.id, ...(sel ? { selector: sel } : {}) };
          const out = typeof st.OutputPath === "string" ? st.OutputPath : "$";
          if (st.ResultPath === null) {
            /* the input passes through */
          } else if (built && (st.ResultPath === undefined || st.ResultPath === "$")) {
            if (out !== "$") refuse(ctx, [...at, "OutputPath"], `OutputPath '${out}' after a ResultSelector with constants has no IR equivalent`);
            flow = { base: built, fields: new Map() };
            break;
          } else if (st.ResultPath === undefined || st.ResultPath === "$") {
            const prefix = out === "$" ? [] : /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(out) ? out.slice(2).split(".") : undefined;
            if (!prefix) refuse(ctx, [...at, "OutputPath"], `OutputPath '${out}' has no IR equivalent`);
            flow = { base: { ...result, ...(prefix?.length ? { prefix } : {}) }, fields: new Map() };
            break;
          } else if (typeof st.ResultPath === "string" && /^\$\.[A-Za-z_][A-Za-z0-9_-]*$/.test(st.ResultPath)) {
            flow = { base: flow.base, fields: new Map(flow.fields).set(st.ResultPath.slice(2), result) };
          } else if (typeof st.ResultPath === "string" && /^\$(\.[A-Za-z_][A-Za-z0-9_-]*){2,}$/.test(st.ResultPath)) {
            // `$.a.b`: the whole result, as one value, written below `$.a`.
            const whole = wholeState(ctx, { base: result, fields: new Map() }, [...at, "ResultPath"], `the result of '${name}' (written at ResultPath '${st.ResultPath}')`);
            const set = whole && writeAt(ctx, flow, st.ResultPath.slice(2).split("."), whole, name, [...at, "ResultPath"]);
            if (set) flow = set;
          } else refuse(ctx, [...at, "ResultPath"], `ResultPath '${String(st.ResultPath)}' has no IR equivalent`);
          if (out !== "$") refuse(ctx, [...at, "OutputPath"], `OutputPath '${out}' after a ResultPath has no IR equivalent`);
          break;
        }
        case "Pass": {
          // A fail step with a failure handler, as lowering writes it: its error handed to the handler where a Catch puts one.
          const handed = ctx.own ? handedFail(st) : undefined;
          if (handed) {
            const step = failStep(handed, name, at, flow, deps, collect);
            const chain = step && handlerChain(step, String(st.Next), ERROR_PATH, states, statesAt, flow);
            if (step && chain) step.on_failure = [{ steps: chain.ids, ...(chain.ends === "succeeded" ? { ends: "succeeded" as const } : {}), pos: src.pos(at) }];
            return deps;
          }
          const next = typeof st.Next === "string" && isObj(states[st.Next]) ? (states[st.Next] as Obj) : undefined;
          const target = next && ctx.own ? (handedFail(next) ?? next) : next;
          // The Pass Switchyard writes before a Fail whose error or cause is computed.
          const prm = isObj(st.Parameters) ? st.Parameters : {};
          const keys = Object.keys(prm);
          const wants = (k: "cause" | "error", path: unknown) => (typeof prm[`${k}.$`] === "string") === (path === `$.fail.${k}`);
          if (target?.Type === "Fail" && st.ResultPath === "$.fail" && keys.length > 0 && keys.every((k) => k === "cause.$" || k === "error.$") && wants("cause", target.CausePath) && wants("error", target.ErrorPath) && Object.keys(st).every((k) => ["Type", "Parameters", "ResultPath", "Next", "Comment"].includes(k))) {
            const read = (k: string) => (typeof prm[k] === "string" ? resolvePath(ctx, flow, prm[k] as string, [...at, "Parameters", k]) : undefined);
            pendingCause = { fail: st.Next as string, value: read("cause.$"), error: read("error.$"), computed: keys };
            break;
          }
          // The list a map in a machine Switchyard wrote runs over, computed by an intrinsic (or written out) just before it.
          const mapNext = typeof st.Next === "string" && isObj(states[st.Next]) ? (states[st.Next] as Obj) : undefined;
          if (ctx.own && mapNext?.Type === "Map" && name === stateName(String(st.Next), ".items") && keys.length === 1 && (keys[0] === "items.$" || keys[0] === "items") && mapNext.ItemsPath === `$.steps${member(String(st.Next))}.items`) {
            const value = keys[0] === "items.$" ? (typeof prm["items.$"] === "string" ? resolvePath(ctx, flow, prm["items.$"], [...at, "Parameters", "items.$"]) : undefined) : liftValue(ctx, flow, prm.items, [...at, "Parameters", "items"]);
            pendingItems = { map: String(st.Next), value };
            break;
          }
          // It calls nothing: what it builds is folded into the state data, and it becomes no step.
          if (!terminalPass(st)) flow = liftPass(ctx, flow, name, st, at);
          break;
        }
        case "Wait": {
          // A plain OutputPath narrows the data passed on (as before a polling loop's call, which reads below it).
          const narrowsTo = !ctx.own && typeof st.OutputPath === "string" && st.OutputPath !== "$" ? segments(st.OutputPath) : undefined;
          for (const k of Object.keys(st)) if (!["Type", "Seconds", "SecondsPath", "Next", "End", "Comment"].includes(k) && !(ctx.own && k === "OutputPath" && (st.OutputPath === "$.steps" || st.OutputPath === null)) && !(k === "OutputPath" && narrowsTo)) refuse(ctx, [...at, k], `field '${k}' of a Wait state has no IR equivalent (only Seconds, SecondsPath and a plain OutputPath)`);
          const seconds: Value | undefined =
            typeof st.Seconds === "number" && Number.isInteger(st.Seconds)
              ? { kind: "literal", value: st.Seconds, type: "integer", pos: src.pos([...at, "Seconds"]) }
              : typeof st.SecondsPath === "string"
                ? resolvePath(ctx, flow, st.SecondsPath, [...at, "SecondsPath"], "integer")
                : undefined;
          if (!seconds) {
            if (st.SecondsPath === undefined && st.Seconds === undefined && st.Timestamp === undefined && st.TimestampPath === undefined) refuse(ctx, at, "a Wait state needs Seconds");
            break;
          }
          const id = idFor(name);
          add({ id, ...(id !== name ? { display_name: name } : {}), depends_on: deps, tags: {}, environment: {}, targets: {}, pos: src.pos(at), kind: "wait", seconds }, collect);
          deps = [id];
          if (narrowsTo) flow = narrowed(ctx, flow, narrowsTo, [...at, "OutputPath"], `the data below OutputPath '${st.OutputPath as string}' of Wait state '${name}'`, name);
          break;
        }
        case "Succeed":
          if (handler) handler.ended.push("succeeds");
          // A Succeed state with paths of its own passes on other data than it was given.
          branchEnds?.push(st.InputPath === undefined && st.OutputPath === undefined ? flow : { base: { kind: "unknown", why: `the output of Succeed state '${name}'` }, fields: new Map() });
          return deps;
        case "Fail": {
          // Lowering's way to end an absorbing handler inside a Parallel branch (caught by the outermost Parallel).
          if (handler && ctx.own && st.Error === ABSORBED) {
            handler.ended.push("succeeds");
            return deps;
          }
          if (handler) handler.ended.push("fails");
          // The error caught, failed again as it was: no fail step (the IR's handler fails with the original error).
          if (handler && handler.resultPath && st.ErrorPath === `${handler.resultPath}.Error` && st.CausePath === `${handler.resultPath}.Cause` && Object.keys(st).length === 3) return [];
          failStep(st, name, at, flow, deps, collect);
          // Nothing runs after a fail step; what follows the Parallel this branch is in waits for what came before it.
          return deps;
        }
        case "Choice": {
          for (const k of Object.keys(st)) if (!["Type", "Choices", "Default", "Comment", "InputPath"].includes(k)) refuse(ctx, [...at, k], `field '${k}' of a Choice state has no IR equivalent`);
          const rules = ((Array.isArray(st.Choices) ? st.Choices : []) as Obj[]).map((r, i) => ({ r, at: [...at, "Choices", i] }));
          if (!rules.length) return refuse(ctx, at, "a Choice without rules") ?? [];
          // InputPath: the rules read below it, and the data below it is what the Choice passes on.
          let read = flow;
          if (st.InputPath !== undefined && st.InputPath !== "$") {
            const within = typeof st.InputPath === "string" ? segments(st.InputPath) : undefined;
            if (!within) return refuse(ctx, [...at, "InputPath"], `InputPath ${JSON.stringify(st.InputPath)} of a Choice state has no IR equivalent: only plain paths ($.a.b, $.a[0]) are read`) ?? [];
            read = { ...flow, within: [...(flow.within ?? []), ...within] };
            flow = narrowed(ctx, flow, within, [...at, "InputPath"], `the data below InputPath '${st.InputPath as string}' of Choice state '${name}'`, name);
          }
          return liftChoice(states, statesAt, name, rules, typeof st.Default === "string" ? st.Default : undefined, false, deps, flow, collect, undefined, read);
        }
        case "Parallel": {
          const branches = (Array.isArray(st.Branches) ? st.Branches : []) as Obj[];
          const idLike = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name);
          const pname = name;
          // A copy's branch holds the copy, and before it the Pass that computes what its values read below a function (`<copy>.values`).
          const valuesOf = (b: Obj, i: number): Obj | undefined => {
            const pass = isObj(b.States) ? b.States[stateName(copyName(pname, i), ".values")] : undefined;
            return isObj(pass) && pass.Type === "Pass" && pass.ResultPath === VALUES_PATH && pass.Next === copyName(pname, i) && b.StartAt === stateName(copyName(pname, i), ".values") ? pass : undefined;
          };
          const copyOf = (b: Obj, i: number) =>
            isObj(b.States) && (b.StartAt === copyName(pname, i) || valuesOf(b, i)) && Object.keys(b.States).length === (valuesOf(b, i) ? 2 : 1) && isObj(b.States[copyName(pname, i)]) ? (b.States[copyName(pname, i)] as Obj) : undefined;
          // Own machines gather step results back (gather.ts), keep a foreach step's copies as a list under its id, or (copies without a result) discard them.
          const gathers = ctx.own && ((st.ResultPath === undefined && isGatherSelector(st.ResultSelector, branches.length)) || (idLike && st.ResultSelector === undefined && (st.ResultPath === `$.steps${member(name)}` || (st.ResultPath === null && branches.every((b, i) => copyOf(b, i)?.ResultPath === null)))));
          for (const k of Object.keys(st)) {
            if (gathers && (k === "ResultSelector" || k === "Catch" || (k === "OutputPath" && st.OutputPath === "$.steps"))) continue;
            if (!["Type", "Branches", "Next", "End", "Comment", "ResultPath", "Catch", "ResultSelector"].includes(k)) refuse(ctx, [...at, k], `field '${k}' of a Parallel state has no IR equivalent`);
          }
          // A foreach step whose copies keep no result (Glue, EMR) leaves the state as it was (earlier versions gathered it like any Parallel).
          const resultless = (st.ResultPath === undefined || st.ResultPath === null) && branches.every((b, i) => copyOf(b, i)?.ResultPath === null);
          if (gathers && idLike && (st.ResultPath === `$.steps${member(name)}` || resultless) && branches.length && branches.every((b, i) => copyOf(b, i)?.Type === "Task")) {
            // A foreach step: one branch per item, each a copy of the same step.
            const copies: Step[] = [];
            branches.forEach((b, i) => {
              ctx.copyIndex = i;
              const cAt = [...at, "Branches", i, "States", copyName(pname, i)];
              const values = valuesOf(b, i);
              const copyFlow = values ? liftPass(ctx, flow, stateName(copyName(pname, i), ".values"), values, [...at, "Branches", i, "States", stateName(copyName(pname, i), ".values")]) : flow;
              const c = liftTask(ctx, copyFlow, pname, pname, copyOf(b, i)!, cAt, deps);
              if (c) {
                ownResult(ctx, c, copyOf(b, i)!, cAt);
                copies.push(c);
              }
              ctx.copyIndex = undefined;
            });
            const merged = copies.length === branches.length ? mergeCopies(ctx, copies, at) : undefined;
            if (merged) {
              add(merged, collect);
              deps = [merged.id];
              if (Array.isArray(st.Catch)) catchTo(merged, st.Catch as Obj[], [...at, "Catch"], states, statesAt, flow);
            }
            for (const [i] of branches.entries()) visited.add(copyName(pname, i));
            break;
          }
          const tails: string[] = [];
          const liftedBefore = new Set(ctx.steps.keys());
          const entryFlow = flow;
          // What each branch ends with, where every way through it ends with the same data.
          const outputs: Array<Flow | undefined> = [];
          const outerEnds = branchEnds;
          for (const [i, b] of branches.entries()) {
            if (!isObj(b) || !isObj(b.States)) continue;
            branchEnds = [];
            try {
              tails.push(...walk(b.States, [...at, "Branches", i, "States"], b.StartAt as string, deps, flow, collect));
              outputs[i] = branchEnds.length && branchEnds.every((f) => dataKey(f) === dataKey(branchEnds![0])) ? branchEnds[0] : undefined;
            } finally {
              branchEnds = outerEnds;
            }
            // The IR runs what follows once the steps it waits for are done; here it never runs.
            if (!ctx.own && next !== undefined && !Array.isArray(st.Catch) && typeof b.StartAt === "string" && !joins(b.States).goesOn(b.StartAt)) {
              warn(ctx, [...at, "Branches", i], `every path of this branch ends at a Fail state, so the Parallel always fails and '${next}' never runs; the lifted steps after it run once the steps they wait for are done, while the failure ends the execution`);
            }
          }
          deps = [...new Set(tails)];
          // Our own gathering Parallels catch for the steps inside where every one has the same handler (lower.ts emitShape).
          const ownCatch = gathers && Array.isArray(st.Catch) && (st.Catch as unknown[]).some((c) => isObj(c) && !isDeepStrictEqual(c.ErrorEquals, [ABSORBED]));
          if (Array.isArray(st.Catch) && (!gathers || ownCatch)) parallelCatch(st, name, [...ctx.steps.keys()].filter((id) => !liftedBefore.has(id)), at, states, statesAt, entryFlow);
          if (st.ResultPath !== null && !gathers) {
            const built = st.ResultSelector === undefined ? undefined : parallelSelector(ctx, name, st.ResultSelector, outputs, [...at, "ResultSelector"]);
            // Without a selector, the output is the list of what each branch ended with, read item by item.
            const result: Base = built ?? (st.ResultSelector === undefined ? { kind: "branches", state: name, flows: branches.map((_, i) => outputs[i]) } : { kind: "unknown", why: `the output of Parallel state '${name}'`, refused: true });
            if (st.ResultPath === undefined || st.ResultPath === "$") flow = { base: result, fields: new Map() };
            else if (typeof st.ResultPath === "string" && /^\$\.[A-Za-z_][A-Za-z0-9_-]*$/.test(st.ResultPath)) flow = { base: flow.base, fields: new Map(flow.fields).set(st.ResultPath.slice(2), result) };
            else flow = { base: { kind: "unknown", why: `the data after Parallel state '${name}', its output written at ${JSON.stringify(st.ResultPath)}` }, fields: new Map() };
          }
          break;
        }
        case "Map": {
          // A Map that runs no step, and all that follows it, only shaping the output (which is not kept): not lifted, said.
          const tail = states === def.States && !handler && !branchEnds ? outputOnlyTail(states, name) : undefined;
          if (tail) {
            for (const x of tail) visited.add(x);
            const items = typeof st.ItemsPath === "string" ? st.ItemsPath : "$";
            warn(ctx, at, `states ${tail.map((x) => `'${x}'`).join(", ")} make no call and end the execution well on every way through: they only shape its output, which the lifted pipeline does not keep, so they are not lifted (where ${JSON.stringify(items)} is not a list, or a path they read is missing, the original fails with States.Runtime there and the lifted machine does not)`);
            return deps;
          }
          const m = liftMap(states, statesAt, name, st, deps, flow, collect);
          if (m) {
            deps = [m.step.id];
            flow = mapOutput(m.flow, st, at, name);
          } else flow = { base: { kind: "unknown", why: `the result of refused Map state '${name}'`, refused: true }, fields: flow.fields };
          break;
        }
        default:
          refuse(ctx, at, `a ${String(st.Type)} state has no IR equivalent`);
          break;
      }
      // (A Map's or a Parallel's result, the list of what its iterations or branches ended with, is its output so far.)
      // The last state's Output is the execution's, which the lifted pipeline does not keep (said once for the machine).
      const last = states === def.States && (st.Type === "Succeed" || st.End === true);
      const keptHere = kept && last ? { ...kept, output: undefined } : kept;
      if (keptHere && st.Type !== "Choice") flow = jsonataAfter(keptHere, name, at, before, st.Type === "Task" ? (taskResult ?? null) : st.Type === "Map" || st.Type === "Parallel" ? flow : undefined) ?? flow;
      flow = meetPassed(flow);
      if (looped) {
        const { step: ls, loop } = looped;
        looped = undefined;
        return repeatStep(states, statesAt, name, st, ls, loop, deps, flow, collect);
      }
      if (st.End === true) {
        if (handler && st.Type !== "Fail") handler.ended.push("succeeds");
        if (st.Type !== "Fail") branchEnds?.push(flow);
        return deps;
      }
      name = next;
    }
    return deps;
  };

  /**
   * A JSONata state's Output (the data it passes on) and Assign (its variables), read from its input and, for
   * a Task, its result (`null`: the Task was refused); the Output is read first, with the variables as they
   * were. Undefined when the state keeps its JSONPath output.
   */
  function jsonataAfter(kept: Kept, name: string, at: JPath, input: Flow, result: Flow | null | undefined): Flow | undefined {
    const j = ctx.jsonata!;
    if (result === null) {
      if (kept.assign) refusedAssign(j, at, kept.assign);
      return kept.output === undefined ? undefined : { base: { kind: "unknown", why: `the Output of refused state '${name}'`, refused: true }, fields: new Map() };
    }
    j.result = result;
    try {
      let out: Flow | undefined;
      // The input with members set (JSONata's form of a ResultPath), else a value built whole.
      const merged = kept.output === undefined ? undefined : mergedOutput(ctx, input, kept.output, [...at, "Output"]);
      if (merged) out = merged;
      else if (kept.output !== undefined) {
        const v = liftNode(ctx, input, kept.output, [...at, "Output"]);
        out = { base: v ? { kind: "doc", value: v, from: name, built: `the Output of state '${name}'` } : { kind: "unknown", why: `the Output of state '${name}'`, refused: true }, fields: new Map() };
      }
      if (kept.assign) assign(ctx, name, kept.assign, input, [...at, "Assign"]);
      return out;
    } finally {
      j.result = undefined;
    }
  }

  /**
   * The states from `start` on, when none of them makes a call, waits, or can end the execution other than
   * well (no Task, Wait or Fail; a Choice with a Default; Map and Parallel states with only such states inside
   * and no reader or writer; no loop): the execution's output is all they make. Undefined otherwise.
   */
  function outputOnlyTail(states: Obj, start: string): string[] | undefined {
    const done = new Set<string>();
    const onStack = new Set<string>();
    const order: string[] = [];
    // The states inside a Map or a Parallel branch, from where they start, are held to the same rule.
    const within = (scope: unknown) => isObj(scope) && isObj(scope.States) && typeof scope.StartAt === "string" && outputOnlyTail(scope.States, scope.StartAt) !== undefined;
    const inner = (s: Obj): boolean => {
      if (s.Type === "Pass" || s.Type === "Succeed") return true;
      if (s.Type === "Choice") return typeof s.Default === "string";
      if (s.Type === "Map") return s.ItemReader === undefined && s.ResultWriter === undefined && within(s.ItemProcessor ?? s.Iterator);
      if (s.Type === "Parallel") return Array.isArray(s.Branches) && s.Branches.every(within);
      return false;
    };
    const visit = (n: string): boolean => {
      if (onStack.has(n)) return false;
      if (done.has(n)) return true;
      const s = states[n];
      if (!isObj(s) || !inner(s) || Array.isArray(s.Catch)) return false;
      onStack.add(n);
      order.push(n);
      const nexts = [s.Next, ...(Array.isArray(s.Choices) ? s.Choices.map((c) => (isObj(c) ? c.Next : undefined)) : []), s.Default].filter((x): x is string => typeof x === "string");
      const ok = nexts.every(visit);
      onStack.delete(n);
      done.add(n);
      return ok;
    };
    return visit(start) ? order : undefined;
  }

  /**
   * A Map state as a map step: the list from ItemsPath, each iteration's
   * input from ItemSelector (or Parameters) with `$$.Map.Item.Value` as the
   * item, or the item itself; its states lifted as the map's steps. Returns
   * the step and the data after it (its results are not kept).
   */
  function liftMap(states: Obj, statesAt: JPath, name: string, st: Obj, deps: string[], flow: Flow, collect: string[]): { step: Step; flow: Flow } | undefined {
    const at = [...statesAt, name];
    let ok = true;
    const known = ["Type", "ItemsPath", "ItemSelector", "Parameters", "ItemProcessor", "Iterator", "MaxConcurrency", "ResultPath", "Next", "End", "Comment", "Catch", "InputPath", ...DISTRIBUTED_FIELDS];
    // Own machines keep a map's results under the step (lower.ts emitMap).
    const ownResults = ctx.own && isDeepStrictEqual(st.ResultSelector, RESULTS_SELECTOR) && st.ResultPath === keptResults(name).ResultPath;
    for (const k of Object.keys(st)) {
      if (k === "ResultSelector" && ownResults) continue;
      // Own machines end a Parallel branch handing back only the step results.
      if (known.includes(k) || (ctx.own && k === "OutputPath" && st.OutputPath === "$.steps")) continue;
      // Passed on as what it keeps (mapOutput): nothing, or the data below a plain path.
      if (!ctx.own && k === "OutputPath" && (st.OutputPath === null || (typeof st.OutputPath === "string" && segments(st.OutputPath)))) continue;
      const why =
        k === "OutputPath"
          ? " (only null or a plain path, $.a.b, is read: the data after the Map is then nothing, or one value below it)"
          : k.endsWith("Path")
            ? " (a setting read from the data at run time; the IR's is written out)"
            : "";
      ok = !!refuse(ctx, [...at, k], `field '${k}' of a Map state has no IR equivalent${why}`);
    }
    // InputPath: the list, the selector and the reader read below it; the results still go into the whole input.
    let mapIn = flow;
    if (st.InputPath !== undefined && st.InputPath !== "$") {
      const within = typeof st.InputPath === "string" ? segments(st.InputPath) : undefined;
      if (!within) refuse(ctx, [...at, "InputPath"], `InputPath ${JSON.stringify(st.InputPath)} of a Map state has no IR equivalent: only plain paths ($.a.b, $.a[0]) are read`);
      else mapIn = { ...flow, within: [...(flow.within ?? []), ...within] };
    }
    const input = mapIn !== flow || st.InputPath === undefined || st.InputPath === "$";
    ok &&= input;
    // The map's own fields (its list, reader, writer) are read where it runs, in an outer map's iteration if any, where `item` is
    // that map's; what its iterations are handed is read inside them, where `item` is this map's and the outer one is steps.<outer>.item.
    const outerMap = ctx.mapIds.at(-1);
    const handed = outerMap ? outerItems(mapIn, outerMap) : mapIn;
    const procKey = isObj(st.ItemProcessor) ? "ItemProcessor" : "Iterator";
    const proc = (isObj(st[procKey]) ? st[procKey] : undefined) as Obj | undefined;
    if (!proc || !isObj(proc.States) || typeof proc.StartAt !== "string") return refuse(ctx, at, "a Map state needs ItemProcessor (StartAt and States)");
    const source = liftMapSource(ctx, mapIn, st, proc, procKey, at);
    ok &&= source.ok;
    for (const k of Object.keys(proc)) if (!["StartAt", "States", "ProcessorConfig", "Comment"].includes(k)) ok = !!refuse(ctx, [...at, procKey, k], `field '${k}' of a Map's ItemProcessor has no IR equivalent`);
    const conc = st.MaxConcurrency;
    if (conc !== undefined && !(typeof conc === "number" && Number.isInteger(conc) && conc >= 0)) ok = !!refuse(ctx, [...at, "MaxConcurrency"], "MaxConcurrency must be a whole number");
    const itemsPath = typeof st.ItemsPath === "string" ? st.ItemsPath : "$";
    // Without ItemsPath the items are the state's input (read below InputPath, which was refused if set).
    const computed = pendingItems?.map === name ? pendingItems : undefined;
    pendingItems = undefined;
    // A list from the run's input stays a path into it: parameters hold scalars.
    // A list from a call's result is its response there: a declared output is a scalar.
    const presence = ctx.presence;
    ctx.presence = true;
    const items = source.read ? undefined : computed ? computed.value : input ? resolvePath(ctx, { ...mapIn, raw: true }, itemsPath, [...at, st.ItemsPath === undefined ? "Type" : "ItemsPath"]) : undefined;
    ctx.presence = presence;
    // Each iteration's input: the selector's fields, the item among them; or the item itself.
    const selKey = st.ItemSelector !== undefined ? "ItemSelector" : st.Parameters !== undefined ? "Parameters" : undefined;
    let iter: Flow;
    const savedItem = ctx.mapItem;
    ctx.mapItem = true;
    const itemRef: Value = { kind: "ref", ref: { scope: "item", path: [] }, pos: ctx.src.pos(at) };
    // Beside an ItemBatcher, the selector reshapes each item (`$$.Map.Item.Value`) before it is batched: the batch's `each`.
    if (source.batch && selKey) {
      const each = isObj(st[selKey]) ? liftValue(ctx, handed, st[selKey], [...at, selKey]) : undefined;
      if (each?.kind === "map") source.batch.each = each;
      else if (each || !isObj(st[selKey])) ok = !!refuse(ctx, [...at, selKey], `${selKey} of a batched Map state must be an object`);
      else ok = false;
    }
    if (ctx.own && (selKey || source.batch)) iter = { base: { kind: "own" }, fields: new Map() };
    else if (source.batch) {
      // Each child is handed its batch as Items, beside what BatchInput holds.
      const batchInput = source.batchInput && outerMap ? itemOf(source.batchInput, outerMap) : source.batchInput;
      iter = { base: { kind: "doc", value: { kind: "map", entries: { ...(batchInput ? { BatchInput: batchInput } : {}), Items: itemRef }, pos: itemRef.pos }, from: name }, fields: new Map() };
    } else if (selKey) {
      const sel = isObj(st[selKey]) ? liftValue(ctx, handed, st[selKey], [...at, selKey]) : refuse(ctx, [...at, selKey], `${selKey} of a Map state must be an object`);
      iter = sel ? { base: { kind: "doc", value: sel, from: name }, fields: new Map() } : { base: { kind: "unknown", why: `the ${selKey} of Map state '${name}'`, refused: true }, fields: new Map() };
    } else iter = { base: { kind: "doc", value: itemRef, from: name }, fields: new Map() };
    const id = idFor(name);
    const step: Step = {
      ...common(id, name, ctx.src.pos(at), deps),
      kind: "map",
      ...(source.read ? { read: source.read } : { items: items ?? { kind: "literal", value: null, type: "string", pos: ctx.src.pos(at) } }),
      ...(source.batch ? { batch: source.batch } : {}),
      ...(source.tolerate ? { tolerate: source.tolerate } : {}),
      ...(source.distributed ? { distributed: source.distributed } : {}),
      ...(source.resultsTo ? { results_to: source.resultsTo } : {}),
      steps: [],
      ...(typeof conc === "number" && conc > 0 ? { concurrency: conc } : {}),
    };
    add(step, collect);
    // The map's steps follow it in source order: they run inside it.
    const members: string[] = [];
    // Lowering makes generated names unique per item; read back, they are the names it generates.
    // Our maps read an iteration's id as an inline iteration's or a child execution's name: marked before the children's reads of
    // the run's fields, handed to them, are read back as the context paths they stand for.
    const marked = ctx.own ? swapInPaths(proc.States as States, ITERATION_RUN_INLINE, ITERATION_RUN_MARK) : (proc.States as States);
    const ownStates = ctx.own && source.children ? (contextFromRun(swapInPaths(marked, ITERATION_RUN_CHILD, ITERATION_RUN_MARK)) as Obj) : (marked as Obj);
    const inner = ctx.own ? perIteration(ownStates, true) : (proc.States as Obj);
    // Our batched maps start each child with a Pass laying out the batch as an iteration's data.
    const batchPass = ctx.own && source.batch ? stateName(name, ".batch") : undefined;
    const innerStart = batchPass && isObj(inner[batchPass]) && typeof (inner[batchPass] as Obj).Next === "string" && proc.StartAt === batchPass ? ((inner[batchPass] as Obj).Next as string) : proc.StartAt;
    if (batchPass && innerStart === proc.StartAt) ok = !!refuse(ctx, [...at, procKey, "StartAt"], `a batched Map of a machine Switchyard wrote starts at its '${batchPass}' Pass`);
    const savedChild = ctx.childExecution;
    if (source.children && !ctx.own) ctx.childExecution = name;
    const before = ctx.diags.filter((d) => d.severity === "error").length + ctx.quietFails;
    // An iteration's end is the map's, not that of a Parallel branch the map is in.
    const outerEnds = branchEnds;
    branchEnds = undefined;
    ctx.mapIds.push(id);
    try {
      walk(inner, [...at, procKey, "States"], innerStart, [], iter, members);
    } finally {
      branchEnds = outerEnds;
      ctx.childExecution = savedChild;
      ctx.mapIds.pop();
    }
    const refusedInside = ctx.diags.filter((d) => d.severity === "error").length + ctx.quietFails > before;
    ctx.mapItem = savedItem;
    (step as Step & { kind: "map" }).steps = members;
    if (!members.length && !refusedInside) ok = !!refuse(ctx, at, "its iterations run no step (only Pass, Choice, Succeed or Fail states), and a map step runs at least one");
    // A refused Map's Catch is read all the same, so that what it cannot hold is said with the rest.
    if (Array.isArray(st.Catch)) catchTo(step, st.Catch as Obj[], [...at, "Catch"], states, statesAt, flow);
    if ((!items && !source.read) || !ok || !members.length) return undefined;
    if (ownResults) {
      const result = iterationResult(inner, [...at, procKey, "States"], proc.StartAt, members);
      if (result) (step as Step & { kind: "map" }).result = result;
      return { step, flow };
    }
    // What the iterations return is the map's results where each ends with a value the IR can name; else a later read is refused where it happens.
    // Written to S3, it is read there: it must have a name.
    const result = st.ResultPath === null && !source.resultsTo ? undefined : iterationResult(inner, [...at, procKey, "States"], proc.StartAt, members);
    if (result) (step as Step & { kind: "map" }).result = result;
    if (source.resultsTo && !result) return refuse(ctx, [...at, "ResultWriter"], `what the iterations of Map state '${name}' end with, which its ResultWriter writes to S3, is data the IR cannot name (it keeps what a map's last step returned)`);
    if (source.resultsTo) {
      // The Map's output is then where the results were written (ResultWriterDetails), which the IR does not name.
      const where: Base = { kind: "unknown", why: `where Map state '${name}' wrote its results (its ResultWriterDetails)` };
      const written: Flow = st.ResultPath === null ? flow : typeof st.ResultPath === "string" && /^\$\.[A-Za-z_][A-Za-z0-9_-]*$/.test(st.ResultPath) ? { ...flow, fields: new Map(flow.fields).set(st.ResultPath.slice(2), where) } : { base: where, fields: new Map() };
      return { step, flow: written };
    }
    const results: Base = result
      ? { kind: "doc", value: { kind: "ref", ref: { scope: "steps", step: id, attr: "results", path: [] }, pos: ctx.src.pos(at) }, from: name, built: `the results of Map state '${name}'` }
      : { kind: "unknown", why: `the results of Map state '${name}', whose iterations end with data the IR cannot name (it keeps what a map's last step returned)` };
    const after: Flow =
      st.ResultPath === null
        ? flow
        : typeof st.ResultPath === "string" && /^\$\.[A-Za-z_][A-Za-z0-9_-]*$/.test(st.ResultPath)
          ? { ...flow, fields: new Map(flow.fields).set(st.ResultPath.slice(2), results) }
          : st.ResultPath === undefined || st.ResultPath === "$"
            ? { base: results, fields: new Map() }
            : { base: { kind: "unknown", why: `the data after Map state '${name}', its results written at ${JSON.stringify(st.ResultPath)}` }, fields: new Map() };
    return { step, flow: after };
  }

  /**
   * The data a Map state passes on, after its OutputPath: `null` passes on nothing (an empty object, which a
   * later read finds empty), a plain path the one value below it; none, or `$`, the data as it is.
   */
  function mapOutput(after: Flow, st: Obj, at: JPath, name: string): Flow {
    if (ctx.own || st.OutputPath === undefined || st.OutputPath === "$") return after;
    if (st.OutputPath === null) {
      return { base: { kind: "doc", value: { kind: "map", entries: {}, pos: ctx.src.pos([...at, "OutputPath"]) }, from: name, built: `the data after Map state '${name}' (OutputPath null passes on nothing)` }, fields: new Map() };
    }
    const segs = typeof st.OutputPath === "string" ? segments(st.OutputPath) : undefined;
    return segs ? narrowed(ctx, after, segs, [...at, "OutputPath"], `the data below OutputPath '${st.OutputPath as string}' of Map state '${name}'`, name) : after;
  }

  /** Item references in a value read as the enclosing map `outer`'s item. */
  function itemOf(v: Value, outer: string): Value {
    return mapRefs(v, (r) => (r.ref.scope === "item" ? { ...r, ref: { scope: "steps", step: outer, attr: "item", path: r.ref.path } } : r));
  }

  /** The data of an outer map's iteration as an inner map reads it: its item references are the outer map's item. */
  function outerItems(f: Flow, outer: string): Flow {
    const base = (b: Base): Base => (b.kind === "doc" ? { ...b, value: itemOf(b.value, outer) } : b.kind === "branches" ? { ...b, flows: b.flows.map((x) => x && outerItems(x, outer)) } : b);
    return { ...f, base: base(f.base), fields: new Map([...f.fields].map(([k, b]) => [k, base(b)])) };
  }

  /**
   * What each iteration of a Map gives back, as the map's `result`: the
   * response of the step its one chain of states ends at (a Task whose
   * result is its output), or, in our own machines, the value of the Pass
   * lowering ends it with. Undefined where the IR cannot name it.
   */
  function iterationResult(inner: Obj, innerAt: JPath, start: string, members: string[]): Value | undefined {
    // Read as inside the map: the item is there.
    const saved = ctx.mapItem;
    ctx.mapItem = true;
    try {
      return endOf(inner, innerAt, start, members);
    } finally {
      ctx.mapItem = saved;
    }
  }

  function endOf(inner: Obj, innerAt: JPath, start: string, members: string[]): Value | undefined {
    let name = start;
    for (let n = 0; n <= Object.keys(inner).length; n++) {
      const st = inner[name];
      if (!isObj(st)) return undefined;
      if (st.Type === "Choice" || st.Type === "Parallel" || st.Type === "Map" || st.Type === "Fail" || st.Type === "Succeed" || Array.isArray(st.Catch)) return undefined;
      if (st.End !== true) {
        if (typeof st.Next !== "string") return undefined;
        name = st.Next;
        continue;
      }
      if (ctx.own && isResultPass(st)) {
        const m = liftValue(ctx, { base: { kind: "own" }, fields: new Map() }, st.Parameters, [...innerAt, name, "Parameters"]);
        return m?.kind === "map" ? m.entries[RESULT_KEY] : undefined;
      }
      if (st.Type !== "Task" || (st.ResultPath !== undefined && st.ResultPath !== "$")) return undefined;
      const id = members.find((m) => (ctx.steps.get(m)?.display_name ?? m) === name || m === name);
      const s = id ? ctx.steps.get(id) : undefined;
      if (!s || !KINDS[s.kind].attrs.includes("response")) return undefined;
      // A ResultSelector of plain paths: each iteration gives back the object it picks from the step's result.
      if (st.ResultSelector !== undefined) {
        const sel = st.ResultSelector;
        if ((st.OutputPath !== undefined && st.OutputPath !== "$") || !isObj(sel)) return undefined;
        const entries: Record<string, Value> = {};
        for (const [k, v] of Object.entries(sel)) {
          if (!k.endsWith(".$") || typeof v !== "string" || !v.startsWith("$") || segments(v) === undefined) return undefined;
          const read = quietly(ctx, () => resolvePath(ctx, { base: { kind: "step", id: s.id }, fields: new Map() }, v, [...innerAt, name, "ResultSelector", k]));
          if (!read) return undefined;
          entries[k.slice(0, -2)] = read;
        }
        return { kind: "map", entries, pos: ctx.src.pos([...innerAt, name, "ResultSelector"]) };
      }
      // lambda:invoke wraps what the function returned in Payload: the output is that only below it.
      const wrapped = ctx.lambdaWrapped.has(s.id);
      if (wrapped ? st.OutputPath !== "$.Payload" : st.OutputPath !== undefined && st.OutputPath !== "$") return undefined;
      return { kind: "ref", ref: { scope: "steps", step: s.id, attr: "response", path: [] }, pos: ctx.src.pos([...innerAt, name]) };
    }
    return undefined;
  }

  /**
   * The Task's polling loop as the step's `repeat`; the rules that lead out
   * stay a Choice after the step. Returns what the next state depends on.
   */
  function repeatStep(states: Obj, statesAt: JPath, name: string, st: Obj, s: Step | undefined, loop: Loop, deps: string[], flow: Flow, collect: string[]): string[] {
    const at = [...statesAt, name];
    const choiceAt = [...statesAt, loop.choices[0]];
    for (const x of [...loop.choices, loop.wait, loop.count, loop.counter, loop.rebuild, loop.tally?.pass]) if (x) visited.add(x);
    // The Fail the count ends in, where nothing else leads.
    if (loop.tally && (incomingCounts(states).get(loop.tally.fail) ?? 0) === 1) visited.add(loop.tally.fail);
    // The Choices are on the way to what follows them (a loop back through them names them).
    for (const c of loop.choices) onPath.push(JSON.stringify([...statesAt, c]));
    if (s) (ctx.responseOnly ??= new Set()).add(s.id);
    const lifted = loop.rules.map((x) => liftRule(ctx, flow, x.r, x.at));
    const exits = loop.rules.filter((x) => !x.loops);
    const exitConds = lifted.filter((_, i) => !loop.rules[i].loops);
    if (!exits.length && loop.exit === undefined && !loop.noDefault) return refuse(ctx, choiceAt, `a polling loop with no way out: every rule and the Default lead back through Wait '${loop.wait}'`) ?? [];
    // Every problem at once: a refused loop still has its ways out lifted.
    if (!s) {
      /* the Task was refused: its loop's ways out are still lifted, for their own problems */
    } else if (s.kind !== "aws" && s.kind !== "lambda") refuse(ctx, choiceAt, `a polling loop (through Wait '${loop.wait}' back to '${name}') around a ${s.kind} step: only aws calls and lambda steps repeat in the IR`);
    else if (!ctx.own && st.TimeoutSeconds !== undefined) refuse(ctx, [...at, "TimeoutSeconds"], "TimeoutSeconds of a polled call bounds each call; the timeout of a repeated IR step bounds all its calls together");
    else if (loop.tallyWhy) refuse(ctx, choiceAt, `a polling loop (through Wait '${loop.wait}' back to '${name}') that counts its calls: ${loop.tallyWhy}`);
    else if (lifted.every((x) => x)) {
      const interval = loopInterval(states, statesAt, name, s, loop, flow);
      if (interval === undefined) return liftChoice(states, statesAt, loop.choices[0], exits, loop.exit, loop.exit === undefined && !loop.noDefault, deps, flow, collect, exitConds);
      s.repeat = { until: untilValue(loop, lifted as Value[], ctx.src.pos(choiceAt)), interval, pos: ctx.src.pos(choiceAt) };
      const limit = loop.limit ?? (loop.tally ? tallyLimit(states, statesAt, loop.tally, flow) : undefined);
      if (limit) {
        // max_calls, with the error and message the machine fails with (left out where they are the defaults).
        s.repeat.max_calls = limit.calls;
        if (limit.error !== REPEAT_LIMIT_ERROR) s.repeat.error = limit.error;
        if (limit.message !== undefined && limit.message !== repeatEnd(s, undefined, undefined)?.message) s.repeat.message = limit.message;
      }
      // (A count that cannot be read is refused in tallyLimit: the loop is lifted no further.)
      if (loop.tally && !limit) return liftChoice(states, statesAt, loop.choices[0], exits, loop.exit, loop.exit === undefined && !loop.noDefault, deps, flow, collect, exitConds);
      // Later calls read the data the call left, or what the Pass on the way back built from it.
      const rebuilt = loop.rebuild ?? loop.tally?.pass;
      // What a counting Pass builds besides the count (which the lifted step keeps no more).
      const rebuiltState = (n: string): Obj => {
        const p = states[n] as Obj;
        if (n !== loop.tally?.pass) return p;
        const key = `${loop.tally.path.slice(2)}.$`;
        return { ...p, Parameters: Object.fromEntries(Object.entries(p.Parameters as Obj).filter(([k]) => k !== key)) };
      };
      // A Wait's OutputPath on the way back: the next call reads below that path of the result.
      const narrowed: Flow = loop.waitOutput !== undefined ? { ...flow, within: [...(flow.within ?? []), ...(segments(loop.waitOutput) ?? [])] } : flow;
      laterCalls(s, st, name, at, rebuilt ? quietly(ctx, () => liftPass(ctx, flow, rebuilt, rebuiltState(rebuilt), [...statesAt, rebuilt])) : narrowed);
    }
    // After a loop that counts its calls in the data, the count is the calls made, which the IR does not keep:
    // a state that reads it is refused, saying so.
    const after: Flow = loop.tally ? { ...flow, fields: new Map(flow.fields).set(loop.tally.path.slice(2), { kind: "unknown", why: `the count of calls the loop around '${name}' keeps: the lifted step's max_calls bounds the calls, and nothing holds how many were made` }) } : flow;
    // Without a Default, no rule matching fails the run after the loop as before it (the Choice's no-match Fail).
    return liftChoice(states, statesAt, loop.choices[0], exits, loop.exit, loop.exit === undefined && !loop.noDefault, deps, after, collect, exitConds, flow);
  }

  /**
   * The bound a count of calls in the state data sets: the count starts at the number the data holds at the
   * first call (a Pass before the loop set it), grows by the counting Pass's step on the way back, and is
   * compared after each call; the Fail it leads to gives the error and message. Undefined, refused, when
   * the start is not a number written in the machine or the bound is never reached.
   */
  function tallyLimit(states: Obj, statesAt: JPath, t: Tally, flow: Flow): { calls: number; error: string; message?: string } | undefined {
    const ruleAt = [...t.rule.at, "Variable"];
    const start = quietly(ctx, () => resolvePath(ctx, flow, t.path, ruleAt, "float"));
    if (start?.kind !== "literal" || typeof start.value !== "number") {
      return refuse(ctx, ruleAt, `the count of calls in '${t.path}' does not start from a number set before the loop (a Pass state's Result or Parameters), so how many calls the loop makes is not known`);
    }
    const holds = (n: number) => ({ NumericEquals: n === t.bound, NumericLessThan: n < t.bound, NumericGreaterThan: n > t.bound, NumericLessThanEquals: n <= t.bound, NumericGreaterThanEquals: n >= t.bound })[t.op as "NumericEquals"];
    let calls: number | undefined;
    for (let k = 1, n = start.value; k <= MAX_COUNTED_CALLS; k++, n += t.step) {
      if (holds(n) === (t.mode === "fails-when")) {
        calls = k;
        break;
      }
    }
    if (calls === undefined) return refuse(ctx, ruleAt, `the count of calls in '${t.path}' (from ${start.value}, ${t.step} a call) never ${t.mode === "fails-when" ? "meets" : "leaves"} ${t.op} ${t.bound} within ${MAX_COUNTED_CALLS} calls`);
    const fail = states[t.fail] as Obj;
    const failAt = [...statesAt, t.fail];
    if (fail.ErrorPath !== undefined || fail.CausePath !== undefined) return refuse(ctx, failAt, `the Fail state '${t.fail}' the count leads to takes its ${fail.ErrorPath !== undefined ? "error" : "cause"} from the data; a repeated step's error and message are written out`);
    if (typeof fail.Error !== "string") warn(ctx, failAt, `the Fail state '${t.fail}' the count leads to names no error; the lifted step fails with ${REPEAT_LIMIT_ERROR} after ${calls} calls`);
    return { calls, error: typeof fail.Error === "string" ? fail.Error : REPEAT_LIMIT_ERROR, ...(typeof fail.Cause === "string" ? { message: fail.Cause } : {}) };
  }

  /**
   * The loop's interval: the Wait's seconds, or what its SecondsPath reads, where the Wait reads it (after the
   * call wrote its result, and the Pass before the Wait, if any, built the data). Seconds the call itself gives
   * (its result) may differ at each wait, where a repeated step's interval is read before the calls: refused.
   */
  function loopInterval(states: Obj, statesAt: JPath, name: string, s: Step, loop: Loop, flow: Flow): number | Value | undefined {
    if (typeof loop.interval === "number") return loop.interval;
    const at = [...statesAt, loop.wait, "SecondsPath"];
    const before = [loop.rebuild, loop.tally?.pass].find((n) => n !== undefined && (states[n] as Obj).Next === loop.wait);
    const atWait = before === undefined ? flow : quietly(ctx, () => liftPass(ctx, flow, before, states[before] as Obj, [...statesAt, before]));
    const v = resolvePath(ctx, atWait, loop.interval, at, "integer");
    if (v === undefined) return undefined;
    if (refsInValue(v).has(s.id)) return refuse(ctx, at, `the Wait '${loop.wait}' takes its seconds from '${loop.interval}', which '${name}' writes (${printExpr(v)}), so each wait may differ, where a repeated call's interval is read before its calls`);
    // Seconds a Pass wrote out are a fixed interval.
    return v.kind === "literal" && typeof v.value === "number" && Number.isInteger(v.value) && v.value >= 1 ? v.value : v;
  }

  /**
   * The request of a repeated call is lifted from the data before the first
   * call; later calls read the data the previous call left. A request member
   * read from what the call itself returned is the same only when the response
   * echoes it (a Describe of the job it names): said, member by member.
   */
  function laterCalls(s: Step, st: Obj, name: string, at: JPath, after: Flow): void {
    if (s.kind !== "aws" && s.kind !== "lambda") return;
    const again = quietly(ctx, () => liftTask(ctx, after, name, s.id, st, at, []));
    if (!again || again.kind !== s.kind) return warn(ctx, at, `calls after the first read the data the previous call of '${name}' left, which the IR does not follow: the lifted step sends the first call's request every time`);
    const key = (v: Value | undefined) => positionFreeJson(v ?? null);
    const show = (v: Value) => (v.kind === "map" || v.kind === "join" || v.kind === "list" ? "a value built from several parts" : printExpr(v));
    const same = s.kind === "aws" ? "the same when the response names what was asked for" : "the same when the function's result repeats what it was given";
    const differs = (k: string, first: Value, later: Value | undefined, where: JPath) => {
      if (key(later) !== key(first)) warn(ctx, where, `'${k}' of later calls is read from the previous call's result (${show(later ?? first)}); the lifted step sends the first call's value (${show(first)}) every time, ${same}`);
    };
    if (s.kind === "aws") {
      for (const [k, v] of Object.entries(s.request)) differs(k, v, (again as typeof s).request[k], [...at, "Parameters"]);
      return;
    }
    // A function given the whole state data (no Parameters) is given, on later calls, what the previous call returned.
    const later = again as typeof s;
    const where = st.Parameters === undefined ? [...at, "Resource"] : [...at, "Parameters"];
    differs("FunctionName", s.function, later.function, where);
    if (s.payload_value || later.payload_value) differs("Payload", s.payload_value ?? { kind: "map", entries: s.payload, pos: s.pos }, later.payload_value ?? { kind: "map", entries: later.payload, pos: later.pos }, where);
    else for (const [k, v] of Object.entries(s.payload)) differs(`Payload.${k}`, v, later.payload[k], where);
  }

  /**
   * Condition steps for Choice rules in order, each the else of the one before;
   * the last one's else is the Default (or, with `lastIsDefault`, the last
   * rule's target, when one rule is known to match), or else a fail step of
   * States.NoChoiceMatched.
   */
  /** `read`: the data the rules read, when the Choice narrows it (InputPath) before passing `flow` on. */
  function liftChoice(states: Obj, statesAt: JPath, name: string, rules: Rule[], dflt: string | undefined, lastIsDefault: boolean, deps: string[], flow: Flow, collect: string[], lifted?: Array<Value | undefined>, read: Flow = flow): string[] {
    const at = [...statesAt, name];
    const n = lastIsDefault ? rules.length - 1 : rules.length;
    const otherwise = lastIsDefault ? (rules[n].r.Next as string) : dflt;
    if (n === 0) return otherwise === undefined ? deps : walk(states, statesAt, otherwise, deps, flow, collect);
    const targets = [...rules.slice(0, n).map((x) => x.r.Next), otherwise].filter((t): t is string => typeof t === "string");
    const graph = joins(states).goesOn(name) ? joins(states) : joinsToFailure(states, targets);
    const key = JSON.stringify(at);
    // Where the paths meet again (not a state already lifted, nor one an enclosing Choice stops at). Lowering
    // ends a condition that is last in its scope at a Pass of its own, which marks where its branches end.
    const ownEnd = ctx.own ? stateName(name, ".end") : undefined;
    // A Choice with one way on (the others fail) keeps what follows in that branch, as written.
    const waysOn = targets.filter((t) => graph.goesOn(t)).length;
    const meet = apart.has(key) ? undefined : ownEnd && isObj(states[ownEnd]) && (states[ownEnd] as Obj).Type === "Pass" ? ownEnd : waysOn > 1 ? graph.joinOf(name) : undefined;
    const outer = meet !== undefined && stops.some((x) => x.states === states && x.name === meet);
    const stop = meet !== undefined && !outer && !visited.has(meet) ? { states, name: meet, arrived: [] as Flow[], ends: [] as string[] } : undefined;
    if (stop) stops.push(stop);
    let first: string | undefined;
    let condDeps = deps;
    let into = collect;
    try {
      for (let i = 0; i < n; i++) {
        const { r, at: rat } = rules[i];
        const cond = lifted ? lifted[i] : liftRule(ctx, read, r, rat);
        const id = idFor(i === 0 ? name : `${name}_${i + 1}`);
        first ??= id;
        const c: ConditionStep = { id, ...(id !== name ? { display_name: name } : {}), depends_on: condDeps, tags: {}, environment: {}, targets: {}, pos: ctx.src.pos(rat), kind: "condition", if: cond ?? { kind: "literal", value: true, pos: ctx.src.pos(at) }, then: [], else: [] };
        add(c, into);
        walk(states, statesAt, r.Next as string, [], flow, c.then);
        condDeps = [];
        into = c.else;
      }
      if (otherwise !== undefined) walk(states, statesAt, otherwise, [], flow, into);
      else {
        // No Default: when no rule matches the execution fails with States.NoChoiceMatched.
        const fid = idFor(`${name}_no_match`);
        const fpos = ctx.src.pos(at);
        const lit = (value: string): Value => ({ kind: "literal", value, type: "string", pos: fpos });
        add({ id: fid, depends_on: [], tags: {}, environment: {}, targets: {}, pos: fpos, kind: "fail", message: lit(`no rule of Choice state '${name}' matched`), error: lit("States.NoChoiceMatched") }, into);
      }
    } finally {
      if (stop) stops.pop();
    }
    // What follows the condition depends on it (on whichever branch ran); when every path from it fails,
    // what follows the Parallel it is in waits for what came before it, as after a fail step.
    const after = joins(states).goesOn(name) ? [first!] : deps;
    if (!stop || !stop.arrived.length) return after;
    // The data where the paths meet: the same on each (a machine Switchyard wrote keeps every result under its step's id).
    const [arrived, ...others] = stop.arrived;
    const differ = !ctx.own && others.some((f) => dataKey(f) !== dataKey(arrived));
    if (differ) merged.add(key);
    // The meeting state runs once the branch taken has ended: after the condition and the branch steps that ran.
    return walk(states, statesAt, meet, [first!, ...stop.ends.filter((d) => d !== first)], ctx.own ? flow : differ ? meetFlows(stop.arrived, `it differs by the path taken from Choice '${name}'`) : arrived, collect);
  }

  /** States whose Catch was refused: the states it leads to need no refusal of their own. */
  const refusedCatch = new Set<string>();
  /** Handler chains already lifted, by their first state: the handler step ids, and how they end the execution. */
  const handlerChains = new Map<string, { ids: string[]; ends: "failed" | "succeeded" } | null>();
  /** Where the first catcher into a handler put the error, and whether the handler read it. */
  const handlerPlaces = new Map<string, { put: string; read: boolean }>();
  /**
   * A Catch into states that end the execution (failed, or succeeded: the
   * failure absorbed): the failure handler of the step (its `on_failure`), for
   * the error classes its error names stand for; anything else is refused.
   */
  /** `around`: the Parallel whose Catch this is, for each step inside it. */
  function catchTo(s: Step, all: Obj[], at: JPath, states: Obj, statesAt: JPath, flow: Flow, also: Obj[] = [], around?: string): void {
    // Lowering's own catcher of an absorbing handler's error, on a Parallel: not a handler of this step.
    const catchers = ctx.own ? all.filter((c) => !isDeepStrictEqual(c.ErrorEquals, [ABSORBED])) : all;
    if (!catchers.length) return;
    const owner = stateAt(def, at.slice(0, -1));
    const resources = owner?.Type === "Parallel" || owner?.Type === "Map" ? innerTasks(owner) : [String(owner?.Resource)];
    const integrations = [...new Set(resources.map(integrationOf))];
    const lifted: Array<{ on: ErrorClass[]; own: string[]; chain: { ids: string[]; ends: "failed" | "succeeded" | "continues" }; at: JPath }> = [];
    let ok = true;
    // A catcher into a Choice on the error's name is one catcher per branch of that Choice.
    const expanded: Array<{ c: Obj; i: number }> = [];
    for (const [i, c] of catchers.entries()) {
      const split = errorChoiceCatchers(c, states, statesAt);
      if (split === null) ok = false;
      else for (const x of split ?? [c]) expanded.push({ c: x, i });
    }
    for (const { c, i } of expanded) {
      const cAt = [...at, i];
      for (const k of Object.keys(c)) if (!["ErrorEquals", "Next", "ResultPath", "Comment"].includes(k)) ok = !!refuse(ctx, [...cAt, k], `field '${k}' of a Catch has no IR equivalent`);
      // The error names as the integration of the catching state names the IR's error classes.
      // A function's or service's own error names are the IR's as written; the rest name classes.
      const { known: errs, own } = splitErrorNames(integrations, (Array.isArray(c.ErrorEquals) ? c.ErrorEquals : []).map(String));
      const target = typeof c.Next === "string" ? c.Next : undefined;
      // The step's other Task states catch into the same handler under their own integrations' names, which can tell apart classes that share a name here.
      const others = also.flatMap((x) => (Array.isArray(x.Catch) ? (x.Catch as unknown[]) : []).filter((y): y is Obj => isObj(y) && y.Next === target && Array.isArray(y.ErrorEquals)).map((y) => ({ integration: integrationOf(String(x.Resource)), names: splitErrorNames([integrationOf(String(x.Resource))], (y.ErrorEquals as unknown[]).map(String)).known })));
      let on = !errs.length && own.length ? ([] as ErrorClass[]) : integrations.length === 1 ? (classesFor(integrations[0], errs, others) ?? classesFor(integrations[0], errs)) : errs.length === 1 && errs[0] === "States.ALL" ? (["any"] as ErrorClass[]) : undefined;
      const cover = !on && integrations.length === 1 ? coverFor(integrations[0], errs) : undefined;
      if (cover) {
        on = cover.on;
        // No name added: States.Timeout stands for a missed heartbeat named beside it, and matches the same errors.
        if (cover.added.length) warn(ctx, [...cAt, "ErrorEquals"], coverWarning(errs, cover, "handler catches"));
      }
      if (!target) ok = !!refuse(ctx, cAt, "a Catch needs Next");
      const resultPath = typeof c.ResultPath === "string" || c.ResultPath === null ? c.ResultPath : undefined;
      // Into where the state goes on success (or, where it is last, into a Pass that only ends): the failure is let pass.
      // (At the machine's top level such a Pass ends the run well: a handler that succeeds, below.)
      const passes = target !== undefined && owner !== undefined && (target === owner.Next || (owner.End === true && (terminalPass(states[target]) || (statesAt.length > 1 && endingPass(states[target])))));
      if (passes && around !== undefined) {
        ok = !!refuse(ctx, [...cAt, "Next"], `the Catch of Parallel state '${around}' goes on to '${target}', where it goes when it succeeds: a failure in one branch would skip the rest of every branch, and the IR lets the failure of one step pass, not of a group`, "put the Catch on the states inside, each letting its own failure pass");
      } else if (passes) {
        // The state it goes on to is lifted by the walk; a Pass that only ends, here.
        if (target !== owner.Next) visited.add(target);
        const caught: Flow = target === owner.Next || terminalPass(states[target]) ? caughtFlow(s, resultPath, flow) : { base: { kind: "unknown", why: `what Pass state '${target}' returns where the Catch of '${s.display_name ?? s.id}' lets its failure pass` }, fields: new Map() };
        passedOver = passedOver ? { ...passedOver, caught: meetFlows([passedOver.caught, caught], `it differs by which Catch of '${s.id}' let its failure pass`) } : { caught, step: s.display_name ?? s.id };
      }
      const chain = passes ? { ids: [], ends: "continues" as const } : target ? handlerChain(s, target, resultPath, states, statesAt, flow) : undefined;
      // Errors of the service's (or the approver's) own naming, caught only to fail the execution at a Fail state:
      // every error of the step ends there, failed either way; only the other errors' names change.
      const failOnly = chain?.ends === "failed" && chain.ids.length === 1 && ctx.steps.get(chain.ids[0])?.kind === "fail";
      if (!on && failOnly) {
        warn(ctx, [...cAt, "ErrorEquals"], `errors ${JSON.stringify(errs)} are not the names of IR error classes; the Catch only fails the execution at Fail state '${target}', so it is read as a handler of every error of '${s.id}': other errors, which failed the execution under their own names, now fail it at '${target}' too`);
        on = ["any"];
      }
      const mapOwn = owner?.Type === "Map" ? errs.filter((e) => MAP_ERRORS[e]) : [];
      if (!on && mapOwn.length) {
        ok = !!refuse(ctx, [...cAt, "ErrorEquals"], `${mapOwn.map((e) => `${e} (the Map fails so when ${MAP_ERRORS[e]})`).join(", ")}: no IR error class stands for ${mapOwn.length > 1 ? "these" : "it"}; a map step's failure handler is run by the failures of its iterations' steps, or by any (States.ALL)`);
      } else if (!on) ok = !!refuse(ctx, [...cAt, "ErrorEquals"], `errors ${JSON.stringify(errs)} are not the names of any IR error classes on this service`, integrations.length === 1 ? errorClassesHint(integrations[0]) : undefined);
      if (on?.includes("any") && own.length) ok = !!refuse(ctx, [...cAt, "ErrorEquals"], "States.ALL must be the only error a catcher names");
      if (on && chain) lifted.push({ on, own, chain, at: cAt });
    }
    if (!ok || lifted.length !== expanded.length) {
      refusedCatch.add(String(at[at.length - 2]));
      return;
    }
    // Catchers in a row that lead to the same steps, ending the same way (or to none, absorbing), are one handler;
    // the others are handlers of their own, in the catchers' order (the first that matches runs, as in the IR).
    const groups: Array<typeof lifted> = [];
    for (const x of lifted) {
      const last = groups[groups.length - 1];
      if (last && isDeepStrictEqual(last[0].chain, x.chain)) last.push(x);
      else groups.push([x]);
    }
    const handlers: FailureHandler[] = [];
    for (const g of groups) {
      const chain = g[0].chain;
      const any = g.some((x) => x.on.includes("any"));
      // A last catcher that only fails again with the same error is as if not there.
      if (!chain.ids.length && chain.ends === "failed" && g === groups[groups.length - 1]) break;
      const on = any ? undefined : [...new Set(g.flatMap((x) => x.on))];
      const errors = any ? [] : [...new Set(g.flatMap((x) => x.own))];
      handlers.push({
        steps: chain.ids,
        ...(on?.length ? { on } : {}),
        ...(errors.length ? { errors } : {}),
        ...(chain.ends !== "failed" ? { ends: chain.ends } : {}),
        pos: ctx.src.pos(g[0].at),
      });
      if (any) break;
    }
    if (handlers.some((h) => !h.steps.length && h.ends === undefined)) {
      refuse(ctx, at, "a catcher that only fails again with the error it caught, before others, has no IR equivalent: an IR failure handler runs steps or absorbs the failure");
      refusedCatch.add(String(at[at.length - 2]));
      return;
    }
    if (handlers.length) s.on_failure = handlers;
  }

  /**
   * A Parallel's Catch (a try/catch around the steps in it): the failure handler of every step inside that can
   * fail, the same handler for all. A Fail state inside, or a step with a Catch of its own, fails the Parallel
   * into its Catch, which the IR's fail steps and one-handler steps cannot say: refused. Where branches run side
   * by side, the others go on while the handler runs (Step Functions stops them first): said.
   */
  function parallelCatch(st: Obj, name: string, inner: string[], at: JPath, states: Obj, statesAt: JPath, flow: Flow): void {
    // Lowering's own catcher of an absorbing handler's error is no handler (as in catchTo).
    if (ctx.own && (st.Catch as Obj[]).every((c) => isDeepStrictEqual(c.ErrorEquals, [ABSORBED]))) return;
    // A map's own steps fail the map: its handler is the map's (the IR gives a map's steps none of their own).
    const inMaps = new Set(inner.flatMap((id) => { const s = ctx.steps.get(id)!; return s.kind === "map" ? s.steps : []; }));
    const steps = inner.map((id) => ctx.steps.get(id)!).filter((s) => s.kind !== "condition" && s.kind !== "wait" && !inMaps.has(s.id));
    // Said once a state (a state lifted on two paths is two steps).
    const said = new Set<string>();
    // A Fail state inside fails the Parallel into its Catch: the fail step's own failure handler, when a catcher takes its error.
    const catchers = (st.Catch as Obj[]).filter(isObj);
    const caught = (s: Step) => {
      const e = s.kind === "fail" && s.error?.kind === "literal" ? String(s.error.value) : s.kind === "fail" && !s.error ? s.id : undefined;
      return catchers.some((c) => Array.isArray(c.ErrorEquals) && (c.ErrorEquals.includes("States.ALL") || (e !== undefined && c.ErrorEquals.includes(e))));
    };
    for (const s of steps) {
      const state = s.display_name ?? s.id;
      const why =
        s.kind === "fail"
          ? caught(s)
            ? undefined
            : `Fail state '${state}' fails the Parallel state '${name}' with an error its Catch does not name (only States.ALL or the error's own name is read as catching it)`
          : s.on_failure
            ? `state '${state}' has a Catch of its own inside Parallel state '${name}', whose Catch then catches what its handler ends with; the IR has one failure handler a step`
            : undefined;
      if (why && !said.has(why)) refuse(ctx, at, why);
      if (why) said.add(why);
    }
    const ok = !said.size;
    // The states only the Catch reaches need no refusal of their own.
    if (!ok || !steps.length) {
      refusedCatch.add(name);
      return;
    }
    const branches = Array.isArray(st.Branches) ? st.Branches.length : 0;
    if (branches > 1 && !ctx.own) warn(ctx, [...at, "Catch"], `the Catch of Parallel state '${name}' is read as the failure handler of each step inside; when one fails, the steps of other branches go on while the handler runs, where Step Functions stops them first`);
    for (const s of steps) catchTo(s, st.Catch as Obj[], [...at, "Catch"], states, statesAt, flow, [], name);
  }

  /**
   * A catcher whose Next is a Choice that only compares the caught error's name (`$.Error`, where the
   * catcher put it) with strings: the catchers that do the same, one per name the Choice tells apart (in
   * the order that keeps each name's branch), then the catcher itself into the branch of every other name.
   * Undefined when the Choice reads anything else (its branching is then refused with the handler); null
   * when it is refused here.
   */
  function errorChoiceCatchers(c: Obj, states: Obj, statesAt: JPath): Obj[] | null | undefined {
    const target = typeof c.Next === "string" ? c.Next : undefined;
    const st = target !== undefined ? states[target] : undefined;
    if (!isObj(st) || st.Type !== "Choice" || !Array.isArray(st.Choices) || !Array.isArray(c.ErrorEquals)) return undefined;
    const put = c.ResultPath === undefined || c.ResultPath === "$" ? "$" : typeof c.ResultPath === "string" && /^\$\.[A-Za-z_][A-Za-z0-9_-]*$/.test(c.ResultPath) ? c.ResultPath : undefined;
    if (put === undefined) return undefined;
    const variable = put === "$" ? "$.Error" : `${put}.Error`;
    const names = new Set<string>();
    // A rule as a test of one name; undefined when it is anything else.
    const test = (r: unknown): ((n: string) => boolean) | undefined => {
      if (!isObj(r)) return undefined;
      if (isObj(r.Not) && Object.keys(r).every((k) => k === "Not" || k === "Next")) {
        const inner = test(r.Not);
        return inner && ((n) => !inner(n));
      }
      if (Array.isArray(r.Or) && Object.keys(r).every((k) => k === "Or" || k === "Next")) {
        const inner = r.Or.map(test);
        return inner.every((x) => x !== undefined) ? (n) => inner.some((x) => x!(n)) : undefined;
      }
      if (r.Variable !== variable || typeof r.StringEquals !== "string" || !Object.keys(r).every((k) => ["Variable", "StringEquals", "Next"].includes(k))) return undefined;
      const s = r.StringEquals;
      names.add(s);
      return (n) => n === s;
    };
    const rules = st.Choices.map((r) => ({ test: test(r), next: isObj(r) && typeof r.Next === "string" ? r.Next : undefined }));
    if (!rules.every((r) => r.test && r.next) || !Object.keys(st).every((k) => ["Type", "Choices", "Default", "Comment"].includes(k))) return undefined;
    const route = (n: string) => rules.find((r) => r.test!(n))?.next ?? (typeof st.Default === "string" ? st.Default : undefined);
    const caught = (c.ErrorEquals as unknown[]).map(String);
    // Names a catcher matches exactly: not the wildcards (States.TaskFailed matches every error but States.Timeout).
    const wildcards = ["States.ALL", "States.TaskFailed"];
    if ([...names].some((n) => wildcards.includes(n) || n === "States.HeartbeatTimeout")) return undefined;
    // Another name: every error the Choice names none of (a function's own error, say).
    let other = "other";
    while (names.has(other)) other += "_";
    // A missed heartbeat is reported as States.Timeout: a catcher of heartbeats alone takes only some of that name.
    if (names.has("States.Timeout") && caught.includes("States.HeartbeatTimeout") && !caught.includes("States.Timeout") && !caught.includes("States.ALL")) return undefined;
    const takes = (n: string) => caught.includes("States.ALL") || caught.includes(n) || (n !== "States.Timeout" && caught.includes("States.TaskFailed"));
    const out: Obj[] = [];
    for (const n of names) {
      if (!takes(n)) continue;
      const next = route(n);
      if (next === undefined) {
        refuse(ctx, [...statesAt, target!], `Choice state '${target}' after a Catch matches no rule for error '${n}' and has no Default, so the execution would fail with States.NoChoiceMatched, which a failure handler cannot say`);
        return null;
      }
      out.push({ ErrorEquals: [n], Next: next, ...(c.ResultPath !== undefined ? { ResultPath: c.ResultPath } : {}) });
    }
    // The catcher itself, for the errors it takes that the Choice names none of (if it takes any).
    const beyond = caught.some((n) => wildcards.includes(n) || !names.has(n === "States.HeartbeatTimeout" ? "States.Timeout" : n));
    const rest = beyond ? route(other) : undefined;
    if (beyond && rest === undefined) {
      refuse(ctx, [...statesAt, target!], `Choice state '${target}' after a Catch matches no rule for errors it does not name and has no Default, so the execution would fail with States.NoChoiceMatched, which a failure handler cannot say`);
      return null;
    }
    if (rest !== undefined) out.push({ ...c, Next: rest });
    if (names.has("States.Timeout") && (caught.includes("States.HeartbeatTimeout") || caught.includes("States.Timeout") || caught.includes("States.ALL"))) {
      warn(ctx, [...statesAt, target!], `Choice state '${target}' is read as catching error 'States.Timeout' apart: a missed heartbeat, which Step Functions reports as States.Timeout, takes its branch too`);
    }
    visited.add(target!);
    return out;
  }

  /** The steps a Catch leads to (lifted once per first state), and how the execution ends after them. */
  /** The state's input with the error where the Catch's ResultPath puts it: all of the data ('$'), none (null), or a key. */
  function caughtFlow(s: Step, resultPath: string | null | undefined, flow: Flow): Flow {
    const caught: Base = { kind: "failure", state: s.display_name ?? s.id };
    return resultPath === undefined || resultPath === "$"
      ? { base: caught, fields: new Map() }
      : resultPath === null
        ? flow
        : /^\$\.[A-Za-z_][A-Za-z0-9_-]*$/.test(resultPath)
          ? { base: flow.base, fields: new Map(flow.fields).set(resultPath.slice(2), caught) }
          : { base: { kind: "unknown", why: `the data after a Catch wrote the error at ResultPath '${resultPath}', below a top-level key` }, fields: new Map() };
  }

  function handlerChain(s: Step, target: string, resultPath: string | null | undefined, states: Obj, statesAt: JPath, flow: Flow): { ids: string[]; ends: "failed" | "succeeded" } | undefined {
    // Pass states that only shape data on the way to a Fail state that reads none: that Fail state is the handler,
    // whichever Pass the catcher names (catchers setting different messages no state reads end in one handler).
    const passes: string[] = [];
    let to = target;
    while (isObj(states[to]) && (states[to] as Obj).Type === "Pass" && typeof (states[to] as Obj).Next === "string" && !passes.includes(to)) {
      passes.push(to);
      to = (states[to] as Obj).Next as string;
    }
    const end = states[to];
    if (passes.length && isObj(end) && end.Type === "Fail" && end.ErrorPath === undefined && end.CausePath === undefined) {
      for (const x of passes) visited.add(x);
      target = to;
    }
    // The error is where the catcher put it. Catchers that put it elsewhere into states that read it get those
    // states lifted again, as a handler of their own (an IR handler reads one failure).
    const put = resultPath === null ? "null" : (resultPath ?? "$");
    const seen = handlerPlaces.get(target);
    const key = seen && seen.put !== put && seen.read ? `${target}\u0000${put}` : target;
    if (handlerChains.has(key)) return handlerChains.get(key) ?? undefined;
    handlerChains.set(key, null);
    const reads = ctx.failureReads;
    const saved = handler;
    handler = { resultPath: resultPath ?? undefined, ended: [] };
    const hflow = caughtFlow(s, resultPath, flow);
    const collected: string[] = [];
    const before = ctx.diags.filter((d) => d.severity === "error").length;
    // A handler runs to the end of the execution: the meeting states of the Choices around the failing step are not its.
    // Nor is the polling loop of the failing step, read once the Catch is.
    const outerStops = stops;
    const outerLoop = looped;
    stops = [];
    looped = undefined;
    try {
      walk(states, statesAt, target, [], hflow, collected);
    } finally {
      stops = outerStops;
      looped = outerLoop;
    }
    const ends = handler.ended;
    handler = saved;
    if (!seen) handlerPlaces.set(target, { put, read: ctx.failureReads > reads });
    const chain = { ids: collected, ends: ends.includes("succeeds") ? ("succeeded" as const) : ("failed" as const) };
    if (ends.includes("succeeds") && ends.includes("fails")) refuse(ctx, [...statesAt, target], `the failure handler of '${s.id}' ends the execution failed on one path and succeeded on another; an IR failure handler ends it one way`);
    // An IR failure handler runs its steps in order: a Choice that branches inside one has no equivalent.
    const branching = collected.map((id) => ctx.steps.get(id)).find((c) => c?.kind === "condition" && (c.then.length > 0 || c.else.length > 0));
    if (branching) {
      const choice = branching.display_name ?? branching.id;
      refuse(ctx, [...statesAt, choice], `the failure handler of '${s.display_name ?? s.id}' branches at Choice state '${choice}'; an IR failure handler is the steps it lists, run in order, and its conditions cannot branch`);
    }
    if (ctx.diags.filter((d) => d.severity === "error").length > before) return undefined;
    handlerChains.set(key, chain);
    return chain;
  }

  walk(def.States, ["States"], pre ? pre.next : def.StartAt, [], { base: { kind: pre ? "own" : "input" }, fields: new Map() }, []);
  // The states an own Parallel's catcher of an absorbing handler leads to.
  if (ctx.own) for (const [k, st] of Object.entries(def.States as Obj)) if (k.endsWith(".handled") && isObj(st) && (st.Type === "Succeed" || st.Error === ABSORBED)) visited.add(k);
  const byCatch = catchTargets(def.States);
  for (const k of Object.keys(def.States)) {
    if (visited.has(k)) continue;
    const via = byCatch.get(k);
    if (via && refusedCatch.has(via)) continue;
    if (via) refuse(ctx, ["States", k], `this state runs only when state '${via}' fails (its Catch), and that failure handler was not lifted`);
    else warn(ctx, ["States", k], "this state is never reached and is not lifted");
  }

  // A machine Switchyard wrote keeps each display name as the Comment of the state named after the step.
  if (ctx.own) ownDisplayNames(def.States as Obj, order);
  // Lowering writes the description first and merges the pipeline's own Comment setting in after States.
  const commentSetting = ctx.own && typeof def.Comment === "string" && Object.keys(def)[0] !== "Comment";
  if (commentSetting) settings.Comment = def.Comment;
  // In the machine's order (the order the settings were merged in).
  const machineSettings = Object.fromEntries(Object.keys(def).filter((k) => k in settings).map((k) => [k, settings[k]]));
  // What the user gives (--region, --role, --artifacts) wins over what the machine says, with a warning when they differ.
  const given = input.given;
  const top = src.pos([]);
  const region = takeGiven("region", given, /arn:aws:lambda:([a-z0-9-]+):/.exec(texts)?.[1] ?? /\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/.exec(texts)?.[1], top, "in its ARNs", ctx.diags);
  const role = takeGiven("role", given, fileRole, top, "the RoleArn of its SageMaker calls", ctx.diags);
  if (!role) refuseRolelessJobs(ctx, def, order);
  const bucket = /"s3:\/\/([a-z0-9.-]+)\//.exec(texts)?.[1];
  if (!region) warn(ctx, [], "no Region found in the machine's ARNs; us-east-1 assumed (give another with --region)");
  // The IR has no notion of an execution's output: a lowered machine ends with its own $.params and $.steps.
  if (!ctx.own) warn(ctx, [], "the execution's output (the data the last state returns) is not kept: the lowered machine returns its parameters and step results");
  // Placeholders left in the text (no value given, or CloudFormation's `${!X}` escape) go into the lifted values as
  // they are: one warning for those no other message names.
  if (!ctx.own) {
    const named = new Set(ctx.diags.flatMap((d) => placeholdersIn(d.message)));
    const left = placeholdersIn(texts).filter((x) => !named.has(x));
    if (left.length) {
      warn(ctx, [], `${left.join(", ")} ${left.length > 1 ? "are" : "is"} kept as written text (a deployment-time substitution, or CloudFormation's \${!...} escape): the lowered files need the same filling-in at deploy time, and another target receives the text as it is`, substitutionHint(left[0]));
    }
  }
  // A field of the input whose type nothing in the machine says is a string parameter by default: said, since an object there is then refused.
  const untyped = [...ctx.params.keys()].filter((n) => ctx.defaulted.has(`param:${n}`));
  if (!ctx.own && untyped.length) {
    warn(ctx, [], `input field${untyped.length > 1 ? "s" : ""} ${untyped.map((n) => `'${n}'`).join(", ")} ${untyped.length > 1 ? "are read as string parameters" : "is read as a string parameter"}, as nothing in the machine says ${untyped.length > 1 ? "their types" : "its type"}: a run whose input gives another type (an object, a number) is refused by the lifted pipeline; give ${untyped.length > 1 ? "each parameter its type" : "the parameter its type"}`);
  }
  const known = takeGiven("artifacts", given, ctx.artifacts, top, "where its code and outputs are written", ctx.diags);
  const artifacts = known ?? (bucket ? `s3://${bucket}/switchyard` : "s3://switchyard-artifacts");
  if (!known) warn(ctx, [], `outputs and code will live under ${artifacts} (give another with --artifacts, or set 'artifacts' in the lifted pipeline)`);
  const name = (src.name ?? basename(input.file)).replace(/\.asl\.(json|ya?ml)$|\.(json|ya?ml)$/i, "").replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-+|-+$/g, "") || "lifted";
  const pipeline: Pipeline = {
    version: 1,
    name,
    ...(typeof def.Comment === "string" && !commentSetting ? { description: def.Comment } : {}),
    ...(role ? { role } : {}),
    region: region ?? "us-east-1",
    artifacts,
    parameters: [...ctx.params.values()],
    defaults: {},
    steps: order,
    targets: Object.keys(machineSettings).length ? { stepfunctions: { settings: machineSettings, pos: src.pos(["TimeoutSeconds"]) } } : {},
    source: { file: input.file, format: "lifted" },
    pos: src.pos([]),
  };
  wholeResultWarnings(ctx);
  const sometimes = ctx.own ? [] : paramsReadOnSomePaths(pipeline);
  if (sometimes.length) {
    const many = sometimes.length > 1;
    warn(ctx, [], `input field${many ? "s" : ""} ${sometimes.map((n) => `'${n}'`).join(", ")} ${many ? "are" : "is"} read only by states that run on some paths (a Choice's branch, a Catch's handler): the lifted pipeline needs ${many ? "them" : "it"} in every run's input, as ${many ? "parameters" : "a parameter"} without a default, where the original runs without ${many ? "them" : "it"} on its other paths`, `give ${many ? "each" : "the parameter"} a default in the lifted pipeline to start runs without ${many ? "them" : "it"}`);
  }
  // A state lifted once on each path after a rejoin says the same thing once.
  const once = [...new Map(ctx.diags.map((d) => [JSON.stringify([d.severity, d.pos, d.message]), d])).values()];
  const diagnostics = sortDiagnostics([...once, ...(hasErrors(once) ? [] : checkPipeline(pipeline))]);
  return hasErrors(diagnostics) ? { diagnostics } : { pipeline, diagnostics };
}

/** The states that are not plain API calls (aws steps, a SageMaker job started without waiting), nested ones included. */
function jobStates(states: unknown): Obj[] {
  const out: Obj[] = [];
  for (const st of Object.values(isObj(states) ? states : {})) {
    if (!isObj(st)) continue;
    const r = String(st.Resource ?? "").replace(/^arn:(\$\{(AWS::Partition|[Pp]artition)\}|<PARTITION>):/, "arn:aws:");
    const started = SAGEMAKER_SYNC.exec(r);
    if (st.Type !== "Task" || !(isAwsCall(r) || (started && !started[2]))) out.push(st);
    for (const b of Array.isArray(st.Branches) ? st.Branches : []) if (isObj(b)) out.push(...jobStates(b.States));
    const proc = isObj(st.ItemProcessor) ? st.ItemProcessor : isObj(st.Iterator) ? st.Iterator : undefined;
    if (proc) out.push(...jobStates(proc.States));
  }
  return out;
}

/** The object at a JSON path of the definition (a state), if any. */
function stateAt(def: Obj, at: JPath): Obj | undefined {
  let cur: unknown = def;
  for (const k of at) cur = isObj(cur) || Array.isArray(cur) ? (cur as Record<string | number, unknown>)[k] : undefined;
  return isObj(cur) ? cur : undefined;
}

/** The resources of every Task in a Parallel's branches, nested ones included. */
/** The resources of the Task states inside a Parallel's branches or a Map's iterations (and the Parallels and Maps in them). */
function innerTasks(st: Obj): string[] {
  const out: string[] = [];
  const proc = isObj(st.ItemProcessor) ? st.ItemProcessor : isObj(st.Iterator) ? st.Iterator : undefined;
  const scopes = st.Type === "Map" ? [proc] : Array.isArray(st.Branches) ? st.Branches : [];
  for (const b of scopes) {
    for (const x of Object.values(isObj(b) && isObj(b.States) ? b.States : {})) {
      if (isObj(x) && x.Type === "Task") out.push(String(x.Resource));
      else if (isObj(x) && (x.Type === "Parallel" || x.Type === "Map")) out.push(...innerTasks(x));
    }
  }
  return out;
}

/** Errors a Map state raises itself, not its iterations: no IR error class names them. */
const MAP_ERRORS: Record<string, string> = {
  "States.ItemReaderFailed": "its item reader could not read the items",
  "States.ResultWriterFailed": "its result writer could not write the results",
  "States.ExceedToleratedFailureThreshold": "more iterations failed than it tolerates",
};

/** States reached only through a Catch (and what follows them): state -> the first state whose Catch leads there. */
function catchTargets(states: Obj): Map<string, string> {
  const next = (st: Obj): string[] => [
    ...(typeof st.Next === "string" ? [st.Next] : []),
    ...(typeof st.Default === "string" ? [st.Default] : []),
    ...((Array.isArray(st.Choices) ? st.Choices : []) as Obj[]).map((c) => c.Next).filter((x): x is string => typeof x === "string"),
  ];
  const out = new Map<string, string>();
  for (const [name, st] of Object.entries(states)) {
    if (!isObj(st) || !Array.isArray(st.Catch)) continue;
    const todo = (st.Catch as Obj[]).map((c) => c.Next).filter((x): x is string => typeof x === "string");
    while (todo.length) {
      const t = todo.pop()!;
      if (out.has(t) || !isObj(states[t])) continue;
      out.set(t, name);
      todo.push(...next(states[t] as Obj));
    }
  }
  return out;
}

/** A ResultSelector made only of paths into the result: field -> path. */
/**
 * A ResultSelector with constants beside its paths: the object it builds, known
 * key by key (the constants as written, the paths as reads of the step's result).
 */
/**
 * A Parallel state's ResultSelector: the object it builds from its output, the
 * list of what each branch ended with. A field `$[i].a` (or `$.[i].a`, which
 * Step Functions reads alike) reads branch i's data; constants are themselves.
 */
function parallelSelector(ctx: LiftCtx, name: string, sel: unknown, outputs: Array<Flow | undefined>, at: JPath): DocBase | undefined {
  if (!isObj(sel)) return refuse(ctx, at, "a Parallel state's ResultSelector must be an object");
  const entries: Record<string, Value> = {};
  // A path nested below a constant would read the whole list, which the IR holds only branch by branch.
  const list: Flow = { base: { kind: "unknown", why: `the output of Parallel state '${name}' (the list of its branches' data; a ResultSelector field reads one branch, as '$[0].key')` }, fields: new Map() };
  let ok = true;
  for (const [k, v] of Object.entries(sel)) {
    if (!k.endsWith(".$")) {
      const x = liftValue(ctx, list, v, [...at, k]);
      if (x) entries[k] = x;
      else ok = false;
      continue;
    }
    const m = typeof v === "string" ? /^\$\.?\[([0-9]+)\](.*)$/.exec(v) : null;
    const rest = m ? `$${m[2]}` : undefined;
    if (!m || (rest !== "$" && segments(rest!) === undefined)) {
      ok = !!refuse(ctx, [...at, k], `a ResultSelector field of a Parallel state whose value is not a plain path into one branch's data (${JSON.stringify(v).slice(0, 80)}; '$[0].key' reads branch 0) has no IR equivalent`) && ok;
      continue;
    }
    const i = Number(m[1]);
    const branch = outputs[i];
    if (!branch) {
      ok = !!refuse(ctx, [...at, k], i < outputs.length ? `'${v as string}' reads what branch ${i} of Parallel state '${name}' ends with, which differs by the way it took (or is refused)` : `'${v as string}' reads branch ${i}, and Parallel state '${name}' has ${outputs.length}`) && ok;
      continue;
    }
    const read = rest === "$" ? wholeState(ctx, branch, [...at, k], `the data branch ${i} of '${name}' ends with`) : resolvePath(ctx, branch, rest!, [...at, k]);
    if (read) entries[k.slice(0, -2)] = read;
    else ok = false;
  }
  return ok ? { kind: "doc", value: { kind: "map", entries, pos: ctx.src.pos(at) }, from: name, built: `the object the ResultSelector of Parallel state '${name}' built` } : undefined;
}

function selectorDoc(ctx: LiftCtx, id: string, name: string, sel: Obj, at: JPath): DocBase | undefined {
  const entries: Record<string, Value> = {};
  const result: Flow = { base: { kind: "step", id }, fields: new Map() };
  for (const [k, v] of Object.entries(sel)) {
    if (!k.endsWith(".$")) {
      const x = liftValue(ctx, result, v, [...at, k]);
      if (!x) return undefined;
      entries[k] = x;
      continue;
    }
    // A plain path into the result, or an intrinsic function of such paths (States.StringToJson($.Body)).
    if (typeof v !== "string" || !(v.startsWith("States.") || (v.startsWith("$.") && segments(v) !== undefined))) return refuse(ctx, [...at, k], `a ResultSelector field whose value is not a plain path into the result or an intrinsic function of such paths (${JSON.stringify(v).slice(0, 80)}: a JSONPath query or the context object) has no IR equivalent`);
    const read = resolvePath(ctx, result, v, [...at, k]);
    if (!read) return undefined;
    entries[k.slice(0, -2)] = read;
  }
  return { kind: "doc", value: { kind: "map", entries, pos: ctx.src.pos(at) }, from: name, built: `the object the ResultSelector of '${name}' built` };
}

function selector(ctx: LiftCtx, sel: Obj, at: JPath): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel)) {
    if (typeof v !== "string" || !v.startsWith("$.") || segments(v) === undefined) return refuse(ctx, [...at, k], `a ResultSelector field whose value is not a plain path into the result (${JSON.stringify(v).slice(0, 80)}: an intrinsic, a JSONPath query or the context object) has no IR equivalent`);
    out[k.slice(0, -2)] = v;
  }
  return out;
}

/**
 * Display names of an own machine: the Comment written first in the state named after each step id. A Comment
 * written after a Task state's other fields is the step's own Comment setting, merged into each of its Task states.
 */
function ownDisplayNames(states: Obj, steps: Step[]): void {
  const comments = new Map<string, string>();
  const settings = new Map<Step, string>();
  const visit = (sts: Obj) => {
    for (const [name, st] of Object.entries(sts)) {
      if (!isObj(st)) continue;
      if (typeof st.Comment === "string" && Object.keys(st)[0] === "Comment") comments.set(name, st.Comment);
      else if (typeof st.Comment === "string" && st.Type === "Task") {
        const owner = steps.find((s) => ownsState(s, name));
        if (owner) settings.set(owner, st.Comment);
      }
      for (const b of (Array.isArray(st.Branches) ? st.Branches : []) as Obj[]) if (isObj(b.States)) visit(b.States);
      if (isObj(st.ItemProcessor) && isObj(st.ItemProcessor.States)) visit(st.ItemProcessor.States);
    }
  };
  visit(states);
  for (const s of steps) {
    const c = comments.get(stateName(s.id));
    if (c !== undefined && c !== s.id) s.display_name = c;
    const own = settings.get(s);
    if (own !== undefined) s.targets = { ...s.targets, stepfunctions: { settings: { Comment: own }, pos: s.pos } };
  }
}


/** SageMaker kinds that run as the pipeline's role. */
const ROLE_KINDS = new Set(["processing", "training", "tuning", "model", "register-model", "endpoint", "notebook"]);

/** A machine whose SageMaker calls take no literal IAM role ARN cannot give the pipeline the role its jobs need. */
function refuseRolelessJobs(ctx: LiftCtx, def: Obj, steps: Step[]): void {
  const job = steps.find((s) => ROLE_KINDS.has(s.kind));
  if (!job) return;
  const found = (function find(x: unknown, at: JPath): { at: JPath; value: unknown } | undefined {
    if (Array.isArray(x)) {
      for (let i = 0; i < x.length; i++) {
        const r = find(x[i], [...at, i]);
        if (r) return r;
      }
    } else if (isObj(x)) {
      for (const [k, v] of Object.entries(x)) {
        if (k === "RoleArn" || k === "ExecutionRoleArn" || k === "RoleArn.$" || k === "ExecutionRoleArn.$") return { at: [...at, k], value: v };
        const r = find(v, [...at, k]);
        if (r) return r;
      }
    }
    return undefined;
  })(def.States, ["States"]);
  // The role field itself already refused (a role read from the data): said once.
  const where = found && ctx.src.pos(found.at);
  if (where && ctx.diags.some((d) => d.severity === "error" && d.pos?.line === where.line && d.pos?.col === where.col)) return;
  const why = found ? `the role ${JSON.stringify(found.value)} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)` : "no state gives an IAM role ARN";
  refuse(ctx, found?.at ?? [], `${why}, and SageMaker step '${job.id}' needs the pipeline's role: a lifted pipeline takes one literal role (give it with --role)`);
}

/** A loop the IR has no form for, and why (the keys on the path are JSON paths of states, the loop's first). */
function loopRefusal(states: Obj, keys: string[]): string {
  const cycle = keys.map((k) => (JSON.parse(k) as JPath).at(-1)).filter((n): n is string => typeof n === "string" && n in states);
  const why = loopMismatch(states, cycle, (r) => isAwsCall(r) || r === ARN.lambda || /^arn:[^:]+:lambda:/.test(r));
  const shape = "only polling loops are read: an aws call or a Lambda function, a Choice on its result and a Wait back to the call";
  return `a loop back to this state (through ${cycle.map((n) => `'${n}'`).join(", ")}) has no IR equivalent: ${why.length ? `${why.join("; ")} (${shape})` : shape}`;
}
