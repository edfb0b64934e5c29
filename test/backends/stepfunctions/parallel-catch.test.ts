/**
 * A Catch on a Parallel state (a try/catch around a whole workflow, as the
 * AWS Serverless Data Lake Framework writes every stage): lifted as the same
 * failure handler on every step inside. Run before and after lifting: the same
 * calls on success, and on a failure the handler's call and the same end.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { awsError, lower, run } from "./support.js";

const FN = (name: string) => `arn:aws:lambda:us-east-1:111122223333:function:${name}`;
const task = (fn: string, next?: string) => ({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: FN(fn), "Payload.$": "$" }, ResultPath: null, ...(next ? { Next: next } : { End: true }) });

const TRY = {
  StartAt: "Try",
  States: {
    Try: {
      Type: "Parallel",
      Branches: [{ StartAt: "Preupdate", States: { Preupdate: task("preupdate", "Process"), Process: task("process", "Postupdate"), Postupdate: task("postupdate") } }],
      Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: "Error" }],
      Next: "Done",
    },
    Done: { Type: "Succeed" },
    Error: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: FN("error"), "Payload.$": "$" }, Next: "Fail" },
    Fail: { Type: "Fail", Error: "StageFailed" },
  },
};

const lift = (m: unknown) => backend.lift!({ file: "m.asl.json", text: JSON.stringify(m, null, 2) });
const errors = (r: ReturnType<typeof lift>) => r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).replace(/^m\.asl\.json:\d+:\d+: error: /, ""));

/** Each function called, in order, with a stand-in that fails the named one. */
async function calls(def: unknown, failing?: string, input: unknown = { body: { team: "a" } }): Promise<{ status: string; error?: string; called: string[] }> {
  const called: string[] = [];
  const handlers: Record<string, (i: any) => unknown> = {};
  const collect = (states: Record<string, any>) => {
    for (const [k, st] of Object.entries(states)) {
      if (st.Type === "Task") {
        handlers[k] = (i: any) => {
          const fn = String(i.FunctionName).split(":").pop()!;
          called.push(fn);
          if (fn === failing) throw awsError("Lambda.Unknown", "it broke");
          return { Payload: { ok: true } };
        };
      }
      for (const b of st.Branches ?? []) collect(b.States);
    }
  };
  collect((def as { States: Record<string, unknown> }).States as Record<string, any>);
  const o = await run(def, input, handlers);
  return { status: o.status, error: o.error, called };
}

describe("a Catch on a Parallel state", () => {
  test("is the failure handler of every step inside, one handler", () => {
    const r = lift(TRY);
    expect(errors(r)).toEqual([]);
    const ids = ["Preupdate", "Process", "Postupdate"];
    for (const id of ids) expect(r.pipeline!.steps.find((s) => s.id === id)!.on_failure, id).toMatchObject([{ steps: ["Error", "Fail"] }]);
    expect(r.pipeline!.steps.map((s) => s.id)).toEqual([...ids, "Error", "Fail"]);
    // One branch: nothing runs beside the failing step, so nothing is said.
    expect(r.diagnostics.filter((d) => d.message.includes("Catch of Parallel"))).toEqual([]);
  });

  test.each([undefined, "preupdate", "process", "postupdate"])("run before and after lifting, failing %s: the same calls and the same end", async (failing) => {
    const again = lower(lift(TRY).pipeline!).definition;
    const before = await calls(TRY, failing);
    const after = await calls(again, failing);
    expect(after).toEqual(before);
    expect(before.status).toBe(failing ? "FAILED" : "SUCCEEDED");
    if (failing) expect(before).toMatchObject({ error: "StageFailed", called: expect.arrayContaining(["error"]) });
  });

  test.each(["a", "b"])("a Fail state inside is a fail step whose failure handler is the Catch's: run before and after lifting (team %s), the same calls and the same end", async (team) => {
    const m = structuredClone(TRY) as any;
    const branch = m.States.Try.Branches[0].States;
    branch.Process.Next = "Check";
    branch.Check = { Type: "Choice", Choices: [{ Variable: "$.body.team", StringEquals: "a", Next: "Broken" }], Default: "Postupdate" };
    branch.Broken = { Type: "Fail", Error: "Broken", Cause: "team a is broken" };
    const r = lift(m);
    expect(errors(r)).toEqual([]);
    expect(r.pipeline!.steps.find((s) => s.id === "Broken")).toMatchObject({ kind: "fail", on_failure: [{ steps: ["Error", "Fail"] }] });
    const again = lower(r.pipeline!).definition;
    // The fail step hands its error to the handler where the Catch would have put it.
    expect(again.States.Broken).toEqual({ Type: "Pass", Parameters: { Error: "Broken", Cause: "team a is broken" }, ResultPath: "$.error", Next: "Error" });
    const before = await calls(m, undefined, { body: { team } });
    expect(await calls(again, undefined, { body: { team } })).toEqual(before);
    expect(before).toEqual(team === "a" ? { status: "FAILED", error: "StageFailed", called: ["preupdate", "process", "error"] } : { status: "SUCCEEDED", error: undefined, called: ["preupdate", "process", "postupdate"] });
    // Our own machine lifts back to the same fail step and handler.
    const back = backend.lift!({ file: "again.asl.json", text: JSON.stringify(again, null, 2) });
    expect(errors(back)).toEqual([]);
    expect(back.pipeline!.steps.find((s) => s.id === "Broken")).toMatchObject({ kind: "fail", on_failure: [{ steps: ["Error", "Fail"] }] });
  });

  test("several branches: said that the others go on while the handler runs; a step with its own Catch, or a Fail whose error the Catch does not name, is refused", () => {
    const two = structuredClone(TRY) as any;
    two.States.Try.Branches.push({ StartAt: "Side", States: { Side: task("side") } });
    expect(lift(two).diagnostics.filter((d) => d.severity === "warning").map((d) => d.message)).toContain(
      "$.States.Try.Catch: the Catch of Parallel state 'Try' is read as the failure handler of each step inside; when one fails, the steps of other branches go on while the handler runs, where Step Functions stops them first",
    );
    const failing = structuredClone(TRY) as any;
    failing.States.Try.Branches[0].States.Postupdate = { Type: "Choice", Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Fine" }], Default: "Broken" };
    failing.States.Try.Branches[0].States.Fine = { Type: "Succeed" };
    failing.States.Try.Branches[0].States.Broken = { Type: "Fail", Error: "Broken" };
    failing.States.Try.Branches[0].States.Process.Catch = [{ ErrorEquals: ["States.TaskFailed"], Next: "Broken" }];
    failing.States.Try.Catch = [{ ErrorEquals: ["States.TaskFailed"], ResultPath: null, Next: "Error" }];
    const r = lift(failing);
    expect(r.pipeline).toBeUndefined();
    expect(errors(r)).toEqual([
      "$.States.Try: state 'Process' has a Catch of its own inside Parallel state 'Try', whose Catch then catches what its handler ends with; the IR has one failure handler a step",
      "$.States.Try: Fail state 'Broken' fails the Parallel state 'Try' with an error its Catch does not name (only States.ALL or the error's own name is read as catching it)",
    ]);
  });
});

describe("a Catch on a Parallel of several branches", () => {
  const TWO = {
    StartAt: "Work",
    States: {
      Work: {
        Type: "Parallel",
        Branches: [
          { StartAt: "Left", States: { Left: task("left") } },
          { StartAt: "Right", States: { Right: task("right", "After"), After: task("after") } },
        ],
        ResultPath: null,
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: "Error" }],
        Next: "Done",
      },
      Done: { Type: "Succeed" },
      Error: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: FN("error"), "Payload.$": "$" }, Next: "Fail" },
      Fail: { Type: "Fail", Error: "StageFailed" },
    },
  };

  test("lowers the handler every step inside shares back onto the Parallel (one handler cannot be reached from several branches); our machine lifts back to the same pipeline", () => {
    const p = lift(TWO).pipeline!;
    const again = lower(p);
    expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const par = Object.entries(again.definition.States as Record<string, any>).find(([, st]) => st.Type === "Parallel")!;
    expect(par[0]).toBe("Parallel: Left, Right");
    expect(par[1].Catch).toEqual([{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Error" }]);
    // The steps inside catch nothing of their own.
    expect(JSON.stringify(par[1].Branches)).not.toContain("Catch");
    const back = backend.lift!({ file: "again.asl.json", text: JSON.stringify(again.definition, null, 2) });
    // No error, and no word on branches going on: the machine says what the pipeline does.
    expect(back.diagnostics.filter((d) => d.severity === "error" || d.message.includes("Catch of Parallel")).map((d) => formatDiagnostic(d))).toEqual([]);
    expect(lower(back.pipeline!).definition).toEqual(again.definition);
  });

  test.each([undefined, "left", "right", "after"])("run before and after lifting, failing %s: the same calls and the same end", async (failing) => {
    const again = lower(lift(TWO).pipeline!).definition;
    const before = await calls(TWO, failing);
    const after = await calls(again, failing);
    expect(after.status).toBe(before.status);
    expect(after.error).toBe(before.error);
    // Branches run side by side: the calls compared as sets (the handler's last).
    expect([...after.called].sort()).toEqual([...before.called].sort());
    if (failing) expect([before.called.at(-1), after.called.at(-1)]).toEqual(["error", "error"]);
  });
});

