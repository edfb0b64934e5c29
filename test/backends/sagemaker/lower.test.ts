/** Lowering the bundled examples and small pipelines to SageMaker Pipelines JSON. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import backend from "../../../backends/sagemaker/index.js";
import { FEATURE_IDS } from "../../../src/ir/features.js";
import { COMPACT, definition, errors, fixture, lower, yaml } from "./support/load.js";
import { minifyJson } from "../../../src/backend/wire.js";
import { loadPipelineFile } from "../../../src/frontends/load.js";
import { refusals } from "../../../src/backend/refusals.js";
import { correctedValidator } from "./support/schema.js";

const GOLDEN = join(__dirname, "golden");
const golden = (name: string) => readFileSync(join(GOLDEN, name), "utf8");
const file = (r: ReturnType<typeof lower>, kind: string) => r.files.find((f) => f.kind === kind)?.contents;

describe("bundled examples (hand-checked golden files)", () => {
  it("abalone: definition, schedule; the default timeout reaching the transform is said not to be enforced", async () => {
    const r = lower(await fixture("abalone.yaml"), COMPACT);
    expect(r.diagnostics.map((d) => [d.severity, d.pos?.line, d.code, d.message])).toEqual([
      ["warning", 128, "sagemaker-timeout-ignored", "step 'batch_score': the default timeout on a transform step is not enforced by SageMaker Pipelines; SageMaker has no per-step time limit for it"],
    ]);
    expect(file(r, "definition")).toBe(golden("abalone.pipeline.json"));
    expect(file(r, "schedule")).toBe(golden("abalone.schedule.json"));
    expect(r.files.map((f) => f.path)).toEqual(["pipeline.json", "schedule.json", "code-manifest.json"]);
  });

  it("churn: definition and code manifest; timeouts SageMaker cannot enforce are warned about", async () => {
    const r = lower(await fixture("churn.yaml"), COMPACT);
    expect(r.diagnostics.map((d) => [d.severity, d.pos?.line, d.code])).toEqual([
      ["warning", 73, "sagemaker-timeout-ignored"],
      ["warning", 90, "sagemaker-timeout-ignored"],
      ["warning", 98, "sagemaker-timeout-ignored"],
    ]);
    expect(file(r, "definition")).toBe(golden("churn.pipeline.json"));
    expect(file(r, "manifest")).toBe(golden("churn.code-manifest.json"));
  });

  it("portable request fields, an EMR step and retry rules (portable.yaml)", async () => {
    const p = (await loadPipelineFile(join(__dirname, "data", "portable.yaml"))).pipeline!;
    const r = lower(p, COMPACT);
    expect(r.diagnostics).toEqual([]);
    expect(file(r, "definition")).toBe(golden("portable.pipeline.json"));
    const d = JSON.parse(file(r, "definition")!);
    // Read back the members the IR fields map to (IR-DESIGN §4).
    const [prepare, train, spark, , score, search] = d.Steps;
    expect(prepare.Arguments.NetworkConfig).toEqual({ EnableNetworkIsolation: false, EnableInterContainerTrafficEncryption: true, VpcConfig: { SecurityGroupIds: ["sg-0123"], Subnets: [{ Get: "Parameters.subnet" }] } });
    expect(prepare.Arguments.ProcessingResources.ClusterConfig.VolumeKmsKeyId).toBe("arn:aws:kms:us-west-2:111122223333:key/vol");
    expect(prepare.Arguments.ProcessingOutputConfig.KmsKeyId).toBe("arn:aws:kms:us-west-2:111122223333:key/out");
    expect(prepare.Arguments.ProcessingInputs[0].S3Input.S3DataType).toBe("ManifestFile");
    expect(prepare.Arguments.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri).toBe("s3://example-portable/curated/train");
    expect(prepare.RetryPolicies.map((x: any) => [x.MaxAttempts, x.IntervalSeconds, x.BackoffRate, x.ExceptionType])).toEqual([
      [2, 10, 2, ["Step.THROTTLING"]],
      [4, 60, 1.5, ["Step.SERVICE_FAULT"]],
      [4, 60, 1.5, ["SageMaker.CAPACITY_ERROR", "SageMaker.RESOURCE_LIMIT"]],
    ]);
    expect(train.Arguments.AlgorithmSpecification.ContainerEntrypoint).toEqual(["/bin/bash", "/opt/ml/code/run.sh"]);
    expect(train.Arguments.AlgorithmSpecification.ContainerArguments).toEqual(["--epochs", "10"]);
    expect(train.Arguments.OutputDataConfig).toEqual({ S3OutputPath: "s3://example-portable/models" });
    expect(train.Arguments.EnableNetworkIsolation).toBe(true);
    expect(train.Arguments.InputDataConfig[0].DataSource.S3DataSource.S3DataType).toBe("AugmentedManifestFile");
    expect(spark).toEqual({
      Name: "spark",
      Type: "EMR",
      Arguments: {
        ClusterId: "j-1ABCDEFGHIJKL",
        StepConfig: {
          HadoopJarStep: {
            Args: ["spark-submit", "s3://example-portable/jobs/features.py", { Get: "Steps.prepare.ProcessingOutputConfig.Outputs['test'].S3Output.S3Uri" }],
            Jar: "command-runner.jar",
            MainClass: "org.example.Main",
            Properties: [{ Key: "mapreduce.job.reduces", Value: "4" }],
          },
        },
      },
    });
    expect(score.Arguments.TransformOutput).toEqual({ S3OutputPath: "s3://example-portable/scores", KmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/out" });
    expect(score.Arguments.TransformInput.DataSource.S3DataSource.S3DataType).toBe("ManifestFile");
    const def = search.Arguments.TrainingJobDefinition;
    expect([def.EnableNetworkIsolation, def.EnableInterContainerTrafficEncryption, def.OutputDataConfig]).toEqual([
      true,
      true,
      { S3OutputPath: "s3://example-portable/tuning", KmsKeyId: "arn:aws:kms:us-west-2:111122223333:key/out" },
    ]);
    expect(def.InputDataConfig[0].DataSource.S3DataSource.S3DataType).toBe("ManifestFile");
    expect(correctedValidator()(d)).toBe(true);
  });

  it("retry rules: the first rule that names an error decides it; a max_delay the policy could exceed is refused", () => {
    const rules = definition(
      yaml(`steps:
  stop:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    retry:
      - { attempts: 2, interval: 5s, on: [throttling] }
      - { attempts: 4, interval: 5s, on: [any] }
`),
    ).Steps[0].RetryPolicies;
    expect(rules.map((x: any) => [x.MaxAttempts, x.ExceptionType])).toEqual([
      [1, ["Step.THROTTLING"]],
      [3, ["Step.SERVICE_FAULT"]],
      [3, ["SageMaker.JOB_INTERNAL_ERROR", "SageMaker.CAPACITY_ERROR", "SageMaker.RESOURCE_LIMIT"]],
    ]);
    // 4 attempts: retries after 10, 20 and 40 seconds; a 30-second cap cannot be kept.
    expect(
      errors(
        yaml(`steps:
  stop:
    type: processing
    image: sklearn:1.2-1
    instance: ml.m5.large
    retry: { attempts: 4, interval: 10s, backoff: 2.0, max_delay: 30 }
`),
      ),
    ).toEqual([
      "t.yaml:11:12: step 'stop': SageMaker RetryPolicies have no maximum delay, and this rule's last retry would wait 40s, over its max_delay of 30s; lower the attempts, interval or backoff, or remove max_delay",
    ]);
  });

  it("refuses what SageMaker Pipelines cannot run, saying why: wait, Glue, failure handlers, jitter, EMR ActionOnFailure", () => {
    const p = yaml(`steps:
  pause:
    type: wait
    seconds: 60
  etl:
    type: glue
    job: nightly-etl
    depends_on: [pause]
  spark:
    type: emr
    cluster_id: j-1
    jar: command-runner.jar
    args: [spark-submit, s3://b/job.py]
    action_on_failure: CONTINUE
    retry: { attempts: 2, jitter: true }
    on_failure: [alarm]
  alarm:
    type: fail
    message: spark failed
`);
    expect(refusals(backend, p).filter((d) => d.severity === "error").map((d) => `${d.pos!.line}: ${d.message}`)).toEqual([
      "7: step 'pause': wait step is not supported by Amazon SageMaker Pipelines: SageMaker Pipelines has no wait step; a processing job that sleeps would bill an instance for the whole wait and add its start-up time, so it is refused rather than emulated",
      "10: step 'etl': glue step is not supported by Amazon SageMaker Pipelines: SageMaker Pipelines has no Glue step; it needs a Lambda or a processing wrapper",
      "20: step 'spark': retry waits with random jitter is not supported by Amazon SageMaker Pipelines: RetryPolicies have no jitter",
      "21: step 'spark': steps that run when a step fails (failure handler) is not supported by Amazon SageMaker Pipelines: SageMaker Pipelines runs no step when another fails",
    ]);
    expect(errors(yaml(`steps:
  spark:
    type: emr
    cluster_id: j-1
    jar: command-runner.jar
    action_on_failure: CONTINUE
`))).toEqual([
      "t.yaml:7:3: step 'spark': SageMaker EMR steps take no ActionOnFailure (the service sets it); remove 'action_on_failure' or compile for Step Functions or Airflow",
    ]);
  });

  it("refuses a feature at each place it is used in a step, up to eight; past eight once, at its first use, counting the places", () => {
    const uses = (n: number) => Array.from({ length: n }, (_, i) => `      k${i}: \${{ object('x', ${i}) }}`).join("\n");
    const p = yaml(`steps:
  gather:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:f
    payload:
${uses(9)}
  other:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:f
    payload:
${uses(8)}
`);
    const said = refusals(backend, p).filter((d) => d.severity === "error").map((d) => `${d.pos!.line}:${d.pos!.col}: ${d.message}`);
    const why = "object(): an object of one key and its value (set() adds more) is not supported by Amazon SageMaker Pipelines: SageMaker Pipelines expressions are Get, Std:Join and Std:JsonGet only: compute the value in a step (e.g. a lambda step)";
    expect(said).toEqual([
      `11:15: step 'gather': ${why} (used at 9 places in the step; the first is here)`,
      ...Array.from({ length: 8 }, (_, i) => `${24 + i}:15: step 'other': ${why}`),
    ]);
  });

  it("is byte-identical on every run", async () => {
    const p = await fixture("churn.yaml");
    expect(lower(p).files).toEqual(lower(structuredClone(p)).files);
  });

  it("--compact writes the definition as Python json.dumps does (separators, float 6.0)", async () => {
    const text = file(lower(await fixture("abalone.yaml"), COMPACT), "definition")!;
    expect(text).toContain('{"Name": "mse_threshold", "Type": "Float", "DefaultValue": 6.0}');
    expect(text).toContain('"BackoffRate": 2.0, "IntervalSeconds": 30, "MaxAttempts": 2');
    expect(text).not.toMatch(/[^\x20-\x7e]/);
  });
});

describe("pipeline.json layout", () => {
  it("is indented by default: Python's json.dumps(definition, indent=2), the compact form's tokens re-spaced", async () => {
    const p = await fixture("abalone.yaml");
    const r = lower(p);
    const text = file(r, "definition")!;
    const compact = file(lower(p, COMPACT), "definition")!;
    expect(text.split("\n").slice(0, 8)).toEqual(["{", '  "Version": "2020-12-01",', '  "Metadata": {},', '  "Parameters": [', "    {", '      "Name": "input_data",', '      "Type": "String",', '      "DefaultValue": "s3://example-ml-data/abalone/abalone-dataset.csv"']);
    expect(text).toContain('      "Type": "Float",\n      "DefaultValue": 6.0\n    }');
    expect(text.endsWith("\n}\n")).toBe(true);
    expect(compact).not.toContain("\n");
    // Deploy sends the minified text: the same bytes whichever layout was written.
    expect(minifyJson(text)).toBe(minifyJson(compact));
    expect(r.summary).toMatchObject({ definitionLayout: "indented", deploySends: "minified", definitionSize: { written: Buffer.byteLength(text), sent: Buffer.byteLength(minifyJson(compact)) } });
    expect(lower(p, COMPACT).summary).toMatchObject({ definitionLayout: "compact", deploySends: "minified" });
    // The other files do not change with the layout.
    expect(r.files.slice(1)).toEqual(lower(p, COMPACT).files.slice(1));
  });
});

describe("foreach", () => {
  it("unrolls into <id>_<i> with per-item outputs; a reference to the set is a list", async () => {
    const d = definition(await fixture("churn.yaml"));
    const names = d.Steps.map((s) => s.Name);
    expect(names.slice(0, 4)).toEqual(["features", "sweep_0", "sweep_1", "sweep_2"]);
    expect(d.Steps[2].Arguments.HyperParameters).toMatchObject({ max_depth: "6", eta: "0.2" });
    expect(d.Steps[3].Arguments.OutputDataConfig.S3OutputPath["Std:Join"].Values[2]).toBe("/sweep/2/model");
    const lambda = d.Steps.find((s) => s.Type === "Lambda")!;
    expect(lambda.Arguments.models).toEqual([0, 1, 2].map((i) => ({ Get: `Steps.sweep_${i}.ModelArtifacts.S3ModelArtifacts` })));
  });

  it("refuses a step whose name is one of an endpoint step's own steps", () => {
    const p = yaml(`steps:
  d:
    type: endpoint
    name: d-prod
    model: s3://example-bucket/model.tar.gz
    image: xgboost:1.7-1
    instance: ml.m5.large
  d-CreateModel:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:f
`);
    expect(errors(p)).toEqual(["t.yaml:13:3: step 'd-CreateModel': SageMaker step name 'd-CreateModel' is also used by step 'd'"]);
  });
});

describe("errors name the place", () => {
  it("arithmetic in a condition", () => {
    const p = yaml(`parameters:
  x: { type: integer, default: 3 }
steps:
  gate:
    type: condition
    if: \${{ params.x * 2 > 2 }}
    then: [f]
  f:
    type: fail
    message: no
`);
    expect(errors(p)).toEqual(["t.yaml:11:13: SageMaker Pipelines expressions have no arithmetic ('*'); compute the value in a step"]);
  });

  it("an image shorthand with an unknown version or region", () => {
    const body = `steps:
  m:
    type: model
    image: xgboost:9.9-9
    model: s3://example-bucket/model.tar.gz
`;
    expect(errors(yaml(body))).toEqual([
      "t.yaml:9:12: no inference image of xgboost version '9.9-9' is known (known: 1.0-1, 1.2-1, 1.2-2, 1.3-1, 1.5-1, 1.7-1, 3.0-5); give a full image URI",
    ]);
    const far = yaml(body.replace("9.9-9", "1.7-1"), "version: 1\npipeline: t\nrole: arn:aws:iam::111122223333:role/R\nregion: me-south-1\nartifacts: s3://example-bucket/prefix\n");
    expect(errors(far)[0]).toMatch(/^t\.yaml:9:12: no registry known for xgboost images in region 'me-south-1'/);
  });

  it("a cron SageMaker's scheduler cannot say", () => {
    const p = yaml(`schedule:
  cron: "0 6 1 * 1"
steps:
  f:
    type: fail
    message: no
`);
    expect(errors(p)).toEqual([expect.stringMatching(/^t\.yaml:7:9: cron '0 6 1 \* 1' restricts both day-of-month and day-of-week/)]);
  });

  it("enum on a non-string parameter", () => {
    const p = yaml(`parameters:
  n: { type: integer, default: 1, enum: [1, 2] }
steps:
  f:
    type: fail
    message: no
`);
    expect(errors(p)).toEqual(["t.yaml:7:3: parameter 'n': SageMaker restricts only String parameters to a list of values (EnumValues)"]);
  });
});

describe("names", () => {
  it("maps '_' and '.' in the pipeline name to '-' and says so", () => {
    const p = yaml("steps:\n  f:\n    type: fail\n    message: no\n", "version: 1\npipeline: my_pipe.v2\nrole: arn:aws:iam::111122223333:role/R\nregion: us-east-1\nartifacts: s3://example-bucket/prefix\nschedule:\n  cron: '0 1 * * *'\n");
    const r = lower(p);
    expect(r.summary).toMatchObject({ pipelineName: "my-pipe-v2", renamed: true });
    expect(JSON.parse(file(r, "schedule")!).Target.Input).toBe('{"PipelineName":"my-pipe-v2","ClientRequestToken":"<aws.scheduler.execution-id>"}');
  });
});

describe("time limits", () => {
  it("a timeout with a fraction of a second becomes whole seconds, rounded up (at least one)", () => {
    const d = definition(
      yaml(`defaults:
  instance: ml.m5.large
steps:
  p: { type: processing, image: sklearn:1.2-1, timeout: 1.5 }
  t: { type: training, image: xgboost:1.7-1, timeout: 90.25, spot: { max_wait: 100.5 } }
  q: { type: processing, image: sklearn:1.2-1, timeout: 0.2 }
`),
    );
    expect(d.Steps.map((s) => s.Arguments.StoppingCondition)).toEqual([
      { MaxRuntimeInSeconds: 2 },
      { MaxRuntimeInSeconds: 91, MaxWaitTimeInSeconds: 101 },
      { MaxRuntimeInSeconds: 1 },
    ]);
    const v = correctedValidator();
    expect(v(d)).toBe(true);
  });
});

describe("step envelope", () => {
  it("a display name outside the schema's rule is left out with a warning; one inside it is kept", () => {
    const r = lower(
      yaml(`steps:
  a: { type: fail, message: x, display_name: Train-model_1 }
  b: { type: fail, message: x, display_name: "Train the model" }
  c: { type: fail, message: x, display_name: "" }
`),
    );
    const d = JSON.parse(file(r, "definition")!);
    expect(d.Steps.map((s: Record<string, unknown>) => s.DisplayName)).toEqual(["Train-model_1", undefined, undefined]);
    expect(r.diagnostics.map((x) => [x.code, x.message])).toEqual([
      ["sagemaker-display-name", `step 'b': display name "Train the model" is left out of the SageMaker definition, whose schema allows only letters, digits, '-' and '_' (at most 64) there`],
      ["sagemaker-display-name", `step 'c': display name "" is left out of the SageMaker definition, whose schema allows only letters, digits, '-' and '_' (at most 64) there`],
    ]);
    expect(correctedValidator()(d)).toBe(true);
  });

  it("DependsOn only where no data reference orders the steps", () => {
    const d = definition(
      yaml(`steps:
  a:
    type: lambda
    function: arn:aws:lambda:us-east-1:111122223333:function:f
    outputs: { x: string }
  b:
    type: lambda
    depends_on: [a]
    function: arn:aws:lambda:us-east-1:111122223333:function:f
    payload: { v: "\${{ steps.a.outputs.x }}" }
  c:
    type: lambda
    depends_on: [a]
    function: arn:aws:lambda:us-east-1:111122223333:function:f
    cache: 1h
`),
    );
    expect(d.Steps.map((s) => [s.Name, s.DependsOn])).toEqual([["a", undefined], ["b", undefined], ["c", ["a"]]]);
    // Lambda: CacheConfig after OutputParameters, as the SDK's LambdaStep writes it.
    expect(Object.keys(d.Steps[2])).toEqual(["Name", "Type", "Arguments", "DependsOn", "FunctionArn", "OutputParameters", "CacheConfig"]);
    expect(d.Steps[2].CacheConfig).toEqual({ Enabled: true, ExpireAfter: "PT1H" });
  });

  it("target settings deep-merge into Arguments: pipeline-level by step Type, then the step's", () => {
    const d = definition(
      yaml(`targets:
  sagemaker:
    Processing:
      NetworkConfig: { EnableNetworkIsolation: true }
steps:
  p:
    type: processing
    image: sklearn:1.2-1
    instance: { type: ml.m5.large }
    targets:
      sagemaker:
        ProcessingResources: { ClusterConfig: { VolumeSizeInGB: 100 } }
`),
    );
    const a = d.Steps[0].Arguments;
    expect(a.ProcessingResources.ClusterConfig).toEqual({ InstanceType: "ml.m5.large", InstanceCount: 1, VolumeSizeInGB: 100 });
    expect(a.NetworkConfig).toEqual({ EnableNetworkIsolation: true });
  });
});

describe("capability table, limits, usage", () => {
  it("has an entry with a note for every feature", () => {
    expect(Object.keys(backend.capabilities).sort()).toEqual([...FEATURE_IDS].sort());
    for (const c of Object.values(backend.capabilities)) expect(c.note.length).toBeGreaterThan(10);
    expect(backend.capabilities["expression.arithmetic"].support).toBe("unsupported");
    for (const l of backend.limits) expect(l.source).not.toBe("");
  });

  it("counts Lambda invocations and SQS messages on the expected path", async () => {
    const p = await fixture("churn.yaml");
    expect(backend.usage!(p, lower(p).files)).toMatchObject({ lambdaInvocations: 1, sqsMessages: 1 });
  });

  it("checkLimits warns over 100 KB and refuses over 1 MB", async () => {
    const p = await fixture("abalone.yaml");
    const big = (n: number) => [{ path: "pipeline.json", kind: "definition", contents: JSON.stringify({ Steps: [], pad: "x".repeat(n) }) }];
    expect(backend.checkLimits(p, big(200_000)).map((d) => d.severity)).toEqual(["warning"]);
    expect(backend.checkLimits(p, big(1_100_000)).map((d) => d.severity)).toEqual(["error"]);
    expect(backend.checkLimits(p, lower(p).files)).toEqual([]);
  });
});

describe("the other step kinds (data/kinds.yaml)", () => {
  const load = async () => {
    const { loadPipelineFile } = await import("../../../src/frontends/load.js");
    const r = await loadPipelineFile(join(__dirname, "data", "kinds.yaml"));
    return r.pipeline!;
  };

  it("tuning: ranges as strings, the best model via TrainingJobSummaries[0]", async () => {
    const d = definition(await load());
    const tune = d.Steps.find((s) => s.Name === "tune")!;
    expect(tune.Arguments.HyperParameterTuningJobConfig.ParameterRanges).toEqual({
      ContinuousParameterRanges: [{ Name: "eta", MinValue: "0.01", MaxValue: "0.3", ScalingType: "Logarithmic" }],
      IntegerParameterRanges: [{ Name: "max_depth", MinValue: "3", MaxValue: "9", ScalingType: "Auto" }],
      CategoricalParameterRanges: [{ Name: "booster", Values: ["gbtree", "dart"] }],
    });
    const best = d.Steps.find((s) => s.Name === "best")!;
    expect(best.Arguments.PrimaryContainer.ModelDataUrl).toEqual({
      "Std:Join": {
        On: "",
        Values: ["s3://example-kinds-artifacts/runs/", { Get: "Execution.PipelineExecutionId" }, "/tune/model/", { Get: "Steps.tune.TrainingJobSummaries[0].TrainingJobName" }, "/output/model.tar.gz"],
      },
    });
  });

  it("script-mode spot training runs the script from its own channel", async () => {
    const s = definition(await load()).Steps.find((x) => x.Name === "script")!;
    expect(s.Arguments.AlgorithmSpecification.ContainerEntrypoint).toEqual(["python3", "/opt/ml/input/data/code/train.py"]);
    expect(s.Arguments.InputDataConfig[1]).toEqual({
      DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: expect.stringMatching(/^s3:\/\/example-kinds-artifacts\/runs\/code\/[0-9a-f]{16}\/train\.py$/), S3DataDistributionType: "FullyReplicated" } },
      ChannelName: "code",
    });
    expect(s.Arguments.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 10800 });
    expect(s.Arguments.EnableManagedSpotTraining).toBe(true);
    expect(s.Arguments.HyperParameters).toEqual({ epochs: "3", lr: "0.001", use_amp: "True" });
    expect(s.Arguments.AlgorithmSpecification.TrainingImage).toBe("763104351884.dkr.ecr.eu-central-1.amazonaws.com/pytorch-training:2.6.0-cpu-py312");
  });

  it("notebook: the SDK's NotebookJobStep shape", async () => {
    const s = definition(await load()).Steps.find((x) => x.Name === "report")!;
    expect(s.Type).toBe("Training");
    expect(s.Arguments.AlgorithmSpecification.ContainerEntrypoint).toEqual(["amazon_sagemaker_scheduler"]);
    expect(s.Arguments.Environment).toMatchObject({ SM_INPUT_NOTEBOOK_NAME: "report.ipynb", SM_KERNEL_NAME: "python3", SM_JOB_DEF_VERSION: "1.0", AWS_DEFAULT_REGION: "eu-central-1" });
    expect(s.Arguments.InputDataConfig[0].ChannelName).toBe("sagemaker_headless_execution_pipelinestep");
  });

  it("endpoint from a model step: EndpointConfig + Endpoint inside the branch; approval outputs typed", async () => {
    const d = definition(await load());
    const gate = d.Steps.find((x) => x.Name === "gate")!;
    expect(gate.Arguments.Conditions).toEqual([{ Type: "Equals", LeftValue: { Get: "Steps.review.OutputParameters['approved']" }, RightValue: true }]);
    expect(gate.Arguments.IfSteps.map((s: any) => [s.Name, s.Type])).toEqual([["serve-EndpointConfig", "EndpointConfig"], ["serve", "Endpoint"]]);
    expect(gate.Arguments.IfSteps[0].Arguments.ProductionVariants[0].ModelName).toEqual({ Get: "Steps.best.ModelName" });
    expect(gate.Arguments.IfSteps[1].Arguments).toEqual({ EndpointName: "kinds-endpoint", EndpointConfigName: { Get: "Steps.serve-EndpointConfig.EndpointConfigName" } });
    const review = d.Steps.find((x) => x.Name === "review")!;
    expect(review.OutputParameters).toEqual([{ OutputName: "approved", OutputType: "Boolean" }, { OutputName: "note", OutputType: "String" }]);
  });
});

describe("retry, timeout and ordering that SageMaker cannot express are not lost silently", () => {
  it("refuses retry on a Lambda step and DependsOn on a condition", () => {
    const p = yaml(`steps:
  gate:
    type: condition
    if: \${{ 1 == 1 }}
    then: [inside]
  inside:
    type: fail
    message: x
  after:
    type: lambda
    depends_on: [gate]
    function: arn:aws:lambda:us-east-1:111122223333:function:f
    retry: { attempts: 3, interval: 10s }
`);
    const d = lower(p).diagnostics.map((x) => `${x.severity} ${x.pos?.line}: ${x.message}`);
    expect(d).toEqual([
      "error 14: step 'after': SageMaker cannot order a step after a condition step ('gate') with DependsOn (SDK issue #3565); put 'after' in the condition's branches",
      "error 18: step 'after': SageMaker Lambda steps take no retry policy (RetryPolicies is not allowed on them); remove 'retry' or retry inside the function",
    ]);
  });

  it("maps error classes through the table, one policy per exception family", () => {
    const d = definition(
      yaml(`steps:
  t:
    type: transform
    model: m
    instance: ml.m5.large
    input: { source: "s3://example-bucket/in/" }
    retry: { attempts: 25, interval: 5s, backoff: 1.5, on: [job, timeout] }
`),
    );
    expect(d.Steps[0].RetryPolicies).toEqual([{ BackoffRate: 1.5, IntervalSeconds: 5, MaxAttempts: 20, ExceptionType: ["SageMaker.JOB_INTERNAL_ERROR"] }]);
    const w = lower(
      yaml(`steps:
  t:
    type: transform
    model: m
    instance: ml.m5.large
    input: { source: "s3://example-bucket/in/" }
    retry: { attempts: 25, interval: 5s, backoff: 1.5, on: [job, timeout] }
`),
    ).diagnostics.map((x) => x.code);
    expect(w).toEqual(["sagemaker-retry-timeout", "sagemaker-retry-cap"]);
  });
});
