/**
 * A map inside a map: the inner map's steps read the outer item as
 * `steps.<outer>.item` (their own is `item`), lowered to an inner Map whose
 * ItemSelector hands the outer items down under `items` (validated,
 * executed), our machine lifted back exactly; a written-out list as a map's
 * items; and a Parallel inside a map's iteration keeping what it gathers.
 */
import { describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { formatDiagnostic } from "../../../src/diagnostics.js";
import { diffPipelines } from "../../../src/diff/compare.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { aslValidator, languageService, lower, run, yaml, yamlAndTs } from "./support.js";

const head = `version: 1
pipeline: nested
region: us-east-1
artifacts: s3://example-bucket/nested
steps:
`;
const NESTED = `${head}  years:
    type: map
    items: \${{ execution.input.years }}
    steps: [months]
  months:
    type: map
    items: [jan, feb]
    steps: [write]
  write:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:write
    payload: { key: "data/\${{ steps.years.item.year }}/\${{ item }}.json", year: "\${{ steps.years.item }}" }
`;

const errors = (ds: { severity: string }[]) => ds.filter((d) => d.severity === "error").map((d) => formatDiagnostic(d as never));

describe("a map inside a map on Step Functions", () => {
  test("the inner Map's ItemSelector hands down the outer item under items; the written-out list is put before it by a Pass; both validators accept it", async () => {
    const r = lower(yaml(NESTED));
    expect(errors(r.diagnostics)).toEqual([]);
    const outer = r.definition.States.years;
    expect(outer.ItemSelector).toEqual({ "params.$": "$.params", "steps.$": "$.steps", "item.$": "$$.Map.Item.Value" });
    const inner = outer.ItemProcessor.States;
    expect(outer.ItemProcessor.StartAt).toBe("months.items");
    expect(inner["months.items"]).toEqual({ Type: "Pass", Parameters: { items: ["jan", "feb"] }, ResultPath: "$.steps.months", Next: "months" });
    expect(inner.months).toMatchObject({ ItemsPath: "$.steps.months.items", ItemSelector: { "params.$": "$.params", "steps.$": "$.steps", items: { "years.$": "$.item" }, "item.$": "$$.Map.Item.Value" } });
    expect(inner.months.ItemProcessor.States.write.Parameters.Payload).toEqual({ "key.$": "States.Format('data/{}/{}.json', $.items.years.year, $.item)", "year.$": "$.items.years" });
    expect(aslValidator(r.definition)).toMatchObject({ isValid: true, errors: [] });
    expect(await languageService(r.files[0].contents)).toEqual([]);
  });

  test("runs: each (year, month) pair is written once, with the year's item and the month", async () => {
    const out = await run(lower(yaml(NESTED)).definition, { years: [{ year: 2025 }, { year: 2026 }] }, { write: () => ({ Payload: {} }) });
    expect(out.status).toBe("SUCCEEDED");
    expect(out.inputs.write.map((i: any) => i.Payload)).toEqual([
      { key: "data/2025/jan.json", year: { year: 2025 } },
      { key: "data/2025/feb.json", year: { year: 2025 } },
      { key: "data/2026/jan.json", year: { year: 2026 } },
      { key: "data/2026/feb.json", year: { year: 2026 } },
    ]);
  });

  test("our own machine lifts back to the same pipeline and lowers to the same definition (the inner list written out, or computed from the outer item)", () => {
    for (const text of [NESTED, NESTED.replace("items: [jan, feb]", "items: ${{ split(item.months, ',') }}")]) {
      const p = yaml(text);
      const first = lower(p);
      const lifted = backend.lift!({ file: "machine.asl.json", text: first.files.find((f) => f.kind === "definition")!.contents });
      expect(errors(lifted.diagnostics)).toEqual([]);
      expect(diffPipelines(p, { ...lifted.pipeline!, artifacts: p.artifacts })).toEqual([]);
      expect(lower(lifted.pipeline!).definition).toEqual(first.definition);
    }
  });

  test("the TypeScript DSL's itemOf(map, path) and a list written out give the IR the YAML gives", async () => {
    const r = await yamlAndTs(
      NESTED,
      `import { fmt, itemOf, lambda, map, mapItem, pipeline, runInput } from "switchyard";
const write = lambda("write", { function: "arn:aws:lambda:us-east-1:111122223333:function:write", payload: { key: fmt\`data/\${itemOf("years", "year")}/\${mapItem}.json\`, year: itemOf("years") } });
const months = map("months", { items: ["jan", "feb"], steps: [write] });
const years = map("years", { items: runInput("years"), steps: [months] });
export default pipeline({ name: "nested", region: "us-east-1", artifacts: "s3://example-bucket/nested", steps: [years] });
`,
    );
    expect(r.tsErrors).toEqual([]);
    expect(r.fromTs).toEqual(r.fromYaml);
  });

  test("checked: an outer item read outside its map, and jobs named per iteration inside an inner map, are refused", () => {
    const outside = loadYamlText(`${NESTED}  after:
    type: wait
    seconds: \${{ steps.years.item.n }}
    depends_on: [years]
`, "bad.yaml", "fixtures");
    expect(errors(outside.diagnostics)).toEqual(["bad.yaml:20:18: error: steps.years.item.n is the current item of map 'years', read only in its steps"]);
    const jobs = NESTED.replace(/ {2}write:[\s\S]*$/, `  write:
    type: processing
    image: 111122223333.dkr.ecr.us-east-1.amazonaws.com/p:1
    instance: { type: ml.m5.large }
    environment: { MONTH: "\${{ item }}" }
`).replace("artifacts:", "role: arn:aws:iam::111122223333:role/Jobs\nartifacts:");
    expect(errors(lower(yaml(jobs)).diagnostics)).toEqual([
      "inline.yaml:11:3: error: map 'months' is inside map 'years', and its steps name what they start per iteration by an index that repeats in each iteration of 'years'\n  hint: start jobs from the outer map, or name them from the items",
    ]);
  });
});

describe("a Parallel inside a map's iteration", () => {
  const PARALLEL = `${head}  each:
    type: map
    items: \${{ execution.input.list }}
    steps: [a, b, c]
  a:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:a
    payload: { x: "\${{ item }}" }
  b:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:b
    payload: { x: "\${{ item }}" }
  c:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:c
    payload: { a: "\${{ steps.a.response }}", b: "\${{ steps.b.response }}", item: "\${{ item }}" }
`;

  test("gathers both branches' results and keeps the item: the step after it reads them", async () => {
    const r = lower(yaml(PARALLEL));
    expect(errors(r.diagnostics)).toEqual([]);
    const par = Object.values<any>(r.definition.States.each.ItemProcessor.States).find((s) => s.Type === "Parallel");
    expect(par.ResultSelector).toEqual({ "params.$": "$[0].params", "item.$": "$[0].item", "steps.$": "States.JsonMerge($[0].steps, $[1], false)" });
    const out = await run(r.definition, { list: ["p", "q"] }, {
      a: (i: any) => ({ Payload: { from: "a", x: i.Payload.x } }),
      b: (i: any) => ({ Payload: { from: "b", x: i.Payload.x } }),
      c: () => ({ Payload: {} }),
    });
    expect(out.status).toBe("SUCCEEDED");
    expect(out.inputs.c.map((i: any) => i.Payload)).toEqual([
      { a: { from: "a", x: "p" }, b: { from: "b", x: "p" }, item: "p" },
      { a: { from: "a", x: "q" }, b: { from: "b", x: "q" }, item: "q" },
    ]);
  });
});
