/**
 * A branch callable that chooses one of three ways or more (if / elif / else,
 * or ifs that each return, then a last return): the IR's condition has two
 * branches, so it is lifted as conditions one inside the else branch of the
 * one before, which Python's order of tests is. A warning names them; lowered
 * again for Airflow, the later ways are chosen by tasks of their own. In real
 * Airflow against moto, the original file and the lifted DAG run and skip the
 * same tasks and publish the same messages, every way; the pipeline lowered
 * for Step Functions takes each way too.
 */
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import stepfunctions from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { printExpr } from "../../../src/ir/expr/print.js";
import type { Pipeline, Step } from "../../../src/ir/types.js";
import { dagText } from "./support/fixtures.js";
import { fixture, lifted, originalAndLifted } from "./support/original-and-lifted.js";
import { run } from "../stepfunctions/support.js";

const CASES = {
  churn: { file: "branch_three_ways.py", topic: "churn-refresh" },
  export: { file: "taskflow_branch_ways.py", topic: "export-format" },
};
const GIVEN = { artifacts: "s3://feature-refresh-artifacts/runs" };
const step = (p: Pipeline, id: string) => p.steps.find((s) => s.id === id) as Step & Record<string, any>;
const shape = (p: Pipeline) => p.steps.map((s) => (s.kind === "condition" ? `${s.id}? ${printExpr(s.if)} then [${s.then}] else [${s.else}] after [${s.depends_on}]` : `${s.id} after [${s.depends_on}]`));
const errors = (file: string, text: string) =>
  airflow.lift!({ file, text, given: GIVEN })
    .diagnostics.filter((d) => d.severity === "error")
    .map((d) => formatDiagnostic(d).split("\n")[0]);

describe("a branch callable of three ways or more, lifted", () => {
  test("if / elif / else: two conditions, the second in the else branch of the first; a list a way returns is that branch; the join waits for the way taken", () => {
    const { p, warnings } = lifted(CASES.churn.file);
    expect(shape(p)).toEqual([
      "choose? params.new_rows >= 1000000 then [full_retrain] else [choose_2] after []",
      "choose_2? params.new_rows >= 10000 then [fine_tune,drift_report] else [too_few_rows] after []",
      "full_retrain after [choose]",
      "fine_tune after [choose_2]",
      "drift_report after [choose_2]",
      "too_few_rows after [choose_2]",
      "announce after [full_retrain,fine_tune,drift_report,too_few_rows,choose,choose_2]",
    ]);
    expect(warnings).toEqual([
      "branch_three_ways.py:38:5: warning: task 'done' (EmptyOperator) does nothing but join branches, so it is not a step: the tasks after it wait for the tasks before it that ran, as they do in Airflow",
      "branch_three_ways.py:33:5: warning: task 'choose': its callable chooses one of 3 ways; a condition has two branches, so it is lifted as 2 conditions, 'choose', 'choose_2', each the else branch of the one before (lowered to Airflow, a task 'choose_2' chooses between the later ways)",
    ]);
    // The second condition is where its `elif` is written.
    expect(step(p, "choose_2").pos.line).toBe(20);
  });

  test("a TaskFlow @task.branch of ifs that each return, then a default: three conditions; a way that returns [] runs nothing", () => {
    const { p, warnings } = lifted(CASES.export.file);
    expect(shape(p)).toEqual([
      "pick_format? params.target == 'warehouse' then [export_parquet] else [pick_format_2] after [audit]",
      "pick_format_2? params.target == 'partner' then [export_csv] else [pick_format_3] after []",
      "pick_format_3? params.target == 'archive' then [] else [export_json] after []",
      "audit after []",
      "export_parquet after [pick_format]",
      "export_csv after [pick_format_2]",
      "export_json after [pick_format_3]",
    ]);
    expect(warnings.filter((w) => w.includes("ways"))).toEqual([
      "taskflow_branch_ways.py:27:12: warning: task 'pick_format': its callable chooses one of 4 ways; a condition has two branches, so it is lifted as 3 conditions, 'pick_format', 'pick_format_2', 'pick_format_3', each the else branch of the one before (lowered to Airflow, tasks 'pick_format_2', 'pick_format_3' choose between the later ways)",
    ]);
  });

  test("a made-up id is never a task's: a DAG with a task 'choose_2' gets 'choose_2_2'", () => {
    const text = fixture(CASES.churn.file).replace('task_id="announce"', 'task_id="choose_2"');
    const r = airflow.lift!({ file: "c.py", text, given: GIVEN });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.pipeline!.steps.map((s) => s.id)).toEqual(["choose", "choose_2_2", "full_retrain", "fine_tune", "drift_report", "too_few_rows", "choose_2"]);
  });

  test("refused, naming the task: a task returned by some ways but not all (a step is in one branch); an elif that reads what cannot be read; an elif that does not return", () => {
    const text = fixture(CASES.churn.file);
    expect(errors("c.py", text.replace('return "too_few_rows"', 'return ["too_few_rows", "drift_report"]'))).toEqual([
      "c.py:33:5: error: task 'choose': a BranchPythonOperator returns 'drift_report' in some of its 3 ways but not all; a step is in one branch of a condition",
    ]);
    expect(errors("c.py", text.replace("elif rows >= 10000:", "elif rows >= len(open('/tmp/x').read()):"))[0]).toMatch(/^c\.py:20:\d+: error: task 'choose': a BranchPythonOperator can be lifted only when its conditions read parameters or step results; its condition reads /);
    expect(errors("c.py", text.replace('        return ["fine_tune", "drift_report"]', '        print("tune")\n        return ["fine_tune", "drift_report"]'))).toEqual([
      "c.py:18:5: error: task 'choose': a BranchPythonOperator can be lifted only when it is an if/return function; its callable is not of the form 'if <condition>: return <task ids>' (then any 'elif <condition>: return <task ids>') then 'return <task ids>' or 'else: return <task ids>'",
    ]);
  });

  test("a task every way returns runs whichever way it goes: it follows the conditions, in no branch", () => {
    const text = fixture(CASES.churn.file)
      .replace('return "full_retrain"', 'return ["full_retrain", "announce"]')
      .replace('return ["fine_tune", "drift_report"]', 'return ["fine_tune", "drift_report", "announce"]')
      .replace('return "too_few_rows"', 'return ["too_few_rows", "announce"]')
      .replace("choose >> [full, tune, drift, few] >> done >> announce", "choose >> [full, tune, drift, few, announce]");
    const r = airflow.lift!({ file: "c.py", text, given: GIVEN });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(shape(r.pipeline!).filter((l) => /^(choose|announce)/.test(l))).toEqual([
      "choose? params.new_rows >= 1000000 then [full_retrain] else [choose_2] after []",
      "choose_2? params.new_rows >= 10000 then [fine_tune,drift_report] else [too_few_rows] after []",
      "announce after [choose]",
    ]);
  });
});

describe("lowered again", () => {
  const { p } = lifted(CASES.churn.file);

  test("Airflow: the first callable returns its way or the second condition's task, which returns one of the later ways", () => {
    const dag = dagText(p, { airflow: "2" });
    expect(dag).toContain('def choose_branch(params):\n    if operator.ge(params["new_rows"], 1000000):\n        return ["full_retrain", "announce"]\n    return ["choose_2", "announce"]\n');
    expect(dag).toContain('def choose_2_branch(params):\n    if operator.ge(params["new_rows"], 10000):\n        return ["fine_tune", "drift_report", "announce"]\n    return ["too_few_rows", "announce"]\n');
    expect(dag).toContain("    choose >> [choose_2, full_retrain, announce]\n    choose_2 >> [fine_tune, drift_report, too_few_rows, announce]\n");
  });

  test("Step Functions: two Choices, one the Default of the other; executed each way, the tasks of that way run, then the announcement", async () => {
    const out = stepfunctions.lower(p, { baseDir: ".", options: {} });
    const def = JSON.parse(out.files.find((f) => f.kind === "definition")!.contents);
    const publish = (i: { Message: string }) => ({ MessageId: i.Message });
    const handlers = Object.fromEntries(["full_retrain", "fine_tune", "drift_report", "too_few_rows", "announce"].map((x) => [x, publish]));
    const ran: Record<string, string[]> = {};
    for (const rows of [2000000, 50000, 10]) {
      const r = await run(def, { new_rows: rows }, handlers);
      expect(r.status).toBe("SUCCEEDED");
      ran[rows] = [...r.finished].sort();
    }
    expect(ran).toEqual({ 2000000: ["announce", "full_retrain"], 50000: ["announce", "drift_report", "fine_tune"], 10: ["announce", "too_few_rows"] });
  });
});

/** A dag.test() run starts Airflow and talks to moto: minutes on a loaded machine, so no tight bound. */
const DAG_RUN_TIMEOUT = 10 * 60 * 1000;

describe("Airflow 2: the original file and the lifted DAG in real Airflow against moto, each way", () => {
  const { runBoth } = originalAndLifted(CASES, ["churn", "export"], DAG_RUN_TIMEOUT);
  const skipped = (tasks: Record<string, string>, ...ran: string[]) => Object.fromEntries(Object.keys(tasks).map((t) => [t, ran.includes(t) ? "success" : "skipped"]));

  test(
    "churn_refresh: a full retrain, a fine-tune with its drift report, or the notice of too few rows; then the announcement",
    () => {
      for (const [rows, way] of [[2000000, ["full_retrain"]], [50000, ["fine_tune", "drift_report"]], [10, ["too_few_rows"]]] as const) {
        const [orig, again] = runBoth("churn", { new_rows: rows });
        expect(orig.tasks).toEqual(skipped({ choose: "", full_retrain: "", fine_tune: "", drift_report: "", too_few_rows: "", done: "", announce: "" }, "choose", "done", "announce", ...way));
        // The lifted DAG: no join task; the second condition runs only when the first chose it.
        expect(again.tasks).toEqual(skipped({ choose: "", choose_2: "", full_retrain: "", fine_tune: "", drift_report: "", too_few_rows: "", announce: "" }, "choose", "announce", ...(rows < 1000000 ? ["choose_2"] : []), ...way));
        expect(orig.messages).toEqual([...way.map((w) => w.replace(/_/g, " ")), "refresh decided"].sort());
        expect(again.messages).toEqual(orig.messages);
      }
    },
    DAG_RUN_TIMEOUT,
  );

  test(
    "export_format: the warehouse gets Parquet, a destination not named JSON, the archive nothing but the audit",
    () => {
      for (const [target, way] of [["warehouse", ["export_parquet"]], ["archive", []], ["lab", ["export_json"]]] as const) {
        const [orig, again] = runBoth("export", { target });
        expect(orig.tasks).toEqual(skipped({ audit: "", pick_format: "", export_parquet: "", export_csv: "", export_json: "" }, "audit", "pick_format", ...way));
        const chose = target === "warehouse" ? [] : ["pick_format_2", "pick_format_3"];
        expect(again.tasks).toEqual(skipped({ ...orig.tasks, pick_format_2: "", pick_format_3: "" }, "audit", "pick_format", ...chose, ...way));
        expect(orig.messages).toEqual(["audited", ...way.map((w) => w.replace("_", " "))].sort());
        expect(again.messages).toEqual(orig.messages);
      }
    },
    DAG_RUN_TIMEOUT,
  );
});
