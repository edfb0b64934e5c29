import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { DescribeStateMachineCommand, ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";
import { GetScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { deployCommand, runCommand } from "../../src/deploy/index.js";
import { lowerPipeline } from "../../backends/stepfunctions/lower.js";
import { startMoto, type Moto } from "../support/moto.js";
import { abaloneText, logger, lowered, useTestCredentials } from "./support.js";

let moto: Moto;
const region = "us-east-1";
const GATE = new URL("./fixtures/gate.yaml", import.meta.url).pathname;

beforeAll(async () => {
  useTestCredentials();
  moto = await startMoto();
  // moto runs the state machines it is given (JSONPath states, Choice, Pass, Fail).
  await fetch(`${moto.url}/moto-api/config`, { method: "POST", body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }) });
  await new S3Client({ region, endpoint: moto.url, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: "example-ml-artifacts" }));
});
afterAll(async () => {
  await moto?.stop();
});

const opts = (dryRun = false) => {
  const l = logger();
  return { l, o: { baseDir: "", dryRun, endpointUrl: moto.url, log: l.log } };
};

async function machine(name: string) {
  const sfn = new SFNClient({ region, endpoint: moto.url });
  const list = await sfn.send(new ListStateMachinesCommand({}));
  const arn = list.stateMachines!.find((m) => m.name === name)!.stateMachineArn!;
  const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
  return { arn, role: d.roleArn, definition: JSON.parse(d.definition!) as { States: Record<string, { Parameters?: { defaults?: Record<string, unknown> } }> } };
}

describe("deploy --target stepfunctions (moto)", () => {
  it("creates the state machine with the pipeline's role and a schedule aimed at it", async () => {
    const { pipeline, files, baseDir } = await lowered("stepfunctions", abaloneText());
    const { o } = opts();
    const r = await deployCommand(pipeline, files, "stepfunctions", { ...o, baseDir });
    expect(r.diagnostics).toEqual([]);
    expect(r.changes.map((c) => [c.resource.replace(/\/code\/[0-9a-f]{16}\//, "/code/<hash>/"), c.action])).toEqual([
      ["s3://example-ml-artifacts/abalone/code/<hash>/evaluation.py", "created"],
      ["s3://example-ml-artifacts/abalone/code/<hash>/preprocessing.py", "created"],
      ["state machine abalone", "created"],
      ["schedule default/abalone-schedule", "created"],
    ]);
    const m = await machine("abalone");
    expect(m.role).toBe("arn:aws:iam::111122223333:role/SageMakerPipelineExecution");
    expect(m.definition).toEqual(JSON.parse(files.find((f) => f.kind === "definition")!.contents));
    const sch = await new SchedulerClient({ region, endpoint: moto.url }).send(new GetScheduleCommand({ Name: "abalone-schedule" }));
    // The target is the ARN the service gave the machine (moto's account), not one guessed from the role.
    expect(sch.Target?.Arn).toBe(m.arn);
    expect(sch.ScheduleExpression).toBe("cron(0 6 ? * MON *)");
  });

  it("changes nothing when deployed again", async () => {
    const { pipeline, files, baseDir } = await lowered("stepfunctions", abaloneText());
    const { l, o } = opts();
    const r = await deployCommand(pipeline, files, "stepfunctions", { ...o, baseDir });
    expect(r.diagnostics).toEqual([]);
    expect(r.changes.map((c) => c.action)).toEqual(["unchanged", "unchanged", "unchanged", "unchanged"]);
    expect(l.lines).toEqual(["no changes: 0 created, 0 updated, 4 unchanged"]);
  });

  it("dry-run shows a changed default as a diff and writes nothing; deploy updates it", async () => {
    const { pipeline, files, baseDir } = await lowered("stepfunctions", abaloneText().replace("default: 6.0", "default: 7.25"));
    const dry = opts(true);
    const r1 = await deployCommand(pipeline, files, "stepfunctions", { ...dry.o, baseDir });
    expect(r1.diagnostics).toEqual([]);
    const c = r1.changes.find((x) => x.resource === "state machine abalone")!;
    expect(c.action).toBe("updated");
    const body = c.diff!.split("\n").filter((x) => /^[-+][^-+]/.test(x)).map((x) => x.replace(/\s+/g, ""));
    expect(body).toEqual(['-"mse_threshold":6,', '+"mse_threshold":7.25,']);
    const defaults = async () => (await machine("abalone")).definition.States["Read input"].Parameters!.defaults!.mse_threshold;
    expect(await defaults()).toBe(6);

    const { o } = opts();
    const r2 = await deployCommand(pipeline, files, "stepfunctions", { ...o, baseDir });
    expect(r2.changes.find((x) => x.resource === "state machine abalone")?.action).toBe("updated");
    expect(await defaults()).toBe(7.25);
  });

  it("takes the machine's role from targets.stepfunctions.settings.roleArn when given", async () => {
    const text = readFileSync(GATE, "utf8").replace("steps:", "targets:\n  stepfunctions:\n    roleArn: arn:aws:iam::123456789012:role/OwnMachineRole\nsteps:");
    const { pipeline, files, baseDir } = await lowered("stepfunctions", text, GATE);
    const { o } = opts();
    const r = await deployCommand(pipeline, files, "stepfunctions", { ...o, baseDir });
    expect(r.diagnostics).toEqual([]);
    expect((await machine("gate")).role).toBe("arn:aws:iam::123456789012:role/OwnMachineRole");
  });

  it("reports what was done before a failure, and the failure as one line with the service's code", async () => {
    const text = abaloneText()
      .replace("s3://example-ml-artifacts/abalone", "s3://example-ml-artifacts/partial")
      .replace("pipeline: abalone", "pipeline: partial")
      .replace("steps:\n", "targets:\n  stepfunctions:\n    roleArn: not-a-role-arn\nsteps:\n");
    const { pipeline, files, baseDir } = await lowered("stepfunctions", text);
    const { o } = opts();
    const r = await deployCommand(pipeline, files, "stepfunctions", { ...o, baseDir });
    expect(r.changes.map((c) => [c.resource.replace(/\/code\/[0-9a-f]{16}\//, "/code/<hash>/"), c.action])).toEqual([
      ["s3://example-ml-artifacts/partial/code/<hash>/evaluation.py", "created"],
      ["s3://example-ml-artifacts/partial/code/<hash>/preprocessing.py", "created"],
    ]);
    expect(r.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/^stepfunctions CreateStateMachine: InvalidArn: .* — the request was rejected; check the value named in the message/)]);
  });

  it("refuses to deploy without a role, before calling AWS", async () => {
    const text = readFileSync(GATE, "utf8").replace(/^role: .*\n/m, "");
    const { pipeline, files, baseDir } = await lowered("stepfunctions", text, GATE);
    const { o } = opts();
    const r = await deployCommand(pipeline, files, "stepfunctions", { ...o, baseDir, endpointUrl: "http://127.0.0.1:9" });
    expect(r.changes).toEqual([]);
    expect(r.diagnostics.map((d) => [d.message, d.hint])).toEqual([
      ["pipeline 'gate' has no 'role': Step Functions needs an IAM role ARN for the state machine", "add `role:` to the pipeline, or `targets: { stepfunctions: { roleArn: ... } }`"],
    ]);
  });
});

describe("run --target stepfunctions --wait (moto executes the machine)", () => {
  const gate = async () => {
    const l = await lowered("stepfunctions", readFileSync(GATE, "utf8"), GATE);
    const { o } = opts();
    const d = await deployCommand(l.pipeline, l.files, "stepfunctions", { ...o, baseDir: l.baseDir });
    expect(d.diagnostics).toEqual([]);
    return l;
  };

  it("succeeds when the parameter passes the gate, with a plain line per step off a terminal", async () => {
    const { pipeline, files, baseDir } = await gate();
    const { l, o } = opts();
    const r = await runCommand(pipeline, files, "stepfunctions", { ...o, baseDir, params: { score: "0.9" }, wait: true, isTTY: false, pollMs: 50 });
    expect(r.diagnostics).toEqual([]);
    expect(r.status).toBe("SUCCEEDED");
    expect(l.lines[0]).toBe(`started ${r.executionId}`);
    expect(l.lines).toContain("  gate: Succeeded");
    expect(l.lines).toContain("  gate.end: Succeeded");
    expect(l.lines.some((x) => x.includes("reject"))).toBe(false);
    expect(l.lines.at(-1)).toBe(`${r.executionId}: SUCCEEDED`);
  });

  it("fails with the machine's error when it does not, and the execution input carried the typed parameter", async () => {
    const { pipeline, files, baseDir } = await gate();
    const { l, o } = opts();
    const r = await runCommand(pipeline, files, "stepfunctions", { ...o, baseDir, params: { score: "0.25" }, wait: true, isTTY: false, pollMs: 50 });
    expect(r.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("ended FAILED")]);
    expect(r.status).toBe("FAILED");
    expect(r.diagnostics[0].message).toContain(`ended FAILED: reject: score 0.25 is below 0.8 for it's "quoted" \${{ and }} $.path`);
    expect(l.lines).toContain("  reject: Failed");
  });

  it("draws a live status line on a terminal", async () => {
    const { pipeline, files, baseDir } = await gate();
    const { l, o } = opts();
    let drawn = "";
    const r = await runCommand(pipeline, files, "stepfunctions", { ...o, baseDir, params: {}, wait: true, isTTY: true, pollMs: 50, write: (t) => (drawn += t) });
    expect(r.status).toBe("FAILED");
    // Redrawn in place (carriage return + erase line), and cleared before the final line.
    expect(drawn).toMatch(/^\r\x1b\[2K. arn:aws:states:/);
    expect(drawn.endsWith("\r\x1b[2K")).toBe(true);
    expect(l.lines.at(-1)).toBe(`${r.executionId}: FAILED`);
  });

  it("follows abalone until moto stops at its first SageMaker job (moto cannot run `.sync` tasks)", async () => {
    const { pipeline, files, baseDir } = await lowered("stepfunctions", abaloneText());
    const { l, o } = opts();
    const r = await runCommand(pipeline, files, "stepfunctions", { ...o, baseDir, params: { mse_threshold: "5" }, wait: true, isTTY: false, pollMs: 50 });
    expect(r.status).toBe("FAILED");
    // How many polls see a step running depends on the machine's speed; which steps ran, in which
    // order, and how each ended do not. A step may be reported Running before it ends, never after.
    const steps = new Map<string, string[]>();
    for (const x of l.lines.filter((x) => x.startsWith("  "))) {
      const [name, status] = x.slice(2).split(": ");
      steps.set(name, [...(steps.get(name) ?? []), status]);
    }
    expect([...steps.keys()]).toEqual(["Read input", "Merge parameters", "Check parameters"]);
    for (const [name, seen] of steps) expect([["Succeeded"], ["Running", "Succeeded"]], name).toContainEqual(seen);
    expect(l.lines.at(-1)).toBe(`${r.executionId}: FAILED`);
    expect(l.lines.filter((x) => x.endsWith(": FAILED")).length).toBe(1);
    expect(r.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/ended FAILED: States\.Runtime: .*sagemaker:createProcessingJob\.sync/)]);
  });

  it("refuses unknown parameters and values of the wrong type before calling AWS", async () => {
    const { pipeline, files, baseDir } = await lowered("stepfunctions", readFileSync(GATE, "utf8"), GATE);
    const { o } = opts();
    const bad = await runCommand(pipeline, files, "stepfunctions", { ...o, baseDir, params: { score: "high" }, wait: false, isTTY: false });
    expect(bad.diagnostics.map((d) => d.message)).toEqual(["parameter 'score' is a number, not 'high'"]);
    const unknown = await runCommand(pipeline, files, "stepfunctions", { ...o, baseDir, params: { nope: "1" }, wait: false, isTTY: false });
    expect(unknown.diagnostics.map((d) => d.message)).toEqual(["unknown parameter 'nope' for pipeline 'gate'"]);
  });

  it("a split machine: its children are created first, under their numbered names, then the parent", async () => {
    const steps = Array.from({ length: 40 }, (_, i) => `  s${i}: { type: lambda, function: f${i}${i ? `, depends_on: [s${i - 1}]` : ""} }`).join("\n");
    const text = `version: 1\npipeline: chain\nrole: arn:aws:iam::111122223333:role/R\nregion: us-east-1\nartifacts: s3://example-ml-artifacts/chain\nsteps:\n${steps}\n`;
    const { pipeline, baseDir } = await lowered("stepfunctions", text);
    const out = lowerPipeline(pipeline, { bytes: 3_000, events: 1_000 });
    expect(out.diagnostics.map((d) => d.code)).toEqual(["stepfunctions-split"]);
    const children = out.files.filter((f) => f.kind === "child-definition");
    expect(children.length).toBeGreaterThan(1);
    const { l, o } = opts();
    const r = await deployCommand(pipeline, out.files, "stepfunctions", { ...o, baseDir });
    expect(r.diagnostics).toEqual([]);
    expect(r.changes.map((c) => [c.resource, c.action])).toEqual([...children.map((_, i) => [`state machine chain-part-${i + 1}`, "created"]), ["state machine chain", "created"]]);
    // The children are deployed: none is named as a file for reading only.
    expect(l.lines.filter((x) => x.includes("not deployed"))).toEqual([]);
    for (const [i, f] of children.entries()) expect((await machine(`chain-part-${i + 1}`)).definition).toEqual(JSON.parse(f.contents));
    expect((await machine("chain")).definition).toEqual(JSON.parse(out.files.find((f) => f.kind === "definition")!.contents));
  });
});
