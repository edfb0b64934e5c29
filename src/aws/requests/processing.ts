/**
 * CreateProcessingJob, for processing steps on every target, and for notebook
 * steps where a notebook runs as a processing job (papermill): Step Functions
 * and Airflow. https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateProcessingJob.html
 */
import { withAddedMembers } from "./members.js";
import { checkedRequest } from "./shared.js";
import { basename } from "node:path";
import { codeLocation } from "../../ir/dataflow.js";
import { NOTEBOOK_OUTPUT } from "../../ir/kinds.js";
import type { DataInput, NotebookStep, ProcessingStep, Value } from "../../ir/types.js";
import { CODE_INPUT, DEFAULT_COMMAND, PROCESSING_CODE_DIR, processingScriptPath } from "../containers.js";
import { environment, image, kmsKey, outputUri, processingNetwork, SDK_DEFAULTS, resources, role, stopping, tags, type RequestCtx } from "./common.js";
import { k, list, obj, someList, text, type Req } from "./tree.js";

/** Where a notebook's executed copy is written inside the container (the `output` output). */
export const NOTEBOOK_OUT_DIR = "/opt/ml/processing/output";

/** One processing input, with the API's defaults written out as the SageMaker SDK writes them. */
function s3Input(name: string, uri: Req, local: string, inp?: DataInput): Req {
  return obj({
    InputName: k(name),
    AppManaged: k(false),
    S3Input: obj({
      S3Uri: uri,
      LocalPath: k(local),
      S3DataType: k(inp?.data_type ?? "S3Prefix"),
      S3InputMode: k(inp?.mode ?? "File"),
      S3DataDistributionType: k(inp?.distribution ?? "FullyReplicated"),
      S3CompressionType: k(inp?.compression ?? "None"),
    }),
  });
}

function s3Output(name: string, uri: Req, local: string, upload: string): Req {
  return obj({ OutputName: k(name), AppManaged: k(false), S3Output: obj({ S3Uri: uri, LocalPath: k(local), S3UploadMode: k(upload) }) });
}

interface Parts {
  app: { entrypoint?: Req; arguments?: Req };
  inputs: Req[];
  outputs: Req[];
}

/** The request but its name (see shared.ts). */
function request(ctx: RequestCtx, s: ProcessingStep | NotebookStep, parts: Parts): Req {
  const res = resources(ctx, s);
  const kms = s.kind === "processing" ? s.kms : undefined;
  return obj({
    ProcessingResources: obj({ ClusterConfig: obj({ InstanceType: res.type, InstanceCount: res.count, VolumeSizeInGB: res.volume, VolumeKmsKeyId: kmsKey(kms?.volume) }) }),
    // The SDK's order: arguments before the entry point.
    AppSpecification: obj({ ImageUri: image(ctx, s.image, "training"), ContainerArguments: parts.app.arguments, ContainerEntrypoint: parts.app.entrypoint }),
    RoleArn: role(ctx, s),
    ProcessingInputs: someList(parts.inputs),
    ProcessingOutputConfig: parts.outputs.length ? obj({ Outputs: list(parts.outputs), KmsKeyId: kmsKey(kms?.output) }) : undefined,
    Environment: environment(s),
    NetworkConfig: s.kind === "processing" ? processingNetwork(s.network) : undefined,
    StoppingCondition: stopping(ctx, s, false),
    Tags: tags(ctx, s),
  });
}

const strings = (xs: readonly string[]): Req => list(xs.map((x) => k(x)));

export function processingRequest<N>(ctx: RequestCtx, s: ProcessingStep, name?: Req<N>): Req<N> {
  return checkedRequest(ctx, s, "CreateProcessingJob", withAddedMembers(ctx, s, "CreateProcessingJob", processing(ctx, s)), { key: "ProcessingJobName", value: name });
}

function processing(ctx: RequestCtx, s: ProcessingStep): Req {
  const inputs = Object.entries(s.inputs).map(([n, inp]) => s3Input(n, text(inp.source), inp.destination ?? `${SDK_DEFAULTS.processingInput}/${n}`, inp));
  if (s.code) inputs.push(s3Input(CODE_INPUT, k(codeLocation(ctx.p, s.code)), PROCESSING_CODE_DIR));
  const outputs = Object.entries(s.outputs).map(([n, out]) => s3Output(n, outputUri(ctx, s, n, out.destination), out.path, out.upload ?? "EndOfJob"));
  // A script runs under its command (python3 by default); without one the command is the whole entry point, and with neither the image's own runs.
  const entrypoint = s.code ? strings([...(s.command ?? DEFAULT_COMMAND), processingScriptPath(s.code)]) : s.command ? strings(s.command) : undefined;
  return request(ctx, s, { app: { entrypoint, arguments: someList(s.arguments.map(text)) }, inputs, outputs });
}

/** Papermill runs the notebook from the code input; the executed copy lands in the `output` output. */
export function papermillRequest<N>(ctx: RequestCtx, s: NotebookStep, name?: Req<N>): Req<N> {
  return checkedRequest(ctx, s, "CreateProcessingJob", papermill(ctx, s), { key: "ProcessingJobName", value: name });
}

function papermill(ctx: RequestCtx, s: NotebookStep): Req {
  const nb = basename(s.notebook.path);
  const args: Req[] = [k(`${PROCESSING_CODE_DIR}/${nb}`), k(`${NOTEBOOK_OUT_DIR}/${nb}`), k("-k"), k(s.kernel)];
  for (const [key, v] of Object.entries(s.parameters) as Array<[string, Value]>) args.push(k("-p"), k(key), text(v));
  return request(ctx, s, {
    app: { entrypoint: strings(["papermill"]), arguments: list(args) },
    inputs: [s3Input(CODE_INPUT, k(codeLocation(ctx.p, s.notebook)), PROCESSING_CODE_DIR)],
    outputs: [s3Output(NOTEBOOK_OUTPUT, outputUri(ctx, s, NOTEBOOK_OUTPUT), NOTEBOOK_OUT_DIR, "EndOfJob")],
  });
}
