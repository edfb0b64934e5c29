/**
 * The official definition schema (verbatim) rejects real SDK output; with our
 * reviewed corrections every corpus file and every definition we write passes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { applyPatch, corrections, correctedValidator, formatErrors, officialSchema, officialValidator } from "./support/schema.js";
import { CORPUS, fixture, lower, yaml } from "./support/load.js";
import { loadPipelineFile } from "../../../src/frontends/load.js";

/** SDK unit-test definitions whose steps are the tests' CustomStep stand-ins (see fixtures/corpus/sagemaker/SOURCE.md). */
const STAND_INS = new Set([
  "sdk-unittest-experiment-config-custom.json",
  "sdk-unittest-experiment-config-null.json",
  "sdk-unittest-experiment-config-property.json",
  "sdk-unittest-parameter-in-custom-step.json",
  "sdk-v3-unittest-mlflow-config.json",
]);
const corpusFiles = readdirSync(CORPUS).filter((f) => f.endsWith(".json")).sort();
const corpus = corpusFiles.map((f) => ({ name: f, json: JSON.parse(readFileSync(join(CORPUS, f), "utf8")) }));

async function ours() {
  const out = [];
  for (const f of ["abalone.yaml", "churn.yaml"]) {
    const def = lower(await fixture(f)).files.find((x) => x.kind === "definition")!;
    out.push({ name: f, json: JSON.parse(def.contents) });
  }
  // Nested logic (and inside or becomes Not(Or(Not ...))) and a Lambda in ElseSteps.
  const p = yaml(`parameters:
  a: { type: integer, default: 1 }
  b: { type: boolean, default: true }
steps:
  gate:
    type: condition
    if: \${{ params.a > 2 or (params.b and params.a not in [4, 5]) }}
    then: [ok]
    else: [notify]
  ok:
    type: fail
    message: stop
  notify:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:f
`);
  out.push({ name: "logic", json: JSON.parse(lower(p).files[0].contents) });
  // Retry on the EMR and EndpointConfig steps, and a tuning job's container environment.
  const retried = yaml(`defaults:
  retry: { attempts: 3, interval: 10s }
  instance: ml.m5.large
steps:
  emr:
    type: emr
    cluster_id: j-ABC123
    jar: command-runner.jar
  deploy:
    type: endpoint
    name: ep
    model: s3://bucket/model.tar.gz
    image: xgboost:1.7-1
  tune:
    type: tuning
    image: xgboost:1.7-1
    environment: { MODE: fast }
    metric_definitions: [{ name: loss, regex: "loss=([0-9.]+)" }]
    ranges: { eta: { type: continuous, min: 0.1, max: 0.5 } }
    objective: { metric: loss, type: minimize }
`);
  out.push({ name: "retried", json: JSON.parse(lower(retried).files[0].contents) });
  const kinds = await loadPipelineFile(join(__dirname, "data", "kinds.yaml"));
  out.push({ name: "kinds.yaml", json: JSON.parse(lower(kinds.pipeline!).files[0].contents) });
  return out;
}

describe("SageMaker definition schema", () => {
  it("the official file is the published one, byte for byte", () => {
    const a = readFileSync(join(__dirname, "../../../backends/sagemaker/schema/pipeline-definition.schema.json"));
    // The git blob id recorded in backends/sagemaker/schema/SOURCE.md for the upstream file.
    const blob = createHash("sha1").update(`blob ${a.length}\0`).update(a).digest("hex");
    expect(blob).toBe("fe3975cf8e544679d1849418d67c8ff6df0de2fd");
  });

  it("verbatim, it rejects every corpus file but a lone Fail step and a hand-written lone Training step", () => {
    const v = officialValidator();
    expect(corpus.length).toBeGreaterThanOrEqual(20);
    expect(corpus.filter((c) => v(c.json)).map((c) => c.name)).toEqual(["ack-samples-abalone-training-only.json", "terraform-provider-docs-jsonencode-fail.json"]);
  });

  it("corrected, it accepts every real corpus file and the definitions we write; the SDK's test stand-ins fail only on their stand-in Arguments", async () => {
    const v = correctedValidator();
    for (const c of [...corpus, ...(await ours())]) {
      const ok = v(c.json);
      if (STAND_INS.has(c.name)) {
        // SDK unit-test CustomStep: Training Arguments {"input_data": ...}, which CreateTrainingJob rejects.
        expect(ok, c.name).toBe(false);
        expect([...new Set(v.errors!.filter((e) => e.keyword === "additionalProperties").map((e) => e.params.additionalProperty))], c.name).toEqual(["input_data"]);
      } else expect(ok ? [] : formatErrors(v.errors), c.name).toEqual([]);
    }
  });

  it("still rejects what the service rejects", async () => {
    const v = correctedValidator();
    const [abalone] = await ours();
    const bad = (f: (d: any) => void) => {
      const d = structuredClone(abalone.json);
      f(d);
      return v(d);
    };
    expect(bad((d) => (d.Steps[0].Name = "has space"))).toBe(false);
    expect(bad((d) => (d.Steps[3].Arguments.Conditions[0] = { Type: "Not", Expression: { Type: "Equals", LeftValue: 1, RightValue: 1 } }))).toBe(false);
    expect(bad((d) => (d.Steps[0].Arguments.ProcessingResources.ClusterConfig.InstanceCount = "1"))).toBe(false);
    expect(bad((d) => (d.Steps[0].RetryPolicies[0].ExceptionType = ["Step.NOPE"]))).toBe(false);
    expect(bad((d) => (d.Steps[1].Type = "Trainin"))).toBe(false);
    const emr = (args: Record<string, unknown>) => v({ Version: "2020-12-01", Steps: [{ Name: "E", Type: "EMR", Arguments: { StepConfig: { HadoopJarStep: { Jar: "s3://b/j.jar" } }, ...args } }] });
    expect(emr({ ClusterId: "j-1" })).toBe(true);
    expect(emr({ ClusterConfig: { Instances: {} } })).toBe(true);
    expect(emr({})).toBe(false);
    expect(emr({ ClusterId: "j-1", ClusterConfig: { Instances: {} } })).toBe(false);
  });

  it("every correction says why, with evidence, and is needed (by a file, or to compile)", async () => {
    const all = corrections();
    const docs = [...corpus, ...(await ours())];
    const notNeeded: string[] = [];
    for (const [i, c] of all.entries()) {
      expect(c.why.length, c.path).toBeGreaterThan(20);
      expect(c.evidence.length, c.path).toBeGreaterThan(10);
      const without = all.filter((_, j) => j !== i);
      let needed = false;
      try {
        const v = new Ajv({ strict: false, allErrors: false, logger: false }).compile(applyPatch(officialSchema(), without));
        // A stand-in counts by its top-level members only (its steps are the SDK tests' placeholders).
        const topOnly = (d: { name: string; json: any }) => (STAND_INS.has(d.name) ? { ...d.json, Steps: [] } : d.json);
        needed = docs.some((d) => !v(topOnly(d)));
      } catch {
        needed = true; // others build on it
      }
      if (!needed) notNeeded.push(c.path);
    }
    // The misplaced keyword only breaks ajv's strict mode; the EMR oneOf only tightens (exactly one of
    // ClusterId and ClusterConfig): checked in "still rejects what the service rejects".
    expect(notNeeded).toEqual(["/definitions/RegisterModelStep/properties/Arguments/ModelPackageName", "/definitions/EMRStep/properties/Arguments/oneOf"]);
  });
});
