/**
 * Map steps on Airflow: dynamic task mapping. A task returns the items; the
 * map's steps are a `@task_group` function expanded over that result, each
 * task reading its item and its own iteration's results by map index; a
 * `<map>_results` task gathers each iteration's result in item order. The DAG
 * is lint-clean and formatted; what Airflow cannot hold is refused naming the
 * step; in real Airflow 2 and 3, dag.test() lists objects in moto's S3 and
 * publishes two SNS messages an object, the second reading the first of the
 * same iteration, then one message with every iteration's result.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import airflow from "../../../backends/airflow/index.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import type { Pipeline } from "../../../src/ir/types.js";
import { stripPositions } from "../../../src/ir/values.js";
import { airflowWithMoto, runDag } from "./support/airflow.js";
import { dagText, helperDefs } from "./support/fixtures.js";
import { asksForAirflow3, expectLintClean, ruffWorkspace } from "./support/ruff.js";

const ruff = ruffWorkspace();

const YAML = `version: 1
pipeline: object-fanout
region: eu-west-1
artifacts: s3://example-fanout-artifacts/runs
parameters:
  topic_arn:
    type: string
    default: arn:aws:sns:eu-west-1:111122223333:object-events
steps:
  list:
    type: aws
    service: s3
    action: ListObjectsV2
    request: { Bucket: example-fanout-landing, Prefix: in/ }
  each:
    type: map
    items: \${{ steps.list.response.Contents }}
    concurrency: 2
    steps: [announce, confirm]
    result: \${{ steps.confirm.outputs.MessageId }}
  summary:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: \${{ params.topic_arn }}
      Subject: summary
      Message: \${{ json(steps.each.results) }}
    outputs: { MessageId: string }
  announce:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: \${{ params.topic_arn }}
      Subject: object
      Message: "new \${{ item.Key }}"
    outputs: { MessageId: string }
  confirm:
    type: aws
    service: sns
    action: Publish
    request:
      TopicArn: \${{ params.topic_arn }}
      Subject: confirm
      Message: "after \${{ steps.announce.outputs.MessageId }} of \${{ item.Key }}"
    outputs: { MessageId: string }
`;

/** A map whose second iteration fails: its failure handler runs, the step after it does not. */
const FAILING = `version: 1
pipeline: object-check
region: eu-west-1
artifacts: s3://example-fanout-artifacts/runs
steps:
  each:
    type: map
    items: \${{ ['in/a.csv', 'in/missing.csv'] }}
    steps: [head]
    on_failure: [notify]
  head:
    type: aws
    service: s3
    action: HeadObject
    request: { Bucket: example-fanout-landing, Key: "\${{ item }}" }
  after:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:object-events", Subject: after, Message: all objects are there }
    depends_on: [each]
  notify:
    type: aws
    service: sns
    action: Publish
    request: { TopicArn: "arn:aws:sns:eu-west-1:111122223333:object-events", Subject: failed, Message: an object check failed }
`;

function pipeline(text = YAML): Pipeline {
  const r = loadYamlText(text, "/p/object-fanout.yaml", "/p");
  if (!r.pipeline) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
  return r.pipeline;
}

function errors(text: string): string[] {
  const r = airflow.lower(pipeline(text), { baseDir: "/p", options: {} });
  expect(r.files).toEqual([]);
  return r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d));
}

describe("map steps lowered for Airflow", () => {
  test.each(["2", "3"] as const)("Airflow %s: items task, a mapped task group of the map's steps (written after the map, though the file lists them last), results task; lint-clean and formatted", (line) => {
    const dag = dagText(pipeline(), { airflow: line });
    expect(dag).toContain(line === "2" ? "from airflow.decorators import task_group\n" : "from airflow.sdk import DAG, Param, task_group\n");
    expect(dag).toContain(
      [
        "    each = PythonOperator(task_id=\"each\", python_callable=each_items)",
        "",
        '    @task_group(group_id="each_each", prefix_group_id=False)',
        "    def each_each(item):",
        "        announce = PythonOperator(",
        '            task_id="announce",',
        "            python_callable=announce_call,",
        "            max_active_tis_per_dagrun=2,",
        "        )",
        "        confirm = PythonOperator(",
        '            task_id="confirm",',
        "            python_callable=confirm_call,",
        "            max_active_tis_per_dagrun=2,",
        "        )",
        "        return (announce, confirm)",
        "",
        "    (announce, confirm) = each_each.expand(item=each.output)",
        "    each_results = PythonOperator(",
        '        task_id="each_results",',
        "        python_callable=each_results_gather,",
        '        trigger_rule="none_failed_min_one_success",',
        "    )",
        '    summary = PythonOperator(task_id="summary", python_callable=summary_call)',
        "",
        "    list_task >> each >> each_results",
        "    announce >> confirm >> each_results >> summary",
      ].join("\n"),
    );
    // The items, checked to be a list; the iteration's item and its own earlier result, by map index.
    expect(dag).toContain('return sy_items(sy_response(ti, "list", None, "Contents"), "each")');
    expect(dag).toContain('sy_map_item(ti, "each", ti.map_index, "Key")');
    expect(dag).toContain('sy_output(sy_ti(ti, ti.map_index), "announce", "MessageId", "string")');
    expect(dag).toContain('lambda index: sy_output(sy_ti(ti, index), "confirm", "MessageId", "string")');
    expect(dag).toContain('"Message": sy_json(sy_xcom(ti, "each_results"))');
    expectLintClean(ruff, dag, line);
  });

  test("a templated field reads the iteration's item and results through macros the DAG registers (a Lambda function named by the item)", () => {
    const text = YAML.replace(
      "  confirm:\n    type: aws\n    service: sns\n    action: Publish\n    request:\n",
      "  confirm:\n    type: lambda\n    function: \"${{ item.Key }}\"\n    payload: { after: \"${{ steps.announce.outputs.MessageId }}\" }\n    outputs: { MessageId: string }\n  unused:\n    type: aws\n    service: sns\n    action: Publish\n    request:\n",
    ).replace("    steps: [announce, confirm]", "    steps: [announce, confirm, unused]");
    const dag = dagText(pipeline(text));
    expect(dag).toContain(`function_name="{{ sy_map_item(ti, 'each', ti.map_index, 'Key') }}"`);
    // The payload function Jinja calls with the task instance of the iteration.
    expect(dag).toContain('payload="{{ confirm_payload(ti) }}"');
    expect(dag.replace(/\s+/g, " ")).toContain('def confirm_payload(ti): return json.dumps( { "after": sy_output( sy_ti(ti, ti.map_index), "announce", "MessageId", "string", ), }, sort_keys=True, )');
    expect(dag).toMatch(/user_defined_macros=\{[^}]*"sy_map_item": sy_map_item/);
    expect(ruff.format(dag)).toBe(dag);
  });

  test("a batch of items an iteration: the items task cuts the list by count, and the DAG lifts back to the same batch; a size in bytes is refused", () => {
    const text = YAML.replace("    concurrency: 2\n", "    concurrency: 2\n    batch: { max_items: 2 }\n").replace("${{ item.Key }}\"\n    outputs: { MessageId: string }\n  confirm:", "${{ json(item) }}\"\n    outputs: { MessageId: string }\n  confirm:").replace(" of ${{ item.Key }}", "");
    const dag = dagText(pipeline(text));
    expect(dag).toContain('return sy_items(sy_response(ti, "list", None, "Contents"), "each", batch=2)');
    const script = `${helperDefs(dag, ["sy_items"])}\nimport json\nprint(json.dumps([sy_items([1, 2, 3, 4, 5], "m", batch=2), sy_items([1, 2], "m", batch=2), sy_items([], "m", batch=2), sy_items([1], "m")]))`;
    expect(JSON.parse(execFileSync("python3", ["-c", `class AirflowFailException(Exception):\n    pass\n\n\n${script}`], { encoding: "utf8" }))).toEqual([[[1, 2], [3, 4], [5]], [[1, 2]], [], [1]]);
    const back = airflow.lift!({ file: "object-fanout.py", text: dag, given: { artifacts: "s3://example-fanout-artifacts/runs" } }).pipeline!;
    expect(stripPositions((back.steps.find((s) => s.id === "each") as Extract<Pipeline["steps"][number], { kind: "map" }>).batch)).toEqual({ max_items: 2 });
    expect(errors(text.replace("batch: { max_items: 2 }", "batch: { max_items: 2, max_bytes: 1000 }"))).toEqual([
      "/p/object-fanout.yaml:19:12: error: map step 'each': batches of at most 1000 bytes have no Airflow form (the items task cuts the list by count: give max_items)",
    ]);
  });

  test("a batch's each: the items task reshapes each item (a lambda of it) before it cuts the list; run in Python, and lifted back", () => {
    const text = YAML.replace("    concurrency: 2\n", '    concurrency: 2\n    batch:\n      max_items: 2\n      each: { key: "${{ item.Key }}", topic: "${{ params.topic_arn }}", whole: "${{ item }}", kind: object }\n')
      .replace("${{ item.Key }}\"\n    outputs: { MessageId: string }\n  confirm:", "${{ json(item) }}\"\n    outputs: { MessageId: string }\n  confirm:")
      .replace(" of ${{ item.Key }}", "");
    const dag = dagText(pipeline(text));
    const fn = /\ndef (each_items)\(([a-z, ]*)\):\n[\s\S]*?\n\n\n/.exec(dag)!;
    expect(fn[0].replace(/\s+/g, " ")).toContain(
      'return sy_items( sy_response(ti, "list", None, "Contents"), "each", batch=2, each=lambda item: { "key": sy_get(item, "Key"), "topic": params["topic_arn"], "whole": item, "kind": "object", }, )',
    );
    expect(ruff.format(dag)).toBe(dag);
    expect(ruff.check(dag).filter((d) => !asksForAirflow3(d))).toEqual([]);
    // The function as written, its helpers as the DAG's, with the listing the list task returned.
    const listing = [{ Key: "in/a", Size: 1 }, { Key: "in/b", Size: 2 }, { Key: "in/c", Size: 3 }];
    const script = [
      "class AirflowFailException(Exception):\n    pass",
      helperDefs(dag, ["sy_items", "sy_get"]),
      "import json",
      `def sy_response(ti, task, key, *path):\n    return {"Contents": json.loads(${JSON.stringify(JSON.stringify(listing))})}[path[0]]`,
      fn[0],
      `print(json.dumps(${fn[1]}(${fn[2].split(", ").map((a) => (a === "params" ? `params={"topic_arn": "arn:t"}` : `${a}=None`)).join(", ")})))`,
    ].join("\n\n\n");
    const shaped = listing.map((o) => ({ key: o.Key, topic: "arn:t", whole: o, kind: "object" }));
    expect(JSON.parse(execFileSync("python3", ["-c", script], { encoding: "utf8" }))).toEqual([shaped.slice(0, 2), shaped.slice(2)]);
    const back = airflow.lift!({ file: "object-fanout.py", text: dag, given: { artifacts: "s3://example-fanout-artifacts/runs" } });
    expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const batchOf = (q: Pipeline) => stripPositions((q.steps.find((s) => s.id === "each") as Extract<Pipeline["steps"][number], { kind: "map" }>).batch);
    expect(batchOf(back.pipeline!)).toEqual(batchOf(pipeline(text)));
    // An each= the lifter cannot read, or any other argument, is said, not dropped.
    const odd = airflow.lift!({ file: "object-fanout.py", text: dag.replace("batch=2,", "batch=2,\n        order=1,").replace('"kind": "object",', '"kind": object_kind(),'), given: { artifacts: "s3://example-fanout-artifacts/runs" } });
    expect(odd.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      "task 'each': sy_items(...) takes batch= and each=, not order=",
      "task 'each': cannot read what each item of map 'each' becomes (each=lambda item: {...}, a dict)",
    ]);
  });

  test("a map whose id is no Python name: the group keeps Airflow's key rule, the function a Python name", () => {
    const dag = dagText(pipeline(YAML.replaceAll("steps.each.results", "steps.each-x.results").replace("  each:\n", "  each-x:\n")));
    expect(dag).toContain('@task_group(group_id="each-x_each", prefix_group_id=False)\n    def each_x_each(item):');
    expect(dag).toContain("(announce, confirm) = each_x_each.expand(item=each_x_task.output)");
    expect(ruff.check(dag).filter((d) => !asksForAirflow3(d))).toEqual([]);
  });

  test("the capability table says how, and what of a map Airflow does not write", () => {
    expect(airflow.capabilities["kind:map"].support).toBe("emulated");
    expect(airflow.capabilities["map.results"].support).toBe("native");
    for (const f of ["map.distributed", "map.batch", "map.read", "map.results-to", "map.tolerate", "map.iteration-id"] as const) expect(airflow.capabilities[f].support).toBe("emulated");
    // The report counts one iteration: the item count is known only at run time.
    const u = airflow.usage!(pipeline(), airflow.lower(pipeline(), { baseDir: "/p", options: {} }).files);
    expect(u.airflowTasks).toBe(6);
    expect(u.notes).toContain("a map's tasks are counted once: they run once an item (mapped task instances), a number known only at run time");
  });

  test("refused, naming the step: a map inside a map, a job step in a map", () => {
    const nested = YAML.replace("    steps: [announce, confirm]", "    steps: [announce, inner]").replace("    result: ${{ steps.confirm.outputs.MessageId }}", "    result: done").replace(
      "  confirm:\n",
      "  inner:\n    type: map\n    items: [1, 2]\n    steps: [confirm]\n  confirm:\n",
    );
    expect(errors(nested)).toEqual([
      "/p/object-fanout.yaml:39:3: error: step 'inner' runs once an item of map step 'each' and is a map itself: Airflow maps a task group over a list one level deep only (a mapped task group cannot hold another)",
      "/p/object-fanout.yaml:43:3: error: step 'confirm' runs once an item of map step 'inner' inside map step 'each': Airflow maps a task group over a list one level deep only (a mapped task group cannot hold another)",
    ]);
    const job = YAML.replace(
      "  confirm:\n    type: aws\n    service: sns\n    action: Publish\n    request:\n      TopicArn: ${{ params.topic_arn }}\n      Subject: confirm\n      Message: \"after ${{ steps.announce.outputs.MessageId }} of ${{ item.Key }}\"\n    outputs: { MessageId: string }\n",
      "  confirm:\n    type: transform\n    model: my-model\n    instance: ml.m5.large\n    input: { source: \"${{ item.Key }}\" }\n    depends_on: [announce]\n",
    ).replace("    result: ${{ steps.confirm.outputs.MessageId }}", "    result: done").replace("region: eu-west-1\n", "region: eu-west-1\nrole: arn:aws:iam::111122223333:role/pipeline\n");
    expect(errors(job)).toEqual([
      "/p/object-fanout.yaml:40:3: error: step 'confirm' runs once an item of map step 'each': on Airflow a map's steps are lambda, aws, wait or condition steps without repeat (the tasks of a mapped task group, each reading its iteration's item by map index); a transform step is not written there\n  hint: run the map on Step Functions, or give the step's work to a lambda or aws step",
    ]);
    expect(errors(FAILING.replace("Message: an object check failed", "Message: \"failed: ${{ failure.Cause }}\""))).toEqual([
      "/p/object-fanout.yaml:26:117: error: the failure of map step 'each' is the error of one of its iterations' tasks, which Airflow keeps per map index; it is not read here",
    ]);
  });
});

/** A DAG written by hand: a @task_group function mapped over a list written in the file. */
const HAND = `"""Refresh features per region: a mapped task group over the regions written out."""

from datetime import datetime

from airflow import DAG
from airflow.decorators import task_group
from airflow.providers.amazon.aws.operators.lambda_function import LambdaInvokeFunctionOperator

REGION = "eu-west-1"
REGIONS = ['{"region": "eu-west-1"}', '{"region": "us-east-1"}']


@task_group(group_id="refresh_region")
def refresh_region(region):
    export = LambdaInvokeFunctionOperator(task_id="export", function_name="export-features", payload=region, region_name=REGION)
    notify = LambdaInvokeFunctionOperator(task_id="notify", function_name="notify-owners", payload='{"stage": "export"}', region_name=REGION)
    export >> notify


with DAG(dag_id="regional_refresh", schedule=None, start_date=datetime(2025, 1, 1), catchup=False) as dag:
    start = LambdaInvokeFunctionOperator(task_id="start", function_name="open-window", region_name=REGION)
    regions = refresh_region.expand(region=REGIONS)
    done = LambdaInvokeFunctionOperator(task_id="done", function_name="close-window", region_name=REGION)
    start >> regions >> done
`;
const HAND_GIVEN = { artifacts: "s3://acme-features/refresh", role: "arn:aws:iam::111122223333:role/FeatureRefresh" };

describe("map steps lifted back from the DAG", () => {
  const withoutHash = (dag: string) => dag.replace(/^# IR sha256:.*\n/m, "");
  test.each([
    ["2", "the fan-out", YAML],
    ["3", "the fan-out", YAML],
    ["2", "the map with a failure handler", FAILING],
  ] as const)("Airflow %s, %s: the mapped task group is the map step again (items, steps, result, concurrency), and lowers to the same DAG", (line, _, text) => {
    const p = pipeline(text);
    const dag = dagText(p, { airflow: line });
    const r = airflow.lift!({ file: `${p.name}.py`, text: dag, given: { artifacts: p.artifacts } });
    expect(r.diagnostics.filter((d) => d.severity !== "info").map((d) => formatDiagnostic(d))).toEqual([]);
    const back = r.pipeline!;
    const each = back.steps.find((s) => s.id === "each")!;
    const orig = p.steps.find((s) => s.id === "each")!;
    expect(each.kind).toBe("map");
    expect(stripPositions(each)).toMatchObject({ items: stripPositions((orig as Extract<typeof orig, { kind: "map" }>).items!), steps: (orig as Extract<typeof orig, { kind: "map" }>).steps });
    expect(stripPositions(each)).toEqual(expect.objectContaining(text === YAML ? { concurrency: 2, result: stripPositions((orig as Extract<typeof orig, { kind: "map" }>).result!) } : { on_failure: [{ steps: ["notify"] }] }));
    // The results task is the map's own: no step of its own, and a later step reads the map's results.
    expect(back.steps.map((s) => s.id).sort()).toEqual(p.steps.map((s) => s.id).sort());
    expect(withoutHash(dagText(back, { airflow: line }))).toBe(withoutHash(dag));
  });

  test("a @task_group function mapped by hand over a list written in the file: a map step over that list, the group's edges the map's, the item passed as JSON text parsed", () => {
    const r = airflow.lift!({ file: "regional_refresh.py", text: HAND, given: HAND_GIVEN });
    expect(r.diagnostics.map((d) => formatDiagnostic(d))).toEqual([
      "regional_refresh.py:22:15: warning: mapped task group 'refresh_region' is lifted as a map step; its tasks' ids lose the group's prefix: 'refresh_region.export' as step 'export', 'refresh_region.notify' as step 'notify'",
    ]);
    const p = r.pipeline!;
    expect(p.steps.map((s) => [s.id, s.kind, s.depends_on])).toEqual([
      ["start", "lambda", []],
      ["refresh_region", "map", ["start"]],
      ["export", "lambda", []],
      ["notify", "lambda", ["export"]],
      ["done", "lambda", ["refresh_region"]],
    ]);
    const m = p.steps[1] as Extract<Pipeline["steps"][number], { kind: "map" }>;
    expect(m.steps).toEqual(["export", "notify"]);
    expect(stripPositions(m.items)).toEqual({ kind: "list", items: [{ kind: "literal", value: '{"region": "eu-west-1"}', type: "string" }, { kind: "literal", value: '{"region": "us-east-1"}', type: "string" }] });
    // The Lambda was sent the item's text: the lifted step sends the value it parses to, as JSON.
    expect(stripPositions((p.steps[2] as Extract<Pipeline["steps"][number], { kind: "lambda" }>).payload_value)).toEqual({ kind: "call", fn: "parse", args: [{ kind: "ref", ref: { scope: "item", path: [] } }] });
  });

  test("a group mapped over something other than one task's .output is refused, naming it", () => {
    const dag = dagText(pipeline()).replace("each_each.expand(item=each.output)", 'each_each.expand(item=list_task.output["Contents"])');
    const r = airflow.lift!({ file: "object-fanout.py", text: dag, given: { artifacts: "s3://example-fanout-artifacts/runs" } });
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d))).toEqual([
      "object-fanout.py:127:27: error: `each_each.expand(item=list_task.output[\"Contents\"])` maps the @task_group function each_each over `list_task.output[\"Contents\"]`; the reader lifts a mapped task group over the `.output` of one task (its result, a list) or a list written in the file",
      // Without the map, its items and results tasks are functions that read the task instance.
      "object-fanout.py:38:1: error: task 'each': the function each_items (defined at line 38) a PythonOperator calls takes the Airflow context variable ti, which the processing job does not have",
      "object-fanout.py:73:1: error: task 'each_results': the function each_results_gather (defined at line 73) a PythonOperator calls takes the Airflow context variable ti, which the processing job does not have",
    ]);
  });
});

/** dag.test() starts Airflow and talks to moto: minutes on a loaded machine, so no tight bound. */
const DAG_RUN_TIMEOUT = 10 * 60 * 1000;
const KEYS = ["in/a.csv", "in/b.csv", "in/c.csv"];

/** dag.test() of the pipeline's DAG, with these objects in the landing bucket and the topic's messages collected. */
function runWith(env: ReturnType<typeof airflowWithMoto>, p: Pipeline, line: "2" | "3", keys: string[]) {
  return runDag(env, p, line, { objects: keys.map((k) => ({ uri: `s3://example-fanout-landing/${k}`, body: k })), topics: [{ name: "object-events", queue: "object-events-seen" }] });
}

describe.each(["2", "3"] as const)("Airflow %s: a map step in real Airflow against moto", (line) => {
  const p = pipeline();
  const env = airflowWithMoto(line, () => ({ [`${p.name}.py`]: dagText(p, { airflow: line }) }), DAG_RUN_TIMEOUT);

  test("a hand-written mapped task group and the DAG it lifts to import; the group's tasks follow the same tasks, the same tasks follow them", () => {
    writeFileSync(join(env.af.home, "dags", "regional_refresh.py"), HAND);
    const before = env.af.check(["inspect", join(env.af.home, "dags")]);
    writeFileSync(join(env.af.home, "dags", "regional_refresh.py"), dagText(airflow.lift!({ file: "regional_refresh.py", text: HAND, given: HAND_GIVEN }).pipeline!, { airflow: line }));
    const after = env.af.check(["inspect", join(env.af.home, "dags")]);
    for (const r of [before, after]) expect(r.import_errors).toEqual({});
    const graph = (r: any) => Object.fromEntries(Object.entries(r.dags.regional_refresh.tasks as Record<string, { upstream: string[] }>).map(([id, t]) => [id, [...t.upstream].sort()]));
    expect(graph(before)).toEqual({ start: [], "refresh_region.export": ["start"], "refresh_region.notify": ["refresh_region.export"], done: ["refresh_region.notify"] });
    // The items task (the list, returned) and the results task are the map's; its tasks keep their order between start and done.
    expect(graph(after)).toEqual({ start: [], refresh_region: ["start"], export: ["refresh_region"], notify: ["export", "refresh_region"], refresh_region_results: ["notify", "refresh_region"], done: ["refresh_region_results"] });
  });

  test("DagBag imports the DAG: the map's tasks follow its items task, the results task follows the last of them", () => {
    const r = env.af.check(["inspect", join(env.af.home, "dags")]);
    expect(r.import_errors).toEqual({});
    const graph = Object.fromEntries(Object.entries(r.dags[p.name].tasks as Record<string, { upstream: string[] }>).map(([id, t]) => [id, [...t.upstream].sort()]));
    expect(graph).toEqual({
      list: [],
      each: ["list"],
      announce: ["each"],
      confirm: ["announce", "each"],
      each_results: ["confirm", "each"],
      summary: ["each_results"],
    });
  });

  test(
    "dag.test() runs the map's steps once an object, each reading its own item and result; the results task lists each iteration's result in item order",
    () => {
      const r = runWith(env, p, line, KEYS);
      expect(r.state).toBe("success");
      expect(r.tasks).toEqual({
        list: "success",
        each: "success",
        "announce[0]": "success",
        "announce[1]": "success",
        "announce[2]": "success",
        "confirm[0]": "success",
        "confirm[1]": "success",
        "confirm[2]": "success",
        each_results: "success",
        summary: "success",
      });
      const seen: Array<{ MessageId: string; Message: string; Subject: string }> = r.published["object-events"];
      const announced = KEYS.map((k) => seen.find((m) => m.Subject === "object" && m.Message === `new ${k}`)!);
      expect(announced.every(Boolean)).toBe(true);
      // Each confirmation names its own iteration's announcement and item.
      const confirmed = KEYS.map((k, i) => seen.find((m) => m.Subject === "confirm" && m.Message === `after ${announced[i].MessageId} of ${k}`)!);
      expect(confirmed.every(Boolean)).toBe(true);
      expect(r.xcom.each_results).toEqual(confirmed.map((m) => m.MessageId));
      const summary = seen.find((m) => m.Subject === "summary")!;
      expect(JSON.parse(summary.Message)).toEqual(confirmed.map((m) => m.MessageId));
      expect(seen).toHaveLength(7);
    },
    DAG_RUN_TIMEOUT,
  );
});

describe.each(["2", "3"] as const)("Airflow %s: a map step whose iteration fails, in real Airflow against moto", (line) => {
  const p = pipeline(FAILING);
  const env = airflowWithMoto(line, () => ({ [`${p.name}.py`]: dagText(p, { airflow: line }) }), DAG_RUN_TIMEOUT);

  test(
    "dag.test(): the failed iteration fails the results task's upstream, the map's failure handler runs, the step after the map does not, the run fails",
    () => {
      const r = runWith(env, p, line, ["in/a.csv"]);
      expect(r.state).toBe("failed");
      expect(r.tasks).toEqual({
        each: "success",
        "head[0]": "success",
        "head[1]": "failed",
        each_results: "upstream_failed",
        after: "upstream_failed",
        notify: "success",
        each_failed: "failed",
      });
      expect(r.published["object-events"].map((m: { Subject: string }) => m.Subject)).toEqual(["failed"]);
    },
    DAG_RUN_TIMEOUT,
  );
});
