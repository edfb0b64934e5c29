/** CreateTransformJob. https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTransformJob.html */
import { TRANSFORM_OUTPUT } from "../../ir/kinds.js";
import type { TransformStep } from "../../ir/types.js";
import { dataProcessing } from "../transform.js";
import { environment, kmsKey, outputUri, resources, tags, type RequestCtx } from "./common.js";
import { withAddedMembers } from "./members.js";
import { checkedRequest } from "./shared.js";
import { k, obj, text, type Req } from "./tree.js";

const opt = (x: string | number | undefined): Req | undefined => (x !== undefined ? k(x) : undefined);

export function transformRequest<N>(ctx: RequestCtx, s: TransformStep, name?: Req<N>): Req<N> {
  return checkedRequest(ctx, s, "CreateTransformJob", withAddedMembers(ctx, s, "CreateTransformJob", transform(ctx, s)), { key: "TransformJobName", value: name });
}

function transform(ctx: RequestCtx, s: TransformStep): Req {
  const res = resources(ctx, s);
  const dp = dataProcessing(s);
  return obj({
    ModelName: text(s.model),
    TransformInput: obj({
      DataSource: obj({ S3DataSource: obj({ S3DataType: k(s.input.data_type ?? "S3Prefix"), S3Uri: text(s.input.source) }) }),
      ContentType: opt(s.input.content_type),
      CompressionType: opt(s.input.compression),
      SplitType: opt(s.input.split_type),
    }),
    TransformOutput: obj({ S3OutputPath: outputUri(ctx, s, TRANSFORM_OUTPUT, s.output.destination), Accept: opt(s.output.accept), AssembleWith: opt(s.output.assemble_with), KmsKeyId: kmsKey(s.kms?.output) }),
    TransformResources: obj({ InstanceCount: res.count, InstanceType: res.type, VolumeKmsKeyId: kmsKey(s.kms?.volume) }),
    BatchStrategy: opt(s.strategy),
    MaxPayloadInMB: opt(s.max_payload_mb),
    MaxConcurrentTransforms: opt(s.max_concurrent),
    DataProcessing: dp ? obj(Object.fromEntries(Object.entries(dp).map(([key, x]) => [key, k(x)]))) : undefined,
    Environment: environment(s),
    Tags: tags(ctx, s),
  });
}
