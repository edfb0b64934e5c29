/**
 * Our own output lifts back exactly: every machine the bundled fixtures and
 * the test pipelines lower to is imported without errors, and the pipeline it
 * gives lowers to the very same machine (and passes asl-validator).
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { loadPipelineFile, loadYamlText } from "../../../src/frontends/load.js";
import type { Pipeline } from "../../../src/ir/types.js";
import { DATAFLOW, ESCAPING, KINDS, KINDS_DIR, MIGRATION } from "./pipelines.js";
import { aslValidator, lower } from "./support.js";
import { stripPositions } from "../../../src/ir/values.js";
import { intrinsicCalls } from "../../../backends/stepfunctions/intrinsics.js";

const fromText = (text: string, file: string, base: string): Pipeline => {
  const r = loadYamlText(text, file, base);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.pipeline!;
};

const EXTRA = `version: 1
pipeline: extra
role: arn:aws:iam::111122223333:role/R
region: eu-west-1
artifacts: s3://bucket/extra
parameters:
  queue: { type: string, default: "https://sqs.eu-west-1.amazonaws.com/111122223333/q" }
  threshold: { type: float, default: 0.5 }
  mode: { type: string, default: fast, enum: [fast, slow] }
defaults:
  instance: ml.m5.large
  retry: { attempts: 3, interval: 10s, backoff: 2, on: [throttling, capacity] }
  tags: { team: ml }
steps:
  train:
    type: training
    image: xgboost:1.7-1
    inputs: { train: { source: "s3://bucket/data/train", content_type: text/csv, mode: Pipe, distribution: ShardedByS3Key } }
    hyperparameters: { num_round: "100" }
    timeout: 1h
  score:
    type: transform
    model: \${{ steps.package.name }}
    input: { source: "s3://bucket/data/score", content_type: text/csv, split_type: Line }
    output: { accept: text/csv, assemble_with: Line }
    strategy: MultiRecord
  package:
    type: model
    image: xgboost:1.7-1
    model: \${{ steps.train.model }}
    environment: { MODE: "\${{ params.mode }}" }
  register:
    type: register-model
    model: \${{ steps.train.model }}
    image: xgboost:1.7-1
    package_group: churn
    content_types: [text/csv]
    response_types: [text/csv]
  check:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:check
    payload: { job: "\${{ steps.train.job_name }}", arn: "\${{ steps.register.arn }}", limit: "\${{ params.threshold }}" }
    outputs: { ok: boolean, score: float }
    depends_on: [score]
  ask:
    type: approval
    queue: \${{ params.queue }}
    message: { score: "\${{ steps.check.outputs.score }}" }
    outputs: { approved: boolean }
  gate:
    type: condition
    if: \${{ steps.ask.outputs.approved == true and steps.check.outputs.score >= params.threshold }}
    then: [serve]
    else: [stop]
  serve:
    type: endpoint
    name: extra-ep
    model: \${{ steps.train.model }}
    image: xgboost:1.7-1
    instance: { type: ml.t2.medium, count: 2 }
  stop:
    type: fail
    message: "score \${{ steps.check.outputs.score }} is too low"
`;

/** Conditions whose branches meet again, end the scope, or fail: the shapes the lifter reads at a Choice. */
const CONDITIONS = `version: 1
pipeline: conditions
region: eu-west-1
artifacts: s3://bucket/conditions
parameters:
  n: { type: integer, default: 1 }
steps:
  first: { type: lambda, function: f }
  meet:
    type: condition
    depends_on: [first]
    if: \${{ params.n > 1 }}
    then: [big]
    else: [small]
  big: { type: lambda, function: big }
  small: { type: lambda, function: small }
  after: { type: lambda, function: after, depends_on: [meet] }
  guard:
    type: condition
    depends_on: [after]
    if: \${{ params.n > 0 }}
    else: [negative]
  negative: { type: fail, message: n is negative }
  guarded: { type: lambda, function: guarded, depends_on: [guard] }
  last:
    type: condition
    depends_on: [guarded]
    if: \${{ params.n > 5 }}
    then: [many]
    else: [few, fewer]
  many: { type: lambda, function: many }
  few: { type: lambda, function: few }
  fewer: { type: lambda, function: fewer, depends_on: [few] }
  side: { type: lambda, function: side }
  side_gate:
    type: condition
    depends_on: [side]
    if: \${{ params.n == 3 }}
    then: [three]
  three: { type: lambda, function: three }
`;

/** A foreach step whose copies' outputs a later step reads as one list: 3 copies (a States.Array), and 12 (one JSON text, two calls). */
const FOREACH_OUTPUTS = (n: number) => `version: 1
pipeline: regions
role: arn:aws:iam::111122223333:role/R
region: eu-west-1
artifacts: s3://bucket/regions
defaults: { instance: ml.m5.xlarge }
steps:
  each:
    type: processing
    image: sklearn:1.2-1
    command: [python3, -c, "print(1)"]
    foreach: [${Array.from({ length: n }, (_, i) => `"r${i}"`).join(", ")}]
    environment: { REGION: "\${{ item }}" }
    outputs: { out: /opt/ml/processing/out }
  last:
    type: processing
    image: sklearn:1.2-1
    command: [python3, -c, "print(2)"]
    inputs: { all: { source: "\${{ steps.each.outputs.out }}", destination: /opt/ml/processing/in } }
`;

/** Steps whose own Fail states a failure handler takes: a repeat past max_calls, a crawl polled, an endpoint rollout. */
const OWN_FAILS = `version: 1
pipeline: own-fails
role: arn:aws:iam::111122223333:role/R
region: eu-west-1
artifacts: s3://bucket/own-fails
defaults: { retry: { attempts: 2, interval: 10s } }
steps:
  status:
    type: aws
    service: athena
    action: GetQueryExecution
    request: { QueryExecutionId: abc }
    repeat: { until: "\${{ steps.status.response.QueryExecution.Status.State == 'SUCCEEDED' }}", interval: 10s, max_calls: 5, error: QueryStuck }
    on_failure: { errors: [QueryStuck], steps: [alert] }
  crawl:
    type: aws
    service: glue
    action: StartCrawler
    request: { Name: raw }
    wait: true
    timeout: 1h
    depends_on: [status]
    on_failure: { steps: [alert] }
  deploy:
    type: endpoint
    name: churn-prod
    model: s3://bucket/model.tar.gz
    image: xgboost:1.7-1
    instance: { type: ml.m5.large }
    depends_on: [crawl]
    on_failure: { steps: [alert] }
  alert:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:a", Message: failed }
`;

const CASES: Array<[string, () => Promise<Pipeline>]> = [
  ["a repeat past max_calls, a polled crawl and an endpoint rollout whose own Fail states hand their error to a handler", async () => fromText(OWN_FAILS, "own-fails.yaml", "fixtures")],
  ["a foreach step's outputs read as one list", async () => fromText(FOREACH_OUTPUTS(3), "foreach3.yaml", "fixtures")],
  ["a foreach step's outputs read as one list of 12, written as one JSON text", async () => fromText(FOREACH_OUTPUTS(12), "foreach12.yaml", "fixtures")],
  ["conditions that meet again, end the scope, guard with a fail step, or have an empty branch", async () => fromText(CONDITIONS, "conditions.yaml", "fixtures")],
  ["fixtures/abalone.yaml", async () => (await loadPipelineFile("fixtures/abalone.yaml")).pipeline!],
  ["fixtures/churn.yaml", async () => (await loadPipelineFile("fixtures/churn.yaml")).pipeline!],
  ["kinds (every other kind, nested conditions)", async () => fromText(KINDS, join(KINDS_DIR, "kinds.yaml"), KINDS_DIR)],
  ["escaping (hostile text, $.const)", async () => fromText(ESCAPING, "escaping.yaml", "fixtures")],
  ["transform, model, register, lambda, approval, endpoint from an artifact", async () => fromText(EXTRA, "extra.yaml", "fixtures")],
  ["retry rules, failure handlers, wait, Glue, EMR, network, KMS, manifests, destinations", async () => fromText(MIGRATION, "migration.yaml", "fixtures")],
  ["run input, step responses, a payload that is one value", async () => fromText(DATAFLOW, "dataflow.yaml", "fixtures")],
  ["test/report/fixtures/migration-features.yaml", async () => (await loadPipelineFile("test/report/fixtures/migration-features.yaml")).pipeline!],
];

describe("our own machines lift back exactly", () => {
  for (const [name, load] of CASES) {
    test(name, async () => {
      const first = lower(await load());
      expect(first.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const text = first.files.find((f) => f.kind === "definition")!.contents;
      const lifted = backend.lift!({ file: "machine.asl.json", text });
      expect(lifted.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
      // The only warnings: code files the user must supply, and facts the machine does not hold (region, artifacts).
      for (const w of lifted.diagnostics) {
        expect(w.message).toMatch(/^(\$.*: code file '[^']+' is read from s3:\/\/\S+: put that file beside the lifted pipeline|\$: no Region found in the machine's ARNs; us-east-1 assumed \(give another with --region\)|\$: outputs and code will live under \S+ \(give another with --artifacts, or set 'artifacts' in the lifted pipeline\))$/);
      }
      const again = lower(lifted.pipeline!);
      expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(again.definition).toEqual(first.definition);
      expect(aslValidator(again.definition)).toMatchObject({ isValid: true, errors: [] });
    });
  }
});

test("a step id that begins or ends with '_' (a valid id, and the state's name) lifts as that id", () => {
  const first = lower(
    fromText(
      `version: 1
pipeline: underscores
region: eu-west-1
artifacts: s3://bucket/underscores
steps:
  _call_:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:f
    payload: { a: 1 }
    outputs: { ok: boolean }
  __gate:
    type: condition
    if: \${{ steps._call_.outputs.ok }}
    then: [stop_]
  stop_:
    type: fail
    message: no
`,
      "underscores.yaml",
      "fixtures",
    ),
  );
  const lifted = backend.lift!({ file: "machine.asl.json", text: first.files.find((f) => f.kind === "definition")!.contents });
  expect(lifted.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  expect(lifted.pipeline!.steps.map((s) => s.id)).toEqual(["_call_", "__gate", "stop_"]);
  expect(lower(lifted.pipeline!).definition).toEqual(first.definition);
});

/** Lowers a pipeline, lifts the machine back and lowers that again: the same machine, with no errors. */
function sameAfterLift(text: string): ReturnType<typeof backend.lift> {
  const first = lower(fromText(text, "focused.yaml", "fixtures"));
  expect(first.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const lifted = backend.lift!({ file: "machine.asl.json", text: first.files.find((f) => f.kind === "definition")!.contents });
  expect(lifted.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  expect(lower(lifted.pipeline!).definition).toEqual(first.definition);
  return lifted;
}

const HEAD = `version: 1
pipeline: focused
role: arn:aws:iam::111122223333:role/R
region: eu-west-1
artifacts: s3://bucket/focused
`;

describe("what the fuzzed round trip found, each alone", () => {
  test("the pipeline's name is the state machine's, whole and in text", () => {
    const text = `${HEAD}steps:
  call:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:f
    payload: { name: "\${{ execution.pipeline_name }}", at: "s3://b/\${{ execution.pipeline_name }}/\${{ execution.id }}" }
`;
    const state = lower(fromText(text, "focused.yaml", "fixtures")).definition.States.call as { Parameters: { Payload: Record<string, string> } };
    expect(state.Parameters.Payload).toEqual({ "name.$": "$$.StateMachine.Name", "at.$": "States.Format('s3://b/{}/{}', $$.StateMachine.Name, $$.Execution.Name)" });
    const lifted = sameAfterLift(text);
    expect(JSON.stringify(stripPositions(lifted.pipeline!.steps[0]))).toContain('{"kind":"ref","ref":{"scope":"execution","name":"pipeline_name"}}');
  });

  test("a tuning step's tags", () => {
    const lifted = sameAfterLift(`${HEAD}steps:
  tune:
    type: tuning
    image: xgboost:1.7-1
    instance: ml.m5.large
    tags: { team: ml, "k:b/é": "" }
    ranges: { lr: { type: continuous, min: 0.01, max: 0.5 } }
    objective: { metric: m0, type: minimize }
    metric_definitions: [{ name: m0, regex: "loss=([0-9.]+)" }]
    max_jobs: 2
    parallel_jobs: 1
`);
    expect(lifted.pipeline!.steps[0].tags).toEqual({ team: "ml", "k:b/é": "" });
  });

  test("retry error classes in the order the user gave them", () => {
    const lifted = sameAfterLift(`${HEAD}steps:
  call:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:f
    payload: { a: 1 }
    retry: { attempts: 2, on: [timeout, service] }
  each:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:t", Message: hi }
    retry: { attempts: 2, on: [timeout, job] }
`);
    expect(lifted.pipeline!.steps.map((s) => s.retry?.[0].on)).toEqual([["timeout", "service"], ["timeout", "throttling", "capacity", "service", "job"]]);
  });

  test("an endpoint's retry classes, told apart by the rollout's SDK calls where the job call's names are shared", () => {
    for (const on of [["service", "timeout"], ["throttling", "timeout"], ["timeout", "service", "throttling"]]) {
      const lifted = sameAfterLift(`${HEAD}steps:
  serve:
    type: endpoint
    name: ep
    model: s3://bucket/model.tar.gz
    image: xgboost:1.7-1
    instance: ml.m5.large
    retry: { attempts: 3, on: ${JSON.stringify(on)} }
`);
      expect(lifted.pipeline!.steps[0].retry?.[0].on).toEqual(on);
    }
  });

  test("an endpoint's failure handler classes, told apart in the same way", () => {
    for (const on of [["service"], ["throttling"], ["service", "throttling"]]) {
      const lifted = sameAfterLift(`${HEAD}steps:
  serve:
    type: endpoint
    name: ep
    model: s3://bucket/model.tar.gz
    image: xgboost:1.7-1
    instance: ml.m5.large
    on_failure: { steps: [tell], on: ${JSON.stringify(on)}, ends: succeeded }
  tell:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:t", Message: down }
`);
      expect(lifted.pipeline!.steps[0].on_failure?.[0].on).toEqual(on);
    }
  });
});

describe("Comments: a display name, a description, and the Comment settings", () => {
  test("the pipeline's Comment setting, without a description", () => {
    const lifted = sameAfterLift(`${HEAD}targets: { stepfunctions: { Comment: "machine note", TimeoutSeconds: 600 } }
steps:
  stop: { type: fail, message: no }
`);
    expect(lifted.pipeline!.description).toBeUndefined();
    expect(lifted.pipeline!.targets.stepfunctions.settings).toEqual({ Comment: "machine note", TimeoutSeconds: 600 });
  });

  test("a description and a Comment setting (which replaces it, even when empty)", () => {
    for (const comment of ['""', "note"]) {
      const lifted = sameAfterLift(`${HEAD}description: about
targets: { stepfunctions: { Comment: ${comment} } }
steps:
  stop: { type: fail, message: no }
`);
      expect(lifted.pipeline!.targets.stepfunctions.settings).toEqual({ Comment: comment === '""' ? "" : comment });
    }
  });

  test("the pipeline's Comment and TimeoutSeconds settings, in either order", () => {
    for (const settings of ['{ Comment: "", TimeoutSeconds: 60 }', '{ TimeoutSeconds: 60, Comment: "" }']) {
      const lifted = sameAfterLift(`${HEAD}targets: { stepfunctions: ${settings} }
steps:
  stop: { type: fail, message: no }
`);
      expect(Object.keys(lifted.pipeline!.targets.stepfunctions.settings)).toEqual(settings.startsWith("{ Comment") ? ["Comment", "TimeoutSeconds"] : ["TimeoutSeconds", "Comment"]);
    }
  });

  test("a step's Comment setting, on one state and on each foreach copy, beside a display name", () => {
    const lifted = sameAfterLift(`${HEAD}steps:
  call:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:f
    payload: { a: 1 }
    targets: { stepfunctions: { Comment: "" } }
  each:
    type: lambda
    display_name: Each one
    function: arn:aws:lambda:eu-west-1:111122223333:function:f
    foreach: [{ n: 1 }, { n: 2 }]
    payload: { n: "\${{ item.n }}" }
    targets: { stepfunctions: { Comment: note } }
`);
    const [call, each] = lifted.pipeline!.steps;
    expect([call.display_name, call.targets.stepfunctions?.settings]).toEqual([undefined, { Comment: "" }]);
    expect([each.display_name, each.targets.stepfunctions?.settings]).toEqual(["Each one", { Comment: "note" }]);
  });
});

test("a command with text the machine holds as constants (a line break, a line separator) lifts back as fixed text", () => {
  const lifted = sameAfterLift(`${HEAD}steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    command: [python3, -c, "a\\nb\\u2028"]
`);
  const prep = lifted.pipeline!.steps[0] as Extract<Pipeline["steps"][number], { kind: "processing" }>;
  expect(prep.command).toEqual(["python3", "-c", "a\nb\u2028"]);
});

test("a model step's name inside text (a fail message, an environment value) lifts back as that step's name", () => {
  const lifted = sameAfterLift(`${HEAD}steps:
  m:
    type: model
    image: xgboost:1.7-1
    model: s3://bucket/model.tar.gz
  use:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:f
    payload: { name: "model \${{ steps.m.name }}!" }
  stop:
    type: fail
    depends_on: [use]
    message: "x\${{ steps.m.name }}y\\n"
`);
  expect(JSON.stringify(lifted.pipeline!.steps.slice(1).map((s) => stripPositions(s)))).toContain('{"kind":"ref","ref":{"scope":"steps","step":"m","attr":"name"}}');
});

test("a foreach EMR step (its copies keep no result) lifts back as one foreach step", () => {
  const lifted = sameAfterLift(`${HEAD}steps:
  spark:
    type: emr
    cluster_id: j-ABC123
    jar: command-runner.jar
    foreach: [{ tag: a }, { tag: b }]
    args: ["\${{ item.tag }}"]
  after:
    type: fail
    depends_on: [spark]
    message: done
`);
  expect(lifted.pipeline!.steps.map((s) => [s.id, s.foreach?.items.length])).toEqual([["spark", 2], ["after", undefined]]);
  expect(lifted.diagnostics.filter((d) => /EMR step name/.test(d.message))).toEqual([]);
});

test("a foreach wait step (its copies hand back {}) lifts back as its copies, each waiting, before the step after it", () => {
  const first = lower(fromText(`${HEAD}steps:
  pause:
    type: wait
    seconds: 10
    foreach: [1, 2, 3]
  after:
    type: fail
    depends_on: [pause]
    message: done
`, "focused.yaml", "fixtures"));
  const par = first.definition.States.pause as any;
  expect(par.Branches.map((b: any) => [b.States[b.StartAt].Type, b.States[b.StartAt].OutputPath])).toEqual([["Wait", null], ["Wait", null], ["Wait", null]]);
  const lifted = backend.lift!({ file: "machine.asl.json", text: first.files.find((f) => f.kind === "definition")!.contents });
  expect(lifted.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  expect(lifted.pipeline!.steps.map((s) => [s.id, s.kind, s.depends_on])).toEqual([
    ["pause_0", "wait", []],
    ["pause_1", "wait", []],
    ["pause_2", "wait", []],
    ["after", "fail", ["pause_0", "pause_1", "pause_2"]],
  ]);
});

test("constants ($.const) are numbered in the machine's order, whatever the order of the steps in the file", () => {
  const lifted = sameAfterLift(`${HEAD}parameters:
  n: { type: integer, default: 1 }
steps:
  late:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:f
    payload: { t: "second\\n\${{ execution.id }}" }
    depends_on: [early]
  early:
    type: lambda
    function: arn:aws:lambda:eu-west-1:111122223333:function:f
    payload: { t: "first\\n\${{ execution.id }}" }
`);
  expect(lifted.pipeline!.steps.map((s) => s.id)).toEqual(["early", "late"]);
  // Lowering writes a sequence back to front; the names follow the machine, first read first.
  const machine = lower(lifted.pipeline!).definition;
  expect(machine.States["Read input"].Parameters.const).toEqual({ c0: "first\n", c1: "second\n" });
  const text = JSON.stringify(machine.States);
  expect(text.indexOf("$.const.c0")).toBeLessThan(text.indexOf("$.const.c1"));
});

test("a processing step's retry classes, told apart by its report read where the job call's names are shared", () => {
  for (const on of [["service", "throttling"], ["throttling", "timeout"], ["service"]]) {
    const lifted = sameAfterLift(`${HEAD}steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    outputs: { o0: /opt/ml/processing/o0 }
    reports: { metrics: { output: o0, file: m.json } }
    retry: { attempts: 2, on: ${JSON.stringify(on)} }
  gate:
    type: condition
    if: \${{ steps.prep.reports.metrics.mse > 1 }}
    then: [stop]
  stop:
    type: fail
    message: no
`);
    expect(lifted.pipeline!.steps[0].retry?.[0].on).toEqual(on);
  }
});

test("a processing step's empty network sends no NetworkConfig (as on every target), and lifts back to the same machine", () => {
  const text = `${HEAD}steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    network: {}
`;
  expect(JSON.stringify(lower(fromText(text, "focused.yaml", "fixtures")).definition)).not.toContain("NetworkConfig");
  const lifted = sameAfterLift(text);
  expect((lifted.pipeline!.steps[0] as Extract<Pipeline["steps"][number], { kind: "processing" }>).network).toBeUndefined();
});


test("a condition last in its scope ends with its branches; a join Pass only for a branch without steps", () => {
  const def = lower(fromText(CONDITIONS, "conditions.yaml", "fixtures")).definition as { States: Record<string, any> };
  const names: string[] = [];
  const walk = (states: Record<string, any>) => {
    for (const [n, st] of Object.entries(states)) {
      names.push(n);
      for (const b of st.Branches ?? []) walk(b.States);
    }
  };
  walk(def.States);
  // 'last' ends its scope with both branches (no Pass); 'side_gate' has an empty else, which goes to its Pass.
  expect(names.filter((n) => n.endsWith(".end"))).toEqual(["side_gate.end"]);
  const find = (name: string): any => {
    let hit: any;
    const look = (states: Record<string, any>) => {
      for (const [n, st] of Object.entries(states)) {
        if (n === name) hit = st;
        for (const b of st.Branches ?? []) look(b.States);
      }
    };
    look(def.States);
    return hit;
  };
  expect([find("many").End, find("fewer").End]).toEqual([true, true]);
  // Both branches of 'meet' go on to 'after', once.
  expect([find("big").Next, find("small").Next]).toEqual(["after", "after"]);
  // Lifted: 'after' follows the condition (not copied into each branch) and waits for the branch that ran, as the
  // machine does (its branches go on to it); 'guarded' follows the guard.
  const lifted = backend.lift!({ file: "machine.asl.json", text: JSON.stringify(def, null, 2) }).pipeline!;
  const step = (id: string) => lifted.steps.find((s) => s.id === id) as any;
  expect(lifted.steps.map((s) => s.id).filter((id) => /_2$/.test(id))).toEqual([]);
  expect([step("meet").then, step("meet").else, step("after").depends_on]).toEqual([["big"], ["small"], ["meet", "big", "small"]]);
  expect([step("last").then, step("last").else]).toEqual([["many"], ["few", "fewer"]]);
});

test("an output's own destination built at run time, inside a function's argument, lifts back as that output", () => {
  const lifted = sameAfterLift(`${HEAD}steps:
  named:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    outputs:
      o0: { path: /opt/ml/processing/o0, destination: "s3://other-bucket/\${{ steps.named.job_name }}" }
  stop:
    type: fail
    depends_on: [prep]
    message: "\${{ json(steps.prep.outputs.o0) }}"
`);
  const stop = lifted.pipeline!.steps.find((s) => s.id === "stop")!;
  expect(stop.kind === "fail" && stripPositions(stop.message)).toEqual({
    kind: "call",
    fn: "json",
    args: [{ kind: "ref", ref: { scope: "steps", step: "prep", attr: "outputs", name: "o0" } }],
  });
});

test("a foreach step's copies' output locations, read as one list, lift back as the step's output (3 copies, and 12 written as one JSON text)", () => {
  for (const n of [3, 12]) {
    const first = lower(fromText(FOREACH_OUTPUTS(n), `foreach${n}.yaml`, "fixtures"));
    const uri = first.definition.States.last.Parameters.ProcessingInputs[0].S3Input["S3Uri.$"] as string;
    expect(uri.includes("States.StringToJson(States.Format('[")).toBe(n === 12);
    expect(intrinsicCalls(uri)).toBe(n === 12 ? 4 : n + 3);
    const lifted = backend.lift!({ file: "machine.asl.json", text: first.files.find((f) => f.kind === "definition")!.contents });
    expect(lifted.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    const last = lifted.pipeline!.steps.find((s) => s.id === "last") as Extract<Pipeline["steps"][number], { kind: "processing" }>;
    expect(stripPositions(last.inputs.all.source)).toEqual({ kind: "ref", ref: { scope: "steps", step: "each", attr: "outputs", name: "out" } });
  }
});
