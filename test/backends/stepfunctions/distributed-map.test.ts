/**
 * A map over items read from S3, batched, tolerating failures, its iterations
 * child executions: lowered to a distributed Map (hand-checked, validated,
 * executed through the inline rewrite in distributed.ts), our own machine
 * lifted back exactly, distributed Maps others wrote read or refused by name,
 * and the checks.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import airflow from "../../../backends/airflow/index.js";
import sagemaker from "../../../backends/sagemaker/index.js";
import { refusals } from "../../../src/backend/refusals.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { diffPipelines } from "../../../src/diff/compare.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { stripPositions } from "../../../src/ir/values.js";
import { aslValidator, languageService, lower, run, yaml, yamlAndTs } from "./support.js";
import { inlineDistributed, readerAnswer, writerAnswer } from "./distributed.js";

const PIPELINE = `version: 1
pipeline: ingest
region: us-east-1
artifacts: s3://example-bucket/ingest
parameters:
  bucket: { type: string, default: raw-bucket }
steps:
  ingest:
    type: map
    read: { bucket: "\${{ params.bucket }}", prefix: raw/ }
    batch: { max_items: 2 }
    tolerate: { percent: 5 }
    distributed: { runs: express, label: Ingest }
    concurrency: 100
    steps: [decompress]
  decompress:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:decompress
    payload: { objects: "\${{ item }}", run: "\${{ execution.id }}", bucket: "\${{ params.bucket }}" }
  rows:
    type: map
    depends_on: [ingest]
    read: { bucket: data-bucket, key: rows.csv, format: csv, columns: [id, name], max_items: 1000 }
    steps: [score]
  score:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:score
    payload: { id: "\${{ item.id }}", run: "\${{ execution.id }}" }
`;

const errors = (ds: { severity: string }[]) => ds.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d as never));

describe("a distributed map on Step Functions", () => {
  test("the reader, batcher, tolerance, child executions' type and label are the Map's; each child gets the state's data in BatchInput, laid out by a Pass; both validators accept it", async () => {
    const r = lower(yaml(PIPELINE));
    expect(errors(r.diagnostics)).toEqual([]);
    const ingest = r.definition.States.ingest;
    expect(ingest.ItemReader).toEqual({ Resource: "arn:aws:states:::s3:listObjectsV2", Parameters: { "Bucket.$": "$.params.bucket", Prefix: "raw/" } });
    expect(ingest.ItemBatcher).toEqual({ MaxItemsPerBatch: 2, BatchInput: { "params.$": "$.params", "steps.$": "$.steps", run: { "name.$": "$$.Execution.Name" } } });
    expect(ingest.ItemSelector).toBeUndefined();
    expect(ingest.ItemsPath).toBeUndefined();
    expect(ingest).toMatchObject({ MaxConcurrency: 100, ToleratedFailurePercentage: 5, Label: "Ingest", ResultPath: null, Next: "rows" });
    expect(ingest.ItemProcessor.ProcessorConfig).toEqual({ Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" });
    expect(ingest.ItemProcessor.StartAt).toBe("ingest.batch");
    expect(ingest.ItemProcessor.States["ingest.batch"]).toEqual({
      Type: "Pass",
      Parameters: { "params.$": "$.BatchInput.params", "steps.$": "$.BatchInput.steps", "run.$": "$.BatchInput.run", "item.$": "$.Items" },
      Next: "decompress",
    });
    // A child's own $$.Execution is not the run's: the run's id is read from what the parent handed it.
    expect(ingest.ItemProcessor.States.decompress.Parameters.Payload).toEqual({ "objects.$": "$.item", "run.$": "$.run.name", "bucket.$": "$.params.bucket" });
    const rows = r.definition.States.rows;
    expect(rows.ItemReader).toEqual({
      Resource: "arn:aws:states:::s3:getObject",
      ReaderConfig: { InputType: "CSV", CSVHeaderLocation: "GIVEN", CSVHeaders: ["id", "name"], MaxItems: 1000 },
      Parameters: { Bucket: "data-bucket", Key: "rows.csv" },
    });
    expect(rows.ItemSelector).toEqual({ "params.$": "$.params", "steps.$": "$.steps", run: { "name.$": "$$.Execution.Name" }, "item.$": "$$.Map.Item.Value" });
    expect(rows.ItemProcessor.States.score.Parameters.Payload).toEqual({ "id.$": "$.item.id", "run.$": "$.run.name" });
    expect(rows.ItemProcessor.ProcessorConfig).toEqual({ Mode: "DISTRIBUTED", ExecutionType: "STANDARD" });
    expect(aslValidator(r.definition)).toMatchObject({ isValid: true, errors: [] });
    expect(await languageService(r.files[0].contents)).toEqual([]);
  });

  test("runs (each Map made inline, its reader a call): every batch of objects reaches the function with the run's id and the parameter; each CSV row is scored", async () => {
    const def = inlineDistributed(lower(yaml(PIPELINE)).definition);
    const objects = ["a", "b", "c"].map((n) => ({ Key: `raw/${n}.gz`, Size: 10 }));
    const out = await run(def, { bucket: "my-raw" }, {
      ingest: readerAnswer(objects),
      rows: readerAnswer([{ id: "1", name: "x" }, { id: "2", name: "y" }]),
      decompress: (i: any) => ({ Payload: { n: i.Payload.objects.length } }),
      score: () => ({ Payload: { ok: true } }),
    });
    expect(out.status).toBe("SUCCEEDED");
    expect(out.inputs.ingest).toEqual([{ Bucket: "my-raw", Prefix: "raw/", Batch: { MaxItemsPerBatch: 2 } }]);
    expect(out.inputs.decompress.map((i: any) => i.Payload)).toEqual([
      { objects: objects.slice(0, 2), run: "exec-1", bucket: "my-raw" },
      { objects: objects.slice(2), run: "exec-1", bucket: "my-raw" },
    ]);
    expect(out.inputs.score.map((i: any) => i.Payload)).toEqual([{ id: "1", run: "exec-1" }, { id: "2", run: "exec-1" }]);
  });

  test("our own machine lifts back to the same pipeline, and lowers to the same definition", () => {
    const p = yaml(PIPELINE);
    const first = lower(p);
    const lifted = backend.lift!({ file: "machine.asl.json", text: first.files.find((f) => f.kind === "definition")!.contents });
    expect(errors(lifted.diagnostics)).toEqual([]);
    // The artifacts prefix is not in the machine (the lift warns); all else is.
    expect(diffPipelines(p, { ...lifted.pipeline!, artifacts: p.artifacts })).toEqual([]);
    expect(lower(lifted.pipeline!).definition).toEqual(first.definition);
    // And diff sees what differs in a read or a batch.
    const other = yaml(PIPELINE.replace("prefix: raw/", "prefix: cooked/").replace("max_items: 2", "max_items: 3"));
    expect(diffPipelines(p, other).map((d) => d.path)).toEqual(expect.arrayContaining([expect.stringContaining("read.prefix"), expect.stringContaining("batch.max_items")]));
  });

  test("results_to: a ResultWriter under the prefix, each iteration's result written; the results are not kept, and reading them is refused", async () => {
    const text = PIPELINE.replace("    steps: [score]", "    results_to: { bucket: out-bucket, prefix: \"scores/${{ execution.id }}\" }\n    result: ${{ steps.score.response }}\n    steps: [score]");
    const r = lower(yaml(text));
    expect(errors(r.diagnostics)).toEqual([]);
    const rows = r.definition.States.rows;
    expect(rows.ResultWriter).toEqual({ Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "out-bucket", "Prefix.$": "States.Format('scores/{}', $$.Execution.Name)" } });
    expect(rows.ResultPath).toBeNull();
    expect(aslValidator(r.definition)).toMatchObject({ isValid: true, errors: [] });
    // Run through the inline rewrite: the writer is sent every row's result.
    const out = await run(inlineDistributed(r.definition), { bucket: "b" }, {
      ingest: readerAnswer([]),
      rows: readerAnswer([{ id: "1" }, { id: "2" }]),
      decompress: () => ({ Payload: {} }),
      score: (i: any) => ({ Payload: { scored: i.Payload.id } }),
      "rows (results)": writerAnswer(),
    });
    expect(out.status).toBe("SUCCEEDED");
    expect(out.inputs["rows (results)"]).toEqual([{ Bucket: "out-bucket", Prefix: "scores/exec-1", Results: [{ scored: "1" }, { scored: "2" }] }]);
    // Lifted back: the same pipeline.
    const p = yaml(text);
    const lifted = backend.lift!({ file: "machine.asl.json", text: r.files.find((f) => f.kind === "definition")!.contents });
    expect(errors(lifted.diagnostics)).toEqual([]);
    expect(diffPipelines(p, { ...lifted.pipeline!, artifacts: p.artifacts })).toEqual([]);
    const bad = loadYamlText(text.replace("    result: ${{ steps.score.response }}\n", "") + "  after:\n    type: wait\n    seconds: 1\n    depends_on: [rows]\n  read:\n    type: fail\n    message: ${{ steps.rows.results }}\n", "bad.yaml", "fixtures");
    expect(errors(bad.diagnostics)).toEqual([
      "bad.yaml:24:17: error: map 'rows' writes its results to S3: give it 'result', what each iteration gives back\n  hint: result: ${{ steps.<last step>.response }}",
      "bad.yaml:36:18: error: map 'rows' writes its results to S3 ('results_to'), so steps.rows.results is nothing in the run\n  hint: read the objects it writes under its results_to prefix, or drop results_to",
    ]);
  });

  test("two maps may not share a label: it names their runs", () => {
    const text = PIPELINE.replace("    steps: [score]", "    distributed: { label: Ingest }\n    steps: [score]");
    expect(errors(lower(yaml(text)).diagnostics)).toEqual(["inline.yaml:24:18: error: map 'rows' has label 'Ingest', which map 'ingest' has: a label names a map's runs, one map each"]);
  });

  test("a batched map whose steps name jobs per iteration is refused: a batch has no index to name them by", () => {
    const text = PIPELINE.replace(/ {2}decompress:[\s\S]*?(?= {2}rows:)/, `  decompress:
    type: processing
    image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/p:1
    instance: { type: ml.m5.large }
    environment: { OBJECTS: "\${{ item[0].Key }}" }
`);
    expect(errors(lower(yaml(text.replace("artifacts:", "role: arn:aws:iam::111122223333:role/Jobs\nartifacts:"))).diagnostics)).toEqual([
      "inline.yaml:12:12: error: map 'ingest': its steps name what they start per iteration, and a batch of items has no iteration index to name them by\n  hint: start jobs from a map without 'batch', or name them from the items",
    ]);
  });

  test("the TypeScript DSL's map() takes read, batch, tolerate and distributed, giving the IR the YAML gives", async () => {
    const r = await yamlAndTs(
      PIPELINE,
      `import { execution, lambda, map, mapItem, params, pipeline } from "switchyard";
const p = params({ bucket: { type: "string", default: "raw-bucket" } });
const decompress = lambda("decompress", { function: "arn:aws:lambda:us-east-1:111122223333:function:decompress", payload: { objects: mapItem, run: execution.id, bucket: p.bucket } });
const ingest = map("ingest", { read: { bucket: p.bucket, prefix: "raw/" }, batch: { max_items: 2 }, tolerate: { percent: 5 }, distributed: { runs: "express", label: "Ingest" }, concurrency: 100, steps: [decompress] });
const score = lambda("score", { function: "arn:aws:lambda:us-east-1:111122223333:function:score", payload: { id: mapItem.id, run: execution.id } });
const rows = map("rows", { depends_on: [ingest], read: { bucket: "data-bucket", key: "rows.csv", format: "csv", columns: ["id", "name"], max_items: 1000 }, steps: [score] });
export default pipeline({ name: "ingest", region: "us-east-1", artifacts: "s3://example-bucket/ingest", parameters: p, steps: [ingest, rows] });
`,
    );
    expect(r.tsErrors).toEqual([]);
    expect(r.fromTs).toEqual(r.fromYaml);
  });

  test("SageMaker Pipelines refuses the map once, not each of its settings again; Airflow maps a task group, holding each of its settings", () => {
    const texts = refusals(sagemaker, yaml(PIPELINE)).map((d) => formatDiagnostic(d));
    expect(texts.filter((t) => t.includes("step 'ingest'"))).toHaveLength(1);
    expect(texts.filter((t) => /read|batch|tolerat|distributed/.test(t))).toEqual([]);
    // Airflow: the read, the batch, the tolerated failures and the child runs are emulated (capabilities).
    const af = refusals(airflow, yaml(PIPELINE)).map((d) => d.message);
    expect(af.filter((t) => t.includes("'ingest'") || t.includes("'rows'"))).toEqual([]);
  });
});

describe("iteration.id", () => {
  const ITER = PIPELINE.replace('payload: { id: "${{ item.id }}", run: "${{ execution.id }}" }', 'payload: { id: "${{ item.id }}", run: "${{ execution.id }}", child: "${{ iteration.id }}" }').replace(
    'payload: { objects: "${{ item }}", run: "${{ execution.id }}", bucket: "${{ params.bucket }}" }',
    'payload: { objects: "${{ item }}", run: "${{ execution.id }}", bucket: "${{ params.bucket }}", batch: "${{ iteration.id }}" }',
  );

  test("a distributed Map's child reads its own name; the run's id still comes from the parent; our machine lifts back exactly", () => {
    const p = yaml(ITER);
    const r = lower(p);
    expect(errors(r.diagnostics)).toEqual([]);
    expect(r.definition.States.rows.ItemProcessor.States.score.Parameters.Payload).toEqual({ "id.$": "$.item.id", "run.$": "$.run.name", "child.$": "$$.Execution.Name" });
    expect(r.definition.States.ingest.ItemProcessor.States.decompress.Parameters.Payload["batch.$"]).toBe("$$.Execution.Name");
    expect(aslValidator(r.definition)).toMatchObject({ isValid: true, errors: [] });
    const lifted = backend.lift!({ file: "machine.asl.json", text: r.files.find((f) => f.kind === "definition")!.contents });
    expect(errors(lifted.diagnostics)).toEqual([]);
    expect(diffPipelines(p, { ...lifted.pipeline!, artifacts: p.artifacts })).toEqual([]);
  });

  test("an inline iteration's id is the run's name and the item's index; it runs, each iteration its own; lifted back exactly", async () => {
    const text = `version: 1
pipeline: inline
region: us-east-1
artifacts: s3://example-bucket/inline
steps:
  each:
    type: map
    items: \${{ execution.input.list }}
    steps: [a]
  a:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:a
    payload: { id: "\${{ iteration.id }}", key: "out/\${{ iteration.id }}.json" }
`;
    const p = yaml(text);
    const r = lower(p);
    expect(errors(r.diagnostics)).toEqual([]);
    expect(r.definition.States.each.ItemSelector["index.$"]).toBe("$$.Map.Item.Index");
    expect(r.definition.States.each.ItemProcessor.States.a.Parameters.Payload).toEqual({
      "id.$": "States.Format('{}/{}', $$.Execution.Name, $.index)",
      "key.$": "States.Format('out/{}.json', States.Format('{}/{}', $$.Execution.Name, $.index))",
    });
    expect(aslValidator(r.definition)).toMatchObject({ isValid: true, errors: [] });
    const out = await run(r.definition, { list: ["p", "q"] }, { a: () => ({ Payload: {} }) });
    expect(out.inputs.a.map((i: any) => i.Payload)).toEqual([
      { id: "exec-1/0", key: "out/exec-1/0.json" },
      { id: "exec-1/1", key: "out/exec-1/1.json" },
    ]);
    const lifted = backend.lift!({ file: "machine.asl.json", text: r.files.find((f) => f.kind === "definition")!.contents });
    expect(errors(lifted.diagnostics)).toEqual([]);
    expect(diffPipelines(p, { ...lifted.pipeline!, artifacts: p.artifacts })).toEqual([]);
  });

  test("checked: only in a map's steps; not in an inline map inside another, whose index repeats", () => {
    expect(errors(loadYamlText(ITER + "  after:\n    type: fail\n    depends_on: [rows]\n    message: \"${{ iteration.id }}\"\n", "bad.yaml", "fixtures").diagnostics)).toEqual([
      "bad.yaml:32:19: error: iteration.id is only available in a map's steps",
    ]);
    const nested = `version: 1
pipeline: nested
region: us-east-1
artifacts: s3://example-bucket/nested
steps:
  outer:
    type: map
    items: \${{ execution.input.list }}
    steps: [inner]
  inner:
    type: map
    items: \${{ item.parts }}
    steps: [a]
  a:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:a
    payload: { id: "\${{ iteration.id }}" }
`;
    expect(errors(lower(yaml(nested)).diagnostics)).toEqual([
      "inline.yaml:10:3: error: map 'inner' is inside map 'outer', and its steps read iteration.id, made of an index that repeats in each iteration of 'outer'\n  hint: make the inner map distributed: each of its iterations is then a child execution with a name of its own",
    ]);
    // Distributed, the inner map's children have names of their own.
    expect(errors(lower(yaml(nested.replace("    steps: [a]", "    distributed: true\n    steps: [a]"))).diagnostics)).toEqual([]);
  });
});

describe("checks", () => {
  const check = (replace: [string | RegExp, string]) => errors(loadYamlText(PIPELINE.replace(replace[0], replace[1]), "bad.yaml", "fixtures").diagnostics);
  test("items come from a list or from S3, and a read says what it reads", () => {
    expect(check(["    read: { bucket: \"${{ params.bucket }}\", prefix: raw/ }\n", ""])).toEqual([
      "bad.yaml:8:3: error: map 'ingest' takes its items from a list or from S3: exactly one of 'items' and 'read'\n  hint: items: ${{ steps.x.response.Items }}, or read: { bucket: my-bucket, prefix: in/ }",
    ]);
    expect(check(["prefix: raw/ }", "prefix: raw/ }\n    items: ${{ execution.input.list }}"])).toEqual([
      "bad.yaml:8:3: error: map 'ingest' takes its items from a list or from S3: exactly one of 'items' and 'read'\n  hint: items: ${{ steps.x.response.Items }}, or read: { bucket: my-bucket, prefix: in/ }",
    ]);
    expect(check(["key: rows.csv, format: csv,", "key: rows.csv,"])).toEqual([
      "bad.yaml:23:11: error: map 'rows' reads the records of one object: 'read.format' says how they are written (json, jsonl, csv or manifest)",
      "bad.yaml:23:11: error: map 'rows': 'read.columns' names the columns of a CSV file, and 'read.format' is absent",
    ]);
    expect(check(["prefix: raw/ }", "prefix: raw/, format: json }"])).toEqual([
      "bad.yaml:10:11: error: map 'ingest': 'read.format' is for the records of one object ('read.key'); without a key the map reads the objects' listing",
    ]);
    expect(check(["batch: { max_items: 2 }", "batch: {}"])).toEqual(["bad.yaml:11:12: error: map 'ingest': 'batch' needs max_items, max_bytes or both"]);
    expect(check(["tolerate: { percent: 5 }", "tolerate: { percent: 101 }"])[0]).toContain("bad.yaml:12:26");
  });
});

/** Lift a machine given as an object; errors as text. */
function liftErrors(def: unknown) {
  const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(def, null, 2) });
  return { pipeline: r.pipeline, errors: errors(r.diagnostics) };
}

describe("distributed Maps others wrote", () => {
  const FN = "arn:aws:lambda:us-east-1:111122223333:function:work";
  const machine = (map: Record<string, unknown>, task: Record<string, unknown> = {}) => ({
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Work", States: { Work: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: FN, "Payload.$": "$" }, ...task, End: true } } },
        ItemReader: { Resource: "arn:aws:states:::s3:getObject", ReaderConfig: { InputType: "JSONL" }, Parameters: { "Bucket.$": "$.bucket", Key: "in/items.jsonl" } },
        ...map,
        End: true,
      },
    },
  });

  test("a JSON Lines reader with its bucket from the input lifts to a read of that parameter; the batch is the iteration's Items", () => {
    const r = liftErrors(machine({ ItemBatcher: { MaxItemsPerBatch: 10, MaxInputBytesPerBatch: 1024 }, ToleratedFailureCount: 3 }));
    expect(r.errors).toEqual([]);
    const each = r.pipeline!.steps.find((s) => s.id === "Each") as any;
    expect(each.read).toMatchObject({ bucket: { kind: "ref", ref: { scope: "params", name: "bucket" } }, key: { kind: "literal", value: "in/items.jsonl" }, format: "jsonl" });
    expect(each.batch).toMatchObject({ max_items: 10, max_bytes: 1024 });
    expect(each.tolerate).toMatchObject({ count: 3 });
    expect(each.distributed).toBeUndefined();
    const work = r.pipeline!.steps.find((s) => s.id === "Work") as any;
    expect(work.payload).toMatchObject({ Items: { kind: "ref", ref: { scope: "item", path: [] } } });
  });

  test("a child execution's own name is the iteration's id", () => {
    const r = liftErrors(machine({}, { Parameters: { FunctionName: FN, Payload: { "child.$": "$$.Execution.Name" } } }));
    expect(r.errors).toEqual([]);
    const work = r.pipeline!.steps.find((s) => s.id === "Work") as any;
    expect(work.payload.child).toMatchObject({ kind: "ref", ref: { scope: "iteration", name: "id" } });
  });

  test("what the IR cannot hold is refused by name: the child's own context, ItemsPath beside a reader, ResultWriter, a CSV delimiter, a reader of another service", () => {
    expect(liftErrors(machine({}, { Parameters: { FunctionName: FN, Payload: { "started.$": "$$.Execution.StartTime" } } })).errors).toEqual([
      "m.asl.json:19:30: error: $.States.Each.ItemProcessor.States.Work.Parameters.Payload['started.$']: path '$$.Execution.StartTime' inside distributed Map 'Each' reads the child execution's own context, of which the IR names only its name (iteration.id); its execution.* are the run's\n  hint: hand the run's fields to the iterations in the Map's ItemSelector, as the lowered machine does",
    ]);
    expect(liftErrors(machine({ ItemsPath: "$.Items" })).errors).toEqual([
      "m.asl.json:34:20: error: $.States.Each.ItemsPath: ItemsPath beside an ItemReader has no IR equivalent: the IR's read hands on the records as the reader reads them",
    ]);
    expect(liftErrors(machine({ ResultWriter: { Resource: "arn:aws:states:::s3:putObject", Parameters: { Bucket: "b", Prefix: "out" }, WriterConfig: { OutputType: "JSONL" } } })).errors).toEqual([
      "m.asl.json:40:25: error: $.States.Each.ResultWriter.WriterConfig: field 'WriterConfig' of a ResultWriter has no IR equivalent (the IR writes the results as Step Functions does by default)",
    ]);
    const csv = machine({});
    (csv.States.Each as any).ItemReader.ReaderConfig = { InputType: "CSV", CSVHeaderLocation: "FIRST_ROW", CSVDelimiter: "SEMICOLON" };
    expect(liftErrors(csv).errors).toEqual([
      "m.asl.json:29:27: error: $.States.Each.ItemReader.ReaderConfig.CSVDelimiter: field 'CSVDelimiter' of a ReaderConfig has no IR equivalent (the IR reads comma-separated files)",
    ]);
    const other = machine({});
    (other.States.Each as any).ItemReader.Resource = "arn:aws:states:::athena:getQueryResults";
    expect(liftErrors(other).errors[0]).toContain("ItemReader resource \"arn:aws:states:::athena:getQueryResults\" has no IR equivalent");
  });

  test("a refused Map's Catch is read too: every problem is said at once", () => {
    const def = machine({ ItemsPath: "$.Items", Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed", ResultSelector: {} }] });
    (def.States as any).Failed = { Type: "Fail", Error: "ReadFailed" };
    expect(liftErrors(def).errors).toEqual([
      "m.asl.json:34:20: error: $.States.Each.ItemsPath: ItemsPath beside an ItemReader has no IR equivalent: the IR's read hands on the records as the reader reads them",
      "m.asl.json:41:29: error: $.States.Each.Catch[0].ResultSelector: field 'ResultSelector' of a Catch has no IR equivalent",
    ]);
  });
});

describe("a batch's each: every item reshaped before it is batched", () => {
  const EACH = PIPELINE.replace(
    "    batch: { max_items: 2 }\n",
    '    batch:\n      max_items: 2\n      each: { bucket: "${{ params.bucket }}", object: "${{ item }}", key: "${{ item.Key }}", kind: listing }\n',
  );

  test("the Map's ItemSelector beside its ItemBatcher, the item as read at $$.Map.Item.Value and the rest read where the Map runs; both validators accept it", async () => {
    const r = lower(yaml(EACH));
    expect(errors(r.diagnostics)).toEqual([]);
    const ingest = r.definition.States.ingest;
    expect(ingest.ItemSelector).toEqual({ "bucket.$": "$.params.bucket", "object.$": "$$.Map.Item.Value", "key.$": "$$.Map.Item.Value.Key", kind: "listing" });
    expect(ingest.ItemBatcher).toEqual({ MaxItemsPerBatch: 2, BatchInput: { "params.$": "$.params", "steps.$": "$.steps", run: { "name.$": "$$.Execution.Name" } } });
    // The iteration still finds the batch (now of reshaped items) where the item is read.
    expect(ingest.ItemProcessor.States["ingest.batch"].Parameters["item.$"]).toBe("$.Items");
    expect(aslValidator(r.definition)).toMatchObject({ isValid: true, errors: [] });
    expect(await languageService(r.files[0].contents)).toEqual([]);
  });

  test("runs: three objects in two batches, each object reshaped with the run's parameter", async () => {
    const def = inlineDistributed(lower(yaml(EACH)).definition);
    const objects = ["a", "b", "c"].map((n) => ({ Key: `raw/${n}.gz`, Size: 10 }));
    const out = await run(def, { bucket: "my-raw" }, {
      ingest: readerAnswer(objects),
      rows: readerAnswer([]),
      decompress: () => ({ Payload: {} }),
      score: () => ({ Payload: {} }),
    });
    expect(out.status).toBe("SUCCEEDED");
    const shaped = objects.map((o) => ({ bucket: "my-raw", object: o, key: o.Key, kind: "listing" }));
    expect(out.inputs.decompress.map((i: any) => i.Payload.objects)).toEqual([shaped.slice(0, 2), shaped.slice(2)]);
  });

  test("our machine lifts back to the same pipeline and lowers to the same definition; Airflow's DAG lifts back to it too; diff sees a change in each", () => {
    const p = yaml(EACH);
    const first = lower(p);
    const lifted = backend.lift!({ file: "machine.asl.json", text: first.files.find((f) => f.kind === "definition")!.contents });
    expect(errors(lifted.diagnostics)).toEqual([]);
    expect(diffPipelines(p, { ...lifted.pipeline!, artifacts: p.artifacts })).toEqual([]);
    expect(lower(lifted.pipeline!).definition).toEqual(first.definition);
    const dag = airflow.lower(p, { baseDir: "/p", options: {} }).files.find((f) => f.kind === "dag")!.contents;
    const fromDag = airflow.lift!({ file: "ingest.py", text: dag, given: { artifacts: "s3://example-bucket/ingest" } });
    expect(errors(fromDag.diagnostics)).toEqual([]);
    const each = (q: typeof p) => stripPositions((q.steps.find((s) => s.id === "ingest") as Extract<(typeof p)["steps"][number], { kind: "map" }>).batch);
    expect(each(fromDag.pipeline!)).toEqual(each(p));
    expect(diffPipelines(p, yaml(EACH.replace("kind: listing", "kind: object"))).map((d) => d.path)).toEqual([expect.stringContaining("batch.each")]);
  });

  test("others' machines: the selector beside a batcher is the batch's each; one that is no object is refused", () => {
    const FN = "arn:aws:lambda:us-east-1:111122223333:function:work";
    const def = (sel: unknown) => ({
      StartAt: "Each",
      States: {
        Each: {
          Type: "Map",
          ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "Work", States: { Work: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: FN, "Payload.$": "$" }, End: true } } },
          ItemReader: { Resource: "arn:aws:states:::s3:listObjectsV2", Parameters: { "Bucket.$": "$.Bucket" } },
          ItemBatcher: { MaxItemsPerBatch: 10 },
          ItemSelector: sel,
          End: true,
        },
      },
    });
    const r = liftErrors(def({ "Bucket.$": "$.Bucket", "Data.$": "$$.Map.Item.Value", "Size.$": "$$.Map.Item.Value.Size" }));
    expect(r.errors).toEqual([]);
    const each = r.pipeline!.steps.find((s) => s.id === "Each") as any;
    expect(stripPositions(each.batch)).toEqual({
      max_items: 10,
      each: { kind: "map", entries: { Bucket: { kind: "ref", ref: { scope: "params", name: "Bucket" } }, Data: { kind: "ref", ref: { scope: "item", path: [] } }, Size: { kind: "ref", ref: { scope: "item", path: ["Size"] } } } },
    });
    expect(liftErrors(def("$$.Map.Item.Value")).errors).toEqual(["m.asl.json:33:23: error: $.States.Each.ItemSelector: ItemSelector of a batched Map state must be an object"]);
    expect(liftErrors(def({ "Index.$": "$$.Map.Item.Index" })).errors).toEqual([
      "m.asl.json:34:20: error: $.States.Each.ItemSelector['Index.$']: the index of a Map's item has no IR equivalent (a map's steps read the item itself)",
    ]);
  });

  test("checked: each reads the item and what the map reads, not its own steps or the iteration's id; the TypeScript DSL gives the same IR", async () => {
    const bad = (find: string, put: string) => errors(loadYamlText(EACH.replace(find, put), "bad.yaml", "fixtures").diagnostics);
    expect(bad('kind: listing', 'kind: "${{ steps.decompress.response }}"')).toEqual([
      "bad.yaml:13:105: error: steps.decompress.response is read in map 'ingest''s batch.each, which reshapes each item before any iteration runs step 'decompress'",
    ]);
    expect(bad('kind: listing', 'kind: "${{ iteration.id }}"')).toEqual(["bad.yaml:13:105: error: iteration.id is only available in a map's steps"]);
    const r = await yamlAndTs(
      EACH,
      `import { execution, lambda, map, mapItem, params, pipeline } from "switchyard";
const p = params({ bucket: { type: "string", default: "raw-bucket" } });
const decompress = lambda("decompress", { function: "arn:aws:lambda:us-east-1:111122223333:function:decompress", payload: { objects: mapItem, run: execution.id, bucket: p.bucket } });
const ingest = map("ingest", { read: { bucket: p.bucket, prefix: "raw/" }, batch: { max_items: 2, each: { bucket: p.bucket, object: mapItem, key: mapItem.Key, kind: "listing" } }, tolerate: { percent: 5 }, distributed: { runs: "express", label: "Ingest" }, concurrency: 100, steps: [decompress] });
const score = lambda("score", { function: "arn:aws:lambda:us-east-1:111122223333:function:score", payload: { id: mapItem.id, run: execution.id } });
const rows = map("rows", { depends_on: [ingest], read: { bucket: "data-bucket", key: "rows.csv", format: "csv", columns: ["id", "name"], max_items: 1000 }, steps: [score] });
export default pipeline({ name: "ingest", region: "us-east-1", artifacts: "s3://example-bucket/ingest", parameters: p, steps: [ingest, rows] });
`,
    );
    expect(r.tsErrors).toEqual([]);
    expect(r.fromTs).toEqual(r.fromYaml);
  });
});
