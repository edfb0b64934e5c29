/**
 * Lifting our own output is exact on generated pipelines: random DAGs of
 * Lambda, training, Glue and wait steps (data references between them, retry
 * rules, failure handlers), and the fuzz generator's pipelines of every kind,
 * lower to a machine that lifts back to a pipeline lowering to the very same
 * machine.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import backend from "../../../backends/stepfunctions/index.js";
import { compileAll } from "../../../src/cli/commands.js";
import { loadYamlText } from "../../../src/frontends/load.js";
import { FUZZ_FILES, fuzzPipeline } from "../../support/fuzz-pipelines.js";
import { lower, yaml } from "./support.js";

type Kind = "lambda" | "training" | "glue" | "wait";
interface Node {
  kind: Kind;
  deps: number[];
  retry: number;
  handler: boolean;
}

const nodeArb = (i: number): fc.Arbitrary<Node> =>
  fc.record({
    kind: fc.constantFrom<Kind>("lambda", "training", "glue", "wait"),
    deps: fc.subarray(Array.from({ length: i }, (_, j) => j)),
    retry: fc.integer({ min: 0, max: 2 }),
    handler: fc.boolean(),
  });

const pipelineArb = fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => nodeArb(i))));

function source(nodes: Node[]): string {
  const lines = [
    "version: 1",
    "pipeline: generated",
    "role: arn:aws:iam::111122223333:role/R",
    "region: us-east-1",
    "artifacts: s3://bucket/generated",
    "parameters:",
    "  limit: { type: integer, default: 3 }",
    "steps:",
    "  alert:",
    "    type: lambda",
    "    function: alert",
    "    payload: { from: generated }",
  ];
  const retries = ["", "    retry: { attempts: 3, interval: 5s, on: [throttling] }", "    retry:\n      - { attempts: 2, on: [throttling] }\n      - { attempts: 3, interval: 1m, backoff: 1.5, jitter: true }"];
  nodes.forEach((n, i) => {
    lines.push(`  s${i}:`, `    type: ${n.kind}`);
    const lambdaDeps = n.deps.filter((d) => nodes[d].kind === "lambda");
    const trainDeps = n.deps.filter((d) => nodes[d].kind === "training");
    if (n.kind === "lambda") {
      lines.push("    function: fn", "    payload:", "      limit: ${{ params.limit }}");
      for (const d of lambdaDeps) lines.push(`      v${d}: \${{ steps.s${d}.outputs.out }}`);
      for (const d of trainDeps) lines.push(`      m${d}: \${{ steps.s${d}.model }}`);
      lines.push("    outputs: { out: string }");
    } else if (n.kind === "training") {
      lines.push("    image: 683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1", "    instance: ml.m5.large", "    inputs:", `      train: { source: "s3://bucket/data/${i}" }`);
      if (lambdaDeps.length) lines.push("    hyperparameters:", ...lambdaDeps.map((d) => `      h${d}: \${{ steps.s${d}.outputs.out }}`));
    } else if (n.kind === "glue") lines.push(`    job: job-${i}`, `    arguments: { "--limit": "\${{ params.limit }}" }`);
    else lines.push("    seconds: ${{ params.limit }}");
    const explicit = n.deps.filter((d) => !lambdaDeps.includes(d) && !(n.kind === "lambda" && trainDeps.includes(d)));
    if (explicit.length) lines.push(`    depends_on: [${explicit.map((d) => `s${d}`).join(", ")}]`);
    if (n.kind !== "wait" && n.retry) lines.push(retries[n.retry]);
    if (n.kind !== "wait" && n.handler) lines.push("    on_failure: [alert]");
  });
  return lines.join("\n") + "\n";
}

test("generated pipelines: lower, lift, lower again gives the same machine", () => {
  fc.assert(
    fc.property(pipelineArb, (nodes) => {
      const first = lower(yaml(source(nodes), "generated.yaml"));
      // Handlers shared by steps in different Parallel branches are refused by lowering: nothing to lift.
      fc.pre(first.diagnostics.every((d) => d.severity !== "error"));
      const text = first.files.find((f) => f.kind === "definition")!.contents;
      const lifted = backend.lift!({ file: "m.asl.json", text });
      expect(lifted.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
      expect(lower(lifted.pipeline!).definition).toEqual(first.definition);
    }),
    { numRuns: 150, seed: 20261201 },
  );
});

describe("random pipelines of every kind (the fuzz generator's, fixed seeds)", () => {
  const dir = mkdtempSync(join(tmpdir(), "sy-sfn-lift-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const [path, text] of Object.entries(FUZZ_FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const file = join(dir, "fuzz.yaml");

  test.each(["portable", "extended"] as const)("%s: each that lowers lifts back to a pipeline that lowers to the very same machine", async (tier) => {
    let compared = 0;
    // Machines with a `<step>.values` Pass (get() below a function's result), some inside foreach copies' branches.
    let computed = 0;
    for (const g of fc.sample(fuzzPipeline(tier), { seed: 20261203, numRuns: 60 })) {
      const loaded = loadYamlText(g.yaml, file);
      if (!loaded.pipeline || loaded.diagnostics.some((d) => d.severity === "error")) continue;
      const [first] = await compileAll(loaded.pipeline, ["stepfunctions"], file, {});
      if (first.diagnostics.some((d) => d.severity === "error")) continue;
      const text = first.files.find((f) => f.kind === "definition")!.contents;
      // Given as `import --artifacts --role` would be: a machine need not name them.
      const given = { artifacts: /^artifacts: (.*)$/m.exec(g.yaml)![1], role: /^role: (.*)$/m.exec(g.yaml)![1] };
      const lifted = backend.lift!({ file: join(dir, "state-machine.asl.json"), text, given });
      expect(lifted.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), g.yaml).toEqual([]);
      const [again] = await compileAll(lifted.pipeline!, ["stepfunctions"], file, {});
      expect(again.diagnostics.filter((d) => d.severity === "error").map((d) => d.message), g.yaml).toEqual([]);
      expect(again.files.find((f) => f.kind === "definition")!.contents, g.yaml).toBe(text);
      compared++;
      if (/\.values": \{\n\s+"Type": "Pass"/.test(text)) computed++;
    }
    // Most lower: the portable tier always does.
    expect(compared).toBeGreaterThanOrEqual(tier === "portable" ? 60 : 20);
    if (tier === "extended") expect(computed).toBeGreaterThan(0);
  });
});
