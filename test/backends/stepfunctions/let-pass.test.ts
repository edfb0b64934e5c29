/**
 * Failures let pass (`on_failure: { ends: continues }`): lowered to a Catch
 * into the state the step goes on to, executed in aws-local-stepfunctions,
 * checked (nothing reads what the step makes), refused by the targets that
 * cannot do it, and lifted back to the same pipeline.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import airflow from "../../../backends/airflow/index.js";
import sagemaker from "../../../backends/sagemaker/index.js";
import { refusals } from "../../../src/backend/refusals.js";
import { checkPipeline } from "../../../src/ir/check/index.js";
import { diffPipelines } from "../../../src/diff/compare.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { printYaml } from "../../../src/frontends/yaml/print.js";
import { handlers, head, publish, sent } from "./notices.js";
import { aslValidator, lower, run, yaml } from "./support.js";

/** A notice whose failure (when SNS throttles it) is let pass, then one more. */
const SERIAL = `${head("pass")}${publish("first", "first", "    on_failure: { errors: [SNS.ThrottledException], ends: continues }\n")}${publish("then", "then", "    depends_on: [first]\n")}`;

/** Two branches; the last step of one lets any failure pass; a step after both. */
const PARALLEL = `${head("pass")}${publish("left", "left", "    on_failure: { ends: continues }\n")}${publish("right", "right")}${publish("after", "after", "    depends_on: [left, right]\n")}`;

/** A map's step lets any failure pass: the iteration ends there, the others go on, and the step after the map runs. */
const IN_MAP = `${head("pass")}  each:
    type: map
    items: \${{ ["a", "b", "c"] }}
    steps: [say]
${publish("say", "\${{ item }}", "    on_failure: { ends: continues }\n")}${publish("after", "after", "    depends_on: [each]\n")}`;

/** The last step of the machine lets its failure pass. */
const LAST = `${head("pass")}${publish("a", "a")}${publish("b", "b", "    depends_on: [a]\n    on_failure: { ends: continues }\n")}`;

const errors = (text: string) => {
  const r = loadYamlText(text, "p.yaml", "fixtures");
  return [...r.diagnostics, ...(r.pipeline ? checkPipeline(r.pipeline) : [])].filter((d) => d.severity === "error").map((d) => `${d.pos?.line}:${d.pos?.col}: ${d.message}`);
};

describe("a failure let pass: the run goes on after the step", () => {
  test("the step's Task catches the handler's errors into its own Next, keeping the data as it was", () => {
    const def = lower(yaml(SERIAL)).definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    expect(def.States.first.Next).toBe("then");
    expect(def.States.first.Catch).toEqual([{ ErrorEquals: ["SNS.ThrottledException"], ResultPath: null, Next: "then" }]);
  });

  test("run: a throttled notice is passed over and the next is sent; another error fails the run", async () => {
    const def = lower(yaml(SERIAL)).definition;
    const passed = await run(def, {}, handlers(def, { first: "SNS.ThrottledException" }));
    expect([passed.status, sent(def, passed)]).toEqual(["SUCCEEDED", ["first", "then"]]);
    const failed = await run(def, {}, handlers(def, { first: "SNS.InternalErrorException" }));
    expect([failed.status, failed.error, sent(def, failed)]).toEqual(["FAILED", "SNS.InternalErrorException", ["first"]]);
  });

  test("inside a Parallel branch, and last in the machine, the catch goes to a Pass that ends there", async () => {
    const par = lower(yaml(PARALLEL)).definition;
    expect(aslValidator(par)).toMatchObject({ isValid: true, errors: [] });
    const r = await run(par, {}, handlers(par, { left: "SNS.InternalErrorException" }));
    expect([r.status, sent(par, r).sort()]).toEqual(["SUCCEEDED", ["after", "left", "right"]]);
    const last = lower(yaml(LAST)).definition;
    expect(aslValidator(last)).toMatchObject({ isValid: true, errors: [] });
    expect(last.States.b.Catch).toEqual([{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: "b.passed" }]);
    expect(last.States["b.passed"]).toEqual({ Type: "Pass", End: true });
    const l = await run(last, {}, handlers(last, { b: "SNS.InternalErrorException" }));
    expect([l.status, sent(last, l)]).toEqual(["SUCCEEDED", ["a", "b"]]);
  });

  test("inside a map's iteration, the catch goes to a Pass that ends the iteration: a failed item is passed over, the others and the step after the map run", async () => {
    expect(errors(IN_MAP)).toEqual([]);
    const def = lower(yaml(IN_MAP)).definition;
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
    const iteration = def.States.each.ItemProcessor.States;
    expect(iteration.say.Catch).toEqual([{ ErrorEquals: ["States.ALL"], ResultPath: null, Next: "say.passed" }]);
    expect(iteration["say.passed"]).toEqual({ Type: "Pass", End: true });
    const r = await run(def, {}, handlers(def, { b: "SNS.InternalErrorException" }));
    expect([r.status, r.started.filter((n) => n === "say").length, r.inputs.say.map((i) => i.Message).sort()]).toEqual(["SUCCEEDED", 3, ["a", "b", "c"]]);
    expect(r.started).toContain("after");
    // Airflow emulates it in the map's task group (test/backends/airflow/let-pass.test.ts runs it).
    expect(refusals(airflow, yaml(IN_MAP))).toEqual([]);
  });

  test("our own output lifts back to the same pipeline, and YAML prints it as `{ ends: continues }`", () => {
    for (const text of [SERIAL, PARALLEL, LAST, IN_MAP]) {
      const p = yaml(text);
      const def = lower(p).definition;
      const r = backend.lift!({ file: "own.asl.json", text: JSON.stringify(def, null, 2), given: { role: p.role, artifacts: p.artifacts } });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(diffPipelines(p, r.pipeline!)).toEqual([]);
    }
    const printed = printYaml(yaml(LAST));
    expect(printed).toContain("on_failure:\n      ends: continues\n");
    expect(diffPipelines(yaml(LAST), yaml(printed))).toEqual([]);
  });

  test("the checks: nothing may read what the step makes; a handler that continues runs no steps; a fail step cannot continue", () => {
    const reads = `${head("pass")}${publish("a", "a", "    on_failure: { ends: continues }\n")}${publish("b", "${{ steps.a.response.MessageId }}")}`;
    expect(errors(reads)).toEqual([
      "17:80: step 'b' reads steps.a.response.MessageId, which step 'a' does not make when its failure is let pass (on_failure ends: continues)",
    ]);
    const withSteps = `${head("pass")}${publish("a", "a", "    on_failure: { steps: [n], ends: continues }\n")}${publish("n", "n")}`;
    expect(errors(withSteps)).toEqual(["12:17: step 'a': a failure handler with 'ends: continues' lets the failure pass and runs no steps"]);
    const fail = `${head("pass")}  stop:\n    type: fail\n    message: stop\n    on_failure: { ends: continues }\n`;
    expect(errors(fail)).toEqual(["10:17: step 'stop': a fail step's failure cannot be let pass (failing is all it does)"]);
  });

  test("Airflow emulates both (test/backends/airflow/let-pass.test.ts); SageMaker refuses the handler", () => {
    const p = yaml(LAST);
    expect(refusals(airflow, p)).toEqual([]);
    expect(refusals(airflow, yaml(SERIAL))).toEqual([]);
    expect(airflow.capabilities["on-failure.continues"].support).toBe("emulated");
    expect(airflow.capabilities["on-failure.continues-errors"].support).toBe("emulated");
    expect(refusals(sagemaker, p).map((d) => d.message)).toContain(
      "step 'b': steps that run when a step fails (failure handler) is not supported by Amazon SageMaker Pipelines: SageMaker Pipelines runs no step when another fails",
    );
  });
});
