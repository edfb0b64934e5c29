/**
 * Failure handlers for some error classes, and handlers that end the execution
 * succeeded (the failure absorbed): lowered to Catch, executed in
 * aws-local-stepfunctions, refused by the targets that cannot do them, and
 * lifted back to the same pipeline.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import airflow from "../../../backends/airflow/index.js";
import sagemaker from "../../../backends/sagemaker/index.js";
import { refusals } from "../../../src/backend/refusals.js";
import { checkPipeline } from "../../../src/ir/check/index.js";
import { diffPipelines } from "../../../src/diff/compare.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { handlers, head, publish, sent } from "./notices.js";
import { aslValidator, lower, run, yaml } from "./support.js";


/** A job submitted to AWS Batch (waiting for it), then a notice; the handler notifies of the failure. */
const SERIAL = `${head("absorb")}  submit:
    type: aws
    service: batch
    action: SubmitJob
    wait: true
    request: { jobName: j, jobQueue: q, jobDefinition: d }
    on_failure: { steps: [told], on: [timeout], ends: succeeded }
${publish("done", "ok", "    depends_on: [submit]\n")}${publish("told", "failed")}`;

/** Two independent branches; one of them absorbs its failure inside the Parallel. */
const PARALLEL = `${head("absorb")}${publish("left", "left", "    on_failure: { steps: [told], ends: succeeded }\n")}${publish("right", "right")}${publish("after", "after", "    depends_on: [left, right]\n")}${publish("told", "failed")}`;



describe("failure handlers for some errors, and ones that end the execution succeeded", () => {
  test("a Catch of the classes' error names into the handler, ending in a Succeed", () => {
    const def = lower(yaml(SERIAL)).definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    expect(def.States.submit.Catch).toEqual([{ ErrorEquals: ["States.Timeout"], ResultPath: "$.error", Next: "told" }]);
    expect(def.States.told.Next).toBe("told.handled");
    expect(def.States["told.handled"]).toEqual({ Type: "Succeed" });
  });

  test("the handler runs for the errors it names and the run succeeds; any other error fails the run without it", async () => {
    const def = lower(yaml(SERIAL)).definition;
    const timedOut = await run(def, {}, handlers(def, { j: "States.Timeout" }));
    expect([timedOut.status, sent(def, timedOut)]).toEqual(["SUCCEEDED", ["j", "failed"]]);
    const failed = await run(def, {}, handlers(def, { j: "States.TaskFailed" }));
    expect([failed.status, failed.error, sent(def, failed)]).toEqual(["FAILED", "States.TaskFailed", ["j"]]);
    const fine = await run(def, {}, handlers(def, {}));
    expect([fine.status, sent(def, fine)]).toEqual(["SUCCEEDED", ["j", "ok"]]);
  });

  test("inside a Parallel branch the handler ends with Switchyard.Succeeded, which the Parallel catches into a Succeed", async () => {
    const def = lower(yaml(PARALLEL)).definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    const par = Object.entries<any>(def.States).find(([, st]) => st.Type === "Parallel")!;
    expect(par[1].Catch).toEqual([{ ErrorEquals: ["Switchyard.Succeeded"], Next: `${par[0]}.handled` }]);
    expect(def.States[`${par[0]}.handled`]).toEqual({ Type: "Succeed" });
    const r = await run(def, {}, handlers(def, { left: "SNS.InternalErrorException" }));
    // The failure is absorbed: the run succeeds, and the step after both branches never runs.
    expect(r.status).toBe("SUCCEEDED");
    expect(sent(def, r)).toContain("failed");
    expect(sent(def, r)).not.toContain("after");
    const fine = await run(def, {}, handlers(def, {}));
    expect([fine.status, sent(def, fine).sort()]).toEqual(["SUCCEEDED", ["after", "left", "right"]]);
  });

  test("our own output lifts back to the same pipeline", () => {
    for (const text of [SERIAL, PARALLEL]) {
      const p = yaml(text);
      const def = lower(p).definition;
      const r = backend.lift!({ file: "own.asl.json", text: JSON.stringify(def, null, 2), given: { role: p.role, artifacts: p.artifacts } });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(diffPipelines(p, r.pipeline!)).toEqual([]);
    }
  });

  test("Airflow refuses both, each with its reason; SageMaker refuses the handler once", () => {
    const p = yaml(SERIAL);
    const af = refusals(airflow, p).map((d) => d.message);
    expect(af).toEqual([
      "step 'submit': failure handler for some errors only is not supported by Apache Airflow on Amazon MWAA: a trigger rule sees that a task failed, not which error failed it, so the handler would run for every error",
      "step 'submit': failure handler that ends the execution succeeded is not supported by Apache Airflow on Amazon MWAA: a run ends failed when a task downstream of the failed one is upstream_failed; no trigger rule absorbs the failure",
    ]);
    const sm = refusals(sagemaker, p).filter((d) => d.message.includes("failure handler"));
    expect(sm.map((d) => d.message)).toEqual(["step 'submit': steps that run when a step fails (failure handler) is not supported by Amazon SageMaker Pipelines: SageMaker Pipelines runs no step when another fails"]);
  });

  test("the checks: a handler without steps must end succeeded, one with a fail step cannot, and shared handler steps end one way", () => {
    const check = (steps: string) => {
      const r = loadYamlText(`${head("absorb")}${steps}`, "h.yaml", "fixtures");
      return [...r.diagnostics, ...(r.pipeline ? checkPipeline(r.pipeline) : [])].filter((d) => d.severity === "error").map((d) => d.message);
    };
    expect(check(publish("a", "a", "    on_failure: { steps: [] }\n"))).toEqual([
      "step 'a': a failure handler without steps must say 'ends: succeeded' (the run ends there) or 'ends: continues' (the run goes on); one that ends failed would change nothing",
    ]);
    expect(check(`${publish("a", "a", "    on_failure: { steps: [stop], ends: succeeded }\n")}  stop:\n    type: fail\n    message: stop\n`)).toEqual([
      "step 'a': failure handler step 'stop' fails the execution, so it cannot end succeeded",
    ]);
    expect(check(`${publish("a", "a", "    on_failure: { steps: [n], ends: succeeded }\n")}${publish("b", "b", "    on_failure: [n]\n")}${publish("n", "n")}`)).toEqual([
      "step 'b' shares failure handler step 'n' with step 'a', but the execution ends failed after one and succeeded after the other",
    ]);
    expect(check(publish("a", "a", "    on_failure: { steps: [], on: [oops], ends: maybe }\n")).length).toBeGreaterThan(0);
  });
});

describe("a wait step with a failure handler", () => {
  // As the lifter reads an Airflow DAG whose alert follows a pause and a job with trigger_rule one_failed.
  const text = `${head("pause")}${publish("load", "load", "    on_failure: [told]\n")}  settle:
    type: wait
    seconds: 120
    depends_on: [load]
    on_failure: [told]
${publish("after", "after", "    depends_on: [settle]\n    on_failure: [told]\n")}${publish("told", "failed")}`;

  test("lowers with a warning (a Wait state cannot fail); the handler still runs for the steps around it", async () => {
    const out = backend.lower(yaml(text, "pause.yaml"), { baseDir: "." });
    expect(out.diagnostics.map((d) => `${d.severity}: ${d.message}`)).toEqual(["warning: step 'settle': a wait step is a Wait state, which cannot fail, so its failure handler never runs for it"]);
    const def = JSON.parse(out.files.find((f) => f.kind === "definition")!.contents);
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    expect(def.States.settle).toEqual({ Type: "Wait", Seconds: 120, Next: "after" });
    const r = await run(def, {}, handlers(def, { after: "SNS.InternalErrorException" }));
    expect([r.status, sent(def, r)]).toEqual(["FAILED", ["load", "after", "failed"]]);
  });
});

describe("a failure handler only a wait step names", () => {
  test("has no state in the machine (nothing can reach it), with the warning", () => {
    const text = `${head("pause")}  settle:
    type: wait
    seconds: 120
    on_failure: [told]
${publish("after", "after", "    depends_on: [settle]\n")}${publish("told", "failed")}`;
    const out = backend.lower(yaml(text, "pause.yaml"), { baseDir: "." });
    expect(out.diagnostics.map((d) => `${d.severity}: ${d.message}`)).toEqual(["warning: step 'settle': a wait step is a Wait state, which cannot fail, so its failure handler never runs for it"]);
    const def = JSON.parse(out.files.find((f) => f.kind === "definition")!.contents);
    expect(Object.keys(def.States)).toEqual(["Set up", "settle", "after"]);
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
  });
});

