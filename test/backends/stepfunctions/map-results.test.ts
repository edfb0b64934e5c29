/**
 * A map's results (`result:` on the map, `steps.<map>.results` after it):
 * lowered to a Map state whose iterations end at a Pass giving the value
 * (validated, executed), our own machine lifted back exactly, the fan-out and
 * gather public machines write read as such, and the checks.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import airflow from "../../../backends/airflow/index.js";
import sagemaker from "../../../backends/sagemaker/index.js";
import { refusals } from "../../../src/backend/refusals.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { printExpr } from "../../../src/ir/expr/print.js";
import type { Step } from "../../../src/ir/types.js";
import { aslValidator, languageService, lower, run, yaml } from "./support.js";

const PIPELINE = `version: 1
pipeline: sections
region: us-east-1
artifacts: s3://example-bucket/sections
steps:
  classify:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:classify
    payload: { document: "\${{ execution.input.document }}" }
  sections:
    type: map
    items: \${{ steps.classify.response.sections }}
    concurrency: 10
    steps: [extract]
    result: \${{ steps.extract.response }}
  extract:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:extract
    payload: { section: "\${{ item }}" }
  summarize:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:summarize
    payload: { extracted: "\${{ steps.sections.results }}", first: "\${{ steps.sections.results[0].title }}" }
`;

const errors = (ds: { severity: string }[]) => ds.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d as never));
const functions = () => ({
  classify: (i: any) => ({ Payload: { sections: [`${i.Payload.document}#1`, `${i.Payload.document}#2`] } }),
  extract: (i: any) => ({ Payload: { title: `title of ${i.Payload.section}`, fields: 3 } }),
  summarize: (i: any) => ({ Payload: { ok: true, got: i.Payload } }),
});

describe("a map's results on Step Functions", () => {
  test("each iteration ends at a Pass whose output is the result; the Map keeps the list under the step's results; both validators accept it", async () => {
    const r = lower(yaml(PIPELINE));
    expect(errors(r.diagnostics)).toEqual([]);
    const map = r.definition.States.sections;
    expect(map).toMatchObject({ Type: "Map", ItemsPath: "$.steps.classify.response.sections", MaxConcurrency: 10, ResultSelector: { "results.$": "$" }, ResultPath: "$.steps.sections", Next: "summarize" });
    expect(map.ItemProcessor.States["sections.result"]).toEqual({ Type: "Pass", Parameters: { "value.$": "$.steps.extract.response" }, OutputPath: "$.value", End: true });
    expect(map.ItemProcessor.States.extract.Next).toBe("sections.result");
    expect(r.definition.States.summarize.Parameters.Payload).toEqual({ "extracted.$": "$.steps.sections.results", "first.$": "$.steps.sections.results[0].title" });
    expect(aslValidator(r.definition)).toMatchObject({ isValid: true, errors: [] });
    expect(await languageService(r.files[0].contents)).toEqual([]);
  });

  test("runs: the step after the map is given every iteration's result, in item order", async () => {
    const out = await run(lower(yaml(PIPELINE)).definition, { document: "s3://docs/a.pdf" }, functions());
    expect(out.status).toBe("SUCCEEDED");
    expect(out.inputs.summarize[0].Payload).toEqual({
      extracted: [
        { title: "title of s3://docs/a.pdf#1", fields: 3 },
        { title: "title of s3://docs/a.pdf#2", fields: 3 },
      ],
      first: "title of s3://docs/a.pdf#1",
    });
  });

  test("a map without a result keeps no results, as before", () => {
    const r = lower(yaml(PIPELINE.replace("    result: ${{ steps.extract.response }}\n", "").replace(/  summarize:[\s\S]*$/, "")));
    expect(errors(r.diagnostics)).toEqual([]);
    expect(r.definition.States.sections.ResultPath).toBeNull();
    expect(r.definition.States.sections.ResultSelector).toBeUndefined();
  });

  test("our own machine lifts back to the same map result and reads, and lowers to the same definition", () => {
    const first = lower(yaml(PIPELINE));
    const lifted = backend.lift!({ file: "machine.asl.json", text: first.files.find((f) => f.kind === "definition")!.contents });
    expect(errors(lifted.diagnostics)).toEqual([]);
    const byId = new Map(lifted.pipeline!.steps.map((s) => [s.id, s]));
    const map = byId.get("sections") as Extract<Step, { kind: "map" }>;
    expect(printExpr(map.result!)).toBe("steps.extract.response");
    const summarize = byId.get("summarize") as Extract<Step, { kind: "lambda" }>;
    expect(Object.values(summarize.payload).map(printExpr)).toEqual(["steps.sections.results", "steps.sections.results[0].title"]);
    expect(lower(lifted.pipeline!).definition).toEqual(first.definition);
  });

  test("checked: reading the results of a map with no result says how to give one; the result may read the map's steps and its item", () => {
    const r = loadYamlText(PIPELINE.replace("    result: ${{ steps.extract.response }}\n", ""), "bad.yaml", "fixtures");
    expect(errors(r.diagnostics)).toEqual([
      "bad.yaml:22:32: error: map 'sections' has no 'result', so steps.sections.results is nothing\n  hint: give the map 'result: ${{ ... }}', what each iteration gives back (e.g. a step's response)",
      "bad.yaml:22:72: error: map 'sections' has no 'result', so steps.sections.results[0].title is nothing\n  hint: give the map 'result: ${{ ... }}', what each iteration gives back (e.g. a step's response)",
    ]);
    const ok = loadYamlText(PIPELINE.replace("result: ${{ steps.extract.response }}", "result: { section: \"${{ item }}\", title: \"${{ steps.extract.response.title }}\" }"), "ok.yaml", "fixtures");
    expect(errors(ok.diagnostics)).toEqual([]);
    const st = lower(ok.pipeline!).definition.States.sections.ItemProcessor.States["sections.result"];
    expect(st.Parameters).toEqual({ value: { "section.$": "$.item", "title.$": "$.steps.extract.response.title" } });
  });

  test("SageMaker Pipelines refuses the map, once, not its result again; Airflow gathers the results in a task", () => {
    const p = yaml(PIPELINE);
    const texts = refusals(sagemaker, p).map((d) => formatDiagnostic(d));
    expect(texts.filter((t) => t.includes("map"))).toHaveLength(1);
    expect(texts.find((t) => t.includes("map"))).toContain("step 'sections': map step is not supported by Amazon SageMaker Pipelines");
    expect(refusals(airflow, p)).toEqual([]);
  });
});

/** Lift a machine given as an object; diagnostics as text. */
function lift(def: unknown) {
  const r = backend.lift!({ file: "m.asl.json", text: JSON.stringify(def, null, 2) });
  return { ...r, text: r.diagnostics.map(formatDiagnostic) };
}

describe("fan-out and gather in machines others wrote", () => {
  const FN = (n: string) => `arn:aws:lambda:us-east-1:111122223333:function:${n}`;
  const machine = (iteration: Record<string, unknown>) => ({
    StartAt: "Classify",
    States: {
      Classify: { Type: "Task", Resource: FN("classify"), Parameters: { "document.$": "$.document" }, ResultPath: "$.classified", Next: "Sections" },
      Sections: {
        Type: "Map",
        ItemsPath: "$.classified.sections",
        ItemSelector: { "section.$": "$$.Map.Item.Value" },
        Iterator: { StartAt: "Extract", States: { Extract: { Type: "Task", Resource: FN("extract"), ...iteration, End: true } } },
        ResultPath: "$.extracted",
        Next: "Gather",
      },
      Gather: { Type: "Task", Resource: FN("gather"), Parameters: { "results.$": "$.extracted", "first.$": "$.extracted[0].title" }, End: true },
    },
  });

  /**
   * What Gather is given when the machine runs as written (its functions answer directly) and lowered again
   * (optimized lambda:invoke: the same answers under Payload), for the same document; both runs succeed.
   */
  const gatheredBothWays = async (def: unknown, again: unknown) => {
    const answers = {
      classify: (i: any) => ({ sections: [`${i.document}#1`, `${i.document}#2`] }),
      extract: (i: any) => ({ title: `title of ${i.section}` }),
      gather: (i: any) => ({ n: i.results.length }),
    };
    const before = await run(structuredClone(def), { document: "d1" }, { Classify: answers.classify, Extract: answers.extract, Gather: answers.gather });
    const after = await run(again, { document: "d1" }, {
      Classify: (i: any) => ({ Payload: answers.classify(i.Payload) }),
      Extract: (i: any) => ({ Payload: answers.extract(i.Payload) }),
      Gather: (i: any) => ({ Payload: answers.gather(i.Payload) }),
    });
    expect([before.status, after.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    return { before: before.inputs.Gather, after: after.inputs.Gather.map((i: any) => i.Payload) };
  };

  test("a Map whose iterations end at a task's result: the map's result is that step's response, and what reads the results reads them", async () => {
    const def = machine({});
    const r = lift(def);
    expect(r.text.filter((x) => x.includes("error"))).toEqual([]);
    const byId = new Map(r.pipeline!.steps.map((s) => [s.id, s]));
    expect(printExpr((byId.get("Sections") as Extract<Step, { kind: "map" }>).result!)).toBe("steps.Extract.response");
    const gather = byId.get("Gather") as Extract<Step, { kind: "lambda" }>;
    expect(Object.values(gather.payload).map(printExpr)).toEqual(["steps.Sections.results", "steps.Sections.results[0].title"]);
    const again = lower(r.pipeline!);
    expect(errors(again.diagnostics)).toEqual([]);
    expect(aslValidator(again.definition)).toMatchObject({ isValid: true, errors: [] });
    // The same functions, given the same documents, are given the same gathered results.
    const gathered = await gatheredBothWays(def, again.definition);
    expect(gathered.after).toEqual(gathered.before);
  });

  /** The machine with the Map's OutputPath set, and what Gather is given. */
  const narrowedMachine = (outputPath: string | null, gather: Record<string, unknown>) => {
    const def = machine({}) as any;
    def.States.Sections.OutputPath = outputPath;
    def.States.Gather.Parameters = gather;
    return def;
  };

  test("a Map's OutputPath passes on the one value below it: what follows reads the results there, and runs the same re-lowered", async () => {
    const def = narrowedMachine("$.extracted", { "results.$": "$", "first.$": "$[0].title" });
    const r = lift(def);
    expect(r.text.filter((x) => x.includes("error"))).toEqual([]);
    const gather = r.pipeline!.steps.find((s) => s.id === "Gather") as Extract<Step, { kind: "lambda" }>;
    expect(Object.values(gather.payload).map(printExpr)).toEqual(["steps.Sections.results", "steps.Sections.results[0].title"]);
    const again = lower(r.pipeline!);
    expect(errors(again.diagnostics)).toEqual([]);
    const gathered = await gatheredBothWays(def, again.definition);
    expect(gathered.before).toEqual([{ results: [{ title: "title of d1#1" }, { title: "title of d1#2" }], first: "title of d1#1" }]);
    expect(gathered.after).toEqual(gathered.before);
  });

  test("a Map's OutputPath null passes on nothing: a later read of the data is refused there, a state reading none lifts", () => {
    const reads = lift(narrowedMachine(null, { "document.$": "$.document" }));
    const errs = reads.text.filter((x) => x.includes("error"));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^m\.asl\.json:[0-9]+:[0-9]+: error: \$\.States\.Gather\.Parameters\['document\.\$'\]: path '\$\.document' /);
    expect(errs[0]).toContain("OutputPath null passes on nothing");
    const none = lift(narrowedMachine(null, { note: "done" }));
    expect(none.text.filter((x) => x.includes("error"))).toEqual([]);
    expect((none.pipeline!.steps.find((s) => s.id === "Gather") as Extract<Step, { kind: "lambda" }>).payload.note).toMatchObject({ kind: "literal", value: "done" });
  });

  test("a Map's OutputPath that is not a plain path is refused, saying what is read", () => {
    const r = lift(narrowedMachine("$.extracted[*].title", { "results.$": "$" }));
    expect(r.text.filter((x) => x.includes("error"))[0]).toContain("field 'OutputPath' of a Map state has no IR equivalent (only null or a plain path, $.a.b, is read");
  });

  test("a Catch of a Map's own error (its reader failed) is refused naming it; the Map's tasks, not a function, say which classes there are", () => {
    const def = machine({}) as any;
    def.States.Sections.Catch = [{ ErrorEquals: ["States.ItemReaderFailed", "States.ExceedToleratedFailureThreshold"], Next: "Notify" }];
    def.States.Notify = { Type: "Task", Resource: FN("notify"), Parameters: { "cause.$": "$.Cause" }, Next: "Failed" };
    def.States.Failed = { Type: "Fail", Error: "MapFailed" };
    const errs = lift(def).text.filter((x) => x.includes(": error: "));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/error: \$\.States\.Sections\.Catch\[0\]\.ErrorEquals: States\.ItemReaderFailed \(the Map fails so when its item reader could not read the items\), States\.ExceedToleratedFailureThreshold \(the Map fails so when more iterations failed than it tolerates\): no IR error class stands for these/);
    // Any error of the Map (its iterations' included) is the IR's `any`.
    def.States.Sections.Catch = [{ ErrorEquals: ["States.ALL"], Next: "Notify" }];
    const all = lift(def);
    expect(all.text.filter((x) => x.includes(": error: "))).toEqual([]);
    const handlers = all.pipeline!.steps.find((s) => s.id === "Sections")!.on_failure!;
    expect(handlers.map((h) => ({ on: h.on ?? ["any"], steps: h.steps }))).toEqual([{ on: ["any"], steps: ["Notify", "Failed"] }]);
  });

  test("iterations that end with data the IR cannot name: a later read of the results is refused, saying why", () => {
    const r = lift(machine({ ResultPath: "$.extract" }));
    expect(r.text.filter((x) => x.includes("error"))).toEqual([
      "m.asl.json:37:22: error: $.States.Gather.Parameters['results.$']: path '$.extracted' reads data whose meaning is unknown here (the results of Map state 'Sections', whose iterations end with data the IR cannot name (it keeps what a map's last step returned))",
      "m.asl.json:38:20: error: $.States.Gather.Parameters['first.$']: path '$.extracted[0].title' reads data whose meaning is unknown here (the results of Map state 'Sections', whose iterations end with data the IR cannot name (it keeps what a map's last step returned))",
    ]);
  });
});
