/** Retry rules, failure handlers, Wait, Glue, EMR and the portable job request fields, lowered and executed. */
import { describe, expect, test } from "vitest";
import { MIGRATION } from "./pipelines.js";
import { lambdaInvoke, sagemaker } from "./services.js";
import { aslValidator, awsError, lower, run, yaml, type Handler } from "./support.js";

const out = lower(yaml(MIGRATION, "migration.yaml"));
const def = out.definition;

const handlers = (extra: Record<string, Handler> = {}): Record<string, Handler> => ({
  etl: (i) => ({ Id: "jr_1", JobName: i.JobName, JobRunState: "SUCCEEDED" }),
  prep: sagemaker.processing(),
  train: sagemaker.training(),
  spark: () => ({}),
  alert: lambdaInvoke(() => ({})),
  ...extra,
});

describe("migration constructs on Step Functions", () => {
  test("lower without diagnostics to a machine asl-validator accepts", () => {
    expect(out.diagnostics).toEqual([]);
    expect(aslValidator(def)).toMatchObject({ isValid: true, errors: [] });
  });

  test("a run calls Glue, waits, then processing, training and EMR with every request field", async () => {
    const r = await run(def, { pause: 2 }, handlers());
    expect(r.status).toBe("SUCCEEDED");
    expect(r.finished).toEqual(["etl", "prep", "train", "spark"]);
    expect(r.inputs.etl[0]).toEqual({ JobName: "nightly-etl", Arguments: { "--day": "exec-1" }, WorkerType: "G.1X", NumberOfWorkers: 4 });
    const prep = r.inputs.prep[0];
    expect(prep.ProcessingInputs[0].S3Input).toMatchObject({ S3DataType: "ManifestFile", S3Uri: "s3://bucket/in/rows.manifest", LocalPath: "/opt/ml/processing/input/rows" });
    expect(prep.ProcessingOutputConfig).toEqual({ Outputs: [{ OutputName: "clean", AppManaged: false, S3Output: { LocalPath: "/opt/ml/processing/clean", S3UploadMode: "EndOfJob", S3Uri: "s3://bucket/clean/" } }], KmsKeyId: "alias/out" });
    expect(prep.NetworkConfig).toEqual({ EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true, VpcConfig: { SecurityGroupIds: ["sg-1"], Subnets: ["subnet-1", "subnet-2"] } });
    expect(prep.ProcessingResources.ClusterConfig.VolumeKmsKeyId).toBe("alias/vol");
    const train = r.inputs.train[0];
    expect(train.AlgorithmSpecification).toMatchObject({ ContainerEntrypoint: ["python3", "/opt/train.py"], ContainerArguments: ["--epochs", "10"] });
    expect(train.InputDataConfig[0].DataSource.S3DataSource.S3Uri).toBe("s3://bucket/clean/");
    expect(train.OutputDataConfig).toEqual({ S3OutputPath: "s3://bucket/models/" });
    expect([train.EnableNetworkIsolation, train.ResourceConfig.VolumeKmsKeyId]).toEqual([true, "alias/vol"]);
    expect(r.inputs.spark[0]).toEqual({
      ClusterId: "j-EXAMPLE",
      Step: { Name: "spark", ActionOnFailure: "CONTINUE", HadoopJarStep: { Jar: "command-runner.jar", Args: ["spark-submit", "s3://bucket/job.py"], Properties: [{ Key: "mode", Value: "batch" }] } },
    });
  });

  test("a Glue run that keeps failing is retried by its second rule only, then the handler runs and the execution fails", async () => {
    let calls = 0;
    const r = await run(def, {}, handlers({
      etl: () => {
        calls++;
        throw awsError("States.TaskFailed", "job run FAILED");
      },
    }));
    // The throttling rule does not match; the catch-all rule allows one retry: two calls in all.
    expect(calls).toBe(2);
    expect(r.finished).toEqual(["alert"]);
    expect(r.inputs.alert[0].Payload).toEqual({ step: "etl" });
    expect([r.status, r.error, r.cause]).toEqual(["FAILED", "stop", "the nightly ETL failed"]);
  });

  test("throttling is retried by its own rule, with its own counter, before the other rule's", async () => {
    const errors = ["Glue.ThrottlingException", "Glue.ThrottlingException", "States.TaskFailed"];
    const r = await run(def, {}, handlers({
      etl: (i) => {
        const e = errors.shift();
        if (e) throw awsError(e);
        return { Id: "jr_1", JobName: i.JobName };
      },
    }));
    expect(r.status).toBe("SUCCEEDED");
    expect(r.inputs.etl.length).toBe(4);
  });

  test("without a fail step among the handlers, the original error fails the execution", async () => {
    const p = yaml(MIGRATION.replaceAll("on_failure: [alert, stop]", "on_failure: [alert]").replace("  stop:\n    type: fail\n    message: the nightly ETL failed\n", ""), "m2.yaml");
    const lowered = lower(p);
    expect(lowered.diagnostics).toEqual([]);
    const d = lowered.definition;
    expect(aslValidator(d)).toMatchObject({ isValid: true, errors: [] });
    const r = await run(d, {}, handlers({ etl: () => { throw awsError("States.TaskFailed", "job run FAILED"); } }));
    expect([r.status, r.error, r.cause]).toEqual(["FAILED", "States.TaskFailed", "job run FAILED"]);
  });
});
