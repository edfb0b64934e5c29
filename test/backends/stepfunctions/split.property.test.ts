/**
 * Machines split to fit a (forced, small) limit: on the bench's random
 * pipelines every machine fits, and run in aws-local-stepfunctions (each
 * `startExecution.sync:2` answered by running the child's definition) every
 * dependency is honoured and every service call gets the same request as in
 * the machine that was not split; on a chain, the calls come in the same order.
 * Also: a Parallel wider than one JsonMerge field can gather still hands every
 * branch's result on; a foreach step too large for one machine runs its
 * copies in children, its results read in item order after them.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { dependencies } from "../../../src/ir/graph.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import type { Pipeline } from "../../../src/ir/types.js";
import type { OutputFile } from "../../../src/backend/types.js";
import { buildDefinition, lowerPipeline, START_CHILD } from "../../../backends/stepfunctions/lower.js";
import { CHILD_FILE, childMachine, fits, splitMachine, type SplitLimits } from "../../../backends/stepfunctions/split.js";
import type { Definition } from "../../../backends/stepfunctions/asl.js";
import { aslValidator, lower, run, yaml, type Handler } from "./support.js";
import backend from "../../../backends/stepfunctions/index.js";
import { usage } from "../../../backends/stepfunctions/usage.js";
// @ts-expect-error: the bench generator is plain JavaScript
import { generate } from "../../../bench/generate.mjs";

const dir = mkdtempSync(join(tmpdir(), "sfn-split-"));
mkdirSync(join(dir, "scripts"));
writeFileSync(join(dir, "scripts", "step.py"), "print('step')\n");

const load = (shape: string, n: number, seed: number): Pipeline => {
  const r = loadYamlText(generate(shape, n, seed), join(dir, `${shape}-${n}-${seed}.yaml`), dir);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.pipeline!;
};

/** Small enough that a few dozen steps fill a machine. */
const SMALL: SplitLimits = { bytes: 60_000, events: 1_500 };

interface Ran {
  status: "SUCCEEDED" | "FAILED";
  /** Task state names, started and ended, in the order seen. */
  log: string[];
  /** Each service call's request, by task state name. */
  requests: Map<string, unknown>;
  /** States entered, the parent's and its children's (what Step Functions bills as state transitions). */
  entered: number;
  /** The parent's output, when it succeeded. */
  output?: unknown;
}

function taskNames(states: Record<string, any>, out: string[]): string[] {
  for (const [k, st] of Object.entries(states)) {
    if (st.Type === "Task") out.push(k);
    for (const b of st.Branches ?? []) taskNames(b.States, out);
  }
  return out;
}

function retried(states: Record<string, any>, out: Record<string, number>): Record<string, number> {
  for (const [k, st] of Object.entries(states)) {
    if (st.Retry) out[k] = 0;
    for (const b of st.Branches ?? []) retried(b.States, out);
  }
  return out;
}

/** Run the parent; a child start runs that child's definition (named by the ARN's last part) with the input given. */
async function execute(pipeline: string, files: OutputFile[], score: (step: string) => number): Promise<Ran> {
  const { StateMachine, ExecutionError } = await import("aws-local-stepfunctions");
  const defs = new Map<string, Definition>();
  for (const f of files) {
    const n = CHILD_FILE.exec(f.path)?.[1];
    if (n !== undefined) defs.set(childMachine(pipeline, Number(n)), JSON.parse(f.contents));
  }
  const log: string[] = [];
  const requests = new Map<string, unknown>();
  let entered = 0;
  const runOne = async (def: Definition, machine: string, input: unknown, execName: string): Promise<unknown> => {
    const handlers: Record<string, (i: any) => Promise<unknown>> = {};
    for (const name of taskNames(def.States, [])) {
      const st = JSON.stringify(def).length ? findState(def.States, name) : undefined;
      handlers[name] = async (i: any) => {
        if (st?.Resource === START_CHILD) {
          const child = String(i.StateMachineArn).split(":").pop()!;
          expect(i.StateMachineArn).toBe(`arn:aws:states:us-east-1:111122223333:stateMachine:${child}`);
          expect(defs.has(child)).toBe(true);
          return { Output: await runOne(defs.get(child)!, child, i.Input, i.Name) };
        }
        log.push(`start ${name}`);
        requests.set(name, i);
        await new Promise((r) => setImmediate(r));
        log.push(`end ${name}`);
        if (name.includes(".read.")) return { Body: JSON.stringify({ score: { value: score(name.split(".")[0]) } }) };
        return { ProcessingJobName: i.ProcessingJobName };
      };
    }
    const sm = new StateMachine(def as never);
    const ex = sm.run(input as never, {
      overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides: retried(def.States, {}) },
      context: {
        Execution: { Id: `arn:aws:states:us-east-1:111122223333:execution:${machine}:${execName}`, Name: execName, StartTime: "2026-01-05T06:00:00Z" },
        StateMachine: { Id: `arn:aws:states:us-east-1:111122223333:stateMachine:${machine}`, Name: machine },
        State: { RetryCount: 0 },
      } as never,
    });
    const counted = (async () => {
      for await (const e of ex.eventLogs) if (e.type === "StateEntered") entered++;
    })();
    const result = await ex.result;
    await counted;
    return result;
  };
  const parent = JSON.parse(files.find((f) => f.path === "state-machine.asl.json")!.contents) as Definition;
  try {
    const output = await runOne(parent, pipeline, {}, "run-1");
    return { status: "SUCCEEDED", log, requests, entered, output };
  } catch (e) {
    if (!(e instanceof ExecutionError)) throw e;
    return { status: "FAILED", log, requests, entered };
  }
}

function findState(states: Record<string, any>, name: string): any {
  if (states[name]) return states[name];
  for (const st of Object.values(states)) for (const b of st.Branches ?? []) {
    const hit = findState(b.States, name);
    if (hit) return hit;
  }
  return undefined;
}

/** Every step whose tasks ran started after every task of each step it depends on (through any chain) ended. */
function honoursDependencies(p: Pipeline, log: string[]): void {
  const deps = dependencies(p);
  // A foreach copy's task (`<id>_<n>`) is its step's: the step ends when its last copy does.
  const foreach = new Set(p.steps.filter((s) => s.foreach).map((s) => s.id));
  const stepOf = (task: string) => {
    const name = task.split(".")[0];
    const base = name.replace(/_[0-9]+$/, "");
    return foreach.has(base) ? base : name;
  };
  const start = new Map<string, number>();
  const end = new Map<string, number>();
  log.forEach((e, i) => {
    const [what, task] = e.split(" ");
    const s = stepOf(task);
    if (what === "start" && !start.has(s)) start.set(s, i);
    if (what === "end") end.set(s, i);
  });
  const ancestors = new Map<string, Set<string>>();
  const of = (id: string): Set<string> => {
    const hit = ancestors.get(id);
    if (hit) return hit;
    const out = new Set<string>();
    for (const d of deps.get(id) ?? []) {
      out.add(d);
      for (const x of of(d)) out.add(x);
    }
    ancestors.set(id, out);
    return out;
  };
  for (const [b, at] of start) for (const a of of(b)) if (end.has(a)) expect(end.get(a)!, `${a} before ${b}`).toBeLessThan(at);
}

const definitions = (files: OutputFile[]) => files.filter((f) => f.kind === "definition" || f.kind === "child-definition");

/**
 * Lower `p` within `limits`: the machines when it was split (each within the limits), else undefined, having
 * checked that one machine was written because it fits, or because the split was said impossible (a limit too
 * small for a step, one copy, or the parent beside its calls).
 */
function splitWithin(p: Pipeline, limits: SplitLimits): { whole: Definition; out: ReturnType<typeof lowerPipeline> } | undefined {
  const whole = buildDefinition(p).definition;
  const out = lowerPipeline(p, limits);
  const machines = definitions(out.files);
  if (fits(whole, limits)) {
    expect(machines).toHaveLength(1);
    return undefined;
  }
  if (machines.length === 1) {
    expect(out.diagnostics.map((d) => d.message).join("\n")).toMatch(/could not be split into child machines: /);
    return undefined;
  }
  for (const f of machines) expect(fits(JSON.parse(f.contents), limits), f.path).toBe(true);
  return { whole, out };
}

/** The split machines and the whole one run alike: success, dependencies honoured, the same requests. */
async function runsAsUnsplit(p: Pipeline, files: OutputFile[], whole: Definition, score: (step: string) => number): Promise<void> {
  const ran = await execute(p.name, files, score);
  const one = await execute(p.name, [{ path: "state-machine.asl.json", kind: "definition", contents: JSON.stringify(whole) }], score);
  expect(ran.status).toBe("SUCCEEDED");
  honoursDependencies(p, ran.log);
  expect(new Map([...ran.requests].sort())).toEqual(new Map([...one.requests].sort()));
}

describe("split machines", () => {
  test("random pipelines up to 300 steps: every machine fits the limit and is valid; run, every dependency holds and every call is the same as unsplit", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 20, max: 300 }), fc.integer({ min: 1, max: 1_000_000 }), async (n, seed) => {
        const p = load("random", n, seed);
        const whole = buildDefinition(p).definition;
        const out = lowerPipeline(p, SMALL);
        const machines = definitions(out.files);
        if (fits(whole, SMALL)) {
          expect(machines.length).toBe(1);
          expect(out.diagnostics).toEqual([]);
        } else {
          expect(machines.length).toBeGreaterThan(1);
          expect(out.diagnostics.map((d) => [d.severity, d.code, d.message.includes(`${machines.length - 1} child machines`)])).toEqual([["warning", "stepfunctions-split", true]]);
        }
        for (const f of machines) {
          const def = JSON.parse(f.contents) as Definition;
          expect(fits(def, SMALL), f.path).toBe(true);
          expect(aslValidator(def).errors, f.path).toEqual([]);
        }
        // A score above p1 (1.5) for some steps takes conditions' then branches too.
        const score = (step: string) => (Number(step.slice(1)) % 3 === 0 ? 2 : 1);
        const split = await execute(p.name, out.files, score);
        const one = await execute(p.name, [{ path: "state-machine.asl.json", kind: "definition", contents: JSON.stringify(whole) }], score);
        expect(split.status).toBe("SUCCEEDED");
        expect(one.status).toBe("SUCCEEDED");
        honoursDependencies(p, split.log);
        expect(new Map([...split.requests].sort())).toEqual(new Map([...one.requests].sort()));
      }),
      { numRuns: 6, seed: 20261202 },
    );
  }, 600_000);

  test("a chain: the split machines make the same calls in the same order as the one machine", async () => {
    const p = load("chain", 80, 1);
    const whole = buildDefinition(p).definition;
    const out = lowerPipeline(p, SMALL);
    expect(definitions(out.files).length).toBeGreaterThan(2);
    const split = await execute(p.name, out.files, () => 1);
    const one = await execute(p.name, [{ path: "state-machine.asl.json", kind: "definition", contents: JSON.stringify(whole) }], () => 1);
    expect(split.status).toBe("SUCCEEDED");
    expect(split.log.filter((e) => e.startsWith("start"))).toEqual(one.log.filter((e) => e.startsWith("start")));
    expect(split.log.length).toBe(80 * 2);
    expect([...split.requests]).toEqual([...one.requests]);
    // The cost report's state transitions: the children's states are counted where the parent starts them,
    // as many as the engine enters; the split adds its own states (the child calls and merges) to the one machine's.
    const counted = (files: OutputFile[]) => usage(files).stateTransitions;
    expect(counted(out.files)).toBe(split.entered);
    expect(counted([{ path: "state-machine.asl.json", kind: "definition", contents: JSON.stringify(whole) }])).toBe(one.entered);
    expect(split.entered).toBeGreaterThan(one.entered);
    expect(usage(out.files).notes).toContain(`the states of the ${definitions(out.files).length - 1} child machines counted each time the parent starts them`);
  }, 120_000);

  test("the pipeline's name read in a child machine is the parent's, as in the one machine", async () => {
    const text = generate("chain", 60, 1).replaceAll("    estimate: 5m\n", '    estimate: 5m\n    environment: { PIPE: "${{ execution.pipeline_name }}" }\n');
    const r = loadYamlText(text, join(dir, "named.yaml"), dir);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const p = r.pipeline!;
    const out = lowerPipeline(p, SMALL);
    expect(definitions(out.files).length).toBeGreaterThan(2);
    const split = await execute(p.name, out.files, () => 1);
    expect(split.status).toBe("SUCCEEDED");
    const names = [...split.requests.values()].map((i) => (i as { Environment?: { PIPE?: string } }).Environment?.PIPE);
    expect(names.length).toBe(60);
    expect(new Set(names)).toEqual(new Set([p.name]));
  }, 120_000);

  test("the first part of a split machine, lifted, is refused at each state that starts another part", () => {
    const out = lowerPipeline(load("chain", 60, 1), SMALL);
    const parent = out.files.find((f) => f.path === "state-machine.asl.json")!;
    const r = backend.lift!({ file: parent.path, text: parent.contents });
    expect(r.pipeline).toBeUndefined();
    const runs = Object.keys(JSON.parse(parent.contents).States).filter((k) => k.startsWith("Run "));
    expect(runs.length).toBeGreaterThan(0);
    for (const name of runs) {
      expect(r.diagnostics.map((d) => [d.message, d.hint])).toContainEqual([
        `$.States['${name}'].Resource: the state starts another part of a machine Switchyard split to fit Step Functions' limits; a split machine's parts are not read back as one pipeline`,
        "import, diff or migrate the pipeline file the machines were compiled from",
      ]);
    }
  });

  test("a Parallel of more branches than one merge holds nests, and every branch's result reaches the step after it", async () => {
    const n = 15;
    const fan = Array.from({ length: n }, (_, i) => `  f${i}: { type: lambda, function: f${i}, outputs: { v: string } }`).join("\n");
    const all = Array.from({ length: n }, (_, i) => `      v${i}: \${{ steps.f${i}.outputs.v }}`).join("\n");
    const p = yaml(`version: 1\npipeline: wide\nrole: arn:aws:iam::111122223333:role/R\nregion: us-east-1\nartifacts: s3://bucket/p\nsteps:\n${fan}\n  last:\n    type: lambda\n    function: last\n    payload:\n${all}\n`);
    const { definition } = lower(p);
    const top = Object.values(definition.States).find((st: any) => st.Type === "Parallel") as any;
    expect(top.Branches.length).toBeLessThanOrEqual(11);
    expect(aslValidator(definition).errors).toEqual([]);
    const handlers: Record<string, Handler> = { last: () => ({ Payload: {} }) };
    for (let i = 0; i < n; i++) handlers[`f${i}`] = () => ({ Payload: { v: `from f${i}` } });
    const r = await run(definition, {}, handlers);
    expect(r.status).toBe("SUCCEEDED");
    expect(r.inputs.last[0].Payload).toEqual(Object.fromEntries(Array.from({ length: n }, (_, i) => [`v${i}`, `from f${i}`])));
  });
});

describe("a condition too large with its branches", () => {
  // A chain of n steps in the then branch, each reading the job name of the one before (a value from the state
  // data, so it crosses machines), a foreach of m copies in the else branch, and a step after the condition.
  const gated = (n: number, m: number) => {
    const chain = Array.from({ length: n }, (_, i) => `  t${i}:
    type: processing
    image: sklearn:1.2-1
    code: scripts/step.py
    outputs: { out: /opt/ml/processing/out }
${i ? `    environment: { BEFORE: "\${{ steps.t${i - 1}.job_name }}" }\n` : ""}`).join("");
    return `version: 1
pipeline: gated
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket/p
defaults: { instance: ml.m5.xlarge }
steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    code: scripts/step.py
    outputs: { out: /opt/ml/processing/out }
    reports: { metrics: { output: out, file: m.json } }
  gate:
    type: condition
    if: \${{ steps.prep.reports.metrics.score.value >= 1 }}
    then: [${Array.from({ length: n }, (_, i) => `t${i}`).join(", ")}]
    else: [each]
${chain}  each:
    type: processing
    image: sklearn:1.2-1
    code: scripts/step.py
    foreach: [${Array.from({ length: m }, (_, i) => `"r${i}"`).join(", ")}]
    environment: { REGION: "\${{ item }}" }
  last:
    type: processing
    image: sklearn:1.2-1
    code: scripts/step.py
    depends_on: [gate]
`;
  };
  const n = 40;
  const PIPELINE = gated(n, 30);

  test("is split inside its branches: every machine fits, and either way the run makes the same calls as unsplit, in dependency order", async () => {
    const r = loadYamlText(PIPELINE, join(dir, "gated.yaml"), dir);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const p = r.pipeline!;
    const whole = buildDefinition(p).definition;
    const limits: SplitLimits = { bytes: 30_000, events: 1_500 };
    expect(fits(whole, limits)).toBe(false);
    const out = lowerPipeline(p, limits);
    expect(out.diagnostics.map((d) => [d.severity, d.code])).toEqual([["warning", "stepfunctions-split"]]);
    const machines = definitions(out.files);
    expect(machines.length).toBeGreaterThan(2);
    for (const f of machines) {
      const def = JSON.parse(f.contents) as Definition;
      expect(fits(def, limits), f.path).toBe(true);
      expect(aslValidator(def).errors, f.path).toEqual([]);
    }
    // The parent keeps the condition; its branches start children.
    const parent = JSON.parse(out.files.find((f) => f.path === "state-machine.asl.json")!.contents) as Definition;
    expect(parent.States.gate.Type).toBe("Choice");
    const starts = JSON.stringify(parent).match(/"Run gated-part-[0-9]+"/g) ?? [];
    expect(starts.length).toBeGreaterThan(0);
    // Each child runs steps of one branch only.
    const summary = (out.summary as { split: { children: Array<{ machine: string; reads: string[]; returns: string[] }> } }).split.children;
    expect(summary.some((c) => c.reads.some((x) => /^t[0-9]+$/.test(x)))).toBe(true);

    for (const score of [1, 0]) {
      const ran = await execute(p.name, out.files, () => score);
      const one = await execute(p.name, [{ path: "state-machine.asl.json", kind: "definition", contents: JSON.stringify(whole) }], () => score);
      expect(ran.status).toBe("SUCCEEDED");
      expect(one.status).toBe("SUCCEEDED");
      honoursDependencies(p, ran.log);
      expect(new Map([...ran.requests].sort())).toEqual(new Map([...one.requests].sort()));
      const ranSteps = [...ran.requests.keys()];
      if (score) {
        expect(ranSteps.filter((k) => /^t[0-9]+$/.test(k))).toHaveLength(n);
        expect(ranSteps.some((k) => k.startsWith("each_"))).toBe(false);
        // Each step got the job name of the one before it, across machines.
        for (let i = 1; i < n; i++) expect((ran.requests.get(`t${i}`) as { Environment: { BEFORE: string } }).Environment.BEFORE).toBe((ran.requests.get(`t${i - 1}`) as { ProcessingJobName: string }).ProcessingJobName);
      } else {
        expect(ranSteps.filter((k) => k.startsWith("each_"))).toHaveLength(30);
        expect(ranSteps.some((k) => /^t[0-9]+$/.test(k))).toBe(false);
      }
      expect(ranSteps).toContain("last");
    }
  }, 120_000);

  test("of any length and any limit: every machine fits (or the split is said impossible), and either way the run matches unsplit", async () => {
    let split = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 5, max: 50 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 8_000, max: 40_000 }), async (chainLength, copies, bytes) => {
        const r = loadYamlText(gated(chainLength, copies), join(dir, `gated-${chainLength}-${copies}.yaml`), dir);
        expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const p = r.pipeline!;
        const done = splitWithin(p, { bytes, events: 1_500 });
        if (!done) return;
        split++;
        for (const score of [1, 0]) await runsAsUnsplit(p, done.out.files, done.whole, () => score);
      }),
      { numRuns: 8, seed: 20261205 },
    );
    // Most draws split (the property is not met by refusing).
    expect(split).toBeGreaterThanOrEqual(5);
  }, 300_000);
});

describe("a foreach step too large for one machine", () => {
  const copies = 40;
  const PIPELINE = `version: 1
pipeline: regions
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket/p
defaults: { instance: ml.m5.xlarge }
steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    code: scripts/step.py
    outputs: { out: /opt/ml/processing/out }
  each:
    type: processing
    image: sklearn:1.2-1
    code: scripts/step.py
    foreach: [${Array.from({ length: copies }, (_, i) => `"r${i}"`).join(", ")}]
    environment: { REGION: "\${{ item }}" }
    inputs: { data: { source: "\${{ steps.prep.outputs.out }}", destination: /opt/ml/processing/in } }
    outputs: { out: /opt/ml/processing/out }
  last:
    type: processing
    image: sklearn:1.2-1
    code: scripts/step.py
    environment: { JOBS: "\${{ steps.each.job_name }}" }
    depends_on: [each]
`;

  test("runs its copies in child machines started side by side; the step after it reads every copy's result in item order, as unsplit", async () => {
    const r = loadYamlText(PIPELINE, join(dir, "regions.yaml"), dir);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const p = r.pipeline!;
    const whole = buildDefinition(p).definition;
    const limits: SplitLimits = { bytes: 30_000, events: 1_500 };
    expect(fits(whole, limits)).toBe(false);
    const out = lowerPipeline(p, limits);
    const machines = definitions(out.files);
    expect(out.diagnostics.map((d) => [d.severity, d.code])).toEqual([["warning", "stepfunctions-split"]]);
    const children = machines.filter((f) => f.kind === "child-definition").map((f) => JSON.parse(f.contents) as Definition);
    expect(children.length).toBeGreaterThan(1);
    for (const f of machines) {
      const def = JSON.parse(f.contents) as Definition;
      expect(fits(def, limits), f.path).toBe(true);
      expect(aslValidator(def).errors, f.path).toEqual([]);
    }
    // The parent starts one child per run of copies, side by side; each child runs its copies side by side.
    const parent = JSON.parse(out.files.find((f) => f.path === "state-machine.asl.json")!.contents) as Definition;
    const each = parent.States.each as any;
    expect(each.Type).toBe("Parallel");
    expect(each.Branches.map((b: any) => b.StartAt)).toEqual(children.map((_, i) => `Run regions-part-${i + 1}`));
    const held = children.map((c) => (c.States.each as any).Branches.map((b: any) => b.StartAt));
    // The compile summary says which copies each child runs.
    const summary = (out.summary as { split: { children: Array<{ steps: number; copies: { step: string; from: number; to: number } }> } }).split.children;
    let next = 0;
    summary.forEach((c, i) => {
      expect(c.copies).toEqual({ step: "each", from: next, to: next + held[i].length });
      expect(c.steps).toBe(held[i].length);
      next = c.copies.to;
    });
    expect(next).toBe(copies);
    expect(held.flat()).toEqual(Array.from({ length: copies }, (_, i) => `each_${i}`));
    expect(new Set(held.slice(0, -1).map((h) => h.length)).size).toBe(1);

    const split = await execute(p.name, out.files, () => 1);
    const one = await execute(p.name, [{ path: "state-machine.asl.json", kind: "definition", contents: JSON.stringify(whole) }], () => 1);
    expect(split.status).toBe("SUCCEEDED");
    expect(one.status).toBe("SUCCEEDED");
    honoursDependencies(p, split.log);
    expect(new Map([...split.requests].sort())).toEqual(new Map([...one.requests].sort()));
    // The cost report counts the children's states each time the parent starts them, as the engine enters them.
    expect(usage(out.files).stateTransitions).toBe(split.entered);
    const jobs = JSON.parse((split.requests.get("last") as { Environment: { JOBS: string } }).Environment.JOBS);
    expect(jobs).toHaveLength(copies);
    jobs.forEach((j: string, i: number) => expect(j).toBe((split.requests.get(`each_${i}`) as { ProcessingJobName: string }).ProcessingJobName));
  }, 120_000);

  describe("whose copies' results would pass the state data's limit", () => {
    // Here a limit of 1,000 bytes stands for the service's 256 KiB: 40 copies keep about 55 bytes each (a job name).
    const READS_LOCATIONS = PIPELINE.replace('environment: { JOBS: "\${{ steps.each.job_name }}" }', 'inputs: { data: { source: "\${{ steps.each.outputs.out }}", destination: /opt/ml/processing/in } }');
    const loadText = (text: string, file: string) => {
      const r = loadYamlText(text, join(dir, file), dir);
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      return r.pipeline!;
    };
    const copyStates = (def: Definition) => (def.States.each as any).Branches.map((b: any) => b.States[b.StartAt]);

    test("and that no step reads: each copy keeps an empty result, said at the foreach list; the run makes the same requests as with the results kept", async () => {
      expect(READS_LOCATIONS).not.toBe(PIPELINE);
      const p = loadText(READS_LOCATIONS, "locations.yaml");
      const out = lowerPipeline(p, { bytes: 1_000_000, events: 25_000, payload: 1_000 });
      expect(out.diagnostics.map((d) => [d.severity, d.code, d.pos?.line, d.message])).toEqual([
        ["warning", "stepfunctions-payload", 17, "foreach step 'each': its 40 copies' results (what each job returns) are not kept: no step reads them, and kept they would pass the 1000 bytes of state data Step Functions passes from state to state; each copy's result is {} in the execution's output"],
      ]);
      const machines = definitions(out.files);
      expect(machines).toHaveLength(1);
      const dropped = JSON.parse(machines[0].contents) as Definition;
      expect(aslValidator(dropped).errors).toEqual([]);
      expect(copyStates(dropped).map((st: any) => [st.ResultSelector, st.ResultPath])).toEqual(Array.from({ length: copies }, () => [{}, "$.steps.each"]));
      // Under the service's own limit the results are kept, as ever.
      const kept = lowerPipeline(p);
      expect(kept.diagnostics).toEqual([]);
      const keptDef = JSON.parse(definitions(kept.files)[0].contents) as Definition;
      expect(copyStates(keptDef).map((st: any) => st.ResultSelector)).toEqual(Array.from({ length: copies }, () => ({ "job_name.$": "$.ProcessingJobName" })));

      const ran = await execute(p.name, out.files, () => 1);
      const whole = await execute(p.name, kept.files, () => 1);
      expect(ran.status).toBe("SUCCEEDED");
      expect(whole.status).toBe("SUCCEEDED");
      expect(new Map([...ran.requests].sort())).toEqual(new Map([...whole.requests].sort()));
      const listed = (r: Ran) => (r.output as { steps: { each: unknown[] } }).steps.each;
      expect(listed(ran)).toEqual(Array.from({ length: copies }, () => ({})));
      expect(JSON.stringify(listed(ran)).length).toBe(3 * copies + 1);
      expect(listed(whole)).toEqual(Array.from({ length: copies }, (_, i) => ({ job_name: (whole.requests.get(`each_${i}`) as { ProcessingJobName: string }).ProcessingJobName })));
    }, 120_000);

    test("and that a step reads: kept, and the warning gives the estimate", () => {
      const p = loadText(PIPELINE, "jobs.yaml");
      const out = lowerPipeline(p, { bytes: 1_000_000, events: 25_000, payload: 1_000 });
      const d = out.diagnostics.filter((x) => x.code === "stepfunctions-payload");
      expect(d.map((x) => [x.severity, x.pos?.line])).toEqual([["warning", 17]]);
      expect(d[0].message).toMatch(/^foreach step 'each' keeps the results of its 40 copies in the state data, about [0-9]+ bytes .*at most 1000 bytes from state to state, and fails the execution past it \(States\.DataLimitExceeded\)$/);
      const def = JSON.parse(definitions(out.files)[0].contents) as Definition;
      expect(copyStates(def).every((st: any) => (st.ResultSelector as object)["job_name.$"] === "$.ProcessingJobName")).toBe(true);
    });

    test("split too: the children's copies keep empty results and hand nothing back; the run makes the same requests as unsplit", async () => {
      const p = loadText(READS_LOCATIONS, "locations-split.yaml");
      const limits: SplitLimits = { bytes: 30_000, events: 1_500, payload: 1_000 };
      const out = lowerPipeline(p, limits);
      expect(out.diagnostics.map((d) => [d.severity, d.code]).sort()).toEqual([["warning", "stepfunctions-payload"], ["warning", "stepfunctions-split"]]);
      const machines = definitions(out.files);
      const children = machines.filter((f) => f.kind === "child-definition").map((f) => JSON.parse(f.contents) as Definition);
      expect(children.length).toBeGreaterThan(1);
      for (const c of children) expect(copyStates(c).every((st: any) => Object.keys(st.ResultSelector).length === 0)).toBe(true);
      const summary = (out.summary as { split: { children: Array<{ returns: string[] }> } }).split.children;
      expect(summary.map((c) => c.returns)).toEqual(children.map(() => []));
      // Nothing comes back, so the parent's Parallel leaves the state as it was.
      const parent = JSON.parse(machines.find((f) => f.kind === "definition")!.contents) as Definition;
      expect((parent.States.each as any).ResultPath).toBe(null);
      const ends = (parent.States.each as any).Branches.flatMap((b: any) => Object.values(b.States).filter((st: any) => st.End === true));
      expect(ends.map((st: any) => st.OutputPath)).toEqual(children.map(() => null));
      const ran = await execute(p.name, out.files, () => 1);
      const one = await execute(p.name, lowerPipeline(p, { bytes: 1_000_000, events: 25_000, payload: 1_000 }).files, () => 1);
      expect(ran.status).toBe("SUCCEEDED");
      honoursDependencies(p, ran.log);
      expect(new Map([...ran.requests].sort())).toEqual(new Map([...one.requests].sort()));
      expect((ran.output as { steps: Record<string, unknown> }).steps.each).toBeUndefined();
    }, 120_000);
  });

  test("any number of copies and any limit: every machine fits (or the split is said impossible), the children run every copy once in item order, and the run matches unsplit", async () => {
    let split = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 10, max: 120 }), fc.integer({ min: 5_000, max: 40_000 }), async (n, bytes) => {
        const text = PIPELINE.replace(/foreach: \[[^\]]*\]/, `foreach: [${Array.from({ length: n }, (_, i) => `"r${i}"`).join(", ")}]`);
        const r = loadYamlText(text, join(dir, `regions-${n}.yaml`), dir);
        expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const p = r.pipeline!;
        const done = splitWithin(p, { bytes, events: 1_500 });
        if (!done) return;
        split++;
        const summary = (done.out.summary as { split: { children: Array<{ copies?: { step: string; from: number; to: number } }> } }).split.children;
        const runs = summary.map((c) => c.copies).filter((c) => c !== undefined);
        expect(runs.map((c) => [c.from, c.to]).flat()).toEqual([0, ...runs.slice(1).flatMap((c) => [c.from, c.from]), n]);
        await runsAsUnsplit(p, done.out.files, done.whole, () => 1);
      }),
      { numRuns: 8, seed: 20261205 },
    );
    // Most draws split (the property is not met by refusing).
    expect(split).toBeGreaterThanOrEqual(5);
  }, 300_000);

  test("of Glue jobs, which keep no result: the children return nothing and the parent's Parallel leaves the state as it was", async () => {
    const glue = `version: 1
pipeline: nightly
role: arn:aws:iam::111122223333:role/R
region: us-east-1
artifacts: s3://bucket/p
steps:
  etl:
    type: glue
    job: \${{ item }}
    arguments: { "--mode": full, "--region": "\${{ item }}" }
    foreach: [${Array.from({ length: copies }, (_, i) => `"job-${i}"`).join(", ")}]
  after:
    type: glue
    job: report
    depends_on: [etl]
`;
    const r = loadYamlText(glue, join(dir, "nightly.yaml"), dir);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const p = r.pipeline!;
    const whole = buildDefinition(p).definition;
    const limits: SplitLimits = { bytes: 8_000, events: 1_500 };
    expect(fits(whole, limits)).toBe(false);
    const out = lowerPipeline(p, limits);
    const machines = definitions(out.files);
    expect(machines.length).toBeGreaterThan(2);
    for (const f of machines) expect(fits(JSON.parse(f.contents), limits), f.path).toBe(true);
    const parent = JSON.parse(out.files.find((f) => f.path === "state-machine.asl.json")!.contents) as Definition;
    expect((parent.States.etl as any).ResultPath).toBeNull();
    const split = await execute(p.name, out.files, () => 1);
    const one = await execute(p.name, [{ path: "state-machine.asl.json", kind: "definition", contents: JSON.stringify(whole) }], () => 1);
    expect(split.status).toBe("SUCCEEDED");
    honoursDependencies(p, split.log);
    expect(new Map([...split.requests].sort())).toEqual(new Map([...one.requests].sort()));
    expect(split.requests.size).toBe(copies + 1);
  }, 120_000);
});

describe("the machines of a split take the whole build's states of a step", () => {
  /** Every machine of the split, as text: the parent, then each child. */
  const machines = (p: Pipeline, full: ReturnType<typeof buildDefinition>, limits: SplitLimits): string[] => {
    const r = splitMachine(p, full, limits);
    expect(r.problem).toBeUndefined();
    return [r.split!.parent, ...r.split!.children.map((c) => c.built)].map((b) => JSON.stringify(b.definition));
  };
  // Steps that read a constant (text with a backslash, kept under $.const and numbered per machine), a foreach
  // step's results (read per child once its copies are cut), an earlier step's output, or have a failure handler.
  const mixed = (n: number): string => {
    const lines = ["version: 1", "pipeline: mixed", "role: arn:aws:iam::111122223333:role/R", "region: us-east-1", "artifacts: s3://bucket/p", "parameters:", "  p: { type: string, default: x }", "steps:"];
    for (let i = 0; i < n; i++) {
      lines.push(`  s${i}:`, "    type: lambda", "    function: fn", "    outputs: { ok: boolean }");
      const payload: string[] = [];
      if (i % 3 === 0) payload.push(`c: ${JSON.stringify(`a\\b \${{ params.p }}`)}`);
      if (i % 4 === 1 && i > 1) payload.push(`prev: "\${{ steps.s${i - 2}.outputs.ok }}"`);
      if (i % 5 === 2 && i > 10) payload.push(`each: "\${{ steps.s10.outputs.ok }}"`);
      lines.push(`    payload: { ${payload.join(", ")} }`);
      if (i === 10) lines.push(`    foreach: [${Array.from({ length: 30 }, (_, k) => `"r${k}"`).join(", ")}]`);
      if (i % 7 === 6) lines.push("    on_failure: [cleanup]");
      if (i > 0) lines.push(`    depends_on: [s${i - 1}${i > 3 && i % 2 ? `, s${i - 3}` : ""}]`);
    }
    lines.push("  cleanup:", "    type: lambda", "    function: cleanup");
    return lines.join("\n") + "\n";
  };

  test("as lowering each step again would write them, for steps that read constants, foreach results and handlers too", () => {
    const r = loadYamlText(mixed(60), join(dir, "mixed.yaml"), dir);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const p = r.pipeline!;
    const full = buildDefinition(p);
    // Kept for the steps whose states are the same in any machine: not those reading a constant or the foreach step's results.
    expect(full.units.has("s1")).toBe(true);
    expect(full.units.has("s0")).toBe(false);
    expect(full.units.has("s12")).toBe(false);
    expect(full.units.has("s10")).toBe(false);
    const limits: SplitLimits = { bytes: 12_000, events: 1_500 };
    const taken = machines(p, full, limits);
    expect(taken.length).toBeGreaterThan(3);
    expect(taken).toEqual(machines(p, { ...full, units: new Map() }, limits));
  });

  test("random and foreach pipelines: the same machines as lowering each step again", () => {
    fc.assert(
      fc.property(fc.constantFrom("random", "foreach", "chain"), fc.integer({ min: 30, max: 200 }), fc.integer({ min: 1, max: 1_000_000 }), (shape, n, seed) => {
        const p = load(shape, n, seed);
        const full = buildDefinition(p);
        if (fits(full.definition, SMALL)) return;
        expect(machines(p, full, SMALL)).toEqual(machines(p, { ...full, units: new Map() }, SMALL));
      }),
      { numRuns: 8, seed: 20261206 },
    );
  }, 300_000);
});
