/**
 * One case per error class: the exact message and the exact position, as the
 * user sees them (`file:line:col: error: message`).
 */
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/diagnostics.js";
import { loadYamlText } from "../../src/frontends/load.js";
import { featuresUsed } from "../../src/ir/features.js";

const dir = mkdtempSync(join(tmpdir(), "switchyard-errors-"));
mkdirSync(join(dir, "scripts"));
writeFileSync(join(dir, "scripts", "prep.py"), "print('prep')\n");

const HEADER = `version: 1
pipeline: demo
region: us-east-1
artifacts: s3://bucket/demo
`;

/** Errors of a pipeline whose text follows the 4-line header (so step lines start at 5). */
function errors(body: string): string[] {
  const r = loadYamlText(HEADER + body, "p.yaml", dir);
  return r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0]);
}

const PREP = `  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.xlarge
    code: scripts/prep.py
    outputs: { train: /opt/ml/processing/train }
    reports: { metrics: { output: train, file: m.json } }
`;

describe("error classes", () => {
  it("a processing input with a training channel's mode, data type or compression", () => {
    const body = `steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.xlarge
    command: [python3, -c, "print(1)"]
    inputs:
      a: { source: "s3://bucket/a", mode: FastFile }
      b: { source: "s3://bucket/b", data_type: AugmentedManifestFile, compression: Gzip }
      c: { source: "s3://bucket/c", mode: Pipe, compression: Gzip }
`;
    expect(errors(body)).toEqual([
      "p.yaml:12:10: error: step 'prep': processing input 'a': mode FastFile is for training channels; a processing input takes File or Pipe",
      "p.yaml:13:10: error: step 'prep': processing input 'b': data_type AugmentedManifestFile is for training channels; a processing input takes S3Prefix or ManifestFile",
      "p.yaml:13:10: error: step 'prep': processing input 'b': Gzip compression needs mode Pipe (SageMaker decompresses only what it streams)",
    ]);
  });

  it("a step id that is the name of a foreach copy", () => {
    const body = `steps:
  sweep:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.xlarge
    command: [python3, -c, "print(1)"]
    foreach: [a, b]
  sweep_1:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.xlarge
    command: [python3, -c, "print(1)"]
`;
    expect(errors(body)).toEqual(["p.yaml:12:3: error: step id 'sweep_1' is the name of copy 1 of foreach step 'sweep' on every target"]);
  });

  it("malformed YAML", () => {
    expect(errors("steps:\n  a: [1, 2\n")).toEqual([expect.stringMatching(/^p\.yaml:7:1: error: malformed YAML: /)]);
  });

  it("unknown key, with a suggestion", () => {
    expect(errors(`steps:\n${PREP}    enviroment: { A: "1" }\n`)).toEqual([
      "p.yaml:13:5: error: unknown key 'enviroment' in step 'prep'; did you mean 'environment'?",
    ]);
  });

  it("wrong type", () => {
    expect(errors(`steps:\n${PREP}    arguments: --fast\n`)).toEqual([
      "p.yaml:13:16: error: step 'prep' (arguments) must be a list, not '--fast'",
    ]);
  });

  it("missing required field", () => {
    expect(errors(`steps:\n  t:\n    type: training\n    instance: ml.m5.large\n`)).toEqual([
      "p.yaml:7:5: error: missing required key 'image' in step 't'",
    ]);
  });

  it("unknown step kind, with a suggestion", () => {
    expect(errors(`steps:\n  t:\n    type: trainig\n    image: x\n`)).toEqual([
      "p.yaml:7:11: error: unknown step kind 'trainig' in step 't'; did you mean 'training'?",
    ]);
  });

  it("malformed duration", () => {
    expect(errors(`steps:\n${PREP}    timeout: 5 minutes\n`)).toEqual([
      "p.yaml:13:14: error: '5 minutes' is not a duration in step 'prep' (timeout)",
    ]);
  });

  it("cycle, printed", () => {
    const body = `steps:
  a: { type: fail, message: x, depends_on: [c] }
  b: { type: fail, message: x, depends_on: [a] }
  c: { type: fail, message: x, depends_on: [b] }
`;
    expect(errors(body)).toEqual(["p.yaml:6:3: error: dependency cycle: a -> b -> c -> a"]);
  });

  it("reference to a missing step", () => {
    expect(errors(`steps:\n${PREP}  f: { type: fail, message: "\${{ steps.prepp.name }}" }\n`)).toEqual([
      "p.yaml:13:34: error: unknown step 'prepp' in steps.prepp.name; did you mean 'prep'?",
    ]);
  });

  it("reference to a missing output", () => {
    expect(errors(`steps:\n${PREP}  f: { type: fail, message: "at \${{ steps.prep.outputs.trian }}" }\n`)).toEqual([
      "p.yaml:13:37: error: step 'prep' has no output 'trian'; did you mean 'train'?",
    ]);
  });

  it("reference to an output with no near name: the hint lists the step's outputs, or says it has none", () => {
    const hints = (body: string) => loadYamlText(HEADER + body, "p.yaml", dir).diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d));
    expect(hints(`steps:\n${PREP}  f: { type: fail, message: "at \${{ steps.prep.outputs.model }}" }\n`)).toEqual([
      "p.yaml:13:37: error: step 'prep' has no output 'model'\n  hint: step 'prep' declares 'train'",
    ]);
    const lambda = `  fn: { type: lambda, function: "arn:aws:lambda:us-east-1:111122223333:function:f" }\n`;
    expect(hints(`steps:\n${lambda}  f: { type: fail, message: "at \${{ steps.fn.outputs.score }}" }\n`)).toEqual([
      "p.yaml:7:37: error: step 'fn' has no output 'score'\n  hint: step 'fn' declares no outputs",
    ]);
  });

  it("an approval message that is not a map: the hint says what it holds, with an example", () => {
    const r = loadYamlText(HEADER + `steps:\n  ok:\n    type: approval\n    queue: "https://sqs.us-east-1.amazonaws.com/111122223333/q"\n    message: 5\n`, "p.yaml", dir);
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d))).toEqual([
      "p.yaml:9:14: error: step 'ok' (message) must be a map, not 5\n  hint: 'message' is the fields the approver is sent, a map of names to values (text may hold ${{ }}), e.g. message: { text: \"Deploy ${{ steps.train.name }}?\" }",
    ]);
  });

  it("a failure handler's condition that branches: said as such, with what to write instead", () => {
    const body = `steps:
  work: { type: lambda, function: "arn:aws:lambda:us-east-1:111122223333:function:f", on_failure: [check] }
  check: { type: condition, if: "\${{ failure.Error == 'States.Timeout' }}", then: [late] }
  late: { type: fail, message: late }
`;
    const r = loadYamlText(HEADER + body, "p.yaml", dir);
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d))).toEqual([
      "p.yaml:8:3: error: step 'late' is in branch 'check.then' of condition 'check', a step of the failure handler of 'work': a failure handler's conditions cannot branch\n  hint: a failure handler is the steps 'on_failure' lists, run in order; to act on the error, read failure.Error in those steps (a message, a function's payload), not in a condition",
    ]);
  });

  it("reference to a missing report", () => {
    expect(errors(`steps:\n${PREP}  f: { type: fail, message: "\${{ steps.prep.reports.metric.a }}" }\n`)).toEqual([
      "p.yaml:13:34: error: step 'prep' has no report 'metric'; did you mean 'metrics'?",
    ]);
  });

  it("reference to a missing parameter", () => {
    const body = `parameters:\n  threshold: { type: float, default: 1.0 }\nsteps:\n  f: { type: fail, message: "\${{ params.treshold }}" }\n`;
    expect(errors(body)).toEqual(["p.yaml:8:34: error: unknown parameter 'treshold' in params.treshold; did you mean 'threshold'?"]);
  });

  it("attribute a kind does not expose", () => {
    expect(errors(`steps:\n${PREP}  f: { type: fail, message: "\${{ steps.prep.model }}" }\n`)).toEqual([
      "p.yaml:13:34: error: a processing step has no 'model': steps.prep.model",
    ]);
  });

  it("default that does not fit its type, at the default", () => {
    expect(errors(`parameters:\n  n: { type: integer, default: 1.5 }\nsteps:\n  f: { type: fail, message: x }\n`)).toEqual([
      "p.yaml:6:32: error: default 1.5 of parameter 'n' is not an integer",
    ]);
  });

  it("an abbreviated type is one error, with the type it abbreviates", () => {
    expect(errors(`parameters:\n  n: { type: int, default: 3 }\nsteps:\n  f: { type: fail, message: x }\n`)).toEqual([
      "p.yaml:6:14: error: 'int' is not allowed for parameter 'n' (type); did you mean 'integer'?",
    ]);
  });

  it("default outside its enum", () => {
    expect(errors(`parameters:\n  m: { type: string, default: fast, enum: [slow, medium] }\nsteps:\n  f: { type: fail, message: x }\n`)).toEqual([
      `p.yaml:6:31: error: default "fast" of parameter 'm' is not one of its enum values`,
    ]);
  });

  it("condition branch naming a missing step", () => {
    expect(errors(`steps:\n  g: { type: condition, if: "\${{ 1 < 2 }}", then: [nope] }\n`)).toEqual([
      "p.yaml:6:3: error: condition 'g' lists unknown step 'nope' in 'then'",
    ]);
  });

  it("a step in two branches", () => {
    const body = `steps:
  g: { type: condition, if: "\${{ 1 < 2 }}", then: [f], else: [f] }
  f: { type: fail, message: x }
`;
    expect(errors(body)).toEqual(["p.yaml:6:3: error: step 'f' is in two branches: 'g.then' and 'g.else'"]);
  });

  it("a step outside a branch depending on a step inside one", () => {
    const body = `steps:
  g: { type: condition, if: "\${{ 1 < 2 }}", then: [inside] }
  inside: { type: lambda, function: "arn:aws:lambda:us-east-1:111122223333:function:f", outputs: { r: string } }
  after: { type: fail, message: "\${{ steps.inside.outputs.r }}" }
`;
    expect(errors(body)).toEqual(["p.yaml:8:3: error: step 'after' depends on 'inside', which runs only in branch 'g.then'"]);
  });

  it("a join: after a condition, waiting for the steps of its branches that ran (ordering only, the condition listed too)", () => {
    const lambda = (id: string) => `  ${id}: { type: lambda, function: "arn:aws:lambda:us-east-1:111122223333:function:${id}", outputs: { r: string } }\n`;
    const body = (after: string) => `steps:
  g: { type: condition, if: "\${{ 1 < 2 }}", then: [a], else: [outer] }
${lambda("a")}  outer: { type: condition, if: "\${{ 2 < 3 }}", then: [b] }
${lambda("b")}  after: ${after}\n`;
    const load = (text: string) => loadYamlText(HEADER + text, "p.yaml", dir);
    // Waiting for steps of both branches, a nested one too, after the condition.
    const joined = load(body("{ type: fail, message: x, depends_on: [g, a, b] }"));
    expect(joined.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(featuresUsed(joined.pipeline!).filter((u) => u.feature === "condition.after").map((u) => u.step)).toEqual(["after"]);
    // Without the condition: it would run when neither branch did.
    const noCondition = load(body("{ type: fail, message: x, depends_on: [a, b] }"));
    expect(noCondition.diagnostics.filter((d) => d.severity === "error").map((d) => `${formatDiagnostic(d).split("\n")[0]} | ${d.hint}`)).toEqual([
      "p.yaml:10:3: error: step 'after' depends on 'a', which runs only in branch 'g.then' | to wait for the steps of 'g' that run, list 'g' in depends_on too; or add 'after' to the same branch",
      "p.yaml:10:3: error: step 'after' depends on 'b', which runs only in branch 'g.else' | to wait for the steps of 'g' that run, list 'g' in depends_on too; or add 'after' to the same branch",
    ]);
    // Reading a branch step's output stays refused: the value is missing when the other branch ran.
    expect(errors(body(`{ type: fail, message: "\${{ steps.a.outputs.r }}", depends_on: [g] }`))).toEqual(["p.yaml:10:3: error: step 'after' depends on 'a', which runs only in branch 'g.then'"]);
    // A branch member that names its own condition is no step after it.
    const member = load(`steps:\n  g: { type: condition, if: "\${{ 1 < 2 }}", then: [a] }\n  a: { type: fail, message: x, depends_on: [g] }\n`);
    expect(member.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(featuresUsed(member.pipeline!).filter((u) => u.feature === "condition.after")).toEqual([]);
  });

  it("local code file that does not exist", () => {
    const body = `steps:\n  p: { type: processing, image: x, instance: ml.m5.large, code: scripts/missing.py }\n`;
    expect(errors(body)).toEqual(["p.yaml:6:65: error: script 'scripts/missing.py' does not exist"]);
  });

  it("a name no target accepts", () => {
    expect(errors(`steps:\n  "two words": { type: fail, message: x }\n`)).toEqual(["p.yaml:6:3: error: step id 'two words' is not a valid name"]);
    const long = "p".repeat(300);
    expect(loadYamlText(HEADER.replace("demo", long) + "steps:\n  f: { type: fail, message: x }\n", "p.yaml", dir).diagnostics.map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      `p.yaml:1:1: error: pipeline name '${long}' is accepted by no target`,
    ]);
  });

  it("expression syntax, pointing at the character", () => {
    expect(errors(`steps:\n  f: { type: fail, message: "MSE \${{ 1 + }} high" }\n`)).toEqual([
      "p.yaml:6:42: error: invalid expression: unexpected end of expression",
    ]);
    expect(errors(`steps:\n  f: { type: fail, message: "\${{ params.x = 1 }}" }\n`)).toEqual([
      "p.yaml:6:43: error: invalid expression: '=' is not an operator; use '==' to compare",
    ]);
  });

  it("comparison of a string with a number", () => {
    const body = `parameters:\n  name: { type: string, default: x }\nsteps:\n  g: { type: condition, if: "\${{ params.name > 3 }}", then: [] }\n`;
    expect(errors(body)).toEqual(["p.yaml:8:34: error: cannot compare string with integer: params.name > 3"]);
  });

  it("a condition that is not true/false", () => {
    const body = `parameters:\n  name: { type: string, default: x }\nsteps:\n  g: { type: condition, if: "\${{ params.name }}", then: [] }\n`;
    expect(errors(body)).toEqual(["p.yaml:8:34: error: the condition of step 'g' needs a true/false value, but this is a string"]);
  });

  it("item outside foreach", () => {
    expect(errors(`steps:\n  f: { type: fail, message: "\${{ item.x }}" }\n`)).toEqual([
      "p.yaml:6:34: error: item.x is only available in a step with 'foreach' or in a map's steps",
    ]);
  });

  it("a tuning step with a local script", () => {
    const body = `steps:
  t:
    type: tuning
    image: xgboost:1.7-1
    instance: ml.m5.xlarge
    code: scripts/prep.py
    ranges: { eta: { type: continuous, min: 0.1, max: 0.5 } }
    objective: { metric: "validation:rmse", type: minimize }
`;
    expect(errors(body)).toEqual(["p.yaml:10:11: error: step 't': a tuning job cannot run a local script: SageMaker's tuning API has no entrypoint override"]);
  });

  it("invalid cron and time zone", () => {
    const body = `schedule: { cron: "61 * * * *", timezone: Mars/Olympus }\nsteps:\n  f: { type: fail, message: x }\n`;
    expect(errors(body)).toEqual([
      expect.stringMatching(/^p\.yaml:5:19: error: invalid cron '61 \* \* \* \*': /),
      "p.yaml:5:19: error: unknown time zone 'Mars/Olympus'",
    ]);
  });

  it("all errors of a file at once, in file order", () => {
    const body = `parameters:
  n: { type: integer, default: x }
steps:
${PREP}    enviroment: {}
  f: { type: fail, message: "\${{ steps.nope.name }}" }
`;
    const e = errors(body);
    expect(e.map((l) => l.split(": error: ")[0])).toEqual(["p.yaml:6:32", "p.yaml:15:5", "p.yaml:16:34"]);
  });
});

describe("every problem at once", () => {
  it("malformed steps and parameters are set aside and the rest is still checked", () => {
    const body = `parameters:
  n: { type: integer, default: 3 }
  broken: { default: 1 }
steps:
  prep:
    type: processing
    image: sklearn:1.2-1
    instance: 5
  train:
    type: training
    image: xgboost:1.7-1
    instance: ml.m5.xlarge
    depends_on: [nope, prep]
    hyperparameters: { depth: "\${{ params.broken }}" }
  gate:
    type: condition
    if: \${{ params.missing > 2 }}
    then: [train, bad]
  bad:
    type: fail
`;
    // Three structural errors (prep's instance, bad's missing message, broken's missing type) and two
    // found only by the later checks; nothing about prep, bad or broken being "missing".
    expect(errors(body)).toEqual([
      "p.yaml:7:11: error: missing required key 'type' in parameter 'broken'",
      "p.yaml:12:15: error: 5 is not valid for step 'prep' (instance): expected instance type, or type, count and volume size",
      "p.yaml:13:3: error: step 'train' depends on unknown step 'nope'",
      "p.yaml:21:13: error: unknown parameter 'missing' in params.missing",
      "p.yaml:24:5: error: missing required key 'message' in step 'bad'",
    ]);
  });

  it("a step holding a value that is not plain data, or named as Python reserves, is set aside in the same way", () => {
    const body = `steps:
  __file__: { type: lambda, function: f }
  inf: { type: lambda, function: f, payload: { x: .inf } }
  train:
    type: training
    image: xgboost:1.7-1
    instance: ml.m5.xlarge
    depends_on: [nope]
`;
    expect(errors(body)).toEqual([
      "p.yaml:6:3: error: step id '__file__' is reserved: names that start and end with '__' belong to Python",
      "p.yaml:7:51: error: a number must be finite, not Infinity",
      "p.yaml:8:3: error: step 'train' depends on unknown step 'nope'",
    ]);
  });

  it("a malformed part outside steps and parameters still stops at the structural errors", () => {
    const e = errors(`schedule: 5\nsteps:\n  a: { type: fail, message: x, depends_on: [nope] }\n`);
    expect(e.length).toBeGreaterThan(0);
    // Only the schedule's own errors: the unknown dependency is found once the schedule is fixed.
    expect(e.filter((l) => !l.startsWith("p.yaml:5:11: error: 'schedule' "))).toEqual([]);
  });
});
