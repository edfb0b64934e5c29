/** The fixtures lowered: files, both validators, the golden file, determinism, refusals, usage. */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { refusals } from "../../../src/backend/refusals.js";
import { FEATURE_IDS } from "../../../src/ir/features.js";
import backend from "../../../backends/stepfunctions/index.js";
import { aslValidator, fixture, languageService, lower } from "./support.js";

const golden = (name: string) => readFileSync(new URL(`./golden/${name}`, import.meta.url), "utf8");

describe("abalone", async () => {
  const full = await fixture("abalone");
  const p = await fixture("abalone", { dropCache: true });

  test("its step cache is a warning naming the step and the reason: the step runs without it", () => {
    const diags = refusals(backend, full);
    expect(diags.map((d) => [d.severity, d.message])).toEqual([
      ["warning", "step 'preprocess': step result cache is not supported by AWS Step Functions: " + backend.capabilities.cache.note + " (the step runs without it)"],
    ]);
    expect(diags[0].pos?.line).toBe(full.steps[0].pos.line);
  });

  test("it lowers to the hand-checked golden files, the same with or without the cache line", () => {
    const out = lower(full);
    expect(lower(p).files).toEqual(out.files);
    expect(out.diagnostics).toEqual([]);
    expect(out.files.map((f) => [f.path, f.kind])).toEqual([
      ["state-machine.asl.json", "definition"],
      ["schedule.json", "schedule"],
      ["code-manifest.json", "manifest"],
    ]);
    for (const f of out.files) expect(f.contents, f.path).toBe(golden(`abalone.${f.path}`));
  });

  test("the summary reports no added ordering and the critical path", () => {
    expect(lower(p).summary).toMatchObject({
      addedOrderings: [],
      criticalPath: { ir: { seconds: 3300, steps: 6 }, lowered: { seconds: 3300, steps: 6 } },
    });
  });

  test("usage: state transitions and S3 reads along the expected path", () => {
    const u = backend.usage!(p, lower(p).files);
    // Read input, Merge parameters, Check parameters, preprocess, train, evaluate, evaluate.read.metrics,
    // mse_gate, the Parallel, register, model, batch_score (the gate's other branch fails: no Pass joins them).
    expect(u).toMatchObject({ stateTransitions: 12, lambdaInvocations: 0, sqsMessages: 0, s3Requests: 1 });
  });
});

describe("churn", async () => {
  const p = await fixture("churn");

  test("lowers cleanly with an EventBridge schedule", () => {
    const out = lower(p);
    expect(out.diagnostics).toEqual([]);
    const sched = JSON.parse(out.files.find((f) => f.kind === "schedule")!.contents);
    expect(sched).toEqual({
      Name: "churn-nightly-schedule",
      Description: "Starts the state machine churn-nightly on cron '30 2 * * *'",
      ScheduleExpression: "cron(30 2 * * ? *)",
      ScheduleExpressionTimezone: "UTC",
      FlexibleTimeWindow: { Mode: "OFF" },
      State: "ENABLED",
      Target: { Arn: "arn:aws:states:eu-west-1:111122223333:stateMachine:churn-nightly", RoleArn: "arn:aws:iam::111122223333:role/MLPipelineRole", Input: "{}" },
    });
    const manifest = JSON.parse(out.files.find((f) => f.kind === "manifest")!.contents).files;
    expect(manifest.map((m: { path: string; steps: string[] }) => [m.path, m.steps])).toEqual([["scripts/features.py", ["features"]]]);
  });

  test("usage counts the approval message, the lambda call and the assumed endpoint polls", () => {
    const u = backend.usage!(p, lower(p).files);
    // 14 states before polling (with Check parameters) + 16 polls x (Wait, describe, Choice) + 15 counts + deploy.done
    // (auc_gate's other branch fails: no Pass joins them).
    expect(u).toMatchObject({ stateTransitions: 78, lambdaInvocations: 1, sqsMessages: 1, s3Requests: 0 });
    expect(u.pollingNote).toContain("16 polls");
  });

  test("the approval task waits for its token no longer than the step timeout", () => {
    const st = lower(p).definition.States.approve;
    expect(st.Type).toBe("Task");
    expect(st.Resource).toBe("arn:aws:states:::sqs:sendMessage.waitForTaskToken");
    expect(st.TimeoutSeconds).toBe(3 * 86400);
    expect(st.Parameters.MessageBody["token.$"]).toBe("$$.Task.Token");
  });
});

describe("both validators accept every fixture's machine", () => {
  for (const name of ["abalone", "churn"]) {
    test(name, async () => {
      const out = lower(await fixture(name, { dropCache: true }));
      const text = out.files.find((f) => f.kind === "definition")!.contents;
      expect(aslValidator(out.definition)).toMatchObject({ isValid: true, errors: [] });
      expect(await languageService(text)).toEqual([]);
      expect(backend.checkLimits(await fixture(name, { dropCache: true }), out.files)).toEqual([]);
    });
  }
});

test("lowering is deterministic: the same input gives byte-identical files", async () => {
  for (const name of ["abalone", "churn"]) {
    const a = lower(await fixture(name, { dropCache: true })).files;
    const b = lower(await fixture(name, { dropCache: true })).files;
    expect(a).toEqual(b);
  }
});

test("the capability table covers every IR feature with a note", () => {
  expect(Object.keys(backend.capabilities).sort()).toEqual([...FEATURE_IDS].sort());
  for (const id of FEATURE_IDS) expect(backend.capabilities[id].note.length).toBeGreaterThan(10);
  expect(backend.limits.map((l) => l.id)).toEqual(expect.arrayContaining(["definition-size", "state-name-length", "history-events"]));
  for (const l of backend.limits) expect(l.source).not.toBe("");
});
