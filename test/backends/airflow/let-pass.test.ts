/**
 * A failure let pass (`on_failure: { ends: continues }`) on Airflow: a task
 * `<step>_passed` (trigger_rule all_done) after the step's task, which the
 * steps after it wait for. In real Airflow 2 and 3 against moto: a publish to
 * a topic that does not exist fails, the next step still publishes and the run
 * succeeds; when the step never ran because an earlier one failed, the run fails.
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { diffPipelines } from "../../../src/diff/compare.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import type { Pipeline } from "../../../src/ir/types.js";
import { liftCorpusFile } from "../stepfunctions/corpus-files.js";
import { airflowWithMoto, runDag } from "./support/airflow.js";
import { ancestorsOf, dagText, expectedOrder } from "./support/fixtures.js";

const topic = (name: string) => `arn:aws:sns:eu-west-1:111122223333:${name}`;
const publish = (id: string, to: string, extra = "") => `  ${id}:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "${topic(to)}", Message: ${id} }
${extra}`;
const head = (name: string) => `version: 1
pipeline: ${name}
region: eu-west-1
artifacts: s3://example-events-artifacts/runs
steps:
`;

/** `first` publishes to a topic that does not exist; its failure is let pass. */
const PASSES = `${head("passes")}${publish("first", "missing", "    on_failure: { ends: continues }\n")}${publish("then", "events", "    depends_on: [first]\n")}`;
/** Named errors: the call lets SNS's NotFoundException pass (a missing topic); another name lets nothing pass. */
const named = (pipelineName: string, error: string) => `${head(pipelineName)}${publish("first", "missing", `    on_failure: { errors: [${error}], ends: continues }\n`)}${publish("then", "events", "    depends_on: [first]\n")}`;
const NAMED = named("named", "SNS.NotFoundException");
const OTHER = named("other-name", "SNS.AuthorizationErrorException");
/** The same after a step that fails the run: `first` never runs. */
const NEVER = `${head("never-runs")}${publish("zero", "missing")}${publish("first", "events", "    depends_on: [zero]\n    on_failure: { ends: continues }\n")}${publish("then", "events", "    depends_on: [first]\n")}`;

function pipeline(text: string): Pipeline {
  const r = loadYamlText(text, "p.yaml", ".");
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.pipeline;
}

describe("a failure let pass, lowered for Airflow", () => {
  test("a <step>_passed task with trigger_rule all_done between the step and the steps after it; the capability says it is emulated", () => {
    const r = airflow.lower(pipeline(PASSES), { baseDir: ".", options: {} });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const dag = r.files.find((f) => f.kind === "dag")!.contents;
    expect(dag).toContain('    first_passed = PythonOperator(\n        task_id="first_passed",\n        python_callable=first_passed_gate,\n        trigger_rule="all_done",\n        retries=0,\n    )\n');
    expect(dag).toContain('def first_passed_gate(ti):\n    sy_passed(ti, ["first"])\n');
    expect(dag).toContain("    first >> first_passed >> then\n");
    expect(airflow.capabilities["on-failure.continues"].support).toBe("emulated");
  });

  test.each(["2", "3"])("Airflow %s: the DAG lifts back to the same pipeline (the passed task, or the call's passes=, is the step's on_failure)", (line) => {
    for (const text of [PASSES, NEVER, NAMED]) {
      const p = pipeline(text);
      const r = airflow.lift!({ file: "dag.py", text: dagText(p, { airflow: line }), given: { artifacts: p.artifacts } });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(diffPipelines(p, r.pipeline!)).toEqual([]);
    }
  });

  test("named errors: the aws step's call lets them pass (no task after it); refused for error classes, a retried step, other kinds", () => {
    const r = airflow.lower(pipeline(NAMED), { baseDir: ".", options: {} });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const dag = r.files.find((f) => f.kind === "dag")!.contents;
    expect(dag).toContain('        {},\n        passes=["SNS.NotFoundException"],\n    )\n');
    expect(dag).toContain("    first >> then\n");
    expect(dag).not.toContain("first_passed");
    const refused = (extra: string, kind = "") => {
      const text = kind || `${head("refused")}${publish("first", "missing", extra)}`;
      return airflow.lower(pipeline(text), { baseDir: ".", options: {} }).diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
    };
    expect(refused("    on_failure: { on: [throttling], ends: continues }\n")).toEqual([
      "step 'first': a failure let pass for some errors only is lowered for named errors of a call made once: this handler names error classes (throttling), which the call cannot tell apart; name the service's errors in 'errors'",
    ]);
    expect(refused("    retry: { attempts: 3 }\n    on_failure: { errors: [SNS.NotFoundException], ends: continues }\n")).toEqual([
      "step 'first': a failure let pass for some errors only is lowered for named errors of a call made once: the step retries, and the let-pass would come before the retries",
    ]);
    expect(refused("", `${head("refused")}  nap:\n    type: wait\n    seconds: 1\n    on_failure: { errors: [Oops], ends: continues }\n`)).toEqual([
      "step 'nap': a failure let pass for some errors only is lowered for aws steps alone, whose call tells the errors apart; a trigger rule sees that a task failed, not which error failed it",
    ]);
  });

  test("migration: the corpus machine whose crawler starts let CrawlerRunningException pass lifts and lowers for Airflow, each start's call letting it pass", () => {
    const lifted = liftCorpusFile("glue-crawler-etl-poller.asl.json");
    expect(lifted.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const r = airflow.lower(lifted.pipeline!, { baseDir: ".", options: {} });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const dag = r.files.find((f) => f.kind === "dag")!.contents;
    for (const crawler of ["lake-raw-crawler", "lake-curated-crawler"]) {
      expect(dag).toContain(`        "StartCrawler",\n        {"Name": "${crawler}"},\n        {},\n        passes=["Glue.CrawlerRunningException"],\n`);
    }
  });

  test("on a map step it is refused with the reason (the IR gives a map's own steps no handlers)", () => {
    const text = `${head("mapped")}  each:
    type: map
    items: [a, b]
    steps: [say]
    on_failure: { ends: continues }
  say:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "${topic("events")}", Message: "\${{ item }}" }
`;
    const r = airflow.lower(pipeline(text), { baseDir: ".", options: {} });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      "step 'each': a failure let pass (on_failure ends: continues) of a map step has no Airflow form: the task that lets it pass would need the state of each iteration's task",
    ]);
  });
});

/** A dag.test() run starts Airflow and talks to moto: minutes on a loaded machine, so no tight bound. */
const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

describe.each(["2", "3"] as const)("Airflow %s: a failure let pass in real Airflow against moto", (line) => {
  const [passes, never, namedPasses, other] = [pipeline(PASSES), pipeline(NEVER), pipeline(NAMED), pipeline(OTHER)];
  const env = airflowWithMoto(line, () => Object.fromEntries([passes, never, namedPasses, other].map((x) => [`${x.name}.py`, dagText(x, { airflow: line })])), DAG_RUN_TIMEOUT);
  const topics = [{ name: "events", queue: "events-seen" }];

  test("DagBag: the passed task follows the step, and every ordering of the pipeline holds", () => {
    const r = env.af.check(["inspect", join(env.af.home, "dags")]);
    expect(r.import_errors).toEqual({});
    const graph = Object.fromEntries(Object.entries(r.dags.passes.tasks as Record<string, { upstream: string[] }>).map(([id, t]) => [id, t.upstream]));
    expect(graph).toEqual({ first: [], first_passed: ["first"], then: ["first_passed"] });
    const order = ancestorsOf(graph);
    for (const [id, before] of Object.entries(expectedOrder(passes))) expect(order[id]).toEqual(expect.arrayContaining(before));
    expect(r.dags.passes.tasks.first_passed.trigger_rule).toBe("all_done");
  });

  test(
    "the publish to a missing topic fails, the next step publishes, and the run succeeds",
    () => {
      const r = runDag(env, passes, line, { topics });
      expect(r.tasks).toEqual({ first: "failed", first_passed: "success", then: "success" });
      expect(r.state).toBe("success");
      expect(r.published.events.map((m: { Message: string }) => m.Message)).toEqual(["then"]);
    },
    DAG_RUN_TIMEOUT,
  );

  test(
    "a step that never ran because an earlier one failed lets nothing pass: the run fails and nothing after it runs",
    () => {
      const r = runDag(env, never, line, { topics });
      expect(r.tasks).toEqual({ zero: "failed", first: "upstream_failed", first_passed: "failed", then: "upstream_failed" });
      expect(r.state).toBe("failed");
      expect(r.published.events).toEqual([]);
    },
    DAG_RUN_TIMEOUT,
  );

  test(
    "named errors: the call lets NotFoundException pass and the task succeeds; a handler naming another error lets nothing pass",
    () => {
      const r = runDag(env, namedPasses, line, { topics });
      expect([r.state, r.tasks]).toEqual(["success", { first: "success", then: "success" }]);
      expect(r.published.events.map((m: { Message: string }) => m.Message)).toEqual(["then"]);
      const o = runDag(env, other, line, { topics });
      expect([o.state, o.tasks]).toEqual(["failed", { first: "failed", then: "upstream_failed" }]);
    },
    DAG_RUN_TIMEOUT,
  );
});
