/**
 * CreateTrainingJob and CreateHyperParameterTuningJob (whose training job
 * definition is a training request's members).
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTrainingJob.html
 */
import { codeLocation } from "../../ir/dataflow.js";
import type { TrainingStep, TuningStep } from "../../ir/types.js";
import { CODE_INPUT, DEFAULT_COMMAND, trainingScriptPath } from "../containers.js";
import { environment, image, kmsKey, outputUri, resources, role, stopping, tags, trainingNetwork, type RequestCtx } from "./common.js";
import { withAddedMembers } from "./members.js";
import { checkedRequest } from "./shared.js";
import { k, list, obj, someList, text, userMap, type Req } from "./tree.js";

function channels(ctx: RequestCtx, s: TrainingStep | TuningStep): Req[] {
  const out = Object.entries(s.inputs).map(([name, inp]) =>
    obj({
      DataSource: obj({ S3DataSource: obj({ S3DataType: k(inp.data_type ?? "S3Prefix"), S3Uri: text(inp.source), S3DataDistributionType: k(inp.distribution ?? "FullyReplicated") }) }),
      ContentType: inp.content_type !== undefined ? k(inp.content_type) : undefined,
      CompressionType: inp.compression !== undefined ? k(inp.compression) : undefined,
      ChannelName: k(name),
      InputMode: inp.mode !== undefined ? k(inp.mode) : undefined,
    }),
  );
  // A training script arrives as its own input channel (see ../containers.ts).
  if (s.code) {
    out.push(obj({ DataSource: obj({ S3DataSource: obj({ S3DataType: k("S3Prefix"), S3Uri: k(codeLocation(ctx.p, s.code)), S3DataDistributionType: k("FullyReplicated") }) }), ChannelName: k(CODE_INPUT) }));
  }
  return out;
}

/** AlgorithmSpecification; a training script runs from its own channel as the container's entry point ('code' with 'entrypoint' is refused by the IR checks). */
function algorithm(ctx: RequestCtx, s: TrainingStep | TuningStep): Req {
  return obj({
    TrainingInputMode: k(s.input_mode ?? "File"),
    TrainingImage: image(ctx, s.image, "training"),
    MetricDefinitions: someList(s.metric_definitions.map((m) => obj({ Name: k(m.name), Regex: k(m.regex) }))),
    ContainerEntrypoint: s.kind === "training" && s.code ? list([...DEFAULT_COMMAND, trainingScriptPath(s.code)].map((x) => k(x))) : someList(s.entrypoint?.map(text)),
    ContainerArguments: someList(s.container_arguments?.map(text)),
  });
}

/** The members a training job and a tuning job's training definition share. */
function definition(ctx: RequestCtx, s: TrainingStep | TuningStep) {
  const res = resources(ctx, s);
  return {
    algorithm: algorithm(ctx, s),
    output: obj({ S3OutputPath: outputUri(ctx, s, "model", s.output_path), KmsKeyId: kmsKey(s.kms?.output) }),
    stopping: stopping(ctx, s, true, s.spot?.max_wait),
    resources: obj({ VolumeSizeInGB: res.volume, InstanceCount: res.count, InstanceType: res.type, VolumeKmsKeyId: kmsKey(s.kms?.volume) }),
    role: role(ctx, s),
    inputs: someList(channels(ctx, s)),
    hyperparameters: userMap(s.hyperparameters),
    spot: s.spot ? k(true) : undefined,
    environment: environment(s),
    network: trainingNetwork(s.network),
  };
}

export function trainingRequest<N>(ctx: RequestCtx, s: TrainingStep, name?: Req<N>): Req<N> {
  return checkedRequest(ctx, s, "CreateTrainingJob", withAddedMembers(ctx, s, "CreateTrainingJob", training(ctx, s)), { key: "TrainingJobName", value: name });
}

function training(ctx: RequestCtx, s: TrainingStep): Req {
  const d = definition(ctx, s);
  return obj({
    AlgorithmSpecification: d.algorithm,
    OutputDataConfig: d.output,
    StoppingCondition: d.stopping,
    ResourceConfig: d.resources,
    RoleArn: d.role,
    InputDataConfig: d.inputs,
    HyperParameters: d.hyperparameters,
    Tags: tags(ctx, s),
    EnableManagedSpotTraining: d.spot,
    Environment: d.environment,
    ...d.network,
  });
}

const RANGE_KEYS = { continuous: "ContinuousParameterRanges", integer: "IntegerParameterRanges", categorical: "CategoricalParameterRanges" } as const;

export function tuningRequest<N>(ctx: RequestCtx, s: TuningStep, name?: Req<N>): Req<N> {
  return checkedRequest(ctx, s, "CreateHyperParameterTuningJob", withAddedMembers(ctx, s, "CreateHyperParameterTuningJob", tuning(ctx, s)), { key: "HyperParameterTuningJobName", value: name });
}

function tuning(ctx: RequestCtx, s: TuningStep): Req {
  const ranges: Record<string, Req[]> = {};
  for (const [n, r] of Object.entries(s.ranges)) {
    // The API takes range bounds and categorical values as text.
    const entry =
      r.type === "categorical"
        ? obj({ Name: k(n), Values: list((r.values ?? []).map((x) => k(String(x)))) })
        : obj({ Name: k(n), MinValue: k(String(r.min)), MaxValue: k(String(r.max)), ScalingType: k(r.scaling ?? "Auto") });
    (ranges[RANGE_KEYS[r.type]] ??= []).push(entry);
  }
  const d = definition(ctx, s);
  return obj({
    HyperParameterTuningJobConfig: obj({
      Strategy: k(s.strategy),
      ResourceLimits: obj({ MaxNumberOfTrainingJobs: k(s.max_jobs), MaxParallelTrainingJobs: k(s.parallel_jobs) }),
      HyperParameterTuningJobObjective: obj({ Type: k(s.objective.type), MetricName: k(s.objective.metric) }),
      ParameterRanges: obj(Object.fromEntries(Object.entries(ranges).map(([key, xs]) => [key, list(xs)]))),
      TrainingJobEarlyStoppingType: s.early_stopping !== undefined ? k(s.early_stopping) : undefined,
    }),
    TrainingJobDefinition: obj({
      StaticHyperParameters: d.hyperparameters,
      RoleArn: d.role,
      OutputDataConfig: d.output,
      StoppingCondition: d.stopping,
      ResourceConfig: d.resources,
      AlgorithmSpecification: d.algorithm,
      InputDataConfig: d.inputs,
      EnableManagedSpotTraining: d.spot,
      Environment: d.environment,
      ...d.network,
    }),
    Tags: tags(ctx, s),
  });
}
