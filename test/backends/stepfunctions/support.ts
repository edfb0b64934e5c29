/** Shared test support: load pipelines, lower them, validate and run the ASL locally. */
import { createRequire } from "node:module";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripPositions } from "../../../src/ir/values.js";
import { expect } from "vitest";
import jsonataLibrary from "jsonata";
import { loadPipelineFile, loadYamlText } from "../../../src/frontends/load.js";
import type { Pipeline } from "../../../src/ir/types.js";
import type { LowerResult } from "../../../src/backend/types.js";
import backend from "../../../backends/stepfunctions/index.js";

/**
 * The same pipeline written in YAML and in the TypeScript DSL, each read from a file as the CLI reads it:
 * TypeScript's errors, and each one's steps without positions.
 */
export async function yamlAndTs(yamlText: string, tsText: string): Promise<{ tsErrors: unknown[]; fromYaml: unknown; fromTs: unknown }> {
  const dir = mkdtempSync(join(tmpdir(), "sy-dsl-"));
  writeFileSync(join(dir, "p.yaml"), yamlText);
  writeFileSync(join(dir, "p.ts"), tsText);
  const fromYaml = await loadPipelineFile(join(dir, "p.yaml"));
  const fromTs = await loadPipelineFile(join(dir, "p.ts"));
  const steps = (r: typeof fromTs) => r.pipeline && stripPositions(r.pipeline).steps;
  return { tsErrors: fromTs.diagnostics.filter((d) => d.severity === "error"), fromYaml: steps(fromYaml), fromTs: steps(fromTs) };
}

export async function fixture(name: string, opts: { dropCache?: boolean } = {}): Promise<Pipeline> {
  const r = await loadPipelineFile(`fixtures/${name}.yaml`);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const p = r.pipeline!;
  if (opts.dropCache) for (const s of p.steps) delete s.cache;
  return p;
}

export function yaml(text: string, file = "inline.yaml"): Pipeline {
  const r = loadYamlText(text, file, "fixtures");
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((d) => `${d.pos?.line}:${d.pos?.col} ${d.message}`).join("\n"));
  return r.pipeline!;
}

export function lower(p: Pipeline): LowerResult & { definition: Record<string, any> } {
  const r = backend.lower(p, { baseDir: "fixtures", options: {} });
  const def = r.files.find((f) => f.kind === "definition");
  return { ...r, definition: def ? JSON.parse(def.contents) : undefined };
}

const require = createRequire(import.meta.url);

/** asl-validator 4.0.0 (it mutates its input, so it gets a deep copy). */
export function aslValidator(def: unknown): { isValid: boolean; errors: unknown[] } {
  const mod = require("asl-validator") as { default?: unknown };
  const validate = (mod.default ?? mod) as (d: unknown) => { isValid: boolean; errors: unknown[] };
  return validate(structuredClone(def));
}

/** amazon-states-language-service diagnostics, as "line: message". */
export async function languageService(text: string): Promise<string[]> {
  const { getLanguageService } = require("amazon-states-language-service") as typeof import("amazon-states-language-service");
  const { TextDocument } = await import("vscode-languageserver-textdocument");
  const ls = getLanguageService({});
  const doc = TextDocument.create("file:///machine.asl.json", "json", 1, text);
  const diags = await ls.doValidation(doc, ls.parseJSONDocument(doc));
  return diags.map((d) => `${d.range.start.line + 1}: ${d.message}`);
}

export type Handler = (input: any) => unknown;

export interface RunOutcome {
  status: "SUCCEEDED" | "FAILED";
  output?: any;
  error?: string;
  cause?: string;
  /** Task state names in the order their handlers were called / finished. */
  started: string[];
  finished: string[];
  inputs: Record<string, any[]>;
}

/**
 * Run a definition in aws-local-stepfunctions with every Task answered by `handlers` (by state name).
 * Waits take no time unless `realWaits` (then each waits what its Seconds or SecondsPath says).
 */
export async function run(def: unknown, input: unknown, handlers: Record<string, Handler>, execName = "exec-1", realWaits = false): Promise<RunOutcome> {
  const { StateMachine, ExecutionError } = await import("aws-local-stepfunctions");
  const context = {
    Execution: { Id: `arn:aws:states:us-east-1:111122223333:execution:machine:${execName}`, Name: execName, StartTime: "2026-01-05T06:00:00Z", [INPUT_KEY]: structuredClone(input) },
    StateMachine: { Id: "arn:aws:states:us-east-1:111122223333:stateMachine:machine", Name: "machine" },
    State: { RetryCount: 0 },
    Task: { Token: "local-task-token" },
  };
  const jsonata = jsonataPasses(def, { ...context, Execution: { ...context.Execution, Input: structuredClone(input) } });
  def = jsonata.def;
  handlers = { ...handlers, ...jsonata.handlers };
  const sm = new StateMachine(handDownInput(structuredClone(def)) as never);
  const started: string[] = [];
  const finished: string[] = [];
  const inputs: Record<string, any[]> = {};
  const wrapped: Record<string, (i: any) => Promise<any>> = {};
  const taskNames = new Set<string>();
  collectTasks(def as any, taskNames);
  for (const name of taskNames) {
    wrapped[name] = async (i: any) => {
      const h = handlers[name];
      if (!h) throw new Error(`no handler for task '${name}'`);
      started.push(name);
      (inputs[name] ??= []).push(i);
      await new Promise((r) => setImmediate(r));
      const out = await h(i);
      finished.push(name);
      return out as any;
    };
  }
  const waits: Record<string, number> = {};
  const retries: Record<string, number> = {};
  collectWaitsAndRetries(def as any, waits, retries);
  const ex = sm.run(input as never, {
    overrides: { taskResourceLocalHandlers: wrapped, waitTimeOverrides: realWaits ? {} : waits, retryIntervalOverrides: retries },
    context: context as never,
  });
  try {
    const output = await ex.result;
    return { status: "SUCCEEDED", output, started, finished, inputs };
  } catch (e) {
    if (!(e instanceof ExecutionError)) throw e;
    const cause = (e as { cause?: { name?: string; message?: string } }).cause;
    return { status: "FAILED", error: cause?.name, cause: cause?.message, started, finished, inputs };
  }
}

/**
 * aws-local-stepfunctions runs JSONPath only. A JSONata Pass state of a JSONPath machine runs as a
 * Task of the same name whose handler evaluates the state's Output with the jsonata library, with
 * `$states` holding the state's input and the context the harness sets (its StartTime, not the
 * one aws-local-stepfunctions gives the JSONPath states; the execution input).
 */
function jsonataPasses(def: any, context: unknown): { def: any; handlers: Record<string, Handler> } {
  const handlers: Record<string, Handler> = {};
  const swap = (d: any): any => {
    const states: Record<string, any> = {};
    for (const [name, st] of Object.entries<any>(d.States)) {
      if (st.Type === "Pass" && st.QueryLanguage === "JSONata") {
        const { Output, Next, End, ...rest } = st;
        expect(Object.keys(rest).sort(), `JSONata Pass '${name}' has only Output`).toEqual(["QueryLanguage", "Type"]);
        const m = /^\{%([\s\S]*)%\}$/.exec(Output);
        expect(m, `'${name}' Output is one JSONata expression`).not.toBeNull();
        const expr = jsonataLibrary(m![1]);
        handlers[name] = (input) => expr.evaluate({}, { states: { input, context } });
        states[name] = { Type: "Task", Resource: "arn:aws:lambda:us-east-1:111122223333:function:jsonata", ...(Next ? { Next } : { End }) };
        continue;
      }
      const inner: Record<string, unknown> = {};
      if (st.Branches) inner.Branches = st.Branches.map(swap);
      if (st.ItemProcessor) inner.ItemProcessor = swap(st.ItemProcessor);
      if (st.Iterator) inner.Iterator = swap(st.Iterator);
      states[name] = { ...st, ...inner };
    }
    return { ...d, States: states };
  };
  return { def: swap(def), handlers };
}

/**
 * aws-local-stepfunctions runs each Map iteration and each Parallel branch as
 * an execution of its own, whose `$$.Execution.Input` is that scope's input;
 * Step Functions keeps the execution's input there. And States.JsonMerge
 * merges into its first argument in place (Object.assign), so a merge over
 * the execution input would change it for later states. The harness hands the
 * input down in the context, which every scope shares, and merges over a copy.
 */
const INPUT_KEY = "SwitchyardInput";
function handDownInput(def: any): any {
  const swap = (v: any, inPath: boolean): any => {
    if (typeof v === "string" && inPath) {
      return v.split("States.JsonMerge($$.Execution.Input,").join(`States.JsonMerge(States.StringToJson(States.JsonToString($$.Execution.${INPUT_KEY})),`).split("$$.Execution.Input").join(`$$.Execution.${INPUT_KEY}`);
    }
    if (Array.isArray(v)) return v.map((x) => swap(x, inPath));
    if (v === null || typeof v !== "object") return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x, k.endsWith(".$") || k === "Variable" || k.endsWith("Path"))]));
  };
  return swap(def, false);
}

/** The scopes inside a state: a Parallel's branches, a Map's iteration. */
const scopes = (st: any): any[] => [...(st.Branches ?? []), ...(st.ItemProcessor ?? st.Iterator ? [st.ItemProcessor ?? st.Iterator] : [])];

/** The state of that name anywhere in the machine (Parallel branches and Map iterations included). */
export function findState(def: any, name: string): any {
  for (const [k, st] of Object.entries<any>(def.States)) {
    if (k === name) return st;
    for (const b of scopes(st)) {
      const found = findState(b, name);
      if (found) return found;
    }
  }
  return undefined;
}

function collectTasks(def: any, out: Set<string>): void {
  for (const [k, st] of Object.entries<any>(def.States)) {
    if (st.Type === "Task") out.add(k);
    for (const b of scopes(st)) collectTasks(b, out);
  }
}

function collectWaitsAndRetries(def: any, waits: Record<string, number>, retries: Record<string, number>): void {
  for (const [k, st] of Object.entries<any>(def.States)) {
    if (st.Type === "Wait") waits[k] = 0;
    if (st.Retry) retries[k] = 0;
    for (const b of scopes(st)) collectWaitsAndRetries(b, waits, retries);
  }
}

/** An error like the ones Step Functions reports for a failed integration call. */
export function awsError(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}
