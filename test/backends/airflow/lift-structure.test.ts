/**
 * How the DAG reader follows the ways files make tasks and set their order
 * (task groups, lists and dicts of tasks, comprehensions, attribute changes),
 * and that every way it cannot follow is refused at its line, never dropped:
 * a lift that exits 0 keeps every task and every dependency.
 */
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import type { Pipeline, Step } from "../../../src/ir/types.js";
import { lowerFor } from "./support/fixtures.js";

const HEAD = `from datetime import datetime
from airflow import DAG
from airflow.decorators import task, task_group
from airflow.models.baseoperator import chain, chain_linear
from airflow.utils.task_group import TaskGroup
from airflow.providers.amazon.aws.operators.lambda_function import LambdaInvokeFunctionOperator as Fn
from airflow.operators.python import BranchPythonOperator
from airflow.operators.empty import EmptyOperator

`;
/** The line of HEAD's last line + 1, where each DAG body below starts. */
const FIRST = HEAD.split("\n").length;
const GIVEN = { region: "eu-west-1", role: "arn:aws:iam::111122223333:role/R", artifacts: "s3://acme-structure/p" };

function lift(body: string) {
  const text = `${HEAD}with DAG("structure", start_date=datetime(2025, 1, 1), schedule=None) as dag:\n${body.replace(/^\n/, "").replace(/^/gm, "    ")}\n`;
  return airflow.lift!({ file: "structure.py", text, given: GIVEN });
}

const errors = (r: ReturnType<typeof lift>) => r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d).split("\n")[0]);
/** Each step's dependencies, sorted. */
const deps = (p: Pipeline | undefined) => Object.fromEntries((p?.steps ?? []).map((s) => [s.id, [...s.depends_on].sort()]));

describe("the reader follows", () => {
  test("a `with TaskGroup(...)` block: a group on the left of >> stands for its last tasks, on the right for its first, as Airflow sets them", () => {
    const r = lift(`
start = Fn(task_id="start", function_name="f")
with TaskGroup("prep") as prep:
    a = Fn(task_id="a", function_name="f")
    b = Fn(task_id="b", function_name="f")
    c = Fn(task_id="c", function_name="f")
    a >> c
end = Fn(task_id="end", function_name="f")
start >> prep >> end`);
    expect(errors(r)).toEqual([]);
    expect(deps(r.pipeline)).toEqual({ start: [], a: ["start"], b: ["start"], c: ["a"], end: ["b", "c"] });
    // The group itself is not kept: one warning names it and how its tasks are named.
    const groups = r.diagnostics.filter((d) => d.code === "lift-task-group").map((d) => formatDiagnostic(d).split("\n")[0]);
    expect(groups).toEqual([
      `structure.py:${FIRST + 2}:5: warning: task group 'prep' is not kept (a pipeline has no groups): its tasks are lifted as steps of the pipeline, 'prep.a' as step 'a', 'prep.b' as step 'b', 'prep.c' as step 'c', and its dependencies as theirs`,
    ]);
  });

  test("a group of more than eight tasks: the warning names eight and counts the rest", () => {
    const r = lift(`
with TaskGroup("many") as many:
${Array.from({ length: 10 }, (_, i) => `    t${i} = Fn(task_id="t${i}", function_name="f")`).join("\n")}`);
    expect(errors(r)).toEqual([]);
    expect(r.pipeline!.steps).toHaveLength(10);
    expect(r.diagnostics.filter((d) => d.code === "lift-task-group").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      `structure.py:${FIRST + 1}:5: warning: task group 'many' is not kept (a pipeline has no groups): its tasks are lifted as steps of the pipeline, 'many.t0' as step 't0', 'many.t1' as step 't1', 'many.t2' as step 't2', 'many.t3' as step 't3', 'many.t4' as step 't4', 'many.t5' as step 't5', 'many.t6' as step 't6', 'many.t7' as step 't7' and 2 more, and its dependencies as theirs`,
    ]);
  });

  test("a group of copies (`<g>_0`, `<g>_1`, ... with prefix_group_id=False) is kept: the DAG of the lifted steps groups them again", () => {
    const r = lift(`
start = Fn(task_id="start", function_name="f")
with TaskGroup("fan", prefix_group_id=False):
    fan_0 = Fn(task_id="fan_0", function_name="f")
    fan_1 = Fn(task_id="fan_1", function_name="f")
start >> [fan_0, fan_1]`);
    expect(errors(r)).toEqual([]);
    expect(r.diagnostics.filter((d) => d.code === "lift-task-group")).toEqual([]);
    expect(r.pipeline!.steps.map((s) => s.id)).toEqual(["start", "fan_0", "fan_1"]);
    const dag = lowerFor(r.pipeline!, {}).files.find((f) => f.kind === "dag")!.contents;
    expect(dag).toContain('    with TaskGroup("fan", prefix_group_id=False):\n        fan_0 = LambdaInvokeFunctionOperator(\n');
  });

  test.each([
    ["ids prefixed by the group", `with TaskGroup("fan"):`, "'fan.fan_0' as step 'fan_0', 'fan.fan_1' as step 'fan_1'"],
    ["more than a name (a tooltip)", `with TaskGroup("fan", prefix_group_id=False, tooltip="t"):`, "'fan_0', 'fan_1'"],
    ["tasks that are not copies of one step", `with TaskGroup("fan", prefix_group_id=False):\n    fan_x = Fn(task_id="fan_x", function_name="f")`, "'fan_x', 'fan_0', 'fan_1'"],
  ])("a group with %s is not kept, and a warning names it", (_, opening, named) => {
    const r = lift(`
${opening}
    fan_0 = Fn(task_id="fan_0", function_name="f")
    fan_1 = Fn(task_id="fan_1", function_name="f")`);
    expect(errors(r)).toEqual([]);
    const groups = r.diagnostics.filter((d) => d.code === "lift-task-group").map((d) => formatDiagnostic(d).split("\n")[0]);
    expect(groups).toEqual([`structure.py:${FIRST + 1}:5: warning: task group 'fan' is not kept (a pipeline has no groups): its tasks are lifted as steps of the pipeline, ${named}, and its dependencies as theirs`]);
  });

  test("two groups with the same task id: those steps take their group's id before theirs", () => {
    const r = lift(`
with TaskGroup(group_id="one") as one:
    Fn(task_id="x", function_name="f") >> Fn(task_id="y", function_name="f")
with TaskGroup(group_id="two") as two:
    x2 = Fn(task_id="x", function_name="g")
chain(one, two)`);
    expect(errors(r)).toEqual([]);
    expect(deps(r.pipeline)).toEqual({ one_x: [], y: ["one_x"], two_x: ["y"] });
  });

  test("a branch callable that returns a grouped task's Airflow id chooses that step", () => {
    const text = `${HEAD}def pick(**context):
    if context["params"]["deep"]:
        return "train.deep"
    return "train.shallow"


with DAG("branchy", start_date=datetime(2025, 1, 1), schedule=None, params={"deep": False}) as dag:
    choose = BranchPythonOperator(task_id="choose", python_callable=pick)
    with TaskGroup("train") as train:
        deep = Fn(task_id="deep", function_name="f")
        shallow = Fn(task_id="shallow", function_name="g")
    choose >> train
`;
    const r = airflow.lift!({ file: "branchy.py", text, given: GIVEN });
    expect(errors(r)).toEqual([]);
    const choose = r.pipeline!.steps.find((s) => s.id === "choose");
    expect(choose && choose.kind === "condition" ? [choose.then, choose.else] : undefined).toEqual([["deep"], ["shallow"]]);
  });

  test("lists built with append and read by chain(*tasks), and lists made by a comprehension", () => {
    const r = lift(`
tasks = []
for r in ["x", "y", "z"]:
    tasks.append(Fn(task_id=f"load_{r}", function_name="f"))
chain(*tasks)
made = [Fn(task_id=f"score_{n}", function_name="g") for n in range(2)]
tasks[-1] >> made`);
    expect(errors(r)).toEqual([]);
    expect(deps(r.pipeline)).toEqual({ load_x: [], load_y: ["load_x"], load_z: ["load_y"], score_0: ["load_z"], score_1: ["load_z"] });
  });

  test("dicts of tasks filled in loops, read by key and by values()", () => {
    const r = lift(`
fetch = {}
parse = {}
for q in range(2, 0, -1):
    fetch[q] = Fn(task_id=f"fetch_q{q}", function_name="f")
    parse[q] = Fn(task_id=f"parse_q{q}", function_name="g")
for q in [1, 2]:
    fetch[q] >> parse[q]
done = Fn(task_id="done", function_name="h")
list(fetch.values()) + list(parse.values()) >> done`);
    expect(errors(r)).toEqual([]);
    expect(deps(r.pipeline)).toEqual({ fetch_q2: [], parse_q2: ["fetch_q2"], fetch_q1: [], parse_q1: ["fetch_q1"], done: ["fetch_q1", "fetch_q2", "parse_q1", "parse_q2"] });
  });

  test("annotated assignments, settings changed after the task is made, chain_linear", () => {
    const r = lift(`
a: Fn = Fn(task_id="a", function_name="f")
b = Fn(task_id="b", function_name="g")
c = Fn(task_id="c", function_name="h")
d = Fn(task_id="d", function_name="h")
b.retries = 2
chain_linear(a, [b, c], d)`);
    expect(errors(r)).toEqual([]);
    expect(deps(r.pipeline)).toEqual({ a: [], b: ["a"], c: ["a"], d: ["b", "c"] });
    expect(r.pipeline!.steps.find((s) => s.id === "b")!.retry?.[0]?.attempts).toBe(3);
  });

  test("loops that chain what they make: `prev = t`, `if prev is not None`, `if i > 0 ... else`, enumerate() with a start", () => {
    const r = lift(`
REGIONS = ["eu", "us", "ap"]
start = Fn(task_id="start", function_name="f")
prev = start
for i in range(3):
    t = Fn(task_id=f"t{i}", function_name="f")
    prev >> t
    prev = t
previous = None
for n, region in enumerate(REGIONS, start=1):
    load = Fn(task_id=f"load_{n}_{region}", function_name="load")
    if previous is not None:
        previous >> load
    elif not previous:
        prev >> load
    previous = load
for i in range(3):
    s = Fn(task_id=f"score_{i}", function_name="score")
    if i > 0:
        last >> s
    else:
        previous >> s
    last = s`);
    expect(errors(r)).toEqual([]);
    expect(deps(r.pipeline)).toEqual({
      start: [],
      t0: ["start"],
      t1: ["t0"],
      t2: ["t1"],
      load_1_eu: ["t2"],
      load_2_us: ["load_1_eu"],
      load_3_ap: ["load_2_us"],
      score_0: ["load_3_ap"],
      score_1: ["score_0"],
      score_2: ["score_1"],
    });
  });

  test("an `if` the file does not decide (the environment, the clock) is refused at its line", () => {
    const r = lift(`
import os
a = Fn(task_id="a", function_name="f")
if os.environ.get("WITH_B"):
    b = Fn(task_id="b", function_name="f")
    a >> b`);
    expect(r.pipeline).toBeUndefined();
    expect(errors(r)).toEqual([
      `structure.py:${FIRST + 3}:5: error: an ${"`if`"} statement in the DAG body decides at parse time which tasks exist`,
      // And the task it would make, which is then not read.
      `structure.py:${FIRST + 4}:13: error: the task made by ${"`Fn(...)`"} here is not one the reader follows (a task is read when it is assigned to a name, made inside a dependency or chain(), or appended to a list), so it would be lost`,
    ]);
  });
});

test("`with dag:` blocks of a DAG made by `dag = DAG(...)` hold its tasks; a task made in a module-level `try` is refused, `if __name__` is not", () => {
  const text = `${HEAD}dag = DAG("old_style", start_date=datetime(2025, 1, 1), schedule=None)

with dag:
    a = Fn(task_id="a", function_name="f")
    b = Fn(task_id="b", function_name="g")
    a >> b

c = Fn(task_id="c", function_name="h", dag=dag)
b >> c
if __name__ == "__main__":
    dag.test()
`;
  const r = airflow.lift!({ file: "old.py", text, given: GIVEN });
  expect(errors(r)).toEqual([]);
  expect(deps(r.pipeline)).toEqual({ a: [], b: ["a"], c: ["b"] });
  const tried = airflow.lift!({ file: "old.py", text: `${text}try:
    d = Fn(task_id="d", function_name="h", dag=dag)
except ImportError:
    pass
`, given: GIVEN });
  expect(errors(tried)).toEqual([
    `old.py:${FIRST + 12}:9: error: the task made by \`Fn(...)\` here is not one the reader follows (a task is read when it is assigned to a name, made inside a dependency or chain(), or appended to a list), so it would be lost`,
  ]);
});

test("a task mapped with expand() over lists written in the file is a step a value, in Airflow's order, with a warning", () => {
  const r = lift(`
SHARDS = ['{"shard": 0}', '{"shard": 1}']
split = Fn(task_id="split", function_name="split")
work = Fn.partial(task_id="work", function_name="work").expand(payload=SHARDS)
done = Fn(task_id="done", function_name="done")
split >> work >> done
split >> Fn.partial(task_id="side").expand(function_name=["a", "b"], payload=['{"x": 1}', '{"x": 2}'])`);
  expect(errors(r)).toEqual([]);
  expect(deps(r.pipeline)).toEqual({ split: [], work_0: ["split"], work_1: ["split"], done: ["work_0", "work_1"], side_0: ["split"], side_1: ["split"], side_2: ["split"], side_3: ["split"] });
  const call = (id: string) => {
    const s = r.pipeline!.steps.find((x) => x.id === id)!;
    return s.kind === "lambda" ? [(s.function as { value: unknown }).value, JSON.stringify(Object.fromEntries(Object.entries(s.payload).map(([k, v]) => [k, (v as { value: unknown }).value])))] : undefined;
  };
  // Several lists: every combination, the first list's values outermost (Airflow's map indexes).
  expect(["work_0", "work_1", "side_0", "side_1", "side_2", "side_3"].map(call)).toEqual([
    ["work", '{"shard":0}'],
    ["work", '{"shard":1}'],
    ["a", '{"x":1}'],
    ["a", '{"x":2}'],
    ["b", '{"x":1}'],
    ["b", '{"x":2}'],
  ]);
  expect(r.diagnostics.filter((d) => d.code === "lift-mapped").map((d) => d.message)).toEqual([
    "task 'work' is mapped over 2 values written in the file (dynamic task mapping): it is lifted as one step a value, 'work_0', 'work_1', where Airflow runs one task 'work' with map indexes 0 to 1",
    "task 'side' is mapped over 4 values written in the file (dynamic task mapping): it is lifted as one step a value, 'side_0', 'side_1', 'side_2', 'side_3', where Airflow runs one task 'side' with map indexes 0 to 3",
  ]);
  // A limit on how many mapped instances run at once would be lost over separate steps.
  const limited = lift(`
work = Fn.partial(task_id="work", function_name="work", max_active_tis_per_dag=1).expand(payload=["{}", "{}"])`);
  expect(errors(limited)).toEqual([
    `structure.py:${FIRST + 1}:12: error: \`Fn.partial(task_id="work", function_name="work", max_active_tis_per_dag=1)...expand(...)\` maps a task over values written in the file, but sets max_active_tis_per_dag for its mapped instances, which separate steps cannot keep`,
  ]);
});

test("a value the file changes after writing it is refused where a task reads it, not read as first written", () => {
  const text = `import json
${HEAD}PAYLOAD = {"a": 1}
PAYLOAD["b"] = 2

with DAG("changed", start_date=datetime(2025, 1, 1), schedule=None) as dag:
    extra = {"x": 1}
    extra.update({"y": 2})
    a = Fn(task_id="a", function_name="f", payload=json.dumps(PAYLOAD))
    b = Fn(task_id="b", function_name="g", payload=json.dumps(extra))
`;
  const r = airflow.lift!({ file: "changed.py", text, given: GIVEN });
  expect(r.pipeline).toBeUndefined();
  expect(errors(r)).toEqual([
    `changed.py:${FIRST + 7}:63: error: task 'a': cannot read the payload: PAYLOAD, whose value the file changes after writing it (line ${FIRST + 2}: \`PAYLOAD["b"] = 2\`), so the value written is not the one the task gets`,
    `changed.py:${FIRST + 8}:63: error: task 'b': cannot read the payload: extra, whose value the file changes after writing it (line ${FIRST + 6}: \`extra.update({"y": 2})\`), so the value written is not the one the task gets`,
  ]);
});

describe("tasks that do nothing", () => {
  test("EmptyOperator markers are not steps: the tasks after one wait for the tasks before it, and a warning says so", () => {
    const r = lift(`
start = EmptyOperator(task_id="start")
a = Fn(task_id="a", function_name="f")
b = Fn(task_id="b", function_name="g")
gather = EmptyOperator(task_id="gather")
c = Fn(task_id="c", function_name="h")
end = EmptyOperator(task_id="end")
start >> [a, b] >> gather >> c >> end`);
    expect(errors(r)).toEqual([]);
    expect(deps(r.pipeline)).toEqual({ a: [], b: [], c: ["a", "b"] });
    expect(r.diagnostics.filter((d) => d.code === "lift-empty-task").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual(
      [1, 4, 6].map((n, i) => `structure.py:${FIRST + n}:5: warning: task '${["start", "gather", "end"][i]}' (EmptyOperator) does nothing, so it is not a step: the tasks after it wait for the tasks before it, as they do in Airflow`),
    );
  });

  const joins = (rule: string) => `${HEAD}def pick():
    if 1 > 2:
        return "left"
    return "skip"


with DAG("joins", start_date=datetime(2025, 1, 1), schedule=None) as dag:
    choose = BranchPythonOperator(task_id="choose", python_callable=pick)
    left = Fn(task_id="left", function_name="f")
    skip = EmptyOperator(task_id="skip")
    join = EmptyOperator(task_id="join", trigger_rule="${rule}")
    choose >> [left, skip] >> join
`;

  test("a join after a branch (none_failed_min_one_success), and the empty task a branch returns to do nothing before it, are taken out: that branch has no steps", () => {
    const r = airflow.lift!({ file: "joins.py", text: joins("none_failed_min_one_success"), given: GIVEN });
    expect(errors(r)).toEqual([]);
    const choose = r.pipeline!.steps.find((s) => s.id === "choose") as Extract<Step, { kind: "condition" }>;
    expect([choose.then, choose.else, r.pipeline!.steps.map((s) => s.id)]).toEqual([["left"], [], ["choose", "left"]]);
    expect(r.diagnostics.filter((d) => d.code === "lift-empty-task").map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
      `joins.py:${FIRST + 9}:5: warning: task 'skip' (EmptyOperator) is a branch that does nothing, so it is not a step: that branch has no steps, and the tasks after it wait for the branch taken`,
      `joins.py:${FIRST + 10}:5: warning: task 'join' (EmptyOperator) does nothing but join branches, so it is not a step: the tasks after it wait for the tasks before it that ran, as they do in Airflow`,
    ]);
  });

  test("one that joins with another trigger rule, or that a branch may skip before a task that is no join, decides something: refused", () => {
    const r = airflow.lift!({ file: "joins.py", text: joins("all_done"), given: GIVEN });
    expect(r.pipeline).toBeUndefined();
    const empty = "EmptyOperator has no neutral step kind (a task that does nothing orders other tasks; write the order as dependencies), so the DAG cannot be lifted as a whole";
    expect(errors(r)).toEqual([`joins.py:${FIRST + 9}:5: error: task 'skip': ${empty}`, `joins.py:${FIRST + 10}:5: error: task 'join': ${empty}`]);
  });
});

test("a scheduled DAG's end_date is said to be lost", () => {
  const text = `${HEAD}with DAG("ends", start_date=datetime(2025, 1, 1), end_date=datetime(2025, 6, 30), schedule="@daily") as dag:
    Fn(task_id="a", function_name="f")
`;
  const r = airflow.lift!({ file: "ends.py", text, given: GIVEN });
  expect(r.pipeline?.schedule?.cron).toBe("0 0 * * *");
  expect(r.diagnostics.filter((d) => d.message.includes("end_date")).map((d) => formatDiagnostic(d).split("\n")[0])).toEqual([
    `ends.py:${FIRST}:60: warning: end_date=datetime(2025, 6, 30) (no scheduled runs after it) is not kept: the lifted schedule does not end`,
  ]);
});

describe("the reader refuses, at the line, what it cannot follow", () => {
  const at = (line: number, col: number, message: string) => `structure.py:${FIRST + line}:${col}: error: ${message}`;

  test("tasks made where it cannot see them, and dependencies on names that are no task", () => {
    const r = lift(`
a = Fn(task_id="a", function_name="f")
x, y = Fn(task_id="x", function_name="f"), 1
i = 0
while i < 2:
    Fn(task_id=f"w{i}", function_name="f")
    i += 1
name = "a"
a >> name
odd = [Fn(task_id=f"o{n}", function_name="f") for n in range(4) if n % 2]`);
    expect(r.pipeline).toBeUndefined();
    const lost = "here is not one the reader follows (a task is read when it is assigned to a name, made inside a dependency or chain(), or appended to a list), so it would be lost";
    expect(errors(r)).toEqual([
      at(2, 12, `the task made by \`Fn(...)\` ${lost}`),
      at(5, 9, `the task made by \`Fn(...)\` ${lost}`),
      at(8, 10, "`name` in a dependency is not a task the reader found in the file, so the dependency cannot be kept"),
      at(9, 12, `the task made by \`Fn(...)\` ${lost}`),
    ]);
  });

  test("dynamic task mapping is refused; a @task_group function and a function that makes tasks are followed beside it", () => {
    const text = `${HEAD}@task_group
def per_region(region):
    Fn(task_id="score", function_name="f", payload=region)


def make(name):
    return Fn(task_id=name, function_name="f")


with DAG("mapped", start_date=datetime(2025, 1, 1), schedule=None) as dag:
    a = make("a")
    c = Fn(task_id="c", function_name="f")
    per_region('{"region": "eu"}')
    b = Fn.partial(task_id="b", function_name="f").expand(payload=c.output)
    a >> c >> b
`;
    const r = airflow.lift!({ file: "mapped.py", text, given: GIVEN });
    expect(r.pipeline).toBeUndefined();
    const line = (n: number) => `mapped.py:${FIRST + n}`;
    expect(errors(r)).toEqual([
      `${line(13)}:9: error: \`Fn.partial(task_id="b", function_name="f")...expand(...)\` maps a task over values known only at run time (dynamic task mapping); a task mapped with expand() over lists written in the file is lifted as a step a value, this one cannot be`,
    ]);
  });

  test("functions of the file that make tasks, run where they are called: arguments, defaults, returns, a function calling another, one defined in the DAG body", () => {
    const text = `${HEAD}def job(task_id, fn, retries=0):
    return Fn(task_id=task_id, function_name=fn, retries=retries)


def stage(name, upstream=None):
    first = job(f"{name}_in", "load")
    last = job(f"{name}_out", "save", retries=2)
    if upstream is not None:
        upstream >> first
    first >> last
    return first, last


with DAG("factories", start_date=datetime(2025, 1, 1), schedule=None) as dag:
    def tail(after):
        done = job("done", "notify")
        after >> done

    head, prev = stage("s0")
    for name in ["s1", "s2"]:
        _, prev = stage(name, upstream=prev)
    tail(prev)
`;
    const r = airflow.lift!({ file: "factories.py", text, given: GIVEN });
    expect(errors(r)).toEqual([]);
    expect(deps(r.pipeline)).toEqual({ s0_in: [], s0_out: ["s0_in"], s1_in: ["s0_out"], s1_out: ["s1_in"], s2_in: ["s1_out"], s2_out: ["s2_in"], done: ["s2_out"] });
    const retries = Object.fromEntries(r.pipeline!.steps.map((s) => [s.id, s.retry?.[0]?.attempts ?? 1]));
    expect(retries).toEqual({ s0_in: 1, s0_out: 3, s1_in: 1, s1_out: 3, s2_in: 1, s2_out: 3, done: 1 });
  });

  test("a @task_group function called again gets Airflow's ids (name, name__1, ...), TaskFlow calls in it are numbered per group, and one that returns a task binds dependencies to it", () => {
    const text = `${HEAD}@task
def step(x):
    return x


@task_group
def grp(v):
    return step(step(v))


@task_group(group_id="pair")
def pair():
    a = Fn(task_id="a", function_name="f")
    b = Fn(task_id="b", function_name="f")


with DAG("tfg", start_date=datetime(2025, 1, 1), schedule=None) as dag:
    first = step(1)
    second = step(2)
    for i in range(3):
        first >> grp(i)
    with TaskGroup("tg"):
        step(3)
        step(4)
    again = step.override(task_id="step")(5)
    second >> pair() >> pair.override(group_id="other")()
`;
    const r = airflow.lift!({ file: "tfg.py", text, given: GIVEN });
    expect(errors(r)).toEqual([]);
    // Read in Airflow 2.11.2 (DagBag) from this file: these ids and these edges.
    const ids = r.diagnostics.filter((d) => d.code === "lift-task-group").map((d) => /task group '([^']+)'/.exec(d.message)![1]);
    expect(ids.sort()).toEqual(["grp", "grp__1", "grp__2", "other", "pair", "tg"]);
    expect(deps(r.pipeline)).toEqual({
      step: [],
      step__1: [],
      grp_step: [],
      grp_step__1: ["grp_step", "step"],
      grp__1_step: [],
      grp__1_step__1: ["grp__1_step", "step"],
      grp__2_step: [],
      grp__2_step__1: ["grp__2_step", "step"],
      tg_step: [],
      tg_step__1: [],
      step__2: [],
      pair_a: ["step__1"],
      pair_b: ["step__1"],
      other_a: ["pair_a", "pair_b"],
      other_b: ["pair_a", "pair_b"],
    });
  });

  test("inside a @dag function: a @task_group function renamed per item with .override(group_id=f\"...\"), and a function of the body that chains a task after the group it is given", () => {
    const text = `${HEAD}from airflow.decorators import dag

SEGMENTS = {"smb": "score-smb", "ent": "score-ent"}


@dag(schedule=None, start_date=datetime(2025, 1, 1), catchup=False)
def segment_scores():
    start = Fn(task_id="start", function_name="start")

    @task_group(group_id="segment")
    def segment(fn):
        prep = Fn(task_id="prep", function_name="prep")
        score = Fn(task_id="score", function_name=fn)
        prep >> score

    def notify(label, upstream):
        n = Fn(task_id=f"notify_{label}", function_name="notify")
        upstream >> n
        return n

    for name, fn in SEGMENTS.items():
        g = segment.override(group_id=f"seg_{name}")(fn)
        start >> g
        notify(name, g)


segment_scores()
`;
    const r = airflow.lift!({ file: "segments.py", text, given: GIVEN });
    expect(errors(r)).toEqual([]);
    // As Airflow 2.11.2 reads this file: seg_smb.prep, seg_smb.score, ... with these edges.
    expect(deps(r.pipeline)).toEqual({
      start: [],
      seg_smb_prep: ["start"],
      seg_smb_score: ["seg_smb_prep"],
      notify_smb: ["seg_smb_score"],
      seg_ent_prep: ["start"],
      seg_ent_score: ["seg_ent_prep"],
      notify_ent: ["seg_ent_score"],
    });
  });

  test("an `if` the file decides makes no task in the branch it does not take (in the body, in a function of the file); a branch taken once is followed whole", () => {
    const text = `${HEAD}ENV = "prod"


def make(market):
    t = Fn(task_id=f"t_{market}", function_name="f")
    if market == "xx":
        extra = Fn(task_id="extra", function_name="f")
    return t


with DAG("decided", start_date=datetime(2025, 1, 1), schedule=None) as dag:
    for m in ["de", "fr"]:
        make(m)
    if ENV == "dev":
        debug = Fn(task_id="debug", function_name="f")
    for i in range(2):
        if i > 0:
            j = 0
            while j < 1:
                Fn(task_id=f"w{i}", function_name="f")
                j += 1
`;
    const r = airflow.lift!({ file: "decided.py", text, given: GIVEN });
    // Python makes t_de and t_fr, and w1 in a while loop the reader does not follow: that one is refused, the others are not.
    expect(errors(r)).toEqual([
      `decided.py:${FIRST + 19}:17: error: the task made by \`Fn(...)\` here is not one the reader follows (a task is read when it is assigned to a name, made inside a dependency or chain(), or appended to a list), so it would be lost`,
    ]);
    const ok = airflow.lift!({ file: "decided.py", text: text.replace(/\n {4}for i in range\(2\):[\s\S]*$/, "\n"), given: GIVEN });
    expect(errors(ok)).toEqual([]);
    expect(Object.keys(deps(ok.pipeline))).toEqual(["t_de", "t_fr"]);
  });

  test("chain(*[...]) of a comprehension, of tasks or of a function's calls: one link an item", () => {
    const r = lift(`
def make(r):
    return Fn(task_id=f"t_{r}", function_name="f")

chain(*[make(r) for r in ["a", "b", "c"]])
chain(*[Fn(task_id=f"u_{r}", function_name="f") for r in range(3)])`);
    expect(errors(r)).toEqual([]);
    expect(deps(r.pipeline)).toEqual({ t_a: [], t_b: ["t_a"], t_c: ["t_b"], u_0: [], u_1: ["u_0"], u_2: ["u_1"] });
  });

  test("a function of the file that builds a value from its arguments (assignments, then a return) is the value it returns where a task reads it; one that does more is refused", () => {
    const text = `${HEAD}def payload(name, size=10):
    \"\"\"The request of one load.\"\"\"
    prefix = f"s3://acme-load/{name}"
    return '{"prefix": "' + prefix + '", "size": ' + str(size) + '}'


def branching(name):
    if name:
        return "a"
    return "b"


with DAG("helpers", start_date=datetime(2025, 1, 1), schedule=None) as dag:
    for name in ["orders", "users"]:
        Fn(task_id=f"load_{name}", function_name="load", payload=payload(name, size=len(name)))
    Fn(task_id="other", function_name="x", payload=branching("n"))
`;
    const r = airflow.lift!({ file: "helpers.py", text, given: GIVEN });
    expect(errors(r)).toEqual([`helpers.py:${FIRST + 15}:52: error: task 'other': cannot read the payload: a call to branching(...)`]);
    const ok = airflow.lift!({ file: "helpers.py", text: text.replace(/\n {4}Fn\(task_id="other".*\n/, "\n"), given: GIVEN });
    expect(errors(ok)).toEqual([]);
    const payloads = Object.fromEntries(ok.pipeline!.steps.map((s) => [s.id, s.kind === "lambda" ? Object.fromEntries(Object.entries(s.payload).map(([k, v]) => [k, v.kind === "literal" ? v.value : v.kind])) : {}]));
    // By hand: the prefix the f-string makes, the size len() gives.
    expect(payloads).toEqual({ load_orders: { prefix: "s3://acme-load/orders", size: 6 }, load_users: { prefix: "s3://acme-load/users", size: 5 } });
  });

  test("Jinja passed through a function's argument or a loop's item is still Jinja: refused where it has no neutral form, not read as plain text", () => {
    const text = `${HEAD}PREFIXES = {"a": "s3://b/{{ ts }}/a"}


def make(name, payload):
    return Fn(task_id=f"t_{name}", function_name="f", payload=payload)


with DAG("jinja_args", start_date=datetime(2025, 1, 1), schedule=None) as dag:
    for name, prefix in PREFIXES.items():
        make(name, '{"p": "' + prefix + '"}')
    make("z", '{"d": "{{ ts }}"}')
`;
    const r = airflow.lift!({ file: "jinja_args.py", text, given: GIVEN });
    expect(r.pipeline).toBeUndefined();
    expect(errors(r)).toEqual([
      `jinja_args.py:${FIRST + 9}:20: error: task 't_a': cannot read the payload: the Jinja expression {{ ts }} in "{\\"p\\": \\"s3://b/{{ ts }}/a\\"}", which has no neutral form`,
      `jinja_args.py:${FIRST + 4}:63: error: task 't_z': cannot read the payload: the Jinja expression {{ ts }} in "{\\"d\\": \\"{{ ts }}\\"}", which has no neutral form`,
    ]);
  });

  test("a function of the file called where the reader does not follow it, with *args, or a generator of tasks, is an error at the call: its tasks are not dropped", () => {
    const text = `${HEAD}def make(name):
    return Fn(task_id=name, function_name="f")


def each(names):
    for n in names:
        yield Fn(task_id=n, function_name="f")


ARGS = ["b"]
with DAG("unfollowed", start_date=datetime(2025, 1, 1), schedule=None) as dag:
    a = make("a")
    i = 0
    while i < 1:
        make(f"w{i}")
        i += 1
    b = make(*ARGS)
    made = each(["c", "d"])
`;
    const r = airflow.lift!({ file: "unfollowed.py", text, given: GIVEN });
    expect(r.pipeline).toBeUndefined();
    const line = (n: number) => `unfollowed.py:${FIRST + n}`;
    expect(errors(r)).toEqual([
      `${line(14)}:9: error: \`make(f"w{i}")\` calls make(), a function of this file that makes tasks, where the reader does not follow it (it follows such a call as a statement, in an assignment, a loop, a dependency or another such function), so its tasks would be lost`,
      `${line(16)}:9: error: \`make(*ARGS)\` calls make(), a function of this file that makes tasks, with *args or **kwargs, which the reader does not follow; name each argument`,
      `${line(17)}:12: error: \`each(["c", "d"])\` calls each(), a generator of tasks (it yields them), which the reader does not follow; return a list of them`,
    ]);
  });

  test("loops over values the file writes out: a dict's keys and items, zip(), sorted(), enumerate(), list(range()); an item's settings by key and with .get(); a dict or list changed after it is written is refused, not walked as written", () => {
    const text = `${HEAD}MODELS = {"churn": {"fn": "train-churn", "retries": 2}, "ltv": {"fn": "train-ltv"}}
REGIONS = ["us", "eu"]
LIMITS = [2, 1]

with DAG("values", start_date=datetime(2025, 1, 1), schedule=None) as dag:
    done = Fn(task_id="done", function_name="done")
    for name, cfg in MODELS.items():
        Fn(task_id=f"train_{name}", function_name=cfg["fn"], retries=cfg.get("retries", 0)) >> done
    for region, n in sorted(zip(REGIONS, LIMITS)):
        Fn(task_id=f"r_{region}", function_name="r", retries=n) >> done
    for i, name in enumerate(sorted(MODELS), 1):
        Fn(task_id=f"s{i}_{name}", function_name=MODELS[name]["fn"]) >> done
    for key in MODELS:
        Fn(task_id=f"k_{key}", function_name="k") >> done
    for i in list(range(2)):
        Fn(task_id=f"n{i}", function_name="n") >> done
`;
    const r = airflow.lift!({ file: "values.py", text, given: GIVEN });
    expect(errors(r)).toEqual([]);
    const steps = new Map(r.pipeline!.steps.map((s) => [s.id, s as Extract<Pipeline["steps"][number], { kind: "lambda" }>]));
    expect([...steps.keys()]).toEqual(["done", "train_churn", "train_ltv", "r_eu", "r_us", "s1_churn", "s2_ltv", "k_churn", "k_ltv", "n0", "n1"]);
    const fn = (id: string) => { const f = steps.get(id)!.function; return f.kind === "literal" ? f.value : undefined; };
    expect([fn("train_churn"), fn("train_ltv"), fn("s1_churn"), fn("s2_ltv")]).toEqual(["train-churn", "train-ltv", "train-churn", "train-ltv"]);
    const attempts = (id: string) => steps.get(id)!.retry?.[0]?.attempts ?? 1;
    expect([attempts("train_churn"), attempts("train_ltv"), attempts("r_eu"), attempts("r_us")]).toEqual([3, 1, 2, 3]);
    expect(deps(r.pipeline).done).toEqual(["k_churn", "k_ltv", "n0", "n1", "r_eu", "r_us", "s1_churn", "s2_ltv", "train_churn", "train_ltv"]);

    const changed = airflow.lift!({
      file: "changed.py",
      given: GIVEN,
      text: `${HEAD}MODELS = {"churn": {}}
MODELS["ltv"] = {}

with DAG("changed", start_date=datetime(2025, 1, 1), schedule=None) as dag:
    for name in MODELS:
        Fn(task_id=f"train_{name}", function_name="f")
`,
    });
    expect(changed.pipeline).toBeUndefined();
    expect(errors(changed)[0]).toBe(`changed.py:${FIRST + 4}:5: error: a loop over \`MODELS\`, which the file changes after writing it (line ${FIRST + 1}: \`MODELS["ltv"] = {}\`), cannot be followed`);
    // A list appended to after it is written: its loop is refused, not walked over what was written first.
    const appended = airflow.lift!({
      file: "appended.py",
      given: GIVEN,
      text: `${HEAD}REGIONS = ["a"]
REGIONS.append("b")

with DAG("appended", start_date=datetime(2025, 1, 1), schedule=None) as dag:
    for r in REGIONS:
        t = Fn(task_id=f"t_{r}", function_name="f")
`,
    });
    expect(appended.pipeline).toBeUndefined();
    expect(errors(appended)[0]).toBe(`appended.py:${FIRST + 4}:5: error: a loop over \`REGIONS\`, which the file changes after writing it (line ${FIRST + 1}: \`REGIONS.append("b")\`), cannot be followed`);
  });

  test("a DAG with no task is an error, not an empty pipeline", () => {
    const r = lift("pass");
    expect(r.pipeline).toBeUndefined();
    expect(errors(r)).toEqual([`structure.py:${FIRST}:1: error: the DAG has no task the reader found, so there is no pipeline to lift`]);
  });

  test("tasks that wait for each other in a cycle (Airflow refuses the DAG too): one error naming the cycle, no pipeline", () => {
    const r = lift(`
a = Fn(task_id="a", function_name="f")
b = Fn(task_id="b", function_name="f")
c = Fn(task_id="c", function_name="f")
d = Fn(task_id="d", function_name="f")
a >> b >> c
c >> a
a >> d`);
    expect(r.pipeline).toBeUndefined();
    expect(errors(r)).toEqual([`structure.py:${FIRST + 1}:5: error: dependency cycle: a -> b -> c -> a`]);
  });
});
