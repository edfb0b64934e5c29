/** Lowering: the plan's shape as nested Parallel states, each step as its Task states. */
import { error, hasErrors, warning, type Diagnostic } from "../../src/diagnostics.js";
import { expandForeach } from "../../src/ir/foreach.js";
import type { FailureHandler, Pipeline, Step, Value } from "../../src/ir/types.js";
import type { LowerResult, OutputFile } from "../../src/backend/types.js";
import { walkStepValues, walkValue } from "../../src/ir/walk.js";
import { dependencies, failureHandlers } from "../../src/ir/graph.js";
import type { Definition, Json, State, States } from "./asl.js";
import { ERROR_PATH, innerScopes, link } from "./asl.js";
import { escapeFormat, member } from "./intrinsics.js";
import { copyName, ITERATION_ID, ITERATION_RUN_CHILD, ITERATION_RUN_INLINE, ITERATION_RUN_MARK, OWN_FAILS, ownsState, perIteration, stateName } from "./names.js";
import { INIT, parameterStates } from "./params.js";
import { alwaysFails, planPipeline, type Plan } from "./plan.js";
import { scheduleRequest } from "./schedule.js";
import { codeManifestFile } from "../../src/backend/manifest.js";
import { definitionSize, type DefinitionSize } from "../../src/backend/wire.js";
import { LIMITS } from "./limits.js";
import { PATH_VALUE_BYTES, selectedBytes } from "./payload.js";
import { CHILD_KIND, fits, historyOf, scanReads, sentBytes, sentText, splitMachine, type Child, type SplitLimits } from "./split.js";
import { deepMerge } from "../../src/backend/settings.js";
import type { Shape } from "./structure.js";
import { GATHER_BRANCHES, gatherSelector } from "./gather.js";
import { emitCondition, emitStep, environmentRefusals, oneParameter, template, type EmitCtx } from "./tasks.js";
import { keptResults, RESULT_KEY, resultPass } from "./map-results.js";
import { isExpr, plainPayloads, render } from "./render.js";
import { ABSORBED, errorNames, integrationOf } from "./errors.js";
import { STARTED_BY_EXECUTION } from "../../src/aws/request-members.js";
import { RUN_FIELDS, runFromInput, swapInPaths } from "./run-context.js";
import { READER_FORMATS, S3_LIST_READER, S3_OBJECT_READER, S3_RESULT_WRITER } from "./map-reader.js";
import { environmentNameErrors } from "../../src/aws/containers.js";
import { withVariableReads } from "./variables.js";
import { LOGICAL_DATE_KEY, RUN_VALUES_STATE, logicalDateShift, logicalDateState, type DatesNeeded } from "./logical-date.js";
import { INPUT_DEFAULT_PREFIX, VARIABLE_DEFAULT_PREFIX, inputDefault, variableState, variableStateName } from "./input-defaults.js";
import { schedulePeriod } from "../../src/ir/cron.js";
import { keptResultCasing } from "./aws-calls.js";
import type { ActionCasing } from "./sdk-casing.js";

export const FILES = { definition: "state-machine.asl.json", schedule: "schedule.json", manifest: "code-manifest.json" } as const;

/** Kinds that keep no result under `$.steps`. */
const NO_RESULT = new Set<Step["kind"]>(["condition", "fail", "wait", "glue", "emr", "map"]);

/** Seconds between endpoint status polls. */
export const POLL_SECONDS = 30;

/** The Fail states a step's own states may end in (tasks.ts, repeat.ts): a failure handler takes their errors. */


/**
 * A machine's part of the plan. `call`: a child machine the parent starts, in its place. A foreach step too
 * large for one machine runs its copies in children: `chunks` in the parent starts them side by side, and
 * `copies` in each child runs copies `from`..`to`-1.
 */
export type PieceShape =
  | Shape
  | { t: "call"; child: ChildCall }
  | { t: "chunks"; id: string; calls: ChildCall[] }
  | { t: "copies"; id: string; from: number; to: number }
  /** A condition whose branches were cut (some of their steps run in child machines). */
  | { t: "cond"; id: string; then: PieceShape; else: PieceShape };

/** A child machine as its parent starts it (split.ts). */
export interface ChildCall {
  /** The child's state machine name. */
  machine: string;
  /** Step results the child reads, passed in its input. */
  reads: string[];
  /** Step results later steps read, taken from its output. */
  returns: string[];
  /** Execution context fields the child reads, passed under `run` (see RUN_FIELDS). */
  run: string[];
}

/** One machine of a split: its shape; `child` when it is started by the parent with its state as input. */
export interface Piece {
  plan: Plan;
  shape: PieceShape;
  child: boolean;
  /** The whole build's reads of reports and responses, steps by id, failure handlers and dropped results (the same for every piece). */
  whole?: Pick<Built, "used" | "byId" | "handlerOf" | "dropped" | "units" | "facts">;
  /** Foreach steps run in chunks of copies by child machines: copies per chunk, by step id (the same for every piece). */
  chunked?: ReadonlyMap<string, number>;
}

/** Which steps' reports (by name) and responses some step reads (the responses' top members read; "": the whole, or a list's item). */
export interface Used {
  reports: Map<string, Set<string>>;
  responses: Map<string, Set<string>>;
}

export interface Built {
  definition: Definition;
  diagnostics: Diagnostic[];
  plan: Plan;
  /** Each state's step (the unit whose lowering wrote it), by state name. */
  owners: Map<string, string>;
  used: Used;
  byId: Map<string, Step>;
  handlerOf: ReturnType<typeof failureHandlers>;
  /** Foreach steps whose copies keep an empty result: theirs would pass the state data's limit, and no state reads them. */
  dropped: ReadonlySet<string>;
  /**
   * The whole build's states of each top-level step that reads no constant and no foreach result, as its
   * lowering wrote them (before catchers and what the machine around adds), with the state it went on to:
   * a split's machines take them again where the step goes on to the same state, instead of lowering it again.
   */
  units: ReadonlyMap<string, UnitStates>;
  facts: StepFacts;
}

/** What each machine's build reads from the pipeline's steps: found once, by the whole build, for a split's pieces. */
export interface StepFacts {
  /** Kept results Step Functions spells otherwise than the API, by step (see keptResultCasings). */
  casings: Map<string, ActionCasing>;
  /** Display names, by the name of the state named after the step. */
  displayNames: Map<string, string>;
  /** Steps with settings of their own for their Task states. */
  withSettings: Step[];
}

function stepFacts(p: Pipeline, responsesUsed: ReadonlyMap<string, ReadonlySet<string>>): StepFacts {
  return {
    casings: keptResultCasings(p, responsesUsed),
    displayNames: new Map(p.steps.filter((s) => s.display_name !== undefined).map((s) => [stateName(s.id), s.display_name!])),
    withSettings: p.steps.filter((s) => s.targets.stepfunctions),
  };
}

/** A step's states as lowering wrote them (see Built.units). */
export interface UnitStates {
  next: string | undefined;
  entry: string;
  states: Array<[string, State]>;
}

function usedValues(p: Pipeline): Used {
  const reports = new Map<string, Set<string>>();
  const responses = new Map<string, Set<string>>();
  for (const s of p.steps) {
    walkStepValues(s, (v) =>
      walkValue(v, (n) => {
        if (n.kind === "ref" && n.ref.scope === "steps" && n.ref.attr === "response") {
          const members = responses.get(n.ref.step) ?? new Set<string>();
          const first = n.ref.path[0];
          members.add(typeof first === "string" ? first : "");
          responses.set(n.ref.step, members);
        }
        if (n.kind === "ref" && n.ref.scope === "steps" && n.ref.attr === "reports") {
          const set = reports.get(n.ref.step) ?? new Set<string>();
          set.add(n.ref.report);
          reports.set(n.ref.step, set);
        }
      }),
    );
  }
  return { reports, responses };
}

/** The resources of every Task in a Parallel's branches, nested ones included. */
function branchTasks(st: State): string[] {
  const out: string[] = [];
  const scopes = [...((st.Branches as Array<{ States: States }> | undefined) ?? []), ...(st.ItemProcessor ? [st.ItemProcessor as { States: States }] : [])];
  for (const b of scopes) {
    for (const x of Object.values(b.States)) {
      if (x.Type === "Task") out.push(String(x.Resource));
      else if (x.Type === "Parallel" || x.Type === "Map") out.push(...branchTasks(x));
    }
  }
  return out;
}

/**
 * Lower the whole pipeline, or one piece of a split. `payload`: the state data's limit (the service's unless a
 * test gives a smaller one); `drop`: foreach steps whose copies keep an empty result (see overPayload).
 */
export function buildDefinition(p: Pipeline, piece?: Piece, opts: { payload?: number; drop?: ReadonlySet<string> } = {}): Built {
  const diags: Diagnostic[] = [];
  const dropped = piece?.whole?.dropped ?? opts.drop ?? new Set<string>();
  const payloadCap = opts.payload ?? LIMITS.find((l) => l.id === "payload-size")!.value;
  // A split builds every piece from the same pipeline: what it reads, its steps by id and its handlers are found once.
  const byId = piece?.whole?.byId ?? new Map(p.steps.map((s) => [s.id, s]));
  const used = piece?.whole?.used ?? usedValues(p);
  const reportsUsed = used.reports;
  const responsesUsed = used.responses;
  const facts = piece?.whole?.facts ?? stepFacts(p, responsesUsed);
  // Failure handlers run only from a Catch: they are planned out of the normal flow.
  const handlerOf = piece?.whole?.handlerOf ?? failureHandlers(p);
  const plan = piece?.plan ?? planPipeline(handlerOf.size ? { ...p, steps: p.steps.filter((s) => !handlerOf.has(s.id)) } : p);
  const all = new Set<string>();
  const owners = new Map<string, string>();
  let owner: string | undefined;
  let current: States = {};
  const ctx: EmitCtx = {
    p,
    byId,
    diags,
    consts: new Map(),
    reportsUsed,
    responsesUsed,
    responseCasing: facts.casings,
    pollSeconds: POLL_SECONDS,
    chunked: piece?.chunked,
    piece: piece !== undefined,
    varies: { n: 0 },
    put(name, state) {
      if (all.has(name)) diags.push(error(p.pos, `two states would be named '${name}'`, { code: "stepfunctions-state-name" }));
      all.add(name);
      if (owner !== undefined) owners.set(name, owner);
      current[name] = state;
      recording?.push([name, state]);
    },
  };
  /** Top-level steps' states as written (see Built.units): kept by the whole build, taken again by a piece's. */
  const units = new Map<string, UnitStates>();
  const written = piece?.whole?.units;
  let recording: Array<[string, State]> | undefined;
  /**
   * A Parallel is named after what it holds: the first step of each branch
   * (`Parallel: register, model`; the space keeps it apart from step ids),
   * numbered only when two would read alike.
   */
  const parallelNames = new Set<string>();
  const headOf = (sh: PieceShape): string =>
    sh.t === "unit" || sh.t === "chunks" || sh.t === "copies" || sh.t === "cond" ? sh.id : sh.t === "call" ? sh.child.machine : sh.t === "seq" ? (sh.items.length ? headOf(sh.items[0]) : "nothing") : headOf(sh.branches[0]);
  const parallelName = (branches: PieceShape[]): string => {
    const base = `Parallel: ${branches.map(headOf).join(", ")}`;
    let name = stateName(base);
    for (let n = 2; parallelNames.has(name); n++) name = stateName(base, ` (${n})`);
    parallelNames.add(name);
    return name;
  };
  // The pipeline's own problems are said once, by the whole build (a piece's diagnostics are not reported).
  if (!piece) {
    environmentRefusals(ctx);
    diags.push(...environmentNameErrors(p));
  }

  /** A Pass that ends a scope, for a shape that is empty or a Choice branch that has nowhere to go. */
  const endState = (name: string): string => {
    ctx.put(name, { Type: "Pass", End: true });
    return name;
  };

  /** Gathering Parallels, whose ResultSelector is written once every top-level key of the state is known. */
  const gathering: Array<{ branches: number; inMap: boolean; nested: boolean; map?: string }> = [];
  /**
   * Map states, found again by MAP_OF in their ItemProcessor once every top-level key of the state is known (an
   * inner map's state is copied as its iteration's states are written), with the maps around each, outermost first.
   */
  const mapsAround = new Map<string, string[]>();
  /** Distributed Maps' labels, which name their Map Runs: one map each. */
  const labels = new Map<string, Step & { kind: "map" }>();
  /** How many maps the scope being written is inside. */
  let mapDepth = 0;

  /**
   * Parallel branches, then the step results gathered back into `$.steps`
   * (see gather.ts). A foreach step's copies each return their result, which
   * the Parallel keeps as a list under `$.steps.<id>` (`into`); copies that
   * keep no result (`into` null) leave the state as it was.
   */
  const parallel = (name: string, branches: Array<() => string>, into: string | null | undefined, next: string | undefined): string => {
    const saved = current;
    const out: Json[] = [];
    const absorbedBefore = absorbed;
    absorbed = false;
    depth++;
    branches.forEach((b, k) => {
      current = {};
      const start = b();
      // Branches after the first hand back only the step results, to keep the Parallel's result small (256 KiB payloads);
      // where the Parallel keeps nothing, they hand back {} (OutputPath null).
      const keep = typeof into === "string" ? `$.steps${member(into)}` : into === null ? null : k > 0 ? "$.steps" : undefined;
      if (keep !== undefined) for (const st of Object.values(current)) if (st.End === true) st.OutputPath = keep;
      out.push({ StartAt: start, States: reorder(current, start) });
    });
    current = saved;
    depth--;
    const state: State = { Type: "Parallel", Branches: out };
    if (absorbed) {
      // A handler in a branch ended with Switchyard.Succeeded: the outermost Parallel ends the execution well;
      // one inside raises it again past its own catchers.
      const end = stateName(name, ".handled");
      ctx.put(end, depth === 0 ? { Type: "Succeed" } : { Type: "Fail", Error: ABSORBED, Cause: "a failure handler ended the execution succeeded" });
      state.Catch = [{ ErrorEquals: [ABSORBED], Next: end }];
    }
    absorbed = absorbedBefore || absorbed;
    if (into === null) state.ResultPath = null;
    else if (into !== undefined) state.ResultPath = `$.steps${member(into)}`;
    else {
      // No ResultPath: the selected result replaces the state (the default, "$").
      // Written once the state's keys are known; marked, as a copy of it is what a map's iteration holds.
      state.ResultSelector = { [GATHER_OF]: gathering.length };
      gathering.push({ branches: out.length, inMap: mapDepth > 0, nested: mapDepth > 1, map: ctx.mapStack?.at(-1) });
    }
    ctx.put(name, link(state, next));
    return name;
  };

  /** A Parallel of more branches than one field can merge becomes Parallels of Parallels. */
  const grouped = (branches: Shape[]): Shape[] => {
    let bs = branches;
    while (bs.length > GATHER_BRANCHES) {
      const size = Math.ceil(bs.length / GATHER_BRANCHES);
      const next: Shape[] = [];
      for (let i = 0; i < bs.length; i += size) {
        const part = bs.slice(i, i + size);
        next.push(part.length === 1 ? part[0] : { t: "par", branches: part });
      }
      bs = next;
    }
    return bs;
  };

  /** Child calls, whose merge state is written once every top-level key of the state is known. */
  const merging: State[] = [];

  /** Start a child machine and wait for it; its results merged into `$.steps`. */
  const emitCall = (c: ChildCall, next: string | undefined): string => {
    const name = stateName(`Run ${c.machine}`);
    const merge = stateName(`Merge ${c.machine}`);
    const steps: { [k: string]: Json } = {};
    for (const id of c.reads) steps[`${id}.$`] = `$.steps${member(id)}`;
    const input: { [k: string]: Json } = { "params.$": "$.params", steps };
    if (c.run.length) input.run = Object.fromEntries(c.run.map((f) => [`${f}.$`, RUN_FIELDS[f]]));
    input[`${STARTED_BY_EXECUTION}.$`] = "$$.Execution.Id";
    const returned: { [k: string]: Json } = {};
    for (const id of c.returns) returned[`${id}.$`] = `$.Output.steps${member(id)}`;
    ctx.put(name, {
      Type: "Task",
      Resource: START_CHILD,
      Parameters: { "StateMachineArn.$": siblingMachineArn(c.machine), "Name.$": "$$.Execution.Name", Input: input },
      ResultSelector: returned,
      ResultPath: "$.child",
      Next: merge,
    });
    const m: State = { Type: "Pass", Parameters: {} };
    merging.push(m);
    ctx.put(merge, link(m, next));
    return name;
  };

  const emitShape = (sh: PieceShape, next: string | undefined, endName: string): string => {
    if (sh.t === "call") return emitCall(sh.child, next);
    if (sh.t === "unit") return emitUnit(sh.id, next);
    if (sh.t === "copies") return emitUnit(sh.id, next, sh);
    if (sh.t === "cond") return emitUnit(sh.id, next, undefined, sh);
    if (sh.t === "chunks") {
      // Each child returns its copies' results as one list; the Parallel keeps the lists in order (see RenderCtx.chunked).
      const keep = sh.calls.some((c) => c.returns.includes(sh.id));
      return parallel(stateName(sh.id), sh.calls.map((c) => () => emitCall(c, undefined)), keep ? sh.id : null, next);
    }
    if (sh.t === "seq") {
      if (sh.items.length === 0) return next ?? endState(endName);
      let entry = next;
      for (let i = sh.items.length - 1; i >= 0; i--) {
        const it = sh.items[i];
        const isFail = it.t === "unit" && alwaysFails(it.id, byId, plan.branches);
        if (isFail && i < sh.items.length - 1) {
          const s = byId.get(it.id)!;
          diags.push(error(s.pos, `step '${s.id}' fails the execution, so the steps ordered after it could never run`, { code: "stepfunctions-after-fail" }));
        }
        entry = emitShape(it, entry, endName);
      }
      return entry!;
    }
    const name = parallelName(sh.branches);
    // Every step inside with one and the same failure handler, for any error: the Parallel catches for them all (one
    // handler cannot be reached from Catches in several branches), its branches stopped first, as a Catch on a Parallel does.
    const shared = sh.branches.length > 1 ? sharedHandler(sh) : undefined;
    if (shared) for (const id of shared.ids) hoisted.add(id);
    const entry = parallel(name, grouped(sh.branches as Shape[]).map((b) => () => emitShape(b, undefined, `${name}.end`)), undefined, next);
    if (shared) attachHandler({ ...byId.get(shared.ids[0])!, id: name }, shared.handler);
    return entry;
  };

  /** Steps whose failure handler their Parallel holds (see emitShape). */
  const hoisted = new Set<string>();
  /**
   * The failure handler every step of a shape has, one and the same for any error, if there is one.
   * Whether it has one is known from its parts' answers, kept per part: Parallels nest, and asking each
   * one's whole subtree again made this quadratic in the nesting (10,000 steps: a quarter of a second).
   */
  const uniform = new WeakMap<PieceShape, string | null>();
  /** The key of the handler all of a shape's steps share (`""`: it has no step), or null where they share none. */
  const handlerKey = (x: PieceShape): string | null => {
    const known = uniform.get(x);
    if (known !== undefined) return known;
    let key: string | null = null;
    if (x.t === "unit") {
      const h = byId.get(x.id)!.on_failure;
      if (h?.length === 1 && !h[0].on && !h[0].errors && h[0].steps.length > 0) key = `${h[0].steps.join("\u0000")}\u0000\u0000${h[0].ends ?? "failed"}`;
    } else if (x.t === "seq" || x.t === "par") {
      key = "";
      for (const part of x.t === "seq" ? x.items : x.branches) {
        const k = handlerKey(part);
        if (k === null || (k && key && k !== key)) {
          key = null;
          break;
        }
        if (k) key = k;
      }
    }
    uniform.set(x, key);
    return key;
  };
  const sharedHandler = (sh: PieceShape): { ids: string[]; handler: FailureHandler } | undefined => {
    if (!handlerKey(sh)) return undefined;
    const ids: string[] = [];
    const walk = (x: PieceShape): void => {
      if (x.t === "unit") ids.push(x.id);
      else if (x.t === "seq") x.items.forEach(walk);
      else if (x.t === "par") x.branches.forEach(walk);
    };
    walk(sh);
    return { ids, handler: byId.get(ids[0])!.on_failure![0] };
  };

  /** Parallel nesting of the scope being written; whether a handler in it absorbs a failure. */
  let depth = 0;
  let absorbed = false;

  /** Handler chains already written, per scope (States map): key = handler ids -> entry state. */
  const chains = new WeakMap<States, Map<string, string>>();
  const deps = handlerOf.size ? dependencies(p) : new Map<string, string[]>();

  /**
   * `on_failure`: every Task (or the foreach Parallel) of step `s` catches its
   * errors (after its retries; all, or the handler's error classes) into the
   * handler steps, in dependency order, ending in the handlers' fail step, in a
   * Fail that re-raises the error, or, when the handler absorbs the failure, in
   * a Succeed (in a Parallel branch, a Fail the outermost Parallel catches).
   * A failure let pass (`ends: continues`) is caught into `next`, where the
   * step goes on to when it succeeds.
   */
  const attachHandlers = (s: Step, next: string | undefined) => {
    // A Wait state cannot fail: its handlers never run for it (their states are written only where another step's Catch reaches them).
    if (s.kind === "wait") {
      for (const h of s.on_failure ?? []) diags.push(warning(h.pos, `step '${s.id}': a wait step is a Wait state, which cannot fail, so its failure handler never runs for it`, { code: "stepfunctions-on-failure" }));
      return;
    }
    // Several handlers: one catcher each, in order (the first whose errors match runs).
    for (const h of s.on_failure ?? []) attachHandler(s, h, next);
  };
  const attachHandler = (s: Step, handler: FailureHandler, next?: string) => {
    if (handler.ends === "continues") {
      // The data stays as it was before the step (ResultPath null); where the step is last, a Pass ends the branch or machine.
      let to = next;
      if (to === undefined) ctx.put((to = stateName(s.id, ".passed")), { Type: "Pass", End: true });
      catchInto(s, handler, to, null);
      return;
    }
    const ids = handler.steps;
    const succeeds = handler.ends === "succeeded";
    if (succeeds && piece) diags.push(error(handler.pos, `step '${s.id}': this state machine is split into machines that start each other, and a failure handler that ends succeeded would end only its own machine`, { code: "stepfunctions-on-failure" }));
    // A handler without steps (the failure ignored) is the step's own.
    const key = [...(ids.length ? ids : [s.id]), handler.ends ?? "failed"].join("\u0000");
    let known = chains.get(current);
    if (!known) chains.set(current, (known = new Map()));
    let entry = known.get(key);
    if (!entry) {
      const hs = ids.map((h) => byId.get(h)!);
      for (const h of hs) {
        if (h.kind === "condition" || h.foreach) diags.push(error(h.pos, `failure handler '${h.id}': a ${h.foreach ? "foreach" : "condition"} step cannot be a failure handler in AWS Step Functions`, { code: "stepfunctions-on-failure" }));
        if (current[stateName(h.id)]) diags.push(error(h.pos, `failure handler step '${h.id}' is in two handlers that run different steps with it; its state has one Next, so each handler needs steps of its own`, { code: "stepfunctions-on-failure" }));
        else if (all.has(stateName(h.id))) diags.push(error(h.pos, `failure handler '${h.id}' is shared by steps in different Parallel branches, which AWS Step Functions cannot reach from one Catch`, { code: "stepfunctions-on-failure" }));
      }
      // Written already by another chain: said above, not written twice.
      if (hs.some((h) => current[stateName(h.id)])) return;
      const set = new Set(ids);
      const order: Step[] = [];
      const seen = new Set<string>();
      const visit = (h: Step) => {
        if (seen.has(h.id)) return;
        seen.add(h.id);
        for (const d of deps.get(h.id) ?? []) if (set.has(d)) visit(byId.get(d)!);
        order.push(h);
      };
      for (const h of hs.filter((x) => x.kind !== "fail")) visit(h);
      const fails = hs.filter((x) => x.kind === "fail");
      if (fails.length > 1) diags.push(error(fails[1].pos, `failure handlers of '${s.id}' hold more than one fail step; only one can end the execution`, { code: "stepfunctions-on-failure" }));
      let next: string;
      if (fails.length) next = emitStep(ctx, fails[0], undefined, undefined);
      else if (succeeds) {
        next = stateName(ids[0] ?? s.id, ".handled");
        ctx.put(next, depth === 0 ? { Type: "Succeed" } : { Type: "Fail", Error: ABSORBED, Cause: "a failure handler ended the execution succeeded" });
        if (depth > 0) absorbed = true;
      } else {
        next = stateName(ids[0], ".reraise");
        ctx.put(next, { Type: "Fail", ErrorPath: `${ERROR_PATH}.Error`, CausePath: `${ERROR_PATH}.Cause` });
      }
      for (const h of order.reverse()) next = emitStep(ctx, h, undefined, next);
      entry = next;
      known.set(key, entry);
    }
    const own = stateName(s.id);
    const on = handler.on ?? (handler.errors ? [] : ["any"]);
    if (s.kind === "fail") {
      // A Fail state has no Catch: the fail step hands its error to the handler itself, where a Catch would have put it.
      const st = current[own];
      const name = typeof st?.Error === "string" ? st.Error : undefined;
      if (!on.includes("any") && !(name !== undefined && (handler.errors ?? []).includes(name))) {
        diags.push(error(handler.pos, `step '${s.id}': a fail step fails with its own error${name !== undefined ? ` '${name}'` : ""}, which no error class names: its failure handler runs for it only with no 'on' or with 'errors' naming it`, { code: "stepfunctions-on-failure" }));
        return;
      }
      if (st?.Type === "Fail") {
        const error: { [k: string]: Json } = {};
        error[st.ErrorPath ? "Error.$" : "Error"] = (st.ErrorPath ?? st.Error ?? null) as Json;
        error[st.CausePath ? "Cause.$" : "Cause"] = (st.CausePath ?? st.Cause ?? null) as Json;
        current[own] = { Type: "Pass", ...(st.Comment !== undefined ? { Comment: st.Comment } : {}), Parameters: error, ResultPath: ERROR_PATH, Next: entry };
        return;
      }
    }
    catchInto(s, handler, entry, ERROR_PATH);
  };
  /** A catcher on each of the step's Task states (or its own Parallel or Map) for the handler's errors, into `entry`. */
  const catchInto = (s: Step, handler: FailureHandler, entry: string, resultPath: string | null) => {
    const own = stateName(s.id);
    const on = handler.on ?? (handler.errors ? [] : ["any"]);
    let caught = 0;
    for (const [n, st] of Object.entries(current)) {
      if ((n === own || n.startsWith(`${s.id}.`)) && (st.Type === "Task" || ((st.Type === "Parallel" || st.Type === "Map") && n === own))) {
        // A Parallel fails with the error of a Task in it: the names every such Task's integration gives the classes.
        const inner = st.Type === "Task" ? [String(st.Resource)] : branchTasks(st);
        const names = [...new Set([...(inner.length ? inner : ["aws"]).flatMap((r) => errorNames(integrationOf(r), on)), ...(handler.errors ?? [])])];
        st.Catch = [...((st.Catch as Json[] | undefined) ?? []), { ErrorEquals: names, ResultPath: resultPath, Next: entry }];
        caught++;
      }
    }
    // A Fail state of the step's own (a polled job that failed, a repeat past its calls, an endpoint's rollout) has no
    // Catch: where the handler takes its error, it hands the error on itself, as a Catch would have.
    const classes = new Set(errorNames("aws", on.filter((c) => c !== "any")));
    for (const [n, st] of Object.entries(current)) {
      if (!OWN_FAILS.some((x) => n === stateName(s.id, x)) || st.Type !== "Fail" || typeof st.Error !== "string") continue;
      if (!(on.includes("any") || classes.has(st.Error) || (handler.errors ?? []).includes(st.Error))) continue;
      current[n] = { Type: "Pass", Parameters: { Error: st.Error, Cause: (st.Cause ?? null) as Json }, ResultPath: resultPath, Next: entry };
    }
    if (!caught) diags.push(error(handler.pos, `step '${s.id}': a ${s.kind} step lowers to no state that can catch an error, so its failure handler would never run`, { code: "stepfunctions-on-failure" }));
  };

  /**
   * A map: an inline Map state over the list, whose ItemProcessor runs the
   * map's steps (planned as their own scope) with the item at `$.item`. A list
   * computed by an intrinsic is written first, by a Pass, where the map's own
   * result would go. With a result, each iteration ends at a Pass whose output
   * is that value, and the list of them is kept under the step's `results`.
   */
  const emitMap = (s: Step & { kind: "map" }, next: string | undefined): string => {
    const name = stateName(s.id);
    const items = s.items && render(ctx, s.items);
    let itemsPath: string | undefined;
    let before: string | undefined;
    if (!s.items || !items) {
      // Read from S3 by the Map itself (its ItemReader).
    } else if (isExpr(items) && /^\$\$?\./.test(items.expr) && !items.expr.includes("(")) itemsPath = items.expr;
    else {
      // A list computed by a function, or written out, is put where the map's results would go first.
      before = stateName(s.id, ".items");
      itemsPath = `$.steps${member(s.id)}.items`;
    }
    // Each item reshaped before it is batched: the selector is read where the Map runs, the item as read at $$.Map.Item.Value.
    const each = s.batch?.each && eachSelector(ctx, s.id, s.batch.each);
    const saved = current;
    const savedItem = ctx.mapItem;
    const outer = [...(ctx.mapStack ?? [])];
    current = {};
    mapDepth++;
    ctx.mapItem = true;
    ctx.mapStack = [...outer, s.id];
    let last: string | undefined;
    if (s.result) {
      last = stateName(s.id, ".result");
      ctx.put(last, resultPass(oneParameter(ctx, RESULT_KEY, s.result)));
    }
    const start = emitShape(plan.maps.get(s.id)!, last, stateName(s.id, ".each.end"));
    let inner = perIteration(reorder(current, start));
    ctx.mapItem = savedItem;
    ctx.mapStack = outer;
    mapDepth--;
    current = saved;
    // An inner map's index repeats in each outer iteration.
    if (outer.length && JSON.stringify(inner).includes(INDEX_READ)) diags.push(error(s.pos, `map '${s.id}' is inside map '${outer.at(-1)}', and its steps name what they start per iteration by an index that repeats in each iteration of '${outer.at(-1)}'`, { code: "stepfunctions-map", hint: "start jobs from the outer map, or name them from the items" }));
    const dist = distributedMap(ctx, s);
    const label = s.distributed?.label;
    const first = label ? labels.get(label) : undefined;
    if (label && first) {
      // Said at the later of the two in the file, whichever is lowered first.
      const [a, b] = first.pos.line < s.pos.line || (first.pos.line === s.pos.line && first.pos.col <= s.pos.col) ? [first, s] : [s, first];
      diags.push(error(b.distributed!.pos, `map '${b.id}' has label '${label}', which map '${a.id}' has: a label names a map's runs, one map each`, { code: "stepfunctions-map" }));
    } else if (label) labels.set(label, s);
    // The iteration's id: a child execution's own name; inline, the run's name with the item's index (which repeats inside an outer map).
    if (JSON.stringify(inner).includes(ITERATION_RUN_MARK)) {
      if (!dist && outer.length) diags.push(error(s.pos, `map '${s.id}' is inside map '${outer.at(-1)}', and its steps read iteration.id, made of an index that repeats in each iteration of '${outer.at(-1)}'`, { code: "stepfunctions-map", hint: "make the inner map distributed: each of its iterations is then a child execution with a name of its own" }));
    }
    let entry = start;
    if (dist) {
      // A child execution has an Execution of its own: the run's fields come from the data it is handed.
      inner = runFromInput(inner);
      if (s.batch) {
        // A batch has no item index to make names unique per iteration.
        if (JSON.stringify(inner).includes(INDEX_READ)) diags.push(error(s.batch.pos, `map '${s.id}': its steps name what they start per iteration, and a batch of items has no iteration index to name them by`, { code: "stepfunctions-map", hint: "start jobs from a map without 'batch', or name them from the items" }));
        entry = stateName(s.id, ".batch");
        inner = { [entry]: { Type: "Pass", Parameters: {}, Next: start }, ...inner };
      }
    }
    inner = swapInPaths(inner, ITERATION_RUN_MARK, dist ? ITERATION_RUN_CHILD : ITERATION_RUN_INLINE);
    const state: State = {
      Type: "Map",
      ...(itemsPath ? { ItemsPath: itemsPath } : {}),
      ...(dist?.reader ? { ItemReader: dist.reader } : {}),
      ...(s.batch ? (each ? { ItemSelector: each } : {}) : { ItemSelector: {} }),
      ...(s.batch ? { ItemBatcher: { ...(s.batch.max_items !== undefined ? { MaxItemsPerBatch: s.batch.max_items } : {}), ...(s.batch.max_bytes !== undefined ? { MaxInputBytesPerBatch: s.batch.max_bytes } : {}), BatchInput: {} } } : {}),
      ItemProcessor: { [MAP_OF]: s.id, ProcessorConfig: dist ? { Mode: "DISTRIBUTED", ExecutionType: dist.executionType } : { Mode: "INLINE" }, StartAt: entry, States: inner },
      ...(s.concurrency !== undefined ? { MaxConcurrency: s.concurrency } : {}),
      ...(s.tolerate?.count !== undefined ? { ToleratedFailureCount: s.tolerate.count } : {}),
      ...(s.tolerate?.percent !== undefined ? { ToleratedFailurePercentage: s.tolerate.percent } : {}),
      ...(s.distributed?.label ? { Label: s.distributed.label } : {}),
      ...(dist?.writer ? { ResultWriter: dist.writer } : {}),
      // The iterations' results are kept only where the map says what each gives back (and does not write them to S3).
      ...(s.result && !s.results_to ? keptResults(s.id) : { ResultPath: null }),
    };
    mapsAround.set(s.id, outer);
    ctx.put(name, link(state, next));
    if (before && items && s.items) {
      ctx.put(before, { Type: "Pass", Parameters: isExpr(items) ? { "items.$": items.expr } : oneParameter(ctx, "items", s.items), ResultPath: `$.steps${member(s.id)}`, Next: name });
      return before;
    }
    return name;
  };

  /** Foreach steps whose copies' results, kept as one list in the state data, may pass its limit: their results are dropped or said when the machine is built. */
  const overPayload: Array<{ s: Step; count: number; bytes: number }> = [];
  const resultsFit = (s: Step, count: number) => {
    const first = ((current[stateName(s.id)]?.Branches as Array<{ States: States }> | undefined)?.[0]?.States ?? {})[copyName(s.id, 0)];
    if (!first?.ResultSelector || !s.foreach) return;
    const bytes = count * (selectedBytes(first.ResultSelector) + 1);
    if (bytes > payloadCap) overPayload.push({ s, count, bytes });
  };

  const emitUnit = (id: string, next: string | undefined, copies?: { from: number; to: number }, cut?: { then: PieceShape; else: PieceShape }): string => {
    const saved = owner;
    owner = id;
    const entry = copies || cut ? emitUnitBody(id, next, copies, cut) : emitOnce(id, next);
    if (!hoisted.has(id)) attachHandlers(byId.get(id)!, next);
    owner = saved;
    return entry;
  };

  /**
   * A step outside any Map, taken as the whole build wrote it where a piece goes on to the same state after it
   * (shallow copies: what is added later, a Catch or a Parallel branch's OutputPath, is set on the copy).
   */
  const emitOnce = (id: string, next: string | undefined): string => {
    const kept = written?.get(id);
    if (kept && kept.next === next) {
      for (const [name, st] of kept.states) ctx.put(name, { ...st });
      return kept.entry;
    }
    const s = byId.get(id)!;
    const keep = !piece && mapDepth === 0 && s.kind !== "condition" && s.kind !== "map" && !s.foreach;
    if (!keep) return emitUnitBody(id, next);
    const varied = ctx.varies!.n;
    const said = diags.length;
    recording = [];
    const entry = emitUnitBody(id, next);
    const states = recording;
    recording = undefined;
    if (ctx.varies!.n === varied && diags.length === said) units.set(id, { next, entry, states: states.map(([name, st]) => [name, { ...st }]) });
    return entry;
  };

  const emitUnitBody = (id: string, next: string | undefined, copies?: { from: number; to: number }, cut?: { then: PieceShape; else: PieceShape }): string => {
    const s = byId.get(id)!;
    if (s.kind === "condition") {
      if (s.foreach) diags.push(error(s.foreach.pos, `condition '${s.id}' cannot use foreach`, { code: "stepfunctions-foreach" }));
      const br: { then: PieceShape; else: PieceShape } = cut ?? plan.branches.get(id)!;
      // Last in its scope: each branch ends the scope itself, as the same steps after the condition would.
      // A branch without steps needs a state to go to: a Pass of the condition's own, shared by both.
      const empty = (sh: PieceShape) => sh.t === "seq" && sh.items.length === 0;
      const join = next ?? (empty(br.then) || empty(br.else) ? endState(stateName(id, ".end")) : undefined);
      const thenEntry = emitShape(br.then, join, stateName(id, ".end"));
      const elseEntry = emitShape(br.else, join, stateName(id, ".end"));
      return emitCondition(ctx, s, thenEntry, elseEntry);
    }
    if (s.kind === "map") return emitMap(s, next);
    if (s.foreach) {
      // Unrolled: one Parallel branch per item, results gathered in item order.
      const from = copies?.from ?? 0;
      const steps: Step[] = expandCopies(s, diags).slice(from, copies?.to);
      const entry = parallel(
        stateName(id),
        steps.map((c, i) => () => emitStep(ctx, c, from + i, undefined)),
        // Copies that keep no result change nothing in the state; merging their branches would take one intrinsic function per copy.
        NO_RESULT.has(s.kind) ? null : id,
        next,
      );
      if (dropped.has(id)) {
        // Each copy keeps an empty result: the list stays a few bytes a copy, and so does what the branches hand back.
        const branches = current[entry].Branches as Array<{ States: States }>;
        branches.forEach((b, k) => {
          const task = b.States[copyName(id, from + k)];
          if (task?.ResultSelector) task.ResultSelector = EMPTY_RESULT[s.kind] ?? {};
        });
      } else if (!piece && !NO_RESULT.has(s.kind)) resultsFit(s, steps.length);
      return entry;
    }
    return emitStep(ctx, s, undefined, next);
  };

  const bodyEntry = emitShape(piece?.shape ?? plan.shape, undefined, "Done");
  const body = current;
  plainPayloads(ctx, body, p.pos);
  renumberConsts(ctx.consts, body);

  const dated = piece?.child ? undefined : datesNeeded(p, diags);
  const init = piece?.child ? childInput(ctx.consts, bodyEntry) : parameterStates(p, ctx.consts, dated ? RUN_VALUES_STATE : bodyEntry);
  if (dated) {
    // Then each variable read with a fallback, in the order of their keys (input-defaults.ts).
    const reads = dated.defaults.filter((d) => d.variable !== undefined);
    const names = reads.map((d) => variableStateName(d.key));
    init[RUN_VALUES_STATE] = logicalDateState(dated, names[0] ?? bodyEntry);
    reads.forEach((d, i) => (init[names[i]] = variableState(d.variable!, d.key, names[i + 1] ?? bodyEntry)));
  }
  // The state's top-level keys once the input is read: what a gathering Parallel carries over.
  const kept = piece?.child ? ["params", "steps", ...(ctx.consts.size ? ["const"] : []), "run"] : Object.keys((init[INIT.params] ?? init[INIT.start]).Parameters as { [k: string]: Json }).map((k) => k.replace(/\.\$$/, ""));
  // Each iteration sees what the state holds, and its item (and the items of the maps around it).
  const withIndex = new Set<string>();
  for (const m of marked(body, (s) => s.Type === "Map" && (s.ItemProcessor as { [MAP_OF]?: string })[MAP_OF] !== undefined)) {
    const proc = m.ItemProcessor as { [MAP_OF]?: string; ProcessorConfig: { Mode: string }; StartAt: string; States: States };
    const id = proc[MAP_OF]!;
    const around = mapsAround.get(id)!;
    delete proc[MAP_OF];
    const text = JSON.stringify(proc.States);
    const sel: { [k: string]: Json } = Object.fromEntries(kept.map((k) => [`${k}.$`, `$.${k}`]));
    if (around.length) sel.items = Object.fromEntries(around.map((id, i) => [`${id}.$`, i === around.length - 1 ? "$.item" : `$.items${member(id)}`]));
    // A child execution reads the run's own fields from what it is handed (see runFromInput).
    const runRead = Object.keys(RUN_FIELDS).filter((f) => text.includes(`$.run.${f}`));
    if (proc.ProcessorConfig.Mode === "DISTRIBUTED" && !kept.includes("run") && runRead.length) sel.run = Object.fromEntries(runRead.map((f) => [`${f}.$`, RUN_FIELDS[f]]));
    if (m.ItemBatcher) {
      // Each child is handed {BatchInput, Items}: its first Pass lays them out as an iteration's data.
      (m.ItemBatcher as { BatchInput: Json }).BatchInput = sel;
      proc.States[proc.StartAt].Parameters = { ...Object.fromEntries(Object.keys(sel).map((k) => [`${k.replace(/\.\$$/, "")}.$`, `$.BatchInput.${k.replace(/\.\$$/, "")}`])), "item.$": "$.Items" };
      continue;
    }
    sel["item.$"] = "$$.Map.Item.Value";
    // The index only where names generated inside read it.
    if (text.includes(INDEX_READ)) {
      sel["index.$"] = "$$.Map.Item.Index";
      withIndex.add(id);
    }
    m.ItemSelector = sel;
  }
  for (const st of marked(body, (s) => s.Type === "Parallel" && (s.ResultSelector as { [GATHER_OF]?: number } | undefined)?.[GATHER_OF] !== undefined)) {
    const g = gathering[(st.ResultSelector as { [GATHER_OF]: number })[GATHER_OF]];
    st.ResultSelector = gatherSelector(g.branches, g.inMap ? [...kept, "item", ...(g.nested ? ["items"] : []), ...(g.map && withIndex.has(g.map) ? ["index"] : [])] : kept);
  }
  for (const m of merging) {
    const sel = m.Parameters as { [k: string]: Json };
    for (const k of kept) sel[`${k}.$`] = k === "steps" ? "States.JsonMerge($.steps, $.child, false)" : `$.${k}`;
  }
  for (const k of Object.keys(init)) {
    if (all.has(k)) diags.push(error(p.pos, `a state would be named '${k}' twice`, { code: "stepfunctions-state-name" }));
  }
  const start = Object.keys(init)[0] ?? bodyEntry;
  const states = reorder({ ...init, ...body }, start);
  let definition: Definition = { ...(p.description ? { Comment: p.description } : {}), StartAt: start, States: states };
  keepDisplayNames(facts.displayNames, states);
  definition = applySettings(p, facts.withSettings, definition, diags);
  // Without constants there is nothing to number (and a text that merely reads like a constant's path is the user's).
  if (ctx.consts.size) definition = { ...definition, States: numberConsts(definition.States) };
  if (piece?.child) definition = { ...definition, States: runFromInput(definition.States) };
  if (overPayload.length) {
    // Results no state reads need not be kept: built again without them (only a machine this large pays for it).
    const unread = overPayload.filter((o) => droppable(o.s) && !readElsewhere(definition.States, owners, o.s.id));
    if (unread.length) return buildDefinition(p, piece, { ...opts, drop: new Set([...dropped, ...unread.map((o) => o.s.id)]) });
    for (const { s, count, bytes } of overPayload) {
      diags.push(
        warning(s.foreach!.pos, `foreach step '${s.id}' keeps the results of its ${count} copies in the state data, about ${bytes} bytes (each value read from a result counted as ${PATH_VALUE_BYTES}); Step Functions passes at most ${payloadCap} bytes from state to state, and fails the execution past it (States.DataLimitExceeded)`, {
          code: "stepfunctions-payload",
          hint: "give the items to several foreach steps, or use a map step with results_to, which writes each iteration's result to S3",
        }),
      );
    }
  }
  if (!piece) {
    for (const id of dropped) {
      const s = byId.get(id)!;
      diags.push(
        warning(s.foreach!.pos, `foreach step '${id}': its ${s.foreach!.items.length} copies' results (what each ${s.kind === "lambda" ? "call" : "job"} returns) are not kept: no step reads them, and kept they would pass the ${payloadCap} bytes of state data Step Functions passes from state to state; each copy's result is ${JSON.stringify(EMPTY_RESULT[s.kind] ?? {})} in the execution's output`, {
          code: "stepfunctions-payload",
        }),
      );
    }
  }
  return { definition, diagnostics: diags, plan, owners, used, byId, handlerOf, dropped, units, facts };
}

/**
 * Copies whose result may be left out when no state reads it: a job's (its name and the like), a Lambda
 * call's outputs (unless the call repeats until its own outputs say so). A copy then keeps its kind's empty
 * result: a Lambda call `{"outputs": {}}`, as one that declares no outputs, so the importer reads it back as such.
 */
const droppable = (s: Step): boolean => ["processing", "training", "tuning", "transform"].includes(s.kind) || (s.kind === "lambda" && !s.repeat);
const EMPTY_RESULT: Partial<Record<Step["kind"], Json>> = { lambda: { outputs: {} } };

/** Does a state other than step `id`'s own read its result (`$.steps.<id>`)? */
function readElsewhere(states: States, owners: ReadonlyMap<string, string>, id: string): boolean {
  for (const [name, st] of Object.entries(states)) {
    if (owners.get(name) !== id) {
      // The state's own fields; the states inside it are looked at one by one below.
      const reads = new Set<string>();
      for (const k in st) if (k !== "Branches" && k !== "ItemProcessor") scanReads({ [k]: st[k] }, reads);
      if (reads.has(id)) return true;
    }
    for (const scope of innerScopes(st)) if (readElsewhere(scope.States, owners, id)) return true;
  }
  return false;
}

/** The integration that starts a child machine and waits for it, its output parsed. */
export const START_CHILD = "arn:aws:states:::states:startExecution.sync:2";

/**
 * The ARN of another machine in the same partition, region and account as
 * this one, from this machine's own ARN (so a deploy to any region or account
 * finds the children it created there).
 */
export function siblingMachineArn(machine: string): string {
  const part = (i: number) => `States.ArrayGetItem(States.StringSplit($$.StateMachine.Id, ':'), ${i})`;
  return `States.Format('arn:{}:states:{}:{}:stateMachine:${escapeFormat(machine)}', ${part(1)}, ${part(3)}, ${part(4)})`;
}

/** A map's items read from S3 and its child executions, where it runs distributed. */
function distributedMap(ctx: EmitCtx, s: Step & { kind: "map" }): { reader?: { [k: string]: Json }; writer?: { [k: string]: Json }; executionType: string } | undefined {
  if (!s.distributed && !s.read && !s.batch && !s.tolerate && !s.results_to) return undefined;
  const executionType = s.distributed?.runs === "express" ? "EXPRESS" : "STANDARD";
  const writer = s.results_to && { Resource: S3_RESULT_WRITER, Parameters: { ...oneParameter(ctx, "Bucket", s.results_to.bucket), ...(s.results_to.prefix ? oneParameter(ctx, "Prefix", s.results_to.prefix) : {}) } };
  const r = s.read;
  if (!r) return { executionType, ...(writer ? { writer } : {}) };
  const where: { [k: string]: Json } = { ...oneParameter(ctx, "Bucket", r.bucket), ...(r.prefix ? oneParameter(ctx, "Prefix", r.prefix) : {}), ...(r.key ? oneParameter(ctx, "Key", r.key) : {}) };
  const config: { [k: string]: Json } = {
    ...(r.format ? { InputType: READER_FORMATS[r.format] } : {}),
    ...(r.format === "csv" ? (r.columns ? { CSVHeaderLocation: "GIVEN", CSVHeaders: r.columns } : { CSVHeaderLocation: "FIRST_ROW" }) : {}),
    ...(r.max_items !== undefined ? { MaxItems: r.max_items } : {}),
  };
  return {
    executionType,
    ...(writer ? { writer } : {}),
    reader: { Resource: !r.key ? S3_LIST_READER : S3_OBJECT_READER, ...(Object.keys(config).length ? { ReaderConfig: config } : {}), Parameters: where },
  };
}

/** Marks a Map state's ItemProcessor with its map's id until its ItemSelector is written. */
const MAP_OF = "__map";
/** Marks a gathering Parallel's ResultSelector with its entry in `gathering` until it is written. */
const GATHER_OF = "__gather";

/** The states, inner ones included, that `is` picks: found by their marks, as their iterations' copies are what the machine holds. */
function marked(states: States, is: (st: State) => boolean, out: State[] = []): State[] {
  for (const st of Object.values(states)) {
    if (is(st)) out.push(st);
    for (const scope of innerScopes(st)) marked(scope.States, is, out);
  }
  return out;
}

/** How ITERATION_ID reads the iteration's index, in the parent's execution or a child's. */
const INDEX_READ = ITERATION_ID.slice(ITERATION_ID.lastIndexOf(","));

/** A child's first state: its constants beside the input the parent passed (none when it has no constants). */
/** A batched Map's ItemSelector: `batch.each` read in the Map's input, each item (`item`) at `$$.Map.Item.Value`. */
function eachSelector(ctx: EmitCtx, map: string, each: Value): { [k: string]: Json } {
  const saved = { mapItem: ctx.mapItem, itemPath: ctx.itemPath, step: ctx.step };
  Object.assign(ctx, { mapItem: true, itemPath: "$$.Map.Item.Value", step: map });
  try {
    const r = template(ctx, each);
    return ("obj" in r ? r.obj : "lit" in r ? r.lit : {}) as { [k: string]: Json };
  } finally {
    Object.assign(ctx, saved);
  }
}

/**
 * What the machine's first states work out, if anything: the date a run is for on a schedule
 * with intervals (with the schedule's period), the dates add_days() moves it to, and the run's
 * input read with a fallback (default()). A schedule without a fixed period, another add_days()
 * or a default() whose fallback the state cannot work out is refused where it is read (render.ts).
 */
function datesNeeded(p: Pipeline, diags: Diagnostic[]): DatesNeeded | undefined {
  const shifts = new Set<number>();
  const defaults = new Map<string, { jsonata: string; variable?: string }>();
  let read = false;
  for (const s of p.steps) {
    walkStepValues(s, (v) =>
      walkValue(v, (n) => {
        const d = logicalDateShift(n);
        if (d !== undefined) shifts.add(d);
        const dflt = inputDefault(n);
        if (dflt && !("reason" in dflt)) defaults.set(dflt.key, { jsonata: dflt.jsonata, ...(dflt.variable !== undefined ? { variable: dflt.variable } : {}) });
        if (n.kind === "ref" && n.ref.scope === "execution" && (n.ref.name === "logical_date" || n.ref.name === "logical_date_nodash")) read = true;
      }),
    );
  }
  const period = p.schedule?.intervals && read ? schedulePeriod(p.schedule) : undefined;
  const dated = period && "seconds" in period;
  if (!dated && !shifts.size && !defaults.size) return undefined;
  for (const prefix of [LOGICAL_DATE_KEY, INPUT_DEFAULT_PREFIX, VARIABLE_DEFAULT_PREFIX]) {
    const clash = p.parameters.find((x) => x.name.startsWith(prefix));
    if (clash) diags.push(error(clash.pos, `parameter '${clash.name}': the machine keeps values a run reads under names starting '${prefix}' beside the parameters`, { code: "stepfunctions-parameter", hint: "rename the parameter" }));
  }
  return { period: dated ? period.seconds : undefined, shifts: [...shifts].sort((a, b) => a - b), defaults: [...defaults].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, d]) => ({ key, ...d })) };
}

function childInput(consts: Map<string, string>, next: string): States {
  if (!consts.size) return {};
  return { [INIT.input]: { Type: "Pass", Parameters: { "params.$": "$.params", "steps.$": "$.steps", const: Object.fromEntries(consts), "run.$": "$.run" }, Next: next } };
}


/** A constant read (`$.const.c3`), and the text every one contains. */
const CONST_READ = /\$\.const\.(c[0-9]+)(?![0-9])/g;
const CONST_MARK = "$.const.c";

/**
 * Each key and text of `v` in the order JSON.stringify writes them (a walk, not a text of megabytes);
 * `member`, if given, sees each object under a key before its keys are read.
 */
function eachText(v: Json, f: (text: string) => void, member?: (o: { [k: string]: Json }, key: string) => void, key?: string): void {
  if (typeof v === "string") f(v);
  else if (Array.isArray(v)) for (const x of v) eachText(x, f, member);
  else if (v !== null && typeof v === "object") {
    if (member && key !== undefined) member(v, key);
    for (const k in v) {
      if (v[k] === undefined) continue;
      f(k);
      eachText(v[k], f, member, k);
    }
  }
}

/**
 * Constants (`$.const.cN`) numbered in the order the machine reads them, not the order its steps were
 * emitted in: the same machine gets the same names however its pipeline lists the steps.
 */
function numberConsts(states: States): States {
  const seen = new Set<string>();
  // Keys of the constant tables, in the order met: those nothing reads yet go last.
  const tabled: string[] = [];
  const reads = (text: string) => {
    if (text.includes(CONST_MARK)) for (const m of text.matchAll(CONST_READ)) seen.add(m[1]);
  };
  eachText(states as Json, reads, (o, key) => {
    if (key === "const") for (const k in o) if (/^c[0-9]+$/.test(k)) tabled.push(k);
  });
  for (const k of tabled) seen.add(k);
  const order = [...seen];
  const names = new Map(order.map((k, i) => [k, `c${i}`]));
  if (order.every((k, i) => k === `c${i}`)) return states;
  const rename = (v: Json, key?: string): Json => {
    if (typeof v === "string") return v.includes(CONST_MARK) ? v.replace(CONST_READ, (m, k: string) => `$.const.${names.get(k) ?? k}`) : v;
    if (Array.isArray(v)) return v.map((x) => rename(x));
    if (v === null || typeof v !== "object") return v;
    if (key === "const" && Object.keys(v).every((k) => /^c[0-9]+$/.test(k))) {
      const table = Object.entries(v).map(([k, x]) => [names.get(k) ?? k, x] as const);
      return Object.fromEntries(table.sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1))));
    }
    const out: { [k: string]: Json } = {};
    for (const k in v) out[k] = rename(v[k], k);
    return out;
  };
  return rename(states as Json) as States;
}

/** A step's display name is the Comment of the state named after its id (states are named by id). */
function keepDisplayNames(named: ReadonlyMap<string, string>, states: States): void {
  if (!named.size) return;
  const visit = (sts: States) => {
    for (const [name, st] of Object.entries(sts)) {
      const d = named.get(name);
      if (d !== undefined && st.Comment === undefined) sts[name] = { Comment: d, ...st };
      for (const b of innerScopes(st)) visit(b.States);
    }
  };
  visit(states);
}

/** Pipeline-level settings that belong to the state machine definition. */
const DEFINITION_KEYS = ["Comment", "TimeoutSeconds", "Version"];
/** Pipeline-level settings read when deploying (CreateStateMachine request members). */
export const DEPLOY_KEYS = ["roleArn", "loggingConfiguration", "tracingConfiguration"];

/**
 * `targets.stepfunctions` settings: the pipeline's definition keys into the
 * state machine (`Comment`, `TimeoutSeconds`), its deploy keys left to
 * `switchyard deploy` (`roleArn`, ...), and a step's into its Task states
 * (`Comment`, `HeartbeatSeconds`), by the shared merge rule (src/backend/settings.ts).
 */
function applySettings(p: Pipeline, bySettings: Step[], definition: Definition, diags: Diagnostic[]): Definition {
  const bag = p.targets.stepfunctions;
  let out = definition;
  if (bag) {
    const forDefinition: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(bag.settings)) {
      if (DEFINITION_KEYS.includes(k)) forDefinition[k] = v;
      else if (!DEPLOY_KEYS.includes(k)) {
        diags.push(error(bag.pos, `unknown Step Functions setting '${k}'`, { code: "stepfunctions-settings", hint: `pipeline-level settings: ${[...DEFINITION_KEYS, ...DEPLOY_KEYS].join(", ")}` }));
      }
    }
    // A Comment setting replaces the description: written where settings go (after States), so it reads back as the setting.
    if ("Comment" in forDefinition) out = Object.fromEntries(Object.entries(definition).filter(([k]) => k !== "Comment")) as Definition;
    out = deepMerge(out, forDefinition);
  }
  if (!bySettings.length) return out;
  const visit = (states: States) => {
    for (const [name, st] of Object.entries(states)) {
      const owner = bySettings.find((s) => ownsState(s, name));
      if (owner && st.Type === "Task") states[name] = deepMerge(st, owner.targets.stepfunctions.settings);
      for (const b of innerScopes(st)) visit(b.States);
    }
  };
  visit(out.States);
  return out;
}

function expandCopies(s: Step, diags: Diagnostic[]): Step[] {
  try {
    return expandForeach(s).map((c) => c.step);
  } catch (e) {
    diags.push(error(s.pos, `step '${s.id}': ${(e as Error).message}`, { code: "stepfunctions-foreach" }));
    return [];
  }
}

/** States in reading order: depth first from the start, the `then` path before `else`, `Next` last. */
export function reorder(states: States, start: string): States {
  const out: States = {};
  // A stack, not recursion: a chain of 10,000 steps is 10,000 states deep. Successors are pushed last
  // first, so they are taken in the order a recursive walk would take them.
  const todo: Array<string | undefined> = [start];
  while (todo.length) {
    const name = todo.pop();
    if (name === undefined || out[name] || !states[name]) continue;
    const st = states[name];
    out[name] = st;
    // Choices, Default, Next, then Catch, pushed in reverse.
    const catches = st.Catch as State[] | undefined;
    if (catches) for (let i = catches.length - 1; i >= 0; i--) todo.push(catches[i].Next as string);
    if (st.Next) todo.push(st.Next as string);
    if (st.Default) todo.push(st.Default as string);
    const choices = st.Choices as State[] | undefined;
    if (choices) for (let i = choices.length - 1; i >= 0; i--) todo.push(choices[i].Next as string);
  }
  for (const k of Object.keys(states)) {
    if (out[k]) continue;
    // A scope's closing no-op Pass that nothing reaches (every branch before it ends in a Fail) is left
    // out, in a Parallel branch too (where it also selects the branch's output): Step Functions rejects
    // unreachable states. Any other unreachable state stays, to be reported.
    const st = states[k];
    if (st.Type === "Pass" && st.End === true && Object.keys(st).every((key) => key === "Type" || key === "End" || key === "OutputPath")) continue;
    out[k] = st;
  }
  return out;
}

/** The quotas a machine must fit (limits.ts): what the split aims at. */
export function machineLimits(): SplitLimits {
  const of = (id: string) => LIMITS.find((l) => l.id === id)!.value;
  return { bytes: of("definition-size"), events: of("history-events") };
}

/**
 * The definition a machine file was written from, by file: checkLimits reads the machine from it
 * rather than parsing the text back (megabytes, for a large pipeline).
 */
const writtenFrom = new WeakMap<OutputFile, { contents: string; definition: Definition }>();

function machineFile(file: OutputFile, definition: Definition): OutputFile {
  writtenFrom.set(file, { contents: file.contents, definition });
  return file;
}

const unchanged = (file: OutputFile) => {
  const w = writtenFrom.get(file);
  return w && w.contents === file.contents ? w.definition : undefined;
};

/** The text of a machine file while it is unchanged: JSON.stringify's text of the definition it was written from. */
export const writtenText = (file: OutputFile): string | undefined => (unchanged(file) ? file.contents : undefined);

/** The definition of a machine file: the one it was written from while the file is unchanged, else its text parsed. */
export function machineOf(file: OutputFile, last = false): Definition {
  const definition = unchanged(file);
  // Read for the last time (checkLimits follows the lowering): the definition need not outlive the check.
  if (last) writtenFrom.delete(file);
  return definition ?? (JSON.parse(file.contents) as Definition);
}

/**
 * The size of a machine file as written and as deploy sends it. The file is JSON.stringify's
 * text (indented, or for a child machine not), whose whitespace outside strings is all
 * indentation: minified, it is the unindented text.
 */
export function machineSize(file: OutputFile): DefinitionSize {
  const definition = unchanged(file);
  return definition ? { written: Buffer.byteLength(file.contents, "utf8"), sent: sentBytes(definition), checked: "sent" } : definitionSize(file.contents);
}

/** Lower `p`; a machine over `limits` is split into a parent and child machines (split.ts) when its parts fit. */
export function lowerPipeline(pipeline: Pipeline, limits: SplitLimits = machineLimits()): LowerResult {
  const p = withVariableReads(pipeline);
  const full = buildDefinition(p, undefined, { payload: limits.payload });
  const { diagnostics, plan } = full;
  let definition = full.definition;
  let children: Child[] = [];
  let unsplit: { sentBytes: number; historyEvents: number } | undefined;
  if (!hasErrors(diagnostics) && !fits(definition, limits)) {
    unsplit = { sentBytes: sentBytes(definition), historyEvents: historyOf(definition).events };
    const r = splitMachine(p, full, limits);
    if (r.split) {
      definition = r.split.parent.definition;
      children = r.split.children;
      diagnostics.push(
        warning(p.pos, `the state machine (${unsplit.sentBytes} bytes sent, ${unsplit.historyEvents} history events as one machine) is split into a parent and ${children.length} child machines, ${p.name}-part-1..${children.length}, that it starts and waits for (see the compile summary)`, {
          code: "stepfunctions-split",
          hint: `the machine's role needs states:StartExecution on ${p.name}-part-*, states:DescribeExecution and states:StopExecution on their executions, and events:PutTargets, events:PutRule, events:DescribeRule on the rule StepFunctionsGetEventsForStepFunctionsExecutionRule`,
        }),
      );
    } else {
      diagnostics.push(warning(p.pos, `the state machine is over a Step Functions limit and could not be split into child machines: ${r.problem}`, { code: "stepfunctions-split" }));
    }
  }
  const files: OutputFile[] = [];
  const defText = JSON.stringify(definition, null, 2) + "\n";
  files.push(machineFile({ path: FILES.definition, kind: "definition", contents: defText }, definition));
  // Child machines are written as deploy sends them: made by the split, not by hand, and nested so deep that
  // indentation would be most of the text (130 MB written for 22 MB sent at 10,000 steps).
  for (const c of children) files.push(machineFile({ path: c.path, kind: CHILD_KIND, contents: sentText(c.built.definition) + "\n" }, c.built.definition));
  if (p.schedule) {
    const sch = scheduleRequest(p);
    diagnostics.push(...sch.diagnostics);
    if (sch.request) files.push({ path: FILES.schedule, kind: "schedule", contents: JSON.stringify(sch.request, null, 2) + "\n" });
  }
  files.push(codeManifestFile(p));
  const summary = {
    states: countStates(definition.States),
    definitionBytes: Buffer.byteLength(defText, "utf8"),
    // Limits are checked on the bytes deploy sends (the minified definition).
    definitionSize: definitionSize(defText),
    historyEvents: historyOf(definition),
    addedOrderings: plan.added.map(([a, b]) => `${a} -> ${b}`),
    addedPairs: plan.addedPairs,
    layout: plan.strategies,
    criticalPath: plan.criticalPath,
    ...(children.length
      ? {
          split: {
            why: `one machine would be ${unsplit!.sentBytes} bytes sent and ${unsplit!.historyEvents} history events, over ${limits.bytes} bytes or ${limits.events} events`,
            how: "the parent starts each child machine (states:startExecution.sync:2, named after the parent's execution) and waits for it; a child gets the parameters and the step results it reads, and returns the results later steps read",
            unsplit,
            children: children.map((c) => ({
              file: c.path,
              machine: c.machine,
              steps: c.steps,
              ...(c.copies ? { copies: c.copies } : {}),
              sentBytes: sentBytes(c.built.definition),
              historyEvents: historyOf(c.built.definition).events,
              reads: c.call.reads,
              returns: c.call.returns,
            })),
            valuesPassed: children.reduce((n, c) => n + c.call.reads.length + c.call.returns.length, 0),
          },
        }
      : {}),
  };
  return { files: hasErrors(diagnostics) ? [] : files, diagnostics, summary };
}

export { CHILD_KIND } from "./split.js";

export function countStates(states: States): number {
  let n = 0;
  for (const st of Object.values(states)) {
    n++;
    for (const b of innerScopes(st)) n += countStates(b.States);
  }
  return n;
}

/**
 * Constant texts numbered in the order the machine first reads them, not in
 * the order the steps were rendered: the same machine whatever the order of
 * the pipeline's steps (a lifted pipeline lowers to the very same file).
 */
function renumberConsts(consts: Map<string, string>, body: States): void {
  if (consts.size < 2) return;
  const order = new Map<string, string>();
  const reads = (text: string) => {
    if (text.includes(CONST_MARK)) for (const m of text.matchAll(/\$\.const\.(c\d+)\b/g)) if (!order.has(m[1])) order.set(m[1], `c${order.size}`);
  };
  eachText(body as unknown as Json, reads);
  for (const k of consts.keys()) if (!order.has(k)) order.set(k, `c${order.size}`);
  // The states and their scopes in place: states are also held elsewhere (the merging Passes completed below).
  // What they hold is copied where a text changes: a split's pieces share it with the whole build (see plainPayloads).
  const renameIn = (v: Json): Json => {
    if (typeof v === "string") return v.includes(CONST_MARK) ? v.replace(/\$\.const\.(c\d+)\b/g, (_, c: string) => `$.const.${order.get(c)}`) : v;
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) {
      let list: Json[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const x = renameIn(v[i]);
        if (x !== v[i]) (list ??= v.slice())[i] = x;
      }
      return list ?? v;
    }
    let out: { [k: string]: Json } | undefined;
    for (const k in v) {
      const x = renameIn(v[k]);
      if (x !== v[k]) (out ??= { ...v })[k] = x;
    }
    return out ?? v;
  };
  const inPlace = (o: { [k: string]: Json }, scope: (k: string, v: Json) => boolean) => {
    for (const k in o) {
      const v = o[k];
      if (scope(k, v)) continue;
      const x = renameIn(v);
      if (x !== v) o[k] = x;
    }
  };
  const inScope = (b: { [k: string]: Json }) => inPlace(b, (k, v) => k === "States" && (inStates(v as unknown as States), true));
  const inStates = (sts: States) => {
    for (const name in sts) {
      inPlace(sts[name] as { [k: string]: Json }, (k, v) => {
        if (k === "Branches") for (const b of v as Array<{ [k: string]: Json }>) inScope(b);
        else if (k === "ItemProcessor") inScope(v as { [k: string]: Json });
        else return false;
        return true;
      });
    }
  };
  inStates(body);
  const renamed = [...consts].map(([k, text]) => [order.get(k)!, text] as const).sort((a, b) => Number(a[0].slice(1)) - Number(b[0].slice(1)));
  consts.clear();
  for (const [k, text] of renamed) consts.set(k, text);
}

/** The aws steps whose response some expression reads and which Step Functions spells otherwise than the API. */
function keptResultCasings(p: Pipeline, responsesUsed: ReadonlyMap<string, ReadonlySet<string>>): Map<string, ActionCasing> {
  const out = new Map<string, ActionCasing>();
  for (const s of p.steps) {
    // A callback's result is what the token's sender returns, as it returns it.
    if (s.kind !== "aws" || s.callback || !responsesUsed.has(s.id)) continue;
    const c = keptResultCasing(s.service, s.action, s.request, !!s.wait, new Set([...Object.keys(s.outputs), ...responsesUsed.get(s.id)!]));
    if (c) out.set(s.id, c);
  }
  return out;
}
