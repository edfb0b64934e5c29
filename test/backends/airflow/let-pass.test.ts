/**
 * A failure let pass (`on_failure: { ends: continues }`) on Airflow: a task
 * `<step>_passed` (trigger_rule all_done) after the step's task, which the
 * steps after it wait for; after a first step, the steps after it wait with
 * trigger_rule all_done themselves. In real Airflow 2 and 3 against moto: a
 * publish to a topic that does not exist fails, the next step still publishes
 * and the run succeeds; when the step never ran because an earlier one failed,
 * the run fails. A hand-written all_done after first tasks lifts as their
 * failures let pass.
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

/**
 * `first` and `second` publish to a topic that does not exist; their failures are let pass. `first` is a
 * first step (`then` waits with all_done); `second` comes after `zero` (a `second_passed` task).
 */
const PASSES = `${head("passes")}${publish("first", "missing", "    on_failure: { ends: continues }\n")}${publish("then", "events", "    depends_on: [first]\n")}${publish("zero", "events")}${publish("second", "missing", "    depends_on: [zero]\n    on_failure: { ends: continues }\n")}${publish("last", "events", "    depends_on: [second]\n")}`;
/** Named errors: the call lets SNS's NotFoundException pass (a missing topic); another name lets nothing pass. */
const named = (pipelineName: string, error: string) => `${head(pipelineName)}${publish("first", "missing", `    on_failure: { errors: [${error}], ends: continues }\n`)}${publish("then", "events", "    depends_on: [first]\n")}`;
const NAMED = named("named", "SNS.NotFoundException");
const OTHER = named("other-name", "SNS.AuthorizationErrorException");
/** A map's step lets its failure pass: the iteration publishing to the missing topic goes on, and so do the others and the step after the map. */
const IN_MAP = `${head("in-map")}  each:
    type: map
    items: \${{ ["events", "missing", "events"] }}
    steps: [say]
  say:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:\${{ item }}", Message: say }
    on_failure: { ends: continues }
${publish("after", "events", "    depends_on: [each]\n")}`;
/** The same after a step that fails the run: `first` never runs. */
const NEVER = `${head("never-runs")}${publish("zero", "missing")}${publish("first", "events", "    depends_on: [zero]\n    on_failure: { ends: continues }\n")}${publish("then", "events", "    depends_on: [first]\n")}`;

function pipeline(text: string): Pipeline {
  const r = loadYamlText(text, "p.yaml", ".");
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.pipeline;
}

describe("a failure let pass, lowered for Airflow", () => {
  test("a <step>_passed task with trigger_rule all_done between the step and the steps after it; after a first step, all_done on the steps after it; the capability says it is emulated", () => {
    const r = airflow.lower(pipeline(PASSES), { baseDir: ".", options: {} });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const dag = r.files.find((f) => f.kind === "dag")!.contents;
    expect(dag).toContain('    second_passed = PythonOperator(\n        task_id="second_passed",\n        python_callable=second_passed_gate,\n        trigger_rule="all_done",\n        retries=0,\n    )\n');
    expect(dag).toContain('def second_passed_gate(ti):\n    sy_passed(ti, ["second"])\n');
    expect(dag).toContain("    zero >> second >> second_passed >> last\n");
    expect(dag).toMatch(/\n {4}then = PythonOperator\(\s*task_id="then",\s*python_callable=then_call,\s*trigger_rule="all_done",?\s*\)\n/);
    expect(dag).toContain("    first >> then\n");
    expect(dag).not.toContain("first_passed");
    expect(dag.match(/trigger_rule=/g)).toHaveLength(2);
    expect(airflow.capabilities["on-failure.continues"].support).toBe("emulated");
  });

  test("all_done only where every step after a first step waits for such steps alone, outside conditions, with one task", () => {
    const rules = (text: string) => {
      const dag = airflow.lower(pipeline(text), { baseDir: ".", options: {} }).files.find((f) => f.kind === "dag")!.contents;
      return [...dag.matchAll(/task_id="([^"]+)"(?:(?!task_id=)[^])*?trigger_rule="([a-z_]+)"/g)].map((m) => `${m[1]}: ${m[2]}`);
    };
    const pass = "    on_failure: { ends: continues }\n";
    // Two first steps before one step: it waits for both whatever they ended with.
    expect(rules(`${head("two")}${publish("a", "missing", pass)}${publish("b", "missing", pass)}${publish("c", "events", "    depends_on: [a, b]\n")}`)).toEqual(["c: all_done"]);
    // A step after a first step and a step that may fail: the first step's failure is let pass by a task of its own.
    expect(rules(`${head("mixed")}${publish("a", "missing", pass)}${publish("b", "events")}${publish("c", "events", "    depends_on: [a, b]\n")}`)).toEqual(["a_passed: all_done"]);
    // One step after it that fits and one that does not: neither waits with all_done.
    expect(rules(`${head("split")}${publish("a", "missing", pass)}${publish("b", "events")}${publish("c", "events", "    depends_on: [a]\n")}${publish("d", "events", "    depends_on: [a, b]\n")}`)).toEqual(["a_passed: all_done"]);
    // A step copied per item (foreach) has a task a copy.
    expect(rules(`${head("copies")}${publish("a", "missing", pass)}${publish("c", "events", "    depends_on: [a]\n    foreach: [x, y]\n")}`)).toEqual(["a_passed: all_done"]);
  });

  test.each(["2", "3"])("Airflow %s: the DAG lifts back to the same pipeline (the passed task, or the call's passes=, is the step's on_failure)", (line) => {
    for (const text of [PASSES, NEVER, NAMED, IN_MAP]) {
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

  test("a hand-written trigger_rule all_done after first tasks that lead to it alone lifts as their failures let pass; not where another task follows them or a step reads what they make", () => {
    const dag = (notify: string, extra = "") => `from datetime import datetime

from airflow import DAG
from airflow.providers.amazon.aws.operators.lambda_function import LambdaInvokeFunctionOperator
from airflow.utils.trigger_rule import TriggerRule

with DAG(dag_id="always_notify", schedule=None, start_date=datetime(2025, 1, 1), catchup=False) as dag:
    score = LambdaInvokeFunctionOperator(task_id="score", function_name="score-batch", region_name="eu-west-1")
    audit = LambdaInvokeFunctionOperator(task_id="audit", function_name="audit-batch", region_name="eu-west-1")
    notify = LambdaInvokeFunctionOperator(
        task_id="notify",
        function_name="notify-team",
        payload=${notify},
        region_name="eu-west-1",
        trigger_rule=TriggerRule.ALL_DONE,
    )
    [score, audit] >> notify
${extra}`;
    const given = { role: "arn:aws:iam::111122223333:role/Scoring", artifacts: "s3://example-scoring-artifacts/runs" };
    const lift = (text: string) => airflow.lift!({ file: "always_notify.py", text, given });
    const r = lift(dag(`'{"channel": "ml"}'`));
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const steps = Object.fromEntries(r.pipeline!.steps.map((s) => [s.id, s]));
    for (const id of ["score", "audit"]) expect(steps[id].on_failure?.map((h) => [h.ends, h.steps, h.pos.line, h.pos.col])).toEqual([["continues", [], 15, 22]]);
    expect(steps.notify.on_failure).toBeUndefined();
    expect(steps.notify.targets.airflow).toBeUndefined();
    expect(r.diagnostics.map((d) => d.message).join("\n")).not.toContain("trigger_rule");
    // Lowered again for Airflow, the same DAG: notify waits for both with all_done, no task added.
    const again = airflow.lower(r.pipeline!, { baseDir: ".", options: {} }).files.find((f) => f.kind === "dag")!.contents;
    expect(again).toContain('        trigger_rule="all_done",\n');
    expect(again).toContain("    score >> notify\n    audit >> notify\n");
    expect(again).not.toContain("_passed");
    // Another task after score: its failure fails the run there, so the rule stays an Airflow setting of notify.
    const other = lift(dag(`'{"channel": "ml"}'`, '    archive = LambdaInvokeFunctionOperator(task_id="archive", function_name="archive-batch", region_name="eu-west-1")\n    score >> archive\n'));
    expect(other.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(other.pipeline!.steps.map((s) => s.on_failure)).toEqual([undefined, undefined, undefined, undefined]);
    expect(other.pipeline!.steps.find((s) => s.id === "notify")!.targets.airflow?.settings).toEqual({ trigger_rule: "all_done" });
    // notify reads what score returns, which a failed score never made: the same.
    const reads = airflow.lift!({
      file: "always_notify.py",
      given: { ...given, region: "eu-west-1" },
      text: `from datetime import datetime

from airflow.decorators import dag, task


@dag(dag_id="always_notify", schedule=None, start_date=datetime(2025, 1, 1), catchup=False)
def always_notify():
    @task
    def score():
        return {"rows": 3}

    @task(trigger_rule="all_done")
    def notify(summary):
        print(summary)

    notify(score())


always_notify()
`,
    });
    expect(reads.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(reads.pipeline!.steps.map((s) => [s.id, s.on_failure])).toEqual([["score", undefined], ["notify", undefined]]);
    expect(reads.pipeline!.steps.find((s) => s.id === "notify")!.targets.airflow?.settings).toEqual({ trigger_rule: "all_done" });
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

  test("on a map's step: the passed task is in the map's task group after it, and the results task waits for it", () => {
    const r = airflow.lower(pipeline(IN_MAP), { baseDir: ".", options: {} });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const dag = r.files.find((f) => f.kind === "dag")!.contents;
    expect(dag).toMatch(/ {4}def each_each\(item\):\n {8}say = PythonOperator\([^]*? {8}say_passed = PythonOperator\(\n {12}task_id="say_passed",\n {12}python_callable=say_passed_gate,\n {12}trigger_rule="all_done",\n {12}retries=0,\n {8}\)\n {8}return \(say, say_passed\)\n/);
    expect(dag).toContain("    each >> each_results\n    say >> say_passed >> each_results >> after\n");
    const helpers = r.files.find((f) => f.kind === "helpers")!.contents;
    expect(helpers).toContain("if t.task_id in task_ids and t.map_index == ti.map_index\n");
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
  const [passes, never, namedPasses, other, inMap] = [pipeline(PASSES), pipeline(NEVER), pipeline(NAMED), pipeline(OTHER), pipeline(IN_MAP)];
  const env = airflowWithMoto(line, () => Object.fromEntries([passes, never, namedPasses, other, inMap].map((x) => [`${x.name}.py`, dagText(x, { airflow: line })])), DAG_RUN_TIMEOUT);
  const topics = [{ name: "events", queue: "events-seen" }];

  test("DagBag: the passed task follows the step, and every ordering of the pipeline holds", () => {
    const r = env.af.check(["inspect", join(env.af.home, "dags")]);
    expect(r.import_errors).toEqual({});
    const graph = Object.fromEntries(Object.entries(r.dags.passes.tasks as Record<string, { upstream: string[] }>).map(([id, t]) => [id, t.upstream]));
    expect(graph).toEqual({ first: [], then: ["first"], zero: [], second: ["zero"], second_passed: ["second"], last: ["second_passed"] });
    const order = ancestorsOf(graph);
    for (const [id, before] of Object.entries(expectedOrder(passes))) expect(order[id]).toEqual(expect.arrayContaining(before));
    const rules = Object.fromEntries(Object.entries(r.dags.passes.tasks as Record<string, { trigger_rule: string }>).map(([id, t]) => [id, t.trigger_rule]));
    expect(rules).toEqual({ first: "all_success", then: "all_done", zero: "all_success", second: "all_success", second_passed: "all_done", last: "all_success" });
  });

  test(
    "each publish to a missing topic fails, the steps after it publish, and the run succeeds",
    () => {
      const r = runDag(env, passes, line, { topics });
      expect(r.tasks).toEqual({ first: "failed", then: "success", zero: "success", second: "failed", second_passed: "success", last: "success" });
      expect(r.state).toBe("success");
      expect(r.published.events.map((m: { Message: string }) => m.Message).sort()).toEqual(["last", "then", "zero"]);
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
    "in a map: the iteration whose publish fails goes on (its passed task looks at its own map index), the others publish, and the step after the map runs",
    () => {
      const r = runDag(env, inMap, line, { topics });
      expect(r.tasks).toEqual({
        each: "success",
        "say[0]": "success",
        "say[1]": "failed",
        "say[2]": "success",
        "say_passed[0]": "success",
        "say_passed[1]": "success",
        "say_passed[2]": "success",
        each_results: "success",
        after: "success",
      });
      expect(r.state).toBe("success");
      expect(r.published.events.map((m: { Message: string }) => m.Message).sort()).toEqual(["after", "say", "say"]);
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
