/**
 * Branches that meet again: a step after a condition that waits for the
 * steps of its branches that ran (`depends_on: [condition, ...branch steps]`).
 * Lifted from Airflow's idioms (an EmptyOperator join with
 * none_failed_min_one_success, an empty task a branch returns to do nothing,
 * a task with that trigger rule); lowered again for Airflow (the same trigger
 * rule), Step Functions (the Choice's branches go on to the step) and refused
 * by SageMaker (SDK issue #3565). In real Airflow against moto, the original
 * file and the lifted DAG publish the same messages, each branch taken once.
 */
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import sagemaker from "../../../backends/sagemaker/index.js";
import stepfunctions from "../../../backends/stepfunctions/index.js";
import { refusals } from "../../../src/backend/refusals.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { printExpr } from "../../../src/ir/expr/print.js";
import type { Pipeline, Step } from "../../../src/ir/types.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { runDag } from "./support/airflow.js";
import { fixture, lifted, originalAndLifted } from "./support/original-and-lifted.js";
import { dagText } from "./support/fixtures.js";
import { run } from "../stepfunctions/support.js";

const GIVEN = { artifacts: "s3://feature-refresh-artifacts/runs" };
const CASES = {
  refresh: { file: "branch_join_refresh.py", topic: "feature-refresh" },
  drift: { file: "branch_skip_join.py", topic: "drift-watch" },
  gate: { file: "short_circuit_gate.py", topic: "score-gate" },
  gateTf: { file: "taskflow_short_circuit.py", topic: "score-gate-tf" },
  oneSuccess: { file: "branch_one_success_join.py", topic: "train-or-tune" },
};

const step = (p: Pipeline, id: string) => p.steps.find((s) => s.id === id) as Step & Record<string, any>;

describe("a join after a branch, lifted from Airflow", () => {
  test("an EmptyOperator join (none_failed_min_one_success) is taken out: the task after it waits for the condition and both branches' tasks", () => {
    const { p, warnings } = lifted(CASES.refresh.file);
    expect(p.steps.map((s) => `${s.id}:${s.depends_on.join(",")}`)).toEqual(["pick:", "full_refresh:pick", "incremental_refresh:pick", "announce:full_refresh,incremental_refresh,pick"]);
    expect([step(p, "pick").then, step(p, "pick").else]).toEqual([["full_refresh"], ["incremental_refresh"]]);
    expect(warnings).toEqual([
      "branch_join_refresh.py:32:5: warning: task 'join' (EmptyOperator) does nothing but join branches, so it is not a step: the tasks after it wait for the tasks before it that ran, as they do in Airflow",
    ]);
    // No setting kept: the lowering writes the join's trigger rule on the task after it.
    expect(step(p, "announce").targets).toEqual({});
  });

  test("an empty task a branch returns is a branch without steps; a task with the join rule (TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS) after both waits for the condition", () => {
    const { p, warnings } = lifted(CASES.drift.file);
    expect(p.steps.map((s) => `${s.id}:${s.depends_on.join(",")}`)).toEqual(["decide:", "retrain:decide", "report:retrain,decide"]);
    expect([step(p, "decide").then, step(p, "decide").else]).toEqual([["retrain"], []]);
    expect(warnings).toEqual([
      "branch_skip_join.py:32:5: warning: task 'skip_retrain' (EmptyOperator) is a branch that does nothing, so it is not a step: that branch has no steps, and the tasks after it wait for the branch taken",
    ]);
    expect(step(p, "report").targets).toEqual({});
  });

  test("a join that waits for one branch alone is skipped with it, as any task: it is lifted into that branch", () => {
    const text = fixture(CASES.refresh.file).replace("pick >> [full, incremental] >> join >> announce", "pick >> [full, incremental]\n    full >> join >> announce");
    const r = airflow.lift!({ file: "one.py", text, given: GIVEN });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect([step(r.pipeline!, "pick").then, step(r.pipeline!, "pick").else, step(r.pipeline!, "announce").depends_on]).toEqual([["full_refresh", "announce"], ["incremental_refresh"], ["full_refresh"]]);
  });

  /** The refresh DAG with a second choice inside the incremental branch (big or small), and the join waiting for `ups`. */
  const nested = (ups: string) =>
    fixture(CASES.refresh.file)
      .replace("def pick_refresh(**context):", 'def pick_size(**context):\n    if context["params"]["size"] == "big":\n        return "big"\n    return "small"\n\n\ndef pick_refresh(**context):')
      .replace('params={"mode": Param("full", type="string", enum=["full", "incremental"])}', 'params={"mode": Param("full", type="string", enum=["full", "incremental"]), "size": Param("big", type="string")}')
      .replace("    join = EmptyOperator", '    size = BranchPythonOperator(task_id="size", python_callable=pick_size)\n    big = SnsPublishOperator(task_id="big", target_arn=TOPIC, message="big", region_name=REGION)\n    small = SnsPublishOperator(task_id="small", target_arn=TOPIC, message="small", region_name=REGION)\n    join = EmptyOperator')
      .replace("pick >> [full, incremental] >> join >> announce", `pick >> [full, incremental]\n    incremental >> size >> [big, small]\n    ${ups} >> join >> announce`);

  test("a join after a condition inside a branch: it waits for the outer condition, the inner one and their branches' tasks", () => {
    const r = airflow.lift!({ file: "nested.py", text: nested("[full, big, small]"), given: GIVEN });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const p = r.pipeline!;
    expect([step(p, "pick").then, step(p, "pick").else, step(p, "size").then, step(p, "size").else]).toEqual([["full_refresh"], ["incremental_refresh", "size"], ["big"], ["small"]]);
    expect(step(p, "announce").depends_on).toEqual(["full_refresh", "big", "small", "pick", "size"]);
  });

  test("a join that Airflow would skip when a condition inside a branch chose the other way is refused, naming the branch", () => {
    const r = airflow.lift!({ file: "nested.py", text: nested("[full, big]"), given: GIVEN });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => `${formatDiagnostic(d).split("\n")[0]} | ${d.hint}`)).toEqual([
      "nested.py:42:5: error: task 'announce' joins the branches of 'pick', but none of the tasks it waits for in the else branch runs whenever that branch does; Airflow then skips it, which a step after 'pick' cannot say | have 'announce' also wait for 'pick', or for a task its else branch always runs",
    ]);
  });

  test("a join with trigger_rule ONE_SUCCESS, where each branch gives it one task and nothing else comes before it, joins as none_failed_min_one_success does", () => {
    const { p, warnings } = lifted(CASES.oneSuccess.file);
    expect(p.steps.map((s) => `${s.id}:${s.depends_on.join(",")}`)).toEqual(["branching:", "train_model:branching", "tune_model:branching", "batch_score:train_model,tune_model,branching"]);
    expect(warnings).toEqual([
      "branch_one_success_join.py:33:5: warning: task 'join' (EmptyOperator) does nothing but join branches, so it is not a step: the tasks after it wait for the tasks before it that ran, as they do in Airflow",
    ]);
    expect(step(p, "batch_score").targets).toEqual({});
    // The rule on the task itself, too.
    const own = airflow.lift!({ file: "own.py", text: fixture(CASES.refresh.file).replace('    join = EmptyOperator(task_id="join", trigger_rule="none_failed_min_one_success")\n', "").replace('subject="done", region_name=REGION)', 'subject="done", region_name=REGION, trigger_rule="one_success")').replace(">> join >> announce", ">> announce"), given: GIVEN });
    expect(own.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([]);
    expect(step(own.pipeline!, "announce").depends_on).toEqual(["full_refresh", "incremental_refresh", "pick"]);
  });

  test("a ONE_SUCCESS join that would run before a branch ends is refused: two tasks in one branch, no branch at all, or the condition itself before it", () => {
    const text = fixture(CASES.oneSuccess.file);
    // The sweep's report is a second task of that branch before the join: the join would run after the first of the two.
    const two = airflow.lift!({
      file: "two.py",
      text: text.replace("branching >> [train, tune] >> join >> score", 'sweep_report = SnsPublishOperator(task_id="sweep_report", target_arn=TOPIC, message="swept", region_name=REGION)\n    branching >> [train, tune]\n    tune >> sweep_report\n    [train, tune, sweep_report] >> join >> score'),
      given: GIVEN,
    });
    expect(two.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      "two.py:34:5: error: task 'batch_score' (after an empty join) joins the branches of 'branching' with trigger_rule 'one_success', which runs it once the first task before it succeeds: that is waiting for the branch taken only where each branch gives it one task and nothing else comes before it",
    ]);
    // No branch at all: the join ran the scoring after the first of two tasks.
    const gather = airflow.lift!({ file: "gather.py", text: text.replace(/ {4}branching = BranchPythonOperator.*\n/, "").replace("branching >> [train, tune] >> join >> score", "[train, tune] >> join >> score"), given: GIVEN });
    expect(gather.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      "gather.py:33:5: error: task 'batch_score' follows an empty join with trigger_rule 'one_success', which runs it once the first of the tasks before the join succeeds; a step waits for all the steps before it",
    ]);
    const early = airflow.lift!({ file: "early.py", text: text.replace("branching >> [train, tune] >> join >> score", "branching >> [train, tune, join]\n    [train, tune] >> join >> score"), given: GIVEN });
    expect(early.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      "early.py:34:5: error: task 'batch_score' follows an empty join with trigger_rule 'one_success' that waits for 'branching' itself: the join runs once 'branching' has decided, before either branch ends, which a step after 'branching' cannot say",
    ]);
  });

  test("another trigger rule on a join is still refused by name", () => {
    const text = fixture(CASES.refresh.file).replace('trigger_rule="none_failed_min_one_success"', 'trigger_rule="all_done"');
    const r = airflow.lift!({ file: "other.py", text, given: GIVEN });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      "other.py:32:5: error: task 'join': EmptyOperator has no neutral step kind (a task that does nothing orders other tasks; write the order as dependencies), so the DAG cannot be lifted as a whole",
    ]);
  });
});

describe("a ShortCircuitOperator", () => {
  test("is a condition on what its callable returns, every task after it in its then branch, none in its else", () => {
    const { p, warnings } = lifted(CASES.gate.file);
    expect(warnings).toEqual([]);
    expect(p.steps.map((s) => `${s.id}:${s.depends_on.join(",")}`)).toEqual(["audit:", "gate:", "publish_scores:gate", "notice:publish_scores,audit"]);
    expect([step(p, "gate").then, step(p, "gate").else, printExpr(step(p, "gate").if)]).toEqual([["publish_scores", "notice"], [], "params.rows >= 1000"]);
    // Lowered again: a branch operator that returns its branch's tasks, or none.
    expect(dagText(p, { airflow: "2" })).toContain('    if operator.ge(params["rows"], 1000):\n        return ["publish_scores", "notice"]\n    return []');
  });

  test("a TaskFlow @task.short_circuit function too, its arguments read as its locals", () => {
    const { p, warnings } = lifted(CASES.gateTf.file);
    expect(warnings).toEqual([]);
    expect(p.steps.map((s) => `${s.id}:${s.depends_on.join(",")}`)).toEqual(["publish_scores:enough_rows", "enough_rows:"]);
    expect([step(p, "enough_rows").then, step(p, "enough_rows").else, printExpr(step(p, "enough_rows").if)]).toEqual([["publish_scores"], [], "params.rows >= 1000"]);
  });

  test("a task after it with another trigger rule is refused (the short circuit skips it whatever its rule); so is a callable that is no 'return <condition>'", () => {
    const text = fixture(CASES.gate.file);
    const bad = airflow.lift!({ file: "g.py", text: text.replace('message="noticed", region_name=REGION)', 'message="noticed", region_name=REGION, trigger_rule="all_done")'), given: GIVEN });
    expect(bad.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      "g.py:29:5: error: task 'notice' follows ShortCircuitOperator 'gate' with trigger_rule 'all_done'; the short circuit skips it whatever its rule, which a step in a condition's branch with that rule cannot say",
    ]);
    const odd = airflow.lift!({ file: "g.py", text: text.replace('    return context["params"]["rows"] >= 1000', '    rows = context["params"]["rows"]\n    print(rows)\n    return rows >= 1000'), given: GIVEN });
    expect(odd.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      expect.stringMatching(/^g\.py:\d+:\d+: error: task 'gate': a ShortCircuitOperator can be lifted only when it returns a condition on parameters or step results; /),
    ]);
  });
});

describe("a join lowered again", () => {
  const { p } = lifted(CASES.refresh.file);

  test("Airflow: the branch callable returns the join with each branch; it waits for both branches' tasks with none_failed_min_one_success", () => {
    const dag = dagText(p, { airflow: "2" });
    expect(dag).toContain('        return ["full_refresh", "announce"]\n    return ["incremental_refresh", "announce"]');
    expect(dag).toContain('    announce = PythonOperator(\n        task_id="announce",\n        python_callable=announce_call,\n        trigger_rule="none_failed_min_one_success",\n    )');
    expect(dag).toContain("    pick >> [full_refresh, incremental_refresh, announce]\n    full_refresh >> announce\n    incremental_refresh >> announce\n");
  });

  test("Step Functions: both branches of the Choice go on to the join's state, which runs after the branch taken (executed both ways)", async () => {
    const out = stepfunctions.lower(p, { baseDir: ".", options: {} });
    const def = JSON.parse(out.files.find((f) => f.kind === "definition")!.contents);
    const states = def.States as Record<string, any>;
    expect([states.pick.Type, states.pick.Choices[0].Next, states.pick.Default]).toEqual(["Choice", "full_refresh", "incremental_refresh"]);
    expect([states.full_refresh.Next, states.incremental_refresh.Next]).toEqual(["announce", "announce"]);
    const publish = (i: { Message: string }) => ({ MessageId: i.Message });
    const handlers = { full_refresh: publish, incremental_refresh: publish, announce: publish };
    for (const [mode, first] of [["full", "full_refresh"], ["incremental", "incremental_refresh"]]) {
      const r = await run(def, { mode }, handlers);
      expect([r.status, r.finished]).toEqual(["SUCCEEDED", [first, "announce"]]);
    }
  });

  test("SageMaker refuses it, naming the step and the reason", () => {
    const refused = refusals(sagemaker, p).map((d) => formatDiagnostic(d).split("\n")[0]);
    expect(refused.filter((l) => !l.includes("aws step is not supported"))).toEqual([
      "branch_join_refresh.py:33:5: error: step 'announce': a step after a condition, outside its branches (depends_on the condition; with steps of its branches, it waits for those that ran) is not supported by Amazon SageMaker Pipelines: a step cannot depend on a condition step, and one that depends on steps of both branches waits for all of them, so it never runs (SDK issue #3565); put the step in each branch, or compile for stepfunctions or airflow",
    ]);
  });
});

/** A dag.test() run starts Airflow and talks to moto: minutes on a loaded machine, so no tight bound. */
const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

/** A join inside a map: each iteration's own branch runs, then the join, in that iteration. */
const IN_MAP = `version: 1
pipeline: sizes
region: eu-west-1
role: arn:aws:iam::111122223333:role/Jobs
artifacts: s3://feature-refresh-artifacts/runs
steps:
  each:
    type: map
    items: ["a", "bb"]
    steps: [pick, done]
  pick:
    type: condition
    if: \${{ item == 'a' }}
    then: [long]
    else: [short]
  long: { type: aws, service: sns, action: Publish, request: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:sizes", Message: "long \${{ item }}" } }
  short: { type: aws, service: sns, action: Publish, request: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:sizes", Message: "short \${{ item }}" } }
  done: { type: aws, service: sns, action: Publish, request: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:sizes", Message: "done \${{ item }}" }, depends_on: [pick, long, short] }
`;

const airflowRuns = (names: Array<keyof typeof CASES>, more: Pipeline[] = []) => originalAndLifted(CASES, names, DAG_RUN_TIMEOUT, more);

describe("Airflow 2: joins, the original file and the lifted DAG in real Airflow against moto", () => {
  const inMap = loadYamlText(IN_MAP, "sizes.yaml", ".").pipeline!;
  const { env, runBoth } = airflowRuns(["drift", "refresh", "oneSuccess"], [inMap]);

  test(
    "drift_watch: the report follows the retraining, or the branch that does nothing",
    () => {
      const high = runBoth("drift", { drift: 0.5 });
      expect(high[0]).toEqual({ tasks: { decide: "success", retrain: "success", skip_retrain: "skipped", report: "success" }, messages: ["drift checked", "retraining"] });
      expect(high[1]).toEqual({ tasks: { decide: "success", retrain: "success", report: "success" }, messages: high[0].messages });
      const low = runBoth("drift", { drift: 0.1 });
      expect(low[0]).toEqual({ tasks: { decide: "success", retrain: "skipped", skip_retrain: "success", report: "success" }, messages: ["drift checked"] });
      expect(low[1]).toEqual({ tasks: { decide: "success", retrain: "skipped", report: "success" }, messages: low[0].messages });
    },
    DAG_RUN_TIMEOUT,
  );

  test(
    "feature_refresh: either branch runs, then the announcement; the other branch is skipped",
    () => {
      const full = runBoth("refresh", { mode: "full" });
      expect(full[0]).toEqual({ tasks: { pick: "success", full_refresh: "success", incremental_refresh: "skipped", join: "success", announce: "success" }, messages: ["full refresh", "refreshed"] });
      expect(full[1]).toEqual({ tasks: { pick: "success", full_refresh: "success", incremental_refresh: "skipped", announce: "success" }, messages: full[0].messages });
      const part = runBoth("refresh", { mode: "incremental" });
      expect(part[0]).toEqual({ tasks: { pick: "success", full_refresh: "skipped", incremental_refresh: "success", join: "success", announce: "success" }, messages: ["incremental refresh", "refreshed"] });
      expect(part[1]).toEqual({ tasks: { pick: "success", full_refresh: "skipped", incremental_refresh: "success", announce: "success" }, messages: part[0].messages });
    },
    DAG_RUN_TIMEOUT,
  );

  test(
    "train_or_tune: the ONE_SUCCESS join and the lifted join each let the scoring follow the training or the sweep",
    () => {
      const tune = runBoth("oneSuccess", { sweep: "yes" });
      expect(tune[0]).toEqual({ tasks: { branching: "success", train_model: "skipped", tune_model: "success", join: "success", batch_score: "success" }, messages: ["scored", "tuned"] });
      expect(tune[1]).toEqual({ tasks: { branching: "success", train_model: "skipped", tune_model: "success", batch_score: "success" }, messages: tune[0].messages });
      const train = runBoth("oneSuccess", { sweep: "no" });
      expect(train[0]).toEqual({ tasks: { branching: "success", train_model: "success", tune_model: "skipped", join: "success", batch_score: "success" }, messages: ["scored", "trained"] });
      expect(train[1]).toEqual({ tasks: { branching: "success", train_model: "success", tune_model: "skipped", batch_score: "success" }, messages: train[0].messages });
    },
    DAG_RUN_TIMEOUT,
  );

  test(
    "a join inside a map: each iteration runs its own branch, then the join",
    () => {
      const r = runDag(env, inMap, "2", { topics: [{ name: "sizes", queue: "sizes-seen" }] });
      expect(r.state).toBe("success");
      expect(Object.entries(r.tasks as Record<string, string>).filter(([t]) => /^(long|short|done)\[/.test(t)).sort()).toEqual([
        ["done[0]", "success"], ["done[1]", "success"], ["long[0]", "success"], ["long[1]", "skipped"], ["short[0]", "skipped"], ["short[1]", "success"],
      ]);
      expect((r.published.sizes as Array<{ Message: string }>).map((m) => m.Message).sort()).toEqual(["done a", "done bb", "long a", "short bb"]);
    },
    DAG_RUN_TIMEOUT,
  );
});

describe("Airflow 2: short circuits, the original file and the lifted DAG in real Airflow against moto", () => {
  const { runBoth } = airflowRuns(["gate", "gateTf"]);

  test(
    "score_gate: enough rows, everything runs; too few, the short circuit skips the publishing and the notice after it, not the audit",
    () => {
      const many = runBoth("gate", { rows: 5000 });
      expect(many[0]).toEqual({ tasks: { audit: "success", gate: "success", publish_scores: "success", notice: "success" }, messages: ["audited", "noticed", "published"] });
      expect(many[1]).toEqual(many[0]);
      const few = runBoth("gate", { rows: 10 });
      expect(few[0]).toEqual({ tasks: { audit: "success", gate: "success", publish_scores: "skipped", notice: "skipped" }, messages: ["audited"] });
      expect(few[1]).toEqual(few[0]);
    },
    DAG_RUN_TIMEOUT,
  );

  test(
    "score_gate_tf: the @task.short_circuit function lets the publishing run, or skips it",
    () => {
      const many = runBoth("gateTf", { rows: 5000 });
      expect(many[0]).toEqual({ tasks: { enough_rows: "success", publish_scores: "success" }, messages: ["published"] });
      expect(many[1]).toEqual(many[0]);
      const few = runBoth("gateTf", { rows: 10 });
      expect(few[0]).toEqual({ tasks: { enough_rows: "success", publish_scores: "skipped" }, messages: [] });
      expect(few[1]).toEqual(few[0]);
    },
    DAG_RUN_TIMEOUT,
  );
});
